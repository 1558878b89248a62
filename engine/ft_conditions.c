/* When and how a France Travail offer's work is done: night, weekend, split or rotating
 * hours (work_pattern), physical demands, one's own vehicle required or a vehicle provided.
 * Read from the structured fields first, then from the text's sentences that deny nothing
 * ("pas de travail de nuit" says no night). Part of the mapper (francetravail.c). */
#include <ctype.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carematch/record.h"
#include "ft_internal.h"

enum { P_DAY, P_NIGHT, P_WEEKEND, P_SPLIT, P_SHIFTS, P__COUNT };
static const char *const pattern_names[P__COUNT] = {"day", "night", "weekend", "split", "shifts"};

/* Words of the duration and schedule fields (short and structured), by pattern. */
static const char *const field_words[P__COUNT][16] = {
    /* NULL-terminated rows */
    {"journee", "de jour", "horaires de jour", NULL},
    {"nuit", "nuits", "veilleur", "veilleuse", "3x8", "3 x 8", "trois huit",
     NULL}, /* 3x8: round the clock (2x12 may be days only: "2x12 (jour)") */
    {"week end", "week ends", "weekend", "weekends", "samedi", "samedis", "dimanche", "dimanches",
     "jours feries", "jour ferie", "we", "w e", NULL}, /* "1 WE sur 2", "W-E" */
    {"fractionne", "fractionnes", "fractionnee", "fractionnees", "coupe", "coupes", "coupee",
     "coupees", "coupure", "coupures", "discontinus", NULL},
    {"2x8", "3x8", "2 x 8", "3 x 8", "2 8", "3 8", "2x12", "roulement", "horaires alternes",
     "horaires decales", "en rotation", "alternance jour nuit", "travail poste",
     "travail en equipe", "travail en equipes",
     NULL}, /* France Travail's "35H Travail en équipe": équipes successives */
};
/* Words of the title: it names the job ("Aide-soignant de nuit", "Veilleur de nuit"). */
static const char *const title_night[] = {"nuit", "nuits", "veilleur", "veilleuse", NULL};
/* Words of free text (title, description): only the unambiguous ones. Night is said of the
 * job, not of the house ("l'équipe de nuit", "le service est ouvert jour et nuit", "le veilleur
 * de nuit" are colleagues and opening hours). */
static const char *const text_words[P__COUNT][96] = {
    /* day said of the job (a helper's probe: a night-only candidate took "travail en journée de
     * 7h à 15h") */
    {"poste de jour", "postes de jour", "travail en journee", "travail de jour", "horaires de jour",
     "soignant de jour", "soignante de jour", "de jour uniquement", "uniquement de jour",
     "exclusivement de jour", "en journee de", "poste en journee", "horaires en journee",
     "en journee continue", NULL},
    {"poste de nuit", "postes de nuit",
     "3x8", /* three teams round the clock: one works the night */
     "3 x 8", "trois huit", "jour et nuit en alternance", "roulement jour / nuit",
     "12h jour / nuit", "12h de jour et de nuit", "travail de nuit", "horaires de nuit",
     "travaillez de nuit", "travailler de nuit", "travail la nuit", "nuits par semaine",
     "de nuit uniquement", "jour ou de nuit", "12h de nuit", "poste de veilleur",
     "poste de veilleuse", "soignant de nuit", "soignante de nuit", "infirmier de nuit",
     "infirmiere de nuit", "agent de nuit", "surveillant de nuit", "surveillante de nuit",
     "vie de nuit", "alternance jour / nuit", "jour / nuit en alternance", "alternance jour nuit",
     "jour et de nuit selon",
     "de jour comme de nuit", /* said of the job; the house's hours say "ouvert jour et nuit" */
     "3x8h",
     /* a helper's probe: night said of the job in other words */
     "travaillerez de nuit", "travaillerez la nuit", "travaillez la nuit", "exclusivement de nuit",
     "nuits fixes", "nuit fixe", "fixe de nuit", "pourvoir de nuit", "postes de jour et de nuit",
     "veilles de nuit", "veille de nuit", "nuits couchees", "nuit couchee", "astreintes de nuit",
     "astreinte de nuit", "nuit d astreinte", "nuits d astreinte", "nuit de veille",
     "nuits sur place", "nuit sur place", "nuits de veille", "2x12 jour / nuit",
     "2x12h jour / nuit", "12h jour et nuit",
     /* another probe */
     "exclusivement la nuit", "uniquement la nuit", "la nuit uniquement", "uniquement de nuit",
     "10h de nuit", "11h de nuit", "9h de nuit", "nuits travaillees", "nuit travaillee",
     "assurez le service de nuit", "assurer le service de nuit", "assurerez le service de nuit",
     "mission de nuit", "missions de nuit", "mission nuits", "mission nuit",
     /* occasional nights: "1 nuit par semaine", "2 nuits par mois en plus de vos journées"
      * (a helper's probe: day only) */
     "nuit par semaine", "nuits par mois", "nuit par mois",
     /* three teams round the clock ("Horaires en 3 équipes (matin, après-midi, nuit)") */
     "en 3 equipes", "en trois equipes",
     /* nights named in passing, or among the day's rhythms (a helper's probe: lost) */
     "nuits ponctuelles", "nuit ponctuelle", "matin soir nuit", "matin / soir / nuit",
     "soir et nuit", "soirs et nuits", "nuits du", NULL},
    {"week end", "week ends", "weekend", "weekends", "jours feries", "au samedi", "au dimanche",
     "le samedi", "le dimanche", "les samedis", "les dimanches", "1 we", "un we", "le we", "les we",
     "des we", "we sur", "w e", "un samedi", "un dimanche", "1 samedi", "1 dimanche", "samedi sur",
     "dimanche sur", "samedi et dimanche", "samedis et dimanches", "1we", /* "1WE/2", "WE 1/2" */
     "we 1 / 2",
     /* every day of the week, said of the work ("Travail 7j/7 par roulement"; the house's
      * "ouvert 7j/7" is about_the_house): a helper's probe */
     "7j / 7", "7 j / 7", "7 jours sur 7", "7 jours / 7",
     /* "Samedis travaillés par roulement" (a helper's probe: no weekend) */
     "samedis travailles", "samedi travaille", "dimanches travailles", "dimanche travaille",
     "week ends travailles", "week end travaille",
     /* "Nuits du vendredi au lundi matin", "lundi, mardi, vendredi, samedi, dimanche" (a
      * helper's probe: no weekend) */
     "du vendredi au lundi", "vendredi au lundi", "samedi dimanche", "samedi / dimanche",
     /* nights on weekend days: "2 nuits par semaine (vendredi et samedi)", "du dimanche soir
      * au jeudi matin", "les nuits du vendredi et du samedi" (a helper's probe: no weekend) */
     "et samedi", "et dimanche", "du samedi", "du dimanche", "samedi soir", "dimanche soir",
     "samedi matin", "dimanche matin",
     /* a helper's probe: "+ 2 samedis par mois", "6 jours sur 7 (repos le mercredi)", "du
      * vendredi soir 20h au lundi matin 8h", a cycle of "7 nuits travaillées sur 14" */
     "samedis par mois", "dimanches par mois", "samedi par mois", "dimanche par mois",
     "week ends par mois", "weekends par mois", "6 jours sur 7", "six jours sur sept", "6j / 7",
     "6 j / 7", "6 jours / 7", "au lundi matin", "nuits travaillees sur 14", "nuits sur 14",
     "jours travailles sur 14", NULL},
    {"horaires fractionnes", "horaires coupes", "horaire coupe", "horaires discontinus",
     "journee coupee", "journees coupees", "travail fractionne", "avec coupure", "coupures",
     /* home care's rounds (a helper's probe) */
     "le matin et le soir", "le matin le midi et le soir", "matin midi et soir", "matins et soirs",
     /* a helper's probe */
     "en coupure", "en coupures", "en discontinu", "horaires en discontinu",
     "en matinee et en soiree", "matin et en fin de journee", "matin et fin de journee",
     /* "Tournées matin et soir" (a helper's probe) */
     "matin et soir", "du matin et du soir",
     /* "le matin, le midi et en fin d'après-midi" (a helper's probe) */
     "le matin le midi et en fin d apres midi", "le matin et en fin d apres midi",
     "matin midi et fin d apres midi", NULL},
    {"2x8",
     "3x8",
     "2 x 8",
     "3 x 8",
     "2x12",
     "en roulement",
     "par roulement",
     "selon roulement",
     "sur roulement",
     "roulement sur",
     "12h roulement",
     "12 h roulement",
     "roulement 1 we",
     "roulement un we",
     "horaires alternes",
     "horaires en alternance", /* "ouverture (7h30-15h) ou fermeture (11h-18h30)": a probe */
     "horaires decales",       /* "en horaires décalés (matin/soir)": a helper's probe */
     "alternance jour nuit",
     "alternance jour / nuit",
     "jour / nuit en alternance",
     "en alternance jour",
     "travail poste",
     "equipes alternantes",
     "roulement jour / nuit",
     "roulement en",
     "2x12h",
     "2 x 12h",
     "2x12 h",
     "3x8h",
     "de jour comme de nuit",
     "en 12h", /* "poste en 12h", "vous travaillerez en 12h (7h-19h)": early and late */
     "en 12 h",
     "poste de 12h",
     "postes de 12h",
     "journee de 12h",
     "journees de 12h",
     "2x7h30", /* two shifts of 7.5 hours: morning and afternoon (a helper's probe) */
     "2 x 7h30",
     "2x7h",
     "2x7",
     "2x10h",
     "matin ou soir", /* "matin ou soir en alternance", "postes du matin ou du soir" */
     "matin ou du soir",
     "matins ou soirs",
     "matin ou apres midi",
     "matin ou d apres midi",
     "alternance matin",
     "matin / soir en alternance",
     "matin / apres midi en alternance",
     "roulement matin", /* "Roulement matin / après-midi" (a helper's probe) */
     "matin soir nuit", /* "Rythmes variables : matin, soir, nuit, 12h" */
     "matin / apres midi",
     "en 3 equipes", /* teams that follow each other: "en 2 équipes (matin, après-midi)" */
     "en trois equipes",
     "en 2 equipes",
     "en deux equipes",
     NULL},
};

/* The spans of hours in folded text ("19h a 7h", "6h45 a 18h45"), each given to fn with its
 * ends in minutes of the day; true when fn says so of one. Two times side by side ("20h (4h
 * par jour)", "13h30-20h, 6h45-13h15") are no span. */
static bool any_span(const char *f, bool (*fn)(int from, int to))
{
    for (const char *p = f; *p; p++) {
        if (!isdigit((unsigned char)*p) || (p > f && isdigit((unsigned char)p[-1])))
            continue;
        char *e;
        long a = strtol(p, &e, 10);
        if (*e != 'h' || a > 24)
            continue;
        long am = strtol(e + 1, &e, 10);
        const char *q = e;
        if (strncmp(q, " a ", 3) != 0 || !isdigit((unsigned char)q[3]))
            continue;
        q += 2;
        long b = strtol(q + 1, &e, 10);
        if (*e != 'h' || b > 24)
            continue;
        long bm = strtol(e + 1, &e, 10);
        if (am < 60 && bm < 60 && fn((int)(a * 60 + am), (int)(b * 60 + bm)))
            return true;
    }
    return false;
}

/* Across the night: "19h a 7h", "21h00 a 6h30", "de 20h a 8h", "0h a 6h". */
static bool is_night(int from, int to)
{
    return (from >= 19 * 60 && to <= 9 * 60) || (from <= 4 * 60 && to > from && to <= 9 * 60);
}

/* A 12-hour day, "6h45 a 18h45", "7h a 19h" (a helper's probe read such posts as plain day
 * work): early and late hours, as "poste en 12h" says. Not an 11-hour day ("Le mercredi de
 * 7h30 à 18h30", a holiday centre's: a helper's probe read shifts). */
static bool is_long_day(int from, int to)
{
    return from >= 5 * 60 && from <= 9 * 60 && to - from >= 11 * 60 + 30 && to - from <= 13 * 60;
}

/* A day's range of 10 to 12 hours: staff work shifts inside it ("amplitude 7h30-18h30"); a
 * longer one is a split day's ("Amplitude horaire de 7h à 21h avec coupure"). */
static bool is_wide_range(int from, int to)
{
    return from >= 5 * 60 && from <= 9 * 60 && to - from >= 10 * 60 && to - from <= 12 * 60;
}

static bool night_span(const char *f)
{
    return any_span(f, is_night);
}

/* A 12-hour day said of the job, not the house's opening ("Accueil de jour ouvert de 7h à
 * 19h"). */
static bool long_day_span(const char *f)
{
    static const char *const house[] = {"ouvert",  "ouverte",    "ouverture",
                                        "accueil", "permanence", NULL};
    return !cm__ft_has_any(f, house) &&
           (any_span(f, is_long_day) ||
            (cm__ft_has_words(f, "amplitude") && any_span(f, is_wide_range)));
}

enum { D_LIFTING, D_STANDING, D_HEARING, D__COUNT };
static const char *const demand_names[D__COUNT] = {"lifting", "standing", "hearing"};
static const char *const demand_words[D__COUNT][9] = {
    {"port de charges", "port de charge", "charges lourdes", "manutention", "manutentions",
     "transferts de patients", "aide aux transferts", "transferts des residents"},
    {"station debout", "debout prolongee", NULL},
    {"standard telephonique", "appels telephoniques", "ecoute telephonique", "alarmes", NULL},
};

typedef struct cond {
    bool pattern[P__COUNT], demand[D__COUNT];
    bool vehicle_required, vehicle_provided;
    /* "35H Horaires normaux": France Travail's default wording (2022-2024), day work only when
     * nothing says night */
    bool normal_hours;
    bool night_only; /* the text says nights only ("nuits fixes"): no day from the fields */
} cond_t;

/* A sentence that says no pattern: "pas de travail de nuit", and "fermée le week-end",
 * "week-ends libres", "travail de nuit exclu". */
/* "repos" says a time off ("repos le week-end", "week-end : repos"), but not in a rota's
 * words: "repos variable(s)", "repos compensateur", "2 jours de repos", "repos 1 week-end sur
 * 2", "repos en semaine" (a helper's probe: "21h00 - 7h00, repos variable" lost its night). */
/* Does one of the phrases start at x, whole words? */
static bool phrase_at(const char *x, const char *const *phrases)
{
    for (int k = 0; phrases[k]; k++) {
        size_t l = strlen(phrases[k]);
        if (strncmp(x, phrases[k], l) == 0 && (x[l] == ' ' || x[l] == '\0'))
            return true;
    }
    return false;
}

/* The weekend named next, after an article: " le week end", " les samedis et dimanches"
 * (days: the days count too). */
static bool weekend_next(const char *w, bool days)
{
    static const char *const art[] = {" le ", " les ", " du ", " des ", " en ", NULL};
    static const char *const we[] = {"week end", "week ends", "weekend", "weekends", "we", NULL};
    static const char *const day[] = {"samedi", "samedis", "dimanche", "dimanches", NULL};
    for (int a = 0; art[a]; a++) {
        size_t la = strlen(art[a]);
        if (strncmp(w, art[a], la) != 0)
            continue;
        const char *x = w + la;
        if (phrase_at(x, we) || (days && phrase_at(x, day)))
            return true;
    }
    return false;
}

/* "Fermeture le week-end", "fermeture de l'internat le week-end" (a helper's probe stored them
 * as weekend work): the noun, the weekend within a few words. Not "la fermeture le samedi", a
 * closing duty on a working day. */
static bool closed_weekend(const char *f)
{
    for (const char *p = strstr(f, " fermeture "); p; p = strstr(p + 1, " fermeture ")) {
        const char *w = p + 10;
        for (int n = 0; n < 5 && w; n++, w = strchr(w + 1, ' '))
            if (weekend_next(w, false))
                return true;
    }
    return false;
}

static bool rest_denies(const char *f)
{
    static const char *const rota[] = {"variable",
                                       "variables",
                                       "compensateur",
                                       "compensateurs",
                                       "compensatoire",
                                       "hebdomadaire",
                                       "hebdomadaires",
                                       "tournant",
                                       "tournants",
                                       "par",
                                       "en",
                                       "1",
                                       "un",
                                       "2",
                                       "deux",
                                       "selon",
                                       "planning",
                                       "sur",
                                       "fixe",
                                       "fixes",
                                       "alterne",
                                       "alternes",
                                       NULL};
    for (const char *p = strstr(f, " repos "); p; p = strstr(p + 1, " repos ")) {
        const char *w = p + 7;
        bool benign = cm__ft_word_is(w, strcspn(w, " "), rota);
        /* "repos fixe les week-ends" is weekends off; "repos fixe le mercredi" a rota's day */
        if (benign && strncmp(w, "fixe", 4) == 0)
            benign = !weekend_next(w + strcspn(w, " "), true);
        /* "6 jours sur 7 (repos le mercredi)": a weekday's rest denies nothing (a helper's
         * probe lost the weekend) */
        static const char *const weekday[] = {"lundi",    "mardi",     "mercredi", "jeudi",
                                              "vendredi", "lundis",    "mardis",   "mercredis",
                                              "jeudis",   "vendredis", NULL};
        const char *d = w + strcspn(w, " ") + 1;
        if (!benign && (strncmp(w, "le ", 3) == 0 || strncmp(w, "les ", 4) == 0) &&
            cm__ft_word_is(d, strcspn(d, " "), weekday) && !strstr(d, "samedi") &&
            !strstr(d, "dimanche") && !strstr(d, "week"))
            benign = true;
        /* "jours de repos", "jour de repos", "2 nuits de repos" (a rota's rest) */
        if (!benign && p - f >= 8 && strncmp(p - 3, " de", 3) == 0)
            benign = (p - f >= 9 &&
                      (strncmp(p - 9, " jours", 6) == 0 || strncmp(p - 9, " nuits", 6) == 0)) ||
                     strncmp(p - 8, " jour", 5) == 0 || strncmp(p - 8, " nuit", 5) == 0;
        if (!benign)
            return true;
    }
    return false;
}

static bool denies(const char *f)
{
    static const char *const closed[] = {
        "ferme",         "fermee", "fermes", "fermees", "libre",  "libres", "non travailles",
        "non travaille", "sauf",   "exclu",  "exclue",  "exclus", NULL};
    return cm__ft_says_no(f) || cm__ft_has_any(f, closed) || rest_denies(f) || closed_weekend(f);
}

static int field_sentence(void *arg, const char *f)
{
    cond_t *c = arg;
    c->normal_hours |= cm__ft_has_words(f, "horaires normaux");
    if (!denies(f)) {
        for (int p = 0; p < P__COUNT; p++)
            c->pattern[p] |= cm__ft_has_any(f, field_words[p]);
        c->pattern[P_NIGHT] |= night_span(f); /* complementExercice "21h - 7h" */
    }
    for (int d = 0; d < D__COUNT; d++)
        c->demand[d] |= cm__ft_has_any(f, demand_words[d]);
    return 0;
}

/* A sentence about the house, its residents or their families, not about the worker: its
 * weekend is their opening hours or their visits ("Le service fonctionne du lundi au
 * dimanche", "Animations organisées le week-end pour les résidents", "Les visites des familles
 * ont lieu le samedi et le dimanche"; a helper's probe put a weekend barrier on a Monday to
 * Friday job). A word of the work or of "vous" keeps it the job's ("un week-end sur deux
 * travaillé", "Vous travaillerez le samedi"). */
static bool about_the_house(const char *f)
{
    static const char *const house[] = {
        "ouvert", "ouverte", "ouverts", "fonctionne", "fonctionnons", "accueille", "accueillons",
        "accueil de jour", "residents", "residentes", "familles", "visites", "animations",
        "beneficiaires", "patients", "365 jours",
        /* the house named alone: "EHPAD 7j/7." (a helper's probe read a weekend) */
        "ehpad", "etablissement", "residence", NULL};
    static const char *const worker[] = {
        "vous",       "votre",        "travail",    "travaille", "travailles", "travaillee",
        "travaillez", "travaillerez", "travailler", "poste",     "postes",     "planning",
        "roulement",  "horaires",     "horaire",    "repos",     "garde",      "astreinte",
        "astreintes", "1 we",         "un we",      "sur 2",     "sur deux",   "sur trois",
        "sur 3",      "candidat",     "candidate",  "salarie",   "salariee",   NULL};
    return cm__ft_has_any(f, house) && !cm__ft_has_any(f, worker);
}

/* Home care's rounds with their hours between: "le matin (8h-12h) et le soir (17h-20h)",
 * "Tournées du matin (7h-12h) et du soir (17h-20h)", "le matin de 7h30 à 12h et le soir de
 * 17h à 20h" (a helper's probe: no split read). */
static bool rounds_with_hours(const char *f)
{
    static const char *const morning[] = {" le matin ",       " du matin ",      " les matins ",
                                          " tournees matin ", " tournee matin ", NULL};
    static const char *const evening[] = {" et le soir ",   " et du soir ", " et les soirs ",
                                          " et en soiree ", " et soir ",    NULL};
    for (int i = 0; morning[i]; i++) {
        const char *m = strstr(f, morning[i]);
        for (int j = 0; m && evening[j]; j++)
            if (strstr(m, evening[j]))
                return true;
    }
    return false;
}

/* A rota of weekend days, not of hours: "Samedis travaillés par roulement" (a helper's probe
 * read 2x8 shifts, a barrier on late hours for a 7h-14h job): the days worked said, the
 * sentence's shifts only its "roulement", and no word of hours ("Horaires en roulement, un
 * week-end sur deux" is a rota of hours). */
static bool weekend_rota_only(const char *f)
{
    static const char *const days[] = {"samedis travailles",
                                       "samedi travaille",
                                       "dimanches travailles",
                                       "dimanche travaille",
                                       "week ends travailles",
                                       "week end travaille",
                                       NULL};
    static const char *const hours[] = {"horaires", "horaire",    "matin", "soir",   "soiree",
                                        "journee",  "journees",   "poste", "postes", "equipe",
                                        "equipes",  "apres midi", NULL};
    if (!cm__ft_has_any(f, days) || cm__ft_has_any(f, hours))
        return false;
    for (int k = 0; text_words[P_SHIFTS][k]; k++)
        if (!strstr(text_words[P_SHIFTS][k], "roulement") &&
            cm__ft_has_words(f, text_words[P_SHIFTS][k]))
            return false;
    return !long_day_span(f);
}

/* Not the job's own pattern: the other team's ("L'équipe de nuit prend le relais de 21h à
 * 7h"), or a possibility offered ("Possibilité de travailler de nuit si vous le souhaitez"): a
 * helper's probe shut day workers out of day jobs so. */
static bool not_the_jobs(const char *f)
{
    static const char *const w[] = {"prend le relais",         "prennent le relais",
                                    "prendra le relais",       "si vous le souhaitez",
                                    "si vous le desirez",      "si vous le voulez",
                                    "si vous le souhaite",     "possibilite de travailler",
                                    "possibilite d effectuer", "possibilite de faire",
                                    "eventuellement",          NULL};
    return cm__ft_has_any(f, w);
}

static bool text_says(const char *f, int p)
{
    if (p == P_WEEKEND && about_the_house(f))
        return false;
    if (p != P_WEEKEND && not_the_jobs(f))
        return false;
    if (p == P_SHIFTS && weekend_rota_only(f))
        return false;
    return cm__ft_has_any(f, text_words[p]) || (p == P_NIGHT && night_span(f)) ||
           (p == P_SPLIT && rounds_with_hours(f)) || (p == P_SHIFTS && long_day_span(f));
}

/* A sentence of the text; its patterns only when `patterns` (else read clause by clause). */
static int text_sentence_with(cond_t *c, const char *f, bool patterns)
{
    /* a weekend off in two is a weekend worked in two: "Repos 1 week-end sur 2" */
    static const char *const rest_one_in[] = {"repos 1 week end sur",
                                              "repos un week end sur",
                                              "repos 1 we sur",
                                              "repos un we sur",
                                              "repos 1 weekend sur",
                                              "repos un weekend sur",
                                              NULL};
    if (cm__ft_has_any(f, rest_one_in))
        c->pattern[P_WEEKEND] = true;
    /* a cycle of days on and off, "3 jours travaillés / 3 jours de repos", "2 jours
     * travaillés, 2 jours de repos": a rota that runs through the weekends (a helper's probe:
     * its "repos" read as a denial) */
    static const char *const on[] = {"jours travailles", "jours de travail", "jours d affilee",
                                     "nuits travaillees", NULL};
    static const char *const off[] = {"jours de repos", "jours repos", "nuits de repos",
                                      /* "repos 2 jours après 2 jours travaillés" (a probe) */
                                      "repos 2 jours", "repos 3 jours", "repos 4 jours",
                                      "repos deux jours", "repos trois jours", NULL};
    if (cm__ft_has_any(f, on) && cm__ft_has_any(f, off) && !cm__ft_says_no(f)) {
        c->pattern[P_SHIFTS] = true;
        c->pattern[P_WEEKEND] = true;
    }
    if (cm__ft_vehicle_named(f)) {
        if (cm__ft_vehicle_provided(f))
            c->vehicle_provided = true;
        else if (cm__ft_vehicle_asked(f))
            c->vehicle_required = true;
    }
    if (denies(f))
        return 0;
    /* nights only: a field's "Travail en journée" is France Travail's default, not the job */
    static const char *const night_only[] = {"nuits fixes",           "nuit fixe",
                                             "fixe de nuit",          "exclusivement de nuit",
                                             "exclusivement la nuit", "uniquement la nuit",
                                             "la nuit uniquement",    "de nuit uniquement",
                                             "uniquement de nuit",    NULL};
    if (patterns && cm__ft_has_any(f, night_only))
        c->night_only = true;
    for (int p = 0; patterns && p < P__COUNT; p++)
        c->pattern[p] |= text_says(f, p);
    for (int d = 0; d < D__COUNT; d++)
        c->demand[d] |= cm__ft_has_any(f, demand_words[d]);
    return 0;
}

static int text_sentence(void *arg, const char *f)
{
    return text_sentence_with(arg, f, true);
}

/* A sentence with a clause that denies, read clause by clause (at its commas): "Travail en
 * journée continue, 1 week-end sur 2, pas de nuit" works weekends, "Travail de nuit : non,
 * week-end : oui" too (a helper's probe: the whole sentence was taken, or none of it). A
 * clause that starts with its denial ("pas de nuit", "sans week-end", "repos le dimanche")
 * denies only itself; one that ends with it ("jours fériés : non travaillés", "nuit : non")
 * may be said of a list before it ("Week-end, jours fériés : non travaillés"): what came
 * before is dropped too. */
typedef struct clauses {
    bool take[P__COUNT];
    bool denial;
    int n;
} clauses_t;

static bool denial_first(const char *f)
{
    static const char *const first[] = {"pas",  "sans", "aucun", "aucune", "jamais", "ni",
                                        "hors", "sauf", "repos", "et",     "mais",   NULL};
    const char *w = f + strspn(f, " ");
    for (int i = 0; first[i]; i++) {
        size_t l = strlen(first[i]);
        if (strncmp(w, first[i], l) == 0 && w[l] == ' ')
            return strcmp(first[i], "et") && strcmp(first[i], "mais") ? true : denial_first(w + l);
    }
    return false;
}

static int clause_patterns(void *arg, const char *f)
{
    clauses_t *k = arg;
    k->n++;
    if (!denies(f)) {
        for (int p = 0; p < P__COUNT; p++)
            k->take[p] |= text_says(f, p);
        return 0;
    }
    k->denial = true;
    if (!denial_first(f))
        memset(k->take, 0, sizeof k->take);
    return 0;
}

static int text_sentence_raw(void *arg, const char *f, const char *raw)
{
    cond_t *c = arg;
    clauses_t k = {{false}, false, 0};
    int rc = strchr(raw, ',') ? cm__ft_each_clause(raw, clause_patterns, &k) : 0;
    if (rc)
        return rc;
    if (k.n < 2 || !k.denial)
        return text_sentence_with(c, f, true);
    for (int p = 0; p < P__COUNT; p++)
        c->pattern[p] |= k.take[p];
    return text_sentence_with(c, f, false);
}

/* The title: what the free text says, and night as the title says it. */
static int title_sentence(void *arg, const char *f)
{
    cond_t *c = arg;
    if (!cm__ft_says_no(f) && cm__ft_has_any(f, title_night))
        c->pattern[P_NIGHT] = true;
    return text_sentence(arg, f);
}

/* contexteTravail.conditionsExercice: each item is a demand, or reported. */
static int conditions_exercice(const cJSON *v, cond_t *c, cm__ft_ctx_t *ctx)
{
    int i = 0;
    const cJSON *it;
    const cJSON *one = cJSON_IsString(v) ? v : NULL, *arr = cJSON_IsArray(v) ? v : NULL;
    cJSON_ArrayForEach(it, arr)
    {
        if (!cJSON_IsString(it))
            continue;
        cond_t before = *c;
        int rc = cm__ft_each_sentence(it->valuestring, field_sentence, c);
        if (rc)
            return rc;
        if (memcmp(&before, c, sizeof before) == 0) {
            char field[48];
            snprintf(field, sizeof field, "contexteTravail.conditionsExercice[%d]", i);
            cm__ft_find(ctx, CM_FT_LOST, "condition_unmapped", field, it->valuestring,
                        "no field for this working condition");
        }
        i++;
    }
    if (one) {
        cond_t before = *c;
        int rc = cm__ft_each_sentence(one->valuestring, field_sentence, c);
        if (rc)
            return rc;
        if (memcmp(&before, c, sizeof before) == 0)
            cm__ft_find(ctx, CM_FT_LOST, "condition_unmapped", "contexteTravail.conditionsExercice",
                        one->valuestring, "no field for this working condition");
    }
    return 0;
}

static int add_names(cJSON *o, const char *key, const bool *set, const char *const *names, int n)
{
    cJSON *a = NULL;
    for (int i = 0; i < n; i++) {
        if (!set[i])
            continue;
        if (!a && !(a = cJSON_AddArrayToObject(o, key)))
            return CM_ENOMEM;
        cJSON *s = cJSON_CreateString(names[i]);
        if (!s || !cJSON_AddItemToArray(a, s))
            return CM_ENOMEM;
    }
    return 0;
}

int cm__ft_conditions(const cJSON *ft, cJSON *o, cm__ft_ctx_t *ctx)
{
    cond_t c = {0};
    const cJSON *cx = cm__ft_get(ft, "contexteTravail");
    int rc;
    if ((rc = cm__ft_each_text(cm__ft_get(ft, "dureeTravailLibelle"), field_sentence, &c)) ||
        (rc = cm__ft_each_text(cm__ft_get(cx, "horaires"), field_sentence, &c)) ||
        (rc = cm__ft_each_text(cm__ft_get(ft, "conditionExercice"), field_sentence, &c)) ||
        (rc = cm__ft_each_text(cm__ft_get(ft, "complementExercice"), field_sentence, &c)) ||
        (rc = conditions_exercice(cm__ft_get(cx, "conditionsExercice"), &c, ctx)) ||
        (rc = cm__ft_each_text(cm__ft_get(ft, "intitule"), title_sentence, &c)) ||
        (rc = cm__ft_each_sentence_raw(
             cm__ft_get_str(ft, "description") ? cm__ft_get_str(ft, "description") : "",
             text_sentence_raw, &c)))
        return rc;
    /* salary complements list perks: "Véhicule", "Véhicule de service" */
    const cJSON *sal = cm__ft_get(ft, "salaire");
    static const char *const comp[] = {"complement1", "complement2"};
    for (int k = 0; k < 2; k++) {
        const char *s = cm__ft_get_str(sal, comp[k]);
        if (s && strncmp(s, "V\xc3\xa9hicule", 9) == 0)
            c.vehicle_provided = true;
    }
    if (c.vehicle_provided)
        c.vehicle_required = false;
    if (c.normal_hours && !c.pattern[P_NIGHT])
        c.pattern[P_DAY] = true;
    if (c.night_only) /* a probe: "Travail en journée" beside "Nuits fixes 21h-7h" */
        c.pattern[P_DAY] = false;
    if ((rc = add_names(o, "work_pattern", c.pattern, pattern_names, P__COUNT)) ||
        (rc = add_names(o, "physical_demands", c.demand, demand_names, D__COUNT)))
        return rc;
    if (c.vehicle_required && !cJSON_AddBoolToObject(o, "vehicle_required", true))
        return CM_ENOMEM;
    if (c.vehicle_provided && !cJSON_AddBoolToObject(o, "vehicle_provided", true))
        return CM_ENOMEM;
    return 0;
}

unsigned cm__ft_text_work_pattern(const char *title, const char *description)
{
    cond_t c = {0};
    if ((title && cm__ft_each_sentence(title, title_sentence, &c)) ||
        (description && cm__ft_each_sentence_raw(description, text_sentence_raw, &c)))
        return 0;
    if (c.night_only)
        c.pattern[P_DAY] = false;
    static const unsigned bit[P__COUNT] = {CM_WORK_DAY, CM_WORK_NIGHT, CM_WORK_WEEKEND,
                                           CM_WORK_SPLIT, CM_WORK_SHIFTS};
    unsigned wp = 0;
    for (int p = 0; p < P__COUNT; p++)
        wp |= c.pattern[p] ? bit[p] : 0u;
    return wp;
}
