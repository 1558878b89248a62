/* One JSON line per request on stderr (never a key, never a body), and start-up messages. */
#ifndef SRV_LOG_H
#define SRV_LOG_H

#include <stddef.h>
#include <stdint.h>

void srv_log_request(const char *method, const char *route, const char *path, int status,
                     size_t bytes, uint64_t us, const char *key_name);
/* {"ts","level","msg"} line. */
void srv_log(const char *level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
