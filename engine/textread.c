/* What a job seeker types in a search that is no word to look for:
 * - denials: "aide à domicile sans permis", "aide-soignante pas de nuit", "auxiliaire de vie
 *   hors week-end", "sans nuit ni week-end". Searched as words, "permis" and "nuit" ranked
 *   first the offers that ask for them (an adviser's probe: a woman with no licence typing
 *   what job boards offer as a filter got licence-only offers); read as what they are, they
 *   filter out the offers with that fact (CM_WORK_FACT_*), and leave the text;
 * - places of several words: "Bouches-du-Rhône", "Seine-Saint-Denis", "Île-de-France",
 *   "Grand Est". Their words found other places ("rhône": Lyon; "île": La Réunion; the same
 *   probe); read as the département's number or the région's word, which the index holds
 *   for every offer there (index.c, offer_facts). One-word names are indexed as they are.
 * Part of search (query.c). */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carematch/error.h"
#include "ft_internal.h"
#include "referential_internal.h"
#include "textquery.h"

/* The places of several words, folded (" bouches du rhone "), and the word each is read as. */
#define PLACES_MAX 160
typedef struct place {
    char *words; /* folded, no outer spaces */
    char token[8];
} place_t;
static place_t places[PLACES_MAX];
static size_t n_places;
static pthread_once_t places_once = PTHREAD_ONCE_INIT;

static void place_add(const char *name, const char *token)
{
    char *f = cm__ft_fold(name);
    if (!f || n_places == PLACES_MAX) {
        free(f);
        return;
    }
    size_t n = strlen(f);
    while (n > 0 && f[n - 1] == ' ')
        f[--n] = '\0';
    char *w = f + strspn(f, " ");
    if (!strchr(w, ' ')) { /* one word: indexed as it is */
        free(f);
        return;
    }
    for (size_t i = 0; i < n_places; i++)
        if (strcmp(places[i].words, w) == 0) {
            free(f);
            return;
        }
    memmove(f, w, strlen(w) + 1);
    places[n_places].words = f;
    snprintf(places[n_places].token, sizeof places[n_places].token, "%s", token);
    for (char *t = places[n_places].token; *t; t++)
        *t = (char)(*t >= 'A' && *t <= 'Z' ? *t - 'A' + 'a' : *t);
    n_places++;
}

static void places_build(void)
{
    for (size_t i = 0; i < cm__dept_count(); i++) {
        const cm__dept_t *d = cm__dept_at(i);
        place_add(d->name, d->code);
        const char *rt = cm__region_token(d->region);
        if (rt)
            place_add(d->region, rt);
    }
}

/* The place whose words start at w (whole words), the longest; *len its bytes. */
static const place_t *place_at(const char *w, size_t *len)
{
    const place_t *best = NULL;
    *len = 0;
    for (size_t i = 0; i < n_places; i++) {
        size_t l = strlen(places[i].words);
        if (l > *len && strncmp(w, places[i].words, l) == 0 && (w[l] == ' ' || w[l] == '\0')) {
            best = &places[i];
            *len = l;
        }
    }
    return best;
}

/* The fact the words at w name (the fold's words, space-separated), and *len their bytes;
 * 0 when none. */
static unsigned fact_at(const char *w, size_t *len)
{
    static const struct {
        const char *words;
        unsigned fact;
    } facts[] = {
        {"nuit", CM_WORK_FACT_NIGHT},
        {"nuits", CM_WORK_FACT_NIGHT},
        {"week end", CM_WORK_FACT_WEEKEND},
        {"week ends", CM_WORK_FACT_WEEKEND},
        {"weekend", CM_WORK_FACT_WEEKEND},
        {"weekends", CM_WORK_FACT_WEEKEND},
        {"we", CM_WORK_FACT_WEEKEND},
        {"samedi", CM_WORK_FACT_WEEKEND},
        {"samedis", CM_WORK_FACT_WEEKEND},
        {"dimanche", CM_WORK_FACT_WEEKEND},
        {"dimanches", CM_WORK_FACT_WEEKEND},
        {"permis", CM_WORK_FACT_LICENCE},
        /* no car is no own car: a licence holder without one still drives the service's (a
         * reviewer's catch) */
        {"voiture", CM_WORK_FACT_VEHICLE},
        {"vehicule", CM_WORK_FACT_VEHICLE},
        {"vehicules", CM_WORK_FACT_VEHICLE},
        {"vehiculee", CM_WORK_FACT_VEHICLE},
        {"motorise", CM_WORK_FACT_VEHICLE},
        {"motorisee", CM_WORK_FACT_VEHICLE},
    };
    unsigned best = 0;
    *len = 0;
    for (size_t i = 0; i < sizeof facts / sizeof facts[0]; i++) {
        size_t l = strlen(facts[i].words);
        if (l > *len && strncmp(w, facts[i].words, l) == 0 && (w[l] == ' ' || w[l] == '\0')) {
            best = facts[i].fact;
            *len = l;
        }
    }
    return best;
}

int cm__text_rewrite(const char *q, char **rest, unsigned *without)
{
    (void)pthread_once(&places_once, places_build);
    /* "non véhiculée", "non motorisé" too */
    static const char *const deny[] = {"sans", "pas", "hors", "ni", "aucun", "aucune", "non", NULL};
    /* between the denial and its fact: "pas de nuit", "sans le permis", "pas besoin de
     * voiture", "pas de travail de nuit", "sans horaires de nuit" */
    static const char *const filler[] = {"de",      "d",        "du",      "des", "le", "la",
                                         "les",     "l",        "un",      "une", "en", "besoin",
                                         "travail", "horaires", "horaire", NULL};
    *rest = NULL;
    *without = 0;
    char *f = cm__ft_fold(q);
    if (!f)
        return CM_ENOMEM;
    size_t n = strlen(f);
    char *out = malloc(n + 8 * (n / 2 + 1) + 1); /* a place's word may be longer than it */
    if (!out) {
        free(f);
        return CM_ENOMEM;
    }
    size_t o = 0;
    bool changed = false; /* a place read, or words left out */
    for (const char *p = f; *p;) {
        p += strspn(p, " ");
        size_t wl = strcspn(p, " ");
        if (!wl)
            break;
        const char *after = p + wl;
        unsigned fact = 0;
        size_t fl = 0, pl;
        const place_t *pc = place_at(p, &pl);
        if (pc) {
            if (o)
                out[o++] = ' ';
            size_t tl = strlen(pc->token);
            memcpy(out + o, pc->token, tl);
            o += tl;
            changed = true;
            p += pl;
            continue;
        }
        /* "avec ou sans permis" denies nothing, and asks nothing either (a reviewer's catch):
         * its words leave the text */
        bool either = p - f >= 4 && strncmp(p - 4, " ou ", 4) == 0;
        if (cm__ft_word_is(p, wl, deny)) {
            const char *x = after;
            for (int k = 0; k < 4; k++) { /* up to 3 small words, then the fact */
                x += strspn(x, " ");
                if ((fact = fact_at(x, &fl)) != 0)
                    break;
                size_t xl = strcspn(x, " ");
                if (!xl || !cm__ft_word_is(x, xl, filler))
                    break;
                x += xl;
            }
            if (fact)
                after = x + fl;
        }
        if (fact) {
            if (!either)
                *without |= fact;
            changed = true;
        } else {
            if (o)
                out[o++] = ' ';
            memcpy(out + o, p, wl);
            o += wl;
        }
        p = after;
    }
    out[o] = '\0';
    free(f);
    if (!*without && !changed) {
        free(out);
        return 0;
    }
    *rest = out;
    return 0;
}
