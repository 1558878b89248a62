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
#include "carematch/francetravail.h"
#include "carematch/render.h"
#include "log.h" /* srvlog: engine messages as the server's JSON log lines */

#define IMPORT_BATCH CM_BULK_BATCH /* records parsed ahead of one cm_engine_put_* call */
/* index documents per commit during import: larger than the server's, no reader waits */
#define IMPORT_INDEX_BATCH_DOCS 20000
#define LINE_MAX_BYTES (CM_RECORD_JSON_MAX + 2)

static void usage(FILE *f)
{
    fputs("usage: carematch [--data DIR] COMMAND ...\n"
          "  import [--kind offers|candidates] [--format contract|france-travail] FILE...\n"
          "         NDJSON (contract format) or France Travail offers (JSON array,\n"
          "         {\"resultats\":[...]} or NDJSON); '-' reads stdin. Rejected lines are\n"
          "         reported on stderr and the import goes on.\n"
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

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Open the data directory. `bulk` (import): index on the engine's writer thread, in large
 * batches, so that indexing overlaps parsing and storage writes. */
static int open_engine_opts(const char *dir, bool read_only, bool bulk, cm_engine_t **e)
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
    return open_engine_opts(dir, read_only, false, e);
}

/* ---- import ---- */

typedef struct importer {
    cm_engine_t *e;
    bool offers;
    void *batch[IMPORT_BATCH];
    size_t batch_lines[IMPORT_BATCH];
    int rcs[IMPORT_BATCH];
    size_t n;
    unsigned long accepted, rejected;
    int fatal;
} importer_t;

/* One JSON line (strings escaped by cJSON); takes o (NULL after out of memory: prints nothing). */
static void print_json_to(FILE *f, cJSON *o)
{
    char *s = o ? cJSON_PrintUnformatted(o) : NULL;
    if (s)
        fprintf(f, "%s\n", s);
    free(s);
    cJSON_Delete(o);
}

static void print_json(cJSON *o)
{
    print_json_to(stdout, o);
}

static void report_reject(const char *file, size_t line, int rc, const cm_error *err)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return;
    cJSON_AddStringToObject(o, "file", file);
    cJSON_AddNumberToObject(o, "line", (double)line);
    cJSON_AddStringToObject(o, "code", cm_strerror(rc));
    if (err && err->field[0])
        cJSON_AddStringToObject(o, "field", err->field);
    cJSON_AddStringToObject(o, "message", err && err->message[0] ? err->message
                                                                 : cm_strerror(rc));
    print_json_to(stderr, o);
}

static void flush_batch(importer_t *im, const char *file)
{
    if (im->n == 0 || im->fatal)
        return;
    int rc = im->offers ? cm_engine_put_offers(im->e, (cm_offer_t **)im->batch, im->n, im->rcs)
                        : cm_engine_put_candidates(im->e, (cm_candidate_t **)im->batch, im->n,
                                                   im->rcs);
    for (size_t i = 0; i < im->n; i++) {
        if (im->rcs[i] == 0)
            im->accepted++;
        else {
            im->rejected++;
            report_reject(file, im->batch_lines[i], im->rcs[i], NULL);
        }
        if (im->offers)
            cm_offer_free(im->batch[i]);
        else
            cm_candidate_free(im->batch[i]);
    }
    im->n = 0;
    if (rc) {
        fprintf(stderr, "carematch: import stopped: %s\n", cm_strerror(rc));
        im->fatal = rc;
    }
}

static void import_record(importer_t *im, const char *file, size_t line, const char *json,
                          size_t len)
{
    cm_error err = {0};
    void *rec = NULL;
    int rc = im->offers ? cm_offer_from_json(json, len, NULL, (cm_offer_t **)&rec, &err)
                        : cm_candidate_from_json(json, len, NULL, (cm_candidate_t **)&rec,
                                                 &err);
    if (rc) {
        im->rejected++;
        report_reject(file, line, rc, &err);
        return;
    }
    im->batch[im->n] = rec;
    im->batch_lines[im->n] = line;
    if (++im->n == IMPORT_BATCH)
        flush_batch(im, file);
}

static char *slurp(FILE *f, size_t *len)
{
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    if (!buf)
        return NULL;
    for (;;) {
        if (n == cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb) {
                free(buf);
                return NULL;
            }
            buf = nb;
        }
        size_t r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (r == 0)
            break;
    }
    *len = n;
    return buf;
}

typedef struct ft_ctx {
    importer_t *im;
    const char *file;
} ft_ctx_t;

static int ft_offer(void *arg, size_t index, const char *json, size_t len)
{
    ft_ctx_t *c = arg;
    char *mapped = NULL, *report = NULL;
    int rc = cm_ft_offer_to_json(json, len, &mapped, &report);
    if (report && rc == 0) {
        cJSON *o = cJSON_CreateObject();
        char *s = NULL;
        if (o && cJSON_AddStringToObject(o, "file", c->file) &&
            cJSON_AddNumberToObject(o, "offer", (double)(index + 1)) &&
            cJSON_AddStringToObject(o, "unmapped", report))
            s = cJSON_PrintUnformatted(o);
        if (s)
            fprintf(stderr, "%s\n", s);
        free(s);
        cJSON_Delete(o);
    }
    if (rc) {
        cm_error err = {0};
        cm_error_set(&err, rc, NULL, "%s", report ? report : "cannot map this offer");
        c->im->rejected++;
        report_reject(c->file, index + 1, rc, &err);
    } else {
        import_record(c->im, c->file, index + 1, mapped, strlen(mapped));
    }
    cm_free(mapped);
    cm_free(report);
    return c->im->fatal;
}

static int import_file(importer_t *im, const char *path, bool france_travail)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "carematch: %s: %s\n", path, strerror(errno));
        return CM_EIO;
    }
    if (france_travail) {
        size_t len;
        char *text = slurp(f, &len);
        if (f != stdin)
            fclose(f);
        if (!text)
            return CM_ENOMEM;
        ft_ctx_t c = {im, path};
        cm_error err = {0};
        int rc = cm_ft_each_offer(text, len, ft_offer, &c, &err);
        free(text);
        if (rc && !im->fatal)
            fprintf(stderr, "carematch: %s: %s\n", path,
                    err.message[0] ? err.message : cm_strerror(rc));
        flush_batch(im, path);
        return im->fatal ? im->fatal : rc;
    }
    char *line = malloc(LINE_MAX_BYTES);
    if (!line) {
        if (f != stdin)
            fclose(f);
        return CM_ENOMEM;
    }
    size_t lineno = 0;
    while (!im->fatal && fgets(line, LINE_MAX_BYTES, f)) {
        size_t len = strlen(line);
        lineno++;
        if (len == LINE_MAX_BYTES - 1 && line[len - 1] != '\n') {
            /* over-long line: skip the rest of it and reject */
            int ch;
            while ((ch = fgetc(f)) != EOF && ch != '\n')
                ;
            cm_error err = {0};
            cm_error_set(&err, CM_ETOOBIG, NULL, "line longer than %d bytes",
                         CM_RECORD_JSON_MAX);
            im->rejected++;
            report_reject(path, lineno, CM_ETOOBIG, &err);
            continue;
        }
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = 0;
        if (len == 0)
            continue;
        import_record(im, path, lineno, line, len);
    }
    flush_batch(im, path);
    free(line);
    if (f != stdin)
        fclose(f);
    return im->fatal;
}

static int guess_offers(const char *path)
{
    if (strstr(path, "cand"))
        return 0;
    if (strstr(path, "offer") || strstr(path, "offre"))
        return 1;
    return -1;
}

static int cmd_import(const char *dir, int argc, char **argv)
{
    int kind = -1; /* 1 offers, 0 candidates */
    bool ft = false;
    int first = argc;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--kind") == 0 && i + 1 < argc) {
            kind = strcmp(argv[++i], "offers") == 0 ? 1 : strcmp(argv[i], "candidates") == 0
                                                              ? 0
                                                              : -2;
        } else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
            i++;
            if (strcmp(argv[i], "france-travail") == 0)
                ft = true;
            else if (strcmp(argv[i], "contract") != 0) {
                fprintf(stderr, "carematch: unknown format %s\n", argv[i]);
                return 2;
            }
        } else {
            first = i;
            break;
        }
    }
    if (kind == -2 || first >= argc) {
        usage(stderr);
        return 2;
    }
    if (ft)
        kind = 1;
    cm_engine_t *e;
    if (open_engine_opts(dir, false, true, &e))
        return 1;
    importer_t *im = calloc(1, sizeof *im);
    if (!im) {
        cm_engine_close(e);
        return 1;
    }
    im->e = e;
    double t0 = now_s();
    int rc = 0;
    for (int i = first; i < argc && rc == 0; i++) {
        int k = kind >= 0 ? kind : guess_offers(argv[i]);
        if (k < 0) {
            fprintf(stderr, "carematch: %s: say --kind offers or --kind candidates\n", argv[i]);
            rc = 2;
            break;
        }
        im->offers = k == 1;
        rc = import_file(im, argv[i], ft);
    }
    double dt = now_s() - t0;
    printf("{\"accepted\":%lu,\"rejected\":%lu,\"seconds\":%.3f,\"records_per_s\":%.0f}\n",
           im->accepted, im->rejected, dt, dt > 0 ? im->accepted / dt : 0.0);
    free(im);
    cm_engine_close(e);
    return rc ? 1 : 0;
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
        usage(stderr);
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
        usage(stderr);
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
        usage(stderr);
        return 2;
    }
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--neighbours") == 0) {
            opt.neighbours = true;
        } else if (strcmp(argv[i], "--limit") == 0 && i + 1 < argc) {
            opt.limit = (unsigned)atoi(argv[++i]);
        } else {
            usage(stderr);
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
        usage(stderr);
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
            usage(stderr);
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
        usage(stderr);
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
    double t0 = now_s();
    if (strcmp(cmd, "reindex") == 0) {
        rc = cm_engine_reindex(e, &err);
        if (!rc)
            printf("{\"reindexed\":true,\"seconds\":%.3f}\n", now_s() - t0);
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
            cJSON_AddNumberToObject(o, "seconds", round((now_s() - t0) * 1000) / 1000);
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
            usage(stdout);
            return 0;
        } else {
            usage(stderr);
            return 2;
        }
    }
    if (i >= argc) {
        usage(stderr);
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
    usage(stderr);
    return 2;
}
