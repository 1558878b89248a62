/* JSON decoding, validation (one rejected example per rule) and encoding of records. */
#include <cjson/cJSON.h>
#include <stdbool.h>

#include "carematch/record.h"
#include "examples.h"
#include "record_eq.h"
#include "test.h"

/* ---- Building variants of the examples: set (or delete, raw == NULL) the member at a dotted
 * path ("location.lat", "schedule.0.from"); `raw` is inserted verbatim, so invalid UTF-8 and
 * escapes reach the decoder untouched. ---- */

static cJSON *walk(cJSON *node, const char *seg, bool create)
{
    if (cJSON_IsArray(node))
        return cJSON_GetArrayItem(node, atoi(seg));
    cJSON *it = cJSON_GetObjectItemCaseSensitive(node, seg);
    if (!it && create) {
        it = cJSON_AddObjectToObject(node, seg);
        ASSERT(it);
    }
    return it;
}

static char *mutate(const char *base, const char *path, const char *raw)
{
    cJSON *root = cJSON_Parse(base);
    ASSERT(root);
    char buf[128];
    snprintf(buf, sizeof buf, "%s", path);
    cJSON *parent = root;
    char *seg = buf, *dot;
    while ((dot = strchr(seg, '.'))) {
        *dot = '\0';
        parent = walk(parent, seg, true);
        ASSERT(parent);
        seg = dot + 1;
    }
    if (!raw) {
        if (cJSON_IsArray(parent))
            cJSON_DeleteItemFromArray(parent, atoi(seg));
        else
            cJSON_DeleteItemFromObjectCaseSensitive(parent, seg);
    } else {
        cJSON *v = cJSON_CreateRaw(raw);
        ASSERT(v);
        if (cJSON_IsArray(parent))
            ASSERT(cJSON_ReplaceItemInArray(parent, atoi(seg), v));
        else if (cJSON_GetObjectItemCaseSensitive(parent, seg))
            ASSERT(cJSON_ReplaceItemInObjectCaseSensitive(parent, seg, v));
        else
            ASSERT(cJSON_AddItemToObject(parent, seg, v));
    }
    char *s = cJSON_PrintUnformatted(root);
    ASSERT(s);
    cJSON_Delete(root);
    return s;
}

/* A JSON string literal of n copies of c. Static buffer reused across calls: use at once. */
static const char *jstr(size_t n, char c)
{
    static char buf[40000];
    ASSERT(n + 3 <= sizeof buf);
    buf[0] = '"';
    memset(buf + 1, c, n);
    buf[n + 1] = '"';
    buf[n + 2] = '\0';
    return buf;
}

/* A JSON array of n copies of `item`. */
static const char *jarr(size_t n, const char *item)
{
    static char buf[40000];
    size_t used = 0;
    buf[used++] = '[';
    for (size_t i = 0; i < n; i++) {
        int w = snprintf(buf + used, sizeof buf - used, "%s%s", i ? "," : "", item);
        ASSERT(w > 0 && (size_t)w < sizeof buf - used);
        used += (size_t)w;
    }
    ASSERT(used + 2 <= sizeof buf);
    buf[used++] = ']';
    buf[used] = '\0';
    return buf;
}

static int n_checked;

static void expect_reject(char kind, const char *path, const char *raw, int want_rc,
                          const char *want_field, int line)
{
    const char *base = kind == 'o' ? EXAMPLE_OFFER : EXAMPLE_CANDIDATE;
    char *json = mutate(base, path, raw);
    cm_error err;
    memset(&err, 0, sizeof err);
    int rc;
    if (kind == 'o') {
        cm_offer_t *o = (cm_offer_t *)1;
        rc = cm_offer_from_json(json, strlen(json), NULL, &o, &err);
        if (rc == 0)
            cm_offer_free(o);
        else if (o != NULL)
            CM_FAIL_("line %d: *out not NULL on failure", line);
    } else {
        cm_candidate_t *c = (cm_candidate_t *)1;
        rc = cm_candidate_from_json(json, strlen(json), NULL, &c, &err);
        if (rc == 0)
            cm_candidate_free(c);
        else if (c != NULL)
            CM_FAIL_("line %d: *out not NULL on failure", line);
    }
    if (rc != want_rc)
        CM_FAIL_("line %d: %s=%.60s: got rc %d (%s), want %d; json %.300s", line, path,
                 raw ? raw : "(deleted)", rc, cm_strerror(rc), want_rc, json);
    if (strcmp(err.field, want_field) != 0)
        CM_FAIL_("line %d: %s: field \"%s\", want \"%s\" (message: %s)", line, path, err.field,
                 want_field, err.message);
    if (err.message[0] == '\0' || err.code != want_rc)
        CM_FAIL_("line %d: empty message or wrong err.code %d", line, err.code);
    cJSON_free(json);
    n_checked++;
}

static void expect_accept(char kind, const char *path, const char *raw, int line)
{
    const char *base = kind == 'o' ? EXAMPLE_OFFER : EXAMPLE_CANDIDATE;
    char *json = mutate(base, path, raw);
    cm_error err = {0};
    int rc;
    if (kind == 'o') {
        cm_offer_t *o = NULL;
        rc = cm_offer_from_json(json, strlen(json), NULL, &o, &err);
        cm_offer_free(o);
    } else {
        cm_candidate_t *c = NULL;
        rc = cm_candidate_from_json(json, strlen(json), NULL, &c, &err);
        cm_candidate_free(c);
    }
    if (rc != 0)
        CM_FAIL_("line %d: %s=%.60s rejected: %s (%s)", line, path, raw ? raw : "(deleted)",
                 err.message, err.field);
    cJSON_free(json);
}

#define REJ(kind, path, raw, field) expect_reject(kind, path, raw, CM_EINVAL, field, __LINE__)
#define MISS(kind, path, field) expect_reject(kind, path, NULL, CM_EMISSING, field, __LINE__)
#define ACC(kind, path, raw) expect_accept(kind, path, raw, __LINE__)

static void test_offer_example(void)
{
    cm_offer_t *o = NULL;
    cm_error err = {0};
    ASSERT_OK(cm_offer_from_json(EXAMPLE_OFFER, strlen(EXAMPLE_OFFER), NULL, &o, &err));
    ASSERT_STREQ(o->id, "off-75011-0042");
    ASSERT_EQ(o->version, 0);
    ASSERT_STREQ(o->title, "Aide-soignant(e) de nuit H/F");
    ASSERT_STREQ(o->description, "EHPAD de 80 lits recherche ...");
    ASSERT_STREQ(o->rome, "J1501");
    ASSERT_STREQ(o->employer_name, "EHPAD Les Tilleuls");
    ASSERT_EQ(o->employer_kind, CM_EMPLOYER_EHPAD);
    ASSERT_EQ(o->loc.lat_e6, 48858900);
    ASSERT_EQ(o->loc.lon_e6, 2380000);
    ASSERT_STREQ(o->city, "Paris");
    ASSERT_STREQ(o->postcode, "75011");
    ASSERT_EQ(o->contract, CM_CONTRACT_CDI);
    ASSERT_NEAR(o->hours_per_week, 35, 0);
    ASSERT_EQ(o->n_schedule, 1);
    ASSERT_EQ(o->schedule[0].days, 0x7);
    ASSERT_EQ(o->schedule[0].from_min, 21 * 60);
    ASSERT_EQ(o->schedule[0].to_min, 7 * 60);
    ASSERT_EQ(o->n_skills, 1);
    ASSERT_STREQ(o->skills[0].label, "Soins d'hygi\xc3\xa8ne et de confort");
    ASSERT(o->skills[0].required);
    ASSERT_EQ(o->n_certs, 1);
    ASSERT_STREQ(o->certs[0].code, "DEAS");
    ASSERT(o->certs[0].required);
    ASSERT(!o->driving_licence_required);
    ASSERT(!o->vehicle_provided);
    ASSERT(o->accessible_to_disabled_workers);
    ASSERT(o->immersion_possible);
    ASSERT(!o->pre_hire_training);
    ASSERT_EQ(o->salary_period, CM_SALARY_MONTH);
    ASSERT_NEAR(o->salary_min, 2000, 0);
    ASSERT_NEAR(o->salary_max, 2300, 0);
    int32_t d;
    ASSERT(cm_date_parse("2026-11-02", 10, &d));
    ASSERT_EQ(o->published_days, d);
    ASSERT_EQ(o->status, CM_OFFER_OPEN);
    cm_offer_free(o);
}

static void test_candidate_example(void)
{
    cm_candidate_t *c = NULL;
    cm_error err = {0};
    ASSERT_OK(cm_candidate_from_json(EXAMPLE_CANDIDATE, strlen(EXAMPLE_CANDIDATE), NULL, &c, &err));
    ASSERT_STREQ(c->id, "cand-000123");
    ASSERT_EQ(c->loc.lat_e6, 48815600);
    ASSERT_EQ(c->loc.lon_e6, 2363100);
    ASSERT_STREQ(c->postcode, "94200");
    ASSERT(c->city == NULL);
    ASSERT_EQ(c->n_desired_rome, 2);
    ASSERT_STREQ(c->desired_rome[0], "J1501");
    ASSERT_STREQ(c->desired_rome[1], "K1311");
    ASSERT_EQ(c->n_skills, 2);
    ASSERT_STREQ(c->skills[1], "Aide \xc3\xa0 la prise des repas");
    ASSERT_EQ(c->n_certs, 1);
    ASSERT_STREQ(c->certs[0], "DEAES");
    ASSERT_EQ(c->experience_months, 18);
    ASSERT_EQ(c->modes, CM_MODE_TRANSIT | CM_MODE_WALK);
    ASSERT_EQ(c->max_minutes, 45);
    ASSERT(!c->driving_licence && !c->vehicle);
    ASSERT_EQ(c->n_availability, 1);
    ASSERT_EQ(c->availability[0].days, 0x1f);
    ASSERT_EQ(c->availability[0].from_min, 8 * 60 + 30);
    ASSERT_EQ(c->availability[0].to_min, 16 * 60 + 30);
    ASSERT(c->has_childcare);
    ASSERT_EQ(c->children_under_12, 2);
    ASSERT(c->solo_parent);
    ASSERT_EQ(c->contracts, (1u << CM_CONTRACT_CDI) | (1u << CM_CONTRACT_CDD));
    ASSERT_NEAR(c->hours_min, 24, 0);
    ASSERT_NEAR(c->hours_max, 35, 0);
    ASSERT(!c->disability_recognised);
    ASSERT(c->open_to_immersion && c->open_to_training);
    ASSERT_STREQ(c->summary, "Auxiliaire de vie depuis 2 ans, cherche un poste en EHPAD ...");
    ASSERT_EQ(c->status, CM_CAND_ACTIVE);
    cm_candidate_free(c);
}

static void test_defaults(void)
{
    cm_error err = {0};
    const char *mo = "{\"id\":\"o1\",\"title\":\"T\",\"rome\":\"j1501\",\"location\":{\"lat\":0,"
                     "\"lon\":0},\"contract\":\"CDD\",\"version\":9}";
    cm_offer_t *o = NULL;
    ASSERT_OK(cm_offer_from_json(mo, strlen(mo), NULL, &o, &err));
    ASSERT_EQ(o->status, CM_OFFER_OPEN);
    ASSERT_EQ(o->published_days, CM_DATE_NONE);
    ASSERT_EQ(o->version, 0);       /* input version ignored */
    ASSERT_STREQ(o->rome, "J1501"); /* normalised */
    ASSERT_EQ(o->salary_period, CM_SALARY_NONE);
    ASSERT(o->description == NULL && o->city == NULL && o->postcode == NULL);
    ASSERT_EQ(o->employer_kind, CM_EMPLOYER_UNSET);
    ASSERT_NEAR(o->hours_per_week, 0, 0);
    cm_offer_free(o);

    const char *mc = "{\"id\":\"c1\",\"location\":{\"lat\":-21.1,\"lon\":55.5}}";
    cm_candidate_t *c = NULL;
    ASSERT_OK(cm_candidate_from_json(mc, strlen(mc), NULL, &c, &err));
    ASSERT_EQ(c->status, CM_CAND_ACTIVE);
    ASSERT_EQ(c->modes, CM_MODE_TRANSIT | CM_MODE_WALK);
    ASSERT_EQ(c->max_minutes, 0); /* not stated: matching assumes CM_MAX_MINUTES_DEFAULT */
    ASSERT_EQ(c->n_availability, 0);
    ASSERT_EQ(c->contracts, 0);
    ASSERT(!c->has_childcare);
    ASSERT_EQ(c->loc.lat_e6, -21100000);
    cm_candidate_free(c);

    /* mobility present but without modes/max_minutes keeps the defaults */
    const char *mc2 = "{\"id\":\"c1\",\"location\":{\"lat\":1,\"lon\":1},\"mobility\":{\"vehicle\":"
                      "true},\"hours_per_week\":{\"min\":20},\"certifications\":[\"deaes\"]}";
    ASSERT_OK(cm_candidate_from_json(mc2, strlen(mc2), NULL, &c, &err));
    ASSERT_EQ(c->modes, CM_MODE_TRANSIT | CM_MODE_WALK);
    ASSERT_EQ(c->max_minutes, 0);
    ASSERT(c->vehicle);
    ASSERT_NEAR(c->hours_min, 20, 0);
    ASSERT_NEAR(c->hours_max, CM_HOURS_MAX, 0);
    ASSERT_STREQ(c->certs[0], "DEAES");
    cm_candidate_free(c);

    /* a blank optional string is stored as absent */
    char *blank = mutate(EXAMPLE_OFFER, "description", "\" \\n \"");
    ASSERT_OK(cm_offer_from_json(blank, strlen(blank), NULL, &o, &err));
    ASSERT(o->description == NULL);
    cm_offer_free(o);
    cJSON_free(blank);

    /* null means absent */
    ACC('o', "description", "null");
    ACC('c', "childcare", "null");
    ACC('o', "rome", "\"k1302\"");
    ACC('o', "certifications.0.code", "\"deas\"");
    ACC('o', "published_at", "\"2024-02-29\"");
    ACC('o', "hours_per_week", "17.5");
    ACC('o', "location.lat", "-90");
    ACC('o', "location.lon", "180");
    ACC('o', "title", "\"\\u00e9t\\u00e9 \\ud83d\\ude00\""); /* escapes incl. a surrogate pair */
    ACC('o', "description", "\"line1\\nline2\\ttab\"");
    ACC('o', "location.postcode", "\"97411\"");
    ACC('o', "salary.max", NULL); /* one figure */
    ACC('c', "experience_months", "0");
    ACC('c', "mobility.max_minutes", "240");
    ACC('c', "contracts", "[]");
    ACC('o', "title", jstr(CM_TITLE_MAX, 'x'));
    ACC('o', "id", jstr(CM_ID_MAX, 'a'));
}

static void test_id_rules(void)
{
    cm_error err = {0};
    cm_offer_t *o = NULL;
    char *noid = mutate(EXAMPLE_OFFER, "id", NULL);
    /* id from the path only */
    ASSERT_OK(cm_offer_from_json(noid, strlen(noid), "from-path", &o, &err));
    ASSERT_STREQ(o->id, "from-path");
    cm_offer_free(o);
    /* body and path agree */
    ASSERT_OK(cm_offer_from_json(EXAMPLE_OFFER, strlen(EXAMPLE_OFFER), "off-75011-0042", &o, &err));
    cm_offer_free(o);
    /* body and path differ */
    ASSERT_RC(cm_offer_from_json(EXAMPLE_OFFER, strlen(EXAMPLE_OFFER), "other", &o, &err),
              CM_EINVAL);
    ASSERT_STREQ(err.field, "id");
    ASSERT(err.message[0]);
    ASSERT(o == NULL);
    /* invalid path id */
    ASSERT_RC(cm_offer_from_json(noid, strlen(noid), "bad id", &o, &err), CM_EINVAL);
    ASSERT_STREQ(err.field, "id");
    cm_candidate_t *c = NULL;
    ASSERT_RC(cm_candidate_from_json(EXAMPLE_CANDIDATE, strlen(EXAMPLE_CANDIDATE), "x", &c, &err),
              CM_EINVAL);
    ASSERT_STREQ(err.field, "id");
    cJSON_free(noid);

    MISS('o', "id", "id");
    MISS('c', "id", "id");
    REJ('o', "id", "123", "id");
    REJ('o', "id", "\"a b\"", "id");
    REJ('o', "id", "\"\"", "id");
    REJ('o', "id", "\"caf\xc3\xa9\"", "id");
    REJ('o', "id", "\"a/b\"", "id");
    REJ('c', "id", jstr(CM_ID_MAX + 1, 'a'), "id");
    /* "version" sent back is the integer the API returned, or nothing (hostile-input probe:
     * "x" and 1e999 were taken and ignored) */
    ACC('o', "version", "3");
    ACC('o', "version", "48221613467905407"); /* any uint64 the echo writes (fuzzer) */
    ACC('o', "version", "18446744073709551615");
    ACC('c', "version", "null");
    REJ('o', "version", "\"x\"", "version");
    REJ('c', "version", "-1", "version");
    REJ('o', "version", "1.5", "version");
    REJ('o', "version", "{}", "version");

    ASSERT(cm_id_valid("a", 1));
    ASSERT(cm_id_valid("A-z_0.9", 7));
    ASSERT(!cm_id_valid("", 0));
    ASSERT(!cm_id_valid("a:b", 3));
    ASSERT(!cm_id_valid(NULL, 0));
}

static void test_invalid_json(void)
{
    cm_error err;
    cm_offer_t *o = NULL;
    static const char *bad[] = {
        "",    "{",          "{\"id\":",   "{\"id\":\"x\"", "{\"id\" \"x\"}",
        "nul", "{\"a\":1}x", "{\"a\":1,}", "{'a':1}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(&err, 0, sizeof err);
        ASSERT_RC(cm_offer_from_json(bad[i], strlen(bad[i]), NULL, &o, &err), CM_EINVAL);
        ASSERT_STREQ(err.field, "");
        if (strncmp(err.message, "invalid JSON near byte ", 23) != 0)
            CM_FAIL_("%s: message %s", bad[i], err.message);
        ASSERT(o == NULL);
    }
    /* the byte offset points at the fault */
    ASSERT_RC(cm_offer_from_json("{\"a\":1}   x", 11, NULL, &o, &err), CM_EINVAL);
    ASSERT_STREQ(err.message, "invalid JSON near byte 10");

    /* not NUL-terminated input: only len bytes are read */
    char buf[64];
    const char *mc = "{\"id\":\"c1\",\"location\":{\"lat\":1,\"lon\":1}}";
    size_t n = strlen(mc);
    memcpy(buf, mc, n);
    memset(buf + n, 'x', sizeof buf - n);
    cm_candidate_t *c = NULL;
    ASSERT_OK(cm_candidate_from_json(buf, n, NULL, &c, &err));
    cm_candidate_free(c);

    /* a raw NUL is not JSON, even after a complete value */
    const char nul[] = "{\"id\":\"c1\",\"location\":{\"lat\":1,\"lon\":1}}\0garbage";
    ASSERT_RC(cm_candidate_from_json(nul, sizeof nul - 1, NULL, &c, &err), CM_EINVAL);
    ASSERT_STREQ(err.field, "");
    const char nul2[] = "{\"id\":\"c\0\"}";
    ASSERT_RC(cm_candidate_from_json(nul2, sizeof nul2 - 1, NULL, &c, &err), CM_EINVAL);

    /* not an object */
    ASSERT_RC(cm_candidate_from_json("[1,2]", 5, NULL, &c, &err), CM_EINVAL);
    ASSERT_STREQ(err.field, "");
    ASSERT(err.message[0]);
    ASSERT_RC(cm_candidate_from_json("\"x\"", 3, NULL, &c, &err), CM_EINVAL);

    /* size limit */
    size_t big = CM_RECORD_JSON_MAX + 1;
    char *huge = malloc(big);
    ASSERT(huge);
    memset(huge, ' ', big);
    huge[0] = '{';
    huge[big - 1] = '}';
    ASSERT_RC(cm_offer_from_json(huge, big, NULL, &o, &err), CM_ETOOBIG);
    ASSERT(err.message[0]);
    /* exactly at the limit is parsed (and fails only on content) */
    ASSERT_RC(cm_offer_from_json(huge, big - 1, NULL, &o, &err), CM_EINVAL);
    free(huge);

    /* deep nesting is refused by cJSON, not a stack overflow */
    char *deep = malloc(20001);
    ASSERT(deep);
    memset(deep, '[', 10000);
    deep[10000] = '\0';
    ASSERT_RC(cm_offer_from_json(deep, 10000, NULL, &o, &err), CM_EINVAL);
    ASSERT(strstr(err.message, "nested deeper than 64") != NULL);
    /* 64 deep is JSON like any other; 65 is refused, whatever the brackets inside strings */
    for (int d = 64; d <= 65; d++) {
        char nest[200];
        int m = 0;
        nest[m++] = '{';
        m += snprintf(nest + m, sizeof nest - (size_t)m, "\"s\":\"[[[{{{\",\"a\":");
        for (int i = 1; i < d; i++)
            nest[m++] = '[';
        for (int i = 1; i < d; i++)
            nest[m++] = ']';
        nest[m++] = '}';
        cJSON *root = NULL;
        int rc = cm_json_parse_strict(nest, (size_t)m, &root, &err);
        if (d == 64) {
            ASSERT_OK(rc);
            cJSON_Delete(root);
        } else {
            ASSERT_RC(rc, CM_EINVAL);
        }
    }
    free(deep);
    /* a raw tab or line break inside a string is not JSON (escaped ones are text) */
    const char *raw_tab = "{\"id\":\"a\",\"title\":\"aide\tsoignant\"}";
    ASSERT_RC(cm_offer_from_json(raw_tab, strlen(raw_tab), NULL, &o, &err), CM_EINVAL);
    ASSERT(strstr(err.message, "invalid JSON: a raw control character (0x09)") != NULL);
    const char *raw_lf = "{\"description\":\"a\nb\"}";
    ASSERT_RC(cm_offer_from_json(raw_lf, strlen(raw_lf), NULL, &o, &err), CM_EINVAL);
    ASSERT(strstr(err.message, "(0x0a)") != NULL);
    /* many small values ("[[],[],...]": 30 bytes of nodes for each 3 of text) are refused
     * before any node is built; as many as a record could hold are parsed */
    for (int nv = CM_JSON_VALUES_MAX - 10; nv <= CM_JSON_VALUES_MAX + 10; nv += 20) {
        size_t cap = 3 * (size_t)nv + 8, m = 0;
        char *many = malloc(cap);
        ASSERT(many);
        many[m++] = '[';
        for (int i = 0; i < nv; i++) {
            memcpy(many + m, i ? ",0" : "0", i ? 2 : 1);
            m += i ? 2 : 1;
        }
        many[m++] = ']';
        cJSON *root = NULL;
        int rc = cm_json_parse_strict(many, m, &root, &err);
        if (nv < CM_JSON_VALUES_MAX) {
            ASSERT_OK(rc);
            cJSON_Delete(root);
        } else {
            ASSERT_RC(rc, CM_ETOOBIG);
            ASSERT(strstr(err.message, "values") != NULL);
        }
        free(many);
    }

    /* a member given twice: refused (the first copy would win here, another reader's may
     * be the other), in a nested object too, and in an object of many members */
    static const char dup[] = "{\"id\":\"a\",\"title\":\"x\",\"rome\":\"J1501\",\"contract\""
                              ":\"CDI\",\"location\":{\"lat\":48.8,\"lon\":2.3,\"lat\":999},"
                              "\"id\":\"b\"}";
    ASSERT_RC(cm_offer_from_json(dup, sizeof dup - 1, NULL, &o, &err), CM_EINVAL);
    ASSERT(strstr(err.message, "twice") != NULL);
    for (int members = 40; members <= 100;
         members += 60) { /* names sorted on the stack, then not */
        char many[4096];
        size_t m = (size_t)snprintf(many, sizeof many, "{");
        for (int i = 0; i < members; i++)
            m += (size_t)snprintf(many + m, sizeof many - m, "\"k%d\":%d,", i, i);
        m += (size_t)snprintf(many + m, sizeof many - m, "\"k7\":0}");
        cJSON *root = NULL;
        ASSERT_RC(cm_json_parse_strict(many, m, &root, &err), CM_EINVAL);
        ASSERT(strstr(err.message, "\"k7\"") != NULL);
        many[m - 8] = '}'; /* the same without the second k7 */
        ASSERT_OK(cm_json_parse_strict(many, m - 7, &root, &err));
        cJSON_Delete(root);
    }
    /* \u0000 in a member's name is refused as such (it was echoed back as \u0001 in an
     * "unknown field" error: a name the client never sent); in a value, the field's text
     * check names the field (test_text_rules) */
    {
        static const char nul_name[] = "{\"id\":\"o\", \"tit\\u0000le\" : \"x\"}";
        cJSON *root = NULL;
        ASSERT_RC(cm_json_parse_strict(nul_name, sizeof nul_name - 1, &root, &err), CM_EINVAL);
        ASSERT(strstr(err.message, "\\u0000 in a member name") != NULL);
        static const char nul_value[] = "{\"id\":\"o\", \"title\" : \"x\\u0000\", \"a\":1}";
        ASSERT_OK(cm_json_parse_strict(nul_value, sizeof nul_value - 1, &root, &err));
        cJSON_Delete(root);
    }
}

static void test_text_rules(void)
{
    MISS('o', "title", "title");
    /* null counts as absent, so a null required field is missing */
    expect_reject('o', "title", "null", CM_EMISSING, "title", __LINE__);
    REJ('o', "title", "123", "title");
    REJ('o', "title", "[\"a\"]", "title");
    REJ('o', "title", "\"\"", "title");
    REJ('o', "title", "\"  \\t \"", "title");
    REJ('o', "title", jstr(CM_TITLE_MAX + 1, 'x'), "title");
    REJ('o', "title", "\"bad \xc3\x28 utf8\"", "title"); /* bad continuation */
    REJ('o', "title", "\"overlong \xc0\xaf\"", "title"); /* overlong '/' */
    REJ('o', "title", "\"overlong \xe0\x80\xaf\"", "title");
    REJ('o', "title", "\"overlong \xf0\x80\x80\xaf\"", "title");
    REJ('o', "title", "\"surrogate \xed\xa0\x80\"", "title");
    REJ('o', "title", "\"too high \xf4\x90\x80\x80\"", "title");
    REJ('o', "title", "\"f5 \xf5\x80\x80\x80\"", "title");
    REJ('o', "title", "\"truncated \xe2\x82\"", "title");
    REJ('o', "title", "\"lone continuation \x80\"", "title");
    REJ('o', "title", "\"nul \\u0000 inside\"", "title");
    REJ('o', "title", "\"ctl \\u0001\"", "title");
    REJ('o', "title", "\"newline \\n in title\"", "title");
    REJ('o', "title", "\"csi \\u009b[31m\"", "title"); /* C1 controls, escaped or raw */
    REJ('o', "title", "\"nel \xc2\x85\"", "title");
    REJ('o', "description", "\"c1 \\u0080\"", "description");
    REJ('o', "title", "\"lone surrogate \\ud800\"", ""); /* cJSON refuses: invalid JSON */
    REJ('o', "description", "\"nul \\u0000\"", "description");
    REJ('o', "description", jstr(CM_TEXT_MAX + 1, 'd'), "description");
    REJ('o', "description", "42", "description");
    REJ('o', "description", "\"\xff\"", "description");
    REJ('o', "employer", "\"EHPAD\"", "employer");
    REJ('o', "employer.name", jstr(CM_LABEL_MAX + 1, 'n'), "employer.name");
    REJ('o', "employer.name", "5", "employer.name");
    REJ('o', "employer.kind", "\"castle\"", "employer.kind");
    REJ('o', "employer.kind", "\"EHPAD\"", "employer.kind");
    REJ('o', "employer.kind", "1", "employer.kind");
    REJ('o', "location.city", jstr(CM_LABEL_MAX + 1, 'c'), "location.city");
    REJ('o', "location.city", "true", "location.city");
    REJ('c', "summary", jstr(CM_TEXT_MAX + 1, 's'), "summary");
    REJ('c', "summary", "{}", "summary");
    REJ('c', "summary", "\"\xed\xbf\xbf\"", "summary");
    REJ('c', "location.city", "\"Paris \\u0000\"", "location.city");
}

/* Decomposed accents (NFD) are stored composed, and referentials resolve them. */
static void test_decomposed_text(void)
{
    cm_error err = {0};
    cm_offer_t *o = NULL;
    const char *oj =
        "{\"id\":\"n1\",\"title\":\"Infirmie\xcc\x80re de nuit\",\"rome\":\"J1506\","
        "\"location\":{\"lat\":45.43,\"lon\":4.38,\"city\":\"Saint-E\xcc\x81tienne\"},"
        "\"contract\":\"CDI\",\"skills\":[{\"label\":\"Pre\xcc\x81paration des repas\"}]}";
    ASSERT_OK(cm_offer_from_json(oj, strlen(oj), NULL, &o, &err));
    ASSERT_STREQ(o->title, "Infirmi\xc3\xa8re de nuit");
    ASSERT_STREQ(o->city, "Saint-\xc3\x89tienne");
    ASSERT_STREQ(o->skills[0].label, "Pr\xc3\xa9paration des repas");
    cm_offer_free(o);
    /* a job title typed decomposed is the composed one's */
    cm_candidate_t *c = NULL, *c2 = NULL;
    const char *cj = "{\"id\":\"c1\",\"location\":{\"lat\":45.43,\"lon\":4.38},"
                     "\"desired_job_titles\":[\"infirmie\xcc\x80re\"]}";
    const char *cj2 = "{\"id\":\"c1\",\"location\":{\"lat\":45.43,\"lon\":4.38},"
                      "\"desired_job_titles\":[\"infirmi\xc3\xa8re\"]}";
    ASSERT_OK(cm_candidate_from_json(cj, strlen(cj), NULL, &c, &err));
    ASSERT_OK(cm_candidate_from_json(cj2, strlen(cj2), NULL, &c2, &err));
    ASSERT_EQ(c->n_desired_titles, 1);
    ASSERT_EQ(c->n_desired_titles, c2->n_desired_titles);
    ASSERT_EQ(c->desired_titles[0], c2->desired_titles[0]);
    cm_candidate_free(c);
    cm_candidate_free(c2);
}

static void test_location_rules(void)
{
    MISS('o', "location", "location.lat");
    MISS('c', "location", "location.lat");
    MISS('o', "location.lat", "location.lat");
    MISS('c', "location.lon", "location.lon");
    REJ('o', "location", "\"Paris\"", "location");
    REJ('o', "location", "[48.8,2.3]", "location");
    REJ('o', "location.lat", "\"48.8\"", "location.lat");
    REJ('o', "location.lat", "true", "location.lat");
    REJ('o', "location.lat", "90.000001", "location.lat");
    REJ('o', "location.lat", "-91", "location.lat");
    REJ('o', "location.lat", "1e999", "location.lat");
    REJ('c', "location.lon", "180.5", "location.lon");
    REJ('c', "location.lon", "-181", "location.lon");
    REJ('c', "location.lon", "\"2.3\"", "location.lon");
    REJ('o', "location.postcode", "\"7501\"", "location.postcode");
    REJ('o', "location.postcode", "\"750111\"", "location.postcode");
    REJ('o', "location.postcode", "\"7501a\"", "location.postcode");
    REJ('o', "location.postcode", "75011", "location.postcode");
    REJ('c', "location.postcode", "\"2A000\"", "location.postcode");
    /* the message follows the contract's wording */
    char *json = mutate(EXAMPLE_OFFER, "location.lat", "95");
    cm_error err = {0};
    cm_offer_t *o = NULL;
    ASSERT_RC(cm_offer_from_json(json, strlen(json), NULL, &o, &err), CM_EINVAL);
    ASSERT_STREQ(err.message, "location.lat must be between -90 and 90");
    cJSON_free(json);
}

static void test_offer_rules(void)
{
    MISS('o', "rome", "rome");
    REJ('o', "rome", "\"J150\"", "rome");
    REJ('o', "rome", "\"J15011\"", "rome");
    REJ('o', "rome", "\"15011\"", "rome");
    REJ('o', "rome", "\"JJ501\"", "rome");
    REJ('o', "rome", "1501", "rome");
    MISS('o', "contract", "contract");
    REJ('o', "contract", "\"cdi\"", "contract");
    REJ('o', "contract", "\"freelance\"", "contract");
    REJ('o', "contract", "0", "contract");
    REJ('o', "hours_per_week", "0", "hours_per_week");
    REJ('o', "hours_per_week", "71", "hours_per_week");
    REJ('o', "hours_per_week", "-5", "hours_per_week");
    REJ('o', "hours_per_week", "\"35\"", "hours_per_week");
    REJ('o', "skills", "{}", "skills");
    REJ('o', "skills", "\"hygiene\"", "skills");
    REJ('o', "skills", jarr(CM_SKILLS_MAX + 1, "{\"label\":\"x\"}"), "skills");
    REJ('o', "skills.0", "\"hygiene\"", "skills[0]");
    MISS('o', "skills.0.label", "skills[0].label");
    REJ('o', "skills.0.label", "\"\"", "skills[0].label");
    REJ('o', "skills.0.label", jstr(CM_LABEL_MAX + 1, 'l'), "skills[0].label");
    REJ('o', "skills.0.required", "\"yes\"", "skills[0].required");
    REJ('o', "skills.0.required", "1", "skills[0].required");
    REJ('o', "certifications", "\"DEAS\"", "certifications");
    REJ('o', "certifications", jarr(CM_CERTS_MAX + 1, "{\"code\":\"X\"}"), "certifications");
    REJ('o', "certifications.0", "\"DEAS\"", "certifications[0]");
    MISS('o', "certifications.0.code", "certifications[0].code");
    REJ('o', "certifications.0.code", "\"DE XYZ\"",
        "certifications[0].code"); /* "DE AS" is taken */
    REJ('o', "certifications.0.code", "\"\"", "certifications[0].code");
    REJ('o', "certifications.0.code",
        "\"D\xc3\x89"
        "XYZ\"", /* not a known diploma: "DÉAS" is DEAS */
        "certifications[0].code");
    REJ('o', "certifications.0.code", jstr(CM_CERT_MAX + 1, 'C'), "certifications[0].code");
    REJ('o', "certifications.0.required", "\"true\"", "certifications[0].required");
    static const char *flags[] = {"driving_licence_required", "vehicle_provided",
                                  "accessible_to_disabled_workers", "immersion_possible",
                                  "pre_hire_training"};
    for (size_t i = 0; i < 5; i++) {
        REJ('o', flags[i], "1", flags[i]);
        REJ('o', flags[i], "\"true\"", flags[i]);
        REJ('o', flags[i], "{}", flags[i]);
    }
    REJ('o', "salary", "2000", "salary");
    MISS('o', "salary.period", "salary.period");
    REJ('o', "salary.period", "\"week\"", "salary.period");
    REJ('o', "salary.period", "\"Month\"", "salary.period");
    REJ('o', "salary.min", "-1", "salary.min");
    REJ('o', "salary.min", "\"2000\"", "salary.min");
    REJ('o', "salary.min", "2400", "salary.min"); /* min > max */
    REJ('o', "salary.max", "1e12", "salary.max");
    REJ('o', "salary.max", "\"x\"", "salary.max");
    char *nomin = mutate(EXAMPLE_OFFER, "salary.min", NULL);
    char *neither = mutate(nomin, "salary.max", NULL);
    cm_error err = {0};
    cm_offer_t *o = NULL;
    ASSERT_RC(cm_offer_from_json(neither, strlen(neither), NULL, &o, &err), CM_EMISSING);
    ASSERT_STREQ(err.field, "salary.min");
    cJSON_free(nomin);
    cJSON_free(neither);
    REJ('o', "published_at", "\"2026-02-30\"", "published_at");
    REJ('o', "published_at", "\"2023-02-29\"", "published_at");
    REJ('o', "published_at", "\"2026-13-01\"", "published_at");
    REJ('o', "published_at", "\"2026-00-10\"", "published_at");
    REJ('o', "published_at", "\"2026-1-01\"", "published_at");
    REJ('o', "published_at", "\"20261102\"", "published_at");
    REJ('o', "published_at", "\"2026-11-02T10:00:00Z\"", "published_at");
    REJ('o', "published_at", "20261102", "published_at");
    REJ('o', "status", "\"deleted\"", "status");
    REJ('o', "status", "\"active\"", "status");
    REJ('o', "status", "true", "status");
}

static void test_window_rules(void)
{
    REJ('o', "schedule", "{}", "schedule");
    REJ('o', "schedule",
        jarr(CM_WINDOWS_MAX + 1, "{\"days\":[\"mon\"],\"from\":\"08:00\","
                                 "\"to\":\"09:00\"}"),
        "schedule");
    REJ('o', "schedule.0", "\"mon 08:00-12:00\"", "schedule[0]");
    MISS('o', "schedule.0.days", "schedule[0].days");
    REJ('o', "schedule.0.days", "[]", "schedule[0].days");
    REJ('o', "schedule.0.days", "\"mon\"", "schedule[0].days");
    REJ('o', "schedule.0.days", "[\"mon\",\"mon\"]", "schedule[0].days");
    REJ('o', "schedule.0.days", "[\"monday\"]", "schedule[0].days");
    REJ('o', "schedule.0.days", "[\"Mon\"]", "schedule[0].days");
    REJ('o', "schedule.0.days", "[1]", "schedule[0].days");
    MISS('o', "schedule.0.from", "schedule[0].from");
    MISS('o', "schedule.0.to", "schedule[0].to");
    REJ('o', "schedule.0.from", "\"24:00\"", "schedule[0].from");
    REJ('o', "schedule.0.from", "\"8:00\"", "schedule[0].from");
    REJ('o', "schedule.0.from", "\"08h00\"", "schedule[0].from");
    REJ('o', "schedule.0.from", "\"08:00:00\"", "schedule[0].from");
    REJ('o', "schedule.0.from", "480", "schedule[0].from");
    REJ('o', "schedule.0.to", "\"07:60\"", "schedule[0].to");
    REJ('o', "schedule.0.to", "\"21:00\"", "schedule[0].to"); /* from == to */
    REJ('c', "availability", "\"weekdays\"", "availability");
    REJ('c', "availability.0.to", "\"08:30\"", "availability[0].to");
    REJ('c', "availability.0.days", "[\"sat\",\"sun\",\"sat\"]", "availability[0].days");
    ACC('o', "schedule.0.to", "\"00:00\"");
    ACC('o', "schedule.0.from", "\"23:59\"");
    ACC('o', "schedule",
        jarr(CM_WINDOWS_MAX, "{\"days\":[\"mon\"],\"from\":\"08:00\","
                             "\"to\":\"09:00\"}"));
}

static void test_candidate_rules(void)
{
    { /* a code given twice is kept once, in order (as modes and contracts are) */
        char *json = mutate(EXAMPLE_CANDIDATE, "desired_rome", "[\"K1311\",\"J1501\",\"K1311\"]");
        cm_candidate_t *c = NULL;
        cm_error err = {0};
        ASSERT_OK(cm_candidate_from_json(json, strlen(json), NULL, &c, &err));
        ASSERT_EQ(c->n_desired_rome, 2);
        ASSERT_STREQ(c->desired_rome[0], "K1311");
        ASSERT_STREQ(c->desired_rome[1], "J1501");
        cm_candidate_free(c);
        free(json);
    }
    REJ('c', "desired_rome", "\"J1501\"", "desired_rome");
    REJ('c', "desired_rome", jarr(CM_ROMES_MAX + 1, "\"J1501\""), "desired_rome");
    REJ('c', "desired_rome.1", "\"K13\"", "desired_rome[1]");
    REJ('c', "desired_rome.0", "12345", "desired_rome[0]");
    REJ('c', "skills", "\"x\"", "skills");
    REJ('c', "skills.0", "5", "skills[0]");
    REJ('c', "skills.0", "\"\"", "skills[0]");
    REJ('c', "skills.1", jstr(CM_LABEL_MAX + 1, 's'), "skills[1]");
    REJ('c', "skills", jarr(CM_SKILLS_MAX + 1, "\"s\""), "skills");
    REJ('c', "certifications", "\"DEAES\"", "certifications");
    REJ('c', "certifications.0", "\"DE/XYZ\"", "certifications[0]");
    REJ('c', "certifications.0", "{\"code\":\"DEAES\"}", "certifications[0]");
    REJ('c', "certifications", jarr(CM_CERTS_MAX + 1, "\"C\""), "certifications");
    REJ('c', "experience_months", "721", "experience_months");
    REJ('c', "experience_months", "-1", "experience_months");
    REJ('c', "experience_months", "1.5", "experience_months");
    REJ('c', "experience_months", "\"18\"", "experience_months");
    REJ('c', "mobility", "\"car\"", "mobility");
    REJ('c', "mobility.modes", "[]", "mobility.modes");
    REJ('c', "mobility.modes", "\"car\"", "mobility.modes");
    REJ('c', "mobility.modes", "[\"plane\"]", "mobility.modes");
    REJ('c', "mobility.modes", "[\"car\",3]", "mobility.modes");
    REJ('c', "mobility.max_minutes", "0", "mobility.max_minutes");
    REJ('c', "mobility.max_minutes", "241", "mobility.max_minutes");
    REJ('c', "mobility.max_minutes", "30.5", "mobility.max_minutes");
    REJ('c', "mobility.max_minutes", "\"30\"", "mobility.max_minutes");
    REJ('c', "mobility.driving_licence", "\"no\"", "mobility.driving_licence");
    REJ('c', "mobility.vehicle", "0", "mobility.vehicle");
    REJ('c', "childcare", "2", "childcare");
    REJ('c', "childcare.children_under_12", "21", "childcare.children_under_12");
    REJ('c', "childcare.children_under_12", "-1", "childcare.children_under_12");
    REJ('c', "childcare.children_under_12", "\"2\"", "childcare.children_under_12");
    REJ('c', "childcare.solo_parent", "\"yes\"", "childcare.solo_parent");
    REJ('c', "contracts", "\"CDI\"", "contracts");
    REJ('c', "contracts.1", "\"permanent\"", "contracts[1]");
    REJ('c', "hours_per_week", "35", "hours_per_week");
    REJ('c', "hours_per_week.min", "40", "hours_per_week.min"); /* min > max 35 */
    REJ('c', "hours_per_week.max", "71", "hours_per_week.max");
    REJ('c', "hours_per_week.max", "0",
        "hours_per_week.max"); /* no hours: a probe saw it dropped */
    REJ('c', "hours_per_week.min", "-1", "hours_per_week.min");
    REJ('c', "hours_per_week.min", "\"24\"", "hours_per_week.min");
    REJ('c', "disability_recognised", "\"false\"", "disability_recognised");
    REJ('c', "open_to_immersion", "1", "open_to_immersion");
    REJ('c', "open_to_training", "\"yes\"", "open_to_training");
    REJ('c', "status", "\"retired\"", "status");
    REJ('c', "status", "\"open\"", "status");
}

static void test_json_roundtrip(void)
{
    cm_error err = {0};
    cm_offer_t *o = NULL, *o2 = NULL;
    ASSERT_OK(cm_offer_from_json(EXAMPLE_OFFER, strlen(EXAMPLE_OFFER), NULL, &o, &err));
    o->version = 7;
    char *s = cm_offer_to_json(o, 0);
    ASSERT(s);
    ASSERT(strstr(s, "\"version\":7"));
    ASSERT(strstr(s, "\"lat\":48.8589,\"lon\":2.38"));
    ASSERT(strstr(s, "\"from\":\"21:00\",\"to\":\"07:00\""));
    ASSERT(strstr(s, "\"days\":[\"mon\",\"tue\",\"wed\"]"));
    ASSERT(strstr(s, "\"published_at\":\"2026-11-02\""));
    ASSERT(strstr(s, "\"salary\":{\"min\":2000,\"max\":2300,\"period\":\"month\"}"));
    ASSERT(strstr(s, "\"employer\":{\"name\":\"EHPAD Les Tilleuls\",\"kind\":\"ehpad\"}"));
    ASSERT(strstr(s, "\"hours_per_week\":35"));
    ASSERT(strstr(s, "\"status\":\"open\""));
    ASSERT(!strchr(s, '\n') && !strstr(s, ": ")); /* compact */
    ASSERT_OK(cm_offer_from_json(s, strlen(s), NULL, &o2, &err));
    o2->version = 7; /* input version is ignored by design */
    ASSERT(cm_offer_equal(o, o2));
    char *s2 = cm_offer_to_json(o2, 0);
    ASSERT_STREQ(s, s2);
    cm_free(s);
    cm_free(s2);
    cm_offer_free(o2);

    /* coordinates, odd doubles and escapes survive the trip exactly */
    static const int32_t coords[] = {0,         1,        -1,       999999,    -999999, 1000000,
                                     -90000000, 90000000, 45123456, -45000001, 10,      100000};
    for (size_t i = 0; i < sizeof coords / sizeof coords[0]; i++) {
        o->loc.lat_e6 = coords[i];
        o->loc.lon_e6 = coords[i] * 2;
        o->hours_per_week = 1 + (double)(i * 7 % 69) / 3.0;
        o->salary_min = 0.1 + i;
        o->salary_max = 1234.5678901234567 + i;
        o->title = "tab\tquote\" back\\slash \xc3\xa9\x7f";
        s = cm_offer_to_json(o, 0);
        ASSERT(s);
        /* the title holds a tab, which titles refuse: check the text then fix it */
        ASSERT(strstr(s, "\"tab\\tquote\\\" back\\\\slash \xc3\xa9\x7f\""));
        cm_free(s);
        o->title = "quote\" back\\slash \xc3\xa9";
        s = cm_offer_to_json(o, 0);
        ASSERT(s);
        if (cm_offer_from_json(s, strlen(s), NULL, &o2, &err) != 0)
            CM_FAIL_("reparse failed: %s (%s) in %s", err.message, err.field, s);
        o2->version = o->version;
        if (!cm_offer_equal(o, o2))
            CM_FAIL_("round trip differs for %s", s);
        cm_offer_free(o2);
        cm_free(s);
    }
    cm_offer_free(o);

    cm_candidate_t *c = NULL, *c2 = NULL;
    ASSERT_OK(cm_candidate_from_json(EXAMPLE_CANDIDATE, strlen(EXAMPLE_CANDIDATE), NULL, &c, &err));
    c->disability_recognised = true;
    s = cm_candidate_to_json(c, CM_JSON_SENSITIVE);
    ASSERT(s);
    ASSERT(strstr(s, "\"childcare\":{\"children_under_12\":2,\"solo_parent\":true}"));
    ASSERT(strstr(s, "\"disability_recognised\":true"));
    ASSERT(strstr(s, "\"mobility\":{\"modes\":[\"transit\",\"walk\"],\"max_minutes\":45,"
                     "\"driving_licence\":false,\"vehicle\":false}"));
    ASSERT(strstr(s, "\"contracts\":[\"CDI\",\"CDD\"]"));
    ASSERT(strstr(s, "\"hours_per_week\":{\"min\":24,\"max\":35}"));
    ASSERT(!strstr(s, "\"version\"")); /* version 0: unstored */
    ASSERT_OK(cm_candidate_from_json(s, strlen(s), NULL, &c2, &err));
    ASSERT(cm_candidate_equal(c, c2));
    cm_candidate_free(c2);
    cm_free(s);

    /* portal scope: sensitive fields never leave */
    s = cm_candidate_to_json(c, 0);
    ASSERT(s);
    ASSERT(!strstr(s, "childcare"));
    ASSERT(!strstr(s, "children_under_12"));
    ASSERT(!strstr(s, "solo_parent"));
    ASSERT(!strstr(s, "disability"));
    ASSERT_OK(cm_candidate_from_json(s, strlen(s), NULL, &c2, &err));
    ASSERT(!c2->has_childcare && !c2->disability_recognised && c2->children_under_12 == 0);
    cm_candidate_free(c2);
    cm_free(s);
    cm_candidate_free(c);

    /* a minimal candidate: defaults are written out and read back identical */
    const char *mc = "{\"id\":\"c1\",\"location\":{\"lat\":-0.000001,\"lon\":-179.999999}}";
    ASSERT_OK(cm_candidate_from_json(mc, strlen(mc), NULL, &c, &err));
    ASSERT_EQ(c->loc.lat_e6, -1);
    ASSERT_EQ(c->loc.lon_e6, -179999999);
    s = cm_candidate_to_json(c, CM_JSON_SENSITIVE);
    ASSERT(s);
    ASSERT(strstr(s, "\"lat\":-0.000001,\"lon\":-179.999999"));
    ASSERT_OK(cm_candidate_from_json(s, strlen(s), NULL, &c2, &err));
    ASSERT(cm_candidate_equal(c, c2));
    cm_candidate_free(c2);
    cm_candidate_free(c);
    cm_free(s);
}

static void test_error_api(void)
{
    ASSERT_STREQ(cm_strerror(CM_EINVAL), "invalid argument");
    ASSERT_STREQ(cm_strerror(CM_EMISSING), "missing required field");
    ASSERT(cm_strerror(-999) != NULL);
    ASSERT(cm_strerror(0)[0]);
    for (int rc = 0; rc >= CM_EMISSING; rc--)
        ASSERT(strcmp(cm_strerror(rc), "unknown error") != 0);
    cm_error err;
    ASSERT_EQ(cm_error_set(&err, CM_EINVAL, "a.b", "x %d", 5), CM_EINVAL);
    ASSERT_EQ(err.code, CM_EINVAL);
    ASSERT_STREQ(err.field, "a.b");
    ASSERT_STREQ(err.message, "x 5");
    ASSERT_EQ(cm_error_set(&err, CM_ENOMEM, NULL, "oom"), CM_ENOMEM);
    ASSERT_STREQ(err.field, "");
    ASSERT_EQ(cm_error_set(NULL, CM_EIO, "f", "m"), CM_EIO);
    /* long fields and messages are truncated, never overflowed */
    char longf[300];
    memset(longf, 'f', sizeof longf - 1);
    longf[sizeof longf - 1] = '\0';
    cm_error_set(&err, CM_EINVAL, longf, "%s%s", longf, longf);
    ASSERT_EQ(strlen(err.field), sizeof err.field - 1);
    ASSERT_EQ(strlen(err.message), sizeof err.message - 1);
    cm_free(NULL);
}

int main(void)
{
    test_error_api();
    test_offer_example();
    test_candidate_example();
    test_defaults();
    test_id_rules();
    test_invalid_json();
    test_text_rules();
    test_decomposed_text();
    test_location_rules();
    test_offer_rules();
    test_window_rules();
    test_candidate_rules();
    test_json_roundtrip();
    printf("record json: ok (%d rejections checked)\n", n_checked);
    return 0;
}
