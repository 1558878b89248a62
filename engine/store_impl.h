/* The LMDB storage's insides, shared by store.c and store_audit.c only: the databases, the
 * handles, and the small helpers both use. */
#ifndef CAREMATCH_STORE_IMPL_H
#define CAREMATCH_STORE_IMPL_H

#include <errno.h>
#include <lmdb.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "store.h"

enum {
    DB_OFFERS,
    DB_CANDIDATES,
    DB_EVENTS,
    DB_CHANGELOG,
    DB_META,
    DB_AUDIT,
    DB__COUNT
};

struct cm__store {
    MDB_env *env;
    MDB_dbi dbi[DB__COUNT];
    bool read_only;
    bool held; /* the HELD_MARKER file exists */
    char marker[4200];
    /* records met damaged (checksum or format) by the walks, which skip them: one bad record
     * must not take every other one down (the walks load the catalog, index, export) */
    uint64_t damaged;                  /* atomic */
    char first_damaged[CM_ID_MAX + 16]; /* "offer X" of the first, for the log */
    /* told of each damaged record a walk or a verification meets ("offer X"), or NULL */
    void (*on_damaged)(void *arg, const char *what);
    void *on_damaged_arg;
};

struct cm__wtxn {
    cm__store_t *st;
    MDB_txn *txn;
    uint64_t seq; /* last change-log seq, read at begin */
    bool wrote_seq;
};

static inline int map_rc(int rc)
{
    switch (rc) {
    case MDB_SUCCESS:
        return 0;
    case MDB_NOTFOUND:
        return CM_ENOTFOUND;
    case MDB_MAP_FULL:
    case MDB_TXN_FULL:
    case ENOSPC:
        return CM_EFULL;
    case ENOMEM:
        return CM_ENOMEM;
    case MDB_CORRUPTED:
    case MDB_PAGE_NOTFOUND:
    case MDB_INVALID:
        return CM_ECORRUPT;
    case MDB_VERSION_MISMATCH:
        return CM_EVERSION;
    case EAGAIN:
    case MDB_READERS_FULL:
        return CM_EBUSY;
    default:
        return CM_EIO;
    }
}

static inline void put_be64(unsigned char *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--) {
        p[i] = (unsigned char)(v & 0xff);
        v >>= 8;
    }
}

static inline uint64_t get_be64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = (v << 8) | p[i];
    return v;
}

static inline int meta_get_u64(MDB_txn *txn, MDB_dbi dbi, const char *name, uint64_t *out)
{
    MDB_val k = {strlen(name), (void *)name}, v;
    int rc = mdb_get(txn, dbi, &k, &v);
    if (rc == MDB_NOTFOUND) {
        *out = 0;
        return 0;
    }
    if (rc)
        return map_rc(rc);
    if (v.mv_size != 8)
        return CM_ECORRUPT;
    *out = get_be64(v.mv_data);
    return 0;
}

static inline int meta_put_u64(MDB_txn *txn, MDB_dbi dbi, const char *name, uint64_t val)
{
    unsigned char b[8];
    put_be64(b, val);
    MDB_val k = {strlen(name), (void *)name}, v = {8, b};
    return map_rc(mdb_put(txn, dbi, &k, &v, 0));
}

/* A read transaction and a cursor on database `db` (the caller closes the cursor and aborts
 * the transaction when done). */
int cm__store_read_cursor(cm__store_t *st, int db, MDB_txn **txn, MDB_cursor **cur);

#endif
