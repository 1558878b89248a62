/* The catalog's lock lets a waiting write in before new readers. With glibc's default
 * (readers first), overlapping candidate searches (a scan of tens of ms each under the read
 * lock) held a PUT back until no reader at all was in: seconds under load. Here a reader holds
 * the lock, a write comes and waits; a reader arriving after it must wait behind the write. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "catalog.h"
#include "test.h"

static cm__catalog_t *cat;
static atomic_int order;         /* completion counter */
static int writer_done, reader_done; /* the counter's value when each finished */

static void *writer(void *arg)
{
    (void)arg;
    cm__catalog_del_candidate(cat, "nobody"); /* takes the write lock, finds no one */
    writer_done = atomic_fetch_add(&order, 1) + 1;
    return NULL;
}

static void *reader(void *arg)
{
    (void)arg;
    cm_stats_t st;
    cm__catalog_counts(cat, NULL, &st); /* takes the read lock */
    reader_done = atomic_fetch_add(&order, 1) + 1;
    return NULL;
}

/* Is a writer queued? With writer-first, a new reader cannot get in (EBUSY). */
static bool writer_waits(void)
{
    int rc = pthread_rwlock_tryrdlock(&cat->lock);
    if (rc == 0)
        pthread_rwlock_unlock(&cat->lock);
    return rc == EBUSY;
}

int main(void)
{
    ASSERT_OK(cm__catalog_create(NULL, &cat));
    ASSERT_EQ(pthread_rwlock_rdlock(&cat->lock), 0); /* a long search in progress */
    pthread_t w, r;
    ASSERT_EQ(pthread_create(&w, NULL, writer, NULL), 0);
    /* The writer queues on the lock; wait (up to 10 s) until new readers are held back. */
    bool queued = false;
    for (int i = 0; i < 10000 && !queued; i++) {
        queued = writer_waits();
        if (!queued) {
            struct timespec ms = {0, 1000000};
            nanosleep(&ms, NULL);
        }
    }
    if (!queued)
        CM_FAIL_("a write waiting for the catalog's lock does not hold new readers back: "
                 "overlapping searches can starve writes");
    ASSERT_EQ(writer_done, 0); /* still waiting for the first reader */
    ASSERT_EQ(pthread_create(&r, NULL, reader, NULL), 0);
    struct timespec ms = {0, 20000000};
    nanosleep(&ms, NULL);
    ASSERT_EQ(reader_done, 0); /* the new reader waits behind the write (readers first: it
                                * would share the lock held here and be done) */
    pthread_rwlock_unlock(&cat->lock);
    pthread_join(w, NULL);
    pthread_join(r, NULL);
    ASSERT(writer_done && reader_done); /* both through (their order past the lock: racy) */
    cm__catalog_destroy(cat);
    printf("test_catalog_lock: ok\n");
    return 0;
}
