/* The France Travail tests' harness: each offer mapped, its findings kept (every report line
 * checked as JSON), the mapped offer put through the engine's validator. */
#ifndef CAREMATCH_TEST_FT_HARNESS_H
#define CAREMATCH_TEST_FT_HARNESS_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carematch/francetravail.h"
#include "carematch/record.h"
#include "test.h"

#define FINDINGS_MAX 32

typedef struct finding {
    char code[40], field[64], value[256], id[16];
    cm_ft_level_t level;
} finding_t;

typedef struct mapped {
    int rc;
    char *json;
    finding_t f[FINDINGS_MAX];
    size_t n_f;
    cJSON *o;        /* parsed json */
    cm_offer_t *rec; /* validated record */
} mapped_t;

/* Every finding is kept, and its report line checked: one line of valid JSON. */
static inline void on_finding(void *arg, const cm_ft_finding_t *f)
{
    mapped_t *m = arg;
    ASSERT(f->code && f->detail);
    char *line = cm_ft_finding_to_json(f, "x.json", 1);
    ASSERT(line != NULL);
    ASSERT(strchr(line, '\n') == NULL);
    cJSON *j = cJSON_Parse(line);
    if (!j)
        CM_FAIL_("finding line is not JSON: %s", line);
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(j, "code");
    ASSERT(cJSON_IsString(code) && strcmp(code->valuestring, f->code) == 0);
    const cJSON *val = cJSON_GetObjectItemCaseSensitive(j, "value");
    if (f->value && strlen(f->value) < CM_FT_VALUE_MAX)
        ASSERT(cJSON_IsString(val) && strcmp(val->valuestring, f->value) == 0); /* whole */
    cJSON_Delete(j);
    cm_free(line);
    ASSERT(m->n_f < FINDINGS_MAX);
    finding_t *k = &m->f[m->n_f++];
    snprintf(k->code, sizeof k->code, "%s", f->code);
    snprintf(k->field, sizeof k->field, "%s", f->field ? f->field : "");
    snprintf(k->value, sizeof k->value, "%s", f->value ? f->value : "");
    snprintf(k->id, sizeof k->id, "%s", f->offer_id ? f->offer_id : "");
    k->level = f->level;
}

/* The first finding of `code`, or NULL. */
static inline const finding_t *find_code(const mapped_t *m, const char *code)
{
    for (size_t i = 0; i < m->n_f; i++)
        if (strcmp(m->f[i].code, code) == 0)
            return &m->f[i];
    return NULL;
}

/* The first finding of `code`, which must be there. */
static inline const finding_t *finding(const mapped_t *m, const char *code)
{
    const finding_t *f = find_code(m, code);
    if (!f)
        CM_FAIL_("no finding \"%s\"", code);
    return f;
}

static inline size_t rejects(const mapped_t *m)
{
    size_t n = 0;
    for (size_t i = 0; i < m->n_f; i++)
        n += m->f[i].level == CM_FT_REJECT;
    return n;
}

typedef struct batch {
    mapped_t m[16];
    size_t n;
} batch_t;

static inline int collect(void *arg, size_t index, const char *offer, size_t len)
{
    batch_t *b = arg;
    ASSERT_EQ(index, b->n);
    ASSERT(b->n < 16);
    mapped_t *m = &b->m[b->n++];
    memset(m, 0, sizeof *m);
    m->rc = cm_ft_offer_to_json(offer, len, &m->json, on_finding, m);
    if (m->rc == 0) {
        ASSERT(m->json != NULL);
        m->o = cJSON_Parse(m->json);
        ASSERT(m->o != NULL);
        cm_error err = {0};
        int rc = cm_offer_from_json(m->json, strlen(m->json), NULL, &m->rec, &err);
        if (rc != 0)
            CM_FAIL_("mapped offer refused by the validator: %s (%s): %s", err.message, err.field,
                     m->json);
        ASSERT_EQ(rejects(m), 0);
    } else {
        ASSERT(m->json == NULL);
        ASSERT_EQ(rejects(m), 1); /* a failure always says why, once */
    }
    return 0;
}

static inline void batch_free(batch_t *b)
{
    for (size_t i = 0; i < b->n; i++) {
        cm_free(b->m[i].json);
        cJSON_Delete(b->m[i].o);
        cm_offer_free(b->m[i].rec);
    }
    b->n = 0;
}

static inline char *fixture(const char *name, size_t *len)
{
    const char *src = getenv("CM_SOURCE_DIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/unit/francetravail/fixtures/%s", src ? src : ".", name);
    FILE *f = fopen(path, "rb");
    if (!f)
        CM_FAIL_("cannot open %s (set CM_SOURCE_DIR)", path);
    char *p = malloc(1 << 20);
    ASSERT(p != NULL);
    *len = fread(p, 1, (1 << 20) - 1, f);
    p[*len] = '\0';
    fclose(f);
    return p;
}

static inline const cJSON *at(const cJSON *o, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(o, key);
}

static inline const char *str_at(const cJSON *o, const char *key)
{
    const cJSON *it = at(o, key);
    return cJSON_IsString(it) ? it->valuestring : NULL;
}

static inline bool has_cert(const cm_offer_t *r, const char *code, bool required)
{
    for (size_t i = 0; i < r->n_certs; i++)
        if (strcmp(r->certs[i].code, code) == 0 && r->certs[i].required == required)
            return true;
    return false;
}

static inline int cert_group(const cm_offer_t *r, const char *code)
{
    for (size_t i = 0; i < r->n_certs; i++)
        if (strcmp(r->certs[i].code, code) == 0)
            return r->certs[i].group;
    return -1;
}

/* Maps text (n offers), each of which must be accepted. */
static inline void map_accepted(const char *text, size_t len, size_t n, batch_t *b)
{
    ASSERT_OK(cm_ft_each_offer(text, len, collect, b, NULL));
    ASSERT_EQ(b->n, n);
    for (size_t i = 0; i < n; i++)
        ASSERT_OK(b->m[i].rc);
}

/* One France Travail offer's JSON, mapped; it must be accepted. */
static inline void map_json(mapped_t *m, const char *json)
{
    batch_t *b = calloc(1, sizeof *b);
    ASSERT(b != NULL);
    ASSERT_OK(cm_ft_each_offer(json, strlen(json), collect, b, NULL));
    ASSERT_EQ(b->n, 1);
    if (b->m[0].rc != 0)
        CM_FAIL_("refused: %s", json);
    *m = b->m[0];
    free(b);
}

/* One offer of 2025 (ROME 4.0) in Paris 11e with the given description and extra members
 * (",\"k\":v" or ""), mapped; it must be accepted. */
static inline void map_one(mapped_t *m, const char *rome, const char *desc, const char *extra)
{
    char json[4096];
    snprintf(json, sizeof json,
             "{\"id\":\"R1\",\"intitule\":\"Poste H/F\",\"description\":\"%s\","
             "\"dateCreation\":\"2025-09-01T06:00:00.000Z\",\"romeCode\":\"%s\","
             "\"typeContrat\":\"CDI\"%s%s%s}",
             desc, rome,
             strstr(extra, "dureeTravail") ? "" : ",\"dureeTravailLibelle\":\"35H/semaine\"",
             strstr(extra, "lieuTravail") ? "" : ",\"lieuTravail\":{\"commune\":\"75111\"}", extra);
    map_json(m, json);
}

static inline void mapped_free(mapped_t *m)
{
    cm_free(m->json);
    cJSON_Delete(m->o);
    cm_offer_free(m->rec);
}

#endif
