/* Neighbouring ROME codes (match option neighbours), for match.c (match_near.c). Internal to
 * engine/.
 * A pair meets through a neighbour when the offer's code X is not one the candidate wants but
 * is a neighbour of one Y it wants (X in cm_rome_neighbours(Y): mobility, same v3 fiche, or
 * reverse mobility). The relation is read from Y's side in both directions, so a pair scores
 * the same whichever side asks; among several Y, the nearest (smallest penalty) counts. */
#ifndef CAREMATCH_ENGINE_MATCH_NEAR_H
#define CAREMATCH_ENGINE_MATCH_NEAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "carematch/engine.h"
#include "score.h"

#define CM__NEAR_MAX 64 /* neighbours read per code */

typedef struct cm__near {
    uint32_t code, of; /* the offer's code X, the wanted code Y */
    int kind;
    unsigned rank;
    double factor; /* score multiplier, < 1 */
} cm__near_t;

/* Does offered code x neighbour one of wanted[0..n_wanted)? The nearest relation in *out. */
bool cm__near_find(const cm__score_config_t *cfg, const uint32_t *wanted, size_t n_wanted,
                   uint32_t x, cm__near_t *out);
/* The relation into m (near_code, near_of, near_kind, near_rank). */
void cm__near_apply(const cm__near_t *nr, cm_match_t *m);
/* Adds the neighbours of each of codes[0..n) to codes (deduplicated, at most cap); returns the
 * new count. */
size_t cm__add_neighbour_codes(uint32_t *codes, size_t n, size_t cap);

#endif
