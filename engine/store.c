/* LMDB storage: records, events, the change log and the audit log in one environment (the
 * audit log's code is in store_audit.c, the guards in store_guard.c). Every write is one
 * transaction committed with LMDB's default sync (durable on return). */
#include "store.h"
#include "record_internal.h"
#include "store_guard.h"
#include "store_impl.h"

#include <errno.h>
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

static const char *const db_names[DB__COUNT] = {
    "offers", "candidates", "events", "changelog", "meta", "audit",
};

/* Secondary databases of storage format 1 that nothing read (the in-memory catalog does their
 * job): dropped at the first writable open. */
static const char *const legacy_db_names[] = {
    "offer_by_rome", "offer_by_cell", "cand_by_rome", "cand_by_cell", "cand_by_cert",
};
#define MAXDBS (DB__COUNT + 8) /* room for the legacy names (dropped) and the scrub's two */

static int drop_legacy(MDB_txn *txn)
{
    for (size_t i = 0; i < sizeof legacy_db_names / sizeof legacy_db_names[0]; i++) {
        MDB_dbi dbi;
        int rc = mdb_dbi_open(txn, legacy_db_names[i], 0, &dbi);
        if (rc == MDB_NOTFOUND)
            continue;
        if (rc == 0)
            rc = mdb_drop(txn, dbi, 1);
        if (rc)
            return map_rc(rc);
    }
    return 0;
}

/* The marker's verdict on this storage (store_guard.h), given its last change. */
static int check_held(cm__store_t *st, MDB_txn *txn, const char *path, cm_error *err)
{
    uint64_t last_seq;
    int rc = meta_get_u64(txn, st->dbi[DB_META], "last_seq", &last_seq);
    if (rc)
        return cm_error_set(err, rc, NULL, "cannot read storage meta");
    snprintf(st->marker, sizeof st->marker, "%s/" HELD_MARKER, path);
    return cm__sg_check_held(st->marker, last_seq, !st->read_only, &st->held, err);
}

int cm__store_open(const char *path, uint64_t map_size, bool read_only, cm__store_t **out,
                   cm_error *err)
{
    cm__store_t *st = calloc(1, sizeof *st);
    MDB_txn *txn = NULL;
    int rc;
    if (!st)
        return cm_error_set(err, CM_ENOMEM, NULL, "out of memory");
    st->read_only = read_only;
    if (!read_only && mkdir(path, 0750) != 0 && errno != EEXIST) {
        rc = cm_error_set(err, CM_EIO, NULL, "cannot create %s: %s", path, strerror(errno));
        goto fail;
    }
    if ((rc = mdb_env_create(&st->env)) != 0) {
        rc = cm_error_set(err, map_rc(rc), NULL, "mdb_env_create: %s", mdb_strerror(rc));
        goto fail;
    }
    mdb_env_set_maxdbs(st->env, MAXDBS);
    mdb_env_set_maxreaders(st->env, 512);
    if ((rc = mdb_env_set_mapsize(st->env, map_size ? map_size : CM_DEFAULT_MAP_SIZE)) != 0) {
        rc = cm_error_set(err, map_rc(rc), NULL, "mdb_env_set_mapsize: %s", mdb_strerror(rc));
        goto fail;
    }
    /* NOTLS: read transactions are not tied to threads (requests run on a pool). */
    unsigned flags = MDB_NOTLS | (read_only ? MDB_RDONLY : 0);
    if ((rc = mdb_env_open(st->env, path, flags, 0640)) != 0) {
        rc = cm_error_set(err, map_rc(rc), NULL, "cannot open storage %s: %s", path,
                          mdb_strerror(rc));
        goto fail;
    }
    if ((rc = cm__sg_check_file_size(st->env, path, err)) != 0)
        goto fail;
    if ((rc = mdb_txn_begin(st->env, NULL, read_only ? MDB_RDONLY : 0, &txn)) != 0) {
        rc = cm_error_set(err, map_rc(rc), NULL, "mdb_txn_begin: %s", mdb_strerror(rc));
        goto fail;
    }
    for (int i = 0; i < DB__COUNT; i++) {
        rc = mdb_dbi_open(txn, db_names[i], read_only ? 0 : MDB_CREATE, &st->dbi[i]);
        if (rc) {
            rc = cm_error_set(err, map_rc(rc), NULL, "open database %s: %s", db_names[i],
                              mdb_strerror(rc));
            goto fail;
        }
    }
    if (!read_only && (rc = cm__sg_clear_fill(txn)) != 0) {
        rc = cm_error_set(err, map_rc(rc), NULL, "cannot empty the scrub's filler: %s",
                          mdb_strerror(rc));
        goto fail;
    }
    if (!read_only && (rc = drop_legacy(txn)) != 0) {
        rc = cm_error_set(err, rc, NULL, "cannot drop the unused secondary databases");
        goto fail;
    }
    if ((rc = check_held(st, txn, path, err)) != 0)
        goto fail;
    uint64_t format;
    if ((rc = meta_get_u64(txn, st->dbi[DB_META], "format", &format)) != 0) {
        rc = cm_error_set(err, rc, NULL, "cannot read storage format");
        goto fail;
    }
    if (format == 0 && !read_only) {
        if ((rc = meta_put_u64(txn, st->dbi[DB_META], "format", CM_STORE_FORMAT)) != 0) {
            rc = cm_error_set(err, rc, NULL, "cannot write storage format");
            goto fail;
        }
    } else if (format > CM_STORE_FORMAT) {
        rc = cm_error_set(err, CM_EVERSION, NULL,
                          "storage format %llu is newer than this build (%d)",
                          (unsigned long long)format, CM_STORE_FORMAT);
        goto fail;
    }
    if ((rc = mdb_txn_commit(txn)) != 0) {
        txn = NULL;
        rc = cm_error_set(err, map_rc(rc), NULL, "mdb_txn_commit: %s", mdb_strerror(rc));
        goto fail;
    }
    *out = st;
    return 0;
fail:
    if (txn)
        mdb_txn_abort(txn);
    if (st->env)
        mdb_env_close(st->env);
    free(st);
    return rc;
}

void cm__store_close(cm__store_t *st)
{
    if (!st)
        return;
    mdb_env_close(st->env);
    free(st);
}

int cm__store_begin(cm__store_t *st, cm__wtxn_t **out)
{
    if (st->read_only)
        return CM_EINVAL;
    cm__wtxn_t *w = calloc(1, sizeof *w);
    if (!w)
        return CM_ENOMEM;
    w->st = st;
    int rc = mdb_txn_begin(st->env, NULL, 0, &w->txn);
    if (rc) {
        free(w);
        return map_rc(rc);
    }
    if ((rc = meta_get_u64(w->txn, st->dbi[DB_META], "last_seq", &w->seq)) != 0) {
        mdb_txn_abort(w->txn);
        free(w);
        return rc;
    }
    *out = w;
    return 0;
}

static int changelog_append(cm__wtxn_t *w, char kind, char op, const char *id)
{
    unsigned char key[8], val[2 + CM_ID_MAX];
    size_t idlen = strlen(id);
    w->seq++;
    put_be64(key, w->seq);
    val[0] = (unsigned char)kind;
    val[1] = (unsigned char)op;
    memcpy(val + 2, id, idlen);
    MDB_val k = {8, key}, v = {2 + idlen, val};
    /* APPEND: keys are strictly increasing, so LMDB can skip the search */
    int rc = mdb_put(w->txn, w->st->dbi[DB_CHANGELOG], &k, &v, MDB_APPEND);
    if (rc)
        return map_rc(rc);
    w->wrote_seq = true;
    return 0;
}

static int check_condition(uint64_t if_version, bool exists, uint64_t stored_version)
{
    if (if_version == 0)
        return 0;
    if (if_version == CM_IF_ABSENT)
        return exists ? CM_EEXIST : 0;
    if (if_version == CM_IF_PRESENT)
        return exists ? 0 : CM_EEXIST;
    return exists && stored_version == if_version ? 0 : CM_EEXIST;
}

/* Overwrite a stored value with zeros of its size, in place in this transaction's copy of its
 * page: a node LMDB then deletes or moves can stay in the page's free gap, and it must be
 * zeros there, not a candidate's text. Its older pages are free pages (cm__store_scrub). */
static int zero_value(cm__wtxn_t *w, MDB_dbi dbi, MDB_val *key)
{
    MDB_val v;
    int rc = map_rc(mdb_get(w->txn, dbi, key, &v));
    if (rc == 0) {
        v.mv_data = NULL;
        rc = map_rc(mdb_put(w->txn, dbi, key, &v, MDB_RESERVE));
        if (rc == 0)
            memset(v.mv_data, 0, v.mv_size);
    }
    return rc;
}

/* Versions never repeat for an id: a delete leaves a tombstone in meta ("tomb/o/<id>" -> the
 * last version), and a later create starts above it, so that a client's stale If-Match or
 * cached ETag can never name the new record. Only the id and a number stay (no personal
 * data); the create removes the tombstone. */
static void tomb_key(char out[CM_ID_MAX + 8], bool offer, const char *id)
{
    snprintf(out, CM_ID_MAX + 8, "tomb/%c/%s", offer ? 'o' : 'c', id);
}

/* Before deleting `key`: its version (the header's; a damaged record's is unknown, and the
 * change log's last sequence is above any version it had) into a tombstone. */
static int leave_tomb(cm__wtxn_t *w, MDB_dbi dbi, MDB_val *key, bool offer, const char *id,
                      uint64_t if_version)
{
    MDB_val v;
    int rc = mdb_get(w->txn, dbi, key, &v);
    if (rc == MDB_NOTFOUND)
        return CM_ENOTFOUND;
    if (rc)
        return map_rc(rc);
    const uint8_t *rec;
    size_t len;
    uint64_t version = 0;
    if (cm__frame_open(v.mv_data, v.mv_size, &rec, &len) != 0 ||
        cm__record_version(rec, len, offer, &version) != 0)
        version = w->seq + 1;
    /* If-Match on a delete, as on a put (a damaged record's version is unknown: no match) */
    if ((rc = check_condition(if_version, true, version)) != 0)
        return rc;
    char tk[CM_ID_MAX + 8];
    tomb_key(tk, offer, id);
    return meta_put_u64(w->txn, w->st->dbi[DB_META], tk, version);
}

/* Create or replace one record (exactly one of o, c): its version one above the stored one,
 * read from the stored header only (or above its tombstone), then the record and a
 * change-log entry. */
static int put_record(cm__wtxn_t *w, cm_offer_t *o, cm_candidate_t *c, uint64_t if_version,
                      bool *created)
{
    const char *id = o ? o->id : c->id;
    MDB_val key = {strlen(id), (void *)id}, v;
    MDB_dbi dbi = w->st->dbi[o ? DB_OFFERS : DB_CANDIDATES];
    uint8_t *buf = NULL;
    size_t len;
    uint64_t old_version = 0;
    int rc = mdb_get(w->txn, dbi, &key, &v);
    bool exists = rc == 0;
    if (rc && rc != MDB_NOTFOUND)
        return map_rc(rc);
    const uint8_t *old;
    size_t old_len;
    if (exists && ((rc = cm__frame_open(v.mv_data, v.mv_size, &old, &old_len)) != 0 ||
                   (rc = cm__record_version(old, old_len, o != NULL, &old_version)) != 0))
        return rc; /* damaged: delete it first (its version, and so the ETags, are unknown) */
    if ((rc = check_condition(if_version, exists, old_version)) != 0)
        return rc;
    char tk[CM_ID_MAX + 8];
    tomb_key(tk, o != NULL, id);
    if (!exists && (rc = meta_get_u64(w->txn, w->st->dbi[DB_META], tk, &old_version)) != 0)
        return rc;
    if (!exists && old_version) {
        MDB_val t = {strlen(tk), tk};
        if ((rc = map_rc(mdb_del(w->txn, w->st->dbi[DB_META], &t, NULL))) != 0)
            return rc;
    }
    if (exists && !o && (rc = zero_value(w, dbi, &key)) != 0)
        return rc; /* a candidate's older text must not stay in the page LMDB rewrites */
    if (o) {
        o->version = old_version + 1;
        rc = cm_offer_encode(o, &buf, &len);
    } else {
        c->version = old_version + 1;
        rc = cm_candidate_encode(c, &buf, &len);
    }
    if (rc)
        return rc;
    /* framed with its checksum, written straight into the page (no copy of the value) */
    v.mv_size = len + CM__FRAME_HDR;
    v.mv_data = NULL;
    rc = map_rc(mdb_put(w->txn, dbi, &key, &v, MDB_RESERVE));
    if (rc == 0)
        cm__frame_write(v.mv_data, buf, len);
    cm_free(buf);
    if (rc == 0)
        rc = changelog_append(w, o ? 'o' : 'c', 'p', id);
    if (rc == 0 && created)
        *created = !exists;
    return rc;
}

int cm__wtxn_put_offer(cm__wtxn_t *w, cm_offer_t *rec, uint64_t if_version, bool *created)
{
    return put_record(w, rec, NULL, if_version, created);
}

int cm__wtxn_put_candidate(cm__wtxn_t *w, cm_candidate_t *rec, uint64_t if_version,
                           bool *created)
{
    return put_record(w, NULL, rec, if_version, created);
}

int cm__wtxn_del_offer(cm__wtxn_t *w, const char *id, uint64_t if_version)
{
    MDB_val k = {strlen(id), (void *)id};
    int rc = leave_tomb(w, w->st->dbi[DB_OFFERS], &k, true, id, if_version);
    if (rc == 0)
        rc = map_rc(mdb_del(w->txn, w->st->dbi[DB_OFFERS], &k, NULL));
    return rc ? rc : changelog_append(w, 'o', 'd', id);
}

/* Event keys: candidate id, NUL, big-endian seq; so a candidate's events are one range. */
static size_t event_key(unsigned char *key, const char *cand, uint64_t seq)
{
    size_t n = strlen(cand);
    memcpy(key, cand, n);
    key[n] = 0;
    put_be64(key + n + 1, seq);
    return n + 9;
}

int cm__wtxn_del_candidate(cm__wtxn_t *w, const char *id, uint64_t if_version)
{
    MDB_val k = {strlen(id), (void *)id};
    MDB_cursor *cur = NULL;
    int rc = leave_tomb(w, w->st->dbi[DB_CANDIDATES], &k, false, id, if_version);
    if (rc == 0)
        rc = zero_value(w, w->st->dbi[DB_CANDIDATES], &k);
    if (rc == 0)
        rc = map_rc(mdb_del(w->txn, w->st->dbi[DB_CANDIDATES], &k, NULL));
    if (rc)
        return rc;
    /* right to erasure: every event of the candidate goes too */
    unsigned char key[CM_ID_MAX + 9];
    size_t plen = event_key(key, id, 0) - 8;
    MDB_val ek = {plen + 8, key}, ev;
    if ((rc = map_rc(mdb_cursor_open(w->txn, w->st->dbi[DB_EVENTS], &cur))) != 0)
        goto out;
    int mrc = mdb_cursor_get(cur, &ek, &ev, MDB_SET_RANGE);
    while (mrc == 0 && ek.mv_size == plen + 8 && memcmp(ek.mv_data, key, plen) == 0) {
        if ((mrc = mdb_cursor_del(cur, 0)) != 0)
            break;
        mrc = mdb_cursor_get(cur, &ek, &ev, MDB_GET_CURRENT);
        if (mrc == MDB_NOTFOUND)
            break;
        /* after a delete the cursor sits on the next item (or past the end) */
    }
    if (mrc && mrc != MDB_NOTFOUND && mrc != EINVAL) {
        rc = map_rc(mrc);
        goto out;
    }
    rc = changelog_append(w, 'c', 'd', id);
out:
    if (cur)
        mdb_cursor_close(cur);
    return rc;
}

int cm__wtxn_add_event(cm__wtxn_t *w, const cm_event_t *ev, uint64_t *seq, cm_error *err)
{
    MDB_val k = {strlen(ev->candidate_id), (void *)ev->candidate_id}, v;
    int rc = mdb_get(w->txn, w->st->dbi[DB_CANDIDATES], &k, &v);
    if (rc == MDB_NOTFOUND)
        return cm_error_set(err, CM_ENOTFOUND, "candidate_id", "candidate %s not found",
                            ev->candidate_id);
    if (rc)
        return map_rc(rc);
    if (ev->offer_id[0]) {
        MDB_val ok = {strlen(ev->offer_id), (void *)ev->offer_id};
        rc = mdb_get(w->txn, w->st->dbi[DB_OFFERS], &ok, &v);
        if (rc == MDB_NOTFOUND)
            return cm_error_set(err, CM_ENOTFOUND, "offer_id", "offer %s not found",
                                ev->offer_id);
        if (rc)
            return map_rc(rc);
    }
    uint64_t evseq;
    if ((rc = meta_get_u64(w->txn, w->st->dbi[DB_META], "event_seq", &evseq)) != 0)
        return rc;
    evseq++;
    unsigned char key[CM_ID_MAX + 9], val[1 + 8 + CM_ID_MAX];
    size_t klen = event_key(key, ev->candidate_id, evseq);
    size_t olen = strlen(ev->offer_id);
    val[0] = (unsigned char)ev->kind;
    put_be64(val + 1, (uint64_t)ev->at);
    memcpy(val + 9, ev->offer_id, olen);
    MDB_val ek = {klen, key}, evv = {9 + olen, val};
    if ((rc = map_rc(mdb_put(w->txn, w->st->dbi[DB_EVENTS], &ek, &evv, 0))) != 0)
        return rc;
    if ((rc = meta_put_u64(w->txn, w->st->dbi[DB_META], "event_seq", evseq)) != 0)
        return rc;
    if (seq)
        *seq = evseq;
    return 0;
}

int cm__wtxn_trim_changelog(cm__wtxn_t *w, uint64_t upto)
{
    MDB_cursor *cur;
    MDB_val k, v;
    int rc = mdb_cursor_open(w->txn, w->st->dbi[DB_CHANGELOG], &cur);
    if (rc)
        return map_rc(rc);
    uint64_t trimmed = 0;
    while ((rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST)) == 0) {
        if (k.mv_size != 8)
            break;
        uint64_t s = get_be64(k.mv_data);
        if (s > upto)
            break;
        if ((rc = mdb_cursor_del(cur, 0)) != 0)
            break;
        trimmed = s;
    }
    mdb_cursor_close(cur);
    if (rc && rc != MDB_NOTFOUND)
        return map_rc(rc);
    uint64_t prev;
    if ((rc = meta_get_u64(w->txn, w->st->dbi[DB_META], "trimmed_upto", &prev)) != 0)
        return rc;
    if (trimmed > prev)
        return meta_put_u64(w->txn, w->st->dbi[DB_META], "trimmed_upto", trimmed);
    return 0;
}

/* Is the disk under the store (nearly) full? LMDB says EIO, not ENOSPC, when a write of its
 * pages comes out short (writev on a full disk): then that EIO is a full disk, a 503 with
 * Retry-After like a full map, not an internal error. */
static bool disk_full(const cm__store_t *st)
{
    const char *path = NULL;
    struct statvfs vf;
    if (mdb_env_get_path(st->env, &path) != 0 || !path || statvfs(path, &vf) != 0)
        return false;
    return (uint64_t)vf.f_bavail * vf.f_frsize < ((uint64_t)8 << 20);
}

int cm__wtxn_commit(cm__wtxn_t *w, uint64_t *last_seq)
{
    int rc = 0;
    if (w->wrote_seq)
        rc = meta_put_u64(w->txn, w->st->dbi[DB_META], "last_seq", w->seq);
    if (rc) {
        mdb_txn_abort(w->txn);
    } else {
        rc = map_rc(mdb_txn_commit(w->txn));
        if (rc == CM_EIO && disk_full(w->st))
            rc = CM_EFULL;
    }
    /* the first change ever: mark the directory (a failure is retried at the next open,
     * which sees last_seq > 0; the write itself is committed) */
    if (rc == 0 && w->wrote_seq && !w->st->held && cm__sg_write_marker(w->st->marker) == 0)
        w->st->held = true;
    if (rc == 0 && last_seq)
        *last_seq = w->seq;
    free(w);
    return rc;
}

void cm__wtxn_abort(cm__wtxn_t *w)
{
    if (!w)
        return;
    mdb_txn_abort(w->txn);
    free(w);
}

int cm__wtxn_end(cm__wtxn_t *w, int rc, uint64_t *last_seq)
{
    if (rc) {
        cm__wtxn_abort(w);
        return rc;
    }
    return cm__wtxn_commit(w, last_seq);
}

static int read_begin(cm__store_t *st, MDB_txn **txn)
{
    return map_rc(mdb_txn_begin(st->env, NULL, MDB_RDONLY, txn));
}

int cm__store_get_offer(cm__store_t *st, const char *id, cm_offer_t **out)
{
    MDB_txn *txn;
    MDB_val k = {strlen(id), (void *)id}, v;
    int rc = read_begin(st, &txn);
    if (rc)
        return rc;
    const uint8_t *rec;
    size_t len;
    rc = map_rc(mdb_get(txn, st->dbi[DB_OFFERS], &k, &v));
    if (rc == 0)
        rc = cm__frame_open(v.mv_data, v.mv_size, &rec, &len);
    if (rc == 0)
        rc = cm_offer_decode(rec, len, out);
    mdb_txn_abort(txn);
    return rc;
}

int cm__store_get_candidate(cm__store_t *st, const char *id, cm_candidate_t **out)
{
    MDB_txn *txn;
    MDB_val k = {strlen(id), (void *)id}, v;
    int rc = read_begin(st, &txn);
    if (rc)
        return rc;
    const uint8_t *rec;
    size_t len;
    rc = map_rc(mdb_get(txn, st->dbi[DB_CANDIDATES], &k, &v));
    if (rc == 0)
        rc = cm__frame_open(v.mv_data, v.mv_size, &rec, &len);
    if (rc == 0)
        rc = cm_candidate_decode(rec, len, out);
    mdb_txn_abort(txn);
    return rc;
}

/* A read transaction and a cursor on one database (the caller closes the cursor and aborts
 * the transaction when done). */
int cm__store_read_cursor(cm__store_t *st, int db, MDB_txn **txn, MDB_cursor **cur)
{
    int rc = read_begin(st, txn);
    if (rc)
        return rc;
    if ((rc = map_rc(mdb_cursor_open(*txn, st->dbi[db], cur))) != 0)
        mdb_txn_abort(*txn);
    return rc;
}

/* Every record of one kind in id order, decoded for the visitor (exactly one of ofn, cfn);
 * of a share (part of parts), the records whose rank in id order is part modulo parts. */
static int each_record(cm__store_t *st, cm_offer_visit_fn ofn, cm_candidate_visit_fn cfn, void *arg,
                       unsigned part, unsigned parts)
{
    MDB_txn *txn;
    MDB_cursor *cur;
    MDB_val k, v;
    int rc = cm__store_read_cursor(st, ofn ? DB_OFFERS : DB_CANDIDATES, &txn, &cur);
    if (rc)
        return rc;
    int mrc = mdb_cursor_get(cur, &k, &v, MDB_FIRST);
    for (uint64_t rank = 0; mrc == 0; rank++) {
        if (parts > 1 && rank % parts != part) {
            mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
            continue;
        }
        const uint8_t *rec;
        size_t len;
        cm_offer_t *o = NULL;
        cm_candidate_t *c = NULL;
        rc = cm__frame_open(v.mv_data, v.mv_size, &rec, &len);
        if (rc == 0)
            rc = ofn ? cm_offer_decode(rec, len, &o) : cm_candidate_decode(rec, len, &c);
        if (rc == CM_ECORRUPT || rc == CM_EVERSION) {
            /* skipped and counted: reads of it answer the error, check names it */
            if (__atomic_fetch_add(&st->damaged, 1, __ATOMIC_RELAXED) == 0)
                cm__store_damaged_name(st->first_damaged, sizeof st->first_damaged, ofn != NULL,
                                       k.mv_data, k.mv_size);
            cm__store_tell_damaged(st, ofn != NULL, k.mv_data, k.mv_size);
            rc = 0;
        } else if (rc == 0) {
            rc = ofn ? ofn(arg, o) : cfn(arg, c);
        }
        cm_offer_free(o);
        cm_candidate_free(c);
        if (rc)
            break;
        mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
    }
    if (!rc && mrc != MDB_NOTFOUND)
        rc = map_rc(mrc);
    mdb_cursor_close(cur);
    mdb_txn_abort(txn);
    return rc;
}

int cm__store_each_offer(cm__store_t *st, cm_offer_visit_fn fn, void *arg)
{
    return each_record(st, fn, NULL, arg, 0, 1);
}

int cm__store_each_candidate(cm__store_t *st, cm_candidate_visit_fn fn, void *arg)
{
    return each_record(st, NULL, fn, arg, 0, 1);
}

int cm__store_share_offers(cm__store_t *st, unsigned part, unsigned parts, cm_offer_visit_fn fn,
                           void *arg)
{
    return each_record(st, fn, NULL, arg, part, parts);
}

int cm__store_share_candidates(cm__store_t *st, unsigned part, unsigned parts,
                               cm_candidate_visit_fn fn, void *arg)
{
    return each_record(st, NULL, fn, arg, part, parts);
}

void cm__store_on_damaged(cm__store_t *st, void (*fn)(void *arg, const char *what), void *arg)
{
    st->on_damaged = fn;
    st->on_damaged_arg = arg;
}

void cm__store_damaged_name(char *out, size_t cap, bool offer, const void *key, size_t klen)
{
    snprintf(out, cap, "%s %.*s", offer ? "offer" : "candidate",
             (int)(klen > CM_ID_MAX ? CM_ID_MAX : klen), (const char *)key);
}

void cm__store_tell_damaged(cm__store_t *st, bool offer, const void *key, size_t klen)
{
    char what[CM_ID_MAX + 16];
    if (!st->on_damaged)
        return;
    cm__store_damaged_name(what, sizeof what, offer, key, klen);
    st->on_damaged(st->on_damaged_arg, what);
}

uint64_t cm__store_damaged(cm__store_t *st, char *first, size_t first_size)
{
    uint64_t n = __atomic_load_n(&st->damaged, __ATOMIC_RELAXED);
    snprintf(first, first_size, "%s", n ? st->first_damaged : "");
    return n;
}

int cm__store_each_raw(cm__store_t *st, bool offers, cm__raw_fn fn, void *arg)
{
    MDB_txn *txn;
    MDB_cursor *cur;
    MDB_val k, v;
    int rc = cm__store_read_cursor(st, offers ? DB_OFFERS : DB_CANDIDATES, &txn, &cur);
    if (rc)
        return rc;
    int mrc = mdb_cursor_get(cur, &k, &v, MDB_FIRST);
    for (; mrc == 0 && rc == 0; mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT))
        rc = fn(arg, k.mv_data, k.mv_size, v.mv_data, v.mv_size);
    if (!rc && mrc != MDB_NOTFOUND)
        rc = map_rc(mrc);
    mdb_cursor_close(cur);
    mdb_txn_abort(txn);
    return rc;
}

int cm__store_changes(cm__store_t *st, uint64_t after, size_t max, cm__change_fn fn, void *arg)
{
    MDB_txn *txn;
    MDB_cursor *cur;
    unsigned char key[8];
    int rc = cm__store_read_cursor(st, DB_CHANGELOG, &txn, &cur);
    if (rc)
        return rc;
    put_be64(key, after + 1);
    MDB_val k = {8, key}, v;
    size_t n = 0;
    int mrc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
    while (mrc == 0 && n < max) {
        char id[CM_ID_MAX + 1];
        if (k.mv_size != 8 || v.mv_size < 3 || v.mv_size > 2 + CM_ID_MAX) {
            rc = CM_ECORRUPT;
            break;
        }
        const unsigned char *p = v.mv_data;
        memcpy(id, p + 2, v.mv_size - 2);
        id[v.mv_size - 2] = 0;
        if ((rc = fn(arg, get_be64(k.mv_data), (char)p[0], (char)p[1], id)) != 0)
            break;
        n++;
        mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
    }
    if (!rc && mrc && mrc != MDB_NOTFOUND)
        rc = map_rc(mrc);
    mdb_cursor_close(cur);
    mdb_txn_abort(txn);
    return rc;
}

int cm__store_meta(cm__store_t *st, cm__store_meta_t *out)
{
    MDB_txn *txn;
    MDB_stat s;
    MDB_envinfo info;
    int rc = read_begin(st, &txn);
    if (rc)
        return rc;
    memset(out, 0, sizeof *out);
    if ((rc = meta_get_u64(txn, st->dbi[DB_META], "last_seq", &out->last_seq)) == 0)
        rc = meta_get_u64(txn, st->dbi[DB_META], "trimmed_upto", &out->trimmed_upto);
    if (rc == 0 && (rc = map_rc(mdb_stat(txn, st->dbi[DB_OFFERS], &s))) == 0)
        out->offers = s.ms_entries;
    if (rc == 0 && (rc = map_rc(mdb_stat(txn, st->dbi[DB_CANDIDATES], &s))) == 0)
        out->candidates = s.ms_entries;
    if (rc == 0 && (rc = map_rc(mdb_stat(txn, st->dbi[DB_EVENTS], &s))) == 0)
        out->events = s.ms_entries;
    if (rc == 0 && (rc = map_rc(mdb_stat(txn, st->dbi[DB_CHANGELOG], &s))) == 0)
        out->changelog = s.ms_entries;
    if (rc == 0 && (rc = map_rc(mdb_env_info(st->env, &info))) == 0 &&
        (rc = map_rc(mdb_env_stat(st->env, &s))) == 0) {
        out->map_size = info.me_mapsize;
        out->map_used = (uint64_t)(info.me_last_pgno + 1) * s.ms_psize;
    }
    mdb_txn_abort(txn);
    return rc;
}

int cm__store_meta_get(cm__store_t *st, const char *name, uint64_t *out)
{
    MDB_txn *txn;
    int rc = read_begin(st, &txn);
    if (rc)
        return rc;
    rc = meta_get_u64(txn, st->dbi[DB_META], name, out);
    mdb_txn_abort(txn);
    return rc;
}

int cm__wtxn_meta_put(cm__wtxn_t *w, const char *name, uint64_t val)
{
    return meta_put_u64(w->txn, w->st->dbi[DB_META], name, val);
}

int cm__store_each_event(cm__store_t *st, cm__event_fn fn, void *arg)
{
    MDB_txn *txn;
    MDB_cursor *cur;
    MDB_val k, v;
    int rc = cm__store_read_cursor(st, DB_EVENTS, &txn, &cur);
    if (rc)
        return rc;
    int mrc = mdb_cursor_get(cur, &k, &v, MDB_FIRST);
    while (mrc == 0) {
        cm_event_t ev;
        const unsigned char *kp = k.mv_data, *vp = v.mv_data;
        if (k.mv_size < 10 || k.mv_size > CM_ID_MAX + 9 || v.mv_size < 9 ||
            v.mv_size > 9 + CM_ID_MAX || vp[0] >= CM_EVENT__COUNT) {
            rc = CM_ECORRUPT;
            break;
        }
        memcpy(ev.candidate_id, kp, k.mv_size - 9);
        ev.candidate_id[k.mv_size - 9] = 0;
        ev.kind = (cm_event_kind_t)vp[0];
        ev.at = (int64_t)get_be64(vp + 1);
        memcpy(ev.offer_id, vp + 9, v.mv_size - 9);
        ev.offer_id[v.mv_size - 9] = 0;
        if ((rc = fn(arg, &ev)) != 0)
            break;
        mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
    }
    if (!rc && mrc != MDB_NOTFOUND)
        rc = map_rc(mrc);
    mdb_cursor_close(cur);
    mdb_txn_abort(txn);
    return rc;
}

int cm__store_scrub(cm__store_t *st, uint64_t *upto, bool drain, bool *covered)
{
    return cm__sg_scrub(st->env, upto, drain, covered);
}

int cm__store_prepare_erasure(cm__store_t *st)
{
    return cm__sg_prepare_erasure(st->env, st->dbi, DB__COUNT);
}

uint64_t cm__store_txn_id(cm__store_t *st)
{
    MDB_envinfo info;
    return mdb_env_info(st->env, &info) == 0 ? (uint64_t)info.me_last_txnid : 0;
}

int cm__store_copy(cm__store_t *st, const char *dest)
{
    char file[4200];
    int rc = map_rc(mdb_env_copy2(st->env, dest, MDB_CP_COMPACT));
    if (rc)
        return rc;
    /* durable before the caller renames it into place */
    snprintf(file, sizeof file, "%s/data.mdb", dest);
    if (cm__sg_fsync_path(file) != 0 || cm__sg_fsync_path(dest) != 0)
        return CM_EIO;
    return 0;
}
