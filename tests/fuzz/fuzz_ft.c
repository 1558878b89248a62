/* Fuzz target: the France Travail import (cm_ft_each_offer splitting a file, cm_ft_offer_to_json
 * mapping each offer). What the mapper produces must be JSON text that the offer decoder can
 * judge without crashing; what it refuses must come with a reason. */
#include <cjson/cJSON.h>
#include <string.h>

#include "carematch/francetravail.h"
#include "carematch/record.h"
#include "fuzz.h"

static void map_one(const char *json, size_t len)
{
    char *out = NULL, *report = NULL;
    int rc = cm_ft_offer_to_json(json, len, &out, &report);
    if (rc != 0) {
        FUZZ_CHECK(rc == CM_EINVAL || rc == CM_ETOOBIG);
        FUZZ_CHECK(out == NULL);
        cm_free(report);
        return;
    }
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
    cm_free(report);
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
