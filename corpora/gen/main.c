/* carematch-gen: writes deterministic, realistic NDJSON corpora of offers and candidates in the
 * contract's format (usage below and in corpora/README.md). */
#include <cjson/cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

#define FLUSH_AT (4u << 20)

static void usage(FILE *f)
{
    fputs("usage: carematch-gen [--offers N] [--candidates M] [--seed S]\n"
          "                     [--out-offers FILE] [--out-candidates FILE]\n"
          "                     [--near-offers FILE.ndjson] [--near-km K]\n"
          "Writes N offers and M candidates as NDJSON (one record a line, ids off-0000001...,\n"
          "cand-0000001...). The same seed gives the same bytes. Without --out-*, the one kind\n"
          "asked for goes to stdout (asking for both then needs files).\n"
          "--near-offers: draw candidates within K km (default 25) of these offers' locations,\n"
          "mostly wishing their ROME code, instead of across France by population.\n",
          f);
}

static int parse_u64(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || end == s || *end || s[0] == '-')
        return -1;
    *out = v;
    return 0;
}

/* Read lat/lon/rome of each offer of an NDJSON file. */
static int load_anchors(const char *path, cg_anchor_t **out, size_t *n)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "carematch-gen: %s: %s\n", path, strerror(errno));
        return -1;
    }
    char *line = NULL;
    size_t cap = 0, cnt = 0, alloc = 0;
    cg_anchor_t *a = NULL;
    ssize_t len;
    int rc = 0;
    while ((len = getline(&line, &cap, f)) > 0) {
        cJSON *o = cJSON_ParseWithLength(line, (size_t)len);
        if (!o)
            continue; /* blank or broken lines carry no anchor */
        const cJSON *loc = cJSON_GetObjectItemCaseSensitive(o, "location");
        const cJSON *lat = cJSON_GetObjectItemCaseSensitive(loc, "lat");
        const cJSON *lon = cJSON_GetObjectItemCaseSensitive(loc, "lon");
        const cJSON *rome = cJSON_GetObjectItemCaseSensitive(o, "rome");
        if (cJSON_IsNumber(lat) && cJSON_IsNumber(lon)) {
            if (cnt == alloc) {
                alloc = alloc ? alloc * 2 : 64;
                cg_anchor_t *na = realloc(a, alloc * sizeof *a);
                if (!na) {
                    cJSON_Delete(o);
                    rc = -1;
                    break;
                }
                a = na;
            }
            cg_anchor_t *x = &a[cnt++];
            x->lat_e6 = (int32_t)(lat->valuedouble * 1e6);
            x->lon_e6 = (int32_t)(lon->valuedouble * 1e6);
            x->rome[0] = '\0';
            if (cJSON_IsString(rome) && strlen(rome->valuestring) == 5)
                memcpy(x->rome, rome->valuestring, 6);
        }
        cJSON_Delete(o);
    }
    if (ferror(f))
        rc = -1;
    free(line);
    fclose(f);
    if (rc == 0 && cnt == 0) {
        fprintf(stderr, "carematch-gen: %s: no offer with a location\n", path);
        rc = -1;
    }
    if (rc) {
        free(a);
        return -1;
    }
    *out = a;
    *n = cnt;
    return 0;
}

static int write_kind(const cg_ctx_t *ctx, bool offers, uint64_t count, const char *path)
{
    FILE *f = stdout;
    if (path && !(f = fopen(path, "w"))) {
        fprintf(stderr, "carematch-gen: %s: %s\n", path, strerror(errno));
        return -1;
    }
    cg_buf_t b = {0};
    int rc = 0;
    for (uint64_t i = 1; i <= count && rc == 0; i++) {
        if (offers)
            cg_offer(ctx, i, &b);
        else
            cg_candidate(ctx, i, &b);
        if (b.len >= FLUSH_AT || i == count)
            rc = cg_buf_flush(&b, f);
    }
    if (rc == 0 && fflush(f) != 0)
        rc = -1;
    if (rc)
        fprintf(stderr, "carematch-gen: writing %s: %s\n", path ? path : "stdout", strerror(errno));
    if (path && fclose(f) != 0 && rc == 0) {
        fprintf(stderr, "carematch-gen: %s: %s\n", path, strerror(errno));
        rc = -1;
    }
    cg_buf_free(&b);
    return rc;
}

int main(int argc, char **argv)
{
    uint64_t n_off = 0, n_cand = 0, seed = 1, near_km = 25;
    const char *out_off = NULL, *out_cand = NULL, *near = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int bad = 0;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (!v) {
            bad = 1;
        } else if (strcmp(a, "--offers") == 0) {
            bad = parse_u64(v, &n_off);
        } else if (strcmp(a, "--candidates") == 0) {
            bad = parse_u64(v, &n_cand);
        } else if (strcmp(a, "--seed") == 0) {
            bad = parse_u64(v, &seed);
        } else if (strcmp(a, "--near-km") == 0) {
            bad = parse_u64(v, &near_km) || near_km == 0 || near_km > 500;
        } else if (strcmp(a, "--out-offers") == 0) {
            out_off = v;
        } else if (strcmp(a, "--out-candidates") == 0) {
            out_cand = v;
        } else if (strcmp(a, "--near-offers") == 0) {
            near = v;
        } else {
            bad = 1;
        }
        if (bad || n_off > 9999999 || n_cand > 9999999) {
            fprintf(stderr, "carematch-gen: bad argument %s%s%s (counts up to 9,999,999)\n", a,
                    v ? " " : "", v ? v : "");
            usage(stderr);
            return 2;
        }
        i++;
    }
    if (n_off && n_cand && (!out_off || !out_cand)) {
        fprintf(stderr, "carematch-gen: both offers and candidates need --out-offers and "
                        "--out-candidates\n");
        return 2;
    }
    if (!n_off && !n_cand) {
        usage(stderr);
        return 2;
    }
    cg_anchor_t *anchors = NULL;
    size_t n_anchors = 0;
    if (near && load_anchors(near, &anchors, &n_anchors) != 0)
        return 1;
    cg_ctx_t *ctx = cg_ctx_create(seed, anchors, n_anchors, (unsigned)near_km);
    if (!ctx) {
        fprintf(stderr, "carematch-gen: out of memory\n");
        free(anchors);
        return 1;
    }
    int rc = 0;
    if (n_off)
        rc = write_kind(ctx, true, n_off, out_off);
    if (rc == 0 && n_cand)
        rc = write_kind(ctx, false, n_cand, out_cand);
    cg_ctx_destroy(ctx);
    free(anchors);
    return rc ? 1 : 0;
}
