/* cmx: a small C API over Xapian 1.4, just what carematch's engine needs (LevelDB c.h style).
 * Pure C; knows nothing of offers or candidates.
 *
 * Conventions:
 * - Handles are opaque. Functions that can fail return 0 (CMX_OK) or a negative CMX_E* code
 *   whose numeric values equal carematch's CM_E* codes, so the engine passes them through.
 * - `char **errptr` (may be NULL): on failure, when not NULL, *errptr receives a malloc'd
 *   message (any previous message there is freed first); free it with cmx_free.
 * - No C++ exception ever crosses this API. Xapian::DatabaseModifiedError becomes CMX_ERETRY
 *   (reopen the reader and try again), DatabaseLockError CMX_EBUSY, QueryParserError and
 *   InvalidArgumentError CMX_EINVAL, DatabaseCorruptError, DatabaseVersionError and any other
 *   DatabaseError but DatabaseOpeningError and DatabaseClosedError CMX_ECORRUPT (damage met
 *   in the files), any Xapian::Error of a full disk (ENOSPC, EDQUOT, EFBIG: the files keep
 *   their last commit) CMX_EFULL, any other Xapian::Error CMX_EXAPIAN, std::bad_alloc
 *   CMX_ENOMEM, anything else CMX_EINTERNAL.
 * - Text is indexed and parsed as French, by one tokenizer and one stemmer (cmx_text.cc):
 *   words are runs of letters and digits (apostrophes and hyphens split them, "E.H.P.A.D."
 *   is one word), accents are folded ("crèche" = "creche"), feminine and plural endings are
 *   made masculine singular ("infirmière", "diplômée", "coiffeuse" -> "infirmier", "diplome",
 *   "coiffeur"), then Xapian's "french" Snowball stemmer runs. Indexing keeps only the
 *   "Z"-stemmed terms, with positions unless the caller says CMX_TEXT_NO_POSITIONS; queries
 *   stem every word the same way. The short French stop list applies to queries only
 *   (documents keep every word).
 * - Distances use a great circle on a sphere of radius CMX_EARTH_RADIUS_M.
 */
#ifndef CMX_H
#define CMX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CMX_API __attribute__((visibility("default")))

enum {
    CMX_OK = 0,
    CMX_EINVAL = -1,     /* = CM_EINVAL: bad argument or unparsable query */
    CMX_ENOTFOUND = -2,  /* = CM_ENOTFOUND: no document with that term */
    CMX_ENOMEM = -3,     /* = CM_ENOMEM */
    CMX_EFULL = -5,      /* = CM_EFULL: the disk is full (ENOSPC, EDQUOT, EFBIG): no damage */
    CMX_EXAPIAN = -6,    /* = CM_EXAPIAN: any other Xapian error */
    CMX_ECORRUPT = -7,   /* = CM_ECORRUPT: database corrupt or of an unknown format */
    CMX_EBUSY = -9,      /* = CM_EBUSY: database locked by another writer */
    CMX_ERETRY = -10,    /* = CM_ERETRY: reader outdated; cmx_db_reopen and retry */
    CMX_EINTERNAL = -13, /* = CM_EINTERNAL: unexpected exception (a bug) */
    CMX_ETIMEDOUT = -14  /* = CM_ETIMEDOUT: the search's time limit was reached */
};

#define CMX_EARTH_RADIUS_DM 63710088 /* mean radius (IUGG) in decimetres, as the engine's */
#define CMX_EARTH_RADIUS_M (CMX_EARTH_RADIUS_DM / 10.0)
#define CMX_TERM_MAX 240 /* Xapian refuses terms longer than 245 bytes */

typedef struct cmx_wdb cmx_wdb;     /* the writable database (one writer per path) */
typedef struct cmx_db cmx_db;       /* a read-only database; one thread at a time */
typedef struct cmx_doc cmx_doc;     /* a document being built */
typedef struct cmx_query cmx_query; /* a query tree */
typedef struct cmx_mset cmx_mset;   /* materialised search results */

/* Free a message or buffer this API returned. NULL is a no-op. */
CMX_API void cmx_free(void *p);

/* ---- Writable database ---- */
/* Open or create the database directory `path`. flags: CMX_WDB_NO_SYNC skips fsync at commit
 * (for a derived index that can be rebuilt: a process crash loses nothing, an OS crash may
 * lose recent commits). *out owned by the caller; close with cmx_wdb_close.
 * Errors: CMX_EBUSY (another writer holds the lock), CMX_EXAPIAN. */
enum { CMX_WDB_NO_SYNC = 1u << 0 };
CMX_API int cmx_wdb_open(const char *path, unsigned flags, cmx_wdb **out, char **errptr);
/* Close, committing pending changes (Xapian's rule; errors there are lost: commit first
 * to see them). NULL is a no-op. */
CMX_API void cmx_wdb_close(cmx_wdb *w);
CMX_API int cmx_wdb_commit(cmx_wdb *w, char **errptr);
/* Set a metadata value, applied by the next commit. An empty value deletes the key. */
CMX_API int cmx_wdb_set_metadata(cmx_wdb *w, const char *key, const void *val, size_t len,
                                 char **errptr);
/* *val owned by the caller (NUL-terminated too, for convenience); free with cmx_free.
 * An absent key gives an empty value (*len == 0). Sees uncommitted changes. */
CMX_API int cmx_wdb_get_metadata(cmx_wdb *w, const char *key, char **val, size_t *len,
                                 char **errptr);
/* Replace (or add) the document indexed by `idterm` with `d`; the term is added to `d`.
 * `d` stays owned by the caller. *docid (when not NULL) receives the document's id: kept by
 * a replacement, the next free one for a new document, never reused within this database;
 * *doclen (when not NULL) its length as BM25 reads it (the sum of its terms' wdf).
 * Errors: CMX_EINVAL (empty or over-long term), CMX_EXAPIAN. */
CMX_API int cmx_wdb_replace(cmx_wdb *w, const char *idterm, cmx_doc *d, unsigned *docid,
                            unsigned *doclen, char **errptr);
/* cmx_wdb_replace for a document that is often written again unchanged: `d`'s digest (its
 * terms with their wdf and positions, its values but those of digest_slot and volatile_slot,
 * its data) is stored in its value digest_slot. When the one document `idterm` names holds
 * the same digest, only its volatile_slot value is set from `d` and *unchanged (when not
 * NULL) is true: Xapian rewrites that document's values alone, not its terms and postings
 * (about 0.8 ms of CPU a document on the national index). Otherwise as cmx_wdb_replace (a
 * document written by cmx_wdb_replace has no digest: it is replaced in full once). */
CMX_API int cmx_wdb_update(cmx_wdb *w, const char *idterm, cmx_doc *d, unsigned digest_slot,
                           unsigned volatile_slot, unsigned *docid, unsigned *doclen,
                           bool *unchanged, char **errptr);
/* cmx_wdb_update in two steps, so that documents are built and sealed on other threads and
 * the writer only puts them. cmx_doc_seal touches no database: it adds `idterm` as a boolean
 * term and the digest in digest_slot, and gives *doclen (when not NULL). cmx_wdb_put_sealed
 * then does the rest of cmx_wdb_update with a sealed `d` (its digest is not computed again).
 * Errors: as cmx_wdb_update. */
CMX_API int cmx_doc_seal(cmx_doc *d, const char *idterm, unsigned digest_slot,
                         unsigned volatile_slot, unsigned *doclen, char **errptr);
CMX_API int cmx_wdb_put_sealed(cmx_wdb *w, const char *idterm, cmx_doc *d, unsigned digest_slot,
                               unsigned volatile_slot, unsigned *docid, bool *unchanged,
                               char **errptr);
/* Call fn for every document holding `term`, in docid order, with its docid, length (as
 * cmx_wdb_replace gives it) and data (borrowed for the call); the writer's view, uncommitted
 * changes included. A non-zero return from fn stops the walk and is returned. */
typedef int (*cmx_docid_visit_fn)(void *arg, unsigned docid, unsigned doclen, const char *data,
                                  size_t dlen);
CMX_API int cmx_wdb_each_docid(cmx_wdb *w, const char *term, cmx_docid_visit_fn fn, void *arg,
                               char **errptr);
/* The database's identity (a UUID, 36 characters + NUL): the same for its writer and its
 * readers, another one for a database rebuilt in its place. Errors: CMX_EXAPIAN. */
#define CMX_UUID_LEN 36
CMX_API int cmx_wdb_uuid(cmx_wdb *w, char out[CMX_UUID_LEN + 1], char **errptr);
/* Delete every document indexed by `term`; absent is not an error. */
CMX_API int cmx_wdb_delete(cmx_wdb *w, const char *term, char **errptr);
/* Delete every document. */
CMX_API int cmx_wdb_delete_all(cmx_wdb *w, char **errptr);

/* ---- Documents ---- */
/* *out owned by the caller; free with cmx_doc_free. Errors: CMX_ENOMEM. */
CMX_API int cmx_doc_new(cmx_doc **out);
CMX_API void cmx_doc_free(cmx_doc *d);
/* A filter term (wdf 0, no position). Errors: CMX_EINVAL (empty or over CMX_TERM_MAX). */
CMX_API int cmx_doc_add_term(cmx_doc *d, const char *term, char **errptr);
/* Index French free text (`len` bytes, may hold any bytes). `prefix` may be NULL; each
 * occurrence counts `weight` (>= 1) towards the term's within-document frequency.
 * flags: CMX_TEXT_NO_POSITIONS stores no positions (cheaper; phrase queries then cannot
 * match inside this text). */
enum { CMX_TEXT_NO_POSITIONS = 1u << 0 };
CMX_API int cmx_doc_index_text(cmx_doc *d, const char *text, size_t len, const char *prefix,
                               unsigned weight, unsigned flags, char **errptr);
/* Raw bytes into a value slot. */
CMX_API int cmx_doc_add_value(cmx_doc *d, unsigned slot, const void *val, size_t len,
                              char **errptr);
/* A number stored with Xapian::sortable_serialise (string order = numeric order). */
CMX_API int cmx_doc_add_value_number(cmx_doc *d, unsigned slot, double v, char **errptr);
/* A point stored as serialised Xapian::LatLongCoords (degrees). */
CMX_API int cmx_doc_add_value_latlon(cmx_doc *d, unsigned slot, double lat, double lon,
                                     char **errptr);
CMX_API int cmx_doc_set_data(cmx_doc *d, const void *data, size_t len, char **errptr);

/* Xapian's version ("1.4.22"): its stemmer and Unicode tables decide what text analysis
 * yields. Static storage; never fails. */
CMX_API const char *cmx_xapian_version(void);

/* ---- Read-only database ---- */
/* *out owned by the caller; close with cmx_db_close. Errors: CMX_EXAPIAN (absent...). */
CMX_API int cmx_db_open(const char *path, cmx_db **out, char **errptr);
CMX_API void cmx_db_close(cmx_db *db);
CMX_API int cmx_db_uuid(cmx_db *db, char out[CMX_UUID_LEN + 1], char **errptr);
/* Move to the latest committed revision. */
CMX_API int cmx_db_reopen(cmx_db *db, char **errptr);
/* The revision the reader reads (a commit makes a new one); 0 when it cannot say. */
CMX_API uint64_t cmx_db_revision(cmx_db *db);
/* Call fn for every document holding `term`, in docid order, with the document's data and
 * the value in `slot` (both borrowed for the call). A non-zero return from fn stops the walk
 * and is returned. Errors: CMX_ERETRY, CMX_EXAPIAN. */
typedef int (*cmx_doc_visit_fn)(void *arg, const char *data, size_t dlen, const char *val,
                                size_t vlen);
CMX_API int cmx_db_each(cmx_db *db, const char *term, unsigned slot, cmx_doc_visit_fn fn, void *arg,
                        char **errptr);

/* Documents holding `term` (0 when none). Errors: CMX_EINVAL, CMX_ERETRY, CMX_ECORRUPT. */
CMX_API int cmx_db_termfreq(cmx_db *db, const char *term, uint64_t *freq, char **errptr);
/* Typo repair: the indexed term `prefix` + body closest to the spelling of `word` (`wlen`
 * bytes as typed: folded and lower-cased here, the first 64 bytes used), among bodies of
 * min_len..max_len bytes that start with word's first byte and are within max_edits edits (insert,
 * delete, substitute, swap neighbours) of some prefix of word at least as long as word's own stem
 * or the stem of word without up to max_edits last letters, whichever is shorter (the tail past
 * it is free: the stem of a misspelt word is itself misspelt, and a typo at its end hides its
 * suffix, "soignantt"); min_len is lowered to that length, no lower, and max_len raised to
 * word's length plus max_edits ("auxilière" for "auxiliaire"). Ties: the longer
 * body, then the more frequent term. The whole term (prefix included, NUL-terminated) goes to
 * out (cap bytes). Errors: CMX_ENOTFOUND (none close enough), CMX_EINVAL, CMX_ERETRY,
 * CMX_ECORRUPT. */
CMX_API int cmx_db_closest_term(cmx_db *db, const char *prefix, const char *word, size_t wlen,
                                unsigned max_edits, size_t min_len, size_t max_len, char *out,
                                size_t cap, char **errptr);

/* Terms: fn(arg, term, len) for each; a non-zero return stops the walk and is returned. */
typedef int (*cmx_term_fn)(void *arg, const char *term, size_t len);
/* The stems of the words of `text`, in text order, repeats included (no prefix, no stop
 * list), exactly as documents are indexed (a per-thread cache in front of the stemmer).
 * Words over CMX_TERM_MAX bytes are skipped. Errors: CMX_ENOMEM, CMX_EINTERNAL, or fn's
 * non-zero return. */
CMX_API int cmx_text_stems(const char *text, size_t len, cmx_term_fn fn, void *arg, char **errptr);
/* Words held in the calling thread's stem cache now (for tests: each thread's cache is
 * bounded, and words with a digit are not kept). */
CMX_API size_t cmx_text_stem_cache_size(void);
/* Words never stemmed, only folded and lower-cased (the sector's acronyms: the French stemmer
 * makes "DEAS" "de", a stop word, and "DEAES" "dea"). Call once, before any text is indexed,
 * searched or stemmed; the list is copied. Errors: CMX_EINVAL (called twice), CMX_ENOMEM. */
CMX_API int cmx_text_keep(const char *const *words, size_t n, char **errptr);
/* One word of a text: where it is in the given bytes, its stem (borrowed; valid during the
 * callback only) and whether it is on the query stop list. */
typedef struct cmx_token {
    size_t off, len;
    const char *stem;
    size_t stem_len;
    bool stop;
} cmx_token_t;
typedef int (*cmx_token_fn)(void *arg, const cmx_token_t *t);
/* Each word of `text` as cmx_text_stems cuts it, with its place (for snippets and queries).
 * A word over CMX_TERM_MAX - 1 bytes, which no document holds, comes too: its stem is its
 * folded form, stem_len over CMX_TERM_MAX - 1. Errors: as cmx_text_stems. */
CMX_API int cmx_text_tokens(const char *text, size_t len, cmx_token_fn fn, void *arg,
                            char **errptr);
/* As cmx_text_tokens, for marking the words that stem to one of the n `stems` (lens[i] bytes
 * each; a snippet's): a word that cannot stem to any of them is given an empty stem, unstemmed,
 * and `stop` false. The stemmer (masculine endings, then Snowball's suffixes, which lie past a
 * word's first two letters) keeps a word's first two folded letters, so a word whose first
 * two differ from every stem's cannot stem to one (test_shim holds this over a vocabulary).
 * A long description is then mostly cut, not stemmed. Errors: as cmx_text_stems. */
CMX_API int cmx_text_tokens_among(const char *text, size_t len, const char *const *stems,
                                  const size_t *lens, size_t n, cmx_token_fn fn, void *arg,
                                  char **errptr);

/* ---- Queries ----
 * Every constructor gives a query owned by the caller (free with cmx_query_free); the
 * combinators consume nothing: operands remain owned by the caller. */
enum {
    CMX_PARSE_AND = 1u << 0 /* default operator AND (else OR) */
};
/* Parse French free text (`len` bytes; NUL bytes and invalid UTF-8 are tolerated). The syntax
 * is AND OR NOT XOR, +word -word, "phrases", parentheses (no wildcards, no field prefixes).
 * More than `max_terms` distinct terms is CMX_EINVAL. Text without terms gives the empty query
 * (matches nothing). Errors: CMX_EINVAL with a message (syntax). */
CMX_API int cmx_query_parse(const char *text, size_t len, unsigned flags, unsigned max_terms,
                            cmx_query **out, char **errptr);
CMX_API int cmx_query_all(cmx_query **out); /* every document */
CMX_API int cmx_query_term(const char *term, cmx_query **out);
/* OR of n terms (n == 0 gives the empty query). */
CMX_API int cmx_query_terms_or(const char *const *terms, size_t n, cmx_query **out);
enum { CMX_OP_AND = 0, CMX_OP_OR, CMX_OP_AND_NOT, CMX_OP_FILTER };
/* a OP b. CMX_OP_FILTER: documents of a that also match b, weighted by a only. */
CMX_API int cmx_query_combine(int op, const cmx_query *a, const cmx_query *b, cmx_query **out);
/* Documents whose point in `slot` lies within radius_m metres of (lat, lon). A filter (weight
 * 0): use it under CMX_OP_FILTER or an AND whose other side carries the weight. */
CMX_API int cmx_query_geo(unsigned slot, double lat, double lon, double radius_m, cmx_query **out);
/* Exactly the documents whose ids are in ids[0..n) (sorted ascending, no duplicates; copied):
 * a set computed outside Xapian (the catalog's geo and filters) as a filter (weight 0). Ids
 * absent from the database match nothing. Errors: CMX_EINVAL (unsorted), CMX_ENOMEM. */
CMX_API int cmx_query_docids(const uint32_t *ids, size_t n, cmx_query **out);
CMX_API void cmx_query_free(cmx_query *q);

/* ---- Postings (ranking outside the matcher) ---- */
/* What Xapian's BM25 weighs a term with, at one revision. */
typedef struct cmx_stats {
    uint64_t doccount;     /* documents in the database */
    uint64_t total_length; /* sum of their lengths */
} cmx_stats_t;
/* termfreq[t] = documents holding terms[t] in the whole database; *st the database's figures.
 * Errors: CMX_EINVAL (a term empty or over-long), CMX_ERETRY, CMX_ECORRUPT, CMX_EXAPIAN. */
CMX_API int cmx_db_termfreqs(cmx_db *db, const char *const *terms, size_t n_terms,
                             uint64_t *termfreq, cmx_stats_t *st, char **errptr);
/* The postings of terms[0..n_terms) among the documents ids[0..n) (sorted ascending, no
 * duplicates): wdf[t * n + i] = within-document frequency of terms[t] in ids[i] (0: absent).
 * termfreq[t] is what cmx_db_termfreqs gave for terms[t] on this handle, not reopened since
 * (it says which words are read from the index and which kept decoded). Errors: CMX_EINVAL
 * (a term empty or over-long), CMX_ERETRY, CMX_ECORRUPT, CMX_EXAPIAN, CMX_ENOMEM. */
CMX_API int cmx_db_postings(cmx_db *db, const char *const *terms, const uint64_t *termfreq,
                            size_t n_terms, const uint32_t *ids, size_t n, uint32_t *wdf,
                            char **errptr);
/* The postings of words held by at least `freq` documents (default 4096; 0: the default) are
 * kept decoded per database revision, shared by every reader (48 MiB at most), once a second
 * request asked for them at a revision `stable_ms` old or more (default 250; < 0: the
 * default). A seam for tests, which lower both. */
CMX_API void cmx_postings_cache_tune(uint64_t freq, long stable_ms);
/* The data of document `docid` (*data owned by the caller: cmx_free; NUL-terminated too).
 * Errors: CMX_ERETRY (absent: a reader outrun), CMX_ECORRUPT, CMX_EXAPIAN, CMX_ENOMEM. */
CMX_API int cmx_db_doc_data(cmx_db *db, uint32_t docid, char **data, size_t *len, char **errptr);

/* ---- Searching ---- */
enum {
    CMX_SORT_RELEVANCE = 0, /* weight desc, ties by value of sort_slot desc */
    CMX_SORT_VALUE,         /* value of sort_slot desc (empty last), ties by weight */
    CMX_SORT_DISTANCE       /* distance of the point in sort_slot from (lat, lon) asc */
};
#define CMX_SPIES_MAX 8
typedef struct cmx_search {
    const cmx_query *query;
    int sort; /* CMX_SORT_* */
    unsigned sort_slot;
    double lat, lon; /* centre for CMX_SORT_DISTANCE */
    unsigned offset, limit;
    unsigned check_at_least;           /* exact counts and facets up to this many matches */
    unsigned spy_slots[CMX_SPIES_MAX]; /* value slots to count (facets) */
    size_t n_spies;
    /* > 0: the search ends with CMX_ETIMEDOUT after this many seconds (checked as documents
     * are considered and inside the geo source); exact counting stops at half of it. */
    double time_limit_s;
    /* When set, called for every document the match considers (each matching one while
     * fewer than check_at_least were seen): non-zero keeps it. For counting facets outside
     * Xapian. */
    int (*accept)(void *ctx, unsigned docid);
    void *accept_ctx;
    /* When set, CMX_SORT_RELEVANCE and CMX_SORT_VALUE take a document's sort value from this
     * callback instead of reading sort_slot's value stream for every match: the number the
     * slot holds (cmx_doc_add_value_number), or *has = 0 when it holds none. Called in the
     * same order as accept, for the same documents. */
    double (*sort_value)(void *ctx, unsigned docid, int *has);
    void *sort_value_ctx;
} cmx_search_t;

/* Run a search. *out owned by the caller; free with cmx_mset_free. Everything (data, values,
 * facet counts) is copied out, so the accessors below cannot fail.
 * Errors: CMX_EINVAL (limits), CMX_ERETRY, CMX_ECORRUPT, CMX_EXAPIAN, CMX_ENOMEM,
 * CMX_ETIMEDOUT (time_limit_s reached). */
CMX_API int cmx_db_search(cmx_db *db, const cmx_search_t *s, cmx_mset **out, char **errptr);
CMX_API void cmx_mset_free(cmx_mset *m);
CMX_API size_t cmx_mset_size(const cmx_mset *m);
CMX_API uint64_t cmx_mset_matches_estimated(const cmx_mset *m);
/* Hit i (0 <= i < size). Pointers are borrowed; valid until cmx_mset_free. */
/* 0..100: 100 x the hit's weight over the best weight of the whole match (the first hit of
 * page 1 is 100), floored as Xapian floors its percentages; 100 for a query without weights */
CMX_API int cmx_mset_percent(const cmx_mset *m, size_t i);
CMX_API const char *cmx_mset_data(const cmx_mset *m, size_t i, size_t *len);
/* Facet spy k (index into s->spy_slots): n distinct values, ordered by count desc then
 * value asc. */
CMX_API size_t cmx_mset_facet_size(const cmx_mset *m, size_t k);
CMX_API const char *cmx_mset_facet(const cmx_mset *m, size_t k, size_t j, size_t *len,
                                   uint64_t *count);

#ifdef __cplusplus
}
#endif
#endif
