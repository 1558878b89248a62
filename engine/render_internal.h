/* Shared by the JSON writers of render.h (match_json.c, render_ref.c). Internal to engine/. */
#ifndef CAREMATCH_ENGINE_RENDER_INTERNAL_H
#define CAREMATCH_ENGINE_RENDER_INTERNAL_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

/* Print root (deleted here, whatever ok says) into a malloc'd buffer that the caller frees with
 * cm_free, whatever allocator cJSON was given; *len (may be NULL) gets its length. ok false, or
 * out of memory: CM_ENOMEM. */
int cm__json_finish(cJSON *root, bool ok, char **out, size_t *len);

#endif
