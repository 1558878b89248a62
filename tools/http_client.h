/* A tiny HTTP/1.1 client over POSIX sockets for the carematch CLI: one keep-alive connection,
 * requests with a body, answers framed by Content-Length, chunked encoding or connection close.
 *
 * Conventions:
 * - http:// only: no TLS (put a TLS-terminating proxy in front, or reach the server over
 *   loopback / a private network). An https:// URL is refused with CM_EINVAL.
 * - Functions that can fail return 0 or a negative CM_E* code (carematch/error.h); the handle's
 *   last error text (httpc_error) says what went wrong for a person.
 * - A request on a kept-alive connection that the server closed in the meantime is sent again
 *   once on a new connection (only when nothing of the answer was read).
 * - Not thread-safe: one handle per thread. SIGPIPE is never raised (MSG_NOSIGNAL).
 */
#ifndef CAREMATCH_HTTP_CLIENT_H
#define CAREMATCH_HTTP_CLIENT_H

#include <stddef.h>

typedef struct httpc httpc_t;

typedef struct httpc_response {
    int status;             /* 200, 404... */
    char *body;             /* NUL-terminated (the NUL not counted in len); owned by the caller:
                             * free with httpc_response_free */
    size_t len;
    char content_type[128]; /* the Content-Type header, "" when absent */
    int retry_after;        /* seconds from a Retry-After header, -1 when absent */
} httpc_response_t;

/* Parse url (http://host[:port][/base-path], IPv6 as [::1]) and prepare a handle; connects
 * lazily on the first request. key (may be NULL) is sent as "Authorization: Bearer KEY".
 * timeout_s bounds the connection set-up and each wait for the server (0: 300 s).
 * *out owned by the caller; free with httpc_close.
 * Errors: CM_EINVAL (malformed URL, https://, key with a line break; message in *errtext, a
 * static string), CM_ENOMEM. */
int httpc_open(const char *url, const char *key, int timeout_s, httpc_t **out,
               const char **errtext);

/* Close the connection and free the handle. NULL is fine. */
void httpc_close(httpc_t *h);

/* Send one request and read its answer. path starts with '/' and is appended to the URL's base
 * path; it must already be percent-encoded. content_type may be NULL when there is no body.
 * On success *resp holds the answer, whatever its status (a 404 is a success here).
 * Errors: CM_EIO (cannot resolve, connect, send or read; the connection closed mid-answer),
 * CM_ETIMEDOUT (the server did not answer within the timeout), CM_ECORRUPT (not HTTP/1.x, bad
 * framing), CM_ETOOBIG (header over 64 KiB or body over 1 GiB), CM_ENOMEM. On error *resp is
 * zeroed and the connection closed. */
int httpc_request(httpc_t *h, const char *method, const char *path, const char *content_type,
                  const char *body, size_t body_len, httpc_response_t *resp);

/* What the last failed call did, for a person ("connect 127.0.0.1:8080: Connection refused").
 * Borrowed; valid until the next call on h. */
const char *httpc_error(const httpc_t *h);

/* "host:port" of the URL, for messages. Borrowed; valid until httpc_close. */
const char *httpc_authority(const httpc_t *h);

void httpc_response_free(httpc_response_t *r);

/* Append s to buf (size cap, NUL-terminated) percent-encoding every byte but the unreserved
 * ones (A-Z a-z 0-9 - . _ ~). Returns 0, or CM_ETOOBIG when it does not fit (buf unchanged). */
int httpc_escape(char *buf, size_t cap, const char *s);

#endif
