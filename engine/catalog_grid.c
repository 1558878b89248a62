/* The catalog's grids (catalog.h): a key -> bucket hash (open addressing) whose buckets hold
 * slots and, beside each, the record's place (cm__gpt_t). Callers hold the catalog's lock. */
#include <stdlib.h>

#include "catalog.h"

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    return x ^ (x >> 33);
}

const cm__bucket_t *cm__grid_find(const cm__grid_t *g, uint64_t key)
{
    if (g->tcap == 0)
        return NULL;
    uint32_t mask = g->tcap - 1;
    for (uint32_t i = (uint32_t)mix64(key) & mask;; i = (i + 1) & mask) {
        uint32_t v = g->table[i];
        if (v == 0)
            return NULL;
        if (g->b[v - 1].key == key)
            return &g->b[v - 1];
    }
}

static int grid_rehash(cm__grid_t *g, uint32_t ncap)
{
    uint32_t *nt = calloc(ncap, sizeof *nt);
    if (!nt)
        return CM_ENOMEM;
    for (uint32_t k = 0; k < g->nb; k++) {
        uint32_t i = (uint32_t)mix64(g->b[k].key) & (ncap - 1);
        while (nt[i])
            i = (i + 1) & (ncap - 1);
        nt[i] = k + 1;
    }
    free(g->table);
    g->table = nt;
    g->tcap = ncap;
    return 0;
}

/* The bucket of key, created empty when absent; NULL: out of memory. */
static cm__bucket_t *grid_bucket(cm__grid_t *g, uint64_t key)
{
    cm__bucket_t *b = (cm__bucket_t *)cm__grid_find(g, key);
    if (b)
        return b;
    if ((g->nb + 1) * 2 > g->tcap && grid_rehash(g, g->tcap ? g->tcap * 2 : 1024))
        return NULL;
    if (g->nb == g->cap_b) {
        uint32_t nc = g->cap_b ? g->cap_b * 2 : 256;
        cm__bucket_t *nb = realloc(g->b, nc * sizeof *nb);
        if (!nb)
            return NULL;
        g->b = nb;
        g->cap_b = nc;
    }
    b = &g->b[g->nb];
    *b = (cm__bucket_t){key, NULL, NULL, 0, 0};
    uint32_t mask = g->tcap - 1, i = (uint32_t)mix64(key) & mask;
    while (g->table[i])
        i = (i + 1) & mask;
    g->table[i] = ++g->nb;
    return b;
}

/* The bucket of key with room for one more slot (a later append cannot fail); NULL: out of
 * memory. An empty bucket left by a failed write is harmless. */
static cm__bucket_t *grid_room(cm__grid_t *g, uint64_t key)
{
    cm__bucket_t *b = grid_bucket(g, key);
    if (b && b->n == b->cap) {
        uint32_t nc = b->cap ? b->cap * 2 : 4;
        uint32_t *ns = realloc(b->slot, nc * sizeof *ns);
        if (ns)
            b->slot = ns; /* larger than cap until both have grown: harmless */
        cm__gpt_t *np = ns ? realloc(b->pt, nc * sizeof *np) : NULL;
        if (!np)
            return NULL;
        b->pt = np;
        b->cap = nc;
    }
    return b;
}

int cm__grid_reserve(cm__grid_t *g, uint64_t key)
{
    return grid_room(g, key) ? 0 : CM_ENOMEM;
}

int cm__grid_add(cm__grid_t *g, uint64_t key, uint32_t slot, cm__gpt_t pt)
{
    cm__bucket_t *b = grid_room(g, key);
    if (!b)
        return CM_ENOMEM;
    b->pt[b->n] = pt;
    b->slot[b->n++] = slot;
    return 0;
}

/* Linear in the bucket's size: a cell's list for one ROME stays in the thousands at most. */
void cm__grid_remove(cm__grid_t *g, uint64_t key, uint32_t slot)
{
    cm__bucket_t *b = (cm__bucket_t *)cm__grid_find(g, key);
    if (!b)
        return;
    for (uint32_t i = 0; i < b->n; i++) {
        if (b->slot[i] == slot) {
            b->slot[i] = b->slot[--b->n];
            b->pt[i] = b->pt[b->n];
            return;
        }
    }
}

void cm__grid_free(cm__grid_t *g)
{
    for (uint32_t k = 0; k < g->nb; k++) {
        free(g->b[k].slot);
        free(g->b[k].pt);
    }
    free(g->b);
    free(g->table);
}
