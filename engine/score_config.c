/* The scoring model's configuration: compiled-in defaults (SCORING.md has the table), the JSON
 * file that overrides them, and the commute time model the constants drive. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "score.h"

static const char *const factor_names[CM_F__COUNT] = {
    "skills", "certifications", "commute", "schedule", "contract", "experience", "text"};

const char *cm_factor_name(int f)
{
    return f >= 0 && f < CM_F__COUNT ? factor_names[f] : "unknown";
}

/* ---- Commute time ---- */

/* Road km of the car bands: [0, town) slow, [town, rural) at the mode's speed, beyond fast. A
 * trip's time is the sum over the bands it crosses, so it grows with distance and long (rural)
 * trips average a higher speed than short (town) ones. */
static double car_hours(const cm__score_config_t *cfg, double road_km)
{
    double town = cfg->car_town_km, rural = cfg->car_rural_km > town ? cfg->car_rural_km : town;
    double a = road_km < town ? road_km : town;
    double b = road_km < rural ? road_km - a : rural - town;
    double c = road_km - a - b;
    return a / cfg->car_town_speed + b / cfg->mode[0].speed + c / cfg->car_rural_speed;
}

/* Road km of transit's bands: [0, town) the town's bus, beyond the regional line's speed. */
static double transit_hours(const cm__score_config_t *cfg, double road_km)
{
    double town = road_km < cfg->transit_town_km ? road_km : cfg->transit_town_km;
    return town / cfg->mode[1].speed + (road_km - town) / cfg->transit_regional_speed;
}

double cm__mode_minutes(const cm__score_config_t *cfg, int m, double km)
{
    double road = km * cfg->mode[m].detour;
    double h = m == 0   ? car_hours(cfg, road)
               : m == 1 ? transit_hours(cfg, road)
                        : road / cfg->mode[m].speed;
    return h * 60.0 + cfg->mode[m].wait_min;
}

double cm__trip_minutes(const cm__score_config_t *cfg, int m, uint8_t dense, double km)
{
    if (m == 1 && dense == CM__RING) /* the suburban bus all the way */
        return km * cfg->mode[1].detour / cfg->mode[1].speed * 60.0 + cfg->mode[1].wait_min;
    double t =
        cm__mode_minutes(cfg, cm__mode_at(m, dense == CM__DENSE || dense == CM__DENSE_RER), km);
    if (m == 1 && dense == CM__DENSE_RER) {
        double rer = cm__mode_minutes(cfg, CM__MODE_TRANSIT_RER, km);
        t = rer < t ? rer : t;
    }
    return t;
}

double cm__mode_km(const cm__score_config_t *cfg, int m, double minutes)
{
    double t = (minutes - cfg->mode[m].wait_min) / 60.0;
    if (t <= 0)
        return 0.0;
    if (m == 1) { /* transit's bands, inverted */
        double th = cfg->transit_town_km / cfg->mode[1].speed;
        double road = t <= th ? t * cfg->mode[1].speed
                              : cfg->transit_town_km + (t - th) * cfg->transit_regional_speed;
        return road / cfg->mode[1].detour;
    }
    if (m != 0)
        return t * cfg->mode[m].speed / cfg->mode[m].detour;
    double town = cfg->car_town_km, rural = cfg->car_rural_km > town ? cfg->car_rural_km : town;
    double road, th = town / cfg->car_town_speed, mh = (rural - town) / cfg->mode[0].speed;
    if (t <= th)
        road = t * cfg->car_town_speed;
    else if (t <= th + mh)
        road = town + (t - th) * cfg->mode[0].speed;
    else
        road = rural + (t - th - mh) * cfg->car_rural_speed;
    return road / cfg->mode[0].detour;
}

/* Dense transit networks (metro, RER, tram: a trip between two of their places is faster than
 * the national average), each a disc round its centre. Paris's takes in the inner suburbs
 * (Hauts-de-Seine, Seine-Saint-Denis, Val-de-Marne) and the near RER towns; Lille's Roubaix,
 * Tourcoing and Villeneuve-d'Ascq (its metro; an adviser's probe: Lille -> Roubaix was 61
 * minutes, with a licence funded for it); the tram cities' their tram's reach (an adviser's
 * probe: Mérignac -> Bordeaux by tram was 50 minutes). Then each one's ring of commuter towns,
 * on regional rail (RER, Transilien, TER) into it (cm__dense_pair; index: its city's +
 * CM__AREA_CORES). */
static const struct {
    double lat, lon, radius_km;
} dense_areas[] = {
    {48.8566, 2.3522, 20.0}, /* Paris */
    {45.7640, 4.8357, 10.0}, /* Lyon, Villeurbanne */
    {43.2965, 5.3698, 10.0}, /* Marseille */
    {50.6600, 3.1000, 12.0}, /* Lille, Roubaix, Tourcoing, Villeneuve-d'Ascq */
    {43.6047, 1.4442, 8.0},  /* Toulouse */
    {48.1173, -1.6778, 6.0}, /* Rennes */
    {44.8378, -0.5792, 8.0}, /* Bordeaux, Mérignac, Pessac (tram) */
    {47.2184, -1.5536, 7.0}, /* Nantes, Rezé, Saint-Herblain */
    {48.5734, 7.7521, 6.0},  /* Strasbourg */
    {43.7102, 7.2620, 6.0},  /* Nice */
    {43.6108, 3.8767, 6.0},  /* Montpellier */
    {45.1885, 5.7245, 6.0},  /* Grenoble */
    {49.4432, 1.0999, 6.0},  /* Rouen */
    {43.1242, 5.9280, 6.0},  /* Toulon */
    {47.3941, 0.6848, 5.0},  /* Tours */
    {45.4397, 4.3872, 5.0},  /* Saint-Étienne */
    /* the rings: Paris's outer RER and Transilien towns (Cergy, Évry, Marne-la-Vallée,
     * Roissy, and further Meaux, Melun, Creil, Mantes: a helper's probe found Meaux -> Paris
     * 10e at 197 minutes by the national average); Lyon's (Vienne, Villefranche), Marseille's
     * (Aix, Vitrolles, Aubagne), Lille's (Armentières, Lens, Douai), Toulouse's, Rennes's;
     * 45 km for Lyon, Marseille and Lille, whose TER stars reach that far (an adviser's probe:
     * Tarare, 35.5 km out and 40 minutes from Lyon by TER, found nothing at 90 minutes);
     * the TER stars of the other cities (an adviser's probe: Sélestat -> Strasbourg,
     * Libourne -> Bordeaux, Voiron -> Grenoble, Cannes -> Nice found nothing at 60 minutes):
     * Bordeaux's (Libourne), Strasbourg's (Sélestat, Haguenau, Saverne), Nantes's (Ancenis,
     * Clisson), Nice's (Cannes, Antibes, Menton), Montpellier's (Sète, Lunel), Grenoble's
     * (Voiron), Rouen's (Elbeuf, Yvetot), Toulon's (La Ciotat, Hyères), Tours's (Amboise),
     * Saint-Étienne's (Firminy, Saint-Chamond) */
    {48.8566, 2.3522, 60.0},
    {45.7640, 4.8357, 45.0},
    {43.2965, 5.3698, 45.0},
    {50.6600, 3.1000, 45.0},
    {43.6047, 1.4442, 30.0},
    {48.1173, -1.6778, 25.0},
    {44.8378, -0.5792, 40.0},
    {47.2184, -1.5536, 40.0},
    {48.5734, 7.7521, 45.0},
    {43.7102, 7.2620, 35.0},
    {43.6108, 3.8767, 35.0},
    {45.1885, 5.7245, 30.0},
    {49.4432, 1.0999, 30.0},
    {43.1242, 5.9280, 30.0},
    {47.3941, 0.6848, 30.0},
    {45.4397, 4.3872, 20.0},
};
_Static_assert(sizeof dense_areas / sizeof dense_areas[0] < 128, "CM__MINUTES_AREA holds 7 bits");
_Static_assert(sizeof dense_areas / sizeof dense_areas[0] == 2 * CM__AREA_CORES,
               "a ring for each city, after the cities");

/* Places cut off by the sea or a mountain road, whose every trip out begins with a crossing
 * or the road out (an adviser's probe: Cilaos -> Saint-Denis timed 37 minutes, straight as a
 * crow, for two hours by the road of the cirque; Petite-Terre -> Mamoudzou without the
 * barge). Its minutes are added to a trip between it and anywhere else, by every mode; the
 * trip itself is timed as the crow flies, as all are. Discs hold no port of the mainland. */
static const struct {
    double lat, lon, radius_km;
    uint8_t minutes;
} isles[] = {
    {-21.1360, 55.4720, 7.0, 40},  /* cirque de Cilaos (Réunion): the RN5, 400 bends */
    {-21.0500, 55.5300, 7.0, 25},  /* cirque de Salazie (Réunion) */
    {-12.7900, 45.2800, 3.5, 30},  /* Petite-Terre (Mayotte): the barge to Mamoudzou */
    {15.9300, -61.2700, 11.0, 60}, /* Marie-Galante (Guadeloupe) */
    {15.8700, -61.6000, 4.0, 40},  /* Les Saintes (Guadeloupe) */
    {16.3200, -61.0700, 6.0, 40},  /* La Désirade (Guadeloupe) */
    {46.7100, -2.3400, 7.0, 45},   /* Île d'Yeu */
    {47.3300, -3.1700, 10.0, 50},  /* Belle-Île-en-Mer */
    {47.3900, -2.9600, 2.5, 45},   /* Houat */
    {47.3400, -2.8700, 2.0, 60},   /* Hoëdic */
    {47.6400, -3.4600, 5.0, 40},   /* Groix */
    {48.4600, -5.0900, 5.0, 80},   /* Ouessant */
    {48.3970, -4.9600, 2.0, 45},   /* Molène */
    {48.0380, -4.8500, 1.5, 60},   /* Sein */
    {48.7450, -4.0200, 2.4, 20},   /* Batz */
    {48.8500, -3.0000, 2.0, 15},   /* Bréhat */
    {46.0100, -1.1700, 1.8, 25},   /* Aix */
    /* by a bridge or round a bay, the road goes the long way (an adviser's probe: Le
     * Château-d'Oléron -> La Rochelle timed 46 minutes for an hour by the viaduct and
     * Rochefort; Crozon -> Brest 30 across the rade for 55 by Le Faou) */
    {45.9400, -1.2900, 13.0, 15}, /* Oléron (after Aix, inside its disc) */
    {48.2450, -4.4900, 10.0, 15}, /* presqu'île de Crozon */
};

/* Towns on a frequent TER line to another town or to a city above (an adviser's probe:
 * Thionville -> Metz, Colmar -> Mulhouse, Metz -> Nancy timed as coaches, 72, 91 and 103
 * minutes for rides of 20, 20 and 40): a disc round each station's town, after the rings and
 * the isles (a town in a ring keeps its ring's regional rail). */
static const struct {
    double lat, lon, radius_km;
} stations[] = {
    {49.1097, 6.1771, 6.0},  /* 0 Metz */
    {49.3579, 6.1683, 4.0},  /* 1 Thionville */
    {48.6897, 6.1744, 6.0},  /* 2 Nancy */
    {47.7420, 7.3429, 6.0},  /* 3 Mulhouse */
    {48.0794, 7.3585, 4.5},  /* 4 Colmar */
    {43.8367, 4.3601, 5.0},  /* 5 Nîmes */
    {43.9493, 4.8055, 5.0},  /* 6 Avignon */
    {49.4944, 0.1079, 6.0},  /* 7 Le Havre */
    {47.2735, -2.2138, 4.0}, /* 8 Saint-Nazaire */
    {47.4712, -0.5518, 5.0}, /* 9 Angers */
    {45.5646, 5.9178, 4.0},  /* 10 Chambéry */
    {50.2910, 2.7775, 4.0},  /* 11 Arras */
    {49.1829, -0.3707, 5.0}, /* 12 Caen */
    {49.2764, -0.7024, 3.0}, /* 13 Bayeux */
    {49.1439, 0.2265, 3.0},  /* 14 Lisieux */
    {49.2583, 4.0317, 5.0},  /* 15 Reims */
    {49.0406, 3.9591, 3.0},  /* 16 Épernay */
    {47.3220, 5.0415, 5.0},  /* 17 Dijon */
    {47.0260, 4.8400, 3.0},  /* 18 Beaune */
    {47.5861, 1.3359, 3.5},  /* 19 Blois */
    {47.9030, 1.9093, 5.0},  /* 20 Orléans */
    {44.6586, -1.1689, 4.0}, /* 21 Arcachon */
    {43.2951, -0.3708, 5.0}, /* 22 Pau */
    {43.2328, 0.0781, 4.0},  /* 23 Tarbes */
};
#define ST(i) (2 * CM__AREA_CORES + sizeof isles / sizeof isles[0] + 1 + (i))
/* The lines: two areas (a station's town, or a city by its core: CM__AREA_LYON...) and the
 * ride in minutes, station to station. */
static const struct {
    uint8_t a, b, ride;
} lines[] = {
    {ST(0), ST(1), 20},   {ST(0), ST(2), 40},   {ST(3), ST(4), 20},   {ST(4), 9, 30},
    {ST(3), 9, 55},       {2, 16, 45},          {3, 14, 50},          {ST(5), 11, 30},
    {ST(5), ST(6), 30},   {13, ST(7), 50},      {8, ST(8), 45},       {8, ST(9), 40},
    {12, ST(10), 45},     {4, ST(11), 40},      {ST(12), ST(13), 20}, {ST(12), ST(14), 30},
    {ST(15), ST(16), 25}, {ST(17), ST(18), 25}, {15, ST(19), 40},     {ST(20), ST(19), 40},
    {7, ST(21), 50},      {ST(22), ST(23), 35},
};
_Static_assert(ST(sizeof stations / sizeof stations[0]) <= 128, "CM__MINUTES_AREA holds 7 bits");

/* An area's disc: a dense network's core or a station's town (NULL otherwise). */
static bool area_disc(uint8_t area, double *lat, double *lon, double *radius_km)
{
    size_t n_st = sizeof stations / sizeof stations[0];
    if (area >= 1 && area <= CM__AREA_CORES) {
        *lat = dense_areas[area - 1].lat, *lon = dense_areas[area - 1].lon;
        *radius_km = dense_areas[area - 1].radius_km;
        return true;
    }
    if (area >= ST(0) && area < ST(n_st)) {
        size_t i = area - ST(0);
        *lat = stations[i].lat, *lon = stations[i].lon, *radius_km = stations[i].radius_km;
        return true;
    }
    return false;
}

double cm__rail_reach_km(const cm__score_config_t *cfg, uint8_t area, cm_geo_t loc, double minutes)
{
    double reach = 0;
    for (size_t i = 0; area && i < sizeof lines / sizeof lines[0]; i++) {
        uint8_t other = lines[i].a == area ? lines[i].b : lines[i].b == area ? lines[i].a : 0;
        double lat, lon, r;
        if (!other || lines[i].ride + cfg->rail_access_min > minutes ||
            !area_disc(other, &lat, &lon, &r))
            continue;
        cm_geo_t c = {(int32_t)lround(lat * 1e6), (int32_t)lround(lon * 1e6)};
        double d = cm__distance_km(loc, c) + r;
        reach = d > reach ? d : reach;
    }
    return reach;
}

uint8_t cm__rail_ride(uint8_t a, uint8_t b)
{
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        if ((lines[i].a == a && lines[i].b == b) || (lines[i].a == b && lines[i].b == a))
            return lines[i].ride;
    return 0;
}

uint8_t cm__isle_minutes(uint8_t area)
{
    size_t i = (size_t)area - 2 * CM__AREA_CORES - 1;
    return area > 2 * CM__AREA_CORES && i < sizeof isles / sizeof isles[0] ? isles[i].minutes : 0;
}

static bool in_disc(cm_geo_t loc, double lat, double lon, double radius_km)
{
    /* a degree of latitude is 111 km: most discs are far in latitude alone */
    if (fabs(loc.lat_e6 / 1e6 - lat) * 111.0 > radius_km + 1)
        return false;
    cm_geo_t c = {(int32_t)lround(lat * 1e6), (int32_t)lround(lon * 1e6)};
    return cm__distance_km(loc, c) <= radius_km;
}

uint8_t cm__dense_area(cm_geo_t loc)
{
    for (size_t i = 0; i < sizeof dense_areas / sizeof dense_areas[0]; i++)
        if (in_disc(loc, dense_areas[i].lat, dense_areas[i].lon, dense_areas[i].radius_km))
            return (uint8_t)(i + 1);
    for (size_t i = 0; i < sizeof isles / sizeof isles[0]; i++)
        if (in_disc(loc, isles[i].lat, isles[i].lon, isles[i].radius_km))
            return (uint8_t)(2 * CM__AREA_CORES + 1 + i);
    for (size_t i = 0; i < sizeof stations / sizeof stations[0]; i++)
        if (in_disc(loc, stations[i].lat, stations[i].lon, stations[i].radius_km))
            return (uint8_t)ST(i);
    return 0;
}

/* ---- Configuration ---- */

void cm__score_config_defaults(cm__score_config_t *cfg)
{
    static const double w[CM_F__COUNT] = {0.22, 0.18, 0.20, 0.13, 0.15, 0.07, 0.05};
    memset(cfg, 0, sizeof *cfg);
    memcpy(cfg->weight, w, sizeof w);
    cfg->mode[0] = (cm__mode_const_t){1.30, 50.0, 0.0}; /* car */
    cfg->mode[1] = (cm__mode_const_t){1.40, 18.0, 8.0}; /* transit */
    cfg->mode[2] = (cm__mode_const_t){1.25, 15.0, 0.0}; /* bike */
    cfg->mode[3] = (cm__mode_const_t){1.20, 4.5, 0.0};  /* walk */
    /* a moped or 50 cc scooter (45 km/h at most): 13 km in about 25 minutes, parked at the
     * door (an adviser's probe: timed as a bike, 1 h 06) */
    cfg->mode[4] = (cm__mode_const_t){1.25, 35.0, 1.0};
    /* transit in a dense network: 17.7 km across the Paris inner suburbs is 61 minutes (the
     * RER and metro's 55 to 65; 90 at the national average: an adviser's probe) */
    cfg->mode[CM__MODE_TRANSIT_DENSE] = (cm__mode_const_t){1.30, 25.0, 6.0};
    /* regional rail between a city and its ring (RER, Transilien, TER): Cergy -> Paris 15e
     * (27 km) 55 minutes, Évry -> Paris 13e (23 km) 48, Meaux -> Paris 10e (40 km) 77 (helpers'
     * probes: 92, 79 and 197 at the national average) */
    cfg->mode[CM__MODE_TRANSIT_RER] = (cm__mode_const_t){1.25, 45.0, 10.0};
    cfg->car_town_km = 5.0;
    cfg->car_town_speed = 30.0;
    cfg->car_rural_km = 20.0;
    cfg->car_rural_speed = 70.0;
    /* Auray -> Vannes (17.5 km) 49 min door to door, Le Robert -> Fort-de-France (14 km) 42:
     * an adviser's probe (TER 12 min plus the walks and the wait; the interurban bus 35-45) */
    cfg->transit_town_km = 4.0;
    cfg->transit_regional_speed = 45.0;
    cfg->rail_access_min = 25.0;
    cfg->commute_full_ratio = 0.0;
    cfg->commute_at_limit = 0.5;
    cfg->commute_exponent = 1.5;
    cfg->schedule_min_coverage = 0.75;
    cfg->experience_full_months = 24.0;
    /* "Expérience exigée" with no length: some experience, not two years (a helper's probe
     * shut out a candidate with a year of it) */
    cfg->experience_unstated_months = 6.0;
    cfg->hours_tolerance = 10.0;
    cfg->hours_flag = 10.0;
    cfg->experience_grace = 0.8;
    cfg->hours_flag_share = 0.25;
    cfg->contract_share = 0.5;
    cfg->reach_margin = 1.25;
    cfg->reach_extra_km = 2.0;
    cfg->reach_max_km = CM__REACH_MAX_KM;
    cfg->mobility_lever_km = 20.0;
    cfg->walk_anyone_minutes = 15.0;
    cfg->commute_long_minutes = 90.0;
    cfg->same_place_km = 0.5;
    cfg->commute_grace = 0.10;
    cfg->scored_max = CM__SCORED_MAX;
    cfg->text_shortlist = 4;
    cfg->neighbour_penalty = 0.05;
    cfg->access_penalty = 0.03;
    cfg->neighbour_rank_penalty = 0.01;
}

/* Read an optional number member into *dst, checking [lo, hi]. */
static int num_member(const cJSON *obj, const char *name, const char *path, double lo, double hi,
                      double *dst, cm_error *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!v)
        return 0;
    if (!cJSON_IsNumber(v) || !(v->valuedouble >= lo && v->valuedouble <= hi))
        return cm_error_set(err, CM_EINVAL, path, "%s must be a number in [%g, %g]", path, lo, hi);
    *dst = v->valuedouble;
    return 0;
}

static int check_keys(const cJSON *obj, const char *const *allowed, size_t n, const char *where,
                      cm_error *err)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, obj)
    {
        size_t i = 0;
        while (i < n && strcmp(it->string, allowed[i]) != 0)
            i++;
        if (i == n) /* a typo would otherwise silently keep a default */
            return cm_error_set(err, CM_EINVAL, it->string, "unknown key \"%s\" in %s", it->string,
                                where);
    }
    return 0;
}

static int config_parse(const cJSON *root, cm__score_config_t *cfg, cm_error *err)
{
    static const char *const top[] = {"weights",
                                      "modes",
                                      "car_town_km",
                                      "car_town_speed_kmh",
                                      "car_rural_km",
                                      "car_rural_speed_kmh",
                                      "transit_town_km",
                                      "transit_regional_speed_kmh",
                                      "rail_access_min",
                                      "commute_full_ratio",
                                      "commute_at_limit",
                                      "commute_exponent",
                                      "hours_flag",
                                      "experience_grace",
                                      "hours_flag_share",
                                      "schedule_min_coverage",
                                      "experience_full_months",
                                      "experience_unstated_months",
                                      "hours_tolerance",
                                      "contract_share",
                                      "reach_margin",
                                      "reach_extra_km",
                                      "reach_max_km",
                                      "mobility_lever_km",
                                      "walk_anyone_minutes",
                                      "commute_long_minutes",
                                      "same_place_km",
                                      "commute_grace",
                                      "scored_max",
                                      "text_shortlist",
                                      "neighbour_penalty",
                                      "access_penalty",
                                      "neighbour_rank_penalty"};
    char path[96];
    int rc;
    if (!cJSON_IsObject(root))
        return cm_error_set(err, CM_EINVAL, "", "scoring config must be a JSON object");
    if ((rc = check_keys(root, top, sizeof top / sizeof top[0], "scoring config", err)))
        return rc;
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(root, "weights");
    if (w) {
        if (!cJSON_IsObject(w))
            return cm_error_set(err, CM_EINVAL, "weights", "weights must be an object");
        if ((rc = check_keys(w, factor_names, CM_F__COUNT, "weights", err)))
            return rc;
        for (int f = 0; f < CM_F__COUNT; f++) {
            snprintf(path, sizeof path, "weights.%s", factor_names[f]);
            if ((rc = num_member(w, factor_names[f], path, 0, 100, &cfg->weight[f], err)))
                return rc;
        }
    }
    double sum = 0;
    for (int f = 0; f < CM_F__COUNT; f++)
        sum += cfg->weight[f];
    if (!(sum > 0))
        return cm_error_set(err, CM_EINVAL, "weights", "weights must not all be zero");
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(root, "modes");
    if (m) {
        if (!cJSON_IsObject(m))
            return cm_error_set(err, CM_EINVAL, "modes", "modes must be an object");
        const char *mode_names[CM__MODES + 2]; /* index = bit position of CM_MODE_* */
        for (int i = 0; i < CM__MODES; i++)
            mode_names[i] = cm_mode_name(1u << i);
        mode_names[CM__MODE_TRANSIT_DENSE] = "transit_dense";
        mode_names[CM__MODE_TRANSIT_RER] = "transit_rer";
        if ((rc = check_keys(m, mode_names, CM__MODES + 2, "modes", err)))
            return rc;
        static const char *const mk[] = {"detour", "speed_kmh", "wait_min"};
        for (int i = 0; i < CM__MODES + 2; i++) {
            const cJSON *mo = cJSON_GetObjectItemCaseSensitive(m, mode_names[i]);
            if (!mo)
                continue;
            if (!cJSON_IsObject(mo))
                return cm_error_set(err, CM_EINVAL, mode_names[i], "modes.%s must be an object",
                                    mode_names[i]);
            if ((rc = check_keys(mo, mk, 3, mode_names[i], err)))
                return rc;
            snprintf(path, sizeof path, "modes.%s.detour", mode_names[i]);
            if ((rc = num_member(mo, "detour", path, 1, 5, &cfg->mode[i].detour, err)))
                return rc;
            snprintf(path, sizeof path, "modes.%s.speed_kmh", mode_names[i]);
            if ((rc = num_member(mo, "speed_kmh", path, 0.5, 200, &cfg->mode[i].speed, err)))
                return rc;
            snprintf(path, sizeof path, "modes.%s.wait_min", mode_names[i]);
            if ((rc = num_member(mo, "wait_min", path, 0, 120, &cfg->mode[i].wait_min, err)))
                return rc;
        }
    }
    double scored = cfg->scored_max, shortlist = cfg->text_shortlist;
    if ((rc = num_member(root, "commute_full_ratio", "commute_full_ratio", 0, 0.99,
                         &cfg->commute_full_ratio, err)) ||
        (rc = num_member(root, "car_town_km", "car_town_km", 0, 100, &cfg->car_town_km, err)) ||
        (rc = num_member(root, "car_town_speed_kmh", "car_town_speed_kmh", 0.5, 200,
                         &cfg->car_town_speed, err)) ||
        (rc = num_member(root, "car_rural_km", "car_rural_km", 0, 300, &cfg->car_rural_km, err)) ||
        (rc = num_member(root, "car_rural_speed_kmh", "car_rural_speed_kmh", 0.5, 200,
                         &cfg->car_rural_speed, err)) ||
        (rc = num_member(root, "transit_town_km", "transit_town_km", 0, 300, &cfg->transit_town_km,
                         err)) ||
        (rc = num_member(root, "transit_regional_speed_kmh", "transit_regional_speed_kmh", 0.5, 200,
                         &cfg->transit_regional_speed, err)) ||
        (rc = num_member(root, "rail_access_min", "rail_access_min", 0, 120, &cfg->rail_access_min,
                         err)) ||
        (rc = num_member(root, "commute_at_limit", "commute_at_limit", 0, 1, &cfg->commute_at_limit,
                         err)) ||
        (rc = num_member(root, "commute_exponent", "commute_exponent", 0.25, 4,
                         &cfg->commute_exponent, err)) ||
        (rc = num_member(root, "hours_flag", "hours_flag", 1, CM_HOURS_MAX, &cfg->hours_flag,
                         err)) ||
        (rc = num_member(root, "experience_grace", "experience_grace", 0.5, 1,
                         &cfg->experience_grace, err)) ||
        (rc = num_member(root, "hours_flag_share", "hours_flag_share", 0, 1, &cfg->hours_flag_share,
                         err)) ||
        (rc = num_member(root, "schedule_min_coverage", "schedule_min_coverage", 0, 1,
                         &cfg->schedule_min_coverage, err)) ||
        (rc = num_member(root, "experience_full_months", "experience_full_months", 1,
                         CM_EXPERIENCE_MAX, &cfg->experience_full_months, err)) ||
        (rc = num_member(root, "experience_unstated_months", "experience_unstated_months", 1,
                         CM_EXPERIENCE_MAX, &cfg->experience_unstated_months, err)) ||
        (rc = num_member(root, "hours_tolerance", "hours_tolerance", 1, CM_HOURS_MAX,
                         &cfg->hours_tolerance, err)) ||
        (rc = num_member(root, "contract_share", "contract_share", 0, 1, &cfg->contract_share,
                         err)) ||
        (rc = num_member(root, "reach_margin", "reach_margin", 1, 3, &cfg->reach_margin, err)) ||
        (rc = num_member(root, "reach_extra_km", "reach_extra_km", 0, 50, &cfg->reach_extra_km,
                         err)) ||
        (rc = num_member(root, "reach_max_km", "reach_max_km", 1, 300, &cfg->reach_max_km, err)) ||
        (rc = num_member(root, "mobility_lever_km", "mobility_lever_km", 0, 120,
                         &cfg->mobility_lever_km, err)) ||
        (rc = num_member(root, "walk_anyone_minutes", "walk_anyone_minutes", 0, 60,
                         &cfg->walk_anyone_minutes, err)) ||
        (rc = num_member(root, "commute_long_minutes", "commute_long_minutes", 0, 600,
                         &cfg->commute_long_minutes, err)) ||
        (rc = num_member(root, "commute_grace", "commute_grace", 0, 0.5, &cfg->commute_grace,
                         err)) ||
        (rc =
             num_member(root, "same_place_km", "same_place_km", 0, 20, &cfg->same_place_km, err)) ||
        (rc = num_member(root, "scored_max", "scored_max", 100, 1e7, &scored, err)) ||
        (rc = num_member(root, "text_shortlist", "text_shortlist", 1, 20, &shortlist, err)) ||
        (rc = num_member(root, "neighbour_penalty", "neighbour_penalty", 0.001, 0.5,
                         &cfg->neighbour_penalty, err)) ||
        (rc = num_member(root, "access_penalty", "access_penalty", 0, 0.5, &cfg->access_penalty,
                         err)) ||
        (rc = num_member(root, "neighbour_rank_penalty", "neighbour_rank_penalty", 0, 0.1,
                         &cfg->neighbour_rank_penalty, err)))
        return rc;
    cfg->scored_max = (unsigned)scored;
    cfg->text_shortlist = (unsigned)shortlist;
    return 0;
}

int cm__score_config_load(const char *path, cm__score_config_t **out, cm_error *err)
{
    cm__score_config_t *cfg = malloc(sizeof *cfg);
    char *text = NULL;
    cJSON *root = NULL;
    FILE *f = NULL;
    int rc = 0;
    *out = NULL;
    if (!cfg)
        return cm_error_set(err, CM_ENOMEM, NULL, "out of memory");
    cm__score_config_defaults(cfg);
    if (!path)
        goto done;
    f = fopen(path, "rb");
    if (!f) {
        rc = cm_error_set(err, CM_EIO, NULL, "cannot open scoring config %s", path);
        goto fail;
    }
    text = malloc(65537);
    if (!text) {
        rc = cm_error_set(err, CM_ENOMEM, NULL, "out of memory");
        goto fail;
    }
    size_t len = fread(text, 1, 65537, f);
    if (ferror(f) || len > 65536) {
        rc = cm_error_set(err, ferror(f) ? CM_EIO : CM_EINVAL, NULL,
                          "scoring config %s unreadable or over 64 KiB", path);
        goto fail;
    }
    root = cJSON_ParseWithLength(text, len);
    if (!root) {
        rc = cm_error_set(err, CM_EINVAL, "", "scoring config %s is not valid JSON", path);
        goto fail;
    }
    if ((rc = config_parse(root, cfg, err)))
        goto fail;
done:
    cJSON_Delete(root);
    free(text);
    if (f)
        fclose(f);
    *out = cfg;
    return 0;
fail:
    cJSON_Delete(root);
    free(text);
    if (f)
        fclose(f);
    free(cfg);
    return rc;
}

void cm__score_config_free(cm__score_config_t *cfg)
{
    free(cfg);
}

