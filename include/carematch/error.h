/* carematch error codes and error details, shared by every public module.
 *
 * Conventions (whole public API): a function that can fail returns int, 0 on success or a
 * negative CM_E* code; results come back through out-parameters. Where a person needs to know
 * what went wrong, the function takes an optional `cm_error *` (may be NULL) that it fills on
 * failure with a message and, when one field is at fault, the field's JSON path.
 */
#ifndef CAREMATCH_ERROR_H
#define CAREMATCH_ERROR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
    CM_OK = 0,
    CM_EINVAL = -1,     /* invalid argument or record (details in cm_error) */
    CM_ENOTFOUND = -2,  /* no such record */
    CM_ENOMEM = -3,     /* out of memory */
    CM_EIO = -4,        /* I/O or storage error */
    CM_EFULL = -5,      /* storage full (LMDB map full or disk full) */
    CM_EXAPIAN = -6,    /* error from the Xapian index */
    CM_ECORRUPT = -7,   /* stored data fails its checks */
    CM_EEXIST = -8,     /* already exists / conflict */
    CM_EBUSY = -9,      /* resource busy (queue full, locked) */
    CM_ERETRY = -10,    /* transient; caller may retry (index modified under a reader) */
    CM_ETOOBIG = -11,   /* input larger than a documented limit */
    CM_EVERSION = -12,  /* unknown record or database format version */
    CM_EINTERNAL = -13, /* a bug: should not happen */
    CM_ETIMEDOUT = -14, /* waited past a documented bound */
    CM_ECLOSED = -15,   /* handle is shutting down */
    CM_EMISSING = -16   /* a required field is absent (cm_error.field names it) */
};

/* Human-readable details of a failure. `field` is the JSON path of the offending field
 * ("location.lat", "schedule[0].from") or empty when no single field is at fault. */
typedef struct cm_error {
    int code;
    char field[96];
    char message[256];
} cm_error;

/* Static name of an error code ("invalid argument", ...). Never NULL. */
const char *cm_strerror(int rc);

/* Fill `err` (if not NULL) with code, field (may be NULL) and a printf-style message.
 * Returns `code` so callers can `return cm_error_set(err, CM_EINVAL, "x", "...")`. */
int cm_error_set(cm_error *err, int code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Free memory the engine returned as "owned by the caller; free with cm_free". */
void cm_free(void *p);

#ifdef __cplusplus
}
#endif
#endif
