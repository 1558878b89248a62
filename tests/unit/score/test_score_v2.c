/* Matching v2 (issue #14): one test per point of the scoring model, each failing on the v1
 * model: apprenticeship route, days and times never worked, hours and contract, own vehicle,
 * restrictions, diploma skills, commute, experience asked, and barrier codes with numbers and
 * French details. (Points 9-11, ranking and status, are in tests/unit/match.) */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "carematch/referential.h"
#include "fixtures.h"
#include "pair.h"
#include "score.h"
#include "test.h"

/* 1. An apprenticeship is the route to the regulated diploma: eligible for the person who
 * takes that contract, flagged; ranked low for one who already holds the diploma. */
static void test_apprenticeship(void)
{
    cm_candidate_t c = mk_cand("c1", paris);
    cm_offer_t o = mk_offer("o1", "J1501", paris); /* aide-soignant: DEAS by law */
    o.contract = CM_CONTRACT_APPRENTISSAGE;
    c.contracts = 1u << CM_CONTRACT_APPRENTISSAGE;
    cm_match_t m = pair(&c, &o);
    ASSERT(m.eligible);
    const cm_barrier_t *b = find_code(&m, CM_BC_APPRENTICESHIP_ROUTE);
    ASSERT(b && !b->hard && b->kind == CM_BARRIER_APPRENTICESHIP);
    ASSERT_STREQ(b->missing, "DEAS");
    ASSERT(strstr(b->detail_fr, "DEAS"));
    ASSERT(strstr(b->detail_fr, "Contrat d'apprentissage :")); /* not "Contrat en apprentissage" */
    /* records hold no age: the apprenticeship's rule is said (an adviser's probe) */
    ASSERT(strstr(b->detail_fr, "(en principe avant 30 ans, sans limite avec une RQTH ; sinon un "
                                "contrat de professionnalisation)."));
    ASSERT(!find_kind(&m, CM_BARRIER_CERTIFICATION));
    /* Any contract and open to training: the route too. Not open to training: the diploma is
     * missing, as before. */
    c.contracts = 0;
    c.open_to_training = true;
    ASSERT(pair(&c, &o).eligible);
    c.open_to_training = false;
    m = pair(&c, &o);
    ASSERT(!m.eligible);
    ASSERT(find_code(&m, CM_BC_CERT_REGULATED));
    /* She asked for a CDI only: the apprenticeship is still the way to the DEAS she lacks
     * (an adviser's probe: it was a near-miss saying "it is obtained by apprenticeship"); the
     * contract kind is the compromise to discuss, advisory. Held strict, the contract is hard. */
    c.contracts = 1u << CM_CONTRACT_CDI;
    c.open_to_training = true;
    m = pair(&c, &o);
    ASSERT(m.eligible);
    ASSERT(find_code(&m, CM_BC_APPRENTICESHIP_ROUTE) && !find_kind(&m, CM_BARRIER_CERTIFICATION));
    b = find_code(&m, CM_BC_CONTRACT_UNWANTED);
    ASSERT(b && !b->hard);
    ASSERT(m.explain[CM_F_CONTRACT] < 0.75);
    c.strict = CM_STRICT_CONTRACTS;
    m = pair(&c, &o);
    ASSERT(!m.eligible && find_code(&m, CM_BC_CONTRACT_UNWANTED)->hard);
    ASSERT(find_code(&m, CM_BC_CERT_REGULATED));
    c.strict = 0;
    c.open_to_training = false; /* no training wanted: no route either */
    ASSERT(find_code((m = pair(&c, &o), &m), CM_BC_CERT_REGULATED) && !m.eligible);
    {
        /* yet a prospect, nearer than a holder, who can sign no apprenticeship for a diploma
         * held (an adviser's probe: 8 of 9 near-misses were holders, ahead of the prospect) */
        cm_candidate_t h = c;
        const char *held[] = {"DEAS"};
        h.certs = held;
        h.n_certs = 1;
        cm_match_t hm = pair(&h, &o);
        ASSERT(find_code(&hm, CM_BC_ALREADY_QUALIFIED) && m.gap < hm.gap);
    }
    /* Professionalisation works the same. A CDI with a DEAS required stays ineligible. */
    c.contracts = 1u << CM_CONTRACT_PROFESSIONNALISATION;
    o.contract = CM_CONTRACT_PROFESSIONNALISATION;
    ASSERT(pair(&c, &o).eligible);
    o.contract = CM_CONTRACT_CDI;
    ASSERT(!pair(&c, &o).eligible);
    /* She has held the DEAS for years: no apprenticeship is signed for a diploma held, so the
     * contract is a near-miss (it was eligible, above her real jobs' near-misses), with no
     * lever, and scores well below the same job on a normal contract. */
    const char *deas[] = {"DEAS"};
    c.certs = deas;
    c.n_certs = 1;
    c.contracts = 0;
    double cdi = pair(&c, &o).score;
    o.contract = CM_CONTRACT_APPRENTISSAGE;
    m = pair(&c, &o);
    ASSERT(!m.eligible);
    b = find_code(&m, CM_BC_ALREADY_QUALIFIED);
    ASSERT(b && b->hard && b->levers == 0);
    ASSERT(strstr(b->detail_fr, "préparant au diplôme DEAS, que la personne a déjà"));
    ASSERT(m.score <= cdi - 15);
    /* a DEAVS (counted as the DEAES) on a titre pro ADVF's professionalisation: she does not
     * hold the ADVF, her diploma counts for it (an adviser's probe) */
    cm_offer_t advf = mk_offer("o2", "K1302", paris);
    cm_cert_req_t tp[] = {{"TP_ADVF", true, 0}};
    advf.certs = tp;
    advf.n_certs = 1;
    advf.contract = CM_CONTRACT_PROFESSIONNALISATION;
    const char *deavs[] = {"DEAVS"};
    c.certs = deavs;
    m = pair(&c, &advf);
    b = find_code(&m, CM_BC_ALREADY_QUALIFIED);
    ASSERT(b && b->hard);
    ASSERT(strstr(b->detail_fr, "ou un diplôme qui en tient lieu"));
    ASSERT(!strstr(b->detail_fr, "que la personne a déjà"));
}

/* 1b. A diploma required by law is lifted by no pre-hire training nor immersion (an adviser's
 * review: a POE of 400 hours gives no DEAS); another missing diploma still is. */
static void test_regulated_levers(void)
{
    cm_candidate_t c = mk_cand("c1", paris);
    cm_offer_t o = mk_offer("o1", "J1501", paris);
    o.contract = CM_CONTRACT_CDI;
    o.pre_hire_training = true;
    o.immersion_possible = true;
    c.open_to_training = true;
    c.open_to_immersion = true;
    cm_match_t m = pair(&c, &o);
    ASSERT(!m.eligible);
    const cm_barrier_t *b = find_code(&m, CM_BC_CERT_REGULATED);
    ASSERT(b && b->hard && b->levers == 0);
    /* VAE validates experience: named to someone who has some (an adviser's probe: told to
     * a 17-year-old with none); a DEAES holder's DEAS training is shortened */
    ASSERT(!strstr(b->detail_fr, "VAE"));
    ASSERT(strstr(b->detail_fr, "formation qualifiante"));
    c.experience_months = 24;
    m = pair(&c, &o);
    b = find_code(&m, CM_BC_CERT_REGULATED);
    ASSERT(b && strstr(b->detail_fr, "VAE") && !strstr(b->detail_fr, "allégée"));
    /* a year or more: the VAE named first (an adviser's probe: after the institute) */
    ASSERT(strstr(b->detail_fr, "avec 2 ans d'expérience, la VAE (validation des acquis de "
                                "l'expérience) est sa voie la plus directe, sinon une formation "
                                "qualifiante"));
    c.experience_months = 6;
    m = pair(&c, &o);
    b = find_code(&m, CM_BC_CERT_REGULATED);
    ASSERT(b && strstr(b->detail_fr, "formation qualifiante (institut, apprentissage) ou la VAE"));
    {
        /* the same for a diploma the offer asks for */
        cm_offer_t k = mk_offer("o-aes", "K1302", paris);
        cm_cert_req_t dip[] = {{"DEAES", true, 0}};
        k.certs = dip;
        k.n_certs = 1;
        c.experience_months = 30;
        cm_match_t mk = pair(&c, &k);
        const cm_barrier_t *bk = find_code(&mk, CM_BC_CERT_MISSING);
        ASSERT(bk && strstr(bk->detail_fr, "avec 2 ans et 6 mois d'expérience, la VAE"));
    }
    c.experience_months = 24;
    {
        /* no VAE gives the nurse's DEI (an adviser's probe); an aide-soignante of 3 years has
         * her own way into the IFSI */
        cm_offer_t ide = mk_offer("o-ide", "J1506", paris);
        cm_match_t mi = pair(&c, &ide);
        const cm_barrier_t *bi = find_code(&mi, CM_BC_CERT_REGULATED);
        ASSERT(bi && strstr(bi->detail_fr, "IFSI), pas par la VAE") &&
               !strstr(bi->detail_fr, "ou la VAE"));
        const char *as[] = {"DEAS"};
        c.certs = as;
        c.n_certs = 1;
        c.experience_months = 36;
        mi = pair(&c, &ide);
        bi = find_code(&mi, CM_BC_CERT_REGULATED);
        ASSERT(bi && strstr(bi->detail_fr, "de 3 ans d'expérience, la personne peut y entrer"));
        c.certs = NULL;
        c.n_certs = 0;
        c.experience_months = 24;
        /* an agrément is no diploma: no institute, apprenticeship nor VAE */
        cm_offer_t am = mk_offer("o-am", "K1310", paris);
        mi = pair(&c, &am);
        bi = find_code(&mi, CM_BC_CERT_REGULATED);
        ASSERT(bi && strstr(bi->detail_fr, "Agrément obligatoire pour exercer") &&
               strstr(bi->detail_fr, "Conseil départemental (PMI)") &&
               !strstr(bi->detail_fr, "AGREMENT"));
        /* the apprenticeship itself for someone not (yet) open to training: the contract is
         * the way, not "by apprenticeship" */
        cm_offer_t ap = mk_offer("o-ap", "J1501", paris);
        ap.contract = CM_CONTRACT_APPRENTISSAGE;
        c.open_to_training = false;
        mi = pair(&c, &ap);
        c.open_to_training = true;
        bi = find_code(&mi, CM_BC_CERT_REGULATED);
        ASSERT(bi && strstr(bi->detail_fr, "ce contrat d'apprentissage y mène : à proposer si "
                                           "elle est prête à se former."));
    }
    const char *aes[] = {"DEAMP"};
    c.certs = aes;
    c.n_certs = 1;
    m = pair(&c, &o);
    b = find_code(&m, CM_BC_CERT_REGULATED);
    /* a DEAMP holder is not told of a DEAES she does not have (an adviser's probe) */
    ASSERT(b && strstr(b->detail_fr, "avec son DEAES (ou un diplôme qui en tient lieu), la "
                                     "formation d'aide-soignant est allégée"));
    c.certs = NULL;
    c.n_certs = 0;
    c.experience_months = 0;
    /* the same offer in home care (no diploma by law), a DEAES required: not the law's, but a
     * diploma all the same (1,400 hours, or VAE): no lever either (a second adviser's review,
     * 2026-12), and the sentence says the way */
    cm_offer_t h = mk_offer("o2", "K1306", paris);
    cm_cert_req_t deaes[] = {{"DEAES", true, 0}};
    h.certs = deaes;
    h.n_certs = 1;
    h.pre_hire_training = true;
    h.immersion_possible = true;
    m = pair(&c, &h);
    b = find_code(&m, CM_BC_CERT_MISSING);
    ASSERT(b && b->hard && b->levers == 0 && b->what == CM_CERT_DIPLOMA);
    /* the employer's pre-hire training is a way to ask about, not contradicted (an adviser's
     * probe) */
    ASSERT(strstr(b->detail_fr, "L'employeur propose une formation avant l'embauche : elle ne le "
                                "donne pas seule ; à voir avec lui si elle ouvre sur un contrat "
                                "de professionnalisation qui le prépare (sinon formation "
                                "qualifiante ou VAE)."));
    ASSERT(strstr(b->detail, "DEAES required"));
    h.pre_hire_training = false; /* none offered: the ways to it */
    m = pair(&c, &h);
    b = find_code(&m, CM_BC_CERT_MISSING);
    ASSERT(strstr(b->detail_fr, "VAE") && strstr(b->detail_fr, "pas par une formation avant"));
    ASSERT(!strstr(b->detail_fr, "Avec son DEAS"));
    const char *as[] = {"DEAS"}; /* a DEAS holder's DEAES training is shortened too */
    c.certs = as;
    c.n_certs = 1;
    m = pair(&c, &h);
    b = find_code(&m, CM_BC_CERT_MISSING);
    ASSERT(b && strstr(b->detail_fr, "Avec son DEAS, la formation d'AES est allégée."));
    cm_cert_req_t deaes_sst[] = {{"DEAES", true, 0}, {"SST", true, 0}}; /* all of it said */
    h.certs = deaes_sst;
    h.n_certs = 2;
    m = pair(&c, &h);
    b = find_code(&m, CM_BC_CERT_MISSING);
    ASSERT(b && strstr(b->detail_fr, "allégée. Certification exigée aussi : SST, une formation "
                                     "courte."));
    h.certs = deaes;
    h.n_certs = 1;
    c.certs = NULL;
    c.n_certs = 0;
    h.pre_hire_training = true;
    /* its former name, as a CV or an offer still writes it, is the same diploma */
    cm_cert_req_t deavs[] = {{"DE AVS", true, 0}};
    h.certs = deavs;
    m = pair(&c, &h);
    b = find_code(&m, CM_BC_CERT_MISSING);
    ASSERT(b && b->levers == 0);
    /* what no diploma is (a first-aid certificate, the employer's own code): a pre-hire
     * training (an immersion certifies nothing), the gap of a requirement it lifts */
    cm_cert_req_t sst[] = {{"SST", true, 0}};
    h.certs = sst;
    m = pair(&c, &h);
    b = find_code(&m, CM_BC_CERT_MISSING);
    ASSERT(b && b->levers == CM_LEVER_PRE_HIRE_TRAINING && b->what == 0);
    ASSERT(!strstr(b->detail_fr, "VAE"));
    double gap_short = m.gap;
    h.certs = deaes;
    m = pair(&c, &h);
    ASSERT(m.gap > gap_short);
}

/* 2. Days and times never worked are hard. */
static void test_days_off(void)
{
    cm_candidate_t c = mk_cand("c1", paris);
    cm_offer_t o = mk_offer("o1", "K1311", paris);
    /* Never on Sundays; the rota works every day, Sunday a small share of the hours. */
    cm_window_t avail[] = {{0x3f, HM(7, 0), HM(21, 0)}};
    cm_window_t rota[] = {{0x3f, HM(8, 0), HM(15, 0)}, {1u << 6, HM(8, 0), HM(12, 0)}};
    c.availability = avail;
    c.n_availability = 1;
    o.schedule = rota;
    o.n_schedule = 2;
    cm_match_t m = pair(&c, &o);
    ASSERT(m.explain[CM_F_SCHEDULE] > 0.85); /* v1 took that share as the whole answer */
    ASSERT(!m.eligible);
    const cm_barrier_t *b = find_code(&m, CM_BC_SCHEDULE_DAY_OFF);
    ASSERT(b && b->kind == CM_BARRIER_SCHEDULE && b->hard);
    ASSERT_EQ(b->days, 1u << 6);
    ASSERT_EQ(b->levers, 0);
    ASSERT(strstr(b->detail_fr, "dimanche"));
    /* With young children the lever is childcare aid. */
    c.has_childcare = true;
    c.children_under_12 = 1;
    m = pair(&c, &o);
    ASSERT_EQ(find_code(&m, CM_BC_SCHEDULE_DAY_OFF)->levers, CM_LEVER_CHILDCARE_AID);

    /* A solo mother's day ends at 16:30; the job ends at 17:30: 88% of the hours are inside,
     * v1 said eligible with no flag. */
    cm_window_t school[] = {{DAYS_WEEK, HM(8, 30), HM(16, 30)}};
    cm_window_t job[] = {{DAYS_WEEK, HM(9, 0), HM(17, 30)}};
    c.availability = school;
    o.schedule = job;
    o.n_schedule = 1;
    c.solo_parent = true;
    m = pair(&c, &o);
    ASSERT(!m.eligible);
    b = find_code(&m, CM_BC_SCHEDULE_ENDS_LATE);
    ASSERT(b && b->hard);
    ASSERT_EQ(b->minutes, 60);
    ASSERT_EQ(b->levers, CM_LEVER_CHILDCARE_AID);
    ASSERT(strstr(b->detail_fr, "jusqu'à 1 h après"));
    /* Not alone: the same job is a compromise on the schedule, eligible. */
    c.solo_parent = false;
    ASSERT(pair(&c, &o).eligible);

    /* Coverage above 0.5 no longer passes: the threshold is 0.75. */
    cm_window_t half[] = {{DAYS_WEEK, HM(9, 0), HM(14, 0)}};
    cm_window_t nine[] = {{DAYS_WEEK, HM(9, 0), HM(18, 0)}};
    c.availability = half;
    o.schedule = nine;
    m = pair(&c, &o);
    ASSERT_NEAR(m.explain[CM_F_SCHEDULE], 10.0 / 18, 1e-12);
    ASSERT(!m.eligible);
    b = find_code(&m, CM_BC_SCHEDULE_COVERAGE);
    ASSERT(b && b->coverage == 56);

    /* No windows, "night" work pattern: against day-only availability. */
    o.schedule = NULL;
    o.n_schedule = 0;
    o.work_pattern = CM_WORK_NIGHT;
    c.availability = school;
    m = pair(&c, &o);
    ASSERT(!m.eligible);
    ASSERT(find_code(&m, CM_BC_SCHEDULE_PATTERN));
    o.work_pattern = CM_WORK_WEEKEND;
    m = pair(&c, &o);
    b = find_code(&m, CM_BC_SCHEDULE_PATTERN);
    ASSERT(b && b->days == 0x60);
    o.work_pattern = CM_WORK_DAY;
    ASSERT(pair(&c, &o).eligible);
}

/* 3. Hours and contract type weigh; strict wishes are hard. */
static void test_hours_contract(void)
{
    cm_candidate_t c = mk_cand("c1", paris);
    c.contracts = 1u << CM_CONTRACT_CDI;
    c.hours_min = 24;
    c.hours_max = 35;
    /* A two-month CDD next door against a CDI at 70% of the commute limit: the CDI first. */
    cm_offer_t cdd = mk_offer("o1", "K1311", paris);
    cdd.contract = CM_CONTRACT_CDD;
    cdd.contract_days = 60;
    cdd.hours_per_week = 30;
    double t = 0.7 * 45 - 8; /* transit minutes of riding */
    cm_offer_t cdi = mk_offer("o2", "K1311", geo_east(48.8566, 2.3522, t / 60 * 18 / 1.4));
    cdi.hours_per_week = 30;
    cm_match_t a = pair(&c, &cdd), b = pair(&c, &cdi);
    ASSERT(a.eligible && b.eligible);
    ASSERT(b.score > a.score);
    const cm_barrier_t *bc = find_code(&a, CM_BC_CONTRACT_UNWANTED);
    ASSERT(bc && !bc->hard && bc->limit == 60);
    ASSERT(strstr(bc->detail_fr, "Un CDD de 2 mois : pas un contrat"));
    /* lengths as contracts say them (an adviser's probe: "CDD de 1 jours", "de 365 jours") */
    static const struct {
        int days;
        const char *fr, *en;
    } lengths[] = {
        {1, "CDD d'un jour", "(1 day)"},      {21, "CDD de 3 semaines", "(21 days)"},
        {365, "CDD d'un an", "(365 days)"},   {730, "CDD de 2 ans", "(730 days)"},
        {45, "CDD de 45 jours", "(45 days)"}, {200, "CDD d'environ 7 mois", "(200 days)"},
        {30, "CDD d'un mois", "(30 days)"},   {28, "CDD de 4 semaines", "(28 days)"}};
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
        cm_offer_t l = cdd;
        l.contract_days = lengths[i].days;
        cm_match_t x = pair(&c, &l);
        bc = find_code(&x, CM_BC_CONTRACT_UNWANTED);
        if (!bc || !strstr(bc->detail_fr, lengths[i].fr) || !strstr(bc->detail, lengths[i].en))
            CM_FAIL_("%d days: %s / %s", lengths[i].days, bc ? bc->detail_fr : "-",
                     bc ? bc->detail : "-");
    }
    /* 10 hours short of the minimum: at least 7 points, and said. */
    cm_offer_t shortj = cdi;
    shortj.loc = paris;
    cm_offer_t full = shortj;
    shortj.hours_per_week = 14;
    full.hours_per_week = 30;
    a = pair(&c, &shortj);
    b = pair(&c, &full);
    ASSERT(b.score - a.score >= 7.0);
    bc = find_code(&a, CM_BC_HOURS_SHORT);
    ASSERT(bc && !bc->hard);
    ASSERT_NEAR(bc->hours, 10, 0);
    ASSERT_EQ(bc->limit, 24);
    /* Under 10 hours off, but a quarter of her bound (an adviser's probe: 12 hours against
     * her 20 minimum went unsaid): said too; 3 hours short of 24 is not. */
    shortj.hours_per_week = 17; /* 7 short of 24: over 6, a quarter */
    ASSERT(find_code((a = pair(&c, &shortj), &a), CM_BC_HOURS_SHORT) != NULL);
    shortj.hours_per_week = 21;
    ASSERT(!find_code((a = pair(&c, &shortj), &a), CM_BC_HOURS_SHORT));
    cfg.hours_flag_share = 0; /* off: 10 hours, as before */
    shortj.hours_per_week = 17;
    ASSERT(!find_code((a = pair(&c, &shortj), &a), CM_BC_HOURS_SHORT));
    cfg_defaults(&cfg);
    /* Strict: any hours outside the range, any other contract, are hard barriers. */
    c.strict = CM_STRICT_HOURS;
    shortj.hours_per_week = 22;
    a = pair(&c, &shortj);
    ASSERT(!a.eligible);
    ASSERT(find_code(&a, CM_BC_HOURS_SHORT)->hard);
    c.strict = CM_STRICT_CONTRACTS;
    ASSERT(pair(&c, &shortj).eligible);
    a = pair(&c, &cdd);
    ASSERT(!a.eligible);
    ASSERT(find_code(&a, CM_BC_CONTRACT_UNWANTED)->hard);
}

/* 4. Rural home care: her own car. */
static void test_own_vehicle(void)
{
    cm_candidate_t c = mk_cand("c1", paris);
    cm_offer_t o = mk_offer("o1", "K1304", paris);
    o.vehicle_required = true;
    c.driving_licence = true;
    cm_match_t m = pair(&c, &o);
    ASSERT(!m.eligible);
    const cm_barrier_t *b = find_kind(&m, CM_BARRIER_VEHICLE);
    ASSERT(b && b->code == CM_BC_VEHICLE_MISSING);
    ASSERT_EQ(b->levers, CM_LEVER_MOBILITY_AID);
    c.driving_licence = false;
    m = pair(&c, &o);
    ASSERT_EQ(find_kind(&m, CM_BARRIER_VEHICLE)->levers,
              CM_LEVER_MOBILITY_AID | CM_LEVER_DRIVING_LICENCE_FUNDING);
    /* 15 km out in the country, by bike and bus: reached by car, the trip the vehicle would
     * open; the vehicle is the one barrier (an adviser's probe: "1 h 13 à vélo" first, and the
     * licence holder behind the one with neither) */
    {
        cm_candidate_t r = c;
        cm_offer_t ro = o;
        r.loc = geo_east(45.7772, 3.0870, 0);
        ro.loc = geo_east(45.7772, 3.0870, 15.0);
        r.modes = CM_MODE_BIKE | CM_MODE_TRANSIT;
        r.max_minutes = 30;
        r.driving_licence = true;
        cm_match_t with = pair(&r, &ro);
        ASSERT(!with.eligible && with.commute_mode == CM_MODE_CAR && with.commute_minutes <= 30);
        ASSERT(!find_kind(&with, CM_BARRIER_COMMUTE) && find_kind(&with, CM_BARRIER_VEHICLE));
        r.driving_licence = false;
        cm_match_t without = pair(&r, &ro);
        ASSERT(without.gap > with.gap);
    }
    c.driving_licence = true;
    c.vehicle = true;
    ASSERT(pair(&c, &o).eligible);
    /* The rounds' car, provided: no car of her own needed, but the licence is, whether the
     * offer says so or not (France Travail's import writes both; a portal's PUT may not) */
    o.vehicle_required = false;
    o.vehicle_provided = true;
    o.driving_licence_required = false;
    c.vehicle = false;
    ASSERT(pair(&c, &o).eligible);
    c.driving_licence = false;
    m = pair(&c, &o);
    ASSERT(!m.eligible);
    b = find_code(&m, CM_BC_LICENCE_MISSING);
    ASSERT(b && b->hard && b->levers == CM_LEVER_DRIVING_LICENCE_FUNDING);
    ASSERT(strstr(b->detail_fr, "fournit un véhicule à conduire"));
    ASSERT(!find_kind(&m, CM_BARRIER_VEHICLE));
}

/* 5. Restrictions against physical demands and night work. */
static void test_restrictions(void)
{
    cm_candidate_t c = mk_cand("c1", paris);
    cm_offer_t o = mk_offer("o1", "J1501", paris);
    const char *deas[] = {"DEAS"};
    c.certs = deas;
    c.n_certs = 1;
    c.disability_recognised = true;
    c.restrictions = CM_RESTRICT_LIFTING;
    o.demands = CM_DEMAND_LIFTING | CM_DEMAND_STANDING;
    o.accessible_to_disabled_workers = true;
    cm_match_t m = pair(&c, &o);
    ASSERT(!m.eligible);
    const cm_barrier_t *b = find_code(&m, CM_BC_RESTRICTION);
    ASSERT(b && b->kind == CM_BARRIER_DISABILITY);
    ASSERT_EQ(b->what, CM_RESTRICT_LIFTING);
    ASSERT_EQ(b->levers, CM_LEVER_WORKPLACE_ADAPTATION);
    ASSERT(strstr(b->detail_fr, "port de charges ou des transferts, ce que ses restrictions de "
                                "travail ne permettent pas"));
    /* what her restriction rules out, whatever it names (two adviser's probes: "une station
     * debout prolongée, contre-indiqué"; "une bonne audition ..., contre-indiquée pour la
     * personne" said she must not hear well) */
    c.restrictions = CM_RESTRICT_STANDING;
    m = pair(&c, &o);
    b = find_code(&m, CM_BC_RESTRICTION);
    ASSERT(b && strstr(b->detail_fr, "une station debout prolongée, ce que ses restrictions"));
    c.restrictions = CM_RESTRICT_STANDING | CM_RESTRICT_HEARING;
    o.demands = CM_DEMAND_STANDING | CM_DEMAND_HEARING;
    m = pair(&c, &o);
    b = find_code(&m, CM_BC_RESTRICTION);
    ASSERT(b && !strstr(b->detail_fr, "contre-indiqu") &&
           strstr(b->detail_fr, "(alarmes visuelles ou vibrantes, téléphone amplifié)."));
    c.restrictions = CM_RESTRICT_LIFTING | CM_RESTRICT_STANDING;
    o.demands = CM_DEMAND_LIFTING | CM_DEMAND_STANDING;
    m = pair(&c, &o);
    b = find_code(&m, CM_BC_RESTRICTION);
    ASSERT(b && strstr(b->detail_fr, "prolongée, ce que ses restrictions de travail ne "
                                     "permettent pas : aménagement de poste à étudier."));
    /* No demand stated: an aide-soignant's usual transfers against a no-lifting restriction
     * are said, advisory, with the adaptation lever, instead of the "open" note (an adviser's
     * probe: home care passed her with no word); the score does not move */
    c.restrictions = CM_RESTRICT_LIFTING;
    o.demands = 0;
    m = pair(&c, &o);
    b = find_code(&m, CM_BC_RESTRICTION_LIKELY);
    ASSERT(m.eligible && b && !b->hard && b->what == CM_RESTRICT_LIFTING);
    ASSERT_EQ(b->levers, CM_LEVER_WORKPLACE_ADAPTATION);
    ASSERT(strstr(b->detail_fr, "ce métier demande d'ordinaire du port de charges ou des "
                                "transferts, ce que ses restrictions de travail ne permettent "
                                "pas : à vérifier"));
    ASSERT(!find_code(&m, CM_BC_DISABILITY_ADAPTABLE));
    double likely_score = m.score;
    c.restrictions = 0;
    ASSERT(pair(&c, &o).score == likely_score);
    c.restrictions = CM_RESTRICT_LIFTING;
    o.demands = CM_DEMAND_STANDING; /* the offer states its demands: they are what counts */
    m = pair(&c, &o);
    ASSERT(m.eligible && !find_code(&m, CM_BC_RESTRICTION_LIKELY));
    o.demands = 0;
    cm_offer_t social = mk_offer("o2", "K1201", paris); /* a social worker's job: none usual */
    social.accessible_to_disabled_workers = true;
    ASSERT(!has_code(pair(&c, &social), CM_BC_RESTRICTION_LIKELY));
    cm_offer_t home = mk_offer("o3", "K1302", paris);
    ASSERT(has_code(pair(&c, &home), CM_BC_RESTRICTION_LIKELY));
    /* Night restriction: a night rota is excluded, no lever lifts it. */
    cm_window_t nights[] = {{DAYS_WEEK, HM(21, 0), HM(7, 0)}};
    c.restrictions = CM_RESTRICT_NIGHT;
    o.demands = 0;
    o.schedule = nights;
    o.n_schedule = 1;
    m = pair(&c, &o);
    ASSERT(!m.eligible);
    b = find_code(&m, CM_BC_RESTRICTION_NIGHT);
    ASSERT(b && b->levers == 0);
    /* and no "an adaptation can be asked" beside it (the employer is open, but no adaptation
     * lifts the night) */
    ASSERT(find_code(&m, CM_BC_DISABILITY_ADAPTABLE) == NULL);
    o.schedule = NULL;
    o.n_schedule = 0;
    m = pair(&c, &o);
    ASSERT(m.eligible);
    ASSERT(find_code(&m, CM_BC_DISABILITY_ADAPTABLE) != NULL); /* a day job: the note stays */
    o.work_pattern = CM_WORK_NIGHT;
    ASSERT(!pair(&c, &o).eligible);
    /* Night work as the labour code counts it: three hours between 21:00 and 06:00. A late
     * afternoon shift ending at 21:30, an early one starting at 05:30: evening and morning
     * work (adviser probe); 18:00-01:00 holds four night hours. */
    o.work_pattern = CM_WORK_DAY;
    cm_window_t late[] = {{DAYS_WEEK, HM(13, 45), HM(21, 30)}};
    cm_window_t early[] = {{DAYS_WEEK, HM(5, 30), HM(13, 0)}};
    cm_window_t to22[] = {{DAYS_WEEK, HM(12, 0), HM(22, 0)}};
    cm_window_t to01[] = {{DAYS_WEEK, HM(18, 0), HM(1, 0)}};
    o.n_schedule = 1;
    o.schedule = late;
    ASSERT(!has_code(pair(&c, &o), CM_BC_RESTRICTION_NIGHT));
    o.schedule = early;
    ASSERT(!has_code(pair(&c, &o), CM_BC_RESTRICTION_NIGHT));
    o.schedule = to22;
    ASSERT(!has_code(pair(&c, &o), CM_BC_RESTRICTION_NIGHT));
    o.schedule = to01;
    ASSERT(has_code(pair(&c, &o), CM_BC_RESTRICTION_NIGHT));
    /* Day hours given, night said besides (a rota's day shift, "jour/nuit en alternance"):
     * the night counts */
    cm_window_t day[] = {{DAYS_WEEK, HM(8, 30), HM(16, 0)}};
    o.schedule = day;
    o.work_pattern = CM_WORK_DAY | CM_WORK_NIGHT | CM_WORK_SHIFTS;
    ASSERT(has_code(pair(&c, &o), CM_BC_RESTRICTION_NIGHT));
    o.schedule = NULL;
    o.n_schedule = 0;
    /* Of two offers alike, the one open to disabled workers comes first for a person with a
     * recognised disability and restrictions (an adviser's probe: they tied); by a third as
     * much without restrictions (a second probe: they tied, in id order); not without
     * recognition */
    o.work_pattern = CM_WORK_DAY;
    o.demands = 0;
    cm_offer_t closed = o;
    closed.accessible_to_disabled_workers = false;
    o.accessible_to_disabled_workers = true;
    cm_match_t open_m = pair(&c, &o), closed_m = pair(&c, &closed);
    ASSERT(open_m.eligible && closed_m.eligible);
    ASSERT_NEAR(closed_m.score, floor(open_m.score * 0.97 * 10 + 0.5) / 10, 1e-9);
    ASSERT(closed_m.score < open_m.score);
    c.restrictions = 0;
    open_m = pair(&c, &o);
    ASSERT_NEAR(pair(&c, &closed).score, floor(open_m.score * (1 - 0.03 / 3) * 10 + 0.5) / 10,
                1e-9);
    ASSERT(pair(&c, &closed).score < open_m.score);
    c.restrictions = CM_RESTRICT_LIFTING;
    c.disability_recognised = false;
    ASSERT_NEAR(pair(&c, &closed).score, pair(&c, &o).score, 1e-9);
    c.disability_recognised = true;
    cfg.access_penalty = 0; /* off */
    ASSERT_NEAR(pair(&c, &closed).score, pair(&c, &o).score, 1e-9);
    cfg_defaults(&cfg);
}

/* 6. A diploma implies its skills; two wordings of one skill are one skill. */
static void test_diploma_skills(void)
{
    cm_candidate_t c = mk_cand("c1", paris);
    cm_offer_t o = mk_offer("o1", "K1306", paris);
    cm_skill_req_t sk[] = {{"Veiller à l'hygiène corporelle des personnes", true},
                           {"Accompagnement des personnes en situation de handicap", true}};
    o.skills = sk;
    o.n_skills = 2;
    ASSERT_NEAR(pair(&c, &o).explain[CM_F_SKILLS], 0.0, 0);
    const char *deaes[] = {"DEAVS"}; /* counts as the DEAES, whose skills it implies */
    c.certs = deaes;
    c.n_certs = 1;
    ASSERT_NEAR(pair(&c, &o).explain[CM_F_SKILLS], 1.0, 0);
    ASSERT_EQ(cm__skill_hash("Accompagnement des personnes handicapées"),
              cm__skill_hash("accompagnement des personnes en situation de handicap"));
    ASSERT(cm__skill_hash("handicap moteur") != cm__skill_hash("accompagnement"));
    /* the wordings advisers gave for the demo's home-care skills (an outside probe) */
    static const char *const same[][2] = {
        {"hygiène corporelle", "Aide à la toilette"},
        {"toilette complète", "Aide à la toilette"},
        {"aide toilette", "soins d'hygiène et de confort"},
        {"prise des repas", "Aide à la prise des repas"},
        {"maintien de l'autonomie", "Stimulation et maintien de l'autonomie"},
    };
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++)
        if (cm__skill_hash(same[i][0]) != cm__skill_hash(same[i][1]))
            CM_FAIL_("\"%s\" and \"%s\" are one skill", same[i][0], same[i][1]);
    ASSERT(cm__skill_hash("prise des repas") != cm__skill_hash("préparation des repas"));
    /* one label of hers joining two skills meets an offer asking both */
    cm_candidate_t j = mk_cand("c2", paris);
    const char *joined[] = {"aide à la toilette et à l'habillage"};
    j.skills = joined;
    j.n_skills = 1;
    cm_skill_req_t both[] = {{"Veiller à l'hygiène corporelle des personnes", true},
                             {"Aider une personne à s'habiller", true}};
    o.skills = both;
    o.n_skills = 2;
    ASSERT_NEAR(pair(&j, &o).explain[CM_F_SKILLS], 1.0, 0);
    o.skills = sk;
    o.n_skills = 2;
    char buf[128];
    cm__label_normalise("Personnes en situation de handicap", buf, sizeof buf);
    ASSERT_STREQ(buf, "personne handicap");
    uint16_t deas = cm__diploma_bit(cm__cert_hash("DEAS"));
    ASSERT(deas != 0);
    ASSERT_EQ(cm__diploma_bit(cm__cert_hash("NOPE")), 0);
    ASSERT(cm__skill_diplomas(cm__skill_hash("Evaluer la douleur des patients et ajuster les soins")) &
           deas);
    ASSERT(cm__skill_diplomas(cm__skill_hash("toilette")) & deas); /* synonyms fold first */
    ASSERT_EQ(cm__skill_diplomas(cm__skill_hash("Comptabilité")), 0);
}

/* 7. Commute: the factor falls from 0 minutes; the car is faster per km on long trips. */
static void test_commute(void)
{
    cm_candidate_t c = mk_cand("c1", paris);
    c.modes = CM_MODE_WALK;
    cm_offer_t o = mk_offer("o1", "K1311", paris);
    cm_match_t zero = pair(&c, &o);
    o.loc = geo_east(48.8566, 2.3522, 0.9); /* 14 min on foot, 31% of 45 */
    cm_match_t fifteen = pair(&c, &o);
    ASSERT_NEAR(zero.explain[CM_F_COMMUTE], 1.0, 0);
    ASSERT(fifteen.explain[CM_F_COMMUTE] < 0.95);
    ASSERT(zero.score > fifteen.score);
    /* Car: 40 km takes well under 8 times 5 km (v1: exactly 8 times); 3 km at town speed. */
    double m5 = cm__mode_minutes(&cfg, 0, 5), m40 = cm__mode_minutes(&cfg, 0, 40);
    ASSERT(m40 < 8 * m5 * 0.7);
    ASSERT_NEAR(cm__mode_minutes(&cfg, 0, 3), 3 * 1.3 / 30 * 60, 1e-9); /* inside the town band */
    ASSERT_NEAR(cm__mode_km(&cfg, 0, m40), 40, 1e-9);
    ASSERT_NEAR(cm__mode_km(&cfg, 0, m5), 5, 1e-9);
    ASSERT_NEAR(cm__mode_km(&cfg, 1, cm__mode_minutes(&cfg, 1, 12)), 12, 1e-9);
    /* Car only, no licence: no usable mode (a hard barrier), and the commute shown is the
     * car's, what a licence or a mobility aid would open (it was mode null, 0 minutes). */
    c.modes = CM_MODE_CAR;
    c.driving_licence = false;
    o.loc = geo_east(48.8566, 2.3522, 5.0);
    cm_match_t car = pair(&c, &o);
    ASSERT(!car.eligible);
    const cm_barrier_t *b = find_kind(&car, CM_BARRIER_COMMUTE);
    ASSERT(b && b->code == CM_BC_COMMUTE_NO_MODE && b->hard);
    ASSERT(strstr(b->detail_fr, "la personne n'a ni permis ni véhicule"));
    c.vehicle = true; /* her car, no licence: the sentence names what is missing */
    car = pair(&c, &o);
    b = find_kind(&car, CM_BARRIER_COMMUTE);
    ASSERT(b && strstr(b->detail_fr, "(pour la voiture, la personne n'a pas le permis)"));
    c.vehicle = false;
    ASSERT_EQ(car.commute_mode, CM_MODE_CAR);
    ASSERT_NEAR(car.commute_minutes, floor(cm__mode_minutes(&cfg, 0, car.distance_km) + 0.5), 1);
    ASSERT(car.commute_minutes > 0);
    ASSERT_NEAR(car.explain[CM_F_COMMUTE], 0.0, 0);
    c.modes = CM_MODE_CAR | CM_MODE_BIKE; /* a usable mode: it is the one shown */
    car = pair(&c, &o);
    ASSERT_EQ(car.commute_mode, CM_MODE_BIKE);
    /* No limit stated (45 min assumed): 53 minutes by bus is said, not blocking, and scores
     * less and less to twice the 45 minutes, beyond which it blocks; stated, the same 45
     * minutes block at once. */
    c.modes = CM_MODE_TRANSIT | CM_MODE_WALK;
    c.max_minutes = 45;
    c.max_minutes = 0; /* not stated: 45 assumed */
    c.loc = geo_east(45.7772, 3.0870, 0); /* Clermont-Ferrand: no dense network, the buses */
    /* (20 km: 4 km of road by the town's bus, the rest by coach or TER, 53 minutes) */
    o.loc = geo_east(45.7772, 3.0870, 20.0);
    cm_match_t loose = pair(&c, &o);
    ASSERT(loose.commute_minutes > 45);
    ASSERT(loose.eligible);
    b = find_code(&loose, CM_BC_COMMUTE_TOO_LONG);
    ASSERT(b && !b->hard);
    ASSERT(strstr(b->detail_fr, "aucune limite indiquée"));
    ASSERT_NEAR(loose.explain[CM_F_COMMUTE], 0.5 * (2 - loose.commute_minutes / 45.0), 1e-9);
    o.loc = geo_east(45.7772, 3.0870, 28.0);
    cm_match_t farther = pair(&c, &o);
    ASSERT(farther.commute_minutes > loose.commute_minutes && farther.score < loose.score);
    o.loc = geo_east(45.7772, 3.0870, 60.0); /* over 90 minutes */
    cm_match_t beyond = pair(&c, &o);
    ASSERT(beyond.commute_minutes > 90 && !beyond.eligible);
    b = find_code(&beyond, CM_BC_COMMUTE_TOO_LONG);
    ASSERT(b && b->hard && (b->what & CM_COMMUTE_LIMIT_ASSUMED));
    ASSERT(strstr(b->detail_fr, "plus du double des 45 min habituelles"));
    /* an hour or more in hours (an adviser's probe: "Trajet de 197 min") */
    char want[48];
    snprintf(want, sizeof want, "Trajet de %d h %02d ", (int)beyond.commute_minutes / 60,
             (int)beyond.commute_minutes % 60);
    ASSERT(strstr(b->detail_fr, want));
    o.loc = geo_east(45.7772, 3.0870, 20.0);
    c.max_minutes = 45;
    cm_match_t held = pair(&c, &o);
    ASSERT(!held.eligible);
    ASSERT(find_code(&held, CM_BC_COMMUTE_TOO_LONG)->hard);
    ASSERT(held.score < loose.score);
}

/* Transit inside a dense network (Paris and its inner suburbs: metro, RER) is timed as such;
 * a trip with an end outside it at the national average (an adviser's probe: 17.7 km across
 * the inner suburbs took 90 minutes, the RER's 55 to 65). */
static void test_commute_dense(void)
{
    cm_candidate_t c = mk_cand("c1", paris);
    cm_offer_t o = mk_offer("o1", "K1311", geo_east(48.8566, 2.3522, 17.7));
    c.modes = CM_MODE_TRANSIT | CM_MODE_WALK;
    c.max_minutes = 70;
    cm_match_t m = pair(&c, &o);
    double km = m.distance_km;
    ASSERT_EQ(m.commute_mode, CM_MODE_TRANSIT);
    ASSERT_NEAR(m.commute_minutes, floor(17.7 * 1.3 / 25 * 60 + 6 + 0.5), 1);
    ASSERT(m.commute_minutes >= 55 && m.commute_minutes <= 65 && m.eligible);
    (void)km;
    /* the same distance between two towns of the ring: the suburban bus all the way */
    c.loc = geo_east(48.8566, 2.3522, 40.0);
    o.loc = geo_east(48.8566, 2.3522, 57.7);
    m = pair(&c, &o);
    ASSERT_NEAR(m.commute_minutes, floor(17.7 * 1.4 / 18 * 60 + 8 + 0.5), 1);
    ASSERT(!m.eligible);
    /* one end in Paris, one in a commuter town 40 km off (a helper's probe: Meaux -> Paris
     * 10e, 197 minutes at the national average; the train's is about 50): regional rail */
    c.loc = paris;
    o.loc = geo_east(48.8566, 2.3522, 40.0);
    m = pair(&c, &o);
    ASSERT_NEAR(m.commute_minutes, floor(40.0 * 1.25 / 45 * 60 + 10 + 0.5), 1);
    ASSERT(m.commute_minutes <= 80);
    /* beyond the ring (Chartres, 80 km): the national average, the town's bus for 4 km of
     * road then the coach or TER (381 minutes before: all of it by town bus) */
    o.loc = geo_east(48.8566, 2.3522, 80.0);
    m = pair(&c, &o);
    ASSERT_NEAR(m.commute_minutes, floor((4.0 / 18 + (80.0 * 1.4 - 4) / 45) * 60 + 8 + 0.5), 1);
    /* a small town's TER to its préfecture (an adviser's probe: Auray -> Vannes, 17.5 km, was
     * 1 h 30): within her 45 minutes' grace, not a wall */
    c.loc = (cm_geo_t){47668000, -2983000};
    o.loc = geo_east(47.668, -2.983, 17.5);
    c.max_minutes = 45;
    m = pair(&c, &o);
    ASSERT(m.commute_minutes >= 40 && m.commute_minutes <= 49 && m.eligible);
    /* Lille and Roubaix are one network, its metro (an adviser's probe: 61 minutes and a
     * licence funded); Lille and Lens (33 km) a city and its ring */
    cm_geo_t lille = {50636600, 3063500}, roubaix = {50694200, 3174600}, lens = {50432100, 2831800};
    ASSERT(cm__dense_area(lille) == cm__dense_area(roubaix) && cm__dense_area(lille) != 0);
    ASSERT(cm__dense_pair(cm__dense_area(lille), cm__dense_area(lens)) == CM__DENSE_RER);
    /* Tarare, 35.5 km from Lyon's centre, 40 minutes by TER (an adviser's probe: nothing at
     * 90 minutes, the national average's 190): Lyon's ring */
    cm_geo_t lyon8 = {45735000, 4870000}, tarare = {45903654, 4423760};
    ASSERT(cm__dense_pair(cm__dense_area(lyon8), cm__dense_area(tarare)) == CM__DENSE_RER);
    c.loc = tarare;
    o.loc = lyon8;
    c.max_minutes = 90;
    m = pair(&c, &o);
    ASSERT(m.eligible && m.commute_minutes <= 80);
    c.max_minutes = 70;
    /* the tram cities and their TER stars (an adviser's second probe: Mérignac -> Bordeaux by
     * tram was 50 minutes, Sélestat -> Strasbourg found nothing at 60) */
    cm_geo_t bordeaux = {44837800, -579200}, merignac = {44842800, -645600},
             strasbourg = {48573400, 7752100}, selestat = {48259400, 7454200};
    ASSERT(cm__dense_pair(cm__dense_area(bordeaux), cm__dense_area(merignac)) == CM__DENSE);
    ASSERT(cm__dense_pair(cm__dense_area(strasbourg), cm__dense_area(selestat)) == CM__DENSE_RER);
    c.loc = merignac;
    o.loc = bordeaux;
    c.max_minutes = 45;
    m = pair(&c, &o);
    ASSERT(m.eligible && m.commute_minutes <= 35);
    c.loc = selestat;
    o.loc = strasbourg;
    c.max_minutes = 90;
    m = pair(&c, &o);
    ASSERT(m.eligible && m.commute_minutes <= 90);
    c.max_minutes = 70;
    c.loc = lille;
    o.loc = roubaix;
    m = pair(&c, &o);
    ASSERT(m.commute_minutes <= 40 && m.eligible);
    c.loc = paris;
    /* Paris and a town of its outer RER ring (helpers' probes: Cergy -> Nanterre, 19 km on
     * the RER A, took 100 minutes, Cergy -> Paris 15e 92): the RER's, about an hour for
     * 27 km; a hop across the ring's edge is the network's */
    o.loc = geo_east(48.8566, 2.3522, 27.0);
    m = pair(&c, &o);
    ASSERT_NEAR(m.commute_minutes, floor(27.0 * 1.25 / 45 * 60 + 10 + 0.5), 1);
    ASSERT(m.commute_minutes >= 55 && m.commute_minutes <= 65);
    c.loc = geo_east(48.8566, 2.3522, 19.0);
    o.loc = geo_east(48.8566, 2.3522, 21.0);
    m = pair(&c, &o);
    ASSERT_NEAR(m.commute_minutes, floor(2.0 * 1.3 / 25 * 60 + 6 + 0.5), 1);
    c.loc = paris;
    o.loc = geo_east(48.8566, 2.3522, 27.0);
    ASSERT(cm__dense_area(o.loc) == CM__AREA_PARIS_OUTER &&
           cm__dense_area(paris) == CM__AREA_PARIS);
    /* two towns of the ring, on no line between them: the national average */
    c.loc = geo_east(48.8566, 2.3522, -27.0);
    m = pair(&c, &o);
    ASSERT_NEAR(m.commute_minutes, floor(54.0 * 1.4 / 18 * 60 + 8 + 0.5), 2);
    c.loc = paris;
    /* the network's constants are the config's (modes.transit_dense): equal to transit, off */
    cfg.mode[CM__MODE_TRANSIT_DENSE] = cfg.mode[1];
    o.loc = geo_east(48.8566, 2.3522, 17.7);
    m = pair(&c, &o);
    ASSERT_NEAR(m.commute_minutes, floor(17.7 * 1.4 / 18 * 60 + 8 + 0.5), 1);
    cfg_defaults(&cfg);
    ASSERT(cm__dense_area(paris) > 0 && cm__dense_area(geo_east(45.7772, 3.0870, 0)) == 0);
    ASSERT(cm__dense_area(geo_east(45.7640, 4.8357, 3)) != cm__dense_area(paris));
}

/* What an adviser reckons of a commute beyond the modes' arithmetic: a job round the corner
 * is walkable whatever modes she listed, and hours a day on the road, within her own limit,
 * are said (advisory), not silently scored as a good fit. */
static void test_commute_adviser(void)
{
    cm_candidate_t c = mk_cand("c1", paris);
    cm_offer_t o = mk_offer("o1", "K1311", paris);
    c.modes = CM_MODE_CAR; /* the car only, and no licence said */
    c.driving_licence = false;
    c.max_minutes = 45;
    o.loc = geo_east(48.8566, 2.3522, 0.2);
    cm_match_t near = pair(&c, &o);
    ASSERT(near.eligible);
    ASSERT(!find_kind(&near, CM_BARRIER_COMMUTE));
    ASSERT_EQ(near.commute_mode, CM_MODE_WALK);
    ASSERT(near.commute_minutes <= 3);
    ASSERT_NEAR(near.explain[CM_F_COMMUTE], 1 - 0.5 * pow(near.commute_minutes / 45.0, 1.5), 1e-9);
    o.loc = geo_east(48.8566, 2.3522, 2.0); /* 32 min on foot: no longer "round the corner" */
    cm_match_t two = pair(&c, &o);
    ASSERT(!two.eligible);
    ASSERT(has_code(two, CM_BC_COMMUTE_NO_MODE));
    cfg.walk_anyone_minutes = 0; /* off: the listed modes alone */
    o.loc = geo_east(48.8566, 2.3522, 0.2);
    ASSERT(has_code(pair(&c, &o), CM_BC_COMMUTE_NO_MODE));
    cfg_defaults(&cfg);
    /* A bus user two streets away: the walk is faster than waiting for the bus. */
    c.modes = CM_MODE_TRANSIT;
    o.loc = geo_east(48.8566, 2.3522, 0.3);
    ASSERT_EQ(pair(&c, &o).commute_mode, CM_MODE_WALK);

    /* 33 km by bike with a 240 min limit: eligible, but 2 h 45 each way is said. */
    c.modes = CM_MODE_BIKE;
    c.max_minutes = 240;
    o.loc = geo_east(48.8566, 2.3522, 33.0);
    cm_match_t bike = pair(&c, &o);
    ASSERT(bike.eligible);
    ASSERT(bike.commute_minutes > 150);
    const cm_barrier_t *b = find_code(&bike, CM_BC_COMMUTE_LONG);
    ASSERT(b && !b->hard && b->kind == CM_BARRIER_COMMUTE);
    ASSERT_EQ(b->minutes, (int)bike.commute_minutes);
    ASSERT_EQ(b->limit, 90);
    ASSERT_EQ(b->levers, CM_LEVER_MOBILITY_AID);
    ASSERT_STREQ(cm_barrier_code_name(b->code), "commute_long");
    ASSERT(strstr(b->detail_fr, "long chaque jour"));
    ASSERT(strstr(b->detail_fr, "à vélo (33,0 km) dans chaque sens")); /* French ways and commas */
    ASSERT_EQ(bike.gap, 0);
    o.loc = geo_east(48.8566, 2.3522, 15.0); /* about an hour: nothing to say */
    cm_match_t hour = pair(&c, &o);
    ASSERT(hour.eligible && hour.commute_minutes > 60 && !find_kind(&hour, CM_BARRIER_COMMUTE));
    /* by car, a mobility aid would not shorten it: said without a lever */
    c.modes = CM_MODE_CAR;
    c.driving_licence = c.vehicle = true;
    c.max_minutes = 180;
    o.loc = geo_east(48.8566, 2.3522, 110.0);
    cm_match_t car = pair(&c, &o);
    ASSERT_EQ(car.commute_mode, CM_MODE_CAR);
    b = find_code(&car, CM_BC_COMMUTE_LONG);
    ASSERT(car.eligible && b && b->levers == 0);
    cfg.commute_long_minutes = 0; /* off */
    ASSERT(!has_code(pair(&c, &o), CM_BC_COMMUTE_LONG));

    /* Split shifts (07:00-12:00 and 17:00-20:00): two round trips a day, so a long day at half
     * the minutes each way (an adviser's probe: an hour's ride twice a day went unsaid) */
    cfg.commute_long_minutes = 90;
    c.modes = CM_MODE_BIKE;
    c.driving_licence = c.vehicle = false;
    c.max_minutes = 120;
    o.loc = geo_east(48.8566, 2.3522, 15.0); /* about an hour by bike */
    ASSERT(!has_code(pair(&c, &o), CM_BC_COMMUTE_LONG));
    cm_window_t rounds[2] = {{0x1f, 7 * 60, 12 * 60}, {0x1f, 17 * 60, 20 * 60}};
    o.schedule = rounds;
    o.n_schedule = 2;
    cm_match_t split = pair(&c, &o);
    b = find_code(&split, CM_BC_COMMUTE_LONG);
    ASSERT(b && !b->hard && b->limit == 45 && (b->what & CM_COMMUTE_TWO_TRIPS));
    ASSERT(strstr(b->detail_fr, "deux allers-retours par jour (horaires en coupure)"));
    ASSERT(strstr(b->detail, "twice a day"));
    ASSERT_EQ(split.gap, 0);
    /* past her limit (the grace's advisory), the two round trips are still said (an
     * adviser's probe: a lower limit hid them) */
    c.max_minutes = (uint16_t)(split.commute_minutes - 3);
    cm_match_t past = pair(&c, &o);
    b = find_code(&past, CM_BC_COMMUTE_TOO_LONG);
    ASSERT(b && !b->hard && (b->what & CM_COMMUTE_TWO_TRIPS));
    ASSERT(strstr(b->detail_fr, "; deux allers-retours par jour (horaires en coupure) : "));
    c.max_minutes = 120;
    /* an hour's lunch break is no split: she does not go home */
    rounds[1].from_min = 13 * 60;
    ASSERT(!has_code(pair(&c, &o), CM_BC_COMMUTE_LONG));
    /* consecutive nights (21:00-07:00) are one shift a day, not a split (an adviser's probe:
     * "deux allers-retours par jour") */
    cm_window_t nights[1] = {{0x1f, 21 * 60, 7 * 60}};
    o.schedule = nights;
    o.n_schedule = 1;
    ASSERT(!has_code(pair(&c, &o), CM_BC_COMMUTE_LONG));
    o.schedule = rounds;
    /* split shifts said without hours: the same */
    o.n_schedule = 0;
    o.work_pattern = CM_WORK_SPLIT;
    ASSERT(has_code(pair(&c, &o), CM_BC_COMMUTE_LONG));
    o.work_pattern = 0;
    o.schedule = NULL;
    cfg_defaults(&cfg);

    /* Her own limit, passed by a few minutes (up to a tenth of it: commute_grace): to check
     * with her, not a job she cannot take (an adviser's review: 31 minutes against 30 was a
     * near-miss below every eligible job). The factor goes on falling; past the tenth it is
     * hard. By bus, a mobility aid (a moped lent) is the lever. */
    c.modes = CM_MODE_TRANSIT | CM_MODE_WALK;
    c.driving_licence = c.vehicle = false;
    c.max_minutes = 30;
    double km_at[3] = {0, 0, 0}; /* the first distances at 31-33 min, 34-36 min, 37+ min */
    for (double km = 3.0; km < 12.0 && !km_at[2]; km += 0.05) {
        o.loc = geo_east(48.8566, 2.3522, km);
        cm_match_t t = pair(&c, &o);
        int k = t.commute_minutes > 36   ? 2
                : t.commute_minutes > 33 ? 1
                : t.commute_minutes > 30 ? 0
                                         : -1;
        if (k >= 0 && !km_at[k])
            km_at[k] = km;
    }
    ASSERT(km_at[0] && km_at[1] && km_at[2]);
    o.loc = geo_east(48.8566, 2.3522, km_at[0]);
    cm_match_t few = pair(&c, &o);
    ASSERT(few.commute_minutes > 30 && few.commute_minutes <= 33);
    ASSERT(few.eligible);
    b = find_code(&few, CM_BC_COMMUTE_TOO_LONG);
    ASSERT(b && !b->hard && b->levers == CM_LEVER_MOBILITY_AID && b->what == 0);
    ASSERT(strstr(b->detail_fr, "acceptées : à vérifier avec la personne"));
    ASSERT_NEAR(few.explain[CM_F_COMMUTE], 0.5 * (2 - few.commute_minutes / 30.0), 1e-9);
    ASSERT_EQ(few.gap, 0);
    o.loc = geo_east(48.8566, 2.3522, km_at[2]);
    cm_match_t over = pair(&c, &o);
    ASSERT(!over.eligible && over.commute_minutes > 36);
    b = find_code(&over, CM_BC_COMMUTE_TOO_LONG);
    ASSERT(b && b->hard && !strstr(b->detail_fr, "vérifier"));
    cfg.commute_grace = 0; /* off: a minute over is hard, as before */
    o.loc = geo_east(48.8566, 2.3522, km_at[0]);
    ASSERT(!pair(&c, &o).eligible);
    cfg_defaults(&cfg);

    /* Both on one point (each placed by her commune): a trip across it, never "0 min" (an
     * adviser's probe); walking there stays open to anyone, whatever she listed. */
    cm__score_config_defaults(&cfg); /* same_place_km 0.5 */
    o.loc = c.loc;
    c.modes = CM_MODE_CAR;
    c.driving_licence = c.vehicle = true;
    cm_match_t same = pair(&c, &o);
    ASSERT(same.eligible && same.commute_mode == CM_MODE_CAR);
    ASSERT(same.commute_minutes >= 1 && same.commute_minutes <= 3);
    ASSERT_NEAR(same.distance_km, 0.5, 0); /* the distance the trip is timed on */
    c.vehicle = false;                     /* no car today: on foot, across the commune */
    same = pair(&c, &o);
    ASSERT(same.eligible && same.commute_mode == CM_MODE_WALK);
    ASSERT(same.commute_minutes >= 6 && same.commute_minutes <= 10);
    /* and no worse than a job 800 m away (a helper's probe: it ranked below one) */
    o.loc = geo_east(48.8566, 2.3522, 0.8);
    cm_match_t away = pair(&c, &o);
    ASSERT(away.commute_minutes > same.commute_minutes && away.score < same.score);
    /* two places on one commune's point, the commune wide: timed across it (a second
     * adviser's probe: Toulouse 31100 -> 31200, 7 km, and Salin-de-Giraud -> Arles, 38 km,
     * were a walk of 8 minutes, eligible with no car) */
    {
        cm_candidate_t tc = c;
        cm_offer_t to = o;
        cm_geo_t toulouse = {43596381, 1431673};
        tc.loc = to.loc = toulouse;
        tc.loc_source = CM_LOC_POSTCODE_CITY;
        to.loc_source = CM_LOC_POSTCODE_CITY;
        memcpy(tc.commune, "31555", 6);
        memcpy(to.commune, "31555", 6);
        tc.modes = CM_MODE_WALK;
        tc.max_minutes = 20;
        cm_match_t tm = pair(&tc, &to);
        ASSERT(!tm.eligible && tm.commute_minutes > 30);
        ASSERT(tm.distance_km >= 2.5 && tm.distance_km <= 4);
        tc.modes = CM_MODE_TRANSIT | CM_MODE_WALK; /* its network: a quarter of an hour */
        tc.max_minutes = 30;
        tm = pair(&tc, &to);
        ASSERT(tm.eligible && tm.commute_mode == CM_MODE_TRANSIT && tm.commute_minutes <= 20);
        tc.loc_source = CM_LOC_GIVEN; /* one end a point of its own: the query's spread */
        to.loc_source = CM_LOC_GIVEN;
        ASSERT_NEAR(pair(&tc, &to).distance_km, 0.5, 0);
        /* a small town (Mauriac, 15120): the walk across it, over her 20 minutes but within
         * twice them, is a guess to check, not a wall, and no licence is the way (an
         * adviser's probe: hard, "2,0 km", with driving_licence_funding) */
        cm_commune_t mc;
        ASSERT_OK(cm_commune_by_insee("15120", &mc));
        tc.loc = to.loc = (cm_geo_t){(int32_t)(mc.lat * 1e6), (int32_t)(mc.lon * 1e6)};
        tc.loc_source = to.loc_source = CM_LOC_POSTCODE_CITY;
        memcpy(tc.commune, "15120", 6);
        memcpy(to.commune, "15120", 6);
        tc.modes = CM_MODE_WALK;
        tc.max_minutes = 20;
        tc.driving_licence = false;
        tm = pair(&tc, &to);
        ASSERT(tm.commute_minutes > 20 && tm.commute_minutes <= 40);
        ASSERT(tm.eligible && tm.n_barriers == 1);
        ASSERT_EQ(tm.barriers[0].code, CM_BC_COMMUTE_TOO_LONG);
        ASSERT(!tm.barriers[0].hard && (tm.barriers[0].what & CM_COMMUTE_SAME_COMMUNE));
        ASSERT(!(tm.barriers[0].levers & CM_LEVER_DRIVING_LICENCE_FUNDING));
        ASSERT(strstr(tm.barriers[0].detail_fr, "Même commune") != NULL);
        /* the same walk 2 km away, two communes' points: timed as a fact, a wall */
        to.loc = geo_east(mc.lat, mc.lon, tm.distance_km);
        to.loc_source = CM_LOC_GIVEN;
        tm = pair(&tc, &to);
        ASSERT(!tm.eligible);
    }
    /* a moped or scooter (no B licence): 13 km within her 30 minutes, where a bike takes over
     * an hour and a licence was the lever (an adviser's probe, Liévin -> Hénin) */
    {
        cm_candidate_t mc = c;
        cm_offer_t mo = o;
        mc.loc = geo_east(50.4300, 2.7800, 0);
        mo.loc = geo_east(50.4300, 2.7800, 13.3);
        mc.loc_source = mo.loc_source = CM_LOC_GIVEN;
        mc.driving_licence = mc.vehicle = false;
        mc.max_minutes = 30;
        mc.modes = CM_MODE_MOPED;
        cm_match_t mm = pair(&mc, &mo);
        ASSERT(mm.eligible && mm.commute_mode == CM_MODE_MOPED);
        ASSERT(mm.commute_minutes >= 20 && mm.commute_minutes <= 33);
        mc.modes = CM_MODE_BIKE;
        mm = pair(&mc, &mo);
        ASSERT(!mm.eligible && mm.commute_minutes > 60);
        mc.modes = CM_MODE_MOPED;
        mc.max_minutes = 20; /* over her limit on the moped: a mobility aid, no licence */
        mm = pair(&mc, &mo);
        ASSERT(!mm.eligible && mm.n_barriers >= 1);
        ASSERT_EQ(mm.barriers[0].code, CM_BC_COMMUTE_TOO_LONG);
        ASSERT(!(mm.barriers[0].levers & CM_LEVER_DRIVING_LICENCE_FUNDING));
        ASSERT(strstr(mm.barriers[0].detail_fr, "en deux-roues motorisé") != NULL);
    }
    /* a trip is never "0 min": 100 m by bike is 1 */
    c.modes = CM_MODE_BIKE;
    o.loc = geo_east(48.8566, 2.3522, 0.1);
    ASSERT_NEAR(pair(&c, &o).commute_minutes, 1.0, 0);
    o.loc = c.loc;
    cfg.same_place_km = 0; /* off: next door, as before */
    ASSERT_NEAR(pair(&c, &o).commute_minutes, 0.0, 0);
    cfg_defaults(&cfg);
}

/* 8. Experience the offer asks for. */
static void test_experience(void)
{
    cm_candidate_t c = mk_cand("c1", paris);
    cm_offer_t o = mk_offer("o1", "K1311", paris);
    c.experience_months = 12;
    o.experience_level = CM_XP_REQUIRED;
    o.experience_months = 36;
    cm_match_t m = pair(&c, &o);
    ASSERT(!m.eligible);
    const cm_barrier_t *b = find_kind(&m, CM_BARRIER_EXPERIENCE);
    ASSERT(b && b->limit == 36 && b->months == 12 && b->levers == 0);
    /* in years when whole, with the unit (an adviser's probe: "la personne en a 1.") */
    ASSERT(strstr(b->detail_fr, "Expérience exigée : 3 ans ; la personne en a 1 an."));
    ASSERT_NEAR(m.explain[CM_F_EXPERIENCE], 12.0 / 36, 1e-12);
    c.experience_months = 0; /* none, or not stated: the text does not say "0" */
    m = pair(&c, &o);
    b = find_kind(&m, CM_BARRIER_EXPERIENCE);
    ASSERT(b && strstr(b->detail_fr, "n'en indique aucune") && strstr(b->detail, "none stated"));
    c.experience_months = 12;
    o.immersion_possible = true;
    c.open_to_immersion = true;
    m = pair(&c, &o);
    ASSERT_EQ(find_kind(&m, CM_BARRIER_EXPERIENCE)->levers, CM_LEVER_IMMERSION);
    /* a POE brings a beginner to what the employer asks (an adviser's probe: no lever) */
    o.pre_hire_training = c.open_to_training = true;
    m = pair(&c, &o);
    ASSERT_EQ(find_kind(&m, CM_BARRIER_EXPERIENCE)->levers,
              CM_LEVER_IMMERSION | CM_LEVER_PRE_HIRE_TRAINING);
    o.pre_hire_training = c.open_to_training = false;
    c.experience_months = 30; /* most of it (experience_grace 0.8): advisory, to discuss */
    m = pair(&c, &o);
    ASSERT(m.eligible);
    b = find_kind(&m, CM_BARRIER_EXPERIENCE);
    ASSERT(b && !b->hard && b->what == CM_EXPERIENCE_CLOSE && b->levers == CM_LEVER_IMMERSION);
    ASSERT(strstr(b->detail_fr,
                  "Expérience exigée : 3 ans ; la personne en a 2 ans et 6 mois, presque autant"));
    ASSERT(strstr(b->detail, "close, to discuss"));
    ASSERT(m.explain[CM_F_EXPERIENCE] < 1.0);
    c.experience_months = 28; /* under 0.8 x 36 = 28.8: still hard */
    m = pair(&c, &o);
    ASSERT(!m.eligible && find_kind(&m, CM_BARRIER_EXPERIENCE)->what == 0);
    cfg.experience_grace = 1; /* off: any shortfall of a requirement is hard */
    c.experience_months = 35;
    ASSERT(!pair(&c, &o).eligible);
    cfg_defaults(&cfg);
    c.experience_months = 12;
    o.experience_level = CM_XP_WANTED; /* wanted: a note and a lower factor, eligible */
    m = pair(&c, &o);
    ASSERT(m.eligible && find_kind(&m, CM_BARRIER_EXPERIENCE));
    ASSERT_EQ(find_kind(&m, CM_BARRIER_EXPERIENCE)->what, 0u);
    c.experience_months = 35; /* most of a wish: no word (a probe: 23 of 24 was flagged) */
    m = pair(&c, &o);
    ASSERT(m.eligible && !find_kind(&m, CM_BARRIER_EXPERIENCE) && m.explain[CM_F_EXPERIENCE] < 1);
    c.experience_months = 12;
    o.experience_level = CM_XP_BEGINNER; /* beginners welcome: no edge for experience */
    o.experience_months = 0;
    c.experience_months = 0;
    ASSERT_NEAR(pair(&c, &o).explain[CM_F_EXPERIENCE], 1.0, 0);
    o.experience_level = CM_XP_UNSET; /* silent: as open, experience counts a little */
    ASSERT_NEAR(pair(&c, &o).explain[CM_F_EXPERIENCE], 0.9, 1e-12);
    /* an employer who trains before hiring, asking no experience, recruits beginners (an
     * adviser's probe: the POE offer came 7 points below one saying "débutant accepté") */
    o.pre_hire_training = true;
    ASSERT_NEAR(pair(&c, &o).explain[CM_F_EXPERIENCE], 1.0, 0);
    o.experience_level = CM_XP_WANTED; /* unless it asks for some */
    o.experience_months = 12;
    ASSERT_NEAR(pair(&c, &o).explain[CM_F_EXPERIENCE], 0.0, 0);
    o.pre_hire_training = false;
    o.experience_level = CM_XP_UNSET;
    o.experience_months = 0;
    /* "Expérience exigée" with no length (a helper's probe: a year of it was shut out, the
     * demand read as two years): some experience meets it (experience_unstated_months, 6),
     * the factor still ranks the more experienced first */
    o.experience_level = CM_XP_REQUIRED;
    o.experience_months = 0;
    c.experience_months = 12;
    m = pair(&c, &o);
    ASSERT(m.eligible && !find_kind(&m, CM_BARRIER_EXPERIENCE));
    ASSERT_NEAR(m.explain[CM_F_EXPERIENCE], 12.0 / 24, 1e-12);
    c.experience_months = 0;
    m = pair(&c, &o);
    b = find_kind(&m, CM_BARRIER_EXPERIENCE);
    ASSERT(!m.eligible && b && b->hard && b->limit == 0);
    ASSERT(strstr(b->detail_fr, "Expérience exigée par l'offre, sans durée précisée ; la "
                                "personne n'en indique aucune."));
    c.experience_months = 5; /* 0.8 x 6 = 4.8: close, to discuss */
    m = pair(&c, &o);
    b = find_kind(&m, CM_BARRIER_EXPERIENCE);
    ASSERT(m.eligible && b && !b->hard && b->what == CM_EXPERIENCE_CLOSE);
    ASSERT(strstr(b->detail_fr, "sans durée précisée ; la personne en a 5 mois : à discuter"));
    c.experience_months = 3;
    ASSERT(!pair(&c, &o).eligible);
    cfg.experience_unstated_months = 2;
    ASSERT(pair(&c, &o).eligible);
    cfg_defaults(&cfg);
}

/* Certification groups: any one of the alternatives satisfies the group. */
static void test_cert_groups(void)
{
    cm_candidate_t c = mk_cand("c1", paris);
    cm_offer_t o = mk_offer("o1", "K1307", paris);
    cm_cert_req_t req[] = {{.code = "CAP_AEPE", .required = true, .group = 1},
                           {.code = "DEAP", .required = false, .group = 1}};
    o.certs = req;
    o.n_certs = 2;
    const char *deap[] = {"DEAP"};
    c.certs = deap;
    c.n_certs = 1;
    ASSERT(pair(&c, &o).eligible);
    c.n_certs = 0;
    cm_match_t m = pair(&c, &o);
    ASSERT(!m.eligible);
    /* named by the codes the offer stores (a portal maps them to labels), not their keys */
    ASSERT_STREQ(find_kind(&m, CM_BARRIER_CERTIFICATION)->missing, "CAP_AEPE/DEAP");
    /* groups listed interleaved are still written as groups (four certificates read as four
     * diplomas required was wrong) */
    cm_cert_req_t mixed[] = {{.code = "DEAES", .required = true, .group = 1},
                             {.code = "DEME", .required = true, .group = 2},
                             {.code = "TP_ADVF", .required = true, .group = 1},
                             {.code = "DEES", .required = true, .group = 2}};
    cm_offer_t o2 = mk_offer("o2", "K1305", paris);
    o2.certs = mixed;
    o2.n_certs = 4;
    m = pair(&c, &o2);
    const char *miss = find_kind(&m, CM_BARRIER_CERTIFICATION)->missing;
    ASSERT(strchr(miss, ',') && strchr(miss, '/'));
    ASSERT(strstr(miss, "DEAES/TP_ADVF") && strstr(miss, "DEME/"));
    /* An aide-soignant's offer that accepts "DEAS ou DEAES": the law still asks for the DEAS
     * (an adviser's probe: the group let a DEAES holder in) */
    cm_cert_req_t either[] = {{.code = "DEAS", .required = true, .group = 1},
                              {.code = "DEAES", .required = true, .group = 1}};
    cm_offer_t as = mk_offer("o3", "J1501", paris);
    as.certs = either;
    as.n_certs = 2;
    const char *deaes[] = {"DEAES"}, *deas[] = {"DEAS"};
    c.certs = deaes;
    c.n_certs = 1;
    m = pair(&c, &as);
    ASSERT(!m.eligible);
    const cm_barrier_t *b = find_code(&m, CM_BC_CERT_REGULATED);
    ASSERT(b && b->hard);
    ASSERT_STREQ(b->missing, "DEAS");
    ASSERT_NEAR(m.gap, 2.0, 1e-9); /* the law's diploma: the farthest (an adviser's probe) */
    c.certs = deas;
    m = pair(&c, &as);
    ASSERT(m.eligible);
    ASSERT_NEAR(m.explain[CM_F_CERTS], 1.0, 0);
    c.n_certs = 0; /* neither: one requirement missing, not two, named as the law names it */
    m = pair(&c, &as);
    b = find_code(&m, CM_BC_CERT_REGULATED);
    ASSERT(b);
    ASSERT_STREQ(b->missing, "DEAS"); /* not "DEAS/DEAES": a DEAES gives no right to it */
    ASSERT(!strstr(b->detail_fr, "DEAES"));
    ASSERT_NEAR(m.gap, 2.0, 1e-9); /* one requirement, the law's */
    /* the same group in home care (no law): the DEAES holder is in */
    cm_offer_t home = mk_offer("o4", "K1311", paris);
    home.certs = either;
    home.n_certs = 2;
    c.certs = deaes;
    c.n_certs = 1;
    ASSERT(pair(&c, &home).eligible);
    /* A home-care post asking for the titre pro ADVF takes a DEAES, or the DEAVS it absorbed
     * (a level above, the same acts: an adviser's probe put a DEAVS holder on a training route
     * to the ADVF); not the other way. */
    cm_cert_req_t advf[] = {{.code = "TP_ADVF", .required = true, .group = 0}};
    home.certs = advf;
    home.n_certs = 1;
    const char *deavs[] = {"DEAVS"}, *advf_held[] = {"TP ADVF"};
    c.certs = deavs;
    m = pair(&c, &home);
    ASSERT(m.eligible && !find_kind(&m, CM_BARRIER_CERTIFICATION));
    ASSERT_NEAR(m.explain[CM_F_CERTS], 1.0, 0);
    c.certs = deas; /* an aide-soignant's too (the same category in home care's agreement) */
    ASSERT(pair(&c, &home).eligible);
    const char *cap[] = {"CAP AEPE"}; /* a child-care diploma is not the ADVF */
    c.certs = cap;
    m = pair(&c, &home);
    b = find_code(&m, CM_BC_CERT_MISSING);
    ASSERT(b && b->hard);
    ASSERT_STREQ(b->missing, "TP_ADVF"); /* the code, for a portal */
    /* the sentence names it as French does, not by its code */
    ASSERT(strstr(b->detail_fr, "Titre professionnel exigé par l'offre : ADVF, "));
    ASSERT(!strstr(b->detail_fr, "TP_ADVF") && !strstr(b->detail_fr, "Diplôme"));
    /* a diploma group and a first-aid certificate: the certificate is no diploma got by VAE
     * (a helper's probe), told apart; "bac pro" in lower case; two diplomas are plural */
    cm_cert_req_t mixed_req[] = {{.code = "CAP_AEPE", .required = true, .group = 1},
                                 {.code = "BAC_PRO_ASSP", .required = true, .group = 1},
                                 {.code = "PSC1", .required = true, .group = 0}};
    cm_offer_t creche = mk_offer("o5", "K1307", paris);
    creche.certs = mixed_req;
    creche.n_certs = 3;
    c.n_certs = 0;
    m = pair(&c, &creche);
    b = find_code(&m, CM_BC_CERT_MISSING);
    ASSERT(b && b->what == CM_CERT_DIPLOMA);
    ASSERT_STREQ(b->missing, "CAP_AEPE/BAC_PRO_ASSP,PSC1");
    ASSERT(strstr(b->detail_fr, "Diplôme exigé par l'offre : CAP AEPE ou bac pro ASSP, que"));
    ASSERT(strstr(b->detail_fr, "il s'obtient") && strstr(b->detail_fr, "financée par la Région"));
    ASSERT(strstr(b->detail_fr, " Certification exigée aussi : PSC1, une formation courte."));
    cm_cert_req_t two_req[] = {{.code = "DEAES", .required = true, .group = 0},
                               {.code = "CAP_AEPE", .required = true, .group = 0}};
    creche.certs = two_req;
    creche.n_certs = 2;
    b = find_code((m = pair(&c, &creche), &m), CM_BC_CERT_MISSING);
    ASSERT(b && strstr(b->detail_fr, "Diplômes exigés par l'offre : DEAES, CAP AEPE, que") &&
           strstr(b->detail_fr, "ils s'obtiennent"));
    c.n_certs = 1;
    cm_cert_req_t deaes_req[] = {{.code = "DEAES", .required = true, .group = 0}};
    home.certs = deaes_req;
    c.certs = advf_held;
    ASSERT(!pair(&c, &home).eligible);
    ASSERT(cm_diploma_satisfies("DE AVS", "TP ADVF") && cm_diploma_satisfies("DEAES", "DEAES"));
    ASSERT(!cm_diploma_satisfies("TP_ADVF", "DEAES") && !cm_diploma_satisfies("TP_ADVF", "DEAS"));
    ASSERT(cm_diploma_satisfies("DPAS", "TP_ADVF") && !cm_diploma_satisfies("CAP_AEPE", "TP_ADVF"));
    ASSERT_STREQ(cm_diploma_also("DEAMP"), "TP_ADVF");
    ASSERT(cm_diploma_also("CAP_AEPE") == NULL && cm_diploma_also("nothing") == NULL);
    /* a DEAP holder meets the crèche's CAP AEPE (an adviser's probe: she was told to take it) */
    ASSERT_STREQ(cm_diploma_also("DEAP"), "CAP_AEPE");
    const char *deap_held[] = {"DEAP"};
    c.certs = deap_held;
    c.n_certs = 1;
    creche.certs = mixed_req;
    creche.n_certs = 2; /* the CAP or the bac pro: her DEAP meets it */
    ASSERT(pair(&c, &creche).eligible);
}

/* 12. Codes, numbers, French. */
static void test_barrier_numbers(void)
{
    cm_candidate_t c = mk_cand("c1", paris);
    c.max_minutes = 30;
    cm_offer_t o = mk_offer("o1", "K1311", geo_east(48.8566, 2.3522, 12));
    cm_match_t m = pair(&c, &o);
    const cm_barrier_t *b = find_kind(&m, CM_BARRIER_COMMUTE);
    ASSERT(b && b->code == CM_BC_COMMUTE_TOO_LONG && b->hard);
    ASSERT_EQ(b->minutes, (int)m.commute_minutes);
    ASSERT_EQ(b->limit, 30);
    char want[128];
    snprintf(want, sizeof want, "Trajet de %d min en transports en commun", b->minutes);
    ASSERT(strstr(b->detail_fr, want));
    ASSERT(strstr(b->detail, "min > 30 min limit")); /* the contract's English detail stays */
    ASSERT_NEAR(m.gap, (m.commute_minutes - 30) / 30.0, 1e-12);
    ASSERT_STREQ(cm_barrier_code_name(CM_BC_COMMUTE_TOO_LONG), "commute_too_long");
    ASSERT_STREQ(cm_barrier_code_name(CM_BC_ALREADY_QUALIFIED), "already_qualified");
    ASSERT_STREQ(cm_barrier_code_name(CM_BC__COUNT), "unknown");
    ASSERT_STREQ(cm_barrier_name(CM_BARRIER_VEHICLE), "vehicle");
    ASSERT_STREQ(cm_barrier_name(CM_BARRIER_APPRENTICESHIP), "apprenticeship");
    /* Missing diplomas as codes. */
    cm_offer_t r = mk_offer("o2", "J1501", paris);
    m = pair(&c, &r);
    b = find_kind(&m, CM_BARRIER_CERTIFICATION);
    ASSERT(b && b->code == CM_BC_CERT_REGULATED);
    ASSERT_STREQ(b->missing, "DEAS");
    ASSERT(strstr(b->detail, "DEAS required"));
    ASSERT(strstr(b->detail_fr, "Diplôme obligatoire"));
}

/* Found by an adviser's reading (outside probe): a solo parent's day starts when care opens,
 * as it ends when care closes; hours far above the wanted maximum are said; the schedule text
 * names the hours and days really outside availability; without a licence, offers a mobility
 * aid could open are found as near misses. */
static void test_adviser_reading(void)
{
    cm_candidate_t c = mk_cand("c1", paris);
    cm_offer_t o = mk_offer("o1", "K1311", paris);
    /* She can leave the children at 8:30; the job starts at 7:00 (and ends at 14:00): 79% of
     * its hours inside, eligible before for anyone, never for her. */
    cm_window_t school[] = {{DAYS_WEEK, HM(8, 30), HM(16, 30)}};
    cm_window_t early[] = {{DAYS_WEEK, HM(7, 0), HM(14, 0)}};
    c.availability = school;
    c.n_availability = 1;
    o.schedule = early;
    o.n_schedule = 1;
    c.has_childcare = true;
    c.children_under_12 = 2;
    c.solo_parent = true;
    cm_match_t m = pair(&c, &o);
    ASSERT(!m.eligible);
    const cm_barrier_t *b = find_code(&m, CM_BC_SCHEDULE_STARTS_EARLY);
    ASSERT(b && b->hard && b->kind == CM_BARRIER_SCHEDULE);
    ASSERT_EQ(b->minutes, 90);
    ASSERT_EQ(b->days, 0x1f);
    ASSERT_EQ(b->levers, CM_LEVER_CHILDCARE_AID);
    ASSERT(strstr(b->detail_fr, "1 h 30 avant")); /* in hours, not "90 min" */
    ASSERT_STREQ(cm_barrier_code_name(b->code), "schedule_starts_early");
    /* starting before and ending after: both said; with a Saturday never worked besides,
     * that too (one barrier used to hide the others) */
    cm_window_t long_day[] = {{DAYS_WEEK, HM(7, 30), HM(17, 30)}, {0x20, HM(9, 0), HM(12, 0)}};
    o.schedule = long_day;
    m = pair(&c, &o);
    ASSERT(find_code(&m, CM_BC_SCHEDULE_STARTS_EARLY) && find_code(&m, CM_BC_SCHEDULE_ENDS_LATE));
    o.n_schedule = 2;
    m = pair(&c, &o);
    ASSERT(find_code(&m, CM_BC_SCHEDULE_DAY_OFF) && find_code(&m, CM_BC_SCHEDULE_STARTS_EARLY));
    /* split shifts: the evening round (17:00-20:00) after a morning inside her day ends late,
     * though it meets none of her hours, however near she lives (an adviser's probe: said
     * only when the journey reached into her day) */
    cm_window_t rounds[] = {{DAYS_WEEK, HM(9, 0), HM(12, 0)}, {DAYS_WEEK, HM(17, 0), HM(20, 0)}};
    o.schedule = rounds;
    m = pair(&c, &o);
    b = find_code(&m, CM_BC_SCHEDULE_ENDS_LATE);
    ASSERT(b && b->hard && b->minutes >= 210 && b->minutes <= 240 && b->days == DAYS_WEEK);
    ASSERT(find_code(&m, CM_BC_SCHEDULE_STARTS_EARLY) == NULL);
    ASSERT(!m.eligible);
    o.schedule = long_day;
    /* low coverage besides (06:00-12:00, half outside her day): the early start is still
     * named, what her adviser must read first (an adviser's probe), and the gap holds it */
    cm_window_t dawn[] = {{DAYS_WEEK, HM(6, 0), HM(12, 0)}};
    o.schedule = dawn;
    o.n_schedule = 1;
    m = pair(&c, &o);
    ASSERT(find_code(&m, CM_BC_SCHEDULE_COVERAGE));
    b = find_code(&m, CM_BC_SCHEDULE_STARTS_EARLY);
    ASSERT(b && b->minutes == 150 && b->levers == CM_LEVER_CHILDCARE_AID);
    /* the larger of the two faults: the overrun's (0.1 + 150 / 240), over the coverage's */
    double cov = find_code(&m, CM_BC_SCHEDULE_COVERAGE)->coverage / 100.0;
    ASSERT(1.0 - cov < 0.1 + 150 / 240.0);
    ASSERT_NEAR(m.gap, 0.1 + 150 / 240.0, 1e-9);
    /* a night job (none of its hours in her day) is further than a 12-hour day starting and
     * ending outside it (helper probe: it came first) */
    cm_window_t night[] = {{DAYS_WEEK, HM(21, 0), HM(7, 0)}};
    cm_window_t twelve[] = {{DAYS_WEEK, HM(7, 0), HM(19, 0)}};
    o.schedule = night;
    double night_gap = pair(&c, &o).gap;
    o.schedule = twelve;
    cm_match_t day12 = pair(&c, &o);
    ASSERT(find_code(&day12, CM_BC_SCHEDULE_ENDS_LATE) && day12.gap < night_gap);
    o.schedule = early;
    c.solo_parent = false; /* not alone: a compromise, eligible */
    ASSERT(pair(&c, &o).eligible);
    /* An evening shift running past midnight starts nothing in the morning: it ends late. */
    cm_window_t noon[] = {{0x7f, HM(12, 0), HM(23, 30)}};
    cm_window_t evening[] = {{DAYS_WEEK, HM(16, 0), HM(2, 0)}};
    c.availability = noon;
    o.schedule = evening;
    c.solo_parent = true;
    m = pair(&c, &o);
    ASSERT(find_code(&m, CM_BC_SCHEDULE_STARTS_EARLY) == NULL);

    /* Shifts and days across midnight (second outside probe). A night worker available
     * 20:00-08:00: a 19:00-07:00 job starts an hour early; a 21:00-09:00 one ends an hour
     * late. */
    cm_window_t nights[] = {{0x7f, HM(20, 0), HM(8, 0)}};
    cm_window_t n19[] = {{DAYS_WEEK, HM(19, 0), HM(7, 0)}};
    cm_window_t n21[] = {{DAYS_WEEK, HM(21, 0), HM(9, 0)}};
    c.availability = nights;
    o.schedule = n19;
    m = pair(&c, &o);
    b = find_code(&m, CM_BC_SCHEDULE_STARTS_EARLY);
    ASSERT(b && b->hard && b->minutes == 60 && b->days == DAYS_WEEK);
    ASSERT(strstr(b->detail_fr,
                  "Prise de poste jusqu'à 1 h avant le début de sa disponibilité (20:00"));
    o.schedule = n21;
    m = pair(&c, &o);
    b = find_code(&m, CM_BC_SCHEDULE_ENDS_LATE);
    ASSERT(b && b->hard && b->minutes == 60);
    /* Her day ends at 23:00; the job runs 17:00-01:00: two hours late, not one. */
    cm_window_t to23[] = {{0x7f, HM(8, 30), HM(23, 0)}};
    cm_window_t to01[] = {{DAYS_WEEK, HM(17, 0), HM(1, 0)}};
    c.availability = to23;
    o.schedule = to01;
    m = pair(&c, &o);
    b = find_code(&m, CM_BC_SCHEDULE_ENDS_LATE);
    ASSERT(b && b->minutes == 120);
    /* A gap in her day inside the shift is no late end: 08:00-12:00 and 13:00-20:00 against
     * 09:00-17:00. */
    cm_window_t split[] = {{0x7f, HM(8, 0), HM(12, 0)}, {0x7f, HM(13, 0), HM(20, 0)}};
    cm_window_t nine5[] = {{DAYS_WEEK, HM(9, 0), HM(17, 0)}};
    c.availability = split;
    c.n_availability = 2;
    o.schedule = nine5;
    m = pair(&c, &o);
    ASSERT(find_code(&m, CM_BC_SCHEDULE_ENDS_LATE) == NULL);
    ASSERT(find_code(&m, CM_BC_SCHEDULE_STARTS_EARLY) == NULL);
    c.n_availability = 1;
    /* Not alone, available mon-fri 14:00-00:00, job mon-fri 16:00-00:30: Friday's shift runs
     * into Saturday, which is no Saturday work (it was a hard "never available on sat"). */
    cm_window_t eve[] = {{DAYS_WEEK, HM(14, 0), HM(0, 0)}};
    cm_window_t eve30[] = {{DAYS_WEEK, HM(16, 0), HM(0, 30)}};
    c.solo_parent = false;
    c.availability = eve;
    o.schedule = eve30;
    m = pair(&c, &o);
    ASSERT(find_code(&m, CM_BC_SCHEDULE_DAY_OFF) == NULL);
    ASSERT(m.eligible);
    /* The other way round (an adviser's probe): weeknights mon-fri 21:00-07:00, a night rota
     * mon-wed and Saturday 21:00-07:00. Friday's night holds Saturday 00:00-07:00, which is
     * no Saturday availability: the Saturday night is a day she never works (it was eligible
     * at 75 % coverage, nothing said). The weekend pattern reads her week the same way. */
    cm_window_t weeknights[] = {{DAYS_WEEK, HM(21, 0), HM(7, 0)}};
    cm_window_t satnight[] = {{0x07, HM(21, 0), HM(7, 0)}, {0x20, HM(21, 0), HM(7, 0)}};
    c.availability = weeknights;
    o.schedule = satnight;
    o.n_schedule = 2;
    m = pair(&c, &o);
    b = find_code(&m, CM_BC_SCHEDULE_DAY_OFF);
    ASSERT(b && b->hard && b->days == 0x20);
    ASSERT(!m.eligible);
    /* ... but a shift from Saturday 00:00 that her Friday night covers is no day off */
    cm_window_t fri22[] = {{0x10, HM(22, 0), HM(6, 0)}};
    cm_window_t sat0[] = {{0x20, HM(0, 0), HM(6, 0)}};
    c.availability = fri22;
    o.schedule = sat0;
    o.n_schedule = 1;
    m = pair(&c, &o);
    ASSERT(find_code(&m, CM_BC_SCHEDULE_DAY_OFF) == NULL);
    ASSERT(m.eligible);
    /* nor one from Saturday 00:00 to 08:00 after her Friday night to 07:00 (a second probe:
     * "jamais disponible" for 7 hours of 8 she is available): its last hour is coverage */
    cm_window_t fri21[] = {{0x10, HM(21, 0), HM(7, 0)}};
    cm_window_t sat08[] = {{0x20, HM(0, 0), HM(8, 0)}};
    c.availability = fri21;
    o.schedule = sat08;
    m = pair(&c, &o);
    ASSERT(find_code(&m, CM_BC_SCHEDULE_DAY_OFF) == NULL);
    /* a weekend job said without hours, for someone whose weekend is Friday night's end */
    c.availability = weeknights;
    o.schedule = NULL;
    o.n_schedule = 0;
    o.work_pattern = CM_WORK_WEEKEND;
    m = pair(&c, &o);
    b = find_code(&m, CM_BC_SCHEDULE_PATTERN);
    ASSERT(b && b->hard);
    o.work_pattern = 0;
    o.schedule = eve30;
    o.n_schedule = 1;

    /* A night shift's hours outside are its start day's (an adviser's probe): Tuesday's
     * night is "le mardi", not Wednesday too; Wednesday to Friday nights are no weekend work
     * though Friday's ends on Saturday. */
    cm_window_t days8[] = {{DAYS_WEEK, HM(8, 0), HM(20, 0)}};
    cm_window_t tuenight[] = {{0x02, HM(21, 0), HM(7, 0)}};
    cm_window_t wfnights[] = {{0x1c, HM(21, 0), HM(7, 0)}};
    c.availability = days8;
    o.schedule = tuenight;
    m = pair(&c, &o);
    b = find_code(&m, CM_BC_SCHEDULE_COVERAGE);
    ASSERT(b != NULL);
    ASSERT_EQ(b->outside_days, 0x02);
    ASSERT(strstr(b->detail_fr, "mardi") && !strstr(b->detail_fr, "mercredi"));
    o.schedule = wfnights;
    m = pair(&c, &o);
    b = find_code(&m, CM_BC_SCHEDULE_COVERAGE);
    ASSERT(b != NULL);
    ASSERT_EQ(b->outside_days, 0x1c);
    ASSERT(strstr(b->detail_fr, "nuit") && !strstr(b->detail_fr, "week-end"));
    ASSERT(!strstr(b->detail, "weekend"));

    /* The text names what is outside: weekday daytime on Monday to Wednesday, not "weekend"
     * for a quarter hour at 6:45 on Saturday and Sunday. */
    cm_window_t evenings[] = {{0x1f, HM(17, 0), HM(22, 0)}, {0x60, HM(7, 0), HM(21, 0)}};
    cm_window_t rota[] = {{0x67, HM(6, 45), HM(14, 15)}};
    c.availability = evenings;
    c.n_availability = 2;
    c.has_childcare = false;
    c.children_under_12 = 0;
    o.schedule = rota;
    m = pair(&c, &o);
    b = find_code(&m, CM_BC_SCHEDULE_COVERAGE);
    ASSERT(b != NULL);
    ASSERT_EQ(b->outside_days, 0x07);
    ASSERT(strstr(b->detail, "weekday") && strstr(b->detail, "mon, tue, wed"));
    ASSERT(!strstr(b->detail, "weekend"));
    /* days she is available on, hours outside: said so, not "hors disponibilités : lundi" */
    ASSERT(
        strstr(b->detail_fr, "des heures hors disponibilités le lundi, le mardi et le mercredi"));
    /* to the minute at her window's edge (an adviser's probe: free from 08:45, a 07:00 start
     * was said "07:00-08:30") */
    cm_window_t school845[] = {{0x1f, HM(8, 45), HM(16, 15)}};
    cm_window_t early7[] = {{0x1f, HM(7, 0), HM(14, 30)}};
    c.availability = school845;
    c.n_availability = 1;
    o.schedule = early7;
    m = pair(&c, &o);
    b = find_code(&m, CM_BC_SCHEDULE_COVERAGE);
    ASSERT(b != NULL && strstr(b->detail_fr, "(07:00-08:45)"));
    /* a day shift chained to a night (Friday 19:00-07:00, Saturday 07:00-19:00) is Saturday's
     * (an adviser's probe: named Friday, inside her nights) */
    cm_window_t nights7[] = {{0x7f, HM(19, 0), HM(7, 30)}};
    cm_window_t chained[] = {{0x24, HM(7, 0), HM(19, 0)}, {0x10, HM(19, 0), HM(7, 0)}};
    c.availability = nights7;
    o.schedule = chained;
    o.n_schedule = 2;
    m = pair(&c, &o);
    b = find_code(&m, CM_BC_SCHEDULE_COVERAGE);
    ASSERT(b != NULL);
    ASSERT_EQ(b->outside_days, 0x24);
    ASSERT(strstr(b->detail_fr, "le mercredi et le samedi") && !strstr(b->detail_fr, "vendredi"));
    o.n_schedule = 1;

    /* 35 hours for someone who wants 15 to 20: said (advisory), as 10 hours short is. */
    cm_candidate_t p = mk_cand("c2", paris);
    p.hours_min = 15;
    p.hours_max = 20;
    cm_offer_t full = mk_offer("o2", "K1311", paris);
    full.hours_per_week = 35;
    m = pair(&p, &full);
    b = find_code(&m, CM_BC_HOURS_OVER);
    ASSERT(b && !b->hard);
    ASSERT_NEAR(b->hours, 15, 0);
    ASSERT_EQ(b->limit, 20);
    full.hours_per_week = 34.5; /* said to the half hour, in both languages */
    m = pair(&p, &full);
    b = find_code(&m, CM_BC_HOURS_OVER);
    ASSERT(b && strstr(b->detail, "34.5 h a week, 14.5 h above the 20 h maximum"));
    ASSERT(strstr(b->detail_fr, "34,5 h par semaine, 14,5 h de plus"));
    full.hours_per_week = 35;
    full.hours_per_week = 24; /* 4 hours over: no note */
    m = pair(&p, &full);
    ASSERT(find_code(&m, CM_BC_HOURS_OVER) == NULL);

    /* On foot, 45 minutes, no licence: her reach is a few km, but offers up to
     * mobility_lever_km are found (near misses a mobility aid could lift). */
    cm_candidate_t w = mk_cand("c3", paris);
    w.modes = CM_MODE_WALK;
    w.driving_licence = false;
    cm__cand_fields_t wf;
    ASSERT_OK(cm__cand_fields_init(&wf, &w, &cfg));
    ASSERT(wf.reach_km >= cfg.mobility_lever_km);
    ASSERT(cm__mode_km(&cfg, 3, 45) * cfg.reach_margin + cfg.reach_extra_km <
           cfg.mobility_lever_km); /* the walk alone would not reach that far */
    cm__cand_fields_clear(&wf);
    w.driving_licence = true; /* with a licence, the car's reach: larger already */
    ASSERT_OK(cm__cand_fields_init(&wf, &w, &cfg));
    ASSERT(wf.reach_km > cfg.mobility_lever_km);
    cm__cand_fields_clear(&wf);
    /* a driver who stated no limit: results hold to twice the assumed 45, so reach does */
    w.driving_licence = true;
    w.vehicle = true;
    w.modes = CM_MODE_CAR;
    w.max_minutes = 0;
    ASSERT_OK(cm__cand_fields_init(&wf, &w, &cfg));
    ASSERT(wf.reach_km >= cm__mode_km(&cfg, 0, 90));
    cm__cand_fields_clear(&wf);
    w.max_minutes = 45;
    w.modes = CM_MODE_WALK;
    w.vehicle = false;
    w.driving_licence = false;
    cm_offer_t far = mk_offer("o3", "K1311", geo_east(48.8566, 2.3522, 10.3));
    m = pair(&w, &far);
    b = find_code(&m, CM_BC_COMMUTE_TOO_LONG);
    ASSERT(b && b->hard);
    /* inside Paris's network, its transit (a mobility aid), not a licence */
    ASSERT_EQ(b->levers, CM_LEVER_MOBILITY_AID);
    w.loc = geo_east(45.7772, 3.0870, 0); /* out of any network, a licence funded too */
    far.loc = geo_east(45.7772, 3.0870, 10.3);
    m = pair(&w, &far);
    b = find_code(&m, CM_BC_COMMUTE_TOO_LONG);
    ASSERT(b && b->hard);
    ASSERT_EQ(b->levers, CM_LEVER_MOBILITY_AID | CM_LEVER_DRIVING_LICENCE_FUNDING);
}

/* Skills to learn (an adviser's probe): the employer trains before hiring or offers an
 * immersion she is open to. */
static void test_skills_to_learn(void)
{
    cm_skill_req_t sk[] = {{"Soins d'hygiène et de confort", true}, {"Animation", false}};
    cm_offer_t o = mk_offer("o1", "K1311", paris);
    cm_candidate_t c = mk_cand("c1", paris);
    o.skills = sk;
    o.n_skills = 2;
    const char *s1[] = {"toilette"};                        /* synonym of the required skill */
    ASSERT(!has_code(pair(&c, &o), CM_BC_SKILLS_TO_LEARN)); /* no training offered */
    /* The employer trains before hiring and offers an immersion, she is open to both: the
     * skills she lacks are said with those levers, and half of them counted (a career
     * changer's best offer ranked 15th with no word of it: an adviser's probe) */
    o.pre_hire_training = o.immersion_possible = true;
    c.open_to_training = c.open_to_immersion = true;
    cm_match_t m = pair(&c, &o);
    const cm_barrier_t *b = find_code(&m, CM_BC_SKILLS_TO_LEARN);
    ASSERT(m.eligible && b && !b->hard && b->kind == CM_BARRIER_SKILLS);
    ASSERT_EQ(b->levers, CM_LEVER_PRE_HIRE_TRAINING | CM_LEVER_IMMERSION);
    ASSERT_NEAR(m.explain[CM_F_SKILLS], 0.5, 1e-12);
    /* "La compétence demandée" when she holds none (a probe read "1 des 1", "3 des 3") */
    ASSERT(strstr(b->detail_fr, "La compétence demandée manque encore à la personne : "
                                "l'employeur propose une formation avant l'embauche et une "
                                "immersion"));
    {
        /* a hard barrier comes before the notes (an adviser's probe: the advisory
         * skills_to_learn came first on a near-miss held by a strict contract) */
        cm_candidate_t st = c;
        st.contracts = 1u << CM_CONTRACT_CDD;
        st.strict = CM_STRICT_CONTRACTS;
        cm_match_t sm = pair(&st, &o);
        ASSERT(!sm.eligible && sm.n_barriers >= 2 && sm.barriers[0].hard);
        for (size_t i = 1; i < sm.n_barriers; i++)
            ASSERT(sm.barriers[i - 1].hard || !sm.barriers[i].hard);
    }
    ASSERT_STREQ(cm_barrier_code_name(b->code), "skills_to_learn");
    ASSERT_STREQ(cm_barrier_name(b->kind), "skills");
    c.open_to_immersion = false; /* the training alone */
    b = find_code((m = pair(&c, &o), &m), CM_BC_SKILLS_TO_LEARN);
    ASSERT(b && b->levers == CM_LEVER_PRE_HIRE_TRAINING);
    c.open_to_training = false; /* open to neither: nothing said, nothing counted */
    m = pair(&c, &o);
    ASSERT(!has_code(m, CM_BC_SKILLS_TO_LEARN) && m.explain[CM_F_SKILLS] == 0.0);
    c.open_to_training = true; /* the required skill held: nothing to learn that counts */
    c.skills = s1;
    c.n_skills = 1;
    ASSERT(!has_code(pair(&c, &o), CM_BC_SKILLS_TO_LEARN));
}

int main(void)
{
    cfg_defaults(&cfg);
    test_skills_to_learn();
    test_apprenticeship();
    test_regulated_levers();
    test_days_off();
    test_hours_contract();
    test_own_vehicle();
    test_restrictions();
    test_diploma_skills();
    test_commute();
    test_commute_adviser();
    test_commute_dense();
    test_experience();
    test_cert_groups();
    test_barrier_numbers();
    test_adviser_reading();
    printf("test_score_v2: ok\n");
    return 0;
}
