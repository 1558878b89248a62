/* Record format 3: work pattern, contract length, experience asked, certification groups,
 * own vehicle, physical demands (offers); restrictions and strict preferences (candidates);
 * reserved ids. JSON in and out, binary round trips, and refusals naming the field. */
#include <stdbool.h>

#include "carematch/record.h"
#include "record_eq.h"
#include "test.h"

static const char OFFER3[] =
    "{\"id\":\"o3\",\"title\":\"Auxiliaire de vie\",\"rome\":\"K1302\","
    "\"location\":{\"lat\":45.0,\"lon\":5.0},\"contract\":\"CDD\","
    "\"certifications\":[{\"code\":\"CAP_AEPE\",\"required\":true,\"group\":1},"
    "{\"code\":\"BAC_PRO_ASSP\",\"group\":1},{\"code\":\"PSC1\"}],"
    "\"work_pattern\":[\"weekend\",\"night\"],\"contract_duration_days\":180,"
    "\"experience\":{\"level\":\"required\",\"months\":24},\"vehicle_required\":true,"
    "\"physical_demands\":[\"lifting\",\"standing\"]}";

static const char CAND3[] =
    "{\"id\":\"c3\",\"location\":{\"lat\":45.0,\"lon\":5.0},"
    "\"restrictions\":[\"night\",\"lifting\"],\"strict\":[\"contracts\",\"hours\"]}";

static void test_offer_fields(void)
{
    cm_error err = {0};
    cm_offer_t *o = NULL, *o2 = NULL;
    ASSERT_OK(cm_offer_from_json(OFFER3, strlen(OFFER3), NULL, &o, &err));
    ASSERT_EQ(o->work_pattern, CM_WORK_NIGHT | CM_WORK_WEEKEND);
    ASSERT_EQ(o->contract_days, 180);
    ASSERT_EQ(o->experience_level, CM_XP_REQUIRED);
    ASSERT_EQ(o->experience_months, 24);
    ASSERT(o->vehicle_required);
    ASSERT_EQ(o->demands, CM_DEMAND_LIFTING | CM_DEMAND_STANDING);
    ASSERT_EQ(o->n_certs, 3);
    ASSERT_EQ(o->certs[0].group, 1);
    ASSERT_EQ(o->certs[1].group, 1);
    ASSERT_EQ(o->certs[2].group, 0);

    char *s = cm_offer_to_json(o, 0);
    ASSERT(s);
    ASSERT(strstr(s, "\"work_pattern\":[\"night\",\"weekend\"]")); /* canonical order */
    ASSERT(strstr(s, "\"contract_duration_days\":180"));
    ASSERT(strstr(s, "\"experience\":{\"level\":\"required\",\"months\":24}"));
    ASSERT(strstr(s, "\"vehicle_required\":true"));
    ASSERT(strstr(s, "\"physical_demands\":[\"lifting\",\"standing\"]"));
    ASSERT(strstr(s, "{\"code\":\"CAP_AEPE\",\"required\":true,\"group\":1}"));
    ASSERT(strstr(s, "{\"code\":\"PSC1\",\"required\":false}"));
    ASSERT_OK(cm_offer_from_json(s, strlen(s), NULL, &o2, &err));
    ASSERT(cm_offer_equal(o, o2));
    cm_offer_free(o2);

    uint8_t *buf = NULL;
    size_t len = 0;
    ASSERT_OK(cm_offer_encode(o, &buf, &len));
    ASSERT_EQ(buf[0], CM_RECORD_FORMAT); /* 3 added these fields */
    ASSERT_OK(cm_offer_decode(buf, len, &o2));
    ASSERT(cm_offer_equal(o, o2));
    cm_offer_free(o2);
    /* a format-2 reader's view: the same bytes labelled 2 carry tags 2 does not know */
    buf[0] = 2;
    ASSERT_RC(cm_offer_decode(buf, len, &o2), CM_ECORRUPT);
    /* every truncation of the tail is refused, never misread */
    buf[0] = 3;
    for (size_t cut = 2; cut < len; cut++) {
        int rc = cm_offer_decode(buf, cut, &o2);
        if (rc == 0) {
            /* a cut exactly between tail fields decodes; it must then lack a field */
            ASSERT(!cm_offer_equal(o, o2));
            cm_offer_free(o2);
        }
    }
    cm_free(buf);
    cm_free(s);

    /* absent fields: nothing echoed, nothing stored */
    o->work_pattern = 0;
    o->contract_days = 0;
    o->experience_level = CM_XP_UNSET;
    o->experience_months = 0;
    o->vehicle_required = false;
    o->demands = 0;
    for (size_t i = 0; i < o->n_certs; i++)
        o->certs[i].group = 0;
    s = cm_offer_to_json(o, 0);
    ASSERT(!strstr(s, "work_pattern") && !strstr(s, "contract_duration_days") &&
           !strstr(s, "experience") && !strstr(s, "vehicle_required") &&
           !strstr(s, "physical_demands") && !strstr(s, "group"));
    cm_free(s);
    /* invariants the encoder holds */
    o->experience_months = 3; /* months without a level */
    ASSERT_RC(cm_offer_encode(o, &buf, &len), CM_EINVAL);
    o->experience_months = 0;
    o->demands = 0x80;
    ASSERT_RC(cm_offer_encode(o, &buf, &len), CM_EINVAL);
    cm_offer_free(o);
}

static void test_candidate_fields(void)
{
    cm_error err = {0};
    cm_candidate_t *c = NULL, *c2 = NULL;
    ASSERT_OK(cm_candidate_from_json(CAND3, strlen(CAND3), NULL, &c, &err));
    ASSERT_EQ(c->restrictions, CM_RESTRICT_NIGHT | CM_RESTRICT_LIFTING);
    ASSERT_EQ(c->strict, CM_STRICT_HOURS | CM_STRICT_CONTRACTS);
    char *pub = cm_candidate_to_json(c, 0), *adv = cm_candidate_to_json(c, CM_JSON_SENSITIVE);
    ASSERT(!strstr(pub, "restrictions")); /* health: adviser scope only */
    ASSERT(strstr(pub, "\"strict\":[\"hours\",\"contracts\"]"));
    ASSERT(strstr(adv, "\"restrictions\":[\"lifting\",\"night\"]"));
    ASSERT_OK(cm_candidate_from_json(adv, strlen(adv), NULL, &c2, &err));
    ASSERT(cm_candidate_equal(c, c2));
    cm_candidate_free(c2);
    uint8_t *buf = NULL;
    size_t len = 0;
    ASSERT_OK(cm_candidate_encode(c, &buf, &len));
    ASSERT_OK(cm_candidate_decode(buf, len, &c2));
    ASSERT(cm_candidate_equal(c, c2));
    cm_candidate_free(c2);
    cm_free(buf);
    cm_free(pub);
    cm_free(adv);
    cm_candidate_free(c);
}

/* One variant of a base record: `insert` replaces the text `from` once. */
static int decode_variant(bool offer, const char *from, const char *to, cm_error *err)
{
    const char *base = offer ? OFFER3 : CAND3;
    const char *at = strstr(base, from);
    ASSERT(at);
    char buf[2048];
    snprintf(buf, sizeof buf, "%.*s%s%s", (int)(at - base), base, to, at + strlen(from));
    memset(err, 0, sizeof *err);
    if (offer) {
        cm_offer_t *o = NULL;
        int rc = cm_offer_from_json(buf, strlen(buf), NULL, &o, err);
        cm_offer_free(o);
        return rc;
    }
    cm_candidate_t *c = NULL;
    int rc = cm_candidate_from_json(buf, strlen(buf), NULL, &c, err);
    cm_candidate_free(c);
    return rc;
}

#define REFUSED(offer, from, to, want_field)                                                       \
    do {                                                                                           \
        cm_error e_;                                                                               \
        ASSERT_RC(decode_variant(offer, from, to, &e_), CM_EINVAL);                                \
        ASSERT_STREQ(e_.field, want_field);                                                        \
        ASSERT(e_.message[0]);                                                                     \
    } while (0)

static void test_refusals(void)
{
    REFUSED(true, "[\"weekend\",\"night\"]", "[\"evening\"]", "work_pattern");
    REFUSED(true, "[\"weekend\",\"night\"]", "[\"night\",\"night\"]", "work_pattern");
    REFUSED(true, "[\"weekend\",\"night\"]", "\"night\"", "work_pattern");
    REFUSED(true, "\"contract_duration_days\":180", "\"contract_duration_days\":0",
            "contract_duration_days");
    REFUSED(true, "\"contract_duration_days\":180", "\"contract_duration_days\":3661",
            "contract_duration_days");
    REFUSED(true, "\"level\":\"required\"", "\"level\":\"E\"", "experience.level");
    REFUSED(true, "\"months\":24", "\"months\":-1", "experience.months");
    REFUSED(true, "\"vehicle_required\":true", "\"vehicle_required\":1", "vehicle_required");
    REFUSED(true, "[\"lifting\",\"standing\"]", "[\"heavy\"]", "physical_demands");
    REFUSED(true, "\"group\":1}", "\"group\":0}", "certifications[0].group");
    REFUSED(true, "\"group\":1}", "\"group\":33}", "certifications[0].group");
    REFUSED(false, "[\"night\",\"lifting\"]", "[\"stairs\"]", "restrictions");
    REFUSED(false, "[\"contracts\",\"hours\"]", "[\"salary\"]", "strict");
    cm_error e;
    ASSERT_RC(decode_variant(true, "\"level\":\"required\",", "", &e), CM_EMISSING);
    ASSERT_STREQ(e.field, "experience.level");
    ASSERT_OK(decode_variant(true, ",\"months\":24", "", &e)); /* a level alone */
    ASSERT_OK(decode_variant(true, "[\"weekend\",\"night\"]", "[]", &e));
}

static void test_reserved_ids(void)
{
    static const char *const reserved[] = {"search", "_bulk", ".", ".."};
    static const char *const free_ids[] = {"_anything", "_", "searches", "_bulk2", "...", ".x"};
    for (size_t i = 0; i < sizeof free_ids / sizeof free_ids[0]; i++)
        ASSERT(!cm_id_reserved(free_ids[i], strlen(free_ids[i])));
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++) {
        const char *id = reserved[i];
        ASSERT(cm_id_valid(id, strlen(id))); /* syntax: stored ones stay readable */
        ASSERT(cm_id_reserved(id, strlen(id)));
        char from[16];
        snprintf(from, sizeof from, "\"%s\"", id);
        cm_error e;
        ASSERT_RC(decode_variant(true, "\"o3\"", from, &e), CM_EINVAL);
        ASSERT_STREQ(e.field, "id");
        ASSERT_RC(decode_variant(false, "\"c3\"", from, &e), CM_EINVAL);
        ASSERT_STREQ(e.field, "id");
        cm_offer_t *o = NULL;
        const char *noid = "{\"title\":\"t\",\"rome\":\"J1501\",\"location\":{\"lat\":1,"
                           "\"lon\":1},\"contract\":\"CDI\"}";
        ASSERT_RC(cm_offer_from_json(noid, strlen(noid), id, &o, &e), CM_EINVAL);
        ASSERT_STREQ(e.field, "id");
    }
    static const char *const fine[] = {"searches", "a_bulk", "x.", "...", "search-1"};
    for (size_t i = 0; i < sizeof fine / sizeof fine[0]; i++)
        ASSERT(!cm_id_reserved(fine[i], strlen(fine[i])));
}

/* Unknown members are refused at every level, named, with the closest known name. */
static void test_strict_fields(void)
{
    static const struct {
        bool offer;
        const char *from, *to, *field, *hint;
    } cases[] = {
        {true, "\"vehicle_required\"", "\"vehicule_required\"", "vehicule_required",
         "vehicle_required"},
        {true, "\"lat\":45.0", "\"latt\":45.0", "location.latt", "lat"},
        {true, "\"required\":true,\"group\"", "\"requierd\":true,\"group\"",
         "certifications[0].requierd", "required"},
        {true, "\"months\":24", "\"month\":24", "experience.month", "months"},
        {true, "\"contract\":\"CDD\"", "\"contract\":\"CDD\",\"colour\":1", "colour",
         NULL},
        {false, "\"restrictions\"", "\"desired_romes\":[],\"restrictions\"",
         "desired_romes", "desired_rome"},
        {false, "\"strict\"", "\"mobility\":{\"max_minute\":3},\"strict\"",
         "mobility.max_minute", "max_minutes"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cm_error e;
        ASSERT_RC(decode_variant(cases[i].offer, cases[i].from, cases[i].to, &e), CM_EINVAL);
        ASSERT_STREQ(e.field, cases[i].field);
        if (cases[i].hint) {
            char want[64];
            snprintf(want, sizeof want, "did you mean \"%s\"", cases[i].hint);
            if (!strstr(e.message, want))
                CM_FAIL_("%s: message \"%s\" lacks %s", cases[i].field, e.message, want);
        } else {
            ASSERT(!strstr(e.message, "did you mean"));
        }
    }
    /* what the API echoes goes back in: version, precision, placed_by, job title objects */
    cm_error e;
    ASSERT_OK(decode_variant(true, "\"lon\":5.0}", "\"lon\":5.0,\"precision\":\"commune\"}", &e));
    ASSERT_OK(decode_variant(false, "\"id\":\"c3\"", "\"id\":\"c3\",\"version\":4", &e));
    static const char *const names[] = {"radius_km", "per_page", "limit", NULL};
    ASSERT_STREQ(cm_suggest_name("raduis_km", names), "radius_km");
    ASSERT_STREQ(cm_suggest_name("perpage", names), "per_page");
    ASSERT_STREQ(cm_suggest_name("radius", names), "radius_km");
    ASSERT(cm_suggest_name("zzz", names) == NULL);
}

int main(void)
{
    test_strict_fields();
    test_offer_fields();
    test_candidate_fields();
    test_refusals();
    test_reserved_ids();
    printf("record format 3: ok\n");
    return 0;
}
