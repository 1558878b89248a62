/* llhttp's callbacks: the request line and headers into request.c (with the header limits
 * and the refusal of a folded header), 100-continue, the body, the message's end (the parser
 * pauses while the request runs). The connection itself is http.c's. */
#include <stdlib.h>

#include "http_conn.h"

static srv_conn_t *conn_of(llhttp_t *p)
{
    return p->data;
}

static int cb_message_begin(llhttp_t *p)
{
    srv_conn_t *c = conn_of(p);
    if (!c->req)
        c->req = srv__req_new(c);
    if (!c->req)
        return -1;
    c->url.len = c->field.len = c->value.len = 0;
    c->in_trailers = false;
    srv__timer_set(c, ST_READING);
    return 0;
}

static int head_bytes(srv_conn_t *c, size_t n)
{
    srv_req_t *req = c->req;
    req->header_bytes += n;
    if (req->header_bytes > (size_t)c->srv->cfg.max_header_bytes) {
        srv_request_fail(req, 413, "payload_too_large", NULL, "request headers too large");
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

/* Trailer fields (after a chunked body) count against the header limits but are never kept:
 * applied as headers, they would change a request after its policy was decided (RFC 9110 6.5.1). */
static int cb_header_field(llhttp_t *p, const char *at, size_t n)
{
    srv_conn_t *c = conn_of(p);
    if (head_bytes(c, n) != 0)
        return -1;
    return c->in_trailers ? 0 : sbuf_add(&c->field, at, n);
}

/* Does the value piece at `at` continue a line folded onto the next (obs-fold: LF, then SP
 * or HT)? llhttp 8.1, even strict, joins "Name:\r\n value" and "a\r\n b" (RFC 9112 5.2: a
 * server must refuse them or unfold them; a proxy that unfolds, or splits, would read
 * another request than this server does). */
static bool folded(const srv_conn_t *c, const char *at)
{
    const char *k = at;
    if (!c->exec_base || k < c->exec_base)
        return false;
    while (k > c->exec_base && (k[-1] == ' ' || k[-1] == '\t'))
        k--;
    return k > c->exec_base ? k[-1] == '\n' : c->tail_nl;
}

static int cb_header_value(llhttp_t *p, const char *at, size_t n)
{
    srv_conn_t *c = conn_of(p);
    if (head_bytes(c, n) != 0)
        return -1;
    if (n > 0 && folded(c, at)) { /* an empty value comes as 0 bytes at the next line */
        srv_request_bad_framing(c->req, "malformed HTTP request: a header folded over two lines");
        c->respond_now = true;
        return -1;
    }
    return c->in_trailers ? 0 : sbuf_add(&c->value, at, n);
}

static int cb_header_value_complete(llhttp_t *p)
{
    srv_conn_t *c = conn_of(p);
    srv_req_t *req = c->req;
    if (++req->header_count > (size_t)c->srv->cfg.max_headers) {
        srv_request_fail(req, 413, "payload_too_large", NULL, "too many request headers");
        c->respond_now = true;
        return -1;
    }
    if (c->in_trailers)
        return 0;
    int rc = srv_request_header(req, c->field.p ? c->field.p : "", c->value.p ? c->value.p : "");
    if (rc > 0)
        c->respond_now = true; /* bad framing: answer 400 and close */
    if (rc != 0)
        return -1;
    c->field.len = c->value.len = 0;
    if (c->field.p)
        c->field.p[0] = '\0';
    if (c->value.p)
        c->value.p[0] = '\0';
    return 0;
}

static void on_continue_written(uv_write_t *w, int status)
{
    (void)status; /* a failed write shows up on the final response too */
    srv_conn_t *c = w->data;
    free(w);
    srv__conn_unref(c);
}

/* curl and others wait for this before sending a large body. */
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
    c->out_queued += b.len; /* in the kernel's count of unsent bytes too */
    c->refs++;
}

/* Act on what request.c decided: SRV_NEXT_* -> the llhttp callback's return value. */
static int next_step(srv_conn_t *c, int next)
{
    switch (next) {
    case SRV_NEXT_READ_BODY:
        return 0;
    case SRV_NEXT_CONTINUE:
        send_continue(c);
        return 0;
    case SRV_NEXT_ANSWER_NOW:
        c->respond_now = true;
        return -1;
    default:
        return -1;
    }
}

static int cb_headers_complete(llhttp_t *p)
{
    srv_conn_t *c = conn_of(p);
    c->in_trailers = true;
    /* This server speaks HTTP/1.1 only: an Upgrade offer (h2c, websocket) is ignored (RFC 9110
     * 7.8) and the request served as HTTP/1.1. Left set, llhttp would stop parsing after this
     * message and the keep-alive connection would end in a 400. */
    p->upgrade = 0;
    if (srv_request_check_framing(c->req, p->http_major, p->http_minor,
                                  (p->flags & (F_CHUNKED | F_TRANSFER_ENCODING)) != 0, p->method,
                                  (p->flags & F_CONTENT_LENGTH) != 0)) {
        c->respond_now = true;
        return -1;
    }
    srv_head_t h = {
        .method = p->method,
        .url = c->url.p,
        .url_len = c->url.len,
        .keep_alive = llhttp_should_keep_alive(p) != 0,
        .has_length = (p->flags & F_CONTENT_LENGTH) != 0,
        .content_length = p->content_length,
        .now_ms = uv_now(c->srv->loop),
    };
    return next_step(c, srv_request_head(c->req, &h));
}

static int cb_body(llhttp_t *p, const char *at, size_t n)
{
    srv_conn_t *c = conn_of(p);
    return next_step(c, srv_request_body(c->req, at, n));
}

static int cb_chunk_header(llhttp_t *p)
{
    srv_conn_t *c = conn_of(p);
    return next_step(c, srv_request_chunk(c->req, p->content_length));
}

static int cb_message_complete(llhttp_t *p)
{
    srv_conn_t *c = conn_of(p);
    srv_request_complete(c->req);
    c->state = ST_BUSY;
    return HPE_PAUSED;
}

/* One table for every server: llhttp only reads it. */
const llhttp_settings_t srv__http_settings = {
    .on_message_begin = cb_message_begin,
    .on_url = cb_url,
    .on_header_field = cb_header_field,
    .on_header_value = cb_header_value,
    .on_header_value_complete = cb_header_value_complete,
    .on_headers_complete = cb_headers_complete,
    .on_body = cb_body,
    .on_chunk_header = cb_chunk_header,
    .on_message_complete = cb_message_complete,
};
