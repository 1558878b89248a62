/* Routes of the carematch API: method + path pattern -> scope, body rules, handler.
 * Patterns have at most one "{id}" segment; literal segments win over {id}. */
#ifndef SRV_ROUTER_H
#define SRV_ROUTER_H

#include "request.h"

typedef void (*srv_handler_fn)(srv_req_t *req);

enum {
    SRV_BODY_NONE = 0, /* body ignored */
    SRV_BODY_JSON,     /* Content-Type application/json required */
    SRV_BODY_NDJSON    /* application/x-ndjson required; bulk size limit */
};

typedef struct srv_route {
    int method;          /* llhttp_method_t */
    const char *pattern; /* "/v1/offers/{id}": also the metrics and log label */
    int scope;           /* SRV_SCOPE_* needed */
    int body;            /* SRV_BODY_* */
    bool inline_;        /* runs on the loop thread (no engine call) */
    bool writes;         /* runs on the writers' threads (writepool.c) */
    srv_handler_fn fn;
    const char *params;  /* query parameters taken, space-separated; "name*" repeatable */
} srv_route_t;

extern const srv_route_t srv_routes[];
extern const size_t srv_route_count;

enum {
    SRV_ROUTE_FOUND = 0,
    SRV_ROUTE_NOT_FOUND = -1,
    SRV_ROUTE_BAD_METHOD = -2,
    SRV_ROUTE_BAD_ID = -3
};

/* Match `path` (no query, percent-decoded) for `method`. On SRV_ROUTE_FOUND, *out is the route
 * and id[] gets the {id} segment. SRV_ROUTE_BAD_ID: the route fits but its {id} segment is not
 * an id (over CM_ID_MAX characters, or outside [A-Za-z0-9._-]); *out is the route, id[] is
 * empty. On SRV_ROUTE_BAD_METHOD allow[] gets the "Allow" header value (HEAD included with
 * GET). */
int srv_route_match(int method, const char *path, const srv_route_t **out, char id[CM_ID_MAX + 1],
                    char *allow, size_t allow_n);

/* Handlers (handlers_*.c). */
void srv_h_put_offer(srv_req_t *req);
void srv_h_get_offer(srv_req_t *req);
void srv_h_delete_offer(srv_req_t *req);
void srv_h_put_candidate(srv_req_t *req);
void srv_h_get_candidate(srv_req_t *req);
void srv_h_delete_candidate(srv_req_t *req);
void srv_h_bulk_offers(srv_req_t *req);
void srv_h_bulk_candidates(srv_req_t *req);
void srv_h_search(srv_req_t *req);
void srv_h_candidate_search(srv_req_t *req);
void srv_h_candidate_matches(srv_req_t *req);
void srv_h_offer_matches(srv_req_t *req);
void srv_h_match_profile(srv_req_t *req);
void srv_h_post_event(srv_req_t *req);
void srv_h_stats(srv_req_t *req);
void srv_h_healthz(srv_req_t *req);
void srv_h_readyz(srv_req_t *req);
void srv_h_metrics(srv_req_t *req);
void srv_h_openapi(srv_req_t *req);
void srv_h_audit(srv_req_t *req);
void srv_h_suggest_jobs(srv_req_t *req);
void srv_h_suggest_communes(srv_req_t *req);

#endif
