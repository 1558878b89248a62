/* Storage -> index: the index writer thread applies the change log to the Xapian index in
 * order, committing in batches with last_seq in the same commit; publish() gives a write its
 * read-your-writes wait; catch-up at open replays what the index lacks, or rebuilds it.
 * The change log carries ids only, and the writer reads each record back from LMDB: live
 * writes and crash replay go through the one path (apply_one), and a record deleted since is
 * simply skipped (its 'd' entry follows).
 * Locks: write_mu (inline applies, trims) -> commit_lock (in cm__readers_commit_index) -> mu.
 * mu is never held across an apply. */
#include <errno.h>
#include <time.h>

#include "engine_impl.h"

#define TRIM_EVERY_SEQS 4096 /* trim the applied change log once this many accumulate */
#define ERROR_BACKOFF_MS 1000

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

typedef struct apply_ctx {
    cm_engine_t *e;
    uint64_t last;
    int rc;
} apply_ctx_t;

/* Only offers are indexed: a candidate's entry moves last_seq and nothing else. */
static int apply_one(void *arg, uint64_t seq, char kind, char op, const char *id)
{
    apply_ctx_t *a = arg;
    cm_engine_t *e = a->e;
    int rc = 0;
    if (kind == 'o' && op == 'd') {
        rc = cm__index_delete_offer(e->index, id);
    } else if (kind == 'o') {
        cm_offer_t *o;
        rc = cm__store_get_offer(e->store, id, &o);
        if (rc == 0) {
            rc = cm__index_put_offer(e->index, o);
            cm_offer_free(o);
        } else if (rc == CM_ENOTFOUND) {
            rc = 0; /* deleted since: a later 'd' entry removes it from the index */
        }
    }
    if (rc) {
        a->rc = rc;
        return rc;
    }
    a->last = seq;
    return 0;
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
    if ((rc = cm__readers_commit_index(e, last)) != 0)
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
        if (cm__wtxn_end(w, cm__wtxn_trim_changelog(w, applied), NULL) == 0)
            e->trimmed_seq = applied;
    }
    pthread_mutex_unlock(&e->write_mu);
}

static size_t batch_docs(const cm_engine_t *e)
{
    return e->opt.index_batch_docs ? e->opt.index_batch_docs : CM_DEFAULT_INDEX_BATCH_DOCS;
}

static void *index_thread(void *arg)
{
    cm_engine_t *e = arg;
    size_t max = batch_docs(e);
    unsigned gap_ms = e->opt.index_batch_ms ? e->opt.index_batch_ms : CM_DEFAULT_INDEX_BATCH_MS;
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
        else
            cm__log(e, CM_LOG_ERROR, "index_error", "index writer: %s (retrying)",
                    cm_strerror(rc));
        pthread_mutex_lock(&e->mu);
        if (rc) {
            e->index_error = rc;
            /* back off, then retry: the change log keeps everything */
            struct timespec ts;
            deadline_after(&ts, CLOCK_REALTIME, ERROR_BACKOFF_MS);
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

int cm__indexer_start(cm_engine_t *e)
{
    if (pthread_create(&e->thread, NULL, index_thread, e) != 0)
        return CM_EINTERNAL;
    e->thread_running = true;
    return 0;
}

/* Stops after applying what storage has committed (the loop drains before it exits). */
void cm__indexer_stop(cm_engine_t *e)
{
    if (!e->thread_running)
        return;
    pthread_mutex_lock(&e->mu);
    e->stop = true;
    pthread_cond_broadcast(&e->work_cv);
    pthread_cond_broadcast(&e->applied_cv);
    pthread_mutex_unlock(&e->mu);
    pthread_join(e->thread, NULL);
    e->thread_running = false;
}

void cm__indexer_hand_over(cm_engine_t *e, uint64_t seq)
{
    pthread_mutex_lock(&e->mu);
    if (seq > e->committed_seq)
        e->committed_seq = seq;
    pthread_cond_signal(&e->work_cv);
    pthread_mutex_unlock(&e->mu);
}

/* Inline mode (no writer thread, CLI tools): apply here; the writer lock serialises appliers. */
static bool publish_inline(cm_engine_t *e, uint64_t seq)
{
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
        rc = apply_batch(e, from, upto, batch_docs(e), &applied);
        if (rc == 0) {
            pthread_mutex_lock(&e->mu);
            e->applied_seq = from = applied;
            pthread_mutex_unlock(&e->mu);
        }
    }
    pthread_mutex_unlock(&e->write_mu);
    if (rc == 0)
        maybe_trim(e, applied);
    else
        cm__log(e, CM_LOG_ERROR, "index_error", "index update: %s (replayed at next open)",
                cm_strerror(rc));
    return rc != 0;
}

int cm__indexer_publish(cm_engine_t *e, uint64_t seq, bool *lagging)
{
    bool lag = false;
    if (!e->thread_running) {
        lag = publish_inline(e, seq);
    } else {
        struct timespec dl;
        unsigned ms = e->opt.visibility_timeout_ms ? e->opt.visibility_timeout_ms
                                                   : CM_DEFAULT_VISIBILITY_TIMEOUT_MS;
        deadline_after(&dl, CLOCK_MONOTONIC, ms);
        cm__indexer_hand_over(e, seq);
        pthread_mutex_lock(&e->mu);
        while (e->applied_seq < seq && !e->stop) {
            if (pthread_cond_timedwait(&e->applied_cv, &e->mu, &dl) == ETIMEDOUT) {
                lag = e->applied_seq < seq;
                break;
            }
        }
        pthread_mutex_unlock(&e->mu);
    }
    if (lagging)
        *lagging = lag;
    return 0; /* durable regardless: the change log replays at next open */
}

static int reindex_offer_cb(void *arg, const cm_offer_t *o)
{
    return cm__index_put_offer(arg, o);
}

int cm__indexer_rebuild(cm_engine_t *e, cm_error *err)
{
    cm__store_meta_t m;
    int rc = cm__store_meta(e->store, &m);
    if (rc)
        return cm_error_set(err, rc, NULL, "cannot read storage meta");
    if ((rc = cm__index_clear(e->index)) != 0)
        return cm_error_set(err, rc, NULL, "cannot clear the index");
    if ((rc = cm__store_each_offer(e->store, reindex_offer_cb, e->index)) != 0)
        return cm_error_set(err, rc, NULL, "reindex failed: %s", cm_strerror(rc));
    if ((rc = cm__readers_commit_index(e, m.last_seq)) != 0)
        return cm_error_set(err, rc, NULL, "index commit failed");
    pthread_mutex_lock(&e->mu);
    e->applied_seq = e->committed_seq = m.last_seq;
    pthread_mutex_unlock(&e->mu);
    return 0;
}

/* Replay the change log after the index's last_seq, or rebuild when the log no longer covers
 * the gap (trimmed, restored backup, foreign index) or the index is of another format. */
int cm__indexer_catch_up(cm_engine_t *e, cm_error *err)
{
    cm__store_meta_t m;
    int rc = cm__store_meta(e->store, &m);
    if (rc)
        return cm_error_set(err, rc, NULL, "cannot read storage meta");
    uint64_t ix = cm__index_last_seq(e->index);
    e->trimmed_seq = m.trimmed_upto;
    if (ix > m.last_seq || ix < m.trimmed_upto || cm__index_stale(e->index)) {
        cm__log(e, CM_LOG_INFO, "index_rebuild",
                "rebuilding the index (index at %llu%s, storage at %llu, log from %llu)",
                (unsigned long long)ix, cm__index_stale(e->index) ? " of an older format" : "",
                (unsigned long long)m.last_seq, (unsigned long long)m.trimmed_upto + 1);
        return cm__indexer_rebuild(e, err);
    }
    e->applied_seq = ix;
    e->committed_seq = m.last_seq;
    while (e->applied_seq < m.last_seq) {
        uint64_t applied;
        rc = apply_batch(e, e->applied_seq, m.last_seq, batch_docs(e), &applied);
        if (rc)
            return cm_error_set(err, rc, NULL, "index replay failed: %s", cm_strerror(rc));
        e->applied_seq = applied;
    }
    e->generation++;
    return 0;
}
