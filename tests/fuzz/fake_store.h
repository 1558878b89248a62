/* Storage stand-in for drivers that include server/handlers_records.c: its engine calls land in
 * these fakes (nothing is stored), so the record handlers run for real without an engine. Bulk
 * puts accept every record but those whose id starts with 'z' (CM_EEXIST); single puts create;
 * get and delete find nothing. Include before the handler file. */
#ifndef CM_FUZZ_FAKE_STORE_H
#define CM_FUZZ_FAKE_STORE_H

#include "carematch/engine.h"

static size_t fake_batch_calls;

static int fake_put_offers(cm_engine_t *e, cm_offer_t **recs, size_t n, int *rcs,
                           uint64_t *wait_seq)
{
    (void)e;
    *wait_seq = 0;
    fake_batch_calls++;
    for (size_t i = 0; i < n; i++)
        rcs[i] = recs[i]->id[0] == 'z' ? CM_EEXIST : 0;
    return 0;
}

static int fake_put_candidates(cm_engine_t *e, cm_candidate_t **recs, size_t n, int *rcs,
                               uint64_t *wait_seq)
{
    (void)e;
    *wait_seq = 0;
    fake_batch_calls++;
    for (size_t i = 0; i < n; i++)
        rcs[i] = recs[i]->id[0] == 'z' ? CM_EEXIST : 0;
    return 0;
}

static int fake_put_offer(cm_engine_t *e, cm_offer_t *rec, uint64_t if_version, bool *created,
                          bool *lagging, uint64_t *wait_seq)
{
    (void)e, (void)lagging;
    *wait_seq = 0;
    if (if_version != 0 && if_version != CM_IF_ABSENT)
        return CM_EEXIST; /* nothing is stored: no version can match */
    rec->version = 1;
    *created = true;
    return 0;
}

static int fake_put_candidate(cm_engine_t *e, cm_candidate_t *rec, uint64_t if_version,
                              bool *created, bool *lagging, uint64_t *wait_seq)
{
    (void)e, (void)lagging;
    *wait_seq = 0;
    if (if_version != 0 && if_version != CM_IF_ABSENT)
        return CM_EEXIST;
    rec->version = 1;
    *created = true;
    return 0;
}

static int fake_get_offer(cm_engine_t *e, const char *id, cm_offer_t **out)
{
    (void)e, (void)id, (void)out;
    return CM_ENOTFOUND;
}

static int fake_get_candidate(cm_engine_t *e, const char *id, cm_candidate_t **out)
{
    (void)e, (void)id, (void)out;
    return CM_ENOTFOUND;
}

static int fake_delete_offer(cm_engine_t *e, const char *id, uint64_t if_version)
{
    (void)e, (void)id, (void)if_version;
    return CM_ENOTFOUND;
}

static int fake_delete_candidate(cm_engine_t *e, const char *id, uint64_t if_version,
                                 struct cm_audit_entry *audit)
{
    (void)e, (void)id, (void)if_version, (void)audit;
    return CM_ENOTFOUND;
}

#define cm_engine_put_offers_deferred fake_put_offers
#define cm_engine_put_candidates_deferred fake_put_candidates
#define cm_engine_put_offer_deferred fake_put_offer
#define cm_engine_put_candidate_deferred fake_put_candidate
#define cm_engine_get_offer fake_get_offer
#define cm_engine_get_candidate fake_get_candidate
#define cm_engine_delete_offer fake_delete_offer
#define cm_engine_delete_candidate_audited fake_delete_candidate

#endif
