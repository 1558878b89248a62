/* The in-memory matching catalog: scoring fields of every stored offer and candidate in
 * recycled dense slots, an id map and the (ROME, cell) grid; guarded by one rwlock. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "catalog.h"

#define TOMB UINT32_MAX

static uint64_t hash64(const void *p, size_t n)
{
    const unsigned char *s = p;
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 1099511628211ull;
    }
    return h ^ (h >> 29);
}

/* ---- id -> slot ---- */

typedef const char *(*slot_id_fn)(const cm__catalog_t *cat, uint32_t slot);

static const char *offer_id(const cm__catalog_t *cat, uint32_t slot)
{
    return cat->offers[slot].id;
}

static const char *cand_id(const cm__catalog_t *cat, uint32_t slot)
{
    return cat->cands[slot].id;
}

static uint32_t id_tag(const char *id)
{
    return (uint32_t)hash64(id, strlen(id));
}

/* Position of id (its tag: id_tag) in the map, or of the first free place when absent (*found
 * false). The tags spare the slot's id (a cache miss) on all but true matches. */
static uint32_t idmap_probe(const cm__catalog_t *cat, const cm__idmap_t *m, slot_id_fn idof,
                            const char *id, uint32_t tag, bool *found)
{
    uint32_t mask = m->cap - 1, i = tag & mask, first = TOMB;
    for (;; i = (i + 1) & mask) {
        uint32_t v = m->t[i];
        if (v == 0) {
            *found = false;
            return first != TOMB ? first : i;
        }
        if (v == TOMB) {
            if (first == TOMB)
                first = i;
        } else if (m->tag[i] == tag && strcmp(idof(cat, v - 1), id) == 0) {
            *found = true;
            return i;
        }
    }
}

/* Room for `more` entries beyond those in use: one more (a write) leaves the load under 1/4,
 * a known count (a load, cm__catalog_reserve) under 1/2. */
static int idmap_grow(cm__idmap_t *m, uint32_t more)
{
    uint32_t ncap = m->cap ? m->cap : 1024;
    while ((uint64_t)(m->used + more) * (more > 1 ? 2 : 4) >= ncap)
        ncap *= 2;
    if (ncap == m->cap && m->tomb == 0)
        return 0; /* else rehashed in place: the tombstones go */
    uint32_t *nt = calloc(ncap, sizeof *nt), *ng = malloc(ncap * sizeof *ng);
    if (!nt || !ng) {
        free(nt);
        free(ng);
        return CM_ENOMEM;
    }
    for (uint32_t i = 0; i < m->cap; i++) {
        uint32_t v = m->t[i];
        if (v == 0 || v == TOMB)
            continue;
        uint32_t j = m->tag[i] & (ncap - 1);
        while (nt[j])
            j = (j + 1) & (ncap - 1);
        nt[j] = v;
        ng[j] = m->tag[i];
    }
    free(m->t);
    free(m->tag);
    m->t = nt;
    m->tag = ng;
    m->cap = ncap;
    m->tomb = 0;
    return 0;
}

static bool idmap_get(const cm__catalog_t *cat, const cm__idmap_t *m, slot_id_fn idof,
                      const char *id, uint32_t *slot)
{
    bool found = false;
    if (m->cap == 0)
        return false;
    uint32_t i = idmap_probe(cat, m, idof, id, id_tag(id), &found);
    if (found)
        *slot = m->t[i] - 1;
    return found;
}

/* Callers reserve with idmap_reserve first, so this cannot fail. */
static void idmap_put(const cm__catalog_t *cat, cm__idmap_t *m, slot_id_fn idof, const char *id,
                      uint32_t slot)
{
    bool found;
    uint32_t tag = id_tag(id), i = idmap_probe(cat, m, idof, id, tag, &found);
    if (!found) {
        if (m->t[i] == TOMB)
            m->tomb--;
        m->used++;
    }
    m->t[i] = slot + 1;
    m->tag[i] = tag;
}

static int idmap_reserve(cm__idmap_t *m)
{
    if (m->cap == 0 || (m->used + m->tomb + 1) * 2 > m->cap)
        return idmap_grow(m, 1);
    return 0;
}

static void idmap_del(const cm__catalog_t *cat, cm__idmap_t *m, slot_id_fn idof, const char *id)
{
    bool found = false;
    if (m->cap == 0)
        return;
    uint32_t i = idmap_probe(cat, m, idof, id, id_tag(id), &found);
    if (found) {
        m->t[i] = TOMB;
        m->used--;
        m->tomb++;
    }
}

/* ---- lifecycle ---- */

int cm__catalog_create(const cm__score_config_t *cfg, cm__catalog_t **out)
{
    cm__catalog_t *cat = calloc(1, sizeof *cat);
    *out = NULL;
    if (!cat)
        return CM_ENOMEM;
    if (cfg)
        cat->cfg = *cfg;
    else
        cm__score_config_defaults(&cat->cfg);
    /* Readers first (glibc's default): matching holds the read lock for up to tens of ms in a
     * dense area, and with writers first every write would hold all new readers for that long
     * (under 200 PUT/s, matches waited 100 ms at the median). Writes get their moments
     * because no reader holds it long: a group of puts takes it once, and candidate search
     * lets go of it every cm__cand_scan_hold slots. */
    if (pthread_rwlock_init(&cat->lock, NULL) != 0) {
        free(cat);
        return CM_ENOMEM;
    }
    *out = cat;
    return 0;
}

void cm__catalog_destroy(cm__catalog_t *cat)
{
    if (!cat)
        return;
    for (uint32_t i = 0; i < cat->n_offers; i++)
        cm__offer_fields_clear(&cat->offers[i].f);
    for (uint32_t i = 0; i < cat->n_cands; i++)
        cm__cand_fields_clear(&cat->cands[i].f);
    free(cat->offers);
    free(cat->cands);
    free(cat->csrch);
    free(cat->free_offers);
    free(cat->free_cands);
    free(cat->omap.t);
    free(cat->omap.tag);
    free(cat->cmap.t);
    free(cat->cmap.tag);
    cm__grid_free(&cat->ogrid);
    cm__grid_free(&cat->cgrid);
    cm__grid_free(&cat->sgrid);
    free(cat->osrch);
    free(cat->xslot);
    free(cat->orome);
    free(cat->orome_count);
    if (cat->snap_map)
        munmap(cat->snap_map, cat->snap_len); /* after the fields that borrow from it */
    for (cm__pack_chunk_t *c = cat->pack, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    pthread_rwlock_destroy(&cat->lock);
    free(cat);
}

/* *arr to exactly cap `nc` elements (never shrinks), the new ones zero. */
static int grow_exact(void **arr, uint32_t *cap, size_t elem, uint32_t nc)
{
    if (nc <= *cap)
        return 0;
    if (!*arr) { /* calloc: fresh pages come zeroed, no pass over them */
        if (!(*arr = calloc(nc, elem)))
            return CM_ENOMEM;
        *cap = nc;
        return 0;
    }
    void *n = realloc(*arr, (size_t)nc * elem);
    if (!n)
        return CM_ENOMEM;
    memset((char *)n + (size_t)*cap * elem, 0, (size_t)(nc - *cap) * elem);
    *arr = n;
    *cap = nc;
    return 0;
}

static int grow(void **arr, uint32_t *cap, size_t elem, uint32_t need)
{
    if (need <= *cap)
        return 0;
    uint32_t nc = *cap ? *cap : 1024;
    while (nc < need)
        nc *= 2;
    return grow_exact(arr, cap, elem, nc);
}

int cm__catalog_reserve(cm__catalog_t *cat, uint32_t offers, uint32_t cands)
{
    int rc;
    pthread_rwlock_wrlock(&cat->lock);
    uint32_t no = cat->n_offers + offers, nc = cat->n_cands + cands;
    (void)((rc = grow_exact((void **)&cat->offers, &cat->cap_offers, sizeof *cat->offers, no)) ||
           (rc = grow_exact((void **)&cat->free_offers, &cat->cap_free_offers,
                            sizeof *cat->free_offers, cat->cap_offers)) ||
           (rc = grow_exact((void **)&cat->osrch, &cat->cap_osrch, sizeof *cat->osrch,
                            cat->cap_offers)) ||
           (rc = grow_exact((void **)&cat->csrch, &cat->cap_csrch, sizeof *cat->csrch, nc)) ||
           (rc = grow_exact((void **)&cat->cands, &cat->cap_cands, sizeof *cat->cands, nc)) ||
           (rc = grow_exact((void **)&cat->free_cands, &cat->cap_free_cands,
                            sizeof *cat->free_cands, cat->cap_cands)) ||
           (rc = idmap_grow(&cat->omap, offers)) || (rc = idmap_grow(&cat->cmap, cands)));
    pthread_rwlock_unlock(&cat->lock);
    return rc;
}

/* ---- offers ---- */

static int orome_add(cm__catalog_t *cat, uint32_t rome)
{
    for (uint32_t i = 0; i < cat->n_orome; i++) {
        if (cat->orome[i] == rome) {
            cat->orome_count[i]++;
            return 0;
        }
    }
    if (cat->n_orome == cat->cap_orome) {
        uint32_t nc = cat->cap_orome ? cat->cap_orome * 2 : 64;
        uint32_t *a = realloc(cat->orome, nc * sizeof *a);
        if (!a)
            return CM_ENOMEM;
        cat->orome = a;
        uint32_t *b = realloc(cat->orome_count, nc * sizeof *b);
        if (!b)
            return CM_ENOMEM;
        cat->orome_count = b;
        cat->cap_orome = nc;
    }
    cat->orome[cat->n_orome] = rome;
    cat->orome_count[cat->n_orome++] = 1;
    return 0;
}

static void orome_remove(cm__catalog_t *cat, uint32_t rome)
{
    for (uint32_t i = 0; i < cat->n_orome; i++)
        if (cat->orome[i] == rome && cat->orome_count[i] > 0)
            cat->orome_count[i]--;
}

_Static_assert(CM_MAX_MINUTES_MAX <= CM__MINUTES_LIMIT, "a limit fits the grid entry's low byte");

static cm__gpt_t offer_pt(const cm__offer_fields_t *f)
{
    return (cm__gpt_t){.loc = f->loc,
                       .max_minutes = (uint16_t)(f->area << CM__MINUTES_AREA_SHIFT),
                       .flags = f->flags};
}

static cm__gpt_t cand_pt(const cm__cand_fields_t *f)
{
    return (cm__gpt_t){f->loc, f->reach_km,
                       (uint16_t)(f->max_minutes | (f->area << CM__MINUTES_AREA_SHIFT) |
                                  (f->limit_assumed ? CM__MINUTES_ASSUMED : 0)),
                       f->modes, f->flags};
}

static uint64_t offer_key(const cm__offer_fields_t *f)
{
    return cm__cell_key(f->rome, cm__cell_row(f->loc.lat_e6), cm__cell_col(f->loc.lon_e6));
}

/* The search grid's key: the cell alone (every open offer, with or without a ROME). */
static uint64_t search_key(const cm__offer_fields_t *f)
{
    return cm__cell_key(0, cm__cell_row(f->loc.lat_e6), cm__cell_col(f->loc.lon_e6));
}

static void offer_unindex(cm__catalog_t *cat, uint32_t slot)
{
    cm__offer_slot_t *s = &cat->offers[slot];
    if (cat->osrch[slot].searchable) {
        cm__grid_remove(&cat->sgrid, search_key(&s->f), slot);
        cat->osrch[slot].searchable = false;
    }
    if (!s->indexed)
        return;
    cm__grid_remove(&cat->ogrid, offer_key(&s->f), slot);
    orome_remove(cat, s->f.rome);
    s->indexed = false;
}

static void dept_of(const char *postcode, const char *commune, char out[4])
{
    if (!cm_department_of_place(postcode, commune, out))
        out[0] = '\0';
}

/* The catalog a thread holds for writing between cm__catalog_write_begin and _end: its
 * updates then take no lock of their own (one lock for a group of them). Per thread, so the
 * index writer's updates still lock while a put's group holds it. */
static _Thread_local const cm__catalog_t *held;

static int wlock(cm__catalog_t *cat)
{
    if (cat->loading || held == cat)
        return 0;
    return pthread_rwlock_wrlock(&cat->lock) != 0 ? CM_EINTERNAL : 0;
}

static void wunlock(cm__catalog_t *cat)
{
    if (!cat->loading && held != cat)
        pthread_rwlock_unlock(&cat->lock);
}

int cm__catalog_write_begin(cm__catalog_t *cat)
{
    if (pthread_rwlock_wrlock(&cat->lock) != 0)
        return CM_EINTERNAL;
    held = cat;
    return 0;
}

void cm__catalog_write_end(cm__catalog_t *cat)
{
    held = NULL;
    pthread_rwlock_unlock(&cat->lock);
}

void cm__catalog_prep_offer(const cm__catalog_t *cat, const cm_offer_t *o, cm__catalog_prep_t *p)
{
    (void)cat;
    memset(p, 0, sizeof *p);
    p->offer = true;
    snprintf(p->id, sizeof p->id, "%s", o->id);
    p->ox.day = o->published_days;
    p->ox.kind = (uint8_t)o->employer_kind;
    dept_of(o->postcode, o->commune, p->ox.dept);
    p->rc = cm__offer_fields_init(&p->of, o);
    if (p->rc)
        memset(&p->of, 0, sizeof p->of);
}

void cm__catalog_prep_candidate(const cm__catalog_t *cat, const cm_candidate_t *c,
                                cm__catalog_prep_t *p)
{
    memset(p, 0, sizeof *p);
    snprintf(p->id, sizeof p->id, "%s", c->id);
    p->cx.active = c->status == CM_CAND_ACTIVE;
    p->cx.n_rome = (uint8_t)cm__cand_rome_codes(c, p->cx.rome, CM_ROMES_MAX);
    dept_of(c->postcode, c->commune, p->cx.dept);
    p->rc = cm__cand_fields_init(&p->cf, c, &cat->cfg);
    if (p->rc)
        memset(&p->cf, 0, sizeof p->cf);
}

int cm__catalog_put_prepared(cm__catalog_t *cat, cm__catalog_prep_t *p)
{
    if (p->rc)
        return p->rc;
    return p->offer ? cm__catalog_install_offer(cat, p->id, &p->of, &p->ox)
                    : cm__catalog_install_candidate(cat, p->id, &p->cf, &p->cx);
}

void cm__catalog_prep_clear(cm__catalog_prep_t *p)
{
    if (p->offer)
        cm__offer_fields_clear(&p->of);
    else
        cm__cand_fields_clear(&p->cf);
    memset(p, 0, sizeof *p);
}

int cm__catalog_put_offer(cm__catalog_t *cat, const cm_offer_t *o)
{
    cm__catalog_prep_t p;
    cm__catalog_prep_offer(cat, o, &p);
    int rc = cm__catalog_put_prepared(cat, &p);
    cm__catalog_prep_clear(&p);
    return rc;
}

int cm__catalog_install_offer(cm__catalog_t *cat, const char *id, cm__offer_fields_t *fp,
                              const cm__offer_extra_t *ex)
{
    cm__offer_fields_t f = *fp;
    uint32_t slot;
    int rc;
    memset(fp, 0, sizeof *fp); /* ours now */
    if (wlock(cat) != 0) {
        cm__offer_fields_clear(&f);
        return CM_EINTERNAL;
    }
    bool existed = idmap_get(cat, &cat->omap, offer_id, id, &slot);
    if (!existed) {
        if ((rc = idmap_reserve(&cat->omap)))
            goto fail;
        /* The free list is kept as large as the slot array so that del never allocates. */
        if (cat->n_free_offers == 0 &&
            ((rc = grow((void **)&cat->offers, &cat->cap_offers, sizeof *cat->offers,
                        cat->n_offers + 1)) ||
             (rc = grow((void **)&cat->free_offers, &cat->cap_free_offers, sizeof *cat->free_offers,
                        cat->cap_offers)) ||
             (rc = grow((void **)&cat->osrch, &cat->cap_osrch, sizeof *cat->osrch,
                        cat->cap_offers))))
            goto fail;
    }
    bool searchable = f.status == CM_OFFER_OPEN;
    bool open = searchable && f.rome != 0;
    /* Grow index structures before touching the old entry so a failure changes nothing. */
    cm__offer_slot_t *cur = existed ? &cat->offers[slot] : NULL;
    if (searchable &&
        !(cur && cat->osrch[slot].searchable && search_key(&cur->f) == search_key(&f)) &&
        (rc = cm__grid_reserve(&cat->sgrid, search_key(&f))))
        goto fail;
    if (open) {
        bool same_place = cur && cur->indexed && offer_key(&cur->f) == offer_key(&f);
        if (!same_place && (rc = cm__grid_reserve(&cat->ogrid, offer_key(&f))))
            goto fail;
        if ((rc = orome_add(cat, f.rome)))
            goto fail;
        orome_remove(cat, f.rome);
    }
    if (existed) {
        offer_unindex(cat, slot);
        cm__offer_fields_clear(&cat->offers[slot].f);
    } else {
        slot = cat->n_free_offers ? cat->free_offers[--cat->n_free_offers] : cat->n_offers++;
        snprintf(cat->offers[slot].id, sizeof cat->offers[slot].id, "%s", id);
        idmap_put(cat, &cat->omap, offer_id, id, slot);
    }
    cm__offer_slot_t *s = &cat->offers[slot];
    s->f = f;
    s->live = true;
    memcpy(s->dept, ex->dept, sizeof s->dept);
    s->dept[3] = '\0';
    cm__osrch_t *x = &cat->osrch[slot]; /* xdoc stays: a replacement keeps its document */
    x->loc = f.loc;
    x->day = ex->day;
    x->rome = f.rome;
    x->dept = cm__dept_pack(s->dept);
    x->contract = f.contract;
    x->kind = ex->kind;
    x->flags = f.flags;
    x->facts = f.facts;
    if (searchable &&
        cm__grid_add(&cat->sgrid, search_key(&s->f), slot, offer_pt(&f)) == 0) /* reserved */
        x->searchable = true;
    if (open) {
        /* Both cannot fail now: capacity was reserved above. */
        if (cm__grid_add(&cat->ogrid, offer_key(&s->f), slot, offer_pt(&f)) == 0 &&
            orome_add(cat, f.rome) == 0)
            s->indexed = true;
    }
    wunlock(cat);
    return 0;
fail:
    wunlock(cat);
    cm__offer_fields_clear(&f);
    return rc;
}

void cm__catalog_del_offer(cm__catalog_t *cat, const char *id)
{
    uint32_t slot;
    if (wlock(cat) != 0)
        return;
    if (idmap_get(cat, &cat->omap, offer_id, id, &slot)) {
        offer_unindex(cat, slot);
        idmap_del(cat, &cat->omap, offer_id, id);
        cm__offer_slot_t *s = &cat->offers[slot];
        cm__osrch_t *x = &cat->osrch[slot];
        if (x->xdoc && x->xdoc < cat->cap_xslot)
            cat->xslot[x->xdoc] = 0;
        memset(x, 0, sizeof *x);
        cm__offer_fields_clear(&s->f);
        memset(s, 0, sizeof *s);
        cat->free_offers[cat->n_free_offers++] = slot; /* room reserved at put */
    }
    wunlock(cat);
}

/* ---- the search index's docids ---- */

int cm__catalog_xmap_reset(cm__catalog_t *cat, const char *uuid)
{
    if (wlock(cat) != 0)
        return CM_EINTERNAL;
    for (uint32_t i = 0; i < cat->n_offers; i++)
        cat->osrch[i].xdoc = 0;
    if (cat->xslot)
        memset(cat->xslot, 0, (size_t)cat->cap_xslot * sizeof *cat->xslot);
    snprintf(cat->xuuid, sizeof cat->xuuid, "%s", uuid ? uuid : "");
    cat->xready = false;
    wunlock(cat);
    return 0;
}

void cm__catalog_xmap_ready(cm__catalog_t *cat)
{
    if (wlock(cat) != 0)
        return;
    cat->xready = cat->xuuid[0] != '\0';
    wunlock(cat);
}

int cm__catalog_xmap_set(cm__catalog_t *cat, const char *uuid, const char *id, uint32_t docid,
                         uint32_t doclen)
{
    uint32_t slot;
    int rc = 0;
    if (docid == 0 || docid == UINT32_MAX)
        return 0;
    if (wlock(cat) != 0)
        return CM_EINTERNAL;
    if (!cat->xuuid[0] || strcmp(cat->xuuid, uuid) != 0 ||
        !idmap_get(cat, &cat->omap, offer_id, id, &slot))
        goto done;
    if ((rc = grow((void **)&cat->xslot, &cat->cap_xslot, sizeof *cat->xslot, docid + 1)))
        goto done;
    cm__osrch_t *x = &cat->osrch[slot];
    if (x->xdoc && x->xdoc != docid)
        cat->xslot[x->xdoc] = 0; /* deleted and added again: a new document */
    x->xdoc = docid;
    x->xlen = doclen;
    cat->xslot[docid] = slot + 1;
done:
    wunlock(cat);
    return rc;
}

bool cm__catalog_xmap_is(cm__catalog_t *cat, const char *uuid)
{
    if (pthread_rwlock_rdlock(&cat->lock) != 0)
        return false;
    bool is = cat->xready && strcmp(cat->xuuid, uuid) == 0;
    pthread_rwlock_unlock(&cat->lock);
    return is;
}

/* Rows and columns of the cells within radius_km of p. */
void cm__cell_range(cm_geo_t p, double radius_km, uint32_t *r0, uint32_t *r1, uint32_t *c0,
                    uint32_t *c1)
{
    double dlat = radius_km / CM__KM_PER_DEGREE + 1e-6;
    double lat = p.lat_e6 / 1e6, alat = fabs(lat) + dlat;
    double coslat = cos((alat > 89.0 ? 89.0 : alat) * M_PI / 180.0);
    double dlon = radius_km / (CM__KM_PER_DEGREE * coslat) + 1e-6;
    *r0 = cm__cell_row((int32_t)fmax(-90e6, p.lat_e6 - dlat * 1e6));
    *r1 = cm__cell_row((int32_t)fmin(90e6, p.lat_e6 + dlat * 1e6));
    if (dlon >= 180.0) {
        *c0 = 0;
        *c1 = CM__CELL_COLS - 1;
    } else {
        /* Longitudes are not wrapped at the antimeridian: no French territory straddles it. */
        *c0 = cm__cell_col((int32_t)fmax(-180e6, p.lon_e6 - dlon * 1e6));
        *c1 = cm__cell_col((int32_t)fmin(180e6, p.lon_e6 + dlon * 1e6));
    }
}

/* ---- candidates ---- */

static void cand_unindex(cm__catalog_t *cat, uint32_t slot)
{
    cm__cand_slot_t *s = &cat->cands[slot];
    if (!s->indexed)
        return;
    uint32_t row = cm__cell_row(s->f.loc.lat_e6), col = cm__cell_col(s->f.loc.lon_e6);
    uint32_t band = cm__reach_band(s->f.reach_km);
    if (s->n_rome == 0)
        cm__grid_remove(&cat->cgrid, cm__cand_cell_key(0, band, row, col), slot);
    for (uint32_t i = 0; i < s->n_rome; i++)
        cm__grid_remove(&cat->cgrid, cm__cand_cell_key(s->rome[i], band, row, col), slot);
    s->indexed = false;
}

static void csrch_set(cm__catalog_t *cat, uint32_t slot)
{
    const cm__cand_slot_t *s = &cat->cands[slot];
    cat->csrch[slot] = (cm__csrch_t){.loc = s->f.loc,
                                     .dept = cm__dept_pack(s->dept),
                                     .flags = s->f.flags,
                                     .modes = s->f.modes,
                                     .on = s->live && s->indexed};
}

static int cand_index(cm__catalog_t *cat, uint32_t slot)
{
    cm__cand_slot_t *s = &cat->cands[slot];
    uint32_t row = cm__cell_row(s->f.loc.lat_e6), col = cm__cell_col(s->f.loc.lon_e6);
    uint32_t band = cm__reach_band(s->f.reach_km);
    int rc = 0;
    s->indexed = true; /* so that cand_unindex undoes a partial insert */
    if (s->n_rome == 0)
        rc = cm__grid_add(&cat->cgrid, cm__cand_cell_key(0, band, row, col), slot, cand_pt(&s->f));
    for (uint32_t i = 0; i < s->n_rome && rc == 0; i++)
        rc = cm__grid_add(&cat->cgrid, cm__cand_cell_key(s->rome[i], band, row, col), slot,
                          cand_pt(&s->f));
    if (rc) {
        cand_unindex(cat, slot);
        return rc;
    }
    if (s->f.reach_km > cat->band_reach_max[band])
        cat->band_reach_max[band] = s->f.reach_km;
    return 0;
}

size_t cm__cand_rome_codes(const cm_candidate_t *c, uint32_t *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < c->n_desired_rome && n < cap; i++) {
        uint32_t r = cm__rome_code(c->desired_rome[i]);
        bool dup = r == 0;
        for (size_t j = 0; j < n && !dup; j++)
            dup = out[j] == r;
        if (!dup)
            out[n++] = r;
    }
    return n;
}

int cm__catalog_put_candidate(cm__catalog_t *cat, const cm_candidate_t *c)
{
    cm__catalog_prep_t p;
    cm__catalog_prep_candidate(cat, c, &p);
    int rc = cm__catalog_put_prepared(cat, &p);
    cm__catalog_prep_clear(&p);
    return rc;
}

int cm__catalog_install_candidate(cm__catalog_t *cat, const char *id, cm__cand_fields_t *fp,
                                  const cm__cand_extra_t *ex)
{
    cm__cand_fields_t f = *fp;
    uint32_t slot;
    int rc;
    memset(fp, 0, sizeof *fp); /* ours now */
    if (wlock(cat) != 0) {
        cm__cand_fields_clear(&f);
        return CM_EINTERNAL;
    }
    bool existed = idmap_get(cat, &cat->cmap, cand_id, id, &slot);
    if (!existed) {
        if ((rc = idmap_reserve(&cat->cmap)))
            goto fail;
        if (cat->n_free_cands == 0 && ((rc = grow((void **)&cat->csrch, &cat->cap_csrch,
                                                  sizeof *cat->csrch, cat->n_cands + 1)) ||
                                       (rc = grow((void **)&cat->cands, &cat->cap_cands,
                                                  sizeof *cat->cands, cat->n_cands + 1)) ||
                                       (rc = grow((void **)&cat->free_cands, &cat->cap_free_cands,
                                                  sizeof *cat->free_cands, cat->cap_cands))))
            goto fail;
        slot = cat->n_free_cands ? cat->free_cands[--cat->n_free_cands] : cat->n_cands++;
        snprintf(cat->cands[slot].id, sizeof cat->cands[slot].id, "%s", id);
        idmap_put(cat, &cat->cmap, cand_id, id, slot);
    } else {
        cand_unindex(cat, slot);
        cm__cand_fields_clear(&cat->cands[slot].f);
    }
    cm__cand_slot_t *s = &cat->cands[slot];
    s->f = f;
    s->live = true;
    s->n_rome = ex->n_rome > CM_ROMES_MAX ? CM_ROMES_MAX : ex->n_rome;
    memcpy(s->rome, ex->rome, sizeof s->rome);
    memcpy(s->dept, ex->dept, sizeof s->dept);
    s->dept[3] = '\0';
    if (ex->active && (rc = cand_index(cat, slot))) {
        /* Out of memory mid-update: the record is kept unmatched rather than half-indexed. */
        csrch_set(cat, slot);
        wunlock(cat);
        return rc;
    }
    csrch_set(cat, slot);
    wunlock(cat);
    return 0;
fail:
    wunlock(cat);
    cm__cand_fields_clear(&f);
    return rc;
}

void cm__catalog_del_candidate(cm__catalog_t *cat, const char *id)
{
    uint32_t slot;
    if (wlock(cat) != 0)
        return;
    if (idmap_get(cat, &cat->cmap, cand_id, id, &slot)) {
        cand_unindex(cat, slot);
        idmap_del(cat, &cat->cmap, cand_id, id);
        cm__cand_slot_t *s = &cat->cands[slot];
        cm__cand_fields_clear(&s->f);
        uint32_t gen = s->gen + 1;
        memset(s, 0, sizeof *s);
        s->gen = gen;
        memset(&cat->csrch[slot], 0, sizeof cat->csrch[slot]);
        cat->free_cands[cat->n_free_cands++] = slot;
    }
    wunlock(cat);
}

/* ---- stats ---- */

void cm__catalog_counts(cm__catalog_t *cat, const char *department, cm_stats_t *out)
{
    uint64_t ot = 0, oo = 0, ct = 0, ca = 0;
    if (pthread_rwlock_rdlock(&cat->lock) != 0)
        return;
    for (uint32_t i = 0; i < cat->n_offers; i++) {
        const cm__offer_slot_t *s = &cat->offers[i];
        if (!s->live || (department && strcmp(s->dept, department) != 0))
            continue;
        ot++;
        oo += s->f.status == CM_OFFER_OPEN;
    }
    for (uint32_t i = 0; i < cat->n_cands; i++) {
        const cm__cand_slot_t *s = &cat->cands[i];
        if (!s->live || (department && strcmp(s->dept, department) != 0))
            continue;
        ct++;
        ca += s->indexed;
    }
    pthread_rwlock_unlock(&cat->lock);
    out->offers_total = ot;
    out->offers_open = oo;
    out->candidates_total = ct;
    out->candidates_active = ca;
}

bool cm__catalog_candidate_department(cm__catalog_t *cat, const char *id, char out[4])
{
    uint32_t slot;
    bool ok = false;
    out[0] = '\0';
    if (pthread_rwlock_rdlock(&cat->lock) != 0)
        return false;
    if (idmap_get(cat, &cat->cmap, cand_id, id, &slot) && cat->cands[slot].dept[0]) {
        memcpy(out, cat->cands[slot].dept, 4);
        ok = true;
    }
    pthread_rwlock_unlock(&cat->lock);
    return ok;
}
