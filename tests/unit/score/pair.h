/* What the scoring tests share: a pair scored with and without details (the same numbers,
 * every barrier with a code and both sentences, eligible exactly when no barrier is hard), and
 * a barrier found by code or kind. */
#ifndef CM_TEST_SCORE_PAIR_H
#define CM_TEST_SCORE_PAIR_H

#include <string.h>

#include "fixtures.h"
#include "score.h"
#include "test.h"

static cm__score_config_t cfg;
static const cm_geo_t paris = {48856600, 2352200};

/* The defaults, but a job at her very point is next door: the fixtures put both on `paris`
 * (same_place_km, a trip across one commune, has its own test in test_score_v2). */
static inline void cfg_defaults(cm__score_config_t *c)
{
    cm__score_config_defaults(c);
    c->same_place_km = 0;
}

/* Score c against o with details; checks what holds of every result: same numbers without
 * details, every barrier has a code, an English and a French sentence, and eligible is exactly
 * "no hard barrier". */
static inline cm_match_t pair(const cm_candidate_t *c, const cm_offer_t *o)
{
    cm__cand_fields_t cf;
    cm__offer_fields_t of;
    cm_match_t m, q;
    memset(&m, 0, sizeof m);
    memset(&q, 0, sizeof q);
    ASSERT_OK(cm__cand_fields_init(&cf, c, &cfg));
    ASSERT_OK(cm__offer_fields_init(&of, o));
    cm__score_pair(&cfg, &cf, &of, 0.0, true, &m);
    cm__score_pair(&cfg, &cf, &of, 0.0, false, &q);
    ASSERT(q.score == m.score);
    ASSERT(q.gap == m.gap);
    ASSERT_EQ(q.n_barriers, m.n_barriers);
    bool hard = false;
    for (size_t i = 0; i < m.n_barriers; i++) {
        const cm_barrier_t *b = &m.barriers[i];
        ASSERT_EQ(q.barriers[i].code, b->code);
        ASSERT(b->code >= 0 && b->code < CM_BC__COUNT);
        ASSERT(strcmp(cm_barrier_code_name(b->code), "unknown") != 0);
        ASSERT(b->detail[0] != '\0');
        ASSERT(b->detail_fr[0] != '\0');
        hard |= b->hard;
    }
    ASSERT_EQ(m.eligible, !hard);
    ASSERT(m.eligible ? m.gap == 0 : m.gap > 0);
    cm__cand_fields_clear(&cf);
    cm__offer_fields_clear(&of);
    return m;
}

static inline const cm_barrier_t *find_code(const cm_match_t *m, int code)
{
    for (size_t i = 0; i < m->n_barriers; i++)
        if (m->barriers[i].code == code)
            return &m->barriers[i];
    return NULL;
}

static inline bool has_code(cm_match_t m, int code)
{
    return find_code(&m, code) != NULL;
}

static inline const cm_barrier_t *find_kind(const cm_match_t *m, int kind)
{
    for (size_t i = 0; i < m->n_barriers; i++)
        if (m->barriers[i].kind == kind)
            return &m->barriers[i];
    return NULL;
}

#endif
