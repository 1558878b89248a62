/* A search's text ranked over its catalog set without Xapian's matcher (search_set.h).
 *
 * For a common word in a dense area ("aide" within 30 km of Paris: 26,000 of 36,000 offers),
 * Xapian's matcher spends about 80 ns a match beyond reading the postings: a weight object per
 * leaf, the sort key, the match decider, the proto-mset's heap of strings. Here the postings
 * of the query's terms among the set's docids are read once (cmx_db_postings) and the tier's
 * boolean tree (textquery.c: AND of groups, OR of a group's phrasings, AND of a phrasing's
 * words) is evaluated entry by entry with Xapian's own figures:
 *  - BM25 with Xapian's default parameters (k1 = 1, k2 = 0, k3 = 1, b = 0.5, min_normlen =
 *    0.5), each leaf of the tree weighed on its own (a word repeated by the all-but-one tier
 *    counts once per leaf, as in Xapian);
 *  - its scores: 100 x the weight over the best weight of the whole match, as the shim gives
 *    Xapian's (cmx_mset_percent; Xapian's own percentages, the best document's share of the
 *    tree's leaves, said 12 for the best "ehpad", whose synonyms are leaves it lacks, and 100
 *    for every "aide" within a radius, the docid filter counting as a matched leaf);
 *  - its order: weight, then publication day (newest first, none last), then docid; or the
 *    day first for a sort by date.
 * Only the floating sums' order may differ (Xapian adds a tree's weights in its own order):
 * weights equal to the last bit stay equal, so ties break alike. test_textrank compares the
 * two ways, answer for answer. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "search_set.h"
#include "topk.h"

#define TERMS_MAX 24         /* distinct words of a query ranked here (more: Xapian) */
#define CELLS_MAX (1u << 23) /* entries x words read at most (32 MiB of frequencies) */
#define BM25_K1 1.0          /* Xapian::BM25Weight's defaults */
#define BM25_B 0.5
#define BM25_MIN_NORMLEN 0.5

bool cm__textrank_off;

typedef struct trq {
    const cm__textq_t *tq;
    int tier;
    size_t n_terms;
    const char *terms[TERMS_MAX];
    char name[TERMS_MAX][CM__TQ_STEM_MAX + 2];
    uint8_t of[CM__TQ_GROUPS_MAX][CM__TQ_ALTS_MAX][CM__TQ_WORDS_MAX]; /* leaf -> term */
    double tw[TERMS_MAX];                                             /* BM25 term weight */
    double len_factor;
    const uint32_t *wdf; /* [term * n + entry] */
    const cm__sset_entry_t *e;
    size_t n;
} trq_t;

/* The index of "Z" + stem among the query's terms (added when new); -1 past TERMS_MAX. */
static int term_of(trq_t *t, const char *stem)
{
    char z[CM__TQ_STEM_MAX + 2];
    snprintf(z, sizeof z, "Z%s", stem);
    for (size_t k = 0; k < t->n_terms; k++)
        if (strcmp(t->name[k], z) == 0)
            return (int)k;
    if (t->n_terms == TERMS_MAX)
        return -1;
    memcpy(t->name[t->n_terms], z, sizeof z);
    t->terms[t->n_terms] = t->name[t->n_terms];
    return (int)t->n_terms++;
}

static bool gather_terms(trq_t *t)
{
    for (unsigned g = 0; g < t->tq->n; g++)
        if (t->tq->g[g].rome[0])
            return false; /* a trade's code leaf (an acronym typed): Xapian's matcher */
    for (unsigned g = 0; g < t->tq->n; g++)
        for (unsigned a = 0; a < t->tq->g[g].n_alt; a++)
            for (unsigned w = 0; w < t->tq->g[g].alt[a].n; w++) {
                int k = term_of(t, t->tq->g[g].alt[a].stem[w]);
                if (k < 0)
                    return false;
                t->of[g][a][w] = (uint8_t)k;
            }
    return true;
}

/* Xapian::BM25Weight::init (no relevance set, factor 1, wqf 1). */
static double term_weight(uint64_t doccount, uint64_t tf)
{
    double tw = ((double)(doccount - tf) + 0.5) / ((double)tf + 0.5);
    if (tw < 2)
        tw = tw * 0.5 + 1;
    double w = log(tw) * 1.0;
    w *= (1.0 + 1) * 1.0 / (1.0 + 1.0); /* k3 = 1, wqf = 1 */
    return w * (BM25_K1 + 1);
}

/* Xapian::BM25Weight::get_sumpart. */
static double part(const trq_t *t, unsigned term, size_t i)
{
    double wdf = t->wdf[(size_t)term * t->n + i];
    double normlen = t->e[i].len * t->len_factor;
    if (normlen < BM25_MIN_NORMLEN)
        normlen = BM25_MIN_NORMLEN;
    double denom = BM25_K1 * (normlen * BM25_B + (1 - BM25_B)) + wdf;
    return t->tw[term] * (wdf / denom);
}

/* Entry i against the tier: whether it matches, its weight and the leaves it matches. */
static bool weigh(const trq_t *t, size_t i, double *wt, unsigned *leaves)
{
    double gw[CM__TQ_GROUPS_MAX];
    unsigned gl[CM__TQ_GROUPS_MAX], matched = 0, ng = t->tq->n;
    bool gm[CM__TQ_GROUPS_MAX];
    for (unsigned g = 0; g < ng; g++) {
        const cm__tq_group_t *G = &t->tq->g[g];
        gw[g] = 0;
        gl[g] = 0;
        gm[g] = false;
        for (unsigned a = 0; a < G->n_alt; a++) {
            unsigned w;
            for (w = 0; w < G->alt[a].n; w++)
                if (!t->wdf[(size_t)t->of[g][a][w] * t->n + i])
                    break;
            if (w < G->alt[a].n)
                continue;
            gm[g] = true;
            double s = 0;
            for (w = 0; w < G->alt[a].n; w++)
                s += part(t, t->of[g][a][w], i);
            gw[g] += s;
            gl[g] += G->alt[a].n;
        }
        matched += gm[g];
    }
    *wt = 0;
    *leaves = 0;
    if (t->tier == CM__TIER_ALL || t->tier == CM__TIER_ANY) {
        if (matched == 0 || (t->tier == CM__TIER_ALL && matched < ng))
            return false;
        for (unsigned g = 0; g < ng; g++) {
            *wt += gw[g];
            *leaves += gl[g];
        }
        return true;
    }
    if (matched + 1 < ng) /* all but one: an OR of the ANDs leaving one group out */
        return false;
    for (unsigned e = 0; e < ng; e++) {
        if (matched < ng && gm[e])
            continue; /* the AND without e lacks the missing group */
        double s = 0;
        for (unsigned g = 0; g < ng; g++)
            if (g != e) {
                s += gw[g];
                *leaves += gl[g];
            }
        *wt += s;
    }
    return true;
}

typedef struct hit {
    double wt;
    uint32_t i;
} hit_t;

typedef struct order {
    const cm__sset_t *set;
    bool by_date;
} order_t;

/* Xapian's msetcmp: weight desc, the date's key desc (none last), docid asc; or key first. */
static bool before(const void *xv, const void *yv, void *ov)
{
    const hit_t *x = xv, *y = yv;
    const order_t *o = ov;
    int32_t dx = o->set->e[x->i].day, dy = o->set->e[y->i].day;
    bool hx = dx != CM_DATE_NONE, hy = dy != CM_DATE_NONE;
    int key = hx != hy ? (hx ? 1 : -1) : !hx || dx == dy ? 0 : dx > dy ? 1 : -1;
    if (o->by_date && key)
        return key > 0;
    if (x->wt != y->wt)
        return x->wt > y->wt;
    if (key)
        return key > 0;
    return o->set->docids[x->i] < o->set->docids[y->i];
}

static int hit_cmp(const void *a, const void *b, void *o)
{
    return before(a, b, o) ? -1 : before(b, a, o) ? 1 : 0;
}

/* Xapian::MSet::Internal::convert_to_percent_internal's rounding (the shim's too). */
static int percent(double wt, double factor)
{
    if (factor == 0)
        return 100;
    int p = (int)(wt * factor + 100.0 * DBL_EPSILON);
    if (p > 100)
        p = 100;
    else if (p < 0)
        p = 0;
    else if (p == 0 && wt > 0)
        p = 1;
    return p;
}

void cm__trank_free(cm__trank_t *r)
{
    free(r->docid);
    free(r->percent);
    memset(r, 0, sizeof *r);
}

static int rank(trq_t *t, cm__sset_t *set, const uint32_t *alive, size_t n_alive, bool by_date,
                size_t offset, size_t limit, cm__trank_t *out)
{
    size_t k = offset + limit, kept = 0;
    hit_t *h = malloc((k ? k : 1) * sizeof *h);
    if (!h)
        return CM_ENOMEM;
    order_t o = {set, by_date};
    double greatest = 0;
    memset(set->mark, 0, set->n);
    set->n_marked = 0;
    for (size_t j = 0; j < n_alive; j++) { /* in entry order: docid order, as Xapian's */
        uint32_t i = alive[j];
        hit_t x = {0, i};
        unsigned leaves;
        if (!weigh(t, i, &x.wt, &leaves))
            continue;
        set->mark[i] = 1;
        set->n_marked++;
        if (x.wt > greatest)
            greatest = x.wt;
        cm__topk_offer(h, &kept, k, sizeof x, &x, before, &o);
    }
    qsort_r(h, kept, sizeof *h, hit_cmp, &o);
    double factor = kept && greatest > 0 ? 100.0 / greatest : 0;
    size_t n = kept > offset ? kept - offset : 0;
    out->total = set->n_marked;
    if (n && (!(out->docid = malloc(n * sizeof *out->docid)) ||
              !(out->percent = malloc(n * sizeof *out->percent)))) {
        free(h);
        cm__trank_free(out);
        return CM_ENOMEM;
    }
    for (size_t j = 0; j < n; j++) {
        out->docid[j] = set->docids[h[offset + j].i];
        out->percent[j] = percent(h[offset + j].wt, factor);
    }
    out->n = n;
    free(h);
    return 0;
}

/* Does group g hold for entry i? (one of its phrasings has every word) */
static bool group_holds(const trq_t *t, unsigned g, size_t i)
{
    const cm__tq_group_t *G = &t->tq->g[g];
    for (unsigned a = 0; a < G->n_alt; a++) {
        unsigned w = 0;
        while (w < G->alt[a].n && t->wdf[(size_t)t->of[g][a][w] * t->n + i])
            w++;
        if (w == G->alt[a].n)
            return true;
    }
    return false;
}

/* Documents a group may match at most: the sum over its phrasings of their rarest word. */
static uint64_t group_reach(const trq_t *t, unsigned g, const uint64_t *tf)
{
    const cm__tq_group_t *G = &t->tq->g[g];
    uint64_t sum = 0;
    for (unsigned a = 0; a < G->n_alt; a++) {
        uint64_t least = UINT64_MAX;
        for (unsigned w = 0; w < G->alt[a].n; w++)
            if (tf[t->of[g][a][w]] < least)
                least = tf[t->of[g][a][w]];
        sum += least;
    }
    return sum;
}

/* The postings, group by group from the rarest: an entry that can no longer match the tier
 * (all: a group missing; all but one: two) is not looked up for the groups after. alive[0..*n)
 * ends as the entries still in the running (entry order). */
static int read_postings(cmx_db *db, trq_t *t, const cm__sset_t *set, uint32_t *wdf,
                         const uint64_t *tf, uint32_t *alive, size_t *n_alive, char **xmsg)
{
    unsigned order[CM__TQ_GROUPS_MAX], ng = t->tq->n;
    uint64_t reach[CM__TQ_GROUPS_MAX];
    for (unsigned g = 0; g < ng; g++) {
        reach[g] = group_reach(t, g, tf);
        unsigned k = g;
        for (; k > 0 && reach[order[k - 1]] > reach[g]; k--)
            order[k] = order[k - 1];
        order[k] = g;
    }
    size_t m = set->n;
    uint32_t *ids = malloc((m ? m : 1) * sizeof *ids), *tmp = NULL;
    uint8_t *missed = calloc(m ? m : 1, 1);
    int rc = ids && missed ? 0 : CM_ENOMEM;
    for (size_t i = 0; i < m; i++)
        alive[i] = (uint32_t)i;
    for (unsigned k = 0; !rc && k < ng && m > 0; k++) {
        unsigned g = order[k];
        const char *terms[TERMS_MAX];
        int idx[TERMS_MAX];
        size_t nt = 0;
        uint64_t gtf[TERMS_MAX]; /* their frequencies, read once for the whole query */
        for (size_t x = 0; x < t->n_terms; x++) { /* the group's words, once each */
            bool in = false;
            for (unsigned a = 0; a < t->tq->g[g].n_alt && !in; a++)
                for (unsigned w = 0; w < t->tq->g[g].alt[a].n && !in; w++)
                    in = t->of[g][a][w] == x;
            if (in) {
                idx[nt] = (int)x;
                gtf[nt] = tf[x];
                terms[nt++] = t->terms[x];
            }
        }
        for (size_t j = 0; j < m; j++)
            ids[j] = set->docids[alive[j]];
        free(tmp);
        if (!(tmp = malloc((nt ? m * nt : 1) * sizeof *tmp))) {
            rc = CM_ENOMEM;
            break;
        }
        rc = cmx_db_postings(db, terms, gtf, nt, ids, m, tmp, xmsg);
        for (size_t x = 0; !rc && x < nt; x++)
            for (size_t j = 0; j < m; j++)
                wdf[(size_t)idx[x] * t->n + alive[j]] = tmp[x * m + j];
        if (rc || t->tier == CM__TIER_ANY)
            continue; /* any group will do: every entry stays */
        size_t kept = 0;
        for (size_t j = 0; j < m; j++) {
            uint32_t i = alive[j];
            if (!group_holds(t, g, i) && ++missed[i] > (t->tier == CM__TIER_ALL ? 0 : 1))
                continue;
            alive[kept++] = i;
        }
        m = kept;
    }
    *n_alive = m;
    free(tmp);
    free(ids);
    free(missed);
    return rc;
}

int cm__textrank(cmx_db *db, const cm__textq_t *tq, int tier, bool by_date, cm__sset_t *set,
                 size_t offset, size_t limit, cm__trank_t *out, bool *used, char **xmsg)
{
    memset(out, 0, sizeof *out);
    *used = false;
    trq_t *t = calloc(1, sizeof *t);
    if (!t)
        return CM_ENOMEM;
    t->tq = tq;
    t->tier = tier;
    t->n = set->n;
    t->e = set->e;
    if (tq->n == 0 || !gather_terms(t) || (uint64_t)set->n * t->n_terms > CELLS_MAX) {
        free(t);
        return 0; /* Xapian's matcher answers */
    }
    size_t n = set->n ? set->n : 1, n_alive = 0;
    uint32_t *wdf = calloc(n * t->n_terms, sizeof *wdf), *alive = malloc(n * sizeof *alive);
    uint64_t tf[TERMS_MAX];
    cmx_stats_t st;
    int rc = wdf && alive ? 0 : CM_ENOMEM;
    if (!rc) /* the words' frequencies and the database's figures (no posting read) */
        rc = cmx_db_termfreqs(db, t->terms, t->n_terms, tf, &st, xmsg);
    t->wdf = wdf;
    if (!rc)
        rc = read_postings(db, t, set, wdf, tf, alive, &n_alive, xmsg);
    if (!rc) {
        double avlen = st.doccount ? (double)st.total_length / (double)st.doccount : 0;
        t->len_factor = avlen != 0 ? 1 / avlen : 0;
        for (size_t k = 0; k < t->n_terms; k++)
            t->tw[k] = term_weight(st.doccount, tf[k]);
        rc = rank(t, set, alive, n_alive, by_date, offset, limit, out);
        *used = rc == 0;
    }
    free(wdf);
    free(alive);
    free(t);
    return rc;
}
