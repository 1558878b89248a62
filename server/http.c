/* HTTP/1.1 over libuv with llhttp: connections, parsing, limits, timeouts, keep-alive,
 * pipelining (the parser is paused while a request runs on the pool), the write path, and
 * graceful stop. */
#include "http.h"

#include <llhttp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "auth.h"
#include "json.h"
#include "log.h"
#include "metrics.h"
#include "router.h"

typedef enum {
    ST_IDLE,    /* between requests: idle timer runs */
    ST_READING, /* a request has begun: request timer runs */
    ST_BUSY,    /* request dispatched; parser paused, reads stopped */
} conn_state_t;

typedef struct sbuf {
    char *p;
    size_t len, cap;
} sbuf_t;

struct srv_conn {
    uv_tcp_t tcp;
    uv_timer_t timer;
    llhttp_t parser;
    srv_server_t *srv;
    srv_conn_t *prev, *next;
    int refs; /* tcp handle + timer handle + in-flight work + pending writes */
    bool closing;
    bool reading;
    conn_state_t state;
    srv_req_t *req;           /* request being parsed or served */
    sbuf_t url, field, value; /* request target, current header name / value */
    bool respond_now;         /* an error that closes the connection was decided while parsing */
    bool expect_continue;     /* "Expect: 100-continue" on the request being parsed */
    sbuf_t pending;           /* bytes received after a paused message */
};

typedef struct write_req {
    uv_write_t w;
    srv_conn_t *conn;
    char *buf;
    bool close_after;
} write_req_t;

static llhttp_settings_t settings;

uint64_t srv_now_ns(void)
{
    return uv_hrtime();
}

static int sbuf_add(sbuf_t *b, const char *p, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t ncap = b->cap ? b->cap : 256;
        while (ncap < b->len + n + 1)
            ncap *= 2;
        char *np = realloc(b->p, ncap);
        if (!np)
            return -1;
        b->p = np;
        b->cap = ncap;
    }
    memcpy(b->p + b->len, p, n);
    b->len += n;
    b->p[b->len] = '\0';
    return 0;
}

static void sbuf_free(sbuf_t *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

/* ---- requests ---- */

static void req_free(srv_req_t *req)
{
    if (!req)
        return;
    free(req->url);
    free(req->path);
    free(req->authorization);
    free(req->content_type);
    free(req->if_match);
    free(req->if_none_match);
    free(req->body);
    free(req->qbuf);
    free(req->resp.body);
    free(req);
}

static srv_req_t *req_new(srv_conn_t *c)
{
    srv_req_t *req = calloc(1, sizeof *req);
    if (!req)
        return NULL;
    req->conn = c;
    req->srv = c->srv;
    req->engine = c->srv->engine;
    req->cfg = &c->srv->cfg;
    req->query = "";
    req->start_ns = srv_now_ns();
    return req;
}

/* Record an error decided while parsing; answered at the end of the message (or at once by
 * the caller for errors that close the connection). */
static void early_error(srv_req_t *req, int status, const char *code, const char *field,
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

/* ---- connection lifetime ---- */

static void conn_unref(srv_conn_t *c)
{
    if (--c->refs > 0)
        return;
    req_free(c->req);
    sbuf_free(&c->url);
    sbuf_free(&c->field);
    sbuf_free(&c->value);
    sbuf_free(&c->pending);
    free(c);
}

static void on_handle_closed(uv_handle_t *h)
{
    conn_unref(h->data);
}

static void conn_close(srv_conn_t *c)
{
    if (c->closing)
        return;
    c->closing = true;
    srv_server_t *s = c->srv;
    if (c->prev)
        c->prev->next = c->next;
    else
        s->conns = c->next;
    if (c->next)
        c->next->prev = c->prev;
    s->nconns--;
    srv_metrics_connections(s->metrics, s->nconns);
    uv_close((uv_handle_t *)&c->tcp, on_handle_closed);
    uv_close((uv_handle_t *)&c->timer, on_handle_closed);
}

static void on_timeout(uv_timer_t *t)
{
    conn_close(t->data); /* idle keep-alive connection */
}

static void write_response(srv_conn_t *c, srv_req_t *req, bool close_after);
static void conn_resume(srv_conn_t *c);
static void read_start(srv_conn_t *c);
static void read_stop(srv_conn_t *c);

#define SRV_LINGER_MS 2000

static void on_request_timeout(uv_timer_t *t)
{
    srv_conn_t *c = t->data;
    if (c->state != ST_READING || !c->req) {
        conn_close(c);
        return;
    }
    /* Slow client: answer 408 and close; the request never reaches a handler. */
    srv_req_t *req = c->req;
    c->state = ST_BUSY;
    if (c->reading) {
        uv_read_stop((uv_stream_t *)&c->tcp);
        c->reading = false;
    }
    srv_reply_error(req, 408, "unavailable", NULL, "request not received within %ld ms",
                    c->srv->cfg.request_timeout_ms);
    write_response(c, req, true);
}

static void timer_set(srv_conn_t *c, conn_state_t st)
{
    c->state = st;
    if (st == ST_IDLE) {
        uv_timer_start(&c->timer, on_timeout, (uint64_t)c->srv->cfg.idle_timeout_ms, 0);
    } else if (st == ST_READING) {
        uv_timer_start(&c->timer, on_request_timeout, (uint64_t)c->srv->cfg.request_timeout_ms, 0);
    } else {
        uv_timer_stop(&c->timer);
    }
}

/* ---- the write path ---- */

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf);

static void on_linger_read(uv_stream_t *st, ssize_t nread, const uv_buf_t *buf)
{
    free(buf->base);
    if (nread < 0)
        conn_close(st->data);
}

static void on_shutdown(uv_shutdown_t *r, int status)
{
    (void)status;
    srv_conn_t *c = r->data;
    free(r);
    conn_unref(c);
}

/* Closing a socket with unread input makes the kernel send RST, which can destroy the error
 * response we just wrote (413 sent before the body was read). So: half-close, drain input for a
 * short while, then close (h2o and nginx "lingering close"). */
static void conn_linger(srv_conn_t *c)
{
    if (c->closing)
        return;
    uv_shutdown_t *r = malloc(sizeof *r);
    if (!r) {
        conn_close(c);
        return;
    }
    r->data = c;
    if (uv_shutdown(r, (uv_stream_t *)&c->tcp, on_shutdown) != 0) {
        free(r);
        conn_close(c);
        return;
    }
    c->refs++;
    read_stop(c);
    if (uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_linger_read) != 0) {
        conn_close(c);
        return;
    }
    c->reading = true;
    c->state = ST_BUSY;
    uv_timer_start(&c->timer, on_timeout, SRV_LINGER_MS, 0);
}

static void on_write(uv_write_t *w, int status)
{
    write_req_t *wr = (write_req_t *)w;
    srv_conn_t *c = wr->conn;
    bool close_after = wr->close_after;
    free(wr->buf);
    free(wr);
    if (status < 0 || c->srv->stopping)
        conn_close(c);
    else if (close_after)
        conn_linger(c);
    else if (!c->closing)
        conn_resume(c);
    conn_unref(c);
}

static void log_and_count(srv_conn_t *c, srv_req_t *req, size_t bytes)
{
    uint64_t dur = srv_now_ns() - req->start_ns;
    const char *route = req->route ? req->route->pattern : "unmatched";
    int ri = req->route ? (int)(req->route - srv_routes) : -1;
    srv_metrics_observe(c->srv->metrics, ri, req->resp.status, dur);
    srv_log_request(llhttp_method_name((llhttp_method_t)req->method), route,
                    req->path ? req->path : "-", req->resp.status, bytes, dur / 1000,
                    req->key ? req->key->name : NULL);
}

/* Send req's response and free req. The connection stays paused until the write completes. */
static void write_response(srv_conn_t *c, srv_req_t *req, bool close_after)
{
    srv_resp_t *r = &req->resp;
    if (r->status == 0)
        srv_reply_error(req, 500, "internal", NULL, "handler gave no response");
    if (!req->keep_alive || c->srv->stopping)
        close_after = true;
    bool has_type = r->status != 204 && r->content_type;
    size_t blen = r->status == 204 ? 0 : r->body_len;
    char head[1024];
    int hn =
        snprintf(head, sizeof head, "HTTP/1.1 %d %s\r\n%s%s%sContent-Length: %zu\r\n%s%.*s\r\n",
                 r->status, srv_status_text(r->status), has_type ? "Content-Type: " : "",
                 has_type ? r->content_type : "", has_type ? "\r\n" : "", blen,
                 close_after ? "Connection: close\r\n" : "", (int)r->headers_len, r->headers);
    write_req_t *wr = calloc(1, sizeof *wr);
    char *buf = hn > 0 && (size_t)hn < sizeof head ? malloc((size_t)hn + blen) : NULL;
    if (buf) {
        memcpy(buf, head, (size_t)hn);
        if (blen)
            memcpy(buf + hn, r->body, blen);
    }
    log_and_count(c, req, blen);
    if (c->req == req)
        c->req = NULL;
    req_free(req);
    if (!wr || !buf || c->closing) {
        free(wr);
        free(buf);
        conn_close(c);
        return;
    }
    wr->conn = c;
    wr->buf = buf;
    wr->close_after = close_after;
    uv_buf_t b = uv_buf_init(buf, (unsigned)((size_t)hn + blen));
    c->refs++;
    if (uv_write(&wr->w, (uv_stream_t *)&c->tcp, &b, 1, on_write) != 0) {
        /* the callback will not fire */
        free(buf);
        free(wr);
        conn_close(c);
        conn_unref(c);
    }
}

/* ---- dispatch ---- */

static void work_cb(uv_work_t *w)
{
    srv_req_t *req = w->data;
    req->route->fn(req);
}

static void after_work_cb(uv_work_t *w, int status)
{
    srv_req_t *req = w->data;
    srv_conn_t *c = req->conn;
    c->srv->pending--;
    if (c->closing || status != 0) {
        /* the peer left while the work ran: nothing to answer */
        if (c->req == req)
            c->req = NULL;
        req_free(req);
    } else {
        write_response(c, req, false);
    }
    conn_unref(c);
}

static void reply_early(srv_req_t *req)
{
    srv_reply_error(req, req->early_status, req->early_code, req->early_field, "%s",
                    req->early_msg);
    if (req->early_headers[0])
        srv_add_header(req, "%s", req->early_headers);
}

/* A complete request is in c->req and the parser is paused. */
static void dispatch(srv_conn_t *c)
{
    srv_req_t *req = c->req;
    srv_server_t *s = c->srv;
    timer_set(c, ST_BUSY);
    if (req->early_status) {
        reply_early(req);
        write_response(c, req, false);
        return;
    }
    if (req->route->inline_) {
        req->route->fn(req);
        write_response(c, req, false);
        return;
    }
    if (s->pending >= s->cfg.max_pending) {
        srv_reply_error(req, 503, "unavailable", NULL, "server busy: too many pending requests");
        write_response(c, req, false);
        return;
    }
    req->work.data = req;
    if (uv_queue_work(s->loop, &req->work, work_cb, after_work_cb) != 0) {
        srv_reply_error(req, 503, "unavailable", NULL, "cannot queue the request");
        write_response(c, req, false);
        return;
    }
    s->pending++;
    c->refs++;
}

/* Answer an error that ends the connection (bad HTTP, 413 on headers, 431). */
static void fatal(srv_conn_t *c, int status, const char *code, const char *msg)
{
    if (!c->req)
        c->req = req_new(c);
    if (!c->req) {
        conn_close(c);
        return;
    }
    srv_req_t *req = c->req;
    timer_set(c, ST_BUSY);
    if (req->early_status) {
        reply_early(req);
    } else {
        srv_reply_error(req, status, code, NULL, "%s", msg);
    }
    write_response(c, req, true);
}

static void parse(srv_conn_t *c, const char *data, size_t len)
{
    llhttp_errno_t err = llhttp_execute(&c->parser, data, len);
    if (err == HPE_OK)
        return;
    read_stop(c);
    if (err == HPE_PAUSED) {
        const char *pos = llhttp_get_error_pos(&c->parser);
        if (pos && pos >= data && pos < data + len &&
            sbuf_add(&c->pending, pos, (size_t)(data + len - pos)) != 0) {
            fatal(c, 500, "internal", "out of memory");
            return;
        }
        if (c->respond_now)
            fatal(c, 400, "invalid_field", "bad request");
        else
            dispatch(c);
        return;
    }
    if (c->respond_now) { /* a limit (413, 431) stopped the parser on purpose */
        fatal(c, 400, "invalid_field", "bad request");
        return;
    }
    /* malformed HTTP wins over an error decided from the headers (401 ...) */
    if (c->req)
        c->req->early_status = 0;
    char msg[160];
    snprintf(msg, sizeof msg, "malformed HTTP request: %s", llhttp_get_error_reason(&c->parser));
    fatal(c, 400, "invalid_field", msg);
}

static void conn_resume(srv_conn_t *c)
{
    timer_set(c, ST_IDLE);
    llhttp_resume(&c->parser);
    if (c->pending.len) {
        sbuf_t data = c->pending;
        memset(&c->pending, 0, sizeof c->pending);
        parse(c, data.p, data.len);
        sbuf_free(&data);
    }
    if (!c->closing && c->state != ST_BUSY)
        read_start(c);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    (void)h;
    (void)suggested;
    buf->base = malloc(65536);
    buf->len = buf->base ? 65536 : 0;
}

static void on_read(uv_stream_t *st, ssize_t nread, const uv_buf_t *buf)
{
    srv_conn_t *c = st->data;
    if (nread < 0) {
        free(buf->base);
        conn_close(c); /* EOF or error: a partial request is dropped */
        return;
    }
    if (nread > 0 && !c->closing)
        parse(c, buf->base, (size_t)nread);
    free(buf->base);
}

static void read_start(srv_conn_t *c)
{
    if (c->reading || c->closing)
        return;
    if (uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read) != 0) {
        conn_close(c);
        return;
    }
    c->reading = true;
}

static void read_stop(srv_conn_t *c)
{
    if (!c->reading)
        return;
    uv_read_stop((uv_stream_t *)&c->tcp);
    c->reading = false;
}

/* ---- llhttp callbacks ---- */

static srv_conn_t *conn_of(llhttp_t *p)
{
    return p->data;
}

static int cb_message_begin(llhttp_t *p)
{
    srv_conn_t *c = conn_of(p);
    c->expect_continue = false;
    if (!c->req)
        c->req = req_new(c);
    if (!c->req)
        return -1;
    c->url.len = c->field.len = c->value.len = 0;
    timer_set(c, ST_READING);
    return 0;
}

static int head_bytes(srv_conn_t *c, size_t n)
{
    srv_req_t *req = c->req;
    req->header_bytes += n;
    if (req->header_bytes > (size_t)c->srv->cfg.max_header_bytes) {
        early_error(req, 431, "payload_too_large", NULL, "request headers too large");
        c->respond_now = true;
        return -1;
    }
    return 0;
}

static int cb_url(llhttp_t *p, const char *at, size_t n)
{
    srv_conn_t *c = conn_of(p);
    if (head_bytes(c, n) != 0)
        return -1;
    return sbuf_add(&c->url, at, n);
}

static int cb_header_field(llhttp_t *p, const char *at, size_t n)
{
    srv_conn_t *c = conn_of(p);
    if (head_bytes(c, n) != 0)
        return -1;
    return sbuf_add(&c->field, at, n);
}

static int cb_header_value(llhttp_t *p, const char *at, size_t n)
{
    srv_conn_t *c = conn_of(p);
    if (head_bytes(c, n) != 0)
        return -1;
    return sbuf_add(&c->value, at, n);
}

static int cb_header_value_complete(llhttp_t *p)
{
    srv_conn_t *c = conn_of(p);
    srv_req_t *req = c->req;
    if (++req->header_count > (size_t)c->srv->cfg.max_headers) {
        early_error(req, 431, "payload_too_large", NULL, "too many request headers");
        c->respond_now = true;
        return -1;
    }
    const char *name = c->field.p ? c->field.p : "";
    char **slot = NULL;
    if (strcasecmp(name, "authorization") == 0)
        slot = &req->authorization;
    else if (strcasecmp(name, "content-type") == 0)
        slot = &req->content_type;
    else if (strcasecmp(name, "if-match") == 0)
        slot = &req->if_match;
    else if (strcasecmp(name, "if-none-match") == 0)
        slot = &req->if_none_match;
    else if (strcasecmp(name, "expect") == 0)
        c->expect_continue = strcasecmp(c->value.p ? c->value.p : "", "100-continue") == 0;
    if (slot) {
        free(*slot);
        *slot = strdup(c->value.p ? c->value.p : "");
        if (!*slot)
            return -1;
    }
    c->field.len = c->value.len = 0;
    if (c->field.p)
        c->field.p[0] = '\0';
    if (c->value.p)
        c->value.p[0] = '\0';
    return 0;
}

/* "application/json; charset=utf-8" has media type "application/json". */
static bool media_type_is(const char *header, const char *want)
{
    if (!header)
        return false;
    while (*header == ' ' || *header == '\t')
        header++;
    size_t n = strcspn(header, "; \t");
    return n == strlen(want) && strncasecmp(header, want, n) == 0;
}

static const srv_key_t *bearer_key(srv_server_t *s, const char *auth)
{
    if (!auth || strncasecmp(auth, "Bearer ", 7) != 0)
        return NULL;
    const char *tok = auth + 7;
    while (*tok == ' ')
        tok++;
    size_t n = strlen(tok);
    while (n && (tok[n - 1] == ' ' || tok[n - 1] == '\t'))
        n--;
    return srv_keys_find(s->keys, tok, n);
}

static long body_limit(const srv_server_t *s, const srv_route_t *r)
{
    return r && r->body == SRV_BODY_NDJSON ? s->cfg.max_bulk_body_bytes : s->cfg.max_body_bytes;
}

static void on_continue_written(uv_write_t *w, int status)
{
    (void)status; /* a failed write shows up on the final response too */
    srv_conn_t *c = w->data;
    free(w);
    conn_unref(c);
}

/* curl and others wait for this before sending a large body; an early error is answered
 * instead, so a refused upload is never sent. */
static void send_continue(srv_conn_t *c)
{
    static char text[] = "HTTP/1.1 100 Continue\r\n\r\n";
    uv_write_t *w = malloc(sizeof *w);
    if (!w)
        return;
    w->data = c;
    uv_buf_t b = uv_buf_init(text, sizeof text - 1);
    if (uv_write(w, (uv_stream_t *)&c->tcp, &b, 1, on_continue_written) != 0) {
        free(w);
        return;
    }
    c->refs++;
}

static int cb_headers_complete(llhttp_t *p)
{
    srv_conn_t *c = conn_of(p);
    srv_server_t *s = c->srv;
    srv_req_t *req = c->req;
    req->method = p->method;
    req->keep_alive = llhttp_should_keep_alive(p);
    req->url = c->url.p ? strndup(c->url.p, c->url.len) : strdup("");
    if (!req->url)
        return -1;
    size_t plen = strcspn(req->url, "?");
    req->path = strndup(req->url, plen);
    if (!req->path)
        return -1;
    req->query = req->url[plen] ? req->url + plen + 1 : "";
    if (req->early_status)
        return 0;

    char allow[96];
    const srv_route_t *r = NULL;
    int m = srv_route_match(p->method, req->path, &r, req->id, allow, sizeof allow);
    if (req->authorization) /* the key name goes in the log even on public routes */
        req->key = bearer_key(s, req->authorization);
    if (m == SRV_ROUTE_NOT_FOUND) {
        early_error(req, 404, "not_found", NULL, "no such resource");
    } else if (m == SRV_ROUTE_BAD_METHOD) {
        early_error(req, 405, "method_not_allowed", NULL, "method not allowed here");
        snprintf(req->early_headers, sizeof req->early_headers, "Allow: %s", allow);
    } else {
        req->route = r;
        req->scope = req->key ? req->key->scope : SRV_SCOPE_NONE;
        long retry = 0;
        if (r->scope > SRV_SCOPE_NONE && !req->key) {
            early_error(req, 401, "unauthorized", NULL, "missing or unknown API key");
        } else if (r->scope > SRV_SCOPE_NONE && req->key->scope < r->scope) {
            early_error(req, 403, "forbidden", NULL, "this key's scope does not allow it");
        } else if (req->key && !srv_rate_take((srv_key_t *)req->key, uv_now(s->loop),
                                              s->cfg.rate_per_sec, s->cfg.rate_burst, &retry)) {
            early_error(req, 429, "rate_limited", NULL, "too many requests for this key");
            snprintf(req->early_headers, sizeof req->early_headers, "Retry-After: %ld", retry);
        }
    }
    long limit = body_limit(s, req->route);
    if ((p->flags & F_CONTENT_LENGTH) && p->content_length > (uint64_t)limit) {
        req->early_status = 0;
        early_error(req, 413, "payload_too_large", NULL, "request body too large");
        c->respond_now = true;
        return -1;
    }
    if (!req->early_status && r && r->body != SRV_BODY_NONE) {
        const char *want = r->body == SRV_BODY_NDJSON ? "application/x-ndjson" : "application/json";
        if (!media_type_is(req->content_type, want)) {
            char msg[96];
            snprintf(msg, sizeof msg, "Content-Type must be %s", want);
            early_error(req, 415, "unsupported_media_type", NULL, msg);
        }
    }
    if (c->expect_continue && req->early_status) {
        c->respond_now = true; /* the client is waiting: answer now rather than after a body */
        return -1;
    }
    if (c->expect_continue)
        send_continue(c);
    return 0;
}

static int cb_body(llhttp_t *p, const char *at, size_t n)
{
    srv_conn_t *c = conn_of(p);
    srv_req_t *req = c->req;
    size_t limit = (size_t)body_limit(c->srv, req->route);
    req->body_len += n; /* counted even when discarded: chunked bodies have no length up front */
    if (req->body_len > limit) {
        req->early_status = 0;
        early_error(req, 413, "payload_too_large", NULL, "request body too large");
        c->respond_now = true;
        return -1;
    }
    if (req->discard_body)
        return 0;
    if (req->body_len + 1 > req->body_cap) {
        size_t ncap = req->body_cap ? req->body_cap : 4096;
        while (ncap < req->body_len + 1)
            ncap *= 2;
        if (ncap > limit + 1)
            ncap = limit + 1;
        char *nb = realloc(req->body, ncap);
        if (!nb)
            return -1;
        req->body = nb;
        req->body_cap = ncap;
    }
    memcpy(req->body + req->body_len - n, at, n);
    req->body[req->body_len] = '\0';
    return 0;
}

static int cb_message_complete(llhttp_t *p)
{
    srv_conn_t *c = conn_of(p);
    if (c->req->discard_body)
        c->req->body_len = 0;
    c->state = ST_BUSY;
    return HPE_PAUSED;
}

/* ---- accept ---- */

static void on_connection(uv_stream_t *server, int status)
{
    srv_server_t *s = server->data;
    if (status < 0 || s->stopping)
        return;
    srv_conn_t *c = calloc(1, sizeof *c);
    if (!c)
        return;
    c->srv = s;
    if (uv_tcp_init(s->loop, &c->tcp) != 0) {
        free(c);
        return;
    }
    c->tcp.data = c;
    c->refs = 1;
    if (uv_accept(server, (uv_stream_t *)&c->tcp) != 0 || uv_timer_init(s->loop, &c->timer) != 0) {
        uv_close((uv_handle_t *)&c->tcp, on_handle_closed);
        return;
    }
    c->timer.data = c;
    c->refs = 2;
    uv_tcp_nodelay(&c->tcp, 1);
    llhttp_init(&c->parser, HTTP_REQUEST, &settings);
    c->parser.data = c;
    c->next = s->conns;
    if (s->conns)
        s->conns->prev = c;
    s->conns = c;
    s->nconns++;
    srv_metrics_connections(s->metrics, s->nconns);
    if (s->nconns > s->cfg.max_connections) {
        /* accept-and-refuse beats leaving the peer hanging in the backlog */
        c->req = req_new(c);
        if (!c->req) {
            conn_close(c);
            return;
        }
        c->req->keep_alive = false;
        timer_set(c, ST_BUSY);
        srv_reply_error(c->req, 503, "unavailable", NULL, "too many connections");
        write_response(c, c->req, true);
        return;
    }
    timer_set(c, ST_IDLE);
    read_start(c);
}

int srv_server_init(srv_server_t *s, uv_loop_t *loop, const srv_config_t *cfg, cm_engine_t *e,
                    struct srv_keys *keys, struct srv_metrics *metrics)
{
    memset(s, 0, sizeof *s);
    s->loop = loop;
    s->cfg = *cfg;
    s->engine = e;
    s->keys = keys;
    s->metrics = metrics;
    llhttp_settings_init(&settings);
    settings.on_message_begin = cb_message_begin;
    settings.on_url = cb_url;
    settings.on_header_field = cb_header_field;
    settings.on_header_value = cb_header_value;
    settings.on_header_value_complete = cb_header_value_complete;
    settings.on_headers_complete = cb_headers_complete;
    settings.on_body = cb_body;
    settings.on_message_complete = cb_message_complete;
    int rc = uv_tcp_init(loop, &s->listener);
    if (rc != 0)
        return rc;
    s->listener.data = s;
    return 0;
}

int srv_server_listen(srv_server_t *s, const char *addr, char *errbuf, size_t n)
{
    char host[96];
    const char *colon = strrchr(addr, ':');
    if (!colon || (size_t)(colon - addr) >= sizeof host) {
        snprintf(errbuf, n, "listen address must be HOST:PORT, got \"%s\"", addr);
        return UV_EINVAL;
    }
    memcpy(host, addr, (size_t)(colon - addr));
    host[colon - addr] = '\0';
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || end == colon + 1 || port < 0 || port > 65535) {
        snprintf(errbuf, n, "bad port in \"%s\"", addr);
        return UV_EINVAL;
    }
    struct sockaddr_storage ss;
    int rc;
    size_t hl = strlen(host);
    if (hl >= 2 && host[0] == '[' && host[hl - 1] == ']') {
        host[hl - 1] = '\0';
        rc = uv_ip6_addr(host + 1, (int)port, (struct sockaddr_in6 *)&ss);
    } else {
        rc = uv_ip4_addr(hl ? host : "0.0.0.0", (int)port, (struct sockaddr_in *)&ss);
    }
    if (rc == 0)
        rc = uv_tcp_bind(&s->listener, (const struct sockaddr *)&ss, 0);
    if (rc == 0)
        rc = uv_listen((uv_stream_t *)&s->listener, (int)s->cfg.backlog, on_connection);
    if (rc != 0) {
        snprintf(errbuf, n, "cannot listen on %s: %s", addr, uv_strerror(rc));
        return rc;
    }
    s->listening = true;
    int len = sizeof ss;
    rc = uv_tcp_getsockname(&s->listener, (struct sockaddr *)&ss, &len);
    if (rc != 0) {
        snprintf(errbuf, n, "getsockname: %s", uv_strerror(rc));
        return rc;
    }
    char ip[64] = "?";
    int bport = 0;
    if (ss.ss_family == AF_INET6) {
        uv_ip6_name((struct sockaddr_in6 *)&ss, ip, sizeof ip);
        bport = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
        snprintf(s->bound, sizeof s->bound, "[%s]:%d", ip, bport);
    } else {
        uv_ip4_name((struct sockaddr_in *)&ss, ip, sizeof ip);
        bport = ntohs(((struct sockaddr_in *)&ss)->sin_port);
        snprintf(s->bound, sizeof s->bound, "%s:%d", ip, bport);
    }
    return 0;
}

static void on_shutdown_timer_closed(uv_handle_t *h)
{
    (void)h;
}

static void on_shutdown_tick(uv_timer_t *t)
{
    srv_server_t *s = t->data;
    if (!s->conns) {
        uv_timer_stop(t);
        uv_close((uv_handle_t *)t, on_shutdown_timer_closed);
        return;
    }
    if (uv_now(s->loop) >= s->shutdown_deadline) {
        /* bounded wait is over: drop whoever is left; pool work still completes */
        srv_log("warn", "shutdown: closing %ld connection(s) still open", s->nconns);
        while (s->conns)
            conn_close(s->conns);
    }
}

static void on_listener_closed(uv_handle_t *h)
{
    (void)h;
}

void srv_server_stop(srv_server_t *s)
{
    if (s->stopping)
        return;
    s->stopping = true;
    uv_close((uv_handle_t *)&s->listener, on_listener_closed);
    for (srv_conn_t *c = s->conns, *next; c; c = next) {
        next = c->next;
        if (c->state == ST_IDLE)
            conn_close(c);
    }
    s->shutdown_deadline = uv_now(s->loop) + (uint64_t)s->cfg.shutdown_timeout_ms;
    if (uv_timer_init(s->loop, &s->shutdown_timer) == 0) {
        s->shutdown_timer.data = s;
        uv_timer_start(&s->shutdown_timer, on_shutdown_tick, 0, 20);
    }
}

/* ---- query string ---- */

static int hex1(int ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* Decode [src, src+n) into dst (NUL-terminated); returns -1 on a bad escape or a NUL byte. */
static int pct_decode(char *dst, const char *src, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = src[i];
        if (ch == '+') {
            ch = ' ';
        } else if (ch == '%') {
            int hi = i + 1 < n ? hex1((unsigned char)src[i + 1]) : -1;
            int lo = i + 2 < n ? hex1((unsigned char)src[i + 2]) : -1;
            if (hi < 0 || lo < 0)
                return -1;
            ch = (char)(hi << 4 | lo);
            if (ch == '\0')
                return -1;
            i += 2;
        }
        dst[o++] = ch;
    }
    dst[o] = '\0';
    return 0;
}

int srv_query_parse(srv_req_t *req)
{
    if (req->qbuf)
        return 0;
    size_t qlen = strlen(req->query);
    req->qbuf = malloc(qlen * 2 + 2);
    if (!req->qbuf)
        return -1;
    char *out = req->qbuf;
    const char *p = req->query;
    while (*p) {
        size_t seg = strcspn(p, "&");
        if (seg) {
            if (req->n_params == SRV_QUERY_MAX)
                return -1;
            const char *eq = memchr(p, '=', seg);
            size_t nlen = eq ? (size_t)(eq - p) : seg;
            srv_param_t *pp = &req->params[req->n_params];
            pp->name = out;
            if (pct_decode(out, p, nlen) != 0)
                return -1;
            out += strlen(out) + 1;
            pp->value = out;
            if (pct_decode(out, eq ? eq + 1 : p + seg, eq ? seg - nlen - 1 : 0) != 0)
                return -1;
            out += strlen(out) + 1;
            req->n_params++;
        }
        p += seg;
        if (*p == '&')
            p++;
    }
    return 0;
}

const char *srv_query_get(srv_req_t *req, const char *name)
{
    for (size_t i = 0; i < req->n_params; i++)
        if (strcmp(req->params[i].name, name) == 0)
            return req->params[i].value;
    return NULL;
}
