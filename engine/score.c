/* The scoring model: weights and constants (compiled-in defaults, JSON overrides), compact
 * scoring fields built from records, commute estimation, and the scoring of one pair. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "geo.h"
#include "score.h"
#include "week.h"

static const char *const factor_names[CM_F__COUNT] = {
    "skills", "certifications", "commute", "schedule", "contract", "experience", "text"};
static const char *const barrier_names[CM_BARRIER__COUNT] = {
    "certification", "commute", "driving_licence", "schedule", "childcare", "disability"};
static const char *const lever_names[CM_LEVER__COUNT] = {"mobility_aid",  "driving_licence_funding",
                                                         "childcare_aid", "pre_hire_training",
                                                         "immersion",     "workplace_adaptation"};

const char *cm_factor_name(int f)
{
    return f >= 0 && f < CM_F__COUNT ? factor_names[f] : "unknown";
}

const char *cm_barrier_name(int b)
{
    return b >= 0 && b < CM_BARRIER__COUNT ? barrier_names[b] : "unknown";
}

const char *cm_lever_name(int bit_index)
{
    return bit_index >= 0 && bit_index < CM_LEVER__COUNT ? lever_names[bit_index] : "unknown";
}

/* ---- Configuration ---- */

void cm__score_config_defaults(cm__score_config_t *cfg)
{
    static const double w[CM_F__COUNT] = {0.25, 0.20, 0.20, 0.15, 0.08, 0.07, 0.05};
    memset(cfg, 0, sizeof *cfg);
    memcpy(cfg->weight, w, sizeof w);
    cfg->mode[0] = (cm__mode_const_t){1.30, 50.0, 0.0}; /* car */
    cfg->mode[1] = (cm__mode_const_t){1.40, 18.0, 8.0}; /* transit */
    cfg->mode[2] = (cm__mode_const_t){1.25, 15.0, 0.0}; /* bike */
    cfg->mode[3] = (cm__mode_const_t){1.20, 4.5, 0.0};  /* walk */
    cfg->commute_full_ratio = 0.4;
    cfg->schedule_min_coverage = 0.5;
    cfg->experience_full_months = 24.0;
    cfg->hours_tolerance = 10.0;
    cfg->contract_share = 0.6;
    cfg->reach_margin = 1.25;
    cfg->reach_extra_km = 2.0;
    cfg->reach_max_km = CM__REACH_MAX_KM;
    cfg->scored_max = CM__SCORED_MAX;
    cfg->text_shortlist = 4;
    cfg->neighbour_penalty = 0.05;
    cfg->neighbour_rank_penalty = 0.01;
}

/* Read an optional number member into *dst, checking [lo, hi]. */
static int num_member(const cJSON *obj, const char *name, const char *path, double lo, double hi,
                      double *dst, cm_error *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!v)
        return 0;
    if (!cJSON_IsNumber(v) || !(v->valuedouble >= lo && v->valuedouble <= hi))
        return cm_error_set(err, CM_EINVAL, path, "%s must be a number in [%g, %g]", path, lo, hi);
    *dst = v->valuedouble;
    return 0;
}

static int check_keys(const cJSON *obj, const char *const *allowed, size_t n, const char *where,
                      cm_error *err)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, obj)
    {
        size_t i = 0;
        while (i < n && strcmp(it->string, allowed[i]) != 0)
            i++;
        if (i == n) /* a typo would otherwise silently keep a default */
            return cm_error_set(err, CM_EINVAL, it->string, "unknown key \"%s\" in %s", it->string,
                                where);
    }
    return 0;
}

static int config_parse(const cJSON *root, cm__score_config_t *cfg, cm_error *err)
{
    static const char *const top[] = {"weights",
                                      "modes",
                                      "commute_full_ratio",
                                      "schedule_min_coverage",
                                      "experience_full_months",
                                      "hours_tolerance",
                                      "contract_share",
                                      "reach_margin",
                                      "reach_extra_km",
                                      "reach_max_km",
                                      "scored_max",
                                      "text_shortlist",
                                      "neighbour_penalty",
                                      "neighbour_rank_penalty"};
    char path[96];
    int rc;
    if (!cJSON_IsObject(root))
        return cm_error_set(err, CM_EINVAL, "", "scoring config must be a JSON object");
    if ((rc = check_keys(root, top, sizeof top / sizeof top[0], "scoring config", err)))
        return rc;
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(root, "weights");
    if (w) {
        if (!cJSON_IsObject(w))
            return cm_error_set(err, CM_EINVAL, "weights", "weights must be an object");
        if ((rc = check_keys(w, factor_names, CM_F__COUNT, "weights", err)))
            return rc;
        for (int f = 0; f < CM_F__COUNT; f++) {
            snprintf(path, sizeof path, "weights.%s", factor_names[f]);
            if ((rc = num_member(w, factor_names[f], path, 0, 100, &cfg->weight[f], err)))
                return rc;
        }
    }
    double sum = 0;
    for (int f = 0; f < CM_F__COUNT; f++)
        sum += cfg->weight[f];
    if (!(sum > 0))
        return cm_error_set(err, CM_EINVAL, "weights", "weights must not all be zero");
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(root, "modes");
    if (m) {
        if (!cJSON_IsObject(m))
            return cm_error_set(err, CM_EINVAL, "modes", "modes must be an object");
        const char *mode_names[CM__MODES]; /* index = bit position of CM_MODE_* */
        for (int i = 0; i < CM__MODES; i++)
            mode_names[i] = cm_mode_name(1u << i);
        if ((rc = check_keys(m, mode_names, CM__MODES, "modes", err)))
            return rc;
        static const char *const mk[] = {"detour", "speed_kmh", "wait_min"};
        for (int i = 0; i < CM__MODES; i++) {
            const cJSON *mo = cJSON_GetObjectItemCaseSensitive(m, mode_names[i]);
            if (!mo)
                continue;
            if (!cJSON_IsObject(mo))
                return cm_error_set(err, CM_EINVAL, mode_names[i], "modes.%s must be an object",
                                    mode_names[i]);
            if ((rc = check_keys(mo, mk, 3, mode_names[i], err)))
                return rc;
            snprintf(path, sizeof path, "modes.%s.detour", mode_names[i]);
            if ((rc = num_member(mo, "detour", path, 1, 5, &cfg->mode[i].detour, err)))
                return rc;
            snprintf(path, sizeof path, "modes.%s.speed_kmh", mode_names[i]);
            if ((rc = num_member(mo, "speed_kmh", path, 0.5, 200, &cfg->mode[i].speed, err)))
                return rc;
            snprintf(path, sizeof path, "modes.%s.wait_min", mode_names[i]);
            if ((rc = num_member(mo, "wait_min", path, 0, 120, &cfg->mode[i].wait_min, err)))
                return rc;
        }
    }
    double scored = cfg->scored_max, shortlist = cfg->text_shortlist;
    if ((rc = num_member(root, "commute_full_ratio", "commute_full_ratio", 0, 0.99,
                         &cfg->commute_full_ratio, err)) ||
        (rc = num_member(root, "schedule_min_coverage", "schedule_min_coverage", 0, 1,
                         &cfg->schedule_min_coverage, err)) ||
        (rc = num_member(root, "experience_full_months", "experience_full_months", 1,
                         CM_EXPERIENCE_MAX, &cfg->experience_full_months, err)) ||
        (rc = num_member(root, "hours_tolerance", "hours_tolerance", 1, CM_HOURS_MAX,
                         &cfg->hours_tolerance, err)) ||
        (rc = num_member(root, "contract_share", "contract_share", 0, 1, &cfg->contract_share,
                         err)) ||
        (rc = num_member(root, "reach_margin", "reach_margin", 1, 3, &cfg->reach_margin, err)) ||
        (rc = num_member(root, "reach_extra_km", "reach_extra_km", 0, 50, &cfg->reach_extra_km,
                         err)) ||
        (rc = num_member(root, "reach_max_km", "reach_max_km", 1, 300, &cfg->reach_max_km, err)) ||
        (rc = num_member(root, "scored_max", "scored_max", 100, 1e7, &scored, err)) ||
        (rc = num_member(root, "text_shortlist", "text_shortlist", 1, 20, &shortlist, err)) ||
        (rc = num_member(root, "neighbour_penalty", "neighbour_penalty", 0.001, 0.5,
                         &cfg->neighbour_penalty, err)) ||
        (rc = num_member(root, "neighbour_rank_penalty", "neighbour_rank_penalty", 0, 0.1,
                         &cfg->neighbour_rank_penalty, err)))
        return rc;
    cfg->scored_max = (unsigned)scored;
    cfg->text_shortlist = (unsigned)shortlist;
    return 0;
}

int cm__score_config_load(const char *path, cm__score_config_t **out, cm_error *err)
{
    cm__score_config_t *cfg = malloc(sizeof *cfg);
    char *text = NULL;
    cJSON *root = NULL;
    FILE *f = NULL;
    int rc = 0;
    *out = NULL;
    if (!cfg)
        return cm_error_set(err, CM_ENOMEM, NULL, "out of memory");
    cm__score_config_defaults(cfg);
    if (!path)
        goto done;
    f = fopen(path, "rb");
    if (!f) {
        rc = cm_error_set(err, CM_EIO, NULL, "cannot open scoring config %s", path);
        goto fail;
    }
    text = malloc(65537);
    if (!text) {
        rc = cm_error_set(err, CM_ENOMEM, NULL, "out of memory");
        goto fail;
    }
    size_t len = fread(text, 1, 65537, f);
    if (ferror(f) || len > 65536) {
        rc = cm_error_set(err, ferror(f) ? CM_EIO : CM_EINVAL, NULL,
                          "scoring config %s unreadable or over 64 KiB", path);
        goto fail;
    }
    root = cJSON_ParseWithLength(text, len);
    if (!root) {
        rc = cm_error_set(err, CM_EINVAL, "", "scoring config %s is not valid JSON", path);
        goto fail;
    }
    if ((rc = config_parse(root, cfg, err)))
        goto fail;
done:
    cJSON_Delete(root);
    free(text);
    if (f)
        fclose(f);
    *out = cfg;
    return 0;
fail:
    cJSON_Delete(root);
    free(text);
    if (f)
        fclose(f);
    free(cfg);
    return rc;
}

void cm__score_config_free(cm__score_config_t *cfg)
{
    free(cfg);
}

/* ---- Weekly slot masks ---- */

static cm_week_t mask_night, mask_early, mask_late, mask_weekend, mask_atypical;
static pthread_once_t masks_once = PTHREAD_ONCE_INIT;

static void masks_init(void)
{
    for (int d = 0; d < 7; d++) {
        for (int h = 0; h < CM__WEEK_SLOTS_PER_DAY; h++) {
            if (h < 12 || h >= 42) /* 21:00-06:00 */
                cm__week_set(&mask_night, d, h);
            else if (h < 16) /* 06:00-08:00: before school opens */
                cm__week_set(&mask_early, d, h);
            else if (h >= 38) /* 19:00-21:00: after after-school care closes */
                cm__week_set(&mask_late, d, h);
            if (d >= 5)
                cm__week_set(&mask_weekend, d, h);
        }
    }
    for (size_t i = 0; i < CM__WEEK_WORDS; i++)
        mask_atypical.bits[i] =
            mask_night.bits[i] | mask_early.bits[i] | mask_late.bits[i] | mask_weekend.bits[i];
}

static int week_and_count(const cm_week_t *a, const cm_week_t *b)
{
    int n = 0;
    for (size_t i = 0; i < CM__WEEK_WORDS; i++)
        n += __builtin_popcountll(a->bits[i] & b->bits[i]);
    return n;
}

static int week_andnot_count(const cm_week_t *a, const cm_week_t *notb, const cm_week_t *m)
{
    int n = 0;
    for (size_t i = 0; i < CM__WEEK_WORDS; i++)
        n += __builtin_popcountll(a->bits[i] & ~notb->bits[i] & m->bits[i]);
    return n;
}

/* ---- Fields ---- */

static int u32_cmp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

int cm__offer_fields_init(cm__offer_fields_t *f, const cm_offer_t *o)
{
    char canon[CM_CERT_MAX + 1];
    const char *reg_cert = NULL, *reg_job = NULL;
    bool regulated = cm__rome_regulated(o->rome, &reg_cert, &reg_job);
    size_t ns = o->n_skills > 64 ? 64 : o->n_skills;
    size_t nc = o->n_certs > 31 ? 31 : o->n_certs; /* one bit kept for the regulated cert */
    memset(f, 0, sizeof *f);
    f->hash = malloc((ns + nc + 1) * sizeof *f->hash);
    f->cert_names = malloc((nc + 1) * (CM_CERT_MAX + 1));
    if (!f->hash || !f->cert_names) {
        cm__offer_fields_clear(f);
        return CM_ENOMEM;
    }
    f->loc = o->loc;
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
    f->hours = (float)o->hours_per_week;
    for (size_t i = 0; i < ns; i++) {
        f->hash[i] = cm__skill_hash(o->skills[i].label);
        if (o->skills[i].required)
            f->skill_required |= 1ull << i;
    }
    f->n_skills = (uint8_t)ns;
    size_t off = 0, k = 0;
    for (size_t i = 0; i < nc + (regulated ? 1 : 0); i++) {
        bool req;
        if (i < nc) {
            cm__cert_canon(o->certs[i].code, canon);
            req = o->certs[i].required;
        } else {
            cm__cert_canon(reg_cert, canon);
            req = true;
        }
        if (!canon[0])
            continue;
        uint32_t h = cm__cert_hash(canon);
        size_t j = 0;
        while (j < k && f->hash[ns + j] != h)
            j++;
        if (j == k) { /* new code (DEAVS and DEAES fold to one) */
            f->hash[ns + k++] = h;
            size_t l = strlen(canon) + 1;
            memcpy(f->cert_names + off, canon, l);
            off += l;
        }
        if (req)
            f->cert_required |= 1u << j;
        if (i == nc)
            f->cert_regulated |= 1u << j;
    }
    f->n_certs = (uint8_t)k;
    if (o->n_schedule > 0) {
        cm_week_from_windows(o->schedule, o->n_schedule, &f->week);
        f->week_count = (uint16_t)cm__week_popcount(&f->week);
        if (f->week_count)
            f->flags |= CM__O_HAS_SCHEDULE;
    }
    int rc = cm__sig_offer(o, &f->text);
    if (rc)
        cm__offer_fields_clear(f);
    return rc;
}

void cm__offer_fields_clear(cm__offer_fields_t *f)
{
    free(f->hash);
    free(f->cert_names);
    f->hash = NULL;
    f->cert_names = NULL;
    cm__sig_clear(&f->text);
}

static void avail_describe(const cm_candidate_t *c, char out[24])
{
    if (c->n_availability == 0) {
        strcpy(out, "any time");
        return;
    }
    const cm_window_t *w = &c->availability[0];
    bool more = false;
    for (size_t i = 1; i < c->n_availability; i++)
        if (c->availability[i].from_min != w->from_min || c->availability[i].to_min != w->to_min)
            more = true;
    snprintf(out, 24, "%02u:%02u-%02u:%02u%s", (unsigned)(w->from_min / 60 % 24),
             (unsigned)(w->from_min % 60), (unsigned)(w->to_min / 60 % 24),
             (unsigned)(w->to_min % 60), more ? "+" : "");
}

static double mode_km(const cm__score_config_t *cfg, int m, double minutes)
{
    double t = minutes - cfg->mode[m].wait_min;
    return t > 0 ? t / 60.0 * cfg->mode[m].speed / cfg->mode[m].detour : 0.0;
}

int cm__cand_fields_init(cm__cand_fields_t *f, const cm_candidate_t *c,
                         const cm__score_config_t *cfg)
{
    char canon[CM_CERT_MAX + 1];
    size_t ns = c->n_skills > 64 ? 64 : c->n_skills;
    size_t nc = c->n_certs > 32 ? 32 : c->n_certs;
    memset(f, 0, sizeof *f);
    f->hash = malloc((ns + nc + 1) * sizeof *f->hash);
    if (!f->hash)
        return CM_ENOMEM;
    f->loc = c->loc;
    f->modes = c->modes;
    f->flags =
        (uint8_t)((c->driving_licence ? CM__C_LICENCE : 0) | (c->vehicle ? CM__C_VEHICLE : 0) |
                  (c->disability_recognised ? CM__C_DISABILITY : 0) |
                  (c->open_to_immersion ? CM__C_IMMERSION : 0) |
                  (c->open_to_training ? CM__C_TRAINING : 0) |
                  (c->has_childcare && c->solo_parent ? CM__C_SOLO_PARENT : 0));
    f->contracts = c->contracts;
    f->children = (uint8_t)(c->has_childcare && c->children_under_12 > 0
                                ? (c->children_under_12 > 255 ? 255 : c->children_under_12)
                                : 0);
    f->max_minutes = (uint16_t)(c->max_minutes > 0 ? c->max_minutes : CM_MAX_MINUTES_DEFAULT);
    f->experience = (uint16_t)(c->experience_months > 0 ? c->experience_months : 0);
    f->hours_min = (float)c->hours_min;
    f->hours_max = (float)c->hours_max;
    for (size_t i = 0; i < ns; i++)
        f->hash[i] = cm__skill_hash(c->skills[i]);
    qsort(f->hash, ns, sizeof *f->hash, u32_cmp);
    for (size_t i = 0; i < nc; i++) {
        cm__cert_canon(c->certs[i], canon);
        f->hash[ns + i] = cm__cert_hash(canon);
    }
    qsort(f->hash + ns, nc, sizeof *f->hash, u32_cmp);
    f->n_skills = (uint8_t)ns;
    f->n_certs = (uint8_t)nc;
    if (c->n_availability > 0) {
        cm_week_from_windows(c->availability, c->n_availability, &f->week);
        f->week_count = (uint16_t)cm__week_popcount(&f->week);
        f->flags |= CM__C_HAS_AVAIL;
    }
    avail_describe(c, f->avail_desc);
    /* Retrieval radius: any listed mode counts, and the car whenever there is a licence
     * (an offer may provide the vehicle), so near misses on commute are still found. */
    unsigned modes = f->modes | (c->driving_licence ? CM_MODE_CAR : 0u);
    double reach = 0;
    for (int m = 0; m < CM__MODES; m++) {
        if (!(modes & (1u << m)))
            continue;
        double km = mode_km(cfg, m, f->max_minutes);
        if (km > reach)
            reach = km;
    }
    reach = reach * cfg->reach_margin + cfg->reach_extra_km;
    f->reach_km = (float)(reach > cfg->reach_max_km ? cfg->reach_max_km : reach);
    int rc = cm__sig_candidate(c, &f->text);
    if (rc)
        cm__cand_fields_clear(f);
    return rc;
}

void cm__cand_fields_clear(cm__cand_fields_t *f)
{
    free(f->hash);
    f->hash = NULL;
    cm__sig_clear(&f->text);
}

double cm__distance_km(cm_geo_t a, cm_geo_t b)
{
    /* Haversine; sin^2 of half-differences and the product of cosines are symmetric in a, b
     * so both matching directions get the same distance bit for bit. */
    const double d2r = M_PI / 180.0 / 1e6;
    double la1 = a.lat_e6 * d2r, la2 = b.lat_e6 * d2r;
    double dla = (double)(b.lat_e6 - a.lat_e6) * d2r;
    double dlo = (double)(b.lon_e6 - a.lon_e6) * d2r;
    double s1 = sin(dla / 2), s2 = sin(dlo / 2);
    double h = s1 * s1 + cos(la1) * cos(la2) * s2 * s2;
    if (h > 1)
        h = 1;
    return 2.0 * CM__EARTH_RADIUS_KM * asin(sqrt(h));
}

/* ---- Scoring ---- */

static bool has_hash(const uint32_t *sorted, size_t n, uint32_t h)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (sorted[mid] < h)
            lo = mid + 1;
        else if (sorted[mid] > h)
            hi = mid;
        else
            return true;
    }
    return false;
}

double cm__score_total(const cm__score_config_t *cfg, const double explain[CM_F__COUNT])
{
    double num = 0, den = 0;
    for (int f = 0; f < CM_F__COUNT; f++) {
        num += cfg->weight[f] * explain[f];
        den += cfg->weight[f];
    }
    return floor(num / den * 1000.0 + 0.5) / 10.0;
}

static cm_barrier_t *add_barrier(cm_match_t *m, int kind, unsigned levers)
{
    cm_barrier_t *b = &m->barriers[m->n_barriers++];
    b->kind = kind;
    b->levers = levers;
    b->detail[0] = '\0';
    return b;
}

static void cert_detail(const cm__offer_fields_t *o, const uint32_t *held, size_t nheld, char *out,
                        size_t cap)
{
    const char *name = o->cert_names;
    size_t len = 0;
    const char *reg_cert = NULL, *reg_job = NULL;
    bool regulated = cm__rome_regulated(o->rome_str, &reg_cert, &reg_job);
    out[0] = '\0';
    for (size_t j = 0; j < o->n_certs; j++, name += strlen(name) + 1) {
        if (!(o->cert_required & (1u << j)) || has_hash(held, nheld, o->hash[o->n_skills + j]))
            continue;
        int w;
        if (regulated && (o->cert_regulated & (1u << j)))
            w = snprintf(out + len, cap - len, "%s%s required (%s is regulated)", len ? "; " : "",
                         name, reg_job);
        else
            w = snprintf(out + len, cap - len, "%s%s required", len ? "; " : "", name);
        if (w < 0 || (size_t)w >= cap - len)
            break;
        len += (size_t)w;
    }
}

static void schedule_detail(const cm__cand_fields_t *c, const cm__offer_fields_t *o, double cov,
                            char *out, size_t cap)
{
    const cm_week_t *ow = &o->week, *cw = &c->week;
    char kinds[64] = "";
    size_t k = 0;
    const struct {
        const cm_week_t *mask;
        const char *name;
    } cls[] = {{&mask_night, "night"},
               {&mask_early, "early"},
               {&mask_late, "evening"},
               {&mask_weekend, "weekend"}};
    for (size_t i = 0; i < sizeof cls / sizeof cls[0]; i++) {
        if (week_andnot_count(ow, cw, cls[i].mask) > 0) {
            int w = snprintf(kinds + k, sizeof kinds - k, "%s%s", k ? ", " : "", cls[i].name);
            if (w > 0 && (size_t)w < sizeof kinds - k)
                k += (size_t)w;
        }
    }
    snprintf(out, cap, "%s shifts outside availability %s (%d%% of hours covered)",
             k ? kinds : "day", c->avail_desc, (int)floor(cov * 100 + 0.5));
}

void cm__score_pair(const cm__score_config_t *cfg, const cm__cand_fields_t *c,
                    const cm__offer_fields_t *o, double text, bool detail, cm_match_t *m)
{
    const uint32_t *cskills = c->hash, *ccerts = c->hash + c->n_skills;
    double *ex = m->explain;
    (void)pthread_once(&masks_once, masks_init);
    m->n_barriers = 0;
    m->eligible = true;

    /* Skills: weighted coverage, required 2, optional 1. */
    if (o->n_skills == 0) {
        ex[CM_F_SKILLS] = 1.0;
    } else {
        unsigned tot = 0, got = 0;
        for (size_t i = 0; i < o->n_skills; i++) {
            unsigned w = (o->skill_required >> i) & 1 ? 2u : 1u;
            tot += w;
            if (has_hash(cskills, c->n_skills, o->hash[i]))
                got += w;
        }
        ex[CM_F_SKILLS] = (double)got / tot;
    }

    /* Certifications: all required held -> 1 less up to 0.2 for missing optional ones;
     * otherwise the share of required ones held, and a hard barrier. */
    unsigned nreq = 0, hreq = 0, nopt = 0, hopt = 0;
    for (size_t j = 0; j < o->n_certs; j++) {
        bool held = has_hash(ccerts, c->n_certs, o->hash[o->n_skills + j]);
        if (o->cert_required & (1u << j)) {
            nreq++;
            hreq += held;
        } else {
            nopt++;
            hopt += held;
        }
    }
    if (hreq == nreq) {
        ex[CM_F_CERTS] = nopt ? 0.8 + 0.2 * hopt / nopt : 1.0;
    } else {
        ex[CM_F_CERTS] = (double)hreq / nreq;
        m->eligible = false;
        unsigned lev = 0;
        if ((o->flags & CM__O_TRAINING) && (c->flags & CM__C_TRAINING))
            lev |= CM_LEVER_PRE_HIRE_TRAINING;
        if ((o->flags & CM__O_IMMERSION) && (c->flags & CM__C_IMMERSION))
            lev |= CM_LEVER_IMMERSION;
        cm_barrier_t *b = add_barrier(m, CM_BARRIER_CERTIFICATION, lev);
        if (detail)
            cert_detail(o, ccerts, c->n_certs, b->detail, sizeof b->detail);
    }

    /* Commute: best usable mode. */
    double km = cm__distance_km(c->loc, o->loc);
    bool licence = c->flags & CM__C_LICENCE;
    unsigned usable = c->modes & (CM_MODE_TRANSIT | CM_MODE_BIKE | CM_MODE_WALK);
    if (licence &&
        (((c->modes & CM_MODE_CAR) && (c->flags & CM__C_VEHICLE)) || (o->flags & CM__O_VEHICLE)))
        usable |= CM_MODE_CAR;
    int best = -1;
    double best_min = 0;
    for (int i = 0; i < CM__MODES; i++) {
        if (!(usable & (1u << i)))
            continue;
        double t = km * cfg->mode[i].detour / cfg->mode[i].speed * 60.0 + cfg->mode[i].wait_min;
        if (best < 0 || t < best_min) {
            best = i;
            best_min = t;
        }
    }
    m->distance_km = floor(km * 10 + 0.5) / 10;
    m->commute_mode = best >= 0 ? 1 << best : 0;
    m->commute_minutes = best >= 0 ? floor(best_min + 0.5) : 0;
    double maxm = c->max_minutes, full = cfg->commute_full_ratio * maxm;
    if (best < 0 || m->commute_minutes > maxm) {
        ex[CM_F_COMMUTE] = 0.0;
        m->eligible = false;
        cm_barrier_t *b =
            add_barrier(m, CM_BARRIER_COMMUTE,
                        CM_LEVER_MOBILITY_AID | (licence ? 0u : CM_LEVER_DRIVING_LICENCE_FUNDING));
        if (detail && best < 0)
            snprintf(b->detail, sizeof b->detail,
                     "no usable transport mode for %.1f km (car needs a licence and a vehicle)",
                     m->distance_km);
        else if (detail)
            snprintf(b->detail, sizeof b->detail, "%s %d min > %d min limit (%.1f km)",
                     cm_mode_name(1u << best), (int)m->commute_minutes, (int)maxm, m->distance_km);
    } else if (m->commute_minutes <= full) {
        ex[CM_F_COMMUTE] = 1.0;
    } else {
        ex[CM_F_COMMUTE] = (maxm - m->commute_minutes) / (maxm - full);
    }

    if ((o->flags & CM__O_LICENCE) && !licence) {
        m->eligible = false;
        cm_barrier_t *b = add_barrier(m, CM_BARRIER_LICENCE,
                                      CM_LEVER_DRIVING_LICENCE_FUNDING | CM_LEVER_MOBILITY_AID);
        if (detail)
            snprintf(b->detail, sizeof b->detail, "driving licence required by the offer");
    }

    /* Schedule: share of the offer's half-hours inside the availability. */
    if (!(o->flags & CM__O_HAS_SCHEDULE) || !(c->flags & CM__C_HAS_AVAIL)) {
        ex[CM_F_SCHEDULE] = 1.0;
    } else {
        ex[CM_F_SCHEDULE] = (double)week_and_count(&o->week, &c->week) / o->week_count;
        if (ex[CM_F_SCHEDULE] < cfg->schedule_min_coverage) {
            m->eligible = false;
            cm_barrier_t *b =
                add_barrier(m, CM_BARRIER_SCHEDULE, c->children ? CM_LEVER_CHILDCARE_AID : 0u);
            if (detail)
                schedule_detail(c, o, ex[CM_F_SCHEDULE], b->detail, sizeof b->detail);
        }
    }
    /* Advisory (never makes a result ineligible): children under 12 and hours outside school
     * and after-school care, where AGEPI-type childcare aid applies. */
    if (c->children && (o->flags & CM__O_HAS_SCHEDULE) &&
        week_and_count(&o->week, &mask_atypical) > 0) {
        cm_barrier_t *b = add_barrier(m, CM_BARRIER_CHILDCARE, CM_LEVER_CHILDCARE_AID);
        if (detail) {
            char kinds[48] = "";
            size_t k = 0;
            const cm_week_t *ms[] = {&mask_early, &mask_late, &mask_night, &mask_weekend};
            const char *nm[] = {"early", "evening", "night", "weekend"};
            for (int i = 0; i < 4; i++) {
                if (week_and_count(&o->week, ms[i]) == 0)
                    continue;
                int w = snprintf(kinds + k, sizeof kinds - k, "%s%s", k ? "/" : "", nm[i]);
                if (w > 0 && (size_t)w < sizeof kinds - k)
                    k += (size_t)w;
            }
            snprintf(b->detail, sizeof b->detail,
                     "%s shifts outside school hours; %d child%s under 12%s", kinds,
                     (int)c->children, c->children > 1 ? "ren" : "",
                     (c->flags & CM__C_SOLO_PARENT) ? ", solo parent" : "");
        }
    }
    /* Advisory: a recognised disability and an offer open to adapted workstations. */
    if ((c->flags & CM__C_DISABILITY) && (o->flags & CM__O_ACCESSIBLE)) {
        cm_barrier_t *b = add_barrier(m, CM_BARRIER_DISABILITY, CM_LEVER_WORKPLACE_ADAPTATION);
        if (detail)
            snprintf(b->detail, sizeof b->detail,
                     "employer accessible to disabled workers: workplace adaptation possible");
    }

    /* Contract kind and hours. */
    bool cok = c->contracts == 0 || (c->contracts & (1u << o->contract));
    double hfit = 1.0;
    if (o->hours > 0 && c->hours_max > 0) {
        double d = o->hours < c->hours_min   ? c->hours_min - o->hours
                   : o->hours > c->hours_max ? o->hours - c->hours_max
                                             : 0.0;
        hfit = d >= cfg->hours_tolerance ? 0.0 : 1.0 - d / cfg->hours_tolerance;
    }
    ex[CM_F_CONTRACT] = cfg->contract_share * (cok ? 1.0 : 0.0) + (1 - cfg->contract_share) * hfit;

    ex[CM_F_EXPERIENCE] = c->experience >= cfg->experience_full_months
                              ? 1.0
                              : c->experience / cfg->experience_full_months;
    ex[CM_F_TEXT] = text < 0 ? 0 : text > 1 ? 1 : text;
    m->score = cm__score_total(cfg, ex);
}
