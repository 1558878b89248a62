/* carematch over HTTP (cli_http.h): the same commands as on a data directory, as API calls
 * through the tiny client of http_client.h; what the API answers is printed as it is. */
#include "cli_http.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "carematch/francetravail.h"
#include "carematch/record.h"
#include "cli_common.h"
#include "csv.h"
#include "http_client.h"

#define CHUNK_LINES 1000              /* records per POST .../_bulk */
#define CHUNK_BYTES (8 * 1024 * 1024) /* and at most this much NDJSON, far below the 64 MiB */
#define RETRIES 4                     /* 429 / 503 answers waited out before giving up */
#define PATH_MAX_BYTES 8192

typedef struct ctx {
    httpc_t *h;
    bool csv;
    bool csv_started; /* one BOM and header for all the pages of search --all */
    csv_t out;
} ctx_t;

static void emit(FILE *f, const char *s, size_t n)
{
    fwrite(s, 1, n, f);
    if (!n || s[n - 1] != '\n')
        fputc('\n', f);
}

/* An answer that is not 2xx: the server's error JSON on stderr as it came (any other body is
 * wrapped in the same shape); returns the exit code. */
static int report_status(const httpc_response_t *r)
{
    cJSON *j = cJSON_ParseWithLength(r->body, r->len);
    if (cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(j, "error")))
        emit(stderr, r->body, r->len);
    else
        cli_print_error(r->status == 401   ? "unauthorized"
                        : r->status == 403 ? "forbidden"
                        : r->status == 404 ? "not_found"
                        : r->status >= 500 ? "internal"
                                           : "invalid_field",
                        NULL, "HTTP %d from the server", r->status);
    cJSON_Delete(j);
    return cli_exit_for_status(r->status);
}

/* One call; a 429 or 503 is waited out (Retry-After, at most 10 s each) a few times. Returns
 * an exit code; on CLI_OK *r holds a 2xx answer. Other answers are reported here. */
static int call(ctx_t *c, const char *method, const char *path, const char *ctype,
                const char *body, size_t len, httpc_response_t *r)
{
    for (int attempt = 0;; attempt++) {
        int rc = httpc_request(c->h, method, path, ctype, body, len, r);
        if (rc) {
            bool reach = rc == CM_EIO || rc == CM_ETIMEDOUT;
            cli_print_error(reach ? "unavailable" : "internal", NULL, "%s",
                            httpc_error(c->h));
            return reach ? CLI_UNREACHABLE : CLI_FAILED;
        }
        if (r->status >= 200 && r->status < 300)
            return CLI_OK;
        if ((r->status == 429 || r->status == 503) && attempt < RETRIES) {
            int wait = r->retry_after > 0 ? r->retry_after : 1 << attempt;
            sleep((unsigned)(wait > 10 ? 10 : wait));
            httpc_response_free(r);
            continue;
        }
        int code = report_status(r);
        httpc_response_free(r);
        return code;
    }
}

static int usage_error(const char *fmt, const char *arg)
{
    char msg[512];
    snprintf(msg, sizeof msg, fmt, arg ? arg : "");
    cli_print_error("invalid_field", NULL, "%s (carematch --help)", msg);
    return CLI_USAGE;
}

/* Append "name=value" (both escaped) to a query string that starts with '?'. */
static int add_param(char *path, size_t cap, const char *name, const char *value)
{
    size_t n = strlen(path);
    if (n + 2 >= cap)
        return CM_ETOOBIG;
    strcat(path, strchr(path, '?') ? "&" : "?");
    if (httpc_escape(path, cap, name) || strlen(path) + 2 >= cap)
        goto big;
    strcat(path, "=");
    if (httpc_escape(path, cap, value))
        goto big;
    return 0;
big:
    path[n] = 0;
    return CM_ETOOBIG;
}

/* The JSON body of a 2xx answer, printed as it is or as CSV by `table`. */
typedef int (*table_fn)(csv_t *c, const cJSON *root, bool flag);

static int print_answer(ctx_t *c, httpc_response_t *r, table_fn table, bool flag)
{
    if (!c->csv) {
        emit(stdout, r->body, r->len);
        return CLI_OK;
    }
    cJSON *j = cJSON_ParseWithLength(r->body, r->len);
    if (!j) {
        cli_print_error("internal", NULL, "the server's answer is not JSON");
        return CLI_FAILED;
    }
    if (!c->csv_started) {
        csv_start(&c->out, stdout);
        c->csv_started = true;
    }
    table(&c->out, j, flag);
    cJSON_Delete(j);
    return CLI_OK;
}

static int table_matches(csv_t *c, const cJSON *root, bool offers)
{
    return csv_matches(c, root, offers);
}

static int table_search(csv_t *c, const cJSON *root, bool candidates)
{
    return candidates ? csv_cand_search(c, root) : csv_search(c, root);
}

static int table_record(csv_t *c, const cJSON *root, bool offer)
{
    csv_record(c, root, offer);
    return 1;
}

static int record_path(char *path, size_t cap, const char *kind, const char *id,
                       const char *suffix)
{
    const char *coll = strcmp(kind, "offer") == 0       ? "/v1/offers/"
                       : strcmp(kind, "candidate") == 0 ? "/v1/candidates/"
                                                        : NULL;
    if (!coll)
        return usage_error("say offer or candidate, not \"%s\"", kind);
    snprintf(path, cap, "%s", coll);
    if (httpc_escape(path, cap, id) || strlen(path) + strlen(suffix) >= cap)
        return usage_error("id too long", NULL);
    strcat(path, suffix);
    return CLI_OK;
}

/* ---- get ---- */

static int cmd_get(ctx_t *c, int argc, char **argv)
{
    if (argc != 2)
        return usage_error("get offer|candidate ID", NULL);
    char path[PATH_MAX_BYTES];
    int code = record_path(path, sizeof path, argv[0], argv[1], "");
    httpc_response_t r;
    if (code || (code = call(c, "GET", path, NULL, NULL, 0, &r)))
        return code;
    code = print_answer(c, &r, table_record, strcmp(argv[0], "offer") == 0);
    httpc_response_free(&r);
    return code;
}

/* ---- match ---- */

static char *read_file(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (n == cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
        }
        size_t k = fread(buf + n, 1, cap - n, f);
        n += k;
        if (k == 0)
            break;
    }
    if (f != stdin)
        fclose(f);
    *len = n;
    return buf;
}

static int cmd_match(ctx_t *c, int argc, char **argv)
{
    if (argc < 2)
        return usage_error("match candidate|offer ID | match profile FILE", NULL);
    char path[PATH_MAX_BYTES], query[1024] = "?";
    bool profile = strcmp(argv[0], "profile") == 0;
    for (int i = 2; i < argc; i++) {
        const char *name = NULL, *value = NULL;
        if (strcmp(argv[i], "--neighbours") == 0) {
            name = "neighbours", value = "true";
        } else if (strcmp(argv[i], "--no-near-misses") == 0) {
            name = "include_near_misses", value = "false";
        } else if (strcmp(argv[i], "--limit") == 0 && i + 1 < argc) {
            name = "limit", value = argv[++i];
        } else if (strcmp(argv[i], "--min-score") == 0 && i + 1 < argc) {
            name = "min_score", value = argv[++i];
        } else {
            return usage_error("match: unknown option %s", argv[i]);
        }
        if (add_param(query, sizeof query, name, value))
            return usage_error("match: options too long", NULL);
    }
    if (query[1] == 0)
        query[0] = 0;
    int code;
    httpc_response_t r;
    if (profile) {
        size_t len;
        char *body = read_file(argv[1], &len);
        if (!body) {
            cli_print_error("invalid_field", NULL, "%s: %s", argv[1], strerror(errno));
            return CLI_UNREACHABLE;
        }
        snprintf(path, sizeof path, "/v1/match%s", query);
        code = call(c, "POST", path, "application/json", body, len, &r);
        free(body);
    } else {
        char suffix[1100];
        snprintf(suffix, sizeof suffix, "/matches%s", query);
        code = record_path(path, sizeof path, argv[0], argv[1], suffix);
        if (!code)
            code = call(c, "GET", path, NULL, NULL, 0, &r);
    }
    if (code)
        return code;
    code = print_answer(c, &r, table_matches, strcmp(argv[0], "offer") != 0);
    httpc_response_free(&r);
    return code;
}

/* ---- search ---- */

/* search --all: every page, one request each. Stops at the last page. */
static int search_all(ctx_t *c, const char *path, bool candidates)
{
    size_t n = strlen(path);
    char *p = malloc(n + 32);
    int code = p ? CLI_OK : CLI_FAILED;
    for (long page = 1; !code; page++) {
        snprintf(p, n + 32, "%s%cpage=%ld", path, strchr(path, '?') ? '&' : '?', page);
        httpc_response_t r;
        if ((code = call(c, "GET", p, NULL, NULL, 0, &r)))
            break;
        cJSON *j = cJSON_ParseWithLength(r.body, r.len);
        const cJSON *total = cJSON_GetObjectItemCaseSensitive(j, "total");
        const cJSON *per = cJSON_GetObjectItemCaseSensitive(j, "per_page");
        int got = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(j, "results"));
        bool last = !cJSON_IsNumber(total) || !cJSON_IsNumber(per) || got == 0 ||
                    page * per->valuedouble >= total->valuedouble;
        cJSON_Delete(j);
        if (got > 0 || page == 1)
            code = print_answer(c, &r, table_search, candidates);
        httpc_response_free(&r);
        if (last)
            break;
    }
    free(p);
    return code;
}

/* Words are the free text (q); --name value (or --name=value) is the API's parameter name with
 * '-' for '_' (--radius-km 5, --rome J1501 --rome J1502). Parameters are not checked here: the
 * server refuses an unknown one and names the closest known name. --all walks every page
 * (per_page 100 unless given): one CSV, or one JSON answer a line. `search candidates ...` is
 * the advisers' candidate search: the same options, no words (it has no text to search). */
static int cmd_search(ctx_t *c, int argc, char **argv)
{
    bool cand = argc > 0 && strcmp(argv[0], "candidates") == 0;
    if (cand)
        argc--, argv++;
    char *path = malloc(PATH_MAX_BYTES), q[2048] = "";
    if (!path)
        return CLI_FAILED;
    strcpy(path, cand ? "/v1/candidates/search" : "/v1/offers/search");
    int code = CLI_OK;
    bool all = false, has_page = false, has_per_page = false;
    for (int i = 0; i < argc && !code; i++) {
        if (strcmp(argv[i], "--all") == 0) {
            all = true;
            continue;
        }
        if (strncmp(argv[i], "--", 2) != 0 && cand) {
            code = usage_error("search candidates: candidate search takes no text (\"%.200s\"): "
                               "filters only, as --name value (--department 93)",
                               argv[i]);
            break;
        }
        if (strncmp(argv[i], "--", 2) != 0) {
            size_t n = strlen(q);
            if (n + strlen(argv[i]) + 2 > sizeof q)
                code = usage_error("search: the text is too long", NULL);
            else
                snprintf(q + n, sizeof q - n, "%s%s", n ? " " : "", argv[i]);
            continue;
        }
        char name[64];
        const char *eq = strchr(argv[i], '='), *value;
        size_t nl = eq ? (size_t)(eq - argv[i] - 2) : strlen(argv[i] + 2);
        if (nl == 0 || nl >= sizeof name) {
            code = usage_error("search: bad option %s", argv[i]);
            break;
        }
        memcpy(name, argv[i] + 2, nl);
        name[nl] = 0;
        for (char *p = name; *p; p++)
            if (*p == '-')
                *p = '_';
        has_page |= strcmp(name, "page") == 0;
        has_per_page |= strcmp(name, "per_page") == 0;
        if (eq)
            value = eq + 1;
        else if (i + 1 < argc)
            value = argv[++i];
        else {
            code = usage_error("search: %s needs a value", argv[i]);
            break;
        }
        if (add_param(path, PATH_MAX_BYTES, name, value))
            code = usage_error("search: parameters too long", NULL);
    }
    if (!code && q[0] && add_param(path, PATH_MAX_BYTES, "q", q))
        code = usage_error("search: parameters too long", NULL);
    if (!code && all && has_page)
        code = usage_error("search: --all walks every page, without --page", NULL);
    if (!code && all && !has_per_page && add_param(path, PATH_MAX_BYTES, "per_page", "100"))
        code = usage_error("search: parameters too long", NULL);
    httpc_response_t r;
    if (!code && all) {
        code = search_all(c, path, cand);
    } else if (!code && !(code = call(c, "GET", path, NULL, NULL, 0, &r))) {
        code = print_answer(c, &r, table_search, cand);
        httpc_response_free(&r);
    }
    free(path);
    return code;
}

/* ---- suggest ---- */

static int cmd_suggest(ctx_t *c, int argc, char **argv)
{
    if (argc < 2 || (strcmp(argv[0], "jobs") != 0 && strcmp(argv[0], "communes") != 0))
        return usage_error("suggest jobs|communes QUERY [--limit N]", NULL);
    char path[1024];
    snprintf(path, sizeof path, "/v1/suggest/%s", argv[0]);
    if (add_param(path, sizeof path, "q", argv[1]))
        return usage_error("suggest: the text is too long", NULL);
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--limit") == 0 && i + 1 < argc)
            add_param(path, sizeof path, "limit", argv[++i]);
        else
            return usage_error("suggest: unknown option %s", argv[i]);
    }
    httpc_response_t r;
    int code = call(c, "GET", path, NULL, NULL, 0, &r);
    if (!code) {
        emit(stdout, r.body, r.len);
        httpc_response_free(&r);
    }
    return code;
}

/* ---- import ---- */

typedef struct bulk {
    ctx_t *c;
    const char *path; /* /v1/offers/_bulk or /v1/candidates/_bulk */
    const char *file;
    char *buf;            /* NDJSON of the pending chunk */
    size_t len, cap;
    size_t *starts;       /* each pending line's offset in buf */
    unsigned long *lines; /* and its line (record) number in the file */
    size_t n;
    unsigned long read, accepted, rejected;
    int fatal; /* an exit code that stops the import */
    cli_progress_t progress;
} bulk_t;

/* The server's per-line errors, renumbered to the file's lines. */
static void bulk_answer(bulk_t *b, const httpc_response_t *r, size_t first, size_t count)
{
    cJSON *j = cJSON_ParseWithLength(r->body, r->len), *e;
    const cJSON *acc = cJSON_GetObjectItemCaseSensitive(j, "accepted");
    const cJSON *rej = cJSON_GetObjectItemCaseSensitive(j, "rejected");
    if (!cJSON_IsNumber(acc) || !cJSON_IsNumber(rej)) {
        cli_print_error("internal", NULL, "the bulk answer has no accepted/rejected counts");
        b->fatal = CLI_FAILED;
        cJSON_Delete(j);
        return;
    }
    b->accepted += (unsigned long)acc->valuedouble;
    b->rejected += (unsigned long)rej->valuedouble;
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(j, "errors"))
    {
        const cJSON *ln = cJSON_GetObjectItemCaseSensitive(e, "line");
        const cJSON *eo = cJSON_GetObjectItemCaseSensitive(e, "error");
        const cJSON *code = cJSON_GetObjectItemCaseSensitive(eo, "code");
        const cJSON *msg = cJSON_GetObjectItemCaseSensitive(eo, "message");
        const cJSON *field = cJSON_GetObjectItemCaseSensitive(eo, "field");
        size_t k = cJSON_IsNumber(ln) ? (size_t)ln->valuedouble : 0;
        cli_print_reject(b->file, k >= 1 && k <= count ? b->lines[first + k - 1] : 0,
                         cJSON_IsString(code) ? code->valuestring : "internal",
                         cJSON_IsString(field) ? field->valuestring : NULL,
                         cJSON_IsString(msg) ? msg->valuestring : "rejected");
    }
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "errors_truncated")))
        cli_print_error("invalid_field", NULL,
                        "%s: the server listed only the first errors of a chunk; the counts "
                        "include all",
                        b->file);
    cJSON_Delete(j);
}

/* POST the pending lines first..first+count-1; a 413 splits the range in two. */
static void bulk_send_range(bulk_t *b, size_t first, size_t count)
{
    if (b->fatal || count == 0)
        return;
    size_t from = b->starts[first];
    size_t to = first + count < b->n ? b->starts[first + count] : b->len;
    httpc_response_t r;
    int rc = httpc_request(b->c->h, "POST", b->path, "application/x-ndjson", b->buf + from,
                           to - from, &r);
    for (int attempt = 0; rc == 0 && (r.status == 429 || r.status == 503) && attempt < RETRIES;
         attempt++) {
        int wait = r.retry_after > 0 ? r.retry_after : 1 << attempt;
        httpc_response_free(&r);
        sleep((unsigned)(wait > 10 ? 10 : wait));
        rc = httpc_request(b->c->h, "POST", b->path, "application/x-ndjson", b->buf + from,
                           to - from, &r);
    }
    if (rc) {
        bool reach = rc == CM_EIO || rc == CM_ETIMEDOUT;
        cli_print_error(reach ? "unavailable" : "internal", NULL, "%s", httpc_error(b->c->h));
        b->fatal = reach ? CLI_UNREACHABLE : CLI_FAILED;
        return;
    }
    if (r.status == 413 && count > 1) {
        httpc_response_free(&r);
        bulk_send_range(b, first, count / 2);
        bulk_send_range(b, first + count / 2, count - count / 2);
        return;
    }
    if (r.status == 200)
        bulk_answer(b, &r, first, count);
    else
        b->fatal = report_status(&r);
    httpc_response_free(&r);
}

static void bulk_flush(bulk_t *b)
{
    bulk_send_range(b, 0, b->n);
    b->n = b->len = 0;
    cli_progress_update(&b->progress, b->read, b->accepted, b->rejected);
}

static void bulk_add(bulk_t *b, const char *json, size_t len, unsigned long line)
{
    b->read++;
    if (len > CM_RECORD_JSON_MAX) {
        b->rejected++;
        cli_print_reject(b->file, line, "payload_too_large", NULL,
                         "record longer than the largest record the server takes");
        return;
    }
    if (b->len + len + 1 > b->cap) {
        size_t ncap = b->cap ? b->cap : 1 << 20;
        while (ncap < b->len + len + 1)
            ncap *= 2;
        char *nb = realloc(b->buf, ncap);
        if (!nb) {
            cli_print_error("internal", NULL, "out of memory");
            b->fatal = CLI_FAILED;
            return;
        }
        b->buf = nb;
        b->cap = ncap;
    }
    b->starts[b->n] = b->len;
    b->lines[b->n++] = line;
    memcpy(b->buf + b->len, json, len);
    b->len += len;
    b->buf[b->len++] = '\n';
    if (b->n == CHUNK_LINES || b->len >= CHUNK_BYTES)
        bulk_flush(b);
}

typedef struct ft_ctx {
    bulk_t *b;
} ft_ctx_t;

/* France Travail offers are mapped here (the engine's mapping, linked in), then sent as
 * contract records: the server takes only the contract format. */
/* The reason an offer could not be mapped: the mapper's reject finding (its code leads the
 * message: "rome_unknown: ...") and the France Travail field it is about. */
typedef struct ft_reason {
    char message[256], field[64];
} ft_reason_t;

static void ft_reject_reason(void *arg, const cm_ft_finding_t *f)
{
    ft_reason_t *r = arg;
    if (f->level != CM_FT_REJECT)
        return;
    snprintf(r->message, sizeof r->message, "%s: %s", f->code, f->detail);
    snprintf(r->field, sizeof r->field, "%s", f->field ? f->field : "");
}

static int ft_offer_http(void *arg, size_t index, const char *json, size_t len)
{
    bulk_t *b = ((ft_ctx_t *)arg)->b;
    char *mapped = NULL;
    ft_reason_t reason = {"", ""};
    int rc = cm_ft_offer_to_json(json, len, &mapped, ft_reject_reason, &reason);
    if (rc) {
        b->read++;
        b->rejected++;
        /* a field the mapper could not take is invalid_field (as the bulk API says of a
         * record's), not invalid_json: the offer was JSON */
        const char *field = reason.field[0] ? reason.field : NULL;
        cli_print_reject(b->file, index + 1, cli_api_code(rc, field), field,
                         reason.message[0] ? reason.message : "cannot map this offer");
    } else {
        bulk_add(b, mapped, strlen(mapped), index + 1);
    }
    cm_free(mapped);
    return b->fatal ? CM_EIO : 0;
}

static void import_one(bulk_t *b, const char *path, bool ft)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        cli_print_error("invalid_field", NULL, "%s: %s", path, strerror(errno));
        b->fatal = CLI_UNREACHABLE;
        return;
    }
    b->file = path;
    if (ft) {
        size_t len = 0;
        if (f != stdin)
            fclose(f); /* read again whole by read_file: the mapping wants all the text */
        f = NULL;
        char *text = read_file(path, &len);
        ft_ctx_t fc = {b};
        cm_error err = {0};
        int rc = text ? cm_ft_each_offer(text, len, ft_offer_http, &fc, &err) : CM_ENOMEM;
        free(text);
        if (rc && !b->fatal) {
            cli_print_rc(rc, &err, path);
            b->fatal = CLI_USAGE;
        }
    } else {
        char *line = NULL;
        size_t cap = 0;
        ssize_t n;
        unsigned long lineno = 0;
        while (!b->fatal && (n = getline(&line, &cap, f)) >= 0) {
            lineno++;
            while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
                line[--n] = 0;
            if (strspn(line, " \t") == (size_t)n)
                continue;
            bulk_add(b, line, (size_t)n, lineno);
        }
        free(line);
    }
    if (f && f != stdin)
        fclose(f);
    if (!b->fatal)
        bulk_flush(b);
}

static int cmd_import(ctx_t *c, int argc, char **argv)
{
    int kind = -1; /* 1 offers, 0 candidates */
    bool ft = false;
    int first = argc, nfiles = 0; /* options anywhere; files moved to the end (cli_import.c) */
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--kind") == 0 && i + 1 < argc) {
            i++;
            kind = strcmp(argv[i], "offers") == 0 ? 1 : strcmp(argv[i], "candidates") == 0 ? 0 : -2;
            if (kind == -2)
                return usage_error("import: --kind offers or --kind candidates, not %s", argv[i]);
        } else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
            i++;
            if (strcmp(argv[i], "france-travail") == 0)
                ft = true, kind = 1;
            else if (strcmp(argv[i], "contract") != 0)
                return usage_error("import: unknown format %s", argv[i]);
        } else if (strcmp(argv[i], "--report") == 0 ||
                   strcmp(argv[i], "--refresh-department") == 0) {
            return usage_error("import: %s works on a data directory (--data, server stopped), "
                               "not through --url: the server's bulk API has no refresh",
                               argv[i]);
        } else if (strncmp(argv[i], "--", 2) == 0) {
            return usage_error("import: unknown option %s (or one without its value)", argv[i]);
        } else {
            argv[nfiles++] = argv[i];
        }
    }
    if (nfiles) {
        first = argc - nfiles;
        memmove(argv + first, argv, (size_t)nfiles * sizeof *argv);
    }
    if (first >= argc)
        return usage_error("import [--kind offers|candidates] FILE...", NULL);
    bulk_t *b = calloc(1, sizeof *b);
    if (!b || !(b->starts = calloc(CHUNK_LINES, sizeof *b->starts)) ||
        !(b->lines = calloc(CHUNK_LINES, sizeof *b->lines))) {
        if (b)
            free(b->starts);
        free(b);
        return CLI_FAILED;
    }
    b->c = c;
    cli_progress_start(&b->progress);
    double t0 = cli_now();
    for (int i = first; i < argc && !b->fatal; i++) {
        int k = kind >= 0 ? kind : cli_guess_kind(argv[i]);
        if (k < 0) {
            b->fatal = usage_error("%s: say --kind offers or --kind candidates", argv[i]);
            break;
        }
        b->path = k ? "/v1/offers/_bulk" : "/v1/candidates/_bulk";
        import_one(b, argv[i], ft);
    }
    cli_progress_end(&b->progress);
    double dt = cli_now() - t0;
    printf("{\"accepted\":%lu,\"rejected\":%lu,\"seconds\":%.3f,\"records_per_s\":%.0f}\n",
           b->accepted, b->rejected, dt, dt > 0 ? b->accepted / dt : 0.0);
    int code = b->fatal ? b->fatal : b->rejected ? CLI_PARTIAL : CLI_OK;
    free(b->buf);
    free(b->starts);
    free(b->lines);
    free(b);
    return code;
}

/* ---- entry ---- */

char *cli_read_key_file(const char *path)
{
    FILE *f = fopen(path, "r");
    char buf[1024];
    if (!f) {
        cli_print_error("invalid_field", "key-file", "%s: %s", path, strerror(errno));
        return NULL;
    }
    char *s = fgets(buf, sizeof buf, f);
    fclose(f);
    if (!s) {
        cli_print_error("invalid_field", "key-file", "%s is empty", path);
        return NULL;
    }
    size_t n = strlen(s);
    while (n && strchr(" \t\r\n", s[n - 1]))
        s[--n] = 0;
    s += strspn(s, " \t");
    char *out = strdup(s);
    memset(buf, 0, sizeof buf);
    return out;
}

int cli_http_main(const char *url, const char *key, int argc, char **argv)
{
    const char *cmd = argv[0];
    argc--, argv++;
    ctx_t c = {0};
    bool table = strcmp(cmd, "get") == 0 || strcmp(cmd, "match") == 0 ||
                 strcmp(cmd, "search") == 0;
    if (table && cli_take_format(&argc, argv, &c.csv))
        return CLI_USAGE;
    const char *why = NULL;
    int rc = httpc_open(url, key, 0, &c.h, &why);
    if (rc) {
        cli_print_error("invalid_field", "url", "%s: %s", url, why && *why ? why : "bad URL");
        return CLI_USAGE;
    }
    int code;
    if (strcmp(cmd, "get") == 0)
        code = cmd_get(&c, argc, argv);
    else if (strcmp(cmd, "match") == 0)
        code = cmd_match(&c, argc, argv);
    else if (strcmp(cmd, "search") == 0)
        code = cmd_search(&c, argc, argv);
    else if (strcmp(cmd, "suggest") == 0)
        code = cmd_suggest(&c, argc, argv);
    else if (strcmp(cmd, "import") == 0)
        code = cmd_import(&c, argc, argv);
    else if (strcmp(cmd, "export") == 0 || strcmp(cmd, "reindex") == 0 ||
             strcmp(cmd, "check") == 0 || strcmp(cmd, "backup") == 0 ||
             strcmp(cmd, "info") == 0)
        code = usage_error("%s works on the data directory (--data DIR), not over HTTP: the API "
                           "has no endpoint for it",
                           cmd);
    else
        code = usage_error("unknown command %s", cmd);
    httpc_close(c.h);
    return code;
}
