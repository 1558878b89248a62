/* Matching endpoints: offers for a stored candidate, offers for a profile in the body (never
 * stored, never logged), candidates for an offer; results with explain, commute, barriers,
 * and with neighbours=true the records of neighbouring ROME codes too. */
#include <cjson/cJSON.h>
#include <stdlib.h>

#include "audit.h"
#include "carematch/render.h"
#include "json.h"
#include "params.h"
#include "router.h"

static int parse_options(srv_req_t *req, cm_match_options_t *opt)
{
    long limit;
    double min_score;
    int near, neighbours;
    if (srv_params_begin(req) != 0 ||
        srv_param_long(req, "limit", 1, CM_MATCH_LIMIT_MAX, CM_MATCH_LIMIT_DEFAULT, &limit) != 0 ||
        srv_param_double(req, "min_score", 0, 100, 0, &min_score, NULL) != 0 ||
        srv_param_bool(req, "include_near_misses", 1, &near) != 0 ||
        srv_param_bool(req, "neighbours", 0, &neighbours) != 0)
        return -1;
    *opt = (cm_match_options_t){.limit = (unsigned)limit,
                                .min_score = min_score,
                                .include_near_misses = near != 0,
                                .neighbours = neighbours != 0};
    return 0;
}

/* Answer rc's error, or the result through the engine's writer (render.h: the same JSON as the
 * CLI's `match`); r is freed either way. */
static void reply_matches(srv_req_t *req, int rc, cm_match_result_t *r)
{
    char *body = NULL;
    size_t len = 0;
    if (rc != 0)
        srv_reply_rc(req, rc, NULL, false);
    else if (cm_match_result_to_json(r, &body, &len) != 0)
        srv_reply_error(req, 500, "internal", NULL, "out of memory");
    else
        srv_reply_owned(req, 200, "application/json", body, len);
    cm_match_result_free(r);
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
    reply_matches(req, rc, r);
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
    reply_matches(req, rc, r);
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
    reply_matches(req, rc, r);
}
