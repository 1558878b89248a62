/* The JSON decoder's primitives (record_dec.c), shared by the record decoders (record.c):
 * every failure is written to the decoder's cm_error with the JSON path of the field at fault.
 * Internal to engine/. */
#ifndef CAREMATCH_ENGINE_RECORD_DEC_H
#define CAREMATCH_ENGINE_RECORD_DEC_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "record_internal.h"

typedef struct cm__dec {
    cm__arena_t *arena;
    cm_error *err;
} cm__dec_t;

/* Paths of array items ("schedule[12].days") fit easily: ids of keys are short. */
typedef char cm__path_t[96];

int cm__dec_nomem(cm__dec_t *d);
/* A member of `obj`, or NULL when absent or JSON null (null means "not given"). */
const cJSON *cm__dec_member(const cJSON *obj, const char *key);
int cm__dec_missing(cm__dec_t *d, const char *path);
int cm__dec_wrong_type(cm__dec_t *d, const char *path, const char *what);
/* Validate a JSON string's bytes and copy it into the arena. */
int cm__dec_text(cm__dec_t *d, const cJSON *it, const char *path, size_t max, bool multiline,
                 bool nonempty, const char **out);
/* Optional string member: *out stays NULL when absent, and when blank (an empty city or
 * description says nothing, and storing it would only make "absent" ambiguous). */
int cm__dec_opt_text(cm__dec_t *d, const cJSON *obj, const char *key, const char *path, size_t max,
                     bool multiline, const char **out);
int cm__dec_number(cm__dec_t *d, const cJSON *it, const char *path, double min, double max,
                   double *out);
int cm__dec_int(cm__dec_t *d, const cJSON *it, const char *path, int min, int max, int *out);
int cm__dec_opt_bool(cm__dec_t *d, const cJSON *obj, const char *key, const char *path, bool *out);
int cm__dec_opt_object(cm__dec_t *d, const cJSON *obj, const char *key, const char *path,
                       const cJSON **out);
int cm__dec_opt_array(cm__dec_t *d, const cJSON *obj, const char *key, const char *path, size_t max,
                      const cJSON **out, size_t *n);
/* "a, b or c" from a name table, for enum error messages. */
void cm__dec_names_list(const char *const *names, int n, char *buf, size_t size);

#endif
