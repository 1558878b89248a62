/* Operations and steering endpoints: health, readiness, metrics, OpenAPI, events, stats. */
#include <cjson/cJSON.h>
#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "json.h"
#include "metrics.h"
#include "params.h"
#include "router.h"

extern const char srv_openapi_json[];

void srv_h_healthz(srv_req_t *req)
{
    srv_reply_text(req, 200, "application/json", "{\"status\":\"ok\"}");
}

void srv_h_openapi(srv_req_t *req)
{
    srv_reply_text(req, 200, "application/json", srv_openapi_json);
}

void srv_h_readyz(srv_req_t *req)
{
    cm_engine_info_t info;
    memset(&info, 0, sizeof info);
    if (!req->engine) {
        srv_reply_error(req, 503, "unavailable", NULL,
                        "starting: storage, index and catalog are opening");
        return;
    }
    int rc = cm_engine_info(req->engine, &info);
    if (rc != 0 || !info.ready) {
        srv_reply_error(req, 503, "unavailable", NULL, "%s",
                        rc != 0                 ? cm_strerror(rc)
                        : info.index_status[0] ? info.index_status
                                               : "index or catalog failed: see the log");
        return;
    }
    uint64_t lag = info.last_seq > info.indexed_seq ? info.last_seq - info.indexed_seq : 0;
    if (lag > (uint64_t)req->cfg->ready_max_index_lag) {
        srv_reply_error(req, 503, "unavailable", NULL,
                        "index lags storage by %llu changes (bound: ready_max_index_lag %ld)",
                        (unsigned long long)lag, req->cfg->ready_max_index_lag);
        return;
    }
    cJSON *root = cJSON_CreateObject();
    if (root && (!cJSON_AddStringToObject(root, "status", "ready") ||
                 !cJSON_AddNumberToObject(root, "last_seq", (double)info.last_seq) ||
                 !cJSON_AddNumberToObject(root, "indexed_seq", (double)info.indexed_seq))) {
        cJSON_Delete(root);
        root = NULL;
    }
    srv_reply_json(req, 200, root);
}

void srv_h_metrics(srv_req_t *req)
{
    cm_engine_info_t info;
    memset(&info, 0, sizeof info);
    bool have = req->engine && cm_engine_info(req->engine, &info) == 0;
    size_t len = 0;
    char *text =
        req->metrics ? srv_metrics_render(req->metrics, have ? &info : NULL, &len) : NULL;
    if (!text) {
        srv_reply_error(req, 500, "internal", NULL, "metrics unavailable");
        return;
    }
    srv_reply_owned(req, 200, "text/plain; version=0.0.4; charset=utf-8", text, len);
}

/* ---- events ---- */

static void format_time(int64_t at, char out[32])
{
    cm_datetime_format(at, out); /* stored events are within years 1..9999 */
    if (!out[0])
        snprintf(out, 32, "%lld", (long long)at);
}

void srv_h_post_event(srv_req_t *req)
{
    cJSON *root = srv_json_body_object(req); /* strict: no trailing bytes, no cut strings */
    if (!root)
        return;
    cm_event_t ev;
    memset(&ev, 0, sizeof ev);
    /* strict input: a typo ("candidat_id") is named, never ignored */
    static const char *const known[] = {"candidate_id", "offer_id", "kind", "at", NULL};
    for (const cJSON *m = root->child; m; m = m->next) {
        size_t i = 0;
        while (known[i] && strcmp(known[i], m->string) != 0)
            i++;
        if (!known[i]) {
            const char *near = cm_suggest_name(m->string, known);
            srv_reply_error(req, 422, "invalid_field", m->string, "unknown field %.60s%s%s%s",
                            m->string, near ? " (did you mean \"" : "", near ? near : "",
                            near ? "\"?)" : "");
            goto done;
        }
    }
    const cJSON *cand = cJSON_GetObjectItemCaseSensitive(root, "candidate_id");
    const cJSON *off = cJSON_GetObjectItemCaseSensitive(root, "offer_id");
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(root, "kind");
    const cJSON *at = cJSON_GetObjectItemCaseSensitive(root, "at");
    const char *s;
    if (!cand || cJSON_IsNull(cand)) {
        srv_reply_error(req, 422, "missing_field", "candidate_id", "candidate_id is required");
        goto done;
    }
    s = cJSON_GetStringValue(cand);
    if (!s || !cm_id_valid(s, strlen(s))) {
        srv_reply_error(req, 422, "invalid_field", "candidate_id",
                        "candidate_id must be an id (1 to 64 of A-Z a-z 0-9 . _ -)");
        goto done;
    }
    snprintf(ev.candidate_id, sizeof ev.candidate_id, "%s", s);
    if (off && !cJSON_IsNull(off)) {
        s = cJSON_GetStringValue(off);
        if (!s || (*s && !cm_id_valid(s, strlen(s)))) {
            srv_reply_error(req, 422, "invalid_field", "offer_id", "offer_id must be an id");
            goto done;
        }
        snprintf(ev.offer_id, sizeof ev.offer_id, "%s", s);
    }
    if (!kind || cJSON_IsNull(kind)) {
        srv_reply_error(req, 422, "missing_field", "kind", "kind is required");
        goto done;
    }
    int k = cm_event_kind_parse(cJSON_IsString(kind) ? kind->valuestring : "");
    if (k < 0) {
        srv_reply_error(req, 422, "invalid_field", "kind",
                        "kind is one of proposed immersion training hired rejected withdrawn");
        goto done;
    }
    ev.kind = (cm_event_kind_t)k;
    if (!at || cJSON_IsNull(at)) {
        ev.at = (int64_t)time(NULL); /* the contract lists "at"; absent means now */
    } else if (!cJSON_IsString(at) || !cm_datetime_parse(at->valuestring, &ev.at)) {
        srv_reply_error(req, 422, "invalid_field", "at",
                        "at must be an ISO 8601 date or date-time");
        goto done;
    }
    uint64_t seq = 0;
    cm_error err = {0};
    int rc = cm_engine_add_event(req->engine, &ev, &seq, &err);
    if (rc != 0) {
        srv_reply_rc(req, rc, &err, true);
        goto done;
    }
    char when[32];
    format_time(ev.at, when);
    cJSON *out = cJSON_CreateObject();
    if (out && (!cJSON_AddNumberToObject(out, "seq", (double)seq) ||
                !cJSON_AddStringToObject(out, "candidate_id", ev.candidate_id) ||
                (ev.offer_id[0] && !cJSON_AddStringToObject(out, "offer_id", ev.offer_id)) ||
                !cJSON_AddStringToObject(out, "kind", cm_event_kind_name(ev.kind)) ||
                !cJSON_AddStringToObject(out, "at", when))) {
        cJSON_Delete(out);
        out = NULL;
    }
    srv_reply_json(req, 201, out);
done:
    cJSON_Delete(root);
}

/* ---- stats ---- */

void srv_h_stats(srv_req_t *req)
{
    if (srv_params_begin(req) != 0)
        return;
    const char *asked = srv_query_get(req, "department");
    char code[4];
    if (asked && !cm_department_code(asked, code)) { /* as candidate search: no "99" */
        srv_reply_error(req, 400, "invalid_field", "department",
                        "department is a code like 75, 2A or 974");
        return;
    }
    const char *dep = asked ? code : NULL;
    cm_stats_t st;
    memset(&st, 0, sizeof st);
    int rc = cm_engine_stats(req->engine, dep, &st);
    if (rc != 0) {
        srv_reply_rc(req, rc, NULL, false);
        return;
    }
    cJSON *root = cJSON_CreateObject();
    cJSON *ev = root ? cJSON_AddObjectToObject(root, "events_by_kind") : NULL;
    bool ok = ev != NULL;
    for (int k = 0; ok && k < CM_EVENT__COUNT; k++)
        ok = cJSON_AddNumberToObject(ev, cm_event_kind_name((cm_event_kind_t)k),
                                     (double)st.events_by_kind[k]) != NULL;
    double share =
        st.candidates_total ? (double)st.candidates_reached / (double)st.candidates_total : 0.0;
    ok = ok &&
         (dep ? cJSON_AddStringToObject(root, "department", dep)
              : cJSON_AddNullToObject(root, "department")) &&
         cJSON_AddNumberToObject(root, "candidates_total", (double)st.candidates_total) &&
         cJSON_AddNumberToObject(root, "candidates_active", (double)st.candidates_active) &&
         cJSON_AddNumberToObject(root, "offers_total", (double)st.offers_total) &&
         cJSON_AddNumberToObject(root, "offers_open", (double)st.offers_open) &&
         cJSON_AddNumberToObject(root, "candidates_with_events",
                                 (double)st.candidates_with_events) &&
         cJSON_AddNumberToObject(root, "candidates_reached", (double)st.candidates_reached) &&
         cJSON_AddNumberToObject(root, "share_reached", round(share * 10000.0) / 10000.0);
    if (!ok) {
        cJSON_Delete(root);
        root = NULL;
    }
    srv_reply_json(req, 200, root);
}

/* ---- audit log ---- */

typedef struct audit_ctx {
    cJSON *arr;
    bool ok;
} audit_ctx_t;

static int audit_row(void *arg, const cm_audit_entry_t *en)
{
    audit_ctx_t *a = arg;
    char at[32];
    format_time(en->at, at);
    cJSON *o = cJSON_CreateObject();
    a->ok = a->ok && o && cJSON_AddNumberToObject(o, "seq", (double)en->seq) &&
            cJSON_AddStringToObject(o, "at", at) &&
            cJSON_AddStringToObject(o, "key_name", en->key_name) &&
            cJSON_AddStringToObject(o, "candidate_id", en->candidate_id) &&
            cJSON_AddStringToObject(o, "action", en->action);
    if (!o || !cJSON_AddItemToArray(a->arr, o)) {
        cJSON_Delete(o);
        a->ok = false;
    }
    return a->ok ? 0 : CM_ENOMEM;
}

#define AUDIT_LIMIT_MAX 1000

void srv_h_audit(srv_req_t *req)
{
    long limit, after;
    if (srv_params_begin(req) != 0 ||
        srv_param_long(req, "limit", 1, AUDIT_LIMIT_MAX, 100, &limit) != 0 ||
        srv_param_long(req, "after", 0, LONG_MAX, 0, &after) != 0)
        return;
    const char *cand = srv_query_get(req, "candidate_id");
    if (cand && !cm_id_valid(cand, strlen(cand))) {
        srv_reply_error(req, 400, "invalid_field", "candidate_id",
                        "candidate_id must be 1 to 64 characters of [A-Za-z0-9._-]");
        return;
    }
    cJSON *root = cJSON_CreateObject();
    audit_ctx_t a = {root ? cJSON_AddArrayToObject(root, "entries") : NULL, true};
    a.ok = a.arr != NULL;
    int rc = a.ok ? cm_engine_audit_each(req->engine, cand, (uint64_t)after, (size_t)limit,
                                         audit_row, &a)
                  : CM_ENOMEM;
    if (rc != 0) {
        cJSON_Delete(root);
        srv_reply_rc(req, rc, NULL, false);
        return;
    }
    srv_reply_json(req, 200, root);
}
