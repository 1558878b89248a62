/* The index's builders (engine/index_build.c): a batch of many offers has its documents built
 * on builder threads and put in order by the writer. The same writes, applied by a server's
 * engine (writer and builders) and by a tool's engine (applied inline, no builder), must give
 * the same index: the same totals and the same ids in the same order for every query, offers
 * deleted or rewritten within the batch included; and the builders must have built some. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carematch/engine.h"
#include "test.h"

#define N 600
#define REWRITTEN_FROM 100 /* offers 100..159 rewritten in the same batch */
#define REWRITTEN_N 60
#define DELETED_N 40 /* offers 0..39 deleted, the first before the batch is built */

static const char *words[] = {"soignant", "domicile", "nuit", "ehpad", "cuisine", "animation"};

static cm_offer_t *offer(int i, int version)
{
    char json[768];
    cm_offer_t *o = NULL;
    cm_error err = {0};
    snprintf(json, sizeof json,
             "{\"id\":\"ib-%04d\",\"title\":\"%s %s numero %d%s\",\"rome\":\"%s\","
             "\"description\":\"Poste en %s, equipe de %d, %s le week-end.\","
             "\"location\":{\"lat\":%f,\"lon\":%f},\"contract\":\"%s\"}",
             i, i % 2 ? "Aide-soignant" : "Auxiliaire de vie", words[i % 6], i,
             version > 1 ? " modifiee" : "", i % 3 ? "J1501" : "K1302", words[(i / 6) % 6], i % 9,
             words[(i / 36) % 6], 45.0 + (i % 50) * 0.1, 1.0 + (i % 40) * 0.1,
             i % 4 ? "CDI" : "CDD");
    if (cm_offer_from_json(json, strlen(json), NULL, &o, &err))
        CM_FAIL_("offer json: %s", err.message);
    return o;
}

static void put_batch(cm_engine_t *e, int from, int n, int version, uint64_t *seq)
{
    cm_offer_t *recs[N];
    int rcs[N];
    for (int i = 0; i < n; i++)
        recs[i] = offer(from + i, version);
    ASSERT_OK(cm_engine_put_offers_deferred(e, recs, (size_t)n, rcs, seq));
    for (int i = 0; i < n; i++) {
        ASSERT_OK(rcs[i]);
        cm_offer_free(recs[i]);
    }
}

/* The same writes on both engines: a bulk put, a delete, a rewrite of some, more deletes,
 * some deleted and written again. */
static void write_all(cm_engine_t *e)
{
    uint64_t seq = 0;
    put_batch(e, 0, N, 1, &seq);
    ASSERT_OK(cm_engine_delete_offer(e, "ib-0000", 0));
    put_batch(e, REWRITTEN_FROM, REWRITTEN_N, 2, &seq);
    for (int i = 1; i < DELETED_N; i++) {
        char id[16];
        snprintf(id, sizeof id, "ib-%04d", i);
        ASSERT_OK(cm_engine_delete_offer(e, id, 0));
    }
    for (int i = N - 15; i < N - 10; i++) { /* deleted, then written again */
        char id[16];
        snprintf(id, sizeof id, "ib-%04d", i);
        ASSERT_OK(cm_engine_delete_offer(e, id, 0));
    }
    put_batch(e, N - 20, 20, 2, &seq);
    ASSERT_OK(cm_engine_wait_visible(e, seq));
}

typedef struct answer {
    uint64_t total;
    size_t n;
    char ids[100][CM_ID_MAX + 1];
} answer_t;

static void search(cm_engine_t *e, const char *q, bool geo, answer_t *out)
{
    cm_search_query_t sq;
    memset(&sq, 0, sizeof sq);
    sq.q = q;
    sq.limit = 100;
    sq.immersion_possible = sq.pre_hire_training = sq.accessible_to_disabled_workers = -1;
    if (geo) {
        sq.has_geo = true;
        sq.center = (cm_geo_t){47000000, 3000000};
        sq.radius_km = 150;
    }
    cm_search_result_t *r = NULL;
    cm_error err = {0};
    int rc = cm_engine_search(e, &sq, &r, &err);
    if (rc)
        CM_FAIL_("search \"%s\": %s (%s)", q, cm_strerror(rc), err.message);
    out->total = r->total;
    out->n = r->n_hits;
    for (size_t i = 0; i < r->n_hits && i < 100; i++)
        snprintf(out->ids[i], sizeof out->ids[i], "%s", r->hits[i].offer->id);
    cm_search_result_free(r);
}

int main(void)
{
    char dir_a[4200], dir_b[4200];
    snprintf(dir_a, sizeof dir_a, "%s/a", cm_test_tmpdir("index-build"));
    snprintf(dir_b, sizeof dir_b, "%s/b", cm_test_tmpdir("index-build"));
    cm_error err = {0};

    /* a: a server's engine; a long lazy gap, so that the first writes share one batch */
    cm_engine_options_t oa = {0};
    oa.index_lazy_ms = 2000;
    cm_engine_t *a = NULL, *b = NULL;
    ASSERT_OK(cm_engine_open(dir_a, &oa, &a, &err));
    write_all(a);
    cm_engine_info_t ia;
    ASSERT_OK(cm_engine_info(a, &ia));
    ASSERT(ia.index_docs_prebuilt > 0); /* the builders took part */
    ASSERT(ia.index_docs_prebuilt <= N + REWRITTEN_N + 20);
    ASSERT_OK(cm_engine_check(a, &err));

    /* b: a tool's engine, every document built by the one that puts it */
    cm_engine_options_t ob = {0};
    ob.no_index_thread = true;
    ASSERT_OK(cm_engine_open(dir_b, &ob, &b, &err));
    write_all(b);
    cm_engine_info_t ib;
    ASSERT_OK(cm_engine_info(b, &ib));
    ASSERT_EQ(ib.index_docs_prebuilt, 0);
    ASSERT_OK(cm_engine_check(b, &err));

    static answer_t ra, rb;
    const char *queries[] = {"soignant",          "auxiliaire domicile", "modifiee", "nuit ehpad",
                             "\"aide soignant\"", "cuisine -animation",  "numero",   NULL};
    for (int qi = 0; queries[qi]; qi++) {
        for (int geo = 0; geo < 2; geo++) {
            search(a, queries[qi], geo, &ra);
            search(b, queries[qi], geo, &rb);
            if (ra.total != rb.total || ra.n != rb.n)
                CM_FAIL_("\"%s\" (geo %d): %llu/%zu hits with builders, %llu/%zu without",
                         queries[qi], geo, (unsigned long long)ra.total, ra.n,
                         (unsigned long long)rb.total, rb.n);
            for (size_t i = 0; i < ra.n; i++)
                if (strcmp(ra.ids[i], rb.ids[i]) != 0)
                    CM_FAIL_("\"%s\" (geo %d): hit %zu is %s with builders, %s without",
                             queries[qi], geo, i, ra.ids[i], rb.ids[i]);
        }
    }
    /* what the writes say: deleted offers gone, rewritten ones found by their new word */
    search(a, "numero", false, &ra);
    ASSERT_EQ(ra.total, N - DELETED_N);
    search(a, "modifiee", false, &ra);
    ASSERT_EQ(ra.total, REWRITTEN_N + 20);
    for (size_t i = 0; i < ra.n; i++)
        ASSERT(strcmp(ra.ids[i], "ib-0040") != 0);

    cm_engine_close(a);
    cm_engine_close(b);
    printf("test_index_build: ok (%llu documents built ahead of the writer)\n",
           (unsigned long long)ia.index_docs_prebuilt);
    return 0;
}
