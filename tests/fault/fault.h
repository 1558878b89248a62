/* Fault tests' shared step: run a child that announces each unit of work it starts, and kill
 * it with SIGKILL a chosen time after its first start (never before it has started: a kill
 * before any work would check nothing, whatever the machine's load). */
#ifndef CM_TEST_FAULT_H
#define CM_TEST_FAULT_H

#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "test.h"

#define CM_FAULT_START_MAX_MS 60000 /* the first start must come within this */

static inline long cm_fault_ms_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* Fork; the child runs child(arg, fd), writing one byte to fd as it starts each unit of work,
 * and never returns. The child is killed run_ms after its first start; returns how many
 * starts it announced. `what` names the work in failure messages. */
static inline unsigned cm_fault_run_and_kill(void (*child)(void *arg, int fd), void *arg,
                                             long run_ms, const char *what, int round)
{
    int p[2];
    ASSERT_EQ(pipe(p), 0);
    pid_t pid = fork();
    ASSERT(pid >= 0);
    if (pid == 0) {
        close(p[0]);
        child(arg, p[1]);
        _exit(9);
    }
    close(p[1]);
    struct timespec t0;
    bool started = false;
    unsigned starts = 0;
    for (;;) {
        long wait_ms = started ? run_ms - cm_fault_ms_since(&t0) : CM_FAULT_START_MAX_MS;
        if (started && wait_ms <= 0)
            break;
        struct pollfd pfd = {.fd = p[0], .events = POLLIN};
        int pr = poll(&pfd, 1, (int)wait_ms);
        if (!started && pr <= 0)
            CM_FAIL_("round %d: no %s started within %d ms", round, what, CM_FAULT_START_MAX_MS);
        if (pr > 0) {
            char buf[64];
            ssize_t r = read(p[0], buf, sizeof buf);
            if (r <= 0)
                CM_FAIL_("round %d: the %s child died on its own", round, what);
            starts += (unsigned)r;
            if (!started) {
                started = true;
                clock_gettime(CLOCK_MONOTONIC, &t0);
            }
        }
    }
    ASSERT_EQ(kill(pid, SIGKILL), 0);
    int status;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    close(p[0]);
    return starts;
}

#endif
