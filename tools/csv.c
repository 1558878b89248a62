/* The CLI's CSV tables for a French spreadsheet (csv.h): matches, search results, records. */
#include "csv.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void csv_start(csv_t *c, FILE *f)
{
    c->f = f;
    c->col = 0;
    c->started = false;
    fputs("\xEF\xBB\xBF", f); /* BOM: without it Excel reads UTF-8 as Windows-1252 */
}

static void sep(csv_t *c)
{
    if (c->col++)
        fputc(';', c->f);
}

static bool looks_numeric(const char *s)
{
    char *end;
    strtod(s, &end);
    return end != s && *end == 0;
}

void csv_str(csv_t *c, const char *s)
{
    sep(c);
    if (!s || !*s)
        return;
    bool formula = strchr("=+-@\t\r", s[0]) && !looks_numeric(s);
    bool quote = formula || strpbrk(s, ";\"\r\n") != NULL;
    if (quote)
        fputc('"', c->f);
    if (formula)
        fputc('\'', c->f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', c->f);
        fputc(*s, c->f);
    }
    if (quote)
        fputc('"', c->f);
}

void csv_num(csv_t *c, double v)
{
    sep(c);
    if (!isfinite(v))
        return;
    char buf[64];
    if (v == floor(v) && fabs(v) < 1e15)
        snprintf(buf, sizeof buf, "%.0f", v);
    else
        snprintf(buf, sizeof buf, "%.10g", v); /* the C locale: '.', replaced below */
    char *dot = strchr(buf, '.');
    if (dot)
        *dot = ',';
    fputs(buf, c->f);
}

void csv_end_row(csv_t *c)
{
    fputs("\r\n", c->f);
    c->col = 0;
}

static void header(csv_t *c, const char *const *names)
{
    if (c->started)
        return;
    for (; *names; names++)
        csv_str(c, *names);
    csv_end_row(c);
    c->started = true;
}

/* o's member at a dotted path ("location.city"), or NULL. */
static const cJSON *at(const cJSON *o, const char *path)
{
    char key[64];
    while (o && *path) {
        size_t n = strcspn(path, ".");
        if (n >= sizeof key)
            return NULL;
        memcpy(key, path, n);
        key[n] = 0;
        o = cJSON_GetObjectItemCaseSensitive(o, key);
        path += n + (path[n] == '.');
    }
    return o;
}

/* A JSON value as one field: numbers with a comma, booleans true/false, arrays of scalars
 * joined with ", ", absent or null empty. */
static void field(csv_t *c, const cJSON *o, const char *path)
{
    const cJSON *v = at(o, path);
    if (cJSON_IsNumber(v)) {
        csv_num(c, v->valuedouble);
    } else if (cJSON_IsString(v)) {
        csv_str(c, v->valuestring);
    } else if (cJSON_IsBool(v)) {
        csv_str(c, cJSON_IsTrue(v) ? "true" : "false");
    } else if (cJSON_IsArray(v)) {
        size_t cap = 256, n = 0;
        char *s = malloc(cap);
        const cJSON *it;
        if (!s) {
            csv_str(c, NULL);
            return;
        }
        s[0] = 0;
        cJSON_ArrayForEach(it, v)
        {
            char num[64];
            const char *t = cJSON_IsString(it) ? it->valuestring : NULL;
            if (cJSON_IsNumber(it)) {
                snprintf(num, sizeof num, "%.10g", it->valuedouble);
                t = num;
            } else if (cJSON_IsObject(it)) { /* job titles: their label */
                const cJSON *l = cJSON_GetObjectItemCaseSensitive(it, "label");
                t = cJSON_IsString(l) ? l->valuestring : NULL;
            }
            if (!t)
                continue;
            size_t need = n + strlen(t) + 3;
            if (need > cap) {
                char *ns = realloc(s, cap = need * 2);
                if (!ns)
                    break;
                s = ns;
            }
            n += (size_t)sprintf(s + n, "%s%s", n ? ", " : "", t);
        }
        csv_str(c, s);
        free(s);
    } else {
        csv_str(c, NULL);
    }
}

static const char *const FACTORS[] = {"skills",     "certifications", "commute", "schedule",
                                      "contract",   "experience",     "text",    NULL};

/* barriers: their kinds; barrier_details: "kind: detail_fr | ..." (detail when no French
 * sentence); levers: each lever once. */
static void barriers(csv_t *c, const cJSON *m)
{
    const cJSON *bars = cJSON_GetObjectItemCaseSensitive(m, "barriers"), *b, *l;
    size_t cap = 1024;
    char *kinds = calloc(1, cap), *details = calloc(1, 4 * cap), *levers = calloc(1, cap);
    if (!kinds || !details || !levers)
        goto out;
    cJSON_ArrayForEach(b, bars)
    {
        const cJSON *k = cJSON_GetObjectItemCaseSensitive(b, "kind");
        /* the French sentence when there is one: the spreadsheet is for French advisers */
        const cJSON *d = cJSON_GetObjectItemCaseSensitive(b, "detail_fr");
        if (!cJSON_IsString(d))
            d = cJSON_GetObjectItemCaseSensitive(b, "detail");
        const char *ks = cJSON_IsString(k) ? k->valuestring : "?";
        size_t n = strlen(kinds);
        snprintf(kinds + n, cap - n, "%s%s", n ? ", " : "", ks);
        n = strlen(details);
        snprintf(details + n, 4 * cap - n, "%s%s: %s", n ? " | " : "", ks,
                 cJSON_IsString(d) ? d->valuestring : "");
        cJSON_ArrayForEach(l, cJSON_GetObjectItemCaseSensitive(b, "levers"))
        {
            if (!cJSON_IsString(l))
                continue;
            /* once each: several barriers often name the same lever */
            bool seen = false;
            for (const char *p = levers; (p = strstr(p, l->valuestring)); p++) {
                size_t ll = strlen(l->valuestring);
                if ((p == levers || p[-1] == ' ') && (p[ll] == 0 || p[ll] == ','))
                    seen = true;
            }
            n = strlen(levers);
            if (!seen)
                snprintf(levers + n, cap - n, "%s%s", n ? ", " : "", l->valuestring);
        }
    }
out:
    csv_str(c, kinds);
    csv_str(c, details);
    csv_str(c, levers);
    free(kinds);
    free(details);
    free(levers);
}

int csv_matches(csv_t *c, const cJSON *root, bool offers)
{
    static const char *const OFFER_COLS[] = {
        "rank", "offer_id", "title", "employer", "contract", "postcode", "city", "score",
        "eligible", "commute_mode", "commute_minutes", "distance_km", "barriers",
        "barrier_details", "levers", "neighbour_of", "explain_skills", "explain_certifications",
        "explain_commute", "explain_schedule", "explain_contract", "explain_experience",
        "explain_text", NULL};
    static const char *const CAND_COLS[] = {
        "rank", "candidate_id", "desired_rome", "certifications", "experience_months",
        "postcode", "city", "score", "eligible", "commute_mode", "commute_minutes",
        "distance_km", "barriers", "barrier_details", "levers", "neighbour_of",
        "explain_skills", "explain_certifications", "explain_commute", "explain_schedule",
        "explain_contract", "explain_experience", "explain_text", NULL};
    header(c, offers ? OFFER_COLS : CAND_COLS);
    const cJSON *m;
    int rank = 0;
    cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(root, "results"))
    {
        csv_num(c, ++rank);
        if (offers) {
            const cJSON *o = cJSON_GetObjectItemCaseSensitive(m, "offer");
            field(c, o, "id");
            field(c, o, "title");
            field(c, o, "employer.name");
            field(c, o, "contract");
            field(c, o, "location.postcode");
            field(c, o, "location.city");
        } else {
            const cJSON *o = cJSON_GetObjectItemCaseSensitive(m, "candidate");
            field(c, o, "id");
            field(c, o, "desired_rome");
            field(c, o, "certifications");
            field(c, o, "experience_months");
            field(c, o, "location.postcode");
            field(c, o, "location.city");
        }
        field(c, m, "score");
        field(c, m, "eligible");
        field(c, m, "commute.mode");
        field(c, m, "commute.minutes");
        field(c, m, "commute.distance_km");
        barriers(c, m);
        field(c, m, "neighbour.of");
        for (int f = 0; FACTORS[f]; f++)
            field(c, at(m, "explain"), FACTORS[f]);
        csv_end_row(c);
    }
    return rank;
}

/* Rank of the page's first row less one: ranks continue across pages. */
static int page_base(const cJSON *root)
{
    const cJSON *page = at(root, "page"), *per = at(root, "per_page");
    return cJSON_IsNumber(page) && cJSON_IsNumber(per) ? (page->valueint - 1) * per->valueint : 0;
}

int csv_search(csv_t *c, const cJSON *root)
{
    static const char *const COLS[] = {
        "rank", "offer_id", "title", "employer", "employer_kind", "rome", "contract",
        "hours_per_week", "postcode", "city", "distance_km", "score", "published_at", NULL};
    header(c, COLS);
    const cJSON *r;
    int base = page_base(root), n = 0;
    cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(root, "results"))
    {
        const cJSON *o = cJSON_GetObjectItemCaseSensitive(r, "offer");
        csv_num(c, base + ++n);
        field(c, o, "id");
        field(c, o, "title");
        field(c, o, "employer.name");
        field(c, o, "employer.kind");
        field(c, o, "rome");
        field(c, o, "contract");
        field(c, o, "hours_per_week");
        field(c, o, "location.postcode");
        field(c, o, "location.city");
        field(c, r, "distance_km");
        field(c, r, "score");
        field(c, o, "published_at");
        csv_end_row(c);
    }
    return n;
}

/* availability as one field: "mon,tue 21:00-06:00 | sat 08:00-12:00" (none: empty, which the
 * contract reads as available at any time). */
static void windows(csv_t *c, const cJSON *arr)
{
    char buf[1024] = "";
    size_t n = 0;
    const cJSON *w, *d;
    cJSON_ArrayForEach(w, arr)
    {
        const cJSON *from = cJSON_GetObjectItemCaseSensitive(w, "from");
        const cJSON *to = cJSON_GetObjectItemCaseSensitive(w, "to");
        if (n && n < sizeof buf)
            n += (size_t)snprintf(buf + n, sizeof buf - n, " | ");
        bool first = true;
        cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(w, "days"))
        {
            if (cJSON_IsString(d) && n < sizeof buf)
                n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", first ? "" : ",",
                                      d->valuestring);
            first = false;
        }
        if (cJSON_IsString(from) && cJSON_IsString(to) && n < sizeof buf)
            n += (size_t)snprintf(buf + n, sizeof buf - n, " %s-%s", from->valuestring,
                                  to->valuestring);
    }
    csv_str(c, buf); /* at most 7 days x a few windows: 1 KiB is plenty, cut if not */
}

int csv_cand_search(csv_t *c, const cJSON *root)
{
    static const char *const COLS[] = {
        "rank", "candidate_id", "postcode", "city", "commune", "distance_km", "desired_rome",
        "desired_job_titles", "certifications", "experience_months", "availability", "contracts",
        "mobility_modes", "max_minutes", "driving_licence", "vehicle", "open_to_immersion",
        "open_to_training", NULL};
    header(c, COLS);
    const cJSON *r;
    int base = page_base(root), n = 0;
    cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(root, "results"))
    {
        const cJSON *o = cJSON_GetObjectItemCaseSensitive(r, "candidate");
        csv_num(c, base + ++n);
        field(c, o, "id");
        field(c, o, "location.postcode");
        field(c, o, "location.city");
        field(c, o, "location.commune");
        field(c, r, "distance_km"); /* present when the search has a centre */
        field(c, o, "desired_rome");
        field(c, o, "desired_job_titles");
        field(c, o, "certifications");
        field(c, o, "experience_months");
        windows(c, cJSON_GetObjectItemCaseSensitive(o, "availability"));
        field(c, o, "contracts");
        field(c, o, "mobility.modes");
        field(c, o, "mobility.max_minutes");
        field(c, o, "mobility.driving_licence");
        field(c, o, "mobility.vehicle");
        field(c, o, "open_to_immersion");
        field(c, o, "open_to_training");
        csv_end_row(c);
    }
    return n;
}

void csv_record(csv_t *c, const cJSON *rec, bool offer)
{
    static const char *const OFFER[] = {
        "id", "version", "title", "rome", "employer", "employer_kind", "contract",
        "hours_per_week", "postcode", "city", "commune", "lat", "lon", "immersion_possible",
        "pre_hire_training", "status", "published_at", NULL};
    static const char *const OFFER_PATH[] = {
        "id", "version", "title", "rome", "employer.name", "employer.kind", "contract",
        "hours_per_week", "location.postcode", "location.city", "location.commune",
        "location.lat", "location.lon", "immersion_possible", "pre_hire_training", "status",
        "published_at", NULL};
    static const char *const CAND[] = {
        "id", "version", "postcode", "city", "commune", "desired_rome", "certifications",
        "experience_months", "contracts", "mobility_modes", "max_minutes", "driving_licence",
        "open_to_immersion", "open_to_training", "status", NULL};
    static const char *const CAND_PATH[] = {
        "id", "version", "location.postcode", "location.city", "location.commune",
        "desired_rome", "certifications", "experience_months", "contracts", "mobility.modes",
        "mobility.max_minutes", "mobility.driving_licence", "open_to_immersion",
        "open_to_training", "status", NULL};
    header(c, offer ? OFFER : CAND);
    for (const char *const *p = offer ? OFFER_PATH : CAND_PATH; *p; p++)
        field(c, rec, *p);
    csv_end_row(c);
}
