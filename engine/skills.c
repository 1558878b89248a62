/* Skill labels and certification codes: normalisation, the sector's synonym table and the
 * regulated professions, so that scoring compares 32-bit hashes instead of strings. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "carematch/referential.h"
#include "score.h"

/* UTF-8 two-byte sequences of French letters, folded to ASCII (upper and lower case). */
static const struct {
    unsigned char b0, b1;
    const char *ascii;
} folds[] = {
    {0xc3, 0xa0, "a"},  {0xc3, 0xa2, "a"},  {0xc3, 0xa4, "a"},  {0xc3, 0xa7, "c"},
    {0xc3, 0xa8, "e"},  {0xc3, 0xa9, "e"},  {0xc3, 0xaa, "e"},  {0xc3, 0xab, "e"},
    {0xc3, 0xae, "i"},  {0xc3, 0xaf, "i"},  {0xc3, 0xb4, "o"},  {0xc3, 0xb6, "o"},
    {0xc3, 0xb9, "u"},  {0xc3, 0xbb, "u"},  {0xc3, 0xbc, "u"},  {0xc3, 0xbf, "y"},
    {0xc3, 0xa6, "ae"}, {0xc5, 0x93, "oe"}, {0xc3, 0x80, "a"},  {0xc3, 0x82, "a"},
    {0xc3, 0x84, "a"},  {0xc3, 0x87, "c"},  {0xc3, 0x88, "e"},  {0xc3, 0x89, "e"},
    {0xc3, 0x8a, "e"},  {0xc3, 0x8b, "e"},  {0xc3, 0x8e, "i"},  {0xc3, 0x8f, "i"},
    {0xc3, 0x94, "o"},  {0xc3, 0x96, "o"},  {0xc3, 0x99, "u"},  {0xc3, 0x9b, "u"},
    {0xc3, 0x9c, "u"},  {0xc5, 0xb8, "y"},  {0xc3, 0x86, "ae"}, {0xc5, 0x92, "oe"},
};

/* Append one word to out, without its plural s/x, dropping one-letter words ("d'", "l'",
 * "a") that only vary with phrasing. */
static size_t put_word(char *out, size_t len, size_t cap, const char *w, size_t wl)
{
    if (wl > 3 && (w[wl - 1] == 's' || w[wl - 1] == 'x'))
        wl--;
    if (wl < 2)
        return len;
    if (len > 0 && len + 1 < cap)
        out[len++] = ' ';
    for (size_t i = 0; i < wl && len + 1 < cap; i++)
        out[len++] = w[i];
    return len;
}

/* Wordings of one idea that advisers and offers use interchangeably, on normalised text:
 * "personnes handicapées" and "personnes en situation de handicap" are the same people. */
static const struct {
    const char *from, *to;
} rewrites[] = {
    {"en situation de handicap", "handicap"},
    {"handicapee", "handicap"},
    {"handicape", "handicap"},
};

/* Apply rewrites to whole words of s (len bytes) in place; returns the new length. */
static size_t rewrite(char *s, size_t len)
{
    for (size_t r = 0; r < sizeof rewrites / sizeof rewrites[0]; r++) {
        size_t fl = strlen(rewrites[r].from), tl = strlen(rewrites[r].to);
        for (char *p = strstr(s, rewrites[r].from); p; p = strstr(p, rewrites[r].from)) {
            bool start = p == s || p[-1] == ' ', end = p[fl] == '\0' || p[fl] == ' ';
            if (!start || !end) {
                p += fl;
                continue;
            }
            memcpy(p, rewrites[r].to, tl); /* tl <= fl: shrink in place */
            memmove(p + tl, p + fl, len - (size_t)(p - s) - fl + 1);
            len -= fl - tl;
            p += tl;
        }
    }
    return len;
}

size_t cm__label_normalise(const char *label, char *out, size_t cap)
{
    char word[CM_LABEL_MAX + 8];
    size_t wl = 0, len = 0;
    if (cap == 0)
        return 0;
    for (const unsigned char *p = (const unsigned char *)(label ? label : ""); *p;) {
        const char *add = NULL;
        char one[2] = {0, 0};
        if (*p < 0x80) {
            unsigned char ch = *p++;
            if (ch >= 'A' && ch <= 'Z')
                ch = (unsigned char)(ch - 'A' + 'a');
            if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
                one[0] = (char)ch;
                add = one;
            }
        } else {
            for (size_t i = 0; i < sizeof folds / sizeof folds[0]; i++) {
                if (p[0] == folds[i].b0 && p[1] == folds[i].b1) {
                    add = folds[i].ascii;
                    break;
                }
            }
            /* Skip the whole sequence: unknown letters and punctuation (’ « ») split words. */
            p++;
            while ((*p & 0xc0) == 0x80)
                p++;
        }
        if (add) {
            for (; *add && wl < sizeof word; add++)
                word[wl++] = *add;
        } else if (wl) {
            len = put_word(out, len, cap, word, wl);
            wl = 0;
        }
    }
    if (wl)
        len = put_word(out, len, cap, word, wl);
    out[len] = '\0';
    return rewrite(out, len);
}

static uint32_t fnv1a(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 16777619u;
    }
    return h ? h : 1;
}

/* Groups of equivalent labels as advisers write them; the first is the canonical one. */
static const char *const synonym_groups[][10] = {
    {"soins d'hygiène et de confort", "toilette", "soins d'hygiène", "aide à la toilette",
     "hygiène", "hygiène corporelle", "toilette complète", "aide toilette", "soins corporels",
     NULL},
    {"aide à la prise des repas", "aide au repas", "aide aux repas", "accompagnement aux repas",
     "prise des repas", "aide à l'alimentation", "aide à la prise alimentaire", NULL},
    {"stimulation et maintien de l'autonomie", "maintien de l'autonomie",
     "stimulation de l'autonomie", "préservation de l'autonomie", "accompagnement à l'autonomie",
     NULL},
    {"mobilisation", "transferts", "aide aux transferts", "manutention des personnes",
     "aide à la mobilité", NULL},
    {"entretien du logement", "ménage", "entretien du cadre de vie", NULL},
    {"préparation des repas", "cuisine", "confection des repas", NULL},
    {"aide à l'habillage", "habillage", NULL},
    {"aide aux courses", "courses", NULL},
    {"accompagnement à la vie sociale", "animation", "activités de loisirs", NULL},
    {"aide à la prise de médicaments", "distribution des médicaments", NULL},
    {"soins aux nourrissons", "soins du nourrisson", "puériculture", NULL},
    /* specialisms that tell the best candidate apart (an adviser's probe: the Alzheimer job
     * came last for the candidate with Alzheimer experience, its skills at 0) */
    {"accompagnement des troubles cognitifs", "alzheimer", "maladie d'alzheimer",
     "accompagnement alzheimer", "stimulation cognitive", "troubles cognitifs", "démence",
     "maladies neurodégénératives", NULL},
    {"accompagnement de fin de vie", "fin de vie", "soins palliatifs", "accompagnement palliatif",
     NULL},
    {"accompagnement du handicap psychique", "handicap psychique", "troubles psychiques",
     "santé mentale", "troubles psychiatriques", NULL},
};

/* A label that is none of the groups' phrasings joins the group of the first concept whose
 * words it holds (whole words, in order, after normalisation). France Travail's offers name
 * competences with ROME 4.0's sentences ("Veiller à l'hygiène corporelle des personnes",
 * "Entretenir les espaces de vie et le linge de la personne accompagnée"), candidates with
 * their own words ("toilette", "ménage"): they meet on the group. Order matters: "linge de
 * toilette" is housekeeping, and "préparer, aider à la prise des repas" help with meals
 * before "préparer des repas" cooking. Kept narrow on purpose: "hygiène" alone is also the
 * kitchen's and the hospital's rules ("Respecter les règles d'hygiène"), "autonomie" alone a
 * quality ("Faire preuve d'autonomie"). */
#define CONCEPT_WORDS 16
static const struct {
    unsigned group; /* index in synonym_groups */
    const char *words[CONCEPT_WORDS];
} concepts[] = {
    /* cleaning first: "Nettoyer les toilettes et sanitaires", "Entretenir la cuisine" are
     * housekeeping, not personal care nor cooking */
    {4,
     {"linge", "refaire le lit", "changer les draps", "nettoyer", "nettoyage", "sanitaires",
      "entretien des toilettes", "entretenir les toilettes", "entretenir la cuisine",
      "entretien de la cuisine", NULL}},
    {1,
     {"prise des repas", "prise de repas", "prise du repas", "aide au repas", "aide aux repas",
      "pendant ses repas", "pendant les repas", "distribuer les repas", "distribution des repas",
      "aide à l'alimentation", "prise alimentaire", NULL}},
    {5,
     {"préparer des repas", "préparer les repas", "préparer le repas", "préparation des repas",
      "préparation de repas", "préparation du repas", "confection des repas", "cuisine", "cuisiner",
      NULL}},
    {0,
     {"hygiène corporelle", "soins d'hygiène", "toilette", "soins corporels",
      "hygiène de la personne", "hygiène des personnes", NULL}},
    {6, {"habillage", "habiller", "habillement", "déshabillage", "déshabiller", NULL}},
    {3,
     {"transfert", "mobilisation", "mobiliser", "manutention des personnes", "aide à la mobilité",
      "aide aux déplacements", "dans ses déplacements", "dans leurs déplacements", NULL}},
    {4,
     {"ménage", "entretien du logement", "entretenir le logement", "entretien de la maison",
      "espaces de vie", "entretien du cadre de vie", "entretien des locaux", "bionettoyage",
      "dépoussiérer", "entretenir une surface", "repassage", "vitres", NULL}},
    {7, {"courses", NULL}},
    {9, {"médicament", "traitement médicamenteux", NULL}},
    {2,
     {"encourager l'autonomie", "maintien de l'autonomie", "maintenir l'autonomie",
      "développement de l'autonomie", "développer l'autonomie", "stimulation de l'autonomie",
      "stimuler l'autonomie", "préservation de l'autonomie", "préserver l'autonomie",
      "accompagnement à l'autonomie", NULL}},
    {8,
     {"lien social", "vie sociale", "animation", "animer", "activités de loisirs",
      "activités de détente", "divertissement", NULL}},
    {10, {"nourrisson", "puériculture", "bébé", NULL}},
    {11,
     {"alzheimer", "troubles cognitifs", "trouble cognitif", "capacités cognitives",
      "stimulation cognitive", "stimuler les capacités", "démence", "neurodégénérative",
      "troubles neurocognitifs", NULL}},
    {12, {"fin de vie", "palliatif", "palliatifs", "soins palliatifs", NULL}},
    {13,
     {"handicap psychique", "troubles psychiques", "trouble psychique", "santé mentale",
      "troubles psychiatriques", NULL}},
};

typedef struct alias {
    uint32_t from, to;
} alias_t;

static alias_t aliases[128]; /* the groups' phrasings, their first included */
static size_t n_aliases;
static pthread_once_t aliases_once = PTHREAD_ONCE_INIT;

#define CONCEPT_MAX 128 /* the concepts' phrasings, normalised */
static struct {
    char words[48];
    uint64_t mask; /* words_mask of words: a label lacking one of its bits cannot hold it */
    uint32_t to;
} concept_words[CONCEPT_MAX];
static size_t n_concept_words;

static int alias_cmp(const void *a, const void *b)
{
    uint32_t x = ((const alias_t *)a)->from, y = ((const alias_t *)b)->from;
    return (x > y) - (x < y);
}

/* One bit (of 64) per word of normalised s, by the word's hash: a cheap test that a label
 * cannot hold a phrase (every label a record carries is tried against every phrase). */
static uint64_t words_mask(const char *s)
{
    uint64_t m = 0;
    while (*s) {
        uint32_t h = 2166136261u;
        for (; *s && *s != ' '; s++) {
            h ^= (unsigned char)*s;
            h *= 16777619u;
        }
        m |= 1ull << (h >> 26);
        while (*s == ' ')
            s++;
    }
    return m;
}

static void aliases_init(void)
{
    char buf[CM_LABEL_MAX + 1];
    for (size_t g = 0; g < sizeof synonym_groups / sizeof synonym_groups[0]; g++) {
        cm__label_normalise(synonym_groups[g][0], buf, sizeof buf);
        uint32_t canon = fnv1a(buf);
        for (size_t i = 0; i < 10 && synonym_groups[g][i]; i++) {
            if (n_aliases == sizeof aliases / sizeof aliases[0])
                break;
            cm__label_normalise(synonym_groups[g][i], buf, sizeof buf);
            aliases[n_aliases].from = fnv1a(buf);
            aliases[n_aliases].to = canon;
            n_aliases++;
        }
    }
    qsort(aliases, n_aliases, sizeof aliases[0], alias_cmp);
    for (size_t c = 0; c < sizeof concepts / sizeof concepts[0]; c++) {
        cm__label_normalise(synonym_groups[concepts[c].group][0], buf, sizeof buf);
        uint32_t to = fnv1a(buf);
        for (size_t i = 0; i < CONCEPT_WORDS && concepts[c].words[i]; i++) {
            if (n_concept_words == CONCEPT_MAX)
                break;
            cm__label_normalise(concepts[c].words[i], concept_words[n_concept_words].words,
                                sizeof concept_words[0].words);
            concept_words[n_concept_words].mask = words_mask(concept_words[n_concept_words].words);
            concept_words[n_concept_words++].to = to;
        }
    }
}

/* Whether normalised s holds the words w, whole, in a row. */
static bool holds_words(const char *s, const char *w)
{
    size_t wl = strlen(w);
    for (const char *p = strstr(s, w); p; p = strstr(p + 1, w))
        if ((p == s || p[-1] == ' ') && (p[wl] == '\0' || p[wl] == ' '))
            return true;
    return false;
}

/* The group whose key phrase normalised buf holds first (concepts' order), or 0. */
static uint32_t concept_of(const char *buf)
{
    uint64_t mask = words_mask(buf);
    for (size_t i = 0; i < n_concept_words; i++)
        if ((concept_words[i].mask & ~mask) == 0 && holds_words(buf, concept_words[i].words))
            return concept_words[i].to;
    return 0;
}

uint32_t cm__skill_hash(const char *label)
{
    char buf[CM_LABEL_MAX + 1];
    if (pthread_once(&aliases_once, aliases_init) != 0)
        return 1; /* cannot happen with a static once; keeps the hash non-zero */
    cm__label_normalise(label, buf, sizeof buf);
    alias_t key = {fnv1a(buf), 0};
    const alias_t *a = bsearch(&key, aliases, n_aliases, sizeof aliases[0], alias_cmp);
    if (a)
        return a->to;
    uint32_t to = concept_of(buf);
    return to ? to : key.from;
}

/* Where the part of label from p ends: before ",", ";", "/", "+", "&" or the word "et". */
static const char *part_end(const char *p)
{
    for (; *p; p++) {
        if (strchr(",;/+&", *p))
            return p;
        if ((p[0] == ' ') && (p[1] == 'e' || p[1] == 'E') && (p[2] == 't' || p[2] == 'T') &&
            (p[3] == ' ' || p[3] == '\0'))
            return p;
    }
    return p;
}

size_t cm__skill_hashes(const char *label, uint32_t *out, size_t cap)
{
    char part[CM_LABEL_MAX + 1], buf[CM_LABEL_MAX + 1];
    size_t n = 0;
    if (cap == 0)
        return 0;
    out[n++] = cm__skill_hash(label);
    const char *p = label ? label : "";
    const char *end = part_end(p);
    if (!*end)
        return n; /* one part: the label's own */
    while (*p && n < cap) {
        end = part_end(p);
        size_t len = (size_t)(end - p);
        if (len >= sizeof part)
            len = sizeof part - 1;
        memcpy(part, p, len);
        part[len] = '\0';
        cm__label_normalise(part, buf, sizeof buf);
        uint32_t to = buf[0] ? concept_of(buf) : 0;
        bool known = false;
        for (size_t i = 0; i < n && !known; i++)
            known = out[i] == to;
        if (to && !known)
            out[n++] = to;
        p = *end == ' ' ? end + 3 : *end ? end + 1 : end; /* past " et" or the mark */
    }
    return n;
}

/* Upper case, letters and digits only ("cap aepe" -> "CAPAEPE"). */
static void cert_key(const char *code, char out[CM_CERT_MAX + 1])
{
    size_t n = 0;
    for (const char *p = code ? code : ""; *p && n < CM_CERT_MAX; p++) {
        char ch = *p;
        if (ch >= 'a' && ch <= 'z')
            ch = (char)(ch - 'a' + 'A');
        if ((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'))
            out[n++] = ch;
    }
    out[n] = '\0';
}

/* Older or merged diplomas count as the current one (DEAES absorbed DEAVS and DEAMP in 2016;
 * DPAS/DPAP are the former names of DEAS/DEAP; IDE is the usual acronym...): the referential's
 * equivalence table (engine/ref/README.md), applied to the letters-and-digits key. */
void cm__cert_canon(const char *code, char out[CM_CERT_MAX + 1])
{
    cert_key(code, out);
    const char *canon = out[0] ? cm_diploma_canon(out) : NULL;
    if (canon)
        cert_key(canon, out);
}

bool cm__cert_also(const char *canon, size_t i, char out[CM_CERT_MAX + 1])
{
    const char *also = canon[0] ? cm_diploma_also_at(canon, i) : NULL;
    if (also)
        cert_key(also, out);
    return also != NULL;
}

uint32_t cm__cert_hash(const char *canon)
{
    return fnv1a(canon);
}

/* Professions whose exercise requires a diploma (or an agrément), whatever the offer says:
 * from the ROME 4.0 referential (regulated, and the access text says the diploma is obligatory;
 * engine/ref/README.md). A code that accepts any one of several diplomas (K1210, K1216) has no
 * single required certification here: the offer's own list applies. *cert is the canonical
 * code as cm__cert_canon gives it (static per thread: copy before the next call). */
bool cm__rome_regulated(const char rome[6], const char **cert, const char **job)
{
    static _Thread_local char canon[CM_CERT_MAX + 1];
    cm_rome_t r;
    cm_diploma_t d[8];
    if (cm_rome_find(rome, &r) != 0 || !r.diploma_required)
        return false;
    size_t n = cm_rome_diplomas(rome, d, 8);
    const char *one = NULL;
    for (size_t i = 0; i < n && i < 8; i++) {
        if (!d[i].required)
            continue;
        if (one && strcmp(one, d[i].canon) != 0)
            return false;
        one = d[i].canon;
    }
    if (!one)
        return false;
    cert_key(one, canon);
    *cert = canon;
    *job = r.label;
    return true;
}

/* Titles of a regulated code that the rule does not reach: the auxiliaire parentale (K1309,
 * OGR 11462) is employed by the parents, at their home; the agrément of CASF art. L421-3 is the
 * assistant familial's, who takes children into her own home (an adviser's probe: a CAP AEPE
 * nanny was told she needed it). The referential marks the title regulated with its code. */
bool cm__title_unregulated(uint32_t ogr)
{
    return ogr == 11462;
}

/* The diploma -> skill table (engine/ref/diploma_skills_data.c, generated), as (skill hash,
 * diplomas bit set) pairs sorted by skill, built once. Diplomas are numbered by their first
 * appearance in the table (at most 16). Scoring asks "which diplomas imply this offer skill?"
 * once per offer, so a candidate's skill list stays her own (short: the binary search over it
 * is the hot loop of matching) and her diplomas are one 16-bit mask. */
extern const char *const cm__diploma_skills_data[][2];

typedef struct dip_skill {
    uint32_t skill;
    uint16_t dips;
} dip_skill_t;

#define DIPLOMAS_MAX 16
static dip_skill_t *dip_skills;
static size_t n_dip_skills;
static uint32_t dip_cert[DIPLOMAS_MAX];
static unsigned n_dip;
static pthread_once_t dip_once = PTHREAD_ONCE_INIT;

static int dip_cmp(const void *a, const void *b)
{
    uint32_t x = ((const dip_skill_t *)a)->skill, y = ((const dip_skill_t *)b)->skill;
    return (x > y) - (x < y);
}

static void dip_init(void)
{
    char canon[CM_CERT_MAX + 1];
    size_t n = 0;
    while (cm__diploma_skills_data[n][0])
        n++;
    dip_skills = malloc((n ? n : 1) * sizeof *dip_skills);
    if (!dip_skills)
        return; /* then no diploma implies anything: a lower score, never a wrong one */
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        cm__cert_canon(cm__diploma_skills_data[i][0], canon);
        uint32_t c = cm__cert_hash(canon);
        unsigned d = 0;
        while (d < n_dip && dip_cert[d] != c)
            d++;
        if (d == n_dip) {
            if (n_dip == DIPLOMAS_MAX)
                continue;
            dip_cert[n_dip++] = c;
        }
        dip_skills[k++] = (dip_skill_t){cm__skill_hash(cm__diploma_skills_data[i][1]),
                                        (uint16_t)(1u << d)};
    }
    qsort(dip_skills, k, sizeof *dip_skills, dip_cmp);
    size_t u = 0; /* one entry per skill, the diplomas or'ed */
    for (size_t i = 0; i < k; i++) {
        if (u && dip_skills[u - 1].skill == dip_skills[i].skill)
            dip_skills[u - 1].dips |= dip_skills[i].dips;
        else
            dip_skills[u++] = dip_skills[i];
    }
    n_dip_skills = u;
}

uint16_t cm__diploma_bit(uint32_t cert_hash)
{
    if (pthread_once(&dip_once, dip_init) != 0)
        return 0;
    for (unsigned d = 0; d < n_dip; d++)
        if (dip_cert[d] == cert_hash)
            return (uint16_t)(1u << d);
    return 0;
}

uint16_t cm__skill_diplomas(uint32_t skill_hash)
{
    if (pthread_once(&dip_once, dip_init) != 0)
        return 0;
    dip_skill_t key = {skill_hash, 0};
    const dip_skill_t *e = bsearch(&key, dip_skills, n_dip_skills, sizeof key, dip_cmp);
    return e ? e->dips : 0;
}

uint32_t cm__rome_code(const char *rome)
{
    if (!rome || rome[0] < 'A' || rome[0] > 'Z')
        return 0;
    uint32_t v = (uint32_t)(rome[0] - 'A' + 1) * 10000u;
    for (int i = 1; i <= 4; i++) {
        if (rome[i] < '0' || rome[i] > '9')
            return 0;
        v += (uint32_t)(rome[i] - '0') * (i == 1 ? 1000u : i == 2 ? 100u : i == 3 ? 10u : 1u);
    }
    return v;
}
