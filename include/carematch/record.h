/* carematch records: job offers and candidates, their validation, JSON and binary codecs.
 *
 * Conventions:
 * - A record (cm_offer_t, cm_candidate_t) owns every string and array it points to: they live
 *   in one arena released by cm_offer_free / cm_candidate_free. Strings are NUL-terminated,
 *   valid UTF-8, and NULL when an optional field is absent.
 * - Decoders validate fully (types, ranges, enums, id syntax, UTF-8, sizes) and report the first
 *   fault in `cm_error` with the JSON path of the field ("location.lat", "schedule[1].to").
 * - Coordinates are fixed-point: degrees x 1e6 in int32. Times of day are minutes since
 *   midnight. Dates are days since 1970-01-01 (CM_DATE_NONE when absent).
 * - The binary encoding is versioned (first byte CM_RECORD_FORMAT); decoders refuse unknown
 *   versions with CM_EVERSION so that a newer file is never misread.
 */
#ifndef CAREMATCH_RECORD_H
#define CAREMATCH_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "carematch/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Limits (documented in README "Limits"; every one has a rejecting test) ---- */
#define CM_ID_MAX 64              /* ids: 1..64 chars of [A-Za-z0-9._-] */
#define CM_TITLE_MAX 200          /* offer.title bytes */
#define CM_TEXT_MAX 32768         /* offer.description, candidate.summary bytes */
#define CM_LABEL_MAX 200          /* skill label, employer name, city bytes */
#define CM_CERT_MAX 32            /* certification code: 1..32 chars of [A-Za-z0-9_.-] */
#define CM_SKILLS_MAX 64          /* skills per record */
#define CM_CERTS_MAX 32           /* certifications per record */
#define CM_WINDOWS_MAX 28         /* schedule / availability windows */
#define CM_ROMES_MAX 16           /* candidate.desired_rome entries */
#define CM_TITLES_MAX 16          /* candidate.desired_job_titles entries */
#define CM_HOURS_MAX 70           /* hours per week upper bound */
#define CM_EXPERIENCE_MAX 720     /* experience_months upper bound (60 years) */
#define CM_MAX_MINUTES_MAX 240    /* mobility.max_minutes upper bound */
#define CM_MAX_MINUTES_DEFAULT 45 /* mobility.max_minutes assumed when absent */
#define CM_CHILDREN_MAX 20        /* childcare.children_under_12 upper bound */
#define CM_RECORD_JSON_MAX (1024 * 1024) /* one record's JSON text: the default body limit */

#define CM_CONTRACT_DAYS_MAX 3660 /* offer contract_duration_days upper bound (10 years) */

#define CM_RECORD_FORMAT 4 /* current binary format version (written) */
#define CM_RECORD_FORMAT_MIN                                                                       \
    1 /* oldest format still read (1: no job titles, no place source;                              \
         2: no work pattern, demands, restrictions...; 3: licence and                              \
         vehicle stated or not unknown) */
#define CM_DATE_NONE INT32_MIN

/* ---- Enumerations (JSON names in comments, order is stable: stored in binary) ---- */
typedef enum cm_contract {
    CM_CONTRACT_CDI = 0,           /* "CDI" */
    CM_CONTRACT_CDD,               /* "CDD" */
    CM_CONTRACT_INTERIM,           /* "interim" */
    CM_CONTRACT_APPRENTISSAGE,     /* "apprentissage" */
    CM_CONTRACT_PROFESSIONNALISATION, /* "professionnalisation" */
    CM_CONTRACT_LIBERAL,           /* "liberal" */
    CM_CONTRACT_SAISONNIER,        /* "saisonnier" */
    CM_CONTRACT__COUNT
} cm_contract_t;

typedef enum cm_employer_kind {
    CM_EMPLOYER_UNSET = 0, /* absent */
    CM_EMPLOYER_EHPAD,     /* "ehpad" */
    CM_EMPLOYER_SAAD,      /* "saad" */
    CM_EMPLOYER_SSIAD,     /* "ssiad" */
    CM_EMPLOYER_ESAT,      /* "esat" */
    CM_EMPLOYER_IME,       /* "ime" */
    CM_EMPLOYER_MAS,       /* "mas" */
    CM_EMPLOYER_FAM,       /* "fam" */
    CM_EMPLOYER_FOYER,     /* "foyer" */
    CM_EMPLOYER_HOPITAL,   /* "hopital" */
    CM_EMPLOYER_CRECHE,    /* "creche" */
    CM_EMPLOYER_OTHER,     /* "other" */
    CM_EMPLOYER__COUNT
} cm_employer_kind_t;

typedef enum cm_offer_status {
    CM_OFFER_OPEN = 0, /* "open" (default): searched and matched */
    CM_OFFER_FILLED,   /* "filled" */
    CM_OFFER_CLOSED,   /* "closed" */
    CM_OFFER_STATUS__COUNT
} cm_offer_status_t;

typedef enum cm_candidate_status {
    CM_CAND_ACTIVE = 0, /* "active" (default): matched */
    CM_CAND_INACTIVE,   /* "inactive": kept, not matched */
    CM_CAND_HIRED,      /* "hired": kept, not matched */
    CM_CAND_STATUS__COUNT
} cm_candidate_status_t;

typedef enum cm_salary_period {
    CM_SALARY_NONE = 0, /* no salary given */
    CM_SALARY_HOUR,     /* "hour" */
    CM_SALARY_MONTH,    /* "month" */
    CM_SALARY_YEAR,     /* "year" */
    CM_SALARY__COUNT
} cm_salary_period_t;

/* Mobility modes, a bit set. JSON: "car" "transit" "bike" "walk" "moped" (a moped or scooter,
 * 50 cc: no B licence, the AM one; an adviser's probe timed a rider as a cyclist). */
enum {
    CM_MODE_CAR = 1u << 0,
    CM_MODE_TRANSIT = 1u << 1,
    CM_MODE_BIKE = 1u << 2,
    CM_MODE_WALK = 1u << 3,
    CM_MODE_MOPED = 1u << 4
};

/* An offer's work pattern (JSON work_pattern), a bit set: what it says of its hours,
 * with or without schedule windows. Stored: never renumber. */
enum {
    CM_WORK_DAY = 1u << 0,     /* "day": day work */
    CM_WORK_NIGHT = 1u << 1,   /* "night": night work */
    CM_WORK_WEEKEND = 1u << 2, /* "weekend": weekends and public holidays */
    CM_WORK_SPLIT = 1u << 3,   /* "split": split shifts (horaires fractionnés, coupés) */
    CM_WORK_SHIFTS = 1u << 4,  /* "shifts": rotating shifts (2x8, 3x8, rota) */
    CM_WORK__ALL = 0x1f
};

/* An offer's physical demands (JSON physical_demands), a bit set. Stored: never renumber. */
enum {
    CM_DEMAND_LIFTING = 1u << 0,  /* "lifting": heavy handling, transfers of persons */
    CM_DEMAND_STANDING = 1u << 1, /* "standing": prolonged standing */
    CM_DEMAND_HEARING = 1u << 2,  /* "hearing": alarms, telephone, calls at night */
    CM_DEMAND__ALL = 0x7
};

/* A candidate's work restrictions (JSON restrictions; sensitive), a bit set. The first three
 * mirror CM_DEMAND_* bit for bit. Stored: never renumber. */
enum {
    CM_RESTRICT_LIFTING = 1u << 0,  /* "lifting": no heavy handling or transfers */
    CM_RESTRICT_STANDING = 1u << 1, /* "standing": no prolonged standing */
    CM_RESTRICT_HEARING = 1u << 2,  /* "hearing": hearing impairment */
    CM_RESTRICT_NIGHT = 1u << 3,    /* "night": no night work */
    CM_RESTRICT__ALL = 0xf
};

/* What a candidate holds strict (JSON strict), a bit set: a mismatch is a hard barrier. */
enum {
    CM_STRICT_HOURS = 1u << 0,     /* "hours": hours_per_week range */
    CM_STRICT_CONTRACTS = 1u << 1, /* "contracts": contract types */
    CM_STRICT__ALL = 0x3
};

/* The experience an offer asks for (JSON experience.level). Stored: never reorder. */
typedef enum cm_experience_level {
    CM_XP_UNSET = 0,   /* not stated */
    CM_XP_BEGINNER,    /* "beginner_ok" */
    CM_XP_WANTED,      /* "wanted" */
    CM_XP_REQUIRED,    /* "required" */
    CM_XP__COUNT
} cm_experience_level_t;

/* Days, a bit set: bit 0 = "mon" ... bit 6 = "sun". */
enum { CM_DAY_MON = 1u << 0, CM_DAY_SUN = 1u << 6, CM_DAYS_ALL = 0x7f };

/* Where a record's position comes from. JSON: location.placed_by ("coordinates" is not
 * echoed); anything but CM_LOC_GIVEN means the point is a commune's reference point
 * (location.precision "commune"). Stored: never reorder. */
typedef enum cm_loc_source {
    CM_LOC_GIVEN = 0,        /* lat/lon sent by the client */
    CM_LOC_COMMUNE,          /* "commune": the commune named by its INSEE code */
    CM_LOC_POSTCODE,         /* "postcode": the postcode's only commune */
    CM_LOC_POSTCODE_CITY,    /* "postcode_and_city": a shared postcode, the commune named */
    CM_LOC_POSTCODE_DEFAULT, /* "postcode_default": a shared postcode, no city (or none that
                                matched): the referential's default commune (README) */
    CM_LOC__COUNT
} cm_loc_source_t;

/* ---- Value types ---- */
typedef struct cm_geo {
    int32_t lat_e6; /* latitude  x 1e6, -90e6..90e6 */
    int32_t lon_e6; /* longitude x 1e6, -180e6..180e6 */
} cm_geo_t;

/* A weekly window: on each day of `days`, from `from_min` to `to_min` (minutes since
 * midnight, 0..1439). to_min < from_min means the window runs past midnight into the next
 * day; to_min == from_min is refused by the decoder. */
typedef struct cm_window {
    uint8_t days;
    uint16_t from_min;
    uint16_t to_min;
} cm_window_t;

/* A week as 7 x 48 half-hour slots (bit d*48 + h: day d, half-hour h). Windows are rounded
 * outwards to half-hours (08:15-16:45 covers 08:00-17:00). */
typedef struct cm_week {
    uint64_t bits[6];
} cm_week_t;

typedef struct cm_skill_req {
    const char *label;
    bool required;
} cm_skill_req_t;

typedef struct cm_cert_req {
    const char *code; /* normalised to upper case */
    bool required;
    uint8_t group;    /* 0: alone; 1..CM_CERTS_MAX: alternatives, any one of the group's codes
                         satisfies it; the group is required when any member is */
} cm_cert_req_t;

/* ---- Offer ---- */
typedef struct cm_offer {
    char id[CM_ID_MAX + 1];
    uint64_t version;           /* set by storage: 1 on create, +1 on each replace; 0 unstored */
    const char *title;          /* required, 1..CM_TITLE_MAX bytes */
    const char *description;    /* optional */
    char rome[6];               /* required: one upper-case letter and 4 digits ("J1501") */
    const char *employer_name;  /* optional */
    cm_employer_kind_t employer_kind;
    cm_geo_t loc;               /* required (given, or placed from commune / postcode) */
    const char *city;           /* optional */
    const char *postcode;       /* optional: 5 digits (overseas 97xxx/98xxx included) */
    char commune[6];            /* INSEE commune code, "" when unknown */
    cm_loc_source_t loc_source;
    uint32_t job_title;         /* ROME job title (appellation) OGR code, 0 = none */
    cm_contract_t contract;     /* required */
    double hours_per_week;      /* 0 when absent, else 1..CM_HOURS_MAX */
    cm_window_t *schedule;
    size_t n_schedule;
    cm_skill_req_t *skills;
    size_t n_skills;
    cm_cert_req_t *certs;
    size_t n_certs;
    bool driving_licence_required;
    bool vehicle_provided;
    bool accessible_to_disabled_workers;
    bool immersion_possible;
    bool pre_hire_training;
    cm_salary_period_t salary_period; /* CM_SALARY_NONE: no salary object */
    double salary_min, salary_max;    /* >= 0, min <= max */
    int32_t published_days;           /* CM_DATE_NONE when absent */
    cm_offer_status_t status;
    uint8_t work_pattern;             /* CM_WORK_* set, 0 = not stated */
    uint16_t contract_days;           /* contract length in days, 0 = not stated (or permanent) */
    cm_experience_level_t experience_level;
    int experience_months;            /* 0..CM_EXPERIENCE_MAX; 0 with a level: no length given */
    bool vehicle_required;            /* the worker brings her own vehicle */
    uint8_t demands;                  /* CM_DEMAND_* set */
    void *arena_; /* private */
} cm_offer_t;

/* ---- Candidate ---- */
typedef struct cm_candidate {
    char id[CM_ID_MAX + 1];
    uint64_t version;
    cm_geo_t loc;              /* required (given, or placed from commune / postcode) */
    const char *postcode;      /* optional */
    const char *city;          /* optional */
    char commune[6];           /* INSEE commune code, "" when unknown */
    cm_loc_source_t loc_source;
    char (*desired_rome)[6];   /* n_desired_rome ROME 4.0 codes like "J1501" */
    size_t n_desired_rome;
    uint32_t *desired_titles;  /* ROME job title OGR codes (their codes are in desired_rome) */
    size_t n_desired_titles;
    const char **skills;
    size_t n_skills;
    const char **certs;        /* upper case */
    size_t n_certs;
    int experience_months;     /* 0 when absent */
    uint8_t modes;             /* CM_MODE_* set; default transit|walk when absent */
    int max_minutes;           /* 1..CM_MAX_MINUTES_MAX; 0 when absent: matching then assumes
                                  CM_MAX_MINUTES_DEFAULT, a limit nobody stated (a longer
                                  commute is said, blocking only past twice it) */
    bool driving_licence;
    bool vehicle;
    bool licence_stated;       /* mobility.driving_licence was given (true or false): "no
                                  licence" is then said as a fact, not "or did not say" */
    bool vehicle_stated;       /* mobility.vehicle was given */
    cm_window_t *availability; /* n_availability == 0: available at any time */
    size_t n_availability;
    bool has_childcare;        /* childcare object present */
    int children_under_12;     /* sensitive */
    bool solo_parent;          /* sensitive */
    uint8_t contracts;         /* bit set of (1 << cm_contract_t); 0 = any contract */
    double hours_min, hours_max; /* 0,0 = any; else 0 <= min <= max <= CM_HOURS_MAX */
    bool disability_recognised; /* sensitive */
    bool open_to_immersion;
    bool open_to_training;
    const char *summary;       /* optional */
    cm_candidate_status_t status;
    uint8_t restrictions;      /* CM_RESTRICT_* set; sensitive */
    uint8_t strict;            /* CM_STRICT_* set */
    void *arena_; /* private */
} cm_candidate_t;

/* ---- Decoding from JSON (the contract's format) ----
 * `json`/`len`: the text (need not be NUL-terminated). `path_id`: the id from the URL, or NULL
 * to take "id" from the body; when both are given and differ, CM_EINVAL on field "id".
 * Unknown fields are refused (CM_EINVAL naming the field, with the closest known name in the
 * message); "version" and the echo-only location.precision are accepted and ignored.
 * On success *out is owned by the caller; free with cm_offer_free / cm_candidate_free.
 * Errors: CM_EINVAL (invalid JSON: field empty, message says where; or an invalid field),
 *         CM_EMISSING (a required field is absent; field names it),
 *         CM_ETOOBIG (text over CM_RECORD_JSON_MAX), CM_ENOMEM. */
int cm_offer_from_json(const char *json, size_t len, const char *path_id, cm_offer_t **out,
                       cm_error *err);
int cm_candidate_from_json(const char *json, size_t len, const char *path_id,
                           cm_candidate_t **out, cm_error *err);

/* Parse one JSON value as strictly as the record decoders do: nothing may follow it, a raw
 * NUL byte is refused, so is a member name given twice in one object (readers differ on which
 * copy counts), and the escape \u0000 is read as U+0001 (so that a string is never
 * silently cut there: the caller's text checks then refuse it, naming the field). *out is
 * owned by the caller (cJSON_Delete). More than CM_JSON_VALUES_MAX values (counted by their
 * separators and openers) is refused before any is built. Errors: CM_EINVAL (message: where),
 * CM_ETOOBIG (too many values), CM_ENOMEM. */
#define CM_JSON_VALUES_MAX 20000
/* Arrays and objects nested deeper than this are refused (a record nests 3 deep). A raw control
 * character inside a string (RFC 8259: \t, \n must be escaped) is refused too. */
#define CM_JSON_DEPTH_MAX 64
struct cJSON;
int cm_json_parse_strict(const char *json, size_t len, struct cJSON **out, cm_error *err);

/* Is `s` a valid id (1..CM_ID_MAX chars of [A-Za-z0-9._-])? `len` is strlen(s) or the span. */
bool cm_id_valid(const char *s, size_t len);
/* Is `s` an id no new record may take, because a URL could not address it: "search" and
 * "_bulk" (routes: /v1/offers/search, /v1/offers/_bulk), "." and ".." (clients remove them
 * from paths). Any other id of the contract's syntax, "_x" included, is a record's (until
 * 2026-12 every id starting with "_" was refused). Records stored before keep working. */
bool cm_id_reserved(const char *s, size_t len);

/* Compose, in place, what a client sent decomposed (Unicode NFD, as macOS and iOS often
 * write it): an ASCII letter followed by a combining mark (U+0300..U+036F) that Unicode
 * composes into one code point below U+0250 becomes that code point ("e" U+0301 -> "é"),
 * so that words, skills, job titles and places match their composed spelling. Everything
 * else is left as it is (a mark on a non-ASCII letter, a mark nothing composes with).
 * `s` holds `n` bytes of valid UTF-8; returns the new length (at most n), and writes a NUL
 * there when the text shrank. The record decoders and the server's query parameters apply it. */
size_t cm_text_compose(char *s, size_t n);

/* ---- Encoding to JSON ----
 * Compact JSON text in the contract's format, including "version" when non-zero.
 * CM_JSON_SENSITIVE adds the candidate's sensitive fields (disability_recognised, childcare);
 * without it they are left out (portal scope). Returns NULL on out-of-memory.
 * Owned by the caller; free with cm_free. */
enum { CM_JSON_SENSITIVE = 1u << 0 };
char *cm_offer_to_json(const cm_offer_t *o, unsigned flags);
char *cm_candidate_to_json(const cm_candidate_t *c, unsigned flags);

/* ---- Binary codec (storage) ----
 * Encode into a malloc'd buffer: *buf owned by the caller, free with cm_free.
 * Decode from bytes borrowed for the call only (everything is copied into the record's
 * arena). Errors: CM_ENOMEM, CM_ECORRUPT (truncated or inconsistent), CM_EVERSION.
 * Encoders also check the record's invariants (those the JSON decoder guarantees) and return
 * CM_EINVAL for a record that breaks one, so nothing invalid is ever stored; a decoded record
 * always satisfies them. */
int cm_offer_encode(const cm_offer_t *o, uint8_t **buf, size_t *len);
int cm_offer_decode(const uint8_t *buf, size_t len, cm_offer_t **out);
int cm_candidate_encode(const cm_candidate_t *c, uint8_t **buf, size_t *len);
int cm_candidate_decode(const uint8_t *buf, size_t len, cm_candidate_t **out);

/* Free a record returned by a decoder. NULL, or a record built by hand (arena_ NULL), is a
 * no-op: the caller owns what it assembled itself. */
void cm_offer_free(cm_offer_t *o);
void cm_candidate_free(cm_candidate_t *c);

/* ---- Helpers shared by scoring, search and the server ---- */
/* Enum <-> JSON name. *_name returns a static string; *_parse returns the value or -1. */
const char *cm_contract_name(cm_contract_t c);
int cm_contract_parse(const char *s);
const char *cm_employer_kind_name(cm_employer_kind_t k);
int cm_employer_kind_parse(const char *s);
const char *cm_offer_status_name(cm_offer_status_t s);
/* JSON name of one CM_MODE_* bit ("car" "transit" "bike" "walk" "moped"); "unknown" otherwise. */
const char *cm_mode_name(unsigned mode_bit);
const char *cm_candidate_status_name(cm_candidate_status_t s);
/* JSON names of one bit of the sets above ("night", "lifting", "hours"...); NULL when the bit
 * has no name. */
const char *cm_work_pattern_name(unsigned bit);
const char *cm_demand_name(unsigned bit);
const char *cm_restriction_name(unsigned bit);
const char *cm_strict_name(unsigned bit);
const char *cm_experience_level_name(cm_experience_level_t l); /* NULL for CM_XP_UNSET */

/* The name of `names` (NULL-ended) closest to `given` by edit distance, when close enough to
 * be a typo (1 edit for names up to 4 characters, 2 up to 8, 3 beyond; or one name inside the
 * other), else NULL: for "did you mean" messages. */
const char *cm_suggest_name(const char *given, const char *const *names);

/* Build the half-hour bitmap of a set of windows (n == 0 gives the empty week), rounded
 * outward: a half-hour partly inside a window is set (an offer's schedule: 08:15-16:45 works
 * 08:00-17:00). */
void cm_week_from_windows(const cm_window_t *w, size_t n, cm_week_t *out);
/* The same for a candidate's availability, each edge rounded to the nearest half-hour, a
 * quarter-hour going outward: 08:29-15:31 gives 08:30-15:30 (she cannot take a job starting
 * at 08:00), 08:15-16:45 gives 08:00-17:00 (a job written the same way fits), and an end at
 * 23:59 is midnight. A window that rounds to nothing sets nothing. */
void cm_week_from_availability(const cm_window_t *w, size_t n, cm_week_t *out);
/* Number of half-hour slots set. */
int cm_week_count(const cm_week_t *w);

/* Département code of a postcode ("75011" -> "75", "20000" -> "2A", "97411" -> "974"),
 * written to out[4]; returns false when the postcode is absent or malformed. */
bool cm_department_of_postcode(const char *postcode, char out[4]);
/* A place's département: its postcode's, else its INSEE commune code's ("93008" -> "93",
 * "2A004" -> "2A", "97411" -> "974"): a record placed by its commune alone still counts in its
 * département (stats, facets, candidate search). false when neither tells. */
bool cm_department_of_place(const char *postcode, const char *commune, char out[4]);
/* A département code as a user types it ("93", "2A" or "2a", "971"-"989") into out as
 * cm_department_of_postcode writes it; false for anything else ("20", "99", "00", "9A"). */
bool cm_department_code(const char *d, char out[4]);
/* JSON name of a position's source (location.placed_by): "coordinates", "commune",
 * "postcode", "postcode_and_city", "postcode_default". */
const char *cm_loc_source_name(cm_loc_source_t s);

/* Days since 1970-01-01 <-> "YYYY-MM-DD" (out needs 11 bytes). parse returns false if invalid. */
bool cm_date_parse(const char *s, size_t len, int32_t *days);
void cm_date_format(int32_t days, char out[11]);

#ifdef __cplusplus
}
#endif
#endif
