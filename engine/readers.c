/* The pool of Xapian readers (searchers) and the commit lock they share with the index writer.
 * Readers hold commit_lock shared from taking a searcher to giving it back; the index writer
 * takes it exclusive only around a commit. So a search always runs on the latest committed
 * revision and no commit can outrun it (Xapian would say "modified"). A slot is not tied to a
 * thread: any pool thread takes the first free one and reopens it when a commit has passed.
 * Locks: commit_lock -> mu (read the generation) -> pool_mu. */
#include <stdlib.h>

#include "engine_impl.h"

struct cm__reader_slot {
    cm__searcher_t *s;
    uint64_t generation;
    struct cm__reader_slot *next;
};

int cm__readers_commit_index(cm_engine_t *e, uint64_t last_seq)
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

int cm__reader_get(cm_engine_t *e, cm__searcher_t **out, cm__reader_slot_t **out_slot)
{
    cm__reader_slot_t *slot;
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
    /* No commit can run while commit_lock is held, so an open or reopen here sees a stable
     * revision; a failure is final for this request (index.c retries what races a search). */
    int rc = 0;
    if (!slot) {
        slot = calloc(1, sizeof *slot);
        if (!slot)
            rc = CM_ENOMEM;
        else if ((rc = cm__searcher_open(e->xapian_path, &slot->s, NULL)) != 0) {
            free(slot);
            slot = NULL;
        }
    } else if (slot->generation != gen && (rc = cm__searcher_reopen(slot->s)) != 0) {
        cm__searcher_close(slot->s);
        free(slot);
        slot = NULL;
    }
    if (rc) {
        pthread_rwlock_unlock(&e->commit_lock);
        return rc;
    }
    slot->generation = gen;
    *out = slot->s;
    *out_slot = slot;
    return 0;
}

void cm__reader_put(cm_engine_t *e, cm__reader_slot_t *slot)
{
    pthread_mutex_lock(&e->pool_mu);
    slot->next = e->pool;
    e->pool = slot;
    pthread_mutex_unlock(&e->pool_mu);
    pthread_rwlock_unlock(&e->commit_lock);
}

void cm__readers_destroy(cm_engine_t *e)
{
    cm__reader_slot_t *s = e->pool;
    while (s) {
        cm__reader_slot_t *next = s->next;
        cm__searcher_close(s->s);
        free(s);
        s = next;
    }
    e->pool = NULL;
}
