/* What a France Travail offer's text opens or offers beside the work's conditions: the post
 * open to disabled workers (RQTH), an immersion (PMSMP), training before hiring (POE, AFPR).
 * Part of the mapper (francetravail.c; the conditions themselves: ft_conditions.c). */
#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "ft_internal.h"

/* Does a sentence open the job to disabled workers? "Poste ouvert aux personnes bénéficiant
 * d'une RQTH", "RQTH bienvenue", "bénéficiaires de l'obligation d'emploi", "travailleurs
 * handicapés", "poste ouvert aux personnes en situation de handicap"; not the people the
 * house accompanies ("FAM accueillant des adultes en situation de handicap"). */
static int disability_sentence(void *arg, const char *f)
{
    static const char *const worker[] = {"rqth",
                                         "boeth",
                                         "oeth",
                                         "obligation d emploi",
                                         "reconnaissance de la qualite de travailleur",
                                         NULL};
    static const char *const open[] = {
        "poste ouvert", "poste est ouvert",
        /* boilerplate: "Tous nos postes sont ouverts aux
         * personnes en situation de handicap" (a helper's
         * probe) */
        "postes ouverts", "postes sont ouverts", "emplois sont ouverts", "emploi est ouvert",
        "poste accessible", "poste est accessible", "candidatures de personnes",
        "handi accueillant", "handiaccueillant",
        /* "Tous nos postes sont accessibles aux personnes en situation de handicap", "Nous
         * étudions toutes les candidatures, dont celles des personnes en situation de
         * handicap" (a helper's probe: left closed) */
        "postes accessibles", "postes sont accessibles", "emplois accessibles",
        "emplois sont accessibles", "toutes les candidatures", NULL};
    static const char *const residents[] = {"adultes",         "enfants",     "residents",
                                            "usagers",         "accueillies", "accompagnees",
                                            "personnes agees", "jeunes",      NULL};
    /* "RQTH non exigée": the post is not reserved, which says nothing of its openness (a
     * helper's probe read it as open) */
    static const char *const not_asked[] = {
        "non exige",  "non exigee",  "non requis",     "non requise",     "pas exige", "pas exigee",
        "pas requis", "pas requise", "pas necessaire", "non obligatoire", NULL};
    /* "Poste non accessible aux travailleurs handicapés" (a helper's probe read it open) */
    static const char *const closed[] = {
        "non accessible", "non accessibles", "inaccessible", "inaccessibles", "non ouvert",
        "non ouverte",    "non adapte",      "non adaptee",  "incompatible",  NULL};
    bool *yes = arg;
    if (cm__ft_says_no(f) || cm__ft_has_any(f, not_asked) || cm__ft_has_any(f, closed))
        return 0;
    /* an ESAT's workers are the people the job supervises: "Vous encadrez 10 travailleurs
     * handicapés", "L'ESAT accueille 60 travailleurs handicapés" (a helper's probe read the post
     * as open to RQTH holders) */
    static const char *const supervised[] = {
        "encadrez",    "encadrer",       "encadrement", "encadrerez",  "encadrant",   "accompagnez",
        "accompagner", "accompagnement", "accueille",   "accueillant", "accueillons", "esat",
        "aupres de",   "aupres des",     "compose",     "composee",    NULL};
    static const char *const as_workers[] = {"travailleurs handicapes", "travailleur handicape",
                                             "travailleuse handicapee", NULL};
    bool named = cm__ft_has_any(f, worker) ||
                 (cm__ft_has_any(f, as_workers) && !cm__ft_has_any(f, supervised));
    if (named ||
        (cm__ft_has_any(f, open) && strstr(f, " handicap") && !cm__ft_has_any(f, residents)))
        *yes = true;
    return 0;
}

/* Does one sentence of the description make fn set its flag? (false on ENOMEM) */
static bool description_says(const cJSON *ft, int (*fn)(void *arg, const char *folded))
{
    bool yes = false;
    if (cm__ft_each_text(cm__ft_get(ft, "description"), fn, &yes) != 0)
        return false;
    return yes;
}

bool cm__ft_disability_text(const cJSON *ft)
{
    return description_says(ft, disability_sentence);
}

/* A sentence that says one of `words` without a denial (an offer the description makes). */
typedef struct offered {
    const char *const *words;
    bool yes;
} offered_t;

static int offered_sentence(void *arg, const char *f)
{
    offered_t *o = arg;
    if (!cm__ft_says_no(f) && cm__ft_has_any(f, o->words))
        o->yes = true;
    return 0;
}

/* Does one sentence of the description offer one of `words`? (false on ENOMEM) */
static bool description_offers(const cJSON *ft, const char *const *words)
{
    offered_t o = {words, false};
    if (cm__ft_each_text(cm__ft_get(ft, "description"), offered_sentence, &o) != 0)
        return false;
    return o.yes;
}

/* Does the description offer an immersion before hiring? "Une immersion professionnelle (PMSMP) est
 * possible avant l'embauche", "stage d'immersion", "mise en situation en milieu
 * professionnel"; not an onboarding ("une immersion dans l'équipe à votre arrivée"). */
bool cm__ft_immersion_text(const cJSON *ft)
{
    static const char *const words[] = {
        "pmsmp", "mise en situation en milieu professionnel", "periode de mise en situation",
        "immersion professionnelle", "immersion possible", "immersion est possible",
        "immersion avant", "stage d immersion", "immersion en entreprise", "immersion prealable",
        /* "Une journée d'observation en situation de travail
         * est proposée avant l'embauche" (a helper's probe) */
        "journee d observation", "journees d observation", "stage d observation", NULL};
    return description_offers(ft, words);
}

/* Does the description offer a training before hiring? "Formation préalable à l'embauche (POEI)",
 * "dans le cadre d'une POE", "AFPR", "Nous formons avant l'embauche". */
bool cm__ft_training_text(const cJSON *ft)
{
    static const char *const words[] = {"poei",
                                        "poec",
                                        "poe",
                                        "afpr",
                                        "preparation operationnelle a l emploi",
                                        "formation prealable a l embauche",
                                        "formation prealable au recrutement",
                                        "formation avant l embauche",
                                        "formation avant embauche",
                                        "formons avant l embauche",
                                        "action de formation prealable",
                                        NULL};
    return description_offers(ft, words);
}
