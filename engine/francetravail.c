/* France Travail "Offres d'emploi v2" offers -> the contract's offer JSON (see
 * include/carematch/francetravail.h), with a report of what the mapping lost or guessed. */
#include "carematch/francetravail.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carematch/record.h"
#include "ft_text.h"

/* ---- report: growable text, one line per point ---- */

typedef struct report {
    char *p;
    size_t len, cap;
    bool oom;
} report_t;

static void note(report_t *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void note(report_t *r, const char *fmt, ...)
{
    if (r->oom)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    size_t need = r->len + (size_t)n + 2;
    if (need > r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 256;
        while (cap < need)
            cap *= 2;
        char *p = realloc(r->p, cap);
        if (!p) {
            r->oom = true;
            return;
        }
        r->p = p;
        r->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(r->p + r->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    r->len += (size_t)n;
    r->p[r->len++] = '\n';
    r->p[r->len] = '\0';
}

/* ---- small helpers ---- */

/* Parse exactly one JSON value: cJSON stops after the first value and ignores what follows,
 * which would read NDJSON as its first line. */
static cJSON *parse_one(const char *text, size_t len)
{
    const char *end = NULL;
    cJSON *v = cJSON_ParseWithLengthOpts(text, len, &end, false);
    if (!v)
        return NULL;
    while (end && end < text + len && (isspace((unsigned char)*end) || *end == '\0'))
        end++;
    if (!end || end != text + len) {
        cJSON_Delete(v);
        return NULL;
    }
    return v;
}

static const cJSON *get(const cJSON *o, const char *key)
{
    const cJSON *it = o ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
    return it && !cJSON_IsNull(it) ? it : NULL;
}

static const char *get_str(const cJSON *o, const char *key)
{
    const cJSON *it = get(o, key);
    return cJSON_IsString(it) && it->valuestring && it->valuestring[0] ? it->valuestring : NULL;
}

/* Length of the longest prefix of s (at most max bytes) that ends on a UTF-8 boundary. */
static size_t utf8_cut(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max)
        return n;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    return max;
}

/* A copy of s fit for a record's text field: at most max bytes, control characters other
 * than newline and tab replaced by spaces (France Travail text carries \r and odd bytes). */
static char *clean_text(const char *s, size_t max, bool multiline, bool *truncated)
{
    size_t n = utf8_cut(s, max);
    *truncated = n < strlen(s);
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        out[i] =
            (c < 0x20 && !(multiline && (c == '\n' || c == '\t'))) || c == 0x7f ? ' ' : (char)c;
    }
    out[n] = '\0';
    return out;
}

static bool add_text(cJSON *o, const char *key, const char *s, size_t max, bool multiline,
                     report_t *rep, const char *field)
{
    bool trunc;
    char *t = clean_text(s, max, multiline, &trunc);
    if (!t)
        return false;
    if (trunc)
        note(rep, "%s: cut to %zu bytes (was %zu)", field, strlen(t), strlen(s));
    bool ok = cJSON_AddStringToObject(o, key, t) != NULL;
    free(t);
    return ok;
}

/* ---- contract, hours, salary, location ---- */

static const char *map_contract(const char *type, const char *nature, report_t *rep)
{
    if (nature) {
        char *f = cm__ft_fold(nature);
        if (!f)
            return NULL;
        const char *c = strstr(f, "apprentissage")          ? "apprentissage"
                        : strstr(f, "professionnalisation") ? "professionnalisation"
                                                            : NULL;
        free(f);
        if (c)
            return c;
    }
    if (!type)
        return NULL;
    static const char *const map[][2] = {
        {"CDI", "CDI"},        {"CDD", "CDD"},     {"MIS", "interim"},
        {"SAI", "saisonnier"}, {"LIB", "liberal"}, {"DIN", "interim"},
        {"TTI", "interim"},    {"DDI", "CDD"},     {"DDT", "CDD"}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(type, map[i][0]) == 0) {
            if (strcmp(type, "DIN") == 0 || strcmp(type, "TTI") == 0 || strcmp(type, "DDI") == 0)
                note(rep, "typeContrat: %s mapped to %s", type, map[i][1]);
            return map[i][1];
        }
    return NULL;
}

/* Weekly hours from "35H Travail en journée", "24H/semaine", "28H30/semaine"... 0 if none. */
static double parse_hours(const char *s)
{
    while (*s && !isdigit((unsigned char)*s))
        s++;
    if (!*s)
        return 0;
    char *end;
    double h = strtod(s, &end);
    if (end == s || (*end != 'H' && *end != 'h'))
        return 0;
    if (isdigit((unsigned char)end[1]))
        h += strtol(end + 1, NULL, 10) / 60.0;
    return h;
}

/* Numbers of a salary text ("1800.00", "1 801,80"); returns how many (<= 2). */
static int salary_numbers(const char *s, double out[2])
{
    int n = 0;
    while (*s && n < 2) {
        if (!isdigit((unsigned char)*s)) {
            s++;
            continue;
        }
        char buf[32];
        size_t k = 0;
        while (*s && k + 1 < sizeof buf &&
               (isdigit((unsigned char)*s) || *s == '.' || *s == ',' ||
                (*s == ' ' && isdigit((unsigned char)s[1])))) {
            if (*s != ' ')
                buf[k++] = *s == ',' ? '.' : *s;
            s++;
        }
        buf[k] = '\0';
        char *end;
        double v = strtod(buf, &end);
        if (end != buf)
            out[n++] = v;
    }
    return n;
}

static int add_salary(cJSON *o, const cJSON *sal, report_t *rep)
{
    const char *lib = get_str(sal, "libelle");
    if (!lib) {
        const char *com = get_str(sal, "commentaire");
        if (com)
            note(rep, "salaire.commentaire: \"%.80s\" not mapped (no salary.libelle)", com);
        return 0;
    }
    char *f = cm__ft_fold(lib);
    if (!f)
        return CM_ENOMEM;
    const char *period = strstr(f, " mensuel ")   ? "month"
                         : strstr(f, " horaire ") ? "hour"
                         : strstr(f, " annuel ")  ? "year"
                                                  : NULL;
    free(f);
    /* "sur 12 mois" / "sur 13.5 mois" counts monthly payments: not an amount */
    const char *sur = strstr(lib, " sur ");
    size_t keep = sur ? (size_t)(sur - lib) : strlen(lib);
    char *amounts = strndup(lib, keep);
    if (!amounts)
        return CM_ENOMEM;
    double v[2];
    int n = salary_numbers(amounts, v);
    free(amounts);
    if (!period || n == 0) {
        note(rep, "salaire.libelle: \"%.80s\" not understood", lib);
        return 0;
    }
    double mn = v[0], mx = n > 1 ? v[1] : v[0];
    if (mx < mn) {
        double t = mn;
        mn = mx;
        mx = t;
    }
    cJSON *s = cJSON_AddObjectToObject(o, "salary");
    if (!s || !cJSON_AddNumberToObject(s, "min", mn) || !cJSON_AddNumberToObject(s, "max", mx) ||
        !cJSON_AddStringToObject(s, "period", period))
        return CM_ENOMEM;
    return 0;
}

/* "75 - Paris 11e Arrondissement" -> "Paris 11e Arrondissement"; "LYON 03" stays. */
static const char *city_of(const char *libelle)
{
    const char *dash = strstr(libelle, " - ");
    if (dash && dash - libelle <= 3)
        return dash + 3;
    return libelle;
}

static bool is_date(const char *s)
{
    int32_t d;
    return s && strlen(s) >= 10 && cm_date_parse(s, 10, &d);
}

/* ---- the mapping ---- */

static int fail(report_t *rep, int rc, const char *msg)
{
    note(rep, "%s", msg);
    return rc;
}

static int map_offer(const cJSON *ft, cJSON *o, report_t *rep)
{
    int rc;
    if (!cJSON_IsObject(ft))
        return fail(rep, CM_EINVAL, "offer: not a JSON object");

    /* id */
    const cJSON *idv = get(ft, "id");
    char id[CM_ID_MAX + 1];
    if (cJSON_IsString(idv) && idv->valuestring)
        snprintf(id, sizeof id, "ft-%s", idv->valuestring);
    else if (cJSON_IsNumber(idv))
        snprintf(id, sizeof id, "ft-%.0f", idv->valuedouble);
    else
        return fail(rep, CM_EINVAL, "id: missing");
    size_t idlen = strlen(id);
    if (idlen < 4 || (cJSON_IsString(idv) && strlen(idv->valuestring) + 3 > CM_ID_MAX) ||
        !cm_id_valid(id, idlen))
        return fail(rep, CM_EINVAL, "id: not usable as an id (1 to 61 of [A-Za-z0-9._-])");
    if (!cJSON_AddStringToObject(o, "id", id))
        return CM_ENOMEM;

    /* title, description */
    const char *title = get_str(ft, "intitule");
    if (!title)
        return fail(rep, CM_EINVAL, "intitule: missing (title is required)");
    if (!add_text(o, "title", title, CM_TITLE_MAX, false, rep, "intitule"))
        return CM_ENOMEM;
    const char *desc = get_str(ft, "description");
    if (desc && !add_text(o, "description", desc, CM_TEXT_MAX, true, rep, "description"))
        return CM_ENOMEM;

    /* rome */
    const char *rome = get_str(ft, "romeCode");
    if (!rome || strlen(rome) != 5 || !isupper((unsigned char)rome[0]) ||
        strspn(rome + 1, "0123456789") != 4)
        return fail(rep, CM_EINVAL, "romeCode: missing or not a ROME code (rome is required)");
    if (!cJSON_AddStringToObject(o, "rome", rome))
        return CM_ENOMEM;

    /* employer */
    const cJSON *ent = get(ft, "entreprise");
    const char *ename = get_str(ent, "nom"), *sector = get_str(ft, "secteurActiviteLibelle");
    /* the surest sign first: the sector, then the employer's name, the title, the text (an
     * SAAD's text may well say "expérience en EHPAD appréciée") */
    const char *sources[4] = {sector, ename, title, desc};
    const char *kind = NULL;
    for (int k = 0; k < 4 && !kind; k++) {
        if (!sources[k])
            continue;
        char *f = cm__ft_fold(sources[k]);
        if (!f)
            return CM_ENOMEM;
        kind = cm__ft_guess_kind(f);
        free(f);
    }
    if (ename || kind) {
        cJSON *e = cJSON_AddObjectToObject(o, "employer");
        if (!e ||
            (ename && !add_text(e, "name", ename, CM_LABEL_MAX, false, rep, "entreprise.nom")))
            return CM_ENOMEM;
        if (kind && !cJSON_AddStringToObject(e, "kind", kind))
            return CM_ENOMEM;
    }
    if (!kind)
        note(rep, "employer.kind: not recognised in the name, title or description");

    /* location */
    const cJSON *lieu = get(ft, "lieuTravail");
    const cJSON *lat = get(lieu, "latitude"), *lon = get(lieu, "longitude");
    double dlat, dlon;
    if (cJSON_IsNumber(lat) && cJSON_IsNumber(lon)) {
        dlat = lat->valuedouble;
        dlon = lon->valuedouble;
    } else if (cJSON_IsString(lat) && cJSON_IsString(lon)) { /* some exports quote them */
        char *e1, *e2;
        dlat = strtod(lat->valuestring, &e1);
        dlon = strtod(lon->valuestring, &e2);
        if (e1 == lat->valuestring || e2 == lon->valuestring)
            return fail(rep, CM_EINVAL,
                        "lieuTravail.latitude/longitude: not numbers (location is required)");
    } else {
        return fail(rep, CM_EINVAL,
                    "lieuTravail.latitude/longitude: missing (location is required)");
    }
    if (dlat < -90 || dlat > 90 || dlon < -180 || dlon > 180)
        return fail(rep, CM_EINVAL, "lieuTravail.latitude/longitude: out of range");
    cJSON *loc = cJSON_AddObjectToObject(o, "location");
    if (!loc || !cJSON_AddNumberToObject(loc, "lat", dlat) ||
        !cJSON_AddNumberToObject(loc, "lon", dlon))
        return CM_ENOMEM;
    const char *lib = get_str(lieu, "libelle");
    if (lib &&
        !add_text(loc, "city", city_of(lib), CM_LABEL_MAX, false, rep, "lieuTravail.libelle"))
        return CM_ENOMEM;
    const char *cp = get_str(lieu, "codePostal");
    if (cp && strlen(cp) == 5 && strspn(cp, "0123456789") == 5) {
        if (!cJSON_AddStringToObject(loc, "postcode", cp))
            return CM_ENOMEM;
    } else if (cp) {
        note(rep, "lieuTravail.codePostal: \"%.20s\" is not a 5-digit postcode", cp);
    }

    /* contract */
    const char *type = get_str(ft, "typeContrat"), *nature = get_str(ft, "natureContrat");
    const char *contract = map_contract(type, nature, rep);
    if (!contract) {
        note(rep, "typeContrat: \"%s\" (natureContrat \"%s\") has no contract equivalent",
             type ? type : "", nature ? nature : "");
        return CM_EINVAL;
    }
    if (!cJSON_AddStringToObject(o, "contract", contract))
        return CM_ENOMEM;

    /* hours; the schedule stays free text at France Travail */
    const char *dur = get_str(ft, "dureeTravailLibelle");
    const char *conv = get_str(ft, "dureeTravailLibelleConverti");
    double hours = dur ? parse_hours(dur) : 0;
    if (hours == 0 && conv && strstr(conv, "plein"))
        hours = 35;
    if (hours >= 1 && hours <= CM_HOURS_MAX) {
        if (!cJSON_AddNumberToObject(o, "hours_per_week", hours))
            return CM_ENOMEM;
    } else if (dur || conv) {
        note(rep, "dureeTravailLibelle: \"%s\" gives no weekly hours", dur ? dur : conv);
    }
    if (dur) {
        const char *rest = dur;
        while (*rest && (isdigit((unsigned char)*rest) || *rest == 'H' || *rest == 'h' ||
                         *rest == ' ' || *rest == '/'))
            rest++;
        if (*rest && strncmp(rest, "semaine", 7) != 0)
            note(rep, "schedule: \"%s\" kept as text only (no weekly windows)", rest);
    }

    /* skills and certifications */
    certs_t cs = {{0}};
    const cJSON *comps = get(ft, "competences"), *it;
    cJSON *skills = NULL;
    int n_skills = 0;
    cJSON_ArrayForEach(it, comps)
    {
        const char *l = get_str(it, "libelle");
        if (!l)
            continue;
        const char *ex = get_str(it, "exigence");
        bool req = ex && strcmp(ex, "E") == 0;
        char *f = cm__ft_fold(l);
        if (!f)
            return CM_ENOMEM;
        cm__ft_match_certs(f, false, req, &cs);
        free(f);
        if (n_skills == CM_SKILLS_MAX) {
            note(rep, "competences: more than %d, \"%.60s\" and later dropped", CM_SKILLS_MAX, l);
            break;
        }
        if (!skills && !(skills = cJSON_AddArrayToObject(o, "skills")))
            return CM_ENOMEM;
        cJSON *s = cJSON_CreateObject();
        if (!s || !cJSON_AddItemToArray(skills, s) ||
            !add_text(s, "label", l, CM_LABEL_MAX, false, rep, "competences[].libelle") ||
            !cJSON_AddBoolToObject(s, "required", req))
            return CM_ENOMEM;
        n_skills++;
    }
    const cJSON *forms = get(ft, "formations");
    cJSON_ArrayForEach(it, forms)
    {
        const char *dom = get_str(it, "domaineLibelle"), *niv = get_str(it, "niveauLibelle");
        const char *com = get_str(it, "commentaire"), *ex = get_str(it, "exigence");
        size_t bl = (dom ? strlen(dom) : 0) + (com ? strlen(com) : 0) + 2;
        char *b = malloc(bl);
        if (!b)
            return CM_ENOMEM;
        snprintf(b, bl, "%s %s", dom ? dom : "", com ? com : "");
        char *f = cm__ft_fold(b);
        free(b);
        if (!f)
            return CM_ENOMEM;
        int found = cm__ft_match_certs(f, true, ex && strcmp(ex, "E") == 0, &cs);
        free(f);
        if (!found)
            note(rep, "formations: \"%s%s%s\" matches no certification code", dom ? dom : "",
                 niv ? ", " : "", niv ? niv : "");
    }
    if ((rc = cm__ft_certs_from_text(title, &cs)) || (desc && (rc = cm__ft_certs_from_text(desc, &cs))))
        return rc;
    cJSON *certs = NULL;
    for (size_t i = 0; i < CM__FT_CERTS; i++) {
        if (!cs.state[i])
            continue;
        if (!certs && !(certs = cJSON_AddArrayToObject(o, "certifications")))
            return CM_ENOMEM;
        cJSON *c = cJSON_CreateObject();
        if (!c || !cJSON_AddItemToArray(certs, c) ||
            !cJSON_AddStringToObject(c, "code", cm__ft_cert_code(i)) ||
            !cJSON_AddBoolToObject(c, "required", cs.state[i] == 2))
            return CM_ENOMEM;
    }

    /* permits: only the car licence has a field */
    bool licence = false;
    const cJSON *permis = get(ft, "permis");
    cJSON_ArrayForEach(it, permis)
    {
        const char *l = get_str(it, "libelle"), *ex = get_str(it, "exigence");
        if (!l)
            continue;
        bool b = l[0] == 'B' && (l[1] == '\0' || l[1] == ' ');
        if (b && ex && strcmp(ex, "E") == 0)
            licence = true;
        else if (b)
            note(rep,
                 "permis: \"%s\" wanted but not required (driving_licence_required stays "
                 "false)",
                 l);
        else
            note(rep, "permis: \"%s\" has no equivalent field", l);
    }
    if (!cJSON_AddBoolToObject(o, "driving_licence_required", licence))
        return CM_ENOMEM;
    const cJSON *th = get(ft, "accessibleTH");
    if (cJSON_IsBool(th) &&
        !cJSON_AddBoolToObject(o, "accessible_to_disabled_workers", cJSON_IsTrue(th)))
        return CM_ENOMEM;

    if ((rc = add_salary(o, get(ft, "salaire"), rep)))
        return rc;

    const char *created = get_str(ft, "dateCreation");
    if (is_date(created)) {
        char d[11];
        memcpy(d, created, 10);
        d[10] = '\0';
        if (!cJSON_AddStringToObject(o, "published_at", d))
            return CM_ENOMEM;
    } else if (created) {
        note(rep, "dateCreation: \"%.40s\" is not an ISO date", created);
    }

    const char *xp = get_str(ft, "experienceExige"), *xpl = get_str(ft, "experienceLibelle");
    if (xp && strcmp(xp, "E") == 0 && xpl)
        note(rep, "experienceLibelle: \"%s\" required; offers carry no experience field", xpl);
    if (!cJSON_AddStringToObject(o, "status", "open"))
        return CM_ENOMEM;
    return 0;
}

int cm_ft_offer_to_json(const char *json, size_t len, char **out_json, char **report)
{
    *out_json = NULL;
    if (report)
        *report = NULL;
    report_t rep = {0};
    int rc;
    cJSON *ft = NULL, *o = NULL;
    if (len > CM_RECORD_JSON_MAX) {
        note(&rep, "offer: %zu bytes, over the %d-byte limit", len, CM_RECORD_JSON_MAX);
        rc = CM_ETOOBIG;
        goto done;
    }
    ft = parse_one(json, len);
    if (!ft) {
        note(&rep, "offer: invalid JSON");
        rc = CM_EINVAL;
        goto done;
    }
    o = cJSON_CreateObject();
    if (!o) {
        rc = CM_ENOMEM;
        goto done;
    }
    rc = map_offer(ft, o, &rep);
    if (rc == 0) {
        char *text = cJSON_PrintUnformatted(o);
        /* copied so that cm_free (free) is right whatever allocator cJSON was given */
        if (!text || !(*out_json = strdup(text)))
            rc = CM_ENOMEM;
        if (text)
            cJSON_free(text);
    }
done:
    cJSON_Delete(ft);
    cJSON_Delete(o);
    if (rc == CM_ENOMEM || rep.oom) {
        free(*out_json);
        *out_json = NULL;
        free(rep.p);
        return CM_ENOMEM;
    }
    if (rep.len && rep.p[rep.len - 1] == '\n')
        rep.p[--rep.len] = '\0';
    if (report && rep.len)
        *report = rep.p;
    else
        free(rep.p);
    return rc;
}

/* ---- splitting a file into offers ---- */

static int each_item(const cJSON *arr, cm_ft_offer_fn fn, void *arg, cm_error *err)
{
    size_t i = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, arr)
    {
        char *t = cJSON_PrintUnformatted(it);
        if (!t)
            return cm_error_set(err, CM_ENOMEM, NULL, "out of memory");
        int rc = fn(arg, i++, t, strlen(t));
        cJSON_free(t);
        if (rc)
            return rc;
    }
    return 0;
}

int cm_ft_each_offer(const char *text, size_t len, cm_ft_offer_fn fn, void *arg, cm_error *err)
{
    size_t i = 0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) /* a BOM from Windows tools */
        i = 3;
    while (i < len && isspace((unsigned char)text[i]))
        i++;
    if (i == len)
        return cm_error_set(err, CM_EINVAL, NULL, "empty input: no offer");
    if (text[i] != '[' && text[i] != '{')
        return cm_error_set(err, CM_EINVAL, NULL,
                            "expected a JSON array, an object or NDJSON objects");
    cJSON *root = parse_one(text + i, len - i);
    if (root) {
        int rc;
        const cJSON *res = cJSON_GetObjectItemCaseSensitive(root, "resultats");
        if (cJSON_IsArray(root)) {
            rc = each_item(root, fn, arg, err);
        } else if (res) {
            rc = cJSON_IsArray(res)
                     ? each_item(res, fn, arg, err)
                     : cm_error_set(err, CM_EINVAL, "resultats", "resultats must be an array");
        } else if (cJSON_IsObject(root)) {
            rc = fn(arg, 0, text + i, len - i);
        } else {
            rc = cm_error_set(err, CM_EINVAL, NULL, "not an offer, an array or NDJSON");
        }
        cJSON_Delete(root);
        return rc;
    }
    if (text[i] == '[')
        return cm_error_set(err, CM_EINVAL, NULL, "invalid JSON array");
    /* NDJSON: hand each non-blank line over as it is */
    size_t index = 0;
    while (i < len) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - text) : len, e = end;
        while (e > i && isspace((unsigned char)text[e - 1]))
            e--;
        size_t s = i;
        while (s < e && isspace((unsigned char)text[s]))
            s++;
        if (e > s) {
            int rc = fn(arg, index++, text + s, e - s);
            if (rc)
                return rc;
        }
        i = end + 1;
    }
    return 0;
}
