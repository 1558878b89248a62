/* France Travail conditions as a helper's probe of 152 care offers found them misread: vehicles
 * that are not the worker's car, the licence held for years, experience asked beside a diploma,
 * nights on weekend days, rotas said by their halves of the day or their days of rest, an ESAT's
 * workers, and working hours in the job's own words. Each case failed before its fix. */
#include <math.h>

#include "ft_harness.h"

static bool has_pattern(const cm_offer_t *r, unsigned bit)
{
    return (r->work_pattern & bit) != 0;
}

/* The worker's own car and licence: asked, or not. */
static void test_vehicle_and_licence(void)
{
    static const struct {
        const char *desc;
        bool licence, vehicle;
    } cases[] = {
        /* a lorry driven for the house is no car of her own */
        {"Permis B exigé (conduite du camion benne de l'ESAT, véhicule de moins de 3,5 t).", true,
         false},
        /* a choice of means that is not only a car */
        {"Un moyen de locomotion est nécessaire (voiture, scooter).", false, false},
        {"Un moyen de locomotion est indispensable (scooter, vélo, voiture).", false, false},
        /* lent for long rounds, one's own otherwise */
        {"Véhicule de l'association prêté pour les tournées longues, sinon véhicule personnel "
         "exigé.",
         true, true},
        {"Un véhicule de l'association est prêté pour les tournées longues, sinon véhicule "
         "personnel.",
         true, true},
        {"Déplacements fréquents au domicile des bénéficiaires : véhicule personnel, permis B.",
         true, true},
        /* the licence held for some years is asked */
        {"Permis B depuis 3 ans minimum (transport des jeunes avec les véhicules du service).",
         true, false},
        {"Permis B (3 ans minimum).", true, false},
        /* unchanged: a car of the house, one's own said plainly */
        {"Permis B exigé pour conduire le camion de l'ESAT.", true, false},
        {"Permis B et véhicule personnel exigés.", true, true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mapped_t m;
        map_one(&m, "K1304", cases[i].desc, "");
        if (m.rec->driving_licence_required != cases[i].licence ||
            m.rec->vehicle_required != cases[i].vehicle)
            CM_FAIL_("vehicle %zu (%s): %s", i, cases[i].desc, m.json);
        mapped_free(&m);
    }
}

/* Experience asked with something else ("X et 1 an d'expérience exigés"). */
static void test_experience_beside(void)
{
    mapped_t m;
    map_one(&m, "J1506", "Diplôme d'Etat infirmier et 1 an d'expérience exigés.",
            ",\"experienceExige\":\"D\"");
    ASSERT_EQ(m.rec->experience_months, 12);
    ASSERT_EQ(m.rec->experience_level, CM_XP_REQUIRED);
    mapped_free(&m);
}

/* Work patterns said in other words. */
static void test_patterns(void)
{
    static const struct {
        const char *desc;
        unsigned must, must_not;
    } cases[] = {
        /* nights on weekend days */
        {"IDE de nuit pour 2 nuits par semaine (vendredi et samedi), de 19h30 à 7h30.",
         CM_WORK_NIGHT | CM_WORK_WEEKEND, 0},
        {"Nuits de 20h à 8h du dimanche soir au jeudi matin.", CM_WORK_NIGHT | CM_WORK_WEEKEND, 0},
        {"Vous travaillez les nuits du vendredi et du samedi.", CM_WORK_WEEKEND, 0},
        /* shifts by their half of the day, a cycle by its days of rest */
        {"Horaires : matin 6h30-14h, après-midi 13h30-21h.", CM_WORK_SHIFTS, 0},
        {"HORAIRES EN 7H36 : MATIN 6H30-14H06, APRES-MIDI 13H30-21H06.", CM_WORK_SHIFTS, 0},
        {"Planning en 10h : 8h-18h, repos 2 jours après 2 jours travaillés.",
         CM_WORK_SHIFTS | CM_WORK_WEEKEND, 0},
        /* a night on call */
        {"Un week-end sur deux, et une nuit d'astreinte par semaine (chambre de veille).",
         CM_WORK_NIGHT | CM_WORK_WEEKEND, 0},
        /* an 11-hour day is no 12-hour post; a house's 11-hour range is staffed in shifts */
        {"Le mercredi de 7h30 à 18h30.", 0, CM_WORK_SHIFTS},
        {"Horaires du lundi au vendredi, amplitude 7h30-18h30.", CM_WORK_SHIFTS, 0},
        {"Amplitude horaire de 7h à 21h avec coupure.", CM_WORK_SPLIT, CM_WORK_SHIFTS},
        {"Poste en 12h : 7h-19h.", CM_WORK_SHIFTS, 0},
        {"Mercredis et vacances : de 7h à 18h en journée continue.", CM_WORK_DAY, CM_WORK_SHIFTS},
        /* weekends said by their count, a six-day week, a night from Friday to Monday, a
         * cycle over two weeks (a helper's probe) */
        {"Matins 8h-12h du lundi au vendredi + 2 samedis par mois.", CM_WORK_WEEKEND, 0},
        {"Les matins de 7h à 11h, 6 jours sur 7 (repos le mercredi).", CM_WORK_WEEKEND, 0},
        {"Nuits couchées du vendredi soir 20h au lundi matin 8h (3 nuits).",
         CM_WORK_NIGHT | CM_WORK_WEEKEND, 0},
        {"Horaires : 20h45 - 6h45. 7 nuits travaillées sur 14.", CM_WORK_NIGHT | CM_WORK_WEEKEND,
         0},
        {"Du lundi au vendredi de 9h à 17h, repos le samedi et le dimanche.", 0, CM_WORK_WEEKEND},
        /* a rota by its opening and closing posts; rounds at three times of the day */
        {"Horaires en alternance : ouverture (7h30-15h) ou fermeture (11h-18h30).", CM_WORK_SHIFTS,
         0},
        {"Interventions le matin, le midi et en fin d'après-midi.", CM_WORK_SPLIT, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mapped_t m;
        map_one(&m, "J1501", cases[i].desc, ",\"dureeTravailLibelle\":\"35H Horaires normaux\"");
        if ((m.rec->work_pattern & cases[i].must) != cases[i].must ||
            (m.rec->work_pattern & cases[i].must_not))
            CM_FAIL_("pattern %zu (%s): %s", i, cases[i].desc, m.json);
        mapped_free(&m);
    }
}

/* An ESAT's or a home's disabled workers are the people the job supervises. */
static void test_supervised_workers(void)
{
    static const struct {
        const char *desc;
        bool open;
    } cases[] = {
        {"Vous encadrez 10 travailleurs handicapés.", false},
        {"L'ESAT accueille 60 travailleurs handicapés.", false},
        {"Poste ouvert aux travailleurs handicapés.", true},
        {"Vous encadrez une équipe. Poste ouvert aux personnes bénéficiant d'une RQTH.", true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mapped_t m;
        map_one(&m, "K1203", cases[i].desc, "");
        if (m.rec->accessible_to_disabled_workers != cases[i].open)
            CM_FAIL_("disability %zu (%s): %s", i, cases[i].desc, m.json);
        mapped_free(&m);
    }
}

/* Working hours in the job's own words become windows: "entre X et Y", a presence, the
 * cleaning ("l'entretien d'un EHPAD", not an interview), helping at meals; windows on a
 * Saturday or Sunday are weekend work. */
static void test_windows(void)
{
    static const struct {
        const char *desc, *hours;
        unsigned days0;
        int from0, to0;
        bool weekend;
    } cases[] = {
        {"Vous intervenez du lundi au vendredi entre 11h30 et 14h.", "12H30/semaine", 0x1f, 690,
         840, false},
        {"Vous intervenez chaque jour de la semaine (lundi au vendredi) entre 11h30 et 14h pour "
         "l'aide au repas de personnes âgées.",
         "12H30/semaine", 0x1f, 690, 840, false},
        {"Entreprise de propreté recherche agent de service pour l'entretien d'un EHPAD, le samedi "
         "et le dimanche de 6h à 12h.",
         "12H/semaine", 0x60, 360, 720, true},
        {"Présence le matin de 8h à 12h, du lundi au samedi.", "24H/semaine", 0x3f, 480, 720, true},
        {"L'animateur est présent du mardi au samedi de 10h à 17h30.", "35H/semaine", 0x3e, 600,
         1050, true},
        /* the week's or a visit's length said beside the hours */
        {"Temps partiel 24h : présence les lundis, mercredis et vendredis de 9h à 17h.",
         "24H/semaine", 0x15, 540, 1020, false},
        {"Particulier cherche aide ménagère 3h le jeudi après-midi (14h-17h).", "3H/semaine", 0x08,
         840, 1020, false},
        {"Accompagnement d'une personne âgée, du lundi au vendredi de 9h à 12h et de 14h à 18h.",
         "35H/semaine", 0x1f, 540, 720, false},
        /* a helper's probe: each lost */
        {"Postes du matin uniquement : 6h45 - 14h15, du lundi au vendredi.", "35H/semaine", 0x1f,
         405, 855, false},
        {"Horaires : du lundi au vendredi de 9h à 17h, pas de week-end ni de jours fériés.",
         "35H/semaine", 0x1f, 540, 1020, false},
        {"Poste du lundi au vendredi de 8h30 à 17h, pas de week-end, ni de nuit.", "35H/semaine",
         0x1f, 510, 1020, false},
        {"Du lundi au vendredi de 9h à 17h, pause déjeuner d'1h.", "35H/semaine", 0x1f, 540, 1020,
         false},
        {"Vous travaillez les après-midis de 14h à 17h30, du lundi au vendredi (service du goûter, "
         "entretien des salles à manger).",
         "17H30/semaine", 0x1f, 840, 1050, false},
        {"Gardes après l'école du lundi au vendredi, 16h30-18h30, soit 10h par semaine.",
         "10H/semaine", 0x1f, 990, 1110, false},
        {"Jours de travail : lundi, mercredi, vendredi.\nHoraires : 8h30 - 17h30.", "27H/semaine",
         0x15, 510, 1050, false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char extra[96];
        snprintf(extra, sizeof extra, ",\"dureeTravailLibelle\":\"%s\"", cases[i].hours);
        mapped_t m;
        map_one(&m, "K1311", cases[i].desc, extra);
        const cm_window_t *w = m.rec->n_schedule ? &m.rec->schedule[0] : NULL;
        if (!w || w->days != cases[i].days0 || w->from_min != cases[i].from0 ||
            w->to_min != cases[i].to0 || has_pattern(m.rec, CM_WORK_WEEKEND) != cases[i].weekend)
            CM_FAIL_("windows %zu (%s): %s", i, cases[i].desc, m.json);
        mapped_free(&m);
    }
    /* a weekend day's length is no time of the day: the sentence stays unread */
    {
        mapped_t w;
        map_one(&w, "K1306",
                "Horaires en coupé (8h-12h / 17h-21h) en semaine, et journées de 10h le week-end.",
                ",\"dureeTravailLibelle\":\"35H/semaine\"");
        ASSERT_EQ(w.rec->n_schedule, 0);
        mapped_free(&w);
    }
    /* part time with no figure: the windows give the week; a nanny's long days too, up to
     * 55 hours with her breaks (a helper's probe) */
    {
        static const struct {
            const char *desc, *fields;
            double hours;
        } weeks[] = {
            {"Sorties d'école les lundis, mardis, jeudis et vendredis de 16h30 à 19h.",
             ",\"dureeTravailLibelleConverti\":\"Temps partiel\"", 10},
            {"Jours : lundi, mardi, jeudi, vendredi.\nHoraires : 7h45-8h45 puis 16h30-19h.",
             ",\"dureeTravailLibelleConverti\":\"Temps partiel\"", 14},
            {"Nounou à temps plein. Du lundi au vendredi, 8h15-18h45.",
             ",\"dureeTravailLibelleConverti\":\"Temps plein\"", 52.5},
        };
        for (size_t i = 0; i < sizeof weeks / sizeof weeks[0]; i++) {
            mapped_t w;
            map_one(&w, "K1303", weeks[i].desc, weeks[i].fields);
            const cJSON *h = at(w.o, "hours_per_week");
            if (!h || fabs(h->valuedouble - weeks[i].hours) > 1e-9 || w.rec->n_schedule == 0 ||
                !find_code(&w, "hours_from_schedule"))
                CM_FAIL_("week %zu (%s): %s", i, weeks[i].desc, w.json);
            mapped_free(&w);
        }
    }
    /* days off on their own line are no working days (a reviewer's catch) */
    {
        mapped_t w;
        map_one(&w, "K1303", "Jours de repos : samedi et dimanche.\nHoraires : 9h-17h.",
                ",\"dureeTravailLibelle\":\"35H/semaine\"");
        ASSERT_EQ(w.rec->n_schedule, 0);
        mapped_free(&w);
    }
    /* an interview's hours stay someone else's */
    mapped_t m;
    map_one(&m, "K1311", "Entretiens de recrutement du lundi au vendredi de 9h à 12h.",
            ",\"dureeTravailLibelle\":\"15H/semaine\"");
    ASSERT_EQ(m.rec->n_schedule, 0);
    mapped_free(&m);
}

/* A post the law reserves to a diploma's holders requires it, named or not; not when other
 * professions are named beside it, nor the aide-soignant's (homes hire "faisant fonction"). */
static void test_regulated_posts(void)
{
    static const struct {
        const char *rome, *desc, *code;
        int required; /* 1 required, 0 wished, -1 absent */
    } cases[] = {
        {"J1506", "IDE DE, débutant(e) accepté(e).", "DEI", 1},
        {"J1506", "Diplôme d'Etat d'infirmier, inscription à l'Ordre.", "DEI", 1},
        {"J1506", "Centre de santé municipal, horaires de 8h à 17h.", "DEI", 1},
        {"J1304", "Vous êtes diplômée d'Etat auxiliaire de puériculture.", "DEAP", 1},
        {"J1304", "AP diplômée.", "DEAP", 1},
        {"J1506", "Crèche de 45 berceaux : infirmière DE, puéricultrice ou EJE.", "DEI", -1},
        {"J1501", "Idéalement titulaire du DEAS, vous aimez le travail en équipe.", "DEAS", 0},
        {"J1501", "Aide-soignant en EHPAD.", "DEAS", -1},
        /* a colleague named is no other way in; a puéricultrice holds the DEI (a helper's
         * probe) */
        {"J1304", "Vous participez aux permanences de puéricultrice. Recrutement statutaire.",
         "DEAP", 1},
        {"J1506", "Infirmier(e) DE ou puériculteur(trice).", "DEI", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mapped_t m;
        map_one(&m, cases[i].rome, cases[i].desc, "");
        bool req = has_cert(m.rec, cases[i].code, true),
             wish = has_cert(m.rec, cases[i].code, false);
        if ((cases[i].required == 1 && !req) || (cases[i].required == 0 && (req || !wish)) ||
            (cases[i].required < 0 && (req || wish)))
            CM_FAIL_("regulated %zu (%s): %s", i, cases[i].desc, m.json);
        mapped_free(&m);
    }
}

/* The ADMR runs SAADs and SSIADs: a title that says SSIAD is the job's kind. */
static void test_admr_ssiad(void)
{
    static const char *const json[] = {
        "{\"id\":\"K1\",\"intitule\":\"Aide-soignant(e) - temps partiel - SSIAD\","
        "\"description\":\"SSIAD ADMR du Cher. Tournées du matin.\",\"romeCode\":\"J1501\","
        "\"typeContrat\":\"CDI\",\"codeNAF\":\"88.10A\",\"entreprise\":{\"nom\":\"ADMR du "
        "Cher\"},\"lieuTravail\":{\"commune\":\"18033\"}}",
        "{\"id\":\"K2\",\"intitule\":\"Aide à domicile\",\"description\":\"En lien avec le "
        "SSIAD.\",\"romeCode\":\"K1304\",\"typeContrat\":\"CDI\",\"codeNAF\":\"88.10A\","
        "\"entreprise\":{\"nom\":\"ADMR du Cher\"},\"lieuTravail\":{\"commune\":\"18033\"}}"};
    static const int kind[] = {CM_EMPLOYER_SSIAD, CM_EMPLOYER_SAAD};
    for (size_t i = 0; i < 2; i++) {
        mapped_t m;
        map_json(&m, json[i]);
        if ((int)m.rec->employer_kind != kind[i])
            CM_FAIL_("admr %zu: %s", i, m.json);
        mapped_free(&m);
    }
}

int main(void)
{
    test_admr_ssiad();
    test_regulated_posts();
    test_vehicle_and_licence();
    test_experience_beside();
    test_patterns();
    test_supervised_workers();
    test_windows();
    printf("test_ft_conditions: ok\n");
    return 0;
}
