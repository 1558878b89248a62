/* One's own vehicle asked for, or a vehicle provided, in a sentence of a France Travail
 * offer's text (vehicle_required, vehicle_provided). Part of the mapper: ft_conditions.c reads
 * the work's conditions and hands it each sentence naming a vehicle. */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "ft_internal.h"

static const char *const vehicle_words[] = {
    "vehicule", "vehiculee", "vehicules", "voiture", "vehicule personnel",
    "motorise", "motorisee", NULL}; /* "Être motorisé(e)" (a helper's probe) */
static const char *const provided_words[] = {"de service",
                                             "de fonction",
                                             "fourni",
                                             "fournie",
                                             "mis a disposition",
                                             "mise a disposition",
                                             "pret de vehicule",
                                             "pret d un vehicule",
                                             "pret de voiture",
                                             "vehicule prete",
                                             NULL};

/* The words that follow the word starting at p (folded text), up to n of them, each checked
 * against lists: 1 when a requirement word comes first, -1 a negation or a wish, 0 neither. */
static int vehicle_said(const char *p, int n)
{
    static const char *const req[] = {"exige",          "exigee", "obligatoire", "indispensable",
                                      "indispensables", "requis", "necessaire",  "imperatif",
                                      "obligatoires",   "exiges", NULL};
    static const char *const soft[] = {
        "non", "pas", "souhaite", "souhaitee", "apprecie", "appreciee", "plus", "bienvenu", "ideal",
        "idealement", "prefere", "preference",
        /* "Permis B et véhicule souhaités" (a helper's probe: read as required) */
        "souhaites", "souhaitees", "apprecies", "appreciees", "bienvenus", "preferes",
        /* "Permis B + véhicule personnel recommandés", "... conseillés" (a helper's probe) */
        "recommande", "recommandee", "recommandes", "recommandees", "conseille", "conseillee",
        "conseilles", "conseillees", NULL};
    char w[32];
    for (int k = 0; k < n; k++) {
        while (*p == ' ')
            p++;
        size_t l = strcspn(p, " ");
        if (!l || l >= sizeof w)
            return 0;
        memcpy(w, p, l);
        w[l] = '\0';
        p += l;
        for (int i = 0; req[i]; i++)
            if (strcmp(w, req[i]) == 0)
                return 1;
        for (int i = 0; soft[i]; i++)
            if (strcmp(w, soft[i]) == 0)
                return -1;
    }
    return 0;
}

/* Is one's own vehicle asked for? Said of the vehicle itself first ("Véhicule personnel
 * indispensable", "véhicule personnel non exigé", "Véhicule souhaité, permis B obligatoire"),
 * else by the sentence ("Vous devez être véhiculé"). */
bool cm__ft_vehicle_asked(const char *f)
{
    static const char *const denied[] = {
        "pas de vehicule personnel", "sans vehicule personnel", "pas de voiture", "sans voiture",
        "aucun vehicule", "aucune voiture",
        /* someone else's, driven for them ("avec le
         * véhicule adapté du bénéficiaire", "conduire le
         * véhicule de la personne accompagnée": a helper's
         * probe read them as her own car) */
        "vehicule adapte du", "vehicule adapte de", "vehicule du beneficiaire",
        "vehicule des beneficiaires", "vehicule de la personne", "vehicule des personnes",
        "vehicule de l usager", "vehicule des usagers", "voiture du beneficiaire",
        "voiture de la personne",
        /* another probe: a car driven for its owner, or none needed */
        "conduire son vehicule", "conduite de son vehicule", "conduire sa voiture",
        "conduite de sa voiture", "conduite du vehicule", "conduire le vehicule",
        "vehicule amenage", "vehicule tpmr", "vehicule 9 places", "vehicule de l association",
        "vehicules de l association", "vehicule de l esat", "vehicule de l etablissement",
        "voiture de madame", "voiture de monsieur", "vehicule de madame", "vehicule de monsieur",
        "pas besoin de vehicule", "pas besoin d un vehicule", "pas besoin de voiture",
        /* a lorry or minibus to drive for the house ("Permis B exigé (conduite du camion benne
         * de l'ESAT, véhicule de moins de 3,5 t)": a helper's probe required her own car) */
        "camion", "camions", "minibus", "fourgon", "vehicule de moins de", "vehicules du service",
        "vehicule du service",
        /* the house's fleet: "conduite des jeunes avec les véhicules du lieu de vie" (a
         * helper's probe asked for her own car) */
        "les vehicules du", "les vehicules de la", "les vehicules de l", "vehicule du lieu de vie",
        "vehicules du lieu de vie", "vehicule du foyer", "vehicule de la structure",
        "vehicules de la structure", NULL};
    /* lent for some rounds, "sinon véhicule personnel (exigé)": one's own otherwise (a
     * helper's probe: neither read, the association's vehicle named first) */
    static const char *const otherwise[] = {"sinon vehicule personnel",    "sinon votre vehicule",
                                            "sinon votre propre vehicule", "sinon votre voiture",
                                            "sinon voiture personnelle",   NULL};
    if (cm__ft_has_any(f, otherwise))
        return true;
    if (cm__ft_has_any(f, denied))
        return false;
    /* a choice of means that is not a car ("Un moyen de locomotion est nécessaire (voiture,
     * scooter)": a helper's probe required a car and a B licence) */
    static const char *const other_means[] = {"scooter",    "scooters", "velo",        "velos",
                                              "deux roues", "2 roues",  "cyclomoteur", "mobylette",
                                              "moto",       NULL};
    if (cm__ft_has_any(f, other_means))
        return false;
    static const char *const abstain[] = {"sans vehicule s abstenir", "sans voiture s abstenir",
                                          "non vehicule s abstenir", NULL};
    if (cm__ft_has_any(f, abstain)) /* "Sans véhicule s'abstenir": asked */
        return true;
    /* a denial just before a vehicle ("Pas de véhicule nécessaire", "Pas de permis ni de
     * véhicule nécessaires": a helper's probe read both as required) takes it and the few
     * words after it out of the sentence; another vehicle said there still counts ("Vous
     * devez être véhiculé, pas de véhicule de service") */
    static const char *const no_before[] = {" pas de", " pas d un", " ni de",  " ni d un", " ni",
                                            " sans",   " aucun",    " aucune", NULL};
    char buf[1024];
    size_t fl = strlen(f);
    if (fl < sizeof buf) { /* a longer sentence (rare) is read as it is */
        memcpy(buf, f, fl + 1);
        f = buf;
    }
    for (char *p = f == buf ? strstr(buf, " vehicule") : NULL; p; p = strstr(p + 1, " vehicule")) {
        bool denied_here = false;
        size_t l = 0;
        for (int d = 0; no_before[d] && !denied_here; d++) {
            l = strlen(no_before[d]);
            denied_here = (size_t)(p - buf) >= l && strncmp(p - l, no_before[d], l) == 0;
        }
        for (size_t i = 1; denied_here && i < l; i++) /* the denial too */
            if (p[-(ptrdiff_t)l + (ptrdiff_t)i] != ' ')
                p[-(ptrdiff_t)l + (ptrdiff_t)i] = '_';
        char *e = p + 1;
        for (int w = 0; denied_here && w < 4 && *e; w++) { /* the vehicle and 3 words on */
            while (*e && *e != ' ')
                *e++ = '_';
            while (*e == ' ')
                e++;
        }
    }
    int said = 0;
    for (int k = 0; vehicle_words[k]; k++) {
        char pat[40];
        snprintf(pat, sizeof pat, " %s ", vehicle_words[k]);
        for (const char *p = strstr(f, pat); p; p = strstr(p + 1, pat)) {
            int s = vehicle_said(p + strlen(pat) - 1, 4);
            if (s > 0)
                return true;
            if (s < 0)
                said = -1;
        }
    }
    if (said != 0)
        return false;
    /* the word of requirement is another's when the only vehicle is the service's ("Le permis
     * B est obligatoire, véhicule de service possible": a helper's probe) */
    static const char *const own[] = {"personnel", "personnelle",   "votre", "propre",
                                      "vehiculee", "etre vehicule", NULL};
    if (cm__ft_says_required(f) && (!cm__ft_has_any(f, provided_words) || cm__ft_has_any(f, own)))
        return true;
    /* said without a word of requirement: "Être véhiculé(e).", "Vous utiliserez votre véhicule
     * personnel (indemnités kilométriques)", "Permis B + véhicule." (an adviser probe); not as a
     * wish or a possibility ("si vous êtes véhiculé", "vous pourrez utiliser votre voiture") */
    static const char *const plain[] = {
        "etre vehicule", "etes vehicule", "soyez vehicule", "vehiculee", "motorise", "motorisee",
        "votre vehicule", "votre voiture", "son vehicule", "sa voiture", "propre vehicule",
        "permis b vehicule", "permis b et vehicule", "permis et vehicule", "permis b voiture",
        "permis b et voiture", "permis b + vehicule", "permis + vehicule", "valide et vehicule",
        "permis b avec vehicule", "permis avec vehicule", "valide + vehicule", "valide et voiture",
        /* "Déplacements fréquents : véhicule personnel, permis B" (a helper's probe) */
        "vehicule personnel permis", "vehicule personnel et permis", "vehicule personnel + permis",
        "disposez d un vehicule", "disposer d un vehicule", "disposant d un vehicule",
        "disposez d une voiture", "disposer d une voiture", "possedez un vehicule",
        "posseder un vehicule",
        /* with the licence ("Vous disposez du permis B et d'un
         * véhicule", "Vous avez le permis B et une voiture") */
        "et d un vehicule", "et un vehicule", "et d une voiture", "et une voiture", NULL};
    static const char *const maybe[] = {
        "souhaite",    "souhaitee", "apprecie",   "un plus",       "idealement", "souhaites",
        "souhaitees",  "apprecies", "appreciees", "de preference", "si vous",    "eventuellement",
        "possibilite", "pouvez",    "pourrez",    "pourriez",      "possible",   NULL};
    /* a profile's line: "Véhiculé(e).", "- Véhiculé(e)", "Profil : véhiculé(e), permis B" */
    bool line = (cm__ft_word_count(f) <= 2 || cm__ft_has_words(f, "profil")) &&
                !cm__ft_says_no(f); /* "Véhicule : non" */
    return (cm__ft_has_any(f, plain) || line) && !cm__ft_has_any(f, maybe);
}

/* Is a vehicle provided? Not when the sentence says there is none or it is someone else's:
 * "pas de véhicule de service", "véhicule non fourni", "réservé aux responsables". */
bool cm__ft_vehicle_provided(const char *f)
{
    static const char *const denied[] = {
        "pas de vehicule de service", "pas de vehicule de fonction", "non fourni", "non fournie",
        "pas fourni", "pas fournie", "vehicule de service non", "aucun vehicule", "reserve",
        "reserves", "reservee", "reservees", "possibilite",
        /* "véhicule de service possible selon les secteurs" (a helper's probe read it given);
         * not "prise de poste dès que possible" */
        "service possible", "fonction possible", "vehicule possible", "possible selon",
        "eventuellement",
        /* lent now and then: one's own car still needed
         * ("prêté pour certaines tournées longues") */
        "certaines", "certains", "ponctuellement", "parfois", "occasionnellement", "sinon", NULL};
    return cm__ft_has_any(f, provided_words) && !cm__ft_has_any(f, denied);
}

bool cm__ft_vehicle_named(const char *f)
{
    return cm__ft_has_any(f, vehicle_words);
}
