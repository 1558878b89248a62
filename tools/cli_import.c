/* carematch import: contract NDJSON or France Travail offers into a data directory (server
 * stopped), with France Travail's NDJSON report and its daily refresh of a département. */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "carematch/engine.h"
#include "carematch/francetravail.h"
#include "carematch/record.h"
#include "cli.h"
#include "cli_common.h"

#define IMPORT_BATCH CM_BULK_BATCH /* records parsed ahead of one cm_engine_put_* call */
#define LINE_MAX_BYTES (CM_RECORD_JSON_MAX + 2)
#define CODES_MAX 64 /* distinct finding codes counted in the summary */

typedef struct code_count {
    char code[40];
    unsigned long n;
} code_count_t;

typedef struct importer {
    cm_engine_t *e;
    bool offers;
    void *batch[IMPORT_BATCH];
    size_t batch_lines[IMPORT_BATCH];
    int rcs[IMPORT_BATCH];
    size_t n;
    uint64_t last_seq; /* the last batch's change: the index has it when the import ends */
    unsigned long accepted, rejected, unchanged, read, closed, outside, inside, no_department;
    unsigned long unidentified; /* pieces refused before an id was read (cut file, error body) */
    int fatal;
    /* France Travail */
    bool ft;
    FILE *report;               /* NDJSON findings: stderr or --report FILE */
    const char *file;           /* file being read */
    size_t index;               /* 1-based position of the offer being read */
    char cur_id[CM_ID_MAX + 1]; /* France Travail id of the offer being stored */
    const char *refresh;        /* --refresh-department DD */
    code_count_t codes[CODES_MAX];
    size_t n_codes;
    char **seen; /* France Travail ids met in the files (refresh) */
    bool cur_refused; /* the offer being read was refused (its mapping or its record) */
    size_t n_seen, cap_seen;
    char **ids; /* record ids stored by this import: a hash set (open addressing) */
    size_t n_ids, cap_ids;
} importer_t;

/* ---- ids met twice in one import ---- */

static size_t id_hash(const char *s)
{
    uint64_t h = 14695981039346656037u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return (size_t)h;
}

/* true when id was met before in this import; remembers it otherwise (out of memory: false,
 * the record is then only checked against the store, as before). */
static bool met_before(importer_t *im, const char *id)
{
    if (2 * (im->n_ids + 1) > im->cap_ids) {
        size_t cap = im->cap_ids ? 2 * im->cap_ids : 4096;
        char **t = calloc(cap, sizeof *t);
        if (!t)
            return false;
        for (size_t i = 0; i < im->cap_ids; i++) {
            if (!im->ids[i])
                continue;
            size_t k = id_hash(im->ids[i]) & (cap - 1);
            while (t[k])
                k = (k + 1) & (cap - 1);
            t[k] = im->ids[i];
        }
        free(im->ids);
        im->ids = t;
        im->cap_ids = cap;
    }
    size_t k = id_hash(id) & (im->cap_ids - 1);
    for (; im->ids[k]; k = (k + 1) & (im->cap_ids - 1))
        if (strcmp(im->ids[k], id) == 0)
            return true;
    if ((im->ids[k] = strdup(id)))
        im->n_ids++;
    return false;
}

/* ---- reports ---- */

/* One JSON line (strings escaped by cJSON); takes o (NULL after out of memory: prints nothing). */
static void print_json_to(FILE *f, cJSON *o)
{
    char *s = o ? cJSON_PrintUnformatted(o) : NULL;
    if (s)
        fprintf(f, "%s\n", s);
    free(s);
    cJSON_Delete(o);
}

/* {"file","line","error":{...}}: a bulk answer's errors[] shape, the API's codes */
static void report_reject(const char *file, size_t line, int rc, const cm_error *err)
{
    const char *field = err && err->field[0] ? err->field : NULL;
    cli_print_reject(file, line, cli_api_code(rc, field), field,
                     err && err->message[0] ? err->message : cm_strerror(rc));
}

static void count_code(importer_t *im, const char *code)
{
    for (size_t i = 0; i < im->n_codes; i++)
        if (strcmp(im->codes[i].code, code) == 0) {
            im->codes[i].n++;
            return;
        }
    if (im->n_codes < CODES_MAX) {
        snprintf(im->codes[im->n_codes].code, sizeof im->codes[0].code, "%s", code);
        im->codes[im->n_codes++].n = 1;
    }
}

static void remember(importer_t *im, const char *id)
{
    if (!im->refresh)
        return;
    if (im->n_seen && strcmp(im->seen[im->n_seen - 1], id) == 0)
        return; /* the same offer's next finding */
    if (im->n_seen == im->cap_seen) {
        size_t cap = im->cap_seen ? im->cap_seen * 2 : 1024;
        char **p = realloc(im->seen, cap * sizeof *p);
        if (!p)
            return; /* an id not remembered only keeps its offer open */
        im->seen = p;
        im->cap_seen = cap;
    }
    if ((im->seen[im->n_seen] = strdup(id)))
        im->n_seen++;
}

/* One line of the report: the mapper's findings and the CLI's own (record_invalid,
 * store_failed, offer_closed). */
static void on_finding(void *arg, const cm_ft_finding_t *f)
{
    importer_t *im = arg;
    count_code(im, f->code);
    if (f->offer_id)
        remember(im, f->offer_id);
    else if (f->level == CM_FT_REJECT)
        im->unidentified++;
    char *line = cm_ft_finding_to_json(f, im->file, im->index);
    if (line)
        fprintf(im->report, "%s\n", line);
    cm_free(line);
}

static void ft_line(importer_t *im, const char *id, const char *code, cm_ft_level_t level,
                    const char *field, const char *detail)
{
    cm_ft_finding_t f = {id, code, level, field && field[0] ? field : NULL, NULL, detail};
    on_finding(im, &f);
}

/* ---- storing ---- */

static cli_progress_t progress; /* the import's progress line (a terminal only) */

static void flush_batch(importer_t *im, const char *file)
{
    if (im->n == 0 || im->fatal)
        return;
    /* no wait for the index: the next batch is parsed and stored while the index writer
     * indexes this one, and closing the engine waits for it to drain */
    uint64_t seq;
    int rc = im->offers ? cm_engine_put_offers_deferred(im->e, (cm_offer_t **)im->batch, im->n,
                                                        im->rcs, &seq)
                        : cm_engine_put_candidates_deferred(im->e, (cm_candidate_t **)im->batch,
                                                            im->n, im->rcs, &seq);
    if (seq > im->last_seq)
        im->last_seq = seq;
    for (size_t i = 0; i < im->n; i++) {
        if (im->rcs[i] == 0) {
            im->accepted++;
        } else {
            im->rejected++;
            if (im->ft) {
                im->index = im->batch_lines[i];
                ft_line(im, ((cm_offer_t *)im->batch[i])->id + 3, "store_failed", CM_FT_REJECT,
                        NULL, cm_strerror(im->rcs[i]));
            } else {
                report_reject(file, im->batch_lines[i], im->rcs[i], NULL);
            }
        }
        if (im->offers)
            cm_offer_free(im->batch[i]);
        else
            cm_candidate_free(im->batch[i]);
    }
    im->n = 0;
    cli_progress_update(&progress, im->accepted + im->rejected, im->accepted, im->rejected);
    if (rc) {
        fprintf(stderr, "carematch: import stopped: %s\n", cm_strerror(rc));
        im->fatal = rc;
    }
}

/* Is the stored offer the same as the new one? Then storing it again would only bump its
 * version (and wake every consumer of the change log) for nothing. */
static bool unchanged(importer_t *im, cm_offer_t *rec)
{
    cm_offer_t *old = NULL;
    if (cm_engine_get_offer(im->e, rec->id, &old) != 0)
        return false;
    uint64_t v = rec->version;
    rec->version = old->version;
    char *a = cm_offer_to_json(old, CM_JSON_SENSITIVE),
         *b = cm_offer_to_json(rec, CM_JSON_SENSITIVE);
    bool same = a && b && strcmp(a, b) == 0;
    rec->version = v;
    cm_free(a);
    cm_free(b);
    cm_offer_free(old);
    return same;
}

/* Drops the offer `id` from the batch not yet stored (France Travail: a later occurrence in
 * the files replaces it). */
static void drop_pending(importer_t *im, const char *id)
{
    for (size_t i = 0; i < im->n; i++) {
        cm_offer_t *p = im->batch[i];
        if (strcmp(p->id, id) != 0)
            continue;
        cm_offer_free(p);
        memmove(&im->batch[i], &im->batch[i + 1], (im->n - i - 1) * sizeof im->batch[0]);
        memmove(&im->batch_lines[i], &im->batch_lines[i + 1],
                (im->n - i - 1) * sizeof im->batch_lines[0]);
        im->n--;
        return;
    }
}

/* Département of a record's place: its postcode's, else its commune's ("2A004" -> 2A,
 * "97411" -> 974); false when it has neither. */
static void import_record(importer_t *im, const char *file, size_t line, const char *json,
                          size_t len)
{
    cm_error err = {0};
    void *rec = NULL;
    int rc = im->offers ? cm_offer_from_json(json, len, NULL, (cm_offer_t **)&rec, &err)
                        : cm_candidate_from_json(json, len, NULL, (cm_candidate_t **)&rec, &err);
    if (rc) {
        im->rejected++;
        im->cur_refused = true;
        if (im->ft)
            ft_line(im, im->cur_id[0] ? im->cur_id : NULL, "record_invalid", CM_FT_REJECT,
                    err.field, err.message[0] ? err.message : cm_strerror(rc));
        else
            report_reject(file, line, rc, &err);
        return;
    }
    if (im->ft) {
        cm_offer_t *o = rec;
        char dep[4];
        if (im->refresh && (!cm_department_of_place(o->postcode, o->commune, dep) ||
                            strcmp(dep, im->refresh) != 0))
            im->outside++;
        else if (im->refresh)
            im->inside++;
        /* Met earlier in the files (pages fetched while the offer moved): the last one is
         * kept. An earlier one still waiting in the batch is dropped, so that the record is
         * written once, and not at all when the last one is what the store holds. */
        if (met_before(im, o->id)) {
            ft_line(im, im->cur_id[0] ? im->cur_id : NULL, "duplicate_id", CM_FT_GUESS, "id",
                    "met earlier in the files: the last one is kept");
            drop_pending(im, o->id);
        }
        if (unchanged(im, o)) {
            im->unchanged++;
            cm_offer_free(o);
            return;
        }
    }
    im->batch[im->n] = rec;
    im->batch_lines[im->n] = line;
    if (++im->n == IMPORT_BATCH)
        flush_batch(im, file);
}

/* ---- reading files ---- */

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

static int ft_offer(void *arg, size_t index, const char *json, size_t len)
{
    importer_t *im = arg;
    char *mapped = NULL;
    im->index = index + 1;
    im->read++;
    size_t seen_before = im->n_seen;
    im->cur_refused = false;
    int rc = cm_ft_offer_to_json(json, len, &mapped, on_finding, im);
    if (rc == CM_ENOMEM) {
        fprintf(stderr, "carematch: import stopped: out of memory\n");
        im->fatal = rc;
    } else if (rc) {
        im->rejected++;
        im->cur_refused = true;
    } else {
        cJSON *o = cJSON_Parse(mapped); /* the id, for the refresh, even if the record fails */
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(o, "id");
        im->cur_id[0] = '\0';
        if (cJSON_IsString(id)) {
            remember(im, id->valuestring + 3);
            snprintf(im->cur_id, sizeof im->cur_id, "%s", id->valuestring + 3);
        }
        cJSON_Delete(o);
        import_record(im, im->file, index + 1, mapped, strlen(mapped));
    }
    /* Refused, it is not "in the answer" for the refresh: the version stored from an earlier
     * day (say, now placed at département level only) no longer says what France Travail
     * does, and is closed as an absent one is, rather than proposed as it was. */
    if (im->cur_refused)
        while (im->n_seen > seen_before)
            free(im->seen[--im->n_seen]);
    cm_free(mapped);
    return im->fatal;
}

static int import_file(importer_t *im, const char *path)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "carematch: %s: %s\n", path, strerror(errno));
        return CM_EIO;
    }
    if (im->ft) {
        size_t len;
        char *text = slurp(f, &len);
        if (f != stdin)
            fclose(f);
        if (!text)
            return CM_ENOMEM;
        im->file = path;
        cm_error err = {0};
        unsigned long read_before = im->read;
        int rc = cm_ft_each_offer(text, len, ft_offer, im, &err);
        free(text);
        if (rc && !im->fatal)
            fprintf(stderr, "carematch: %s: %s\n", path,
                    err.message[0] ? err.message : cm_strerror(rc));
        /* a page of a refresh with no offer ("resultats": []) is a failed fetch: France
         * Travail answers 204, not an empty 200, when nothing is left */
        if (!rc && im->refresh && im->read == read_before) {
            fprintf(stderr, "carematch: %s: no offer in this file\n", path);
            rc = CM_EINVAL;
        }
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
            cm_error_set(&err, CM_ETOOBIG, NULL, "line longer than %d bytes", CM_RECORD_JSON_MAX);
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

/* ---- the refresh: close what France Travail no longer lists ---- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef struct closing {
    importer_t *im;
    char **ids;
    size_t n, cap;
} closing_t;

static int collect_absent(void *arg, const cm_offer_t *o)
{
    closing_t *c = arg;
    importer_t *im = c->im;
    char dep[4];
    if (strncmp(o->id, "ft-", 3) != 0 || o->status == CM_OFFER_CLOSED)
        return 0;
    if (!cm_department_of_place(o->postcode, o->commune, dep)) {
        im->no_department++; /* placed by coordinates only: cannot say it is of DD */
        return 0;
    }
    const char *key = o->id + 3;
    if (strcmp(dep, im->refresh) != 0 ||
        (im->n_seen && bsearch(&key, im->seen, im->n_seen, sizeof *im->seen, cmp_str)))
        return 0;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 256;
        char **p = realloc(c->ids, cap * sizeof *p);
        if (!p)
            return CM_ENOMEM;
        c->ids = p;
        c->cap = cap;
    }
    if (!(c->ids[c->n] = strdup(o->id)))
        return CM_ENOMEM;
    c->n++;
    return 0;
}

static int close_absent(importer_t *im)
{
    qsort(im->seen, im->n_seen, sizeof *im->seen, cmp_str);
    closing_t c = {im, NULL, 0, 0};
    /* collected first, written after: no write inside the read walk */
    int rc = cm_engine_each_offer(im->e, collect_absent, &c);
    char detail[128];
    snprintf(detail, sizeof detail,
             "absent from (or refused in) the complete refresh of departement %s: status closed",
             im->refresh);
    for (size_t i = 0; rc == 0 && i < c.n; i++) {
        cm_offer_t *o = NULL;
        if ((rc = cm_engine_get_offer(im->e, c.ids[i], &o)) != 0)
            break;
        o->status = CM_OFFER_CLOSED;
        rc = cm_engine_put_offer(im->e, o, o->version, NULL, NULL);
        cm_offer_free(o);
        if (rc == 0) {
            im->closed++;
            im->file = NULL;
            im->index = 0;
            ft_line(im, c.ids[i] + 3, "offer_closed", CM_FT_GUESS, "status", detail);
        }
    }
    for (size_t i = 0; i < c.n; i++)
        free(c.ids[i]);
    free(c.ids);
    if (rc)
        fprintf(stderr, "carematch: refresh: closing stopped: %s\n", cm_strerror(rc));
    return rc;
}

static void print_summary(importer_t *im)
{
    cJSON *o = cJSON_CreateObject(), *f = NULL;
    if (!o)
        return;
    cJSON_AddBoolToObject(o, "summary", true);
    cJSON_AddNumberToObject(o, "read", (double)im->read);
    cJSON_AddNumberToObject(o, "imported", (double)im->accepted);
    cJSON_AddNumberToObject(o, "unchanged", (double)im->unchanged);
    cJSON_AddNumberToObject(o, "rejected", (double)im->rejected);
    if (im->refresh) {
        cJSON_AddStringToObject(o, "refresh_department", im->refresh);
        cJSON_AddNumberToObject(o, "closed", (double)im->closed);
        cJSON_AddNumberToObject(o, "outside_department", (double)im->outside);
        cJSON_AddNumberToObject(o, "not_closed_no_department", (double)im->no_department);
    }
    if ((f = cJSON_AddObjectToObject(o, "findings")))
        for (size_t i = 0; i < im->n_codes; i++)
            cJSON_AddNumberToObject(f, im->codes[i].code, (double)im->codes[i].n);
    print_json_to(im->report, o);
}

/* ---- the command ---- */

/* "93", "2A", "974": a département code as postcodes give them. */
static bool department_valid(const char *d)
{
    size_t n = strlen(d);
    if (n == 2)
        return (isdigit((unsigned char)d[0]) && isdigit((unsigned char)d[1]) &&
                strcmp(d, "00") != 0 && strcmp(d, "20") != 0) ||
               strcmp(d, "2A") == 0 || strcmp(d, "2B") == 0;
    return n == 3 && d[0] == '9' && (d[1] == '7' || d[1] == '8') && isdigit((unsigned char)d[2]);
}

int cmd_import(const char *dir, int argc, char **argv)
{
    int kind = -1; /* 1 offers, 0 candidates */
    bool ft = false;
    const char *report = NULL, *refresh = NULL;
    /* options before or after the files ("import FILE --report R" as "import --report R
     * FILE"); the files are moved to the end of argv, in order, from `first` on */
    int first = argc, nfiles = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--kind") == 0 && i + 1 < argc) {
            i++;
            if ((strcmp(argv[i], "events") == 0 || strcmp(argv[i], "audit") == 0) && i + 1 < argc)
                return cli_import_history(dir, strcmp(argv[i], "audit") == 0, argc - i - 1,
                                          argv + i + 1);
            kind = strcmp(argv[i], "offers") == 0       ? 1
                   : strcmp(argv[i], "candidates") == 0 ? 0
                                                        : -2;
        } else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
            i++;
            if (strcmp(argv[i], "france-travail") == 0)
                ft = true;
            else if (strcmp(argv[i], "contract") != 0) {
                fprintf(stderr, "carematch: unknown format %s\n", argv[i]);
                return 2;
            }
        } else if (strcmp(argv[i], "--report") == 0 && i + 1 < argc) {
            report = argv[++i];
        } else if (strcmp(argv[i], "--refresh-department") == 0 && i + 1 < argc) {
            refresh = argv[++i];
        } else if (strncmp(argv[i], "--", 2) == 0) {
            fprintf(stderr, "carematch: import: unknown option %s (or one without its value)\n",
                    argv[i]);
            return 2;
        } else {
            argv[nfiles++] = argv[i]; /* nfiles <= i: only what was read is overwritten */
        }
    }
    if (nfiles) { /* to the end, in order */
        first = argc - nfiles;
        memmove(argv + first, argv, (size_t)nfiles * sizeof *argv);
    }
    if (kind == -2 || first >= argc) {
        cli_usage(stderr);
        return 2;
    }
    if ((report || refresh) && !ft) {
        fprintf(stderr, "carematch: --report and --refresh-department go with --format "
                        "france-travail\n");
        return 2;
    }
    if (refresh && !department_valid(refresh)) {
        fprintf(stderr,
                "carematch: --refresh-department: %s is no departement code (93, 2A, "
                "974)\n",
                refresh);
        return 2;
    }
    for (int i = first; report && i < argc; i++)
        if (strcmp(report, argv[i]) == 0) { /* opening the report would empty the input */
            fprintf(stderr, "carematch: --report %s is also an input file\n", report);
            return 2;
        }
    if (ft)
        kind = 1;
    importer_t *im = calloc(1, sizeof *im);
    if (!im)
        return 1;
    im->ft = ft;
    im->refresh = refresh;
    im->report = stderr;
    if (report && !(im->report = fopen(report, "w"))) {
        fprintf(stderr, "carematch: %s: %s\n", report, strerror(errno));
        free(im);
        return 1;
    }
    cm_engine_t *e;
    if (cli_open_engine_opts(dir, false, true, &e)) {
        if (im->report != stderr)
            fclose(im->report);
        free(im);
        return CLI_UNREACHABLE;
    }
    im->e = e;
    double t0 = cli_now();
    cli_progress_start(&progress);
    int rc = 0, file_errors = 0;
    for (int i = first; i < argc && !im->fatal; i++) {
        int k = kind >= 0 ? kind : cli_guess_kind(argv[i]);
        if (k < 0) {
            fprintf(stderr, "carematch: %s: say --kind offers or --kind candidates\n", argv[i]);
            rc = 2;
            break;
        }
        im->offers = k == 1;
        int frc = import_file(im, argv[i]);
        if (frc)
            file_errors++;
        if (!ft && frc)
            rc = frc; /* the contract format stops at the first failed file, as before */
        if (!ft && rc)
            break;
    }
    if (im->fatal)
        rc = im->fatal;
    if (ft && !rc && file_errors)
        rc = CM_EINVAL;
    if (refresh && rc == 0 && im->read == 0) {
        fprintf(stderr, "carematch: refresh: no offer read; nothing closed (an empty answer "
                        "is taken for a failed download)\n");
        rc = CM_EINVAL;
    } else if (refresh && rc == 0 && im->inside == 0) {
        /* offers, but none of the departement: the wrong one fetched, or a failed page */
        fprintf(stderr,
                "carematch: refresh: no offer of departement %s among the %lu read; nothing "
                "closed (the files are not that departement's answer)\n",
                refresh, im->read);
        rc = CM_EINVAL;
    } else if (refresh && rc == 0 && im->unidentified) {
        /* a page cut short, an error body, a garbled line: some offer of the day may be in
         * it, and nothing tells which; closing the ones not seen could close live offers */
        fprintf(stderr,
                "carematch: refresh: %lu piece(s) of the files could not be read as an offer "
                "with an id (a cut or failed download?); nothing closed\n",
                im->unidentified);
        rc = CM_EINVAL;
    } else if (refresh && rc == 0) {
        rc = close_absent(im);
    } else if (refresh) {
        fprintf(stderr, "carematch: refresh: a file could not be read; nothing closed\n");
    }
    /* the import ends when searches find what it stored (the writer indexed behind it) */
    if (im->last_seq && cm_engine_visible(e, im->last_seq) == 0)
        cli_progress_note(&progress, "import: stored; the search index is catching up...");
    bool behind = im->last_seq && cm_engine_wait_visible(e, im->last_seq) != 0;
    double dt = cli_now() - t0;
    cli_progress_end(&progress);
    if (behind)
        fprintf(stderr, "carematch: the search index stopped behind the import: the records "
                        "are stored, and the next start indexes them\n");
    if (ft)
        print_summary(im);
    printf("{\"accepted\":%lu,\"rejected\":%lu,", im->accepted, im->rejected);
    if (ft)
        printf("\"unchanged\":%lu,", im->unchanged);
    if (refresh)
        printf("\"closed\":%lu,", im->closed);
    printf("\"seconds\":%.3f,\"records_per_s\":%.0f}\n", dt, dt > 0 ? im->accepted / dt : 0.0);
    for (size_t i = 0; i < im->n_seen; i++)
        free(im->seen[i]);
    free(im->seen);
    for (size_t i = 0; i < im->cap_ids; i++)
        free(im->ids[i]);
    free(im->ids);
    if (im->report != stderr && fclose(im->report) != 0 && rc == 0)
        rc = CM_EIO;
    unsigned long rejected = im->rejected;
    free(im);
    cm_engine_close(e);
    /* CM_EINVAL: a file could not be read or parsed, or a refresh had nothing to go on: an
     * input problem (3), never to be mistaken for a day with a few rejected offers (1) */
    return rc == 2                            ? CLI_USAGE
           : rc == CM_EIO || rc == CM_EINVAL ? CLI_UNREACHABLE
           : rc                              ? CLI_FAILED
           : rejected                        ? CLI_PARTIAL
                                             : CLI_OK;
}
