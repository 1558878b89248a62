/* France Travail fields read the way an adviser reads them: weekly hours and when they fall
 * (night, weekends, split shifts), contract length (experience: ft_experience.c; permits and
 * languages: ft_permits.c; pay: ft_salary.c). Part of the mapper (francetravail.c); every value
 * not read becomes a finding. */
#include <ctype.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "carematch/record.h"
#include "ft_internal.h"

#define FULL_TIME_HOURS 35 /* "Temps plein" with no figure: the legal full-time week */
#define LEGAL_YEAR_HOURS 1607.0
#define PART_OF_FULL_TIME                                                                          \
    24 /* a weekly figure below this beside "temps plein" is a part of it */ /* the legal working  \
                                                                                year, 35 hours a   \
                                                                                week */

/* ---- hours ---- */

/* Weekly hours at the start of a duration text: "35H", "25 H", "28H30/semaine", "17,5H",
 * "Temps partiel - 24H/semaine", "4 H  Travail en horaires fractionnés"; a month's or a year's
 * hours made weekly: "151H67/mois" (151.67 hours: 35 a week), "1607H/an" (35 a week, the
 * legal year), a day's five times ("8H/jour"). 0 when it states none. *per: 'w', 'm', 'y' or
 * 'd', the period the figure is for. */
static double hours_at_start(const char *s, char *per)
{
    *per = 'w';
    while (*s == ' ')
        s++;
    static const char *const lead[] = {"Temps partiel", "temps partiel", "Temps plein",
                                       "temps plein", NULL};
    for (int k = 0; lead[k]; k++) {
        size_t n = strlen(lead[k]);
        if (strncmp(s, lead[k], n) == 0) {
            s += n;
            while (*s == ' ' || *s == '-' || *s == ':')
                s++;
            break;
        }
    }
    if (!isdigit((unsigned char)*s))
        return 0;
    char *end;
    double h = (double)strtol(s, &end, 10);
    if ((*end == ',' || *end == '.') && isdigit((unsigned char)end[1])) {
        double scale = 0.1;
        for (end++; isdigit((unsigned char)*end); end++, scale /= 10)
            h += (*end - '0') * scale;
    }
    while (*end == ' ')
        end++;
    if (*end != 'H' && *end != 'h')
        return 0;
    end++;
    long sub = -1;
    int sub_digits = 0;
    if (isdigit((unsigned char)*end)) {
        char *e2;
        sub = strtol(end, &e2, 10);
        sub_digits = (int)(e2 - end);
        end = e2;
    }
    while (*end == ' ')
        end++;
    if (strncasecmp(end, "/mois", 5) == 0 || strncasecmp(end, "par mois", 8) == 0)
        *per = 'm';
    else if (strncasecmp(end, "/jour", 5) == 0 || strncasecmp(end, "par jour", 8) == 0)
        *per = 'd'; /* "8H/jour": five such days */
    else if ((strncasecmp(end, "/an", 3) == 0 && !isalpha((unsigned char)end[3])) ||
             (strncasecmp(end, "par an", 6) == 0 && !isalpha((unsigned char)end[6])))
        *per = 'y'; /* not "/annualisé": that is a week's hours averaged over the year */
    /* "28H30" a week is 30 minutes; "151H67" a month is payroll's hundredths */
    if (sub >= 0)
        h += *per == 'w' ? sub / 60.0 : sub / pow(10, sub_digits);
    if (*per == 'm')
        h = h * 12 / 52;
    else if (*per == 'd')
        h = h * 5;
    else if (*per == 'y')
        h = h * FULL_TIME_HOURS / LEGAL_YEAR_HOURS;
    return h;
}

/* "39h par semaine", "39 heures hebdomadaires", "39h/semaine" in folded text: the largest
 * such figure ("planning de 30h hebdomadaires" over "2h par semaine chez chaque
 * bénéficiaire", a part of the week). */
static double hours_in_text(const char *f)
{
    double best = 0;
    for (const char *p = f; *p; p++) {
        if (!isdigit((unsigned char)*p) || isdigit((unsigned char)p[-1]))
            continue;
        char *end;
        long h = strtol(p, &end, 10);
        const char *q = end;
        double frac = 0;   /* "151,67 heures mensuelles" folds to "151 67 heures" */
        bool unit = false; /* "151h67": the unit said inside the figure */
        size_t nd = q[0] == ' ' && isdigit((unsigned char)q[1])
                        ? (isdigit((unsigned char)q[2]) ? 2 : 1)
                        : 0; /* digits after a folded comma: "24,5 heures", "151,67 heures" */
        double dec = nd == 2   ? ((q[1] - '0') * 10 + (q[2] - '0')) / 100.0
                     : nd == 1 ? (q[1] - '0') / 10.0
                               : 0;
        if (nd > 0 && q[1 + nd] == ' ' &&
            (strncmp(q + 2 + nd, "heures ", 7) == 0 || strncmp(q + 2 + nd, "h ", 2) == 0)) {
            frac = dec;
            q += 1 + nd;
        } else if (nd > 0 && q[1 + nd] == 'h' && q[2 + nd] == ' ') {
            /* "151.67h/mois" ("151 67h / mois"), "32,5h par semaine" */
            frac = dec;
            q += 3 + nd;
            unit = true;
        } else if (q[0] == 'h' && isdigit((unsigned char)q[1]) && isdigit((unsigned char)q[2]) &&
                   q[3] == ' ') {
            /* "32h30 par semaine" is 30 minutes; "151h67 / mois" payroll's hundredths */
            int sub = (q[1] - '0') * 10 + (q[2] - '0');
            frac = sub < 60 && strncmp(q + 4, "mois", 4) != 0 && strncmp(q + 4, "/ mois", 6) != 0 &&
                           strncmp(q + 4, "par mois", 8) != 0
                       ? sub / 60.0
                       : sub / 100.0;
            q += 4;
            unit = true;
        }
        if (!unit) {
            if (*q == ' ')
                q++;
            if (strncmp(q, "heures ", 7) == 0)
                q += 7;
            else if (strncmp(q, "h ", 2) == 0)
                q += 2;
            else
                continue;
        }
        if (strncmp(q, "par ", 4) == 0 || strncmp(q, "/ ", 2) == 0)
            q += q[0] == '/' ? 2 : 4;
        double v = (double)h + frac;
        if ((strncmp(q, "semaine ", 8) == 0 || strncmp(q, "hebdo", 5) == 0 ||
             strncmp(q, "avec rtt ", 9) == 0) &&
            v >= 1 && v <= CM_HOURS_MAX && v > best)
            best = v;
        /* "Contrat 35 heures", "CDI base 35h": a contract's hours are the week's; so are
         * those after "hebdomadaire" or "temps partiel" ("Durée hebdomadaire : 28 heures",
         * "Temps de travail hebdomadaire : 24 heures", "à temps partiel (28h)": a helper's
         * probe read none) */
        static const char *const lead[] = {"contrat ",
                                           "contrat de ",
                                           "base ",
                                           "cdi ",
                                           "cdd ",
                                           "cdi de ",
                                           "cdd de ",
                                           "hebdomadaire ",
                                           "hebdomadaires ",
                                           "hebdomadaire de travail ",
                                           "hebdomadaire de ",
                                           "partiel ",
                                           "partiel de ",
                                           "plein ", /* "temps plein (39h avec RTT)" */
                                           "complet ",
                                           NULL};
        bool contract = false;
        for (int k = 0; lead[k] && !contract; k++) {
            size_t l = strlen(lead[k]);
            contract = (size_t)(p - f) > l && p[-(ptrdiff_t)l - 1] == ' ' &&
                       strncmp(p - l, lead[k], l) == 0;
        }
        if (contract && strncmp(q, "jour", 4) != 0 && strncmp(q, "mois", 4) != 0 &&
            strncmp(q, "mensuel", 7) != 0 && strncmp(q, "an ", 3) != 0 &&
            strncmp(q, "annuel", 6) != 0 && v >= 10 && v <= CM_HOURS_MAX && v > best)
            best = v;
        /* a month's hours, made weekly: "151,67 heures mensuelles" = 35 (a helper's probe) */
        if (strncmp(q, "mois ", 5) == 0 || strncmp(q, "mensuel", 7) == 0) {
            double w = v * 12.0 / 52.0;
            if (w >= 1 && w <= CM_HOURS_MAX && w > best)
                best = floor(w * 2 + 0.5) / 2; /* to the half-hour: 151.67 a month is 35 */
        }
    }
    return best;
}

/* A share of full time said in folded text, as care offers say it: "0,8 ETP" ("0 8 etp"),
 * "1 ETP", "temps partiel 80 %", "poste à 80 %", "80 % d'un temps plein", "mi-temps" (not
 * "mi-temps thérapeutique"), "3/4 temps". 0 when none: a percentage elsewhere ("majoration de
 * 25 % le dimanche", "pass Navigo pris en charge à 50 %") is no share of the job. */
static double share_in_text(const char *f)
{
    static const char *const before[] = {" temps partiel ", " poste ", " poste a ", " cdi ",
                                         " cdd ", " contrat ", " quotite ", " temps de travail ",
                                         " cdi a ", " cdd a ", " temps partiel a ", " pourvoir a ",
                                         /* the public service's part time (a helper's
                                          * probe: "Temps non complet 80%" not read) */
                                         " temps non complet ", " temps non complet a ",
                                         " temps incomplet ", " temps incomplet a ", NULL};
    for (const char *p = f; *p; p++) {
        if (!isdigit((unsigned char)*p) || isdigit((unsigned char)p[-1]))
            continue;
        char *end;
        long a = strtol(p, &end, 10);
        if (strncmp(end, " % ", 3) == 0 && a >= 10 && a <= 100) { /* "80 %" */
            const char *after = end + 3;
            bool said = strncmp(after, "etp ", 4) == 0 ||
                        strncmp(after, "d un temps plein ", 17) == 0 ||
                        strncmp(after, "temps plein ", 12) == 0;
            for (int i = 0; !said && before[i]; i++) {
                size_t k = strlen(before[i]);
                said = (size_t)(p - f) >= k && strncmp(p - k, before[i], k) == 0;
            }
            /* "IDE à 50 %", "Poste d'aide-soignant à 80%" (a helper's probe): "à" after a
             * job's name, not after what pays ("pris en charge à 50 %", "remboursé à 50 %") */
            if (!said && (size_t)(p - f) >= 3 && strncmp(p - 3, " a ", 3) == 0) {
                static const char *const paid[] = {
                    "charge",    "hauteur",  "rembourse", "remboursee", "rembourses",
                    "finance",   "financee", "majore",    "majoree",    "majoration",
                    "jusqu",     "augmente", "prime",     "abonnement", "participation",
                    "reduction", "remise",   "pris",      "prise",      "taux",
                    NULL};
                const char *e = p - 3, *b = e;
                while (b > f && b[-1] != ' ')
                    b--;
                said = e > b && !cm__ft_word_is(b, (size_t)(e - b), paid) &&
                       !isdigit((unsigned char)*b);
            }
            if (said)
                return a / 100.0;
        } else if (a <= 1 && *end == ' ' && isdigit((unsigned char)end[1])) { /* "0 8 etp" */
            char *e2;
            long b = strtol(end + 1, &e2, 10);
            double v = a + b / pow(10, (double)(e2 - end - 1));
            if (strncmp(e2, " etp ", 5) == 0 && v > 0 && v <= 1)
                return v;
        } else if (a == 1 && strncmp(end, " etp ", 5) == 0) { /* "1 ETP" */
            return 1.0;
        } else if (a == 3 && strncmp(end, " / 4 temps ", 11) == 0) {
            return 0.75;
        }
    }
    if (cm__ft_has_words(f, "mi temps") && !cm__ft_has_words(f, "mi temps therapeutique"))
        return 0.5;
    return 0;
}

/* contexteTravail.horaires: an array of strings in real answers, a string in the example. */
static const char *horaire_at(const cJSON *h, int i)
{
    if (cJSON_IsString(h))
        return i == 0 ? h->valuestring : NULL;
    const cJSON *it = cJSON_GetArrayItem(h, i);
    return cJSON_IsString(it) ? it->valuestring : (it ? "" : NULL);
}

int cm__ft_hours(const cJSON *ft, cJSON *o, cm__ft_ctx_t *c)
{
    const char *dur = cm__ft_get_str(ft, "dureeTravailLibelle");
    const char *conv = cm__ft_get_str(ft, "dureeTravailLibelleConverti");
    const cJSON *hor = cm__ft_get(cm__ft_get(ft, "contexteTravail"), "horaires");
    char per = 'w';
    double h = dur ? hours_at_start(dur, &per) : 0;
    const char *from = dur, *from_field = "dureeTravailLibelle";
    for (int i = 0; h == 0 && horaire_at(hor, i); i++)
        if ((h = hours_at_start(horaire_at(hor, i), &per)) > 0) {
            from = horaire_at(hor, i);
            from_field = "contexteTravail.horaires";
        }
    if (h >= 1 && h <= CM_HOURS_MAX && per != 'w')
        cm__ft_find(c, CM_FT_GUESS, "hours_converted", from_field, from,
                    "hours a %s: %.2f hours a week",
                    per == 'm'   ? "month"
                    : per == 'd' ? "day (5 days)"
                                 : "year",
                    h);
    bool full = (conv && strstr(conv, "plein")) ||
                (dur && (strstr(dur, "emps plein") || strstr(dur, "emps complet")));
    bool part = (conv && strstr(conv, "partiel")) || (dur && strstr(dur, "emps partiel"));
    const char *desc = cm__ft_get_str(ft, "description");
    if (h == 0 && dur && !full) { /* "Mi-temps", "80 %" as the duration (a helper's probe) */
        char *f = cm__ft_fold(dur);
        if (!f)
            return CM_ENOMEM;
        double share = share_in_text(f);
        free(f);
        if (share > 0) {
            h = share * FULL_TIME_HOURS;
            cm__ft_find(c, CM_FT_GUESS, "hours_from_share", "dureeTravailLibelle", dur,
                        "a share of full time (%.0f %%): %.2f hours a week", share * 100, h);
        }
    }
    const char *title = cm__ft_get_str(ft, "intitule");
    if (h == 0 && !full && title) { /* "Aide-soignant (H/F) 80%" (a helper's probe) */
        char *f = cm__ft_fold(title);
        if (!f)
            return CM_ENOMEM;
        double share = 0;
        for (const char *p = f; *p && share == 0; p++) {
            char *end;
            long a = isdigit((unsigned char)*p) && !isdigit((unsigned char)p[-1])
                         ? strtol(p, &end, 10)
                         : 0;
            if (a >= 10 && a <= 100 && strncmp(end, " % ", 3) == 0)
                share = a / 100.0;
        }
        free(f);
        if (share > 0) {
            h = share * FULL_TIME_HOURS;
            cm__ft_find(c, CM_FT_GUESS, "hours_from_share", "intitule", title,
                        "a share of full time (%.0f %%): %.2f hours a week", share * 100, h);
        }
    }
    if (h == 0 && desc) { /* "Temps plein" alone, the figure in the text: "39h par semaine" */
        char *f = cm__ft_fold(desc);
        if (!f)
            return CM_ENOMEM;
        h = hours_in_text(f);
        double share = h == 0 ? share_in_text(f) : 0;
        /* no duration field at all (partners' offers), full time said in the text */
        if (!dur && !conv && !part && !cm__ft_has_words(f, "temps partiel") &&
            !cm__ft_has_words(f, "mi temps") &&
            (cm__ft_has_words(f, "temps plein") || cm__ft_has_words(f, "temps complet")))
            full = true;
        free(f);
        if (full && h < PART_OF_FULL_TIME) /* "réunion 2h par semaine. Poste à temps plein." */
            h = 0;
        if (h > 0)
            cm__ft_find(c, CM_FT_GUESS, "hours_from_text", "description", NULL,
                        "no figure in the duration fields: %.4g hours a week read in the text", h);
        if (share > 0 && !(full && share < 1)) { /* "0,8 ETP": 28 hours of the 35 */
            h = share * FULL_TIME_HOURS;
            cm__ft_find(c, CM_FT_GUESS, "hours_from_share", "description", NULL,
                        "a share of full time in the text (%.0f %%): %.2f hours a week",
                        share * 100, h);
        }
    }
    if (h == 0 && full) {
        h = FULL_TIME_HOURS;
        c->hours_assumed = true;
        cm__ft_find(c, CM_FT_GUESS, "hours_full_time_assumed",
                    dur    ? "dureeTravailLibelle"
                    : conv ? "dureeTravailLibelleConverti"
                           : "description",
                    dur ? dur : conv, "full time with no figure: %d hours a week", FULL_TIME_HOURS);
    }
    if (h >= 1 && h <= CM_HOURS_MAX) {
        if (!cJSON_AddNumberToObject(o, "hours_per_week", round(h * 100) / 100))
            return CM_ENOMEM;
    } else if (h != 0) {
        cm__ft_find(c, CM_FT_LOST, "hours_unreadable", from_field, from,
                    "weekly hours out of the 1 to %d range", CM_HOURS_MAX);
    } else if (part) {
        cm__ft_find(c, CM_FT_LOST, "hours_part_time_unstated",
                    dur ? "dureeTravailLibelle" : "dureeTravailLibelleConverti", dur ? dur : conv,
                    "part time with no figure: hours_per_week left out, unless windows read "
                    "in the text give it (hours_from_schedule)");
    } else if (dur) {
        cm__ft_find(c, CM_FT_LOST, "hours_unreadable", "dureeTravailLibelle", dur,
                    "no weekly hours found");
    }
    return 0;
}

/* ---- contract length ---- */

/* A small number in words or digits ("3", "trois", "un"): its value, or 0 (ft_internal.h). */
long cm__ft_count_word(const char *w, size_t n)
{
    static const char *const names[] = {"zero", "un",   "deux", "trois", "quatre", "cinq",  "six",
                                        "sept", "huit", "neuf", "dix",   "onze",   "douze", NULL};
    if (n && n <= 4 && strspn(w, "0123456789") == n)
        return strtol(w, NULL, 10);
    if (n == 3 && strncmp(w, "une", 3) == 0)
        return 1;
    if (n == 6 && strncmp(w, "quinze", 6) == 0)
        return 15;
    for (int i = 1; names[i]; i++)
        if (strlen(names[i]) == n && strncmp(w, names[i], n) == 0)
            return i;
    return 0;
}

/* Days in a unit word ("mois", "semaines"), or 0. */
int cm__ft_unit_days(const char *w, size_t n)
{
    static const struct {
        const char *unit;
        int days;
    } units[] = {{"jour", 1}, {"jours", 1}, {"semaine", 7}, {"semaines", 7}, {"mois", 30},
                 {"an", 365}, {"ans", 365}, {"annee", 365}, {"annees", 365}};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strlen(units[i].unit) == n && strncmp(w, units[i].unit, n) == 0)
            return units[i].days;
    return 0;
}

/* "du 01 / 07 / 2025 au 31 / 08 / 2025" at words j..: the days from the first date to the
 * second, both worked (a helper's probe: no length). */
static bool dated_span(const char *const *w, const size_t *len, size_t n, size_t j, long *days)
{
    if (j + 12 > n || len[j] != 2 || strncmp(w[j], "du", 2) != 0 || len[j + 6] != 2 ||
        strncmp(w[j + 6], "au", 2) != 0)
        return false;
    int v[6];
    const size_t at[6] = {j + 1, j + 3, j + 5, j + 7, j + 9, j + 11};
    for (int k = 0; k < 6; k++) {
        if (!isdigit((unsigned char)w[at[k]][0]) || len[at[k]] > 4)
            return false;
        v[k] = atoi(w[at[k]]);
    }
    for (int k = 0; k < 2; k++)
        if (len[j + 2 + 6 * k] != 1 || w[j + 2 + 6 * k][0] != '/' || len[j + 4 + 6 * k] != 1 ||
            w[j + 4 + 6 * k][0] != '/')
            return false;
    struct tm a = {.tm_mday = v[0], .tm_mon = v[1] - 1, .tm_year = v[2] - 1900};
    struct tm b = {.tm_mday = v[3], .tm_mon = v[4] - 1, .tm_year = v[5] - 1900};
    if (v[0] < 1 || v[0] > 31 || v[1] < 1 || v[1] > 12 || v[2] < 2000 || v[2] > 2100 || v[3] < 1 ||
        v[3] > 31 || v[4] < 1 || v[4] > 12 || v[5] < 2000 || v[5] > 2100)
        return false;
    long d = (long)((timegm(&b) - timegm(&a)) / 86400) + 1;
    if (d < 1 || d > CM_CONTRACT_DAYS_MAX)
        return false;
    *days = d;
    return true;
}

/* A month's name (folded), 1..12, or 0. */
static int month_of(const char *w, size_t n)
{
    static const char *const months[] = {"janvier",   "fevrier", "mars",     "avril",
                                         "mai",       "juin",    "juillet",  "aout",
                                         "septembre", "octobre", "novembre", "decembre"};
    for (int i = 0; i < 12; i++)
        if (strlen(months[i]) == n && strncmp(w, months[i], n) == 0)
            return i + 1;
    return 0;
}

/* "du 1er juillet au 31 août 2025", "du 1 juillet 2025 au 31 août 2025" at words j..: the days
 * from the first date to the second, both worked (a helper's probe: no length). A year left
 * unsaid is the other date's, or a common year. */
static bool worded_span(const char *const *w, const size_t *len, size_t n, size_t j, long *days)
{
    if (j + 5 >= n || len[j] != 2 || strncmp(w[j], "du", 2) != 0)
        return false;
    int d[2], m[2], y[2] = {0, 0};
    size_t k = j + 1;
    for (int e = 0; e < 2; e++) {
        if (e == 1) {
            if (k >= n || len[k] != 2 || strncmp(w[k], "au", 2) != 0)
                return false;
            k++;
        }
        if (k + 1 >= n || !isdigit((unsigned char)w[k][0]))
            return false;
        d[e] = atoi(w[k]);
        size_t dl = strspn(w[k], "0123456789");
        if (!(dl == len[k] || (len[k] - dl == 2 && strncmp(w[k] + dl, "er", 2) == 0)))
            return false;
        if (!(m[e] = month_of(w[k + 1], len[k + 1])))
            return false;
        k += 2;
        if (k < n && len[k] == 4 && isdigit((unsigned char)w[k][0])) {
            y[e] = atoi(w[k]);
            k++;
        }
    }
    bool said0 = y[0] != 0, said1 = y[1] != 0;
    if (!said0 && !said1)
        y[0] = y[1] = 2001;
    else if (!said0)
        y[0] = y[1];
    else if (!said1)
        y[1] = y[0];
    bool back = m[1] < m[0] || (m[1] == m[0] && d[1] < d[0]); /* "du 1er novembre au 31 janvier" */
    if (back && !said1)
        y[1]++;
    else if (back && !said0)
        y[0]--;
    for (int e = 0; e < 2; e++)
        if (d[e] < 1 || d[e] > 31 || y[e] < 2000 || y[e] > 2101)
            return false;
    struct tm a = {.tm_mday = d[0], .tm_mon = m[0] - 1, .tm_year = y[0] - 1900};
    struct tm b = {.tm_mday = d[1], .tm_mon = m[1] - 1, .tm_year = y[1] - 1900};
    long span = (long)((timegm(&b) - timegm(&a)) / 86400) + 1;
    if (span < 1 || span > CM_CONTRACT_DAYS_MAX)
        return false;
    *days = span;
    return true;
}

/* A contract's length in a folded sentence: a word naming the contract ("CDD", "contrat",
 * "mission", "remplacement", "durée"), then within a few words of its own kind ("de",
 * "d'un", "à temps partiel", "pour une durée de") a count and a unit: "CDD de remplacement de
 * 3 mois", "contrat de six mois", "mission d'un mois", "pour une durée de 2 semaines". Any other
 * word ends the look ("période d'essai de 1 mois", "expérience de 6 mois" name no contract). */
static int duration_sentence(void *arg, const char *f)
{
    long *days = arg;
    static const char *const anchors[] = {"cdd",   "contrat", "mission", "remplacement",
                                          "duree", "interim", NULL};
    static const char *const filler[] = {
        "de", "d", "du", "un", "une", "pour", "en", "a", "temps", "plein", "partiel", "determinee",
        "duree", "remplacement", "initial", "initiale", "renouvelable", "minimum", "environ", "cdd",
        /* "remplacement d'un congé maternité de 4 mois" (a helper's probe: no length) */
        "conge", "maternite", "maladie", "parental", "paternite", "arret", "absence",
        /* "contrat de remplacement pour la période estivale (du 01/07/2025 au 24/08/2025)" (a
         * helper's probe: no length) */
        "la", "l", "periode", "estivale", "estival", "ete", "pendant", "saison", NULL};
    const char *w[48];
    size_t len[48], n = 0;
    for (const char *p = f; *p && n < 48;) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        w[n] = p;
        while (*p && *p != ' ')
            p++;
        len[n] = (size_t)(p - w[n]);
        n++;
    }
    for (size_t i = 0; i < n && !*days; i++) {
        if (!cm__ft_word_is(w[i], len[i], anchors))
            continue;
        for (size_t j = i + 1; j < n && j <= i + 6; j++) {
            long k = cm__ft_count_word(w[j], len[j]);
            int u = j + 1 < n ? cm__ft_unit_days(w[j + 1], len[j + 1]) : 0;
            /* a range, "CDD de 3 à 6 mois": its shorter end, the length sure to be had (a
             * helper's probe: no length) */
            if (k && !u && j + 3 < n && len[j + 1] == 1 && w[j + 1][0] == 'a' &&
                cm__ft_count_word(w[j + 2], len[j + 2]))
                u = cm__ft_unit_days(w[j + 3], len[j + 3]);
            if (k && u) {
                *days = k * u;
                break;
            }
            if (dated_span(w, len, n, j, days) || worded_span(w, len, n, j, days))
                break;
            if (!cm__ft_word_is(w[j], len[j], filler))
                break;
        }
    }
    return 0;
}

/* No length in typeContratLibelle: the title's, then the description's sentences. */
static int duration_from_text(const cJSON *ft, cJSON *o, cm__ft_ctx_t *c)
{
    static const char *const fields[] = {"intitule", "description"};
    for (size_t i = 0; i < 2; i++) {
        const char *text = cm__ft_get_str(ft, fields[i]);
        long days = 0;
        if (!text)
            continue;
        int rc = cm__ft_each_sentence(text, duration_sentence, &days);
        if (rc)
            return rc;
        if (days < 1 || days > CM_CONTRACT_DAYS_MAX)
            continue;
        if (!cJSON_AddNumberToObject(o, "contract_duration_days", (double)days))
            return CM_ENOMEM;
        cm__ft_find(c, CM_FT_GUESS, "contract_duration_from_text", fields[i], text,
                    "no length in typeContratLibelle: %ld days, as the text says", days);
        return 0;
    }
    return 0;
}

int cm__ft_contract_duration(const cJSON *ft, const char *contract, cJSON *o, cm__ft_ctx_t *c)
{
    const char *lib = cm__ft_get_str(ft, "typeContratLibelle");
    if (strcmp(contract, "CDI") == 0)
        return 0;
    const char *dash = lib ? strstr(lib, " - ") : NULL;
    if (!dash) /* "Contrat à durée déterminée": no length stated there */
        return duration_from_text(ft, o, c);
    char *f = cm__ft_fold(dash + 3);
    if (!f)
        return CM_ENOMEM;
    char *end;
    long n = strtol(f, &end, 10);
    const char *u = end + strspn(end, " ");
    long days = end != f && u != end ? n * cm__ft_unit_days(u, strcspn(u, " ")) : 0;
    free(f);
    if (days >= 1 && days <= CM_CONTRACT_DAYS_MAX) {
        if (!cJSON_AddNumberToObject(o, "contract_duration_days", (double)days))
            return CM_ENOMEM;
    } else {
        cm__ft_find(c, CM_FT_LOST, "contract_duration_unreadable", "typeContratLibelle", lib,
                    "no contract length of 1 to %d days found", CM_CONTRACT_DAYS_MAX);
    }
    return 0;
}
