/* Unit tests of engine/index.c: 50 hand-built offers, then search (French stemming, filters,
 * geo radius with the exact cut, sorts, paging, facets), updates, metadata, the index format
 * and the walk, each checked against a brute-force answer over the same records. */
#include <math.h>

#include "carematch/referential.h"
#include "cmx.h"
#include "index.h"
#include "referential_internal.h"
#include "test.h"
#include "textquery.h"

/* ---- Fallbacks for record helpers engine/record.c provides (not linked here) ---- */
static const char *const contract_names[] = {"CDI", "CDD", "interim", "apprentissage",
                                             "professionnalisation", "liberal", "saisonnier"};
static const char *const kind_names[] = {"",    "ehpad", "saad", "ssiad",   "esat",   "ime",
                                         "mas", "fam",   "foyer", "hopital", "creche", "other"};
const char *cm_contract_name(cm_contract_t c)
{
    return contract_names[c];
}
const char *cm_employer_kind_name(cm_employer_kind_t k)
{
    return kind_names[k];
}
const char *cm_offer_status_name(cm_offer_status_t s)
{
    static const char *const n[] = {"open", "filled", "closed"};
    return n[s];
}
const char *cm_candidate_status_name(cm_candidate_status_t s)
{
    static const char *const n[] = {"active", "inactive", "hired"};
    return n[s];
}
bool cm_department_of_postcode(const char *postcode, char out[4])
{
    if (!postcode || strlen(postcode) != 5)
        return false;
    memcpy(out, postcode, 2);
    out[2] = '\0';
    return true;
}
int cm_rome_title_by_ogr(uint32_t ogr, cm_rome_title_t *out)
{
    (void)ogr;
    (void)out;
    return CM_ENOTFOUND; /* no referential here: offers' job titles add no words */
}
int cm_rome_title_resolve(const char *text, cm_rome_title_t *out)
{
    (void)text;
    (void)out;
    return CM_ENOTFOUND; /* nor do acronyms name a trade */
}
bool cm_department_of_place(const char *postcode, const char *commune, char out[4])
{
    return cm_department_of_postcode(postcode, out) || cm_department_of_postcode(commune, out);
}
const cm__dept_t *cm__dept_find(const char *code)
{
    (void)code;
    return NULL; /* no département's name among an offer's words here */
}
const char *cm__region_token(const char *region)
{
    (void)region;
    return NULL;
}
/* the fields' rule is score_fields.c's: here the record's pattern and licence stand for it */
uint8_t cm__offer_facts(const cm_offer_t *o)
{
    return (uint8_t)((o->work_pattern & CM_WORK_NIGHT ? CM_WORK_FACT_NIGHT : 0u) |
                     (o->work_pattern & CM_WORK_WEEKEND ? CM_WORK_FACT_WEEKEND : 0u) |
                     (o->driving_licence_required ? CM_WORK_FACT_LICENCE : 0u) |
                     (o->vehicle_required ? CM_WORK_FACT_VEHICLE : 0u));
}
bool cm__place_word(const char *word, size_t len)
{
    (void)word;
    (void)len;
    return false; /* every unknown word is repaired */
}

/* ---- The data set ---- */
#define NOFF 50
static cm_offer_t offers[NOFF];
static char titles[NOFF][64];
static const char *const title_of[5] = {
    "Aide-soignant de nuit H/F", "Auxiliaire de vie à domicile", "Infirmier en EHPAD",
    "Accompagnant éducatif et social", "Agent de service hospitalier"};
static const char *const rome_of[5] = {"J1501", "K1311", "J1506", "K1306", "J1301"};
static const cm_employer_kind_t kind_of[4] = {CM_EMPLOYER_EHPAD, CM_EMPLOYER_SAAD,
                                              CM_EMPLOYER_UNSET, CM_EMPLOYER_HOPITAL};
static cm_skill_req_t skill_hyg = {"Soins d'hygiène et de confort", true};
static cm_cert_req_t cert_deas = {.code = "DEAS", .required = true};

static void make_offer(int i, cm_offer_t *o)
{
    memset(o, 0, sizeof *o);
    snprintf(o->id, sizeof o->id, "off-%02d", i);
    o->version = (uint64_t)i + 1;
    snprintf(titles[i], sizeof titles[i], "%s", title_of[i % 5]);
    o->title = titles[i];
    o->description = i % 7 == 0 ? "Poste en équipe, week-ends alternés." : NULL;
    memcpy(o->rome, rome_of[i % 5], 6);
    o->employer_name = i % 2 ? "EHPAD Les Tilleuls" : "Association Aide et Domicile";
    o->employer_kind = kind_of[i % 4];
    o->loc.lat_e6 = 48856600 + (i % 10) * 20000;
    o->loc.lon_e6 = 2352200 + (i / 10) * 30000;
    o->city = "Paris";
    o->postcode = i % 2 ? "75011" : "93200";
    o->contract = (cm_contract_t)(i % 3);
    o->skills = i % 5 == 0 ? &skill_hyg : NULL;
    o->n_skills = i % 5 == 0;
    o->certs = i % 5 == 0 ? &cert_deas : NULL;
    o->n_certs = i % 5 == 0;
    o->immersion_possible = i % 2 == 0;
    o->pre_hire_training = i % 3 == 0;
    o->accessible_to_disabled_workers = i % 5 == 0;
    o->published_days = 20000 + i;
    o->work_pattern = (i % 4 == 0 ? CM_WORK_NIGHT : 0u) | (i % 6 == 0 ? CM_WORK_WEEKEND : 0u);
    o->driving_licence_required = i % 3 == 1;
    o->status = i == 49 ? CM_OFFER_FILLED : CM_OFFER_OPEN;
    o->arena_ = NULL;
}

static double dist_km(cm_geo_t a, cm_geo_t b)
{
    const double r = 6371.0088, rad = 3.14159265358979323846 / 180.0;
    double la1 = a.lat_e6 / 1e6 * rad, la2 = b.lat_e6 / 1e6 * rad;
    double dla = la2 - la1, dlo = (b.lon_e6 - a.lon_e6) / 1e6 * rad;
    double h = sin(dla / 2) * sin(dla / 2) + cos(la1) * cos(la2) * sin(dlo / 2) * sin(dlo / 2);
    return 2 * r * asin(sqrt(h));
}

static int offer_index(const char *id)
{
    int i;
    ASSERT(sscanf(id, "off-%d", &i) == 1);
    ASSERT(i >= 0 && i < NOFF);
    return i;
}

static void query_init(cm_search_query_t *q)
{
    memset(q, 0, sizeof *q);
    q->immersion_possible = q->pre_hire_training = q->accessible_to_disabled_workers = -1;
    q->limit = 100;
}

static bool deleted[NOFF];

/* Runs q and checks the result set equals the open offers satisfying pred (order ignored). */
static void check_set(cm__searcher_t *s, const cm_search_query_t *q, bool (*pred)(int i),
                      const char *what)
{
    cm__search_ids_t r;
    cm_error err = {0};
    int rc = cm__searcher_search(s, q, NULL, &r, &err);
    if (rc)
        CM_FAIL_("%s: search failed %d %s", what, rc, err.message);
    bool seen[NOFF] = {0};
    for (size_t k = 0; k < r.n; k++) {
        int i = offer_index(r.ids[k]);
        if (!pred(i) || offers[i].status != CM_OFFER_OPEN || deleted[i])
            CM_FAIL_("%s: unexpected %s", what, r.ids[k]);
        ASSERT(!seen[i]);
        seen[i] = true;
    }
    size_t want = 0;
    for (int i = 0; i < NOFF; i++)
        if (pred(i) && offers[i].status == CM_OFFER_OPEN && !deleted[i])
            want++;
    if (r.n != want || r.total != want)
        CM_FAIL_("%s: got %zu (total %llu), want %zu", what, r.n, (unsigned long long)r.total,
                 want);
    cm__search_ids_free(&r);
}

static bool p_all(int i)
{
    (void)i;
    return true;
}
static bool p_soignant(int i)
{
    return offers[i].title == titles[i] && strstr(titles[i], "soignant") != NULL;
}
static bool p_rome2(int i)
{
    return strcmp(offers[i].rome, "J1501") == 0 || strcmp(offers[i].rome, "K1311") == 0;
}
static bool p_cdd_interim(int i)
{
    return offers[i].contract == CM_CONTRACT_CDD || offers[i].contract == CM_CONTRACT_INTERIM;
}
static bool p_ehpad(int i)
{
    return offers[i].employer_kind == CM_EMPLOYER_EHPAD;
}
static bool p_immersion(int i)
{
    return offers[i].immersion_possible;
}
static bool p_no_immersion_training_accessible(int i)
{
    return !offers[i].immersion_possible && offers[i].pre_hire_training &&
           offers[i].accessible_to_disabled_workers;
}
static bool p_no_night_with_licence(int i)
{
    return !(offers[i].work_pattern & CM_WORK_NIGHT) && offers[i].driving_licence_required;
}
static bool p_no_weekend(int i)
{
    return !(offers[i].work_pattern & CM_WORK_WEEKEND);
}
static bool p_combo(int i)
{
    return p_soignant(i) && p_ehpad(i) && offers[i].contract == CM_CONTRACT_CDI;
}
static cm_geo_t g_center;
static double g_radius;
static bool p_geo(int i)
{
    return dist_km(g_center, offers[i].loc) <= g_radius;
}
static bool p_none(int i)
{
    (void)i;
    return false;
}
static bool p_infirmier(int i)
{
    return strstr(titles[i], "Infirmier") != NULL;
}
static bool p_auxiliaire(int i)
{
    return strstr(titles[i], "Auxiliaire") != NULL;
}
static bool p_ash(int i)
{
    return strstr(titles[i], "Agent de service hospitalier") != NULL;
}
/* "EHPAD" in the title or the employer's name */
static bool p_ehpad_text(int i)
{
    return strstr(titles[i], "EHPAD") != NULL || strstr(offers[i].employer_name, "EHPAD") != NULL;
}
static bool p_infirmier_or_auxiliaire(int i)
{
    return p_infirmier(i) || p_auxiliaire(i);
}

/* check_set, and the tier the search answered from */
static void check_tier(cm__searcher_t *s, const cm_search_query_t *q, bool (*pred)(int i),
                       int tier, const char *what)
{
    check_set(s, q, pred, what);
    cm__search_ids_t r;
    cm_error err = {0};
    ASSERT_OK(cm__searcher_search(s, q, NULL, &r, &err));
    if (r.text_match != tier)
        CM_FAIL_("%s: text_match %d, want %d", what, r.text_match, tier);
    cm__search_ids_free(&r);
}

/* Search v2 (issue #15): what a French job seeker types finds what a French speaker means. */
static void test_text_v2(cm__searcher_t *s)
{
    cm_search_query_t q;
    query_init(&q);
    /* gender, number, accents: one word ("infirmiere" and "infirmier" used to stem apart) */
    static const char *const nurse[] = {"infirmière", "infirmiere", "INFIRMIÈRES", "infirmiers"};
    for (size_t i = 0; i < sizeof nurse / sizeof nurse[0]; i++) {
        q.q = nurse[i];
        check_tier(s, &q, p_infirmier, CM_TEXT_MATCH_ALL, nurse[i]);
    }
    /* typos on longer words: the closest indexed word; at the word's end too, where the typo
     * hides the suffix from the stemmer (probe: "soignantt", "infirmierz" found nothing) */
    static const struct {
        const char *q;
        bool (*pred)(int i);
    } typos[] = {
        {"aide-soigant", p_soignant},   {"auxilliaire", p_auxiliaire}, {"infirmeire", p_infirmier},
        {"aide-soignantt", p_soignant}, {"aide-soignanx", p_soignant}, {"infirmierz", p_infirmier},
        {"infirmierss", p_infirmier},   {"auxilière", p_auxiliaire},   {"auxiliere", p_auxiliaire}};
    for (size_t i = 0; i < sizeof typos / sizeof typos[0]; i++) {
        q.q = typos[i].q;
        check_tier(s, &q, typos[i].pred, CM_TEXT_MATCH_ALL, typos[i].q);
    }
    q.q = "soin";
    check_set(s, &q, p_soignant, "short words are not repaired: soin is soin (skill label)");
    /* acronyms and spelled-out forms, both ways */
    q.q = "ASH";
    check_tier(s, &q, p_ash, CM_TEXT_MATCH_ALL, "ASH");
    q.q = "agent de service hospitalier";
    check_tier(s, &q, p_ash, CM_TEXT_MATCH_ALL, "agent de service hospitalier");
    q.q = "maison de retraite";
    check_tier(s, &q, p_ehpad_text, CM_TEXT_MATCH_ALL, "maison de retraite = EHPAD");
    q.q = "ehpad";
    check_tier(s, &q, p_ehpad_text, CM_TEXT_MATCH_ALL, "ehpad");
    /* every word must match; when nothing holds them all, all but one, then any */
    q.q = "aide soignant xyzzyq";
    check_tier(s, &q, p_soignant, CM_TEXT_MATCH_ALL_BUT_ONE, "all but one");
    q.q = "infirmier auxiliaire";
    check_tier(s, &q, p_infirmier_or_auxiliaire, CM_TEXT_MATCH_ANY, "any");
    /* operator words are words' glue, not syntax, unless asked for; never an error */
    q.q = "infirmier OR auxiliaire";
    check_tier(s, &q, p_infirmier_or_auxiliaire, CM_TEXT_MATCH_ANY, "OR is no word");
    q.q = "AND AND";
    check_tier(s, &q, p_all, CM_TEXT_MATCH_NONE, "AND AND: no words, every offer");
    q.operators = true;
    q.q = "infirmier OR auxiliaire";
    check_tier(s, &q, p_infirmier_or_auxiliaire, CM_TEXT_MATCH_OPERATORS, "operators OR");
    q.q = "soignant NOT nuit";
    check_tier(s, &q, p_none, CM_TEXT_MATCH_OPERATORS, "operators NOT");
    q.q = "AND AND";
    check_tier(s, &q, p_all, CM_TEXT_MATCH_NONE, "operators that do not parse: plain words");
}

static void check_marks(const cm_snippet_t *sn, const char *const *words, size_t n)
{
    ASSERT_EQ(sn->n_marks, n);
    for (size_t i = 0; i < n; i++) {
        const cm_snippet_mark_t *m = &sn->marks[i];
        if (m->len != strlen(words[i]) || memcmp(sn->text + m->start, words[i], m->len) != 0)
            CM_FAIL_("mark %zu: \"%.*s\", want \"%s\"", i, (int)m->len, sn->text + m->start,
                     words[i]);
    }
}

static void test_snippets(void)
{
    cm__textq_t tq;
    cm_snippet_t sn;
    cm__snip_stems_t *st;
    ASSERT_OK(cm__textq_parse("aide soignant diplômée", strlen("aide soignant diplômée"), &tq));
    ASSERT_EQ(tq.n, 3);
    ASSERT_OK(cm__snip_stems_new(&tq, &st));
    const char *text = "Nous recherchons une Aide-Soignante Diplômée (H/F) pour l'EHPAD.";
    ASSERT_OK(cm__snippet("description", text, st, &sn));
    ASSERT_STREQ(sn.field, "description");
    ASSERT_STREQ(sn.text, text); /* short: whole, no cut */
    static const char *const w1[] = {"Aide", "Soignante", "Diplômée"};
    check_marks(&sn, w1, 3);
    free(sn.text);

    /* a long text: the passage where the words are, cut with ellipses at both ends */
    char long_text[4096];
    size_t n = 0;
    for (int i = 0; i < 120; i++)
        n += (size_t)snprintf(long_text + n, sizeof long_text - n, "%s ",
                              i == 70 ? "aides-soignants diplômés" : "mot");
    ASSERT_OK(cm__snippet("description", long_text, st, &sn));
    ASSERT(strncmp(sn.text, "\xe2\x80\xa6 ", 4) == 0);
    ASSERT(strstr(sn.text, " \xe2\x80\xa6") != NULL);
    ASSERT(strlen(sn.text) < 400);
    static const char *const w2[] = {"aides", "soignants", "diplômés"};
    check_marks(&sn, w2, 3);
    free(sn.text);

    /* no searched word: the text's start, nothing marked; no word at all: no snippet */
    ASSERT_OK(cm__snippet("description", "Poste de jour.", st, &sn));
    ASSERT_EQ(sn.n_marks, 0);
    ASSERT_STREQ(sn.text, "Poste de jour.");
    free(sn.text);
    ASSERT_OK(cm__snippet("description", " -- ", st, &sn));
    ASSERT(sn.field == NULL && sn.text == NULL);

    /* synonyms: "EHPAD" marks the spelled-out words too */
    ASSERT_OK(cm__textq_parse("ehpad", 5, &tq));
    ASSERT_EQ(tq.n, 1);
    ASSERT(tq.g[0].synonym && tq.g[0].n_alt >= 3);
    cm__snip_stems_free(st);
    ASSERT_OK(cm__snip_stems_new(&tq, &st));
    ASSERT_OK(cm__snippet("description", "Maison de retraite (EHPAD) à Lyon", st, &sn));
    static const char *const w3[] = {"Maison", "retraite", "EHPAD"};
    check_marks(&sn, w3, 3);
    free(sn.text);
    cm__snip_stems_free(st);
    /* stop words and operator words are no groups; the same word twice is one */
    ASSERT_OK(cm__textq_parse("de la aide OR AND aides", 23, &tq));
    ASSERT_EQ(tq.n, 1);
    ASSERT_OK(cm__textq_parse("de la", 5, &tq));
    ASSERT_EQ(tq.n, 2);
}

static void test_text_and_filters(cm__searcher_t *s)
{
    cm_search_query_t q;
    query_init(&q);
    check_set(s, &q, p_all, "all");
    q.q = "   ";
    check_set(s, &q, p_all, "blank");
    q.q = "soignante";
    check_set(s, &q, p_soignant, "soignante");
    q.q = "aides-soignants";
    check_set(s, &q, p_soignant, "aides-soignants");
    q.q = "Aide-Soignante";
    check_set(s, &q, p_soignant, "Aide-Soignante");
    q.q = "hygiène";
    check_set(s, &q, p_soignant, "skill label");
    q.q = "zzzunknown";
    check_set(s, &q, p_none, "unknown word");

    query_init(&q);
    q.rome[0] = "J1501";
    q.rome[1] = "K1311";
    q.n_rome = 2;
    check_set(s, &q, p_rome2, "rome");
    query_init(&q);
    q.contracts = 1u << CM_CONTRACT_CDD | 1u << CM_CONTRACT_INTERIM;
    check_set(s, &q, p_cdd_interim, "contracts");
    query_init(&q);
    q.employer_kinds = 1u << CM_EMPLOYER_EHPAD;
    check_set(s, &q, p_ehpad, "kinds");
    query_init(&q);
    q.immersion_possible = 1;
    check_set(s, &q, p_immersion, "immersion");
    query_init(&q);
    q.immersion_possible = 0;
    q.pre_hire_training = 1;
    q.accessible_to_disabled_workers = 1;
    check_set(s, &q, p_no_immersion_training_accessible, "three booleans");
    query_init(&q); /* the work's facts, with and without */
    q.without = CM_WORK_FACT_NIGHT;
    q.with = CM_WORK_FACT_LICENCE;
    check_set(s, &q, p_no_night_with_licence, "no night, licence");
    query_init(&q);
    q.without = CM_WORK_FACT_WEEKEND;
    check_set(s, &q, p_no_weekend, "no weekend");
    query_init(&q);
    q.q = "soignant";
    q.employer_kinds = 1u << CM_EMPLOYER_EHPAD;
    q.contracts = 1u << CM_CONTRACT_CDI;
    check_set(s, &q, p_combo, "text + filters");

    /* errors name the field */
    cm__search_ids_t r;
    cm_error err = {0};
    char *longq = malloc(CM_QUERY_MAX + 2);
    ASSERT(longq != NULL);
    memset(longq, 'a', CM_QUERY_MAX + 1);
    longq[CM_QUERY_MAX + 1] = '\0';
    q.q = longq;
    memset(&err, 0, sizeof err);
    ASSERT_RC(cm__searcher_search(s, &q, NULL, &r, &err), CM_EINVAL);
    ASSERT_STREQ(err.field, "q");
    free(longq);
    query_init(&q);
    q.sort = CM_SORT_DISTANCE;
    memset(&err, 0, sizeof err);
    ASSERT_RC(cm__searcher_search(s, &q, NULL, &r, &err), CM_EINVAL);
    ASSERT_STREQ(err.field, "sort");
    /* abusive but parseable queries give results, not crashes */
    static const char *const odd[] = {"\"", "((((", "NEAR/99", "\xff\xfe", "soin*", "-", "NOT x"};
    for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
        query_init(&q);
        q.q = odd[i];
        ASSERT_OK(cm__searcher_search(s, &q, NULL, &r, &err)); /* a person's text is no error */
        cm__search_ids_free(&r);
        q.operators = true;
        ASSERT_OK(cm__searcher_search(s, &q, NULL, &r, &err));
        cm__search_ids_free(&r);
    }
}

static void test_geo(cm__searcher_t *s)
{
    cm_search_query_t q;
    static const double radii[] = {0.5, 3.1, 5.1, 8.1, 15.1, 150.0, 3000.0};
    cm_geo_t centers[] = {{48856600, 2352200}, {48900000, 2400000}};
    for (size_t c = 0; c < 2; c++) {
        for (size_t k = 0; k < sizeof radii / sizeof radii[0]; k++) {
            g_center = centers[c];
            g_radius = radii[k];
            /* move the radius off any offer so float rounding cannot decide the answer */
            for (int i = 0; i < NOFF; i++)
                if (fabs(dist_km(g_center, offers[i].loc) - g_radius) < 0.01) {
                    g_radius += 0.037;
                    i = -1;
                }
            query_init(&q);
            q.has_geo = true;
            q.center = g_center;
            q.radius_km = g_radius;
            check_set(s, &q, p_geo, "geo radius");
        }
    }

    /* sort by distance (radius 0 = no limit): non-decreasing distances, all offers */
    query_init(&q);
    q.has_geo = true;
    q.center = (cm_geo_t){48950000, 2450000};
    q.sort = CM_SORT_DISTANCE;
    cm__search_ids_t r;
    cm_error err = {0};
    ASSERT_OK(cm__searcher_search(s, &q, NULL, &r, &err));
    ASSERT_EQ(r.n, 49);
    double prev = -1;
    for (size_t k = 0; k < r.n; k++) {
        double d = dist_km(q.center, offers[offer_index(r.ids[k])].loc);
        ASSERT(d >= prev - 1e-6);
        prev = d;
    }
    cm__search_ids_free(&r);
}

static void test_sorts_paging(cm__searcher_t *s)
{
    cm_search_query_t q;
    cm__search_ids_t r, page;
    cm_error err = {0};
    /* empty q, relevance: newest first; and sort=date the same */
    for (int sort = CM_SORT_RELEVANCE; sort <= CM_SORT_DATE; sort += 2) {
        query_init(&q);
        q.sort = sort;
        ASSERT_OK(cm__searcher_search(s, &q, NULL, &r, &err));
        ASSERT_EQ(r.n, 49);
        for (size_t k = 0; k < r.n; k++) {
            char want[16];
            snprintf(want, sizeof want, "off-%02d", 48 - (int)k);
            ASSERT_STREQ(r.ids[k], want);
            ASSERT_NEAR(r.scores[k], 0, 0);
        }
        /* paging: the same order, sliced */
        q.offset = 10;
        q.limit = 7;
        ASSERT_OK(cm__searcher_search(s, &q, NULL, &page, &err));
        ASSERT_EQ(page.n, 7);
        ASSERT_EQ(page.total, 49);
        for (size_t k = 0; k < page.n; k++)
            ASSERT_STREQ(page.ids[k], r.ids[10 + k]);
        cm__search_ids_free(&page);
        q.offset = 45;
        q.limit = 10;
        ASSERT_OK(cm__searcher_search(s, &q, NULL, &page, &err));
        ASSERT_EQ(page.n, 4);
        cm__search_ids_free(&page);
        q.offset = 100;
        ASSERT_OK(cm__searcher_search(s, &q, NULL, &page, &err));
        ASSERT_EQ(page.n, 0);
        ASSERT_EQ(page.total, 49);
        cm__search_ids_free(&page);
        cm__search_ids_free(&r);
    }

    /* relevance with text: scores in 0..100, decreasing; a better match ranks first */
    query_init(&q);
    q.q = "aide soignant nuit EHPAD";
    ASSERT_OK(cm__searcher_search(s, &q, NULL, &r, &err));
    ASSERT(r.n > 0);
    for (size_t k = 0; k < r.n; k++) {
        ASSERT(r.scores[k] > 0 && r.scores[k] <= 100);
        if (k)
            ASSERT(r.scores[k] <= r.scores[k - 1]);
    }
    cm__search_ids_free(&r);
    q.q = "infirmier OR auxiliaire";
    ASSERT_OK(cm__searcher_search(s, &q, NULL, &r, &err));
    ASSERT_EQ(r.n, 20);
    cm__search_ids_free(&r);
    /* sort=date with text: the text filters, dates order */
    q.q = "infirmier";
    q.sort = CM_SORT_DATE;
    ASSERT_OK(cm__searcher_search(s, &q, NULL, &r, &err));
    ASSERT_EQ(r.n, 10);
    ASSERT_STREQ(r.ids[0], "off-47");
    ASSERT_STREQ(r.ids[9], "off-02");
    ASSERT(r.scores[0] > 0);
    cm__search_ids_free(&r);
}

static void test_facets(cm__searcher_t *s)
{
    cm_search_query_t q;
    cm__search_ids_t r;
    cm_error err = {0};
    query_init(&q);
    q.limit = 5;
    q.facets = (1u << CM_FACET__COUNT) - 1;
    q.contracts = 1u << CM_CONTRACT_CDI | 1u << CM_CONTRACT_CDD;
    ASSERT_OK(cm__searcher_search(s, &q, NULL, &r, &err));
    ASSERT_EQ(r.n, 5);
    for (int f = 0; f < CM_FACET__COUNT; f++) {
        uint32_t sum = 0;
        ASSERT(r.n_facets[f] > 0);
        for (size_t j = 0; j < r.n_facets[f]; j++) {
            const cm_facet_value_t *v = &r.facets[f][j];
            uint32_t want = 0;
            for (int i = 0; i < NOFF; i++) {
                const cm_offer_t *o = &offers[i];
                if (o->status != CM_OFFER_OPEN || deleted[i] || o->contract > CM_CONTRACT_CDD)
                    continue;
                char dept[4];
                cm_department_of_postcode(o->postcode, dept);
                const char *val = f == CM_FACET_ROME       ? o->rome
                                  : f == CM_FACET_CONTRACT ? cm_contract_name(o->contract)
                                  : f == CM_FACET_DEPARTMENT
                                      ? dept
                                      : cm_employer_kind_name(o->employer_kind);
                want += strcmp(val, v->value) == 0;
            }
            if (v->count != want)
                CM_FAIL_("facet %d %s: %u, want %u", f, v->value, v->count, want);
            if (j)
                ASSERT(v->count <= r.facets[f][j - 1].count);
            sum += v->count;
        }
        /* every offer has each facet except employer kind (unset on a quarter) */
        if (f != CM_FACET_EMPLOYER_KIND)
            ASSERT_EQ(sum, r.total);
        else
            ASSERT(sum < r.total);
    }
    ASSERT_EQ(r.n_facets[CM_FACET_CONTRACT], 2);
    ASSERT_EQ(r.n_facets[CM_FACET_DEPARTMENT], 2);
    ASSERT_EQ(r.n_facets[CM_FACET_ROME], 5);
    cm__search_ids_free(&r);
}

typedef struct walk {
    int offers;
    uint64_t version_sum;
} walk_t;

static int walk_fn(void *arg, const char *id, uint64_t version)
{
    walk_t *w = arg;
    int i = offer_index(id);
    ASSERT_EQ(version, offers[i].version);
    w->offers++;
    w->version_sum += version;
    return 0;
}

static int stop_fn(void *arg, const char *id, uint64_t version)
{
    (void)id;
    (void)version;
    return ++*(int *)arg == 3 ? CM_EEXIST : 0;
}

/* An index committed by another format (format 1 wrote no "format" and held candidates) is
 * reported stale until it is cleared and committed again; a new empty one is not. */
static void test_format(void)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/xapian-v1", cm_test_tmpdir("index-format"));
    cmx_wdb *w;
    char *msg = NULL;
    ASSERT_OK(cmx_wdb_open(path, 0, &w, &msg));
    ASSERT_OK(cmx_wdb_set_metadata(w, "last_seq", "12", 2, &msg));
    ASSERT_OK(cmx_wdb_commit(w, &msg));
    cmx_wdb_close(w);
    cm__index_t *ix;
    cm_error err = {0};
    ASSERT_OK(cm__index_open(path, &ix, &err));
    ASSERT_EQ(cm__index_last_seq(ix), 12);
    ASSERT(cm__index_stale(ix));
    ASSERT_OK(cm__index_clear(ix));
    ASSERT(!cm__index_stale(ix));
    ASSERT_OK(cm__index_commit(ix, 12));
    cm__index_close(ix);
    ASSERT_OK(cm__index_open(path, &ix, &err));
    ASSERT(!cm__index_stale(ix));
    cm__index_close(ix);

    /* format 2 stemmed feminine forms apart ("infirmiere" / "infirmier"): rebuilt */
    snprintf(path, sizeof path, "%s/xapian-v2", cm_test_tmpdir("index-format"));
    ASSERT_OK(cmx_wdb_open(path, 0, &w, &msg));
    ASSERT_OK(cmx_wdb_set_metadata(w, "last_seq", "3", 1, &msg));
    ASSERT_OK(cmx_wdb_set_metadata(w, "format", "2", 1, &msg));
    ASSERT_OK(cmx_wdb_commit(w, &msg));
    cmx_wdb_close(w);
    ASSERT_OK(cm__index_open(path, &ix, &err));
    ASSERT(cm__index_stale(ix));
    cm__index_close(ix);

    snprintf(path, sizeof path, "%s/xapian-new", cm_test_tmpdir("index-format"));
    ASSERT_OK(cm__index_open(path, &ix, &err));
    ASSERT(!cm__index_stale(ix));
    ASSERT_OK(cm__index_commit(ix, 1));
    cm__index_close(ix);
    ASSERT_OK(cm__index_open(path, &ix, &err));
    ASSERT(!cm__index_stale(ix));
    cm__index_close(ix);
}

/* Issue #18 point 6: when every offer holds the filtered term (all J1501, all open) and one is
 * deleted, a filtered search over more than one posting-list chunk (~1,000 documents) threw
 * DatabaseCorruptError in Xapian 1.4.22 for ever. The sentinel document keeps it working,
 * also after a clear (reindex) and for an index written before the sentinel existed. */
#define NSHARED 1300
static void search_shared(cm__searcher_t *s, const char *text, uint64_t want, const char *what)
{
    cm_search_query_t q;
    cm__search_ids_t r;
    cm_error err = {0};
    query_init(&q);
    q.q = text;
    q.rome[0] = "J1501";
    q.n_rome = 1;
    q.limit = 10;
    q.contracts = 1u << CM_CONTRACT_CDI;
    int rc = cm__searcher_search(s, &q, NULL, &r, &err);
    if (rc)
        CM_FAIL_("%s: search failed %d %s", what, rc, err.message);
    if (r.total != want)
        CM_FAIL_("%s: total %llu, want %llu", what, (unsigned long long)r.total,
                 (unsigned long long)want);
    cm__search_ids_free(&r);
}

static void fill_shared(cm__index_t *ix, int from, int to)
{
    for (int i = from; i < to; i++) {
        cm_offer_t o;
        make_offer(0, &o);
        snprintf(o.id, sizeof o.id, "sh-%04d", i);
        o.description = NULL;
        o.employer_kind = CM_EMPLOYER_EHPAD;
        o.immersion_possible = o.pre_hire_training = o.accessible_to_disabled_workers = false;
        ASSERT_OK(cm__index_put_offer(ix, &o, NULL, NULL));
    }
}

static int count_fn(void *arg, const char *id, uint64_t version)
{
    (void)version;
    ASSERT(strncmp(id, "sh-", 3) == 0);
    ++*(int *)arg;
    return 0;
}

static void test_all_share_filter(void)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/xapian", cm_test_tmpdir("index-shared"));
    cm__index_t *ix;
    cm__searcher_t *s;
    cm_error err = {0};
    ASSERT_OK(cm__index_open(path, &ix, &err));
    fill_shared(ix, 0, NSHARED);
    ASSERT_OK(cm__index_commit(ix, 1));
    ASSERT_OK(cm__index_delete_offer(ix, "sh-0005"));
    ASSERT_OK(cm__index_commit(ix, 2));
    ASSERT_OK(cm__searcher_open(path, &s, &err));
    search_shared(s, NULL, NSHARED - 1, "filter only, after one delete");
    search_shared(s, "soignant", NSHARED - 1, "text and filter, after one delete");

    /* a clear (reindex) keeps the sentinel */
    ASSERT_OK(cm__index_clear(ix));
    fill_shared(ix, 0, NSHARED);
    ASSERT_OK(cm__index_commit(ix, 3));
    ASSERT_OK(cm__index_delete_offer(ix, "sh-1200"));
    ASSERT_OK(cm__index_commit(ix, 4));
    ASSERT_OK(cm__searcher_reopen(s));
    search_shared(s, NULL, NSHARED - 1, "after clear and one delete");
    cm__index_close(ix);
    cm__searcher_close(s);

    /* an index written without the sentinel (as before the fix) gets it at open */
    snprintf(path, sizeof path, "%s/xapian", cm_test_tmpdir("index-shared-old"));
    cmx_wdb *w;
    char *msg = NULL;
    ASSERT_OK(cmx_wdb_open(path, 0, &w, &msg));
    ASSERT_OK(cmx_wdb_set_metadata(w, "last_seq", "5", 1, &msg));
    ASSERT_OK(cmx_wdb_set_metadata(w, "format", "8", 1, &msg));
    ASSERT_OK(cmx_wdb_commit(w, &msg));
    cmx_wdb_close(w);
    ASSERT_OK(cm__index_open(path, &ix, &err));
    ASSERT(!cm__index_stale(ix));
    fill_shared(ix, 0, NSHARED);
    ASSERT_OK(cm__index_commit(ix, 6));
    ASSERT_OK(cm__index_delete_offer(ix, "sh-0000"));
    ASSERT_OK(cm__index_commit(ix, 7));
    ASSERT_OK(cm__searcher_open(path, &s, &err));
    search_shared(s, NULL, NSHARED - 1, "old index, after one delete");
    int n = 0;
    ASSERT_OK(cm__searcher_each(s, count_fn, &n));
    ASSERT_EQ(n, NSHARED - 1); /* the sentinel is no offer */
    cm__searcher_close(s);
    cm__index_close(ix);
}

int main(void)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/xapian", cm_test_tmpdir("index"));
    cm__index_t *ix = NULL;
    cm__searcher_t *s = NULL;
    cm_error err = {0};

    ASSERT_RC(cm__searcher_open(path, &s, &err), CM_EXAPIAN); /* nothing there yet */
    ASSERT(err.message[0] != '\0');
    ASSERT_OK(cm__index_open(path, &ix, &err));
    ASSERT_EQ(cm__index_last_seq(ix), 0);
    cm__index_t *ix2 = NULL;
    ASSERT_RC(cm__index_open(path, &ix2, &err), CM_EBUSY);

    for (int i = 0; i < NOFF; i++) {
        make_offer(i, &offers[i]);
        ASSERT_OK(cm__index_put_offer(ix, &offers[i], NULL, NULL));
    }
    ASSERT_OK(cm__index_commit(ix, 7));
    ASSERT_EQ(cm__index_last_seq(ix), 7);

    ASSERT_OK(cm__searcher_open(path, &s, &err));
    test_text_and_filters(s);
    test_text_v2(s);
    test_snippets();
    test_geo(s);
    test_sorts_paging(s);
    test_facets(s);

    /* the walk */
    walk_t w = {0};
    ASSERT_OK(cm__searcher_each(s, walk_fn, &w));
    ASSERT_EQ(w.offers, NOFF);
    ASSERT_EQ(w.version_sum, NOFF * (NOFF + 1) / 2);
    int calls = 0;
    ASSERT_RC(cm__searcher_each(s, stop_fn, &calls), CM_EEXIST);

    /* delete, replace (new title), status change; invisible until commit + reopen */
    cm_search_query_t q;
    query_init(&q);
    ASSERT_OK(cm__index_delete_offer(ix, "off-00"));
    ASSERT_OK(cm__index_delete_offer(ix, "off-99")); /* absent: fine */
    ASSERT_RC(cm__index_delete_offer(ix, ""), CM_EINVAL);
    snprintf(titles[1], sizeof titles[1], "Aide-soignante en SSIAD");
    offers[1].version++;
    ASSERT_OK(cm__index_put_offer(ix, &offers[1], NULL, NULL));
    cm_offer_t closed = offers[5];
    closed.status = CM_OFFER_CLOSED;
    ASSERT_OK(cm__index_put_offer(ix, &closed, NULL, NULL));
    check_set(s, &q, p_all, "before commit");
    ASSERT_OK(cm__index_commit(ix, 9));
    ASSERT_OK(cm__searcher_reopen(s));
    offers[5].status = CM_OFFER_CLOSED;
    deleted[0] = true;
    check_set(s, &q, p_all, "after delete");
    q.q = "soignante";
    check_set(s, &q, p_soignant, "after replace");
    q.q = "SSIAD";
    cm__search_ids_t r;
    ASSERT_OK(cm__searcher_search(s, &q, NULL, &r, &err));
    ASSERT_EQ(r.n, 1);
    ASSERT_STREQ(r.ids[0], "off-01");
    cm__search_ids_free(&r);
    memset(&w, 0, sizeof w);
    ASSERT_OK(cm__searcher_each(s, walk_fn, &w));
    ASSERT_EQ(w.offers, NOFF - 1);

    /* last_seq persists across close/open; close commits pending changes */
    ASSERT_OK(cm__index_delete_offer(ix, "off-02"));
    cm__index_close(ix);
    ASSERT_OK(cm__index_open(path, &ix, &err));
    ASSERT_EQ(cm__index_last_seq(ix), 9);
    ASSERT(!cm__index_stale(ix));
    ASSERT_OK(cm__searcher_reopen(s));
    memset(&w, 0, sizeof w);
    deleted[2] = true;
    ASSERT_OK(cm__searcher_each(s, walk_fn, &w));
    ASSERT_EQ(w.offers, NOFF - 2);

    /* clear removes everything */
    ASSERT_OK(cm__index_clear(ix));
    ASSERT_OK(cm__index_commit(ix, 0));
    ASSERT_OK(cm__searcher_reopen(s));
    memset(&w, 0, sizeof w);
    ASSERT_OK(cm__searcher_each(s, walk_fn, &w));
    ASSERT_EQ(w.offers, 0);
    query_init(&q);
    ASSERT_OK(cm__searcher_search(s, &q, NULL, &r, &err));
    ASSERT_EQ(r.total, 0);
    cm__search_ids_free(&r);

    cm__searcher_close(s);
    cm__index_close(ix);
    test_format();
    test_all_share_filter();
    printf("test_index: ok\n");
    return 0;
}
