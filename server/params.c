/* Query-parameter validation shared by the search, match and stats handlers. */
#include "params.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

int srv_params_begin(srv_req_t *req)
{
    if (srv_query_parse(req) != 0) {
        srv_reply_error(req, 400, "invalid_field", "query",
                        "malformed query string (bad %%-escape or over %d parameters)",
                        SRV_QUERY_MAX);
        return -1;
    }
    return 0;
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
    if (!*v || *end || errno || x < min || x > max) {
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
    if (!*v || *end || errno || !isfinite(x) || x < min || x > max) {
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
