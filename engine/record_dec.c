/* The JSON decoder's primitives: typed members with their JSON path in every error. */
#include "record_dec.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

int cm__dec_nomem(cm__dec_t *d)
{
    return cm_error_set(d->err, CM_ENOMEM, NULL, "out of memory");
}

/* A member of `obj`, or NULL when absent or JSON null (null means "not given"). */
const cJSON *cm__dec_member(const cJSON *obj, const char *key)
{
    if (!obj)
        return NULL;
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
    return it && !cJSON_IsNull(it) ? it : NULL;
}

int cm__dec_missing(cm__dec_t *d, const char *path)
{
    return cm_error_set(d->err, CM_EMISSING, path, "%s is required", path);
}

int cm__dec_wrong_type(cm__dec_t *d, const char *path, const char *what)
{
    return cm_error_set(d->err, CM_EINVAL, path, "%s must be %s", path, what);
}

/* Validate a JSON string's bytes and copy it into the arena. */
int cm__dec_text(cm__dec_t *d, const cJSON *it, const char *path, size_t max, bool multiline,
                 bool nonempty, const char **out)
{
    if (!cJSON_IsString(it) || !it->valuestring)
        return cm__dec_wrong_type(d, path, "a string");
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
    if (cm__text_c1(s, n))
        return cm_error_set(d->err, CM_EINVAL, path, "%s must not contain control characters",
                            path);
    char *copy = cm__arena_strndup(d->arena, s, n);
    if (!copy)
        return cm__dec_nomem(d);
    *out = copy;
    return 0;
}

/* Optional string member: *out stays NULL when absent, and when blank (an empty city or
 * description says nothing, and storing it would only make "absent" ambiguous). */
int cm__dec_opt_text(cm__dec_t *d, const cJSON *obj, const char *key, const char *path, size_t max,
                     bool multiline, const char **out)
{
    const cJSON *it = cm__dec_member(obj, key);
    if (!it)
        return 0;
    if (cJSON_IsString(it) && it->valuestring &&
        cm__text_blank(it->valuestring, strlen(it->valuestring)))
        return 0;
    return cm__dec_text(d, it, path, max, multiline, false, out);
}

int cm__dec_number(cm__dec_t *d, const cJSON *it, const char *path, double min, double max,
                   double *out)
{
    if (!cJSON_IsNumber(it))
        return cm__dec_wrong_type(d, path, "a number");
    double v = it->valuedouble;
    if (!(v >= min && v <= max)) /* also refuses NaN and infinities (1e999) */
        return cm_error_set(d->err, CM_EINVAL, path, "%s must be between %.10g and %.10g", path,
                            min, max);
    *out = v;
    return 0;
}

int cm__dec_int(cm__dec_t *d, const cJSON *it, const char *path, int min, int max, int *out)
{
    if (!cJSON_IsNumber(it))
        return cm__dec_wrong_type(d, path, "a number");
    double v = it->valuedouble;
    if (!(v >= min && v <= max) || v != floor(v))
        return cm_error_set(d->err, CM_EINVAL, path, "%s must be an integer between %d and %d",
                            path, min, max);
    *out = (int)v;
    return 0;
}

int cm__dec_opt_bool(cm__dec_t *d, const cJSON *obj, const char *key, const char *path, bool *out)
{
    const cJSON *it = cm__dec_member(obj, key);
    if (!it)
        return 0;
    if (!cJSON_IsBool(it))
        return cm__dec_wrong_type(d, path, "true or false");
    *out = cJSON_IsTrue(it);
    return 0;
}

int cm__dec_opt_object(cm__dec_t *d, const cJSON *obj, const char *key, const char *path,
                       const cJSON **out)
{
    const cJSON *it = cm__dec_member(obj, key);
    *out = NULL;
    if (!it)
        return 0;
    if (!cJSON_IsObject(it))
        return cm__dec_wrong_type(d, path, "an object");
    *out = it;
    return 0;
}

int cm__dec_opt_array(cm__dec_t *d, const cJSON *obj, const char *key, const char *path, size_t max,
                      const cJSON **out, size_t *n)
{
    const cJSON *it = cm__dec_member(obj, key);
    *out = NULL;
    *n = 0;
    if (!it)
        return 0;
    if (!cJSON_IsArray(it))
        return cm__dec_wrong_type(d, path, "an array");
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
void cm__dec_names_list(const char *const *names, int n, char *buf, size_t size)
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
