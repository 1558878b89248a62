/* cm__sort_u32 (engine/sort_u32.h) against qsort: random arrays of every length up to 600,
 * with few distinct values (many repeats), all equal, sorted, reversed and organ-pipe. */
#include <stdlib.h>
#include <string.h>

#include "sort_u32.h"
#include "test.h"

static int cmp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static void check(uint32_t *a, size_t n)
{
    uint32_t *want = malloc((n + 1) * sizeof *want);
    ASSERT(want != NULL);
    memcpy(want, a, n * sizeof *a);
    qsort(want, n, sizeof *want, cmp);
    cm__sort_u32(a, n);
    if (n && memcmp(a, want, n * sizeof *a) != 0)
        CM_FAIL_("sort of %zu values differs from qsort", n);
    free(want);
}

int main(void)
{
    static uint32_t a[600];
    uint64_t s = 42;
    for (size_t n = 0; n <= 600; n++) {
        for (int kind = 0; kind < 7; kind++) {
            for (size_t i = 0; i < n; i++) {
                s = s * 6364136223846793005ull + 1442695040888963407ull;
                uint32_t r = (uint32_t)(s >> 33);
                a[i] = kind == 0   ? r
                       : kind == 1 ? r % 3
                       : kind == 2 ? 7u
                       : kind == 3 ? (uint32_t)i
                       : kind == 4 ? (uint32_t)(n - i)
                       : kind == 5 ? (uint32_t)(i < n / 2 ? i : n - i)
                                   : (r & 1 ? UINT32_MAX : 0);
            }
            check(a, n);
        }
    }
    puts("test_sort: ok");
    return 0;
}
