/* The diplomas of a France Travail offer put in the record: its competences[] and
 * formations[] entries, then its text (read by ft_certs.c), as skills and certifications,
 * required or wanted, alone or in groups of alternatives. Part of the mapper
 * (francetravail.c). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carematch/error.h"
#include "carematch/record.h"
#include "ft_internal.h"

static int map_skills(const cJSON *ft, cJSON *o, certs_t *cs, cm__ft_ctx_t *c)
{
    const cJSON *it;
    cJSON *skills = NULL;
    int n = 0, i = 0;
    cJSON_ArrayForEach(it, cm__ft_get(ft, "competences"))
    {
        const char *l = cm__ft_get_str(it, "libelle");
        int at = i++;
        if (!l)
            continue;
        const char *ex = cm__ft_get_str(it, "exigence");
        bool req = ex && strcmp(ex, "E") == 0;
        char *f = cm__ft_fold(l);
        if (!f)
            return CM_ENOMEM;
        bool hit[CM__FT_CERTS] = {false};
        cm__ft_match_certs(f, false, req, cs, hit);
        free(f);
        if (n == CM_SKILLS_MAX) {
            char field[32];
            snprintf(field, sizeof field, "competences[%d]", at);
            cm__ft_find(c, CM_FT_LOST, "skills_dropped", field, l,
                        "more than %d skills: this one and later ones dropped", CM_SKILLS_MAX);
            break;
        }
        if (!skills && !(skills = cJSON_AddArrayToObject(o, "skills")))
            return CM_ENOMEM;
        cJSON *s = cJSON_CreateObject();
        if (!s || !cJSON_AddItemToArray(skills, s) ||
            !cm__ft_add_text(s, "label", l, CM_LABEL_MAX, false, c, "competences[].libelle") ||
            !cJSON_AddBoolToObject(s, "required", req))
            return CM_ENOMEM;
        n++;
    }
    return 0;
}

/* formations[]: each entry names diplomas (its domain, its comment: "CAP PE ou AEPE"); entries
 * of the same exigence naming different diplomas are alternatives (an offer asks for one
 * care diploma, seldom two). */
static int map_formations(const cJSON *ft, certs_t *cs, cm__ft_ctx_t *c)
{
    bool hit[2][CM__FT_CERTS] = {{false}};
    const cJSON *it;
    int i = 0;
    cJSON_ArrayForEach(it, cm__ft_get(ft, "formations"))
    {
        const char *dom = cm__ft_get_str(it, "domaineLibelle");
        const char *niv = cm__ft_get_str(it, "niveauLibelle");
        const char *com = cm__ft_get_str(it, "commentaire"), *ex = cm__ft_get_str(it, "exigence");
        bool req = ex && strcmp(ex, "E") == 0;
        /* the training field "Soins infirmiers" at CAP/BEP level is the aide-soignant's
         * schooling, never the nurse's Bac+3 diploma: the domain alone names no diploma */
        const char *named_dom = dom;
        if (dom && niv && (strstr(niv, "CAP") || strstr(niv, "BEP"))) {
            char *fd = cm__ft_fold(dom);
            if (!fd)
                return CM_ENOMEM;
            const char *w = fd + strspn(fd, " ");
            size_t wl = strlen(w);
            while (wl > 0 && w[wl - 1] == ' ')
                wl--;
            if (wl == 16 && memcmp(w, "soins infirmiers", 16) == 0)
                named_dom = NULL;
            free(fd);
        }
        size_t bl = (named_dom ? strlen(named_dom) : 0) + (com ? strlen(com) : 0) + 4;
        char *b = malloc(bl);
        if (!b)
            return CM_ENOMEM;
        snprintf(b, bl, "%s. %s", named_dom ? named_dom : "", com ? com : "");
        char *f = cm__ft_fold(b);
        free(b);
        if (!f)
            return CM_ENOMEM;
        /* "DEAS ou en cours d'obtention": a student in her last year is taken, so the diploma
         * is wished, not required (she is no near miss) */
        static const char *const in_progress[] = {"en cours", "en formation", "en voie d obtention",
                                                  NULL};
        /* "étudiants en soins infirmiers acceptés": a student, not the nurse's DEI (a helper's
         * probe: it became "DEAS or DEI required") */
        static const char *const student[] = {"etudiant en soins infirmiers",
                                              "etudiante en soins infirmiers",
                                              "etudiants en soins infirmiers",
                                              "etudiantes en soins infirmiers",
                                              "etudiant e en soins infirmiers",
                                              "etudiant e s en soins infirmiers",
                                              "esi",
                                              NULL};
        bool students = cm__ft_has_any(f, student);
        for (int k = 0; student[k]; k++) { /* their field names no diploma */
            char pat[64];
            snprintf(pat, sizeof pat, " %s ", student[k]);
            for (char *p = strstr(f, pat); p; p = strstr(p, pat))
                memset(p + 1, '_', strlen(pat) - 2);
        }
        if (req && !cs->prepares &&
            (students || cm__ft_in_progress(f) || cm__ft_has_any(f, in_progress))) {
            req = false;
            cs->in_progress = cs->in_progress_formations = true;
        }
        bool one[CM__FT_CERTS] = {false};
        int found = cm__ft_match_certs(f, true, req, cs, one);
        free(f);
        for (size_t k = 0; k < CM__FT_CERTS; k++)
            hit[req][k] |= one[k];
        char field[48];
        snprintf(field, sizeof field, "formations[%d].%s", i++,
                 dom ? "domaineLibelle" : "commentaire");
        if (!found && (dom || com))
            cm__ft_find(c, CM_FT_LOST, "diploma_unknown", field, dom ? dom : com,
                        "names no diploma the mapper knows%s%s", niv ? "; level: " : "",
                        niv ? niv : "");
    }
    cm__ft_group_certs(cs, hit[0]);
    cm__ft_group_certs(cs, hit[1]);
    return 0;
}

int cm__ft_certs(const cJSON *ft, cJSON *o, cm__ft_ctx_t *c)
{
    certs_t cs;
    memset(&cs, 0, sizeof cs);
    int rc;
    const char *title = cm__ft_get_str(ft, "intitule"), *desc = cm__ft_get_str(ft, "description");
    const char *kind = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "contract"));
    cs.prepares =
        kind && (strcmp(kind, "apprentissage") == 0 || strcmp(kind, "professionnalisation") == 0);
    if ((rc = map_formations(ft, &cs, c)) || (rc = map_skills(ft, o, &cs, c)) ||
        (rc = cm__ft_certs_prepared_by_title(title, &cs)) ||
        (rc = cm__ft_certs_from_text(title, &cs)) ||
        (desc && (rc = cm__ft_certs_from_text(desc, &cs))))
        return rc;
    if (cs.prepared)
        cm__ft_find(c, CM_FT_GUESS, "diploma_prepared", "intitule", title,
                    "the diploma the %s prepares is recorded as required: a holder is "
                    "already qualified, anyone else is on its route",
                    kind);
    /* said once, and only when a diploma stays wished for it (a helper's probe: reported
     * beside a diploma that the title's apprenticeship made required again) */
    bool wished = false;
    for (size_t i = 0; i < CM__FT_CERTS; i++)
        wished |= cs.state[i] == 1;
    if (cs.in_progress && wished)
        cm__ft_find(c, CM_FT_GUESS, "diploma_in_progress_accepted",
                    cs.in_progress_formations ? "formations" : "description", NULL,
                    "a diploma in progress is accepted: wished, not required");
    if (cs.interpreted)
        cm__ft_find(c, CM_FT_GUESS, "diploma_interpreted", "formations", "Assistant de vie",
                    "\"diplôme assistant de vie\" read as the titre professionnel ADVF "
                    "(its name until 2003)");
    if ((rc = cm__ft_regulated_post(o, title, desc, &cs, c)))
        return rc;
    cJSON *certs = NULL;
    for (size_t i = 0; i < CM__FT_CERTS; i++) {
        if (!cs.state[i])
            continue;
        if (!certs && !(certs = cJSON_AddArrayToObject(o, "certifications")))
            return CM_ENOMEM;
        cJSON *e = cJSON_CreateObject();
        if (!e || !cJSON_AddItemToArray(certs, e) ||
            !cJSON_AddStringToObject(e, "code", cm__ft_cert_code(i)) ||
            !cJSON_AddBoolToObject(e, "required", cs.state[i] == 2) ||
            (cs.group[i] && !cJSON_AddNumberToObject(e, "group", cs.group[i])))
            return CM_ENOMEM;
    }
    return 0;
}
