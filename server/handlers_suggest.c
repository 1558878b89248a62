/* GET /v1/suggest/jobs and /v1/suggest/communes: the portal's "which job?" and "where?" boxes,
 * answered from the static referentials (no engine call, so they run on the loop thread). */
#include <stdlib.h>

#include "carematch/render.h"
#include "json.h"
#include "params.h"
#include "router.h"

#define SUGGEST_LIMIT_DEFAULT 10

/* q (required, non-empty) and limit; on a bad one the 400 is answered and -1 returned. */
static int parse(srv_req_t *req, const char **q, size_t *limit)
{
    long n;
    if (srv_params_begin(req) != 0)
        return -1;
    *q = srv_query_get(req, "q");
    if (!*q) {
        srv_reply_error(req, 400, "missing_field", "q", "q is required");
        return -1;
    }
    if (!**q) {
        srv_reply_error(req, 400, "invalid_field", "q", "q must not be empty");
        return -1;
    }
    if (srv_param_long(req, "limit", 1, CM_SUGGEST_LIMIT_MAX, SUGGEST_LIMIT_DEFAULT, &n) != 0)
        return -1;
    *limit = (size_t)n;
    return 0;
}

static void reply(srv_req_t *req, int rc, char *body, size_t len)
{
    if (rc != 0)
        srv_reply_error(req, 500, "internal", NULL, "out of memory");
    else
        srv_reply_owned(req, 200, "application/json", body, len);
}

void srv_h_suggest_jobs(srv_req_t *req)
{
    const char *q;
    size_t limit, len = 0;
    if (parse(req, &q, &limit) != 0)
        return;
    cm_rome_suggestion_t sg[CM_SUGGEST_LIMIT_MAX];
    size_t n = cm_rome_suggest(q, sg, limit);
    char *body = NULL;
    int rc = cm_job_suggestions_to_json(sg, n < limit ? n : limit, &body, &len);
    reply(req, rc, body, len);
}

void srv_h_suggest_communes(srv_req_t *req)
{
    const char *q;
    size_t limit, len = 0;
    if (parse(req, &q, &limit) != 0)
        return;
    cm_commune_t c[CM_SUGGEST_LIMIT_MAX];
    size_t n = cm_commune_suggest(q, c, limit);
    char *body = NULL;
    int rc = cm_commune_suggestions_to_json(c, n < limit ? n : limit, &body, &len);
    reply(req, rc, body, len);
}
