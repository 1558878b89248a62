/* Query-parameter readers: each validates, and on a bad value answers 400 invalid_field with
 * the parameter's name and returns -1 (the handler then returns at once). */
#ifndef SRV_PARAMS_H
#define SRV_PARAMS_H

#include "request.h"

/* Query parameters, parsed lazily on first use (percent-decoding, '+' as space) into
 * req->params. Returns 0, or what is wrong: */
enum {
    SRV_QUERY_BAD_ESCAPE = -1, /* a % not followed by two hexadecimal digits */
    SRV_QUERY_NUL = -2,        /* %00 */
    SRV_QUERY_TOO_MANY = -3,   /* over SRV_QUERY_MAX parameters */
    SRV_QUERY_NO_NAME = -4,    /* "=x": a value without a name */
    SRV_QUERY_NOMEM = -5
};
int srv_query_parse(srv_req_t *req);
/* The byte of the escape "%XX" at p (n bytes readable from p), or -1 when it is not one; paths
 * (request.c) and queries share it. */
int srv_pct_escape(const char *p, size_t n);
/* First value of `name`, or NULL. */
const char *srv_query_get(srv_req_t *req, const char *name);

/* Strict parameters: every parameter of the query is in `list` (a route's, space-separated,
 * "name*" repeatable; "*" alone takes anything) and a non-repeatable one is given once.
 * Returns 0, or -1 with *field the parameter's name (valid as long as the request) and the
 * reason (with the closest known name) in msg[]. */
int srv_params_check(srv_req_t *req, const char *list, const char **field, char *msg, size_t msg_n);

/* Parse the query string; on failure answers 400 and returns -1. */
int srv_params_begin(srv_req_t *req);
/* Integer in [min, max]; *out = def when absent. */
int srv_param_long(srv_req_t *req, const char *name, long min, long max, long def, long *out);
/* Finite number in [min, max]; *present tells whether it was given. */
int srv_param_double(srv_req_t *req, const char *name, double min, double max, double def,
                     double *out, bool *present);
/* true/false/1/0; *out = def when absent. */
int srv_param_bool(srv_req_t *req, const char *name, int def, int *out);
/* A ROME code given in a parameter, upper-cased into out as records' codes are ("j1501" reads
 * J1501); false (a 400 sent, naming `name`) when it is no ROME 4.0 code. */
bool srv_param_rome(srv_req_t *req, const char *name, const char *item, char out[8]);
/* fn(req, arg, item) for each value of the (repeatable) parameter `name`, each value also
 * split on commas when `commas`; an empty item is skipped. The value is cut in place and
 * restored (items are valid during the call only). A non-zero fn return stops the walk: -1
 * (fn has replied). */
int srv_param_each(srv_req_t *req, const char *name, bool commas,
                   int (*fn)(srv_req_t *req, void *arg, const char *item), void *arg);

/* The centre of a search (offers, candidates alike): lat and lon together, or a place given
 * as commune, or postcode (+ city to choose among its communes), which the engine places;
 * radius_km needs one of them. 400 naming the parameter and -1 on a bad combination. */
typedef struct srv_center {
    bool has_geo; /* lat and lon given */
    cm_geo_t center;
    double radius_km;                      /* 0 when absent */
    const char *commune, *postcode, *city; /* the place (only without lat and lon) */
} srv_center_t;
int srv_param_center(srv_req_t *req, srv_center_t *out);

#endif
