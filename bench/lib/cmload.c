/* cmload: HTTP/1.1 keep-alive load generator on libuv for bench/run. Closed loop (--rate 0) or
 * fixed request rate, where latency is measured from each request's scheduled send time so a
 * stalled server cannot hide its queue (no coordinated omission). Prints one JSON line.
 *
 * usage: cmload --port P --requests FILE [--host 127.0.0.1] [--conns 8] [--rate R]
 *               [--duration 5] [--warmup 1] [--key API_KEY]
 * FILE: one request a line, "METHOD<TAB>PATH[<TAB>BODY]" (bench/lib/mkreqs.py writes them). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <llhttp.h>
#include <uv.h>

typedef struct req_buf {
    char *data;
    size_t len;
} req_buf_t;

typedef struct conn {
    uv_tcp_t tcp;
    uv_timer_t timer;
    uv_connect_t connect_req;
    uv_write_t write_req;
    llhttp_t parser;
    uint64_t intended; /* scheduled send time (ns); the send time in closed loop */
    uint64_t sent;
    int status;
    int busy;    /* a request is in flight */
    int closing; /* tcp handle closing; timer stays */
    int alive;   /* counted in n_alive until both handles are closed */
    char rbuf[65536];
} conn_t;

static struct {
    const char *host, *path, *key;
    int port, conns;
    double rate, duration, warmup;
    req_buf_t *reqs;
    size_t n_reqs, next_req;
    uint64_t t0, t_measure, t_end, t_drain, interval;
    uint64_t slot;
    uint32_t *lat_us; /* latencies inside the measured window */
    size_t n_lat, cap_lat;
    uint64_t ok, non2xx, errors, reconnects, bytes;
    uint64_t done_in_window; /* answered before the end: below rate x duration = saturated */
    uint64_t status_count[6];
    struct sockaddr_in addr;
    llhttp_settings_t settings;
    int n_open;
    uv_loop_t *loop;
    uv_timer_t stopper;
} g;

static void conn_schedule(conn_t *c);
static void conn_start(conn_t *c);

static int record(uint64_t us)
{
    if (g.n_lat == g.cap_lat) {
        size_t cap = g.cap_lat ? g.cap_lat * 2 : 65536;
        uint32_t *p = realloc(g.lat_us, cap * sizeof *p);
        if (!p)
            return -1;
        g.lat_us = p;
        g.cap_lat = cap;
    }
    g.lat_us[g.n_lat++] = us > UINT32_MAX ? UINT32_MAX : (uint32_t)us;
    return 0;
}

static int on_headers_complete(llhttp_t *p)
{
    conn_t *c = p->data;
    c->status = (int)llhttp_get_status_code(p);
    return 0;
}

static int on_message_complete(llhttp_t *p)
{
    conn_t *c = p->data;
    uint64_t now = uv_hrtime();
    /* From the scheduled time, or from the actual send when the timer fired early. */
    uint64_t from = c->intended < c->sent ? c->intended : c->sent;
    c->busy = 0;
    if (c->intended >= g.t_measure && c->intended < g.t_end) {
        if (record((now - from) / 1000) != 0)
            return -1;
        if (now < g.t_end)
            g.done_in_window++;
        if (c->status >= 200 && c->status < 300)
            g.ok++;
        else
            g.non2xx++;
        int k = c->status / 100;
        if (k >= 1 && k <= 5)
            g.status_count[k]++;
    }
    /* Schedule after the parser has returned: sending from inside it would be re-entrant. */
    return HPE_PAUSED;
}

static void on_close(uv_handle_t *h)
{
    conn_t *c = h->data;
    if (--c->alive == 0)
        g.n_open--;
}

static void conn_shutdown(conn_t *c)
{
    if (c->closing)
        return;
    c->closing = 1;
    uv_timer_stop(&c->timer);
    uv_close((uv_handle_t *)&c->tcp, on_close);
    uv_close((uv_handle_t *)&c->timer, on_close);
}

static void on_reconnect_timer(uv_timer_t *t)
{
    conn_start(t->data);
}

/* A short pause before reconnecting, so a dead server is not hammered with connects. */
static void on_tcp_closed_reconnect(uv_handle_t *h)
{
    conn_t *c = h->data;
    c->busy = 0;
    c->closing = 0;
    if (uv_timer_start(&c->timer, on_reconnect_timer, 20, 0) != 0)
        conn_shutdown(c);
}

/* A broken connection: count the error (and the request in flight) and open a new one. */
static void conn_fail(conn_t *c)
{
    uint64_t now = uv_hrtime();
    if (c->busy && c->intended >= g.t_measure && c->intended < g.t_end)
        g.errors++;
    else if (!c->busy && now >= g.t_measure && now < g.t_end)
        g.errors++;
    if (c->closing)
        return;
    c->closing = 1;
    uv_timer_stop(&c->timer);
    if (now >= g.t_end) {
        uv_close((uv_handle_t *)&c->tcp, on_close);
        uv_close((uv_handle_t *)&c->timer, on_close);
        return;
    }
    g.reconnects++;
    uv_close((uv_handle_t *)&c->tcp, on_tcp_closed_reconnect);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    conn_t *c = h->data;
    (void)suggested;
    *buf = uv_buf_init(c->rbuf, sizeof c->rbuf);
}

static void on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
    conn_t *c = s->data;
    if (n < 0) {
        conn_fail(c);
        return;
    }
    g.bytes += (uint64_t)n;
    const char *p = buf->base;
    size_t left = (size_t)n;
    while (left > 0) {
        llhttp_errno_t e = llhttp_execute(&c->parser, p, left);
        if (e == HPE_OK)
            break;
        if (e != HPE_PAUSED) {
            fprintf(stderr, "cmload: bad response: %s\n", llhttp_errno_name(e));
            conn_fail(c);
            return;
        }
        /* One response done: the bytes after it (none without pipelining) are parsed next. */
        const char *stop = llhttp_get_error_pos(&c->parser);
        left -= (size_t)(stop - p);
        p = stop;
        llhttp_resume(&c->parser);
        conn_schedule(c);
        if (c->closing)
            return;
    }
}

static void on_write(uv_write_t *w, int status)
{
    conn_t *c = w->data;
    if (status < 0 && status != UV_ECANCELED)
        conn_fail(c);
}

static void conn_send(conn_t *c)
{
    req_buf_t *r = &g.reqs[g.next_req++ % g.n_reqs];
    uv_buf_t b = uv_buf_init(r->data, (unsigned)r->len);
    c->busy = 1;
    c->status = 0;
    c->sent = uv_hrtime();
    c->write_req.data = c;
    /* The buffer belongs to the request table, alive until the loop ends. */
    if (uv_write(&c->write_req, (uv_stream_t *)&c->tcp, &b, 1, on_write) != 0)
        conn_fail(c);
}

static void on_timer(uv_timer_t *t)
{
    conn_t *c = t->data;
    if (!c->closing)
        conn_send(c);
}

/* Idle connection: take the next slot of the global schedule (or send now in closed loop). */
static void conn_schedule(conn_t *c)
{
    uint64_t now = uv_hrtime();
    if (c->busy || c->closing)
        return;
    if (now >= g.t_end) {
        conn_shutdown(c);
        return;
    }
    if (g.interval == 0) {
        c->intended = now;
        conn_send(c);
        return;
    }
    c->intended = g.t0 + g.slot++ * g.interval;
    if (c->intended >= g.t_end) {
        conn_shutdown(c);
        return;
    }
    if (c->intended > now + 1000000) {
        /* libuv timers have millisecond granularity: round down, and measure from the earlier
         * of intended and actual send so an early send never shortens a latency. */
        uint64_t ms = (c->intended - now) / 1000000;
        c->busy = 0;
        if (uv_timer_start(&c->timer, on_timer, ms, 0) != 0)
            conn_fail(c);
        return;
    }
    conn_send(c);
}

static void on_connect(uv_connect_t *cr, int status)
{
    conn_t *c = cr->data;
    if (status < 0) {
        static int warned;
        if (!warned++)
            fprintf(stderr, "cmload: connect: %s\n", uv_strerror(status));
        conn_fail(c);
        return;
    }
    if (uv_tcp_nodelay(&c->tcp, 1) != 0 ||
        uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read) != 0) {
        conn_fail(c);
        return;
    }
    llhttp_init(&c->parser, HTTP_RESPONSE, &g.settings);
    c->parser.data = c;
    conn_schedule(c);
}

static void conn_start(conn_t *c)
{
    if (uv_hrtime() >= g.t_end) {
        c->closing = 1;
        uv_close((uv_handle_t *)&c->timer, on_close);
        c->alive--; /* the tcp handle is already closed */
        return;
    }
    if (uv_tcp_init(g.loop, &c->tcp) != 0) {
        g.errors++;
        return;
    }
    c->tcp.data = c;
    c->connect_req.data = c;
    if (uv_tcp_connect(&c->connect_req, &c->tcp, (const struct sockaddr *)&g.addr, on_connect) != 0)
        conn_fail(c);
}

/* After the end: connections still waiting for a reply past the drain deadline are errors. */
static void on_stop(uv_timer_t *t)
{
    conn_t *cs = t->data;
    for (int i = 0; i < g.conns; i++) {
        if (!cs[i].closing) {
            if (cs[i].busy && cs[i].intended >= g.t_measure && cs[i].intended < g.t_end)
                g.errors++;
            conn_shutdown(&cs[i]);
        }
    }
    uv_close((uv_handle_t *)t, NULL);
}

static int load_requests(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "cmload: %s: %s\n", path, strerror(errno));
        return -1;
    }
    char *line = NULL;
    size_t cap = 0, n = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, f)) > 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        char *tab1 = strchr(line, '\t');
        if (!tab1)
            continue;
        *tab1 = '\0';
        char *target = tab1 + 1, *body = strchr(target, '\t');
        if (body)
            *body++ = '\0';
        size_t blen = body ? strlen(body) : 0;
        size_t need = strlen(line) + strlen(target) + strlen(g.host) + strlen(g.key) + blen + 200;
        char *out = malloc(need);
        if (!out)
            goto fail;
        int w;
        if (body)
            w = snprintf(out, need,
                         "%s %s HTTP/1.1\r\nHost: %s:%d\r\nAuthorization: Bearer %s\r\n"
                         "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                         line, target, g.host, g.port, g.key, blen, body);
        else
            w = snprintf(out, need,
                         "%s %s HTTP/1.1\r\nHost: %s:%d\r\nAuthorization: Bearer %s\r\n\r\n", line,
                         target, g.host, g.port, g.key);
        if (w < 0 || (size_t)w >= need) {
            free(out);
            goto fail;
        }
        if (n == g.n_reqs) {
            size_t ncap = n ? n * 2 : 1024;
            req_buf_t *p = realloc(g.reqs, ncap * sizeof *p);
            if (!p) {
                free(out);
                goto fail;
            }
            g.reqs = p;
            memset(g.reqs + n, 0, (ncap - n) * sizeof *p);
            g.n_reqs = ncap;
        }
        g.reqs[n].data = out;
        g.reqs[n].len = (size_t)w;
        n++;
    }
    free(line);
    fclose(f);
    g.n_reqs = n;
    if (n == 0) {
        fprintf(stderr, "cmload: no request in %s\n", path);
        return -1;
    }
    return 0;
fail:
    free(line);
    fclose(f);
    fprintf(stderr, "cmload: out of memory reading %s\n", path);
    return -1;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static double pct(double q)
{
    if (g.n_lat == 0)
        return 0;
    size_t i = (size_t)(q * (double)(g.n_lat - 1) + 0.5);
    return g.lat_us[i] / 1000.0;
}

static void usage(void)
{
    fputs("usage: cmload --port P --requests FILE [--host 127.0.0.1] [--conns 8] [--rate R]\n"
          "              [--duration 5] [--warmup 1] [--key API_KEY]\n"
          "--rate 0 (default): closed loop, as fast as replies come. --rate R: R requests/s in\n"
          "all, latency measured from each request's scheduled time.\n",
          stderr);
}

int main(int argc, char **argv)
{
    g.host = "127.0.0.1";
    g.key = "";
    g.conns = 8;
    g.duration = 5;
    g.warmup = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v) {
            usage();
            return 2;
        }
        if (strcmp(a, "--host") == 0)
            g.host = v;
        else if (strcmp(a, "--port") == 0)
            g.port = atoi(v);
        else if (strcmp(a, "--requests") == 0)
            g.path = v;
        else if (strcmp(a, "--key") == 0)
            g.key = v;
        else if (strcmp(a, "--conns") == 0)
            g.conns = atoi(v);
        else if (strcmp(a, "--rate") == 0)
            g.rate = atof(v);
        else if (strcmp(a, "--duration") == 0)
            g.duration = atof(v);
        else if (strcmp(a, "--warmup") == 0)
            g.warmup = atof(v);
        else {
            usage();
            return 2;
        }
        i++;
    }
    if (!g.path || g.port <= 0 || g.port > 65535 || g.conns < 1 || g.conns > 4096 || g.rate < 0 ||
        g.duration <= 0 || g.warmup < 0) {
        usage();
        return 2;
    }
    if (uv_ip4_addr(g.host, g.port, &g.addr) != 0) {
        fprintf(stderr, "cmload: bad address %s\n", g.host);
        return 2;
    }
    if (load_requests(g.path) != 0)
        return 1;
    llhttp_settings_init(&g.settings);
    g.settings.on_headers_complete = on_headers_complete;
    g.settings.on_message_complete = on_message_complete;

    g.loop = uv_default_loop();
    conn_t *cs = calloc((size_t)g.conns, sizeof *cs);
    if (!cs) {
        fprintf(stderr, "cmload: out of memory\n");
        return 1;
    }
    g.t0 = uv_hrtime();
    g.t_measure = g.t0 + (uint64_t)(g.warmup * 1e9);
    g.t_end = g.t_measure + (uint64_t)(g.duration * 1e9);
    g.interval = g.rate > 0 ? (uint64_t)(1e9 / g.rate) : 0;
    for (int i = 0; i < g.conns; i++) {
        conn_t *c = &cs[i];
        if (uv_timer_init(g.loop, &c->timer) != 0) {
            fprintf(stderr, "cmload: timer init failed\n");
            return 1;
        }
        c->timer.data = c;
        c->alive = 2;
        g.n_open++;
        conn_start(c);
    }
    /* Replies still due 10 s after the end are counted as errors rather than waited for. */
    if (uv_timer_init(g.loop, &g.stopper) != 0 ||
        uv_timer_start(&g.stopper, on_stop, (uint64_t)((g.warmup + g.duration) * 1000) + 10000,
                       0) != 0)
        return 1;
    g.stopper.data = cs;
    uv_unref((uv_handle_t *)&g.stopper);
    uv_run(g.loop, UV_RUN_DEFAULT);
    if (!uv_is_closing((uv_handle_t *)&g.stopper))
        uv_close((uv_handle_t *)&g.stopper, NULL);
    uv_run(g.loop, UV_RUN_DEFAULT);

    qsort(g.lat_us, g.n_lat, sizeof *g.lat_us, cmp_u32);
    double sum = 0;
    for (size_t i = 0; i < g.n_lat; i++)
        sum += g.lat_us[i];
    printf("{\"conns\":%d,\"rate\":%.1f,\"duration_s\":%.3f,\"requests\":%zu,\"rps\":%.1f,"
           "\"achieved_rps\":%.1f,"
           "\"ok\":%llu,\"non2xx\":%llu,\"errors\":%llu,\"reconnects\":%llu,"
           "\"status\":{\"1xx\":%llu,\"2xx\":%llu,\"3xx\":%llu,\"4xx\":%llu,\"5xx\":%llu},"
           "\"mean_ms\":%.3f,\"p50_ms\":%.3f,\"p90_ms\":%.3f,\"p99_ms\":%.3f,\"p999_ms\":%.3f,"
           "\"max_ms\":%.3f,\"bytes\":%llu}\n",
           g.conns, g.rate, g.duration, g.n_lat, g.n_lat / g.duration,
           g.done_in_window / g.duration, (unsigned long long)g.ok, (unsigned long long)g.non2xx,
           (unsigned long long)g.errors, (unsigned long long)g.reconnects,
           (unsigned long long)g.status_count[1], (unsigned long long)g.status_count[2],
           (unsigned long long)g.status_count[3], (unsigned long long)g.status_count[4],
           (unsigned long long)g.status_count[5], g.n_lat ? sum / g.n_lat / 1000.0 : 0.0, pct(0.50),
           pct(0.90), pct(0.99), pct(0.999), g.n_lat ? g.lat_us[g.n_lat - 1] / 1000.0 : 0.0,
           (unsigned long long)g.bytes);
    for (size_t i = 0; i < g.n_reqs; i++)
        free(g.reqs[i].data);
    free(g.reqs);
    free(g.lat_us);
    free(cs);
    return uv_loop_close(g.loop) == 0 ? 0 : 1;
}
