/* Matching endpoints: offers for a stored candidate, offers for a profile in the body (never
 * stored, never logged), candidates for an offer; results with explain, commute, barriers. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "params.h"
#include "router.h"

static double round2(double x)
{
    return round(x * 100.0) / 100.0;
}

static int parse_options(srv_req_t *req, cm_match_options_t *opt)
{
    long limit;
    double min_score;
    int near;
    if (srv_params_begin(req) != 0 ||
        srv_param_long(req, "limit", 1, CM_MATCH_LIMIT_MAX, 20, &limit) != 0 ||
        srv_param_double(req, "min_score", 0, 100, 0, &min_score, NULL) != 0 ||
        srv_param_bool(req, "include_near_misses", 1, &near) != 0)
        return -1;
    opt->limit = (unsigned)limit;
    opt->min_score = min_score;
    opt->include_near_misses = near != 0;
    return 0;
}

static const char *mode_name(int mode)
{
    switch (mode) {
    case CM_MODE_CAR:
        return "car";
    case CM_MODE_TRANSIT:
        return "transit";
    case CM_MODE_BIKE:
        return "bike";
    case CM_MODE_WALK:
        return "walk";
    default:
        return NULL;
    }
}

static bool add_str(cJSON *o, const char *k, const char *v)
{
    return v ? cJSON_AddStringToObject(o, k, v) != NULL : cJSON_AddNullToObject(o, k) != NULL;
}

static cJSON *offer_brief(const cm_offer_t *o)
{
    cJSON *j = cJSON_CreateObject();
    if (!j)
        return NULL;
    bool ok = add_str(j, "id", o->id) && add_str(j, "title", o->title);
    if (ok && (o->employer_name || o->employer_kind != CM_EMPLOYER_UNSET)) {
        cJSON *emp = cJSON_AddObjectToObject(j, "employer");
        ok = emp && (!o->employer_name || add_str(emp, "name", o->employer_name)) &&
             (o->employer_kind == CM_EMPLOYER_UNSET ||
              add_str(emp, "kind", cm_employer_kind_name(o->employer_kind)));
    }
    cJSON *loc = ok ? cJSON_AddObjectToObject(j, "location") : NULL;
    ok = loc && cJSON_AddNumberToObject(loc, "lat", o->loc.lat_e6 / 1e6) &&
         cJSON_AddNumberToObject(loc, "lon", o->loc.lon_e6 / 1e6) &&
         (!o->city || add_str(loc, "city", o->city)) &&
         (!o->postcode || add_str(loc, "postcode", o->postcode)) &&
         add_str(j, "contract", cm_contract_name(o->contract));
    if (!ok) {
        cJSON_Delete(j);
        return NULL;
    }
    return j;
}

static cJSON *candidate_brief(const cm_candidate_t *c)
{
    cJSON *j = cJSON_CreateObject();
    if (!j)
        return NULL;
    bool ok = add_str(j, "id", c->id);
    /* postcode and city only: the brief never carries exact coordinates of a person */
    cJSON *loc = ok ? cJSON_AddObjectToObject(j, "location") : NULL;
    ok = loc && (!c->postcode || add_str(loc, "postcode", c->postcode)) &&
         (!c->city || add_str(loc, "city", c->city));
    cJSON *romes = ok ? cJSON_AddArrayToObject(j, "desired_rome") : NULL;
    cJSON *certs = romes ? cJSON_AddArrayToObject(j, "certifications") : NULL;
    ok = certs && cJSON_AddNumberToObject(j, "experience_months", c->experience_months);
    for (size_t i = 0; ok && i < c->n_desired_rome; i++)
        ok = cJSON_AddItemToArray(romes, cJSON_CreateString(c->desired_rome[i]));
    for (size_t i = 0; ok && i < c->n_certs; i++)
        ok = cJSON_AddItemToArray(certs, cJSON_CreateString(c->certs[i]));
    if (!ok) {
        cJSON_Delete(j);
        return NULL;
    }
    return j;
}

static cJSON *match_json(const cm_match_t *m)
{
    cJSON *j = cJSON_CreateObject();
    if (!j)
        return NULL;
    cJSON *rec = m->offer ? offer_brief(m->offer) : candidate_brief(m->candidate);
    bool ok = rec && cJSON_AddItemToObject(j, m->offer ? "offer" : "candidate", rec);
    if (!ok)
        cJSON_Delete(rec);
    ok = ok && cJSON_AddNumberToObject(j, "score", srv_round1(m->score));
    cJSON *ex = ok ? cJSON_AddObjectToObject(j, "explain") : NULL;
    ok = ex != NULL;
    for (int f = 0; ok && f < CM_F__COUNT; f++)
        ok = cJSON_AddNumberToObject(ex, cm_factor_name(f), round2(m->explain[f])) != NULL;
    cJSON *cm = ok ? cJSON_AddObjectToObject(j, "commute") : NULL;
    ok = cm && add_str(cm, "mode", mode_name(m->commute_mode)) &&
         cJSON_AddNumberToObject(cm, "minutes", round(m->commute_minutes)) &&
         cJSON_AddNumberToObject(cm, "distance_km", srv_round1(m->distance_km));
    cJSON *bars = ok ? cJSON_AddArrayToObject(j, "barriers") : NULL;
    ok = bars != NULL;
    for (size_t i = 0; ok && i < m->n_barriers && i < CM_BARRIERS_MAX; i++) {
        const cm_barrier_t *b = &m->barriers[i];
        cJSON *bj = cJSON_CreateObject();
        ok = bj && cJSON_AddItemToArray(bars, bj);
        if (!ok) {
            cJSON_Delete(bj);
            break;
        }
        ok = add_str(bj, "kind", cm_barrier_name(b->kind)) && add_str(bj, "detail", b->detail);
        cJSON *levers = ok ? cJSON_AddArrayToObject(bj, "levers") : NULL;
        ok = levers != NULL;
        for (int l = 0; ok && l < CM_LEVER__COUNT; l++)
            if (b->levers & (1u << l))
                ok = cJSON_AddItemToArray(levers, cJSON_CreateString(cm_lever_name(l)));
    }
    ok = ok && cJSON_AddBoolToObject(j, "eligible", m->eligible);
    if (!ok) {
        cJSON_Delete(j);
        return NULL;
    }
    return j;
}

static void reply_matches(srv_req_t *req, const cm_match_result_t *r)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *arr = root ? cJSON_AddArrayToObject(root, "results") : NULL;
    bool ok = arr && cJSON_AddNumberToObject(root, "count", (double)r->n) &&
              cJSON_AddNumberToObject(root, "considered", (double)r->considered);
    for (size_t i = 0; ok && i < r->n; i++) {
        cJSON *m = match_json(&r->items[i]);
        ok = m && cJSON_AddItemToArray(arr, m);
        if (!ok)
            cJSON_Delete(m);
    }
    if (!ok) {
        cJSON_Delete(root);
        srv_reply_error(req, 500, "internal", NULL, "out of memory");
        return;
    }
    srv_reply_json(req, 200, root);
}

void srv_h_candidate_matches(srv_req_t *req)
{
    cm_match_options_t opt;
    cm_match_result_t *r = NULL;
    if (parse_options(req, &opt) != 0)
        return;
    int rc = cm_engine_match_candidate(req->engine, req->id, &opt, &r);
    if (rc == 0) {
        const char *id = req->id;
        rc = srv_audit(req, "matches", &id, 1);
    }
    if (rc != 0) {
        cm_match_result_free(r);
        srv_reply_rc(req, rc, NULL, false);
        return;
    }
    reply_matches(req, r);
    cm_match_result_free(r);
}

void srv_h_offer_matches(srv_req_t *req)
{
    cm_match_options_t opt;
    cm_match_result_t *r = NULL;
    if (parse_options(req, &opt) != 0)
        return;
    int rc = cm_engine_match_offer(req->engine, req->id, &opt, &r);
    if (rc == 0 && r->n > 0) {
        /* every candidate shown to the adviser is a read of that candidate */
        const char **ids = malloc(r->n * sizeof *ids);
        if (!ids) {
            rc = CM_ENOMEM;
        } else {
            for (size_t i = 0; i < r->n; i++)
                ids[i] = r->items[i].candidate->id;
            rc = srv_audit(req, "listed_in_matches", ids, r->n);
            free(ids);
        }
    }
    if (rc != 0) {
        cm_match_result_free(r);
        srv_reply_rc(req, rc, NULL, false);
        return;
    }
    reply_matches(req, r);
    cm_match_result_free(r);
}

void srv_h_match_profile(srv_req_t *req)
{
    cm_match_options_t opt;
    if (parse_options(req, &opt) != 0)
        return;
    const char *body = req->body ? req->body : "";
    /* A profile need not carry an id: the decoder then takes "anonymous" as the path id. */
    cJSON *peek = cJSON_ParseWithLength(body, req->body_len);
    if (!peek || !cJSON_IsObject(peek)) {
        cJSON_Delete(peek);
        srv_reply_error(req, 400, "invalid_json", NULL, "the body must be a JSON object");
        return;
    }
    bool has_id = cJSON_GetObjectItemCaseSensitive(peek, "id") != NULL;
    cJSON_Delete(peek);
    cm_candidate_t *c = NULL;
    cm_error err = {0};
    int rc = cm_candidate_from_json(body, req->body_len, has_id ? NULL : "anonymous", &c, &err);
    if (rc != 0) {
        srv_reply_rc(req, rc, &err, true);
        return;
    }
    cm_match_result_t *r = NULL;
    rc = cm_engine_match_profile(req->engine, c, &opt, &r);
    cm_candidate_free(c);
    if (rc != 0) {
        srv_reply_rc(req, rc, NULL, false);
        return;
    }
    reply_matches(req, r);
    cm_match_result_free(r);
}
