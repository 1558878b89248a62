/* carematch-gen's record synthesis (see gen.h): where people live, what care jobs look like,
 * and the French free text that goes with them. Proportions are in corpora/data/jobs.c and
 * below; corpora/README.md says where they come from. */
#include "gen.h"

#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"
#include "tables.h"

enum { KIND_OFFER = 1, KIND_CANDIDATE = 2 };
enum {
    EMP_EHPAD = 1,
    EMP_SAAD,
    EMP_SSIAD,
    EMP_ESAT,
    EMP_IME,
    EMP_MAS,
    EMP_FAM,
    EMP_FOYER,
    EMP_HOPITAL,
    EMP_CRECHE,
    EMP_OTHER,
    EMP__COUNT
};

static const char *const kind_names[EMP__COUNT] = {"",      "ehpad",   "saad",   "ssiad",
                                                   "esat",  "ime",     "mas",    "fam",
                                                   "foyer", "hopital", "creche", "other"};
static const char *const day_names[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

/* The day after 1970-01-01 of 2026-06-01: offers are published over the half-year after. */
#define PUBLISH_BASE_DAYS 20605
#define LONG_TEXT_BYTES 20000

struct cg_ctx {
    uint64_t seed;
    uint64_t *cum; /* cumulative commune weights */
    uint64_t total;
    char (*city)[96]; /* display name: "Paris" for "Paris 11e Arrondissement" */
    const cg_anchor_t *anchors;
    size_t n_anchors;
    unsigned near_km;
};

/* ---- sampling helpers ---- */

static size_t pick_commune(const cg_ctx_t *ctx, cg_rng_t *r)
{
    uint64_t x = cg_next(r) % ctx->total;
    size_t lo = 0, hi = cg_n_communes - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ctx->cum[mid] > x)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* Index into a percentage (or per-mille) row of n entries summing to `total`. */
static int pick_weighted(cg_rng_t *r, const uint8_t *w, int n)
{
    int x = (int)cg_below(r, 100), acc = 0;
    for (int i = 0; i < n; i++) {
        acc += w[i];
        if (x < acc)
            return i;
    }
    for (int i = n - 1; i >= 0; i--)
        if (w[i])
            return i;
    return 0;
}

static int pick_job(cg_rng_t *r, bool for_offer)
{
    int x = (int)cg_below(r, 1000), acc = 0;
    for (size_t i = 0; i < cg_n_jobs; i++) {
        acc += for_offer ? cg_jobs[i].offer_weight : cg_jobs[i].cand_weight;
        if (x < acc)
            return (int)i;
    }
    return 0;
}

static int job_by_rome(const char *rome)
{
    for (size_t i = 0; i < cg_n_jobs; i++)
        if (strcmp(cg_jobs[i].rome, rome) == 0)
            return (int)i;
    return -1;
}

static size_t list_len(const char *const *l)
{
    size_t n = 0;
    while (l[n])
        n++;
    return n;
}

static const char *pick_str(cg_rng_t *r, const char *const *l)
{
    return l[cg_below(r, (uint32_t)list_len(l))];
}

/* A point uniformly in the disc of radius m metres around (lat, lon). */
static void jitter(cg_rng_t *r, int32_t lat_e6, int32_t lon_e6, double m, double *lat, double *lon)
{
    double d = m * sqrt(cg_unit(r)), th = 2 * M_PI * cg_unit(r);
    *lat = lat_e6 / 1e6 + d * cos(th) / 111320.0;
    *lon = lon_e6 / 1e6 + d * sin(th) / (111320.0 * cos(*lat * M_PI / 180));
}

static size_t nearest_commune(double lat, double lon)
{
    size_t best = 0;
    double bd = 1e300;
    for (size_t i = 0; i < cg_n_communes; i++) {
        double dy = cg_communes[i].lat_e6 / 1e6 - lat;
        double dx = (cg_communes[i].lon_e6 / 1e6 - lon) * cos(lat * M_PI / 180);
        double d = dx * dx + dy * dy;
        if (d < bd) {
            bd = d;
            best = i;
        }
    }
    return best;
}

/* ---- French text helpers ---- */

static bool starts_with_vowel(const char *s)
{
    if (strchr("AEIOUYaeiouy", s[0]) && s[0])
        return true;
    /* É È Ê Î Ô in UTF-8: 0xC3 then 0x89 0x88 0x8A 0x8E 0x94 */
    return (unsigned char)s[0] == 0xC3 && strchr("\x89\x88\x8a\x8e\x94", s[1]) != NULL && s[1];
}

/* "de" + city with French elision and contraction: d'Angers, du Mans, des Abymes. */
static void put_de(cg_buf_t *b, const char *city)
{
    if (strncmp(city, "Le ", 3) == 0) {
        cg_buf_puts(b, "du ");
        cg_buf_puts(b, city + 3);
    } else if (strncmp(city, "Les ", 4) == 0) {
        cg_buf_puts(b, "des ");
        cg_buf_puts(b, city + 4);
    } else if (starts_with_vowel(city)) {
        cg_buf_puts(b, "d'");
        cg_buf_puts(b, city);
    } else {
        cg_buf_puts(b, "de ");
        cg_buf_puts(b, city);
    }
}

/* "à" + city: au Mans, aux Abymes, à Lyon. */
static void put_a(cg_buf_t *b, const char *city)
{
    if (strncmp(city, "Le ", 3) == 0) {
        cg_buf_puts(b, "au ");
        cg_buf_puts(b, city + 3);
    } else if (strncmp(city, "Les ", 4) == 0) {
        cg_buf_puts(b, "aux ");
        cg_buf_puts(b, city + 4);
    } else {
        cg_buf_puts(b, "à ");
        cg_buf_puts(b, city);
    }
}

/* Label with its first ASCII letter in lower case, for use inside a sentence. */
static void put_lower_first(cg_buf_t *b, const char *s)
{
    if (s[0] >= 'A' && s[0] <= 'Z' && !(s[1] >= 'A' && s[1] <= 'Z')) {
        cg_buf_putc(b, (char)(s[0] - 'A' + 'a'));
        cg_buf_puts(b, s + 1);
    } else {
        cg_buf_puts(b, s);
    }
}

static const char *cert_label(const char *code)
{
    for (size_t i = 0; cg_cert_labels[i][0]; i++)
        if (strcmp(cg_cert_labels[i][0], code) == 0)
            return cg_cert_labels[i][1];
    return code;
}

/* ---- JSON fragments ---- */

static void put_days(cg_buf_t *b, unsigned days)
{
    cg_buf_putc(b, '[');
    bool first = true;
    for (int d = 0; d < 7; d++) {
        if (!(days & (1u << d)))
            continue;
        if (!first)
            cg_buf_putc(b, ',');
        first = false;
        cg_buf_str(b, day_names[d]);
    }
    cg_buf_putc(b, ']');
}

typedef struct win {
    unsigned days;
    int from, to; /* minutes */
} win_t;

static void put_windows(cg_buf_t *b, const win_t *w, int n)
{
    cg_buf_putc(b, '[');
    for (int i = 0; i < n; i++) {
        if (i)
            cg_buf_putc(b, ',');
        cg_buf_puts(b, "{\"days\":");
        put_days(b, w[i].days);
        cg_buf_printf(b, ",\"from\":\"%02d:%02d\",\"to\":\"%02d:%02d\"}", w[i].from / 60,
                      w[i].from % 60, w[i].to / 60, w[i].to % 60);
    }
    cg_buf_putc(b, ']');
}

static void put_location(cg_buf_t *b, double lat, double lon, const char *city,
                         const char *postcode)
{
    cg_buf_key(b, "location");
    cg_buf_printf(b, "{\"lat\":%.6f,\"lon\":%.6f", lat, lon);
    if (city) {
        cg_buf_key(b, "city");
        cg_buf_str(b, city);
    }
    cg_buf_key(b, "postcode");
    cg_buf_str(b, postcode);
    cg_buf_putc(b, '}');
}

/* "2026-06-01" from days since the epoch (Howard Hinnant's civil_from_days). */
static void format_date(int32_t z, char out[11])
{
    z += 719468;
    int32_t era = (z >= 0 ? z : z - 146096) / 146097;
    uint32_t doe = (uint32_t)(z - era * 146097);
    uint32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int32_t y = (int32_t)yoe + era * 400;
    uint32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    uint32_t mp = (5 * doy + 2) / 153;
    uint32_t d = doy - (153 * mp + 2) / 5 + 1;
    uint32_t m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    /* generated dates are years 2000-2099: the modulos only bound the printed width */
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, m % 100u, d % 100u);
}

/* ---- schedules ---- */

#define D_WEEK 0x1fu /* mon..fri */
#define D_WEND 0x60u /* sat, sun */
#define HM(h, m) ((h)*60 + (m))

/* `n` distinct days out of the week, weekend included with probability pct. */
static unsigned some_days(cg_rng_t *r, int n, unsigned weekend_pct)
{
    unsigned pool = cg_pct(r, weekend_pct) ? 0x7fu : D_WEEK, days = 0;
    int avail = __builtin_popcount(pool);
    if (n > avail)
        n = avail;
    while (__builtin_popcount(days) < n) {
        int d = (int)cg_below(r, 7);
        if (pool & (1u << d))
            days |= 1u << d;
    }
    return days;
}

/* Windows of a schedule family; returns how many (<= 2) and the usual weekly hours. */
static int family_windows(cg_rng_t *r, cg_sched_t f, win_t *w, double *hours)
{
    switch (f) {
    case CG_SCHED_DAY12:
        w[0] = (win_t){some_days(r, cg_range(r, 3, 4), 70), HM(7, 0), HM(19, 0)};
        if (cg_pct(r, 15))
            w[0].from = HM(6, 45), w[0].to = HM(18, 45);
        *hours = 35;
        return 1;
    case CG_SCHED_NIGHT12:
        w[0] = (win_t){some_days(r, 3, 70), HM(19, 0), HM(7, 0)};
        *hours = 35;
        return 1;
    case CG_SCHED_NIGHT10:
        w[0] = (win_t){some_days(r, cg_range(r, 3, 4), 60), HM(21, 0), HM(7, 0)};
        if (cg_pct(r, 20))
            w[0].from = HM(20, 30), w[0].to = HM(6, 30);
        *hours = cg_pct(r, 50) ? 35 : 32;
        return 1;
    case CG_SCHED_SHIFT:
        if (cg_pct(r, 55))
            w[0] = (win_t){some_days(r, 5, 50), HM(6, 45), HM(14, 15)};
        else
            w[0] = (win_t){some_days(r, 5, 50), HM(13, 45), HM(21, 15)};
        *hours = 35;
        return 1;
    case CG_SCHED_SPLIT: {
        unsigned days = cg_pct(r, 40) ? 0x7fu : D_WEEK;
        w[0] = (win_t){days, HM(7, 30), HM(12, 0)};
        w[1] = (win_t){days, HM(17, 0), HM(20, 30)};
        *hours = (double)cg_range(r, 4, 7) * 5;
        return 2;
    }
    case CG_SCHED_OFFICE:
        w[0] = (win_t){D_WEEK, HM(9, 0), HM(17, 0)};
        if (cg_pct(r, 30))
            w[0].from = HM(8, 30), w[0].to = HM(16, 30);
        *hours = 35;
        return 1;
    case CG_SCHED_CRECHE:
        if (cg_pct(r, 50))
            w[0] = (win_t){D_WEEK, HM(7, 30), HM(15, 0)};
        else
            w[0] = (win_t){D_WEEK, HM(10, 30), HM(18, 30)};
        *hours = cg_pct(r, 70) ? 35 : 28;
        return 1;
    case CG_SCHED_SCHOOL:
        w[0] = (win_t){0x1bu, HM(16, 15), HM(19, 15)}; /* mon tue thu fri */
        w[1] = (win_t){0x04u, HM(8, 30), HM(18, 30)};  /* wednesday */
        *hours = 22;
        return 2;
    case CG_SCHED_MORNINGS:
    default:
        w[0] = (win_t){some_days(r, cg_range(r, 4, 5), 20), HM(8, 0), HM(12, 0)};
        *hours = (double)__builtin_popcount(w[0].days) * 4;
        return 1;
    }
}

static bool is_night(cg_sched_t f)
{
    return f == CG_SCHED_NIGHT12 || f == CG_SCHED_NIGHT10;
}

static void put_schedule_sentence(cg_buf_t *b, cg_sched_t f, const win_t *w)
{
    bool wend = (w[0].days & D_WEND) != 0;
    switch (f) {
    case CG_SCHED_DAY12:
        cg_buf_printf(b, "Poste en 12 heures de jour (%dh%02d-%dh%02d), %d jours par semaine%s. ",
                      w[0].from / 60, w[0].from % 60, w[0].to / 60, w[0].to % 60,
                      __builtin_popcount(w[0].days),
                      wend ? ", un week-end sur deux travaillé" : ", sans week-end");
        break;
    case CG_SCHED_NIGHT12:
    case CG_SCHED_NIGHT10:
        cg_buf_printf(b, "Travail de nuit (%dh%02d-%dh%02d), %d nuits par semaine. ",
                      w[0].from / 60, w[0].from % 60, w[0].to / 60, w[0].to % 60,
                      __builtin_popcount(w[0].days));
        break;
    case CG_SCHED_SHIFT:
        cg_buf_puts(b, w[0].from < HM(12, 0) ? "Poste du matin (6h45-14h15)"
                                             : "Poste d'après-midi (13h45-21h15)");
        cg_buf_puts(b, wend ? ", week-ends par roulement. " : ", du lundi au vendredi. ");
        break;
    case CG_SCHED_SPLIT:
        cg_buf_puts(b, "Horaires coupés : 7h30-12h et 17h-20h30");
        cg_buf_puts(b, wend ? ", week-ends compris (planning établi un mois à l'avance). "
                            : ", du lundi au vendredi. ");
        break;
    case CG_SCHED_OFFICE:
        cg_buf_puts(b, "Horaires de journée du lundi au vendredi, pas de week-end. ");
        break;
    case CG_SCHED_CRECHE:
        cg_buf_puts(b, "Amplitude d'ouverture 7h30-18h30, horaires en décalé. ");
        break;
    case CG_SCHED_SCHOOL:
        cg_buf_puts(b, "Sorties d'école (16h15-19h15) et mercredis en journée. ");
        break;
    default:
        cg_buf_puts(b, "Temps partiel le matin (8h-12h). ");
        break;
    }
}

/* ---- employers ---- */

static void employer_name(cg_buf_t *b, cg_rng_t *r, int kind, const char *city, uint32_t population)
{
    const char *place = pick_str(r, cg_place_names), *saint = pick_str(r, cg_saints);
    switch (kind) {
    case EMP_EHPAD:
        cg_buf_puts(b, cg_pct(r, 70) ? "EHPAD " : "Résidence ");
        cg_buf_puts(b, cg_pct(r, 85) ? place : saint);
        break;
    case EMP_SAAD:
        if (cg_pct(r, 40)) {
            cg_buf_puts(b, "ADMR ");
            put_de(b, city);
        } else if (cg_pct(r, 50)) {
            cg_buf_puts(b, "Aide à domicile ");
            put_de(b, city);
        } else {
            cg_buf_puts(b, "SAAD ");
            cg_buf_puts(b, place);
        }
        break;
    case EMP_SSIAD:
        cg_buf_puts(b, "SSIAD ");
        put_de(b, city);
        break;
    case EMP_ESAT:
        cg_buf_puts(b, "ESAT ");
        cg_buf_puts(b, place);
        break;
    case EMP_IME:
        cg_buf_puts(b, "IME ");
        cg_buf_puts(b, place);
        break;
    case EMP_MAS:
        cg_buf_puts(b, "MAS ");
        cg_buf_puts(b, place);
        break;
    case EMP_FAM:
        cg_buf_puts(b, "FAM ");
        cg_buf_puts(b, place);
        break;
    case EMP_FOYER:
        cg_buf_puts(b, cg_pct(r, 60) ? "Foyer de vie " : "Foyer d'hébergement ");
        cg_buf_puts(b, place);
        break;
    case EMP_HOPITAL:
        if (population >= 100000 && cg_pct(r, 50)) {
            cg_buf_puts(b, "CHU ");
            put_de(b, city);
        } else if (cg_pct(r, 70)) {
            cg_buf_puts(b, "Centre hospitalier ");
            put_de(b, city);
        } else {
            cg_buf_puts(b, "Clinique ");
            cg_buf_puts(b, saint);
        }
        break;
    case EMP_CRECHE:
        cg_buf_puts(b, cg_pct(r, 50) ? "Crèche " : "Multi-accueil ");
        cg_buf_puts(b, place);
        break;
    default:
        if (cg_pct(r, 40)) {
            cg_buf_puts(b, "CCAS ");
            put_de(b, city);
        } else if (cg_pct(r, 50)) {
            cg_buf_puts(b, "Association ");
            cg_buf_puts(b, saint);
        } else {
            cg_buf_puts(b, "Particulier employeur");
        }
        break;
    }
}

static const char *const kind_intro[EMP__COUNT] = {
    "",
    "%s, EHPAD de %d lits, accueille des personnes âgées dépendantes ",
    "%s, service d'aide et d'accompagnement à domicile, intervient auprès de %d bénéficiaires ",
    "%s, service de soins infirmiers à domicile de %d places, intervient ",
    "%s accompagne %d travailleurs en situation de handicap dans ses ateliers (espaces verts, "
    "blanchisserie, restauration) ",
    "%s, institut médico-éducatif, accueille %d enfants et adolescents ",
    "%s, maison d'accueil spécialisée, accompagne %d adultes polyhandicapés ",
    "%s, foyer d'accueil médicalisé, accueille %d adultes en situation de handicap ",
    "%s, foyer de %d places, propose un accompagnement au quotidien ",
    "%s (%d lits) recrute pour ses services de médecine, de chirurgie et de gériatrie ",
    "%s, établissement d'accueil du jeune enfant de %d berceaux, recrute ",
    "%s recrute pour accompagner %d personnes "};

static const char *const perks[] = {"prime Ségur",
                                    "mutuelle d'entreprise prise en charge à 50 %",
                                    "indemnités kilométriques",
                                    "tickets restaurant",
                                    "comité social et économique",
                                    "logement possible les premiers mois",
                                    "accès en transports en commun",
                                    "crèche d'entreprise",
                                    "reprise d'ancienneté",
                                    "formations qualifiantes financées",
                                    "planning connu un mois à l'avance",
                                    NULL};

/* The offer's description: who, missions, hours, profile, what is offered. */
static void describe_offer(cg_buf_t *b, cg_rng_t *r, const cg_job_t *job, int kind,
                           const char *employer, const char *city, cg_sched_t f, const win_t *w,
                           int nw, const int *skills, int n_skills, const char *req_cert,
                           bool licence, bool vehicle, bool training, bool immersion)
{
    int size = kind == EMP_SAAD ? cg_range(r, 40, 600) : cg_range(r, 20, 120);
    if (kind == EMP_HOPITAL)
        size = cg_range(r, 150, 1500);
    cg_buf_printf(b, kind_intro[kind], employer, size);
    put_a(b, city);
    cg_buf_puts(b, cg_pct(r, 50) ? " et ses environs. " : ". ");
    if (n_skills > 0) {
        cg_buf_puts(b, cg_pct(r, 50) ? "Vos missions : "
                                     : "Au sein d'une équipe bienveillante, vous assurez : ");
        for (int i = 0; i < n_skills; i++) {
            if (i)
                cg_buf_puts(b, i == n_skills - 1 ? " et " : ", ");
            put_lower_first(b, job->skills[skills[i]]);
        }
        cg_buf_puts(b, ". ");
    }
    if (nw > 0)
        put_schedule_sentence(b, f, w);
    if (req_cert) {
        cg_buf_puts(b, "Titulaire du ");
        cg_buf_puts(b, cert_label(req_cert));
        cg_buf_puts(b, cg_pct(r, 50) ? ", vous avez le sens de l'écoute et du travail en équipe. "
                                     : " (obligatoire), vous êtes patient(e) et rigoureux(se). ");
    } else if (training) {
        cg_buf_puts(b, "Débutant(e) accepté(e) : une formation préalable à l'embauche (POEI) est "
                       "prévue avec France Travail. ");
    } else {
        cg_buf_puts(b, "Poste ouvert aux débutant(e)s motivé(e)s ; l'expérience auprès de "
                       "personnes fragiles est un plus. ");
    }
    if (licence)
        cg_buf_puts(b, vehicle ? "Permis B indispensable, véhicule de service fourni. "
                               : "Permis B et véhicule personnel indispensables. ");
    if (immersion)
        cg_buf_puts(b, "Une immersion (PMSMP) est possible avant l'embauche. ");
    cg_buf_puts(b, "Nous offrons : ");
    int np = cg_range(r, 1, 3);
    size_t first = cg_below(r, (uint32_t)list_len(perks));
    for (int i = 0; i < np; i++) {
        if (i)
            cg_buf_puts(b, i == np - 1 ? " et " : ", ");
        cg_buf_puts(b, perks[(first + (size_t)i * 3) % list_len(perks)]);
    }
    cg_buf_puts(b, ".");
}

/* ---- offers ---- */

static void put_offer_description(cg_buf_t *b, cg_rng_t *r, const char *text, size_t len)
{
    cg_buf_key(b, "description");
    if (!cg_pct(r, 1) || cg_below(r, 5) != 0) {
        cg_buf_str(b, text);
        return;
    }
    /* edge case (0.2 %): a very long description, ~20 KB, under the 32 KiB limit */
    cg_buf_t big = {0};
    while (big.len + len + 1 < LONG_TEXT_BYTES && len > 0) {
        cg_buf_put(&big, text, len);
        cg_buf_putc(&big, '\n');
    }
    cg_buf_putc(&big, '\0');
    if (big.oom) {
        b->oom = true;
    } else {
        cg_buf_str(b, big.p);
    }
    cg_buf_free(&big);
}

void cg_offer(const cg_ctx_t *ctx, uint64_t index, cg_buf_t *b)
{
    cg_rng_t rr, *r = &rr;
    cg_rng_seed(r, ctx->seed, KIND_OFFER, index);
    int ji = pick_job(r, true);
    const cg_job_t *job = &cg_jobs[ji];
    int kind = pick_weighted(r, job->employer_pct, 12);
    if (kind == 0)
        kind = EMP_OTHER;
    size_t ci = pick_commune(ctx, r);
    /* hospitals and big homes are in towns: redraw a few times from small villages */
    for (int t = 0;
         t < 4 && (kind == EMP_HOPITAL || kind == EMP_IME) && cg_communes[ci].population < 8000;
         t++)
        ci = pick_commune(ctx, r);
    const cg_commune_t *cm = &cg_communes[ci];
    const char *city = ctx->city[ci];
    double lat, lon;
    jitter(r, cm->lat_e6, cm->lon_e6, cm->jitter_m, &lat, &lon);

    cg_sched_t f = (cg_sched_t)pick_weighted(r, job->sched_pct, CG_SCHED__COUNT);
    win_t w[2];
    double hours;
    int nw = family_windows(r, f, w, &hours);
    bool hours_from_windows = f == CG_SCHED_SPLIT || f == CG_SCHED_MORNINGS || f == CG_SCHED_SCHOOL;
    if (!hours_from_windows && cg_pct(r, 20)) /* part time on full-time shifts */
        hours = cg_pct(r, 50) ? 28 : 24.5;

    int contract_pct[7] = {45, 33, 12, 5, 2, 2, 1}; /* CDI CDD interim appr. prof. sais. lib. */
    static const char *const contracts[7] = {
        "CDI", "CDD", "interim", "apprentissage", "professionnalisation", "saisonnier", "liberal"};
    int x = (int)cg_below(r, 100), contract = 0;
    for (int acc = 0; contract < 7; contract++) {
        acc += contract_pct[contract];
        if (x < acc)
            break;
    }
    if (contract >= 7 || (contract == 6 && strcmp(job->rome, "J1506") != 0))
        contract = 0;
    bool learning = contract == 3 || contract == 4;

    /* title: a night title for night work when the job has one */
    size_t nt = list_len(job->titles);
    const char *title = job->titles[cg_below(r, (uint32_t)nt)];
    for (int t = 0; t < 8 && (strstr(title, "nuit") != NULL) != is_night(f); t++)
        title = job->titles[cg_below(r, (uint32_t)nt)];

    /* skills */
    int sk[CG_MAX_LIST], nsk = 0;
    int njs = (int)list_len(job->skills);
    int want = cg_range(r, 3, 6);
    if (want > njs)
        want = njs;
    int start = (int)cg_below(r, (uint32_t)njs);
    for (int i = 0; i < want; i++)
        sk[nsk++] = (start + i * 3) % njs;
    for (int i = 1; i < nsk; i++) /* a stride of 3 can revisit a skill in short lists */
        for (int j = 0; j < i; j++)
            if (sk[j] == sk[i]) {
                sk[i--] = sk[--nsk];
                break;
            }
    int n_req_skills = cg_range(r, 0, 2);

    /* certifications */
    const char *cert_code[6];
    bool cert_req[6];
    int nc = 0;
    const char *req_cert = NULL;
    for (int i = 0; i < 6 && job->certs[i].code; i++) {
        const cg_cert_rule_t *cr = &job->certs[i];
        if (!learning && cg_pct(r, cr->offer_required_pct)) {
            cert_code[nc] = cr->code;
            cert_req[nc++] = true;
            if (!req_cert)
                req_cert = cr->code;
        } else if (cg_pct(r, cr->offer_wanted_pct)) {
            cert_code[nc] = cr->code;
            cert_req[nc++] = false;
        }
    }

    unsigned lic_pct = kind == EMP_SSIAD ? 80 : job->licence_pct;
    bool licence = cg_pct(r, lic_pct);
    bool vehicle = licence && cg_pct(r, 35);
    bool accessible = cg_pct(r, 30);
    bool immersion = cg_pct(r, 25);
    /* hard-to-fill trades (BMO survey): aide-soignant, ASH, auxiliaire de vie, aide à domicile */
    bool shortage = strcmp(job->rome, "J1301") == 0 || strcmp(job->rome, "J1501") == 0 ||
                    strcmp(job->rome, "K1311") == 0 || strcmp(job->rome, "K1302") == 0 ||
                    strcmp(job->rome, "K1304") == 0;
    bool training = cg_pct(r, shortage ? 15 : 5) && !req_cert;
    int status_x = (int)cg_below(r, 100);
    const char *status = status_x < 92 ? "open" : status_x < 97 ? "filled" : "closed";

    cg_buf_t emp = {0};
    employer_name(&emp, r, kind, city, cm->population);
    cg_buf_putc(&emp, '\0');
    const char *employer = emp.oom ? "" : emp.p;

    cg_buf_printf(b, "{\"id\":\"off-%07" PRIu64 "\"", index);
    cg_buf_key(b, "title");
    if (cg_pct(r, 25) && strlen(title) + strlen(city) + 3 < 200) {
        cg_buf_t t = {0};
        cg_buf_puts(&t, title);
        cg_buf_puts(&t, " - ");
        cg_buf_puts(&t, city);
        cg_buf_putc(&t, '\0');
        cg_buf_str(b, t.oom ? title : t.p);
        cg_buf_free(&t);
    } else {
        cg_buf_str(b, title);
    }
    bool no_desc = cg_pct(r, 1), no_emp = cg_pct(r, 2), no_sched = cg_pct(r, 3),
         no_skills = cg_pct(r, 1), no_salary = cg_pct(r, 15);
    if (!no_desc) {
        cg_buf_t d = {0};
        describe_offer(&d, r, job, kind, employer, city, f, w, no_sched ? 0 : nw, sk,
                       no_skills ? 0 : nsk, req_cert, licence, vehicle, training, immersion);
        cg_buf_putc(&d, '\0');
        if (d.oom)
            b->oom = true;
        else
            put_offer_description(b, r, d.p, d.len - 1);
        cg_buf_free(&d);
    }
    cg_buf_key(b, "rome");
    cg_buf_str(b, job->rome);
    if (!no_emp) {
        cg_buf_key(b, "employer");
        cg_buf_puts(b, "{\"name\":");
        cg_buf_str(b, employer);
        cg_buf_puts(b, ",\"kind\":");
        cg_buf_str(b, kind_names[kind]);
        cg_buf_putc(b, '}');
    }
    put_location(b, lat, lon, city, cm->postcode);
    cg_buf_key(b, "contract");
    cg_buf_str(b, contracts[contract]);
    cg_buf_key(b, "hours_per_week");
    cg_buf_printf(b, "%g", hours);
    if (!no_sched) {
        cg_buf_key(b, "schedule");
        put_windows(b, w, nw);
    }
    if (!no_skills) {
        cg_buf_key(b, "skills");
        cg_buf_putc(b, '[');
        for (int i = 0; i < nsk; i++) {
            cg_buf_puts(b, i ? ",{\"label\":" : "{\"label\":");
            cg_buf_str(b, job->skills[sk[i]]);
            cg_buf_puts(b, i < n_req_skills ? ",\"required\":true}" : ",\"required\":false}");
        }
        cg_buf_putc(b, ']');
    }
    cg_buf_key(b, "certifications");
    cg_buf_putc(b, '[');
    for (int i = 0; i < nc; i++) {
        cg_buf_puts(b, i ? ",{\"code\":" : "{\"code\":");
        cg_buf_str(b, cert_code[i]);
        cg_buf_puts(b, cert_req[i] ? ",\"required\":true}" : ",\"required\":false}");
    }
    cg_buf_putc(b, ']');
    cg_buf_printf(b,
                  ",\"driving_licence_required\":%s,\"vehicle_provided\":%s,"
                  "\"accessible_to_disabled_workers\":%s,\"immersion_possible\":%s,"
                  "\"pre_hire_training\":%s",
                  licence ? "true" : "false", vehicle ? "true" : "false",
                  accessible ? "true" : "false", immersion ? "true" : "false",
                  training ? "true" : "false");
    if (!no_salary) {
        cg_buf_key(b, "salary");
        if (job->salary_hi < 100) {
            double lo = 11.88 + cg_below(r, (uint32_t)((job->salary_hi - 11.88) * 50)) / 100.0;
            double hi = lo + cg_below(r, 150) / 100.0;
            cg_buf_printf(b, "{\"min\":%.2f,\"max\":%.2f,\"period\":\"hour\"}", lo, hi);
        } else {
            double scale = hours < 35 ? hours / 35 : 1;
            int span = job->salary_hi - job->salary_lo;
            int lo = job->salary_lo + (int)cg_below(r, (uint32_t)span / 2);
            int hi = lo + (int)cg_below(r, (uint32_t)span / 2 + 1);
            cg_buf_printf(b, "{\"min\":%d,\"max\":%d,\"period\":\"month\"}",
                          (int)(lo * scale) / 10 * 10, (int)(hi * scale) / 10 * 10);
        }
    }
    char date[11];
    format_date(PUBLISH_BASE_DAYS + (int32_t)cg_below(r, 183), date);
    cg_buf_printf(b, ",\"published_at\":\"%s\",\"status\":\"%s\"}\n", date, status);
    cg_buf_free(&emp);
}

/* ---- candidates ---- */

/* Jobs people often look for together (a second or third wish). */
static bool has_code(const char *const *l, int n, const char *c)
{
    for (int i = 0; i < n; i++)
        if (strcmp(l[i], c) == 0)
            return true;
    return false;
}

static void summarize(cg_buf_t *b, cg_rng_t *r, const cg_job_t *job, int exp, const char *cert,
                      bool licence, bool vehicle, int children, bool solo, bool nights,
                      const char *city)
{
    const char *noun = job->noun;
    if (exp == 0) {
        cg_buf_printf(b, "Je souhaite devenir %s", noun);
        cg_buf_puts(b, cg_pct(r, 50) ? " après une reconversion professionnelle. "
                                     : " et je suis prête à me former. ");
    } else {
        char n0 = noun[0];
        if (n0 >= 'a' && n0 <= 'z') {
            cg_buf_putc(b, (char)(n0 - 'a' + 'A'));
            cg_buf_puts(b, noun + 1);
        } else {
            cg_buf_puts(b, noun);
        }
        if (exp < 24)
            cg_buf_printf(b, " depuis %d mois", exp);
        else
            cg_buf_printf(b, " depuis %d ans", exp / 12);
        if (cert) {
            cg_buf_puts(b, ", titulaire du ");
            cg_buf_puts(b, cert_label(cert));
        }
        cg_buf_puts(b, cg_pct(r, 50) ? ", j'ai travaillé en EHPAD et à domicile. "
                                     : ". J'aime le contact avec les personnes et le travail "
                                       "en équipe. ");
    }
    if (!licence)
        cg_buf_puts(b, "Je n'ai pas le permis : je me déplace à pied ou en transports en commun. ");
    else if (!vehicle)
        cg_buf_puts(b, "J'ai le permis B mais pas de voiture. ");
    if (solo && children > 0)
        cg_buf_printf(b,
                      "%s solo de %d enfant%s, je suis disponible pendant les horaires "
                      "scolaires. ",
                      cg_pct(r, 88) ? "Maman" : "Papa", children, children > 1 ? "s" : "");
    if (nights)
        cg_buf_puts(b, "Je préfère travailler de nuit. ");
    cg_buf_puts(b, "Je cherche un poste ");
    put_a(b, city);
    cg_buf_puts(b, cg_pct(r, 50) ? " ou dans les environs." : ", disponible rapidement.");
}

void cg_candidate(const cg_ctx_t *ctx, uint64_t index, cg_buf_t *b)
{
    cg_rng_t rr, *r = &rr;
    cg_rng_seed(r, ctx->seed, KIND_CANDIDATE, index);
    int ji = pick_job(r, false);
    size_t ci;
    double lat, lon;
    if (ctx->n_anchors) {
        const cg_anchor_t *a = &ctx->anchors[cg_below(r, (uint32_t)ctx->n_anchors)];
        /* denser near the offer than uniform over the disc: most people apply close by */
        jitter(r, a->lat_e6, a->lon_e6, ctx->near_km * 1000.0 * cg_unit(r), &lat, &lon);
        ci = nearest_commune(lat, lon);
        int aj = job_by_rome(a->rome);
        if (aj >= 0 && cg_pct(r, 70))
            ji = aj;
    } else {
        ci = pick_commune(ctx, r);
        jitter(r, cg_communes[ci].lat_e6, cg_communes[ci].lon_e6, cg_communes[ci].jitter_m, &lat,
               &lon);
    }
    const cg_commune_t *cm = &cg_communes[ci];
    const cg_job_t *job = &cg_jobs[ji];

    const char *romes[3] = {job->rome, NULL, NULL};
    int nr = 1;
    for (int k = 1; k < 3 && cg_pct(r, 45); k++) {
        const char *rel = job->related[cg_range(r, 0, 1)];
        if (rel && !has_code(romes, nr, rel))
            romes[nr++] = rel;
    }

    /* certifications: those of the first wish at full rate, of others at half */
    const char *certs[16];
    int ncert = 0;
    const char *main_cert = NULL;
    for (int k = 0; k < nr; k++) {
        int jk = job_by_rome(romes[k]);
        if (jk < 0)
            continue;
        for (int i = 0; i < 6 && cg_jobs[jk].certs[i].code; i++) {
            const cg_cert_rule_t *cr = &cg_jobs[jk].certs[i];
            if (ncert < 16 && cg_pct(r, k == 0 ? cr->cand_pct : cr->cand_pct / 2) &&
                !has_code(certs, ncert, cr->code)) {
                certs[ncert++] = cr->code;
                if (k == 0 && !main_cert)
                    main_cert = cr->code;
            }
        }
    }

    int exp;
    unsigned ex = cg_below(r, 100);
    if (ex < 18)
        exp = 0;
    else if (ex < 48)
        exp = cg_range(r, 1, 12);
    else if (ex < 83)
        exp = cg_range(r, 12, 60);
    else if (ex < 97)
        exp = cg_range(r, 60, 240);
    else
        exp = cg_range(r, 240, 480);
    /* a diploma usually takes a year or two of practice; newcomers rarely have one */
    if (exp == 0 && main_cert && cg_pct(r, 60)) {
        main_cert = NULL;
        ncert = 0;
    }

    bool licence = cg_pct(r, 68);
    bool vehicle = licence && cg_pct(r, 78);
    unsigned pop = cm->population;
    unsigned transit_pct = pop >= 30000 ? 85 : pop >= 10000 ? 50 : 20;
    bool m_transit = cg_pct(r, transit_pct), m_walk = cg_pct(r, 75), m_bike = cg_pct(r, 15);
    static const int minutes[6] = {15, 20, 30, 45, 60, 90};
    static const uint8_t minutes_pct[6] = {5, 10, 30, 30, 20, 5};
    int max_minutes = minutes[pick_weighted(r, minutes_pct, 6)];

    static const uint8_t kids_pct[5] = {62, 16, 14, 6, 2};
    int children = pick_weighted(r, kids_pct, 5);
    bool solo = children > 0 && cg_pct(r, 35);
    bool childcare_obj = cg_pct(r, 85);

    win_t av[2];
    int nav = 0;
    bool nights = false;
    if (solo && cg_pct(r, 75)) {
        av[nav++] = (win_t){D_WEEK, HM(8, 30), HM(16, 30)};
    } else {
        unsigned a = cg_below(r, 100);
        if (a < 35)
            nav = 0; /* any time */
        else if (a < 50)
            av[nav++] = (win_t){D_WEEK, HM(7, 0), HM(19, 0)};
        else if (a < 65)
            av[nav++] = (win_t){0x7fu, HM(7, 0), HM(20, 0)};
        else if (a < 71) {
            av[nav++] = (win_t){some_days(r, 4, 70), HM(19, 0), HM(7, 0)};
            nights = true;
        } else if (a < 79)
            av[nav++] = (win_t){0x3fu, HM(7, 0), HM(13, 0)};
        else if (a < 86)
            av[nav++] = (win_t){D_WEEK, HM(8, 30), HM(16, 30)};
        else if (a < 91) {
            av[nav++] = (win_t){D_WEEK, HM(17, 0), HM(22, 0)};
            av[nav++] = (win_t){D_WEND, HM(7, 0), HM(21, 0)};
        } else if (a < 96) {
            av[nav++] = (win_t){0x7fu, HM(7, 0), HM(12, 30)};
            av[nav++] = (win_t){0x7fu, HM(16, 30), HM(21, 0)};
        } else
            av[nav++] = (win_t){D_WEEK, HM(8, 0), HM(18, 0)};
    }

    cg_buf_printf(b, "{\"id\":\"cand-%07" PRIu64 "\"", index);
    put_location(b, lat, lon, ctx->city[ci], cm->postcode);
    if (!cg_pct(r, 3)) {
        cg_buf_key(b, "desired_rome");
        cg_buf_putc(b, '[');
        for (int k = 0; k < nr; k++) {
            if (k)
                cg_buf_putc(b, ',');
            cg_buf_str(b, romes[k]);
        }
        cg_buf_putc(b, ']');
    }
    /* skills from the first wish, a few from the others */
    cg_buf_key(b, "skills");
    cg_buf_putc(b, '[');
    int njs = (int)list_len(job->skills), nsk = exp == 0 ? cg_range(r, 0, 2) : cg_range(r, 2, 7);
    if (nsk > njs)
        nsk = njs;
    int s0 = (int)cg_below(r, (uint32_t)njs);
    for (int i = 0; i < nsk; i++) {
        if (i)
            cg_buf_putc(b, ',');
        cg_buf_str(b, job->skills[(s0 + i) % njs]);
    }
    cg_buf_putc(b, ']');
    cg_buf_key(b, "certifications");
    cg_buf_putc(b, '[');
    for (int i = 0; i < ncert; i++) {
        if (i)
            cg_buf_putc(b, ',');
        cg_buf_str(b, certs[i]);
    }
    if (cg_pct(r, 12))
        cg_buf_puts(b, ncert ? ",\"SST\"" : "\"SST\"");
    cg_buf_putc(b, ']');
    cg_buf_key(b, "experience_months");
    cg_buf_printf(b, "%d", exp);
    if (!cg_pct(r, 2)) {
        cg_buf_key(b, "mobility");
        cg_buf_puts(b, "{\"modes\":[");
        bool first = true;
        const char *mode_names[4] = {"car", "transit", "bike", "walk"};
        bool modes[4] = {vehicle, m_transit, m_bike, m_walk || (!vehicle && !m_transit && !m_bike)};
        for (int i = 0; i < 4; i++) {
            if (!modes[i])
                continue;
            if (!first)
                cg_buf_putc(b, ',');
            first = false;
            cg_buf_str(b, mode_names[i]);
        }
        cg_buf_printf(b, "],\"max_minutes\":%d,\"driving_licence\":%s,\"vehicle\":%s}", max_minutes,
                      licence ? "true" : "false", vehicle ? "true" : "false");
    }
    if (nav) {
        cg_buf_key(b, "availability");
        put_windows(b, av, nav);
    }
    if (childcare_obj)
        cg_buf_printf(b, ",\"childcare\":{\"children_under_12\":%d,\"solo_parent\":%s}", children,
                      solo ? "true" : "false");
    if (!cg_pct(r, 10)) {
        cg_buf_key(b, "contracts");
        cg_buf_putc(b, '[');
        bool cdi = cg_pct(r, 85), cdd = cg_pct(r, 60), interim = cg_pct(r, 20),
             appr = cg_pct(r, exp == 0 ? 30 : 4);
        if (!cdi && !cdd && !interim && !appr)
            cdi = true;
        const char *sep = "";
        if (cdi)
            cg_buf_puts(b, "\"CDI\""), sep = ",";
        if (cdd)
            cg_buf_puts(b, sep), cg_buf_puts(b, "\"CDD\""), sep = ",";
        if (interim)
            cg_buf_puts(b, sep), cg_buf_puts(b, "\"interim\""), sep = ",";
        if (appr)
            cg_buf_puts(b, sep), cg_buf_puts(b, "\"apprentissage\"");
        cg_buf_putc(b, ']');
    }
    unsigned h = cg_below(r, 100);
    if (h < 55)
        cg_buf_printf(b, ",\"hours_per_week\":{\"min\":%d,\"max\":35}", cg_pct(r, 50) ? 35 : 28);
    else if (h < 80)
        cg_buf_printf(b, ",\"hours_per_week\":{\"min\":20,\"max\":%d}", cg_range(r, 24, 30));
    else if (h < 90)
        cg_buf_puts(b, ",\"hours_per_week\":{\"min\":10,\"max\":24}");
    cg_buf_printf(b,
                  ",\"disability_recognised\":%s,\"open_to_immersion\":%s,"
                  "\"open_to_training\":%s",
                  cg_pct(r, 7) ? "true" : "false", cg_pct(r, 60) ? "true" : "false",
                  cg_pct(r, main_cert ? 45 : 75) ? "true" : "false");
    if (!cg_pct(r, 2)) {
        cg_buf_t s = {0};
        summarize(&s, r, job, exp, main_cert, licence, vehicle, children, solo, nights,
                  ctx->city[ci]);
        if (cg_pct(r, 1) && cg_below(r, 10) == 0) { /* edge case: a ~20 KB summary */
            cg_buf_t one = {0};
            cg_buf_put(&one, s.p, s.len);
            while (s.len + one.len + 1 < LONG_TEXT_BYTES && one.len > 0 && !s.oom && !one.oom) {
                cg_buf_putc(&s, '\n');
                cg_buf_put(&s, one.p, one.len);
            }
            s.oom |= one.oom;
            cg_buf_free(&one);
        }
        cg_buf_putc(&s, '\0');
        cg_buf_key(b, "summary");
        if (s.oom)
            b->oom = true;
        else
            cg_buf_str(b, s.p);
        cg_buf_free(&s);
    }
    unsigned st = cg_below(r, 100);
    cg_buf_printf(b, ",\"status\":\"%s\"}\n", st < 90 ? "active" : st < 97 ? "inactive" : "hired");
}

/* ---- context ---- */

cg_ctx_t *cg_ctx_create(uint64_t seed, const cg_anchor_t *anchors, size_t n_anchors,
                        unsigned near_km)
{
    cg_ctx_t *ctx = calloc(1, sizeof *ctx);
    if (!ctx)
        return NULL;
    ctx->cum = malloc(cg_n_communes * sizeof *ctx->cum);
    ctx->city = malloc(cg_n_communes * sizeof *ctx->city);
    if (!ctx->cum || !ctx->city) {
        cg_ctx_destroy(ctx);
        return NULL;
    }
    uint64_t acc = 0;
    for (size_t i = 0; i < cg_n_communes; i++) {
        acc += cg_communes[i].weight;
        ctx->cum[i] = acc;
        /* "Paris 11e Arrondissement" is Paris for people and addresses */
        const char *name = cg_communes[i].name, *arr = strstr(name, " Arrondissement");
        size_t n = strlen(name);
        if (arr) {
            n = (size_t)(arr - name);
            while (n > 0 && name[n - 1] != ' ')
                n--;
            if (n > 0)
                n--;
        }
        if (n >= sizeof ctx->city[i])
            n = sizeof ctx->city[i] - 1;
        memcpy(ctx->city[i], name, n);
        ctx->city[i][n] = '\0';
    }
    ctx->total = acc;
    ctx->seed = seed;
    ctx->anchors = anchors;
    ctx->n_anchors = n_anchors;
    ctx->near_km = near_km;
    return ctx;
}

void cg_ctx_destroy(cg_ctx_t *ctx)
{
    if (!ctx)
        return;
    free(ctx->cum);
    free(ctx->city);
    free(ctx);
}
