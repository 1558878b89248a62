/* Response helpers: JSON bodies, the contract's error shape, engine code -> HTTP status. */
#include "json.h"
#include "log.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *JSON_TYPE = "application/json";

const char *srv_status_text(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 204:
        return "No Content";
    case 304:
        return "Not Modified";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 409:
        return "Conflict";
    case 413:
        return "Payload Too Large";
    case 415:
        return "Unsupported Media Type";
    case 422:
        return "Unprocessable Entity";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    default:
        return "Unknown";
    }
}

bool srv_json_add_center(cJSON *root, cm_geo_t center, const char *commune,
                         cm_loc_source_t placed_by)
{
    cJSON *c = cJSON_AddObjectToObject(root, "center");
    return c && cJSON_AddNumberToObject(c, "lat", center.lat_e6 / 1e6) &&
           cJSON_AddNumberToObject(c, "lon", center.lon_e6 / 1e6) &&
           cJSON_AddStringToObject(c, "commune", commune) &&
           cJSON_AddStringToObject(c, "precision", "commune") &&
           cJSON_AddStringToObject(c, "placed_by", cm_loc_source_name(placed_by));
}

double srv_round1(double x)
{
    return round(x * 10.0) / 10.0;
}

void srv_add_header(srv_req_t *req, const char *fmt, ...)
{
    srv_resp_t *r = &req->resp;
    size_t room = sizeof r->headers - r->headers_len;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(r->headers + r->headers_len, room, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n + 2 >= room) {
        r->headers[r->headers_len] = '\0';
        return;
    }
    r->headers_len += (size_t)n;
    memcpy(r->headers + r->headers_len, "\r\n", 3);
    r->headers_len += 2;
}

void srv_reply_owned(srv_req_t *req, int status, const char *content_type, char *body, size_t len)
{
    free(req->resp.body);
    req->resp.status = status;
    req->resp.content_type = content_type;
    req->resp.body = body;
    req->resp.body_len = body ? len : 0;
}

/* Last resort when even an error body cannot be allocated: a static text is copied by the
 * writer, so an empty body with the status is what we can do. */
static void reply_oom(srv_req_t *req)
{
    srv_reply_owned(req, 500, JSON_TYPE, NULL, 0);
}

void srv_reply_text(srv_req_t *req, int status, const char *content_type, const char *text)
{
    size_t len = strlen(text);
    char *copy = malloc(len + 1);
    if (!copy) {
        reply_oom(req);
        return;
    }
    memcpy(copy, text, len + 1);
    srv_reply_owned(req, status, content_type, copy, len);
}

void srv_reply_json(srv_req_t *req, int status, cJSON *doc)
{
    char *text = doc ? cJSON_PrintUnformatted(doc) : NULL;
    cJSON_Delete(doc);
    if (!text) {
        srv_reply_error(req, 500, "internal", NULL, "out of memory");
        return;
    }
    srv_reply_owned(req, status, JSON_TYPE, text, strlen(text));
}

/* An error's text may echo what the client sent (a parameter's name or value): invalid UTF-8
 * in it becomes U+FFFD, so that the body stays JSON (RFC 8259 8.1). */
static bool add_text(cJSON *o, const char *key, const char *s)
{
    size_t n = strlen(s);
    char *t = malloc(3 * n + 1);
    if (!t)
        return false;
    size_t o_ = 0;
    for (size_t i = 0; i < n;) {
        unsigned char b = (unsigned char)s[i];
        size_t len = b < 0x80 ? 1 : srv_utf8_len((const unsigned char *)s + i);
        if (len) {
            memcpy(t + o_, s + i, len);
            o_ += len;
            i += len;
        } else {
            memcpy(t + o_, "\xEF\xBF\xBD", 3);
            o_ += 3;
            i++;
        }
    }
    t[o_] = '\0';
    bool ok = cJSON_AddStringToObject(o, key, t) != NULL;
    free(t);
    return ok;
}

static cJSON *error_object(const char *code, const char *field, const char *message)
{
    cJSON *e = cJSON_CreateObject();
    if (!e)
        return NULL;
    if (!cJSON_AddStringToObject(e, "code", code) || !add_text(e, "message", message) ||
        (field && *field && !add_text(e, "field", field))) {
        cJSON_Delete(e);
        return NULL;
    }
    return e;
}

void srv_reply_error(srv_req_t *req, int status, const char *code, const char *field,
                     const char *fmt, ...)
{
    char msg[320];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cJSON *root = cJSON_CreateObject();
    cJSON *e = error_object(code, field, msg);
    if (!root || !e || !cJSON_AddItemToObject(root, "error", e)) {
        cJSON_Delete(root);
        cJSON_Delete(e);
        reply_oom(req);
        return;
    }
    char *text = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    if (!text) {
        reply_oom(req);
        return;
    }
    srv_reply_owned(req, status, JSON_TYPE, text, strlen(text));
    if (status == 401)
        srv_add_header(req, "WWW-Authenticate: Bearer realm=\"carematch\"");
    if (status == 503)
        srv_add_header(req, "Retry-After: 1");
}

/* Status, code and message of an engine or decoder failure. */
static int classify(int rc, const cm_error *err, bool body_context, const char **code,
                    const char **field)
{
    bool has_field = err && err->field[0];
    *field = has_field ? err->field : NULL;
    switch (rc) {
    case CM_EINVAL:
        if (body_context && !has_field) {
            *code = "invalid_json";
            return 400;
        }
        *code = "invalid_field";
        return body_context ? 422 : 400;
    case CM_EMISSING:
        *code = "missing_field";
        return body_context ? 422 : 400;
    case CM_ENOTFOUND:
        *code = "not_found";
        return 404;
    case CM_EEXIST:
        *code = "conflict";
        return 409;
    case CM_ETOOBIG:
        *code = "payload_too_large";
        return 413;
    case CM_EFULL:
    case CM_EBUSY:
    case CM_ECLOSED:
    case CM_ERETRY:
    case CM_ETIMEDOUT:
        *code = "unavailable";
        return 503;
    default:
        *code = "internal";
        *field = NULL;
        return 500;
    }
}

int srv_rc_status(int rc)
{
    const char *code, *field;
    return classify(rc, NULL, true, &code, &field);
}

cJSON *srv_error_object(int rc, const cm_error *err, int *status_out)
{
    const char *code, *field;
    int status = classify(rc, err, true, &code, &field);
    if (status_out)
        *status_out = status;
    const char *msg = err && err->message[0] ? err->message : cm_strerror(rc);
    return error_object(code, field, msg);
}

void srv_reply_rc(srv_req_t *req, int rc, const cm_error *err, bool body_context)
{
    const char *code, *field;
    int status = classify(rc, err, body_context, &code, &field);
    const char *msg = cm_strerror(rc);
    if (err && err->message[0] && status != 500)
        msg = err->message;
    srv_reply_error(req, status, code, field, "%s", msg);
}

cJSON *srv_json_body_object(srv_req_t *req)
{
    cJSON *root = NULL;
    cm_error err = {0};
    int rc = cm_json_parse_strict(req->body ? req->body : "", req->body ? req->body_len : 0, &root,
                                  &err);
    if (rc == CM_ENOMEM) {
        srv_reply_error(req, 500, "internal", NULL, "out of memory");
        return NULL;
    }
    if (rc) {
        srv_reply_error(req, 400, "invalid_json", NULL, "%s: the body must be one JSON object",
                        err.message);
        return NULL;
    }
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        srv_reply_error(req, 400, "invalid_json", NULL, "the body must be a JSON object");
        return NULL;
    }
    return root;
}
