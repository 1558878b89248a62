/* Snippets for the result list: the passage of an offer's text where the searched words are,
 * with each found word marked (textquery.h). Words are cut and stemmed as the index does, so a
 * word is marked exactly when the search matched its stem ("Aides-soignantes" for
 * "aide soignant"). */
#include <stdlib.h>
#include <string.h>

#include "textquery.h"

#define WINDOW_WORDS 30
#define SNIPPET_BYTES_MAX 320
#define TOKENS_MAX 4096
#define STEMS_MAX 256
#define ELLIPSIS "\xe2\x80\xa6" /* U+2026 */

struct cm__snip_stems {
    char s[STEMS_MAX][CM__TQ_STEM_MAX];
    const char *at[STEMS_MAX]; /* at[i] = s[i], for cmx_text_tokens_among */
    size_t len[STEMS_MAX];
    size_t n;
};

typedef struct token {
    uint32_t off, len;
    int16_t stem; /* index into the searched stems, -1: not searched */
} token_t;

typedef struct tokens {
    token_t *t;
    size_t n, cap;
    bool nomem;
    const cm__snip_stems_t *stems;
} tokens_t;

static int add_stem(void *arg, const char *stem)
{
    cm__snip_stems_t *set = arg;
    for (size_t i = 0; i < set->n; i++)
        if (strcmp(set->s[i], stem) == 0)
            return 0;
    if (set->n == STEMS_MAX)
        return 1;
    set->len[set->n] = strlen(stem); /* shorter than CM__TQ_STEM_MAX (textquery.c) */
    memcpy(set->s[set->n], stem, set->len[set->n] + 1);
    set->at[set->n] = set->s[set->n];
    set->n++;
    return 0;
}

int cm__snip_stems_new(const cm__textq_t *tq, cm__snip_stems_t **out)
{
    cm__snip_stems_t *set = malloc(sizeof *set);
    if (!set)
        return CM_ENOMEM;
    set->n = 0;
    (void)cm__textq_each_stem(tq, add_stem, set);
    *out = set;
    return 0;
}

void cm__snip_stems_free(cm__snip_stems_t *st)
{
    free(st);
}

static int add_token(void *arg, const cmx_token_t *t)
{
    tokens_t *ts = arg;
    if (ts->n == TOKENS_MAX)
        return 1;
    if (ts->n == ts->cap) {
        size_t cap = ts->cap ? ts->cap * 2 : 128;
        token_t *grown = realloc(ts->t, cap * sizeof *grown);
        if (!grown) {
            ts->nomem = true;
            return 1;
        }
        ts->t = grown;
        ts->cap = cap;
    }
    token_t *k = &ts->t[ts->n++];
    k->off = (uint32_t)t->off;
    k->len = (uint32_t)t->len;
    k->stem = -1;
    const cm__snip_stems_t *st = ts->stems;
    for (size_t i = 0; i < st->n && t->stem_len > 0; i++)
        if (t->stem_len == st->len[i] && memcmp(st->s[i], t->stem, t->stem_len) == 0) {
            k->stem = (int16_t)i;
            break;
        }
    return 0;
}

/* The window [*a, *b) of at most WINDOW_WORDS tokens with the most distinct searched stems,
 * then the most marked words; the first such. Returns the distinct count. */
static size_t best_window(const tokens_t *ts, size_t *a, size_t *b)
{
    size_t best_d = 0, best_m = 0;
    *a = 0;
    *b = ts->n < WINDOW_WORDS ? ts->n : WINDOW_WORDS;
    for (size_t i = 0; i < ts->n; i++) {
        if (ts->t[i].stem < 0)
            continue; /* a best window may as well start on a marked word */
        size_t end = i + WINDOW_WORDS < ts->n ? i + WINDOW_WORDS : ts->n;
        size_t d = 0, m = 0;
        unsigned char seen[STEMS_MAX] = {0};
        for (size_t j = i; j < end; j++) {
            int s = ts->t[j].stem;
            if (s < 0)
                continue;
            m++;
            if (!seen[s]) {
                seen[s] = 1;
                d++;
            }
        }
        if (d > best_d || (d == best_d && m > best_m)) {
            best_d = d;
            best_m = m;
            /* start a few words before the first match, for context */
            *a = i > 3 ? i - 3 : 0;
            *b = *a + WINDOW_WORDS < ts->n ? *a + WINDOW_WORDS : ts->n;
        }
    }
    return best_d;
}

int cm__snippet(const char *field, const char *text, const cm__snip_stems_t *st, cm_snippet_t *out)
{
    memset(out, 0, sizeof *out);
    if (!text || !*text)
        return 0;
    tokens_t ts = {NULL, 0, 0, false, st};
    /* only the words that may stem to a searched stem are stemmed (most of a long text is not) */
    int rc =
        cmx_text_tokens_among(text, strlen(text), st->at, st->len, st->n, add_token, &ts, NULL);
    if (rc < 0 || ts.nomem || ts.n == 0) {
        free(ts.t);
        return rc < 0 ? rc : ts.nomem ? CM_ENOMEM : 0;
    }
    size_t a, b;
    (void)best_window(&ts, &a, &b);
    /* keep it short in bytes too (long words, URLs) */
    while (b > a + 1 && ts.t[b - 1].off + ts.t[b - 1].len - ts.t[a].off > SNIPPET_BYTES_MAX)
        b--;
    size_t start = a == 0 ? 0 : ts.t[a].off;
    size_t end = ts.t[b - 1].off + ts.t[b - 1].len;
    bool cut_before = a > 0, cut_after = b < ts.n;
    if (!cut_after)
        end = strlen(text);
    size_t pre = cut_before ? strlen(ELLIPSIS) + 1 : 0;
    size_t cap = pre + (end - start) + (cut_after ? strlen(ELLIPSIS) + 1 : 0) + 1;
    char *s = malloc(cap);
    if (!s) {
        free(ts.t);
        return CM_ENOMEM;
    }
    size_t n = 0;
    if (cut_before) {
        memcpy(s, ELLIPSIS " ", pre);
        n = pre;
    }
    memcpy(s + n, text + start, end - start);
    n += end - start;
    if (cut_after) {
        memcpy(s + n, " " ELLIPSIS, strlen(ELLIPSIS) + 1);
        n += strlen(ELLIPSIS) + 1;
    }
    s[n] = '\0';
    for (size_t i = a; i < b && out->n_marks < CM_SNIPPET_MARKS_MAX; i++)
        if (ts.t[i].stem >= 0)
            out->marks[out->n_marks++] =
                (cm_snippet_mark_t){(uint32_t)(pre + ts.t[i].off - start), ts.t[i].len};
    out->field = field;
    out->text = s;
    free(ts.t);
    return 0;
}
