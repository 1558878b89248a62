/* Fuzz target: the France Travail import (cm_ft_each_offer splitting a file, cm_ft_offer_to_json
 * mapping each offer). What the mapper produces must be JSON text that the offer decoder can
 * judge without crashing; what it refuses must come with exactly one reject finding; every
 * finding must make one line of valid JSON. */
#include <cjson/cJSON.h>
#include <string.h>

#include "carematch/francetravail.h"
#include "carematch/record.h"
#include "fuzz.h"

typedef struct seen {
    int rejects;
} seen_t;

static void on_finding(void *arg, const cm_ft_finding_t *f)
{
    seen_t *s = arg;
    FUZZ_CHECK(f->code != NULL && f->detail != NULL);
    s->rejects += f->level == CM_FT_REJECT;
    char *line = cm_ft_finding_to_json(f, "f.json", 1);
    FUZZ_CHECK(line != NULL);
    FUZZ_CHECK(strchr(line, '\n') == NULL);
    cJSON *doc = cJSON_Parse(line);
    FUZZ_CHECK(doc != NULL && cJSON_IsObject(doc));
    cJSON_Delete(doc);
    cm_free(line);
}

static void map_one(const char *json, size_t len)
{
    char *out = NULL;
    seen_t s = {0};
    int rc = cm_ft_offer_to_json(json, len, &out, on_finding, &s);
    if (rc != 0) {
        FUZZ_CHECK(rc == CM_EINVAL || rc == CM_ETOOBIG);
        FUZZ_CHECK(out == NULL);
        FUZZ_CHECK(s.rejects == 1);
        return;
    }
    FUZZ_CHECK(s.rejects == 0);
    FUZZ_CHECK(out != NULL);
    size_t n = strlen(out);
    cJSON *doc = cJSON_ParseWithLength(out, n);
    FUZZ_CHECK(doc != NULL && cJSON_IsObject(doc));
    cJSON_Delete(doc);
    cm_offer_t *o = NULL;
    cm_error err = {0};
    rc = cm_offer_from_json(out, n, NULL, &o, &err);
    FUZZ_CHECK(rc == 0 || rc == CM_EINVAL || rc == CM_EMISSING || rc == CM_ETOOBIG);
    /* the mapper builds id "ft-" + id: when the record decodes, the id must have survived */
    if (rc == 0)
        FUZZ_CHECK(strncmp(o->id, "ft-", 3) == 0);
    cm_offer_free(o);
    cm_free(out);
}

static int each(void *arg, size_t index, const char *offer_json, size_t offer_len)
{
    size_t *expected = arg;
    FUZZ_CHECK(index == *expected);
    (*expected)++;
    map_one(offer_json, offer_len);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    map_one(text, size);
    size_t next = 0;
    cm_error err = {0};
    int rc = cm_ft_each_offer(text, size, each, &next, &err);
    FUZZ_CHECK(rc == 0 || rc == CM_EINVAL || rc == CM_ETOOBIG);
    return 0;
}
