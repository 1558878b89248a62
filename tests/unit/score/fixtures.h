/* Records built by hand for the scoring and matching tests (no decoder involved): the
 * strings and arrays they point to are static or the caller's, arena_ stays NULL. */
#ifndef CM_TEST_SCORE_FIXTURES_H
#define CM_TEST_SCORE_FIXTURES_H

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "carematch/record.h"

static inline cm_geo_t geo(double lat, double lon)
{
    cm_geo_t g = {(int32_t)lround(lat * 1e6), (int32_t)lround(lon * 1e6)};
    return g;
}

/* A point `km` kilometres east of (lat, lon) along the parallel (close enough for tests that
 * then read the distance back from cm__distance_km). */
static inline cm_geo_t geo_east(double lat, double lon, double km)
{
    return geo(lat, lon + km / (111.195 * cos(lat * M_PI / 180.0)));
}

static inline cm_offer_t mk_offer(const char *id, const char *rome, cm_geo_t loc)
{
    cm_offer_t o;
    memset(&o, 0, sizeof o);
    snprintf(o.id, sizeof o.id, "%s", id);
    o.title = "Offre de test";
    memcpy(o.rome, rome, 5);
    o.loc = loc;
    o.contract = CM_CONTRACT_CDI;
    o.published_days = CM_DATE_NONE;
    o.status = CM_OFFER_OPEN;
    return o;
}

static inline cm_candidate_t mk_cand(const char *id, cm_geo_t loc)
{
    cm_candidate_t c;
    memset(&c, 0, sizeof c);
    snprintf(c.id, sizeof c.id, "%s", id);
    c.loc = loc;
    c.modes = CM_MODE_TRANSIT | CM_MODE_WALK; /* the decoder's defaults */
    c.max_minutes = 45;
    c.status = CM_CAND_ACTIVE;
    return c;
}

#define DAYS_WEEK 0x1f /* mon..fri */
#define HM(h, m) ((uint16_t)((h)*60 + (m)))

#endif
