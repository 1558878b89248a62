/* Storage guards (store_guard.h): what keeps a damaged storage file or record from being
 * served as if it were whole. */
#include "store_guard.h"
#include "record_internal.h"
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int cm__sg_fsync_path(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    int saved = errno;
    close(fd);
    errno = saved;
    return rc;
}

int cm__sg_check_file_size(MDB_env *env, const char *path, cm_error *err)
{
    MDB_envinfo info;
    MDB_stat ms;
    int fd;
    struct stat sb;
    /* mdb_env_info reads the meta page, which mdb_env_open has checked is in the file */
    int rc = mdb_env_info(env, &info);
    if (rc == 0)
        rc = mdb_env_stat(env, &ms);
    if (rc == 0)
        rc = mdb_env_get_fd(env, &fd);
    if (rc)
        return cm_error_set(err, CM_EIO, NULL, "cannot inspect storage %s: %s", path,
                            mdb_strerror(rc));
    if (fstat(fd, &sb) != 0)
        return cm_error_set(err, CM_EIO, NULL, "cannot stat %s/data.mdb: %s", path,
                            strerror(errno));
    uint64_t need = ((uint64_t)info.me_last_pgno + 1) * ms.ms_psize;
    if ((uint64_t)sb.st_size < need)
        return cm_error_set(err, CM_ECORRUPT, NULL,
                            "storage file truncated (%llu bytes, its pages need %llu: a copy "
                            "cut short?): restore data.mdb from a backup (carematch backup); "
                            "file %s/data.mdb",
                            (unsigned long long)sb.st_size, (unsigned long long)need, path);
    return 0;
}

int cm__sg_write_marker(const char *marker)
{
    char dir[4200];
    int fd = open(marker, O_WRONLY | O_CREAT | O_CLOEXEC, 0640);
    if (fd < 0)
        return CM_EIO;
    int rc = fsync(fd);
    close(fd);
    snprintf(dir, sizeof dir, "%s", marker);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    if (rc != 0 || cm__sg_fsync_path(dir) != 0)
        return CM_EIO;
    return 0;
}

int cm__sg_check_held(const char *marker, uint64_t last_seq, bool writable, bool *held,
                      cm_error *err)
{
    *held = access(marker, F_OK) == 0;
    if (last_seq == 0 && *held)
        return cm_error_set(err, CM_ECORRUPT, NULL,
                            "storage is empty but held records (data.mdb lost or emptied): "
                            "restore data.mdb from a backup (carematch backup), or remove %s "
                            "to start empty on purpose",
                            marker);
    if (last_seq > 0 && !*held && writable) {
        if (cm__sg_write_marker(marker) != 0)
            return cm_error_set(err, CM_EIO, NULL, "cannot write %s: %s", marker,
                                strerror(errno));
        *held = true;
    }
    return 0;
}

typedef struct verify_ctx {
    bool offers;
    uint64_t bad;
    char *first;
    size_t first_size;
    cm__store_t *st;
} verify_ctx_t;

/* One stored value through its frame and the codec; a failure is counted, not returned. */
static int verify_one(void *arg, const void *key, size_t klen, const void *val, size_t vlen)
{
    verify_ctx_t *c = arg;
    const uint8_t *rec;
    size_t len;
    uint64_t version;
    int rc = cm__frame_open(val, vlen, &rec, &len);
    if (rc == 0)
        rc = cm__record_version(rec, len, c->offers, &version);
    if (rc == 0 && c->offers) {
        cm_offer_t *o;
        if ((rc = cm_offer_decode(rec, len, &o)) == 0)
            cm_offer_free(o);
    } else if (rc == 0) {
        cm_candidate_t *cd;
        if ((rc = cm_candidate_decode(rec, len, &cd)) == 0)
            cm_candidate_free(cd);
    }
    if (rc == CM_ENOMEM)
        return rc;
    if (rc && c->bad++ == 0)
        cm__store_damaged_name(c->first, c->first_size, c->offers, key, klen);
    if (rc)
        cm__store_tell_damaged(c->st, c->offers, key, klen);
    return 0;
}

int cm__store_verify(cm__store_t *st, uint64_t *bad, char *first, size_t first_size)
{
    verify_ctx_t c = {true, 0, first, first_size, st};
    first[0] = '\0';
    int rc = cm__store_each_raw(st, true, verify_one, &c);
    c.offers = false;
    if (rc == 0)
        rc = cm__store_each_raw(st, false, verify_one, &c);
    *bad = c.bad;
    return rc;
}

/* The snapshot of env's oldest reader, `oldest` when none is older (mdb_reader_list's lines:
 * "pid thread txnid", "-" for a slot not in a transaction; its header line does not parse). */
static int oldest_reader(const char *msg, void *ctx)
{
    uint64_t *oldest = ctx;
    unsigned long long pid, tid;
    char id[32];
    if (sscanf(msg, "%llu %llx %31s", &pid, &tid, id) == 3 && id[0] != '-') {
        char *end;
        unsigned long long t = strtoull(id, &end, 10);
        if (*end == '\0' && t < *oldest)
            *oldest = t;
    }
    return 0;
}

/* The last transaction, and the oldest snapshot a reader holds (*last when none is older; 0
 * when the reader table cannot be read). Slots of readers whose process died (a CLI export
 * killed) are cleared first: until then they kept their snapshot's pages from every write,
 * and the scrub waited for them for good. An LMDB code. */
static int snapshots(MDB_env *env, uint64_t *last, uint64_t *oldest)
{
    MDB_envinfo info;
    int dead = 0;
    (void)mdb_reader_check(env, &dead);
    int rc = mdb_env_info(env, &info);
    if (rc)
        return rc;
    *last = *oldest = info.me_last_txnid;
    if (mdb_reader_list(env, oldest_reader, oldest) < 0)
        *oldest = 0;
    return 0;
}

/* A reader's snapshot older than the last transaction: the pages freed since are kept from
 * reuse (or the reader table cannot be read). */
static bool reader_behind(MDB_env *env)
{
    uint64_t last, oldest;
    return snapshots(env, &last, &oldest) != 0 || oldest < last;
}

typedef struct free_count {
    uint64_t reusable; /* pages the next write transaction can reuse */
    uint64_t upto;     /* of which in records <= the `upto` asked */
    uint64_t kept;     /* pages in records <= `upto` a reader keeps */
} free_count_t;

/* The freelist (LMDB's database 0, key: the id of the transaction that freed the pages,
 * value: a page-number list led by its length) counted in a read transaction. The next write
 * transaction reuses a record's pages only when its key is below both the last transaction
 * and every reader's snapshot (mdb_page_alloc: older snapshots may still read them), and
 * takes records in key order: a record kept by a reader stops it there, and the pages it
 * still needs come from the end of the file. LMDB opens cursors on database 0 in read
 * transactions only. */
static int count_free(MDB_env *env, uint64_t upto, free_count_t *fc)
{
    MDB_txn *txn;
    MDB_cursor *cur;
    MDB_val k, v;
    uint64_t last, below; /* below 0, readers unknown: nothing counted reusable (it waits) */
    fc->reusable = fc->upto = fc->kept = 0;
    int rc = mdb_txn_begin(env, NULL, MDB_RDONLY, &txn);
    if (rc)
        return rc;
    if ((rc = snapshots(env, &last, &below)) != 0 || (rc = mdb_cursor_open(txn, 0, &cur)) != 0) {
        mdb_txn_abort(txn);
        return rc;
    }
    for (MDB_cursor_op op = MDB_FIRST; (rc = mdb_cursor_get(cur, &k, &v, op)) == 0;
         op = MDB_NEXT) {
        size_t key = 0, n = 0;
        if (k.mv_size == sizeof key)
            memcpy(&key, k.mv_data, sizeof key);
        if (v.mv_size >= sizeof n)
            memcpy(&n, v.mv_data, sizeof n);
        if ((uint64_t)key > upto && (uint64_t)key >= below)
            break;                  /* keys ascend */
        if ((uint64_t)key >= below) /* LMDB goes no further */
            fc->kept += n;
        else
            fc->reusable += n;
        if ((uint64_t)key <= upto && (uint64_t)key < below)
            fc->upto += n;
    }
    mdb_cursor_close(cur);
    mdb_txn_abort(txn);
    return rc == MDB_NOTFOUND ? 0 : rc;
}

/* One write transaction: fn(txn, arg), committed. */
static int in_txn(MDB_env *env, int (*fn)(MDB_txn *, void *), void *arg)
{
    MDB_txn *txn;
    int rc = mdb_txn_begin(env, NULL, 0, &txn);
    if (rc)
        return rc;
    if ((rc = fn(txn, arg)) != 0) {
        mdb_txn_abort(txn);
        return rc;
    }
    return mdb_txn_commit(txn);
}

static int touch(MDB_txn *txn, void *arg)
{
    (void)arg;
    MDB_dbi dbi;
    int rc = mdb_dbi_open(txn, "scrub_turn", MDB_CREATE, &dbi);
    MDB_val k = {4, "turn"}, v = {1, "1"};
    return rc ? rc : mdb_put(txn, dbi, &k, &v, 0);
}

#define SCRUB_DRAIN_PAGES 4096 /* 16 MiB of 4 KiB pages: see drain_buffers */
/* Pages one fill transaction writes at most (a drain's, 16 MiB), and fills one scrub runs at
 * most (128 MiB; the rest at the next retry). LMDB keeps the buffers of a transaction's dirty
 * pages for the environment's life (me_dpages): the largest fill is memory held for good. */
#define SCRUB_CHUNK_PAGES SCRUB_DRAIN_PAGES
#define SCRUB_MAX_CHUNKS 8 /* a pass: fill 1's and fill 2's together */

/* `pages` pages of zeros: values of one overflow page each (psize - 16 bytes) reserved and
 * zeroed, which LMDB takes from its reusable free pages, oldest first, before it grows the
 * file. They are written at this commit and dropped by the next transaction (pages freed
 * in the transaction that wrote them would never reach the disk). */
static int fill(MDB_txn *txn, void *arg)
{
    MDB_env *env = mdb_txn_env(txn);
    MDB_stat ms;
    MDB_dbi dbi;
    uint64_t pages = *(uint64_t *)arg;
    int rc = mdb_env_stat(env, &ms);
    if (rc == 0)
        rc = mdb_dbi_open(txn, "scrub", MDB_CREATE, &dbi);
    /* emptied first: a crash between a fill's commit and its drop's left it full, and every
     * append of key 1 after that failed (MDB_KEYEXIST), each erasure's preparation and scrub
     * with it, for good (outside probe: kill -9 under writes, then DELETEs answered 204 with
     * the erased text left on disk) */
    MDB_stat left;
    if (rc == 0 && (rc = mdb_stat(txn, dbi, &left)) == 0 && left.ms_entries > 0)
        rc = mdb_drop(txn, dbi, 0);
    for (uint64_t i = 0; rc == 0 && i < pages; i++) {
        /* big-endian: MDB_APPEND needs keys in LMDB's byte order (little-endian ones broke
         * at the 256th page, MDB_KEYEXIST, and no scrub past 255 free pages ever ran) */
        uint8_t key[8];
        for (int b = 0; b < 8; b++)
            key[b] = (uint8_t)((i + 1) >> (56 - 8 * b));
        MDB_val k = {sizeof key, key}, v = {ms.ms_psize - 16, NULL};
        rc = mdb_put(txn, dbi, &k, &v, MDB_RESERVE | MDB_APPEND);
        if (rc == 0)
            memset(v.mv_data, 0, v.mv_size);
    }
    return rc;
}

int cm__sg_clear_fill(MDB_txn *txn)
{
    MDB_dbi dbi;
    MDB_stat left;
    int rc = mdb_dbi_open(txn, "scrub", 0, &dbi);
    if (rc == MDB_NOTFOUND)
        return 0;
    if (rc == 0 && (rc = mdb_stat(txn, dbi, &left)) == 0 && left.ms_entries > 0)
        rc = mdb_drop(txn, dbi, 0);
    return rc;
}

static int drop(MDB_txn *txn, void *arg)
{
    (void)arg;
    MDB_dbi dbi;
    int rc = mdb_dbi_open(txn, "scrub", MDB_CREATE, &dbi);
    return rc ? rc : mdb_drop(txn, dbi, 0);
}

/* `pages` zeroed pages written (fill), then dropped: the scrub's and the erasure's
 * preparation's one step. An LMDB code. */
static int fill_and_drop(MDB_env *env, uint64_t pages)
{
    int rc = in_txn(env, fill, &pages);
    return rc ? rc : in_txn(env, drop, NULL);
}

/* Zero LMDB's recycled page buffers, which it hands out without clearing them (me_dpages, a
 * stack): a page written later copies only its used part into one, and the rest of a buffer
 * that held an erased record would go to disk in the gap of a live page. A fill of
 * SCRUB_DRAIN_PAGES takes as many buffers and zeroes them (a bulk batch dirties about 1,000).
 * Committed (and dropped), it also overwrites the free pages it takes; but while a reader's
 * older snapshot keeps pages, those come from the end of the file: until 2026-12 that grew
 * the file by 34 MB an erasure, for good (outside probe: 17 MB -> 409 MB after 12 erasures
 * during an export). Then the fill's transaction is aborted instead: the abort hands the
 * buffers back zeroed, and nothing reaches the file. An LMDB code. */
static int drain_buffers(MDB_env *env)
{
    if (!reader_behind(env))
        return fill_and_drop(env, SCRUB_DRAIN_PAGES);
    MDB_txn *txn;
    uint64_t pages = SCRUB_DRAIN_PAGES;
    int rc = mdb_txn_begin(env, NULL, 0, &txn);
    if (rc)
        return rc;
    rc = fill(txn, &pages);
    mdb_txn_abort(txn);
    return rc;
}

typedef struct retouch {
    const MDB_dbi *dbis;
    int n;
} retouch_t;

/* The last record of each database written again as it is: its leaf and branch pages are
 * copied anew (from zeroed buffers), their old copies freed for the scrub. */
static int retouch(MDB_txn *txn, void *arg)
{
    const retouch_t *r = arg;
    int rc = 0;
    for (int i = 0; rc == 0 && i < r->n; i++) {
        MDB_cursor *cur;
        MDB_val k, v;
        if ((rc = mdb_cursor_open(txn, r->dbis[i], &cur)) != 0)
            break;
        rc = mdb_cursor_get(cur, &k, &v, MDB_LAST);
        if (rc == 0) {
            void *copy = malloc(v.mv_size ? v.mv_size : 1); /* v points into the map */
            if (!copy) {
                rc = ENOMEM;
            } else {
                memcpy(copy, v.mv_data, v.mv_size);
                MDB_val nv = {v.mv_size, copy};
                rc = mdb_cursor_put(cur, &k, &nv, MDB_CURRENT);
                free(copy);
            }
        } else if (rc == MDB_NOTFOUND) {
            rc = 0;
        }
        mdb_cursor_close(cur);
    }
    return rc;
}

int cm__sg_prepare_erasure(MDB_env *env, const MDB_dbi *dbis, int n)
{
    retouch_t r = {dbis, n};
    int rc = drain_buffers(env);
    if (rc == 0)
        rc = in_txn(env, retouch, &r);
    return rc == 0 ? 0 : rc == MDB_MAP_FULL ? CM_EFULL : CM_EIO;
}

/* Fill `n` pages in fills of at most SCRUB_CHUNK_PAGES, *chunks of them at most (counted
 * down: 0 once the pass has run all it may). An LMDB code. */
static int fill_chunks(MDB_env *env, uint64_t n, int *chunks, bool *all)
{
    int rc = 0;
    for (; rc == 0 && n && *chunks > 0; --*chunks) {
        uint64_t k = n < SCRUB_CHUNK_PAGES ? n : SCRUB_CHUNK_PAGES;
        rc = fill_and_drop(env, k);
        n -= k;
    }
    if (n)
        *all = false;
    return rc;
}

/* Until 2026-12 the scrub filled every free page below the last transaction, reusable or
 * not, in one transaction, and the index writer retried it after each batch while a reader
 * kept some: each fill took the pages readers kept from the end of the file, its drop freed
 * them all, and the next fill counted them too (and the fill's own tree, 1/156 more each
 * time). Under reads and erasures (the soak) the file and the memory grew without end, 1.5 MB
 * a second, and requests slowed down fourfold.
 *
 * Now the target is the freelist records up to `*upto` (those the next transaction can reuse
 * once the erasure's own record is; fixed at the first call). LMDB hands out the pages of a
 * record it loaded, then loads the next (oldest first), and saves what a transaction left of
 * them under old keys: only a fill that uses up every reusable page leaves none of them
 * unwritten. Fill 1 takes all reusable pages but room for its own tree (nothing then comes
 * from the end of the file); fill 2 takes all that is left, a few pages, and only its own
 * tree (a page or two) comes from the end of the file. A retry fills only once a reader has
 * let some of those records go. */
int cm__sg_scrub(MDB_env *env, uint64_t *upto, bool drain, bool *covered)
{
    free_count_t fc = {0, 0, 0};
    bool all = true;
    *covered = false;
    int rc = 0;
    if (drain) {
        /* the buffers the erasure's transaction leaves, zeroed before any other write takes
         * one; then, the erasure's own record being reusable from the second transaction
         * after it on (LMDB keeps two snapshots on disk), turns while fewer have passed */
        MDB_envinfo info;
        rc = drain_buffers(env);
        if (rc == 0 && (rc = mdb_env_info(env, &info)) == 0)
            for (uint64_t t = info.me_last_txnid; rc == 0 && t < *upto + 2; t++)
                rc = in_txn(env, touch, NULL);
        if (rc == 0 && (rc = mdb_env_info(env, &info)) == 0)
            *upto = info.me_last_txnid - 1; /* the last one's record: reusable from the next */
    }
    if (rc == 0)
        rc = count_free(env, *upto, &fc);
    if (rc == 0 && fc.upto) {
        uint64_t n = fc.reusable - fc.reusable / 64 - (fc.reusable > 64 ? 16 : 0);
        int chunks = SCRUB_MAX_CHUNKS;
        rc = fill_chunks(env, n, &chunks, &all);
        free_count_t left;
        if (rc == 0 && all && n < fc.reusable && (rc = count_free(env, *upto, &left)) == 0)
            rc = fill_chunks(env, left.reusable, &chunks, &all);
    }
    /* covered when the fills ran to their end and a reader kept none of those records */
    *covered = rc == 0 && all && fc.kept == 0;
    return rc == 0 ? 0 : rc == MDB_MAP_FULL ? CM_EFULL : CM_EIO;
}

/* CRC-32C (Castagnoli, reflected 0x82F63B78). Every record read checks one, and a catalog
 * snapshot (catalog_snap.c) is hundreds of megabytes: the SSE4.2 instruction where the CPU has
 * it (8 bytes a cycle or so), else slicing by 8 (eight tables, 8 bytes a step). */
static uint32_t crc_table[8][256];
static bool crc_hw_ok;
static pthread_once_t crc_once = PTHREAD_ONCE_INIT;

static void crc_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? (c >> 1) ^ 0x82F63B78u : c >> 1;
        crc_table[0][i] = c;
    }
    for (uint32_t i = 0; i < 256; i++)
        for (int t = 1; t < 8; t++)
            crc_table[t][i] = (crc_table[t - 1][i] >> 8) ^ crc_table[0][crc_table[t - 1][i] & 0xFF];
#if defined(__x86_64__) && defined(__GNUC__)
    crc_hw_ok = __builtin_cpu_supports("sse4.2");
#endif
}

static uint32_t crc_sw(uint32_t c, const uint8_t *p, size_t n)
{
    for (; n >= 8; p += 8, n -= 8) {
        uint32_t lo = c ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                           (uint32_t)p[3] << 24);
        c = crc_table[7][lo & 0xFF] ^ crc_table[6][(lo >> 8) & 0xFF] ^
            crc_table[5][(lo >> 16) & 0xFF] ^ crc_table[4][lo >> 24] ^ crc_table[3][p[4]] ^
            crc_table[2][p[5]] ^ crc_table[1][p[6]] ^ crc_table[0][p[7]];
    }
    while (n--)
        c = crc_table[0][(c ^ *p++) & 0xFF] ^ (c >> 8);
    return c;
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <nmmintrin.h>
__attribute__((target("sse4.2"))) static uint32_t crc_hw(uint32_t c, const uint8_t *p, size_t n)
{
    uint64_t c64 = c;
    for (; n >= 8; p += 8, n -= 8) {
        uint64_t v;
        memcpy(&v, p, 8); /* unaligned: memcpy is one load */
        c64 = _mm_crc32_u64(c64, v);
    }
    c = (uint32_t)c64;
    while (n--)
        c = _mm_crc32_u8(c, *p++);
    return c;
}
#endif

uint32_t cm__crc32c_portable(const uint8_t *p, size_t n)
{
    pthread_once(&crc_once, crc_init);
    return crc_sw(0xFFFFFFFFu, p, n) ^ 0xFFFFFFFFu;
}

uint32_t cm__crc32c_more(uint32_t crc, const uint8_t *p, size_t n)
{
    pthread_once(&crc_once, crc_init);
#if defined(__x86_64__) && defined(__GNUC__)
    if (crc_hw_ok)
        return crc_hw(crc ^ 0xFFFFFFFFu, p, n) ^ 0xFFFFFFFFu;
#endif
    return crc_sw(crc ^ 0xFFFFFFFFu, p, n) ^ 0xFFFFFFFFu;
}

uint32_t cm__crc32c(const uint8_t *p, size_t n)
{
    return cm__crc32c_more(0, p, n);
}

void cm__frame_write(uint8_t *dst, const uint8_t *rec, size_t len)
{
    uint32_t c = cm__crc32c(rec, len);
    dst[0] = CM__FRAME_MAGIC;
    for (int i = 0; i < 4; i++)
        dst[1 + i] = (uint8_t)(c >> (8 * i));
    memcpy(dst + CM__FRAME_HDR, rec, len);
}

int cm__frame_open(const void *val, size_t vlen, const uint8_t **rec, size_t *len)
{
    const uint8_t *v = val;
    if (vlen == 0 || v[0] != CM__FRAME_MAGIC) { /* written before frames: as it is */
        *rec = v;
        *len = vlen;
        return 0;
    }
    if (vlen < CM__FRAME_HDR)
        return CM_ECORRUPT;
    uint32_t want = 0;
    for (int i = 0; i < 4; i++)
        want |= (uint32_t)v[1 + i] << (8 * i);
    if (cm__crc32c(v + CM__FRAME_HDR, vlen - CM__FRAME_HDR) != want)
        return CM_ECORRUPT;
    *rec = v + CM__FRAME_HDR;
    *len = vlen - CM__FRAME_HDR;
    return 0;
}
