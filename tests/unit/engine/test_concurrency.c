/* Concurrent readers on one engine while a writer commits: searches (match-all and text) and
 * matches from 8 threads. Regression test for a shared Xapian::Query::MatchAll whose
 * non-atomic reference count was copied by several pool threads at once (segfault). */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "carematch/engine.h"
#include "test.h"

#define THREADS 8
#define ROUNDS 400

static cm_engine_t *engine;

static cm_offer_t *offer(int i)
{
    char json[512];
    cm_offer_t *o = NULL;
    cm_error err = {0};
    snprintf(json, sizeof json,
             "{\"id\":\"o%04d\",\"title\":\"%s\",\"rome\":\"%s\",\"location\":{\"lat\":%f,"
             "\"lon\":%f},\"contract\":\"CDI\"}",
             i, i % 2 ? "Aide-soignant de nuit" : "Auxiliaire de vie", i % 2 ? "J1501" : "K1311",
             48.5 + (i % 50) * 0.01, 2.0 + (i / 50) * 0.01);
    if (cm_offer_from_json(json, strlen(json), NULL, &o, &err))
        CM_FAIL_("offer %d: %s", i, err.message);
    return o;
}

static void *reader(void *arg)
{
    long t = (long)arg;
    for (int r = 0; r < ROUNDS; r++) {
        cm_search_query_t q = {0};
        cm_search_result_t *res = NULL;
        cm_error err = {0};
        q.q = (r + t) % 3 == 0 ? "soignant" : NULL; /* NULL: the match-all query */
        q.limit = 10;
        q.facets = (r % 2) ? (1u << CM_FACET_ROME) : 0;
        q.immersion_possible = q.pre_hire_training = q.accessible_to_disabled_workers = -1;
        int rc = cm_engine_search(engine, &q, &res, &err);
        if (rc)
            CM_FAIL_("search: %s (%s)", cm_strerror(rc), err.message);
        ASSERT(res->n_hits > 0);
        cm_search_result_free(res);
    }
    return NULL;
}

static void *writer(void *arg)
{
    (void)arg;
    for (int i = 1000; i < 1000 + ROUNDS / 2; i++) {
        cm_offer_t *o = offer(i);
        ASSERT_OK(cm_engine_put_offer(engine, o, 0, NULL, NULL));
        cm_offer_free(o);
    }
    return NULL;
}

int main(void)
{
    cm_error err = {0};
    int rc = cm_engine_open(cm_test_tmpdir("concurrency"), NULL, &engine, &err);
    if (rc)
        CM_FAIL_("open: %s", err.message);
    for (int i = 0; i < 200; i++) {
        cm_offer_t *o = offer(i);
        ASSERT_OK(cm_engine_put_offer(engine, o, 0, NULL, NULL));
        cm_offer_free(o);
    }
    pthread_t th[THREADS + 1];
    for (long t = 0; t < THREADS; t++)
        ASSERT_EQ(pthread_create(&th[t], NULL, reader, (void *)t), 0);
    ASSERT_EQ(pthread_create(&th[THREADS], NULL, writer, NULL), 0);
    for (int t = 0; t <= THREADS; t++)
        ASSERT_EQ(pthread_join(th[t], NULL), 0);
    ASSERT_OK(cm_engine_check(engine, &err));
    cm_engine_close(engine);
    puts("test_concurrency: ok");
    return 0;
}
