/* What the index's writer (index.c) and readers (index_search.c) share, private to them. */
#ifndef CAREMATCH_ENGINE_INDEX_INTERNAL_H
#define CAREMATCH_ENGINE_INDEX_INTERNAL_H

#include <stdint.h>
#include <string.h>

#include "carematch/error.h"
#include "carematch/record.h"
#include "cmx.h"

/* err from a shim code and its message (consumed); returns rc. */
static inline int xerr(cm_error *err, int rc, const char *field, const char *what, char *msg)
{
    cm_error_set(err, rc, field, "%s: %s", what, msg ? msg : cm_strerror(rc));
    cmx_free(msg);
    return rc;
}

/* The 8 big-endian bytes of SLOT_VERSION (0 when not 8 bytes). */
static inline uint64_t version_of(const char *v, size_t len)
{
    if (len != 8)
        return 0;
    uint64_t x = 0;
    for (size_t i = 0; i < 8; i++)
        x = x << 8 | (uint8_t)v[i];
    return x;
}

/* A document's data is its offer id: copied out, NUL-terminated; CM_ECORRUPT when it cannot
 * be one. */
static inline int doc_id(const char *data, size_t dlen, char id[CM_ID_MAX + 1])
{
    if (dlen == 0 || dlen > CM_ID_MAX)
        return CM_ECORRUPT;
    memcpy(id, data, dlen);
    id[dlen] = '\0';
    return 0;
}

#endif
