/* The route table of the carematch API and path matching (literal segments before {id}). */
#include "router.h"

#include <llhttp.h>
#include <stdio.h>
#include <string.h>

#define R(m, p, s, b, inl, f, q)                                                                   \
    {                                                                                              \
        HTTP_##m, p, SRV_SCOPE_##s, SRV_BODY_##b, inl, false, f, q                                 \
    }
/* A route that writes: it runs on the writers' threads (writepool.c), not the workers. */
#define W(m, p, s, b, f, q)                                                                        \
    {                                                                                              \
        HTTP_##m, p, SRV_SCOPE_##s, SRV_BODY_##b, false, true, f, q                                \
    }

/* Query parameters each route takes ("name*": repeatable); any other is a 400. */
#define P_NONE ""
/* writes of records: ack=visible (default) or durable (handlers_records.c) */
#define P_WRITE "ack"
#define P_ANY "*" /* probes and scrapers: cache-busting parameters are harmless */
#define P_MATCH "limit min_score include_near_misses neighbours"
#define P_SEARCH                                                                                   \
    "q lat lon radius_km commune postcode city rome* contract* employer_kind* "                    \
    "immersion_possible pre_hire_training accessible_to_disabled_workers sort page per_page "      \
    "facets operators night weekend driving_licence own_vehicle"
#define P_CANDSEARCH                                                                               \
    "rome* job_title* certification* department lat lon radius_km commune postcode city "        \
    "available* open_to_immersion open_to_training driving_licence vehicle mode* page per_page"

/* Order matters only for the Allow header; literal patterns are preferred by the matcher. */
const srv_route_t srv_routes[] = {
    W(PUT, "/v1/offers/{id}", ADMIN, JSON, srv_h_put_offer, P_WRITE),
    R(GET, "/v1/offers/{id}", PORTAL, NONE, false, srv_h_get_offer, P_NONE),
    W(DELETE, "/v1/offers/{id}", ADMIN, NONE, srv_h_delete_offer, P_NONE),
    W(PUT, "/v1/candidates/{id}", ADMIN, JSON, srv_h_put_candidate, P_WRITE),
    R(GET, "/v1/candidates/{id}", ADVISER, NONE, false, srv_h_get_candidate, P_NONE),
    W(DELETE, "/v1/candidates/{id}", ADMIN, NONE, srv_h_delete_candidate, P_NONE),
    W(POST, "/v1/offers/_bulk", ADMIN, NDJSON, srv_h_bulk_offers, P_WRITE),
    W(POST, "/v1/candidates/_bulk", ADMIN, NDJSON, srv_h_bulk_candidates, P_WRITE),
    R(GET, "/v1/offers/search", PORTAL, NONE, false, srv_h_search, P_SEARCH),
    R(GET, "/v1/candidates/search", ADVISER, NONE, false, srv_h_candidate_search, P_CANDSEARCH),
    R(GET, "/v1/candidates/{id}/matches", ADVISER, NONE, false, srv_h_candidate_matches, P_MATCH),
    R(GET, "/v1/offers/{id}/matches", ADVISER, NONE, false, srv_h_offer_matches, P_MATCH),
    R(POST, "/v1/match", PORTAL, JSON, false, srv_h_match_profile, P_MATCH),
    W(POST, "/v1/events", ADVISER, JSON, srv_h_post_event, P_NONE),
    R(GET, "/v1/stats", ADVISER, NONE, false, srv_h_stats, "department"),
    R(GET, "/healthz", NONE, NONE, true, srv_h_healthz, P_ANY),
    R(GET, "/readyz", NONE, NONE, false, srv_h_readyz, P_ANY),
    R(GET, "/metrics", ADMIN, NONE, false, srv_h_metrics, P_ANY),
    R(GET, "/openapi.json", NONE, NONE, true, srv_h_openapi, P_ANY),
    R(GET, "/v1/audit", ADMIN, NONE, false, srv_h_audit, "limit after candidate_id"),
    /* static referential lookups of tens of microseconds: on the loop, no pool hop */
    R(GET, "/v1/suggest/jobs", PORTAL, NONE, true, srv_h_suggest_jobs, "q limit"),
    R(GET, "/v1/suggest/communes", PORTAL, NONE, true, srv_h_suggest_communes, "q limit"),
};
const size_t srv_route_count = sizeof srv_routes / sizeof srv_routes[0];

/* Does `path` fit `pattern`? 2 = literal fit, 1 = fit through {id} (id copied), 0 = no. */
static int fit(const char *pattern, const char *path, char id[CM_ID_MAX + 1])
{
    const char *brace = strstr(pattern, "{id}");
    if (!brace)
        return strcmp(pattern, path) == 0 ? 2 : 0;
    size_t pre = (size_t)(brace - pattern);
    const char *post = brace + 4;
    size_t plen = strlen(path), postlen = strlen(post);
    if (plen < pre + postlen + 1 || strncmp(path, pattern, pre) != 0 ||
        strcmp(path + plen - postlen, post) != 0)
        return 0;
    const char *seg = path + pre;
    size_t seglen = plen - pre - postlen;
    if (memchr(seg, '/', seglen))
        return 0;
    if (seglen > CM_ID_MAX)
        seglen = 0; /* the route's, but no id: "" is never valid */
    memcpy(id, seg, seglen);
    id[seglen] = '\0';
    return 1;
}

int srv_route_match(int method, const char *path, const srv_route_t **out, char id[CM_ID_MAX + 1],
                    char *allow, size_t allow_n)
{
    const srv_route_t *best = NULL;
    int best_fit = 0, fits[sizeof srv_routes / sizeof srv_routes[0]];
    char tmp[CM_ID_MAX + 1], best_id[CM_ID_MAX + 1] = "";
    bool any_literal = false;
    for (size_t i = 0; i < srv_route_count; i++)
        if ((fits[i] = fit(srv_routes[i].pattern, path, tmp)) == 2)
            any_literal = true;
    /* A literal route ("/v1/offers/search") owns its path: PUT on it is 405, not an offer. */
    if (any_literal)
        for (size_t i = 0; i < srv_route_count; i++)
            fits[i] = fits[i] == 2 ? 2 : 0;
    for (size_t i = 0; i < srv_route_count; i++)
        if (srv_routes[i].method == method && fits[i] > best_fit) {
            best = &srv_routes[i];
            best_fit = fits[i];
        }
    if (best) {
        *out = best;
        if (best_fit == 1) /* fit again to copy the id: once per request, not per route */
            fit(best->pattern, path, best_id);
        if (best_fit == 1 && !cm_id_valid(best_id, strlen(best_id))) {
            id[0] = '\0';
            return SRV_ROUTE_BAD_ID;
        }
        if (best_fit == 1)
            memcpy(id, best_id, CM_ID_MAX + 1);
        else
            id[0] = '\0';
        return SRV_ROUTE_FOUND;
    }
    /* no route for the method: the Allow header's methods (only now: most requests match) */
    size_t alen = 0;
    if (allow_n)
        allow[0] = '\0';
    for (size_t i = 0; i < srv_route_count && allow_n; i++) {
        const srv_route_t *r = &srv_routes[i];
        if (fits[i] == 0 || strstr(allow, llhttp_method_name((llhttp_method_t)r->method)))
            continue;
        /* HEAD is answered wherever GET is (RFC 9110 9.3.2) */
        int n = snprintf(allow + alen, allow_n - alen, "%s%s%s", alen ? ", " : "",
                         llhttp_method_name((llhttp_method_t)r->method),
                         r->method == HTTP_GET ? ", HEAD" : "");
        if (n > 0 && (size_t)n < allow_n - alen)
            alen += (size_t)n;
    }
    bool any = false;
    for (size_t i = 0; i < srv_route_count; i++)
        any = any || fits[i] != 0;
    return any ? SRV_ROUTE_BAD_METHOD : SRV_ROUTE_NOT_FOUND;
}
