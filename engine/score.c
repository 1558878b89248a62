/* The scoring model: the scoring of one pair (factors, hard and
 * advisory barriers, levers, the near-miss gap) over the fields of score_fields.c. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carematch/referential.h"
#include "geo.h"
#include "score.h"
#include "sort_u32.h"
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

static int week_and_count(const cm_week_t *a, const cm_week_t *b)
{
    int n = 0;
    for (size_t i = 0; i < CM__WEEK_WORDS; i++)
        n += cm__pop64(a->bits[i] & b->bits[i]);
    return n;
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

/* ---- Scoring ---- */

double cm__score_total(const cm__score_config_t *cfg, const double explain[CM_F__COUNT])
{
    double num = 0, den = 0;
    for (int f = 0; f < CM_F__COUNT; f++) {
        num += cfg->weight[f] * explain[f];
        den += cfg->weight[f];
    }
    return floor(num / den * 1000.0 + 0.5) / 10.0;
}

/* Room for every barrier a pair can have; should one more come, it lands in a scratch slot
 * (its effect on eligibility and gap is kept, its text is not shown). */
static _Thread_local cm_barrier_t scratch;

cm_barrier_t *cm__add_barrier(cm_match_t *m, int kind, int code, bool hard, unsigned levers)
{
    cm_barrier_t *b = m->n_barriers < CM_BARRIERS_MAX ? &m->barriers[m->n_barriers++] : &scratch;
    b->kind = kind;
    b->code = code;
    b->hard = hard;
    b->levers = levers;
    b->detail[0] = '\0';
    b->detail_fr[0] = '\0';
    b->missing[0] = '\0';
    b->minutes = b->limit = b->months = b->coverage = 0;
    b->days = 0;
    b->hours = 0;
    b->what = 0;
    if (hard)
        m->eligible = false;
    return b;
}

/* Does the person take this contract kind? The apprenticeship rule reads "contracts empty"
 * as "any" only for someone open to training. */
static bool takes_contract(const cm__cand_fields_t *c, unsigned contract, bool training_route)
{
    if (c->contracts)
        return c->contracts & (1u << contract);
    return !training_route || (c->flags & CM__C_TRAINING);
}

static bool apprenticeship(unsigned contract)
{
    return contract == CM_CONTRACT_APPRENTISSAGE || contract == CM_CONTRACT_PROFESSIONNALISATION;
}

/* Is one of the missing certifications (bits of cert indexes) a diploma the referential
 * knows (its canonical code, equivalences applied)? */
static bool missing_diploma(const cm__offer_fields_t *o, uint32_t missing)
{
    const char *name = o->cert_names;
    for (size_t j = 0; j < o->n_certs && j < 32; j++, name += strlen(name) + 1)
        if ((missing & (1u << j)) && cm_diploma_canon(name))
            return true;
    return false;
}

/* Certifications: required units (a cert alone, or a group of alternatives with a required
 * member), the missing ones as a bit set of cert indexes. */
/* Returns true when the pair is the apprenticeship route to a missing diploma. */
static bool certs_factor(const cm__score_config_t *cfg, const cm__cand_fields_t *c,
                         const cm__offer_fields_t *o, bool detail, cm_match_t *m)
{
    const uint32_t *ccerts = c->hash + c->n_skills;
    uint32_t held = 0, group_req = 0, group_held = 0, missing = 0;
    unsigned nreq = 0, hreq = 0, nopt = 0, hopt = 0;
    double *ex = m->explain;
    (void)cfg;
    for (size_t j = 0; j < o->n_certs; j++) {
        if (cm__has_u32(ccerts, c->n_certs, o->hash[o->n_skills + j]))
            held |= 1u << j;
        unsigned g = o->cert_group[j];
        if (g && (o->cert_required & (1u << j)))
            group_req |= 1u << (g % 32);
        if (g && (held & (1u << j)))
            group_held |= 1u << (g % 32);
    }
    uint32_t seen = 0;
    for (size_t j = 0; j < o->n_certs; j++) {
        unsigned g = o->cert_group[j];
        if (g && (group_req & (1u << (g % 32)))) {
            if (seen & (1u << (g % 32)))
                continue; /* the group counts once */
            seen |= 1u << (g % 32);
            nreq++;
            if (group_held & (1u << (g % 32)))
                hreq++;
            else
                for (size_t q = 0; q < o->n_certs; q++)
                    if (o->cert_group[q] == g)
                        missing |= 1u << q;
        } else if (o->cert_required & (1u << j)) {
            nreq++;
            hreq += (held >> j) & 1;
            if (!(held & (1u << j)))
                missing |= 1u << j;
        } else {
            nopt++;
            hopt += (held >> j) & 1;
        }
    }
    /* The diploma the law requires (DEAS for an aide-soignant) stays required when the offer
     * lists it among alternatives ("DEAS ou DEAES"): a DEAES holder meets the offer's group,
     * not the law. */
    for (size_t j = 0; j < o->n_certs; j++) {
        unsigned g = o->cert_group[j];
        if ((o->cert_regulated & (1u << j)) && !(held & (1u << j)) && g &&
            (group_held & (1u << (g % 32)))) {
            nreq++;
            missing |= 1u << j;
        }
    }
    /* In a group with a regulated member, the law's diploma is the one missing: "DEAS ou
     * DEAES" on an aide-soignant's post names the DEAS to someone holding neither (an
     * adviser's probe: "DEAS/DEAES" pointed at a DEAES that does not give the right). */
    for (size_t j = 0; j < o->n_certs && j < 32; j++) {
        unsigned g = o->cert_group[j];
        if (!g || !(missing & o->cert_regulated & (1u << j)))
            continue;
        for (size_t k = 0; k < o->n_certs && k < 32; k++)
            if (o->cert_group[k] == g && !(o->cert_regulated & (1u << k)))
                missing &= ~(1u << k);
    }
    bool route = apprenticeship(o->contract);
    if (hreq == nreq) {
        ex[CM_F_CERTS] = nopt ? 0.8 + 0.2 * hopt / nopt : 1.0;
        if (route && nreq > 0) {
            /* She already holds what the contract prepares: nothing to learn there, and no
             * apprenticeship contract is signed for a diploma already held (hard: eligible, it
             * ranked above every near-miss, her real jobs' included). */
            ex[CM_F_CERTS] = 0.0;
            cm__add_barrier(m, CM_BARRIER_APPRENTICESHIP, CM_BC_ALREADY_QUALIFIED, true, 0);
            m->gap += 1.0;
        }
        return false;
    }
    cm_barrier_t *b;
    bool on_route = route && takes_contract(c, o->contract, true);
    /* The contract is the way to the diploma even for someone who named other contracts,
     * when she is open to training (and does not hold to them, strict): the diploma is no
     * obstacle, the contract kind is a compromise to discuss (contract_factor says
     * contract_not_wanted, advisory). */
    bool route_offered = route && !on_route && c->contracts && (c->flags & CM__C_TRAINING) &&
                         !(c->strict & CM__STRICT_CONTRACTS);
    if (on_route || route_offered) {
        /* The legal route to the diploma: eligible, the adviser told which diploma it leads to. */
        ex[CM_F_CERTS] = 1.0;
        b = cm__add_barrier(m, CM_BARRIER_APPRENTICESHIP, CM_BC_APPRENTICESHIP_ROUTE, false, 0);
    } else {
        ex[CM_F_CERTS] = (double)hreq / nreq;
        unsigned lev = 0;
        /* A diploma the profession requires by law (DEAS, DEAP, DEI: 1,500 hours and more in
         * an institute, an apprenticeship or VAE) is lifted by no pre-hire training (POE, AFPR:
         * 400 hours at most) nor an immersion: no lever, the text says the way to it. Nor is
         * any diploma the referential knows that the offer asks for (DEAES, CAP AEPE, titre
         * pro ADVF: hundreds of hours of training, or VAE): only what is not one (a first-aid
         * certificate, an attestation, an employer's own code) is left to a pre-hire
         * training. An immersion shows the work; it certifies nothing (an adviser's probe: an
         * immersion offered for a missing SST). */
        bool regulated = (missing & o->cert_regulated) != 0;
        bool long_way = regulated || missing_diploma(o, missing);
        if (!long_way && (o->flags & CM__O_TRAINING) && (c->flags & CM__C_TRAINING))
            lev |= CM_LEVER_PRE_HIRE_TRAINING;
        b = cm__add_barrier(m, CM_BARRIER_CERTIFICATION,
                            regulated ? CM_BC_CERT_REGULATED : CM_BC_CERT_MISSING, true, lev);
        if (long_way)
            b->what = CM_CERT_DIPLOMA;
        m->gap += (nreq - hreq) * (lev & CM_LEVER_PRE_HIRE_TRAINING ? 0.6 : 1.0);
    }
    b->limit = (int)(nreq - hreq);
    if (detail) { /* missing codes, comma-separated (a group written a/b, wherever its
                   * members sit in the offer's list) */
        const char *names[32];
        const char *name = o->cert_names;
        for (size_t j = 0; j < o->n_certs && j < 32; j++, name += strlen(name) + 1)
            names[j] = name;
        size_t len = 0;
        uint32_t done = 0;
        for (size_t j = 0; j < o->n_certs && j < 32; j++) {
            if (!(missing & (1u << j)) || (done & (1u << j)))
                continue;
            for (size_t k = j; k < o->n_certs && k < 32; k++) {
                if (!(missing & (1u << k)) || (done & (1u << k)) ||
                    (k != j && (!o->cert_group[j] || o->cert_group[k] != o->cert_group[j])))
                    continue;
                done |= 1u << k;
                int w = snprintf(b->missing + len, sizeof b->missing - len, "%s%s",
                                 len ? (k == j ? "," : "/") : "", names[k]);
                if (w < 0 || (size_t)w >= sizeof b->missing - len) {
                    b->missing[len] = '\0'; /* whole codes only */
                    j = o->n_certs;
                    break;
                }
                len += (size_t)w;
            }
        }
    }
    return on_route;
}

/* Hours: how far the offer's weekly hours fall outside her range (*d, hours) and their fit
 * (1 inside, falling to 0 at hours_tolerance outside; 1 when either side says none). */
static double hours_fit(const cm__score_config_t *cfg, const cm__cand_fields_t *c,
                        const cm__offer_fields_t *o, double *d)
{
    *d = 0.0;
    if (!(o->hours > 0 && c->hours_max > 0))
        return 1.0;
    *d = o->hours < c->hours_min   ? c->hours_min - o->hours
         : o->hours > c->hours_max ? o->hours - c->hours_max
                                   : 0.0;
    return *d >= cfg->hours_tolerance ? 0.0 : 1.0 - *d / cfg->hours_tolerance;
}

/* The gap strict hours d outside add. */
static double hours_gap(const cm__score_config_t *cfg, double d)
{
    return d >= cfg->hours_tolerance ? 1.0 : 0.1 + 0.9 * d / cfg->hours_tolerance;
}

/* Experience: the months the offer asks for (its own figure, else saturation), and the
 * factor (1 for an offer open to beginners: experience is no edge there). */
static double xp_want(const cm__score_config_t *cfg, const cm__offer_fields_t *o)
{
    return o->xp_months > 0 ? o->xp_months : cfg->experience_full_months;
}

static double xp_factor(const cm__cand_fields_t *c, const cm__offer_fields_t *o, double want)
{
    if (o->xp_level == CM__XP_BEGINNER)
        return 1.0;
    return c->experience >= want ? 1.0 : c->experience / want;
}

double cm__score_bound(const cm__score_config_t *cfg, const cm__commute_t *r, uint16_t max_minutes,
                       double text_max, bool *eligible, double *gap)
{
    double ex[CM_F__COUNT];
    for (int f = 0; f < CM_F__COUNT; f++)
        ex[f] = 1.0;
    ex[CM_F_COMMUTE] = r->factor;
    ex[CM_F_TEXT] = text_max;
    *eligible = !r->hard;
    *gap = r->hard ? cm__commute_gap(max_minutes, r) : 0.0;
    return cm__score_total(cfg, ex);
}

double cm__score_bound_pair(const cm__score_config_t *cfg, const cm__cand_fields_t *c,
                            const cm__offer_fields_t *o, const cm__commute_t *rp, double text_max,
                            bool *eligible, double *gap)
{
    (void)pthread_once(&masks_once, masks_init);
    /* What cm__score_pair_km computes of these parts, in its order (the gap's terms are
     * added in the same order, each no more than the pair's own: the sum is no more than the
     * pair's, to the last bit); skills and certifications taken as perfect, the contract kind
     * as wanted (the apprenticeship route is the certifications'), the schedule's coverage
     * as its factor (a work pattern can only lower it). */
    double ex[CM_F__COUNT], g = 0.0;
    for (int f = 0; f < CM_F__COUNT; f++)
        ex[f] = 1.0;
    bool ok = true;
    ex[CM_F_COMMUTE] = rp->factor;
    if (rp->hard) {
        ok = false;
        g += cm__commute_gap(c->max_minutes, rp);
    }
    bool licence = c->flags & CM__C_LICENCE;
    if ((o->flags & CM__O_LICENCE) && !licence) {
        ok = false;
        g += 1.0;
    }
    if ((o->flags & CM__O_OWN_VEHICLE) && !(licence && (c->flags & CM__C_VEHICLE))) {
        ok = false;
        g += licence ? 0.8 : 1.5;
    }
    if ((c->flags & CM__C_HAS_AVAIL) && (o->flags & CM__O_HAS_SCHEDULE)) {
        double cov = (double)week_and_count(&o->week, &c->week) / o->week_count;
        ex[CM_F_SCHEDULE] = cov;
        if (cov < cfg->schedule_min_coverage) {
            ok = false;
            g += 1.0 - cov;
        }
    }
    double d, hfit = hours_fit(cfg, c, o, &d);
    ex[CM_F_CONTRACT] = cfg->contract_share * 1.0 + (1 - cfg->contract_share) * hfit;
    if ((c->strict & CM__STRICT_HOURS) && d > 0) {
        ok = false;
        g += hours_gap(cfg, d);
    }
    double want = xp_want(cfg, o);
    ex[CM_F_EXPERIENCE] = xp_factor(c, o, want);
    if (o->xp_level == CM__XP_REQUIRED && c->experience < want * cfg->experience_grace) {
        ok = false;
        g += (want - c->experience) / want;
    }
    ex[CM_F_TEXT] = text_max;
    *eligible = ok;
    *gap = g;
    return cm__score_total(cfg, ex);
}

/* ---- shifts on the circular week (336 half-hours, Sunday night runs into Monday; its
 * geometry and the shifts' reading are week.c's) ---- */

/* Night work as the labour code counts it (L3122-2, L3122-5): a shift with three hours or
 * more between 21:00 and 06:00. An afternoon shift ending at 21:30, or an early one starting
 * at 05:30, is evening or morning work, not night work. */
bool cm__week_night_work(const cm_week_t *w)
{
    (void)pthread_once(&masks_once, masks_init);
    cm_week_t t;
    for (size_t i = 0; i < CM__WEEK_WORDS; i++)
        t.bits[i] = w->bits[i] & mask_night.bits[i];
    for (int s = 0; s < CM__WEEK_SLOTS; s++) {
        if (!cm__week_slot_on(&t, s) || cm__week_slot_on(&t, s - 1))
            continue;
        int e = s;
        while (e - s < CM__WEEK_SLOTS && cm__week_slot_on(&t, e))
            e++;
        if (e - s >= 6)
            return true;
    }
    return false;
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
               week_and_count(&c->week, &mask_daytime) < 6;
    /* a rota without nights, early and late shifts (2x8) or 12-hour days (2x12): she must
     * start early or end late somewhere in her week, and have mornings (before 10:00) and
     * evenings (after 17:00) to give: free 06:00-14:00 only, or 12:00-21:00 only, she cannot
     * take the other half (second adviser probe); 07:00-19:00 or alternate days can */
    bool rota_words = (o->work_pattern & CM__WORK_SHIFTS) && !(o->work_pattern & CM__WORK_NIGHT) &&
                      !hours.early && !hours.late;
    bool no_am = rota_words && week_and_count(&c->week, &mask_am) < 2;
    bool no_pm = rota_words && week_and_count(&c->week, &mask_pm) < 2;
    bool rota =
        rota_words &&
        ((week_and_count(&c->week, &mask_early) < 2 && week_and_count(&c->week, &mask_late) < 2) ||
         no_am || no_pm);
    bool split = (o->work_pattern & CM__WORK_SPLIT) && !hours.evening &&
                 week_and_count(&c->week, &mask_evening) < 2;
    /* weekend work said, and one day of the two in her availability: a note, not a barrier
     * ("un week-end sur deux" for someone free Sundays only: an adviser's probe found it
     * eligible without a word) */
    uint8_t we = c->avail_days & 0x60;
    if ((o->work_pattern & CM__WORK_WEEKEND) && !hours.weekend && we && we != 0x60) {
        cm_barrier_t *n =
            cm__add_barrier(m, CM_BARRIER_SCHEDULE, CM_BC_SCHEDULE_PATTERN, false, lev);
        n->days = (uint8_t)(0x60 & ~we);
        n->what = CM__WORK_WEEKEND;
        m->explain[CM_F_SCHEDULE] *= 0.5; /* half the weekend */
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

static void schedule_factor(const cm__score_config_t *cfg, const cm__cand_fields_t *c,
                            const cm__offer_fields_t *o, int commute_min, cm_match_t *m)
{
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
            ex[CM_F_SCHEDULE] = cov;
            bool hard = cov < cfg->schedule_min_coverage;
            cm_barrier_t *b =
                cm__add_barrier(m, CM_BARRIER_SCHEDULE, CM_BC_SCHEDULE_COVERAGE, hard, lev);
            b->coverage = (int)floor(cov * 100 + 0.5);
            if (hard)
                m->gap += 1.0 - cov;
        }
        return;
    }
    int inside = week_and_count(&o->week, &c->week);
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
        int in_day = week_and_count(&day, &c->week);
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
static void childcare_note(const cm__cand_fields_t *c, const cm__offer_fields_t *o, cm_match_t *m)
{
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

/* Disability: restrictions against the job's demands and night work; the accessible note. */
static void disability_factor(const cm__cand_fields_t *c, const cm__offer_fields_t *o,
                              cm_match_t *m)
{
    unsigned clash = c->restrictions & o->demands &
                     (CM__RESTRICT_LIFTING | CM__RESTRICT_STANDING | CM__RESTRICT_HEARING);
    if (clash) {
        /* An adaptation (lifting aids, a seat, visual alarms) can lift a physical demand. */
        cm_barrier_t *b = cm__add_barrier(m, CM_BARRIER_DISABILITY, CM_BC_RESTRICTION, true,
                                          CM_LEVER_WORKPLACE_ADAPTATION);
        b->what = clash;
        m->gap += 0.5 * __builtin_popcount(clash);
    }
    bool no_night = (c->restrictions & CM__RESTRICT_NIGHT) &&
                    ((o->flags & CM__O_NIGHT_WORK) || (o->work_pattern & CM__WORK_NIGHT) != 0);
    if (no_night) {
        /* The night is the job itself: no adaptation lifts a medical no-night restriction. */
        cm_barrier_t *b =
            cm__add_barrier(m, CM_BARRIER_DISABILITY, CM_BC_RESTRICTION_NIGHT, true, 0);
        b->what = CM__RESTRICT_NIGHT;
        m->gap += 1.0;
    }
    /* no "an adaptation can be asked" beside a barrier that no adaptation lifts */
    if ((c->flags & CM__C_DISABILITY) && (o->flags & CM__O_ACCESSIBLE) && !clash && !no_night)
        cm__add_barrier(m, CM_BARRIER_DISABILITY, CM_BC_DISABILITY_ADAPTABLE, false,
                        CM_LEVER_WORKPLACE_ADAPTATION);
}

/* Contract kind and hours; strict wishes make a mismatch hard. */
static void contract_factor(const cm__score_config_t *cfg, const cm__cand_fields_t *c,
                            const cm__offer_fields_t *o, bool route, cm_match_t *m)
{
    bool cok = route || c->contracts == 0 || (c->contracts & (1u << o->contract));
    double d, hfit = hours_fit(cfg, c, o, &d);
    /* a fixed term for someone who wants a CDI: the longer, the nearer (an adviser's probe:
     * a 30-day CDD tied with a 3-month one), a year and more at most 0.3 */
    double kind = cok ? 1.0 : 0.0;
    if (!cok && o->contract == CM_CONTRACT_CDD && (c->contracts & (1u << CM_CONTRACT_CDI)))
        kind = 0.3 * (o->contract_days >= 365 ? 1.0 : o->contract_days / 365.0);
    m->explain[CM_F_CONTRACT] = cfg->contract_share * kind + (1 - cfg->contract_share) * hfit;
    bool short_h = o->hours > 0 && o->hours < c->hours_min;
    bool strict_h = (c->strict & CM__STRICT_HOURS) && d > 0;
    /* said when 10 hours off her range, or a quarter of the bound passed (12 hours against
     * her 20 minimum is a different job too) */
    double bound = short_h ? c->hours_min : c->hours_max;
    bool flag = d > 0 && (d >= cfg->hours_flag ||
                          (cfg->hours_flag_share > 0 && d >= cfg->hours_flag_share * bound));
    if (strict_h || flag) {
        cm_barrier_t *b = cm__add_barrier(
            m, CM_BARRIER_HOURS, short_h ? CM_BC_HOURS_SHORT : CM_BC_HOURS_OVER, strict_h, 0);
        b->hours = d;
        b->limit = (int)(short_h ? c->hours_min : c->hours_max);
        if (strict_h)
            m->gap += hours_gap(cfg, d);
    }
    if (!cok) {
        bool strict_c = c->strict & CM__STRICT_CONTRACTS;
        cm_barrier_t *b =
            cm__add_barrier(m, CM_BARRIER_CONTRACT, CM_BC_CONTRACT_UNWANTED, strict_c, 0);
        b->limit = o->contract_days;
        if (strict_c)
            m->gap += 1.0;
    }
}

/* Experience: the offer's demand when it states one, else saturation at experience_full_months. */
static void experience_factor(const cm__score_config_t *cfg, const cm__cand_fields_t *c,
                              const cm__offer_fields_t *o, cm_match_t *m)
{
    double want = xp_want(cfg, o);
    double *ex = m->explain;
    ex[CM_F_EXPERIENCE] = xp_factor(c, o, want);
    if (o->xp_level < CM__XP_WANTED || c->experience >= want) /* beginners welcome, or met */
        return;
    bool required = o->xp_level == CM__XP_REQUIRED;
    /* most of what is asked (20 months of 24, experience_grace): proposed all the same, the
     * shortfall to discuss with the employer (an adviser's probe) */
    bool close = required && c->experience >= want * cfg->experience_grace;
    bool hard = required && !close;
    unsigned lev = required && (o->flags & CM__O_IMMERSION) && (c->flags & CM__C_IMMERSION)
                       ? CM_LEVER_IMMERSION
                       : 0u;
    cm_barrier_t *b = cm__add_barrier(m, CM_BARRIER_EXPERIENCE, CM_BC_EXPERIENCE_SHORT, hard, lev);
    b->limit = (int)want;
    b->months = c->experience;
    b->what = close ? CM_EXPERIENCE_CLOSE : 0u;
    if (hard)
        m->gap += (want - c->experience) / want;
}

void cm__score_pair(const cm__score_config_t *cfg, const cm__cand_fields_t *c,
                    const cm__offer_fields_t *o, double text, bool detail, cm_match_t *m)
{
    cm__score_pair_km(cfg, c, o, cm__distance_km(c->loc, o->loc), text, detail, m);
}

void cm__score_pair_km(const cm__score_config_t *cfg, const cm__cand_fields_t *c,
                       const cm__offer_fields_t *o, double km, double text, bool detail,
                       cm_match_t *m)
{
    cm__commute_t r = cm__commute_eval(cfg, cm__commute_in(c, o), km);
    cm__score_pair_known(cfg, c, o, km, &r, text, detail, m);
}

void cm__score_pair_known(const cm__score_config_t *cfg, const cm__cand_fields_t *c,
                          const cm__offer_fields_t *o, double km, const cm__commute_t *r,
                          double text, bool detail, cm_match_t *m)
{
    const uint32_t *cskills = c->hash;
    double *ex = m->explain;
    (void)pthread_once(&masks_once, masks_init);
    m->n_barriers = 0;
    m->eligible = true;
    m->gap = 0.0;

    /* Skills: weighted coverage, required 2, optional 1 (a diploma's skills count as held). */
    if (o->n_skills == 0) {
        ex[CM_F_SKILLS] = 1.0;
    } else {
        unsigned tot = 0, got = 0, nreq = 0, hreq = 0;
        for (size_t i = 0; i < o->n_skills; i++) {
            bool req = (o->skill_required >> i) & 1;
            unsigned w = req ? 2u : 1u;
            bool held =
                (o->skill_dip[i] & c->diplomas) || cm__has_u32(cskills, c->n_skills, o->hash[i]);
            tot += w;
            got += held ? w : 0u;
            nreq += req;
            hreq += req && held;
        }
        /* Most required skills not held yet, and the employer trains before hiring or offers
         * an immersion she is open to: said, with that lever, and half of each missing
         * skill counted (a career changer's best offer ranked 15th, its skills at 0, with no
         * word of the training it offers: an adviser's probe) */
        unsigned lev =
            ((o->flags & CM__O_TRAINING) && (c->flags & CM__C_TRAINING) ? CM_LEVER_PRE_HIRE_TRAINING
                                                                        : 0u) |
            ((o->flags & CM__O_IMMERSION) && (c->flags & CM__C_IMMERSION) ? CM_LEVER_IMMERSION
                                                                          : 0u);
        double learnt = 0; /* half of what is missing, when it is to be learnt */
        if (lev && nreq && 2 * hreq < nreq) {
            learnt = (tot - got) / 2.0;
            cm_barrier_t *b =
                cm__add_barrier(m, CM_BARRIER_SKILLS, CM_BC_SKILLS_TO_LEARN, false, lev);
            b->limit = (int)nreq;
            b->months = (int)(nreq - hreq); /* the missing ones, for the sentence */
        }
        ex[CM_F_SKILLS] = (got + learnt) / tot;
    }
    bool route = certs_factor(cfg, c, o, detail, m);
    cm__commute_factor(cfg, c, r, km, o->work_pattern & CM__WORK_TWO_TRIPS ? 2u : 1u, m);
    bool licence = c->flags & CM__C_LICENCE;
    if ((o->flags & CM__O_LICENCE) && !licence) {
        /* the licence itself is the lever (its funding); a mobility aid moves her, it does
         * not give her the right to drive */
        cm__add_barrier(m, CM_BARRIER_LICENCE, CM_BC_LICENCE_MISSING, true,
                        CM_LEVER_DRIVING_LICENCE_FUNDING);
        m->gap += 1.0;
    }
    if ((o->flags & CM__O_OWN_VEHICLE) && !(licence && (c->flags & CM__C_VEHICLE))) {
        /* Her own car for the rounds: none (or no licence to drive it). */
        cm__add_barrier(m, CM_BARRIER_VEHICLE, CM_BC_VEHICLE_MISSING, true,
                        CM_LEVER_MOBILITY_AID | (licence ? 0u : CM_LEVER_DRIVING_LICENCE_FUNDING));
        m->gap += licence ? 0.8 : 1.5;
    }
    /* a solo parent's day holds her journey, but no more of it than she would take: past
     * her limit the commute is its own barrier (an adviser's probe: a 270-minute walk asked
     * for five hours of childcare) */
    double wall =
        c->limit_assumed ? 2.0 * c->max_minutes : c->max_minutes * (1 + cfg->commute_grace);
    schedule_factor(cfg, c, o, r->best >= 0 ? (int)fmin(r->minutes, floor(wall)) : 0, m);
    childcare_note(c, o, m);
    disability_factor(c, o, m);
    contract_factor(cfg, c, o, route, m);
    experience_factor(cfg, c, o, m);
    ex[CM_F_TEXT] = text < 0 ? 0 : text > 1 ? 1 : text;
    m->score = cm__score_total(cfg, ex);
    /* Restrictions and an offer that does not say it is open to disabled workers: the ones
     * that do come first (an adviser's probe). Only lowers a score: every bound holds. */
    if ((c->flags & CM__C_DISABILITY) && c->restrictions && !(o->flags & CM__O_ACCESSIBLE) &&
        cfg->access_penalty > 0)
        m->score = floor(m->score * (1.0 - cfg->access_penalty) * 10.0 + 0.5) / 10.0;
    if (detail)
        for (size_t i = 0; i < m->n_barriers; i++)
            cm__barrier_explain(c, o, m, &m->barriers[i]);
}
