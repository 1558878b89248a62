/* The first k of a stream in a caller's order, kept in a bounded max-heap (the root is the
 * last kept, replaced by anything ranking before it): a page over tens of thousands of
 * records sorts a handful. Shared by offer search without words (catalog_search.c) and
 * candidate search (cand_search.c). */
#ifndef CAREMATCH_ENGINE_TOPK_H
#define CAREMATCH_ENGINE_TOPK_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* Does element x rank before element y? */
typedef bool (*cm__before_fn)(const void *x, const void *y, void *ctx);

#define CM__TOPK_ELEM_MAX 32 /* bytes of one element */

/* Offer x (size bytes, at most CM__TOPK_ELEM_MAX) to the heap h of *n elements, cap at most. */
static inline void cm__topk_offer(void *h, size_t *n, size_t cap, size_t size, const void *x,
                                  cm__before_fn before, void *ctx)
{
    char *a = h;
    size_t i;
#define CM__AT(k) (a + (k)*size)
    if (*n < cap) {
        for (i = (*n)++; i > 0 && before(CM__AT((i - 1) / 2), x, ctx); i = (i - 1) / 2)
            memcpy(CM__AT(i), CM__AT((i - 1) / 2), size);
        memcpy(CM__AT(i), x, size);
        return;
    }
    if (cap == 0 || !before(x, a, ctx))
        return;
    for (i = 0;;) {
        size_t l = 2 * i + 1, r = l + 1, w = i;
        const void *wv = x;
        if (l < *n && before(wv, CM__AT(l), ctx))
            w = l, wv = CM__AT(l);
        if (r < *n && before(wv, CM__AT(r), ctx))
            w = r;
        if (w == i)
            break;
        memcpy(CM__AT(i), CM__AT(w), size);
        i = w;
    }
    memcpy(CM__AT(i), x, size);
#undef CM__AT
}

#endif
