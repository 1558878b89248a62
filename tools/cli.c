/* carematch: the operator's and adviser's command-line tool, over a data directory (import,
 * export, get, match, reindex, check, backup, info; read-only ones work while carematchd runs)
 * or over HTTP against a running carematchd (--url: cli_http.c); suggest needs neither. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "carematch/engine.h"
#include "carematch/render.h"
#include "cli.h"
#include "cli_common.h"
#include "cli_http.h"
#include "csv.h"
#include "log.h" /* srvlog: engine messages as the server's JSON log lines */
#include "version.h"

void cli_usage(FILE *f)
{
    fputs("usage: carematch [--data DIR | --url URL [--key KEY | --key-file FILE]] COMMAND ...\n"
          "       carematch --version\n"
          "  import [--kind offers|candidates|events|audit] [--format contract|france-travail]\n"
          "         FILE...   (events and audit: as exported, for a migration)\n"
          "         NDJSON (contract format) or France Travail offers (JSON array,\n"
          "         {\"resultats\":[...]} or NDJSON); '-' reads stdin. Rejected lines are\n"
          "         reported on stderr and the import goes on.\n"
          "         France Travail: [--report FILE] the NDJSON report (default stderr);\n"
          "         [--refresh-department DD] the files are the complete day's answer for\n"
          "         departement DD: its ft- offers absent from them are closed\n"

          "         A progress line is drawn on stderr when it is a terminal. Over HTTP,\n"
          "         lines go by POST .../_bulk in chunks of 1,000.\n"
          "  export offers|candidates [--format csv] | export events|audit\n"
          "                              NDJSON on stdout (sensitive fields included);\n"
          "                              data directory only (the API has no list)\n"
          "  get offer|candidate ID [--format csv]   one record as JSON\n"
          "  match candidate|offer ID [--limit N] [--min-score S] [--neighbours]\n"
          "        [--no-near-misses] [--format csv]\n"
          "                              ranked matches, the API's JSON; --neighbours adds\n"
          "                              records of neighbouring ROME codes\n"
          "  match profile FILE [...]    (--url only) POST /v1/match with a candidate's JSON\n"
          "  search [WORDS] [--PARAM VALUE]... [--all] [--format csv]\n"
          "                              (--url only) GET /v1/offers/search: WORDS are q,\n"
          "                              --radius-km 10 is radius_km=10 (repeat --rome ...);\n"
          "                              --all: every page (JSON: one answer a line)\n"
          "  search candidates [--PARAM VALUE]... [--all] [--format csv]\n"
          "                              (--url, adviser key) GET /v1/candidates/search, no\n"
          "                              words: --department 93 --certification DEAES\n"
          "                              --available night --open-to-immersion true\n"
          "  suggest jobs|communes QUERY [--limit N]\n"
          "                              job titles or communes, the API's JSON (no DIR)\n"
          "  The commands below work on a data directory only.\n"
          "  delete offer|candidate ID   erase a record (also one stored under an id reserved\n"
          "                              since: search, _bulk...); server stopped\n"
          "  reindex                     rebuild the search index from storage\n"
          "  check                       verify that the index agrees with storage\n"
          "  backup DEST                 consistent copy (safe while the server runs);\n"
          "                              restore = start carematchd with --data DEST\n"
          "  info                        counts, sequences, map usage\n"
          "DIR defaults to $CAREMATCH_DATA. Writing commands (import, reindex) need the\n"
          "server stopped; the others open the storage read-only.\n"
          "URL (http://host:port, plain HTTP only: no TLS) defaults to $CAREMATCH_URL and\n"
          "the API key to $CAREMATCH_KEY; prefer the variable or --key-file to --key, which\n"
          "other users can see in the process list. --url/--data given win over the\n"
          "variables; with neither flag, CAREMATCH_URL wins over CAREMATCH_DATA.\n"
          "--format csv: ';' separated, UTF-8 with BOM, CRLF, decimal comma (a French\n"
          "spreadsheet opens it as it is); columns in docs/CLI.md.\n"
          "Errors go to stderr as the API's {\"error\":{\"code\",\"message\",\"field\"}}.\n"
          "Exit codes:\n"
          "  0  done\n"
          "  1  done, but not everything: import lines rejected; get/match: not found;\n"
          "     check: the index disagrees with storage\n"
          "  2  usage: bad arguments, or the request refused as invalid (400, 409, 413,\n"
          "     415, 422), or a command this mode cannot do\n"
          "  3  cannot reach the server, open the data directory or an input file\n"
          "  4  authentication: 401 (no or unknown key) or 403 (scope too low)\n"
          "  5  the server or storage failed (5xx, 429 after retries, bad answer)\n",
          f);
}

/* The engine's warnings and errors, as the server logs them; its information lines (the
 * catalog snapshot loaded and saved...) are for the server's operators, and would mix with a
 * command's own output on stderr (import reports). */
static void cli_log_engine(void *arg, cm_log_level_t level, const char *event, const char *msg)
{
    if (level >= CM_LOG_WARN)
        srv_log_engine(arg, level, event, msg);
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
    opt.log = cli_log_engine;
    int rc = cm_engine_open(dir, &opt, e, &err);
    if (rc)
        cli_print_error("unavailable", NULL, "cannot open %s: %s (%s)%s", dir,
                        err.message[0] ? err.message : cm_strerror(rc), cm_strerror(rc),
                        rc == CM_EBUSY ? "; is carematchd running on this directory? stop it first "
                                         "for writing commands, or use --url"
                                       : "");
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

typedef struct export_ctx {
    csv_t *csv; /* NULL: NDJSON */
    bool offers;
} export_ctx_t;

/* One record's JSON (owned, freed here) as an NDJSON line or a CSV row. */
static int export_json(export_ctx_t *x, char *s)
{
    if (!s)
        return CM_ENOMEM;
    int rc = 0;
    if (!x->csv) {
        rc = puts(s) >= 0 ? 0 : CM_EIO;
    } else {
        cJSON *j = cJSON_Parse(s);
        if (j)
            csv_record(x->csv, j, x->offers);
        rc = j ? 0 : CM_ENOMEM;
        cJSON_Delete(j);
    }
    cm_free(s);
    return rc;
}

static int export_offer(void *arg, const cm_offer_t *o)
{
    return export_json(arg, cm_offer_to_json(o, CM_JSON_SENSITIVE));
}

static int export_cand(void *arg, const cm_candidate_t *c)
{
    return export_json(arg, cm_candidate_to_json(c, CM_JSON_SENSITIVE));
}

static int cmd_export(const char *dir, int argc, char **argv)
{
    csv_t csv;
    export_ctx_t x = {0};
    bool as_csv = false;
    if (cli_take_format(&argc, argv, &as_csv))
        return CLI_USAGE;
    bool history = argc == 1 && !as_csv &&
                   (strcmp(argv[0], "events") == 0 || strcmp(argv[0], "audit") == 0);
    if (argc != 1 || (!history && strcmp(argv[0], "offers") != 0 &&
                      strcmp(argv[0], "candidates") != 0)) {
        cli_usage(stderr);
        return CLI_USAGE;
    }
    x.offers = strcmp(argv[0], "offers") == 0;
    cm_engine_t *e;
    if (open_engine(dir, true, &e))
        return CLI_UNREACHABLE;
    if (history) {
        int hrc = cli_export_history(e, strcmp(argv[0], "audit") == 0);
        if (hrc)
            cli_print_rc(hrc, NULL, "export failed");
        cm_engine_close(e);
        return cli_exit_for_rc(hrc);
    }
    if (as_csv) {
        csv_start(&csv, stdout);
        x.csv = &csv;
    }
    cm_engine_info_t before, after;
    int rc = cm_engine_info(e, &before);
    if (rc == 0)
        rc = x.offers ? cm_engine_each_offer(e, export_offer, &x)
                      : cm_engine_each_candidate(e, export_cand, &x);
    if (rc)
        cli_print_rc(rc, NULL, "export failed");
    /* damaged records are left out, each named on stderr (the engine's log): not a complete
     * export, so not exit 0 (it said nothing and exited 0: a migration lost them silently) */
    bool partial =
        rc == 0 && cm_engine_info(e, &after) == 0 && after.damaged_met > before.damaged_met;
    if (partial)
        cli_print_error("internal", NULL,
                        "%llu damaged records left out of the export (named above): restore "
                        "them from a backup",
                        (unsigned long long)(after.damaged_met - before.damaged_met));
    cm_engine_close(e);
    return partial ? CLI_PARTIAL : cli_exit_for_rc(rc);
}

static int cmd_get(const char *dir, int argc, char **argv)
{
    bool as_csv = false;
    if (cli_take_format(&argc, argv, &as_csv))
        return CLI_USAGE;
    if (argc != 2 || (strcmp(argv[0], "offer") != 0 && strcmp(argv[0], "candidate") != 0)) {
        cli_usage(stderr);
        return CLI_USAGE;
    }
    cm_engine_t *e;
    if (open_engine(dir, true, &e))
        return CLI_UNREACHABLE;
    int rc;
    char *s = NULL;
    bool offer = strcmp(argv[0], "offer") == 0;
    if (offer) {
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
    if (!rc && !s)
        rc = CM_ENOMEM;
    if (rc) {
        cli_print_error(cli_api_code(rc, NULL), NULL, "%s %s: %s", argv[0], argv[1],
                        rc == CM_ENOTFOUND ? "not found" : cm_strerror(rc));
    } else if (as_csv) {
        export_ctx_t x = {0};
        csv_t csv;
        csv_start(&csv, stdout);
        x.csv = &csv;
        x.offers = offer;
        rc = export_json(&x, s);
        s = NULL;
    } else {
        puts(s);
    }
    cm_free(s);
    cm_engine_close(e);
    return cli_exit_for_rc(rc);
}

/* ---- match ---- */

static int cmd_match(const char *dir, int argc, char **argv)
{
    cm_match_options_t opt = {
        .limit = CM_MATCH_LIMIT_DEFAULT, .min_score = 0, .include_near_misses = true};
    bool as_csv = false;
    if (cli_take_format(&argc, argv, &as_csv))
        return CLI_USAGE;
    if (argc < 2 || (strcmp(argv[0], "offer") != 0 && strcmp(argv[0], "candidate") != 0)) {
        cli_usage(stderr);
        return CLI_USAGE;
    }
    for (int i = 2; i < argc; i++) {
        char *end = NULL;
        if (strcmp(argv[i], "--neighbours") == 0) {
            opt.neighbours = true;
        } else if (strcmp(argv[i], "--no-near-misses") == 0) {
            opt.include_near_misses = false;
        } else if (strcmp(argv[i], "--limit") == 0 && i + 1 < argc) {
            long v = strtol(argv[++i], &end, 10);
            if (*end || v < 1 || v > CM_MATCH_LIMIT_MAX) {
                cli_print_error("invalid_field", "limit", "--limit is 1 to %d",
                                CM_MATCH_LIMIT_MAX);
                return CLI_USAGE;
            }
            opt.limit = (unsigned)v;
        } else if (strcmp(argv[i], "--min-score") == 0 && i + 1 < argc) {
            opt.min_score = strtod(argv[++i], &end);
            if (*end || !(opt.min_score >= 0 && opt.min_score <= 100)) {
                cli_print_error("invalid_field", "min_score", "--min-score is 0 to 100");
                return CLI_USAGE;
            }
        } else {
            cli_usage(stderr);
            return CLI_USAGE;
        }
    }
    cm_engine_t *e;
    if (open_engine(dir, true, &e))
        return CLI_UNREACHABLE;
    cm_match_result_t *r = NULL;
    bool for_candidate = strcmp(argv[0], "candidate") == 0;
    int rc = for_candidate ? cm_engine_match_candidate(e, argv[1], &opt, &r)
                           : cm_engine_match_offer(e, argv[1], &opt, &r);
    if (rc) {
        cli_print_error(cli_api_code(rc, NULL), NULL, "%s %s: %s", argv[0], argv[1],
                        rc == CM_ENOTFOUND ? "not found" : cm_strerror(rc));
    } else {
        /* the API's JSON, from the same writer; CSV is drawn from that JSON too */
        char *s = NULL;
        rc = cm_match_result_to_json(r, &s, NULL);
        cJSON *j = NULL;
        if (rc == 0 && as_csv && !(j = cJSON_Parse(s)))
            rc = CM_ENOMEM;
        if (rc) {
            cli_print_rc(rc, NULL, "match");
        } else if (j) {
            csv_t csv;
            csv_start(&csv, stdout);
            csv_matches(&csv, j, for_candidate);
        } else {
            puts(s);
        }
        cJSON_Delete(j);
        cm_free(s);
        cm_match_result_free(r);
    }
    cm_engine_close(e);
    return cli_exit_for_rc(rc);
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

/* carematch delete offer|candidate ID: on a data directory (server stopped). The API's DELETE
 * does the same; this one also reaches a record stored under an id that is reserved since
 * (search, _bulk...), which no URL can address: the right to erasure holds for it too. */
static int cmd_delete(const char *dir, int argc, char **argv)
{
    if (argc != 2 || (strcmp(argv[0], "offer") != 0 && strcmp(argv[0], "candidate") != 0)) {
        cli_usage(stderr);
        return CLI_USAGE;
    }
    cm_engine_t *e;
    if (cli_open_engine_opts(dir, false, false, &e))
        return CLI_UNREACHABLE;
    bool offer = strcmp(argv[0], "offer") == 0;
    int rc =
        offer ? cm_engine_delete_offer(e, argv[1], 0) : cm_engine_delete_candidate(e, argv[1], 0);
    if (rc)
        cli_print_rc(rc, NULL, "delete failed");
    else
        printf("{\"deleted\":{\"%s\":\"%s\"}}\n", argv[0], argv[1]);
    cm_engine_close(e);
    return cli_exit_for_rc(rc);
}

static int cmd_simple(const char *dir, const char *cmd, int argc, char **argv)
{
    cm_engine_t *e;
    cm_error err = {0};
    bool rw = strcmp(cmd, "reindex") == 0;
    if (strcmp(cmd, "backup") == 0 && argc < 1) {
        cli_usage(stderr);
        return 2;
    }
    /* check and reindex open for writing: on a mistyped or missing directory that made an
     * empty store and said "0 records, index consistent" */
    char mdb[4200];
    struct stat sb;
    snprintf(mdb, sizeof mdb, "%s/lmdb/data.mdb", dir);
    if (rw || strcmp(cmd, "check") == 0) {
        if (stat(mdb, &sb) != 0) {
            cli_print_error("unavailable", NULL, "no store in %s (no lmdb/data.mdb): nothing to %s",
                            dir, cmd);
            return CLI_UNREACHABLE;
        }
    }
    if (strcmp(cmd, "check") == 0) {
        /* With the server stopped (say after a crash), open for writing so that the change
         * log is replayed first and check judges the index as the server will see it; with
         * the server running (it holds the index lock), check read-only: lag may show. */
        cm_engine_options_t opt = {0};
        opt.no_index_thread = true;
        opt.no_catalog_snapshot = true; /* what the directory holds is the server's business */
        opt.log = cli_log_engine;
        int orc = cm_engine_open(dir, &opt, &e, &err);
        bool ro_dir = orc != 0 && orc != CM_EBUSY && access(dir, W_OK) != 0;
        if (orc == CM_EBUSY || ro_dir) {
            if (ro_dir) /* a read-only mount, a restored copy: no lock to take, nothing to replay */
                fprintf(stderr,
                        "carematch: %s is not writable: checking read-only, changes not "
                        "yet indexed show as differences\n",
                        dir);
            else
                fprintf(stderr, "carematch: the index is in use (server running): checking "
                                "read-only, changes not yet indexed show as differences\n");
            if (open_engine(dir, true, &e))
                return CLI_UNREACHABLE;
        } else if (orc) {
            cli_print_error("unavailable", NULL, "cannot open %s: %s", dir,
                            err.message[0] ? err.message : cm_strerror(orc));
            return CLI_UNREACHABLE;
        }
    } else if (open_engine(dir, !rw, &e)) {
        return CLI_UNREACHABLE;
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
        cli_print_rc(rc, &err, cmd);
    cm_engine_close(e);
    /* check: an index that disagrees with storage is "done, not all good" */
    return strcmp(cmd, "check") == 0 && rc ? CLI_PARTIAL : cli_exit_for_rc(rc);
}

int main(int argc, char **argv)
{
    const char *dir = NULL, *url = NULL, *key = getenv("CAREMATCH_KEY");
    char *key_owned = NULL;
    int i = 1;
    while (i < argc && argv[i][0] == '-') {
        if (strcmp(argv[i], "--data") == 0 && i + 1 < argc) {
            dir = argv[i + 1];
            i += 2;
        } else if (strcmp(argv[i], "--url") == 0 && i + 1 < argc) {
            url = argv[i + 1];
            i += 2;
        } else if (strcmp(argv[i], "--key") == 0 && i + 1 < argc) {
            key = argv[i + 1];
            i += 2;
        } else if (strcmp(argv[i], "--key-file") == 0 && i + 1 < argc) {
            free(key_owned);
            if (!(key = key_owned = cli_read_key_file(argv[i + 1])))
                return CLI_USAGE;
            i += 2;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            cli_usage(stdout);
            return 0;
        } else if (strcmp(argv[i], "--version") == 0) {
            printf("carematch %s (commit %s)\n", CM_VERSION, CM_COMMIT);
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
    if (dir && url) {
        cli_print_error("invalid_field", "url", "--data and --url: choose one");
        return CLI_USAGE;
    }
    if (!dir && !url) { /* the flags win; then the server named in the environment */
        url = getenv("CAREMATCH_URL");
        if (url && !*url)
            url = NULL;
        if (!url)
            dir = getenv("CAREMATCH_DATA");
    }
    if (url) {
        int code = cli_http_main(url, key, argc - i, argv + i);
        free(key_owned);
        return code;
    }
    free(key_owned);
    if (strcmp(argv[i], "suggest") == 0)
        return cmd_suggest(argc - i - 1, argv + i + 1);
    if (strcmp(argv[i], "search") == 0) {
        cli_print_error("invalid_field", NULL, "search goes through the server: give --url "
                                               "(or CAREMATCH_URL)");
        return CLI_USAGE;
    }
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
    if (strcmp(cmd, "delete") == 0)
        return cmd_delete(dir, n, rest);
    if (strcmp(cmd, "reindex") == 0 || strcmp(cmd, "check") == 0 ||
        strcmp(cmd, "backup") == 0 || strcmp(cmd, "info") == 0)
        return cmd_simple(dir, cmd, n, rest);
    cli_usage(stderr);
    return 2;
}
