/* A bump arena (h2o mem-pool style): many small allocations released at once.
 * Records keep all their strings and arrays in one; request handlers may use one per request.
 *
 * Ownership: memory from cm__arena_alloc / cm__arena_strndup belongs to the arena and stays
 * valid until cm__arena_destroy (there is no per-allocation free). Not thread-safe: one
 * thread at a time per arena. Allocation failure returns NULL (never aborts).
 */
#ifndef CAREMATCH_ENGINE_ARENA_H
#define CAREMATCH_ENGINE_ARENA_H

#include <stddef.h>

typedef struct cm__arena cm__arena_t;

/* Create an arena whose first chunk holds about `hint` bytes (0 = 1 KiB); further chunks
 * grow geometrically. Owned by the caller; free with cm__arena_destroy. NULL on ENOMEM. */
cm__arena_t *cm__arena_create(size_t hint);

/* Release every chunk and the arena itself. NULL is a no-op. */
void cm__arena_destroy(cm__arena_t *a);

/* `size` bytes aligned for any type, zero-filled. size 0 returns a valid unique-ish pointer.
 * NULL on out-of-memory or size overflow. */
void *cm__arena_alloc(cm__arena_t *a, size_t size);

/* `n` elements of `size` bytes, zero-filled, with the multiplication overflow-checked. */
void *cm__arena_calloc(cm__arena_t *a, size_t n, size_t size);

/* Copy of s[0..n) plus a terminating NUL. NULL on out-of-memory. */
char *cm__arena_strndup(cm__arena_t *a, const char *s, size_t n);

/* Total bytes handed out so far (for tests and metrics). */
size_t cm__arena_used(const cm__arena_t *a);

#endif
