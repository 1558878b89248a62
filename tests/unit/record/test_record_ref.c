/* Record fields checked against the referentials (engine/record_ref.c): ROME 4.0 codes, legacy
 * v3 input, job titles, positions given as a commune or a postcode; their echo, and the binary
 * format 2 that stores them (format 1 still read). */
#include <stdio.h>
#include <string.h>

#include "carematch/record.h"
#include "carematch/referential.h"
#include "record_eq.h"
#include "test.h"

static int offer_rc(const char *json, cm_offer_t **out, cm_error *err)
{
    memset(err, 0, sizeof *err);
    return cm_offer_from_json(json, strlen(json), "o1", out, err);
}

static cm_offer_t *offer_ok(const char *json)
{
    cm_offer_t *o = NULL;
    cm_error err;
    int rc = offer_rc(json, &o, &err);
    if (rc)
        CM_FAIL_("offer refused: %s (%s): %s", err.message, err.field, json);
    return o;
}

static cm_candidate_t *cand_ok(const char *json)
{
    cm_candidate_t *c = NULL;
    cm_error err = {0};
    int rc = cm_candidate_from_json(json, strlen(json), "c1", &c, &err);
    if (rc)
        CM_FAIL_("candidate refused: %s (%s): %s", err.message, err.field, json);
    return c;
}

static void expect_refused(bool offer, const char *json, int want, const char *field)
{
    cm_error err = {0};
    int rc;
    if (offer) {
        cm_offer_t *o = NULL;
        rc = cm_offer_from_json(json, strlen(json), "o1", &o, &err);
        cm_offer_free(o);
    } else {
        cm_candidate_t *c = NULL;
        rc = cm_candidate_from_json(json, strlen(json), "c1", &c, &err);
        cm_candidate_free(c);
    }
    if (rc != want || strcmp(err.field, field) != 0)
        CM_FAIL_("%s: got %s on '%s' (%s), want %s on '%s'", json, cm_strerror(rc), err.field,
                 err.message, cm_strerror(want), field);
}

static bool has_rome(const cm_candidate_t *c, const char *code)
{
    for (size_t i = 0; i < c->n_desired_rome; i++)
        if (strcmp(c->desired_rome[i], code) == 0)
            return true;
    return false;
}

#define LOC "\"location\":{\"lat\":48.85,\"lon\":2.38}"

static void test_rome_4_0(void)
{
    /* K1301 exists in 4.0 (Educateur en locomotion); Z9999 and K1399 do not */
    cm_offer_t *o = offer_ok("{\"title\":\"t\",\"rome\":\"K1311\"," LOC ",\"contract\":\"CDI\"}");
    ASSERT_STREQ(o->rome, "K1311");
    cm_offer_free(o);
    expect_refused(true, "{\"title\":\"t\",\"rome\":\"Z9999\"," LOC ",\"contract\":\"CDI\"}",
                   CM_EINVAL, "rome");
    expect_refused(false, "{" LOC ",\"desired_rome\":[\"J1501\",\"K1399\"]}", CM_EINVAL,
                   "desired_rome[1]");
    expect_refused(true,
                   "{\"title\":\"t\",\"rome\":\"K1311\",\"rome_version\":\"3\"," LOC
                   ",\"contract\":\"CDI\"}",
                   CM_EINVAL, "rome_version");
}

static void test_v3(void)
{
    /* a candidate's v3 K1302 stands for the 4.0 codes its job titles went to */
    cm_candidate_t *c = cand_ok("{" LOC ",\"rome_version\":\"v3\",\"desired_rome\":[\"K1302\"]}");
    ASSERT(has_rome(c, "K1311") && has_rome(c, "K1306"));
    ASSERT(c->n_desired_rome >= 2);
    char *js = cm_candidate_to_json(c, 0);
    ASSERT(strstr(js, "\"K1311\"") && !strstr(js, "rome_version")); /* the echo is 4.0 */
    cm_free(js);
    cm_candidate_free(c);
    /* v3 K1301 (AES/AMP titles then) includes the 4.0 AES code K1306 */
    c = cand_ok("{" LOC ",\"rome_version\":\"v3\",\"desired_rome\":[\"K1301\"]}");
    ASSERT(has_rome(c, "K1306"));
    cm_candidate_free(c);
    expect_refused(false, "{" LOC ",\"rome_version\":\"v3\",\"desired_rome\":[\"K1311\"]}",
                   CM_EINVAL, "desired_rome[0]"); /* K1311 is not a v3 code */

    /* an offer's v3 code: its job title picks the 4.0 code (OGR codes are stable) */
    cm_offer_t *o = offer_ok("{\"title\":\"t\",\"rome\":\"K1302\",\"rome_version\":\"v3\","
                             "\"job_title\":\"Auxiliaire de vie\"," LOC ",\"contract\":\"CDI\"}");
    ASSERT_STREQ(o->rome, "K1311");
    cm_offer_free(o);
    /* no job title: the offer's own title names the trade among the v3 code's targets */
    o = offer_ok("{\"title\":\"Aide médico-psychologique (H/F)\",\"rome\":\"K1301\","
                 "\"rome_version\":\"v3\"," LOC ",\"contract\":\"CDI\"}");
    ASSERT_STREQ(o->rome, "K1306");
    cm_offer_free(o);
    /* "(H/F)" names no trade: "aes h" is no start of "AESH" (K2113, also a v3 K1301 target) */
    const char *aes[] = {"AES (H/F)", "AES H/F", "A.E.S (F/H)", "Aes"};
    for (size_t i = 0; i < sizeof aes / sizeof aes[0]; i++) {
        char json[256];
        snprintf(json, sizeof json,
                 "{\"title\":\"%s\",\"rome\":\"K1301\",\"rome_version\":\"v3\"," LOC
                 ",\"contract\":\"CDI\"}",
                 aes[i]);
        o = offer_ok(json);
        ASSERT_STREQ(o->rome, "K1306");
        cm_offer_free(o);
    }
    /* a title naming nothing: v3 K1301's offers were AES/AMP ones, whatever its titles */
    o = offer_ok(
        "{\"title\":\"Offre 2023-114 (H/F)\",\"rome\":\"K1301\",\"rome_version\":\"v3\"," LOC
        ",\"contract\":\"CDI\"}");
    ASSERT_STREQ(o->rome, "K1306");
    cm_offer_free(o);
    o = offer_ok("{\"title\":\"AESH (H/F)\",\"rome\":\"K1301\",\"rome_version\":\"v3\"," LOC
                 ",\"contract\":\"CDI\"}");
    ASSERT_STREQ(o->rome, "K2113"); /* the school assistant stays one */
    cm_offer_free(o);
    o = offer_ok("{\"title\":\"Auxiliaire de vie à domicile\",\"rome\":\"K1302\","
                 "\"rome_version\":\"v3\"," LOC ",\"contract\":\"CDI\"}");
    ASSERT_STREQ(o->rome, "K1311");
    cm_offer_free(o);
    /* and a title that names nothing: the code most of its titles went to */
    o = offer_ok("{\"title\":\"Poste H/F\",\"rome\":\"K1302\",\"rome_version\":\"v3\"," LOC
                 ",\"contract\":\"CDI\"}");
    ASSERT(strcmp(o->rome, "K1302") == 0 || strcmp(o->rome, "K1311") == 0);
    cm_offer_free(o);
}

/* Certifications as advisers write them: spaced names of known diplomas become their codes;
 * the former diplomas' shorthands count as what replaced them (AMP, AVS -> DEAES). */
static void test_cert_spellings(void)
{
    cm_candidate_t *c = cand_ok("{" LOC ",\"certifications\":[\"CAP AEPE\",\"DE AS\",\"tp advf\","
                                "\"AMP\",\"deaes\"]}");
    ASSERT_EQ(c->n_certs, 5);
    ASSERT_STREQ(c->certs[0], "CAP_AEPE");
    ASSERT_STREQ(c->certs[1], "DEAS");
    ASSERT_STREQ(c->certs[2], "TP_ADVF");
    ASSERT_STREQ(c->certs[3], "AMP");
    ASSERT_STREQ(c->certs[4], "DEAES"); /* a code as given, upper case */
    cm_candidate_free(c);
    /* the diplomas' names, whole or as "DE ...", "titre professionnel ...", feminine too */
    c = cand_ok("{" LOC ",\"certifications\":[\"Diplôme d'État d'aide-soignant\","
                "\"DE aide-soignante\",\"titre professionnel ADVF\",\"TP ASMS\","
                "\"DE infirmière\",\"Diplôme d'État d'accompagnant éducatif et social\"]}");
    ASSERT_EQ(c->n_certs, 5); /* the DEAS given twice is kept once */
    static const char *const want[] = {"DEAS", "TP_ADVF", "TP_ASMS", "DEI", "DEAES"};
    for (size_t i = 0; i < 5; i++)
        ASSERT_STREQ(c->certs[i], want[i]);
    cm_candidate_free(c);
    ASSERT(cm_diploma_satisfies("AMP", "DEAES"));
    ASSERT(cm_diploma_satisfies("AVS", "DEAES"));
    ASSERT(cm_diploma_satisfies("CAFAD", "DEAES"));
    ASSERT(!cm_diploma_satisfies("TP_ADVF", "DEAES"));
    /* a spaced name the referential does not know is still refused, saying what is taken */
    expect_refused(false, "{" LOC ",\"certifications\":[\"Permis poids lourd\"]}", CM_EINVAL,
                   "certifications[0]");
}

static void test_job_titles(void)
{
    /* a title instead of a code: OGR number, OGR text, label in any case/gender form */
    const char *forms[] = {"10891", "\"10891\"", "\"aide-soignante\"", "{\"ogr\":10891}"};
    for (size_t i = 0; i < 4; i++) {
        char json[256];
        snprintf(json, sizeof json, "{\"title\":\"t\",\"job_title\":%s," LOC ",\"contract\":\"CDI\"}",
                 forms[i]);
        cm_offer_t *o = offer_ok(json);
        ASSERT_STREQ(o->rome, "J1501");
        ASSERT_EQ(o->job_title, 10891);
        char *js = cm_offer_to_json(o, 0);
        ASSERT(strstr(js, "\"job_title\":{\"ogr\":10891,\"label\":\"Aide-soignant / "
                          "Aide-soignante\",\"rome\":\"J1501\"}"));
        cm_offer_t *back = offer_ok(js); /* the echo reads back as the same record */
        ASSERT(cm_offer_equal(o, back));
        cm_offer_free(back);
        cm_free(js);
        cm_offer_free(o);
    }
    expect_refused(true, "{\"title\":\"t\"," LOC ",\"contract\":\"CDI\"}", CM_EMISSING, "rome");
    expect_refused(true, "{\"title\":\"t\",\"job_title\":\"astronaute lunaire\"," LOC
                         ",\"contract\":\"CDI\"}",
                   CM_EINVAL, "job_title");
    expect_refused(true, "{\"title\":\"t\",\"rome\":\"K1311\",\"job_title\":10891," LOC
                         ",\"contract\":\"CDI\"}",
                   CM_EINVAL, "job_title"); /* a J1501 title on a K1311 offer */
    /* a candidate's titles add their codes to desired_rome */
    cm_candidate_t *c =
        cand_ok("{" LOC ",\"desired_rome\":[\"K1311\"],\"desired_job_titles\":[10891,\"AES\"]}");
    ASSERT_EQ(c->n_desired_titles, 1 + 1);
    ASSERT(has_rome(c, "K1311") && has_rome(c, "J1501"));
    cm_candidate_free(c);
}

static void test_places(void)
{
    /* a commune code instead of coordinates: its reference point, said in the echo */
    cm_offer_t *o = offer_ok("{\"title\":\"t\",\"rome\":\"J1501\",\"location\":{\"commune\":"
                             "\"75111\"},\"contract\":\"CDI\"}");
    ASSERT(o->loc.lat_e6 > 48850000 && o->loc.lat_e6 < 48870000);
    ASSERT(o->loc.lon_e6 > 2370000 && o->loc.lon_e6 < 2390000);
    ASSERT_EQ(o->loc_source, CM_LOC_COMMUNE);
    char *js = cm_offer_to_json(o, 0);
    ASSERT(strstr(js, "\"commune\":\"75111\",\"precision\":\"commune\",\"placed_by\":\"commune\""));
    ASSERT(strstr(js, "\"city\":\"Paris 11e Arrondissement\"")); /* the commune's name */
    cm_offer_t *back = offer_ok(js); /* export then import keeps how it was placed */
    ASSERT(cm_offer_equal(o, back));
    cm_offer_free(back);
    cm_free(js);
    cm_offer_free(o);
    /* a postcode shared by 11 communes: the named city, else the default, said so */
    cm_candidate_t *c = cand_ok("{\"location\":{\"postcode\":\"60300\",\"city\":\"Mont-l'Évêque\"}}");
    ASSERT_STREQ(c->commune, "60421");
    ASSERT_EQ(c->loc_source, CM_LOC_POSTCODE_CITY);
    ASSERT_STREQ(c->city, "Mont-l'Évêque");
    cm_candidate_free(c);
    c = cand_ok("{\"location\":{\"postcode\":\"60300\"}}");
    ASSERT_STREQ(c->commune, "60612");
    ASSERT_EQ(c->loc_source, CM_LOC_POSTCODE_DEFAULT);
    js = cm_candidate_to_json(c, 0);
    ASSERT(strstr(js, "\"placed_by\":\"postcode_default\""));
    cm_free(js);
    cm_candidate_free(c);
    c = cand_ok("{\"location\":{\"postcode\":\"75011\"}}");
    ASSERT_EQ(c->loc_source, CM_LOC_POSTCODE);
    cm_candidate_free(c);
    /* coordinates win when given; the commune is kept */
    c = cand_ok("{\"location\":{\"lat\":48.1,\"lon\":2.1,\"commune\":\"75111\"}}");
    ASSERT_EQ(c->loc_source, CM_LOC_GIVEN);
    ASSERT_EQ(c->loc.lat_e6, 48100000);
    ASSERT_STREQ(c->commune, "75111");
    cm_candidate_free(c);
    expect_refused(false, "{\"location\":{\"postcode\":\"99999\"}}", CM_EINVAL,
                   "location.postcode");
    expect_refused(false, "{\"location\":{\"commune\":\"99999\"}}", CM_EINVAL,
                   "location.commune");
    expect_refused(false, "{\"location\":{\"city\":\"Paris\"}}", CM_EMISSING, "location.lat");
}

static void test_binary_formats(void)
{
    cm_candidate_t *c = cand_ok("{\"location\":{\"postcode\":\"60300\"},\"desired_job_titles\":"
                                "[10891],\"desired_rome\":[\"K1311\"]}");
    uint8_t *buf;
    size_t len;
    ASSERT_OK(cm_candidate_encode(c, &buf, &len));
    ASSERT_EQ(buf[0], CM_RECORD_FORMAT);
    cm_candidate_t *back;
    ASSERT_OK(cm_candidate_decode(buf, len, &back));
    ASSERT(cm_candidate_equal(c, back));
    cm_candidate_free(back);
    cm_free(buf);
    cm_candidate_free(c);

    /* a format-1 record (no tail) still decodes */
    cm_offer_t *o = offer_ok("{\"title\":\"t\",\"rome\":\"J1501\"," LOC ",\"contract\":\"CDI\"}");
    ASSERT_OK(cm_offer_encode(o, &buf, &len));
    buf[0] = 1;
    cm_offer_t *old;
    ASSERT_OK(cm_offer_decode(buf, len, &old));
    ASSERT(cm_offer_equal(o, old));
    cm_offer_free(old);
    buf[0] = CM_RECORD_FORMAT + 1;
    ASSERT_RC(cm_offer_decode(buf, len, &old), CM_EVERSION);
    cm_free(buf);
    /* a tail tag out of order, or one an offer does not have, is corruption */
    o->job_title = 10891;
    strcpy(o->commune, "75111");
    ASSERT_OK(cm_offer_encode(o, &buf, &len));
    uint8_t bad[512];
    ASSERT(len + 2 < sizeof bad);
    memcpy(bad, buf, len);
    bad[len] = 1; /* TAG_COMMUNE again, after TAG_JOB_TITLE */
    ASSERT_RC(cm_offer_decode(bad, len + 1, &old), CM_ECORRUPT);
    bad[len] = 4; /* TAG_DESIRED_TITLES: a candidate's field */
    bad[len + 1] = 0;
    ASSERT_RC(cm_offer_decode(bad, len + 2, &old), CM_ECORRUPT);
    cm_free(buf);
    cm_offer_free(o);
}

int main(void)
{
    test_rome_4_0();
    test_v3();
    test_job_titles();
    test_cert_spellings();
    test_places();
    test_binary_formats();
    puts("test_record_ref: ok");
    return 0;
}
