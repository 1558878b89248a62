/* France Travail offers read against the referentials: which ROME version the offer's code is
 * in (4.0 since 2024, v3 before) and its job title; where the offer is (coordinates, INSEE
 * commune, postcode, a commune named by the libelle), refusing offers placed only at
 * département or région level. Part of the mapper (francetravail.c). */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "carematch/record.h"
#include "carematch/referential.h"
#include "ft_internal.h"
#include "record_internal.h"
#include "referential_internal.h"

/* Offers created before this are ROME v3, from the second on 4.0; in between (October 2023
 * to June 2024) France Travail mixed both and the label decides. */
#define ROME_V3_BEFORE "2023-10-01"
#define ROME_V4_FROM "2024-07-01"

static bool same_label(const char *a, const char *b)
{
    char na[256], nb[256];
    cm_ref_normalise(a, na, sizeof na);
    cm_ref_normalise(b, nb, sizeof nb);
    return strcmp(na, nb) == 0;
}

/* -1 when dateCreation is absent or no date, else days since 1970. */
static long created_days(const cJSON *ft)
{
    const char *s = cm__ft_get_str(ft, "dateCreation");
    int32_t d;
    return s && strlen(s) >= 10 && cm_date_parse(s, 10, &d) ? (long)d : -1;
}

static long date_days(const char *iso)
{
    int32_t d = 0;
    cm_date_parse(iso, 10, &d);
    return d;
}

/* The reading of a code of both versions that the offer's title supports: 4 (ROME 4.0: a job
 * title suggested for it is under the code), 3 (v3: under a code its v3 titles went to), 0
 * (neither, or both). "Aide médico-psychologique (H/F)" under K1301 in the months both versions
 * ran is v3 K1301 (AMP), not 4.0 K1301 "Educateur en locomotion". */
static int title_reading(const cJSON *ft, const char *code)
{
    const char *title = cm__ft_get_str(ft, "intitule");
    if (!title)
        return 0;
    char q[CM_SUGGEST_QUERY_MAX];
    snprintf(q, sizeof q, "%s", title);
    q[strcspn(q, "(")] = '\0'; /* "(H/F)", "(e)" and what follows name no trade */
    for (char *g = q; (g = strchr(g, '/')) != NULL; g++)
        if (g > q && strchr("hHfF", g[-1]) && strchr("hHfF", g[1]) && (g - 1 == q || g[-2] == ' '))
            g[-1] = '\0'; /* " H/F" */
    cm_rome_suggestion_t sg[10];
    size_t n = cm_rome_suggest(q, sg, 10);
    cm_rome_v3_target_t t[CM_ROMES_MAX];
    size_t nt = cm_rome_v3_to_v4(code, t, CM_ROMES_MAX);
    bool as4 = false, as3 = false;
    for (size_t i = 0; i < n && i < 10; i++) {
        as4 |= strcmp(sg[i].title.rome, code) == 0;
        for (size_t k = 0; k < nt && k < CM_ROMES_MAX; k++)
            as3 |= strcmp(sg[i].title.rome, t[k].code) == 0 && strcmp(t[k].code, code) != 0;
    }
    return as4 == as3 ? 0 : as4 ? 4 : 3;
}

int cm__ft_rome(const cJSON *ft, cJSON *o, cm__ft_ctx_t *c)
{
    const char *code = cm__ft_get_str(ft, "romeCode"), *lib = cm__ft_get_str(ft, "romeLibelle");
    const char *app = cm__ft_get_str(ft, "appellationlibelle");
    bool formed = code && strlen(code) == 5 && isupper((unsigned char)code[0]) &&
                  strspn(code + 1, "0123456789") == 4;
    cm_rome_t r4;
    const char *v3label = NULL;
    bool in4 = formed && cm_rome_find(code, &r4) == 0;
    bool in3 = formed && cm_rome_v3_label(code, &v3label) == 0;
    cm_rome_title_t t;
    bool titled = app && cm_rome_title_by_label(app, &t) == 0;
    if (app && !titled)
        cm__ft_find(c, CM_FT_LOST, "job_title_unknown", "appellationlibelle", app,
                    "not a job title of the ROME referential: no job_title");
    if (!in4 && !in3) {
        if (!titled) {
            cm__ft_find(c, CM_FT_REJECT, "rome_unknown", "romeCode", code,
                        "neither a ROME 4.0 nor a ROME v3 code, and no known job title");
            return CM_EINVAL;
        }
        cm__ft_find(c, CM_FT_GUESS, "rome_from_job_title", "romeCode", code,
                    "unknown code: the job title %u (%s) gives the trade", (unsigned)t.ogr, t.rome);
        return cJSON_AddNumberToObject(o, "job_title", t.ogr) ? 0 : CM_ENOMEM;
    }
    bool v3;
    int reading;
    const char *why = NULL;
    long created = created_days(ft);
    /* the job title was under this code in ROME v3 and is under another in 4.0: the code is
     * its v3 one, whatever romeLibelle says ("Aide médico-psychologique" with K1301 and
     * K1301's 4.0 label, "Éducateur en locomotion": a probe matched an AMP offer as that) */
    bool title_v3 = titled && in3 && t.v3 && strcmp(t.v3, code) == 0 && strcmp(t.rome, code) != 0;
    if (lib && in4 && same_label(lib, r4.label) && !title_v3) {
        v3 = false;
    } else if (lib && in3 && same_label(lib, v3label)) {
        v3 = true, why = "romeLibelle is the code's ROME v3 label";
    } else if (titled && in4 && strcmp(t.rome, code) == 0) {
        v3 = false;
    } else if (title_v3 || (titled && in3 && t.v3 && strcmp(t.v3, code) == 0)) {
        v3 = true, why = "the job title (appellationlibelle) was under this code in ROME v3";
    } else if (!in4) {
        v3 = true, why = "not a ROME 4.0 code";
    } else if (!in3) {
        v3 = false;
    } else if ((reading = title_reading(ft, code)) != 0) {
        v3 = reading == 3;
        why = "the offer's title names a trade of the code's ROME v3 reading";
    } else if (created >= 0 && created < date_days(ROME_V3_BEFORE)) {
        v3 = true, why = "created before " ROME_V3_BEFORE ", when France Travail used ROME v3";
    } else {
        v3 = false;
        if (created >= 0 && created < date_days(ROME_V4_FROM))
            cm__ft_find(c, CM_FT_GUESS, "rome_version_guessed", "romeCode", code,
                        "a code of both versions, created while France Travail mixed them: "
                        "read as ROME 4.0");
    }
    if (v3)
        cm__ft_find(c, CM_FT_GUESS, "rome_v3", "romeCode", code,
                    "read as ROME v3 (%s): the record layer translates it", why);
    if (!cJSON_AddStringToObject(o, "rome", code) ||
        (v3 && !cJSON_AddStringToObject(o, "rome_version", "v3")))
        return CM_ENOMEM;
    if (titled) {
        bool agrees = v3 ? t.v3 && strcmp(t.v3, code) == 0 : strcmp(t.rome, code) == 0;
        if (!agrees)
            cm__ft_find(c, CM_FT_LOST, "job_title_mismatch", "appellationlibelle", app,
                        "a job title of %s, not of the offer's %s: no job_title", t.rome, code);
        else if (!cJSON_AddNumberToObject(o, "job_title", t.ogr))
            return CM_ENOMEM;
    }
    return 0;
}

/* ---- place ---- */

/* Normalised words of s but its articles, sorted, joined by spaces ("Savoie (Haute)" ->
 * "haute savoie", "974 - Réunion" as "La Réunion": a helper's probe placed it at the island's
 * centre). */
static void word_set(const char *s, char *out, size_t cap)
{
    char n[128], *w[16];
    cm_ref_normalise(s, n, sizeof n);
    int k = 0;
    char *save = NULL; /* strtok_r: the engine is a library, callers may be threads */
    for (char *p = strtok_r(n, " ", &save); p && k < 16; p = strtok_r(NULL, " ", &save))
        if (strcmp(p, "la") && strcmp(p, "le") && strcmp(p, "les") && strcmp(p, "l"))
            w[k++] = p;
    for (int i = 1; i < k; i++)
        for (int j = i; j > 0 && strcmp(w[j - 1], w[j]) > 0; j--) {
            char *t = w[j];
            w[j] = w[j - 1];
            w[j - 1] = t;
        }
    size_t o = 0;
    out[0] = '\0';
    for (int i = 0; i < k && o + strlen(w[i]) + 2 < cap; i++)
        o += (size_t)snprintf(out + o, cap - o, "%s%s", i ? " " : "", w[i]);
}

/* Is the libelle's name a département or a région rather than a commune? "74 - Savoie
 * (Haute)", "38 - Isère", "974 - Région Est et Ouest", "Ile-de-France" (no "NN - " at all).
 * Paris (75) is a commune and a département at once: a commune. */
static bool area_level(const char *dep, const char *name)
{
    if (!dep)
        return true;
    char ws[128], wd[128], n[128];
    cm_ref_normalise(name, n, sizeof n);
    if (strstr(n, "region") || strstr(n, "departement") || strstr(n, " dept") ||
        strncmp(n, "dept", 4) == 0 || strcmp(n, "france") == 0)
        return true;
    word_set(name, ws, sizeof ws);
    for (size_t i = 0; i < cm__dept_count(); i++) {
        const cm__dept_t *d = cm__dept_at(i);
        if (strcmp(d->code, "75") == 0)
            continue;
        word_set(d->name, wd, sizeof wd);
        if (strcmp(ws, wd) == 0)
            return true;
    }
    return false;
}

/* A commune of département `dep` whose name is exactly `name` (normalised). */
static bool commune_named(const char *dep, const char *name, cm_commune_t *out)
{
    cm_commune_t cs[40];
    char want[128], got[128];
    cm_ref_normalise(name, want, sizeof want);
    size_t n = cm_commune_suggest(name, cs, sizeof cs / sizeof cs[0]);
    for (size_t i = 0; i < n && i < sizeof cs / sizeof cs[0]; i++) {
        cm_ref_normalise(cs[i].name, got, sizeof got);
        if (strcmp(want, got) == 0 && strcmp(cs[i].dep, dep) == 0) {
            *out = cs[i];
            return true;
        }
    }
    return false;
}

/* La Poste's abbreviations spelled out: "ST PIERRE" -> "SAINT PIERRE", "STE-MARIE" ->
 * "SAINTE-MARIE" (France Travail's libelles come from that base). False if none was found. */
static bool saints_spelled(const char *name, char *out, size_t cap)
{
    size_t o = 0;
    bool any = false;
    for (const char *p = name; *p && o + 8 < cap;) {
        bool start = p == name || p[-1] == ' ' || p[-1] == '-' || p[-1] == '\'';
        size_t w = strcspn(p, " -'");
        if (start && (w == 2 || w == 3) && strncasecmp(p, "st", 2) == 0 &&
            (w == 2 || tolower((unsigned char)p[2]) == 'e')) {
            const char *full = w == 2 ? "SAINT" : "SAINTE";
            memcpy(out + o, full, strlen(full));
            o += strlen(full);
            p += w;
            any = true;
            continue;
        }
        out[o++] = *p++;
    }
    out[o] = '\0';
    return any;
}

/* Coordinates as numbers, or as strings in some exports. 1 given, 0 absent, -1 unusable. */
static int coordinates(const cJSON *lieu, double *lat, double *lon)
{
    const cJSON *a = cm__ft_get(lieu, "latitude"), *b = cm__ft_get(lieu, "longitude");
    if (!a && !b)
        return 0;
    if (cJSON_IsNumber(a) && cJSON_IsNumber(b)) {
        *lat = a->valuedouble;
        *lon = b->valuedouble;
    } else if (cJSON_IsString(a) && cJSON_IsString(b)) {
        char *e1, *e2;
        *lat = strtod(a->valuestring, &e1);
        *lon = strtod(b->valuestring, &e2);
        if (e1 == a->valuestring || e2 == b->valuestring)
            return -1;
    } else {
        return -1;
    }
    return *lat >= -90 && *lat <= 90 && *lon >= -180 && *lon <= 180 ? 1 : -1;
}

/* The cities with arrondissements: name, whole city's INSEE code, how many, and the INSEE
 * code of the k-th (from 1). */
static const struct {
    const char *city, *whole;
    int max;
    const char *fmt;
} cities[] = {{"paris", "75056", 20, "751%02d"},
              {"marseille", "13055", 16, "132%02d"},
              {"lyon", "69123", 9, "6938%d"}};

/* La Poste's names of arrondissements, as France Travail's libelles carry them: "PARIS 15",
 * "MARSEILLE 01", "LYON 3E", "Paris 8eme". */
static bool arrondissement_named(const char *name, cm_commune_t *out)
{
    char n[64];
    cm_ref_normalise(name, n, sizeof n);
    for (size_t i = 0; i < sizeof cities / sizeof cities[0]; i++) {
        size_t l = strlen(cities[i].city);
        if (strncmp(n, cities[i].city, l) != 0 || n[l] != ' ' || !isdigit((unsigned char)n[l + 1]))
            continue;
        char *end;
        long k = strtol(n + l + 1, &end, 10);
        if (k < 1 || k > cities[i].max)
            return false;
        if (*end && strcmp(end, "e") && strcmp(end, "er") && strcmp(end, "eme") &&
            strcmp(end, "e arrondissement") && strcmp(end, "er arrondissement"))
            return false;
        char code[8];
        snprintf(code, sizeof code, cities[i].fmt, (int)k);
        return cm_commune_by_insee(code, out) == 0;
    }
    return false;
}

/* Coordinates this far from the commune's reference point are someone's mistake (a latitude's
 * sign lost in a DOM, a position from another record): the largest communes (French Guiana)
 * span about 100 km from their point. */
#define FAR_FROM_COMMUNE_KM 120

static bool far_from_commune(double lat, double lon, const cm_commune_t *com)
{
    /* flat-earth at this scale: a few km off at 120 km, plenty for a blunder's distance */
    double dy = (lat - com->lat) * 111.2, dlon = fabs(lon - com->lon);
    double dx = (dlon > 180 ? 360 - dlon : dlon) * 111.2 * cos(com->lat * M_PI / 180);
    return dx * dx + dy * dy > (double)FAR_FROM_COMMUNE_KM * FAR_FROM_COMMUNE_KM;
}

/* The arrondissement of a whole city's code (75056, 69123, 13055) nearest to a position:
 * the offer's coordinates say which (a probe: "13 - MARSEILLE" with the 5e's coordinates was
 * stored in the 1er, its postcode 13001). */
static bool nearest_arrondissement(const char *city, double lat, double lon, cm_commune_t *out)
{
    for (size_t k = 0; k < sizeof cities / sizeof cities[0]; k++) {
        if (strcmp(city, cities[k].whole) != 0)
            continue;
        double best = -1;
        for (int a = 1; a <= cities[k].max; a++) {
            char code[8];
            cm_commune_t com;
            snprintf(code, sizeof code, cities[k].fmt, a);
            if (cm_commune_by_insee(code, &com) != 0)
                continue;
            double dy = lat - com.lat, dx = (lon - com.lon) * cos(lat * M_PI / 180);
            if (best < 0 || dx * dx + dy * dy < best) {
                best = dx * dx + dy * dy;
                *out = com;
            }
        }
        return best >= 0;
    }
    return false;
}

int cm__ft_place(const cJSON *ft, cJSON *o, cm__ft_ctx_t *c)
{
    const cJSON *lieu = cm__ft_get(ft, "lieuTravail");
    double lat = 0, lon = 0;
    int coords = coordinates(lieu, &lat, &lon);
    if (coords > 0 && lat == 0 && lon == 0)
        coords = -1; /* 0, 0 (in the Gulf of Guinea): a missing position written as zeros */
    const char *lib = cm__ft_get_str(lieu, "libelle"), *cp = cm__ft_get_str(lieu, "codePostal");
    const char *insee = cm__ft_get_str(lieu, "commune");
    /* "74 - ANNECY" -> département 74, name ANNECY */
    char dep[4] = "";
    const char *name = lib;
    const char *dash = lib ? strstr(lib, " - ") : NULL;
    if (dash && dash - lib >= 2 && dash - lib <= 3) {
        memcpy(dep, lib, (size_t)(dash - lib));
        dep[dash - lib] = '\0';
        name = dash + 3;
    }
    cm_commune_t com;
    bool has_com = insee && cm_commune_by_insee(insee, &com) == 0;
    /* the whole city's code (75056): no commune of its own; its centre only when neither the
     * postcode nor the libelle says the arrondissement */
    const char *centre = insee && !has_com ? cm__city_centre(insee, NULL) : NULL;
    if (centre)
        insee = NULL;
    if (insee && !has_com)
        cm__ft_find(c, CM_FT_LOST, "commune_unknown", "lieuTravail.commune", insee,
                    "not an INSEE commune code of the referential");
    bool cp_form = cp && strlen(cp) == 5 && strspn(cp, "0123456789") == 5;
    bool has_cp = cp_form && cm_commune_by_postcode(cp, NULL, 0) > 0;
    bool area = lib && area_level(dep[0] ? dep : NULL, name);
    bool by_name = false;
    char spelled[160];
    if (!has_com && !has_cp && lib && !area &&
        (arrondissement_named(name, &com) || commune_named(dep, name, &com) ||
         (saints_spelled(name, spelled, sizeof spelled) && commune_named(dep, spelled, &com))))
        by_name = has_com = true;
    /* a postcode without a known commune code (none, the whole city's 75056, or a wrong one):
     * its commune when it has only one, or the one the libelle names among its communes; the
     * record then says its commune even when coordinates place it (Paris 15e: 75115) */
    cm_place_t by_cp;
    if (!has_com && has_cp && cm_place(cp, lib && !area ? name : NULL, &by_cp) == 0 &&
        by_cp.how != CM_PLACE_DEFAULT) {
        com = by_cp.commune;
        has_com = true;
    }
    const char *city = cm__ft_get_str(lieu, "commune");
    if (!has_com && !has_cp && centre && coords > 0 &&
        nearest_arrondissement(city, lat, lon, &com) && !far_from_commune(lat, lon, &com)) {
        has_com = true;
        cm__ft_find(c, CM_FT_GUESS, "place_arrondissement_by_position", "lieuTravail.commune", city,
                    "the whole city's code, no arrondissement said: the one nearest the "
                    "coordinates, %s",
                    com.insee);
    }
    if (!has_com && !has_cp && centre && cm_commune_by_insee(centre, &com) == 0) {
        has_com = true;
        cm__ft_find(c, CM_FT_GUESS, "place_city_centre", "lieuTravail.commune", centre,
                    "the whole city's code, and no arrondissement said: placed in its central "
                    "arrondissement %s",
                    centre);
    }
    if (coords > 0 && has_com && far_from_commune(lat, lon, &com)) {
        cm__ft_find(c, CM_FT_LOST, "coordinates_ignored", "lieuTravail.latitude", NULL,
                    "%.5f, %.5f is over %d km from commune %s: placed at the commune", lat, lon,
                    FAR_FROM_COMMUNE_KM, com.insee);
        coords = 0;
    }
    if (coords < 0 && (has_com || has_cp)) {
        cm__ft_find(c, CM_FT_LOST, "coordinates_ignored", "lieuTravail.latitude", NULL,
                    "latitude/longitude not numbers, out of range or 0, 0: placed by the %s",
                    has_com ? "commune" : "postcode");
        coords = 0;
    } else if (coords < 0) {
        cm__ft_find(c, CM_FT_REJECT, "coordinates_invalid", "lieuTravail.latitude", NULL,
                    "latitude/longitude not numbers, out of range or 0, 0, and no known "
                    "commune or postcode");
        return CM_EINVAL;
    }
    if (cp && !cp_form)
        cm__ft_find(c, CM_FT_LOST, "postcode_invalid", "lieuTravail.codePostal", cp,
                    "not a 5-digit postcode");
    else if (cp && !has_cp)
        cm__ft_find(c, CM_FT_LOST, "postcode_unknown", "lieuTravail.codePostal", cp,
                    coords > 0 ? "unknown postcode: kept, the coordinates place the offer"
                    : has_com  ? "unknown postcode: left out, the commune places the offer"
                               : "unknown postcode: cannot place the offer");
    if (!has_com && !has_cp) {
        if (area) {
            cm__ft_find(c, CM_FT_REJECT, "place_department_only", "lieuTravail.libelle", lib,
                        "placed at département or région level only%s: a centre point would "
                        "make a false commute",
                        coords ? " (its coordinates are that area's centre)" : "");
            return CM_EINVAL;
        }
        if (!coords) {
            bool given = insee || cp || lib;
            cm__ft_find(c, CM_FT_REJECT, given ? "place_unknown" : "place_missing", "lieuTravail",
                        given ? (lib     ? lib
                                 : insee ? insee
                                         : cp)
                              : NULL,
                        given ? "no coordinates and no known commune or postcode"
                              : "no coordinates, commune or postcode");
            return CM_EINVAL;
        }
    }
    cJSON *loc = cJSON_AddObjectToObject(o, "location");
    if (!loc)
        return CM_ENOMEM;
    if (coords &&
        (!cJSON_AddNumberToObject(loc, "lat", lat) || !cJSON_AddNumberToObject(loc, "lon", lon)))
        return CM_ENOMEM;
    if (by_name && !coords)
        cm__ft_find(c, CM_FT_GUESS, "place_from_libelle", "lieuTravail.libelle", lib,
                    "no coordinates or codes: placed at commune %s named by the libelle",
                    com.insee);
    if (has_com && !cJSON_AddStringToObject(loc, "commune", com.insee))
        return CM_ENOMEM;
    if ((coords ? cp_form : has_cp) && !cJSON_AddStringToObject(loc, "postcode", cp))
        return CM_ENOMEM;
    /* a commune with no postcode given: its own when it has a single one (Paris 11e: 75011) */
    char one[2][6];
    if (has_com && !(coords ? cp_form : has_cp) && cm_commune_postcodes(com.insee, one, 2) == 1 &&
        !cJSON_AddStringToObject(loc, "postcode", one[0]))
        return CM_ENOMEM;
    /* The commune's own name when it is known, or the postcode's only commune's ("Saint-Denis",
     * not La Poste's "ST DENIS" that the libelle carries: searches type the name), else the
     * libelle's. */
    cm_commune_t only[2];
    const char *own = has_com                                                     ? com.name
                      : has_cp && cm_commune_by_postcode(cp, only, 2) == 1 && lib ? only[0].name
                                                                                  : NULL;
    if (own ? !cJSON_AddStringToObject(loc, "city", own)
            : lib && !area &&
                  !cm__ft_add_text(loc, "city", name, CM_LABEL_MAX, false, c,
                                   "lieuTravail.libelle"))
        return CM_ENOMEM;
    return 0;
}
