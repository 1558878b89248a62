/* The diploma a regulated post requires by law (nurse, auxiliaire de puériculture, éducateur
 * de jeunes enfants), read into a France Travail offer's certifications whatever its text
 * says of it. Part of the mapper (ft_certs.c calls it once the text is read). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carematch/error.h"
#include "ft_internal.h"

/* Is the profession named at p (folded f, n bytes) offered as an alternative: an "ou" or a "/"
 * within a few words ("Infirmière DE, puéricultrice ou EJE")? Not a colleague's ("les
 * permanences de puéricultrice": a helper's probe let an AP post go without its DEAP). */
static bool offered_beside(const char *f, const char *p, size_t n)
{
    const char *from = p - f > 24 ? p - 24 : f, *end = p + n + 24;
    size_t fl = strlen(f);
    if (end > f + fl)
        end = f + fl;
    for (const char *q = from; q + 4 <= end; q++)
        if (memcmp(q, " ou ", 4) == 0 || memcmp(q, " / ", 3) == 0)
            return true;
    return false;
}

/* Does the folded text name a profession other than the one of `code`, as another way in? */
static bool names_another(const char *f, const char *code, const char *const *others)
{
    /* a puéricultrice is a nurse: she holds the DEI ("Infirmier(e) DE ou puériculteur(trice)":
     * a helper's probe left the DEI out) */
    static const char *const own_dei[] = {"infirmier",     "infirmiere",   "ide",
                                          "puericultrice", "puericulteur", NULL};
    static const char *const own_deap[] = {"auxiliaire de puericulture", NULL};
    static const char *const own_deeje[] = {"eje", "educateur de jeunes enfants",
                                            "educatrice de jeunes enfants", NULL};
    const char *const *own = strcmp(code, "DEI") == 0    ? own_dei
                             : strcmp(code, "DEAP") == 0 ? own_deap
                                                         : own_deeje;
    for (int k = 0; others[k]; k++) {
        bool mine = false;
        for (int j = 0; own[j] && !mine; j++)
            mine = strcmp(own[j], others[k]) == 0;
        if (mine)
            continue;
        char pat[64];
        snprintf(pat, sizeof pat, " %s ", others[k]);
        for (const char *p = strstr(f, pat); p; p = strstr(p + 1, pat))
            if (offered_beside(f, p, strlen(pat)))
                return true;
    }
    return false;
}

/* A post the law reserves to a diploma's holders (nurse: DEI, auxiliaire de puériculture:
 * DEAP, éducateur de jeunes enfants: DEEJE) requires it, however the text says it ("IDE DE,
 * débutant accepté", "Diplôme d'Etat d'infirmier, inscription à l'Ordre", "AP diplômée", or
 * not at all: a helper's probe found 13 such offers with it wished or missing). Not when the
 * text takes it in progress (students), nor when it is one of a group of alternatives the
 * text gives; not named, only when no other diploma is required. Not the aide-soignant's
 * DEAS: homes hire "faisant fonction" without it, and say so ("idéalement titulaire"). */
int cm__ft_regulated_post(const cJSON *o, const char *title, const char *desc, certs_t *cs,
                          cm__ft_ctx_t *c)
{
    /* another profession named beside it ("Infirmière DE, puéricultrice ou EJE"): the post
     * is open to more than one diploma, the text's own alternatives (a group) */
    static const char *const others[] = {"eje",
                                         "educateur de jeunes enfants",
                                         "educatrice de jeunes enfants",
                                         "puericultrice",
                                         "puericulteur",
                                         "psychomotricien",
                                         "psychomotricienne",
                                         "cap aepe",
                                         "cap petite enfance",
                                         "infirmier",
                                         "infirmiere",
                                         "ide",
                                         "auxiliaire de puericulture",
                                         NULL};
    static const struct {
        const char *rome, *code;
    } law[] = {{"J1506", "DEI"}, {"J1304", "DEAP"}, {"K1202", "DEEJE"}};
    const char *rome = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "rome"));
    bool regulated = false;
    for (size_t k = 0; rome && k < sizeof law / sizeof law[0]; k++)
        regulated |= strcmp(rome, law[k].rome) == 0;
    if (!regulated || cs->in_progress)
        return 0;
    size_t tl = title ? strlen(title) : 0, dl = desc ? strlen(desc) : 0;
    char *both = malloc(tl + dl + 3);
    if (!both)
        return CM_ENOMEM;
    snprintf(both, tl + dl + 3, "%s. %s", title ? title : "", desc ? desc : "");
    char *f = cm__ft_fold(both);
    free(both);
    if (!f)
        return CM_ENOMEM;
    bool other = false;
    for (size_t i = 0; i < CM__FT_CERTS; i++)
        other |= cs->state[i] == 2 && cm__ft_groupable(i);
    for (size_t k = 0; k < sizeof law / sizeof law[0]; k++) {
        if (strcmp(rome, law[k].rome) != 0)
            continue;
        for (size_t i = 0; i < CM__FT_CERTS; i++) {
            if (strcmp(cm__ft_cert_code(i), law[k].code) != 0 || cs->state[i] == 2 ||
                cs->group[i] != 0)
                continue;
            bool named = cs->state[i] == 1;
            if (!named && (other || names_another(f, law[k].code, others)))
                continue;
            cs->state[i] = 2;
            cm__ft_find(c, CM_FT_GUESS, "diploma_regulated", "romeCode", rome,
                        "%s %s: the law reserves the post to its holders, so it is required",
                        law[k].code, named ? "named without a word of requirement" : "not named");
        }
    }
    free(f);
    return 0;
}
