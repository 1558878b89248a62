/* A growable byte string, always NUL-ended (http.c: a request's target, header names and
 * values, bytes received after a paused message). */
#ifndef SRV_BYTEBUF_H
#define SRV_BYTEBUF_H

#include <stdlib.h>
#include <string.h>

typedef struct sbuf {
    char *p;
    size_t len, cap;
} sbuf_t;

/* Append n bytes. 0, or -1 when out of memory (b unchanged). */
static inline int sbuf_add(sbuf_t *b, const char *p, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t ncap = b->cap ? b->cap : 256;
        while (ncap < b->len + n + 1)
            ncap *= 2;
        char *np = realloc(b->p, ncap);
        if (!np)
            return -1;
        b->p = np;
        b->cap = ncap;
    }
    memcpy(b->p + b->len, p, n);
    b->len += n;
    b->p[b->len] = '\0';
    return 0;
}

static inline void sbuf_free(sbuf_t *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

#endif
