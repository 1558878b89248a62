/* Record invariants of the binary codec (codec_check.c), checked by encode and decode alike.
 * Private to engine/codec*.c. */
#ifndef CAREMATCH_ENGINE_CODEC_CHECK_H
#define CAREMATCH_ENGINE_CODEC_CHECK_H

#include <stdbool.h>

#include "carematch/record.h"

#define OGR_MAX 9999999u /* OGR codes are at most 7 digits */

/* Does the record satisfy every invariant the JSON decoder guarantees? */
bool cm__offer_ok(const cm_offer_t *o);
bool cm__candidate_ok(const cm_candidate_t *c);

#endif
