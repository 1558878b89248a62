/* The catalog's snapshot: the matching catalog written to <data>/catalog.snap at a clean close
 * (and every catalog_snapshot_interval_s while the store changes: catalog_keep.c) and read
 * back at the next open, instead of decoding every stored record and analysing its text again
 * (17-27 s for a national store here, 1.6-2.5 s from the snapshot).
 *
 * A snapshot is only ever a copy of what storage says; it is trusted when all of these hold,
 * and otherwise removed and the catalog rebuilt from storage as before:
 *   - its token is the one storage's meta names ("catalog_snap_token", written in a storage
 *     transaction after the file is in place), and its seq is at most storage's last change,
 *     the change log still holding every change since (the index writer trims it no further
 *     than a kept snapshot's seq): those are replayed from storage after the load (a start
 *     after a crash), unless they are more than a quarter of the store (a rebuild on every
 *     core is then sooner); not another store's file (a restored backup names another token,
 *     or none);
 *   - the build that wrote it has this build's fingerprint (cmake/fingerprint.cmake: the
 *     engine's and the shim's sources, the referentials), the same Xapian (its stemmer), and
 *     the same scoring configuration (a candidate's reach depends on it);
 *   - its header and body checksums (CRC-32C) hold.
 * A catalog rebuilt from storage at a server's open is written out and read back at once
 * (cm__catalog_snap_relayout), so that it too is laid out as below, not in storage's order.
 * A loaded snapshot is kept (e->snap_kept) for a start after a crash, until a candidate's
 * erasure removes it (it holds ids and places: no copy outlives an erasure's answer) or a
 * newer one replaces it; a load that replayed a candidate's deletion removes it at once. Its
 * mapping, which the loaded records' text signatures point into (their hash arrays are
 * copied out: "Packed copies" below), lasts until the catalog is destroyed, and its blocks
 * are then freed (the file replaced or removed meanwhile). The slot records are written as
 * this build lays them out in memory (the fingerprint guarantees the reader's layout is the same),
 * followed by their arrays.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "catalog.h"
#include "cmx.h"
#include "engine_impl.h"
#include "fingerprint.h"
#include "store_guard.h"

#define SNAP_FILE "catalog.snap"
#define SNAP_VERSION 1
#define META_TOKEN "catalog_snap_token"
#define META_SEQ "catalog_snap_seq"
#define REPLAY_MIN 100000 /* changes a load replays, whatever the store's size */

typedef struct snap_hdr {
    char magic[8]; /* "CMCATSNP" */
    uint32_t hdr_size, version;
    uint64_t seq, token, n_offers, n_cands, body_len;
    uint64_t cands_off; /* where the candidates start in the body */
    char build[65];     /* CM_BUILD_FINGERPRINT */
    char xapian[23];    /* cmx_xapian_version() */
    uint64_t cfg_crc;
    uint32_t body_crc, hdr_crc; /* hdr_crc: of this header with hdr_crc 0 */
} snap_hdr_t;
_Static_assert(sizeof(snap_hdr_t) == 168, "no padding in the header");

void cm__catalog_snap_path(const cm_engine_t *e, char *out, size_t cap)
{
    snprintf(out, cap, "%s/" SNAP_FILE, e->dir);
}

static void snap_path(const cm_engine_t *e, char *out, size_t cap, const char *suffix)
{
    snprintf(out, cap, "%s/" SNAP_FILE "%s", e->dir, suffix);
}

static void hdr_fill(snap_hdr_t *h, const cm__catalog_t *cat)
{
    memcpy(h->magic, "CMCATSNP", 8);
    h->hdr_size = sizeof *h;
    h->version = SNAP_VERSION;
    snprintf(h->build, sizeof h->build, "%s", CM_BUILD_FINGERPRINT);
    snprintf(h->xapian, sizeof h->xapian, "%s", cmx_xapian_version());
    /* the configuration starts memset (cm__score_config_defaults): its bytes are its value */
    h->cfg_crc = cm__crc32c((const uint8_t *)&cat->cfg, sizeof cat->cfg);
}

/* ---- writing ---- */

typedef struct wr {
    int fd;
    uint8_t buf[1 << 20];
    size_t n;
    uint64_t total;
    uint32_t crc;
    int err; /* errno of the first failure */
} wr_t;

static void wr_flush(wr_t *w)
{
    size_t off = 0;
    w->crc = cm__crc32c_more(w->crc, w->buf, w->n);
    while (off < w->n && !w->err) {
        ssize_t k = write(w->fd, w->buf + off, w->n - off);
        if (k > 0)
            off += (size_t)k;
        else if (k == 0 || errno != EINTR)
            w->err = k == 0 ? EIO : errno;
    }
    w->total += w->n;
    w->n = 0;
}

static void put(wr_t *w, const void *p, size_t n)
{
    const uint8_t *b = p;
    while (n > 0) {
        if (w->n == sizeof w->buf)
            wr_flush(w);
        size_t k = sizeof w->buf - w->n < n ? sizeof w->buf - w->n : n;
        memcpy(w->buf + w->n, b, k);
        w->n += k;
        b += k;
        n -= k;
    }
}

/* Zero bytes up to a multiple of 4 from the body's start: the reader uses the arrays in
 * place, as uint32_t (the body starts 8-aligned in the mapping). */
static void put_align(wr_t *w)
{
    static const uint8_t zero[4];
    size_t off = (size_t)((w->total + w->n) & 3);
    if (off)
        put(w, zero, 4 - off);
}

static void put_id(wr_t *w, const char *id)
{
    uint8_t len = (uint8_t)strnlen(id, CM_ID_MAX);
    put(w, &len, 1);
    put(w, id, len);
}

/* A record: its id, extra and fields as laid out in memory, then its arrays, each 4-aligned:
 * offers: hashes, diploma bits, certification names (a u16 length first), signature;
 * candidates: hashes (skills, certifications, titles, title codes), signature. */
static void put_offer(wr_t *w, const cm__catalog_t *cat, uint32_t slot)
{
    const cm__offer_slot_t *s = &cat->offers[slot];
    const cm__osrch_t *q = &cat->osrch[slot];
    cm__offer_extra_t x = {.day = q->day, .kind = q->kind};
    memcpy(x.dept, s->dept, sizeof x.dept);
    put_id(w, s->id);
    put(w, &x, sizeof x);
    put(w, &s->f, sizeof s->f);
    put_align(w);
    put(w, s->f.hash, ((size_t)s->f.n_skills + s->f.n_certs) * sizeof *s->f.hash);
    put(w, s->f.skill_dip, (size_t)s->f.n_skills * sizeof *s->f.skill_dip);
    uint16_t len = 0;
    const char *name = s->f.cert_names;
    for (uint32_t j = 0; j < s->f.n_certs; j++) {
        size_t l = strlen(name + len) + 1;
        len = (uint16_t)(len + l);
    }
    uint16_t stored = (uint16_t)(len + 1); /* and a NUL: never empty, always ended */
    put(w, &stored, sizeof stored);
    put(w, name, len);
    put(w, "", 1);
    put_align(w);
    put(w, s->f.text.h, (size_t)s->f.text.n * sizeof *s->f.text.h);
}

static void put_cand(wr_t *w, const cm__catalog_t *cat, uint32_t slot)
{
    const cm__cand_slot_t *s = &cat->cands[slot];
    cm__cand_extra_t x = {.active = s->indexed, .n_rome = s->n_rome};
    memcpy(x.dept, s->dept, sizeof x.dept);
    memcpy(x.rome, s->rome, sizeof x.rome);
    put_id(w, s->id);
    put(w, &x, sizeof x);
    put(w, &s->f, sizeof s->f);
    put_align(w);
    put(w, s->f.hash,
        ((size_t)s->f.n_skills + s->f.n_certs + 2u * s->f.n_titles) * sizeof *s->f.hash);
    put(w, s->f.text.h, (size_t)s->f.text.n * sizeof *s->f.text.h);
}

/* The order records are written in, and so the slots and packed arrays the next load gives
 * them: by ROME code (a candidate's first), then by place along a Z-order curve. A match reads
 * the records of a few codes within reach of one place: laid out so, they sit on a few
 * thousand pages instead of one page each over hundreds of MiB (a dense area's match scores
 * up to 20,000 records: with scattered slots, most reads also missed the TLB). Live slots
 * only; each key's low 32 bits are the slot. NULL: out of memory (with *n 0). */
static uint64_t zorder(cm_geo_t p)
{
    /* 16 bits per axis (about 300 m of latitude), interleaved: latitude's bits odd */
    uint64_t y = (uint64_t)(((int64_t)p.lat_e6 + 90000000) * 65535 / 180000000) & 0xffff;
    uint64_t x = (uint64_t)(((int64_t)p.lon_e6 + 180000000) * 65535 / 360000000) & 0xffff;
    uint64_t z = 0;
    for (int b = 0; b < 16; b++)
        z |= (x >> b & 1) << (2 * b) | (y >> b & 1) << (2 * b + 1);
    return z;
}

static int key_cmp(const void *a, const void *b)
{
    const uint64_t *x = a, *y = b;
    return x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] < y[1] ? -1 : x[1] > y[1];
}

static uint64_t *place_order(const cm__catalog_t *cat, bool offers, uint32_t *n)
{
    uint32_t total = offers ? cat->n_offers : cat->n_cands, k = 0;
    uint64_t *keys = malloc(((size_t)total + 1) * 2 * sizeof *keys);
    *n = 0;
    if (!keys)
        return NULL;
    for (uint32_t i = 0; i < total; i++) {
        const cm__offer_slot_t *o = offers ? &cat->offers[i] : NULL;
        const cm__cand_slot_t *c = offers ? NULL : &cat->cands[i];
        if (offers ? !o->live : !c->live)
            continue;
        uint64_t rome = offers ? o->f.rome : c->n_rome ? c->rome[0] : 0;
        keys[2 * k] = rome << 32 | zorder(offers ? o->f.loc : c->f.loc);
        keys[2 * k + 1] = i;
        k++;
    }
    qsort(keys, k, 2 * sizeof *keys, key_cmp);
    for (uint32_t i = 0; i < k; i++) /* the slots, in order, in the first k */
        keys[i] = keys[2 * i + 1];
    *n = k;
    return keys;
}

/* The catalog into path (created 0600, replaced whole by a rename). *bytes: its size. */
static int snap_write(cm__catalog_t *cat, const char *dir, uint64_t seq, uint64_t token,
                      uint64_t *bytes)
{
    char tmp[4300], path[4300];
    snprintf(path, sizeof path, "%s/" SNAP_FILE, dir);
    snprintf(tmp, sizeof tmp, "%s/" SNAP_FILE ".tmp%ld", dir, (long)getpid());
    wr_t *w = calloc(1, sizeof *w);
    if (!w)
        return CM_ENOMEM;
    w->fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (w->fd < 0) {
        free(w);
        return CM_EIO;
    }
    snap_hdr_t h;
    memset(&h, 0, sizeof h);
    hdr_fill(&h, cat);
    h.seq = seq;
    h.token = token;
    if (lseek(w->fd, (off_t)sizeof h, SEEK_SET) < 0)
        w->err = errno;
    pthread_rwlock_rdlock(&cat->lock);
    uint32_t n;
    uint64_t *order = place_order(cat, true, &n); /* no order, no file: never a part left out */
    for (uint32_t i = 0; order && i < n && !w->err; i++, h.n_offers++)
        put_offer(w, cat, (uint32_t)order[i]);
    if (!order)
        w->err = ENOMEM;
    free(order);
    h.cands_off = w->total + w->n;
    order = w->err ? NULL : place_order(cat, false, &n);
    for (uint32_t i = 0; order && i < n && !w->err; i++, h.n_cands++)
        put_cand(w, cat, (uint32_t)order[i]);
    if (!order)
        w->err = w->err ? w->err : ENOMEM;
    free(order);
    pthread_rwlock_unlock(&cat->lock);
    wr_flush(w);
    h.body_len = w->total;
    h.body_crc = w->crc;
    h.hdr_crc = cm__crc32c((const uint8_t *)&h, sizeof h);
    if (!w->err && pwrite(w->fd, &h, sizeof h, 0) != (ssize_t)sizeof h)
        w->err = errno ? errno : EIO;
    /* no fsync: a file torn by a power cut fails its checksums and is rebuilt from storage */
    if (close(w->fd) != 0 && !w->err)
        w->err = errno;
    int err = w->err;
    *bytes = w->total + sizeof h;
    free(w);
    if (err || rename(tmp, path) != 0) {
        unlink(tmp);
        return CM_EIO;
    }
    return 0;
}

/* Write the snapshot and name it in storage (the file first: a crash before leaves the old
 * name). *seq: the storage change it is at. On failure no file is left. No write may run
 * meanwhile (a close, an open, or write_mu held: catalog_keep.c). */
int cm__catalog_snap_write(cm_engine_t *e, uint64_t *seq, uint64_t *bytes)
{
    cm__store_meta_t m;
    uint64_t token = 0;
    int rc = cm__store_meta(e->store, &m);
    if (rc)
        return rc;
    while (token == 0)
        if (getrandom(&token, sizeof token, 0) != (ssize_t)sizeof token)
            return CM_EIO;
    rc = snap_write(e->catalog, e->dir, m.last_seq, token, bytes);
    cm__wtxn_t *w = NULL;
    if (rc == 0 && (rc = cm__store_begin(e->store, &w)) == 0) {
        rc = cm__wtxn_meta_put(w, META_TOKEN, token);
        if (rc == 0)
            rc = cm__wtxn_meta_put(w, META_SEQ, m.last_seq);
        rc = cm__wtxn_end(w, rc, NULL);
    }
    if (rc) {
        char path[4300];
        snap_path(e, path, sizeof path, "");
        unlink(path);
    }
    *seq = m.last_seq;
    return rc;
}

void cm__catalog_snap_save(cm_engine_t *e)
{
    uint64_t seq = 0, bytes = 0;
    if (e->opt.read_only || e->opt.no_catalog_snapshot || !e->ready || !e->catalog_loaded ||
        !e->catalog || e->catalog_error)
        return;
    double t0 = cm__mono_s();
    int rc = cm__catalog_snap_write(e, &seq, &bytes);
    if (rc) {
        cm__log(e, CM_LOG_WARN, "catalog_snapshot_failed",
                "catalog snapshot not written (%s): the next start rebuilds the catalog from "
                "storage",
                cm_strerror(rc));
        return;
    }
    cm__log(e, CM_LOG_INFO, "catalog_saved",
            "catalog snapshot written: %llu bytes, at change %llu, in %.2f s (the next start "
            "loads it)",
            (unsigned long long)bytes, (unsigned long long)seq, cm__mono_s() - t0);
}

int cm__catalog_snap_relayout(cm_engine_t *e)
{
    uint64_t seq = 0, bytes = 0;
    if (e->opt.read_only || e->opt.no_index_thread ||
        e->catalog->n_offers + e->catalog->n_cands < 2)
        return 0;
    double t0 = cm__mono_s();
    int rc = cm__catalog_snap_write(e, &seq, &bytes);
    if (rc) { /* no room on disk, say: the rebuilt catalog serves as it is */
        cm__log(e, CM_LOG_WARN, "catalog_layout_skipped",
                "rebuilt catalog not laid out by place (%s): matching in dense areas is slower "
                "until the next clean stop",
                cm_strerror(rc));
        return 0;
    }
    cm__catalog_t *fresh = NULL;
    if (cm__catalog_create(e->score_cfg, &fresh) != 0) {
        char path[4300];
        snap_path(e, path, sizeof path, "");
        unlink(path); /* the next stop writes one again */
        return 0;
    }
    cm__catalog_destroy(e->catalog);
    e->catalog = fresh;
#ifdef __GLIBC__
    malloc_trim(0); /* the rebuilt catalog's heap, before the copy takes its place */
#endif
    cm__log(e, CM_LOG_INFO, "catalog_laid_out",
            "rebuilt catalog written out in %.2f s (%llu bytes) to be read back laid out by "
            "ROME code and place",
            cm__mono_s() - t0, (unsigned long long)bytes);
    return cm__catalog_snap_load(e);
}

/* ---- reading ---- */

typedef struct rd {
    const uint8_t *p, *end;
} rd_t;

static bool take(rd_t *r, void *out, size_t n)
{
    if ((size_t)(r->end - r->p) < n)
        return false;
    if (n)
        memcpy(out, r->p, n);
    r->p += n;
    return true;
}

static bool take_id(rd_t *r, char id[CM_ID_MAX + 1])
{
    uint8_t len;
    if (!take(r, &len, 1) || len == 0 || len > CM_ID_MAX || !take(r, id, len))
        return false;
    id[len] = '\0';
    return strlen(id) == len;
}

/* n elements of `size` bytes (1, 2 or 4) in place, aligned to their size first (the writer
 * padded u32 arrays: put_align); NULL when the body ends before. */
static void *take_array(rd_t *r, size_t n, size_t size)
{
    uintptr_t pad = (size - ((uintptr_t)r->p & (size - 1))) & (size - 1);
    if ((size_t)(r->end - r->p) < pad || (size_t)(r->end - r->p - pad) / size < n)
        return NULL;
    r->p += pad;
    void *a = (void *)r->p; /* the mapping is read-only: fields never write their arrays */
    r->p += n * size;
    return a;
}

/* Packed copies. The arrays scoring reads for every pair it considers (skill and certificate
 * hashes, the offers' diploma bits) are copied out of the mapping into large anonymous chunks,
 * one record's after the other: read at random, they were several times slower in place
 * (national store, a dense offer -> top 50 candidates: 120 ms against 25 ms after a rebuild;
 * there they sit between copies of their slot structs, over three times the pages; why that
 * costs so much on this machine is not settled, the copies read as fast as a rebuild's). About
 * 100 MB at national scale (RssAnon at rest 381 -> 485 MiB). The text signatures, read for the
 * best few pairs only, stay in the mapping. A chunk is never freed before the catalog: a record
 * replaced since keeps its old bytes until then, as with the mapping. */
#define PACK_CHUNK ((size_t)8 << 20)

typedef struct pack {
    cm__pack_chunk_t *head; /* newest first */
    char *at;
    size_t left;
} pack_t;

/* A copy of len bytes (8-aligned) in k's chunks; NULL: out of memory. An empty array stays
 * where it is (nothing is read from it). */
static void *pack_copy(pack_t *k, const void *src, size_t len)
{
    if (len == 0)
        return (void *)src;
    size_t need = (len + 7) & ~(size_t)7;
    if (need > k->left) {
        size_t sz = need > PACK_CHUNK ? need : PACK_CHUNK;
        cm__pack_chunk_t *c = malloc(sizeof *c + sz);
        if (!c)
            return NULL;
        c->next = k->head;
        k->head = c;
        k->at = c->bytes;
        k->left = sz;
    }
    void *p = k->at;
    memcpy(p, src, len);
    k->at += need;
    k->left -= need;
    return p;
}

/* k's chunks handed to the catalog, which frees them when destroyed (never fails). */
static void pack_give(cm__catalog_t *cat, pack_t *k)
{
    cm__pack_chunk_t *c = k->head;
    while (c && c->next)
        c = c->next;
    if (c) {
        c->next = cat->pack;
        cat->pack = k->head;
    }
    memset(k, 0, sizeof *k);
}

static int load_offer(cm__catalog_t *cat, rd_t *r, pack_t *k)
{
    char id[CM_ID_MAX + 1];
    cm__offer_extra_t x;
    cm__offer_fields_t f;
    uint16_t len;
    if (!take_id(r, id) || !take(r, &x, sizeof x) || !take(r, &f, sizeof f))
        return CM_ECORRUPT;
    size_t ns = f.n_skills, nc = f.n_certs;
    f.borrowed = true;
    f.rome_str[sizeof f.rome_str - 1] = '\0'; /* printed with %s: ended whatever the file says */
    if (ns > 64 || nc > 32 || !(f.hash = take_array(r, ns + nc, sizeof *f.hash)) ||
        !(f.skill_dip = take_array(r, ns, sizeof *f.skill_dip)) || !take(r, &len, sizeof len) ||
        len == 0 || !(f.cert_names = take_array(r, len, 1)) || f.cert_names[len - 1] != '\0' ||
        !(f.text.h = take_array(r, f.text.n, sizeof *f.text.h)))
        return CM_ECORRUPT;
    size_t nul = 0; /* n_certs names, each ended: the readers walk them */
    for (size_t i = 0; i < len; i++)
        nul += f.cert_names[i] == '\0';
    if (nul < nc)
        return CM_ECORRUPT;
    uint32_t *hash = pack_copy(k, f.hash, (ns + nc) * sizeof *f.hash + ns * sizeof *f.skill_dip);
    if (!hash)
        return CM_ENOMEM;
    if (ns) /* after the hashes */
        memcpy(hash + ns + nc, f.skill_dip, ns * sizeof *f.skill_dip);
    f.skill_dip = (uint16_t *)(hash + ns + nc);
    f.hash = hash;
    return cm__catalog_install_offer(cat, id, &f, &x);
}

static int load_cand(cm__catalog_t *cat, rd_t *r, pack_t *k)
{
    char id[CM_ID_MAX + 1];
    cm__cand_extra_t x;
    cm__cand_fields_t f;
    if (!take_id(r, id) || !take(r, &x, sizeof x) || !take(r, &f, sizeof f))
        return CM_ECORRUPT;
    size_t nh = (size_t)f.n_skills + f.n_certs + 2u * f.n_titles;
    f.borrowed = true;
    f.avail_desc[sizeof f.avail_desc - 1] = '\0';
    if (f.n_skills > 64 || f.n_certs > 32 || f.n_titles > CM_TITLES_MAX ||
        x.n_rome > CM_ROMES_MAX || !(f.hash = take_array(r, nh, sizeof *f.hash)) ||
        !(f.text.h = take_array(r, f.text.n, sizeof *f.text.h)))
        return CM_ECORRUPT;
    if (!(f.hash = pack_copy(k, f.hash, nh * sizeof *f.hash)))
        return CM_ENOMEM;
    return cm__catalog_install_candidate(cat, id, &f, &x);
}

/* One section of the body: n records, each read by fn, the whole section used. A record
 * that fails stops it (rc). The checksum is verified apart: parsing is bounds-checked, so
 * a damaged body is met safely and thrown away whole once the checksum says so. */
typedef struct part {
    cm__catalog_t *cat;
    rd_t r;
    uint64_t n;
    int (*fn)(cm__catalog_t *cat, rd_t *r, pack_t *k);
    int rc;
    pack_t pack;
} part_t;

static void *load_part(void *arg)
{
    part_t *p = arg;
    for (uint64_t i = 0; i < p->n && p->rc == 0; i++)
        p->rc = p->fn(p->cat, &p->r, &p->pack);
    if (p->rc == 0 && p->r.p != p->r.end)
        p->rc = CM_ECORRUPT;
    return NULL;
}

/* Map the pages of [p, p + n) ahead of their first write, without changing a byte (the other
 * thread is filling them): one call instead of a page fault per 4 KiB, which in a virtual
 * machine costs more than the load's own work. Advice only: older kernels say EINVAL. */
static void prefault(void *p, size_t n)
{
#ifdef MADV_POPULATE_WRITE
    uintptr_t pg = (uintptr_t)sysconf(_SC_PAGESIZE), lo = ((uintptr_t)p + pg - 1) & ~(pg - 1);
    uintptr_t hi = ((uintptr_t)p + n) & ~(pg - 1);
    if (hi > lo)
        (void)madvise((void *)lo, hi - lo, MADV_POPULATE_WRITE);
#else
    (void)p;
    (void)n;
#endif
}

/* Why the file cannot be used ("" when it can), given what storage says. */
static const char *snap_check(const snap_hdr_t *h, size_t size, const cm__catalog_t *cat,
                              uint64_t token, uint64_t seq, const cm__store_meta_t *m)
{
    snap_hdr_t want, copy = *h;
    memset(&want, 0, sizeof want);
    hdr_fill(&want, cat);
    copy.hdr_crc = 0;
    if (memcmp(h->magic, want.magic, 8) != 0 || h->hdr_size != sizeof *h ||
        h->version != SNAP_VERSION || cm__crc32c((const uint8_t *)&copy, sizeof copy) != h->hdr_crc)
        return "not a catalog snapshot of this format";
    if (h->token != token || h->seq != seq)
        return "storage names another snapshot";
    if (h->seq > m->last_seq)
        return "storage is older than the snapshot";
    if (h->seq < m->trimmed_upto)
        return "storage changed after it was written, and the change log no longer holds it all";
    /* the replay reads and analyses each change on one thread; past a quarter of the store, a
     * rebuild on every core is sooner */
    uint64_t most = (m->offers + m->candidates) / 4;
    if (m->last_seq - h->seq > (most > REPLAY_MIN ? most : REPLAY_MIN))
        return "too many changes since it was written: a rebuild is sooner";
    if (memcmp(h->build, want.build, sizeof want.build) != 0)
        return "written by another build";
    if (memcmp(h->xapian, want.xapian, sizeof want.xapian) != 0)
        return "written with another Xapian";
    if (h->cfg_crc != want.cfg_crc)
        return "written with another scoring configuration";
    if (h->body_len != size - sizeof *h || h->cands_off > h->body_len)
        return "truncated";
    return "";
}

/* Fill the (empty) catalog from the snapshot. *why: why not, when the result is not 0 (the
 * caller then rebuilds from storage, on a new catalog). */
static int snap_read(cm_engine_t *e, const char *path, const char **why, uint64_t *at,
                     uint64_t *last)
{
    uint64_t token, seq;
    cm__store_meta_t m;
    int rc;
    *why = "storage names no snapshot";
    if ((rc = cm__store_meta_get(e->store, META_TOKEN, &token)) != 0 ||
        (rc = cm__store_meta_get(e->store, META_SEQ, &seq)) != 0 ||
        (rc = cm__store_meta(e->store, &m)) != 0) {
        *why = "storage meta unreadable";
        return rc;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT && token == 0)
            *why = "";
        else if (errno == ENOENT)
            *why = "no file (the last stop was not clean)";
        else
            *why = "cannot open the file";
        return CM_ENOTFOUND;
    }
    struct stat sb;
    const snap_hdr_t *h = MAP_FAILED;
    if (fstat(fd, &sb) == 0 && (size_t)sb.st_size >= sizeof *h)
        h = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    close(fd);
    if (h == MAP_FAILED) {
        *why = "cannot read the file";
        return CM_EIO;
    }
    size_t size = (size_t)sb.st_size;
    rc = CM_ECORRUPT;
    *why = snap_check(h, size, e->catalog, token, seq, &m);
    *at = h->seq;
    *last = m.last_seq;
    if (!**why) {
        const uint8_t *body = (const uint8_t *)(h + 1);
        /* counts the body can hold (each record at least its id and structs): no room is
         * made for more than the file could describe, whatever its header says */
        const uint64_t min_o = 2 + sizeof(cm__offer_extra_t) + sizeof(cm__offer_fields_t) + 3;
        const uint64_t min_c = 2 + sizeof(cm__cand_extra_t) + sizeof(cm__cand_fields_t);
        rc = h->n_offers <= h->cands_off / min_o &&
                     h->n_cands <= (h->body_len - h->cands_off) / min_c
                 ? cm__catalog_reserve(e->catalog, (uint32_t)h->n_offers, (uint32_t)h->n_cands)
                 : CM_ECORRUPT;
        e->catalog->snap_map = (void *)h; /* the records borrow from it from now on */
        e->catalog->snap_len = size;
        part_t cands = {.cat = e->catalog,
                        .r = {body + h->cands_off, body + h->body_len},
                        .n = h->n_cands,
                        .fn = load_cand};
        part_t offers = {.cat = e->catalog,
                         .r = {body, body + h->cands_off},
                         .n = h->n_offers,
                         .fn = load_offer};
        pthread_t t;
        /* candidates on a thread of their own; offers, then the checksum, on this one */
        e->catalog->loading = true;
        bool threaded = rc == 0 && pthread_create(&t, NULL, load_part, &cands) == 0;
        if (rc == 0 && !threaded)
            load_part(&cands);
        if (rc == 0)
            prefault(e->catalog->cands, (size_t)e->catalog->cap_cands * sizeof(cm__cand_slot_t));
        if (rc == 0)
            load_part(&offers);
        bool sum_ok = rc == 0 && cm__crc32c(body, h->body_len) == h->body_crc;
        if (threaded)
            pthread_join(t, NULL);
        e->catalog->loading = false;
        pack_give(e->catalog, &offers.pack);
        pack_give(e->catalog, &cands.pack);
        if (rc == 0)
            rc = offers.rc ? offers.rc : cands.rc;
        *why = rc == CM_ENOMEM ? "out of memory" : rc ? "damaged record" : "";
        if (rc == 0 && !sum_ok) {
            rc = CM_ECORRUPT;
            *why = "body checksum failed";
        }
    }
    if (!e->catalog->snap_map)
        munmap((void *)h, size);
    return rc;
}

/* What a save cut short by a crash left (catalog.snap.tmp<pid>). */
static void remove_leftovers(const cm_engine_t *e)
{
    DIR *d = opendir(e->dir);
    struct dirent *de;
    if (!d)
        return;
    while ((de = readdir(d)) != NULL) {
        if (strncmp(de->d_name, SNAP_FILE ".tmp", sizeof SNAP_FILE + 3) == 0)
            unlinkat(dirfd(d), de->d_name, 0);
    }
    closedir(d);
}

int cm__catalog_snap_load(cm_engine_t *e)
{
    char path[4300];
    const char *why;
    snap_path(e, path, sizeof path, "");
    double t0 = cm__mono_s();
    uint64_t at = 0, last = 0, replayed = 0;
    bool erased = false;
    int rc = snap_read(e, path, &why, &at, &last);
    /* the changes since it was written (a start after a crash) */
    if (rc == 0 && at < last && (rc = cm__catalog_snap_replay(e, at, &replayed, &erased)) != 0)
        why = "the changes since could not be replayed";
    bool keep = rc == 0 && !erased;
    if (!e->opt.read_only && !e->opt.no_catalog_snapshot) {
        if (!keep)
            unlink(path); /* useless, or it holds a candidate erased since */
        __atomic_store_n(&e->snap_kept, keep ? at + 1 : 0, __ATOMIC_RELAXED);
        remove_leftovers(e);
    }
    if (rc == 0) {
        cm__log(e, CM_LOG_INFO, "catalog_loaded",
                "catalog loaded from its snapshot in %.2f s (%u offers, %u candidates; %llu "
                "changes since it was written replayed)",
                cm__mono_s() - t0, e->catalog->n_offers, e->catalog->n_cands,
                (unsigned long long)replayed);
        return 0;
    }
    if (*why)
        cm__log(e, CM_LOG_INFO, "catalog_snapshot_unused",
                "catalog snapshot not used (%s): rebuilding the catalog from storage", why);
    /* a partial load is thrown away whole: a rebuild never fills a catalog that holds any */
    cm__catalog_t *fresh = NULL;
    if (e->catalog->n_offers || e->catalog->n_cands || e->catalog->snap_map) {
        if (cm__catalog_create(e->score_cfg, &fresh) != 0)
            return CM_ENOMEM;
        cm__catalog_destroy(e->catalog);
        e->catalog = fresh;
    }
    return CM_ENOTFOUND;
}
