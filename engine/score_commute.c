/* The scoring model's commute: the trip by her own means (cm__commute_eval) and what it
 * adds to a scored pair (factor, barriers, levers: cm__commute_factor). */
#include <math.h>

#include "score.h"

/* The distance a trip is timed on: two positions on one point are two people placed on their
 * commune's point (a postcode, a town named): somewhere across it, not next door (an adviser's
 * probe: "0 min" by car within one commune), as far as the commune is wide (half the distance
 * to its nearest neighbour's point: Toulouse 3.1 km, Arles 8.3; a second adviser's probe saw
 * 31100 -> 31200 and Salin-de-Giraud -> Arles timed as a walk of 8 minutes). */
static double trip_km(const cm__score_config_t *cfg, double km, uint8_t spread)
{
    return km < 0.01 ? fmax(cfg->same_place_km, spread / 10.0) : km;
}

#define TRANSIT_FIRST_SLOT 14 /* 07:00 */
#define TRANSIT_LAST_SLOT 42  /* 21:00 */
#define RURAL_TRANSIT_KM 4.0  /* between villages, not across a town (its own buses) */

cm__commute_t cm__commute_eval(const cm__score_config_t *cfg, cm__commute_in_t in, double at)
{
    double km = trip_km(cfg, at, in.spread);
    bool licence = in.cand_flags & CM__C_LICENCE;
    /* a moped needs no B licence (the AM one, from 14) and is her own */
    unsigned usable = in.modes & (CM_MODE_TRANSIT | CM_MODE_BIKE | CM_MODE_WALK | CM_MODE_MOPED);
    /* The car only when she lists it, holds the licence and has a car: the commute is by her
     * own means. A vehicle the employer provides is the rounds' car ("Véhicule" among France
     * Travail's salary perks), most often left at the agency: it drives her between clients,
     * not from home (an adviser's probe). */
    if (licence && (in.modes & CM_MODE_CAR) && (in.cand_flags & CM__C_VEHICLE))
        usable |= CM_MODE_CAR;
    /* A few minutes on foot are open to anyone, whatever she listed: a job round the corner
     * (or in her own commune) is no "no usable mode" for a driver without her car, nor a bus
     * ride for a bus user. */
    if (!(usable & CM_MODE_WALK) && cfg->walk_anyone_minutes > 0 &&
        cm__mode_minutes(cfg, __builtin_ctz(CM_MODE_WALK), km) <= cfg->walk_anyone_minutes)
        usable |= CM_MODE_WALK;
    cm__commute_t r = {-1, 0.0, 0.0, true, in.dense, km, in.cross, at < 0.01 && in.spread > 0};
    double best_min = 0;
    for (int i = 0; i < CM__MODES; i++) {
        if (!(usable & (1u << i)))
            continue;
        double t = cm__trip_minutes(cfg, i, r.dense, km) + in.cross;
        /* a TER line between the two: the ride, the ways to and from its stations, the wait */
        if (i == __builtin_ctz(CM_MODE_TRANSIT) && in.rail && in.rail + cfg->rail_access_min < t)
            t = in.rail + cfg->rail_access_min;
        if (r.best < 0 || t < best_min) {
            r.best = i;
            best_min = t;
        }
    }
    /* a trip is never "0 min" (a helper's probe: 100 m by bike) */
    r.minutes = r.best < 0 ? 0 : best_min > 0 ? fmax(1.0, floor(best_min + 0.5)) : 0.0;
    double maxm = in.max_minutes, full = cfg->commute_full_ratio * maxm;
    /* A limit nobody stated (45 assumed) is no wall: past it the factor keeps falling, to 0
     * at twice it, and only beyond that is the commute a hard barrier. Her own limit has a
     * grace of a tenth (commute_grace): 33 minutes against her 30 are to be checked with her,
     * not a job she cannot take (the factor keeps falling there too). */
    double wall = in.limit_assumed ? 2 * maxm : maxm * (1.0 + cfg->commute_grace);
    r.hard = r.best < 0 || (r.minutes > maxm && r.minutes > wall);
    /* Both in one commune, placed on its point: the trip timed across it is a guess, not a
     * fact; in a small town the home is most often a short walk away. Over her limit, it is
     * to check with her, not a wall (an adviser's probe: a walker of Mauriac shut out of
     * Mauriac's EHPAD, "2,0 km", with a licence to fund), up to twice her limit: a city as
     * wide as Toulouse is walked across in an hour, no guess needed for that. */
    r.same = r.same && r.best >= 0 && r.minutes > maxm && r.minutes <= 2 * maxm;
    if (r.same) {
        r.hard = false;
        r.factor = cfg->commute_at_limit;
        return r;
    }
    if (r.hard) {
        r.factor = 0.0;
    } else if (r.minutes > maxm) {
        r.factor = cfg->commute_at_limit * (2.0 - r.minutes / maxm);
    } else if (r.minutes <= full) {
        r.factor = 1.0;
    } else {
        double x = (r.minutes - full) / (maxm - full);
        double p = cfg->commute_exponent == 1.5 ? x * sqrt(x) : pow(x, cfg->commute_exponent);
        r.factor = 1.0 - (1.0 - cfg->commute_at_limit) * p;
    }
    return r;
}

/* No usable mode (a licence without a car): the gap grows with how far over her limit her
 * fastest asked mode would still be, so that the job a car would bring within it comes
 * before those it would not (an adviser's probe: 56 minutes by car ranked above 40, both at
 * the flat gap of 1). Added to cm__commute_gap's 1: the bounds' gap stays below it. */
static double no_mode_over(const cm__cand_fields_t *c, const cm_match_t *m, const cm__commute_t *r)
{
    if (r->best >= 0 || !m->commute_mode || c->max_minutes == 0 ||
        m->commute_minutes <= c->max_minutes)
        return 0.0;
    return (m->commute_minutes - c->max_minutes) / c->max_minutes;
}

void cm__commute_factor(const cm__score_config_t *cfg, const cm__cand_fields_t *c,
                        const cm__commute_t *rp, double km, unsigned trips, cm_match_t *m)
{
    cm__commute_t r = *rp;
    double trip = r.trip; /* as cm__commute_eval timed it */
    /* two places on one point: the distance timed across their commune, not 0 */
    m->distance_km = floor((km < 0.01 ? trip : km) * 10 + 0.5) / 10;
    m->commute_mode = r.best >= 0 ? 1 << r.best : 0;
    m->commute_minutes = r.minutes;
    if (r.best < 0) { /* no usable mode: the fastest one she asked for, what a lever would open */
        for (int i = 0; i < CM__MODES; i++) {
            double t = floor(cm__trip_minutes(cfg, i, r.dense, trip) + r.cross + 0.5);
            if ((c->modes & (1u << i)) && (!m->commute_mode || t < m->commute_minutes)) {
                m->commute_mode = 1 << i;
                m->commute_minutes = t;
            }
        }
    }
    m->explain[CM_F_COMMUTE] = r.factor;
    if (r.hard || r.minutes > c->max_minutes) { /* a limit nobody stated: said, not hard */
        /* a licence funded is a lever when she has no mode at all, or when driving would bring
         * her there in time and her own way is a quarter or more too slow: not for a bus two
         * minutes late, nor for a job too far even by car */
        bool licence = c->flags & CM__C_LICENCE;
        double by_car = floor(cm__mode_minutes(cfg, __builtin_ctz(CM_MODE_CAR), trip) + 0.5);
        /* Not for a slow trip inside a dense network (Paris and its suburbs, Lyon...): there
         * the way is its transit, a pass or a mobility aid, not a licence (a helper's probe) */
        bool fund = !licence && !r.same &&
                    (r.best < 0 || (!(r.dense & (CM__DENSE | CM__DENSE_RER)) &&
                                    by_car <= c->max_minutes && r.minutes > 1.25 * c->max_minutes));
        /* A mobility aid for a driver too: France Travail's pays the costs of a long trip
         * (fuel, tolls), what may make a farther job acceptable to her. */
        cm_barrier_t *b = cm__add_barrier(
            m, CM_BARRIER_COMMUTE, r.best < 0 ? CM_BC_COMMUTE_NO_MODE : CM_BC_COMMUTE_TOO_LONG,
            r.hard, CM_LEVER_MOBILITY_AID | (fund ? CM_LEVER_DRIVING_LICENCE_FUNDING : 0u));
        b->minutes = (int)m->commute_minutes;
        b->limit = (int)c->max_minutes;
        /* split shifts' two round trips said here too, past her limit as within it (an
         * adviser's probe: 65 minutes each way twice a day, "5 min de plus" and no word) */
        bool two = trips > 1 && cfg->commute_long_minutes > 0 &&
                   r.minutes * trips > cfg->commute_long_minutes;
        b->what = (c->limit_assumed ? CM_COMMUTE_LIMIT_ASSUMED : 0u) |
                  (r.same ? CM_COMMUTE_SAME_COMMUNE : 0u) | (two ? CM_COMMUTE_TWO_TRIPS : 0u);
        if (r.hard)
            m->gap += cm__commute_gap(c->max_minutes, &r) + no_mode_over(c, m, &r);
    } else if (cfg->commute_long_minutes > 0 && r.minutes * trips > cfg->commute_long_minutes) {
        /* within her own limit, yet hours a day on the road: said, not held against her (a
         * faster way, lent or funded, would shorten it; not for a car). Two round trips a
         * day (split shifts) make it long at half the minutes each way. */
        cm_barrier_t *b =
            cm__add_barrier(m, CM_BARRIER_COMMUTE, CM_BC_COMMUTE_LONG, false,
                            m->commute_mode == CM_MODE_CAR ? 0u : CM_LEVER_MOBILITY_AID);
        b->minutes = (int)m->commute_minutes;
        b->limit = (int)(cfg->commute_long_minutes / trips);
        b->what = trips > 1 ? CM_COMMUTE_TWO_TRIPS : 0u;
    }
}

/* A solo parent's overruns to the minute when both sides have one window a day, the same
 * each day (cm__cand_fields_t.avail_from, cm__offer_fields_t.shift_from): on each day both
 * give whose shift, journey included, meets her window, she leaves before it opens or is
 * back after it closes; a few minutes (JOURNEY_SLACK_MIN) are no barrier. */
void cm__exact_overruns(const cm__cand_fields_t *c, const cm__offer_fields_t *o, int trip,
                        int *early, uint8_t *early_days, int *late, uint8_t *late_days)
{
    uint8_t days = o->shift_days & c->avail_days;
    int leave = o->shift_from - trip, back = o->shift_to + trip;
    *early = *late = 0;
    *early_days = *late_days = 0;
    if (!days || leave >= c->avail_to || back <= c->avail_from)
        return;
    if (c->avail_from - leave > JOURNEY_SLACK_MIN) {
        *early = c->avail_from - leave;
        *early_days = days;
    }
    if (back - c->avail_to > JOURNEY_SLACK_MIN) {
        *late = back - c->avail_to;
        *late_days = days;
    }
}

/* Buses and coaches outside the dense networks run from about 07:00 to 21:00: she who must
 * leave home before, for a shift's start, or come back after, from its end, rides a line that
 * may not run then (an adviser's probe: a 06:30 start by rural bus, with no word; another:
 * a 07:00 start 45 minutes away, leaving at 06:15, had none). Advisory; a mobility aid (a
 * moped, a licence, car-pooling) is the lever. */
void cm__commute_hours(const cm__cand_fields_t *c, const cm__offer_fields_t *o,
                       const cm__commute_t *r, cm_match_t *m)
{
    if (r->best != __builtin_ctz(CM_MODE_TRANSIT) || r->dense || r->hard)
        return;
    /* between two towns that no network, ring, TER line or crossing the engine knows joins,
     * a bus is assumed: in the country it may be on-demand, booked the day before, or a
     * seasonal line (an adviser's probe: Bénévent-l'Abbaye -> Le Grand-Bourg, Briançon ->
     * Névache, "eligible" with no word). Said, not scored. */
    if (!c->area && !o->area && !r->same && m->distance_km >= RURAL_TRANSIT_KM)
        cm__add_barrier(m, CM_BARRIER_COMMUTE, CM_BC_TRANSIT_UNSURE, false, CM_LEVER_MOBILITY_AID);
    if (!(o->flags & CM__O_HAS_SCHEDULE))
        return;
    /* the time of day: to the minute for one window a day, else the half-hour */
    int trip = (int)lround(r->minutes);
    int start = o->first_start < 48 /* none: 48 */
                    ? (o->shift_to ? o->shift_from : 30 * o->first_start)
                    : -1;
    int end = o->last_end > 0 ? (o->shift_to ? o->shift_to : 30 * o->last_end) : -1;
    bool early = start >= 0 && start - trip < 30 * TRANSIT_FIRST_SLOT;
    bool late = end >= 0 && end + trip > 30 * TRANSIT_LAST_SLOT;
    if (!early && !late)
        return;
    cm_barrier_t *b = cm__add_barrier(m, CM_BARRIER_COMMUTE, CM_BC_COMMUTE_OFF_HOURS, false,
                                      CM_LEVER_MOBILITY_AID);
    b->minutes = early ? start : end;
    b->limit = trip; /* she leaves so long before, or is back so long after */
    b->what = early ? 1u : 2u;
}
