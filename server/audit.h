/* The audit trail of reads of candidates, as the handlers record it in the engine's audit
 * log (who, which action, which candidate, when). */
#ifndef SRV_AUDIT_H
#define SRV_AUDIT_H

#include <stddef.h>

#include "request.h"

/* Record in the engine's audit log that this request's key read the n candidates `ids`.
 * Returns 0 or a CM_E* code: a read that cannot be audited must not be answered (handlers
 * reply with the error). Runs on the pool. */
int srv_audit(srv_req_t *req, const char *action, const char *const *ids, size_t n);
/* One entry as srv_audit writes it (now, this request's key), for a write that carries its
 * own (cm_engine_delete_candidate_audited). */
void srv_audit_entry(const srv_req_t *req, const char *action, const char *id,
                     cm_audit_entry_t *en);

#endif
