/* Binary codec: round trips, refusal of foreign versions, and robustness against every
 * truncation and random corruption of valid encodings (run under ASan in CI). */
#include <stdbool.h>

#include "carematch/record.h"
#include "examples.h"
#include "record_eq.h"
#include "test.h"

static cm_offer_t *example_offer(void)
{
    cm_offer_t *o = NULL;
    cm_error err = {0};
    ASSERT_OK(cm_offer_from_json(EXAMPLE_OFFER, strlen(EXAMPLE_OFFER), NULL, &o, &err));
    return o;
}

static cm_candidate_t *example_candidate(void)
{
    cm_candidate_t *c = NULL;
    cm_error err = {0};
    ASSERT_OK(cm_candidate_from_json(EXAMPLE_CANDIDATE, strlen(EXAMPLE_CANDIDATE), NULL, &c, &err));
    return c;
}

static void test_roundtrip(void)
{
    cm_offer_t *o = example_offer(), *o2 = NULL;
    o->version = 123456789012ull;
    uint8_t *buf = NULL, *buf2 = NULL;
    size_t len = 0, len2 = 0;
    ASSERT_OK(cm_offer_encode(o, &buf, &len));
    ASSERT(buf && len > 2);
    ASSERT_EQ(buf[0], CM_RECORD_FORMAT);
    ASSERT(len < strlen(EXAMPLE_OFFER) / 2); /* compact */
    ASSERT_OK(cm_offer_decode(buf, len, &o2));
    ASSERT(cm_offer_equal(o, o2));
    ASSERT_OK(cm_offer_encode(o2, &buf2, &len2));
    ASSERT_EQ(len, len2);
    ASSERT(memcmp(buf, buf2, len) == 0);
    cm_free(buf);
    cm_free(buf2);
    cm_offer_free(o2);
    cm_offer_free(o);

    cm_candidate_t *c = example_candidate(), *c2 = NULL;
    c->version = 3;
    c->disability_recognised = true;
    c->driving_licence = true;
    c->modes = CM_MODE_CAR | CM_MODE_BIKE | CM_MODE_MOPED; /* the moped, a fifth bit */
    {
        char *js = cm_candidate_to_json(c, 0);
        ASSERT(js && strstr(js, "\"modes\":[\"car\",\"bike\",\"moped\"]"));
        cm_candidate_t *back = NULL;
        ASSERT_OK(cm_candidate_from_json(js, strlen(js), NULL, &back, NULL));
        ASSERT_EQ(back->modes, c->modes);
        cm_candidate_free(back);
        cm_free(js);
    }
    c->loc.lat_e6 = -90000000;
    c->loc.lon_e6 = 180000000;
    ASSERT_OK(cm_candidate_encode(c, &buf, &len));
    ASSERT_EQ(buf[0], CM_RECORD_FORMAT);
    ASSERT_OK(cm_candidate_decode(buf, len, &c2));
    ASSERT(cm_candidate_equal(c, c2));
    cm_free(buf);
    cm_candidate_free(c2);
    /* a commute limit nobody stated (0) stays one through storage */
    for (int stated = 0; stated < 2; stated++) {
        c->max_minutes = stated ? 45 : 0;
        ASSERT_OK(cm_candidate_encode(c, &buf, &len));
        ASSERT_OK(cm_candidate_decode(buf, len, &c2));
        ASSERT_EQ(c2->max_minutes, stated ? 45 : 0);
        cm_free(buf);
        cm_candidate_free(c2);
    }
    cm_candidate_free(c);
    /* from JSON: absent mobility or absent max_minutes, assumed; given, stated */
    static const char *const docs[][2] = {
        {"{\"id\":\"a\",\"location\":{\"lat\":48.8,\"lon\":2.3}}", "1"},
        {"{\"id\":\"a\",\"location\":{\"lat\":48.8,\"lon\":2.3},\"mobility\":{\"modes\":"
         "[\"walk\"]}}",
         "1"},
        {"{\"id\":\"a\",\"location\":{\"lat\":48.8,\"lon\":2.3},\"mobility\":{"
         "\"max_minutes\":45}}",
         "0"}};
    for (size_t i = 0; i < 3; i++) {
        cm_candidate_t *j = NULL;
        ASSERT_OK(cm_candidate_from_json(docs[i][0], strlen(docs[i][0]), NULL, &j, NULL));
        ASSERT_EQ(j->max_minutes, docs[i][1][0] == '1' ? 0 : 45);
        char *out = cm_candidate_to_json(j, 0); /* echoed only when stated */
        ASSERT(out && (strstr(out, "max_minutes") != NULL) == (docs[i][1][0] == '0'));
        cm_free(out);
        cm_candidate_free(j);
    }
}

static void test_hand_built(void)
{
    /* A record assembled by hand (arena_ NULL, literals) encodes like a decoded one. */
    cm_offer_t o;
    memset(&o, 0, sizeof o);
    strcpy(o.id, "hand-1");
    o.title = "Auxiliaire de vie";
    strcpy(o.rome, "K1311");
    o.loc.lat_e6 = 43296482;
    o.loc.lon_e6 = 5369780;
    o.contract = CM_CONTRACT_CDD;
    o.published_days = CM_DATE_NONE;
    cm_window_t w = {.days = CM_DAY_SUN, .from_min = 1320, .to_min = 360};
    o.schedule = &w;
    o.n_schedule = 1;
    uint8_t *buf = NULL;
    size_t len = 0;
    ASSERT_OK(cm_offer_encode(&o, &buf, &len));
    cm_offer_t *back = NULL;
    ASSERT_OK(cm_offer_decode(buf, len, &back));
    ASSERT(cm_offer_equal(&o, back));
    cm_offer_free(back);
    cm_free(buf);
    cm_offer_free(&o); /* arena_ NULL: no-op by contract */

    /* invariants are enforced before anything is stored */
    o.title = NULL;
    ASSERT_RC(cm_offer_encode(&o, &buf, &len), CM_EINVAL);
    ASSERT(buf == NULL);
    o.title = "";
    ASSERT_RC(cm_offer_encode(&o, &buf, &len), CM_EINVAL);
    o.title = "ok";
    strcpy(o.rome, "k1311");
    ASSERT_RC(cm_offer_encode(&o, &buf, &len), CM_EINVAL);
    strcpy(o.rome, "K1311");
    o.loc.lat_e6 = 90000001;
    ASSERT_RC(cm_offer_encode(&o, &buf, &len), CM_EINVAL);
    o.loc.lat_e6 = 0;
    o.contract = CM_CONTRACT__COUNT;
    ASSERT_RC(cm_offer_encode(&o, &buf, &len), CM_EINVAL);
    o.contract = CM_CONTRACT_CDI;
    w.to_min = w.from_min;
    ASSERT_RC(cm_offer_encode(&o, &buf, &len), CM_EINVAL);
    w.to_min = 1440;
    ASSERT_RC(cm_offer_encode(&o, &buf, &len), CM_EINVAL);
    w.to_min = 60;
    o.salary_period = CM_SALARY_HOUR;
    o.salary_min = 12;
    o.salary_max = 11;
    ASSERT_RC(cm_offer_encode(&o, &buf, &len), CM_EINVAL);
    o.salary_max = 0.0 / 0.0;
    ASSERT_RC(cm_offer_encode(&o, &buf, &len), CM_EINVAL);
    o.salary_max = 13;
    strcpy(o.id, "bad id");
    ASSERT_RC(cm_offer_encode(&o, &buf, &len), CM_EINVAL);
    strcpy(o.id, "ok");
    ASSERT_OK(cm_offer_encode(&o, &buf, &len));
    cm_free(buf);

    cm_candidate_t c;
    memset(&c, 0, sizeof c);
    strcpy(c.id, "c");
    c.modes = CM_MODE_WALK;
    c.max_minutes = 30;
    ASSERT_OK(cm_candidate_encode(&c, &buf, &len));
    cm_free(buf);
    c.modes = 0;
    ASSERT_RC(cm_candidate_encode(&c, &buf, &len), CM_EINVAL);
    c.modes = CM_MODE_WALK;
    c.hours_min = 30;
    c.hours_max = 20;
    ASSERT_RC(cm_candidate_encode(&c, &buf, &len), CM_EINVAL);
    c.hours_max = 0;
    c.hours_min = 0;
    const char *certs[] = {"deaes"}; /* must be stored upper case */
    c.certs = certs;
    c.n_certs = 1;
    ASSERT_RC(cm_candidate_encode(&c, &buf, &len), CM_EINVAL);
    /* stored before the decoders kept them once: a code or a certification twice reads once,
     * as its JSON does (else the JSON of a stored record would not read back the same) */
    const char *twice[] = {"DEAS", "TP_ADVF", "DEAS"};
    char romes[3][6] = {"J1501", "K1311", "J1501"};
    c.certs = twice;
    c.n_certs = 3;
    c.desired_rome = romes;
    c.n_desired_rome = 3;
    ASSERT_OK(cm_candidate_encode(&c, &buf, &len));
    cm_candidate_t *once = NULL;
    ASSERT_OK(cm_candidate_decode(buf, len, &once));
    ASSERT_EQ(once->n_certs, 2);
    ASSERT_STREQ(once->certs[0], "DEAS");
    ASSERT_STREQ(once->certs[1], "TP_ADVF");
    ASSERT_EQ(once->n_desired_rome, 2);
    ASSERT_STREQ(once->desired_rome[1], "K1311");
    cm_candidate_free(once);
    cm_free(buf);
}

static void test_version_and_kind(void)
{
    cm_offer_t *o = example_offer(), *o2 = (cm_offer_t *)1;
    cm_candidate_t *c2 = (cm_candidate_t *)1;
    uint8_t *buf = NULL;
    size_t len = 0;
    ASSERT_OK(cm_offer_encode(o, &buf, &len));
    buf[0] = CM_RECORD_FORMAT + 1;
    ASSERT_RC(cm_offer_decode(buf, len, &o2), CM_EVERSION);
    ASSERT(o2 == NULL);
    buf[0] = 0;
    ASSERT_RC(cm_offer_decode(buf, len, &o2), CM_EVERSION);
    buf[0] = CM_RECORD_FORMAT;
    ASSERT_RC(cm_candidate_decode(buf, len, &c2), CM_ECORRUPT); /* an offer is no candidate */
    ASSERT(c2 == NULL);
    ASSERT_RC(cm_offer_decode(buf, 0, &o2), CM_ECORRUPT);
    ASSERT_RC(cm_offer_decode(NULL, 0, &o2), CM_ECORRUPT);
    /* trailing bytes */
    uint8_t *longer = malloc(len + 1);
    ASSERT(longer);
    memcpy(longer, buf, len);
    longer[len] = 0;
    ASSERT_RC(cm_offer_decode(longer, len + 1, &o2), CM_ECORRUPT);
    free(longer);
    /* a NUL inside a stored string would silently shorten it */
    size_t tpos = 0;
    for (size_t i = 0; i + 5 <= len; i++)
        if (memcmp(buf + i, "Aide-", 5) == 0)
            tpos = i;
    ASSERT(tpos);
    buf[tpos + 2] = 0;
    ASSERT_RC(cm_offer_decode(buf, len, &o2), CM_ECORRUPT);
    cm_free(buf);
    cm_offer_free(o);

    /* overlong varint in the id length */
    uint8_t ov[16] = {CM_RECORD_FORMAT, 'O'};
    memset(ov + 2, 0xff, sizeof ov - 2);
    ASSERT_RC(cm_offer_decode(ov, sizeof ov, &o2), CM_ECORRUPT);
    uint8_t huge_len[] = {CM_RECORD_FORMAT, 'C', 0x80, 0x80, 0x80, 0x80, 0x01};
    ASSERT_RC(cm_candidate_decode(huge_len, sizeof huge_len, &c2), CM_ECORRUPT);
}

/* Format 4: whether her licence and vehicle were given (true or false) is kept; a format-3
 * record knows nothing of it and decodes as not given; the tag in a format-3 record is
 * corruption. */
static void test_stated(void)
{
    static const char js[] = "{\"id\":\"c-st\",\"location\":{\"lat\":48.8,\"lon\":2.3},"
                             "\"mobility\":{\"driving_licence\":false}}";
    cm_candidate_t *c = NULL, *c2 = NULL;
    ASSERT_OK(cm_candidate_from_json(js, strlen(js), NULL, &c, NULL));
    ASSERT(c->licence_stated && !c->driving_licence && !c->vehicle_stated);
    uint8_t *buf = NULL;
    size_t len = 0;
    ASSERT_OK(cm_candidate_encode(c, &buf, &len));
    ASSERT_EQ(buf[0], 4);
    ASSERT_OK(cm_candidate_decode(buf, len, &c2));
    ASSERT(c2->licence_stated && !c2->vehicle_stated && cm_candidate_equal(c, c2));
    /* not in the JSON (which always prints both booleans): kept by storage only */
    cm_candidate_free(c2);
    /* the tag is the record's last two bytes (13, 1) */
    ASSERT(len > 4 && buf[len - 2] == 13 && buf[len - 1] == 1);
    buf[0] = 3;
    ASSERT_RC(cm_candidate_decode(buf, len, &c2), CM_ECORRUPT);
    ASSERT_OK(cm_candidate_decode(buf, len - 2, &c2)); /* a format-3 record without it */
    ASSERT(!c2->licence_stated && !c2->vehicle_stated);
    cm_candidate_free(c2);
    cm_free(buf);
    cm_candidate_free(c);
    /* nothing given: no tag written */
    ASSERT_OK(cm_candidate_from_json(
        "{\"id\":\"c-n\",\"location\":{\"lat\":48.8,\"lon\":2.3}}",
        strlen("{\"id\":\"c-n\",\"location\":{\"lat\":48.8,\"lon\":2.3}}"), NULL, &c, NULL));
    ASSERT(!c->licence_stated);
    ASSERT_OK(cm_candidate_encode(c, &buf, &len));
    ASSERT(buf[len - 2] != 13);
    cm_free(buf);
    cm_candidate_free(c);
}

/* Every strict prefix of a valid encoding is refused. */
static void test_truncation(void)
{
    cm_offer_t *o = example_offer();
    cm_candidate_t *c = example_candidate();
    /* no optional tail: a prefix cut at a tail field's edge is a whole record without it */
    c->licence_stated = c->vehicle_stated = false;
    uint8_t *ob, *cb;
    size_t ol, cl;
    ASSERT_OK(cm_offer_encode(o, &ob, &ol));
    ASSERT_OK(cm_candidate_encode(c, &cb, &cl));
    for (size_t n = 0; n < ol; n++) {
        /* a fresh exact-size copy so ASan sees any read past the end */
        uint8_t *p = malloc(n ? n : 1);
        ASSERT(p);
        memcpy(p, ob, n);
        cm_offer_t *out = (cm_offer_t *)1;
        int rc = cm_offer_decode(p, n, &out);
        if (rc != CM_ECORRUPT)
            CM_FAIL_("offer prefix %zu/%zu: rc %d (%s)", n, ol, rc, cm_strerror(rc));
        ASSERT(out == NULL);
        free(p);
    }
    for (size_t n = 0; n < cl; n++) {
        uint8_t *p = malloc(n ? n : 1);
        ASSERT(p);
        memcpy(p, cb, n);
        cm_candidate_t *out = (cm_candidate_t *)1;
        int rc = cm_candidate_decode(p, n, &out);
        if (rc != CM_ECORRUPT)
            CM_FAIL_("candidate prefix %zu/%zu: rc %d (%s)", n, cl, rc, cm_strerror(rc));
        ASSERT(out == NULL);
        free(p);
    }
    cm_free(ob);
    cm_free(cb);
    cm_offer_free(o);
    cm_candidate_free(c);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void)
{
    /* xorshift64*: deterministic, so a failure replays */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dull;
}

/* Random corruption: decoding must either fail cleanly or give a record that satisfies every
 * invariant (so that it re-encodes and prints). */
static void test_corruption(void)
{
    cm_offer_t *o = example_offer();
    cm_candidate_t *c = example_candidate();
    uint8_t *ob, *cb;
    size_t ol, cl;
    ASSERT_OK(cm_offer_encode(o, &ob, &ol));
    ASSERT_OK(cm_candidate_encode(c, &cb, &cl));
    int accepted = 0, refused = 0;
    for (int iter = 0; iter < 40000; iter++) {
        bool offer = iter & 1;
        const uint8_t *src = offer ? ob : cb;
        size_t len = offer ? ol : cl;
        /* sometimes cut or extend as well as flip */
        size_t n = len;
        if (rnd() % 4 == 0)
            n = (size_t)(rnd() % (len + 8));
        uint8_t *p = malloc(n ? n : 1);
        ASSERT(p);
        for (size_t i = 0; i < n; i++)
            p[i] = i < len ? src[i] : (uint8_t)rnd();
        int flips = 1 + (int)(rnd() % 4);
        for (int f = 0; f < flips && n > 1; f++) {
            size_t at = 1 + (size_t)(rnd() % (n - 1)); /* keep the version byte mostly */
            if (rnd() % 2)
                p[at] ^= (uint8_t)(1u << (rnd() % 8));
            else
                p[at] = (uint8_t)rnd();
        }
        int rc;
        if (offer) {
            cm_offer_t *out = NULL;
            rc = cm_offer_decode(p, n, &out);
            if (rc == 0) {
                uint8_t *re;
                size_t rl;
                ASSERT_OK(cm_offer_encode(out, &re, &rl));
                char *js = cm_offer_to_json(out, 0);
                ASSERT(js);
                cm_offer_t *back = NULL;
                cm_error err;
                if (cm_offer_from_json(js, strlen(js), NULL, &back, &err) != 0) {
                    if (!cm_test_refusal_expected(&err, out->id))
                        CM_FAIL_("decoded offer prints invalid JSON: %s (%s)", err.message, js);
                } else {
                    back->version = out->version;
                    ASSERT(cm_offer_equal(out, back));
                    cm_offer_free(back);
                }
                cm_free(js);
                cm_free(re);
                cm_offer_free(out);
            }
        } else {
            cm_candidate_t *out = NULL;
            rc = cm_candidate_decode(p, n, &out);
            if (rc == 0) {
                uint8_t *re;
                size_t rl;
                ASSERT_OK(cm_candidate_encode(out, &re, &rl));
                char *js = cm_candidate_to_json(out, CM_JSON_SENSITIVE);
                ASSERT(js);
                cm_candidate_t *back = NULL;
                cm_error err;
                if (cm_candidate_from_json(js, strlen(js), NULL, &back, &err) != 0) {
                    if (!cm_test_refusal_expected(&err, out->id))
                        CM_FAIL_("decoded candidate prints invalid JSON: %s (%s)", err.message,
                                 js);
                } else {
                    back->version = out->version;
                    ASSERT(cm_candidate_equal(out, back));
                    cm_candidate_free(back);
                }
                cm_free(js);
                cm_free(re);
                cm_candidate_free(out);
            }
        }
        if (rc == 0)
            accepted++;
        else if (rc == CM_ECORRUPT || rc == CM_EVERSION)
            refused++;
        else
            CM_FAIL_("unexpected rc %d (%s)", rc, cm_strerror(rc));
        free(p);
    }
    ASSERT(refused > 0);
    printf("corruption: %d accepted (still valid), %d refused\n", accepted, refused);

    /* pure garbage after a valid header */
    for (int iter = 0; iter < 20000; iter++) {
        size_t n = 2 + (size_t)(rnd() % 64);
        uint8_t *p = malloc(n);
        ASSERT(p);
        p[0] = CM_RECORD_FORMAT;
        p[1] = iter & 1 ? 'O' : 'C';
        for (size_t i = 2; i < n; i++)
            p[i] = (uint8_t)(rnd() % 3 == 0 ? rnd() % 4 : rnd());
        cm_offer_t *oo = NULL;
        cm_candidate_t *cc = NULL;
        if (iter & 1) {
            if (cm_offer_decode(p, n, &oo) == 0)
                cm_offer_free(oo);
        } else {
            if (cm_candidate_decode(p, n, &cc) == 0)
                cm_candidate_free(cc);
        }
        free(p);
    }
    cm_free(ob);
    cm_free(cb);
    cm_offer_free(o);
    cm_candidate_free(c);
}

int main(void)
{
    test_roundtrip();
    test_hand_built();
    test_version_and_kind();
    test_stated();
    test_truncation();
    test_corruption();
    printf("record codec: ok\n");
    return 0;
}
