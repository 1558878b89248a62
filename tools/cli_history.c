/* carematch export/import of events and the audit log, for a migration to a new data
 * directory: NDJSON lines in the API's shapes (POST /v1/events, GET /v1/audit). Events need
 * their candidates (and offers) imported first; audit entries keep their time and reader. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "carematch/engine.h"
#include "cli.h"

#define AUDIT_BATCH 1000

static void iso_time(int64_t at, char out[32])
{
    cm_datetime_format(at, out); /* what import reads back */
    if (!out[0])
        snprintf(out, 32, "%lld", (long long)at);
}

static int print_line(cJSON *o)
{
    char *s = o ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    if (!s)
        return CM_ENOMEM;
    int rc = puts(s) >= 0 ? 0 : CM_EIO;
    free(s);
    return rc;
}

static int export_event(void *arg, const cm_event_t *ev)
{
    (void)arg;
    char at[32];
    iso_time(ev->at, at);
    cJSON *o = cJSON_CreateObject();
    if (o && (!cJSON_AddStringToObject(o, "candidate_id", ev->candidate_id) ||
              (ev->offer_id[0] && !cJSON_AddStringToObject(o, "offer_id", ev->offer_id)) ||
              !cJSON_AddStringToObject(o, "kind", cm_event_kind_name(ev->kind)) ||
              !cJSON_AddStringToObject(o, "at", at))) {
        cJSON_Delete(o);
        o = NULL;
    }
    return print_line(o);
}

static int export_audit(void *arg, const cm_audit_entry_t *en)
{
    (void)arg;
    char at[32];
    iso_time(en->at, at);
    cJSON *o = cJSON_CreateObject();
    if (o && (!cJSON_AddNumberToObject(o, "seq", (double)en->seq) ||
              !cJSON_AddStringToObject(o, "at", at) ||
              !cJSON_AddStringToObject(o, "key_name", en->key_name) ||
              !cJSON_AddStringToObject(o, "candidate_id", en->candidate_id) ||
              !cJSON_AddStringToObject(o, "action", en->action))) {
        cJSON_Delete(o);
        o = NULL;
    }
    return print_line(o);
}

int cli_export_history(cm_engine_t *e, bool audit)
{
    return audit ? cm_engine_audit_each(e, NULL, 0, 0, export_audit, NULL)
                 : cm_engine_each_event(e, export_event, NULL);
}

/* A string member copied into out (at most n - 1 bytes); false when absent or too long. */
static bool take_str(const cJSON *o, const char *key, char *out, size_t n, bool required)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!it)
        return !required;
    if (!cJSON_IsString(it) || strlen(it->valuestring) >= n)
        return false;
    memcpy(out, it->valuestring, strlen(it->valuestring) + 1);
    return true;
}

/* One line into an event or an audit entry; a message names what is wrong. */
static int parse_line(const char *line, bool audit, cm_event_t *ev, cm_audit_entry_t *en,
                      cm_error *err)
{
    cJSON *o = cJSON_Parse(line);
    if (!o || !cJSON_IsObject(o)) {
        cJSON_Delete(o);
        return cm_error_set(err, CM_EINVAL, NULL, "invalid JSON");
    }
    char at[40] = "", kind[24] = "";
    int rc = 0;
    int64_t when = 0;
    if (!take_str(o, "at", at, sizeof at, true) || !cm_datetime_parse(at, &when)) {
        rc = cm_error_set(err, CM_EINVAL, "at", "at must be a date-time");
    } else if (audit) {
        memset(en, 0, sizeof *en);
        en->at = when;
        if (!take_str(o, "key_name", en->key_name, sizeof en->key_name, true) ||
            !take_str(o, "candidate_id", en->candidate_id, sizeof en->candidate_id, true) ||
            !take_str(o, "action", en->action, sizeof en->action, true))
            rc = cm_error_set(err, CM_EINVAL, NULL,
                              "an audit line needs key_name, candidate_id and action");
    } else {
        memset(ev, 0, sizeof *ev);
        ev->at = when;
        int k = take_str(o, "kind", kind, sizeof kind, true) ? cm_event_kind_parse(kind) : -1;
        if (k < 0 ||
            !take_str(o, "candidate_id", ev->candidate_id, sizeof ev->candidate_id, true) ||
            !take_str(o, "offer_id", ev->offer_id, sizeof ev->offer_id, false))
            rc = cm_error_set(err, CM_EINVAL, NULL,
                              "an event line needs candidate_id, kind (and offer_id, at)");
        ev->kind = (cm_event_kind_t)(k < 0 ? 0 : k);
    }
    cJSON_Delete(o);
    return rc;
}

int cli_import_history(const char *dir, bool audit, int argc, char **argv)
{
    cm_engine_t *e;
    if (cli_open_engine_opts(dir, false, false, &e))
        return CLI_UNREACHABLE;
    cm_audit_entry_t *batch = calloc(AUDIT_BATCH, sizeof *batch);
    unsigned long accepted = 0, rejected = 0;
    int rc = batch ? 0 : CM_ENOMEM;
    size_t nb = 0;
    for (int i = 0; i < argc && rc == 0; i++) {
        FILE *f = strcmp(argv[i], "-") == 0 ? stdin : fopen(argv[i], "rb");
        if (!f) {
            cli_print_error("invalid_field", NULL, "%s: %s", argv[i], strerror(errno));
            rc = CM_EIO;
            break;
        }
        char *line = NULL;
        size_t cap = 0;
        unsigned long lineno = 0;
        while (rc == 0 && getline(&line, &cap, f) > 0) {
            lineno++;
            if (strspn(line, " \t\r\n") == strlen(line))
                continue;
            cm_error err = {0};
            cm_event_t ev;
            int lrc = parse_line(line, audit, &ev, &batch[nb], &err);
            if (lrc == 0 && !audit)
                lrc = cm_engine_add_event(e, &ev, NULL, &err);
            if (lrc == 0 && audit && ++nb == AUDIT_BATCH) {
                rc = cm_engine_audit_append(e, batch, nb);
                accepted += rc == 0 ? nb : 0;
                nb = 0;
            }
            if (lrc == 0 && !audit)
                accepted++;
            if (lrc) {
                rejected++;
                cli_print_reject(argv[i], lineno, cli_api_code(lrc, err.field),
                                 err.field[0] ? err.field : NULL,
                                 err.message[0] ? err.message : cm_strerror(lrc));
            }
        }
        free(line);
        if (f != stdin)
            fclose(f);
    }
    if (rc == 0 && nb) {
        rc = cm_engine_audit_append(e, batch, nb);
        accepted += rc == 0 ? nb : 0;
    }
    free(batch);
    if (rc && rc != CM_EIO)
        cli_print_rc(rc, NULL, "import stopped");
    printf("{\"accepted\":%lu,\"rejected\":%lu}\n", accepted, rejected);
    cm_engine_close(e);
    return rc == CM_EIO ? CLI_UNREACHABLE : rc ? CLI_FAILED : rejected ? CLI_PARTIAL : CLI_OK;
}
