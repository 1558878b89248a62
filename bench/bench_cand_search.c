/* Candidate search latency (cm_engine_search_candidates, no HTTP): N generated candidates in a
 * temporary data directory, then a few adviser questions timed, p50 / p99 over the runs.
 * Usage: bench_cand_search [N (default 200000)] [runs (default 50)] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "carematch/engine.h"

static uint32_t rnd_state = 42;
static uint32_t rnd(void)
{
    rnd_state = rnd_state * 1103515245u + 12345u;
    return rnd_state >> 8;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* A candidate of metropolitan France: a postcode of one of 8 départements near its town. */
static cm_candidate_t *gen(size_t i)
{
    static const struct {
        const char *pc;
        double lat, lon;
    } towns[] = {{"93200", 48.936, 2.357}, {"75011", 48.859, 2.380}, {"69003", 45.764, 4.836},
                 {"13001", 43.300, 5.380}, {"31000", 43.604, 1.444}, {"59000", 50.629, 3.057},
                 {"33000", 44.838, -0.579}, {"44000", 47.218, -1.554}};
    static const char *const romes[] = {"J1501", "K1302", "K1304", "K1306", "K1311", "J1301"};
    static const char *const certs[] = {"DEAES", "DEAS", "DEAP", "TPADVF", "CAPAEPE"};
    char json[1024];
    int t = (int)(rnd() % 8);
    snprintf(json, sizeof json,
             "{\"id\":\"c%07zu\",\"location\":{\"lat\":%.5f,\"lon\":%.5f,\"postcode\":\"%s\"},"
             "\"desired_rome\":[\"%s\"],\"certifications\":[\"%s\"],\"open_to_immersion\":%s,"
             "\"mobility\":{\"modes\":[\"%s\"],\"driving_licence\":%s},"
             "\"availability\":[{\"days\":[\"%s\"],\"from\":\"%02u:00\",\"to\":\"%02u:00\"}]}",
             i, towns[t].lat + ((int)(rnd() % 4000) - 2000) / 10000.0,
             towns[t].lon + ((int)(rnd() % 4000) - 2000) / 10000.0, towns[t].pc, romes[rnd() % 6],
             certs[rnd() % 5], rnd() % 2 ? "true" : "false", rnd() % 3 ? "transit" : "car",
             rnd() % 2 ? "true" : "false", rnd() % 4 ? "mon" : "sat", 6 + rnd() % 12,
             (18 + rnd() % 6) % 24);
    cm_candidate_t *c = NULL;
    cm_error err = {0};
    if (cm_candidate_from_json(json, strlen(json), NULL, &c, &err)) {
        fprintf(stderr, "gen: %s: %s\n%s\n", err.field, err.message, json);
        exit(1);
    }
    return c;
}

static void timed(cm_engine_t *e, const char *label, const cm_candidate_query_t *q, int runs)
{
    double *t = malloc((size_t)runs * sizeof *t);
    uint64_t total = 0;
    for (int r = 0; r < runs; r++) {
        cm_candidate_search_result_t *res;
        cm_error err = {0};
        double t0 = now_ms();
        if (cm_engine_search_candidates(e, q, &res, &err)) {
            fprintf(stderr, "%s: %s\n", label, err.message);
            exit(1);
        }
        t[r] = now_ms() - t0;
        total = res->total;
        cm_candidate_search_result_free(res);
    }
    qsort(t, (size_t)runs, sizeof *t, cmp_d);
    printf("%-44s total %8llu  p50 %7.2f ms  p99 %7.2f ms\n", label, (unsigned long long)total,
           t[runs / 2], t[runs * 99 / 100]);
    free(t);
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? (size_t)atol(argv[1]) : 200000;
    int runs = argc > 2 ? atoi(argv[2]) : 50;
    char dir[] = "/tmp/bench-candsearch-XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    cm_engine_t *e;
    cm_engine_options_t opt = {0};
    cm_error err = {0};
    opt.no_index_thread = true;
    if (cm_engine_open(dir, &opt, &e, &err)) {
        fprintf(stderr, "open: %s\n", err.message);
        return 1;
    }
    cm_candidate_t *batch[CM_BULK_BATCH];
    int rcs[CM_BULK_BATCH];
    double t0 = now_ms();
    for (size_t i = 0; i < n;) {
        size_t k = 0;
        for (; k < CM_BULK_BATCH && i < n; k++, i++)
            batch[k] = gen(i);
        if (cm_engine_put_candidates(e, batch, k, rcs))
            return 1;
        for (size_t j = 0; j < k; j++)
            cm_candidate_free(batch[j]);
    }
    printf("%zu candidates stored in %.1f s\n", n, (now_ms() - t0) / 1e3);
    cm_candidate_query_t q;
    cm_candidate_query_init(&q);
    timed(e, "no filter (first page by id)", &q, runs);
    q.department = "93";
    q.n_certification = 1;
    q.certification[0] = "DEAES";
    q.open_to_immersion = 1;
    q.n_available = 1;
    cm_avail_need_parse("night", &q.available[0], NULL);
    timed(e, "93 + DEAES + immersion + night", &q, runs);
    cm_candidate_query_init(&q);
    q.has_geo = true;
    q.center = (cm_geo_t){48936000, 2357000};
    q.radius_km = 10;
    q.n_rome = 1;
    q.rome[0] = "K1311";
    timed(e, "10 km of Saint-Denis + K1311, by distance", &q, runs);
    q.radius_km = 0;
    q.n_rome = 0;
    q.offset = 1000;
    timed(e, "by distance from Saint-Denis, page 51", &q, runs);
    cm_engine_close(e);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : 1;
}
