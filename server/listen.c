/* The listening side of carematchd's transport: bind and listen, and the graceful stop
 * (close the listener and idle connections, then force-close after the bound). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "addr.h"
#include "http.h"
#include "log.h"

#define SRV_SHUTDOWN_TICK_MS 20 /* how often a graceful stop looks for connections left */

int srv_server_init(srv_server_t *s, uv_loop_t *loop, const srv_config_t *cfg, cm_engine_t *e,
                    struct srv_keys *keys, struct srv_metrics *metrics)
{
    memset(s, 0, sizeof *s);
    pthread_mutex_init(&s->park_mu, NULL);
    s->loop = loop;
    s->cfg = *cfg;
    s->engine = e;
    s->keys = keys;
    s->metrics = metrics;
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
        s->nofile = (uint64_t)rl.rlim_cur;
    int rc = uv_tcp_init(loop, &s->listener);
    if (rc != 0)
        return rc;
    s->listener.data = s;
    return 0;
}

int srv_server_listen(srv_server_t *s, const char *addr, char *errbuf, size_t n)
{
    int rc = srv_addr_listen(&s->listener, addr, (int)s->cfg.backlog, srv__on_connection,
                             s->bound, sizeof s->bound, errbuf, n);
    /* once bound, the listener must be closed on stop even if getsockname failed */
    s->listening = rc == 0 || uv_is_active((uv_handle_t *)&s->listener);
    return rc;
}

static void on_shutdown_timer_closed(uv_handle_t *h)
{
    (void)h;
}

static void on_shutdown_tick(uv_timer_t *t)
{
    srv_server_t *s = t->data;
    if (!s->conns) {
        uv_timer_stop(t);
        uv_close((uv_handle_t *)t, on_shutdown_timer_closed);
        return;
    }
    if (uv_now(s->loop) >= s->shutdown_deadline) {
        /* bounded wait is over: drop whoever is left; pool work still completes */
        srv_log("warn", "shutdown: closing %ld connection(s) still open", s->nconns);
        while (s->conns)
            srv__conn_close(s->conns);
    }
}

static void on_listener_closed(uv_handle_t *h)
{
    (void)h;
}

void srv_server_stop(srv_server_t *s)
{
    if (s->stopping)
        return;
    s->stopping = true;
    srv_parked_stop(s); /* written requests answered now: they are durable */
    srv_wpool_stop(s);  /* or once the writes in flight are handed back */
    uv_close((uv_handle_t *)&s->listener, on_listener_closed);
    for (srv_conn_t *c = s->conns, *next; c; c = next) {
        next = srv__conn_next(c);
        if (srv__conn_idle(c))
            srv__conn_close(c); /* one still sending closes after its last answer */
    }
    s->shutdown_deadline = uv_now(s->loop) + (uint64_t)s->cfg.shutdown_timeout_ms;
    if (uv_timer_init(s->loop, &s->shutdown_timer) == 0) {
        s->shutdown_timer.data = s;
        uv_timer_start(&s->shutdown_timer, on_shutdown_tick, 0, SRV_SHUTDOWN_TICK_MS);
    }
}
