/* A search's radius and filters from the catalog (search_set.h). The catalog holds every
 * open offer by grid cell with what the filters and facets read, so a radius search costs
 * the offers within the circle instead of Xapian's cell terms, a distance test per location
 * read from its value stream, and one value stream per facet. Xapian then gets the set as a
 * docid filter and adds the text alone (index.c); a search without text never reaches it. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "search_set.h"

/* Beyond this many cells in the circle's box, one pass over the slots is cheaper. */
#define SCAN_CELLS_PER_SLOT 4

typedef struct entries {
    cm__sset_entry_t *e;
    size_t n, cap;
} entries_t;

static bool passes(const cm__offer_slot_t *s, const cm_search_query_t *q, double *km)
{
    if (!s->live || !s->searchable)
        return false;
    const cm__offer_fields_t *f = &s->f;
    if (q->n_rome > 0) {
        size_t i = 0;
        while (i < q->n_rome && strcmp(q->rome[i], f->rome_str) != 0)
            i++;
        if (i == q->n_rome)
            return false;
    }
    if (q->contracts && !(q->contracts & (1u << f->contract)))
        return false;
    /* bit 0 is CM_EMPLOYER_UNSET: an offer without a kind is no kind asked for */
    if (q->employer_kinds && (s->kind == 0 || !(q->employer_kinds & (1u << s->kind))))
        return false;
    static const struct {
        size_t off;
        uint8_t bit;
    } flags[] = {{offsetof(cm_search_query_t, immersion_possible), CM__O_IMMERSION},
                 {offsetof(cm_search_query_t, pre_hire_training), CM__O_TRAINING},
                 {offsetof(cm_search_query_t, accessible_to_disabled_workers), CM__O_ACCESSIBLE}};
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
        int want = *(const int *)((const char *)q + flags[i].off);
        if (want >= 0 && ((f->flags & flags[i].bit) != 0) != (want != 0))
            return false;
    }
    double d = cm__distance_km(q->center, f->loc);
    if (!(d <= q->radius_km))
        return false;
    *km = d;
    return true;
}

static int push(entries_t *es, const cm__offer_slot_t *s, uint32_t slot, double km)
{
    if (es->n == es->cap) {
        size_t nc = es->cap ? es->cap * 2 : 256;
        cm__sset_entry_t *g = realloc(es->e, nc * sizeof *g);
        if (!g)
            return CM_ENOMEM;
        es->e = g;
        es->cap = nc;
    }
    cm__sset_entry_t *x = &es->e[es->n++];
    x->docid = s->xdoc;
    x->slot = slot;
    x->day = s->day;
    x->km = km;
    x->contract = s->f.contract;
    x->kind = s->kind;
    memcpy(x->rome, s->f.rome_str, sizeof x->rome);
    memcpy(x->dept, s->dept, sizeof x->dept);
    return 0;
}

/* Every open offer passing q's radius and filters (indexed only: with a docid). Caller holds
 * the catalog's lock. */
static int collect(const cm__catalog_t *cat, const cm_search_query_t *q, bool indexed,
                   entries_t *es)
{
    uint32_t r0, r1, c0, c1;
    double km;
    int rc = 0;
    cm__cell_range(q->center, q->radius_km, &r0, &r1, &c0, &c1);
    uint64_t cells = (uint64_t)(r1 - r0 + 1) * (c1 - c0 + 1);
    if (cells > (uint64_t)cat->n_offers * SCAN_CELLS_PER_SLOT + 64) {
        for (uint32_t i = 0; i < cat->n_offers && !rc; i++) {
            const cm__offer_slot_t *s = &cat->offers[i];
            if ((!indexed || s->xdoc) && passes(s, q, &km))
                rc = push(es, s, i, km);
        }
        return rc;
    }
    for (uint32_t row = r0; row <= r1 && !rc; row++)
        for (uint32_t col = c0; col <= c1 && !rc; col++) {
            const cm__bucket_t *b = cm__grid_find(&cat->sgrid, cm__cell_key(0, row, col));
            for (uint32_t j = 0; b && j < b->n && !rc; j++) {
                const cm__offer_slot_t *s = &cat->offers[b->slot[j]];
                if ((!indexed || s->xdoc) && passes(s, q, &km))
                    rc = push(es, s, b->slot[j], km);
            }
        }
    return rc;
}

bool cm__sset_applies(const cm_search_query_t *q)
{
    return q->has_geo && q->radius_km > 0 && isfinite(q->radius_km);
}

static int by_docid(const void *a, const void *b)
{
    uint32_t x = ((const cm__sset_entry_t *)a)->docid, y = ((const cm__sset_entry_t *)b)->docid;
    return (x > y) - (x < y);
}

int cm__sset_build(cm__catalog_t *cat, const cm_search_query_t *q, const char *uuid,
                   cm__sset_t *out, bool *usable)
{
    entries_t es = {0};
    memset(out, 0, sizeof *out);
    *usable = false;
    if (pthread_rwlock_rdlock(&cat->lock) != 0)
        return CM_EINTERNAL;
    int rc = 0;
    if (cat->xready && strcmp(cat->xuuid, uuid) == 0) {
        rc = collect(cat, q, true, &es);
        *usable = rc == 0;
    }
    pthread_rwlock_unlock(&cat->lock);
    if (!rc && *usable) {
        qsort(es.e, es.n, sizeof *es.e, by_docid);
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
    free(es.e);
    return rc;
}

/* ---- the page of a search without text ---- */

typedef struct order {
    const cm__sset_entry_t *e;
    const cm__catalog_t *cat;
    bool distance;
} order_t;

static int rank_cmp(const void *a, const void *b, void *arg)
{
    const order_t *o = arg;
    const cm__sset_entry_t *x = &o->e[*(const uint32_t *)a], *y = &o->e[*(const uint32_t *)b];
    if (o->distance && x->km != y->km)
        return x->km < y->km ? -1 : 1;
    if (!o->distance && x->day != y->day)
        return x->day > y->day ? -1 : 1; /* newest first; CM_DATE_NONE is the smallest */
    if (x->docid != y->docid && x->docid && y->docid)
        return x->docid < y->docid ? -1 : 1;
    return strcmp(o->cat->offers[x->slot].id, o->cat->offers[y->slot].id);
}

int cm__catalog_search_page(cm__catalog_t *cat, const cm_search_query_t *q, cm__search_ids_t *out)
{
    entries_t es = {0};
    uint32_t *idx = NULL;
    memset(out, 0, sizeof *out);
    if (pthread_rwlock_rdlock(&cat->lock) != 0)
        return CM_EINTERNAL;
    int rc = collect(cat, q, false, &es);
    size_t first = q->offset < es.n ? q->offset : es.n;
    size_t n = es.n - first < q->limit ? es.n - first : q->limit;
    if (!rc && es.n && !(idx = malloc(es.n * sizeof *idx)))
        rc = CM_ENOMEM;
    if (!rc && n &&
        (!(out->ids = malloc(n * sizeof *out->ids)) ||
         !(out->scores = calloc(n, sizeof *out->scores))))
        rc = CM_ENOMEM;
    if (!rc && es.n) {
        order_t o = {es.e, cat, q->sort == CM_SORT_DISTANCE};
        for (size_t i = 0; i < es.n; i++)
            idx[i] = (uint32_t)i;
        qsort_r(idx, es.n, sizeof *idx, rank_cmp, &o);
        for (size_t i = 0; i < n; i++) /* copied under the lock: the slot may be reused after */
            memcpy(out->ids[i], cat->offers[es.e[idx[first + i]].slot].id, CM_ID_MAX + 1);
        out->n = n;
    }
    pthread_rwlock_unlock(&cat->lock);
    free(idx);
    out->total = es.n;
    cm__sset_t all = {.e = es.e, .n = es.n};
    if (!rc)
        rc = cm__sset_facets(&all, true, q->facets, out);
    free(es.e);
    if (rc)
        cm__search_ids_free(out);
    return rc;
}
