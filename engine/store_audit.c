/* The audit log in LMDB (store.h): appended in the write transaction of what it records,
 * walked in sequence order. */
#include <stdio.h>

#include "store_impl.h"

/* Audit entries: big-endian seq -> at(8) | key name len(1) | key name | action len(1) | action |
 * candidate id. Appended only; nothing in the engine deletes from this database. */
int cm__wtxn_audit_append(cm__wtxn_t *w, cm_audit_entry_t *en)
{
    uint64_t seq;
    int rc = meta_get_u64(w->txn, w->st->dbi[DB_META], "audit_seq", &seq);
    if (rc)
        return rc;
    en->seq = ++seq;
    unsigned char key[8], val[8 + 1 + sizeof en->key_name + 1 + sizeof en->action + CM_ID_MAX];
    size_t kn = strnlen(en->key_name, sizeof en->key_name - 1);
    size_t an = strnlen(en->action, sizeof en->action - 1);
    size_t cn = strnlen(en->candidate_id, CM_ID_MAX);
    size_t n = 0;
    put_be64(key, seq);
    put_be64(val, (uint64_t)en->at);
    n = 8;
    val[n++] = (unsigned char)kn;
    memcpy(val + n, en->key_name, kn);
    n += kn;
    val[n++] = (unsigned char)an;
    memcpy(val + n, en->action, an);
    n += an;
    memcpy(val + n, en->candidate_id, cn);
    n += cn;
    MDB_val k = {8, key}, v = {n, val};
    if ((rc = map_rc(mdb_put(w->txn, w->st->dbi[DB_AUDIT], &k, &v, MDB_APPEND))) != 0)
        return rc;
    return meta_put_u64(w->txn, w->st->dbi[DB_META], "audit_seq", seq);
}

static int audit_decode(const MDB_val *k, const MDB_val *v, cm_audit_entry_t *en)
{
    const unsigned char *p = v->mv_data;
    size_t n = v->mv_size, at = 9;
    if (k->mv_size != 8 || n < 10)
        return CM_ECORRUPT;
    memset(en, 0, sizeof *en);
    en->seq = get_be64(k->mv_data);
    en->at = (int64_t)get_be64(p);
    size_t kn = p[8];
    if (kn >= sizeof en->key_name || at + kn + 1 > n)
        return CM_ECORRUPT;
    memcpy(en->key_name, p + at, kn);
    at += kn;
    size_t an = p[at++];
    if (an >= sizeof en->action || at + an > n || n - at - an > CM_ID_MAX)
        return CM_ECORRUPT;
    memcpy(en->action, p + at, an);
    at += an;
    memcpy(en->candidate_id, p + at, n - at);
    return 0;
}

int cm__store_audit_each(cm__store_t *st, const char *candidate_id, uint64_t after, size_t limit,
                         cm_audit_visit_fn fn, void *arg)
{
    MDB_txn *txn;
    MDB_cursor *cur;
    unsigned char key[8];
    int rc = cm__store_read_cursor(st, DB_AUDIT, &txn, &cur);
    if (rc)
        return rc;
    put_be64(key, after + 1);
    MDB_val k = {8, key}, v;
    size_t n = 0;
    int mrc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
    while (mrc == 0 && (limit == 0 || n < limit)) {
        cm_audit_entry_t en;
        if ((rc = audit_decode(&k, &v, &en)) != 0)
            break;
        if (!candidate_id || strcmp(candidate_id, en.candidate_id) == 0) {
            if ((rc = fn(arg, &en)) != 0)
                break;
            n++;
        }
        mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
    }
    if (!rc && mrc && mrc != MDB_NOTFOUND)
        rc = map_rc(mrc);
    mdb_cursor_close(cur);
    mdb_txn_abort(txn);
    return rc;
}
