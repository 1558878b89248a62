/* The one JSON log-line writer of carematchd and the carematch CLI: request lines, operator
 * messages and engine events, one line each on stderr, every line with "ts" (ISO 8601 UTC,
 * milliseconds) and "level". Strings are JSON-escaped (quotes, backslashes, control characters,
 * invalid UTF-8 -> U+FFFD), so every line parses. Never a key, never a body.
 *
 * Self-contained (libc only): built as the small library `srvlog`, which the CLI links without
 * linking the server. Thread-safe: each line is written with one fwrite. */
#ifndef SRV_LOG_H
#define SRV_LOG_H

#include <stddef.h>
#include <stdint.h>

#include "carematch/engine.h"

#define SRV_LOG_LINE_MAX 2048 /* longer strings are cut (at a character), the line stays valid */

/* {"ts","level":"info","method","route","path","status","bytes","us","key"?} */
void srv_log_request(const char *method, const char *route, const char *path, int status,
                     size_t bytes, uint64_t us, const char *key_name, const char *request_id);
/* {"ts","level","msg"} */
void srv_log(const char *level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* cm_log_fn for cm_engine_options_t (arg unused): {"ts","level","event","msg"}. */
void srv_log_engine(void *arg, cm_log_level_t level, const char *event, const char *msg);

/* Length (2..4) of the valid multi-byte UTF-8 sequence at s, or 0 when the bytes are not one
 * (an ASCII byte, overlong, surrogate, past U+10FFFF, cut by the string's end). */
size_t srv_utf8_len(const unsigned char *s);

/* Format one {"ts","level","event"?,"msg"} line, newline included, into out[cap]
 * (cap >= 64); event may be NULL. Returns its length. The writers above use it; tests too. */
size_t srv_log_format(char *out, size_t cap, const char *level, const char *event,
                      const char *msg);

#endif
