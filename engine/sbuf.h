/* A growable text buffer for the engine's JSON writers (records, match results). Internal to
 * engine/. Out-of-memory is sticky: every call after it is a no-op, and cm__sb_finish reports
 * it once. */
#ifndef CAREMATCH_ENGINE_SBUF_H
#define CAREMATCH_ENGINE_SBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct cm__sb {
    char *p; /* NUL-terminated text so far (NULL while empty) */
    size_t len, cap;
    bool oom;
} cm__sb_t;

void cm__sb_putn(cm__sb_t *b, const char *s, size_t n);
void cm__sb_puts(cm__sb_t *b, const char *s);
/* Short formatted text (numbers): more than 63 bytes is treated as out of memory. */
void cm__sb_printf(cm__sb_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A JSON string literal: quotes, backslashes and control characters escaped. */
void cm__sb_str(cm__sb_t *b, const char *s);
/* Object member: a comma unless *first, then "key": (first tracks the comma). */
void cm__sb_key(cm__sb_t *b, bool *first, const char *key);
/* The shortest text that reads back as the same double; null for NaN/inf. */
void cm__sb_double(cm__sb_t *b, double v);
/* Degrees x 1e6 printed exactly ("48.8589"), so that decoding gives the same integer. */
void cm__sb_coord(cm__sb_t *b, int32_t e6);
/* An integer, in decimal. */
void cm__sb_int(cm__sb_t *b, long long v);
/* v rounded half away from zero to `decimals` (0..6) places, trailing zeros dropped: the text
 * cm__sb_double (and cJSON) give for round(v * 10^d) / 10^d, without printf. */
void cm__sb_fixed(cm__sb_t *b, double v, int decimals);
void cm__sb_bool(cm__sb_t *b, bool *first, const char *key, bool v);
/* Member only when v is not NULL. */
void cm__sb_opt_str(cm__sb_t *b, bool *first, const char *key, const char *v);
/* The text, owned by the caller (free()), or NULL (and the buffer freed) after out-of-memory. */
char *cm__sb_finish(cm__sb_t *b);

#endif
