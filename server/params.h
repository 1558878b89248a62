/* Query-parameter readers: each validates, and on a bad value answers 400 invalid_field with
 * the parameter's name and returns -1 (the handler then returns at once). */
#ifndef SRV_PARAMS_H
#define SRV_PARAMS_H

#include "http.h"

/* Parse the query string; on failure answers 400 and returns -1. */
int srv_params_begin(srv_req_t *req);
/* Integer in [min, max]; *out = def when absent. */
int srv_param_long(srv_req_t *req, const char *name, long min, long max, long def, long *out);
/* Finite number in [min, max]; *present tells whether it was given. */
int srv_param_double(srv_req_t *req, const char *name, double min, double max, double def,
                     double *out, bool *present);
/* true/false/1/0; *out = def when absent. */
int srv_param_bool(srv_req_t *req, const char *name, int def, int *out);

#endif
