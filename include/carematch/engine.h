/* carematch engine: the storage (LMDB, source of truth), the search index (Xapian, derived),
 * and matching, behind one handle. This is the only header the server and the CLI need.
 *
 * Conventions:
 * - A cm_engine_t is thread-safe: any thread may call any function concurrently. Writes are
 *   serialised internally; reads run in parallel.
 * - Every write is durable when the call returns 0 (LMDB transaction committed with sync) and
 *   visible to search and matching (read-your-writes): the call waits until the index writer
 *   has applied it, at most `visibility_timeout_ms`; past that it still returns 0 (the write
 *   is durable and will be indexed) and sets *lagging when the caller passed a pointer.
 * - Results owned by the caller say so and name their free function.
 * - Errors: negative CM_E* codes (see error.h); cm_error gets a message for a person.
 */
#ifndef CAREMATCH_ENGINE_H
#define CAREMATCH_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "carematch/error.h"
#include "carematch/record.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cm_engine cm_engine_t;

/* The engine never writes to stderr: what an operator should know (index rebuilt, index writer
 * failing, damaged index set aside) goes to this callback. `event` is a stable machine word
 * ("index_rebuild", "index_error", "index_damaged"...), `message` a sentence for a person; both
 * borrowed for the call. Called from any engine thread, so it must be thread-safe. */
typedef enum cm_log_level { CM_LOG_DEBUG = 0, CM_LOG_INFO, CM_LOG_WARN, CM_LOG_ERROR } cm_log_level_t;
typedef void (*cm_log_fn)(void *arg, cm_log_level_t level, const char *event, const char *message);
/* "debug" "info" "warn" "error" */
const char *cm_log_level_name(cm_log_level_t level);

typedef struct cm_engine_options {
    uint64_t map_size;              /* LMDB map size in bytes; 0 = default 16 GiB */
    bool read_only;                 /* open for reading only (CLI export/get/check) */
    bool no_index_thread;           /* apply index changes inline (CLI tools) */
    /* Leave catalog.snap as it is: loaded if valid but not removed, none written at close
     * (CLI check: it changes no record, and the directory's files are the server's). */
    bool no_catalog_snapshot;
    const char *scoring_config;     /* path of a JSON weights file, NULL = defaults */
    unsigned index_batch_ms;        /* least time between index commits; 0 = default 1 ms */
    /* least time between index commits while no one waits to see a change (writes answered
     * once durable, candidates' changes): fewer, larger commits; 0 = default 50 ms. A wait
     * (cm_engine_want_visible, cm_engine_wait_visible, the engine's own puts) or a backlog of
     * a whole batch brings the next commit to index_batch_ms. */
    unsigned index_lazy_ms;
    /* With the index writer thread: the catalog's snapshot is also written this often (in
     * seconds) while the store changes, so that a start after a crash loads it and replays
     * the changes since instead of rebuilding the catalog; 0 = default 300. Writes wait
     * while it is written (0.5 s for a national store). */
    unsigned catalog_snapshot_interval_s;
    unsigned index_batch_docs;      /* max docs per index commit; 0 = default 2000 */
    unsigned visibility_timeout_ms; /* read-your-writes bound; 0 = default 10000 */
    /* Niceness the index writer thread adds to the process's (Linux, per thread; 0 = none):
     * its Xapian work then yields the CPU to the threads that serve reads. */
    unsigned index_nice;
    cm_log_fn log;                  /* NULL: engine messages are dropped */
    void *log_arg;                  /* passed to log */
    /* Called by the index writer thread whenever changes became visible to searches, or
     * waiting for them became pointless (stopping, index damaged): a front end that parks
     * written requests (cm_engine_put_*_deferred) looks at cm_engine_visible again. Called
     * with engine locks held: it must only signal (e.g. uv_async_send), never call the
     * engine. NULL: none. */
    void (*on_applied)(void *arg);
    void *on_applied_arg;
} cm_engine_options_t;

/* Defaults of the options above, for front ends that show or document them. */
#define CM_DEFAULT_MAP_SIZE (16ull << 30)
#define CM_DEFAULT_INDEX_BATCH_MS 1
#define CM_DEFAULT_INDEX_LAZY_MS 50
#define CM_DEFAULT_CATALOG_SNAPSHOT_INTERVAL_S 300
#define CM_DEFAULT_INDEX_BATCH_DOCS 2000
#define CM_DEFAULT_VISIBILITY_TIMEOUT_MS 10000
/* Records per LMDB transaction in cm_engine_put_offers / _candidates (bulk writes). */
#define CM_BULK_BATCH 1000

/* Open (creating when absent) the data directory `dir`: `dir/lmdb/` and `dir/xapian/`.
 * Replays the change log into the index if the index is behind, and loads the in-memory
 * matching catalog. `opts` may be NULL for defaults.
 * *out owned by the caller; close with cm_engine_close.
 * Errors: CM_EIO, CM_EFULL, CM_EXAPIAN, CM_ECORRUPT, CM_EVERSION, CM_ENOMEM, CM_EINVAL. */
int cm_engine_open(const char *dir, const cm_engine_options_t *opts, cm_engine_t **out,
                   cm_error *err);
/* Flush the index, stop the index writer, close everything. NULL is a no-op. */
void cm_engine_close(cm_engine_t *e);

/* ---- Records ----
 * put: create or replace by id. On success sets rec->version and *created (may be NULL).
 * if_version: 0 = unconditional; CM_IF_ABSENT = only create (HTTP If-None-Match: *);
 * CM_IF_PRESENT = only replace (HTTP If-Match: *); otherwise the stored version must equal it
 * (HTTP If-Match). A failed condition writes nothing and returns CM_EEXIST.
 * Errors: CM_EEXIST, CM_EFULL (map or disk full; nothing written), CM_EIO, CM_ENOMEM,
 *         CM_ECLOSED, CM_EINVAL (read-only engine). */
#define CM_IF_ABSENT UINT64_MAX
#define CM_IF_PRESENT (UINT64_MAX - 1)
int cm_engine_put_offer(cm_engine_t *e, cm_offer_t *rec, uint64_t if_version, bool *created,
                        bool *lagging);
int cm_engine_put_candidate(cm_engine_t *e, cm_candidate_t *rec, uint64_t if_version,
                            bool *created, bool *lagging);
/* The same, durable and in the catalog (matching, candidate search, GET) when they return,
 * without waiting for the search index: *wait_seq is the change searches must reach for the
 * record to be found (0: nothing to wait for: a candidate, which no search index holds, or
 * an index already reported lagging in *lagging). A front end answers once
 * cm_engine_visible(e, *wait_seq) is not 0, instead of holding a thread for it. */
int cm_engine_put_offer_deferred(cm_engine_t *e, cm_offer_t *rec, uint64_t if_version,
                                 bool *created, bool *lagging, uint64_t *wait_seq);
int cm_engine_put_candidate_deferred(cm_engine_t *e, cm_candidate_t *rec, uint64_t if_version,
                                     bool *created, bool *lagging, uint64_t *wait_seq);
/* 1: change seq is visible to searches; 0: not yet (the index writer calls opt.on_applied
 * when that may have changed); -1: it will not be soon (engine stopping, index damaged, the
 * index's disk full): answer now, as lagging. */
int cm_engine_visible(cm_engine_t *e, uint64_t seq);
/* Someone waits to see change seq (a front end parking a written request's answer): the index
 * writer commits it after index_batch_ms rather than index_lazy_ms. */
void cm_engine_want_visible(cm_engine_t *e, uint64_t seq);
/* Blocks, with no time bound, until change seq is visible to searches: 0; CM_ECLOSED when it
 * will not be (engine stopping, index damaged: the next open replays or rebuilds). */
int cm_engine_wait_visible(cm_engine_t *e, uint64_t seq);

/* Bulk put in group-committed transactions (one LMDB transaction per batch).
 * rcs[i] receives each record's result (0 or CM_E*); returns 0 when the call itself worked
 * (individual failures are in rcs), or the error that stopped everything (e.g. CM_EFULL). */
int cm_engine_put_offers(cm_engine_t *e, cm_offer_t **recs, size_t n, int *rcs);
int cm_engine_put_candidates(cm_engine_t *e, cm_candidate_t **recs, size_t n, int *rcs);
/* The same without waiting for the search index at the end, as the single _deferred puts:
 * *wait_seq is the change searches must reach (0: nothing to wait for). For loads where
 * nothing searches meanwhile (the CLI's import): the next call stores while the index writer
 * indexes this one, and cm_engine_close waits for the index writer to drain. */
int cm_engine_put_offers_deferred(cm_engine_t *e, cm_offer_t **recs, size_t n, int *rcs,
                                  uint64_t *wait_seq);
int cm_engine_put_candidates_deferred(cm_engine_t *e, cm_candidate_t **recs, size_t n, int *rcs,
                                      uint64_t *wait_seq);

/* get: *out owned by the caller; free with cm_offer_free / cm_candidate_free.
 * Errors: CM_ENOTFOUND, CM_ECORRUPT, CM_EIO, CM_ENOMEM. */
int cm_engine_get_offer(cm_engine_t *e, const char *id, cm_offer_t **out);
int cm_engine_get_candidate(cm_engine_t *e, const char *id, cm_candidate_t **out);

/* delete: the record, its secondary entries, its index document; for a candidate also every
 * event that names it (right to erasure). Only when the stored version is if_version (HTTP
 * If-Match; 0: any), as a put's condition: otherwise CM_EEXIST and nothing is deleted (a
 * damaged record, whose version is unknown, never matches). Errors: CM_ENOTFOUND, CM_EEXIST,
 * CM_EFULL, CM_EIO. */
int cm_engine_delete_offer(cm_engine_t *e, const char *id, uint64_t if_version);
int cm_engine_delete_candidate(cm_engine_t *e, const char *id, uint64_t if_version);
/* The same with the erasure's audit entry (its seq filled in) written in the erasure's own
 * transaction: a crash can never leave her erased without the entry saying who erased her,
 * nor the entry without the erasure. */
struct cm_audit_entry;
int cm_engine_delete_candidate_audited(cm_engine_t *e, const char *id, uint64_t if_version,
                                       struct cm_audit_entry *audit);

/* After a candidate's delete answered 0: true when the overwrite of the freed pages that held
 * her (the scrub) failed (storage full, I/O error) and is still pending. She is erased from
 * every read; her bytes stay in free pages until a retry succeeds (every second, and at a
 * clean stop). The server then answers 503 rather than 204. */
bool cm_engine_erasure_pending(cm_engine_t *e);

/* Iterate every stored record in id order (export). The callback gets a borrowed record,
 * valid during the call; a non-zero return stops the walk and is returned. */
typedef int (*cm_offer_visit_fn)(void *arg, const cm_offer_t *o);
typedef int (*cm_candidate_visit_fn)(void *arg, const cm_candidate_t *c);
int cm_engine_each_offer(cm_engine_t *e, cm_offer_visit_fn fn, void *arg);
int cm_engine_each_candidate(cm_engine_t *e, cm_candidate_visit_fn fn, void *arg);

/* ---- Events (a step of a candidate's path) ---- */
typedef enum cm_event_kind {
    CM_EVENT_PROPOSED = 0, /* "proposed" */
    CM_EVENT_IMMERSION,    /* "immersion" */
    CM_EVENT_TRAINING,     /* "training" */
    CM_EVENT_HIRED,        /* "hired" */
    CM_EVENT_REJECTED,     /* "rejected" */
    CM_EVENT_WITHDRAWN,    /* "withdrawn" */
    CM_EVENT__COUNT
} cm_event_kind_t;

typedef struct cm_event {
    char candidate_id[CM_ID_MAX + 1];
    char offer_id[CM_ID_MAX + 1]; /* may be empty */
    cm_event_kind_t kind;
    int64_t at; /* seconds since the epoch, UTC */
} cm_event_t;

const char *cm_event_kind_name(cm_event_kind_t k);
int cm_event_kind_parse(const char *s); /* -1 if unknown */
/* Parse "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM[:SS][Z|+hh:mm]" into epoch seconds; false also
 * when the offset carries it outside years 1..9999 (no ISO date to give back). */
bool cm_datetime_parse(const char *s, int64_t *out);
/* Epoch seconds as "YYYY-MM-DDTHH:MM:SSZ", the year always four digits ("0999-05-05T..."), so
 * that cm_datetime_parse reads it back; "" outside years 1..9999. */
void cm_datetime_format(int64_t at, char out[21]);

/* Record an event. The candidate must exist (CM_ENOTFOUND, field "candidate_id"), and the
 * offer too when offer_id is not empty (CM_ENOTFOUND, field "offer_id"). *seq (may be NULL)
 * gets the event's sequence number. Errors also: CM_EFULL, CM_EIO. */
int cm_engine_add_event(cm_engine_t *e, const cm_event_t *ev, uint64_t *seq, cm_error *err);
/* Visit every event, by candidate then in order (export for a migration; read-only engines
 * too). The event is borrowed for the call; a non-zero return stops the walk and is returned. */
typedef int (*cm_event_visit_fn)(void *arg, const cm_event_t *ev);
int cm_engine_each_event(cm_engine_t *e, cm_event_visit_fn fn, void *arg);

/* ---- Audit log (who read which candidate, when) ----
 * Append-only: entries are never changed nor removed, not even by a candidate's erasure
 * (they hold the pseudonymous id and the reader's key name, no personal data). */
typedef struct cm_audit_entry {
    uint64_t seq;                      /* set by the engine */
    int64_t at;                        /* seconds since the epoch, UTC */
    char key_name[64];                 /* the API key's name, never the key */
    char candidate_id[CM_ID_MAX + 1];
    char action[24];                   /* "read", "matches", "listed_in_matches", ... */
} cm_audit_entry_t;

/* Append n entries in one durable transaction (seq filled in). Errors: CM_EFULL, CM_EIO. */
int cm_engine_audit_append(cm_engine_t *e, cm_audit_entry_t *entries, size_t n);
/* Visit entries in order, only those of candidate_id when not NULL, at most `limit` (0 = all)
 * starting after sequence `after`. The entry is borrowed for the call. */
typedef int (*cm_audit_visit_fn)(void *arg, const cm_audit_entry_t *en);
int cm_engine_audit_each(cm_engine_t *e, const char *candidate_id, uint64_t after, size_t limit,
                         cm_audit_visit_fn fn, void *arg);

/* ---- Stats ---- */
typedef struct cm_stats {
    uint64_t candidates_total, candidates_active;
    uint64_t offers_total, offers_open;
    uint64_t events_by_kind[CM_EVENT__COUNT];
    uint64_t candidates_with_events;
    uint64_t candidates_reached; /* with a "training" or "hired" event */
} cm_stats_t;
/* department: NULL for all, else a code like "75", "2A", "974" (from postcodes). */
int cm_engine_stats(cm_engine_t *e, const char *department, cm_stats_t *out);

/* ---- Search (offers) ---- */
enum { CM_SORT_RELEVANCE = 0, CM_SORT_DISTANCE, CM_SORT_DATE };
enum { CM_FACET_ROME = 0, CM_FACET_CONTRACT, CM_FACET_EMPLOYER_KIND, CM_FACET_DEPARTMENT,
       CM_FACET__COUNT };
#define CM_SEARCH_PER_PAGE_MAX 100
#define CM_SEARCH_ROME_MAX 16
#define CM_QUERY_MAX 1024      /* bytes of q */
#define CM_QUERY_WORDS_MAX 100 /* words of q (the ones past it were ignored until 2026-12) */

typedef struct cm_search_query {
    const char *q;              /* French free text, NULL or "" = all open offers */
    bool has_geo;
    cm_geo_t center;
    /* The centre as a place, when has_geo is false: an INSEE commune code, or a postcode (with
     * city to choose among the communes sharing it). The engine places it at the commune's
     * reference point (the search answers say so); unknown: CM_EINVAL on field "commune" or
     * "postcode". NULL when absent. */
    const char *commune;
    const char *postcode;
    const char *city;
    double radius_km;           /* > 0 when has_geo; 0 = no radius limit (distance only) */
    const char *rome[CM_SEARCH_ROME_MAX];
    size_t n_rome;
    uint32_t contracts;         /* bit set of 1 << cm_contract_t; 0 = any */
    uint32_t employer_kinds;    /* bit set of 1 << cm_employer_kind_t; 0 = any */
    int immersion_possible;     /* -1 any, 0 false, 1 true */
    int pre_hire_training;      /* -1 any, 0, 1 */
    int accessible_to_disabled_workers; /* -1 any, 0, 1 */
    int sort;                   /* CM_SORT_*; DISTANCE needs has_geo */
    unsigned offset;            /* (page - 1) * per_page */
    unsigned limit;             /* per_page, 1..CM_SEARCH_PER_PAGE_MAX */
    unsigned facets;            /* bit set of 1 << CM_FACET_* */
    /* q is plain words unless operators is set: then AND OR NOT, +word -word and "phrases"
     * are read (a text that does not parse as such is read as plain words, never an error). */
    bool operators;
    /* How the work is done (bit sets of CM_WORK_FACT_*; 0 = any): offers that have every
     * fact of `with`, and none of `without`. The engine adds to `without` what q denies in
     * so many words ("sans permis", "pas de nuit", "hors week-end"), and takes those words
     * out of the text (cm_search_result_t.read_without says so). */
    unsigned with, without;
} cm_search_query_t;

/* Facts of an offer a search filters on: night work (its pattern, or three hours of its
 * windows between 21:00 and 06:00), weekend work (its pattern, or a shift starting on Saturday
 * or Sunday), a driving licence needed (asked, or her own vehicle asked, or one provided to
 * drive), her own vehicle asked. */
enum {
    CM_WORK_FACT_NIGHT = 1u << 0,
    CM_WORK_FACT_WEEKEND = 1u << 1,
    CM_WORK_FACT_LICENCE = 1u << 2,
    CM_WORK_FACT_VEHICLE = 1u << 3, /* her own vehicle asked */
    CM_WORK_FACT__ALL = 15u
};

/* How much of q the results hold. Plain words: every word (or synonym phrase) must match; when
 * no offer holds them all, the search answers with those holding all but one, then any. */
enum {
    CM_TEXT_MATCH_NONE = 0,     /* no words in q: every open offer (filters apply) */
    CM_TEXT_MATCH_ALL,          /* every word */
    CM_TEXT_MATCH_ALL_BUT_ONE,  /* no offer held every word: all words but one */
    CM_TEXT_MATCH_ANY,          /* no offer held all but one: any word */
    CM_TEXT_MATCH_OPERATORS     /* the query's own operators decided */
};

/* A passage of an offer's text with the searched words marked (byte ranges of text). */
typedef struct cm_snippet_mark {
    uint32_t start, len;
} cm_snippet_mark_t;
#define CM_SNIPPET_MARKS_MAX 16
typedef struct cm_snippet {
    const char *field;       /* "description" or "title"; NULL: no snippet */
    char *text;              /* owned by the result; "…" marks a cut at either end */
    cm_snippet_mark_t marks[CM_SNIPPET_MARKS_MAX];
    size_t n_marks;
} cm_snippet_t;

typedef struct cm_search_hit {
    cm_offer_t *offer;  /* owned by the result */
    double distance_km; /* < 0 when the query has no geo point */
    double score;       /* relevance 0..100 (0 when q is empty) */
    cm_snippet_t snippet; /* with words in q: where the offer says them */
} cm_search_hit_t;

typedef struct cm_facet_value {
    char value[24]; /* fits every facet value; longest is "professionnalisation" */
    uint32_t count;
} cm_facet_value_t;

typedef struct cm_search_result {
    uint64_t total; /* matching offers: exact for a radius search (whichever answers), else exact up
                     * to 10,000 and estimated beyond */
    cm_search_hit_t *hits;
    size_t n_hits;
    cm_facet_value_t *facets[CM_FACET__COUNT]; /* counts, decreasing */
    size_t n_facets[CM_FACET__COUNT];
    /* When the query's centre was a place (commune / postcode): where it was put. */
    bool placed;
    cm_geo_t center;
    char center_commune[6];
    cm_loc_source_t center_source;
    int text_match; /* CM_TEXT_MATCH_* */
    /* Words of q found in no offer and searched as the closest indexed word instead (typos):
     * n_corrected strings, owned by the result. */
    char **corrected;
    size_t n_corrected;
    /* CM_WORK_FACT_* bits that q denied ("sans permis", "pas de nuit"): filtered out, and
     * those words not searched */
    unsigned read_without;
} cm_search_result_t;

/* Run a search. *out owned by the caller; free with cm_search_result_free.
 * Errors: CM_EINVAL (field "q" for an unparsable query, "sort" for distance without geo...),
 *         CM_EXAPIAN, CM_EIO, CM_ENOMEM. */
int cm_engine_search(cm_engine_t *e, const cm_search_query_t *q, cm_search_result_t **out,
                     cm_error *err);
void cm_search_result_free(cm_search_result_t *r);

/* ---- Matching ---- */
#define CM_MATCH_LIMIT_MAX 200
#define CM_MATCH_LIMIT_DEFAULT 20
enum { CM_F_SKILLS = 0, CM_F_CERTS, CM_F_COMMUTE, CM_F_SCHEDULE, CM_F_CONTRACT,
       CM_F_EXPERIENCE, CM_F_TEXT, CM_F__COUNT };
/* JSON names: "skills" "certifications" "commute" "schedule" "contract" "experience" "text" */
const char *cm_factor_name(int f);

enum {
    CM_BARRIER_CERTIFICATION = 0,
    CM_BARRIER_COMMUTE,
    CM_BARRIER_LICENCE,
    CM_BARRIER_SCHEDULE,
    CM_BARRIER_CHILDCARE,
    CM_BARRIER_DISABILITY,
    CM_BARRIER_VEHICLE,
    CM_BARRIER_HOURS,
    CM_BARRIER_CONTRACT,
    CM_BARRIER_EXPERIENCE,
    CM_BARRIER_APPRENTICESHIP,
    CM_BARRIER_SKILLS,
    CM_BARRIER__COUNT
};
/* JSON names: "certification" "commute" "driving_licence" "schedule" "childcare" "disability"
 * "vehicle" "hours" "contract" "experience" "apprenticeship" "skills" (the last six are
 * additions of matching v2 and later; engine/SCORING.md says when each is hard or advisory) */
const char *cm_barrier_name(int b);

/* Stable codes of barriers (JSON "code"): what exactly is wrong, for a portal that words it
 * itself. Stored nowhere; the order may grow at the end only. */
typedef enum cm_barrier_code {
    CM_BC_CERT_MISSING = 0,      /* "certification_missing": required by the offer */
    CM_BC_CERT_REGULATED,        /* "certification_regulated": required by law for the job */
    CM_BC_COMMUTE_TOO_LONG,      /* "commute_too_long": minutes > limit */
    CM_BC_COMMUTE_NO_MODE,       /* "commute_no_mode": no usable transport mode */
    CM_BC_LICENCE_MISSING,       /* "licence_missing" */
    CM_BC_VEHICLE_MISSING,       /* "vehicle_missing": own vehicle required, none */
    CM_BC_SCHEDULE_COVERAGE,     /* "schedule_low_coverage": coverage below the threshold */
    CM_BC_SCHEDULE_DAY_OFF,      /* "schedule_day_off": work on days never available */
    CM_BC_SCHEDULE_ENDS_LATE,    /* "schedule_ends_late": ends after a solo parent's day */
    CM_BC_SCHEDULE_PATTERN,      /* "schedule_work_pattern": nights/weekends, none available */
    CM_BC_CHILDCARE_HOURS,       /* "childcare_atypical_hours" (advisory) */
    CM_BC_DISABILITY_ADAPTABLE,  /* "disability_adaptation_possible" (advisory) */
    CM_BC_RESTRICTION,           /* "disability_restriction": physical demand vs restriction */
    CM_BC_RESTRICTION_NIGHT,     /* "disability_no_night": night work vs a no-night restriction */
    CM_BC_HOURS_SHORT,           /* "hours_below_minimum" */
    CM_BC_HOURS_OVER,            /* "hours_above_maximum" */
    CM_BC_CONTRACT_UNWANTED,     /* "contract_not_wanted" */
    CM_BC_EXPERIENCE_SHORT,      /* "experience_required" */
    CM_BC_APPRENTICESHIP_ROUTE,  /* "apprenticeship_route" (advisory): the way to the diploma */
    CM_BC_ALREADY_QUALIFIED,     /* "already_qualified" (advisory): holds what the contract
                                    prepares */
    CM_BC_SCHEDULE_STARTS_EARLY, /* "schedule_starts_early": starts before a solo parent's day */
    CM_BC_COMMUTE_LONG,          /* "commute_long" (advisory): within her limit, yet over
                                    commute_long_minutes each way */
    CM_BC_SKILLS_TO_LEARN,       /* "skills_to_learn" (advisory): most required skills not held
                                    yet, the employer trains or offers an immersion */
    CM_BC_RESTRICTION_LIKELY,    /* "disability_restriction_likely" (advisory): the offer states
                                    no physical demand, its job usually has one she must avoid */
    CM_BC_COMMUTE_OFF_HOURS,     /* "commute_off_hours" (advisory): by bus or coach outside the
                                    dense networks, a shift starting before 07:00 or ending after
                                    21:00 */
    CM_BC_TRANSIT_UNSURE,        /* "commute_transit_unsure" (advisory): by bus or coach between
                                    two towns outside the networks the engine knows: a regular
                                    line is not sure (on-demand transport, seasonal lines) */
    CM_BC_JOB_ABROAD,            /* "job_abroad" (advisory): the offer's place is beyond the
                                    border (Geneva, Luxembourg...): diploma recognition, licence to
                                    practise, work permit */
    CM_BC__COUNT
} cm_barrier_code_t;
const char *cm_barrier_code_name(int code);

enum { CM_LEVER_MOBILITY_AID = 1u << 0, CM_LEVER_DRIVING_LICENCE_FUNDING = 1u << 1,
       CM_LEVER_CHILDCARE_AID = 1u << 2, CM_LEVER_PRE_HIRE_TRAINING = 1u << 3,
       CM_LEVER_IMMERSION = 1u << 4, CM_LEVER_WORKPLACE_ADAPTATION = 1u << 5 };
#define CM_LEVER__COUNT 6
/* JSON name of lever bit index i (0..5): "mobility_aid" "driving_licence_funding"
 * "childcare_aid" "pre_hire_training" "immersion" "workplace_adaptation" */
const char *cm_lever_name(int bit_index);

/* A barrier: its kind (the contract's), a stable code, the numbers behind it (those that apply
 * to the code; 0 / empty otherwise) and two sentences for an adviser, English and French. */
typedef struct cm_barrier {
    int kind;           /* CM_BARRIER_* */
    unsigned levers;    /* CM_LEVER_* bits */
    char detail[192];   /* English human text for an adviser */
    int code;           /* cm_barrier_code_t */
    bool hard;          /* makes the result ineligible (else advisory) */
    int minutes;        /* commute minutes; schedule_ends_late / _starts_early: minutes after
                           the day's end / before its start */
    int limit;          /* commute: max_minutes; experience: months required; schedule_ends_late
                           / _starts_early: her journey's minutes counted in them; schedule_work_
                           pattern of a rota: the half she cannot give (1 mornings, 2 evenings) */
    int months;         /* experience: months held */
    uint8_t days;       /* schedule: CM_DAY_* days worked outside availability */
    int coverage;       /* schedule: % of the offer's hours inside availability */
    double hours;       /* hours per week below the minimum / above the maximum */
    unsigned what;      /* restrictions: the CM_RESTRICT_* bits the job contradicts; commute:
                           CM_COMMUTE_LIMIT_ASSUMED when the limit was nobody's (45 assumed),
                           CM_COMMUTE_TWO_TRIPS (commute_long) split shifts' two round trips,
                           CM_COMMUTE_SAME_COMMUNE (commute_too_long, advisory) one commune;
                           certification: CM_CERT_DIPLOMA when a missing one is a diploma
                           (training of hundreds of hours, or VAE: no pre-hire lever);
                           experience: CM_EXPERIENCE_CLOSE when required, most of it held;
                           hours: CM_HOURS_UNSTATED when her hours are firm and the offer gives
                           none (advisory); childcare_hours: CM_CARE_UNSTATED when the offer
                           gives neither hours nor a work pattern (advisory) */
    uint8_t outside_days; /* schedule: days with an hour or more outside availability (text) */
    char missing[96];   /* certification: missing codes, comma-separated */
    char detail_fr[384]; /* the same in French, to show as is */
} cm_barrier_t;

#define CM_COMMUTE_LIMIT_ASSUMED 1u
#define CM_COMMUTE_TWO_TRIPS                                                                       \
    2u /* commute_long, commute_too_long: two round trips a day (split                             \
          shifts) */
#define CM_COMMUTE_SAME_COMMUNE                                                                    \
    4u /* commute_too_long: both in one commune, placed on its                                     \
        * point: the trip is timed across it, a guess (advisory) */
#define CM_CERT_DIPLOMA 1u
#define CM_EXPERIENCE_CLOSE 1u /* experience: required, most of it held (advisory) */
#define CM_HOURS_UNSTATED 1u   /* hours_above_maximum: the offer gives no hours (advisory) */
#define CM_CARE_UNSTATED 16u   /* childcare_hours: the offer says nothing of its hours */
#define CM_BARRIERS_MAX 12
typedef struct cm_match {
    /* exactly one of offer / candidate is set, owned by the result */
    cm_offer_t *offer;
    cm_candidate_t *candidate;
    double score;                 /* 0..100 */
    double explain[CM_F__COUNT];  /* each 0..1 */
    int commute_mode;             /* CM_MODE_* single bit, 0 when unknown */
    double commute_minutes;
    double distance_km;
    cm_barrier_t barriers[CM_BARRIERS_MAX];
    size_t n_barriers;
    bool eligible;
    /* How far a near-miss is from feasible (0 when eligible): the sum over its hard barriers of
     * their size, each about 1 for a whole requirement missing (SCORING.md). Near-misses rank
     * by it, nearest first, then by score. */
    double gap;
    /* Set when the pair met through a neighbouring code (options.neighbours): near_code is the
     * offer's code, near_of the candidate's wanted code it neighbours, near_kind a
     * cm_rome_near_kind_t (referential.h) and near_rank its rank there (1 = nearest).
     * near_code[0] == '\0' for a same-code pair. */
    char near_code[6];
    char near_of[6];
    int near_kind;
    unsigned near_rank;
} cm_match_t;

typedef struct cm_match_options {
    unsigned limit;           /* 1..CM_MATCH_LIMIT_MAX; 0 = CM_MATCH_LIMIT_DEFAULT */
    double min_score;         /* 0..100 */
    bool include_near_misses; /* contract default: true */
    bool neighbours;          /* also records of neighbouring ROME codes (ROME 4.0 mobility
                                 links), ranked below same-code ones of equal fit */
} cm_match_options_t;

typedef struct cm_match_result {
    cm_match_t *items; /* eligible first, then score desc, then id asc */
    size_t n;
    size_t considered; /* how many records were scored */
} cm_match_result_t;

/* Offers for a stored candidate / an unstored profile; candidates for a stored offer.
 * *out owned by the caller; free with cm_match_result_free.
 * Errors: CM_ENOTFOUND (the query record), CM_EINVAL (options), CM_ENOMEM, CM_EIO. */
int cm_engine_match_candidate(cm_engine_t *e, const char *candidate_id,
                              const cm_match_options_t *opt, cm_match_result_t **out);
int cm_engine_match_profile(cm_engine_t *e, const cm_candidate_t *profile,
                            const cm_match_options_t *opt, cm_match_result_t **out);
int cm_engine_match_offer(cm_engine_t *e, const char *offer_id, const cm_match_options_t *opt,
                          cm_match_result_t **out);
void cm_match_result_free(cm_match_result_t *r);

/* ---- Candidate search (advisers) ----
 * "Who in 93 holds the DEAES, is open to immersion and available at night?": filters on the
 * in-memory catalog (engine/cand_search.c), every active candidate looked at, the total exact.
 * Filters are optional and ANDed; the values of one list filter are ORed ("DEAES or DEAS"),
 * except availability needs, which must all be met. Only active candidates are listed (the
 * ones matching sees). Order: distance from the centre (then id) when there is one, else id. */
#define CM_CAND_SEARCH_VALUES_MAX 16 /* values of one list filter */
#define CM_AVAIL_NEEDS_MAX 8         /* availability needs of one search */

/* An availability need: a set of half-hour slots of the week and how the candidate's
 * availability must meet it. A candidate without availability is available at any time (the
 * contract) and meets every need. */
typedef enum cm_avail_how {
    CM_AVAIL_SOME = 0, /* some slot of the set available ("night", "weekend") */
    CM_AVAIL_ALL,      /* every slot available ("mon 20:00-23:00") */
    CM_AVAIL_EACH_DAY  /* on each day the set touches, some slot of it ("sat", "mon-fri") */
} cm_avail_how_t;

typedef struct cm_avail_need {
    cm_week_t slots;
    cm_avail_how_t how;
} cm_avail_need_t;

/* Parse one availability need (the API's `available` parameter):
 *   night                 some availability between 21:00 and 06:00, any day
 *   weekend               some availability on Saturday or Sunday
 *   DAYS                  some availability on each of DAYS
 *   DAYS HH:MM-HH:MM      available for the whole window on each of DAYS (a window whose end
 *                         is before its start runs past midnight, as in records)
 * DAYS: a day (mon..sun), a range (mon-fri, fri-mon wraps) or a comma list of both (mon,wed).
 * Times are rounded outwards to half-hours, as records' windows are.
 * Errors: CM_EINVAL (err field "available", message says what is wrong). */
int cm_avail_need_parse(const char *text, cm_avail_need_t *out, cm_error *err);

typedef struct cm_candidate_query {
    /* ROME 4.0 codes the candidate wants (desired_rome; a candidate who named none is not
     * listed by this filter). Unknown code: CM_EINVAL field "rome". */
    const char *rome[CM_CAND_SEARCH_VALUES_MAX];
    size_t n_rome;
    /* Job titles (OGR codes): the candidate named that title, or wants its ROME code without
     * having named any title of that code (she then wants the whole code). Unknown title:
     * CM_EINVAL field "job_title". */
    uint32_t job_title[CM_CAND_SEARCH_VALUES_MAX];
    size_t n_job_title;
    /* Certification codes, compared as matching compares them: canonical form (case, spaces
     * and punctuation ignored, equivalences applied: "de aes", "DEAVS" -> DEAES). Malformed
     * (empty, over CM_CERT_MAX letters or digits): CM_EINVAL field "certification". */
    const char *certification[CM_CAND_SEARCH_VALUES_MAX];
    size_t n_certification;
    /* Département ("93", "2A", "971"), of the candidate's postcode as in cm_engine_stats.
     * NULL: any. Malformed: CM_EINVAL field "department". */
    const char *department;
    /* Centre: has_geo + center, or a place (commune, or postcode with city), placed as in
     * cm_engine_search (unknown: CM_EINVAL field "commune" / "postcode"). */
    bool has_geo;
    cm_geo_t center;
    const char *commune, *postcode, *city;
    double radius_km; /* > 0: only candidates within it (needs a centre, else CM_EINVAL
                         field "radius_km"); 0: no limit */
    cm_avail_need_t available[CM_AVAIL_NEEDS_MAX];
    size_t n_available;
    int open_to_immersion; /* -1 any, 0 false, 1 true */
    int open_to_training;  /* -1, 0, 1 */
    int driving_licence;   /* -1, 0, 1 */
    int vehicle;           /* -1, 0, 1 */
    uint8_t modes;         /* CM_MODE_* set: the candidate lists one of them; 0 = any */
    unsigned offset;       /* (page - 1) * per_page */
    unsigned limit;        /* per_page, 1..CM_SEARCH_PER_PAGE_MAX */
} cm_candidate_query_t;

/* A query with every filter off (the -1s set): start from it. */
void cm_candidate_query_init(cm_candidate_query_t *q);

typedef struct cm_candidate_hit {
    cm_candidate_t *candidate; /* owned by the result */
    double distance_km;        /* < 0 when the query has no centre */
} cm_candidate_hit_t;

typedef struct cm_candidate_search_result {
    uint64_t total; /* candidates meeting the filters (exact) */
    cm_candidate_hit_t *hits;
    size_t n_hits;
    /* When the centre was a place (commune / postcode): where it was put. */
    bool placed;
    cm_geo_t center;
    char center_commune[6];
    cm_loc_source_t center_source;
} cm_candidate_search_result_t;

/* Run a candidate search. Records are read from storage for the page only; one deleted
 * between the catalog scan and the read is left out of the page (total counts it).
 * *out owned by the caller; free with cm_candidate_search_result_free.
 * Errors: CM_EINVAL (field named), CM_ENOMEM, CM_EIO, CM_ECORRUPT, CM_EINTERNAL. */
int cm_engine_search_candidates(cm_engine_t *e, const cm_candidate_query_t *q,
                                cm_candidate_search_result_t **out, cm_error *err);
void cm_candidate_search_result_free(cm_candidate_search_result_t *r);

/* ---- Operations ---- */
typedef struct cm_engine_info {
    uint64_t last_seq;       /* last change-log sequence written to LMDB */
    uint64_t indexed_seq;    /* last sequence the index has committed */
    uint64_t offers, candidates, events;
    uint64_t map_size, map_used; /* bytes */
    bool ready;              /* storage, index and catalog open; no index or catalog error */
    /* Why not ready, when the index is at fault ("" otherwise): e.g. damaged and being
     * rebuilt from storage (searches answer CM_ERETRY meanwhile). */
    char index_status[200];
    uint64_t index_commits;      /* index commits by the writer thread since open */
    double index_commit_seconds; /* their total duration */
    /* Offer searches since open by what answered their radius and filters: the in-memory
     * catalog (radius searches), or the index's own filters (searches without a radius, and
     * radius searches while the catalog maps a new index's documents, e.g. after a rebuild). */
    uint64_t searches_by_catalog, searches_by_index;
    /* Text searches by the catalog whose words were ranked over its set by the engine itself
     * (Xapian's BM25 and order, the postings read once) rather than by Xapian's matcher
     * (sorts by distance, queries with operators or more than 24 distinct words). */
    uint64_t searches_text_ranked;
    /* Single puts since open, and the storage transactions (each one fsync) that committed
     * them: concurrent puts share one (group commit). */
    uint64_t single_puts, single_put_commits;
    /* Damaged stored records (checksum or format) met by walks since open (the catalog's
     * load, an export, check), each named in the log (record_damaged) and left out. */
    uint64_t damaged_met;
    /* Offers' index documents built ahead of the index writer by its builder threads (a
     * batch of several offers: an import, a bulk write); the writer built the others. */
    uint64_t index_docs_prebuilt;
    /* The catalog's snapshot kept for a start after a crash (none: that start rebuilds the
     * catalog), the storage change it is at, and how many times it was written again since
     * open (catalog_snapshot_interval_s). */
    bool catalog_snapshot_kept;
    uint64_t catalog_snapshot_seq, catalog_checkpoints;
} cm_engine_info_t;
int cm_engine_info(cm_engine_t *e, cm_engine_info_t *out);

/* Rebuild the index from LMDB: built aside, swapped in when complete (an interrupted reindex
 * leaves the previous index whole). Not while a server writes. */
int cm_engine_reindex(cm_engine_t *e, cm_error *err);

/* Verify that the index agrees with storage: same ids, same versions, nothing extra.
 * Returns 0 when consistent, CM_ECORRUPT otherwise with a description in err. */
int cm_engine_check(cm_engine_t *e, cm_error *err);

/* Consistent copy of the data directory to `dest_dir` (created; must not exist or be empty),
 * safe while writes go on: LMDB's compacting copy, then the index is rebuilt from it at the
 * destination's first open (the copied change log covers everything). */
int cm_engine_backup(cm_engine_t *e, const char *dest_dir, cm_error *err);

#ifdef __cplusplus
}
#endif
#endif
