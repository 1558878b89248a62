/* A search's filter as a Xapian query (index.h: cm__search_filter): open offers, ROME codes,
 * contracts, employer kinds, the offer flags and the radius (grid-cell terms ANDed with the
 * exact distance cut). No weight: the text alone ranks. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geo.h"
#include "index.h"
#include "textquery.h"

#define CELLS_MAX 400     /* cell terms ORed by one radius filter */
#define ENUM_GROUP_MAX 16 /* members of an enum filter group (contracts, kinds) */

static int and_term(cmx_query **acc, int op, const char *term)
{
    cmx_query *t = NULL;
    int rc = cmx_query_term(term, &t);
    return cm__query_fold(acc, op, t, rc);
}

/* OR of prefix + name for every bit of `set` (names from namef), ANDed into *acc. */
static int and_enum_group(cmx_query **acc, const char *prefix, uint32_t set, int count,
                          const char *(*namef)(int))
{
    char buf[ENUM_GROUP_MAX][40];
    const char *terms[ENUM_GROUP_MAX];
    size_t n = 0;
    for (int i = 0; i < count && i < ENUM_GROUP_MAX; i++) {
        if (set & (1u << i)) {
            snprintf(buf[n], sizeof buf[n], "%s%s", prefix, namef(i));
            terms[n] = buf[n];
            n++;
        }
    }
    cmx_query *g = NULL;
    int rc = cmx_query_terms_or(terms, n, &g);
    return cm__query_fold(acc, CMX_OP_AND, g, rc);
}

static const char *contract_name_i(int i)
{
    return cm_contract_name((cm_contract_t)i);
}

static const char *kind_name_i(int i)
{
    return cm_employer_kind_name((cm_employer_kind_t)i);
}

static int and_flag(cmx_query **acc, const char *term, int want)
{
    if (want < 0)
        return 0;
    return and_term(acc, want ? CMX_OP_AND : CMX_OP_AND_NOT, term);
}

/* Cell terms covering the circle, ORed into *acc with AND; no filter when the circle is too
 * big or touches a pole or the antimeridian (the exact distance cut still applies). */
static int and_cells(cmx_query **acc, cm_geo_t c, double radius_km)
{
    /* 1% margin against rounding: a cell too many costs nothing, one too few loses hits. */
    double dlat = radius_km / CM__KM_PER_DEGREE * 1.01;
    double lat = c.lat_e6 / 1e6, lon = c.lon_e6 / 1e6;
    if (lat - dlat <= -89.0 || lat + dlat >= 89.0)
        return 0;
    double maxabs = fmax(fabs(lat - dlat), fabs(lat + dlat));
    double dlon = dlat / cos(maxabs * M_PI / 180.0);
    if (lon - dlon <= -180.0 || lon + dlon >= 180.0)
        return 0;
    static const struct {
        const char *prefix;
        int64_t unit;
    } grids[] = {{"XG", CM__CELL_E6}, {"XH", 10 * CM__CELL_E6}};
    for (size_t gi = 0; gi < sizeof grids / sizeof grids[0]; gi++) {
        int64_t u = grids[gi].unit;
        int64_t la0 = cm__floor_div((int64_t)floor((lat - dlat) * 1e6), u);
        int64_t la1 = cm__floor_div((int64_t)ceil((lat + dlat) * 1e6), u);
        int64_t lo0 = cm__floor_div((int64_t)floor((lon - dlon) * 1e6), u);
        int64_t lo1 = cm__floor_div((int64_t)ceil((lon + dlon) * 1e6), u);
        int64_t n = (la1 - la0 + 1) * (lo1 - lo0 + 1);
        if (n > CELLS_MAX)
            continue;
        char(*buf)[48] = malloc((size_t)n * sizeof *buf);
        const char **terms = malloc((size_t)n * sizeof *terms);
        if (!buf || !terms) {
            free(buf);
            free(terms);
            return CM_ENOMEM;
        }
        size_t k = 0;
        for (int64_t a = la0; a <= la1; a++)
            for (int64_t b = lo0; b <= lo1; b++) {
                snprintf(buf[k], sizeof buf[k], "%s%lld_%lld", grids[gi].prefix, (long long)a,
                         (long long)b);
                terms[k] = buf[k];
                k++;
            }
        cmx_query *g = NULL;
        int rc = cmx_query_terms_or(terms, k, &g);
        free(terms);
        free(buf);
        return cm__query_fold(acc, CMX_OP_AND, g, rc);
    }
    return 0;
}

/* The filter of a search: open offers and every asked-for filter (no weight). */
int cm__search_filter(const cm_search_query_t *q, cmx_query **out, cm_error *err)
{
    cmx_query *filter = NULL;
    int rc;
    *out = NULL;
    rc = cmx_query_term("XTo", &filter);
    if (!rc)
        rc = and_term(&filter, CMX_OP_AND, "XSopen");
    if (!rc && q->n_rome > 0) {
        char buf[CM_SEARCH_ROME_MAX][CMX_TERM_MAX + 1];
        const char *terms[CM_SEARCH_ROME_MAX];
        for (size_t i = 0; i < q->n_rome; i++) {
            if (!q->rome[i] || strlen(q->rome[i]) > 16) {
                rc = cm_error_set(err, CM_EINVAL, "rome", "invalid ROME code");
                goto fail;
            }
            snprintf(buf[i], sizeof buf[i], "XR%s", q->rome[i]);
            terms[i] = buf[i];
        }
        cmx_query *g = NULL;
        rc = cmx_query_terms_or(terms, q->n_rome, &g);
        rc = cm__query_fold(&filter, CMX_OP_AND, g, rc);
    }
    if (!rc && q->contracts)
        rc = and_enum_group(&filter, "XC", q->contracts, CM_CONTRACT__COUNT, contract_name_i);
    /* bit 0 is CM_EMPLOYER_UNSET, which has no term */
    if (!rc && q->employer_kinds)
        rc =
            and_enum_group(&filter, "XK", q->employer_kinds & ~1u, CM_EMPLOYER__COUNT, kind_name_i);
    if (!rc)
        rc = and_flag(&filter, "XFimmersion", q->immersion_possible);
    if (!rc)
        rc = and_flag(&filter, "XFtraining", q->pre_hire_training);
    if (!rc)
        rc = and_flag(&filter, "XFaccessible", q->accessible_to_disabled_workers);
    /* how the work is done (index format 8 holds these terms) */
    for (int i = 0; !rc && i < CM__FACT_TERMS; i++) {
        if (q->with & (1u << i)) /* with and without: none (as the catalog's) */
            rc = and_flag(&filter, cm__fact_terms[i], 1);
        if (!rc && (q->without & (1u << i)))
            rc = and_flag(&filter, cm__fact_terms[i], 0);
    }
    if (!rc && q->has_geo && q->radius_km > 0) {
        rc = and_cells(&filter, q->center, q->radius_km);
        if (!rc) {
            cmx_query *g = NULL;
            rc = cmx_query_geo(SLOT_LOC, q->center.lat_e6 / 1e6, q->center.lon_e6 / 1e6,
                               q->radius_km * 1000.0, &g);
            rc = cm__query_fold(&filter, CMX_OP_AND, g, rc);
        }
    }
    if (!rc) {
        *out = filter;
        return 0;
    }
fail:
    cmx_query_free(filter);
    if (rc && (!err || err->code != rc))
        cm_error_set(err, rc, NULL, "building the search query: %s", cm_strerror(rc));
    return rc;
}
