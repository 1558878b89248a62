/* Readers and the index writer (engine/readers.c): a search in flight never holds a commit
 * up unless it could be outrun, and a commit never holds a search up.
 * - a reader taken at generation G lets the writer make commit G+1, not G+2 (which may reuse
 *   its revision's blocks): the writer waits, the write's answer times out as lagging, and
 *   once the reader is given back the write becomes searchable;
 * - meanwhile new searches answer (with the old scheme, a commit waiting for the reader
 *   held every new search out: this test then times out);
 * - the old reader still searches its revision without error. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "carematch/engine.h"
#include "engine_impl.h"
#include "test.h"

static cm_engine_t *engine;

static cm_offer_t *offer(const char *id, const char *title)
{
    char json[512];
    cm_offer_t *o = NULL;
    cm_error err = {0};
    snprintf(json, sizeof json,
             "{\"id\":\"%s\",\"title\":\"%s\",\"rome\":\"J1501\",\"location\":{\"lat\":48.85,"
             "\"lon\":2.35},\"contract\":\"CDI\"}",
             id, title);
    if (cm_offer_from_json(json, strlen(json), NULL, &o, &err))
        CM_FAIL_("offer %s: %s", id, err.message);
    return o;
}

static bool put(const char *id, const char *title)
{
    bool lagging = true;
    cm_offer_t *o = offer(id, title);
    ASSERT_OK(cm_engine_put_offer(engine, o, 0, NULL, &lagging));
    cm_offer_free(o);
    return lagging;
}

static size_t hits(const char *text)
{
    cm_search_query_t q = {0};
    cm_search_result_t *res = NULL;
    cm_error err = {0};
    q.q = text;
    q.limit = 10;
    q.immersion_possible = q.pre_hire_training = q.accessible_to_disabled_workers = -1;
    int rc = cm_engine_search(engine, &q, &res, &err);
    if (rc)
        CM_FAIL_("search %s: %s (%s)", text, cm_strerror(rc), err.message);
    size_t n = res->n_hits;
    cm_search_result_free(res);
    return n;
}

static uint64_t generation(void)
{
    pthread_mutex_lock(&engine->mu);
    uint64_t g = engine->generation;
    pthread_mutex_unlock(&engine->mu);
    return g;
}

typedef struct job {
    bool (*fn)(struct job *);
    bool result, done;
    pthread_mutex_t mu;
    pthread_cond_t cv;
} job_t;

static void *run_job(void *arg)
{
    job_t *j = arg;
    bool r = j->fn(j);
    pthread_mutex_lock(&j->mu);
    j->result = r;
    j->done = true;
    pthread_cond_signal(&j->cv);
    pthread_mutex_unlock(&j->mu);
    return NULL;
}

/* Runs fn on a thread; false if it has not returned within `secs` (the thread is left). */
static bool within(job_t *j, bool (*fn)(job_t *), int secs)
{
    pthread_t th;
    j->fn = fn;
    j->done = false;
    pthread_mutex_init(&j->mu, NULL);
    pthread_cond_init(&j->cv, NULL);
    ASSERT_EQ(pthread_create(&th, NULL, run_job, j), 0);
    struct timespec dl;
    clock_gettime(CLOCK_REALTIME, &dl);
    dl.tv_sec += secs;
    pthread_mutex_lock(&j->mu);
    while (!j->done && pthread_cond_timedwait(&j->cv, &j->mu, &dl) == 0)
        ;
    bool done = j->done;
    pthread_mutex_unlock(&j->mu);
    if (done)
        pthread_join(th, NULL);
    else
        pthread_detach(th);
    return done;
}

static bool search_new(job_t *j)
{
    (void)j;
    return hits("infirmier") == 1;
}

static bool put_third(job_t *j)
{
    (void)j;
    return put("o3", "Ergothérapeute"); /* lagging: held back by the old reader */
}

int main(void)
{
    cm_error err = {0};
    cm_engine_options_t opt = {0};
    opt.visibility_timeout_ms = 1500;
    int rc = cm_engine_open(cm_test_tmpdir("readers"), &opt, &engine, &err);
    if (rc)
        CM_FAIL_("open: %s", err.message);
    ASSERT(!put("o1", "Aide-soignant de nuit"));
    ASSERT_EQ(hits("soignant"), 1);

    /* a reader taken now, at generation G, and kept */
    cm__searcher_t *old;
    cm__reader_slot_t *slot;
    ASSERT_OK(cm__reader_get(engine, &old, &slot));
    uint64_t g = generation();

    /* commit G+1 may be made while the reader is out: the write is searchable at once */
    ASSERT(!put("o2", "Infirmier coordinateur"));
    ASSERT_EQ(generation(), g + 1);
    job_t j1;
    ASSERT(within(&j1, search_new, 10)); /* a new search does not wait for anything */
    ASSERT(j1.result);

    /* commit G+2 may not: the writer waits, the answer comes at the visibility bound */
    job_t j2;
    ASSERT(within(&j2, put_third, 10));
    ASSERT(j2.result);              /* lagging */
    ASSERT_EQ(generation(), g + 1); /* no commit outran the reader */
    job_t j3;                       /* and searches still answer meanwhile */
    ASSERT(within(&j3, search_new, 10));
    ASSERT(j3.result);

    /* the old reader still reads its own revision, whole */
    cm_search_query_t q = {0};
    cm__search_ids_t ids;
    memset(&ids, 0, sizeof ids);
    q.q = "soignant";
    q.limit = 10;
    q.immersion_possible = q.pre_hire_training = q.accessible_to_disabled_workers = -1;
    ASSERT_OK(cm__searcher_search(old, &q, NULL, &ids, &err));
    ASSERT_EQ(ids.n, 1);
    cm__search_ids_free(&ids);

    /* given back: the writer goes on, the third write becomes searchable */
    cm__reader_put(engine, slot);
    for (int i = 0; i < 500 && hits("ergotherapeute") == 0; i++)
        usleep(10000);
    ASSERT_EQ(hits("ergotherapeute"), 1);
    /* the index writer counts the generation just after its commit is on disk: a reader
     * opened in between already sees the write (and is counted older, which is safe) */
    for (int i = 0; i < 500 && generation() < g + 2; i++)
        usleep(10000);
    ASSERT(generation() >= g + 2);
    ASSERT_OK(cm_engine_check(engine, &err));
    cm_engine_close(engine);
    puts("test_readers: ok");
    return 0;
}
