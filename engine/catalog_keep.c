/* The catalog's snapshot kept between starts, so that a start after a crash (kill -9, a power
 * cut, the OOM killer) loads it and replays the changes since, instead of rebuilding the
 * catalog from every stored record (22 s for a national store on 2 cores, against 1-2 s).
 *
 * - A keeper thread (with the index writer only: servers) writes the snapshot again every
 *   catalog_snapshot_interval_s while the store changes. It holds write_mu meanwhile, so the
 *   catalog is storage's copy at the change it names (every write installs its records in the
 *   catalog before it lets write_mu go); writes wait for it (0.5 s for a national store).
 * - The index writer trims the change log no further than the kept snapshot's change, unless
 *   that holds back more than SNAP_LOG_MAX changes (the keeper failing, a full disk): the
 *   snapshot is then let go, and the next start after a crash rebuilds.
 * - A candidate's erasure removes the file before it is answered: no copy of her outlives it.
 * - Replay reads each changed record from storage as it is now, in change order: a record
 *   written twice is put twice, one deleted since is deleted, whatever happened in between.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "catalog.h"
#include "engine_impl.h"
#include "store.h"

#define SNAP_LOG_MAX 2000000 /* changes a kept snapshot may hold the change log back */
#define REPLAY_CHUNK 4096    /* change-log entries read at a time */

/* ---- replay ---- */

typedef struct change {
    char kind, op;
    char id[CM_ID_MAX + 1];
} change_t;

typedef struct chunk {
    change_t *c;
    size_t n;
    uint64_t last;
} chunk_t;

static int take_change(void *arg, uint64_t seq, char kind, char op, const char *id)
{
    chunk_t *k = arg;
    change_t *c = &k->c[k->n++];
    c->kind = kind;
    c->op = op;
    snprintf(c->id, sizeof c->id, "%s", id);
    k->last = seq;
    return 0;
}

/* One change from storage as it is now; a record that reads damaged is left out, as a
 * rebuild leaves it out (check names it). */
static int replay_one(cm_engine_t *e, const change_t *c, bool *erased)
{
    int rc;
    if (c->kind == 'o') {
        cm_offer_t *o = NULL;
        rc = cm__store_get_offer(e->store, c->id, &o);
        if (rc == 0) {
            rc = cm__catalog_put_offer(e->catalog, o);
            cm_offer_free(o);
            return rc;
        }
        if (rc == CM_ENOTFOUND || rc == CM_ECORRUPT || rc == CM_EVERSION) {
            cm__catalog_del_offer(e->catalog, c->id);
            return 0;
        }
        return rc;
    }
    if (c->kind != 'c')
        return 0; /* not a record's change */
    cm_candidate_t *cd = NULL;
    rc = cm__store_get_candidate(e->store, c->id, &cd);
    if (rc == 0) {
        rc = cm__catalog_put_candidate(e->catalog, cd);
        cm_candidate_free(cd);
        return rc;
    }
    if (rc == CM_ENOTFOUND || rc == CM_ECORRUPT || rc == CM_EVERSION) {
        cm__catalog_del_candidate(e->catalog, c->id);
        *erased |= rc == CM_ENOTFOUND;
        return 0;
    }
    return rc;
}

int cm__catalog_snap_replay(cm_engine_t *e, uint64_t after, uint64_t *n, bool *erased)
{
    chunk_t k = {malloc(REPLAY_CHUNK * sizeof(change_t)), 0, after};
    int rc = k.c ? 0 : CM_ENOMEM;
    *n = 0;
    *erased = false;
    while (rc == 0) {
        k.n = 0;
        if ((rc = cm__store_changes(e->store, k.last, REPLAY_CHUNK, take_change, &k)) != 0 ||
            k.n == 0)
            break;
        for (size_t i = 0; i < k.n && rc == 0; i++)
            rc = replay_one(e, &k.c[i], erased);
        *n += k.n;
    }
    free(k.c);
    return rc;
}

/* ---- kept, written again, forgotten ---- */

void cm__catalog_snap_forget(cm_engine_t *e)
{
    if (e->opt.read_only || e->opt.no_catalog_snapshot)
        return;
    char path[4300];
    cm__catalog_snap_path(e, path, sizeof path);
    if (unlink(path) != 0 && errno != ENOENT)
        cm__log(e, CM_LOG_WARN, "catalog_snapshot_failed", "cannot remove %s: %s", path,
                strerror(errno));
    __atomic_store_n(&e->snap_kept, 0, __ATOMIC_RELAXED);
}

uint64_t cm__catalog_snap_trim_bound(cm_engine_t *e, uint64_t applied)
{
    uint64_t kept = __atomic_load_n(&e->snap_kept, __ATOMIC_RELAXED), s = kept - 1;
    if (kept == 0 || applied <= s)
        return applied;
    if (applied - s <= SNAP_LOG_MAX)
        return s;
    cm__log(e, CM_LOG_WARN, "catalog_snapshot_dropped",
            "the catalog snapshot at change %llu holds back %llu changes of the log: dropped (a "
            "start after a crash rebuilds the catalog until the next one is written)",
            (unsigned long long)s, (unsigned long long)(applied - s));
    cm__catalog_snap_forget(e);
    return applied;
}

/* The snapshot written again if the store changed since the kept one. */
static void checkpoint(cm_engine_t *e)
{
    cm__store_meta_t m;
    uint64_t seq = 0, bytes = 0;
    pthread_mutex_lock(&e->write_mu);
    pthread_mutex_lock(&e->mu);
    bool bad = e->catalog_error != 0 || e->stop;
    pthread_mutex_unlock(&e->mu);
    if (bad || cm__store_meta(e->store, &m) != 0 ||
        m.last_seq + 1 == __atomic_load_n(&e->snap_kept, __ATOMIC_RELAXED)) {
        pthread_mutex_unlock(&e->write_mu);
        return;
    }
    double t0 = cm__mono_s();
    int rc = cm__catalog_snap_write(e, &seq, &bytes); /* under the catalog's read lock */
    if (rc == 0) {
        __atomic_store_n(&e->snap_kept, seq + 1, __ATOMIC_RELAXED);
        __atomic_add_fetch(&e->snap_checkpoints, 1, __ATOMIC_RELAXED);
    } else /* the kept one is still named in storage: it stays, and holds the log back */
        cm__log(e, CM_LOG_WARN, "catalog_snapshot_failed",
                "catalog snapshot not written again (%s): a start after a crash replays from "
                "the last one, or rebuilds",
                cm_strerror(rc));
    pthread_mutex_unlock(&e->write_mu);
    if (rc == 0)
        cm__log(e, CM_LOG_INFO, "catalog_checkpoint",
                "catalog snapshot written again: %llu bytes, at change %llu, in %.2f s (writes "
                "waited meanwhile)",
                (unsigned long long)bytes, (unsigned long long)seq, cm__mono_s() - t0);
}

static void *keeper(void *arg)
{
    cm_engine_t *e = arg;
    pthread_setname_np(pthread_self(), "cm-snap");
    cm__thread_nice((int)e->opt.index_nice); /* below the readers, as the writers are */
    unsigned every = e->opt.catalog_snapshot_interval_s ? e->opt.catalog_snapshot_interval_s
                                                        : CM_DEFAULT_CATALOG_SNAPSHOT_INTERVAL_S;
    pthread_mutex_lock(&e->mu);
    while (!e->snap_stop) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        ts.tv_sec += (time_t)every;
        while (!e->snap_stop && pthread_cond_timedwait(&e->snap_cv, &e->mu, &ts) != ETIMEDOUT)
            ;
        if (e->snap_stop)
            break;
        pthread_mutex_unlock(&e->mu);
        checkpoint(e);
        pthread_mutex_lock(&e->mu);
    }
    pthread_mutex_unlock(&e->mu);
    return NULL;
}

int cm__catalog_snap_keeper_start(cm_engine_t *e)
{
    if (e->opt.read_only || e->opt.no_catalog_snapshot)
        return 0;
    if (pthread_create(&e->snap_thread, NULL, keeper, e) != 0)
        return CM_ENOMEM;
    e->snap_thread_running = true;
    return 0;
}

void cm__catalog_snap_keeper_stop(cm_engine_t *e)
{
    if (!e->snap_thread_running)
        return;
    pthread_mutex_lock(&e->mu);
    e->snap_stop = true;
    pthread_cond_broadcast(&e->snap_cv);
    pthread_mutex_unlock(&e->mu);
    pthread_join(e->snap_thread, NULL);
    e->snap_thread_running = false;
}
