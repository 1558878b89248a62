/* The engine's lifecycle: open (storage, scoring model, catalog, index with its catch-up or
 * rebuild, the index writer thread) and close, reads by id, info, and the log callback.
 * What each other room does, and the lock order, is in engine_impl.h. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "engine_impl.h"
#include "store_guard.h"

static int rm_cb(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

int cm__rm_rf(const char *path)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return errno == ENOENT ? 0 : -1;
    return nftw(path, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
}

int cm__fsync_dir(const char *path)
{
    return cm__sg_fsync_path(path); /* a directory opens read-only like a file */
}

/* Each damaged record a walk meets (the catalog's load, a rebuild, an export, check) named in
 * the log: the first 100, then one line for the rest (counted in cm_engine_info). */
static void damaged_told(void *arg, const char *what)
{
    cm_engine_t *e = arg;
    uint64_t n = __atomic_add_fetch(&e->damaged_told, 1, __ATOMIC_RELAXED);
    if (n <= 100)
        cm__log(e, CM_LOG_ERROR, "record_damaged",
                "%s is damaged in storage (checksum or format): left out; delete and write it "
                "again, or restore from a backup",
                what);
    else if (n == 101)
        cm__log(e, CM_LOG_ERROR, "record_damaged",
                "more damaged records: not named one by one (carematch check counts them)");
}

/* The data directory and its missing parents, as `mkdir -p` (the contract: "created when
 * absent"; --data /srv/carematch/data on a new machine). errno is kept for the message. */
static int mkdir_p(const char *path)
{
    char buf[4096];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof buf)
        return (errno = ENAMETOOLONG), CM_EIO;
    memcpy(buf, path, n + 1);
    for (size_t i = 1; i < n; i++) {
        if (buf[i] != '/' || buf[i - 1] == '/')
            continue;
        buf[i] = '\0';
        if (mkdir(buf, 0750) != 0 && errno != EEXIST)
            return CM_EIO;
        buf[i] = '/';
    }
    if (mkdir(path, 0750) == 0 || errno == EEXIST)
        return 0;
    return CM_EIO;
}

static int load_offer_cb(void *arg, const cm_offer_t *o)
{
    return cm__catalog_put_offer(arg, o);
}

static int load_cand_cb(void *arg, const cm_candidate_t *c)
{
    return cm__catalog_put_candidate(arg, c);
}

/* One share of the stored records (every parts-th, offers then candidates) into the catalog:
 * one per core at a rebuild. Analysing a record's text is most of its cost (its signature,
 * its skills), done outside the catalog's lock; the install takes the lock for a moment. */
typedef struct rebuild_share {
    cm_engine_t *e;
    unsigned part, parts;
    int rc;
} rebuild_share_t;

static void *rebuild_share(void *arg)
{
    rebuild_share_t *sh = arg;
    cm__store_t *st = sh->e->store;
    sh->rc = cm__store_share_offers(st, sh->part, sh->parts, load_offer_cb, sh->e->catalog);
    if (sh->rc == 0)
        sh->rc = cm__store_share_candidates(st, sh->part, sh->parts, load_cand_cb, sh->e->catalog);
    return NULL;
}

#define REBUILD_THREADS_MAX 8

/* Every stored record into the catalog, on every core (at most REBUILD_THREADS_MAX). Slots
 * are taken in no fixed order: results break ties by id, and a server lays the rebuilt
 * catalog out at once (cm__catalog_snap_relayout). */
static int catalog_rebuild(cm_engine_t *e)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    cm__store_meta_t m = {0}; /* room made at once: no doubling of a national catalog */
    if (cm__store_meta(e->store, &m) == 0 && m.offers < UINT32_MAX / 2 &&
        m.candidates < UINT32_MAX / 2)
        (void)cm__catalog_reserve(e->catalog, (uint32_t)m.offers, (uint32_t)m.candidates);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned parts = cores < 1                     ? 1
                     : cores > REBUILD_THREADS_MAX ? REBUILD_THREADS_MAX
                                                   : (unsigned)cores;
    if (m.offers + m.candidates < 256)
        parts = 1; /* not worth a thread */
    rebuild_share_t sh[REBUILD_THREADS_MAX];
    pthread_t th[REBUILD_THREADS_MAX];
    bool started[REBUILD_THREADS_MAX] = {false};
    for (unsigned i = 0; i < parts; i++)
        sh[i] = (rebuild_share_t){e, i, parts, 0};
    for (unsigned i = 1; i < parts; i++)
        started[i] = pthread_create(&th[i], NULL, rebuild_share, &sh[i]) == 0;
    rebuild_share(&sh[0]);
    for (unsigned i = 1; i < parts; i++) {
        if (started[i])
            pthread_join(th[i], NULL);
        else /* no thread: this one does the share */
            rebuild_share(&sh[i]);
    }
    int rc = 0;
    for (unsigned i = 0; i < parts && rc == 0; i++)
        rc = sh[i].rc;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (rc == 0 && m.offers + m.candidates > 0)
        cm__log(e, CM_LOG_INFO, "catalog_rebuilt",
                "catalog rebuilt from storage in %.2f s (%llu offers, %llu candidates, %u "
                "threads)",
                (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
                (unsigned long long)m.offers, (unsigned long long)m.candidates, parts);
    return rc;
}

void cm__thread_nice(int add)
{
    if (add <= 0)
        return;
    int nice = getpriority(PRIO_PROCESS, 0) + add;
    (void)setpriority(PRIO_PROCESS, (id_t)gettid(), nice > 19 ? 19 : nice);
}

double cm__mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int cm__catalog_ensure(cm_engine_t *e)
{
    int rc = 0;
    pthread_mutex_lock(&e->catalog_mu);
    if (!e->catalog_loaded) {
        rc = cm__catalog_snap_load(e);
        if (rc == CM_ENOTFOUND && (rc = catalog_rebuild(e)) == 0 &&
            (rc = cm__catalog_snap_relayout(e)) == CM_ENOTFOUND)
            rc = catalog_rebuild(e);
        if (rc == 0)
            e->catalog_loaded = true;
    }
    pthread_mutex_unlock(&e->catalog_mu);
    return rc;
}

int cm__writable(cm_engine_t *e)
{
    /* not e->index: a rebuild's swap sets it NULL for a moment (under index_mu) */
    if (e->opt.read_only)
        return CM_EINVAL;
    return e->stop ? CM_ECLOSED : 0;
}

void cm__log(cm_engine_t *e, cm_log_level_t level, const char *event, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    if (!e->opt.log)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    e->opt.log(e->opt.log_arg, level, event, msg);
}

/* An index built from changes next to storage that holds none: the storage was lost (a new
 * empty data.mdb in its place). Rebuilding would empty the index and serve nothing as
 * "ready"; refuse and say what to do. */
static int check_storage_not_lost(cm_engine_t *e, cm_error *err)
{
    cm__store_meta_t m;
    int rc = cm__store_meta(e->store, &m);
    if (rc)
        return cm_error_set(err, rc, NULL, "cannot read storage meta");
    uint64_t ix = cm__index_last_seq(e->index);
    if (m.last_seq == 0 && ix > 0)
        return cm_error_set(err, CM_ECORRUPT, NULL,
                            "storage is empty but the index was built from %llu changes "
                            "(data.mdb lost or replaced): restore data.mdb from a backup "
                            "(carematch backup), or remove %s too to start empty on purpose",
                            (unsigned long long)ix, e->xapian_path);
    return 0;
}

/* One process at a time writes a data directory: DIR/carematch.lock is flock()ed for as long
 * as the engine is open for writing (released by the kernel when the process dies), and holds
 * that process's pid for the message the next one gets. Xapian's own lock covers only its
 * directory and LMDB lets several processes write: two servers on one directory would each
 * keep a catalog blind to the other's writes. */
static int lock_dir(cm_engine_t *e, cm_error *err)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/carematch.lock", e->dir);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return cm_error_set(err, CM_EIO, NULL, "cannot open %s: %s", path, strerror(errno));
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int en = errno;
        char pid[32] = "";
        ssize_t n = pread(fd, pid, sizeof pid - 1, 0);
        pid[n > 0 ? n : 0] = '\0';
        pid[strcspn(pid, "\n")] = '\0';
        close(fd);
        if (en == EWOULDBLOCK)
            return cm_error_set(err, CM_EBUSY, NULL,
                                "%s is open for writing by another process (pid %s: a carematchd, "
                                "or a carematch import, reindex or delete)",
                                e->dir, pid[0] ? pid : "unknown");
        return cm_error_set(err, CM_EIO, NULL, "cannot lock %s: %s", path, strerror(en));
    }
    char pid[32];
    int len = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)len, 0) != len) {
        /* the pid is a courtesy to the operator: the lock holds without it */
    }
    e->dir_lock = fd;
    return 0;
}

int cm_engine_open(const char *dir, const cm_engine_options_t *opts, cm_engine_t **out,
                   cm_error *err)
{
    cm_engine_t *e = calloc(1, sizeof *e);
    int rc;
    if (!e)
        return cm_error_set(err, CM_ENOMEM, NULL, "out of memory");
    e->dir_lock = -1;
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
    pthread_mutex_init(&e->group_mu, NULL);
    pthread_cond_init(&e->group_cv, NULL);
    pthread_mutex_init(&e->index_mu, NULL);
    pthread_mutex_init(&e->mu, NULL);
    pthread_mutex_init(&e->pool_mu, NULL);
    pthread_mutex_init(&e->catalog_mu, NULL);
    pthread_mutex_init(&e->audit_mu, NULL);
    pthread_cond_init(&e->audit_cv, NULL);
    pthread_rwlockattr_t ra;
    pthread_rwlockattr_init(&ra);
    /* writer-preferring: a steady stream of searches must not starve a rebuild's swap */
    pthread_rwlockattr_setkind_np(&ra, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
    pthread_rwlock_init(&e->commit_lock, &ra);
    pthread_rwlockattr_destroy(&ra);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&e->applied_cv, &ca);
    pthread_cond_init(&e->snap_cv, &ca);
    pthread_cond_init(&e->readers_cv, NULL);
    pthread_condattr_destroy(&ca);
    pthread_cond_init(&e->work_cv, NULL);

    if (!e->opt.read_only && mkdir_p(dir) != 0) {
        rc = cm_error_set(err, CM_EIO, NULL, "cannot create data directory %s: %s", dir,
                          strerror(errno));
        goto fail;
    }
    /* A backup killed half-way leaves DEST/lmdb.partial and no lmdb: started there (the
     * documented restore), the engine made a new empty store and served it, silently. Refused
     * before anything is written there. */
    char partial[4300], mdb[4300];
    struct stat sb;
    snprintf(partial, sizeof partial, "%s/lmdb.partial", dir);
    snprintf(mdb, sizeof mdb, "%s/data.mdb", e->lmdb_path);
    if (stat(mdb, &sb) != 0 && stat(partial, &sb) == 0) {
        rc = cm_error_set(err, CM_ECORRUPT, NULL,
                          "%s holds an interrupted backup (lmdb.partial), not a store: take the "
                          "backup again (carematch backup replaces it), or start on the store "
                          "it was taken from",
                          dir);
        goto fail;
    }
    if (!e->opt.read_only && (rc = lock_dir(e, err)) != 0)
        goto fail;
    if ((rc = cm__store_open(e->lmdb_path, e->opt.map_size, e->opt.read_only, &e->store, err)))
        goto fail;
    cm__store_on_damaged(e->store, damaged_told, e);
    if ((rc = cm__score_config_load(e->opt.scoring_config, &e->score_cfg, err)) != 0)
        goto fail;
    if ((rc = cm__catalog_create(e->score_cfg, &e->catalog)) != 0) {
        cm_error_set(err, rc, NULL, "cannot create the matching catalog");
        goto fail;
    }
    if (!e->opt.read_only) {
        char aside[4300] = "";
        if ((rc = cm__indexer_recover_swap(e, err)) != 0)
            goto fail;
        rc = cm__index_open(e->xapian_path, &e->index, err);
        if (rc == CM_ECORRUPT) {
            /* The index is derived: a damaged one is set aside and rebuilt from storage, and
             * the copy removed once the rebuild succeeded (it holds personal data: no copy
             * is kept indefinitely). Only on corruption: a transient error or a lock held by
             * another process must never cost an index. */
            snprintf(aside, sizeof aside, "%s.damaged", e->xapian_path);
            cm__log(e, CM_LOG_WARN, "index_damaged", "index damaged (%s), moved to %s and rebuilt",
                    err ? err->message : "", aside);
            cm__rm_rf(aside);
            if (rename(e->xapian_path, aside) != 0) {
                rc = cm_error_set(err, CM_EIO, NULL, "cannot move the damaged index aside: %s",
                                  strerror(errno));
                goto fail;
            }
            rc = cm__index_open(e->xapian_path, &e->index, err);
        }
        if (rc)
            goto fail;
        if ((rc = check_storage_not_lost(e, err)) != 0)
            goto fail;
        if ((rc = cm__indexer_catch_up(e, err)) != 0)
            goto fail;
        if (aside[0] && cm__rm_rf(aside) == 0)
            cm__log(e, CM_LOG_INFO, "index_rebuilt", "index rebuilt; %s removed", aside);
        if ((rc = cm__catalog_ensure(e)) != 0) {
            cm_error_set(err, rc, NULL, "cannot load records: %s", cm_strerror(rc));
            goto fail;
        }
        /* damaged records are left out, not the whole service: each read of one answers
         * CM_ECORRUPT, check names them, and the log says what to do */
        char first[CM_ID_MAX + 16];
        uint64_t bad = cm__store_damaged(e->store, first, sizeof first);
        if (bad)
            cm__log(e, CM_LOG_ERROR, "records_damaged",
                    "%llu stored records damaged (checksum or format; first: %s): left out of "
                    "search and matching, reads of them fail; delete and write them again, or "
                    "restore from a backup (carematch check lists them)",
                    (unsigned long long)bad, first);
        if (!e->opt.no_index_thread && (rc = cm__indexer_start(e)) != 0) {
            cm_error_set(err, rc, NULL, "cannot start the index writer");
            goto fail;
        }
        if (!e->opt.no_index_thread && (rc = cm__catalog_snap_keeper_start(e)) != 0) {
            cm_error_set(err, rc, NULL, "cannot start the catalog snapshot's thread");
            goto fail;
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
    cm__catalog_snap_keeper_stop(e);
    cm__indexer_stop(e);
    if (!e->opt.read_only && e->ready)
        cm__indexer_flush_seq(e);
    cm__catalog_snap_save(e); /* nothing writes now */
    /* an erasure's scrub still pending (a reader kept its pages): done now that no request
     * reads; until 2026-12 a stop dropped it and the erased text stayed after a restart */
    if (!e->opt.read_only && e->ready && e->store && e->scrub_txn)
        cm__scrub_retry(e);
    cm__readers_destroy(e);
    if (e->index)
        cm__index_close(e->index);
    if (e->catalog)
        cm__catalog_destroy(e->catalog);
    if (e->score_cfg)
        cm__score_config_free(e->score_cfg);
    if (e->store)
        cm__store_close(e->store);
    if (e->dir_lock >= 0)
        close(e->dir_lock); /* the last: the next writer may go */
    pthread_cond_destroy(&e->work_cv);
    pthread_cond_destroy(&e->snap_cv);
    pthread_cond_destroy(&e->applied_cv);
    pthread_cond_destroy(&e->readers_cv);
    pthread_mutex_destroy(&e->write_mu);
    pthread_mutex_destroy(&e->group_mu);
    pthread_cond_destroy(&e->group_cv);
    pthread_mutex_destroy(&e->index_mu);
    pthread_mutex_destroy(&e->mu);
    pthread_mutex_destroy(&e->pool_mu);
    pthread_mutex_destroy(&e->catalog_mu);
    pthread_mutex_destroy(&e->audit_mu);
    pthread_cond_destroy(&e->audit_cv);
    pthread_rwlock_destroy(&e->commit_lock);
    free(e->batch);
    free(e);
}

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

int cm_engine_each_event(cm_engine_t *e, cm_event_visit_fn fn, void *arg)
{
    return cm__store_each_event(e->store, fn, arg);
}

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
    out->indexed_seq = e->opt.read_only ? 0 : e->applied_seq;
    out->index_commits = __atomic_load_n(&e->index_commits, __ATOMIC_RELAXED);
    out->index_docs_prebuilt = __atomic_load_n(&e->index_prebuilt, __ATOMIC_RELAXED);
    uint64_t kept = __atomic_load_n(&e->snap_kept, __ATOMIC_RELAXED);
    out->catalog_snapshot_kept = kept != 0;
    out->catalog_snapshot_seq = kept ? kept - 1 : 0;
    out->catalog_checkpoints = __atomic_load_n(&e->snap_checkpoints, __ATOMIC_RELAXED);
    out->index_commit_seconds =
        (double)__atomic_load_n(&e->index_commit_ns, __ATOMIC_RELAXED) / 1e9;
    out->searches_by_catalog = __atomic_load_n(&e->searches_by_catalog, __ATOMIC_RELAXED);
    out->searches_text_ranked = __atomic_load_n(&e->searches_text_ranked, __ATOMIC_RELAXED);
    out->searches_by_index = __atomic_load_n(&e->searches_by_index, __ATOMIC_RELAXED);
    out->single_puts = __atomic_load_n(&e->single_puts, __ATOMIC_RELAXED);
    out->single_put_commits = __atomic_load_n(&e->single_put_commits, __ATOMIC_RELAXED);
    out->damaged_met = __atomic_load_n(&e->damaged_told, __ATOMIC_RELAXED);
    out->ready =
        e->ready && !e->stop && e->index_error == 0 && e->catalog_error == 0 && !e->index_damaged;
    if (e->index_damaged)
        snprintf(out->index_status, sizeof out->index_status,
                 "search index damaged (%.120s), being rebuilt from storage", e->index_damage);
    else if (e->index_error)
        snprintf(out->index_status, sizeof out->index_status, "index update failing: %s",
                 cm_strerror(e->index_error));
    pthread_mutex_unlock(&e->mu);
    return 0;
}
