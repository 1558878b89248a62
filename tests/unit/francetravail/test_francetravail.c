/* France Travail mapping: the three file shapes, each offer of the fixtures field by field
 * (2022 ROME v3 era, 2024, 2025 with contexteTravail), the findings (stable codes, valid JSON
 * lines), refusals, and every mapped offer accepted by the engine's validator. */
#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carematch/francetravail.h"
#include "carematch/record.h"
#include "ft_harness.h"
#include "test.h"

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
    ASSERT_EQ(r->work_pattern, CM_WORK_NIGHT); /* "35H Travail de nuit" and the title */
    ASSERT(find_code(m, "permit_wanted") != NULL);
    ASSERT_STREQ(finding(m, "permit_wanted")->value, "B - Véhicule léger");
    ASSERT_STREQ(finding(m, "permit_wanted")->id, "196XKRT");
    ASSERT_EQ(r->experience_level, CM_XP_BEGINNER);

    /* 1: home care in Creuse, licence required, hourly pay, part time */
    m = &b.m[1];
    ASSERT_OK(m->rc);
    r = m->rec;
    ASSERT_STREQ(r->id, "ft-197BCDF");
    ASSERT_EQ(r->employer_kind, CM_EMPLOYER_SAAD);
    ASSERT_STREQ(r->city, "Guéret"); /* the commune's name, not the libelle's "GUERET" */
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
    ASSERT_EQ(r->work_pattern, CM_WORK_WEEKEND | CM_WORK_SPLIT); /* "Horaires coupés" */
    ASSERT(r->vehicle_required); /* "Véhicule personnel indispensable" */
    ASSERT_EQ(r->contract_days, 180);
    /* "Horaires coupés 7h30-12h / 17h-20h, un week-end sur deux": which days is not said, the
     * hours stay out of the record and the report says so */
    ASSERT_EQ(r->n_schedule, 0);
    ASSERT_EQ(m->n_f, 1);
    ASSERT(find_code(m, "schedule_unread") != NULL);

    /* 2: interim nurse; the salary's "sur 12 mois" is no amount; permit C reported */
    m = &b.m[2];
    ASSERT_OK(m->rc);
    r = m->rec;
    ASSERT_EQ(r->contract, CM_CONTRACT_INTERIM);
    ASSERT(has_cert(r, "DEI", true)); /* "Diplôme d'État d'infirmier exigé" in the text */
    ASSERT_NEAR(r->salary_min, 2450.5, 1e-9);
    ASSERT_NEAR(r->salary_max, 2450.5, 1e-9);
    ASSERT_EQ(r->employer_kind, CM_EMPLOYER_HOPITAL); /* "centre hospitalier" in the text */
    ASSERT_STREQ(finding(m, "permit_unmapped")->value, "C - Poids lourd");
    ASSERT_EQ(r->experience_level, CM_XP_REQUIRED);
    ASSERT_EQ(r->experience_months, 24);
    ASSERT_EQ(r->contract_days, 90);
    ASSERT(find_code(m, "employer_kind_from_text") != NULL); /* the agency's name is not read */
    ASSERT(!r->driving_licence_required);

    /* 3: apprenticeship from natureContrat; the DEAS it prepares ("des apprentis préparant le
     * DEAS") recorded as required: a holder is already qualified, anyone else on its route */
    m = &b.m[3];
    ASSERT_OK(m->rc);
    r = m->rec;
    ASSERT_EQ(r->contract, CM_CONTRACT_APPRENTISSAGE);
    ASSERT(has_cert(r, "DEAS", true));
    ASSERT(find_code(m, "diploma_prepared") != NULL);
    ASSERT_EQ(r->employer_kind, CM_EMPLOYER_HOPITAL);
    ASSERT_NEAR(r->hours_per_week, 35, 1e-9);
    ASSERT_EQ(r->salary_period, CM_SALARY_NONE);

    /* 4: no coordinates: refused, location is required */
    m = &b.m[4];
    ASSERT_RC(m->rc, CM_EINVAL);
    ASSERT_STREQ(finding(m, "place_department_only")->value, "13 - Bouches-du-Rhône (Dept.)");
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
    /* "Travail en 12 h, un week-end sur deux": 12-hour days (early and late), weekends */
    ASSERT_EQ(r->work_pattern, CM_WORK_DAY | CM_WORK_WEEKEND | CM_WORK_SHIFTS);

    /* La Réunion: DEAP from the "Puériculture" formation (E); the unknown one reported */
    m = &b.m[1];
    ASSERT_OK(m->rc);
    r = m->rec;
    ASSERT(r->loc.lat_e6 < 0);
    ASSERT_EQ(r->employer_kind, CM_EMPLOYER_CRECHE);
    ASSERT(has_cert(r, "DEAP", true));
    ASSERT_EQ(r->n_certs, 1);
    ASSERT_STREQ(finding(m, "diploma_unknown")->value, "Gestion comptable");
    ASSERT_STREQ(finding(m, "diploma_unknown")->field, "formations[1].domaineLibelle");
    ASSERT_STREQ(finding(m, "salary_comment_only")->field, "salaire.commentaire");
    ASSERT_NEAR(r->hours_per_week, 28, 1e-9);

    /* franchise: no contract equivalent, refused */
    m = &b.m[2];
    ASSERT_RC(m->rc, CM_EINVAL);
    ASSERT_STREQ(finding(m, "contract_unmapped")->value, "FRA");
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
    ASSERT_STREQ(b.m[0].rec->city, "Lyon 3e Arrondissement");
    ASSERT(b.m[0].rec->driving_licence_required);
    ASSERT_NEAR(b.m[0].rec->salary_min, 12, 1e-9);
    ASSERT_RC(b.m[1].rc, CM_EINVAL);
    ASSERT(finding(&b.m[1], "offer_invalid_json") != NULL);
    /* the broken line's first bytes, whole characters only ("coupée" is cut after "coup" or
       kept whole, never inside "é") */
    ASSERT(strncmp(finding(&b.m[1], "offer_invalid_json")->value, "{\"id\":\"302BROK\"", 15) == 0);
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

    /* single-offer refusals, each with its code */
    struct {
        const char *json;
        int rc;
        const char *code;
    } cases[] = {
        {"[1]", CM_EINVAL, "offer_not_object"},
        {"{\"intitule\":\"t\",\"romeCode\":\"J1501\"}", CM_EINVAL, "id_missing"},
        {"{\"id\":\"a b\",\"intitule\":\"t\"}", CM_EINVAL, "id_unusable"},
        {"{\"id\":\"1\",\"romeCode\":\"J1501\"}", CM_EINVAL, "title_missing"},
        {"{\"id\":\"1\",\"intitule\":\"t\",\"romeCode\":\"aide\"}", CM_EINVAL, "rome_unknown"},
        {"{\"id\":\"1\",\"intitule\":\"t\",\"romeCode\":\"J1501\",\"typeContrat\":\"CDI\","
         "\"lieuTravail\":{\"latitude\":91,\"longitude\":2}}",
         CM_EINVAL, "coordinates_invalid"},
        {"{\"id\":\"1\",\"intitule\":\"t\",\"romeCode\":\"J1501\","
         "\"lieuTravail\":{\"latitude\":45,\"longitude\":2}}",
         CM_EINVAL, "contract_unmapped"},
        {"{\"id\":\"1\",\"intitule\":\"t\",\"romeCode\":\"J1501\",\"typeContrat\":\"CDI\"}",
         CM_EINVAL, "place_missing"},
        {"{\"id\":\"1\",\"intitule\":\"t\",\"romeCode\":\"J1501\",\"typeContrat\":\"CDI\","
         "\"lieuTravail\":{\"libelle\":\"38 - Isère\",\"latitude\":45.2,\"longitude\":5.7}}",
         CM_EINVAL, "place_department_only"},
        {"{\"id\":\"1\",\"intitule\":\"t\",\"romeCode\":\"J1501\",\"typeContrat\":\"CDI\","
         "\"lieuTravail\":{\"libelle\":\"974 - Région Est et Ouest\"}}",
         CM_EINVAL, "place_department_only"},
        {"{\"id\":\"1\",\"intitule\":\"t\",\"romeCode\":\"J1501\",\"typeContrat\":\"CDI\","
         "\"lieuTravail\":{\"commune\":\"99999\",\"codePostal\":\"00000\"}}",
         CM_EINVAL, "place_unknown"},
        {"{\"id\":", CM_EINVAL, "offer_invalid_json"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mapped_t m;
        memset(&m, 0, sizeof m);
        char *out = (char *)1;
        ASSERT_RC(cm_ft_offer_to_json(cases[i].json, strlen(cases[i].json), &out, on_finding, &m),
                  cases[i].rc);
        ASSERT(out == NULL);
        const finding_t *f = finding(&m, cases[i].code);
        if (!f || f->level != CM_FT_REJECT || rejects(&m) != 1)
            CM_FAIL_("case %zu: no single reject %s (%zu findings)", i, cases[i].code, m.n_f);
    }
    /* an unknown code with a known job title: the title gives the code */
    {
        const char *j = "{\"id\":\"1\",\"intitule\":\"t\",\"romeCode\":\"Z9999\","
                        "\"appellationlibelle\":\"Aide-soignant / Aide-soignante\","
                        "\"typeContrat\":\"CDI\",\"lieuTravail\":{\"commune\":\"75111\"}}";
        mapped_t mm;
        memset(&mm, 0, sizeof mm);
        char *o1 = NULL;
        ASSERT_OK(cm_ft_offer_to_json(j, strlen(j), &o1, on_finding, &mm));
        ASSERT(finding(&mm, "rome_from_job_title") != NULL);
        cm_offer_t *rr = NULL;
        ASSERT_OK(cm_offer_from_json(o1, strlen(o1), NULL, &rr, NULL));
        ASSERT_STREQ(rr->rome, "J1501");
        ASSERT_STREQ(rr->commune, "75111");
        cm_offer_free(rr);
        cm_free(o1);
    }
    /* "Temps plein" alone but "39h par semaine" in the text: 39, not 35 */
    {
        const char *j = "{\"id\":\"3\",\"intitule\":\"t\",\"romeCode\":\"J1501\","
                        "\"typeContrat\":\"CDI\",\"lieuTravail\":{\"commune\":\"75111\"},"
                        "\"description\":\"Poste en CDI, 39h par semaine, RTT.\","
                        "\"dureeTravailLibelle\":\"Temps plein\"}";
        mapped_t mm;
        memset(&mm, 0, sizeof mm);
        char *o1 = NULL;
        ASSERT_OK(cm_ft_offer_to_json(j, strlen(j), &o1, on_finding, &mm));
        ASSERT(finding(&mm, "hours_from_text") != NULL);
        ASSERT(find_code(&mm, "hours_full_time_assumed") == NULL);
        ASSERT(strstr(o1, "\"hours_per_week\":39") != NULL);
        cm_free(o1);
    }
    /* a typo of an amount is no salary (the record would refuse the whole offer) */
    {
        const char *j = "{\"id\":\"2\",\"intitule\":\"t\",\"romeCode\":\"J1501\","
                        "\"typeContrat\":\"CDI\",\"lieuTravail\":{\"codePostal\":\"75011\"},"
                        "\"salaire\":{\"libelle\":\"Mensuel de 180000000 Euros\"}}";
        mapped_t mm;
        memset(&mm, 0, sizeof mm);
        char *o1 = NULL;
        ASSERT_OK(cm_ft_offer_to_json(j, strlen(j), &o1, on_finding, &mm));
        ASSERT(finding(&mm, "salary_unreadable") != NULL);
        ASSERT(strstr(o1, "salary") == NULL);
        cm_offer_t *rr = NULL;
        ASSERT_OK(cm_offer_from_json(o1, strlen(o1), NULL, &rr, NULL));
        ASSERT_STREQ(rr->commune, "75111"); /* placed by the postcode alone */
        cm_offer_free(rr);
        cm_free(o1);
    }
    /* no callback: still refused, nothing to say it to */
    char *out = NULL;
    ASSERT_RC(cm_ft_offer_to_json("[1]", 3, &out, NULL, NULL), CM_EINVAL);

    /* a minimal complete offer maps with no finding at all */
    const char *min = "{\"id\":\"9\",\"intitule\":\"Aide-soignant en EHPAD\",\"romeCode\":"
                      "\"J1501\",\"typeContrat\":\"CDI\",\"lieuTravail\":{\"latitude\":45.75,"
                      "\"longitude\":4.85}}";
    mapped_t m;
    memset(&m, 0, sizeof m);
    ASSERT_OK(cm_ft_offer_to_json(min, strlen(min), &out, on_finding, &m));
    ASSERT_EQ(m.n_f, 0);
    cJSON *o = cJSON_Parse(out);
    ASSERT(o != NULL);
    ASSERT_STREQ(str_at(at(o, "employer"), "kind"), "ehpad");
    ASSERT_STREQ(str_at(o, "status"), "open");
    ASSERT(at(o, "salary") == NULL);
    ASSERT(at(o, "accessible_to_disabled_workers") == NULL); /* absent accessibleTH: unknown */
    ASSERT(at(o, "rome_version") == NULL);
    cJSON_Delete(o);
    cm_free(out);

    /* a title over 200 bytes is cut on a UTF-8 boundary and reported */
    char big[600];
    strcpy(big, "{\"id\":\"t\",\"intitule\":\"");
    for (int i = 0; i < 150; i++)
        strcat(big, "\xc3\xa9"); /* é: 300 bytes */
    strcat(big, "\",\"romeCode\":\"J1501\",\"typeContrat\":\"CDD\",\"lieuTravail\":"
                "{\"latitude\":45,\"longitude\":2}}");
    memset(&m, 0, sizeof m);
    ASSERT_OK(cm_ft_offer_to_json(big, strlen(big), &out, on_finding, &m));
    ASSERT_STREQ(finding(&m, "text_truncated")->field, "intitule");
    cm_offer_t *rec = NULL;
    ASSERT_OK(cm_offer_from_json(out, strlen(out), NULL, &rec, NULL));
    ASSERT_EQ(strlen(rec->title), 200);
    cm_offer_free(rec);
    cm_free(out);
}

/* 2022: ROME v3 codes (by label, by job title, by date), "one of" diplomas, commune- and
 * postcode-only places, a département-level offer refused, hourly pay filed as monthly. */
static void test_era_2022(void)
{
    size_t len;
    char *text = fixture("era2022_v3.json", &len);
    batch_t b = {0};
    ASSERT_OK(cm_ft_each_offer(text, len, collect, &b, NULL));
    ASSERT_EQ(b.n, 4);

    mapped_t *m = &b.m[0];
    ASSERT_OK(m->rc);
    ASSERT_STREQ(str_at(m->o, "rome_version"), "v3");
    const cm_offer_t *r = m->rec;
    ASSERT_STREQ(r->rome, "K1306"); /* v3 K1301 (AMP) is 4.0 K1306, not "éducateur en locomotion" */
    ASSERT_EQ(r->job_title, 10856);
    ASSERT_STREQ(finding(m, "rome_v3")->value, "K1301");
    ASSERT_EQ(r->employer_kind, CM_EMPLOYER_FAM); /* NAF 87.10C, the name says FAM */
    ASSERT_STREQ(r->commune, "69383");
    ASSERT_STREQ(r->city, "Lyon 3e Arrondissement"); /* not the libelle's "LYON 03" */
    ASSERT_EQ(r->work_pattern, CM_WORK_DAY | CM_WORK_WEEKEND | CM_WORK_SHIFTS);
    ASSERT_EQ(r->experience_level, CM_XP_WANTED);
    ASSERT_EQ(r->experience_months, 12);
    ASSERT_EQ(r->n_certs, 2); /* "DEAMP ou DEAES exigé": either one */
    ASSERT(has_cert(r, "DEAMP", true) && has_cert(r, "DEAES", true));
    ASSERT(cert_group(r, "DEAMP") > 0 && cert_group(r, "DEAMP") == cert_group(r, "DEAES"));
    ASSERT(!r->accessible_to_disabled_workers);

    m = &b.m[1];
    ASSERT_OK(m->rc);
    r = m->rec;
    ASSERT(strstr(finding(m, "rome_v3")->value, "J1301") != NULL); /* by date: 2022 */
    ASSERT_STREQ(r->commune, "33063"); /* placed by the INSEE code alone */
    ASSERT_EQ(r->loc_source, CM_LOC_COMMUNE);
    ASSERT_EQ(r->employer_kind, CM_EMPLOYER_UNSET); /* a crèche perk, "restauration hors foyer" */
    ASSERT(find_code(m, "employer_kind_unknown") != NULL);
    ASSERT_NEAR(r->hours_per_week, 25, 1e-9); /* "25 H" */
    ASSERT_EQ(r->contract_days, 180);
    ASSERT_EQ(r->salary_period, CM_SALARY_HOUR); /* "Mensuel de 11,88 Euros" */
    ASSERT_NEAR(r->salary_min, 11.88, 1e-9);
    ASSERT_STREQ(finding(m, "salary_period_corrected")->value, "Mensuel de 11,88 Euros");
    ASSERT(at(m->o, "accessible_to_disabled_workers") == NULL);
    ASSERT(find_code(m, "permit_unmapped") == NULL && find_code(m, "permit_wanted") == NULL);

    m = &b.m[2];
    ASSERT_RC(m->rc, CM_EINVAL);
    ASSERT_STREQ(finding(m, "place_department_only")->value, "74 - Savoie (Haute)");

    m = &b.m[3];
    ASSERT_OK(m->rc);
    r = m->rec;
    ASSERT_STREQ(str_at(m->o, "rome_version"), "v3");
    ASSERT_STREQ(r->postcode, "93200"); /* placed by the postcode alone */
    ASSERT_STREQ(r->commune, "93066");
    ASSERT_EQ(r->employer_kind, CM_EMPLOYER_CRECHE); /* NAF 88.91A */
    ASSERT_EQ(r->n_certs, 3); /* "CAP Petite Enfance, BEP CSS ou bac pro ASSP exigé" */
    int g = cert_group(r, "CAP_AEPE");
    ASSERT(g > 0 && cert_group(r, "BEP_CSS") == g && cert_group(r, "BAC_PRO_ASSP") == g);
    ASSERT(has_cert(r, "CAP_AEPE", true));
    ASSERT_EQ(r->contract_days, 14);
    ASSERT_EQ(r->salary_period, CM_SALARY_MONTH); /* no period: by magnitude */
    ASSERT_NEAR(r->salary_max, 2100, 1e-9);
    ASSERT(find_code(m, "salary_period_guessed") != NULL);
    batch_free(&b);
    free(text);
}

/* 2024: ROME 4.0 with job titles, NAF employer kinds, 39 h, a temp agency, apprenticeship,
 * the old name of the ADVF, yearly pay, "Annuel de" with no amount, "Aucun permis". */
static void test_era_2024(void)
{
    size_t len;
    char *text = fixture("era2024.json", &len);
    batch_t b = {0};
    ASSERT_OK(cm_ft_each_offer(text, len, collect, &b, NULL));
    ASSERT_EQ(b.n, 3);

    mapped_t *m = &b.m[0];
    ASSERT_OK(m->rc);
    const cm_offer_t *r = m->rec;
    ASSERT(at(m->o, "rome_version") == NULL);
    ASSERT(find_code(m, "rome_v3") == NULL);
    ASSERT_EQ(r->job_title, 10891);
    ASSERT_EQ(r->employer_kind, CM_EMPLOYER_EHPAD); /* NAF 87.10A, whatever the name */
    ASSERT_NEAR(r->hours_per_week, 39, 1e-9);       /* "39H", not "Temps plein" = 35 */
    ASSERT_EQ(r->experience_level, CM_XP_REQUIRED);
    ASSERT_EQ(r->experience_months, 24);
    ASSERT(r->driving_licence_required);
    ASSERT_STREQ(finding(m, "permit_unmapped")->value, "BE - Véhicule léger + remorque");
    ASSERT_STREQ(finding(m, "language_unmapped")->value, "Anglais"); /* French is no loss */
    ASSERT_STREQ(finding(m, "language_unmapped")->field, "langues[1]");
    ASSERT_EQ(r->salary_period, CM_SALARY_YEAR);
    ASSERT(has_cert(r, "DEAS", true));
    ASSERT_EQ(cert_group(r, "DEAS"), 0);

    m = &b.m[1];
    ASSERT_OK(m->rc);
    r = m->rec;
    ASSERT_EQ(r->contract, CM_CONTRACT_APPRENTISSAGE);
    ASSERT_EQ(r->contract_days, 720);
    ASSERT_EQ(r->employer_kind, CM_EMPLOYER_SSIAD); /* NAF 88.10A, refined by the name */
    ASSERT_NEAR(r->hours_per_week, 24, 1e-9);       /* "Temps partiel - 24H/semaine\n..." */
    ASSERT_EQ(r->work_pattern, CM_WORK_WEEKEND);
    ASSERT(r->vehicle_required);          /* "Véhiculé(e) obligatoire" */
    ASSERT(has_cert(r, "TP_ADVF", true)); /* "Diplôme Assistant de Vie" */
    ASSERT(find_code(m, "diploma_interpreted") != NULL);
    ASSERT_EQ(r->salary_period, CM_SALARY_HOUR);

    m = &b.m[2];
    ASSERT_OK(m->rc);
    r = m->rec;
    ASSERT_EQ(r->contract, CM_CONTRACT_INTERIM);
    ASSERT_EQ(r->contract_days, 1);
    ASSERT_EQ(r->employer_kind, CM_EMPLOYER_EHPAD); /* the title; not the agency's "HOPITAL" */
    ASSERT_NEAR(r->hours_per_week, 35, 1e-9);
    ASSERT(find_code(m, "hours_full_time_assumed") != NULL);
    ASSERT_EQ(r->salary_period, CM_SALARY_NONE);
    ASSERT_STREQ(finding(m, "salary_unreadable")->value, "Annuel de");
    ASSERT(!r->driving_licence_required);
    ASSERT(find_code(m, "permit_unmapped") == NULL && find_code(m, "permit_wanted") == NULL);
    ASSERT_EQ(r->experience_months, 12);
    batch_free(&b);
    free(text);
}

/* 2025: contexteTravail (horaires arrays, conditionsExercice), "28H30", "4 H", diploma
 * alternatives in formations and in text, DEEJE, "fam." for famille, a denied night, a
 * région-level offer, a raw value with a newline. */
static void test_era_2025(void)
{
    size_t len;
    char *text = fixture("era2025.ndjson", &len);
    batch_t b = {0};
    ASSERT_OK(cm_ft_each_offer(text, len, collect, &b, NULL));
    ASSERT_EQ(b.n, 5);

    mapped_t *m = &b.m[0];
    ASSERT_OK(m->rc);
    const cm_offer_t *r = m->rec;
    ASSERT_EQ(r->work_pattern, CM_WORK_NIGHT);
    ASSERT_EQ(r->demands, CM_DEMAND_LIFTING | CM_DEMAND_STANDING);
    ASSERT_STREQ(finding(m, "condition_unmapped")->value, "En contact avec du public");
    ASSERT_EQ(r->employer_kind, CM_EMPLOYER_HOPITAL);
    ASSERT(cert_group(r, "DEAS") > 0 && cert_group(r, "DEAS") == cert_group(r, "DEAP"));
    ASSERT_EQ(r->experience_months, 12); /* "Expérience exigée de 1 An(s)" */

    m = &b.m[1];
    ASSERT_OK(m->rc);
    r = m->rec;
    ASSERT_NEAR(r->hours_per_week, 28.5, 1e-9);
    ASSERT_EQ(r->work_pattern, CM_WORK_SPLIT);
    ASSERT(has_cert(r, "DEEJE", true));
    ASSERT(has_cert(r, "CAP_AEPE", false)); /* "CAP PE ou AEPE": one diploma, two names */
    ASSERT_EQ(r->n_certs, 2);
    ASSERT_EQ(r->employer_kind, CM_EMPLOYER_CRECHE);

    m = &b.m[2];
    ASSERT_OK(m->rc);
    r = m->rec;
    ASSERT_NEAR(r->hours_per_week, 4, 1e-9);        /* "4 H  Travail en horaires fractionnés" */
    ASSERT_EQ(r->work_pattern, CM_WORK_SPLIT);      /* "Pas de travail de nuit" */
    ASSERT_EQ(r->employer_kind, CM_EMPLOYER_UNSET); /* "fam." is famille */
    ASSERT_STREQ(r->commune, "2A004");
    ASSERT(cert_group(r, "BAC_PRO_ASSP") > 0 &&
           cert_group(r, "BAC_PRO_ASSP") == cert_group(r, "BEP_ASSP")); /* "Bac pro ou BEP ASSP" */
    ASSERT(has_cert(r, "BAC_PRO_ASSP", false));
    ASSERT_EQ(r->contract, CM_CONTRACT_APPRENTISSAGE); /* alternance */
    ASSERT(find_code(m, "alternance_kind_guessed") != NULL);
    ASSERT_EQ(r->contract_days, 365);

    m = &b.m[3];
    ASSERT_RC(m->rc, CM_EINVAL);
    ASSERT_STREQ(finding(m, "place_department_only")->value, "Ile-de-France");

    m = &b.m[4];
    ASSERT_OK(m->rc);
    ASSERT_EQ(m->rec->hours_per_week, 0);
    ASSERT_STREQ(finding(m, "hours_unreadable")->value, "Horaires à définir\nselon planning");
    ASSERT_EQ(m->rec->employer_kind, CM_EMPLOYER_EHPAD);
    batch_free(&b);
    free(text);
}

/* Report lines: escaped, never cut inside a character, invalid UTF-8 replaced. */
static void test_finding_lines(void)
{
    char value[CM_FT_VALUE_MAX + 64];
    size_t n = 0;
    value[n++] = 'x';
    while (n + 2 < sizeof value - 1) {
        value[n++] = '\xc3';
        value[n++] = '\xa9';
    }
    value[n] = '\0';
    cm_ft_finding_t f = {"1AB", "hours_unreadable",     CM_FT_LOST, "dureeTravailLibelle",
                         value, "no weekly hours found"};
    char *line = cm_ft_finding_to_json(&f, "a\nb.json", 3);
    ASSERT(line && !strchr(line, '\n'));
    cJSON *j = cJSON_Parse(line);
    ASSERT(j != NULL);
    const char *v = str_at(j, "value");
    ASSERT(strlen(v) <= CM_FT_VALUE_MAX && strlen(v) % 2 == 1); /* "x" + whole "é"s */
    ASSERT(cJSON_IsTrue(at(j, "value_truncated")));
    ASSERT_STREQ(str_at(j, "file"), "a\nb.json");
    ASSERT_EQ((int)at(j, "offer")->valuedouble, 3);
    ASSERT_STREQ(str_at(j, "level"), "lost");
    cJSON_Delete(j);
    cm_free(line);

    f.value = "Horaires\x80\xff ok";
    line = cm_ft_finding_to_json(&f, NULL, 0);
    j = cJSON_Parse(line);
    ASSERT(j && at(j, "file") == NULL && at(j, "offer") == NULL);
    ASSERT_STREQ(str_at(j, "value"), "Horaires\xef\xbf\xbd\xef\xbf\xbd ok");
    cJSON_Delete(j);
    cm_free(line);
}

/* The employer's own words about driving: a vehicle of one's own needs the licence too; the
 * plural "indispensables" and "vous devez être véhiculé" ask; "apprécié" does not. */
static void test_driving_words(void)
{
#define FT_DRIVE(id, desc)                                                                         \
    "{\"id\":\"" id "\",\"intitule\":\"Aide à domicile (H/F)\",\"description\":\"" desc "\","      \
    "\"dateCreation\":\"2025-09-01T06:00:00.000Z\",\"lieuTravail\":{\"libelle\":\"93 - "           \
    "BOBIGNY\",\"codePostal\":\"93000\",\"commune\":\"93008\"},\"romeCode\":\"K1302\","            \
    "\"romeLibelle\":\"Assistant / Assistante de vie dépendance\",\"typeContrat\":\"CDI\"}"
    static const char text[] =
        "[" FT_DRIVE(
            "D1",
            "Interventions chez des personnes âgées. Permis B et véhicule "
            "indispensables.") "," FT_DRIVE("D2",
                                            "Vous devez être véhiculé.") "," FT_DRIVE("D3",
                                                                                      "Permis B + "
                                                                                      "véhicule "
                                                                                      "exigé.") "," FT_DRIVE("D4",
                                                                                                             "Permis B apprécié.") "," FT_DRIVE("D5",
                                                                                                                                                "Pas de permis exigé : le trajet se fait en bus.") "]";
#undef FT_DRIVE
    batch_t b = {0};
    map_accepted(text, sizeof text - 1, 5, &b);
    ASSERT(b.m[0].rec->vehicle_required && b.m[0].rec->driving_licence_required);
    ASSERT(b.m[1].rec->vehicle_required && b.m[1].rec->driving_licence_required);
    ASSERT(b.m[2].rec->vehicle_required && b.m[2].rec->driving_licence_required);
    ASSERT(!b.m[3].rec->vehicle_required && !b.m[3].rec->driving_licence_required);
    ASSERT(!b.m[4].rec->vehicle_required && !b.m[4].rec->driving_licence_required);
    batch_free(&b);
}

/* When the work is done: "35H Horaires normaux" (France Travail's default) is no day work in
 * a night job; "Travail de nuit : non" denies. */
static void test_schedule_words(void)
{
#define FT_WHEN(id, title, duree, desc)                                                            \
    "{\"id\":\"" id "\",\"intitule\":\"" title "\",\"description\":\"" desc "\","                  \
    "\"dureeTravailLibelle\":\"" duree "\",\"dateCreation\":\"2023-09-01T06:00:00.000Z\","         \
    "\"lieuTravail\":{\"libelle\":\"93 - BOBIGNY\",\"codePostal\":\"93000\",\"commune\":"          \
    "\"93008\"},\"romeCode\":\"J1501\",\"typeContrat\":\"CDI\"}"
    static const char text[] = "[" FT_WHEN(
        "S1", "Aide-soignant de nuit H/F", "35H Horaires normaux",
        "En EHPAD.") "," FT_WHEN("S2", "Aide-soignant H/F", "35H Horaires normaux",
                                 "En EHPAD.") "," FT_WHEN("S3", "Aide-soignant H/F", "35H/semaine",
                                                          "Poste de jour. Travail de nuit : non. "
                                                          "Week-end : non.") "]";
#undef FT_WHEN
    batch_t b = {0};
    map_accepted(text, sizeof text - 1, 3, &b);
    ASSERT_EQ(b.m[0].rec->work_pattern, CM_WORK_NIGHT);
    ASSERT_EQ(b.m[1].rec->work_pattern, CM_WORK_DAY);
    ASSERT_EQ(b.m[2].rec->work_pattern, CM_WORK_DAY); /* no night, no weekend; "Poste de jour"
                                                       * (a helper's probe: day said in the
                                                       * text was not read) */
    batch_free(&b);
}

/* "Soins infirmiers" as the training field at CAP/BEP level is no nurse's diploma (DEI); at
 * Bac+3 it is. */
static void test_nursing_field(void)
{
#define FT_FORM(id, rome, niv)                                                                  \
    "{\"id\":\"" id "\",\"intitule\":\"Soignant H/F\",\"description\":\"En EHPAD.\","           \
    "\"dateCreation\":\"2025-09-01T06:00:00.000Z\",\"lieuTravail\":{\"libelle\":\"93 - "        \
    "BOBIGNY\",\"codePostal\":\"93000\",\"commune\":\"93008\"},\"romeCode\":\"" rome "\","      \
    "\"typeContrat\":\"CDI\",\"formations\":[{\"domaineLibelle\":\"Soins infirmiers\","         \
    "\"niveauLibelle\":\"" niv "\",\"exigence\":\"E\"}]}"
    static const char text[] = "[" FT_FORM("N1", "J1501", "CAP, BEP et équivalents") "," FT_FORM(
        "N2", "J1506", "Bac+3, Bac+4 ou équivalents") "]";
#undef FT_FORM
    batch_t b = {0};
    map_accepted(text, sizeof text - 1, 2, &b);
    ASSERT(!has_cert(b.m[0].rec, "DEI", true) && !has_cert(b.m[0].rec, "DEI", false));
    ASSERT(find_code(&b.m[0], "diploma_unknown") != NULL);
    ASSERT(has_cert(b.m[1].rec, "DEI", true));
    batch_free(&b);
}

/* Thousands written with a (narrow) no-break space, as French typography has it. */
static void test_salary_spaces(void)
{
#define FT_PAY(id, pay)                                                                         \
    "{\"id\":\"" id "\",\"intitule\":\"Aide-soignant H/F\",\"description\":\"En EHPAD.\","      \
    "\"dateCreation\":\"2025-09-01T06:00:00.000Z\",\"lieuTravail\":{\"libelle\":\"93 - "        \
    "BOBIGNY\",\"codePostal\":\"93000\",\"commune\":\"93008\"},\"romeCode\":\"J1501\","         \
    "\"typeContrat\":\"CDI\",\"salaire\":{\"libelle\":\"" pay "\"}}"
    static const char text[] =
        "[" FT_PAY("P1", "Mensuel de 1\u00a0850,00 Euros") "," FT_PAY(
            "P2", "Mensuel de 1\u202f850,00 Euros à 2 100,00 Euros") "]";
#undef FT_PAY
    batch_t b = {0};
    map_accepted(text, sizeof text - 1, 2, &b);
    ASSERT_NEAR(b.m[0].rec->salary_min, 1850, 1e-9);
    ASSERT_NEAR(b.m[0].rec->salary_max, 1850, 1e-9);
    ASSERT_NEAR(b.m[1].rec->salary_min, 1850, 1e-9);
    ASSERT_NEAR(b.m[1].rec->salary_max, 2100, 1e-9);
    ASSERT_EQ(b.m[1].rec->salary_period, CM_SALARY_MONTH);
    batch_free(&b);
}

/* The diploma of formations[] and a sentence requiring it or others: one group, either one. */
static void test_alternatives_widen(void)
{
#define FT_ALT(id, com, desc)                                                                      \
    "{\"id\":\"" id "\",\"intitule\":\"Soignant H/F\",\"description\":\"" desc "\","               \
    "\"dateCreation\":\"2025-09-01T06:00:00.000Z\",\"lieuTravail\":{\"libelle\":\"93 - "           \
    "BOBIGNY\",\"codePostal\":\"93000\",\"commune\":\"93008\"},\"romeCode\":\"K1302\","            \
    "\"typeContrat\":\"CDI\",\"formations\":[{\"commentaire\":\"" com "\",\"exigence\":\"E\"}]}"
    static const char text[] =
        "[" FT_ALT("A1", "DEAES", "Titulaire du DEAES ou du DEAS exigé.") "," FT_ALT(
            "A2", "Titre professionnel ADVF",
            "DEAES, titre pro ADVF ou MCAD exigé.") "," FT_ALT("A3", "DEAES",
                                                               "DEAMP ou DEAVS apprécié.") "]";
#undef FT_ALT
    batch_t b = {0};
    map_accepted(text, sizeof text - 1, 3, &b);
    const cm_offer_t *r = b.m[0].rec;
    ASSERT(has_cert(r, "DEAES", true) && has_cert(r, "DEAS", true));
    ASSERT(cert_group(r, "DEAES") != 0 && cert_group(r, "DEAES") == cert_group(r, "DEAS"));
    r = b.m[1].rec;
    ASSERT(cert_group(r, "TP_ADVF") != 0 && cert_group(r, "TP_ADVF") == cert_group(r, "DEAES") &&
           cert_group(r, "MCAD") == cert_group(r, "DEAES"));
    r = b.m[2].rec; /* wished-for alternatives do not loosen the required one */
    ASSERT(has_cert(r, "DEAES", true));
    ASSERT_EQ(cert_group(r, "DEAES"), 0);
    batch_free(&b);
}

/* A place given by its commune code or its libelle gets the commune's postcode when it has one
 * only (Paris 11e: 75011); several (Toulouse): none chosen. "ST PIERRE" is Saint-Pierre. */
static void test_postcode_of_commune(void)
{
#define FT_AT(id, lieu)                                                                            \
    "{\"id\":\"" id "\",\"intitule\":\"Aide-soignant H/F\",\"description\":\"En EHPAD.\","         \
    "\"dateCreation\":\"2025-09-01T06:00:00.000Z\",\"lieuTravail\":" lieu ","                      \
    "\"romeCode\":\"J1501\",\"typeContrat\":\"CDI\"}"
    /* clang-format off */
    static const char text[] = "["
        FT_AT("L1", "{\"libelle\":\"75 - Paris 11e Arrondissement\",\"commune\":\"75111\"}") ","
        FT_AT("L2", "{\"libelle\":\"93 - BOBIGNY\"}") ","
        FT_AT("L3", "{\"libelle\":\"31 - TOULOUSE\",\"commune\":\"31555\"}") ","
        FT_AT("L4", "{\"libelle\":\"974 - ST PIERRE\"}") "]";
    /* clang-format on */
#undef FT_AT
    batch_t b = {0};
    map_accepted(text, sizeof text - 1, 4, &b);
    ASSERT_STREQ(b.m[3].rec->commune, "97416"); /* La Poste's "ST" spelled out */
    ASSERT_STREQ(b.m[0].rec->postcode, "75011");
    ASSERT_STREQ(b.m[1].rec->postcode, "93000");
    ASSERT(b.m[2].rec->postcode == NULL);
    ASSERT_STREQ(b.m[2].rec->commune, "31555");
    batch_free(&b);
}

/* Facts an adviser reads and the record has no field for are reported, not dropped. */
static void test_unmapped_facts(void)
{
    /* clang-format off */
    static const char text[] =
        "[{\"id\":\"U1\",\"intitule\":\"Aide à domicile H/F\",\"description\":\"Chez les "
        "personnes âgées.\",\"dateCreation\":\"2025-09-01T06:00:00.000Z\",\"lieuTravail\":"
        "{\"libelle\":\"93 - BOBIGNY\",\"codePostal\":\"93000\",\"commune\":\"93008\"},"
        "\"romeCode\":\"K1302\",\"typeContrat\":\"CDD\",\"natureContrat\":\"CUI - CAE\","
        "\"experienceExige\":\"D\",\"experienceCommentaire\":\"Expérience en EHPAD exigée\","
        "\"deplacementCode\":\"4\",\"deplacementLibelle\":\"Quotidiens Département\","
        "\"entrepriseAdaptee\":true,\"employeurHandiEngage\":true,\"accessibleTH\":\"oui\"},"
        "{\"id\":\"U2\",\"intitule\":\"Aide à domicile H/F\",\"description\":\"Chez les "
        "personnes âgées.\",\"dateCreation\":\"2025-09-01T06:00:00.000Z\",\"lieuTravail\":"
        "{\"libelle\":\"93 - BOBIGNY\",\"codePostal\":\"93000\",\"commune\":\"93008\"},"
        "\"romeCode\":\"K1302\",\"typeContrat\":\"CDI\",\"natureContrat\":\"Contrat travail\","
        "\"deplacementCode\":\"1\",\"deplacementLibelle\":\"Jamais\",\"entrepriseAdaptee\":false}]";
    /* clang-format on */
    batch_t b = {0};
    map_accepted(text, sizeof text - 1, 2, &b);
    static const char *const codes[] = {"contract_nature_unmapped", "experience_comment_unmapped",
                                        "travel_unmapped",          "employer_adapted_unmapped",
                                        "employer_handi_unmapped",  "value_unreadable"};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        ASSERT(find_code(&b.m[0], codes[i]) != NULL);
        ASSERT(find_code(&b.m[1], codes[i]) == NULL);
    }
    ASSERT_STREQ(finding(&b.m[0], "contract_nature_unmapped")->value, "CUI - CAE");
    batch_free(&b);
}

int main(void)
{
    test_search_answer();
    test_array();
    test_ndjson();
    test_shapes_and_errors();
    test_era_2022();
    test_era_2024();
    test_era_2025();
    test_finding_lines();
    test_driving_words();
    test_schedule_words();
    test_nursing_field();
    test_salary_spaces();
    test_alternatives_widen();
    test_postcode_of_commune();
    test_unmapped_facts();
    printf("test_francetravail: ok\n");
    return 0;
}
