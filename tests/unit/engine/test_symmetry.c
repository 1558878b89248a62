/* The score of a pair is the same in all three directions (candidate -> offers, offer ->
 * candidates, anonymous profile), text factor included, on real LMDB + Xapian. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "carematch/engine.h"
#include "test.h"

#define NO 24
#define NC 24

static const char *titles[] = {"Aide-soignant de nuit en EHPAD", "Auxiliaire de vie a domicile",
                               "Accompagnant educatif et social en foyer",
                               "Agent de service hospitalier"};
static const char *romes[] = {"J1501", "K1311", "K1306", "J1301"};
static const char *summaries[] = {
    "Aide-soignante diplomee, nuits en EHPAD, soins d'hygiene et de confort",
    "Auxiliaire de vie, aide a domicile aupres de personnes agees, courses et repas",
    "AES en foyer d'accueil, accompagnement educatif de jeunes adultes",
    "Agent de service, entretien des locaux et bionettoyage en hopital"};

/* Deterministic varied French text: n words drawn from a care-sector vocabulary. */
static void words(char *out, size_t cap, unsigned seed, int n)
{
    static const char *vocab[] = {
        "soins", "hygiene", "confort", "toilette", "repas", "nuit", "jour", "domicile",
        "ehpad", "foyer", "handicap", "enfants", "personnes", "agees", "accompagnement",
        "animation", "entretien", "menage", "courses", "transferts", "mobilisation",
        "ecoute", "bienveillance", "equipe", "autonomie", "alzheimer", "geriatrie",
        "hopital", "lingerie", "bionettoyage", "educatif", "social", "vie", "quotidienne"};
    size_t at = 0;
    out[0] = 0;
    for (int i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        const char *w = vocab[(seed >> 16) % (sizeof vocab / sizeof *vocab)];
        int k = snprintf(out + at, cap - at, "%s%s", i ? " " : "", w);
        if (k < 0 || (size_t)k >= cap - at)
            break;
        at += (size_t)k;
    }
}

static double score_of(const cm_match_result_t *r, const char *id, bool offer, double *text)
{
    for (size_t i = 0; i < r->n; i++) {
        const char *x = offer ? r->items[i].offer->id : r->items[i].candidate->id;
        if (strcmp(x, id) == 0) {
            *text = r->items[i].explain[CM_F_TEXT];
            return r->items[i].score;
        }
    }
    return -1;
}

int main(void)
{
    cm_engine_t *e;
    cm_error err = {0};
    char json[1024], cjson[NC][1024], text[400];
    int rc = cm_engine_open(cm_test_tmpdir("symmetry"), NULL, &e, &err);
    if (rc)
        CM_FAIL_("open: %s", err.message);
    for (int i = 0; i < NO; i++) {
        words(text, sizeof text, 7u * (unsigned)i + 1u, 4 + i * 5 % 23);
        snprintf(json, sizeof json,
                 "{\"id\":\"o%02d\",\"title\":\"%s\",\"rome\":\"%s\",\"description\":\"Poste "
                 "%d, %s, %s\",\"skills\":[{\"label\":\"Soins d'hygiene et de "
                 "confort\",\"required\":%s}],\"location\":{\"lat\":%f,\"lon\":%f,\"city\":"
                 "\"Paris\"},\"contract\":\"CDI\"}",
                 i, titles[i % 4], romes[i % 4], i, text, summaries[(i + 1) % 4],
                 i % 3 ? "false" : "true", 48.80 + (i % 6) * 0.02, 2.30 + (i / 6) * 0.02);
        cm_offer_t *o = NULL;
        if ((rc = cm_offer_from_json(json, strlen(json), NULL, &o, &err)))
            CM_FAIL_("offer %d: %s", i, err.message);
        ASSERT_OK(cm_engine_put_offer(e, o, 0, NULL, NULL));
        cm_offer_free(o);
    }
    for (int i = 0; i < NC; i++) {
        words(text, sizeof text, 13u * (unsigned)i + 5u, 3 + i * 7 % 17);
        snprintf(cjson[i], sizeof cjson[i],
                 "{\"id\":\"c%02d\",\"location\":{\"lat\":%f,\"lon\":%f,\"city\":\"Paris\"},"
                 "\"desired_rome\":[\"%s\"],\"certifications\":[%s],\"skills\":[\"Soins "
                 "d'hygiene et de confort\"],\"summary\":\"%s %s\",\"experience_months\":%d,"
                 "\"mobility\":{\"modes\":[\"transit\",\"walk\"],\"max_minutes\":60}}",
                 i, 48.81 + (i % 5) * 0.02, 2.31 + (i / 5) * 0.02, romes[i % 4],
                 i % 2 ? "\"DEAS\"" : "", summaries[i % 4], text, i * 3);
        cm_candidate_t *c = NULL;
        if ((rc = cm_candidate_from_json(cjson[i], strlen(cjson[i]), NULL, &c, &err)))
            CM_FAIL_("candidate %d: %s", i, err.message);
        ASSERT_OK(cm_engine_put_candidate(e, c, 0, NULL, NULL));
        cm_candidate_free(c);
    }
    cm_match_options_t opt = {.limit = 200, .min_score = 0, .include_near_misses = true};
    cm_match_result_t *by_offer[NO];
    for (int i = 0; i < NO; i++) {
        char id[8];
        snprintf(id, sizeof id, "o%02d", i);
        ASSERT_OK(cm_engine_match_offer(e, id, &opt, &by_offer[i]));
    }
    int pairs = 0, with_text = 0;
    for (int i = 0; i < NC; i++) {
        char id[8];
        snprintf(id, sizeof id, "c%02d", i);
        cm_match_result_t *rc_stored, *rc_profile;
        ASSERT_OK(cm_engine_match_candidate(e, id, &opt, &rc_stored));
        /* the same person as an unstored profile (the decoder takes the path id) */
        cm_candidate_t *p = NULL;
        ASSERT_OK(cm_candidate_from_json(cjson[i], strlen(cjson[i]), NULL, &p, &err));
        ASSERT_OK(cm_engine_match_profile(e, p, &opt, &rc_profile));
        cm_candidate_free(p);
        ASSERT_EQ(rc_stored->n, rc_profile->n);
        for (size_t k = 0; k < rc_stored->n; k++) {
            const cm_match_t *m = &rc_stored->items[k];
            double t1, t2, t3;
            double s2 = score_of(rc_profile, m->offer->id, true, &t2);
            ASSERT_NEAR(m->score, s2, 1e-9);
            int oi = atoi(m->offer->id + 1);
            double s3 = score_of(by_offer[oi], id, false, &t3);
            t1 = m->explain[CM_F_TEXT];
            if (s3 < 0)
                continue; /* not in that offer's list (cap or reach): nothing to compare */
            if (fabs(m->score - s3) > 1e-9 || fabs(t1 - t3) > 1e-9)
                CM_FAIL_("pair (%s, %s): score %g (text %g) from the candidate, %g (text %g) "
                         "from the offer",
                         id, m->offer->id, m->score, t1, s3, t3);
            pairs++;
            with_text += t1 > 0;
        }
        cm_match_result_free(rc_stored);
        cm_match_result_free(rc_profile);
    }
    for (int i = 0; i < NO; i++)
        cm_match_result_free(by_offer[i]);
    printf("%d pairs compared, %d with a text factor > 0\n", pairs, with_text);
    ASSERT(pairs > 50);
    ASSERT(with_text > pairs / 2);
    cm_engine_close(e);
    puts("test_symmetry: ok");
    return 0;
}
