/* Unit test of server/router.c (route matching, 404/405 + Allow, literal before {id}) and
 * server/auth.c (keys file forms, constant-time lookup, scopes, token bucket). */
#include "test.h"

#include <openssl/evp.h>

#include "../../../server/auth.c"
#include "../../../server/router.c"

/* The handlers are not under test: the table only needs their addresses. */
#define STUB(n)                                                                                    \
    void n(srv_req_t *req)                                                                         \
    {                                                                                              \
        (void)req;                                                                                 \
    }
STUB(srv_h_put_offer)
STUB(srv_h_get_offer)
STUB(srv_h_delete_offer)
STUB(srv_h_put_candidate)
STUB(srv_h_get_candidate)
STUB(srv_h_delete_candidate)
STUB(srv_h_bulk_offers)
STUB(srv_h_bulk_candidates)
STUB(srv_h_search)
STUB(srv_h_candidate_search)
STUB(srv_h_candidate_matches)
STUB(srv_h_offer_matches)
STUB(srv_h_match_profile)
STUB(srv_h_post_event)
STUB(srv_h_stats)
STUB(srv_h_healthz)
STUB(srv_h_readyz)
STUB(srv_h_metrics)
STUB(srv_h_openapi)
STUB(srv_h_audit)
STUB(srv_h_suggest_jobs)
STUB(srv_h_suggest_communes)

static const srv_route_t *route(int method, const char *path, int want, char *id)
{
    const srv_route_t *r = NULL;
    char allow[96];
    ASSERT_EQ(srv_route_match(method, path, &r, id, allow, sizeof allow), want);
    return r;
}

static void test_router(void)
{
    char id[CM_ID_MAX + 1], allow[96];
    const srv_route_t *r = route(HTTP_PUT, "/v1/offers/off-1", SRV_ROUTE_FOUND, id);
    ASSERT(r->fn == srv_h_put_offer);
    ASSERT_STREQ(id, "off-1");
    ASSERT_EQ(r->scope, SRV_SCOPE_ADMIN);
    r = route(HTTP_GET, "/v1/offers/search", SRV_ROUTE_FOUND, id);
    ASSERT(r->fn == srv_h_search); /* the literal wins over {id} */
    ASSERT_EQ(r->scope, SRV_SCOPE_PORTAL);
    r = route(HTTP_GET, "/v1/candidates/search", SRV_ROUTE_FOUND, id);
    ASSERT(r->fn == srv_h_candidate_search); /* not the candidate "search" */
    ASSERT_EQ(r->scope, SRV_SCOPE_ADVISER);
    r = route(HTTP_GET, "/v1/offers/o.1_x-2/matches", SRV_ROUTE_FOUND, id);
    ASSERT(r->fn == srv_h_offer_matches);
    ASSERT_STREQ(id, "o.1_x-2");
    r = route(HTTP_GET, "/v1/suggest/jobs", SRV_ROUTE_FOUND, id);
    ASSERT(r->fn == srv_h_suggest_jobs && r->inline_); /* static data: on the loop */
    ASSERT_EQ(r->scope, SRV_SCOPE_PORTAL);
    r = route(HTTP_GET, "/v1/suggest/communes", SRV_ROUTE_FOUND, id);
    ASSERT(r->fn == srv_h_suggest_communes && r->inline_);
    ASSERT_EQ(r->scope, SRV_SCOPE_PORTAL);
    route(HTTP_GET, "/v1/suggest/other", SRV_ROUTE_NOT_FOUND, id);
    r = route(HTTP_GET, "/v1/candidates/c1", SRV_ROUTE_FOUND, id);
    ASSERT_EQ(r->scope, SRV_SCOPE_ADVISER);
    r = route(HTTP_POST, "/v1/offers/_bulk", SRV_ROUTE_FOUND, id);
    ASSERT_EQ(r->body, SRV_BODY_NDJSON);
    route(HTTP_GET, "/v1/offers/", SRV_ROUTE_NOT_FOUND, id);
    route(HTTP_GET, "/v1/offers/a/b", SRV_ROUTE_NOT_FOUND, id);
    /* the route fits, the id does not (a PUT says so: 422 on id; request.c) */
    r = route(HTTP_GET, "/v1/offers/bad%20id", SRV_ROUTE_BAD_ID, id);
    ASSERT(r && r->fn == srv_h_get_offer && id[0] == '\0');
    r = route(HTTP_PUT,
              "/v1/offers/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
              SRV_ROUTE_BAD_ID, id); /* 65 characters */
    ASSERT(r && r->fn == srv_h_put_offer);
    route(HTTP_GET, "/v1/offers/a@b/matches", SRV_ROUTE_BAD_ID, id);
    route(HTTP_GET, "/healthzz", SRV_ROUTE_NOT_FOUND, id);
    const srv_route_t *out = NULL;
    ASSERT_EQ(srv_route_match(HTTP_PATCH, "/v1/offers/x", &out, id, allow, sizeof allow),
              SRV_ROUTE_BAD_METHOD);
    ASSERT_STREQ(allow, "PUT, GET, HEAD, DELETE");
    ASSERT_EQ(srv_route_match(HTTP_PUT, "/v1/offers/search", &out, id, allow, sizeof allow),
              SRV_ROUTE_BAD_METHOD);
    ASSERT_STREQ(allow, "GET, HEAD");
    ASSERT_EQ(srv_route_match(HTTP_DELETE, "/v1/match", &out, id, allow, sizeof allow),
              SRV_ROUTE_BAD_METHOD);
    ASSERT_STREQ(allow, "POST");
    /* every pattern is unique per method */
    for (size_t i = 0; i < srv_route_count; i++)
        for (size_t j = 0; j < i; j++)
            ASSERT(srv_routes[i].method != srv_routes[j].method ||
                   strcmp(srv_routes[i].pattern, srv_routes[j].pattern) != 0);
}

static void test_keys(void)
{
    char err[256];
    unsigned char d[32];
    unsigned int n = 0;
    ASSERT(EVP_Digest("portal-secret", 13, d, &n, EVP_sha256(), NULL) == 1);
    char hex[65];
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02X", d[i]); /* upper case hex is accepted too */
    char text[512];
    snprintf(text, sizeof text,
             "{\"keys\":[{\"key\":\"admin-secret\",\"scope\":\"admin\",\"name\":\"ops\"},"
             "{\"key\":\"adv-secret\",\"scope\":\"adviser\"},"
             "{\"key_sha256\":\"%s\",\"scope\":\"portal\",\"name\":\"web\"}]}",
             hex);
    srv_keys_t *k = NULL;
    ASSERT_EQ(srv_keys_parse(text, strlen(text), &k, err, sizeof err), 0);
    ASSERT_EQ(k->n, 3);
    srv_key_t *f = srv_keys_find(k, "admin-secret", 12);
    ASSERT(f && f->scope == SRV_SCOPE_ADMIN);
    ASSERT_STREQ(f->name, "ops");
    f = srv_keys_find(k, "adv-secret", 10);
    ASSERT(f && f->scope == SRV_SCOPE_ADVISER);
    ASSERT_STREQ(f->name, "unnamed");
    f = srv_keys_find(k, "portal-secret", 13);
    ASSERT(f && f->scope == SRV_SCOPE_PORTAL);
    ASSERT(srv_keys_find(k, "admin-secre", 11) == NULL);
    ASSERT(srv_keys_find(k, "admin-secretx", 13) == NULL);
    ASSERT(srv_keys_find(k, "", 0) == NULL);
    ASSERT(srv_keys_find(NULL, "admin-secret", 12) == NULL);

    /* a connection's key cache: the same secret again resolves to the same key, another
     * secret or another key set (SIGHUP) is looked up again, an unknown one stays unknown */
    srv_key_cache_t cache = {0};
    ASSERT(srv_keys_bearer(k, "Bearer admin-secret", &cache) ==
           srv_keys_find(k, "admin-secret", 12));
    ASSERT(cache.set == k && cache.len == 12);
    ASSERT(srv_keys_bearer(k, "Bearer admin-secret ", &cache)->scope == SRV_SCOPE_ADMIN);
    ASSERT(srv_keys_bearer(k, "Bearer admin-secreT", &cache) == NULL); /* same length */
    ASSERT(cache.key == NULL && cache.len == 12);
    ASSERT(srv_keys_bearer(k, "Bearer admin-secreT", &cache) == NULL); /* cached unknown */
    ASSERT(srv_keys_bearer(k, "Bearer adv-secret", &cache)->scope == SRV_SCOPE_ADVISER);
    ASSERT(srv_keys_bearer(k, "Basic adv-secret", &cache) == NULL); /* not a bearer */
    srv_keys_t *other = NULL;
    const char *reload = "{\"keys\":[{\"key\":\"adv-secret\",\"scope\":\"portal\"}]}";
    ASSERT_EQ(srv_keys_parse(reload, strlen(reload), &other, err, sizeof err), 0);
    ASSERT(srv_keys_bearer(other, "Bearer adv-secret", &cache)->scope == SRV_SCOPE_PORTAL);
    ASSERT(srv_keys_bearer(k, "Bearer adv-secret", &cache)->scope == SRV_SCOPE_ADVISER);
    srv_keys_free(other);
    char longer[SRV_KEY_CACHE_MAX + 16];
    memset(longer, 'x', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    memcpy(longer, "Bearer ", 7);
    ASSERT(srv_keys_bearer(k, longer, &cache) == NULL); /* not cached: too long */
    ASSERT(cache.len == 10);
    ASSERT(srv_keys_bearer(k, "Bearer portal-secret", NULL)->scope == SRV_SCOPE_PORTAL);
    srv_key_cache_clear(&cache);
    ASSERT(cache.set == NULL && cache.len == 0 && cache.secret[0] == '\0');

    /* token bucket: burst 2, 1 per second */
    srv_key_t *b = srv_keys_find(k, "admin-secret", 12);
    long retry = 0;
    ASSERT(srv_rate_take(b, 1000, 1, 2, &retry));
    ASSERT(srv_rate_take(b, 1000, 1, 2, &retry));
    ASSERT(!srv_rate_take(b, 1000, 1, 2, &retry));
    ASSERT_EQ(retry, 1);
    ASSERT(!srv_rate_take(b, 1500, 1, 2, &retry));
    ASSERT(srv_rate_take(b, 2100, 1, 2, &retry));
    ASSERT(srv_rate_take(b, 0, 0, 0, &retry)); /* rate 0: no limit */
    ASSERT(strstr(k->warning, "keys[0] (ops) has 12 characters") != NULL); /* short: said */
    ASSERT(strstr(k->warning, "; keys[1] () has 10 characters") != NULL);  /* each of them */
    ASSERT(strstr(k->warning, "keys[2]") == NULL); /* a digest: its length unknown */
    srv_keys_free(k);
    /* long keys under distinct names: nothing to say; two under one name: said */
    const char *good = "{\"keys\":[{\"key\":\"a-long-enough-secret-1\",\"scope\":\"admin\","
                       "\"name\":\"ops\"},{\"key\":\"a-long-enough-secret-2\",\"scope\":\"portal\","
                       "\"name\":\"web\"}]}";
    ASSERT_EQ(srv_keys_parse(good, strlen(good), &k, err, sizeof err), 0);
    ASSERT_STREQ(k->warning, "");
    srv_keys_free(k);
    const char *twice = "{\"keys\":[{\"key\":\"a-long-enough-secret-1\",\"scope\":\"admin\","
                        "\"name\":\"ops\"},{\"key\":\"a-long-enough-secret-2\",\"scope\":"
                        "\"portal\",\"name\":\"ops\"}]}";
    ASSERT_EQ(srv_keys_parse(twice, strlen(twice), &k, err, sizeof err), 0);
    ASSERT(strstr(k->warning, "both named \"ops\"") != NULL);
    srv_keys_free(k);

    const char *bad[] = {
        "{\"keys\":[{\"key\":\"x\",\"scope\":\"root\"}]}",
        "{\"keys\":[{\"scope\":\"admin\"}]}",
        "{\"keys\":[{\"key_sha256\":\"abc\",\"scope\":\"admin\"}]}",
        "{\"keys\":[{\"key_sha256\":"
        "\"zz00000000000000000000000000000000000000000000000000000000000000\","
        "\"scope\":\"admin\"}]}",
        "{\"keys\":{}}",
        "[]",
        "nope",
        "{\"keys\":[]}", /* nobody could call the API */
        /* one key given two scopes: which one applies would depend on the order */
        "{\"keys\":[{\"key\":\"same\",\"scope\":\"portal\"},{\"key\":\"same\",\"scope\":"
        "\"admin\"}]}",
        /* a member twice: the keys list or a key's scope would be the reader's choice */
        "{\"keys\":[{\"key\":\"k1\",\"scope\":\"portal\"}],\"keys\":[{\"key\":\"k2\","
        "\"scope\":\"admin\"}]}",
        "{\"keys\":[{\"key\":\"k1\",\"scope\":\"portal\",\"scope\":\"admin\"}]}",
        /* keys that could never be sent */
        "{\"keys\":[{\"key\":\"two words here!!\",\"scope\":\"admin\"}]}",
        "{\"keys\":[{\"key\":\"a-long-enough-secret\\n\",\"scope\":\"admin\"}]}",
        "{\"keys\":[{\"key\":\"clé-très-secrète-1\",\"scope\":\"admin\"}]}",
        /* typos are not ignored, as in --config */
        "{\"keys\":[{\"key\":\"a-long-enough-secret\",\"scope\":\"admin\",\"colour\":1}]}",
        "{\"keys\":[{\"key\":\"a-long-enough-secret\",\"scope\":\"admin\"}],\"key\":[]}",
        "{\"keys\":[\"a-long-enough-secret\"]}",
        "{\"keys\":[{\"key\":\"a-long-enough-secret\",\"key_sha256\":"
        "\"0000000000000000000000000000000000000000000000000000000000000000\","
        "\"scope\":\"admin\"}]}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        k = (srv_keys_t *)1;
        ASSERT_EQ(srv_keys_parse(bad[i], strlen(bad[i]), &k, err, sizeof err), -1);
        ASSERT(k == NULL);
    }
    ASSERT_EQ(srv_scope_parse("admin"), SRV_SCOPE_ADMIN);
    ASSERT_EQ(srv_scope_parse("Admin"), -1);
}

int main(void)
{
    test_router();
    test_keys();
    printf("router and auth: ok\n");
    return 0;
}
