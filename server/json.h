/* Response helpers: JSON bodies, the contract's error shape, and engine code -> HTTP status.
 * All of them fill req->resp and may run on a pool thread. */
#ifndef SRV_JSON_H
#define SRV_JSON_H

#include <cjson/cJSON.h>

#include "request.h"

/* Body `doc` printed compactly; `doc` is consumed (deleted). Out of memory -> 500. */
void srv_reply_json(srv_req_t *req, int status, cJSON *doc);
/* Body taken over (malloc'd, freed by the request). */
void srv_reply_owned(srv_req_t *req, int status, const char *content_type, char *body, size_t len);
/* Copy of a static or borrowed text. */
void srv_reply_text(srv_req_t *req, int status, const char *content_type, const char *text);
/* {"error":{"code","message","field"?}}; field may be NULL or "". */
void srv_reply_error(srv_req_t *req, int status, const char *code, const char *field,
                     const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Map an engine/decoder failure to the contract. `body_context`: the fault is in a request
 * body (CM_EINVAL with a field -> 422, without -> 400 invalid_json) rather than the query
 * (-> 400 invalid_field). err may be NULL. */
void srv_reply_rc(srv_req_t *req, int rc, const cm_error *err, bool body_context);
/* The HTTP status an engine failure answers (a request body's context). */
int srv_rc_status(int rc);
/* Error object {"code","message","field"?} for an engine/decoder failure (bulk lines). */
cJSON *srv_error_object(int rc, const cm_error *err, int *status_out);
/* Parse req's body as strictly as a record is parsed (engine/record.c): one JSON object and
 * nothing after it but whitespace, no raw NUL byte. The escape \u0000, which cJSON would take
 * as the end of the string (silently cutting it), arrives as U+0001 so that the field's own
 * check refuses it, naming the field (422). Returns the root (cJSON_Delete it), or NULL after
 * answering 400 invalid_json (or 500 out of memory). */
cJSON *srv_json_body_object(srv_req_t *req);
/* Append one response header line (without CRLF). Silently dropped if the buffer is full. */
void srv_add_header(srv_req_t *req, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Reason phrase of a status. */
const char *srv_status_text(int status);
/* Round to one decimal (scores, distances). */
double srv_round1(double x);
/* "center": {"lat", "lon", "commune", "precision": "commune", "placed_by"}: where a search
 * centre given as a commune or postcode was put (the record echo's words). */
bool srv_json_add_center(cJSON *root, cm_geo_t center, const char *commune,
                         cm_loc_source_t placed_by);

#endif
