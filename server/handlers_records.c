/* Record endpoints: PUT/GET/DELETE of offers and candidates, and NDJSON bulk import. Run on the
 * libuv pool. */
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <llhttp.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "json.h"
#include "log.h"
#include "metrics.h"
#include "params.h"
#include "router.h"

/* Engine-owned text (free with cm_free) handed to the response (freed with free). */
static void reply_engine_text(srv_req_t *req, int status, char *text)
{
    if (!text) {
        srv_reply_error(req, 500, "internal", NULL, "out of memory");
        return;
    }
    size_t len = strlen(text);
    char *copy = malloc(len + 1);
    if (!copy) {
        cm_free(text);
        srv_reply_error(req, 500, "internal", NULL, "out of memory");
        return;
    }
    memcpy(copy, text, len + 1);
    cm_free(text);
    srv_reply_owned(req, status, "application/json", copy, len);
}

/* ?ack= of a write: "visible" (the default) answers once searches see the change
 * (read-your-writes); "durable" once it is stored (the LMDB commit) and in the catalog: GET,
 * matching and the catalog's searches see it at once, text search when the index has it, with
 * X-Index-Lagging until then. -1: a 400 was sent. */
static int ack_param(srv_req_t *req, bool *durable)
{
    const char *v = srv_query_get(req, "ack");
    *durable = v && strcmp(v, "durable") == 0;
    if (!v || *durable || strcmp(v, "visible") == 0)
        return 0;
    srv_reply_error(req, 400, "invalid_field", "ack", "ack must be visible or durable");
    return -1;
}

/* A durable answer for the change req->wait_seq: at once, unless the index is more than
 * durable_ack_max_lag changes behind it, in which case it waits (parked) until the index is
 * within that bound: a writer faster than the index is slowed to its pace, so the lag of
 * search stays bounded. */
static void ack_durably(srv_req_t *req)
{
    uint64_t seq = req->wait_seq, max = (uint64_t)req->cfg->durable_ack_max_lag;
    if (!seq)
        return;
    uint64_t floor = seq > max ? seq - max : 0;
    if (floor && cm_engine_visible(req->engine, floor) == 0) {
        req->wait_seq = floor; /* parked until then; the header judged on seq (parked.c) */
        req->ack_seq = seq;
        return;
    }
    req->wait_seq = 0;
    if (cm_engine_visible(req->engine, seq) != 1)
        srv_add_header(req, "X-Index-Lagging: true");
}

/* If-Match: "<version>" (quotes optional; a weak W/ tag matches nothing) or * (the record
 * must exist), or
 * If-None-Match: * (it must not) -> engine condition. */
static int put_condition(srv_req_t *req, uint64_t *if_version)
{
    *if_version = 0;
    if (req->if_none_match) {
        const char *v = req->if_none_match;
        while (*v == ' ')
            v++;
        if (strcmp(v, "*") != 0) {
            srv_reply_error(req, 400, "invalid_field", "If-None-Match",
                            "only If-None-Match: * is supported");
            return -1;
        }
        *if_version = CM_IF_ABSENT;
    }
    if (req->if_match) {
        const char *v = req->if_match;
        while (*v == ' ')
            v++;
        if (strcmp(v, "*") == 0 && !*if_version) {
            *if_version = CM_IF_PRESENT;
            return 0;
        }
        /* a weak tag never matches (RFC 9110 13.1.1: If-Match compares strongly; a probe saw
         * W/"1" replace version 1): parsed, then answered as a stale version */
        bool weak = strncmp(v, "W/", 2) == 0;
        if (weak)
            v += 2;
        char digits[24];
        size_t n = strlen(v);
        if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
            v++;
            n -= 2;
        }
        if (n == 0 || n >= sizeof digits || strspn(v, "0123456789") < n || *if_version) {
            srv_reply_error(req, 400, "invalid_field", "If-Match",
                            "If-Match must be a version like \"3\", or *");
            return -1;
        }
        memcpy(digits, v, n);
        digits[n] = '\0';
        *if_version = strtoull(digits, NULL, 10);
        /* entity tags compare as strings: "007" is no tag this server gives, and matches no
         * stored version (the answer of a stale one), though it reads as 7 */
        if (weak || (digits[0] == '0' && n > 1)) {
            *if_version = CM_IF_PRESENT - 1; /* a version no record reaches */
            return 0;
        }
        if (*if_version == 0 || *if_version >= CM_IF_PRESENT) {
            srv_reply_error(req, 400, "invalid_field", "If-Match", "If-Match version out of range");
            return -1;
        }
    }
    return 0;
}

static void reply_put_failure(srv_req_t *req, int rc, uint64_t if_version)
{
    if (rc == CM_EEXIST)
        srv_reply_error(req, 409, "conflict", NULL, "%s",
                        if_version == CM_IF_ABSENT    ? "the record already exists"
                        : if_version == CM_IF_PRESENT ? "no such record to replace (If-Match: *)"
                                                      : "the stored version differs from If-Match");
    else
        srv_reply_rc(req, rc, NULL, false);
}

static const char *body_of(srv_req_t *req)
{
    return req->body ? req->body : "";
}

/* A stored record: its JSON (engine text, consumed), ETag, Location when new, and whether the
 * search index has not caught up yet. */
static void reply_stored(srv_req_t *req, bool created, bool lagging, char *text, uint64_t version,
                         const char *collection, const char *id)
{
    reply_engine_text(req, created ? 201 : 200, text);
    srv_add_header(req, "ETag: \"%" PRIu64 "\"", version);
    if (created)
        srv_add_header(req, "Location: /v1/%s/%s", collection, id);
    if (lagging)
        srv_add_header(req, "X-Index-Lagging: true");
}

void srv_h_put_offer(srv_req_t *req)
{
    uint64_t ifv;
    bool durable;
    if (ack_param(req, &durable) != 0 || put_condition(req, &ifv) != 0)
        return;
    cm_offer_t *o = NULL;
    cm_error err = {0};
    int rc = cm_offer_from_json(body_of(req), req->body_len, req->id, &o, &err);
    if (rc != 0) {
        srv_reply_rc(req, rc, &err, true);
        return;
    }
    bool created = false, lagging = false;
    /* the answer waits for the index on the loop, not here (parked.c) */
    rc = cm_engine_put_offer_deferred(req->engine, o, ifv, &created, &lagging, &req->wait_seq);
    if (rc != 0)
        reply_put_failure(req, rc, ifv);
    else
        reply_stored(req, created, lagging, cm_offer_to_json(o, 0), o->version, "offers", o->id);
    if (durable)
        ack_durably(req);
    cm_offer_free(o);
}

void srv_h_put_candidate(srv_req_t *req)
{
    uint64_t ifv;
    bool durable; /* a candidate's answer never waits for the index: both acks are durable */
    if (ack_param(req, &durable) != 0 || put_condition(req, &ifv) != 0)
        return;
    cm_candidate_t *c = NULL;
    cm_error err = {0};
    int rc = cm_candidate_from_json(body_of(req), req->body_len, req->id, &c, &err);
    if (rc != 0) {
        srv_reply_rc(req, rc, &err, true);
        return;
    }
    bool created = false, lagging = false;
    rc = cm_engine_put_candidate_deferred(req->engine, c, ifv, &created, &lagging, &req->wait_seq);
    if (rc != 0)
        reply_put_failure(req, rc, ifv);
    else
        reply_stored(req, created, lagging, cm_candidate_to_json(c, CM_JSON_SENSITIVE),
                     c->version, "candidates", c->id);
    cm_candidate_free(c);
}

/* GET with If-None-Match naming the stored version ("3", W/"3", a list, or *): 304, no body
 * (RFC 9110 13.1.2, weak comparison). */
static bool not_modified(srv_req_t *req, uint64_t version)
{
    const char *v = req->if_none_match;
    if (!v)
        return false;
    char want[32];
    snprintf(want, sizeof want, "\"%" PRIu64 "\"", version);
    for (const char *p = v; *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        if (strncmp(p, "W/", 2) == 0)
            p += 2;
        size_t n = strcspn(p, ", ");
        if ((n == 1 && *p == '*') || (n == strlen(want) && strncmp(p, want, n) == 0)) {
            srv_reply_text(req, 304, NULL, "");
            srv_add_header(req, "ETag: %s", want);
            return true;
        }
        p += n;
    }
    return false;
}

void srv_h_get_offer(srv_req_t *req)
{
    cm_offer_t *o = NULL;
    int rc = cm_engine_get_offer(req->engine, req->id, &o);
    if (rc != 0) {
        srv_reply_rc(req, rc, NULL, false);
        return;
    }
    if (!not_modified(req, o->version)) {
        reply_engine_text(req, 200, cm_offer_to_json(o, 0));
        srv_add_header(req, "ETag: \"%" PRIu64 "\"", o->version);
    }
    cm_offer_free(o);
}

void srv_h_get_candidate(srv_req_t *req)
{
    cm_candidate_t *c = NULL;
    int rc = cm_engine_get_candidate(req->engine, req->id, &c);
    if (rc == 0) {
        const char *id = c->id;
        rc = srv_audit(req, "read", &id, 1);
    }
    if (rc != 0) {
        cm_candidate_free(c);
        srv_reply_rc(req, rc, NULL, false);
        return;
    }
    /* the route needs adviser or admin: both may see the sensitive fields */
    unsigned flags = req->scope >= SRV_SCOPE_ADVISER ? CM_JSON_SENSITIVE : 0;
    if (!not_modified(req, c->version)) {
        reply_engine_text(req, 200, cm_candidate_to_json(c, flags));
        srv_add_header(req, "ETag: \"%" PRIu64 "\"", c->version);
    }
    cm_candidate_free(c);
}

/* A delete, conditional on If-Match as a PUT is (a stale client must not erase a record it
 * has not seen); If-None-Match means nothing for a delete. */
static void delete_record(srv_req_t *req, bool offer)
{
    uint64_t if_version = 0;
    if (req->if_none_match) {
        srv_reply_error(req, 400, "invalid_field", "If-None-Match",
                        "If-None-Match does not apply to a delete (If-Match does)");
        return;
    }
    if (put_condition(req, &if_version) != 0)
        return;
    /* a candidate's erasure and the audit entry that says who erased her and when: one
     * transaction (a kill -9 between two had left her erased with no entry: a probe) */
    cm_audit_entry_t erased;
    if (!offer)
        srv_audit_entry(req, "erased", req->id, &erased);
    int rc = offer ? cm_engine_delete_offer(req->engine, req->id, if_version)
                   : cm_engine_delete_candidate_audited(req->engine, req->id, if_version, &erased);
    if (rc == CM_EEXIST) {
        srv_reply_error(req, 409, "conflict", NULL, "the stored version differs from If-Match");
        return;
    }
    if (rc != 0) {
        srv_reply_rc(req, rc, NULL, false);
        return;
    }
    /* The audit trail of who read her stays (accountability), with the erasure's entry. */
    if (!offer && cm_engine_erasure_pending(req->engine)) {
        /* no 204 while her bytes can still be read on disk (storage full: a probe) */
        srv_reply_error(req, 503, "unavailable", NULL,
                        "candidate erased from every read, but the disk pages that held her "
                        "could not be overwritten yet (storage full or I/O error): retried "
                        "every second and at a clean stop; free space, then check the log");
        return;
    }
    srv_reply_owned(req, 204, NULL, NULL, 0);
}

void srv_h_delete_offer(srv_req_t *req)
{
    delete_record(req, true);
}

void srv_h_delete_candidate(srv_req_t *req)
{
    delete_record(req, false);
}

/* ---- bulk ---- */

typedef struct bulk_kind {
    int (*decode)(const char *json, size_t len, void **out, cm_error *err);
    int (*put_many)(cm_engine_t *e, void **recs, size_t n, int *rcs, uint64_t *wait_seq);
    void (*release)(void *rec);
    bool indexed; /* a search index holds it (offers): the index writer bounds its import */
} bulk_kind_t;

static int offer_decode(const char *json, size_t len, void **out, cm_error *err)
{
    return cm_offer_from_json(json, len, NULL, (cm_offer_t **)out, err);
}
static int offer_put_many(cm_engine_t *e, void **recs, size_t n, int *rcs, uint64_t *wait_seq)
{
    return cm_engine_put_offers_deferred(e, (cm_offer_t **)recs, n, rcs, wait_seq);
}
static void offer_release(void *rec)
{
    cm_offer_free(rec);
}
static int cand_decode(const char *json, size_t len, void **out, cm_error *err)
{
    return cm_candidate_from_json(json, len, NULL, (cm_candidate_t **)out, err);
}
static int cand_put_many(cm_engine_t *e, void **recs, size_t n, int *rcs, uint64_t *wait_seq)
{
    return cm_engine_put_candidates_deferred(e, (cm_candidate_t **)recs, n, rcs, wait_seq);
}
static void cand_release(void *rec)
{
    cm_candidate_free(rec);
}

static const bulk_kind_t OFFERS = {offer_decode, offer_put_many, offer_release, true};
static const bulk_kind_t CANDIDATES = {cand_decode, cand_put_many, cand_release, false};

typedef struct bulk_state {
    srv_req_t *req;
    const bulk_kind_t *kind;
    void **recs;
    size_t *lines;
    int *rcs;
    size_t n, cap;
    uint64_t accepted, rejected;
    uint64_t wait_seq; /* the last stored batch's change: the answer waits for searches to see it */
    cJSON *errors;
    size_t n_errors;
    bool truncated;
    bool oom;
    int unavailable; /* a batch refused whole for a 503 reason (storage full): its code */
} bulk_state_t;

static void bulk_reject(bulk_state_t *b, size_t line, int rc, const cm_error *err)
{
    b->rejected++;
    if (b->n_errors >= (size_t)b->req->cfg->bulk_errors_max) {
        b->truncated = true;
        return;
    }
    cJSON *item = cJSON_CreateObject();
    cJSON *eo = srv_error_object(rc, err, NULL);
    if (!item || !eo || !cJSON_AddNumberToObject(item, "line", (double)line) ||
        !cJSON_AddItemToObject(item, "error", eo)) {
        cJSON_Delete(item);
        cJSON_Delete(eo);
        b->oom = true;
        return;
    }
    cJSON_AddItemToArray(b->errors, item);
    b->n_errors++;
}

static void bulk_flush(bulk_state_t *b)
{
    if (b->n == 0)
        return;
    /* no wait for the index here: it indexes this batch while the next one is parsed and
     * stored, and the answer waits (parked on the loop) for the last one */
    uint64_t seq = 0;
    int rc = b->kind->put_many(b->req->engine, b->recs, b->n, b->rcs, &seq);
    if (seq > b->wait_seq)
        b->wait_seq = seq;
    for (size_t i = 0; i < b->n; i++) {
        int r = rc != 0 ? rc : b->rcs[i];
        if (r == 0)
            b->accepted++;
        else
            bulk_reject(b, b->lines[i], r, NULL);
        if (r && srv_rc_status(r) == 503)
            b->unavailable = r;
        b->kind->release(b->recs[i]);
    }
    b->n = 0;
}

/* One non-blank line of a bulk body, decoded (rec, or rc: the message of an error the answer
 * lists is read again, in order). */
typedef struct bulk_line {
    const char *p;
    size_t len, line;
    void *rec;
    int rc;
} bulk_line_t;

typedef struct bulk_part {
    const bulk_kind_t *kind;
    bulk_line_t *lines;
    size_t n;
} bulk_part_t;

static void *decode_part(void *arg)
{
    bulk_part_t *d = arg;
    for (size_t i = 0; i < d->n; i++) {
        cm_error err = {0};
        d->lines[i].rec = NULL;
        d->lines[i].rc = d->kind->decode(d->lines[i].p, d->lines[i].len, &d->lines[i].rec, &err);
    }
    return NULL;
}

/* Decoding (JSON, validation) is about half a candidate's import: a batch of candidates' lines
 * is decoded on two threads when it is large enough to pay for starting one. Not offers:
 * their import is bound by the index writer, which a second thread only takes CPU from. */
#define DECODE_SPLIT_MIN 64
static void decode_lines(const bulk_kind_t *kind, bulk_line_t *lines, size_t n)
{
    size_t half = !kind->indexed && n >= DECODE_SPLIT_MIN ? n / 2 : 0;
    bulk_part_t second = {kind, lines + half, n - half};
    pthread_t t;
    bool split = half && pthread_create(&t, NULL, decode_part, &second) == 0;
    bulk_part_t first = {kind, lines, split ? half : n};
    decode_part(&first);
    if (split)
        pthread_join(t, NULL);
}

static void bulk(srv_req_t *req, const bulk_kind_t *kind)
{
    bool durable;
    if (ack_param(req, &durable) != 0)
        return;
    bulk_state_t b = {.req = req, .kind = kind};
    b.cap = (size_t)req->cfg->bulk_batch;
    b.recs = calloc(b.cap, sizeof *b.recs);
    b.lines = calloc(b.cap, sizeof *b.lines);
    b.rcs = calloc(b.cap, sizeof *b.rcs);
    bulk_line_t *batch = calloc(b.cap, sizeof *batch);
    b.errors = cJSON_CreateArray();
    if (!b.recs || !b.lines || !b.rcs || !batch || !b.errors) {
        srv_reply_error(req, 500, "internal", NULL, "out of memory");
        goto done;
    }
    const char *p = body_of(req), *end = p + req->body_len;
    size_t line = 0;
    while (p < end && !b.oom) {
        size_t n = 0; /* up to bulk_batch non-blank lines, then decoded together */
        while (p < end && n < b.cap) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            const char *le = nl ? nl : end;
            line++;
            size_t len = (size_t)(le - p);
            if (len && p[len - 1] == '\r')
                len--;
            size_t ws = 0;
            while (ws < len && (p[ws] == ' ' || p[ws] == '\t'))
                ws++;
            if (ws < len)
                batch[n++] = (bulk_line_t){.p = p, .len = len, .line = line};
            p = nl ? nl + 1 : end;
        }
        decode_lines(kind, batch, n);
        for (size_t i = 0; i < n; i++) {
            if (batch[i].rc != 0) {
                cm_error err = {0};
                if (b.n_errors < (size_t)req->cfg->bulk_errors_max) {
                    void *again = NULL; /* a listed error: its message, decoded again */
                    (void)kind->decode(batch[i].p, batch[i].len, &again, &err);
                    if (again)
                        kind->release(again);
                }
                bulk_reject(&b, batch[i].line, batch[i].rc, &err);
            } else {
                b.recs[b.n] = batch[i].rec;
                b.lines[b.n++] = batch[i].line;
            }
        }
        bulk_flush(&b);
    }
    srv_metrics_bulk(req->metrics, kind == &OFFERS, b.accepted, b.rejected);
    if (b.unavailable && b.accepted == 0) {
        /* nothing stored, and retrying later may store it (storage full, closing): the PUT's
         * 503 and Retry-After, not a 200 a client would not retry */
        srv_reply_rc(req, b.unavailable, NULL, true);
        goto done;
    }
    if (b.oom) {
        srv_reply_error(req, 500, "internal", NULL, "out of memory");
        goto done;
    }
    cJSON *root = cJSON_CreateObject();
    if (!root || !cJSON_AddNumberToObject(root, "accepted", (double)b.accepted) ||
        !cJSON_AddNumberToObject(root, "rejected", (double)b.rejected)) {
        cJSON_Delete(root);
        srv_reply_error(req, 500, "internal", NULL, "out of memory");
        goto done;
    }
    cJSON_AddItemToObject(root, "errors", b.errors);
    b.errors = NULL;
    if (b.truncated)
        cJSON_AddBoolToObject(root, "errors_truncated", true);
    srv_reply_json(req, 200, root);
    req->wait_seq = b.wait_seq;
    if (durable)
        ack_durably(req);
done:
    for (size_t i = 0; i < b.n; i++)
        kind->release(b.recs[i]);
    cJSON_Delete(b.errors);
    free(b.recs);
    free(b.lines);
    free(b.rcs);
    free(batch);
}

void srv_h_bulk_offers(srv_req_t *req)
{
    bulk(req, &OFFERS);
}

void srv_h_bulk_candidates(srv_req_t *req)
{
    bulk(req, &CANDIDATES);
}
