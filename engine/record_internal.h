/* Seams between the record files (record.c JSON, codec.c binary, util.c helpers): shared
 * syntax checks and record allocation. Private to engine/record*.c, codec.c and util.c. */
#ifndef CAREMATCH_ENGINE_RECORD_INTERNAL_H
#define CAREMATCH_ENGINE_RECORD_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "carematch/record.h"

/* Date range accepted anywhere: 0001-01-01 .. 9999-12-31 as days since 1970-01-01. */
#define CM__DATE_MIN (-719162)
#define CM__DATE_MAX 2932896

/* Salary upper bound (any period): keeps absurd values and overflow out of scoring. */
#define CM__SALARY_MAX 10000000.0

/* Result of cm__text_check. */
enum { CM__TEXT_OK = 0, CM__TEXT_BAD_UTF8, CM__TEXT_CONTROL };

/* Is s[0..n) well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF) and
 * free of NUL and other C0 control characters? Tab, LF and CR are allowed when `multiline`. */
int cm__text_check(const char *s, size_t n, bool multiline);
/* Does valid UTF-8 `s` hold a C1 control (U+0080..U+009F: a terminal's escapes among them)?
 * Refused in what clients send (cm__dec_text); stored text from before is not re-judged. */
bool cm__text_c1(const char *s, size_t n);
/* Compose every string value of a JSON tree (cm_text_compose): what clients send decomposed
 * reads as the referentials and the words spell it. cm_json_parse_strict applies it. */
struct cJSON;
void cm__json_compose(struct cJSON *v);

/* Is s[0..n) empty or only spaces, tabs and line breaks? */
bool cm__text_blank(const char *s, size_t n);

/* ROME code: one letter and 4 digits. With `normalise`, a lower-case letter is accepted and
 * upper-cased into out[6]; otherwise it must already be upper case. */
bool cm__rome_parse(const char *s, size_t n, bool normalise, char out[6]);

/* Certification code: 1..CM_CERT_MAX chars of [A-Za-z0-9_.-]. out receives the upper-case
 * form (needs CM_CERT_MAX + 1 bytes). */
bool cm__cert_parse(const char *s, size_t n, char *out);

/* Is `s` 5 digits? */
bool cm__postcode_valid(const char *s, size_t n);

/* Day names "mon".."sun" (index = bit), mode names by bit index, salary periods. */
extern const char *const cm__day_names[7];
#define CM__MODE_NAMES 5 /* CM_MODE_* bits, in bit order */
extern const char *const cm__mode_names[CM__MODE_NAMES];
extern const char *const cm__salary_period_names[CM_SALARY__COUNT]; /* [0] = NULL */
int cm__day_parse(const char *s);                                   /* day index 0..6 or -1 */
int cm__mode_parse(const char *s); /* bit index 0..CM__MODE_NAMES-1 or -1 */
int cm__salary_period_parse(const char *s);                         /* CM_SALARY_HOUR.. or -1 */
int cm__offer_status_parse(const char *s);
int cm__experience_level_parse(const char *s); /* CM_XP_BEGINNER.. or -1 */
/* Bit-set names by bit index, NULL-ended: work_pattern, physical_demands, restrictions,
 * strict; experience levels by value ([0] = NULL). */
extern const char *const cm__work_names[];
extern const char *const cm__demand_names[];
extern const char *const cm__restriction_names[];
extern const char *const cm__strict_names[];
extern const char *const cm__xp_names[CM_XP__COUNT];
int cm__candidate_status_parse(const char *s);

/* A zeroed record living in a fresh arena (record->arena_), with the decoder defaults
 * (status open/active, published_days CM_DATE_NONE, modes transit|walk, max_minutes 0: not stated).
 * Owned by the caller; free with cm_offer_free / cm_candidate_free. NULL on ENOMEM. */
cm_offer_t *cm__offer_new(size_t arena_hint);
cm_candidate_t *cm__candidate_new(size_t arena_hint);

/* The version of a stored record, read from its header without decoding the rest (the write
 * path needs only that). Errors: CM_EVERSION, CM_ECORRUPT. */
int cm__record_version(const uint8_t *buf, size_t len, bool offer, uint64_t *version);

/* ---- Fields of record format 3 (record_ext.c): JSON in and out ---- */
struct cJSON;
struct cm__dec;
struct cm__sb;
/* work_pattern, contract_duration_days, experience, vehicle_required, physical_demands. */
int cm__decode_offer_ext(struct cm__dec *d, const struct cJSON *root, cm_offer_t *o);
/* restrictions, strict. */
int cm__decode_candidate_ext(struct cm__dec *d, const struct cJSON *root, cm_candidate_t *c);
/* Every member known (record_strict.c), else CM_EINVAL naming the first unknown one. */
int cm__dec_check_offer_fields(struct cm__dec *d, const struct cJSON *root);
int cm__dec_check_candidate_fields(struct cm__dec *d, const struct cJSON *root);
void cm__offer_ext_out(struct cm__sb *b, bool *first, const cm_offer_t *o);
void cm__candidate_ext_out(struct cm__sb *b, bool *first, const cm_candidate_t *c,
                           bool sensitive);

/* ---- Referential checks of the JSON decoder (record_ref.c); errors name the field ---- */
/* "rome_version": absent or "4.0" (*v3 false), "v3" (*v3 true); anything else CM_EINVAL. */
int cm__rome_version(const struct cJSON *root, bool *v3, cm_error *err);
/* A ROME 4.0 code of the referential, or CM_EINVAL naming `path`. */
int cm__rome_check(const char code[6], const char *path, cm_error *err);
/* An offer's v3 code -> the ROME 4.0 code its job title went to (OGR codes are stable), else
 * the target that the offer's title (its first words) names, else the code most of the v3
 * code's titles went to. Rewrites code in place. */
int cm__rome_from_v3(char code[6], uint32_t job_title, const char *title, const char *path,
                     cm_error *err);
/* Add to the set out[0..*n) (at most max) a candidate's wish: a 4.0 code, or every 4.0 code
 * that took a fair share of a v3 code's job titles. */
int cm__romes_add(const char code[6], char (*out)[6], size_t *n, size_t max, const char *path,
                  cm_error *err);
int cm__romes_add_v3(const char v3code[6], char (*out)[6], size_t *n, size_t max,
                     const char *path, cm_error *err);
/* A job title given as an OGR code (number or digits) or a label: its OGR code and ROME code. */
int cm__title_take(const struct cJSON *it, const char *path, uint32_t *ogr, char rome[6],
                   cm_error *err);
/* location.commune: an INSEE code of the referential, copied to out. */
int cm__commune_take(const struct cJSON *it, const char *path, char out[6], cm_error *err);
/* The commune standing in for a whole city's code (75056 Paris, 69123 Lyon, 13055 Marseille:
 * its central arrondissement), and in *prefix (may be NULL) how its arrondissements' codes
 * start; NULL for any other code. */
const char *cm__city_centre(const char *insee, const char **prefix);
/* A whole city's code in commune[6] replaced by the arrondissement its postcode (+ city) names,
 * else by its centre; any other code left as it is. */
void cm__city_pick(char commune[6], const char *postcode, const char *city);
/* A position from a commune code (when commune[0]) or a postcode (+ city, to choose among the
 * communes sharing it): the commune's reference point, its code, how it was chosen, and its
 * name (static, for a record without a city). */
int cm__place_resolve(const char *postcode, const char commune[6], const char *city,
                      cm_geo_t *loc, char commune_out[6], cm_loc_source_t *src,
                      const char **name, cm_error *err);
/* The same for a search's centre (query.c), errors named after the query's parameters
 * ("commune", "postcode") rather than a record's fields. */
int cm__query_place(const char *commune, const char *postcode, const char *city,
                    cm_geo_t *center, char commune_out[6], cm_loc_source_t *src, cm_error *err);

#endif
