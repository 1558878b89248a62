/* Match results as the contract's JSON (include/carematch/render.h): the one writer behind the
 * API's match endpoints and the CLI's `match` command. */
#include "carematch/referential.h"
#include "carematch/render.h"
#include "referential_internal.h"
#include "render_internal.h"
#include "sbuf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A commute mode that is not exactly one known bit (0: not computed) is written as null. */
static const char *mode_or_null(int mode)
{
    switch (mode) {
    case CM_MODE_CAR:
    case CM_MODE_TRANSIT:
    case CM_MODE_BIKE:
    case CM_MODE_WALK:
    case CM_MODE_MOPED:
        return cm_mode_name((unsigned)mode);
    default:
        return NULL;
    }
}

/* "key":"value", or "key":null */
static void put_str(cm__sb_t *b, bool *first, const char *key, const char *v)
{
    cm__sb_key(b, first, key);
    if (v)
        cm__sb_str(b, v);
    else
        cm__sb_puts(b, "null");
}

static void put_int(cm__sb_t *b, bool *first, const char *key, long long v)
{
    cm__sb_key(b, first, key);
    cm__sb_int(b, v);
}

/* A number rounded to `decimals` places (scores, factors, distances). */
static void put_fixed(cm__sb_t *b, bool *first, const char *key, double v, int decimals)
{
    cm__sb_key(b, first, key);
    cm__sb_fixed(b, v, decimals);
}

/* ,"key":[ ... ] of strings; `item` gives the i-th or NULL past the end. */
static void put_str_array(cm__sb_t *b, bool *first, const char *key, const char *const *items,
                          size_t n)
{
    cm__sb_key(b, first, key);
    cm__sb_putn(b, "[", 1);
    for (size_t i = 0; i < n; i++) {
        if (i)
            cm__sb_putn(b, ",", 1);
        cm__sb_str(b, items[i]);
    }
    cm__sb_putn(b, "]", 1);
}

static void offer_brief(cm__sb_t *b, const cm_offer_t *o)
{
    bool first = true;
    cm__sb_putn(b, "{", 1);
    put_str(b, &first, "id", o->id);
    put_str(b, &first, "title", o->title);
    if (o->employer_name || o->employer_kind != CM_EMPLOYER_UNSET) {
        bool f = true;
        cm__sb_key(b, &first, "employer");
        cm__sb_putn(b, "{", 1);
        if (o->employer_name)
            put_str(b, &f, "name", o->employer_name);
        if (o->employer_kind != CM_EMPLOYER_UNSET)
            put_str(b, &f, "kind", cm_employer_kind_name(o->employer_kind));
        cm__sb_putn(b, "}", 1);
    }
    bool f = true;
    cm__sb_key(b, &first, "location");
    cm__sb_putn(b, "{", 1);
    cm__sb_key(b, &f, "lat");
    cm__sb_coord(b, o->loc.lat_e6);
    cm__sb_key(b, &f, "lon");
    cm__sb_coord(b, o->loc.lon_e6);
    if (o->city)
        put_str(b, &f, "city", o->city);
    if (o->postcode)
        put_str(b, &f, "postcode", o->postcode);
    cm__sb_putn(b, "}", 1);
    put_str(b, &first, "contract", cm_contract_name(o->contract));
    cm__sb_putn(b, "}", 1);
}

static void candidate_brief(cm__sb_t *b, const cm_candidate_t *c)
{
    bool first = true, f = true;
    cm__sb_putn(b, "{", 1);
    put_str(b, &first, "id", c->id);
    /* postcode and city only: the brief never carries exact coordinates of a person */
    cm__sb_key(b, &first, "location");
    cm__sb_putn(b, "{", 1);
    if (c->postcode)
        put_str(b, &f, "postcode", c->postcode);
    if (c->city)
        put_str(b, &f, "city", c->city);
    cm__sb_putn(b, "}", 1);
    cm__sb_key(b, &first, "desired_rome");
    cm__sb_putn(b, "[", 1);
    for (size_t i = 0; i < c->n_desired_rome; i++) {
        if (i)
            cm__sb_putn(b, ",", 1);
        cm__sb_str(b, c->desired_rome[i]);
    }
    cm__sb_putn(b, "]", 1);
    put_str_array(b, &first, "certifications", c->certs, c->n_certs);
    put_int(b, &first, "experience_months", c->experience_months);
    cm__sb_putn(b, "}", 1);
}

static void put_days(cm__sb_t *b, bool *first, unsigned days)
{
    if (!days) /* no day entirely concerned: nothing to list */
        return;
    static const char *const names[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    const char *list[7];
    size_t n = 0;
    for (int d = 0; d < 7; d++)
        if (days & (1u << d))
            list[n++] = names[d];
    put_str_array(b, first, "days", list, n);
}

/* "DEAS,CAP_AEPE/TP_ADVF" -> ["DEAS", "CAP_AEPE/TP_ADVF"] (a/b: alternatives of one group) */
static void put_missing(cm__sb_t *b, bool *first, const char *list)
{
    char one[sizeof ((cm_barrier_t *)0)->missing];
    cm__sb_key(b, first, "missing");
    cm__sb_putn(b, "[", 1);
    for (const char *p = list; *p;) {
        size_t n = strcspn(p, ",");
        memcpy(one, p, n);
        one[n] = '\0';
        if (p != list)
            cm__sb_putn(b, ",", 1);
        cm__sb_str(b, one);
        p += n + (p[n] == ',');
    }
    cm__sb_putn(b, "]", 1);
}

/* The numbers behind a barrier, by code (SCORING.md lists them). */
static void put_numbers(cm__sb_t *b, bool *first, const cm_barrier_t *br)
{
    static const char *const restrict_names[3] = {"lifting", "standing", "hearing"};
    switch (br->code) {
    case CM_BC_CERT_MISSING:
    case CM_BC_CERT_REGULATED:
    case CM_BC_APPRENTICESHIP_ROUTE:
        put_missing(b, first, br->missing);
        break;
    case CM_BC_COMMUTE_TOO_LONG:
    case CM_BC_COMMUTE_LONG:
        put_int(b, first, "minutes", br->minutes);
        put_int(b, first, "limit", br->limit);
        if (br->what & CM_COMMUTE_TWO_TRIPS)
            put_int(b, first, "trips_per_day", 2);
        if (br->what & CM_COMMUTE_SAME_COMMUNE) { /* timed across the commune: a guess */
            cm__sb_key(b, first, "same_commune");
            cm__sb_puts(b, "true");
        }
        break;
    case CM_BC_SCHEDULE_DAY_OFF:
    case CM_BC_SCHEDULE_COVERAGE:
        put_days(b, first, br->days);
        put_int(b, first, "coverage", br->coverage);
        break;
    case CM_BC_SCHEDULE_ENDS_LATE:
    case CM_BC_SCHEDULE_STARTS_EARLY:
        put_days(b, first, br->days);
        put_int(b, first, "minutes", br->minutes);
        if (br->limit > 0) /* her journey, counted in the minutes */
            put_int(b, first, "journey_minutes", br->limit);
        break;
    case CM_BC_SCHEDULE_PATTERN:
        put_days(b, first, br->days);
        break;
    case CM_BC_COMMUTE_OFF_HOURS: { /* "starts_at": "06:30" or "ends_at": "21:30" */
        char hm[8];
        snprintf(hm, sizeof hm, "%02d:%02d", br->minutes / 60 % 24, br->minutes % 60);
        put_str(b, first, br->what == 1u ? "starts_at" : "ends_at", hm);
        put_int(b, first, "journey_minutes", br->limit);
        break;
    }
    case CM_BC_JOB_ABROAD:
        put_str(b, first, "country", cm__abroad_name((int)br->what));
        break;
    case CM_BC_HOURS_SHORT:
    case CM_BC_HOURS_OVER:
        put_fixed(b, first, "hours", br->hours, 1);
        put_int(b, first, "limit", br->limit);
        break;
    case CM_BC_EXPERIENCE_SHORT:
        put_int(b, first, "months", br->months);
        if (br->limit > 0) /* none when the offer states no length */
            put_int(b, first, "limit", br->limit);
        break;
    case CM_BC_SKILLS_TO_LEARN:
        put_int(b, first, "skills_missing", br->months);
        put_int(b, first, "limit", br->limit);
        break;
    case CM_BC_CONTRACT_UNWANTED:
        if (br->limit != 0)
            put_int(b, first, "contract_days", br->limit);
        break;
    case CM_BC_RESTRICTION:
    case CM_BC_RESTRICTION_LIKELY: {
        const char *list[3];
        size_t n = 0;
        for (int i = 0; i < 3; i++)
            if (br->what & (1u << i))
                list[n++] = restrict_names[i];
        put_str_array(b, first, "restrictions", list, n);
        break;
    }
    default:
        break;
    }
}

static void put_barriers(cm__sb_t *b, bool *first, const cm_match_t *m)
{
    cm__sb_key(b, first, "barriers");
    cm__sb_putn(b, "[", 1);
    for (size_t i = 0; i < m->n_barriers && i < CM_BARRIERS_MAX; i++) {
        const cm_barrier_t *br = &m->barriers[i];
        bool f = true;
        cm__sb_puts(b, i ? ",{" : "{");
        put_str(b, &f, "kind", cm_barrier_name(br->kind));
        put_str(b, &f, "detail", br->detail);
        put_str(b, &f, "code", cm_barrier_code_name(br->code));
        cm__sb_bool(b, &f, "hard", br->hard);
        put_str(b, &f, "detail_fr", br->detail_fr);
        put_numbers(b, &f, br);
        const char *levers[CM_LEVER__COUNT];
        size_t n = 0;
        for (int l = 0; l < CM_LEVER__COUNT; l++)
            if (br->levers & (1u << l))
                levers[n++] = cm_lever_name(l);
        put_str_array(b, &f, "levers", levers, n);
        cm__sb_putn(b, "}", 1);
    }
    cm__sb_putn(b, "]", 1);
}

/* A pair met through a neighbouring ROME code (match option neighbours) says which code, near
 * which wanted one, by which link and how near; a same-code pair writes nothing. */
static void put_neighbour(cm__sb_t *b, bool *first, const cm_match_t *m)
{
    if (!m->near_code[0])
        return;
    bool f = true;
    cm__sb_key(b, first, "neighbour");
    cm__sb_putn(b, "{", 1);
    put_str(b, &f, "code", m->near_code);
    put_str(b, &f, "of", m->near_of);
    put_str(b, &f, "kind", cm_rome_near_kind_name(m->near_kind));
    put_int(b, &f, "rank", (long long)m->near_rank);
    cm__sb_putn(b, "}", 1);
}

static void match_json(cm__sb_t *b, const cm_match_t *m)
{
    bool first = true, f = true;
    cm__sb_putn(b, "{", 1);
    cm__sb_key(b, &first, m->offer ? "offer" : "candidate");
    if (m->offer)
        offer_brief(b, m->offer);
    else
        candidate_brief(b, m->candidate);
    put_fixed(b, &first, "score", m->score, 1);
    cm__sb_key(b, &first, "explain");
    cm__sb_putn(b, "{", 1);
    for (int i = 0; i < CM_F__COUNT; i++)
        put_fixed(b, &f, cm_factor_name(i), m->explain[i], 2);
    cm__sb_putn(b, "}", 1);
    f = true;
    cm__sb_key(b, &first, "commute");
    cm__sb_putn(b, "{", 1);
    put_str(b, &f, "mode", mode_or_null(m->commute_mode));
    put_fixed(b, &f, "minutes", m->commute_minutes, 0);
    put_fixed(b, &f, "distance_km", m->distance_km, 1);
    cm__sb_putn(b, "}", 1);
    put_barriers(b, &first, m);
    cm__sb_bool(b, &first, "eligible", m->eligible);
    put_neighbour(b, &first, m);
    cm__sb_putn(b, "}", 1);
}

/* Written straight to text (no cJSON tree, no printf per number): a page of 50 results with
 * their explanations was a fifth of a match request's time. */
int cm_match_result_to_json(const cm_match_result_t *r, char **out, size_t *len)
{
    if (!out)
        return CM_EINVAL;
    *out = NULL;
    if (!r || (r->n && !r->items))
        return CM_EINVAL;
    cm__sb_t b = {0};
    cm__sb_puts(&b, "{\"results\":[");
    for (size_t i = 0; i < r->n; i++) {
        if (i)
            cm__sb_putn(&b, ",", 1);
        match_json(&b, &r->items[i]);
    }
    cm__sb_puts(&b, "],\"count\":");
    cm__sb_int(&b, (long long)r->n);
    cm__sb_puts(&b, ",\"considered\":");
    cm__sb_int(&b, (long long)r->considered);
    cm__sb_putn(&b, "}", 1);
    size_t n = b.len;
    if (!(*out = cm__sb_finish(&b)))
        return CM_ENOMEM;
    if (len)
        *len = n;
    return 0;
}
