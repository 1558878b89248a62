/* Record fields checked and resolved against the referentials (referential.h): ROME 4.0 codes,
 * legacy ROME v3 codes translated through their job titles, job titles (OGR code or label),
 * and positions given as an INSEE commune code or a postcode instead of coordinates. Used by
 * the JSON decoder (record.c); every error names the field at fault. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carematch/referential.h"
#include "record_internal.h"

/* Below this share of a v3 code's job titles, a ROME 4.0 code is not one of the wishes the v3
 * code stands for (a stray title or two): see README "ROME 4.0". v3 K1301's AES/AMP titles
 * are 14 % of them, and they are what a care candidate coded K1301 meant. */
#define V3_WISH_MIN_SHARE 0.10
#define TITLE_WORDS_TRIED 3 /* offer title words tried as a job-title query, longest first */

int cm__rome_version(const cJSON *root, bool *v3, cm_error *err)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(root, "rome_version");
    *v3 = false;
    if (!it)
        return 0;
    if (cJSON_IsString(it) && strcmp(it->valuestring, "4.0") == 0)
        return 0;
    if (cJSON_IsString(it) && strcmp(it->valuestring, "v3") == 0) {
        *v3 = true;
        return 0;
    }
    return cm_error_set(err, CM_EINVAL, "rome_version",
                        "rome_version must be \"4.0\" (the default) or \"v3\"");
}

int cm__rome_check(const char code[6], const char *path, cm_error *err)
{
    if (cm_rome_valid(code))
        return 0;
    return cm_error_set(err, CM_EINVAL, path,
                        "%s: %s is not a ROME 4.0 code (France Travail's referential since "
                        "2024; say \"rome_version\": \"v3\" for legacy codes)",
                        path, code);
}

/* The v3 code's ROME 4.0 targets, most titles first; CM_EINVAL when it has none. */
static int v3_targets(const char code[6], const char *path, cm_rome_v3_target_t *t, size_t max,
                      size_t *n, cm_error *err)
{
    size_t total = cm_rome_v3_to_v4(code, t, max);
    if (total == 0)
        return cm_error_set(err, CM_EINVAL, path, "%s: %s is not a ROME v3 code", path, code);
    *n = total < max ? total : max;
    return 0;
}

/* Drop the one-letter words of a normalised title, in place: the gender marks "H/F",
 * "(e)" name no trade, and "aes h" would be taken for the start of "AESH". */
static size_t drop_letters(char *q, size_t len)
{
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        size_t j = i;
        while (j < len && q[j] != ' ')
            j++;
        if (j - i > 1) {
            if (o)
                q[o++] = ' ';
            memmove(q + o, q + i, j - i);
            o += j - i;
        }
        i = j < len ? j + 1 : j;
    }
    q[o] = '\0';
    return o;
}

/* The first suggestion for the offer's title (its first words, longest first) whose code is
 * one of the v3 code's targets: "Aide médico-psychologique (H/F)" under v3 K1301 is K1306,
 * "AES (H/F)" too (not K2113, AESH). */
static const char *target_of_title(const char *title, const cm_rome_v3_target_t *t, size_t nt)
{
    char q[CM_SUGGEST_QUERY_MAX];
    cm_rome_suggestion_t sg[20];
    size_t len = drop_letters(q, cm_ref_normalise(title, q, sizeof q));
    for (int words = TITLE_WORDS_TRIED; words >= 1 && len > 0; words--) {
        size_t cut = 0;
        for (int w = 0; cut < len && w < words; w++) { /* end of the first `words` words */
            while (cut < len && q[cut] == ' ')
                cut++;
            while (cut < len && q[cut] != ' ')
                cut++;
        }
        q[cut] = '\0';
        size_t n = cm_rome_suggest(q, sg, sizeof sg / sizeof sg[0]);
        for (size_t i = 0; i < n && i < sizeof sg / sizeof sg[0]; i++)
            for (size_t k = 0; k < nt; k++)
                if (strcmp(sg[i].title.rome, t[k].code) == 0)
                    return t[k].code;
    }
    return NULL;
}

/* The target a v3 code's offers went to when the title names none: the one most of its job
 * titles went to, save where France Travail's offers were not spread as the titles are. v3
 * K1301 "Accompagnement médicosocial" was the AMP/AES code (4.0 K1306), though 11 of its 14
 * titles stayed with 4.0 K1301 "Educateur en locomotion", a rare trade. */
static const char *by_volume(const char code[6], const cm_rome_v3_target_t *t, size_t n)
{
    static const char *const offers_went[][2] = {{"K1301", "K1306"}};
    for (size_t i = 0; i < sizeof offers_went / sizeof offers_went[0]; i++)
        for (size_t k = 0; k < n && strcmp(code, offers_went[i][0]) == 0; k++)
            if (strcmp(t[k].code, offers_went[i][1]) == 0)
                return t[k].code;
    return t[0].code;
}

int cm__rome_from_v3(char code[6], uint32_t job_title, const char *title, const char *path,
                     cm_error *err)
{
    const char *v4 = NULL;
    if (job_title && cm_rome_v3_title_to_v4(job_title, &v4) == 0 && v4) {
        memcpy(code, v4, 6); /* the job title says which trade the v3 code meant */
        return 0;
    }
    cm_rome_v3_target_t t[CM_ROMES_MAX];
    size_t n = 0;
    int rc = v3_targets(code, path, t, CM_ROMES_MAX, &n, err);
    if (rc)
        return rc;
    v4 = title ? target_of_title(title, t, n) : NULL;
    memcpy(code, v4 ? v4 : by_volume(code, t, n), 6);
    return 0;
}

/* Append code to the set out[0..*n) unless present; CM_EINVAL past max. */
static int add_code(char (*out)[6], size_t *n, size_t max, const char *code, const char *path,
                    cm_error *err)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(out[i], code) == 0)
            return 0;
    if (*n == max)
        return cm_error_set(err, CM_EINVAL, path, "more than %zu ROME codes once translated",
                            max);
    memcpy(out[(*n)++], code, 6);
    return 0;
}

int cm__romes_add_v3(const char v3code[6], char (*out)[6], size_t *n, size_t max,
                     const char *path, cm_error *err)
{
    cm_rome_v3_target_t t[CM_ROMES_MAX];
    size_t nt = 0;
    int rc = v3_targets(v3code, path, t, CM_ROMES_MAX, &nt, err);
    for (size_t i = 0; rc == 0 && i < nt; i++)
        if (i == 0 || t[i].share >= V3_WISH_MIN_SHARE)
            rc = add_code(out, n, max, t[i].code, path, err);
    return rc;
}

int cm__romes_add(const char code[6], char (*out)[6], size_t *n, size_t max, const char *path,
                  cm_error *err)
{
    return add_code(out, n, max, code, path, err);
}

int cm__title_take(const cJSON *it, const char *path, uint32_t *ogr, char rome[6],
                   cm_error *err)
{
    cm_rome_title_t t;
    int rc = CM_ENOTFOUND;
    const cJSON *whole = cJSON_IsObject(it) ? it : NULL;
    if (whole) /* the echoed form {"ogr": 38561, "label": ..., "rome": ...} */
        it = cJSON_GetObjectItemCaseSensitive(it, "ogr");
    if (cJSON_IsNumber(it)) {
        double v = it->valuedouble;
        if (v >= 1 && v <= 9999999 && v == floor(v))
            rc = cm_rome_title_by_ogr((uint32_t)v, &t);
    } else if (cJSON_IsString(it)) {
        const char *s = it->valuestring;
        char *end;
        unsigned long v = strtoul(s, &end, 10);
        if (*s >= '0' && *s <= '9' && *end == '\0')
            rc = v >= 1 && v <= 9999999 ? cm_rome_title_by_ogr((uint32_t)v, &t) : CM_ENOTFOUND;
        else /* a label, an acronym ("AES", "ASH"), whole words of a title ("infirmière") */
            rc = cm_rome_title_resolve(s, &t);
    } else {
        return cm_error_set(err, CM_EINVAL, path,
                            "%s must be a job title: its OGR code, its label, or {\"ogr\": code}",
                            path);
    }
    if (rc)
        return cm_error_set(err, CM_EINVAL, path,
                            "%s: unknown job title (an OGR code or a ROME 4.0 label; "
                            "GET /v1/suggest/jobs finds them)",
                            path);
    if (whole) { /* its label and code, when given, must be the title's: a typo fails closed */
        const cJSON *lab = cJSON_GetObjectItemCaseSensitive(whole, "label");
        const cJSON *code = cJSON_GetObjectItemCaseSensitive(whole, "rome");
        cm_rome_title_t by_label;
        char field[64];
        bool label_ok =
            lab && cJSON_IsString(lab) &&
            (strcmp(lab->valuestring, t.label) == 0 ||
             strcmp(lab->valuestring, t.short_label) == 0 ||
             (cm_rome_title_resolve(lab->valuestring, &by_label) == 0 && by_label.ogr == t.ogr));
        if (lab && !label_ok) {
            snprintf(field, sizeof field, "%s.label", path);
            return cm_error_set(err, CM_EINVAL, field, "%s is not the label of OGR %u (\"%s\")",
                                field, (unsigned)t.ogr, t.label);
        }
        if (code && !(cJSON_IsString(code) && strcmp(code->valuestring, t.rome) == 0)) {
            snprintf(field, sizeof field, "%s.rome", path);
            return cm_error_set(err, CM_EINVAL, field, "%s is not the code of OGR %u (%s)", field,
                                (unsigned)t.ogr, t.rome);
        }
    }
    *ogr = t.ogr;
    memcpy(rome, t.rome, 6);
    return 0;
}

/* Paris, Lyon and Marseille have a commune code for the whole city (75056, 69123, 13055), which
 * France Travail sends, that the referential, made of arrondissements, does not hold: their
 * central arrondissement (Hôtel de Ville, Presqu'île, Vieux-Port) stands in for it, and
 * `prefix` tells the city's arrondissements. */
static const struct {
    const char *city, *centre, *prefix;
} whole_cities[] = {
    {"75056", "75104", "751"}, {"69123", "69382", "6938"}, {"13055", "13201", "132"}};

const char *cm__city_centre(const char *insee, const char **prefix)
{
    for (size_t i = 0; i < sizeof whole_cities / sizeof whole_cities[0]; i++)
        if (insee && strcmp(insee, whole_cities[i].city) == 0) {
            if (prefix)
                *prefix = whole_cities[i].prefix;
            return whole_cities[i].centre;
        }
    return NULL;
}

int cm__commune_take(const cJSON *it, const char *path, char out[6], cm_error *err)
{
    cm_commune_t c;
    bool whole = cJSON_IsString(it) && cm__city_centre(it->valuestring, NULL) != NULL;
    if (!whole && (!cJSON_IsString(it) || strlen(it->valuestring) != 5 ||
                   cm_commune_by_insee(it->valuestring, &c) != 0))
        return cm_error_set(err, CM_EINVAL, path,
                            "%s must be the INSEE code of a French commune (5 characters: "
                            "75111, 2A004)",
                            path);
    memcpy(out, whole ? it->valuestring : c.insee, 6); /* a whole city's: cm__place_resolve */
    return 0;
}

void cm__city_pick(char commune[6], const char *postcode, const char *city)
{
    const char *prefix = NULL, *centre = cm__city_centre(commune, &prefix);
    cm_place_t p;
    if (!centre)
        return;
    if (postcode && postcode[0] && cm_place(postcode, city, &p) == 0 &&
        strncmp(p.commune.insee, prefix, strlen(prefix)) == 0)
        centre = p.commune.insee;
    memcpy(commune, centre, 6);
}

int cm__place_resolve(const char *postcode, const char commune[6], const char *city,
                      cm_geo_t *loc, char commune_out[6], cm_loc_source_t *src,
                      const char **name, cm_error *err)
{
    cm_commune_t c;
    if (commune[0]) {
        char code[6];
        memcpy(code, commune, 6);
        cm__city_pick(code, postcode, city);
        if (cm_commune_by_insee(code, &c) != 0)
            return cm_error_set(err, CM_EINVAL, "location.commune", "unknown commune");
        /* a known postcode that is not the commune's: one of them is a typo, and the record
         * would be placed by the one and counted in the other's département (probe) */
        char pcs[64][6];
        size_t n = postcode && postcode[0] && cm_commune_by_postcode(postcode, NULL, 0) > 0
                       ? cm_commune_postcodes(code, pcs, 64)
                       : 0;
        bool listed = n == 0;
        for (size_t i = 0; i < n && i < 64 && !listed; i++)
            listed = strcmp(pcs[i], postcode) == 0;
        if (!listed)
            return cm_error_set(err, CM_EINVAL, "location.postcode",
                                "location.postcode %s is not a postcode of commune %s (%s)",
                                postcode, code, c.name);
        *src = CM_LOC_COMMUNE;
    } else {
        cm_place_t p;
        if (cm_place(postcode, city, &p) != 0)
            return cm_error_set(err, CM_EINVAL, "location.postcode",
                                "location.postcode %s is not a French postcode: give lat and "
                                "lon, or a commune code",
                                postcode);
        c = p.commune;
        *src = p.candidates <= 1            ? CM_LOC_POSTCODE
               : p.how == CM_PLACE_NAMED ? CM_LOC_POSTCODE_CITY
                                          : CM_LOC_POSTCODE_DEFAULT;
    }
    loc->lat_e6 = (int32_t)lround(c.lat * 1e6);
    loc->lon_e6 = (int32_t)lround(c.lon * 1e6);
    memcpy(commune_out, c.insee, 6);
    *name = c.name;
    return 0;
}
