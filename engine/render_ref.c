/* Job-title and commune suggestions as JSON (include/carematch/render.h): the one writer behind
 * GET /v1/suggest/jobs and /v1/suggest/communes and the CLI's `suggest`. */
#include "carematch/render.h"
#include "render_internal.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *match_name(cm_suggest_match_t m)
{
    switch (m) {
    case CM_SUGGEST_ACRONYM:
        return "acronym";
    case CM_SUGGEST_EXACT:
        return "exact";
    default:
        return "prefix";
    }
}

static double round6(double x)
{
    return round(x * 1e6) / 1e6;
}

int cm__json_finish(cJSON *root, bool ok, char **out, size_t *len)
{
    char *text = ok ? cJSON_PrintUnformatted(root) : NULL;
    cJSON_Delete(root);
    if (!text)
        return CM_ENOMEM;
    size_t n = strlen(text);
    *out = malloc(n + 1);
    if (*out)
        memcpy(*out, text, n + 1);
    cJSON_free(text);
    if (!*out)
        return CM_ENOMEM;
    if (len)
        *len = n;
    return 0;
}

/* {"suggestions":[...]} with a fresh object appended per item by `add`. */
typedef bool (*item_fn)(cJSON *o, const void *items, size_t i);

static int render(const void *items, size_t n, item_fn add, char **out, size_t *len)
{
    if (!out)
        return CM_EINVAL;
    *out = NULL;
    if (n && !items)
        return CM_EINVAL;
    cJSON *root = cJSON_CreateObject();
    cJSON *arr = root ? cJSON_AddArrayToObject(root, "suggestions") : NULL;
    bool ok = arr != NULL;
    for (size_t i = 0; ok && i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        ok = o && cJSON_AddItemToArray(arr, o);
        if (!ok)
            cJSON_Delete(o);
        else
            ok = add(o, items, i);
    }
    return cm__json_finish(root, ok, out, len);
}

static bool add_str(cJSON *o, const char *k, const char *v)
{
    return (v ? cJSON_AddStringToObject(o, k, v) : cJSON_AddNullToObject(o, k)) != NULL;
}

static bool job_item(cJSON *o, const void *items, size_t i)
{
    const cm_rome_suggestion_t *s = (const cm_rome_suggestion_t *)items + i;
    return add_str(o, "title", s->title.label) &&
           cJSON_AddNumberToObject(o, "ogr", (double)s->title.ogr) &&
           add_str(o, "rome", s->title.rome) && add_str(o, "rome_label", s->title.rome_label) &&
           add_str(o, "match", match_name(s->match));
}

static bool commune_item(cJSON *o, const void *items, size_t i)
{
    const cm_commune_t *c = (const cm_commune_t *)items + i;
    return add_str(o, "commune", c->insee) && add_str(o, "name", c->name) &&
           add_str(o, "postcode", c->postcode) && add_str(o, "department", c->dep) &&
           cJSON_AddNumberToObject(o, "lat", round6(c->lat)) &&
           cJSON_AddNumberToObject(o, "lon", round6(c->lon));
}

int cm_job_suggestions_to_json(const cm_rome_suggestion_t *s, size_t n, char **out, size_t *len)
{
    return render(s, n, job_item, out, len);
}

int cm_commune_suggestions_to_json(const cm_commune_t *c, size_t n, char **out, size_t *len)
{
    return render(c, n, commune_item, out, len);
}
