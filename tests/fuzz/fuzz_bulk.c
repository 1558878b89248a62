/* Fuzz target: the NDJSON bulk import of the server (handlers_records.c: line splitting, per-line
 * decoding, error list, batching), with storage replaced by a fake that accepts every record but
 * those whose id starts with 'z'. Input: one selector byte (bit 0: candidates), then the body.
 * The handler file is included so that its static line reader runs exactly as in carematchd. */
#include <cjson/cJSON.h>
#include <string.h>

#include "fuzz.h"

#include "fake_store.h"

#include "../../server/handlers_records.c"

/* Lines with something other than blanks, counted independently of the handler. */
static size_t count_records(const char *p, size_t n)
{
    size_t lines = 0;
    bool content = false;
    for (size_t i = 0; i < n; i++) {
        char ch = p[i];
        if (ch == '\n') {
            lines += content;
            content = false;
        } else if (ch != ' ' && ch != '\t' && !(ch == '\r' && (i + 1 == n || p[i + 1] == '\n'))) {
            content = true;
        }
    }
    return lines + content;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static srv_config_t cfg;
    srv_config_defaults(&cfg);
    cfg.bulk_batch = 3;      /* small, so that flushes happen mid-body */
    cfg.bulk_errors_max = 4; /* small, so that the list gets truncated */

    srv_req_t req;
    memset(&req, 0, sizeof req);
    req.cfg = &cfg;
    req.scope = SRV_SCOPE_ADMIN;
    req.body_len = size - 1;
    /* exact size, no terminating NUL: the reader must stay within body_len */
    req.body = malloc(req.body_len ? req.body_len : 1);
    FUZZ_CHECK(req.body != NULL);
    memcpy(req.body, data + 1, req.body_len);
    fake_batch_calls = 0;
    if (data[0] & 1)
        srv_h_bulk_candidates(&req);
    else
        srv_h_bulk_offers(&req);

    FUZZ_CHECK(req.resp.status == 200);
    FUZZ_CHECK(req.resp.body != NULL);
    cJSON *doc = cJSON_ParseWithLength(req.resp.body, req.resp.body_len);
    FUZZ_CHECK(doc != NULL);
    cJSON *acc = cJSON_GetObjectItemCaseSensitive(doc, "accepted");
    cJSON *rej = cJSON_GetObjectItemCaseSensitive(doc, "rejected");
    cJSON *errs = cJSON_GetObjectItemCaseSensitive(doc, "errors");
    FUZZ_CHECK(cJSON_IsNumber(acc) && cJSON_IsNumber(rej) && cJSON_IsArray(errs));
    /* every record line is answered for exactly once: accepted or rejected */
    size_t expected = count_records(req.body, req.body_len);
    FUZZ_CHECK((size_t)acc->valuedouble + (size_t)rej->valuedouble == expected);
    size_t n_errs = (size_t)cJSON_GetArraySize(errs);
    size_t want_errs = (size_t)rej->valuedouble;
    if (want_errs > (size_t)cfg.bulk_errors_max)
        want_errs = (size_t)cfg.bulk_errors_max;
    FUZZ_CHECK(n_errs == want_errs);
    cJSON *item;
    cJSON_ArrayForEach(item, errs)
    {
        cJSON *line = cJSON_GetObjectItemCaseSensitive(item, "line");
        cJSON *e = cJSON_GetObjectItemCaseSensitive(item, "error");
        FUZZ_CHECK(cJSON_IsNumber(line) && line->valuedouble >= 1);
        FUZZ_CHECK(cJSON_IsObject(e) &&
                   cJSON_IsString(cJSON_GetObjectItemCaseSensitive(e, "code")));
    }
    FUZZ_CHECK(fake_batch_calls <= (size_t)acc->valuedouble + (size_t)rej->valuedouble);
    cJSON_Delete(doc);
    free(req.body);
    free(req.resp.body);
    return 0;
}
