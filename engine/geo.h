/* Geography constants shared by scoring (distances), the catalog grid and the index's cell
 * terms: one source each. Internal to engine/. */
#ifndef CAREMATCH_ENGINE_GEO_H
#define CAREMATCH_ENGINE_GEO_H

#include <math.h>
#include <stdint.h>

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

#endif
