/* carematch: the operator's command-line tool over a data directory (import, export, get,
 * match, reindex, check, backup, info), and referential lookups (suggest) that need none.
 * Read-only commands work while carematchd runs. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "carematch/engine.h"
#include "carematch/render.h"
#include "cli.h"
#include "log.h" /* srvlog: engine messages as the server's JSON log lines */

void cli_usage(FILE *f)
{
    fputs("usage: carematch [--data DIR] COMMAND ...\n"
          "  import [--kind offers|candidates] [--format contract|france-travail] FILE...\n"
          "         NDJSON (contract format) or France Travail offers (JSON array,\n"
          "         {\"resultats\":[...]} or NDJSON); '-' reads stdin. Rejected lines are\n"
          "         reported on stderr and the import goes on.\n"
          "         France Travail: [--report FILE] the NDJSON report (default stderr);\n"
          "         [--refresh-department DD] the files are the complete day's answer for\n"
          "         departement DD: its ft- offers absent from them are closed\n"
          "  export offers|candidates    NDJSON on stdout (sensitive fields included)\n"
          "  get offer|candidate ID      one record as JSON\n"
          "  match candidate|offer ID [--limit N] [--neighbours]\n"
          "                              ranked matches, the API's JSON; --neighbours adds\n"
          "                              records of neighbouring ROME codes\n"
          "  suggest jobs|communes QUERY [--limit N]\n"
          "                              job titles or communes, the API's JSON (no DIR)\n"
          "  reindex                     rebuild the search index from storage\n"
          "  check                       verify that the index agrees with storage\n"
          "  backup DEST                 consistent copy (safe while the server runs);\n"
          "                              restore = start carematchd with --data DEST\n"
          "  info                        counts, sequences, map usage\n"
          "DIR defaults to $CAREMATCH_DATA. Writing commands (import, reindex) need the\n"
          "server stopped; the others open the storage read-only.\n",
          f);
}

double cli_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Open the data directory. `bulk` (import): index on the engine's writer thread, in large
 * batches, so that indexing overlaps parsing and storage writes. */
int cli_open_engine_opts(const char *dir, bool read_only, bool bulk, cm_engine_t **e)
{
    cm_engine_options_t opt = {0};
    cm_error err = {0};
    opt.read_only = read_only;
    opt.no_index_thread = !bulk;
    opt.index_batch_docs = bulk ? IMPORT_INDEX_BATCH_DOCS : 0;
    opt.log = srv_log_engine;
    int rc = cm_engine_open(dir, &opt, e, &err);
    if (rc) {
        fprintf(stderr, "carematch: cannot open %s: %s (%s)\n", dir,
                err.message[0] ? err.message : cm_strerror(rc), cm_strerror(rc));
        if (rc == CM_EBUSY || rc == CM_EXAPIAN)
            fprintf(stderr, "carematch: is carematchd running on this directory? stop it "
                            "first for writing commands\n");
    }
    return rc;
}

static int open_engine(const char *dir, bool read_only, cm_engine_t **e)
{
    return cli_open_engine_opts(dir, read_only, false, e);
}

/* One JSON line (strings escaped by cJSON); takes o (NULL after out of memory: prints nothing). */
static void print_json(cJSON *o)
{
    char *s = o ? cJSON_PrintUnformatted(o) : NULL;
    if (s)
        printf("%s\n", s);
    free(s);
    cJSON_Delete(o);
}

/* ---- export / get ---- */

static int export_offer(void *arg, const cm_offer_t *o)
{
    (void)arg;
    char *s = cm_offer_to_json(o, CM_JSON_SENSITIVE);
    if (!s)
        return CM_ENOMEM;
    int ok = puts(s) >= 0;
    cm_free(s);
    return ok ? 0 : CM_EIO;
}

static int export_cand(void *arg, const cm_candidate_t *c)
{
    (void)arg;
    char *s = cm_candidate_to_json(c, CM_JSON_SENSITIVE);
    if (!s)
        return CM_ENOMEM;
    int ok = puts(s) >= 0;
    cm_free(s);
    return ok ? 0 : CM_EIO;
}

static int cmd_export(const char *dir, int argc, char **argv)
{
    if (argc < 1 || (strcmp(argv[0], "offers") != 0 && strcmp(argv[0], "candidates") != 0)) {
        cli_usage(stderr);
        return 2;
    }
    cm_engine_t *e;
    if (open_engine(dir, true, &e))
        return 1;
    int rc = strcmp(argv[0], "offers") == 0 ? cm_engine_each_offer(e, export_offer, NULL)
                                             : cm_engine_each_candidate(e, export_cand, NULL);
    if (rc)
        fprintf(stderr, "carematch: export failed: %s\n", cm_strerror(rc));
    cm_engine_close(e);
    return rc ? 1 : 0;
}

static int cmd_get(const char *dir, int argc, char **argv)
{
    if (argc < 2) {
        cli_usage(stderr);
        return 2;
    }
    cm_engine_t *e;
    if (open_engine(dir, true, &e))
        return 1;
    int rc;
    char *s = NULL;
    if (strcmp(argv[0], "offer") == 0) {
        cm_offer_t *o;
        if ((rc = cm_engine_get_offer(e, argv[1], &o)) == 0) {
            s = cm_offer_to_json(o, CM_JSON_SENSITIVE);
            cm_offer_free(o);
        }
    } else {
        cm_candidate_t *c;
        if ((rc = cm_engine_get_candidate(e, argv[1], &c)) == 0) {
            s = cm_candidate_to_json(c, CM_JSON_SENSITIVE);
            cm_candidate_free(c);
        }
    }
    if (s)
        puts(s);
    else
        fprintf(stderr, "carematch: %s %s: %s\n", argv[0], argv[1], cm_strerror(rc));
    cm_free(s);
    cm_engine_close(e);
    return s ? 0 : 1;
}

/* ---- match ---- */

static int cmd_match(const char *dir, int argc, char **argv)
{
    cm_match_options_t opt = {
        .limit = CM_MATCH_LIMIT_DEFAULT, .min_score = 0, .include_near_misses = true};
    if (argc < 2) {
        cli_usage(stderr);
        return 2;
    }
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--neighbours") == 0) {
            opt.neighbours = true;
        } else if (strcmp(argv[i], "--limit") == 0 && i + 1 < argc) {
            opt.limit = (unsigned)atoi(argv[++i]);
        } else {
            cli_usage(stderr);
            return 2;
        }
    }
    cm_engine_t *e;
    if (open_engine(dir, true, &e))
        return 1;
    cm_match_result_t *r = NULL;
    int rc = strcmp(argv[0], "offer") == 0 ? cm_engine_match_offer(e, argv[1], &opt, &r)
                                            : cm_engine_match_candidate(e, argv[1], &opt, &r);
    if (rc) {
        fprintf(stderr, "carematch: match %s %s: %s\n", argv[0], argv[1], cm_strerror(rc));
    } else {
        /* the API's JSON, from the same writer */
        char *s = NULL;
        rc = cm_match_result_to_json(r, &s, NULL);
        if (rc == 0)
            puts(s);
        else
            fprintf(stderr, "carematch: match: %s\n", cm_strerror(rc));
        cm_free(s);
        cm_match_result_free(r);
    }
    cm_engine_close(e);
    return rc ? 1 : 0;
}

/* ---- suggest ---- */

/* The referentials are compiled in: no data directory, nothing opened. */
static int cmd_suggest(int argc, char **argv)
{
    long limit = 10;
    if (argc < 2 || (strcmp(argv[0], "jobs") != 0 && strcmp(argv[0], "communes") != 0)) {
        cli_usage(stderr);
        return 2;
    }
    for (int i = 2; i < argc; i++) {
        char *end;
        if (strcmp(argv[i], "--limit") == 0 && i + 1 < argc) {
            limit = strtol(argv[++i], &end, 10);
            if (*end || limit < 1 || limit > CM_SUGGEST_LIMIT_MAX) {
                fprintf(stderr, "carematch: --limit is 1 to %d\n", CM_SUGGEST_LIMIT_MAX);
                return 2;
            }
        } else {
            cli_usage(stderr);
            return 2;
        }
    }
    char *s = NULL;
    int rc;
    if (strcmp(argv[0], "jobs") == 0) {
        cm_rome_suggestion_t sg[CM_SUGGEST_LIMIT_MAX];
        size_t n = cm_rome_suggest(argv[1], sg, (size_t)limit);
        rc = cm_job_suggestions_to_json(sg, n < (size_t)limit ? n : (size_t)limit, &s, NULL);
    } else {
        cm_commune_t c[CM_SUGGEST_LIMIT_MAX];
        size_t n = cm_commune_suggest(argv[1], c, (size_t)limit);
        rc = cm_commune_suggestions_to_json(c, n < (size_t)limit ? n : (size_t)limit, &s, NULL);
    }
    if (rc == 0)
        puts(s);
    else
        fprintf(stderr, "carematch: suggest: %s\n", cm_strerror(rc));
    cm_free(s);
    return rc ? 1 : 0;
}

/* ---- operations ---- */

static int cmd_simple(const char *dir, const char *cmd, int argc, char **argv)
{
    cm_engine_t *e;
    cm_error err = {0};
    bool rw = strcmp(cmd, "reindex") == 0;
    if (strcmp(cmd, "backup") == 0 && argc < 1) {
        cli_usage(stderr);
        return 2;
    }
    if (strcmp(cmd, "check") == 0) {
        /* With the server stopped (say after a crash), open for writing so that the change
         * log is replayed first and check judges the index as the server will see it; with
         * the server running (it holds the index lock), check read-only: lag may show. */
        cm_engine_options_t opt = {0};
        opt.no_index_thread = true;
        opt.log = srv_log_engine;
        int orc = cm_engine_open(dir, &opt, &e, &err);
        if (orc == CM_EBUSY) {
            fprintf(stderr, "carematch: the index is in use (server running): checking "
                            "read-only, changes not yet indexed show as differences\n");
            if (open_engine(dir, true, &e))
                return 1;
        } else if (orc) {
            fprintf(stderr, "carematch: cannot open %s: %s\n", dir,
                    err.message[0] ? err.message : cm_strerror(orc));
            return 1;
        }
    } else if (open_engine(dir, !rw, &e)) {
        return 1;
    }
    int rc = 0;
    double t0 = cli_now();
    if (strcmp(cmd, "reindex") == 0) {
        rc = cm_engine_reindex(e, &err);
        if (!rc)
            printf("{\"reindexed\":true,\"seconds\":%.3f}\n", cli_now() - t0);
    } else if (strcmp(cmd, "check") == 0) {
        rc = cm_engine_check(e, &err);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddBoolToObject(o, "consistent", rc == 0);
        cJSON_AddStringToObject(o, "message", err.message);
        print_json(o);
    } else if (strcmp(cmd, "backup") == 0) {
        rc = cm_engine_backup(e, argv[0], &err);
        if (!rc) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "backup", argv[0]);
            cJSON_AddNumberToObject(o, "seconds", round((cli_now() - t0) * 1000) / 1000);
            print_json(o);
        }
    } else {
        cm_engine_info_t in;
        if ((rc = cm_engine_info(e, &in)) == 0)
            printf("{\"offers\":%llu,\"candidates\":%llu,\"events\":%llu,\"last_seq\":%llu,"
                   "\"map_size\":%llu,\"map_used\":%llu}\n",
                   (unsigned long long)in.offers, (unsigned long long)in.candidates,
                   (unsigned long long)in.events, (unsigned long long)in.last_seq,
                   (unsigned long long)in.map_size, (unsigned long long)in.map_used);
    }
    if (rc && strcmp(cmd, "check") != 0)
        fprintf(stderr, "carematch: %s: %s\n", cmd, err.message[0] ? err.message
                                                                    : cm_strerror(rc));
    cm_engine_close(e);
    return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
    const char *dir = getenv("CAREMATCH_DATA");
    int i = 1;
    while (i < argc && argv[i][0] == '-') {
        if (strcmp(argv[i], "--data") == 0 && i + 1 < argc) {
            dir = argv[i + 1];
            i += 2;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            cli_usage(stdout);
            return 0;
        } else {
            cli_usage(stderr);
            return 2;
        }
    }
    if (i >= argc) {
        cli_usage(stderr);
        return 2;
    }
    if (strcmp(argv[i], "suggest") == 0)
        return cmd_suggest(argc - i - 1, argv + i + 1);
    if (!dir) {
        fprintf(stderr, "carematch: no data directory (--data DIR or CAREMATCH_DATA)\n");
        return 2;
    }
    const char *cmd = argv[i++];
    int n = argc - i;
    char **rest = argv + i;
    if (strcmp(cmd, "import") == 0)
        return cmd_import(dir, n, rest);
    if (strcmp(cmd, "export") == 0)
        return cmd_export(dir, n, rest);
    if (strcmp(cmd, "get") == 0)
        return cmd_get(dir, n, rest);
    if (strcmp(cmd, "match") == 0)
        return cmd_match(dir, n, rest);
    if (strcmp(cmd, "reindex") == 0 || strcmp(cmd, "check") == 0 ||
        strcmp(cmd, "backup") == 0 || strcmp(cmd, "info") == 0)
        return cmd_simple(dir, cmd, n, rest);
    cli_usage(stderr);
    return 2;
}
