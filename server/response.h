/* What every answer gets beyond its handler's work (the policy of response.c): a request id,
 * CORS for the configured origins, gzip when the client takes it, the Date. */
#ifndef SRV_RESPONSE_H
#define SRV_RESPONSE_H

#include <stdbool.h>
#include <stddef.h>

#include "request.h"

/* Does an Accept-Encoding value take gzip (named, or "*", without q=0)? */
bool srv_accepts_gzip(const char *accept_encoding);
/* X-Request-Id from the client: kept when 1..64 characters of [A-Za-z0-9._:-], else
 * ignored (a new one is made). */
void srv_request_id_take(srv_req_t *req, const char *value);
/* A new id: 16 hex digits, unique in this process and unlikely to repeat across restarts. */
void srv_request_id_make(srv_req_t *req);
/* Headers of a CORS preflight answer (OPTIONS) when the Origin is allowed. */
void srv_cors_preflight(srv_req_t *req);
/* After the handler: CORS headers for an allowed Origin (portal-scope or keyless answers
 * only: an adviser's or admin's answer is never handed to a browser), then the body gzipped
 * when the client takes gzip and it is worth it (1 KiB or more of JSON or text). */
void srv_response_finish(srv_req_t *req);
/* "Date: Mon, 30 Nov 2026 08:14:22 GMT" (RFC 9110 IMF-fixdate, no CRLF) into out. */
void srv_http_date(char *out, size_t n);

#endif
