/* The record invariants the binary codec holds on both sides (codec_check.h): the encoder
 * refuses a record that breaks one (CM_EINVAL), the decoder refuses bytes that decode to one
 * (CM_ECORRUPT), so nothing invalid is ever stored or served. */
#include <math.h>
#include <string.h>

#include "codec_check.h"
#include "record_internal.h"

/* "" or an INSEE commune code: 5 characters, digits, or 2A/2B then 3 digits (Corsica). */
static bool commune_ok(const char *c)
{
    size_t n = strlen(c);
    if (n == 0)
        return true;
    if (n != 5)
        return false;
    for (size_t i = 0; i < 5; i++) {
        bool corsica = i == 1 && c[0] == '2' && (c[1] == 'A' || c[1] == 'B');
        if (!corsica && (c[i] < '0' || c[i] > '9'))
            return false;
    }
    return true;
}

static bool place_ok(const char *commune, cm_loc_source_t src)
{
    return commune_ok(commune) && (unsigned)src < CM_LOC__COUNT &&
           (src == CM_LOC_GIVEN || commune[0] != '\0');
}

static bool text_ok(const char *s, size_t max, bool multiline, bool required)
{
    if (!s)
        return !required;
    size_t n = strlen(s);
    /* present strings are never blank: the JSON decoder stores blank optionals as absent */
    return n <= max && !cm__text_blank(s, n) && cm__text_check(s, n, multiline) == CM__TEXT_OK;
}

static bool geo_ok(cm_geo_t g)
{
    return g.lat_e6 >= -90000000 && g.lat_e6 <= 90000000 && g.lon_e6 >= -180000000 &&
           g.lon_e6 <= 180000000;
}

static bool postcode_ok(const char *p)
{
    return !p || cm__postcode_valid(p, strlen(p));
}

static bool windows_ok(const cm_window_t *w, size_t n)
{
    if (n > CM_WINDOWS_MAX || (n && !w))
        return false;
    for (size_t i = 0; i < n; i++)
        if (w[i].days == 0 || w[i].days > CM_DAYS_ALL || w[i].from_min > 1439 ||
            w[i].to_min > 1439 || w[i].from_min == w[i].to_min)
            return false;
    return true;
}

static bool rome_ok(const char *r)
{
    char tmp[6];
    return strnlen(r, 6) == 5 && cm__rome_parse(r, 5, false, tmp);
}

static bool cert_ok(const char *code)
{
    char tmp[CM_CERT_MAX + 1];
    if (!code)
        return false;
    size_t n = strlen(code);
    return cm__cert_parse(code, n, tmp) && memcmp(tmp, code, n) == 0; /* stored upper case */
}

static bool number_ok(double v, double min, double max)
{
    return v >= min && v <= max; /* false for NaN */
}

bool cm__offer_ok(const cm_offer_t *o)
{
    if (!cm_id_valid(o->id, strnlen(o->id, sizeof o->id)) || o->id[CM_ID_MAX] != '\0')
        return false;
    if (!text_ok(o->title, CM_TITLE_MAX, false, true) ||
        !text_ok(o->description, CM_TEXT_MAX, true, false) || !rome_ok(o->rome) ||
        !text_ok(o->employer_name, CM_LABEL_MAX, false, false) ||
        (unsigned)o->employer_kind >= CM_EMPLOYER__COUNT || !geo_ok(o->loc) ||
        !text_ok(o->city, CM_LABEL_MAX, false, false) || !postcode_ok(o->postcode) ||
        (unsigned)o->contract >= CM_CONTRACT__COUNT ||
        (o->hours_per_week != 0 && !number_ok(o->hours_per_week, 1, CM_HOURS_MAX)) ||
        !windows_ok(o->schedule, o->n_schedule) || (unsigned)o->status >= CM_OFFER_STATUS__COUNT)
        return false;
    if (o->n_skills > CM_SKILLS_MAX || (o->n_skills && !o->skills))
        return false;
    for (size_t i = 0; i < o->n_skills; i++)
        if (!text_ok(o->skills[i].label, CM_LABEL_MAX, false, true))
            return false;
    if (o->n_certs > CM_CERTS_MAX || (o->n_certs && !o->certs))
        return false;
    for (size_t i = 0; i < o->n_certs; i++)
        if (!cert_ok(o->certs[i].code))
            return false;
    if ((unsigned)o->salary_period >= CM_SALARY__COUNT)
        return false;
    if (o->salary_period != CM_SALARY_NONE &&
        (!number_ok(o->salary_min, 0, CM__SALARY_MAX) ||
         !number_ok(o->salary_max, o->salary_min, CM__SALARY_MAX)))
        return false;
    if (o->published_days != CM_DATE_NONE &&
        (o->published_days < CM__DATE_MIN || o->published_days > CM__DATE_MAX))
        return false;
    for (size_t i = 0; i < o->n_certs; i++)
        if (o->certs[i].group > CM_CERTS_MAX)
            return false;
    if ((o->work_pattern & ~CM_WORK__ALL) || o->contract_days > CM_CONTRACT_DAYS_MAX ||
        (unsigned)o->experience_level >= CM_XP__COUNT || o->experience_months < 0 ||
        o->experience_months > CM_EXPERIENCE_MAX ||
        (o->experience_level == CM_XP_UNSET && o->experience_months) ||
        (o->demands & ~CM_DEMAND__ALL))
        return false;
    return place_ok(o->commune, o->loc_source) && o->job_title <= OGR_MAX;
}

bool cm__candidate_ok(const cm_candidate_t *c)
{
    if (!cm_id_valid(c->id, strnlen(c->id, sizeof c->id)) || c->id[CM_ID_MAX] != '\0')
        return false;
    if (!geo_ok(c->loc) || !postcode_ok(c->postcode) ||
        !text_ok(c->city, CM_LABEL_MAX, false, false) || c->n_desired_rome > CM_ROMES_MAX ||
        (c->n_desired_rome && !c->desired_rome) || c->n_skills > CM_SKILLS_MAX ||
        (c->n_skills && !c->skills) || c->n_certs > CM_CERTS_MAX || (c->n_certs && !c->certs) ||
        c->experience_months < 0 || c->experience_months > CM_EXPERIENCE_MAX || c->modes == 0 ||
        c->modes > 0x1f || c->max_minutes < 0 || c->max_minutes > CM_MAX_MINUTES_MAX ||
        !windows_ok(c->availability, c->n_availability) || c->children_under_12 < 0 ||
        c->children_under_12 > CM_CHILDREN_MAX ||
        (!c->has_childcare && (c->children_under_12 || c->solo_parent)) ||
        c->contracts >= (1u << CM_CONTRACT__COUNT) || !number_ok(c->hours_min, 0, CM_HOURS_MAX) ||
        !number_ok(c->hours_max, c->hours_min, CM_HOURS_MAX) ||
        !text_ok(c->summary, CM_TEXT_MAX, true, false) ||
        (unsigned)c->status >= CM_CAND_STATUS__COUNT || !place_ok(c->commune, c->loc_source) ||
        c->n_desired_titles > CM_TITLES_MAX || (c->n_desired_titles && !c->desired_titles))
        return false;
    for (size_t i = 0; i < c->n_desired_titles; i++)
        if (c->desired_titles[i] == 0 || c->desired_titles[i] > OGR_MAX)
            return false;
    for (size_t i = 0; i < c->n_desired_rome; i++)
        if (!rome_ok(c->desired_rome[i]))
            return false;
    for (size_t i = 0; i < c->n_skills; i++)
        if (!text_ok(c->skills[i], CM_LABEL_MAX, false, true))
            return false;
    for (size_t i = 0; i < c->n_certs; i++)
        if (!cert_ok(c->certs[i]))
            return false;
    return !(c->restrictions & ~CM_RESTRICT__ALL) && !(c->strict & ~CM_STRICT__ALL);
}
