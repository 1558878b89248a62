/* Reading France Travail's free text: French folded for pattern matching, sentence by sentence,
 * and the diplomas an offer names (required or wanted, alone or as alternatives). Used by the
 * mapper (francetravail.c, ft_fields.c, ft_kind.c through ft_internal.h). */
#include "ft_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carematch/error.h"
#include "carematch/record.h"

/* Does the folded out[0, o) end with a time ("19h", "6h30")? */
static bool time_before(const char *out, size_t o)
{
    if (o > 0 && out[o - 1] == ' ') /* "21h00 - 07h00" */
        o--;
    size_t b = o;
    while (b > 0 && out[b - 1] != ' ')
        b--;
    size_t k = b, d = 0;
    while (k < o && isdigit((unsigned char)out[k]))
        k++, d++;
    if (d < 1 || d > 2 || k >= o || out[k] != 'h')
        return false;
    for (k++, d = 0; k < o && isdigit((unsigned char)out[k]); k++)
        d++;
    return k == o && (d == 0 || d == 2);
}

/* Does s start with a time ("7h", "07H00")? */
static bool time_at(const char *s)
{
    while (*s == ' ')
        s++;
    int d = 0;
    while (isdigit((unsigned char)s[d]))
        d++;
    return d >= 1 && d <= 2 &&
           (s[d] == 'h' || s[d] == 'H' ||
            (s[d] == ':' && isdigit((unsigned char)s[d + 1]) && isdigit((unsigned char)s[d + 2])));
}

/* A French number in words that ends at the folded word before `end` ("vingt huit ", "sept "),
 * 1 to 59; its value and where it starts, or 0. */
static int number_before(const char *f, const char *end, const char **start)
{
    static const char *const units[] = {"",      "un",     "deux",     "trois",  "quatre", "cinq",
                                        "six",   "sept",   "huit",     "neuf",   "dix",    "onze",
                                        "douze", "treize", "quatorze", "quinze", "seize",  NULL};
    static const char *const tens[] = {"vingt", "trente", "quarante", "cinquante", NULL};
    const char *w[3];
    size_t l[3];
    int nw = 0;
    const char *p = end; /* end points at the space after the last word */
    while (nw < 3 && p > f) {
        const char *e = p, *b = p;
        while (b > f && b[-1] != ' ')
            b--;
        if (b == e)
            break;
        w[nw] = b;
        l[nw] = (size_t)(e - b);
        nw++;
        p = b - 1;
    }
    /* w[0] is the last word; try the longest reading that ends there */
    for (int k = nw; k >= 1; k--) {
        int v = 0, ten = -1;
        bool ok = true;
        for (int j = k - 1; j >= 0 && ok; j--) { /* from the first word to the last */
            int u = -1;
            for (int i = 1; units[i]; i++)
                if (strlen(units[i]) == l[j] && strncmp(w[j], units[i], l[j]) == 0)
                    u = i;
            if (l[j] == 3 && strncmp(w[j], "une", 3) == 0)
                u = 1;
            int t = -1;
            for (int i = 0; tens[i]; i++)
                if (strlen(tens[i]) == l[j] && strncmp(w[j], tens[i], l[j]) == 0)
                    t = 20 + 10 * i;
            if (j == k - 1) { /* the first word: a ten, or a unit alone, or "dix" of dix-sept */
                if (t > 0)
                    v = ten = t;
                else if (u > 0)
                    v = u;
                else
                    ok = false;
            } else if (l[j] == 2 && strncmp(w[j], "et", 2) == 0 && ten > 0 && j > 0) {
                continue; /* "vingt et un" */
            } else if (u > 0 && u < 10 && (ten > 0 || v == 10) && v % 10 == 0) {
                v += u; /* "vingt huit", "dix sept" */
            } else {
                ok = false;
            }
        }
        if (ok && v >= 1 && v <= 59) {
            *start = w[k - 1];
            return v;
        }
    }
    return 0;
}

/* Hours said in words, written as times, in place: "7 heures" "7h", "de sept heures à treize
 * heures" "de 7h a 13h", "vingt-huit heures par semaine" "28h par semaine", "7 heures 30"
 * "7h30", "de 8h à midi" "de 8h a 12h" (adviser probe: France Travail's employers write them
 * so). */
static void hours_in_words(char *f)
{
    /* "7 h 30", "15 h": a time with spaces (helper probe: "de 7 h 30 à 15 h 30" was lost) */
    for (char *p = strstr(f, " h "); p; p = strstr(p + 1, " h ")) {
        if (p == f || !isdigit((unsigned char)p[-1]))
            continue;
        char *b = p;
        while (b > f && isdigit((unsigned char)b[-1]))
            b--;
        if (p - b > 2 || b == f || b[-1] != ' ')
            continue;
        bool mins = isdigit((unsigned char)p[3]) && isdigit((unsigned char)p[4]) && p[5] == ' ' &&
                    (p[3] - '0') * 10 + (p[4] - '0') < 60;
        memmove(p, p + 1, strlen(p + 1) + 1); /* "7h 30" */
        if (mins)
            memmove(p + 1, p + 2, strlen(p + 2) + 1); /* "7h30" */
    }
    for (char *p = strstr(f, " heure"); p; p = strstr(p + 1, " heure")) {
        size_t wl = strncmp(p, " heures ", 8) == 0 ? 7 : strncmp(p, " heure ", 7) == 0 ? 6 : 0;
        if (!wl || p == f)
            continue;
        char *b = p; /* the number's first character */
        char num[8];
        int v = 0;
        if (isdigit((unsigned char)p[-1])) {
            while (b > f && isdigit((unsigned char)b[-1]))
                b--;
            if (p - b > 2 || (b > f && b[-1] != ' '))
                continue;
            v = atoi(b);
        } else {
            const char *st;
            v = number_before(f, p, &st);
            b = (char *)st;
        }
        if (v < 1 || v > 59)
            continue;
        static const struct {
            const char *w;
            int m;
        } mins[] = {{" trente ", 30},   {" quinze ", 15},  {" quarante cinq ", 45},
                    {" et demie ", 30}, {" et demi ", 30}, {" et quart ", 15}};
        char *rest = p + wl; /* the space after "heure(s)" */
        int mn = -1;
        if (rest[0] == ' ' && isdigit((unsigned char)rest[1]) && isdigit((unsigned char)rest[2]) &&
            rest[3] == ' ' && (rest[1] - '0') * 10 + (rest[2] - '0') < 60) {
            mn = (rest[1] - '0') * 10 + (rest[2] - '0'); /* "7 heures 30" */
            rest += 3;
        }
        for (size_t i = 0; mn < 0 && i < sizeof mins / sizeof mins[0]; i++)
            if (strncmp(rest, mins[i].w, strlen(mins[i].w)) == 0) {
                mn = mins[i].m; /* "treize heures trente" */
                rest += strlen(mins[i].w) - 1;
            }
        int nl = mn >= 0 ? snprintf(num, sizeof num, "%dh%02d", v, mn)
                         : snprintf(num, sizeof num, "%dh", v);
        memmove(b + nl, rest, strlen(rest) + 1);
        memcpy(b, num, (size_t)nl);
        p = b;
    }
    /* "de 8h à midi": noon as a span's end, after a time only (not "le repas de midi") */
    for (char *q = strstr(f, " a midi "); q; q = strstr(q + 1, " a midi "))
        if (time_before(f, (size_t)(q - f) + 1)) {
            memcpy(q, " a 12h", 6);
            memmove(q + 6, q + 7, strlen(q + 7) + 1);
        }
}

/* "DE AES", "DE AS" in capitals: the diploma (Diplôme d'État), read "deaes" (lower-case "de
 * AS" is French for "of aides-soignants" and stays apart). s points after "DE ". */
static bool de_acronym(const char *s)
{
    static const char *const acr[] = {"AES",  "AS",  "AP",   "EJE", "ES",  "ME",
                                      "TISF", "ASS", "CESF", "AMP", "AVS", NULL};
    size_t k = 0;
    while (s[k] >= 'A' && s[k] <= 'Z')
        k++;
    if (k < 2 || isalnum((unsigned char)s[k]))
        return false;
    for (int i = 0; acr[i]; i++)
        if (strlen(acr[i]) == k && strncmp(s, acr[i], k) == 0)
            return true;
    return false;
}

/* Lower-case ASCII folding of French text for pattern matching: accents dropped, hyphens and
 * apostrophes (’ too) become spaces, gender marks like "(e)" or "(trice)" removed, spaces
 * collapsed, a star between digits an x ("3*8" is "3x8"), "/" and "%" words of their own,
 * "DE AES" in capitals one word ("deaes"); a dash between two times ("19h-7h") reads
 * "19h a 7h"; hours in words are times ("sept heures trente" "7h30", "28 heures" "28h").
 * Returns a malloc'd string with a leading and trailing space, or NULL. */
char *cm__ft_fold(const char *s)
{
    size_t n = strlen(s);
    char *out = malloc(2 * n + 3); /* "/" may become " / " */
    if (!out)
        return NULL;
    size_t o = 0;
    out[o++] = ' ';
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char f;
        if (c == 'D' && i + 3 < n && s[i + 1] == 'E' && s[i + 2] == ' ' &&
            (i == 0 || !isalnum((unsigned char)s[i - 1])) && de_acronym(s + i + 3)) {
            out[o++] = 'd'; /* "DE AES" is "deaes" */
            out[o++] = 'e';
            i += 2;
            continue;
        }
        if (c == '(' && i > 0 &&
            (isalpha((unsigned char)s[i - 1]) || (unsigned char)s[i - 1] >= 0x80)) {
            /* after a letter, accented too: "diplômé(e)" */
            size_t j = i + 1;
            while (j < n && j - i <= 6 &&
                   (isalpha((unsigned char)s[j]) || (unsigned char)s[j] >= 0x80))
                j++;
            if (j < n && s[j] == ')' && j > i + 1) {
                i = j;
                continue;
            }
        }
        if (c == '-' && time_before(out, o) && time_at(s + i + 1)) {
            /* "19h-7h": a span of hours, said "19h a 7h" as "de 19h à 7h" is */
            if (out[o - 1] == ' ')
                o--;
            memcpy(out + o, " a", 2);
            o += 2;
            f = ' ';
        } else if (c == ':' && o > 0 && isdigit((unsigned char)out[o - 1]) && i + 2 < n &&
                   isdigit((unsigned char)s[i + 1]) && isdigit((unsigned char)s[i + 2]) &&
                   time_at(s + i - (i >= 2 && isdigit((unsigned char)s[i - 2]) ? 2 : 1))) {
            f = 'h'; /* "21:00" is "21h00" */
        } else if (c < 0x80) {
            f = isalnum(c) ? (char)tolower(c) : ' ';
            if (c == '+')
                f = (char)c;
            if (c == '*' && o > 0 && isdigit((unsigned char)out[o - 1]) && i + 1 < n &&
                isdigit((unsigned char)s[i + 1]))
                f = 'x';    /* "3*8", "2*12h": the rotas' 3x8 and 2x12h */
            if (c == '/' || c == '%') { /* a word of its own: "CAP PE/AEPE", "24H/semaine",
                                         * "80%" */
                if (out[o - 1] != ' ')
                    out[o++] = ' ';
                out[o++] = (char)c;
                f = ' ';
            }
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
        } else if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
                   (unsigned char)s[i + 2] == 0x93 && time_before(out, o) && time_at(s + i + 3)) {
            i += 2; /* "19h–7h", an en dash */
            memcpy(out + o, " a", 2);
            o += 2;
            f = ' ';
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
    hours_in_words(out);
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

bool cm__ft_has_any(const char *hay, const char *const *phrases)
{
    for (int k = 0; phrases[k]; k++)
        if (cm__ft_has_words(hay, phrases[k]))
            return true;
    return false;
}

/* Is the word of f[b, e) one of words? */
static bool word_in(const char *f, size_t b, size_t e, const char *const *words)
{
    for (int k = 0; words[k]; k++)
        if (strlen(words[k]) == e - b && memcmp(f + b, words[k], e - b) == 0)
            return true;
    return false;
}

/* Is the word that starts at f + at (folded text) negated by the word before it ("non
 * exigé", "n'est pas obligatoire", "jamais requis"), or by the one before an adverb ("pas
 * forcément exigé")? "Permis B et non-fumeur exigé" is not negated. */
static bool negated_at(const char *f, size_t at)
{
    static const char *const neg[] = {"non", "pas", "jamais", "nullement", NULL};
    static const char *const adverb[] = {"forcement",   "obligatoirement", "necessairement",
                                         "strictement", "absolument",      NULL};
    size_t end = at; /* f[at - 1] is the space before the word */
    for (int back = 0; back < 2 && end > 1; back++) {
        size_t e = end - 1, b = e; /* the previous word is f[b, e) */
        while (b > 0 && f[b - 1] != ' ')
            b--;
        if (b == e)
            return false;
        if (word_in(f, b, e, neg))
            return true;
        if (!word_in(f, b, e, adverb))
            return false;
        end = b;
    }
    return false;
}

/* Does folded text f ask for something: a word of requirement ("exigé", "obligatoire",
 * "indispensable", "requis"...) that no "non" or "pas" just before it takes back? */
bool cm__ft_says_required(const char *f)
{
    static const char *const words[] = {"exige",
                                        "exigee",
                                        "exiges",
                                        "exigees",
                                        "obligatoire",
                                        "obligatoires",
                                        "obligatoirement",
                                        "indispensable",
                                        "indispensables",
                                        "requis",
                                        "requise",
                                        "requises",
                                        "imperatif",
                                        "imperative",
                                        "imperatifs",
                                        "imperatives",
                                        "necessaire",
                                        "necessaires",
                                        "devez",
                                        "devrez",
                                        "necessite",
                                        "necessitant",
                                        NULL};
    for (int k = 0; words[k]; k++) {
        char pat[40];
        snprintf(pat, sizeof pat, " %s ", words[k]);
        for (const char *p = strstr(f, pat); p; p = strstr(p + 1, pat))
            if (!negated_at(f, (size_t)(p - f) + 1))
                return true;
    }
    return false;
}

bool cm__ft_says_no(const char *f)
{
    static const char *const words[] = {"pas",    "sans", "aucun", "aucune",
                                        "jamais", "ni",   "hors",  NULL};
    if (cm__ft_has_any(f, words))
        return true;
    /* the answer of a form: "Travail de nuit : non", a last word "non" */
    size_t n = strlen(f);
    while (n > 0 && f[n - 1] == ' ')
        n--;
    return n >= 3 && memcmp(f + n - 3, "non", 3) == 0 && (n == 3 || f[n - 4] == ' ');
}

/* Bytes up to the end of the sentence that starts at s: a "." ends it, but for the points of
 * an acronym ("D.E.A.S.", "D.E.A.S exigé": a letter alone before it, and a letter right after
 * it or a point before that letter) and of a decimal number ("17.5H"); "\n", ";", "!" and "?"
 * always do. "21 h. Pas de week-end" is two sentences. */
static size_t sentence_len(const char *s)
{
    size_t n = 0;
    for (;;) {
        n += strcspn(s + n, ".\n;!?");
        if (s[n] != '.')
            return n;
        const unsigned char *u = (const unsigned char *)s;
        bool lone_letter = n > 0 && isalpha(u[n - 1]) && (n == 1 || !isalnum(u[n - 2])) &&
                           (isalpha(u[n + 1]) || (n >= 2 && u[n - 2] == '.'));
        bool decimal = n > 0 && isdigit(u[n - 1]) && isdigit(u[n + 1]);
        if (!lone_letter && !decimal)
            return n;
        n++;
    }
}

int cm__ft_each_sentence(const char *text, int (*fn)(void *arg, const char *folded), void *arg)
{
    const char *s = text;
    while (*s) {
        size_t n = sentence_len(s);
        char *sent = malloc(n + 1);
        if (!sent)
            return CM_ENOMEM;
        memcpy(sent, s, n);
        sent[n] = '\0';
        char *f = cm__ft_fold(sent);
        free(sent);
        if (!f)
            return CM_ENOMEM;
        int rc = fn(arg, f);
        free(f);
        if (rc)
            return rc;
        s += n;
        if (*s)
            s++;
    }
    return 0;
}

int cm__ft_each_text(const cJSON *v, int (*fn)(void *arg, const char *folded), void *arg)
{
    if (cJSON_IsString(v))
        return cm__ft_each_sentence(v->valuestring, fn, arg);
    const cJSON *it, *arr = cJSON_IsArray(v) ? v : NULL;
    cJSON_ArrayForEach(it, arr)
    {
        int rc = cJSON_IsString(it) ? cm__ft_each_sentence(it->valuestring, fn, arg) : 0;
        if (rc)
            return rc;
    }
    return 0;
}

/* ---- certifications ---- */

typedef struct cert_pat {
    const char *code;
    const char *any[24];      /* recognised anywhere (acronyms, full diploma names) */
    const char *formation[4]; /* recognised only in a formations[] entry (a job's name) */
} cert_pat_t;

/* Job names ("aide-soignant", "accompagnant éducatif et social") say a diploma only inside a
 * formations[] entry; elsewhere they name the job, so text needs an acronym or the diploma's
 * own wording. "Diplôme (d')assistant de vie" is the titre professionnel "Assistant de vie",
 * renamed "Assistant de vie aux familles" (ADVF) in 2003: TP_ADVF, not DEAVS (that one is
 * "auxiliaire de vie sociale"). BEP CSS (carrières sanitaires et sociales) and BEP ASSP (its
 * successor, taken during the bac pro ASSP) stay codes of their own: the referential has no
 * equivalence for them. */
#define ADVF_OLD_NAME 1 /* index of the old "assistant de vie" wording in TP_ADVF's any[] */
static const cert_pat_t cert_pats[] = {
    {"DEAS",
     {"deas",
      "diplome d etat d aide soignant",
      "diplome d aide soignant",
      "diplome d etat aide soignant",
      "dpas",
      "d e a s",
      "de d aide soignant",
      "de aide soignant",
      "de d aide soignante",
      "de aide soignante",
      "diplome d etat d aide soignante",
      "aide soignant diplome d etat",
      "aide soignante diplomee d etat",
      "aide soignant diplome",
      "aide soignante diplomee",
      "diplome d aide soignante",
      "diplome as",
      "diplome d as",
      "as diplome",
      "as diplomee",
      "ou d aide soignant",
      "ou d aide soignante",
      NULL},
     {"aide soignant", "aide soignante", NULL}},
    {"DEAES",
     {"deaes", "diplome d etat d accompagnant educatif et social", "d e a e s", "de d aes",
      "de d accompagnant educatif et social", "de d accompagnante educative et sociale",
      "diplome d etat d accompagnante educative et sociale", "aes diplome", "aes diplomee",
      "accompagnant educatif et social diplome", "accompagnante educative et sociale diplomee",
      "diplome d aes", "diplome aes", "ou d aes", "diplome d accompagnant educatif et social",
      "diplome d accompagnante educative et sociale", NULL},
     {"aes", "accompagnant educatif et social", "accompagnante educative et sociale", NULL}},
    {"DEAP",
     {"deap", "diplome d etat d auxiliaire de puericulture", "de d auxiliaire de puericulture",
      "auxiliaire de puericulture diplomee d etat", "auxiliaire de puericulture diplome d etat",
      "diplome d auxiliaire de puericulture", "ou d auxiliaire de puericulture",
      "auxiliaire de puericulture diplomee", "auxiliaire de puericulture diplome", NULL},
     {"auxiliaire de puericulture", "puericulture", NULL}},
    {"DEI",
     {"diplome d etat d infirmier", "diplome d etat infirmier", "ide diplome", "dei",
      "de d infirmier", "de d infirmiere", "infirmier diplome d etat", "infirmiere diplomee d etat",
      "de infirmier", "de infirmiere", "infirmier diplome", "infirmiere diplomee", "d e i", NULL},
     {"infirmier", "infirmiere", "soins infirmiers", NULL}},
    {"DEAMP",
     {"deamp", "diplome d etat d aide medico psychologique", "diplome d aide medico psychologique",
      "aide medico psychologique diplome", "aide medico psychologique diplomee", NULL},
     {"amp", "aide medico psychologique", NULL}},
    {"DEAVS",
     {"deavs", "diplome d etat d auxiliaire de vie sociale", "diplome d auxiliaire de vie sociale",
      "auxiliaire de vie sociale diplome", "auxiliaire de vie sociale diplomee", NULL},
     {"auxiliaire de vie sociale", NULL}},
    {"TP_ADVF",
     {"advf", "diplome assistant de vie", "diplome d assistant de vie",
      "titre professionnel assistant de vie", "tp assistant de vie", "titre assistant de vie",
      "assistant de vie aux familles diplome", "assistante de vie aux familles diplomee", NULL},
     {"assistant de vie aux familles", "assistante de vie aux familles", NULL}},
    {"TP_ASMS",
     {"asms", "titre professionnel agent de service medico social", NULL},
     {"agent de service medico social", NULL}},
    {"MCAD", {"mcad", "mention complementaire aide a domicile", NULL}, {NULL}},
    {"BEP_CSS",
     {"bep css", "bep carrieres sanitaires et sociales", NULL},
     {"carrieres sanitaires et sociales", NULL}}, /* the field, at CAP/BEP level (probe) */
    {"BEP_ASSP", {"bep assp", "bep accompagnement soins et services a la personne", NULL}, {NULL}},
    {"BAC_PRO_ASSP",
     {"bac pro assp", "bac professionnel assp", "bac pro ou bep assp",
      "accompagnement soins et services a la personne", NULL},
     {"assp", NULL}},
    {"CAP_AEPE",
     {"cap aepe", "aepe", "cap pe", "accompagnant educatif petite enfance", "cap petite enfance",
      NULL},
     {"petite enfance", NULL}},
    {"DEEJE",
     {"deeje", "de eje", "diplome d etat d educateur de jeunes enfants",
      "diplome d etat educateur de jeunes enfants", NULL},
     {"educateur de jeunes enfants", "eje", NULL}},
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

/* First-aid certificates come on top of a diploma, never instead of one. */
static bool groupable(size_t i)
{
    return strcmp(cert_pats[i].code, "SST") != 0 && strcmp(cert_pats[i].code, "PSC1") != 0;
}

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
        size_t na = sizeof cert_pats[i].any / sizeof cert_pats[i].any[0];
        for (size_t k = 0; !h && k < na && cert_pats[i].any[k]; k++) {
            h = cm__ft_has_words(folded, cert_pats[i].any[k]) ||
                (de && cm__ft_has_words(de, cert_pats[i].any[k]));
            if (h && strcmp(cert_pats[i].code, "TP_ADVF") == 0 &&
                (k == ADVF_OLD_NAME || k == ADVF_OLD_NAME + 1))
                cs->interpreted = true;
        }
        size_t nf = sizeof cert_pats[i].formation / sizeof cert_pats[i].formation[0];
        for (size_t k = 0; !h && formation_entry && k < nf && cert_pats[i].formation[k]; k++)
            h = cm__ft_has_words(folded, cert_pats[i].formation[k]);
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
        n += hit[i] && groupable(i) && cs->group[i] == 0;
    if (n < 2 || cs->groups >= CM_CERTS_MAX) /* the record's bound on group numbers */
        return;
    unsigned char g = ++cs->groups;
    for (size_t i = 0; i < CM__FT_CERTS; i++)
        if (hit[i] && groupable(i) && cs->group[i] == 0)
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
    static const char *const ctx[] = {"travaillez avec",
                                      "travaillerez avec",
                                      "en binome",
                                      "en lien avec",
                                      "aux cotes",
                                      "sous la responsabilite",
                                      "vae",
                                      "pas encore",
                                      "financee",
                                      "finance",
                                      "accompagnons",
                                      NULL};
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
 * d'État d'aide-soignant": a requirement, unless
 * the clause wishes ("titulaire du DEAS souhaité", "idéalement titulaire", "ou non"). */
static bool holder_required(const char *f)
{
    static const char *const wish[] = {"souhaite",      "souhaitee",  "souhaites", "apprecie",
                                       "appreciee",     "idealement", "ideal",     "un plus",
                                       "de preference", "ou non",     "bienvenu",  NULL};
    static const char *const holder[] = {
        "titulaire",          "titulaires",      "vous etes diplome",
        "vous etes diplomee", "etre diplome",    "etre diplomee",
        "etes diplome d",     "etes diplomee d", NULL};
    size_t n = strlen(f);
    /* "Vous êtes assistant(e) de vie aux familles diplômé(e)": the sentence's last word */
    bool job_held =
        cm__ft_has_words(f, "vous etes") && ((n >= 9 && strcmp(f + n - 9, " diplome ") == 0) ||
                                             (n >= 10 && strcmp(f + n - 10, " diplomee ") == 0));
    if (!job_held && !cm__ft_has_any(f, holder)) /* "Vous êtes diplômé(e) d'État d'aide-soignant" */
        return false;
    return !cm__ft_has_any(f, wish);
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
        if (before->state[i] == 2 && groupable(i) && !hit[i]) {
            alt[i] = true;
            olds++;
            if (before->group[i] && !g)
                g = before->group[i];
        }
    }
    if (!olds)
        return; /* nothing asked before: "ouvert aux titulaires du DEAES" is the requirement */
    for (size_t i = 0; i < CM__FT_CERTS; i++)
        alt[i] |= hit[i] && groupable(i);
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
                                    NULL};
    static const char *const students[] = {"etudiant",   "etudiante",    "etudiants", "etudiantes",
                                           "etudiant e", "etudiant e s", NULL};
    static const char *const taken[] = {"accepte",   "acceptee",    "acceptes",  "acceptees",
                                        "accepte e", "accepte e s", "bienvenus", "bienvenu e s",
                                        NULL}; /* not "possible": "stage possible pour étudiants" */
    return cm__ft_has_any(f, w) || (cm__ft_has_any(f, students) && cm__ft_has_any(f, taken));
}

static int certs_clause(certs_t *cs, const char *f)
{
    bool hit[CM__FT_CERTS] = {false};
    certs_t before = *cs;
    bool required = cm__ft_says_required(f) || holder_required(f);
    /* "DEAS exigé (ou en cours d'obtention)", "DEAES exigé (VAE en cours acceptée)",
     * "étudiants en soins infirmiers acceptés": the diploma is not a wall (a helper's probe:
     * students in their last year, people midway through a VAE were shut out) */
    if (cm__ft_in_progress(f)) {
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
                if (cs->state[i] == 2 && groupable(i)) {
                    cs->state[i] = 1;
                    cs->in_progress = true;
                }
        return 0;
    }
    bool prepared = !required && names_prepared(cs, f);
    if (!required && !prepared && names_without_asking(f))
        return 0;
    int n = cm__ft_match_certs(f, false, required || prepared, cs, hit);
    cs->prepared |= prepared && n > 0;
    if (n >= 1 && required && widens(f)) {
        widen_required(cs, &before, hit);
        return 0;
    }
    if (n >= 2 && (cm__ft_has_words(f, "ou") || strchr(f, '/') || cm__ft_has_words(f, "soit") ||
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

/* A sentence's clauses on either side of "mais" are read apart: "Le DEAES n'est pas exigé
 * mais le permis B est obligatoire" asks for the licence, not the diploma. */
static int certs_sentence(void *arg, const char *f)
{
    certs_t *cs = arg;
    const char *m = strstr(f, " mais ");
    if (!m)
        return certs_clause(cs, f);
    size_t n = (size_t)(m - f) + 1; /* f[0, n) keeps its trailing space */
    char *head = malloc(n + 1);
    if (!head)
        return CM_ENOMEM;
    memcpy(head, f, n);
    head[n] = '\0';
    int rc = certs_clause(cs, head);
    free(head);
    return rc ? rc : certs_sentence(cs, m + 5); /* from the space before the next word */
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

int cm__ft_certs_from_text(const char *text, certs_t *cs)
{
    return cm__ft_each_sentence(text, certs_sentence, cs);
}
