/* France Travail's salary: its amounts and their true period (salaire.libelle, or the
 * amounts in euros of salaire.commentaire), moved out of ft_fields.c (one room per job). Part
 * of the mapper (francetravail.c); every value not read becomes a finding. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "carematch/record.h"
#include "ft_internal.h"

/* Pay magnitudes (euros): under 100 is an hourly rate, from 10,000 a yearly salary, between
 * them a monthly one (the SMIC is about 12 an hour, 1,800 a month, 21,000 a year). */
#define HOURLY_BELOW 100.0
#define YEARLY_FROM 10000.0
#define SALARY_PLAUSIBLE_MAX 1000000.0 /* a typo past this ("240000000"), not a salary */

/* Bytes of a space between digit groups at s ("1 801", "1\u00a0801", "1\u202f801"), 0 if
 * none or no digit follows. */
static size_t group_space(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = u[0] == ' '                                                      ? 1
               : u[0] == 0xC2 && u[1] == 0xA0                                   ? 2
               : u[0] == 0xE2 && u[1] == 0x80 && (u[2] == 0xAF || u[2] == 0x89) ? 3
                                                                                : 0;
    return n && isdigit(u[n]) ? n : 0;
}

/* One number's separators made C's: "1801,80" and "1801.80" -> 1801.80; "1.800,00" and
 * "1,800.00" (the first a thousands mark) -> 1800.00; "1.800" (three digits after a lone
 * mark: no euro amount has three decimals) -> 1800. In place. */
static void decimal_point(char *buf)
{
    char *last = NULL;
    size_t marks = 0;
    for (char *p = buf; *p; p++)
        if (*p == '.' || *p == ',') {
            last = p;
            marks++;
        }
    if (!last)
        return;
    bool thousands_only = (marks > 1 && strchr(buf, *last) != last) || /* "1.800.000" */
                          (strlen(last + 1) == 3 && last - buf <= 3);  /* "1.800" */
    size_t o = 0;
    for (char *p = buf; *p; p++) {
        if (*p != '.' && *p != ',')
            buf[o++] = *p;
        else if (p == last && !thousands_only)
            buf[o++] = '.';
    }
    buf[o] = '\0';
}

/* Numbers of a salary text ("1800.00", "1 801,80", "1.800,00"); returns how many (<= 2). */
static int salary_numbers(const char *s, double out[2])
{
    int n = 0;
    while (*s && n < 2) {
        if (!isdigit((unsigned char)*s)) {
            s++;
            continue;
        }
        char buf[32];
        size_t k = 0;
        for (;;) {
            size_t sp = group_space(s);
            if (sp) { /* "1 850": one number */
                s += sp;
                continue;
            }
            if (!isdigit((unsigned char)*s) && *s != '.' && *s != ',')
                break;
            if (k + 1 < sizeof buf)
                buf[k++] = *s;
            s++;
        }
        buf[k] = '\0';
        decimal_point(buf);
        char *end;
        double v = strtod(buf, &end);
        if (end != buf)
            out[n++] = v;
    }
    return n;
}

static const char *period_of_amount(double v)
{
    return v < HOURLY_BELOW ? "hour" : v < YEARLY_FROM ? "month" : "year";
}

/* The end of a number written at s ("1 850", "12,50", "2.100,00"), or s when none. */
static const char *number_end(const char *s)
{
    const char *p = s;
    while (isdigit((unsigned char)*p) ||
           ((*p == '.' || *p == ',') && isdigit((unsigned char)p[1])) || group_space(p))
        p += group_space(p) ? group_space(p) : 1;
    return p;
}

/* Is s (after spaces) a currency: "€", "euro(s)", "EUR"? */
static bool says_euros(const char *s)
{
    s += strspn(s, " ");
    if (strncmp(s, "\xc2\xa0", 2) == 0)
        s += 2;
    return strncmp(s, "\xe2\x82\xac", 3) == 0 || strncasecmp(s, "euro", 4) == 0 ||
           (strncasecmp(s, "eur", 3) == 0 && !isalpha((unsigned char)s[3]));
}

/* A thousand's "K" after a number ("28K€"): where the currency would start, or NULL. */
static const char *thousands(const char *e)
{
    return (*e == 'k' || *e == 'K') && !isalpha((unsigned char)e[1]) ? e + 1 : NULL;
}

/* The amounts of a free comment written in euros, at most two, as "1850 ; 2000" ("de 1 800 à
 * 2 000 € brut", "Entre 1800 et 2100 euros", "28K€ - 32K€", "12,50€ de l'heure"); a number
 * without its currency (a collective agreement, "CCN 1966", "coefficient 329") is none; of
 * up to eight amounts, the largest and the smallest of those at least half of it (an amount
 * under half the largest is a bonus or an allowance beside the pay: "1 850 € brut + prime
 * Ségur 183€", "Prime de 100 € et salaire de 1 850 €", "0,35 €/km": a helper's probe took
 * them for the minimum). "" when there is none; NULL: no memory. */
static char *euro_amounts(const char *com)
{
    char *out = calloc(1, 2 * strlen(com) + 16);
    if (!out)
        return NULL;
    char num[8][48];
    double val[8];
    int n = 0;
    for (const char *p = com; *p && n < 8;) {
        if (!isdigit((unsigned char)*p) || (p > com && isalnum((unsigned char)p[-1]))) {
            p++;
            continue;
        }
        const char *e = number_end(p), *k = thousands(e);
        bool take = says_euros(k ? k : e);
        if (!take) { /* the low end of a range: "1 800 à 2 000 €", "1800-2000€", "1800 et 2100" */
            const char *q = (k ? k : e) + strspn(k ? k : e, " ");
            size_t sep = strncmp(q, "\xc3\xa0", 2) == 0                           ? 2
                         : strncmp(q, "et ", 3) == 0                              ? 2
                         : (*q == '-' || *q == '/' || (*q == 'a' && q[1] == ' ')) ? 1
                                                                                  : 0;
            if (sep) {
                q += sep;
                q += strspn(q, " ");
                const char *qe = number_end(q), *qk = thousands(qe);
                take = isdigit((unsigned char)*q) && says_euros(qk ? qk : qe);
            }
        }
        double v[2];
        if (take) {
            snprintf(num[n], sizeof num[n], "%.*s%s", (int)(e - p < 40 ? e - p : 40), p,
                     k && strspn(p, "0123456789 ") == (size_t)(e - p) ? "000" : "");
            if (salary_numbers(num[n], v) == 1)
                val[n++] = v[0];
        }
        p = (k ? k : e) > p ? (k ? k : e) : p + 1;
    }
    /* the pay is the largest amount, and the range's other end when one is near it (half or
     * more); a bonus or an allowance beside it is not its minimum */
    int top = -1;
    for (int i = 0; i < n; i++)
        if (top < 0 || val[i] > val[top])
            top = i;
    int low = top;
    for (int i = 0; i < n; i++)
        if (val[i] >= val[top] / 2 && val[i] < val[low])
            low = i;
    if (top >= 0 && low != top) {
        strcat(out, num[low]);
        strcat(out, " ; ");
    }
    if (top >= 0)
        strcat(out, num[top]);
    return out;
}

int cm__ft_salary(const cJSON *ft, cJSON *o, cm__ft_ctx_t *c)
{
    const cJSON *sal = cm__ft_get(ft, "salaire");
    const char *lib = cm__ft_get_str(sal, "libelle"), *field = "salaire.libelle";
    if (!lib) {
        /* the amount in the comment ("1 850 € brut mensuel", "12,50 euros de l'heure"),
         * read as a libelle is; a comment without one ("Selon profil") gives none */
        const char *com = cm__ft_get_str(sal, "commentaire");
        if (!com)
            return 0;
        char *amounts = euro_amounts(com);
        if (!amounts)
            return CM_ENOMEM;
        bool none = !amounts[0];
        free(amounts);
        if (none) {
            cm__ft_find(c, CM_FT_LOST, "salary_comment_only", "salaire.commentaire", com,
                        "a comment but no amount in euros: no salary");
            return 0;
        }
        lib = com, field = "salaire.commentaire";
        cm__ft_find(c, CM_FT_GUESS, "salary_from_comment", field, com,
                    "no libelle: the amount in the comment");
    }
    char *f = cm__ft_fold(lib);
    if (!f)
        return CM_ENOMEM;
    const char *stated = cm__ft_has_words(f, "mensuel")   ? "month"
                         : cm__ft_has_words(f, "horaire") ? "hour"
                         : cm__ft_has_words(f, "annuel")  ? "year"
                                                          : NULL;
    /* a day's or a session's rate ("Autre de 65.00 Euros" with "par jour", "Forfait
     * journalier", "Cachet de 150.00 Euros": a helper's probe stored them as hourly pay): the
     * record's periods are the hour, the month and the year */
    static const char *const per_day[] = {
        "jour",   "par jour", "journee",  "journees",  "journalier", "journaliere", "forfait",
        "cachet", "cachets",  "vacation", "vacations", "seance",     "par nuit",    NULL};
    const char *com = cm__ft_get_str(sal, "commentaire");
    char *fc = com ? cm__ft_fold(com) : NULL;
    if (com && !fc) {
        free(f);
        return CM_ENOMEM;
    }
    bool daily = !stated && (cm__ft_has_any(f, per_day) || (fc && cm__ft_has_any(fc, per_day)));
    free(f);
    free(fc);
    if (daily) {
        cm__ft_find(c, CM_FT_LOST, "salary_per_day", field, lib,
                    "a day's or a session's rate%s%s: no salary (hour, month or year only)",
                    com ? ", " : "", com ? com : "");
        return 0;
    }
    /* "sur 12 mois" / "sur 13.5 mois" counts monthly payments: not an amount; in a comment
     * only the amounts in euros count ("Selon CCN 1966, 1 850 €") */
    const char *sur = strstr(lib, " sur ");
    size_t keep = sur ? (size_t)(sur - lib) : strlen(lib);
    char *amounts = lib == com ? euro_amounts(com) : strndup(lib, keep);
    if (!amounts)
        return CM_ENOMEM;
    double v[2];
    int n = salary_numbers(amounts, v);
    free(amounts);
    if (n == 0 || v[0] <= 0 || v[0] > SALARY_PLAUSIBLE_MAX ||
        (n > 1 && v[1] > SALARY_PLAUSIBLE_MAX)) {
        cm__ft_find(c, CM_FT_LOST, "salary_unreadable", field, lib,
                    "no plausible amount: no salary");
        return 0;
    }
    double mn = v[0], mx = n > 1 ? v[1] : v[0];
    if (mx < mn) {
        double t = mn;
        mn = mx;
        mx = t;
    }
    const char *period = period_of_amount(mx);
    if (!stated)
        cm__ft_find(c, CM_FT_GUESS, "salary_period_guessed", field, lib,
                    "no period stated: taken as %s pay by its amount", period);
    else if (strcmp(stated, period) != 0)
        cm__ft_find(c, CM_FT_GUESS, "salary_period_corrected", field, lib,
                    "filed as %s pay but the amount is %s pay", stated, period);
    cJSON *s = cJSON_AddObjectToObject(o, "salary");
    if (!s || !cJSON_AddNumberToObject(s, "min", mn) || !cJSON_AddNumberToObject(s, "max", mx) ||
        !cJSON_AddStringToObject(s, "period", period))
        return CM_ENOMEM;
    return 0;
}
