/* Matching on the catalog: retrieve from the (ROME, cell) grid within reach, cap by a cheap
 * pre-score, score every pair, keep the best in a bounded heap, rerank a shortlist with the
 * text factor, then explain the survivors. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carematch/referential.h"
#include "catalog.h"
#include "match_near.h"

typedef struct hit {
    uint32_t slot;
    uint16_t max_minutes; /* the hit's grid entry (cm__gpt_t): what its commute bound reads */
    uint8_t modes, flags;
    double km; /* cm__distance_km(candidate, offer): the pre-score (closer first), and scoring's */
} hit_t;

typedef struct entry {
    double score; /* without the text factor until the text is known */
    double ub;    /* the most the score can reach with the text factor (= score without it) */
    double gap;   /* near-miss distance to feasible (0 when eligible) */
    double text;  /* the text factor, once known */
    uint32_t slot;
    bool eligible;
    const char *id;
    double km; /* the hit's */
} entry_t;

/* a ranks before b: eligible first, near-misses nearest to feasible first, then score, then
 * id. The one order of results (the contract's "eligible first", SCORING.md). */
static bool better(const entry_t *a, const entry_t *b)
{
    if (a->eligible != b->eligible)
        return a->eligible;
    if (a->gap != b->gap)
        return a->gap < b->gap;
    if (a->score != b->score)
        return a->score > b->score;
    return strcmp(a->id, b->id) < 0;
}

/* The same order on upper bounds: a may rank before b whatever their text factors. */
static bool better_ub(const entry_t *a, const entry_t *b)
{
    if (a->eligible != b->eligible)
        return a->eligible;
    if (a->gap != b->gap)
        return a->gap < b->gap;
    if (a->ub != b->ub)
        return a->ub > b->ub;
    return strcmp(a->id, b->id) < 0;
}

/* Bounded heap whose root is the worst kept entry. */
typedef struct heap {
    entry_t *e;
    size_t n, cap;
} heap_t;

static void heap_push(heap_t *h, const entry_t *x)
{
    size_t i;
    if (h->n < h->cap) {
        i = h->n++;
        while (i > 0 && better(&h->e[(i - 1) / 2], x)) {
            h->e[i] = h->e[(i - 1) / 2];
            i = (i - 1) / 2;
        }
        h->e[i] = *x;
        return;
    }
    if (h->cap == 0 || !better(x, &h->e[0]))
        return;
    i = 0;
    for (;;) { /* sift the new entry down from the root */
        size_t l = 2 * i + 1, r = l + 1, w = i;
        const entry_t *wv = x;
        if (l < h->n && better(wv, &h->e[l])) {
            w = l;
            wv = &h->e[l];
        }
        if (r < h->n && better(wv, &h->e[r]))
            w = r;
        if (w == i)
            break;
        h->e[i] = h->e[w];
        i = w;
    }
    h->e[i] = *x;
}

/* Max-heap on upper bounds (root: the entry that may rank first), built in O(n), popped lazily:
 * only the entries that can still enter the top `limit` get their text factor. */
static void ub_sift(entry_t *e, size_t n, size_t i)
{
    entry_t x = e[i];
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, w = i;
        const entry_t *wv = &x;
        if (l < n && better_ub(&e[l], wv)) {
            w = l;
            wv = &e[l];
        }
        if (r < n && better_ub(&e[r], wv))
            w = r;
        if (w == i)
            break;
        e[i] = e[w];
        i = w;
    }
    e[i] = x;
}

static void ub_heapify(entry_t *e, size_t n)
{
    for (size_t i = n / 2; i-- > 0;)
        ub_sift(e, n, i);
}

static entry_t ub_pop(entry_t *e, size_t *n)
{
    entry_t top = e[0];
    e[0] = e[--*n];
    if (*n > 1)
        ub_sift(e, *n, 0);
    return top;
}

static int entry_cmp(const void *a, const void *b)
{
    const entry_t *x = a, *y = b;
    return better(x, y) ? -1 : better(y, x) ? 1 : 0;
}

static int check_options(const cm_match_options_t *opt, cm_match_options_t *o)
{
    /* NULL: the contract's defaults (every field set: a new option must not read garbage) */
    *o = opt ? *opt : (cm_match_options_t){.include_near_misses = true};
    if (o->limit == 0)
        o->limit = CM_MATCH_LIMIT_DEFAULT;
    if (o->limit > CM_MATCH_LIMIT_MAX || !(o->min_score >= 0 && o->min_score <= 100))
        return CM_EINVAL;
    return 0;
}

/* Empty outputs, then the options checked (the one place they are). */
static int start_match(const cm_match_options_t *opt, cm_match_options_t *o, cm__ranked_t **out,
                       size_t *n, size_t *considered)
{
    *out = NULL;
    *n = 0;
    if (considered)
        *considered = 0;
    return check_options(opt, o);
}

typedef struct hits {
    hit_t *h;
    size_t n, cap;
    size_t total; /* nearest_first: hits kept past the scored_max first n, farther (bands) */
} hits_t;

static int hits_push(hits_t *hs, uint32_t slot, const cm__gpt_t *pt, double km)
{
    if (hs->n == hs->cap) {
        size_t nc = hs->cap ? hs->cap * 2 : 1024;
        hit_t *n = realloc(hs->h, nc * sizeof *n);
        if (!n)
            return CM_ENOMEM;
        hs->h = n;
        hs->cap = nc;
    }
    hs->h[hs->n++] = (hit_t){slot, pt->max_minutes, pt->modes, pt->flags, km};
    return 0;
}

typedef struct sort_ctx {
    const cm__catalog_t *cat;
    bool offers;
} sort_ctx_t;

static int hit_cmp(const void *a, const void *b, void *arg)
{
    const hit_t *x = a, *y = b;
    const sort_ctx_t *ctx = arg;
    if (x->km != y->km)
        return x->km < y->km ? -1 : 1;
    const char *ix = ctx->offers ? ctx->cat->offers[x->slot].id : ctx->cat->cands[x->slot].id;
    const char *iy = ctx->offers ? ctx->cat->offers[y->slot].id : ctx->cat->cands[y->slot].id;
    return strcmp(ix, iy);
}

static int slot_cmp(const void *a, const void *b)
{
    uint32_t x = ((const hit_t *)a)->slot, y = ((const hit_t *)b)->slot;
    return x < y ? -1 : x > y;
}

static void dedup_hits(hits_t *hs)
{
    if (hs->n < 2)
        return;
    qsort(hs->h, hs->n, sizeof *hs->h, slot_cmp);
    size_t k = 1;
    for (size_t i = 1; i < hs->n; i++)
        if (hs->h[i].slot != hs->h[k - 1].slot)
            hs->h[k++] = hs->h[i];
    hs->n = k;
}

/* Keep the scored_max nearest (ties by id) when retrieval found more: distance is the cheap
 * pre-score, as commute is the factor that most often rules a pair out. A selection, not a
 * sort (the kept hits' order does not change the results): partitions around a median of
 * three, then a sort of what is left once partitions stop shrinking (bounded worst case). */
static void cap_hits(const cm__catalog_t *cat, hits_t *hs, bool offers)
{
    size_t k = cat->cfg.scored_max;
    if (hs->n <= k)
        return;
    sort_ctx_t ctx = {cat, offers};
    hit_t *h = hs->h;
    size_t lo = 0, hi = hs->n; /* the k-th smallest lies in [lo, hi) */
    unsigned budget = 64;
    while (hi - lo > 16 && budget-- > 0) {
        size_t mid = lo + (hi - lo) / 2;
        hit_t a = h[lo], b = h[mid], c = h[hi - 1], pivot;
        if (hit_cmp(&a, &b, &ctx) < 0)
            pivot = hit_cmp(&b, &c, &ctx) < 0 ? b : hit_cmp(&a, &c, &ctx) < 0 ? c : a;
        else
            pivot = hit_cmp(&a, &c, &ctx) < 0 ? a : hit_cmp(&b, &c, &ctx) < 0 ? c : b;
        /* three-way: [lo, lt) before the pivot, [lt, gt) equal, [gt, hi) after */
        size_t lt = lo, i = lo, gt = hi;
        while (i < gt) {
            int r = hit_cmp(&h[i], &pivot, &ctx);
            if (r < 0) {
                hit_t t = h[lt];
                h[lt++] = h[i];
                h[i++] = t;
            } else if (r > 0) {
                hit_t t = h[--gt];
                h[gt] = h[i];
                h[i] = t;
            } else {
                i++;
            }
        }
        if (k < lt)
            hi = lt;
        else if (k >= gt)
            lo = gt;
        else
            lo = hi = k; /* the k-th is the pivot: everything before k is in place */
    }
    if (hi > lo) /* what is left of the range, in order: its first k - lo are the nearest */
        qsort_r(h + lo, hi - lo, sizeof *h, hit_cmp, &ctx); /* reentrant: readers run in parallel */
    hs->n = k;
}

/* Scoring is bound by memory latency (records sit at random slots, their skill hashes in
 * their own allocation): fetch the fields a few hits ahead (every line of the hot part: a
 * record's fields start anywhere in a line and span three or four), their hash and diploma
 * arrays a little less far ahead (the pointers are then in cache). Hints only: results do
 * not depend on them. Always inlined: GCC takes a function whose only work is
 * __builtin_prefetch for one without side effects (pure-const) and drops its calls; these
 * helpers had compiled to nothing (bench_match: p99 6.4 -> 3.8 ms candidate -> offers, 7.2-8.6
 * -> 5.5 ms offer -> candidates, once they did their work). */
#define PREFETCH_FIELDS 8
#define PREFETCH_HASH 4
static inline __attribute__((always_inline)) void prefetch_span(const void *p, size_t len)
{
    const char *a = (const char *)((uintptr_t)p & ~(uintptr_t)63), *end = (const char *)p + len;
    for (; a < end; a += 64)
        __builtin_prefetch(a);
}

static inline __attribute__((always_inline)) void prefetch_fields(const cm__catalog_t *cat,
                                                                  bool offers, uint32_t s)
{
    if (offers)
        prefetch_span(&cat->offers[s].f, offsetof(cm__offer_fields_t, cert_group));
    else
        prefetch_span(&cat->cands[s].f, sizeof cat->cands[s].f);
}

static inline __attribute__((always_inline)) void prefetch_arrays(const cm__catalog_t *cat,
                                                                  bool offers, uint32_t s)
{
    if (offers) {
        const cm__offer_fields_t *f = &cat->offers[s].f;
        if (f->hash)
            __builtin_prefetch(f->hash);
        if (f->skill_dip)
            __builtin_prefetch(f->skill_dip);
    } else if (cat->cands[s].f.hash) {
        __builtin_prefetch(cat->cands[s].f.hash);
    }
}

/* Shared tail of both directions, under the read lock: score hits, rank, text, explain. */
/* What rank_hits needs to tell neighbour pairs: the wanted codes of the query candidate
 * (wanted/n_wanted), or, for an offer query, the candidates' own (slot rome lists). */
typedef struct near_ctx {
    bool on;
    const uint32_t *wanted;
    size_t n_wanted;
} near_ctx_t;

/* A job the law closes to her (a diploma the profession requires, not held): met through a
 * neighbouring code, it is a career path, not a match (an adviser's probe: nurses' posts among
 * an auxiliaire de vie's neighbours). Met through her own code, it stays a near-miss. */
static bool law_closed(const cm_match_t *m)
{
    for (size_t i = 0; i < m->n_barriers; i++)
        if (m->barriers[i].code == CM_BC_CERT_REGULATED && m->barriers[i].hard)
            return true;
    return false;
}

/* Score one pair, neighbour penalty included (the one scoring path of rank_hits), with its
 * commute when already evaluated (else NULL). Returns the neighbour factor applied (1 for a
 * same-code pair). */
static double score_hit(const cm__catalog_t *cat, const cm__cand_fields_t *qc,
                        const cm__offer_fields_t *qo, const near_ctx_t *nc, const hit_t *hit,
                        const cm__commute_t *cr, double text, bool detail, cm_match_t *m)
{
    bool offers = qc != NULL;
    uint32_t s = hit->slot;
    const cm__cand_fields_t *c = offers ? qc : &cat->cands[s].f;
    const cm__offer_fields_t *o = offers ? &cat->offers[s].f : qo;
    if (cr)
        cm__score_pair_known(&cat->cfg, c, o, hit->km, cr, text, detail, m);
    else
        cm__score_pair_km(&cat->cfg, c, o, hit->km, text, detail, m);
    cm__near_t nr;
    if (nc->on && (offers ? cm__near_find(&cat->cfg, nc->wanted, nc->n_wanted, o->rome, &nr)
                          : cm__near_find(&cat->cfg, cat->cands[s].rome, cat->cands[s].n_rome,
                                          o->rome, &nr))) {
        cm__near_apply(&nr, m);
        return nr.factor;
    }
    return 1.0;
}

/* The pair's commute limit in minutes: the query candidate's, or the hit's grid entry's. */
static uint16_t hit_max_minutes(const cm__cand_fields_t *qc, const hit_t *x)
{
    return qc ? qc->max_minutes : (uint16_t)(x->max_minutes & CM__MINUTES_LIMIT);
}

/* The hit's commute, from what its grid entry carried (the record is not read). */
static cm__commute_t hit_commute(const cm__catalog_t *cat, const cm__cand_fields_t *qc,
                                 const cm__offer_fields_t *qo, const hit_t *x)
{
    uint8_t area = (uint8_t)((x->max_minutes & CM__MINUTES_AREA) >> CM__MINUTES_AREA_SHIFT);
    /* two places on one point lie in one commune: the query's own spread says how wide */
    cm__commute_in_t in = qc ? (cm__commute_in_t){qc->max_minutes,
                                                  qc->modes,
                                                  qc->flags,
                                                  cm__dense_pair(qc->area, area),
                                                  qc->limit_assumed,
                                                  qc->spread,
                                                  cm__cross_minutes(qc->area, area),
                                                  cm__rail_pair(qc->area, area)}
                             : (cm__commute_in_t){hit_max_minutes(qc, x),
                                                  x->modes,
                                                  x->flags,
                                                  cm__dense_pair(area, qo->area),
                                                  (x->max_minutes & CM__MINUTES_ASSUMED) != 0,
                                                  qo->spread,
                                                  cm__cross_minutes(area, qo->area),
                                                  cm__rail_pair(area, qo->area)};
    return cm__commute_eval(&cat->cfg, cm__commute_by_car(in, qc ? x->flags : qo->flags), x->km);
}

/* The hit's rank bound from its commute alone (cr): as an entry, for better() against the
 * worst kept. */
static entry_t hit_bound(const cm__catalog_t *cat, const cm__cand_fields_t *qc, const hit_t *x,
                         const cm__commute_t *cr, bool use_text)
{
    bool offers = qc != NULL;
    entry_t b = {.id = offers ? cat->offers[x->slot].id : cat->cands[x->slot].id};
    b.score = cm__score_bound(&cat->cfg, cr, hit_max_minutes(qc, x), use_text ? 1.0 : 0.0,
                              &b.eligible, &b.gap);
    return b;
}

/* The tighter bound from the records (cm__score_bound_pair) into b, hit_bound's entry. */
static void pair_bound(const cm__catalog_t *cat, const cm__cand_fields_t *qc,
                       const cm__offer_fields_t *qo, const hit_t *x, const cm__commute_t *cr,
                       bool use_text, entry_t *b)
{
    bool offers = qc != NULL;
    const cm__cand_fields_t *c = offers ? qc : &cat->cands[x->slot].f;
    const cm__offer_fields_t *o = offers ? &cat->offers[x->slot].f : qo;
    b->score =
        cm__score_bound_pair(&cat->cfg, c, o, cr, use_text ? 1.0 : 0.0, &b->eligible, &b->gap);
}

/* Nearest first, and no more than scored_max: the top `limit` fills with short commutes
 * early, so the bar the bounds are held to rises sooner than in grid order (cells from a
 * corner of the square), and more far pairs go unscored (about 10 % less time on the national
 * bench's matches, same answers). Bands of distance (1,024 up to the farthest hit), not a
 * sort: the results do not depend on the order, only the work does. When retrieval found
 * more than scored_max, the nearest are kept (ties by id, as cap_hits): whole bands, and of
 * the band that crosses the cap its nearest, sorted. Falls back to cap_hits alone when
 * memory is short or the hits are few. */
#define NEAREST_BANDS 1024
static void nearest_first(const cm__catalog_t *cat, hits_t *hs, bool offers)
{
    size_t n = hs->n, k = cat->cfg.scored_max;
    double far = 0;
    for (size_t i = 0; i < n; i++)
        if (hs->h[i].km > far)
            far = hs->h[i].km;
    size_t *start = n < 64 || !(far > 0) ? NULL : calloc(NEAREST_BANDS + 1, sizeof *start);
    hit_t *sorted = start ? malloc(n * sizeof *sorted) : NULL;
    if (!sorted) {
        free(start);
        cap_hits(cat, hs, offers);
        return;
    }
    double scale = (NEAREST_BANDS - 1) / far;
    for (size_t i = 0; i < n; i++)
        start[(size_t)(hs->h[i].km * scale) + 1]++;
    for (size_t b = 1; b <= NEAREST_BANDS; b++)
        start[b] += start[b - 1];
    size_t cross = NEAREST_BANDS, kept = n; /* the band the cap falls in, and its start */
    if (n > k) {
        for (cross = 0; start[cross + 1] <= k; cross++)
            ;
        kept = start[cross];
    }
    for (size_t i = 0; i < n; i++) { /* every band: those past the cap are rank_hits' reserve */
        size_t b = (size_t)(hs->h[i].km * scale);
        sorted[start[b]++] = hs->h[i];
    }
    hs->total = n;
    if (n > k) { /* the crossing band is whole at [kept, start[cross]): its nearest, in order */
        sort_ctx_t ctx = {cat, offers};
        qsort_r(sorted + kept, start[cross] - kept, sizeof *sorted, hit_cmp, &ctx);
        n = k;
    }
    free(start);
    free(hs->h);
    hs->h = sorted;
    hs->cap = hs->n;
    hs->n = n;
}

/* Not one of the scored_max nearest eligible: the next hits out, scored_max at a time, this
 * many times at most, until one is (an outside probe: 20,000 without the DEAS at the door hid
 * the one with it 7 km away). Limit-free: no eligible pair is pruned while none is found. */
#define RESERVE_ROUNDS 4

/* Score every hit, then take the best `limit` exactly: entries are visited in the order of
 * their upper bound (score with a perfect text factor) and given their text factor one by
 * one, until the limit-th kept result beats the next upper bound. The first k results are
 * therefore the same whatever the limit, and min_score sees final scores. */
static int rank_hits(cm__catalog_t *cat, const cm__cand_fields_t *qc, const cm__offer_fields_t *qo,
                     const near_ctx_t *nc, hits_t *hs, const cm_match_options_t *opt, bool text,
                     cm__ranked_t **out, size_t *n_out)
{
    const cm__score_config_t *cfg = &cat->cfg;
    bool offers = qc != NULL; /* the query is a candidate: hits are offers */
    const cm__sig_t *qsig = offers ? &qc->text : &qo->text;
    bool use_text = text && qsig->n > 0 && cfg->weight[CM_F_TEXT] > 0;
    /* `base` keeps the best `limit` by the score without text, whose final scores can only be
     * higher: an entry whose upper bound ranks after the worst of them can never enter the top
     * `limit`, and is not kept (so `all` stays small, whatever the scored set). */
    heap_t base = {malloc(opt->limit * sizeof *base.e), 0, opt->limit};
    heap_t h = {malloc(opt->limit * sizeof *h.e), 0, opt->limit};
    entry_t *all = NULL;
    size_t cap_all = 0;
    cm__ranked_t *res = NULL;
    size_t na = 0;
    int rc = 0;
    cm_match_t m;
    if (!base.e || !h.e) {
        rc = CM_ENOMEM;
        goto done;
    }
    bool any_eligible = false;
    size_t to = hs->n;
    for (size_t i = 0, round = 0;; i++) {
        if (i == to) {
            if (any_eligible || to >= hs->total || round++ == RESERVE_ROUNDS)
                break;
            to = to + cfg->scored_max < hs->total ? to + cfg->scored_max : hs->total;
        }
        uint32_t s = hs->h[i].slot;
        if (i + PREFETCH_FIELDS < to)
            prefetch_fields(cat, offers, hs->h[i + PREFETCH_FIELDS].slot);
        if (i + PREFETCH_HASH < to)
            prefetch_arrays(cat, offers, hs->h[i + PREFETCH_HASH].slot);
        cm__commute_t cr = hit_commute(cat, qc, qo, &hs->h[i]); /* once per pair */
        if (base.n == base.cap) {
            /* the commute alone may show the pair cannot enter the top `limit` (a neighbour
             * factor only lowers a score: the bound holds with it); then the record's cheap
             * parts, before its skills, certifications and barriers */
            entry_t bound = hit_bound(cat, qc, &hs->h[i], &cr, use_text);
            if (better(&base.e[0], &bound))
                continue;
            pair_bound(cat, qc, qo, &hs->h[i], &cr, use_text, &bound);
            if (better(&base.e[0], &bound))
                continue;
        }
        double nf = score_hit(cat, qc, qo, nc, &hs->h[i], &cr, 0.0, false, &m);
        if (nf != 1.0 && law_closed(&m))
            continue;
        any_eligible |= m.eligible;
        if (!m.eligible && !opt->include_near_misses)
            continue;
        double ub = m.score;
        if (use_text) { /* the text factor only adds: its best case bounds the final score */
            double ex[CM_F__COUNT];
            memcpy(ex, m.explain, sizeof ex);
            ex[CM_F_TEXT] = 1.0;
            ub = cm__score_total(cfg, ex);
            if (nf != 1.0) /* the same rounding as near_apply */
                ub = floor(ub * nf * 10.0 + 0.5) / 10.0;
        }
        if (ub < opt->min_score)
            continue;
        entry_t e = {m.score,
                     ub,
                     m.gap,
                     0.0,
                     s,
                     m.eligible,
                     offers ? cat->offers[s].id : cat->cands[s].id,
                     hs->h[i].km};
        if (e.score >= opt->min_score) /* surely qualifies: its final score is no lower */
            heap_push(&base, &e);
        entry_t best = e;
        best.score = ub;
        if (base.n == base.cap && better(&base.e[0], &best))
            continue;
        if (na == cap_all) {
            size_t nc2 = cap_all ? cap_all * 2 : 256;
            entry_t *g = realloc(all, nc2 * sizeof *g);
            if (!g) {
                rc = CM_ENOMEM;
                goto done;
            }
            all = g;
            cap_all = nc2;
        }
        all[na++] = e;
    }
    hs->n = to;               /* what was considered */
    if (base.n == base.cap) { /* the bar rose while scoring: drop what fell below it */
        size_t k = 0;
        for (size_t i = 0; i < na; i++) {
            entry_t best = all[i];
            best.score = best.ub;
            if (!better(&base.e[0], &best))
                all[k++] = all[i];
        }
        na = k;
    }
    ub_heapify(all, na);
    while (na > 0) {
        entry_t best = all[0];
        best.score = best.ub;
        if (h.n == h.cap && better(&h.e[0], &best))
            break; /* nothing left can enter the top limit */
        entry_t e = ub_pop(all, &na);
        if (use_text) {
            e.text = cm__sig_overlap(qsig, offers ? &cat->offers[e.slot].f.text
                                                  : &cat->cands[e.slot].f.text);
            score_hit(cat, qc, qo, nc, &(hit_t){.slot = e.slot, .km = e.km}, NULL, e.text, false,
                      &m);
            e.score = m.score;
        }
        if (e.score >= opt->min_score)
            heap_push(&h, &e);
    }
    size_t n = h.n;
    qsort(h.e, n, sizeof *h.e, entry_cmp);
    /* Explain (barrier details) only what is returned: same numbers as without details. */
    res = malloc((n ? n : 1) * sizeof *res);
    if (!res) {
        rc = CM_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        uint32_t s = h.e[i].slot;
        cm__ranked_t *r = &res[i];
        memset(r, 0, sizeof *r); /* padding too: results compare bytewise */
        score_hit(cat, qc, qo, nc, &(hit_t){.slot = s, .km = h.e[i].km}, NULL, h.e[i].text, true,
                  &r->m);
        memcpy(r->id, h.e[i].id, sizeof r->id);
    }
    *out = res;
    *n_out = n;
    res = NULL;
done:
    free(res);
    free(all);
    free(base.e);
    free(h.e);
    return rc;
}

int cm__match_offers(cm__catalog_t *cat, const cm_candidate_t *c, cm__match_req_t req,
                     cm__ranked_t **out, size_t *n, size_t *considered)
{
    cm_match_options_t o;
    cm__cand_fields_t f;
    hits_t hs = {0};
    uint32_t *romes = NULL, r0, r1, c0, c1;
    size_t nr = 0;
    int rc = start_match(req.opt, &o, out, n, considered);
    if (rc)
        return rc;
    if (c->status != CM_CAND_ACTIVE) /* only active candidates are matched, either way */
        return 0;
    if ((rc = cm__cand_fields_init(&f, c, &cat->cfg)))
        return rc;
    if (pthread_rwlock_rdlock(&cat->lock) != 0) {
        rc = CM_EINTERNAL;
        goto out;
    }
    /* No ROME named: every ROME that has open offers. Neighbours: each named code's too. */
    size_t cap = c->n_desired_rome ? c->n_desired_rome * (o.neighbours ? CM__NEAR_MAX + 1 : 1)
                                   : cat->n_orome;
    romes = malloc((cap + 1) * sizeof *romes);
    if (!romes) {
        rc = CM_ENOMEM;
        goto unlock;
    }
    if (c->n_desired_rome == 0) {
        for (uint32_t i = 0; i < cat->n_orome; i++)
            if (cat->orome_count[i] > 0)
                romes[nr++] = cat->orome[i];
    } else {
        nr = cm__cand_rome_codes(c, romes, c->n_desired_rome);
    }
    near_ctx_t nc = {o.neighbours && c->n_desired_rome > 0, romes, nr};
    if (nc.on)
        nr = cm__add_neighbour_codes(romes, nr, cap);
    cm__cell_range(f.loc, f.reach_km, &r0, &r1, &c0, &c1);
    cm__flat_t flat; /* the cells' corners are out of reach: no sines for them */
    cm__flat_init(&flat, f.loc, f.reach_km);
    double out2 = f.reach_km * f.reach_km * flat.out, cos_c = cm__lat_cos(f.loc);
    for (size_t k = 0; k < nr && rc == 0; k++) {
        for (uint32_t row = r0; row <= r1 && rc == 0; row++) {
            for (uint32_t col = c0; col <= c1 && rc == 0; col++) {
                const cm__bucket_t *b =
                    cm__grid_find(&cat->ogrid, cm__cell_key(romes[k], row, col));
                for (uint32_t i = 0; b && i < b->n && rc == 0; i++) {
                    if (cm__flat_d2(&flat, b->pt[i].loc) >= out2)
                        continue;
                    double km =
                        cm__distance_km_cos(f.loc, b->pt[i].loc, cos_c, cm__lat_cos(b->pt[i].loc));
                    if (km <= f.reach_km)
                        rc = hits_push(&hs, b->slot[i], &b->pt[i], km);
                }
            }
        }
    }
    if (rc == 0) {
        nearest_first(cat, &hs, true);
        rc = rank_hits(cat, &f, NULL, &nc, &hs, &o, req.text, out, n);
        if (considered)
            *considered = hs.n;
    }
unlock:
    pthread_rwlock_unlock(&cat->lock);
out:
    free(romes);
    free(hs.h);
    cm__cand_fields_clear(&f);
    return rc;
}

int cm__match_candidates(cm__catalog_t *cat, const cm_offer_t *o, cm__match_req_t req,
                         cm__ranked_t **out, size_t *n, size_t *considered)
{
    cm_match_options_t mo;
    cm__offer_fields_t f;
    hits_t hs = {0};
    uint32_t r0, r1, c0, c1;
    int rc = start_match(req.opt, &mo, out, n, considered);
    if (rc)
        return rc;
    if (o->status != CM_OFFER_OPEN) /* the contract: only open offers are matched */
        return 0;
    if ((rc = cm__offer_fields_init(&f, o)))
        return rc;
    if (pthread_rwlock_rdlock(&cat->lock) != 0) {
        rc = CM_EINTERNAL;
        goto out;
    }
    double cos_o = cm__lat_cos(f.loc);
    /* Band by band, candidates can come from as far as the longest reach in that band:
     * those who want this ROME, and those who named none. */
    uint32_t romes[CM__NEAR_MAX + 2] = {f.rome};
    size_t nr = 1;
    near_ctx_t nc = {mo.neighbours && f.rome != 0, NULL, 0};
    if (nc.on) /* candidates wanting a code this one neighbours (the relation is symmetric) */
        nr = cm__add_neighbour_codes(romes, 1, CM__NEAR_MAX + 1);
    romes[nr++] = 0;
    for (uint32_t band = 0; band < CM__REACH_BANDS && rc == 0 && f.rome != 0; band++) {
        if (cat->band_reach_max[band] <= 0)
            continue;
        cm__cell_range(f.loc, cat->band_reach_max[band], &r0, &r1, &c0, &c1);
        cm__flat_t flat; /* who is surely out of her reach needs no sines (geo.h) */
        cm__flat_init(&flat, f.loc, cat->band_reach_max[band]);
        for (size_t k = 0; k < nr && rc == 0; k++) {
            for (uint32_t row = r0; row <= r1 && rc == 0; row++) {
                for (uint32_t col = c0; col <= c1 && rc == 0; col++) {
                    const cm__bucket_t *b =
                        cm__grid_find(&cat->cgrid, cm__cand_cell_key(romes[k], band, row, col));
                    for (uint32_t i = 0; b && i < b->n && rc == 0; i++) {
                        double r = b->pt[i].reach_km;
                        if (cm__flat_d2(&flat, b->pt[i].loc) >= r * r * flat.out)
                            continue;
                        double km = cm__distance_km_cos(b->pt[i].loc, f.loc,
                                                        cm__lat_cos(b->pt[i].loc), cos_o);
                        if (km <= b->pt[i].reach_km)
                            rc = hits_push(&hs, b->slot[i], &b->pt[i], km);
                    }
                }
            }
        }
    }
    if (rc == 0 && nc.on)
        dedup_hits(&hs); /* a candidate wanting two of these codes sits in two buckets */
    if (rc == 0) {
        nearest_first(cat, &hs, false);
        rc = rank_hits(cat, NULL, &f, &nc, &hs, &mo, req.text, out, n);
        if (considered)
            *considered = hs.n;
    }
    pthread_rwlock_unlock(&cat->lock);
out:
    free(hs.h);
    cm__offer_fields_clear(&f);
    return rc;
}
