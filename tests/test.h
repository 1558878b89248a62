/* Minimal test harness: assertions print both values (and cm_strerror for codes), then the
 * test stops with exit status 1. Each test binary is one ctest test. */
#ifndef CM_TEST_H
#define CM_TEST_H

#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "carematch/error.h"

/* A failure also marks the process (CM_TEST_FAILED, seen by every translation unit's exit
 * handler): its temporary directories are kept to look at. */
#define CM_FAIL_(...)                                                                              \
    do {                                                                                           \
        fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);                                            \
        fprintf(stderr, __VA_ARGS__);                                                              \
        fputc('\n', stderr);                                                                       \
        setenv("CM_TEST_FAILED", "1", 1);                                                          \
        exit(1);                                                                                   \
    } while (0)

#define ASSERT(cond)                                                                           \
    do {                                                                                       \
        if (!(cond))                                                                           \
            CM_FAIL_("assertion failed: %s", #cond);                                           \
    } while (0)

#define ASSERT_EQ(a, b)                                                                        \
    do {                                                                                       \
        long long a_ = (long long)(a), b_ = (long long)(b);                                    \
        if (a_ != b_)                                                                          \
            CM_FAIL_("%s == %s: %lld != %lld", #a, #b, a_, b_);                                \
    } while (0)

#define ASSERT_RC(expr, want)                                                                  \
    do {                                                                                       \
        int rc_ = (expr), w_ = (want);                                                         \
        if (rc_ != w_)                                                                         \
            CM_FAIL_("%s: got %d (%s), want %d (%s)", #expr, rc_, cm_strerror(rc_), w_,        \
                     cm_strerror(w_));                                                         \
    } while (0)

#define ASSERT_OK(expr) ASSERT_RC(expr, 0)

#define ASSERT_STREQ(a, b)                                                                     \
    do {                                                                                       \
        const char *a_ = (a), *b_ = (b);                                                       \
        if (!a_ || !b_ || strcmp(a_, b_) != 0)                                                 \
            CM_FAIL_("%s == %s: \"%s\" != \"%s\"", #a, #b, a_ ? a_ : "(null)",                 \
                     b_ ? b_ : "(null)");                                                      \
    } while (0)

#define ASSERT_NEAR(a, b, eps)                                                                 \
    do {                                                                                       \
        double a_ = (a), b_ = (b);                                                             \
        if (!(a_ - b_ <= (eps) && b_ - a_ <= (eps)))                                           \
            CM_FAIL_("%s ~= %s: %g vs %g (eps %g)", #a, #b, a_, b_, (double)(eps));            \
    } while (0)

/* Removes the tree at path (no symlink followed); errors ignored. */
static inline void cm_test_rmtree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *e;
        while (d && (e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char sub[4096];
            if ((size_t)snprintf(sub, sizeof sub, "%s/%s", path, e->d_name) < sizeof sub)
                cm_test_rmtree(sub);
        }
        if (d)
            closedir(d);
        rmdir(path);
    } else {
        unlink(path);
    }
}

/* The temporary directories this translation unit made, removed when the test exits without
 * a failure (a build's test directory grew by 67 GB over a day of runs); kept after one, or
 * with CM_KEEP_TMP=1. */
static char cm_test_dirs_[64][4096];
static int cm_test_ndirs_;
static pid_t cm_test_owner_; /* a forked child's exit removes nothing */

static inline void cm_test_cleanup_(void)
{
    const char *keep = getenv("CM_KEEP_TMP"), *failed = getenv("CM_TEST_FAILED");
    if ((keep && *keep == '1') || (failed && *failed == '1') || getpid() != cm_test_owner_)
        return;
    for (int i = 0; i < cm_test_ndirs_; i++)
        cm_test_rmtree(cm_test_dirs_[i]);
}

/* A fresh temporary directory under $CM_TEST_TMP (or /tmp); returns a static buffer. */
static inline const char *cm_test_tmpdir(const char *tag)
{
    static char buf[4096];
    const char *base = getenv("CM_TEST_TMP");
    if (!base || !*base)
        base = "/tmp";
    snprintf(buf, sizeof buf, "%s/%s-XXXXXX", base, tag);
    if (!mkdtemp(buf))
        CM_FAIL_("mkdtemp %s failed", buf);
    if (cm_test_ndirs_ < 64) {
        if (cm_test_ndirs_ == 0) {
            cm_test_owner_ = getpid();
            atexit(cm_test_cleanup_);
        }
        snprintf(cm_test_dirs_[cm_test_ndirs_++], sizeof cm_test_dirs_[0], "%s", buf);
    }
    return buf;
}

#endif
