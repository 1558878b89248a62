/* The index's commits skip fsync (engine/index_sync.c): a file beside Xapian's says which boot
 * of the system last wrote it and whether it was synced since. Here: "open" while the engine
 * runs, "synced" after a clean close; an index last written under another boot and not synced
 * is rebuilt at open (its last commits may be half on disk), one that was synced, or written
 * under this boot (a process crash: the page cache has it all), is kept. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carematch/engine.h"
#include "index.h"
#include "test.h"

static int rebuilds_after_restart, rebuilds;

static void log_cb(void *arg, cm_log_level_t level, const char *event, const char *message)
{
    (void)arg;
    (void)level;
    if (strcmp(event, "index_rebuild") == 0 && strstr(message, "rebuilding the index")) {
        rebuilds++;
        rebuilds_after_restart += strstr(message, "system restarted") != NULL;
    }
}

static char dir[4200], sync_file[4300];

static void read_state(char *boot, size_t boot_cap, char *state, size_t state_cap)
{
    char line[256];
    FILE *f = fopen(sync_file, "r");
    ASSERT(f != NULL);
    ASSERT(fgets(line, sizeof line, f) != NULL);
    fclose(f);
    char *b = strstr(line, "boot="), *s = strstr(line, "state=");
    ASSERT(strncmp(line, "carematch-index-sync 1 ", 23) == 0 && b && s);
    snprintf(boot, boot_cap, "%.*s", (int)strcspn(b + 5, " "), b + 5);
    snprintf(state, state_cap, "%.*s", (int)strcspn(s + 6, " \n"), s + 6);
}

static void write_state(const char *boot, const char *state)
{
    FILE *f = fopen(sync_file, "w");
    ASSERT(f != NULL);
    fprintf(f, "carematch-index-sync 1 boot=%s state=%s\n", boot, state);
    ASSERT_EQ(fclose(f), 0);
}

static uint64_t found(cm_engine_t *e)
{
    cm_search_query_t q = {0};
    cm_search_result_t *r;
    q.q = "soignant";
    q.limit = 5;
    q.immersion_possible = q.pre_hire_training = q.accessible_to_disabled_workers = -1;
    ASSERT_OK(cm_engine_search(e, &q, &r, NULL));
    uint64_t t = r->total;
    cm_search_result_free(r);
    return t;
}

/* Open, count what a search finds and the rebuilds the open made, close. */
static void reopen(int *rebuilt, int *after_restart)
{
    cm_engine_t *e;
    cm_engine_options_t opt = {.log = log_cb};
    rebuilds = rebuilds_after_restart = 0;
    ASSERT_OK(cm_engine_open(dir, &opt, &e, NULL));
    ASSERT_EQ(found(e), 3);
    *rebuilt = rebuilds;
    *after_restart = rebuilds_after_restart;
    cm_engine_close(e);
}

int main(void)
{
    char boot[128], state[32], here[128];
    snprintf(dir, sizeof dir, "%s/data", cm_test_tmpdir("isync"));
    snprintf(sync_file, sizeof sync_file, "%s/xapian/carematch-sync", dir);
    FILE *bf = fopen("/proc/sys/kernel/random/boot_id", "r");
    if (!bf || !fgets(here, sizeof here, bf)) {
        printf("test_index_sync: skipped (no boot id here: commits keep their fsyncs)\n");
        return 0;
    }
    fclose(bf);
    here[strcspn(here, "\n")] = '\0';

    cm_engine_t *e;
    cm_engine_options_t opt = {.log = log_cb};
    ASSERT_OK(cm_engine_open(dir, &opt, &e, NULL));
    for (int i = 0; i < 3; i++) {
        char json[256];
        cm_offer_t *o;
        snprintf(json, sizeof json,
                 "{\"id\":\"s%d\",\"title\":\"Aide-soignant %d\",\"rome\":\"J1501\","
                 "\"location\":{\"lat\":48.85,\"lon\":2.35},\"contract\":\"CDI\"}",
                 i, i);
        ASSERT_OK(cm_offer_from_json(json, strlen(json), NULL, &o, NULL));
        ASSERT_OK(cm_engine_put_offer(e, o, 0, NULL, NULL));
        cm_offer_free(o);
    }
    read_state(boot, sizeof boot, state, sizeof state);
    ASSERT_STREQ(boot, here);
    ASSERT_STREQ(state, "open"); /* commits without fsync from here on */
    cm_engine_close(e);
    read_state(boot, sizeof boot, state, sizeof state);
    ASSERT_STREQ(state, "synced");

    int rebuilt, after_restart;
    /* the system stopped while the engine ran (another boot, "open"): rebuilt */
    write_state("0f0e0d0c-0b0a-0908-0706-050403020100", "open");
    reopen(&rebuilt, &after_restart);
    ASSERT_EQ(rebuilt, 1);
    ASSERT_EQ(after_restart, 1);
    /* a clean stop, then a restart of the system: kept */
    write_state("0f0e0d0c-0b0a-0908-0706-050403020100", "synced");
    reopen(&rebuilt, &after_restart);
    ASSERT_EQ(rebuilt, 0);
    /* the process died, the system did not (same boot, "open"): kept */
    write_state(here, "open");
    reopen(&rebuilt, &after_restart);
    ASSERT_EQ(rebuilt, 0);
    /* the verdict outlives a rebuild cut short (a fault probe: killed, the next start found
     * "open" under this boot and trusted the index): an open that judges it torn says
     * "torn", and a close before a rebuild does not make it "synced" */
    write_state("0f0e0d0c-0b0a-0908-0706-050403020100", "open");
    char xdir[4300];
    snprintf(xdir, sizeof xdir, "%s/xapian", dir);
    cm__index_t *ix = NULL;
    ASSERT_OK(cm__index_open(xdir, &ix, NULL));
    ASSERT(cm__index_torn(ix));
    read_state(boot, sizeof boot, state, sizeof state);
    ASSERT_STREQ(boot, here);
    ASSERT_STREQ(state, "torn");
    cm__index_close(ix); /* the process stops before any rebuild */
    read_state(boot, sizeof boot, state, sizeof state);
    ASSERT_STREQ(state, "torn");
    reopen(&rebuilt, &after_restart);
    ASSERT_EQ(rebuilt, 1);
    ASSERT_EQ(after_restart, 1);
    read_state(boot, sizeof boot, state, sizeof state);
    ASSERT_STREQ(state, "synced"); /* the rebuilt index, closed cleanly */
    reopen(&rebuilt, &after_restart);
    ASSERT_EQ(rebuilt, 0);
    /* a file that says nothing readable: rebuilt (always safe) */
    FILE *f = fopen(sync_file, "w");
    ASSERT(f != NULL);
    fputs("garbage\n", f);
    fclose(f);
    reopen(&rebuilt, &after_restart);
    ASSERT_EQ(rebuilt, 1);
    printf("test_index_sync: ok\n");
    return 0;
}
