/* Minimal test harness: assertions print both values (and cm_strerror for codes), then the
 * test stops with exit status 1. Each test binary is one ctest test. */
#ifndef CM_TEST_H
#define CM_TEST_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "carematch/error.h"

#define CM_FAIL_(...)                                                                          \
    do {                                                                                       \
        fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);                                        \
        fprintf(stderr, __VA_ARGS__);                                                          \
        fputc('\n', stderr);                                                                   \
        exit(1);                                                                               \
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
    return buf;
}

#endif
