/* What every answer gets beyond its handler's work (the policy of response.c): a request id,
 * CORS for the configured origins, gzip when the client takes it, the Date. */
#ifndef SRV_RESPONSE_H
#define SRV_RESPONSE_H

#include <stdbool.h>
#include <stddef.h>

#include "request.h"

/* Does an Accept-Encoding value take gzip (named, or "*", without q=0)? */
bool srv_accepts_gzip(const char *accept_encoding);
/* The next item of a header's list of codings ("gzip;q=0.5, identity") at or after p: its
 * start, *name the coding's length, *item the whole item's (parameters included); NULL at
 * the end. The next call starts at start + *item. */
const char *srv_coding_next(const char *p, size_t *name, size_t *item);
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
/* The status line and headers of req's answer into head[n] (Date, X-Request-Id, the type,
 * the handler's headers, Content-Length except on 204/304, Connection: close when asked), and
 * in *sent how many body bytes follow (none for HEAD). Returns the length, or -1 when it does
 * not fit. */
int srv_response_head(srv_req_t *req, bool close_after, char *head, size_t n, size_t *sent);
/* "Date: Mon, 30 Nov 2026 08:14:22 GMT" (RFC 9110 IMF-fixdate, no CRLF) into out. */
void srv_http_date(char *out, size_t n);

#endif
