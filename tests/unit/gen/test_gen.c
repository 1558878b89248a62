/* carematch-gen: same seed same bytes, records independent of counts, every record accepted by
 * the engine's validator, and the distributions corpora/README.md promises. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "carematch/record.h"
#include "test.h"

#define N_OFFERS 20000
#define N_CANDS 20000

static char gen_bin[4096], dir[4096];

static void run_gen(const char *args)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "'%s' %s", gen_bin, args);
    int rc = system(cmd);
    if (rc != 0)
        CM_FAIL_("command failed (%d): %s", rc, cmd);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        CM_FAIL_("cannot open %s", path);
    struct stat st;
    ASSERT(fstat(fileno(f), &st) == 0);
    char *p = malloc((size_t)st.st_size + 1);
    ASSERT(p != NULL);
    ASSERT_EQ(fread(p, 1, (size_t)st.st_size, f), st.st_size);
    p[st.st_size] = '\0';
    fclose(f);
    *len = (size_t)st.st_size;
    return p;
}

static const char *path_of(const char *name)
{
    static char buf[8][4200];
    static int k;
    k = (k + 1) % 8;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}

static void test_determinism(void)
{
    char args[4096];
    snprintf(args, sizeof args,
             "--offers 3000 --candidates 3000 --seed 42 --out-offers '%s' "
             "--out-candidates '%s'",
             path_of("o1"), path_of("c1"));
    run_gen(args);
    snprintf(args, sizeof args,
             "--offers 3000 --candidates 3000 --seed 42 --out-offers '%s' "
             "--out-candidates '%s'",
             path_of("o2"), path_of("c2"));
    run_gen(args);
    snprintf(args, sizeof args, "--offers 3000 --seed 43 > '%s'", path_of("o3"));
    run_gen(args);
    /* record i does not depend on how many are asked for */
    snprintf(args, sizeof args, "--candidates 100 --seed 42 > '%s'", path_of("c4"));
    run_gen(args);

    size_t l1, l2, l3, lc1, lc2, lc4;
    char *o1 = slurp(path_of("o1"), &l1), *o2 = slurp(path_of("o2"), &l2);
    char *o3 = slurp(path_of("o3"), &l3);
    char *c1 = slurp(path_of("c1"), &lc1), *c2 = slurp(path_of("c2"), &lc2);
    char *c4 = slurp(path_of("c4"), &lc4);
    ASSERT(l1 > 0 && lc1 > 0);
    ASSERT_EQ(l1, l2);
    ASSERT(memcmp(o1, o2, l1) == 0);
    ASSERT_EQ(lc1, lc2);
    ASSERT(memcmp(c1, c2, lc1) == 0);
    ASSERT(l1 != l3 || memcmp(o1, o3, l1) != 0);
    /* with seed 43 not even the first record is the same */
    ASSERT(strncmp(o1, o3, (size_t)(strchr(o1, '\n') - o1)) != 0);
    ASSERT(lc4 < lc1);
    ASSERT(memcmp(c1, c4, lc4) == 0);
    free(o1), free(o2), free(o3), free(c1), free(c2), free(c4);
}

/* ---- distributions ---- */

static bool has_night(const cm_window_t *w, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (w[i].to_min < w[i].from_min)
            return true;
    return false;
}

typedef struct dep_count {
    char code[4];
    int n;
} dep_count_t;

static void count_dep(dep_count_t *deps, int *ndeps, const char *postcode)
{
    char d[4];
    if (!cm_department_of_postcode(postcode, d))
        CM_FAIL_("bad postcode %s", postcode ? postcode : "(null)");
    for (int i = 0; i < *ndeps; i++)
        if (strcmp(deps[i].code, d) == 0) {
            deps[i].n++;
            return;
        }
    ASSERT(*ndeps < 128);
    memcpy(deps[*ndeps].code, d, 4);
    deps[(*ndeps)++].n = 1;
}

static void share_in(const char *what, int n, int total, double lo, double hi)
{
    double s = (double)n / total;
    printf("  %-44s %6.2f %%  (want %.1f-%.1f)\n", what, 100 * s, 100 * lo, 100 * hi);
    if (s < lo || s > hi)
        CM_FAIL_("%s: share %.4f outside [%.4f, %.4f]", what, s, lo, hi);
}

/* The generator's ROME 4.0 codes (corpora/data/jobs.c) and their share of offers, per mille:
 * K1311 auxiliaire de vie, K1306 AES, K1307 crèche agents..., never a v3 meaning (K1301 AES). */
enum { N_ROME = 14 };
static const char *const romes[N_ROME] = {"J1501", "K1311", "K1302", "K1304", "J1301",
                                          "K1306", "J1506", "J1304", "K1307", "K1303",
                                          "K1207", "K1208", "K1206", "K1305"};
static const int weights[N_ROME] = {220, 150, 50, 160, 100, 80, 80, 40, 22, 18, 28, 12, 20, 20};

static int rome_index(const char *rome)
{
    for (int i = 0; i < N_ROME; i++)
        if (strcmp(rome, romes[i]) == 0)
            return i;
    return -1;
}

static void test_offers(void)
{
    char args[4096];
    snprintf(args, sizeof args, "--offers %d --seed 7 > '%s'", N_OFFERS, path_of("offers"));
    run_gen(args);
    size_t len;
    char *text = slurp(path_of("offers"), &len);
    int n = 0, night = 0, lic = 0, no_desc = 0, no_sched = 0, long_desc = 0, accents = 0;
    int apos = 0, immersion = 0, training = 0, filled = 0, closed = 0, ehpad_as = 0, as = 0;
    int overseas = 0, corsica = 0, split = 0, deas_req = 0;
    int per_rome[N_ROME] = {0};
    dep_count_t deps[128];
    int ndeps = 0;
    char *line = text;
    while (line < text + len) {
        char *nl = strchr(line, '\n');
        ASSERT(nl != NULL); /* every record ends its line */
        cm_offer_t *o = NULL;
        cm_error err = {0};
        int rc = cm_offer_from_json(line, (size_t)(nl - line), NULL, &o, &err);
        if (rc != 0)
            CM_FAIL_("offer line %d rejected: %s (%s): %.200s", n + 1, err.message, err.field,
                     line);
        n++;
        char want_id[32];
        snprintf(want_id, sizeof want_id, "off-%07d", n);
        ASSERT_STREQ(o->id, want_id);
        int ri = rome_index(o->rome);
        if (ri < 0)
            CM_FAIL_("unexpected ROME %s", o->rome);
        per_rome[ri]++;
        night += has_night(o->schedule, o->n_schedule);
        split +=
            o->n_schedule == 2 && o->schedule[0].from_min == 450 && o->schedule[1].from_min == 1020;
        lic += o->driving_licence_required;
        no_desc += o->description == NULL;
        no_sched += o->n_schedule == 0;
        if (o->description && strlen(o->description) > 15000)
            long_desc++;
        accents += strstr(o->title, "\xc3") != NULL ||
                   (o->description && strstr(o->description, "\xc3\xa9") != NULL);
        apos += o->description && strchr(o->description, '\'') != NULL;
        immersion += o->immersion_possible;
        training += o->pre_hire_training;
        filled += o->status == CM_OFFER_FILLED;
        closed += o->status == CM_OFFER_CLOSED;
        if (ri == 0) {
            as++;
            ehpad_as += o->employer_kind == CM_EMPLOYER_EHPAD;
            for (size_t i = 0; i < o->n_certs; i++)
                deas_req += strcmp(o->certs[i].code, "DEAS") == 0 && o->certs[i].required;
        }
        ASSERT(o->postcode != NULL);
        count_dep(deps, &ndeps, o->postcode);
        overseas += strncmp(o->postcode, "97", 2) == 0;
        corsica += strncmp(o->postcode, "20", 2) == 0;
        cm_offer_free(o);
        line = nl + 1;
    }
    ASSERT_EQ(n, N_OFFERS);
    printf("offers (%d):\n", n);
    for (int i = 0; i < N_ROME; i++) {
        double w = weights[i] / 1000.0;
        char what[64];
        snprintf(what, sizeof what, "ROME %s", romes[i]);
        share_in(what, per_rome[i], n, w * 0.85 - 0.003, w * 1.15 + 0.003);
    }
    share_in("night shifts (window past midnight)", night, n, 0.06, 0.12);
    share_in("home-care split shifts", split, n, 0.10, 0.22);
    share_in("driving licence required", lic, n, 0.20, 0.35);
    share_in("EHPAD among aide-soignant offers", ehpad_as, as, 0.44, 0.56);
    share_in("DEAS required among aide-soignant offers", deas_req, as, 0.82, 0.94);
    share_in("overseas (971-976)", overseas, n, 0.02, 0.05);
    share_in("Corsica", corsica, n, 0.002, 0.01);
    share_in("immersion possible", immersion, n, 0.20, 0.30);
    share_in("pre-hire training", training, n, 0.03, 0.12);
    share_in("filled", filled, n, 0.03, 0.07);
    share_in("closed", closed, n, 0.015, 0.045);
    share_in("no description (empty optional field)", no_desc, n, 0.005, 0.02);
    share_in("no schedule (empty optional field)", no_sched, n, 0.02, 0.045);
    share_in("accented text", accents, n, 0.95, 1.0);
    share_in("apostrophes in the description", apos, n, 0.90, 1.0);
    ASSERT(long_desc >= 10 && long_desc <= 80); /* 0.2 %: ~40 */
    printf("  departements with offers: %d, long descriptions: %d\n", ndeps, long_desc);
    ASSERT(ndeps >= 95);
    free(text);
}

static void test_candidates(void)
{
    char args[4096];
    snprintf(args, sizeof args, "--candidates %d --seed 7 > '%s'", N_CANDS, path_of("cands"));
    run_gen(args);
    size_t len;
    char *text = slurp(path_of("cands"), &len);
    int n = 0, no_lic = 0, car = 0, transit = 0, solo = 0, solo_school = 0, any_time = 0;
    int nights = 0, deas = 0, want_as = 0, no_rome = 0, overseas = 0, corsica = 0, long_sum = 0;
    int disability = 0, active = 0, multi_rome = 0, exp0 = 0, no_summary = 0;
    dep_count_t deps[128];
    int ndeps = 0;
    char *line = text;
    while (line < text + len) {
        char *nl = strchr(line, '\n');
        ASSERT(nl != NULL);
        cm_candidate_t *c = NULL;
        cm_error err = {0};
        int rc = cm_candidate_from_json(line, (size_t)(nl - line), NULL, &c, &err);
        if (rc != 0)
            CM_FAIL_("candidate line %d rejected: %s (%s): %.200s", n + 1, err.message, err.field,
                     line);
        n++;
        char want_id[32];
        snprintf(want_id, sizeof want_id, "cand-%07d", n);
        ASSERT_STREQ(c->id, want_id);
        no_lic += !c->driving_licence;
        car += (c->modes & CM_MODE_CAR) != 0;
        transit += (c->modes & CM_MODE_TRANSIT) != 0;
        ASSERT(!(c->modes & CM_MODE_CAR) || c->driving_licence); /* no car without licence */
        ASSERT(c->modes != 0);
        if (c->solo_parent) {
            ASSERT(c->children_under_12 > 0);
            solo++;
            solo_school += c->n_availability == 1 && c->availability[0].from_min == 510 &&
                           c->availability[0].to_min == 990;
        }
        any_time += c->n_availability == 0;
        nights += has_night(c->availability, c->n_availability);
        for (size_t i = 0; i < c->n_desired_rome; i++)
            if (rome_index(c->desired_rome[i]) < 0)
                CM_FAIL_("candidate %s wants unexpected ROME %s", c->id, c->desired_rome[i]);
        no_rome += c->n_desired_rome == 0;
        multi_rome += c->n_desired_rome > 1;
        if (c->n_desired_rome && strcmp(c->desired_rome[0], "J1501") == 0) {
            want_as++;
            for (size_t i = 0; i < c->n_certs; i++)
                deas += strcmp(c->certs[i], "DEAS") == 0;
        }
        ASSERT(c->postcode != NULL);
        count_dep(deps, &ndeps, c->postcode);
        overseas += strncmp(c->postcode, "97", 2) == 0;
        corsica += strncmp(c->postcode, "20", 2) == 0;
        long_sum += c->summary && strlen(c->summary) > 15000;
        no_summary += c->summary == NULL;
        disability += c->disability_recognised;
        active += c->status == CM_CAND_ACTIVE;
        exp0 += c->experience_months == 0;
        cm_candidate_free(c);
        line = nl + 1;
    }
    ASSERT_EQ(n, N_CANDS);
    printf("candidates (%d):\n", n);
    share_in("without driving licence", no_lic, n, 0.28, 0.38);
    share_in("mode car", car, n, 0.48, 0.58);
    share_in("mode transit", transit, n, 0.40, 0.70);
    share_in("solo parents", solo, n, 0.08, 0.15);
    share_in("school-hours availability among solo parents", solo_school, solo, 0.68, 0.86);
    share_in("available at any time", any_time, n, 0.25, 0.36);
    share_in("night availability", nights, n, 0.03, 0.08);
    share_in("DEAS among aide-soignant seekers", deas, want_as, 0.45, 0.70);
    share_in("several desired ROME", multi_rome, n, 0.30, 0.50);
    share_in("no desired_rome (empty optional field)", no_rome, n, 0.015, 0.045);
    share_in("no summary (empty optional field)", no_summary, n, 0.01, 0.03);
    share_in("no experience", exp0, n, 0.14, 0.22);
    share_in("disability recognised", disability, n, 0.05, 0.09);
    share_in("active", active, n, 0.87, 0.93);
    share_in("overseas (971-976)", overseas, n, 0.02, 0.05);
    share_in("Corsica", corsica, n, 0.002, 0.01);
    printf("  departements: %d, long summaries: %d\n", ndeps, long_sum);
    /* every departement, Corsica's two and the five overseas ones included */
    ASSERT_EQ(ndeps, 101);
    for (const char *const *d =
             (const char *const[]){"2A", "2B", "971", "972", "973", "974", "976", "48", "23", NULL};
         *d; d++) {
        bool found = false;
        for (int i = 0; i < ndeps; i++)
            found |= strcmp(deps[i].code, *d) == 0;
        if (!found)
            CM_FAIL_("no candidate in departement %s", *d);
    }
    ASSERT(long_sum >= 3 && long_sum <= 60); /* 0.1 %: ~20 */
    free(text);
}

static void test_near_offers(void)
{
    /* --near-offers: candidates within --near-km of the given offers, mostly wanting their
     * ROME code */
    FILE *f = fopen(path_of("anchors"), "w");
    ASSERT(f != NULL);
    fputs("{\"id\":\"a\",\"rome\":\"J1304\",\"location\":{\"lat\":43.2965,\"lon\":5.3698}}\n", f);
    ASSERT(fclose(f) == 0);
    char args[4096];
    snprintf(args, sizeof args, "--candidates 300 --seed 3 --near-offers '%s' --near-km 10 > '%s'",
             path_of("anchors"), path_of("near"));
    run_gen(args);
    size_t len;
    char *text = slurp(path_of("near"), &len);
    int n = 0, ap = 0;
    for (char *line = text; line < text + len;) {
        char *nl = strchr(line, '\n');
        ASSERT(nl != NULL);
        cm_candidate_t *c = NULL;
        cm_error err = {0};
        ASSERT_OK(cm_candidate_from_json(line, (size_t)(nl - line), NULL, &c, &err));
        double dlat = c->loc.lat_e6 / 1e6 - 43.2965, dlon = (c->loc.lon_e6 / 1e6 - 5.3698) * 0.73;
        ASSERT(dlat * dlat + dlon * dlon < (10.5 / 111.32) * (10.5 / 111.32));
        ASSERT(c->postcode && c->postcode[0] == '1' && c->postcode[1] == '3');
        ap += c->n_desired_rome && strcmp(c->desired_rome[0], "J1304") == 0;
        n++;
        cm_candidate_free(c);
        line = nl + 1;
    }
    ASSERT_EQ(n, 300);
    share_in("near mode: anchor's ROME first", ap, n, 0.65, 0.85);
    free(text);
}

/* corpora/demo/candidates.ndjson is generator output: it must still be what the documented
 * command gives, or the README would lie (regenerate it when the generator changes). */
static void test_demo_candidates_reproducible(void)
{
    const char *src = getenv("CM_SOURCE_DIR");
    if (!src) {
        printf("  CM_SOURCE_DIR unset: demo reproducibility not checked\n");
        return;
    }
    char args[8192], committed[4096];
    snprintf(committed, sizeof committed, "%s/corpora/demo/candidates.ndjson", src);
    snprintf(args, sizeof args,
             "--candidates 300 --seed 2026 --near-offers '%s/corpora/demo/offers.ndjson' "
             "--near-km 20 > '%s'",
             src, path_of("demo"));
    run_gen(args);
    size_t l1, l2;
    char *a = slurp(committed, &l1), *b = slurp(path_of("demo"), &l2);
    if (l1 != l2 || memcmp(a, b, l1) != 0)
        CM_FAIL_("corpora/demo/candidates.ndjson differs from the generator's output: "
                 "regenerate it (command in corpora/README.md)");
    free(a);
    free(b);
}

static void test_bad_arguments(void)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "'%s' --offers 10 --candidates 10 > /dev/null 2>&1", gen_bin);
    ASSERT(system(cmd) != 0); /* two kinds need two files */
    snprintf(cmd, sizeof cmd, "'%s' --offers -3 > /dev/null 2>&1", gen_bin);
    ASSERT(system(cmd) != 0);
    snprintf(cmd, sizeof cmd, "'%s' --bogus 1 > /dev/null 2>&1", gen_bin);
    ASSERT(system(cmd) != 0);
}

int main(int argc, char **argv)
{
    const char *bin = getenv("CM_GEN_BIN");
    if (argc > 1)
        bin = argv[1];
    if (bin && *bin) {
        snprintf(gen_bin, sizeof gen_bin, "%s", bin);
    } else {
        const char *bd = getenv("CM_BUILD_DIR");
        snprintf(gen_bin, sizeof gen_bin, "%s/carematch-gen", bd ? bd : ".");
    }
    snprintf(dir, sizeof dir, "%s", cm_test_tmpdir("gen"));
    test_bad_arguments();
    test_determinism();
    test_offers();
    test_candidates();
    test_near_offers();
    test_demo_candidates_reproducible();
    char cmd[8300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    printf("test_gen: ok\n");
    return 0;
}
