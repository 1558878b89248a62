/* The stable names of barriers, barrier codes and levers: the API's words (docs/API.md), in
 * the order of their enums (include/carematch/engine.h). */
#include "carematch/engine.h"

static const char *const barrier_names[CM_BARRIER__COUNT] = {
    "certification", "commute", "driving_licence", "schedule",   "childcare",      "disability",
    "vehicle",       "hours",   "contract",        "experience", "apprenticeship", "skills"};
static const char *const code_names[CM_BC__COUNT] = {
    "certification_missing",  "certification_regulated",  "commute_too_long",
    "commute_no_mode",        "licence_missing",          "vehicle_missing",
    "schedule_low_coverage",  "schedule_day_off",         "schedule_ends_late",
    "schedule_work_pattern",  "childcare_atypical_hours", "disability_adaptation_possible",
    "disability_restriction", "disability_no_night",      "hours_below_minimum",
    "hours_above_maximum",    "contract_not_wanted",      "experience_required",
    "apprenticeship_route",   "already_qualified",        "schedule_starts_early",
    "commute_long",           "skills_to_learn",          "disability_restriction_likely",
    "commute_off_hours",      "commute_transit_unsure",   "job_abroad"};
static const char *const lever_names[CM_LEVER__COUNT] = {"mobility_aid",  "driving_licence_funding",
                                                         "childcare_aid", "pre_hire_training",
                                                         "immersion",     "workplace_adaptation"};

const char *cm_barrier_name(int b)
{
    return b >= 0 && b < CM_BARRIER__COUNT ? barrier_names[b] : "unknown";
}

const char *cm_barrier_code_name(int code)
{
    return code >= 0 && code < CM_BC__COUNT ? code_names[code] : "unknown";
}

const char *cm_lever_name(int bit_index)
{
    return bit_index >= 0 && bit_index < CM_LEVER__COUNT ? lever_names[bit_index] : "unknown";
}
