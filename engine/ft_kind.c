/* The employer kind of a France Travail offer: from its NAF code (the surest source, a table
 * below), else from words of its employer name, title and text, read so that a crèche offered
 * to the staff, "fam." for famille or "restauration hors foyer" mislead no more. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "ft_internal.h"

/* NAF rev. 2 subclasses of care employers (INSEE). `refine`: kinds the words of the name or
 * title may choose instead within the same family (a FAM is registered like a MAS, an SSIAD
 * like a home help service); "other" rows may be refined by any kind the words name. */
static const char *const k_mas_fam[] = {"mas", "fam", NULL};
static const char *const k_home[] = {"saad", "ssiad", NULL};
static const char *const k_foyer[] = {"foyer", "fam", "mas", NULL};
static const char *const k_hospital[] = {"ehpad", NULL}; /* an EHPAD run by a hospital */
static const char *const k_any[] = {"*", NULL};

static const struct naf_row {
    const char *code; /* without the dot */
    const char *kind;
    const char *label; /* INSEE label, folded */
    const char *const *refine;
} naf_rows[] = {
    {"8610Z", "hopital", "activites hospitalieres", k_hospital},
    {"8710A", "ehpad", "hebergement medicalise pour personnes agees", NULL},
    {"8710B", "ime", "hebergement medicalise pour enfants handicapes", NULL},
    {"8710C", "mas",
     "hebergement medicalise pour adultes handicapes et autre hebergement medicalise", k_mas_fam},
    {"8720A", "foyer", "hebergement social pour handicapes mentaux et malades mentaux", k_foyer},
    {"8720B", "foyer", "hebergement social pour toxicomanes", NULL},
    {"8730A", "foyer", "hebergement social pour personnes agees", NULL},
    {"8730B", "foyer", "hebergement social pour handicapes physiques", k_foyer},
    {"8790A", "foyer", "hebergement social pour enfants en difficultes", NULL},
    {"8790B", "foyer",
     "hebergement social pour adultes et familles en difficultes et autre hebergement social",
     NULL},
    {"8810A", "saad", "aide a domicile", k_home},
    {"8810B", "other",
     "accueil ou accompagnement sans hebergement d adultes handicapes ou de personnes agees",
     k_any},
    {"8810C", "esat", "aide par le travail", NULL},
    {"8891A", "creche", "accueil de jeunes enfants", NULL},
    {"8891B", "ime", "accueil ou accompagnement sans hebergement d enfants handicapes", NULL},
    {"8899A", "other",
     "autre accueil ou accompagnement sans hebergement d enfants et d adolescents", k_any},
    {"8899B", "other", "action sociale sans hebergement n c a", k_any},
};

/* "87.10A", "8710a", " 87.10 A" -> "8710A"; false when it is no NAF subclass. */
static bool naf_norm(const char *s, char out[6])
{
    size_t o = 0;
    for (; *s && o < 6; s++) {
        if (*s == '.' || *s == ' ')
            continue;
        out[o++] = (char)toupper((unsigned char)*s);
    }
    if (*s || o != 5)
        return false;
    out[5] = '\0';
    return true;
}

const char *cm__ft_kind_from_naf(const char *naf, const char *label, const char *const **refine)
{
    char code[6];
    *refine = NULL;
    bool coded = naf && naf_norm(naf, code);
    char *f = label ? cm__ft_fold(label) : NULL;
    for (size_t i = 0; i < sizeof naf_rows / sizeof naf_rows[0]; i++) {
        bool hit = coded ? strcmp(code, naf_rows[i].code) == 0 : false;
        if (!coded && f) { /* the label, whole: "Aide à domicile" but not "Boulangerie" */
            size_t n = strlen(naf_rows[i].label);
            hit = strlen(f) == n + 2 && memcmp(f + 1, naf_rows[i].label, n) == 0;
        }
        if (hit) {
            free(f);
            *refine = naf_rows[i].refine;
            return naf_rows[i].kind;
        }
    }
    free(f);
    return NULL;
}

bool cm__ft_naf_is_agency(const char *naf)
{
    char code[6];
    return naf && naf_norm(naf, code) && code[0] == '7' && code[1] == '8';
}

/* An acronym in capitals as a word of the original text, not an abbreviation ("FAM" yes,
 * "fam." or "Fam" no). */
static bool has_acronym(const char *text, const char *acr)
{
    size_t n = strlen(acr);
    for (const char *p = strstr(text, acr); p; p = strstr(p + 1, acr)) {
        bool left = p == text || !isalnum((unsigned char)p[-1]);
        bool right = !isalnum((unsigned char)p[n]) && p[n] != '.';
        if (left && right)
            return true;
    }
    return false;
}

/* Sentences where a crèche is a perk for the staff, not the employer: "places en crèche",
 * but not a house's size, "Multi-accueil de 60 places" (a helper's probe). */
static bool perk_context(const char *f)
{
    static const char *const w[] = {"avantage",    "avantages",    "entreprise",
                                    "berceau",     "berceaux",     "salaries",
                                    "vos enfants", "votre enfant", NULL};
    if (cm__ft_has_any(f, w))
        return true;
    for (const char *p = strstr(f, " place"); p; p = strstr(p + 1, " place")) {
        if (p[6] != ' ' && !(p[6] == 's' && p[7] == ' '))
            continue; /* "placement" */
        const char *q = p;
        while (q > f && q[-1] == ' ')
            q--;
        if (q == f || !isdigit((unsigned char)q[-1]))
            return true;
    }
    return false;
}

/* Sentences on the candidate's past ("Vous avez idéalement travaillé en EHPAD", "Expérience
 * souhaitée de 1 an en EHPAD"): the place named is where she worked, not the employer. */
static bool past_context(const char *f)
{
    static const char *const w[] = {"experience",
                                    "experiences",
                                    "avez travaille",
                                    "avez deja travaille",
                                    "avez idealement",
                                    "idealement travaille",
                                    "vous justifiez",
                                    "justifiez",
                                    "ayant travaille",
                                    "ayant exerce",
                                    NULL};
    return cm__ft_has_any(f, w);
}

typedef struct kind_words {
    const char *kind;
    const char *words[6];    /* folded words, any case */
    const char *acronyms[3]; /* in capitals only */
} kind_words_t;

static const kind_words_t kinds[] = {
    {"ehpad",
     {"ehpad", "maison de retraite", "hebergement medicalise pour personnes agees", NULL},
     {NULL}},
    {"ssiad", {"ssiad", "service de soins infirmiers a domicile", "spasad", NULL}, {NULL}},
    {"esat", {"esat", "aide par le travail", NULL}, {NULL}},
    {"ime", {"institut medico educatif", "sessad", NULL}, {"IME", NULL}},
    {"mas", {"maison d accueil specialisee", NULL}, {"MAS", NULL}},
    {"fam", {"foyer d accueil medicalise", NULL}, {"FAM", NULL}},
    {"creche",
     {"creche", "multi accueil", "halte garderie", "accueil de jeunes enfants", "micro creche",
      NULL},
     {NULL}},
    {"saad",
     {"saad", "admr", "aide a domicile", "service d aide", "services a la personne", NULL},
     {NULL}},
    /* not the bare word: "restauration hors foyer", "foyer fiscal" */
    {"foyer",
     {"foyer de vie", "foyer d hebergement", "foyer occupationnel", "foyer logement",
      "residence autonomie", "mecs"},
     {NULL}},
    {"hopital",
     {"hopital", "centre hospitalier", "clinique", "activites hospitalieres", NULL},
     {"CHU", NULL}},
};

typedef struct scan {
    const kind_words_t *k;
    bool description, hit;
} scan_t;

static int scan_sentence(void *arg, const char *f)
{
    scan_t *s = arg;
    if (s->description &&
        ((strcmp(s->k->kind, "creche") == 0 && perk_context(f)) || past_context(f)))
        return 0;
    for (int i = 0; i < 6 && s->k->words[i]; i++)
        if (cm__ft_has_words(f, s->k->words[i])) {
            s->hit = true;
            return 1;
        }
    return 0;
}

const char *cm__ft_kind_from_words(const char *text, bool description)
{
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        for (int a = 0; a < 3 && kinds[i].acronyms[a]; a++)
            if (has_acronym(text, kinds[i].acronyms[a]))
                return kinds[i].kind;
        scan_t s = {&kinds[i], description, false};
        if (cm__ft_each_sentence(text, scan_sentence, &s) < 0)
            return NULL;
        if (s.hit)
            return kinds[i].kind;
    }
    return NULL;
}

typedef struct workplace {
    const char *kind;
    bool hit;
} workplace_t;

/* "Notre EHPAD recrute", "au sein de l'EHPAD", "pour son EHPAD": the kind's words beside a
 * word that makes it the place of the job, not the candidate's past or a partner. */
static int workplace_sentence(void *arg, const char *f)
{
    static const char *const here[] = {"notre",       "nos",       "son",       "sa",
                                       "au sein",     "recrute",   "recrutons", "recherche",
                                       "recherchons", "poste",     "affecte",   "affectee",
                                       "rattache",    "rattachee", "pour l",    NULL};
    workplace_t *w = arg;
    if (past_context(f) || !cm__ft_has_any(f, here))
        return 0;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(kinds[i].kind, w->kind) == 0)
            for (int k = 0; k < 6 && kinds[i].words[k]; k++)
                if (cm__ft_has_words(f, kinds[i].words[k])) {
                    w->hit = true;
                    return 1;
                }
    return 0;
}

bool cm__ft_kind_is_workplace(const char *text, const char *kind)
{
    workplace_t w = {kind, false};
    return cm__ft_each_sentence(text, workplace_sentence, &w) >= 0 && w.hit;
}
