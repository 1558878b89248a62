/* ROME 4.0 referential: codes, job titles and their suggestion index, v3 -> 4.0, neighbours;
 * and the text normaliser shared with referential_geo.c (communes). Diplomas:
 * referential_dip.c. */
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carematch/referential.h"
#include "ref/ref_data.h"
#include "referential_internal.h"

_Static_assert(offsetof(cm__rome_row_t, code) == 0 && offsetof(cm__rome_v3_row_t, code) == 0,
               "find_code_row reads the code at the start of a row");

/* ---------------------------------------------------------------------------------------
 * Normalisation: lower-case ASCII, French accents folded, every other character a space.
 * ------------------------------------------------------------------------------------- */

/* Latin-1 supplement U+00C0..U+00FF, folded (0 = separator). Two-letter folds are handled
 * apart (ae, oe, ss). */
static const char latin1[64] = "aaaaaa\001ceeeeiiiidnooooo\0ouuuuy\0\002aaaaaa\001ceeeeiiiidnooooo\0ouuuuy\0y";

size_t cm_ref_normalise(const char *in, char *out, size_t cap)
{
    size_t n = 0;
    int space = 1; /* swallow leading separators */
    if (!out || cap == 0)
        return 0;
    if (!in) {
        out[0] = '\0';
        return 0;
    }
    const unsigned char *p = (const unsigned char *)in;
    while (*p) {
        const char *fold = NULL;
        char one[2] = {0, 0};
        unsigned c = *p;
        if (c < 0x80) {
            if (c >= 'A' && c <= 'Z')
                one[0] = (char)(c + 32);
            else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
                one[0] = (char)c;
            p++;
        } else if (c == 0xC3 && p[1] >= 0x80 && p[1] <= 0xBF) {
            char f = latin1[p[1] - 0x80];
            if (f == '\001')
                fold = "ae";
            else if (f == '\002')
                fold = "ss";
            else
                one[0] = f;
            p += 2;
        } else if (c == 0xC5 && (p[1] == 0x92 || p[1] == 0x93)) {
            fold = "oe";
            p += 2;
        } else if (c == 0xC5 && p[1] == 0xB8) {
            one[0] = 'y';
            p += 2;
        } else {
            /* any other character (or a broken sequence) is a separator: skip it whole */
            p++;
            while ((*p & 0xC0) == 0x80)
                p++;
        }
        if (!fold && one[0])
            fold = one;
        if (!fold) {
            space = 1;
            continue;
        }
        size_t need = (space && n > 0) + (fold[1] ? 2 : 1);
        if (n + need + 1 > cap)
            break; /* full: cut at a character boundary */
        if (space && n > 0)
            out[n++] = ' ';
        out[n++] = fold[0];
        if (fold[1])
            out[n++] = fold[1];
        space = 0;
    }
    if (n > 0 && out[n - 1] == ' ')
        n--;
    out[n] = '\0';
    return n;
}

/* ---------------------------------------------------------------------------------------
 * Codes
 * ------------------------------------------------------------------------------------- */

static int well_formed(const char *code)
{
    return code && code[0] >= 'A' && code[0] <= 'Z' && code[1] >= '0' && code[1] <= '9' &&
           code[2] >= '0' && code[2] <= '9' && code[3] >= '0' && code[3] <= '9' &&
           code[4] >= '0' && code[4] <= '9' && code[5] == '\0';
}

/* Rows whose first member is a sorted `char code[6]` (codes, v3 codes): bsearch by code. */
static int code_row_cmp(const void *key, const void *row)
{
    return strcmp(key, row);
}

static int find_code_row(const char *code, const void *rows, size_t n, size_t size)
{
    if (!well_formed(code))
        return -1;
    const char *hit = bsearch(code, rows, n, size, code_row_cmp);
    return hit ? (int)((size_t)(hit - (const char *)rows) / size) : -1;
}

int cm__ref_code_index(const char *code)
{
    return find_code_row(code, cm__rome_codes, CM__ROME_NCODES, sizeof cm__rome_codes[0]);
}

static void fill_code(size_t i, cm_rome_t *out)
{
    const cm__rome_row_t *r = &cm__rome_codes[i];
    out->code = r->code;
    out->label = cm__rome_pool + r->label;
    out->parent = r->parent;
    out->regulated = r->regulated;
    out->diploma_required = (r->flags & 2) != 0;
    out->care = (r->flags & 1) != 0;
    out->n_titles = r->n_titles;
}

int cm_rome_find(const char *code, cm_rome_t *out)
{
    if (!well_formed(code))
        return CM_EINVAL;
    int i = cm__ref_code_index(code);
    if (i < 0)
        return CM_ENOTFOUND;
    if (out)
        fill_code((size_t)i, out);
    return 0;
}

bool cm_rome_valid(const char *code)
{
    return cm__ref_code_index(code) >= 0;
}

size_t cm_rome_count(void)
{
    return CM__ROME_NCODES;
}

int cm_rome_at(size_t i, cm_rome_t *out)
{
    if (i >= CM__ROME_NCODES)
        return CM_ENOTFOUND;
    if (out)
        fill_code(i, out);
    return 0;
}

/* ---------------------------------------------------------------------------------------
 * Titles
 * ------------------------------------------------------------------------------------- */

static void fill_title(size_t i, cm_rome_title_t *out)
{
    const cm__rome_row_t *r = &cm__rome_codes[cm__title_code[i]];
    out->ogr = cm__title_ogr[i];
    out->label = cm__title_pool + cm__title_label[i];
    out->short_label = cm__title_pool + cm__title_short[i];
    out->rome = r->code;
    out->rome_label = cm__rome_pool + r->label;
    out->v3 = cm__title_v3[i] == 0xFFFF ? NULL : cm__rome_v3[cm__title_v3[i]].code;
    out->principal = (cm__title_flags[i] & 1) != 0;
    out->rare = (cm__title_flags[i] & 2) != 0;
}

static int title_index(uint32_t ogr)
{
    size_t lo = 0, hi = CM__NTITLES;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cm__title_ogr[mid] == ogr)
            return (int)mid;
        if (cm__title_ogr[mid] < ogr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

size_t cm_rome_title_count(void)
{
    return CM__NTITLES;
}

int cm_rome_title_at(size_t i, cm_rome_title_t *out)
{
    if (i >= CM__NTITLES)
        return CM_ENOTFOUND;
    if (out)
        fill_title(i, out);
    return 0;
}

int cm_rome_title_by_ogr(uint32_t ogr, cm_rome_title_t *out)
{
    int i = title_index(ogr);
    if (i < 0)
        return CM_ENOTFOUND;
    if (out)
        fill_title((size_t)i, out);
    return 0;
}

size_t cm_rome_titles_of(const char *code, uint32_t *ogr_out, size_t max)
{
    int c = cm__ref_code_index(code);
    size_t n = 0;
    if (c < 0)
        return 0;
    /* two passes so that the principal title comes first without sorting */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < CM__NTITLES; i++) {
            if (cm__title_code[i] != c || (cm__title_flags[i] & 1) != (pass == 0))
                continue;
            if (ogr_out && n < max)
                ogr_out[n] = cm__title_ogr[i];
            n++;
        }
    return n;
}

/* ---------------------------------------------------------------------------------------
 * Title index, built once: a sorted vocabulary of the normalised words of every title, each
 * title's word ids (so that "word w is a prefix of one of the title's words" is "one of its
 * ids falls in w's contiguous range of the vocabulary"), and the exact keys (normalised label
 * and each gender form) sorted for the label lookup.
 * ------------------------------------------------------------------------------------- */

typedef struct {
    const char *key;
    uint16_t title;
    uint8_t alias; /* 0 the 4.0 label or its gender forms; 1 its short label, a v3 label */
} exact_key_t;

static struct {
    int rc;
    char *text;           /* all normalised strings */
    const char **vocab;   /* sorted unique words */
    size_t n_vocab;
    uint32_t *tok_first;  /* CM__NTITLES + 1 */
    uint16_t *tok_ids;
    uint32_t *post_first; /* n_vocab + 1: titles having each word (postings) */
    uint16_t *post;
    uint8_t *len;         /* normalised label length, capped at 255 */
    exact_key_t *exact;
    size_t n_exact;
} tix;
static pthread_once_t tix_once = PTHREAD_ONCE_INIT;

/* qsort has no context argument in C11; the build runs once, under pthread_once. */
static const char **sort_words;

static int cmp_word_pos(const void *a, const void *b)
{
    return strcmp(sort_words[*(const uint32_t *)a], sort_words[*(const uint32_t *)b]);
}

static int cmp_exact(const void *a, const void *b)
{
    const exact_key_t *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    if (c)
        return c;
    if (x->alias != y->alias)
        return (int)x->alias - (int)y->alias; /* a 4.0 label first */
    int px = cm__title_flags[x->title] & 1, py = cm__title_flags[y->title] & 1;
    if (px != py)
        return py - px; /* principal first */
    return (int)x->title - (int)y->title;
}

static size_t vocab_find(const char *w)
{
    size_t lo = 0, hi = tix.n_vocab;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strcmp(tix.vocab[mid], w) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The gender forms of a ROME label "Masc words / Fem words rest": the feminine is the right
 * side; the masculine is the left side followed by the right side's words beyond as many as
 * the left side has ("Agent / Agente de service" -> "Agent de service"). Writes into buf. */
static int masculine_form(const char *label, char *buf, size_t cap)
{
    const char *slash = strstr(label, " / ");
    if (!slash || strstr(slash + 3, " / "))
        return 0;
    size_t lw = 1;
    for (const char *p = label; p < slash; p++)
        lw += *p == ' ';
    const char *rest = slash + 3;
    for (size_t k = 0; k < lw && rest; k++) {
        rest = strchr(rest, ' ');
        if (rest)
            rest++;
    }
    size_t l = (size_t)(slash - label);
    if (l + 2 + (rest ? strlen(rest) : 0) >= cap)
        return 0;
    memcpy(buf, label, l);
    buf[l] = '\0';
    if (rest) {
        strcat(buf, " ");
        strcat(buf, rest);
    }
    return 1;
}

/* The exact keys of a label's gender forms ("Agent / Agente de service": "agent de service",
 * "agente de service"), written at out (room bytes); returns the bytes used. */
static size_t exact_forms(const char *label, uint16_t title, uint8_t alias, size_t room, char *out)
{
    char form[256], fem[256];
    const char *slash = strstr(label, " / ");
    if (!slash || !masculine_form(label, form, sizeof form))
        return 0;
    size_t t = cm_ref_normalise(form, out, room) + 1;
    tix.exact[tix.n_exact++] = (exact_key_t){out, title, alias};
    char *k3 = out + t;
    /* ROME v3 wrote the feminine as the last word only ("Cadre de santé infirmier /
     * infirmière"): the left side's other words go before it (else "infirmière" alone was a
     * key of the cadre de santé's title) */
    const char *f = slash + 3, *last = NULL;
    for (const char *p = label; p < slash; p++)
        if (*p == ' ')
            last = p;
    if (*f >= 'a' && *f <= 'z' && last) {
        snprintf(fem, sizeof fem, "%.*s %s", (int)(last - label), label, f);
        f = fem;
    }
    t += cm_ref_normalise(f, k3, room - t) + 1;
    tix.exact[tix.n_exact++] = (exact_key_t){k3, title, alias};
    return t;
}

static void tix_build(void)
{
    size_t text_cap = 0;
    for (size_t i = 0; i < CM__NTITLES; i++)
        text_cap += 4 * (strlen(cm__title_pool + cm__title_label[i]) + 2); /* key, 2 forms, words */
    size_t tok_cap = text_cap / 2;
    size_t alias_cap = 0; /* short labels and v3 labels, with their 2 forms */
    for (size_t i = 0; i < CM__NTITLES; i++)
        alias_cap += 3 * (strlen(cm__title_pool + cm__title_short[i]) + 2);
    for (size_t i = 0; i < CM__NTITLEV3; i++)
        alias_cap += 3 * (strlen(cm__title_pool + cm__title_v3_alias_label[i]) + 2);
    text_cap += alias_cap;
    tix.text = malloc(text_cap);
    tix.tok_first = malloc((CM__NTITLES + 1) * sizeof *tix.tok_first);
    tix.tok_ids = malloc(tok_cap * sizeof *tix.tok_ids);
    tix.len = malloc(CM__NTITLES);
    tix.exact = malloc(3 * (2 * CM__NTITLES + CM__NTITLEV3) * sizeof *tix.exact);
    const char **words = malloc(tok_cap * sizeof *words);
    if (!tix.text || !tix.tok_first || !tix.tok_ids || !tix.len || !tix.exact || !words)
        goto fail;

    /* normalised labels, their words (pointers into text, one NUL-terminated copy each) */
    size_t t = 0, nw = 0;
    for (size_t i = 0; i < CM__NTITLES; i++) {
        const char *label = cm__title_pool + cm__title_label[i];
        char *key = tix.text + t;
        size_t l = cm_ref_normalise(label, key, text_cap - t);
        tix.len[i] = (uint8_t)(l > 255 ? 255 : l);
        tix.exact[tix.n_exact++] = (exact_key_t){key, (uint16_t)i, 0};
        t += l + 1;
        t += exact_forms(label, (uint16_t)i, 0, text_cap - t, tix.text + t);
        /* words: a copy of the key with spaces as NULs */
        char *w = tix.text + t;
        memcpy(w, key, l + 1);
        t += l + 1;
        tix.tok_first[i] = (uint32_t)nw;
        for (char *p = w; *p;) {
            char *sp = strchr(p, ' ');
            if (sp)
                *sp = '\0';
            words[nw++] = p;
            p = sp ? sp + 1 : p + strlen(p);
        }
    }
    tix.tok_first[CM__NTITLES] = (uint32_t)nw;
    /* exact keys only (suggestions search the 4.0 labels' words): the short label, and the
     * ROME v3 label of a title renamed in 4.0 */
    for (size_t i = 0; i < CM__NTITLES + CM__NTITLEV3; i++) {
        bool v3 = i >= CM__NTITLES;
        uint16_t ti = (uint16_t)(v3 ? cm__title_v3_alias_title[i - CM__NTITLES] : i);
        const char *label =
            cm__title_pool + (v3 ? cm__title_v3_alias_label[i - CM__NTITLES] : cm__title_short[i]);
        if (!v3 && cm__title_short[i] == cm__title_label[i])
            continue;
        char *key = tix.text + t;
        t += cm_ref_normalise(label, key, text_cap - t) + 1;
        tix.exact[tix.n_exact++] = (exact_key_t){key, ti, 1};
        t += exact_forms(label, ti, 1, text_cap - t, tix.text + t);
    }

    /* vocabulary: sort the word positions by text, then number the distinct words */
    uint32_t *order = malloc(nw * sizeof *order);
    tix.vocab = malloc(nw * sizeof *tix.vocab);
    if (!order || !tix.vocab) {
        free(order);
        goto fail;
    }
    for (size_t i = 0; i < nw; i++)
        order[i] = (uint32_t)i;
    sort_words = words;
    qsort(order, nw, sizeof *order, cmp_word_pos);
    size_t nv = 0;
    for (size_t i = 0; i < nw; i++) {
        const char *w = words[order[i]];
        if (nv == 0 || strcmp(tix.vocab[nv - 1], w) != 0)
            tix.vocab[nv++] = w;
        tix.tok_ids[order[i]] = (uint16_t)(nv - 1);
    }
    free(order);
    tix.n_vocab = nv;
    if (nv > 0xFFFF)
        goto fail;

    /* postings: for each word, the titles having it (once each, in title order) */
    tix.post_first = calloc(nv + 1, sizeof *tix.post_first);
    tix.post = malloc(nw * sizeof *tix.post);
    if (!tix.post_first || !tix.post)
        goto fail;
    for (size_t ti = 0; ti < CM__NTITLES; ti++)
        for (uint32_t j = tix.tok_first[ti]; j < tix.tok_first[ti + 1]; j++)
            tix.post_first[tix.tok_ids[j] + 1]++;
    for (size_t v = 0; v < nv; v++)
        tix.post_first[v + 1] += tix.post_first[v];
    uint32_t *fill = malloc(nv * sizeof *fill);
    if (!fill)
        goto fail;
    memcpy(fill, tix.post_first, nv * sizeof *fill);
    for (size_t ti = 0; ti < CM__NTITLES; ti++)
        for (uint32_t j = tix.tok_first[ti]; j < tix.tok_first[ti + 1]; j++) {
            uint16_t v = tix.tok_ids[j];
            /* a word twice in one title ("aide-soignant / aide-soignante"): keep a
             * duplicate posting; the search skips titles it has seen */
            tix.post[fill[v]++] = (uint16_t)ti;
        }
    free(fill);
    qsort(tix.exact, tix.n_exact, sizeof *tix.exact, cmp_exact);
    free(words);
    return;
fail:
    free(words);
    free(tix.text);
    free(tix.tok_first);
    free(tix.tok_ids);
    free(tix.len);
    free(tix.post_first);
    free(tix.post);
    free(tix.exact);
    free((void *)tix.vocab);
    memset(&tix, 0, sizeof tix);
    tix.rc = CM_ENOMEM;
}

static int tix_ready(void)
{
    pthread_once(&tix_once, tix_build);
    return tix.rc;
}

/* First exact key >= key; the caller checks equality. */
static size_t exact_find(const char *key)
{
    size_t lo = 0, hi = tix.n_exact;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strcmp(tix.exact[mid].key, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int cm_rome_title_by_label(const char *label, cm_rome_title_t *out)
{
    char key[256];
    if (!label)
        return CM_EINVAL;
    if (tix_ready())
        return tix.rc;
    cm_ref_normalise(label, key, sizeof key);
    size_t i = exact_find(key);
    if (!*key || i >= tix.n_exact || strcmp(tix.exact[i].key, key) != 0)
        return CM_ENOTFOUND;
    if (out)
        fill_title(tix.exact[i].title, out);
    return 0;
}

int cm_ref_init(void)
{
    int rc = tix_ready();
    return rc ? rc : cm__ref_geo_init();
}

/* ---------------------------------------------------------------------------------------
 * Suggestions
 * ------------------------------------------------------------------------------------- */

typedef struct {
    uint8_t tier, other_sector, synonym, rare;
    uint16_t code_rank; /* 0xFFFF - matching titles of the code */
    uint16_t len;
    uint32_t order; /* acronym position, else OGR code */
    uint16_t title;
} sugg_key_t;

static int key_less(const sugg_key_t *a, const sugg_key_t *b)
{
    if (a->tier != b->tier)
        return a->tier < b->tier;
    if (a->other_sector != b->other_sector)
        return a->other_sector < b->other_sector;
    if (a->synonym != b->synonym)
        return a->synonym < b->synonym;
    if (a->code_rank != b->code_rank)
        return a->code_rank < b->code_rank;
    if (a->rare != b->rare)
        return a->rare < b->rare;
    if (a->len != b->len)
        return a->len < b->len;
    return a->order < b->order;
}

/* Insert into the sorted top list best[0..*n) of capacity cap. */
static void top_insert(sugg_key_t *best, size_t *n, size_t cap, const sugg_key_t *k)
{
    if (*n == cap && !key_less(k, &best[cap - 1]))
        return;
    size_t i = *n < cap ? (*n)++ : cap - 1;
    while (i > 0 && key_less(k, &best[i - 1])) {
        best[i] = best[i - 1];
        i--;
    }
    best[i] = *k;
}

static int title_matches(size_t t, const size_t lo[], const size_t hi[], size_t nw)
{
    for (size_t w = 0; w < nw; w++) {
        int found = 0;
        for (uint32_t j = tix.tok_first[t]; j < tix.tok_first[t + 1] && !found; j++)
            found = tix.tok_ids[j] >= lo[w] && tix.tok_ids[j] < hi[w];
        if (!found)
            return 0;
    }
    return 1;
}

/* French words that only join others ("de", "la", "en"...). */
static bool small_word(const char *w)
{
    static const char *const small[] = {"a", "au", "aux", "d",   "de", "des", "du",   "en", "et",
                                        "l", "la", "le",  "les", "ou", "par", "pour", "sur"};
    for (size_t i = 0; i < sizeof small / sizeof small[0]; i++)
        if (strcmp(w, small[i]) == 0)
            return true;
    return false;
}

size_t cm_rome_suggest(const char *query, cm_rome_suggestion_t *out, size_t limit)
{
    char q[CM_SUGGEST_QUERY_MAX + 1];
    sugg_key_t best[CM_SUGGEST_LIMIT_MAX];
    size_t nbest = 0;
    if (!query || !out || limit == 0 || tix_ready())
        return 0;
    if (limit > CM_SUGGEST_LIMIT_MAX)
        limit = CM_SUGGEST_LIMIT_MAX;
    if (cm_ref_normalise(query, q, sizeof q) == 0)
        return 0;

    /* acronyms: the rows of the key, in table order */
    uint8_t taken[(CM__NTITLES + 7) / 8] = {0};
    for (size_t i = 0; i < CM__NACRONYMS; i++) {
        int ti;
        if (strcmp(cm__acronyms[i].key, q) != 0 || (ti = title_index(cm__acronyms[i].ogr)) < 0)
            continue;
        sugg_key_t k = {0, 0, 0, 0, 0, 0, (uint32_t)i, (uint16_t)ti};
        top_insert(best, &nbest, limit, &k);
        taken[ti / 8] |= (uint8_t)(1u << (ti % 8));
    }

    /* each word's range of the vocabulary (words that have it as a prefix); a plural
     * ("aides soignantes") is read singular when only that prefixes a word, and a word that
     * prefixes none is left out ("aide-soignante de nuit": no title says "nuit"), so long as
     * one word is left */
    char words[CM_SUGGEST_QUERY_MAX + 1], sq[CM_SUGGEST_QUERY_MAX + 1] = "";
    size_t lo[CM_SUGGEST_WORDS_MAX], hi[CM_SUGGEST_WORDS_MAX], nw = 0;
    const char *wp[CM_SUGGEST_WORDS_MAX]; /* the words kept, for the retry below */
    memcpy(words, q, sizeof words);
    for (char *p = words; *p && nw < CM_SUGGEST_WORDS_MAX;) {
        char *sp = strchr(p, ' ');
        if (sp)
            *sp = '\0';
        size_t l = strlen(p), next = l;
        for (int singular = 0; singular < 2; singular++) {
            lo[nw] = vocab_find(p);
            hi[nw] = lo[nw];
            while (hi[nw] < tix.n_vocab && strncmp(tix.vocab[hi[nw]], p, l) == 0)
                hi[nw]++;
            if (lo[nw] < hi[nw] || l <= 3 || (p[l - 1] != 's' && p[l - 1] != 'x'))
                break;
            p[--l] = '\0';
        }
        if (lo[nw] < hi[nw])
            wp[nw++] = p;
        size_t ql = strlen(sq); /* the query as read: singular words, for the exact tier */
        snprintf(sq + ql, sizeof sq - ql, "%s%s", ql ? " " : "", p);
        p = sp ? sp + 1 : p + next;
    }
    size_t ex = exact_find(sq);

    if (nw == 0)
        goto done;
    /* candidates: the titles of the word with the fewest postings, checked against the
     * other words; then ranked (the per-code counts need every match first). No title with
     * every word: the words typed first ("aide-soignante de nuit": no title says both "de"
     * and "nuit" after "aide-soignante"), as long as one is left. */
    uint16_t per_code[CM__ROME_NCODES];
    uint16_t cand[CM__NTITLES];
    uint8_t seen[(CM__NTITLES + 7) / 8];
    size_t ncand = 0, matched;
retry:
    matched = 0;
    memset(per_code, 0, sizeof per_code);
    memset(seen, 0, sizeof seen);
    size_t drv = 0;
    for (size_t w = 1; w < nw; w++)
        if (tix.post_first[hi[w]] - tix.post_first[lo[w]] <
            tix.post_first[hi[drv]] - tix.post_first[lo[drv]])
            drv = w;
    for (uint32_t j = tix.post_first[lo[drv]]; j < tix.post_first[hi[drv]]; j++) {
        uint16_t t = tix.post[j];
        if ((seen[t / 8] >> (t % 8)) & 1)
            continue;
        seen[t / 8] |= (uint8_t)(1u << (t % 8));
        if (!title_matches(t, lo, hi, nw))
            continue;
        matched++;
        per_code[cm__title_code[t]]++;
        if (!((taken[t / 8] >> (t % 8)) & 1))
            cand[ncand++] = t;
    }
    if (matched == 0 && nw > 1) {
        nw--; /* and a small word it leaves last ("infirmiere de nuit": "infirmiere", not the
                 "infirmier de bloc" titles that "infirmiere de" prefers) */
        while (nw > 1 && small_word(wp[nw - 1]))
            nw--;
        goto retry;
    }
    for (size_t c = 0; c < ncand; c++) {
        uint16_t t = cand[c];
        int exact = 0;
        for (size_t e = ex; e < tix.n_exact && strcmp(tix.exact[e].key, sq) == 0; e++)
            exact |= tix.exact[e].title == t && !tix.exact[e].alias; /* 4.0 wording only */
        const cm__rome_row_t *r = &cm__rome_codes[cm__title_code[t]];
        sugg_key_t k = {(uint8_t)(exact ? 1 : 2),
                        (uint8_t)!(r->flags & 1),
                        (uint8_t)!(cm__title_flags[t] & 1),
                        (uint8_t)((cm__title_flags[t] & 2) != 0),
                        (uint16_t)(0xFFFF - per_code[cm__title_code[t]]),
                        tix.len[t],
                        cm__title_ogr[t],
                        t};
        top_insert(best, &nbest, limit, &k);
    }
done:
    for (size_t i = 0; i < nbest; i++) {
        fill_title(best[i].title, &out[i].title);
        /* an everyday name of several words ("auxiliaire de vie sociale") is the title */
        out[i].match = best[i].tier == 0 ? (strchr(q, ' ') ? CM_SUGGEST_EXACT : CM_SUGGEST_ACRONYM)
                       : best[i].tier == 1 ? CM_SUGGEST_EXACT
                                           : CM_SUGGEST_PREFIX;
    }
    return nbest;
}

/* ---------------------------------------------------------------------------------------
 * v3 -> 4.0
 * ------------------------------------------------------------------------------------- */

static int v3_index(const char *code)
{
    return find_code_row(code, cm__rome_v3, CM__ROME_NV3, sizeof cm__rome_v3[0]);
}

int cm_rome_v3_label(const char *v3code, const char **label)
{
    if (!well_formed(v3code))
        return CM_EINVAL;
    int i = v3_index(v3code);
    if (i < 0)
        return CM_ENOTFOUND;
    if (label)
        *label = cm__rome_pool + cm__rome_v3[i].label;
    return 0;
}

size_t cm_rome_v3_to_v4(const char *v3code, cm_rome_v3_target_t *out, size_t max)
{
    int i = v3_index(v3code);
    if (i < 0)
        return 0;
    const cm__rome_v3_row_t *r = &cm__rome_v3[i];
    for (size_t k = 0; k < r->n && out && k < max; k++) {
        const cm__rome_v3_target_t *t = &cm__rome_v3_targets[r->first + k];
        out[k].code = cm__rome_codes[t->code].code;
        out[k].titles = t->count;
        out[k].total = r->total;
        out[k].share = r->total ? (double)t->count / r->total : 0;
    }
    return r->n;
}

int cm_rome_v3_title_to_v4(uint32_t ogr, const char **v4code)
{
    int i = title_index(ogr);
    if (i < 0)
        return CM_ENOTFOUND;
    if (v4code)
        *v4code = cm__rome_codes[cm__title_code[i]].code;
    return 0;
}

/* ---------------------------------------------------------------------------------------
 * Neighbours
 * ------------------------------------------------------------------------------------- */

size_t cm_rome_neighbours(const char *code, unsigned kinds, cm_rome_neighbour_t *out,
                          size_t max)
{
    static const unsigned kind_bit[4] = {0, CM_ROME_NEAR_MOBILITY, CM_ROME_NEAR_SIBLING,
                                         CM_ROME_NEAR_REVERSE};
    int c = cm__ref_code_index(code);
    size_t n = 0;
    if (c < 0)
        return 0;
    const cm__rome_row_t *r = &cm__rome_codes[c];
    for (uint32_t j = r->first_near; j < r->first_near + r->n_near; j++) {
        unsigned bit = kind_bit[cm__rome_near_kind[j] & 3];
        if (!(kinds & bit))
            continue;
        if (out && n < max) {
            out[n].code = cm__rome_codes[cm__rome_near_code[j]].code;
            out[n].kind = (cm_rome_near_kind_t)bit;
            out[n].rank = cm__rome_near_rank[j];
        }
        n++;
    }
    return n;
}

const char *cm_rome_near_kind_name(int kind)
{
    switch (kind) {
    case CM_ROME_NEAR_MOBILITY:
        return "mobility";
    case CM_ROME_NEAR_SIBLING:
        return "sibling";
    case CM_ROME_NEAR_REVERSE:
        return "reverse";
    default:
        return "";
    }
}
