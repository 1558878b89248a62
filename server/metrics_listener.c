/* The keyless metrics listener (metrics_listener.h): one request per connection, read up to
 * the end of its head (at most 8 KiB, within 5 s), answered with the metrics text or a JSON
 * error (404 another path, 405 another method than GET and HEAD), then
 * closed. Deliberately small: it parses only the request line. */
#include "metrics_listener.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "log.h"

#define HEAD_MAX 8192
#define CONN_TIMEOUT_MS 5000
#define CONNS_MAX 16

struct srv_metrics_listener {
    uv_tcp_t tcp;
    srv_metrics_t *metrics;
    cm_engine_t *const *engine;
    int conns;
    bool inited, stopped;
    char bound[128];
};

typedef struct mconn {
    uv_tcp_t tcp;
    uv_timer_t timer;
    uv_write_t wr;
    srv_metrics_listener_t *l;
    char head[HEAD_MAX];
    size_t len;
    char *out;
    int handles; /* tcp + timer still to close */
    bool answered;
} mconn_t;

static void on_conn_closed(uv_handle_t *h)
{
    mconn_t *c = h->data;
    if (--c->handles == 0) {
        c->l->conns--;
        free(c->out);
        free(c);
    }
}

static void conn_close(mconn_t *c)
{
    if (!uv_is_closing((uv_handle_t *)&c->tcp)) {
        uv_close((uv_handle_t *)&c->tcp, on_conn_closed);
        uv_close((uv_handle_t *)&c->timer, on_conn_closed);
    }
}

static void on_timeout(uv_timer_t *t)
{
    conn_close(t->data);
}

static void on_written(uv_write_t *w, int status)
{
    (void)status;
    conn_close(w->data);
}

static void alloc_cb(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    (void)suggested;
    mconn_t *c = h->data;
    *buf = uv_buf_init(c->head + c->len, (unsigned)(HEAD_MAX - c->len));
}

/* The request line's method and path (query left out). */
static void request_line(const char *head, char method[8], char path[32])
{
    size_t m = strcspn(head, " \r\n");
    snprintf(method, 8, "%.*s", (int)(m < 7 ? m : 7), head);
    const char *t = head[m] == ' ' ? head + m + 1 : head + m;
    size_t n = strcspn(t, " ?\r\n");
    snprintf(path, 32, "%.*s", (int)(n < 31 ? n : 31), t);
}

static void answer(mconn_t *c)
{
    c->answered = true;
    uv_read_stop((uv_stream_t *)&c->tcp);
    char method[8], path[32];
    request_line(c->head, method, path);
    bool at_metrics = strcmp(path, "/metrics") == 0;
    bool head = strcmp(method, "HEAD") == 0;
    bool metrics = at_metrics && (head || strcmp(method, "GET") == 0);
    size_t blen = 0;
    char *body = NULL;
    if (metrics) {
        cm_engine_info_t info;
        memset(&info, 0, sizeof info);
        cm_engine_t *e = *c->l->engine;
        bool have = e && cm_engine_info(e, &info) == 0;
        body = srv_metrics_render(c->l->metrics, have ? &info : NULL, &blen);
    }
    /* errors in the API's shape, as on the main port */
    const char *status = body         ? "200 OK"
                         : metrics    ? "500 Internal Server Error"
                         : at_metrics ? "405 Method Not Allowed"
                                      : "404 Not Found";
    const char *text =
        body         ? body
        : metrics    ? "{\"error\":{\"code\":\"internal\",\"message\":\"metrics unavailable\"}}"
        : at_metrics ? "{\"error\":{\"code\":\"method_not_allowed\",\"message\":\"/metrics "
                       "answers GET and HEAD only\"}}"
                     : "{\"error\":{\"code\":\"not_found\",\"message\":\"this port serves GET "
                       "/metrics only\"}}";
    if (!body)
        blen = strlen(text);
    char hdr[256];
    int hl =
        snprintf(hdr, sizeof hdr,
                 "HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n%s"
                 "Connection: close\r\n\r\n",
                 status, body ? "text/plain; version=0.0.4; charset=utf-8" : "application/json",
                 blen, at_metrics && !metrics ? "Allow: GET, HEAD\r\n" : "");
    size_t send = head ? 0 : blen;
    c->out = malloc((size_t)hl + send + 1);
    if (!c->out) {
        free(body);
        conn_close(c);
        return;
    }
    memcpy(c->out, hdr, (size_t)hl);
    memcpy(c->out + hl, text, send);
    free(body);
    uv_buf_t b = uv_buf_init(c->out, (unsigned)((size_t)hl + send));
    c->wr.data = c;
    if (uv_write(&c->wr, (uv_stream_t *)&c->tcp, &b, 1, on_written) != 0)
        conn_close(c);
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
    (void)buf;
    mconn_t *c = s->data;
    if (nread < 0) {
        conn_close(c);
        return;
    }
    c->len += (size_t)nread;
    if (c->answered)
        return;
    if (memmem(c->head, c->len, "\r\n\r\n", 4) || memmem(c->head, c->len, "\n\n", 2))
        answer(c);
    else if (c->len == HEAD_MAX)
        conn_close(c); /* a head this large is not a scraper */
}

static void on_connection(uv_stream_t *server, int status)
{
    srv_metrics_listener_t *l = server->data;
    if (status != 0 || l->stopped)
        return;
    mconn_t *c = calloc(1, sizeof *c);
    if (!c)
        return;
    c->l = l;
    c->tcp.data = c->timer.data = c;
    if (uv_tcp_init(server->loop, &c->tcp) != 0) {
        free(c);
        return;
    }
    uv_timer_init(server->loop, &c->timer);
    c->handles = 2;
    l->conns++;
    if (uv_accept(server, (uv_stream_t *)&c->tcp) != 0 || l->conns > CONNS_MAX) {
        conn_close(c);
        return;
    }
    uv_timer_start(&c->timer, on_timeout, CONN_TIMEOUT_MS, 0);
    if (uv_read_start((uv_stream_t *)&c->tcp, alloc_cb, on_read) != 0)
        conn_close(c);
}

int srv_metrics_listener_start(uv_loop_t *loop, const char *addr, srv_metrics_t *metrics,
                               cm_engine_t *const *engine, srv_metrics_listener_t **out,
                               char *errbuf, size_t n)
{
    srv_metrics_listener_t *l = calloc(1, sizeof *l);
    if (!l)
        return UV_ENOMEM;
    l->metrics = metrics;
    l->engine = engine;
    l->tcp.data = l;
    int rc = uv_tcp_init(loop, &l->tcp);
    l->inited = rc == 0;
    if (rc == 0)
        rc =
            srv_addr_listen(&l->tcp, addr, 64, on_connection, l->bound, sizeof l->bound, errbuf, n);
    *out = l; /* stop/free release it even on failure */
    if (rc == 0)
        srv_log("info", "metrics without a key on %s (GET /metrics)", l->bound);
    return rc;
}

static void on_listener_closed(uv_handle_t *h)
{
    (void)h;
}

void srv_metrics_listener_stop(srv_metrics_listener_t *l)
{
    if (!l || l->stopped)
        return;
    l->stopped = true;
    if (l->inited && !uv_is_closing((uv_handle_t *)&l->tcp))
        uv_close((uv_handle_t *)&l->tcp, on_listener_closed);
}

void srv_metrics_listener_free(srv_metrics_listener_t *l)
{
    free(l);
}
