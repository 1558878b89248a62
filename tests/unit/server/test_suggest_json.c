/* Unit test of the suggestion writers shared by the API and the CLI (engine/render_ref.c,
 * include/carematch/render.h): the shapes of GET /v1/suggest/jobs and /v1/suggest/communes
 * (docs/API.md) on real referential answers, the empty answer and bad arguments. */
#include "test.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "carematch/render.h"

static const cJSON *get(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    if (!v)
        fprintf(stderr, "missing \"%s\"\n", k);
    ASSERT(v != NULL);
    return v;
}

static void test_jobs(void)
{
    cm_rome_suggestion_t sg[5];
    size_t n = cm_rome_suggest("aide soignante", sg, 5);
    ASSERT(n >= 1);
    char *text = NULL;
    size_t len = 0;
    ASSERT_OK(cm_job_suggestions_to_json(sg, n, &text, &len));
    ASSERT_EQ(len, strlen(text));
    cJSON *root = cJSON_Parse(text);
    ASSERT(cJSON_IsObject(root));
    ASSERT_EQ(cJSON_GetArraySize(root), 1);
    const cJSON *arr = get(root, "suggestions");
    ASSERT_EQ((size_t)cJSON_GetArraySize(arr), n);
    const cJSON *s0 = cJSON_GetArrayItem(arr, 0);
    ASSERT_EQ(cJSON_GetArraySize(s0), 5);
    ASSERT_STREQ(get(s0, "title")->valuestring, sg[0].title.label);
    ASSERT_EQ((uint32_t)get(s0, "ogr")->valuedouble, sg[0].title.ogr);
    ASSERT_STREQ(get(s0, "rome")->valuestring, "J1501");
    ASSERT_STREQ(get(s0, "rome_label")->valuestring, sg[0].title.rome_label);
    ASSERT_STREQ(get(s0, "match")->valuestring, sg[0].match == CM_SUGGEST_EXACT ? "exact"
                                                                                : "prefix");
    cJSON_Delete(root);
    cm_free(text);

    n = cm_rome_suggest("AES", sg, 1);
    ASSERT_EQ(n, 1);
    ASSERT_OK(cm_job_suggestions_to_json(sg, n, &text, NULL));
    root = cJSON_Parse(text);
    s0 = cJSON_GetArrayItem(get(root, "suggestions"), 0);
    ASSERT_STREQ(get(s0, "match")->valuestring, "acronym");
    ASSERT_STREQ(get(s0, "rome")->valuestring, "K1306");
    cJSON_Delete(root);
    cm_free(text);
}

static void test_communes(void)
{
    cm_commune_t c[3];
    size_t n = cm_commune_suggest("75011", c, 3);
    ASSERT(n >= 1);
    char *text = NULL;
    ASSERT_OK(cm_commune_suggestions_to_json(c, n < 3 ? n : 3, &text, NULL));
    cJSON *root = cJSON_Parse(text);
    const cJSON *s0 = cJSON_GetArrayItem(get(root, "suggestions"), 0);
    ASSERT_EQ(cJSON_GetArraySize(s0), 6);
    ASSERT_STREQ(get(s0, "commune")->valuestring, "75111");
    ASSERT_STREQ(get(s0, "name")->valuestring, c[0].name);
    ASSERT_STREQ(get(s0, "postcode")->valuestring, "75011");
    ASSERT_STREQ(get(s0, "department")->valuestring, "75");
    ASSERT_NEAR(get(s0, "lat")->valuedouble, c[0].lat, 1e-6);
    ASSERT_NEAR(get(s0, "lon")->valuedouble, c[0].lon, 1e-6);
    cJSON_Delete(root);
    cm_free(text);
}

int main(void)
{
    ASSERT_OK(cm_ref_init());
    test_jobs();
    test_communes();

    char *text = NULL;
    ASSERT_OK(cm_job_suggestions_to_json(NULL, 0, &text, NULL));
    ASSERT_STREQ(text, "{\"suggestions\":[]}");
    cm_free(text);
    ASSERT_OK(cm_commune_suggestions_to_json(NULL, 0, &text, NULL));
    ASSERT_STREQ(text, "{\"suggestions\":[]}");
    cm_free(text);
    ASSERT_RC(cm_job_suggestions_to_json(NULL, 1, &text, NULL), CM_EINVAL);
    ASSERT(text == NULL);
    ASSERT_RC(cm_commune_suggestions_to_json(NULL, 0, NULL, NULL), CM_EINVAL);
    printf("suggest_json: ok\n");
    return 0;
}
