/* France Travail mapping: the three file shapes, each offer of the fixtures field by field,
 * what the report says, refusals, and every mapped offer accepted by the engine's validator. */
#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carematch/francetravail.h"
#include "carematch/record.h"
#include "test.h"

typedef struct mapped {
    int rc;
    char *json;
    char *report;
    cJSON *o;        /* parsed json */
    cm_offer_t *rec; /* validated record */
} mapped_t;

typedef struct batch {
    mapped_t m[16];
    size_t n;
} batch_t;

static int collect(void *arg, size_t index, const char *offer, size_t len)
{
    batch_t *b = arg;
    ASSERT_EQ(index, b->n);
    ASSERT(b->n < 16);
    mapped_t *m = &b->m[b->n++];
    memset(m, 0, sizeof *m);
    m->rc = cm_ft_offer_to_json(offer, len, &m->json, &m->report);
    if (m->rc == 0) {
        ASSERT(m->json != NULL);
        m->o = cJSON_Parse(m->json);
        ASSERT(m->o != NULL);
        cm_error err = {0};
        int rc = cm_offer_from_json(m->json, strlen(m->json), NULL, &m->rec, &err);
        if (rc != 0)
            CM_FAIL_("mapped offer refused by the validator: %s (%s): %s", err.message, err.field,
                     m->json);
    } else {
        ASSERT(m->json == NULL);
        ASSERT(m->report != NULL); /* a failure always says why */
    }
    return 0;
}

static void batch_free(batch_t *b)
{
    for (size_t i = 0; i < b->n; i++) {
        cm_free(b->m[i].json);
        cm_free(b->m[i].report);
        cJSON_Delete(b->m[i].o);
        cm_offer_free(b->m[i].rec);
    }
    b->n = 0;
}

static char *fixture(const char *name, size_t *len)
{
    const char *src = getenv("CM_SOURCE_DIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/unit/francetravail/fixtures/%s", src ? src : ".", name);
    FILE *f = fopen(path, "rb");
    if (!f)
        CM_FAIL_("cannot open %s (set CM_SOURCE_DIR)", path);
    char *p = malloc(1 << 20);
    ASSERT(p != NULL);
    *len = fread(p, 1, (1 << 20) - 1, f);
    p[*len] = '\0';
    fclose(f);
    return p;
}

static const cJSON *at(const cJSON *o, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(o, key);
}

static const char *str_at(const cJSON *o, const char *key)
{
    const cJSON *it = at(o, key);
    return cJSON_IsString(it) ? it->valuestring : NULL;
}

static bool has_cert(const cm_offer_t *r, const char *code, bool required)
{
    for (size_t i = 0; i < r->n_certs; i++)
        if (strcmp(r->certs[i].code, code) == 0 && r->certs[i].required == required)
            return true;
    return false;
}

static bool report_has(const mapped_t *m, const char *needle)
{
    return m->report && strstr(m->report, needle) != NULL;
}

static void test_search_answer(void)
{
    size_t len;
    char *text = fixture("search_answer.json", &len);
    batch_t b = {0};
    ASSERT_OK(cm_ft_each_offer(text, len, collect, &b, NULL));
    ASSERT_EQ(b.n, 5);

    /* 0: the full one, night aide-soignant in an EHPAD in Paris */
    mapped_t *m = &b.m[0];
    ASSERT_OK(m->rc);
    const cm_offer_t *r = m->rec;
    ASSERT_STREQ(r->id, "ft-196XKRT");
    ASSERT_STREQ(r->title, "Aide-soignant / Aide-soignante de nuit (H/F)");
    ASSERT(strstr(r->description, "aide-soignant exigé") != NULL);
    ASSERT(strchr(r->description, '\r') == NULL); /* control characters cleaned */
    ASSERT_STREQ(r->rome, "J1501");
    ASSERT_STREQ(r->employer_name, "EHPAD LES TILLEULS");
    ASSERT_EQ(r->employer_kind, CM_EMPLOYER_EHPAD);
    ASSERT_EQ(r->loc.lat_e6, 48858900);
    ASSERT_EQ(r->loc.lon_e6, 2380000);
    ASSERT_STREQ(r->city, "Paris 11e Arrondissement");
    ASSERT_STREQ(r->postcode, "75011");
    ASSERT_EQ(r->contract, CM_CONTRACT_CDI);
    ASSERT_NEAR(r->hours_per_week, 35, 1e-9);
    ASSERT_EQ(r->n_skills, 2);
    ASSERT_STREQ(r->skills[0].label, "Réaliser les soins d'hygiène corporelle et de confort");
    ASSERT(r->skills[0].required);
    ASSERT(!r->skills[1].required);
    ASSERT(has_cert(r, "DEAS", true)); /* formation "Aide-soignant" exigence E */
    ASSERT_EQ(r->n_certs, 1);
    ASSERT(!r->driving_licence_required); /* permis B only "S" */
    ASSERT(r->accessible_to_disabled_workers);
    ASSERT_EQ(r->salary_period, CM_SALARY_MONTH);
    ASSERT_NEAR(r->salary_min, 2000, 1e-9);
    ASSERT_NEAR(r->salary_max, 2300, 1e-9);
    char d[11];
    cm_date_format(r->published_days, d);
    ASSERT_STREQ(d, "2026-10-28");
    ASSERT_EQ(r->status, CM_OFFER_OPEN);
    ASSERT(report_has(m, "Travail de nuit")); /* the schedule stays text */
    ASSERT(report_has(m, "permis: \"B - Véhicule léger\" wanted but not required"));

    /* 1: home care in Creuse, licence required, hourly pay, part time */
    m = &b.m[1];
    ASSERT_OK(m->rc);
    r = m->rec;
    ASSERT_STREQ(r->id, "ft-197BCDF");
    ASSERT_EQ(r->employer_kind, CM_EMPLOYER_SAAD);
    ASSERT_STREQ(r->city, "GUERET");
    ASSERT_STREQ(r->postcode, "23000");
    ASSERT_EQ(r->contract, CM_CONTRACT_CDD);
    ASSERT_NEAR(r->hours_per_week, 24, 1e-9);
    ASSERT(r->driving_licence_required);
    ASSERT(!r->accessible_to_disabled_workers);
    ASSERT(has_cert(r, "TP_ADVF", false)); /* formation "S" and "souhaité" in the text */
    ASSERT_EQ(r->n_certs, 1); /* the job title "Auxiliaire de vie sociale" is no DEAVS */
    ASSERT_EQ(r->salary_period, CM_SALARY_HOUR);
    ASSERT_NEAR(r->salary_min, 11.88, 1e-9);
    ASSERT_NEAR(r->salary_max, 12.5, 1e-9);
    ASSERT(m->report == NULL || !report_has(m, "schedule")); /* "24H/semaine" is just hours */

    /* 2: interim nurse; the salary's "sur 12 mois" is no amount; permit C reported */
    m = &b.m[2];
    ASSERT_OK(m->rc);
    r = m->rec;
    ASSERT_EQ(r->contract, CM_CONTRACT_INTERIM);
    ASSERT(has_cert(r, "DEI", true)); /* "Diplôme d'État d'infirmier exigé" in the text */
    ASSERT_NEAR(r->salary_min, 2450.5, 1e-9);
    ASSERT_NEAR(r->salary_max, 2450.5, 1e-9);
    ASSERT_EQ(r->employer_kind, CM_EMPLOYER_HOPITAL); /* "centre hospitalier" in the text */
    ASSERT(report_has(m, "permis: \"C - Poids lourd\" has no equivalent field"));
    ASSERT(report_has(m, "experienceLibelle: \"2 An(s)\""));
    ASSERT(!r->driving_licence_required);

    /* 3: apprenticeship from natureContrat; DEAS named but not required */
    m = &b.m[3];
    ASSERT_OK(m->rc);
    r = m->rec;
    ASSERT_EQ(r->contract, CM_CONTRACT_APPRENTISSAGE);
    ASSERT(has_cert(r, "DEAS", false));
    ASSERT_EQ(r->employer_kind, CM_EMPLOYER_HOPITAL);
    ASSERT_NEAR(r->hours_per_week, 35, 1e-9);
    ASSERT_EQ(r->salary_period, CM_SALARY_NONE);

    /* 4: no coordinates: refused, location is required */
    m = &b.m[4];
    ASSERT_RC(m->rc, CM_EINVAL);
    ASSERT(report_has(m, "lieuTravail.latitude/longitude: missing"));
    batch_free(&b);
    free(text);
}

static void test_array(void)
{
    size_t len;
    char *text = fixture("array.json", &len);
    batch_t b = {0};
    ASSERT_OK(cm_ft_each_offer(text, len, collect, &b, NULL));
    ASSERT_EQ(b.n, 3);

    /* Corsica, typographic apostrophe, DEAES "(obligatoire)" in the text and a skill */
    mapped_t *m = &b.m[0];
    ASSERT_OK(m->rc);
    const cm_offer_t *r = m->rec;
    ASSERT_STREQ(r->id, "ft-201AJAC");
    ASSERT_EQ(r->employer_kind, CM_EMPLOYER_MAS);
    ASSERT_STREQ(r->postcode, "20090");
    char dep[4];
    ASSERT(cm_department_of_postcode(r->postcode, dep));
    ASSERT_STREQ(dep, "2A");
    ASSERT(has_cert(r, "DEAES", true));
    ASSERT_NEAR(r->salary_min, 1900, 1e-9);
    ASSERT_NEAR(r->salary_max, 2100, 1e-9); /* not 13 (months) */
    ASSERT(strstr(r->description, "L\xe2\x80\x99Oustal") != NULL);
    ASSERT(report_has(m, "horaires variables"));

    /* La Réunion: DEAP from the "Puériculture" formation (E); the unknown one reported */
    m = &b.m[1];
    ASSERT_OK(m->rc);
    r = m->rec;
    ASSERT(r->loc.lat_e6 < 0);
    ASSERT_EQ(r->employer_kind, CM_EMPLOYER_CRECHE);
    ASSERT(has_cert(r, "DEAP", true));
    ASSERT_EQ(r->n_certs, 1);
    ASSERT(report_has(m, "formations: \"Gestion comptable, Bac+2 ou équivalents\" matches no"));
    ASSERT(report_has(m, "salaire.commentaire"));
    ASSERT_NEAR(r->hours_per_week, 28, 1e-9);

    /* franchise: no contract equivalent, refused */
    m = &b.m[2];
    ASSERT_RC(m->rc, CM_EINVAL);
    ASSERT(report_has(m, "typeContrat: \"FRA\""));
    batch_free(&b);
    free(text);
}

static void test_ndjson(void)
{
    size_t len;
    char *text = fixture("offers.ndjson", &len);
    batch_t b = {0};
    ASSERT_OK(cm_ft_each_offer(text, len, collect, &b, NULL));
    ASSERT_EQ(b.n, 3); /* the blank line is skipped, the broken one still handed over */
    ASSERT_OK(b.m[0].rc);
    ASSERT_STREQ(b.m[0].rec->city, "LYON 03");
    ASSERT(b.m[0].rec->driving_licence_required);
    ASSERT_NEAR(b.m[0].rec->salary_min, 12, 1e-9);
    ASSERT_RC(b.m[1].rc, CM_EINVAL);
    ASSERT(report_has(&b.m[1], "invalid JSON"));
    ASSERT_OK(b.m[2].rc);
    const cm_offer_t *r = b.m[2].rec;
    ASSERT_EQ(r->contract, CM_CONTRACT_LIBERAL);
    ASSERT_EQ(r->loc.lat_e6, 43293000); /* quoted coordinates accepted */
    ASSERT(has_cert(r, "DEI", true));
    ASSERT_EQ(r->employer_kind, CM_EMPLOYER_HOPITAL);
    batch_free(&b);
    free(text);
}

static int stop_at_two(void *arg, size_t index, const char *offer, size_t len)
{
    (void)offer;
    (void)len;
    *(size_t *)arg = index + 1;
    return index == 1 ? 42 : 0;
}

static void test_shapes_and_errors(void)
{
    cm_error err = {0};
    size_t seen = 0;
    const char *arr = "[{\"id\":\"a\"},{\"id\":\"b\"},{\"id\":\"c\"}]";
    ASSERT_EQ(cm_ft_each_offer(arr, strlen(arr), stop_at_two, &seen, &err), 42);
    ASSERT_EQ(seen, 2);
    const char *one = " \n{\"id\":\"x\",\"intitule\":\"t\"}\n";
    seen = 0;
    ASSERT_OK(cm_ft_each_offer(one, strlen(one), stop_at_two, &seen, &err));
    ASSERT_EQ(seen, 1);
    ASSERT_RC(cm_ft_each_offer("   ", 3, stop_at_two, &seen, &err), CM_EINVAL);
    ASSERT_RC(cm_ft_each_offer("42", 2, stop_at_two, &seen, &err), CM_EINVAL);
    const char *bad = "{\"resultats\":{}}";
    ASSERT_RC(cm_ft_each_offer(bad, strlen(bad), stop_at_two, &seen, &err), CM_EINVAL);
    ASSERT_STREQ(err.field, "resultats");
    ASSERT_RC(cm_ft_each_offer("[{", 2, stop_at_two, &seen, &err), CM_EINVAL);

    /* single-offer refusals, each with its reason */
    struct {
        const char *json;
        int rc;
        const char *why;
    } cases[] = {
        {"[1]", CM_EINVAL, "not a JSON object"},
        {"{\"intitule\":\"t\",\"romeCode\":\"J1501\"}", CM_EINVAL, "id: missing"},
        {"{\"id\":\"a b\",\"intitule\":\"t\"}", CM_EINVAL, "id: not usable"},
        {"{\"id\":\"1\",\"romeCode\":\"J1501\"}", CM_EINVAL, "intitule: missing"},
        {"{\"id\":\"1\",\"intitule\":\"t\",\"romeCode\":\"aide\"}", CM_EINVAL, "romeCode"},
        {"{\"id\":\"1\",\"intitule\":\"t\",\"romeCode\":\"J1501\",\"typeContrat\":\"CDI\","
         "\"lieuTravail\":{\"latitude\":91,\"longitude\":2}}",
         CM_EINVAL, "out of range"},
        {"{\"id\":\"1\",\"intitule\":\"t\",\"romeCode\":\"J1501\","
         "\"lieuTravail\":{\"latitude\":45,\"longitude\":2}}",
         CM_EINVAL, "typeContrat"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *out = (char *)1, *rep = NULL;
        ASSERT_RC(cm_ft_offer_to_json(cases[i].json, strlen(cases[i].json), &out, &rep),
                  cases[i].rc);
        ASSERT(out == NULL);
        if (!rep || !strstr(rep, cases[i].why))
            CM_FAIL_("case %zu: report \"%s\" lacks \"%s\"", i, rep ? rep : "(null)", cases[i].why);
        cm_free(rep);
    }

    /* a minimal complete offer maps with no report at all */
    const char *min = "{\"id\":\"9\",\"intitule\":\"Aide-soignant en EHPAD\",\"romeCode\":"
                      "\"J1501\",\"typeContrat\":\"CDI\",\"lieuTravail\":{\"latitude\":45.75,"
                      "\"longitude\":4.85}}";
    char *out = NULL, *rep = (char *)1;
    ASSERT_OK(cm_ft_offer_to_json(min, strlen(min), &out, &rep));
    ASSERT(rep == NULL);
    cJSON *o = cJSON_Parse(out);
    ASSERT(o != NULL);
    ASSERT_STREQ(str_at(at(o, "employer"), "kind"), "ehpad");
    ASSERT_STREQ(str_at(o, "status"), "open");
    ASSERT(at(o, "salary") == NULL);
    cJSON_Delete(o);
    cm_free(out);

    /* a title over 200 bytes is cut on a UTF-8 boundary and reported */
    char big[600];
    strcpy(big, "{\"id\":\"t\",\"intitule\":\"");
    for (int i = 0; i < 150; i++)
        strcat(big, "\xc3\xa9"); /* é: 300 bytes */
    strcat(big, "\",\"romeCode\":\"J1501\",\"typeContrat\":\"CDD\",\"lieuTravail\":"
                "{\"latitude\":45,\"longitude\":2}}");
    ASSERT_OK(cm_ft_offer_to_json(big, strlen(big), &out, &rep));
    ASSERT(rep && strstr(rep, "intitule: cut to 200 bytes"));
    cm_offer_t *rec = NULL;
    ASSERT_OK(cm_offer_from_json(out, strlen(out), NULL, &rec, NULL));
    ASSERT_EQ(strlen(rec->title), 200);
    cm_offer_free(rec);
    cm_free(out);
    cm_free(rep);
}

int main(void)
{
    test_search_answer();
    test_array();
    test_ndjson();
    test_shapes_and_errors();
    printf("test_francetravail: ok\n");
    return 0;
}
