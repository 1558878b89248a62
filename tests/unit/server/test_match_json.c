/* Unit test of the match-result writer shared by the API and the CLI
 * (engine/match_json.c, include/carematch/render.h): the contract's shape ("Matches" in
 * shared/contract/API.md), its rounding, null commute mode, and that a candidate brief never
 * carries a person's coordinates or summary; the "neighbour" block of a pair met through a
 * neighbouring ROME code, absent for a same-code pair. */
#include "test.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "carematch/render.h"

static const char OFFER[] =
    "{\"id\":\"off-1\",\"title\":\"Aide-soignant \\\"nuit\\\"\",\"rome\":\"J1501\","
    "\"employer\":{\"name\":\"EHPAD Les Tilleuls\",\"kind\":\"ehpad\"},"
    "\"location\":{\"lat\":48.8589,\"lon\":2.38,\"city\":\"Paris\",\"postcode\":\"75011\"},"
    "\"contract\":\"CDI\"}";
static const char CAND[] =
    "{\"id\":\"cand-1\",\"location\":{\"lat\":48.904169,\"lon\":2.40875,\"city\":\"Pantin\","
    "\"postcode\":\"93500\"},\"desired_rome\":[\"J1501\"],\"certifications\":[\"SST\"],"
    "\"experience_months\":24,\"summary\":\"SECRET-SUMMARY\"}";

static const cJSON *get(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    if (!v)
        fprintf(stderr, "missing \"%s\"\n", k);
    ASSERT(v != NULL);
    return v;
}

int main(void)
{
    cm_offer_t *o = NULL;
    cm_candidate_t *c = NULL;
    cm_error err = {0};
    ASSERT_OK(cm_offer_from_json(OFFER, strlen(OFFER), NULL, &o, &err));
    ASSERT_OK(cm_candidate_from_json(CAND, strlen(CAND), NULL, &c, &err));

    cm_match_t items[2];
    memset(items, 0, sizeof items);
    items[0].offer = o;
    items[0].score = 82.46;
    for (int f = 0; f < CM_F__COUNT; f++)
        items[0].explain[f] = 0.123;
    items[0].commute_mode = CM_MODE_TRANSIT;
    items[0].commute_minutes = 31.6;
    items[0].distance_km = 6.14;
    items[0].eligible = true;
    items[1].candidate = c;
    snprintf(items[1].near_code, sizeof items[1].near_code, "K1302");
    snprintf(items[1].near_of, sizeof items[1].near_of, "K1311");
    items[1].near_kind = CM_ROME_NEAR_SIBLING;
    items[1].near_rank = 2;
    items[1].score = 40;
    items[1].n_barriers = 1;
    items[1].barriers[0].kind = CM_BARRIER_SCHEDULE;
    items[1].barriers[0].levers = CM_LEVER_CHILDCARE_AID | CM_LEVER_IMMERSION;
    snprintf(items[1].barriers[0].detail, sizeof items[1].barriers[0].detail, "nights");
    /* matching v2: a stable code, the numbers, a French sentence (added, nothing changed) */
    items[1].barriers[0].code = CM_BC_SCHEDULE_DAY_OFF;
    items[1].barriers[0].hard = true;
    items[1].barriers[0].days = 0x60;
    items[1].barriers[0].coverage = 80;
    snprintf(items[1].barriers[0].detail_fr, sizeof items[1].barriers[0].detail_fr,
             "Travail le samedi et dimanche");
    items[1].n_barriers = 3;
    items[1].barriers[1] = (cm_barrier_t){.kind = CM_BARRIER_COMMUTE,
                                          .code = CM_BC_COMMUTE_TOO_LONG,
                                          .hard = true,
                                          .minutes = 70,
                                          .limit = 60,
                                          .detail = "transit 70 min > 60 min limit",
                                          .detail_fr = "Trajet de 70 min"};
    items[1].barriers[2] = (cm_barrier_t){.kind = CM_BARRIER_CERTIFICATION,
                                          .code = CM_BC_CERT_MISSING,
                                          .hard = true,
                                          .missing = "DEAS,CAP_AEPE/DEAP",
                                          .detail = "DEAS required",
                                          .detail_fr = "Diplôme"};
    cm_match_result_t r = {.items = items, .n = 2, .considered = 17};

    char *text = NULL;
    size_t len = 0;
    ASSERT_OK(cm_match_result_to_json(&r, &text, &len));
    ASSERT_EQ(len, strlen(text));
    ASSERT(strstr(text, "SECRET-SUMMARY") == NULL);
    ASSERT(strstr(text, "48.904") == NULL); /* no coordinates of a person */
    cJSON *root = cJSON_Parse(text);
    ASSERT(cJSON_IsObject(root));
    ASSERT_EQ(get(root, "count")->valueint, 2);
    ASSERT_EQ(get(root, "considered")->valueint, 17);
    const cJSON *res = get(root, "results");
    ASSERT_EQ(cJSON_GetArraySize(res), 2);

    const cJSON *m0 = cJSON_GetArrayItem(res, 0);
    const cJSON *off = get(m0, "offer");
    ASSERT_STREQ(get(off, "id")->valuestring, "off-1");
    ASSERT_STREQ(get(off, "title")->valuestring, "Aide-soignant \"nuit\"");
    ASSERT_STREQ(get(get(off, "employer"), "kind")->valuestring, "ehpad");
    ASSERT_NEAR(get(get(off, "location"), "lat")->valuedouble, 48.8589, 1e-9);
    ASSERT_STREQ(get(off, "contract")->valuestring, "CDI");
    ASSERT_NEAR(get(m0, "score")->valuedouble, 82.5, 1e-9);
    ASSERT_NEAR(get(get(m0, "explain"), "skills")->valuedouble, 0.12, 1e-9);
    ASSERT_EQ(cJSON_GetArraySize(get(m0, "explain")), CM_F__COUNT);
    const cJSON *cm = get(m0, "commute");
    ASSERT_STREQ(get(cm, "mode")->valuestring, "transit");
    ASSERT_NEAR(get(cm, "minutes")->valuedouble, 32, 1e-9);
    ASSERT_NEAR(get(cm, "distance_km")->valuedouble, 6.1, 1e-9);
    ASSERT_EQ(cJSON_GetArraySize(get(m0, "barriers")), 0);
    ASSERT(cJSON_IsTrue(get(m0, "eligible")));
    ASSERT(cJSON_GetObjectItemCaseSensitive(m0, "neighbour") == NULL); /* same-code pair */

    const cJSON *m1 = cJSON_GetArrayItem(res, 1);
    const cJSON *cand = get(m1, "candidate");
    ASSERT_STREQ(get(cand, "id")->valuestring, "cand-1");
    const cJSON *loc = get(cand, "location");
    ASSERT_STREQ(get(loc, "postcode")->valuestring, "93500");
    ASSERT(cJSON_GetObjectItemCaseSensitive(loc, "lat") == NULL);
    ASSERT(cJSON_GetObjectItemCaseSensitive(cand, "summary") == NULL);
    ASSERT_EQ(get(cand, "experience_months")->valueint, 24);
    ASSERT(cJSON_IsNull(get(get(m1, "commute"), "mode"))); /* not computed */
    const cJSON *b = cJSON_GetArrayItem(get(m1, "barriers"), 0);
    ASSERT_STREQ(get(b, "kind")->valuestring, "schedule");
    ASSERT_STREQ(get(b, "detail")->valuestring, "nights");
    const cJSON *lv = get(b, "levers");
    ASSERT_EQ(cJSON_GetArraySize(lv), 2);
    ASSERT_STREQ(cJSON_GetArrayItem(lv, 0)->valuestring, "childcare_aid");
    ASSERT_STREQ(cJSON_GetArrayItem(lv, 1)->valuestring, "immersion");
    ASSERT_STREQ(get(b, "code")->valuestring, "schedule_day_off");
    ASSERT(cJSON_IsTrue(get(b, "hard")));
    ASSERT_STREQ(get(b, "detail_fr")->valuestring, "Travail le samedi et dimanche");
    ASSERT_EQ(get(b, "coverage")->valueint, 80);
    const cJSON *days = get(b, "days");
    ASSERT_EQ(cJSON_GetArraySize(days), 2);
    ASSERT_STREQ(cJSON_GetArrayItem(days, 0)->valuestring, "sat");
    const cJSON *b1 = cJSON_GetArrayItem(get(m1, "barriers"), 1);
    ASSERT_STREQ(get(b1, "code")->valuestring, "commute_too_long");
    ASSERT_EQ(get(b1, "minutes")->valueint, 70);
    ASSERT_EQ(get(b1, "limit")->valueint, 60);
    const cJSON *b2 = cJSON_GetArrayItem(get(m1, "barriers"), 2);
    const cJSON *miss = get(b2, "missing");
    ASSERT_EQ(cJSON_GetArraySize(miss), 2);
    ASSERT_STREQ(cJSON_GetArrayItem(miss, 0)->valuestring, "DEAS");
    ASSERT_STREQ(cJSON_GetArrayItem(miss, 1)->valuestring, "CAP_AEPE/DEAP");
    ASSERT(cJSON_IsFalse(get(m1, "eligible")));
    const cJSON *nb = get(m1, "neighbour");
    ASSERT_EQ(cJSON_GetArraySize(nb), 4);
    ASSERT_STREQ(get(nb, "code")->valuestring, "K1302");
    ASSERT_STREQ(get(nb, "of")->valuestring, "K1311");
    ASSERT_STREQ(get(nb, "kind")->valuestring, "sibling");
    ASSERT_EQ(get(nb, "rank")->valueint, 2);
    cJSON_Delete(root);
    cm_free(text);

    /* numbers are written without printf: each must be the text cJSON prints for the value
     * rounded as the contract says (score and distance to 0.1, factors to 0.01, minutes to 1),
     * over awkward values: halves, negatives rounding to zero, large, tiny, non-finite */
    static const double vals[] = {
        0,    -0.0, 0.05,    0.005,   0.015,    0.125,     -0.04,      -0.06,    82.46,     99.95,
        100,  1e-9, 0.1,     0.7,     1.005,    2.675,     31.5,       -31.5,    123456.78, 1e13,
        3e14, 5e15, 1.0 / 3, 2.0 / 3, 0.999999, 1.0 / 0.0, -1.0 / 0.0, 0.0 / 0.0};
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        cm_match_t one;
        memset(&one, 0, sizeof one);
        one.offer = o;
        one.score = vals[i];
        for (int f = 0; f < CM_F__COUNT; f++)
            one.explain[f] = vals[i];
        one.commute_minutes = vals[i];
        one.distance_km = vals[i];
        cm_match_result_t r1 = {.items = &one, .n = 1};
        ASSERT_OK(cm_match_result_to_json(&r1, &text, NULL));
        const struct {
            const char *key;
            double scale;
        } want[] = {{"\"score\":", 10},
                    {"\"skills\":", 100},
                    {"\"minutes\":", 1},
                    {"\"distance_km\":", 10}};
        for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
            double v = round(vals[i] * want[k].scale) / want[k].scale;
            if (v == 0)
                v = 0.0; /* a rounded -0.04 is written 0, not cJSON's -0 */
            cJSON *num = cJSON_CreateNumber(v);
            char *expect = cJSON_PrintUnformatted(num);
            const char *at = strstr(text, want[k].key);
            ASSERT(at != NULL);
            at += strlen(want[k].key);
            size_t n = strcspn(at, ",}");
            if (strlen(expect) != n || strncmp(at, expect, n) != 0)
                fprintf(stderr, "value %.17g as %s: got %.*s, cJSON prints %s\n", vals[i],
                        want[k].key, (int)n, at, expect);
            ASSERT(strlen(expect) == n && strncmp(at, expect, n) == 0);
            cJSON_free(expect);
            cJSON_Delete(num);
        }
        cJSON *back = cJSON_Parse(text);
        ASSERT(back != NULL); /* valid JSON whatever the value (non-finite: null) */
        cJSON_Delete(back);
        cm_free(text);
    }

    /* the empty result, and bad arguments */
    cm_match_result_t empty = {0};
    ASSERT_OK(cm_match_result_to_json(&empty, &text, NULL));
    ASSERT_STREQ(text, "{\"results\":[],\"count\":0,\"considered\":0}");
    cm_free(text);
    ASSERT_RC(cm_match_result_to_json(NULL, &text, NULL), CM_EINVAL);
    ASSERT(text == NULL);
    ASSERT_RC(cm_match_result_to_json(&empty, NULL, NULL), CM_EINVAL);

    cm_offer_free(o);
    cm_candidate_free(c);
    printf("match_json: ok\n");
    return 0;
}
