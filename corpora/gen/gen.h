/* carematch-gen's record synthesis: one offer or one candidate as a line of NDJSON in the
 * contract's format (shared/contract/API.md), deterministic for (seed, index). */
#ifndef CAREMATCH_GEN_GEN_H
#define CAREMATCH_GEN_GEN_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* A place candidates are drawn around instead of the population table (demo corpus): the
 * location of an offer and its ROME code. */
typedef struct cg_anchor {
    int32_t lat_e6, lon_e6;
    char rome[6];
} cg_anchor_t;

typedef struct cg_ctx cg_ctx_t;

/* Build the sampling tables. `anchors` (may be NULL) is borrowed for the context's life;
 * near_km is the radius around them. Returns NULL on out-of-memory. */
cg_ctx_t *cg_ctx_create(uint64_t seed, const cg_anchor_t *anchors, size_t n_anchors,
                        unsigned near_km);
void cg_ctx_destroy(cg_ctx_t *ctx);

/* Append offer number `index` (1-based; id "off-%07u") / candidate ("cand-%07u") and a
 * newline to b. Record `index` does not depend on how many records are generated. */
void cg_offer(const cg_ctx_t *ctx, uint64_t index, cg_buf_t *b);
void cg_candidate(const cg_ctx_t *ctx, uint64_t index, cg_buf_t *b);

#endif
