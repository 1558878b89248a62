/* Candidate search (engine/cand_search.c) on a real engine (LMDB + catalog): the availability
 * syntax, each filter, the job-title rule, active candidates only, exact totals, paging in id
 * and distance order against a brute-force answer, and the query's errors. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carematch/engine.h"
#include "carematch/referential.h"
#include "internal/internal.h"
#include "test.h"

static cm_engine_t *eng;

static void put_json(const char *json)
{
    cm_candidate_t *c = NULL;
    cm_error err = {0};
    int rc = cm_candidate_from_json(json, strlen(json), NULL, &c, &err);
    if (rc)
        CM_FAIL_("candidate_from_json: %s (%s: %s)\n%s", cm_strerror(rc), err.field, err.message,
                 json);
    ASSERT_OK(cm_engine_put_candidate(eng, c, 0, NULL, NULL));
    cm_candidate_free(c);
}

/* A candidate: id, position, postcode, then the record's other members (JSON, may be ""). */
static void put(const char *id, double lat, double lon, const char *postcode, const char *more)
{
    char json[2048];
    snprintf(json, sizeof json,
             "{\"id\":\"%s\",\"location\":{\"lat\":%.6f,\"lon\":%.6f,\"postcode\":\"%s\"}%s%s}",
             id, lat, lon, postcode, more[0] ? "," : "", more);
    put_json(json);
}

/* Run q; the ids of the page, space-separated, into out. Returns the total. */
static uint64_t run(const cm_candidate_query_t *q, char *out, size_t cap)
{
    cm_candidate_search_result_t *r;
    cm_error err = {0};
    int rc = cm_engine_search_candidates(eng, q, &r, &err);
    if (rc)
        CM_FAIL_("search: %s (%s: %s)", cm_strerror(rc), err.field, err.message);
    size_t n = 0;
    out[0] = '\0';
    for (size_t i = 0; i < r->n_hits; i++) {
        n += (size_t)snprintf(out + n, cap - n, "%s%s", i ? " " : "", r->hits[i].candidate->id);
        ASSERT(n < cap);
        ASSERT(q->has_geo || q->postcode || q->commune ? r->hits[i].distance_km >= 0
                                                       : r->hits[i].distance_km < 0);
    }
    uint64_t t = r->total;
    cm_candidate_search_result_free(r);
    return t;
}

#define EXPECT(q, want)                                                                            \
    do {                                                                                           \
        char got_[4096];                                                                           \
        run(&(q), got_, sizeof got_);                                                              \
        ASSERT_STREQ(got_, want);                                                                  \
    } while (0)

static cm_avail_need_t need(const char *text)
{
    cm_avail_need_t a;
    cm_error err = {0};
    int rc = cm_avail_need_parse(text, &a, &err);
    if (rc)
        CM_FAIL_("parse \"%s\": %s", text, err.message);
    return a;
}

static bool slot(const cm_week_t *w, int day, int hh, int mm)
{
    int bit = day * 48 + hh * 2 + mm / 30;
    return w->bits[bit / 64] >> (bit % 64) & 1;
}

static void test_avail_parse(void)
{
    cm_avail_need_t a = need("night");
    ASSERT_EQ(a.how, CM_AVAIL_SOME);
    ASSERT(slot(&a.slots, 0, 21, 0) && slot(&a.slots, 1, 5, 30) && !slot(&a.slots, 1, 6, 0));
    ASSERT(slot(&a.slots, 0, 5, 30)); /* Sunday night's tail, on Monday */
    ASSERT_EQ(cm_week_count(&a.slots), 7 * 18);
    a = need("WEEKEND");
    ASSERT_EQ(cm_week_count(&a.slots), 2 * 48);
    ASSERT(slot(&a.slots, 5, 0, 0) && slot(&a.slots, 6, 23, 30) && !slot(&a.slots, 4, 23, 30));
    a = need("fri-mon");
    ASSERT_EQ(a.how, CM_AVAIL_EACH_DAY);
    ASSERT_EQ(cm_week_count(&a.slots), 4 * 48);
    ASSERT(!slot(&a.slots, 1, 12, 0));
    a = need("mon,wed-thu 08:15-12:00");
    ASSERT_EQ(a.how, CM_AVAIL_ALL);
    ASSERT_EQ(cm_week_count(&a.slots), 3 * 8); /* rounded out: 08:00-12:00 */
    ASSERT(slot(&a.slots, 2, 8, 0) && !slot(&a.slots, 1, 8, 0));
    a = need(" sun 23:00-01:00 ");
    ASSERT(slot(&a.slots, 6, 23, 30) && slot(&a.slots, 0, 0, 30) && !slot(&a.slots, 0, 1, 0));
    static const char *const bad[] = {"",          "noon",        "mon-",       "mon,",
                                      "mon tue",   "mon 8:00-12:00", "mon 08:00-08:00",
                                      "mon 08:00", "xyz 08:00-09:00", "mon 24:00-01:00", NULL};
    for (int i = 0; bad[i]; i++) {
        cm_error err = {0};
        ASSERT_RC(cm_avail_need_parse(bad[i], &a, &err), CM_EINVAL);
        ASSERT_STREQ(err.field, "available");
    }
}

/* A small population whose every filter has a known answer. */
static void seed(uint32_t other_title)
{
    char more[512];
    put("c1", 48.9362, 2.3574, "93200",
        "\"desired_rome\":[\"K1306\"],\"certifications\":[\"DEAES\"],\"open_to_immersion\":true,"
        "\"availability\":[{\"days\":[\"mon\",\"tue\"],\"from\":\"21:00\",\"to\":\"06:00\"}]");
    put("c2", 48.9077, 2.4397, "93000",
        "\"desired_rome\":[\"K1306\"],\"certifications\":[\"DEAVS\"],\"open_to_immersion\":true,"
        "\"availability\":[{\"days\":[\"mon\"],\"from\":\"08:00\",\"to\":\"16:00\"}]");
    put("c3", 48.8638, 2.4485, "93100",
        "\"desired_rome\":[\"K1306\"],\"certifications\":[\"deaes\"],"
        "\"mobility\":{\"modes\":[\"car\"],\"driving_licence\":true,\"vehicle\":true}");
    put("c4", 48.9362, 2.3574, "93200",
        "\"desired_job_titles\":[10891],\"certifications\":[\"DEAS\"],\"open_to_training\":true,"
        "\"availability\":[{\"days\":[\"sat\",\"sun\"],\"from\":\"07:00\",\"to\":\"19:00\"}]");
    put("c5", 48.8589, 2.3800, "75011", "\"desired_rome\":[\"J1501\"],"
                                        "\"availability\":[{\"days\":[\"mon\"],\"from\":"
                                        "\"22:00\",\"to\":\"06:00\"}]");
    put("c6", 45.7640, 4.8357, "69003", "\"desired_rome\":[\"K1306\"]");
    put("c7", 48.9362, 2.3574, "93200", "\"desired_rome\":[\"K1306\"],\"status\":\"inactive\"");
    /* named another title of J1501, and wants K1306 as a whole */
    snprintf(more, sizeof more,
             "\"desired_rome\":[\"K1306\"],\"desired_job_titles\":[%u],"
             "\"mobility\":{\"modes\":[\"bike\"]}",
             (unsigned)other_title);
    put("c8", 48.7904, 2.4556, "94000", more);
    put("c9", 41.9192, 8.7386, "20000", "\"certifications\":[\"DEAES\"]"); /* Ajaccio, 2A */
}

static void test_filters(void)
{
    cm_candidate_query_t q;
    cm_candidate_query_init(&q);
    char got[4096];
    ASSERT_EQ(run(&q, got, sizeof got), 8); /* c7 is inactive */
    ASSERT_STREQ(got, "c1 c2 c3 c4 c5 c6 c8 c9");

    q.department = "93";
    q.n_certification = 1;
    q.certification[0] = "DEAES";
    EXPECT(q, "c1 c2 c3"); /* DEAVS counts, case ignored */
    q.certification[0] = "De-Aes";
    EXPECT(q, "c1 c2 c3");
    q.certification[0] = "TP ADVF"; /* a DEAES or a DEAS may take an ADVF post: found */
    EXPECT(q, "c1 c2 c3 c4");
    q.certification[0] = "DEAES";
    q.open_to_immersion = 1;
    EXPECT(q, "c1 c2");
    q.n_available = 1;
    q.available[0] = need("night");
    EXPECT(q, "c1"); /* the daily question */

    cm_candidate_query_init(&q);
    q.department = "2a";
    EXPECT(q, "c9");
    q.department = "2A";
    EXPECT(q, "c9");

    cm_candidate_query_init(&q);
    q.n_rome = 2;
    q.rome[0] = "J1501";
    q.rome[1] = "K1306";
    EXPECT(q, "c1 c2 c3 c4 c5 c6 c8"); /* c9 named no code: not listed */

    cm_candidate_query_init(&q);
    q.n_job_title = 1;
    q.job_title[0] = 10891; /* aide-soignant, J1501 */
    EXPECT(q, "c4 c5");     /* named it; wants J1501 whole. c8 named another J1501 title */

    cm_candidate_query_init(&q);
    q.n_available = 1;
    q.available[0] = need("mon 21:00-23:00");
    EXPECT(q, "c1 c3 c6 c8 c9"); /* c5 starts at 22:00; no availability = any time */
    q.available[0] = need("weekend");
    EXPECT(q, "c3 c4 c6 c8 c9");
    q.available[0] = need("sat,mon");
    EXPECT(q, "c3 c6 c8 c9"); /* each day: c4 has no Monday, c1 no Saturday */
    q.available[0] = need("tue 05:00-06:00");
    EXPECT(q, "c1 c3 c5 c6 c8 c9"); /* past midnight, on the next day */
    q.n_available = 2;
    q.available[1] = need("mon 15:00-16:00");
    EXPECT(q, "c3 c6 c8 c9");

    cm_candidate_query_init(&q);
    q.driving_licence = 1;
    EXPECT(q, "c3");
    q.driving_licence = 0;
    q.vehicle = 0;
    q.open_to_training = 1;
    EXPECT(q, "c4");
    cm_candidate_query_init(&q);
    q.modes = CM_MODE_BIKE | CM_MODE_CAR;
    EXPECT(q, "c3 c8");

    /* a centre: distance order, ties by id, radius */
    cm_candidate_query_init(&q);
    q.has_geo = true;
    q.center = (cm_geo_t){48936200, 2357400};
    q.radius_km = 10;
    ASSERT_EQ(run(&q, got, sizeof got), 4);
    ASSERT_STREQ(got, "c1 c4 c2 c5");
    q.radius_km = 0;
    ASSERT_EQ(run(&q, got, sizeof got), 8);
    ASSERT_STREQ(got, "c1 c4 c2 c5 c3 c8 c6 c9");
    cm_candidate_query_init(&q);
    q.postcode = "93200";
    q.radius_km = 5;
    cm_candidate_search_result_t *r;
    ASSERT_OK(cm_engine_search_candidates(eng, &q, &r, NULL));
    ASSERT(r->placed);
    ASSERT_STREQ(r->center_commune, "93066");
    ASSERT_EQ(r->n_hits, 2);
    ASSERT(r->hits[0].distance_km < 5 && r->hits[0].distance_km <= r->hits[1].distance_km);
    cm_candidate_search_result_free(r);
}

static void expect_error(cm_candidate_query_t *q, const char *field)
{
    cm_candidate_search_result_t *r = (void *)1;
    cm_error err = {0};
    ASSERT_RC(cm_engine_search_candidates(eng, q, &r, &err), CM_EINVAL);
    ASSERT(r == NULL);
    ASSERT_STREQ(err.field, field);
    cm_candidate_query_init(q);
}

static void test_errors(void)
{
    cm_candidate_query_t q;
    cm_candidate_query_init(&q);
    q.n_rome = 1;
    q.rome[0] = "J9999";
    expect_error(&q, "rome");
    q.n_job_title = 1;
    q.job_title[0] = 1;
    expect_error(&q, "job_title");
    q.n_certification = 1;
    q.certification[0] = " - ";
    expect_error(&q, "certification");
    q.n_certification = 1;
    q.certification[0] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    expect_error(&q, "certification");
    static const char *const depts[] = {"20", "00", "96", "970", "2C", "9", "9300", "", NULL};
    for (int i = 0; depts[i]; i++) {
        q.department = depts[i];
        expect_error(&q, "department");
    }
    q.radius_km = 5;
    expect_error(&q, "radius_km");
    q.postcode = "00000";
    expect_error(&q, "postcode");
    q.commune = "99999";
    expect_error(&q, "commune");
    q.limit = 0;
    expect_error(&q, "per_page");
    q.n_rome = CM_CAND_SEARCH_VALUES_MAX + 1;
    expect_error(&q, "rome");
}

/* 300 candidates at pseudo-random places: every page, in both orders, is the slice of a
 * brute-force sort, and totals are exact. */
static void test_paging(const char *dir)
{
    (void)dir;
    enum { N = 300 };
    static double lat[N], lon[N];
    static bool on[N];
    uint32_t x = 12345;
    for (int i = 0; i < N; i++) {
        char id[16];
        x = x * 1103515245u + 12345u;
        lat[i] = 43.0 + (x >> 8) % 50000 / 10000.0;
        x = x * 1103515245u + 12345u;
        lon[i] = 0.0 + (x >> 8) % 50000 / 10000.0;
        on[i] = i % 3 != 0;
        snprintf(id, sizeof id, "p%03d", i);
        put(id, lat[i], lon[i], "31000",
            on[i] ? "\"desired_rome\":[\"J1301\"]" : "\"desired_rome\":[\"K1306\"]");
    }
    cm_candidate_query_t q;
    cm_candidate_query_init(&q);
    q.n_rome = 1;
    q.rome[0] = "J1301";
    /* id order: every third left out */
    char want[8192] = "", got[8192], page[4096];
    for (int i = 0, n = 0; i < N; i++)
        if (on[i])
            n += snprintf(want + n, sizeof want - (size_t)n, "%sp%03d", n ? " " : "", i);
    for (unsigned per = 7; per <= 100; per += 31) {
        size_t n = 0;
        got[0] = '\0';
        for (unsigned p = 0;; p++) {
            q.offset = p * per;
            q.limit = per;
            ASSERT_EQ(run(&q, page, sizeof page), 200);
            if (!page[0])
                break;
            n += (size_t)snprintf(got + n, sizeof got - n, "%s%s", n ? " " : "", page);
        }
        ASSERT_STREQ(got, want);
    }
    /* distance order: nearest first from the middle, compared with a brute-force ranking */
    cm_geo_t c = {45500000, 2500000};
    int idx[N], m = 0;
    double d[N];
    for (int i = 0; i < N; i++) {
        if (!on[i])
            continue;
        double la1 = c.lat_e6 / 1e6 * M_PI / 180, la2 = lat[i] * M_PI / 180;
        double dla = la2 - la1, dlo = (lon[i] - c.lon_e6 / 1e6) * M_PI / 180;
        double h = sin(dla / 2) * sin(dla / 2) + cos(la1) * cos(la2) * sin(dlo / 2) * sin(dlo / 2);
        d[i] = 2 * 6371.0088 * asin(sqrt(h));
        if (d[i] <= 150)
            idx[m++] = i;
    }
    for (int i = 1; i < m; i++) /* insertion sort by distance (no ties at these positions) */
        for (int j = i; j > 0 && d[idx[j]] < d[idx[j - 1]]; j--) {
            int t = idx[j];
            idx[j] = idx[j - 1];
            idx[j - 1] = t;
        }
    q.has_geo = true;
    q.center = c;
    q.radius_km = 150;
    q.offset = 10;
    q.limit = 25;
    cm_candidate_search_result_t *r;
    ASSERT_OK(cm_engine_search_candidates(eng, &q, &r, NULL));
    ASSERT(m > 40);
    ASSERT_EQ(r->total, m);
    ASSERT_EQ(r->n_hits, 25);
    for (size_t i = 0; i < r->n_hits; i++) {
        char id[16];
        snprintf(id, sizeof id, "p%03d", idx[10 + i]);
        ASSERT_STREQ(r->hits[i].candidate->id, id);
        ASSERT_NEAR(r->hits[i].distance_km, d[idx[10 + i]], 0.01);
    }
    cm_candidate_search_result_free(r);
}

/* A scan lets go of the lock every few slots: a candidate it has already found and that is
 * erased meanwhile leaves the page, and the page is still full, in order, each one once. */
static int yields;

static void erase_found(void)
{
    if (++yields == 30) /* 90 slots in: p001 (first by id) was found */
        ASSERT_OK(cm_engine_delete_candidate(eng, "p001", 0));
}

static void test_scan_under_writes(void)
{
    cm_candidate_query_t q;
    cm_candidate_query_init(&q);
    q.n_rome = 1;
    q.rome[0] = "J1301";
    q.limit = 100;
    cm__cand_scan_hold = 3;
    cm__cand_scan_yielded = erase_found;
    cm_candidate_search_result_t *res;
    ASSERT_OK(cm_engine_search_candidates(eng, &q, &res, NULL));
    cm__cand_scan_yielded = NULL;
    ASSERT(yields > 30);
    ASSERT_EQ(res->n_hits, 100); /* 199 left: a full page */
    ASSERT_STREQ(res->hits[0].candidate->id, "p002");
    for (size_t i = 1; i < res->n_hits; i++) /* id order: strictly, so no one twice */
        if (strcmp(res->hits[i - 1].candidate->id, res->hits[i].candidate->id) >= 0)
            CM_FAIL_("page out of order or twice: %s then %s", res->hits[i - 1].candidate->id,
                     res->hits[i].candidate->id);
    cm_candidate_search_result_free(res);
    cm__cand_scan_hold = 32768;
}

static void test_updates(void)
{
    cm_candidate_query_t q;
    cm_candidate_query_init(&q);
    q.department = "93";
    char got[256];
    ASSERT_EQ(run(&q, got, sizeof got), 4);
    put("c2", 48.9077, 2.4397, "93000", "\"status\":\"hired\"");
    ASSERT_EQ(run(&q, got, sizeof got), 3);
    ASSERT_STREQ(got, "c1 c3 c4");
    ASSERT_OK(cm_engine_delete_candidate(eng, "c1", 0));
    ASSERT_EQ(run(&q, got, sizeof got), 2);
    ASSERT_STREQ(got, "c3 c4");
    put("c7", 48.9362, 2.3574, "93200", "\"desired_rome\":[\"K1306\"]"); /* active again */
    ASSERT_EQ(run(&q, got, sizeof got), 3);
    ASSERT_STREQ(got, "c3 c4 c7");
}

int main(void)
{
    char dir[4096];
    cm_engine_options_t opt = {0};
    cm_error err = {0};
    uint32_t titles[8], other = 0;
    snprintf(dir, sizeof dir, "%s", cm_test_tmpdir("candsearch"));
    opt.no_index_thread = true;
    int rc = cm_engine_open(dir, &opt, &eng, &err);
    if (rc)
        CM_FAIL_("open: %s (%s)", cm_strerror(rc), err.message);
    size_t n = cm_rome_titles_of("J1501", titles, 8);
    for (size_t i = 0; i < n && i < 8 && !other; i++)
        if (titles[i] != 10891)
            other = titles[i];
    ASSERT(other != 0);
    test_avail_parse();
    seed(other);
    test_filters();
    test_errors();
    test_updates();
    test_paging(dir);
    cm__cand_scan_hold = 3; /* the same answers when the scan lets go of the lock every 3 slots */
    test_paging(dir);
    test_scan_under_writes();
    cm_engine_close(eng);
    puts("test_cand_search: ok");
    return 0;
}
