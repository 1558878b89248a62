/* Damage met after open (issue #18 point 2): the index files are cut under a running engine.
 * Searches must answer either right or "unavailable" (CM_ERETRY), never a wrong total or an
 * internal error; the engine says so in its info (readiness) and its log, rebuilds the index
 * from storage in the background, and answers again; writes made meanwhile are not lost.
 * Waits are bounded polls (60 s), never fixed sleeps deciding the outcome. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "carematch/engine.h"
#include "test.h"

#define N 1500
#define WAIT_MS 60000

static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;
static bool saw_damaged, saw_rebuilt;

static void log_cb(void *arg, cm_log_level_t level, const char *event, const char *message)
{
    (void)arg;
    (void)level;
    (void)message;
    pthread_mutex_lock(&log_mu);
    if (strcmp(event, "index_damaged") == 0)
        saw_damaged = true;
    if (strcmp(event, "index_rebuilt") == 0)
        saw_rebuilt = true;
    pthread_mutex_unlock(&log_mu);
}

static cm_offer_t *offer(int i)
{
    char json[512];
    cm_offer_t *o = NULL;
    cm_error err = {0};
    snprintf(json, sizeof json,
             "{\"id\":\"dm-%05d\",\"title\":\"Aide-soignant numero %d\",\"rome\":\"J1501\","
             "\"location\":{\"lat\":%f,\"lon\":2.35},\"contract\":\"CDI\"}",
             i, i, 48.0 + (i % 100) * 0.01);
    if (cm_offer_from_json(json, strlen(json), NULL, &o, &err))
        CM_FAIL_("offer json: %s", err.message);
    return o;
}

/* One search: right (total among `ok`), or unavailable; anything else fails the test. */
static int search(cm_engine_t *e, uint64_t ok_lo, uint64_t ok_hi, bool geo)
{
    cm_search_query_t q = {0};
    cm_search_result_t *r;
    cm_error err = {0};
    q.q = "soignant";
    q.limit = 5;
    q.immersion_possible = q.pre_hire_training = q.accessible_to_disabled_workers = -1;
    if (geo) {
        q.has_geo = true;
        q.center.lat_e6 = 48500000;
        q.center.lon_e6 = 2350000;
        q.radius_km = 200;
    }
    int rc = cm_engine_search(e, &q, &r, &err);
    if (rc == CM_ERETRY)
        return rc;
    if (rc)
        CM_FAIL_("search during damage: %s (%s)", cm_strerror(rc), err.message);
    if (r->total < ok_lo || r->total > ok_hi)
        CM_FAIL_("search during damage: total %llu, want %llu..%llu",
                 (unsigned long long)r->total, (unsigned long long)ok_lo,
                 (unsigned long long)ok_hi);
    cm_search_result_free(r);
    return 0;
}

static long ms_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

int main(void)
{
    char dir[4200], file[4300];
    snprintf(dir, sizeof dir, "%s/data", cm_test_tmpdir("damage"));
    cm_engine_t *e;
    cm_engine_options_t opt = {.log = log_cb};
    cm_error err = {0};
    ASSERT_OK(cm_engine_open(dir, &opt, &e, &err));
    cm_offer_t *recs[N];
    int rcs[N];
    for (int i = 0; i < N; i++)
        recs[i] = offer(i);
    ASSERT_OK(cm_engine_put_offers(e, recs, N, rcs));
    for (int i = 0; i < N; i++) {
        ASSERT_OK(rcs[i]);
        cm_offer_free(recs[i]);
    }
    ASSERT_OK(search(e, N, N, false));

    /* cut the posting lists under the running engine (a crash of the OS or a disk, say) */
    snprintf(file, sizeof file, "%s/xapian/postlist.glass", dir);
    ASSERT_EQ(truncate(file, 8192), 0);
    snprintf(file, sizeof file, "%s/xapian/termlist.glass", dir);
    ASSERT_EQ(truncate(file, 8192), 0);

    /* a write goes on: storage takes it; the index writer meets the damage or a search does */
    int extra = 0;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    bool unavailable_seen = false, back = false;
    while (!back) {
        if (ms_since(&t0) > WAIT_MS)
            CM_FAIL_("no rebuild within %d ms (damaged seen: %d)", WAIT_MS, saw_damaged);
        if (extra < 5) {
            cm_offer_t *o = offer(N + extra);
            bool created, lagging;
            int prc = cm_engine_put_offer(e, o, 0, &created, &lagging);
            if (prc)
                CM_FAIL_("write during damage: %s", cm_strerror(prc));
            cm_offer_free(o);
            extra++;
        }
        int a = search(e, N, N + (uint64_t)extra, false);
        int b = search(e, N, N + (uint64_t)extra, true);
        cm_engine_info_t info;
        ASSERT_OK(cm_engine_info(e, &info));
        if (a || b || !info.ready) {
            unavailable_seen = true;
            if (!info.ready && info.index_status[0]) /* says why, for /readyz */
                ASSERT(strstr(info.index_status, "rebuilt") ||
                       strstr(info.index_status, "failing"));
        }
        pthread_mutex_lock(&log_mu);
        bool rebuilt = saw_rebuilt;
        pthread_mutex_unlock(&log_mu);
        back = rebuilt && a == 0 && b == 0 && info.ready && info.indexed_seq == info.last_seq;
        if (!back)
            usleep(20 * 1000);
    }
    ASSERT(saw_damaged);
    /* (whether a search saw it unavailable depends on how fast the rebuild ran: not asserted;
     * every search made was right or "unavailable", never wrong) */
    /* everything is found again, the writes made during the damage included */
    ASSERT_OK(search(e, N + (uint64_t)extra, N + (uint64_t)extra, false));
    ASSERT_OK(cm_engine_check(e, &err));
    cm_engine_close(e);
    /* the damaged index is gone from disk (it holds the same text as storage) */
    snprintf(file, sizeof file, "test -z \"$(ls -d '%s'/xapian.* 2>/dev/null)\"", dir);
    ASSERT_EQ(system(file), 0);
    printf("test_damage: ok (%d writes during the damage, unavailable %s)\n", extra,
           unavailable_seen ? "seen" : "not seen");
    return 0;
}
