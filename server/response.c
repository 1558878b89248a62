/* The response policy shared by every route (response.h): request ids, CORS, gzip, Date. */
#include "response.h"

#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "auth.h"
#include "json.h"

#define GZIP_MIN_BYTES 1024
#define CORS_ALLOW_HEADERS "Authorization, Content-Type, If-Match, If-None-Match, X-Request-Id"
#define CORS_EXPOSE_HEADERS "ETag, Location, Retry-After, X-Request-Id, X-Index-Lagging"
#define CORS_MAX_AGE 600

const char *srv_coding_next(const char *p, size_t *name, size_t *item)
{
    while (p && (*p == ' ' || *p == '\t' || *p == ','))
        p++;
    if (!p || !*p)
        return NULL;
    *item = strcspn(p, ",");
    *name = strcspn(p, ";, \t");
    return p;
}

bool srv_accepts_gzip(const char *v)
{
    /* gzip or * with q=0 means "not this one" */
    size_t n, name;
    for (const char *p = v; (p = srv_coding_next(p, &name, &n)) != NULL; p += n) {
        bool named = (name == 4 && strncasecmp(p, "gzip", 4) == 0) || (name == 1 && *p == '*');
        if (named) {
            const char *q = memchr(p, ';', n);
            bool zero = false;
            if (q) {
                q++;
                while (*q == ' ')
                    q++;
                if (strncasecmp(q, "q=", 2) == 0)
                    zero = strtod(q + 2, NULL) == 0;
            }
            return !zero;
        }
    }
    return false;
}

void srv_request_id_take(srv_req_t *req, const char *v)
{
    size_t n = strlen(v);
    if (n == 0 || n >= sizeof req->request_id)
        return;
    for (size_t i = 0; i < n; i++) {
        char c = v[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == ':' || c == '-'))
            return;
    }
    memcpy(req->request_id, v, n + 1);
}

void srv_request_id_make(srv_req_t *req)
{
    /* a per-process random base (time and pid mixed) plus a counter: unique here, and two
     * processes (restarts, several servers) are unlikely to share a prefix */
    static atomic_ullong counter;
    static unsigned long long base;
    if (!base) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        unsigned long long x = (unsigned long long)ts.tv_sec * 1000000007ull ^
                               (unsigned long long)ts.tv_nsec << 20 ^ (unsigned long long)getpid();
        x ^= x >> 33;
        x *= 0xff51afd7ed558ccdull;
        x ^= x >> 33;
        base = x | 1;
    }
    unsigned long long id = base + atomic_fetch_add(&counter, 1) * 0x9e3779b97f4a7c15ull;
    static const char hex[] = "0123456789abcdef";
    for (int i = 15; i >= 0; i--, id >>= 4)
        req->request_id[i] = hex[id & 15];
    req->request_id[16] = '\0';
}

/* Is the request's Origin among the configured ones? */
static bool origin_allowed(const srv_req_t *req)
{
    const char *list = req->cfg->cors_origins, *o = req->origin;
    if (!list || !o || !*o)
        return false;
    size_t on = strlen(o);
    for (const char *p = list; *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t n = strcspn(p, ", ");
        if ((n == 1 && *p == '*') || (n == on && strncmp(p, o, n) == 0))
            return true;
        p += n;
    }
    return false;
}

void srv_cors_preflight(srv_req_t *req)
{
    if (!origin_allowed(req))
        return;
    /* early_headers holds "Allow: ..."; the same methods are allowed cross-origin */
    const char *methods = strncmp(req->early_headers, "Allow: ", 7) == 0 ? req->early_headers + 7
                                                                         : "GET, POST, PUT, DELETE";
    srv_add_header(req, "Access-Control-Allow-Origin: %s", req->origin);
    srv_add_header(req, "Access-Control-Allow-Methods: %s", methods);
    srv_add_header(req, "Access-Control-Allow-Headers: " CORS_ALLOW_HEADERS);
    srv_add_header(req, "Access-Control-Max-Age: %d", CORS_MAX_AGE);
    srv_add_header(req, "Vary: Origin");
}

static bool compressible(const char *type)
{
    return type &&
           (strncmp(type, "application/json", 16) == 0 ||
            strncmp(type, "application/x-ndjson", 20) == 0 || strncmp(type, "text/", 5) == 0);
}

static void gzip_body(srv_req_t *req)
{
    srv_resp_t *r = &req->resp;
    z_stream z;
    memset(&z, 0, sizeof z);
    /* windowBits 15 + 16: a gzip wrapper; level 5: most of the gain for little CPU */
    if (deflateInit2(&z, 5, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return;
    uLong cap = deflateBound(&z, (uLong)r->body_len);
    unsigned char *out = malloc(cap);
    if (out) {
        z.next_in = (unsigned char *)r->body;
        z.avail_in = (uInt)r->body_len;
        z.next_out = out;
        z.avail_out = (uInt)cap;
        if (deflate(&z, Z_FINISH) == Z_STREAM_END && z.total_out < r->body_len) {
            free(r->body);
            r->body = (char *)out;
            r->body_len = z.total_out;
            srv_add_header(req, "Content-Encoding: gzip");
            out = NULL;
        }
        free(out);
    }
    deflateEnd(&z);
}

void srv_response_finish(srv_req_t *req)
{
    srv_resp_t *r = &req->resp;
    bool browser_ok = !req->key || req->key->scope == SRV_SCOPE_PORTAL;
    if (browser_ok && origin_allowed(req)) {
        srv_add_header(req, "Access-Control-Allow-Origin: %s", req->origin);
        srv_add_header(req, "Access-Control-Expose-Headers: " CORS_EXPOSE_HEADERS);
    }
    bool zip = r->status != 204 && r->status != 304 && compressible(r->content_type);
    bool cors = req->cfg->cors_origins != NULL;
    if (zip || cors) /* one Vary line: what a cache must key this answer on */
        srv_add_header(req, "Vary: %s%s%s", cors ? "Origin" : "", zip && cors ? ", " : "",
                       zip ? "Accept-Encoding" : "");
    if (zip && req->accept_gzip && r->body_len >= GZIP_MIN_BYTES && r->body_len < UINT32_MAX)
        gzip_body(req);
}

void srv_http_date(char *out, size_t n)
{
    /* formatted once a second at most: the loop thread asks on every answer */
    static time_t last;
    static char cached[40];
    time_t now = time(NULL);
    if (now != last) {
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(cached, sizeof cached, "Date: %a, %d %b %Y %H:%M:%S GMT", &tm);
        last = now;
    }
    snprintf(out, n, "%s", cached);
}

/* The head is assembled with copies, not snprintf: it is built on the loop for every answer. */
typedef struct head_buf {
    char *p;
    size_t len, cap;
    bool over;
} head_buf_t;

static void hb_put(head_buf_t *h, const char *s, size_t n)
{
    if (h->over || n >= h->cap - h->len) {
        h->over = true;
        return;
    }
    memcpy(h->p + h->len, s, n);
    h->len += n;
}

static void hb_str(head_buf_t *h, const char *s)
{
    hb_put(h, s, strlen(s));
}

static void hb_uint(head_buf_t *h, unsigned long long v)
{
    char d[24];
    size_t i = sizeof d;
    do
        d[--i] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    hb_put(h, d + i, sizeof d - i);
}

int srv_response_head(srv_req_t *req, bool close_after, char *head, size_t n, size_t *sent)
{
    srv_resp_t *r = &req->resp;
    bool no_body = r->status == 204 || r->status == 304;
    bool has_type = !no_body && r->content_type;
    size_t blen = no_body ? 0 : r->body_len;
    *sent = req->head ? 0 : blen; /* HEAD: the GET's headers, Content-Length included */
    char date[48];
    srv_http_date(date, sizeof date);
    if (!req->request_id[0]) /* refused before its head was complete */
        srv_request_id_make(req);
    head_buf_t h = {head, 0, n, n == 0};
    hb_str(&h, "HTTP/1.1 ");
    hb_uint(&h, (unsigned)(r->status < 0 ? 0 : r->status));
    hb_put(&h, " ", 1);
    hb_str(&h, srv_status_text(r->status));
    hb_put(&h, "\r\n", 2);
    hb_str(&h, date);
    hb_str(&h, "\r\nX-Request-Id: ");
    hb_str(&h, req->request_id);
    hb_put(&h, "\r\n", 2);
    if (has_type) {
        hb_str(&h, "Content-Type: ");
        hb_str(&h, r->content_type);
        hb_put(&h, "\r\n", 2);
    }
    if (close_after)
        hb_str(&h, "Connection: close\r\n");
    else if (req->http10)
        hb_str(&h, "Connection: keep-alive\r\n"); /* RFC 9112 9.3 */
    hb_put(&h, r->headers, r->headers_len);
    if (!no_body) { /* no Content-Length on 204 and 304 (RFC 9110 8.6) */
        hb_str(&h, "Content-Length: ");
        hb_uint(&h, blen);
        hb_put(&h, "\r\n", 2);
    }
    hb_put(&h, "\r\n", 2);
    if (h.over || h.len > INT_MAX)
        return -1;
    head[h.len] = '\0';
    return (int)h.len;
}
