/* carematchd: the carematch HTTP server. Flags and environment, start-up (limits, keys,
 * engine, listener), signals, and orderly shutdown. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <uv.h>

#include "auth.h"
#include "config.h"
#include "http.h"
#include "log.h"
#include "metrics.h"
#include "router.h"

static srv_server_t server;
static uv_signal_t sig_term, sig_int;

static void usage(FILE *f)
{
    fprintf(f, "usage: carematchd --data DIR [--listen HOST:PORT] [--keys FILE] [--config FILE]\n"
               "                 [--scoring FILE]\n"
               "  environment: CAREMATCH_DATA CAREMATCH_LISTEN CAREMATCH_KEYS CAREMATCH_CONFIG\n"
               "               CAREMATCH_SCORING\n"
               "  --listen defaults to 127.0.0.1:8080; port 0 picks a free port\n");
}

static void on_signal_closed(uv_handle_t *h)
{
    (void)h;
}

static void on_signal(uv_signal_t *h, int signum)
{
    (void)h;
    srv_log("info", "signal %d: stopping (in-flight requests finish)", signum);
    srv_server_stop(&server);
    uv_close((uv_handle_t *)&sig_term, on_signal_closed);
    uv_close((uv_handle_t *)&sig_int, on_signal_closed);
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

int main(int argc, char **argv)
{
    const char *data = NULL, *listen = NULL, *keys_path = NULL, *config_path = NULL;
    const char *scoring_path = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = NULL;
        if (strcmp(a, "--data") == 0)
            slot = &data;
        else if (strcmp(a, "--listen") == 0)
            slot = &listen;
        else if (strcmp(a, "--keys") == 0)
            slot = &keys_path;
        else if (strcmp(a, "--config") == 0)
            slot = &config_path;
        else if (strcmp(a, "--scoring") == 0)
            slot = &scoring_path;
        else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        }
        if (!slot || i + 1 >= argc) {
            usage(stderr);
            return 2;
        }
        *slot = argv[++i];
    }
    data = opt_or_env(data, "CAREMATCH_DATA");
    listen = opt_or_env(listen, "CAREMATCH_LISTEN");
    keys_path = opt_or_env(keys_path, "CAREMATCH_KEYS");
    config_path = opt_or_env(config_path, "CAREMATCH_CONFIG");
    scoring_path = opt_or_env(scoring_path, "CAREMATCH_SCORING");
    if (!listen)
        listen = "127.0.0.1:8080";
    if (!data) {
        usage(stderr);
        return 2;
    }

    char msg[512];
    srv_config_t cfg;
    srv_config_defaults(&cfg);
    if (config_path && srv_config_load(&cfg, config_path, msg, sizeof msg) != 0) {
        fprintf(stderr, "carematchd: %s\n", msg);
        return 2;
    }
    /* libuv reads it once, at the first uv_queue_work */
    snprintf(msg, sizeof msg, "%ld", cfg.threadpool_size);
    if (setenv("UV_THREADPOOL_SIZE", msg, 1) != 0) {
        fprintf(stderr, "carematchd: setenv failed\n");
        return 1;
    }
    signal(SIGPIPE, SIG_IGN);
    raise_nofile();

    srv_keys_t *keys = NULL;
    if (keys_path) {
        if (srv_keys_load(keys_path, &keys, msg, sizeof msg) != 0) {
            fprintf(stderr, "carematchd: %s\n", msg);
            return 2;
        }
    } else {
        srv_log("warn", "no --keys: every authenticated route answers 401");
    }

    const char *names[64];
    for (size_t i = 0; i < srv_route_count && i < 64; i++)
        names[i] = srv_routes[i].pattern;
    srv_metrics_t *metrics = NULL;
    if (srv_metrics_create(srv_route_count, names, &metrics) != 0) {
        fprintf(stderr, "carematchd: out of memory\n");
        srv_keys_free(keys);
        return 1;
    }

    cm_engine_t *engine = NULL;
    cm_error err = {0};
    cm_engine_options_t eopt = {0};
    eopt.map_size = (uint64_t)cfg.lmdb_map_size_mb << 20;
    eopt.visibility_timeout_ms = (unsigned)cfg.visibility_timeout_ms;
    eopt.index_batch_docs = (unsigned)cfg.index_batch_docs;
    eopt.scoring_config = scoring_path;
    int rc = cm_engine_open(data, &eopt, &engine, &err);
    if (rc != 0) {
        fprintf(stderr, "carematchd: cannot open %s: %s%s%s\n", data, cm_strerror(rc),
                err.message[0] ? ": " : "", err.message);
        srv_metrics_destroy(metrics);
        srv_keys_free(keys);
        return 1;
    }

    uv_loop_t *loop = uv_default_loop();
    msg[0] = '\0';
    rc = srv_server_init(&server, loop, &cfg, engine, keys, metrics);
    if (rc == 0)
        rc = srv_server_listen(&server, listen, msg, sizeof msg);
    if (rc == 0)
        rc = uv_signal_init(loop, &sig_term);
    if (rc == 0)
        rc = uv_signal_init(loop, &sig_int);
    if (rc == 0)
        rc = uv_signal_start(&sig_term, on_signal, SIGTERM);
    if (rc == 0)
        rc = uv_signal_start(&sig_int, on_signal, SIGINT);
    if (rc != 0) {
        /* nothing has run yet: no request to finish, just release the storage */
        fprintf(stderr, "carematchd: %s\n", msg[0] ? msg : uv_strerror(rc));
        cm_engine_close(engine);
        srv_metrics_destroy(metrics);
        srv_keys_free(keys);
        return 1;
    } else {
        fprintf(stderr, "listening on %s\n", server.bound);
        fflush(stderr);
    }
    uv_run(loop, UV_RUN_DEFAULT);
    cm_engine_close(engine);
    if (uv_loop_close(loop) != 0)
        srv_log("warn", "event loop closed with handles still open");
    srv_metrics_destroy(metrics);
    srv_keys_free(keys);
    srv_log("info", "stopped");
    return 0;
}
