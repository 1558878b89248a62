/* Latency of matching on the in-memory catalog, single thread, synthetic records spread over
 * metropolitan France like the population: candidate -> top 20 of 100,000 offers, and
 * offer -> top 50 of 500,000 candidates. Prints build time, p50/p99/max and scored-set sizes.
 * Usage: bench_match [offers candidates queries] (defaults 100000 500000 1000). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % n);
}
static double rndf(void)
{
    return rnd(1u << 30) / (double)(1u << 30);
}
static double gauss(void)
{
    double u = rndf() + 1e-12, v = rndf();
    return sqrt(-2 * log(u)) * cos(2 * M_PI * v);
}

/* Metropolitan areas and their weight (rough population, millions). */
static const struct {
    double lat, lon, w;
} cities[] = {
    {48.857, 2.352, 12.0}, {45.764, 4.836, 2.3},  {43.296, 5.370, 1.9},  {43.605, 1.444, 1.4},
    {50.629, 3.057, 1.5},  {44.838, -0.579, 1.3}, {43.710, 7.262, 1.0},  {47.218, -1.554, 1.0},
    {48.573, 7.752, 0.8},  {48.117, -1.678, 0.7}, {49.443, 1.099, 0.7},  {45.188, 5.724, 0.7},
    {43.611, 3.877, 0.8},  {47.322, 5.041, 0.4},  {49.258, 4.032, 0.3},  {47.394, 0.685, 0.5},
    {45.778, 3.087, 0.5},  {49.183, -0.371, 0.4}, {47.478, -0.563, 0.4}, {43.125, 5.930, 0.6},
};

static cm_geo_t rnd_place(void)
{
    if (rnd(5) == 0) /* rural: anywhere in the hexagon's bounding box */
        return (cm_geo_t){(int32_t)((42.5 + rndf() * 8.5) * 1e6),
                          (int32_t)((-4.5 + rndf() * 12.5) * 1e6)};
    double tot = 0;
    for (size_t i = 0; i < sizeof cities / sizeof cities[0]; i++)
        tot += cities[i].w;
    double x = rndf() * tot;
    size_t i = 0;
    while (i + 1 < sizeof cities / sizeof cities[0] && x > cities[i].w)
        x -= cities[i++].w;
    double spread = 0.12 + 0.1 * cities[i].w / 12.0; /* degrees */
    return (cm_geo_t){(int32_t)((cities[i].lat + gauss() * spread) * 1e6),
                      (int32_t)((cities[i].lon + gauss() * spread * 1.4) * 1e6)};
}

static const char *const romes[] = {"K1311", "J1501", "K1304", "K1303", "J1304", "K1306"};
static const char *const skills[] = {"toilette",
                                     "aide au repas",
                                     "transferts",
                                     "ménage",
                                     "courses",
                                     "animation",
                                     "cuisine",
                                     "habillage",
                                     "soins aux nourrissons",
                                     "accompagnement à la vie sociale"};
static const char *const certs[] = {"DEAES", "DEAS", "DEAVS", "SST", "DEAP", "PSC1"};

static void make_offer(cm_offer_t *o, cm_skill_req_t *sk, cm_cert_req_t *ce, cm_window_t *w, int i)
{
    memset(o, 0, sizeof *o);
    snprintf(o->id, sizeof o->id, "off-%07d", i);
    o->title = "Offre";
    memcpy(o->rome, romes[rnd(6)], 6);
    o->loc = rnd_place();
    o->contract = (cm_contract_t)rnd(3);
    o->hours_per_week = 20 + rnd(16);
    o->n_skills = rnd(4);
    for (size_t k = 0; k < o->n_skills; k++)
        sk[k] = (cm_skill_req_t){skills[rnd(10)], rnd(2) == 0};
    o->skills = sk;
    o->n_certs = rnd(2);
    for (size_t k = 0; k < o->n_certs; k++)
        ce[k] = (cm_cert_req_t){.code = certs[rnd(6)], .required = rnd(2) == 0};
    o->certs = ce;
    uint16_t from = (uint16_t)(12 + rnd(30)) * 30;
    *w = (cm_window_t){(uint8_t)(rnd(3) ? 0x1f : 0x7f), from, (uint16_t)((from + 420) % 1440)};
    o->schedule = w;
    o->n_schedule = 1;
    o->pre_hire_training = rnd(3) == 0;
    o->immersion_possible = rnd(2) == 0;
    o->published_days = CM_DATE_NONE;
    o->status = rnd(20) == 0 ? CM_OFFER_CLOSED : CM_OFFER_OPEN;
}

static void make_cand(cm_candidate_t *c, char (*rome)[6], const char **sk, const char **ce,
                      cm_window_t *w, int i)
{
    memset(c, 0, sizeof *c);
    snprintf(c->id, sizeof c->id, "cand-%07d", i);
    c->loc = rnd_place();
    c->n_desired_rome = 1 + rnd(2);
    for (size_t k = 0; k < c->n_desired_rome; k++)
        memcpy(rome[k], romes[rnd(6)], 6);
    c->desired_rome = rome;
    c->n_skills = rnd(5);
    for (size_t k = 0; k < c->n_skills; k++)
        sk[k] = skills[rnd(10)];
    c->skills = sk;
    c->n_certs = rnd(3);
    for (size_t k = 0; k < c->n_certs; k++)
        ce[k] = certs[rnd(6)];
    c->certs = ce;
    c->experience_months = (int)rnd(60);
    c->driving_licence = rnd(2);
    c->vehicle = c->driving_licence && rnd(3) != 0;
    c->modes = (uint8_t)(CM_MODE_TRANSIT | CM_MODE_WALK | (c->vehicle ? CM_MODE_CAR : 0));
    c->max_minutes = 20 + (int)rnd(5) * 10;
    if (rnd(2)) {
        *w = (cm_window_t){0x1f, (uint16_t)(480 + rnd(4) * 30), (uint16_t)(960 + rnd(6) * 30)};
        c->availability = w;
        c->n_availability = 1;
    }
    c->status = rnd(10) == 0 ? CM_CAND_INACTIVE : CM_CAND_ACTIVE;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int dbl_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void report(const char *what, double *t, size_t n, double scored)
{
    qsort(t, n, sizeof *t, dbl_cmp);
    printf("%-40s p50 %7.3f ms  p99 %7.3f ms  max %7.3f ms  mean scored %.0f\n", what, t[n / 2],
           t[(size_t)(n * 0.99)], t[n - 1], scored / n);
}

int main(int argc, char **argv)
{
    int n_off = argc > 1 ? atoi(argv[1]) : 100000;
    int n_cand = argc > 2 ? atoi(argv[2]) : 500000;
    int n_q = argc > 3 ? atoi(argv[3]) : 1000;
    cm__catalog_t *cat;
    cm_offer_t o;
    cm_candidate_t c;
    cm_skill_req_t osk[4];
    cm_cert_req_t oce[2];
    cm_window_t w;
    char rome[2][6];
    const char *csk[5], *cce[3];
    if (n_off < 1 || n_cand < 1 || n_q < 1) {
        fprintf(stderr, "usage: bench_match [offers candidates queries]\n");
        return 2;
    }
    if (cm__catalog_create(NULL, &cat)) {
        fprintf(stderr, "catalog: out of memory\n");
        return 1;
    }
    double t0 = now_ms();
    for (int i = 0; i < n_off; i++) {
        make_offer(&o, osk, oce, &w, i);
        if (cm__catalog_put_offer(cat, &o)) {
            fprintf(stderr, "put offer failed\n");
            return 1;
        }
    }
    double t1 = now_ms();
    for (int i = 0; i < n_cand; i++) {
        make_cand(&c, rome, csk, cce, &w, i);
        if (cm__catalog_put_candidate(cat, &c)) {
            fprintf(stderr, "put candidate failed\n");
            return 1;
        }
    }
    double t2 = now_ms();
    printf("catalog: %d offers in %.0f ms, %d candidates in %.0f ms (synthetic, single thread)\n",
           n_off, t1 - t0, n_cand, t2 - t1);

    double *lat = malloc((size_t)n_q * sizeof *lat), scored = 0;
    if (!lat)
        return 1;
    cm_match_options_t opt = {.limit = 20, .min_score = 0, .include_near_misses = true};
    for (int q = 0; q < n_q; q++) {
        make_cand(&c, rome, csk, cce, &w, n_cand + q);
        cm__ranked_t *r;
        size_t n, considered;
        double a = now_ms();
        if (cm__match_offers(cat, &c, (cm__match_req_t){&opt, true}, &r, &n, &considered)) {
            fprintf(stderr, "match_offers failed\n");
            return 1;
        }
        lat[q] = now_ms() - a;
        scored += (double)considered;
        cm_free(r);
    }
    report("candidate -> top 20 offers:", lat, (size_t)n_q, scored);

    opt.limit = 50;
    scored = 0;
    for (int q = 0; q < n_q; q++) {
        make_offer(&o, osk, oce, &w, n_off + q);
        cm__ranked_t *r;
        size_t n, considered;
        double a = now_ms();
        if (cm__match_candidates(cat, &o, (cm__match_req_t){&opt, true}, &r, &n, &considered)) {
            fprintf(stderr, "match_candidates failed\n");
            return 1;
        }
        lat[q] = now_ms() - a;
        scored += (double)considered;
        cm_free(r);
    }
    report("offer -> top 50 candidates:", lat, (size_t)n_q, scored);
    free(lat);
    cm__catalog_destroy(cat);
    return 0;
}
