/* The scoring model's schedule: an offer's hours and work pattern against a candidate's
 * availability (coverage, days never worked, a solo parent's day end, rotas, split shifts,
 * night work as the labour code counts it) and the childcare note; score.c calls it per pair. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "score.h"
#include "week.h"

/* ---- Weekly slot masks ---- */

static cm_week_t mask_night, mask_early, mask_late, mask_weekend, mask_atypical, mask_day,
    mask_daytime, mask_evening, mask_am, mask_pm;
static pthread_once_t masks_once = PTHREAD_ONCE_INIT;

static void masks_init(void)
{
    for (int d = 0; d < 7; d++) {
        for (int h = 0; h < CM__WEEK_SLOTS_PER_DAY; h++) {
            if (h < 12 || h >= 42) /* 21:00-06:00 */
                cm__week_set(&mask_night, d, h);
            else if (h < 16) /* 06:00-08:00: before school opens */
                cm__week_set(&mask_early, d, h);
            else if (h >= 38) /* 19:00-21:00: after after-school care closes */
                cm__week_set(&mask_late, d, h);
            else if (d < 5) /* 08:00-19:00 on a weekday */
                cm__week_set(&mask_day, d, h);
            if (h >= 16 && h < 38) /* 08:00-19:00, any day */
                cm__week_set(&mask_daytime, d, h);
            if (h >= 36 && h < 40) /* 18:00-20:00: split shifts' evening round */
                cm__week_set(&mask_evening, d, h);
            if (h >= 12 && h < 20) /* 06:00-10:00: a rota's morning start */
                cm__week_set(&mask_am, d, h);
            if (h >= 34 && h < 42) /* 17:00-21:00: a rota's afternoon end */
                cm__week_set(&mask_pm, d, h);
            if (d >= 5)
                cm__week_set(&mask_weekend, d, h);
        }
    }
    for (size_t i = 0; i < CM__WEEK_WORDS; i++)
        mask_atypical.bits[i] =
            mask_night.bits[i] | mask_early.bits[i] | mask_late.bits[i] | mask_weekend.bits[i];
}

/* Whether a and b share a slot (a test, not a count). */
static bool week_and_any(const cm_week_t *a, const cm_week_t *b)
{
    uint64_t x = 0;
    for (size_t i = 0; i < CM__WEEK_WORDS; i++)
        x |= a->bits[i] & b->bits[i];
    return x != 0;
}

/* The slots of a in m outside notb. */
static int week_andnot_count(const cm_week_t *a, const cm_week_t *notb, const cm_week_t *m)
{
    int n = 0;
    for (size_t i = 0; i < CM__WEEK_WORDS; i++)
        n += cm__pop64(a->bits[i] & ~notb->bits[i] & m->bits[i]);
    return n;
}

/* ---- shifts on the circular week (336 half-hours, Sunday night runs into Monday; its
 * geometry and the shifts' reading are week.c's) ---- */

/* Night work as the labour code counts it (L3122-2, L3122-5): a shift with three hours or
 * more between 21:00 and 06:00. An afternoon shift ending at 21:30, or an early one starting
 * at 05:30, is evening or morning work, not night work. */
bool cm__week_night_work(const cm_week_t *w)
{
    (void)pthread_once(&masks_once, masks_init);
    cm_week_t t, run;
    for (size_t i = 0; i < CM__WEEK_WORDS; i++)
        run.bits[i] = t.bits[i] = w->bits[i] & mask_night.bits[i];
    /* after k rounds, slot i is on when slots i-k..i all are (the week is circular: Sunday's
     * 23:30 comes before Monday's 00:00); six half-hours in a row are three hours. A word at a
     * time: it runs per pair, for every offer that says night. */
    const size_t last = (CM__WEEK_SLOTS - 1) / 64;
    const uint64_t top = (uint64_t)1 << ((CM__WEEK_SLOTS - 1) % 64);
    for (int k = 1; k < 6; k++) {
        uint64_t carry = (run.bits[last] & top) ? 1u : 0u, any = 0;
        for (size_t i = 0; i <= last; i++) {
            uint64_t prev = (run.bits[i] << 1) | carry;
            carry = run.bits[i] >> 63;
            run.bits[i] = prev & t.bits[i];
            any |= run.bits[i];
        }
        if (!any)
            return false;
    }
    return true; /* the last round left a slot on */
}

/* The offer's work pattern against availability, for what its hours do not show (night work:
 * three hours of availability between 21:00 and 06:00, as the labour code counts it; being
 * free until 21:30 is no night availability): the whole
 * pattern when it gives no hours, a night or weekend label beside day hours (a rota's day
 * shift given, "travail le week-end" said). A rota without nights (2x8: 06:00-14:00,
 * 14:00-21:00; 12-hour days, 07:00-19:00; with nights, 3x8 or day and night, the night
 * decides) starts before 08:00 or ends after 19:00: it needs an hour of availability before
 * 08:00 or after 19:00 in her week, unless its hours show them (coverage then counts);
 * split shifts (home care's morning and evening rounds), said without hours, an hour between
 * 18:00 and 20:00 (with hours, the windows are the split, and coverage counts): availability
 * from 08:30 to 16:30, the school day, takes neither. */
typedef struct shown {
    bool night, weekend, day, early, late, evening; /* what the offer's hours show */
} shown_t;

/* Hours a week one day of work gives at most: a weekend job of more needs both days. */
#define WEEKEND_DAY_HOURS 10.0f

static void pattern_barrier(const cm__cand_fields_t *c, const cm__offer_fields_t *o, cm_match_t *m,
                            unsigned lev, shown_t hours)
{
    uint8_t days = 0;
    bool night =
        (o->work_pattern & CM__WORK_NIGHT) && !hours.night && !cm__week_night_work(&c->week);
    if ((o->work_pattern & CM__WORK_WEEKEND) && !hours.weekend && !(c->avail_days & 0x60))
        days = 0x60;
    /* day work (said, or a rota's day shifts) for someone available at night only: under
     * three hours between 08:00 and 19:00 in her whole week */
    bool day = (o->work_pattern & CM__WORK_DAY) && !hours.day &&
               cm__week_and_count(&c->week, &mask_daytime) < 6;
    /* a rota without nights, early and late shifts (2x8) or 12-hour days (2x12): she must
     * start early or end late somewhere in her week, and have mornings (before 10:00) and
     * evenings (after 17:00) to give: free 06:00-14:00 only, or 12:00-21:00 only, she cannot
     * take the other half (second adviser probe); 07:00-19:00 or alternate days can */
    bool rota_words = (o->work_pattern & CM__WORK_SHIFTS) && !(o->work_pattern & CM__WORK_NIGHT) &&
                      !hours.early && !hours.late;
    bool no_am = rota_words && cm__week_and_count(&c->week, &mask_am) < 2;
    bool no_pm = rota_words && cm__week_and_count(&c->week, &mask_pm) < 2;
    bool rota = rota_words && ((cm__week_and_count(&c->week, &mask_early) < 2 &&
                                cm__week_and_count(&c->week, &mask_late) < 2) ||
                               no_am || no_pm);
    bool split = (o->work_pattern & CM__WORK_SPLIT) && !hours.evening &&
                 cm__week_and_count(&c->week, &mask_evening) < 2;
    /* weekend work said, and one day of the two in her availability: a note, not a barrier
     * ("un week-end sur deux" for someone free Sundays only: an adviser's probe found it
     * eligible without a word); but a weekend job (its only work said, more hours than a day
     * gives) works both days: the one she never works is a wall (an adviser's probe: 16 hours
     * of weekend home care, eligible at 75 % for someone free on Sundays only) */
    uint8_t we = c->avail_days & 0x60;
    bool weekend_job =
        !(o->work_pattern & (CM__WORK_DAY | CM__WORK_NIGHT | CM__WORK_SHIFTS | CM__WORK_SPLIT)) &&
        o->hours > WEEKEND_DAY_HOURS;
    if ((o->work_pattern & CM__WORK_WEEKEND) && !hours.weekend && we && we != 0x60 && weekend_job) {
        days = (uint8_t)(0x60 & ~we);
    } else if ((o->work_pattern & CM__WORK_WEEKEND) && !hours.weekend && we && we != 0x60) {
        cm_barrier_t *n =
            cm__add_barrier(m, CM_BARRIER_SCHEDULE, CM_BC_SCHEDULE_PATTERN, false, lev);
        n->days = (uint8_t)(0x60 & ~we);
        n->what = CM__WORK_WEEKEND;
        m->explain[CM_F_SCHEDULE] *= 0.5; /* half the weekend */
    }
    /* weekends only, and an offer that says nothing of weekends nor of its days: most such
     * jobs are worked in the week (an adviser's probe: a weekend-only student was a clean
     * match for "Auxiliaire de vie en journée", 24 hours): a note, to check */
    if (!(o->flags & CM__O_HAS_SCHEDULE) && !(o->work_pattern & CM__WORK_WEEKEND) && we &&
        !(c->avail_days & 0x1f) && !days) {
        cm_barrier_t *n =
            cm__add_barrier(m, CM_BARRIER_SCHEDULE, CM_BC_SCHEDULE_PATTERN, false, lev);
        n->days = 0x1f;
        n->what = CM__WORK_DAY;
        m->explain[CM_F_SCHEDULE] *= 0.5;
    }
    if (!night && !days && !day && !rota && !split)
        return;
    m->explain[CM_F_SCHEDULE] = 0.0;
    cm_barrier_t *b = cm__add_barrier(m, CM_BARRIER_SCHEDULE, CM_BC_SCHEDULE_PATTERN, true, lev);
    b->days = days;
    b->what = (night ? CM__WORK_NIGHT : 0u) | (days ? CM__WORK_WEEKEND : 0u) |
              (day ? CM__WORK_DAY : 0u) | (rota ? CM__WORK_SHIFTS : 0u) |
              (split ? CM__WORK_SPLIT : 0u);
    /* the rota's half she cannot give, for the sentence (not in the JSON): 1 its mornings,
     * 2 its evenings, 0 both ends (the school day) */
    b->limit = rota && no_am != no_pm ? (no_am ? 1 : 2) : 0;
    m->gap += 1.0;
}

/* A solo parent's day beside split shifts: on a day she works some of her hours, work before
 * her first available half-hour or after her last is an overrun too, though that shift meets
 * none of her day (cm__week_overruns leaves such a shift to the coverage): home care's evening
 * round, 17:00-20:00, after a morning inside her 08:30-16:30 (an adviser's probe: told only
 * when she lived far enough for the journey to reach into her day). */
static void day_overruns(const cm_week_t *ow, const cm_week_t *cw, int *early, uint8_t *early_days,
                         int *late, uint8_t *late_days)
{
    const int last = CM__WEEK_SLOTS_PER_DAY - 1;
    for (int d = 0; d < 7; d++) {
        uint64_t orow = cm__week_day(ow, d), crow = cm__week_day(cw, d);
        /* a shift across midnight is cm__week_overruns' business: its morning tail starts
         * nothing early, its evening start ends nothing this day */
        if ((orow & 1) && (cm__week_day(ow, (d + 6) % 7) >> last & 1))
            orow &= orow + 1; /* the leading run off */
        if ((orow >> last & 1) && (cm__week_day(ow, (d + 1) % 7) & 1))
            for (int i = last; i >= 0 && (orow >> i & 1); i--)
                orow &= ~(1ull << i); /* the trailing run off */
        if (!(orow & crow))
            continue;
        int e = (__builtin_ctzll(crow) - __builtin_ctzll(orow)) * 30;
        int l = (__builtin_clzll(crow) - __builtin_clzll(orow)) * 30;
        if (e > 0) {
            *early_days |= (uint8_t)(1u << d);
            if (e > *early)
                *early = e;
        }
        if (l > 0) {
            *late_days |= (uint8_t)(1u << d);
            if (l > *late)
                *late = l;
        }
    }
}

/* Schedule: coverage, days never worked, a solo parent's day end, the offer's work pattern. */
/* Under this share of an offer's hours inside her availability, an eligible match says so. */
#define SCHEDULE_ADVISORY_COVERAGE 0.9
#define NIGHT_END_SLOT 20  /* 10:00: the latest a night shift ends, in half-hours */
#define NIGHT_MAX_SLOTS 24 /* 12 hours: the longest night shift */
#define DAY_MASK ((UINT64_C(1) << CM__WEEK_SLOTS_PER_DAY) - 1)

void cm__score_schedule(const cm__score_config_t *cfg, const cm__cand_fields_t *c,
                        const cm__offer_fields_t *o, int commute_min, cm_match_t *m)
{
    (void)pthread_once(&masks_once, masks_init);
    unsigned lev = c->children ? CM_LEVER_CHILDCARE_AID : 0u;
    double *ex = m->explain;
    ex[CM_F_SCHEDULE] = 1.0;
    if (!(c->flags & CM__C_HAS_AVAIL))
        return;
    if (!(o->flags & CM__O_HAS_SCHEDULE)) {
        /* No windows: what the offer says of its hours counts against the availability. */
        pattern_barrier(c, o, m, lev, (shown_t){0});
        /* and its hours against her whole week: 35 hours cannot fit in her weekends' 29 (an
         * adviser's probe: a weekends-only student was a clean match) */
        double week_h = c->week_count / 2.0;
        if (o->hours > 0 && week_h < o->hours) {
            double cov = week_h / o->hours;
            ex[CM_F_SCHEDULE] = fmin(ex[CM_F_SCHEDULE], cov); /* not above a pattern's wall */
            bool hard = cov < cfg->schedule_min_coverage;
            cm_barrier_t *b =
                cm__add_barrier(m, CM_BARRIER_SCHEDULE, CM_BC_SCHEDULE_COVERAGE, hard, lev);
            b->coverage = (int)floor(cov * 100 + 0.5);
            if (hard)
                m->gap += 1.0 - cov;
        }
        return;
    }
    int inside = cm__week_and_count(&o->week, &c->week);
    double cov = (double)inside / o->week_count;
    ex[CM_F_SCHEDULE] = cov;
    uint8_t off = 0, late_days = 0, early_days = 0, outside_days = 0;
    int late = 0, early = 0, outside[7] = {0}, shift[7] = {0}, sat_tail = 0;
    for (int d = 0; d < 7; d++) {
        uint64_t row = cm__week_day(&o->week, d);
        if (!row)
            continue;
        uint64_t crow = cm__week_day(&c->week, d);
        /* the hours outside, each counted on the day its shift starts: a Tuesday night's
         * 00:00-07:00 are Tuesday's ("la nuit du mardi"), not Wednesday's */
        uint64_t tail = 0;
        if (cm__week_slot_on(&o->week, d * CM__WEEK_SLOTS_PER_DAY - 1))
            tail = ((~row & (0 - ~row)) - 1) & row; /* the slots before the day's first gap */
        /* a night lasts 12 hours at most: a day shift chained to it (Friday 19:00-07:00, then
         * Saturday 07:00-19:00) is the day's own (an adviser's probe named Friday for
         * Saturday's). The night started after the evening's last gap. */
        uint64_t prow = cm__week_day(&o->week, (d + 6) % 7), pgap = ~prow & DAY_MASK;
        int start = pgap ? 64 - __builtin_clzll(pgap) : 0; /* the slot after the last gap */
        int cap = pgap ? start + NIGHT_MAX_SLOTS - CM__WEEK_SLOTS_PER_DAY : NIGHT_END_SLOT;
        tail &= cap <= 0 ? 0 : (UINT64_C(1) << (cap < NIGHT_END_SLOT ? cap : NIGHT_END_SLOT)) - 1;
        outside[d] += cm__pop64(row & ~tail & ~crow);
        outside[(d + 6) % 7] += cm__pop64(tail & ~crow);
        shift[d] += cm__pop64(row & ~tail);
        shift[(d + 6) % 7] += cm__pop64(tail);
        if (d == 5)
            sat_tail = cm__pop64(tail & ~crow); /* Friday night's end: no weekend work */
    }
    /* a day never available, worked: not when the day holds only the end of the evening
     * before's shift (mon-fri 16:00-00:30 is no Saturday work), nor when her availability from
     * the evening before covers most of the shifts that start that day (fri 21:00-07:00 for a
     * shift from Saturday 00:00 to 08:00: its last hour is a matter of coverage, not a day
     * "never available") */
    for (int d = 0; d < 7; d++)
        if (!(c->avail_days & (1u << d)) && cm__week_shift_starts(&o->week, d) &&
            2 * outside[d] > shift[d])
            off |= (uint8_t)(1u << d);
    for (int d = 0; d < 7; d++)
        if (outside[d] >= 2) /* an hour or more of the day's shifts outside */
            outside_days |= (uint8_t)(1u << d);
    /* Alone with young children, her day holds the journeys too: she leaves before the shift
     * by her commute and is back after it, in the week's half-hours (a 50-minute bus to a
     * 09:00 start is leaving in the 08:00 slot), so the overrun stays a bound, as for shifts.
     * No overrun when every slot of that is available, nor when none is. */
    int trip = 0;
    bool none_inside = false; /* a solo parent's: not one hour of the shifts in her day */
    if ((c->flags & CM__C_SOLO_PARENT) && c->children) {
        cm_week_t day = o->week;
        trip = commute_min > 0 ? commute_min : 0;
        if (trip > 0)
            cm__week_widen(&o->week, (trip + 29) / 30, &day);
        int in_day = cm__week_and_count(&day, &c->week);
        none_inside = in_day == 0;
        if (in_day > 0 && in_day < cm__week_popcount(&day)) {
            cm__week_overruns(&day, &c->week, &early, &early_days, &late, &late_days);
            day_overruns(&day, &c->week, &early, &early_days, &late, &late_days);
        }
        /* The half-hours overstate the journey by up to 29 minutes (34 minutes to a 09:00
         * start leaves at 08:26, not in the 08:00 slot): an overrun with a journey in it is
         * told in minutes, and a few (JOURNEY_SLACK_MIN) are no barrier, as a shift's are not */
        int slack = trip > 0 ? (trip + 29) / 30 * 30 - trip : 0;
        early = early > slack + JOURNEY_SLACK_MIN ? early - slack : 0;
        late = late > slack + JOURNEY_SLACK_MIN ? late - slack : 0;
        /* One window a day each side (school hours against a job's fixed hours): to the
         * minute. The half-hours rounded her 08:45-16:15 out to 08:30-16:30 and let an
         * 08:30 start with 8 minutes of journey through (an adviser's probe). */
        if (c->avail_to && o->shift_to && !none_inside)
            cm__exact_overruns(c, o, trip, &early, &early_days, &late, &late_days);
    }
    cm_barrier_t *b = NULL;
    double cov_gap = 0;                     /* low coverage's share of the gap */
    if (cov < cfg->schedule_min_coverage) { /* the larger fault first; days off named too */
        b = cm__add_barrier(m, CM_BARRIER_SCHEDULE, CM_BC_SCHEDULE_COVERAGE, true, lev);
        b->days = off;
        cov_gap = 1.0 - cov + 0.2 * __builtin_popcount(off);
        m->gap += cov_gap;
    } else if (off) {
        b = cm__add_barrier(m, CM_BARRIER_SCHEDULE, CM_BC_SCHEDULE_DAY_OFF, true, lev);
        b->days = off;
        m->gap += 0.3 + 0.2 * __builtin_popcount(off);
    } else if (cov < SCHEDULE_ADVISORY_COVERAGE && !late && !early) {
        /* eligible, yet a tenth or more of the hours outside her availability (18:00-20:00
         * every day against her 08:00-18:00): said, to check with her (an adviser's probe:
         * ranked first with no word); a solo parent's overruns say it already */
        b = cm__add_barrier(m, CM_BARRIER_SCHEDULE, CM_BC_SCHEDULE_COVERAGE, false, lev);
    }
    if (late || early) { /* counted for a solo parent with young children only */
        /* Alone with young children, the day starts when care opens and ends when it closes:
         * not a share of hours. Each overrun is named, beside low coverage or a day never
         * worked too (a 06:00 start is what her adviser must see first); both count in the
         * gap, beside a day never worked; beside low coverage, the larger of the two (the same
         * hours outside, seen from the children's side: a 12-hour day with a third of its hours
         * inside is no further than a night job with none). */
        for (int k = 0; k < 2; k++) {
            int mins = k ? late : early;
            if (!mins)
                continue;
            cm_barrier_t *ov = cm__add_barrier(
                m, CM_BARRIER_SCHEDULE, k ? CM_BC_SCHEDULE_ENDS_LATE : CM_BC_SCHEDULE_STARTS_EARLY,
                true, CM_LEVER_CHILDCARE_AID);
            ov->minutes = mins;
            ov->limit = trip; /* the journey counted in them, minutes */
            ov->days = k ? late_days : early_days;
            ov->coverage = (int)floor(cov * 100 + 0.5);
        }
        double ov_gap = 0.1 + (late + early) / 240.0;
        m->gap += ov_gap > cov_gap ? ov_gap - cov_gap : 0.0;
    }
    /* Alone with young children and every hour outside her day (a night job): care for the
     * whole shift, overnight, the hardest to arrange; it comes after the day jobs that start
     * early or end late (helper probe: it ranked before a 07:00-19:00 one) */
    if (none_inside && b)
        m->gap += 1.0;
    if (b) { /* coverage or days off */
        b->coverage = (int)floor(cov * 100 + 0.5);
        b->outside_days = outside_days;
        /* kinds of hours outside availability, for the text: those that make a fifth of them
         * at least (a quarter of an hour's overlap at 6:45 is no "weekend shift") */
        const cm_week_t *cls[] = {&mask_night, &mask_early, &mask_late, &mask_weekend, &mask_day};
        int total = o->week_count - inside;
        for (unsigned i = 0; i < 5; i++) {
            int n = week_andnot_count(&o->week, &c->week, cls[i]) - (i == 3 ? sat_tail : 0);
            if (n >= (i == 0 ? 6 : 2) && 5 * n >= total) /* night: three hours at least */
                b->what |= 1u << i;
        }
    }
    /* a night or weekend the hours do not show, but the offer says */
    pattern_barrier(c, o, m, lev,
                    (shown_t){o->flags & CM__O_NIGHT_WORK, week_and_any(&o->week, &mask_weekend),
                              week_and_any(&o->week, &mask_daytime),
                              week_and_any(&o->week, &mask_early),
                              week_and_any(&o->week, &mask_late), true}); /* windows show a split */
}

/* Advisory: children under 12 and hours outside school and after-school care (AGEPI). */
void cm__score_childcare(const cm__cand_fields_t *c, const cm__offer_fields_t *o, cm_match_t *m)
{
    (void)pthread_once(&masks_once, masks_init);
    unsigned kinds = 0;
    if (!c->children)
        return;
    if (o->flags & CM__O_HAS_SCHEDULE) {
        const cm_week_t *ms[] = {&mask_early, &mask_late, &mask_night, &mask_weekend};
        for (unsigned i = 0; i < 4; i++)
            if (week_and_any(&o->week, ms[i]))
                kinds |= 1u << i;
        /* a shift ending at 21:15 is an evening, not a night: night is the labour code's three
         * hours (CM__O_NIGHT_WORK, as matching has it; a helper's probe read "de nuit") */
        if ((kinds & 4u) && !(o->flags & CM__O_NIGHT_WORK))
            kinds = (kinds & ~4u) | 2u;
    }
    /* an offer that says nothing of its hours (no windows, no pattern), for a parent whose
     * availability starts no earlier than 08:00 or ends no later than 19:00: whether the job
     * fits her children's day is unknown (an adviser's probe: a solo parent on school hours
     * was a clean match for home care with no hours, whose rounds are mornings and evenings):
     * a note, to check with the employer, and the schedule factor x 0.8 */
    if (!(o->flags & CM__O_HAS_SCHEDULE) && !o->work_pattern && (c->flags & CM__C_HAS_AVAIL) &&
        (cm__week_and_count(&c->week, &mask_early) < 2 ||
         cm__week_and_count(&c->week, &mask_late) < 2)) {
        cm_barrier_t *b = cm__add_barrier(m, CM_BARRIER_CHILDCARE, CM_BC_CHILDCARE_HOURS, false,
                                          CM_LEVER_CHILDCARE_AID);
        b->what = CM_CARE_UNSTATED;
        b->months = c->children;
        m->explain[CM_F_SCHEDULE] *= 0.8;
        return;
    }
    kinds |= (o->work_pattern & CM__WORK_NIGHT ? 4u : 0u) | /* said, with hours or without */
             (o->work_pattern & CM__WORK_WEEKEND ? 8u : 0u) |
             (o->work_pattern & CM__WORK_SHIFTS ? 3u : 0u) | /* a rota: early and evening */
             (o->work_pattern & CM__WORK_SPLIT ? 2u : 0u);   /* the evening round */
    if (!kinds)
        return;
    cm_barrier_t *b = cm__add_barrier(m, CM_BARRIER_CHILDCARE, CM_BC_CHILDCARE_HOURS, false,
                                      CM_LEVER_CHILDCARE_AID);
    b->what = kinds;         /* early, evening, night, weekend */
    b->months = c->children; /* the number of children, for the sentence */
}
