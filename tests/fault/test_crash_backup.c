/* Interrupted backup (issue #18 point 3): a child backs up a data directory again and again
 * and is killed with SIGKILL at a random moment. Every backup directory that holds an "lmdb"
 * must be complete (opens, every offer there); a copy cut short may only be left under its
 * temporary name. Pass or fail never depends on when the kill lands. */
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "carematch/engine.h"
#include "fault.h"
#include "test.h"

#define ROUNDS 4
#define NOFFERS 3000
#define BATCH 250
#define BACKUPS_MAX 10000

static cm_offer_t *make_offer(int i)
{
    char json[2048], desc[1400];
    cm_offer_t *o = NULL;
    cm_error err = {0};
    /* a long description: the copy takes long enough for the kill to land inside it */
    memset(desc, 'a' + i % 26, sizeof desc - 1);
    desc[sizeof desc - 1] = 0;
    snprintf(json, sizeof json,
             "{\"id\":\"bk-%06d\",\"title\":\"Aide-soignant numero %d\",\"rome\":\"J1501\","
             "\"description\":\"%s\",\"location\":{\"lat\":45.0,\"lon\":2.0},"
             "\"contract\":\"CDI\"}",
             i, i, desc);
    if (cm_offer_from_json(json, strlen(json), NULL, &o, &err))
        CM_FAIL_("offer json: %s", err.message);
    return o;
}

static void backup_loop(const char *dir, const char *dest_base, int fd)
{
    cm_engine_t *e;
    cm_error err = {0};
    cm_engine_options_t opt = {.read_only = true}; /* as `carematch backup` opens it */
    if (cm_engine_open(dir, &opt, &e, &err))
        _exit(2);
    for (int k = 0; k < BACKUPS_MAX; k++) {
        char dest[4300];
        snprintf(dest, sizeof dest, "%s/b%05d", dest_base, k);
        if (write(fd, "B", 1) != 1)
            _exit(3);
        if (cm_engine_backup(e, dest, &err) != 0)
            _exit(4);
    }
    _exit(5);
}

struct backup_args {
    const char *dir, *dests;
};

static void backup_child(void *arg, int fd)
{
    struct backup_args *a = arg;
    backup_loop(a->dir, a->dests, fd);
}

int main(void)
{
    char dir[4200], dests[4200];
    const char *base = cm_test_tmpdir("crash-backup");
    snprintf(dir, sizeof dir, "%s/data", base);
    unsigned seed = (unsigned)time(NULL);
    const char *s = getenv("CM_TEST_SEED");
    if (s)
        seed = (unsigned)atoi(s);
    printf("seed %u (set CM_TEST_SEED to replay)\n", seed);
    srand(seed);

    cm_engine_t *e;
    cm_error err = {0};
    ASSERT_OK(cm_engine_open(dir, NULL, &e, &err));
    cm_offer_t *recs[BATCH];
    int rcs[BATCH];
    for (int i = 0; i < NOFFERS; i += BATCH) {
        for (int j = 0; j < BATCH; j++)
            recs[j] = make_offer(i + j);
        ASSERT_OK(cm_engine_put_offers(e, recs, BATCH, rcs));
        for (int j = 0; j < BATCH; j++) {
            ASSERT_OK(rcs[j]);
            cm_offer_free(recs[j]);
        }
    }
    cm_engine_close(e);

    unsigned complete = 0, cut = 0;
    for (int round = 0; round < ROUNDS; round++) {
        snprintf(dests, sizeof dests, "%s/backups-%d", base, round);
        ASSERT_EQ(mkdir(dests, 0750), 0);
        struct backup_args ba = {dir, dests};
        long run_ms = 5 + rand() % 300;
        unsigned starts = cm_fault_run_and_kill(backup_child, &ba, run_ms, "backup", round);
        for (unsigned k = 0; k < starts; k++) {
            char dest[4300], lmdb[4400];
            struct stat sb;
            snprintf(dest, sizeof dest, "%s/b%05u", dests, k);
            snprintf(lmdb, sizeof lmdb, "%s/lmdb", dest);
            if (stat(lmdb, &sb) != 0) {
                cut++; /* killed before the rename: nothing that looks like a backup */
                continue;
            }
            cm_engine_options_t opt = {.read_only = true};
            int rc = cm_engine_open(dest, &opt, &e, &err);
            if (rc)
                CM_FAIL_("round %d: backup %s does not open: %s", round, dest, err.message);
            cm_engine_info_t info;
            ASSERT_OK(cm_engine_info(e, &info));
            if (info.offers != NOFFERS)
                CM_FAIL_("round %d: backup %s holds %llu offers of %d", round, dest,
                         (unsigned long long)info.offers, NOFFERS);
            cm_offer_t *o;
            ASSERT_OK(cm_engine_get_offer(e, "bk-002999", &o));
            cm_offer_free(o);
            cm_engine_close(e);
            complete++;
        }
        printf("round %d: killed after %ld ms, %u backups started\n", round, run_ms, starts);
    }
    printf("test_crash_backup: ok (%u complete backups checked, %u cut short and not "
           "named lmdb)\n",
           complete, cut);
    return 0;
}
