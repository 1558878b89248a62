/* Fuzz target: GET /v1/candidates/search from the query string on: the route's parameter check
 * and the handler's parsing (handlers_candsearch.c, params.c) into cm_candidate_query_t, then
 * cm_engine_search_candidates on a small engine, then the handler's JSON answer. Input: the raw
 * query string (after '?'). The audit log is faked, so that it does not grow with every run and
 * so that what is audited can be compared with what is shown. */
#include <cjson/cJSON.h>
#include <ftw.h>
#include <string.h>
#include <unistd.h>

#include "carematch/engine.h"
#include "fuzz.h"

/* the handler's audit calls land in fuzz_audit below (its declaration in audit.h is renamed) */
#define srv_audit fuzz_audit
#include "../../server/handlers_candsearch.c"
#undef srv_audit

static cm_engine_t *engine;
static char data_dir[512];

/* What the handler audited in the last call: the ids, in order. */
static char audited[CM_SEARCH_PER_PAGE_MAX][CM_ID_MAX + 1];
static size_t n_audited, audit_calls;

int fuzz_audit(srv_req_t *req, const char *action, const char *const *ids, size_t n)
{
    (void)req;
    FUZZ_CHECK(strcmp(action, "listed_in_search") == 0);
    FUZZ_CHECK(n <= CM_SEARCH_PER_PAGE_MAX);
    audit_calls++;
    n_audited = n;
    for (size_t i = 0; i < n; i++)
        snprintf(audited[i], sizeof audited[i], "%s", ids[i]);
    return 0;
}

#define NIGHT "\"availability\":[{\"days\":[\"mon\",\"tue\"],\"from\":\"21:00\",\"to\":\"06:00\"}]"

/* A handful of candidates across filters: codes, titles, certifications (DEAVS, DEAMP count as
 * DEAES), départements (93, 75, 69, 2A, 974, none), availability, flags, modes; fz-5 would
 * answer almost everything but is inactive, fz-8 is hired. */
static const struct {
    const char *json;
    const char *dept; /* the département of its postcode ("" none), for the filter's check */
} CANDS[] = {
    {"{\"id\":\"fz-1\",\"location\":{\"lat\":48.9362,\"lon\":2.3574,\"postcode\":\"93200\"},"
     "\"desired_rome\":[\"K1306\"],\"certifications\":[\"DEAES\"]," NIGHT ","
     "\"open_to_immersion\":true,\"mobility\":{\"modes\":[\"transit\"]}}",
     "93"},
    {"{\"id\":\"fz-2\",\"location\":{\"lat\":48.9077,\"lon\":2.4397,\"postcode\":\"93000\"},"
     "\"desired_job_titles\":[10891],\"certifications\":[\"DEAVS\"],\"availability\":[{\"days\":"
     "[\"sat\",\"sun\"],\"from\":\"07:00\",\"to\":\"19:00\"}],\"mobility\":{\"modes\":[\"car\"],"
     "\"driving_licence\":true,\"vehicle\":true}}",
     "93"},
    {"{\"id\":\"fz-3\",\"location\":{\"lat\":48.8589,\"lon\":2.38,\"postcode\":\"75011\"},"
     "\"desired_rome\":[\"J1501\"],\"certifications\":[\"DEAS\"],\"open_to_training\":true}",
     "75"},
    {"{\"id\":\"fz-4\",\"location\":{\"lat\":45.764,\"lon\":4.8357,\"postcode\":\"69003\"},"
     "\"certifications\":[\"DEAMP\"],\"availability\":[{\"days\":[\"mon\",\"tue\",\"wed\","
     "\"thu\",\"fri\"],\"from\":\"08:30\",\"to\":\"16:30\"}],\"mobility\":{\"modes\":[\"bike\","
     "\"walk\"]}}",
     "69"},
    {"{\"id\":\"fz-5\",\"location\":{\"lat\":48.9362,\"lon\":2.3574,\"postcode\":\"93200\"},"
     "\"desired_rome\":[\"K1306\",\"J1501\"],\"certifications\":[\"DEAES\",\"DEAS\"],"
     "\"open_to_immersion\":true,\"open_to_training\":true,\"status\":\"inactive\"}",
     "93"},
    {"{\"id\":\"fz-6\",\"location\":{\"lat\":41.9192,\"lon\":8.7386,\"postcode\":\"20000\"},"
     "\"desired_rome\":[\"K1302\"]," NIGHT "}",
     "2A"},
    {"{\"id\":\"fz-7\",\"location\":{\"lat\":-20.8821,\"lon\":55.4504,\"postcode\":\"97400\"},"
     "\"desired_rome\":[\"J1501\"],\"desired_job_titles\":[10891],\"certifications\":[\"DEAS\"],"
     "\"open_to_immersion\":true}",
     "974"},
    {"{\"id\":\"fz-8\",\"location\":{\"lat\":48.86,\"lon\":2.35},\"desired_rome\":[\"K1306\"],"
     "\"certifications\":[\"DEAES\"],\"status\":\"hired\"}",
     ""},
    {"{\"id\":\"fz-9\",\"location\":{\"lat\":43.2965,\"lon\":5.3698},\"desired_rome\":"
     "[\"K1306\"]," NIGHT "}",
     ""},
};
#define N_CANDS (sizeof CANDS / sizeof CANDS[0])

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
    snprintf(data_dir, sizeof data_dir, "%s/fuzz-cand-search-XXXXXX", tmp && *tmp ? tmp : "/tmp");
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
        fprintf(stderr, "fuzz_cand_search: cm_engine_open: %s: %s\n", cm_strerror(rc), err.message);
        return -1;
    }
    for (size_t i = 0; i < N_CANDS; i++) {
        cm_candidate_t *c = NULL;
        rc = cm_candidate_from_json(CANDS[i].json, strlen(CANDS[i].json), NULL, &c, &err);
        if (rc == 0)
            rc = cm_engine_put_candidate(engine, c, 0, NULL, NULL);
        cm_candidate_free(c);
        if (rc != 0) {
            fprintf(stderr, "fuzz_cand_search: candidate %zu: %s: %s\n", i, cm_strerror(rc),
                    err.message);
            return -1;
        }
    }
    return 0;
}

/* The département given for candidate `id` in CANDS (each record starts with its id). */
static const char *dept_of(const char *id)
{
    static const char head[] = "{\"id\":\"";
    size_t n = strlen(id);
    for (size_t i = 0; i < N_CANDS; i++) {
        const char *rec = CANDS[i].json + sizeof head - 1;
        if (strncmp(rec, id, n) == 0 && rec[n] == '"')
            return CANDS[i].dept;
    }
    return NULL;
}

/* A département as the query gives it, in the records' form ("2a" -> "2A"). */
static void dept_norm(const char *in, char out[8])
{
    snprintf(out, 8, "%s", in);
    if (out[0] == '2' && (out[1] == 'a' || out[1] == 'b'))
        out[1] = (char)(out[1] - 'a' + 'A');
}

/* A flag filter: -1 any, else the candidate's value must be it. */
static bool flag_ok(int want, bool have)
{
    return want < 0 || (want == 1) == have;
}

/* The engine's promises on a successful search, checked against the parsed query. */
static void check_result(const cm_candidate_query_t *q, const cm_candidate_search_result_t *r)
{
    bool geo = q->has_geo || r->placed;
    FUZZ_CHECK(r->n_hits <= q->limit);
    /* nothing is deleted here: the page is exactly what total and offset leave */
    uint64_t left = r->total > q->offset ? r->total - q->offset : 0;
    FUZZ_CHECK(r->n_hits == (left < q->limit ? left : q->limit));
    FUZZ_CHECK(r->total <= N_CANDS);
    for (size_t i = 0; i < r->n_hits; i++) {
        const cm_candidate_t *c = r->hits[i].candidate;
        double km = r->hits[i].distance_km;
        FUZZ_CHECK(c != NULL && c->status == CM_CAND_ACTIVE); /* fz-5, fz-8 never */
        FUZZ_CHECK(geo ? km >= 0 : km < 0);
        if (geo && q->radius_km > 0)
            FUZZ_CHECK(km <= q->radius_km);
        if (i > 0) { /* by distance then id, or by id: strictly, ids being unique */
            const cm_candidate_hit_t *p = &r->hits[i - 1];
            bool same_km = !geo || p->distance_km == km;
            FUZZ_CHECK(!geo || p->distance_km <= km);
            FUZZ_CHECK(!same_km || strcmp(p->candidate->id, c->id) < 0);
        }
        FUZZ_CHECK(flag_ok(q->open_to_immersion, c->open_to_immersion));
        FUZZ_CHECK(flag_ok(q->open_to_training, c->open_to_training));
        FUZZ_CHECK(flag_ok(q->driving_licence, c->driving_licence));
        FUZZ_CHECK(flag_ok(q->vehicle, c->vehicle));
        FUZZ_CHECK(!q->modes || (c->modes & q->modes));
        if (q->department) {
            char want[8];
            dept_norm(q->department, want);
            const char *have = dept_of(c->id);
            FUZZ_CHECK(have && strcmp(have, want) == 0);
        }
        if (q->n_rome) {
            bool any = false;
            for (size_t k = 0; k < q->n_rome; k++)
                for (size_t j = 0; j < c->n_desired_rome; j++)
                    any |= strcmp(q->rome[k], c->desired_rome[j]) == 0;
            FUZZ_CHECK(any);
        }
    }
}

static void req_init(srv_req_t *req, srv_config_t *cfg, const char *query)
{
    memset(req, 0, sizeof *req);
    req->cfg = cfg;
    req->engine = engine;
    req->scope = SRV_SCOPE_ADVISER;
    req->query = query;
}

static void req_done(srv_req_t *req)
{
    free(req->qbuf);
    free(req->resp.body);
}

/* The route's parameter list, as the router checks it before the handler runs. */
static const char *route_params(void)
{
    for (size_t i = 0; i < srv_route_count; i++)
        if (srv_routes[i].fn == srv_h_candidate_search)
            return srv_routes[i].params;
    return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FUZZ_CHECK(engine != NULL);
    char *query = malloc(size + 1);
    FUZZ_CHECK(query != NULL);
    memcpy(query, data, size);
    query[size] = '\0'; /* as http.c hands it over: a NUL inside simply ends it */
    bool verbose = getenv("CM_FUZZ_VERBOSE") != NULL;
    srv_config_t cfg;
    srv_config_defaults(&cfg);
    const char *list = route_params();
    FUZZ_CHECK(list != NULL);

    /* 1. the router: an unknown parameter or a non-repeatable one twice is a 400 already */
    srv_req_t req;
    req_init(&req, &cfg, query);
    const char *field = NULL;
    char msg[160] = "";
    if (srv_params_check(&req, list, &field, msg, sizeof msg) != 0) {
        FUZZ_CHECK(field != NULL && msg[0] != '\0');
        if (verbose)
            fprintf(stderr, "%s -> route 400 %s: %s\n", query, field, msg);
        req_done(&req);
        free(query);
        return 0;
    }

    /* 2. the handler's parsing, then the engine, the properties checked on the structs */
    cm_candidate_query_t q;
    long page = 0, per_page = 0;
    int parsed = parse_query(&req, &q, &page, &per_page);
    int rc = 1; /* not a CM_E* code: the search did not run */
    cm_candidate_search_result_t *res = NULL;
    cm_error err = {0};
    if (parsed != 0) {
        FUZZ_CHECK(req.resp.status == 400); /* a bad parameter is the client's fault */
    } else {
        FUZZ_CHECK(req.resp.status == 0); /* nothing answered yet */
        FUZZ_CHECK(page >= 1 && per_page >= 1 && per_page <= CM_SEARCH_PER_PAGE_MAX);
        FUZZ_CHECK(q.limit == (unsigned)per_page && q.offset == (unsigned)((page - 1) * per_page));
        rc = cm_engine_search_candidates(engine, &q, &res, &err);
        if (rc != 0 && rc != CM_EINVAL)
            fprintf(stderr, "search_candidates: %s: %s\n", cm_strerror(rc), err.message);
        FUZZ_CHECK(rc == 0 || rc == CM_EINVAL);
        FUZZ_CHECK(rc == 0 ? res != NULL : res == NULL && err.field[0] != '\0');
        if (rc == 0)
            check_result(&q, res);
    }
    for (size_t i = 0; i < q.n_certification; i++)
        free((char *)q.certification[i]);
    req_done(&req);

    /* 3. the whole handler on a fresh request: the same answer, as JSON, audited */
    req_init(&req, &cfg, query);
    n_audited = 0;
    size_t calls_before = audit_calls;
    srv_h_candidate_search(&req);
    int st = req.resp.status;
    if (verbose)
        fprintf(stderr, "%s -> %d %.160s\n", query, st, req.resp.body ? req.resp.body : "");
    if (st != 200 && st != 400)
        fprintf(stderr, "candidate search answered %d: %.*s\n", st, (int)req.resp.body_len,
                req.resp.body);
    FUZZ_CHECK(st == (parsed == 0 && rc == 0 ? 200 : 400));
    cJSON *doc = cJSON_ParseWithLength(req.resp.body, req.resp.body_len);
    FUZZ_CHECK(doc != NULL);
    if (st == 200) {
        cJSON *total = cJSON_GetObjectItemCaseSensitive(doc, "total");
        cJSON *jpage = cJSON_GetObjectItemCaseSensitive(doc, "page");
        cJSON *jper = cJSON_GetObjectItemCaseSensitive(doc, "per_page");
        cJSON *results = cJSON_GetObjectItemCaseSensitive(doc, "results");
        FUZZ_CHECK(cJSON_IsNumber(total) && cJSON_IsNumber(jpage) && cJSON_IsNumber(jper) &&
                   cJSON_IsArray(results));
        FUZZ_CHECK(jpage->valuedouble == (double)page && jper->valuedouble == (double)per_page);
        FUZZ_CHECK(total->valuedouble == (double)res->total);
        int n = cJSON_GetArraySize(results);
        FUZZ_CHECK(n <= per_page && (double)n <= total->valuedouble);
        FUZZ_CHECK((size_t)n == res->n_hits);
        /* every candidate shown is audited, once, and only those */
        FUZZ_CHECK(audit_calls == calls_before + (n > 0) && n_audited == (size_t)n);
        bool geo = q.has_geo || res->placed;
        FUZZ_CHECK(cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(doc, "center")) == res->placed);
        int i = 0;
        cJSON *item;
        cJSON_ArrayForEach(item, results)
        {
            cJSON *cand = cJSON_GetObjectItemCaseSensitive(item, "candidate");
            cJSON *id = cJSON_GetObjectItemCaseSensitive(cand, "id");
            cJSON *km = cJSON_GetObjectItemCaseSensitive(item, "distance_km");
            FUZZ_CHECK(cJSON_IsString(id));
            FUZZ_CHECK(strcmp(id->valuestring, res->hits[i].candidate->id) == 0);
            FUZZ_CHECK(strcmp(id->valuestring, audited[i]) == 0);
            FUZZ_CHECK(geo ? cJSON_IsNumber(km) && km->valuedouble >= 0 : km == NULL);
            cJSON *status = cJSON_GetObjectItemCaseSensitive(cand, "status");
            FUZZ_CHECK(!status ||
                       (cJSON_IsString(status) && strcmp(status->valuestring, "active") == 0));
            i++;
        }
    } else {
        FUZZ_CHECK(audit_calls == calls_before); /* nothing shown, nothing read */
        cJSON *e = cJSON_GetObjectItemCaseSensitive(doc, "error");
        FUZZ_CHECK(cJSON_IsObject(e));
        cJSON *code = cJSON_GetObjectItemCaseSensitive(e, "code");
        FUZZ_CHECK(cJSON_IsString(code) && strcmp(code->valuestring, "invalid_field") == 0);
        cJSON *efield = cJSON_GetObjectItemCaseSensitive(e, "field");
        if (rc == CM_EINVAL) /* the engine's refusal names the same parameter */
            FUZZ_CHECK(cJSON_IsString(efield) && strcmp(efield->valuestring, err.field) == 0);
    }
    cJSON_Delete(doc);
    cm_candidate_search_result_free(res);
    req_done(&req);
    free(query);
    return 0;
}
