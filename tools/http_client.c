/* The CLI's HTTP/1.1 client (http_client.h): blocking POSIX sockets, one kept-alive connection,
 * Content-Length, chunked and close-delimited answers. No TLS, no redirects, no compression. */
#include "http_client.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "carematch/error.h"

#define HEAD_MAX (64 * 1024)
#define BODY_MAX ((size_t)1 << 30)
#define DEFAULT_TIMEOUT_S 300

struct httpc {
    char host[256];
    char port[8];
    char authority[280]; /* host:port as written in the URL, for Host: and messages */
    char base[512];      /* path prefix without a trailing '/' ("" for none) */
    char *auth;          /* "Authorization: Bearer KEY\r\n" or NULL */
    int timeout_ms;
    int fd;             /* -1 when not connected */
    unsigned served;    /* answers read on this connection */
    char *buf;          /* bytes received, not yet consumed */
    size_t len, off, cap;
    unsigned long long rx; /* bytes received on this handle, to tell "nothing came" */
    char err[256];
};

static void seterr(httpc_t *h, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(h->err, sizeof h->err, fmt, ap);
    va_end(ap);
}

int httpc_open(const char *url, const char *key, int timeout_s, httpc_t **out,
               const char **errtext)
{
    static const char *none = "";
    const char *dummy;
    if (!errtext)
        errtext = &dummy;
    *errtext = none;
    *out = NULL;
    if (!url || strncasecmp(url, "http://", 7) != 0) {
        *errtext = url && strncasecmp(url, "https://", 8) == 0
                       ? "https is not supported: use http:// (loopback, a private network, "
                         "or a local TLS-terminating proxy)"
                       : "the URL must start with http://";
        return CM_EINVAL;
    }
    if (key && strpbrk(key, "\r\n")) {
        *errtext = "the API key contains a line break";
        return CM_EINVAL;
    }
    httpc_t *h = calloc(1, sizeof *h);
    if (!h)
        return CM_ENOMEM;
    h->fd = -1;
    h->timeout_ms = (timeout_s > 0 ? timeout_s : DEFAULT_TIMEOUT_S) * 1000;
    const char *p = url + 7, *slash = strchr(p, '/');
    size_t alen = slash ? (size_t)(slash - p) : strlen(p);
    if (alen == 0 || alen >= sizeof h->authority || strchr(p, '?') || strchr(p, '#') ||
        memchr(p, '@', alen)) {
        *errtext = "the URL must be http://host[:port][/path] (no user, query or fragment)";
        goto bad;
    }
    memcpy(h->authority, p, alen);
    const char *hs = h->authority, *he, *colon;
    if (*hs == '[') { /* IPv6 literal */
        he = strchr(hs, ']');
        if (!he) {
            *errtext = "unclosed [ in the URL's host";
            goto bad;
        }
        colon = he[1] == ':' ? he + 1 : NULL;
        if (he[1] && !colon) {
            *errtext = "junk after ] in the URL's host";
            goto bad;
        }
        hs++;
    } else {
        colon = strrchr(hs, ':');
        he = colon ? colon : hs + alen;
    }
    if (he == hs || (size_t)(he - hs) >= sizeof h->host) {
        *errtext = "the URL has no host";
        goto bad;
    }
    memcpy(h->host, hs, (size_t)(he - hs));
    const char *port = colon ? colon + 1 : "80";
    size_t plen = strlen(port);
    if (plen == 0 || plen >= sizeof h->port || strspn(port, "0123456789") != plen ||
        atoi(port) < 1 || atoi(port) > 65535) {
        *errtext = "the URL's port must be 1 to 65535";
        goto bad;
    }
    memcpy(h->port, port, plen + 1);
    if (slash) {
        size_t blen = strlen(slash);
        while (blen && slash[blen - 1] == '/')
            blen--;
        if (blen >= sizeof h->base) {
            *errtext = "the URL's path is too long";
            goto bad;
        }
        memcpy(h->base, slash, blen);
    }
    if (key && *key) {
        size_t n = strlen(key) + 40;
        if (!(h->auth = malloc(n))) {
            httpc_close(h);
            return CM_ENOMEM;
        }
        snprintf(h->auth, n, "Authorization: Bearer %s\r\n", key);
    }
    *out = h;
    return 0;
bad:
    httpc_close(h);
    return CM_EINVAL;
}

static void disconnect(httpc_t *h)
{
    if (h->fd >= 0)
        close(h->fd);
    h->fd = -1;
    h->served = 0;
    h->len = h->off = 0;
}

void httpc_close(httpc_t *h)
{
    if (!h)
        return;
    disconnect(h);
    if (h->auth) {
        /* the key stays in memory no longer than needed */
        memset(h->auth, 0, strlen(h->auth));
        free(h->auth);
    }
    free(h->buf);
    free(h);
}

const char *httpc_error(const httpc_t *h)
{
    return h->err;
}

const char *httpc_authority(const httpc_t *h)
{
    return h->authority;
}

void httpc_response_free(httpc_response_t *r)
{
    if (!r)
        return;
    free(r->body);
    memset(r, 0, sizeof *r);
}

/* Wait until fd is ready for `events`, within the handle's timeout. */
static int wait_fd(httpc_t *h, int fd, short events)
{
    struct pollfd p = {.fd = fd, .events = events};
    for (;;) {
        int n = poll(&p, 1, h->timeout_ms);
        if (n > 0)
            return 0;
        if (n == 0)
            return CM_ETIMEDOUT;
        if (errno != EINTR)
            return CM_EIO;
    }
}

static int connect_to(httpc_t *h)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *ai, *a;
    int g = getaddrinfo(h->host, h->port, &hints, &ai);
    if (g) {
        seterr(h, "cannot resolve %s: %s", h->host, gai_strerror(g));
        return CM_EIO;
    }
    int rc = CM_EIO, saved = 0;
    for (a = ai; a; a = a->ai_next) {
        int fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0) {
            saved = errno;
            continue;
        }
        /* non-blocking connect so that an unreachable host fails within the timeout */
        int fl = fcntl(fd, F_GETFL);
        fcntl(fd, F_SETFL, fl | O_NONBLOCK);
        int c = connect(fd, a->ai_addr, a->ai_addrlen);
        if (c < 0 && errno == EINPROGRESS) {
            int w = wait_fd(h, fd, POLLOUT);
            socklen_t sl = sizeof saved;
            if (w == CM_ETIMEDOUT) {
                saved = ETIMEDOUT;
                c = -1;
            } else if (w || getsockopt(fd, SOL_SOCKET, SO_ERROR, &saved, &sl) < 0 || saved) {
                c = -1;
            } else {
                c = 0;
            }
        } else if (c < 0) {
            saved = errno;
        }
        if (c == 0) {
            fcntl(fd, F_SETFL, fl);
            int one = 1;
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            h->fd = fd;
            rc = 0;
            break;
        }
        close(fd);
    }
    freeaddrinfo(ai);
    if (rc)
        seterr(h, "cannot connect to %s: %s", h->authority,
               saved ? strerror(saved) : "no address");
    if (rc && saved == ETIMEDOUT)
        rc = CM_ETIMEDOUT;
    return rc;
}

static int send_all(httpc_t *h, const char *p, size_t n)
{
    while (n) {
        int w = wait_fd(h, h->fd, POLLOUT);
        if (w)
            return w;
        ssize_t k = send(h->fd, p, n, MSG_NOSIGNAL);
        if (k < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            seterr(h, "send to %s: %s", h->authority, strerror(errno));
            return CM_EIO;
        }
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

/* Read more bytes into the buffer. Returns >0 bytes read, 0 at end of stream, <0 error. */
static long fill(httpc_t *h)
{
    if (h->off && h->off == h->len)
        h->off = h->len = 0;
    if (h->len == h->cap) {
        if (h->off) { /* slide what is left to the front */
            memmove(h->buf, h->buf + h->off, h->len - h->off);
            h->len -= h->off;
            h->off = 0;
        } else {
            size_t ncap = h->cap ? h->cap * 2 : 16384;
            char *nb = realloc(h->buf, ncap);
            if (!nb)
                return CM_ENOMEM;
            h->buf = nb;
            h->cap = ncap;
        }
    }
    for (;;) {
        int w = wait_fd(h, h->fd, POLLIN);
        if (w) {
            if (w == CM_ETIMEDOUT)
                seterr(h, "%s did not answer within %d s", h->authority, h->timeout_ms / 1000);
            else
                seterr(h, "read from %s: %s", h->authority, strerror(errno));
            return w;
        }
        ssize_t k = recv(h->fd, h->buf + h->len, h->cap - h->len, 0);
        if (k < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (k < 0) {
            seterr(h, "read from %s: %s", h->authority, strerror(errno));
            return errno == ECONNRESET ? 0 : CM_EIO;
        }
        h->len += (size_t)k;
        h->rx += (unsigned long long)k;
        return (long)k;
    }
}

/* Find "\r\n" (or a bare "\n") from the read offset; returns the line length or -1. */
static long find_line(httpc_t *h)
{
    if (h->off == h->len) /* also before the buffer exists */
        return -1;
    char *s = h->buf + h->off, *nl = memchr(s, '\n', h->len - h->off);
    return nl ? (long)(nl - s) : -1;
}

typedef struct body {
    char *p;
    size_t len, cap;
} body_t;

static int body_add(body_t *b, const char *p, size_t n)
{
    if (b->len + n + 1 > BODY_MAX)
        return CM_ETOOBIG;
    if (b->len + n + 1 > b->cap) {
        size_t ncap = b->cap ? b->cap : 4096;
        while (ncap < b->len + n + 1)
            ncap *= 2;
        char *nb = realloc(b->p, ncap);
        if (!nb)
            return CM_ENOMEM;
        b->p = nb;
        b->cap = ncap;
    }
    memcpy(b->p + b->len, p, n);
    b->len += n;
    b->p[b->len] = 0;
    return 0;
}

/* Move exactly n bytes of the stream into b. */
static int take(httpc_t *h, body_t *b, size_t n)
{
    while (n) {
        if (h->off == h->len) {
            long k = fill(h);
            if (k <= 0) {
                if (k == 0)
                    seterr(h, "%s closed the connection mid-answer", h->authority);
                return k == 0 ? CM_EIO : (int)k;
            }
        }
        size_t avail = h->len - h->off, m = avail < n ? avail : n;
        int rc = b ? body_add(b, h->buf + h->off, m) : 0;
        if (rc)
            return rc;
        h->off += m;
        n -= m;
    }
    return 0;
}

/* Next line (without its CRLF) into line[cap]; reads more as needed. */
static int read_line(httpc_t *h, char *line, size_t cap)
{
    long n;
    while ((n = find_line(h)) < 0) {
        if (h->len - h->off > HEAD_MAX)
            return CM_ETOOBIG;
        long k = fill(h);
        if (k <= 0) {
            if (k == 0)
                seterr(h, "%s closed the connection mid-answer", h->authority);
            return k == 0 ? CM_EIO : (int)k;
        }
    }
    size_t l = (size_t)n;
    const char *s = h->buf + h->off;
    h->off += l + 1;
    if (l && s[l - 1] == '\r')
        l--;
    if (l >= cap)
        return CM_ETOOBIG;
    memcpy(line, s, l);
    line[l] = 0;
    return 0;
}

static int read_chunked(httpc_t *h, body_t *b)
{
    char line[256];
    for (;;) {
        int rc = read_line(h, line, sizeof line);
        if (rc)
            return rc;
        char *end;
        errno = 0;
        unsigned long long n = strtoull(line, &end, 16);
        if (end == line || errno || (*end && *end != ';' && *end != ' ')) {
            seterr(h, "bad chunk size from %s", h->authority);
            return CM_ECORRUPT;
        }
        if (n == 0)
            break;
        if (n > BODY_MAX)
            return CM_ETOOBIG;
        if ((rc = take(h, b, (size_t)n)) || (rc = read_line(h, line, sizeof line)))
            return rc;
        if (line[0]) {
            seterr(h, "no CRLF after a chunk from %s", h->authority);
            return CM_ECORRUPT;
        }
    }
    for (;;) { /* trailers, up to the empty line */
        int rc = read_line(h, line, sizeof line);
        if (rc == CM_ETOOBIG)
            continue; /* a long trailer: skipped */
        if (rc || !line[0])
            return rc;
    }
}

/* Read one answer. *got_any: some byte of it arrived (then it must not be sent again). */
static int read_response(httpc_t *h, bool head_only, httpc_response_t *r, bool *keep,
                         bool *got_any)
{
    char line[8192];
    unsigned long long rx0 = h->rx;
    int rc;
    long long clen = -1;
    bool chunked = false;
    *keep = true;
    for (;;) { /* status line; 1xx interim answers are skipped */
        if ((rc = read_line(h, line, sizeof line))) {
            *got_any = h->rx > rx0;
            return rc;
        }
        *got_any = true;
        int minor, st;
        if (sscanf(line, "HTTP/1.%d %3d", &minor, &st) != 2 || st < 100 || st > 599) {
            seterr(h, "%s did not answer HTTP/1.x", h->authority);
            return CM_ECORRUPT;
        }
        if (minor == 0)
            *keep = false;
        r->status = st;
        r->retry_after = -1;
        r->content_type[0] = 0;
        clen = -1;
        chunked = false;
        for (;;) {
            if ((rc = read_line(h, line, sizeof line)))
                return rc;
            if (!line[0])
                break;
            char *v = strchr(line, ':');
            if (!v)
                continue;
            *v++ = 0;
            v += strspn(v, " \t");
            if (strcasecmp(line, "Content-Length") == 0) {
                char *end;
                errno = 0;
                clen = strtoll(v, &end, 10);
                if (errno || end == v || clen < 0) {
                    seterr(h, "bad Content-Length from %s", h->authority);
                    return CM_ECORRUPT;
                }
            } else if (strcasecmp(line, "Transfer-Encoding") == 0) {
                chunked = strcasestr(v, "chunked") != NULL;
            } else if (strcasecmp(line, "Connection") == 0) {
                if (strcasestr(v, "close"))
                    *keep = false;
                else if (strcasestr(v, "keep-alive"))
                    *keep = true;
            } else if (strcasecmp(line, "Content-Type") == 0) {
                snprintf(r->content_type, sizeof r->content_type, "%s", v);
            } else if (strcasecmp(line, "Retry-After") == 0) {
                r->retry_after = atoi(v);
            }
        }
        if (r->status >= 200)
            break;
    }
    body_t b = {0};
    if ((rc = body_add(&b, "", 0)))
        return rc;
    if (head_only || r->status == 204 || r->status == 304) {
        rc = 0;
    } else if (chunked) {
        rc = read_chunked(h, &b);
    } else if (clen >= 0) {
        rc = (unsigned long long)clen > BODY_MAX ? CM_ETOOBIG : take(h, &b, (size_t)clen);
    } else { /* delimited by close */
        *keep = false;
        for (;;) {
            size_t avail = h->len - h->off;
            if (avail && (rc = body_add(&b, h->buf + h->off, avail)))
                break;
            h->off = h->len;
            long k = fill(h);
            if (k <= 0) {
                rc = (int)k;
                break;
            }
        }
    }
    if (rc) {
        free(b.p);
        if (rc == CM_ETOOBIG)
            seterr(h, "the answer from %s is too large", h->authority);
        return rc;
    }
    r->body = b.p;
    r->len = b.len;
    return 0;
}

static int build_head(httpc_t *h, const char *method, const char *path, const char *ctype,
                      size_t body_len, char **out, size_t *outlen)
{
    size_t cap = strlen(method) + strlen(h->base) + strlen(path) + strlen(h->authority) +
                 (h->auth ? strlen(h->auth) : 0) + (ctype ? strlen(ctype) : 0) + 200;
    char *s = malloc(cap);
    if (!s)
        return CM_ENOMEM;
    int n = snprintf(s, cap,
                     "%s %s%s HTTP/1.1\r\nHost: %s\r\n%sAccept: application/json\r\n"
                     "User-Agent: carematch-cli\r\n",
                     method, h->base, path, h->authority, h->auth ? h->auth : "");
    if (ctype)
        n += snprintf(s + n, cap - (size_t)n, "Content-Type: %s\r\n", ctype);
    if (ctype || body_len)
        n += snprintf(s + n, cap - (size_t)n, "Content-Length: %zu\r\n", body_len);
    n += snprintf(s + n, cap - (size_t)n, "\r\n");
    *out = s;
    *outlen = (size_t)n;
    return 0;
}

int httpc_request(httpc_t *h, const char *method, const char *path, const char *content_type,
                  const char *body, size_t body_len, httpc_response_t *resp)
{
    memset(resp, 0, sizeof *resp);
    h->err[0] = 0;
    if (strpbrk(path, " \r\n") || path[0] != '/') {
        seterr(h, "bad request path");
        return CM_EINVAL;
    }
    char *head;
    size_t head_len;
    int rc = build_head(h, method, path, content_type, body_len, &head, &head_len);
    if (rc)
        return rc;
    for (int attempt = 0;; attempt++) {
        bool reused = h->fd >= 0 && h->served > 0, keep = false, got_any = false;
        if (h->fd < 0 && (rc = connect_to(h)))
            break;
        rc = send_all(h, head, head_len);
        if (!rc && body_len)
            rc = send_all(h, body, body_len);
        if (!rc)
            rc = read_response(h, strcmp(method, "HEAD") == 0, resp, &keep, &got_any);
        if (rc == 0) {
            h->served++;
            if (!keep)
                disconnect(h);
            break;
        }
        disconnect(h);
        /* a kept-alive connection the server had closed: send once more on a new one */
        if (!(reused && !got_any && attempt == 0 && rc != CM_ETIMEDOUT))
            break;
    }
    free(head);
    if (rc) {
        httpc_response_free(resp);
        if (!h->err[0])
            seterr(h, "%s: %s", h->authority, cm_strerror(rc));
    }
    return rc;
}

int httpc_escape(char *buf, size_t cap, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(buf), start = n;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                     (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
        if (n + (plain ? 1 : 3) >= cap) {
            buf[start] = 0;
            return CM_ETOOBIG;
        }
        if (plain) {
            buf[n++] = (char)c;
        } else {
            buf[n++] = '%';
            buf[n++] = hex[c >> 4];
            buf[n++] = hex[c & 15];
        }
    }
    buf[n] = 0;
    return 0;
}
