/* Match results as the contract's JSON (include/carematch/render.h): the one writer behind the
 * API's match endpoints and the CLI's `match` command. */
#include "carematch/render.h"
#include "render_internal.h"
#include "carematch/referential.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static double round1(double x)
{
    return round(x * 10.0) / 10.0;
}

static double round2(double x)
{
    return round(x * 100.0) / 100.0;
}

/* A commute mode that is not exactly one known bit (0: not computed) is written as null. */
static const char *mode_or_null(int mode)
{
    switch (mode) {
    case CM_MODE_CAR:
    case CM_MODE_TRANSIT:
    case CM_MODE_BIKE:
    case CM_MODE_WALK:
        return cm_mode_name((unsigned)mode);
    default:
        return NULL;
    }
}

static bool add_str(cJSON *o, const char *k, const char *v)
{
    return v ? cJSON_AddStringToObject(o, k, v) != NULL : cJSON_AddNullToObject(o, k) != NULL;
}

static bool add_str_item(cJSON *arr, const char *v)
{
    cJSON *s = cJSON_CreateString(v);
    if (s && cJSON_AddItemToArray(arr, s))
        return true;
    cJSON_Delete(s);
    return false;
}

static cJSON *offer_brief(const cm_offer_t *o)
{
    cJSON *j = cJSON_CreateObject();
    if (!j)
        return NULL;
    bool ok = add_str(j, "id", o->id) && add_str(j, "title", o->title);
    if (ok && (o->employer_name || o->employer_kind != CM_EMPLOYER_UNSET)) {
        cJSON *emp = cJSON_AddObjectToObject(j, "employer");
        ok = emp && (!o->employer_name || add_str(emp, "name", o->employer_name)) &&
             (o->employer_kind == CM_EMPLOYER_UNSET ||
              add_str(emp, "kind", cm_employer_kind_name(o->employer_kind)));
    }
    cJSON *loc = ok ? cJSON_AddObjectToObject(j, "location") : NULL;
    ok = loc && cJSON_AddNumberToObject(loc, "lat", o->loc.lat_e6 / 1e6) &&
         cJSON_AddNumberToObject(loc, "lon", o->loc.lon_e6 / 1e6) &&
         (!o->city || add_str(loc, "city", o->city)) &&
         (!o->postcode || add_str(loc, "postcode", o->postcode)) &&
         add_str(j, "contract", cm_contract_name(o->contract));
    if (!ok) {
        cJSON_Delete(j);
        return NULL;
    }
    return j;
}

static cJSON *candidate_brief(const cm_candidate_t *c)
{
    cJSON *j = cJSON_CreateObject();
    if (!j)
        return NULL;
    bool ok = add_str(j, "id", c->id);
    /* postcode and city only: the brief never carries exact coordinates of a person */
    cJSON *loc = ok ? cJSON_AddObjectToObject(j, "location") : NULL;
    ok = loc && (!c->postcode || add_str(loc, "postcode", c->postcode)) &&
         (!c->city || add_str(loc, "city", c->city));
    cJSON *romes = ok ? cJSON_AddArrayToObject(j, "desired_rome") : NULL;
    cJSON *certs = romes ? cJSON_AddArrayToObject(j, "certifications") : NULL;
    ok = certs && cJSON_AddNumberToObject(j, "experience_months", c->experience_months);
    for (size_t i = 0; ok && i < c->n_desired_rome; i++)
        ok = add_str_item(romes, c->desired_rome[i]);
    for (size_t i = 0; ok && i < c->n_certs; i++)
        ok = add_str_item(certs, c->certs[i]);
    if (!ok) {
        cJSON_Delete(j);
        return NULL;
    }
    return j;
}

static bool add_days(cJSON *bj, unsigned days)
{
    if (!days) /* no day entirely concerned: nothing to list */
        return true;
    static const char *const names[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    cJSON *arr = cJSON_AddArrayToObject(bj, "days");
    bool ok = arr != NULL;
    for (int d = 0; ok && d < 7; d++)
        if (days & (1u << d))
            ok = add_str_item(arr, names[d]);
    return ok;
}

/* "DEAS,CAP_AEPE/TP_ADVF" -> ["DEAS", "CAP_AEPE/TP_ADVF"] (a/b: alternatives of one group) */
static bool add_missing(cJSON *bj, const char *list)
{
    cJSON *arr = cJSON_AddArrayToObject(bj, "missing");
    bool ok = arr != NULL;
    char one[sizeof ((cm_barrier_t *)0)->missing];
    for (const char *p = list; ok && *p;) {
        size_t n = strcspn(p, ",");
        memcpy(one, p, n);
        one[n] = '\0';
        ok = add_str_item(arr, one);
        p += n + (p[n] == ',');
    }
    return ok;
}

/* The numbers behind a barrier, by code (SCORING.md lists them). */
static bool add_numbers(cJSON *bj, const cm_barrier_t *b)
{
    static const char *const restrict_names[3] = {"lifting", "standing", "hearing"};
    switch (b->code) {
    case CM_BC_CERT_MISSING:
    case CM_BC_CERT_REGULATED:
    case CM_BC_APPRENTICESHIP_ROUTE:
        return add_missing(bj, b->missing);
    case CM_BC_COMMUTE_TOO_LONG:
        return cJSON_AddNumberToObject(bj, "minutes", b->minutes) &&
               cJSON_AddNumberToObject(bj, "limit", b->limit);
    case CM_BC_SCHEDULE_DAY_OFF:
    case CM_BC_SCHEDULE_COVERAGE:
        return add_days(bj, b->days) && cJSON_AddNumberToObject(bj, "coverage", b->coverage);
    case CM_BC_SCHEDULE_ENDS_LATE:
    case CM_BC_SCHEDULE_STARTS_EARLY:
        return add_days(bj, b->days) && cJSON_AddNumberToObject(bj, "minutes", b->minutes);
    case CM_BC_SCHEDULE_PATTERN:
        return add_days(bj, b->days);
    case CM_BC_HOURS_SHORT:
    case CM_BC_HOURS_OVER:
        return cJSON_AddNumberToObject(bj, "hours", round1(b->hours)) &&
               cJSON_AddNumberToObject(bj, "limit", b->limit);
    case CM_BC_EXPERIENCE_SHORT:
        return cJSON_AddNumberToObject(bj, "months", b->months) &&
               cJSON_AddNumberToObject(bj, "limit", b->limit);
    case CM_BC_CONTRACT_UNWANTED:
        return b->limit == 0 || cJSON_AddNumberToObject(bj, "contract_days", b->limit);
    case CM_BC_RESTRICTION: {
        cJSON *arr = cJSON_AddArrayToObject(bj, "restrictions");
        bool ok = arr != NULL;
        for (int i = 0; ok && i < 3; i++)
            if (b->what & (1u << i))
                ok = add_str_item(arr, restrict_names[i]);
        return ok;
    }
    default:
        return true;
    }
}

static bool add_barriers(cJSON *j, const cm_match_t *m)
{
    cJSON *bars = cJSON_AddArrayToObject(j, "barriers");
    bool ok = bars != NULL;
    for (size_t i = 0; ok && i < m->n_barriers && i < CM_BARRIERS_MAX; i++) {
        const cm_barrier_t *b = &m->barriers[i];
        cJSON *bj = cJSON_CreateObject();
        ok = bj && cJSON_AddItemToArray(bars, bj);
        if (!ok) {
            cJSON_Delete(bj);
            break;
        }
        ok = add_str(bj, "kind", cm_barrier_name(b->kind)) && add_str(bj, "detail", b->detail) &&
             add_str(bj, "code", cm_barrier_code_name(b->code)) &&
             cJSON_AddBoolToObject(bj, "hard", b->hard) && add_str(bj, "detail_fr", b->detail_fr) &&
             add_numbers(bj, b);
        cJSON *levers = ok ? cJSON_AddArrayToObject(bj, "levers") : NULL;
        ok = levers != NULL;
        for (int l = 0; ok && l < CM_LEVER__COUNT; l++)
            if (b->levers & (1u << l))
                ok = add_str_item(levers, cm_lever_name(l));
    }
    return ok;
}

/* A pair met through a neighbouring ROME code (match option neighbours) says which code, near
 * which wanted one, by which link and how near; a same-code pair writes nothing. */
static bool add_neighbour(cJSON *j, const cm_match_t *m)
{
    if (!m->near_code[0])
        return true;
    cJSON *nb = cJSON_AddObjectToObject(j, "neighbour");
    return nb && add_str(nb, "code", m->near_code) && add_str(nb, "of", m->near_of) &&
           add_str(nb, "kind", cm_rome_near_kind_name(m->near_kind)) &&
           cJSON_AddNumberToObject(nb, "rank", (double)m->near_rank);
}

static cJSON *match_json(const cm_match_t *m)
{
    cJSON *j = cJSON_CreateObject();
    if (!j)
        return NULL;
    cJSON *rec = m->offer ? offer_brief(m->offer) : candidate_brief(m->candidate);
    bool ok = rec && cJSON_AddItemToObject(j, m->offer ? "offer" : "candidate", rec);
    if (!ok)
        cJSON_Delete(rec);
    ok = ok && cJSON_AddNumberToObject(j, "score", round1(m->score));
    cJSON *ex = ok ? cJSON_AddObjectToObject(j, "explain") : NULL;
    ok = ex != NULL;
    for (int f = 0; ok && f < CM_F__COUNT; f++)
        ok = cJSON_AddNumberToObject(ex, cm_factor_name(f), round2(m->explain[f])) != NULL;
    cJSON *cm = ok ? cJSON_AddObjectToObject(j, "commute") : NULL;
    ok = cm && add_str(cm, "mode", mode_or_null(m->commute_mode)) &&
         cJSON_AddNumberToObject(cm, "minutes", round(m->commute_minutes)) &&
         cJSON_AddNumberToObject(cm, "distance_km", round1(m->distance_km)) &&
         add_barriers(j, m) && cJSON_AddBoolToObject(j, "eligible", m->eligible) &&
         add_neighbour(j, m);
    if (!ok) {
        cJSON_Delete(j);
        return NULL;
    }
    return j;
}

int cm_match_result_to_json(const cm_match_result_t *r, char **out, size_t *len)
{
    if (!out)
        return CM_EINVAL;
    *out = NULL;
    if (!r || (r->n && !r->items))
        return CM_EINVAL;
    cJSON *root = cJSON_CreateObject();
    cJSON *arr = root ? cJSON_AddArrayToObject(root, "results") : NULL;
    bool ok = arr && cJSON_AddNumberToObject(root, "count", (double)r->n) &&
              cJSON_AddNumberToObject(root, "considered", (double)r->considered);
    for (size_t i = 0; ok && i < r->n; i++) {
        cJSON *m = match_json(&r->items[i]);
        ok = m && cJSON_AddItemToArray(arr, m);
        if (!ok)
            cJSON_Delete(m);
    }
    return cm__json_finish(root, ok, out, len);
}
