/* A search's free text (textquery.h): what a French job seeker types made into Xapian
 * queries. Plain words only (operators are the searcher's opt-in): every word must match,
 * a synonym group matches through any of its phrasings (engine/ref/synonyms_data.c), a word
 * no offer holds is repaired to the closest indexed one, and when nothing holds every word
 * the tiers relax: all words but one, then any word. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carematch/error.h"
#include "carematch/referential.h"
#include "referential_internal.h"
#include "textquery.h"

extern const char *const cm__synonym_groups[];
extern const size_t cm__n_synonym_groups;

#define ALL_BUT_ONE_MAX 8 /* groups up to which "all but one" is tried (n ANDs of n - 1) */

/* ---- Synonym groups, stemmed once ---- */

typedef struct syn_group {
    unsigned n_alt;
    cm__tq_alt_t alt[CM__TQ_ALTS_MAX];
    char rome[CM_ROME_CODE_LEN + 1]; /* the trade its acronym names ("ASH": J1301), or "" */
} syn_group_t;

static syn_group_t *syn;
static size_t n_syn;
static pthread_once_t syn_once = PTHREAD_ONCE_INIT;

typedef struct stems_acc {
    cm__tq_alt_t *alt;
    bool overflow;
} stems_acc_t;

static int add_alt_stem(void *arg, const cmx_token_t *t)
{
    stems_acc_t *a = arg;
    if (t->stop)
        return 0;
    if (a->alt->n == CM__TQ_WORDS_MAX || t->stem_len >= CM__TQ_STEM_MAX) {
        a->overflow = true;
        return 1;
    }
    memcpy(a->alt->stem[a->alt->n], t->stem, t->stem_len);
    a->alt->stem[a->alt->n][t->stem_len] = '\0';
    a->alt->n++;
    return 0;
}

static bool same_alt(const cm__tq_alt_t *a, const cm__tq_alt_t *b)
{
    if (a->n != b->n)
        return false;
    for (unsigned i = 0; i < a->n; i++)
        if (strcmp(a->stem[i], b->stem[i]) != 0)
            return false;
    return true;
}

/* An acronym: 2 to 8 capital ASCII letters, the whole phrasing. */
static bool acronym(const char *p, size_t len)
{
    if (len < 2 || len > 8)
        return false;
    for (size_t i = 0; i < len; i++)
        if (p[i] < 'A' || p[i] > 'Z')
            return false;
    return true;
}

/* The groups' acronyms are kept whole by the stemmer, then every phrasing is stemmed. */
static void syn_build(void)
{
    char(*keep)[9] = calloc(cm__n_synonym_groups, sizeof *keep);
    const char **kp = calloc(cm__n_synonym_groups, sizeof *kp);
    size_t nk = 0;
    for (size_t i = 0; keep && kp && i < cm__n_synonym_groups; i++) {
        const char *p = cm__synonym_groups[i];
        size_t len = strcspn(p, "|");
        if (acronym(p, len)) {
            memcpy(keep[nk], p, len);
            kp[nk] = keep[nk];
            nk++;
        }
    }
    if (nk)
        (void)cmx_text_keep(kp, nk, NULL); /* without it acronyms are stemmed: found less well */
    free(kp);
    free(keep);
    syn = calloc(cm__n_synonym_groups, sizeof *syn);
    if (!syn)
        return; /* no synonyms: searches still work, word for word */
    for (size_t i = 0; i < cm__n_synonym_groups; i++) {
        syn_group_t *g = &syn[n_syn];
        const char *p = cm__synonym_groups[i];
        /* an acronym that is a trade's (ASH, AES, IDE...): typed, the search takes the
         * trade's offers too, whatever they call the post ("Agent de service EHPAD", "Agent de
         * soins" are J1301: an adviser's probe found them missing under "ASH") */
        size_t alen = strcspn(p, "|");
        char acr[9];
        cm_rome_title_t t;
        if (acronym(p, alen)) {
            memcpy(acr, p, alen);
            acr[alen] = '\0';
            if (cm_rome_title_resolve(acr, &t) == 0 && t.rome)
                snprintf(g->rome, sizeof g->rome, "%s", t.rome);
        }
        while (*p && g->n_alt < CM__TQ_ALTS_MAX) {
            size_t len = strcspn(p, "|");
            cm__tq_alt_t alt = {0};
            stems_acc_t acc = {&alt, false};
            int rc = cmx_text_tokens(p, len, add_alt_stem, &acc, NULL);
            bool dup = false;
            for (unsigned k = 0; k < g->n_alt; k++)
                dup = dup || same_alt(&g->alt[k], &alt);
            if (rc >= 0 && !acc.overflow && alt.n > 0 && !dup)
                g->alt[g->n_alt++] = alt;
            p += len;
            if (*p == '|')
                p++;
        }
        if (g->n_alt >= 2)
            n_syn++;
        else
            memset(g, 0, sizeof *g);
    }
}

/* ---- Parsing ---- */

typedef struct word {
    size_t off, len;
    char stem[CM__TQ_STEM_MAX];
    bool stop;
} word_t;

#define WORDS_MAX (CM__TQ_GROUPS_MAX * 2)

typedef struct words {
    const char *text;
    word_t w[WORDS_MAX];
    unsigned n;
} words_t;

static bool operator_word(const char *s, size_t len)
{
    static const char *const ops[] = {"AND", "OR", "NOT", "XOR"};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (len == strlen(ops[i]) && memcmp(s, ops[i], len) == 0)
            return true;
    return false;
}

/* The stem of a word too long to keep (CM__TQ_STEM_MAX): a term no document has, so that the
 * word counts, unmatched, in the tiers (it was dropped: a text of such words then matched
 * every offer, and "aide <64 letters>" claimed all its words). */
#define NO_STEM "\x01"

static int add_word(void *arg, const cmx_token_t *t)
{
    words_t *ws = arg;
    if (operator_word(ws->text + t->off, t->len))
        return 0;
    if (ws->n == WORDS_MAX)
        return 1; /* the rest of a long text is ignored */
    word_t *w = &ws->w[ws->n++];
    w->off = t->off;
    w->len = t->len;
    w->stop = t->stop;
    if (t->stem_len >= CM__TQ_STEM_MAX) {
        memcpy(w->stem, NO_STEM, sizeof NO_STEM);
        w->stop = false;
        return 0;
    }
    memcpy(w->stem, t->stem, t->stem_len);
    w->stem[t->stem_len] = '\0';
    return 0;
}

/* The longest synonym phrasing that the words from w[i] spell: its group, and *k words. */
static const syn_group_t *match_synonym(const word_t *w, unsigned n, unsigned i, unsigned *k)
{
    const syn_group_t *best = NULL;
    *k = 0;
    for (size_t s = 0; s < n_syn; s++)
        for (unsigned a = 0; a < syn[s].n_alt; a++) {
            const cm__tq_alt_t *alt = &syn[s].alt[a];
            if (alt->n <= *k || i + alt->n > n)
                continue;
            unsigned j = 0;
            while (j < alt->n && strcmp(alt->stem[j], w[i + j].stem) == 0)
                j++;
            if (j == alt->n) {
                best = &syn[s];
                *k = alt->n;
            }
        }
    return best;
}

void cm__text_init(void)
{
    (void)pthread_once(&syn_once, syn_build);
}

int cm__textq_parse(const char *text, size_t len, cm__textq_t *tq)
{
    cm__text_init(); /* before the words are stemmed */
    memset(tq, 0, sizeof *tq);
    tq->text = text;
    words_t *ws = calloc(1, sizeof *ws);
    if (!ws)
        return CM_ENOMEM;
    ws->text = text;
    int rc = cmx_text_tokens(text, len, add_word, ws, NULL);
    if (rc < 0) {
        free(ws);
        return rc;
    }
    /* stop words out, unless nothing else is left ("de la": the words themselves) */
    unsigned kept = 0;
    for (unsigned i = 0; i < ws->n; i++)
        kept += !ws->w[i].stop;
    if (kept > 0) {
        unsigned j = 0;
        for (unsigned i = 0; i < ws->n; i++)
            if (!ws->w[i].stop)
                ws->w[j++] = ws->w[i];
        ws->n = j;
    }
    for (unsigned i = 0; i < ws->n && tq->n < CM__TQ_GROUPS_MAX;) {
        cm__tq_group_t *g = &tq->g[tq->n++];
        unsigned k;
        const syn_group_t *s = match_synonym(ws->w, ws->n, i, &k);
        if (s) {
            g->n_alt = s->n_alt;
            memcpy(g->alt, s->alt, s->n_alt * sizeof *g->alt);
            if (k == 1 && s->alt[0].n == 1 && strcmp(s->alt[0].stem[0], ws->w[i].stem) == 0)
                memcpy(g->rome, s->rome, sizeof g->rome); /* the acronym typed, not spelled */
            g->synonym = true;
        } else {
            k = 1;
            g->n_alt = 1;
            g->alt[0].n = 1;
            memcpy(g->alt[0].stem[0], ws->w[i].stem, sizeof g->alt[0].stem[0]);
        }
        g->off = ws->w[i].off;
        g->len = ws->w[i + k - 1].off + ws->w[i + k - 1].len - g->off;
        i += k;
    }
    /* the same group twice ("aide aide") adds nothing to an AND */
    unsigned j = 0;
    for (unsigned i = 0; i < tq->n; i++) {
        bool dup = false;
        for (unsigned p = 0; p < j && !dup; p++)
            dup = tq->g[p].n_alt == tq->g[i].n_alt && same_alt(&tq->g[p].alt[0], &tq->g[i].alt[0]);
        if (!dup && j != i)
            tq->g[j] = tq->g[i];
        j += !dup;
    }
    tq->n = j;
    free(ws);
    return 0;
}

/* ---- Typo repair ---- */

static bool has_digit(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] >= '0' && s[i] <= '9')
            return true;
    return false;
}

int cm__textq_repair(cm__textq_t *tq, cmx_db *db)
{
    for (unsigned i = 0; i < tq->n; i++) {
        cm__tq_group_t *g = &tq->g[i];
        if (g->synonym || g->corrected || g->n_alt != 1 || g->alt[0].n != 1 ||
            strcmp(g->alt[0].stem[0], NO_STEM) == 0)
            continue;
        const char *word = tq->text + g->off;
        size_t stem_len = strlen(g->alt[0].stem[0]);
        /* a place's name is no typo: "Martinique" is not "matin", nor "Réunion" Rouen (an
         * adviser's probe: such a search answered as a full match) */
        if (g->len < 5 || has_digit(word, g->len) || cm__place_word(word, g->len))
            continue;
        char term[CM__TQ_STEM_MAX + 1];
        snprintf(term, sizeof term, "Z%s", g->alt[0].stem[0]);
        uint64_t freq = 0;
        int rc = cmx_db_termfreq(db, term, &freq, NULL);
        if (rc)
            return rc;
        if (freq > 0)
            continue;
        unsigned edits = g->len >= 8 ? 2 : 1;
        size_t lo = stem_len > edits ? stem_len - edits : 1;
        rc = cmx_db_closest_term(db, "Z", word, g->len, edits, lo, stem_len + edits, term,
                                 sizeof term, NULL);
        if (rc == CMX_ENOTFOUND)
            continue;
        if (rc)
            return rc;
        snprintf(g->alt[0].stem[0], sizeof g->alt[0].stem[0], "%s", term + 1);
        g->corrected = true;
        /* repaired into an acronym or a one-word phrasing ("EPHAD"): its whole group */
        word_t w = {0};
        memcpy(w.stem, g->alt[0].stem[0], sizeof w.stem);
        unsigned k;
        const syn_group_t *sg = match_synonym(&w, 1, 0, &k);
        if (sg) {
            g->n_alt = sg->n_alt;
            memcpy(g->alt, sg->alt, sg->n_alt * sizeof *g->alt);
            g->synonym = true;
        }
    }
    return 0;
}

/* ---- Queries ---- */

unsigned cm__textq_tiers(const cm__textq_t *tq, int tiers[3])
{
    unsigned n = 0;
    tiers[n++] = CM__TIER_ALL;
    if (tq->n >= 3 && tq->n <= ALL_BUT_ONE_MAX)
        tiers[n++] = CM__TIER_ALL_BUT_ONE;
    if (tq->n >= 2)
        tiers[n++] = CM__TIER_ANY;
    return n;
}

int cm__query_fold(cmx_query **acc, int op, cmx_query *b, int b_rc)
{
    if (b_rc) {
        cmx_query_free(b);
        return b_rc;
    }
    if (!*acc) {
        *acc = b;
        return 0;
    }
    cmx_query *n = NULL;
    int rc = cmx_query_combine(op, *acc, b, &n);
    cmx_query_free(b);
    if (rc)
        return rc;
    cmx_query_free(*acc);
    *acc = n;
    return 0;
}

static int group_query(const cm__tq_group_t *g, cmx_query **out)
{
    cmx_query *any = NULL;
    int rc = 0;
    for (unsigned a = 0; !rc && a < g->n_alt; a++) {
        cmx_query *all = NULL;
        for (unsigned w = 0; !rc && w < g->alt[a].n; w++) {
            char term[CM__TQ_STEM_MAX + 1];
            cmx_query *t = NULL;
            snprintf(term, sizeof term, "Z%s", g->alt[a].stem[w]);
            rc = cmx_query_term(term, &t);
            if (!rc)
                rc = cm__query_fold(&all, CMX_OP_AND, t, 0);
        }
        if (!rc)
            rc = cm__query_fold(&any, CMX_OP_OR, all, 0);
        else
            cmx_query_free(all);
    }
    if (!rc && g->rome[0]) { /* the trade's offers, weighted by their words only */
        char term[3 + CM_ROME_CODE_LEN];
        cmx_query *t = NULL;
        snprintf(term, sizeof term, "XR%s", g->rome);
        rc = cmx_query_term(term, &t);
        if (!rc)
            rc = cm__query_fold(&any, CMX_OP_OR, t, 0);
    }
    if (rc) {
        cmx_query_free(any);
        return rc;
    }
    *out = any;
    return 0;
}

/* AND of the groups but `skip` (-1: none). */
static int and_groups(const cm__textq_t *tq, int skip, cmx_query **out)
{
    cmx_query *acc = NULL;
    for (unsigned i = 0; i < tq->n; i++) {
        cmx_query *g = NULL;
        if ((int)i == skip)
            continue;
        int rc = group_query(&tq->g[i], &g);
        if (!rc)
            rc = cm__query_fold(&acc, CMX_OP_AND, g, 0);
        if (rc) {
            cmx_query_free(acc);
            return rc;
        }
    }
    *out = acc;
    return 0;
}

int cm__textq_query(const cm__textq_t *tq, int tier, cmx_query **out)
{
    *out = NULL;
    if (tq->n == 0)
        return CM_EINVAL;
    if (tier == CM__TIER_ALL)
        return and_groups(tq, -1, out);
    cmx_query *acc = NULL;
    for (unsigned i = 0; i < tq->n; i++) {
        cmx_query *q = NULL;
        int rc = tier == CM__TIER_ANY ? group_query(&tq->g[i], &q) : and_groups(tq, (int)i, &q);
        if (!rc)
            rc = cm__query_fold(&acc, CMX_OP_OR, q, 0);
        if (rc) {
            cmx_query_free(acc);
            return rc;
        }
    }
    *out = acc;
    return 0;
}

int cm__textq_each_stem(const cm__textq_t *tq, int (*fn)(void *arg, const char *stem), void *arg)
{
    for (unsigned i = 0; i < tq->n; i++)
        for (unsigned a = 0; a < tq->g[i].n_alt; a++)
            for (unsigned w = 0; w < tq->g[i].alt[a].n; w++) {
                int rc = fn(arg, tq->g[i].alt[a].stem[w]);
                if (rc)
                    return rc;
            }
    return 0;
}
