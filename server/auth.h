/* API keys: loaded from the keys file, stored only as SHA-256 digests, compared in constant
 * time; plus the per-key token bucket. Never logs a key. */
#ifndef SRV_AUTH_H
#define SRV_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a key may do; a route names the least scope it needs. */
enum { SRV_SCOPE_NONE = 0, SRV_SCOPE_PORTAL = 1, SRV_SCOPE_ADVISER = 2, SRV_SCOPE_ADMIN = 3 };

typedef struct srv_key {
    unsigned char digest[32];
    int scope; /* SRV_SCOPE_* */
    char name[64];
    double tokens; /* rate limiting, loop thread only */
    uint64_t last_ms;
} srv_key_t;

typedef struct srv_keys {
    srv_key_t *keys;
    size_t n;
    /* what is accepted but unwise (a short key, two keys under one name), for the log at
     * load and reload; "" when nothing */
    char warning[1024];
} srv_keys_t;

/* A key shorter than this is accepted with a warning: guessable (the demo's are). */
#define SRV_KEY_MIN_LEN 16

/* Load {"keys":[{"key"|"key_sha256","scope","name"}]}. *out owned by the caller; free with
 * srv_keys_free. Returns 0 or -1 with a message in errbuf. */
int srv_keys_load(const char *path, srv_keys_t **out, char *errbuf, size_t n);
int srv_keys_parse(const char *text, size_t len, srv_keys_t **out, char *errbuf, size_t n);
void srv_keys_free(srv_keys_t *k);
/* The key whose digest matches the presented secret, or NULL. Every entry is compared
 * (CRYPTO_memcmp), so the time does not depend on which one matches. */
srv_key_t *srv_keys_find(srv_keys_t *k, const char *secret, size_t len);
/* What a connection's last request presented and what it resolved to: the next requests of a
 * keep-alive connection present the same secret, and skip the SHA-256 (7 % of the loop's time
 * at 30,000 GETs a second). The secret is compared in constant time and cleansed by
 * srv_key_cache_clear when the connection closes; a reloaded key set (SIGHUP) misses. */
#define SRV_KEY_CACHE_MAX 128 /* longer secrets are hashed every time */
typedef struct srv_key_cache {
    const srv_keys_t *set; /* NULL: empty */
    srv_key_t *key;        /* NULL: the secret is not a key of `set` */
    size_t len;
    char secret[SRV_KEY_CACHE_MAX];
} srv_key_cache_t;
void srv_key_cache_clear(srv_key_cache_t *cache);

/* The key presented in an "Authorization: Bearer <secret>" header value, or NULL (no header,
 * another scheme, unknown secret). `cache` may be NULL. */
srv_key_t *srv_keys_bearer(srv_keys_t *k, const char *authorization, srv_key_cache_t *cache);
/* Scope name -> SRV_SCOPE_*, or -1. */
int srv_scope_parse(const char *s);
/* Token bucket: true when a request may go on; otherwise *retry_after_s is set (>= 1).
 * rate == 0 disables the limit. */
bool srv_rate_take(srv_key_t *k, uint64_t now_ms, long rate, long burst, long *retry_after_s);
/* Value of one hex digit, or -1 (key digests here, %-escapes in params.c). */
int srv_hexval(int c);

#endif
