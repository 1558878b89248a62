/* Error codes' names and the cm_error filler shared by every public module. */
#include "carematch/error.h"
#include "carematch/engine.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *cm_strerror(int rc)
{
    switch (rc) {
    case CM_OK:
        return "success";
    case CM_EINVAL:
        return "invalid argument";
    case CM_ENOTFOUND:
        return "not found";
    case CM_ENOMEM:
        return "out of memory";
    case CM_EIO:
        return "I/O error";
    case CM_EFULL:
        return "storage full";
    case CM_EXAPIAN:
        return "search index error";
    case CM_ECORRUPT:
        return "corrupt data";
    case CM_EEXIST:
        return "already exists or version conflict";
    case CM_EBUSY:
        return "busy";
    case CM_ERETRY:
        return "transient failure, retry";
    case CM_ETOOBIG:
        return "too big";
    case CM_EVERSION:
        return "unknown format version";
    case CM_EINTERNAL:
        return "internal error";
    case CM_ETIMEDOUT:
        return "timed out";
    case CM_ECLOSED:
        return "closed";
    case CM_EMISSING:
        return "missing required field";
    default:
        return "unknown error";
    }
}

int cm_error_set(cm_error *err, int code, const char *field, const char *fmt, ...)
{
    if (!err)
        return code;
    err->code = code;
    snprintf(err->field, sizeof err->field, "%s", field ? field : "");
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    } else {
        snprintf(err->message, sizeof err->message, "%s", cm_strerror(code));
    }
    return code;
}

void cm_free(void *p)
{
    free(p);
}

const char *cm_log_level_name(cm_log_level_t level)
{
    static const char *const names[] = {"debug", "info", "warn", "error"};
    return (unsigned)level < 4 ? names[level] : "info";
}
