/* An optional second listener that serves GET /metrics without a key, for a Prometheus
 * scraper on loopback or a private network: the API's admin key (which can delete every
 * record) then never sits in a scraper's configuration. Loop thread only. */
#ifndef SRV_METRICS_LISTENER_H
#define SRV_METRICS_LISTENER_H

#include <stddef.h>
#include <uv.h>

#include "carematch/engine.h"
#include "metrics.h"

typedef struct srv_metrics_listener srv_metrics_listener_t;

/* Listen on `addr` (addr.h syntax). *engine is read at each scrape (NULL while starting).
 * Returns 0 or a negative libuv error with errbuf saying why. */
int srv_metrics_listener_start(uv_loop_t *loop, const char *addr, srv_metrics_t *metrics,
                               cm_engine_t *const *engine, srv_metrics_listener_t **out,
                               char *errbuf, size_t n);
/* Close the listener and its connections (NULL: no-op). Memory is released by _free after
 * the loop has run dry. */
void srv_metrics_listener_stop(srv_metrics_listener_t *l);
void srv_metrics_listener_free(srv_metrics_listener_t *l);

#endif
