/* The working hours a France Travail offer states in words, as schedule windows: "du lundi au
 * vendredi de 6h30 à 14h", "Horaires en semaine 7h-14h", "le samedi de 8h à 12h", "de 9h à 12h
 * et de 14h à 17h du lundi au vendredi" (a split shift). France Travail has no field for them;
 * without windows an offer is matched against availability by its work pattern only, and an
 * ASH job that starts at 6:30 was eligible for someone free from 7:00.
 *
 * Read only what is unambiguous, or nothing: a sentence with one set of days and one span of
 * hours, or two spans joined by "et" with a break between them; in the description, one that
 * says it is the job's hours ("horaires", "poste", "travail", "vous travaillerez"...) or opens
 * on its days or hours ("Du lundi au vendredi de 9h à 17h"). A night
 * job (its title or fields) whose windows hold no night gets none (the day team's hours). Not
 * a sentence that denies,
 * offers a choice or a rota ("ou", "/" between spans, "en alternance", "roulement", "selon",
 * "planning"),
 * names the house's hours ("ouvert", "accueil", "permanence") or another time's (a training,
 * a meeting, an interview), or says "sauf". Sentences on
 * other days add their windows; two sentences that give the same day different hours are a
 * rota or a mistake: nothing is read. The windows' weekly hours must agree with the offer's
 * hours_per_week (0.7 to 1.3 times, breaks included; an offer without them gets no windows).
 * A schedule read so is reported (schedule_from_text, a guess). Part of the mapper. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ft_internal.h"

#define MAX_WIN 8

static const char *const day_names[7] = {"lundi",    "mardi",  "mercredi", "jeudi",
                                         "vendredi", "samedi", "dimanche"};
static const char *const day_codes[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

typedef struct win {
    unsigned days; /* bit 0 Monday */
    int from, to;  /* minutes of the day */
} win_t;

typedef struct sched {
    win_t w[MAX_WIN];
    int n;
    bool conflict; /* two sentences gave one day different hours */
    bool rota, rota_night; /* shifts said with their hours, one or the other ("7h-14h ou
                            * 14h-21h en alternance"); one of them holds a night */
    const char *rota_field;
    const char *stated_field; /* a sentence of the job's days and hours (read or not) */
    bool split;     /* two spans of a day, a break of 2h30 or more between ("9h-13h et 16h-20h") */
    bool free_text; /* the description: a sentence must say it is the job's hours */
    unsigned carry; /* "Jours : lundi, mercredi, vendredi." for the next sentence's hours */
    const char *field, *first_field; /* being read; where the first window was read */
} sched_t;

/* The day named by the folded word at p (singular or plural), or -1; *len its length. */
static int day_at(const char *p, size_t *len)
{
    for (int d = 0; d < 7; d++) {
        size_t l = strlen(day_names[d]);
        if (strncmp(p, day_names[d], l) == 0) {
            size_t k = l + (p[l] == 's');
            if (p[k] == ' ') {
                *len = k;
                return d;
            }
        }
    }
    return -1;
}

/* The days a folded sentence names, said one way: a range "du lundi au vendredi" ("lundi au
 * vendredi", "de lundi a vendredi"), "en semaine", or a list of days ("le lundi, le mardi et
 * le jeudi", "les samedis et dimanches"). 0 when none, or two ways ("du lundi au vendredi ...
 * et le samedi ...": which hours go with which days is not said). */
static unsigned days_of(const char *f)
{
    unsigned range = 0, list = 0;
    int ranges = 0;
    bool week = cm__ft_has_words(f, "en semaine");
    for (const char *p = f; (p = strchr(p, ' ')) != NULL;) {
        p++;
        size_t l, l2;
        int a = day_at(p, &l), b = -1;
        if (a < 0)
            continue;
        const char *q = p + l;
        size_t sep = strncmp(q, " au ", 4) == 0 ? 4 : strncmp(q, " a ", 3) == 0 ? 3 : 0;
        if (sep)
            b = day_at(q + sep, &l2);
        if (b >= 0) { /* Monday to Sunday at most: no wrapping "du samedi au lundi" */
            if (b < a)
                return 0;
            for (int d = a; d <= b; d++)
                range |= 1u << d;
            ranges++;
            p = q + sep + l2;
        } else {
            list |= 1u << a;
            p = q;
        }
    }
    if ((week ? 1 : 0) + (ranges ? 1 : 0) + (list ? 1 : 0) != 1 || ranges > 1)
        return 0;
    return week ? 0x1fu : ranges ? range : list;
}

/* A time of folded text at p: "6h30", "14h", "14h00" (hours 0-24); its minutes, or -1, and
 * *end past it. */
static int time_at(const char *p, const char **end)
{
    if (!isdigit((unsigned char)*p))
        return -1;
    char *e;
    long h = strtol(p, &e, 10);
    if (*e != 'h' || h > 24 || e - p > 2)
        return -1;
    e++;
    long m = 0;
    if (isdigit((unsigned char)e[0])) {
        if (!isdigit((unsigned char)e[1]) || isdigit((unsigned char)e[2]))
            return -1;
        m = (e[0] - '0') * 10 + (e[1] - '0');
        if (m > 59)
            return -1;
        e += 2;
    }
    if (*e != ' ' || (h == 24 && m))
        return -1;
    *end = e;
    return (int)(h * 60 + m) % 1440;
}

/* The spans "A a B" of a folded sentence (the fold reads "6h30-14h" as "6h30 a 14h"), at most
 * 3; a time alone (not in a span, nor a break's length) makes it unreadable (-1). */
static int spans_of(const char *f, int from[3], int to[3])
{
    int n = 0;
    for (const char *p = f; *p; p++) {
        if (!isdigit((unsigned char)*p) || (p > f && p[-1] != ' '))
            continue;
        const char *e;
        size_t dl;
        int a = time_at(p, &e);
        if (a < 0)
            continue;
        int b = -1;
        if (strncmp(e, " a ", 3) == 0)
            b = time_at(e + 3, &e);
        else if (strncmp(e, " et ", 4) == 0 && p - f >= 7 && strncmp(p - 7, " entre ", 7) == 0)
            b = time_at(e + 4, &e); /* "entre 11h30 et 14h" (a helper's probe: not read) */
        else if (strncmp(e, " de pause ", 10) == 0 || strncmp(e, " pause ", 7) == 0 ||
                 strncmp(e, " de coupure ", 12) == 0 ||
                 (p - f >= 4 && strncmp(p - 4, " en ", 4) == 0) ||
                 /* the week's or a visit's length: "Temps partiel 24h : présence...", "3h le
                  * jeudi après-midi (14h-17h)" (a helper's probe: the windows were lost) */
                 (p - f >= 8 && strncmp(p - 8, "partiel ", 8) == 0) ||
                 (p - f >= 6 && strncmp(p - 6, "plein ", 6) == 0) ||
                 (strncmp(e, " le ", 4) == 0 && day_at(e + 4, &dl) >= 0) ||
                 strncmp(e, " par ", 5) == 0 || strncmp(e, " hebdo", 6) == 0 ||
                 /* "pause déjeuner d'1h" (a helper's probe: the day was lost) */
                 (p - f >= 3 && strncmp(p - 3, " d ", 3) == 0)) {
            p = e; /* "avec 1h de pause", "poste en 7h30": a length, not a time of the day */
            continue;
        }
        if (b < 0 || a == b)
            return -1;
        if (n == 3)
            return -1;
        from[n] = a;
        to[n++] = b;
        p = e;
    }
    return n;
}

static int span_len(int a, int b)
{
    return b > a ? b - a : b + 1440 - a;
}

static void add_win(sched_t *s, unsigned days, int from, int to)
{
    for (int i = 0; i < s->n; i++)
        if (s->w[i].from == from && s->w[i].to == to) {
            s->w[i].days |= days; /* the same hours on other days, or said twice */
            return;
        }
    if (s->n == MAX_WIN) {
        s->conflict = true;
        return;
    }
    s->w[s->n++] = (win_t){days, from, to};
}

/* Does the folded sentence at f open on its days or hours ("Du lundi au vendredi de 9h...",
 * "Le samedi de 8h...", "En semaine...", "7h-14h...")? */
/* A day named at f after one of the leads ("du lundi", "le samedi"; " de " also takes an
 * hour, "de 9h"). */
static bool day_after(const char *f, const char *const *lead)
{
    size_t l;
    for (int k = 0; lead[k]; k++) {
        size_t n = strlen(lead[k]);
        if (strncmp(f, lead[k], n) != 0)
            continue;
        if (day_at(f + n, &l) >= 0 ||
            (strcmp(lead[k], " de ") == 0 && isdigit((unsigned char)f[n])))
            return true;
    }
    return false;
}

static bool days_or_hours_at(const char *f)
{
    static const char *const lead[] = {" du ", " le ", " les ", " de ", " ", NULL};
    return strncmp(f, " en semaine ", 12) == 0 || isdigit((unsigned char)f[1]) ||
           day_after(f, lead);
}

/* Does the folded sentence state a schedule: its days or hours first, after an optional
 * "Horaires :", or its days after a name of three words at most ("IDE du lundi au vendredi,
 * de 9h à 17h", "Auxiliaire de vie du lundi...": a helper's probe; not "EHPAD de 80 lits")?
 * One with a verb first ("L'IME fonctionne du lundi...") may be anyone's, unless the verb is
 * the job's (`job` below). */
static bool opens_on_schedule(const char *f)
{
    if (strncmp(f, " horaires ", 10) == 0)
        f += 9;
    static const char *const after_name[] = {" du ", " le ", " les ", NULL};
    const char *p = f;
    for (int words = 0; words <= 3 && *p; words++) {
        if (words == 0 ? days_or_hours_at(p) : day_after(p, after_name))
            return true;
        p = strchr(p + 1, ' ');
        if (!p)
            break;
    }
    return false;
}

/* The night minutes of a span, by the half hour (21:00-06:00). */
static int night_halves(int from, int to)
{
    int in = 0, len = span_len(from, to);
    for (int t = 0; t < len; t += 30) {
        int m = (from + t) % 1440;
        in += m >= 21 * 60 || m < 6 * 60;
    }
    return in;
}

/* A rota said with its shifts' hours: two or three shifts of 4 to 13 hours, one or the other
 * ("ou", "/", "en alternance", "roulement"), that follow or overlap each other (a break between
 * them is a split day, read below), one starting before 10:00 and one ending after 17:00 (or
 * one at night): "7h-14h ou 14h-21h en alternance", "6h45-14h15 / 13h45-21h15", "7h-19h /
 * 19h-7h". Not the house's hours, nor a training's. The windows are not read (which days get
 * which shift is not said); the work pattern says rota, so that someone free only mornings,
 * or only afternoons, is told. */
static void rota_sentence(sched_t *s, const char *f)
{
    static const char *const joined[] = {"ou",        "alternance", "alternes",
                                         "roulement", "rotation",   NULL};
    static const char *const other[] = {
        "ouvert",    "ouverte",     "ouverture",   "accueil",     "accueille",  "permanence",
        "formation", "stage",       "reunion",     "entretien",   "contact",    "joignable",
        "telephone", "fonctionne",  "infirmiers",  "infirmieres", "educateurs", "secretariat",
        "possible",  "possibilite", "candidature", "visite",      NULL};
    /* shifts labelled by their half of the day: "matin 6h30-14h, après-midi 13h30-21h" (a
     * helper's probe: not read) */
    static const char *const later[] = {"apres midi", "soir", "soiree", NULL};
    bool labelled = cm__ft_has_words(f, "matin") && cm__ft_has_any(f, later);
    int from[3], to[3];
    int n = spans_of(f, from, to);
    if (n < 2 || cm__ft_says_no(f) ||
        (!strchr(f, '/') && !cm__ft_has_any(f, joined) && !labelled) || cm__ft_has_any(f, other))
        return;
    bool early = false, late = false, night = false;
    for (int i = 0; i < n; i++) {
        int len = span_len(from[i], to[i]);
        if (len < 4 * 60 || len > 13 * 60)
            return;
        if (i > 0 && from[i] >= to[i - 1] + 30 && from[i] > from[i - 1])
            return; /* a break between them: a split day */
        early |= from[i] < 10 * 60;
        late |= to[i] > 17 * 60 || to[i] < from[i];
        night |= night_halves(from[i], to[i]) >= 6;
    }
    if (!(early && late) && !night)
        return;
    if (!s->rota)
        s->rota_field = s->field;
    s->rota = true;
    s->rota_night |= night;
}

/* Adds name to the record's work_pattern unless there. */
static int add_pattern(cJSON *o, const char *name)
{
    cJSON *wp = cJSON_GetObjectItemCaseSensitive(o, "work_pattern"), *it;
    if (!wp && !(wp = cJSON_AddArrayToObject(o, "work_pattern")))
        return CM_ENOMEM;
    cJSON_ArrayForEach(it, wp)
    {
        if (cJSON_IsString(it) && strcmp(it->valuestring, name) == 0)
            return 0;
    }
    cJSON *v = cJSON_CreateString(name);
    if (!v || !cJSON_AddItemToArray(wp, v)) {
        cJSON_Delete(v);
        return CM_ENOMEM;
    }
    return 0;
}

/* A sentence whose only denial is of the weekend, its days all weekdays: "Du lundi au
 * vendredi de 7h à 15h, pas de week-end" (a probe: the denial hid the hours). The denial agrees
 * with the days given; the windows are read. */
static bool weekdays_no_weekend(const char *f)
{
    static const char *const denial[] = {
        " pas de week end ", " pas de week ends ", " pas de weekend ", " pas de weekends ",
        " sans week end ", " sans week ends ", " hors week end ", " hors week ends ",
        /* "pas de week-end ni de jours fériés", "pas de week-end, ni de nuit" (a helper's
         * probe: the hours were lost) */
        " ni de jours feries ", " ni les jours feries ", " ni jours feries ", " ni ferie ",
        " ni de nuit ", " ni de nuits ", " ni nuit ", " pas de nuit ", " pas de nuits ",
        " pas de jours feries ", NULL};
    unsigned days = days_of(f);
    if (!days || (days & 0x60u))
        return false;
    char buf[512];
    size_t n = strlen(f);
    if (n >= sizeof buf)
        return false;
    memcpy(buf, f, n + 1);
    bool found = false;
    for (int k = 0; denial[k]; k++)
        for (char *p; (p = strstr(buf, denial[k])) != NULL; found = true)
            memset(p + 1, ' ', strlen(denial[k]) - 2);
    return found && !cm__ft_says_no(buf);
}

/* Does the sentence name someone else's hours (other[])? Not in the job's own words: the
 * cleaning ("pour l'entretien d'un EHPAD", "l'entretien de sa maison"), a nanny's school run
 * ("pour les sorties d'école"), which a helper's probe took for an interview and an outing. */
static bool others_hours(const char *f, const char *const *other)
{
    static const char *const own[] = {
        " pour l entretien ", " l entretien de la ", " l entretien des ", " l entretien du ",
        " l entretien d un ", " l entretien d une ", " l entretien de sa ", " l entretien de son ",
        " l entretien de ses ", " entretien des locaux ", " entretien du linge ",
        " entretien de la maison ", " entretien du logement ", " sorties d ecole ",
        " sortie d ecole ", " sorties de classe ", " sortie de classe ", " sorties des ecoles ",
        " sortie des ecoles ", " sortie de l ecole ", " sorties de l ecole ",
        /* "entretien des salles à manger" (a helper's probe) */
        " entretien des salles ", " entretien des chambres ", " entretien des parties ", NULL};
    char buf[1024];
    size_t n = strlen(f);
    if (n >= sizeof buf)
        return cm__ft_has_any(f, other);
    memcpy(buf, f, n + 1);
    for (int k = 0; own[k]; k++)
        for (char *p; (p = strstr(buf, own[k])) != NULL;)
            memset(p + 1, '_', strlen(own[k]) - 2);
    return cm__ft_has_any(buf, other);
}

static int schedule_sentence(void *arg, const char *f)
{
    /* someone else's hours, or something else's */
    static const char *const other[] = {
        "ouvert",      "ouverte",   "ouverture",  "accueil",    "accueille",   "accueillis",
        "permanence",  "formation", "stage",      "reunion",    "entretien",   "entretiens",
        "visite",      "visites",   "equipe",     "infirmiers", "infirmieres", "educateurs",
        "secretariat", "contact",   "joignable",  "telephone",  "candidature", "candidatures",
        "forum",       "navette",   "fonctionne", "recoit",     "sortie",      "sorties",
        "activites",   NULL};
    /* the job's hours, but a choice, a rota, an exception, an option or a period: not read,
     * said unread */
    static const char *const unsure[] = {"ou",       "alternance",  "roulement",      "selon",
                                         "planning", "sauf",        "environ",        "rotation",
                                         "possible", "possibilite", "eventuellement", "idealement",
                                         "definir",  "repos",       "vacances",       "scolaires",
                                         "hiver",    "ete",         "saison",         NULL};
    /* a break said ("pause repas de 12h à 13h", "avec 1h de pause déjeuner"): the day's
     * hours, less it; a meal otherwise is someone else's hours (the residents') */
    static const char *const pause[] = {"pause", "coupure", NULL};
    bool paused = cm__ft_has_any(f, pause);
    /* in the description, the sentence says it is the job's hours; or the job, its subject
     * first ("L'IDE travaille du lundi au vendredi", "Particulier recherche une auxiliaire de
     * vie du lundi au vendredi de 9h à 12h", "Deux familles cherchent une nounou"); home
     * care's "Interventions du lundi au vendredi de 8h à 13h" */
    static const char *const job[] = {
        "horaires", "horaire", "travail", "poste", "vous travaillerez", "vous travaillez",
        "vous interviendrez", "vous intervenez", "travaille", "travaillera", "intervient",
        "interviendra", "recherche", "recherchons", "recherchent", "cherche", "cherchons",
        "cherchent", "recrute", "recrutons", "recrutent", "temps plein", "temps partiel",
        "journee continue", "roulement", "interventions", "intervention",
        /* "Présence le matin de 8h à 12h", "L'animateur est
         * présent du mardi au samedi" (a helper's probe) */
        "presence", "present", "presente", "accompagnement",
        /* "Postes du matin : 6h45 - 14h15", a nanny's "Gardes après l'école du lundi au
         * vendredi" (a helper's probe) */
        "postes", "garde", "gardes", NULL};
    sched_t *s = arg;
    /* the days on a line of their own, the hours on the next ("Jours de travail : lundi,
     * mercredi, vendredi." then "Horaires : 8h30 - 17h30.": a helper's probe read neither) */
    if (f[strspn(f, " ")] == '\0') /* the gap between "vendredi." and its line's end */
        return 0;
    unsigned carry = s->carry;
    s->carry = 0;
    static const char *const days_label[] = {" jours ", " jours de travail ", " jours travailles ",
                                             NULL};
    int scratch_from[3], scratch_to[3];
    size_t dl;
    for (int k = 0; days_label[k]; k++)
        /* the days themselves next ("Jours de repos : samedi et dimanche" is none: a
         * reviewer's catch) */
        if (strncmp(f, days_label[k], strlen(days_label[k])) == 0 && !cm__ft_says_no(f) &&
            day_at(f + strlen(days_label[k]), &dl) >= 0 &&
            spans_of(f, scratch_from, scratch_to) == 0) {
            s->carry = days_of(f);
            return 0;
        }
    if (s->free_text && !cm__ft_has_any(f, job) && !opens_on_schedule(f))
        return 0;
    rota_sentence(s, f);
    /* the residents' meal is someone else's hours; helping at it is the job ("entre 11h30 et
     * 14h pour l'aide au repas", a helper's probe) */
    static const char *const meal_job[] = {
        "aide au repas",         "aide aux repas",       "aide a la prise des repas",
        "preparation des repas", "preparation du repas", NULL};
    if (others_hours(f, other) ||
        (cm__ft_has_words(f, "repas") && !paused && !cm__ft_has_any(f, meal_job)))
        return 0;
    int from[3], to[3];
    int n = spans_of(f, from, to);
    if (n > 0 && !s->stated_field) /* the job's hours: read below, or said unread */
        s->stated_field = s->field;
    if ((cm__ft_says_no(f) && !weekdays_no_weekend(f)) || cm__ft_has_any(f, unsure))
        return 0;
    /* a split day, whatever its days ("Horaires : 9h-13h et 16h-20h", a helper's probe) */
    /* "et", "/" or "puis" join a split day's spans ("de 7h30 à 12h puis de 17h à 20h": a
     * helper's probe) */
    bool joined = cm__ft_has_words(f, "et") || strchr(f, '/') || cm__ft_has_words(f, "puis");
    if (n == 2 && joined && from[0] < to[0] && from[1] < to[1] && from[1] >= to[0] + 150)
        s->split = true;
    if (n <= 0) /* "7h-14h / 14h-21h": one or the other (a rota, above) is no split day */
        return 0;
    unsigned days = days_of(f);
    if (!days && carry && strncmp(f, " horaires ", 10) == 0)
        days = carry;
    if (!days)
        return 0;
    if (n == 3)
        return 0;
    /* "de 8h à 17h, pause de 12h à 13h": the break taken out of the day */
    if (n == 2 && paused && from[0] < from[1] && to[1] < to[0] && from[1] < to[1]) {
        int end = to[0];
        to[0] = from[1];
        from[1] = to[1];
        to[1] = end;
    }
    for (int i = 0; i < n; i++) /* a shift of 1 to 13 hours */
        if (span_len(from[i], to[i]) < 60 || span_len(from[i], to[i]) > 13 * 60)
            return 0;
    /* two spans: a split day, the second after a break, the day within 15 hours ("de 8h à
     * 12h et de 17h à 20h", "8h-12h / 17h-20h") */
    if (n == 2 && ((!joined && !paused) || from[0] >= to[0] || from[1] >= to[1] ||
                   from[1] < to[0] + 30 || to[1] - from[0] > 15 * 60))
        return 0;
    /* the days already have other hours: a rota, or one of the two sentences is wrong */
    for (int i = 0; i < s->n; i++)
        if ((s->w[i].days & days) && (s->w[i].from != from[0] || s->w[i].to != to[0]) &&
            (n == 1 || s->w[i].from != from[1] || s->w[i].to != to[1]))
            s->conflict = true;
    for (int i = 0; i < n; i++)
        add_win(s, days, from[i], to[i]);
    if (!s->first_field)
        s->first_field = s->field;
    return 0;
}

static int each_string(const cJSON *v, sched_t *s, const char *field, bool free_text)
{
    s->field = field;
    s->free_text = free_text;
    return cm__ft_each_text(v, schedule_sentence, s);
}

static void hm(char out[6], int m)
{
    unsigned h = (unsigned)(m / 60) % 24u, mm = (unsigned)m % 60u;
    out[0] = (char)('0' + h / 10);
    out[1] = (char)('0' + h % 10);
    out[2] = ':';
    out[3] = (char)('0' + mm / 10);
    out[4] = (char)('0' + mm % 10);
    out[5] = '\0';
}

/* Days and hours of the job were stated, no window was read from them (a rota said above
 * is its own finding): the adviser is told to read them herself. */
static int unread(const sched_t *s, cm__ft_ctx_t *c)
{
    if (s->stated_field && !s->rota)
        cm__ft_find(c, CM_FT_LOST, "schedule_unread", s->stated_field, NULL,
                    "working hours stated but not read as schedule windows (a choice, an "
                    "exception, several hours for a day, or not the week's hours): matching "
                    "goes by the work pattern; check them");
    return 0;
}

/* The minutes of the week the windows make, breaks included. */
static int windows_week(const sched_t *s)
{
    int week = 0;
    for (int i = 0; i < s->n; i++)
        week += __builtin_popcount(s->w[i].days) * span_len(s->w[i].from, s->w[i].to);
    return week;
}

/* Are the windows read the job's? Without the week's hours, nothing tells the job's hours from
 * a meeting's or the house's; with them, the windows must make that week within 30 % (breaks
 * included); and a night job's (night_said: its title, its fields) must hold three hours of
 * night, the labour code's night work, else they are the day team's or the house's. */
static bool windows_fit(const sched_t *s, double hours, bool night_said)
{
    bool night_read = false;
    for (int i = 0; i < s->n; i++)
        night_read |= night_halves(s->w[i].from, s->w[i].to) >= 6;
    int week = windows_week(s);
    return hours > 0 && week >= 0.7 * 60 * hours && week <= 1.3 * 60 * hours &&
           (night_read || !night_said);
}

/* Full time assumed (no figure said), and the text's windows make a longer week: a nanny's
 * "du lundi au vendredi, 8h30-18h30" is 50 hours, not 35 (a helper's probe: the windows were
 * dropped and 35 kept). Up to 50 hours, the most a week of care at home is worked; the
 * windows then give hours_per_week, breaks included. */
#define ASSUMED_WEEK_MAX_H 55 /* 50 worked, with a nanny's meal breaks (8h15-18h45: 52.5) */
static bool windows_longer_week(const sched_t *s, const cm__ft_ctx_t *c, double hours,
                                bool night_said)
{
    int week = windows_week(s);
    return c->hours_assumed && week > 1.3 * 60 * hours && week <= 60 * ASSUMED_WEEK_MAX_H &&
           windows_fit(s, week / 60.0, night_said);
}

int cm__ft_schedule(const cJSON *ft, cJSON *o, cm__ft_ctx_t *c)
{
    sched_t s = {.n = 0};
    int rc;
    if ((rc = each_string(cm__ft_get(cm__ft_get(ft, "contexteTravail"), "horaires"), &s,
                          "contexteTravail.horaires", false)) ||
        (rc = each_string(cm__ft_get(ft, "complementExercice"), &s, "complementExercice", false)) ||
        (rc = each_string(cm__ft_get(ft, "description"), &s, "description", true)))
        return rc;
    if (s.split && (rc = add_pattern(o, "split")))
        return rc;
    if (s.rota) {
        if ((rc = add_pattern(o, "shifts")) || (s.rota_night && (rc = add_pattern(o, "night"))))
            return rc;
        cm__ft_find(c, CM_FT_GUESS, "rota_from_text", s.rota_field, NULL,
                    "shifts said with their hours, one or the other: work pattern shifts%s",
                    s.rota_night ? " and night" : "");
    }
    if (s.n == 0 || s.conflict)
        return unread(&s, c);
    bool night_said = false;
    const cJSON *wp = cJSON_GetObjectItemCaseSensitive(o, "work_pattern"), *it;
    cJSON_ArrayForEach(it, wp)
    {
        night_said |= cJSON_IsString(it) && strcmp(it->valuestring, "night") == 0;
    }
    cJSON *h = cJSON_GetObjectItemCaseSensitive(o, "hours_per_week");
    if (cJSON_IsNumber(h) && windows_longer_week(&s, c, h->valuedouble, night_said)) {
        double week = windows_week(&s) / 60.0;
        cJSON_SetNumberValue(h, week);
        cm__ft_find(c, CM_FT_GUESS, "hours_from_schedule", s.first_field, NULL,
                    "full time with no figure: %.1f hours a week, as the windows read in the "
                    "text make it",
                    week);
    }
    /* part time with no figure (partners' and families' offers: a helper's probe), the hours
     * said only as days and times ("les lundis, mardis, jeudis et vendredis de 16h30 à 19h"):
     * the windows, read from a sentence that says they are the job's, give the week */
    int week = windows_week(&s);
    if (!h && week >= 60 && week <= 60 * 35 && windows_fit(&s, week / 60.0, night_said)) {
        h = cJSON_AddNumberToObject(o, "hours_per_week", week / 60.0);
        if (!h)
            return CM_ENOMEM;
        cm__ft_find(c, CM_FT_GUESS, "hours_from_schedule", s.first_field, NULL,
                    "no weekly hours given: %.1f hours a week, as the windows read in the text "
                    "make it",
                    week / 60.0);
    }
    if (!cJSON_IsNumber(h) || !windows_fit(&s, h->valuedouble, night_said))
        return unread(&s, c);
    cJSON *arr = cJSON_AddArrayToObject(o, "schedule");
    if (!arr)
        return CM_ENOMEM;
    char said[160];
    size_t len = 0;
    said[0] = '\0';
    for (int i = 0; i < s.n; i++) {
        cJSON *w = cJSON_CreateObject(), *days = w ? cJSON_AddArrayToObject(w, "days") : NULL;
        if (!days || !cJSON_AddItemToArray(arr, w)) {
            cJSON_Delete(days ? w : NULL);
            return CM_ENOMEM;
        }
        for (int d = 0; d < 7; d++) {
            cJSON *dn = (s.w[i].days >> d & 1) ? cJSON_CreateString(day_codes[d]) : NULL;
            if ((s.w[i].days >> d & 1) && (!dn || !cJSON_AddItemToArray(days, dn)))
                return CM_ENOMEM;
        }
        char a[6], b[6];
        hm(a, s.w[i].from);
        hm(b, s.w[i].to);
        if (!cJSON_AddStringToObject(w, "from", a) || !cJSON_AddStringToObject(w, "to", b))
            return CM_ENOMEM;
        int k = snprintf(said + len, sizeof said - len, "%s%s-%s", len ? ", " : "", a, b);
        if (k > 0 && (size_t)k < sizeof said - len)
            len += (size_t)k;
    }
    cm__ft_find(c, CM_FT_GUESS, "schedule_from_text", s.first_field, said,
                "working hours read in the text as schedule windows");
    /* windows on Saturday or Sunday are weekend work, however the sentence named the days (a
     * helper's probe: "le samedi et le dimanche de 6h à 12h" in a sentence naming an EHPAD) */
    unsigned all = 0;
    for (int i = 0; i < s.n; i++)
        all |= s.w[i].days;
    return (all & 0x60u) ? add_pattern(o, "weekend") : 0;
}

int cm__ft_text_windows(const char *title, const char *description, double hours, bool night_said,
                        cm_window_t *out, int max)
{
    sched_t s = {.n = 0};
    s.field = "description";
    s.free_text = true;
    if (!description || hours <= 0 ||
        cm__ft_each_sentence(description, schedule_sentence, &s) != 0 || s.n == 0 || s.conflict ||
        s.n > max)
        return 0;
    if (!windows_fit(&s, hours,
                     night_said || (cm__ft_text_work_pattern(title, description) & CM_WORK_NIGHT)))
        return 0;
    for (int i = 0; i < s.n; i++)
        out[i] = (cm_window_t){(uint8_t)s.w[i].days, (uint16_t)(s.w[i].from % 1440),
                               (uint16_t)(s.w[i].to % 1440)};
    return s.n;
}
