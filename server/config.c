/* The single table of carematchd limits (Redis's static_configs[] idea): defaults, ranges, and
 * the JSON override file. */
#include "config.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carematch/record.h"

#define C(name, min, max, def)                                                                     \
    {                                                                                              \
#name, offsetof(srv_config_t, name), (min), (max), (def)                                   \
    }

const srv_config_def_t srv_config_table[] = {
    C(max_body_bytes, 1024, 1L << 30, SRV_DEFAULT_MAX_BODY_BYTES),
    C(max_bulk_body_bytes, 1024, 1L << 32, SRV_DEFAULT_MAX_BULK_BODY_BYTES),
    C(max_header_bytes, 256, 1L << 20, SRV_DEFAULT_MAX_HEADER_BYTES),
    C(max_headers, 4, 10000, SRV_DEFAULT_MAX_HEADERS),
    C(request_timeout_ms, 10, 3600000, SRV_DEFAULT_REQUEST_TIMEOUT_MS),
    C(idle_timeout_ms, 10, 3600000, SRV_DEFAULT_IDLE_TIMEOUT_MS),
    C(send_timeout_ms, 10, 3600000, SRV_DEFAULT_SEND_TIMEOUT_MS),
    C(max_unsent_bytes, 0, 1L << 30, SRV_DEFAULT_MAX_UNSENT_BYTES),
    C(max_connections, 1, 1000000, SRV_DEFAULT_MAX_CONNECTIONS),
    C(max_pending, 1, 1000000, SRV_DEFAULT_MAX_PENDING),
    C(threadpool_size, 1, 1024, SRV_DEFAULT_THREADPOOL_SIZE),
    C(write_threads, 1, 256, SRV_DEFAULT_WRITE_THREADS),
    C(write_nice, 0, 19, SRV_DEFAULT_WRITE_NICE),
    C(rate_per_sec, 0, 1000000, SRV_DEFAULT_RATE_PER_SEC),
    C(rate_burst, 0, 1000000, SRV_DEFAULT_RATE_BURST),
    C(shutdown_timeout_ms, 0, 600000, SRV_DEFAULT_SHUTDOWN_TIMEOUT_MS),
    C(bulk_batch, 1, 100000, SRV_DEFAULT_BULK_BATCH),
    C(bulk_errors_max, 1, 1000000, SRV_DEFAULT_BULK_ERRORS_MAX),
    C(backlog, 1, 65535, SRV_DEFAULT_BACKLOG),
    C(lmdb_map_size_mb, 1, 1L << 24, SRV_DEFAULT_LMDB_MAP_SIZE_MB),
    C(visibility_timeout_ms, 1, 600000, SRV_DEFAULT_VISIBILITY_TIMEOUT_MS),
    C(index_batch_docs, 1, 100000, SRV_DEFAULT_INDEX_BATCH_DOCS),
    C(index_batch_ms, 1, 60000, SRV_DEFAULT_INDEX_BATCH_MS),
    C(index_lazy_ms, 1, 60000, SRV_DEFAULT_INDEX_LAZY_MS),
    C(catalog_snapshot_interval_s, 10, 86400, SRV_DEFAULT_CATALOG_SNAPSHOT_INTERVAL_S),
    C(ready_max_index_lag, 0, 1L << 40, SRV_DEFAULT_READY_MAX_INDEX_LAG),
    C(durable_ack_max_lag, 0, 1L << 30, SRV_DEFAULT_DURABLE_ACK_MAX_LAG),
};
const size_t srv_config_count = sizeof srv_config_table / sizeof srv_config_table[0];

static long *field_of(srv_config_t *c, const srv_config_def_t *d)
{
    return (long *)((char *)c + d->offset);
}

void srv_config_defaults(srv_config_t *c)
{
    memset(c, 0, sizeof *c);
    for (size_t i = 0; i < srv_config_count; i++)
        *field_of(c, &srv_config_table[i]) = srv_config_table[i].def;
}

int srv_config_set(srv_config_t *c, const char *name, long value, char *errbuf, size_t n)
{
    for (size_t i = 0; i < srv_config_count; i++) {
        const srv_config_def_t *d = &srv_config_table[i];
        if (strcmp(d->name, name) != 0)
            continue;
        if (value < d->min || value > d->max) {
            snprintf(errbuf, n, "config %s: %ld out of range %ld..%ld", name, value, d->min,
                     d->max);
            return -1;
        }
        *field_of(c, d) = value;
        return 0;
    }
    snprintf(errbuf, n, "config: unknown setting \"%s\"", name);
    return -1;
}

int srv_config_parse(srv_config_t *c, const char *text, size_t len, char *errbuf, size_t n)
{
    cJSON *root = NULL;
    cm_error perr = {0};
    /* strict: a setting given twice is refused, not silently the last one */
    if (cm_json_parse_strict(text, len, &root, &perr) != 0 || !cJSON_IsObject(root)) {
        snprintf(errbuf, n, "config: not a JSON object%s%s", perr.message[0] ? ": " : "",
                 perr.message);
        cJSON_Delete(root);
        return -1;
    }
    /* Validate into a copy so that a bad file changes nothing. */
    srv_config_t tmp = *c;
    int rc = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, root)
    {
        double v = it->valuedouble;
        if (!cJSON_IsNumber(it) || v != floor(v) || fabs(v) > 9e15) {
            snprintf(errbuf, n, "config %s: not an integer", it->string);
            rc = -1;
            break;
        }
        if (srv_config_set(&tmp, it->string, (long)v, errbuf, n) != 0) {
            rc = -1;
            break;
        }
    }
    cJSON_Delete(root);
    if (rc == 0)
        *c = tmp;
    return rc;
}

int srv_config_load(srv_config_t *c, const char *path, char *errbuf, size_t n)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(errbuf, n, "config: cannot open %s", path);
        return -1;
    }
    char *buf = NULL;
    size_t len = 0, cap = 0;
    int rc = -1;
    for (;;) {
        if (len + 4096 > cap) {
            size_t ncap = cap ? cap * 2 : 8192;
            char *nb = realloc(buf, ncap);
            if (!nb) {
                snprintf(errbuf, n, "config: out of memory");
                goto fail;
            }
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
        if (len > (1u << 20)) {
            snprintf(errbuf, n, "config: %s is too large", path);
            goto fail;
        }
    }
    if (ferror(f)) {
        snprintf(errbuf, n, "config: cannot read %s", path);
        goto fail;
    }
    rc = srv_config_parse(c, buf, len, errbuf, n);
fail:
    free(buf);
    fclose(f);
    return rc;
}
