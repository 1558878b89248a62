/* The audit log (who read which candidate, when): append-only entries in LMDB, durable when
 * cm_engine_audit_append returns. Group commit: appenders queue up; one of them (the leader)
 * writes every queued batch in one storage transaction (one fsync) while the others wait for
 * their batch's outcome. Locks: audit_mu, released before the leader takes write_mu. */
#include "engine_impl.h"

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
        rc = cm__wtxn_end(w, rc, NULL);
    }
    pthread_mutex_unlock(&e->write_mu);
    return rc;
}

/* Durable on return, as every write; concurrent appenders share a commit (and its fsync). */
int cm_engine_audit_append(cm_engine_t *e, cm_audit_entry_t *entries, size_t n)
{
    int rc = cm__writable(e);
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
