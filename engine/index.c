/* The search index: offers as Xapian documents (through the shim), the writer's
 * put/delete/commit (index.h); the readers' search and walk are in index_search.c.
 *
 * Only offers are indexed: the offer search is the one query Xapian answers. Candidates are
 * matched from the in-memory catalog, so a candidate document would be written on every put
 * and read by nothing (index format 1 had them; a format-1 index is rebuilt at open).
 * Document layout:
 *   data: the offer id.
 *   terms: "Qo" + id (unique id term), "XTo" (kind), "XS" + status name,
 *          "XR" + ROME, "XC" + contract name, "XK" + employer kind name, "XD" + département,
 *          "XFimmersion" "XFtraining" "XFaccessible" (offer flags), "XFnight" "XFweekend"
 *          "XFlicence" "XFvehicle" (the work's facts, cm__offer_facts),
 *          "XG<lat>_<lon>" (0.1 degree cell) and "XH<lat>_<lon>" (1 degree cell), cells
 *          numbered floor(degrees x 10) and floor(degrees); free text (French, stemmed):
 *          title (wdf x3), description, skill labels, employer name, city.
 *   values: SLOT_LOC LatLongCoords, SLOT_DATE sortable published day, SLOT_VERSION 8 bytes
 *           big-endian, SLOT_ROME/CONTRACT/KIND/DEPT facet strings, SLOT_DIGEST 8 bytes (the
 *           document's content but its version: an offer written again unchanged, as a
 *           nightly refresh mostly does, has its version set and nothing else rewritten;
 *           documents written before it had none and are replaced in full once).
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carematch/referential.h"
#include "cmx.h"
#include "geo.h"
#include "index.h"
#include "index_internal.h"
#include "referential_internal.h"
#include "score.h"
#include "textquery.h"

#define META_LAST_SEQ "last_seq"
#define META_FORMAT "format"
#define META_SENTINEL "sentinel"
#define SENTINEL_TERM "Q_sentinel" /* offers' id terms start "Qo": no clash */
/* 2: offers only; 3: feminine endings folded (cmx_text.cc); 4: the facts' words (offer_facts)
 * and the job title's label; 5: the levers' words (immersion PMSMP, POE AFPR); 6: the
 * département's number, name and région, permis, véhicule, RQTH, coupure; 7: the work's facts
 * as filter terms (XFnight, XFweekend, XFlicence); 8: the région's word (cm__region_token),
 * XFvehicle */
#define INDEX_FORMAT "8"

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
                   SAME_CODE(CMX_EFULL, CM_EFULL) && SAME_CODE(CMX_ECORRUPT, CM_ECORRUPT) &&
                   SAME_CODE(CMX_EXAPIAN, CM_EXAPIAN) && SAME_CODE(CMX_EBUSY, CM_EBUSY) &&
                   SAME_CODE(CMX_ENOTFOUND, CM_ENOTFOUND) &&
                   SAME_CODE(CMX_EINTERNAL, CM_EINTERNAL) && SAME_CODE(CMX_ETIMEDOUT, CM_ETIMEDOUT),
               "shim error codes must equal carematch's");

/* ---- Shared helpers ---- */

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
                      const char *postcode, const char *commune)
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
    if (!rc && cm_department_of_place(postcode, commune, dept)) {
        rc = add_term(d, "XD", dept);
        if (!rc)
            rc = add_string_value(d, SLOT_DEPT, dept);
    }
    return rc;
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
    if (ix->nosync && !ix->torn) /* a torn index stays "torn" until a rebuild replaces it */
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

/* A place's name of one word, its article dropped ("La Réunion": "Réunion"); "" for names of
 * several ("Seine-Saint-Denis", "Pays de la Loire"), whose words alone would find offers for
 * another place ("Saint-Denis" all of the 93; "Loire" all of the Pays de la Loire). */
static const char *one_word(const char *name)
{
    if (strncmp(name, "La ", 3) == 0)
        name += 3;
    return strpbrk(name, " -'") ? "" : name;
}

/* What the offer says in its fields, as a searcher types it: the contract ("CDI", "intérim"),
 * full or part time, night, weekend, split or rotating hours, the postcode. "aide-soignant
 * CDI", "auxiliaire de vie nuit", "aide à domicile 75011" then find the offers whose fields,
 * not only whose words, say so (France Travail's offers put them in fields). */
static void offer_facts(const cm_offer_t *o, char *out, size_t cap)
{
    static const char *const contract[CM_CONTRACT__COUNT] = {
        [CM_CONTRACT_CDI] = "CDI",
        [CM_CONTRACT_CDD] = "CDD",
        [CM_CONTRACT_INTERIM] = "intérim intérimaire",
        [CM_CONTRACT_APPRENTISSAGE] = "apprentissage alternance",
        [CM_CONTRACT_PROFESSIONNALISATION] = "professionnalisation alternance",
        [CM_CONTRACT_LIBERAL] = "libéral",
        [CM_CONTRACT_SAISONNIER] = "saisonnier"};
    bool night = o->work_pattern & CM_WORK_NIGHT;
    for (size_t i = 0; i < o->n_schedule; i++) /* a window across midnight, or from 21:00 */
        night |=
            o->schedule[i].from_min > o->schedule[i].to_min || o->schedule[i].from_min >= 21 * 60;
    const char *c = (unsigned)o->contract < CM_CONTRACT__COUNT ? contract[o->contract] : NULL;
    /* its département's number, name and région ("aide-soignant 93", "... Martinique", "...
     * Bretagne": an adviser's probe found none, and typo repair made Martinique "matin") */
    char dep[4];
    const cm__dept_t *d =
        cm_department_of_place(o->postcode, o->commune, dep) ? cm__dept_find(dep) : NULL;
    const char *rt = d ? cm__region_token(d->region) : NULL; /* "Grand Est", "Hauts-de-France" */
    int n = snprintf(out, cap, "%s %s %s %s %s ", d ? d->code : "", d ? one_word(d->name) : "",
                     rt ? rt : "", d && strcmp(d->region, d->name) ? one_word(d->region) : "",
                     !d                                        ? ""
                     : strcmp(d->region, "Île-de-France") == 0 ? "IDF"
                     : strncmp(d->region, "Provence", 8) == 0  ? "PACA"
                                                               : "");
    if (n < 0 || (size_t)n >= cap)
        n = 0;
    out += n;
    cap -= (size_t)n;
    /* a night's full time is shorter: 32 h 30 in hospitals (an adviser's probe: 32-hour
     * nights were "temps partiel") */
    double full = night ? 32.0 : 35.0;
    snprintf(out, cap, "%s %s %s %s %s %s %s %s %s %s %s %s", c ? c : "",
             o->hours_per_week <= 0     ? ""
             : o->hours_per_week < full ? "temps partiel"
                                        : "temps plein complet",
             night ? "nuit" : "", o->work_pattern & CM_WORK_WEEKEND ? "week-end" : "",
             o->work_pattern & CM_WORK_SPLIT ? "horaires coupés coupure fractionnés" : "",
             o->work_pattern & CM_WORK_SHIFTS ? "roulement" : "", o->postcode ? o->postcode : "",
             /* the levers as advisers type them (an adviser's probe: "immersion" and "POE"
              * found only the offers whose text said so) */
             o->immersion_possible ? "immersion PMSMP" : "",
             o->pre_hire_training ? "POE POEI AFPR" : "",
             /* what it asks of her ("permis", "voiture", "RQTH" found none: an adviser's probe) */
             o->driving_licence_required ? "permis" : "",
             o->vehicle_required || o->vehicle_provided ? "véhicule voiture" : "",
             o->accessible_to_disabled_workers ? "RQTH handicap" : "");
}

const char *const cm__fact_terms[CM__FACT_TERMS] = {"XFnight", "XFweekend", "XFlicence",
                                                    "XFvehicle"};
_Static_assert(CM_WORK_FACT_NIGHT == 1 && CM_WORK_FACT_WEEKEND == 2 && CM_WORK_FACT_LICENCE == 4 &&
                   CM_WORK_FACT_VEHICLE == 8 && CM_WORK_FACT__ALL == (1u << CM__FACT_TERMS) - 1,
               "cm__fact_terms follows the facts' bits");

static int offer_doc(cmx_doc *d, const cm_offer_t *o)
{
    int rc = add_common(d, o->id, o->version, o->loc, o->postcode, o->commune);
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
    uint8_t wf = cm__offer_facts(o); /* what the fields' filters read, the same rule */
    for (int i = 0; !rc && i < CM__FACT_TERMS; i++)
        if (wf & (1u << i))
            rc = cmx_doc_add_term(d, cm__fact_terms[i], NULL);
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
    cm_rome_title_t t; /* its job title's label, both forms ("Aide à domicile" under a title
                          that says "Auxiliaire de vie") */
    if (!rc && o->job_title && cm_rome_title_by_ogr(o->job_title, &t) == 0)
        rc = index_text(d, t.label, 1);
    char facts[400];
    offer_facts(o, facts, sizeof facts);
    if (!rc)
        rc = index_long_text(d, facts);
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

int cm__index_build_offer(const cm_offer_t *o, struct cmx_doc **out, uint32_t *doclen)
{
    char idterm[CM_ID_MAX + 3];
    cmx_doc *d = NULL;
    unsigned len = 0;
    *out = NULL;
    int rc = id_term(o->id, idterm);
    if (rc || (rc = cmx_doc_new(&d)) != 0)
        return rc;
    rc = offer_doc(d, o);
    if (!rc)
        rc = cmx_doc_seal(d, idterm, SLOT_DIGEST, SLOT_VERSION, &len, NULL);
    if (rc) {
        cmx_doc_free(d);
        return rc;
    }
    if (doclen)
        *doclen = len;
    *out = d;
    return 0;
}

int cm__index_put_built(cm__index_t *ix, const char *id, struct cmx_doc *d, uint32_t *docid)
{
    char idterm[CM_ID_MAX + 3];
    unsigned did = 0;
    int rc = id_term(id, idterm);
    if (!rc)
        rc = cmx_wdb_put_sealed(ix->w, idterm, d, SLOT_DIGEST, SLOT_VERSION, &did, NULL, NULL);
    if (!rc && docid)
        *docid = did;
    return rc;
}

int cm__index_put_offer(cm__index_t *ix, const cm_offer_t *o, uint32_t *docid, uint32_t *doclen)
{
    cmx_doc *d;
    int rc = cm__index_build_offer(o, &d, doclen);
    if (!rc)
        rc = cm__index_put_built(ix, o->id, d, docid);
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
