/* Crash consistency: a child process imports (bulk batches and single writes) and is killed
 * with SIGKILL at a random moment; every acknowledged record must be there after reopen, and
 * the index must agree with storage (check). Repeated on the same directory. */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "carematch/engine.h"
#include "test.h"

#define ROUNDS 6
#define BATCH 200

static cm_offer_t *make_offer(int round, int i)
{
    char json[768];
    cm_offer_t *o = NULL;
    cm_error err = {0};
    snprintf(json, sizeof json,
             "{\"id\":\"r%d-%06d\",\"title\":\"Aide-soignant round %d numero %d\","
             "\"rome\":\"J1501\",\"description\":\"EHPAD recherche aide-soignant de nuit\","
             "\"location\":{\"lat\":%f,\"lon\":%f},\"contract\":\"CDI\"}",
             round, i, round, i, 44.0 + (i % 300) * 0.01, 1.0 + (i % 500) * 0.01);
    if (cm_offer_from_json(json, strlen(json), NULL, &o, &err))
        _exit(3);
    return o;
}

/* Child: write forever, acknowledging on the pipe each id whose write returned 0. */
static void writer(const char *dir, int round, int fd)
{
    cm_engine_t *e;
    cm_error err = {0};
    if (cm_engine_open(dir, NULL, &e, &err))
        _exit(2);
    cm_offer_t *recs[BATCH];
    int rcs[BATCH];
    for (int i = 0;; i += BATCH + 1) {
        for (int j = 0; j < BATCH; j++)
            recs[j] = make_offer(round, i + j);
        if (cm_engine_put_offers(e, recs, BATCH, rcs) != 0)
            _exit(4);
        for (int j = 0; j < BATCH; j++) {
            if (rcs[j] == 0 && dprintf(fd, "%s\n", recs[j]->id) < 0)
                _exit(5);
            cm_offer_free(recs[j]);
        }
        cm_offer_t *one = make_offer(round, i + BATCH);
        if (cm_engine_put_offer(e, one, 0, NULL, NULL) != 0)
            _exit(6);
        if (dprintf(fd, "%s\n", one->id) < 0)
            _exit(5);
        cm_offer_free(one);
    }
}

#define FIRST_ACK_MAX_MS 60000

int main(void)
{
    const char *dir = cm_test_tmpdir("crash");
    unsigned seed = (unsigned)time(NULL);
    const char *s = getenv("CM_TEST_SEED");
    if (s)
        seed = (unsigned)atoi(s);
    printf("seed %u (set CM_TEST_SEED to replay)\n", seed);
    srand(seed);
    size_t total_acked = 0;
    for (int round = 0; round < ROUNDS; round++) {
        int p[2];
        ASSERT_EQ(pipe(p), 0);
        pid_t pid = fork();
        ASSERT(pid >= 0);
        if (pid == 0) {
            close(p[0]);
            writer(dir, round, p[1]);
        }
        close(p[1]);
        /* drain acknowledgements while the child writes (a full pipe would stall it, and
         * the kill would no longer land in the middle of a write) */
        size_t cap = 1 << 20, len = 0;
        char *acks = malloc(cap);
        ASSERT(acks);
        /* The kill lands 150-750 ms after the first acknowledgement, not after the fork: opening
         * a store that grows round after round takes a while on a loaded machine (sanitizers,
         * parallel tests), and a kill before any write would test nothing. */
        struct timespec t0, t;
        bool started = false;
        long run_ms = 150 + rand() % 600;
        for (;;) {
            long el = 0, wait_ms = FIRST_ACK_MAX_MS;
            if (started) {
                clock_gettime(CLOCK_MONOTONIC, &t);
                el = (t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000;
                if (el >= run_ms)
                    break;
                wait_ms = run_ms - el;
            }
            struct pollfd pfd = {.fd = p[0], .events = POLLIN};
            int pr = poll(&pfd, 1, (int)wait_ms);
            if (pr < 0 && errno == EINTR)
                continue;
            if (!started && pr <= 0)
                CM_FAIL_("round %d: no write acknowledged within %d ms", round,
                         FIRST_ACK_MAX_MS);
            if (pr > 0) {
                if (len + 65536 > cap)
                    ASSERT((acks = realloc(acks, cap *= 2)) != NULL);
                ssize_t r = read(p[0], acks + len, cap - len);
                if (r <= 0)
                    break;
                len += (size_t)r;
                if (!started && memchr(acks, '\n', len)) {
                    started = true;
                    clock_gettime(CLOCK_MONOTONIC, &t0);
                }
            }
        }
        ASSERT_EQ(kill(pid, SIGKILL), 0);
        int status;
        ASSERT_EQ(waitpid(pid, &status, 0), pid);
        ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
        for (;;) { /* what the child wrote before dying */
            if (len + 65536 > cap)
                ASSERT((acks = realloc(acks, cap *= 2)) != NULL);
            ssize_t r = read(p[0], acks + len, cap - len);
            if (r <= 0)
                break;
            len += (size_t)r;
        }
        close(p[0]);
        size_t acked = 0;
        cm_engine_t *e;
        cm_error err = {0};
        int rc = cm_engine_open(dir, NULL, &e, &err);
        if (rc)
            CM_FAIL_("reopen after kill: %s (%s)", cm_strerror(rc), err.message);
        /* every complete line is an acknowledged id; a torn last line never was one */
        for (size_t at = 0; at < len;) {
            char *nl = memchr(acks + at, '\n', len - at);
            if (!nl)
                break;
            *nl = 0;
            const char *id = acks + at;
            at = (size_t)(nl - acks) + 1;
            cm_offer_t *o;
            rc = cm_engine_get_offer(e, id, &o);
            if (rc)
                CM_FAIL_("round %d: acknowledged %s missing: %s", round, id, cm_strerror(rc));
            ASSERT(strstr(o->title, "Aide-soignant round") != NULL);
            cm_offer_free(o);
            acked++;
        }
        free(acks);
        rc = cm_engine_check(e, &err);
        if (rc)
            CM_FAIL_("round %d: check after kill: %s", round, err.message);
        cm_engine_info_t info;
        ASSERT_OK(cm_engine_info(e, &info));
        ASSERT_EQ(info.indexed_seq, info.last_seq);
        printf("round %d: %zu acknowledged writes present, %llu offers stored, index "
               "consistent\n",
               round, acked, (unsigned long long)info.offers);
        ASSERT(acked > 0);
        total_acked += acked;
        cm_engine_close(e);
    }
    printf("test_crash_import: ok (%zu acknowledged writes checked)\n", total_acked);
    return 0;
}
