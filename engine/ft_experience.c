/* France Travail experience read the way an adviser reads it: the field (experienceExige,
 * experienceLibelle), then what the description asks for or only wishes for, with its length.
 * Part of the mapper (francetravail.c); every value not read becomes a finding. */
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "carematch/record.h"
#include "ft_internal.h"

/* The months the description asks for, and those it only wishes for. */
typedef struct xp_said {
    long months, wished;
    bool plain;   /* the field already wishes: a length said plainly is its length */
    bool demands; /* "Expérience de garde d'enfants exigée": required, with no length */
} xp_said_t;

/* Is the count at word p (of folded f) something else than a length of experience: a person's
 * age ("vous avez au moins 18 ans", "âgé de 18 ans"), the age of those she looks after ("bébés de
 * moins de 18 mois", "enfants de 3 ans"; a helper's probe read both as experience)? */
static bool not_a_length(const char *f, const char *p, long k, int days)
{
    static const char *const whose[] = {"age",  "agee",  "ages",  "agees",  "enfant",    "enfants",
                                        "bebe", "bebes", "moins", "jeunes", "personnes", NULL};
    const char *w[2] = {NULL, NULL}; /* the two words before p, nearest first */
    size_t len[2] = {0, 0};
    const char *q = p;
    for (int i = 0; i < 2 && q > f; i++) {
        while (q > f && q[-1] == ' ')
            q--;
        const char *e = q;
        while (q > f && q[-1] != ' ')
            q--;
        w[i] = q;
        len[i] = (size_t)(e - q);
    }
    bool of = w[0] && len[0] <= 2 && (strncmp(w[0], "de", len[0]) == 0); /* "de", "d" */
    /* the end of a range ("enfants de 0 à 3 ans", "de 10 semaines à 3 ans"), a contract's
     * length ("CDD de 6 mois"): a reviewer's catch */
    static const char *const span[] = {"cdd",     "contrat", "mission", "remplacement", "duree",
                                       "periode", "stage",   "essai",   "formation",    NULL};
    if (w[0] && len[0] == 1 && w[0][0] == 'a' && w[1] &&
        (isdigit((unsigned char)w[1][0]) || cm__ft_unit_days(w[1], len[1]) > 0))
        return true;
    if (of && w[1] && cm__ft_word_is(w[1], len[1], span))
        return true;
    if (w[0] && cm__ft_word_is(w[0], len[0], whose) && strncmp(w[0], "moins", 5) != 0)
        return true; /* "au moins un an" is a length */
    if (of && w[1] && cm__ft_word_is(w[1], len[1], whose))
        return true;
    /* no one asks for 16 years or more: an age, unless said "18 ans d'expérience" */
    if (days == 365 && k >= 16) {
        const char *u = p + strcspn(p, " ");
        u += strspn(u, " ");
        u += strcspn(u, " "); /* past the unit */
        return strncmp(u, " d experience", 13) != 0 && strncmp(u, " experience", 11) != 0;
    }
    return false;
}

/* Is the count at word p the second way in: "Diplôme ADVF ou DEAES exigé OU 1 an d'expérience",
 * "ou de 2 ans d'expérience" (a helper's probe asked the DEAES holder for a year)? */
static bool after_or(const char *f, const char *p)
{
    size_t n = (size_t)(p - f);
    return (n >= 4 && memcmp(p - 4, " ou ", 4) == 0) ||
           (n >= 7 && memcmp(p - 7, " ou de ", 7) == 0) ||
           (n >= 6 && memcmp(p - 6, " ou d ", 6) == 0);
}

/* Is one of the words demanded within 10 words after w (" experience ..."), before another
 * requirement's noun? "Expérience de garde d'enfants exigée" is; "Expérience auprès des
 * personnes âgées, permis B obligatoire" is not (a reviewer's catch: the licence's word). */
static bool demanded_after(const char *w, const char *const *demanded)
{
    static const char *const other[] = {"permis", "diplome", "diplomes",  "vehicule", "voiture",
                                        "titre",  "deas",    "deaes",     "deap",     "dei",
                                        "cap",    "bac",     "formation", "rqth",     NULL};
    const char *p = w + strspn(w, " ");
    p += strcspn(p, " "); /* past "experience" */
    for (int k = 0; k < 10; k++) {
        p += strspn(p, " ");
        size_t n = strcspn(p, " ");
        if (!n || cm__ft_word_is(p, n, other))
            return false;
        if (cm__ft_word_is(p, n, demanded))
            return true;
        p += n;
    }
    return false;
}

/* Is the count at p within 12 words of "expérience" or "exercice" (a length said of them: "2
 * ans d'expérience", "une expérience de 2 ans"), not of something else in the sentence
 * ("une première expérience, CDD de 6 mois": a reviewer's catch)? */
static bool near_experience(const char *f, const char *p)
{
    static const char *const keys[] = {" experience", " exercice", NULL};
    for (int k = 0; keys[k]; k++)
        for (const char *x = strstr(f, keys[k]); x; x = strstr(x + 1, keys[k])) {
            const char *a = x < p ? x : p, *b = x < p ? p : x;
            int words = 0;
            for (const char *q = a; q < b; q++)
                words += *q == ' ' && q[1] != ' ';
            if (words <= 12)
                return true;
        }
    return false;
}

/* "Vous justifiez d'une expérience de 2 ans en EHPAD", "Expérience exigée de 1 an", "6 mois
 * d'expérience minimum": the months a sentence asks for; "Expérience souhaitée de 2 ans": the
 * months it wishes for (beginners' words ask for none). */
static int experience_sentence(void *arg, const char *f)
{
    /* the profile said too: "Vous avez au moins 1 an d'expérience", "Vous disposez d'une
     * expérience d'un an minimum" (a helper's probe) */
    static const char *const asked[] = {
        "exige", "exigee", "justifiez", "justifier", "minimum", "minimale", "obligatoire",
        "indispensable", "requise", "requis", "imperative", "imperatif", "vous devez", "au moins",
        "vous avez", "vous disposez", "vous possedez",
        /* with another requirement: "Diplôme d'Etat infirmier et 1 an d'expérience exigés" (a
         * helper's probe: beginners taken) */
        "exiges", "exigees", "requises", "obligatoires", "indispensables", "obligation", NULL};
    static const char *const soft[] = {"souhaite", "souhaitee",     "idealement", "un plus",
                                       "debutant", "debutante",     "debutant e", "appreciee",
                                       "apprecie", "de preference", "souhaites",  "souhaitees",
                                       NULL};
    xp_said_t *said = arg;
    /* "24 mois d'exercice en établissement" is experience too (a helper's probe) */
    if (said->months || cm__ft_says_no(f) ||
        !(cm__ft_has_words(f, "experience") || cm__ft_has_words(f, "d exercice")))
        return 0;
    static const char *const beginner[] = {"debutant", "debutante", "debutant e", "debutants",
                                           NULL};
    if (cm__ft_has_any(f, beginner))
        return 0;
    /* offered instead of a diploma ("DEAES exigé ou expérience de 2 ans", "ou à défaut 2 ans
     * d'expérience", "A défaut, une expérience de 2 ans est exigée"): one way in, not a second
     * wall beside the diploma (a helper's probe); the field's level stands */
    static const char *const instead[] = {
        "a defaut", "ou experience", "ou une experience", "ou d une experience", "sinon", NULL};
    if (cm__ft_has_any(f, instead))
        return 0;
    /* asked of an alternative only: "Diplôme d'AP exigé, ou CAP AEPE avec 2 ans d'expérience"
     * (a helper's probe asked the DEAP holder for 2 years) */
    const char *ou = strstr(f, " ou "), *xp_at = strstr(f, " experience");
    const char *with = ou ? strstr(ou, " avec ") : NULL;
    if (ou && xp_at && with && ou < xp_at && with < xp_at)
        return 0;
    bool asks = cm__ft_has_any(f, asked), wish = cm__ft_has_any(f, soft) || (!asks && said->plain);
    if (!wish && !asks)
        return 0;
    /* wished with a length ("Expérience souhaitée de 2 ans"): wanted, with its months (a
     * helper's probe read it as beginners welcome) */
    long *months = wish ? &said->wished : &said->months;
    if (*months)
        return 0;
    /* demanded in so many words after it: "Expérience de garde d'enfants exigée", "une
     * première expérience avec des enfants est indispensable" (a helper's probe: beginners
     * taken); "Diplôme exigé et expérience en EHPAD" does not (the word is the diploma's) */
    static const char *const demanded[] = {
        "exige",         "exigee",  "exiges", "exigees",    "obligatoire", "obligatoires",
        "indispensable", "requise", "requis", "imperative", "imperatif",   NULL};
    const char *xw = strstr(f, " experience");
    if (!wish && xw && demanded_after(xw, demanded))
        said->demands = true;
    /* a count, in figures or words ("2 ans", "d'un an", "six mois"), then its unit */
    for (const char *p = f; *p;) {
        p += strspn(p, " ");
        size_t n = strcspn(p, " ");
        if (!n)
            break;
        const char *u = p + n + strspn(p + n, " ");
        size_t un = strcspn(u, " ");
        long k = cm__ft_count_word(p, n);
        int days = k ? cm__ft_unit_days(u, un) : 0;
        long m = days == 365 ? k * 12 : days == 30 ? k : 0;
        if (m > 0 && after_or(f, p)) {
            said->demands = false; /* one way in, not a wall beside the diploma */
            return 0;
        }
        if (m > 0 && (not_a_length(f, p, k, days) || !near_experience(f, p)))
            m = 0;
        if (m > 0 && m <= CM_EXPERIENCE_MAX) {
            *months = m;
            return 0;
        }
        p += n;
    }
    return 0;
}

/* A sentence that denies something else than experience is read from the clause that speaks
 * of it: "Un diplôme n'est pas exigé mais une expérience d'un an est obligatoire", "Pas de
 * diplôme demandé, une première expérience avec des enfants est indispensable" (a helper's
 * probe: both read as beginners welcome). */
static int experience_said(void *arg, const char *f, const char *raw)
{
    if (!cm__ft_says_no(f) || !cm__ft_has_words(f, "experience"))
        return experience_sentence(arg, f);
    const char *but = strstr(f, " mais ");
    if (but) { /* the side that speaks of experience ("Une expérience de 2 ans est exigée, mais
                * le diplôme n'est pas obligatoire": the first) */
        const char *xp = strstr(f, " experience");
        if (xp && xp < but)
            return cm__ft_head(arg, f, but, experience_sentence);
        return experience_sentence(arg, but + 5);
    }
    return cm__ft_each_clause(raw, experience_sentence, arg);
}

int cm__ft_experience(const cJSON *ft, cJSON *o, cm__ft_ctx_t *c)
{
    const char *ex = cm__ft_get_str(ft, "experienceExige");
    const char *lib = cm__ft_get_str(ft, "experienceLibelle");
    const char *level = !ex                    ? NULL
                        : strcmp(ex, "D") == 0 ? "beginner_ok"
                        : strcmp(ex, "S") == 0 ? "wanted"
                        : strcmp(ex, "E") == 0 ? "required"
                                               : NULL;
    if (ex && !level) {
        cm__ft_find(c, CM_FT_LOST, "experience_unreadable", "experienceExige", ex, "not D, S or E");
        return 0;
    }
    long months = 0;
    if (lib) {
        char *f = cm__ft_fold(lib);
        if (!f)
            return CM_ENOMEM;
        const char *p = f;
        while (*p && !isdigit((unsigned char)*p))
            p++;
        if (*p) {
            char *end;
            long n = strtol(p, &end, 10);
            if (n < 0 || n > CM_EXPERIENCE_MAX) /* no product overflows */
                n = 0;
            if (strncmp(end, " an", 3) == 0 || strncmp(end, " annee", 6) == 0)
                months = n * 12;
            else if (strncmp(end, " mois", 5) == 0)
                months = n;
            if (months <= 0 || months > CM_EXPERIENCE_MAX) {
                months = 0;
                cm__ft_find(c, CM_FT_LOST, "experience_unreadable", "experienceLibelle", lib,
                            "no length of experience found");
            }
        } else if (!cm__ft_has_words(f, "debutant accepte")) {
            cm__ft_find(c, CM_FT_LOST, "experience_unreadable", "experienceLibelle", lib,
                        "no length of experience found");
        }
        free(f);
    }
    /* "Débutant accepté" in the field, a length asked in the text (a helper's probe: the
     * beginner was sent to an employer who asks for two years): the text's requirement */
    const char *desc = cm__ft_get_str(ft, "description");
    bool wanted_no_length = level && strcmp(level, "wanted") == 0 && !months;
    if ((!level || strcmp(level, "beginner_ok") == 0 || wanted_no_length) && desc) {
        xp_said_t said = {0, 0, wanted_no_length, false};
        int rc = cm__ft_each_sentence_raw(desc, experience_said, &said);
        if (rc)
            return rc;
        long asked = wanted_no_length ? 0 : said.months;
        long wished = said.wished ? said.wished : wanted_no_length ? said.months : 0;
        if (!asked && wished) { /* the text's wish (or the field's), with its months: wanted */
            level = "wanted";
            months = wished;
            cm__ft_find(c, CM_FT_GUESS, "experience_from_text", "description", NULL,
                        "the text gives %ld months of experience, wished: wanted", wished);
        }
        if (!asked && !wished && said.demands && !wanted_no_length) {
            level = "required";
            cm__ft_find(c, CM_FT_GUESS, "experience_from_text", "description", NULL,
                        "%s, but the text demands experience (no length): required",
                        ex ? "experienceExige D (beginner accepted)" : "no experienceExige");
        }
        if (asked) {
            level = "required";
            months = asked;
            cm__ft_find(c, CM_FT_GUESS, "experience_from_text", "description", NULL,
                        "%s, but the text asks for %ld months of experience: required",
                        ex ? "experienceExige D (beginner accepted)" : "no experienceExige", asked);
        }
    }
    if (!level)
        return 0;
    cJSON *x = cJSON_AddObjectToObject(o, "experience");
    if (!x || !cJSON_AddStringToObject(x, "level", level) ||
        (months && !cJSON_AddNumberToObject(x, "months", (double)months)))
        return CM_ENOMEM;
    return 0;
}
