/* Growable output buffer for carematch-gen: JSON building without cJSON, flushed to a FILE
 * in large writes. */
#ifndef CAREMATCH_GEN_BUF_H
#define CAREMATCH_GEN_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct cg_buf {
    char *p;
    size_t len, cap;
    bool oom; /* sticky: an allocation failed, content is incomplete */
} cg_buf_t;

void cg_buf_free(cg_buf_t *b);
void cg_buf_put(cg_buf_t *b, const char *s, size_t n);
void cg_buf_puts(cg_buf_t *b, const char *s);
void cg_buf_putc(cg_buf_t *b, char c);
void cg_buf_printf(cg_buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A JSON string literal, quotes included, escaping '"', '\\' and control characters. */
void cg_buf_str(cg_buf_t *b, const char *s);
/* ,"key": */
void cg_buf_key(cg_buf_t *b, const char *key);
/* Write everything to f and empty the buffer. Returns 0 or -1 (errno set) on a short write
 * or an earlier allocation failure. */
int cg_buf_flush(cg_buf_t *b, FILE *f);

#endif
