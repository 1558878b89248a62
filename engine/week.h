/* The week bitmap's geometry (cm_week_t: 7 days x 48 half-hour slots in 64-bit words), for the
 * record helpers (util.c) and scoring (score.c). Internal to engine/. */
#ifndef CAREMATCH_ENGINE_WEEK_H
#define CAREMATCH_ENGINE_WEEK_H

#include <stdint.h>

#include "carematch/record.h"

#define CM__WEEK_SLOTS_PER_DAY 48 /* half-hours */
#define CM__WEEK_WORDS (sizeof ((cm_week_t *)0)->bits / sizeof(uint64_t))
_Static_assert(7 * CM__WEEK_SLOTS_PER_DAY <= 64 * CM__WEEK_WORDS, "cm_week_t holds a week");

/* Set slot `slot` (0..47) of day `day` (0 = Monday). */
static inline void cm__week_set(cm_week_t *w, int day, int slot)
{
    int bit = day * CM__WEEK_SLOTS_PER_DAY + slot;
    w->bits[bit / 64] |= (uint64_t)1 << (bit % 64);
}

static inline int cm__week_popcount(const cm_week_t *w)
{
    int n = 0;
    for (size_t i = 0; i < CM__WEEK_WORDS; i++)
        n += __builtin_popcountll(w->bits[i]);
    return n;
}

#endif
