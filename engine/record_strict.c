/* Strict record input: every member of a record's JSON, at every level, must be a field the
 * record has (or one of its echo-only fields), so that a typo is an error naming it (with the
 * closest known name) instead of a silently ignored field. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "record_dec.h"
#include "record_internal.h"

/* Known members of one object, by its path; NULL-ended. "version" and the echo-only
 * location fields are accepted so that what the API returns can be sent back. */
static const char *const OFFER_ROOT[] = {"id",
                                         "version",
                                         "title",
                                         "description",
                                         "rome",
                                         "rome_version",
                                         "job_title",
                                         "employer",
                                         "location",
                                         "contract",
                                         "hours_per_week",
                                         "schedule",
                                         "skills",
                                         "certifications",
                                         "driving_licence_required",
                                         "vehicle_provided",
                                         "accessible_to_disabled_workers",
                                         "immersion_possible",
                                         "pre_hire_training",
                                         "salary",
                                         "published_at",
                                         "status",
                                         "work_pattern",
                                         "contract_duration_days",
                                         "experience",
                                         "vehicle_required",
                                         "physical_demands",
                                         NULL};
static const char *const CAND_ROOT[] = {"id",
                                        "version",
                                        "location",
                                        "rome_version",
                                        "desired_rome",
                                        "desired_job_titles",
                                        "skills",
                                        "certifications",
                                        "experience_months",
                                        "mobility",
                                        "availability",
                                        "childcare",
                                        "contracts",
                                        "hours_per_week",
                                        "disability_recognised",
                                        "open_to_immersion",
                                        "open_to_training",
                                        "summary",
                                        "status",
                                        "restrictions",
                                        "strict",
                                        NULL};
static const char *const LOCATION[] = {"lat",     "lon",       "city",      "postcode",
                                       "commune", "precision", "placed_by", NULL};
static const char *const EMPLOYER[] = {"name", "kind", NULL};
static const char *const SALARY[] = {"min", "max", "period", NULL};
static const char *const SKILL[] = {"label", "required", NULL};
static const char *const CERT[] = {"code", "required", "group", NULL};
static const char *const WINDOW[] = {"days", "from", "to", NULL};
static const char *const EXPERIENCE[] = {"level", "months", NULL};
static const char *const TITLE[] = {"ogr", "label", "rome", NULL};
static const char *const MOBILITY[] = {"modes", "max_minutes", "driving_licence", "vehicle", NULL};
static const char *const CHILDCARE[] = {"children_under_12", "solo_parent", NULL};
static const char *const HOURS[] = {"min", "max", NULL};

/* Where the nested objects are: a member of the root, and whether it is an array of objects. */
typedef struct nested {
    const char *key;
    const char *const *known;
    bool array;
} nested_t;

static const nested_t OFFER_NESTED[] = {
    {"location", LOCATION, false},     {"employer", EMPLOYER, false},  {"salary", SALARY, false},
    {"skills", SKILL, true},           {"certifications", CERT, true}, {"schedule", WINDOW, true},
    {"experience", EXPERIENCE, false}, {"job_title", TITLE, false},    {NULL, NULL, false}};
static const nested_t CAND_NESTED[] = {{"location", LOCATION, false},
                                       {"mobility", MOBILITY, false},
                                       {"childcare", CHILDCARE, false},
                                       {"hours_per_week", HOURS, false},
                                       {"availability", WINDOW, true},
                                       {"desired_job_titles", TITLE, true},
                                       {NULL, NULL, false}};

/* Edit distance of two short names (insertions, deletions, substitutions), capped at 9. */
static int distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 40 || lb > 40)
        return 9;
    int row[41];
    for (size_t j = 0; j <= lb; j++)
        row[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int diag = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int up = row[j];
            int best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb] > 9 ? 9 : row[lb];
}

const char *cm_suggest_name(const char *given, const char *const *names)
{
    const char *best = NULL;
    int best_d = 9;
    size_t n = strlen(given);
    for (size_t i = 0; names[i]; i++) {
        int d = distance(given, names[i]);
        /* a plural, a missing underscore, one or two typos; or one name inside the other
         * ("radius" for "radius_km") */
        size_t m = strlen(names[i]);
        bool inside = n >= 3 && m >= 3 && (strstr(names[i], given) || strstr(given, names[i]));
        if (inside && d > 2)
            d = 2;
        if (d < best_d) {
            best_d = d;
            best = names[i];
        }
    }
    size_t limit = n <= 4 ? 1 : n <= 8 ? 2 : 3;
    return best && (size_t)best_d <= limit ? best : NULL;
}

static int unknown(cm__dec_t *d, const char *path, const char *key, const char *const *known)
{
    const char *near = cm_suggest_name(key, known);
    if (near)
        return cm_error_set(d->err, CM_EINVAL, path, "unknown field %s (did you mean \"%s\"?)",
                            path, near);
    return cm_error_set(d->err, CM_EINVAL, path, "unknown field %s", path);
}

static int check_members(cm__dec_t *d, const cJSON *obj, const char *prefix,
                         const char *const *known)
{
    for (const cJSON *m = obj->child; m; m = m->next) {
        size_t i = 0;
        while (known[i] && strcmp(known[i], m->string) != 0)
            i++;
        if (!known[i]) {
            cm__path_t p;
            snprintf(p, sizeof p, "%s%s%.60s", prefix, prefix[0] ? "." : "", m->string);
            return unknown(d, p, m->string, known);
        }
    }
    return 0;
}

static int check_record(cm__dec_t *d, const cJSON *root, const char *const *known_root,
                        const nested_t *nested)
{
    int rc = check_members(d, root, "", known_root);
    /* "version" is taken back as the API returned it (an integer) and not read: anything else
     * is a mistake said, not ignored (the version to write against goes in If-Match) */
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "version");
    if (!rc && v && !cJSON_IsNull(v) &&
        !(cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble <= 18446744073709551615.0 &&
          floor(v->valuedouble) == v->valuedouble)) /* any uint64 the echo wrote */
        rc = cm_error_set(d->err, CM_EINVAL, "version",
                          "version, when sent back, is the integer the API returned (it is not "
                          "read: write against a version with If-Match)");
    for (const nested_t *n = nested; !rc && n->key; n++) {
        const cJSON *it = cJSON_GetObjectItemCaseSensitive(root, n->key);
        if (!n->array) {
            if (cJSON_IsObject(it))
                rc = check_members(d, it, n->key, n->known);
            continue;
        }
        size_t i = 0;
        for (const cJSON *e = cJSON_IsArray(it) ? it->child : NULL; e && !rc; e = e->next, i++) {
            if (!cJSON_IsObject(e))
                continue; /* the field's own decoder names what is wrong with it */
            cm__path_t p;
            snprintf(p, sizeof p, "%s[%zu]", n->key, i);
            rc = check_members(d, e, p, n->known);
        }
    }
    return rc;
}

int cm__dec_check_offer_fields(struct cm__dec *d, const cJSON *root)
{
    return check_record(d, root, OFFER_ROOT, OFFER_NESTED);
}

int cm__dec_check_candidate_fields(struct cm__dec *d, const cJSON *root)
{
    return check_record(d, root, CAND_ROOT, CAND_NESTED);
}
