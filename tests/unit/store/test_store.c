/* LMDB store: records and change log in one transaction, conditional writes, erasure of
 * events, change-log trimming, map full, the unused secondary databases of format 1 dropped. */
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store.h"
#include "store_guard.h"
#include "test.h"

static cm_offer_t *offer(const char *id, const char *rome, double lat, double lon)
{
    char json[512];
    cm_offer_t *o = NULL;
    cm_error err = {0};
    snprintf(json, sizeof json,
             "{\"id\":\"%s\",\"title\":\"Aide-soignant de nuit\",\"rome\":\"%s\","
             "\"location\":{\"lat\":%f,\"lon\":%f,\"postcode\":\"75011\"},\"contract\":\"CDI\"}",
             id, rome, lat, lon);
    int rc = cm_offer_from_json(json, strlen(json), NULL, &o, &err);
    if (rc)
        CM_FAIL_("offer_from_json: %s (%s: %s)", cm_strerror(rc), err.field, err.message);
    return o;
}

static cm_candidate_t *cand(const char *id)
{
    char json[512];
    cm_candidate_t *c = NULL;
    cm_error err = {0};
    snprintf(json, sizeof json,
             "{\"id\":\"%s\",\"location\":{\"lat\":48.81,\"lon\":2.36},"
             "\"desired_rome\":[\"J1501\",\"K1311\"],\"certifications\":[\"DEAES\"]}",
             id);
    int rc = cm_candidate_from_json(json, strlen(json), NULL, &c, &err);
    if (rc)
        CM_FAIL_("candidate_from_json: %s (%s: %s)", cm_strerror(rc), err.field, err.message);
    return c;
}

static int count_changes(void *arg, uint64_t seq, char kind, char op, const char *id)
{
    (void)seq;
    (void)kind;
    (void)op;
    (void)id;
    (*(int *)arg)++;
    return 0;
}

static uint64_t first_seq_after(cm__store_t *st, uint64_t after);
static int first_cb(void *arg, uint64_t seq, char kind, char op, const char *id)
{
    (void)kind;
    (void)op;
    (void)id;
    *(uint64_t *)arg = seq;
    return 1; /* stop */
}
static uint64_t first_seq_after(cm__store_t *st, uint64_t after)
{
    uint64_t s = 0;
    int rc = cm__store_changes(st, after, 1, first_cb, &s);
    ASSERT(rc == 0 || rc == 1);
    return s;
}

static int count_events(void *arg, const cm_event_t *ev)
{
    (void)ev;
    (*(int *)arg)++;
    return 0;
}

static void put_offer(cm__store_t *st, cm_offer_t *o, uint64_t if_version, int want,
                      bool *created)
{
    cm__wtxn_t *w;
    ASSERT_OK(cm__store_begin(st, &w));
    int rc = cm__wtxn_put_offer(w, o, if_version, created);
    if (rc) {
        cm__wtxn_abort(w);
    } else {
        rc = cm__wtxn_commit(w, NULL);
    }
    ASSERT_RC(rc, want);
}

static void test_records(void)
{
    const char *dir = cm_test_tmpdir("store");
    cm__store_t *st;
    cm_error err = {0};
    ASSERT_OK(cm__store_open(dir, 0, false, &st, &err));
    cm_offer_t *o = offer("off-1", "J1501", 48.8589, 2.38);
    bool created = false;
    put_offer(st, o, 0, 0, &created);
    ASSERT(created);
    ASSERT_EQ(o->version, 1);

    /* replace with another ROME: the version goes up */
    cm_offer_t *o2 = offer("off-1", "K1311", 45.76, 4.83);
    put_offer(st, o2, 0, 0, &created);
    ASSERT(!created);
    ASSERT_EQ(o2->version, 2);

    /* conditional writes */
    cm_offer_t *o3 = offer("off-1", "K1311", 45.76, 4.83);
    put_offer(st, o3, CM_IF_ABSENT, CM_EEXIST, NULL);
    put_offer(st, o3, 1, CM_EEXIST, NULL);
    put_offer(st, o3, 2, 0, NULL);
    ASSERT_EQ(o3->version, 3);
    cm_offer_t *fresh = offer("off-2", "J1501", 43.3, 5.4);
    put_offer(st, fresh, 7, CM_EEXIST, NULL); /* If-Match on an absent record */
    put_offer(st, fresh, CM_IF_ABSENT, 0, NULL);

    cm_offer_t *got;
    ASSERT_OK(cm__store_get_offer(st, "off-1", &got));
    ASSERT_STREQ(got->rome, "K1311");
    ASSERT_EQ(got->version, 3);
    cm_offer_free(got);

    /* delete: the record and a change-log entry */
    cm__store_meta_t m0, m1;
    ASSERT_OK(cm__store_meta(st, &m0));
    cm__wtxn_t *w;
    ASSERT_OK(cm__store_begin(st, &w));
    ASSERT_OK(cm__wtxn_del_offer(w, "off-1", 0));
    ASSERT_OK(cm__wtxn_commit(w, NULL));
    ASSERT_RC(cm__store_get_offer(st, "off-1", &got), CM_ENOTFOUND);
    ASSERT_OK(cm__store_meta(st, &m1));
    ASSERT_EQ(m1.last_seq, m0.last_seq + 1);
    ASSERT_EQ(m1.offers, 1);
    ASSERT_OK(cm__store_begin(st, &w));
    ASSERT_RC(cm__wtxn_del_offer(w, "off-1", 0), CM_ENOTFOUND);
    cm__wtxn_abort(w);

    cm_offer_free(o);
    cm_offer_free(o2);
    cm_offer_free(o3);
    cm_offer_free(fresh);
    cm__store_close(st);
}

static void test_events_and_erasure(void)
{
    const char *dir = cm_test_tmpdir("store-ev");
    cm__store_t *st;
    cm_error err = {0};
    ASSERT_OK(cm__store_open(dir, 0, false, &st, &err));
    cm_candidate_t *a = cand("cand-a"), *b = cand("cand-b");
    cm_offer_t *o = offer("off-9", "J1501", 48.85, 2.35);
    cm__wtxn_t *w;
    ASSERT_OK(cm__store_begin(st, &w));
    ASSERT_OK(cm__wtxn_put_candidate(w, a, 0, NULL));
    ASSERT_OK(cm__wtxn_put_candidate(w, b, 0, NULL));
    ASSERT_OK(cm__wtxn_put_offer(w, o, 0, NULL));
    ASSERT_OK(cm__wtxn_commit(w, NULL));

    cm_event_t ev = {.kind = CM_EVENT_PROPOSED, .at = 1767225600};
    strcpy(ev.candidate_id, "cand-a");
    strcpy(ev.offer_id, "off-9");
    uint64_t seq = 0;
    for (int i = 0; i < 3; i++) {
        ASSERT_OK(cm__store_begin(st, &w));
        ASSERT_OK(cm__wtxn_add_event(w, &ev, &seq, &err));
        ASSERT_OK(cm__wtxn_commit(w, NULL));
    }
    ASSERT_EQ(seq, 3);
    strcpy(ev.candidate_id, "cand-b");
    ASSERT_OK(cm__store_begin(st, &w));
    ASSERT_OK(cm__wtxn_add_event(w, &ev, &seq, &err));
    ASSERT_OK(cm__wtxn_commit(w, NULL));

    /* unknown candidate or offer: refused with the field named */
    strcpy(ev.candidate_id, "nobody");
    ASSERT_OK(cm__store_begin(st, &w));
    ASSERT_RC(cm__wtxn_add_event(w, &ev, NULL, &err), CM_ENOTFOUND);
    ASSERT_STREQ(err.field, "candidate_id");
    strcpy(ev.candidate_id, "cand-a");
    strcpy(ev.offer_id, "no-offer");
    ASSERT_RC(cm__wtxn_add_event(w, &ev, NULL, &err), CM_ENOTFOUND);
    ASSERT_STREQ(err.field, "offer_id");
    cm__wtxn_abort(w);

    int nev = 0;
    ASSERT_OK(cm__store_each_event(st, count_events, &nev));
    ASSERT_EQ(nev, 4);

    /* right to erasure: the candidate and its events */
    ASSERT_OK(cm__store_begin(st, &w));
    ASSERT_OK(cm__wtxn_del_candidate(w, "cand-a", 0));
    ASSERT_OK(cm__wtxn_commit(w, NULL));
    cm_candidate_t *got;
    ASSERT_RC(cm__store_get_candidate(st, "cand-a", &got), CM_ENOTFOUND);
    ASSERT_OK(cm__store_get_candidate(st, "cand-b", &got));
    cm_candidate_free(got);
    nev = 0;
    ASSERT_OK(cm__store_each_event(st, count_events, &nev));
    ASSERT_EQ(nev, 1); /* cand-b's event stays */

    cm_candidate_free(a);
    cm_candidate_free(b);
    cm_offer_free(o);
    cm__store_close(st);
}

static void test_changelog_trim(void)
{
    const char *dir = cm_test_tmpdir("store-log");
    cm__store_t *st;
    cm_error err = {0};
    ASSERT_OK(cm__store_open(dir, 0, false, &st, &err));
    for (int i = 0; i < 10; i++) {
        char id[16];
        snprintf(id, sizeof id, "o%d", i);
        cm_offer_t *o = offer(id, "J1501", 48.0 + i * 0.01, 2.0);
        put_offer(st, o, 0, 0, NULL);
        cm_offer_free(o);
    }
    int n = 0;
    ASSERT_OK(cm__store_changes(st, 0, 100, count_changes, &n));
    ASSERT_EQ(n, 10);
    n = 0;
    ASSERT_OK(cm__store_changes(st, 4, 100, count_changes, &n));
    ASSERT_EQ(n, 6);
    n = 0;
    ASSERT_OK(cm__store_changes(st, 0, 3, count_changes, &n));
    ASSERT_EQ(n, 3);
    cm__wtxn_t *w;
    ASSERT_OK(cm__store_begin(st, &w));
    ASSERT_OK(cm__wtxn_trim_changelog(w, 7));
    ASSERT_OK(cm__wtxn_commit(w, NULL));
    cm__store_meta_t m;
    ASSERT_OK(cm__store_meta(st, &m));
    ASSERT_EQ(m.trimmed_upto, 7);
    ASSERT_EQ(m.last_seq, 10);
    ASSERT_EQ(m.changelog, 3);
    ASSERT_EQ(first_seq_after(st, 0), 8);
    cm__store_close(st);
    /* the sequence survives a reopen and keeps growing */
    ASSERT_OK(cm__store_open(dir, 0, false, &st, &err));
    cm_offer_t *o = offer("o-next", "J1501", 48.5, 2.0);
    put_offer(st, o, 0, 0, NULL);
    cm_offer_free(o);
    ASSERT_EQ(first_seq_after(st, 10), 11);
    cm__store_close(st);
}

static void test_map_full(void)
{
    const char *dir = cm_test_tmpdir("store-full");
    cm__store_t *st;
    cm_error err = {0};
    ASSERT_OK(cm__store_open(dir, 256 * 1024, false, &st, &err));
    int i, rc = 0, stored = 0;
    for (i = 0; i < 100000 && rc == 0; i++) {
        char id[16];
        snprintf(id, sizeof id, "o%06d", i);
        cm_offer_t *o = offer(id, "J1501", 48.0, 2.0);
        cm__wtxn_t *w;
        rc = cm__store_begin(st, &w);
        if (rc == 0) {
            rc = cm__wtxn_put_offer(w, o, 0, NULL);
            if (rc)
                cm__wtxn_abort(w);
            else
                rc = cm__wtxn_commit(w, NULL);
        }
        if (rc == 0)
            stored++;
        cm_offer_free(o);
    }
    ASSERT_RC(rc, CM_EFULL);
    ASSERT(stored > 10);
    /* reads go on, nothing stored is lost */
    cm_offer_t *got;
    ASSERT_OK(cm__store_get_offer(st, "o000000", &got));
    cm_offer_free(got);
    cm__store_meta_t m;
    ASSERT_OK(cm__store_meta(st, &m));
    ASSERT_EQ(m.offers, stored);
    cm__store_close(st);
    /* with space back (a bigger map), writes work again and everything is there */
    ASSERT_OK(cm__store_open(dir, 8u << 20, false, &st, &err));
    cm_offer_t *o = offer("after-full", "J1501", 48.0, 2.0);
    put_offer(st, o, 0, 0, NULL);
    cm_offer_free(o);
    ASSERT_OK(cm__store_meta(st, &m));
    ASSERT_EQ(m.offers, stored + 1);
    cm__store_close(st);
}

/* A format-1 environment carries DUPSORT secondary databases that nothing read: the first
 * writable open drops them, and records are untouched. */
static void test_legacy_secondaries_dropped(void)
{
    const char *dir = cm_test_tmpdir("store-legacy");
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    ASSERT_EQ(mdb_env_create(&env), 0);
    mdb_env_set_maxdbs(env, 16);
    ASSERT_EQ(mdb_env_open(env, dir, 0, 0640), 0);
    ASSERT_EQ(mdb_txn_begin(env, NULL, 0, &txn), 0);
    ASSERT_EQ(mdb_dbi_open(txn, "offer_by_rome", MDB_CREATE | MDB_DUPSORT, &dbi), 0);
    MDB_val k = {5, "J1501"}, v = {5, "off-1"};
    ASSERT_EQ(mdb_put(txn, dbi, &k, &v, 0), 0);
    ASSERT_EQ(mdb_txn_commit(txn), 0);
    mdb_env_close(env);

    cm__store_t *st;
    cm_error err = {0};
    ASSERT_OK(cm__store_open(dir, 0, false, &st, &err));
    cm_offer_t *o = offer("off-1", "J1501", 48.8589, 2.38);
    put_offer(st, o, 0, 0, NULL);
    cm_offer_free(o);
    cm__store_close(st);

    ASSERT_EQ(mdb_env_create(&env), 0);
    mdb_env_set_maxdbs(env, 16);
    ASSERT_EQ(mdb_env_open(env, dir, MDB_RDONLY, 0640), 0);
    ASSERT_EQ(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn), 0);
    ASSERT_EQ(mdb_dbi_open(txn, "offer_by_rome", 0, &dbi), MDB_NOTFOUND);
    ASSERT_EQ(mdb_dbi_open(txn, "offers", 0, &dbi), 0);
    mdb_txn_abort(txn);
    mdb_env_close(env);
}

/* A store of n offers, one transaction each (so pages spread over the file), closed. */
static void fill_store(const char *dir, int n)
{
    cm__store_t *st;
    cm_error err = {0};
    ASSERT_OK(cm__store_open(dir, 0, false, &st, &err));
    for (int i = 0; i < n; i++) {
        char id[16];
        snprintf(id, sizeof id, "t%06d", i);
        cm_offer_t *o = offer(id, "J1501", 48.0, 2.0);
        put_offer(st, o, 0, 0, NULL);
        cm_offer_free(o);
    }
    cm__store_close(st);
}

static int count_offer(void *arg, const cm_offer_t *o)
{
    (void)o;
    (*(int *)arg)++;
    return 0;
}

/* Issue #18 point 3: a data file cut short (a backup killed mid-copy) is refused at open
 * with a message, in the process (no SIGBUS), read-only or not. The open runs in a child so
 * that a SIGBUS is reported as a failure, not as a crash of the test. */
static void test_truncated_refused(void)
{
    const char *dir = cm_test_tmpdir("store-short");
    char file[4200];
    struct stat sb;
    fill_store(dir, 1500);
    snprintf(file, sizeof file, "%s/data.mdb", dir);
    ASSERT_EQ(stat(file, &sb), 0);
    ASSERT_EQ(truncate(file, sb.st_size / 2), 0);
    for (int ro = 0; ro < 2; ro++) {
        pid_t pid = fork();
        ASSERT(pid >= 0);
        if (pid == 0) {
            cm__store_t *st;
            cm_error err = {0};
            int rc = cm__store_open(dir, 0, ro, &st, &err);
            if (rc == 0) {
                int n = 0;
                cm__store_each_offer(st, count_offer, &n); /* SIGBUS before the fix */
                fprintf(stderr, "truncated store opened (%d offers read)\n", n);
                _exit(1);
            }
            if (rc != CM_ECORRUPT || !strstr(err.message, "truncated") ||
                !strstr(err.message, "backup")) {
                fprintf(stderr, "unexpected refusal %d: %s\n", rc, err.message);
                _exit(1);
            }
            _exit(0);
        }
        int status;
        ASSERT_EQ(waitpid(pid, &status, 0), pid);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            CM_FAIL_("read_only=%d: truncated store not refused cleanly (%s %d)", ro,
                     WIFSIGNALED(status) ? "signal" : "exit",
                     WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    }
}

/* A storage directory that held records and opens empty (data.mdb emptied, or gone) is
 * refused, not served as an empty database; removing the marker starts empty on purpose. */
static void test_emptied_refused(void)
{
    const char *dir = cm_test_tmpdir("store-empty");
    char file[4200], marker[4200];
    cm__store_t *st;
    cm_error err = {0};
    fill_store(dir, 3);
    snprintf(file, sizeof file, "%s/data.mdb", dir);
    snprintf(marker, sizeof marker, "%s/held-records", dir);
    ASSERT_EQ(truncate(file, 0), 0);
    ASSERT_RC(cm__store_open(dir, 0, false, &st, &err), CM_ECORRUPT);
    ASSERT(strstr(err.message, "empty") && strstr(err.message, "backup"));
    ASSERT_EQ(unlink(file), 0);
    ASSERT_RC(cm__store_open(dir, 0, false, &st, &err), CM_ECORRUPT);
    ASSERT_EQ(unlink(marker), 0);
    ASSERT_OK(cm__store_open(dir, 0, false, &st, &err));
    cm__store_meta_t m;
    ASSERT_OK(cm__store_meta(st, &m));
    ASSERT_EQ(m.offers, 0);
    cm__store_close(st);
}

/* The raw stored value of offer `id` (LMDB opened directly, store closed). */
static size_t raw_offer(const char *dir, const char *id, uint8_t *out, size_t cap)
{
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    ASSERT_EQ(mdb_env_create(&env), 0);
    mdb_env_set_maxdbs(env, 16);
    ASSERT_EQ(mdb_env_open(env, dir, MDB_RDONLY, 0640), 0);
    ASSERT_EQ(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn), 0);
    ASSERT_EQ(mdb_dbi_open(txn, "offers", 0, &dbi), 0);
    MDB_val k = {strlen(id), (void *)id}, v;
    ASSERT_EQ(mdb_get(txn, dbi, &k, &v), 0);
    ASSERT(v.mv_size <= cap);
    memcpy(out, v.mv_data, v.mv_size);
    mdb_txn_abort(txn);
    mdb_env_close(env);
    return v.mv_size;
}

/* Change one byte in every copy of `val` in the data file; returns the copies changed. */
static int flip_in_file(const char *dir, const uint8_t *val, size_t len, size_t at)
{
    char file[4200];
    snprintf(file, sizeof file, "%s/data.mdb", dir);
    FILE *f = fopen(file, "r+b");
    ASSERT(f);
    ASSERT_EQ(fseek(f, 0, SEEK_END), 0);
    long size = ftell(f);
    uint8_t *buf = malloc((size_t)size);
    ASSERT(buf);
    rewind(f);
    ASSERT_EQ(fread(buf, 1, (size_t)size, f), (size_t)size);
    int n = 0;
    for (long i = 0; i + (long)len <= size; i++) {
        if (memcmp(buf + i, val, len) == 0) {
            buf[i + (long)at] ^= 0x20;
            n++;
        }
    }
    rewind(f);
    ASSERT_EQ(fwrite(buf, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    free(buf);
    return n;
}

/* Issue #18 point 4: a changed byte in a stored record reads as CM_ECORRUPT (never as the
 * record), the walk stops on it, verify names it; it can be deleted and written again. A
 * value written before checksums (no frame) is still read. */
static void test_record_checksum(void)
{
    const char *dir = cm_test_tmpdir("store-crc");
    cm__store_t *st;
    cm_error err = {0};
    ASSERT_OK(cm__store_open(dir, 0, false, &st, &err));
    cm_offer_t *o = offer("ck-1", "J1501", 48.8589, 2.38);
    put_offer(st, o, 0, 0, NULL);
    cm_offer_free(o);
    o = offer("ck-2", "K1311", 45.76, 4.83);
    put_offer(st, o, 0, 0, NULL);
    cm_offer_free(o);
    cm__store_close(st);

    uint8_t val[4096];
    size_t len = raw_offer(dir, "ck-1", val, sizeof val);
    ASSERT(len > 40);
    ASSERT_EQ(val[0], 0xC5); /* framed */
    ASSERT(flip_in_file(dir, val, len, len - 20) >= 1);

    ASSERT_OK(cm__store_open(dir, 0, false, &st, &err));
    cm_offer_t *got;
    ASSERT_RC(cm__store_get_offer(st, "ck-1", &got), CM_ECORRUPT);
    ASSERT_OK(cm__store_get_offer(st, "ck-2", &got));
    cm_offer_free(got);
    /* a walk skips it and counts it: one damaged record never stops a load or an export */
    int n = 0;
    uint64_t bad;
    char first[64];
    ASSERT_OK(cm__store_each_offer(st, count_offer, &n));
    ASSERT_EQ(n, 1);
    ASSERT_EQ(cm__store_damaged(st, first, sizeof first), 1);
    ASSERT_STREQ(first, "offer ck-1");
    ASSERT_OK(cm__store_verify(st, &bad, first, sizeof first));
    ASSERT_EQ(bad, 1);
    ASSERT_STREQ(first, "offer ck-1");
    /* an unconditional write does not paper over it (its version is unknown) */
    o = offer("ck-1", "J1501", 48.8589, 2.38);
    put_offer(st, o, 0, CM_ECORRUPT, NULL);
    cm__wtxn_t *w;
    ASSERT_OK(cm__store_begin(st, &w));
    ASSERT_OK(cm__wtxn_end(w, cm__wtxn_del_offer(w, "ck-1", 0), NULL));
    put_offer(st, o, 0, 0, NULL);
    cm_offer_free(o);
    ASSERT_OK(cm__store_verify(st, &bad, first, sizeof first));
    ASSERT_EQ(bad, 0);
    cm__store_close(st);

    /* a value as written before frames (the bare codec record) */
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    uint8_t *enc;
    size_t elen;
    o = offer("old-1", "J1501", 48.0, 2.0);
    o->version = 7;
    ASSERT_OK(cm_offer_encode(o, &enc, &elen));
    cm_offer_free(o);
    ASSERT(enc[0] != 0xC5);
    ASSERT_EQ(mdb_env_create(&env), 0);
    mdb_env_set_maxdbs(env, 16);
    ASSERT_EQ(mdb_env_open(env, dir, 0, 0640), 0);
    ASSERT_EQ(mdb_txn_begin(env, NULL, 0, &txn), 0);
    ASSERT_EQ(mdb_dbi_open(txn, "offers", 0, &dbi), 0);
    MDB_val k = {5, "old-1"}, v = {elen, enc};
    ASSERT_EQ(mdb_put(txn, dbi, &k, &v, 0), 0);
    ASSERT_EQ(mdb_txn_commit(txn), 0);
    mdb_env_close(env);
    cm_free(enc);
    ASSERT_OK(cm__store_open(dir, 0, false, &st, &err));
    ASSERT_OK(cm__store_get_offer(st, "old-1", &got));
    ASSERT_EQ(got->version, 7);
    cm_offer_free(got);
    ASSERT_OK(cm__store_verify(st, &bad, first, sizeof first));
    ASSERT_EQ(bad, 0);
    /* rewritten, it gets a frame */
    o = offer("old-1", "J1501", 48.0, 2.0);
    put_offer(st, o, 7, 0, NULL);
    cm_offer_free(o);
    cm__store_close(st);
    len = raw_offer(dir, "old-1", val, sizeof val);
    ASSERT_EQ(val[0], 0xC5);
}

/* CRC-32C: the check value of the standard, and the CPU path and the table path agree with a
 * bit-by-bit reference at every length and alignment (the 8-byte steps and their tails). */
static uint32_t crc_bitwise(const uint8_t *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = c & 1 ? (c >> 1) ^ 0x82F63B78u : c >> 1;
    }
    return c ^ 0xFFFFFFFFu;
}

static void test_crc32c(void)
{
    ASSERT_EQ(cm__crc32c((const uint8_t *)"123456789", 9), 0xE3069283u);
    ASSERT_EQ(cm__crc32c_portable((const uint8_t *)"123456789", 9), 0xE3069283u);
    ASSERT_EQ(cm__crc32c((const uint8_t *)"", 0), 0u);
    uint8_t buf[300];
    uint32_t x = 12345;
    for (size_t i = 0; i < sizeof buf; i++) {
        x = x * 1103515245u + 12345u;
        buf[i] = (uint8_t)(x >> 16);
    }
    for (size_t off = 0; off < 8; off++) {
        for (size_t n = 0; n + off <= sizeof buf; n += (n < 40 ? 1 : 37)) {
            uint32_t want = crc_bitwise(buf + off, n);
            ASSERT_EQ(cm__crc32c(buf + off, n), want);
            ASSERT_EQ(cm__crc32c_portable(buf + off, n), want);
            ASSERT_EQ(cm__crc32c_more(cm__crc32c(buf, off), buf + off, n),
                      crc_bitwise(buf, off + n));
        }
    }
}

int main(void)
{
    test_crc32c();
    test_record_checksum();
    test_truncated_refused();
    test_emptied_refused();
    test_legacy_secondaries_dropped();
    test_records();
    test_events_and_erasure();
    test_changelog_trim();
    test_map_full();
    puts("test_store: ok");
    return 0;
}
