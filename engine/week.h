/* The week bitmap's geometry (cm_week_t: 7 days x 48 half-hour slots in 64-bit words), for the
 * record helpers (util.c) and scoring (score.c, and its shifts' reading in week.c). Internal to
 * engine/. */
#ifndef CAREMATCH_ENGINE_WEEK_H
#define CAREMATCH_ENGINE_WEEK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "carematch/record.h"

#define CM__WEEK_SLOTS_PER_DAY 48 /* half-hours */
#define CM__WEEK_SLOTS (7 * CM__WEEK_SLOTS_PER_DAY) /* 336, a circular week */
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

/* The slots a and b share. */
static inline int cm__week_and_count(const cm_week_t *a, const cm_week_t *b)
{
    int n = 0;
    for (size_t i = 0; i < CM__WEEK_WORDS; i++)
        n += cm__pop64(a->bits[i] & b->bits[i]);
    return n;
}

/* Slot i of the circular week (any i: -1 is Sunday 23:30). */
static inline bool cm__week_slot_on(const cm_week_t *w, int i)
{
    i = (i % CM__WEEK_SLOTS + CM__WEEK_SLOTS) % CM__WEEK_SLOTS;
    return (w->bits[i / 64] >> (i % 64)) & 1;
}

/* Day d's 48 half-hour slots of w as the low bits of a word. */
static inline uint64_t cm__week_day(const cm_week_t *w, int d)
{
    int bit = d * CM__WEEK_SLOTS_PER_DAY, i = bit / 64, sh = bit % 64;
    uint64_t v = w->bits[i] >> sh;
    if (sh > 64 - CM__WEEK_SLOTS_PER_DAY && i + 1 < (int)CM__WEEK_WORDS)
        v |= w->bits[i + 1] << (64 - sh);
    return v & ((1ull << CM__WEEK_SLOTS_PER_DAY) - 1);
}

/* Does a shift of w (a run of slots) start on day d (0 = Monday), not only run on from the
 * day before? (week.c) */
bool cm__week_shift_starts(const cm_week_t *w, int d);
/* The offer's shifts (ow) against a solo parent's availability (cw): the largest overrun
 * before the first available run a shift meets and after the last, in minutes, and the days
 * of the shifts' starts where they fall (ORed into *_days; *early and *late only rise).
 * (week.c) */
void cm__week_overruns(const cm_week_t *ow, const cm_week_t *cw, int *early, uint8_t *early_days,
                       int *late, uint8_t *late_days);
/* w's runs widened by k slots on each side, on the circular week (a shift and the journeys
 * to and from it). (week.c) */
void cm__week_widen(const cm_week_t *w, int k, cm_week_t *out);

#endif
