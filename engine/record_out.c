/* Records to the contract's JSON: compact canonical text (coordinates printed exactly, so
 * decoding gives the same integers), sensitive candidate fields only when asked. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "carematch/referential.h"
#include "record_internal.h"
#include "sbuf.h"

/* Object member separator and key; `first` tracks the comma. */
static void sb_time(cm__sb_t *b, unsigned min)
{
    cm__sb_printf(b, "\"%02u:%02u\"", min / 60 % 24, min % 60);
}

static void sb_windows(cm__sb_t *b, bool *first, const char *key, const cm_window_t *w, size_t n)
{
    if (!n)
        return;
    cm__sb_key(b, first, key);
    cm__sb_putn(b, "[", 1);
    for (size_t i = 0; i < n; i++) {
        cm__sb_puts(b, i ? ",{\"days\":[" : "{\"days\":[");
        bool f = true;
        for (int dd = 0; dd < 7; dd++) {
            if (!(w[i].days & (1u << dd)))
                continue;
            if (!f)
                cm__sb_putn(b, ",", 1);
            f = false;
            cm__sb_str(b, cm__day_names[dd]);
        }
        cm__sb_puts(b, "],\"from\":");
        sb_time(b, w[i].from_min);
        cm__sb_puts(b, ",\"to\":");
        sb_time(b, w[i].to_min);
        cm__sb_putn(b, "}", 1);
    }
    cm__sb_putn(b, "]", 1);
}

/* A placed position says so: "precision": "commune" and how the commune was chosen. */
static void sb_location(cm__sb_t *b, bool *first, cm_geo_t loc, const char *city,
                        const char *postcode, const char *commune, cm_loc_source_t src)
{
    cm__sb_key(b, first, "location");
    cm__sb_puts(b, "{\"lat\":");
    cm__sb_coord(b, loc.lat_e6);
    cm__sb_puts(b, ",\"lon\":");
    cm__sb_coord(b, loc.lon_e6);
    bool f = false;
    cm__sb_opt_str(b, &f, "city", city);
    cm__sb_opt_str(b, &f, "postcode", postcode);
    cm__sb_opt_str(b, &f, "commune", commune[0] ? commune : NULL);
    if (src != CM_LOC_GIVEN) {
        cm__sb_opt_str(b, &f, "precision", "commune");
        cm__sb_opt_str(b, &f, "placed_by", cm_loc_source_name(src));
    }
    cm__sb_putn(b, "}", 1);
}

/* {"ogr":38561,"label":"...","rome":"J1501"} of a job title (label and code from the
 * referential; an OGR code it no longer knows keeps its number only). */
static void sb_title(cm__sb_t *b, uint32_t ogr)
{
    cm_rome_title_t t;
    cm__sb_printf(b, "{\"ogr\":%" PRIu32, ogr);
    if (cm_rome_title_by_ogr(ogr, &t) == 0) {
        bool f = false;
        cm__sb_opt_str(b, &f, "label", t.label);
        cm__sb_opt_str(b, &f, "rome", t.rome);
    }
    cm__sb_putn(b, "}", 1);
}

char *cm_offer_to_json(const cm_offer_t *o, unsigned flags)
{
    (void)flags; /* offers have no sensitive fields */
    cm__sb_t b = {0};
    bool first = true;
    cm__sb_putn(&b, "{", 1);
    cm__sb_key(&b, &first, "id");
    cm__sb_str(&b, o->id);
    if (o->version) {
        cm__sb_key(&b, &first, "version");
        cm__sb_printf(&b, "%" PRIu64, o->version);
    }
    cm__sb_opt_str(&b, &first, "title", o->title);
    cm__sb_opt_str(&b, &first, "description", o->description);
    cm__sb_key(&b, &first, "rome");
    cm__sb_str(&b, o->rome);
    if (o->job_title) {
        cm__sb_key(&b, &first, "job_title");
        sb_title(&b, o->job_title);
    }
    if (o->employer_name || o->employer_kind != CM_EMPLOYER_UNSET) {
        bool f = true;
        cm__sb_key(&b, &first, "employer");
        cm__sb_putn(&b, "{", 1);
        cm__sb_opt_str(&b, &f, "name", o->employer_name);
        if (o->employer_kind != CM_EMPLOYER_UNSET) {
            cm__sb_key(&b, &f, "kind");
            cm__sb_str(&b, cm_employer_kind_name(o->employer_kind));
        }
        cm__sb_putn(&b, "}", 1);
    }
    sb_location(&b, &first, o->loc, o->city, o->postcode, o->commune, o->loc_source);
    cm__sb_key(&b, &first, "contract");
    cm__sb_str(&b, cm_contract_name(o->contract));
    if (o->hours_per_week > 0) {
        cm__sb_key(&b, &first, "hours_per_week");
        cm__sb_double(&b, o->hours_per_week);
    }
    sb_windows(&b, &first, "schedule", o->schedule, o->n_schedule);
    if (o->n_skills) {
        cm__sb_key(&b, &first, "skills");
        cm__sb_putn(&b, "[", 1);
        for (size_t i = 0; i < o->n_skills; i++) {
            bool f = true;
            cm__sb_puts(&b, i ? ",{" : "{");
            cm__sb_opt_str(&b, &f, "label", o->skills[i].label ? o->skills[i].label : "");
            cm__sb_bool(&b, &f, "required", o->skills[i].required);
            cm__sb_putn(&b, "}", 1);
        }
        cm__sb_putn(&b, "]", 1);
    }
    if (o->n_certs) {
        cm__sb_key(&b, &first, "certifications");
        cm__sb_putn(&b, "[", 1);
        for (size_t i = 0; i < o->n_certs; i++) {
            bool f = true;
            cm__sb_puts(&b, i ? ",{" : "{");
            cm__sb_opt_str(&b, &f, "code", o->certs[i].code ? o->certs[i].code : "");
            cm__sb_bool(&b, &f, "required", o->certs[i].required);
            if (o->certs[i].group)
                cm__sb_printf(&b, ",\"group\":%u", (unsigned)o->certs[i].group);
            cm__sb_putn(&b, "}", 1);
        }
        cm__sb_putn(&b, "]", 1);
    }
    cm__sb_bool(&b, &first, "driving_licence_required", o->driving_licence_required);
    cm__sb_bool(&b, &first, "vehicle_provided", o->vehicle_provided);
    cm__sb_bool(&b, &first, "accessible_to_disabled_workers", o->accessible_to_disabled_workers);
    cm__sb_bool(&b, &first, "immersion_possible", o->immersion_possible);
    cm__sb_bool(&b, &first, "pre_hire_training", o->pre_hire_training);
    if (o->salary_period > CM_SALARY_NONE && o->salary_period < CM_SALARY__COUNT) {
        cm__sb_key(&b, &first, "salary");
        cm__sb_puts(&b, "{\"min\":");
        cm__sb_double(&b, o->salary_min);
        cm__sb_puts(&b, ",\"max\":");
        cm__sb_double(&b, o->salary_max);
        cm__sb_puts(&b, ",\"period\":");
        cm__sb_str(&b, cm__salary_period_names[o->salary_period]);
        cm__sb_putn(&b, "}", 1);
    }
    if (o->published_days != CM_DATE_NONE) {
        char date[11];
        cm_date_format(o->published_days, date);
        if (date[0]) {
            cm__sb_key(&b, &first, "published_at");
            cm__sb_str(&b, date);
        }
    }
    cm__sb_key(&b, &first, "status");
    cm__sb_str(&b, cm_offer_status_name(o->status));
    cm__offer_ext_out(&b, &first, o);
    cm__sb_putn(&b, "}", 1);
    return cm__sb_finish(&b);
}

char *cm_candidate_to_json(const cm_candidate_t *c, unsigned flags)
{
    bool sensitive = flags & CM_JSON_SENSITIVE;
    cm__sb_t b = {0};
    bool first = true;
    cm__sb_putn(&b, "{", 1);
    cm__sb_key(&b, &first, "id");
    cm__sb_str(&b, c->id);
    if (c->version) {
        cm__sb_key(&b, &first, "version");
        cm__sb_printf(&b, "%" PRIu64, c->version);
    }
    sb_location(&b, &first, c->loc, c->city, c->postcode, c->commune, c->loc_source);
    if (c->n_desired_rome) {
        cm__sb_key(&b, &first, "desired_rome");
        cm__sb_putn(&b, "[", 1);
        for (size_t i = 0; i < c->n_desired_rome; i++) {
            if (i)
                cm__sb_putn(&b, ",", 1);
            cm__sb_str(&b, c->desired_rome[i]);
        }
        cm__sb_putn(&b, "]", 1);
    }
    if (c->n_desired_titles) {
        cm__sb_key(&b, &first, "desired_job_titles");
        cm__sb_putn(&b, "[", 1);
        for (size_t i = 0; i < c->n_desired_titles; i++) {
            if (i)
                cm__sb_putn(&b, ",", 1);
            sb_title(&b, c->desired_titles[i]);
        }
        cm__sb_putn(&b, "]", 1);
    }
    if (c->n_skills) {
        cm__sb_key(&b, &first, "skills");
        cm__sb_putn(&b, "[", 1);
        for (size_t i = 0; i < c->n_skills; i++) {
            if (i)
                cm__sb_putn(&b, ",", 1);
            cm__sb_str(&b, c->skills[i] ? c->skills[i] : "");
        }
        cm__sb_putn(&b, "]", 1);
    }
    if (c->n_certs) {
        cm__sb_key(&b, &first, "certifications");
        cm__sb_putn(&b, "[", 1);
        for (size_t i = 0; i < c->n_certs; i++) {
            if (i)
                cm__sb_putn(&b, ",", 1);
            cm__sb_str(&b, c->certs[i] ? c->certs[i] : "");
        }
        cm__sb_putn(&b, "]", 1);
    }
    cm__sb_key(&b, &first, "experience_months");
    cm__sb_printf(&b, "%d", c->experience_months);

    cm__sb_key(&b, &first, "mobility");
    cm__sb_puts(&b, "{\"modes\":[");
    bool f = true;
    for (int m = 0; m < CM__MODE_NAMES; m++) {
        if (!(c->modes & (1u << m)))
            continue;
        if (!f)
            cm__sb_putn(&b, ",", 1);
        f = false;
        cm__sb_str(&b, cm__mode_names[m]);
    }
    cm__sb_puts(&b, "]");
    if (c->max_minutes > 0) /* a limit nobody gave is not echoed as hers */
        cm__sb_printf(&b, ",\"max_minutes\":%d", c->max_minutes);
    f = false;
    cm__sb_bool(&b, &f, "driving_licence", c->driving_licence);
    cm__sb_bool(&b, &f, "vehicle", c->vehicle);
    cm__sb_putn(&b, "}", 1);

    sb_windows(&b, &first, "availability", c->availability, c->n_availability);
    if (sensitive && c->has_childcare) {
        cm__sb_key(&b, &first, "childcare");
        cm__sb_printf(&b, "{\"children_under_12\":%d", c->children_under_12);
        f = false;
        cm__sb_bool(&b, &f, "solo_parent", c->solo_parent);
        cm__sb_putn(&b, "}", 1);
    }
    if (c->contracts) {
        cm__sb_key(&b, &first, "contracts");
        cm__sb_putn(&b, "[", 1);
        f = true;
        for (int k = 0; k < CM_CONTRACT__COUNT; k++) {
            if (!(c->contracts & (1u << k)))
                continue;
            if (!f)
                cm__sb_putn(&b, ",", 1);
            f = false;
            cm__sb_str(&b, cm_contract_name((cm_contract_t)k));
        }
        cm__sb_putn(&b, "]", 1);
    }
    if (c->hours_min != 0 || c->hours_max != 0) {
        cm__sb_key(&b, &first, "hours_per_week");
        cm__sb_puts(&b, "{\"min\":");
        cm__sb_double(&b, c->hours_min);
        cm__sb_puts(&b, ",\"max\":");
        cm__sb_double(&b, c->hours_max);
        cm__sb_putn(&b, "}", 1);
    }
    if (sensitive)
        cm__sb_bool(&b, &first, "disability_recognised", c->disability_recognised);
    cm__sb_bool(&b, &first, "open_to_immersion", c->open_to_immersion);
    cm__sb_bool(&b, &first, "open_to_training", c->open_to_training);
    cm__sb_opt_str(&b, &first, "summary", c->summary);
    cm__sb_key(&b, &first, "status");
    cm__sb_str(&b, cm_candidate_status_name(c->status));
    cm__candidate_ext_out(&b, &first, c, sensitive);
    cm__sb_putn(&b, "}", 1);
    return cm__sb_finish(&b);
}
