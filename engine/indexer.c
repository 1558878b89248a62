/* Storage -> index: the index writer thread applies the change log to the Xapian index in
 * order, committing in batches with last_seq in the same commit; publish() gives a write its
 * read-your-writes wait; catch-up at open replays what the index lacks, or rebuilds it.
 * The change log carries ids only, and the writer reads each record back from LMDB: live
 * writes and crash replay go through the one path (apply_one), and a record deleted since is
 * simply skipped (its 'd' entry follows).
 * Locks: write_mu (inline applies, trims) -> index_mu (an apply batch, a rebuild's swap) ->
 * commit_lock (a swap only) -> mu (also where a batch waits for readers it could outrun).
 * mu is never held across an apply. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "../shim/cmx.h"
#include "catalog.h"
#include "engine_impl.h"
#include "index_build.h"

#define TRIM_EVERY_SEQS 4096 /* trim the applied change log once this many accumulate */
/* A batch of candidates' changes only is not committed to the index (nothing there moves),
 * unless the index's last_seq would then lag this far behind (the log is trimmed up to it) */
#define STORED_LAG_MAX 2048
#define ERROR_BACKOFF_MS 1000
#define SCRUB_RETRY_MS 1000 /* a pending erasure scrub is retried this often */
#define XAPIAN_ERRORS_MAX 3 /* consecutive failed updates taken as damage: rebuild */

/* applied_seq moved, or waiting for it became pointless (stop, damage): wake the publishers
 * and tell the front end's parked requests (opt.on_applied). e->mu held. */
void cm__indexer_applied_moved(cm_engine_t *e)
{
    pthread_cond_broadcast(&e->applied_cv);
    if (e->opt.on_applied)
        e->opt.on_applied(e->opt.on_applied_arg);
}

/* e->xapian_path + suffix ("next", "ready", "old", "rebuild"). */
void cm__indexer_side_path(const cm_engine_t *e, const char *suffix, char out[4300])
{
    snprintf(out, 4300, "%s.%s", e->xapian_path, suffix);
}

bool cm__path_exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
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

/* An offer's new document, for the catalog's docid map (set for the whole batch at once: one
 * wait for the catalog's readers, not one per offer). */
typedef struct xdoc {
    char id[CM_ID_MAX + 1];
    uint32_t docid, doclen;
} xdoc_t;

typedef struct apply_ctx {
    cm_engine_t *e;
    uint64_t last;
    bool touched; /* an offer's change: the index moves, the batch is committed */
    xdoc_t *docs;
    size_t n_docs, cap_docs;
    bool docs_lost; /* one did not fit: the map is dropped and walked again */
} apply_ctx_t;

static void note_doc(apply_ctx_t *a, const char *id, uint32_t docid, uint32_t doclen)
{
    if (a->n_docs == a->cap_docs) {
        size_t cap = a->cap_docs ? 2 * a->cap_docs : 64;
        xdoc_t *d = realloc(a->docs, cap * sizeof *d);
        if (!d) {
            a->docs_lost = true;
            return;
        }
        a->docs = d;
        a->cap_docs = cap;
    }
    xdoc_t *x = &a->docs[a->n_docs++];
    snprintf(x->id, sizeof x->id, "%s", id);
    x->docid = docid;
    x->doclen = doclen;
}

/* The batch's docids into the catalog under one hold of its write lock; a docid the catalog
 * could not keep drops the map (searches use the index's filters) until the next walk. */
static void set_docs(apply_ctx_t *a)
{
    cm_engine_t *e = a->e;
    bool lost = a->docs_lost;
    if (a->n_docs || lost) {
        bool held = cm__catalog_write_begin(e->catalog) == 0;
        for (size_t i = 0; i < a->n_docs && !lost; i++)
            lost = cm__catalog_xmap_set(e->catalog, cm__index_uuid(e->index), a->docs[i].id,
                                        a->docs[i].docid, a->docs[i].doclen) != 0;
        if (lost)
            (void)cm__catalog_xmap_reset(e->catalog, "");
        if (held)
            cm__catalog_write_end(e->catalog);
    }
    free(a->docs);
    a->docs = NULL;
    a->n_docs = a->cap_docs = 0;
}

/* The batch's change-log entries, into the engine's slots (index_mu held). */
static int collect_one(void *arg, uint64_t seq, char kind, char op, const char *id)
{
    apply_ctx_t *a = arg;
    cm_engine_t *e = a->e;
    if (e->batch_n == e->batch_cap) {
        size_t cap = e->batch_cap ? 2 * e->batch_cap : 256;
        cm__bslot_t *s = realloc(e->batch, cap * sizeof *s);
        if (!s)
            return CM_ENOMEM;
        e->batch = s;
        e->batch_cap = cap;
    }
    cm__bslot_t *s = &e->batch[e->batch_n++];
    s->seq = seq;
    s->kind = kind;
    s->op = op;
    snprintf(s->id, sizeof s->id, "%s", id);
    s->doc = NULL;
    return 0;
}

/* Only offers are indexed: a candidate's entry moves last_seq and nothing else. */
static int apply_one(apply_ctx_t *a, size_t i)
{
    cm_engine_t *e = a->e;
    cm__bslot_t *s = &e->batch[i];
    int rc = 0;
    if (s->kind == 'o' && !a->touched) {
        cm__readers_wait_outrun(e); /* this batch's writes may reuse their revision's blocks */
        a->touched = true;
    }
    if (s->kind == 'o' && s->op == 'd') {
        rc = cm__index_delete_offer(e->index, s->id);
    } else if (s->kind == 'o') {
        uint32_t docid = 0;
        cm__builders_take(e->builders, e->store, e->batch, i);
        rc = s->rc;
        if (rc == 0) {
            rc = cm__index_put_built(e->index, s->id, s->doc, &docid);
            cmx_doc_free(s->doc);
            s->doc = NULL;
            if (rc == 0)
                note_doc(a, s->id, docid, s->doclen);
        } else if (rc == CM_ENOTFOUND) {
            rc = 0; /* deleted since: a later 'd' entry removes it from the index */
        } else if (rc == CM_ECORRUPT || rc == CM_EVERSION) {
            /* a damaged stored record, not a damaged index: leave it out (check names it) */
            cm__log(e, CM_LOG_ERROR, "record_damaged",
                    "offer %s is damaged in storage: not indexed; delete and write it again",
                    s->id);
            rc = 0;
        }
    }
    if (rc)
        return rc;
    a->last = s->seq;
    return 0;
}

/* The batch read from the change log, its offers built (by the builders when there are
 * several, index_build.h), applied in order. */
static int apply_entries(apply_ctx_t *a, uint64_t from, size_t max)
{
    cm_engine_t *e = a->e;
    e->batch_n = 0;
    int rc = cm__store_changes(e->store, from, max, collect_one, a);
    if (rc) /* nothing applied: the log keeps it all */
        return rc;
    cm__builders_run(e->builders, e->batch, e->batch_n);
    for (size_t i = 0; i < e->batch_n && !rc; i++)
        rc = apply_one(a, i);
    cm__builders_end(e->builders, e->batch, e->batch_n);
    return rc;
}

typedef struct xmap_walk {
    cm_engine_t *e;
    uint64_t n;
} xmap_walk_t;

static int xmap_visit(void *arg, const char *id, uint32_t docid, uint32_t doclen)
{
    xmap_walk_t *w = arg;
    w->n++;
    return cm__catalog_xmap_set(w->e->catalog, cm__index_uuid(w->e->index), id, docid, doclen);
}

/* The catalog's map of the index's docids (search_set.h), walked when it belongs to another
 * index: at start, after a rebuild, after a failure. Caller holds index_mu. */
void cm__indexer_xmap_sync(cm_engine_t *e)
{
    if (e->opt.no_index_thread || !__atomic_load_n(&e->xmap_wanted, __ATOMIC_RELAXED))
        return; /* no search asked for it yet (tools never do) */
    pthread_mutex_lock(&e->catalog_mu);
    bool loaded = e->catalog_loaded;
    pthread_mutex_unlock(&e->catalog_mu);
    if (!loaded || !e->index || cm__catalog_xmap_is(e->catalog, cm__index_uuid(e->index)))
        return;
    struct timespec t0, t1;
    xmap_walk_t w = {e, 0};
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = cm__catalog_xmap_reset(e->catalog, cm__index_uuid(e->index));
    if (!rc)
        rc = cm__index_each_docid(e->index, xmap_visit, &w);
    if (!rc) {
        cm__catalog_xmap_ready(e->catalog);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        cm__log(e, CM_LOG_INFO, "index_mapped",
                "catalog mapped the index's %llu offer documents in %.2f s: radius searches use "
                "the catalog",
                (unsigned long long)w.n,
                (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
        return;
    }
    (void)cm__catalog_xmap_reset(e->catalog, "");
    cm__log(e, CM_LOG_WARN, "index_error",
            "cannot map the index's documents to the catalog (%s): radius searches with text use "
            "the index's own filters until the next batch",
            cm_strerror(rc));
}

/* Room for a commit on the index's disk: 8 MiB (what storage keeps, store.c) and 64 KiB a
 * document of the batch. Xapian 1.4 is not to be trusted to fail cleanly when the disk fills
 * in the middle of a commit (a sanitized build saw std::terminate inside
 * WritableDatabase::commit): the commit waits instead, searches answer from the last one, and
 * the writer retries (CM_EFULL) until there is room. */
static bool index_disk_low(const cm_engine_t *e, size_t docs)
{
    struct statvfs vf;
    if (statvfs(e->xapian_path, &vf) != 0)
        return false;
    uint64_t need = ((uint64_t)8 << 20) + (uint64_t)docs * (64u << 10);
    return (uint64_t)vf.f_bavail * vf.f_frsize < need;
}

/* Apply up to `max` change-log entries after `from` and commit the index.
 * *applied receives the new applied sequence. */
static int apply_batch(cm_engine_t *e, uint64_t from, uint64_t upto, size_t max, uint64_t *applied)
{
    apply_ctx_t a = {.e = e, .last = from};
    pthread_mutex_lock(&e->index_mu);
    if (e->index)
        cm__indexer_xmap_sync(e);
    int rc = e->index ? apply_entries(&a, from, max) : CM_ECLOSED;
    if (e->index)
        set_docs(&a); /* before the commit, as each was set before: searches map them then */
    /* a.last may pass upto (later commits read in the same pass); when the log holds
     * nothing after `from`, the range was trimmed and there is nothing to apply */
    uint64_t last = a.last > from ? a.last : upto;
    /* Candidates' changes alone move nothing in the index: no commit (a Xapian commit and a
     * reopen of every reader, 500 a second under a stream of candidate PUTs, for a number),
     * until the index's last_seq lags STORED_LAG_MAX behind. A restart replays the gap. */
    uint64_t stored = __atomic_load_n(&e->stored_seq, __ATOMIC_RELAXED);
    bool commit = a.touched || last - stored >= STORED_LAG_MAX || !e->index;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (rc == 0 && commit && index_disk_low(e, a.n_docs))
        rc = CM_EFULL; /* nothing committed: the log keeps the changes */
    if (rc == 0 && commit) {
        if (!a.touched)
            cm__readers_wait_outrun(e);
        rc = cm__readers_commit_index(e, last);
        if (rc == 0)
            __atomic_store_n(&e->stored_seq, last, __ATOMIC_RELAXED);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    pthread_mutex_unlock(&e->index_mu);
    if (rc == 0 && commit) { /* for /metrics: how long a batch takes to become searchable */
        uint64_t ns =
            (uint64_t)(t1.tv_sec - t0.tv_sec) * 1000000000u + (uint64_t)(t1.tv_nsec - t0.tv_nsec);
        __atomic_add_fetch(&e->index_commits, 1, __ATOMIC_RELAXED);
        __atomic_add_fetch(&e->index_commit_ns, ns, __ATOMIC_RELAXED);
    }
    if (rc)
        return rc;
    *applied = last;
    return 0;
}

static void maybe_trim(cm_engine_t *e, uint64_t applied)
{
    /* never past what the index's own last_seq says: a restart replays from there */
    uint64_t stored = __atomic_load_n(&e->stored_seq, __ATOMIC_RELAXED);
    if (stored < applied)
        applied = stored;
    if (applied <= e->trimmed_seq || applied - e->trimmed_seq < TRIM_EVERY_SEQS)
        return;
    cm__wtxn_t *w;
    pthread_mutex_lock(&e->write_mu);
    /* nor past a kept catalog snapshot's change: a start after a crash replays from there */
    applied = cm__catalog_snap_trim_bound(e, applied);
    if (applied > e->trimmed_seq && cm__store_begin(e->store, &w) == 0) {
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

void cm__indexer_damaged(cm_engine_t *e, const char *what)
{
    pthread_mutex_lock(&e->mu);
    bool first = !e->index_damaged;
    if (first) {
        e->index_damaged = true;
        snprintf(e->index_damage, sizeof e->index_damage, "%s", what);
    }
    bool background = e->thread_running;
    if (first) {
        /* remembered on disk: an engine stopped before the rebuild redoes it at open */
        char mark[4300];
        cm__indexer_side_path(e, "rebuild", mark);
        FILE *f = fopen(mark, "w");
        if (f)
            fclose(f);
    }
    pthread_cond_broadcast(&e->work_cv);
    cm__indexer_applied_moved(e); /* publishers stop waiting for it */
    pthread_mutex_unlock(&e->mu);
    if (first)
        cm__log(e, CM_LOG_ERROR, "index_damaged",
                "search index damaged (%s): searches answer 'unavailable' until it is rebuilt "
                "from storage (%s)",
                what, background ? "in the background, now" : "run carematch reindex");
}

/* The index writer's rebuild of a damaged index: aside, then swapped in (the damaged one is
 * deleted then); retried after a pause on failure. Writes keep going to storage meanwhile. */
static void rebuild_damaged(cm_engine_t *e)
{
    cm_error err = {0};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = cm__indexer_rebuild(e, &err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (rc == 0) {
        cm__log(e, CM_LOG_WARN, "index_rebuilt",
                "search index rebuilt from storage in %.1f s; searches answer again",
                (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
        return;
    }
    cm__log(e, CM_LOG_ERROR, "index_rebuild_failed", "rebuilding the damaged index: %s",
            err.message[0] ? err.message : cm_strerror(rc));
    struct timespec ts;
    deadline_after(&ts, CLOCK_REALTIME, ERROR_BACKOFF_MS);
    pthread_mutex_lock(&e->mu);
    if (!e->stop)
        pthread_cond_timedwait(&e->work_cv, &e->mu, &ts);
    pthread_mutex_unlock(&e->mu);
}

static void *index_thread(void *arg)
{
    cm_engine_t *e = arg;
    pthread_setname_np(pthread_self(), "cm-index"); /* top -H, perf: a hint only */
    cm__thread_nice((int)e->opt.index_nice);        /* below the readers */
    size_t max = batch_docs(e);
    unsigned gap_ms = e->opt.index_batch_ms ? e->opt.index_batch_ms : CM_DEFAULT_INDEX_BATCH_MS;
    unsigned lazy_ms = e->opt.index_lazy_ms ? e->opt.index_lazy_ms : CM_DEFAULT_INDEX_LAZY_MS;
    if (lazy_ms < gap_ms)
        lazy_ms = gap_ms;
    /* earliest next commit (CLOCK_REALTIME, for the cv): when someone waits, when no one */
    struct timespec next = {0, 0}, next_lazy = {0, 0};
    unsigned xapian_errors = 0;
    pthread_mutex_lock(&e->mu);
    for (;;) {
        while (!e->stop && e->committed_seq <= e->applied_seq && !e->index_damaged &&
               !e->xmap_kick) {
            if (!e->scrub_txn) {
                pthread_cond_wait(&e->work_cv, &e->mu);
                continue;
            }
            /* an erasure's free pages a reader kept from the scrub: again, once a second */
            struct timespec ts;
            deadline_after(&ts, CLOCK_REALTIME, SCRUB_RETRY_MS);
            if (pthread_cond_timedwait(&e->work_cv, &e->mu, &ts) == ETIMEDOUT && e->scrub_txn &&
                !e->stop) {
                pthread_mutex_unlock(&e->mu);
                cm__scrub_retry(e);
                pthread_mutex_lock(&e->mu);
            }
        }
        if (e->stop && (e->committed_seq <= e->applied_seq || e->index_damaged))
            break; /* a damaged index is rebuilt at the next open, not drained into */
        if (e->xmap_kick && !e->stop) {
            e->xmap_kick = false;
            pthread_mutex_unlock(&e->mu);
            pthread_mutex_lock(&e->index_mu);
            if (e->index)
                cm__indexer_xmap_sync(e);
            pthread_mutex_unlock(&e->index_mu);
            pthread_mutex_lock(&e->mu);
            continue;
        }
        if (e->index_damaged) {
            pthread_mutex_unlock(&e->mu);
            rebuild_damaged(e);
            pthread_mutex_lock(&e->mu);
            continue;
        }
        /* At most one commit per gap (index_batch_ms, 1 ms): writes that arrive meanwhile
         * share the next commit. Readers need no gap: a batch waits for any search older than
         * the last commit (cm__readers_wait_outrun). 5 ms until 2026-12: a client writing
         * one record after another then waited the gap each time (149 against 340 PUT/s). */
        /* When no one waits to see these changes (writes answered once durable, candidates'
         * changes), at most one commit per index_lazy_ms: fewer, larger commits take less of
         * the CPU the reads need. A waiter or a whole batch of backlog ends the lazy wait. */
        while (!e->stop) {
            bool wanted = e->want_seq > e->applied_seq || e->committed_seq - e->applied_seq >= max;
            if (pthread_cond_timedwait(&e->work_cv, &e->mu, wanted ? &next : &next_lazy) ==
                ETIMEDOUT)
                break;
        }
        uint64_t from = e->applied_seq, upto = e->committed_seq, applied = from;
        pthread_mutex_unlock(&e->mu);
        /* natural group commit: everything committed since the last pass goes in one batch */
        int rc = apply_batch(e, from, upto, max, &applied);
        xapian_errors = rc == CM_EXAPIAN ? xapian_errors + 1 : 0;
        if (rc == 0)
            maybe_trim(e, applied);
        else if (rc == CM_ECORRUPT || xapian_errors >= XAPIAN_ERRORS_MAX)
            cm__indexer_damaged(e, "at update");
        else if (rc != e->index_error) /* once a run of the same error (a full disk: a second) */
            cm__log(e, CM_LOG_ERROR, "index_error", "index writer: %s (retrying)", cm_strerror(rc));
        pthread_mutex_lock(&e->mu);
        if (rc && e->index_damaged) {
            xapian_errors = 0;
            continue; /* rebuilt at the top of the loop */
        }
        if (rc) {
            e->index_error = rc;
            if (rc == CM_EFULL)
                cm__indexer_applied_moved(e); /* answers waiting for the index go now, as lagging */
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
        if (applied > e->applied_seq) /* a rebuild may have moved it past this batch */
            e->applied_seq = applied;
        if (e->scrub_txn) { /* steady writes must not keep a pending scrub waiting */
            pthread_mutex_unlock(&e->mu);
            cm__scrub_retry(e);
            pthread_mutex_lock(&e->mu);
        }
        cm__indexer_applied_moved(e);
        deadline_after(&next, CLOCK_REALTIME, gap_ms);
        deadline_after(&next_lazy, CLOCK_REALTIME, lazy_ms);
    }
    pthread_mutex_unlock(&e->mu);
    return NULL;
}

/* Builders beside the writer: one less than the CPUs (the writer has one), 1 to 3, below the
 * writer's priority: they take the CPU no one else wants (an import of offers alone), and the
 * writer builds what they did not start (an import of candidates beside, a server's reads). */
#define BUILDERS_NICE 10
static unsigned builders_wanted(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN) - 1;
    return n < 1 ? 1 : n > 3 ? 3 : (unsigned)n;
}

int cm__indexer_start(cm_engine_t *e)
{
    /* without builders the writer builds every document itself: slower, not wrong */
    if (cm__builders_start(e->store, builders_wanted(), (int)e->opt.index_nice + BUILDERS_NICE,
                           &e->index_prebuilt, &e->builders))
        cm__log(e, CM_LOG_WARN, "index_builders",
                "no thread to build the index's documents: the index writer builds them");
    if (pthread_create(&e->thread, NULL, index_thread, e) != 0) {
        cm__builders_stop(e->builders);
        e->builders = NULL;
        return CM_EINTERNAL;
    }
    e->thread_running = true;
    return 0;
}

/* The index's last_seq brought up to what was applied (candidates' changes left it behind):
 * at a clean close, so that the next open has nothing to replay. */
void cm__indexer_flush_seq(cm_engine_t *e)
{
    pthread_mutex_lock(&e->index_mu);
    pthread_mutex_lock(&e->mu);
    uint64_t applied = e->applied_seq;
    bool damaged = e->index_damaged;
    pthread_mutex_unlock(&e->mu);
    if (e->index && !damaged && __atomic_load_n(&e->stored_seq, __ATOMIC_RELAXED) < applied &&
        cm__index_commit(e->index, applied) == 0)
        __atomic_store_n(&e->stored_seq, applied, __ATOMIC_RELAXED);
    pthread_mutex_unlock(&e->index_mu);
}

/* Stops after applying what storage has committed (the loop drains before it exits). */
void cm__indexer_stop(cm_engine_t *e)
{
    if (!e->thread_running)
        return;
    pthread_mutex_lock(&e->mu);
    e->stop = true;
    pthread_cond_broadcast(&e->work_cv);
    cm__indexer_applied_moved(e);
    pthread_mutex_unlock(&e->mu);
    pthread_join(e->thread, NULL);
    e->thread_running = false;
    cm__builders_stop(e->builders);
    e->builders = NULL;
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

/* e->mu held */
static void want_locked(cm_engine_t *e, uint64_t seq)
{
    if (seq <= e->want_seq)
        return;
    e->want_seq = seq;
    if (seq > e->applied_seq)
        pthread_cond_signal(&e->work_cv); /* the index writer: a shorter gap now */
}

void cm_engine_want_visible(cm_engine_t *e, uint64_t seq)
{
    pthread_mutex_lock(&e->mu);
    want_locked(e, seq);
    pthread_mutex_unlock(&e->mu);
}

bool cm__indexer_wait(cm_engine_t *e, uint64_t seq, const struct timespec *dl)
{
    cm__indexer_hand_over(e, seq);
    pthread_mutex_lock(&e->mu);
    want_locked(e, seq);
    while (e->applied_seq < seq && !e->stop && !e->index_damaged) {
        if (!dl)
            pthread_cond_wait(&e->applied_cv, &e->mu);
        else if (pthread_cond_timedwait(&e->applied_cv, &e->mu, dl) == ETIMEDOUT)
            break;
    }
    bool applied = e->applied_seq >= seq;
    pthread_mutex_unlock(&e->mu);
    return applied;
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
        lag = !cm__indexer_wait(e, seq, &dl);
    }
    if (lagging)
        *lagging = lag;
    return 0; /* durable regardless: the change log replays at next open */
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
    char mark[4300];
    cm__indexer_side_path(e, "rebuild", mark);
    bool marked = cm__path_exists(mark); /* damage met after open, not yet rebuilt */
    bool torn = cm__index_torn(e->index);
    if (ix > m.last_seq || ix < m.trimmed_upto || cm__index_stale(e->index) || marked || torn) {
        cm__log(e, torn ? CM_LOG_WARN : CM_LOG_INFO, "index_rebuild",
                "rebuilding the index (index at %llu%s, storage at %llu, log from %llu)",
                (unsigned long long)ix,
                marked ? ", found damaged"
                : torn ? ", last written before the system restarted and not synced: its "
                         "last commits may be half on disk"
                : cm__index_stale(e->index) ? " of an older format"
                                            : "",
                (unsigned long long)m.last_seq, (unsigned long long)m.trimmed_upto + 1);
        return cm__indexer_rebuild(e, err);
    }
    e->applied_seq = ix;
    __atomic_store_n(&e->stored_seq, ix, __ATOMIC_RELAXED);
    e->committed_seq = m.last_seq;
    while (e->applied_seq < m.last_seq) {
        uint64_t applied;
        rc = apply_batch(e, e->applied_seq, m.last_seq, batch_docs(e), &applied);
        if (rc == CM_EFULL && !e->opt.no_index_thread) {
            /* a full disk must not keep the service down (a probe: the port closed after a
             * restart): storage serves reads, the index writer retries the rest, /readyz
             * says how far the index lags */
            cm__log(e, CM_LOG_ERROR, "index_error",
                    "index replay stopped at change %llu of %llu: %s; the index writer "
                    "retries, searches miss the later changes until then",
                    (unsigned long long)e->applied_seq, (unsigned long long)m.last_seq,
                    cm_strerror(rc));
            break;
        }
        if (rc)
            return cm_error_set(err, rc, NULL, "index replay failed: %s", cm_strerror(rc));
        e->applied_seq = applied;
    }
    e->generation++;
    return 0;
}
