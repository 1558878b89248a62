/* Group commit of single puts (engine/writes.c): puts from many threads at once, each durable
 * and visible when answered, with the If-Match / If-None-Match checks of a group made in
 * order (no lost update: the stored version counts exactly the successful conditional puts)
 * and a put that fails its check failing alone. Also: the counters show commits shared. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "carematch/engine.h"
#include "test.h"

#define THREADS 8
#define OWN 60   /* puts of a thread's own new offers */
#define RACES 40 /* conditional puts on the shared offers */
#define SHARED 3

static cm_engine_t *engine;
static int wins[SHARED];
static pthread_mutex_t wins_mu = PTHREAD_MUTEX_INITIALIZER;

static cm_offer_t *offer(const char *id, int n)
{
    char json[512];
    cm_offer_t *o = NULL;
    cm_error err = {0};
    snprintf(json, sizeof json,
             "{\"id\":\"%s\",\"title\":\"Aide-soignant %d\",\"rome\":\"J1501\",\"location\":"
             "{\"lat\":48.85,\"lon\":2.35},\"contract\":\"CDI\"}",
             id, n);
    if (cm_offer_from_json(json, strlen(json), NULL, &o, &err))
        CM_FAIL_("offer %s: %s", id, err.message);
    return o;
}

static uint64_t version_of(const char *id)
{
    cm_offer_t *o;
    ASSERT_OK(cm_engine_get_offer(engine, id, &o));
    uint64_t v = o->version;
    cm_offer_free(o);
    return v;
}

static void *worker(void *arg)
{
    long t = (long)arg;
    char id[32];
    for (int i = 0; i < OWN; i++) {
        snprintf(id, sizeof id, "own-%ld-%d", t, i);
        cm_offer_t *o = offer(id, i);
        bool created = false;
        ASSERT_OK(cm_engine_put_offer(engine, o, CM_IF_ABSENT, &created, NULL));
        ASSERT(created);
        ASSERT_EQ(o->version, 1);
        cm_offer_free(o);
        ASSERT_EQ(version_of(id), 1); /* visible once answered */
    }
    for (int i = 0; i < RACES; i++) {
        int k = (int)((t + i) % SHARED);
        snprintf(id, sizeof id, "shared-%d", k);
        cm_offer_t *o = offer(id, i);
        if (i % 7 == 0) { /* "only create" on an existing offer: fails alone */
            ASSERT_RC(cm_engine_put_offer(engine, o, CM_IF_ABSENT, NULL, NULL), CM_EEXIST);
        } else {
            uint64_t v = version_of(id);
            int rc = cm_engine_put_offer(engine, o, v, NULL, NULL);
            if (rc == 0) {
                ASSERT_EQ(o->version, v + 1);
                pthread_mutex_lock(&wins_mu);
                wins[k]++;
                pthread_mutex_unlock(&wins_mu);
            } else {
                ASSERT_RC(rc, CM_EEXIST); /* another put got in first */
            }
        }
        cm_offer_free(o);
    }
    return NULL;
}

int main(void)
{
    cm_error err = {0};
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", cm_test_tmpdir("groupcommit"));
    int rc = cm_engine_open(dir, NULL, &engine, &err);
    if (rc)
        CM_FAIL_("open: %s", err.message);
    for (int k = 0; k < SHARED; k++) {
        char id[32];
        snprintf(id, sizeof id, "shared-%d", k);
        cm_offer_t *o = offer(id, 0);
        ASSERT_OK(cm_engine_put_offer(engine, o, 0, NULL, NULL));
        cm_offer_free(o);
    }
    pthread_t th[THREADS];
    for (long t = 0; t < THREADS; t++)
        ASSERT_EQ(pthread_create(&th[t], NULL, worker, (void *)t), 0);
    for (int t = 0; t < THREADS; t++)
        ASSERT_EQ(pthread_join(th[t], NULL), 0);
    int total_wins = 0;
    for (int k = 0; k < SHARED; k++) {
        char id[32];
        snprintf(id, sizeof id, "shared-%d", k);
        ASSERT_EQ(version_of(id), (uint64_t)(1 + wins[k])); /* no lost update */
        total_wins += wins[k];
    }
    ASSERT(total_wins > 0);
    cm_engine_info_t info;
    ASSERT_OK(cm_engine_info(engine, &info));
    ASSERT_EQ(info.offers, (uint64_t)(THREADS * OWN + SHARED));
    uint64_t n_puts = (uint64_t)SHARED + THREADS * OWN + THREADS * RACES;
    ASSERT_EQ(info.single_puts, n_puts);
    ASSERT(info.single_put_commits < n_puts); /* 8 threads at once: some commits shared */
    printf("test_group_commit: %llu puts in %llu commits\n", (unsigned long long)info.single_puts,
           (unsigned long long)info.single_put_commits);
    ASSERT_OK(cm_engine_check(engine, &err));
    cm_engine_close(engine);

    /* durable: all there after a reopen */
    rc = cm_engine_open(dir, NULL, &engine, &err);
    if (rc)
        CM_FAIL_("reopen: %s", err.message);
    ASSERT_OK(cm_engine_info(engine, &info));
    ASSERT_EQ(info.offers, (uint64_t)(THREADS * OWN + SHARED));
    cm_engine_close(engine);
    puts("test_group_commit: ok");
    return 0;
}
