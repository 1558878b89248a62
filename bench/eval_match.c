/* Ranking quality on the graded evaluation set of corpora/eval (RULES.md): loads profiles,
 * offers and judgements (NDJSON), ranks offers for every profile with the catalog, and prints
 * nDCG@10 and precision@10 (grade >= 1), next to a nearest-first baseline; and, over the
 * "lever cases" (judged 1 for one obstacle an adviser lifts with a lever), the share that come
 * out with a barrier of the right kind carrying the right lever.
 * Usage: eval_match [--dir DIR] [--config scoring.json] [--min-ndcg X] [--min-levers X] [-v]
 * (or $CM_EVAL_MIN_NDCG / $CM_EVAL_MIN_LEVERS, how ctest runs it). Exit status 1 when loading
 * fails or a figure is below its minimum. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define K 10

typedef struct qrel {
    char cand[CM_ID_MAX + 1], offer[CM_ID_MAX + 1];
    int grade;
    char barrier[24], lever[32]; /* a lever case: the barrier kind and lever expected */
} qrel_t;

static qrel_t *qrels;
static size_t n_qrels;

static int grade_of(const char *cand, const char *offer)
{
    for (size_t i = 0; i < n_qrels; i++)
        if (strcmp(qrels[i].cand, cand) == 0 && strcmp(qrels[i].offer, offer) == 0)
            return qrels[i].grade;
    return 0; /* unjudged: not relevant */
}

typedef int (*line_fn)(void *arg, const char *line, size_t len, size_t lineno);

static int each_line(const char *dir, const char *name, line_fn fn, void *arg)
{
    char path[4096], *line = NULL;
    size_t cap = 0, lineno = 0;
    ssize_t len;
    int rc = 0;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "eval_match: cannot open %s\n", path);
        return 1;
    }
    while (rc == 0 && (len = getline(&line, &cap, f)) > 0) {
        lineno++;
        if (len > 1)
            rc = fn(arg, line, (size_t)len, lineno);
    }
    free(line);
    fclose(f);
    return rc;
}

static int load_offer(void *arg, const char *line, size_t len, size_t lineno)
{
    cm_offer_t *o;
    cm_error err = {0};
    int rc = cm_offer_from_json(line, len, NULL, &o, &err);
    if (rc) {
        fprintf(stderr, "offers.ndjson:%zu: %s (%s)\n", lineno, err.message, err.field);
        return 1;
    }
    rc = cm__catalog_put_offer(arg, o);
    cm_offer_free(o);
    return rc ? 1 : 0;
}

typedef struct profiles {
    cm_candidate_t **c;
    size_t n, cap;
} profiles_t;

static int load_profile(void *arg, const char *line, size_t len, size_t lineno)
{
    profiles_t *ps = arg;
    cm_candidate_t *c;
    cm_error err = {0};
    if (cm_candidate_from_json(line, len, NULL, &c, &err)) {
        fprintf(stderr, "profiles.ndjson:%zu: %s (%s)\n", lineno, err.message, err.field);
        return 1;
    }
    if (ps->n == ps->cap) {
        size_t nc = ps->cap ? ps->cap * 2 : 64;
        cm_candidate_t **n = realloc(ps->c, nc * sizeof *n);
        if (!n) {
            cm_candidate_free(c);
            return 1;
        }
        ps->c = n;
        ps->cap = nc;
    }
    ps->c[ps->n++] = c;
    return 0;
}

static bool copy_str(const cJSON *root, const char *key, char *out, size_t cap, bool need)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, key);
    out[0] = '\0';
    if (!v)
        return !need;
    if (!cJSON_IsString(v) || strlen(v->valuestring) >= cap)
        return false;
    strcpy(out, v->valuestring);
    return true;
}

static int load_qrel(void *arg, const char *line, size_t len, size_t lineno)
{
    static size_t cap;
    (void)arg;
    if (n_qrels == cap) {
        size_t nc = cap ? cap * 2 : 512;
        qrel_t *n = realloc(qrels, nc * sizeof *n);
        if (!n)
            return 1;
        qrels = n;
        cap = nc;
    }
    qrel_t *q = &qrels[n_qrels];
    cJSON *root = cJSON_ParseWithLength(line, len);
    const cJSON *g = root ? cJSON_GetObjectItemCaseSensitive(root, "grade") : NULL;
    bool ok = g && cJSON_IsNumber(g) && g->valueint >= 0 && g->valueint <= 2 &&
              copy_str(root, "candidate", q->cand, sizeof q->cand, true) &&
              copy_str(root, "offer", q->offer, sizeof q->offer, true) &&
              copy_str(root, "barrier", q->barrier, sizeof q->barrier, false) &&
              copy_str(root, "lever", q->lever, sizeof q->lever, false);
    if (ok)
        q->grade = g->valueint;
    cJSON_Delete(root);
    if (!ok) {
        fprintf(stderr, "judgements.ndjson:%zu: unreadable line\n", lineno);
        return 1;
    }
    n_qrels++;
    return 0;
}

/* Does m carry a barrier of kind `kind` with lever `lever` (JSON names)? */
static bool has_lever(const cm_match_t *m, const char *kind, const char *lever)
{
    for (size_t i = 0; i < m->n_barriers; i++) {
        if (strcmp(cm_barrier_name(m->barriers[i].kind), kind) != 0)
            continue;
        for (int l = 0; l < CM_LEVER__COUNT; l++)
            if ((m->barriers[i].levers & (1u << l)) && strcmp(cm_lever_name(l), lever) == 0)
                return true;
    }
    return false;
}

static int int_desc(const void *a, const void *b)
{
    return *(const int *)b - *(const int *)a;
}

/* nDCG@K with gain 2^g - 1 and the ideal order of every judged grade of this profile. */
static double ndcg(const char *cand, const int *grades, size_t n)
{
    int ideal[1024];
    size_t ni = 0;
    double dcg = 0, idcg = 0;
    for (size_t i = 0; i < n && i < K; i++)
        dcg += (pow(2, grades[i]) - 1) / log2((double)i + 2);
    for (size_t i = 0; i < n_qrels && ni < 1024; i++)
        if (strcmp(qrels[i].cand, cand) == 0)
            ideal[ni++] = qrels[i].grade;
    qsort(ideal, ni, sizeof *ideal, int_desc);
    for (size_t i = 0; i < ni && i < K; i++)
        idcg += (pow(2, ideal[i]) - 1) / log2((double)i + 2);
    return idcg > 0 ? dcg / idcg : 1.0;
}

static int by_distance(const void *a, const void *b)
{
    const cm__ranked_t *x = a, *y = b;
    if (x->m.distance_km != y->m.distance_km)
        return x->m.distance_km < y->m.distance_km ? -1 : 1;
    return strcmp(x->id, y->id);
}

int main(int argc, char **argv)
{
    const char *dir = NULL, *config = NULL;
    const char *env_min = getenv("CM_EVAL_MIN_NDCG");
    const char *env_lev = getenv("CM_EVAL_MIN_LEVERS");
    double min_ndcg = env_min && *env_min ? atof(env_min) : -1;
    double min_levers = env_lev && *env_lev ? atof(env_lev) : -1;
    bool verbose = false;
    char defdir[4096];
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
            dir = argv[++i];
        else if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
            config = argv[++i];
        else if (strcmp(argv[i], "--min-ndcg") == 0 && i + 1 < argc)
            min_ndcg = atof(argv[++i]);
        else if (strcmp(argv[i], "--min-levers") == 0 && i + 1 < argc)
            min_levers = atof(argv[++i]);
        else if (strcmp(argv[i], "-v") == 0)
            verbose = true;
        else {
            fprintf(stderr, "usage: eval_match [--dir DIR] [--config FILE] [--min-ndcg X] "
                            "[--min-levers X] [-v]\n");
            return 2;
        }
    }
    if (!dir) {
        const char *src = getenv("CM_SOURCE_DIR");
        snprintf(defdir, sizeof defdir, "%s/corpora/eval", src && *src ? src : ".");
        dir = defdir;
    }
    cm__score_config_t *cfg;
    cm__catalog_t *cat;
    cm_error err = {0};
    if (cm__score_config_load(config, &cfg, &err)) {
        fprintf(stderr, "eval_match: %s\n", err.message);
        return 1;
    }
    if (cm__catalog_create(cfg, &cat)) {
        fprintf(stderr, "eval_match: out of memory\n");
        return 1;
    }
    profiles_t ps = {0};
    if (each_line(dir, "offers.ndjson", load_offer, cat) ||
        each_line(dir, "profiles.ndjson", load_profile, &ps) ||
        each_line(dir, "judgements.ndjson", load_qrel, NULL) || ps.n == 0)
        return 1;

    double sum_ndcg = 0, sum_p = 0, base_ndcg = 0, base_p = 0;
    size_t lev_cases = 0, lev_right = 0, lev_hard = 0, lev_eligible_noflag = 0, lev_absent = 0;
    cm_match_options_t opt = {
        .limit = CM_MATCH_LIMIT_MAX, .min_score = 0, .include_near_misses = true};
    for (size_t i = 0; i < ps.n; i++) {
        cm__ranked_t *r;
        size_t n;
        int grades[CM_MATCH_LIMIT_MAX];
        if (cm__match_offers(cat, ps.c[i], (cm__match_req_t){&opt, true}, &r, &n, NULL)) {
            fprintf(stderr, "eval_match: match failed for %s\n", ps.c[i]->id);
            return 1;
        }
        /* Lever cases of this profile: found with the right barrier and lever? */
        for (size_t q = 0; q < n_qrels; q++) {
            if (!qrels[q].barrier[0] || strcmp(qrels[q].cand, ps.c[i]->id) != 0)
                continue;
            lev_cases++;
            const cm__ranked_t *hit = NULL;
            for (size_t k = 0; k < n && !hit; k++)
                if (strcmp(r[k].id, qrels[q].offer) == 0)
                    hit = &r[k];
            if (!hit)
                lev_absent++;
            else if (has_lever(&hit->m, qrels[q].barrier, qrels[q].lever))
                lev_right++, lev_hard += !hit->m.eligible;
            else if (hit->m.eligible && hit->m.n_barriers == 0)
                lev_eligible_noflag++;
            if (verbose && (!hit || !has_lever(&hit->m, qrels[q].barrier, qrels[q].lever)))
                printf("  lever case %s %s: want %s/%s, got %s\n", ps.c[i]->id, qrels[q].offer,
                       qrels[q].barrier, qrels[q].lever,
                       !hit ? "not returned"
                       : hit->m.n_barriers ? cm_barrier_name(hit->m.barriers[0].kind)
                                           : "no barrier");
        }
        for (int pass = 0; pass < 2; pass++) {
            if (pass == 1) /* baseline: nearest first, same retrieved set */
                qsort(r, n, sizeof *r, by_distance);
            size_t rel = 0;
            for (size_t k = 0; k < n; k++)
                grades[k] = grade_of(ps.c[i]->id, r[k].id);
            for (size_t k = 0; k < n && k < K; k++)
                rel += grades[k] >= 1;
            double nd = ndcg(ps.c[i]->id, grades, n), p = (double)rel / K;
            if (pass == 0) {
                sum_ndcg += nd;
                sum_p += p;
                if (verbose) {
                    printf("%-12s nDCG@10 %.3f P@10 %.2f  top:", ps.c[i]->id, nd, p);
                    for (size_t k = 0; k < n && k < K; k++)
                        printf(" %s=%d%s", r[k].id + strlen(r[k].id) - 2, grades[k],
                               r[k].m.eligible ? "" : "*");
                    printf("\n");
                }
            } else {
                base_ndcg += nd;
                base_p += p;
            }
        }
        cm_free(r);
    }
    double mean = sum_ndcg / ps.n;
    printf("profiles %zu, offers judged %zu\n", ps.n, n_qrels);
    printf("model:    nDCG@10 %.3f  precision@10 %.3f\n", mean, sum_p / ps.n);
    printf("baseline: nDCG@10 %.3f  precision@10 %.3f  (nearest first)\n", base_ndcg / ps.n,
           base_p / ps.n);
    double lev_share = lev_cases ? (double)lev_right / lev_cases : 1.0;
    printf("lever cases %zu: right barrier and lever %.3f (as near-misses %zu, eligible with the "
           "flag %zu); eligible without a flag %zu, not returned %zu\n",
           lev_cases, lev_share, lev_hard, lev_right - lev_hard, lev_eligible_noflag, lev_absent);
    for (size_t i = 0; i < ps.n; i++)
        cm_candidate_free(ps.c[i]);
    free(ps.c);
    free(qrels);
    cm__catalog_destroy(cat);
    cm__score_config_free(cfg);
    if (min_ndcg >= 0 && mean < min_ndcg) {
        fprintf(stderr, "eval_match: nDCG@10 %.3f below %.3f\n", mean, min_ndcg);
        return 1;
    }
    if (min_levers >= 0 && lev_share < min_levers) {
        fprintf(stderr, "eval_match: lever cases right %.3f below %.3f\n", lev_share, min_levers);
        return 1;
    }
    return 0;
}
