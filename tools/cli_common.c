/* Exit codes, API-shaped errors and the import progress line, for both modes of the CLI
 * (cli_common.h). */
#include "cli_common.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

int cli_exit_for_status(int status)
{
    if (status >= 200 && status < 300)
        return CLI_OK;
    if (status == 404)
        return CLI_PARTIAL;
    if (status == 401 || status == 403)
        return CLI_AUTH;
    if (status >= 400 && status < 500 && status != 429)
        return CLI_USAGE;
    return CLI_FAILED;
}

int cli_exit_for_rc(int rc)
{
    switch (rc) {
    case 0:
        return CLI_OK;
    case CM_ENOTFOUND:
        return CLI_PARTIAL;
    case CM_EINVAL:
    case CM_EMISSING:
    case CM_ETOOBIG:
    case CM_EEXIST:
        return CLI_USAGE;
    default:
        return CLI_FAILED;
    }
}

const char *cli_api_code(int rc, const char *field)
{
    switch (rc) {
    case CM_EINVAL:
        return field && *field ? "invalid_field" : "invalid_json";
    case CM_EMISSING:
        return "missing_field";
    case CM_ENOTFOUND:
        return "not_found";
    case CM_EEXIST:
        return "conflict";
    case CM_ETOOBIG:
        return "payload_too_large";
    case CM_EFULL:
    case CM_EBUSY:
    case CM_ECLOSED:
    case CM_ERETRY:
    case CM_ETIMEDOUT:
        return "unavailable";
    default:
        return "internal";
    }
}

/* The progress line being drawn, erased before another line goes to stderr. */
static cli_progress_t *active;

static void print_line(cJSON *o)
{
    if (active && active->drawn) {
        fputs("\r\033[K", stderr);
        active->drawn = false;
    }
    char *s = o ? cJSON_PrintUnformatted(o) : NULL;
    if (s)
        fprintf(stderr, "%s\n", s);
    cJSON_free(s);
    cJSON_Delete(o);
}

static cJSON *error_body(const char *code, const char *field, const char *message)
{
    cJSON *e = cJSON_CreateObject();
    if (e && (!cJSON_AddStringToObject(e, "code", code) ||
              !cJSON_AddStringToObject(e, "message", message) ||
              (field && *field && !cJSON_AddStringToObject(e, "field", field)))) {
        cJSON_Delete(e);
        e = NULL;
    }
    return e;
}

void cli_print_error(const char *code, const char *field, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cJSON *o = cJSON_CreateObject(), *e = error_body(code, field, msg);
    if (!o || !e || !cJSON_AddItemToObject(o, "error", e)) {
        cJSON_Delete(e);
        cJSON_Delete(o);
        fprintf(stderr, "carematch: %s: %s\n", code, msg); /* out of memory: plain text */
        return;
    }
    print_line(o);
}

void cli_print_rc(int rc, const cm_error *err, const char *what)
{
    const char *field = err && err->field[0] ? err->field : NULL;
    const char *msg = err && err->message[0] ? err->message : cm_strerror(rc);
    if (what)
        cli_print_error(cli_api_code(rc, field), field, "%s: %s", what, msg);
    else
        cli_print_error(cli_api_code(rc, field), field, "%s", msg);
}

void cli_print_reject(const char *file, unsigned long line, const char *code, const char *field,
                      const char *message)
{
    cJSON *o = cJSON_CreateObject(), *e = error_body(code, field, message);
    if (!o || !e || !cJSON_AddStringToObject(o, "file", file) ||
        !cJSON_AddNumberToObject(o, "line", (double)line) ||
        !cJSON_AddItemToObject(o, "error", e)) {
        cJSON_Delete(e);
        cJSON_Delete(o);
        return;
    }
    print_line(o);
}

int cli_take_format(int *argc, char **argv, bool *csv)
{
    for (int i = 0; i < *argc; i++) {
        if (strcmp(argv[i], "--format") != 0 || i + 1 >= *argc)
            continue;
        if (strcmp(argv[i + 1], "csv") != 0 && strcmp(argv[i + 1], "json") != 0) {
            cli_print_error("invalid_field", "format", "--format is json or csv, not %s",
                            argv[i + 1]);
            return -1;
        }
        *csv = strcmp(argv[i + 1], "csv") == 0;
        memmove(argv + i, argv + i + 2, (size_t)(*argc - i - 2) * sizeof *argv);
        *argc -= 2;
        i--;
    }
    return 0;
}

double cli_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

void cli_progress_start(cli_progress_t *p)
{
    memset(p, 0, sizeof *p);
    p->on = isatty(STDERR_FILENO) == 1;
    p->t0 = cli_now();
    p->last = 0; /* the first update draws at once */
    active = p;
}

/* 1234567 -> "1,234,567" */
static const char *grouped(char *buf, size_t cap, unsigned long v)
{
    char raw[32];
    int n = snprintf(raw, sizeof raw, "%lu", v), j = 0;
    for (int i = 0; i < n && (size_t)j + 2 < cap; i++) {
        if (i && (n - i) % 3 == 0)
            buf[j++] = ',';
        buf[j++] = raw[i];
    }
    buf[j] = 0;
    return buf;
}

void cli_progress_update(cli_progress_t *p, unsigned long read, unsigned long accepted,
                         unsigned long rejected)
{
    if (!p->on)
        return;
    double t = cli_now();
    if (t - p->last < 0.25)
        return;
    p->last = t;
    char a[32], b[32], c[32], d[32];
    double dt = t - p->t0;
    /* \r and erase-to-end: one line, rewritten in place */
    fprintf(stderr, "\r\033[Kimport: %s read, %s accepted, %s rejected, %s records/s",
            grouped(a, sizeof a, read), grouped(b, sizeof b, accepted),
            grouped(c, sizeof c, rejected),
            grouped(d, sizeof d, dt > 0 ? (unsigned long)(read / dt) : 0));
    fflush(stderr);
    p->drawn = true;
}

void cli_progress_note(cli_progress_t *p, const char *message)
{
    if (!p->on)
        return;
    fprintf(stderr, "\r\033[K%s", message);
    fflush(stderr);
    p->drawn = true;
}

void cli_progress_end(cli_progress_t *p)
{
    if (p->on && p->drawn) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
    p->drawn = false;
    if (active == p)
        active = NULL;
}

/* The kind of one JSON record by its fields (-1: neither or both). */
static int kind_of_record(const cJSON *o)
{
    static const char *const offer[] = {"title", "employer", "schedule", "hours_per_week"};
    static const char *const cand[] = {"desired_rome", "mobility", "availability", "childcare"};
    bool is_offer = false, is_cand = false;
    for (size_t i = 0; i < sizeof offer / sizeof offer[0]; i++)
        is_offer |= cJSON_GetObjectItemCaseSensitive(o, offer[i]) != NULL;
    for (size_t i = 0; i < sizeof cand / sizeof cand[0]; i++)
        is_cand |= cJSON_GetObjectItemCaseSensitive(o, cand[i]) != NULL;
    return is_offer == is_cand ? -1 : is_offer;
}

int cli_guess_kind(const char *path)
{
    if (strcmp(path, "-") == 0)
        return -1;
    int kind = -1;
    FILE *f = fopen(path, "rb");
    struct stat st;
    /* a regular file only: reading a pipe's first line (`import <(zcat x.gz)`) would take
     * records from the import itself */
    if (f && (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode))) {
        fclose(f);
        f = NULL;
    }
    if (f) {
        char line[65536]; /* a first record longer than this is told by the name */
        bool got = false;
        while (!got && fgets(line, sizeof line, f))
            got = line[strspn(line, " \t\r\n")] != '\0';
        cJSON *o = got ? cJSON_Parse(line) : NULL;
        if (cJSON_IsObject(o))
            kind = kind_of_record(o);
        cJSON_Delete(o);
        fclose(f);
    }
    if (kind >= 0)
        return kind;
    const char *name = strrchr(path, '/');
    name = name ? name + 1 : path;
    if (strstr(name, "cand"))
        return 0;
    if (strstr(name, "offer") || strstr(name, "offre"))
        return 1;
    return -1;
}
