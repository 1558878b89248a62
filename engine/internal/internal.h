/* The matching seam (libuv's uv__ rule: cm__ names are shared inside engine/ only): the
 * in-memory catalog, the scoring configuration and catalog matching. The engine's rooms use it,
 * and so do bench/ and tests/ (the one engine header they may include; bench/ sees only the
 * engine/internal/ folder). */
#ifndef CAREMATCH_ENGINE_INTERNAL_H
#define CAREMATCH_ENGINE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "carematch/engine.h"
#include "carematch/record.h"

/* ---------------------------------------------------------------------------------------
 * Catalog (engine/catalog.c): dense in-memory scoring fields of every stored offer and
 * candidate, a grid of geographic cells and an id map; rebuilt at open, updated on write.
 * Thread-safe (internal rwlock). Matching (engine/match.c, engine/score.c) runs on it.
 * ------------------------------------------------------------------------------------- */
typedef struct cm__catalog cm__catalog_t;
typedef struct cm__score_config cm__score_config_t;

/* Load weights and constants from a JSON file (NULL path = documented defaults).
 * Owned by the caller; free with cm__score_config_free. Errors: CM_EINVAL, CM_EIO. */
int cm__score_config_load(const char *path, cm__score_config_t **out, cm_error *err);
void cm__score_config_free(cm__score_config_t *cfg);

int cm__catalog_create(const cm__score_config_t *cfg, cm__catalog_t **out);
void cm__catalog_destroy(cm__catalog_t *cat);
/* Insert or replace by id (status changes included: a non-open offer is kept but not
 * matched). The record is borrowed for the call. */
int cm__catalog_put_offer(cm__catalog_t *cat, const cm_offer_t *o);
int cm__catalog_put_candidate(cm__catalog_t *cat, const cm_candidate_t *c);
void cm__catalog_del_offer(cm__catalog_t *cat, const char *id);
void cm__catalog_del_candidate(cm__catalog_t *cat, const char *id);
/* Room for `offers` and `cands` more records, made at once (a load that knows its counts
 * spares the doublings). Errors: CM_ENOMEM (what was made is kept). */
int cm__catalog_reserve(cm__catalog_t *cat, uint32_t offers, uint32_t cands);

/* Ranked ids with their scoring detail; records are attached by the engine afterwards. */
typedef struct cm__ranked {
    char id[CM_ID_MAX + 1];
    cm_match_t m; /* offer/candidate pointers NULL here */
} cm__ranked_t;

/* What a catalog match is asked: the caller's options (NULL = the contract's defaults; checked
 * here, the one place) and whether the text factor (the records' text signatures) applies to
 * the shortlist (false: text factor 0). A struct, so no flag compiles in the options' place. */
typedef struct cm__match_req {
    const cm_match_options_t *opt;
    bool text;
} cm__match_req_t;

/* Offers for a candidate profile (stored or not), candidates for an offer.
 * *out is malloc'd (free with cm_free), *n entries, ordered as the contract says.
 * Errors: CM_EINVAL (options), CM_ENOMEM, CM_EINTERNAL. */
int cm__match_offers(cm__catalog_t *cat, const cm_candidate_t *c, cm__match_req_t req,
                     cm__ranked_t **out, size_t *n, size_t *considered);
int cm__match_candidates(cm__catalog_t *cat, const cm_offer_t *o, cm__match_req_t req,
                         cm__ranked_t **out, size_t *n, size_t *considered);

/* Counts for /v1/stats (department NULL = all). Fills the record counts of *out only. */
void cm__catalog_counts(cm__catalog_t *cat, const char *department, cm_stats_t *out);
/* Department of a stored candidate ("" if unknown), for event stats. */
bool cm__catalog_candidate_department(cm__catalog_t *cat, const char *id, char out[4]);

/* Candidate search lets go of the catalog's read lock every this many slots (default 32768,
 * about a millisecond), so that a write waits for that rather than for a whole scan. A seam for
 * tests, which make it small; set it before searches run. */
extern unsigned cm__cand_scan_hold;
/* Called (when set) each time the scan has let go of the lock, before it takes it again:
 * tests write there. */
extern void (*cm__cand_scan_yielded)(void);

#endif
