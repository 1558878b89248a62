/* JSON log lines on stderr: one small builder that always closes the line, a correct string
 * escaper, and the three writers (request, message, engine event). */
#include "log.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* A line being built in a caller's buffer; LINE_CLOSE bytes stay free for "}\n" and the NUL,
 * and pieces go in whole or not at all, so the line is always valid JSON. */
typedef struct line {
    char *p;
    size_t len, cap;
} line_t;

#define LINE_CLOSE 3

static bool fits(const line_t *l, size_t n)
{
    return l->len + n + LINE_CLOSE <= l->cap;
}

static void put_raw(line_t *l, const char *s, size_t n)
{
    if (!fits(l, n))
        return;
    memcpy(l->p + l->len, s, n);
    l->len += n;
}

size_t srv_utf8_len(const unsigned char *s)
{
    unsigned char c = s[0];
    size_t n = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
    if (c >= 0xf5 || n == 0)
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    /* overlong 3/4-byte forms, surrogates, and code points past U+10FFFF */
    if ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] >= 0xa0) ||
        (c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] >= 0x90))
        return 0;
    return n;
}

/* ,"key":"value" with every character of value escaped as needed. When the room runs out
 * the value is cut between characters and still closed; with no room at all nothing is added. */
static void put_field(line_t *l, const char *key, const char *value)
{
    char k[48];
    size_t kl = strlen(key), kn = kl + 5;
    if (kn >= sizeof k || !fits(l, kn + 1))
        return;
    k[0] = ',';
    k[1] = '"';
    memcpy(k + 2, key, kl);
    memcpy(k + 2 + kl, "\":\"", 3);
    put_raw(l, k, kn);
    const unsigned char *u = (const unsigned char *)(value ? value : "");
    while (*u) {
        char esc[8];
        const char *piece = esc;
        size_t n;
        if (*u == '"' || *u == '\\') {
            esc[0] = '\\';
            esc[1] = (char)*u;
            n = 2;
            u++;
        } else if (*u < 0x20 || *u == 0x7f) {
            n = (size_t)snprintf(esc, sizeof esc, "\\u%04x", *u);
            u++;
        } else if (*u < 0x80) {
            piece = (const char *)u;
            n = 1;
            u++;
        } else if ((n = srv_utf8_len(u)) != 0) {
            piece = (const char *)u;
            u += n;
        } else {
            piece = "\\ufffd"; /* not UTF-8: JSON text must be */
            n = 6;
            u++;
        }
        if (!fits(l, n + 1))
            break; /* keep room for the closing quote */
        put_raw(l, piece, n);
    }
    l->p[l->len++] = '"';
}

static void begin(line_t *l, char *buf, size_t cap, const char *level)
{
    /* the second's text is formatted once a second per thread (a line per request) */
    static _Thread_local time_t sec = -1;
    static _Thread_local char head[64];
    static _Thread_local size_t sec_len;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    if (ts.tv_sec != sec) {
        struct tm tm;
        gmtime_r(&ts.tv_sec, &tm);
        sec_len = strftime(head, sizeof head, "{\"ts\":\"%Y-%m-%dT%H:%M:%S", &tm);
        sec = ts.tv_sec;
    }
    size_t n = sec_len;
    long ms = ts.tv_nsec / 1000000;
    head[n++] = '.';
    head[n++] = (char)('0' + ms / 100);
    head[n++] = (char)('0' + ms / 10 % 10);
    head[n++] = (char)('0' + ms % 10);
    head[n++] = 'Z';
    head[n++] = '"';
    l->p = buf;
    l->len = 0;
    l->cap = cap;
    put_raw(l, head, n);
    put_field(l, "level", level);
}

static size_t end(line_t *l)
{
    l->p[l->len++] = '}';
    l->p[l->len++] = '\n';
    l->p[l->len] = '\0';
    return l->len;
}

static void emit(const char *buf, size_t n)
{
    fwrite(buf, 1, n, stderr);
}

size_t srv_log_format(char *out, size_t cap, const char *level, const char *event,
                      const char *msg)
{
    line_t l;
    if (cap < 64) { /* not even the timestamp fits */
        if (cap)
            out[0] = '\0';
        return 0;
    }
    begin(&l, out, cap, level);
    if (event)
        put_field(&l, "event", event);
    put_field(&l, "msg", msg);
    return end(&l);
}

void srv_log_request(const char *method, const char *route, const char *path, int status,
                     size_t bytes, uint64_t us, const char *key_name, const char *request_id)
{
    char buf[SRV_LOG_LINE_MAX], num[80];
    line_t l;
    begin(&l, buf, sizeof buf, "info");
    put_field(&l, "method", method);
    put_field(&l, "route", route);
    int n = snprintf(num, sizeof num, ",\"status\":%d,\"bytes\":%zu,\"us\":%llu", status, bytes,
                     (unsigned long long)us);
    put_raw(&l, num, (size_t)n);
    if (key_name)
        put_field(&l, "key", key_name);
    if (request_id && request_id[0])
        put_field(&l, "request_id", request_id);
    put_field(&l, "path", path); /* last: the one a client can make long, so the one cut */
    emit(buf, end(&l));
}

void srv_log(const char *level, const char *fmt, ...)
{
    char msg[SRV_LOG_LINE_MAX / 2], buf[SRV_LOG_LINE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    emit(buf, srv_log_format(buf, sizeof buf, level, NULL, msg));
}

void srv_log_engine(void *arg, cm_log_level_t level, const char *event, const char *msg)
{
    (void)arg;
    char buf[SRV_LOG_LINE_MAX];
    emit(buf, srv_log_format(buf, sizeof buf, cm_log_level_name(level), event ? event : "engine",
                             msg));
}
