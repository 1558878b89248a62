/* The referentials: ROME 4.0 codes and titles, suggestions, v3 -> 4.0, neighbours, diplomas,
 * communes, postcodes and the placing rule; prints (does not assert) suggestion timings. */
#include <pthread.h>
#include <time.h>

#include "carematch/referential.h"
#include "referential_internal.h"
#include "test.h"

static int has_code(const cm_rome_v3_target_t *t, size_t n, const char *code)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(t[i].code, code))
            return 1;
    return 0;
}

static void expect_first(const char *query, const char *code)
{
    cm_rome_suggestion_t s[10];
    size_t n = cm_rome_suggest(query, s, 10);
    if (n == 0)
        CM_FAIL_("suggest \"%s\": nothing", query);
    if (strcmp(s[0].title.rome, code) != 0) {
        for (size_t i = 0; i < n; i++)
            fprintf(stderr, "  %s %u %s\n", s[i].title.rome, s[i].title.ogr, s[i].title.label);
        CM_FAIL_("suggest \"%s\": first is %s, want %s", query, s[0].title.rome, code);
    }
    ASSERT(s[0].title.label && s[0].title.rome_label && s[0].title.ogr > 0);
}

static void test_codes(void)
{
    cm_rome_t r;
    ASSERT_EQ(cm_rome_count(), 1584);
    ASSERT_EQ(cm_rome_title_count(), 13120);
    ASSERT_OK(cm_rome_find("K1301", &r));
    ASSERT(strstr(r.label, "Educateur") && strstr(r.label, "en locomotion"));
    ASSERT_OK(cm_rome_find("K1306", &r));
    ASSERT(strstr(r.label, "Accompagnant Educatif et Social (AES)"));
    ASSERT_EQ(r.regulated, '?');
    ASSERT_STREQ(r.parent, "K1302");
    ASSERT_OK(cm_rome_find("K1311", &r));
    ASSERT_STREQ(r.label, "Assistant / Assistante de vie aux familles");
    ASSERT_EQ(r.regulated, 'N');
    ASSERT(r.care && !r.diploma_required);
    ASSERT_OK(cm_rome_find("K1304", &r));
    ASSERT(strstr(r.label, "Employé familial"));
    ASSERT_OK(cm_rome_find("K1307", &r));
    ASSERT(strstr(r.label, "petite enfance"));
    ASSERT_OK(cm_rome_find("J1501", &r));
    ASSERT_EQ(r.regulated, 'O');
    ASSERT(r.diploma_required);
    ASSERT_OK(cm_rome_find("A1101", &r));
    ASSERT(!r.care);
    ASSERT_RC(cm_rome_find("K9999", &r), CM_ENOTFOUND);
    ASSERT_RC(cm_rome_find("k1311", &r), CM_EINVAL);
    ASSERT_RC(cm_rome_find("K131", NULL), CM_EINVAL);
    ASSERT_RC(cm_rome_find(NULL, NULL), CM_EINVAL);
    ASSERT(cm_rome_valid("K1311") && !cm_rome_valid("K1399") && !cm_rome_valid(""));
    ASSERT_OK(cm_rome_at(0, &r));
    ASSERT_STREQ(r.code, "A1101");
    ASSERT_RC(cm_rome_at(1584, &r), CM_ENOTFOUND);
}

static void test_titles(void)
{
    cm_rome_title_t t;
    ASSERT_OK(cm_rome_title_by_ogr(10891, &t));
    ASSERT_STREQ(t.label, "Aide-soignant / Aide-soignante");
    ASSERT_STREQ(t.rome, "J1501");
    ASSERT_STREQ(t.v3, "J1501");
    ASSERT(t.principal && !t.rare);
    ASSERT_OK(cm_rome_title_by_ogr(511182, &t)); /* AES: new in 4.0 */
    ASSERT(t.v3 == NULL);
    ASSERT_RC(cm_rome_title_by_ogr(1, &t), CM_ENOTFOUND);
    ASSERT_OK(cm_rome_title_by_label("aide-soignante", &t));
    ASSERT_EQ(t.ogr, 10891);
    ASSERT_OK(cm_rome_title_by_label("AIDE SOIGNANT", &t));
    ASSERT_EQ(t.ogr, 10891);
    ASSERT_OK(cm_rome_title_by_label("Infirmière en soins généraux (IDE)", &t));
    ASSERT_STREQ(t.rome, "J1506");
    ASSERT_OK(cm_rome_title_by_label("Agent de service hospitalier (ASH)", &t));
    ASSERT_STREQ(t.rome, "J1301");
    ASSERT_OK(cm_rome_title_by_label("Auxiliaire de vie", &t));
    ASSERT_STREQ(t.rome, "K1311");
    /* labels of ROME v3, renamed in 4.0 (the OGR code stayed), and short labels: found */
    ASSERT_OK(cm_rome_title_by_label("Assistant / Assistante de vie", &t));
    ASSERT_EQ(t.ogr, 11255);
    ASSERT_STREQ(t.rome, "K1311");
    ASSERT_OK(cm_rome_title_by_label("Assistante de vie", &t));
    ASSERT_EQ(t.ogr, 11255);
    ASSERT_OK(cm_rome_title_by_label("Agent / Agente des services hospitaliers", &t));
    ASSERT_STREQ(t.rome, "J1301");
    /* a 4.0 label still wins over a v3 one spelled the same */
    ASSERT_OK(cm_rome_title_by_label("Aide-soignant / Aide-soignante", &t));
    ASSERT_EQ(t.ogr, 10891);
    ASSERT_RC(cm_rome_title_by_label("aide", &t), CM_ENOTFOUND);
    ASSERT_RC(cm_rome_title_by_label("", &t), CM_ENOTFOUND);
    uint32_t ogr[64];
    size_t n = cm_rome_titles_of("J1501", ogr, 64);
    ASSERT(n >= 5 && n <= 64);
    ASSERT_EQ(ogr[0], 10891);
    ASSERT_EQ(cm_rome_titles_of("Z9999", ogr, 64), 0);
}

static void test_suggest(void)
{
    expect_first("aide soignante", "J1501");
    expect_first("Aide-Soignant", "J1501");
    expect_first("infirmiere", "J1506");
    expect_first("infirmière", "J1506");
    expect_first("auxiliaire de puer", "J1304");
    expect_first("AES", "K1306");
    expect_first("AVS", "K1306");
    expect_first("ASH", "J1301");
    expect_first("AMP", "K1306");
    expect_first("IDE", "J1506");
    expect_first("TISF", "K1305");
    expect_first("ADVF", "K1311");
    expect_first("as", "J1501");
    expect_first("AP", "J1304");
    expect_first("assistante de vie aux fam", "K1311");
    expect_first("educatrice specialisee", "K1207");
    expect_first("auxiliaire de vie", "K1311");

    cm_rome_suggestion_t s[100];
    size_t n = cm_rome_suggest("AVS", s, 5);
    ASSERT_EQ(s[0].match, CM_SUGGEST_ACRONYM);
    ASSERT(n >= 3);
    ASSERT_STREQ(s[1].title.rome, "K1311");
    n = cm_rome_suggest("auxiliaire de vie sociale", s, 5); /* a name, not an acronym */
    ASSERT(n >= 2);
    ASSERT_EQ(s[0].match, CM_SUGGEST_EXACT);
    ASSERT_EQ(s[0].title.ogr, 11456);
    n = cm_rome_suggest("aide-soignant / aide-soignante", s, 3);
    ASSERT(n >= 1);
    ASSERT_EQ(s[0].match, CM_SUGGEST_EXACT);
    ASSERT_EQ(s[0].title.ogr, 10891);
    n = cm_rome_suggest("infirm", s, 100);
    ASSERT(n > 10);
    for (size_t i = 0; i < n; i++) /* every word prefixed */
        ASSERT(strstr(s[i].title.label, "nfirm"));
    for (size_t i = 1; i < n; i++) { /* care sector first */
        cm_rome_t a, b;
        ASSERT_OK(cm_rome_find(s[i - 1].title.rome, &a));
        ASSERT_OK(cm_rome_find(s[i].title.rome, &b));
        ASSERT(a.care || !b.care);
    }
    ASSERT_EQ(cm_rome_suggest("", s, 10), 0);
    ASSERT_EQ(cm_rome_suggest(" -/ ", s, 10), 0);
    ASSERT_EQ(cm_rome_suggest("zzzzqx", s, 10), 0);
    /* a title as people write it: the one rule of records and candidate search */
    static const struct {
        const char *text;
        uint32_t ogr; /* 0: none */
    } typed[] = {
        {"infirmière", 15545}, /* not the cadre de santé's (ROME v3: "infirmier / infirmière") */
        {"Infirmier", 15545},
        {"infirmières", 15545},
        {"agent de service hospitalier", 10698},
        {"ASH", 10698},
        {"aide-soignante", 10891},
        {"10891", 10891},
        {"accompagnante éducative et sociale", 511182},
        {"cadre de santé infirmière", 38859},
        /* everyday names, not another trade's title that adds words (an adviser's probe) */
        {"auxiliaire de vie sociale", 11456}, /* not K1314 "auprès d'enfants" */
        {"Agent de soins", 10698},            /* not D1203 hydrothérapie */
        {"auxiliaire de soins", 10698},       /* not A1501 animal care */
        {"aide de vie", 11453},               /* not K2113 "aide de vie scolaire" */
        {"ASG", 38389},
        {"nounou", 510086},
        {"infirm", 0},
        {"aide-soignante de nuit", 0},
        {"zzzz", 0},
        {"", 0},
    };
    for (size_t i = 0; i < sizeof typed / sizeof typed[0]; i++) {
        cm_rome_title_t t;
        int rc = cm_rome_title_resolve(typed[i].text, &t);
        if (typed[i].ogr ? rc != 0 || t.ogr != typed[i].ogr : rc != CM_ENOTFOUND)
            CM_FAIL_("resolve \"%s\": rc %d ogr %u, want %u", typed[i].text, rc,
                     rc ? 0u : (unsigned)t.ogr, (unsigned)typed[i].ogr);
    }
    ASSERT_RC(cm_rome_title_by_label("infirmière", NULL), CM_ENOTFOUND);
    /* plurals read singular, a word no title holds left out (as long as one word is left) */
    expect_first("aides soignantes", "J1501");
    expect_first("aide-soignante de nuit", "J1501");
    expect_first("infirmiere de nuit", "J1506"); /* not "infirmier de bloc": "de" goes too */
    expect_first("auxiliaires de vie", "K1311");
    ASSERT_EQ(cm_rome_suggest("zzzzqx nuitzz", s, 10), 0);
    ASSERT_EQ(cm_rome_suggest("aide", s, 0), 0);
    ASSERT_EQ(cm_rome_suggest("a", s, 7), 7);
    /* long and odd input: cut, never overflow */
    char big[4000];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    cm_rome_suggest(big, s, 10);
    cm_rome_suggest("\xc3\x28 \xe2\x82 \xf0\x9f\x98\x80 soign", s, 10);
}

static void test_v3(void)
{
    cm_rome_v3_target_t t[16];
    size_t n = cm_rome_v3_to_v4("K1302", t, 16);
    ASSERT(n >= 3 && n <= 16);
    ASSERT(has_code(t, n, "K1311") && has_code(t, n, "K1306") && has_code(t, n, "K1302"));
    for (size_t i = 1; i < n; i++)
        ASSERT(t[i - 1].share >= t[i].share);
    ASSERT_EQ(t[0].total, 19);
    n = cm_rome_v3_to_v4("K1301", t, 16);
    ASSERT_STREQ(t[0].code, "K1301");
    ASSERT(has_code(t, n, "K1306") && has_code(t, n, "K2113"));
    ASSERT_NEAR(t[0].share, 11.0 / 14, 1e-9);
    ASSERT_EQ(cm_rome_v3_to_v4("K1306", t, 16), 0); /* not a v3 code */
    ASSERT_EQ(cm_rome_v3_to_v4("K1302", NULL, 0), n > 0 ? cm_rome_v3_to_v4("K1302", t, 16) : 0);
    const char *label, *v4;
    ASSERT_OK(cm_rome_v3_label("K1302", &label));
    ASSERT_STREQ(label, "Assistance auprès d'adultes");
    ASSERT_OK(cm_rome_v3_title_to_v4(10856, &v4)); /* Aide médico-psychologique: v3 K1301 */
    ASSERT_STREQ(v4, "K1306");
    ASSERT_RC(cm_rome_v3_title_to_v4(3, &v4), CM_ENOTFOUND);
}

static void test_neighbours(void)
{
    cm_rome_neighbour_t nb[64];
    size_t n = cm_rome_neighbours("K1311", CM_ROME_NEAR_ALL, nb, 64);
    ASSERT(n >= 10 && n <= 64);
    int k1302 = 0, k1306 = 0;
    for (size_t i = 0; i < n; i++) {
        k1302 |= !strcmp(nb[i].code, "K1302");
        k1306 |= !strcmp(nb[i].code, "K1306");
        ASSERT(strcmp(nb[i].code, "K1311") != 0);
    }
    ASSERT(k1302 && k1306);
    /* mobility first, as published: D1203 is K1311's first */
    ASSERT_STREQ(nb[0].code, "D1203");
    ASSERT_EQ(nb[0].kind, CM_ROME_NEAR_MOBILITY);
    ASSERT_EQ(nb[0].rank, 1);
    /* the ten published, and K1304 added by hand at rank 2 (an adviser's probe: "Aide à
     * domicile" was no neighbour of "Auxiliaire de vie", nor the other way) */
    size_t m = cm_rome_neighbours("K1311", CM_ROME_NEAR_MOBILITY, nb, 64);
    ASSERT_EQ(m, 11);
    for (size_t i = 0; i < m; i++)
        ASSERT_EQ(nb[i].rank, i < 2 ? i + 1 : i);
    ASSERT_STREQ(nb[2].code, "K1304");
    m = cm_rome_neighbours("K1304", CM_ROME_NEAR_MOBILITY, nb, 3);
    ASSERT(m >= 3);
    ASSERT_STREQ(nb[0].code, "K1302");
    ASSERT_STREQ(nb[1].code, "K1306");
    ASSERT_STREQ(nb[2].code, "K1311");
    ASSERT_EQ(nb[2].rank, 2);
    ASSERT_EQ(cm_rome_neighbours("K9999", CM_ROME_NEAR_ALL, nb, 64), 0);
}

static void test_diplomas(void)
{
    cm_diploma_t d[8];
    size_t n = cm_rome_diplomas("J1501", d, 8);
    ASSERT_EQ(n, 1);
    ASSERT_STREQ(d[0].code, "DEAS");
    ASSERT(d[0].required);
    struct {
        const char *code, *dip;
        bool required;
    } want[] = {{"J1304", "DEAP", true},    {"J1506", "DEI", true},
                {"J1305", "DEA", true},     {"K1201", "DEASS", true},
                {"K1202", "DEEJE", true},   {"K1305", "DETISF", false},
                {"K1207", "DEES", false},   {"K1306", "DEAES", false},
                {"K1310", "AGREMENT_AM", true}, {"K1311", "TP_ADVF", false},
                {"K1307", "CAP_AEPE", false}};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        n = cm_rome_diplomas(want[i].code, d, 8);
        int found = 0;
        for (size_t k = 0; k < n && k < 8; k++)
            if (!strcmp(d[k].code, want[i].dip)) {
                found = 1;
                if (d[k].required != want[i].required)
                    CM_FAIL_("%s %s: required %d", want[i].code, want[i].dip, d[k].required);
            }
        if (!found)
            CM_FAIL_("%s: %s not listed", want[i].code, want[i].dip);
    }
    n = cm_rome_diplomas("K1312", d, 8); /* agrément required, DEAES only a complement */
    for (size_t k = 0; k < n; k++)
        ASSERT(d[k].required == (strcmp(d[k].code, "DEAES") != 0));
    ASSERT_EQ(cm_rome_diplomas("A1101", d, 8), 0);
    ASSERT_STREQ(cm_diploma_canon("DEAVS"), "DEAES");
    ASSERT_STREQ(cm_diploma_canon("deamp"), "DEAES");
    ASSERT_STREQ(cm_diploma_canon("MCAD"), "DEAES");
    ASSERT_STREQ(cm_diploma_canon("DPAS"), "DEAS");
    ASSERT_STREQ(cm_diploma_canon("DPAP"), "DEAP");
    ASSERT_STREQ(cm_diploma_canon("IDE"), "DEI");
    ASSERT_STREQ(cm_diploma_canon("DE AS"), "DEAS");
    ASSERT_STREQ(cm_diploma_canon("DE-AES"), "DEAES");
    ASSERT_STREQ(cm_diploma_canon("CAP AEPE"), "CAP_AEPE");
    ASSERT_STREQ(cm_diploma_canon("CAP_AEPE"), "CAP_AEPE");
    ASSERT_STREQ(cm_diploma_canon("TP ADVF"), "TP_ADVF");
    ASSERT_STREQ(cm_diploma_canon("DE TISF"), "DETISF");
    /* the former BEPs, as CVs write them: codes of their own, worth no other diploma */
    ASSERT_STREQ(cm_diploma_canon("BEP CSS"), "BEP_CSS");
    ASSERT_STREQ(cm_diploma_canon("BEP carrières sanitaires et sociales"), "BEP_CSS");
    ASSERT_STREQ(cm_diploma_canon("bep assp"), "BEP_ASSP");
    ASSERT_STREQ(cm_diploma_canon("Bac ASSP"), "BAC_PRO_ASSP");
    ASSERT_STREQ(cm_diploma_canon("Baccalauréat professionnel ASSP"), "BAC_PRO_ASSP");
    ASSERT_STREQ(cm_diploma_canon("bac pro accompagnement soins et services à la personne"),
                 "BAC_PRO_ASSP");
    ASSERT_STREQ(cm_diploma_canon("Bac SAPAT"), "BAC_PRO_SAPAT");
    ASSERT_STREQ(cm_diploma_canon("BAC ST2S"), "BAC_ST2S");
    ASSERT_STREQ(cm_diploma_canon("BEPA services aux personnes"), "BEPA_SAP");
    ASSERT(!cm_diploma_satisfies("BEP_CSS", "DEAS") &&
           !cm_diploma_satisfies("BEP_ASSP", "BAC_PRO_ASSP"));
    ASSERT(cm_diploma_canon("BTS") == NULL && cm_diploma_canon("") == NULL &&
           cm_diploma_canon(NULL) == NULL);
    ASSERT(cm_diploma_satisfies("DEAVS", "DEAES") && cm_diploma_satisfies("DEAES", "DEAES") &&
           !cm_diploma_satisfies("DEAS", "DEAES") && !cm_diploma_satisfies("X", "X"));
    /* a diploma with its speciality, the job's name for its diploma (an adviser's probe: both
     * refused with a 422) */
    ASSERT_STREQ(cm_diploma_canon("DEAES spécialité accompagnement de la vie à domicile"), "DEAES");
    ASSERT_STREQ(cm_diploma_canon("DEAES - structure collective"), "DEAES");
    ASSERT_STREQ(cm_diploma_canon("Bac pro ASSP option structure"), "BAC_PRO_ASSP");
    ASSERT_STREQ(cm_diploma_canon("moniteur éducateur"), "DEME");
    ASSERT_STREQ(cm_diploma_canon("Monitrice-éducatrice"), "DEME");
    ASSERT(cm_diploma_canon("spécialité domicile") == NULL);
    /* a crèche asking for the CAP AEPE takes an auxiliaire de puériculture or an EJE (an
     * adviser's probe); not the reverse */
    ASSERT(cm_diploma_satisfies("DEAP", "CAP AEPE") && cm_diploma_satisfies("DEEJE", "CAP_AEPE") &&
           !cm_diploma_satisfies("CAP AEPE", "DEAP"));
    cm_diploma_t one;
    ASSERT_OK(cm_diploma_find("deavs", &one));
    ASSERT_STREQ(one.code, "DEAVS");
    ASSERT_STREQ(one.canon, "DEAES");
    ASSERT(strstr(one.name, "auxiliaire de vie sociale"));
    ASSERT_RC(cm_diploma_find("nope", &one), CM_ENOTFOUND);
}

static void test_communes(void)
{
    cm_commune_t c, many[64];
    ASSERT(cm_commune_count() > 34900 && cm_commune_count() < 35100);
    ASSERT_OK(cm_commune_by_insee("75111", &c));
    ASSERT_STREQ(c.name, "Paris 11e Arrondissement");
    ASSERT_STREQ(c.postcode, "75011");
    ASSERT_STREQ(c.dep, "75");
    ASSERT_NEAR(c.lat, 48.86, 0.01);
    ASSERT_NEAR(c.lon, 2.38, 0.01);
    ASSERT_EQ(cm_commune_by_postcode("75011", many, 64), 1);
    ASSERT_STREQ(many[0].insee, "75111");
    ASSERT_OK(cm_commune_by_insee("2A004", &c));
    ASSERT_STREQ(c.name, "Ajaccio");
    ASSERT_STREQ(c.dep, "2A");
    ASSERT_OK(cm_commune_by_insee("2a004", &c));
    ASSERT_EQ(c.n_postcodes, 3);
    char pcs[8][6];
    ASSERT_EQ(cm_commune_postcodes("2A004", pcs, 8), 3);
    ASSERT_STREQ(pcs[0], "20000");
    ASSERT_OK(cm_commune_by_insee("97411", &c)); /* Saint-Denis, La Réunion */
    ASSERT_STREQ(c.dep, "974");
    ASSERT_NEAR(c.lat, -20.9, 0.1);
    ASSERT_NEAR(c.lon, 55.45, 0.1);
    ASSERT_OK(cm_commune_by_insee("76095", &c)); /* no La Poste point: hand-placed */
    ASSERT(c.approx);
    ASSERT_RC(cm_commune_by_insee("7511", &c), CM_EINVAL);
    ASSERT_RC(cm_commune_by_insee("00000", &c), CM_ENOTFOUND);
    ASSERT_OK(cm_commune_at(0, &c));
    ASSERT_STREQ(c.insee, "01001");

    /* placing */
    cm_place_t p;
    ASSERT_OK(cm_place("75011", NULL, &p));
    ASSERT_EQ(p.how, CM_PLACE_ONLY);
    ASSERT_STREQ(p.commune.insee, "75111");
    ASSERT_OK(cm_place("75011", "PARIS 11", &p));
    ASSERT_STREQ(p.commune.insee, "75111");
    ASSERT(!p.city_mismatch);
    ASSERT_OK(cm_place("75011", "Paris", &p)); /* the city of an arrondissement */
    ASSERT_STREQ(p.commune.insee, "75111");
    ASSERT(!p.city_mismatch);
    ASSERT_OK(cm_place("75011", "Paris 11e", &p));
    ASSERT(!p.city_mismatch);
    ASSERT_OK(cm_place("75011", "Lyon", &p));
    ASSERT(p.city_mismatch);
    ASSERT_STREQ(p.commune.insee, "75111");
    size_t n = cm_commune_by_postcode("60300", many, 64);
    ASSERT_EQ(n, 11);
    ASSERT_OK(cm_place("60300", "Mont-l'Évêque", &p));
    ASSERT_EQ(p.how, CM_PLACE_NAMED);
    ASSERT_STREQ(p.commune.insee, "60421");
    ASSERT_EQ(p.candidates, 11);
    ASSERT_OK(cm_place("60300", "AVILLY SAINT LEONARD", &p));
    ASSERT_STREQ(p.commune.insee, "60033");
    ASSERT_OK(cm_place("60300", NULL, &p));
    ASSERT_EQ(p.how, CM_PLACE_DEFAULT);
    ASSERT_STREQ(p.commune.insee, "60612"); /* Senlis: the largest known population */
    ASSERT_OK(cm_place("60300", "Nowhere", &p));
    ASSERT_EQ(p.how, CM_PLACE_DEFAULT);
    ASSERT(p.city_mismatch);
    ASSERT_OK(cm_place("01000", "St-Denis-lès-Bourg", &p));
    ASSERT_STREQ(p.commune.insee, "01344");
    ASSERT_OK(cm_place("20167", "Mezzavia", &p)); /* a La Poste lieu-dit of Ajaccio */
    ASSERT_STREQ(p.commune.insee, "2A004");
    ASSERT_RC(cm_place("99999", NULL, &p), CM_ENOTFOUND);
    ASSERT_RC(cm_place("7501", NULL, &p), CM_EINVAL);
    ASSERT_RC(cm_place(NULL, NULL, &p), CM_EINVAL);

    /* suggestions */
    /* the two big Saint-Denis (La Réunion, Seine-Saint-Denis) lead, by known population */
    n = cm_commune_suggest("saint-den", many, 10);
    ASSERT(n == 10);
    int d93 = -1;
    for (size_t i = 0; i < 2; i++)
        if (!strcmp(many[i].insee, "93066"))
            d93 = (int)i;
    ASSERT(d93 >= 0);
    ASSERT_STREQ(many[d93].dep, "93");
    ASSERT_STREQ(many[d93].name, "Saint-Denis");
    ASSERT_STREQ(many[d93].postcode, "93200");
    ASSERT_STREQ(many[1 - d93].insee, "97411");
    n = cm_commune_suggest("ST DENIS", many, 3);
    ASSERT(!strcmp(many[0].insee, "93066") || !strcmp(many[1].insee, "93066"));
    n = cm_commune_suggest("9320", many, 64);
    ASSERT(n >= 1);
    int saw = 0;
    for (size_t i = 0; i < n; i++) {
        ASSERT(!strncmp(many[i].postcode, "9320", 4));
        saw |= !strcmp(many[i].postcode, "93200") && !strcmp(many[i].insee, "93066");
    }
    ASSERT(saw);
    n = cm_commune_suggest("60300", many, 64);
    ASSERT_EQ(n, 11);
    ASSERT_STREQ(many[0].insee, "60612"); /* Senlis, then the villages by INSEE code */
    ASSERT_STREQ(many[1].insee, "60022");
    n = cm_commune_suggest("6", many, 3);
    ASSERT_EQ(n, 3);
    ASSERT_STREQ(many[0].postcode, "60000");
    n = cm_commune_suggest("paris 11", many, 5);
    ASSERT_STREQ(many[0].insee, "75111");
    n = cm_commune_suggest("ajacc", many, 5);
    ASSERT_STREQ(many[0].insee, "2A004");
    ASSERT_EQ(cm_commune_suggest("", many, 5), 0);
    ASSERT_EQ(cm_commune_suggest("qqqqzz", many, 5), 0);
    /* without its article, as people name it (an adviser's probe: none found), once */
    n = cm_commune_suggest("Abymes", many, 5);
    ASSERT(n >= 1);
    ASSERT_STREQ(many[0].insee, "97101");
    n = cm_commune_suggest("Île-d'Yeu", many, 5);
    ASSERT(n >= 1);
    ASSERT_STREQ(many[0].insee, "85113");
    n = cm_commune_suggest("plaine des palmistes", many, 5);
    ASSERT(n >= 1);
    ASSERT_STREQ(many[0].insee, "97406");
    n = cm_commune_suggest("les abymes", many, 5);
    ASSERT(n >= 1 && !strcmp(many[0].insee, "97101") && (n == 1 || strcmp(many[1].insee, "97101")));
    /* La Poste's capitals get the accents that are sure (an adviser's probe: "Nevache") */
    static const struct {
        const char *insee, *name;
    } accented[] = {{"23111", "Lizières"},
                    {"23021", "Bénévent-l'Abbaye"},
                    {"05093", "Névache"},
                    {"17093", "Le Château-d'Oléron"}};
    for (size_t i = 0; i < sizeof accented / sizeof accented[0]; i++) {
        cm_commune_t cc;
        ASSERT_OK(cm_commune_by_insee(accented[i].insee, &cc));
        ASSERT_STREQ(cc.name, accented[i].name);
    }
    ASSERT_OK(cm_place("97139", "Abymes", &p)); /* the record's city, without its article */
    ASSERT_STREQ(p.commune.insee, "97101");
    ASSERT(!p.city_mismatch);
}

static void *thread_main(void *arg)
{
    (void)arg;
    cm_rome_suggestion_t s[10];
    cm_commune_t c[10];
    for (int i = 0; i < 50; i++) {
        if (cm_rome_suggest("aide soignante", s, 10) == 0 || strcmp(s[0].title.rome, "J1501"))
            return (void *)1;
        if (cm_commune_suggest("saint den", c, 10) != 10)
            return (void *)1;
    }
    return NULL;
}

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static void timing(void)
{
    static const char *q[] = {"aide soignante", "infirmiere", "auxiliaire de puer", "AES",
                              "a",              "de",         "agent de serv",      "educ"};
    cm_rome_suggestion_t s[10];
    cm_commune_t c[10];
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
        double t0 = now_us();
        for (int k = 0; k < 200; k++)
            cm_rome_suggest(q[i], s, 10);
        printf("suggest %-22s %7.1f us/call\n", q[i], (now_us() - t0) / 200);
    }
    double t0 = now_us();
    for (int k = 0; k < 200; k++)
        cm_commune_suggest("saint", c, 10);
    printf("commune suggest \"saint\"  %7.1f us/call\n", (now_us() - t0) / 200);
}

/* Départements and their régions; place words, which typo repair leaves alone (an adviser's
 * probe: "Martinique" became "matin", "Réunion" Rouen, "Lozère" Saint-Lô). */
static void test_places(void)
{
    ASSERT_EQ(cm__dept_count(), 102);
    ASSERT_STREQ(cm__dept_find("93")->name, "Seine-Saint-Denis");
    ASSERT_STREQ(cm__dept_find("93")->region, "Île-de-France");
    ASSERT_STREQ(cm__dept_find("2A")->region, "Corse");
    ASSERT_STREQ(cm__dept_find("972")->region, "Martinique");
    ASSERT_STREQ(cm__dept_find("29")->region, "Bretagne");
    ASSERT(cm__dept_find("20") == NULL && cm__dept_find(NULL) == NULL);
    for (size_t i = 0; i < cm__dept_count(); i++) /* every row has its région */
        ASSERT(cm__dept_at(i)->region && cm__dept_at(i)->region[0]);
    ASSERT(cm__dept_at(cm__dept_count()) == NULL);
    static const char *const places[] = {"Martinique", "Réunion", "reunion",  "Guyane",
                                         "Lozère",     "LOZERE",  "Bretagne", "Occitanie",
                                         "Cilaos",     "Rouen",   "Mayotte"};
    for (size_t i = 0; i < sizeof places / sizeof places[0]; i++)
        ASSERT(cm__place_word(places[i], strlen(places[i])));
    static const char *const words[] = {"soignant", "auxilliaire", "infirmeire", "matin", ""};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        ASSERT(!cm__place_word(words[i], strlen(words[i])));
    ASSERT(!cm__place_word("Saint-Denis", 11)); /* two words: not one */
}

int main(void)
{
    /* threads first: the indexes are built under pthread_once by whoever comes first */
    pthread_t th[4];
    for (int i = 0; i < 4; i++)
        ASSERT_OK(pthread_create(&th[i], NULL, thread_main, NULL));
    for (int i = 0; i < 4; i++) {
        void *r;
        pthread_join(th[i], &r);
        ASSERT(r == NULL);
    }
    ASSERT_OK(cm_ref_init());
    test_codes();
    test_titles();
    test_suggest();
    test_v3();
    test_neighbours();
    test_diplomas();
    test_communes();
    test_places();
    char buf[64];
    ASSERT_EQ(cm_ref_normalise("  Œuvre-d'Été  / ÇA  ", buf, sizeof buf), 15);
    ASSERT_STREQ(buf, "oeuvre d ete ca");
    timing();
    printf("test_ref: ok\n");
    return 0;
}
