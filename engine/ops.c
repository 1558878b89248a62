/* Operations: stats for steering, reindex, check (index against storage), backup.
 * Locks: reindex takes write_mu (no write may interleave with a rebuild); check holds a reader
 * (commit_lock shared) only while it walks the index. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine_impl.h"

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
    int rc = cm__catalog_ensure(e);
    if (rc)
        return rc;
    memset(out, 0, sizeof *out);
    cm__catalog_counts(e->catalog, department, out);
    stats_ctx_t s = {.e = e, .dept = department, .out = out};
    return cm__store_each_event(e->store, stats_event, &s);
}

int cm_engine_reindex(cm_engine_t *e, cm_error *err)
{
    if (cm__writable(e) != 0)
        return cm_error_set(err, CM_EINVAL, NULL, "reindex needs a writable engine");
    pthread_mutex_lock(&e->write_mu);
    int rc = cm__indexer_rebuild(e, err);
    pthread_mutex_unlock(&e->write_mu);
    return rc;
}

/* check: the index's (offer id, version) set must equal storage's offers, and every stored
 * candidate must decode (candidates are not indexed: the catalog is built from them). */
typedef struct check_entry {
    char id[CM_ID_MAX + 1];
    uint64_t version;
} check_entry_t;

typedef struct check_ctx {
    check_entry_t *v;
    size_t n, cap;
} check_ctx_t;

static int check_push(void *arg, const char *id, uint64_t version)
{
    check_ctx_t *c = arg;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 1024;
        check_entry_t *v = realloc(c->v, cap * sizeof *v);
        if (!v)
            return CM_ENOMEM;
        c->v = v;
        c->cap = cap;
    }
    check_entry_t *x = &c->v[c->n++];
    snprintf(x->id, sizeof x->id, "%s", id);
    x->version = version;
    return 0;
}

static int check_offer_cb(void *arg, const cm_offer_t *o)
{
    return check_push(arg, o->id, o->version);
}

static int check_cand_cb(void *arg, const cm_candidate_t *c)
{
    (void)c; /* decoded (and so checked) by the walk itself */
    (*(uint64_t *)arg)++;
    return 0;
}

static int check_cmp(const void *a, const void *b)
{
    return strcmp(((const check_entry_t *)a)->id, ((const check_entry_t *)b)->id);
}

/* Compare the sorted sets; the first difference is described in first[]. */
static void check_compare(const check_ctx_t *st, const check_ctx_t *ix, size_t *missing,
                          size_t *extra, size_t *stale, char first[200])
{
    size_t i = 0, j = 0;
    while (i < st->n || j < ix->n) {
        int c = i == st->n ? 1 : j == ix->n ? -1 : check_cmp(&st->v[i], &ix->v[j]);
        if (c < 0) {
            if (!(*missing)++ && !first[0])
                snprintf(first, 200, "offer %s missing from the index", st->v[i].id);
            i++;
        } else if (c > 0) {
            if (!(*extra)++ && !first[0])
                snprintf(first, 200, "offer %s in the index but not in storage", ix->v[j].id);
            j++;
        } else {
            if (st->v[i].version != ix->v[j].version && !(*stale)++ && !first[0])
                snprintf(first, 200, "offer %s: storage version %llu, index %llu", st->v[i].id,
                         (unsigned long long)st->v[i].version,
                         (unsigned long long)ix->v[j].version);
            i++;
            j++;
        }
    }
}

int cm_engine_check(cm_engine_t *e, cm_error *err)
{
    check_ctx_t ix = {0}, st = {0};
    cm__reader_slot_t *slot;
    cm__searcher_t *s;
    uint64_t candidates = 0, bad = 0;
    char first_bad[CM_ID_MAX + 16];
    /* storage first: a record that fails its checksum is reported by id, not served */
    int rc = cm__store_verify(e->store, &bad, first_bad, sizeof first_bad);
    if (rc)
        return cm_error_set(err, rc, NULL, "check could not read storage: %s",
                            cm_strerror(rc));
    if (bad)
        return cm_error_set(err, CM_ECORRUPT, NULL,
                            "%llu stored records damaged (checksum or format; first: %s): "
                            "restore from a backup, or delete and write them again",
                            (unsigned long long)bad, first_bad);
    rc = cm__reader_get(e, &s, &slot);
    if (rc == CM_ECORRUPT)
        return cm_error_set(err, CM_ECORRUPT, NULL,
                            "the search index is damaged (%s): carematch reindex rebuilds it "
                            "from storage (a server rebuilds it by itself)",
                            cm_strerror(rc));
    if (rc)
        return cm_error_set(err, rc, NULL, "cannot open the index: %s", cm_strerror(rc));
    rc = cm__searcher_each(s, check_push, &ix);
    cm__reader_put(e, slot);
    if (rc == CM_ECORRUPT) {
        cm_error_set(err, CM_ECORRUPT, NULL,
                     "the search index is damaged (%s): carematch reindex rebuilds it from "
                     "storage (a server rebuilds it by itself)",
                     cm_strerror(rc));
        goto out;
    }
    if (rc == 0)
        rc = cm__store_each_offer(e->store, check_offer_cb, &st);
    if (rc == 0)
        rc = cm__store_each_candidate(e->store, check_cand_cb, &candidates);
    if (rc) {
        cm_error_set(err, rc, NULL, "check could not read everything: %s", cm_strerror(rc));
        goto out;
    }
    qsort(ix.v, ix.n, sizeof *ix.v, check_cmp);
    qsort(st.v, st.n, sizeof *st.v, check_cmp);
    size_t missing = 0, extra = 0, stale = 0;
    char first[200] = "";
    check_compare(&st, &ix, &missing, &extra, &stale, first);
    if (missing || extra || stale)
        rc = cm_error_set(err, CM_ECORRUPT, NULL,
                          "index disagrees with storage: %zu missing, %zu extra, %zu stale "
                          "(first: %s)",
                          missing, extra, stale, first);
    else
        cm_error_set(err, 0, NULL, "%zu records, index consistent",
                     st.n + (size_t)candidates);
out:
    free(ix.v);
    free(st.v);
    return rc;
}

/* Whether dir holds nothing but what a killed backup left (lmdb.partial, redone); false
 * when it cannot be read (the copy would fail there anyway, said then). */
static bool dir_empty(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return false;
    bool empty = true;
    for (struct dirent *de; empty && (de = readdir(d));)
        empty = strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0 ||
                strcmp(de->d_name, "lmdb.partial") == 0;
    closedir(d);
    return empty;
}

int cm_engine_backup(cm_engine_t *e, const char *dest_dir, cm_error *err)
{
    char path[4200], partial[4300];
    bool made = mkdir(dest_dir, 0750) == 0;
    if (!made && errno != EEXIST) /* no such parent, no right: the destination is wrong */
        return cm_error_set(err, errno == ENOSPC || errno == EIO ? CM_EIO : CM_EINVAL, "dest",
                            "cannot create %s: %s", dest_dir, strerror(errno));
    /* Not inside the data directory: a reindex or an index rebuild would delete a copy made
     * in xapian/, and one in lmdb/ would lie among the storage's files. */
    char *rdata = realpath(e->dir, NULL), *rdest = realpath(dest_dir, NULL);
    size_t n = rdata ? strlen(rdata) : 0;
    bool inside =
        rdata && rdest && strncmp(rdest, rdata, n) == 0 && (rdest[n] == '\0' || rdest[n] == '/');
    free(rdata);
    free(rdest);
    if (inside) {
        if (made)
            rmdir(dest_dir);
        return cm_error_set(err, CM_EINVAL, "dest",
                            "%s is the data directory or inside it: back up to a directory "
                            "outside %s",
                            dest_dir, e->dir);
    }
    if (!made && !dir_empty(dest_dir)) /* a backup mixed with other files is no backup */
        return cm_error_set(err, CM_EEXIST, "dest",
                            "%s is not empty: a backup goes to a new or empty directory", dest_dir);
    snprintf(path, sizeof path, "%s/lmdb", dest_dir);
    struct stat sb;
    if (stat(path, &sb) == 0)
        return cm_error_set(err, CM_EEXIST, NULL,
                            "%s exists: a backup goes to a new or empty directory", path);
    if (errno != ENOENT)
        return cm_error_set(err, CM_EIO, NULL, "cannot create %s: %s", path, strerror(errno));
    /* Written under a temporary name, synced, and renamed when complete: a backup killed
     * half-way leaves lmdb.partial, never an lmdb that looks whole. */
    snprintf(partial, sizeof partial, "%s/lmdb.partial", dest_dir);
    if (cm__rm_rf(partial) != 0 || mkdir(partial, 0750) != 0)
        return cm_error_set(err, CM_EIO, NULL, "cannot create %s: %s", partial,
                            strerror(errno));
    int rc = cm__store_copy(e->store, partial);
    if (rc) {
        cm__rm_rf(partial);
        return cm_error_set(err, rc, NULL, "storage copy failed: %s", cm_strerror(rc));
    }
    if (rename(partial, path) != 0 || cm__fsync_dir(dest_dir) != 0)
        return cm_error_set(err, CM_EIO, NULL, "cannot rename %s to %s: %s", partial, path,
                            strerror(errno));
    /* no index is copied: the restored directory rebuilds it from storage at first open */
    return 0;
}
