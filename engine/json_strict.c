/* JSON text as RFC 8259 reads it, for request bodies, records and the server's own files:
 * cJSON parses, and this refuses what cJSON alone would take and another reader would not
 * (a member twice in an object, a number outside the grammar, the escape \u0000). */
#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "carematch/record.h"
#include "record_internal.h"

static int key_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The first member name that appears twice in an object of v (cJSON keeps both, and readers
 * would take the first: another reader of the same text could take the other), or NULL.
 * Sorted names for a big object: a body of many members must not cost their square. */
static const char *duplicate_member(const cJSON *v, bool *oom)
{
    if (!cJSON_IsObject(v) && !cJSON_IsArray(v))
        return NULL;
    size_t n = 0;
    for (const cJSON *c = v->child; c; c = c->next) {
        const char *d = duplicate_member(c, oom);
        if (d || *oom)
            return d;
        n++;
    }
    if (!cJSON_IsObject(v) || n < 2)
        return NULL;
    if (n <= 16) {
        for (const cJSON *a = v->child; a; a = a->next)
            for (const cJSON *b = a->next; b; b = b->next)
                if (strcmp(a->string, b->string) == 0)
                    return a->string;
        return NULL;
    }
    const char *local[64]; /* a record's objects: no allocation on the import's path */
    const char **names = n <= 64 ? local : malloc(n * sizeof *names);
    if (!names) {
        *oom = true;
        return NULL;
    }
    size_t k = 0;
    for (const cJSON *c = v->child; c; c = c->next)
        names[k++] = c->string;
    qsort(names, n, sizeof *names, key_cmp);
    const char *d = NULL;
    for (size_t i = 1; i < n && !d; i++)
        if (strcmp(names[i - 1], names[i]) == 0)
            d = names[i];
    if (names != local)
        free(names);
    return d;
}

/* The length of the JSON number at s (RFC 8259 6: -? (0 | [1-9][0-9]*) (.[0-9]+)?
 * ([eE][+-]?[0-9]+)?, then a delimiter or the end), or 0 when it is not one. cJSON reads
 * "07", "-048.8" and "48." as numbers: another reader of the same text would refuse them. */
static size_t json_number(const char *s, size_t n)
{
    size_t i = 0;
#define DIGIT(k) ((k) < n && s[k] >= '0' && s[k] <= '9')
    if (i < n && s[i] == '-')
        i++;
    if (!DIGIT(i))
        return 0;
    if (s[i] == '0')
        i++;
    else
        while (DIGIT(i))
            i++;
    if (i < n && s[i] == '.') {
        if (!DIGIT(i + 1))
            return 0;
        for (i++; DIGIT(i); i++)
            ;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        if (!DIGIT(i))
            return 0;
        while (DIGIT(i))
            i++;
    }
#undef DIGIT
    return i == n || strchr(" \t\r\n,]}", s[i]) ? i : 0;
}

void cm__json_compose(cJSON *v)
{
    for (; v; v = v->next) {
        if (cJSON_IsString(v) && v->valuestring)
            cm_text_compose(v->valuestring, strlen(v->valuestring));
        else if (v->child)
            cm__json_compose(v->child);
    }
}

int cm_json_parse_strict(const char *json, size_t len, struct cJSON **out, cm_error *err)
{
    *out = NULL;
    /* A copy: the escape \u0000 (which cJSON would turn into an early end of string, silently
     * truncating the field) becomes \u0001, which the text checks then reject with the field's
     * name. A raw NUL byte is not JSON at all. */
    char *buf = malloc(len + 1);
    if (!buf)
        return cm_error_set(err, CM_ENOMEM, NULL, "out of memory");
    if (len)
        memcpy(buf, json, len);
    buf[len] = '\0';
    bool in_string = false;
    size_t values = 1, depth = 0, nul_at = SIZE_MAX; /* the string's first \u0000 */
    for (size_t i = 0; i < len; i++) {
        char c = buf[i];
        if (!in_string && (c == ',' || c == '[' || c == '{') && ++values > CM_JSON_VALUES_MAX) {
            /* each value is a cJSON node of some 64 bytes: "[[],[],...]" in 1 MiB would take
             * 30 MiB on each worker before any field was looked at */
            free(buf);
            return cm_error_set(err, CM_ETOOBIG, NULL,
                                "JSON with more than %d values (arrays, objects and their "
                                "members): no record or request needs that many",
                                CM_JSON_VALUES_MAX);
        }
        if (!in_string && (c == '[' || c == '{') && ++depth > CM_JSON_DEPTH_MAX) {
            free(buf);
            return cm_error_set(err, CM_EINVAL, NULL,
                                "invalid JSON: nested deeper than %d arrays and objects (at "
                                "byte %zu): no record or request needs that",
                                CM_JSON_DEPTH_MAX, i);
        }
        if (!in_string && (c == ']' || c == '}') && depth > 0)
            depth--;
        if (c == '\0') {
            free(buf);
            return cm_error_set(err, CM_EINVAL, NULL, "invalid JSON: a NUL byte at byte %zu", i);
        }
        if (!in_string && (c == '-' || (c >= '0' && c <= '9'))) {
            size_t k = json_number(buf + i, len - i);
            if (k == 0) {
                free(buf);
                return cm_error_set(err, CM_EINVAL, NULL,
                                    "invalid JSON: a malformed number at byte %zu", i);
            }
            i += k - 1;
        } else if (!in_string) {
            in_string = c == '"';
            nul_at = SIZE_MAX;
        } else if (c == '"') {
            in_string = false;
            /* \u0000 in a member's name: no field is named so, and the name cannot be echoed
             * as sent (it would read \u0001) */
            size_t k = i + 1;
            while (k < len && (buf[k] == ' ' || buf[k] == '\t' || buf[k] == '\n' || buf[k] == '\r'))
                k++;
            if (nul_at != SIZE_MAX && k < len && buf[k] == ':') {
                free(buf);
                return cm_error_set(err, CM_EINVAL, NULL,
                                    "invalid JSON: the escape \\u0000 in a member name at byte "
                                    "%zu: no field has that name",
                                    nul_at);
            }
        } else if ((unsigned char)c < 0x20) {
            /* RFC 8259 7: a tab or a line break inside a string is written \t, \n */
            free(buf);
            return cm_error_set(err, CM_EINVAL, NULL,
                                "invalid JSON: a raw control character (0x%02x) inside a string "
                                "at byte %zu: escape it (\\t, \\n, \\u00XX)",
                                (unsigned)(unsigned char)c, i);
        } else if (c == '\\' && i + 1 < len) {
            if (buf[i + 1] == 'u' && i + 5 < len && memcmp(buf + i + 2, "0000", 4) == 0) {
                buf[i + 5] = '1';
                if (nul_at == SIZE_MAX)
                    nul_at = i;
            }
            i++; /* the escaped character never ends the string */
        }
    }
    const char *end = NULL;
    /* Length len + 1 includes the NUL: cJSON's require_null_terminated looks for it within
     * the given length, which is also what refuses trailing garbage. */
    cJSON *r = cJSON_ParseWithLengthOpts(buf, len + 1, &end, 1);
    size_t at = r || !end || end < buf || end > buf + len ? 0 : (size_t)(end - buf);
    free(buf);
    if (!r)
        return cm_error_set(err, CM_EINVAL, NULL, "invalid JSON near byte %zu", at);
    bool oom = false;
    const char *dup = duplicate_member(r, &oom);
    if (dup || oom) {
        int rc = oom ? cm_error_set(err, CM_ENOMEM, NULL, "out of memory")
                     : cm_error_set(err, CM_EINVAL, NULL,
                                    "invalid JSON: the member \"%.64s\" appears twice in an object",
                                    dup);
        cJSON_Delete(r);
        return rc;
    }
    cm__json_compose(r);
    *out = r;
    return 0;
}
