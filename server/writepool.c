/* The writers' pool: requests that write (PUT, DELETE, bulk, events) run on threads of their
 * own, not on libuv's worker pool, which the reads keep for themselves.
 *
 * A write waits for a durable commit: its thread sleeps in the group commit (writes.c) while
 * the group fsyncs, or behind a bulk batch's transaction. On the shared pool (4 threads by
 * default) a stream of 200 PUT/s kept most workers asleep in fsync whenever the disk was
 * slow (writeback after an import): a GET by id then waited 170 ms at p99 for a worker.
 * Here writes sleep on write_threads threads of their own (64 by default); the reads' workers
 * only share the CPU with them. More threads asleep in one fsync also means larger groups: a
 * group holds at most one put a thread, so with 8 threads 64 clients' single PUTs of
 * candidates went at 1,750/s (1.3x one fsync'd transaction at a time), with 64 at 4,000-4,700/s
 * (offers: 1,000-1,200 -> 1,300-1,550/s, their index commit the wait). A sleeping thread costs
 * its stack's touched pages only.
 *
 * A finished write is handed back to the loop through `done` (uv_async, coalesced): the loop
 * then does what libuv's after-work callback does (srv__work_done). The threads start at the
 * first write and stop with the server once no write is in flight; a write dispatched while
 * they cannot run goes to libuv's pool as before. */
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include "http.h"
#include "log.h"

struct srv_wpool {
    srv_server_t *srv;
    pthread_t *threads;
    size_t n_threads;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    srv_req_t *queue_head, *queue_tail; /* under mu: waiting for a thread */
    srv_req_t *done_head, *done_tail;   /* under mu: finished, for the loop */
    long in_flight;                     /* loop thread: dispatched, not yet handed back */
    bool quit;                          /* under mu: threads exit once the queue is empty */
    uv_async_t done;
};

static void push(srv_req_t **head, srv_req_t **tail, srv_req_t *r)
{
    r->wq_next = NULL;
    if (*tail)
        (*tail)->wq_next = r;
    else
        *head = r;
    *tail = r;
}

static void *writer_main(void *arg)
{
    srv_wpool_t *p = arg;
    pthread_setname_np(pthread_self(), "cm-write"); /* top -H, perf: a hint only */
    /* Below the loop and the readers' workers (write_nice): a write stream then takes the CPU
     * the reads leave, and a GET does not queue behind a burst of writes. Best effort. */
    int nice = getpriority(PRIO_PROCESS, 0) + (int)p->srv->cfg.write_nice;
    if (p->srv->cfg.write_nice)
        (void)setpriority(PRIO_PROCESS, (id_t)gettid(), nice > 19 ? 19 : nice);
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->queue_head && !p->quit)
            pthread_cond_wait(&p->cv, &p->mu);
        srv_req_t *r = p->queue_head;
        if (!r)
            break; /* quit, and nothing left */
        p->queue_head = r->wq_next;
        if (!p->queue_head)
            p->queue_tail = NULL;
        pthread_mutex_unlock(&p->mu);
        srv_request_run(r);
        pthread_mutex_lock(&p->mu);
        push(&p->done_head, &p->done_tail, r);
        uv_async_send(&p->done); /* `done` is closed only once nothing is in flight */
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

static void on_done_closed(uv_handle_t *h)
{
    free(h->data);
}

/* No write in flight and the server stopping: the threads end, `done` closes (the loop can
 * then run dry). */
static void shut(srv_wpool_t *p)
{
    pthread_mutex_lock(&p->mu);
    p->quit = true;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    for (size_t i = 0; i < p->n_threads; i++)
        pthread_join(p->threads[i], NULL);
    free(p->threads);
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    p->srv->wpool = NULL; /* the last sight of p: `done`'s close frees it */
    uv_close((uv_handle_t *)&p->done, on_done_closed);
}

static void done_cb(uv_async_t *a)
{
    srv_wpool_t *p = a->data;
    pthread_mutex_lock(&p->mu);
    srv_req_t *r = p->done_head;
    p->done_head = p->done_tail = NULL;
    pthread_mutex_unlock(&p->mu);
    for (srv_req_t *next; r; r = next) {
        next = r->wq_next;
        p->in_flight--;
        srv__work_done(r, true);
    }
    if (p->srv->stopping && p->in_flight == 0)
        shut(p);
}

/* The pool, started at the first write (servers that never write start no thread). NULL when
 * it cannot run (stopping, or the threads could not start: libuv's pool then takes writes). */
static srv_wpool_t *pool_of(srv_server_t *s)
{
    if (s->wpool || s->stopping || s->wpool_failed)
        return s->wpool;
    srv_wpool_t *p = calloc(1, sizeof *p);
    size_t n = (size_t)s->cfg.write_threads;
    if (p)
        p->threads = calloc(n, sizeof *p->threads);
    if (!p || !p->threads || uv_async_init(s->loop, &p->done, done_cb) != 0) {
        if (p)
            free(p->threads);
        free(p);
        s->wpool_failed = true;
        return NULL;
    }
    p->srv = s;
    p->done.data = p;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    for (; p->n_threads < n; p->n_threads++)
        if (pthread_create(&p->threads[p->n_threads], NULL, writer_main, p) != 0)
            break;
    if (p->n_threads == 0) {
        srv_log("warn", "cannot start the writers' threads: writes run on the worker pool");
        shut(p);
        s->wpool_failed = true;
        return NULL;
    }
    s->wpool = p;
    return p;
}

bool srv_wpool_submit(srv_server_t *s, srv_req_t *req)
{
    srv_wpool_t *p = pool_of(s);
    if (!p)
        return false;
    p->in_flight++;
    pthread_mutex_lock(&p->mu);
    push(&p->queue_head, &p->queue_tail, req);
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
    return true;
}

void srv_wpool_stop(srv_server_t *s)
{
    srv_wpool_t *p = s->wpool;
    if (p && p->in_flight == 0)
        shut(p);
}
