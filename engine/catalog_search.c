/* A search's radius and filters from the catalog (search_set.h). The catalog holds every
 * open offer by grid cell with what the filters and facets read (cm__osrch_t), so a radius
 * search costs the offers within the circle instead of Xapian's cell terms, a distance test
 * per location read from its value stream, and one value stream per facet. The text then
 * narrows the set (index.c: ranked over it by textrank.c, or by Xapian's matcher with the set
 * as a docid filter); a search without text never reaches the index. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "search_set.h"
#include "topk.h"

/* Beyond this many cells in the circle's box, one pass over the slots is cheaper. */
#define SCAN_CELLS_PER_SLOT 4
#define PREFETCH_AHEAD 16 /* offers ahead in a cell's walk */

typedef struct entries {
    cm__sset_entry_t *e;
    size_t n, cap;
} entries_t;

/* The query's filters, resolved once: ROME codes, the circle and its quick test. */
typedef struct prep {
    const cm_search_query_t *q;
    uint32_t rome[CM_SEARCH_ROME_MAX];
    size_t n_rome;
    bool need_km;    /* the order is by distance: the exact distance of every offer kept */
    cm__flat_t flat; /* flat-earth test (geo.h): surely in below in2, surely out above out2 */
    double in2, out2;
} prep_t;

static void prepare(const cm_search_query_t *q, bool need_km, prep_t *p)
{
    memset(p, 0, sizeof *p);
    p->q = q;
    p->need_km = need_km;
    for (size_t i = 0; i < q->n_rome; i++) /* 0 (not a code) matches no offer */
        p->rome[p->n_rome++] = cm__rome_code(q->rome[i]);
    cm__flat_init(&p->flat, q->center, q->radius_km);
    p->in2 = q->radius_km * q->radius_km * p->flat.in;
    p->out2 = q->radius_km * q->radius_km * p->flat.out;
}

static bool within(const prep_t *p, cm_geo_t loc, double *km)
{
    *km = 0;
    if (!p->need_km) {
        double d2 = cm__flat_d2(&p->flat, loc);
        if (d2 <= p->in2)
            return true;
        if (d2 >= p->out2)
            return false;
    }
    *km = cm__distance_km(p->q->center, loc); /* the one rule, at the edge */
    return *km <= p->q->radius_km;
}

static bool passes(const cm__osrch_t *x, const prep_t *p, double *km)
{
    const cm_search_query_t *q = p->q;
    if (!x->searchable)
        return false;
    if (p->n_rome > 0) {
        size_t i = 0;
        while (i < p->n_rome && (p->rome[i] != x->rome || x->rome == 0))
            i++;
        if (i == p->n_rome)
            return false;
    }
    if (q->contracts && !(q->contracts & (1u << x->contract)))
        return false;
    /* bit 0 is CM_EMPLOYER_UNSET: an offer without a kind is no kind asked for */
    if (q->employer_kinds && (x->kind == 0 || !(q->employer_kinds & (1u << x->kind))))
        return false;
    const int want[3] = {q->immersion_possible, q->pre_hire_training,
                         q->accessible_to_disabled_workers};
    const uint8_t bit[3] = {CM__O_IMMERSION, CM__O_TRAINING, CM__O_ACCESSIBLE};
    for (int i = 0; i < 3; i++)
        if (want[i] >= 0 && ((x->flags & bit[i]) != 0) != (want[i] != 0))
            return false;
    /* facts the engine does not know are no filter (as the index's) */
    if ((q->with & CM_WORK_FACT__ALL & ~(unsigned)x->facts) || (q->without & x->facts))
        return false;
    return within(p, x->loc, km);
}

static int push(entries_t *es, const cm__osrch_t *x, uint32_t slot, double km)
{
    if (es->n == es->cap) {
        size_t nc = es->cap ? es->cap * 2 : 256;
        cm__sset_entry_t *g = realloc(es->e, nc * sizeof *g);
        if (!g)
            return CM_ENOMEM;
        es->e = g;
        es->cap = nc;
    }
    es->e[es->n++] = (cm__sset_entry_t){.docid = x->xdoc,
                                        .slot = slot,
                                        .len = x->xlen,
                                        .km = km,
                                        .day = x->day,
                                        .rome = x->rome,
                                        .dept = x->dept,
                                        .contract = x->contract,
                                        .kind = x->kind};
    return 0;
}

/* Every open offer passing the radius and filters (indexed only: with a docid). Caller holds
 * the catalog's lock. */
static int collect(const cm__catalog_t *cat, const prep_t *p, bool indexed, entries_t *es)
{
    uint32_t r0, r1, c0, c1;
    double km;
    int rc = 0;
    cm__cell_range(p->q->center, p->q->radius_km, &r0, &r1, &c0, &c1);
    uint64_t cells = (uint64_t)(r1 - r0 + 1) * (c1 - c0 + 1);
    /* The grid does not wrap: a circle over a pole or the antimeridian (Wallis-et-Futuna is
     * at 176 W) is looked for in every slot, as the index did (no cell terms there). */
    double lat = p->q->center.lat_e6 / 1e6, lon = p->q->center.lon_e6 / 1e6;
    double dlat = p->q->radius_km / CM__KM_PER_DEGREE * 1.01;
    double dlon = fabs(lat) + dlat < 89.0 ? dlat / cos((fabs(lat) + dlat) * M_PI / 180.0) : 360;
    bool wraps = lon - dlon <= -180.0 || lon + dlon >= 180.0 || fabs(lat) + dlat >= 89.0;
    if (wraps || cells > (uint64_t)cat->n_offers * SCAN_CELLS_PER_SLOT + 64) {
        for (uint32_t i = 0; i < cat->n_offers && !rc; i++) {
            const cm__osrch_t *x = &cat->osrch[i];
            if ((!indexed || x->xdoc) && passes(x, p, &km))
                rc = push(es, x, i, km);
        }
        return rc;
    }
    for (uint32_t row = r0; row <= r1 && !rc; row++)
        for (uint32_t col = c0; col <= c1 && !rc; col++) {
            const cm__bucket_t *b = cm__grid_find(&cat->sgrid, cm__cell_key(0, row, col));
            for (uint32_t j = 0; b && j < b->n && j < PREFETCH_AHEAD; j++)
                __builtin_prefetch(&cat->osrch[b->slot[j]]); /* the cell's first ones */
            for (uint32_t j = 0; b && j < b->n && !rc; j++) {
                /* slots are scattered over the array: ask for one a few steps ahead (a dense
                 * area's walk is otherwise one cache miss per offer) */
                if (j + PREFETCH_AHEAD < b->n)
                    __builtin_prefetch(&cat->osrch[b->slot[j + PREFETCH_AHEAD]]);
                const cm__osrch_t *x = &cat->osrch[b->slot[j]];
                if ((!indexed || x->xdoc) && passes(x, p, &km))
                    rc = push(es, x, b->slot[j], km);
            }
        }
    return rc;
}

bool cm__sset_applies(const cm_search_query_t *q)
{
    return q->has_geo && q->radius_km > 0 && isfinite(q->radius_km);
}

/* Entries in docid order: a radix sort of (docid, position) keys, three passes of 11 bits
 * (16 KiB of counts on the stack). */
static int sort_by_docid(entries_t *es)
{
    size_t n = es->n;
    uint64_t *k = malloc((n ? n : 1) * sizeof *k), *t = malloc((n ? n : 1) * sizeof *t);
    cm__sset_entry_t *e = malloc((n ? n : 1) * sizeof *e);
    if (!k || !t || !e) {
        free(k);
        free(t);
        free(e);
        return CM_ENOMEM;
    }
    for (size_t i = 0; i < n; i++)
        k[i] = (uint64_t)es->e[i].docid << 32 | i;
    for (int shift = 32; shift < 64; shift += 11) {
        size_t cnt[2049] = {0};
        for (size_t i = 0; i < n; i++)
            cnt[(k[i] >> shift & 0x7ff) + 1]++;
        for (size_t d = 1; d < 2049; d++)
            cnt[d] += cnt[d - 1];
        for (size_t i = 0; i < n; i++)
            t[cnt[k[i] >> shift & 0x7ff]++] = k[i];
        uint64_t *x = k;
        k = t;
        t = x;
    }
    for (size_t i = 0; i < n; i++)
        e[i] = es->e[(uint32_t)k[i]];
    free(k);
    free(t);
    free(es->e);
    es->e = e;
    return 0;
}

int cm__sset_build(cm__catalog_t *cat, const cm_search_query_t *q, const char *uuid,
                   cm__sset_t *out, bool *usable)
{
    entries_t es = {0};
    prep_t p;
    memset(out, 0, sizeof *out);
    *usable = false;
    prepare(q, false, &p);
    if (pthread_rwlock_rdlock(&cat->lock) != 0)
        return CM_EINTERNAL;
    int rc = 0;
    if (cat->xready && strcmp(cat->xuuid, uuid) == 0) {
        rc = collect(cat, &p, true, &es);
        *usable = rc == 0;
    }
    pthread_rwlock_unlock(&cat->lock);
    if (!rc && *usable && (rc = sort_by_docid(&es)) == 0) {
        out->e = es.e;
        out->n = es.n;
        out->docids = malloc((es.n ? es.n : 1) * sizeof *out->docids);
        out->mark = calloc(es.n ? es.n : 1, 1);
        if (!out->docids || !out->mark) {
            cm__sset_free(out);
            *usable = false;
            return CM_ENOMEM;
        }
        for (size_t i = 0; i < es.n; i++)
            out->docids[i] = es.e[i].docid;
        return 0;
    }
    *usable = false;
    free(es.e);
    return rc;
}

/* ---- the page of a search without text ---- */

typedef struct order {
    const cm__sset_entry_t *e;
    const cm__catalog_t *cat;
    bool distance;
} order_t;

/* Does entry x rank before entry y? (elements are indexes into the entries) */
static bool before(const void *xv, const void *yv, void *ov)
{
    const order_t *o = ov;
    const cm__sset_entry_t *x = &o->e[*(const uint32_t *)xv], *y = &o->e[*(const uint32_t *)yv];
    if (o->distance && x->km != y->km)
        return x->km < y->km;
    if (!o->distance && x->day != y->day)
        return x->day > y->day; /* newest first; CM_DATE_NONE is the smallest */
    if (x->docid != y->docid && x->docid && y->docid)
        return x->docid < y->docid;
    return strcmp(o->cat->offers[x->slot].id, o->cat->offers[y->slot].id) < 0;
}

static int rank_cmp(const void *a, const void *b, void *arg)
{
    return before(a, b, arg) ? -1 : before(b, a, arg) ? 1 : 0;
}

int cm__catalog_search_page(cm__catalog_t *cat, const cm_search_query_t *q, cm__search_ids_t *out)
{
    entries_t es = {0};
    uint32_t *h = NULL;
    prep_t p;
    memset(out, 0, sizeof *out);
    prepare(q, q->sort == CM_SORT_DISTANCE, &p);
    if (pthread_rwlock_rdlock(&cat->lock) != 0)
        return CM_EINTERNAL;
    int rc = collect(cat, &p, false, &es);
    size_t k = (size_t)q->offset + q->limit, kept = 0;
    if (k > es.n)
        k = es.n;
    if (!rc && k && !(h = malloc(k * sizeof *h)))
        rc = CM_ENOMEM;
    if (!rc && k) {
        order_t o = {es.e, cat, p.need_km};
        for (uint32_t x = 0; x < es.n; x++) /* the first k, in a bounded heap */
            cm__topk_offer(h, &kept, k, sizeof x, &x, before, &o);
        qsort_r(h, kept, sizeof *h, rank_cmp, &o); /* reentrant: searches run in parallel */
    }
    size_t n = kept > q->offset ? kept - q->offset : 0;
    if (!rc && n &&
        (!(out->ids = malloc(n * sizeof *out->ids)) ||
         !(out->scores = calloc(n, sizeof *out->scores))))
        rc = CM_ENOMEM;
    for (size_t i = 0; !rc && i < n; i++) /* copied under the lock: a slot may be reused after */
        memcpy(out->ids[i], cat->offers[es.e[h[q->offset + i]].slot].id, CM_ID_MAX + 1);
    if (!rc)
        out->n = n;
    pthread_rwlock_unlock(&cat->lock);
    free(h);
    out->total = es.n;
    cm__sset_t all = {.e = es.e, .n = es.n};
    if (!rc)
        rc = cm__sset_facets(&all, true, q->facets, out);
    free(es.e);
    if (rc)
        cm__search_ids_free(out);
    return rc;
}
