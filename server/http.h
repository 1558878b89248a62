/* carematchd's HTTP layer: libuv connections, llhttp parsing, keep-alive, pipelining, limits,
 * timeouts, and the request/response structures that handlers fill.
 *
 * Threading: everything here runs on the loop thread except a handler's work function, which
 * runs on the libuv pool and may only read the request and fill req->resp.
 * Ownership: a srv_req_t belongs to its connection until its response is written; the handler
 * gives the response body to the request (srv_reply_* in json.h), which frees it. */
#ifndef SRV_HTTP_H
#define SRV_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "carematch/engine.h"
#include "config.h"

struct srv_route;
struct srv_keys;
struct srv_key;
struct srv_metrics;

enum { SRV_SCOPE_NONE = 0, SRV_SCOPE_PORTAL = 1, SRV_SCOPE_ADVISER = 2, SRV_SCOPE_ADMIN = 3 };

#define SRV_QUERY_MAX 64 /* query parameters per request */

typedef struct srv_resp {
    int status;
    const char *content_type; /* static string */
    char *body;               /* owned; malloc'd */
    size_t body_len;
    char headers[512]; /* extra "Name: value\r\n" lines */
    size_t headers_len;
} srv_resp_t;

typedef struct srv_param {
    char *name, *value; /* percent-decoded, inside req->qbuf */
} srv_param_t;

typedef struct srv_server srv_server_t;
typedef struct srv_conn srv_conn_t;

typedef struct srv_req {
    srv_conn_t *conn; /* loop thread only */
    srv_server_t *srv;
    cm_engine_t *engine;
    const srv_config_t *cfg;
    int method; /* llhttp_method_t */
    char *url;  /* raw request target, NUL-terminated */
    size_t url_len;
    char *path;        /* url up to '?', NUL-terminated copy */
    const char *query; /* after '?', raw, or "" */
    const struct srv_route *route;
    char id[CM_ID_MAX + 1]; /* the {id} of the path, when the route has one */
    /* headers the server uses (owned, NUL-terminated) */
    char *authorization, *content_type, *if_match, *if_none_match;
    size_t header_bytes, header_count;
    const struct srv_key *key; /* NULL when none presented or unknown */
    int scope;
    char *body;
    size_t body_len, body_cap;
    bool keep_alive;
    bool discard_body; /* an early error is decided: count bytes, keep nothing */
    int early_status;  /* != 0: answer this error at message end */
    const char *early_code;
    const char *early_field;
    char early_msg[160];
    char early_headers[128];
    srv_param_t params[SRV_QUERY_MAX];
    size_t n_params;
    char *qbuf;
    uint64_t start_ns;
    srv_resp_t resp;
    uv_work_t work;
} srv_req_t;

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
    long pending;    /* requests queued on or running in the pool */
    char bound[128]; /* "host:port" actually bound */
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

/* Monotonic nanoseconds. */
uint64_t srv_now_ns(void);

/* Query parameters, parsed lazily on first use (percent-decoding, '+' as space).
 * Returns 0, or -1 when the query is malformed or has too many parameters. */
int srv_query_parse(srv_req_t *req);
/* First value of `name`, or NULL. */
const char *srv_query_get(srv_req_t *req, const char *name);

#endif
