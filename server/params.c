/* The query string: parsing and percent-decoding, and the validating readers shared by the
 * search, match and stats handlers. */
#include "params.h"

#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carematch/record.h"
#include "carematch/referential.h"

#include "auth.h"
#include "json.h"
#include "log.h"

int srv_pct_escape(const char *p, size_t n)
{
    int hi = n > 1 ? srv_hexval((unsigned char)p[1]) : -1;
    int lo = n > 2 ? srv_hexval((unsigned char)p[2]) : -1;
    return hi < 0 || lo < 0 ? -1 : hi << 4 | lo;
}

/* Decode [src, src+n) into dst (NUL-terminated); returns SRV_QUERY_BAD_ESCAPE or
 * SRV_QUERY_NUL (%00: no text holds it). */
static int pct_decode(char *dst, const char *src, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = src[i];
        if (ch == '+') {
            ch = ' ';
        } else if (ch == '%') {
            int c = srv_pct_escape(src + i, n - i);
            if (c <= 0)
                return c == 0 ? SRV_QUERY_NUL : SRV_QUERY_BAD_ESCAPE;
            ch = (char)c;
            i += 2;
        }
        dst[o++] = ch;
    }
    dst[o] = '\0';
    return 0;
}

int srv_query_parse(srv_req_t *req)
{
    if (req->qbuf)
        return 0;
    size_t qlen = strlen(req->query);
    req->qbuf = malloc(qlen * 2 + 2);
    if (!req->qbuf)
        return SRV_QUERY_NOMEM;
    char *out = req->qbuf;
    const char *p = req->query;
    int rc;
    while (*p) {
        size_t seg = strcspn(p, "&");
        if (seg) {
            if (req->n_params == SRV_QUERY_MAX)
                return SRV_QUERY_TOO_MANY;
            const char *eq = memchr(p, '=', seg);
            size_t nlen = eq ? (size_t)(eq - p) : seg;
            srv_param_t *pp = &req->params[req->n_params];
            pp->name = out;
            if (nlen == 0)
                return SRV_QUERY_NO_NAME;
            if ((rc = pct_decode(out, p, nlen)) != 0)
                return rc;
            out += strlen(out) + 1;
            pp->value = out;
            if ((rc = pct_decode(out, eq ? eq + 1 : p + seg, eq ? seg - nlen - 1 : 0)) != 0)
                return rc;
            out += strlen(out) + 1;
            req->n_params++;
        }
        p += seg;
        if (*p == '&')
            p++;
    }
    return 0;
}

const char *srv_query_get(srv_req_t *req, const char *name)
{
    for (size_t i = 0; i < req->n_params; i++)
        if (strcmp(req->params[i].name, name) == 0)
            return req->params[i].value;
    return NULL;
}

/* Whether s is UTF-8: a query's values are text, in the contract's encoding (a
 * Latin-1 "%E9t%E9" would otherwise search for bytes no offer holds, without a word said). */
static bool utf8_ok(const char *s)
{
    for (const unsigned char *u = (const unsigned char *)s; *u;) {
        size_t n = *u < 0x80 ? 1 : srv_utf8_len(u);
        if (!n)
            return false;
        u += n;
    }
    return true;
}

/* What is wrong with a query string srv_query_parse refused. */
static const char *query_problem(int rc, char *msg, size_t msg_n)
{
    switch (rc) {
    case SRV_QUERY_TOO_MANY:
        snprintf(msg, msg_n, "too many query parameters: at most %d, repeated ones included",
                 SRV_QUERY_MAX);
        break;
    case SRV_QUERY_NUL:
        snprintf(msg, msg_n, "malformed query string: %%00 (a NUL byte) is in no text");
        break;
    case SRV_QUERY_NO_NAME:
        snprintf(msg, msg_n, "malformed query string: a parameter without a name (\"=value\")");
        break;
    case SRV_QUERY_NOMEM:
        snprintf(msg, msg_n, "out of memory");
        break;
    default:
        snprintf(msg, msg_n,
                 "malformed query string: a %% must be followed by two hexadecimal digits");
    }
    return msg;
}

int srv_params_begin(srv_req_t *req)
{
    int rc = srv_query_parse(req);
    if (rc != 0) {
        char msg[128];
        srv_reply_error(req, rc == SRV_QUERY_NOMEM ? 500 : 400,
                        rc == SRV_QUERY_NOMEM ? "internal" : "invalid_field",
                        rc == SRV_QUERY_NOMEM ? NULL : "query", "%s",
                        query_problem(rc, msg, sizeof msg));
        return -1;
    }
    for (size_t i = 0; i < req->n_params; i++) { /* names: known ones only (request.c) */
        const srv_param_t *p = &req->params[i];
        if (!utf8_ok(p->value)) {
            srv_reply_error(req, 400, "invalid_field", p->name,
                            "%s must be valid UTF-8 (percent-encode its UTF-8 bytes)", p->name);
            return -1;
        }
        /* "infirmie%CC%80re" (decomposed, as macOS sends it) is "infirmière" */
        cm_text_compose(p->value, strlen(p->value));
    }
    return 0;
}

/* Plain decimal: an optional sign, then digits (and for a number "." and an exponent); what
 * strtod also reads ("0x10", " 48.8", "inf", "nan") is refused. */
static bool plain_number(const char *v, bool integer)
{
    const char *p = v + (*v == '-' || *v == '+');
    if (!(*p >= '0' && *p <= '9') && !(!integer && *p == '.'))
        return false;
    return strspn(p, integer ? "0123456789" : "0123456789.eE+-") == strlen(p);
}

int srv_param_long(srv_req_t *req, const char *name, long min, long max, long def, long *out)
{
    const char *v = srv_query_get(req, name);
    *out = def;
    if (!v)
        return 0;
    char *end;
    errno = 0;
    long x = strtol(v, &end, 10);
    if (!plain_number(v, true) || *end || errno || x < min || x > max) {
        srv_reply_error(req, 400, "invalid_field", name, "%s must be an integer from %ld to %ld",
                        name, min, max);
        return -1;
    }
    *out = x;
    return 0;
}

int srv_param_double(srv_req_t *req, const char *name, double min, double max, double def,
                     double *out, bool *present)
{
    const char *v = srv_query_get(req, name);
    *out = def;
    if (present)
        *present = v != NULL;
    if (!v)
        return 0;
    char *end;
    errno = 0;
    double x = strtod(v, &end);
    if (errno == ERANGE && fabs(x) <= DBL_MIN)
        errno = 0; /* an underflow ("1e-400") is the nearest double, 0 or a subnormal: a number */
    if (!plain_number(v, false) || *end || errno || !isfinite(x) || x < min || x > max) {
        srv_reply_error(req, 400, "invalid_field", name, "%s must be a number from %g to %g", name,
                        min, max);
        return -1;
    }
    *out = x;
    return 0;
}

int srv_param_bool(srv_req_t *req, const char *name, int def, int *out)
{
    const char *v = srv_query_get(req, name);
    *out = def;
    if (!v)
        return 0;
    if (strcmp(v, "true") == 0 || strcmp(v, "1") == 0) {
        *out = 1;
    } else if (strcmp(v, "false") == 0 || strcmp(v, "0") == 0) {
        *out = 0;
    } else {
        srv_reply_error(req, 400, "invalid_field", name, "%s must be true or false", name);
        return -1;
    }
    return 0;
}

/* Is `name` in the route's list? *repeatable tells whether it may be given more than once. */
static bool listed(const char *list, const char *name, bool *repeatable)
{
    size_t n = strlen(name);
    for (const char *p = list; *p;) {
        size_t len = strcspn(p, " ");
        bool rep = len && p[len - 1] == '*';
        size_t w = rep ? len - 1 : len;
        if (w == n && memcmp(p, name, n) == 0) {
            *repeatable = rep;
            return true;
        }
        p += len;
        while (*p == ' ')
            p++;
    }
    return false;
}

int srv_params_check(srv_req_t *req, const char *list, const char **field, char *msg, size_t msg_n)
{
    if (strcmp(list, "*") == 0)
        return 0;
    int rc = srv_query_parse(req);
    if (rc != 0) {
        *field = "query";
        query_problem(rc, msg, msg_n);
        return -1;
    }
    for (size_t i = 0; i < req->n_params; i++) {
        const char *name = req->params[i].name;
        bool rep = false;
        if (!listed(list, name, &rep)) {
            /* the closest known name, for "did you mean" */
            const char *names[40];
            char buf[400];
            size_t k = 0;
            snprintf(buf, sizeof buf, "%s", list);
            char *save = NULL;
            for (char *tok = strtok_r(buf, " ", &save); tok && k + 1 < 40;
                 tok = strtok_r(NULL, " ", &save)) {
                size_t tl = strlen(tok);
                if (tl && tok[tl - 1] == '*')
                    tok[tl - 1] = '\0';
                names[k++] = tok;
            }
            names[k] = NULL;
            const char *near = cm_suggest_name(name, names);
            *field = name;
            if (near)
                snprintf(msg, msg_n, "unknown parameter %.60s (did you mean \"%s\"?)", name, near);
            else if (!list[0])
                snprintf(msg, msg_n, "unknown parameter %.60s: this route takes none", name);
            else
                snprintf(msg, msg_n, "unknown parameter %.60s", name);
            return -1;
        }
        /* a filter given empty ("rome=", "certification=,") would filter nothing: a script's
         * unset variable must not turn a narrow search into all of them */
        const char *v = req->params[i].value;
        if (rep && v[strspn(v, " ,")] == '\0') {
            *field = name;
            snprintf(msg, msg_n, "%.60s is empty: give a value, or leave the parameter out", name);
            return -1;
        }
        for (size_t j = 0; j < i && !rep; j++)
            if (strcmp(req->params[j].name, name) == 0) {
                *field = name;
                snprintf(msg, msg_n, "%.60s given twice: it takes one value", name);
                return -1;
            }
    }
    return 0;
}

bool srv_param_rome(srv_req_t *req, const char *name, const char *item, char out[8])
{
    size_t n = strlen(item);
    for (size_t i = 0; i < n && i < 7; i++)
        out[i] = (char)toupper((unsigned char)item[i]);
    out[n < 7 ? n : 7] = '\0';
    if (n < 7 && cm_rome_valid(out))
        return true;
    srv_reply_error(req, 400, "invalid_field", name,
                    "%s: \"%.40s\" is not a ROME 4.0 code (like J1501)", name, item);
    return false;
}

int srv_param_each(srv_req_t *req, const char *name, bool commas,
                   int (*fn)(srv_req_t *req, void *arg, const char *item), void *arg)
{
    for (size_t i = 0; i < req->n_params; i++) {
        if (strcmp(req->params[i].name, name) != 0)
            continue;
        char *v = req->params[i].value; /* lives in req->qbuf, ours to cut and restore */
        for (char *tok = v;; tok++) {
            size_t n = commas ? strcspn(tok, ",") : strlen(tok);
            char save = tok[n];
            tok[n] = '\0';
            int rc = n ? fn(req, arg, tok) : 0;
            tok[n] = save;
            if (rc != 0)
                return -1;
            tok += n;
            if (!*tok)
                break;
        }
    }
    return 0;
}

int srv_param_center(srv_req_t *req, srv_center_t *out)
{
    double lat, lon, radius;
    bool has_lat, has_lon, has_radius;
    memset(out, 0, sizeof *out);
    if (srv_param_double(req, "lat", -90, 90, 0, &lat, &has_lat) != 0 ||
        srv_param_double(req, "lon", -180, 180, 0, &lon, &has_lon) != 0 ||
        srv_param_double(req, "radius_km", 0.001, 20000, 0, &radius, &has_radius) != 0)
        return -1;
    if (has_lat != has_lon) {
        srv_reply_error(req, 400, "invalid_field", has_lat ? "lon" : "lat",
                        "lat and lon go together");
        return -1;
    }
    if (!has_lat) { /* lat and lon win when both are given: the place is not looked at */
        out->commune = srv_query_get(req, "commune");
        out->postcode = srv_query_get(req, "postcode");
        out->city = srv_query_get(req, "city");
        if (out->city && !out->postcode && !out->commune) {
            srv_reply_error(req, 400, "invalid_field", "city",
                            "city chooses among the communes of a postcode: give postcode too");
            return -1;
        }
    }
    if (has_radius && !has_lat && !out->commune && !out->postcode) {
        srv_reply_error(req, 400, "invalid_field", "radius_km",
                        "radius_km needs a centre: lat and lon, commune or postcode");
        return -1;
    }
    out->has_geo = has_lat;
    out->center.lat_e6 = (int32_t)(lat * 1e6 + (lat >= 0 ? 0.5 : -0.5));
    out->center.lon_e6 = (int32_t)(lon * 1e6 + (lon >= 0 ? 0.5 : -0.5));
    out->radius_km = has_radius ? radius : 0;
    return 0;
}
