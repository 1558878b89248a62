/* Fuzz target: the HTTP request path of carematchd: the transport (server/http.c and
 * http_parse.c: llhttp with the server's callbacks, header limits, pipelining and pausing,
 * keep-alive, lingering close, response framing) and the request policy it calls (server/request.c:
 * body limits, routing, API keys and scopes, early errors). The input is the byte stream a client
 * sends on one connection.
 *
 * http.c is included here with its socket and thread-pool calls (uv_write, uv_read_start,
 * uv_read_stop, uv_shutdown, uv_queue_work, uv_close) redirected to the fakes below, so that
 * every byte goes through the real connection code without a socket or a pool thread. The
 * record handlers run for real on a storage stand-in (fake_store.h); the other handlers, which
 * need an engine, are replaced by one that parses the query string and answers 200. Input byte 0:
 * bit 7, the stream arrives in one read, else in reads of (bits 0-5) + 1 bytes; bit 6, the peer
 * then goes silent (the connection's timer fires: 408 for a request half received) rather than
 * closing (EOF). */
#include <stdbool.h>
#include <string.h>
#include <uv.h>

#include "fuzz.h"
#include "log.h"

/* ---- fakes of the libuv calls http.c makes on a connection ---- */

static uv_stream_t *rd_stream; /* reading: the callbacks to deliver bytes to */
static uv_alloc_cb rd_alloc;
static uv_read_cb rd_cb;
/* writes queued, completed in order by pump(): a connection reads on while its answers are
 * being sent (within max_unsent_bytes), so several can wait */
#define WR_MAX 4096
static uv_write_t *wr_queue[WR_MAX];
static uv_write_cb wr_cbs[WR_MAX];
static size_t wr_head, wr_tail;
static uv_shutdown_t *sd_pending;
static uv_shutdown_cb sd_cb;
static uv_work_t *work_pending;
static uv_after_work_cb work_after;
static bool conn_closed; /* uv_close was called on the connection's tcp handle */
static uv_handle_t *conn_tcp;
static size_t responses;

static int fz_uv_read_start(uv_stream_t *st, uv_alloc_cb alloc, uv_read_cb cb)
{
    FUZZ_CHECK(!conn_closed);
    rd_stream = st;
    rd_alloc = alloc;
    rd_cb = cb;
    return 0;
}

static int fz_uv_read_stop(uv_stream_t *st)
{
    (void)st;
    rd_cb = NULL;
    return 0;
}

/* Check the framing of every response: status line, Content-Length equal to the body sent. */
static void check_response(const char *p, size_t n)
{
    FUZZ_CHECK(n > 12 && memcmp(p, "HTTP/1.1 ", 9) == 0);
    int status = atoi(p + 9);
    /* nothing here runs out of memory: a 500 would be a bug in the request path */
    FUZZ_CHECK(status >= 200 && status < 500 ? true : status == 503);
    const char *end = NULL;
    for (size_t i = 0; i + 4 <= n; i++)
        if (memcmp(p + i, "\r\n\r\n", 4) == 0) {
            end = p + i + 4;
            break;
        }
    FUZZ_CHECK(end != NULL);
    const char *cl = NULL;
    for (const char *q = p; q + 16 < end; q++)
        if (memcmp(q, "\r\nContent-Length: ", 18) == 0) {
            cl = q + 18;
            break;
        }
    FUZZ_CHECK(cl != NULL);
    FUZZ_CHECK((size_t)strtoul(cl, NULL, 10) == n - (size_t)(end - p));
    responses++;
    if (getenv("CM_FUZZ_VERBOSE"))
        fprintf(stderr, "response %zu: %.*s\n", responses, (int)strcspn(p, "\r"), p);
}

static int fz_uv_write(uv_write_t *w, uv_stream_t *st, const uv_buf_t bufs[], unsigned int nbufs,
                       uv_write_cb cb)
{
    (void)st;
    FUZZ_CHECK(nbufs == 1);
    FUZZ_CHECK(wr_tail < WR_MAX);
    check_response(bufs[0].base, bufs[0].len);
    wr_queue[wr_tail] = w;
    wr_cbs[wr_tail++] = cb;
    return 0;
}

static int fz_uv_shutdown(uv_shutdown_t *r, uv_stream_t *st, uv_shutdown_cb cb)
{
    (void)st;
    FUZZ_CHECK(sd_pending == NULL);
    sd_pending = r;
    sd_cb = cb;
    return 0;
}

static int fz_uv_queue_work(uv_loop_t *loop, uv_work_t *w, uv_work_cb work, uv_after_work_cb after)
{
    (void)loop, (void)work;
    FUZZ_CHECK(work_pending == NULL); /* the parser is paused while a request runs */
    work_pending = w;
    work_after = after;
    return 0;
}

static void fz_uv_close(uv_handle_t *h, uv_close_cb cb)
{
    if (h == conn_tcp) {
        conn_closed = true;
        rd_cb = NULL;
    }
    uv_close(h, cb);
}

#define uv_read_start fz_uv_read_start
#define uv_read_stop fz_uv_read_stop
#define uv_write fz_uv_write
#define uv_shutdown fz_uv_shutdown
#define uv_queue_work fz_uv_queue_work
#define uv_close fz_uv_close
/* one log line per request would drown the fuzzer's output */
#define srv_log_request(m, r, p, s, b, us, k, rid)                                              \
    ((void)(m), (void)(r), (void)(p), (void)(s), (void)(b), (void)(us), (void)(k), (void)(rid))

#include "../../server/http.c"
#include "../../server/http_parse.c"

/* the record handlers run for real, on the storage stand-in */
#include "fake_store.h"

#include "../../server/handlers_records.c"

#include "auth.h"
#include "params.h"

static bool record_route(const srv_route_t *r)
{
    return r->fn == srv_h_put_offer || r->fn == srv_h_get_offer || r->fn == srv_h_delete_offer ||
           r->fn == srv_h_put_candidate || r->fn == srv_h_get_candidate ||
           r->fn == srv_h_delete_candidate || r->fn == srv_h_bulk_offers ||
           r->fn == srv_h_bulk_candidates;
}

/* The pool work: record routes run their real handler; for the others (which need an engine)
 * the query string is parsed for real (a malformed one answers 400), then 200. The body, when
 * kept, is NUL-terminated at body_len. */
static void fake_handler(srv_req_t *req)
{
    FUZZ_CHECK(req->route != NULL && !req->early_status);
    FUZZ_CHECK(req->scope >= req->route->scope);
    if (req->body)
        FUZZ_CHECK(req->body[req->body_len] == '\0');
    if (record_route(req->route)) {
        req->route->fn(req);
        return;
    }
    if (srv_params_begin(req) != 0)
        return;
    srv_reply_text(req, 200, "application/json", "{}");
}

static uv_loop_t loop;
static srv_server_t server;
static srv_keys_t *keys;

static const char KEYS[] = "{\"keys\":[{\"key\":\"fuzz-admin\",\"scope\":\"admin\",\"name\":\"a\"},"
                           "{\"key\":\"fuzz-adviser\",\"scope\":\"adviser\",\"name\":\"d\"},"
                           "{\"key\":\"fuzz-portal\",\"scope\":\"portal\",\"name\":\"p\"}]}";

static int setup(void)
{
    if (uv_loop_init(&loop) != 0)
        return -1;
    char errbuf[256];
    if (srv_keys_parse(KEYS, sizeof KEYS - 1, &keys, errbuf, sizeof errbuf) != 0) {
        fprintf(stderr, "fuzz_http: keys: %s\n", errbuf);
        return -1;
    }
    srv_config_t cfg;
    srv_config_defaults(&cfg);
    /* small limits so that the 413 and 431 paths are reached by short inputs */
    cfg.max_body_bytes = 2048;
    cfg.max_bulk_body_bytes = 8192;
    cfg.max_header_bytes = 1024;
    cfg.max_headers = 12;
    return srv_server_init(&server, &loop, &cfg, NULL, keys, NULL);
}

/* Complete whatever the connection waits for (pool work, a write, a shutdown) and run close
 * callbacks, until nothing is left to do. */
static void pump(void)
{
    for (;;) {
        bool did = false;
        if (work_pending) {
            uv_work_t *w = work_pending;
            work_pending = NULL;
            fake_handler(w->data);
            work_after(w, 0);
            did = true;
        }
        if (wr_head < wr_tail) {
            uv_write_t *w = wr_queue[wr_head];
            uv_write_cb cb = wr_cbs[wr_head++];
            if (wr_head == wr_tail)
                wr_head = wr_tail = 0;
            cb(w, 0);
            did = true;
        }
        if (sd_pending) {
            uv_shutdown_t *r = sd_pending;
            sd_pending = NULL;
            sd_cb(r, 0);
            did = true;
        }
        uv_run(&loop, UV_RUN_NOWAIT);
        if (!did)
            break;
    }
}

static void deliver(const uint8_t *p, ssize_t n)
{
    uv_buf_t buf = {NULL, 0};
    rd_alloc((uv_handle_t *)rd_stream, 65536, &buf);
    FUZZ_CHECK(buf.base != NULL && (n < 0 || (size_t)n <= buf.len));
    if (n > 0)
        memcpy(buf.base, p, (size_t)n);
    rd_cb(rd_stream, n, &buf); /* frees buf.base, as libuv's callers expect */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready = -1;
    if (ready < 0)
        ready = setup() == 0;
    FUZZ_CHECK(ready);
    if (size < 1)
        return 0;
    size_t chunk = data[0] & 0x80 ? 65536 : (size_t)(data[0] & 0x3f) + 1;
    bool silent = data[0] & 0x40;
    data++;
    size--;

    /* what on_connection does after accept */
    srv_conn_t *c = calloc(1, sizeof *c);
    FUZZ_CHECK(c != NULL);
    c->srv = &server;
    FUZZ_CHECK(uv_tcp_init(&loop, &c->tcp) == 0);
    FUZZ_CHECK(uv_timer_init(&loop, &c->timer) == 0);
    FUZZ_CHECK(uv_timer_init(&loop, &c->send_timer) == 0);
    c->tcp.data = c->timer.data = c->send_timer.data = c;
    c->refs = 3;
    conn_tcp = (uv_handle_t *)&c->tcp;
    conn_closed = false;
    responses = 0;
    llhttp_init(&c->parser, HTTP_REQUEST, &srv__http_settings);
    c->parser.data = c;
    c->next = server.conns;
    if (server.conns)
        server.conns->prev = c;
    server.conns = c;
    server.nconns++;
    srv__timer_set(c, ST_IDLE);
    read_start(c);

    size_t pos = 0;
    while (pos < size) {
        pump();
        if (conn_closed || !rd_cb)
            break; /* closed, or waiting for nothing we can give: the peer would time out */
        size_t n = size - pos < chunk ? size - pos : chunk;
        deliver(data + pos, (ssize_t)n);
        pos += n;
    }
    pump();
    if (!conn_closed && silent && uv_is_active((uv_handle_t *)&c->timer)) {
        /* what the loop would call once the timer expires */
        if (c->state == ST_READING)
            on_request_timeout(&c->timer);
        else
            on_timeout(&c->timer);
        pump();
    }
    if (!conn_closed && rd_cb)
        deliver(NULL, UV_EOF);
    pump();
    if (!conn_closed)
        conn_close(c); /* what the request or idle timer would do */
    pump();
    FUZZ_CHECK(server.conns == NULL && server.nconns == 0);
    FUZZ_CHECK(!work_pending && wr_head == wr_tail && !sd_pending);
    (void)responses;
    return 0;
}
