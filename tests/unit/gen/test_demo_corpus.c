/* The committed demo corpus (corpora/demo/): every record valid, and the variety the demo
 * promises (regions, nights, split shifts, closed offers, near-miss candidates). */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carematch/record.h"
#include "test.h"

static char *slurp(const char *name, size_t *len)
{
    const char *src = getenv("CM_SOURCE_DIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/corpora/demo/%s", src ? src : ".", name);
    FILE *f = fopen(path, "rb");
    if (!f)
        CM_FAIL_("cannot open %s (set CM_SOURCE_DIR)", path);
    char *p = malloc(4 << 20);
    ASSERT(p != NULL);
    *len = fread(p, 1, (4 << 20) - 1, f);
    ASSERT(*len > 0 && *len < (4u << 20) - 1);
    p[*len] = '\0';
    fclose(f);
    return p;
}

static double km(cm_geo_t a, cm_geo_t b)
{
    double la1 = a.lat_e6 / 1e6 * M_PI / 180, la2 = b.lat_e6 / 1e6 * M_PI / 180;
    double dla = la2 - la1, dlo = (b.lon_e6 - a.lon_e6) / 1e6 * M_PI / 180;
    double h = sin(dla / 2) * sin(dla / 2) + cos(la1) * cos(la2) * sin(dlo / 2) * sin(dlo / 2);
    return 2 * 6371 * asin(sqrt(h));
}

#define MAX_OFFERS 64

int main(void)
{
    size_t len;
    char *text = slurp("offers.ndjson", &len);
    cm_offer_t *offers[MAX_OFFERS];
    size_t n = 0;
    int not_open = 0, immersion = 0, training = 0, nights = 0, split = 0, licence = 0;
    bool seen_dep[8] = {false};
    static const char *const deps[8] = {"75", "69", "59", "13", "33", "35", "2A", "974"};
    bool creuse_or_lozere = false, corsica_b = false;
    for (char *line = text; line < text + len;) {
        char *nl = strchr(line, '\n');
        ASSERT(nl != NULL);
        ASSERT(n < MAX_OFFERS);
        cm_error err = {0};
        cm_offer_t *o = NULL;
        if (cm_offer_from_json(line, (size_t)(nl - line), NULL, &o, &err) != 0)
            CM_FAIL_("demo offer %zu refused: %s (%s)", n + 1, err.message, err.field);
        for (size_t i = 0; i < n; i++)
            ASSERT(strcmp(offers[i]->id, o->id) != 0);
        offers[n++] = o;
        not_open += o->status != CM_OFFER_OPEN;
        immersion += o->immersion_possible;
        training += o->pre_hire_training;
        licence += o->driving_licence_required;
        for (size_t i = 0; i < o->n_schedule; i++)
            if (o->schedule[i].to_min < o->schedule[i].from_min) {
                nights++;
                break;
            }
        split += o->n_schedule == 2;
        char d[4];
        ASSERT(cm_department_of_postcode(o->postcode, d));
        for (int i = 0; i < 8; i++)
            seen_dep[i] |= strcmp(d, deps[i]) == 0;
        creuse_or_lozere |= strcmp(d, "23") == 0 || strcmp(d, "48") == 0;
        corsica_b |= strcmp(d, "2B") == 0;
        ASSERT(o->description && strlen(o->description) > 20);
        /* ROME 4.0 meanings: K1301 is "Educateur en locomotion", no demo trade; an auxiliaire
         * de vie is K1311, an AES K1306 (both K1302 / K1301 in ROME v3) */
        ASSERT(strcmp(o->rome, "K1301") != 0);
        if (strstr(o->title, "Auxiliaire de vie") && !strstr(o->title, "sociale"))
            ASSERT_STREQ(o->rome, "K1311");
        if (strstr(o->title, "AES") || strstr(o->title, "ducatif et social"))
            ASSERT_STREQ(o->rome, "K1306");
        line = nl + 1;
    }
    printf("demo offers: %zu (not open %d, immersion %d, training %d, nights %d, split %d, "
           "licence %d)\n",
           n, not_open, immersion, training, nights, split, licence);
    ASSERT(n >= 30);
    ASSERT(not_open >= 2 && not_open <= 3);
    ASSERT(immersion >= 5 && training >= 3 && nights >= 5 && split >= 5 && licence >= 3);
    for (int i = 0; i < 8; i++)
        if (!seen_dep[i])
            CM_FAIL_("no demo offer in departement %s", deps[i]);
    ASSERT(creuse_or_lozere && corsica_b);
    free(text);

    text = slurp("candidates.ndjson", &len);
    size_t nc = 0;
    int no_licence = 0, solo_school = 0, as_without_deas = 0, far = 0;
    for (char *line = text; line < text + len;) {
        char *nl = strchr(line, '\n');
        ASSERT(nl != NULL);
        cm_error err = {0};
        cm_candidate_t *c = NULL;
        if (cm_candidate_from_json(line, (size_t)(nl - line), NULL, &c, &err) != 0)
            CM_FAIL_("demo candidate %zu refused: %s (%s)", nc + 1, err.message, err.field);
        nc++;
        no_licence += !c->driving_licence;
        solo_school += c->solo_parent && c->n_availability == 1 &&
                       c->availability[0].from_min == 8 * 60 + 30 &&
                       c->availability[0].to_min == 16 * 60 + 30;
        bool wants_as = false, deas = false;
        for (size_t i = 0; i < c->n_desired_rome; i++) {
            wants_as |= strcmp(c->desired_rome[i], "J1501") == 0;
            ASSERT(strcmp(c->desired_rome[i], "K1301") != 0); /* a v3 AES wish */
        }
        for (size_t i = 0; i < c->n_certs; i++)
            deas |= strcmp(c->certs[i], "DEAS") == 0;
        as_without_deas += wants_as && !deas;
        double best = 1e9;
        for (size_t i = 0; i < n; i++) {
            double d = km(c->loc, offers[i]->loc);
            if (d < best)
                best = d;
        }
        far += best > 21;
        cm_candidate_free(c);
        line = nl + 1;
    }
    printf("demo candidates: %zu (no licence %d, solo parents on school hours %d, "
           "aide-soignant without DEAS %d, farther than 21 km from every offer %d)\n",
           nc, no_licence, solo_school, as_without_deas, far);
    ASSERT_EQ(nc, 300);
    ASSERT(no_licence >= 60);      /* near-misses: licence required and absent */
    ASSERT(solo_school >= 10);     /* near-misses: nights and 12 h days */
    ASSERT(as_without_deas >= 10); /* near-misses: DEAS required */
    ASSERT_EQ(far, 0);             /* everyone lives near the demo offers */
    for (size_t i = 0; i < n; i++)
        cm_offer_free(offers[i]);
    free(text);
    printf("test_demo_corpus: ok\n");
    return 0;
}
