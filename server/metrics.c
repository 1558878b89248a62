/* Prometheus metrics: requests by route pattern and status, latency histograms per route,
 * open connections, record counts and index lag from the engine. */
#include "metrics.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

static const int STATUSES[] = {200, 201, 204, 400, 401, 403, 404, 405, 408,
                               409, 413, 415, 422, 429, 431, 500, 503};
#define NSTATUS (sizeof STATUSES / sizeof STATUSES[0])
static const double BUCKETS[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                 0.1,    0.25,  0.5,    1,     2.5,  5,     10};
#define NBUCKET (sizeof BUCKETS / sizeof BUCKETS[0])

typedef struct route_stats {
    uint64_t by_status[NSTATUS + 1]; /* last: any other status */
    uint64_t buckets[NBUCKET];       /* non-cumulative; summed when rendered */
    uint64_t count;
    double sum_s;
} route_stats_t;

struct srv_metrics {
    uv_mutex_t mu;
    size_t nroutes;
    size_t nlabels;        /* distinct route patterns (PUT/GET/DELETE share one) */
    const char **labels;   /* nlabels */
    size_t *label_of;      /* route index -> label index */
    route_stats_t *routes; /* nlabels + 1: the last is "unmatched" */
    long connections;
    uint64_t http_events[SRV_M__COUNT];
};

int srv_metrics_create(size_t nroutes, const char *const *names, srv_metrics_t **out)
{
    srv_metrics_t *m = calloc(1, sizeof *m);
    if (!m)
        return UV_ENOMEM;
    m->routes = calloc(nroutes + 1, sizeof *m->routes);
    m->labels = calloc(nroutes + 1, sizeof *m->labels);
    m->label_of = calloc(nroutes + 1, sizeof *m->label_of);
    int rc = !m->routes || !m->labels || !m->label_of ? UV_ENOMEM : uv_mutex_init(&m->mu);
    if (rc != 0) {
        free(m->routes);
        free(m->labels);
        free(m->label_of);
        free(m);
        return rc;
    }
    m->nroutes = nroutes;
    for (size_t i = 0; i < nroutes; i++) {
        size_t l = 0;
        while (l < m->nlabels && strcmp(m->labels[l], names[i]) != 0)
            l++;
        if (l == m->nlabels)
            m->labels[m->nlabels++] = names[i];
        m->label_of[i] = l;
    }
    m->labels[m->nlabels] = "unmatched";
    *out = m;
    return 0;
}

void srv_metrics_destroy(srv_metrics_t *m)
{
    if (!m)
        return;
    uv_mutex_destroy(&m->mu);
    free(m->labels);
    free(m->label_of);
    free(m->routes);
    free(m);
}

void srv_metrics_observe(srv_metrics_t *m, int route, int status, uint64_t duration_ns)
{
    if (!m)
        return;
    size_t r = route < 0 || (size_t)route >= m->nroutes ? m->nlabels : m->label_of[route];
    size_t si = NSTATUS;
    for (size_t i = 0; i < NSTATUS; i++)
        if (STATUSES[i] == status)
            si = i;
    double s = (double)duration_ns / 1e9;
    uv_mutex_lock(&m->mu);
    route_stats_t *rs = &m->routes[r];
    rs->by_status[si]++;
    rs->count++;
    rs->sum_s += s;
    for (size_t b = 0; b < NBUCKET; b++)
        if (s <= BUCKETS[b]) {
            rs->buckets[b]++;
            break;
        }
    uv_mutex_unlock(&m->mu);
}

void srv_metrics_connections(srv_metrics_t *m, long open)
{
    if (!m)
        return;
    uv_mutex_lock(&m->mu);
    m->connections = open;
    uv_mutex_unlock(&m->mu);
}

void srv_metrics_http(srv_metrics_t *m, int event)
{
    if (!m || event < 0 || event >= SRV_M__COUNT)
        return;
    uv_mutex_lock(&m->mu);
    m->http_events[event]++;
    uv_mutex_unlock(&m->mu);
}

typedef struct sbuf {
    char *p;
    size_t len, cap;
    bool oom;
} sbuf_t;

static void __attribute__((format(printf, 2, 3))) put(sbuf_t *b, const char *fmt, ...)
{
    if (b->oom)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->oom = true;
            return;
        }
        if ((size_t)n < b->cap - b->len) {
            b->len += (size_t)n;
            return;
        }
        size_t ncap = (b->cap + (size_t)n + 1) * 2;
        char *np = realloc(b->p, ncap);
        if (!np) {
            b->oom = true;
            return;
        }
        b->p = np;
        b->cap = ncap;
    }
}

char *srv_metrics_render(srv_metrics_t *m, const cm_engine_info_t *info, size_t *len)
{
    sbuf_t b = {malloc(16384), 0, 16384, false};
    if (!b.p)
        return NULL;
    b.p[0] = '\0';
    uv_mutex_lock(&m->mu);
    put(&b, "# HELP carematch_requests_total HTTP requests by route pattern and status.\n"
            "# TYPE carematch_requests_total counter\n");
    for (size_t r = 0; r <= m->nlabels; r++) {
        const char *name = m->labels[r];
        for (size_t i = 0; i <= NSTATUS; i++) {
            uint64_t v = m->routes[r].by_status[i];
            if (!v)
                continue;
            if (i < NSTATUS)
                put(&b, "carematch_requests_total{route=\"%s\",status=\"%d\"} %llu\n", name,
                    STATUSES[i], (unsigned long long)v);
            else
                put(&b, "carematch_requests_total{route=\"%s\",status=\"other\"} %llu\n", name,
                    (unsigned long long)v);
        }
    }
    put(&b, "# HELP carematch_request_duration_seconds Request latency by route pattern.\n"
            "# TYPE carematch_request_duration_seconds histogram\n");
    for (size_t r = 0; r <= m->nlabels; r++) {
        const char *name = m->labels[r];
        const route_stats_t *rs = &m->routes[r];
        if (!rs->count)
            continue;
        uint64_t cum = 0;
        for (size_t i = 0; i < NBUCKET; i++) {
            cum += rs->buckets[i];
            put(&b, "carematch_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
                name, BUCKETS[i], (unsigned long long)cum);
        }
        put(&b,
            "carematch_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n"
            "carematch_request_duration_seconds_sum{route=\"%s\"} %.6f\n"
            "carematch_request_duration_seconds_count{route=\"%s\"} %llu\n",
            name, (unsigned long long)rs->count, name, rs->sum_s, name,
            (unsigned long long)rs->count);
    }
    put(&b,
        "# HELP carematch_connections Open HTTP connections.\n"
        "# TYPE carematch_connections gauge\ncarematch_connections %ld\n"
        "# HELP carematch_send_timeouts_total Connections closed because their unsent output "
        "made no progress for send_timeout_ms.\n"
        "# TYPE carematch_send_timeouts_total counter\ncarematch_send_timeouts_total %llu\n"
        "# HELP carematch_output_paused_total Times a connection stopped reading requests "
        "because its unsent output passed max_unsent_bytes.\n"
        "# TYPE carematch_output_paused_total counter\ncarematch_output_paused_total %llu\n",
        m->connections, (unsigned long long)m->http_events[SRV_M_SEND_TIMEOUT],
        (unsigned long long)m->http_events[SRV_M_OUTPUT_PAUSED]);
    uv_mutex_unlock(&m->mu);
    if (info) {
        put(&b,
            "# HELP carematch_records Stored records by kind.\n"
            "# TYPE carematch_records gauge\n"
            "carematch_records{kind=\"offer\"} %llu\n"
            "carematch_records{kind=\"candidate\"} %llu\n"
            "carematch_records{kind=\"event\"} %llu\n"
            "# HELP carematch_index_lag Change-log entries written but not yet indexed.\n"
            "# TYPE carematch_index_lag gauge\ncarematch_index_lag %llu\n"
            "# HELP carematch_storage_bytes Storage map size and use.\n"
            "# TYPE carematch_storage_bytes gauge\n"
            "carematch_storage_bytes{kind=\"map_size\"} %llu\n"
            "carematch_storage_bytes{kind=\"used\"} %llu\n"
            "# HELP carematch_ready 1 when storage and index are open and caught up.\n"
            "# TYPE carematch_ready gauge\ncarematch_ready %d\n",
            (unsigned long long)info->offers, (unsigned long long)info->candidates,
            (unsigned long long)info->events,
            (unsigned long long)(info->last_seq > info->indexed_seq
                                     ? info->last_seq - info->indexed_seq
                                     : 0),
            (unsigned long long)info->map_size, (unsigned long long)info->map_used,
            info->ready ? 1 : 0);
    }
    if (b.oom) {
        free(b.p);
        return NULL;
    }
    *len = b.len;
    return b.p;
}
