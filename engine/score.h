/* Scoring model internals shared by score.c, skills.c, catalog.c and match.c: the compact
 * per-record scoring fields, the weights and constants, and the pair scorer. */
#ifndef CAREMATCH_ENGINE_SCORE_H
#define CAREMATCH_ENGINE_SCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "carematch/engine.h"
#include "carematch/record.h"
#include "internal.h"

/* ---- Constants (defaults; SCORING.md has the table, the JSON config overrides) ---- */
#define CM__MODES 5 /* car, transit, bike, walk, moped: index = bit position of CM_MODE_* */
#define CM__MODE_TRANSIT_DENSE 5 /* mode[] index of transit inside a dense network (no bit) */
#define CM__MODE_TRANSIT_RER 6   /* mode[] index of the RER between Paris and its outer ring */
#define CM__REACH_MAX_KM 120.0 /* no pair further apart than this is ever retrieved */
#define CM__SCORED_MAX 20000   /* pre-score cap on the scored set */

typedef struct cm__mode_const {
    double detour;   /* road distance / great-circle distance */
    double speed;    /* km/h */
    double wait_min; /* fixed minutes added (transit waits) */
} cm__mode_const_t;

struct cm__score_config {
    double weight[CM_F__COUNT];
    /* mode[CM__MODE_TRANSIT_DENSE]: transit when both ends lie in one dense network (Paris
     * and its inner suburbs, Lyon...: metro, RER, tram; cm__dense_area) */
    cm__mode_const_t mode[CM__MODES + 2];
    /* Car speed by distance band (rural trips are faster per km than town ones): the first
     * car_town_km of road at car_town_speed, up to car_rural_km at mode[car].speed, beyond at
     * car_rural_speed. */
    double car_town_km, car_town_speed, car_rural_km, car_rural_speed;
    /* transit (national average, outside a dense network): transit_town_km of road at
     * mode[transit].speed (the town's bus), beyond at transit_regional_speed (the coach or TER
     * between towns: an adviser's probe timed Auray -> Vannes, 17.5 km, as 1 h 30 by bus) */
    double transit_town_km, transit_regional_speed;
    /* a TER line's trip (cm__rail_minutes): the ride plus this, the walks or buses to and from
     * the stations and the wait */
    double rail_access_min;
    double commute_full_ratio;    /* commute score 1 up to this share of max_minutes */
    double commute_at_limit;      /* commute score at max_minutes (falls from 1 at 0 min) */
    double commute_exponent;      /* shape of the fall: 1 - (1 - at_limit) x share^exponent */
    double schedule_min_coverage; /* below: CM_BARRIER_SCHEDULE (hard) */
    double experience_full_months;
    double experience_unstated_months; /* experience asked with no length ("Expérience exigée"):
                                          what meets it; the factor still saturates at full */
    double hours_tolerance; /* hours off the wanted range at which the fit reaches 0 */
    double hours_flag;      /* hours off the range from which an advisory barrier says so */
    double experience_grace; /* share of the months required from which a shortfall is
                                advisory (1: any shortfall is hard) */
    double hours_flag_share; /* ... or this share of the bound passed (12 h against a 20 h
                                minimum is 40 % short) */
    double contract_share;  /* part of the contract factor given by the contract kind */
    double reach_margin;    /* retrieval radius x this (+ reach_extra_km): near misses */
    double mobility_lever_km; /* no licence: offers this near are found (mobility aid) */
    double walk_anyone_minutes;  /* a walk this short is open to all, whatever modes listed */
    double commute_long_minutes; /* within her limit but longer: an advisory barrier (0: off) */
    double same_place_km;        /* two positions on one point (both set by their commune): the trip
                                    counted across the commune, this far (0: off) */
    double commute_grace;        /* share of her stated limit over which a commute is hard (below:
                                    an advisory commute_too_long) */
    double reach_extra_km;
    double reach_max_km;
    unsigned scored_max;
    unsigned text_shortlist; /* kept for old configs: the text factor is now exact (SCORING.md) */
    /* A pair met through a neighbouring ROME code (match option neighbours) scores
     * x (1 - neighbour_penalty - neighbour_rank_penalty x (rank - 1)), at least x 0.5: below a
     * same-code pair of equal fit, the nearer neighbours first. */
    double neighbour_penalty;
    /* A person with a recognised disability and work restrictions: an offer that does not say
     * it is open to disabled workers scores x (1 - access_penalty) (accessible ones first) */
    double access_penalty;
    double neighbour_rank_penalty;
};

/* ---- Labels (skills.c) ---- */
/* Normalise a free label into out (lower case, accents folded, punctuation -> space, plural
 * s/x stripped, single letters dropped, one space between words). Returns the length. */
size_t cm__label_normalise(const char *label, char *out, size_t cap);
/* Hash of a skill label after normalisation and synonym folding (0 never returned). */
uint32_t cm__skill_hash(const char *label);
/* The skills a candidate's label names (1 to cap, distinct, out[0] its cm__skill_hash): a
 * label that joins several ("aide à la toilette et à l'habillage", "toilette, repas": parts
 * cut at , ; / + & and the word "et") also names the group each part holds by one of its key
 * phrases, not by a bare phrasing ("hygiène et sécurité" is not personal care). */
size_t cm__skill_hashes(const char *label, uint32_t *out, size_t cap);
/* Canonical certification code (upper case, alphanumerics only, equivalences applied:
 * DEAVS/MCAD/DEAMP -> DEAES...). out needs CM_CERT_MAX + 1 bytes. */
void cm__cert_canon(const char *code, char out[CM_CERT_MAX + 1]);
uint32_t cm__cert_hash(const char *canon);
/* The i-th canonical code a held one also counts as (cm_diploma_also_at: DEAES -> TP_ADVF,
 * DEI -> DEAS then TP_ADVF), in cm__cert_canon's form; false past the last. */
bool cm__cert_also(const char *canon, size_t i, char out[CM_CERT_MAX + 1]);
/* Regulated profession of a ROME code: the required certification and the job's name, or
 * false when the ROME is not regulated. */
bool cm__rome_regulated(const char rome[6], const char **cert, const char **job);
/* CM_WORK_FACT_* of an offer record, as its fields (cm__offer_fields_t.facts) hold them: for
 * the index's filter terms. */
uint8_t cm__offer_facts(const cm_offer_t *o);
/* Is the job title (OGR) one its code's rule does not reach (the auxiliaire parentale)? */
bool cm__title_unregulated(uint32_t ogr);
/* Diplomas imply skills (engine/ref/diploma_skills_data.c: the ROME 4.0 core skills of the
 * codes a diploma leads to, and the sector's phrasings). cm__diploma_bit: the bit of a diploma
 * (cert hash of its canonical code) in that table, 0 if it implies nothing; cm__skill_diplomas:
 * the bits of the diplomas that imply a skill (its cm__skill_hash). */
uint16_t cm__diploma_bit(uint32_t cert_hash);
uint16_t cm__skill_diplomas(uint32_t skill_hash);
/* "J1501" -> a small positive integer (0 for a malformed code). */
uint32_t cm__rome_code(const char *rome);

/* ---- Text signatures (textsig.c) ----
 * The set of a record's French word stems (accents folded, Xapian's French stemmer; stop
 * words and 1-2 letter stems left out; the first 4,096 such words of the record) as sorted
 * unique 32-bit hashes. */
typedef struct cm__sig {
    uint32_t *h; /* owned; NULL when n == 0 */
    uint32_t n;
} cm__sig_t;

/* Signature of the text fields the index holds: offer title, description, employer name,
 * city, skill labels; candidate summary and skills. Errors: CM_ENOMEM, CM_EINTERNAL. */
int cm__sig_offer(const cm_offer_t *o, cm__sig_t *out);
int cm__sig_candidate(const cm_candidate_t *c, cm__sig_t *out);
void cm__sig_clear(cm__sig_t *s);
/* The text factor: |A ∩ B| / max(min(|A|, |B|), 6), 0 when either is empty. Symmetric. */
double cm__sig_overlap(const cm__sig_t *a, const cm__sig_t *b);

/* ---- Compact scoring fields ---- */
enum { /* offer flags */
       CM__O_LICENCE = 1u << 0,
       CM__O_VEHICLE = 1u << 1,
       CM__O_ACCESSIBLE = 1u << 2,
       CM__O_IMMERSION = 1u << 3,
       CM__O_TRAINING = 1u << 4,
       CM__O_HAS_SCHEDULE = 1u << 5,
       CM__O_OWN_VEHICLE = 1u << 6, /* the worker brings her own vehicle */
       CM__O_NIGHT_WORK = 1u << 7   /* its hours hold night work (cm__week_night_work) */
};
/* Night work as the labour code counts it: a run of three hours or more between 21:00 and
 * 06:00 on the circular week. */
bool cm__week_night_work(const cm_week_t *w);
/* Offer work pattern, physical demands, experience asked; candidate restrictions and strict
 * wishes: the scorer's own bits, mapped from the record's in the fields' init. */
enum {
    CM__WORK_NIGHT = 1u << 0,
    CM__WORK_WEEKEND = 1u << 1,
    CM__WORK_DAY = 1u << 2,
    CM__WORK_SHIFTS = 1u << 3, /* a rota: early and late shifts (2x8) */
    CM__WORK_SPLIT = 1u << 4,  /* split shifts: the day's work resumes in the evening */
    /* offers only, set by the fields' init: two round trips a day, split shifts said or a
     * day's hours broken by 3 hours or more (home care's morning and evening rounds: she goes
     * home between) */
    CM__WORK_TWO_TRIPS = 1u << 5
};
_Static_assert(CM_RESTRICT_LIFTING == 1 && CM_RESTRICT_STANDING == 2 && CM_RESTRICT_HEARING == 4 &&
                   CM_RESTRICT_NIGHT == 8 && CM_DEMAND_LIFTING == 1 && CM_DEMAND_STANDING == 2 &&
                   CM_DEMAND_HEARING == 4 && CM_STRICT_HOURS == 1 && CM_STRICT_CONTRACTS == 2 &&
                   CM_XP_BEGINNER == 1 && CM_XP_WANTED == 2 && CM_XP_REQUIRED == 3,
               "the scorer copies these record bits as they are");
enum {
    CM__RESTRICT_LIFTING = 1u << 0,
    CM__RESTRICT_STANDING = 1u << 1,
    CM__RESTRICT_HEARING = 1u << 2,
    CM__RESTRICT_NIGHT = 1u << 3
};
/* offer demands use the first three restriction bits: a demand meets the same restriction */
enum { CM__STRICT_HOURS = 1u << 0, CM__STRICT_CONTRACTS = 1u << 1 };
enum { CM__XP_UNSET = 0, CM__XP_BEGINNER, CM__XP_WANTED, CM__XP_REQUIRED };
enum { /* candidate flags */
       CM__C_LICENCE = 1u << 0,
       CM__C_VEHICLE = 1u << 1,
       CM__C_DISABILITY = 1u << 2,
       CM__C_IMMERSION = 1u << 3,
       CM__C_TRAINING = 1u << 4,
       CM__C_SOLO_PARENT = 1u << 5,
       CM__C_HAS_AVAIL = 1u << 6,
       CM__C_CHILDREN = 1u << 7
};

typedef struct cm__offer_fields {
    cm_geo_t loc;
    uint32_t rome;
    uint8_t area; /* cm__dense_area of loc */
    uint8_t contract;
    uint8_t status;
    uint8_t flags;
    uint8_t n_skills, n_certs;
    bool borrowed; /* hash, cert_names and text live in a loaded snapshot (its mapping or
                    * packed copies): never freed alone */
    uint8_t spread; /* placed on its commune's point: how far across it, 100 m units (0: a
                     * point of its own) */
    uint16_t week_count;
    uint8_t work_pattern;   /* CM_WORK_* */
    uint8_t demands;        /* CM_DEMAND_* */
    uint8_t usual_demands;  /* none stated: the demands its ROME code usually has */
    uint8_t xp_level;       /* cm_experience_level_t */
    uint16_t xp_months;     /* experience asked for, months */
    uint16_t contract_days; /* fixed-term length, 0 = not stated / permanent */
    float hours;
    uint64_t skill_required; /* bit i: skill i required */
    uint32_t cert_required;  /* bit i: cert i required (regulated ones always) */
    uint32_t cert_regulated; /* bit i: cert i implied by the regulated ROME */
    uint32_t *hash;          /* n_skills skill hashes then n_certs cert hashes; owned */
    uint16_t *skill_dip;     /* per skill, the diplomas that imply it (in hash's allocation) */
    char *cert_names;        /* n_certs codes as barriers name them (the offer's own; the regulated
                              * one the referential's), NUL-separated; owned */
    cm__sig_t text;          /* owned */
    cm_week_t week;
    char rome_str[6];
    /* one window, the same on each of shift_days, in minutes (shift_to > shift_from, within
     * the day): a solo parent's overruns are counted to the minute; shift_to 0: several or
     * none, the week's half-hours count (schedule_factor) */
    uint16_t shift_from, shift_to;
    uint8_t shift_days;
    /* its shifts' earliest start and latest end in the day (half-hours, a run's first slot and
     * one past its last; runs across midnight count neither there): 48 and 0 when none */
    uint8_t first_start, last_end;
    uint8_t facts;  /* CM_WORK_FACT_*: what search filters read (cm__offer_facts) */
    uint8_t abroad; /* its given point beyond the border: the country (cm__abroad), else 0 */
    /* cold: read only for offers with certifications (hot fields first: one cache line) */
    uint8_t cert_group[32]; /* per cert: alternatives group (0 = alone) */
} cm__offer_fields_t;

typedef struct cm__cand_fields {
    cm_geo_t loc;
    uint8_t area; /* cm__dense_area of loc */
    uint8_t modes;
    uint8_t flags;
    uint8_t contracts;
    uint8_t n_skills, n_certs;
    uint8_t children;
    uint8_t restrictions; /* CM_RESTRICT_* */
    bool borrowed;        /* hash and text live in a loaded snapshot: never freed alone */
    uint8_t spread;       /* as the offer's */
    uint16_t diplomas;    /* cm__diploma_bit of the diplomas held: they imply their skills */
    uint8_t strict;       /* CM_STRICT_* */
    uint8_t limit_assumed; /* max_minutes nobody stated: over it is said, never hard */
    uint16_t max_minutes;
    uint16_t experience;
    uint16_t week_count;
    uint8_t avail_days; /* CM_DAY_* days a window starts on, or wholly available */
    uint8_t n_titles;   /* desired job titles (candidate search; scoring ignores them) */
    bool licence_stated; /* her driving_licence given, true or false (the sentences) */
    float hours_min, hours_max;
    float reach_km; /* retrieval radius (with margin, capped) */
    /* n_skills sorted skill hashes, n_certs sorted cert hashes, then n_titles OGR codes and
     * n_titles cm__rome_code of each title's ROME code; owned */
    uint32_t *hash;
    cm__sig_t text; /* owned */
    cm_week_t week;
    /* her one window, the same each day she gives, in minutes, as shift_from/shift_to */
    uint16_t avail_from, avail_to;
    char avail_desc[24]; /* "08:30-16:30", "07:00-12:00,16:30-20:30", or "...+" (more) */
} cm__cand_fields_t;

/* Build fields from a record (allocates hash/cert_names/text). Errors: CM_ENOMEM,
 * CM_EINTERNAL. */
int cm__offer_fields_init(cm__offer_fields_t *f, const cm_offer_t *o);
int cm__cand_fields_init(cm__cand_fields_t *f, const cm_candidate_t *c,
                         const cm__score_config_t *cfg);
void cm__offer_fields_clear(cm__offer_fields_t *f);
void cm__cand_fields_clear(cm__cand_fields_t *f);

/* Great-circle distance in km (argument order does not change the result). */
double cm__distance_km(cm_geo_t a, cm_geo_t b);
/* The same with the cosines of both latitudes known (cm__lat_cos of each): bit for bit the
 * same value, for a retrieval that measures one place against many. */
double cm__distance_km_cos(cm_geo_t a, cm_geo_t b, double cos_a, double cos_b);
double cm__lat_cos(cm_geo_t p);

/* Score one pair into *m (offer/candidate pointers untouched). text: the text factor in 0..1
 * (0 when unknown). detail: also write barrier details and advisory notes (slower); without
 * it barriers carry kinds and levers only. Same inputs, same output, bit for bit. */
void cm__score_pair(const cm__score_config_t *cfg, const cm__cand_fields_t *c,
                    const cm__offer_fields_t *o, double text, bool detail, cm_match_t *m);
/* The same with km = cm__distance_km(c->loc, o->loc) already known (bit for bit that value). */
void cm__score_pair_km(const cm__score_config_t *cfg, const cm__cand_fields_t *c,
                       const cm__offer_fields_t *o, double km, double text, bool detail,
                       cm_match_t *m);
/* What the commute of a pair reads: the candidate's limit, modes and flags, and whether both
 * ends lie in one dense network (cm__dense_pair). Small enough to sit beside each record in
 * the grid. */
typedef struct cm__commute_in {
    uint16_t max_minutes;
    uint8_t modes, cand_flags, dense;
    uint8_t limit_assumed; /* the candidate stated no limit: over it is no hard barrier */
    uint8_t spread;        /* both on one point: how far across their commune (100 m), or 0 */
    uint8_t cross;         /* minutes out of an isle or a cirque (cm__cross_minutes) */
    uint8_t rail;          /* a TER line's ride between the two areas, minutes (cm__rail_pair) */
} cm__commute_in_t;
/* The dense transit network a place lies in (1.., index in the table of score_config.c), or 0:
 * both ends of a trip in the same one ride its metro and RER (CM__MODE_TRANSIT_DENSE). */
uint8_t cm__dense_area(cm_geo_t loc);
#define CM__AREA_PARIS 1u
#define CM__AREA_CORES 16u /* cities 1..16; then each one's ring of commuter towns, 17..32 */
#define CM__AREA_PARIS_OUTER (CM__AREA_PARIS + CM__AREA_CORES)
#define CM__DENSE 1u     /* cm__dense_pair: both ends in one network */
#define CM__DENSE_RER 2u /* one in a city, the other in its ring: regional rail, or the network */
#define CM__RING 4u /* two towns of one ring: no line between them, the suburban bus (no coach) */
/* One network: both ends in one city (CM__DENSE), or one in a city and the other in its ring
 * of commuter towns (CM__DENSE_RER: Cergy -> La Défense rides the RER A, Aix -> Marseille the
 * TER); two towns of a ring are no line apart: the suburban bus all the way (CM__RING), not
 * the coach or TER between towns elsewhere. */
static inline uint8_t cm__dense_pair(uint8_t a, uint8_t b)
{
    if (a > 2 * CM__AREA_CORES || b > 2 * CM__AREA_CORES)
        return 0; /* an isle (cm__isle_minutes) has no network */
    if (a && a == b)
        return a <= CM__AREA_CORES ? CM__DENSE : CM__RING;
    return a && b && (a + CM__AREA_CORES == b || b + CM__AREA_CORES == a) ? CM__DENSE_RER : 0;
}
/* The minutes out of an isle or a cirque (areas past the rings), 0 for any other area. */
uint8_t cm__isle_minutes(uint8_t area);
/* The minutes a trip between two areas adds for leaving and entering isles: none within one. */
static inline uint8_t cm__cross_minutes(uint8_t a, uint8_t b)
{
    if (a == b || (a <= 2 * CM__AREA_CORES && b <= 2 * CM__AREA_CORES))
        return 0;
    return (uint8_t)(cm__isle_minutes(a) + cm__isle_minutes(b));
}
/* The ride in minutes, station to station, of a TER line between two areas (a station's town,
 * or a city by its core), 0 when none joins them (score_config.c). */
uint8_t cm__rail_ride(uint8_t a, uint8_t b);
/* How far a TER line from her area takes her within `minutes`: the far end's disc (0: none). */
double cm__rail_reach_km(const struct cm__score_config *cfg, uint8_t area, cm_geo_t loc,
                         double minutes);
static inline uint8_t cm__rail_pair(uint8_t a, uint8_t b)
{
    return a && b && a != b && !(a > CM__AREA_CORES && a <= 2 * CM__AREA_CORES) &&
                   !(b > CM__AREA_CORES && b <= 2 * CM__AREA_CORES)
               ? cm__rail_ride(a, b)
               : 0;
}
/* A grid entry's max_minutes holds the limit (low byte: at most CM_MAX_MINUTES_MAX), the
 * record's dense area (CM__MINUTES_AREA bits; offers too) and this bit when the limit was
 * assumed (cm__gpt_t). */
#define CM__MINUTES_LIMIT 0x00ffu
#define CM__MINUTES_AREA_SHIFT 8
#define CM__MINUTES_AREA 0x7f00u
#define CM__MINUTES_ASSUMED 0x8000u
/* Commute by the candidate's own means over km: the best usable mode (-1: none), its minutes
 * rounded, and the factor falling from 1 at 0 minutes (0 beyond the limit or with no mode: a
 * hard barrier). What scoring and both bounds read of a pair's commute: matching evaluates
 * it once per pair (cm__score_bound, cm__score_bound_pair, cm__score_pair_known). */
typedef struct cm__commute {
    int best;
    double minutes, factor;
    bool hard;
    uint8_t dense; /* in.dense: transit timed as a dense network's (CM__DENSE, CM__DENSE_RER) */
    double trip;   /* the km it is timed on (two places on one point: across their commune) */
    uint8_t cross; /* in.cross: minutes out of an isle or a cirque, in every mode's time */
    bool same;     /* both on their commune's point, over her limit up to twice it: the trip
                    * across it is a guess, advisory */
} cm__commute_t;
/* The mode[] constants of mode m (CM__MODE_TRANSIT_DENSE for transit when dense). */
static inline int cm__mode_at(int m, bool dense)
{
    return m == 1 && dense ? CM__MODE_TRANSIT_DENSE : m;
}
/* Minutes of mode m over km at a cm__dense_pair level: between Paris and its outer ring, the
 * faster of the RER and the network (a short hop across the ring's edge is the metro's). */
double cm__trip_minutes(const struct cm__score_config *cfg, int m, uint8_t dense, double km);
cm__commute_t cm__commute_eval(const cm__score_config_t *cfg, cm__commute_in_t in, double km);
/* Her own car: the licence, a vehicle, and the car among her modes or no moped that would be
 * the vehicle she means (an adviser's probe: a licence holder's scooter was counted as a car). */
static inline bool cm__own_car(uint8_t modes, uint8_t cand_flags)
{
    return (cand_flags & CM__C_LICENCE) && (cand_flags & CM__C_VEHICLE) &&
           ((modes & CM_MODE_CAR) || !(modes & CM_MODE_MOPED));
}
/* The rounds of an offer that asks for her own vehicle and no licence are done on her moped
 * when she has no car (an adviser's probe: a scooter rider was told she had no vehicle). */
static inline bool cm__rounds_by_moped(uint8_t offer_flags, uint8_t modes, uint8_t cand_flags)
{
    return !(offer_flags & CM__O_LICENCE) && (modes & CM_MODE_MOPED) &&
           !cm__own_car(modes, cand_flags);
}
/* Does she bring the vehicle an offer asks for (CM__O_OWN_VEHICLE)? */
static inline bool cm__own_vehicle_ok(uint8_t offer_flags, uint8_t modes, uint8_t cand_flags)
{
    return cm__own_car(modes, cand_flags) || cm__rounds_by_moped(offer_flags, modes, cand_flags);
}
/* An offer that asks for her own vehicle is reached by car: the trip its vehicle barrier
 * (and that barrier's lever) would open, not a second wall by bus or bike (an adviser's probe:
 * the licence holder without a car was told "1 h 13 à vélo" first, behind one with neither). */
static inline cm__commute_in_t cm__commute_by_car(cm__commute_in_t in, uint8_t offer_flags)
{
    if ((offer_flags & CM__O_OWN_VEHICLE) &&
        !cm__rounds_by_moped(offer_flags, in.modes, in.cand_flags)) {
        in.modes |= CM_MODE_CAR;
        in.cand_flags |= CM__C_LICENCE | CM__C_VEHICLE;
    }
    return in;
}
/* The commute inputs of a pair. */
static inline cm__commute_in_t cm__commute_in(const cm__cand_fields_t *c,
                                              const cm__offer_fields_t *o)
{
    cm__commute_in_t in = {c->max_minutes,
                           c->modes,
                           c->flags,
                           cm__dense_pair(c->area, o->area),
                           c->limit_assumed,
                           c->spread > o->spread ? c->spread : o->spread,
                           cm__cross_minutes(c->area, o->area),
                           cm__rail_pair(c->area, o->area)};
    return cm__commute_by_car(in, o->flags);
}
/* The gap a commute beyond the limit adds (a whole limit beyond counts 1; no mode: 1). */
static inline double cm__commute_gap(double max_minutes, const cm__commute_t *r)
{
    return r->best < 0 ? 1.0 : (r->minutes - max_minutes) / max_minutes;
}
/* The pair's commute into m (score_commute.c): distance, mode and minutes, its factor, and
 * its barrier with levers when over the limit or long; r = cm__commute_eval at km. */
/* trips: round trips a day (2 for split shifts, CM__WORK_TWO_TRIPS) */
/* score_schedule.c: the schedule factor of a pair (coverage, days never worked, a solo
 * parent's day end with her journey of commute_min minutes, the offer's work pattern), its
 * barriers added to m; and the advisory childcare note for hours outside school and
 * after-school care. */
void cm__score_schedule(const cm__score_config_t *cfg, const cm__cand_fields_t *c,
                        const cm__offer_fields_t *o, int commute_min, cm_match_t *m);
void cm__score_childcare(const cm__cand_fields_t *c, const cm__offer_fields_t *o, cm_match_t *m);
/* The advisory commute_off_hours: by bus outside the dense networks, a shift before 07:00 or
 * after 21:00 (score_commute.c). */
void cm__commute_hours(const cm__cand_fields_t *c, const cm__offer_fields_t *o,
                       const cm__commute_t *r, cm_match_t *m);
void cm__commute_factor(const cm__score_config_t *cfg, const cm__cand_fields_t *c,
                        const cm__commute_t *r, double km, unsigned trips, cm_match_t *m);
/* Minutes a solo parent's journey may overrun her available day before it is a barrier:
 * she leaves at 08:26 for a care that opens at 08:30 (the shifts themselves count in whole
 * half-hours, the journey in minutes). */
#define JOURNEY_SLACK_MIN 10
/* A solo parent's overruns to the minute (score_commute.c): both sides one window a day. */
void cm__exact_overruns(const cm__cand_fields_t *c, const cm__offer_fields_t *o, int trip,
                        int *early, uint8_t *early_days, int *late, uint8_t *late_days);
/* A barrier added to m (hard ones make it ineligible), its details cleared; past
 * CM_BARRIERS_MAX a thread's scratch slot (kept for eligibility, not shown). */
cm_barrier_t *cm__add_barrier(cm_match_t *m, int kind, int code, bool hard, unsigned levers);
/* The same with the commute evaluated: r = cm__commute_eval of the pair's commute inputs at km
 * (bit for bit cm__score_pair_km's then). */
void cm__score_pair_known(const cm__score_config_t *cfg, const cm__cand_fields_t *c,
                          const cm__offer_fields_t *o, double km, const cm__commute_t *r,
                          double text, bool detail, cm_match_t *m);
/* A bound on the pair's rank from its commute alone (r, evaluated for a limit of
 * max_minutes; every other factor taken as perfect, the text factor as text_max: 1, or 0 when
 * the text is not scored): *eligible false and *gap > 0 when the commute is a hard barrier
 * (the pair's gap is at least that), else true and 0; returns a score the pair cannot exceed.
 * Lets matching skip the full scoring of pairs that cannot enter the top results, without
 * reading their records. */
double cm__score_bound(const cm__score_config_t *cfg, const cm__commute_t *r, uint16_t max_minutes,
                       double text_max, bool *eligible, double *gap);
/* A tighter bound, from the pair's records but only their cheap parts: the commute, the
 * licence and vehicle asked for, the schedule's coverage, the hours, the experience (skills,
 * certifications and the contract kind taken as perfect, the text as text_max). *eligible
 * false only when one of these is a hard barrier, *gap never more than the pair's gap, and the
 * score returned never less than the pair's: matching reads it before scoring in full. */
double cm__score_bound_pair(const cm__score_config_t *cfg, const cm__cand_fields_t *c,
                            const cm__offer_fields_t *o, const cm__commute_t *r, double text_max,
                            bool *eligible, double *gap);
/* Weighted score 0..100 rounded to 0.1 of the factors in explain. */
double cm__score_total(const cm__score_config_t *cfg, const double explain[CM_F__COUNT]);

/* The defaults, for tests and tools (score_config.c). */
void cm__score_config_defaults(cm__score_config_t *cfg);
/* Minutes of a trip of km great-circle kilometres by mode index m (0 car .. 3 walk), and the
 * inverse (km reached in `minutes`). */
double cm__mode_minutes(const cm__score_config_t *cfg, int m, double km);
double cm__mode_km(const cm__score_config_t *cfg, int m, double minutes);

/* ---- Explanations (explain.c) ----
 * Write b->detail (English) and b->detail_fr (French) from the barrier's code and numbers.
 * c, o and m (commute mode and distance) give the context a sentence names. */
void cm__barrier_explain(const cm__cand_fields_t *c, const cm__offer_fields_t *o,
                         const cm_match_t *m, cm_barrier_t *b);

#endif
