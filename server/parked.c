/* Written requests waiting for the search index, off the worker pool. A PUT of an offer is
 * durable and in the catalog when its handler returns (cm_engine_put_offer_deferred); its
 * answer promises read-your-writes for search too, so it waits until the index writer has
 * committed the change. Waiting on a pool thread held that thread (4 by default) for up to a
 * batch period: 200 PUT/s kept most of them waiting and reads queued behind. Here the answer,
 * already built, waits on the loop: the index writer's on_applied callback wakes the loop
 * (uv_async), which answers every parked request the index now covers; a timer answers those
 * past visibility_timeout_ms with X-Index-Lagging (as the blocking wait did). */
#include "http.h"
#include "json.h"
#include "log.h"
#include "metrics.h"

static void park_timer_cb(uv_timer_t *t);

/* The answer of a request out of the park (v: cm_engine_visible of its wait_seq), lagging
 * unless searches see its change (a durable ack's own change: ack_seq). */
static void answer(srv_server_t *s, srv_req_t *r, int v)
{
    if (r->ack_seq)
        v = s->engine ? cm_engine_visible(s->engine, r->ack_seq) : -1;
    if (v != 1)
        srv_add_header(r, "X-Index-Lagging: true");
    r->wait_seq = r->ack_seq = 0;
    srv__conn_finish(r, false);
}

/* Answer parked requests: the visible ones, those past their deadline (as lagging), or all
 * (`all`: stopping). Restarts the timer for the first one left. */
static void flush(srv_server_t *s, bool all)
{
    uint64_t now = uv_now(s->loop);
    for (srv_req_t *r = s->parked_head, *next; r; r = next) {
        next = r->park_next;
        int v = s->engine ? cm_engine_visible(s->engine, r->wait_seq) : -1;
        if (v == 0 && !all && now < r->park_deadline)
            continue;
        if (r->park_prev)
            r->park_prev->park_next = r->park_next;
        else
            s->parked_head = r->park_next;
        if (r->park_next)
            r->park_next->park_prev = r->park_prev;
        else
            s->parked_tail = r->park_prev;
        s->nparked--;
        srv_metrics_parked(s->metrics, s->nparked);
        answer(s, r, v);
    }
    if (!s->park_handles)
        return;
    if (s->parked_head && !all) {
        uint64_t due = s->parked_head->park_deadline;
        uv_timer_start(&s->park_timer, park_timer_cb, due > now ? due - now : 0, 0);
    } else {
        uv_timer_stop(&s->park_timer);
    }
}

static void park_timer_cb(uv_timer_t *t)
{
    flush(t->data, false);
}

static void applied_cb(uv_async_t *a)
{
    flush(a->data, false);
}

/* The handles, at the first park (servers that never park have none to close). */
static int open_handles(srv_server_t *s)
{
    if (s->park_handles)
        return 0;
    if (s->park_failed)
        return -1; /* a handle may still be closing: never initialised twice */
    if (uv_async_init(s->loop, &s->applied, applied_cb) != 0) {
        s->park_failed = true;
        return -1;
    }
    if (uv_timer_init(s->loop, &s->park_timer) != 0) {
        uv_close((uv_handle_t *)&s->applied, NULL);
        s->park_failed = true;
        return -1;
    }
    s->applied.data = s;
    s->park_timer.data = s;
    s->park_handles = true;
    pthread_mutex_lock(&s->park_mu);
    s->park_open = true;
    pthread_mutex_unlock(&s->park_mu);
    return 0;
}

void srv_parked_park(srv_server_t *s, srv_req_t *req)
{
    if (s->stopping || open_handles(s) != 0) {
        /* no waiting now: answered at once, lagging unless already visible */
        answer(s, req, s->engine ? cm_engine_visible(s->engine, req->wait_seq) : -1);
        return;
    }
    if (s->engine) /* someone waits: the index writer's short gap, not its lazy one */
        cm_engine_want_visible(s->engine, req->wait_seq);
    req->park_deadline = uv_now(s->loop) + (uint64_t)s->cfg.visibility_timeout_ms;
    req->park_next = NULL;
    req->park_prev = s->parked_tail;
    if (s->parked_tail)
        s->parked_tail->park_next = req;
    else
        s->parked_head = req;
    s->parked_tail = req;
    s->nparked++;
    srv_metrics_parked(s->metrics, s->nparked);
    /* the index may have caught up before the handles were open: look once now */
    flush(s, false);
}

void srv_parked_wake(void *server)
{
    srv_server_t *s = server;
    pthread_mutex_lock(&s->park_mu);
    if (s->park_open)
        uv_async_send(&s->applied); /* coalesced by libuv; safe from any thread */
    pthread_mutex_unlock(&s->park_mu);
}

void srv_parked_stop(srv_server_t *s)
{
    flush(s, true);
    if (!s->park_handles)
        return;
    pthread_mutex_lock(&s->park_mu);
    s->park_open = false;
    pthread_mutex_unlock(&s->park_mu);
    uv_close((uv_handle_t *)&s->applied, NULL);
    uv_close((uv_handle_t *)&s->park_timer, NULL);
    s->park_handles = false;
}
