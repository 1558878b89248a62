/* The index's builders (index_build.h): threads that build a batch's offer documents ahead
 * of the index writer. One mutex guards the batch (its slots' states, the next slot to
 * claim, the builders inside it); a document is built outside it. */
#include "index_build.h"

#include <pthread.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include "../shim/cmx.h"
#include "index.h"

enum { BSLOT_NONE, BSLOT_TODO, BSLOT_BUSY, BSLOT_DONE };

/* Fewer offers than this in a batch: the writer builds them itself (a thread's wake-up and
 * hand-over would cost a single PUT more than they save). */
#define BUILDERS_MIN_OFFERS 8

struct cm__builders {
    cm__store_t *st;
    pthread_mutex_t mu;
    pthread_cond_t work_cv; /* builders: a batch to build, or stop */
    pthread_cond_t done_cv; /* the writer: a slot built, or the last builder left the batch */
    cm__bslot_t *slots;     /* the batch being built, or NULL */
    size_t n, next;         /* its size, and the next slot a builder looks at */
    unsigned inside;        /* builders building one of its slots now */
    bool stop;
    int nice;
    uint64_t *built;
    unsigned n_threads;
    pthread_t threads[];
};

static void build_slot(cm__store_t *st, cm__bslot_t *s)
{
    cm_offer_t *o;
    s->doc = NULL;
    s->doclen = 0;
    s->rc = cm__store_get_offer(st, s->id, &o);
    if (s->rc == 0) {
        s->rc = cm__index_build_offer(o, &s->doc, &s->doclen);
        cm_offer_free(o);
    }
}

static void *builder_main(void *arg)
{
    cm__builders_t *b = arg;
    pthread_setname_np(pthread_self(), "cm-ixbuild");
    if (b->nice) { /* as the writer's: below the readers, a best effort */
        int nice = getpriority(PRIO_PROCESS, 0) + b->nice;
        (void)setpriority(PRIO_PROCESS, (id_t)gettid(), nice > 19 ? 19 : nice);
    }
    pthread_mutex_lock(&b->mu);
    while (!b->stop) {
        cm__bslot_t *s = NULL;
        while (b->slots && b->next < b->n && !s) {
            cm__bslot_t *c = &b->slots[b->next++];
            if (c->state == BSLOT_TODO)
                s = c;
        }
        if (!s) {
            pthread_cond_wait(&b->work_cv, &b->mu);
            continue;
        }
        s->state = BSLOT_BUSY;
        b->inside++;
        pthread_mutex_unlock(&b->mu);
        build_slot(b->st, s);
        __atomic_add_fetch(b->built, 1, __ATOMIC_RELAXED);
        pthread_mutex_lock(&b->mu);
        s->state = BSLOT_DONE;
        b->inside--;
        pthread_cond_broadcast(&b->done_cv);
    }
    pthread_mutex_unlock(&b->mu);
    return NULL;
}

int cm__builders_start(cm__store_t *st, unsigned n, int nice, uint64_t *built, cm__builders_t **out)
{
    *out = NULL;
    cm__builders_t *b = calloc(1, sizeof *b + n * sizeof(pthread_t));
    if (!b)
        return CM_ENOMEM;
    b->st = st;
    b->nice = nice;
    b->built = built;
    pthread_mutex_init(&b->mu, NULL);
    pthread_cond_init(&b->work_cv, NULL);
    pthread_cond_init(&b->done_cv, NULL);
    for (; b->n_threads < n; b->n_threads++)
        if (pthread_create(&b->threads[b->n_threads], NULL, builder_main, b) != 0)
            break;
    if (n && !b->n_threads) {
        cm__builders_stop(b);
        return CM_EINTERNAL;
    }
    *out = b;
    return 0;
}

void cm__builders_stop(cm__builders_t *b)
{
    if (!b)
        return;
    pthread_mutex_lock(&b->mu);
    b->stop = true;
    pthread_cond_broadcast(&b->work_cv);
    pthread_mutex_unlock(&b->mu);
    for (unsigned i = 0; i < b->n_threads; i++)
        pthread_join(b->threads[i], NULL);
    pthread_cond_destroy(&b->done_cv);
    pthread_cond_destroy(&b->work_cv);
    pthread_mutex_destroy(&b->mu);
    free(b);
}

void cm__builders_run(cm__builders_t *b, cm__bslot_t *slots, size_t n)
{
    size_t offers = 0;
    for (size_t i = 0; i < n; i++) {
        cm__bslot_t *s = &slots[i];
        s->doc = NULL;
        s->rc = 0;
        s->state = s->kind == 'o' && s->op != 'd' ? BSLOT_TODO : BSLOT_NONE;
        offers += s->state == BSLOT_TODO;
    }
    if (!b || offers < BUILDERS_MIN_OFFERS)
        return;
    pthread_mutex_lock(&b->mu);
    b->slots = slots;
    b->n = n;
    b->next = 0;
    pthread_cond_broadcast(&b->work_cv);
    pthread_mutex_unlock(&b->mu);
}

void cm__builders_take(cm__builders_t *b, cm__store_t *st, cm__bslot_t *slots, size_t i)
{
    cm__bslot_t *s = &slots[i];
    bool mine = true;
    if (b) {
        pthread_mutex_lock(&b->mu);
        if (b->slots == slots) {
            while (s->state == BSLOT_BUSY)
                pthread_cond_wait(&b->done_cv, &b->mu);
            mine = s->state == BSLOT_TODO;
        }
        if (mine)
            s->state = BSLOT_BUSY; /* a builder passes it by */
        pthread_mutex_unlock(&b->mu);
    }
    if (mine && s->kind == 'o' && s->op != 'd')
        build_slot(st, s);
}

void cm__builders_end(cm__builders_t *b, cm__bslot_t *slots, size_t n)
{
    if (b) {
        pthread_mutex_lock(&b->mu);
        if (b->slots == slots) {
            b->slots = NULL; /* no builder starts another of its slots */
            while (b->inside)
                pthread_cond_wait(&b->done_cv, &b->mu);
        }
        pthread_mutex_unlock(&b->mu);
    }
    for (size_t i = 0; i < n; i++) {
        cmx_doc_free(slots[i].doc);
        slots[i].doc = NULL;
    }
}
