/* The audit trail of candidate reads: one engine audit entry per candidate shown. */
#include "audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int srv_audit(srv_req_t *req, const char *action, const char *const *ids, size_t n)
{
    cm_audit_entry_t stack[8], *en = n <= 8 ? stack : calloc(n, sizeof *en);
    if (!en)
        return CM_ENOMEM;
    memset(en, 0, n * sizeof *en);
    int64_t now = (int64_t)time(NULL);
    for (size_t i = 0; i < n; i++) {
        en[i].at = now;
        snprintf(en[i].key_name, sizeof en[i].key_name, "%s", req->key ? req->key->name : "");
        snprintf(en[i].action, sizeof en[i].action, "%s", action);
        snprintf(en[i].candidate_id, sizeof en[i].candidate_id, "%s", ids[i]);
    }
    int rc = cm_engine_audit_append(req->engine, en, n);
    if (en != stack)
        free(en);
    return rc;
}
