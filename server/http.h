/* carematchd's transport: libuv connections, llhttp parsing, keep-alive, pipelining, header
 * limits, timeouts, writes, graceful stop. Requests it parses go to request.h's processing step.
 * Everything here runs on the loop thread. */
#ifndef SRV_HTTP_H
#define SRV_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>
#include <uv.h>

#include "carematch/engine.h"
#include "config.h"
#include "request.h"

struct srv_metrics;

typedef struct srv_server srv_server_t;

struct srv_server {
    uv_loop_t *loop;
    uv_tcp_t listener;
    bool listening;
    uv_signal_t sigterm, sigint;
    uv_timer_t shutdown_timer;
    uint64_t shutdown_deadline; /* loop time (ms) */
    bool stopping;
    srv_config_t cfg;
    cm_engine_t *engine;
    struct srv_keys *keys;
    struct srv_metrics *metrics;
    srv_conn_t *conns; /* doubly linked list of open connections */
    long nconns;
    uint64_t accept_failed;    /* connections not accepted since the last report */
    uint64_t accept_failed_at; /* loop time (ms) of the last report */
    bool accept_failed_logged;
    uint64_t nofile; /* the descriptor limit at start (0: none known) */
    long pending;    /* requests queued on or running in the pool */
    char bound[128]; /* "host:port" actually bound */
    /* Written requests waiting for the search index (parked.c), off the worker pool, in the
     * order they were parked (so the first has the nearest deadline). The engine's index
     * writer wakes them through `applied` (park_mu guards park_open against its close). */
    srv_req_t *parked_head, *parked_tail;
    long nparked;
    uv_async_t applied;
    uv_timer_t park_timer;
    bool park_handles; /* applied and park_timer are initialised (closed at stop) */
    bool park_failed;  /* they could not be: writes are answered without waiting */
    pthread_mutex_t park_mu;
    bool park_open; /* under park_mu: uv_async_send(&applied) is allowed */
    /* The writers' threads (writepool.c): NULL until the first write, and once stopped. */
    struct srv_wpool *wpool;
    bool wpool_failed; /* they could not start: writes run on libuv's pool */
};

/* Set up the server on `loop` (no I/O yet). keys/metrics may be NULL (then every key is
 * unknown / metrics off). Returns 0 or a negative libuv error. */
int srv_server_init(srv_server_t *s, uv_loop_t *loop, const srv_config_t *cfg, cm_engine_t *e,
                    struct srv_keys *keys, struct srv_metrics *metrics);
/* Bind and listen on "host:port" or "[v6]:port" (port 0: ephemeral; s->bound gets the real
 * address). Returns 0 or a negative libuv error; errbuf says why. */
int srv_server_listen(srv_server_t *s, const char *addr, char *errbuf, size_t n);
/* Begin a graceful stop: close the listener, close idle connections, let in-flight requests
 * finish, force-close what is left after cfg.shutdown_timeout_ms. The loop then runs dry. */
void srv_server_stop(srv_server_t *s);

/* Parked written requests (parked.c). park: after the pool ran req's handler, the answer waits
 * until searches see req->wait_seq (or visibility_timeout_ms passes: answered with
 * X-Index-Lagging). wake: the engine's on_applied callback (any thread). stop: answer every
 * parked request now and close the handles (graceful stop). */
void srv_parked_park(srv_server_t *s, srv_req_t *req);
void srv_parked_wake(void *server);
void srv_parked_stop(srv_server_t *s);

/* The writers' pool (writepool.c), loop thread only. submit: run req's handler on a writer
 * thread, handed back through srv__work_done; false when the pool cannot take it (the caller
 * queues it on libuv's pool). stop: end the threads once no write is in flight (graceful stop;
 * the last write's hand-back ends them otherwise). */
typedef struct srv_wpool srv_wpool_t;
bool srv_wpool_submit(srv_server_t *s, srv_req_t *req);
void srv_wpool_stop(srv_server_t *s);

/* Between http.c (connections) and listen.c (listener, graceful stop) only. */
void srv__on_connection(uv_stream_t *server, int status);
void srv__conn_close(srv_conn_t *c);
srv_conn_t *srv__conn_next(const srv_conn_t *c);
bool srv__conn_idle(const srv_conn_t *c); /* between requests, with no answer being sent */
/* The end of a request that ran on the pool: its answer written (or dropped: `drop`, or the
 * connection closing) and the request's hold on the connection released. */
void srv__conn_finish(srv_req_t *req, bool drop);
/* A request's handler has run on a pool (`ran`; false: it was cancelled): park it for the
 * index, answer it, or drop it. */
void srv__work_done(srv_req_t *req, bool ran);

#endif
