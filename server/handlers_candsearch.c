/* GET /v1/candidates/search (advisers): query parameters -> cm_candidate_query_t, the page of
 * candidates -> JSON as GET /v1/candidates/{id} renders them, each one audited. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "carematch/referential.h"
#include "json.h"
#include "params.h"
#include "router.h"

static int too_many(srv_req_t *req, const char *name, int max)
{
    srv_reply_error(req, 400, "invalid_field", name, "%s: at most %d values", name, max);
    return -1;
}

static int add_rome(srv_req_t *req, void *arg, const char *item)
{
    cm_candidate_query_t *q = arg;
    char code[8];
    if (!srv_param_rome(req, "rome", item, code))
        return -1;
    if (q->n_rome == CM_CAND_SEARCH_VALUES_MAX)
        return too_many(req, "rome", CM_CAND_SEARCH_VALUES_MAX);
    cm_rome_t r;
    if (cm_rome_find(code, &r) != 0) { /* cannot fail after srv_param_rome */
        srv_reply_error(req, 400, "invalid_field", "rome", "rome: unknown code");
        return -1;
    }
    q->rome[q->n_rome++] = r.code; /* static: the cut value is restored after this call */
    return 0;
}

/* An OGR code, or a title's label (either gender form, case and accents ignored). */
static int add_job_title(srv_req_t *req, void *arg, const char *item)
{
    cm_candidate_query_t *q = arg;
    cm_rome_title_t t;
    if (cm_rome_title_resolve(item, &t) != 0) { /* as records read it */
        srv_reply_error(req, 400, "invalid_field", "job_title",
                        "job_title: \"%.60s\" is not a ROME job title (an OGR code like 10891, "
                        "or a title like aide-soignante)",
                        item);
        return -1;
    }
    if (q->n_job_title == CM_CAND_SEARCH_VALUES_MAX)
        return too_many(req, "job_title", CM_CAND_SEARCH_VALUES_MAX);
    q->job_title[q->n_job_title++] = t.ogr;
    return 0;
}

static int add_certification(srv_req_t *req, void *arg, const char *item)
{
    cm_candidate_query_t *q = arg;
    if (q->n_certification == CM_CAND_SEARCH_VALUES_MAX)
        return too_many(req, "certification", CM_CAND_SEARCH_VALUES_MAX);
    char *copy = strdup(item); /* the value is restored after this call */
    if (!copy) {
        srv_reply_error(req, 500, "internal", NULL, "out of memory");
        return -1;
    }
    q->certification[q->n_certification++] = copy; /* checked by the engine */
    return 0;
}

static int add_available(srv_req_t *req, void *arg, const char *item)
{
    cm_candidate_query_t *q = arg;
    cm_error err = {0};
    if (q->n_available == CM_AVAIL_NEEDS_MAX)
        return too_many(req, "available", CM_AVAIL_NEEDS_MAX);
    if (cm_avail_need_parse(item, &q->available[q->n_available], &err) != 0) {
        srv_reply_error(req, 400, "invalid_field", "available", "%s", err.message);
        return -1;
    }
    q->n_available++;
    return 0;
}

static int add_mode(srv_req_t *req, void *arg, const char *item)
{
    cm_candidate_query_t *q = arg;
    for (unsigned bit = 1; bit <= CM_MODE_MOPED; bit <<= 1)
        if (strcmp(item, cm_mode_name(bit)) == 0) {
            q->modes |= (uint8_t)bit;
            return 0;
        }
    srv_reply_error(req, 400, "invalid_field", "mode", "mode is car, transit, bike, walk or moped");
    return -1;
}

static int parse_query(srv_req_t *req, cm_candidate_query_t *q, long *page, long *per_page)
{
    cm_candidate_query_init(q);
    if (srv_params_begin(req) != 0)
        return -1;
    srv_center_t c;
    if (srv_param_center(req, &c) != 0)
        return -1;
    q->has_geo = c.has_geo;
    q->center = c.center;
    q->radius_km = c.radius_km;
    q->commune = c.commune;
    q->postcode = c.postcode;
    q->city = c.city;
    q->department = srv_query_get(req, "department");
    if (srv_param_each(req, "rome", true, add_rome, q) != 0 ||
        srv_param_each(req, "job_title", true, add_job_title, q) != 0 ||
        srv_param_each(req, "certification", true, add_certification, q) != 0 ||
        srv_param_each(req, "mode", true, add_mode, q) != 0 ||
        srv_param_each(req, "available", false, add_available, q) != 0) /* "sat,sun" is one value */
        return -1;
    if (srv_param_bool(req, "open_to_immersion", -1, &q->open_to_immersion) != 0 ||
        srv_param_bool(req, "open_to_training", -1, &q->open_to_training) != 0 ||
        srv_param_bool(req, "driving_licence", -1, &q->driving_licence) != 0 ||
        srv_param_bool(req, "vehicle", -1, &q->vehicle) != 0)
        return -1;
    if (srv_param_long(req, "page", 1, 100000, 1, page) != 0 ||
        srv_param_long(req, "per_page", 1, CM_SEARCH_PER_PAGE_MAX, 20, per_page) != 0)
        return -1;
    q->offset = (unsigned)((*page - 1) * *per_page);
    q->limit = (unsigned)*per_page;
    return 0;
}

static cJSON *hits_json(const cm_candidate_search_result_t *r, bool geo, unsigned flags)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; arr && i < r->n_hits; i++) {
        char *text = cm_candidate_to_json(r->hits[i].candidate, flags);
        cJSON *item = cJSON_CreateObject();
        cJSON *raw = text ? cJSON_CreateRaw(text) : NULL;
        cm_free(text);
        if (!item || !raw || !cJSON_AddItemToObject(item, "candidate", raw)) {
            cJSON_Delete(item);
            cJSON_Delete(raw);
            cJSON_Delete(arr);
            return NULL;
        }
        if ((geo &&
             !cJSON_AddNumberToObject(item, "distance_km", srv_round1(r->hits[i].distance_km))) ||
            !cJSON_AddItemToArray(arr, item)) {
            cJSON_Delete(item);
            cJSON_Delete(arr);
            return NULL;
        }
    }
    return arr;
}

/* Every candidate shown is a read of that candidate: audited before the answer leaves. */
static int audit_page(srv_req_t *req, const cm_candidate_search_result_t *r)
{
    if (r->n_hits == 0)
        return 0;
    const char **ids = malloc(r->n_hits * sizeof *ids);
    if (!ids)
        return CM_ENOMEM;
    for (size_t i = 0; i < r->n_hits; i++)
        ids[i] = r->hits[i].candidate->id;
    int rc = srv_audit(req, "listed_in_search", ids, r->n_hits);
    free(ids);
    return rc;
}

void srv_h_candidate_search(srv_req_t *req)
{
    cm_candidate_query_t q;
    long page = 1, per_page = 20;
    cm_candidate_search_result_t *res = NULL;
    cm_error err = {0};
    if (parse_query(req, &q, &page, &per_page) != 0)
        goto done;
    int rc = cm_engine_search_candidates(req->engine, &q, &res, &err);
    if (rc == 0)
        rc = audit_page(req, res);
    if (rc != 0) {
        srv_reply_rc(req, rc, &err, false);
        goto done;
    }
    /* the same fields as GET /v1/candidates/{id} shows this key (the route is adviser+) */
    unsigned flags = req->scope >= SRV_SCOPE_ADVISER ? CM_JSON_SENSITIVE : 0;
    cJSON *root = cJSON_CreateObject();
    cJSON *hits = hits_json(res, q.has_geo || res->placed, flags);
    bool ok = root && hits && cJSON_AddNumberToObject(root, "total", (double)res->total) &&
              cJSON_AddNumberToObject(root, "page", (double)page) &&
              cJSON_AddNumberToObject(root, "per_page", (double)per_page);
    if (ok && (ok = cJSON_AddItemToObject(root, "results", hits)))
        hits = NULL; /* the root's now */
    if (ok && res->placed)
        ok = srv_json_add_center(root, res->center, res->center_commune, res->center_source);
    if (!ok) {
        cJSON_Delete(root);
        cJSON_Delete(hits);
        srv_reply_error(req, 500, "internal", NULL, "out of memory");
        goto done;
    }
    srv_reply_json(req, 200, root);
done:
    for (size_t i = 0; i < q.n_certification; i++)
        free((char *)q.certification[i]);
    cm_candidate_search_result_free(res);
}
