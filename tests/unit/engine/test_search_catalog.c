/* Radius searches answered by the catalog (engine/catalog_search.c, search_set.c) give exactly
 * what the index's own filters gave: the same page, scores, totals and facets, for random
 * queries (text or none, every filter, each sort, deep pages) over random offers with closed,
 * deleted, moved and re-created ones. The writable engine (index writer thread, catalog loaded)
 * answers by the catalog; the same directory opened read-only (no catalog loaded for a search)
 * answers by the index's filters, as before. Also: the map of docids follows a reindex.
 * The catalog's text searches rank their words themselves (engine/textrank.c) unless told not
 * to: the same answers, scores included, as Xapian's matcher over the same set; after the
 * reindex, with every word's postings kept decoded (shim/cmx_postings.cc). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "carematch/engine.h"
#include "test.h"

extern bool cm__textrank_off; /* engine/search_set.h: every text search by Xapian's matcher */
void cmx_postings_cache_tune(uint64_t freq, long stable_ms); /* shim/cmx.h: postings kept */

#define N_OFFERS 900
#define N_QUERIES 260

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static unsigned rnd(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

static const char *const romes[] = {"J1501", "K1302", "K1304", "J1506", "K1207"};
static const char *const kinds[] = {"ehpad", "hopital", "saad", "ssiad", "creche", ""};
static const char *const contracts[] = {"CDI", "CDD", "interim", "apprentissage"};
static const char *const titles[] = {"Aide-soignant(e) de nuit",
                                     "Auxiliaire de vie à domicile",
                                     "Agent de service hospitalier",
                                     "Infirmière en EHPAD",
                                     "Animateur en maison de retraite",
                                     "Accompagnant éducatif et social",
                                     "Aide à domicile H/F",
                                     "Aide-soignante diplômée jour"};
static const char *const descs[] = {
    "Résidence de 80 lits, équipe de nuit, transmissions avec l'infirmière.",
    "Interventions au domicile de personnes âgées, permis B souhaité, véhicule fourni.",
    "Entretien des locaux et bionettoyage, service hôtelier.",
    "Accompagnement des résidents dans les actes de la vie quotidienne, week-end un sur deux.",
    "Animation d'ateliers mémoire et sorties, horaires de jour."};
static const char *const texts[] = {
    "", "aide-soignante", "nuit", "auxiliaire vie", "infirmier", "EPHAD", "domicile permis",
    "agent hospitalier", "animatrice atelier", "aide soignant jour diplome", "nuit OR jour", "zzzz",
    /* denials: facts filtered out (textneg.c) */
    "aide soignante sans nuit", "domicile sans permis ni week-end", "pas de week-end"};

static cm_engine_t *open_engine(const char *dir, bool read_only)
{
    cm_engine_t *e;
    cm_engine_options_t opt = {0};
    cm_error err = {0};
    opt.read_only = read_only;
    int rc = cm_engine_open(dir, &opt, &e, &err);
    if (rc)
        CM_FAIL_("open: %s (%s)", cm_strerror(rc), err.message);
    return e;
}

/* Offers on both sides of the antimeridian: the grid does not wrap, the distance does. */
static void put_far(cm_engine_t *e, int k)
{
    char json[512];
    double lon = k % 2 ? 179.9 - (k % 10) * 0.011 : -179.9 + (k % 10) * 0.013;
    snprintf(json, sizeof json,
             "{\"id\":\"w%02d\",\"title\":\"%s\",\"rome\":\"%s\",\"location\":{\"lat\":%.4f,"
             "\"lon\":%.4f,\"postcode\":\"98600\"},\"contract\":\"%s\","
             "\"published_at\":\"2026-10-%02d\"}",
             k, titles[k % 8], romes[k % 5], -13.3 + (k % 5) * 0.07, lon, contracts[k % 4],
             1 + k % 27);
    cm_offer_t *o = NULL;
    cm_error err = {0};
    if (cm_offer_from_json(json, strlen(json), NULL, &o, &err))
        CM_FAIL_("offer_from_json: %s (%s)\n%s", err.field, err.message, json);
    ASSERT_OK(cm_engine_put_offer(e, o, 0, NULL, NULL));
    cm_offer_free(o);
}

static void put_offer(cm_engine_t *e, int i, int version)
{
    char json[2048];
    /* how the work is done: a pattern, windows (a weekend day's, a night's), a licence */
    static const char *const facts[] = {
        "",
        "\"work_pattern\":[\"night\"],",
        "\"work_pattern\":[\"day\",\"weekend\"],",
        "\"schedule\":[{\"days\":[\"sat\",\"sun\"],\"from\":\"08:00\",\"to\":\"14:00\"}],",
        "\"schedule\":[{\"days\":[\"mon\",\"tue\",\"fri\"],\"from\":\"21:00\","
        "\"to\":\"07:00\"}],",
        "\"schedule\":[{\"days\":[\"mon\",\"tue\",\"wed\"],\"from\":\"09:00\","
        "\"to\":\"17:00\"}],\"driving_licence_required\":true,",
        "\"vehicle_provided\":true,",
        "\"vehicle_required\":true,"};
    const char *fact = facts[rnd(8)];
    const char *kind = kinds[rnd(6)];
    char employer[96] = "";
    if (kind[0])
        snprintf(employer, sizeof employer,
                 "\"employer\":{\"name\":\"Employeur %d\",\"kind\":\"%s\"},", i % 37, kind);
    int day = 1 + (int)rnd(20);
    char published[48] = "";
    if (rnd(8))
        snprintf(published, sizeof published, "\"published_at\":\"2026-11-%02d\",", day);
    /* clustered points: several offers share a place (ties), most within 60 km of Lyon */
    double lat = 45.75 + (double)(int)rnd(90) / 100.0 - 0.45,
           lon = 4.85 + (double)(int)rnd(120) / 100.0 - 0.6;
    if (version > 0)
        lat += 0.05;
    snprintf(json, sizeof json,
             "{\"id\":\"o%04d\",\"title\":\"%s\",\"description\":\"%s\",\"rome\":\"%s\",%s%s"
             "\"location\":{\"lat\":%.4f,\"lon\":%.4f,\"postcode\":\"%s\"},\"contract\":\"%s\","
             "%s\"immersion_possible\":%s,\"pre_hire_training\":%s,"
             "\"accessible_to_disabled_workers\":%s,\"status\":\"%s\"}",
             i, titles[rnd(8)], descs[rnd(5)], romes[rnd(5)], fact, employer, lat, lon,
             rnd(2) ? "69003" : "38200", contracts[rnd(4)], published, rnd(2) ? "true" : "false",
             rnd(3) ? "false" : "true", rnd(2) ? "true" : "false", rnd(9) ? "open" : "closed");
    cm_offer_t *o = NULL;
    cm_error err = {0};
    int rc = cm_offer_from_json(json, strlen(json), NULL, &o, &err);
    if (rc)
        CM_FAIL_("offer_from_json: %s (%s: %s)\n%s", cm_strerror(rc), err.field, err.message, json);
    ASSERT_OK(cm_engine_put_offer(e, o, 0, NULL, NULL));
    cm_offer_free(o);
}

typedef struct qspec {
    char text[64];
    double lat, lon, radius;
    const char *rome[2];
    size_t n_rome;
    uint32_t contracts, kinds;
    int immersion, training, accessible, sort;
    unsigned with, without; /* CM_WORK_FACT_* */
    unsigned offset, limit;
    bool operators;
} qspec_t;

static qspec_t random_query(void)
{
    qspec_t s = {0};
    snprintf(s.text, sizeof s.text, "%s", texts[rnd(15)]);
    s.operators = strstr(s.text, " OR ") != NULL;
    s.lat = 45.75 + (double)(int)rnd(60) / 100.0 - 0.3 + 0.00137; /* off the offers' grid: */
    s.lon = 4.85 + (double)(int)rnd(60) / 100.0 - 0.3 + 0.00291;  /* no exact mirror ties */
    s.radius = 1 + rnd(70);
    if (rnd(10) == 0) { /* across the antimeridian (Wallis-et-Futuna's side) */
        s.lat = -13.3012;
        s.lon = rnd(2) ? 179.9713 : -179.9687;
        s.radius = 5 + rnd(200);
    }
    if (rnd(4) == 0)
        s.rome[s.n_rome++] = romes[rnd(5)];
    if (rnd(6) == 0)
        s.rome[s.n_rome++] = romes[rnd(5)];
    if (rnd(4) == 0)
        s.contracts = 1u << (1 + rnd(4));
    if (rnd(5) == 0)
        s.kinds = (1u << (1 + rnd(8))) | (rnd(2) ? 1u : 0u);
    s.immersion = rnd(4) ? -1 : (int)rnd(2);
    s.training = rnd(5) ? -1 : (int)rnd(2);
    s.accessible = rnd(5) ? -1 : (int)rnd(2);
    if (rnd(5) == 0)
        s.with = 1u << rnd(4);
    if (rnd(5) == 0)
        s.without = (1u << rnd(4)) & ~s.with;
    s.sort = (int)rnd(3);
    s.offset = rnd(4) ? 0 : rnd(60);
    s.limit = 1 + rnd(30);
    return s;
}

/* The answer as text: total, page (id and score), facets. */
static char *answer(cm_engine_t *e, const qspec_t *s)
{
    cm_search_query_t q = {0};
    q.q = s->text;
    q.operators = s->operators;
    q.has_geo = true;
    q.center.lat_e6 = (int32_t)lround(s->lat * 1e6);
    q.center.lon_e6 = (int32_t)lround(s->lon * 1e6);
    q.radius_km = s->radius;
    for (size_t i = 0; i < s->n_rome; i++)
        q.rome[i] = s->rome[i];
    q.n_rome = s->n_rome;
    q.contracts = s->contracts;
    q.employer_kinds = s->kinds;
    q.immersion_possible = s->immersion;
    q.pre_hire_training = s->training;
    q.accessible_to_disabled_workers = s->accessible;
    q.with = s->with;
    q.without = s->without;
    q.sort = s->sort;
    q.offset = s->offset;
    q.limit = s->limit;
    q.facets = (1u << CM_FACET__COUNT) - 1;
    cm_search_result_t *r;
    cm_error err = {0};
    int rc = cm_engine_search(e, &q, &r, &err);
    if (rc)
        CM_FAIL_("search: %s (%s: %s)", cm_strerror(rc), err.field, err.message);
    size_t cap = 16384, n = 0;
    char *out = malloc(cap);
    ASSERT(out != NULL);
    n += (size_t)snprintf(out + n, cap - n, "total %llu match %d |", (unsigned long long)r->total,
                          r->text_match);
    for (size_t i = 0; i < r->n_hits; i++)
        n += (size_t)snprintf(out + n, cap - n, " %s:%.0f", r->hits[i].offer->id, r->hits[i].score);
    for (int f = 0; f < CM_FACET__COUNT; f++) {
        n += (size_t)snprintf(out + n, cap - n, " |");
        for (size_t j = 0; j < r->n_facets[f]; j++)
            n += (size_t)snprintf(out + n, cap - n, " %s=%u", r->facets[f][j].value,
                                  r->facets[f][j].count);
    }
    ASSERT(n < cap);
    cm_search_result_free(r);
    return out;
}

static uint64_t by_catalog(cm_engine_t *e)
{
    cm_engine_info_t info;
    ASSERT_OK(cm_engine_info(e, &info));
    return info.searches_by_catalog;
}

static uint64_t text_ranked(cm_engine_t *e)
{
    cm_engine_info_t info;
    ASSERT_OK(cm_engine_info(e, &info));
    return info.searches_text_ranked;
}

static qspec_t qs[N_QUERIES];

/* The first radius search with text asks the index writer to map the index's docids (the
 * engine answers by the index's own filters meanwhile): wait until searches use the map. */
static void warm(cm_engine_t *e)
{
    qspec_t s = {.text = "aide", .lat = 45.75, .lon = 4.85, .radius = 30, .limit = 1};
    s.immersion = s.training = s.accessible = -1;
    for (int i = 0; i < 1000; i++) {
        uint64_t before = by_catalog(e);
        free(answer(e, &s));
        if (by_catalog(e) > before)
            return;
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    CM_FAIL_("the catalog never mapped the index's documents");
}

/* Every query by the catalog on e (closed after), then by the index's filters read-only. */
static void compare(cm_engine_t *e, const char *dir)
{
    static char *want[N_QUERIES];
    warm(e);
    uint64_t before = by_catalog(e), ranked = text_ranked(e), nonempty = 0;
    for (int i = 0; i < N_QUERIES; i++) {
        want[i] = answer(e, &qs[i]);
        nonempty += strstr(want[i], "total 0 ") == NULL;
    }
    ASSERT_EQ(by_catalog(e) - before, (uint64_t)N_QUERIES); /* every one by the catalog */
    ASSERT(nonempty > N_QUERIES / 2);                       /* the comparison means something */
    ASSERT(text_ranked(e) - ranked > N_QUERIES / 3);        /* most texts ranked by the engine */
    cm__textrank_off = true;                                /* the same set, Xapian's matcher */
    for (int i = 0; i < N_QUERIES; i++) {
        char *got = answer(e, &qs[i]);
        if (strcmp(got, want[i]) != 0)
            CM_FAIL_("query %d (\"%s\", sort %d, offset %u):\n ranked %s\n xapian %s", i,
                     qs[i].text, qs[i].sort, qs[i].offset, want[i], got);
        free(got);
    }
    cm__textrank_off = false;
    cm_engine_close(e);
    e = open_engine(dir, true);
    for (int i = 0; i < N_QUERIES; i++) {
        char *got = answer(e, &qs[i]);
        if (strcmp(got, want[i]) != 0)
            CM_FAIL_("query %d (\"%s\", %.2f %.2f r %.0f, sort %d, offset %u):\n catalog %s\n "
                     "index   %s",
                     i, qs[i].text, qs[i].lat, qs[i].lon, qs[i].radius, qs[i].sort, qs[i].offset,
                     want[i], got);
        free(got);
        free(want[i]);
    }
    ASSERT_EQ(by_catalog(e), 0); /* the read-only engine answered by the index's filters */
    cm_engine_close(e);
}

/* Past 10,000 matches the index's filters counted every one too: a radius search answered
 * by the index (read-only here; after a start, until the catalog maps the index) gives the
 * catalog's exact totals and facets (hostile-input probe: 10,000 and facets summing to it in
 * the first 0.3 s after a start, 16,230 after). */
static void test_exact_past_the_cap(void)
{
    enum { N = 10100, BATCH = 1000 };
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", cm_test_tmpdir("searchcap"));
    cm_engine_t *e = open_engine(dir, false);
    cm_offer_t *recs[BATCH];
    int rcs[BATCH];
    for (int done = 0; done < N; done += BATCH) {
        for (int i = 0; i < BATCH; i++) {
            char json[512];
            snprintf(json, sizeof json,
                     "{\"id\":\"c%05d\",\"title\":\"Aide soignant\",\"rome\":\"J1501\","
                     "\"location\":{\"lat\":%.4f,\"lon\":4.85},\"contract\":\"%s\"}",
                     done + i, 45.70 + (done + i) % 100 * 0.001, (done + i) % 3 ? "CDI" : "CDD");
            cm_error err = {0};
            if (cm_offer_from_json(json, strlen(json), NULL, &recs[i], &err))
                CM_FAIL_("offer_from_json: %s", err.message);
        }
        int n = done + BATCH <= N ? BATCH : N - done;
        ASSERT_OK(cm_engine_put_offers(e, recs, (size_t)n, rcs));
        for (int i = 0; i < BATCH; i++)
            cm_offer_free(recs[i]);
    }
    cm_engine_close(e);
    e = open_engine(dir, true);
    cm_search_query_t q = {0};
    q.q = "aide";
    q.has_geo = true;
    q.center.lat_e6 = 45750000;
    q.center.lon_e6 = 4850000;
    q.radius_km = 30;
    q.limit = 5;
    q.facets = 1u << CM_FACET_CONTRACT;
    cm_search_result_t *r;
    cm_error err = {0};
    ASSERT_OK(cm_engine_search(e, &q, &r, &err));
    ASSERT_EQ(r->total, (uint64_t)N);
    uint64_t sum = 0;
    for (size_t i = 0; i < r->n_facets[CM_FACET_CONTRACT]; i++)
        sum += r->facets[CM_FACET_CONTRACT][i].count;
    ASSERT_EQ(sum, (uint64_t)N);
    ASSERT_EQ(by_catalog(e), 0); /* answered by the index's filters */
    cm_search_result_free(r);
    cm_engine_close(e);
}

static void put_json(cm_engine_t *e, const char *json)
{
    cm_offer_t *o = NULL;
    cm_error err = {0};
    if (cm_offer_from_json(json, strlen(json), NULL, &o, &err))
        CM_FAIL_("offer_from_json: %s (%s)", err.field, err.message);
    ASSERT_OK(cm_engine_put_offer(e, o, 0, NULL, NULL));
    cm_offer_free(o);
}

/* Denials typed in q ("sans permis", "pas de nuit ni de week-end") filter out the offers
 * with that fact and leave the text, read_without says which (an adviser's probe: "sans
 * permis" ranked the licence-only offers first); "Pas-de-Calais" denies nothing. By the
 * catalog (a radius) and by the index (none). */
static void test_denials(void)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", cm_test_tmpdir("searchdeny"));
    cm_engine_t *e = open_engine(dir, false);
    static const char *const offers[] = {
        "{\"id\":\"n\",\"title\":\"Aide-soignante de "
        "nuit\",\"rome\":\"J1501\",\"contract\":\"CDI\","
        "\"work_pattern\":[\"night\"],\"location\":{\"lat\":45.75,\"lon\":4.85}}",
        "{\"id\":\"w\",\"title\":\"Aide-soignante\",\"rome\":\"J1501\",\"contract\":\"CDI\","
        "\"schedule\":[{"
        "\"days\":[\"sat\",\"sun\"],\"from\":\"07:00\",\"to\":\"14:00\"}],\"location\":{"
        "\"lat\":45.76,\"lon\":4.85}}",
        "{\"id\":\"l\",\"title\":\"Aide-soignante à "
        "domicile\",\"rome\":\"J1501\",\"contract\":\"CDI\","
        "\"driving_licence_required\":true,\"location\":{\"lat\":45.77,\"lon\":4.85}}",
        "{\"id\":\"d\",\"title\":\"Aide-soignante de "
        "jour\",\"rome\":\"J1501\",\"contract\":\"CDI\","
        "\"schedule\":[{\"days\":[\"mon\",\"fri\"],\"from\":\"07:00\",\"to\":\"14:00\"}],"
        "\"location\":{\"lat\":45.78,\"lon\":4.85}}"};
    for (size_t i = 0; i < sizeof offers / sizeof offers[0]; i++)
        put_json(e, offers[i]);
    static const struct {
        const char *q, *ids; /* ids: the hits, sorted */
        unsigned denied;
    } cases[] = {
        {"aide soignante", "d l n w", 0},
        {"aide soignante sans nuit", "d l w", CM_WORK_FACT_NIGHT},
        {"aide-soignante pas de nuit ni de week-end", "d l",
         CM_WORK_FACT_NIGHT | CM_WORK_FACT_WEEKEND},
        {"sans permis", "d n w", CM_WORK_FACT_LICENCE},
        /* no car is no own car: the licence-only post stays (a reviewer's catch) */
        {"Aide-soignante, pas besoin de voiture, hors week-end", "d l n",
         CM_WORK_FACT_VEHICLE | CM_WORK_FACT_WEEKEND},
        {"aide-soignante avec ou sans permis", "d l n w", 0},
        {"aide soignante non véhiculée", "d l n w", CM_WORK_FACT_VEHICLE},
        {"aide soignante Pas-de-Calais", "d l n w", 0}, /* a place, no denial */
    };
    for (int radius = 0; radius < 2; radius++)
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            cm_search_query_t q = {0};
            q.q = cases[i].q;
            q.immersion_possible = q.pre_hire_training = q.accessible_to_disabled_workers = -1;
            q.limit = 10;
            if (radius) {
                q.has_geo = true;
                q.center.lat_e6 = 45760000;
                q.center.lon_e6 = 4850000;
                q.radius_km = 20;
            }
            cm_search_result_t *r;
            cm_error err = {0};
            ASSERT_OK(cm_engine_search(e, &q, &r, &err));
            const char *ids[8];
            size_t n = r->n_hits < 8 ? r->n_hits : 8;
            for (size_t k = 0; k < n; k++)
                ids[k] = r->hits[k].offer->id;
            for (size_t a = 0; a < n; a++) /* sorted */
                for (size_t b = a + 1; b < n; b++)
                    if (strcmp(ids[b], ids[a]) < 0) {
                        const char *t = ids[a];
                        ids[a] = ids[b];
                        ids[b] = t;
                    }
            char got[64] = "";
            for (size_t k = 0; k < n; k++)
                snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", k ? " " : "", ids[k]);
            if (strcmp(got, cases[i].ids) != 0 || r->read_without != cases[i].denied)
                CM_FAIL_("\"%s\" (radius %d): %s, denied %u", cases[i].q, radius, got,
                         r->read_without);
            cm_search_result_free(r);
        }
    /* places of several words: the département's number, the région's word (an adviser's
     * probe: "Bouches-du-Rhône" found Lyon's offers by "rhône", "Île-de-France" La Réunion's) */
    static const char *const places[] = {
        "{\"id\":\"m\",\"title\":\"Aide-soignante\",\"rome\":\"J1501\",\"contract\":\"CDI\","
        "\"location\":{\"postcode\":\"13005\",\"city\":\"Marseille\"}}",
        "{\"id\":\"r\",\"title\":\"Aide-soignante\",\"rome\":\"J1501\",\"contract\":\"CDI\","
        "\"location\":{\"postcode\":\"69003\",\"city\":\"Lyon\"}}",
        "{\"id\":\"s\",\"title\":\"Aide-soignante\",\"rome\":\"J1501\",\"contract\":\"CDI\","
        "\"location\":{\"postcode\":\"93200\",\"city\":\"Saint-Denis\"}}"};
    for (size_t i = 0; i < sizeof places / sizeof places[0]; i++)
        put_json(e, places[i]);
    static const struct {
        const char *q, *id;
    } placed[] = {{"aide-soignante Bouches-du-Rhône", "m"},
                  {"aide soignante bouches du rhone", "m"},
                  {"Aide-soignante Provence-Alpes-Côte d'Azur", "m"},
                  {"aide-soignante Seine-Saint-Denis", "s"},
                  {"aide-soignante Île-de-France", "s"},
                  {"Auvergne-Rhône-Alpes aide-soignante", "r"}};
    for (size_t i = 0; i < sizeof placed / sizeof placed[0]; i++) {
        cm_search_query_t q = {0};
        q.q = placed[i].q;
        q.immersion_possible = q.pre_hire_training = q.accessible_to_disabled_workers = -1;
        q.limit = 10;
        cm_search_result_t *r;
        cm_error err = {0};
        ASSERT_OK(cm_engine_search(e, &q, &r, &err));
        if (r->n_hits != 1 || strcmp(r->hits[0].offer->id, placed[i].id) != 0 ||
            r->text_match != CM_TEXT_MATCH_ALL)
            CM_FAIL_("\"%s\": %zu hits, first %s", placed[i].q, r->n_hits,
                     r->n_hits ? r->hits[0].offer->id : "-");
        cm_search_result_free(r);
    }
    cm_engine_close(e);
}

int main(void)
{
    test_denials();
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", cm_test_tmpdir("searchcat"));
    cm_engine_t *e = open_engine(dir, false);
    for (int i = 0; i < N_OFFERS; i++)
        put_offer(e, i, 0);
    for (int k = 0; k < 40; k++)
        put_far(e, k);
    for (int i = 0; i < N_OFFERS; i += 9) /* moved (and redrawn) */
        put_offer(e, i, 1);
    for (int i = 4; i < N_OFFERS; i += 13) {
        char id[16];
        snprintf(id, sizeof id, "o%04d", i);
        ASSERT_OK(cm_engine_delete_offer(e, id, 0));
    }
    for (int i = 4; i < N_OFFERS; i += 26) /* deleted, then written again: a new document */
        put_offer(e, i, 0);

    for (int i = 0; i < N_QUERIES; i++)
        qs[i] = random_query();
    /* docids given one by one as offers are written */
    compare(e, dir);
    /* a reindex gives new docids: the catalog maps the new index before answering by its set
     * again (and a restart walks it at start) */
    e = open_engine(dir, false);
    cm_error err = {0};
    ASSERT_OK(cm_engine_reindex(e, &err));
    cmx_postings_cache_tune(1,
                            0); /* this time every word's postings kept decoded once seen twice */
    compare(e, dir);
    cmx_postings_cache_tune(0, -1);
    test_exact_past_the_cap();
    puts("test_search_catalog: ok");
    return 0;
}
