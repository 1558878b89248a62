/* The week's shifts read a word at a time (score.c: cm__week_shift_starts, cm__week_overruns)
 * against the plain reading, one half-hour at a time on the circular week, kept here as the
 * reference: hand-made weeks (runs across Sunday midnight, round the clock, a slot alone, the
 * last slot), then random ones. */
#include <stdlib.h>
#include <string.h>

#include "score.h"
#include "test.h"
#include "week.h"

#define SLOTS (7 * CM__WEEK_SLOTS_PER_DAY)

static bool on(const cm_week_t *w, int i)
{
    i = (i % SLOTS + SLOTS) % SLOTS;
    return (w->bits[i / 64] >> (i % 64)) & 1;
}

static bool ref_starts(const cm_week_t *w, int d)
{
    for (int i = d * CM__WEEK_SLOTS_PER_DAY; i < (d + 1) * CM__WEEK_SLOTS_PER_DAY; i++)
        if (on(w, i) && !on(w, i - 1))
            return true;
    return false;
}

static void ref_overruns(const cm_week_t *ow, const cm_week_t *cw, int *early, uint8_t *early_days,
                         int *late, uint8_t *late_days)
{
    for (int s = 0; s < SLOTS; s++) {
        if (!on(ow, s) || on(ow, s - 1))
            continue;
        int e = s;
        while (e - s < SLOTS && on(ow, e))
            e++;
        if (e - s >= SLOTS)
            return;
        int a = s;
        while (a < e && !on(cw, a))
            a++;
        if (a == e)
            continue;
        int as = a;
        while (as > a - SLOTS && on(cw, as - 1))
            as--;
        int z = e - 1;
        while (z > a && !on(cw, z))
            z--;
        int ae = z + 1;
        while (ae < z + SLOTS && on(cw, ae))
            ae++;
        uint8_t day = (uint8_t)(1u << (s / CM__WEEK_SLOTS_PER_DAY));
        if (as > s) {
            *early_days |= day;
            if ((as - s) * 30 > *early)
                *early = (as - s) * 30;
        }
        if (ae < e) {
            *late_days |= day;
            if ((e - ae) * 30 > *late)
                *late = (e - ae) * 30;
        }
    }
}

static void set_run(cm_week_t *w, int from, int n) /* slots from .. from + n - 1, circular */
{
    for (int i = from; i < from + n; i++) {
        int k = (i % SLOTS + SLOTS) % SLOTS;
        w->bits[k / 64] |= 1ull << (k % 64);
    }
}

static int checked;

static void same(const cm_week_t *ow, const cm_week_t *cw)
{
    for (int d = 0; d < 7; d++) {
        ASSERT_EQ(cm__week_shift_starts(ow, d), ref_starts(ow, d));
        ASSERT_EQ(cm__week_shift_starts(cw, d), ref_starts(cw, d));
    }
    int e1 = 0, l1 = 0, e2 = 0, l2 = 0;
    uint8_t ed1 = 0, ld1 = 0, ed2 = 0, ld2 = 0;
    cm__week_overruns(ow, cw, &e1, &ed1, &l1, &ld1);
    ref_overruns(ow, cw, &e2, &ed2, &l2, &ld2);
    ASSERT_EQ(e1, e2);
    ASSERT_EQ(ed1, ed2);
    ASSERT_EQ(l1, l2);
    ASSERT_EQ(ld1, ld2);
    /* scoring asks only when some of the offer's slots are available and some are not */
    int inside = 0, outside = 0;
    for (int i = 0; i < SLOTS; i++) {
        inside += on(ow, i) && on(cw, i);
        outside += on(ow, i) && !on(cw, i);
    }
    if (inside == 0 || outside == 0)
        ASSERT(e1 == 0 && l1 == 0 && ed1 == 0 && ld1 == 0);
    checked++;
}

/* An offer 07:00-15:00 every day, a parent 08:30-16:30 on weekdays: early overruns of 90
 * minutes on weekdays, none counted on the weekend (no availability met). */
static void test_known(void)
{
    cm_week_t o = {0}, c = {0};
    for (int d = 0; d < 7; d++)
        set_run(&o, d * 48 + 14, 16);
    for (int d = 0; d < 5; d++)
        set_run(&c, d * 48 + 17, 16);
    int early = 0, late = 0;
    uint8_t ed = 0, ld = 0;
    cm__week_overruns(&o, &c, &early, &ed, &late, &ld);
    ASSERT_EQ(early, 90);
    ASSERT_EQ(ed, 0x1f);
    ASSERT_EQ(late, 0);
    ASSERT_EQ(ld, 0);
    same(&o, &c);
    /* a Sunday night shift into Monday (22:00-06:00), the parent available Monday 00:00-04:00:
     * the shift starts on Sunday: two hours before the availability, two after it */
    cm_week_t n = {0}, m = {0};
    set_run(&n, 6 * 48 + 44, 16);
    set_run(&m, 0, 8);
    early = late = 0;
    ed = ld = 0;
    cm__week_overruns(&n, &m, &early, &ed, &late, &ld);
    ASSERT_EQ(early, 120);
    ASSERT_EQ(ed, 0x40);
    ASSERT_EQ(late, 120);
    ASSERT_EQ(ld, 0x40);
    ASSERT(cm__week_shift_starts(&n, 6) && !cm__week_shift_starts(&n, 0));
    same(&n, &m);
}

static void test_edges(void)
{
    cm_week_t empty = {0}, full = {0}, one = {0}, last = {0}, first = {0};
    set_run(&full, 0, SLOTS);
    set_run(&one, 100, 1);
    set_run(&last, SLOTS - 1, 1);
    set_run(&first, 0, 1);
    const cm_week_t *ws[] = {&empty, &full, &one, &last, &first};
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 5; j++)
            same(ws[i], ws[j]);
    cm_week_t wrap = {0}; /* one run across the week's end, and its complement */
    set_run(&wrap, SLOTS - 5, 10);
    cm_week_t rest = {0};
    set_run(&rest, 5, SLOTS - 10);
    same(&wrap, &rest);
    same(&rest, &wrap);
    same(&wrap, &full);
    same(&full, &wrap);
}

static void random_week(cm_week_t *w, unsigned *seed, int runs, int maxlen)
{
    memset(w, 0, sizeof *w);
    for (int r = 0; r < runs; r++)
        set_run(w, rand_r(seed) % SLOTS, 1 + rand_r(seed) % maxlen);
}

static void test_random(void)
{
    unsigned seed = 20261201;
    cm_week_t o, c;
    for (int i = 0; i < 20000; i++) {
        random_week(&o, &seed, 1 + rand_r(&seed) % 14, 1 + rand_r(&seed) % 80);
        random_week(&c, &seed, rand_r(&seed) % 10, 1 + rand_r(&seed) % 120);
        if (i % 7 == 0) /* sparse: single slots here and there */
            random_week(&c, &seed, rand_r(&seed) % 40, 2);
        if (i % 11 == 0) /* the offer inside the availability */
            for (size_t k = 0; k < CM__WEEK_WORDS; k++)
                c.bits[k] |= o.bits[k];
        same(&o, &c);
    }
}

/* cm__week_widen against the slot-by-slot definition, across the week's wrap */
static void test_widen(void)
{
    uint64_t seed = 12345;
    for (int n = 0; n < 500; n++) {
        cm_week_t w = {{0}}, got, want = {{0}};
        for (int s = 0; s < CM__WEEK_SLOTS; s++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            if ((seed >> 33) % 17 == 0 || (n % 5 == 0 && (s == 0 || s == CM__WEEK_SLOTS - 1)))
                w.bits[s / 64] |= 1ull << (s % 64);
        }
        int k = n % 6;
        for (int s = 0; s < CM__WEEK_SLOTS; s++)
            if (cm__week_slot_on(&w, s))
                for (int d = -k; d <= k; d++) {
                    int t = ((s + d) % CM__WEEK_SLOTS + CM__WEEK_SLOTS) % CM__WEEK_SLOTS;
                    want.bits[t / 64] |= 1ull << (t % 64);
                }
        cm__week_widen(&w, k, &got);
        if (memcmp(&got, &want, sizeof got) != 0)
            CM_FAIL_("widen %d by %d", n, k);
        checked++;
    }
}

/* cm__week_night_work (a word at a time) against the labour code's reading, slot by slot: a
 * run of six half-hours or more between 21:00 and 06:00 (slots 42..47 and 0..11 of a day),
 * across Sunday's midnight too */
static bool ref_night(const cm_week_t *w)
{
    for (int s = 0; s < SLOTS; s++) {
        int h = s % CM__WEEK_SLOTS_PER_DAY, run = 0;
        if (!(h < 12 || h >= 42) || !on(w, s))
            continue;
        for (int k = 0; k < SLOTS; k++) {
            int t = s + k, th = ((t % SLOTS) + SLOTS) % SLOTS % CM__WEEK_SLOTS_PER_DAY;
            if (!on(w, t) || !(th < 12 || th >= 42))
                break;
            run++;
        }
        if (run >= 6)
            return true;
    }
    return false;
}

static void test_night(void)
{
    unsigned seed = 20261205;
    cm_week_t w;
    int yes = 0;
    for (int i = 0; i < 20000; i++) {
        random_week(&w, &seed, rand_r(&seed) % 12, 1 + rand_r(&seed) % (i % 3 ? 8 : 40));
        bool want = ref_night(&w);
        if (cm__week_night_work(&w) != want)
            CM_FAIL_("night work %d: want %d", i, want);
        yes += want;
        checked++;
    }
    ASSERT(yes > 1000 && yes < 19000); /* both answers met */
    memset(&w, 0, sizeof w);
    set_run(&w, SLOTS - 3, 6); /* Sunday 22:30 to Monday 01:30: across the week's end */
    ASSERT(cm__week_night_work(&w));
    memset(&w, 0, sizeof w);
    set_run(&w, 37, 6); /* 18:30-21:30: half an hour of night */
    ASSERT(!cm__week_night_work(&w));
}

int main(void)
{
    test_night();
    test_known();
    test_edges();
    test_random();
    test_widen();
    printf("ok (%d pairs)\n", checked);
    return 0;
}
