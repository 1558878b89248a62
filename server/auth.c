/* API keys: parsed from the keys file, kept as SHA-256 digests only, matched in constant time;
 * and the per-key token bucket for rate limiting. */
#include "auth.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carematch/record.h"
#include <strings.h>

#ifndef CM_HAVE_OPENSSL
#error "carematchd needs OpenSSL libcrypto (SHA-256, CRYPTO_memcmp)"
#endif
#include <openssl/crypto.h>
#include <openssl/evp.h>

static int sha256(const void *data, size_t len, unsigned char out[32])
{
    unsigned int outlen = 0;
    if (EVP_Digest(data, len, out, &outlen, EVP_sha256(), NULL) != 1 || outlen != 32)
        return -1;
    return 0;
}

int srv_scope_parse(const char *s)
{
    if (!s)
        return -1;
    if (strcmp(s, "portal") == 0)
        return SRV_SCOPE_PORTAL;
    if (strcmp(s, "adviser") == 0)
        return SRV_SCOPE_ADVISER;
    if (strcmp(s, "admin") == 0)
        return SRV_SCOPE_ADMIN;
    return -1;
}

/* One more warning for the log at load, after those already there ("; " between them); what
 * does not fit is cut, with "..." at the end. */
__attribute__((format(printf, 2, 3))) static void warn_add(srv_keys_t *k, const char *fmt, ...)
{
    size_t used = strlen(k->warning), cap = sizeof k->warning;
    if (used + 8 >= cap)
        return;
    if (used) {
        memcpy(k->warning + used, "; ", 3);
        used += 2;
    }
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(k->warning + used, cap - used, fmt, ap);
    va_end(ap);
    if (w >= 0 && (size_t)w >= cap - used)
        memcpy(k->warning + cap - 4, "...", 4);
}

int srv_hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

void srv_keys_free(srv_keys_t *k)
{
    if (!k)
        return;
    if (k->keys) /* the digests are secrets of a kind: do not leave them in freed memory */
        OPENSSL_cleanse(k->keys, k->n * sizeof *k->keys);
    free(k->keys);
    free(k);
}

int srv_keys_parse(const char *text, size_t len, srv_keys_t **out, char *errbuf, size_t n)
{
    *out = NULL;
    cJSON *root = NULL;
    cm_error perr = {0};
    if (cm_json_parse_strict(text, len, &root, &perr) != 0) { /* a member twice: refused */
        snprintf(errbuf, n, "keys: %s", perr.message);
        return -1;
    }
    srv_keys_t *k = calloc(1, sizeof *k);
    const cJSON *arr = root ? cJSON_GetObjectItemCaseSensitive(root, "keys") : NULL;
    if (!k) {
        snprintf(errbuf, n, "keys: out of memory");
        goto fail;
    }
    if (!cJSON_IsArray(arr)) {
        snprintf(errbuf, n, "keys: expected {\"keys\": [...]}");
        goto fail;
    }
    size_t count = (size_t)cJSON_GetArraySize(arr);
    k->keys = calloc(count ? count : 1, sizeof *k->keys);
    if (!k->keys) {
        snprintf(errbuf, n, "keys: out of memory");
        goto fail;
    }
    const cJSON *it;
    for (const cJSON *m = root->child; m; m = m->next)
        if (strcmp(m->string, "keys") != 0) { /* strict as --config: a typo is not ignored */
            snprintf(errbuf, n, "keys: unknown member \"%.60s\" (the file is {\"keys\": [...]})",
                     m->string);
            goto fail;
        }
    cJSON_ArrayForEach(it, arr)
    {
        srv_key_t *e = &k->keys[k->n];
        if (!cJSON_IsObject(it)) {
            snprintf(errbuf, n, "keys[%zu]: expected an object", k->n);
            goto fail;
        }
        for (const cJSON *m = it->child; m; m = m->next) {
            static const char *const known[] = {"key", "key_sha256", "scope", "name", NULL};
            int kn = 0;
            while (known[kn] && strcmp(known[kn], m->string) != 0)
                kn++;
            if (!known[kn]) {
                snprintf(errbuf, n,
                         "keys[%zu]: unknown member \"%.60s\" (key or key_sha256, scope, name)",
                         k->n, m->string);
                goto fail;
            }
        }
        const cJSON *key = cJSON_GetObjectItemCaseSensitive(it, "key");
        const cJSON *hex = cJSON_GetObjectItemCaseSensitive(it, "key_sha256");
        const cJSON *scope = cJSON_GetObjectItemCaseSensitive(it, "scope");
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(it, "name");
        size_t i = k->n + 1;
        e->scope = srv_scope_parse(cJSON_GetStringValue(scope));
        if (e->scope < 0) {
            snprintf(errbuf, n, "keys[%zu]: scope must be portal, adviser or admin", i - 1);
            goto fail;
        }
        if (key && hex) {
            snprintf(errbuf, n, "keys[%zu]: \"key\" or \"key_sha256\", not both", i - 1);
            goto fail;
        }
        if (cJSON_IsString(key) && key->valuestring[0]) {
            /* a Bearer token is visible ASCII: a space, a tab or a line end could never be sent
             * (clients and proxies trim them) */
            for (const unsigned char *c = (const unsigned char *)key->valuestring; *c; c++)
                if (*c <= ' ' || *c >= 0x7f) {
                    snprintf(errbuf, n,
                             "keys[%zu]: a key is visible ASCII only (a space, a control "
                             "character or a non-ASCII byte could never be sent)",
                             i - 1);
                    goto fail;
                }
            size_t kl = strlen(key->valuestring);
            if (kl < SRV_KEY_MIN_LEN) /* each of them: the operator replaces them all */
                warn_add(k,
                         "keys[%zu] (%.40s) has %zu characters: guessable; use %d or more "
                         "random ones (openssl rand -hex 16)",
                         i - 1, cJSON_GetStringValue(name) ? cJSON_GetStringValue(name) : "", kl,
                         SRV_KEY_MIN_LEN);
            if (sha256(key->valuestring, strlen(key->valuestring), e->digest) != 0) {
                snprintf(errbuf, n, "keys: SHA-256 failed");
                goto fail;
            }
        } else if (cJSON_IsString(hex) && strlen(hex->valuestring) == 64) {
            for (int b = 0; b < 32; b++) {
                int hi = srv_hexval(hex->valuestring[2 * b]);
                int lo = srv_hexval(hex->valuestring[2 * b + 1]);
                if (hi < 0 || lo < 0) {
                    snprintf(errbuf, n, "keys[%zu]: key_sha256 is not hex", i - 1);
                    goto fail;
                }
                e->digest[b] = (unsigned char)(hi << 4 | lo);
            }
        } else {
            snprintf(errbuf, n, "keys[%zu]: needs \"key\" or \"key_sha256\" (64 hex digits)",
                     i - 1);
            goto fail;
        }
        /* the same key twice: which scope it has would depend on the order; refused */
        for (size_t j = 0; j < k->n; j++)
            if (memcmp(k->keys[j].digest, e->digest, sizeof e->digest) == 0) {
                snprintf(errbuf, n, "keys[%zu]: the same key as keys[%zu]", i - 1, j);
                goto fail;
            }
        const char *nm = cJSON_GetStringValue(name);
        snprintf(e->name, sizeof e->name, "%s", nm && *nm ? nm : "unnamed");
        for (size_t j = 0; j < k->n; j++)
            if (strcmp(k->keys[j].name, e->name) == 0) {
                warn_add(k,
                         "keys[%zu] and keys[%zu] are both named \"%.40s\": the log and the "
                         "audit cannot tell them apart",
                         j, i - 1, e->name);
                break;
            }
        e->tokens = -1; /* bucket starts full on first use */
        k->n++;
    }
    if (k->n == 0) { /* every request would be refused: a mistake, not a policy */
        snprintf(errbuf, n, "keys: the list is empty (no client could call the API)");
        goto fail;
    }
    cJSON_Delete(root);
    *out = k;
    return 0;
fail:
    cJSON_Delete(root);
    srv_keys_free(k);
    return -1;
}

int srv_keys_load(const char *path, srv_keys_t **out, char *errbuf, size_t n)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(errbuf, n, "keys: cannot open %s", path);
        return -1;
    }
    char *buf = malloc(1u << 20);
    if (!buf) {
        fclose(f);
        snprintf(errbuf, n, "keys: out of memory");
        return -1;
    }
    size_t len = fread(buf, 1, 1u << 20, f);
    int bad = ferror(f) || len == (1u << 20);
    fclose(f);
    int rc = -1;
    if (bad)
        snprintf(errbuf, n, "keys: cannot read %s (or larger than 1 MiB)", path);
    else
        rc = srv_keys_parse(buf, len, out, errbuf, n);
    OPENSSL_cleanse(buf, len);
    free(buf);
    return rc;
}

srv_key_t *srv_keys_find(srv_keys_t *k, const char *secret, size_t len)
{
    unsigned char d[32];
    if (!k || len == 0 || sha256(secret, len, d) != 0)
        return NULL;
    srv_key_t *found = NULL;
    for (size_t i = 0; i < k->n; i++) {
        /* no early exit: every entry costs the same */
        int eq = CRYPTO_memcmp(d, k->keys[i].digest, 32) == 0;
        if (eq && !found)
            found = &k->keys[i];
    }
    OPENSSL_cleanse(d, sizeof d);
    return found;
}

void srv_key_cache_clear(srv_key_cache_t *cache)
{
    if (cache && cache->set) {
        OPENSSL_cleanse(cache->secret, sizeof cache->secret);
        cache->set = NULL;
        cache->key = NULL;
        cache->len = 0;
    }
}

srv_key_t *srv_keys_bearer(srv_keys_t *k, const char *authorization, srv_key_cache_t *cache)
{
    const char *auth = authorization;
    if (!auth || strncasecmp(auth, "Bearer ", 7) != 0)
        return NULL;
    const char *tok = auth + 7;
    while (*tok == ' ')
        tok++;
    size_t n = strlen(tok);
    while (n && (tok[n - 1] == ' ' || tok[n - 1] == '\t'))
        n--;
    bool cacheable = cache && k && n > 0 && n <= sizeof cache->secret;
    if (cacheable && cache->set == k && cache->len == n &&
        CRYPTO_memcmp(cache->secret, tok, n) == 0)
        return cache->key;
    srv_key_t *found = srv_keys_find(k, tok, n);
    if (cacheable) {
        srv_key_cache_clear(cache);
        memcpy(cache->secret, tok, n);
        cache->len = n;
        cache->key = found;
        cache->set = k;
    }
    return found;
}

bool srv_rate_take(srv_key_t *k, uint64_t now_ms, long rate, long burst, long *retry_after_s)
{
    if (rate <= 0)
        return true;
    double cap = (double)(burst > 0 ? burst : rate);
    if (k->tokens < 0) {
        k->tokens = cap;
    } else {
        double add = (double)(now_ms - k->last_ms) * (double)rate / 1000.0;
        k->tokens = k->tokens + add > cap ? cap : k->tokens + add;
    }
    k->last_ms = now_ms;
    if (k->tokens >= 1.0) {
        k->tokens -= 1.0;
        return true;
    }
    double wait = (1.0 - k->tokens) / (double)rate;
    long s = (long)wait;
    if ((double)s < wait)
        s++;
    *retry_after_s = s < 1 ? 1 : s;
    return false;
}
