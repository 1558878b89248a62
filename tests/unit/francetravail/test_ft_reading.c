/* France Travail text read as an adviser reads it (issue found by an outside probe): a
 * requirement taken back ("non exigé", "n'est pas obligatoire"), diplomas as employers spell
 * them ("DE AS", "D.E.A.S."), a vehicle to drive asks for the licence, nights said as
 * "jour/nuit" or "19h-7h", a month's or a year's hours, a NUL escape, and places that carry a
 * mistake (0, 0, a latitude's lost sign, a whole city's code, La Poste's "PARIS 15"). */
#include <math.h>

#include "ft_harness.h"

static bool has_any_cert(const cm_offer_t *r, const char *code)
{
    return has_cert(r, code, true) || has_cert(r, code, false);
}

/* A requirement taken back is none: the diploma is wanted at most, the licence and the
 * vehicle are not asked; said plainly, they are. */
static void test_negated_requirements(void)
{
    static const struct {
        const char *rome, *desc, *cert;
        int cert_required, licence, vehicle; /* -1: the certification absent */
    } cases[] = {
        {"J1501", "Le DEAS n'est pas exigé.", "DEAS", 0, 0, 0},
        {"J1501", "DEAS souhaité mais non obligatoire.", "DEAS", 0, 0, 0},
        {"K1306", "Diplôme non exigé : le DEAES n'est pas obligatoire", "DEAES", 0, 0, 0},
        {"K1306", "Le DEAES est un plus mais n'est pas requis.", "DEAES", 0, 0, 0},
        {"K1302", "Permis B non exigé, le trajet se fait en transports en commun.", NULL, -1, 0, 0},
        {"K1302", "Permis de conduire non obligatoire.", NULL, -1, 0, 0},
        {"K1302", "Véhicule personnel non exigé.", NULL, -1, 0, 0},
        {"J1501", "DEAS exigé.", "DEAS", 1, 0, 0},
        {"K1302", "Permis B obligatoire.", NULL, -1, 1, 0},
        {"K1302", "Le poste nécessite d'être titulaire du permis B.", NULL, -1, 1, 0},
        {"K1302", "Véhicule personnel exigé.", NULL, -1, 1, 1},
        /* outside review: no false negation, no false requirement */
        {"K1302", "Permis B et non-fumeur exigé.", NULL, -1, 1, 0},
        {"K1302", "Titulaire du permis B souhaité.", NULL, -1, 0, 0},
        {"J1501", "Idéalement titulaire du DEAS.", "DEAS", 0, 0, 0},
        {"K1306", "Le DEAES n'est pas exigé mais le permis B est obligatoire.", "DEAES", 0, 1, 0},
        {"K1302", "Pas de permis exigé : le trajet se fait en bus.", NULL, -1, 0, 0},
        {"K1302", "Pas de week-end, véhicule personnel exigé.", NULL, -1, 1, 1},
        {"K1302", "Prêt(e) à vous investir, EHPAD accessible en voiture.", NULL, -1, 0, 0},
        {"J1501", "Vous êtes titulaire du DEAS.", "DEAS", 1, 0, 0},
        {"J1501", "Poste réservé aux titulaires du DEAS.", "DEAS", 1, 0, 0},
        {"J1501", "Poste ouvert aux titulaires ou non du DEAS.", "DEAS", 0, 0, 0},
        {"K1302", "Titulaire du permis B.", NULL, -1, 1, 0},
        {"J1501", "Aide-soignant(e) diplômé(e) d'État exigé(e).", "DEAS", 1, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mapped_t m;
        map_one(&m, cases[i].rome, cases[i].desc, "");
        if (cases[i].cert) {
            if (!has_cert(m.rec, cases[i].cert, cases[i].cert_required == 1))
                CM_FAIL_("case %zu (%s): %s %s expected", i, cases[i].desc, cases[i].cert,
                         cases[i].cert_required ? "required" : "wanted");
        }
        if (m.rec->driving_licence_required != (cases[i].licence == 1) ||
            m.rec->vehicle_required != (cases[i].vehicle == 1))
            CM_FAIL_("case %zu (%s): licence %d vehicle %d", i, cases[i].desc,
                     m.rec->driving_licence_required, m.rec->vehicle_required);
        mapped_free(&m);
    }
}

/* Diplomas as employers write them. */
static void test_diploma_spellings(void)
{
    static const struct {
        const char *rome, *desc, *cert;
    } cases[] = {
        {"J1501", "D.E.A.S exigé.", "DEAS"},
        {"J1501", "D.E.A.S. exigé", "DEAS"},
        {"J1501", "DE d'aide-soignant exigé.", "DEAS"},
        {"K1306", "D.E.A.E.S. exigé", "DEAES"},
        {"J1506", "DEI obligatoire", "DEI"},
        /* short forms ("DE" before the job, "diplômé(e)" after it) */
        {"J1506", "DE infirmier exigé.", "DEI"},
        {"J1506", "D.E.I. exigé.", "DEI"},
        /* "D.E." with its points, before the job */
        {"J1506", "Vous êtes titulaire du D.E. infirmier.", "DEI"},
        {"J1501", "D.E. d'aide-soignant exigé.", "DEAS"},
        {"J1501", "D.E. aide-soignant obligatoire", "DEAS"},
        /* in the feminine (a second probe) */
        {"J1501", "D.E. d'aide-soignante exigé.", "DEAS"},
        {"J1501", "Diplôme d'État d'aide-soignante exigé.", "DEAS"},
        {"K1306", "D.E. d'accompagnante éducative et sociale exigé.", "DEAES"},
        {"J1304", "D.E. d'auxiliaire de puériculture exigé.", "DEAP"},
        {"J1506", "D.E. d'infirmière exigé.", "DEI"},
        {"J1506", "DE Infirmier obligatoire", "DEI"},
        {"J1506", "Infirmière diplômée obligatoire.", "DEI"},
        {"K1306", "AES diplômé(e) obligatoire.", "DEAES"},
        {"K1306", "Accompagnant éducatif et social diplômé exigé.", "DEAES"},
        {"J1501", "Aide-soignant(e) diplômé(e) obligatoire.", "DEAS"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mapped_t m;
        map_one(&m, cases[i].rome, cases[i].desc, "");
        if (!has_cert(m.rec, cases[i].cert, true))
            CM_FAIL_("case %zu (%s): %s required expected", i, cases[i].desc, cases[i].cert);
        mapped_free(&m);
    }
    /* a colleague named is no diploma asked: "en binôme avec l'IDE"; "de AS" is French for
     * "of aides-soignants", not "DE AS" */
    mapped_t m;
    map_one(&m, "J1501", "En binôme avec l'IDE. DEAS exigé.", "");
    ASSERT(!has_any_cert(m.rec, "DEI"));
    mapped_free(&m);
    map_one(&m, "K1302", "Recrutement de AS pour l'EHPAD, expérience exigée.", "");
    ASSERT(!has_any_cert(m.rec, "DEAS"));
    mapped_free(&m);
    map_one(&m, "K1306", "MAISON DE AESCULAPE : aucun diplôme exigé.", ""); /* no acronym */
    ASSERT(!has_any_cert(m.rec, "DEAES"));
    mapped_free(&m);
    /* colleagues' diplomas and the diploma a training leads to are not asked for */
    map_one(&m, "J1501",
            "Vous travaillez avec 2 infirmiers (DEI) et 8 aides-soignants. DEAS indispensable.",
            "");
    ASSERT(!has_any_cert(m.rec, "DEI"));
    ASSERT(has_cert(m.rec, "DEAS", true));
    mapped_free(&m);
    map_one(&m, "K1306", "Possibilité de VAE vers le DEAES.", "");
    ASSERT(!has_any_cert(m.rec, "DEAES"));
    mapped_free(&m);
    /* the diploma she has not got, the job's point (a helper's probe: DEAS wished) */
    map_one(&m, "J1501",
            "Vous n'avez pas le diplôme d'aide-soignant mais une expérience ? Rejoignez-nous en "
            "tant qu'agent de soins.",
            "");
    ASSERT(!has_any_cert(m.rec, "DEAS"));
    mapped_free(&m);
    map_one(&m, "J1501", "Formation DEAS en alternance avec l'IFAS.", "");
    ASSERT(!has_any_cert(m.rec, "DEAS"));
    mapped_free(&m);
    /* a diploma's name without "d'État", the job's name with "diplômé(e)", "DE AES" in
     * capitals (own probe) */
    static const struct {
        const char *desc, *cert;
    } named[] = {
        {"Diplôme d'auxiliaire de vie sociale exigé.", "DEAVS"},
        {"Diplôme d'aide médico-psychologique exigé.", "DEAMP"},
        {"Vous êtes Assistant(e) de Vie aux Familles diplômé(e).", "TP_ADVF"},
        {"DE AES obligatoire.", "DEAES"},
        {"Poste d'aide-soignant, DE AS exigé.", "DEAS"},
        /* a helper's probe: the feminine, the acronym, the diploma's name without "d'État" */
        {"Diplôme d'aide-soignante obligatoire.", "DEAS"},
        {"Diplôme d'Aide Soignante exigé.", "DEAS"},
        {"Diplôme AS exigé.", "DEAS"},
        {"Vous êtes AS diplômé(e).", "DEAS"},
        {"Diplôme d'accompagnant éducatif et social exigé.", "DEAES"},
        {"Diplôme d'auxiliaire de puériculture exigé.", "DEAP"},
    };
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
        map_one(&m, "K1311", named[i].desc, "");
        if (!has_cert(m.rec, named[i].cert, true))
            CM_FAIL_("%s: %s required expected", named[i].desc, named[i].cert);
        mapped_free(&m);
    }
    /* "d'AES" after a diploma is the DEAES; "vous êtes diplômé(e)" asks for it (own probe) */
    map_one(&m, "K1306", "Diplôme d'aide-soignant ou d'AES exigé.", "");
    ASSERT(has_cert(m.rec, "DEAS", true) && has_cert(m.rec, "DEAES", true));
    mapped_free(&m);
    map_one(&m, "K1306", "Diplôme d'aide-soignant ou d'auxiliaire de puériculture exigé.", "");
    ASSERT(has_cert(m.rec, "DEAS", true) && has_cert(m.rec, "DEAP", true));
    ASSERT(m.rec->certs[0].group == m.rec->certs[1].group && m.rec->certs[0].group > 0);
    mapped_free(&m);
    map_one(&m, "J1501", "Vous êtes diplômé(e) d'État d'aide-soignant.", "");
    ASSERT(has_cert(m.rec, "DEAS", true));
    mapped_free(&m);
    map_one(&m, "J1501", "Vous êtes idéalement diplômé(e) d'État d'aide-soignant.", "");
    ASSERT(has_cert(m.rec, "DEAS", false));
    mapped_free(&m);
    /* "également ouvert aux titulaires" is another way in, not a second diploma to hold */
    map_one(&m, "J1304",
            "DEAP exigé. Poste également ouvert aux titulaires du CAP AEPE avec 2 ans "
            "d'expérience.",
            "");
    ASSERT(m.rec->n_certs == 2 && has_cert(m.rec, "DEAP", true) &&
           has_cert(m.rec, "CAP_AEPE", true));
    ASSERT(m.rec->certs[0].group == m.rec->certs[1].group && m.rec->certs[0].group > 0);
    mapped_free(&m);
    map_one(&m, "K1306", "Poste ouvert aux titulaires du DEAES.", ""); /* alone: the requirement */
    ASSERT(m.rec->n_certs == 1 && has_cert(m.rec, "DEAES", true) && m.rec->certs[0].group == 0);
    mapped_free(&m);
    /* "acceptés" lists alternatives: one group, any of them will do */
    map_one(&m, "K1306", "Diplômes acceptés : DEAES, DEAMP, DEAVS, MCAD.", "");
    ASSERT(m.rec->n_certs == 4);
    for (size_t i = 0; i < m.rec->n_certs; i++)
        ASSERT(m.rec->certs[i].group == m.rec->certs[0].group && m.rec->certs[0].group > 0);
    mapped_free(&m);
}

/* Vehicles as employers speak of them (second outside probe): none provided when the text says
 * so; one's own asked for when said of the vehicle, not when another clause asks for the
 * licence. */
static void test_vehicle_sentences(void)
{
    static const struct {
        const char *desc;
        int required, provided, licence;
    } cases[] = {
        {"Véhicule personnel indispensable, pas de véhicule de service. Frais kilométriques "
         "remboursés.",
         1, 0, 1},
        {"Le véhicule n'est pas fourni, véhicule personnel obligatoire.", 1, 0, 1},
        {"Véhicule de service : non. Vous utilisez votre véhicule personnel.", 1, 0, 1},
        /* without a word of requirement (an adviser probe), not as a wish or a possibility */
        {"Être véhiculé(e).", 1, 0, 1},
        {"Être motorisé(e).", 1, 0, 1}, /* a helper's probe */
        {"Vous êtes motorisé(e).", 1, 0, 1},
        {"Si vous êtes motorisé(e), frais kilométriques remboursés.", 0, 0, 0},
        {"Vous utiliserez votre véhicule personnel (indemnités kilométriques).", 1, 0, 1},
        {"Permis B + véhicule.", 1, 0, 1},
        {"Être véhiculé(e) serait un plus.", 0, 0, 0},
        {"Véhiculé(e) de préférence.", 0, 0, 0},
        {"Si vous êtes véhiculé(e), les frais kilométriques sont remboursés.", 0, 0, 0},
        {"Vous pourrez utiliser votre voiture, avec des indemnités kilométriques.", 0, 0, 0},
        {"Vous accompagnez les résidents dans leurs sorties.", 0, 0, 0},
        {"Vous êtes titulaire du permis B et disposez d'un véhicule.", 1, 0, 1},
        {"Idéalement, vous disposez d'un véhicule.", 0, 0, 0},
        /* a service car lent for some rounds only: one's own stays required (helper probe) */
        {"Permis B et véhicule personnel indispensables. Un véhicule de service est prêté pour "
         "certaines tournées longues.",
         1, 0, 1},
        /* "permis" alone is the car licence in a care offer; not a permit to work */
        {"Permis obligatoire.", 0, 0, 1},
        {"Titre de séjour et permis de travail obligatoires.", 0, 0, 0},
        /* the profile said, without a word of requirement (a helper's probe: none read) */
        {"Vous disposez impérativement du permis B et d'un véhicule.", 1, 0, 1},
        {"Vous disposez du permis B et d'un véhicule.", 1, 0, 1},
        {"Vous possédez le permis B depuis plus de 3 ans et un véhicule.", 1, 0, 1},
        {"Vous avez le permis B et une voiture.", 1, 0, 1},
        {"Véhiculé(e).", 1, 0, 1},
        {"Profil : véhiculé(e), permis B.", 1, 0, 1},
        {"Profil recherché :\n- Permis B\n- Véhiculé(e)", 1, 0, 1},
        {"Profil : permis B apprécié.", 0, 0, 0},
        {"Permis B : non.", 0, 0, 0},
        {"Véhicule : non.", 0, 0, 0},
        {"Pas de véhicule de service.", 0, 0, 0},
        {"Le permis n'est pas indispensable. Véhicule de service non fourni.", 0, 0, 0},
        {"Aucun véhicule n'est nécessaire. Un véhicule de service est réservé à l'infirmière "
         "coordinatrice.",
         0, 0, 0},
        {"Permis B obligatoire, véhicule personnel non exigé.", 0, 0, 1},
        {"Véhicule souhaité, permis B obligatoire.", 0, 0, 1},
        /* wishes in the plural (a helper's probe: both read as required) */
        {"Permis B et véhicule souhaités.", 0, 0, 0},
        {"Permis et véhicule appréciés.", 0, 0, 0},
        {"Permis B et véhicule exigés.", 1, 0, 1},
        {"Permis B exigé (véhicule personnel pas obligatoire).", 0, 0, 1},
        {"Permis B et véhicule indispensables.", 1, 0, 1},
        {"Vous devez être véhiculé(e).", 1, 0, 1},
        /* the house's fleet; a service car only possible (a helper's probe) */
        {"Permis B indispensable (conduite des jeunes au collège et aux activités avec les "
         "véhicules du lieu de vie).",
         0, 0, 1},
        {"Le permis B est obligatoire, véhicule de service possible selon les secteurs.", 0, 0, 1},
        {"Véhicule de service fourni, prise de poste dès que possible.", 0, 1, 1},
        {"Véhicule de service mis à disposition.", 0, 1, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mapped_t m;
        map_one(&m, "K1302", cases[i].desc, "");
        if (m.rec->vehicle_required != (cases[i].required == 1) ||
            m.rec->vehicle_provided != (cases[i].provided == 1) ||
            m.rec->driving_licence_required != (cases[i].licence == 1))
            CM_FAIL_("case %zu (%s): required %d provided %d licence %d", i, cases[i].desc,
                     m.rec->vehicle_required, m.rec->vehicle_provided,
                     m.rec->driving_licence_required);
        mapped_free(&m);
    }
}

/* The licence wished for in the text, not asked: not required, and reported (a helper's
 * probe: the wish was dropped without a word); not when asked, nor denied. */
static void test_licence_wished(void)
{
    static const struct {
        const char *desc;
        bool reported;
    } cases[] = {
        {"Permis B souhaité.", true},
        {"Le permis de conduire serait un plus.", true},
        {"Permis B apprécié pour les déplacements entre bénéficiaires.", true},
        {"Permis B exigé.", false},
        {"Pas de permis souhaité.", false},
        {"Vous accompagnez les résidents.", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mapped_t m;
        map_one(&m, "K1302", cases[i].desc, "");
        const finding_t *f = find_code(&m, "permit_wanted");
        if ((f != NULL) != cases[i].reported ||
            m.rec->driving_licence_required != (strstr(cases[i].desc, "exigé") != NULL))
            CM_FAIL_("%s: permit_wanted %d, licence %d", cases[i].desc, f != NULL,
                     m.rec->driving_licence_required);
        if (f)
            ASSERT_STREQ(f->field, "description");
        mapped_free(&m);
    }
    /* B wished in permis[], asked in the text: required, and the report does not say it
     * stays false (it contradicted the record) */
    static const char wished_b[] =
        ",\"permis\":[{\"libelle\":\"B - Véhicule léger\",\"exigence\":\"S\"}]";
    mapped_t m;
    map_one(&m, "K1302", "Permis B obligatoire.", wished_b);
    ASSERT(m.rec->driving_licence_required && find_code(&m, "permit_wanted") == NULL);
    mapped_free(&m);
    map_one(&m, "K1302", "Aide à domicile.", wished_b);
    ASSERT(!m.rec->driving_licence_required);
    ASSERT_STREQ(finding(&m, "permit_wanted")->field, "permis[0]");
    mapped_free(&m);
}

/* A vehicle provided is still driven: the licence is asked. */
static void test_service_vehicle_needs_licence(void)
{
    mapped_t m;
    map_one(&m, "K1302", "Véhiculé(e) obligatoire.",
            ",\"salaire\":{\"complement1\":\"Véhicule de service\"}");
    ASSERT(m.rec->vehicle_provided);
    ASSERT(!m.rec->vehicle_required);
    ASSERT(m.rec->driving_licence_required);
    mapped_free(&m);
}

/* Nights and rotations as employers say them. */
static void test_night_wordings(void)
{
    static const struct {
        const char *desc;
        unsigned want, not_want;
    } cases[] = {
        {"Travail en alternance jour/nuit selon planning.", CM_WORK_NIGHT | CM_WORK_SHIFTS, 0},
        {"Poste en 12h, jour/nuit en alternance", CM_WORK_NIGHT | CM_WORK_SHIFTS, 0},
        {"Horaires en 12h : 7h-19h ou 19h-7h.", CM_WORK_NIGHT, 0},
        {"Poste de jour et de nuit selon roulement.", CM_WORK_NIGHT | CM_WORK_SHIFTS, 0},
        /* a third probe: "roulement" beside a 12-hour post, or ahead of its period */
        {"Travail en 12h, roulement, 1 WE sur 2.", CM_WORK_SHIFTS | CM_WORK_WEEKEND, 0},
        {"Poste en 12h. Roulement sur 2 semaines.", CM_WORK_SHIFTS, 0},
        /* a 12-hour day and a Saturday one in two, said so (a probe) */
        {"Vous travaillerez en 12h (7h-19h), un week-end sur deux.",
         CM_WORK_SHIFTS | CM_WORK_WEEKEND, 0},
        {"Horaires : 7h30-13h30 et 16h30-20h du lundi au vendredi, un samedi matin sur deux.",
         CM_WORK_WEEKEND, 0},
        /* a 12-hour day starts early and ends late: the pattern shifts says it ("horaires
         * alternés ou en journées de 12 h"), night not */
        {"Poste en 12h de jour.", CM_WORK_SHIFTS, CM_WORK_NIGHT},
        /* 3x8 is three teams round the clock: one of them works the night (adviser probe: a
         * 3x8 rota was eligible for a medical no-night restriction); France Travail's ways of
         * saying a day/night rota (second probe); 2x12 alone may be days */
        {"Travail en 3x8, roulement sur 2 semaines.", CM_WORK_NIGHT | CM_WORK_SHIFTS, 0},
        {"Organisation en 2x12 (jour).", CM_WORK_SHIFTS, CM_WORK_NIGHT}, /* days only */
        {"Poste en trois-huit.", CM_WORK_NIGHT, 0},
        {"Travail jour et nuit en alternance.", CM_WORK_NIGHT, 0},
        {"Roulement jour/nuit en 12h.", CM_WORK_NIGHT | CM_WORK_SHIFTS, 0},
        {"Postes en 12h jour/nuit.", CM_WORK_NIGHT, 0},
        {"Travail en 12h de jour et de nuit.", CM_WORK_NIGHT, 0},
        {"Travail posté en équipes alternantes.", CM_WORK_SHIFTS, CM_WORK_NIGHT},
        {"Travail en 2x8 (6h-14h / 14h-21h).", CM_WORK_SHIFTS, CM_WORK_NIGHT},
        {"Pas de 3x8 : horaires de jour.", 0, CM_WORK_NIGHT},
        /* left unread until the third adviser probe: stars for x, "2x12h", "roulement en",
         * "de jour comme de nuit" said of the job */
        {"Horaires en 3*8.", CM_WORK_NIGHT | CM_WORK_SHIFTS, 0},
        {"Travail en 2*12h.", CM_WORK_SHIFTS, CM_WORK_NIGHT},
        {"Poste en 2x12h, 1 WE sur 2.", CM_WORK_SHIFTS | CM_WORK_WEEKEND, CM_WORK_NIGHT},
        {"Roulement en 12h, planning sur 6 semaines.", CM_WORK_SHIFTS, CM_WORK_NIGHT},
        {"Vous travaillerez de jour comme de nuit.", CM_WORK_NIGHT | CM_WORK_SHIFTS, 0},
        /* a fourth probe: night said of the job in more words; a rota's nights or days of
         * rest are no denial ("2 jours de repos" was read as one, an offset wrong by one) */
        {"Travail exclusivement la nuit.", CM_WORK_NIGHT, 0},
        {"Vous travaillez en 10h de nuit.", CM_WORK_NIGHT, 0},
        {"Vous assurez le service de nuit de l'unité Alzheimer.", CM_WORK_NIGHT, 0},
        {"Rythme : 2 nuits travaillées, 2 nuits de repos.", CM_WORK_NIGHT, 0},
        {"Mission : nuits, EHPAD de 80 lits.", CM_WORK_NIGHT, 0},
        {"Travail de nuit, 2 jours de repos.", CM_WORK_NIGHT, 0},
        {"Poste de nuit, 1 jour de repos.", CM_WORK_NIGHT, 0},
        {"L'équipe du service de nuit vous accueillera.", 0, CM_WORK_NIGHT},
        {"Horaires : 3 à 8 heures par jour.", 0, CM_WORK_NIGHT | CM_WORK_SHIFTS},
        {"Horaires de 21h00 à 6h30.", CM_WORK_NIGHT, 0},
        {"Horaires 7h-14h, du lundi au vendredi.", 0, CM_WORK_NIGHT | CM_WORK_SHIFTS},
        {"Pas de travail de nuit. Horaires 8h-16h.", 0, CM_WORK_NIGHT},
        /* outside review: sentences stay apart, times side by side are no span, the service
         * open day and night is not the job's hours */
        {"Travail de nuit de 21 h à 7 h. Pas de week-end.", CM_WORK_NIGHT, 0},
        {"Temps partiel 20h (4h par jour).", 0, CM_WORK_NIGHT},
        {"Horaires : 13h30-20h, 6h45-13h15.", 0, CM_WORK_NIGHT},
        {"Contrat de 24h, 6h par jour.", 0, CM_WORK_NIGHT},
        {"L'EHPAD accueille ses résidents jour et nuit, poste en journée.", 0, CM_WORK_NIGHT},
        {"Horaires 21h–7h.", CM_WORK_NIGHT, 0},
        /* second outside probe: the house's night, colleagues, closed weekends */
        {"Vous assurez les transmissions avec l'équipe de nuit. Poste de jour.", 0, CM_WORK_NIGHT},
        {"En binôme avec le veilleur de nuit pour le coucher des résidents.", 0, CM_WORK_NIGHT},
        {"Le service est ouvert jour/nuit. Vous êtes affecté(e) à l'équipe de jour.", 0,
         CM_WORK_NIGHT},
        {"Travail de nuit exclu.", 0, CM_WORK_NIGHT},
        {"Crèche fermée le week-end et les jours fériés.", 0, CM_WORK_WEEKEND},
        {"Du lundi au vendredi (week-ends non travaillés).", 0, CM_WORK_WEEKEND},
        {"Vos week-ends sont libres !", 0, CM_WORK_WEEKEND},
        {"Nous recherchons un(e) aide-soignant(e) de nuit pour notre EHPAD.", CM_WORK_NIGHT, 0},
        {"Poste de nuit, un week-end sur deux.", CM_WORK_NIGHT | CM_WORK_WEEKEND, 0},
        {"Horaires 21h00 - 07h00.", CM_WORK_NIGHT, 0},
        {"Horaires : 21:00-07:00.", CM_WORK_NIGHT, 0},
        {"Horaires : 08:30-16:30.", 0, CM_WORK_NIGHT},
        {"Travail du lundi au samedi.", CM_WORK_WEEKEND, 0},
        {"Repos le samedi et le dimanche.", 0, CM_WORK_WEEKEND},
        {"Repos 1 week-end sur 2.", CM_WORK_WEEKEND, 0}, /* the other one is worked */
        /* a helper's probe: the closing noun, a fixed rest on the weekend */
        {"Horaires d'externat : 8h-16h du lundi au vendredi (fermeture le week-end).", 0,
         CM_WORK_WEEKEND},
        {"Fermeture de l'internat le week-end et pendant les vacances scolaires.", 0,
         CM_WORK_WEEKEND},
        {"Poste en repos fixe les week-ends, horaires 8h-15h30.", 0, CM_WORK_WEEKEND},
        {"Vous assurez l'ouverture et la fermeture de la structure le samedi.", CM_WORK_WEEKEND, 0},
        {"Repos fixe le mercredi, un week-end sur deux.", CM_WORK_WEEKEND, 0},
        /* a helper's probe: rotas said by their shifts' length or their halves of the day */
        {"Horaires en 2x7h30, un week-end sur deux.", CM_WORK_SHIFTS | CM_WORK_WEEKEND,
         CM_WORK_NIGHT},
        {"Travail en 2x7h.", CM_WORK_SHIFTS, CM_WORK_NIGHT},
        {"Postes du matin ou du soir en alternance.", CM_WORK_SHIFTS, CM_WORK_NIGHT},
        {"Vous travaillerez matin ou après-midi selon le planning.", CM_WORK_SHIFTS, CM_WORK_NIGHT},
        {"Horaires en alternance matin / soir.", CM_WORK_SHIFTS, CM_WORK_NIGHT},
        {"Interventions le matin et le soir.", 0, CM_WORK_SHIFTS}, /* a split day, not a rota */
        /* a second helper's probe: the shift's length before its hours; a 3/3 rhythm */
        {"Poste de jour en 7h30 : 6h45-14h15 ou 13h15-20h45.", CM_WORK_SHIFTS, CM_WORK_NIGHT},
        {"Rythme en 12h, 3 jours travaillés / 3 jours de repos.", CM_WORK_SHIFTS | CM_WORK_WEEKEND,
         CM_WORK_NIGHT},
        /* split days said by their hours without days, or by the rounds' times */
        {"Horaires : 9h-13h et 16h-20h.", CM_WORK_SPLIT, CM_WORK_SHIFTS},
        {"Vous intervenez le matin, le midi et le soir du lundi au vendredi.", CM_WORK_SPLIT, 0},
        {"Horaires : 8h-12h et 14h-18h.", 0, CM_WORK_SPLIT}, /* a lunch break is no split day */
        /* a third helper's probe: a rota's "repos" denies nothing; night in other words; a
         * clause's denial is its own */
        {"Horaires : 21h00 - 7h00, repos variable.", CM_WORK_NIGHT, CM_WORK_DAY},
        {"Travail en 12h de nuit (19h-7h), repos variables.", CM_WORK_NIGHT, CM_WORK_DAY},
        {"Horaires : 21h00 - 7h00, repos variable, 1 week-end sur 2 travaillé.",
         CM_WORK_NIGHT | CM_WORK_WEEKEND, 0},
        {"Horaires : 7h-14h, 1 week-end sur 2, repos compensateur en semaine.", CM_WORK_WEEKEND,
         CM_WORK_NIGHT},
        {"Travail en 12h, repos variables, 1 WE sur 2.", CM_WORK_SHIFTS | CM_WORK_WEEKEND, 0},
        {"Vous travaillerez de nuit.", CM_WORK_NIGHT, CM_WORK_DAY},
        {"Travail exclusivement de nuit.", CM_WORK_NIGHT, 0},
        {"Nuits fixes.", CM_WORK_NIGHT, 0},
        {"Poste à pourvoir de nuit.", CM_WORK_NIGHT, 0},
        {"Vous alternez les postes de jour et de nuit.", CM_WORK_NIGHT, 0},
        {"Vous assurez des veilles de nuit.", CM_WORK_NIGHT, 0},
        {"Nuits couchées sur place (astreinte de nuit).", CM_WORK_NIGHT, 0},
        {"Planning en 2x12 jour/nuit.", CM_WORK_NIGHT | CM_WORK_SHIFTS, 0},
        {"Travail en journée continue, 1 week-end sur 2, pas de nuit.", CM_WORK_WEEKEND,
         CM_WORK_NIGHT},
        {"Pas de travail de nuit, un week-end sur deux.", CM_WORK_WEEKEND, CM_WORK_NIGHT},
        {"Travail de nuit : non, week-end : oui.", CM_WORK_WEEKEND, CM_WORK_NIGHT},
        {"Travail 1WE/2.", CM_WORK_WEEKEND, 0},
        {"Week-end, jours fériés : non travaillés.", 0, CM_WORK_WEEKEND},
        {"Du lundi au vendredi, pas de week-end, pas de nuit.", 0, CM_WORK_WEEKEND | CM_WORK_NIGHT},
        {"Repos le week-end.", 0, CM_WORK_WEEKEND},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mapped_t m;
        map_one(&m, "J1501", cases[i].desc, "");
        unsigned wp = m.rec->work_pattern;
        if ((wp & cases[i].want) != cases[i].want || (wp & cases[i].not_want))
            CM_FAIL_("case %zu (%s): work_pattern %#x", i, cases[i].desc, wp);
        mapped_free(&m);
    }
}

/* The short structured fields say the pattern as the text does: a span of night hours,
 * "WE" for the week-end, shift work; and they deny it too. */
static void test_pattern_fields(void)
{
    static const struct {
        const char *desc, *extra;
        unsigned want, not_want;
    } cases[] = {
        {"Aide-soignant(e).", ",\"complementExercice\":\"21h - 7h\"", CM_WORK_NIGHT, 0},
        {"Aide-soignant(e).", ",\"conditionExercice\":\"21h-7h\"", CM_WORK_NIGHT, 0},
        {"Aide-soignant(e).",
         ",\"contexteTravail\":{\"horaires\":[\"35H/semaine\",\"21h00 - 07h00\"]}", CM_WORK_NIGHT,
         0},
        {"Aide-soignant(e).", ",\"complementExercice\":\"1 WE sur 2\"", CM_WORK_WEEKEND, 0},
        {"Vous travaillez 1 WE sur 2 en roulement.", "", CM_WORK_WEEKEND | CM_WORK_SHIFTS, 0},
        {"Horaires en roulement, un week-end sur deux.", "", CM_WORK_WEEKEND | CM_WORK_SHIFTS, 0},
        /* the weekend days' rota, not 2x8 shifts (a helper's probe: "Samedis travaillés par
         * roulement" was a barrier on late hours for a 7h-14h job) */
        {"Samedis travaillés par roulement.", "", CM_WORK_WEEKEND, CM_WORK_SHIFTS},
        {"Travail par roulement en 2x8, 1 week-end sur 2.", "", CM_WORK_WEEKEND | CM_WORK_SHIFTS,
         0},
        {"Travail 1 W-E sur 3.", "", CM_WORK_WEEKEND, 0},
        {"Aide-soignant(e).", ",\"dureeTravailLibelle\":\"35H Travail posté\"", CM_WORK_SHIFTS, 0},
        /* France Travail's own wording of shift work (équipes successives) */
        {"Aide-soignant(e).", ",\"dureeTravailLibelle\":\"35H Travail en équipe\"", CM_WORK_SHIFTS,
         CM_WORK_NIGHT},
        {"Aide-soignant(e).", ",\"complementExercice\":\"Pas de travail de nuit\"", 0,
         CM_WORK_NIGHT},
        {"Aide-soignant(e).", ",\"complementExercice\":\"Week-ends libres\"", 0, CM_WORK_WEEKEND},
        {"Aide-soignant(e).", ",\"complementExercice\":\"8h - 16h\"", 0, CM_WORK_NIGHT},
        /* nights only in the text: the field's "Travail en journée" is no day work (a probe) */
        {"Nuits fixes 21h-7h. Un week-end sur deux travaillé.",
         ",\"dureeTravailLibelle\":\"35H/semaine\\nTravail en journée\"",
         CM_WORK_NIGHT | CM_WORK_WEEKEND, CM_WORK_DAY},
        {"Pas de nuits fixes, travail en journée.",
         ",\"dureeTravailLibelle\":\"35H/semaine\\nTravail en journée\"", CM_WORK_DAY,
         CM_WORK_NIGHT},
        /* a cycle of nights on and off is a rota through the weekends */
        {"Rythme : 2 nuits travaillées, 2 nuits de repos.", "",
         CM_WORK_NIGHT | CM_WORK_SHIFTS | CM_WORK_WEEKEND, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mapped_t m;
        map_one(&m, "J1501", cases[i].desc, cases[i].extra);
        unsigned wp = m.rec->work_pattern;
        if ((wp & cases[i].want) != cases[i].want || (wp & cases[i].not_want))
            CM_FAIL_("case %zu (%s %s): work_pattern %#x", i, cases[i].desc, cases[i].extra, wp);
        mapped_free(&m);
    }
}

/* Experience the text asks for, beside "débutant accepté" in the field (a helper's probe): the
 * text's requirement, reported; a wish or a beginner's welcome is none. */
static void test_experience_in_text(void)
{
    static const struct {
        const char *desc;
        int months;
    } cases[] = {
        {"Vous justifiez d'une expérience de 2 ans en EHPAD.", 24},
        {"Expérience exigée de 1 an sur un poste similaire.", 12},
        {"Vous justifiez d'une expérience de 6 mois minimum.", 6},
        {"Une expérience de 2 ans serait un plus.", -24}, /* wished: wanted, its months */
        {"Débutant accepté, une expérience de 6 mois est appréciée.", 0},
        {"Aide-soignant(e) en EHPAD, 35h.", 0},
        /* the profile said, the count in words (a helper's probe) */
        {"Vous avez au moins 1 an d'expérience auprès des personnes âgées.", 12},
        {"Vous disposez d'une expérience d'un an minimum en service de soins.", 12},
        {"Vous avez une expérience réussie d'au moins six mois.", 6},
        {"Vous avez envie d'apprendre, une expérience de 2 ans serait un plus.", -24},
        {"Vous avez 35 heures par semaine, expérience appréciée.", 0},
        /* an age is no length, nor a second way in beside the diploma; a length after a
         * denial of something else, or "d'exercice" (a helper's probe) */
        {"Vous avez au moins 18 ans et une expérience de garde d'enfants (baby-sitting).", 0},
        {"Vous avez plus de 18 ans, une expérience auprès d'enfants est appréciée.", 0},
        {"Diplôme ADVF ou DEAES exigé OU 1 an d'expérience en aide à domicile.", 0},
        {"Un diplôme n'est pas exigé mais une expérience d'un an dans le secteur est "
         "obligatoire.",
         12},
        {"Conditions : DE infirmier, 24 mois d'exercice en établissement (obligation pour "
         "exercer en libéral).",
         24},
        {"Expérience avec des bébés de moins de 18 mois obligatoire (2 ans minimum).", 24},
        {"Vous justifiez d'une expérience auprès d'enfants de 3 ans, 2 ans minimum.", 24},
        {"Une expérience d'au moins un an est demandée.", 12},
        /* an age range, a contract's length, the other side of "mais" (a reviewer's catch) */
        {"Vous avez une expérience auprès des enfants de 0 à 3 ans.", 0},
        {"Vous avez une première expérience, CDD de 6 mois renouvelable.", 0},
        {"Une expérience de 2 ans est exigée, mais le diplôme n'est pas obligatoire.", 24},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mapped_t m;
        map_one(&m, "J1501", cases[i].desc, ",\"experienceExige\":\"D\"");
        const cJSON *x = at(m.o, "experience");
        const cJSON *lvl = x ? cJSON_GetObjectItemCaseSensitive(x, "level") : NULL;
        const cJSON *mo = x ? cJSON_GetObjectItemCaseSensitive(x, "months") : NULL;
        bool req = cJSON_IsString(lvl) && strcmp(lvl->valuestring, "required") == 0;
        bool wanted = cJSON_IsString(lvl) && strcmp(lvl->valuestring, "wanted") == 0;
        int want = cases[i].months < 0 ? -cases[i].months : cases[i].months;
        if (req != (cases[i].months > 0) || wanted != (cases[i].months < 0) ||
            (want && (!cJSON_IsNumber(mo) || mo->valueint != want)) ||
            (find_code(&m, "experience_from_text") != NULL) != (want > 0))
            CM_FAIL_("%s: %s", cases[i].desc, m.json);
        mapped_free(&m);
    }
}

/* Experience demanded with no length (a helper's probe: beginners taken): required, with no
 * months; not when the demanding word is the diploma's, nor a wish. */
static void test_experience_demanded(void)
{
    static const struct {
        const char *desc;
        bool required;
    } cases[] = {
        {"Expérience de garde d'enfants exigée, références demandées.", true},
        {"Pas de diplôme demandé, une première expérience avec des enfants est indispensable.",
         true},
        {"Diplôme d'État exigé et expérience en EHPAD.", false},
        {"Une expérience auprès d'enfants est appréciée, BAFA exigé.", false},
        {"Pas d'expérience exigée, formation assurée.", false},
        {"Expérience auprès des personnes âgées, permis B obligatoire.", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mapped_t m;
        map_one(&m, "K1303", cases[i].desc, ",\"experienceExige\":\"D\"");
        bool req = m.rec->experience_level == CM_XP_REQUIRED;
        if (req != cases[i].required || m.rec->experience_months != 0 ||
            (find_code(&m, "experience_from_text") != NULL) != cases[i].required)
            CM_FAIL_("%s: %s", cases[i].desc, m.json);
        mapped_free(&m);
    }
}

/* Within a NAF family, the description may say which house (a helper's probe: "Le FAM Les
 * Alizés" under 87.10C was a MAS); not a home service's or a hospital's text naming others. */
static void test_kind_in_text(void)
{
    static const struct {
        const char *naf, *desc;
        int kind;
    } cases[] = {
        {"87.10C", "Le FAM Les Alizés accueille 40 résidents.", CM_EMPLOYER_FAM},
        {"87.10C", "Accompagnement de 40 résidents.", CM_EMPLOYER_MAS},
        {"88.10A", "Expérience en SSIAD appréciée.", CM_EMPLOYER_SAAD},
        {"86.10Z", "Une expérience en EHPAD serait un plus.", CM_EMPLOYER_HOPITAL},
        /* no NAF: the place of her past is not the employer (a probe) */
        {NULL, "Accompagnement à domicile. Vous avez idéalement travaillé en EHPAD.",
         CM_EMPLOYER_UNSET},
        {NULL, "Au domicile des bénéficiaires. Expérience souhaitée de 1 an en EHPAD.",
         CM_EMPLOYER_UNSET},
        {NULL, "Notre EHPAD recrute. Une expérience en gériatrie est un plus.", CM_EMPLOYER_EHPAD},
        /* under a code of any social action, the house the text names as the job's place (a
         * helper's probe: a CCAS's home care was "other"); not one of her past */
        {"88.99B",
         "Le CCAS de la Ville recrute pour son service d'aide à domicile (SAAD) une auxiliaire "
         "de vie.",
         CM_EMPLOYER_SAAD},
        {"88.99B", "Une expérience en EHPAD est souhaitée. Poste d'animateur.", CM_EMPLOYER_OTHER},
        /* a house's size is no crèche perk ("places en crèche"); the perk still is one */
        {"84.11Z", "Multi-accueil municipal de 60 places (Mairie) recrute un EJE.",
         CM_EMPLOYER_CRECHE},
        {"86.10Z", "Avantages : places en crèche pour vos enfants.", CM_EMPLOYER_HOPITAL},
        {NULL, "Vous bénéficiez de places en crèche.", CM_EMPLOYER_UNSET},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char extra[64];
        extra[0] = '\0';
        if (cases[i].naf)
            snprintf(extra, sizeof extra, ",\"codeNAF\":\"%s\"", cases[i].naf);
        mapped_t m;
        map_one(&m, "K1306", cases[i].desc, extra);
        if ((int)m.rec->employer_kind != cases[i].kind)
            CM_FAIL_("%s %s: kind %d", cases[i].naf, cases[i].desc, (int)m.rec->employer_kind);
        mapped_free(&m);
    }
}

/* A required diploma accepted in progress is wished: the student in her last year is taken. */
static void test_diploma_in_progress(void)
{
    mapped_t m;
    map_one(&m, "J1501", "Aide-soignant(e) en EHPAD.",
            ",\"formations\":[{\"domaineLibelle\":\"Aide-soignant\",\"niveauLibelle\":\"CAP, BEP "
            "et \u00e9quivalents\",\"commentaire\":\"DEAS ou en cours d'obtention\",\"exigence\":"
            "\"E\"}]");
    ASSERT(has_cert(m.rec, "DEAS", false));
    ASSERT(!has_cert(m.rec, "DEAS", true));
    ASSERT(find_code(&m, "diploma_in_progress_accepted") != NULL);
    mapped_free(&m);
    map_one(&m, "J1501", "Aide-soignant(e) en EHPAD.",
            ",\"formations\":[{\"domaineLibelle\":\"Aide-soignant\",\"commentaire\":\"DEAS\","
            "\"exigence\":\"E\"}]");
    ASSERT(has_cert(m.rec, "DEAS", true)); /* and without it, required as before */
    ASSERT(find_code(&m, "diploma_in_progress_accepted") == NULL);
    mapped_free(&m);
    /* in the description too (a helper's probe: only the formation's comment was read) */
    static const struct {
        const char *rome, *desc, *cert;
        bool progress;
    } text[] = {
        {"J1501", "Vous êtes titulaire du DEAS ou en dernière année de formation.", "DEAS", true},
        {"J1501", "DEAS exigé (ou en cours d'obtention).", "DEAS", true},
        {"K1306", "DEAES exigé (VAE en cours acceptée).", "DEAES", true},
        {"K1306", "DEAES exigé ou en cours de formation.", "DEAES", true},
        {"J1501", "DEAS exigé. Étudiants en soins infirmiers acceptés à partir de la 2ème année.",
         "DEAS", true},
        {"J1501", "DEAS exigé. Vous encadrez les élèves en formation.", "DEAS", false},
        {"J1501", "DEAS exigé. Recrutement en cours.", "DEAS", false},
        {"K1306", "DEAES exigé. Stage possible pour les étudiants.", "DEAES", false},
    };
    for (size_t i = 0; i < sizeof text / sizeof text[0]; i++) {
        map_one(&m, text[i].rome, text[i].desc, "");
        if (has_cert(m.rec, text[i].cert, true) == text[i].progress ||
            !has_any_cert(m.rec, text[i].cert) ||
            (find_code(&m, "diploma_in_progress_accepted") != NULL) != text[i].progress)
            CM_FAIL_("%s: %s required %d", text[i].desc, text[i].cert,
                     has_cert(m.rec, text[i].cert, true));
        mapped_free(&m);
    }
    /* the job said with its diploma, the accepted diplomas listed: required (a helper's
     * probe: both wished, and unqualified candidates got through) */
    map_one(&m, "K1306", "Foyer de vie recrute AES diplômé(e).", "");
    ASSERT(has_cert(m.rec, "DEAES", true));
    mapped_free(&m);
    map_one(&m, "K1306", "Diplômes acceptés : DEAES, DEAMP, DEAVS.", "");
    ASSERT(has_cert(m.rec, "DEAES", true) && has_cert(m.rec, "DEAMP", true));
    ASSERT(m.rec->certs[0].group > 0 && m.rec->certs[1].group == m.rec->certs[0].group);
    mapped_free(&m);
    /* a nursing student in the formation's comment is no nurse: no DEI (it was "DEAS or DEI
     * required") */
    map_one(&m, "J1501", "Aide-soignant(e) en EHPAD.",
            ",\"formations\":[{\"domaineLibelle\":\"Aide-soignant\",\"commentaire\":\"ou "
            "\u00e9tudiant en soins infirmiers\",\"exigence\":\"E\"}]");
    ASSERT(!has_any_cert(m.rec, "DEI"));
    ASSERT(has_cert(m.rec, "DEAS", false) && !has_cert(m.rec, "DEAS", true));
    mapped_free(&m);
    /* the field of the former BEP CSS names it (it was diploma_unknown: no diploma asked) */
    map_one(&m, "K1302", "Assistant(e) de vie.",
            ",\"formations\":[{\"domaineLibelle\":\"Carri\u00e8res sanitaires et sociales\","
            "\"niveauLibelle\":\"CAP, BEP et \u00e9quivalents\",\"exigence\":\"E\"}]");
    ASSERT(has_cert(m.rec, "BEP_CSS", true));
    mapped_free(&m);
}

/* A month's or a year's hours are made weekly, and said so; a decimal comma is read. */
static void test_hours_periods(void)
{
    static const struct {
        const char *duree;
        double week;
        bool converted;
    } cases[] = {
        {"151H67/mois", 35.0, true},
        {"1607H/an", 35.0, true},
        {"24H/mois", 5.54, true},
        {"17,5H/semaine", 17.5, false},
        {"28H30/semaine", 28.5, false},
        {"35H/annualisé", 35.0, false}, /* averaged over the year: still a week's hours */
        {"8H/jour", 40.0, true},        /* five such days */
        {"7h par jour", 35.0, true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char extra[128];
        snprintf(extra, sizeof extra, ",\"dureeTravailLibelle\":\"%s\"", cases[i].duree);
        mapped_t m;
        map_one(&m, "K1302", "Aide à domicile.", extra);
        const cJSON *h = at(m.o, "hours_per_week");
        if (!cJSON_IsNumber(h) || fabs(h->valuedouble - cases[i].week) > 0.01)
            CM_FAIL_("case %zu (%s): hours %s", i, cases[i].duree, m.json);
        ASSERT_EQ(find_code(&m, "hours_converted") != NULL, cases[i].converted);
        mapped_free(&m);
    }
}

/* Hours read in the text: the week's figure, not a part of it. */
static void test_hours_in_text(void)
{
    mapped_t m;
    map_one(&m, "K1302",
            "Vous intervenez 2h par semaine chez chaque bénéficiaire, planning de 30h "
            "hebdomadaires.",
            ",\"dureeTravailLibelleConverti\":\"Temps partiel\"");
    ASSERT_NEAR(at(m.o, "hours_per_week")->valuedouble, 30, 0);
    mapped_free(&m);
    map_one(&m, "K1302", "Réunion d'équipe 2h par semaine. Poste à temps plein.",
            ",\"dureeTravailLibelleConverti\":\"Temps plein\"");
    ASSERT_NEAR(at(m.o, "hours_per_week")->valuedouble, 35, 0);
    ASSERT(find_code(&m, "hours_full_time_assumed") != NULL);
    mapped_free(&m);
    /* a helper's probe: no duration field (partners' offers), full time said in the text;
     * "Temps complet", "Mi-temps" as the duration */
    map_one(&m, "K1302", "CDI à temps complet, du lundi au vendredi.",
            ",\"dureeTravailLibelle\":null");
    ASSERT_NEAR(at(m.o, "hours_per_week")->valuedouble, 35, 0);
    ASSERT_STREQ(finding(&m, "hours_full_time_assumed")->field, "description");
    mapped_free(&m);
    map_one(&m, "J1501", "CDI temps plein (39h avec RTT).",
            ",\"dureeTravailLibelleConverti\":\"Temps plein\"");
    ASSERT_NEAR(at(m.o, "hours_per_week")->valuedouble, 39, 0); /* a helper's probe: 35 */
    mapped_free(&m);
    map_one(&m, "K1302", "Temps plein ou temps partiel selon vos souhaits.",
            ",\"dureeTravailLibelle\":null");
    ASSERT(at(m.o, "hours_per_week") == NULL);
    mapped_free(&m);
    map_one(&m, "K1302", "Aide à domicile.", ",\"dureeTravailLibelle\":\"Temps complet\"");
    ASSERT_NEAR(at(m.o, "hours_per_week")->valuedouble, 35, 0);
    mapped_free(&m);
    map_one(&m, "K1302", "Aide à domicile.", ",\"dureeTravailLibelle\":\"Mi-temps\"");
    ASSERT_NEAR(at(m.o, "hours_per_week")->valuedouble, 17.5, 0);
    ASSERT(find_code(&m, "hours_from_share") != NULL && find_code(&m, "hours_unreadable") == NULL);
    mapped_free(&m);
    /* in words (an adviser's probe) */
    static const struct {
        const char *desc;
        double hours;
    } words[] = {
        {"Contrat de vingt-huit heures par semaine.", 28},
        {"Poste de 24 heures hebdomadaires.", 24},
        /* after "hebdomadaire" or "temps partiel", a share "à pourvoir à" (a helper's probe) */
        {"Durée hebdomadaire : 28 heures.", 28},
        {"Durée hebdomadaire de travail : 35h.", 35},
        {"Temps de travail hebdomadaire : 24 heures.", 24},
        {"Poste à temps partiel (28h).", 28},
        {"CDD d'une durée de 3 mois à temps partiel 24h.", 24},
        {"Poste à pourvoir à 50%.", 17.5},
        {"Vous travaillerez trente et une heures par semaine.", 31},
        {"Temps partiel de dix-sept heures par semaine.", 17},
        /* a helper's probe: a month's hours, a contract's */
        {"Poste sur la base de 151,67 heures mensuelles.", 35},
        {"Rémunération sur 151,67 heures par mois.", 35},
        {"Temps de travail : 151.67h/mois.", 35},
        {"Contrat 35 heures.", 35},
        {"CDI base 28h, du lundi au vendredi.", 28},
        /* a decimal comma or minutes: "24,5" was read as 5 hours (a helper's probe) */
        {"Poste à 24,5 heures par semaine.", 24.5},
        {"Contrat de 104,5 heures par mois.", 24},
        {"Durée hebdomadaire : 28,5 heures.", 28.5},
        {"Poste de 32.5 heures hebdomadaires.", 32.5},
        {"Temps partiel : 32,5h par semaine.", 32.5},
        {"Le temps de travail est de 32h30 par semaine.", 32.5},
        {"Rémunération sur 151h67 par mois.", 35},
    };
    /* a share of full time (care offers' ETP); not a percentage of something else */
    static const struct {
        const char *desc;
        double hours; /* 0: none read */
    } shares[] = {
        {"Poste en CDI à 0,8 ETP.", 28},
        {"Temps partiel 80 %.", 28},
        {"CDI à mi-temps.", 17.5},
        {"Poste à 50% ETP, évolutif.", 17.5},
        {"Contrat à 3/4 temps.", 26.25},
        {"Majoration de 25 % le dimanche, pass Navigo remboursé à 50 %.", 0},
        {"Possibilité de mi-temps thérapeutique.", 0},
        {"Temps non complet 80%.", 28}, /* the public service's word (a helper's probe) */
        {"Poste d'aide-soignant en temps non complet 50%.", 17.5},
    };
    for (size_t i = 0; i < sizeof shares / sizeof shares[0]; i++) {
        map_one(&m, "J1501", shares[i].desc,
                ",\"dureeTravailLibelle\":\"Temps partiel\",\"dureeTravailLibelleConverti\":"
                "\"Temps partiel\"");
        const cJSON *h = at(m.o, "hours_per_week");
        if (shares[i].hours ? !h || fabs(h->valuedouble - shares[i].hours) > 1e-9 : h != NULL)
            CM_FAIL_("%s: %g hours", shares[i].desc, h ? h->valuedouble : -1);
        ASSERT((find_code(&m, "hours_from_share") != NULL) == (shares[i].hours > 0));
        mapped_free(&m);
    }
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        map_one(&m, "K1302", words[i].desc, ",\"dureeTravailLibelleConverti\":\"Temps partiel\"");
        const cJSON *h = at(m.o, "hours_per_week");
        if (!h || h->valuedouble != words[i].hours)
            CM_FAIL_("%s: %g hours", words[i].desc, h ? h->valuedouble : -1);
        mapped_free(&m);
    }
}

/* Working hours stated in words become schedule windows when nothing is ambiguous (an
 * adviser's probe: an ASH job "de 6h30 à 14h en semaine" had no windows, and was eligible for
 * someone free from 7:00); a rota, the house's hours, two ways of saying the days, a week
 * that is not the offer's hours: no windows. */
static void test_schedule_in_words(void)
{
    static const struct {
        const char *desc;
        int n;          /* windows expected (0: none) */
        unsigned days0; /* the first window's days */
        int from0, to0; /* its hours, minutes */
    } cases[] = {
        {"Travail de 6h30 à 14h en semaine.", 1, 0x1f, 390, 840},
        /* a denial of the weekend that agrees with the days (a probe: it hid the hours) */
        {"Du lundi au vendredi de 7h à 15h, pas de week-end.", 1, 0x1f, 420, 900},
        {"Du lundi au vendredi de 8h à 15h (pas de week-end)", 1, 0x1f, 480, 900},
        {"Du lundi au dimanche de 7h à 12h, pas de week-end.", 0, 0, 0, 0},
        {"Horaires : de 6h30 à 14h du lundi au vendredi.", 1, 0x1f, 390, 840},
        {"Horaires en semaine 6h30-14h.", 1, 0x1f, 390, 840},
        {"Du lundi au vendredi de 9h à 12h et de 13h à 17h.", 2, 0x1f, 540, 720},
        {"Du lundi au jeudi de 8h à 16h. Le vendredi de 8h à 15h.", 2, 0x0f, 480, 960},
        {"Le service est ouvert du lundi au vendredi de 8h à 18h.", 0, 0, 0, 0},
        {"Horaires : 7h-14h ou 14h-21h du lundi au vendredi.", 0, 0, 0, 0},
        {"Horaires : 7h-14h / 14h-21h du lundi au vendredi.", 0, 0, 0, 0},
        {"Poste 32h/semaine : lundi, mardi, jeudi et vendredi de 9h à 17h.", 1, 0x1b, 540, 1020},
        {"Du lundi au vendredi de 7h à 12h et le samedi de 14h à 18h.", 0, 0, 0, 0},
        {"Réunion le lundi de 14h à 16h.", 0, 0, 0, 0},
        {"Du lundi au vendredi de 21h à 7h.", 0, 0, 0, 0}, /* 50 h for 35 */
        {"Du lundi au vendredi de 7h à 14h. Le mercredi de 14h à 21h.", 0, 0, 0, 0},
        {"Pas de travail du lundi au vendredi de 8h à 15h.", 0, 0, 0, 0},
        {"La formation a lieu du lundi au vendredi de 9h à 17h.", 0, 0, 0, 0},
        /* someone else's hours, an option, a period (a second probe's false positives) */
        {"L'IME fonctionne du lundi au vendredi de 9h à 16h.", 0, 0, 0, 0},
        {"Les infirmières travaillent de 7h à 14h du lundi au vendredi.", 0, 0, 0, 0},
        {"Contact : Mme Martin, joignable du lundi au vendredi de 9h à 16h.", 0, 0, 0, 0},
        {"La crèche accueille 40 enfants du lundi au vendredi de 7h30 à 14h30.", 0, 0, 0, 0},
        {"Les bénéficiaires sont accompagnés du lundi au vendredi de 9h à 16h.", 0, 0, 0, 0},
        {"Horaires de l'équipe de jour : 7h-14h du lundi au vendredi.", 0, 0, 0, 0},
        {"Possibilité de travailler du lundi au vendredi de 8h à 15h.", 0, 0, 0, 0},
        {"Pendant les vacances scolaires, de 8h à 15h du lundi au vendredi.", 0, 0, 0, 0},
        {"Du lundi au dimanche de 7h à 12h, 1 jour de repos par semaine.", 0, 0, 0, 0},
        {"Vous accompagnerez les résidents en sortie le samedi de 14h à 17h.", 0, 0, 0, 0},
        {"Vous intervenez du lundi au vendredi de 8h à 15h.", 1, 0x1f, 480, 900},
        /* a split day written with a slash (an adviser's probe): a break between the spans */
        {"Horaires : du lundi au vendredi 8h-12h / 17h-20h.", 2, 0x1f, 480, 720},
        {"Horaires : 7h-14h ou 14h-21h en alternance du lundi au vendredi.", 0, 0, 0, 0},
        /* hours in words (an adviser's probe) */
        {"Du lundi au vendredi de 7 heures à 13 heures.", 1, 0x1f, 420, 780},
        {"Horaires : du lundi au vendredi de sept heures à treize heures trente.", 1, 0x1f, 420,
         810},
        {"Horaires : du lundi au vendredi de 7 heures 30 à 14 heures.", 1, 0x1f, 450, 840},
        {"Horaires : du lundi au vendredi de 7 h 30 à 14 h 30.", 1, 0x1f, 450, 870},
        {"Du lundi au vendredi de 8 heures à midi et de 13 heures à 16 heures.", 2, 0x1f, 480, 720},
        /* a break said (a helper's probe: the meal's word hid the hours) */
        {"Horaires : du lundi au vendredi de 8h à 17h avec une pause repas de 12h à 13h.", 2, 0x1f,
         480, 720},
        {"Du lundi au vendredi de 9h à 17h avec 1h de pause déjeuner.", 1, 0x1f, 540, 1020},
        {"Horaires : du lundi au vendredi de 8h30 à 16h30, pause méridienne de 12h à 13h.", 2, 0x1f,
         510, 720},
        {"Vous servez les repas du lundi au vendredi de 11h à 14h.", 0, 0, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mapped_t m;
        map_one(&m, "J1301", cases[i].desc, "");
        if ((int)m.rec->n_schedule != cases[i].n)
            CM_FAIL_("%s: %zu windows", cases[i].desc, m.rec->n_schedule);
        if (cases[i].n) {
            const cm_window_t *w = &m.rec->schedule[0];
            if (w->days != cases[i].days0 || w->from_min != cases[i].from0 ||
                w->to_min != cases[i].to0)
                CM_FAIL_("%s: days %x %d-%d", cases[i].desc, w->days, w->from_min, w->to_min);
            ASSERT(find_code(&m, "schedule_from_text") != NULL);
        } else {
            ASSERT(find_code(&m, "schedule_from_text") == NULL);
        }
        mapped_free(&m);
    }
    /* the job's days and hours, stated but not read: said so (an adviser reads them); not
     * when read, nor for someone else's hours, nor when a rota is said */
    {
        static const struct {
            const char *desc;
            bool unread;
        } said[] = {
            {"Horaires : du lundi au vendredi de 8h à 16h sauf le mercredi.", true},
            {"Du lundi au vendredi de 7h à 14h. Le mercredi de 14h à 21h.", true},
            {"Horaires : du lundi au vendredi de 9h à 17h environ.", true},
            {"Horaires : du lundi au vendredi de 8h à 15h.", false},
            {"L'IME fonctionne du lundi au vendredi de 9h à 16h.", false},
            {"Horaires : 7h-14h ou 14h-21h en alternance du lundi au vendredi.", false},
            {"Vous servez les repas du lundi au vendredi de 11h à 14h.", false},
        };
        for (size_t i = 0; i < sizeof said / sizeof said[0]; i++) {
            mapped_t u;
            map_one(&u, "J1301", said[i].desc, "");
            if ((find_code(&u, "schedule_unread") != NULL) != said[i].unread)
                CM_FAIL_("%s: schedule_unread %s", said[i].desc,
                         said[i].unread ? "missing" : "said");
            mapped_free(&u);
        }
    }
    /* shifts said with their hours, one or the other: no windows (which day gets which is
     * not said), the work pattern says rota (and night when a shift is one); a split day, the
     * house's hours, a training's, are no rota */
    {
        static const struct {
            const char *desc;
            unsigned pattern;
        } rotas[] = {
            {"Horaires : 7h-14h ou 14h-21h en alternance.", CM_WORK_SHIFTS},
            {"Horaires : 7h-14h / 14h-21h du lundi au vendredi.", CM_WORK_SHIFTS},
            {"Horaires : 7h-19h / 19h-7h.", CM_WORK_SHIFTS | CM_WORK_NIGHT},
            {"Vous travaillerez de 6h45 à 14h15 ou de 13h45 à 21h15.", CM_WORK_SHIFTS},
            {"Horaires : du lundi au vendredi 8h-12h / 17h-20h.", 0},
            {"Le service est ouvert de 7h à 14h ou de 14h à 21h.", 0},
            {"Horaires : 9h-12h ou 14h-17h selon les jours.", 0}, /* neither early nor late */
        };
        for (size_t i = 0; i < sizeof rotas / sizeof rotas[0]; i++) {
            mapped_t r;
            map_one(&r, "J1301", rotas[i].desc, "");
            if ((r.rec->work_pattern & (CM_WORK_SHIFTS | CM_WORK_NIGHT)) != rotas[i].pattern)
                CM_FAIL_("%s: pattern %x", rotas[i].desc, r.rec->work_pattern);
            ASSERT((find_code(&r, "rota_from_text") != NULL) == (rotas[i].pattern != 0));
            mapped_free(&r);
        }
    }
    /* a night job whose text gives day hours (the day team's): none */
    {
        mapped_t n;
        map_one(&n, "J1501", "Aide-soignant de nuit. Horaires : du lundi au vendredi de 7h à 14h.",
                "");
        ASSERT_EQ(n.rec->n_schedule, 0);
        mapped_free(&n);
        map_one(&n, "J1501", "Poste de nuit. Horaires : du lundi au vendredi de 21h à 4h.", "");
        ASSERT_EQ(n.rec->n_schedule, 1); /* 35 h of nights: read */
        mapped_free(&n);
    }
    /* no weekly hours ("Temps partiel" alone): nothing tells the job's hours from another's */
    mapped_t m;
    map_one(&m, "J1301", "Horaires : de 6h30 à 14h du lundi au vendredi.",
            ",\"dureeTravailLibelle\":\"Temps partiel\"");
    ASSERT(cJSON_GetObjectItemCaseSensitive(m.o, "hours_per_week") == NULL);
    ASSERT_EQ(m.rec->n_schedule, 0);
    mapped_free(&m);
}

/* A "\u0000" in the text is a space: the rest of the description is kept and read. */
static void test_nul_escape(void)
{
    mapped_t m;
    map_one(&m, "J1501", "Première partie.\\u0000Deuxième partie : DEAS exigé, travail de nuit.",
            "");
    ASSERT(strstr(str_at(m.o, "description"), "Deuxième partie") != NULL);
    ASSERT(has_cert(m.rec, "DEAS", true));
    ASSERT(m.rec->work_pattern & CM_WORK_NIGHT);
    mapped_free(&m);
    /* a one-line field trimmed, its runs of spaces made one; a description keeps its lines */
    map_one(&m, "J1501", "Ligne 1\\n  Ligne 2",
            ",\"entreprise\":{\"nom\":\"   EHPAD \\t  Les Tilleuls  \"}");
    ASSERT_STREQ(m.rec->employer_name, "EHPAD Les Tilleuls");
    ASSERT_STREQ(m.rec->description, "Ligne 1\n  Ligne 2");
    mapped_free(&m);
}

/* Places with a mistake in them: coordinates 0, 0 or far from the commune are set aside for
 * the commune; unusable ones with nothing else still refuse the offer; the whole city's code of
 * Paris and La Poste's "PARIS 15" are placed. */
static void test_places_with_mistakes(void)
{
    mapped_t m;
    map_one(&m, "J1501", "En EHPAD.",
            ",\"lieuTravail\":{\"commune\":\"75115\",\"latitude\":0,\"longitude\":0}");
    ASSERT(find_code(&m, "coordinates_ignored") != NULL);
    ASSERT_STREQ(str_at(at(m.o, "location"), "commune"), "75115");
    ASSERT(at(at(m.o, "location"), "lat") == NULL);
    mapped_free(&m);

    map_one(&m, "J1501", "En EHPAD.",
            ",\"lieuTravail\":{\"libelle\":\"974 - ST DENIS\",\"commune\":\"97411\","
            "\"latitude\":20.93,\"longitude\":55.45}");
    ASSERT(find_code(&m, "coordinates_ignored") != NULL);
    ASSERT(m.rec->loc.lat_e6 < 0); /* placed at Saint-Denis de La Réunion, south */
    mapped_free(&m);

    map_one(&m, "J1501", "En EHPAD.", ",\"lieuTravail\":{\"commune\":\"75056\"}");
    ASSERT(find_code(&m, "place_city_centre") != NULL);
    ASSERT(find_code(&m, "commune_unknown") == NULL);
    ASSERT_STREQ(str_at(at(m.o, "location"), "commune"), "75104");
    mapped_free(&m);
    /* the whole city's code with the arrondissement's postcode or name: that arrondissement */
    map_one(&m, "J1501", "En EHPAD.",
            ",\"lieuTravail\":{\"libelle\":\"75 - PARIS 15\",\"codePostal\":\"75015\","
            "\"commune\":\"75056\"}");
    ASSERT(find_code(&m, "place_city_centre") == NULL);
    ASSERT_STREQ(m.rec->postcode, "75015");
    ASSERT(strcmp(m.rec->commune, "75104") != 0);
    mapped_free(&m);
    map_one(&m, "J1501", "En EHPAD.",
            ",\"lieuTravail\":{\"libelle\":\"13 - MARSEILLE 13\",\"commune\":\"13055\"}");
    ASSERT_STREQ(str_at(at(m.o, "location"), "commune"), "13213");
    mapped_free(&m);
    /* the whole city's code, no postcode nor arrondissement named, but coordinates: the
     * arrondissement they fall nearest (a probe: Marseille 5e's stored in the 1er) */
    map_one(&m, "J1501", "En EHPAD.",
            ",\"lieuTravail\":{\"libelle\":\"13 - MARSEILLE\",\"latitude\":43.2928,"
            "\"longitude\":5.3975,\"commune\":\"13055\"}");
    ASSERT_STREQ(str_at(at(m.o, "location"), "commune"), "13205");
    ASSERT_STREQ(m.rec->postcode, "13005");
    ASSERT(find_code(&m, "place_arrondissement_by_position") != NULL);
    ASSERT(find_code(&m, "place_city_centre") == NULL);
    mapped_free(&m);

    /* with coordinates too (France Travail's usual form): the commune is still said */
    map_one(&m, "J1501", "En EHPAD.",
            ",\"lieuTravail\":{\"libelle\":\"75 - Paris 15e Arrondissement\",\"latitude\":48.8412,"
            "\"longitude\":2.3003,\"codePostal\":\"75015\",\"commune\":\"75056\"}");
    ASSERT_STREQ(str_at(at(m.o, "location"), "commune"), "75115");
    ASSERT_STREQ(m.rec->commune, "75115");
    ASSERT(m.rec->loc.lat_e6 == 48841200);
    mapped_free(&m);
    map_one(&m, "J1501", "En EHPAD.",
            ",\"lieuTravail\":{\"libelle\":\"13 - Marseille 8e Arrondissement\",\"latitude\":43.24,"
            "\"longitude\":5.38,\"codePostal\":\"13008\",\"commune\":\"13055\"}");
    ASSERT_STREQ(str_at(at(m.o, "location"), "commune"), "13208");
    mapped_free(&m);
    /* a postcode shared by several communes: the one the libelle names, else none guessed */
    map_one(&m, "J1501", "En EHPAD.",
            ",\"lieuTravail\":{\"libelle\":\"95 - PONTOISE\",\"latitude\":49.05,"
            "\"longitude\":2.09,\"codePostal\":\"95000\"}");
    ASSERT_STREQ(str_at(at(m.o, "location"), "commune"), "95500");
    mapped_free(&m);
    map_one(&m, "J1501", "En EHPAD.",
            ",\"lieuTravail\":{\"latitude\":49.05,\"longitude\":2.09,\"codePostal\":\"95000\"}");
    ASSERT(str_at(at(m.o, "location"), "commune") == NULL);
    ASSERT_STREQ(m.rec->postcode, "95000");
    mapped_free(&m);

    map_one(&m, "J1501", "En EHPAD.", ",\"lieuTravail\":{\"libelle\":\"75 - PARIS 15\"}");
    ASSERT_STREQ(str_at(at(m.o, "location"), "commune"), "75115");
    mapped_free(&m);
    map_one(&m, "J1501", "En EHPAD.", ",\"lieuTravail\":{\"libelle\":\"13 - MARSEILLE 01\"}");
    ASSERT_STREQ(str_at(at(m.o, "location"), "commune"), "13201");
    mapped_free(&m);

    /* a département's name without its article is no commune (a helper's probe: "974 -
     * Réunion" was placed at the island's centre) */
    static const char *const areas[] = {"974 - Réunion", "974 - REUNION",
                                        "975 - Saint-Pierre-et-Miquelon"};
    for (size_t i = 0; i < sizeof areas / sizeof areas[0]; i++) {
        char extra[160];
        snprintf(extra, sizeof extra,
                 ",\"lieuTravail\":{\"libelle\":\"%s\",\"latitude\":-21.13,\"longitude\":55.53}",
                 areas[i]);
        batch_t *one = calloc(1, sizeof *one);
        ASSERT(one != NULL);
        char doc[512];
        int len = snprintf(doc, sizeof doc,
                           "{\"id\":\"R%zu\",\"intitule\":\"Aide-soignant H/F\",\"romeCode\":"
                           "\"J1501\",\"typeContrat\":\"CDI\"%s}",
                           i, extra);
        ASSERT_OK(cm_ft_each_offer(doc, (size_t)len, collect, one, NULL));
        ASSERT(one->m[0].rc != 0);
        batch_free(one);
        free(one);
    }

    /* nothing but bad coordinates: refused, as before */
    static const char bad[] =
        "{\"id\":\"R2\",\"intitule\":\"Poste H/F\",\"romeCode\":\"J1501\",\"typeContrat\":"
        "\"CDI\",\"lieuTravail\":{\"latitude\":143.2,\"longitude\":2.3}}";
    batch_t *b = calloc(1, sizeof *b);
    ASSERT(b != NULL);
    ASSERT_OK(cm_ft_each_offer(bad, sizeof bad - 1, collect, b, NULL));
    ASSERT(b->m[0].rc != 0);
    ASSERT(find_code(&b->m[0], "coordinates_invalid") != NULL);
    batch_free(b);
    free(b);
}

/* A job title named the ROME v3 way (2022-2024 offers) is found by its OGR code, which did
 * not change: the offer's v3 code is then read as v3 and translated. */
static void test_v3_job_title(void)
{
    static const char text[] =
        "{\"id\":\"R3\",\"intitule\":\"Assistant de vie H/F\",\"romeCode\":\"K1302\","
        "\"appellationlibelle\":\"Assistant / Assistante de vie\",\"dateCreation\":"
        "\"2023-11-20T10:00:00.000Z\",\"typeContrat\":\"CDI\",\"lieuTravail\":{\"commune\":"
        "\"75111\"}}";
    batch_t *b = calloc(1, sizeof *b);
    ASSERT(b != NULL);
    ASSERT_OK(cm_ft_each_offer(text, sizeof text - 1, collect, b, NULL));
    ASSERT_OK(b->m[0].rc);
    ASSERT(find_code(&b->m[0], "job_title_unknown") == NULL);
    ASSERT(find_code(&b->m[0], "rome_v3") != NULL);
    ASSERT_STREQ(b->m[0].rec->rome, "K1311");
    ASSERT_EQ(b->m[0].rec->job_title, 11255);
    batch_free(b);
    free(b);

    /* K1301 alone (no label, no job title) in the months both versions ran: the offer's title
     * says which trade; a title naming none leaves the date's rule */
    static const struct {
        const char *title, *rome, *finding;
    } k1301[] = {
        {"Aide médico-psychologique (H/F)", "K1306", "rome_v3"},
        {"AMP H/F - Foyer d'accueil médicalisé", "K1306", "rome_v3"},
        {"Educateur en locomotion H/F", "K1301", NULL},
        {"Poste H/F", "K1301", "rome_version_guessed"},
    };
    for (size_t i = 0; i < sizeof k1301 / sizeof k1301[0]; i++) {
        char json[512];
        snprintf(json, sizeof json,
                 "{\"id\":\"R4\",\"intitule\":\"%s\",\"romeCode\":\"K1301\","
                 "\"dateCreation\":\"2024-02-10T10:00:00.000Z\",\"typeContrat\":\"CDI\","
                 "\"lieuTravail\":{\"commune\":\"75111\"}}",
                 k1301[i].title);
        b = calloc(1, sizeof *b);
        ASSERT(b != NULL);
        ASSERT_OK(cm_ft_each_offer(json, strlen(json), collect, b, NULL));
        ASSERT_OK(b->m[0].rc);
        if (strcmp(b->m[0].rec->rome, k1301[i].rome) != 0)
            CM_FAIL_("%s: %s, want %s", k1301[i].title, b->m[0].rec->rome, k1301[i].rome);
        ASSERT(!k1301[i].finding || find_code(&b->m[0], k1301[i].finding) != NULL);
        ASSERT(k1301[i].finding || find_code(&b->m[0], "rome_version_guessed") == NULL);
        batch_free(b);
        free(b);
    }

    /* K1301 with its ROME 4.0 label but the job title of an AMP, which was under K1301 in v3
     * and is under K1306 in 4.0: the job title wins (a probe matched it as a locomotion
     * educator's offer); a locomotion title with the same label stays K1301 */
    static const struct {
        const char *app, *rome;
        unsigned ogr;
    } labelled[] = {{"Aide médico-psychologique", "K1306", 10856}, {"", "K1301", 0}};
    for (size_t i = 0; i < 2; i++) {
        char json[768];
        snprintf(json, sizeof json,
                 "{\"id\":\"R5\",\"intitule\":\"Poste H/F\",\"romeCode\":\"K1301\","
                 "\"romeLibelle\":\"Educateur / Educatrice en locomotion\",%s%s%s"
                 "\"dateCreation\":\"2025-02-10T10:00:00.000Z\",\"typeContrat\":\"CDI\","
                 "\"lieuTravail\":{\"commune\":\"75111\"}}",
                 labelled[i].app[0] ? "\"appellationlibelle\":\"" : "", labelled[i].app,
                 labelled[i].app[0] ? "\"," : "");
        b = calloc(1, sizeof *b);
        ASSERT(b != NULL);
        ASSERT_OK(cm_ft_each_offer(json, strlen(json), collect, b, NULL));
        ASSERT_OK(b->m[0].rc);
        ASSERT_STREQ(b->m[0].rec->rome, labelled[i].rome);
        ASSERT_EQ(b->m[0].rec->job_title, labelled[i].ogr);
        ASSERT(find_code(&b->m[0], "job_title_mismatch") == NULL);
        batch_free(b);
        free(b);
    }
}

/* French thousands marks in pay: "1.850,50" is 1850.50, not 1.85. */
static void test_salary_thousands(void)
{
    static const struct {
        const char *lib;
        double min, max;
    } cases[] = {
        {"Mensuel de 1.850,50 Euros à 2.000,00 Euros sur 12 mois", 1850.5, 2000},
        {"Mensuel de 1 850,50 Euros sur 12 mois", 1850.5, 1850.5},
        {"Mensuel de 1800.00 Euros sur 12 mois", 1800, 1800},
        {"Horaire de 12,50 Euros", 12.5, 12.5},
        {"Mensuel de 1.900 Euros", 1900, 1900},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char extra[160];
        snprintf(extra, sizeof extra, ",\"salaire\":{\"libelle\":\"%s\"}", cases[i].lib);
        mapped_t m;
        map_one(&m, "K1302", "Aide à domicile.", extra);
        const cJSON *sal = at(m.o, "salary");
        if (!sal || fabs(at(sal, "min")->valuedouble - cases[i].min) > 1e-9 ||
            fabs(at(sal, "max")->valuedouble - cases[i].max) > 1e-9)
            CM_FAIL_("case %zu (%s): %s", i, cases[i].lib, m.json);
        mapped_free(&m);
    }
    /* a day's or a session's rate is no hourly pay (a helper's probe: 65-75 €/hour) */
    static const char *const daily[] = {
        ",\"salaire\":{\"libelle\":\"Autre de 65.00 Euros à 75.00 Euros sur 12 mois\","
        "\"commentaire\":\"par jour\"}",
        ",\"salaire\":{\"libelle\":\"Autre de 70.00 Euros\",\"commentaire\":\"Forfait journalier "
        "brut\"}",
        ",\"salaire\":{\"libelle\":\"Cachet de 150.00 Euros\"}"};
    for (size_t i = 0; i < sizeof daily / sizeof daily[0]; i++) {
        mapped_t m;
        map_one(&m, "K1302", "Animateur séjours adaptés.", daily[i]);
        if (at(m.o, "salary") || !find_code(&m, "salary_per_day"))
            CM_FAIL_("daily %zu: %s", i, m.json);
        mapped_free(&m);
    }
    /* no libelle: the amounts in euros of the comment, not its other numbers */
    static const struct {
        const char *com, *period;
        double min, max; /* period NULL: no salary */
    } comments[] = {
        {"1 850 € brut mensuel", "month", 1850, 1850},
        {"Selon CCN 1966, 1 850 € brut", "month", 1850, 1850},
        {"De 1 800 à 2 000 € brut par mois", "month", 1800, 2000},
        {"12,50 € de l'heure", "hour", 12.5, 12.5},
        {"1800-2000 euros selon expérience", "month", 1800, 2000},
        {"Selon profil", NULL, 0, 0},
        {"Selon CCN 51, coefficient 329", NULL, 0, 0},
    };
    for (size_t i = 0; i < sizeof comments / sizeof comments[0]; i++) {
        char extra[200];
        snprintf(extra, sizeof extra, ",\"salaire\":{\"commentaire\":\"%s\"}", comments[i].com);
        mapped_t m;
        map_one(&m, "K1302", "Aide à domicile.", extra);
        const cJSON *sal = at(m.o, "salary");
        if (!comments[i].period) {
            if (sal || !find_code(&m, "salary_comment_only"))
                CM_FAIL_("comment %zu (%s): %s", i, comments[i].com, m.json);
        } else if (!sal || fabs(at(sal, "min")->valuedouble - comments[i].min) > 1e-9 ||
                   fabs(at(sal, "max")->valuedouble - comments[i].max) > 1e-9 ||
                   strcmp(at(sal, "period")->valuestring, comments[i].period) != 0 ||
                   !find_code(&m, "salary_from_comment")) {
            CM_FAIL_("comment %zu (%s): %s", i, comments[i].com, m.json);
        }
        mapped_free(&m);
    }
}

/* A member of the wrong type is reported (value_unreadable, with the value as JSON), never
 * dropped silently; the offer is still mapped. */
static void test_wrong_types_reported(void)
{
    static const struct {
        const char *extra, *field, *value;
    } cases[] = {
        {",\"permis\":\"B\"", "permis", "B"},
        {",\"salaire\":\"1800 euros\"", "salaire", "1800 euros"},
        {",\"experienceExige\":[\"E\"]", "experienceExige", "[\"E\"]"},
        {",\"dureeTravailLibelle\":35", "dureeTravailLibelle", "35"},
        {",\"competences\":[{\"code\":\"1\",\"libelle\":null}]", "competences[0]",
         "{\"code\":\"1\",\"libelle\":null}"},
        {",\"formations\":{\"niveauLibelle\":\"CAP\"}", "formations",
         "{\"niveauLibelle\":\"CAP\"}"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mapped_t m;
        map_one(&m, "K1302", "Aide à domicile.", cases[i].extra);
        const finding_t *f = find_code(&m, "value_unreadable");
        if (!f || strcmp(f->field, cases[i].field) || strcmp(f->value, cases[i].value))
            CM_FAIL_("case %zu: %s -> %s %s", i, cases[i].extra, f ? f->field : "(none)",
                     f ? f->value : "");
        ASSERT(f->level == CM_FT_LOST);
        mapped_free(&m);
    }
    mapped_t m; /* well-typed: nothing */
    map_one(&m, "K1302", "Aide à domicile.",
            ",\"permis\":[{\"libelle\":\"B - Véhicule léger\",\"exigence\":\"E\"}]");
    ASSERT(find_code(&m, "value_unreadable") == NULL);
    mapped_free(&m);
}

/* An apprenticeship prepares a diploma: the one its title or a training sentence names is
 * recorded as required (an adviser's probe: a DEAES holder was ranked first for an
 * apprenticeship preparing the DEAES). A colleague's diploma and a VAE stay out; outside an
 * apprenticeship, the training sentence names no requirement (test_diploma_spellings). */
static void map_contract_kind(mapped_t *m, const char *title, const char *desc, const char *nature)
{
    char json[4096];
    snprintf(json, sizeof json,
             "{\"id\":\"R2\",\"intitule\":\"%s\",\"description\":\"%s\","
             "\"dateCreation\":\"2025-09-01T06:00:00.000Z\",\"romeCode\":\"K1306\","
             "\"typeContrat\":\"CDD\",\"natureContrat\":\"%s\",\"dureeTravailLibelle\":"
             "\"35H/semaine\",\"lieuTravail\":{\"commune\":\"75111\"}}",
             title, desc, nature);
    map_json(m, json);
}

static void test_apprenticeship_prepares(void)
{
    mapped_t m;
    map_contract_kind(&m, "Apprenti accompagnant éducatif et social (H/F)", "Rejoignez-nous.",
                      "Contrat apprentissage");
    ASSERT(m.rec->contract == CM_CONTRACT_APPRENTISSAGE);
    ASSERT(has_cert(m.rec, "DEAES", true));
    ASSERT(find_code(&m, "diploma_prepared") != NULL);
    mapped_free(&m);
    map_contract_kind(&m, "Auxiliaire de vie (H/F)",
                      "Contrat de professionnalisation préparant le titre professionnel "
                      "assistant de vie aux familles. Vous travaillerez avec 2 infirmiers (DEI).",
                      "Contrat de professionnalisation");
    ASSERT(m.rec->contract == CM_CONTRACT_PROFESSIONNALISATION);
    ASSERT(has_cert(m.rec, "TP_ADVF", true));
    ASSERT(!has_any_cert(m.rec, "DEI"));
    mapped_free(&m);
    map_contract_kind(&m, "Agent de service (H/F)", "Formation au DEAES en alternance avec l'IRTS.",
                      "Contrat apprentissage");
    ASSERT(has_cert(m.rec, "DEAES", true));
    mapped_free(&m);
    /* a VAE is another route, not what the contract prepares; no diploma named, none recorded */
    map_contract_kind(&m, "Agent de service (H/F)", "Possibilité de VAE vers le DEAES.",
                      "Contrat apprentissage");
    ASSERT(!has_any_cert(m.rec, "DEAES"));
    ASSERT(find_code(&m, "diploma_prepared") == NULL);
    mapped_free(&m);
    /* in progress, in an apprenticeship: the diploma it prepares (a helper's probe: wished,
     * with two findings saying both) */
    map_contract_kind(&m, "Apprenti(e) Accompagnant Educatif et Social",
                      "Être inscrit(e) ou en cours d'inscription à la formation DEAES.",
                      "Contrat apprentissage");
    ASSERT(has_cert(m.rec, "DEAES", true));
    ASSERT(find_code(&m, "diploma_prepared") != NULL);
    ASSERT(find_code(&m, "diploma_in_progress_accepted") == NULL);
    mapped_free(&m);
    map_contract_kind(&m, "Apprenti aide-soignant (H/F)", "Vous êtes en cours de formation DEAS.",
                      "Contrat apprentissage");
    ASSERT(has_cert(m.rec, "DEAS", true));
    ASSERT(find_code(&m, "diploma_in_progress_accepted") == NULL);
    mapped_free(&m);
    /* the same words in a CDD: a training the job leads to, asked of nobody */
    map_contract_kind(&m, "Accompagnant éducatif et social (H/F)",
                      "Formation au DEAES en alternance possible.", "Contrat travail");
    ASSERT(m.rec->contract == CM_CONTRACT_CDD);
    ASSERT(!has_any_cert(m.rec, "DEAES"));
    mapped_free(&m);
}

/* The description may open the job to disabled workers when the field does not (a helper's
 * probe: "Poste ouvert aux personnes bénéficiant d'une RQTH" with accessibleTH false); the
 * people a house accompanies are not its workers. */
static void test_disability_text(void)
{
    static const struct {
        const char *desc, *th;
        int want; /* -1: left out */
    } cases[] = {
        {"Poste ouvert aux personnes bénéficiant d'une RQTH.", "false", 1},
        {"Ce poste est ouvert aux personnes en situation de handicap (RQTH).", NULL, 1},
        {"Poste réservé aux bénéficiaires de l'obligation d'emploi (RQTH).", "\"true\"", 1},
        {"RQTH bienvenue.", NULL, 1},
        {"Le FAM accueille des adultes en situation de handicap.", "false", 0},
        {"Le poste est ouvert aux adultes en situation de handicap de l'ESAT.", NULL, -1},
        {"En EHPAD.", "\"false\"", 0},
        {"En EHPAD.", NULL, -1},
        /* a helper's probe: the boilerplate is an opening; "RQTH non exigée" is none */
        {"Tous nos postes sont ouverts aux personnes en situation de handicap.", NULL, 1},
        {"Nos postes sont ouverts aux personnes en situation de handicap.", NULL, 1},
        {"L'établissement accueille des résidents en situation de handicap. RQTH non exigée.", NULL,
         -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char extra[64] = "";
        if (cases[i].th)
            snprintf(extra, sizeof extra, ",\"accessibleTH\":%s", cases[i].th);
        mapped_t m;
        map_one(&m, "J1501", cases[i].desc, extra);
        const cJSON *a = at(m.o, "accessible_to_disabled_workers");
        int got = a ? cJSON_IsTrue(a) : -1;
        if (got != cases[i].want)
            CM_FAIL_("case %zu (%s): %d, want %d", i, cases[i].desc, got, cases[i].want);
        ASSERT((find_code(&m, "accessible_from_text") != NULL) ==
               (cases[i].want == 1 && !(cases[i].th && strstr(cases[i].th, "true"))));
        mapped_free(&m);
    }
}

/* One diploma known, its alternative not: the known one is wished, not a wall (a probe: the
 * Bac pro SAPAT holder was told BAC_PRO_ASSP required); the law's diplomas stay required. */
static void test_unknown_alternative(void)
{
    static const struct {
        const char *desc, *code;
        bool required;
    } cases[] = {
        {"Bac pro ASSP ou Bac pro SAPAT exigé.", "BAC_PRO_ASSP", false},
        {"DEAES ou titre de surveillant de nuit qualifié exigé.", "DEAES", false},
        {"Bac pro ASSP exigé.", "BAC_PRO_ASSP", true},
        {"DEAS ou diplôme équivalent exigé.", "DEAS", true},
        {"DEAES ou équivalent exigé.", "DEAES", true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mapped_t m;
        map_one(&m, "K1302", cases[i].desc, "");
        if (!has_cert(m.rec, cases[i].code, cases[i].required) ||
            has_cert(m.rec, cases[i].code, !cases[i].required))
            CM_FAIL_("case %zu (%s): %s not %s", i, cases[i].desc, cases[i].code,
                     cases[i].required ? "required" : "wished");
        mapped_free(&m);
    }
}

/* Diplomas as employers list them: with commas, a job's name or acronym beside "ou", one
 * accepted beside the one asked: one required group, any of them qualifies (a helper's
 * probe: each listed diploma became required, or the second was lost). */
static void test_diploma_alternatives(void)
{
    static const struct {
        const char *desc, *codes; /* codes: the one group, comma-separated */
    } cases[] = {
        {"Vous êtes titulaire d'un diplôme du secteur sanitaire et social (DEAES, ADVF, Bac pro "
         "ASSP, BEP CSS...).",
         "DEAES,TP_ADVF,BEP_CSS,BAC_PRO_ASSP"},
        {"Diplôme requis : DEAES, ADVF, MCAD.", "DEAES,TP_ADVF,MCAD"},
        {"DEAS ou AMP exigé.", "DEAS,DEAMP"},
        {"Vous êtes titulaire du diplôme d'aide-soignant ou d'AMP.", "DEAS,DEAMP"},
        {"Diplôme d'aide-soignant ou d'accompagnant éducatif et social exigé.", "DEAS,DEAES"},
        {"Diplôme exigé : Aide-soignant ou AES.", "DEAS,DEAES"},
        {"DEAS obligatoire. DEAES accepté.", "DEAS,DEAES"},
        {"DEAS exigé, AMP acceptés.", "DEAS,DEAMP"},
        {"Vous êtes titulaire du DEAS. Les AES et AMP peuvent postuler.", "DEAS,DEAES,DEAMP"},
        /* a job's acronym or plural name, "seront étudiées" (a helper's probe: dropped) */
        {"DEAES ou DEAMP exigé, AS acceptés.", "DEAS,DEAES,DEAMP"},
        {"DEME exigé. Les éducateurs spécialisés peuvent postuler.", "DEES,DEME"},
        {"Vous êtes titulaire du DEES. Les candidatures de moniteurs-éducateurs avec 3 ans "
         "d'expérience seront étudiées.",
         "DEES,DEME"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mapped_t m;
        map_one(&m, "J1501", cases[i].desc, "");
        const cJSON *certs = at(m.o, "certifications"), *it;
        char got[160] = "";
        int group = -1;
        bool one = true;
        cJSON_ArrayForEach(it, certs)
        {
            const cJSON *g = at(it, "group"), *r = at(it, "required");
            int gv = cJSON_IsNumber(g) ? g->valueint : 0;
            one &= gv > 0 && (group < 0 || gv == group) && cJSON_IsTrue(r);
            group = gv;
            snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", got[0] ? "," : "",
                     at(it, "code")->valuestring);
        }
        if (!one || strcmp(got, cases[i].codes) != 0)
            CM_FAIL_("case %zu (%s): %s", i, cases[i].desc, m.json);
        mapped_free(&m);
    }
    /* not a list of alternatives: both asked, or beginners taken beside colleagues named */
    static const char *const apart[] = {
        "DEAS et SST exigés.",
        "Titulaire du DEAS. Débutants acceptés, en équipe avec les infirmiers et les AMP.",
        "DEAS exigé. DEAES non accepté.",
        "DEAS exigé. Les AMP ne sont pas acceptés.",
    };
    for (size_t i = 0; i < sizeof apart / sizeof apart[0]; i++) {
        mapped_t m;
        map_one(&m, "J1501", apart[i], "");
        const cJSON *it;
        cJSON_ArrayForEach(it, at(m.o, "certifications"))
        {
            if (at(it, "group"))
                CM_FAIL_("apart %zu (%s): %s", i, apart[i], m.json);
            ASSERT(strcmp(at(it, "code")->valuestring, "DEAMP") != 0);
        }
        mapped_free(&m);
    }
}

/* A colleague's diploma is not asked of her; "Nous attendons de vous" asks (a helper's
 * probe: the first required the DEAS of an ASH, the second only wished for it). */
static void test_diploma_whose(void)
{
    static const struct {
        const char *rome, *desc;
        bool deas_required;
    } cases[] = {
        {"J1301",
         "Vous travaillerez en binôme avec une aide-soignante diplômée. Aucun diplôme exigé, "
         "débutants acceptés.",
         false},
        {"J1301", "Vous êtes aide-soignante diplômée, vous travaillerez en binôme.", true},
        {"J1501", "Nous attendons de vous : DEAS ou équivalent (DPAS), bienveillance.", true},
        {"J1501",
         "Nous recherchons un(e) aide-soignant(e) diplômé(e) pour rejoindre notre équipe de nuit.",
         true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mapped_t m;
        map_one(&m, cases[i].rome, cases[i].desc, "");
        bool req = false;
        const cJSON *it;
        cJSON_ArrayForEach(it, at(m.o, "certifications"))
        {
            req |= strcmp(at(it, "code")->valuestring, "DEAS") == 0 &&
                   cJSON_IsTrue(at(it, "required"));
        }
        if (req != cases[i].deas_required)
            CM_FAIL_("case %zu (%s): %s", i, cases[i].desc, m.json);
        mapped_free(&m);
    }
}

/* A weekend said of the house, its residents or families is not the job's (a helper's
 * probe: a weekend barrier on Monday to Friday jobs); said of the work, it is. */
static void test_weekend_of_the_house(void)
{
    static const struct {
        const char *desc;
        bool weekend;
    } cases[] = {
        {"Notre accueil de jour, ouvert du lundi au samedi, recherche un AMP.", false},
        {"Le service fonctionne du lundi au dimanche. Vous travaillerez du lundi au vendredi de "
         "8h à 15h.",
         false},
        {"Animations organisées le week-end pour les résidents.", false},
        {"Les visites des familles ont lieu le samedi et le dimanche.", false},
        {"L'EHPAD accueille ses résidents 365 jours par an, y compris les week-ends.", false},
        {"Vous travaillerez un week-end sur deux.", true},
        {"EHPAD ouvert 7j/7, un week-end sur deux travaillé.", true},
        {"Travail le week-end.", true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mapped_t m;
        map_one(&m, "K1306", cases[i].desc, "");
        if (((m.rec->work_pattern & CM_WORK_WEEKEND) != 0) != cases[i].weekend)
            CM_FAIL_("case %zu (%s): work_pattern %#x", i, cases[i].desc, m.rec->work_pattern);
        mapped_free(&m);
    }
}

/* Split shifts, staggered hours and every day of the week in other words (a helper's
 * probe: none read), with the same limits as before. */
static void test_split_and_week_wordings(void)
{
    static const struct {
        const char *desc, *extra;
        unsigned want, not_want;
    } cases[] = {
        {"Travail en coupure.", "", CM_WORK_SPLIT, 0},
        {"Horaires en discontinu.", "", CM_WORK_SPLIT, 0},
        {"Temps de travail en discontinu (matin et fin de journée).", "", CM_WORK_SPLIT, 0},
        {"Interventions en matinée et en soirée.", "", CM_WORK_SPLIT, 0},
        {"Du lundi au vendredi de 7h30 à 12h puis de 17h à 20h.", "", CM_WORK_SPLIT, 0},
        {"Vous travaillerez en horaires décalés (matin/soir).", "", CM_WORK_SHIFTS, 0},
        {"Aide à domicile.",
         ",\"dureeTravailLibelle\":\"35H/semaine\\nTravail en horaires décalés\"", CM_WORK_SHIFTS,
         0},
        {"Travail 7j/7 par roulement.", "", CM_WORK_WEEKEND | CM_WORK_SHIFTS, 0},
        {"Travail en coupure, 7j/7.", "", CM_WORK_WEEKEND | CM_WORK_SPLIT, 0},
        {"EHPAD ouvert 7j/7.", "", 0, CM_WORK_WEEKEND},
        {"EHPAD 7j/7.", "", 0, CM_WORK_WEEKEND}, /* the house named alone (a probe) */
        {"Poste en EHPAD 7j/7, un week-end sur deux.", "", CM_WORK_WEEKEND, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mapped_t m;
        map_one(&m, "K1302", cases[i].desc, cases[i].extra);
        unsigned wp = m.rec->work_pattern;
        if ((wp & cases[i].want) != cases[i].want || (wp & cases[i].not_want))
            CM_FAIL_("case %zu (%s): work_pattern %#x", i, cases[i].desc, wp);
        mapped_free(&m);
    }
}

/* France Travail has no field for an immersion: the description offers one, or not. */
static void test_immersion_text(void)
{
    static const struct {
        const char *desc;
        bool want;
    } cases[] = {
        {"Une immersion professionnelle (PMSMP) de quelques jours est possible avant l'embauche.",
         true},
        {"Mise en situation en milieu professionnel proposée.", true},
        {"Vous bénéficierez d'une immersion dans l'équipe à votre arrivée.", false},
        {"Pas d'immersion possible.", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mapped_t m;
        map_one(&m, "J1501", cases[i].desc, "");
        if (m.rec->immersion_possible != cases[i].want)
            CM_FAIL_("case %zu (%s): %d", i, cases[i].desc, (int)m.rec->immersion_possible);
        ASSERT((find_code(&m, "immersion_from_text") != NULL) == cases[i].want);
        mapped_free(&m);
    }
}

/* A CDD whose typeContratLibelle says no length: the title or the description may. */
static void test_duration_in_text(void)
{
    static const struct {
        const char *title, *desc;
        int days; /* 0: none read */
    } cases[] = {
        {"Aide-soignant H/F", "CDD de remplacement de 3 mois en EHPAD.", 90},
        {"Aide-soignant H/F - CDD 6 mois", "Poste en EHPAD.", 180},
        {"Auxiliaire de vie H/F", "Contrat de six mois, renouvelable.", 180},
        {"Agent de service H/F", "Mission d'un mois pour un remplacement.", 30},
        {"Aide à domicile H/F", "CDD à temps partiel pour une durée de 2 semaines.", 14},
        {"Aide-soignant H/F", "CDD. Période d'essai de 1 mois.", 0},
        {"Aide-soignant H/F", "CDD. Expérience de 6 mois souhaitée.", 0},
        {"Aide-soignant H/F", "Contrat de travail de 35 heures.", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char json[2048];
        snprintf(json, sizeof json,
                 "{\"id\":\"D1\",\"intitule\":\"%s\",\"description\":\"%s\","
                 "\"romeCode\":\"J1501\",\"typeContrat\":\"CDD\","
                 "\"typeContratLibelle\":\"Contrat à durée déterminée\","
                 "\"dureeTravailLibelle\":\"35H/semaine\",\"lieuTravail\":{\"commune\":\"75111\"}}",
                 cases[i].title, cases[i].desc);
        mapped_t m;
        map_json(&m, json);
        if (m.rec->contract_days != cases[i].days)
            CM_FAIL_("case %zu (%s / %s): %d days, want %d", i, cases[i].title, cases[i].desc,
                     (int)m.rec->contract_days, cases[i].days);
        ASSERT((find_code(&m, "contract_duration_from_text") != NULL) == (cases[i].days != 0));
        mapped_free(&m);
    }
    /* the field's length stands: the text is not read */
    mapped_t m;
    map_json(&m, "{\"id\":\"D2\",\"intitule\":\"CDD de 6 mois\",\"romeCode\":\"J1501\","
                 "\"typeContrat\":\"CDD\",\"typeContratLibelle\":\"Contrat à durée "
                 "déterminée - 2 Mois\",\"lieuTravail\":{\"commune\":\"75111\"}}");
    ASSERT_EQ(m.rec->contract_days, 60);
    ASSERT(find_code(&m, "contract_duration_from_text") == NULL);
    mapped_free(&m);
}

/* France Travail has no field for a training before hiring: the description offers one (a
 * helper's probe: never set, so no pre-hire training lever for its offers). */
static void test_training_text(void)
{
    static const struct {
        const char *desc;
        bool want;
    } cases[] = {
        {"Formation préalable à l'embauche (POEI) de 400 heures.", true},
        {"Recrutement dans le cadre d'une POE avec France Travail.", true},
        {"Nous formons avant l'embauche.", true},
        {"Une AFPR peut être mise en place.", true},
        {"Formation continue assurée tout au long de l'année.", false},
        {"Pas de POE pour ce poste.", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mapped_t m;
        map_one(&m, "K1302", cases[i].desc, "");
        if (m.rec->pre_hire_training != cases[i].want)
            CM_FAIL_("case %zu (%s): %d", i, cases[i].desc, (int)m.rec->pre_hire_training);
        ASSERT((find_code(&m, "training_from_text") != NULL) == cases[i].want);
        mapped_free(&m);
    }
}

int main(void)
{
    test_training_text();
    test_split_and_week_wordings();
    test_weekend_of_the_house();
    test_diploma_alternatives();
    test_diploma_whose();
    test_duration_in_text();
    test_immersion_text();
    test_unknown_alternative();
    test_disability_text();
    test_hours_in_text();
    test_schedule_in_words();
    test_vehicle_sentences();
    test_wrong_types_reported();
    test_salary_thousands();
    test_v3_job_title();
    test_negated_requirements();
    test_diploma_spellings();
    test_service_vehicle_needs_licence();
    test_licence_wished();
    test_experience_in_text();
    test_experience_demanded();
    test_kind_in_text();
    test_night_wordings();
    test_pattern_fields();
    test_diploma_in_progress();
    test_hours_periods();
    test_nul_escape();
    test_places_with_mistakes();
    test_apprenticeship_prepares();
    printf("test_ft_reading: ok\n");
    return 0;
}
