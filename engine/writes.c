/* The write path: records (single puts group-committed with whatever puts arrive meanwhile,
 * or many in bulk), deletes and events. Each is one LMDB write transaction (records +
 * change-log entries) under write_mu, then the catalog update, then the hand-over to the index
 * writer (indexer.c) for read-your-writes.
 * Locks: group_mu (leaf, never held with another), write_mu; the indexer takes its own after
 * write_mu is released. */
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "engine_impl.h"

/* What differs between offers and candidates on the write path. */
typedef struct kind_ops {
    int (*wput)(cm__wtxn_t *w, void *rec, uint64_t if_version, bool *created);
    int (*wdel)(cm__wtxn_t *w, const char *id, uint64_t if_version);
    void (*cat_prep)(const cm__catalog_t *cat, const void *rec, cm__catalog_prep_t *p);
    void (*cat_del)(cm__catalog_t *cat, const char *id);
    const char *(*id)(const void *rec);
    bool indexed;  /* a search index holds it (offers): writes wait for it to see them */
    bool personal; /* a person's data (candidates): erased from the disk too */
} kind_ops_t;

static int wput_offer(cm__wtxn_t *w, void *rec, uint64_t if_version, bool *created)
{
    return cm__wtxn_put_offer(w, rec, if_version, created);
}
static int wput_cand(cm__wtxn_t *w, void *rec, uint64_t if_version, bool *created)
{
    return cm__wtxn_put_candidate(w, rec, if_version, created);
}
static void cat_prep_offer(const cm__catalog_t *cat, const void *rec, cm__catalog_prep_t *p)
{
    cm__catalog_prep_offer(cat, rec, p);
}
static void cat_prep_cand(const cm__catalog_t *cat, const void *rec, cm__catalog_prep_t *p)
{
    cm__catalog_prep_candidate(cat, rec, p);
}

static const char *id_offer(const void *rec)
{
    return ((const cm_offer_t *)rec)->id;
}
static const char *id_cand(const void *rec)
{
    return ((const cm_candidate_t *)rec)->id;
}

static const kind_ops_t offer_ops = {
    wput_offer, cm__wtxn_del_offer, cat_prep_offer, cm__catalog_del_offer, id_offer, true, false};
static const kind_ops_t cand_ops = {
    wput_cand, cm__wtxn_del_candidate, cat_prep_cand, cm__catalog_del_candidate, id_cand, false,
    true};

/* After a durable commit, the catalog takes the record (prepared before the transaction, off
 * write_mu; the puts of one commit take the catalog's write lock once, so that a write waits
 * for the readers in flight once per group, not once per record). Its failure (out of memory)
 * cannot undo the write, so it is treated as the index's lag is, the same way for single and
 * bulk writes: the write succeeds, the operator is told, and the engine stops saying ready
 * (info.ready) until a restart rebuilds the catalog from storage. */
static void catalog_behind(cm_engine_t *e, const char *id, int rc)
{
    cm__log(e, CM_LOG_ERROR, "catalog_error",
            "record %s is stored but not in the matching catalog (%s): restart to rebuild it", id,
            cm_strerror(rc));
    pthread_mutex_lock(&e->mu);
    e->catalog_error = rc;
    pthread_mutex_unlock(&e->mu);
}

/* Put p[0..n) into the catalog under one hold of its write lock, CM__CATALOG_GROUP at most
 * (a long wait for readers is paid once per group, and readers wait for one group, not a bulk
 * batch); rcs[i] gets each one's result, and failures are reported once the lock is released. */
#define CM__CATALOG_GROUP 64
static void catalog_put_group(cm_engine_t *e, cm__catalog_prep_t *const *p, size_t n, int *rcs)
{
    for (size_t at = 0; at < n; at += CM__CATALOG_GROUP) {
        size_t end = n - at < CM__CATALOG_GROUP ? n : at + CM__CATALOG_GROUP;
        bool held = cm__catalog_write_begin(e->catalog) == 0; /* else each locks alone */
        for (size_t i = at; i < end; i++)
            rcs[i] = cm__catalog_put_prepared(e->catalog, p[i]);
        if (held)
            cm__catalog_write_end(e->catalog);
        for (size_t i = at; i < end; i++)
            if (rcs[i])
                catalog_behind(e, p[i]->id, rcs[i]);
    }
}

/* Take write_mu and open a storage transaction; on success the caller holds write_mu and
 * ends the transaction (cm__wtxn_end) before giving it back. An erasure first prepares the
 * store under the same lock (its recycled page buffers zeroed: cm__store_prepare_erasure). */
static int begin_write_for(cm_engine_t *e, bool erasure, cm__wtxn_t **w)
{
    int rc = cm__writable(e);
    if (rc)
        return rc;
    pthread_mutex_lock(&e->write_mu);
    if (erasure && (rc = cm__store_prepare_erasure(e->store)) != 0)
        cm__log(e, CM_LOG_WARN, "scrub", "preparing an erasure: %s (the scrub after it goes on)",
                cm_strerror(rc));
    if ((rc = cm__store_begin(e->store, w)) != 0)
        pthread_mutex_unlock(&e->write_mu);
    return rc;
}

static int begin_write(cm_engine_t *e, cm__wtxn_t **w)
{
    return begin_write_for(e, false, w);
}

/* ---- single puts, group-committed ----
 * Each put waits for a durable commit (fsync), and fsyncs are the bound of concurrent single
 * writes: puts that arrive while one group commits wait together, and the first of them then
 * commits all of them in one transaction, one fsync (each still answered only once durable).
 * A put that fails its If-Match / If-None-Match check writes nothing and fails alone; any
 * other failure inside the group rolls it back and each put is retried alone. */
typedef struct cm__group_item {
    const kind_ops_t *k;
    void *rec;
    uint64_t if_version, seq;
    bool created, behind, done;
    int rc;
    cm__catalog_prep_t prep; /* the record's catalog entry, built before the group */
    struct cm__group_item *next;
} group_item_t;

/* One put in its own transaction (the original path, and the fallback of a failed group). */
static void commit_alone(cm_engine_t *e, group_item_t *x)
{
    cm__wtxn_t *w;
    int rc = begin_write(e, &w);
    if (rc == 0) {
        __atomic_add_fetch(&e->single_put_commits, 1, __ATOMIC_RELAXED);
        rc = cm__wtxn_end(w, x->k->wput(w, x->rec, x->if_version, &x->created), &x->seq);
        if (rc == 0 && (rc = cm__catalog_put_prepared(e->catalog, &x->prep)) != 0) {
            catalog_behind(e, x->prep.id, rc);
            x->behind = true;
            rc = 0; /* stored: the write stands */
        }
        pthread_mutex_unlock(&e->write_mu);
    }
    x->rc = rc;
}

/* The stored items of a group (rc 0) into the catalog: one wait for readers for all of them. */
static void catalog_put_items(cm_engine_t *e, group_item_t *batch)
{
    cm__catalog_prep_t *p[CM__CATALOG_GROUP];
    int rcs[CM__CATALOG_GROUP];
    group_item_t *from = batch;
    while (from) {
        size_t n = 0;
        group_item_t *x = from;
        for (; x && n < CM__CATALOG_GROUP; x = x->next)
            if (x->rc == 0)
                p[n++] = &x->prep;
        catalog_put_group(e, p, n, rcs);
        n = 0;
        for (; from != x; from = from->next)
            if (from->rc == 0)
                from->behind = rcs[n++] != 0;
    }
}

static bool fails_alone(int rc)
{
    return rc == CM_EEXIST; /* the If-Match check comes before anything is written */
}

static void commit_group(cm_engine_t *e, group_item_t *batch)
{
    cm__wtxn_t *w;
    uint64_t seq = 0;
    if (!batch->next) {
        commit_alone(e, batch);
        return;
    }
    int rc = begin_write(e, &w);
    bool clean = true, any = false;
    for (group_item_t *x = batch; x && rc == 0 && clean; x = x->next) {
        x->rc = x->k->wput(w, x->rec, x->if_version, &x->created);
        clean = x->rc == 0 || fails_alone(x->rc);
        any |= x->rc == 0;
    }
    if (rc == 0 && clean && any) {
        __atomic_add_fetch(&e->single_put_commits, 1, __ATOMIC_RELAXED);
        rc = cm__wtxn_end(w, 0, &seq);
        for (group_item_t *x = batch; x; x = x->next) {
            if (x->rc == 0 && rc == 0)
                x->seq = seq;
            else if (x->rc == 0)
                x->rc = rc;
        }
        if (rc == 0)
            catalog_put_items(e, batch);
        pthread_mutex_unlock(&e->write_mu);
        return;
    }
    if (rc == 0) {
        cm__wtxn_abort(w); /* nothing to keep, or a failure that may have written part */
        pthread_mutex_unlock(&e->write_mu);
    }
    for (group_item_t *x = batch; x; x = x->next) {
        if (rc)
            x->rc = rc;
        else if (!clean || !fails_alone(x->rc))
            commit_alone(e, x);
    }
}

/* One record: a durable transaction (its own or a group's), the catalog, then wait for the
 * index (read-your-writes). */
static int put_one(cm_engine_t *e, const kind_ops_t *k, void *rec, uint64_t if_version,
                   bool *created, bool *lagging, uint64_t *wait_seq)
{
    group_item_t it = {.k = k, .rec = rec, .if_version = if_version};
    int rc = cm__writable(e);
    if (rc)
        return rc;
    __atomic_add_fetch(&e->single_puts, 1, __ATOMIC_RELAXED);
    k->cat_prep(e->catalog, rec, &it.prep); /* text analysis here, in parallel, off the locks */
    pthread_mutex_lock(&e->group_mu);
    if (e->group_tail)
        e->group_tail->next = &it;
    else
        e->group_head = &it;
    e->group_tail = &it;
    while (!it.done) {
        if (e->group_busy) {
            pthread_cond_wait(&e->group_cv, &e->group_mu);
            continue;
        }
        group_item_t *batch = e->group_head;
        e->group_head = e->group_tail = NULL;
        e->group_busy = true;
        pthread_mutex_unlock(&e->group_mu);
        commit_group(e, batch);
        pthread_mutex_lock(&e->group_mu);
        for (group_item_t *x = batch, *next; x; x = next) {
            next = x->next; /* a finished item's owner may return (and its item go) at once */
            x->done = true;
        }
        e->group_busy = false;
        pthread_cond_broadcast(&e->group_cv);
    }
    pthread_mutex_unlock(&e->group_mu);
    cm__catalog_prep_clear(&it.prep); /* what the catalog did not take */
    if (created)
        *created = it.created;
    if (it.rc)
        return it.rc;
    if (wait_seq && e->thread_running) { /* the caller waits, off this thread */
        *wait_seq = !k->indexed || it.behind ? 0 : it.seq;
        if (lagging)
            *lagging = it.behind;
        cm__indexer_hand_over(e, it.seq);
        return 0;
    }
    if (wait_seq)
        *wait_seq = 0;
    rc = cm__indexer_publish(e, it.seq, lagging);
    if (it.behind && lagging)
        *lagging = true;
    return rc;
}

int cm_engine_put_offer(cm_engine_t *e, cm_offer_t *rec, uint64_t if_version, bool *created,
                        bool *lagging)
{
    return put_one(e, &offer_ops, rec, if_version, created, lagging, NULL);
}

int cm_engine_put_candidate(cm_engine_t *e, cm_candidate_t *rec, uint64_t if_version, bool *created,
                            bool *lagging)
{
    return put_one(e, &cand_ops, rec, if_version, created, lagging, NULL);
}

int cm_engine_put_offer_deferred(cm_engine_t *e, cm_offer_t *rec, uint64_t if_version,
                                 bool *created, bool *lagging, uint64_t *wait_seq)
{
    return put_one(e, &offer_ops, rec, if_version, created, lagging, wait_seq);
}

int cm_engine_put_candidate_deferred(cm_engine_t *e, cm_candidate_t *rec, uint64_t if_version,
                                     bool *created, bool *lagging, uint64_t *wait_seq)
{
    return put_one(e, &cand_ops, rec, if_version, created, lagging, wait_seq);
}

int cm_engine_visible(cm_engine_t *e, uint64_t seq)
{
    pthread_mutex_lock(&e->mu);
    /* a full disk holds the index's commits until space is back: no waiting for that */
    int v = e->applied_seq >= seq                                       ? 1
            : e->stop || e->index_damaged || e->index_error == CM_EFULL ? -1
                                                                        : 0;
    pthread_mutex_unlock(&e->mu);
    return v;
}

int cm_engine_wait_visible(cm_engine_t *e, uint64_t seq)
{
    /* inline mode: every put returned indexed */
    return !e->thread_running || cm__indexer_wait(e, seq, NULL) ? 0 : CM_ECLOSED;
}

/* A batch's text analysis (catalog prep), split over two threads when it is large enough to
 * pay for starting one. Candidates only: it is about a third of a candidate's import, which
 * gives the index writer nothing to do; offers' import is bound by the index writer, and a
 * second thread only took CPU from it (60,000 offers: 5-10 % slower split). */
#define PREP_SPLIT_MIN 64
typedef struct prep_part {
    cm_engine_t *e;
    const kind_ops_t *k;
    void **recs;
    cm__catalog_prep_t *prep;
    size_t n;
} prep_part_t;

static void *prep_part(void *arg)
{
    prep_part_t *p = arg;
    for (size_t i = 0; i < p->n; i++)
        p->k->cat_prep(p->e->catalog, p->recs[i], &p->prep[i]);
    return NULL;
}

static void prep_batch(cm_engine_t *e, const kind_ops_t *k, void **recs, cm__catalog_prep_t *prep,
                       size_t n)
{
    size_t half = !k->indexed && n >= PREP_SPLIT_MIN ? n / 2 : 0;
    prep_part_t second = {e, k, recs + half, prep + half, n - half};
    pthread_t t;
    bool split = half && pthread_create(&t, NULL, prep_part, &second) == 0;
    prep_part_t first = {e, k, recs, prep, split ? half : n};
    prep_part(&first);
    if (split)
        pthread_join(t, NULL);
}

/* Many records, CM_BULK_BATCH per transaction; the index catches up in the background between
 * batches and the call returns once everything is visible, or at once (wait_seq set: the
 * caller waits for *wait_seq, or lets the next call store while the index catches up). */
static int put_many(cm_engine_t *e, const kind_ops_t *k, void **recs, size_t n, int *rcs,
                    uint64_t *wait_seq)
{
    uint64_t seq = 0;
    if (wait_seq)
        *wait_seq = 0;
    size_t cap = n < CM_BULK_BATCH ? n : CM_BULK_BATCH;
    cm__catalog_prep_t *prep = calloc(cap ? cap : 1, sizeof *prep);
    cm__catalog_prep_t **pp = calloc(cap ? cap : 1, sizeof *pp);
    int *crc = calloc(cap ? cap : 1, sizeof *crc);
    if (!prep || !pp || !crc) {
        free(prep);
        free(pp);
        free(crc);
        for (size_t i = 0; i < n; i++)
            rcs[i] = CM_ENOMEM;
        return CM_ENOMEM;
    }
    for (size_t at = 0; at < n; at += CM_BULK_BATCH) {
        size_t end = at + CM_BULK_BATCH < n ? at + CM_BULK_BATCH : n;
        prep_batch(e, k, recs + at, prep, end - at); /* text analysis before write_mu */
        for (size_t i = at; i < end; i++)
            pp[i - at] = &prep[i - at];
        cm__wtxn_t *w;
        int rc = begin_write(e, &w);
        if (rc == 0) {
            for (size_t i = at; i < end && rc == 0; i++)
                rc = rcs[i] = k->wput(w, recs[i], 0, NULL);
            rc = cm__wtxn_end(w, rc, &seq);
            if (rc == 0)
                catalog_put_group(e, pp, end - at, crc);
            pthread_mutex_unlock(&e->write_mu);
        }
        for (size_t i = 0; i < end - at; i++)
            cm__catalog_prep_clear(&prep[i]);
        if (rc) {
            for (size_t i = at; i < n; i++) /* this batch was rolled back, the rest not tried */
                rcs[i] = rc;
            free(prep);
            free(pp);
            free(crc);
            return rc;
        }
        if (!e->thread_running)
            cm__indexer_publish(e, seq, NULL); /* inline mode: index as we go, bounded memory */
        else
            cm__indexer_hand_over(e, seq); /* the writer indexes while the next batch is stored */
    }
    free(prep);
    free(pp);
    free(crc);
    if (wait_seq && e->thread_running) { /* handed over above: the caller waits, or not */
        *wait_seq = k->indexed ? seq : 0;
        return 0;
    }
    return seq ? cm__indexer_publish(e, seq, NULL) : 0;
}

int cm_engine_put_offers(cm_engine_t *e, cm_offer_t **recs, size_t n, int *rcs)
{
    return put_many(e, &offer_ops, (void **)recs, n, rcs, NULL);
}

int cm_engine_put_offers_deferred(cm_engine_t *e, cm_offer_t **recs, size_t n, int *rcs,
                                  uint64_t *wait_seq)
{
    return put_many(e, &offer_ops, (void **)recs, n, rcs, wait_seq);
}

int cm_engine_put_candidates(cm_engine_t *e, cm_candidate_t **recs, size_t n, int *rcs)
{
    return put_many(e, &cand_ops, (void **)recs, n, rcs, NULL);
}

int cm_engine_put_candidates_deferred(cm_engine_t *e, cm_candidate_t **recs, size_t n, int *rcs,
                                      uint64_t *wait_seq)
{
    return put_many(e, &cand_ops, (void **)recs, n, rcs, wait_seq);
}

void cm__scrub_after_erasure(cm_engine_t *e)
{
    uint64_t txn = cm__store_txn_id(e->store);
    bool covered = false;
    int rc = cm__store_scrub(e->store, &txn, true, &covered);
    pthread_mutex_lock(&e->mu);
    if (rc)
        e->scrub_drain = true;
    if (rc || !covered) {
        if (txn > e->scrub_txn)
            e->scrub_txn = txn;
        pthread_cond_signal(&e->work_cv);
    } else {
        e->scrub_txn = 0;
    }
    pthread_mutex_unlock(&e->mu);
    if (rc)
        cm__log(e, CM_LOG_WARN, "scrub",
                "overwriting free pages after an erasure: %s "
                "(retried)",
                cm_strerror(rc));
}

bool cm_engine_erasure_pending(cm_engine_t *e)
{
    pthread_mutex_lock(&e->mu);
    bool pending = e->scrub_drain && e->scrub_txn != 0;
    pthread_mutex_unlock(&e->mu);
    return pending;
}

void cm__scrub_retry(cm_engine_t *e)
{
    pthread_mutex_lock(&e->write_mu);
    pthread_mutex_lock(&e->mu);
    uint64_t txn = e->scrub_txn;
    bool drain = e->scrub_drain;
    pthread_mutex_unlock(&e->mu);
    bool covered = false;
    uint64_t upto = txn;
    if (txn && cm__store_scrub(e->store, &upto, drain, &covered) == 0) {
        pthread_mutex_lock(&e->mu);
        e->scrub_drain = false;
        if (e->scrub_txn == txn)
            e->scrub_txn = covered ? 0 : upto;
        pthread_mutex_unlock(&e->mu);
    }
    pthread_mutex_unlock(&e->write_mu);
}

/* audit: an entry written in the delete's transaction, or NULL */
static int delete_one(cm_engine_t *e, const kind_ops_t *k, const char *id, uint64_t if_version,
                      cm_audit_entry_t *audit)
{
    cm__wtxn_t *w;
    uint64_t seq = 0;
    int rc = begin_write_for(e, k->personal, &w);
    if (rc)
        return rc;
    rc = k->wdel(w, id, if_version);
    if (rc == 0 && audit)
        rc = cm__wtxn_audit_append(w, audit);
    rc = cm__wtxn_end(w, rc, &seq);
    if (rc == 0)
        k->cat_del(e->catalog, id);
    if (rc == 0 && k->personal) {
        cm__scrub_after_erasure(e); /* erasure on disk, before the answer */
        cm__catalog_snap_forget(e); /* and in no copy of the catalog */
    }
    pthread_mutex_unlock(&e->write_mu);
    if (rc)
        return rc;
    return cm__indexer_publish(e, seq, NULL);
}

int cm_engine_delete_offer(cm_engine_t *e, const char *id, uint64_t if_version)
{
    return delete_one(e, &offer_ops, id, if_version, NULL);
}

int cm_engine_delete_candidate(cm_engine_t *e, const char *id, uint64_t if_version)
{
    return delete_one(e, &cand_ops, id, if_version, NULL);
}

int cm_engine_delete_candidate_audited(cm_engine_t *e, const char *id, uint64_t if_version,
                                       cm_audit_entry_t *audit)
{
    return delete_one(e, &cand_ops, id, if_version, audit);
}

int cm_engine_add_event(cm_engine_t *e, const cm_event_t *ev, uint64_t *seq, cm_error *err)
{
    cm__wtxn_t *w;
    if ((unsigned)ev->kind >= CM_EVENT__COUNT ||
        !cm_id_valid(ev->candidate_id, strlen(ev->candidate_id)))
        return cm_error_set(err, CM_EINVAL, "kind", "invalid event");
    int rc = begin_write(e, &w);
    if (rc)
        return rc;
    rc = cm__wtxn_end(w, cm__wtxn_add_event(w, ev, seq, err), NULL);
    pthread_mutex_unlock(&e->write_mu);
    return rc;
}
