/* The search index (engine/index.c): open offers' text, filters and facets in one Xapian
 * database at dir/xapian, through the shim. Only offers: candidates are matched from the
 * catalog. Metadata "last_seq" (decimal) is written in the same commit as the documents. */
#ifndef CAREMATCH_ENGINE_INDEX_H
#define CAREMATCH_ENGINE_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "carematch/engine.h"
#include "carematch/record.h"

typedef struct cm__index cm__index_t;       /* the single writer */
typedef struct cm__searcher cm__searcher_t; /* a reader; one thread at a time */

/* Open or create the writable index at `path`. Errors: CM_EXAPIAN, CM_EBUSY (locked). */
int cm__index_open(const char *path, cm__index_t **out, cm_error *err);
void cm__index_close(cm__index_t *ix);        /* commits pending changes */
uint64_t cm__index_last_seq(cm__index_t *ix); /* from metadata, 0 for a new index */
/* Written by another index format (e.g. format 1, which held candidates): rebuild it. */
bool cm__index_stale(cm__index_t *ix);
/* Last written under another boot of the system and not synced since: commits may be half on
 * disk (index_sync.c); rebuild it. */
bool cm__index_torn(cm__index_t *ix);

/* index_sync.c: the index's commits skip fsync; a file beside them tells whether they may
 * have been lost with the system. check: before opening dir (created if absent); *torn as
 * above; *nosync: the state is recorded, commits may skip fsync. closed: after the last
 * commit, fsync every file and record it. Errors: CM_EIO. */
int cm__isync_check(const char *dir, bool *torn, bool *nosync);
void cm__isync_closed(const char *dir);
/* *docid (when not NULL): the offer's document id in this index (search_set.h); *doclen (when
 * not NULL): its length, as the text's ranking reads it (textrank.c). */
int cm__index_put_offer(cm__index_t *ix, const cm_offer_t *o, uint32_t *docid, uint32_t *doclen);
/* cm__index_put_offer in two steps: the document built and sealed without the index (any
 * thread; *out freed with cmx_doc_free), then put by the writer. */
struct cmx_doc;
int cm__index_build_offer(const cm_offer_t *o, struct cmx_doc **out, uint32_t *doclen);
int cm__index_put_built(cm__index_t *ix, const char *id, struct cmx_doc *d, uint32_t *docid);
int cm__index_delete_offer(cm__index_t *ix, const char *id);
/* Commit pending changes with last_seq stored in the same commit. */
int cm__index_commit(cm__index_t *ix, uint64_t last_seq);
/* Remove every document (reindex). */
int cm__index_clear(cm__index_t *ix);
/* The index's identity (the same for its readers; another for an index rebuilt in place). */
const char *cm__index_uuid(const cm__index_t *ix);
/* Walk every offer document: (id, docid), in docid order, uncommitted ones included. */
typedef int (*cm__index_docid_fn)(void *arg, const char *id, uint32_t docid, uint32_t doclen);
int cm__index_each_docid(cm__index_t *ix, cm__index_docid_fn fn, void *arg);

int cm__searcher_open(const char *path, cm__searcher_t **out, cm_error *err);
void cm__searcher_close(cm__searcher_t *s);
/* Bring the reader to the latest committed revision. */
int cm__searcher_reopen(cm__searcher_t *s);
const char *cm__searcher_uuid(const cm__searcher_t *s); /* its index's identity */

/* Value slots of the offer documents (index.c writes them, index_filter.c reads SLOT_LOC;
 * SLOT_DIGEST: the document's content but its version, cmx_wdb_update's, so that an offer
 * written again unchanged has its version set and nothing else rewritten). */
enum {
    SLOT_LOC = 0,
    SLOT_DATE,
    SLOT_VERSION,
    SLOT_ROME,
    SLOT_CONTRACT,
    SLOT_KIND,
    SLOT_DEPT,
    SLOT_DIGEST
};

/* The filter of a search (index_filter.c): open offers and every asked-for filter, without
 * weight. *out owned by the caller (cmx_query_free). Errors: CM_EINVAL (field "rome"),
 * CM_ENOMEM and the shim's codes, each with a message in err. */
struct cmx_query;
int cm__search_filter(const cm_search_query_t *q, struct cmx_query **out, cm_error *err);

typedef struct cm__search_ids {
    uint64_t total;
    char (*ids)[CM_ID_MAX + 1]; /* n offer ids in result order */
    double *scores;             /* 0..100 relevance per id */
    size_t n;
    cm_facet_value_t *facets[CM_FACET__COUNT];
    size_t n_facets[CM_FACET__COUNT];
    int text_match;         /* CM_TEXT_MATCH_* */
    bool text_ranked;       /* ranked over the set by textrank.c, not Xapian's matcher */
    struct cm__textq *text; /* the words searched (owned; NULL without text): highlights */
} cm__search_ids_t;
/* The query's limits (q, sort, per_page, rome, radius_km). Errors: CM_EINVAL with the field. */
int cm__search_validate(const cm_search_query_t *q, cm_error *err);
/* Search open offers. Fills *out (free with cm__search_ids_free). Distance is computed by the
 * caller from the stored records. set: the offers the catalog selected for the query's radius
 * and filters (search_set.h; built for this searcher's index), or NULL for the index's own
 * filters. Errors: CM_EINVAL (field "q"), CM_EXAPIAN, CM_ERETRY. */
struct cm__sset;
int cm__searcher_search(cm__searcher_t *s, const cm_search_query_t *q, struct cm__sset *set,
                        cm__search_ids_t *out, cm_error *err);
void cm__search_ids_free(cm__search_ids_t *r);

/* Walk every (offer id, version) the index holds (check). */
typedef int (*cm__index_visit_fn)(void *arg, const char *id, uint64_t version);
int cm__searcher_each(cm__searcher_t *s, cm__index_visit_fn fn, void *arg);

/* The filter term of each work fact (cm__fact_terms[i] for CM_WORK_FACT_* bit 1 << i): what
 * a document holds (index.c) and a search's with/without asks (index_filter.c). */
#define CM__FACT_TERMS 4
extern const char *const cm__fact_terms[CM__FACT_TERMS];

#endif
