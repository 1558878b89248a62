/* France Travail import: offers of the "Offres d'emploi v2" API mapped onto the contract's offer
 * JSON (shared/contract/API.md), so that they can be validated and stored like any offer.
 * The field-by-field mapping and every finding code: docs/FRANCE_TRAVAIL.md.
 *
 * Conventions:
 * - Input is JSON text in France Travail's format, borrowed for the call (need not be
 *   NUL-terminated). Output strings are owned by the caller; free with cm_free.
 * - The mapping is lossy by nature. Every point where a value was lost, guessed or refused is
 *   a finding (cm_ft_finding_t) handed to a callback during the call: a stable code, the
 *   France Travail field, its raw value. cm_ft_finding_to_json turns one into a JSON line.
 * - Errors are negative CM_E* codes (error.h).
 */
#ifndef CAREMATCH_FRANCETRAVAIL_H
#define CAREMATCH_FRANCETRAVAIL_H

#include <stddef.h>

#include "carematch/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How much a finding weighs. */
typedef enum cm_ft_level {
    CM_FT_GUESS = 0, /* "guess": read, by an interpretation the report names */
    CM_FT_LOST = 1,  /* "lost": the value (or part of it) has no place in the record */
    CM_FT_REJECT = 2 /* "reject": the offer is refused (at most one such finding per offer) */
} cm_ft_level_t;

/* JSON name of a level ("guess", "lost", "reject"). */
const char *cm_ft_level_name(cm_ft_level_t level);

/* Largest raw value a report line carries (bytes; longer values are cut on a character
 * boundary and the line says "value_truncated": true). */
#define CM_FT_VALUE_MAX 1024

/* One finding. Every pointer is borrowed: valid during the callback only.
 * Codes (stable; meaning and examples in docs/FRANCE_TRAVAIL.md):
 *   reject: offer_invalid_json, offer_too_big, offer_not_object, id_missing, id_unusable,
 *           title_missing, rome_unknown, place_department_only, place_missing, place_unknown,
 *           coordinates_invalid, contract_unmapped
 *   lost:   text_truncated, hours_unreadable, hours_part_time_unstated,
 *           contract_duration_unreadable, experience_unreadable, salary_unreadable,
 *           salary_per_day, salary_comment_only, diploma_unknown, skills_dropped, permit_unmapped,
 *           permit_wanted, language_unmapped, commune_unknown, postcode_invalid,
 *           postcode_unknown, job_title_unknown, job_title_mismatch, condition_unmapped,
 *           date_invalid, employer_kind_unknown
 *   guess:  hours_full_time_assumed, hours_from_text, salary_period_guessed,
 * salary_period_corrected, contract_approximated, alternance_kind_guessed, rome_v3,
 * rome_version_guessed, rome_from_job_title, employer_kind_from_text, accessible_from_text,
 *           diploma_interpreted, place_from_libelle, schedule_from_text
 * The CLI adds codes of its own: record_invalid and store_failed (reject: refused by the
 * record validator, by storage), offer_closed (guess: closed by a refresh). */
typedef struct cm_ft_finding {
    const char *offer_id; /* France Travail id as given ("196CWQH"); NULL when unknown */
    const char *code;     /* stable code, above */
    cm_ft_level_t level;
    const char *field;  /* France Travail field ("salaire.libelle", "formations[1]"), or NULL */
    const char *value;  /* the raw value as the offer gave it (may hold newlines), or NULL */
    const char *detail; /* one English sentence: what was done; never NULL */
} cm_ft_finding_t;

/* Receives each finding of an offer, in the order met. */
typedef void (*cm_ft_finding_fn)(void *arg, const cm_ft_finding_t *finding);

/* Map ONE France Travail offer object onto the contract's offer JSON (field by field in
 * docs/FRANCE_TRAVAIL.md): id -> "ft-" + id; intitule, description; romeCode (read as ROME 4.0
 * or as v3, decided per offer from romeLibelle, appellationlibelle, the code and dateCreation:
 * v3 gives "rome_version": "v3") and appellationlibelle -> job_title (OGR code) when the
 * referential knows it; lieuTravail -> location (coordinates, INSEE commune, postcode; city
 * only when the libelle names that commune; offers placed only at département or région level
 * are refused); employer kind from codeNAF / secteurActiviteLibelle first, then words;
 * typeContrat, natureContrat, alternance -> contract; typeContratLibelle ->
 * contract_duration_days; dureeTravailLibelle(+Converti), contexteTravail.horaires ->
 * hours_per_week and work_pattern; experienceExige/Libelle -> experience; competences ->
 * skills; formations, intitule, description -> certifications ("one of" lists share a group);
 * permis -> driving_licence_required; text -> vehicle_required, physical_demands (with
 * contexteTravail.conditionsExercice); accessibleTH (absent: left out, not false); salaire ->
 * salary with its true period; dateCreation -> published_at. The offer is "open".
 *
 * json/len: the offer object's text.
 * *out_json: on success, compact JSON text of the contract's offer (NUL-terminated); owned by
 *            the caller, free with cm_free. NULL on failure.
 * fn/arg:    receives the findings (may be NULL: none are reported). On failure exactly one
 *            finding has level CM_FT_REJECT and says why.
 * Errors: CM_EINVAL (not JSON, not an object, or a required field unusable: id, title, a ROME
 *         code or job title, a position, a contract), CM_ETOOBIG (text over
 *         CM_RECORD_JSON_MAX), CM_ENOMEM (no reject finding then).
 * Caveat: the output has passed no validator; store it through cm_offer_from_json. */
int cm_ft_offer_to_json(const char *json, size_t len, char **out_json, cm_ft_finding_fn fn,
                        void *arg);

/* One report line for a finding: compact JSON, no newline inside or at the end, strings
 * escaped, the value cut at CM_FT_VALUE_MAX on a character boundary, invalid UTF-8 replaced by
 * U+FFFD: {"file", "offer" (1-based position in the file), "id", "code", "level", "field",
 * "value", "value_truncated", "detail"}; file (may be NULL) and index as the caller knows
 * them; absent members are left out. Returns NULL when out of memory. Owned by the caller;
 * free with cm_free. */
char *cm_ft_finding_to_json(const cm_ft_finding_t *f, const char *file, size_t index);

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
