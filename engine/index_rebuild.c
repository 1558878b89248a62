/* The index rebuilt from storage: built aside (xapian.next), marked complete
 * (xapian.ready), then swapped in under commit_lock with no apply and no search in flight;
 * and the finishing, at open, of a swap a crash interrupted. indexer.c runs the writer. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine_impl.h"

typedef struct reindex_ctx {
    cm_engine_t *e;
    cm__index_t *ix;
} reindex_ctx_t;

static int reindex_offer_cb(void *arg, const cm_offer_t *o)
{
    reindex_ctx_t *c = arg;
    /* a stopping engine does not wait for a whole rebuild (the next open redoes it) */
    if (__atomic_load_n(&c->e->stop, __ATOMIC_RELAXED))
        return CM_ECLOSED;
    return cm__index_put_offer(c->ix, o, NULL, NULL);
}

/* The parent directory of the index (the data directory), synced after a rename in it. */
static int sync_parent(const cm_engine_t *e)
{
    return cm__fsync_dir(e->dir);
}

/* Put xapian.ready in the place of xapian: xapian -> xapian.old, ready -> xapian, sync, drop
 * old. A crash between the renames leaves ready and no xapian: the next open ends the job. */
static int install_ready(cm_engine_t *e, cm_error *err)
{
    char ready[4300], old[4300];
    cm__indexer_side_path(e, "ready", ready);
    cm__indexer_side_path(e, "old", old);
    if (cm__rm_rf(old) != 0)
        return cm_error_set(err, CM_EIO, NULL, "cannot remove %s: %s", old, strerror(errno));
    if (cm__path_exists(e->xapian_path) && rename(e->xapian_path, old) != 0)
        return cm_error_set(err, CM_EIO, NULL, "cannot move the old index aside: %s",
                            strerror(errno));
    if (rename(ready, e->xapian_path) != 0 || sync_parent(e) != 0)
        return cm_error_set(err, CM_EIO, NULL, "cannot put the rebuilt index in place: %s",
                            strerror(errno));
    /* the old index is gone from here on (its text too: erasure, issue #18 point 10) */
    if (cm__rm_rf(old) != 0)
        cm__log(e, CM_LOG_WARN, "index_rebuild", "cannot remove %s: %s", old, strerror(errno));
    return 0;
}

int cm__indexer_recover_swap(cm_engine_t *e, cm_error *err)
{
    char next[4300], ready[4300];
    cm__indexer_side_path(e, "next", next);
    cm__indexer_side_path(e, "ready", ready);
    if (cm__path_exists(next)) {
        cm__log(e, CM_LOG_WARN, "index_rebuild",
                "an interrupted rebuild left %s: removed (the index in place is untouched)", next);
        if (cm__rm_rf(next) != 0)
            return cm_error_set(err, CM_EIO, NULL, "cannot remove %s: %s", next, strerror(errno));
    }
    if (cm__path_exists(ready)) {
        cm__log(e, CM_LOG_INFO, "index_rebuild",
                "finishing the swap of a rebuilt index a stop interrupted");
        return install_ready(e, err);
    }
    char old[4300];
    cm__indexer_side_path(e, "old", old);
    (void)cm__rm_rf(old);
    return 0;
}

static int rebuild_locked(cm_engine_t *e, cm_error *err)
{
    char next[4300], ready[4300];
    cm__store_meta_t m;
    cm__index_t *nx = NULL;
    int rc = cm__store_meta(e->store, &m);
    if (rc)
        return cm_error_set(err, rc, NULL, "cannot read storage meta");
    cm__indexer_side_path(e, "next", next);
    cm__indexer_side_path(e, "ready", ready);
    if (cm__rm_rf(next) != 0 || cm__rm_rf(ready) != 0)
        return cm_error_set(err, CM_EIO, NULL, "cannot clear %s: %s", next, strerror(errno));
    /* Build aside: the index in place keeps serving (and stays whole if this is killed). */
    if ((rc = cm__index_open(next, &nx, err)) != 0)
        return rc;
    reindex_ctx_t rctx = {e, nx};
    if ((rc = cm__store_each_offer(e->store, reindex_offer_cb, &rctx)) != 0) {
        cm__index_close(nx);
        cm__rm_rf(next);
        return cm_error_set(err, rc, NULL, "reindex failed: %s", cm_strerror(rc));
    }
    rc = cm__index_commit(nx, m.last_seq);
    cm__index_close(nx);
    if (rc) {
        cm__rm_rf(next);
        return cm_error_set(err, rc, NULL, "index commit failed");
    }
    /* complete and synced (Xapian's commit, or cm__index_close's fsyncs): mark it so by
     * its name */
    if (cm__fsync_dir(next) != 0 || rename(next, ready) != 0 || sync_parent(e) != 0) {
        rc = cm_error_set(err, CM_EIO, NULL, "cannot mark the rebuilt index complete: %s",
                          strerror(errno));
        cm__rm_rf(next);
        return rc;
    }
    /* Swap with no apply and no search in flight: readers close, the writer reopens. */
    pthread_rwlock_wrlock(&e->commit_lock);
    if (e->index) {
        cm__index_close(e->index);
        e->index = NULL;
    }
    cm__readers_destroy(e);
    rc = install_ready(e, err);
    int orc = cm__index_open(e->xapian_path, &e->index, rc ? NULL : err);
    if (!rc)
        rc = orc;
    if (rc == 0) {
        /* built from a snapshot at or after m.last_seq: the change log replays what
         * storage committed since (the index writer's next pass) */
        pthread_mutex_lock(&e->mu);
        e->applied_seq = m.last_seq;
        __atomic_store_n(&e->stored_seq, m.last_seq, __ATOMIC_RELAXED);
        if (e->committed_seq < m.last_seq)
            e->committed_seq = m.last_seq;
        e->generation++;
        e->index_error = 0;
        e->index_damaged = false;
        e->index_damage[0] = '\0';
        cm__indexer_applied_moved(e); /* parked writes the new index covers are answered now */
        pthread_mutex_unlock(&e->mu);
        char mark[4300];
        cm__indexer_side_path(e, "rebuild", mark);
        (void)unlink(mark);
    }
    pthread_rwlock_unlock(&e->commit_lock);
    if (rc == 0)
        cm__indexer_xmap_sync(e); /* new docids */
    return rc;
}

int cm__indexer_rebuild(cm_engine_t *e, cm_error *err)
{
    pthread_mutex_lock(&e->index_mu);
    int rc = rebuild_locked(e, err);
    pthread_mutex_unlock(&e->index_mu);
    return rc;
}
