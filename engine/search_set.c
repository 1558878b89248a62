/* The search set's side that Xapian sees (search_set.h): marking what the text kept, and the
 * facets of the marked offers. No catalog here: the set is a copy. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "search_set.h"

void cm__sset_free(cm__sset_t *s)
{
    if (!s)
        return;
    free(s->e);
    free(s->docids);
    free(s->mark);
    memset(s, 0, sizeof *s);
}

int cm__sset_accept(void *arg, unsigned docid)
{
    cm__sset_t *s = arg;
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->docids[mid] < docid)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < s->n && s->docids[lo] == docid && !s->mark[lo]) {
        s->mark[lo] = 1;
        s->n_marked++;
    }
    return 1;
}

/* ---- facets ---- */

typedef struct counter {
    cm_facet_value_t *v;
    size_t n, cap;
} counter_t;

static int count(counter_t *c, const char *value)
{
    if (!value || !*value)
        return 0;                     /* no value: not counted (as Xapian's spies did) */
    for (size_t i = 0; i < c->n; i++) /* few distinct values per facet in one area */
        if (strcmp(c->v[i].value, value) == 0) {
            c->v[i].count++;
            return 0;
        }
    if (c->n == c->cap) {
        size_t nc = c->cap ? c->cap * 2 : 16;
        cm_facet_value_t *g = realloc(c->v, nc * sizeof *g);
        if (!g)
            return CM_ENOMEM;
        c->v = g;
        c->cap = nc;
    }
    snprintf(c->v[c->n].value, sizeof c->v[c->n].value, "%s", value);
    c->v[c->n++].count = 1;
    return 0;
}

static int by_count(const void *a, const void *b)
{
    const cm_facet_value_t *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return strcmp(x->value, y->value);
}

static const char *facet_value(const cm__sset_entry_t *x, int f)
{
    switch (f) {
    case CM_FACET_ROME:
        return x->rome;
    case CM_FACET_CONTRACT:
        return cm_contract_name((cm_contract_t)x->contract);
    case CM_FACET_EMPLOYER_KIND:
        return x->kind ? cm_employer_kind_name((cm_employer_kind_t)x->kind) : NULL;
    default:
        return x->dept;
    }
}

int cm__sset_facets(const cm__sset_t *s, bool all, unsigned facets, cm__search_ids_t *out)
{
    for (int f = 0; f < CM_FACET__COUNT; f++) {
        if (!(facets & (1u << f)))
            continue;
        /* The most frequent values first: ROME codes and départements of a dense area are a
         * few dozen, so the linear look-up stays short. */
        counter_t c = {0};
        for (size_t i = 0; i < s->n; i++)
            if ((all || s->mark[i]) && count(&c, facet_value(&s->e[i], f))) {
                free(c.v);
                return CM_ENOMEM;
            }
        if (c.n > 1)
            qsort(c.v, c.n, sizeof *c.v, by_count);
        free(out->facets[f]);
        out->facets[f] = c.v;
        out->n_facets[f] = c.n;
    }
    return 0;
}
