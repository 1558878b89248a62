/* Field-by-field equality of records, for round-trip tests (also usable by store tests). */
#ifndef CM_TEST_RECORD_EQ_H
#define CM_TEST_RECORD_EQ_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "carematch/record.h"

static inline bool rec_str_eq(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

#define REC_CHECK(cond)                                                                            \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "record field differs: %s\n", #cond);                                  \
            return false;                                                                          \
        }                                                                                          \
    } while (0)

static inline bool rec_windows_eq(const cm_window_t *a, size_t na, const cm_window_t *b, size_t nb)
{
    REC_CHECK(na == nb);
    for (size_t i = 0; i < na; i++)
        REC_CHECK(a[i].days == b[i].days && a[i].from_min == b[i].from_min &&
                  a[i].to_min == b[i].to_min);
    return true;
}

/* The JSON decoder may refuse a stored record's text only on a field checked against the
 * referentials (a code stored by an older build, or arbitrary fuzz bytes that decode). */
static inline bool cm_test_referential_field(const char *field)
{
    static const char *const prefixes[] = {"rome", "desired_rome[", "job_title",
                                           "desired_job_titles[", "location.commune"};
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
        if (strncmp(field, prefixes[i], strlen(prefixes[i])) == 0)
            return true;
    return false;
}

/* May the JSON decoder refuse the text of a record decoded from storage (`id` its id)? Only
 * on a referential field (above), an id now reserved (cm_id_reserved) or a C1 control
 * character in a text (refused since 2026-12; storage's own checks refuse C0 ones), all of
 * which an older build (or arbitrary bytes) can have stored. */
static inline bool cm_test_refusal_expected(const cm_error *err, const char *id)
{
    return cm_test_referential_field(err->field) ||
           (strcmp(err->field, "id") == 0 && cm_id_reserved(id, strlen(id))) ||
           strstr(err->message, "must not contain control characters") != NULL;
}

static inline bool cm_offer_equal(const cm_offer_t *a, const cm_offer_t *b)
{
    REC_CHECK(strcmp(a->id, b->id) == 0);
    REC_CHECK(a->version == b->version);
    REC_CHECK(rec_str_eq(a->title, b->title));
    REC_CHECK(rec_str_eq(a->description, b->description));
    REC_CHECK(strcmp(a->rome, b->rome) == 0);
    REC_CHECK(rec_str_eq(a->employer_name, b->employer_name));
    REC_CHECK(a->employer_kind == b->employer_kind);
    REC_CHECK(a->loc.lat_e6 == b->loc.lat_e6 && a->loc.lon_e6 == b->loc.lon_e6);
    REC_CHECK(rec_str_eq(a->city, b->city));
    REC_CHECK(a->job_title == b->job_title);
    REC_CHECK(rec_str_eq(a->postcode, b->postcode));
    REC_CHECK(strcmp(a->commune, b->commune) == 0 && a->loc_source == b->loc_source);
    REC_CHECK(a->contract == b->contract);
    REC_CHECK(a->hours_per_week == b->hours_per_week);
    REC_CHECK(rec_windows_eq(a->schedule, a->n_schedule, b->schedule, b->n_schedule));
    REC_CHECK(a->n_skills == b->n_skills);
    for (size_t i = 0; i < a->n_skills; i++)
        REC_CHECK(rec_str_eq(a->skills[i].label, b->skills[i].label) &&
                  a->skills[i].required == b->skills[i].required);
    REC_CHECK(a->n_certs == b->n_certs);
    for (size_t i = 0; i < a->n_certs; i++)
        REC_CHECK(rec_str_eq(a->certs[i].code, b->certs[i].code) &&
                  a->certs[i].required == b->certs[i].required &&
                  a->certs[i].group == b->certs[i].group);
    REC_CHECK(a->work_pattern == b->work_pattern && a->contract_days == b->contract_days);
    REC_CHECK(a->experience_level == b->experience_level &&
              a->experience_months == b->experience_months);
    REC_CHECK(a->vehicle_required == b->vehicle_required && a->demands == b->demands);
    REC_CHECK(a->driving_licence_required == b->driving_licence_required);
    REC_CHECK(a->vehicle_provided == b->vehicle_provided);
    REC_CHECK(a->accessible_to_disabled_workers == b->accessible_to_disabled_workers);
    REC_CHECK(a->immersion_possible == b->immersion_possible);
    REC_CHECK(a->pre_hire_training == b->pre_hire_training);
    REC_CHECK(a->salary_period == b->salary_period);
    REC_CHECK(a->salary_min == b->salary_min && a->salary_max == b->salary_max);
    REC_CHECK(a->published_days == b->published_days);
    REC_CHECK(a->status == b->status);
    return true;
}

static inline bool cm_candidate_equal(const cm_candidate_t *a, const cm_candidate_t *b)
{
    REC_CHECK(strcmp(a->id, b->id) == 0);
    REC_CHECK(a->version == b->version);
    REC_CHECK(a->loc.lat_e6 == b->loc.lat_e6 && a->loc.lon_e6 == b->loc.lon_e6);
    REC_CHECK(rec_str_eq(a->postcode, b->postcode));
    REC_CHECK(strcmp(a->commune, b->commune) == 0 && a->loc_source == b->loc_source);
    REC_CHECK(rec_str_eq(a->city, b->city));
    REC_CHECK(a->n_desired_rome == b->n_desired_rome);
    for (size_t i = 0; i < a->n_desired_rome; i++)
        REC_CHECK(strcmp(a->desired_rome[i], b->desired_rome[i]) == 0);
    REC_CHECK(a->n_desired_titles == b->n_desired_titles);
    for (size_t i = 0; i < a->n_desired_titles; i++)
        REC_CHECK(a->desired_titles[i] == b->desired_titles[i]);
    REC_CHECK(a->n_skills == b->n_skills);
    for (size_t i = 0; i < a->n_skills; i++)
        REC_CHECK(rec_str_eq(a->skills[i], b->skills[i]));
    REC_CHECK(a->n_certs == b->n_certs);
    for (size_t i = 0; i < a->n_certs; i++)
        REC_CHECK(rec_str_eq(a->certs[i], b->certs[i]));
    REC_CHECK(a->experience_months == b->experience_months);
    REC_CHECK(a->modes == b->modes);
    REC_CHECK(a->max_minutes == b->max_minutes);
    REC_CHECK(a->driving_licence == b->driving_licence);
    REC_CHECK(a->vehicle == b->vehicle);
    REC_CHECK(
        rec_windows_eq(a->availability, a->n_availability, b->availability, b->n_availability));
    REC_CHECK(a->has_childcare == b->has_childcare);
    REC_CHECK(a->children_under_12 == b->children_under_12);
    REC_CHECK(a->solo_parent == b->solo_parent);
    REC_CHECK(a->contracts == b->contracts);
    REC_CHECK(a->hours_min == b->hours_min && a->hours_max == b->hours_max);
    REC_CHECK(a->disability_recognised == b->disability_recognised);
    REC_CHECK(a->open_to_immersion == b->open_to_immersion);
    REC_CHECK(a->open_to_training == b->open_to_training);
    REC_CHECK(rec_str_eq(a->summary, b->summary));
    REC_CHECK(a->status == b->status);
    REC_CHECK(a->restrictions == b->restrictions && a->strict == b->strict);
    return true;
}

#endif
