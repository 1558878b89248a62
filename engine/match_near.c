/* Neighbouring ROME codes for matching's neighbours option (match.c). */
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "carematch/referential.h"
#include "match_near.h"

static void rome_str(uint32_t v, char out[6])
{
    snprintf(out, 6, "%c%04u", (char)('A' + v / 10000 - 1), v % 10000);
}

static double near_factor(const cm__score_config_t *cfg, unsigned rank)
{
    double f = 1.0 - cfg->neighbour_penalty - cfg->neighbour_rank_penalty * (rank ? rank - 1 : 0);
    return f < 0.5 ? 0.5 : f;
}

/* The relation from wanted y to offered x, if x neighbours y; keeps the better one in *best. */
static void near_consider(const cm__score_config_t *cfg, uint32_t y, uint32_t x, cm__near_t *best)
{
    char ys[6], xs[6];
    cm_rome_neighbour_t nb[CM__NEAR_MAX];
    rome_str(y, ys);
    rome_str(x, xs);
    size_t n = cm_rome_neighbours(ys, CM_ROME_NEAR_ALL, nb, CM__NEAR_MAX);
    for (size_t i = 0; i < n && i < CM__NEAR_MAX; i++) {
        if (strcmp(nb[i].code, xs) != 0)
            continue;
        double f = near_factor(cfg, nb[i].rank);
        if (f > best->factor || (f == best->factor && y < best->of))
            *best = (cm__near_t){x, y, nb[i].kind, nb[i].rank, f};
        return;
    }
}

/* The relation of offer code x to the wanted codes (none wanted: any offer, no neighbour). */
bool cm__near_find(const cm__score_config_t *cfg, const uint32_t *wanted, size_t n_wanted,
                   uint32_t x, cm__near_t *out)
{
    *out = (cm__near_t){0, 0, 0, 0, 0.0};
    for (size_t i = 0; i < n_wanted; i++)
        if (wanted[i] == x)
            return false;
    for (size_t i = 0; i < n_wanted; i++)
        near_consider(cfg, wanted[i], x, out);
    return out->factor > 0;
}

/* Scale a pair's score by its neighbour penalty and say through which codes it met. */
void cm__near_apply(const cm__near_t *nr, cm_match_t *m)
{
    m->score = floor(m->score * nr->factor * 10.0 + 0.5) / 10.0;
    rome_str(nr->code, m->near_code);
    rome_str(nr->of, m->near_of);
    m->near_kind = nr->kind;
    m->near_rank = nr->rank;
}

/* Add the neighbours of each of codes[0..n) to codes (deduplicated, at most cap). */
size_t cm__add_neighbour_codes(uint32_t *codes, size_t n, size_t cap)
{
    size_t n0 = n;
    for (size_t i = 0; i < n0; i++) {
        char cs[6];
        cm_rome_neighbour_t nb[CM__NEAR_MAX];
        rome_str(codes[i], cs);
        size_t k = cm_rome_neighbours(cs, CM_ROME_NEAR_ALL, nb, CM__NEAR_MAX);
        for (size_t j = 0; j < k && j < CM__NEAR_MAX && n < cap; j++) {
            uint32_t v = cm__rome_code(nb[j].code);
            bool seen = v == 0;
            for (size_t q = 0; q < n && !seen; q++)
                seen = codes[q] == v;
            if (!seen)
                codes[n++] = v;
        }
    }
    return n;
}
