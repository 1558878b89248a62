/* The scoring model's fields: the compact form of an offer or a candidate that scoring reads
 * (skill and certification hashes, weekly slots, flags, text signature), built from records
 * for the catalog, and the distance between two points. The scoring itself is score.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carematch/referential.h"
#include "ft_internal.h"
#include "geo.h"
#include "referential_internal.h"
#include "score.h"
#include "sort_u32.h"
#include "week.h"

/* One window, the same on every day it is given and within the day: its minutes (0, 0
 * otherwise: several, none, one past midnight or round the clock) and its days. */
static void one_window(const cm_window_t *w, size_t n, uint16_t *from, uint16_t *to, uint8_t *days)
{
    *from = *to = 0;
    if (days)
        *days = 0;
    if (n == 0 || w[0].to_min <= w[0].from_min || w[0].to_min > 1440)
        return;
    uint8_t d = 0;
    for (size_t i = 0; i < n; i++) {
        if (w[i].from_min != w[0].from_min || w[i].to_min != w[0].to_min || (d & w[i].days))
            return;
        d |= w[i].days;
    }
    *from = w[0].from_min;
    *to = w[0].to_min;
    if (days)
        *days = d;
}

/* A day on which two shifts start, 3 hours or more apart (07:00-12:00 and 17:00-20:00): the
 * worker goes home between. Shifts are runs of the circular week: consecutive nights
 * (21:00-07:00 every day) start once a day, their mornings the previous night's end (an
 * adviser's probe read them as split shifts, two round trips a day). */
static bool week_broken_day(const cm_week_t *w)
{
    for (int d = 0; d < 7; d++) {
        int base = d * CM__WEEK_SLOTS_PER_DAY, end = -1;
        for (int h = 0; h < CM__WEEK_SLOTS_PER_DAY; h++) {
            int s = base + h;
            if (!cm__week_slot_on(w, s) || cm__week_slot_on(w, s - 1))
                continue; /* not a shift's start */
            if (end >= 0 && s - end >= 6)
                return true; /* a second shift of the day, after 6 half-hours off */
            int e = s;
            while (e - s < CM__WEEK_SLOTS && cm__week_slot_on(w, e))
                e++;
            end = e;
        }
    }
    return false;
}

/* The physical demands a care job usually has, by ROME 4.0 code, for an offer that states
 * none (an adviser's probe: home care passed a candidate who must not lift, with no word):
 * transfers and handling, prolonged standing. */
static uint8_t usual_demands(const char *rome)
{
    static const struct {
        char code[6];
        uint8_t demands;
    } usual[] = {
        {"J1301", CM__RESTRICT_LIFTING | CM__RESTRICT_STANDING}, /* ASH */
        {"J1304", CM__RESTRICT_LIFTING | CM__RESTRICT_STANDING}, /* auxiliaire de puériculture */
        {"J1308", CM__RESTRICT_LIFTING | CM__RESTRICT_STANDING}, /* brancardier */
        {"J1501", CM__RESTRICT_LIFTING | CM__RESTRICT_STANDING}, /* aide-soignant */
        {"K1302", CM__RESTRICT_LIFTING | CM__RESTRICT_STANDING}, /* assistant de vie */
        {"K1303", CM__RESTRICT_LIFTING},                         /* garde d'enfant */
        /* home help carries shopping, laundry and buckets, moves furniture, and in practice
         * helps someone up (an adviser's probe: a hernia passed with no word; Assurance
         * Maladie counts it among the sectors most hit by handling injuries) */
        {"K1304", CM__RESTRICT_LIFTING | CM__RESTRICT_STANDING}, /* aide à domicile */
        {"K1306", CM__RESTRICT_LIFTING | CM__RESTRICT_STANDING}, /* AES */
        {"K1311", CM__RESTRICT_LIFTING | CM__RESTRICT_STANDING}, /* ADVF */
        {"K2204", CM__RESTRICT_STANDING},                        /* nettoyage */
        {"K2205", CM__RESTRICT_STANDING},                        /* propreté de locaux */
    };
    for (size_t i = 0; rome && i < sizeof usual / sizeof usual[0]; i++)
        if (strcmp(rome, usual[i].code) == 0)
            return usual[i].demands;
    return 0;
}

/* The earliest start and the latest end of the week's runs within a day, in half-hours (a run's
 * first slot, one past its last): a run across midnight starts or ends neither there. 48 and
 * 0 when there is no run. */
static void day_edges(const cm_week_t *w, uint8_t *first, uint8_t *last)
{
    *first = CM__WEEK_SLOTS_PER_DAY;
    *last = 0;
    for (int d = 0; d < 7; d++) {
        uint64_t day = cm__week_day(w, d);
        uint64_t starts = day & ~(day << 1), ends = day & ~(day >> 1);
        int base = d * CM__WEEK_SLOTS_PER_DAY;
        if ((starts & 1) && cm__week_slot_on(w, base - 1))
            starts &= ~1ull;
        if ((ends >> 47 & 1) && cm__week_slot_on(w, base + CM__WEEK_SLOTS_PER_DAY))
            ends &= ~(1ull << 47);
        if (starts && __builtin_ctzll(starts) < *first)
            *first = (uint8_t)__builtin_ctzll(starts);
        if (ends && 64 - __builtin_clzll(ends) > *last)
            *last = (uint8_t)(64 - __builtin_clzll(ends));
    }
}

/* How far across its commune a record placed on the commune's point may be (100 m units), 0
 * for a point of its own (the client's lat/lon). */
static uint8_t place_spread(cm_loc_source_t src, const char commune[6])
{
    cm_commune_t cc;
    if (src == CM_LOC_GIVEN || !commune[0] || cm_commune_by_insee(commune, &cc) != 0)
        return 0;
    double d = floor(cc.spread_km * 10 + 0.5);
    return (uint8_t)(d > 255 ? 255 : d);
}

/* An offer's work pattern: said, else (no pattern, no windows) what its title and description
 * say ("Aide-soignant de nuit", "samedis et dimanches uniquement": an adviser's probe found a
 * weekday solo parent eligible for both, with no word), read as France Travail's text is. */
static unsigned offer_pattern(const cm_offer_t *o)
{
    unsigned wp = o->work_pattern;
    if (!wp && o->n_schedule == 0 && (o->title || o->description))
        wp = cm__ft_text_work_pattern(o->title, o->description);
    return wp;
}

/* An offer's windows: given, else those its description states ("Vous intervenez du lundi au
 * vendredi de 8h à 13h", making its weekly hours), read as France Travail's are (an adviser's
 * probe: a weekend-only student and a night worker were clean matches for it). buf holds
 * those read; *out points at the windows used. */
static size_t offer_windows(const cm_offer_t *o, cm_window_t buf[8], const cm_window_t **out)
{
    *out = o->schedule;
    if (o->n_schedule == 0 && o->description && o->hours_per_week > 0) {
        int n = cm__ft_text_windows(o->title, o->description, o->hours_per_week,
                                    (o->work_pattern & CM_WORK_NIGHT) != 0, buf, 8);
        if (n > 0) {
            *out = buf;
            return (size_t)n;
        }
    }
    return o->n_schedule;
}

/* What search filters read (CM_WORK_FACT_*): night work (said, or three hours of the week's
 * windows at night), weekend work (said, or a shift starting on a Saturday or a Sunday: not a
 * Friday night's end), a licence needed (asked, her own vehicle asked, one provided), her
 * own vehicle asked. */
static uint8_t facts_of(uint8_t work_pattern, uint8_t flags, const cm_week_t *week)
{
    bool night = (work_pattern & CM__WORK_NIGHT) || (flags & CM__O_NIGHT_WORK);
    bool weekend = (work_pattern & CM__WORK_WEEKEND) || cm__week_shift_starts(week, 5) ||
                   cm__week_shift_starts(week, 6);
    bool licence = flags & (CM__O_LICENCE | CM__O_OWN_VEHICLE);
    return (uint8_t)((night ? CM_WORK_FACT_NIGHT : 0u) | (weekend ? CM_WORK_FACT_WEEKEND : 0u) |
                     (licence ? CM_WORK_FACT_LICENCE : 0u) |
                     ((flags & CM__O_OWN_VEHICLE) ? CM_WORK_FACT_VEHICLE : 0u));
}

int cm__offer_fields_init(cm__offer_fields_t *f, const cm_offer_t *o)
{
    char canon[CM_CERT_MAX + 1];
    const char *reg_cert = NULL, *reg_job = NULL;
    bool regulated =
        cm__rome_regulated(o->rome, &reg_cert, &reg_job) && !cm__title_unregulated(o->job_title);
    size_t ns = o->n_skills > 64 ? 64 : o->n_skills;
    size_t nc = o->n_certs > 31 ? 31 : o->n_certs; /* one bit kept for the regulated cert */
    memset(f, 0, sizeof *f);
    /* skill and cert hashes, then the skills' diploma bits (uint16 after uint32: aligned) */
    f->hash = malloc((ns + nc + 1) * sizeof *f->hash + (ns + 1) * sizeof *f->skill_dip);
    f->cert_names = malloc((nc + 1) * (CM_CERT_MAX + 1));
    if (!f->hash || !f->cert_names) {
        cm__offer_fields_clear(f);
        return CM_ENOMEM;
    }
    f->loc = o->loc;
    f->area = cm__dense_area(o->loc);
    f->spread = place_spread(o->loc_source, o->commune);
    f->rome = cm__rome_code(o->rome);
    memcpy(f->rome_str, o->rome, 5);
    f->rome_str[5] = '\0';
    f->contract = (uint8_t)o->contract;
    f->status = (uint8_t)o->status;
    f->flags = (uint8_t)((o->driving_licence_required ? CM__O_LICENCE : 0) |
                         (o->vehicle_provided ? CM__O_VEHICLE : 0) |
                         (o->accessible_to_disabled_workers ? CM__O_ACCESSIBLE : 0) |
                         (o->immersion_possible ? CM__O_IMMERSION : 0) |
                         (o->pre_hire_training ? CM__O_TRAINING : 0));
    if (o->vehicle_required)
        f->flags |= CM__O_OWN_VEHICLE;
    /* A vehicle the employer provides is one to drive (the rounds' car): it asks for the
     * licence, whether the offer says so or not (France Travail's import writes both) */
    else if (o->vehicle_provided)
        f->flags |= CM__O_LICENCE;
    unsigned wp = offer_pattern(o); /* said, or its text's */
    /* day work: said, or a rota's (2x8, "jour/nuit en alternance") */
    f->work_pattern = (uint8_t)((wp & CM_WORK_NIGHT ? CM__WORK_NIGHT : 0u) |
                                (wp & CM_WORK_WEEKEND ? CM__WORK_WEEKEND : 0u) |
                                (wp & (CM_WORK_DAY | CM_WORK_SHIFTS) ? CM__WORK_DAY : 0u) |
                                (wp & CM_WORK_SHIFTS ? CM__WORK_SHIFTS : 0u) |
                                (wp & CM_WORK_SPLIT ? CM__WORK_SPLIT : 0u));
    /* the record's demand bits are the restriction bits (record.h mirrors them) */
    f->demands = o->demands & (CM__RESTRICT_LIFTING | CM__RESTRICT_STANDING | CM__RESTRICT_HEARING);
    f->usual_demands = f->demands ? 0 : usual_demands(o->rome);
    f->xp_level = (uint8_t)o->experience_level;
    f->xp_months = (uint16_t)(o->experience_months > 0 ? o->experience_months : 0);
    f->contract_days = o->contract_days;
    f->hours = (float)o->hours_per_week;
    f->skill_dip = (uint16_t *)(f->hash + ns + nc + 1);
    for (size_t i = 0; i < ns; i++) {
        f->hash[i] = cm__skill_hash(o->skills[i].label);
        f->skill_dip[i] = cm__skill_diplomas(f->hash[i]);
        if (o->skills[i].required)
            f->skill_required |= 1ull << i;
    }
    f->n_skills = (uint8_t)ns;
    size_t off = 0, k = 0;
    for (size_t i = 0; i < nc + (regulated ? 1 : 0); i++) {
        bool req;
        uint8_t group = 0;
        const char *name; /* as barriers name it: the offer's code, or the referential's */
        if (i < nc) {
            cm__cert_canon(o->certs[i].code, canon);
            req = o->certs[i].required;
            group = o->certs[i].group;
            name = o->certs[i].code;
        } else {
            cm__cert_canon(reg_cert, canon);
            req = true;
            name = cm_diploma_canon(reg_cert);
        }
        if (!name || !name[0])
            name = canon;
        if (!canon[0])
            continue;
        uint32_t h = cm__cert_hash(canon);
        size_t j = 0;
        while (j < k && f->hash[ns + j] != h)
            j++;
        if (j == k) { /* new code (DEAVS and DEAES fold to one) */
            f->cert_group[k] = group;
            f->hash[ns + k++] = h;
            size_t l = strnlen(name, CM_CERT_MAX);
            memcpy(f->cert_names + off, name, l);
            f->cert_names[off + l] = '\0';
            off += l + 1;
        }
        if (req)
            f->cert_required |= 1u << j;
        if (i == nc)
            f->cert_regulated |= 1u << j;
    }
    f->n_certs = (uint8_t)k;
    char *fit = realloc(f->cert_names, off ? off : 1); /* room was made for the longest codes */
    if (fit)
        f->cert_names = fit;
    cm_window_t text_win[8]; /* given, or its text's */
    const cm_window_t *sched;
    size_t n_sched = offer_windows(o, text_win, &sched);
    one_window(sched, n_sched, &f->shift_from, &f->shift_to, &f->shift_days);
    if (n_sched > 0) {
        cm_week_from_windows(sched, n_sched, &f->week);
        f->week_count = (uint16_t)cm__week_popcount(&f->week);
        if (f->week_count)
            f->flags |= CM__O_HAS_SCHEDULE;
        if (cm__week_night_work(&f->week))
            f->flags |= CM__O_NIGHT_WORK;
        day_edges(&f->week, &f->first_start, &f->last_end);
        /* windows without weekly hours: theirs (an adviser's probe: a 40-hour week passed a
         * firm 24-hour maximum, a 12-hour weekend a firm 35-hour need, with no word) */
        if (f->hours <= 0 && f->week_count)
            f->hours = (float)f->week_count / 2.0f;
    }
    if ((f->work_pattern & CM__WORK_SPLIT) || week_broken_day(&f->week))
        f->work_pattern |= CM__WORK_TWO_TRIPS;
    /* a care job's night, alone or nearly with the residents, answers their calls and alarms:
     * hearing, when the offer does not say it (an adviser's probe: a candidate with a hearing
     * restriction was a clean match for an EHPAD's night post) */
    if (((f->work_pattern & CM__WORK_NIGHT) || (f->flags & CM__O_NIGHT_WORK)) &&
        !(f->demands & CM__RESTRICT_HEARING) && (usual_demands(o->rome) & CM__RESTRICT_LIFTING))
        f->usual_demands |= CM__RESTRICT_HEARING;
    f->facts = facts_of(f->work_pattern, f->flags, &f->week);
    /* a point given beyond the border (a commune or a postcode is French) */
    f->abroad = o->loc_source == CM_LOC_GIVEN ? (uint8_t)cm__abroad(o->loc) : 0;
    int rc = cm__sig_offer(o, &f->text);
    if (rc)
        cm__offer_fields_clear(f);
    return rc;
}

uint8_t cm__offer_facts(const cm_offer_t *o)
{
    cm_window_t text_win[8];
    const cm_window_t *sched;
    size_t n_sched = offer_windows(o, text_win, &sched);
    cm_week_t week;
    memset(&week, 0, sizeof week);
    if (n_sched > 0)
        cm_week_from_windows(sched, n_sched, &week);
    unsigned wp = offer_pattern(o);
    uint8_t flags =
        (uint8_t)((cm__week_night_work(&week) ? CM__O_NIGHT_WORK : 0) |
                  (o->driving_licence_required || o->vehicle_provided ? CM__O_LICENCE : 0) |
                  (o->vehicle_required ? CM__O_OWN_VEHICLE : 0));
    return facts_of((uint8_t)((wp & CM_WORK_NIGHT ? CM__WORK_NIGHT : 0u) |
                              (wp & CM_WORK_WEEKEND ? CM__WORK_WEEKEND : 0u)),
                    flags, &week);
}

void cm__offer_fields_clear(cm__offer_fields_t *f)
{
    if (f->borrowed) {
        f->text = (cm__sig_t){NULL, 0};
        f->borrowed = false;
    } else {
        free(f->hash);
        free(f->cert_names);
    }
    f->hash = NULL;
    f->skill_dip = NULL;
    f->cert_names = NULL;
    cm__sig_clear(&f->text);
}

static void avail_describe(const cm_candidate_t *c, char out[24])
{
    if (c->n_availability == 0) {
        strcpy(out, "any time");
        return;
    }
    /* up to two distinct ranges, in the order given ("07:00-12:00,16:30-20:30"), then "+" */
    const cm_window_t *w = &c->availability[0], *w2 = NULL;
    bool more = false;
    for (size_t i = 1; i < c->n_availability; i++) {
        const cm_window_t *x = &c->availability[i];
        if (x->from_min == w->from_min && x->to_min == w->to_min)
            continue;
        if (!w2)
            w2 = x;
        else if (x->from_min != w2->from_min || x->to_min != w2->to_min)
            more = true;
    }
    int n = snprintf(out, 24, "%02u:%02u-%02u:%02u", (unsigned)(w->from_min / 60 % 24),
                     (unsigned)(w->from_min % 60), (unsigned)(w->to_min / 60 % 24),
                     (unsigned)(w->to_min % 60));
    if (w2 && !more)
        snprintf(out + n, (size_t)(24 - n), ",%02u:%02u-%02u:%02u",
                 (unsigned)(w2->from_min / 60 % 24), (unsigned)(w2->from_min % 60),
                 (unsigned)(w2->to_min / 60 % 24), (unsigned)(w2->to_min % 60));
    else if (w2)
        snprintf(out + n, (size_t)(24 - n), "+");
}

/* The days she is available on: a window starts that day, or the whole day is available.
 * The end of the evening before's window is not the day's: "mon-fri 21:00-07:00" holds
 * Saturday 00:00-07:00, and she does not work Saturdays (a Saturday night's shift is no
 * less a day off). (A solo parent's day start and end are read from the week itself, shift
 * by shift: score.c.) */
static void avail_days(cm__cand_fields_t *f)
{
    const uint64_t all = (1ull << CM__WEEK_SLOTS_PER_DAY) - 1;
    for (int d = 0; d < 7; d++)
        if (cm__week_shift_starts(&f->week, d) || cm__week_day(&f->week, d) == all)
            f->avail_days |= (uint8_t)(1u << d);
}

int cm__cand_fields_init(cm__cand_fields_t *f, const cm_candidate_t *c,
                         const cm__score_config_t *cfg)
{
    char canon[CM_CERT_MAX + 1];
    uint32_t skills[64]; /* her labels' skills, a joined label's parts too (at most 64) */
    size_t ns = 0;
    for (size_t i = 0; i < c->n_skills && ns < 64; i++)
        ns += cm__skill_hashes(c->skills[i], skills + ns, 64 - ns);
    ns = cm__sort_unique_u32(skills, ns);
    /* her certifications' canonical codes, and those they also count as (DEAES: TP_ADVF) */
    uint32_t certs[32];
    size_t nc = 0;
    for (size_t i = 0; i < c->n_certs && nc < 32; i++) {
        char also[CM_CERT_MAX + 1];
        cm__cert_canon(c->certs[i], canon);
        certs[nc++] = cm__cert_hash(canon);
        for (size_t k = 0; nc < 32 && cm__cert_also(canon, k, also); k++)
            certs[nc++] = cm__cert_hash(also);
    }
    nc = cm__sort_unique_u32(certs, nc);
    size_t nt = c->n_desired_titles > CM_TITLES_MAX ? CM_TITLES_MAX : c->n_desired_titles;
    memset(f, 0, sizeof *f);
    f->hash = malloc((ns + nc + 2 * nt + 1) * sizeof *f->hash);
    if (!f->hash)
        return CM_ENOMEM;
    f->loc = c->loc;
    f->area = cm__dense_area(c->loc);
    f->spread = place_spread(c->loc_source, c->commune);
    f->modes = c->modes;
    f->flags =
        (uint8_t)((c->driving_licence ? CM__C_LICENCE : 0) | (c->vehicle ? CM__C_VEHICLE : 0) |
                  (c->disability_recognised ? CM__C_DISABILITY : 0) |
                  (c->open_to_immersion ? CM__C_IMMERSION : 0) |
                  (c->open_to_training ? CM__C_TRAINING : 0) |
                  (c->has_childcare && c->solo_parent ? CM__C_SOLO_PARENT : 0) |
                  (c->has_childcare && c->children_under_12 > 0 ? CM__C_CHILDREN : 0));
    f->contracts = c->contracts;
    f->restrictions = c->restrictions & (CM__RESTRICT_LIFTING | CM__RESTRICT_STANDING |
                                         CM__RESTRICT_HEARING | CM__RESTRICT_NIGHT);
    f->strict = c->strict & (CM__STRICT_HOURS | CM__STRICT_CONTRACTS);
    f->children = (uint8_t)(c->has_childcare && c->children_under_12 > 0
                                ? (c->children_under_12 > 255 ? 255 : c->children_under_12)
                                : 0);
    f->max_minutes = (uint16_t)(c->max_minutes > 0 ? c->max_minutes : CM_MAX_MINUTES_DEFAULT);
    f->limit_assumed = c->max_minutes <= 0;
    f->licence_stated = c->licence_stated;
    f->experience = (uint16_t)(c->experience_months > 0 ? c->experience_months : 0);
    f->hours_min = (float)c->hours_min;
    f->hours_max = (float)c->hours_max;
    memcpy(f->hash, skills, ns * sizeof *f->hash);
    memcpy(f->hash + ns, certs, nc * sizeof *f->hash);
    for (size_t i = 0; i < nc; i++)
        f->diplomas |= cm__diploma_bit(certs[i]);
    f->n_skills = (uint8_t)ns;
    f->n_certs = (uint8_t)nc;
    /* Job titles and their codes, for candidate search's "named that title, or wants its whole
     * code" (a title of the referential has one code; an unknown one cannot be stored). */
    for (size_t i = 0; i < nt; i++) {
        cm_rome_title_t t;
        f->hash[ns + nc + i] = c->desired_titles[i];
        f->hash[ns + nc + nt + i] =
            cm_rome_title_by_ogr(c->desired_titles[i], &t) == 0 ? cm__rome_code(t.rome) : 0;
    }
    f->n_titles = (uint8_t)nt;
    if (c->n_availability > 0) {
        cm_week_from_availability(c->availability, c->n_availability, &f->week);
        f->week_count = (uint16_t)cm__week_popcount(&f->week);
        f->flags |= CM__C_HAS_AVAIL;
        avail_days(f);
    }
    avail_describe(c, f->avail_desc);
    one_window(c->availability, c->n_availability, &f->avail_from, &f->avail_to, NULL);
    /* Retrieval radius: any listed mode counts, and the car whenever there is a licence (a
     * car hired or lent with a mobility aid would take her there), so near misses on commute
     * are still found. */
    unsigned modes = f->modes | (c->driving_licence ? CM_MODE_CAR : 0u);
    double reach = 0;
    for (int m = 0; m < CM__MODES; m++) {
        if (!(modes & (1u << m)))
            continue;
        /* a limit nobody stated holds to twice it (advisory beyond it): reach that far */
        double lim = f->limit_assumed ? 2.0 * f->max_minutes : f->max_minutes;
        double km = cm__mode_km(cfg, m, lim);
        if (km > reach)
            reach = km;
        /* in a dense network, its transit reaches further (an upper bound: the other end
         * may lie outside it) */
        if (f->area && (km = cm__mode_km(cfg, cm__mode_at(m, true), lim)) > reach)
            reach = km;
        /* a city or its ring: regional rail reaches further still */
        if (f->area && m == 1 && (km = cm__mode_km(cfg, CM__MODE_TRANSIT_RER, lim)) > reach)
            reach = km;
        /* a TER line from her town: its far end */
        if (f->area && m == 1 && (km = cm__rail_reach_km(cfg, f->area, f->loc, lim)) > reach)
            reach = km;
    }
    reach = reach * cfg->reach_margin + cfg->reach_extra_km;
    /* Without a licence, a mobility aid (a moped or an e-bike lent, a licence funded) is what
     * opens the jobs a little further off: found, they come as near misses that say so. */
    if (!c->driving_licence && reach < cfg->mobility_lever_km)
        reach = cfg->mobility_lever_km;
    f->reach_km = (float)(reach > cfg->reach_max_km ? cfg->reach_max_km : reach);
    int rc = cm__sig_candidate(c, &f->text);
    if (rc)
        cm__cand_fields_clear(f);
    return rc;
}

void cm__cand_fields_clear(cm__cand_fields_t *f)
{
    if (f->borrowed) {
        f->text = (cm__sig_t){NULL, 0};
        f->borrowed = false;
    } else {
        free(f->hash);
    }
    f->hash = NULL;
    cm__sig_clear(&f->text);
}

double cm__lat_cos(cm_geo_t p)
{
    return cos(p.lat_e6 * (M_PI / 180.0 / 1e6));
}

double cm__distance_km_cos(cm_geo_t a, cm_geo_t b, double cos_a, double cos_b)
{
    /* Haversine; sin^2 of half-differences and the product of cosines are symmetric in a, b
     * so both matching directions get the same distance bit for bit. */
    const double d2r = M_PI / 180.0 / 1e6;
    double dla = (double)(b.lat_e6 - a.lat_e6) * d2r;
    double dlo = (double)(b.lon_e6 - a.lon_e6) * d2r;
    double s1 = sin(dla / 2), s2 = sin(dlo / 2);
    double h = s1 * s1 + cos_a * cos_b * s2 * s2;
    if (h > 1)
        h = 1;
    return 2.0 * CM__EARTH_RADIUS_KM * asin(sqrt(h));
}

double cm__distance_km(cm_geo_t a, cm_geo_t b)
{
    return cm__distance_km_cos(a, b, cm__lat_cos(a), cm__lat_cos(b));
}
