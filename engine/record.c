/* Records from the contract's JSON: full validation (the first fault reported with its JSON
 * path; an unknown member is a fault, record_strict.c) into an arena-allocated record. The way out is record_out.c. */
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carematch/referential.h"
#include "record_dec.h"
#include "record_internal.h"

/* ======================================================================================
 * Decoding
 * ==================================================================================== */

typedef int (*parse_fn)(const char *);

static const char *const contract_list[] = {
    "CDI", "CDD", "interim", "apprentissage", "professionnalisation", "liberal", "saisonnier"};
static const char *const employer_list[] = {"ehpad", "saad",  "ssiad",   "esat",   "ime",  "mas",
                                            "fam",   "foyer", "hopital", "creche", "other"};
static const char *const offer_status_list[] = {"open", "filled", "closed"};
static const char *const cand_status_list[] = {"active", "inactive", "hired"};
static const char *const period_list[] = {"hour", "month", "year"};

static int take_enum(cm__dec_t *d, const cJSON *it, const char *path, parse_fn parse,
                     const char *const *names, int n_names, int *out)
{
    int v = cJSON_IsString(it) ? parse(it->valuestring) : -1;
    if (v < 0) {
        char list[160];
        cm__dec_names_list(names, n_names, list, sizeof list);
        return cm_error_set(d->err, CM_EINVAL, path, "%s must be one of %s", path, list);
    }
    *out = v;
    return 0;
}

static int parse_employer(const char *s)
{
    int v = cm_employer_kind_parse(s);
    return v == CM_EMPLOYER_UNSET ? -1 : v;
}

static bool parse_hhmm(const char *s, uint16_t *out)
{
    if (strlen(s) != 5 || s[2] != ':')
        return false;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (s[i] < '0' || s[i] > '9'))
            return false;
    int h = (s[0] - '0') * 10 + (s[1] - '0');
    int m = (s[3] - '0') * 10 + (s[4] - '0');
    if (h > 23 || m > 59)
        return false;
    *out = (uint16_t)(h * 60 + m);
    return true;
}

static int take_time(cm__dec_t *d, const cJSON *obj, const char *key, const char *path,
                     uint16_t *out)
{
    const cJSON *it = cm__dec_member(obj, key);
    if (!it)
        return cm__dec_missing(d, path);
    if (!cJSON_IsString(it) || !parse_hhmm(it->valuestring, out))
        return cm_error_set(d->err, CM_EINVAL, path, "%s must be a time \"HH:MM\" (00:00 to 23:59)",
                            path);
    return 0;
}

static int decode_windows(cm__dec_t *d, const cJSON *root, const char *key, cm_window_t **out,
                          size_t *n_out)
{
    const cJSON *arr;
    size_t n;
    int rc = cm__dec_opt_array(d, root, key, key, CM_WINDOWS_MAX, &arr, &n);
    if (rc || n == 0)
        return rc;
    cm_window_t *w = cm__arena_calloc(d->arena, n, sizeof *w);
    if (!w)
        return cm__dec_nomem(d);
    size_t i = 0;
    for (const cJSON *e = arr->child; e; e = e->next, i++) {
        cm__path_t p, pd, pf, pt;
        snprintf(p, sizeof p, "%s[%zu]", key, i);
        snprintf(pd, sizeof pd, "%s[%zu].days", key, i);
        snprintf(pf, sizeof pf, "%s[%zu].from", key, i);
        snprintf(pt, sizeof pt, "%s[%zu].to", key, i);
        if (!cJSON_IsObject(e))
            return cm__dec_wrong_type(d, p, "an object");
        const cJSON *days;
        size_t nd;
        if ((rc = cm__dec_opt_array(d, e, "days", pd, 7, &days, &nd)))
            return rc;
        if (!days)
            return cm__dec_missing(d, pd);
        if (nd == 0)
            return cm_error_set(d->err, CM_EINVAL, pd, "%s must not be empty", pd);
        for (const cJSON *x = days->child; x; x = x->next) {
            int day = cJSON_IsString(x) ? cm__day_parse(x->valuestring) : -1;
            if (day < 0)
                return cm_error_set(d->err, CM_EINVAL, pd,
                                    "%s must list days among mon, tue, wed, thu, fri, sat, sun",
                                    pd);
            if (w[i].days & (1u << day))
                return cm_error_set(d->err, CM_EINVAL, pd, "%s lists \"%s\" twice", pd,
                                    x->valuestring);
            w[i].days |= (uint8_t)(1u << day);
        }
        if ((rc = take_time(d, e, "from", pf, &w[i].from_min)))
            return rc;
        if ((rc = take_time(d, e, "to", pt, &w[i].to_min)))
            return rc;
        if (w[i].from_min == w[i].to_min)
            return cm_error_set(d->err, CM_EINVAL, pt, "%s must differ from %s", pt, pf);
    }
    *out = w;
    *n_out = n;
    return 0;
}

/* The id: from the body, the path or both (then they must agree). */
static int decode_id(cm__dec_t *d, const cJSON *root, const char *path_id, char out[CM_ID_MAX + 1])
{
    static const char bad[] = "id must be 1 to 64 characters among A-Z a-z 0-9 . _ -";
    const cJSON *it = cm__dec_member(root, "id");
    if (it && !cJSON_IsString(it))
        return cm__dec_wrong_type(d, "id", "a string");
    const char *body = it ? it->valuestring : NULL;
    if (body && !cm_id_valid(body, strlen(body)))
        return cm_error_set(d->err, CM_EINVAL, "id", bad);
    if (path_id && !cm_id_valid(path_id, strlen(path_id)))
        return cm_error_set(d->err, CM_EINVAL, "id", bad);
    if (body && path_id && strcmp(body, path_id) != 0)
        return cm_error_set(d->err, CM_EINVAL, "id",
                            "id \"%s\" in the body differs from \"%s\" in the path", body, path_id);
    const char *id = body ? body : path_id;
    if (!id)
        return cm__dec_missing(d, "id");
    if (cm_id_reserved(id, strlen(id)))
        return cm_error_set(d->err, CM_EINVAL, "id",
                            "id \"%s\" is reserved: \"search\", \"_bulk\", \".\" and "
                            "\"..\" name routes or path steps, not records",
                            id);
    memcpy(out, id, strlen(id) + 1);
    return 0;
}

/* location: lat and lon, or instead a commune code ("commune", INSEE) or a postcode (with
 * the city to choose among the communes sharing it): then the point is the commune's
 * reference point, and the record says so (loc_source). */
typedef struct place {
    cm_geo_t *loc;
    const char **city, **postcode;
    char *commune; /* [6] */
    cm_loc_source_t *src;
} place_t;

static int decode_location(cm__dec_t *d, const cJSON *root, place_t pl)
{
    const cJSON *o;
    int rc = cm__dec_opt_object(d, root, "location", "location", &o);
    if (rc)
        return rc;
    if (!o)
        return cm__dec_missing(d, "location.lat");
    if ((rc = cm__dec_opt_text(d, o, "city", "location.city", CM_LABEL_MAX, false, pl.city)))
        return rc;
    const cJSON *pc = cm__dec_member(o, "postcode"), *cc = cm__dec_member(o, "commune");
    if (pc) {
        if (!cJSON_IsString(pc) || !cm__postcode_valid(pc->valuestring, strlen(pc->valuestring)))
            return cm_error_set(d->err, CM_EINVAL, "location.postcode",
                                "location.postcode must be 5 digits");
        if ((rc = cm__dec_text(d, pc, "location.postcode", 5, false, true, pl.postcode)))
            return rc;
    }
    if (cc && (rc = cm__commune_take(cc, "location.commune", pl.commune, d->err)))
        return rc;
    cm__city_pick(pl.commune, *pl.postcode, *pl.city); /* 75056: an arrondissement */
    const cJSON *lat = cm__dec_member(o, "lat"), *lon = cm__dec_member(o, "lon");
    if (!lat && !lon && (pl.commune[0] || *pl.postcode)) {
        const char *name;
        rc = cm__place_resolve(*pl.postcode, pl.commune, *pl.city, pl.loc, pl.commune, pl.src,
                               &name, d->err);
        if (rc == 0 && !*pl.city && !(*pl.city = cm__arena_strndup(d->arena, name, strlen(name))))
            return cm__dec_nomem(d);
        return rc;
    }
    /* an exported placed record keeps saying how it was placed (placed_by, with its commune) */
    const cJSON *pb = cm__dec_member(o, "placed_by");
    if (pb && pl.commune[0]) {
        for (int k = CM_LOC_COMMUNE; k < CM_LOC__COUNT; k++)
            if (cJSON_IsString(pb) && strcmp(pb->valuestring, cm_loc_source_name(k)) == 0)
                *pl.src = (cm_loc_source_t)k;
        if (*pl.src == CM_LOC_GIVEN)
            return cm_error_set(d->err, CM_EINVAL, "location.placed_by",
                                "location.placed_by must be commune, postcode, "
                                "postcode_and_city or postcode_default");
    }
    double v = 0;
    if (!lat)
        return cm_error_set(d->err, CM_EMISSING, "location.lat",
                            "location needs lat and lon, or a postcode or a commune code");
    if ((rc = cm__dec_number(d, lat, "location.lat", -90, 90, &v)))
        return rc;
    pl.loc->lat_e6 = (int32_t)lround(v * 1e6);
    if (!lon)
        return cm__dec_missing(d, "location.lon");
    if ((rc = cm__dec_number(d, lon, "location.lon", -180, 180, &v)))
        return rc;
    pl.loc->lon_e6 = (int32_t)lround(v * 1e6);
    return 0;
}

static int take_rome(cm__dec_t *d, const cJSON *it, const char *path, char out[6])
{
    if (!cJSON_IsString(it) || !cm__rome_parse(it->valuestring, strlen(it->valuestring), true, out))
        return cm_error_set(d->err, CM_EINVAL, path,
                            "%s must be a ROME code: one letter and 4 digits (J1501)", path);
    return 0;
}

static int take_cert(cm__dec_t *d, const cJSON *it, const char *path, const char **out)
{
    char buf[CM_CERT_MAX + 1];
    cm_diploma_t dip;
    const char *s = cJSON_IsString(it) ? it->valuestring : NULL;
    bool ok = s && cm__cert_parse(s, strlen(s), buf);
    if (!ok && s && cm_diploma_find(s, &dip) == 0 && strlen(dip.code) <= CM_CERT_MAX) {
        snprintf(buf, sizeof buf, "%s", dip.code); /* "CAP AEPE", "DE AS": the diploma's code */
        ok = true;
    }
    if (!ok)
        return cm_error_set(d->err, CM_EINVAL, path,
                            "%s must be a diploma the referential knows (\"CAP AEPE\", \"DE AS\") "
                            "or a code of 1 to %d characters among A-Z 0-9 _ . -",
                            path, CM_CERT_MAX);
    char *copy = cm__arena_strndup(d->arena, buf, strlen(buf));
    if (!copy)
        return cm__dec_nomem(d);
    *out = copy;
    return 0;
}

static int parse_root(const char *json, size_t len, cJSON **root, cm_error *err)
{
    if (len > CM_RECORD_JSON_MAX)
        return cm_error_set(err, CM_ETOOBIG, NULL, "record larger than %d bytes",
                            CM_RECORD_JSON_MAX);
    cJSON *r = NULL;
    int rc = cm_json_parse_strict(json, len, &r, err);
    if (rc)
        return rc;
    if (!cJSON_IsObject(r)) {
        cJSON_Delete(r);
        return cm_error_set(err, CM_EINVAL, NULL, "invalid JSON: a record must be an object");
    }
    *root = r;
    return 0;
}

/* rome (ROME 4.0, or v3 with "rome_version": "v3") and/or job_title (an OGR code or a
 * label): one of them is required; given both, they must name the same trade. */
static int decode_offer_rome(cm__dec_t *d, const cJSON *root, cm_offer_t *o)
{
    bool v3;
    char title_rome[6] = "";
    const cJSON *it = cm__dec_member(root, "job_title"), *r = cm__dec_member(root, "rome");
    int rc = cm__rome_version(root, &v3, d->err);
    if (!rc && it)
        rc = cm__title_take(it, "job_title", &o->job_title, title_rome, d->err);
    if (rc)
        return rc;
    if (!r) {
        if (!it)
            return cm__dec_missing(d, "rome");
        memcpy(o->rome, title_rome, 6);
        return 0;
    }
    if ((rc = take_rome(d, r, "rome", o->rome)))
        return rc;
    if (v3)
        rc = cm__rome_from_v3(o->rome, o->job_title, o->title, "rome", d->err);
    else
        rc = cm__rome_check(o->rome, "rome", d->err);
    if (rc == 0 && it && strcmp(o->rome, title_rome) != 0)
        rc = cm_error_set(d->err, CM_EINVAL, "job_title",
                          "job_title is a %s title, not %s: give either, or both agreeing",
                          title_rome, o->rome);
    return rc;
}

static int decode_offer(cm__dec_t *d, const cJSON *root, const char *path_id, cm_offer_t *o)
{
    int rc, v = 0;
    const cJSON *it, *obj, *arr;
    size_t n;

    if ((rc = decode_id(d, root, path_id, o->id)))
        return rc;
    if ((rc = cm__dec_check_offer_fields(d, root)))
        return rc;
    if (!(it = cm__dec_member(root, "title")))
        return cm__dec_missing(d, "title");
    if ((rc = cm__dec_text(d, it, "title", CM_TITLE_MAX, false, true, &o->title)))
        return rc;
    if ((rc = cm__dec_opt_text(d, root, "description", "description", CM_TEXT_MAX, true,
                               &o->description)))
        return rc;
    if ((rc = decode_offer_rome(d, root, o)))
        return rc;

    if ((rc = cm__dec_opt_object(d, root, "employer", "employer", &obj)))
        return rc;
    if (obj) {
        if ((rc = cm__dec_opt_text(d, obj, "name", "employer.name", CM_LABEL_MAX, false,
                                   &o->employer_name)))
            return rc;
        if ((it = cm__dec_member(obj, "kind"))) {
            if ((rc = take_enum(d, it, "employer.kind", parse_employer, employer_list,
                                CM_EMPLOYER__COUNT - 1, &v)))
                return rc;
            o->employer_kind = (cm_employer_kind_t)v;
        }
    }
    if ((rc = decode_location(
             d, root, (place_t){&o->loc, &o->city, &o->postcode, o->commune, &o->loc_source})))
        return rc;
    if (!(it = cm__dec_member(root, "contract")))
        return cm__dec_missing(d, "contract");
    if ((rc = take_enum(d, it, "contract", cm_contract_parse, contract_list, CM_CONTRACT__COUNT,
                        &v)))
        return rc;
    o->contract = (cm_contract_t)v;
    if ((it = cm__dec_member(root, "hours_per_week")) &&
        (rc = cm__dec_number(d, it, "hours_per_week", 1, CM_HOURS_MAX, &o->hours_per_week)))
        return rc;
    if ((rc = decode_windows(d, root, "schedule", &o->schedule, &o->n_schedule)))
        return rc;

    if ((rc = cm__dec_opt_array(d, root, "skills", "skills", CM_SKILLS_MAX, &arr, &n)))
        return rc;
    if (n) {
        if (!(o->skills = cm__arena_calloc(d->arena, n, sizeof *o->skills)))
            return cm__dec_nomem(d);
        size_t i = 0;
        for (const cJSON *e = arr->child; e; e = e->next, i++) {
            cm__path_t p, pl, pr;
            snprintf(p, sizeof p, "skills[%zu]", i);
            snprintf(pl, sizeof pl, "skills[%zu].label", i);
            snprintf(pr, sizeof pr, "skills[%zu].required", i);
            if (!cJSON_IsObject(e))
                return cm__dec_wrong_type(d, p, "an object");
            if (!(it = cm__dec_member(e, "label")))
                return cm__dec_missing(d, pl);
            if ((rc = cm__dec_text(d, it, pl, CM_LABEL_MAX, false, true, &o->skills[i].label)))
                return rc;
            if ((rc = cm__dec_opt_bool(d, e, "required", pr, &o->skills[i].required)))
                return rc;
        }
        o->n_skills = n;
    }

    if ((rc = cm__dec_opt_array(d, root, "certifications", "certifications", CM_CERTS_MAX, &arr,
                                &n)))
        return rc;
    if (n) {
        if (!(o->certs = cm__arena_calloc(d->arena, n, sizeof *o->certs)))
            return cm__dec_nomem(d);
        size_t i = 0;
        for (const cJSON *e = arr->child; e; e = e->next, i++) {
            cm__path_t p, pc, pr;
            snprintf(p, sizeof p, "certifications[%zu]", i);
            snprintf(pc, sizeof pc, "certifications[%zu].code", i);
            snprintf(pr, sizeof pr, "certifications[%zu].required", i);
            if (!cJSON_IsObject(e))
                return cm__dec_wrong_type(d, p, "an object");
            if (!(it = cm__dec_member(e, "code")))
                return cm__dec_missing(d, pc);
            if ((rc = take_cert(d, it, pc, &o->certs[i].code)))
                return rc;
            if ((rc = cm__dec_opt_bool(d, e, "required", pr, &o->certs[i].required)))
                return rc;
            int g = 0;
            snprintf(pr, sizeof pr, "certifications[%zu].group", i);
            if ((it = cm__dec_member(e, "group")) &&
                (rc = cm__dec_int(d, it, pr, 1, CM_CERTS_MAX, &g)))
                return rc;
            o->certs[i].group = (uint8_t)g;
        }
        o->n_certs = n;
    }

    if ((rc = cm__dec_opt_bool(d, root, "driving_licence_required", "driving_licence_required",
                               &o->driving_licence_required)) ||
        (rc = cm__dec_opt_bool(d, root, "vehicle_provided", "vehicle_provided",
                               &o->vehicle_provided)) ||
        (rc = cm__dec_opt_bool(d, root, "accessible_to_disabled_workers",
                               "accessible_to_disabled_workers",
                               &o->accessible_to_disabled_workers)) ||
        (rc = cm__dec_opt_bool(d, root, "immersion_possible", "immersion_possible",
                               &o->immersion_possible)) ||
        (rc = cm__dec_opt_bool(d, root, "pre_hire_training", "pre_hire_training",
                               &o->pre_hire_training)))
        return rc;

    if ((rc = cm__dec_opt_object(d, root, "salary", "salary", &obj)))
        return rc;
    if (obj) {
        const cJSON *mn = cm__dec_member(obj, "min"), *mx = cm__dec_member(obj, "max");
        if (!(it = cm__dec_member(obj, "period")))
            return cm__dec_missing(d, "salary.period");
        if ((rc = take_enum(d, it, "salary.period", cm__salary_period_parse, period_list, 3, &v)))
            return rc;
        o->salary_period = (cm_salary_period_t)v;
        if (!mn && !mx)
            return cm__dec_missing(d, "salary.min");
        if (mn && (rc = cm__dec_number(d, mn, "salary.min", 0, CM__SALARY_MAX, &o->salary_min)))
            return rc;
        if (mx && (rc = cm__dec_number(d, mx, "salary.max", 0, CM__SALARY_MAX, &o->salary_max)))
            return rc;
        if (!mx)
            o->salary_max = o->salary_min; /* a single figure: min = max */
        if (!mn)
            o->salary_min = o->salary_max;
        if (o->salary_min > o->salary_max)
            return cm_error_set(d->err, CM_EINVAL, "salary.min",
                                "salary.min must not exceed salary.max");
    }

    if ((it = cm__dec_member(root, "published_at"))) {
        if (!cJSON_IsString(it) ||
            !cm_date_parse(it->valuestring, strlen(it->valuestring), &o->published_days))
            return cm_error_set(d->err, CM_EINVAL, "published_at",
                                "published_at must be a date \"YYYY-MM-DD\"");
    }
    if ((it = cm__dec_member(root, "status"))) {
        if ((rc = take_enum(d, it, "status", cm__offer_status_parse, offer_status_list,
                            CM_OFFER_STATUS__COUNT, &v)))
            return rc;
        o->status = (cm_offer_status_t)v;
    }
    return cm__decode_offer_ext(d, root, o);
}

int cm_offer_from_json(const char *json, size_t len, const char *path_id, cm_offer_t **out,
                       cm_error *err)
{
    *out = NULL;
    cJSON *root = NULL;
    int rc = parse_root(json, len, &root, err);
    if (rc)
        return rc;
    cm_offer_t *o = cm__offer_new(len + 256);
    if (!o) {
        cJSON_Delete(root);
        return cm_error_set(err, CM_ENOMEM, NULL, "out of memory");
    }
    cm__dec_t d = {.arena = o->arena_, .err = err};
    rc = decode_offer(&d, root, path_id, o);
    cJSON_Delete(root);
    if (rc) {
        cm_offer_free(o);
        return rc;
    }
    *out = o;
    return 0;
}

/* desired_rome (ROME 4.0 codes, or v3 ones with "rome_version": "v3", each becoming the 4.0
 * codes its job titles went to) and desired_job_titles (OGR codes or labels), whose codes join
 * desired_rome. */
static int decode_wishes(cm__dec_t *d, const cJSON *root, cm_candidate_t *c)
{
    const cJSON *arr, *tarr;
    size_t n, nt;
    bool v3;
    int rc = cm__rome_version(root, &v3, d->err);
    if (!rc)
        rc = cm__dec_opt_array(d, root, "desired_rome", "desired_rome", CM_ROMES_MAX, &arr, &n);
    if (!rc)
        rc = cm__dec_opt_array(d, root, "desired_job_titles", "desired_job_titles", CM_TITLES_MAX,
                               &tarr, &nt);
    if (rc)
        return rc;
    if (n + nt == 0)
        return 0;
    if (!(c->desired_rome = cm__arena_calloc(d->arena, CM_ROMES_MAX, sizeof *c->desired_rome)) ||
        (nt && !(c->desired_titles = cm__arena_calloc(d->arena, nt, sizeof *c->desired_titles))))
        return cm__dec_nomem(d);
    size_t i = 0;
    for (const cJSON *e = n ? arr->child : NULL; e; e = e->next, i++) {
        cm__path_t p;
        char code[6];
        snprintf(p, sizeof p, "desired_rome[%zu]", i);
        if ((rc = take_rome(d, e, p, code)))
            return rc;
        if (v3)
            rc = cm__romes_add_v3(code, c->desired_rome, &c->n_desired_rome, CM_ROMES_MAX, p,
                                  d->err);
        else if ((rc = cm__rome_check(code, p, d->err)) == 0) /* in order, once each */
            rc = cm__romes_add(code, c->desired_rome, &c->n_desired_rome, CM_ROMES_MAX, p, d->err);
        if (rc)
            return rc;
    }
    i = 0;
    for (const cJSON *e = nt ? tarr->child : NULL; e; e = e->next, i++) {
        cm__path_t p;
        char code[6];
        snprintf(p, sizeof p, "desired_job_titles[%zu]", i);
        if ((rc = cm__title_take(e, p, &c->desired_titles[i], code, d->err)) ||
            (rc =
                 cm__romes_add(code, c->desired_rome, &c->n_desired_rome, CM_ROMES_MAX, p, d->err)))
            return rc;
    }
    c->n_desired_titles = nt;
    return 0;
}

static int decode_candidate(cm__dec_t *d, const cJSON *root, const char *path_id, cm_candidate_t *c)
{
    int rc, v = 0;
    const cJSON *it, *obj, *arr;
    size_t n;

    if ((rc = decode_id(d, root, path_id, c->id)))
        return rc;
    if ((rc = cm__dec_check_candidate_fields(d, root)))
        return rc;
    if ((rc = decode_location(
             d, root, (place_t){&c->loc, &c->city, &c->postcode, c->commune, &c->loc_source})))
        return rc;

    if ((rc = decode_wishes(d, root, c)))
        return rc;

    if ((rc = cm__dec_opt_array(d, root, "skills", "skills", CM_SKILLS_MAX, &arr, &n)))
        return rc;
    if (n) {
        if (!(c->skills = cm__arena_calloc(d->arena, n, sizeof *c->skills)))
            return cm__dec_nomem(d);
        size_t i = 0;
        for (const cJSON *e = arr->child; e; e = e->next, i++) {
            cm__path_t p;
            snprintf(p, sizeof p, "skills[%zu]", i);
            if ((rc = cm__dec_text(d, e, p, CM_LABEL_MAX, false, true, &c->skills[i])))
                return rc;
        }
        c->n_skills = n;
    }

    if ((rc = cm__dec_opt_array(d, root, "certifications", "certifications", CM_CERTS_MAX, &arr,
                                &n)))
        return rc;
    if (n) {
        if (!(c->certs = cm__arena_calloc(d->arena, n, sizeof *c->certs)))
            return cm__dec_nomem(d);
        size_t i = 0, k = 0; /* a diploma given twice ("DEAS", "DE aide-soignant") kept once */
        for (const cJSON *e = arr->child; e; e = e->next, i++) {
            cm__path_t p;
            snprintf(p, sizeof p, "certifications[%zu]", i);
            if ((rc = take_cert(d, e, p, &c->certs[k])))
                return rc;
            size_t j = 0;
            while (j < k && strcmp(c->certs[j], c->certs[k]) != 0)
                j++;
            k += j == k;
        }
        c->n_certs = k;
    }

    if ((it = cm__dec_member(root, "experience_months")) &&
        (rc = cm__dec_int(d, it, "experience_months", 0, CM_EXPERIENCE_MAX, &c->experience_months)))
        return rc;

    if ((rc = cm__dec_opt_object(d, root, "mobility", "mobility", &obj)))
        return rc;
    if (obj) {
        if ((rc = cm__dec_opt_array(d, obj, "modes", "mobility.modes", 4 * CM__MODE_NAMES, &arr,
                                    &n)))
            return rc;
        if (arr) {
            if (n == 0)
                return cm_error_set(d->err, CM_EINVAL, "mobility.modes",
                                    "mobility.modes must not be empty");
            c->modes = 0;
            for (const cJSON *e = arr->child; e; e = e->next) {
                int m = cJSON_IsString(e) ? cm__mode_parse(e->valuestring) : -1;
                if (m < 0)
                    return cm_error_set(d->err, CM_EINVAL, "mobility.modes",
                                        "mobility.modes must list modes among car, transit, "
                                        "bike, walk, moped");
                c->modes |= (uint8_t)(1u << m);
            }
        }
        if ((it = cm__dec_member(obj, "max_minutes")) &&
            (rc = cm__dec_int(d, it, "mobility.max_minutes", 1, CM_MAX_MINUTES_MAX,
                              &c->max_minutes)))
            return rc;
        if ((rc = cm__dec_opt_bool(d, obj, "driving_licence", "mobility.driving_licence",
                                   &c->driving_licence)) ||
            (rc = cm__dec_opt_bool(d, obj, "vehicle", "mobility.vehicle", &c->vehicle)))
            return rc;
        c->licence_stated = cm__dec_member(obj, "driving_licence") != NULL;
        c->vehicle_stated = cm__dec_member(obj, "vehicle") != NULL;
    }

    if ((rc = decode_windows(d, root, "availability", &c->availability, &c->n_availability)))
        return rc;

    if ((rc = cm__dec_opt_object(d, root, "childcare", "childcare", &obj)))
        return rc;
    if (obj) {
        c->has_childcare = true;
        if ((it = cm__dec_member(obj, "children_under_12")) &&
            (rc = cm__dec_int(d, it, "childcare.children_under_12", 0, CM_CHILDREN_MAX,
                              &c->children_under_12)))
            return rc;
        if ((rc =
                 cm__dec_opt_bool(d, obj, "solo_parent", "childcare.solo_parent", &c->solo_parent)))
            return rc;
    }

    if ((rc = cm__dec_opt_array(d, root, "contracts", "contracts", 4 * CM_CONTRACT__COUNT, &arr,
                                &n)))
        return rc;
    if (arr) {
        size_t i = 0;
        for (const cJSON *e = arr->child; e; e = e->next, i++) {
            cm__path_t p;
            snprintf(p, sizeof p, "contracts[%zu]", i);
            if ((rc = take_enum(d, e, p, cm_contract_parse, contract_list, CM_CONTRACT__COUNT, &v)))
                return rc;
            c->contracts |= (uint8_t)(1u << v);
        }
    }

    if ((rc = cm__dec_opt_object(d, root, "hours_per_week", "hours_per_week", &obj)))
        return rc;
    if (obj) {
        const cJSON *mn = cm__dec_member(obj, "min"), *mx = cm__dec_member(obj, "max");
        c->hours_min = 0;
        c->hours_max = CM_HOURS_MAX; /* an open end means "up to the legal maximum" */
        if (mn &&
            (rc = cm__dec_number(d, mn, "hours_per_week.min", 0, CM_HOURS_MAX, &c->hours_min)))
            return rc;
        /* a maximum of 0 hours is no wish to work: refused, not stored as "no range" (a
         * helper's probe saw {"min":0,"max":0} accepted and dropped from the echo) */
        if (mx &&
            (rc = cm__dec_number(d, mx, "hours_per_week.max", 0, CM_HOURS_MAX, &c->hours_max)))
            return rc;
        if (mx && c->hours_max <= 0)
            return cm_error_set(d->err, CM_EINVAL, "hours_per_week.max",
                                "hours_per_week.max must be above 0");
        if (c->hours_min > c->hours_max)
            return cm_error_set(d->err, CM_EINVAL, "hours_per_week.min",
                                "hours_per_week.min must not exceed hours_per_week.max");
    }

    if ((rc = cm__dec_opt_bool(d, root, "disability_recognised", "disability_recognised",
                               &c->disability_recognised)) ||
        (rc = cm__dec_opt_bool(d, root, "open_to_immersion", "open_to_immersion",
                               &c->open_to_immersion)) ||
        (rc = cm__dec_opt_bool(d, root, "open_to_training", "open_to_training",
                               &c->open_to_training)))
        return rc;
    if ((rc = cm__dec_opt_text(d, root, "summary", "summary", CM_TEXT_MAX, true, &c->summary)))
        return rc;
    if ((it = cm__dec_member(root, "status"))) {
        if ((rc = take_enum(d, it, "status", cm__candidate_status_parse, cand_status_list,
                            CM_CAND_STATUS__COUNT, &v)))
            return rc;
        c->status = (cm_candidate_status_t)v;
    }
    return cm__decode_candidate_ext(d, root, c);
}

int cm_candidate_from_json(const char *json, size_t len, const char *path_id, cm_candidate_t **out,
                           cm_error *err)
{
    *out = NULL;
    cJSON *root = NULL;
    int rc = parse_root(json, len, &root, err);
    if (rc)
        return rc;
    cm_candidate_t *c = cm__candidate_new(len + 256);
    if (!c) {
        cJSON_Delete(root);
        return cm_error_set(err, CM_ENOMEM, NULL, "out of memory");
    }
    cm__dec_t d = {.arena = c->arena_, .err = err};
    rc = decode_candidate(&d, root, path_id, c);
    cJSON_Delete(root);
    if (rc) {
        cm_candidate_free(c);
        return rc;
    }
    *out = c;
    return 0;
}
