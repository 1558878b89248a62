/* A growable text buffer for JSON writers: out-of-memory is sticky and checked once, at
 * cm__sb_finish. Strings are escaped as JSON requires (sbuf.h). */
#include "sbuf.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cm__sb_putn(cm__sb_t *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->cap - b->len <= n) {
        size_t cap = b->cap ? b->cap : 512;
        while (cap - b->len <= n) {
            if (cap > SIZE_MAX / 2) {
                b->oom = true;
                return;
            }
            cap *= 2;
        }
        char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void cm__sb_puts(cm__sb_t *b, const char *s)
{
    cm__sb_putn(b, s, strlen(s));
}

void cm__sb_printf(cm__sb_t *b, const char *fmt, ...)
{
    char tmp[64];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof tmp) {
        b->oom = true; /* only short numbers go through here */
        return;
    }
    cm__sb_putn(b, tmp, (size_t)n);
}

void cm__sb_str(cm__sb_t *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    cm__sb_putn(b, "\"", 1);
    const char *run = s;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        cm__sb_putn(b, run, (size_t)(s - run));
        run = s + 1;
        char esc[7] = {'\\', 0, 0, 0, 0, 0, 0};
        switch (c) {
        case '"':
            esc[1] = '"';
            break;
        case '\\':
            esc[1] = '\\';
            break;
        case '\n':
            esc[1] = 'n';
            break;
        case '\r':
            esc[1] = 'r';
            break;
        case '\t':
            esc[1] = 't';
            break;
        default:
            esc[1] = 'u';
            esc[2] = '0';
            esc[3] = '0';
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            break;
        }
        cm__sb_puts(b, esc);
    }
    cm__sb_putn(b, run, (size_t)(s - run));
    cm__sb_putn(b, "\"", 1);
}

void cm__sb_key(cm__sb_t *b, bool *first, const char *key)
{
    if (!*first)
        cm__sb_putn(b, ",", 1);
    *first = false;
    cm__sb_str(b, key);
    cm__sb_putn(b, ":", 1);
}

void cm__sb_double(cm__sb_t *b, double v)
{
    if (!isfinite(v)) {
        cm__sb_puts(b, "null"); /* not produced by the decoders; keep the text valid JSON */
        return;
    }
    if (v == floor(v) && fabs(v) < 1e15) {
        cm__sb_printf(b, "%.0f", v);
        return;
    }
    /* Shortest of 15 or 17 significant digits that reads back as the same double. */
    char tmp[40];
    snprintf(tmp, sizeof tmp, "%.15g", v);
    if (strtod(tmp, NULL) != v)
        snprintf(tmp, sizeof tmp, "%.17g", v);
    cm__sb_puts(b, tmp);
}

void cm__sb_coord(cm__sb_t *b, int32_t e6)
{
    long long v = e6;
    bool neg = v < 0;
    unsigned long long a = (unsigned long long)(neg ? -v : v);
    char frac[8];
    snprintf(frac, sizeof frac, "%06llu", a % 1000000ull);
    int end = 6;
    while (end > 0 && frac[end - 1] == '0')
        end--;
    frac[end] = '\0';
    cm__sb_printf(b, "%s%llu%s%s", neg ? "-" : "", a / 1000000ull, end ? "." : "", frac);
}

void cm__sb_int(cm__sb_t *b, long long v)
{
    char d[24];
    size_t i = sizeof d;
    unsigned long long a = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
    do
        d[--i] = (char)('0' + a % 10);
    while ((a /= 10) != 0);
    if (v < 0)
        d[--i] = '-';
    cm__sb_putn(b, d + i, sizeof d - i);
}

void cm__sb_fixed(cm__sb_t *b, double v, int decimals)
{
    static const double scale[7] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6};
    if (decimals < 0 || decimals > 6 || !isfinite(v) || fabs(v) * scale[decimals] >= 1e15) {
        cm__sb_double(b, isfinite(v) && decimals >= 0 && decimals <= 6
                             ? round(v * scale[decimals]) / scale[decimals]
                             : v);
        return;
    }
    long long n = llround(v * scale[decimals]);
    unsigned long long a = n < 0 ? 0ull - (unsigned long long)n : (unsigned long long)n;
    unsigned long long unit = (unsigned long long)scale[decimals];
    unsigned long long frac = a % unit;
    if (n < 0)
        cm__sb_putn(b, "-", 1);
    cm__sb_int(b, (long long)(a / unit));
    if (!frac)
        return;
    char f[8];
    int len = decimals;
    for (int i = decimals - 1; i >= 0; i--, frac /= 10)
        f[i] = (char)('0' + frac % 10);
    while (len > 0 && f[len - 1] == '0')
        len--;
    cm__sb_putn(b, ".", 1);
    cm__sb_putn(b, f, (size_t)len);
}

void cm__sb_bool(cm__sb_t *b, bool *first, const char *key, bool v)
{
    cm__sb_key(b, first, key);
    cm__sb_puts(b, v ? "true" : "false");
}

void cm__sb_opt_str(cm__sb_t *b, bool *first, const char *key, const char *v)
{
    if (!v)
        return;
    cm__sb_key(b, first, key);
    cm__sb_str(b, v);
}

char *cm__sb_finish(cm__sb_t *b)
{
    if (b->oom) {
        free(b->p);
        return NULL;
    }
    return b->p;
}
