/* carematch-gen's PRNG: xoshiro256** seeded through splitmix64 (both public domain, by
 * Blackman and Vigna). Each record gets its own stream from (seed, kind, index), so record i is
 * the same bytes whatever the counts asked for. */
#ifndef CAREMATCH_GEN_RNG_H
#define CAREMATCH_GEN_RNG_H

#include <stdint.h>

typedef struct cg_rng {
    uint64_t s[4];
} cg_rng_t;

static inline uint64_t cg_splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static inline void cg_rng_seed(cg_rng_t *r, uint64_t seed, uint64_t kind, uint64_t index)
{
    uint64_t x = seed ^ (kind * 0xd1b54a32d192ed03ull) ^ (index * 0x8cb92ba72f3d8dd7ull);
    for (int i = 0; i < 4; i++)
        r->s[i] = cg_splitmix64(&x);
}

static inline uint64_t cg_rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static inline uint64_t cg_next(cg_rng_t *r)
{
    uint64_t *s = r->s;
    uint64_t result = cg_rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = cg_rotl(s[3], 45);
    return result;
}

/* Uniform in [0, n); n > 0. Lemire's multiply-shift: the bias is below 2^-32 for our n. */
static inline uint32_t cg_below(cg_rng_t *r, uint32_t n)
{
    return (uint32_t)(((cg_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* Uniform double in [0, 1). */
static inline double cg_unit(cg_rng_t *r)
{
    return (double)(cg_next(r) >> 11) * 0x1.0p-53;
}

/* True with probability pct/100. */
static inline int cg_pct(cg_rng_t *r, unsigned pct)
{
    return cg_below(r, 100) < pct;
}

/* Uniform integer in [lo, hi]. */
static inline int cg_range(cg_rng_t *r, int lo, int hi)
{
    return lo + (int)cg_below(r, (uint32_t)(hi - lo + 1));
}

#endif
