/* Scoring model: label normalisation and synonyms, each factor, each hard requirement and
 * each lever rule one by one, the weighted total, determinism, and the JSON config. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fixtures.h"
#include "score.h"
#include "test.h"

static cm__score_config_t cfg;

/* Score candidate c against offer o with details. */
static cm_match_t pair(const cm_candidate_t *c, const cm_offer_t *o)
{
    cm__cand_fields_t cf;
    cm__offer_fields_t of;
    cm_match_t m;
    memset(&m, 0, sizeof m);
    ASSERT_OK(cm__cand_fields_init(&cf, c, &cfg));
    ASSERT_OK(cm__offer_fields_init(&of, o));
    cm__score_pair(&cfg, &cf, &of, 0.0, true, &m);
    /* Without details the numbers, kinds and levers are the same. */
    cm_match_t q;
    memset(&q, 0, sizeof q);
    cm__score_pair(&cfg, &cf, &of, 0.0, false, &q);
    ASSERT(q.score == m.score);
    ASSERT(memcmp(q.explain, m.explain, sizeof q.explain) == 0);
    ASSERT_EQ(q.eligible, m.eligible);
    ASSERT_EQ(q.n_barriers, m.n_barriers);
    for (size_t i = 0; i < m.n_barriers; i++) {
        ASSERT_EQ(q.barriers[i].kind, m.barriers[i].kind);
        ASSERT_EQ(q.barriers[i].levers, m.barriers[i].levers);
        ASSERT(m.barriers[i].detail[0] != '\0');
    }
    cm__cand_fields_clear(&cf);
    cm__offer_fields_clear(&of);
    return m;
}

static const cm_barrier_t *find_barrier(const cm_match_t *m, int kind)
{
    for (size_t i = 0; i < m->n_barriers; i++)
        if (m->barriers[i].kind == kind)
            return &m->barriers[i];
    return NULL;
}

static void test_names(void)
{
    ASSERT_STREQ(cm_factor_name(CM_F_SKILLS), "skills");
    ASSERT_STREQ(cm_factor_name(CM_F_CERTS), "certifications");
    ASSERT_STREQ(cm_factor_name(CM_F_TEXT), "text");
    ASSERT_STREQ(cm_factor_name(CM_F__COUNT), "unknown");
    ASSERT_STREQ(cm_barrier_name(CM_BARRIER_LICENCE), "driving_licence");
    ASSERT_STREQ(cm_barrier_name(CM_BARRIER_DISABILITY), "disability");
    ASSERT_STREQ(cm_barrier_name(-1), "unknown");
    ASSERT_STREQ(cm_lever_name(0), "mobility_aid");
    ASSERT_STREQ(cm_lever_name(2), "childcare_aid");
    ASSERT_STREQ(cm_lever_name(5), "workplace_adaptation");
    ASSERT_STREQ(cm_lever_name(6), "unknown");
}

static void test_labels(void)
{
    char buf[256];
    cm__label_normalise("Soins d'Hygiène et de Confort", buf, sizeof buf);
    ASSERT_STREQ(buf, "soin hygiene et de confort");
    cm__label_normalise("  ÉCOUTE,  bienveillance! ", buf, sizeof buf);
    ASSERT_STREQ(buf, "ecoute bienveillance");
    cm__label_normalise("Soins d\xe2\x80\x99hygi\xc3\xa8ne", buf, sizeof buf); /* ’ apostrophe */
    ASSERT_STREQ(buf, "soin hygiene");
    cm__label_normalise("Œuvres", buf, sizeof buf);
    ASSERT_STREQ(buf, "oeuvre");
    ASSERT_EQ(cm__label_normalise(NULL, buf, sizeof buf), 0);

    /* Case, accents and plurals do not matter. */
    ASSERT_EQ(cm__skill_hash("Soin d'hygiene"), cm__skill_hash("SOINS D'HYGIÈNE"));
    /* Synonyms fold to their group. */
    ASSERT_EQ(cm__skill_hash("toilette"), cm__skill_hash("Soins d'hygiène et de confort"));
    ASSERT_EQ(cm__skill_hash("Soins d'hygiène"), cm__skill_hash("Aide à la toilette"));
    ASSERT_EQ(cm__skill_hash("aide au repas"), cm__skill_hash("Aide à la prise des repas"));
    ASSERT_EQ(cm__skill_hash("Transferts"), cm__skill_hash("mobilisation"));
    ASSERT_EQ(cm__skill_hash("Ménage"), cm__skill_hash("entretien du logement"));
    ASSERT(cm__skill_hash("toilette") != cm__skill_hash("transferts"));
    /* France Travail's competences (ROME 4.0 sentences) meet a candidate's own words. */
    ASSERT_EQ(cm__skill_hash("Veiller à l'hygiène corporelle des personnes"),
              cm__skill_hash("toilette"));
    ASSERT_EQ(cm__skill_hash("Réaliser ou contrôler les soins d'hygiène, de confort et apporter "
                             "une aide au patient"),
              cm__skill_hash("toilette"));
    ASSERT_EQ(cm__skill_hash("Préparer, aider à la prise des repas et encourager dans la "
                             "manipulation des couverts"),
              cm__skill_hash("aide au repas"));
    ASSERT_EQ(cm__skill_hash("Aider une personne à s'habiller"), cm__skill_hash("habillage"));
    ASSERT_EQ(cm__skill_hash("Entretenir les espaces de vie et le linge de la personne "
                             "accompagnée"),
              cm__skill_hash("ménage"));
    ASSERT_EQ(cm__skill_hash("entretien du linge"), cm__skill_hash("ménage"));
    /* specialisms in other words (an adviser's probe: the Alzheimer job came last for the
     * candidate with Alzheimer experience, its skills at 0) */
    ASSERT_EQ(cm__skill_hash("Accompagner des personnes atteintes de la maladie d'Alzheimer"),
              cm__skill_hash("Accompagnement de personnes atteintes de la maladie d'Alzheimer"));
    ASSERT_EQ(cm__skill_hash("Stimuler les capacités cognitives"),
              cm__skill_hash("stimulation cognitive"));
    ASSERT_EQ(cm__skill_hash("Accompagner une personne en fin de vie"),
              cm__skill_hash("soins palliatifs"));
    ASSERT_EQ(cm__skill_hash("Aider la personne dans ses déplacements"),
              cm__skill_hash("aide aux déplacements"));
    ASSERT_EQ(cm__skill_hash("Accompagner des personnes atteintes de troubles psychiques"),
              cm__skill_hash("handicap psychique"));
    ASSERT(cm__skill_hash("alzheimer") != cm__skill_hash("fin de vie") &&
           cm__skill_hash("alzheimer") != cm__skill_hash("toilette"));
    ASSERT_EQ(cm__skill_hash("Préparer des repas"), cm__skill_hash("cuisine"));
    ASSERT(cm__skill_hash("Préparer des repas") != cm__skill_hash("aide au repas"));
    ASSERT_EQ(cm__skill_hash("Effectuer les courses d'une personne"), cm__skill_hash("courses"));
    ASSERT_EQ(cm__skill_hash("Vérifier la prise de médicaments par la personne en fonction de la "
                             "prescription médicale"),
              cm__skill_hash("distribution des médicaments"));
    ASSERT_EQ(cm__skill_hash("Encourager l'autonomie dans les activités quotidiennes"),
              cm__skill_hash("maintien de l'autonomie"));
    ASSERT_EQ(cm__skill_hash("Maintenir, favoriser le lien social de la personne"),
              cm__skill_hash("animation"));
    /* ...and not where only a word is shared: linen is housekeeping, rules are not care, a
     * quality is not a task */
    ASSERT(cm__skill_hash("Changer les draps, refaire le lit et remplacer le linge de toilette") !=
           cm__skill_hash("toilette"));
    ASSERT(cm__skill_hash("Respecter les règles de Qualité, Hygiène, Sécurité, Santé et "
                          "Environnement (QHSSE)") != cm__skill_hash("toilette"));
    ASSERT(cm__skill_hash("Faire preuve d'autonomie") != cm__skill_hash("maintien de l'autonomie"));
    ASSERT(cm__skill_hash("Travail en horaires décalés") != cm__skill_hash("toilette"));
    /* the WC and the kitchen cleaned are housekeeping (second adviser probe) */
    ASSERT_EQ(cm__skill_hash("Nettoyer les toilettes et sanitaires"), cm__skill_hash("ménage"));
    ASSERT_EQ(cm__skill_hash("nettoyage des toilettes"), cm__skill_hash("ménage"));
    ASSERT_EQ(cm__skill_hash("Entretenir la cuisine et les sanitaires"), cm__skill_hash("ménage"));
    ASSERT(cm__skill_hash("entretien de la cuisine") != cm__skill_hash("cuisine"));
    /* a group's own first phrasing stays its own, whatever words it holds */
    ASSERT_EQ(cm__skill_hash("aide aux courses"), cm__skill_hash("courses"));
    ASSERT(cm__skill_hash("aide aux courses") != cm__skill_hash("aide au repas"));
    ASSERT(cm__skill_hash("") != 0);

    /* A candidate's label joining several skills names each (second adviser probe: "aide à la
     * toilette et à l'habillage" was personal care only); a part counts by a key phrase,
     * never a bare phrasing, and the WC stay housekeeping. */
    uint32_t h[8];
    size_t n = cm__skill_hashes("Aide à la toilette et à l'habillage", h, 8);
    ASSERT_EQ(n, 2);
    ASSERT_EQ(h[0], cm__skill_hash("toilette"));
    ASSERT_EQ(h[1], cm__skill_hash("habillage"));
    n = cm__skill_hashes("toilette, repas / courses; ménage + animation & habillage", h, 8);
    ASSERT_EQ(n, 5); /* "repas" alone is no key phrase */
    ASSERT_EQ(h[1], cm__skill_hash("courses"));
    ASSERT_EQ(h[2], cm__skill_hash("ménage"));
    ASSERT_EQ(h[3], cm__skill_hash("animation"));
    ASSERT_EQ(h[4], cm__skill_hash("habillage"));
    ASSERT_EQ(cm__skill_hashes("toilette, repas, courses", h, 2), 2); /* at most cap */
    n = cm__skill_hashes("Hygiène et sécurité", h, 8);
    ASSERT_EQ(n, 1);
    ASSERT(h[0] != cm__skill_hash("toilette"));
    n = cm__skill_hashes("Nettoyer les toilettes et sanitaires", h, 8);
    ASSERT_EQ(n, 1);
    ASSERT_EQ(h[0], cm__skill_hash("ménage"));
    n = cm__skill_hashes("soins d'hygiène et de confort", h, 8); /* a group's phrasing */
    ASSERT_EQ(n, 1);
    n = cm__skill_hashes("Bienveillance", h, 8);
    ASSERT_EQ(n, 1);
    ASSERT_EQ(h[0], cm__skill_hash("bienveillance"));
    ASSERT_EQ(cm__skill_hashes("etre et avoir", h, 8), 1); /* "et" within words: one part */

    char code[CM_CERT_MAX + 1];
    cm__cert_canon("deavs", code);
    ASSERT_STREQ(code, "DEAES");
    cm__cert_canon("MCAD", code);
    ASSERT_STREQ(code, "DEAES");
    cm__cert_canon("DE-AES", code);
    ASSERT_STREQ(code, "DEAES");
    cm__cert_canon("DPAS", code);
    ASSERT_STREQ(code, "DEAS");
    cm__cert_canon("ide", code);
    ASSERT_STREQ(code, "DEI");

    const char *cert, *job;
    ASSERT(cm__rome_regulated("J1501", &cert, &job));
    ASSERT_STREQ(cert, "DEAS");
    ASSERT(cm__rome_regulated("J1304", &cert, &job));
    ASSERT_STREQ(cert, "DEAP");
    ASSERT(cm__rome_regulated("J1506", &cert, &job));
    ASSERT_STREQ(cert, "DEI");
    /* ROME 4.0 home-care and AES codes: no diploma required by law */
    ASSERT(!cm__rome_regulated("K1311", &cert, &job));
    ASSERT(!cm__rome_regulated("K1302", &cert, &job));
    ASSERT(!cm__rome_regulated("K1306", &cert, &job));
    /* any one of several diplomas: no single certification is imposed */
    ASSERT(!cm__rome_regulated("K1216", &cert, &job));
    cm__cert_canon("DEAVS", code);
    ASSERT_STREQ(code, "DEAES");
    cm__cert_canon("Agrément AM", code); /* not in the table: its own key */
    ASSERT_STREQ(code, "AGRMENTAM");
    ASSERT_EQ(cm__rome_code("J1501"), 10 * 10000 + 1501);
    ASSERT_EQ(cm__rome_code("j150"), 0);
}

static const cm_geo_t paris = {48856600, 2352200};

static void test_skills(void)
{
    cm_skill_req_t sk[] = {{"Soins d'hygiène et de confort", true}, {"Animation", false}};
    cm_offer_t o = mk_offer("o1", "K1311", paris);
    cm_candidate_t c = mk_cand("c1", paris);
    ASSERT_NEAR(pair(&c, &o).explain[CM_F_SKILLS], 1.0, 0); /* no skills on the offer */
    o.skills = sk;
    o.n_skills = 2;
    ASSERT_NEAR(pair(&c, &o).explain[CM_F_SKILLS], 0.0, 0);
    const char *s1[] = {"toilette"}; /* synonym of the required skill */
    c.skills = s1;
    c.n_skills = 1;
    ASSERT_NEAR(pair(&c, &o).explain[CM_F_SKILLS], 2.0 / 3, 1e-12);
    const char *s2[] = {"activités de loisirs", "jardinage"};
    c.skills = s2;
    c.n_skills = 2;
    ASSERT_NEAR(pair(&c, &o).explain[CM_F_SKILLS], 1.0 / 3, 1e-12);
    const char *s3[] = {"Animations", "SOINS D'HYGIENE ET DE CONFORT"};
    c.skills = s3;
    ASSERT_NEAR(pair(&c, &o).explain[CM_F_SKILLS], 1.0, 0);
    /* Skills never make a result ineligible. */
    c.n_skills = 0;
    ASSERT(pair(&c, &o).eligible);
}

static void test_certs(void)
{
    cm_cert_req_t req[] = {{.code = "DEAES", .required = true}, {.code = "PSC1", .required = false}};
    cm_offer_t o = mk_offer("o1", "K1311", paris);
    cm_candidate_t c = mk_cand("c1", paris);
    o.certs = req;
    o.n_certs = 2;
    const char *deavs[] = {"DEAVS"}; /* equivalent to DEAES */
    c.certs = deavs;
    c.n_certs = 1;
    cm_match_t m = pair(&c, &o);
    ASSERT(m.eligible);
    ASSERT_NEAR(m.explain[CM_F_CERTS], 0.8, 1e-12); /* optional PSC1 missing */
    const char *both[] = {"PSC1", "DEAES"};
    c.certs = both;
    c.n_certs = 2;
    ASSERT_NEAR(pair(&c, &o).explain[CM_F_CERTS], 1.0, 0);

    /* Missing required: barrier, no lever unless both sides allow it. */
    c.n_certs = 0;
    m = pair(&c, &o);
    ASSERT(!m.eligible);
    ASSERT_NEAR(m.explain[CM_F_CERTS], 0.0, 0);
    const cm_barrier_t *b = find_barrier(&m, CM_BARRIER_CERTIFICATION);
    ASSERT(b);
    ASSERT_EQ(b->levers, 0);
    ASSERT(strstr(b->detail, "DEAES required"));
    ASSERT(!strstr(b->detail, "PSC1"));

    /* The levers, for what is no diploma (a DEAES is lifted by neither: test_score_v2) */
    req[0].code = "SST";
    o.pre_hire_training = true;
    ASSERT_EQ(find_barrier((m = pair(&c, &o), &m), CM_BARRIER_CERTIFICATION)->levers, 0);
    /* a certificate, not a diploma: said so (an adviser's probe) */
    ASSERT(strstr(find_barrier(&m, CM_BARRIER_CERTIFICATION)->detail_fr,
                  "Certification exigée par l'offre : SST, que la personne n'a pas."));
    c.open_to_training = true;
    m = pair(&c, &o);
    ASSERT_EQ(find_barrier(&m, CM_BARRIER_CERTIFICATION)->levers, CM_LEVER_PRE_HIRE_TRAINING);
    ASSERT(strstr(find_barrier(&m, CM_BARRIER_CERTIFICATION)->detail_fr,
                  "une formation courte avant l'embauche peut la donner"));
    c.open_to_immersion = true;
    m = pair(&c, &o);
    ASSERT_EQ(find_barrier(&m, CM_BARRIER_CERTIFICATION)->levers, CM_LEVER_PRE_HIRE_TRAINING);
    /* an immersion shows the work, it certifies nothing (an adviser's probe) */
    o.immersion_possible = true;
    m = pair(&c, &o);
    ASSERT_EQ(find_barrier(&m, CM_BARRIER_CERTIFICATION)->levers, CM_LEVER_PRE_HIRE_TRAINING);
    o.pre_hire_training = false;
    m = pair(&c, &o);
    ASSERT_EQ(find_barrier(&m, CM_BARRIER_CERTIFICATION)->levers, 0);
    req[0].code = "DEAES";

    /* Two required, one held: the proportion. */
    cm_cert_req_t two[] = {{.code = "DEAES", .required = true}, {.code = "SST", .required = true}};
    o.certs = two;
    c.certs = deavs;
    c.n_certs = 1;
    m = pair(&c, &o);
    ASSERT(!m.eligible);
    ASSERT_NEAR(m.explain[CM_F_CERTS], 0.5, 0);
}

static void test_regulated(void)
{
    static const struct {
        const char *rome, *cert, *job;
    } reg[] = {{"J1501", "DEAS", "Aide-soignant / Aide-soignante"},
               {"J1304", "DEAP", "Auxiliaire de puériculture"},
               {"J1506", "DEI", "Infirmier / Infirmière en soins généraux (IDE)"},
               {"J1305", "DEA", "Ambulancier / Ambulancière"},
               {"K1201", "DEASS", "Assistant social / Assistante sociale"},
               {"K1310", "AGREMENT_AM", "Assistant maternel / Assistante maternelle"}};
    for (size_t i = 0; i < sizeof reg / sizeof reg[0]; i++) {
        /* The offer lists no certification at all: the profession still needs its diploma. */
        cm_offer_t o = mk_offer("o1", reg[i].rome, paris);
        cm_candidate_t c = mk_cand("c1", paris);
        const char *deaes[] = {"DEAES"};
        c.certs = deaes;
        c.n_certs = 1;
        cm_match_t m = pair(&c, &o);
        ASSERT(!m.eligible);
        const cm_barrier_t *b = find_barrier(&m, CM_BARRIER_CERTIFICATION);
        ASSERT(b);
        char want[128];
        snprintf(want, sizeof want, "%s required (%s is regulated)", reg[i].cert, reg[i].job);
        ASSERT_STREQ(b->detail, want);
        const char *ok[] = {reg[i].cert};
        c.certs = ok;
        ASSERT(pair(&c, &o).eligible);
        /* Even an offer that marks the diploma optional cannot waive it. */
        cm_cert_req_t opt[] = {{.code = reg[i].cert, .required = false}};
        o.certs = opt;
        o.n_certs = 1;
        c.n_certs = 0;
        ASSERT(!pair(&c, &o).eligible);
    }
    /* A former name counts: DPAS is the DEAS. */
    cm_offer_t o = mk_offer("o1", "J1501", paris);
    cm_candidate_t c = mk_cand("c1", paris);
    const char *dpas[] = {"dpas"};
    c.certs = dpas;
    c.n_certs = 1;
    ASSERT(pair(&c, &o).eligible);
}

static void test_commute(void)
{
    cm_candidate_t c = mk_cand("c1", paris);
    cm_offer_t o = mk_offer("o1", "K1311", geo_east(48.8566, 2.3522, 5.0));
    cm_match_t m = pair(&c, &o);
    double km = cm__distance_km(c.loc, o.loc);
    ASSERT_NEAR(km, 5.0, 0.05);
    /* transit in Paris's dense network: 1.3 detour, 25 km/h, 6 min wait: ~22 min; walk would
     * be 80 (national transit: test_commute_dense) */
    double t = floor(km * 1.3 / 25 * 60 + 6 + 0.5);
    ASSERT_EQ(m.commute_mode, CM_MODE_TRANSIT);
    ASSERT_NEAR(m.commute_minutes, t, 0);
    ASSERT_NEAR(m.distance_km, floor(km * 10 + 0.5) / 10, 1e-9);
    /* falls from 1 at 0 min to 0.5 at the limit: 1 - 0.5 (t / 45)^1.5 */
    ASSERT_NEAR(m.explain[CM_F_COMMUTE], 1 - 0.5 * pow(t / 45, 1.5), 1e-12);
    ASSERT(m.eligible);

    /* 1 km is faster on foot than waiting for transit only when very close: 0.3 km walk
     * 5 min vs transit 9 min. Near, but not 0 minutes: a little below 1. */
    o.loc = geo_east(48.8566, 2.3522, 0.3);
    m = pair(&c, &o);
    ASSERT_EQ(m.commute_mode, CM_MODE_WALK);
    ASSERT_NEAR(m.explain[CM_F_COMMUTE], 1 - 0.5 * pow(5.0 / 45, 1.5), 1e-12);

    /* Too far: hard barrier with mobility aid and licence funding (no licence). */
    o.loc = geo_east(48.8566, 2.3522, 20.0);
    m = pair(&c, &o);
    ASSERT(!m.eligible);
    ASSERT_NEAR(m.explain[CM_F_COMMUTE], 0.0, 0);
    const cm_barrier_t *b = find_barrier(&m, CM_BARRIER_COMMUTE);
    ASSERT(b);
    /* inside Paris's network: its transit is the way, not a licence (a helper's probe) */
    ASSERT_EQ(b->levers, CM_LEVER_MOBILITY_AID);
    char want[64];
    snprintf(want, sizeof want, "transit %d min > 45 min limit", (int)m.commute_minutes);
    ASSERT(strstr(b->detail, want));
    /* the same trip out of any network (Clermont-Ferrand): a licence funded too */
    cm_candidate_t cf = c;
    cm_offer_t of = o;
    cf.loc = geo_east(45.7772, 3.0870, 0);
    of.loc = geo_east(45.7772, 3.0870, 30.0); /* 72 min by coach or TER; 44 by car */
    m = pair(&cf, &of);
    ASSERT(!m.eligible);
    ASSERT_EQ(find_barrier(&m, CM_BARRIER_COMMUTE)->levers,
              CM_LEVER_MOBILITY_AID | CM_LEVER_DRIVING_LICENCE_FUNDING);
    /* A few minutes over: a licence is no lever for that (adviser probe); nor for a job too
     * far even by car. */
    bool seen = false;
    for (double d = 5; d < 20 && !seen; d += 0.1) {
        o.loc = geo_east(48.8566, 2.3522, d);
        m = pair(&c, &o);
        if (m.commute_minutes > 45 && m.commute_minutes <= 50) {
            ASSERT_EQ(find_barrier(&m, CM_BARRIER_COMMUTE)->levers, CM_LEVER_MOBILITY_AID);
            seen = true;
        }
    }
    ASSERT(seen);
    o.loc = geo_east(48.8566, 2.3522, 150.0);
    m = pair(&c, &o);
    ASSERT_EQ(find_barrier(&m, CM_BARRIER_COMMUTE)->levers, CM_LEVER_MOBILITY_AID);
    o.loc = geo_east(48.8566, 2.3522, 20.0);

    /* With a licence the lever is only mobility aid. */
    c.driving_licence = true;
    m = pair(&c, &o);
    ASSERT_EQ(find_barrier(&m, CM_BARRIER_COMMUTE)->levers, CM_LEVER_MOBILITY_AID);
    /* Licence and vehicle but car not among the modes: still not usable. */
    c.vehicle = true;
    ASSERT(!pair(&c, &o).eligible);
    /* Car listed with licence and vehicle: 20 km x 1.3 = 26 km of road: 5 km at 30 km/h,
     * 15 at 50, 6 at 70 = 33 min. */
    c.modes |= CM_MODE_CAR;
    m = pair(&c, &o);
    ASSERT(m.eligible);
    ASSERT_EQ(m.commute_mode, CM_MODE_CAR);
    double road = cm__distance_km(c.loc, o.loc) * 1.3;
    ASSERT_NEAR(m.commute_minutes, floor((5 / 30.0 + 15 / 50.0 + (road - 20) / 70) * 60 + 0.5), 0);
    /* Car listed, licence, no vehicle: not usable... */
    c.vehicle = false;
    ASSERT(!pair(&c, &o).eligible);
    /* ...nor with the employer's vehicle: the rounds' car, not her way to work (the commute
     * is by her own means; an adviser's probe) */
    o.vehicle_provided = true;
    m = pair(&c, &o);
    ASSERT(!m.eligible);
    ASSERT(m.commute_mode != CM_MODE_CAR);
    c.modes &= ~CM_MODE_CAR;
    m = pair(&c, &o);
    ASSERT(!m.eligible);
    ASSERT(m.commute_mode != CM_MODE_CAR);
    c.modes |= CM_MODE_CAR;
    o.vehicle_provided = false;
    /* Licence, no vehicle: the job a car would bring within her limit is nearer to feasible
     * than one still too far by car (an adviser's probe: both at the gap of 1, the far one
     * ranked first by its score) */
    {
        cm_candidate_t k = c;
        k.modes = CM_MODE_CAR;
        k.max_minutes = 45;
        cm_offer_t near = o, far = o;
        near.loc = geo_east(48.8566, 2.3522, 20.0); /* 33 min by car */
        far.loc = geo_east(48.8566, 2.3522, 60.0);  /* over 45 by car */
        cm_match_t mn = pair(&k, &near), mf = pair(&k, &far);
        ASSERT(!mn.eligible && !mf.eligible);
        ASSERT(find_barrier(&mn, CM_BARRIER_COMMUTE)->code == CM_BC_COMMUTE_NO_MODE);
        ASSERT(find_barrier(&mf, CM_BARRIER_COMMUTE)->code == CM_BC_COMMUTE_NO_MODE);
        ASSERT(mf.commute_minutes > 45 && mn.commute_minutes <= 45);
        ASSERT_NEAR(mn.gap, 1.0, 1e-12);
        ASSERT(mf.gap > mn.gap);
    }
    /* No licence, car only: no usable mode at all (the car's commute is shown). */
    c.driving_licence = false;
    c.modes = CM_MODE_CAR;
    m = pair(&c, &o);
    ASSERT(!m.eligible);
    ASSERT_EQ(m.commute_mode, CM_MODE_CAR);
    b = find_barrier(&m, CM_BARRIER_COMMUTE);
    ASSERT(b && strstr(b->detail, "no usable transport mode"));
    ASSERT_EQ(b->levers, CM_LEVER_MOBILITY_AID | CM_LEVER_DRIVING_LICENCE_FUNDING);
    /* Bike: 1.25 detour, 15 km/h. */
    c.modes = CM_MODE_BIKE;
    o.loc = geo_east(48.8566, 2.3522, 6.0);
    m = pair(&c, &o);
    ASSERT_EQ(m.commute_mode, CM_MODE_BIKE);
    ASSERT_NEAR(m.commute_minutes, floor(cm__distance_km(c.loc, o.loc) * 1.25 / 15 * 60 + 0.5), 0);
}

static void test_licence(void)
{
    cm_candidate_t c = mk_cand("c1", paris);
    cm_offer_t o = mk_offer("o1", "K1311", paris);
    o.driving_licence_required = true;
    cm_match_t m = pair(&c, &o);
    ASSERT(!m.eligible);
    const cm_barrier_t *b = find_barrier(&m, CM_BARRIER_LICENCE);
    ASSERT(b);
    ASSERT_EQ(b->levers, CM_LEVER_DRIVING_LICENCE_FUNDING);
    ASSERT_EQ(m.n_barriers, 1);
    c.driving_licence = true;
    m = pair(&c, &o);
    ASSERT(m.eligible);
    ASSERT_EQ(m.n_barriers, 0);
}

static void test_schedule(void)
{
    cm_window_t nights[] = {{0x07, HM(21, 0), HM(7, 0)}}; /* mon-wed 21:00-07:00 */
    cm_window_t school[] = {{DAYS_WEEK, HM(8, 30), HM(16, 30)}};
    cm_candidate_t c = mk_cand("c1", paris);
    cm_offer_t o = mk_offer("o1", "K1311", paris);
    ASSERT_NEAR(pair(&c, &o).explain[CM_F_SCHEDULE], 1.0, 0); /* neither side says */
    o.schedule = nights;
    o.n_schedule = 1;
    ASSERT_NEAR(pair(&c, &o).explain[CM_F_SCHEDULE], 1.0, 0); /* available any time */
    c.availability = school;
    c.n_availability = 1;
    cm_match_t m = pair(&c, &o);
    ASSERT(!m.eligible);
    ASSERT_NEAR(m.explain[CM_F_SCHEDULE], 0.0, 0);
    const cm_barrier_t *b = find_barrier(&m, CM_BARRIER_SCHEDULE);
    ASSERT(b);
    ASSERT_EQ(b->levers, 0); /* no children */
    ASSERT(strstr(b->detail, "night"));
    ASSERT(strstr(b->detail, "outside availability Mon-Fri 08:30-16:30"));
    ASSERT(strstr(b->detail_fr, "(lun.-ven. 08:30-16:30)"));
    ASSERT(!find_barrier(&m, CM_BARRIER_CHILDCARE));
    /* two ranges a day, both said (an adviser's probe: "07:00-12:00+") */
    cm_window_t two[] = {{DAYS_WEEK, HM(7, 0), HM(12, 0)}, {DAYS_WEEK, HM(16, 30), HM(20, 30)}};
    c.availability = two;
    c.n_availability = 2;
    m = pair(&c, &o);
    b = find_barrier(&m, CM_BARRIER_SCHEDULE);
    ASSERT(b && strstr(b->detail_fr, "(lun.-ven. 07:00-12:00 et 16:30-20:30)"));
    c.availability = school;
    c.n_availability = 1;

    /* Children under 12: childcare aid on the barrier and a childcare note (AGEPI). */
    c.has_childcare = true;
    c.children_under_12 = 2;
    c.solo_parent = true;
    m = pair(&c, &o);
    ASSERT_EQ(find_barrier(&m, CM_BARRIER_SCHEDULE)->levers, CM_LEVER_CHILDCARE_AID);
    b = find_barrier(&m, CM_BARRIER_CHILDCARE);
    ASSERT(b);
    ASSERT_EQ(b->levers, CM_LEVER_CHILDCARE_AID);
    ASSERT(strstr(b->detail, "school hours"));
    ASSERT(strstr(b->detail, "solo parent"));

    /* Daytime offer: coverage by half-hours, threshold 0.75 (not a solo parent here). */
    cm_window_t day[] = {{DAYS_WEEK, HM(8, 0), HM(18, 0)}};
    cm_window_t morning[] = {{DAYS_WEEK, HM(8, 0), HM(15, 30)}};
    cm_window_t shorter[] = {{DAYS_WEEK, HM(8, 0), HM(15, 0)}};
    c.solo_parent = false;
    o.schedule = day;
    c.availability = morning;
    m = pair(&c, &o);
    ASSERT_NEAR(m.explain[CM_F_SCHEDULE], 0.75, 1e-12);
    ASSERT(m.eligible);
    ASSERT(!find_barrier(&m, CM_BARRIER_CHILDCARE)); /* 08:00-18:00 weekdays is not atypical */
    c.availability = shorter;
    m = pair(&c, &o);
    ASSERT_NEAR(m.explain[CM_F_SCHEDULE], 0.7, 1e-12);
    ASSERT(!m.eligible);
    ASSERT(strstr(find_barrier(&m, CM_BARRIER_SCHEDULE)->detail, "70%"));
    c.solo_parent = true;

    /* A weekend offer inside availability: eligible, but the childcare note remains. */
    cm_window_t sat[] = {{1u << 5, HM(9, 0), HM(17, 0)}};
    cm_window_t all[] = {{CM_DAYS_ALL, HM(7, 0), HM(20, 0)}};
    o.schedule = sat;
    c.availability = all;
    m = pair(&c, &o);
    ASSERT(m.eligible);
    ASSERT_NEAR(m.explain[CM_F_SCHEDULE], 1.0, 0);
    b = find_barrier(&m, CM_BARRIER_CHILDCARE);
    ASSERT(b && strstr(b->detail, "weekend"));
}

static void test_contract_hours_experience(void)
{
    cm_candidate_t c = mk_cand("c1", paris);
    cm_offer_t o = mk_offer("o1", "K1311", paris);
    ASSERT_NEAR(pair(&c, &o).explain[CM_F_CONTRACT], 1.0, 0); /* any contract, any hours */
    c.contracts = 1u << CM_CONTRACT_CDI;
    o.contract = CM_CONTRACT_CDD;
    /* length not said: taken as three months (it ranked below a one-month CDD: an adviser's
     * probe) */
    double dnone = pair(&c, &o).explain[CM_F_CONTRACT];
    /* a fixed term's length brings it nearer a CDI: 30 days < 90 days < a year (adviser
     * probe: a 30-day CDD tied with a 3-month one) */
    o.contract_days = 30;
    double d30 = pair(&c, &o).explain[CM_F_CONTRACT];
    o.contract_days = 90;
    double d90 = pair(&c, &o).explain[CM_F_CONTRACT];
    ASSERT(d30 < dnone);
    ASSERT_NEAR(dnone, d90, 1e-12);
    o.contract_days = 400;
    ASSERT(0.5 < d30 && d30 < d90 && d90 < pair(&c, &o).explain[CM_F_CONTRACT]);
    ASSERT_NEAR(pair(&c, &o).explain[CM_F_CONTRACT], 0.65, 1e-12);
    o.contract = CM_CONTRACT_INTERIM; /* no length credit for other kinds */
    ASSERT_NEAR(pair(&c, &o).explain[CM_F_CONTRACT], 0.5, 1e-12);
    o.contract_days = 0;
    o.contract = CM_CONTRACT_CDI;
    c.hours_min = 24;
    c.hours_max = 35;
    o.hours_per_week = 30;
    ASSERT_NEAR(pair(&c, &o).explain[CM_F_CONTRACT], 1.0, 0);
    o.hours_per_week = 20; /* 4 h short: 0.5 + 0.5 x 0.6 */
    ASSERT_NEAR(pair(&c, &o).explain[CM_F_CONTRACT], 0.8, 1e-6);
    o.hours_per_week = 50; /* 15 h over: hours part 0 */
    ASSERT_NEAR(pair(&c, &o).explain[CM_F_CONTRACT], 0.5, 1e-12);
    ASSERT(pair(&c, &o).eligible);

    /* an offer silent on experience: 0.9 + 0.1 x min(months, 24) / 24 (an adviser's probe:
     * no less open than one asking for what she has); one that wishes for it: the share */
    ASSERT_NEAR(pair(&c, &o).explain[CM_F_EXPERIENCE], 0.9, 1e-12);
    c.experience_months = 12;
    ASSERT_NEAR(pair(&c, &o).explain[CM_F_EXPERIENCE], 0.95, 1e-12);
    c.experience_months = 30;
    ASSERT_NEAR(pair(&c, &o).explain[CM_F_EXPERIENCE], 1.0, 0);
    o.experience_level = CM_XP_WANTED;
    c.experience_months = 12;
    ASSERT_NEAR(pair(&c, &o).explain[CM_F_EXPERIENCE], 0.5, 1e-12);
    o.experience_level = CM_XP_UNSET;
}

static void test_disability(void)
{
    cm_candidate_t c = mk_cand("c1", paris);
    cm_offer_t o = mk_offer("o1", "K1311", paris);
    c.disability_recognised = true;
    ASSERT_EQ(pair(&c, &o).n_barriers, 0);
    o.accessible_to_disabled_workers = true;
    cm_match_t m = pair(&c, &o);
    ASSERT(m.eligible); /* a note, never a reason to exclude */
    const cm_barrier_t *b = find_barrier(&m, CM_BARRIER_DISABILITY);
    ASSERT(b);
    ASSERT_EQ(b->levers, CM_LEVER_WORKPLACE_ADAPTATION);
    c.disability_recognised = false;
    ASSERT_EQ(pair(&c, &o).n_barriers, 0);
}

static void test_total(void)
{
    cm_candidate_t c = mk_cand("c1", paris);
    cm_offer_t o = mk_offer("o1", "K1311", paris);
    c.experience_months = 24;
    cm_match_t m = pair(&c, &o);
    for (int f = 0; f < CM_F_TEXT; f++)
        ASSERT_NEAR(m.explain[f], 1.0, 0);
    ASSERT_NEAR(m.explain[CM_F_TEXT], 0.0, 0);
    ASSERT_NEAR(m.score, 95.0, 0);
    double ex[CM_F__COUNT] = {0.5, 1, 1, 1, 1, 1, 1};
    ASSERT_NEAR(cm__score_total(&cfg, ex), 89.0, 0);
    double ex2[CM_F__COUNT] = {1.0 / 3, 0, 0, 0, 0, 0, 0}; /* 7.333.. -> 7.3 */
    ASSERT_NEAR(cm__score_total(&cfg, ex2), 7.3, 1e-12);
    /* Text is taken as given and clamped. */
    cm__cand_fields_t cf;
    cm__offer_fields_t of;
    ASSERT_OK(cm__cand_fields_init(&cf, &c, &cfg));
    ASSERT_OK(cm__offer_fields_init(&of, &o));
    cm__score_pair(&cfg, &cf, &of, 1.5, false, &m);
    ASSERT_NEAR(m.explain[CM_F_TEXT], 1.0, 0);
    ASSERT_NEAR(m.score, 100.0, 0);
    cm__cand_fields_clear(&cf);
    cm__offer_fields_clear(&of);
}

static void test_deterministic(void)
{
    cm_skill_req_t sk[] = {{"toilette", true}, {"Courses", false}, {"Animation", false}};
    cm_window_t ow[] = {{0x7f, HM(7, 0), HM(14, 0)}};
    cm_window_t cw[] = {{0x1f, HM(6, 30), HM(12, 0)}, {0x60, HM(8, 0), HM(20, 0)}};
    const char *cs[] = {"courses", "soins d'hygiene"};
    cm_offer_t o = mk_offer("o1", "K1311", geo(48.80, 2.40));
    cm_candidate_t c = mk_cand("c1", geo(48.85, 2.33));
    o.skills = sk;
    o.n_skills = 3;
    o.schedule = ow;
    o.n_schedule = 1;
    o.hours_per_week = 28;
    c.skills = cs;
    c.n_skills = 2;
    c.availability = cw;
    c.n_availability = 2;
    c.experience_months = 7;
    c.hours_min = 30;
    c.hours_max = 35;
    cm_match_t a = pair(&c, &o), b = pair(&c, &o);
    ASSERT(memcmp(&a, &b, sizeof a) == 0);
    ASSERT(a.score > 0 && a.score < 100);
    ASSERT_NEAR(a.score * 10, floor(a.score * 10 + 0.5), 1e-9); /* rounded to 0.1 */
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ASSERT(f);
    ASSERT(fputs(text, f) >= 0);
    ASSERT(fclose(f) == 0);
}

static void test_config(void)
{
    cm__score_config_t *c = NULL;
    cm_error err;
    char path[4200];
    ASSERT_OK(cm__score_config_load(NULL, &c, &err));
    ASSERT_NEAR(c->weight[CM_F_SKILLS], 0.22, 0);
    ASSERT_NEAR(c->mode[1].wait_min, 8, 0);
    cm__score_config_free(c);

    snprintf(path, sizeof path, "%s/scoring.json", cm_test_tmpdir("score"));
    write_file(path, "{\"weights\": {\"skills\": 0.5, \"text\": 0},"
                     " \"modes\": {\"car\": {\"speed_kmh\": 30},"
                     " \"transit_dense\": {\"speed_kmh\": 18, \"detour\": 1.4}},"
                     " \"schedule_min_coverage\": 0.6, \"scored_max\": 500}");
    ASSERT_OK(cm__score_config_load(path, &c, &err));
    ASSERT_NEAR(c->weight[CM_F_SKILLS], 0.5, 0);
    ASSERT_NEAR(c->weight[CM_F_TEXT], 0, 0);
    ASSERT_NEAR(c->weight[CM_F_CERTS], 0.18, 0); /* untouched keep their defaults */
    ASSERT_NEAR(c->mode[0].speed, 30, 0);
    ASSERT_NEAR(c->mode[0].detour, 1.3, 0);
    ASSERT_NEAR(c->mode[CM__MODE_TRANSIT_DENSE].speed, 18, 0);
    ASSERT_NEAR(c->mode[CM__MODE_TRANSIT_DENSE].wait_min, 6, 0);
    ASSERT_NEAR(c->schedule_min_coverage, 0.6, 0);
    ASSERT_EQ(c->scored_max, 500);
    cm__score_config_free(c);

    static const struct {
        const char *json, *field;
    } bad[] = {
        {"{\"weight\": {}}", "weight"},
        {"{\"weights\": {\"skill\": 1}}", "skill"},
        {"{\"weights\": {\"skills\": -1}}", "weights.skills"},
        {"{\"weights\": {\"skills\": 0, \"certifications\": 0, \"commute\": 0, \"schedule\": 0,"
         " \"contract\": 0, \"experience\": 0, \"text\": 0}}",
         "weights"},
        {"{\"modes\": {\"plane\": {}}}", "plane"},
        {"{\"modes\": {\"walk\": {\"detour\": 0.5}}}", "modes.walk.detour"},
        {"{\"schedule_min_coverage\": \"high\"}", "schedule_min_coverage"},
        {"[1]", ""},
        {"{oops", ""},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        write_file(path, bad[i].json);
        memset(&err, 0, sizeof err);
        c = (cm__score_config_t *)&err; /* must be reset to NULL on failure */
        ASSERT_RC(cm__score_config_load(path, &c, &err), CM_EINVAL);
        ASSERT(c == NULL);
        ASSERT_STREQ(err.field, bad[i].field);
    }
    ASSERT_RC(cm__score_config_load("/nonexistent/scoring.json", &c, &err), CM_EIO);
}

/* Text signatures and the text factor: stemming, stop words, fields, symmetry. */
static double text_of(const char *a, const char *b)
{
    cm_candidate_t c = mk_cand("c", geo(48.8, 2.3));
    cm_offer_t o = mk_offer("o", "J1501", geo(48.8, 2.3));
    c.summary = a;
    o.title = b;
    cm__cand_fields_t cf;
    cm__offer_fields_t of;
    ASSERT_OK(cm__cand_fields_init(&cf, &c, &cfg));
    ASSERT_OK(cm__offer_fields_init(&of, &o));
    for (uint32_t i = 1; i < cf.text.n; i++)
        ASSERT(cf.text.h[i - 1] < cf.text.h[i]); /* sorted, unique */
    double t = cm__sig_overlap(&cf.text, &of.text);
    ASSERT(t == cm__sig_overlap(&of.text, &cf.text));
    cm__cand_fields_clear(&cf);
    cm__offer_fields_clear(&of);
    return t;
}

static void test_text(void)
{
    /* common words over the shorter text's, never fewer than 6: a short profile whose two
     * words are in the offer is no better evidence than a summary sharing six */
    const double w = 1.0 / 6;
    ASSERT_NEAR(text_of("Aide-soignante de nuit", "aide soignant nuit"), 3 * w, 1e-12);
    ASSERT_NEAR(text_of("aide soignante", "Aide soignante diplômée en EHPAD"), 2 * w, 1e-12);
    ASSERT_NEAR(text_of("aide cuisinier", "Aide soignante diplômée en EHPAD"), w, 1e-12);
    /* the shorter text's words all in the longer one, six of them or more: 1 */
    ASSERT_NEAR(text_of("Aide soignante diplômée, toilette, transmissions, EHPAD",
                        "EHPAD : aide soignante diplômée pour la toilette et les transmissions"),
                1.0, 0);
    /* seven words, five of them among the offer's six */
    ASSERT_NEAR(text_of("Aide soignante diplômée, toilette, cuisine, jardinage, EHPAD",
                        "EHPAD : aide soignante diplômée pour la toilette et les transmissions"),
                5.0 / 6, 1e-12);
    ASSERT_NEAR(text_of("Cuisinier en restauration collective", "Aide soignante"), 0.0, 0);
    /* accents folded; stop words and 1-2 letter words carry nothing */
    ASSERT_NEAR(text_of("hygiène", "HYGIENE"), w, 1e-12);
    ASSERT_NEAR(text_of("les soins de la toilette", "pour les soins"), w, 1e-12);
    /* UTF-8 punctuation separates words: guillemets, no-break space, em dash, ellipsis */
    ASSERT_NEAR(text_of("\u00abaide\u00bb\u00a0soignante", "aide soignante"), 2 * w, 1e-12);
    ASSERT_NEAR(text_of("aide\u2014soignante\u2026", "aide soignante"), 2 * w, 1e-12);
    ASSERT_NEAR(text_of("de la et les pour", "de la et les pour"), 0.0, 0);
    ASSERT_NEAR(text_of(NULL, "aide soignant"), 0.0, 0);
    ASSERT_NEAR(text_of("", ""), 0.0, 0);
    /* every text field of a record counts: offer description, employer, city, skills;
     * candidate summary and skills (not her city: the commute speaks of places) */
    cm_offer_t o = mk_offer("o", "J1501", geo(48.8, 2.3));
    cm_skill_req_t sk[] = {{"Toilette", true}};
    o.title = NULL;
    o.description = "Résidence";
    o.employer_name = "Korian";
    o.city = "Créteil";
    o.skills = sk;
    o.n_skills = 1;
    cm_candidate_t c = mk_cand("c", geo(48.8, 2.3));
    const char *cskills[] = {"toilette"};
    c.summary = "résidence korian";
    c.city = "Creteil";
    c.skills = cskills;
    c.n_skills = 1;
    cm__sig_t a, b;
    ASSERT_OK(cm__sig_offer(&o, &a));
    ASSERT_OK(cm__sig_candidate(&c, &b));
    ASSERT_EQ(a.n, 4);
    ASSERT_EQ(b.n, 3);
    ASSERT_NEAR(cm__sig_overlap(&a, &b), 3 * w, 1e-12);
    cm__sig_clear(&a);
    cm__sig_clear(&b);
    ASSERT(a.h == NULL && a.n == 0);
}

int main(void)
{
    cm__score_config_defaults(&cfg);
    cfg.same_place_km = 0; /* the fixtures put both on one point: next door */
    test_names();
    test_labels();
    test_skills();
    test_certs();
    test_regulated();
    test_commute();
    test_licence();
    test_schedule();
    test_contract_hours_experience();
    test_disability();
    test_total();
    test_deterministic();
    test_config();
    test_text();
    printf("test_score: ok\n");
    return 0;
}
