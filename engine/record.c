/* Records from and to the contract's JSON: full validation on the way in (first fault reported
 * with its JSON path), compact canonical text on the way out. */
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record_internal.h"

/* ======================================================================================
 * Decoding
 * ==================================================================================== */

typedef struct dec {
    cm__arena_t *arena;
    cm_error *err;
} dec_t;

/* Paths of array items ("schedule[12].days") fit easily: ids of keys are short. */
typedef char path_t[96];

static int nomem(dec_t *d)
{
    return cm_error_set(d->err, CM_ENOMEM, NULL, "out of memory");
}

/* A member of `obj`, or NULL when absent or JSON null (null means "not given"). */
static const cJSON *member(const cJSON *obj, const char *key)
{
    if (!obj)
        return NULL;
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
    return it && !cJSON_IsNull(it) ? it : NULL;
}

static int missing(dec_t *d, const char *path)
{
    return cm_error_set(d->err, CM_EMISSING, path, "%s is required", path);
}

static int wrong_type(dec_t *d, const char *path, const char *what)
{
    return cm_error_set(d->err, CM_EINVAL, path, "%s must be %s", path, what);
}

/* Validate a JSON string's bytes and copy it into the arena. */
static int take_text(dec_t *d, const cJSON *it, const char *path, size_t max, bool multiline,
                     bool nonempty, const char **out)
{
    if (!cJSON_IsString(it) || !it->valuestring)
        return wrong_type(d, path, "a string");
    const char *s = it->valuestring;
    size_t n = strlen(s);
    if (n > max)
        return cm_error_set(d->err, CM_EINVAL, path, "%s must be at most %zu bytes", path, max);
    int tc = cm__text_check(s, n, multiline);
    if (tc == CM__TEXT_BAD_UTF8)
        return cm_error_set(d->err, CM_EINVAL, path, "%s must be valid UTF-8", path);
    if (tc == CM__TEXT_CONTROL)
        return cm_error_set(d->err, CM_EINVAL, path, "%s must not contain control characters",
                            path);
    if (nonempty && cm__text_blank(s, n))
        return cm_error_set(d->err, CM_EINVAL, path, "%s must not be empty", path);
    char *copy = cm__arena_strndup(d->arena, s, n);
    if (!copy)
        return nomem(d);
    *out = copy;
    return 0;
}

/* Optional string member: *out stays NULL when absent, and when blank (an empty city or
 * description says nothing, and storing it would only make "absent" ambiguous). */
static int opt_text(dec_t *d, const cJSON *obj, const char *key, const char *path, size_t max,
                    bool multiline, const char **out)
{
    const cJSON *it = member(obj, key);
    if (!it)
        return 0;
    if (cJSON_IsString(it) && it->valuestring &&
        cm__text_blank(it->valuestring, strlen(it->valuestring)))
        return 0;
    return take_text(d, it, path, max, multiline, false, out);
}

static int take_number(dec_t *d, const cJSON *it, const char *path, double min, double max,
                       double *out)
{
    if (!cJSON_IsNumber(it))
        return wrong_type(d, path, "a number");
    double v = it->valuedouble;
    if (!(v >= min && v <= max)) /* also refuses NaN and infinities (1e999) */
        return cm_error_set(d->err, CM_EINVAL, path, "%s must be between %.10g and %.10g", path,
                            min, max);
    *out = v;
    return 0;
}

static int take_int(dec_t *d, const cJSON *it, const char *path, int min, int max, int *out)
{
    if (!cJSON_IsNumber(it))
        return wrong_type(d, path, "a number");
    double v = it->valuedouble;
    if (!(v >= min && v <= max) || v != floor(v))
        return cm_error_set(d->err, CM_EINVAL, path, "%s must be an integer between %d and %d",
                            path, min, max);
    *out = (int)v;
    return 0;
}

static int opt_bool(dec_t *d, const cJSON *obj, const char *key, const char *path, bool *out)
{
    const cJSON *it = member(obj, key);
    if (!it)
        return 0;
    if (!cJSON_IsBool(it))
        return wrong_type(d, path, "true or false");
    *out = cJSON_IsTrue(it);
    return 0;
}

static int opt_object(dec_t *d, const cJSON *obj, const char *key, const char *path,
                      const cJSON **out)
{
    const cJSON *it = member(obj, key);
    *out = NULL;
    if (!it)
        return 0;
    if (!cJSON_IsObject(it))
        return wrong_type(d, path, "an object");
    *out = it;
    return 0;
}

static int opt_array(dec_t *d, const cJSON *obj, const char *key, const char *path, size_t max,
                     const cJSON **out, size_t *n)
{
    const cJSON *it = member(obj, key);
    *out = NULL;
    *n = 0;
    if (!it)
        return 0;
    if (!cJSON_IsArray(it))
        return wrong_type(d, path, "an array");
    size_t count = 0;
    for (const cJSON *e = it->child; e; e = e->next)
        count++;
    if (count > max)
        return cm_error_set(d->err, CM_EINVAL, path, "%s must have at most %zu entries", path, max);
    *out = it;
    *n = count;
    return 0;
}

/* "a, b or c" from a name table, for enum error messages. */
static void names_list(const char *const *names, int n, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < n; i++) {
        if (!names[i])
            continue;
        int w = snprintf(buf + used, size - used, "%s%s", used ? ", " : "", names[i]);
        if (w < 0 || (size_t)w >= size - used)
            return;
        used += (size_t)w;
    }
}

typedef int (*parse_fn)(const char *);

static const char *const contract_list[] = {
    "CDI", "CDD", "interim", "apprentissage", "professionnalisation", "liberal", "saisonnier"};
static const char *const employer_list[] = {"ehpad", "saad",  "ssiad",   "esat",   "ime",  "mas",
                                            "fam",   "foyer", "hopital", "creche", "other"};
static const char *const offer_status_list[] = {"open", "filled", "closed"};
static const char *const cand_status_list[] = {"active", "inactive", "hired"};
static const char *const period_list[] = {"hour", "month", "year"};

static int take_enum(dec_t *d, const cJSON *it, const char *path, parse_fn parse,
                     const char *const *names, int n_names, int *out)
{
    int v = cJSON_IsString(it) ? parse(it->valuestring) : -1;
    if (v < 0) {
        char list[160];
        names_list(names, n_names, list, sizeof list);
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

static int take_time(dec_t *d, const cJSON *obj, const char *key, const char *path, uint16_t *out)
{
    const cJSON *it = member(obj, key);
    if (!it)
        return missing(d, path);
    if (!cJSON_IsString(it) || !parse_hhmm(it->valuestring, out))
        return cm_error_set(d->err, CM_EINVAL, path, "%s must be a time \"HH:MM\" (00:00 to 23:59)",
                            path);
    return 0;
}

static int decode_windows(dec_t *d, const cJSON *root, const char *key, cm_window_t **out,
                          size_t *n_out)
{
    const cJSON *arr;
    size_t n;
    int rc = opt_array(d, root, key, key, CM_WINDOWS_MAX, &arr, &n);
    if (rc || n == 0)
        return rc;
    cm_window_t *w = cm__arena_calloc(d->arena, n, sizeof *w);
    if (!w)
        return nomem(d);
    size_t i = 0;
    for (const cJSON *e = arr->child; e; e = e->next, i++) {
        path_t p, pd, pf, pt;
        snprintf(p, sizeof p, "%s[%zu]", key, i);
        snprintf(pd, sizeof pd, "%s[%zu].days", key, i);
        snprintf(pf, sizeof pf, "%s[%zu].from", key, i);
        snprintf(pt, sizeof pt, "%s[%zu].to", key, i);
        if (!cJSON_IsObject(e))
            return wrong_type(d, p, "an object");
        const cJSON *days;
        size_t nd;
        if ((rc = opt_array(d, e, "days", pd, 7, &days, &nd)))
            return rc;
        if (!days)
            return missing(d, pd);
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
static int decode_id(dec_t *d, const cJSON *root, const char *path_id, char out[CM_ID_MAX + 1])
{
    static const char bad[] = "id must be 1 to 64 characters among A-Z a-z 0-9 . _ -";
    const cJSON *it = member(root, "id");
    if (it && !cJSON_IsString(it))
        return wrong_type(d, "id", "a string");
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
        return missing(d, "id");
    memcpy(out, id, strlen(id) + 1);
    return 0;
}

static int decode_location(dec_t *d, const cJSON *root, cm_geo_t *loc, const char **city,
                           const char **postcode)
{
    const cJSON *o;
    int rc = opt_object(d, root, "location", "location", &o);
    if (rc)
        return rc;
    if (!o)
        return missing(d, "location.lat");
    const cJSON *lat = member(o, "lat"), *lon = member(o, "lon");
    double v = 0;
    if (!lat)
        return missing(d, "location.lat");
    if ((rc = take_number(d, lat, "location.lat", -90, 90, &v)))
        return rc;
    loc->lat_e6 = (int32_t)lround(v * 1e6);
    if (!lon)
        return missing(d, "location.lon");
    if ((rc = take_number(d, lon, "location.lon", -180, 180, &v)))
        return rc;
    loc->lon_e6 = (int32_t)lround(v * 1e6);
    if ((rc = opt_text(d, o, "city", "location.city", CM_LABEL_MAX, false, city)))
        return rc;
    const cJSON *pc = member(o, "postcode");
    if (pc) {
        if (!cJSON_IsString(pc) || !cm__postcode_valid(pc->valuestring, strlen(pc->valuestring)))
            return cm_error_set(d->err, CM_EINVAL, "location.postcode",
                                "location.postcode must be 5 digits");
        if ((rc = take_text(d, pc, "location.postcode", 5, false, true, postcode)))
            return rc;
    }
    return 0;
}

static int take_rome(dec_t *d, const cJSON *it, const char *path, char out[6])
{
    if (!cJSON_IsString(it) || !cm__rome_parse(it->valuestring, strlen(it->valuestring), true, out))
        return cm_error_set(d->err, CM_EINVAL, path,
                            "%s must be a ROME code: one letter and 4 digits (J1501)", path);
    return 0;
}

static int take_cert(dec_t *d, const cJSON *it, const char *path, const char **out)
{
    char buf[CM_CERT_MAX + 1];
    if (!cJSON_IsString(it) || !cm__cert_parse(it->valuestring, strlen(it->valuestring), buf))
        return cm_error_set(d->err, CM_EINVAL, path,
                            "%s must be 1 to %d characters among A-Z 0-9 _ . -", path, CM_CERT_MAX);
    char *copy = cm__arena_strndup(d->arena, buf, strlen(buf));
    if (!copy)
        return nomem(d);
    *out = copy;
    return 0;
}

/* Copy the text, replacing the escape \u0000 (which cJSON would turn into an early end of
 * string, silently truncating the field) by \u0001, which the text checks then reject with
 * the field's name. A raw NUL byte is not JSON at all. */
static int prepare_text(const char *json, size_t len, char **out, cm_error *err)
{
    if (len > CM_RECORD_JSON_MAX)
        return cm_error_set(err, CM_ETOOBIG, NULL, "record larger than %d bytes",
                            CM_RECORD_JSON_MAX);
    char *buf = malloc(len + 1);
    if (!buf)
        return cm_error_set(err, CM_ENOMEM, NULL, "out of memory");
    if (len)
        memcpy(buf, json, len);
    buf[len] = '\0';
    bool in_string = false;
    for (size_t i = 0; i < len; i++) {
        char c = buf[i];
        if (c == '\0') {
            free(buf);
            return cm_error_set(err, CM_EINVAL, NULL, "invalid JSON near byte %zu", i);
        }
        if (!in_string) {
            in_string = c == '"';
        } else if (c == '"') {
            in_string = false;
        } else if (c == '\\' && i + 1 < len) {
            if (buf[i + 1] == 'u' && i + 5 < len && memcmp(buf + i + 2, "0000", 4) == 0)
                buf[i + 5] = '1';
            i++; /* the escaped character never ends the string */
        }
    }
    *out = buf;
    return 0;
}

static int parse_root(const char *json, size_t len, cJSON **root, cm_error *err)
{
    char *buf = NULL;
    int rc = prepare_text(json, len, &buf, err);
    if (rc)
        return rc;
    const char *end = NULL;
    /* Length len + 1 includes the NUL: cJSON's require_null_terminated looks for it within
     * the given length, which is also what refuses trailing garbage. */
    cJSON *r = cJSON_ParseWithLengthOpts(buf, len + 1, &end, 1);
    if (!r) {
        size_t at = end && end >= buf && end <= buf + len ? (size_t)(end - buf) : 0;
        free(buf);
        return cm_error_set(err, CM_EINVAL, NULL, "invalid JSON near byte %zu", at);
    }
    free(buf);
    if (!cJSON_IsObject(r)) {
        cJSON_Delete(r);
        return cm_error_set(err, CM_EINVAL, NULL, "invalid JSON: a record must be an object");
    }
    *root = r;
    return 0;
}

static int decode_offer(dec_t *d, const cJSON *root, const char *path_id, cm_offer_t *o)
{
    int rc, v = 0;
    const cJSON *it, *obj, *arr;
    size_t n;

    if ((rc = decode_id(d, root, path_id, o->id)))
        return rc;
    if (!(it = member(root, "title")))
        return missing(d, "title");
    if ((rc = take_text(d, it, "title", CM_TITLE_MAX, false, true, &o->title)))
        return rc;
    if ((rc = opt_text(d, root, "description", "description", CM_TEXT_MAX, true, &o->description)))
        return rc;
    if (!(it = member(root, "rome")))
        return missing(d, "rome");
    if ((rc = take_rome(d, it, "rome", o->rome)))
        return rc;

    if ((rc = opt_object(d, root, "employer", "employer", &obj)))
        return rc;
    if (obj) {
        if ((rc =
                 opt_text(d, obj, "name", "employer.name", CM_LABEL_MAX, false, &o->employer_name)))
            return rc;
        if ((it = member(obj, "kind"))) {
            if ((rc = take_enum(d, it, "employer.kind", parse_employer, employer_list,
                                CM_EMPLOYER__COUNT - 1, &v)))
                return rc;
            o->employer_kind = (cm_employer_kind_t)v;
        }
    }
    if ((rc = decode_location(d, root, &o->loc, &o->city, &o->postcode)))
        return rc;
    if (!(it = member(root, "contract")))
        return missing(d, "contract");
    if ((rc = take_enum(d, it, "contract", cm_contract_parse, contract_list, CM_CONTRACT__COUNT,
                        &v)))
        return rc;
    o->contract = (cm_contract_t)v;
    if ((it = member(root, "hours_per_week")) &&
        (rc = take_number(d, it, "hours_per_week", 1, CM_HOURS_MAX, &o->hours_per_week)))
        return rc;
    if ((rc = decode_windows(d, root, "schedule", &o->schedule, &o->n_schedule)))
        return rc;

    if ((rc = opt_array(d, root, "skills", "skills", CM_SKILLS_MAX, &arr, &n)))
        return rc;
    if (n) {
        if (!(o->skills = cm__arena_calloc(d->arena, n, sizeof *o->skills)))
            return nomem(d);
        size_t i = 0;
        for (const cJSON *e = arr->child; e; e = e->next, i++) {
            path_t p, pl, pr;
            snprintf(p, sizeof p, "skills[%zu]", i);
            snprintf(pl, sizeof pl, "skills[%zu].label", i);
            snprintf(pr, sizeof pr, "skills[%zu].required", i);
            if (!cJSON_IsObject(e))
                return wrong_type(d, p, "an object");
            if (!(it = member(e, "label")))
                return missing(d, pl);
            if ((rc = take_text(d, it, pl, CM_LABEL_MAX, false, true, &o->skills[i].label)))
                return rc;
            if ((rc = opt_bool(d, e, "required", pr, &o->skills[i].required)))
                return rc;
        }
        o->n_skills = n;
    }

    if ((rc = opt_array(d, root, "certifications", "certifications", CM_CERTS_MAX, &arr, &n)))
        return rc;
    if (n) {
        if (!(o->certs = cm__arena_calloc(d->arena, n, sizeof *o->certs)))
            return nomem(d);
        size_t i = 0;
        for (const cJSON *e = arr->child; e; e = e->next, i++) {
            path_t p, pc, pr;
            snprintf(p, sizeof p, "certifications[%zu]", i);
            snprintf(pc, sizeof pc, "certifications[%zu].code", i);
            snprintf(pr, sizeof pr, "certifications[%zu].required", i);
            if (!cJSON_IsObject(e))
                return wrong_type(d, p, "an object");
            if (!(it = member(e, "code")))
                return missing(d, pc);
            if ((rc = take_cert(d, it, pc, &o->certs[i].code)))
                return rc;
            if ((rc = opt_bool(d, e, "required", pr, &o->certs[i].required)))
                return rc;
        }
        o->n_certs = n;
    }

    if ((rc = opt_bool(d, root, "driving_licence_required", "driving_licence_required",
                       &o->driving_licence_required)) ||
        (rc = opt_bool(d, root, "vehicle_provided", "vehicle_provided", &o->vehicle_provided)) ||
        (rc = opt_bool(d, root, "accessible_to_disabled_workers", "accessible_to_disabled_workers",
                       &o->accessible_to_disabled_workers)) ||
        (rc = opt_bool(d, root, "immersion_possible", "immersion_possible",
                       &o->immersion_possible)) ||
        (rc = opt_bool(d, root, "pre_hire_training", "pre_hire_training", &o->pre_hire_training)))
        return rc;

    if ((rc = opt_object(d, root, "salary", "salary", &obj)))
        return rc;
    if (obj) {
        const cJSON *mn = member(obj, "min"), *mx = member(obj, "max");
        if (!(it = member(obj, "period")))
            return missing(d, "salary.period");
        if ((rc = take_enum(d, it, "salary.period", cm__salary_period_parse, period_list, 3, &v)))
            return rc;
        o->salary_period = (cm_salary_period_t)v;
        if (!mn && !mx)
            return missing(d, "salary.min");
        if (mn && (rc = take_number(d, mn, "salary.min", 0, CM__SALARY_MAX, &o->salary_min)))
            return rc;
        if (mx && (rc = take_number(d, mx, "salary.max", 0, CM__SALARY_MAX, &o->salary_max)))
            return rc;
        if (!mx)
            o->salary_max = o->salary_min; /* a single figure: min = max */
        if (!mn)
            o->salary_min = o->salary_max;
        if (o->salary_min > o->salary_max)
            return cm_error_set(d->err, CM_EINVAL, "salary.min",
                                "salary.min must not exceed salary.max");
    }

    if ((it = member(root, "published_at"))) {
        if (!cJSON_IsString(it) ||
            !cm_date_parse(it->valuestring, strlen(it->valuestring), &o->published_days))
            return cm_error_set(d->err, CM_EINVAL, "published_at",
                                "published_at must be a date \"YYYY-MM-DD\"");
    }
    if ((it = member(root, "status"))) {
        if ((rc = take_enum(d, it, "status", cm__offer_status_parse, offer_status_list,
                            CM_OFFER_STATUS__COUNT, &v)))
            return rc;
        o->status = (cm_offer_status_t)v;
    }
    return 0;
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
    dec_t d = {.arena = o->arena_, .err = err};
    rc = decode_offer(&d, root, path_id, o);
    cJSON_Delete(root);
    if (rc) {
        cm_offer_free(o);
        return rc;
    }
    *out = o;
    return 0;
}

static int decode_candidate(dec_t *d, const cJSON *root, const char *path_id, cm_candidate_t *c)
{
    int rc, v = 0;
    const cJSON *it, *obj, *arr;
    size_t n;

    if ((rc = decode_id(d, root, path_id, c->id)))
        return rc;
    if ((rc = decode_location(d, root, &c->loc, &c->city, &c->postcode)))
        return rc;

    if ((rc = opt_array(d, root, "desired_rome", "desired_rome", CM_ROMES_MAX, &arr, &n)))
        return rc;
    if (n) {
        if (!(c->desired_rome = cm__arena_calloc(d->arena, n, sizeof *c->desired_rome)))
            return nomem(d);
        size_t i = 0;
        for (const cJSON *e = arr->child; e; e = e->next, i++) {
            path_t p;
            snprintf(p, sizeof p, "desired_rome[%zu]", i);
            if ((rc = take_rome(d, e, p, c->desired_rome[i])))
                return rc;
        }
        c->n_desired_rome = n;
    }

    if ((rc = opt_array(d, root, "skills", "skills", CM_SKILLS_MAX, &arr, &n)))
        return rc;
    if (n) {
        if (!(c->skills = cm__arena_calloc(d->arena, n, sizeof *c->skills)))
            return nomem(d);
        size_t i = 0;
        for (const cJSON *e = arr->child; e; e = e->next, i++) {
            path_t p;
            snprintf(p, sizeof p, "skills[%zu]", i);
            if ((rc = take_text(d, e, p, CM_LABEL_MAX, false, true, &c->skills[i])))
                return rc;
        }
        c->n_skills = n;
    }

    if ((rc = opt_array(d, root, "certifications", "certifications", CM_CERTS_MAX, &arr, &n)))
        return rc;
    if (n) {
        if (!(c->certs = cm__arena_calloc(d->arena, n, sizeof *c->certs)))
            return nomem(d);
        size_t i = 0;
        for (const cJSON *e = arr->child; e; e = e->next, i++) {
            path_t p;
            snprintf(p, sizeof p, "certifications[%zu]", i);
            if ((rc = take_cert(d, e, p, &c->certs[i])))
                return rc;
        }
        c->n_certs = n;
    }

    if ((it = member(root, "experience_months")) &&
        (rc = take_int(d, it, "experience_months", 0, CM_EXPERIENCE_MAX, &c->experience_months)))
        return rc;

    if ((rc = opt_object(d, root, "mobility", "mobility", &obj)))
        return rc;
    if (obj) {
        if ((rc = opt_array(d, obj, "modes", "mobility.modes", 4 * 4, &arr, &n)))
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
                                        "bike, walk");
                c->modes |= (uint8_t)(1u << m);
            }
        }
        if ((it = member(obj, "max_minutes")) &&
            (rc = take_int(d, it, "mobility.max_minutes", 1, CM_MAX_MINUTES_MAX, &c->max_minutes)))
            return rc;
        if ((rc = opt_bool(d, obj, "driving_licence", "mobility.driving_licence",
                           &c->driving_licence)) ||
            (rc = opt_bool(d, obj, "vehicle", "mobility.vehicle", &c->vehicle)))
            return rc;
    }

    if ((rc = decode_windows(d, root, "availability", &c->availability, &c->n_availability)))
        return rc;

    if ((rc = opt_object(d, root, "childcare", "childcare", &obj)))
        return rc;
    if (obj) {
        c->has_childcare = true;
        if ((it = member(obj, "children_under_12")) &&
            (rc = take_int(d, it, "childcare.children_under_12", 0, CM_CHILDREN_MAX,
                           &c->children_under_12)))
            return rc;
        if ((rc = opt_bool(d, obj, "solo_parent", "childcare.solo_parent", &c->solo_parent)))
            return rc;
    }

    if ((rc = opt_array(d, root, "contracts", "contracts", 4 * CM_CONTRACT__COUNT, &arr, &n)))
        return rc;
    if (arr) {
        size_t i = 0;
        for (const cJSON *e = arr->child; e; e = e->next, i++) {
            path_t p;
            snprintf(p, sizeof p, "contracts[%zu]", i);
            if ((rc = take_enum(d, e, p, cm_contract_parse, contract_list, CM_CONTRACT__COUNT, &v)))
                return rc;
            c->contracts |= (uint8_t)(1u << v);
        }
    }

    if ((rc = opt_object(d, root, "hours_per_week", "hours_per_week", &obj)))
        return rc;
    if (obj) {
        const cJSON *mn = member(obj, "min"), *mx = member(obj, "max");
        c->hours_min = 0;
        c->hours_max = CM_HOURS_MAX; /* an open end means "up to the legal maximum" */
        if (mn && (rc = take_number(d, mn, "hours_per_week.min", 0, CM_HOURS_MAX, &c->hours_min)))
            return rc;
        if (mx && (rc = take_number(d, mx, "hours_per_week.max", 0, CM_HOURS_MAX, &c->hours_max)))
            return rc;
        if (c->hours_min > c->hours_max)
            return cm_error_set(d->err, CM_EINVAL, "hours_per_week.min",
                                "hours_per_week.min must not exceed hours_per_week.max");
    }

    if ((rc = opt_bool(d, root, "disability_recognised", "disability_recognised",
                       &c->disability_recognised)) ||
        (rc = opt_bool(d, root, "open_to_immersion", "open_to_immersion", &c->open_to_immersion)) ||
        (rc = opt_bool(d, root, "open_to_training", "open_to_training", &c->open_to_training)))
        return rc;
    if ((rc = opt_text(d, root, "summary", "summary", CM_TEXT_MAX, true, &c->summary)))
        return rc;
    if ((it = member(root, "status"))) {
        if ((rc = take_enum(d, it, "status", cm__candidate_status_parse, cand_status_list,
                            CM_CAND_STATUS__COUNT, &v)))
            return rc;
        c->status = (cm_candidate_status_t)v;
    }
    return 0;
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
    dec_t d = {.arena = c->arena_, .err = err};
    rc = decode_candidate(&d, root, path_id, c);
    cJSON_Delete(root);
    if (rc) {
        cm_candidate_free(c);
        return rc;
    }
    *out = c;
    return 0;
}

/* ======================================================================================
 * Encoding: a growable buffer; out-of-memory is sticky and checked once at the end.
 * ==================================================================================== */

typedef struct sb {
    char *p;
    size_t len, cap;
    bool oom;
} sb_t;

static void sb_putn(sb_t *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->cap - b->len <= n) {
        size_t cap = b->cap ? b->cap : 512;
        while (cap - b->len <= n) {
            if (cap > SIZE_MAX / 2) {
                b->oom = true;
                return;
            }
            cap *= 2;
        }
        char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void sb_puts(sb_t *b, const char *s)
{
    sb_putn(b, s, strlen(s));
}

static void sb_printf(sb_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sb_t *b, const char *fmt, ...)
{
    char tmp[64];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof tmp) {
        b->oom = true; /* only short numbers go through here */
        return;
    }
    sb_putn(b, tmp, (size_t)n);
}

static void sb_str(sb_t *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    sb_putn(b, "\"", 1);
    const char *run = s;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        sb_putn(b, run, (size_t)(s - run));
        run = s + 1;
        char esc[7] = {'\\', 0, 0, 0, 0, 0, 0};
        switch (c) {
        case '"':
            esc[1] = '"';
            break;
        case '\\':
            esc[1] = '\\';
            break;
        case '\n':
            esc[1] = 'n';
            break;
        case '\r':
            esc[1] = 'r';
            break;
        case '\t':
            esc[1] = 't';
            break;
        default:
            esc[1] = 'u';
            esc[2] = '0';
            esc[3] = '0';
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            break;
        }
        sb_puts(b, esc);
    }
    sb_putn(b, run, (size_t)(s - run));
    sb_putn(b, "\"", 1);
}

/* Object member separator and key; `first` tracks the comma. */
static void sb_key(sb_t *b, bool *first, const char *key)
{
    if (!*first)
        sb_putn(b, ",", 1);
    *first = false;
    sb_str(b, key);
    sb_putn(b, ":", 1);
}

static void sb_double(sb_t *b, double v)
{
    if (!isfinite(v)) {
        sb_puts(b, "null"); /* not produced by the decoders; keep the text valid JSON */
        return;
    }
    if (v == floor(v) && fabs(v) < 1e15) {
        sb_printf(b, "%.0f", v);
        return;
    }
    /* Shortest of 15 or 17 significant digits that reads back as the same double. */
    char tmp[40];
    snprintf(tmp, sizeof tmp, "%.15g", v);
    if (strtod(tmp, NULL) != v)
        snprintf(tmp, sizeof tmp, "%.17g", v);
    sb_puts(b, tmp);
}

/* Degrees x 1e6 printed exactly ("48.8589"), so that decoding gives the same integer. */
static void sb_coord(sb_t *b, int32_t e6)
{
    long long v = e6;
    bool neg = v < 0;
    unsigned long long a = (unsigned long long)(neg ? -v : v);
    char frac[8];
    snprintf(frac, sizeof frac, "%06llu", a % 1000000ull);
    int end = 6;
    while (end > 0 && frac[end - 1] == '0')
        end--;
    frac[end] = '\0';
    sb_printf(b, "%s%llu%s%s", neg ? "-" : "", a / 1000000ull, end ? "." : "", frac);
}

static void sb_bool(sb_t *b, bool *first, const char *key, bool v)
{
    sb_key(b, first, key);
    sb_puts(b, v ? "true" : "false");
}

static void sb_opt_str(sb_t *b, bool *first, const char *key, const char *v)
{
    if (!v)
        return;
    sb_key(b, first, key);
    sb_str(b, v);
}

static void sb_time(sb_t *b, unsigned min)
{
    sb_printf(b, "\"%02u:%02u\"", min / 60 % 24, min % 60);
}

static void sb_windows(sb_t *b, bool *first, const char *key, const cm_window_t *w, size_t n)
{
    if (!n)
        return;
    sb_key(b, first, key);
    sb_putn(b, "[", 1);
    for (size_t i = 0; i < n; i++) {
        sb_puts(b, i ? ",{\"days\":[" : "{\"days\":[");
        bool f = true;
        for (int dd = 0; dd < 7; dd++) {
            if (!(w[i].days & (1u << dd)))
                continue;
            if (!f)
                sb_putn(b, ",", 1);
            f = false;
            sb_str(b, cm__day_names[dd]);
        }
        sb_puts(b, "],\"from\":");
        sb_time(b, w[i].from_min);
        sb_puts(b, ",\"to\":");
        sb_time(b, w[i].to_min);
        sb_putn(b, "}", 1);
    }
    sb_putn(b, "]", 1);
}

static void sb_location(sb_t *b, bool *first, cm_geo_t loc, const char *city, const char *postcode)
{
    sb_key(b, first, "location");
    sb_puts(b, "{\"lat\":");
    sb_coord(b, loc.lat_e6);
    sb_puts(b, ",\"lon\":");
    sb_coord(b, loc.lon_e6);
    bool f = false;
    sb_opt_str(b, &f, "city", city);
    sb_opt_str(b, &f, "postcode", postcode);
    sb_putn(b, "}", 1);
}

static char *sb_finish(sb_t *b)
{
    if (b->oom) {
        free(b->p);
        return NULL;
    }
    return b->p;
}

char *cm_offer_to_json(const cm_offer_t *o, unsigned flags)
{
    (void)flags; /* offers have no sensitive fields */
    sb_t b = {0};
    bool first = true;
    sb_putn(&b, "{", 1);
    sb_key(&b, &first, "id");
    sb_str(&b, o->id);
    if (o->version) {
        sb_key(&b, &first, "version");
        sb_printf(&b, "%" PRIu64, o->version);
    }
    sb_opt_str(&b, &first, "title", o->title);
    sb_opt_str(&b, &first, "description", o->description);
    sb_key(&b, &first, "rome");
    sb_str(&b, o->rome);
    if (o->employer_name || o->employer_kind != CM_EMPLOYER_UNSET) {
        bool f = true;
        sb_key(&b, &first, "employer");
        sb_putn(&b, "{", 1);
        sb_opt_str(&b, &f, "name", o->employer_name);
        if (o->employer_kind != CM_EMPLOYER_UNSET) {
            sb_key(&b, &f, "kind");
            sb_str(&b, cm_employer_kind_name(o->employer_kind));
        }
        sb_putn(&b, "}", 1);
    }
    sb_location(&b, &first, o->loc, o->city, o->postcode);
    sb_key(&b, &first, "contract");
    sb_str(&b, cm_contract_name(o->contract));
    if (o->hours_per_week > 0) {
        sb_key(&b, &first, "hours_per_week");
        sb_double(&b, o->hours_per_week);
    }
    sb_windows(&b, &first, "schedule", o->schedule, o->n_schedule);
    if (o->n_skills) {
        sb_key(&b, &first, "skills");
        sb_putn(&b, "[", 1);
        for (size_t i = 0; i < o->n_skills; i++) {
            bool f = true;
            sb_puts(&b, i ? ",{" : "{");
            sb_opt_str(&b, &f, "label", o->skills[i].label ? o->skills[i].label : "");
            sb_bool(&b, &f, "required", o->skills[i].required);
            sb_putn(&b, "}", 1);
        }
        sb_putn(&b, "]", 1);
    }
    if (o->n_certs) {
        sb_key(&b, &first, "certifications");
        sb_putn(&b, "[", 1);
        for (size_t i = 0; i < o->n_certs; i++) {
            bool f = true;
            sb_puts(&b, i ? ",{" : "{");
            sb_opt_str(&b, &f, "code", o->certs[i].code ? o->certs[i].code : "");
            sb_bool(&b, &f, "required", o->certs[i].required);
            sb_putn(&b, "}", 1);
        }
        sb_putn(&b, "]", 1);
    }
    sb_bool(&b, &first, "driving_licence_required", o->driving_licence_required);
    sb_bool(&b, &first, "vehicle_provided", o->vehicle_provided);
    sb_bool(&b, &first, "accessible_to_disabled_workers", o->accessible_to_disabled_workers);
    sb_bool(&b, &first, "immersion_possible", o->immersion_possible);
    sb_bool(&b, &first, "pre_hire_training", o->pre_hire_training);
    if (o->salary_period > CM_SALARY_NONE && o->salary_period < CM_SALARY__COUNT) {
        sb_key(&b, &first, "salary");
        sb_puts(&b, "{\"min\":");
        sb_double(&b, o->salary_min);
        sb_puts(&b, ",\"max\":");
        sb_double(&b, o->salary_max);
        sb_puts(&b, ",\"period\":");
        sb_str(&b, cm__salary_period_names[o->salary_period]);
        sb_putn(&b, "}", 1);
    }
    if (o->published_days != CM_DATE_NONE) {
        char date[11];
        cm_date_format(o->published_days, date);
        if (date[0]) {
            sb_key(&b, &first, "published_at");
            sb_str(&b, date);
        }
    }
    sb_key(&b, &first, "status");
    sb_str(&b, cm_offer_status_name(o->status));
    sb_putn(&b, "}", 1);
    return sb_finish(&b);
}

char *cm_candidate_to_json(const cm_candidate_t *c, unsigned flags)
{
    bool sensitive = flags & CM_JSON_SENSITIVE;
    sb_t b = {0};
    bool first = true;
    sb_putn(&b, "{", 1);
    sb_key(&b, &first, "id");
    sb_str(&b, c->id);
    if (c->version) {
        sb_key(&b, &first, "version");
        sb_printf(&b, "%" PRIu64, c->version);
    }
    sb_location(&b, &first, c->loc, c->city, c->postcode);
    if (c->n_desired_rome) {
        sb_key(&b, &first, "desired_rome");
        sb_putn(&b, "[", 1);
        for (size_t i = 0; i < c->n_desired_rome; i++) {
            if (i)
                sb_putn(&b, ",", 1);
            sb_str(&b, c->desired_rome[i]);
        }
        sb_putn(&b, "]", 1);
    }
    if (c->n_skills) {
        sb_key(&b, &first, "skills");
        sb_putn(&b, "[", 1);
        for (size_t i = 0; i < c->n_skills; i++) {
            if (i)
                sb_putn(&b, ",", 1);
            sb_str(&b, c->skills[i] ? c->skills[i] : "");
        }
        sb_putn(&b, "]", 1);
    }
    if (c->n_certs) {
        sb_key(&b, &first, "certifications");
        sb_putn(&b, "[", 1);
        for (size_t i = 0; i < c->n_certs; i++) {
            if (i)
                sb_putn(&b, ",", 1);
            sb_str(&b, c->certs[i] ? c->certs[i] : "");
        }
        sb_putn(&b, "]", 1);
    }
    sb_key(&b, &first, "experience_months");
    sb_printf(&b, "%d", c->experience_months);

    sb_key(&b, &first, "mobility");
    sb_puts(&b, "{\"modes\":[");
    bool f = true;
    for (int m = 0; m < 4; m++) {
        if (!(c->modes & (1u << m)))
            continue;
        if (!f)
            sb_putn(&b, ",", 1);
        f = false;
        sb_str(&b, cm__mode_names[m]);
    }
    sb_printf(&b, "],\"max_minutes\":%d", c->max_minutes);
    f = false;
    sb_bool(&b, &f, "driving_licence", c->driving_licence);
    sb_bool(&b, &f, "vehicle", c->vehicle);
    sb_putn(&b, "}", 1);

    sb_windows(&b, &first, "availability", c->availability, c->n_availability);
    if (sensitive && c->has_childcare) {
        sb_key(&b, &first, "childcare");
        sb_printf(&b, "{\"children_under_12\":%d", c->children_under_12);
        f = false;
        sb_bool(&b, &f, "solo_parent", c->solo_parent);
        sb_putn(&b, "}", 1);
    }
    if (c->contracts) {
        sb_key(&b, &first, "contracts");
        sb_putn(&b, "[", 1);
        f = true;
        for (int k = 0; k < CM_CONTRACT__COUNT; k++) {
            if (!(c->contracts & (1u << k)))
                continue;
            if (!f)
                sb_putn(&b, ",", 1);
            f = false;
            sb_str(&b, cm_contract_name((cm_contract_t)k));
        }
        sb_putn(&b, "]", 1);
    }
    if (c->hours_min != 0 || c->hours_max != 0) {
        sb_key(&b, &first, "hours_per_week");
        sb_puts(&b, "{\"min\":");
        sb_double(&b, c->hours_min);
        sb_puts(&b, ",\"max\":");
        sb_double(&b, c->hours_max);
        sb_putn(&b, "}", 1);
    }
    if (sensitive)
        sb_bool(&b, &first, "disability_recognised", c->disability_recognised);
    sb_bool(&b, &first, "open_to_immersion", c->open_to_immersion);
    sb_bool(&b, &first, "open_to_training", c->open_to_training);
    sb_opt_str(&b, &first, "summary", c->summary);
    sb_key(&b, &first, "status");
    sb_str(&b, cm_candidate_status_name(c->status));
    sb_putn(&b, "}", 1);
    return sb_finish(&b);
}
