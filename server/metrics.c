/* Prometheus metrics: requests by route pattern, method and status, latency histograms per
 * route and method, connections, pending requests, bulk lines, record counts, index lag and
 * storage from the engine, build info and the standard process_* series. */
#include "metrics.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "version.h"

static const int STATUSES[] = {200, 201, 204, 304, 400, 401, 403, 404, 405,
                               408, 409, 413, 415, 422, 429, 431, 500, 503};
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
    const char **labels;   /* route pattern of each route, then "unmatched" */
    const char **methods;  /* method name of each route, then "" */
    route_stats_t *routes; /* nroutes + 1: the last is "unmatched" */
    long connections, pending, parked;
    uint64_t bulk_lines[2][2]; /* [offers, candidates][accepted, rejected] */
    double start_time;         /* Unix time at creation, for process_start_time_seconds */
    uint64_t http_events[SRV_M__COUNT];
};

int srv_metrics_create(size_t nroutes, const char *const *names, const char *const *methods,
                       srv_metrics_t **out)
{
    srv_metrics_t *m = calloc(1, sizeof *m);
    if (!m)
        return UV_ENOMEM;
    m->routes = calloc(nroutes + 1, sizeof *m->routes);
    m->labels = calloc(nroutes + 1, sizeof *m->labels);
    m->methods = calloc(nroutes + 1, sizeof *m->methods);
    int rc = !m->routes || !m->labels || !m->methods ? UV_ENOMEM : uv_mutex_init(&m->mu);
    if (rc != 0) {
        free(m->routes);
        free(m->labels);
        free(m->methods);
        free(m);
        return rc;
    }
    m->nroutes = nroutes;
    for (size_t i = 0; i < nroutes; i++) {
        m->labels[i] = names[i];
        m->methods[i] = methods[i];
    }
    m->labels[nroutes] = "unmatched";
    m->methods[nroutes] = "";
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    m->start_time = (double)ts.tv_sec + ts.tv_nsec / 1e9;
    *out = m;
    return 0;
}

void srv_metrics_destroy(srv_metrics_t *m)
{
    if (!m)
        return;
    uv_mutex_destroy(&m->mu);
    free(m->labels);
    free(m->methods);
    free(m->routes);
    free(m);
}

void srv_metrics_observe(srv_metrics_t *m, int route, int status, uint64_t duration_ns)
{
    if (!m)
        return;
    size_t r = route < 0 || (size_t)route >= m->nroutes ? m->nroutes : (size_t)route;
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

/* A gauge's new value, under the lock (the one body of the gauge setters). */
static void set_gauge(srv_metrics_t *m, long *gauge, long v)
{
    uv_mutex_lock(&m->mu);
    *gauge = v;
    uv_mutex_unlock(&m->mu);
}

void srv_metrics_connections(srv_metrics_t *m, long open)
{
    if (m)
        set_gauge(m, &m->connections, open);
}

void srv_metrics_http(srv_metrics_t *m, int event)
{
    if (!m || event < 0 || event >= SRV_M__COUNT)
        return;
    uv_mutex_lock(&m->mu);
    m->http_events[event]++;
    uv_mutex_unlock(&m->mu);
}

void srv_metrics_pending(srv_metrics_t *m, long pending)
{
    if (m)
        set_gauge(m, &m->pending, pending);
}

void srv_metrics_parked(srv_metrics_t *m, long parked)
{
    if (m)
        set_gauge(m, &m->parked, parked);
}

void srv_metrics_bulk(srv_metrics_t *m, bool offers, uint64_t accepted, uint64_t rejected)
{
    if (!m)
        return;
    uv_mutex_lock(&m->mu);
    m->bulk_lines[offers ? 0 : 1][0] += accepted;
    m->bulk_lines[offers ? 0 : 1][1] += rejected;
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

/* The standard process_* series (Prometheus client conventions), from /proc/self. */
static void put_process(sbuf_t *b, double start_time)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) == 0)
        put(b,
            "# HELP process_cpu_seconds_total User and system CPU time spent in seconds.\n"
            "# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total %.3f\n",
            ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
                (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6);
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long long vsz = 0, rss = 0;
    if (f) {
        if (fscanf(f, "%llu %llu", &vsz, &rss) == 2) {
            long page = sysconf(_SC_PAGESIZE);
            put(b,
                "# HELP process_virtual_memory_bytes Virtual memory size in bytes.\n"
                "# TYPE process_virtual_memory_bytes gauge\nprocess_virtual_memory_bytes %llu\n"
                "# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
                "# TYPE process_resident_memory_bytes gauge\n"
                "process_resident_memory_bytes %llu\n",
                vsz * (unsigned long long)page, rss * (unsigned long long)page);
        }
        fclose(f);
    }
    long fds = 0;
    DIR *d = opendir("/proc/self/fd");
    if (d) {
        for (struct dirent *e; (e = readdir(d));)
            fds += e->d_name[0] != '.';
        closedir(d);
        put(b,
            "# HELP process_open_fds Number of open file descriptors.\n"
            "# TYPE process_open_fds gauge\nprocess_open_fds %ld\n",
            fds - 1); /* the directory's own */
    }
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0)
        put(b,
            "# HELP process_max_fds Maximum number of open file descriptors.\n"
            "# TYPE process_max_fds gauge\nprocess_max_fds %llu\n",
            (unsigned long long)rl.rlim_cur);
    put(b,
        "# HELP process_start_time_seconds Start time of the process since the Unix epoch.\n"
        "# TYPE process_start_time_seconds gauge\nprocess_start_time_seconds %.3f\n",
        start_time);
}

char *srv_metrics_render(srv_metrics_t *m, const cm_engine_info_t *info, size_t *len)
{
    sbuf_t b = {malloc(16384), 0, 16384, false};
    if (!b.p)
        return NULL;
    b.p[0] = '\0';
    uv_mutex_lock(&m->mu);
    put(&b, "# HELP carematch_requests_total HTTP requests by route pattern, method and status.\n"
            "# TYPE carematch_requests_total counter\n");
    for (size_t r = 0; r <= m->nroutes; r++) {
        const char *name = m->labels[r], *meth = m->methods[r];
        for (size_t i = 0; i <= NSTATUS; i++) {
            uint64_t v = m->routes[r].by_status[i];
            if (!v)
                continue;
            char st[8];
            if (i < NSTATUS)
                snprintf(st, sizeof st, "%d", STATUSES[i]);
            else
                snprintf(st, sizeof st, "other");
            put(&b, "carematch_requests_total{route=\"%s\",method=\"%s\",status=\"%s\"} %llu\n",
                name, meth, st, (unsigned long long)v);
        }
    }
    put(&b, "# HELP carematch_request_duration_seconds Request latency by route pattern and "
            "method.\n"
            "# TYPE carematch_request_duration_seconds histogram\n");
    for (size_t r = 0; r <= m->nroutes; r++) {
        const char *name = m->labels[r], *meth = m->methods[r];
        const route_stats_t *rs = &m->routes[r];
        if (!rs->count)
            continue;
        uint64_t cum = 0;
        for (size_t i = 0; i < NBUCKET; i++) {
            cum += rs->buckets[i];
            put(&b,
                "carematch_request_duration_seconds_bucket{route=\"%s\",method=\"%s\","
                "le=\"%g\"} %llu\n",
                name, meth, BUCKETS[i], (unsigned long long)cum);
        }
        put(&b,
            "carematch_request_duration_seconds_bucket{route=\"%s\",method=\"%s\",le=\"+Inf\"} "
            "%llu\n"
            "carematch_request_duration_seconds_sum{route=\"%s\",method=\"%s\"} %.6f\n"
            "carematch_request_duration_seconds_count{route=\"%s\",method=\"%s\"} %llu\n",
            name, meth, (unsigned long long)rs->count, name, meth, rs->sum_s, name, meth,
            (unsigned long long)rs->count);
    }
    put(&b,
        "# HELP carematch_bulk_lines_total Bulk import lines by kind and outcome.\n"
        "# TYPE carematch_bulk_lines_total counter\n"
        "carematch_bulk_lines_total{kind=\"offer\",outcome=\"accepted\"} %llu\n"
        "carematch_bulk_lines_total{kind=\"offer\",outcome=\"rejected\"} %llu\n"
        "carematch_bulk_lines_total{kind=\"candidate\",outcome=\"accepted\"} %llu\n"
        "carematch_bulk_lines_total{kind=\"candidate\",outcome=\"rejected\"} %llu\n"
        "# HELP carematch_pending_requests Requests queued on or running in the workers or "
        "writers.\n"
        "# TYPE carematch_pending_requests gauge\ncarematch_pending_requests %ld\n"
        "# HELP carematch_parked_requests Written requests waiting for the search index, off "
        "the workers.\n"
        "# TYPE carematch_parked_requests gauge\ncarematch_parked_requests %ld\n",
        (unsigned long long)m->bulk_lines[0][0], (unsigned long long)m->bulk_lines[0][1],
        (unsigned long long)m->bulk_lines[1][0], (unsigned long long)m->bulk_lines[1][1],
        m->pending, m->parked);
    put(&b,
        "# HELP carematch_connections Open HTTP connections.\n"
        "# TYPE carematch_connections gauge\ncarematch_connections %ld\n"
        "# HELP carematch_send_timeouts_total Connections closed because their unsent output "
        "made no progress for send_timeout_ms.\n"
        "# TYPE carematch_send_timeouts_total counter\ncarematch_send_timeouts_total %llu\n"
        "# HELP carematch_output_paused_total Times a connection stopped reading requests "
        "because its unsent output passed max_unsent_bytes.\n"
        "# TYPE carematch_output_paused_total counter\ncarematch_output_paused_total %llu\n"
        "# HELP carematch_accept_errors_total Connections that could not be accepted (out of "
        "file descriptors or memory): raise the descriptor limit or lower max_connections.\n"
        "# TYPE carematch_accept_errors_total counter\ncarematch_accept_errors_total %llu\n",
        m->connections, (unsigned long long)m->http_events[SRV_M_SEND_TIMEOUT],
        (unsigned long long)m->http_events[SRV_M_OUTPUT_PAUSED],
        (unsigned long long)m->http_events[SRV_M_ACCEPT_FAILED]);
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
            "# HELP carematch_storage_map_size_bytes Storage map size (the most it can hold).\n"
            "# TYPE carematch_storage_map_size_bytes gauge\ncarematch_storage_map_size_bytes %llu\n"
            "# HELP carematch_storage_used_bytes Storage pages in use.\n"
            "# TYPE carematch_storage_used_bytes gauge\ncarematch_storage_used_bytes %llu\n"
            "# HELP carematch_index_commit_seconds Index commits by the writer thread (a batch "
            "of changes becoming searchable).\n"
            "# TYPE carematch_index_commit_seconds summary\n"
            "carematch_index_commit_seconds_sum %.6f\ncarematch_index_commit_seconds_count %llu\n"
            "# HELP carematch_searches_total Offer searches by what answered the radius and "
            "filters "
            "(catalog: in memory, radius searches; index: Xapian's own filters, the others and "
            "radius searches while the catalog maps a new index).\n"
            "# TYPE carematch_searches_total counter\n"
            "carematch_searches_total{by=\"catalog\"} %llu\ncarematch_searches_total{by=\"index\"} "
            "%llu\n"
            "# HELP carematch_searches_text_ranked_total Text searches by the catalog whose words "
            "the "
            "engine ranked over the catalog's set itself (Xapian's BM25, postings read once).\n"
            "# TYPE carematch_searches_text_ranked_total "
            "counter\ncarematch_searches_text_ranked_total %llu\n"
            "# HELP carematch_single_puts_total Single record writes (PUT) since start.\n"
            "# TYPE carematch_single_puts_total counter\ncarematch_single_puts_total %llu\n"
            "# HELP carematch_single_put_commits_total Storage commits (one fsync each) that made "
            "the "
            "single puts durable: concurrent puts share one.\n"
            "# TYPE carematch_single_put_commits_total counter\ncarematch_single_put_commits_total "
            "%llu\n"
            "# HELP carematch_index_documents_prebuilt_total Offers' index documents built ahead "
            "of the index writer by its builder threads (imports, bulk writes).\n"
            "# TYPE carematch_index_documents_prebuilt_total counter\n"
            "carematch_index_documents_prebuilt_total %llu\n"
            "# HELP carematch_catalog_snapshot_changes_behind Storage changes since the catalog "
            "snapshot kept for a start after a crash (what that start replays); -1: none kept "
            "(it rebuilds the catalog).\n"
            "# TYPE carematch_catalog_snapshot_changes_behind gauge\n"
            "carematch_catalog_snapshot_changes_behind %lld\n"
            "# HELP carematch_catalog_checkpoints_total Catalog snapshots written again while "
            "the store changed (catalog_snapshot_interval_s).\n"
            "# TYPE carematch_catalog_checkpoints_total counter\n"
            "carematch_catalog_checkpoints_total %llu\n"
            "# HELP carematch_ready 1 when storage and index are open and caught up.\n"
            "# TYPE carematch_ready gauge\ncarematch_ready %d\n",
            (unsigned long long)info->offers, (unsigned long long)info->candidates,
            (unsigned long long)info->events,
            (unsigned long long)(info->last_seq > info->indexed_seq
                                     ? info->last_seq - info->indexed_seq
                                     : 0),
            (unsigned long long)info->map_size, (unsigned long long)info->map_used,
            info->index_commit_seconds, (unsigned long long)info->index_commits,
            (unsigned long long)info->searches_by_catalog,
            (unsigned long long)info->searches_by_index,
            (unsigned long long)info->searches_text_ranked, (unsigned long long)info->single_puts,
            (unsigned long long)info->single_put_commits,
            (unsigned long long)info->index_docs_prebuilt,
            info->catalog_snapshot_kept
                ? (long long)(info->last_seq > info->catalog_snapshot_seq
                                  ? info->last_seq - info->catalog_snapshot_seq
                                  : 0)
                : -1LL,
            (unsigned long long)info->catalog_checkpoints, info->ready ? 1 : 0);
    }
    put(&b,
        "# HELP carematch_build_info Version of the running server.\n"
        "# TYPE carematch_build_info gauge\n"
        "carematch_build_info{version=\"%s\",commit=\"%s\"} 1\n",
        CM_VERSION, CM_COMMIT);
    put_process(&b, m->start_time);
    if (b.oom) {
        free(b.p);
        return NULL;
    }
    *len = b.len;
    return b.p;
}
