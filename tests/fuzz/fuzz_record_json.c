/* Fuzz target: the JSON record decoders (cm_offer_from_json, cm_candidate_from_json). Whatever
 * decodes must survive JSON and binary round trips unchanged. Input: one selector byte
 * (bit 0: candidate, bit 1: pass a path id), then the JSON text. */
#include <string.h>

#include "carematch/record.h"
#include "fuzz.h"
#include "record_eq.h"

/* make_seeds.py sets CM_FUZZ_EMIT_DIR to turn the JSON seeds into seeds of fuzz_record_binary
 * (selector byte + encoding), so that the binary corpus follows the codec's current format. */
static void emit(unsigned sel, const uint8_t *bin, size_t n)
{
    static unsigned seq;
    const char *dir = getenv("CM_FUZZ_EMIT_DIR");
    if (!dir || !*dir)
        return;
    char path[1024];
    snprintf(path, sizeof path, "%s/seed-%s-%03u", dir, sel & 1 ? "candidate" : "offer", seq++);
    FILE *f = fopen(path, "wb");
    FUZZ_CHECK(f != NULL);
    uint8_t b = (uint8_t)(sel & 1);
    FUZZ_CHECK(fwrite(&b, 1, 1, f) == 1 && fwrite(bin, 1, n, f) == n && fclose(f) == 0);
}

static void offer_round_trips(const cm_offer_t *o)
{
    char *text = cm_offer_to_json(o, 0);
    FUZZ_CHECK(text != NULL);
    cm_offer_t *again = NULL;
    cm_error err = {0};
    int rc = cm_offer_from_json(text, strlen(text), NULL, &again, &err);
    if (rc != 0)
        fprintf(stderr, "re-decode of %s: %s (%s)\n", text, err.message, err.field);
    FUZZ_CHECK(rc == 0);
    FUZZ_CHECK(cm_offer_equal(o, again));
    cm_offer_free(again);
    cm_free(text);

    uint8_t *bin = NULL, *bin2 = NULL;
    size_t n = 0, n2 = 0;
    FUZZ_CHECK(cm_offer_encode(o, &bin, &n) == 0);
    emit(0, bin, n);
    cm_offer_t *back = NULL;
    FUZZ_CHECK(cm_offer_decode(bin, n, &back) == 0);
    FUZZ_CHECK(cm_offer_equal(o, back));
    FUZZ_CHECK(cm_offer_encode(back, &bin2, &n2) == 0);
    FUZZ_CHECK(n == n2 && memcmp(bin, bin2, n) == 0);
    cm_offer_free(back);
    cm_free(bin);
    cm_free(bin2);
}

static void candidate_round_trips(const cm_candidate_t *c)
{
    char *text = cm_candidate_to_json(c, CM_JSON_SENSITIVE);
    FUZZ_CHECK(text != NULL);
    cm_candidate_t *again = NULL;
    cm_error err = {0};
    int rc = cm_candidate_from_json(text, strlen(text), NULL, &again, &err);
    if (rc != 0)
        fprintf(stderr, "re-decode of %s: %s (%s)\n", text, err.message, err.field);
    FUZZ_CHECK(rc == 0);
    FUZZ_CHECK(cm_candidate_equal(c, again));
    cm_candidate_free(again);
    cm_free(text);

    uint8_t *bin = NULL, *bin2 = NULL;
    size_t n = 0, n2 = 0;
    FUZZ_CHECK(cm_candidate_encode(c, &bin, &n) == 0);
    emit(1, bin, n);
    cm_candidate_t *back = NULL;
    FUZZ_CHECK(cm_candidate_decode(bin, n, &back) == 0);
    FUZZ_CHECK(cm_candidate_equal(c, back));
    FUZZ_CHECK(cm_candidate_encode(back, &bin2, &n2) == 0);
    FUZZ_CHECK(n == n2 && memcmp(bin, bin2, n) == 0);
    cm_candidate_free(back);
    cm_free(bin);
    cm_free(bin2);
}

/* A failure must say which error; a field path, when given, is a NUL-terminated string. */
static void check_error(int rc, const cm_error *err)
{
    FUZZ_CHECK(rc == CM_EINVAL || rc == CM_EMISSING || rc == CM_ETOOBIG);
    FUZZ_CHECK(memchr(err->field, '\0', sizeof err->field) != NULL);
    FUZZ_CHECK(memchr(err->message, '\0', sizeof err->message) != NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned sel = data[0];
    const char *json = (const char *)data + 1;
    size_t len = size - 1;
    const char *path_id = (sel & 2) ? "off-75011-0042" : NULL;
    cm_error err = {0};
    if (sel & 1) {
        cm_candidate_t *c = NULL;
        int rc = cm_candidate_from_json(json, len, path_id, &c, &err);
        if (rc == 0) {
            FUZZ_CHECK(cm_id_valid(c->id, strlen(c->id)));
            candidate_round_trips(c);
            cm_candidate_free(c);
        } else {
            FUZZ_CHECK(c == NULL);
            check_error(rc, &err);
        }
    } else {
        cm_offer_t *o = NULL;
        int rc = cm_offer_from_json(json, len, path_id, &o, &err);
        if (rc == 0) {
            FUZZ_CHECK(cm_id_valid(o->id, strlen(o->id)));
            FUZZ_CHECK(o->title && strlen(o->title) <= CM_TITLE_MAX);
            FUZZ_CHECK(!path_id || strcmp(o->id, path_id) == 0);
            offer_round_trips(o);
            cm_offer_free(o);
        } else {
            FUZZ_CHECK(o == NULL);
            check_error(rc, &err);
        }
    }
    return 0;
}
