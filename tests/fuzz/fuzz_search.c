/* Fuzz target: GET /v1/offers/search from the query string on: the server's parameter parsing
 * (handlers_search.c, params.c, the query-string decoder of http.c) into cm_search_query_t, then
 * cm_engine_search (Xapian's query parser through the shim) on a small index built once, then the
 * JSON answer. Input: the raw query string (after '?'). */
#include <cjson/cJSON.h>
#include <ftw.h>
#include <string.h>
#include <unistd.h>

#include "carematch/engine.h"
#include "fuzz.h"

#include "../../server/handlers_search.c"

static cm_engine_t *engine;
static char data_dir[512];

static const char *const OFFERS[] = {
    "{\"id\":\"off-1\",\"title\":\"Aide-soignant(e) de nuit H/F\",\"description\":\"EHPAD de 80 "
    "lits recherche un aide-soignant dipl\xc3\xb4m\xc3\xa9 pour les nuits\",\"rome\":\"J1501\","
    "\"employer\":{\"name\":\"EHPAD Les Tilleuls\",\"kind\":\"ehpad\"},\"location\":{\"lat\":"
    "48.8589,\"lon\":2.38,\"city\":\"Paris\",\"postcode\":\"75011\"},\"contract\":\"CDI\","
    "\"hours_per_week\":35,\"schedule\":[{\"days\":[\"mon\",\"tue\"],\"from\":\"21:00\",\"to\":"
    "\"07:00\"}],\"skills\":[{\"label\":\"Soins d'hygi\xc3\xa8ne et de confort\",\"required\":"
    "true}],\"certifications\":[{\"code\":\"DEAS\",\"required\":true}],\"immersion_possible\":"
    "true,\"published_at\":\"2026-11-02\"}",
    "{\"id\":\"off-2\",\"title\":\"Auxiliaire de vie\",\"description\":\"Accompagnement "
    "\xc3\xa0 domicile de personnes \xc3\xa2g\xc3\xa9\x65s, aide aux repas\",\"rome\":\"K1311\","
    "\"employer\":{\"name\":\"SAAD Bel Age\",\"kind\":\"saad\"},\"location\":{\"lat\":45.764,"
    "\"lon\":4.8357,\"city\":\"Lyon\",\"postcode\":\"69003\"},\"contract\":\"CDD\","
    "\"hours_per_week\":24,\"pre_hire_training\":true,\"published_at\":\"2026-10-01\"}",
    "{\"id\":\"off-3\",\"title\":\"Accompagnant educatif et social (AES)\",\"rome\":\"K1306\","
    "\"employer\":{\"kind\":\"mas\"},\"location\":{\"lat\":43.2965,\"lon\":5.3698,\"postcode\":"
    "\"13001\"},\"contract\":\"interim\",\"accessible_to_disabled_workers\":true,"
    "\"certifications\":[{\"code\":\"DEAES\",\"required\":false}]}",
    "{\"id\":\"off-4\",\"title\":\"Infirmier de coordination SSIAD\",\"rome\":\"J1506\","
    "\"employer\":{\"kind\":\"ssiad\"},\"location\":{\"lat\":-20.8821,\"lon\":55.4504,"
    "\"postcode\":\"97400\"},\"contract\":\"CDI\",\"status\":\"filled\"}",
};

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

static void cleanup(void)
{
    cm_engine_close(engine);
    engine = NULL;
    if (data_dir[0])
        nftw(data_dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    const char *tmp = getenv("CM_TEST_TMP");
    snprintf(data_dir, sizeof data_dir, "%s/fuzz-search-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(data_dir)) {
        perror("mkdtemp");
        data_dir[0] = '\0';
        return -1;
    }
    atexit(cleanup);
    cm_engine_options_t opts = {.map_size = 64u << 20, .no_index_thread = true};
    cm_error err = {0};
    int rc = cm_engine_open(data_dir, &opts, &engine, &err);
    if (rc != 0) {
        fprintf(stderr, "fuzz_search: cm_engine_open: %s: %s\n", cm_strerror(rc), err.message);
        return -1;
    }
    for (size_t i = 0; i < sizeof OFFERS / sizeof OFFERS[0]; i++) {
        cm_offer_t *o = NULL;
        rc = cm_offer_from_json(OFFERS[i], strlen(OFFERS[i]), NULL, &o, &err);
        if (rc == 0)
            rc = cm_engine_put_offer(engine, o, 0, NULL, NULL);
        cm_offer_free(o);
        if (rc != 0) {
            fprintf(stderr, "fuzz_search: offer %zu: %s: %s\n", i, cm_strerror(rc), err.message);
            return -1;
        }
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FUZZ_CHECK(engine != NULL);
    char *query = malloc(size + 1);
    FUZZ_CHECK(query != NULL);
    memcpy(query, data, size);
    query[size] = '\0'; /* as http.c hands it over: a NUL inside simply ends it */

    srv_config_t cfg;
    srv_config_defaults(&cfg);
    srv_req_t req;
    memset(&req, 0, sizeof req);
    req.cfg = &cfg;
    req.engine = engine;
    req.scope = SRV_SCOPE_PORTAL;
    req.query = query;
    srv_h_search(&req);

    /* a bad parameter is the client's fault (400), never a server error */
    int st = req.resp.status;
    if (getenv("CM_FUZZ_VERBOSE"))
        fprintf(stderr, "%s -> %d %.160s\n", query, st, req.resp.body ? req.resp.body : "");
    if (st != 200 && st != 400)
        fprintf(stderr, "search answered %d: %.*s\n", st, (int)req.resp.body_len, req.resp.body);
    FUZZ_CHECK(st == 200 || st == 400);
    cJSON *doc = cJSON_ParseWithLength(req.resp.body, req.resp.body_len);
    FUZZ_CHECK(doc != NULL);
    if (st == 200) {
        cJSON *total = cJSON_GetObjectItemCaseSensitive(doc, "total");
        cJSON *per_page = cJSON_GetObjectItemCaseSensitive(doc, "per_page");
        cJSON *results = cJSON_GetObjectItemCaseSensitive(doc, "results");
        FUZZ_CHECK(cJSON_IsNumber(total) && cJSON_IsNumber(per_page) && cJSON_IsArray(results));
        int n = cJSON_GetArraySize(results);
        FUZZ_CHECK(n <= per_page->valueint && n <= CM_SEARCH_PER_PAGE_MAX);
        FUZZ_CHECK((double)n <= total->valuedouble);
        /* only open offers are searched: off-4 is filled */
        cJSON *item;
        cJSON_ArrayForEach(item, results)
        {
            cJSON *offer = cJSON_GetObjectItemCaseSensitive(item, "offer");
            cJSON *id = cJSON_GetObjectItemCaseSensitive(offer, "id");
            FUZZ_CHECK(cJSON_IsString(id) && strcmp(id->valuestring, "off-4") != 0);
        }
    } else {
        cJSON *e = cJSON_GetObjectItemCaseSensitive(doc, "error");
        FUZZ_CHECK(cJSON_IsObject(e));
    }
    cJSON_Delete(doc);
    free(req.qbuf);
    free(req.resp.body);
    free(query);
    return 0;
}
