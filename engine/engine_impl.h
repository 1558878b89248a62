/* The engine handle's state and the seams between the rooms that implement the public API of
 * include/carematch/engine.h. One room, one job:
 *
 *   engine.c   lifecycle (open/close), reads by id, info, the log callback
 *   indexer.c  storage -> index: the index writer thread applying the change log, publish
 *              (read-your-writes), catch-up at open, rebuild (reindex), change-log trimming
 *   readers.c  the pool of Xapian readers and the commit lock they share with index commits
 *   writes.c   the write path: records (single and bulk), deletes, events
 *   audit.c    the audit log's group commit
 *   query.c    the read façades: search (index ids -> stored offers), matching (catalog)
 *   ops.c      stats, check, backup
 *
 * Locks, in the only order they may be nested (a later one is never held while an earlier
 * one is taken):
 *   write_mu     serialises storage write transactions and the catalog updates that follow
 *   index_mu     the index writer handle (e->index): an apply batch, or a rebuild's swap
 *   commit_lock  rwlock: readers hold it shared while they search, a rebuild's swap exclusive
 *                (index commits only wait for readers two commits old: readers.c)
 *   mu           the sequence counters and flags below (never held across I/O)
 *   the catalog's rwlock (readers first; catalog.c): taken alone, or under write_mu for a put
 *                group's installs (cm__catalog_write_begin) and under index_mu for a batch's docids
 *   pool_mu, catalog_mu: leaves. audit_mu is released before write_mu is taken; group_mu
 *   (single puts waiting for a group commit) is never held with another.
 */
#ifndef CAREMATCH_ENGINE_IMPL_H
#define CAREMATCH_ENGINE_IMPL_H

#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "carematch/engine.h"
#include "index.h"
#include "internal.h"
#include "store.h"

typedef struct cm__reader_slot cm__reader_slot_t;
struct audit_batch;

struct cm_engine {
    char dir[4096];
    int dir_lock; /* fd of DIR/carematch.lock, flock()ed while open for writing; -1: none */
    char lmdb_path[4200];
    char xapian_path[4200];
    cm_engine_options_t opt;
    cm__store_t *store;
    cm__index_t *index; /* NULL when read-only */
    cm__score_config_t *score_cfg;
    cm__catalog_t *catalog;
    bool catalog_loaded;
    pthread_mutex_t catalog_mu;
    uint64_t searches_by_catalog, searches_by_index; /* atomics, for cm_engine_info */
    uint64_t searches_text_ranked;                   /* atomic: search_ids (query.c) */
    /* The catalog's map of the index's docids is kept once a radius search with text asked
     * for it (sticky; atomic): tools that never search never walk the index. */
    bool xmap_wanted;

    pthread_mutex_t write_mu;
    /* Group commit of single puts (writes.c): puts waiting for the next transaction, and
     * whether a put is committing a group now (it takes the next one after). Leaf lock. */
    pthread_mutex_t group_mu;
    pthread_cond_t group_cv;
    struct cm__group_item *group_head, *group_tail;
    bool group_busy;
    uint64_t single_puts, single_put_commits; /* atomics, for cm_engine_info */
    /* atomics: damaged records a search or a match left out, and when that was last logged
     * (CLOCK_MONOTONIC seconds; query.c) */
    uint64_t left_out, left_out_logged_s;
    uint64_t damaged_told;    /* atomic: damaged records storage's walks met (engine.c) */
    pthread_mutex_t index_mu; /* e->index: applies and commits, the rebuild's swap */

    pthread_mutex_t mu;        /* guards the fields below */
    pthread_cond_t work_cv;    /* index writer: work to do (CLOCK_REALTIME) */
    pthread_cond_t applied_cv; /* publishers: applied_seq moved (CLOCK_MONOTONIC) */
    uint64_t committed_seq;    /* last seq committed to LMDB */
    uint64_t applied_seq;      /* last seq committed to the index */
    uint64_t want_seq;         /* the last change someone waits to see (indexer.c: the gap) */
    /* the last_seq the index's own metadata holds (atomic; the index writer): behind
     * applied_seq while batches hold only candidates' changes, which move nothing in the
     * index and are not committed to it (indexer.c); the change log is trimmed up to it */
    uint64_t stored_seq;
    uint64_t index_commits, index_commit_ns; /* atomics: the writer's commits, for metrics */
    uint64_t index_prebuilt;   /* atomic: documents the builders built (index_build.h) */
    uint64_t trimmed_seq;      /* change log trimmed up to here */
    uint64_t generation;       /* bumps at each index commit: readers reopen */
    pthread_cond_t readers_cv; /* the index writer: the last reader from before a commit left */
    uint64_t readers_gen;      /* the generation readers_cur counts readers of */
    unsigned readers_cur, readers_old; /* readers in flight taken at readers_gen; before it */
    int index_error;           /* last error of the index writer, 0 if fine */
    int catalog_error;         /* a stored record the catalog could not take (writes.c) */
    uint64_t scrub_txn;        /* a pending scrub's target (cm__store_scrub *upto), or 0 */
    bool scrub_drain;          /* the pending scrub's drain is not done (its first try failed) */
    bool index_damaged;        /* damage met after open: searches refused until rebuilt */
    char index_damage[120];    /* what was met, for /readyz */
    bool xmap_kick;            /* a search asks the index writer to map the index's docids */
    bool stop;
    bool ready;
    bool thread_running;
    pthread_t thread;
    struct cm__builders *builders; /* with the thread: build offers' documents ahead of it */
    /* The catalog's snapshot kept between starts (catalog_snap.c): the storage change the
     * file on disk is at, and the thread that writes it again while
     * the store changes (e->mu guards snap_stop; snap_cv on CLOCK_MONOTONIC). */
    uint64_t snap_kept;        /* atomic: the kept snapshot's change + 1 (0: none; an empty store's
                                * snapshot is at change 0) */
    uint64_t snap_checkpoints; /* atomic: written again since open, for metrics */
    bool snap_thread_running, snap_stop;
    pthread_t snap_thread;
    pthread_cond_t snap_cv;
    struct cm__bslot *batch;       /* index_mu: the batch being applied (indexer.c) */
    size_t batch_n, batch_cap;

    pthread_mutex_t pool_mu;
    cm__reader_slot_t *pool;
    pthread_rwlock_t commit_lock;

    pthread_mutex_t audit_mu;
    pthread_cond_t audit_cv;
    struct audit_batch *audit_queue;
    bool audit_leader;
};

/* engine.c */
/* Report to the operator through opt.log (no-op without one). */
/* rc of reading a record to render a search or a match: true (the record is left out, the
 * log told) when it says the stored record is damaged (CM_ECORRUPT, CM_EVERSION). query.c */
bool cm__record_left_out(cm_engine_t *e, int rc, const char *kind, const char *id);
void cm__log(cm_engine_t *e, cm_log_level_t level, const char *event, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* 0 when the engine may write; CM_EINVAL read-only, CM_ECLOSED stopping. */
int cm__writable(cm_engine_t *e);
/* The calling thread `add` below the process's priority (Linux, per thread; capped at 19;
 * 0: left as it is): a best effort, as nice(1) is. */
void cm__thread_nice(int add);
/* Seconds on CLOCK_MONOTONIC, for durations the log reports. */
double cm__mono_s(void);
/* Remove a file or a directory tree (absent is fine). 0 or -1 (errno). */
int cm__rm_rf(const char *path);
/* fsync a directory (after a rename or a create in it). 0 or -1 (errno). */
int cm__fsync_dir(const char *path);
/* Load the catalog from storage once (read-only engines load it at first use). */
int cm__catalog_ensure(cm_engine_t *e);

/* catalog_keep.c: the snapshot kept between starts. Start and stop the thread that writes it
 * again every catalog_snapshot_interval_s while the store changes (with the index writer
 * only); forget it (the file removed: an erasure must not outlive its answer in a copy;
 * caller holds write_mu); the change log may be trimmed up to what it returns (UINT64_MAX:
 * no snapshot holds it back). */
int cm__catalog_snap_keeper_start(cm_engine_t *e);
void cm__catalog_snap_keeper_stop(cm_engine_t *e);
void cm__catalog_snap_forget(cm_engine_t *e);
/* catalog_snap.c: <data>/catalog.snap */
void cm__catalog_snap_path(const cm_engine_t *e, char *out, size_t cap);
uint64_t cm__catalog_snap_trim_bound(cm_engine_t *e, uint64_t applied);

/* catalog_snap.c: the catalog saved at a clean close (a no-op when read-only, not ready, or
 * when the catalog missed a record), and loaded at open when it is a copy of storage as it
 * was at a change the change log still follows, the changes since replayed (0; CM_ENOTFOUND:
 * the caller rebuilds from storage, on an empty catalog; CM_ENOMEM: no empty catalog could be
 * made). Both log. cm__catalog_snap_write: the file and its name in storage, with no write
 * running (*seq: the change it is at). */
void cm__catalog_snap_save(cm_engine_t *e);
int cm__catalog_snap_load(cm_engine_t *e);
int cm__catalog_snap_write(cm_engine_t *e, uint64_t *seq, uint64_t *bytes);
/* catalog_keep.c: the changes after seq `after`, read from the change log, applied to the
 * loaded catalog from storage as it is now (*n: how many; *erased: a candidate's deletion
 * was among them). */
int cm__catalog_snap_replay(cm_engine_t *e, uint64_t after, uint64_t *n, bool *erased);
/* After a rebuild from storage, at a server's open (not read-only, index thread on): the
 * catalog written out and read back, laid out by ROME code and place as a loaded one is (a
 * rebuild keeps storage's order, which makes dense-area matching about 1.5x slower until the
 * next clean stop). 0 also when the save fails (the rebuilt catalog stays, logged);
 * CM_ENOTFOUND when the copy written could not be read back: the caller rebuilds again, on
 * the empty catalog left. */
int cm__catalog_snap_relayout(cm_engine_t *e);

/* writes.c */
/* After an erasure commit (write_mu held): overwrite free pages (cm__store_scrub); what a
 * reader's older snapshot kept out is retried by the index writer (cm__scrub_retry). */
void cm__scrub_after_erasure(cm_engine_t *e);
/* A pending scrub, retried (takes write_mu). */
void cm__scrub_retry(cm_engine_t *e);

/* indexer.c */
/* Bring the index in step with storage at open (replay or rebuild). */
int cm__indexer_catch_up(cm_engine_t *e, cm_error *err);
/* Rebuild the whole index from storage (cm_engine_reindex, catch-up at open, or the index
 * writer for a damaged index; holds index_mu throughout, so one at a time and no apply in
 * between). The new index is built aside (xapian.next), renamed xapian.ready once complete
 * and committed, then swapped in: an interrupted rebuild leaves the old index as it was,
 * never a partial one. Storage may take writes meanwhile: the index is built from a snapshot
 * at or after the last_seq it records, and the change log replays the rest. */
int cm__indexer_rebuild(cm_engine_t *e, cm_error *err);
/* At open, before the index is opened: finish a swap a crash interrupted (xapian.ready is a
 * complete index), drop a partial build (xapian.next) and a swapped-out index (xapian.old). */
int cm__indexer_recover_swap(cm_engine_t *e, cm_error *err);
int cm__indexer_start(cm_engine_t *e);
void cm__indexer_stop(cm_engine_t *e);
/* Damage met in the index after open (a search or an update): searches answer CM_ERETRY
 * and the index writer rebuilds the index from storage in the background (inline engines:
 * at the next reindex or open). Logged once. */
void cm__indexer_damaged(cm_engine_t *e, const char *what);
/* After a storage commit at seq: tell the index writer (no wait). */
void cm__indexer_hand_over(cm_engine_t *e, uint64_t seq);
/* After a storage commit at seq: hand it over and wait until readers see it, at most the
 * visibility bound (*lagging, may be NULL, says the bound was hit). Always 0: the write is
 * durable and the change log replays it. */
int cm__indexer_publish(cm_engine_t *e, uint64_t seq, bool *lagging);
/* The index writer running: hand seq over and wait until it has applied it, until *dl
 * (CLOCK_MONOTONIC; NULL: no bound), or until it will not (stop, damage). Whether it is. */
bool cm__indexer_wait(cm_engine_t *e, uint64_t seq, const struct timespec *dl);

/* readers.c */
/* A reader at the latest committed revision, holding commit_lock shared until put. */
int cm__reader_get(cm_engine_t *e, cm__searcher_t **out, cm__reader_slot_t **slot);
void cm__reader_put(cm_engine_t *e, cm__reader_slot_t *slot);
void cm__readers_destroy(cm_engine_t *e);
/* Commit the index and make readers reopen (searches in flight go on at their revision). */
int cm__readers_commit_index(cm_engine_t *e, uint64_t last_seq);
/* Before the index writer modifies the index: wait until no reader taken before the last
 * commit is left (the next commit may reuse its revision's blocks). index_mu held. */
void cm__readers_wait_outrun(cm_engine_t *e);
/* indexer.c: the index's last_seq brought up to applied_seq (a clean close) */
void cm__indexer_flush_seq(cm_engine_t *e);
/* indexer.c, shared with index_rebuild.c: applied_seq moved or waiting for it became
 * pointless (e->mu held): wake the publishers and the front end's parked requests; the
 * index's side paths (e->xapian_path + "." + suffix); the id -> docid map brought in step
 * with the index (new docids after a rebuild); whether a path exists. */
void cm__indexer_applied_moved(cm_engine_t *e);
void cm__indexer_side_path(const cm_engine_t *e, const char *suffix, char out[4300]);
void cm__indexer_xmap_sync(cm_engine_t *e);
bool cm__path_exists(const char *path);

#endif
