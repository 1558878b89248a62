/* The flat-earth test (geo.h: cm__flat_*) that spares matching and search the exact distance
 * of points surely in or surely out: against cm__distance_km on random centres, radii and
 * points, near the edge of the circle most of all; no claim near a pole nor half a world away. */
#include <math.h>
#include <stdlib.h>

#include "geo.h"
#include "score.h"
#include "test.h"

static double unit(unsigned *seed)
{
    return rand_r(seed) / (double)RAND_MAX;
}

static void test_bounds(void)
{
    unsigned seed = 1201;
    int in = 0, out = 0, between = 0;
    for (int i = 0; i < 300000; i++) {
        cm_geo_t c = {(int32_t)((unit(&seed) * 119.8 - 59.9) * 1e6),
                      (int32_t)((unit(&seed) * 358 - 179) * 1e6)};
        double radius = 0.01 + unit(&seed) * (i % 3 ? 60 : 400);
        cm__flat_t f;
        cm__flat_init(&f, c, radius);
        ASSERT(f.on);
        /* a point about the circle's edge away (0.5 to 1.5 radii), any direction */
        double d = radius * (0.5 + unit(&seed)), a = unit(&seed) * 2 * M_PI;
        double dlat = d * cos(a) / CM__KM_PER_DEGREE;
        double dlon = d * sin(a) / (CM__KM_PER_DEGREE * cos(c.lat_e6 / 1e6 * M_PI / 180));
        cm_geo_t p = {(int32_t)(c.lat_e6 + dlat * 1e6), (int32_t)(c.lon_e6 + dlon * 1e6)};
        double r = radius * (0.3 + 0.7 * unit(&seed)); /* any reach up to the radius */
        double d2 = cm__flat_d2(&f, p), km = cm__distance_km(c, p);
        if (d2 <= r * r * f.in) {
            ASSERT(km <= r);
            in++;
        } else if (d2 >= r * r * f.out) {
            ASSERT(km > r);
            out++;
        } else {
            between++;
        }
    }
    ASSERT(in > 1000 && out > 1000 && between > 100); /* each case met */
    printf("in %d, out %d, exact distance needed %d\n", in, out, between);
}

static void test_no_claim(void)
{
    cm__flat_t f;
    cm__flat_init(&f, (cm_geo_t){78200000, 15600000}, 30); /* Svalbard: no bound */
    ASSERT(!f.on);
    ASSERT(isnan(cm__flat_d2(&f, (cm_geo_t){78200000, 15700000})));
    cm__flat_init(&f, (cm_geo_t){-13300000, -176200000}, 30); /* Wallis: across the antimeridian */
    ASSERT(f.on);
    double d2 = cm__flat_d2(&f, (cm_geo_t){-13300000, 179900000});
    ASSERT(isnan(d2)); /* neither surely in nor surely out: the exact distance decides */
    ASSERT(!(d2 <= 1e9) && !(d2 >= 0));
}

int main(void)
{
    test_bounds();
    test_no_claim();
    printf("ok\n");
    return 0;
}
