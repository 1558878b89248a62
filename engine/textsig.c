/* Text signatures for the text factor: a record's French word stems (Xapian's stemmer,
 * through the shim) less stop words and stems under 3 letters, as a sorted set of 32-bit
 * hashes, computed once when the record enters the catalog. Matching compares two signatures
 * in memory and never reads the index, so text(a, b) depends only on the two records. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "cmx.h"
#include "score.h"
#include "sort_u32.h"
#include "textquery.h"

#define SIG_TERMS_MAX 4096 /* content words read per text (the rest is ignored) */
#define STOP_MAX 128
#define SIG_MIN_WORDS 6 /* the least divisor of an overlap (cm__sig_overlap) */

static uint32_t stop_hash[STOP_MAX]; /* the stop words, stemmed by the same generator */
static size_t n_stop;
static pthread_once_t stop_once = PTHREAD_ONCE_INIT;

static uint32_t term_hash(const char *s, size_t len)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static bool is_stop(uint32_t h)
{
    return n_stop && bsearch(&h, stop_hash, n_stop, sizeof *stop_hash, cmp_u32) != NULL;
}

static int collect_stop(void *arg, const char *term, size_t len)
{
    (void)arg;
    if (n_stop < STOP_MAX)
        stop_hash[n_stop++] = term_hash(term, len);
    return 0;
}

static void init_stop(void)
{
    static const char words[] =
        "les des une pour dans avec par sur est qui que aux vous nous son ses leur leurs "
        "plus pas tout tous toute toutes etc cette ces cet elle ils elles ont sont mais "
        "donc car ainsi comme entre vers chez sans sous afin tres bien avoir etre fait "
        "faire notre nos votre vos";
    cm__text_init(); /* the acronyms kept whole, before the first stem */
    if (cmx_text_stems(words, sizeof words - 1, collect_stop, NULL, NULL) != 0)
        n_stop = 0; /* no stop list: a little noise, still symmetric */
    qsort(stop_hash, n_stop, sizeof *stop_hash, cmp_u32);
}

typedef struct collect {
    uint32_t *h;
    uint32_t n, cap;
} collect_t;

/* Content stems: at least 3 letters, not a stop word. Repeats are removed afterwards. */
static int collect_content(void *arg, const char *term, size_t len)
{
    collect_t *c = arg;
    if (len < 3 || c->n == SIG_TERMS_MAX)
        return 0;
    uint32_t h = term_hash(term, len);
    if (is_stop(h))
        return 0;
    if (c->n == c->cap) {
        uint32_t cap = c->cap ? c->cap * 2 : 32;
        uint32_t *n = realloc(c->h, cap * sizeof *n);
        if (!n)
            return CM_ENOMEM;
        c->h = n;
        c->cap = cap;
    }
    c->h[c->n++] = h;
    return 0;
}

static int add_text(collect_t *c, const char *text)
{
    return text ? cmx_text_stems(text, strlen(text), collect_content, c, NULL) : 0;
}

/* The collected stems as a signature: hashes sorted, repeats removed (empty: h NULL, n 0).
 * rc: the collection's outcome (CMX_ENOMEM = CM_ENOMEM, CMX_EINTERNAL = CM_EINTERNAL). */
static int finish(collect_t *c, int rc, cm__sig_t *out)
{
    out->h = NULL;
    out->n = 0;
    if (rc || c->n == 0) {
        free(c->h);
        return rc;
    }
    uint32_t k = (uint32_t)cm__sort_unique_u32(c->h, c->n);
    /* the collection grew by doubling: give back what the repeats and the doubling left over
     * (a national catalog holds 1.25 million signatures) */
    uint32_t *fit = k < c->cap ? realloc(c->h, k * sizeof *fit) : NULL;
    out->h = fit ? fit : c->h;
    out->n = k;
    return 0;
}

/* The text fields the index holds for each kind (engine/index.c), each tokenized on its own
 * (so words of two fields never merge). */
int cm__sig_offer(const cm_offer_t *o, cm__sig_t *out)
{
    collect_t c = {0};
    pthread_once(&stop_once, init_stop);
    int rc = add_text(&c, o->title);
    if (rc == 0)
        rc = add_text(&c, o->description);
    if (rc == 0)
        rc = add_text(&c, o->employer_name);
    if (rc == 0)
        rc = add_text(&c, o->city);
    for (size_t i = 0; rc == 0 && i < o->n_skills; i++)
        rc = add_text(&c, o->skills[i].label);
    return finish(&c, rc, out);
}

int cm__sig_candidate(const cm_candidate_t *c, cm__sig_t *out)
{
    collect_t col = {0};
    pthread_once(&stop_once, init_stop);
    int rc = add_text(&col, c->summary); /* not the city: the commute speaks of places */
    for (size_t i = 0; rc == 0 && i < c->n_skills; i++)
        rc = add_text(&col, c->skills[i]);
    return finish(&col, rc, out);
}

void cm__sig_clear(cm__sig_t *s)
{
    free(s->h);
    s->h = NULL;
    s->n = 0;
}

double cm__sig_overlap(const cm__sig_t *a, const cm__sig_t *b)
{
    uint32_t i = 0, j = 0, common = 0;
    while (i < a->n && j < b->n) {
        uint32_t x = a->h[i], y = b->h[j];
        common += x == y;
        i += x <= y;
        j += x >= y;
    }
    /* over the shorter text, but never fewer than SIG_MIN_WORDS words: a profile of two words
     * both in the offer is no better evidence than a real summary sharing six */
    uint32_t m = a->n < b->n ? a->n : b->n;
    if (m && m < SIG_MIN_WORDS)
        m = SIG_MIN_WORDS;
    return m ? (double)common / (double)m : 0.0;
}
