/* carematch rendering: engine results as the contract's JSON (shared/contract/API.md and the
 * additions in docs/API.md), so that every front end (carematchd, the carematch CLI) prints the
 * same shape from one writer.
 *
 * Conventions:
 * - Inputs are borrowed for the call. Output text is owned by the caller; free with cm_free.
 * - Numbers are rounded as the contract shows them: score and distance_km to 0.1, explain
 *   factors to 0.01, commute minutes to the minute.
 * - Errors are negative CM_E* codes (error.h).
 */
#ifndef CAREMATCH_RENDER_H
#define CAREMATCH_RENDER_H

#include <stddef.h>

#include "carematch/engine.h"
#include "carematch/referential.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Render a match result as {"results":[...],"count":N,"considered":K}, the body of
 * GET /v1/candidates/{id}/matches, GET /v1/offers/{id}/matches and POST /v1/match.
 *
 * Each result is {"offer"|"candidate": brief, "score", "explain", "commute", "barriers",
 * "eligible"}, plus "neighbour": {"code", "of", "kind", "rank"} when the pair met through a
 * neighbouring ROME code (cm_match_t.near_code set; kind is cm_rome_near_kind_name).
 * An offer brief has id, title, employer, location (lat, lon, city, postcode) and contract;
 * a candidate brief has id, location (postcode and city only: never a person's coordinates),
 * desired_rome, certifications and experience_months. Nothing else of a
 * candidate (summary, availability, constraints) is ever written, so the output is safe for
 * every scope that may see the result.
 *
 * *out (NUL-terminated, compact JSON) owned by the caller; free with cm_free. *len (may be
 * NULL) gets its length without the NUL.
 * Errors: CM_EINVAL (r or out NULL), CM_ENOMEM. On error *out is NULL. */
int cm_match_result_to_json(const cm_match_result_t *r, char **out, size_t *len);

/* Render job-title suggestions (cm_rome_suggest) as the body of GET /v1/suggest/jobs:
 * {"suggestions":[{"title","ogr","rome","rome_label","match"}]}, in the given order; match is
 * "acronym", "exact" or "prefix". `s` may be NULL when n is 0.
 * *out owned by the caller; free with cm_free. *len (may be NULL) gets its length.
 * Errors: CM_EINVAL (out NULL, or s NULL with n > 0), CM_ENOMEM. On error *out is NULL. */
int cm_job_suggestions_to_json(const cm_rome_suggestion_t *s, size_t n, char **out, size_t *len);

/* Render communes (cm_commune_suggest) as the body of GET /v1/suggest/communes:
 * {"suggestions":[{"commune","name","postcode","department","lat","lon"}]}; lat and lon are
 * the commune's reference point, to 1e-6 degree. Same ownership and errors as above. */
int cm_commune_suggestions_to_json(const cm_commune_t *c, size_t n, char **out, size_t *len);

#ifdef __cplusplus
}
#endif

#endif
