/* The week bitmap's geometry (cm_week_t: 7 days x 48 half-hour slots in 64-bit words), for the
 * record helpers (util.c) and scoring (score.c). Internal to engine/. */
#ifndef CAREMATCH_ENGINE_WEEK_H
#define CAREMATCH_ENGINE_WEEK_H

#include <stdint.h>

#include "carematch/record.h"

#define CM__WEEK_SLOTS_PER_DAY 48 /* half-hours */
#define CM__WEEK_WORDS (sizeof((cm_week_t *)0)->bits / sizeof(uint64_t))
_Static_assert(7 * CM__WEEK_SLOTS_PER_DAY <= 64 * CM__WEEK_WORDS, "cm_week_t holds a week");

/* Set slot `slot` (0..47) of day `day` (0 = Monday). */
static inline void cm__week_set(cm_week_t *w, int day, int slot)
{
    int bit = day * CM__WEEK_SLOTS_PER_DAY + slot;
    w->bits[bit / 64] |= (uint64_t)1 << (bit % 64);
}

/* Popcount of a word: the instruction where the build targets it, else a few shifts and
 * adds inline (the portable builtin is a call into libgcc, and scoring counts a week's six
 * words for every pair). */
static inline int cm__pop64(uint64_t x)
{
#ifdef __POPCNT__
    return __builtin_popcountll(x);
#else
    x = x - ((x >> 1) & 0x5555555555555555ull);
    x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
    return (int)((x * 0x0101010101010101ull) >> 56);
#endif
}

static inline int cm__week_popcount(const cm_week_t *w)
{
    int n = 0;
    for (size_t i = 0; i < CM__WEEK_WORDS; i++)
        n += cm__pop64(w->bits[i]);
    return n;
}

#endif
