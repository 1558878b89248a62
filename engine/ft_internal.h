/* Internals of the France Travail mapper (francetravail.c): reading its free text (ft_text.c),
 * its fields of hours, pay, contract, experience and working conditions (ft_fields.c), and
 * the employer kind (ft_kind.c). Internal to engine/. */
#ifndef CAREMATCH_ENGINE_FT_INTERNAL_H
#define CAREMATCH_ENGINE_FT_INTERNAL_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "carematch/francetravail.h"
#include "carematch/record.h"

/* ---- findings ---- */

typedef struct cm__ft_ctx {
    const char *offer_id; /* France Travail id, once read */
    cm_ft_finding_fn fn;
    void *arg;
    bool rejected;
    bool hours_assumed; /* hours_per_week is full time's 35, no figure said (hours_full_time_
                           assumed): windows read in the text may give the week */
} cm__ft_ctx_t;

/* Hand one finding to the caller's callback; `detail` is printf-like (English, no raw value:
 * the value goes in `value`). */
void cm__ft_find(cm__ft_ctx_t *c, cm_ft_level_t level, const char *code, const char *field,
                 const char *value, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Members of an offer object: NULL when absent or JSON null; get_str also when not a
 * non-empty string. */
const cJSON *cm__ft_get(const cJSON *o, const char *key);
const char *cm__ft_get_str(const cJSON *o, const char *key);

/* ---- text ---- */

/* Lower-case ASCII folding of French text: accents dropped, hyphens and apostrophes become
 * spaces, gender marks like "(e)" removed, spaces collapsed, with a leading and a trailing
 * space. malloc'd (free()), NULL on ENOMEM. */
char *cm__ft_fold(const char *s);
/* Does folded `hay` contain `needle` (folded words, no outer spaces) as whole words? */
bool cm__ft_has_words(const char *hay, const char *needle);
/* Words of a folded text. */
int cm__ft_word_count(const char *f);
/* Is the word w[0, n) (folded) one of the NULL-terminated words? */
bool cm__ft_word_is(const char *w, size_t n, const char *const *words);
/* Does folded text hay contain any of the NULL-terminated phrases, as whole words? */
bool cm__ft_has_any(const char *hay, const char *const *phrases);
/* Does the folded sentence say the thing is required (exigé, obligatoire, indispensable...)? */
bool cm__ft_says_required(const char *folded);
/* Does the folded sentence deny (pas de, sans, aucun..., or a last word "non": "Travail de
 * nuit : non")? */
bool cm__ft_says_no(const char *folded);
/* Call fn on each sentence of text, folded (split at . ; ! ? and newlines). Stops at fn's
 * non-zero return, which it returns; CM_ENOMEM. */
int cm__ft_each_sentence(const char *text, int (*fn)(void *arg, const char *folded), void *arg);
/* The same with the sentence as written too (raw, NUL-terminated): for cm__ft_each_clause. */
int cm__ft_each_sentence_raw(const char *text,
                             int (*fn)(void *arg, const char *folded, const char *raw), void *arg);
/* Call fn on each clause of a raw sentence, folded: split at its commas (not a decimal one,
 * "7,5h"). Stops at fn's non-zero return, which it returns; CM_ENOMEM. */
int cm__ft_each_clause(const char *raw, int (*fn)(void *arg, const char *folded), void *arg);
/* fn on the folded words of f before `at` (a separator's leading space within f), with their
 * trailing space. Returns fn's; CM_ENOMEM. */
int cm__ft_head(void *arg, const char *f, const char *at, int (*fn)(void *arg, const char *folded));
/* The same over a string member, or over each string of an array member (others skipped). */
int cm__ft_each_text(const cJSON *v, int (*fn)(void *arg, const char *folded), void *arg);

/* The diplomas the mapper recognises, by index 0..CM__FT_CERTS-1. */
#define CM__FT_CERTS 20
/* ft_cert_words.c: each diploma's words, CM__FT_CERTS of them, in code order. */
typedef struct cm__ft_cert_pat {
    const char *code;
    const char *any[32];      /* recognised anywhere (acronyms, full diploma names) */
    const char *formation[6]; /* recognised only in a formations[] entry (a job's name) */
} cm__ft_cert_pat_t;
#define ADVF_OLD_NAME 1 /* index of the old "assistant de vie" wording in TP_ADVF's any[] */
extern const cm__ft_cert_pat_t cm__ft_cert_pats[];
const char *cm__ft_cert_code(size_t i);
/* May diploma i be one of a group of alternatives? (not a first-aid course: SST, PSC1) */
bool cm__ft_groupable(size_t i);
/* Is the folded clause nothing but diplomas ("DEME ou DEES", "Titre ADVF")? */
bool cm__ft_only_diplomas(const char *f);
typedef struct cm__ft_certs {
    signed char state[CM__FT_CERTS];   /* 0 absent, 1 wanted, 2 required */
    unsigned char group[CM__FT_CERTS]; /* 0 alone, else alternatives sharing the number */
    unsigned char groups;              /* groups handed out */
    bool interpreted;                  /* "Diplôme Assistant de Vie" read as TP_ADVF */
    bool prepares; /* the offer is an apprenticeship or professionalisation contract: the
                    * diploma its title or a training sentence names is the one it prepares */
    bool prepared; /* one was read so (reported) */
    bool in_progress; /* the text takes it in progress ("DEAS exigé ou en cours"): wished */
    bool in_progress_formations; /* ... said in formations[] (the finding's field) */
    bool accepted[CM__FT_CERTS]; /* taken "also" before any diploma was asked ("Les AES ou AMP
                                  * seront également étudiés. DEAS requis."): they widen what a
                                  * later sentence requires */
    bool wish_list; /* the lines under a header that wishes ("Diplômes appréciés :") */
} certs_t;
/* Does the folded text take a diploma in progress ("en cours d'obtention", "en dernière année",
 * "VAE en cours", a nursing student)? Then it is wished, not required. */
bool cm__ft_in_progress(const char *f);
/* The record's skills (competences[]) and certifications (formations[], competences[], the
 * title and the description), with their findings (ft_certs.c). Errors: CM_ENOMEM. */
int cm__ft_certs(const cJSON *ft, cJSON *o, cm__ft_ctx_t *c);
/* Diplomas recognised in folded text (formation_entry: a formations[] entry, where a job's
 * name means its diploma), each marked required or wanted; hit[i] set for each. Returns how
 * many distinct ones. */
int cm__ft_match_certs(const char *folded, bool formation_entry, bool required, certs_t *cs,
                       bool hit[CM__FT_CERTS]);
/* Make the diplomas of hit[] alternatives of one new group (first-aid certificates and
 * diplomas already required alone stay out); no-op for fewer than two. */
void cm__ft_group_certs(certs_t *cs, const bool hit[CM__FT_CERTS]);
/* Diplomas named in free text, sentence by sentence: required when the sentence says so,
 * wanted otherwise; several in one sentence with "ou" or "/" are alternatives (one group).
 * Errors: CM_ENOMEM. */
int cm__ft_certs_from_text(const char *text, certs_t *cs);
/* ft_regulated.c: the diploma the law reserves the offer's post to (its "rome" in o: J1506
 * DEI, J1304 DEAP, K1202 DEEJE), made required in cs (finding diploma_regulated). */
int cm__ft_regulated_post(const cJSON *o, const char *title, const char *desc, certs_t *cs,
                          cm__ft_ctx_t *c);
/* An apprenticeship's title (cs->prepares): the diplomas it names, job names included, are
 * the one it prepares, recorded as required (alternatives when several). CM_ENOMEM. */
int cm__ft_certs_prepared_by_title(const char *title, certs_t *cs);

/* ---- employer kind (ft_kind.c) ---- */

/* Employer kind named by words of `text` (original, not folded: acronyms like FAM, MAS, IME
 * count only in capitals), or NULL. `description`: the offer's text, where a crèche offered
 * to the staff is no crèche employer. Errors: none (NULL on ENOMEM too). */
const char *cm__ft_kind_from_words(const char *text, bool description);
/* Whether the text names the job's place as of this kind ("Notre EHPAD recrute", "au sein de
 * l'EHPAD"), not the candidate's past ("expérience en EHPAD"). */
bool cm__ft_kind_is_workplace(const char *text, const char *kind);
/* Kind from a NAF code ("87.10A", "8710A") or a NAF label ("Aide à domicile"): the kind, or
 * NULL when the code is not a care one. *refine_any: words may still choose another kind
 * (an "other" NAF); *refine gets the kinds words may pick within the family (NULL-ended). */
const char *cm__ft_kind_from_naf(const char *naf, const char *label, const char *const **refine);
/* Is the NAF code a temporary work agency's (78.xx)? */
bool cm__ft_naf_is_agency(const char *naf);

/* ---- fields (ft_fields.c): each adds its members to `o` and reports; CM_ENOMEM ---- */

int cm__ft_hours(const cJSON *ft, cJSON *o, cm__ft_ctx_t *c);
int cm__ft_contract_duration(const cJSON *ft, const char *contract, cJSON *o, cm__ft_ctx_t *c);
int cm__ft_experience(const cJSON *ft, cJSON *o, cm__ft_ctx_t *c);
/* ft_fields.c: a small count in figures or words ("3", "trois", "une") of w[0, n), or 0;
 * the days in a unit word ("mois", "ans", "semaines"), or 0. */
long cm__ft_count_word(const char *w, size_t n);
int cm__ft_unit_days(const char *w, size_t n);
int cm__ft_salary(const cJSON *ft, cJSON *o, cm__ft_ctx_t *c);
int cm__ft_permits(const cJSON *ft, cJSON *o, cm__ft_ctx_t *c);
/* langues[]: nothing in the record; a required language other than French is reported */
int cm__ft_languages(const cJSON *ft, cm__ft_ctx_t *c);
/* work_pattern, physical_demands, vehicle_required / vehicle_provided (ft_conditions.c) */
int cm__ft_conditions(const cJSON *ft, cJSON *o, cm__ft_ctx_t *c);
/* ft_vehicle.c, on a folded sentence: does it name a vehicle, ask for one's own ("Véhicule
 * personnel exigé", not "Pas de véhicule nécessaire" nor another's car), or provide one
 * ("véhicule de service", not "pas de véhicule de service")? */
bool cm__ft_vehicle_named(const char *f);
bool cm__ft_vehicle_asked(const char *f);
bool cm__ft_vehicle_provided(const char *f);
/* The work pattern (CM_WORK_* bits) a title and a description say, read as an offer's text
 * is (night, weekend, split, shifts, day: the unambiguous phrases only); 0 when none, or on
 * ENOMEM. What matching reads of an offer that states neither a pattern nor windows. */
unsigned cm__ft_text_work_pattern(const char *title, const char *description);
/* The schedule windows a description states (as France Travail's are read: a sentence of the
 * job's days and hours, the windows making `hours` a week within 30 %; a night job's, said by
 * night_said or its text, holding its night), at most max; 0 when
 * none, or hours unknown. What matching reads of an offer that gives no windows. */
int cm__ft_text_windows(const char *title, const char *description, double hours, bool night_said,
                        cm_window_t *out, int max);
/* schedule: windows stated in words ("du lundi au vendredi de 6h30 à 14h"), when unambiguous
 * and consistent with hours_per_week, already in o (ft_schedule.c) */
int cm__ft_schedule(const cJSON *ft, cJSON *o, cm__ft_ctx_t *c);

/* ---- against the referentials (ft_ref.c): CM_EINVAL after a reject finding ---- */

/* romeCode (4.0 or v3, decided here) and appellationlibelle -> rome, rome_version, job_title. */
int cm__ft_rome(const cJSON *ft, cJSON *o, cm__ft_ctx_t *c);
/* lieuTravail -> location: coordinates, commune, postcode, city. */
int cm__ft_place(const cJSON *ft, cJSON *o, cm__ft_ctx_t *c);
/* A copy of s fit for a record's text field, at most max bytes cut on a character boundary
 * (text_truncated reported), control characters but newline/tab (multiline) made spaces;
 * added to o under key. false on ENOMEM. */
bool cm__ft_add_text(cJSON *o, const char *key, const char *s, size_t max, bool multiline,
                     cm__ft_ctx_t *c, const char *field);

/* Does the description open the job to disabled workers (RQTH, BOETH, "travailleurs
 * handicapés", "poste ouvert aux personnes en situation de handicap")? (ft_conditions.c) */
bool cm__ft_disability_text(const cJSON *ft);
/* Does the description offer an immersion (PMSMP) before hiring? */
bool cm__ft_immersion_text(const cJSON *ft);
/* Does the description offer a training before hiring (POE, AFPR)? */
bool cm__ft_training_text(const cJSON *ft);

#endif
