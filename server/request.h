/* A request as the policy and the handlers see it, and the processing step the transport
 * (http.c) hands it to: route, API key, scope, rate limit, body limits (413), media type (415),
 * the 100-continue decision, then the handler. No socket and no parser here.
 *
 * Threading: everything runs on the loop thread except a handler, which runs on the libuv pool
 * and may only read the request and fill req->resp.
 * Ownership: a srv_req_t belongs to its connection until its response is written; the handler
 * gives the response body to the request (srv_reply_* in json.h), which frees it. */
#ifndef SRV_REQUEST_H
#define SRV_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth.h"
#include "carematch/engine.h"
#include "config.h"

struct srv_route;
struct srv_metrics;
typedef struct srv_conn srv_conn_t; /* the transport's connection (http.c) */

#define SRV_QUERY_MAX 64 /* query parameters per request */

typedef struct srv_resp {
    int status;
    const char *content_type; /* static string */
    char *body;               /* owned; malloc'd */
    size_t body_len;
    char headers[1024]; /* extra "Name: value\r\n" lines */
    size_t headers_len;
} srv_resp_t;

typedef struct srv_param {
    char *name, *value; /* percent-decoded, inside req->qbuf */
} srv_param_t;

typedef struct srv_req {
    srv_conn_t *conn; /* loop thread only */
    cm_engine_t *engine;
    const srv_config_t *cfg;
    srv_keys_t *keys;            /* NULL: every key is unknown */
    srv_key_cache_t *key_cache;  /* the connection's last key (loop thread); may be NULL */
    struct srv_metrics *metrics; /* NULL: metrics off */
    int method;                  /* llhttp_method_t */
    char *url;                   /* raw request target, NUL-terminated */
    size_t url_len;
    char *path;        /* url up to '?', NUL-terminated copy */
    const char *query; /* after '?', raw, or "" */
    const struct srv_route *route;
    char id[CM_ID_MAX + 1]; /* the {id} of the path, when the route has one */
    /* headers the server uses (owned, NUL-terminated) */
    char *authorization, *content_type, *if_match, *if_none_match;
    char *origin;         /* "Origin" (CORS) */
    bool expect_continue; /* "Expect: 100-continue" */
    bool unframed;        /* a PUT or POST with neither Content-Length nor chunked: answered
                           * once its route and key are known, then the connection closes */
    bool accept_gzip;     /* "Accept-Encoding" names gzip (without q=0) */
    bool head;            /* a HEAD request: routed as GET, answered without the body */
    bool preflight;       /* a CORS preflight (OPTIONS): answered 204 by the policy step */
    char request_id[65];  /* X-Request-Id: the client's (validated) or one made here */
    unsigned seen;        /* singleton headers met so far (bit per name, request.c) */
    size_t header_bytes, header_count;
    const srv_key_t *key; /* NULL when none presented or unknown */
    int scope;
    char *body;
    size_t body_len, body_cap;
    bool http10; /* HTTP/1.0: a kept connection is said so */
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
    /* A stored offer: answer once searches see this change (parked.c); 0: at once. */
    uint64_t wait_seq;
    /* ?ack=durable parked by the index's lag bound: the request's own change (wait_seq is
     * then an older one); X-Index-Lagging says whether searches see this one. 0: wait_seq's. */
    uint64_t ack_seq;
    bool logged;            /* its log line and metrics are done (srv_request_log) */
    uint64_t park_deadline; /* loop time (ms) */
    struct srv_req *park_next, *park_prev;
    struct srv_req *wq_next; /* the writers' queues (writepool.c) */
} srv_req_t;

/* A new request for `conn`, with the server-wide context it needs. keys and metrics may be
 * NULL. Owned by the caller; free with srv_request_free. NULL on out of memory. */
srv_req_t *srv_request_new(srv_conn_t *conn, cm_engine_t *engine, const srv_config_t *cfg,
                           srv_keys_t *keys, struct srv_metrics *metrics);
/* The request's log line and its metrics (status, duration from start_ns: uv_hrtime
 * nanoseconds), once: by the thread that finished the answer, or the loop for those it
 * answers itself (early errors, parked writes). */
void srv_request_log(srv_req_t *req);
void srv_request_free(srv_req_t *req);

/* Record an error decided before the handler (answered at the end of the message, or at once
 * when the transport must close). The first one wins; the body is discarded from then on. */
void srv_request_fail(srv_req_t *req, int status, const char *code, const char *field,
                      const char *msg);

/* One request header, as received. Keeps those the server uses. Returns 0; 1 when the header
 * makes the request bad (a second Host, Authorization, Content-Length, Content-Type, If-Match or
 * If-None-Match: a 400 is recorded, to answer at once and close); -1 on out of memory. */
int srv_request_header(srv_req_t *req, const char *name, const char *value);
/* The headers are complete (trailers excluded): 1 when the request is bad by its framing (an
 * HTTP/1.1 request without Host, HTTP/1.0 with Transfer-Encoding, a PUT or POST with neither
 * Content-Length nor chunked: a 400 is recorded, to answer
 * at once and close), else 0. */
int srv_request_check_framing(srv_req_t *req, int http_major, int http_minor, bool chunked_or_te,
                              int method, bool has_length);
/* A framing fault the connection layer found (obs-fold): 400 invalid_field, then close. */
void srv_request_bad_framing(srv_req_t *req, const char *msg);

/* What the transport knows when the headers are complete. */
typedef struct srv_head {
    int method; /* llhttp_method_t */
    const char *url;
    size_t url_len;
    bool keep_alive;
    bool has_length; /* a Content-Length was given */
    uint64_t content_length;
    uint64_t now_ms; /* loop time, for the rate limit */
} srv_head_t;

/* What the transport does next. */
enum {
    SRV_NEXT_FAIL = -1,     /* out of memory: stop parsing */
    SRV_NEXT_READ_BODY = 0, /* read the body (kept, or counted and discarded) */
    SRV_NEXT_CONTINUE,      /* send "100 Continue", then read the body */
    SRV_NEXT_ANSWER_NOW     /* stop reading: answer the early error and close */
};

/* The decisions taken at headers-complete, before any body byte is read: route (404, 405),
 * API key (401), scope (403), rate limit (429), 413 on Content-Length, 415, 100-continue.
 * Returns SRV_NEXT_*. */
int srv_request_head(srv_req_t *req, const srv_head_t *h);
/* n more body bytes: counted against the route's limit (413 on bytes received, for chunked
 * bodies) and kept unless the body is discarded. Returns SRV_NEXT_READ_BODY,
 * SRV_NEXT_ANSWER_NOW (413) or SRV_NEXT_FAIL. */
int srv_request_body(srv_req_t *req, const char *at, size_t n);
/* A chunk of `len` bytes announced (chunked body): 413 at once (SRV_NEXT_ANSWER_NOW) when the
 * body would pass the route's limit with it, else SRV_NEXT_READ_BODY. */
int srv_request_chunk(srv_req_t *req, uint64_t len);
/* The message is complete. */
void srv_request_complete(srv_req_t *req);
/* When an early error was decided, fill the response with it and return true. */
bool srv_request_answer_early(srv_req_t *req);
/* Run the route's handler (on the pool, or inline for routes marked so). */
void srv_request_run(srv_req_t *req);

#endif
