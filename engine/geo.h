/* Geography constants shared by scoring (distances), the catalog grid and the index's cell
 * terms: one source each. Internal to engine/. */
#ifndef CAREMATCH_ENGINE_GEO_H
#define CAREMATCH_ENGINE_GEO_H

#include <math.h>

#define CM__EARTH_RADIUS_KM 6371.0088 /* mean radius (IUGG); the shim's metric uses the same */
#define CM__KM_PER_DEGREE (CM__EARTH_RADIUS_KM * M_PI / 180.0) /* of latitude: 111.195 km */
/* Grid cells of the catalog and the index: 0.1 degree (11 km north-south, ~7.5 km east-west in
 * metropolitan France), in degrees x 1e6. */
#define CM__CELL_E6 100000

#endif
