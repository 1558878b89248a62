/* LMDB storage, the source of truth (engine/store.c). Internal to engine/.
 *
 * Named databases: offers, candidates (id -> binary record), events (candidate id NUL
 * big-endian seq -> event), changelog (big-endian seq -> kind op id), meta, audit. No secondary
 * index: the in-memory catalog (catalog.c), rebuilt from the records at open, answers every
 * "which records have X" question. One write transaction holds a record and its change-log
 * entry. Record values carry a CRC-32C (store_guard.h): a changed byte reads as CM_ECORRUPT,
 * never as a record. LMDB codes are translated here: MDB_NOTFOUND -> CM_ENOTFOUND, MDB_MAP_FULL -> CM_EFULL.
 */
#ifndef CAREMATCH_STORE_H
#define CAREMATCH_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "carematch/engine.h"

typedef struct cm__store cm__store_t;
typedef struct cm__wtxn cm__wtxn_t;

#define CM_STORE_FORMAT 1 /* meta "format": layout of the databases */

/* Open (create) the environment in directory `path`. map_size 0 = 16 GiB. */
int cm__store_open(const char *path, uint64_t map_size, bool read_only, cm__store_t **out,
                   cm_error *err);
void cm__store_close(cm__store_t *st);

/* One write transaction. Only one may be open at a time per process (LMDB serialises). */
int cm__store_begin(cm__store_t *st, cm__wtxn_t **out);
/* Sets rec->version; *created tells create vs replace. CM_EEXIST when if_version fails. */
int cm__wtxn_put_offer(cm__wtxn_t *w, cm_offer_t *rec, uint64_t if_version, bool *created);
int cm__wtxn_put_candidate(cm__wtxn_t *w, cm_candidate_t *rec, uint64_t if_version,
                           bool *created);
/* Only when the stored version is if_version (0: any); else CM_EEXIST, nothing done. */
int cm__wtxn_del_offer(cm__wtxn_t *w, const char *id, uint64_t if_version);
int cm__wtxn_del_candidate(cm__wtxn_t *w, const char *id, uint64_t if_version); /* + events */
int cm__wtxn_add_event(cm__wtxn_t *w, const cm_event_t *ev, uint64_t *seq, cm_error *err);
/* Delete change-log entries with seq <= upto, remember the highest trimmed seq. */
int cm__wtxn_trim_changelog(cm__wtxn_t *w, uint64_t upto);
/* Commit; *last_seq (may be NULL) = last change-log seq written. The handle is freed. */
int cm__wtxn_commit(cm__wtxn_t *w, uint64_t *last_seq);
void cm__wtxn_abort(cm__wtxn_t *w);
/* End a transaction by the outcome of its work: commit when rc is 0 (returning the commit's
 * result), abort otherwise (returning rc). The handle is freed either way. */
int cm__wtxn_end(cm__wtxn_t *w, int rc, uint64_t *last_seq);

int cm__store_get_offer(cm__store_t *st, const char *id, cm_offer_t **out);
int cm__store_get_candidate(cm__store_t *st, const char *id, cm_candidate_t **out);
/* A damaged record (checksum or format) is skipped and counted (cm__store_damaged): one bad
 * record never stops the catalog load, a rebuild or an export. */
int cm__store_each_offer(cm__store_t *st, cm_offer_visit_fn fn, void *arg);
int cm__store_each_candidate(cm__store_t *st, cm_candidate_visit_fn fn, void *arg);
/* The same, for one share of the records (part of parts, by rank in id order: every parts-th
 * from the part-th), each share on its own read transaction: parts threads visit them all. */
int cm__store_share_offers(cm__store_t *st, unsigned part, unsigned parts, cm_offer_visit_fn fn,
                           void *arg);
int cm__store_share_candidates(cm__store_t *st, unsigned part, unsigned parts,
                               cm_candidate_visit_fn fn, void *arg);

/* Every stored value of offers (or candidates) as stored (framed), in key order. */
typedef int (*cm__raw_fn)(void *arg, const void *key, size_t klen, const void *val,
                          size_t vlen);
int cm__store_each_raw(cm__store_t *st, bool offers, cm__raw_fn fn, void *arg);
/* Check every stored record (its checksum, then the codec; store_guard.c): *bad counts those
 * that fail, first names the first ("offer ID"). Errors: reading storage itself. */
int cm__store_verify(cm__store_t *st, uint64_t *bad, char *first, size_t first_size);
/* Damaged records the walks have skipped so far, and the first ("offer X") into first. */
uint64_t cm__store_damaged(cm__store_t *st, char *first, size_t first_size);
/* fn(arg, "offer X") for each damaged record a walk or cm__store_verify meets from now on
 * (set before any walk). */
void cm__store_on_damaged(cm__store_t *st, void (*fn)(void *arg, const char *what), void *arg);
/* "offer X" (the id cut at CM_ID_MAX) for a damaged record's key, told to on_damaged. */
void cm__store_tell_damaged(cm__store_t *st, bool offer, const void *key, size_t klen);
/* That name into out: how the log, check and the first of the walks say a damaged record. */
void cm__store_damaged_name(char *out, size_t cap, bool offer, const void *key, size_t klen);

/* Change-log entries with seq > after, in order, at most max; fn's non-zero return stops. */
typedef int (*cm__change_fn)(void *arg, uint64_t seq, char kind, char op, const char *id);
int cm__store_changes(cm__store_t *st, uint64_t after, size_t max, cm__change_fn fn, void *arg);

typedef struct cm__store_meta {
    uint64_t last_seq;     /* last change-log seq ever written */
    uint64_t trimmed_upto; /* change-log entries <= this are gone */
    uint64_t offers, candidates, events, changelog;
    uint64_t map_size, map_used;
} cm__store_meta_t;
int cm__store_meta(cm__store_t *st, cm__store_meta_t *out);
/* A number of meta by name (0 when absent), and one set in a write transaction (no change-log
 * entry: last_seq stays). For the engine's own bookkeeping (catalog_snap.c). */
int cm__store_meta_get(cm__store_t *st, const char *name, uint64_t *out);
int cm__wtxn_meta_put(cm__wtxn_t *w, const char *name, uint64_t val);

/* Walk every event: fn(arg, event). Used by stats. */
typedef int (*cm__event_fn)(void *arg, const cm_event_t *ev);
int cm__store_each_event(cm__store_t *st, cm__event_fn fn, void *arg);
/* Audit log: append in the write transaction; walk in sequence order. */
int cm__wtxn_audit_append(cm__wtxn_t *w, cm_audit_entry_t *en);
int cm__store_audit_each(cm__store_t *st, const char *candidate_id, uint64_t after, size_t limit,
                         cm_audit_visit_fn fn, void *arg);

/* Erasure on disk: overwrite with zeros the free pages (the pages older versions of records
 * were on) so that an erased record's bytes do not stay readable in them. The first scrub
 * after an erasure (`drain`): *upto is the erasure's transaction on the way in, and on the
 * way out the last transaction before the fills, the scrub's target: every free page in
 * freelist records up to it. Later scrubs (retries, no `drain`) take that target back.
 * `drain` also zeroes LMDB's recycled page buffers (a fill, committed and dropped, or
 * aborted while a reader's older snapshot is open: see drain_buffers). Short
 * write transactions, two per fill of at most 4,096 pages (caller holds the write lock; no
 * write transaction open); a retry writes nothing while a reader keeps all of those records.
 * *covered: every page of those records was overwritten (false when a reader kept some, or
 * when the pass's 8 fills did not reach them all: scrub again later). */
int cm__store_scrub(cm__store_t *st, uint64_t *upto, bool drain, bool *covered);
/* Before an erasure (caller holds the write lock; no write transaction open): zero LMDB's
 * recycled page buffers (a page written later copies only its used part into one, the rest
 * went to disk as it was: pieces of the last records written), and rewrite the last page path
 * of each database (the audit, the change log and the events append there: the pages the
 * writes since the record's were on), so that the scrub after the erasure frees and zeroes
 * the copies that held such pieces. Pages of other records written meanwhile elsewhere in a
 * database are not reached (README's known limit). 0 or CM_EIO / CM_EFULL. */
int cm__store_prepare_erasure(cm__store_t *st);
/* The id of the last committed write transaction. */
uint64_t cm__store_txn_id(cm__store_t *st);

/* Consistent compacting copy of the environment into directory `dest` (must exist). */
int cm__store_copy(cm__store_t *st, const char *dest);

#endif
