/* Reading France Travail's free text: French folded for pattern matching, sentence by sentence.
 * Used by the mapper (francetravail.c, ft_fields.c, ft_kind.c, ft_certs.c through
 * ft_internal.h). */
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

/* Past the time s starts with ("14h", "6h45", "14:00", after spaces), or NULL. */
static const char *time_end(const char *s)
{
    while (*s == ' ')
        s++;
    int d = 0;
    while (isdigit((unsigned char)s[d]))
        d++;
    if (d < 1 || d > 2)
        return NULL;
    if (s[d] == ':')
        return isdigit((unsigned char)s[d + 1]) && isdigit((unsigned char)s[d + 2]) ? s + d + 3
                                                                                    : NULL;
    if (s[d] != 'h' && s[d] != 'H')
        return NULL;
    s += d + 1;
    int m = 0;
    while (isdigit((unsigned char)s[m]))
        m++;
    return m == 0 || m == 2 ? s + m : NULL;
}

/* Does s start with two times joined by a slash ("14h/21h"), the second not a dash span's
 * start ("12h / 17h-20h": two spans, the slash between them)? */
static bool slash_pair_at(const char *s)
{
    const char *e = time_end(s);
    if (!e)
        return false;
    e += strspn(e, " ");
    if (*e != '/' || !(e = time_end(e + 1)))
        return false;
    e += strspn(e, " ");
    return *e != '-' && (unsigned char)*e != 0xE2 && (unsigned char)*e != 0xC3; /* "–", "à" */
}

/* After the time next starts with, another pair of times joined by a slash, past "-", "/",
 * "ou" or "et": a rota written with slashes ("7h/14h - 14h/21h", "7h/14h ou 14h/21h"). */
static bool rota_follows(const char *next)
{
    const char *e = time_end(next);
    if (!e)
        return false;
    e += strspn(e, " ");
    if (*e == '-' || *e == '/')
        e++;
    else if ((e[0] == 'o' && e[1] == 'u' && e[2] == ' ') ||
             (e[0] == 'e' && e[1] == 't' && e[2] == ' '))
        e += 2;
    else
        return false;
    return slash_pair_at(e);
}

/* Does the folded out[0, b) end with a span and a rota's separator ("7h a 14h / ", "7h a 14h ou
 * ")? */
static bool rota_before(const char *out, size_t b)
{
    if (b < 2 || out[b - 1] != ' ')
        return false;
    size_t e = b - 1, w = e;
    while (w > 0 && out[w - 1] != ' ')
        w--;
    if (!((e - w == 1 && out[w] == '/') || (e - w == 2 && memcmp(out + w, "ou", 2) == 0) ||
          (e - w == 2 && memcmp(out + w, "et", 2) == 0)))
        return false;
    if (!time_before(out, w))
        return false;
    size_t t = w - 1;
    while (t > 0 && out[t - 1] != ' ')
        t--;
    return t >= 3 && memcmp(out + t - 3, " a ", 3) == 0;
}

/* "21h/7h", "21h00/07h00": a night's span written with a slash, the evening's hour before
 * it, the morning's after; "7h/19h", a 12-hour day's (a helper's probe read both as plain
 * day work); "7h/14h" a span only in a rota ("7h/14h - 14h/21h": two shifts, an adviser
 * probe read them as day work), else two times. */
static bool span_slash(const char *out, size_t o, const char *next)
{
    size_t b = o;
    while (b > 0 && out[b - 1] != ' ')
        b--;
    int from = atoi(out + b), to = atoi(next + strspn(next, " "));
    if ((from >= 18 && from <= 23 && to <= 9) || (from >= 5 && from <= 9 && to >= 17 && to <= 21))
        return true;
    int len = to > from ? to - from : to + 24 - from;
    return len >= 3 && len <= 13 && (rota_follows(next) || rota_before(out, b));
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
        if (c == '-' && time_before(out, o) && slash_pair_at(s + i + 1)) {
            /* between a rota's slashed shifts: "7h/14h - 14h/21h" */
            if (out[o - 1] != ' ')
                out[o++] = ' ';
            out[o++] = '/';
            f = ' ';
        } else if ((c == '-' || (c == '/' && span_slash(out, o, s + i + 1))) &&
                   time_before(out, o) && time_at(s + i + 1)) {
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

int cm__ft_word_count(const char *f)
{
    int n = 0;
    for (const char *p = f; *p; p++)
        n += *p != ' ' && (p == f || p[-1] == ' ');
    return n;
}

bool cm__ft_word_is(const char *w, size_t n, const char *const *words)
{
    for (int k = 0; words[k]; k++)
        if (strlen(words[k]) == n && memcmp(w, words[k], n) == 0)
            return true;
    return false;
}

/* Is the word of f[b, e) one of words? */
static bool word_in(const char *f, size_t b, size_t e, const char *const *words)
{
    return cm__ft_word_is(f + b, e - b, words);
}

/* Does a negation open the few words before f + at ("pas de BPJEPS exigé", "Aucun DEAES
 * requis", "pas de DEI requis": a helper's probe read them as asked)? Up to two words
 * between it and the requirement ("aucun diplôme spécifique exigé"), none of them "mais" or
 * a verb's "est" ("Pas de week-end, DEAS exigé" folds to one clause: the two words keep it
 * asked). */
static bool negation_opens(const char *f, size_t at)
{
    static const char *const opener[] = {"aucun", "aucune", "sans", NULL};
    static const char *const de[] = {"de", "d", "du", "des", NULL};
    static const char *const stop[] = {"mais", "est", "sont", "et", NULL};
    size_t end = at, words[6][2];
    int n = 0;
    while (n < 6 && end > 1) { /* the words before, nearest first */
        size_t e = end - 1, b = e;
        while (b > 0 && f[b - 1] != ' ')
            b--;
        if (b == e)
            break;
        words[n][0] = b;
        words[n][1] = e;
        n++;
        end = b;
    }
    for (int k = 1; k < n && k <= 2; k++) { /* k: the opener's place, 1..2 words after it */
        if (word_in(f, words[k - 1][0], words[k - 1][1], stop))
            return false;
        if (word_in(f, words[k][0], words[k][1], opener))
            return true;
        if (k + 1 < n && word_in(f, words[k][0], words[k][1], de) &&
            cm__ft_word_is(f + words[k + 1][0], words[k + 1][1] - words[k + 1][0],
                           (const char *const[]){"pas", NULL}))
            return true;
    }
    return false;
}

/* Is the word that starts at f + at (folded text) negated by the word before it ("non
 * exigé", "n'est pas obligatoire", "jamais requis"), or by the one before an adverb ("pas
 * forcément exigé"), or by a negation that opens its clause ("aucun DEAES requis")? "Permis B
 * et non-fumeur exigé" is not negated. */
static bool negated_at(const char *f, size_t at)
{
    if (negation_opens(f, at))
        return true;
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
    static const char *const words[] = {
        "exige", "exigee", "exiges", "exigees", "obligatoire", "obligatoires", "obligatoirement",
        "indispensable", "indispensables", "requis", "requise", "requises", "imperatif",
        "imperative", "imperatifs", "imperatives", "imperativement", "necessaire", "necessaires",
        "devez", "devrez", "necessite", "necessitant",
        /* "Prérequis : DEAS + attestation ASG" (a helper's probe: wished) */
        "prerequis", "pre requis",
        /* "Nous attendons de vous : DEAS ou équivalent" (a helper's probe: wished) */
        "attendons de vous", "attend de vous", NULL};
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
    size_t n = 0, seen = 0; /* brackets counted in s[0, seen) */
    int open = 0;
    for (;;) {
        n += strcspn(s + n, ".\n;!?");
        if (s[n] != '.')
            return n;
        const unsigned char *u = (const unsigned char *)s;
        bool lone_letter = n > 0 && isalpha(u[n - 1]) && (n == 1 || !isalnum(u[n - 2])) &&
                           (isalpha(u[n + 1]) || (n >= 2 && u[n - 2] == '.'));
        bool decimal = n > 0 && isdigit(u[n - 1]) && isdigit(u[n + 1]);
        /* inside brackets closed later on the line: "(DEAES, ADVF, BEP CSS...) ou justifiez
         * d'une expérience" is one sentence (a helper's probe cut it at the dots) */
        for (; seen < n; seen++)
            open += s[seen] == '(' ? 1 : s[seen] == ')' ? -1 : 0;
        size_t line = strcspn(s + n, "\n");
        const char *close = open > 0 ? memchr(s + n, ')', line) : NULL;
        if (!lone_letter && !decimal && !close)
            return n;
        n++;
    }
}

/* The n bytes at s as a string of their own (malloc'd), or NULL. */
static char *copy_n(const char *s, size_t n)
{
    char *c = malloc(n + 1);
    if (c) {
        memcpy(c, s, n);
        c[n] = '\0';
    }
    return c;
}

int cm__ft_each_sentence_raw(const char *text,
                             int (*fn)(void *arg, const char *folded, const char *raw), void *arg)
{
    const char *s = text;
    while (*s) {
        size_t n = sentence_len(s);
        char *sent = copy_n(s, n);
        if (!sent)
            return CM_ENOMEM;
        char *f = cm__ft_fold(sent);
        int rc = f ? fn(arg, f, sent) : CM_ENOMEM;
        free(sent);
        free(f);
        if (rc)
            return rc;
        s += n;
        if (*s)
            s++;
    }
    return 0;
}

typedef struct {
    int (*fn)(void *arg, const char *folded);
    void *arg;
} folded_only_t;

static int folded_only(void *arg, const char *folded, const char *raw)
{
    (void)raw;
    folded_only_t *t = arg;
    return t->fn(t->arg, folded);
}

int cm__ft_each_sentence(const char *text, int (*fn)(void *arg, const char *folded), void *arg)
{
    folded_only_t t = {fn, arg};
    return cm__ft_each_sentence_raw(text, folded_only, &t);
}

int cm__ft_each_clause(const char *raw, int (*fn)(void *arg, const char *folded), void *arg)
{
    const char *s = raw;
    for (;;) {
        size_t n = 0;
        for (; s[n]; n++) /* a comma between digits is a decimal one: "7,5h", "151,67" */
            if (s[n] == ',' &&
                !(n > 0 && isdigit((unsigned char)s[n - 1]) && isdigit((unsigned char)s[n + 1])))
                break;
        char *clause = copy_n(s, n);
        if (!clause)
            return CM_ENOMEM;
        char *f = cm__ft_fold(clause);
        free(clause);
        int rc = f ? fn(arg, f) : CM_ENOMEM;
        free(f);
        if (rc || !s[n])
            return rc;
        s += n + 1;
    }
}

int cm__ft_head(void *arg, const char *f, const char *at, int (*fn)(void *arg, const char *folded))
{
    size_t n = (size_t)(at - f) + 1; /* f[0, n) keeps its trailing space */
    char *head = malloc(n + 1);
    if (!head)
        return CM_ENOMEM;
    memcpy(head, f, n);
    head[n] = '\0';
    int rc = fn(arg, head);
    free(head);
    return rc;
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
