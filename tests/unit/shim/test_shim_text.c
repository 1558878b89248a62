/* The stem cache in front of the French stemmer: each thread that analyses text has its own,
 * so it must stay small whatever words come. Until 2026-12 it kept up to 200,000 words a
 * thread: a server taking writes with words seen once (names, numbers) gained 110 bytes of
 * heap a write on each of its 64 writers' threads (outside probe). */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "cmx.h"
#include "test.h"

#define CACHE_MAX 4096 /* STEM_CACHE_MAX in shim/cmx_text.cc */

static int collect(void *arg, const char *term, size_t len)
{
    char *out = arg;
    snprintf(out, 64, "%.*s", (int)len, term);
    return 0;
}

static void stem_one(const char *word, char out[64])
{
    out[0] = '\0';
    ASSERT_OK(cmx_text_stems(word, strlen(word), collect, out, NULL));
}

/* Distinct words, letters only ("kab", "kac"...): each new to the cache. */
static void letters_word(unsigned i, char out[16])
{
    char *p = out;
    *p++ = 'k';
    do {
        *p++ = (char)('a' + i % 26);
        i /= 26;
    } while (i);
    *p = '\0';
}

static void test_cache_bounded(void)
{
    char stem[64], w[16];
    stem_one("soignantes", stem);
    ASSERT_STREQ(stem, "soign"); /* the cache answers as the stemmer does */
    stem_one("soignantes", stem);
    ASSERT_STREQ(stem, "soign");
    for (unsigned i = 0; i < 3 * CACHE_MAX; i++) {
        letters_word(i, w);
        stem_one(w, stem);
        ASSERT(cmx_text_stem_cache_size() <= CACHE_MAX);
    }
    ASSERT(cmx_text_stem_cache_size() > 0);
    size_t before = cmx_text_stem_cache_size();
    for (unsigned i = 0; i < 1000; i++) { /* words with a digit are stemmed, not kept */
        char num[32];
        snprintf(num, sizeof num, "ref%u", 100000 + i);
        stem_one(num, stem);
        ASSERT_STREQ(stem, num);
    }
    ASSERT_EQ(cmx_text_stem_cache_size(), before);
}

static void *other_thread(void *arg)
{
    (void)arg;
    char stem[64];
    ASSERT_EQ(cmx_text_stem_cache_size(), 0); /* its own, empty cache */
    stem_one("auxiliaires", stem);
    ASSERT_EQ(cmx_text_stem_cache_size(), 1);
    return NULL;
}

int main(void)
{
    test_cache_bounded();
    pthread_t t;
    ASSERT_EQ(pthread_create(&t, NULL, other_thread, NULL), 0);
    ASSERT_EQ(pthread_join(t, NULL), 0);
    puts("test_shim_text: ok");
    return 0;
}
