/* The shifts of the circular week (week.h): where they start, and a solo parent's overruns
 * against her availability, read a word at a time. Scoring's (score.c). */
#include <stdbool.h>
#include <stdint.h>

#include "week.h"

/* Does a shift start on day d (not only run on from the day before)? The day's row against
 * itself shifted by one slot, with the slot before the day (the circular week's). */
bool cm__week_shift_starts(const cm_week_t *w, int d)
{
    uint64_t row = cm__week_day(w, d), before = cm__week_slot_on(w, d * CM__WEEK_SLOTS_PER_DAY - 1);
    return (row & ~(row << 1 | before)) != 0;
}

/* The 64 slots of the circular week from slot i (any i: Sunday night runs into Monday), slot i
 * in bit 0: a run's ends are found a word at a time (scoring reads the shifts of every pair it
 * scores for a solo parent: a slot at a time, that was half of a dense area's match). */
static inline uint64_t win(const cm_week_t *w, int i)
{
    i = (i % CM__WEEK_SLOTS + CM__WEEK_SLOTS) % CM__WEEK_SLOTS;
    int q = i / 64, r = i % 64;
    uint64_t v = w->bits[q] >> r;
    if (r && q + 1 < (int)CM__WEEK_WORDS)
        v |= w->bits[q + 1] << (64 - r);
    if (i > CM__WEEK_SLOTS - 64) /* past Sunday's last slot: Monday's first */
        v = (v & ((1ull << (CM__WEEK_SLOTS - i)) - 1)) | w->bits[0] << (CM__WEEK_SLOTS - i);
    return v;
}

/* The first slot in [i, lim) that is `on` (set or clear), else lim. */
static int next_eq(const cm_week_t *u, int i, int lim, bool on)
{
    for (; i < lim; i += 64) {
        uint64_t x = on ? win(u, i) : ~win(u, i);
        if (lim - i < 64)
            x &= (1ull << (lim - i)) - 1;
        if (x)
            return i + __builtin_ctzll(x);
    }
    return lim;
}

/* The last slot in [lo, i] that is `on`, else lo - 1. */
static int prev_eq(const cm_week_t *u, int i, int lo, bool on)
{
    for (; i >= lo; i -= 64) {
        uint64_t x = on ? win(u, i - 63) : ~win(u, i - 63); /* slot i in bit 63 */
        if (i - lo + 1 < 64)
            x &= ~0ull << (64 - (i - lo + 1));
        if (x)
            return i - __builtin_clzll(x);
    }
    return lo - 1;
}

/* A solo parent's day starts when care opens and ends when it closes: for each shift of the
 * offer (a run of slots, across midnight too) that meets her availability, the half-hours
 * before the first available one and after the last are the overruns. The largest of each,
 * in minutes, and the days (of the shift's start) where they fall. A shift that meets no
 * availability at all is the coverage's business; a gap inside a shift too.
 * So an early overrun is the run of unavailable slots a shift starts with, when an available
 * one ends it; a late one the run a shift ends with, when an available one comes before it:
 * only the shifts that start or end unavailable are looked at, a word at a time. */
void cm__week_overruns(const cm_week_t *ow, const cm_week_t *cw, int *early, uint8_t *early_days,
                       int *late, uint8_t *late_days)
{
    cm_week_t o, u; /* the offer's slots (none past the week), those unavailable */
    for (size_t k = 0; k < CM__WEEK_WORDS; k++) {
        int left = CM__WEEK_SLOTS - (int)k * 64;
        o.bits[k] = left <= 0 ? 0 : left < 64 ? ow->bits[k] & ((1ull << left) - 1) : ow->bits[k];
        u.bits[k] = o.bits[k] & ~cw->bits[k];
    }
    for (int base = 0; base < CM__WEEK_SLOTS; base += 64) {
        uint64_t x = o.bits[base / 64], uw = u.bits[base / 64];
        uint64_t first = x & ~win(&o, base - 1), last = x & ~win(&o, base + 1);
        for (uint64_t st = first & uw; st; st &= st - 1) { /* shifts that start unavailable */
            int s = base + __builtin_ctzll(st);
            int r = next_eq(&u, s, s + CM__WEEK_SLOTS, false);
            if (!cm__week_slot_on(&o, r))
                continue; /* the shift ended: none of it available */
            *early_days |= (uint8_t)(1u << (s / CM__WEEK_SLOTS_PER_DAY));
            if ((r - s) * 30 > *early)
                *early = (r - s) * 30;
        }
        for (uint64_t en = last & uw; en; en &= en - 1) { /* shifts that end unavailable */
            int t = base + __builtin_ctzll(en);
            int q = prev_eq(&u, t, t - CM__WEEK_SLOTS + 1, false);
            if (!cm__week_slot_on(&o, q))
                continue;
            int s = prev_eq(&o, q, q - CM__WEEK_SLOTS + 1, false) + 1; /* the shift's start */
            s = (s % CM__WEEK_SLOTS + CM__WEEK_SLOTS) % CM__WEEK_SLOTS;
            *late_days |= (uint8_t)(1u << (s / CM__WEEK_SLOTS_PER_DAY));
            if ((t - q) * 30 > *late)
                *late = (t - q) * 30;
        }
    }
}

/* One slot later (up) or earlier (down) on the circular week of CM__WEEK_SLOTS slots: a
 * shift of the words, the slot that leaves one end coming back at the other (scoring calls
 * it for every pair of a solo parent with a commute: words, not a walk over 336 slots). */
static void rotate1(const cm_week_t *w, bool up, cm_week_t *out)
{
    const int last = CM__WEEK_SLOTS - 1;
    bool wrap = cm__week_slot_on(w, up ? last : 0);
    cm_week_t r;
    for (size_t j = 0; j < CM__WEEK_WORDS; j++)
        r.bits[j] = up ? w->bits[j] << 1 | (j ? w->bits[j - 1] >> 63 : 0)
                       : w->bits[j] >> 1 | (j + 1 < CM__WEEK_WORDS ? w->bits[j + 1] << 63 : 0);
    size_t top = (size_t)CM__WEEK_SLOTS / 64; /* no slot past the week */
    if (top < CM__WEEK_WORDS)
        r.bits[top] &= (1ull << (CM__WEEK_SLOTS % 64)) - 1;
    for (size_t j = top + 1; j < CM__WEEK_WORDS; j++)
        r.bits[j] = 0;
    if (wrap) {
        int t = up ? 0 : last;
        r.bits[t / 64] |= 1ull << (t % 64);
    }
    *out = r;
}

void cm__week_widen(const cm_week_t *w, int k, cm_week_t *out)
{
    cm_week_t acc = *w, up = *w, down = *w;
    for (int i = 0; i < k && i < CM__WEEK_SLOTS; i++) {
        rotate1(&up, true, &up);
        rotate1(&down, false, &down);
        for (size_t j = 0; j < CM__WEEK_WORDS; j++)
            acc.bits[j] |= up.bits[j] | down.bits[j];
    }
    *out = acc;
}
