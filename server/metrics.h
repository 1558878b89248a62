/* Request counters and latency histograms per route pattern, rendered as Prometheus text.
 * Updated on the loop thread, read by the /metrics handler on a pool thread: one mutex. */
#ifndef SRV_METRICS_H
#define SRV_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "carematch/engine.h"

typedef struct srv_metrics srv_metrics_t;

/* nroutes: routes 0..nroutes-1, labelled by their pattern `names[i]` and method name
 * `methods[i]`; route nroutes is "unmatched". */
int srv_metrics_create(size_t nroutes, const char *const *names, const char *const *methods,
                       srv_metrics_t **out);
void srv_metrics_destroy(srv_metrics_t *m);
/* route < 0 means "unmatched". */
void srv_metrics_observe(srv_metrics_t *m, int route, int status, uint64_t duration_ns);
void srv_metrics_connections(srv_metrics_t *m, long open);
/* Transport events counted (http.c). */
enum {
    SRV_M_SEND_TIMEOUT,  /* connection closed: its output made no progress in time */
    SRV_M_OUTPUT_PAUSED, /* reading stopped: unsent output over max_unsent_bytes */
    SRV_M_ACCEPT_FAILED, /* a connection the kernel held could not be accepted (EMFILE...) */
    SRV_M__COUNT
};
void srv_metrics_http(srv_metrics_t *m, int event);
/* Requests queued on or running in the worker pool. */
void srv_metrics_pending(srv_metrics_t *m, long pending);
void srv_metrics_parked(srv_metrics_t *m, long parked); /* parked.c */
/* Lines of one bulk request (offers or candidates). */
void srv_metrics_bulk(srv_metrics_t *m, bool offers, uint64_t accepted, uint64_t rejected);
/* Prometheus text; owned by the caller (free). info may be NULL. NULL on out of memory. */
char *srv_metrics_render(srv_metrics_t *m, const cm_engine_info_t *info, size_t *len);

#endif
