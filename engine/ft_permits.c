/* France Travail's permits and languages read the way an adviser reads them: the car licence
 * asked for (permis[], or the description), wished for, or another licence reported; a
 * language other than French reported (the record has no field). Part of the mapper
 * (francetravail.c); every value not read becomes a finding. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "carematch/record.h"
#include "ft_internal.h"

/* ---- permits ---- */

typedef struct licence_said {
    bool required, wished;
} licence_said_t;

/* A sentence asking for the car licence: "Permis B exigé", "permis de conduire obligatoire",
 * "Permis obligatoire"; or wishing for it ("Permis B souhaité"). */
static int licence_sentence(void *arg, const char *f)
{
    static const char *const denied[] = {
        "pas de permis", "sans permis",        "aucun permis", "permis non",   "permis n est pas",
        "permis pas",    "permis b n est pas", "permis b non", "permis b pas", NULL};
    static const char *const wish[] = {"souhaite",    "souhaitee",   "souhaites",     "souhaitees",
                                       "apprecie",    "appreciee",   "apprecies",     "appreciees",
                                       "un plus",     "idealement",  "de preference", "recommande",
                                       "recommandee", "recommandes", "recommandees",  "conseille",
                                       "conseillee",  "conseilles",  "conseillees",   NULL};
    /* "Permis obligatoire": in a care offer, the word alone is the car licence; not another
     * licence nor a permit to work or stay */
    static const char *const other[] = {"permis c",      "permis d",          "permis ce",
                                        "permis poids",  "permis de travail", "permis de sejour",
                                        "permis bateau", "permis moto",       "permis a",
                                        "permis am",     "permis cariste",    NULL};
    if (!(cm__ft_has_words(f, "permis b") || cm__ft_has_words(f, "permis de conduire") ||
          (cm__ft_has_words(f, "permis") && !cm__ft_has_any(f, other))))
        return 0;
    licence_said_t *said = arg;
    /* the profile asked: "Titulaire du permis B.", "Vous disposez du permis B et d'un
     * véhicule", "Vous avez le permis B", a profile's line ("Profil : véhiculé(e), permis B",
     * "- Permis B"): a helper's probe read none of these */
    static const char *const holds[] = {"titulaire du permis", "disposez du permis",
                                        "disposer du permis", "possedez le permis",
                                        "posseder le permis", "avez le permis", "avoir le permis",
                                        "detenteur du permis", "detentrice du permis", "profil",
                                        /* held for some years: "Permis B depuis 3 ans
                                         * minimum", "Permis B (3 ans minimum)" (a helper's
                                         * probe read none) */
                                        "permis b depuis", "permis depuis", "ans de permis",
                                        "annees de permis", "ans minimum", "an minimum", NULL};
    bool holder = cm__ft_has_any(f, holds) || cm__ft_word_count(f) <= 3;
    holder = holder && !cm__ft_has_any(f, wish) && !cm__ft_says_no(f); /* "Permis B : non" */
    if (!holder && !cm__ft_says_required(f)) { /* "Permis B non exigé" says none */
        /* "Permis B souhaité": a wish, reported (a helper's probe: dropped without a word) */
        if (cm__ft_has_any(f, wish) && !cm__ft_has_any(f, denied))
            said->wished = true;
        return 0;
    }
    if (!cm__ft_has_any(f, denied)) /* "Pas de permis exigé" */
        said->required = true;
    return 0;
}

int cm__ft_permits(const cJSON *ft, cJSON *o, cm__ft_ctx_t *c)
{
    bool licence = false;
    const char *wanted = NULL; /* a B wished for in permis[], reported once the text is read */
    char wanted_field[32] = "";
    const cJSON *it;
    int i = 0;
    cJSON_ArrayForEach(it, cm__ft_get(ft, "permis"))
    {
        char field[32];
        snprintf(field, sizeof field, "permis[%d]", i++);
        const char *l = cm__ft_get_str(it, "libelle"), *ex = cm__ft_get_str(it, "exigence");
        if (!l || strncmp(l, "Aucun", 5) == 0) /* "Aucun permis": nothing asked, nothing lost */
            continue;
        /* B, and the B family that includes it: BE (trailer), "B mention 96", EB */
        bool b = (l[0] == 'B' && (l[1] == '\0' || l[1] == ' ' || l[1] == 'E')) ||
                 strncmp(l, "EB", 2) == 0;
        bool plain_b = l[0] == 'B' && (l[1] == '\0' || (l[1] == ' ' && strncmp(l, "B mention", 9)));
        bool req = ex && strcmp(ex, "E") == 0;
        if (b && req)
            licence = true;
        if (b && !req && !wanted) {
            wanted = l;
            snprintf(wanted_field, sizeof wanted_field, "%s", field);
        }
        if (!plain_b)
            cm__ft_find(c, CM_FT_LOST, "permit_unmapped", field, l,
                        b ? "a car licence and more: only the car licence is recorded"
                          : "no field for this licence");
    }
    /* A vehicle to drive, one's own or the service's, asks for the licence too
     * (ft_conditions.c ran first). So does a sentence of the employer's text, whatever
     * permis[] says or leaves out. */
    if (!licence && (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "vehicle_required")) ||
                     cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "vehicle_provided"))))
        licence = true;
    const char *desc = cm__ft_get_str(ft, "description");
    int rc;
    licence_said_t said = {false, false};
    if (!licence && desc && (rc = cm__ft_each_sentence(desc, licence_sentence, &said)) != 0)
        return rc;
    licence |= said.required;
    /* a wish the record does not hold (not when the text or a vehicle asks for it after all:
     * a helper's probe found the report contradicting the record) */
    if (!licence && wanted)
        cm__ft_find(c, CM_FT_LOST, "permit_wanted", wanted_field, wanted,
                    "wanted, not required: driving_licence_required stays false");
    else if (!licence && said.wished)
        cm__ft_find(c, CM_FT_LOST, "permit_wanted", "description", NULL,
                    "wanted in the text, not required: driving_licence_required stays false");
    if (!cJSON_AddBoolToObject(o, "driving_licence_required", licence))
        return CM_ENOMEM;
    return 0;
}

/* ---- languages: the record has no field; a required one other than French is reported ---- */

int cm__ft_languages(const cJSON *ft, cm__ft_ctx_t *c)
{
    const cJSON *it;
    int i = 0;
    cJSON_ArrayForEach(it, cm__ft_get(ft, "langues"))
    {
        char field[32];
        snprintf(field, sizeof field, "langues[%d]", i++);
        const char *l = cm__ft_get_str(it, "libelle"), *ex = cm__ft_get_str(it, "exigence");
        if (l && ex && strcmp(ex, "E") == 0 && strncmp(l, "Fran", 4) != 0)
            cm__ft_find(c, CM_FT_LOST, "language_unmapped", field, l,
                        "a required language: no field for it");
    }
    return 0;
}
