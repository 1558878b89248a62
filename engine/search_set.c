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

/* The entry of docid (s->n when absent). Xapian's matcher visits documents in ascending
 * docid order: the search goes on from the last entry found (a gallop ahead), and back to a
 * whole binary search if ever it does not. */
static size_t find(cm__sset_t *s, unsigned docid)
{
    size_t lo = 0, hi = s->n;
    if (s->cursor < s->n && s->docids[s->cursor] <= docid) {
        lo = s->cursor;
        size_t step = 1;
        while (lo + step < s->n && s->docids[lo + step] <= docid) {
            lo += step;
            step *= 2;
        }
        hi = lo + step < s->n ? lo + step + 1 : s->n;
    }
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->docids[mid] < docid)
            lo = mid + 1;
        else
            hi = mid;
    }
    s->cursor = lo;
    return lo < s->n && s->docids[lo] == docid ? lo : s->n;
}

int cm__sset_accept(void *arg, unsigned docid)
{
    cm__sset_t *s = arg;
    size_t i = find(s, docid);
    if (i < s->n && !s->mark[i]) {
        s->mark[i] = 1;
        s->n_marked++;
    }
    return 1;
}

double cm__sset_day(void *arg, unsigned docid, int *has)
{
    cm__sset_t *s = arg;
    size_t i = find(s, docid);
    *has = i < s->n && s->e[i].day != CM_DATE_NONE;
    return *has ? (double)s->e[i].day : 0.0;
}

/* ---- facets ---- */

/* Counts by integer key (open addressing; key 0 is "no value", never counted). */
typedef struct counter {
    uint32_t *key, *count;
    size_t n, cap; /* cap: a power of two */
} counter_t;

static int counter_grow(counter_t *c)
{
    size_t nc = c->cap ? c->cap * 2 : 64;
    uint32_t *k = calloc(nc, sizeof *k), *v = calloc(nc, sizeof *v);
    if (!k || !v) {
        free(k);
        free(v);
        return CM_ENOMEM;
    }
    for (size_t i = 0; i < c->cap; i++) {
        if (!c->key[i])
            continue;
        size_t j = (c->key[i] * 2654435761u) & (nc - 1);
        while (k[j])
            j = (j + 1) & (nc - 1);
        k[j] = c->key[i];
        v[j] = c->count[i];
    }
    free(c->key);
    free(c->count);
    c->key = k;
    c->count = v;
    c->cap = nc;
    return 0;
}

static int count(counter_t *c, uint32_t key)
{
    if (key == 0)
        return 0; /* no value: not counted (as Xapian's spies did) */
    if ((c->n + 1) * 2 > c->cap && counter_grow(c))
        return CM_ENOMEM;
    size_t j = (key * 2654435761u) & (c->cap - 1);
    while (c->key[j] && c->key[j] != key)
        j = (j + 1) & (c->cap - 1);
    if (!c->key[j]) {
        c->key[j] = key;
        c->n++;
    }
    c->count[j]++;
    return 0;
}

static int by_count(const void *a, const void *b)
{
    const cm_facet_value_t *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return strcmp(x->value, y->value);
}

/* The facet's key of an entry: +1 on enums so that value 0 of an enum still counts. */
static uint32_t facet_key(const cm__sset_entry_t *x, int f)
{
    switch (f) {
    case CM_FACET_ROME:
        return x->rome;
    case CM_FACET_CONTRACT:
        return (uint32_t)x->contract + 1;
    case CM_FACET_EMPLOYER_KIND:
        return x->kind; /* CM_EMPLOYER_UNSET (0) has no value */
    default:
        return x->dept;
    }
}

static void facet_name(int f, uint32_t key, char out[24])
{
    switch (f) {
    case CM_FACET_ROME:
        snprintf(out, 24, "%c%04u", (char)('A' + key / 10000 - 1), key % 10000);
        break;
    case CM_FACET_CONTRACT:
        snprintf(out, 24, "%s", cm_contract_name((cm_contract_t)(key - 1)));
        break;
    case CM_FACET_EMPLOYER_KIND:
        snprintf(out, 24, "%s", cm_employer_kind_name((cm_employer_kind_t)key));
        break;
    default:
        cm__dept_unpack(key, out);
    }
}

/* One facet's counts as values sorted by count (then value) into out. */
static int facet_out(int f, counter_t *c, cm__search_ids_t *out)
{
    cm_facet_value_t *v = NULL;
    if (c->n && !(v = malloc(c->n * sizeof *v)))
        return CM_ENOMEM;
    size_t n = 0;
    for (size_t j = 0; j < c->cap; j++)
        if (c->key[j]) {
            facet_name(f, c->key[j], v[n].value);
            v[n++].count = c->count[j];
        }
    if (n > 1)
        qsort(v, n, sizeof *v, by_count);
    free(out->facets[f]);
    out->facets[f] = v;
    out->n_facets[f] = n;
    return 0;
}

/* One pass over the entries for every facet asked for (a dense area's set is tens of
 * thousands of entries: each is read once). */
int cm__sset_facets(const cm__sset_t *s, bool all, unsigned facets, cm__search_ids_t *out)
{
    counter_t c[CM_FACET__COUNT];
    int fs[CM_FACET__COUNT], nf = 0, rc = 0;
    memset(c, 0, sizeof c);
    for (int f = 0; f < CM_FACET__COUNT; f++)
        if (facets & (1u << f))
            fs[nf++] = f;
    for (size_t i = 0; i < s->n && !rc && nf; i++)
        if (all || s->mark[i])
            for (int k = 0; k < nf && !rc; k++)
                rc = count(&c[fs[k]], facet_key(&s->e[i], fs[k]));
    for (int k = 0; k < nf && !rc; k++)
        rc = facet_out(fs[k], &c[fs[k]], out);
    for (int f = 0; f < CM_FACET__COUNT; f++) {
        free(c[f].key);
        free(c[f].count);
    }
    return rc;
}
