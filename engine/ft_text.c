/* Reading France Travail's free text: French folded for pattern matching, the diplomas an
 * offer names (required or wanted, sentence by sentence) and the employer kind its words say.
 * Used by francetravail.c (ft_text.h). */
#include "ft_text.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carematch/error.h"

/* Lower-case ASCII folding of French text for pattern matching: accents dropped, hyphens and
 * apostrophes (’ too) become spaces, gender marks like "(e)" or "(trice)" removed, spaces
 * collapsed. Returns a malloc'd string with a leading and trailing space, or NULL. */
char *cm__ft_fold(const char *s)
{
    size_t n = strlen(s);
    char *out = malloc(n + 3);
    if (!out)
        return NULL;
    size_t o = 0;
    out[o++] = ' ';
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char f;
        if (c == '(' && i > 0 && isalpha((unsigned char)s[i - 1])) {
            size_t j = i + 1;
            while (j < n && j - i <= 6 &&
                   (isalpha((unsigned char)s[j]) || (unsigned char)s[j] >= 0x80))
                j++;
            if (j < n && s[j] == ')' && j > i + 1) {
                i = j;
                continue;
            }
        }
        if (c < 0x80) {
            f = isalnum(c) ? (char)tolower(c) : ' ';
            if (c == '+' || c == '/')
                f = (char)c;
        } else if (c == 0xC3 && i + 1 < n) {
            unsigned char d = (unsigned char)s[++i] | 0x20; /* upper -> lower Latin-1 */
            if (d >= 0xA0 && d <= 0xA5)
                f = 'a';
            else if (d == 0xA7)
                f = 'c';
            else if (d >= 0xA8 && d <= 0xAB)
                f = 'e';
            else if (d >= 0xAC && d <= 0xAF)
                f = 'i';
            else if (d >= 0xB2 && d <= 0xB6)
                f = 'o';
            else if (d >= 0xB9 && d <= 0xBC)
                f = 'u';
            else
                f = ' ';
        } else if (c == 0xC5 && i + 1 < n &&
                   ((unsigned char)s[i + 1] == 0x93 || (unsigned char)s[i + 1] == 0x92)) {
            i++; /* œ Œ */
            out[o++] = 'o';
            f = 'e';
        } else {
            /* other multi-byte characters (’ « » ...): skip continuation bytes */
            while (i + 1 < n && ((unsigned char)s[i + 1] & 0xC0) == 0x80)
                i++;
            f = ' ';
        }
        if (f == ' ' && out[o - 1] == ' ')
            continue;
        out[o++] = f;
    }
    if (out[o - 1] != ' ')
        out[o++] = ' ';
    out[o] = '\0';
    return out;
}

/* Does folded text `hay` contain `needle` as whole words? Both are folded, so a leading and
 * trailing space on the needle marks the word boundaries. */
bool cm__ft_has_words(const char *hay, const char *needle)
{
    char pat[128];
    snprintf(pat, sizeof pat, " %s ", needle);
    return strstr(hay, pat) != NULL;
}

/* ---- certifications ---- */

typedef struct cert_pat {
    const char *code;
    const char *any[6];       /* recognised anywhere (acronyms, full diploma names) */
    const char *formation[4]; /* recognised only in a formations[] entry (a job's name) */
} cert_pat_t;

/* Job names ("aide-soignant", "accompagnant éducatif et social") say a diploma only inside a
 * formations[] entry; elsewhere they name the job, so text needs an acronym or the diploma's
 * own wording. */
static const cert_pat_t cert_pats[] = {
    {"DEAS",
     {"deas", "diplome d etat d aide soignant", "diplome d aide soignant",
      "diplome d etat aide soignant", NULL},
     {"aide soignant", "aide soignante", NULL}},
    {"DEAES",
     {"deaes", "diplome d etat d accompagnant educatif et social", NULL},
     {"aes", "accompagnant educatif et social", "accompagnante educative et sociale", NULL}},
    {"DEAP",
     {"deap", "diplome d etat d auxiliaire de puericulture", NULL},
     {"auxiliaire de puericulture", "puericulture", NULL}},
    {"DEI",
     {"diplome d etat d infirmier", "diplome d etat infirmier", "ide diplome", NULL},
     {"infirmier", "infirmiere", "soins infirmiers", NULL}},
    {"DEAMP",
     {"deamp", "diplome d etat d aide medico psychologique", NULL},
     {"amp", "aide medico psychologique", NULL}},
    {"DEAVS",
     {"deavs", "diplome d etat d auxiliaire de vie sociale", NULL},
     {"auxiliaire de vie sociale", NULL}},
    {"TP_ADVF",
     {"advf", "titre professionnel assistant de vie", "tp assistant de vie", NULL},
     {"assistant de vie aux familles", "assistante de vie aux familles", NULL}},
    {"TP_ASMS",
     {"asms", "titre professionnel agent de service medico social", NULL},
     {"agent de service medico social", NULL}},
    {"MCAD", {"mcad", "mention complementaire aide a domicile", NULL}, {NULL}},
    {"BEP_CSS", {"bep css", "bep carrieres sanitaires et sociales", NULL}, {NULL}},
    {"BAC_PRO_ASSP",
     {"bac pro assp", "accompagnement soins et services a la personne", NULL},
     {"assp", NULL}},
    {"CAP_AEPE",
     {"cap aepe", "accompagnant educatif petite enfance", "cap petite enfance", NULL},
     {"aepe", "petite enfance", NULL}},
    {"DEES",
     {"dees", "diplome d etat d educateur specialise", NULL},
     {"educateur specialise", NULL}},
    {"DEME", {"deme", "diplome d etat de moniteur educateur", NULL}, {"moniteur educateur", NULL}},
    {"DETISF",
     {"detisf", "diplome d etat de technicien de l intervention sociale et familiale", NULL},
     {"tisf", "technicien de l intervention sociale et familiale", NULL}},
    {"BPJEPS", {"bpjeps", NULL}, {NULL}},
    {"SST", {"sst", "sauveteur secouriste du travail", NULL}, {NULL}},
    {"PSC1", {"psc1", "prevention et secours civiques", NULL}, {NULL}},
};
_Static_assert(sizeof cert_pats / sizeof cert_pats[0] == CM__FT_CERTS,
               "CM__FT_CERTS is the number of cert_pats");

const char *cm__ft_cert_code(size_t i)
{
    return cert_pats[i].code;
}

/* Codes recognised in folded text; returns how many. */
int cm__ft_match_certs(const char *folded, bool formation_entry, bool required, certs_t *cs)
{
    int found = 0;
    for (size_t i = 0; i < CM__FT_CERTS; i++) {
        bool hit = false;
        for (int k = 0; !hit && k < 6 && cert_pats[i].any[k]; k++)
            hit = cm__ft_has_words(folded, cert_pats[i].any[k]);
        for (int k = 0; !hit && formation_entry && k < 4 && cert_pats[i].formation[k]; k++)
            hit = cm__ft_has_words(folded, cert_pats[i].formation[k]);
        if (hit) {
            found++;
            int st = required ? 2 : 1;
            if (cs->state[i] < st)
                cs->state[i] = (signed char)st;
        }
    }
    return found;
}

static bool sentence_requires(const char *folded)
{
    return cm__ft_has_words(folded, "exige") || cm__ft_has_words(folded, "exigee") ||
           cm__ft_has_words(folded, "obligatoire") || cm__ft_has_words(folded, "indispensable") ||
           cm__ft_has_words(folded, "requis") || cm__ft_has_words(folded, "imperatif");
}

/* Certifications named in free text, sentence by sentence: required when the sentence says
 * so, wanted otherwise. */
int cm__ft_certs_from_text(const char *text, certs_t *cs)
{
    const char *s = text;
    while (*s) {
        size_t n = strcspn(s, ".\n;!");
        char *sent = malloc(n + 1);
        if (!sent)
            return CM_ENOMEM;
        memcpy(sent, s, n);
        sent[n] = '\0';
        char *f = cm__ft_fold(sent);
        free(sent);
        if (!f)
            return CM_ENOMEM;
        cm__ft_match_certs(f, false, sentence_requires(f), cs);
        free(f);
        s += n;
        if (*s)
            s++;
    }
    return 0;
}

/* ---- employer kind ---- */

const char *cm__ft_guess_kind(const char *folded)
{
    static const struct {
        const char *kind;
        const char *words[6];
    } kinds[] = {
        {"ehpad",
         {"ehpad", "maison de retraite", "hebergement medicalise pour personnes agees",
          "residence autonomie", NULL}},
        {"ssiad", {"ssiad", "service de soins infirmiers a domicile", "spasad", NULL}},
        {"esat", {"esat", "aide par le travail", NULL}},
        {"ime", {"ime", "institut medico educatif", NULL}},
        {"mas", {"mas", "maison d accueil specialisee", NULL}},
        {"fam", {"fam", "foyer d accueil medicalise", NULL}},
        {"creche",
         {"creche", "multi accueil", "halte garderie", "accueil de jeunes enfants", NULL}},
        {"saad",
         {"saad", "admr", "aide a domicile", "service d aide", "services a la personne", NULL}},
        {"foyer", {"foyer de vie", "foyer d hebergement", "foyer", NULL}},
        {"hopital",
         {"hopital", "centre hospitalier", "chu", "clinique", "activites hospitalieres", NULL}},
    };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        for (int k = 0; k < 6 && kinds[i].words[k]; k++)
            if (cm__ft_has_words(folded, kinds[i].words[k]))
                return kinds[i].kind;
    return NULL;
}
