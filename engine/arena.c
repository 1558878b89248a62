/* Bump arena: chunks in a singly linked list, allocations carved from the newest chunk. */
#include "arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_ALIGN alignof(max_align_t)
#define ARENA_MIN_CHUNK 1024u

typedef struct chunk {
    struct chunk *next;
    size_t size; /* usable bytes in data[] */
    size_t used;
    alignas(max_align_t) unsigned char data[];
} chunk_t;

struct cm__arena {
    chunk_t *head;
    size_t next_size; /* usable size of the next chunk to allocate */
    size_t used;
};

static chunk_t *chunk_new(size_t size)
{
    if (size > SIZE_MAX - sizeof(chunk_t))
        return NULL;
    chunk_t *c = malloc(sizeof(chunk_t) + size);
    if (!c)
        return NULL;
    c->next = NULL;
    c->size = size;
    c->used = 0;
    return c;
}

cm__arena_t *cm__arena_create(size_t hint)
{
    cm__arena_t *a = malloc(sizeof *a);
    if (!a)
        return NULL;
    a->head = NULL;
    a->used = 0;
    a->next_size = hint < ARENA_MIN_CHUNK ? ARENA_MIN_CHUNK : hint;
    return a;
}

void cm__arena_destroy(cm__arena_t *a)
{
    if (!a)
        return;
    chunk_t *c = a->head;
    while (c) {
        chunk_t *next = c->next;
        free(c);
        c = next;
    }
    free(a);
}

void *cm__arena_alloc(cm__arena_t *a, size_t size)
{
    if (size > SIZE_MAX / 2)
        return NULL;
    size_t rounded = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    if (rounded == 0)
        rounded = ARENA_ALIGN;
    chunk_t *c = a->head;
    if (!c || c->size - c->used < rounded) {
        size_t want = a->next_size;
        if (want < rounded)
            want = rounded;
        chunk_t *n = chunk_new(want);
        if (!n)
            return NULL;
        /* Geometric growth keeps the chunk count logarithmic in the total size. */
        if (a->next_size <= SIZE_MAX / 4)
            a->next_size *= 2;
        if (c && c->size - c->used >= n->size - rounded) {
            /* The old chunk still has more room than the new one will: keep it in front. */
            n->next = c->next;
            c->next = n;
            n->used = rounded;
            a->used += rounded;
            memset(n->data, 0, rounded);
            return n->data;
        }
        n->next = c;
        a->head = n;
        c = n;
    }
    void *p = c->data + c->used;
    c->used += rounded;
    a->used += rounded;
    memset(p, 0, rounded);
    return p;
}

void *cm__arena_calloc(cm__arena_t *a, size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size)
        return NULL;
    return cm__arena_alloc(a, n * size);
}

char *cm__arena_strndup(cm__arena_t *a, const char *s, size_t n)
{
    if (n == SIZE_MAX)
        return NULL;
    char *p = cm__arena_alloc(a, n + 1);
    if (!p)
        return NULL;
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

size_t cm__arena_used(const cm__arena_t *a)
{
    return a->used;
}
