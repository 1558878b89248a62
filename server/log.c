/* Request and event logging: JSON lines on stderr, written with one fwrite so lines from
 * different threads do not interleave. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static size_t put_json_str(char *out, size_t cap, const char *s)
{
    size_t o = 0;
    if (!s)
        s = "";
    for (; *s && o + 8 < cap; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            out[o++] = '\\';
            out[o++] = (char)c;
        } else if (c < 0x20 || c == 0x7f) {
            o += (size_t)snprintf(out + o, cap - o, "\\u%04x", c);
        } else {
            out[o++] = (char)c;
        }
    }
    out[o] = '\0';
    return o;
}

static void timestamp(char out[40])
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    size_t n = strftime(out, 40, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, 40 - n, ".%03ldZ", ts.tv_nsec / 1000000);
}

void srv_log_request(const char *method, const char *route, const char *path, int status,
                     size_t bytes, uint64_t us, const char *key_name)
{
    char ts[40], p[600], k[140], line[1024];
    timestamp(ts);
    put_json_str(p, sizeof p, path);
    put_json_str(k, sizeof k, key_name);
    int n = snprintf(line, sizeof line,
                     "{\"ts\":\"%s\",\"method\":\"%s\",\"route\":\"%s\",\"path\":\"%s\","
                     "\"status\":%d,\"bytes\":%zu,\"us\":%llu%s%s%s}\n",
                     ts, method, route, p, status, bytes, (unsigned long long)us,
                     key_name ? ",\"key\":\"" : "", key_name ? k : "", key_name ? "\"" : "");
    if (n > 0)
        fwrite(line, 1, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1, stderr);
}

void srv_log(const char *level, const char *fmt, ...)
{
    char ts[40], msg[512], m[1100], line[1300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    timestamp(ts);
    put_json_str(m, sizeof m, msg);
    int n = snprintf(line, sizeof line, "{\"ts\":\"%s\",\"level\":\"%s\",\"msg\":\"%s\"}\n", ts,
                     level, m);
    if (n > 0)
        fwrite(line, 1, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1, stderr);
}
