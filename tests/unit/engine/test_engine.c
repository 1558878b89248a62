/* The engine end to end on real LMDB + Xapian: writes visible to search at once, restart,
 * replay of a lagging index, rebuild of a lost index, reindex, check, backup, stats. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carematch/engine.h"
#include "test.h"

static cm_offer_t *offer_json(const char *json)
{
    cm_offer_t *o = NULL;
    cm_error err = {0};
    int rc = cm_offer_from_json(json, strlen(json), NULL, &o, &err);
    if (rc)
        CM_FAIL_("offer_from_json: %s (%s: %s)", cm_strerror(rc), err.field, err.message);
    return o;
}

static cm_offer_t *offer(const char *id, const char *title, const char *rome, double lat,
                         double lon)
{
    char json[1024];
    snprintf(json, sizeof json,
             "{\"id\":\"%s\",\"title\":\"%s\",\"rome\":\"%s\",\"description\":\"Etablissement "
             "accueillant des personnes agees\",\"location\":{\"lat\":%f,\"lon\":%f,"
             "\"postcode\":\"75011\"},\"contract\":\"CDI\",\"published_at\":\"2026-11-02\"}",
             id, title, rome, lat, lon);
    return offer_json(json);
}

static cm_candidate_t *candidate(const char *id, const char *postcode)
{
    char json[1024];
    cm_candidate_t *c = NULL;
    cm_error err = {0};
    snprintf(json, sizeof json,
             "{\"id\":\"%s\",\"location\":{\"lat\":48.8156,\"lon\":2.3631,\"postcode\":\"%s\"},"
             "\"desired_rome\":[\"J1501\"],\"certifications\":[\"DEAS\"],"
             "\"mobility\":{\"modes\":[\"transit\",\"walk\"],\"max_minutes\":60},"
             "\"summary\":\"Aide-soignante en EHPAD depuis 3 ans\"}",
             id, postcode);
    int rc = cm_candidate_from_json(json, strlen(json), NULL, &c, &err);
    if (rc)
        CM_FAIL_("candidate_from_json: %s (%s: %s)", cm_strerror(rc), err.field, err.message);
    return c;
}

static uint64_t search_total(cm_engine_t *e, const char *q)
{
    cm_search_query_t sq = {0};
    cm_search_result_t *r;
    cm_error err = {0};
    sq.q = q;
    sq.limit = 20;
    sq.immersion_possible = sq.pre_hire_training = sq.accessible_to_disabled_workers = -1;
    int rc = cm_engine_search(e, &sq, &r, &err);
    if (rc)
        CM_FAIL_("search %s: %s (%s)", q, cm_strerror(rc), err.message);
    uint64_t t = r->total;
    ASSERT(r->n_hits <= t);
    cm_search_result_free(r);
    return t;
}

static void put(cm_engine_t *e, cm_offer_t *o)
{
    bool created, lagging = true;
    ASSERT_OK(cm_engine_put_offer(e, o, 0, &created, &lagging));
    ASSERT(!lagging);
    cm_offer_free(o);
}

static cm_engine_t *open_dir(const char *dir, bool thread)
{
    cm_engine_t *e;
    cm_engine_options_t opt = {0};
    cm_error err = {0};
    opt.no_index_thread = !thread;
    int rc = cm_engine_open(dir, &opt, &e, &err);
    if (rc)
        CM_FAIL_("open %s: %s (%s)", dir, cm_strerror(rc), err.message);
    return e;
}

static void assert_consistent(cm_engine_t *e)
{
    cm_error err = {0};
    int rc = cm_engine_check(e, &err);
    if (rc)
        CM_FAIL_("check: %s: %s", cm_strerror(rc), err.message);
}

static void test_read_your_writes(const char *dir)
{
    cm_engine_t *e = open_dir(dir, true);
    put(e, offer("off-1", "Aide-soignant de nuit H/F", "J1501", 48.8589, 2.38));
    put(e, offer("off-2", "Auxiliaire de vie", "K1311", 48.85, 2.35));
    put(e, offer("off-3", "Agent de service hospitalier", "J1301", 45.76, 4.83));
    /* French stemming: the feminine form finds the masculine title */
    ASSERT_EQ(search_total(e, "soignante"), 1);
    ASSERT_EQ(search_total(e, "auxiliaires"), 1);
    ASSERT_EQ(search_total(e, ""), 3);
    /* replace: the new text is searchable at once, the old one not */
    put(e, offer("off-3", "Animateur en EHPAD", "K1206", 45.76, 4.83));
    ASSERT_EQ(search_total(e, "hospitalier"), 0);
    ASSERT_EQ(search_total(e, "animateur"), 1);
    /* close an offer: stored, not searched */
    cm_offer_t *closed =
        offer_json("{\"id\":\"off-2\",\"title\":\"Auxiliaire de vie\",\"rome\":\"K1311\","
                   "\"location\":{\"lat\":48.85,\"lon\":2.35},\"contract\":\"CDD\","
                   "\"status\":\"closed\"}");
    put(e, closed);
    ASSERT_EQ(search_total(e, "auxiliaire"), 0);
    ASSERT_OK(cm_engine_delete_offer(e, "off-1", 0));
    ASSERT_EQ(search_total(e, "soignant"), 0);
    ASSERT_RC(cm_engine_delete_offer(e, "off-1", 0), CM_ENOTFOUND);
    cm_offer_t *got;
    ASSERT_RC(cm_engine_get_offer(e, "off-1", &got), CM_ENOTFOUND);
    ASSERT_OK(cm_engine_get_offer(e, "off-3", &got));
    ASSERT_EQ(got->version, 2);
    ASSERT_STREQ(got->rome, "K1206");
    cm_offer_free(got);

    /* conditional put */
    cm_offer_t *o = offer("off-3", "Animateur", "K1206", 45.76, 4.83);
    ASSERT_RC(cm_engine_put_offer(e, o, 1, NULL, NULL), CM_EEXIST);
    ASSERT_RC(cm_engine_put_offer(e, o, CM_IF_ABSENT, NULL, NULL), CM_EEXIST);
    ASSERT_OK(cm_engine_put_offer(e, o, 2, NULL, NULL));
    cm_offer_free(o);
    assert_consistent(e);
    /* written again unchanged (a nightly refresh): the index takes the new version alone
     * (check compares the index's versions with storage's), and still finds it */
    for (int i = 0; i < 2; i++)
        put(e, offer("off-3", "Animateur", "K1206", 45.76, 4.83));
    ASSERT_OK(cm_engine_get_offer(e, "off-3", &got));
    ASSERT_EQ(got->version, 5);
    cm_offer_free(got);
    assert_consistent(e);
    ASSERT_EQ(search_total(e, "animateur"), 1);
    cm_engine_close(e);
}

typedef struct log_seen {
    cm_log_level_t level;
    char event[32];
    char message[512];
} log_seen_t;

static void log_cb(void *arg, cm_log_level_t level, const char *event, const char *message)
{
    log_seen_t *s = arg;
    if (s->event[0] && s->level >= level)
        return; /* keep the first of the most severe */
    s->level = level;
    snprintf(s->event, sizeof s->event, "%s", event);
    snprintf(s->message, sizeof s->message, "%s", message);
}

static void test_restart_and_rebuild(const char *dir)
{
    /* restart: everything acknowledged is there, index consistent */
    cm_engine_t *e = open_dir(dir, true);
    ASSERT_EQ(search_total(e, "animateur"), 1);
    assert_consistent(e);
    cm_engine_close(e);

    /* lose the index entirely: it is rebuilt from storage at open */
    char cmd[4300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s/xapian'", dir);
    ASSERT_EQ(system(cmd), 0);
    e = open_dir(dir, true);
    ASSERT_EQ(search_total(e, "animateur"), 1);
    assert_consistent(e);

    /* damage the index: it is moved aside and rebuilt at open, and the operator is told
     * through the log callback (the engine itself writes nothing to stderr) */
    cm_engine_close(e);
    snprintf(cmd, sizeof cmd, "printf 'garbage, not a glass version file' > '%s/xapian/iamglass'",
             dir);
    ASSERT_EQ(system(cmd), 0);
    log_seen_t seen = {0};
    cm_engine_options_t opt = {.log = log_cb, .log_arg = &seen};
    cm_error oerr = {0};
    ASSERT_OK(cm_engine_open(dir, &opt, &e, &oerr));
    ASSERT_EQ(seen.level, CM_LOG_WARN);
    ASSERT_STREQ(seen.event, "index_damaged");
    ASSERT(strstr(seen.message, "xapian.damaged") != NULL);
    ASSERT_EQ(search_total(e, "animateur"), 1);
    assert_consistent(e);
    /* the set-aside copy holds personal data: gone once the rebuild succeeded */
    snprintf(cmd, sizeof cmd, "test -e '%s/xapian.damaged'", dir);
    ASSERT(system(cmd) != 0);

    /* the version file removed (the tables left), or a table removed: damage too, rebuilt at
     * open */
    static const char *const removed[] = {"iamglass", "termlist.glass"};
    for (size_t i = 0; i < sizeof removed / sizeof removed[0]; i++) {
        cm_engine_close(e);
        snprintf(cmd, sizeof cmd, "rm '%s/xapian/%s'", dir, removed[i]);
        ASSERT_EQ(system(cmd), 0);
        memset(&seen, 0, sizeof seen);
        ASSERT_OK(cm_engine_open(dir, &opt, &e, &oerr));
        ASSERT_STREQ(seen.event, "index_damaged");
        ASSERT_EQ(search_total(e, "animateur"), 1);
        assert_consistent(e);
    }

    /* reindex keeps it consistent */
    cm_error err = {0};
    cm_engine_close(e);
    e = open_dir(dir, false);
    ASSERT_OK(cm_engine_reindex(e, &err));
    assert_consistent(e);
    cm_engine_info_t info;
    ASSERT_OK(cm_engine_info(e, &info));
    ASSERT_EQ(info.indexed_seq, info.last_seq);
    ASSERT(info.ready);
    ASSERT_EQ(info.offers, 2);
    cm_engine_close(e);

    /* a rebuild killed between its two renames (the complete index is xapian.ready, none in
     * place) is finished at open; a partial build (xapian.next) is dropped */
    char big[4 * 4300 + 200];
    snprintf(big, sizeof big,
             "mv '%s/xapian' '%s/xapian.ready' && mkdir '%s/xapian.next' && "
             "echo partial > '%s/xapian.next/postlist.glass'", dir, dir, dir, dir);
    ASSERT_EQ(system(big), 0);
    e = open_dir(dir, true);
    ASSERT_EQ(search_total(e, "animateur"), 1);
    assert_consistent(e);
    cm_engine_close(e);
    snprintf(big, sizeof big, "test -d '%s/xapian' && ! test -e '%s/xapian.ready' && "
             "! test -e '%s/xapian.next'", dir, dir, dir);
    ASSERT_EQ(system(big), 0);
}

static void test_bulk_backup_stats(const char *dir, const char *backup_dir)
{
    cm_engine_t *e = open_dir(dir, true);
    enum { N = 2500 };
    cm_offer_t **recs = calloc(N, sizeof *recs);
    int *rcs = calloc(N, sizeof *rcs);
    ASSERT(recs && rcs);
    for (int i = 0; i < N; i++) {
        char id[32];
        snprintf(id, sizeof id, "bulk-%05d", i);
        recs[i] = offer(id, i % 2 ? "Aide a domicile" : "Accompagnant educatif et social",
                        i % 2 ? "K1304" : "K1306", 43.0 + (i % 100) * 0.05, 1.0 + (i / 100) * 0.1);
    }
    ASSERT_OK(cm_engine_put_offers(e, recs, N, rcs));
    for (int i = 0; i < N; i++) {
        ASSERT_EQ(rcs[i], 0);
        ASSERT_EQ(recs[i]->version, 1);
        cm_offer_free(recs[i]);
    }
    free(recs);
    free(rcs);
    ASSERT_EQ(search_total(e, "domicile"), N / 2);

    cm_candidate_t *c1 = candidate("cand-1", "75011"), *c2 = candidate("cand-2", "69003");
    ASSERT_OK(cm_engine_put_candidate(e, c1, 0, NULL, NULL));
    ASSERT_OK(cm_engine_put_candidate(e, c2, 0, NULL, NULL));
    cm_candidate_free(c1);
    cm_candidate_free(c2);
    cm_event_t ev = {.kind = CM_EVENT_PROPOSED, .at = 1767225600};
    strcpy(ev.candidate_id, "cand-1");
    strcpy(ev.offer_id, "off-3");
    cm_error err = {0};
    ASSERT_OK(cm_engine_add_event(e, &ev, NULL, &err));
    ev.kind = CM_EVENT_HIRED;
    ASSERT_OK(cm_engine_add_event(e, &ev, NULL, &err));
    strcpy(ev.candidate_id, "cand-2");
    ev.kind = CM_EVENT_IMMERSION;
    ASSERT_OK(cm_engine_add_event(e, &ev, NULL, &err));
    cm_stats_t s;
    ASSERT_OK(cm_engine_stats(e, NULL, &s));
    ASSERT_EQ(s.candidates_total, 2);
    ASSERT_EQ(s.candidates_active, 2);
    ASSERT_EQ(s.offers_total, N + 2);
    ASSERT_EQ(s.offers_open, N + 1); /* off-2 is closed */
    ASSERT_EQ(s.events_by_kind[CM_EVENT_PROPOSED], 1);
    ASSERT_EQ(s.events_by_kind[CM_EVENT_HIRED], 1);
    ASSERT_EQ(s.candidates_with_events, 2);
    ASSERT_EQ(s.candidates_reached, 1);
    ASSERT_OK(cm_engine_stats(e, "69", &s));
    ASSERT_EQ(s.candidates_total, 1);
    ASSERT_EQ(s.candidates_reached, 0);
    ASSERT_EQ(s.events_by_kind[CM_EVENT_IMMERSION], 1);

    /* erasure: the candidate and its events are gone */
    ASSERT_OK(cm_engine_delete_candidate(e, "cand-1", 0));
    ASSERT_OK(cm_engine_stats(e, NULL, &s));
    ASSERT_EQ(s.events_by_kind[CM_EVENT_HIRED], 0);
    ASSERT_EQ(s.candidates_total, 1);

    /* backup while open, then the backup opens as a data directory with the same content */
    ASSERT_OK(cm_engine_backup(e, backup_dir, &err));
    cm_engine_close(e);
    cm_engine_t *b = open_dir(backup_dir, true);
    ASSERT_EQ(search_total(b, "domicile"), N / 2);
    cm_offer_t *got;
    ASSERT_OK(cm_engine_get_offer(b, "bulk-00042", &got));
    cm_offer_free(got);
    assert_consistent(b);
    cm_engine_close(b);
}


static int audit_count(void *arg, const cm_audit_entry_t *en)
{
    ASSERT(en->seq > 0);
    ASSERT_STREQ(en->key_name, "adviser-1");
    (*(int *)arg)++;
    return 0;
}

/* the audit log is append-only and survives the candidate's erasure */
static void test_audit(const char *dir)
{
    cm_engine_t *e = open_dir(dir, true);
    cm_audit_entry_t en[3] = {{0}};
    for (int i = 0; i < 3; i++) {
        en[i].at = 1767225600 + i;
        strcpy(en[i].key_name, "adviser-1");
        strcpy(en[i].action, "read");
        strcpy(en[i].candidate_id, i == 2 ? "cand-x" : "cand-2");
    }
    ASSERT_OK(cm_engine_audit_append(e, en, 3));
    ASSERT(en[2].seq == en[0].seq + 2);
    int n = 0;
    ASSERT_OK(cm_engine_audit_each(e, "cand-2", 0, 0, audit_count, &n));
    ASSERT_EQ(n, 2);
    n = 0;
    ASSERT_OK(cm_engine_audit_each(e, NULL, en[0].seq, 0, audit_count, &n));
    ASSERT_EQ(n, 2);
    n = 0;
    ASSERT_OK(cm_engine_audit_each(e, NULL, 0, 1, audit_count, &n));
    ASSERT_EQ(n, 1);
    /* the erasure and its entry in one transaction: a refused erasure writes no entry */
    cm_audit_entry_t erased = {0};
    erased.at = 1767225700;
    strcpy(erased.key_name, "adviser-1");
    strcpy(erased.action, "erased");
    strcpy(erased.candidate_id, "cand-2");
    ASSERT_RC(cm_engine_delete_candidate_audited(e, "cand-2", 999999, &erased), CM_EEXIST);
    n = 0;
    ASSERT_OK(cm_engine_audit_each(e, "cand-2", 0, 0, audit_count, &n));
    ASSERT_EQ(n, 2);
    ASSERT_OK(cm_engine_delete_candidate_audited(e, "cand-2", 0, &erased));
    ASSERT(erased.seq == en[2].seq + 1);
    ASSERT_RC(cm_engine_delete_candidate_audited(e, "cand-2", 0, &erased), CM_ENOTFOUND);
    cm_engine_close(e);
    e = open_dir(dir, true);
    n = 0;
    ASSERT_OK(cm_engine_audit_each(e, "cand-2", 0, 0, audit_count, &n));
    ASSERT_EQ(n, 3); /* the two reads stay, and the erasure's entry, once */
    cm_candidate_t *gone;
    ASSERT_RC(cm_engine_get_candidate(e, "cand-2", &gone), CM_ENOTFOUND);
    cm_engine_close(e);
}

/* Concurrent appenders share commits (group commit): every entry is stored once, each
 * batch's entries get consecutive sequence numbers, and each call returns its own seqs. */
#define AUDIT_THREADS 8
#define AUDIT_CALLS 50
typedef struct audit_arg {
    cm_engine_t *e;
    int t;
    uint64_t seqs[AUDIT_CALLS * 2];
} audit_arg_t;

static void *audit_thread(void *p)
{
    audit_arg_t *a = p;
    for (int i = 0; i < AUDIT_CALLS; i++) {
        cm_audit_entry_t en[2] = {{0}};
        for (int k = 0; k < 2; k++) {
            en[k].at = 1767225600;
            strcpy(en[k].key_name, "adviser-1");
            strcpy(en[k].action, "matches");
            snprintf(en[k].candidate_id, sizeof en[k].candidate_id, "cc-%d", a->t);
        }
        ASSERT_OK(cm_engine_audit_append(a->e, en, 2));
        ASSERT(en[1].seq == en[0].seq + 1);
        a->seqs[2 * i] = en[0].seq;
        a->seqs[2 * i + 1] = en[1].seq;
    }
    return NULL;
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

static void test_audit_concurrent(const char *dir)
{
    cm_engine_t *e = open_dir(dir, true);
    pthread_t th[AUDIT_THREADS];
    static audit_arg_t args[AUDIT_THREADS];
    for (int t = 0; t < AUDIT_THREADS; t++) {
        args[t] = (audit_arg_t){.e = e, .t = t};
        ASSERT(pthread_create(&th[t], NULL, audit_thread, &args[t]) == 0);
    }
    for (int t = 0; t < AUDIT_THREADS; t++)
        pthread_join(th[t], NULL);
    static uint64_t all[AUDIT_THREADS * AUDIT_CALLS * 2];
    size_t n = 0;
    for (int t = 0; t < AUDIT_THREADS; t++)
        for (int i = 0; i < AUDIT_CALLS * 2; i++)
            all[n++] = args[t].seqs[i];
    qsort(all, n, sizeof *all, cmp_u64);
    for (size_t i = 1; i < n; i++)
        ASSERT(all[i] == all[i - 1] + 1); /* no seq given twice, none skipped */
    for (int t = 0; t < AUDIT_THREADS; t++) {
        char id[16];
        int count = 0;
        snprintf(id, sizeof id, "cc-%d", t);
        ASSERT_OK(cm_engine_audit_each(e, id, 0, 0, audit_count, &count));
        ASSERT_EQ(count, AUDIT_CALLS * 2);
    }
    cm_engine_close(e);
}

/* Issue #18 point 3: storage gone (the lmdb directory replaced by nothing) next to an index
 * built from it must not open "ready" and empty: it is refused with a message. */
static void test_storage_lost(void)
{
    char dir[4200], cmd[4400];
    snprintf(dir, sizeof dir, "%s/data", cm_test_tmpdir("engine-lost"));
    cm_engine_t *e = open_dir(dir, false);
    put(e, offer("lost-1", "Aide-soignant", "J1501", 48.85, 2.35));
    cm_engine_close(e);
    snprintf(cmd, sizeof cmd, "rm -rf '%s/lmdb'", dir);
    ASSERT_EQ(system(cmd), 0);
    cm_error err = {0};
    ASSERT_RC(cm_engine_open(dir, NULL, &e, &err), CM_ECORRUPT);
    ASSERT(strstr(err.message, "empty") && strstr(err.message, "backup"));
}

/* Issue #18 point 4: a changed byte in a stored record: the engine refuses to open, naming
 * the record and what to do (the catalog is loaded from every record at open). */
static void test_damaged_record(void)
{
    char dir[4200], file[4300];
    snprintf(dir, sizeof dir, "%s/data", cm_test_tmpdir("engine-crc"));
    cm_engine_t *e = open_dir(dir, false);
    put(e, offer("crc-1", "Zorglub checksum", "J1501", 48.85, 2.35));
    put(e, offer("crc-2", "Aide-soignant", "J1501", 48.85, 2.35));
    cm_engine_close(e);
    snprintf(file, sizeof file, "%s/lmdb/data.mdb", dir);
    FILE *f = fopen(file, "r+b");
    ASSERT(f);
    static uint8_t buf[64 << 20];
    size_t n = fread(buf, 1, sizeof buf, f);
    ASSERT(n > 0 && n < sizeof buf);
    int flipped = 0;
    for (size_t i = 0; i + 16 <= n; i++)
        if (memcmp(buf + i, "Zorglub checksum", 16) == 0) {
            buf[i + 3] ^= 0x01; /* 'g' -> 'f': still valid text for the codec */
            flipped++;
        }
    ASSERT(flipped > 0);
    rewind(f);
    ASSERT_EQ(fwrite(buf, 1, n, f), n);
    fclose(f);
    /* the damaged record is left out, the others served; check names it; rewriting it heals */
    cm_error err = {0};
    ASSERT_OK(cm_engine_open(dir, NULL, &e, &err));
    cm_offer_t *o = NULL;
    ASSERT_RC(cm_engine_get_offer(e, "crc-1", &o), CM_ECORRUPT);
    ASSERT_OK(cm_engine_get_offer(e, "crc-2", &o));
    cm_offer_free(o);
    ASSERT_RC(cm_engine_check(e, &err), CM_ECORRUPT);
    ASSERT(strstr(err.message, "offer crc-1") && strstr(err.message, "backup"));
    ASSERT_OK(cm_engine_delete_offer(e, "crc-1", 0));
    put(e, offer("crc-1", "Zorglub checksum", "J1501", 48.85, 2.35));
    ASSERT_OK(cm_engine_check(e, &err));
    cm_engine_close(e);
}

static int file_count(const char *path, const char *needle)
{
    FILE *f = fopen(path, "rb");
    ASSERT(f);
    static uint8_t buf[64 << 20];
    size_t n = fread(buf, 1, sizeof buf, f), len = strlen(needle);
    fclose(f);
    int c = 0;
    for (size_t i = 0; i + len <= n; i++)
        c += memcmp(buf + i, needle, len) == 0;
    return c;
}

/* Issue #18 point 10: candidates are not in the index; erasing one through the engine
 * scrubs storage before it returns. */
static void test_erasure(void)
{
    char dir[4200], path[4300], cmd[4400];
    snprintf(dir, sizeof dir, "%s/data", cm_test_tmpdir("engine-erase"));
    cm_engine_t *e = open_dir(dir, true);
    const char *json = "{\"id\":\"gone-1\",\"location\":{\"lat\":48.8156,\"lon\":2.3631},"
                       "\"desired_rome\":[\"J1501\"],\"summary\":\"Ornithorynque-secret\"}";
    cm_candidate_t *c = NULL;
    cm_error err = {0};
    ASSERT_OK(cm_candidate_from_json(json, strlen(json), NULL, &c, &err));
    ASSERT_OK(cm_engine_put_candidate(e, c, 0, NULL, NULL));
    cm_candidate_free(c);
    put(e, offer("erase-off", "Aide-soignant", "J1501", 48.85, 2.35));
    /* never in the index (format 2 indexes offers only) */
    snprintf(cmd, sizeof cmd, "grep -rqa Ornithorynque '%s/xapian'", dir);
    ASSERT(system(cmd) != 0);
    snprintf(path, sizeof path, "%s/lmdb/data.mdb", dir);
    ASSERT(file_count(path, "Ornithorynque-secret") >= 1);
    ASSERT_OK(cm_engine_delete_candidate(e, "gone-1", 0));
    int left = file_count(path, "Ornithorynque-secret");
    cm_engine_close(e);
    if (left)
        CM_FAIL_("erased candidate's text still in data.mdb %d times", left);
}

/* Deferred bulk puts (the CLI's import, the bulk API): stored and handed to the index writer,
 * with the change to wait for; cm_engine_wait_visible then makes every one searchable. */
static void test_bulk_deferred(const char *dir)
{
    enum { N = 1500, CALLS = 3 };
    cm_offer_t **recs = calloc(N, sizeof *recs);
    int *rcs = calloc(N, sizeof *rcs);
    ASSERT(recs && rcs);
    for (int threaded = 1; threaded >= 0; threaded--) {
        char sub[4400];
        snprintf(sub, sizeof sub, "%s-%s", dir, threaded ? "threaded" : "inline");
        cm_engine_t *e = open_dir(sub, threaded);
        uint64_t last = 0;
        for (int call = 0; call < CALLS; call++) {
            for (int i = 0; i < N; i++) {
                char id[32];
                snprintf(id, sizeof id, "dfr-%d-%05d", call, i);
                recs[i] = offer(id, "Auxiliaire de vie deferree", "K1302", 45.0 + (i % 50) * 0.01,
                                1.0 + (i / 50) * 0.01);
            }
            uint64_t seq = 99;
            ASSERT_OK(cm_engine_put_offers_deferred(e, recs, N, rcs, &seq));
            for (int i = 0; i < N; i++) {
                ASSERT_EQ(rcs[i], 0);
                cm_offer_free(recs[i]);
            }
            if (threaded) {
                ASSERT(seq > last); /* each call's last change, later each time */
                last = seq;
            } else {
                ASSERT_EQ(seq, 0); /* inline: indexed before it returned */
                ASSERT_EQ(search_total(e, "deferree"), (uint64_t)(call + 1) * N);
            }
        }
        ASSERT_OK(cm_engine_wait_visible(e, last));
        if (threaded)
            ASSERT_EQ(cm_engine_visible(e, last), 1);
        ASSERT_EQ(search_total(e, "deferree"), (uint64_t)CALLS * N);
        cm_candidate_t *c = candidate("dfr-cand", "75011");
        uint64_t seq = 99;
        ASSERT_OK(cm_engine_put_candidates_deferred(e, &c, 1, rcs, &seq));
        ASSERT_EQ(rcs[0], 0);
        ASSERT_EQ(seq, 0); /* no search index holds candidates: nothing to wait for */
        cm_candidate_free(c);
        assert_consistent(e);
        cm_engine_close(e);
    }
    free(recs);
    free(rcs);
}

/* One writer per data directory: a second open for writing is refused with the holder's pid,
 * readers still open, and the directory is free again once the first closes. */
static void test_one_writer(const char *dir)
{
    cm_engine_t *e = open_dir(dir, true), *e2 = NULL;
    cm_engine_options_t opt = {0};
    cm_error err = {0};
    ASSERT_RC(cm_engine_open(dir, &opt, &e2, &err), CM_EBUSY);
    ASSERT(e2 == NULL);
    char pid[32];
    snprintf(pid, sizeof pid, "pid %ld", (long)getpid());
    if (!strstr(err.message, "open for writing") || !strstr(err.message, pid))
        CM_FAIL_("message: %s", err.message);
    opt.read_only = true; /* backup, export, check, get: while the server runs */
    ASSERT_OK(cm_engine_open(dir, &opt, &e2, &err));
    cm_engine_close(e2);
    cm_engine_close(e);
    opt.read_only = false;
    ASSERT_OK(cm_engine_open(dir, &opt, &e2, &err));
    cm_engine_close(e2);
}

int main(void)
{
    char dir[4096], backup[4200];
    snprintf(dir, sizeof dir, "%s", cm_test_tmpdir("engine"));
    snprintf(backup, sizeof backup, "%s/backup", dir);
    char data[4200];
    snprintf(data, sizeof data, "%s/data", dir);
    test_read_your_writes(data);
    test_restart_and_rebuild(data);
    test_one_writer(data);
    test_bulk_backup_stats(data, backup);
    {
        char deferred[4300];
        snprintf(deferred, sizeof deferred, "%s/deferred", dir);
        test_bulk_deferred(deferred);
    }
    test_audit(data);
    test_audit_concurrent(data);
    test_storage_lost();
    test_damaged_record();
    test_erasure();
    puts("test_engine: ok");
    return 0;
}
