/* Storage guards (store_guard.h): what keeps a damaged storage file or record from being
 * served as if it were whole. */
#include "store_guard.h"
#include "record_internal.h"
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
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
        snprintf(c->first, c->first_size, "%s %.*s", c->offers ? "offer" : "candidate",
                 (int)(klen > CM_ID_MAX ? CM_ID_MAX : klen), (const char *)key);
    return 0;
}

int cm__store_verify(cm__store_t *st, uint64_t *bad, char *first, size_t first_size)
{
    verify_ctx_t c = {true, 0, first, first_size};
    first[0] = '\0';
    int rc = cm__store_each_raw(st, true, verify_one, &c);
    c.offers = false;
    if (rc == 0)
        rc = cm__store_each_raw(st, false, verify_one, &c);
    *bad = c.bad;
    return rc;
}

/* CRC-32C (Castagnoli, reflected 0x82F63B78), one table lookup per byte: a record is a few
 * hundred bytes, and LMDB's own work dominates a read. */
static uint32_t crc_table[256];
static pthread_once_t crc_once = PTHREAD_ONCE_INIT;

static void crc_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? (c >> 1) ^ 0x82F63B78u : c >> 1;
        crc_table[i] = c;
    }
}

uint32_t cm__crc32c(const uint8_t *p, size_t n)
{
    pthread_once(&crc_once, crc_init);
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++)
        c = crc_table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
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
