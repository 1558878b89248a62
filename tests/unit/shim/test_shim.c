/* Unit tests of the Xapian shim: documents, metadata, commits and readers, French text,
 * query abuse (never a crash, only results or CMX_EINVAL), geo, sorts, facets, errors. */
#include <math.h>

#include "cmx.h"
#include "test.h"

static char dbpath[4200];

typedef struct tdoc {
    const char *id;
    const char *text;
    double lat, lon;
    double date;
    const char *facet;
} tdoc_t;

static void put(cmx_wdb *w, const tdoc_t *t)
{
    cmx_doc *d = NULL;
    char *err = NULL;
    char idterm[80];
    ASSERT_OK(cmx_doc_new(&d));
    ASSERT_OK(cmx_doc_add_term(d, "XTdoc", &err));
    ASSERT_OK(cmx_doc_index_text(d, t->text, strlen(t->text), NULL, 1, 0, &err));
    ASSERT_OK(cmx_doc_add_value_latlon(d, 0, t->lat, t->lon, &err));
    ASSERT_OK(cmx_doc_add_value_number(d, 1, t->date, &err));
    ASSERT_OK(cmx_doc_add_value(d, 2, t->facet, strlen(t->facet), &err));
    ASSERT_OK(cmx_doc_set_data(d, t->id, strlen(t->id), &err));
    snprintf(idterm, sizeof idterm, "Q%s", t->id);
    ASSERT_OK(cmx_wdb_replace(w, idterm, d, NULL, NULL, &err));
    ASSERT(err == NULL);
    cmx_doc_free(d);
}

static const tdoc_t docs[] = {
    /* Paris, Versailles, Lyon, north of Paris */
    {"a", "Aide-soignante de nuit en EHPAD", 48.8566, 2.3522, 20000, "J1501"},
    {"b", "Auxiliaire de vie à domicile, crèche", 48.8049, 2.1204, 20010, "K1311"},
    {"c", "Infirmier coordinateur", 45.7640, 4.8357, 20005, "J1506"},
    {"d", "Soins d'hygiène et de confort, aides-soignants", 48.9, 2.4, 19990, "J1501"},
};
#define NDOCS (sizeof docs / sizeof docs[0])

/* Ids of a search, joined by ',' into buf. */
static const char *ids_of(cmx_db *db, cmx_search_t *s, char *buf, size_t cap)
{
    cmx_mset *m = NULL;
    char *err = NULL;
    int rc = cmx_db_search(db, s, &m, &err);
    if (rc)
        CM_FAIL_("search failed: %d %s", rc, err ? err : "");
    buf[0] = '\0';
    for (size_t i = 0; i < cmx_mset_size(m); i++) {
        size_t len;
        const char *id = cmx_mset_data(m, i, &len);
        if (i)
            strncat(buf, ",", cap - strlen(buf) - 1);
        strncat(buf, id, cap - strlen(buf) - 1);
    }
    cmx_mset_free(m);
    return buf;
}

static const char *text_search(cmx_db *db, const char *text, unsigned flags, char *buf,
                               size_t cap)
{
    cmx_query *q = NULL;
    char *err = NULL;
    int rc = cmx_query_parse(text, strlen(text), flags, 100, &q, &err);
    if (rc)
        CM_FAIL_("parse '%s' failed: %d %s", text, rc, err ? err : "");
    cmx_search_t s = {0};
    s.query = q;
    s.sort = CMX_SORT_VALUE; /* deterministic order: date desc */
    s.sort_slot = 1;
    s.limit = 10;
    ids_of(db, &s, buf, cap);
    cmx_query_free(q);
    return buf;
}

/* Documents a reader sees: a match-all search, counted exactly. */
static uint64_t doc_count(cmx_db *db)
{
    cmx_query *all = NULL;
    cmx_mset *m = NULL;
    char *err = NULL;
    ASSERT_OK(cmx_query_all(&all));
    cmx_search_t s = {0};
    s.query = all;
    s.limit = 1;
    s.check_at_least = 1000;
    if (cmx_db_search(db, &s, &m, &err))
        CM_FAIL_("count failed: %s", err ? err : "");
    uint64_t n = cmx_mset_matches_estimated(m);
    cmx_mset_free(m);
    cmx_query_free(all);
    return n;
}

static void test_write_read(void)
{
    cmx_wdb *w = NULL;
    cmx_db *db = NULL;
    char *err = NULL, *val = NULL;
    size_t len = 1;

    ASSERT_OK(cmx_wdb_open(dbpath, 0, &w, &err));
    for (size_t i = 0; i < NDOCS; i++)
        put(w, &docs[i]);
    ASSERT_OK(cmx_wdb_get_metadata(w, "last_seq", &val, &len, &err));
    ASSERT_EQ(len, 0);
    cmx_free(val);
    ASSERT_OK(cmx_wdb_set_metadata(w, "last_seq", "42", 2, &err));
    ASSERT_OK(cmx_wdb_commit(w, &err));

    /* a second writer is refused while the first holds the lock */
    cmx_wdb *w2 = NULL;
    ASSERT_RC(cmx_wdb_open(dbpath, 0, &w2, &err), CMX_EBUSY);
    ASSERT(err != NULL && strlen(err) > 0);
    ASSERT(w2 == NULL);
    cmx_free(err);
    err = NULL;

    ASSERT_OK(cmx_db_open(dbpath, &db, &err));
    ASSERT_EQ(doc_count(db), NDOCS);

    /* replace keeps one document per id term; delete removes; absent delete is fine */
    tdoc_t a2 = docs[0];
    a2.text = "Agent de service hospitalier";
    put(w, &a2);
    ASSERT_OK(cmx_wdb_delete(w, "Qc", &err));
    ASSERT_OK(cmx_wdb_delete(w, "Qnope", &err));
    ASSERT_RC(cmx_wdb_delete(w, "", &err), CMX_EINVAL);
    cmx_free(err);
    err = NULL;
    /* the reader still sees its revision until reopened */
    ASSERT_EQ(doc_count(db), NDOCS);
    ASSERT_OK(cmx_wdb_commit(w, &err));
    ASSERT_OK(cmx_db_reopen(db, &err));
    ASSERT_EQ(doc_count(db), NDOCS - 1);
    char buf[256];
    ASSERT_STREQ(text_search(db, "service", 0, buf, sizeof buf), "a");
    ASSERT_STREQ(text_search(db, "nuit", 0, buf, sizeof buf), "");
    cmx_db_close(db);
    cmx_wdb_close(w);

    /* metadata persists across close/open */
    ASSERT_OK(cmx_wdb_open(dbpath, 0, &w, &err));
    ASSERT_OK(cmx_wdb_get_metadata(w, "last_seq", &val, &len, &err));
    ASSERT_EQ(len, 2);
    ASSERT_STREQ(val, "42");
    cmx_free(val);
    /* restore the original set for the next tests */
    put(w, &docs[0]);
    put(w, &docs[2]);
    ASSERT_OK(cmx_wdb_commit(w, &err));
    cmx_wdb_close(w);

    ASSERT_RC(cmx_db_open("/nonexistent/cmx-db", &db, &err), CMX_EXAPIAN);
    ASSERT(err != NULL);
    cmx_free(err);
}

static void test_french(cmx_db *db)
{
    char buf[256];
    ASSERT_STREQ(text_search(db, "soignant", 0, buf, sizeof buf), "a,d");
    ASSERT_STREQ(text_search(db, "soignante", 0, buf, sizeof buf), "a,d");
    ASSERT_STREQ(text_search(db, "Soignantes", 0, buf, sizeof buf), "a,d");
    ASSERT_STREQ(text_search(db, "aides-soignants", 0, buf, sizeof buf), "a,d");
    ASSERT_STREQ(text_search(db, "\"aide soignante\"", 0, buf, sizeof buf), "a,d");
    ASSERT_STREQ(text_search(db, "hygiene", 0, buf, sizeof buf), "d");
    ASSERT_STREQ(text_search(db, "d\xE2\x80\x99hygi\xC3\xA8ne", 0, buf, sizeof buf), "d");
    ASSERT_STREQ(text_search(db, "creche", 0, buf, sizeof buf), "b");
    ASSERT_STREQ(text_search(db, "CR\xC3\x88" "CHE", 0, buf, sizeof buf), "b");
    ASSERT_STREQ(text_search(db, "nuit OR infirmier", 0, buf, sizeof buf), "c,a");
    ASSERT_STREQ(text_search(db, "soignant NOT nuit", 0, buf, sizeof buf), "d");
    ASSERT_STREQ(text_search(db, "soignant -nuit", 0, buf, sizeof buf), "d");
    /* hated words alone: every document without them (Xapian alone reads "-nuit" as "nuit") */
    ASSERT_STREQ(text_search(db, "NOT nuit", 0, buf, sizeof buf), "b,c,d");
    ASSERT_STREQ(text_search(db, "-nuit", 0, buf, sizeof buf), "b,c,d");
    ASSERT_STREQ(text_search(db, "-nuit", CMX_PARSE_AND, buf, sizeof buf), "b,c,d");
    ASSERT_STREQ(text_search(db, " -nuit  -CRECHE ", CMX_PARSE_AND, buf, sizeof buf), "c,d");
    ASSERT_STREQ(text_search(db, "-\"aide soignante\"", 0, buf, sizeof buf), "b,c");
    ASSERT_STREQ(text_search(db, "-nuit creche", 0, buf, sizeof buf), "b");
    /* AND and OR around hated words alone join nothing (a helper's probe: "OR -melange" found
     * the offers with "melange", "-melange OR" none) */
    ASSERT_STREQ(text_search(db, "OR -nuit", CMX_PARSE_AND, buf, sizeof buf), "b,c,d");
    ASSERT_STREQ(text_search(db, "-nuit OR", CMX_PARSE_AND, buf, sizeof buf), "b,c,d");
    ASSERT_STREQ(text_search(db, "-nuit OR -CRECHE", CMX_PARSE_AND, buf, sizeof buf), "c,d");
    ASSERT_STREQ(text_search(db, "-nuit AND -CRECHE", 0, buf, sizeof buf), "c,d");
    /* no positions: a phrase or a hyphenated word asks for its words (descriptions have no
     * positions, so a phrase found titles only) */
    ASSERT_STREQ(text_search(db, "\"nuit aide\"", 0, buf, sizeof buf), "a");
    ASSERT_STREQ(text_search(db, "nuit-aide", 0, buf, sizeof buf), "a");
    ASSERT_STREQ(text_search(db, "-nuit-aide", 0, buf, sizeof buf), "b,c,d");
    ASSERT_STREQ(text_search(db, "soignant nuit", CMX_PARSE_AND, buf, sizeof buf), "a");
    ASSERT_STREQ(text_search(db, "soignant nuit", 0, buf, sizeof buf), "a,d");
}

static int one_stem(void *arg, const char *term, size_t len)
{
    char *out = arg;
    size_t n = strlen(out);
    snprintf(out + n, 128 - n, "%s%.*s", n ? " " : "", (int)len, term);
    return 0;
}

static const char *stems_of(const char *text, char out[128])
{
    out[0] = '\0';
    ASSERT_OK(cmx_text_stems(text, strlen(text), one_stem, out, NULL));
    return out;
}

static void same_stems(const char *a, const char *b)
{
    char sa[128], sb[128];
    if (strcmp(stems_of(a, sa), stems_of(b, sb)) != 0)
        CM_FAIL_("\"%s\" -> \"%s\" but \"%s\" -> \"%s\"", a, sa, b, sb);
}

typedef struct tok_acc {
    char words[256];
} tok_acc_t;

static int one_token(void *arg, const cmx_token_t *t)
{
    tok_acc_t *a = arg;
    size_t n = strlen(a->words);
    snprintf(a->words + n, sizeof a->words - n, "%s%zu:%zu:%.*s%s", n ? " " : "", t->off, t->len,
             (int)t->stem_len, t->stem, t->stop ? "*" : "");
    return 0;
}

/* Search v2: feminine, plural and accented forms are one stem; acronyms kept whole; tokens
 * carry their place in the raw text; typo repair finds the closest indexed term. */
static void test_french_words(cmx_db *db)
{
    static const char *const kept[] = {"DEAS", "DEAES", "EHPAD"};
    ASSERT_OK(cmx_text_keep(kept, 3, NULL));
    char *err = NULL;
    ASSERT_RC(cmx_text_keep(kept, 3, &err), CMX_EINVAL); /* once only */
    cmx_free(err);
    static const char *const same[][2] = {
        {"infirmière", "infirmier"},   {"infirmiere", "INFIRMIERS"},
        {"infirmières", "infirmier"},  {"diplômée", "diplome"},
        {"diplômées", "diplômé"},      {"coiffeuse", "coiffeur"},
        {"veilleuses", "veilleur"},    {"animatrice", "animateur"},
        {"directrice", "directeur"},   {"professionnelle", "professionnel"},
        {"technicienne", "technicien"}, {"ménagère", "menager"},
        {"qualifiée", "qualifie"},     {"aide-soignante", "aides soignants"},
        {"Éducatrice", "educateur"},   {"rigoureuse", "rigoureux"},
    };
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++)
        same_stems(same[i][0], same[i][1]);
    char a[128], b[128];
    ASSERT_STREQ(stems_of("DEAS deaes Ehpad", a), "deas deaes ehpad");
    ASSERT(strcmp(stems_of("DEAS", a), stems_of("de", b)) != 0);
    ASSERT_STREQ(stems_of("E.H.P.A.D. d'hygiène", a), "ehpad d hygien");

    tok_acc_t t = {{0}};
    const char *text = "Aide-Soignante (H/F) à l\xe2\x80\x99" "EHPAD";
    ASSERT_OK(cmx_text_tokens(text, strlen(text), one_token, &t, NULL));
    ASSERT_STREQ(t.words, "0:4:aid 5:9:soign 16:1:h* 18:1:f* 21:2:a* 24:1:l* 28:5:ehpad");

    /* typo repair over the index's terms (the test documents: "soignant", "infirmier"...) */
    char term[64];
    ASSERT_OK(cmx_db_closest_term(db, "Z", "soigant", 7, 1, 3, 5, term, sizeof term, NULL));
    ASSERT_STREQ(term, "Zsoign");
    ASSERT_OK(cmx_db_closest_term(db, "Z", "Infirmeire", 10, 2, 6, 11, term, sizeof term, NULL));
    ASSERT_STREQ(term, "Zinfirmi");
    ASSERT_RC(cmx_db_closest_term(db, "Z", "zzzzzz", 6, 1, 3, 8, term, sizeof term, NULL),
              CMX_ENOTFOUND);
    ASSERT_RC(cmx_db_closest_term(db, "Z", "qoignant", 8, 2, 3, 8, term, sizeof term, NULL),
              CMX_ENOTFOUND); /* the first letter is kept */
    uint64_t f = 0;
    ASSERT_OK(cmx_db_termfreq(db, "Zsoign", &f, NULL));
    ASSERT_EQ(f, 2);
    ASSERT_OK(cmx_db_termfreq(db, "Zsoigx", &f, NULL));
    ASSERT_EQ(f, 0);
}

static void test_abuse(cmx_db *db)
{
    static const char *const abuse[] = {
        "\"", "\"\"", "AND AND", "AND", "OR", "NOT", "((((", "))))", "(a", "a)", "NEAR/99",
        "a NEAR/99 b", "ADJ/3", "a* b*", "*", "+", "-", "+-+-", "title:foo", "~", "^", "::",
        "a AND (b OR (c AND NOT", "\xff\xfe\xfd", "\xc3", "\xe2\x80", "caf\xc3\xa9\xff soin",
        "XTdoc", "Qa", "", "   ", "NOT NOT NOT", "a XOR XOR b", "\"a (b\" c)"};
    char buf[256];
    for (size_t i = 0; i < sizeof abuse / sizeof abuse[0]; i++) {
        for (unsigned flags = 0; flags < 4; flags++) {
            cmx_query *q = NULL;
            char *err = NULL;
            int rc = cmx_query_parse(abuse[i], strlen(abuse[i]), flags, 100, &q, &err);
            if (rc) {
                /* a clean refusal, with a message */
                ASSERT_RC(rc, CMX_EINVAL);
                ASSERT(err != NULL);
                ASSERT(q == NULL);
                cmx_free(err);
                continue;
            }
            cmx_search_t s = {0};
            s.query = q;
            s.limit = 10;
            ids_of(db, &s, buf, sizeof buf);
            /* boolean filter terms are not reachable from free text */
            if (strcmp(abuse[i], "XTdoc") == 0 || strcmp(abuse[i], "Qa") == 0)
                ASSERT_STREQ(buf, "");
            cmx_query_free(q);
        }
    }

    /* a syntax error is CMX_EINVAL with a message */
    cmx_query *q = NULL;
    char *err = NULL;
    ASSERT_RC(cmx_query_parse("AND AND", 7, 0, 100, &q, &err), CMX_EINVAL);
    ASSERT(err != NULL && strlen(err) > 0);
    cmx_free(err);
    err = NULL;

    /* NUL bytes inside the text are word breaks */
    static const char nul[] = "nuit\0infirmier";
    ASSERT_OK(cmx_query_parse(nul, sizeof nul - 1, 0, 100, &q, &err));
    cmx_search_t s = {0};
    s.query = q;
    s.sort = CMX_SORT_VALUE;
    s.sort_slot = 1;
    s.limit = 10;
    ASSERT_STREQ(ids_of(db, &s, buf, sizeof buf), "c,a");
    cmx_query_free(q);

    /* long input: too many terms is refused */
    size_t big = 200000;
    char *longtext = malloc(big + 1);
    ASSERT(longtext != NULL);
    /* distinct words "mot" + base-26 counter, space-separated */
    for (size_t i = 0, w = 0; i < big; w++) {
        char word[16] = "mot";
        size_t k = 3;
        for (size_t x = w; k < 12; x /= 26) {
            word[k++] = (char)('a' + x % 26);
            if (x < 26)
                break;
        }
        for (size_t j = 0; j < k && i < big; j++)
            longtext[i++] = word[j];
        if (i < big)
            longtext[i++] = ' ';
    }
    longtext[big] = '\0';
    ASSERT_RC(cmx_query_parse(longtext, big, 0, 100, &q, &err), CMX_EINVAL);
    cmx_free(err);
    err = NULL;
    /* a long unbroken word and a deep nesting neither crash nor hang */
    memset(longtext, 'x', big);
    ASSERT(cmx_query_parse(longtext, big, 0, 100, &q, &err) <= 0);
    cmx_query_free(q);
    q = NULL;
    cmx_free(err);
    err = NULL;
    for (size_t i = 0; i < big; i++)
        longtext[i] = i < big / 2 ? '(' : ')';
    int rc = cmx_query_parse(longtext, big, 0, 100, &q, &err);
    ASSERT(rc == 0 || rc == CMX_EINVAL);
    cmx_query_free(q);
    cmx_free(err);
    free(longtext);

    /* query with only stop words or punctuation: empty, matches nothing, no error */
    ASSERT_OK(cmx_query_parse("!!! ,,, ...", 11, 0, 32, &q, &err));
    s.query = q;
    ASSERT_STREQ(ids_of(db, &s, buf, sizeof buf), "");
    cmx_query_free(q);
}

static void test_geo_sorts_facets(cmx_db *db)
{
    char buf[256];
    char *err = NULL;
    cmx_query *all = NULL, *geo = NULL, *both = NULL, *t = NULL, *f = NULL;
    ASSERT_OK(cmx_query_all(&all));

    /* Paris centre, 20 km: Paris (0), Versailles (~17.3 km), Saint-Denis-ish (~6.4 km) */
    ASSERT_OK(cmx_query_geo(0, 48.8566, 2.3522, 20000, &geo));
    ASSERT_OK(cmx_query_combine(CMX_OP_FILTER, all, geo, &both));
    cmx_search_t s = {0};
    s.query = both;
    s.sort = CMX_SORT_DISTANCE;
    s.sort_slot = 0;
    s.lat = 48.8566;
    s.lon = 2.3522;
    s.limit = 10;
    ASSERT_STREQ(ids_of(db, &s, buf, sizeof buf), "a,d,b");
    cmx_query_free(geo);
    cmx_query_free(both);
    /* 10 km cuts Versailles (17 km) */
    ASSERT_OK(cmx_query_geo(0, 48.8566, 2.3522, 10000, &geo));
    ASSERT_OK(cmx_query_combine(CMX_OP_FILTER, all, geo, &both));
    s.query = both;
    ASSERT_STREQ(ids_of(db, &s, buf, sizeof buf), "a,d");
    cmx_query_free(geo);
    cmx_query_free(both);
    ASSERT_RC(cmx_query_geo(0, 48.0, 2.0, 0, &geo), CMX_EINVAL);

    /* distance sort without filter: Lyon last */
    s.query = all;
    ASSERT_STREQ(ids_of(db, &s, buf, sizeof buf), "a,d,b,c");
    /* value sort: date desc */
    s.sort = CMX_SORT_VALUE;
    s.sort_slot = 1;
    ASSERT_STREQ(ids_of(db, &s, buf, sizeof buf), "b,c,a,d");
    /* relevance on match-all: ties broken by date desc; paging */
    s.sort = CMX_SORT_RELEVANCE;
    ASSERT_STREQ(ids_of(db, &s, buf, sizeof buf), "b,c,a,d");
    s.offset = 1;
    s.limit = 2;
    ASSERT_STREQ(ids_of(db, &s, buf, sizeof buf), "c,a");
    s.offset = 0;
    s.limit = 10;

    /* boolean filters: OR group ANDed, AND_NOT */
    const char *grp[] = {"Qa", "Qc"};
    ASSERT_OK(cmx_query_terms_or(grp, 2, &t));
    ASSERT_OK(cmx_query_combine(CMX_OP_FILTER, all, t, &f));
    s.query = f;
    ASSERT_STREQ(ids_of(db, &s, buf, sizeof buf), "c,a");
    cmx_query_free(f);
    ASSERT_OK(cmx_query_combine(CMX_OP_AND_NOT, all, t, &f));
    s.query = f;
    ASSERT_STREQ(ids_of(db, &s, buf, sizeof buf), "b,d");
    cmx_query_free(f);
    cmx_query_free(t);
    ASSERT_RC(cmx_query_combine(99, all, all, &f), CMX_EINVAL);

    /* facets */
    s.query = all;
    s.spy_slots[0] = 2;
    s.n_spies = 1;
    s.check_at_least = 100;
    cmx_mset *m = NULL;
    ASSERT_OK(cmx_db_search(db, &s, &m, &err));
    ASSERT_EQ(cmx_mset_matches_estimated(m), 4);
    ASSERT_EQ(cmx_mset_facet_size(m, 0), 3);
    size_t len;
    uint64_t count;
    ASSERT_STREQ(cmx_mset_facet(m, 0, 0, &len, &count), "J1501");
    ASSERT_EQ(count, 2);
    ASSERT_STREQ(cmx_mset_facet(m, 0, 1, &len, &count), "J1506");
    ASSERT_EQ(count, 1);
    ASSERT_STREQ(cmx_mset_facet(m, 0, 2, &len, &count), "K1311");
    ASSERT_EQ(count, 1);
    cmx_mset_free(m);
    cmx_query_free(all);

    /* percents of a text query: the hit with both words first, at 100 */
    ASSERT_OK(cmx_query_parse("soignant nuit", 13, 0, 100, &t, &err));
    cmx_search_t s2 = {0};
    s2.query = t;
    s2.limit = 10;
    ASSERT_OK(cmx_db_search(db, &s2, &m, &err));
    ASSERT_EQ(cmx_mset_size(m), 2);
    ASSERT_STREQ(cmx_mset_data(m, 0, &len), "a"); /* both words */
    ASSERT_EQ(cmx_mset_percent(m, 0), 100);
    ASSERT(cmx_mset_percent(m, 1) > 0 && cmx_mset_percent(m, 1) < 100);
    cmx_mset_free(m);
    cmx_query_free(t);
}

typedef struct walk {
    char seen[256];
    int n;
} walk_t;

static int walk_fn(void *arg, const char *data, size_t dlen, const char *val, size_t vlen)
{
    walk_t *w = arg;
    ASSERT_EQ(dlen, 1);
    ASSERT_EQ(vlen, 5);
    strncat(w->seen, data, 1);
    strncat(w->seen, val, 5);
    return ++w->n == 3 ? 7 : 0;
}

static void test_each(cmx_db *db)
{
    walk_t w = {{0}, 0};
    char *err = NULL;
    ASSERT_RC(cmx_db_each(db, "XTdoc", 2, walk_fn, &w, &err), 7); /* stopped by the visitor */
    ASSERT_EQ(w.n, 3);
    ASSERT(strstr(w.seen, "aJ1501") != NULL);
    ASSERT_OK(cmx_db_each(db, "XTnone", 2, walk_fn, &w, &err));
}

/* A reader left behind by several commits gets CMX_ERETRY or still works; after a reopen it
 * always works. */
static void test_outdated_reader(void)
{
    cmx_wdb *w = NULL;
    cmx_db *db = NULL;
    char *err = NULL;
    ASSERT_OK(cmx_wdb_open(dbpath, 0, &w, &err));
    ASSERT_OK(cmx_db_open(dbpath, &db, &err));
    for (int round = 0; round < 5; round++) {
        for (int i = 0; i < 200; i++) {
            char id[32];
            tdoc_t t = {id, "texte de remplissage pour forcer des pages", 45.0, 1.0, i, "X"};
            snprintf(id, sizeof id, "fill%d", i);
            put(w, &t);
        }
        ASSERT_OK(cmx_wdb_commit(w, &err));
    }
    cmx_query *all = NULL;
    ASSERT_OK(cmx_query_all(&all));
    cmx_search_t s = {0};
    s.query = all;
    s.limit = 100;
    cmx_mset *m = NULL;
    int rc = cmx_db_search(db, &s, &m, &err);
    ASSERT(rc == CMX_OK || rc == CMX_ERETRY);
    cmx_mset_free(m);
    cmx_free(err);
    err = NULL;
    ASSERT_OK(cmx_db_reopen(db, &err));
    ASSERT_OK(cmx_db_search(db, &s, &m, &err));
    ASSERT_EQ(cmx_mset_matches_estimated(m), 204);
    cmx_mset_free(m);
    cmx_query_free(all);
    cmx_db_close(db);
    cmx_wdb_close(w);
}

/* Issue #18 point 2: every search has a time limit, enforced inside the match (the geo source
 * and every considered document), not only on exact counting: a search past it ends with
 * CMX_ETIMEDOUT. A limit already reached when the match starts makes it deterministic. */
static void test_time_limit(void)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/db", cm_test_tmpdir("shim-time"));
    cmx_wdb *w;
    char *err = NULL;
    ASSERT_OK(cmx_wdb_open(path, CMX_WDB_NO_SYNC, &w, &err));
    for (int i = 0; i < 3000; i++) {
        cmx_doc *d;
        char id[32];
        snprintf(id, sizeof id, "Qt%d", i);
        ASSERT_OK(cmx_doc_new(&d));
        ASSERT_OK(cmx_doc_add_term(d, "XTo", &err));
        ASSERT_OK(cmx_doc_add_value_latlon(d, 0, 45.0 + (i % 100) * 0.001, 2.0, &err));
        ASSERT_OK(cmx_wdb_replace(w, id, d, NULL, NULL, &err));
        cmx_doc_free(d);
    }
    ASSERT_OK(cmx_wdb_commit(w, &err));
    cmx_wdb_close(w);
    cmx_db *db;
    ASSERT_OK(cmx_db_open(path, &db, &err));
    cmx_query *geo, *all, *q;
    ASSERT_OK(cmx_query_geo(0, 45.0, 2.0, 50000, &geo));
    ASSERT_OK(cmx_query_term("XTo", &all));
    cmx_search_t s = {0};
    s.limit = 10;
    s.check_at_least = 10000;
    cmx_mset *m = NULL;
    for (int shape = 0; shape < 2; shape++) {
        if (shape == 0)
            ASSERT_OK(cmx_query_combine(CMX_OP_FILTER, all, geo, &q));
        else
            ASSERT_OK(cmx_query_all(&q)); /* no geo: the per-document check stops it */
        s.query = q;
        s.time_limit_s = 10;
        ASSERT_OK(cmx_db_search(db, &s, &m, &err));
        ASSERT_EQ(cmx_mset_matches_estimated(m), 3000);
        cmx_mset_free(m);
        s.time_limit_s = 1e-9; /* reached before the first check */
        ASSERT_RC(cmx_db_search(db, &s, &m, &err), CMX_ETIMEDOUT);
        ASSERT(err && strstr(err, "time limit"));
        ASSERT(m == NULL);
        s.time_limit_s = 0; /* no limit */
        ASSERT_OK(cmx_db_search(db, &s, &m, &err));
        cmx_mset_free(m);
        cmx_query_free(q);
    }
    cmx_free(err);
    cmx_query_free(geo);
    cmx_query_free(all);
    cmx_db_close(db);
}

/* Postings read outside the matcher (the text's ranking over a set, engine/textrank.c): a
 * document's length as replace gives it and as the writer's walk reads it back, within-document
 * frequencies among a sorted set of ids (absent ones, ids past the end), term frequencies and
 * the database's total length. */
static int walk_len(void *arg, unsigned docid, unsigned doclen, const char *data, size_t dlen)
{
    unsigned *lens = arg;
    (void)data;
    (void)dlen;
    if (docid < 8)
        lens[docid] = doclen;
    return 0;
}

static void test_postings(void)
{
    static const char *const texts[] = {"nuit nuit jour", "jour", "nuit et jour nuit nuit", "rien"};
    char path[4200];
    snprintf(path, sizeof path, "%s/db", cm_test_tmpdir("shim-postings"));
    cmx_wdb *w;
    char *err = NULL;
    unsigned docid[4], len[4], walked[8] = {0};
    ASSERT_OK(cmx_wdb_open(path, CMX_WDB_NO_SYNC, &w, &err));
    for (int i = 0; i < 4; i++) {
        cmx_doc *d;
        char id[16];
        snprintf(id, sizeof id, "Qp%d", i);
        ASSERT_OK(cmx_doc_new(&d));
        ASSERT_OK(cmx_doc_add_term(d, "XTo", &err)); /* wdf 0: no length */
        ASSERT_OK(cmx_doc_index_text(d, texts[i], strlen(texts[i]), NULL, 1, 0, &err));
        ASSERT_OK(cmx_doc_index_text(d, texts[i], strlen(texts[i]), "T", 2, 0, &err));
        ASSERT_OK(cmx_wdb_replace(w, id, d, &docid[i], &len[i], &err));
        cmx_doc_free(d);
    }
    ASSERT_EQ(len[0], 9); /* 3 words, then each twice more under T */
    ASSERT_EQ(len[1], 3);
    ASSERT_OK(cmx_wdb_commit(w, &err));
    ASSERT_OK(cmx_wdb_each_docid(w, "XTo", walk_len, walked, &err));
    for (int i = 0; i < 4; i++)
        ASSERT_EQ(walked[docid[i]], len[i]);
    cmx_wdb_close(w);

    cmx_db *db;
    ASSERT_OK(cmx_db_open(path, &db, &err));
    const char *terms[] = {"Znuit", "ZTjour", "Zabsent"};
    uint32_t ids[] = {docid[0], docid[2], docid[3], 999}, wdf[3 * 4];
    uint64_t tf[3];
    cmx_stats_t st;
    ASSERT_OK(cmx_db_termfreqs(db, terms, 3, tf, &st, &err));
    ASSERT_OK(cmx_db_postings(db, terms, tf, 3, ids, 4, wdf, &err));
    ASSERT_EQ(st.doccount, 4);
    ASSERT_EQ(st.total_length, (uint64_t)len[0] + len[1] + len[2] + len[3]);
    ASSERT_EQ(tf[0], 2);
    ASSERT_EQ(tf[1], 3);
    ASSERT_EQ(tf[2], 0);
    const uint32_t want[3 * 4] = {2, 3, 0, 0, 2, 2, 0, 0, 0, 0, 0, 0};
    for (int k = 0; k < 12; k++)
        ASSERT_EQ(wdf[k], want[k]);
    const char *bad[] = {""};
    ASSERT_EQ(cmx_db_termfreqs(db, bad, 1, tf, &st, &err), CMX_EINVAL);
    ASSERT_EQ(cmx_db_postings(db, bad, tf, 1, ids, 4, wdf, &err), CMX_EINVAL);

    /* decoded postings kept per revision (every word, here): the same answers when first
     * seen, when decoded, when kept; another revision reads the index's change */
    cmx_postings_cache_tune(1, 0);
    const char *nuit[] = {"Znuit"};
    uint32_t two[] = {docid[0], docid[1]}, w2[2];
    uint64_t tfn[1];
    for (int round = 0; round < 3; round++) {
        ASSERT_OK(cmx_db_termfreqs(db, nuit, 1, tfn, &st, &err));
        ASSERT_OK(cmx_db_postings(db, nuit, tfn, 1, two, 2, w2, &err));
        ASSERT_EQ(w2[0], 2);
        ASSERT_EQ(w2[1], 0);
        ASSERT_OK(cmx_db_postings(db, terms, tf, 3, ids, 4, wdf, &err));
        for (int k = 0; k < 12; k++)
            ASSERT_EQ(wdf[k], want[k]);
    }
    ASSERT_OK(cmx_wdb_open(path, CMX_WDB_NO_SYNC, &w, &err));
    cmx_doc *d;
    ASSERT_OK(cmx_doc_new(&d));
    ASSERT_OK(cmx_doc_add_term(d, "XTo", &err));
    ASSERT_OK(cmx_doc_index_text(d, "nuit nuit nuit nuit", 19, NULL, 1, 0, &err));
    ASSERT_OK(cmx_wdb_replace(w, "Qp1", d, NULL, NULL, &err));
    cmx_doc_free(d);
    ASSERT_OK(cmx_wdb_commit(w, &err));
    ASSERT_OK(cmx_db_reopen(db, &err));
    for (int round = 0; round < 3; round++) {
        ASSERT_OK(cmx_db_termfreqs(db, nuit, 1, tfn, &st, &err));
        ASSERT_OK(cmx_db_postings(db, nuit, tfn, 1, two, 2, w2, &err));
        ASSERT_EQ(tfn[0], 3);
        ASSERT_EQ(w2[0], 2);
        ASSERT_EQ(w2[1], 4);
    }
    cmx_wdb_close(w);
    cmx_postings_cache_tune(0, -1);
    char *data;
    size_t dlen;
    ASSERT_OK(cmx_db_doc_data(db, docid[1], &data, &dlen, &err));
    ASSERT_EQ(dlen, 0);
    cmx_free(data);
    cmx_db_close(db);
}

/* ---- cmx_text_tokens_among: never drops a word that stems to one of its stems ---- */
typedef struct tok {
    size_t off, len;
    char stem[CMX_TERM_MAX + 1];
} tok_t;
typedef struct toks {
    tok_t *t;
    size_t n, cap;
} toks_t;

static int collect(void *arg, const cmx_token_t *t)
{
    toks_t *ts = arg;
    if (ts->n == ts->cap) {
        ts->cap = ts->cap ? 2 * ts->cap : 256;
        ts->t = realloc(ts->t, ts->cap * sizeof *ts->t);
        ASSERT(ts->t != NULL);
    }
    tok_t *k = &ts->t[ts->n++];
    k->off = t->off;
    k->len = t->len;
    ASSERT(t->stem_len <= CMX_TERM_MAX);
    memcpy(k->stem, t->stem, t->stem_len);
    k->stem[t->stem_len] = '\0';
    return 0;
}

/* Each word of text, alone: the words that cmx_text_tokens gives and those that
 * cmx_text_tokens_among gives with their stems must be the same. Returns the words seen. */
static size_t among_agrees(const char *text, size_t len)
{
    toks_t all = {0}, one = {0}, got = {0};
    ASSERT_OK(cmx_text_tokens(text, len, collect, &all, NULL));
    for (size_t i = 0; i < all.n; i++) {
        const char *w = text + all.t[i].off;
        one.n = got.n = 0;
        ASSERT_OK(cmx_text_tokens(w, all.t[i].len, collect, &one, NULL));
        const char *stems[8];
        size_t lens[8], n = 0;
        for (size_t k = 0; k < one.n && n < 8; k++, n++) {
            stems[n] = one.t[k].stem;
            lens[n] = strlen(one.t[k].stem);
        }
        ASSERT_OK(cmx_text_tokens_among(w, all.t[i].len, stems, lens, n, collect, &got, NULL));
        ASSERT_EQ(got.n, one.n);
        for (size_t k = 0; k < one.n; k++)
            if (strcmp(got.t[k].stem, one.t[k].stem) != 0)
                CM_FAIL_("\"%.*s\" stems to \"%s\" but was skipped", (int)all.t[i].len, w,
                         one.t[k].stem);
    }
    size_t n = all.n;
    free(all.t);
    free(one.t);
    free(got.t);
    return n;
}

static void test_tokens_among(void)
{
    toks_t ts = {0};
    const char *text = "Infirmières de nuit, aides-soignantes diplômées";
    const char *stems[] = {"nuit", "soign"};
    size_t lens[] = {4, 5};
    ASSERT_OK(cmx_text_tokens_among(text, strlen(text), stems, lens, 2, collect, &ts, NULL));
    ASSERT_EQ(ts.n, 6);
    ASSERT_STREQ(ts.t[0].stem, ""); /* "Infirmières": not stemmed */
    ASSERT_STREQ(ts.t[2].stem, "nuit");
    ASSERT_STREQ(ts.t[4].stem, "soign");
    ASSERT_STREQ(ts.t[5].stem, ""); /* "diplômées": "di" begins no stem */
    free(ts.t);
    /* words whose ending the stemmer rewrites, accents, ligatures, acronyms, apostrophes */
    const char *hard = "Présence présences éducatrices ambulancière yeux aïeul Noël œuvre ÉCOLE "
                       "rééducation l'établissement aujourd'hui D.E.A.S. AES logie yaourt "
                       "payer ayant appui qualité accueillir Île-de-France employé(e)s eaux "
                       "usine solution gériatrie sérieuse heureux paysanne belles x y é";
    size_t hard_words = among_agrees(hard, strlen(hard));
    if (hard_words < 35)
        CM_FAIL_("%zu words in the hard list", hard_words);
    /* and every word of the corpora and of the job titles */
    const char *src = getenv("CM_SOURCE_DIR");
    ASSERT(src != NULL);
    static const char *const files[] = {
        "corpora/demo/offers.ndjson",    "corpora/demo/candidates.ndjson",
        "corpora/eval/offers.ndjson",    "corpora/eval/profiles.ndjson",
        "engine/ref/rome_titles_pool.c", "engine/ref/rome_data.c"};
    size_t words = 0;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/%s", src, files[i]);
        FILE *f = fopen(path, "rb");
        if (!f)
            CM_FAIL_("cannot read %s", path);
        fseek(f, 0, SEEK_END);
        long n = ftell(f);
        fseek(f, 0, SEEK_SET);
        char *buf = malloc((size_t)n + 1);
        ASSERT(buf && fread(buf, 1, (size_t)n, f) == (size_t)n);
        fclose(f);
        words += among_agrees(buf, (size_t)n);
        free(buf);
    }
    ASSERT(words > 50000);
}

int main(void)
{
    snprintf(dbpath, sizeof dbpath, "%s/db", cm_test_tmpdir("shim"));
    test_write_read();
    cmx_db *db = NULL;
    char *err = NULL;
    ASSERT_OK(cmx_db_open(dbpath, &db, &err));
    ASSERT_EQ(doc_count(db), NDOCS);
    test_french(db);
    test_french_words(db);
    test_abuse(db);
    test_geo_sorts_facets(db);
    test_each(db);
    cmx_db_close(db);
    test_outdated_reader();
    test_time_limit();
    test_postings();
    test_tokens_among();
    printf("test_shim: ok\n");
    return 0;
}
