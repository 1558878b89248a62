/* The audit trail of candidate reads: one engine audit entry per candidate shown. */
#include "audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void srv_audit_entry(const srv_req_t *req, const char *action, const char *id, cm_audit_entry_t *en)
{
    memset(en, 0, sizeof *en);
    en->at = (int64_t)time(NULL);
    snprintf(en->key_name, sizeof en->key_name, "%s", req->key ? req->key->name : "");
    snprintf(en->action, sizeof en->action, "%s", action);
    snprintf(en->candidate_id, sizeof en->candidate_id, "%s", id);
}

int srv_audit(srv_req_t *req, const char *action, const char *const *ids, size_t n)
{
    cm_audit_entry_t stack[8], *en = n <= 8 ? stack : calloc(n, sizeof *en);
    if (!en)
        return CM_ENOMEM;
    for (size_t i = 0; i < n; i++)
        srv_audit_entry(req, action, ids[i], &en[i]);
    int rc = cm_engine_audit_append(req->engine, en, n);
    if (en != stack)
        free(en);
    return rc;
}
