/* The scoring model: the scoring of one pair (factors, hard and
 * advisory barriers, levers, the near-miss gap) over the fields of score_fields.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carematch/referential.h"
#include "geo.h"
#include "score.h"
#include "sort_u32.h"
#include "week.h"

/* ---- Scoring ---- */

double cm__score_total(const cm__score_config_t *cfg, const double explain[CM_F__COUNT])
{
    double num = 0, den = 0;
    for (int f = 0; f < CM_F__COUNT; f++) {
        num += cfg->weight[f] * explain[f];
        den += cfg->weight[f];
    }
    return floor(num / den * 1000.0 + 0.5) / 10.0;
}

/* Room for every barrier a pair can have; should one more come, it lands in a scratch slot
 * (its effect on eligibility and gap is kept, its text is not shown). */
static _Thread_local cm_barrier_t scratch;

cm_barrier_t *cm__add_barrier(cm_match_t *m, int kind, int code, bool hard, unsigned levers)
{
    cm_barrier_t *b = m->n_barriers < CM_BARRIERS_MAX ? &m->barriers[m->n_barriers++] : &scratch;
    b->kind = kind;
    b->code = code;
    b->hard = hard;
    b->levers = levers;
    b->detail[0] = '\0';
    b->detail_fr[0] = '\0';
    b->missing[0] = '\0';
    b->minutes = b->limit = b->months = b->coverage = 0;
    b->days = 0;
    b->hours = 0;
    b->what = 0;
    if (hard)
        m->eligible = false;
    return b;
}

/* Does the person take this contract kind? The apprenticeship rule reads "contracts empty"
 * as "any" only for someone open to training. */
static bool takes_contract(const cm__cand_fields_t *c, unsigned contract, bool training_route)
{
    if (c->contracts)
        return c->contracts & (1u << contract);
    return !training_route || (c->flags & CM__C_TRAINING);
}

static bool apprenticeship(unsigned contract)
{
    return contract == CM_CONTRACT_APPRENTISSAGE || contract == CM_CONTRACT_PROFESSIONNALISATION;
}

/* Is one of the missing certifications (bits of cert indexes) a diploma the referential
 * knows (its canonical code, equivalences applied)? */
static bool missing_diploma(const cm__offer_fields_t *o, uint32_t missing)
{
    const char *name = o->cert_names;
    for (size_t j = 0; j < o->n_certs && j < 32; j++, name += strlen(name) + 1)
        if ((missing & (1u << j)) && cm_diploma_canon(name))
            return true;
    return false;
}

/* Certifications: required units (a cert alone, or a group of alternatives with a required
 * member), the missing ones as a bit set of cert indexes. */
/* Returns true when the pair is the apprenticeship route to a missing diploma. */
static bool certs_factor(const cm__score_config_t *cfg, const cm__cand_fields_t *c,
                         const cm__offer_fields_t *o, bool detail, cm_match_t *m)
{
    const uint32_t *ccerts = c->hash + c->n_skills;
    uint32_t held = 0, group_req = 0, group_held = 0, missing = 0;
    unsigned nreq = 0, hreq = 0, nopt = 0, hopt = 0;
    double *ex = m->explain;
    (void)cfg;
    for (size_t j = 0; j < o->n_certs; j++) {
        if (cm__has_u32(ccerts, c->n_certs, o->hash[o->n_skills + j]))
            held |= 1u << j;
        unsigned g = o->cert_group[j];
        if (g && (o->cert_required & (1u << j)))
            group_req |= 1u << (g % 32);
        if (g && (held & (1u << j)))
            group_held |= 1u << (g % 32);
    }
    uint32_t seen = 0;
    for (size_t j = 0; j < o->n_certs; j++) {
        unsigned g = o->cert_group[j];
        if (g && (group_req & (1u << (g % 32)))) {
            if (seen & (1u << (g % 32)))
                continue; /* the group counts once */
            seen |= 1u << (g % 32);
            nreq++;
            if (group_held & (1u << (g % 32)))
                hreq++;
            else
                for (size_t q = 0; q < o->n_certs; q++)
                    if (o->cert_group[q] == g)
                        missing |= 1u << q;
        } else if (o->cert_required & (1u << j)) {
            nreq++;
            hreq += (held >> j) & 1;
            if (!(held & (1u << j)))
                missing |= 1u << j;
        } else {
            nopt++;
            hopt += (held >> j) & 1;
        }
    }
    /* The diploma the law requires (DEAS for an aide-soignant) stays required when the offer
     * lists it among alternatives ("DEAS ou DEAES"): a DEAES holder meets the offer's group,
     * not the law. */
    for (size_t j = 0; j < o->n_certs; j++) {
        unsigned g = o->cert_group[j];
        if ((o->cert_regulated & (1u << j)) && !(held & (1u << j)) && g &&
            (group_held & (1u << (g % 32)))) {
            nreq++;
            missing |= 1u << j;
        }
    }
    /* In a group with a regulated member, the law's diploma is the one missing: "DEAS ou
     * DEAES" on an aide-soignant's post names the DEAS to someone holding neither (an
     * adviser's probe: "DEAS/DEAES" pointed at a DEAES that does not give the right). */
    for (size_t j = 0; j < o->n_certs && j < 32; j++) {
        unsigned g = o->cert_group[j];
        if (!g || !(missing & o->cert_regulated & (1u << j)))
            continue;
        for (size_t k = 0; k < o->n_certs && k < 32; k++)
            if (o->cert_group[k] == g && !(o->cert_regulated & (1u << k)))
                missing &= ~(1u << k);
    }
    bool route = apprenticeship(o->contract);
    if (hreq == nreq) {
        ex[CM_F_CERTS] = nopt ? 0.8 + 0.2 * hopt / nopt : 1.0;
        if (route && nreq > 0) {
            /* She already holds what the contract prepares: nothing to learn there, and no
             * apprenticeship contract is signed for a diploma already held (hard: eligible, it
             * ranked above every near-miss, her real jobs' included). */
            ex[CM_F_CERTS] = 0.0;
            cm__add_barrier(m, CM_BARRIER_APPRENTICESHIP, CM_BC_ALREADY_QUALIFIED, true, 0);
            m->gap += 1.0;
        }
        return false;
    }
    cm_barrier_t *b;
    bool on_route = route && takes_contract(c, o->contract, true);
    /* The contract is the way to the diploma even for someone who named other contracts,
     * when she is open to training (and does not hold to them, strict): the diploma is no
     * obstacle, the contract kind is a compromise to discuss (contract_factor says
     * contract_not_wanted, advisory). */
    bool route_offered = route && !on_route && c->contracts && (c->flags & CM__C_TRAINING) &&
                         !(c->strict & CM__STRICT_CONTRACTS);
    if (on_route || route_offered) {
        /* The legal route to the diploma: eligible, the adviser told which diploma it leads to. */
        ex[CM_F_CERTS] = 1.0;
        b = cm__add_barrier(m, CM_BARRIER_APPRENTICESHIP, CM_BC_APPRENTICESHIP_ROUTE, false, 0);
    } else {
        ex[CM_F_CERTS] = (double)hreq / nreq;
        unsigned lev = 0;
        /* A diploma the profession requires by law (DEAS, DEAP, DEI: 1,500 hours and more in
         * an institute, an apprenticeship or VAE) is lifted by no pre-hire training (POE, AFPR:
         * 400 hours at most) nor an immersion: no lever, the text says the way to it. Nor is
         * any diploma the referential knows that the offer asks for (DEAES, CAP AEPE, titre
         * pro ADVF: hundreds of hours of training, or VAE): only what is not one (a first-aid
         * certificate, an attestation, an employer's own code) is left to a pre-hire
         * training. An immersion shows the work; it certifies nothing (an adviser's probe: an
         * immersion offered for a missing SST). */
        bool regulated = (missing & o->cert_regulated) != 0;
        bool long_way = regulated || missing_diploma(o, missing);
        if (!long_way && (o->flags & CM__O_TRAINING) && (c->flags & CM__C_TRAINING))
            lev |= CM_LEVER_PRE_HIRE_TRAINING;
        b = cm__add_barrier(m, CM_BARRIER_CERTIFICATION,
                            regulated ? CM_BC_CERT_REGULATED : CM_BC_CERT_MISSING, true, lev);
        if (long_way)
            b->what = CM_CERT_DIPLOMA;
        /* on a work-study contract the contract itself is the way to it, if she will train
         * (her open_to_training unsaid or no): a prospect, nearer than a holder, who cannot
         * sign it at all (an adviser's probe: 8 of an apprenticeship's 9 near-misses were
         * holders, ahead of the one real prospect) */
        /* the law's diploma (a year and more of training) is the farthest: an employer
         * cannot hire without it (an adviser's probe: candidates without the DEAS came before
         * qualified aides-soignantes a day off or a few minutes too far) */
        m->gap += (nreq - hreq) * (lev & CM_LEVER_PRE_HIRE_TRAINING ? 0.6
                                   : route                          ? 0.5
                                   : regulated                      ? 2.0
                                                                    : 1.0);
    }
    b->limit = (int)(nreq - hreq);
    if (detail) { /* missing codes, comma-separated (a group written a/b, wherever its
                   * members sit in the offer's list) */
        const char *names[32];
        const char *name = o->cert_names;
        for (size_t j = 0; j < o->n_certs && j < 32; j++, name += strlen(name) + 1)
            names[j] = name;
        size_t len = 0;
        uint32_t done = 0;
        for (size_t j = 0; j < o->n_certs && j < 32; j++) {
            if (!(missing & (1u << j)) || (done & (1u << j)))
                continue;
            for (size_t k = j; k < o->n_certs && k < 32; k++) {
                if (!(missing & (1u << k)) || (done & (1u << k)) ||
                    (k != j && (!o->cert_group[j] || o->cert_group[k] != o->cert_group[j])))
                    continue;
                done |= 1u << k;
                int w = snprintf(b->missing + len, sizeof b->missing - len, "%s%s",
                                 len ? (k == j ? "," : "/") : "", names[k]);
                if (w < 0 || (size_t)w >= sizeof b->missing - len) {
                    b->missing[len] = '\0'; /* whole codes only */
                    j = o->n_certs;
                    break;
                }
                len += (size_t)w;
            }
        }
    }
    return on_route;
}

/* Hours: how far the offer's weekly hours fall outside her range (*d, hours) and their fit
 * (1 inside, falling to 0 at hours_tolerance outside; 1 when either side says none). */
static double hours_fit(const cm__score_config_t *cfg, const cm__cand_fields_t *c,
                        const cm__offer_fields_t *o, double *d)
{
    *d = 0.0;
    if (!(o->hours > 0 && c->hours_max > 0))
        return 1.0;
    *d = o->hours < c->hours_min   ? c->hours_min - o->hours
         : o->hours > c->hours_max ? o->hours - c->hours_max
                                   : 0.0;
    return *d >= cfg->hours_tolerance ? 0.0 : 1.0 - *d / cfg->hours_tolerance;
}

/* The gap strict hours d outside add. */
static double hours_gap(const cm__score_config_t *cfg, double d)
{
    return d >= cfg->hours_tolerance ? 1.0 : 0.1 + 0.9 * d / cfg->hours_tolerance;
}

/* Experience: the months the offer asks for (its own figure, else saturation), and the
 * factor (1 for an offer open to beginners, or training them before hiring: experience is no
 * edge there). */
static double xp_want(const cm__score_config_t *cfg, const cm__offer_fields_t *o)
{
    return o->xp_months > 0 ? o->xp_months : cfg->experience_full_months;
}

/* What meets the offer's demand: its months, or some experience when it gives no length. */
static double xp_need(const cm__score_config_t *cfg, const cm__offer_fields_t *o)
{
    return o->xp_months > 0 ? o->xp_months
                            : fmin(cfg->experience_unstated_months, cfg->experience_full_months);
}

static double xp_factor(const cm__cand_fields_t *c, const cm__offer_fields_t *o, double want)
{
    /* an employer who trains before hiring (POE, AFPR) and asks for no experience recruits
     * beginners (an adviser's probe: it cost a career changer 7 points against an immersion
     * offer saying "débutant accepté") */
    if (o->xp_level == CM__XP_BEGINNER ||
        (o->xp_level == CM__XP_UNSET && (o->flags & CM__O_TRAINING)))
        return 1.0;
    double f = c->experience >= want ? 1.0 : c->experience / want;
    /* an offer silent on experience is no less open than one asking for what she has (an
     * adviser's probe: 12 months held ranked it below "12 months required"): experience
     * still orders candidates there, a little */
    return o->xp_level == CM__XP_UNSET ? 0.9 + 0.1 * f : f;
}

double cm__score_bound(const cm__score_config_t *cfg, const cm__commute_t *r, uint16_t max_minutes,
                       double text_max, bool *eligible, double *gap)
{
    double ex[CM_F__COUNT];
    for (int f = 0; f < CM_F__COUNT; f++)
        ex[f] = 1.0;
    ex[CM_F_COMMUTE] = r->factor;
    ex[CM_F_TEXT] = text_max;
    *eligible = !r->hard;
    *gap = r->hard ? cm__commute_gap(max_minutes, r) : 0.0;
    return cm__score_total(cfg, ex);
}

double cm__score_bound_pair(const cm__score_config_t *cfg, const cm__cand_fields_t *c,
                            const cm__offer_fields_t *o, const cm__commute_t *rp, double text_max,
                            bool *eligible, double *gap)
{
    /* What cm__score_pair_km computes of these parts, in its order (the gap's terms are
     * added in the same order, each no more than the pair's own: the sum is no more than the
     * pair's, to the last bit); skills and certifications taken as perfect, the contract kind
     * as wanted (the apprenticeship route is the certifications'), the schedule's coverage
     * as its factor (a work pattern can only lower it). */
    double ex[CM_F__COUNT], g = 0.0;
    for (int f = 0; f < CM_F__COUNT; f++)
        ex[f] = 1.0;
    bool ok = true;
    ex[CM_F_COMMUTE] = rp->factor;
    if (rp->hard) {
        ok = false;
        g += cm__commute_gap(c->max_minutes, rp);
    }
    bool licence = c->flags & CM__C_LICENCE;
    if ((o->flags & CM__O_LICENCE) && !licence) {
        ok = false;
        g += 1.0;
    }
    if ((o->flags & CM__O_OWN_VEHICLE) && !cm__own_vehicle_ok(o->flags, c->modes, c->flags)) {
        ok = false;
        g += licence ? 0.8 : 1.5;
    }
    if ((c->flags & CM__C_HAS_AVAIL) && (o->flags & CM__O_HAS_SCHEDULE)) {
        double cov = (double)cm__week_and_count(&o->week, &c->week) / o->week_count;
        ex[CM_F_SCHEDULE] = cov;
        if (cov < cfg->schedule_min_coverage) {
            ok = false;
            g += 1.0 - cov;
        }
    }
    double d, hfit = hours_fit(cfg, c, o, &d);
    ex[CM_F_CONTRACT] = cfg->contract_share * 1.0 + (1 - cfg->contract_share) * hfit;
    if ((c->strict & CM__STRICT_HOURS) && d > 0) {
        ok = false;
        g += hours_gap(cfg, d);
    }
    ex[CM_F_EXPERIENCE] = xp_factor(c, o, xp_want(cfg, o));
    double need = xp_need(cfg, o);
    if (o->xp_level == CM__XP_REQUIRED && c->experience < need * cfg->experience_grace) {
        ok = false;
        g += (need - c->experience) / need;
    }
    ex[CM_F_TEXT] = text_max;
    *eligible = ok;
    *gap = g;
    return cm__score_total(cfg, ex);
}

/* Disability: restrictions against the job's demands and night work; the accessible note. */
static void disability_factor(const cm__cand_fields_t *c, const cm__offer_fields_t *o,
                              cm_match_t *m)
{
    unsigned clash = c->restrictions & o->demands &
                     (CM__RESTRICT_LIFTING | CM__RESTRICT_STANDING | CM__RESTRICT_HEARING);
    if (clash) {
        /* An adaptation (lifting aids, a seat, visual alarms) can lift a physical demand. */
        cm_barrier_t *b = cm__add_barrier(m, CM_BARRIER_DISABILITY, CM_BC_RESTRICTION, true,
                                          CM_LEVER_WORKPLACE_ADAPTATION);
        b->what = clash;
        m->gap += 0.5 * __builtin_popcount(clash);
    }
    bool no_night = (c->restrictions & CM__RESTRICT_NIGHT) &&
                    ((o->flags & CM__O_NIGHT_WORK) || (o->work_pattern & CM__WORK_NIGHT) != 0);
    if (no_night) {
        /* The night is the job itself: no adaptation lifts a medical no-night restriction. */
        cm_barrier_t *b =
            cm__add_barrier(m, CM_BARRIER_DISABILITY, CM_BC_RESTRICTION_NIGHT, true, 0);
        b->what = CM__RESTRICT_NIGHT;
        m->gap += 1.0;
    }
    /* no demand stated, one her restrictions forbid usual in the job: said, to check */
    unsigned likely = c->restrictions & o->usual_demands;
    if (likely) {
        cm_barrier_t *b = cm__add_barrier(m, CM_BARRIER_DISABILITY, CM_BC_RESTRICTION_LIKELY, false,
                                          CM_LEVER_WORKPLACE_ADAPTATION);
        b->what = likely;
    }
    /* no "an adaptation can be asked" beside a barrier that no adaptation lifts, nor twice */
    if ((c->flags & CM__C_DISABILITY) && (o->flags & CM__O_ACCESSIBLE) && !clash && !no_night &&
        !likely)
        cm__add_barrier(m, CM_BARRIER_DISABILITY, CM_BC_DISABILITY_ADAPTABLE, false,
                        CM_LEVER_WORKPLACE_ADAPTATION);
}

/* Contract kind and hours; strict wishes make a mismatch hard. */
#define CDD_UNSTATED_DAYS 90.0 /* a CDD whose length is not said, for a CDI seeker */

static void contract_factor(const cm__score_config_t *cfg, const cm__cand_fields_t *c,
                            const cm__offer_fields_t *o, bool route, cm_match_t *m)
{
    bool cok = route || c->contracts == 0 || (c->contracts & (1u << o->contract));
    double d, hfit = hours_fit(cfg, c, o, &d);
    /* a fixed term for someone who wants a CDI: the longer, the nearer (an adviser's probe:
     * a 30-day CDD tied with a 3-month one), a year and more at most 0.3; a length not said
     * is taken as three months (it ranked below a one-month CDD: an adviser's probe) */
    double kind = cok ? 1.0 : 0.0;
    if (!cok && o->contract == CM_CONTRACT_CDD && (c->contracts & (1u << CM_CONTRACT_CDI))) {
        double days = o->contract_days > 0 ? o->contract_days : CDD_UNSTATED_DAYS;
        kind = 0.3 * (days >= 365 ? 1.0 : days / 365.0);
    }
    m->explain[CM_F_CONTRACT] = cfg->contract_share * kind + (1 - cfg->contract_share) * hfit;
    bool short_h = o->hours > 0 && o->hours < c->hours_min;
    bool strict_h = (c->strict & CM__STRICT_HOURS) && d > 0;
    /* said when 10 hours off her range, or a quarter of the bound passed (12 hours against
     * her 20 minimum is a different job too) */
    double bound = short_h ? c->hours_min : c->hours_max;
    bool flag = d > 0 && (d >= cfg->hours_flag ||
                          (cfg->hours_flag_share > 0 && d >= cfg->hours_flag_share * bound));
    if (strict_h || flag) {
        cm_barrier_t *b = cm__add_barrier(
            m, CM_BARRIER_HOURS, short_h ? CM_BC_HOURS_SHORT : CM_BC_HOURS_OVER, strict_h, 0);
        b->hours = d;
        b->limit = (int)(short_h ? c->hours_min : c->hours_max);
        if (strict_h)
            m->gap += hours_gap(cfg, d);
    } else if ((c->strict & CM__STRICT_HOURS) && c->hours_max > 0 && o->hours <= 0) {
        /* her hours are firm and the offer gives none: to check, not a perfect fit (an
         * adviser's probe: an offer with no hours had a full contract factor) */
        cm_barrier_t *b = cm__add_barrier(m, CM_BARRIER_HOURS, CM_BC_HOURS_OVER, false, 0);
        b->what = CM_HOURS_UNSTATED;
        b->limit = (int)c->hours_max;
        m->explain[CM_F_CONTRACT] =
            cfg->contract_share * kind + (1 - cfg->contract_share) * 0.5; /* unknown: half */
    }
    if (!cok) {
        bool strict_c = c->strict & CM__STRICT_CONTRACTS;
        cm_barrier_t *b =
            cm__add_barrier(m, CM_BARRIER_CONTRACT, CM_BC_CONTRACT_UNWANTED, strict_c, 0);
        b->limit = o->contract_days;
        if (strict_c)
            m->gap += 1.0;
    }
}

/* Experience: the offer's demand when it states one, else saturation at experience_full_months. */
static void experience_factor(const cm__score_config_t *cfg, const cm__cand_fields_t *c,
                              const cm__offer_fields_t *o, cm_match_t *m)
{
    double *ex = m->explain;
    ex[CM_F_EXPERIENCE] = xp_factor(c, o, xp_want(cfg, o));
    double want = xp_need(cfg, o);
    if (o->xp_level < CM__XP_WANTED || c->experience >= want) /* beginners welcome, or met */
        return;
    bool required = o->xp_level == CM__XP_REQUIRED;
    /* most of what is asked (20 months of 24, experience_grace): proposed all the same, the
     * shortfall to discuss with the employer (an adviser's probe); most of what is only
     * wished is no word at all (a second probe: 23 months of 24 wished were flagged), the
     * factor says it */
    if (!required && c->experience >= want * cfg->experience_grace)
        return;
    bool close = required && c->experience >= want * cfg->experience_grace;
    bool hard = required && !close;
    unsigned lev = required && (o->flags & CM__O_IMMERSION) && (c->flags & CM__C_IMMERSION)
                       ? CM_LEVER_IMMERSION
                       : 0u;
    /* the employer's pre-hire training (a POE: up to 400 hours, part of them in the company)
     * brings a beginner to what it asks (an adviser's probe: no lever on a POE offer) */
    if (required && (o->flags & CM__O_TRAINING) && (c->flags & CM__C_TRAINING))
        lev |= CM_LEVER_PRE_HIRE_TRAINING;
    cm_barrier_t *b = cm__add_barrier(m, CM_BARRIER_EXPERIENCE, CM_BC_EXPERIENCE_SHORT, hard, lev);
    b->limit = o->xp_months; /* 0: no length stated */
    b->months = c->experience;
    b->what = close ? CM_EXPERIENCE_CLOSE : 0u;
    if (hard)
        m->gap += (want - c->experience) / want;
}

void cm__score_pair(const cm__score_config_t *cfg, const cm__cand_fields_t *c,
                    const cm__offer_fields_t *o, double text, bool detail, cm_match_t *m)
{
    cm__score_pair_km(cfg, c, o, cm__distance_km(c->loc, o->loc), text, detail, m);
}

void cm__score_pair_km(const cm__score_config_t *cfg, const cm__cand_fields_t *c,
                       const cm__offer_fields_t *o, double km, double text, bool detail,
                       cm_match_t *m)
{
    cm__commute_t r = cm__commute_eval(cfg, cm__commute_in(c, o), km);
    cm__score_pair_known(cfg, c, o, km, &r, text, detail, m);
}

void cm__score_pair_known(const cm__score_config_t *cfg, const cm__cand_fields_t *c,
                          const cm__offer_fields_t *o, double km, const cm__commute_t *r,
                          double text, bool detail, cm_match_t *m)
{
    const uint32_t *cskills = c->hash;
    double *ex = m->explain;
    m->n_barriers = 0;
    m->eligible = true;
    m->gap = 0.0;

    /* Skills: weighted coverage, required 2, optional 1 (a diploma's skills count as held). */
    if (o->n_skills == 0) {
        ex[CM_F_SKILLS] = 1.0;
    } else {
        unsigned tot = 0, got = 0, nreq = 0, hreq = 0;
        for (size_t i = 0; i < o->n_skills; i++) {
            bool req = (o->skill_required >> i) & 1;
            unsigned w = req ? 2u : 1u;
            bool held =
                (o->skill_dip[i] & c->diplomas) || cm__has_u32(cskills, c->n_skills, o->hash[i]);
            tot += w;
            got += held ? w : 0u;
            nreq += req;
            hreq += req && held;
        }
        /* Most required skills not held yet, and the employer trains before hiring or offers
         * an immersion she is open to: said, with that lever, and half of each missing
         * skill counted (a career changer's best offer ranked 15th, its skills at 0, with no
         * word of the training it offers: an adviser's probe) */
        unsigned lev =
            ((o->flags & CM__O_TRAINING) && (c->flags & CM__C_TRAINING) ? CM_LEVER_PRE_HIRE_TRAINING
                                                                        : 0u) |
            ((o->flags & CM__O_IMMERSION) && (c->flags & CM__C_IMMERSION) ? CM_LEVER_IMMERSION
                                                                          : 0u);
        double learnt = 0; /* half of what is missing, when it is to be learnt */
        if (lev && nreq && 2 * hreq < nreq) {
            learnt = (tot - got) / 2.0;
            cm_barrier_t *b =
                cm__add_barrier(m, CM_BARRIER_SKILLS, CM_BC_SKILLS_TO_LEARN, false, lev);
            b->limit = (int)nreq;
            b->months = (int)(nreq - hreq); /* the missing ones, for the sentence */
        }
        ex[CM_F_SKILLS] = (got + learnt) / tot;
    }
    bool route = certs_factor(cfg, c, o, detail, m);
    cm__commute_factor(cfg, c, r, km, o->work_pattern & CM__WORK_TWO_TRIPS ? 2u : 1u, m);
    cm__commute_hours(c, o, r, m);
    if (o->abroad) { /* a real post, not a French one: said (an adviser's probe) */
        cm_barrier_t *b = cm__add_barrier(m, CM_BARRIER_CERTIFICATION, CM_BC_JOB_ABROAD, false, 0);
        b->what = o->abroad;
    }
    bool licence = c->flags & CM__C_LICENCE;
    if ((o->flags & CM__O_LICENCE) && !licence) {
        /* the licence itself is the lever (its funding); a mobility aid moves her, it does
         * not give her the right to drive */
        cm__add_barrier(m, CM_BARRIER_LICENCE, CM_BC_LICENCE_MISSING, true,
                        CM_LEVER_DRIVING_LICENCE_FUNDING);
        m->gap += 1.0;
    }
    if ((o->flags & CM__O_OWN_VEHICLE) && !cm__own_vehicle_ok(o->flags, c->modes, c->flags)) {
        /* Her own car for the rounds: none (or no licence to drive it). */
        cm__add_barrier(m, CM_BARRIER_VEHICLE, CM_BC_VEHICLE_MISSING, true,
                        CM_LEVER_MOBILITY_AID | (licence ? 0u : CM_LEVER_DRIVING_LICENCE_FUNDING));
        m->gap += licence ? 0.8 : 1.5;
    }
    /* a solo parent's day holds her journey, but no more of it than she would take: past
     * her limit the commute is its own barrier (an adviser's probe: a 270-minute walk asked
     * for five hours of childcare) */
    double wall =
        c->limit_assumed ? 2.0 * c->max_minutes : c->max_minutes * (1 + cfg->commute_grace);
    cm__score_schedule(cfg, c, o, r->best >= 0 ? (int)fmin(r->minutes, floor(wall)) : 0, m);
    cm__score_childcare(c, o, m);
    disability_factor(c, o, m);
    contract_factor(cfg, c, o, route, m);
    experience_factor(cfg, c, o, m);
    ex[CM_F_TEXT] = text < 0 ? 0 : text > 1 ? 1 : text;
    m->score = cm__score_total(cfg, ex);
    /* Restrictions and an offer that does not say it is open to disabled workers: the ones
     * that do come first (an adviser's probe). Only lowers a score: every bound holds. */
    /* without restrictions too, a third of it: the employers who say so come first among
     * equals (an adviser's probe: an RQTH holder saw them tie, in id order) */
    if ((c->flags & CM__C_DISABILITY) && !(o->flags & CM__O_ACCESSIBLE) && cfg->access_penalty > 0)
        m->score =
            floor(m->score *
                      (1.0 - (c->restrictions ? cfg->access_penalty : cfg->access_penalty / 3.0)) *
                      10.0 +
                  0.5) /
            10.0;
    /* the hard ones first, each side in its order: a screen showing a near-miss's first line
     * shows what keeps it out, not a note "à vérifier" (an adviser's probe); a hard one after
     * a note moves up past the notes (rare: most pairs have a barrier or none) */
    for (size_t i = 1; i < m->n_barriers; i++) {
        if (!m->barriers[i].hard || m->barriers[i - 1].hard)
            continue;
        size_t j = i;
        while (j > 0 && !m->barriers[j - 1].hard)
            j--;
        cm_barrier_t h = m->barriers[i];
        memmove(&m->barriers[j + 1], &m->barriers[j], (i - j) * sizeof h);
        m->barriers[j] = h;
    }
    if (detail)
        for (size_t i = 0; i < m->n_barriers; i++)
            cm__barrier_explain(c, o, m, &m->barriers[i]);
}
