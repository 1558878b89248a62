/* The search index's readers (index.h): open and reopen, a search by tiers of its words
 * (Xapian's matcher, or the engine's ranking over the catalog's set: textrank.c), the walk of
 * every offer document. The writer and the document layout are in index.c. */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmx.h"
#include "index.h"
#include "index_internal.h"
#include "search_set.h"
#include "textquery.h"

#define CHECK_AT_LEAST 10000 /* exact totals and facet counts up to this many matches */
#define QUERY_TERMS_MAX 100  /* terms in a search's q (CM_QUERY_MAX bytes bounds it too) */
#define RETRIES 8            /* reopen-and-retry rounds on a reader outdated by a commit */
#define SEARCH_TIME_LIMIT_S                                                                        \
    10 /* a search ends with CM_ETIMEDOUT past this (a damaged index                               \
          must not hold a worker for minutes) */
#define STR_(x) #x
#define STR(x) STR_(x)

struct cm__searcher {
    cmx_db *db;
    char uuid[CMX_UUID_LEN + 1];
};

/* ---- Readers ----
 * Retries live here, and only here: a reader that falls behind the writer's commits sees its
 * revision's blocks reused, and Xapian says "modified" or, mid-read, "corrupt". Both mean
 * reopen and try again, at most RETRIES times, for an open, a reopen or a search. */

static bool outrun(int rc)
{
    return rc == CMX_ERETRY || rc == CMX_ECORRUPT;
}

/* A shim error met by a search (msg consumed): reported, or for an outrun (or damaged)
 * reader CM_ERETRY, the caller reopening and retrying with the last "corrupt" message kept. */
static int search_failed(int rc, char *msg, char **corrupt, cm_error *err)
{
    if (!outrun(rc))
        return xerr(err, rc, NULL, "search", msg);
    cmx_free(*corrupt);
    *corrupt = rc == CMX_ECORRUPT ? msg : NULL;
    if (rc != CMX_ECORRUPT)
        cmx_free(msg);
    return CM_ERETRY;
}

int cm__searcher_open(const char *path, cm__searcher_t **out, cm_error *err)
{
    char *msg = NULL;
    *out = NULL;
    cm__text_init();
    cm__searcher_t *s = calloc(1, sizeof *s);
    if (!s)
        return cm_error_set(err, CM_ENOMEM, NULL, "out of memory");
    int rc;
    for (int attempt = 0; attempt < RETRIES; attempt++) {
        cmx_free(msg);
        msg = NULL;
        if (!outrun(rc = cmx_db_open(path, &s->db, &msg)))
            break;
    }
    if (!rc && (rc = cmx_db_uuid(s->db, s->uuid, &msg)) != 0)
        cmx_db_close(s->db);
    if (rc) {
        free(s);
        return xerr(err, rc, NULL, "opening the index for reading", msg);
    }
    *out = s;
    return 0;
}

void cm__searcher_close(cm__searcher_t *s)
{
    if (!s)
        return;
    cmx_db_close(s->db);
    free(s);
}

const char *cm__searcher_uuid(const cm__searcher_t *s)
{
    return s->uuid;
}

int cm__searcher_reopen(cm__searcher_t *s)
{
    int rc;
    for (int attempt = 0; attempt < RETRIES; attempt++)
        if (!outrun(rc = cmx_db_reopen(s->db, NULL)))
            break;
    return rc;
}

static bool blank(const char *s)
{
    if (!s)
        return true;
    for (; *s; s++)
        if (!isspace((unsigned char)*s))
            return false;
    return true;
}

static const unsigned facet_slot[CM_FACET__COUNT] = {
    [CM_FACET_ROME] = SLOT_ROME,
    [CM_FACET_CONTRACT] = SLOT_CONTRACT,
    [CM_FACET_EMPLOYER_KIND] = SLOT_KIND,
    [CM_FACET_DEPARTMENT] = SLOT_DEPT,
};

static int run_search(cm__searcher_t *s, const cm_search_query_t *q, const cmx_query *query,
                      cm__sset_t *set, cm__search_ids_t *out, char **corrupt, cm_error *err)
{
    cmx_search_t xs = {0};
    int spy_of[CM_FACET__COUNT];
    cmx_mset *m = NULL;
    char *msg = NULL;
    xs.query = query;
    xs.offset = q->offset;
    xs.limit = q->limit;
    xs.check_at_least = CHECK_AT_LEAST;
    /* a radius search answered here (the catalog not yet mapped after a start or a rebuild)
     * gives the catalog's exact totals and facets, every match counted */
    if (q->has_geo && q->radius_km > 0) /* placed by now; index_filter.c's radius condition */
        xs.check_at_least = UINT_MAX;
    xs.time_limit_s = SEARCH_TIME_LIMIT_S;
    if (q->sort == CM_SORT_DISTANCE) {
        xs.sort = CMX_SORT_DISTANCE;
        xs.sort_slot = SLOT_LOC;
        xs.lat = q->center.lat_e6 / 1e6;
        xs.lon = q->center.lon_e6 / 1e6;
    } else {
        xs.sort = q->sort == CM_SORT_DATE ? CMX_SORT_VALUE : CMX_SORT_RELEVANCE;
        xs.sort_slot = SLOT_DATE;
    }
    if (set) { /* the set counts what Xapian keeps: exact totals and facets */
        memset(set->mark, 0, set->n);
        set->n_marked = 0;
        set->cursor = 0;
        xs.accept = cm__sset_accept;
        xs.accept_ctx = set;
        if (q->sort != CM_SORT_DISTANCE) { /* the date from the set, not the value stream */
            xs.sort_value = cm__sset_day;
            xs.sort_value_ctx = set;
        }
        xs.check_at_least = set->n > CHECK_AT_LEAST ? (unsigned)set->n : CHECK_AT_LEAST;
    }
    for (int f = 0; f < CM_FACET__COUNT; f++) {
        spy_of[f] = -1;
        if (!set && (q->facets & (1u << f))) {
            spy_of[f] = (int)xs.n_spies;
            xs.spy_slots[xs.n_spies++] = facet_slot[f];
        }
    }
    int rc = cmx_db_search(s->db, &xs, &m, &msg);
    if (rc == CMX_ETIMEDOUT)
        return xerr(err, rc, NULL,
                    "search stopped at its time limit (" STR(SEARCH_TIME_LIMIT_S) " s)", msg);
    if (rc) /* outrun, or damaged: the caller retries */
        return search_failed(rc, msg, corrupt, err);

    bool has_text = !blank(q->q); /* else every score is 0 */
    size_t n = cmx_mset_size(m);
    out->total = set ? set->n_marked : cmx_mset_matches_estimated(m);
    if (n > 0) {
        out->ids = malloc(n * sizeof *out->ids);
        out->scores = malloc(n * sizeof *out->scores);
        if (!out->ids || !out->scores)
            goto nomem;
    }
    for (size_t i = 0; i < n; i++) {
        size_t len;
        const char *id = cmx_mset_data(m, i, &len);
        if (doc_id(id, len, out->ids[out->n]) != 0) {
            rc = cm_error_set(err, CM_ECORRUPT, NULL, "index document without a valid id");
            goto fail;
        }
        out->scores[out->n] = has_text ? (double)cmx_mset_percent(m, i) : 0.0;
        out->n++;
    }
    if (set && cm__sset_facets(set, false, q->facets, out) != 0)
        goto nomem;
    for (int f = 0; f < CM_FACET__COUNT; f++) {
        if (spy_of[f] < 0)
            continue;
        size_t nf = cmx_mset_facet_size(m, (size_t)spy_of[f]);
        if (nf == 0)
            continue;
        out->facets[f] = calloc(nf, sizeof *out->facets[f]);
        if (!out->facets[f])
            goto nomem;
        for (size_t j = 0; j < nf; j++) {
            size_t len;
            uint64_t count;
            const char *v = cmx_mset_facet(m, (size_t)spy_of[f], j, &len, &count);
            cm_facet_value_t *fv = &out->facets[f][out->n_facets[f]];
            if (len >= sizeof fv->value)
                continue; /* cannot be one of our facet strings */
            memcpy(fv->value, v, len);
            fv->value[len] = '\0';
            fv->count = count > UINT32_MAX ? UINT32_MAX : (uint32_t)count;
            out->n_facets[f]++;
        }
    }
    cmx_mset_free(m);
    return 0;
nomem:
    rc = cm_error_set(err, CM_ENOMEM, NULL, "out of memory");
fail:
    cmx_mset_free(m);
    cm__search_ids_free(out);
    return rc;
}

/* Text with operators, when asked for and when it parses: NULL otherwise (a person's text is
 * never an error: unparsable operators fall back to plain words). */
static cmx_query *operator_query(const cm_search_query_t *q)
{
    cmx_query *text = NULL;
    if (!q->operators || blank(q->q))
        return NULL;
    if (cmx_query_parse(q->q, strlen(q->q), CMX_PARSE_AND, QUERY_TERMS_MAX, &text, NULL) != 0)
        return NULL;
    return text;
}

/* One search of `text` under `filter`. */
static int run_filtered(cm__searcher_t *s, const cm_search_query_t *q, const cmx_query *text,
                        const cmx_query *filter, cm__sset_t *set, cm__search_ids_t *out,
                        char **corrupt, cm_error *err)
{
    cmx_query *whole = NULL;
    int rc = cmx_query_combine(CMX_OP_FILTER, text, filter, &whole);
    if (rc)
        return cm_error_set(err, rc, NULL, "building the search query: %s", cm_strerror(rc));
    rc = run_search(s, q, whole, set, out, corrupt, err);
    cmx_query_free(whole);
    return rc;
}

/* One tier ranked over the catalog's set without Xapian's matcher (textrank.c): the ids of
 * the page's docids from their documents, the facets from the marks. *used false: not this
 * way (a sort by distance, too many words, too large a set). */
static int run_ranked(cm__searcher_t *s, const cm_search_query_t *q, const cm__textq_t *tq,
                      int tier, cm__sset_t *set, cm__search_ids_t *out, bool *used, char **corrupt,
                      cm_error *err)
{
    cm__trank_t r;
    char *msg = NULL;
    *used = false;
    if (q->sort == CM_SORT_DISTANCE)
        return 0;
    int rc = cm__textrank(s->db, tq, tier, q->sort == CM_SORT_DATE, set, q->offset, q->limit, &r,
                          used, &msg);
    if (rc)
        return search_failed(rc, msg, corrupt, err);
    cmx_free(msg);
    if (!*used)
        return 0;
    out->total = r.total;
    if (r.n && (!(out->ids = malloc(r.n * sizeof *out->ids)) ||
                !(out->scores = malloc(r.n * sizeof *out->scores))))
        rc = cm_error_set(err, CM_ENOMEM, NULL, "out of memory");
    for (size_t i = 0; !rc && i < r.n; i++) {
        char *data;
        size_t len;
        rc = cmx_db_doc_data(s->db, r.docid[i], &data, &len, &msg);
        if (rc) {
            rc = search_failed(rc, msg, corrupt, err);
            break;
        }
        if (doc_id(data, len, out->ids[out->n]) != 0)
            rc = cm_error_set(err, CM_ECORRUPT, NULL, "index document without a valid id");
        else
            out->scores[out->n++] = r.percent[i];
        cmx_free(data);
    }
    cm__trank_free(&r);
    if (!rc && cm__sset_facets(set, false, q->facets, out) != 0)
        rc = cm_error_set(err, CM_ENOMEM, NULL, "out of memory");
    if (rc)
        cm__search_ids_free(out);
    return rc;
}

/* The search proper: no text (every open offer), operators, or plain words by tiers (all
 * words; else all but one; else any), the first tier with a match answering. */
static int search_tiers(cm__searcher_t *s, const cm_search_query_t *q, cm__textq_t *tq,
                        const cmx_query *filter, cm__sset_t *set, cm__search_ids_t *out,
                        char **corrupt, cm_error *err)
{
    cmx_query *text = operator_query(q);
    int rc;
    cm__search_ids_free(out); /* what an outrun attempt left */
    if (text || !tq || tq->n == 0) {
        if (!text && (rc = cmx_query_all(&text)) != 0)
            return cm_error_set(err, rc, NULL, "building the search query: %s", cm_strerror(rc));
        rc = run_filtered(s, q, text, filter, set, out, corrupt, err);
        cmx_query_free(text);
        if (!rc && tq && tq->n > 0)
            out->text_match = CM_TEXT_MATCH_OPERATORS;
        return rc;
    }
    rc = cm__textq_repair(tq, s->db);
    if (outrun(rc))
        return CM_ERETRY;
    if (rc)
        return cm_error_set(err, rc, NULL, "search text: %s", cm_strerror(rc));
    int tiers[3];
    unsigned n = cm__textq_tiers(tq, tiers);
    for (unsigned t = 0; t < n; t++) {
        rc = cm__textq_query(tq, tiers[t], &text);
        if (rc)
            return cm_error_set(err, rc, NULL, "building the search query: %s", cm_strerror(rc));
        cm__search_ids_free(out);
        bool ranked = false;
        if (set && !cm__textrank_off)
            rc = run_ranked(s, q, tq, tiers[t], set, out, &ranked, corrupt, err);
        if (!rc && !ranked)
            rc = run_filtered(s, q, text, filter, set, out, corrupt, err);
        cmx_query_free(text);
        if (rc)
            return rc;
        out->text_match = tiers[t];
        out->text_ranked = ranked;
        if (out->total > 0)
            break;
    }
    return 0;
}

static int count_word(void *arg, const cmx_token_t *t)
{
    (void)t;
    return ++*(unsigned *)arg > CM_QUERY_WORDS_MAX; /* stops the walk past the limit */
}

int cm__search_validate(const cm_search_query_t *q, cm_error *err)
{
    if (q->q && strlen(q->q) > CM_QUERY_MAX)
        return cm_error_set(err, CM_EINVAL, "q", "query longer than %d bytes", CM_QUERY_MAX);
    unsigned words = 0;
    if (q->q && *q->q)
        (void)cmx_text_tokens(q->q, strlen(q->q), count_word, &words, NULL);
    if (words > CM_QUERY_WORDS_MAX)
        return cm_error_set(err, CM_EINVAL, "q", "q has more than %d words", CM_QUERY_WORDS_MAX);
    if (q->sort == CM_SORT_DISTANCE && !q->has_geo)
        return cm_error_set(err, CM_EINVAL, "sort", "sort=distance needs lat and lon");
    if (q->sort < CM_SORT_RELEVANCE || q->sort > CM_SORT_DATE)
        return cm_error_set(err, CM_EINVAL, "sort", "unknown sort");
    if (q->limit == 0 || q->limit > CM_SEARCH_PER_PAGE_MAX)
        return cm_error_set(err, CM_EINVAL, "per_page", "per_page must be between 1 and %d",
                            CM_SEARCH_PER_PAGE_MAX);
    if (q->n_rome > CM_SEARCH_ROME_MAX)
        return cm_error_set(err, CM_EINVAL, "rome", "more than %d ROME codes", CM_SEARCH_ROME_MAX);
    if (q->has_geo && !(q->radius_km >= 0 && isfinite(q->radius_km)))
        return cm_error_set(err, CM_EINVAL, "radius_km", "radius_km must be >= 0");
    for (size_t i = 0; i < q->n_rome; i++)
        if (!q->rome[i] || strlen(q->rome[i]) > 16)
            return cm_error_set(err, CM_EINVAL, "rome", "invalid ROME code");
    return 0;
}

int cm__searcher_search(cm__searcher_t *s, const cm_search_query_t *q, cm__sset_t *set,
                        cm__search_ids_t *out, cm_error *err)
{
    memset(out, 0, sizeof *out);
    int rc = cm__search_validate(q, err);
    if (rc)
        return rc;
    cmx_query *filter = NULL;
    /* a set from the catalog holds the radius and filters: Xapian adds the text alone */
    rc = set ? cmx_query_docids(set->docids, set->n, &filter) : cm__search_filter(q, &filter, err);
    if (rc && set)
        return cm_error_set(err, rc, NULL, "building the search query: %s", cm_strerror(rc));
    if (rc)
        return rc;
    cm__textq_t *tq = NULL;
    if (!blank(q->q)) {
        tq = malloc(sizeof *tq);
        rc = tq ? cm__textq_parse(q->q, strlen(q->q), tq) : CM_ENOMEM;
        if (rc) {
            free(tq);
            cmx_query_free(filter);
            return cm_error_set(err, rc, NULL, "reading the search text: %s", cm_strerror(rc));
        }
    }
    char *corrupt = NULL;
    uint64_t rev0 = cmx_db_revision(s->db);
    bool moved = false; /* a commit came between the attempts */
    for (int attempt = 0; attempt < RETRIES; attempt++) {
        rc = search_tiers(s, q, tq, filter, set, out, &corrupt, err);
        if (rc != CM_ERETRY)
            break;
        rc = cm__searcher_reopen(s);
        if (rc)
            break;
        moved |= cmx_db_revision(s->db) != rev0;
        rc = CM_ERETRY;
    }
    cmx_query_free(filter);
    if (rc == 0 && tq && tq->n > 0) {
        out->text = tq; /* the caller highlights with it */
        tq = NULL;
    }
    free(tq);
    /* "corrupt" on every reopen is no reader outrun by commits: the index is damaged; nor is
     * "modified" at a revision no commit moved (a damaged block that claims a newer one: a
     * fault probe's flipped bytes gave 503 for every search, for ever) */
    if (rc == CM_ERETRY && corrupt)
        rc = cm_error_set(err, CM_ECORRUPT, NULL, "search index damaged: %s", corrupt);
    else if (rc == CM_ERETRY && !moved && rev0 != 0)
        rc = cm_error_set(err, CM_ECORRUPT, NULL,
                          "search index damaged: 'modified' %d times at revision %llu, which no "
                          "commit moved",
                          RETRIES, (unsigned long long)rev0);
    else if (rc == CM_ERETRY)
        cm_error_set(err, rc, NULL, "index kept changing during the search");
    cmx_free(corrupt);
    return rc;
}

void cm__search_ids_free(cm__search_ids_t *r)
{
    if (!r)
        return;
    free(r->text);
    free(r->ids);
    free(r->scores);
    for (int f = 0; f < CM_FACET__COUNT; f++)
        free(r->facets[f]);
    memset(r, 0, sizeof *r);
}

/* ---- Walk ---- */

typedef struct each_ctx {
    cm__index_visit_fn fn;
    void *arg;
} each_ctx_t;

static int each_visit(void *arg, const char *data, size_t dlen, const char *val, size_t vlen)
{
    each_ctx_t *c = arg;
    char id[CM_ID_MAX + 1];
    int rc = doc_id(data, dlen, id);
    return rc ? rc : c->fn(c->arg, id, version_of(val, vlen));
}

int cm__searcher_each(cm__searcher_t *s, cm__index_visit_fn fn, void *arg)
{
    each_ctx_t c = {fn, arg};
    return cmx_db_each(s->db, "XTo", SLOT_VERSION, each_visit, &c, NULL);
}
