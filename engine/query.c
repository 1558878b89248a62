/* The read façades: search (the index gives ranked offer ids, storage gives the records) and
 * matching (the catalog ranks, storage gives the records). Validation is done once, below:
 * the query by the searcher (index.c), match options by the catalog matcher (match.c).
 * Locks: a search holds a reader (commit_lock shared) while Xapian runs, nothing after. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "carematch/referential.h"
#include "engine_impl.h"
#include "record_internal.h"
#include "score.h"
#include "search_set.h"
#include "textquery.h"

/* A centre given as a commune or a postcode: the commune's reference point, like a record's,
 * errors named after the query's parameters (offer and candidate searches alike). */
int cm__query_place(const char *commune, const char *postcode, const char *city, cm_geo_t *center,
                    char commune_out[6], cm_loc_source_t *src, cm_error *err)
{
    char given[6] = "";
    const char *name;
    if (commune && strlen(commune) != 5)
        return cm_error_set(err, CM_EINVAL, "commune",
                            "commune must be the INSEE code of a French commune (75111)");
    if (commune)
        memcpy(given, commune, 6);
    /* one lookup, in the place rule records use; its errors renamed to the query's fields */
    int rc = cm__place_resolve(postcode, given, city, center, commune_out, src, &name, err);
    if (rc && err && strcmp(err->field, "location.commune") == 0)
        cm_error_set(err, CM_EINVAL, "commune",
                     "commune must be the INSEE code of a French commune (75111)");
    else if (rc && err && strcmp(err->field, "location.postcode") == 0)
        cm_error_set(err, CM_EINVAL, "postcode",
                     commune ? "postcode %s is not a postcode of commune %s"
                             : "postcode %s is not a French postcode",
                     postcode ? postcode : "", commune ? commune : "");
    return rc;
}

static int place_center(const cm_search_query_t *q, cm_search_query_t *placed, char commune[6],
                        cm_loc_source_t *src, cm_error *err)
{
    *placed = *q;
    int rc = cm__query_place(q->commune, q->postcode, q->city, &placed->center, commune, src, err);
    placed->has_geo = rc == 0;
    return rc;
}

#define UNAVAILABLE                                                                                \
    "search index damaged: being rebuilt from storage, search again shortly (see /readyz)"

/* Blank text: the catalog alone answers a radius search. */
static bool no_text(const cm_search_query_t *q)
{
    for (const char *p = q->q; p && *p; p++)
        if (!isspace((unsigned char)*p))
            return false;
    return true;
}

/* Radius and filters from the catalog when it is loaded (a read-only engine loads it only for
 * matching: one search is not worth loading every record). */
static bool by_catalog(cm_engine_t *e, const cm_search_query_t *q)
{
    if (!cm__sset_applies(q))
        return false;
    pthread_mutex_lock(&e->catalog_mu);
    bool loaded = e->catalog_loaded;
    pthread_mutex_unlock(&e->catalog_mu);
    return loaded;
}

/* The catalog does not know the index's docids yet (just started, or a new index): the index
 * writer maps them in the background; meanwhile this search uses the index's own filters. */
static void want_xmap(cm_engine_t *e)
{
    __atomic_store_n(&e->xmap_wanted, true, __ATOMIC_RELAXED);
    pthread_mutex_lock(&e->mu);
    e->xmap_kick = true;
    pthread_cond_signal(&e->work_cv);
    pthread_mutex_unlock(&e->mu);
}

/* The index's ranked ids for q: Xapian for the text, the catalog for a radius and filters. */
static int search_ids(cm_engine_t *e, const cm_search_query_t *q, cm__search_ids_t *ids,
                      cm_error *err)
{
    cm__reader_slot_t *slot;
    cm__searcher_t *s;
    bool catalog = by_catalog(e, q);
    int rc = cm__search_validate(q, err);
    if (rc)
        return rc;
    if (catalog && no_text(q)) {
        __atomic_add_fetch(&e->searches_by_catalog, 1, __ATOMIC_RELAXED);
        return cm__catalog_search_page(e->catalog, q, ids);
    }
    rc = cm__reader_get(e, &s, &slot);
    if (rc == CM_ECORRUPT || rc == CM_EXAPIAN) { /* a file cut or gone under a reader */
        cm__indexer_damaged(e, "opening a reader");
        return cm_error_set(err, CM_ERETRY, NULL, "%s", UNAVAILABLE);
    }
    if (rc)
        return cm_error_set(err, rc, NULL, "index unavailable: %s", cm_strerror(rc));
    cm__sset_t set;
    bool usable = false;
    memset(&set, 0, sizeof set);
    if (catalog && (rc = cm__sset_build(e->catalog, q, cm__searcher_uuid(s), &set, &usable)))
        usable = false; /* out of memory: the index's own filters cost no allocation here */
    if (catalog && !usable)
        want_xmap(e);
    __atomic_add_fetch(usable ? &e->searches_by_catalog : &e->searches_by_index, 1,
                       __ATOMIC_RELAXED);
    rc = cm__searcher_search(s, q, usable ? &set : NULL, ids, err); /* retries if outrun */
    if (rc == 0 && ids->text_ranked)
        __atomic_add_fetch(&e->searches_text_ranked, 1, __ATOMIC_RELAXED);
    cm__sset_free(&set);
    cm__reader_put(e, slot);
    if (rc == CM_ECORRUPT) {
        /* the damaged index is rebuilt aside while storage keeps serving reads by id */
        cm__indexer_damaged(e, err && err->message[0] ? err->message : "at search");
        rc = cm_error_set(err, CM_ERETRY, NULL, "%s", UNAVAILABLE);
    }
    return rc;
}

/* A stored record that fails its checksum (or is of an unknown format) met while rendering a
 * search or a match: left out of the answer, not the whole answer failed (one flipped byte
 * made every search and match around it a 500, and a catalog snapshot keeps ranking it). Said
 * in the log once a minute at most, with how many so far; a read of it by id still fails. */
bool cm__record_left_out(cm_engine_t *e, int rc, const char *kind, const char *id)
{
    if (rc != CM_ECORRUPT && rc != CM_EVERSION)
        return false;
    uint64_t n = __atomic_add_fetch(&e->left_out, 1, __ATOMIC_RELAXED);
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    uint64_t last = __atomic_load_n(&e->left_out_logged_s, __ATOMIC_RELAXED),
             t = (uint64_t)now.tv_sec;
    if ((last == 0 || t >= last + 60) &&
        __atomic_compare_exchange_n(&e->left_out_logged_s, &last, t ? t : 1, false,
                                    __ATOMIC_RELAXED, __ATOMIC_RELAXED))
        cm__log(e, CM_LOG_ERROR, "record_damaged",
                "%s %s is damaged in storage (%s): left out of searches and matches (%llu times "
                "so far); delete and write it again, or restore from a backup (carematch check "
                "lists the damaged records)",
                kind, id, cm_strerror(rc), (unsigned long long)n);
    return true;
}

static bool damaged(cm_engine_t *e)
{
    pthread_mutex_lock(&e->mu);
    bool d = e->index_damaged;
    pthread_mutex_unlock(&e->mu);
    return d;
}

/* The description's passage with the searched words; the title when only it has them. */
static int hit_snippet(cm_search_hit_t *h, const cm__snip_stems_t *tq)
{
    cm_snippet_t d, t;
    int rc = cm__snippet("description", h->offer->description, tq, &d);
    if (rc || (d.field && d.n_marks > 0))
        goto done;
    rc = cm__snippet("title", h->offer->title, tq, &t);
    if (!rc && t.field && (t.n_marks > 0 || !d.field)) {
        free(d.text);
        d = t;
    } else {
        free(t.text);
    }
done:
    h->snippet = d;
    return rc;
}

/* The typed words searched as another (typo repair), for "did you mean" lines. */
static int corrections(cm_search_result_t *r, const cm__textq_t *tq)
{
    for (unsigned i = 0; i < tq->n; i++) {
        if (!tq->g[i].corrected)
            continue;
        char **grown = realloc(r->corrected, (r->n_corrected + 1) * sizeof *grown);
        if (!grown)
            return CM_ENOMEM;
        r->corrected = grown;
        char *w = malloc(tq->g[i].len + 1);
        if (!w)
            return CM_ENOMEM;
        memcpy(w, tq->text + tq->g[i].off, tq->g[i].len);
        w[tq->g[i].len] = '\0';
        r->corrected[r->n_corrected++] = w;
    }
    return 0;
}

static int search_run(cm_engine_t *e, const cm_search_query_t *query, cm_search_result_t **out,
                      cm_error *err)
{
    cm__search_ids_t ids;
    cm_search_query_t placed;
    const cm_search_query_t *q = query;
    char commune[6] = "";
    cm_loc_source_t src = CM_LOC_GIVEN;
    memset(&ids, 0, sizeof ids);
    if (!query->has_geo && (query->commune || query->postcode)) {
        int prc = place_center(query, &placed, commune, &src, err);
        if (prc)
            return prc;
        q = &placed;
    }
    if (damaged(e))
        return cm_error_set(err, CM_ERETRY, NULL, "%s", UNAVAILABLE);
    int rc = search_ids(e, q, &ids, err);
    if (rc) {
        cm__search_ids_free(&ids);
        return rc;
    }
    cm_search_result_t *r = calloc(1, sizeof *r);
    if (!r || (ids.n && !(r->hits = calloc(ids.n, sizeof *r->hits)))) {
        free(r);
        cm__search_ids_free(&ids);
        return CM_ENOMEM;
    }
    r->total = ids.total;
    if (q == &placed) {
        r->placed = true;
        r->center = placed.center;
        memcpy(r->center_commune, commune, 6);
        r->center_source = src;
    }
    cm__snip_stems_t *stems = NULL;
    if (ids.text && ids.n && (rc = cm__snip_stems_new(ids.text, &stems)) != 0) {
        cm_search_result_free(r);
        cm__search_ids_free(&ids);
        return rc;
    }
    for (size_t i = 0; i < ids.n; i++) {
        cm_offer_t *o;
        int grc = cm__store_get_offer(e->store, ids.ids[i], &o);
        if (grc == CM_ENOTFOUND || cm__record_left_out(e, grc, "offer", ids.ids[i]))
            continue; /* deleted between the index read and now; or damaged */
        if (grc) {
            cm__snip_stems_free(stems);
            cm_search_result_free(r);
            cm__search_ids_free(&ids);
            return grc;
        }
        cm_search_hit_t *h = &r->hits[r->n_hits++];
        h->offer = o;
        h->score = ids.scores ? ids.scores[i] : 0;
        h->distance_km = q->has_geo ? cm__distance_km(q->center, o->loc) : -1;
        if (stems && (grc = hit_snippet(h, stems)) != 0) {
            cm__snip_stems_free(stems);
            cm_search_result_free(r);
            cm__search_ids_free(&ids);
            return grc;
        }
    }
    cm__snip_stems_free(stems);
    r->text_match = ids.text_match;
    if (ids.text && (rc = corrections(r, ids.text)) != 0) {
        cm_search_result_free(r);
        cm__search_ids_free(&ids);
        return rc;
    }
    for (int f = 0; f < CM_FACET__COUNT; f++) {
        r->facets[f] = ids.facets[f];
        r->n_facets[f] = ids.n_facets[f];
        ids.facets[f] = NULL; /* ownership moves to the result */
        ids.n_facets[f] = 0;
    }
    cm__search_ids_free(&ids);
    *out = r;
    return 0;
}

/* Plain words that deny a fact of the work ("sans permis", "pas de nuit") filter it out and
 * leave the text; places of several words are read as their index word (textread.c).
 * Operators have their own "-nuit". */
int cm_engine_search(cm_engine_t *e, const cm_search_query_t *query, cm_search_result_t **out,
                     cm_error *err)
{
    char *rest = NULL;
    unsigned denied = 0;
    if (query->q && !query->operators && strlen(query->q) <= CM_QUERY_MAX) {
        int rc = cm__text_rewrite(query->q, &rest, &denied);
        if (rc)
            return cm_error_set(err, rc, NULL, "reading the search text: %s", cm_strerror(rc));
    }
    if (!rest)
        return search_run(e, query, out, err);
    cm_search_query_t q = *query;
    q.q = rest;
    q.without |= denied;
    int rc = search_run(e, &q, out, err);
    if (rc == 0)
        (*out)->read_without = denied;
    free(rest);
    return rc;
}

void cm_search_result_free(cm_search_result_t *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_hits; i++) {
        cm_offer_free(r->hits[i].offer);
        free(r->hits[i].snippet.text);
    }
    for (size_t i = 0; i < r->n_corrected; i++)
        free(r->corrected[i]);
    free(r->corrected);
    free(r->hits);
    for (int f = 0; f < CM_FACET__COUNT; f++)
        free(r->facets[f]);
    free(r);
}

/* Attach full records to ranked ids; a record deleted meanwhile is dropped. */
static int finish_match(cm_engine_t *e, char kind, cm__ranked_t *ranked, size_t n,
                        size_t considered, cm_match_result_t **out)
{
    cm_match_result_t *r = calloc(1, sizeof *r);
    int rc = 0;
    if (!r || (n && !(r->items = calloc(n, sizeof *r->items)))) {
        free(r);
        return CM_ENOMEM;
    }
    r->considered = considered;
    for (size_t i = 0; i < n; i++) {
        cm_match_t m = ranked[i].m;
        m.offer = NULL;
        m.candidate = NULL;
        rc = kind == 'o' ? cm__store_get_offer(e->store, ranked[i].id, &m.offer)
                         : cm__store_get_candidate(e->store, ranked[i].id, &m.candidate);
        if (rc == CM_ENOTFOUND ||
            cm__record_left_out(e, rc, kind == 'o' ? "offer" : "candidate", ranked[i].id)) {
            rc = 0;
            continue;
        }
        if (rc)
            break;
        r->items[r->n++] = m;
    }
    if (rc) {
        cm_match_result_free(r);
        return rc;
    }
    *out = r;
    return 0;
}

int cm_engine_match_profile(cm_engine_t *e, const cm_candidate_t *profile,
                            const cm_match_options_t *opt, cm_match_result_t **out)
{
    cm__ranked_t *ranked = NULL;
    size_t n = 0, considered = 0;
    int rc = cm__catalog_ensure(e);
    if (rc)
        return rc;
    rc = cm__match_offers(e->catalog, profile, (cm__match_req_t){opt, true}, &ranked, &n,
                          &considered);
    if (rc == 0)
        rc = finish_match(e, 'o', ranked, n, considered, out);
    free(ranked);
    return rc;
}

int cm_engine_match_candidate(cm_engine_t *e, const char *candidate_id,
                              const cm_match_options_t *opt, cm_match_result_t **out)
{
    cm_candidate_t *c;
    int rc = cm__store_get_candidate(e->store, candidate_id, &c);
    if (rc)
        return rc;
    rc = cm_engine_match_profile(e, c, opt, out);
    cm_candidate_free(c);
    return rc;
}

int cm_engine_match_offer(cm_engine_t *e, const char *offer_id, const cm_match_options_t *opt,
                          cm_match_result_t **out)
{
    cm__ranked_t *ranked = NULL;
    size_t n = 0, considered = 0;
    cm_offer_t *off;
    int rc = cm__store_get_offer(e->store, offer_id, &off);
    if (rc)
        return rc;
    if ((rc = cm__catalog_ensure(e)) == 0)
        rc = cm__match_candidates(e->catalog, off, (cm__match_req_t){opt, true}, &ranked, &n,
                                  &considered);
    if (rc == 0)
        rc = finish_match(e, 'c', ranked, n, considered, out);
    free(ranked);
    cm_offer_free(off);
    return rc;
}

void cm_match_result_free(cm_match_result_t *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++) {
        cm_offer_free(r->items[i].offer);
        cm_candidate_free(r->items[i].candidate);
    }
    free(r->items);
    free(r);
}
