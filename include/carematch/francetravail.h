/* France Travail import: offers of the "Offres d'emploi v2" API mapped onto the contract's offer
 * JSON (shared/contract/API.md), so that they can be validated and stored like any offer.
 *
 * Conventions:
 * - Input is JSON text in France Travail's format, borrowed for the call (need not be
 *   NUL-terminated). Output strings are owned by the caller; free with cm_free.
 * - The mapping is lossy by nature: what could not be carried over (free-text schedules,
 *   unknown diplomas, permits other than B, truncated text...) is described in a report for a
 *   person, one line per point, "field: what happened". The report is NULL when everything
 *   mapped.
 * - Errors are negative CM_E* codes (error.h).
 */
#ifndef CAREMATCH_FRANCETRAVAIL_H
#define CAREMATCH_FRANCETRAVAIL_H

#include <stddef.h>

#include "carematch/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Map ONE France Travail offer object onto the contract's offer JSON.
 *
 * Fields used: id (-> "ft-" + id), intitule (-> title), description, romeCode (-> rome),
 * lieuTravail.{latitude, longitude, codePostal, libelle} (-> location), entreprise.nom
 * (-> employer.name; employer.kind guessed from the name, the title and the description:
 * EHPAD, SSIAD, SAAD, ESAT, IME, MAS, FAM, foyer, hospital, creche), typeContrat and
 * natureContrat (-> contract: CDI, CDD, MIS -> interim, SAI -> saisonnier, LIB -> liberal,
 * apprenticeship and professionalisation contracts from natureContrat), dureeTravailLibelle and
 * dureeTravailLibelleConverti (-> hours_per_week), competences[] (-> skills, required when
 * exigence is "E"), formations[], competences[], intitule and description (-> certifications:
 * DEAS, DEAES, DEAP, DEI, TP_ADVF...; required when the formation or skill is "E" or the
 * sentence says exigé/obligatoire/indispensable/requis), permis[] (B with exigence "E" ->
 * driving_licence_required), accessibleTH (-> accessible_to_disabled_workers), dateCreation
 * (-> published_at), salaire.libelle (-> salary). The offer is "open".
 *
 * json/len: the offer object's text.
 * *out_json: on success, compact JSON text of the contract's offer (NUL-terminated); owned by
 *            the caller, free with cm_free. NULL on failure.
 * *report:   NULL when everything mapped; otherwise a NUL-terminated text, one line per point
 *            that was lost or guessed; on failure, the reason. Owned by the caller, free with
 *            cm_free. `report` may be NULL when the caller does not want it.
 * Errors: CM_EINVAL (not JSON, not an object, no usable id, title, romeCode, coordinates or
 *         contract: the contract's required fields), CM_ETOOBIG (text over
 *         CM_RECORD_JSON_MAX), CM_ENOMEM.
 * Caveat: the output has passed no validator; store it through cm_offer_from_json. */
int cm_ft_offer_to_json(const char *json, size_t len, char **out_json, char **report);

/* Callback of cm_ft_each_offer: `offer_json`/`offer_len` is one offer's text (borrowed, valid
 * during the call, not necessarily NUL-terminated), `index` its position from 0. A non-zero
 * return stops the walk and becomes cm_ft_each_offer's result. */
typedef int (*cm_ft_offer_fn)(void *arg, size_t index, const char *offer_json, size_t offer_len);

/* Split a file's text into offers and call `fn` on each, in order. Accepted shapes:
 * a JSON array of offers, the API's search answer {"resultats": [...]}, a single offer object,
 * or NDJSON (one offer a line; blank lines skipped; a broken line is still handed to `fn`,
 * whose mapping will refuse it, so that one bad line never hides the others).
 * Returns 0 after the last offer, fn's non-zero result if it stopped the walk, or
 * CM_EINVAL (empty input, a JSON value that is neither an array nor an object, "resultats"
 * not an array), CM_ENOMEM; `err` (may be NULL) gets a message. */
int cm_ft_each_offer(const char *text, size_t len, cm_ft_offer_fn fn, void *arg, cm_error *err);

#ifdef __cplusplus
}
#endif
#endif
