/* Seams between engine files (libuv's uv__ rule: cm__ names are shared inside engine/ only).
 * engine.c owns the lifecycle and calls into store.c (LMDB), index.c (Xapian via the shim)
 * and catalog.c + score.c (in-memory matching). */
#ifndef CAREMATCH_ENGINE_INTERNAL_H
#define CAREMATCH_ENGINE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "carematch/engine.h"
#include "carematch/record.h"

/* ---------------------------------------------------------------------------------------
 * Index (engine/index.c): offers and candidates in one Xapian database at dir/xapian.
 * Document id term: "Qo" + id for an offer, "Qc" + id for a candidate; type term "XTo"/"XTc".
 * Metadata "last_seq" (decimal) is written in the same commit as the documents.
 * ------------------------------------------------------------------------------------- */
typedef struct cm__index cm__index_t;       /* the single writer */
typedef struct cm__searcher cm__searcher_t; /* a reader; one thread at a time */

/* Open or create the writable index at `path`. Errors: CM_EXAPIAN, CM_EBUSY (locked). */
int cm__index_open(const char *path, cm__index_t **out, cm_error *err);
void cm__index_close(cm__index_t *ix); /* commits pending changes */
uint64_t cm__index_last_seq(cm__index_t *ix); /* from metadata, 0 for a new index */
int cm__index_put_offer(cm__index_t *ix, const cm_offer_t *o);
int cm__index_put_candidate(cm__index_t *ix, const cm_candidate_t *c);
int cm__index_delete(cm__index_t *ix, char kind /* 'o' or 'c' */, const char *id);
/* Commit pending changes with last_seq stored in the same commit. */
int cm__index_commit(cm__index_t *ix, uint64_t last_seq);
/* Remove every document (reindex). */
int cm__index_clear(cm__index_t *ix);

int cm__searcher_open(const char *path, cm__searcher_t **out, cm_error *err);
void cm__searcher_close(cm__searcher_t *s);
/* Bring the reader to the latest committed revision. */
int cm__searcher_reopen(cm__searcher_t *s);

typedef struct cm__search_ids {
    uint64_t total;
    char (*ids)[CM_ID_MAX + 1]; /* n offer ids in result order */
    double *scores;             /* 0..100 relevance per id */
    size_t n;
    cm_facet_value_t *facets[CM_FACET__COUNT];
    size_t n_facets[CM_FACET__COUNT];
} cm__search_ids_t;
/* Search open offers. Fills *out (free with cm__search_ids_free). Distance is computed by the
 * caller from the stored records. Errors: CM_EINVAL (field "q"), CM_EXAPIAN, CM_ERETRY. */
int cm__searcher_search(cm__searcher_t *s, const cm_search_query_t *q, cm__search_ids_t *out,
                        cm_error *err);
void cm__search_ids_free(cm__search_ids_t *r);

/* Walk every (kind, id, version) the index holds (check). */
typedef int (*cm__index_visit_fn)(void *arg, char kind, const char *id, uint64_t version);
int cm__searcher_each(cm__searcher_t *s, cm__index_visit_fn fn, void *arg);

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

/* Ranked ids with their scoring detail; records are attached by the engine afterwards. */
typedef struct cm__ranked {
    char id[CM_ID_MAX + 1];
    cm_match_t m; /* offer/candidate pointers NULL here */
} cm__ranked_t;

/* Offers for a candidate profile (stored or not), candidates for an offer. text: apply the
 * text factor (the records' text signatures) to the shortlist; false: text factor 0.
 * *out is malloc'd (free with cm_free), *n entries, ordered as the contract says. */
int cm__match_offers(cm__catalog_t *cat, const cm_candidate_t *c, const cm_match_options_t *opt,
                     bool text, cm__ranked_t **out, size_t *n, size_t *considered);
int cm__match_candidates(cm__catalog_t *cat, const cm_offer_t *o, const cm_match_options_t *opt,
                         bool text, cm__ranked_t **out, size_t *n, size_t *considered);

/* Counts for /v1/stats (department NULL = all). Fills the record counts of *out only. */
void cm__catalog_counts(cm__catalog_t *cat, const char *department, cm_stats_t *out);
/* Department of a stored candidate ("" if unknown), for event stats. */
bool cm__catalog_candidate_department(cm__catalog_t *cat, const char *id, char out[4]);

#endif
