/* The diplomas a France Travail offer names, in its text and its fields: required or wanted,
 * alone or as alternatives, prepared by a work-study contract, accepted in progress (put in the
 * record by ft_certs_record.c). Part of the mapper (francetravail.c); the text is folded by
 * ft_text.c. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carematch/error.h"
#include "carematch/record.h"
#include "ft_internal.h"
/* ---- certifications (their words: ft_cert_words.c) ---- */

/* First-aid certificates come on top of a diploma, never instead of one. */

/* "D.E. infirmier", "D.E. d'aide-soignant" fold to "d e infirmier": the patterns' "de". A
 * malloc'd copy with each " d e " read " de ", or NULL when there is none (or no memory: the
 * text as folded is still read). */
static char *dotted_de(const char *folded)
{
    if (!strstr(folded, " d e "))
        return NULL;
    char *v = strdup(folded), *p = v;
    while (v && (p = strstr(p, " d e ")) != NULL) {
        memmove(p + 2, p + 3, strlen(p + 3) + 1); /* " d e x" -> " de x" */
        p += 3;
    }
    return v;
}

int cm__ft_match_certs(const char *folded, bool formation_entry, bool required, certs_t *cs,
                       bool hit[CM__FT_CERTS])
{
    int found = 0;
    char *de = dotted_de(folded);
    for (size_t i = 0; i < CM__FT_CERTS; i++) {
        bool h = false;
        size_t na = sizeof cm__ft_cert_pats[i].any / sizeof cm__ft_cert_pats[i].any[0];
        for (size_t k = 0; !h && k < na && cm__ft_cert_pats[i].any[k]; k++) {
            h = cm__ft_has_words(folded, cm__ft_cert_pats[i].any[k]) ||
                (de && cm__ft_has_words(de, cm__ft_cert_pats[i].any[k]));
            if (h && strcmp(cm__ft_cert_pats[i].code, "TP_ADVF") == 0 &&
                (k == ADVF_OLD_NAME || k == ADVF_OLD_NAME + 1))
                cs->interpreted = true;
        }
        size_t nf = sizeof cm__ft_cert_pats[i].formation / sizeof cm__ft_cert_pats[i].formation[0];
        for (size_t k = 0; !h && formation_entry && k < nf && cm__ft_cert_pats[i].formation[k]; k++)
            h = cm__ft_has_words(folded, cm__ft_cert_pats[i].formation[k]);
        if (h) {
            found++;
            hit[i] = true;
            int st = required ? 2 : 1;
            if (cs->state[i] < st)
                cs->state[i] = (signed char)st;
        }
    }
    free(de);
    return found;
}

void cm__ft_group_certs(certs_t *cs, const bool hit[CM__FT_CERTS])
{
    int n = 0;
    for (size_t i = 0; i < CM__FT_CERTS; i++)
        n += hit[i] && cm__ft_groupable(i) && cs->group[i] == 0;
    if (n < 2 || cs->groups >= CM_CERTS_MAX) /* the record's bound on group numbers */
        return;
    unsigned char g = ++cs->groups;
    for (size_t i = 0; i < CM__FT_CERTS; i++)
        if (hit[i] && cm__ft_groupable(i) && cs->group[i] == 0)
            cs->group[i] = g;
}

/* A clause that names a diploma without asking for it: a colleague's ("vous travaillez avec
 * 2 infirmiers (DEI)", "en binôme avec l'EJE"), or the one a training leads to ("VAE vers le
 * DEAES", "formation au DEAS financée", "vous n'avez pas encore le DEAES ?"). */
static const char *const training_ctx[] = {
    "formation au",  "formation d",   "preparer", "preparation",
    "en alternance", "apprentissage", NULL};

static bool names_without_asking(const char *f)
{
    static const char *const ctx[] = {"travaillez avec", "travaillerez avec", "en binome",
                                      "en lien avec", "aux cotes", "sous la responsabilite", "vae",
                                      "pas encore", "financee", "finance", "accompagnons",
                                      /* "Vous n'avez pas le diplôme d'aide-soignant mais une
                                       * expérience ?" (a helper's probe: DEAS wished) */
                                      "vous n avez pas", "sans le diplome", "sans diplome",
                                      /* a training the employer gives ("formation ADVF
                                       * possible en interne après 6 mois") */
                                      "en interne", "formation interne", "nous vous formons",
                                      "nous formons", "vous formerons", NULL};
    return cm__ft_has_any(f, ctx) || cm__ft_has_any(f, training_ctx);
}

/* In an apprenticeship's text, the diploma a training sentence names is the one the contract
 * prepares ("contrat d'apprentissage préparant le DEAES", "formation au titre pro ADVF en
 * alternance"), not a colleague's nor a VAE's: it is recorded as required, so that a holder is
 * told she is already qualified and anyone else is on its route. */
static bool names_prepared(const certs_t *cs, const char *f)
{
    static const char *const other[] = {"travaillez avec",
                                        "travaillerez avec",
                                        "en binome",
                                        "en lien avec",
                                        "aux cotes",
                                        "vae",
                                        "sous la responsabilite",
                                        NULL};
    static const char *const more[] = {"preparant", "prepare",   "en vue de l obtention",
                                       "obtenir",   "obtention", NULL};
    return cs->prepares && (cm__ft_has_any(f, training_ctx) || cm__ft_has_any(f, more)) &&
           !cm__ft_has_any(f, other);
}

/* "Vous êtes titulaire du DEAS", "Poste réservé aux titulaires du DEAS", "Vous êtes diplômé(e)
 * d'État d'aide-soignant": the diploma said as the holder's (holder_says), a requirement unless
 * the clause wishes ("titulaire du DEAS souhaité", "idéalement titulaire", "ou non"). */
static bool holder_says(const char *f)
{
    static const char *const holder[] = {
        "titulaire", "titulaires", "vous etes diplome", "vous etes diplomee", "etre diplome",
        "etre diplomee", "etes diplome d", "etes diplomee d",
        /* the job said with its diploma, "recrute AES diplômé(e)"; the accepted diplomas
         * listed, "Diplômes acceptés : DEAES, DEAMP, DEAVS" (a helper's probe: both wished) */
        "as diplome", "as diplomee", "aes diplome", "aes diplomee", "ap diplome", "ap diplomee",
        "amp diplome", "amp diplomee", "aide soignant diplome", "aide soignante diplomee",
        "auxiliaire de puericulture diplome", "auxiliaire de puericulture diplomee",
        "accompagnant educatif et social diplome", "accompagnante educative et sociale diplomee",
        "diplomes acceptes", "diplomes admis", "diplome accepte", "diplomes reconnus",
        /* "recrute une AVS diplômée (DEAVS / DEAES)" (a helper's probe: wished) */
        "avs diplome", "avs diplomee", "auxiliaire de vie diplome", "auxiliaire de vie diplomee",
        "eje diplome", "eje diplomee", "educateur specialise diplome",
        "educatrice specialisee diplomee", "moniteur educateur diplome",
        "monitrice educatrice diplomee",
        /* "Vous possédez le DEAES", "Vous êtes en possession du DEAS", "Vous détenez le
         * DEAES", "IDE diplômé(e) d'Etat" (a helper's probe: wished) */
        "vous possedez", "en possession du", "en possession d", "vous detenez", "ide diplome",
        "ide diplomee",
        /* "Débutant accepté si DEAES obtenu" (a helper's probe: wished) */
        "si deaes obtenu", "diplome obtenu", "diplome obtenue", "deaes obtenu", "deas obtenu",
        "deap obtenu", NULL};
    size_t n = strlen(f);
    /* "Vous êtes assistant(e) de vie aux familles diplômé(e)": the sentence's last word */
    /* "Vous êtes Infirmier(e) Diplômé(e) d'Etat" (a helper's probe: wished) */
    bool job_held =
        cm__ft_has_words(f, "vous etes") &&
        ((n >= 9 && strcmp(f + n - 9, " diplome ") == 0) ||
         (n >= 10 && strcmp(f + n - 10, " diplomee ") == 0) ||
         cm__ft_has_words(f, "diplome d etat") || cm__ft_has_words(f, "diplomee d etat") ||
         /* "Vous êtes ADVF diplômé(e) ou AES" (a helper's probe: wished) */
         cm__ft_has_words(f, "diplome ou") || cm__ft_has_words(f, "diplomee ou"));
    /* a colleague's diploma, not hers: "Vous travaillerez en binôme avec une aide-soignante
     * diplômée" (a helper's probe required the DEAS of an ASH) */
    static const char *const colleague[] = {"en binome",
                                            "aux cotes d",
                                            "aux cotes des",
                                            "travaillerez avec",
                                            "travaillez avec",
                                            "en lien avec",
                                            "sous la responsabilite",
                                            "en collaboration avec",
                                            "encadre par",
                                            "encadree par",
                                            "epaule par",
                                            "epaulee par",

                                            "vous secondez",
                                            "vous seconderez",
                                            NULL};
    static const char *const self[] = {
        "titulaire",    "titulaires",    "vous etes", "vous possedez",
        "vous detenez", "en possession", NULL};
    if (cm__ft_has_any(f, colleague) && !cm__ft_has_any(f, self))
        return false;
    return job_held || cm__ft_has_any(f, holder); /* "Vous êtes diplômé(e) d'État d'AS" */
}

static bool holder_required(const char *f)
{
    static const char *const wish[] = {"souhaite",      "souhaitee",  "souhaites", "apprecie",
                                       "appreciee",     "idealement", "ideal",     "un plus",
                                       "de preference", "ou non",     "bienvenu",  NULL};
    return holder_says(f) && !cm__ft_has_any(f, wish);
}

/* "Poste également ouvert aux titulaires du CAP AEPE" after "DEAP exigé": another way in, an
 * alternative to the diploma already required, not a second requirement (an adviser probe). */
static bool widens(const char *f)
{
    static const char *const w[] = {"egalement ouvert",
                                    "aussi ouvert",
                                    "ouvert egalement",
                                    "ouvert aussi",
                                    "egalement accessible",
                                    "aussi accessible",
                                    "accessible egalement",
                                    "egalement aux titulaires",
                                    "aussi aux titulaires",
                                    "ou aux titulaires",
                                    NULL};
    return cm__ft_has_any(f, w);
}

/* The diplomas of hit[] join those already required (before) as one group of alternatives:
 * the group one of them is in, else a new one. */
static void widen_required(certs_t *cs, const certs_t *before, const bool hit[CM__FT_CERTS])
{
    bool alt[CM__FT_CERTS] = {false};
    unsigned char g = 0;
    int olds = 0;
    for (size_t i = 0; i < CM__FT_CERTS; i++) {
        if (before->state[i] == 2 && cm__ft_groupable(i) && !hit[i]) {
            alt[i] = true;
            olds++;
            if (before->group[i] && !g)
                g = before->group[i];
        }
    }
    if (!olds)
        return; /* nothing asked before: "ouvert aux titulaires du DEAES" is the requirement */
    for (size_t i = 0; i < CM__FT_CERTS; i++) {
        alt[i] |= hit[i] && cm__ft_groupable(i);
        if (hit[i] && cm__ft_groupable(i) && cs->group[i] && !g) /* "AES ou AMP", already a group */
            g = cs->group[i];
    }
    if (!g) {
        cm__ft_group_certs(cs, alt);
        return;
    }
    for (size_t i = 0; i < CM__FT_CERTS; i++)
        if (alt[i] && cs->group[i] == 0)
            cs->group[i] = g;
}

bool cm__ft_in_progress(const char *f)
{
    static const char *const w[] = {"en cours d obtention",
                                    "en cours de formation",
                                    "en cours de validation",
                                    "vae en cours",
                                    "diplome en cours",
                                    "formation en cours",
                                    "ou en cours",
                                    "en derniere annee",
                                    "derniere annee de formation",
                                    "en voie d obtention",
                                    "ou a obtenir", /* "SST exigé ou à obtenir" (a probe) */
                                    "formation prise en charge",
                                    NULL};
    static const char *const students[] = {"etudiant",   "etudiante",    "etudiants", "etudiantes",
                                           "etudiant e", "etudiant e s", NULL};
    static const char *const taken[] = {"accepte",   "acceptee",    "acceptes",  "acceptees",
                                        "accepte e", "accepte e s", "bienvenus", "bienvenu e s",
                                        NULL}; /* not "possible": "stage possible pour étudiants" */
    return cm__ft_has_any(f, w) || (cm__ft_has_any(f, students) && cm__ft_has_any(f, taken));
}

/* "Bac pro ASSP ou Bac pro SAPAT exigé", "DEAES ou titre de surveillant de nuit qualifié
 * exigé": one diploma known, an alternative to it that is not (a word that starts a diploma's
 * name after "ou"). The one known is no wall: someone holding the other is taken (a probe:
 * the SAPAT holder was told BAC_PRO_ASSP required). Not "ou équivalent", not "ou en cours". */
static bool unknown_alternative(const char *f)
{
    static const char *const starts[] = {
        "bac", "titre", "diplome", "cap", "bep", "certificat", "tp", "bts", "dut", "but", "licence",
        "mention", "brevet", "certification",
        /* names the mapper does not know ("Bac Pro ASSP ou SAPAT", "BPJEPS ou DEJEPS": a
         * helper's probe kept the first required) */
        "sapat", "dejeps", "desjeps", "bapaat", "cqp",
        /* bare acronyms of diplomas it does not know ("BPJEPS ou BAFA exigé", "DEAES ou ASG
         * exigé", "DEES exigé, ou DE ASS / DECESF": a helper's probe) */
        "bafa", "bafd", "asg", "deass", "decesf", "cesf", "ass", NULL};
    for (const char *p = strstr(f, " ou "); p; p = strstr(p + 1, " ou ")) {
        const char *w = p + 4;
        if (!cm__ft_word_is(w, strcspn(w, " "), starts))
            continue;
        /* not another name of a diploma known ("CAP AEPE exigé (ou CAP Petite Enfance)": the
         * same diploma, a helper's probe made it wished) */
        certs_t scratch;
        memset(&scratch, 0, sizeof scratch);
        bool hit[CM__FT_CERTS] = {false};
        if (cm__ft_match_certs(p, false, false, &scratch, hit) == 0)
            return true;
    }
    return false;
}

/* The diplomas the law requires for the job stay required whatever the text offers beside
 * them (DEAS, DEAP, DEI). */
static bool law_requires(size_t i)
{
    const char *code = cm__ft_cert_code(i);
    return strcmp(code, "DEAS") == 0 || strcmp(code, "DEAP") == 0 || strcmp(code, "DEI") == 0;
}

/* "accepté(s)", "peuvent postuler": others taken beside what is asked */
static bool accepts(const char *f)
{
    static const char *const w[] = {
        "accepte", "acceptee", "acceptes", "acceptees", "accepte e", "accepte e s",
        "peuvent postuler", "peut postuler", "peuvent candidater", "peuvent egalement postuler",
        "peuvent aussi postuler", "peut egalement postuler", "peut aussi postuler",
        "seront egalement etudiees", "seront aussi etudiees", "seront egalement examinees",
        "sont egalement acceptees", "sont egalement etudiees", "sont aussi etudiees",
        /* "Le DEME est requis ; un DEES sera aussi étudié" (a
         * helper's probe: the DEES stayed wished) */
        "sera aussi etudie", "sera egalement etudie", "sera aussi etudiee",
        "sera egalement etudiee", "seront aussi etudies", "seront egalement etudies",
        "sont les bienvenus", "bienvenu e s",
        /* "Les candidatures de moniteurs-éducateurs avec 3 ans d'expérience seront étudiées"
         * (a helper's probe: dropped) */
        "seront etudiees", "seront etudies", "sera etudiee", "sera etudie", "seront examinees",
        "seront examines", NULL};
    return cm__ft_has_any(f, w);
}

static bool has_required(const certs_t *cs)
{
    for (size_t i = 0; i < CM__FT_CERTS; i++)
        if (cs->state[i] == 2 && cm__ft_groupable(i))
            return true;
    return false;
}

/* Diplomas listed with no "et" between ("un diplôme du secteur (DEAES, ADVF, Bac pro
 * ASSP...)", "Qualification exigée : DEAES, ADVF, MCAD"; the folded text has no commas): any
 * one of them, no employer asks for all (a helper's probe: each became required). Not when
 * the sentence wishes for some ("DEAS exigé, DEAES apprécié"). The sector's names that hold
 * "et" are not a conjunction ("sanitaire et social", "éducatif et social"). */
static bool listed(const char *f)
{
    static const char *const wish[] = {"apprecie", "appreciee", "apprecies",
                                       "souhaite", "souhaitee", "souhaites",
                                       "un plus",  "serait",    NULL};
    if (cm__ft_has_any(f, wish))
        return false;
    static const char *const names[] = {
        "sanitaire et social",    "sanitaire et sociale",      "sanitaires et sociaux",
        "sanitaires et sociales", "educatif et social",        "educative et sociale",
        "soins et services",      "medico sociale et sociale", NULL};
    char *g = strdup(f);
    if (!g)
        return false;
    for (int k = 0; names[k]; k++)
        for (char *p = strstr(g, names[k]); p; p = strstr(p, names[k]))
            memset(p, '_', strlen(names[k]));
    bool and = cm__ft_has_words(g, "et") || cm__ft_has_words(g, "ainsi que") ||
               cm__ft_has_words(g, "plus");
    free(g);
    return !and;
}

/* "titulaire du DEAES ou vous justifiez d'une expérience", "DEAES exigé ou à défaut une
 * expérience significative": experience stands in for the diploma (a helper's probe made
 * the diploma required). */
static bool or_experience(const char *f)
{
    /* "ou" then only such words before "experience" (not "DEAS obligatoire ou DEAES, avec
     * une expérience en EHPAD": the experience there comes beside the diplomas) */
    static const char *const between[] = {"a",           "defaut",
                                          "vous",        "justifiez",
                                          "justifier",   "justifiant",
                                          "d",           "une",
                                          "un",          "de",
                                          "votre",       "premiere",
                                          "bonne",       "solide",
                                          "reelle",      "avez",
                                          "avoir",       "disposez",
                                          "possedez",    "sinon",
                                          "alors",       "significative",
                                          "equivalente", "ans",
                                          "an",          "annees",
                                          "mois",        "au",
                                          "moins",       "minimum",
                                          NULL};
    for (const char *ou = strstr(f, " ou "); ou; ou = strstr(ou + 1, " ou ")) {
        const char *p = ou + 4;
        for (;;) {
            size_t n = strcspn(p, " ");
            if (n == 0)
                break;
            if ((n == 10 && strncmp(p, "experience", 10) == 0) ||
                (n == 11 && strncmp(p, "experiences", 11) == 0))
                return true;
            if (!cm__ft_word_is(p, n, between) && strspn(p, "0123456789") != n)
                break; /* "ou à défaut 2 ans d'expérience" */
            p += n + strspn(p + n, " ");
        }
    }
    return false;
}

static int certs_clause(certs_t *cs, const char *f)
{
    bool hit[CM__FT_CERTS] = {false};
    certs_t before = *cs;
    /* a diploma refused or found short ("BPJEPS non accepté", "le DEAES ne suffit pas": a
     * helper's probe made the first required, the second an alternative): not named */
    static const char *const turned_down[] = {"non accepte",   "non acceptee",     "non acceptes",
                                              "non acceptees", "pas accepte",      "pas acceptes",
                                              "ne suffit pas", "ne suffisent pas", NULL};
    if (cm__ft_has_any(f, turned_down) && !cm__ft_says_required(f))
        return 0;
    /* "DEAES exigé. A défaut, une expérience de 2 ans est exigée.": experience stands in for
     * the diplomas asked before (not for those the law requires) */
    static const char *const xp[] = {
        "experience",   "experiences",   "experimente",  "experimentee",
        "experimentes", "experimentees", "candidatures", NULL};
    if (strncmp(f, " a defaut ", 10) == 0 && cm__ft_has_any(f, xp) &&
        !cm__ft_match_certs(f, false, false, &before, hit)) {
        for (size_t i = 0; i < CM__FT_CERTS; i++)
            if (cs->state[i] == 2 && cm__ft_groupable(i) && !law_requires(i))
                cs->state[i] = 1;
        return 0;
    }
    /* a profile's line, "Diplôme : DEAS", "Qualification : DEAES" (a helper's probe read it
     * as wished) */
    static const char *const label[] = {" diplome ", " diplomes ", " qualification ",
                                        " diplome requis ", NULL};
    bool line = false;
    for (int k = 0; label[k] && !line; k++)
        line = strncmp(f, label[k], strlen(label[k])) == 0;
    static const char *const wished[] = {"souhaite", "souhaitee",  "souhaitable",
                                         "apprecie", "appreciee",  "plus",
                                         "ideal",    "idealement", NULL};
    line = line && cm__ft_word_count(f) <= 4 && !cm__ft_says_no(f) && !cm__ft_has_any(f, wished);
    line |= !cs->wish_list && cm__ft_word_count(f) <= 8 && cm__ft_only_diplomas(f);
    bool required = (cm__ft_says_required(f) || holder_required(f) || line) && !or_experience(f);
    /* "DEAS exigé (ou en cours d'obtention)", "DEAES exigé (VAE en cours acceptée)",
     * "étudiants en soins infirmiers acceptés": the diploma is not a wall (a helper's probe:
     * students in their last year, people midway through a VAE were shut out) */
    /* not in an apprenticeship: there the diploma in progress is the one it prepares
     * ("Être inscrit(e) à la formation DEAES": a helper's probe made it wished) */
    if (!cs->prepares && cm__ft_in_progress(f)) {
        int n = cm__ft_match_certs(f, false, false, cs, hit);
        for (size_t i = 0; i < CM__FT_CERTS; i++)
            if (hit[i] && cs->state[i] == 2) {
                cs->state[i] = 1;
                cs->in_progress = true;
            } else if (hit[i] && required) {
                cs->in_progress = true;
            }
        if (n == 0) /* "Étudiants acceptés." after "DEAS exigé.": what was asked */
            for (size_t i = 0; i < CM__FT_CERTS; i++)
                if (cs->state[i] == 2 && cm__ft_groupable(i)) {
                    cs->state[i] = 1;
                    cs->in_progress = true;
                }
        return 0;
    }
    bool prepared = !required && names_prepared(cs, f);
    /* "DEAS obligatoire. DEAES accepté.", "Les AES et AMP peuvent postuler": after a required
     * diploma, others taken beside it widen it (a helper's probe: DEAES stayed wished) */
    /* a job's name says its diploma there, in a short sentence only ("Les AES et AMP peuvent
     * postuler", "DEAS exigé, AMP acceptés", "Les AES et AMP diplômés peuvent également
     * postuler": nine words, a helper's probe; not "débutants acceptés, en équipe avec les
     * infirmiers") */
    static const char *const beginners[] = {"debutant",   "debutants",    "debutante", "debutantes",
                                            "debutant e", "debutant e s", NULL};
    /* and not refused: "DEAES non accepté", "Les AMP ne sont pas acceptés" */
    static const char *const refused[] = {"non", "pas", "ne", "n", "aucun", "aucune", NULL};
    /* "également" or "aussi" says another way in beside what is asked: a longer sentence then
     * ("Les AMP/AES avec expérience en gériatrie peuvent également postuler", a helper's
     * probe) */
    bool also_word = cm__ft_has_words(f, "egalement") || cm__ft_has_words(f, "aussi") ||
                     cm__ft_has_words(f, "candidatures");
    bool short_accept = accepts(f) && cm__ft_word_count(f) <= (also_word ? 16 : 9) &&
                        !cm__ft_has_any(f, beginners) && !cm__ft_has_any(f, refused) &&
                        !cm__ft_says_no(f);
    bool widening = !required && !prepared && short_accept && has_required(&before);
    /* taken "also" before anything is asked: a later requirement is widened by them */
    bool also = !required && !prepared && !has_required(&before) && short_accept && also_word;
    if (!required && !prepared && !widening && names_without_asking(f))
        return 0;
    int n = cm__ft_match_certs(f, (short_accept || also) && (widening || required || also),
                               required || prepared || widening, cs, hit);
    if (also)
        for (size_t i = 0; i < CM__FT_CERTS; i++)
            cs->accepted[i] |= hit[i] && cm__ft_groupable(i);
    if (n >= 1 && widening) {
        widen_required(cs, &before, hit);
        return 0;
    }
    cs->prepared |= prepared && n > 0;
    if (n == 1 && required && !prepared && unknown_alternative(f)) {
        for (size_t i = 0; i < CM__FT_CERTS; i++)
            if (hit[i] && cs->state[i] == 2 && before.state[i] != 2 && !law_requires(i))
                cs->state[i] = 1;
        return 0;
    }
    if (n >= 1 && required && widens(f)) {
        widen_required(cs, &before, hit);
        return 0;
    }
    if (n >= 2 &&
        (cm__ft_has_words(f, "ou") || strchr(f, '/') || cm__ft_has_words(f, "soit") || listed(f) ||
         cm__ft_has_words(f, "acceptes") || cm__ft_has_words(f, "acceptees") ||
         cm__ft_has_words(f, "au choix") || cm__ft_has_words(f, "equivalent"))) {
        /* A diploma already named alone elsewhere (formations[], an earlier sentence) stays
         * alone when this sentence only wishes for alternatives; when it asks for them
         * ("DEAS ou DEAES exigé" with DEAS in formations[]), it widens that requirement: one
         * group, met by any of them (not two diplomas required). */
        for (size_t i = 0; i < CM__FT_CERTS; i++)
            if (hit[i] && before.state[i] && before.group[i] == 0 && !required)
                hit[i] = false;
        cm__ft_group_certs(cs, hit);
    }
    return 0;
}

/* fn on the folded words of f before the separator at `at` (" mais ", " et "), then more on
 * what follows it, from the space before its next word (at + skip). */
static int split_clause(void *arg, const char *f, const char *at, size_t skip,
                        int (*fn)(void *, const char *), int (*more)(void *, const char *))
{
    int rc = cm__ft_head(arg, f, at, fn);
    return rc ? rc : more(arg, at + skip);
}

static int clause_cb(void *arg, const char *f)
{
    return certs_clause(arg, f);
}

/* A sentence's clauses on either side of "mais" are read apart: "Le DEAES n'est pas exigé
 * mais le permis B est obligatoire" asks for the licence, not the diploma. */
static int certs_sentence(void *arg, const char *f)
{
    const char *m = strstr(f, " mais ");
    return m ? split_clause(arg, f, m, 5, clause_cb, certs_sentence) : certs_clause(arg, f);
}

int cm__ft_certs_prepared_by_title(const char *title, certs_t *cs)
{
    if (!cs->prepares || !title)
        return 0;
    char *f = cm__ft_fold(title);
    if (!f)
        return CM_ENOMEM;
    /* the job's name is the diploma's here ("Apprenti accompagnant éducatif et social") */
    bool hit[CM__FT_CERTS] = {false};
    int n = cm__ft_match_certs(f, true, true, cs, hit);
    free(f);
    cs->prepared |= n > 0;
    if (n >= 2)
        cm__ft_group_certs(cs, hit);
    return 0;
}

/* "DEAS exigé, DEAES apprécié", "DEAES obligatoire ; ASG souhaité": a sentence that asks
 * for one diploma and wishes for another is read clause by clause (a helper's probe made both
 * required). Only then: a list ("DEAES, ADVF, MCAD exigés") stays one clause. */
static bool asks_and_wishes(const char *f)
{
    static const char *const wish[] = {"apprecie", "appreciee", "apprecies", "appreciees",
                                       "souhaite", "souhaitee", "souhaites", "souhaitees",
                                       "souhaitable", "un plus", "un atout", "idealement",
                                       "de preference", "bienvenu", "bienvenue",
                                       /* "DEAS exigé, le DEAES ne suffit pas" (a helper's
                                        * probe made them alternatives) */
                                       "ne suffit pas", "ne suffisent pas", "non accepte",
                                       "non acceptee", "non acceptes", "pas accepte", NULL};
    return cm__ft_has_any(f, wish) && (cm__ft_says_required(f) || holder_says(f));
}

/* A clause that asks and wishes, joined by "et" ("DEAS exigé et ASG apprécié"): its parts. */
static int certs_mixed(void *arg, const char *f)
{
    const char *et = asks_and_wishes(f) ? strstr(f, " et ") : NULL;
    return et ? split_clause(arg, f, et, 3, certs_sentence, certs_mixed) : certs_sentence(arg, f);
}

static int certs_sentence_raw_read(void *arg, const char *folded, const char *raw)
{
    if (!asks_and_wishes(folded) || !strpbrk(raw, ",("))
        return certs_mixed(arg, folded);
    /* a bracket opens a clause too: "Pas de diplôme exigé (DEAES apprécié)" */
    char *r = strdup(raw);
    if (!r)
        return CM_ENOMEM;
    for (char *p = r; *p; p++) /* not a word's ending: "Infirmier(e) Diplômé(e)" */
        if (*p == '(' && (p == r || p[-1] == ' ')) {
            *p = ',';
            char *close = strchr(p, ')');
            if (close)
                *close = ',';
        }
    int rc = cm__ft_each_clause(r, certs_mixed, arg);
    free(r);
    return rc;
}

static int certs_sentence_raw(void *arg, const char *folded, const char *raw)
{
    certs_t *cs = arg;
    const char *b = raw + strspn(raw, " \t\r");
    size_t n = strlen(b);
    while (n > 0 && strchr(" \t\r", b[n - 1]))
        n--;
    /* "Diplômes appréciés :" then its lines ("- DEAES"): what they name is wished */
    if (!strchr("-*", *b) && strncmp(b, "\u2022", 3) != 0 && strncmp(b, "\u00b7", 2) != 0)
        cs->wish_list = false;
    int rc = certs_sentence_raw_read(arg, folded, raw);
    if (n > 0 && b[n - 1] == ':') {
        static const char *const wish[] = {"apprecie", "appreciee", "apprecies", "appreciees",
                                           "souhaite", "souhaitee", "souhaites", "souhaitees",
                                           "un plus",  "atout",     "atouts",    "bonus",
                                           "plus",     "optionnel", NULL};
        cs->wish_list = cm__ft_has_any(folded, wish);
    }
    return rc;
}

/* Diplomas taken "also" before the requirement they widen came: now in its group. */
static void widen_by_accepted(certs_t *cs)
{
    bool hit[CM__FT_CERTS] = {false};
    bool any = false;
    for (size_t i = 0; i < CM__FT_CERTS; i++)
        if (cs->accepted[i] && cs->state[i] == 1) {
            hit[i] = true;
            any = true;
        }
    if (!any || !has_required(cs))
        return;
    certs_t before = *cs;
    for (size_t i = 0; i < CM__FT_CERTS; i++)
        if (hit[i])
            cs->state[i] = 2;
    widen_required(cs, &before, hit);
}

int cm__ft_certs_from_text(const char *text, certs_t *cs)
{
    int rc = cm__ft_each_sentence_raw(text, certs_sentence_raw, cs);
    if (rc == 0)
        widen_by_accepted(cs);
    memset(cs->accepted, 0, sizeof cs->accepted);
    return rc;
}
