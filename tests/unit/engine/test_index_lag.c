/* Candidates' changes move nothing in the search index, so a batch of them alone is not
 * committed to it (indexer.c): the index's own last_seq lags, bounded, and nothing is lost by
 * it. Here: candidate puts make no index commit; an offer's does and is searchable; a crash
 * (no close) replays the gap at the next open, no rebuild; a clean close brings the index's
 * last_seq up to storage's; many candidate writes keep the lag bounded and the trimmed change
 * log never passes the index (no rebuild at the next open either). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "carematch/engine.h"
#include "engine_impl.h"
#include "index.h"
#include "test.h"

static int rebuilds;

static void log_cb(void *arg, cm_log_level_t level, const char *event, const char *message)
{
    (void)arg;
    (void)level;
    (void)message;
    if (strcmp(event, "index_rebuild") == 0)
        rebuilds++;
}

static cm_engine_t *open_at(const char *dir)
{
    cm_engine_t *e = NULL;
    cm_engine_options_t opt = {.log = log_cb};
    rebuilds = 0;
    ASSERT_OK(cm_engine_open(dir, &opt, &e, NULL));
    return e;
}

static void put_cand(cm_engine_t *e, int i, int minutes)
{
    char json[256];
    cm_candidate_t *c;
    snprintf(json, sizeof json,
             "{\"id\":\"lag-c%d\",\"location\":{\"lat\":48.85,\"lon\":2.35},"
             "\"desired_rome\":[\"J1501\"],\"mobility\":{\"modes\":[\"walk\"],"
             "\"max_minutes\":%d}}",
             i, minutes);
    ASSERT_OK(cm_candidate_from_json(json, strlen(json), NULL, &c, NULL));
    ASSERT_OK(cm_engine_put_candidate(e, c, 0, NULL, NULL));
    cm_candidate_free(c);
}

static void put_offer(cm_engine_t *e, const char *id, const char *title)
{
    char json[256];
    cm_offer_t *o;
    snprintf(json, sizeof json,
             "{\"id\":\"%s\",\"title\":\"%s\",\"rome\":\"J1501\","
             "\"location\":{\"lat\":48.85,\"lon\":2.35},\"contract\":\"CDI\"}",
             id, title);
    ASSERT_OK(cm_offer_from_json(json, strlen(json), NULL, &o, NULL));
    ASSERT_OK(cm_engine_put_offer(e, o, 0, NULL, NULL));
    cm_offer_free(o);
}

static uint64_t found(cm_engine_t *e, const char *words)
{
    cm_search_query_t q = {0};
    cm_search_result_t *r;
    q.q = words;
    q.limit = 5;
    q.immersion_possible = q.pre_hire_training = q.accessible_to_disabled_workers = -1;
    ASSERT_OK(cm_engine_search(e, &q, &r, NULL));
    uint64_t t = r->total;
    cm_search_result_free(r);
    return t;
}

static uint64_t commits(cm_engine_t *e)
{
    cm_engine_info_t in;
    ASSERT_OK(cm_engine_info(e, &in));
    return in.index_commits;
}

static uint64_t cands(cm_engine_t *e)
{
    cm_engine_info_t in;
    ASSERT_OK(cm_engine_info(e, &in));
    return in.candidates;
}

int main(void)
{
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/data", cm_test_tmpdir("indexlag"));
    cm_engine_t *e = open_at(dir);
    put_offer(e, "lag-o1", "Aide-soignant Zorglub");
    ASSERT_EQ(found(e, "zorglub"), 1);
    uint64_t c0 = commits(e);
    for (int i = 0; i < 50; i++)
        put_cand(e, i, 30);
    ASSERT_EQ(commits(e), c0); /* candidates alone: no index commit */
    ASSERT(__atomic_load_n(&e->stored_seq, __ATOMIC_RELAXED) < e->committed_seq);
    put_offer(e, "lag-o2", "Aide-soignant Grobulle");
    ASSERT_EQ(found(e, "grobulle"), 1); /* an offer's change is committed: read-your-writes */
    ASSERT(commits(e) > c0);
    for (int i = 50; i < 60; i++)
        put_cand(e, i, 40);
    uint64_t want = e->committed_seq;
    ASSERT(__atomic_load_n(&e->stored_seq, __ATOMIC_RELAXED) < want);
    cm_engine_close(e); /* a clean close brings the index's last_seq up to storage's */
    e = open_at(dir);
    ASSERT_EQ(rebuilds, 0);
    ASSERT_EQ(cm__index_last_seq(e->index), want);
    ASSERT_EQ(cands(e), 60);
    cm_engine_close(e);

    /* A crash after many candidate writes (the log trimmed meanwhile) and an offer among
     * them: the next open replays from the index's last_seq, no rebuild, nothing lost. */
    pid_t pid = fork();
    if (pid == 0) {
        cm_engine_t *c = open_at(dir);
        for (int i = 0; i < 6000; i++) {
            put_cand(c, i % 300, 20 + i % 100);
            if (i == 3000)
                put_offer(c, "lag-o3", "Aide-soignant Bidulon");
        }
        bool bounded =
            c->committed_seq - __atomic_load_n(&c->stored_seq, __ATOMIC_RELAXED) <= 2048 + 64;
        bool trim_ok = c->trimmed_seq <= __atomic_load_n(&c->stored_seq, __ATOMIC_RELAXED);
        _exit(bounded && trim_ok ? 0 : 3); /* no close: a crash */
    }
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT(WIFEXITED(status));
    ASSERT_EQ(WEXITSTATUS(status), 0); /* the lag stayed bounded, the trim behind the index */
    e = open_at(dir);
    ASSERT_EQ(rebuilds, 0);
    ASSERT_EQ(cands(e), 300);
    ASSERT_EQ(found(e, "bidulon"), 1);
    ASSERT_EQ(found(e, "zorglub"), 1);
    cm_engine_close(e);
    puts("test_index_lag: ok");
    return 0;
}
