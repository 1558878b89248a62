/* Sorted arrays of 32-bit hashes: sorting in place, ascending, without qsort's call per comparison:
 * a record's text signature (dozens to hundreds of stems) and its skill and certification
 * sets are sorted at every write and at every record of a catalog rebuild, where qsort was 8 %
 * of the time. Insertion sort on short runs, else quicksort on the median of three, recursing
 * on the smaller side (depth at most log2 n). */
#ifndef CM_SORT_U32_H
#define CM_SORT_U32_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

static inline void cm__sort_u32(uint32_t *a, size_t n)
{
    while (n > 16) {
        uint32_t x = a[0], y = a[n / 2], z = a[n - 1]; /* median of three as the pivot */
        uint32_t p = x < y ? (y < z ? y : x < z ? z : x) : (x < z ? x : y < z ? z : y);
        size_t i = 0, j = n - 1;
        for (;;) { /* Hoare: a[0..j] <= p <= a[j+1..n) */
            while (a[i] < p)
                i++;
            while (a[j] > p)
                j--;
            if (i >= j)
                break;
            uint32_t t = a[i];
            a[i++] = a[j];
            a[j--] = t;
        }
        size_t left = j + 1;
        if (left < n - left) {
            cm__sort_u32(a, left);
            a += left;
            n -= left;
        } else {
            cm__sort_u32(a + left, n - left);
            n = left;
        }
    }
    for (size_t i = 1; i < n; i++) {
        uint32_t v = a[i];
        size_t k = i;
        for (; k > 0 && a[k - 1] > v; k--)
            a[k] = a[k - 1];
        a[k] = v;
    }
}

/* Sorts a[0, n) and drops the repeats; returns how many values are left. */
static inline size_t cm__sort_unique_u32(uint32_t *a, size_t n)
{
    cm__sort_u32(a, n);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (k == 0 || a[k - 1] != a[i])
            a[k++] = a[i];
    return k;
}

/* Whether the sorted a[0, n) holds h (binary search). */
static inline bool cm__has_u32(const uint32_t *a, size_t n, uint32_t h)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (a[mid] < h)
            lo = mid + 1;
        else if (a[mid] > h)
            hi = mid;
        else
            return true;
    }
    return false;
}

#endif
