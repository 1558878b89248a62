/* Geography constants shared by scoring (distances), the catalog grid and the index's cell
 * terms: one source each. Internal to engine/. */
#ifndef CAREMATCH_ENGINE_GEO_H
#define CAREMATCH_ENGINE_GEO_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "carematch/record.h"

/* Mean radius (IUGG), in decimetres so that the build can compare it with the shim's. */
#define CM__EARTH_RADIUS_DM 63710088
#define CM__EARTH_RADIUS_KM (CM__EARTH_RADIUS_DM / 10000.0)
#define CM__KM_PER_DEGREE (CM__EARTH_RADIUS_KM * M_PI / 180.0) /* of latitude: 111.195 km */
/* Grid cells of the catalog and the index: 0.1 degree (11 km north-south, ~7.5 km east-west in
 * metropolitan France), in degrees x 1e6. */
#define CM__CELL_E6 100000

/* Division rounding towards minus infinity (cell numbers of negative coordinates). */
static inline int64_t cm__floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* The flat-earth distance around a centre, with bounds on its error: within `radius_km` of
 * the centre it is within a share m of the great circle's (the cosine varies by tan(lat) x
 * the radius in radians; m = 0.01 + 2 x radius / earth radius). So a point whose flat
 * distance is at most r(1 - m) (r <= radius_km) is surely within r, and one whose flat
 * distance is at least r(1 + m) surely beyond: only the points in between need the exact
 * distance (cm__distance_km), sines, cosines and an arcsine. Near a pole, or when the radius
 * is a large part of the earth, no bound (`on` false). */
typedef struct cm__flat {
    cm_geo_t c;
    bool on;
    double coslat;
    double in, out; /* (1 - m)^2 and (1 + m)^2: factors of r^2 */
} cm__flat_t;

static inline void cm__flat_init(cm__flat_t *f, cm_geo_t c, double radius_km)
{
    double lat = c.lat_e6 / 1e6, m = 0.01 + 2.0 * radius_km / CM__EARTH_RADIUS_KM;
    f->c = c;
    f->coslat = cos(lat * M_PI / 180.0);
    f->on = fabs(lat) < 60.0 && m < 0.5;
    f->in = (1 - m) * (1 - m);
    f->out = (1 + m) * (1 + m);
}

/* The flat distance squared, km^2; NaN (every comparison false: the exact distance decides)
 * without a bound, or for a point a quarter of the earth away in longitude. */
static inline double cm__flat_d2(const cm__flat_t *f, cm_geo_t p)
{
    if (!f->on || labs((long)p.lon_e6 - f->c.lon_e6) >= 90000000L)
        return NAN;
    double dy = (double)(p.lat_e6 - f->c.lat_e6) * (CM__KM_PER_DEGREE / 1e6);
    double dx = (double)(p.lon_e6 - f->c.lon_e6) * (CM__KM_PER_DEGREE / 1e6) * f->coslat;
    return dx * dx + dy * dy;
}

#endif
