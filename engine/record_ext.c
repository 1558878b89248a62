/* Record fields of format 3, JSON in and out: what an offer says of its hours, contract
 * length, experience, own vehicle and physical demands; a candidate's work restrictions and
 * what she holds strict. All optional; absent means "not stated" and is not echoed. */
#include <string.h>

#include "record_dec.h"
#include "record_internal.h"
#include "sbuf.h"

/* An array of names from a NULL-ended table into a bit set (bit i = names[i]); a name twice
 * or not in the table is refused naming the field. */
static int take_bits(cm__dec_t *d, const cJSON *root, const char *key, const char *const *names,
                     uint8_t *out)
{
    const cJSON *arr;
    size_t n, count = 0;
    while (names[count])
        count++;
    int rc = cm__dec_opt_array(d, root, key, key, 4 * count, &arr, &n);
    if (rc || !arr)
        return rc;
    unsigned bits = 0;
    for (const cJSON *e = arr->child; e; e = e->next) {
        size_t i = 0;
        while (i < count && !(cJSON_IsString(e) && strcmp(e->valuestring, names[i]) == 0))
            i++;
        if (i == count) {
            char list[160];
            cm__dec_names_list(names, (int)count, list, sizeof list);
            return cm_error_set(d->err, CM_EINVAL, key, "%s must list values among %s", key, list);
        }
        if (bits & (1u << i))
            return cm_error_set(d->err, CM_EINVAL, key, "%s lists \"%s\" twice", key, names[i]);
        bits |= 1u << i;
    }
    *out = (uint8_t)bits;
    return 0;
}

static int decode_experience(cm__dec_t *d, const cJSON *root, cm_offer_t *o)
{
    const cJSON *obj, *it;
    int rc = cm__dec_opt_object(d, root, "experience", "experience", &obj);
    if (rc || !obj)
        return rc;
    if (!(it = cm__dec_member(obj, "level")))
        return cm__dec_missing(d, "experience.level");
    int v = cJSON_IsString(it) ? cm__experience_level_parse(it->valuestring) : -1;
    if (v < 0)
        return cm_error_set(d->err, CM_EINVAL, "experience.level",
                            "experience.level must be one of beginner_ok, wanted or required");
    o->experience_level = (cm_experience_level_t)v;
    if ((it = cm__dec_member(obj, "months")))
        return cm__dec_int(d, it, "experience.months", 0, CM_EXPERIENCE_MAX, &o->experience_months);
    return 0;
}

int cm__decode_offer_ext(struct cm__dec *d, const cJSON *root, cm_offer_t *o)
{
    const cJSON *it;
    int rc, days = 0;
    if ((rc = take_bits(d, root, "work_pattern", cm__work_names, &o->work_pattern)))
        return rc;
    if ((it = cm__dec_member(root, "contract_duration_days"))) {
        if ((rc = cm__dec_int(d, it, "contract_duration_days", 1, CM_CONTRACT_DAYS_MAX, &days)))
            return rc;
        o->contract_days = (uint16_t)days;
    }
    if ((rc = decode_experience(d, root, o)) ||
        (rc = cm__dec_opt_bool(d, root, "vehicle_required", "vehicle_required",
                               &o->vehicle_required)))
        return rc;
    return take_bits(d, root, "physical_demands", cm__demand_names, &o->demands);
}

int cm__decode_candidate_ext(struct cm__dec *d, const cJSON *root, cm_candidate_t *c)
{
    int rc = take_bits(d, root, "restrictions", cm__restriction_names, &c->restrictions);
    return rc ? rc : take_bits(d, root, "strict", cm__strict_names, &c->strict);
}

static void sb_bits(cm__sb_t *b, bool *first, const char *key, const char *const *names,
                    unsigned bits)
{
    if (!bits)
        return;
    cm__sb_key(b, first, key);
    cm__sb_putn(b, "[", 1);
    bool f = true;
    for (int i = 0; names[i]; i++) {
        if (!(bits & (1u << i)))
            continue;
        if (!f)
            cm__sb_putn(b, ",", 1);
        f = false;
        cm__sb_str(b, names[i]);
    }
    cm__sb_putn(b, "]", 1);
}

void cm__offer_ext_out(struct cm__sb *b, bool *first, const cm_offer_t *o)
{
    sb_bits(b, first, "work_pattern", cm__work_names, o->work_pattern);
    if (o->contract_days) {
        cm__sb_key(b, first, "contract_duration_days");
        cm__sb_printf(b, "%u", (unsigned)o->contract_days);
    }
    if (o->experience_level != CM_XP_UNSET) {
        cm__sb_key(b, first, "experience");
        cm__sb_puts(b, "{\"level\":");
        cm__sb_str(b, cm_experience_level_name(o->experience_level));
        cm__sb_printf(b, ",\"months\":%d}", o->experience_months);
    }
    if (o->vehicle_required)
        cm__sb_bool(b, first, "vehicle_required", true);
    sb_bits(b, first, "physical_demands", cm__demand_names, o->demands);
}

void cm__candidate_ext_out(struct cm__sb *b, bool *first, const cm_candidate_t *c, bool sensitive)
{
    if (sensitive)
        sb_bits(b, first, "restrictions", cm__restriction_names, c->restrictions);
    sb_bits(b, first, "strict", cm__strict_names, c->strict);
}
