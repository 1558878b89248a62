/* The engine handle: storage (truth), the index writer thread (derived Xapian index kept in
 * step through the change log), reader pools, the matching catalog, and the public API. */
#include <errno.h>
#include <ftw.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "carematch/engine.h"
#include "internal.h"
#include "score.h"
#include "store.h"

#define DEFAULT_BATCH_DOCS 2000
#define DEFAULT_BATCH_MS 5 /* minimum time between index commits */
#define DEFAULT_VISIBILITY_MS 10000
#define TRIM_EVERY_SEQS 4096 /* trim the applied change log once this many accumulate */

typedef struct searcher_slot {
    cm__searcher_t *s;
    uint64_t generation;
    struct searcher_slot *next;
} searcher_slot_t;

struct cm_engine {
    char dir[4096];
    char lmdb_path[4200];
    char xapian_path[4200];
    cm_engine_options_t opt;
    cm__store_t *store;
    cm__index_t *index; /* NULL when read-only */
    cm__score_config_t *score_cfg;
    cm__catalog_t *catalog;
    bool catalog_loaded;
    pthread_mutex_t catalog_mu;

    pthread_mutex_t write_mu; /* serialises storage writes + catalog updates */

    pthread_mutex_t mu; /* guards the fields below */
    pthread_cond_t work_cv;
    pthread_cond_t applied_cv;
    uint64_t committed_seq; /* last seq committed to LMDB */
    uint64_t applied_seq;   /* last seq committed to the index */
    uint64_t trimmed_seq;   /* change log trimmed up to here */
    uint64_t generation;    /* bumps at each index commit: readers reopen */
    int index_error;        /* last error of the index writer, 0 if fine */
    bool stop;
    bool ready;
    bool thread_running;
    pthread_t thread;

    pthread_mutex_t pool_mu;
    searcher_slot_t *pool;
    /* Readers hold it (shared) from taking a searcher to giving it back; the index writer
     * takes it (exclusive) only around a commit. So a search always runs on the latest
     * committed revision and no commit can outrun it (Xapian would say "modified"). */
    pthread_rwlock_t commit_lock;

    /* Audit group commit: appenders queue up; one of them (the leader) writes every queued
     * batch in one storage transaction while the others wait for their batch's outcome. */
    pthread_mutex_t audit_mu;
    pthread_cond_t audit_cv;
    struct audit_batch *audit_queue;
    bool audit_leader;
};

/* ------------------------------------------------------------------------------------- */
/* small helpers                                                                          */

static int rm_cb(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int rm_rf(const char *path)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return errno == ENOENT ? 0 : -1;
    return nftw(path, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
}

static int mkdir_p1(const char *path)
{
    if (mkdir(path, 0750) == 0 || errno == EEXIST)
        return 0;
    return CM_EIO;
}

/* Now + ms on `clock` (the clock of the condition variable that will wait for it). */
static void deadline_after(struct timespec *ts, clockid_t clock, unsigned ms)
{
    clock_gettime(clock, ts);
    ts->tv_sec += ms / 1000;
    ts->tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
}

/* ------------------------------------------------------------------------------------- */
/* applying the change log to the index                                                   */

typedef struct apply_ctx {
    cm_engine_t *e;
    uint64_t last;
    int rc;
} apply_ctx_t;

static int apply_one(void *arg, uint64_t seq, char kind, char op, const char *id)
{
    apply_ctx_t *a = arg;
    cm_engine_t *e = a->e;
    int rc = 0;
    if (op == 'd') {
        rc = cm__index_delete(e->index, kind, id);
    } else if (kind == 'o') {
        cm_offer_t *o;
        rc = cm__store_get_offer(e->store, id, &o);
        if (rc == 0) {
            rc = cm__index_put_offer(e->index, o);
            cm_offer_free(o);
        } else if (rc == CM_ENOTFOUND) {
            rc = 0; /* deleted since: a later 'd' entry removes it from the index */
        }
    } else if (kind == 'c') {
        cm_candidate_t *c;
        rc = cm__store_get_candidate(e->store, id, &c);
        if (rc == 0) {
            rc = cm__index_put_candidate(e->index, c);
            cm_candidate_free(c);
        } else if (rc == CM_ENOTFOUND) {
            rc = 0;
        }
    }
    if (rc) {
        a->rc = rc;
        return rc;
    }
    a->last = seq;
    return 0;
}

/* Commit the index and make readers reopen, with no search in flight (see commit_lock). */
static int commit_index(cm_engine_t *e, uint64_t last_seq)
{
    pthread_rwlock_wrlock(&e->commit_lock);
    int rc = cm__index_commit(e->index, last_seq);
    if (rc == 0) {
        pthread_mutex_lock(&e->mu);
        e->generation++;
        pthread_mutex_unlock(&e->mu);
    }
    pthread_rwlock_unlock(&e->commit_lock);
    return rc;
}

/* Apply up to `max` change-log entries after `from` and commit the index.
 * *applied receives the new applied sequence. */
static int apply_batch(cm_engine_t *e, uint64_t from, uint64_t upto, size_t max,
                       uint64_t *applied)
{
    apply_ctx_t a = {e, from, 0};
    int rc = cm__store_changes(e->store, from, max, apply_one, &a);
    if (rc == 0)
        rc = a.rc;
    if (rc)
        return rc;
    /* a.last may pass upto (later commits read in the same pass); when the log holds
     * nothing after `from`, the range was trimmed and there is nothing to apply */
    uint64_t last = a.last > from ? a.last : upto;
    if ((rc = commit_index(e, last)) != 0)
        return rc;
    *applied = last;
    return 0;
}

static void maybe_trim(cm_engine_t *e, uint64_t applied)
{
    if (applied - e->trimmed_seq < TRIM_EVERY_SEQS)
        return;
    cm__wtxn_t *w;
    pthread_mutex_lock(&e->write_mu);
    if (cm__store_begin(e->store, &w) == 0) {
        /* failure is harmless: the log is trimmed at a later pass */
        if (cm__wtxn_trim_changelog(w, applied) != 0)
            cm__wtxn_abort(w);
        else if (cm__wtxn_commit(w, NULL) == 0)
            e->trimmed_seq = applied;
    }
    pthread_mutex_unlock(&e->write_mu);
}

static void *index_thread(void *arg)
{
    cm_engine_t *e = arg;
    size_t max = e->opt.index_batch_docs ? e->opt.index_batch_docs : DEFAULT_BATCH_DOCS;
    unsigned gap_ms = e->opt.index_batch_ms ? e->opt.index_batch_ms : DEFAULT_BATCH_MS;
    struct timespec next = {0, 0}; /* earliest next commit (CLOCK_REALTIME, for the cv) */
    pthread_mutex_lock(&e->mu);
    for (;;) {
        while (!e->stop && e->committed_seq <= e->applied_seq)
            pthread_cond_wait(&e->work_cv, &e->mu);
        if (e->committed_seq <= e->applied_seq && e->stop)
            break;
        /* At most one commit per gap: more writes share each commit, and a reader gets
         * at least two gaps before a commit can reuse its revision's blocks. */
        while (!e->stop && pthread_cond_timedwait(&e->work_cv, &e->mu, &next) != ETIMEDOUT)
            ;
        uint64_t from = e->applied_seq, upto = e->committed_seq, applied = from;
        pthread_mutex_unlock(&e->mu);
        /* natural group commit: everything committed since the last pass goes in one batch */
        int rc = apply_batch(e, from, upto, max, &applied);
        if (rc == 0)
            maybe_trim(e, applied);
        pthread_mutex_lock(&e->mu);
        if (rc) {
            e->index_error = rc;
            fprintf(stderr, "{\"level\":\"error\",\"msg\":\"index writer: %s\"}\n",
                    cm_strerror(rc));
            /* back off, then retry: the change log keeps everything */
            struct timespec ts;
            deadline_after(&ts, CLOCK_REALTIME, 1000);
            if (!e->stop)
                pthread_cond_timedwait(&e->work_cv, &e->mu, &ts);
            if (e->stop)
                break;
            continue;
        }
        e->index_error = 0;
        e->applied_seq = applied;
        pthread_cond_broadcast(&e->applied_cv);
        deadline_after(&next, CLOCK_REALTIME, gap_ms);
    }
    pthread_mutex_unlock(&e->mu);
    return NULL;
}

/* Tell the index writer that storage has committed up to `seq`. */
static void hand_over(cm_engine_t *e, uint64_t seq)
{
    pthread_mutex_lock(&e->mu);
    if (seq > e->committed_seq)
        e->committed_seq = seq;
    pthread_cond_signal(&e->work_cv);
    pthread_mutex_unlock(&e->mu);
}

/* After a storage commit at `seq`: hand it to the index writer and wait until readers see it
 * (read-your-writes), at most the visibility bound. Inline mode applies it here. */
static int publish(cm_engine_t *e, uint64_t seq, bool *lagging)
{
    bool lag = false;
    if (!e->thread_running) {
        /* inline mode: the writer lock serialises appliers; mu is not held across an apply
         * (commit_index takes commit_lock, then mu: the readers' order) */
        uint64_t applied = 0, from, upto;
        int rc = 0;
        pthread_mutex_lock(&e->write_mu);
        pthread_mutex_lock(&e->mu);
        if (seq > e->committed_seq)
            e->committed_seq = seq;
        from = e->applied_seq;
        upto = e->committed_seq;
        pthread_mutex_unlock(&e->mu);
        while (rc == 0 && from < upto) {
            rc = apply_batch(e, from, upto, DEFAULT_BATCH_DOCS, &applied);
            if (rc == 0) {
                pthread_mutex_lock(&e->mu);
                e->applied_seq = from = applied;
                pthread_mutex_unlock(&e->mu);
            }
        }
        pthread_mutex_unlock(&e->write_mu);
        if (rc == 0)
            maybe_trim(e, applied);
        if (lagging)
            *lagging = rc != 0;
        return 0; /* durable regardless: the change log replays at next open */
    }
    struct timespec dl;
    unsigned ms = e->opt.visibility_timeout_ms ? e->opt.visibility_timeout_ms
                                               : DEFAULT_VISIBILITY_MS;
    deadline_after(&dl, CLOCK_MONOTONIC, ms);
    hand_over(e, seq);
    pthread_mutex_lock(&e->mu);
    while (e->applied_seq < seq && !e->stop) {
        if (pthread_cond_timedwait(&e->applied_cv, &e->mu, &dl) == ETIMEDOUT) {
            lag = e->applied_seq < seq;
            break;
        }
    }
    pthread_mutex_unlock(&e->mu);
    if (lagging)
        *lagging = lag;
    return 0;
}

/* ------------------------------------------------------------------------------------- */
/* readers                                                                                */

/* Take a reader at the latest committed revision; holds commit_lock (shared) until
 * searcher_put. */
static int searcher_get(cm_engine_t *e, searcher_slot_t **out)
{
    searcher_slot_t *slot;
    uint64_t gen;
    pthread_rwlock_rdlock(&e->commit_lock);
    pthread_mutex_lock(&e->mu);
    gen = e->generation;
    pthread_mutex_unlock(&e->mu);
    pthread_mutex_lock(&e->pool_mu);
    slot = e->pool;
    if (slot)
        e->pool = slot->next;
    pthread_mutex_unlock(&e->pool_mu);
    /* Opening or reopening races the writer's commits too ("modified"; or "corrupt" when
     * blocks are reused mid-read): try again, a few times. */
    int rc = 0;
    for (int attempt = 0; attempt < 8; attempt++) {
        if (!slot) {
            slot = calloc(1, sizeof *slot);
            if (!slot) {
                pthread_rwlock_unlock(&e->commit_lock);
                return CM_ENOMEM;
            }
            rc = cm__searcher_open(e->xapian_path, &slot->s, NULL);
            if (rc) {
                free(slot);
                slot = NULL;
            }
        } else if (slot->generation != gen) {
            rc = cm__searcher_reopen(slot->s);
            if (rc) {
                cm__searcher_close(slot->s);
                free(slot);
                slot = NULL;
            }
        }
        if (rc != CM_ERETRY && rc != CM_ECORRUPT)
            break;
    }
    if (rc) {
        pthread_rwlock_unlock(&e->commit_lock);
        return rc;
    }
    slot->generation = gen;
    *out = slot;
    return 0;
}

static void searcher_put(cm_engine_t *e, searcher_slot_t *slot)
{
    pthread_mutex_lock(&e->pool_mu);
    slot->next = e->pool;
    e->pool = slot;
    pthread_mutex_unlock(&e->pool_mu);
    pthread_rwlock_unlock(&e->commit_lock);
}

static void pool_destroy(cm_engine_t *e)
{
    searcher_slot_t *s = e->pool;
    while (s) {
        searcher_slot_t *next = s->next;
        cm__searcher_close(s->s);
        free(s);
        s = next;
    }
    e->pool = NULL;
}

/* ------------------------------------------------------------------------------------- */
/* open / close                                                                           */

static int load_offer_cb(void *arg, const cm_offer_t *o)
{
    return cm__catalog_put_offer(arg, o);
}

static int load_cand_cb(void *arg, const cm_candidate_t *c)
{
    return cm__catalog_put_candidate(arg, c);
}

static int catalog_ensure(cm_engine_t *e)
{
    int rc = 0;
    pthread_mutex_lock(&e->catalog_mu);
    if (!e->catalog_loaded) {
        rc = cm__store_each_offer(e->store, load_offer_cb, e->catalog);
        if (rc == 0)
            rc = cm__store_each_candidate(e->store, load_cand_cb, e->catalog);
        if (rc == 0)
            e->catalog_loaded = true;
    }
    pthread_mutex_unlock(&e->catalog_mu);
    return rc;
}

static int reindex_offer_cb(void *arg, const cm_offer_t *o)
{
    return cm__index_put_offer(arg, o);
}

static int reindex_cand_cb(void *arg, const cm_candidate_t *c)
{
    return cm__index_put_candidate(arg, c);
}

/* Rebuild the whole index from storage; caller holds write_mu or is single-threaded. */
static int rebuild_index(cm_engine_t *e, cm_error *err)
{
    cm__store_meta_t m;
    int rc = cm__store_meta(e->store, &m);
    if (rc)
        return cm_error_set(err, rc, NULL, "cannot read storage meta");
    if ((rc = cm__index_clear(e->index)) != 0)
        return cm_error_set(err, rc, NULL, "cannot clear the index");
    if ((rc = cm__store_each_offer(e->store, reindex_offer_cb, e->index)) != 0 ||
        (rc = cm__store_each_candidate(e->store, reindex_cand_cb, e->index)) != 0)
        return cm_error_set(err, rc, NULL, "reindex failed: %s", cm_strerror(rc));
    if ((rc = commit_index(e, m.last_seq)) != 0)
        return cm_error_set(err, rc, NULL, "index commit failed");
    pthread_mutex_lock(&e->mu);
    e->applied_seq = e->committed_seq = m.last_seq;
    pthread_mutex_unlock(&e->mu);
    return 0;
}

/* Bring the index in step with storage: replay the change log after its last_seq, or rebuild
 * it when the log no longer covers the gap (trimmed, restored backup, foreign index). */
static int catch_up(cm_engine_t *e, cm_error *err)
{
    cm__store_meta_t m;
    int rc = cm__store_meta(e->store, &m);
    if (rc)
        return cm_error_set(err, rc, NULL, "cannot read storage meta");
    uint64_t ix = cm__index_last_seq(e->index);
    e->trimmed_seq = m.trimmed_upto;
    if (ix > m.last_seq || ix < m.trimmed_upto) {
        fprintf(stderr,
                "{\"level\":\"info\",\"msg\":\"rebuilding index (index at %llu, storage at "
                "%llu, log from %llu)\"}\n",
                (unsigned long long)ix, (unsigned long long)m.last_seq,
                (unsigned long long)m.trimmed_upto + 1);
        return rebuild_index(e, err);
    }
    e->applied_seq = ix;
    e->committed_seq = m.last_seq;
    while (e->applied_seq < m.last_seq) {
        uint64_t applied;
        rc = apply_batch(e, e->applied_seq, m.last_seq, DEFAULT_BATCH_DOCS, &applied);
        if (rc)
            return cm_error_set(err, rc, NULL, "index replay failed: %s", cm_strerror(rc));
        e->applied_seq = applied;
    }
    e->generation++;
    return 0;
}

int cm_engine_open(const char *dir, const cm_engine_options_t *opts, cm_engine_t **out,
                   cm_error *err)
{
    cm_engine_t *e = calloc(1, sizeof *e);
    int rc;
    if (!e)
        return cm_error_set(err, CM_ENOMEM, NULL, "out of memory");
    if (opts)
        e->opt = *opts;
    if (strlen(dir) >= sizeof e->dir) {
        free(e);
        return cm_error_set(err, CM_EINVAL, NULL, "data directory path too long");
    }
    snprintf(e->dir, sizeof e->dir, "%s", dir);
    snprintf(e->lmdb_path, sizeof e->lmdb_path, "%s/lmdb", dir);
    snprintf(e->xapian_path, sizeof e->xapian_path, "%s/xapian", dir);
    pthread_mutex_init(&e->write_mu, NULL);
    pthread_mutex_init(&e->mu, NULL);
    pthread_mutex_init(&e->pool_mu, NULL);
    pthread_mutex_init(&e->catalog_mu, NULL);
    pthread_mutex_init(&e->audit_mu, NULL);
    pthread_cond_init(&e->audit_cv, NULL);
    pthread_rwlockattr_t ra;
    pthread_rwlockattr_init(&ra);
    /* writer-preferring: a steady stream of searches must not starve the index writer */
    pthread_rwlockattr_setkind_np(&ra, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
    pthread_rwlock_init(&e->commit_lock, &ra);
    pthread_rwlockattr_destroy(&ra);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&e->applied_cv, &ca);
    pthread_condattr_destroy(&ca);
    pthread_cond_init(&e->work_cv, NULL);

    if (!e->opt.read_only && mkdir_p1(dir) != 0) {
        rc = cm_error_set(err, CM_EIO, NULL, "cannot create data directory %s: %s", dir,
                          strerror(errno));
        goto fail;
    }
    if ((rc = cm__store_open(e->lmdb_path, e->opt.map_size, e->opt.read_only, &e->store, err)))
        goto fail;
    if ((rc = cm__score_config_load(e->opt.scoring_config, &e->score_cfg, err)) != 0)
        goto fail;
    if ((rc = cm__catalog_create(e->score_cfg, &e->catalog)) != 0) {
        cm_error_set(err, rc, NULL, "cannot create the matching catalog");
        goto fail;
    }
    if (!e->opt.read_only) {
        rc = cm__index_open(e->xapian_path, &e->index, err);
        if (rc == CM_ECORRUPT) {
            /* The index is derived: a damaged one is set aside (for a post-mortem) and
             * rebuilt from storage. Only on corruption: a transient error or a lock held by
             * another process must never cost an index. */
            char aside[4300];
            snprintf(aside, sizeof aside, "%s.damaged", e->xapian_path);
            fprintf(stderr, "{\"level\":\"warn\",\"msg\":\"index damaged (%s), moved to %s "
                            "and rebuilt\"}\n",
                    err ? err->message : "", aside);
            rm_rf(aside);
            if (rename(e->xapian_path, aside) != 0) {
                rc = cm_error_set(err, CM_EIO, NULL, "cannot move the damaged index aside: %s",
                                  strerror(errno));
                goto fail;
            }
            rc = cm__index_open(e->xapian_path, &e->index, err);
        }
        if (rc)
            goto fail;
        if ((rc = catch_up(e, err)) != 0)
            goto fail;
        if ((rc = catalog_ensure(e)) != 0) {
            cm_error_set(err, rc, NULL, "cannot load records: %s", cm_strerror(rc));
            goto fail;
        }
        if (!e->opt.no_index_thread) {
            if (pthread_create(&e->thread, NULL, index_thread, e) != 0) {
                rc = cm_error_set(err, CM_EINTERNAL, NULL, "cannot start the index writer");
                goto fail;
            }
            e->thread_running = true;
        }
    }
    e->ready = true;
    *out = e;
    return 0;
fail:
    cm_engine_close(e);
    return rc;
}

void cm_engine_close(cm_engine_t *e)
{
    if (!e)
        return;
    if (e->thread_running) {
        pthread_mutex_lock(&e->mu);
        e->stop = true;
        pthread_cond_broadcast(&e->work_cv);
        pthread_cond_broadcast(&e->applied_cv);
        pthread_mutex_unlock(&e->mu);
        pthread_join(e->thread, NULL);
        e->thread_running = false;
    }
    pool_destroy(e);
    if (e->index)
        cm__index_close(e->index);
    if (e->catalog)
        cm__catalog_destroy(e->catalog);
    if (e->score_cfg)
        cm__score_config_free(e->score_cfg);
    if (e->store)
        cm__store_close(e->store);
    pthread_cond_destroy(&e->work_cv);
    pthread_cond_destroy(&e->applied_cv);
    pthread_mutex_destroy(&e->write_mu);
    pthread_mutex_destroy(&e->mu);
    pthread_mutex_destroy(&e->pool_mu);
    pthread_mutex_destroy(&e->catalog_mu);
    pthread_mutex_destroy(&e->audit_mu);
    pthread_cond_destroy(&e->audit_cv);
    pthread_rwlock_destroy(&e->commit_lock);
    free(e);
}

/* ------------------------------------------------------------------------------------- */
/* writes                                                                                 */

static int writable(cm_engine_t *e)
{
    if (e->opt.read_only || !e->index)
        return CM_EINVAL;
    return e->stop ? CM_ECLOSED : 0;
}

/* What differs between offers and candidates on the write path. */
typedef struct kind_ops {
    int (*wput)(cm__wtxn_t *w, void *rec, uint64_t if_version, bool *created);
    int (*wdel)(cm__wtxn_t *w, const char *id);
    int (*cat_put)(cm__catalog_t *cat, const void *rec);
    void (*cat_del)(cm__catalog_t *cat, const char *id);
} kind_ops_t;

static int wput_offer(cm__wtxn_t *w, void *rec, uint64_t if_version, bool *created)
{
    return cm__wtxn_put_offer(w, rec, if_version, created);
}
static int wput_cand(cm__wtxn_t *w, void *rec, uint64_t if_version, bool *created)
{
    return cm__wtxn_put_candidate(w, rec, if_version, created);
}
static int cat_put_offer(cm__catalog_t *cat, const void *rec)
{
    return cm__catalog_put_offer(cat, rec);
}
static int cat_put_cand(cm__catalog_t *cat, const void *rec)
{
    return cm__catalog_put_candidate(cat, rec);
}

static const kind_ops_t offer_ops = {wput_offer, cm__wtxn_del_offer, cat_put_offer,
                                     cm__catalog_del_offer};
static const kind_ops_t cand_ops = {wput_cand, cm__wtxn_del_candidate, cat_put_cand,
                                    cm__catalog_del_candidate};

/* One record: storage transaction, catalog, then wait for the index (read-your-writes). */
static int put_one(cm_engine_t *e, const kind_ops_t *k, void *rec, uint64_t if_version,
                   bool *created, bool *lagging)
{
    cm__wtxn_t *w;
    uint64_t seq = 0;
    int rc = writable(e);
    if (rc)
        return rc;
    pthread_mutex_lock(&e->write_mu);
    if ((rc = cm__store_begin(e->store, &w)) == 0) {
        rc = k->wput(w, rec, if_version, created);
        if (rc)
            cm__wtxn_abort(w);
        else
            rc = cm__wtxn_commit(w, &seq);
    }
    if (rc == 0)
        rc = k->cat_put(e->catalog, rec);
    pthread_mutex_unlock(&e->write_mu);
    if (rc)
        return rc;
    return publish(e, seq, lagging);
}

int cm_engine_put_offer(cm_engine_t *e, cm_offer_t *rec, uint64_t if_version, bool *created,
                        bool *lagging)
{
    return put_one(e, &offer_ops, rec, if_version, created, lagging);
}

int cm_engine_put_candidate(cm_engine_t *e, cm_candidate_t *rec, uint64_t if_version,
                            bool *created, bool *lagging)
{
    return put_one(e, &cand_ops, rec, if_version, created, lagging);
}

#define BULK_BATCH 1000 /* records per LMDB transaction in bulk writes */

/* Many records, BULK_BATCH per transaction; the index catches up in the background between
 * batches and the call returns once everything is visible. */
static int put_many(cm_engine_t *e, const kind_ops_t *k, void **recs, size_t n, int *rcs)
{
    uint64_t seq = 0;
    int rc = writable(e);
    if (rc)
        return rc;
    for (size_t at = 0; at < n; at += BULK_BATCH) {
        size_t end = at + BULK_BATCH < n ? at + BULK_BATCH : n;
        cm__wtxn_t *w;
        pthread_mutex_lock(&e->write_mu);
        if ((rc = cm__store_begin(e->store, &w)) == 0) {
            for (size_t i = at; i < end && rc == 0; i++)
                rc = rcs[i] = k->wput(w, recs[i], 0, NULL);
            if (rc)
                cm__wtxn_abort(w);
            else
                rc = cm__wtxn_commit(w, &seq);
        }
        for (size_t i = at; i < end; i++) {
            if (rc)
                rcs[i] = rc;
            else
                k->cat_put(e->catalog, recs[i]);
        }
        pthread_mutex_unlock(&e->write_mu);
        if (rc) {
            for (size_t i = end; i < n; i++)
                rcs[i] = rc;
            return rc;
        }
        if (!e->thread_running)
            publish(e, seq, NULL); /* inline mode: index as we go, bounded memory */
        else
            hand_over(e, seq); /* the writer indexes while the next batch is stored */
    }
    return seq ? publish(e, seq, NULL) : 0;
}

int cm_engine_put_offers(cm_engine_t *e, cm_offer_t **recs, size_t n, int *rcs)
{
    return put_many(e, &offer_ops, (void **)recs, n, rcs);
}

int cm_engine_put_candidates(cm_engine_t *e, cm_candidate_t **recs, size_t n, int *rcs)
{
    return put_many(e, &cand_ops, (void **)recs, n, rcs);
}

static int delete_one(cm_engine_t *e, const kind_ops_t *k, const char *id)
{
    cm__wtxn_t *w;
    uint64_t seq = 0;
    int rc = writable(e);
    if (rc)
        return rc;
    pthread_mutex_lock(&e->write_mu);
    if ((rc = cm__store_begin(e->store, &w)) == 0) {
        rc = k->wdel(w, id);
        if (rc)
            cm__wtxn_abort(w);
        else
            rc = cm__wtxn_commit(w, &seq);
    }
    if (rc == 0)
        k->cat_del(e->catalog, id);
    pthread_mutex_unlock(&e->write_mu);
    if (rc)
        return rc;
    return publish(e, seq, NULL);
}

int cm_engine_delete_offer(cm_engine_t *e, const char *id)
{
    return delete_one(e, &offer_ops, id);
}

int cm_engine_delete_candidate(cm_engine_t *e, const char *id)
{
    return delete_one(e, &cand_ops, id);
}

int cm_engine_add_event(cm_engine_t *e, const cm_event_t *ev, uint64_t *seq, cm_error *err)
{
    cm__wtxn_t *w;
    int rc = writable(e);
    if (rc)
        return rc;
    if ((unsigned)ev->kind >= CM_EVENT__COUNT || !cm_id_valid(ev->candidate_id,
                                                              strlen(ev->candidate_id)))
        return cm_error_set(err, CM_EINVAL, "kind", "invalid event");
    pthread_mutex_lock(&e->write_mu);
    if ((rc = cm__store_begin(e->store, &w)) == 0) {
        rc = cm__wtxn_add_event(w, ev, seq, err);
        if (rc)
            cm__wtxn_abort(w);
        else
            rc = cm__wtxn_commit(w, NULL);
    }
    pthread_mutex_unlock(&e->write_mu);
    return rc;
}

typedef struct audit_batch {
    cm_audit_entry_t *entries;
    size_t n;
    int rc;
    bool done;
    struct audit_batch *next;
} audit_batch_t;

/* Write the queued batches (a list) in one transaction; every batch gets its outcome. */
static int audit_write(cm_engine_t *e, audit_batch_t *list)
{
    cm__wtxn_t *w;
    pthread_mutex_lock(&e->write_mu);
    int rc = cm__store_begin(e->store, &w);
    if (rc == 0) {
        for (audit_batch_t *b = list; b && rc == 0; b = b->next)
            for (size_t i = 0; i < b->n && rc == 0; i++)
                rc = cm__wtxn_audit_append(w, &b->entries[i]);
        if (rc)
            cm__wtxn_abort(w);
        else
            rc = cm__wtxn_commit(w, NULL);
    }
    pthread_mutex_unlock(&e->write_mu);
    return rc;
}

/* Durable on return, as every write; concurrent appenders share a commit (and its fsync). */
int cm_engine_audit_append(cm_engine_t *e, cm_audit_entry_t *entries, size_t n)
{
    int rc = writable(e);
    if (rc || n == 0)
        return rc;
    audit_batch_t me = {entries, n, 0, false, NULL};
    pthread_mutex_lock(&e->audit_mu);
    me.next = e->audit_queue; /* a stack: the leader reverses it (arrival order) */
    e->audit_queue = &me;
    while (!me.done) {
        if (e->audit_leader) {
            pthread_cond_wait(&e->audit_cv, &e->audit_mu);
            continue;
        }
        audit_batch_t *list = NULL;
        for (audit_batch_t *b = e->audit_queue, *next; b; b = next) {
            next = b->next;
            b->next = list;
            list = b;
        }
        e->audit_queue = NULL;
        e->audit_leader = true;
        pthread_mutex_unlock(&e->audit_mu);
        rc = audit_write(e, list);
        pthread_mutex_lock(&e->audit_mu);
        for (audit_batch_t *b = list, *next; b; b = next) {
            next = b->next; /* b may be gone as soon as done is seen */
            b->rc = rc;
            b->done = true;
        }
        e->audit_leader = false;
        pthread_cond_broadcast(&e->audit_cv);
    }
    pthread_mutex_unlock(&e->audit_mu);
    return me.rc;
}

int cm_engine_audit_each(cm_engine_t *e, const char *candidate_id, uint64_t after, size_t limit,
                         cm_audit_visit_fn fn, void *arg)
{
    return cm__store_audit_each(e->store, candidate_id, after, limit, fn, arg);
}

/* ------------------------------------------------------------------------------------- */
/* reads                                                                                  */

int cm_engine_get_offer(cm_engine_t *e, const char *id, cm_offer_t **out)
{
    return cm__store_get_offer(e->store, id, out);
}

int cm_engine_get_candidate(cm_engine_t *e, const char *id, cm_candidate_t **out)
{
    return cm__store_get_candidate(e->store, id, out);
}

int cm_engine_each_offer(cm_engine_t *e, cm_offer_visit_fn fn, void *arg)
{
    return cm__store_each_offer(e->store, fn, arg);
}

int cm_engine_each_candidate(cm_engine_t *e, cm_candidate_visit_fn fn, void *arg)
{
    return cm__store_each_candidate(e->store, fn, arg);
}

typedef struct stats_ctx {
    cm_engine_t *e;
    const char *dept;
    cm_stats_t *out;
    char last[CM_ID_MAX + 1];
    bool last_counted, last_reached;
} stats_ctx_t;

static int stats_event(void *arg, const cm_event_t *ev)
{
    stats_ctx_t *s = arg;
    if (s->dept) {
        char d[4];
        if (!cm__catalog_candidate_department(s->e->catalog, ev->candidate_id, d) ||
            strcmp(d, s->dept) != 0)
            return 0;
    }
    if (strcmp(s->last, ev->candidate_id) != 0) {
        /* events are keyed by candidate: one candidate's events are adjacent */
        snprintf(s->last, sizeof s->last, "%s", ev->candidate_id);
        s->last_counted = s->last_reached = false;
    }
    s->out->events_by_kind[ev->kind]++;
    if (!s->last_counted) {
        s->out->candidates_with_events++;
        s->last_counted = true;
    }
    if (!s->last_reached && (ev->kind == CM_EVENT_TRAINING || ev->kind == CM_EVENT_HIRED)) {
        s->out->candidates_reached++;
        s->last_reached = true;
    }
    return 0;
}

int cm_engine_stats(cm_engine_t *e, const char *department, cm_stats_t *out)
{
    int rc = catalog_ensure(e);
    if (rc)
        return rc;
    memset(out, 0, sizeof *out);
    cm__catalog_counts(e->catalog, department, out);
    stats_ctx_t s = {.e = e, .dept = department, .out = out};
    return cm__store_each_event(e->store, stats_event, &s);
}

int cm_engine_search(cm_engine_t *e, const cm_search_query_t *q, cm_search_result_t **out,
                     cm_error *err)
{
    searcher_slot_t *slot;
    cm__search_ids_t ids;
    memset(&ids, 0, sizeof ids);
    if (q->limit == 0 || q->limit > CM_SEARCH_PER_PAGE_MAX)
        return cm_error_set(err, CM_EINVAL, "per_page", "per_page must be between 1 and %d",
                            CM_SEARCH_PER_PAGE_MAX);
    if (q->sort == CM_SORT_DISTANCE && !q->has_geo)
        return cm_error_set(err, CM_EINVAL, "sort", "sort=distance needs lat and lon");
    int rc = searcher_get(e, &slot);
    if (rc)
        return cm_error_set(err, rc, NULL, "index unavailable: %s", cm_strerror(rc));
    rc = cm__searcher_search(slot->s, q, &ids, err);
    if (rc == CM_ERETRY && cm__searcher_reopen(slot->s) == 0) {
        cm__search_ids_free(&ids);
        memset(&ids, 0, sizeof ids);
        rc = cm__searcher_search(slot->s, q, &ids, err);
    }
    searcher_put(e, slot);
    if (rc) {
        cm__search_ids_free(&ids);
        return rc;
    }
    cm_search_result_t *r = calloc(1, sizeof *r);
    if (!r || (ids.n && !(r->hits = calloc(ids.n, sizeof *r->hits)))) {
        free(r);
        cm__search_ids_free(&ids);
        return CM_ENOMEM;
    }
    r->total = ids.total;
    for (size_t i = 0; i < ids.n; i++) {
        cm_offer_t *o;
        int grc = cm__store_get_offer(e->store, ids.ids[i], &o);
        if (grc == CM_ENOTFOUND)
            continue; /* deleted between the index read and now */
        if (grc) {
            cm_search_result_free(r);
            cm__search_ids_free(&ids);
            return grc;
        }
        cm_search_hit_t *h = &r->hits[r->n_hits++];
        h->offer = o;
        h->score = ids.scores ? ids.scores[i] : 0;
        h->distance_km = q->has_geo ? cm__distance_km(q->center, o->loc) : -1;
    }
    for (int f = 0; f < CM_FACET__COUNT; f++) {
        r->facets[f] = ids.facets[f];
        r->n_facets[f] = ids.n_facets[f];
        ids.facets[f] = NULL; /* ownership moves to the result */
        ids.n_facets[f] = 0;
    }
    cm__search_ids_free(&ids);
    *out = r;
    return 0;
}

void cm_search_result_free(cm_search_result_t *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_hits; i++)
        cm_offer_free(r->hits[i].offer);
    free(r->hits);
    for (int f = 0; f < CM_FACET__COUNT; f++)
        free(r->facets[f]);
    free(r);
}

/* ------------------------------------------------------------------------------------- */
/* matching                                                                               */

static int check_match_opts(const cm_match_options_t *opt, cm_match_options_t *o)
{
    *o = *opt;
    if (o->limit == 0)
        o->limit = 20;
    if (o->limit > CM_MATCH_LIMIT_MAX || !(o->min_score >= 0 && o->min_score <= 100))
        return CM_EINVAL;
    return 0;
}

/* Attach full records to ranked ids; a record deleted meanwhile is dropped. */
static int finish_match(cm_engine_t *e, char kind, cm__ranked_t *ranked, size_t n,
                        size_t considered, cm_match_result_t **out)
{
    cm_match_result_t *r = calloc(1, sizeof *r);
    int rc = 0;
    if (!r || (n && !(r->items = calloc(n, sizeof *r->items)))) {
        free(r);
        return CM_ENOMEM;
    }
    r->considered = considered;
    for (size_t i = 0; i < n; i++) {
        cm_match_t m = ranked[i].m;
        m.offer = NULL;
        m.candidate = NULL;
        rc = kind == 'o' ? cm__store_get_offer(e->store, ranked[i].id, &m.offer)
                         : cm__store_get_candidate(e->store, ranked[i].id, &m.candidate);
        if (rc == CM_ENOTFOUND) {
            rc = 0;
            continue;
        }
        if (rc)
            break;
        r->items[r->n++] = m;
    }
    if (rc) {
        cm_match_result_free(r);
        return rc;
    }
    *out = r;
    return 0;
}

int cm_engine_match_profile(cm_engine_t *e, const cm_candidate_t *profile,
                            const cm_match_options_t *opt, cm_match_result_t **out)
{
    cm_match_options_t o;
    cm__ranked_t *ranked = NULL;
    size_t n = 0, considered = 0;
    int rc = check_match_opts(opt, &o);
    if (rc || (rc = catalog_ensure(e)) != 0)
        return rc;
    rc = cm__match_offers(e->catalog, profile, &o, true, &ranked, &n, &considered);
    if (rc == 0)
        rc = finish_match(e, 'o', ranked, n, considered, out);
    free(ranked);
    return rc;
}

int cm_engine_match_candidate(cm_engine_t *e, const char *candidate_id,
                              const cm_match_options_t *opt, cm_match_result_t **out)
{
    cm_candidate_t *c;
    int rc = cm__store_get_candidate(e->store, candidate_id, &c);
    if (rc)
        return rc;
    rc = cm_engine_match_profile(e, c, opt, out);
    cm_candidate_free(c);
    return rc;
}

int cm_engine_match_offer(cm_engine_t *e, const char *offer_id, const cm_match_options_t *opt,
                          cm_match_result_t **out)
{
    cm_match_options_t o;
    cm__ranked_t *ranked = NULL;
    size_t n = 0, considered = 0;
    cm_offer_t *off;
    int rc = check_match_opts(opt, &o);
    if (rc)
        return rc;
    if ((rc = cm__store_get_offer(e->store, offer_id, &off)) != 0)
        return rc;
    if ((rc = catalog_ensure(e)) == 0)
        rc = cm__match_candidates(e->catalog, off, &o, true, &ranked, &n, &considered);
    if (rc == 0)
        rc = finish_match(e, 'c', ranked, n, considered, out);
    free(ranked);
    cm_offer_free(off);
    return rc;
}

void cm_match_result_free(cm_match_result_t *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++) {
        cm_offer_free(r->items[i].offer);
        cm_candidate_free(r->items[i].candidate);
    }
    free(r->items);
    free(r);
}

/* ------------------------------------------------------------------------------------- */
/* operations                                                                             */

int cm_engine_info(cm_engine_t *e, cm_engine_info_t *out)
{
    cm__store_meta_t m;
    int rc = cm__store_meta(e->store, &m);
    if (rc)
        return rc;
    memset(out, 0, sizeof *out);
    out->last_seq = m.last_seq;
    out->offers = m.offers;
    out->candidates = m.candidates;
    out->events = m.events;
    out->map_size = m.map_size;
    out->map_used = m.map_used;
    pthread_mutex_lock(&e->mu);
    out->indexed_seq = e->index ? e->applied_seq : 0;
    out->ready = e->ready && !e->stop && e->index_error == 0;
    pthread_mutex_unlock(&e->mu);
    return 0;
}

int cm_engine_reindex(cm_engine_t *e, cm_error *err)
{
    if (writable(e) != 0)
        return cm_error_set(err, CM_EINVAL, NULL, "reindex needs a writable engine");
    pthread_mutex_lock(&e->write_mu);
    int rc = rebuild_index(e, err);
    pthread_mutex_unlock(&e->write_mu);
    return rc;
}

/* check: the index's (kind, id, version) set must equal storage's. */
typedef struct check_entry {
    char kind;
    char id[CM_ID_MAX + 1];
    uint64_t version;
} check_entry_t;

typedef struct check_ctx {
    check_entry_t *v;
    size_t n, cap;
    int rc;
} check_ctx_t;

static int check_push(check_ctx_t *c, char kind, const char *id, uint64_t version)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 1024;
        check_entry_t *v = realloc(c->v, cap * sizeof *v);
        if (!v)
            return CM_ENOMEM;
        c->v = v;
        c->cap = cap;
    }
    check_entry_t *x = &c->v[c->n++];
    x->kind = kind;
    snprintf(x->id, sizeof x->id, "%s", id);
    x->version = version;
    return 0;
}

static int check_index_cb(void *arg, char kind, const char *id, uint64_t version)
{
    return check_push(arg, kind, id, version);
}

static int check_offer_cb(void *arg, const cm_offer_t *o)
{
    return check_push(arg, 'o', o->id, o->version);
}

static int check_cand_cb(void *arg, const cm_candidate_t *c)
{
    return check_push(arg, 'c', c->id, c->version);
}

static int check_cmp(const void *a, const void *b)
{
    const check_entry_t *x = a, *y = b;
    if (x->kind != y->kind)
        return x->kind - y->kind;
    return strcmp(x->id, y->id);
}

int cm_engine_check(cm_engine_t *e, cm_error *err)
{
    check_ctx_t ix = {0}, st = {0};
    searcher_slot_t *slot;
    int rc = searcher_get(e, &slot);
    if (rc)
        return cm_error_set(err, rc, NULL, "cannot open the index: %s", cm_strerror(rc));
    rc = cm__searcher_each(slot->s, check_index_cb, &ix);
    searcher_put(e, slot);
    if (rc == 0)
        rc = cm__store_each_offer(e->store, check_offer_cb, &st);
    if (rc == 0)
        rc = cm__store_each_candidate(e->store, check_cand_cb, &st);
    if (rc) {
        cm_error_set(err, rc, NULL, "check could not read everything: %s", cm_strerror(rc));
        goto out;
    }
    qsort(ix.v, ix.n, sizeof *ix.v, check_cmp);
    qsort(st.v, st.n, sizeof *st.v, check_cmp);
    size_t i = 0, j = 0, missing = 0, extra = 0, stale = 0;
    char first[200] = "";
    while (i < st.n || j < ix.n) {
        int c = i == st.n ? 1 : j == ix.n ? -1 : check_cmp(&st.v[i], &ix.v[j]);
        if (c < 0) {
            if (!missing++ && !first[0])
                snprintf(first, sizeof first, "%s %s missing from the index",
                         st.v[i].kind == 'o' ? "offer" : "candidate", st.v[i].id);
            i++;
        } else if (c > 0) {
            if (!extra++ && !first[0])
                snprintf(first, sizeof first, "%s %s in the index but not in storage",
                         ix.v[j].kind == 'o' ? "offer" : "candidate", ix.v[j].id);
            j++;
        } else {
            if (st.v[i].version != ix.v[j].version && !stale++ && !first[0])
                snprintf(first, sizeof first, "%s %s: storage version %llu, index %llu",
                         st.v[i].kind == 'o' ? "offer" : "candidate", st.v[i].id,
                         (unsigned long long)st.v[i].version,
                         (unsigned long long)ix.v[j].version);
            i++;
            j++;
        }
    }
    if (missing || extra || stale)
        rc = cm_error_set(err, CM_ECORRUPT, NULL,
                          "index disagrees with storage: %zu missing, %zu extra, %zu stale "
                          "(first: %s)",
                          missing, extra, stale, first);
    else
        cm_error_set(err, 0, NULL, "%zu records, index consistent", st.n);
out:
    free(ix.v);
    free(st.v);
    return rc;
}

int cm_engine_backup(cm_engine_t *e, const char *dest_dir, cm_error *err)
{
    char path[4200];
    if (mkdir(dest_dir, 0750) != 0 && errno != EEXIST)
        return cm_error_set(err, CM_EIO, NULL, "cannot create %s: %s", dest_dir,
                            strerror(errno));
    snprintf(path, sizeof path, "%s/lmdb", dest_dir);
    if (mkdir(path, 0750) != 0)
        return cm_error_set(err, CM_EIO, NULL, "cannot create %s: %s (must not exist)", path,
                            strerror(errno));
    int rc = cm__store_copy(e->store, path);
    if (rc)
        return cm_error_set(err, rc, NULL, "storage copy failed: %s", cm_strerror(rc));
    /* no index is copied: the restored directory rebuilds it from storage at first open */
    return 0;
}

/* ------------------------------------------------------------------------------------- */
/* events: names and dates                                                                */

static const char *const event_names[CM_EVENT__COUNT] = {
    "proposed", "immersion", "training", "hired", "rejected", "withdrawn",
};

const char *cm_event_kind_name(cm_event_kind_t k)
{
    return (unsigned)k < CM_EVENT__COUNT ? event_names[k] : "unknown";
}

int cm_event_kind_parse(const char *s)
{
    for (int i = 0; i < CM_EVENT__COUNT; i++)
        if (strcmp(s, event_names[i]) == 0)
            return i;
    return -1;
}

bool cm_datetime_parse(const char *s, int64_t *out)
{
    size_t n = strlen(s);
    int32_t days;
    if (n < 10 || !cm_date_parse(s, 10, &days))
        return false;
    int64_t secs = (int64_t)days * 86400;
    if (n == 10) {
        *out = secs;
        return true;
    }
    if (s[10] != 'T' && s[10] != ' ')
        return false;
    const char *p = s + 11;
    int hh, mm, ss = 0, used = 0;
    if (sscanf(p, "%2d:%2d%n", &hh, &mm, &used) != 2 || used != 5)
        return false;
    p += 5;
    if (*p == ':') {
        if (sscanf(p + 1, "%2d%n", &ss, &used) != 1 || used != 2)
            return false;
        p += 3;
        if (*p == '.') { /* fractional seconds: ignored */
            p++;
            while (*p >= '0' && *p <= '9')
                p++;
        }
    }
    if (hh > 23 || mm > 59 || ss > 60)
        return false;
    secs += hh * 3600 + mm * 60 + ss;
    if (*p == 'Z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh, om;
        if (sscanf(p + 1, "%2d:%2d%n", &oh, &om, &used) != 2 || used != 5 || oh > 23 ||
            om > 59)
            return false;
        int64_t off = oh * 3600 + om * 60;
        secs += *p == '+' ? -off : off;
        p += 6;
    }
    if (*p)
        return false;
    *out = secs;
    return true;
}
