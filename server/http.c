/* HTTP/1.1 over libuv with llhttp, transport only: connections, reads into the parser,
 * timeouts, keep-alive, pipelining (the parser is paused while a request runs on the pool), the
 * write path with its send timeout and bound. llhttp's callbacks are in http_parse.c,
 * listening and the graceful stop in listen.c; what a request may do is decided in
 * request.c. */
#include "http.h"

#include <llhttp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytebuf.h"
#include "http_conn.h"
#include "json.h"
#include "log.h"
#include "metrics.h"
#include "response.h"
#include "router.h"

#if !LLHTTP_STRICT_MODE /* set on the llhttp target, for its sources and for us alike */
#error "llhttp must be built with LLHTTP_STRICT_MODE=1: lenient 8.x parsing allows smuggling"
#endif

#define SRV_READ_BUF_BYTES (64u << 10) /* one uv read; llhttp copies nothing out of it */
#define SRV_LINGER_MS 2000             /* drain input this long after an error that closes */

typedef struct write_req {
    uv_write_t w;
    srv_conn_t *conn;
    char *buf;
    bool close_after;
} write_req_t;

static uint64_t now_ns(void)
{
    return uv_hrtime();
}

/* ---- requests ---- */

srv_req_t *srv__req_new(srv_conn_t *c)
{
    srv_server_t *s = c->srv;
    srv_req_t *req = srv_request_new(c, s->engine, &s->cfg, s->keys, s->metrics);
    if (req) {
        req->start_ns = now_ns();
        req->key_cache = &c->key_cache;
    }
    return req;
}

/* ---- connection lifetime ---- */

void srv__conn_unref(srv_conn_t *c)
{
    if (--c->refs > 0)
        return;
    srv_request_free(c->req);
    sbuf_free(&c->url);
    sbuf_free(&c->field);
    sbuf_free(&c->value);
    sbuf_free(&c->pending);
    srv_key_cache_clear(&c->key_cache);
    free(c);
}

static void on_handle_closed(uv_handle_t *h)
{
    srv__conn_unref(h->data);
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
    uv_close((uv_handle_t *)&c->send_timer, on_handle_closed);
}

static void on_timeout(uv_timer_t *t)
{
    srv_conn_t *c = t->data;
    if (c->state == ST_IDLE && c->out_writes) {
        srv__timer_set(c, ST_IDLE); /* not idle while answers are sent: the send timer decides */
        return;
    }
    conn_close(c); /* idle keep-alive connection, or the end of a lingering close */
}

static void write_response(srv_conn_t *c, srv_req_t *req, bool close_after);
static void conn_resume(srv_conn_t *c);
static void read_start(srv_conn_t *c);
static void read_stop(srv_conn_t *c);

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

void srv__timer_set(srv_conn_t *c, conn_state_t st)
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

/* Bytes queued on the connection and not yet handed to the kernel. */
static size_t unsent(srv_conn_t *c)
{
    return uv_stream_get_write_queue_size((uv_stream_t *)&c->tcp);
}

static bool over_bound(srv_conn_t *c)
{
    return unsent(c) > (size_t)c->srv->cfg.max_unsent_bytes;
}

/* A reader that takes nothing for send_timeout_ms loses its connection: its answers would
 * otherwise hold memory and a connection slot for ever (slow-read attack). One that reads,
 * however slowly, keeps it: its memory is bounded anyway (no request is read while its unsent
 * output is over max_unsent_bytes), and cutting it would cut large answers on slow links. */
static void on_send_tick(uv_timer_t *t)
{
    srv_conn_t *c = t->data;
    if (c->closing || !c->out_writes) {
        uv_timer_stop(t);
        return;
    }
    uint64_t now = uv_now(c->srv->loop);
    uint64_t accepted = c->out_queued - unsent(c);
    if (accepted != c->out_accepted) {
        c->out_accepted = accepted;
        c->out_progress_ms = now;
    }
    if (now - c->out_progress_ms >= (uint64_t)c->srv->cfg.send_timeout_ms) {
        srv_metrics_http(c->srv->metrics, SRV_M_SEND_TIMEOUT);
        conn_close(c);
    }
}

static void out_start(srv_conn_t *c, size_t len)
{
    uint64_t now = uv_now(c->srv->loop);
    if (c->out_writes++ == 0) {
        c->out_accepted = c->out_queued;
        c->out_progress_ms = now;
        uint64_t tick = (uint64_t)c->srv->cfg.send_timeout_ms / 4;
        uv_timer_start(&c->send_timer, on_send_tick, tick ? tick : 1, tick ? tick : 1);
    }
    c->out_queued += len;
}

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
    srv__conn_unref(c);
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
    if (--c->out_writes == 0)
        uv_timer_stop(&c->send_timer);
    if (status < 0) {
        conn_close(c);
    } else if (c->out_writes) {
        /* answers still queued: read on once they are within the bound */
        if (c->out_blocked && !over_bound(c) && !c->closing) {
            c->out_blocked = false;
            conn_resume(c);
        }
    } else if (c->srv->stopping) {
        conn_close(c);
    } else if (close_after) {
        conn_linger(c); /* the last answer of the connection */
    } else if (c->out_blocked && !c->closing) {
        c->out_blocked = false;
        conn_resume(c);
    }
    srv__conn_unref(c);
}

/* Send req's response and free req. The connection stays paused until the write completes. */
static void write_response(srv_conn_t *c, srv_req_t *req, bool close_after)
{
    srv_resp_t *r = &req->resp;
    if (r->status == 0)
        srv_reply_error(req, 500, "internal", NULL, "handler gave no response");
    if (!req->keep_alive || c->srv->stopping)
        close_after = true;
    char head[1800];
    size_t sent = 0;
    int hn = srv_response_head(req, close_after, head, sizeof head, &sent);
    write_req_t *wr = calloc(1, sizeof *wr);
    char *buf = hn > 0 && (size_t)hn < sizeof head ? malloc((size_t)hn + sent) : NULL;
    if (buf) {
        memcpy(buf, head, (size_t)hn);
        if (sent)
            memcpy(buf + hn, r->body, sent);
    }
    srv_request_log(req); /* when the loop answers it (early errors, parked writes) */
    if (c->req == req)
        c->req = NULL;
    srv_request_free(req);
    if (!wr || !buf || c->closing) {
        free(wr);
        free(buf);
        conn_close(c);
        return;
    }
    wr->conn = c;
    wr->buf = buf;
    wr->close_after = close_after;
    uv_buf_t b = uv_buf_init(buf, (unsigned)((size_t)hn + sent));
    c->refs++;
    if (uv_write(&wr->w, (uv_stream_t *)&c->tcp, &b, 1, on_write) != 0) {
        /* the callback will not fire */
        free(buf);
        free(wr);
        conn_close(c);
        srv__conn_unref(c);
        return;
    }
    out_start(c, b.len);
    if (close_after)
        return; /* nothing more is read: on_write lingers, then closes */
    if (over_bound(c)) {
        /* a client that does not read its answers gets no more of them */
        c->out_blocked = true;
        srv_metrics_http(c->srv->metrics, SRV_M_OUTPUT_PAUSED);
        return;
    }
    conn_resume(c);
}

/* ---- dispatch ---- */

static void work_cb(uv_work_t *w)
{
    srv_request_run(w->data);
}

void srv__work_done(srv_req_t *req, bool ran)
{
    srv_conn_t *c = req->conn;
    c->srv->pending--;
    srv_metrics_pending(c->srv->metrics, c->srv->pending);
    if (ran && !c->closing && req->wait_seq) {
        srv_parked_park(c->srv, req); /* answered by srv__conn_finish once visible */
        return;
    }
    srv__conn_finish(req, !ran);
}

static void after_work_cb(uv_work_t *w, int status)
{
    srv__work_done(w->data, status == 0);
}

void srv__conn_finish(srv_req_t *req, bool drop)
{
    srv_conn_t *c = req->conn;
    if (c->closing || drop) {
        /* the peer left while the work ran: nothing to answer */
        if (c->req == req)
            c->req = NULL;
        srv_request_free(req);
    } else {
        write_response(c, req, false);
    }
    srv__conn_unref(c);
}

/* A complete request is in c->req and the parser is paused. */
static void dispatch(srv_conn_t *c)
{
    srv_req_t *req = c->req;
    srv_server_t *s = c->srv;
    srv__timer_set(c, ST_BUSY);
    if (srv_request_answer_early(req)) {
        write_response(c, req, false);
        return;
    }
    if (req->route->inline_) {
        srv_request_run(req);
        write_response(c, req, false);
        return;
    }
    if (s->pending >= s->cfg.max_pending) {
        srv_reply_error(req, 503, "unavailable", NULL, "server busy: too many pending requests");
        write_response(c, req, false);
        return;
    }
    c->work.data = req;
    if (!(req->route->writes && srv_wpool_submit(s, req)) &&
        uv_queue_work(s->loop, &c->work, work_cb, after_work_cb) != 0) {
        srv_reply_error(req, 503, "unavailable", NULL, "cannot queue the request");
        write_response(c, req, false);
        return;
    }
    s->pending++;
    srv_metrics_pending(s->metrics, s->pending);
    c->refs++;
}

/* Answer an error that ends the connection (bad HTTP, 413 on a body or headers too large). */
static void fatal(srv_conn_t *c, int status, const char *code, const char *msg)
{
    if (!c->req)
        c->req = srv__req_new(c);
    if (!c->req) {
        conn_close(c);
        return;
    }
    srv_req_t *req = c->req;
    srv__timer_set(c, ST_BUSY);
    if (!srv_request_answer_early(req))
        srv_reply_error(req, status, code, NULL, "%s", msg);
    write_response(c, req, true);
}

/* The request line of a method llhttp refused (data[0, len), its method before pos): 405
 * with the methods its path takes, or 404 when no route has the path. */
static void unknown_method(srv_conn_t *c, const char *data, size_t len, const char *pos)
{
    const char *p = pos && pos >= data && pos <= data + len ? pos : data;
    const char *end = data + len;
    while (p < end && *p != ' ')
        p++;
    while (p < end && *p == ' ')
        p++;
    char path[512], allow[96] = "", id[CM_ID_MAX + 1];
    size_t n = 0;
    while (p + n < end && p[n] != ' ' && p[n] != '?' && p[n] != '\r' && n + 1 < sizeof path)
        n++;
    memcpy(path, p, n);
    path[n] = '\0';
    const srv_route_t *r = NULL;
    int m =
        n ? srv_route_match(HTTP_TRACE, path, &r, id, allow, sizeof allow) : SRV_ROUTE_NOT_FOUND;
    if (!c->req)
        c->req = srv__req_new(c);
    if (c->req && m == SRV_ROUTE_BAD_METHOD && allow[0]) {
        srv_request_fail(c->req, 405, "method_not_allowed", NULL, "method not supported");
        snprintf(c->req->early_headers, sizeof c->req->early_headers, "Allow: %s", allow);
    } else if (c->req && m == SRV_ROUTE_NOT_FOUND) {
        srv_request_fail(c->req, 404, "not_found", NULL, "no such resource");
    }
    fatal(c, 405, "method_not_allowed", "method not supported");
}

/* Remember whether data[0..len) ends in LF followed by spaces or tabs (or nothing), for the
 * obs-fold check of the next bytes (cb_header_value). */
static void note_tail(srv_conn_t *c, const char *data, size_t len)
{
    while (len > 0 && (data[len - 1] == ' ' || data[len - 1] == '\t'))
        len--;
    if (len > 0)
        c->tail_nl = data[len - 1] == '\n';
}

/* Does the method llhttp refused at pos (within data) read as a method token, capital
 * letters up to a space ("FOO /path")? Then it is an unknown method, not garbage. */
static bool is_method_token(const char *data, size_t len, const char *pos)
{
    if (!pos || pos < data || pos >= data + len)
        return false;
    const char *a = pos, *b = pos;
    while (a > data && a[-1] >= 'A' && a[-1] <= 'Z')
        a--;
    while (b < data + len && *b >= 'A' && *b <= 'Z')
        b++;
    return b > a && b - a <= 32 && b < data + len && *b == ' ' && (a == data || a[-1] == '\n');
}

static void parse(srv_conn_t *c, const char *data, size_t len)
{
    c->exec_base = data;
    llhttp_errno_t err = llhttp_execute(&c->parser, data, len);
    const char *pos = err == HPE_PAUSED ? llhttp_get_error_pos(&c->parser) : NULL;
    note_tail(c, data, pos && pos >= data && pos <= data + len ? (size_t)(pos - data) : len);
    c->exec_base = NULL;
    if (err == HPE_OK)
        return;
    read_stop(c);
    if (err == HPE_PAUSED) {
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
    if (c->respond_now) { /* a limit (413) stopped the parser on purpose */
        fatal(c, 400, "invalid_field", "bad request");
        return;
    }
    /* malformed HTTP wins over an error decided from the headers (401 ...) */
    if (c->req)
        c->req->early_status = 0;
    char msg[160];
    if (err == HPE_INVALID_METHOD && is_method_token(data, len, llhttp_get_error_pos(&c->parser))) {
        /* a well-formed method this server does not know ("FOO /v1/offers"): like PATCH, a
         * 405 with the path's Allow (a probe found none); no such path: 404 */
        unknown_method(c, data, len, llhttp_get_error_pos(&c->parser));
        return;
    }
    snprintf(msg, sizeof msg, "malformed HTTP request: %s", llhttp_get_error_reason(&c->parser));
    fatal(c, 400, "invalid_field", msg);
}

/* The previous request is answered (its response queued): parse what was received after it.
 * Pipelined requests answered at once would nest resume -> parse -> write -> resume as deep as
 * there are requests in the buffer; a nested call only asks the outer one to loop. */
static void conn_resume(srv_conn_t *c)
{
    if (c->resuming) {
        c->resume_again = true;
        return;
    }
    c->resuming = true;
    do {
        c->resume_again = false;
        srv__timer_set(c, ST_IDLE);
        llhttp_resume(&c->parser);
        if (c->pending.len) {
            sbuf_t data = c->pending;
            memset(&c->pending, 0, sizeof c->pending);
            parse(c, data.p, data.len);
            sbuf_free(&data);
        }
    } while (c->resume_again && !c->closing);
    c->resuming = false;
    if (!c->closing && c->state != ST_BUSY)
        read_start(c);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    (void)h;
    (void)suggested;
    buf->base = malloc(SRV_READ_BUF_BYTES);
    buf->len = buf->base ? SRV_READ_BUF_BYTES : 0;
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

/* ---- accept ---- */

/* Out of descriptors: libuv then accepts and closes what waits in the backlog (its EMFILE
 * trick) and tells nobody, so a descriptor limit below max_connections was a silent reset of
 * new connections. Said in the log at most once every ten seconds, when an accept fails
 * (counted) and when an accepted connection's descriptor is within 16 of the limit. */
static void fds_report(srv_server_t *s, int status, long fd)
{
    if (status < 0) {
        srv_metrics_http(s->metrics, SRV_M_ACCEPT_FAILED);
        s->accept_failed++;
    }
    uint64_t now = uv_now(s->loop);
    if (s->accept_failed_logged && now - s->accept_failed_at < 10000)
        return;
    if (status < 0)
        srv_log("error",
                "cannot accept connections (%s): %llu refused since the last report; %ld open, "
                "max_connections %ld, descriptor limit %llu: raise the limit (LimitNOFILE) or "
                "lower max_connections",
                uv_strerror(status), (unsigned long long)s->accept_failed, s->nconns,
                (long)s->cfg.max_connections, (unsigned long long)s->nofile);
    else
        srv_log("error",
                "out of file descriptors soon: a connection took descriptor %ld of a limit of "
                "%llu, and new connections are reset once none is left (%ld open, "
                "max_connections %ld): raise the limit (LimitNOFILE) or lower max_connections",
                fd, (unsigned long long)s->nofile, s->nconns, (long)s->cfg.max_connections);
    s->accept_failed = 0;
    s->accept_failed_at = now;
    s->accept_failed_logged = true;
}

void srv__on_connection(uv_stream_t *server, int status)
{
    srv_server_t *s = server->data;
    if (status < 0 && !s->stopping)
        fds_report(s, status, -1);
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
    if (uv_timer_init(s->loop, &c->send_timer) != 0) {
        uv_close((uv_handle_t *)&c->tcp, on_handle_closed);
        uv_close((uv_handle_t *)&c->timer, on_handle_closed);
        return;
    }
    c->send_timer.data = c;
    c->refs = 3;
    uv_os_fd_t fd;
    if (s->nofile && uv_fileno((uv_handle_t *)&c->tcp, &fd) == 0 && (uint64_t)fd + 16 >= s->nofile)
        fds_report(s, 0, (long)fd);
    uv_tcp_nodelay(&c->tcp, 1);
    llhttp_init(&c->parser, HTTP_REQUEST, &srv__http_settings);
    c->parser.data = c;
    c->next = s->conns;
    if (s->conns)
        s->conns->prev = c;
    s->conns = c;
    s->nconns++;
    srv_metrics_connections(s->metrics, s->nconns);
    if (s->nconns > s->cfg.max_connections) {
        /* accept-and-refuse beats leaving the peer hanging in the backlog */
        c->req = srv__req_new(c);
        if (!c->req) {
            conn_close(c);
            return;
        }
        c->req->keep_alive = false;
        srv__timer_set(c, ST_BUSY);
        srv_reply_error(c->req, 503, "unavailable", NULL, "too many connections");
        write_response(c, c->req, true);
        return;
    }
    srv__timer_set(c, ST_IDLE);
    read_start(c);
}

/* ---- for listen.c ---- */

void srv__conn_close(srv_conn_t *c)
{
    conn_close(c);
}

srv_conn_t *srv__conn_next(const srv_conn_t *c)
{
    return c->next;
}

bool srv__conn_idle(const srv_conn_t *c)
{
    return c->state == ST_IDLE && !c->out_writes;
}
