/* The search index: offers as Xapian documents (through the shim), the writer's
 * put/delete/commit and the readers' search and walk (index.h).
 *
 * Only offers are indexed: the offer search is the one query Xapian answers. Candidates are
 * matched from the in-memory catalog, so a candidate document would be written on every put
 * and read by nothing (index format 1 had them; a format-1 index is rebuilt at open).
 * Document layout:
 *   data: the offer id.
 *   terms: "Qo" + id (unique id term), "XTo" (kind), "XS" + status name,
 *          "XR" + ROME, "XC" + contract name, "XK" + employer kind name, "XD" + département,
 *          "XFimmersion" "XFtraining" "XFaccessible" (offer flags),
 *          "XG<lat>_<lon>" (0.1 degree cell) and "XH<lat>_<lon>" (1 degree cell), cells
 *          numbered floor(degrees x 10) and floor(degrees); free text (French, stemmed):
 *          title (wdf x3), description, skill labels, employer name, city.
 *   values: SLOT_LOC LatLongCoords, SLOT_DATE sortable published day, SLOT_VERSION 8 bytes
 *           big-endian, SLOT_ROME/CONTRACT/KIND/DEPT facet strings.
 *   metadata: "last_seq" (decimal, same commit as the documents), "format" (INDEX_FORMAT),
 *             "sentinel" (the sentinel document below is in).
 * One sentinel document (id term SENTINEL_TERM, nothing else) keeps every filter term's
 * frequency below the document count. Xapian 1.4.22 turns a term that every document holds
 * into its "all documents" list when it is used unweighted (FILTER, boolean AND) and renames
 * that list after the term (LeafPostList::set_term); once a delete leaves a gap in the docids
 * and the list spans two chunks (about 1,000 documents), moving to its second chunk checks
 * the chunk key against the renamed term and throws DatabaseCorruptError "Unexpected end of
 * posting list". So with every offer J1501 and one deleted, rome=J1501 failed for ever.
 * A radius search ORs the cells covering the circle (cheap, term-indexed pre-filter, 0.1
 * degree cells up to CELLS_MAX of them, else 1 degree cells, else none) and ANDs Xapian's
 * LatLongDistancePostingSource for the exact cut at radius_km.
 */
#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmx.h"
#include "geo.h"
#include "index.h"
#include "search_set.h"
#include "textquery.h"

#define META_LAST_SEQ "last_seq"
#define META_FORMAT "format"
#define META_SENTINEL "sentinel"
#define SENTINEL_TERM "Q_sentinel" /* offers' id terms start "Qo": no clash */
#define INDEX_FORMAT "3"           /* 2: offers only; 3: feminine endings folded (cmx_text.cc) */
#define CHECK_AT_LEAST 10000       /* exact totals and facet counts up to this many matches */
#define QUERY_TERMS_MAX 100        /* terms in a search's q (CM_QUERY_MAX bytes bounds it too) */
#define RETRIES 8                  /* reopen-and-retry rounds on a reader outdated by a commit */
#define SEARCH_TIME_LIMIT_S                                                                        \
    10 /* a search ends with CM_ETIMEDOUT past this (a damaged index                               \
          must not hold a worker for minutes) */
#define STR_(x) #x
#define STR(x) STR_(x)

struct cm__index {
    cmx_wdb *w;
    char path[4200];
    bool torn, nosync;
    char uuid[CMX_UUID_LEN + 1];
    uint64_t last_seq;
    bool stale; /* written by another index format: rebuild before use */
};

/* The shim passes its codes through as carematch's (cmx.h); the build holds them equal. */
_Static_assert(CMX_EARTH_RADIUS_DM == CM__EARTH_RADIUS_DM,
               "the shim's distances and the engine's use one Earth");
#define SAME_CODE(x, y) ((int)(x) == (int)(y))
_Static_assert(SAME_CODE(CMX_OK, CM_OK) && SAME_CODE(CMX_EINVAL, CM_EINVAL) &&
                   SAME_CODE(CMX_ENOMEM, CM_ENOMEM) && SAME_CODE(CMX_ERETRY, CM_ERETRY) &&
                   SAME_CODE(CMX_ECORRUPT, CM_ECORRUPT) && SAME_CODE(CMX_EXAPIAN, CM_EXAPIAN) &&
                   SAME_CODE(CMX_EBUSY, CM_EBUSY) && SAME_CODE(CMX_ENOTFOUND, CM_ENOTFOUND) &&
                   SAME_CODE(CMX_EINTERNAL, CM_EINTERNAL) && SAME_CODE(CMX_ETIMEDOUT, CM_ETIMEDOUT),
               "shim error codes must equal carematch's");

struct cm__searcher {
    cmx_db *db;
    char uuid[CMX_UUID_LEN + 1];
};

/* ---- Shared helpers ---- */

static int xerr(cm_error *err, int rc, const char *field, const char *what, char *msg)
{
    cm_error_set(err, rc, field, "%s: %s", what, msg ? msg : cm_strerror(rc));
    cmx_free(msg);
    return rc;
}

static int add_term(cmx_doc *d, const char *prefix, const char *s)
{
    char t[CMX_TERM_MAX + 1];
    int n = snprintf(t, sizeof t, "%s%s", prefix, s);
    if (n < 0 || (size_t)n >= sizeof t)
        return CM_EINVAL;
    return cmx_doc_add_term(d, t, NULL);
}

/* Long texts (description, summary) go in without positions: most of the indexing cost
 * for little use (phrase queries still match titles and skills). */
static int index_text(cmx_doc *d, const char *s, unsigned weight)
{
    if (!s || !*s)
        return 0;
    return cmx_doc_index_text(d, s, strlen(s), NULL, weight, 0, NULL);
}

static int index_long_text(cmx_doc *d, const char *s)
{
    if (!s || !*s)
        return 0;
    return cmx_doc_index_text(d, s, strlen(s), NULL, 1, CMX_TEXT_NO_POSITIONS, NULL);
}

static int add_string_value(cmx_doc *d, unsigned slot, const char *s)
{
    return cmx_doc_add_value(d, slot, s, strlen(s), NULL);
}

/* Cell terms of a point: 0.1 degree ("XG") and 1 degree ("XH"). */
static int add_cells(cmx_doc *d, cm_geo_t g)
{
    char t[48];
    snprintf(t, sizeof t, "XG%lld_%lld", (long long)cm__floor_div(g.lat_e6, CM__CELL_E6),
             (long long)cm__floor_div(g.lon_e6, CM__CELL_E6));
    int rc = cmx_doc_add_term(d, t, NULL);
    if (rc)
        return rc;
    snprintf(t, sizeof t, "XH%lld_%lld", (long long)cm__floor_div(g.lat_e6, 10 * CM__CELL_E6),
             (long long)cm__floor_div(g.lon_e6, 10 * CM__CELL_E6));
    return cmx_doc_add_term(d, t, NULL);
}

static int add_common(cmx_doc *d, const char *id, uint64_t version, cm_geo_t loc,
                      const char *postcode)
{
    uint8_t be[8];
    for (int i = 0; i < 8; i++)
        be[i] = (uint8_t)(version >> (56 - 8 * i));
    int rc = cmx_doc_set_data(d, id, strlen(id), NULL);
    if (!rc)
        rc = cmx_doc_add_value(d, SLOT_VERSION, be, sizeof be, NULL);
    if (!rc)
        rc = cmx_doc_add_value_latlon(d, SLOT_LOC, loc.lat_e6 / 1e6, loc.lon_e6 / 1e6, NULL);
    if (!rc)
        rc = add_cells(d, loc);
    char dept[4];
    if (!rc && cm_department_of_postcode(postcode, dept)) {
        rc = add_term(d, "XD", dept);
        if (!rc)
            rc = add_string_value(d, SLOT_DEPT, dept);
    }
    return rc;
}

static uint64_t version_of(const char *v, size_t len)
{
    if (len != 8)
        return 0;
    uint64_t x = 0;
    for (size_t i = 0; i < 8; i++)
        x = x << 8 | (uint8_t)v[i];
    return x;
}

/* ---- Writer ---- */

/* Add (replace) the sentinel document and its metadata flag; committed by the next commit. */
static int put_sentinel(cm__index_t *ix)
{
    cmx_doc *d = NULL;
    int rc = cmx_doc_new(&d);
    if (rc)
        return rc;
    rc = cmx_wdb_replace(ix->w, SENTINEL_TERM, d, NULL, NULL, NULL);
    cmx_doc_free(d);
    if (!rc)
        rc = cmx_wdb_set_metadata(ix->w, META_SENTINEL, "1", 1, NULL);
    return rc;
}

static bool parse_u64(const char *s, size_t len, uint64_t *out)
{
    uint64_t x = 0;
    if (len == 0 || len > 20)
        return false;
    for (size_t i = 0; i < len; i++) {
        if (!isdigit((unsigned char)s[i]))
            return false;
        uint64_t nx = x * 10 + (uint64_t)(s[i] - '0');
        if (nx / 10 != x)
            return false;
        x = nx;
    }
    *out = x;
    return true;
}

int cm__index_open(const char *path, cm__index_t **out, cm_error *err)
{
    char *msg = NULL, *val = NULL;
    size_t len = 0;
    *out = NULL;
    cm__text_init(); /* the text rules before the first document */
    cm__index_t *ix = calloc(1, sizeof *ix);
    if (!ix)
        return cm_error_set(err, CM_ENOMEM, NULL, "out of memory");
    /* No fsync at commit when the sync file could record that (index_sync.c): a system crash
     * can then leave a commit half on disk, which the next open tells and rebuilds. */
    snprintf(ix->path, sizeof ix->path, "%s", path);
    int rc = cm__isync_check(path, &ix->torn, &ix->nosync);
    if (rc) {
        free(ix);
        return cm_error_set(err, rc, NULL, "cannot record the index's sync state in %s", path);
    }
    rc = cmx_wdb_open(path, ix->nosync ? CMX_WDB_NO_SYNC : 0, &ix->w, &msg);
    if (rc) {
        free(ix);
        return xerr(err, rc, NULL, "opening the index", msg);
    }
    rc = cmx_wdb_uuid(ix->w, ix->uuid, &msg);
    if (!rc)
        rc = cmx_wdb_get_metadata(ix->w, META_LAST_SEQ, &val, &len, &msg);
    if (rc) {
        cmx_wdb_close(ix->w);
        free(ix);
        return xerr(err, rc, NULL, "reading index metadata", msg);
    }
    if (len > 0 && !parse_u64(val, len, &ix->last_seq)) {
        cmx_free(val);
        cmx_wdb_close(ix->w);
        free(ix);
        return cm_error_set(err, CM_ECORRUPT, NULL, "index metadata last_seq is not a number");
    }
    bool committed = len > 0;
    cmx_free(val);
    val = NULL;
    rc = cmx_wdb_get_metadata(ix->w, META_FORMAT, &val, &len, &msg);
    if (rc) {
        cmx_wdb_close(ix->w);
        free(ix);
        return xerr(err, rc, NULL, "reading index metadata", msg);
    }
    ix->stale = committed && (len != strlen(INDEX_FORMAT) || memcmp(val, INDEX_FORMAT, len) != 0);
    cmx_free(val);
    val = NULL;
    /* An index written before the sentinel existed gets it now, committed at once so that
     * readers are safe before the first write (the commit moves no last_seq). */
    rc = cmx_wdb_get_metadata(ix->w, META_SENTINEL, &val, &len, &msg);
    cmx_free(val);
    if (!rc && len == 0 && (rc = put_sentinel(ix)) == 0)
        rc = cmx_wdb_commit(ix->w, &msg);
    if (rc) {
        cmx_wdb_close(ix->w);
        free(ix);
        return xerr(err, rc, NULL, "adding the index sentinel", msg);
    }
    *out = ix;
    return 0;
}

bool cm__index_stale(cm__index_t *ix)
{
    return ix->stale;
}

bool cm__index_torn(cm__index_t *ix)
{
    return ix->torn;
}

void cm__index_close(cm__index_t *ix)
{
    if (!ix)
        return;
    /* Pending documents are committed without moving last_seq: replaying them is harmless. */
    (void)cmx_wdb_commit(ix->w, NULL);
    cmx_wdb_close(ix->w);
    if (ix->nosync)
        cm__isync_closed(ix->path);
    free(ix);
}

uint64_t cm__index_last_seq(cm__index_t *ix)
{
    return ix->last_seq;
}

const char *cm__index_uuid(const cm__index_t *ix)
{
    return ix->uuid;
}

typedef struct docid_ctx {
    cm__index_docid_fn fn;
    void *arg;
} docid_ctx_t;

/* A document's data is its offer id: copied out, NUL-terminated; CM_ECORRUPT when it cannot
 * be one. */
static int doc_id(const char *data, size_t dlen, char id[CM_ID_MAX + 1])
{
    if (dlen == 0 || dlen > CM_ID_MAX)
        return CM_ECORRUPT;
    memcpy(id, data, dlen);
    id[dlen] = '\0';
    return 0;
}

static int docid_visit(void *arg, unsigned docid, unsigned doclen, const char *data, size_t dlen)
{
    docid_ctx_t *c = arg;
    char id[CM_ID_MAX + 1];
    int rc = doc_id(data, dlen, id);
    return rc ? rc : c->fn(c->arg, id, docid, doclen);
}

int cm__index_each_docid(cm__index_t *ix, cm__index_docid_fn fn, void *arg)
{
    docid_ctx_t c = {fn, arg};
    return cmx_wdb_each_docid(ix->w, "XTo", docid_visit, &c, NULL);
}

static int offer_doc(cmx_doc *d, const cm_offer_t *o)
{
    int rc = add_common(d, o->id, o->version, o->loc, o->postcode);
    if (!rc)
        rc = cmx_doc_add_term(d, "XTo", NULL);
    if (!rc)
        rc = add_term(d, "XS", cm_offer_status_name(o->status));
    if (!rc)
        rc = add_term(d, "XR", o->rome);
    if (!rc)
        rc = add_string_value(d, SLOT_ROME, o->rome);
    if (!rc)
        rc = add_term(d, "XC", cm_contract_name(o->contract));
    if (!rc)
        rc = add_string_value(d, SLOT_CONTRACT, cm_contract_name(o->contract));
    if (!rc && o->employer_kind != CM_EMPLOYER_UNSET) {
        rc = add_term(d, "XK", cm_employer_kind_name(o->employer_kind));
        if (!rc)
            rc = add_string_value(d, SLOT_KIND, cm_employer_kind_name(o->employer_kind));
    }
    if (!rc && o->immersion_possible)
        rc = cmx_doc_add_term(d, "XFimmersion", NULL);
    if (!rc && o->pre_hire_training)
        rc = cmx_doc_add_term(d, "XFtraining", NULL);
    if (!rc && o->accessible_to_disabled_workers)
        rc = cmx_doc_add_term(d, "XFaccessible", NULL);
    if (!rc && o->published_days != CM_DATE_NONE)
        rc = cmx_doc_add_value_number(d, SLOT_DATE, (double)o->published_days, NULL);
    if (!rc)
        rc = index_text(d, o->title, 3);
    if (!rc)
        rc = index_long_text(d, o->description);
    for (size_t i = 0; !rc && i < o->n_skills; i++)
        rc = index_text(d, o->skills[i].label, 1);
    if (!rc)
        rc = index_text(d, o->employer_name, 1);
    if (!rc)
        rc = index_text(d, o->city, 1);
    return rc;
}

/* "Qo" + id, the offer's unique id term. */
static int id_term(const char *id, char out[CM_ID_MAX + 3])
{
    if (!id || !*id || strlen(id) > CM_ID_MAX)
        return CM_EINVAL;
    snprintf(out, CM_ID_MAX + 3, "Qo%s", id);
    return 0;
}

int cm__index_put_offer(cm__index_t *ix, const cm_offer_t *o, uint32_t *docid, uint32_t *doclen)
{
    char idterm[CM_ID_MAX + 3];
    cmx_doc *d = NULL;
    int rc = id_term(o->id, idterm);
    if (rc || (rc = cmx_doc_new(&d)) != 0)
        return rc;
    rc = offer_doc(d, o);
    if (!rc)
        rc = cmx_wdb_replace(ix->w, idterm, d, docid, doclen, NULL);
    cmx_doc_free(d);
    return rc;
}

int cm__index_delete_offer(cm__index_t *ix, const char *id)
{
    char idterm[CM_ID_MAX + 3];
    int rc = id_term(id, idterm);
    return rc ? rc : cmx_wdb_delete(ix->w, idterm, NULL);
}

int cm__index_commit(cm__index_t *ix, uint64_t last_seq)
{
    char buf[24];
    int n = snprintf(buf, sizeof buf, "%llu", (unsigned long long)last_seq);
    int rc = cmx_wdb_set_metadata(ix->w, META_LAST_SEQ, buf, (size_t)n, NULL);
    if (!rc)
        rc = cmx_wdb_set_metadata(ix->w, META_FORMAT, INDEX_FORMAT, strlen(INDEX_FORMAT), NULL);
    if (!rc)
        rc = cmx_wdb_commit(ix->w, NULL);
    if (!rc)
        ix->last_seq = last_seq;
    return rc;
}

int cm__index_clear(cm__index_t *ix)
{
    int rc = cmx_wdb_delete_all(ix->w, NULL);
    if (!rc)
        rc = put_sentinel(ix);
    if (!rc)
        ix->stale = false; /* what is written from now on is of this format */
    return rc;
}

/* ---- Readers ----
 * Retries live here, and only here: a reader that falls behind the writer's commits sees its
 * revision's blocks reused, and Xapian says "modified" or, mid-read, "corrupt". Both mean
 * reopen and try again, at most RETRIES times, for an open, a reopen or a search. */

static bool outrun(int rc)
{
    return rc == CMX_ERETRY || rc == CMX_ECORRUPT;
}

/* An outrun (or damaged) reader: the caller reopens and retries, keeping the last "corrupt"
 * message (msg consumed). */
static int outran(int rc, char *msg, char **corrupt)
{
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
    if (outrun(rc)) /* outrun, or damaged: the caller retries */
        return outran(rc, msg, corrupt);
    if (rc == CMX_ETIMEDOUT)
        return xerr(err, rc, NULL,
                    "search stopped at its time limit (" STR(SEARCH_TIME_LIMIT_S) " s)", msg);
    if (rc)
        return xerr(err, rc, NULL, "search", msg);

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
    if (outrun(rc))
        return outran(rc, msg, corrupt);
    if (rc)
        return xerr(err, rc, NULL, "search", msg);
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
        if (outrun(rc)) {
            rc = outran(rc, msg, corrupt);
            break;
        }
        if (rc) {
            rc = xerr(err, rc, NULL, "search", msg);
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

int cm__search_validate(const cm_search_query_t *q, cm_error *err)
{
    if (q->q && strlen(q->q) > CM_QUERY_MAX)
        return cm_error_set(err, CM_EINVAL, "q", "query longer than %d bytes", CM_QUERY_MAX);
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
    for (int attempt = 0; attempt < RETRIES; attempt++) {
        rc = search_tiers(s, q, tq, filter, set, out, &corrupt, err);
        if (rc != CM_ERETRY)
            break;
        rc = cm__searcher_reopen(s);
        if (rc)
            break;
        rc = CM_ERETRY;
    }
    cmx_query_free(filter);
    if (rc == 0 && tq && tq->n > 0) {
        out->text = tq; /* the caller highlights with it */
        tq = NULL;
    }
    free(tq);
    /* "corrupt" on every reopen is no reader outrun by commits: the index is damaged */
    if (rc == CM_ERETRY && corrupt)
        rc = cm_error_set(err, CM_ECORRUPT, NULL, "search index damaged: %s", corrupt);
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
