/* Communes of France and their postcodes (La Poste): lookups by INSEE code and postcode, the
 * placing rule for a (postcode, city) pair, and name / postcode suggestions. */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "carematch/referential.h"
#include "ref/ref_data.h"
#include "referential_internal.h"

static const char *insee_at(size_t i)
{
    return cm__commune_insee + 5 * i;
}

static const char *pc_at(size_t i)
{
    return cm__postcode_code + 5 * i;
}

static void fill_commune(size_t i, size_t pair, cm_commune_t *out)
{
    memcpy(out->insee, insee_at(i), 5);
    out->insee[5] = '\0';
    out->name = cm__commune_pool + cm__commune_name[i];
    memcpy(out->postcode, pc_at(pair), 5);
    out->postcode[5] = '\0';
    /* département: two characters (2A, 2B included), three overseas (971...) */
    size_t dl = out->insee[0] == '9' && (out->insee[1] == '7' || out->insee[1] == '8') ? 3 : 2;
    memcpy(out->dep, out->insee, dl);
    out->dep[dl] = '\0';
    out->lat = cm__commune_lat[i] / 1e6;
    out->lon = cm__commune_lon[i] / 1e6;
    out->approx = (cm__commune_pc_n[i] & 0x80) != 0;
    out->n_postcodes = cm__commune_pc_n[i] & 0x7F;
    out->spread_km = cm__commune_spread[i] / 10.0;
}

static size_t first_pair(size_t i)
{
    return cm__commune_pcs[cm__commune_pc_first[i]];
}

/* 5 characters, digits or 2A/2B, upper-cased into key; 0 when malformed. */
static int code5(const char *in, char key[6], int allow_corsica)
{
    if (!in || strlen(in) != 5)
        return 0;
    for (int k = 0; k < 5; k++) {
        char c = in[k];
        if (k == 1 && allow_corsica && in[0] == '2' && (c == 'a' || c == 'b' || c == 'A' || c == 'B'))
            c = (char)(c & ~0x20);
        else if (c < '0' || c > '9')
            return 0;
        key[k] = c;
    }
    key[5] = '\0';
    return 1;
}

static int commune_index(const char *key)
{
    size_t lo = 0, hi = CM__NCOMMUNES;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = memcmp(insee_at(mid), key, 5);
        if (c == 0)
            return (int)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* First postcode pair whose code starts with prefix (len bytes), and one past the last. */
static void pc_range(const char *prefix, size_t len, size_t *first, size_t *end)
{
    size_t lo = 0, hi = CM__NPOSTCODES;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (memcmp(pc_at(mid), prefix, len) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *first = lo;
    while (lo < CM__NPOSTCODES && memcmp(pc_at(lo), prefix, len) == 0)
        lo++;
    *end = lo;
}

size_t cm_commune_count(void)
{
    return CM__NCOMMUNES;
}

int cm_commune_at(size_t i, cm_commune_t *out)
{
    if (i >= CM__NCOMMUNES)
        return CM_ENOTFOUND;
    if (out)
        fill_commune(i, first_pair(i), out);
    return 0;
}

int cm_commune_by_insee(const char *insee, cm_commune_t *out)
{
    char key[6];
    if (!code5(insee, key, 1))
        return CM_EINVAL;
    int i = commune_index(key);
    if (i < 0)
        return CM_ENOTFOUND;
    if (out)
        fill_commune((size_t)i, first_pair((size_t)i), out);
    return 0;
}

size_t cm_commune_by_postcode(const char *postcode, cm_commune_t *out, size_t max)
{
    char key[6];
    size_t first, end;
    if (!code5(postcode, key, 0))
        return 0;
    pc_range(key, 5, &first, &end);
    for (size_t p = first; p < end && out && p - first < max; p++)
        fill_commune(cm__postcode_commune[p], p, &out[p - first]);
    return end - first;
}

size_t cm_commune_postcodes(const char *insee, char (*out)[6], size_t max)
{
    char key[6];
    int i;
    if (!code5(insee, key, 1) || (i = commune_index(key)) < 0)
        return 0;
    size_t n = cm__commune_pc_n[i] & 0x7F;
    for (size_t k = 0; k < n && out && k < max; k++) {
        memcpy(out[k], pc_at(cm__commune_pcs[cm__commune_pc_first[i] + k]), 5);
        out[k][5] = '\0';
    }
    return n;
}

/* ---------------------------------------------------------------------------------------
 * Commune names as keys: normalised, then word by word "st"/"ste" -> "saint"/"sainte", an
 * ordinal ("11e", "1er", "11eme", "01") -> its number, "arrondissement"/"arr"/"cedex"
 * dropped; so that "Paris 11e Arrondissement", "PARIS 11" and "paris 11e" are one key, and
 * "ST DENIS" is "Saint-Denis".
 * ------------------------------------------------------------------------------------- */

static size_t name_key(const char *in, char *out, size_t cap)
{
    char norm[256];
    size_t n = 0;
    cm_ref_normalise(in, norm, sizeof norm);
    out[0] = '\0';
    for (char *p = norm; *p;) {
        char *sp = strchr(p, ' ');
        if (sp)
            *sp = '\0';
        const char *w = p;
        char num[8];
        if (!strcmp(w, "st"))
            w = "saint";
        else if (!strcmp(w, "ste"))
            w = "sainte";
        else if (!strcmp(w, "arrondissement") || !strcmp(w, "arr") || !strcmp(w, "cedex"))
            w = "";
        else if (w[0] >= '0' && w[0] <= '9') {
            size_t d = strspn(w, "0123456789");
            const char *suf = w + d;
            if (d < sizeof num - 1 && (!*suf || !strcmp(suf, "e") || !strcmp(suf, "er") ||
                                       !strcmp(suf, "eme") || !strcmp(suf, "ieme"))) {
                const char *z = w;
                while (*z == '0' && z + 1 < w + d)
                    z++;
                memcpy(num, z, (size_t)(w + d - z));
                num[w + d - z] = '\0';
                w = num;
            }
        }
        size_t l = strlen(w);
        if (l && n + l + 2 <= cap) {
            if (n)
                out[n++] = ' ';
            memcpy(out + n, w, l + 1);
            n += l;
        }
        p = sp ? sp + 1 : p + strlen(p);
    }
    return n;
}

/* Name index, built once: every commune's key, and again without its article ("Les Abymes" is
 * "Abymes" to those who live there, "L'Île-d'Yeu" "Île-d'Yeu", "La Plaine-des-Palmistes"
 * "Plaine des Palmistes": an adviser's probe found none of them), sorted. */
typedef struct {
    const char *key;
    uint16_t commune;
} name_entry_t;

static struct {
    int rc;
    char *text;
    name_entry_t *ent;
    size_t n;
} nix;
static pthread_once_t nix_once = PTHREAD_ONCE_INIT;

static int cmp_entry(const void *a, const void *b)
{
    const name_entry_t *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (int)x->commune - (int)y->commune;
}

/* The bytes of a name key's leading article ("le ", "la ", "les ", "l "), when a name follows
 * it; else 0. */
static size_t article_len(const char *key)
{
    static const char *const articles[] = {"le ", "la ", "les ", "l "};
    for (size_t a = 0; a < sizeof articles / sizeof articles[0]; a++) {
        size_t al = strlen(articles[a]);
        if (strncmp(key, articles[a], al) == 0 && key[al])
            return al;
    }
    return 0;
}

static void nix_build(void)
{
    size_t cap = 0;
    for (size_t i = 0; i < CM__NCOMMUNES; i++)
        cap += 2 * strlen(cm__commune_pool + cm__commune_name[i]) + 8;
    nix.text = malloc(cap);
    nix.ent = malloc(2 * CM__NCOMMUNES * sizeof *nix.ent);
    if (!nix.text || !nix.ent) {
        free(nix.text);
        free(nix.ent);
        nix.text = NULL;
        nix.ent = NULL;
        nix.rc = CM_ENOMEM;
        return;
    }
    size_t t = 0;
    nix.n = 0;
    for (size_t i = 0; i < CM__NCOMMUNES; i++) {
        char *k = nix.text + t;
        t += name_key(cm__commune_pool + cm__commune_name[i], k, cap - t) + 1;
        nix.ent[nix.n++] = (name_entry_t){k, (uint16_t)i};
        size_t al = article_len(k);
        if (al) /* the same bytes, past it */
            nix.ent[nix.n++] = (name_entry_t){k + al, (uint16_t)i};
    }
    qsort(nix.ent, nix.n, sizeof *nix.ent, cmp_entry);
}

int cm__ref_geo_init(void)
{
    pthread_once(&nix_once, nix_build);
    return nix.rc;
}

/* ---------------------------------------------------------------------------------------
 * Placing a (postcode, city)
 * ------------------------------------------------------------------------------------- */

static int lieudit_matches(size_t pair, const char *key)
{
    char k[256];
    size_t lo = 0, hi = CM__NLIEUDITS;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cm__lieudit_postcode[mid] < pair)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < CM__NLIEUDITS && cm__lieudit_postcode[lo] == pair; lo++) {
        name_key(cm__commune_pool + cm__lieudit_name[lo], k, sizeof k);
        if (!strcmp(k, key))
            return 1;
    }
    return 0;
}

/* A commune key and a city key name the same place: equal, or the city is the bare name of
 * an arrondissement ("paris" for "paris 11": people write the city with the postcode); the
 * commune's article may be left out ("Abymes" for Les Abymes). */
static int same_city(const char *commune, const char *city)
{
    size_t al = article_len(commune);
    if (al && strncmp(city, commune, al) != 0 && strcmp(commune + al, city) == 0)
        return 1;
    size_t l = strlen(city);
    if (strncmp(commune, city, l) != 0)
        return 0;
    if (commune[l] == '\0')
        return 1;
    return commune[l] == ' ' && commune[l + 1] &&
           strspn(commune + l + 1, "0123456789") == strlen(commune + l + 1);
}

int cm_place(const char *postcode, const char *city, cm_place_t *out)
{
    char key[6], want[256], k[256];
    size_t first, end, pick = 0;
    if (!code5(postcode, key, 0) || !out)
        return CM_EINVAL;
    pc_range(key, 5, &first, &end);
    if (first == end)
        return CM_ENOTFOUND;
    memset(out, 0, sizeof *out);
    out->candidates = (unsigned)(end - first);
    int named = 0;
    if (city && name_key(city, want, sizeof want) > 0) {
        for (size_t p = first; p < end && !named; p++) {
            name_key(cm__commune_pool + cm__commune_name[cm__postcode_commune[p]], k, sizeof k);
            if (same_city(k, want))
                named = 1, pick = p;
        }
        for (size_t p = first; p < end && !named; p++)
            if (lieudit_matches(p, want))
                named = 1, pick = p;
        out->city_mismatch = !named;
    }
    if (named) {
        out->how = end - first == 1 ? CM_PLACE_ONLY : CM_PLACE_NAMED;
    } else if (end - first == 1) {
        out->how = CM_PLACE_ONLY;
        pick = first;
    } else {
        /* default: the largest known population; else nearest the mean position */
        out->how = CM_PLACE_DEFAULT;
        uint32_t best_pop = 0;
        double mlat = 0, mlon = 0, best_d = INFINITY;
        for (size_t p = first; p < end; p++) {
            size_t c = cm__postcode_commune[p];
            if (cm__commune_pop[c] > best_pop)
                best_pop = cm__commune_pop[c], pick = p;
            mlat += cm__commune_lat[c];
            mlon += cm__commune_lon[c];
        }
        if (best_pop == 0) {
            mlat /= (double)(end - first);
            mlon /= (double)(end - first);
            double coslat = cos(mlat / 1e6 * 3.14159265358979323846 / 180);
            for (size_t p = first; p < end; p++) {
                size_t c = cm__postcode_commune[p];
                double dy = cm__commune_lat[c] - mlat, dx = (cm__commune_lon[c] - mlon) * coslat;
                if (dx * dx + dy * dy < best_d)
                    best_d = dx * dx + dy * dy, pick = p;
            }
        }
    }
    fill_commune(cm__postcode_commune[pick], pick, &out->commune);
    return 0;
}

/* ---------------------------------------------------------------------------------------
 * Suggestions
 * ------------------------------------------------------------------------------------- */

/* Name suggestions: exact first, larger known population, shorter name, INSEE order. */
typedef struct {
    uint8_t inexact;
    uint32_t neg_pop;
    uint16_t len;
    uint16_t commune;
} csugg_t;

static int csugg_less(const csugg_t *a, const csugg_t *b)
{
    if (a->inexact != b->inexact)
        return a->inexact < b->inexact;
    if (a->neg_pop != b->neg_pop)
        return a->neg_pop < b->neg_pop;
    if (a->len != b->len)
        return a->len < b->len;
    return a->commune < b->commune; /* INSEE order */
}

/* Postcode suggestions: ascending postcode, then larger known population, then INSEE order
 * (pairs are sorted by postcode then INSEE code, so the pair index breaks ties). */
typedef struct {
    uint16_t group; /* rank of the postcode within the prefix's range */
    uint32_t neg_pop;
    uint16_t pair;
} psugg_t;

static int psugg_less(const psugg_t *a, const psugg_t *b)
{
    if (a->group != b->group)
        return a->group < b->group;
    if (a->neg_pop != b->neg_pop)
        return a->neg_pop < b->neg_pop;
    return a->pair < b->pair;
}

size_t cm_commune_suggest(const char *query, cm_commune_t *out, size_t limit)
{
    if (!query || !out || limit == 0)
        return 0;
    if (limit > CM_SUGGEST_LIMIT_MAX)
        limit = CM_SUGGEST_LIMIT_MAX;
    while (*query == ' ')
        query++;
    if (*query >= '0' && *query <= '9') {
        char pre[6];
        size_t l = 0, first, end, n = 0;
        while (l < 5 && ((query[l] >= '0' && query[l] <= '9')))
            pre[l] = query[l], l++;
        pc_range(pre, l, &first, &end);
        /* by postcode, then larger known population (Senlis before the villages of 60300) */
        psugg_t best[CM_SUGGEST_LIMIT_MAX];
        uint16_t group = 0;
        for (size_t p = first; p < end; p++) {
            if (p > first && memcmp(pc_at(p), pc_at(p - 1), 5) != 0)
                group++;
            if (n == limit && group > best[limit - 1].group)
                break; /* later postcodes cannot enter any more */
            size_t c = cm__postcode_commune[p];
            psugg_t sg = {group, UINT32_MAX - cm__commune_pop[c], (uint16_t)p};
            if (n == limit && !psugg_less(&sg, &best[limit - 1]))
                continue;
            size_t i = n < limit ? n++ : limit - 1;
            while (i > 0 && psugg_less(&sg, &best[i - 1])) {
                best[i] = best[i - 1];
                i--;
            }
            best[i] = sg;
        }
        for (size_t i = 0; i < n; i++)
            fill_commune(cm__postcode_commune[best[i].pair], best[i].pair, &out[i]);
        return n;
    }
    char want[256];
    size_t wl = name_key(query, want, sizeof want);
    if (wl == 0 || cm__ref_geo_init())
        return 0;
    size_t lo = 0, hi = nix.n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strcmp(nix.ent[mid].key, want) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    csugg_t best[CM_SUGGEST_LIMIT_MAX];
    size_t nbest = 0;
    for (size_t e = lo; e < nix.n && !strncmp(nix.ent[e].key, want, wl); e++) {
        size_t c = nix.ent[e].commune;
        csugg_t s = {(uint8_t)(nix.ent[e].key[wl] != '\0'), UINT32_MAX - cm__commune_pop[c],
                     (uint16_t)strlen(nix.ent[e].key), (uint16_t)c};
        size_t dup = 0; /* a commune by its two keys ("la ..." and "...") once, the better */
        while (dup < nbest && best[dup].commune != c)
            dup++;
        if (dup < nbest) {
            if (!csugg_less(&s, &best[dup]))
                continue;
            memmove(&best[dup], &best[dup + 1], (nbest - dup - 1) * sizeof *best);
            nbest--;
        }
        if (nbest == limit && !csugg_less(&s, &best[limit - 1]))
            continue;
        size_t i = nbest < limit ? nbest++ : limit - 1;
        while (i > 0 && csugg_less(&s, &best[i - 1])) {
            best[i] = best[i - 1];
            i--;
        }
        best[i] = s;
    }
    for (size_t i = 0; i < nbest; i++)
        fill_commune(best[i].commune, first_pair(best[i].commune), &out[i]);
    return nbest;
}

/* ---------------------------------------------------------------------------------------
 * Place words (typo repair leaves them alone)
 * ------------------------------------------------------------------------------------- */

static bool in_name(const char *name, const char *word)
{
    char n[128];
    cm_ref_normalise(name, n, sizeof n);
    size_t wl = strlen(word);
    for (const char *p = n; *p;) {
        size_t l = strcspn(p, " ");
        if (l == wl && memcmp(p, word, l) == 0)
            return true;
        p += l + (p[l] == ' ');
    }
    return false;
}

bool cm__place_word(const char *word, size_t len)
{
    char in[64], w[128];
    if (len == 0 || len >= sizeof in)
        return false;
    memcpy(in, word, len);
    in[len] = '\0';
    if (cm_ref_normalise(in, w, sizeof w) == 0 || strchr(w, ' '))
        return false;
    for (size_t i = 0; i < cm__dept_count(); i++) /* a région's token ("zrhdf") too */
        if (cm__region_token(cm__dept_at(i)->region) &&
            strcmp(cm__region_token(cm__dept_at(i)->region), w) == 0)
            return true;
    for (size_t i = 0; i < cm__dept_count(); i++)
        if (in_name(cm__dept_at(i)->name, w) || in_name(cm__dept_at(i)->region, w))
            return true;
    if (cm__ref_geo_init())
        return false;
    size_t lo = 0, hi = nix.n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(nix.ent[mid].key, w);
        if (c == 0)
            return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}
