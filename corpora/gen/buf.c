/* Growable output buffer for carematch-gen (see buf.h). */
#include "buf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void cg_buf_free(cg_buf_t *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

static bool reserve(cg_buf_t *b, size_t more)
{
    if (b->oom)
        return false;
    if (b->len + more <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 1 << 16;
    while (cap < b->len + more)
        cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
        b->oom = true;
        return false;
    }
    b->p = p;
    b->cap = cap;
    return true;
}

void cg_buf_put(cg_buf_t *b, const char *s, size_t n)
{
    if (!reserve(b, n))
        return;
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

void cg_buf_puts(cg_buf_t *b, const char *s)
{
    cg_buf_put(b, s, strlen(s));
}

void cg_buf_putc(cg_buf_t *b, char c)
{
    if (!reserve(b, 1))
        return;
    b->p[b->len++] = c;
}

void cg_buf_printf(cg_buf_t *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char tmp[256];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->oom = true; /* only on an encoding error: treat as fatal for the output */
        return;
    }
    if ((size_t)n < sizeof tmp) {
        cg_buf_put(b, tmp, (size_t)n);
        return;
    }
    if (!reserve(b, (size_t)n + 1))
        return;
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void cg_buf_str(cg_buf_t *b, const char *s)
{
    cg_buf_putc(b, '"');
    const char *run = s;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c != '"' && c != '\\' && c >= 0x20)
            continue;
        cg_buf_put(b, run, (size_t)(s - run));
        run = s + 1;
        if (c == '"')
            cg_buf_puts(b, "\\\"");
        else if (c == '\\')
            cg_buf_puts(b, "\\\\");
        else if (c == '\n')
            cg_buf_puts(b, "\\n");
        else
            cg_buf_printf(b, "\\u%04x", c);
    }
    cg_buf_put(b, run, (size_t)(s - run));
    cg_buf_putc(b, '"');
}

void cg_buf_key(cg_buf_t *b, const char *key)
{
    cg_buf_putc(b, ',');
    cg_buf_str(b, key);
    cg_buf_putc(b, ':');
}

int cg_buf_flush(cg_buf_t *b, FILE *f)
{
    if (b->oom) {
        errno = ENOMEM;
        return -1;
    }
    if (b->len && fwrite(b->p, 1, b->len, f) != b->len)
        return -1;
    b->len = 0;
    return 0;
}
