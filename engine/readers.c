/* The pool of Xapian readers (searchers), and what keeps the index writer from outrunning them.
 * Xapian keeps a committed revision's blocks until the commit after next: a reader opened at
 * the revision of commit G reads safely while commit G+1 is made, and only commit G+2 may
 * reuse its blocks. So each reader is counted under the generation (commit) it was taken at,
 * and the index writer, before it modifies the index for a new commit, waits until no reader
 * is left from before the last commit (cm__readers_wait_outrun). Searches never wait for a
 * commit, and a commit waits only for a search older than the last one (a long walk, say):
 * holding readers out during each commit (and waiting for every search in flight) cost the
 * searches under a stream of writes up to a commit's duration each, 150 times a second.
 * commit_lock is now only for a rebuild's swap (exclusive): readers hold it shared from
 * taking a searcher to giving it back, so that no search runs across a swap. A slot is not
 * tied to a thread: any pool thread takes the first free one and reopens it when a commit
 * has passed.
 * Locks: commit_lock -> mu (the generation and the reader counts) -> pool_mu. */
#include <stdlib.h>

#include "engine_impl.h"

struct cm__reader_slot {
    cm__searcher_t *s;
    uint64_t generation;
    struct cm__reader_slot *next;
};

/* Readers taken from before the last commit (e->mu held). */
static unsigned outrun_readers(const cm_engine_t *e)
{
    return e->readers_old + (e->readers_gen != e->generation ? e->readers_cur : 0);
}

static void reader_count(cm_engine_t *e, uint64_t gen)
{
    if (e->readers_gen != gen) { /* a commit passed: the counted ones are older now */
        e->readers_old += e->readers_cur;
        e->readers_cur = 0;
        e->readers_gen = gen;
    }
    e->readers_cur++;
}

static void reader_uncount(cm_engine_t *e, uint64_t gen)
{
    if (gen == e->readers_gen)
        e->readers_cur--;
    else
        e->readers_old--;
    if (outrun_readers(e) == 0)
        pthread_cond_broadcast(&e->readers_cv);
}

void cm__readers_wait_outrun(cm_engine_t *e)
{
    pthread_mutex_lock(&e->mu);
    while (outrun_readers(e) > 0)
        pthread_cond_wait(&e->readers_cv, &e->mu);
    pthread_mutex_unlock(&e->mu);
}

int cm__readers_commit_index(cm_engine_t *e, uint64_t last_seq)
{
    int rc = cm__index_commit(e->index, last_seq);
    if (rc == 0) {
        pthread_mutex_lock(&e->mu);
        e->generation++;
        pthread_mutex_unlock(&e->mu);
    }
    return rc;
}

int cm__reader_get(cm_engine_t *e, cm__searcher_t **out, cm__reader_slot_t **out_slot)
{
    cm__reader_slot_t *slot;
    uint64_t gen;
    pthread_rwlock_rdlock(&e->commit_lock);
    pthread_mutex_lock(&e->mu);
    gen = e->generation;
    reader_count(e, gen); /* before the reopen: the writer may then make one commit, not two */
    pthread_mutex_unlock(&e->mu);
    pthread_mutex_lock(&e->pool_mu);
    slot = e->pool;
    if (slot)
        e->pool = slot->next;
    pthread_mutex_unlock(&e->pool_mu);
    /* An open or reopen during a commit sees the revision before it or the one it makes
     * (Xapian renames its version file into place); index.c retries what a search races. */
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
        pthread_mutex_lock(&e->mu);
        reader_uncount(e, gen);
        /* "modified" at every attempt with no commit since: no reader outrun, a damaged
         * block claiming a newer revision (query.c then has the index rebuilt; it was a 503
         * for every search, for ever). Only where this process writes the index: a
         * read-only open (the CLI beside a server) does not see the server's commits. */
        if (rc == CM_ERETRY && e->generation == gen && !e->opt.read_only)
            rc = CM_ECORRUPT;
        pthread_mutex_unlock(&e->mu);
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
    pthread_mutex_lock(&e->mu);
    reader_uncount(e, slot->generation);
    pthread_mutex_unlock(&e->mu);
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
