/* Places beyond the border that French care workers commute to: Geneva, Lausanne and Basel,
 * Luxembourg, Monaco, the Saarland and Baden, Belgium's border towns, Andorra, the Basque
 * coast, Ventimiglia. A post there is real work for the people of Annemasse, Thionville or
 * Menton, but not a French post: the diploma must be recognised (Croix-Rouge suisse, the
 * ministry of health's autorisation d'exercer in Luxembourg...), a work permit may be needed,
 * and hours and contracts are that country's (an adviser's probe: the CHL of Luxembourg and
 * the HUG of Geneva were matched as French posts, with no word). Also far from France's
 * mainland and its overseas départements altogether. HAND: a circle round each town. */
#include <math.h>
#include <stddef.h>

#include "referential_internal.h"
#include "score.h"

static const char *const countries[] = {NULL,      "Suisse",  "Luxembourg", "Allemagne", "Belgique",
                                        "Andorre", "Espagne", "Italie",     "étranger"};

/* Each circle stops short of the French towns beside it (Annemasse 7 km from Geneva,
 * Saint-Louis 4 km from Basel, Tourcoing 4 km from Mouscron, Audun-le-Tiche 3 km from Esch);
 * Monaco and Irun, whose French neighbours touch them, are left out. */
static const struct {
    double lat, lon, km;
    int country; /* countries[] */
} towns[] = {
    {46.2044, 6.1432, 4, 1},   /* Genève */
    {46.2340, 6.0800, 1.3, 1}, /* Meyrin (the CERN side) */
    {46.2170, 6.0850, 1.8, 1}, /* Vernier */
    {46.5197, 6.6323, 9, 1},   /* Lausanne */
    {46.3833, 6.2398, 4, 1},   /* Nyon */
    {47.5596, 7.5886, 2, 1},   /* Bâle */
    {47.1035, 6.8328, 4, 1},   /* La Chaux-de-Fonds */
    {46.9900, 6.9293, 5, 1},   /* Neuchâtel */
    {47.4157, 7.0756, 4, 1},   /* Porrentruy */
    {46.9480, 7.4474, 10, 1},  /* Berne */
    {47.3769, 8.5417, 15, 1},  /* Zurich */
    {49.6116, 6.1319, 10, 2},  /* Luxembourg */
    {49.4958, 5.9806, 1.2, 2}, /* Esch-sur-Alzette */
    {49.5242, 5.8914, 2.5, 2}, /* Differdange */
    {49.8475, 6.1042, 6, 2},   /* Ettelbruck */
    {49.2402, 6.9969, 3.5, 3}, /* Sarrebruck */
    {49.0069, 8.4037, 9, 3},   /* Karlsruhe */
    {47.9990, 7.8421, 8, 3},   /* Fribourg-en-Brisgau */
    {48.5686, 7.8152, 0.8, 3}, /* Kehl: the Rhine is a kilometre west */
    {50.8503, 4.3517, 14, 4},  /* Bruxelles */
    {50.6056, 3.3878, 5, 4},   /* Tournai */
    {50.7449, 3.2064, 1.5, 4}, /* Mouscron */
    {50.8281, 3.2649, 5, 4},   /* Courtrai */
    {50.4542, 3.9523, 6, 4},   /* Mons */
    {50.4108, 4.4446, 7, 4},   /* Charleroi */
    {50.4674, 4.8718, 8, 4},   /* Namur */
    {50.6326, 5.5797, 12, 4},  /* Liège */
    {49.6833, 5.8167, 4, 4},   /* Arlon */
    {42.5063, 1.5218, 6, 5},   /* Andorre-la-Vieille */
    {43.3183, -1.9812, 6, 6},  /* Saint-Sébastien */
    {41.3874, 2.1686, 15, 6},  /* Barcelone */
    {43.7915, 7.6083, 3, 7},   /* Vintimille */
    {45.0703, 7.6869, 15, 7},  /* Turin */
};

/* Within one of France's boxes: the mainland with Corsica, and each overseas territory. */
static bool in_france_box(double lat, double lon)
{
    static const double box[][4] = {
        {41.3, 51.2, -5.3, 9.7},        /* mainland, Corsica */
        {15.8, 16.6, -61.9, -60.9},     /* Guadeloupe */
        {14.3, 14.9, -61.3, -60.8},     /* Martinique */
        {2.0, 6.0, -54.7, -51.5},       /* Guyane */
        {-21.5, -20.8, 55.1, 55.9},     /* La Réunion */
        {-13.1, -12.6, 44.9, 45.4},     /* Mayotte */
        {46.7, 47.2, -56.5, -56.1},     /* Saint-Pierre-et-Miquelon */
        {17.8, 18.2, -63.2, -62.7},     /* Saint-Martin, Saint-Barthélemy */
        {-23.0, -8.0, -155.0, -134.0},  /* Polynésie */
        {-23.0, -19.5, 163.5, 168.5},   /* Nouvelle-Calédonie */
        {-14.5, -13.1, -178.3, -176.0}, /* Wallis-et-Futuna */
    };
    for (size_t i = 0; i < sizeof box / sizeof box[0]; i++)
        if (lat >= box[i][0] && lat <= box[i][1] && lon >= box[i][2] && lon <= box[i][3])
            return true;
    return false;
}

const char *cm__abroad_name(int country)
{
    return country > 0 && (size_t)country < sizeof countries / sizeof countries[0]
               ? countries[country]
               : NULL;
}

int cm__abroad(cm_geo_t loc)
{
    for (size_t i = 0; i < sizeof towns / sizeof towns[0]; i++) {
        cm_geo_t t = {(int32_t)lround(towns[i].lat * 1e6), (int32_t)lround(towns[i].lon * 1e6)};
        if (cm__distance_km(loc, t) <= towns[i].km)
            return towns[i].country;
    }
    return in_france_box(loc.lat_e6 / 1e6, loc.lon_e6 / 1e6) ? 0 : 8; /* "étranger" */
}
