/* carematchd: the carematch HTTP server. Flags and environment, start-up (limits, keys,
 * engine, listener), signals, and orderly shutdown. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include <uv.h>

#include <llhttp.h>

#include "auth.h"
#include "carematch/referential.h"
#include "config.h"
#include "http.h"
#include "log.h"
#include "metrics.h"
#include "metrics_listener.h"
#include "router.h"
#include "version.h"

#define SRV_ROUTES_MAX 64 /* route labels the metrics keep */

static srv_server_t server;
static uv_signal_t sig_term, sig_int, sig_hup;
static srv_metrics_listener_t *metrics_listener;

/* Key sets replaced by SIGHUP: requests in flight may still point at their keys, so they are
 * kept until exit (a few kilobytes per reload). */
static srv_keys_t *retired_keys[64];
static size_t n_retired;
static const char *keys_path;

static void usage(FILE *f)
{
    fprintf(f, "usage: carematchd --data DIR [--listen HOST:PORT] [--keys FILE] [--config FILE]\n"
               "                 [--scoring FILE] [--metrics-listen HOST:PORT]\n"
               "                 [--cors-origins ORIGIN,...]\n"
               "       carematchd --version\n"
               "  environment: CAREMATCH_DATA CAREMATCH_LISTEN CAREMATCH_KEYS CAREMATCH_CONFIG\n"
               "               CAREMATCH_SCORING CAREMATCH_METRICS_LISTEN CAREMATCH_CORS_ORIGINS\n"
               "  --listen defaults to 127.0.0.1:8080; port 0 picks a free port; HOST is an\n"
               "               IPv4 address, [IPv6] or localhost (0.0.0.0: every interface)\n"
               "  --metrics-listen: a second port serving GET /metrics without a key (keep it\n"
               "               on loopback or a private address)\n"
               "  --cors-origins: browser origins allowed to call the API with a portal key\n"
               "               (\"https://portal.example.fr\", or \"*\"); none by default\n"
               "  signals: SIGTERM/SIGINT stop gracefully; SIGHUP reloads the keys file\n");
}

static void on_signal_closed(uv_handle_t *h)
{
    (void)h;
}

static void stop_all(void)
{
    srv_server_stop(&server);
    srv_metrics_listener_stop(metrics_listener);
    uv_close((uv_handle_t *)&sig_term, on_signal_closed);
    uv_close((uv_handle_t *)&sig_int, on_signal_closed);
    uv_close((uv_handle_t *)&sig_hup, on_signal_closed);
}

/* A second SIGTERM/SIGINT while stopping: at once, said (async-signal-safe: a fixed line and
 * _exit). Answered writes are durable; in-flight requests get no answer and the catalog
 * snapshot is not written (the next start rebuilds it). */
static void put_digits(char *p, unsigned v, int n)
{
    for (int i = n - 1; i >= 0; i--, v /= 10)
        p[i] = (char)('0' + v % 10);
}

static void on_second_signal(int signum)
{
    (void)signum;
    /* the log's "ts", written by hand: gmtime and printf are not async-signal-safe */
    char line[] = "{\"ts\":\"0000-00-00T00:00:00.000Z\",\"level\":\"warn\",\"event\":\"stop_now\","
                  "\"msg\":\"second signal: stopping at once (answered writes are durable; "
                  "in-flight requests dropped; no catalog snapshot)\"}\n";
    struct timespec ts;
    if (clock_gettime(CLOCK_REALTIME, &ts) == 0 && ts.tv_sec >= 0) {
        long long z = ts.tv_sec / 86400 + 719468; /* days to a civil date (H. Hinnant) */
        long long era = z / 146097, doe = z - era * 146097;
        long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
        unsigned d = (unsigned)(doy - (153 * mp + 2) / 5 + 1),
                 m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
        unsigned y = (unsigned)(yoe + era * 400 + (m <= 2)), sod = (unsigned)(ts.tv_sec % 86400);
        char *t = line + 7;
        put_digits(t, y, 4);
        put_digits(t + 5, m, 2);
        put_digits(t + 8, d, 2);
        put_digits(t + 11, sod / 3600, 2);
        put_digits(t + 14, sod / 60 % 60, 2);
        put_digits(t + 17, sod % 60, 2);
        put_digits(t + 20, (unsigned)(ts.tv_nsec / 1000000), 3);
    }
    ssize_t w = write(STDERR_FILENO, line, sizeof line - 1);
    (void)w;
    _exit(1);
}

static void on_signal(uv_signal_t *h, int signum)
{
    (void)h;
    srv_log("info",
            "signal %d: stopping (in-flight requests finish; a second signal stops at "
            "once)",
            signum);
    stop_all(); /* closes the loop's signal handles: libuv gives the signals back */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_second_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
}

/* SIGHUP: read the keys file again; new requests use the new keys, connections stay open.
 * A file that does not load leaves the current keys in place. */
static void on_hup(uv_signal_t *h, int signum)
{
    (void)h;
    (void)signum;
    char msg[512];
    srv_keys_t *nk = NULL;
    if (!keys_path) {
        srv_log("warn", "SIGHUP: no keys file to reload (started without --keys)");
        return;
    }
    if (n_retired == sizeof retired_keys / sizeof retired_keys[0]) {
        srv_log("error", "SIGHUP: keys reloaded %zu times since start; restart to reload again",
                n_retired);
        return;
    }
    if (srv_keys_load(keys_path, &nk, msg, sizeof msg) != 0) {
        srv_log("error", "SIGHUP: keys file not reloaded, current keys kept: %s", msg);
        return;
    }
    retired_keys[n_retired++] = server.keys;
    server.keys = nk;
    srv_log("info", "SIGHUP: keys reloaded from %s (%zu keys)", keys_path, nk->n);
    if (nk->warning[0])
        srv_log("warn", "keys: %s", nk->warning);
}

/* Many keep-alive clients need many descriptors: take the hard limit. */
static void raise_nofile(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
            srv_log("warn", "cannot raise RLIMIT_NOFILE");
    }
}

static const char *opt_or_env(const char *opt, const char *env)
{
    if (opt)
        return opt;
    const char *v = getenv(env);
    return v && *v ? v : NULL;
}

/* What the command line and the environment say. */
typedef struct flags {
    const char *data, *listen, *keys, *config, *scoring, *metrics_listen, *cors_origins;
} flags_t;

/* Returns -1 to go on, else the exit status (0 after --help, 2 on a usage error). */
static int parse_flags(int argc, char **argv, flags_t *f)
{
    memset(f, 0, sizeof *f);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = NULL;
        if (strcmp(a, "--data") == 0)
            slot = &f->data;
        else if (strcmp(a, "--listen") == 0)
            slot = &f->listen;
        else if (strcmp(a, "--keys") == 0)
            slot = &f->keys;
        else if (strcmp(a, "--config") == 0)
            slot = &f->config;
        else if (strcmp(a, "--scoring") == 0)
            slot = &f->scoring;
        else if (strcmp(a, "--metrics-listen") == 0)
            slot = &f->metrics_listen;
        else if (strcmp(a, "--cors-origins") == 0)
            slot = &f->cors_origins;
        else if (strcmp(a, "--version") == 0) {
            printf("carematchd %s (commit %s, libuv %s)\n", CM_VERSION, CM_COMMIT,
                   uv_version_string());
            return 0;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        }
        if (!slot || i + 1 >= argc) {
            usage(stderr);
            return 2;
        }
        *slot = argv[++i];
    }
    f->data = opt_or_env(f->data, "CAREMATCH_DATA");
    f->listen = opt_or_env(f->listen, "CAREMATCH_LISTEN");
    f->keys = opt_or_env(f->keys, "CAREMATCH_KEYS");
    f->config = opt_or_env(f->config, "CAREMATCH_CONFIG");
    f->scoring = opt_or_env(f->scoring, "CAREMATCH_SCORING");
    f->metrics_listen = opt_or_env(f->metrics_listen, "CAREMATCH_METRICS_LISTEN");
    f->cors_origins = opt_or_env(f->cors_origins, "CAREMATCH_CORS_ORIGINS");
    if (!f->listen)
        f->listen = "127.0.0.1:8080";
    if (!f->data) {
        usage(stderr);
        return 2;
    }
    return -1;
}

/* Limits and tunables, then what must be set before the loop runs. Returns -1 or an exit
 * status. */
static int load_config(const flags_t *f, srv_config_t *cfg)
{
    char msg[512];
    srv_config_defaults(cfg);
    if (f->config && srv_config_load(cfg, f->config, msg, sizeof msg) != 0) {
        fprintf(stderr, "carematchd: %s\n", msg);
        return 2;
    }
    cfg->cors_origins = f->cors_origins;
    struct rlimit rl; /* raised to the hard limit already (parse_flags) */
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
        rl.rlim_cur < (rlim_t)cfg->max_connections + SRV_FDS_RESERVED)
        srv_log("warn",
                "the descriptor limit (%llu) is below max_connections (%ld) plus what storage, "
                "the index and the threads hold (about %d): connections past about %lld will "
                "be refused by the kernel; raise LimitNOFILE (ulimit -n) or lower "
                "max_connections",
                (unsigned long long)rl.rlim_cur, cfg->max_connections, SRV_FDS_RESERVED,
                (long long)rl.rlim_cur - SRV_FDS_RESERVED);
    /* libuv reads it once, at the first uv_queue_work */
    snprintf(msg, sizeof msg, "%ld", cfg->threadpool_size);
    if (setenv("UV_THREADPOOL_SIZE", msg, 1) != 0) {
        fprintf(stderr, "carematchd: setenv failed\n");
        return 1;
    }
    signal(SIGPIPE, SIG_IGN);
    raise_nofile();
    return -1;
}

static int load_keys(const flags_t *f, srv_keys_t **keys)
{
    char msg[512];
    *keys = NULL;
    if (!f->keys) {
        srv_log("warn", "no --keys: every authenticated route answers 401");
        return -1;
    }
    if (srv_keys_load(f->keys, keys, msg, sizeof msg) != 0) {
        fprintf(stderr, "carematchd: %s\n", msg);
        return 2;
    }
    if ((*keys)->warning[0])
        srv_log("warn", "keys: %s", (*keys)->warning);
    return -1;
}

static int make_metrics(srv_metrics_t **metrics)
{
    const char *names[SRV_ROUTES_MAX], *methods[SRV_ROUTES_MAX];
    if (srv_route_count > SRV_ROUTES_MAX) {
        fprintf(stderr, "carematchd: %zu routes, metrics hold %d\n", srv_route_count,
                SRV_ROUTES_MAX);
        return 1;
    }
    for (size_t i = 0; i < srv_route_count; i++) {
        names[i] = srv_routes[i].pattern;
        methods[i] = llhttp_method_name((llhttp_method_t)srv_routes[i].method);
    }
    if (srv_metrics_create(srv_route_count, names, methods, metrics) != 0) {
        fprintf(stderr, "carematchd: out of memory\n");
        return 1;
    }
    return -1;
}

/* The engine opens on a pool thread while the port is already open: an orchestrator sees
 * "starting" (/healthz 200, /readyz 503) instead of a closed port. The engine's own messages
 * go to the same JSON log as the requests. */
typedef struct opener {
    uv_work_t work;
    const flags_t *f;
    const srv_config_t *cfg;
    cm_engine_t *engine;
    int rc;
    cm_error err;
    uint64_t t0;
    int exit_status;
} opener_t;

static void open_work(uv_work_t *w)
{
    opener_t *o = w->data;
    /* test hook: a slow open (large store) on demand, to test the "starting" answers */
    const char *delay = getenv("CAREMATCH_TEST_OPEN_DELAY_MS");
    if (delay && atoi(delay) > 0)
        uv_sleep((unsigned)atoi(delay));
    cm_engine_options_t eopt = {0};
    eopt.map_size = (uint64_t)o->cfg->lmdb_map_size_mb << 20;
    eopt.visibility_timeout_ms = (unsigned)o->cfg->visibility_timeout_ms;
    eopt.index_batch_docs = (unsigned)o->cfg->index_batch_docs;
    eopt.index_batch_ms = (unsigned)o->cfg->index_batch_ms;
    eopt.index_lazy_ms = (unsigned)o->cfg->index_lazy_ms;
    eopt.catalog_snapshot_interval_s = (unsigned)o->cfg->catalog_snapshot_interval_s;
    eopt.index_nice = (unsigned)o->cfg->write_nice;
    eopt.scoring_config = o->f->scoring;
    eopt.log = srv_log_engine;
    eopt.on_applied = srv_parked_wake; /* parked written requests (parked.c) */
    eopt.on_applied_arg = &server;
    o->rc = cm_engine_open(o->f->data, &eopt, &o->engine, &o->err);
}

static void open_done(uv_work_t *w, int status)
{
    opener_t *o = w->data;
    if (status != 0 || o->rc != 0) {
        int rc = status != 0 ? CM_EINTERNAL : o->rc;
        fprintf(stderr, "carematchd: cannot open %s: %s%s%s\n", o->f->data, cm_strerror(rc),
                o->err.message[0] ? ": " : "", o->err.message);
        srv_log("error", "cannot open %s: %s", o->f->data, cm_strerror(rc));
        o->exit_status = 1;
        stop_all();
        return;
    }
    if (server.stopping) /* stopped while opening: main closes the engine */
        return;
    server.engine = o->engine;
    srv_log("info", "ready: storage, index and catalog open in %.1f s",
            (double)(uv_now(server.loop) - o->t0) / 1000.0);
    /* the start-up handshake that scripts and tests wait for, kept as plain text: printed
     * when requests can be served */
    fprintf(stderr, "listening on %s\n", server.bound);
    fflush(stderr);
}

/* The referentials' suggestion and label indexes are built at first use (about 60 ms): build
 * them now, before listening, so that no request pays for it (and the suggestion routes, which
 * run on the loop thread, never stall it). */
static int init_referentials(void)
{
    int rc = cm_ref_init();
    if (rc != 0) {
        fprintf(stderr, "carematchd: cannot build the referential indexes: %s\n", cm_strerror(rc));
        return 1;
    }
    return -1;
}

/* Listen, take signals, open the engine, run until stopped. Returns the exit status. */
static int run_loop(const flags_t *f, const srv_config_t *cfg, opener_t *op, srv_keys_t *keys,
                    srv_metrics_t *metrics)
{
    uv_loop_t *loop = uv_default_loop();
    char msg[512] = "";
    int rc = srv_server_init(&server, loop, cfg, NULL, keys, metrics);
    if (rc == 0)
        rc = srv_server_listen(&server, f->listen, msg, sizeof msg);
    if (rc == 0 &&
        (strncmp(server.bound, "0.0.0.0:", 8) == 0 || strncmp(server.bound, "[::]:", 5) == 0))
        srv_log("warn",
                "listening on every interface (%s): keep the port behind a firewall or a "
                "proxy, or give 127.0.0.1",
                server.bound);
    if (rc == 0 && f->metrics_listen)
        rc = srv_metrics_listener_start(loop, f->metrics_listen, metrics, &server.engine,
                                        &metrics_listener, msg, sizeof msg);
    if (rc == 0)
        rc = uv_signal_init(loop, &sig_term);
    if (rc == 0)
        rc = uv_signal_init(loop, &sig_int);
    if (rc == 0)
        rc = uv_signal_init(loop, &sig_hup);
    if (rc == 0)
        rc = uv_signal_start(&sig_term, on_signal, SIGTERM);
    if (rc == 0)
        rc = uv_signal_start(&sig_int, on_signal, SIGINT);
    if (rc == 0)
        rc = uv_signal_start(&sig_hup, on_hup, SIGHUP);
    op->work.data = op;
    op->t0 = uv_now(loop);
    if (rc == 0)
        rc = uv_queue_work(loop, &op->work, open_work, open_done);
    if (rc != 0) {
        /* nothing has run yet: no request to finish */
        fprintf(stderr, "carematchd: %s\n", msg[0] ? msg : uv_strerror(rc));
        return 1;
    }
    srv_log("info", "port %s open; opening %s", server.bound, f->data);
    uv_run(loop, UV_RUN_DEFAULT);
    if (uv_loop_close(loop) != 0)
        srv_log("warn", "event loop closed with handles still open");
    return op->exit_status;
}

int main(int argc, char **argv)
{
    flags_t f;
    srv_config_t cfg;
    srv_keys_t *keys = NULL;
    srv_metrics_t *metrics = NULL;
    opener_t op = {0};
    int rc = parse_flags(argc, argv, &f);
    if (rc < 0)
        rc = load_config(&f, &cfg);
    if (rc < 0)
        rc = load_keys(&f, &keys);
    if (rc < 0)
        rc = make_metrics(&metrics);
    if (rc < 0)
        rc = init_referentials();
    if (rc < 0) {
        keys_path = f.keys;
        op.f = &f;
        op.cfg = &cfg;
        rc = run_loop(&f, &cfg, &op, keys, metrics);
        cm_engine_close(op.engine);
        if (rc == 0)
            srv_log("info", "stopped");
        if (server.keys)
            keys = server.keys; /* the last reloaded set */
    }
    srv_metrics_listener_free(metrics_listener);
    srv_metrics_destroy(metrics);
    srv_keys_free(keys);
    for (size_t i = 0; i < n_retired; i++)
        srv_keys_free(retired_keys[i]);
    return rc;
}
