/* Request processing: the policy between the transport (http.c) and the handlers. Which
 * headers matter, route lookup, API key, scope, rate limit, body limits, media type,
 * 100-continue, early errors, and the handler call (h2o: lib/http1.c -> lib/core/request.c). */
#include "request.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <llhttp.h>
#include <uv.h>

#include "auth.h"
#include "json.h"
#include "log.h"
#include "metrics.h"
#include "params.h"
#include "response.h"
#include "router.h"

srv_req_t *srv_request_new(srv_conn_t *conn, cm_engine_t *engine, const srv_config_t *cfg,
                           srv_keys_t *keys, struct srv_metrics *metrics)
{
    srv_req_t *req = calloc(1, sizeof *req);
    if (!req)
        return NULL;
    req->conn = conn;
    req->engine = engine;
    req->cfg = cfg;
    req->keys = keys;
    req->metrics = metrics;
    req->query = "";
    req->method = -1; /* until a request line is read: a malformed one logs "-" */
    return req;
}

void srv_request_free(srv_req_t *req)
{
    if (!req)
        return;
    free(req->url);
    free(req->path);
    free(req->authorization);
    free(req->content_type);
    free(req->if_match);
    free(req->if_none_match);
    free(req->origin);
    free(req->body);
    free(req->qbuf);
    free(req->resp.body);
    free(req);
}

void srv_request_fail(srv_req_t *req, int status, const char *code, const char *field,
                      const char *msg)
{
    if (req->early_status)
        return;
    req->early_status = status;
    req->early_code = code;
    req->early_field = field;
    snprintf(req->early_msg, sizeof req->early_msg, "%s", msg);
    req->discard_body = true;
    free(req->body);
    req->body = NULL;
    req->body_len = req->body_cap = 0;
}

/* Headers that may appear once (RFC 9110 5.3): with two, this server and a proxy in front of it
 * could each believe a different one (key, length, precondition). */
static const char *const singletons[] = {"host" /* bit 0: SEEN_HOST */,    "authorization", "content-length",
                                         "content-type", "if-match",  "if-none-match"};

#define SEEN_HOST 1u

static void fail_framing(srv_req_t *req, const char *msg)
{
    req->early_status = 0; /* a malformed request wins over any earlier decision */
    req->early_headers[0] = '\0';
    srv_request_fail(req, 400, "invalid_field", NULL, msg);
}

void srv_request_bad_framing(srv_req_t *req, const char *msg)
{
    fail_framing(req, msg);
}

/* A coding of a Content-Encoding or Transfer-Encoding list other than the ones this server
 * reads ("identity"; "chunked" for a transfer), copied into buf, or NULL. */
static const char *unread_coding(const char *list, bool transfer, char *buf, size_t cap)
{
    size_t n, item;
    for (const char *p = list; (p = srv_coding_next(p, &n, &item)) != NULL; p += item) {
        bool ok = (n == 8 && strncasecmp(p, "identity", 8) == 0) ||
                  (transfer && n == 7 && strncasecmp(p, "chunked", 7) == 0);
        if (!ok) {
            snprintf(buf, cap, "%.*s", (int)(n < 32 ? n : 32), p);
            return buf;
        }
    }
    return NULL;
}

int srv_request_header(srv_req_t *req, const char *name, const char *value)
{
    if (!*name) { /* ": v" (RFC 9110 5.1: a field name is one token or more) */
        fail_framing(req, "malformed HTTP request: a header line without a name");
        return 1;
    }
    for (size_t i = 0; i < sizeof singletons / sizeof singletons[0]; i++) {
        if (strcasecmp(name, singletons[i]) != 0)
            continue;
        if (req->seen & (1u << i)) {
            char msg[96];
            snprintf(msg, sizeof msg, "malformed HTTP request: header %s given twice", name);
            fail_framing(req, msg);
            return 1;
        }
        req->seen |= 1u << i;
    }
    char **slot = NULL;
    if (strcasecmp(name, "authorization") == 0)
        slot = &req->authorization;
    else if (strcasecmp(name, "content-type") == 0)
        slot = &req->content_type;
    else if (strcasecmp(name, "if-match") == 0)
        slot = &req->if_match;
    else if (strcasecmp(name, "if-none-match") == 0)
        slot = &req->if_none_match;
    else if (strcasecmp(name, "origin") == 0)
        slot = &req->origin;
    else if (strcasecmp(name, "accept-encoding") == 0)
        req->accept_gzip = req->accept_gzip || srv_accepts_gzip(value);
    else if (strcasecmp(name, "x-request-id") == 0)
        srv_request_id_take(req, value);
    else if (strcasecmp(name, "expect") == 0)
        req->expect_continue = strcasecmp(value, "100-continue") == 0;
    else if (strcasecmp(name, "transfer-encoding") == 0 && value[strspn(value, " \t,")] == '\0') {
        /* "Transfer-Encoding: " names no coding: a proxy could frame the body otherwise than
         * Content-Length says; the framing is faulty and the connection closes (RFC 9112 6.1) */
        fail_framing(req, "malformed HTTP request: Transfer-Encoding without a coding");
        return 1;
    } else if (strcasecmp(name, "content-encoding") == 0 ||
               strcasecmp(name, "transfer-encoding") == 0) {
        /* a compressed body read as it comes would be garbage: refused, not guessed at */
        char coding[40], msg[160];
        bool te = name[0] == 't' || name[0] == 'T';
        if (unread_coding(value, te, coding, sizeof coding)) {
            snprintf(msg, sizeof msg, "%s %s is not supported: send the body %s", name, coding,
                     te ? "as is or chunked" : "uncompressed");
            srv_request_fail(req, 415, "unsupported_media_type", NULL, msg);
        }
    }
    if (slot) {
        free(*slot);
        *slot = strdup(value);
        if (!*slot)
            return -1;
    }
    return 0;
}

int srv_request_check_framing(srv_req_t *req, int http_major, int http_minor, bool chunked_or_te,
                              int method, bool has_length)
{
    /* HTTP/1.1 and 1.0 only: a request line without a version (llhttp's "0.9") or with 2.0
     * would skip the Host rule below */
    if (http_major != 1 || http_minor > 1) {
        fail_framing(req, "malformed HTTP request: HTTP/1.1 or HTTP/1.0 only");
        return 1;
    }
    req->http10 = http_minor == 0;
    if (req->http10) /* RFC 9110 10.1.1: a 100-continue in HTTP/1.0 is ignored (no 1xx there) */
        req->expect_continue = false;
    /* RFC 9112 3.2: an HTTP/1.1 request without Host is answered 400 */
    if (http_major == 1 && http_minor >= 1 && !(req->seen & SEEN_HOST)) {
        fail_framing(req, "malformed HTTP request: no Host header");
        return 1;
    }
    /* RFC 9112 6.1: HTTP/1.0 has no Transfer-Encoding; a 1.0 peer (or a proxy) would frame the
     * body differently, so the framing is faulty and the connection must close */
    if (http_major == 1 && http_minor == 0 && chunked_or_te) {
        fail_framing(req, "malformed HTTP request: Transfer-Encoding in an HTTP/1.0 request");
        return 1;
    }
    /* RFC 9112 6.3: neither Content-Length nor chunked is an empty body, and whatever the
     * client sent after its head would be read as the next request: every PUT and POST here
     * takes a body, so say what is missing, once, and close */
    if ((method == HTTP_PUT || method == HTTP_POST) && !has_length && !chunked_or_te) {
        req->unframed = true; /* srv_request_head: after the route and the key (401, 405) */
        return 0;
    }
    return 0;
}

/* "application/json; charset=utf-8" has media type "application/json"; a charset other than
 * UTF-8 (RFC 8259 8.1: JSON is UTF-8) is another media type to this server. */
static bool media_type_is(const char *header, const char *want)
{
    if (!header)
        return false;
    while (*header == ' ' || *header == '\t')
        header++;
    size_t n = strcspn(header, "; \t");
    if (n != strlen(want) || strncasecmp(header, want, n) != 0)
        return false;
    for (const char *p = header + n; (p = strchr(p, ';')) != NULL;) {
        p++;
        while (*p == ' ' || *p == '\t')
            p++;
        if (strncasecmp(p, "charset=", 8) != 0)
            continue;
        p += 8;
        bool quoted = *p == '"';
        p += quoted;
        size_t v = strcspn(p, quoted ? "\"" : "; \t");
        if (!((v == 5 && strncasecmp(p, "utf-8", 5) == 0) ||
              (v == 4 && strncasecmp(p, "utf8", 4) == 0)))
            return false;
    }
    return true;
}

static size_t body_limit(const srv_req_t *req)
{
    const srv_route_t *r = req->route;
    return (size_t)(r && r->body == SRV_BODY_NDJSON ? req->cfg->max_bulk_body_bytes
                                                    : req->cfg->max_body_bytes);
}

/* Percent-decode a path in place (RFC 3986 2.1: "%2D" is "-"). A bad escape, or one that
 * decodes to a control byte, "/" or "?" (which would change the path's segments), leaves the
 * path as sent: it then names no resource (no id holds "%"). */
static void path_decode(char *path)
{
    char *pct = strchr(path, '%');
    if (!pct)
        return;
    const char *end = pct + strlen(pct);
    for (const char *p = pct; (p = strchr(p, '%')) != NULL; p += 3) {
        int c = srv_pct_escape(p, (size_t)(end - p));
        if (c < 0x20 || c == 0x7f || c == '/' || c == '?')
            return;
    }
    char *o = pct;
    for (const char *p = pct; *p;)
        if (*p == '%') {
            *o++ = (char)srv_pct_escape(p, (size_t)(end - p));
            p += 3;
        } else {
            *o++ = *p++;
        }
    *o = '\0';
}

static int split_url(srv_req_t *req, const srv_head_t *h)
{
    const char *u = h->url ? h->url : "";
    size_t n = h->url ? h->url_len : 0, skip = 0;
    /* absolute-form ("GET http://host/v1/offers/x", RFC 9112 3.2.2: a server must accept
     * it): its path and query, the authority dropped ("http://host?q" is "/?q") */
    if (n > 7 && strncasecmp(u, "http://", 7) == 0)
        skip = 7;
    else if (n > 8 && strncasecmp(u, "https://", 8) == 0)
        skip = 8;
    if (skip) {
        while (skip < n && u[skip] != '/' && u[skip] != '?')
            skip++;
        bool root = skip == n || u[skip] == '?';
        req->url = malloc(n - skip + 2);
        if (req->url)
            snprintf(req->url, n - skip + 2, "%s%.*s", root ? "/" : "", (int)(n - skip), u + skip);
    } else {
        req->url = strndup(u, n);
    }
    if (!req->url)
        return -1;
    req->url_len = strlen(req->url);
    size_t plen = strcspn(req->url, "?");
    req->path = strndup(req->url, plen);
    if (!req->path)
        return -1;
    path_decode(req->path);
    req->query = req->url[plen] ? req->url + plen + 1 : "";
    return 0;
}

/* Every method some resource of this API answers. */
#define SERVER_METHODS "GET, HEAD, PUT, POST, DELETE, OPTIONS"

/* Route, key, scope, rate limit: the first failure is the answer. */
static void admit(srv_req_t *req, const srv_head_t *h)
{
    char allow[96];
    const srv_route_t *r = NULL;
    if (h->method == HTTP_OPTIONS && strcmp(req->path, "*") == 0) {
        /* OPTIONS * (asterisk-form, RFC 9112 3.2.4): the server's methods */
        req->preflight = true;
        snprintf(req->early_headers, sizeof req->early_headers, "Allow: " SERVER_METHODS);
        return;
    }
    /* HEAD is GET without the body (RFC 9110 9.3.2) */
    int m = srv_route_match(req->head ? HTTP_GET : h->method, req->path, &r, req->id, allow,
                            sizeof allow);
    if (req->authorization) /* the key name goes in the log even on public routes */
        req->key = srv_keys_bearer(req->keys, req->authorization, req->key_cache);
    if (m == SRV_ROUTE_NOT_FOUND || (m == SRV_ROUTE_BAD_ID && r->method != HTTP_PUT)) {
        srv_request_fail(req, 404, "not_found", NULL, "no such resource");
        return;
    }
    if (m == SRV_ROUTE_BAD_METHOD && h->method == HTTP_OPTIONS) {
        /* OPTIONS: the methods of the path, and the CORS preflight answer when configured */
        req->preflight = true;
        snprintf(req->early_headers, sizeof req->early_headers, "Allow: %s, OPTIONS", allow);
        return;
    }
    if (m == SRV_ROUTE_BAD_METHOD) {
        srv_request_fail(req, 405, "method_not_allowed", NULL, "method not allowed here");
        snprintf(req->early_headers, sizeof req->early_headers, "Allow: %s", allow);
        return;
    }
    req->route = r;
    req->scope = req->key ? req->key->scope : SRV_SCOPE_NONE;
    const srv_config_t *cfg = req->cfg;
    long retry = 0;
    if (r->scope > SRV_SCOPE_NONE && !req->key) {
        srv_request_fail(req, 401, "unauthorized", NULL, "missing or unknown API key");
    } else if (r->scope > SRV_SCOPE_NONE && req->key->scope < r->scope) {
        srv_request_fail(req, 403, "forbidden", NULL, "this key's scope does not allow it");
    } else if (req->key && !srv_rate_take((srv_key_t *)req->key, h->now_ms, cfg->rate_per_sec,
                                          cfg->rate_burst, &retry)) {
        srv_request_fail(req, 429, "rate_limited", NULL, "too many requests for this key");
        snprintf(req->early_headers, sizeof req->early_headers, "Retry-After: %ld", retry);
    } else if (!req->engine && !r->inline_ && r->fn != srv_h_readyz && r->fn != srv_h_metrics) {
        /* the port opens before the storage (an orchestrator sees "starting", not "dead") */
        srv_request_fail(req, 503, "unavailable", NULL,
                         "starting: storage, index and catalog are opening");
        /* Retry-After: 1 as every 503 (json.c) */
    } else if (m == SRV_ROUTE_BAD_ID) { /* a PUT names the id it creates: say what is wrong */
        srv_request_fail(req, 422, "invalid_field", "id",
                         "id must be 1 to 64 characters of A-Z a-z 0-9 . _ -");
    } else {
        /* a typo in a parameter fails closed: raduis_km must not search all of France */
        const char *field = NULL;
        char msg[160];
        if (srv_params_check(req, r->params, &field, msg, sizeof msg) != 0)
            srv_request_fail(req, 400, "invalid_field", field, msg);
    }
}

/* The key's answer (401, 403) stands: a body too large is not read, and not told first. */
static bool denied(const srv_req_t *req)
{
    return req->early_status == 401 || req->early_status == 403;
}

int srv_request_head(srv_req_t *req, const srv_head_t *h)
{
    req->method = h->method;
    req->keep_alive = h->keep_alive;
    req->head = h->method == HTTP_HEAD;
    if (!req->request_id[0])
        srv_request_id_make(req);
    if (split_url(req, h) != 0)
        return SRV_NEXT_FAIL;
    /* a coding refused at its header (415) waits for the route and the key: a request with
     * no key is told 401 first, as the contract says (a helper's probe got 415) */
    int coding = req->early_status == 415 ? 415 : 0;
    char coding_msg[sizeof req->early_msg];
    const char *coding_code = req->early_code;
    snprintf(coding_msg, sizeof coding_msg, "%s", req->early_msg);
    if (coding)
        req->early_status = 0;
    if (req->early_status)
        return req->unframed ? SRV_NEXT_ANSWER_NOW : SRV_NEXT_READ_BODY;
    admit(req, h);
    if (coding)
        srv_request_fail(req, coding, coding_code, NULL, coding_msg);
    if (req->unframed) { /* no body can be read: the route's and the key's answer, or this */
        if (!req->early_status)
            fail_framing(req,
                         "a PUT or POST body needs Content-Length or Transfer-Encoding: chunked");
        req->keep_alive = false;
        return SRV_NEXT_ANSWER_NOW;
    }
    /* too large beats every answer but the key's, and is given before the body is sent */
    if (h->has_length && h->content_length > (uint64_t)body_limit(req)) {
        if (!denied(req)) {
            req->early_status = 0;
            srv_request_fail(req, 413, "payload_too_large", NULL, "request body too large");
        }
        return SRV_NEXT_ANSWER_NOW;
    }
    const srv_route_t *r = req->route;
    if (!req->early_status && r && r->body != SRV_BODY_NONE) {
        const char *want = r->body == SRV_BODY_NDJSON ? "application/x-ndjson" : "application/json";
        if (!media_type_is(req->content_type, want)) {
            char msg[96];
            snprintf(msg, sizeof msg, "Content-Type must be %s (UTF-8)", want);
            srv_request_fail(req, 415, "unsupported_media_type", NULL, msg);
        }
    }
    if (req->expect_continue)
        /* the client is waiting: an error is answered now rather than after a body, so a
         * refused upload is never sent */
        return req->early_status ? SRV_NEXT_ANSWER_NOW : SRV_NEXT_CONTINUE;
    return SRV_NEXT_READ_BODY;
}

int srv_request_chunk(srv_req_t *req, uint64_t len)
{
    /* a chunk announced past the limit is refused at its size line, not once its bytes (up
     * to the request timeout) have come */
    if (len > (uint64_t)(body_limit(req) - req->body_len)) {
        if (!denied(req)) {
            req->early_status = 0;
            srv_request_fail(req, 413, "payload_too_large", NULL, "request body too large");
        }
        return SRV_NEXT_ANSWER_NOW;
    }
    return SRV_NEXT_READ_BODY;
}

int srv_request_body(srv_req_t *req, const char *at, size_t n)
{
    size_t limit = body_limit(req);
    req->body_len += n; /* counted even when discarded: chunked bodies have no length up front */
    if (req->body_len > limit) {
        if (!denied(req)) {
            req->early_status = 0;
            srv_request_fail(req, 413, "payload_too_large", NULL, "request body too large");
        }
        return SRV_NEXT_ANSWER_NOW;
    }
    if (req->discard_body)
        return SRV_NEXT_READ_BODY;
    if (req->body_len + 1 > req->body_cap) {
        size_t ncap = req->body_cap ? req->body_cap : 4096;
        while (ncap < req->body_len + 1)
            ncap *= 2;
        if (ncap > limit + 1)
            ncap = limit + 1;
        char *nb = realloc(req->body, ncap);
        if (!nb)
            return SRV_NEXT_FAIL;
        req->body = nb;
        req->body_cap = ncap;
    }
    memcpy(req->body + req->body_len - n, at, n);
    req->body[req->body_len] = '\0';
    return SRV_NEXT_READ_BODY;
}

void srv_request_complete(srv_req_t *req)
{
    if (req->discard_body)
        req->body_len = 0;
}

bool srv_request_answer_early(srv_req_t *req)
{
    if (req->preflight && !req->early_status) {
        srv_reply_text(req, 204, NULL, "");
        srv_add_header(req, "%s", req->early_headers);
        srv_cors_preflight(req);
        return true;
    }
    if (!req->early_status)
        return false;
    srv_reply_error(req, req->early_status, req->early_code, req->early_field, "%s",
                    req->early_msg);
    if (req->early_headers[0])
        srv_add_header(req, "%s", req->early_headers);
    srv_response_finish(req); /* a browser must be able to read the error too */
    return true;
}

void srv_request_log(srv_req_t *req)
{
    if (req->logged)
        return;
    req->logged = true;
    const srv_resp_t *r = &req->resp;
    uint64_t now = uv_hrtime(); /* start_ns's clock (http.c), thread-safe */
    uint64_t dur = now > req->start_ns ? now - req->start_ns : 0;
    /* the bytes of body sent: none for HEAD, 204 and 304 (response.c's head says the same) */
    size_t bytes = req->head || r->status == 204 || r->status == 304 ? 0 : r->body_len;
    const char *route = req->route ? req->route->pattern : "unmatched";
    int ri = req->route ? (int)(req->route - srv_routes) : -1;
    srv_metrics_observe(req->metrics, ri, r->status, dur);
    srv_log_request(req->method < 0 ? "-" : llhttp_method_name((llhttp_method_t)req->method), route,
                    req->path ? req->path : "-", r->status, bytes, dur / 1000,
                    req->key ? req->key->name : NULL, req->request_id);
}

void srv_request_run(srv_req_t *req)
{
    req->route->fn(req);
    if (req->resp.status == 0)
        srv_reply_error(req, 500, "internal", NULL, "handler gave no response");
    srv_response_finish(req); /* on the same thread: gzip costs the worker, not the loop */
    /* the log line and metrics here too: at 30,000 GETs a second on 64 connections the loop
     * is the bound, and they were a seventh of its time. A parked write is logged when the
     * loop answers it (its status may still change). */
    if (!req->wait_seq)
        srv_request_log(req);
}
