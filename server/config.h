/* carematchd limits and tunables: one table (name, min, max, default) in config.c, overridable
 * by a JSON file {"max_body_bytes": 2097152, ...}. Every entry is checked by a test. */
#ifndef SRV_CONFIG_H
#define SRV_CONFIG_H

#include <stddef.h>

#include "carematch/engine.h" /* the engine's defaults, named once there */

#define SRV_DEFAULT_MAX_BODY_BYTES (1L << 20)       /* 1 MiB, contract */
#define SRV_DEFAULT_MAX_BULK_BODY_BYTES (64L << 20) /* 64 MiB, contract */
#define SRV_DEFAULT_MAX_HEADER_BYTES (16L << 10)    /* request line + headers */
#define SRV_DEFAULT_MAX_HEADERS 100
#define SRV_DEFAULT_REQUEST_TIMEOUT_MS 10000 /* whole request received (slow-loris) */
#define SRV_DEFAULT_IDLE_TIMEOUT_MS 30000    /* keep-alive idle */
#define SRV_DEFAULT_SEND_TIMEOUT_MS 30000    /* unsent output without progress (slow readers) */
#define SRV_DEFAULT_MAX_UNSENT_BYTES (64L << 10) /* per connection; beyond: no request read */
#define SRV_DEFAULT_MAX_CONNECTIONS 4096
/* Descriptors the server holds besides its connections (storage, index, readers, logs,
 * libuv's): the start-up check of the descriptor limit against max_connections. */
#define SRV_FDS_RESERVED 64
#define SRV_DEFAULT_MAX_PENDING 1024 /* requests queued or running on the pool */
#define SRV_DEFAULT_THREADPOOL_SIZE 4
#define SRV_DEFAULT_WRITE_THREADS 64 /* writers' threads (writepool.c): asleep in fsync mostly */
/* niceness the writers' and the index writer's threads add to the process's: on a machine
 * with few cores, reads keep their latency while a write stream runs */
#define SRV_DEFAULT_WRITE_NICE 10
#define SRV_DEFAULT_RATE_PER_SEC 0 /* per key; 0 = no rate limit */
#define SRV_DEFAULT_RATE_BURST 0   /* 0 = same as rate_per_sec */
#define SRV_DEFAULT_SHUTDOWN_TIMEOUT_MS 10000
#define SRV_DEFAULT_BULK_BATCH CM_BULK_BATCH /* records parsed per engine call (transactions: CM_BULK_BATCH) */
#define SRV_DEFAULT_BULK_ERRORS_MAX 1000
#define SRV_DEFAULT_BACKLOG 511
/* storage ceiling; writes past it get 503 */
#define SRV_DEFAULT_LMDB_MAP_SIZE_MB ((long)(CM_DEFAULT_MAP_SIZE >> 20))
/* read-your-writes wait bound */
#define SRV_DEFAULT_VISIBILITY_TIMEOUT_MS CM_DEFAULT_VISIBILITY_TIMEOUT_MS
/* index documents per Xapian commit */
#define SRV_DEFAULT_INDEX_BATCH_DOCS CM_DEFAULT_INDEX_BATCH_DOCS
#define SRV_DEFAULT_INDEX_BATCH_MS CM_DEFAULT_INDEX_BATCH_MS
/* /readyz answers 503 while more change-log entries than this wait for the index */
#define SRV_DEFAULT_INDEX_LAZY_MS CM_DEFAULT_INDEX_LAZY_MS
#define SRV_DEFAULT_CATALOG_SNAPSHOT_INTERVAL_S CM_DEFAULT_CATALOG_SNAPSHOT_INTERVAL_S
#define SRV_DEFAULT_READY_MAX_INDEX_LAG 50000
/* ?ack=durable: a write is answered once stored unless the index is further behind than this
 * many changes (then it waits until the index is within it): search's lag is bounded */
#define SRV_DEFAULT_DURABLE_ACK_MAX_LAG 5000

typedef struct srv_config {
    long max_body_bytes;
    long max_bulk_body_bytes;
    long max_header_bytes;
    long max_headers;
    long request_timeout_ms;
    long idle_timeout_ms;
    long send_timeout_ms;
    long max_unsent_bytes;
    long max_connections;
    long max_pending;
    long threadpool_size;
    long write_threads;
    long write_nice;
    long rate_per_sec;
    long rate_burst;
    long shutdown_timeout_ms;
    long bulk_batch;
    long bulk_errors_max;
    long backlog;
    long lmdb_map_size_mb;
    long visibility_timeout_ms;
    long index_batch_docs;
    long index_batch_ms;
    long index_lazy_ms;
    long catalog_snapshot_interval_s;
    long ready_max_index_lag;
    long durable_ack_max_lag;
    /* not in the numeric table: --cors-origins / CAREMATCH_CORS_ORIGINS, comma-separated
     * origins ("https://portal.example.fr") or "*"; NULL: no CORS answer */
    const char *cors_origins;
} srv_config_t;

typedef struct srv_config_def {
    const char *name; /* JSON key in the --config file */
    size_t offset;    /* of the long in srv_config_t */
    long min, max, def;
} srv_config_def_t;

extern const srv_config_def_t srv_config_table[];
extern const size_t srv_config_count;

/* Fill every field with its default. */
void srv_config_defaults(srv_config_t *c);
/* Set one value by name. Returns 0, or -1 with a message in errbuf (unknown name, out of
 * range). */
int srv_config_set(srv_config_t *c, const char *name, long value, char *errbuf, size_t n);
/* Apply a JSON object of overrides from `path`. Returns 0, or -1 with a message in errbuf
 * (unreadable file, not an object, non-integer value, unknown name, out of range). */
int srv_config_load(srv_config_t *c, const char *path, char *errbuf, size_t n);
/* Same from text in memory (len bytes). */
int srv_config_parse(srv_config_t *c, const char *text, size_t len, char *errbuf, size_t n);

#endif
