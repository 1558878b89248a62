/* GET /v1/offers/search: query parameters -> cm_search_query_t, hits and facets -> JSON. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "carematch/referential.h"
#include "json.h"
#include "params.h"
#include "router.h"

static const char *const FACET_NAMES[CM_FACET__COUNT] = {"rome", "contract", "employer_kind",
                                                         "department"};

static int add_rome(srv_req_t *req, void *arg, const char *item)
{
    cm_search_query_t *q = arg;
    /* ROME 4.0 only (contract): a v3-only or made-up code would silently find nothing */
    char code[8];
    if (!srv_param_rome(req, "rome", item, code))
        return -1;
    if (q->n_rome == CM_SEARCH_ROME_MAX) {
        srv_reply_error(req, 400, "invalid_field", "rome", "rome: at most %d codes",
                        CM_SEARCH_ROME_MAX);
        return -1;
    }
    /* the value is cut in place and restored: keep a copy in the query's own storage */
    char *copy = strdup(code);
    if (!copy) {
        srv_reply_error(req, 500, "internal", NULL, "out of memory");
        return -1;
    }
    q->rome[q->n_rome++] = copy;
    return 0;
}

static int add_contract(srv_req_t *req, void *arg, const char *item)
{
    cm_search_query_t *q = arg;
    int c = cm_contract_parse(item);
    if (c < 0) {
        srv_reply_error(req, 400, "invalid_field", "contract", "unknown contract \"%.40s\"", item);
        return -1;
    }
    q->contracts |= 1u << c;
    return 0;
}

static int add_employer_kind(srv_req_t *req, void *arg, const char *item)
{
    cm_search_query_t *q = arg;
    int k = cm_employer_kind_parse(item);
    if (k <= 0) {
        srv_reply_error(req, 400, "invalid_field", "employer_kind",
                        "unknown employer_kind \"%.40s\"", item);
        return -1;
    }
    q->employer_kinds |= 1u << k;
    return 0;
}

static int add_facet(srv_req_t *req, void *arg, const char *item)
{
    cm_search_query_t *q = arg;
    for (int f = 0; f < CM_FACET__COUNT; f++)
        if (strcmp(item, FACET_NAMES[f]) == 0) {
            q->facets |= 1u << f;
            return 0;
        }
    srv_reply_error(req, 400, "invalid_field", "facets",
                    "facets is a comma list of rome, contract, employer_kind, department");
    return -1;
}

/* The work's facts by their parameter's name (also "read_as_filters"' keys). */
static const struct {
    const char *name;
    unsigned fact;
} facts[] = {{"night", CM_WORK_FACT_NIGHT},
             {"weekend", CM_WORK_FACT_WEEKEND},
             {"driving_licence", CM_WORK_FACT_LICENCE},
             {"own_vehicle", CM_WORK_FACT_VEHICLE}};

static int parse_query(srv_req_t *req, cm_search_query_t *q, long *page, long *per_page)
{
    memset(q, 0, sizeof *q);
    if (srv_params_begin(req) != 0)
        return -1;
    q->q = srv_query_get(req, "q");
    if (q->q && strlen(q->q) > CM_QUERY_MAX) {
        srv_reply_error(req, 400, "invalid_field", "q", "q is longer than %d bytes", CM_QUERY_MAX);
        return -1;
    }
    srv_center_t c;
    if (srv_param_center(req, &c) != 0)
        return -1;
    q->has_geo = c.has_geo;
    q->center = c.center;
    q->radius_km = c.radius_km;
    q->commune = c.commune;
    q->postcode = c.postcode;
    q->city = c.city;
    bool place = q->commune || q->postcode;
    if (srv_param_each(req, "rome", true, add_rome, q) != 0 ||
        srv_param_each(req, "contract", true, add_contract, q) != 0 ||
        srv_param_each(req, "employer_kind", true, add_employer_kind, q) != 0 ||
        srv_param_each(req, "facets", true, add_facet, q) != 0)
        return -1;
    int operators = 0;
    if (srv_param_bool(req, "operators", 0, &operators) != 0)
        return -1;
    q->operators = operators == 1;
    if (srv_param_bool(req, "immersion_possible", -1, &q->immersion_possible) != 0 ||
        srv_param_bool(req, "pre_hire_training", -1, &q->pre_hire_training) != 0 ||
        srv_param_bool(req, "accessible_to_disabled_workers", -1,
                       &q->accessible_to_disabled_workers) != 0)
        return -1;
    /* how the work is done: true, offers with it; false, offers without it */
    for (size_t i = 0; i < sizeof facts / sizeof facts[0]; i++) {
        int v;
        if (srv_param_bool(req, facts[i].name, -1, &v) != 0)
            return -1;
        q->with |= v == 1 ? facts[i].fact : 0u;
        q->without |= v == 0 ? facts[i].fact : 0u;
    }
    const char *sort = srv_query_get(req, "sort");
    if (!sort || strcmp(sort, "relevance") == 0) {
        q->sort = CM_SORT_RELEVANCE;
    } else if (strcmp(sort, "distance") == 0 && (q->has_geo || place)) {
        q->sort = CM_SORT_DISTANCE;
    } else if (strcmp(sort, "date") == 0) {
        q->sort = CM_SORT_DATE;
    } else {
        srv_reply_error(req, 400, "invalid_field", "sort",
                        "sort is relevance, distance (with a centre) or date");
        return -1;
    }
    if (srv_param_long(req, "page", 1, 100000, 1, page) != 0 ||
        srv_param_long(req, "per_page", 1, CM_SEARCH_PER_PAGE_MAX, 20, per_page) != 0)
        return -1;
    q->offset = (unsigned)((*page - 1) * *per_page);
    q->limit = (unsigned)*per_page;
    return 0;
}

/* Unicode code points in s[0..n) (UTF-8: every byte but continuation bytes). */
static size_t code_points(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += ((unsigned char)s[i] & 0xC0) != 0x80;
    return k;
}

static void html_escaped(char **p, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *e = s[i] == '&'    ? "&amp;"
                        : s[i] == '<'  ? "&lt;"
                        : s[i] == '>'  ? "&gt;"
                        : s[i] == '"'  ? "&quot;"
                        : s[i] == '\'' ? "&#39;"
                                       : NULL;
        if (e) {
            memcpy(*p, e, strlen(e));
            *p += strlen(e);
        } else {
            *(*p)++ = s[i];
        }
    }
}

/* "snippet": {"field", "text", "html" (escaped, searched words in <mark>), "marks": [[start,
 * end), ...] in code points of text}. */
static bool add_snippet(cJSON *item, const cm_snippet_t *sn)
{
    if (!sn->field || !sn->text)
        return true;
    size_t len = strlen(sn->text);
    char *html = malloc(len * 6 + sn->n_marks * 13 + 1); /* "&quot;" is the longest escape */
    cJSON *o = cJSON_AddObjectToObject(item, "snippet");
    cJSON *marks = o ? cJSON_CreateArray() : NULL;
    bool ok = html && o && marks && cJSON_AddStringToObject(o, "field", sn->field) &&
              cJSON_AddStringToObject(o, "text", sn->text);
    char *p = html;
    size_t at = 0;
    for (size_t i = 0; ok && i < sn->n_marks; i++) {
        const cm_snippet_mark_t *m = &sn->marks[i];
        if (m->start < at || m->start + m->len > len)
            continue; /* cannot happen: marks are in order, inside text */
        html_escaped(&p, sn->text + at, m->start - at);
        memcpy(p, "<mark>", 6);
        p += 6;
        html_escaped(&p, sn->text + m->start, m->len);
        memcpy(p, "</mark>", 7);
        p += 7;
        at = m->start + m->len;
        size_t a = code_points(sn->text, m->start);
        cJSON *pair = cJSON_CreateArray();
        ok = pair && cJSON_AddItemToArray(marks, pair) &&
             cJSON_AddItemToArray(pair, cJSON_CreateNumber((double)a)) &&
             cJSON_AddItemToArray(
                 pair, cJSON_CreateNumber((double)(a + code_points(sn->text + m->start, m->len))));
    }
    if (ok) {
        html_escaped(&p, sn->text + at, len - at);
        *p = '\0';
        ok = cJSON_AddStringToObject(o, "html", html) != NULL &&
             cJSON_AddItemToObject(o, "marks", marks);
        marks = ok ? NULL : marks;
    }
    cJSON_Delete(marks);
    free(html);
    return ok;
}

static cJSON *hits_json(const cm_search_result_t *r, bool geo)
{
    cJSON *arr = cJSON_CreateArray();
    if (!arr)
        return NULL;
    for (size_t i = 0; i < r->n_hits; i++) {
        const cm_search_hit_t *h = &r->hits[i];
        char *text = cm_offer_to_json(h->offer, 0);
        cJSON *item = cJSON_CreateObject();
        cJSON *raw = text ? cJSON_CreateRaw(text) : NULL;
        cm_free(text);
        if (!item || !raw || !cJSON_AddItemToObject(item, "offer", raw)) {
            cJSON_Delete(item);
            cJSON_Delete(raw);
            cJSON_Delete(arr);
            return NULL;
        }
        /* the contract's result always has distance_km: null without a centre */
        if (!(geo ? cJSON_AddNumberToObject(item, "distance_km", srv_round1(h->distance_km))
                  : cJSON_AddNullToObject(item, "distance_km")) ||
            !cJSON_AddNumberToObject(item, "score", srv_round1(h->score)) ||
            !add_snippet(item, &h->snippet) || !cJSON_AddItemToArray(arr, item)) {
            cJSON_Delete(item);
            cJSON_Delete(arr);
            return NULL;
        }
    }
    return arr;
}

static cJSON *facets_json(const cm_search_result_t *r, unsigned wanted)
{
    cJSON *obj = cJSON_CreateObject();
    if (!obj)
        return NULL;
    for (int f = 0; f < CM_FACET__COUNT; f++) {
        if (!(wanted & (1u << f)))
            continue;
        cJSON *counts = cJSON_AddObjectToObject(obj, FACET_NAMES[f]);
        if (!counts) {
            cJSON_Delete(obj);
            return NULL;
        }
        for (size_t i = 0; i < r->n_facets[f]; i++)
            if (!cJSON_AddNumberToObject(counts, r->facets[f][i].value,
                                         (double)r->facets[f][i].count)) {
                cJSON_Delete(obj);
                return NULL;
            }
    }
    return obj;
}

/* "text_match" (how much of q the results hold) and "corrected" (typed words searched as the
 * closest indexed word), with words in q only. */
static bool add_text_match(cJSON *root, const cm_search_result_t *r)
{
    static const char *const names[] = {[CM_TEXT_MATCH_ALL] = "all",
                                        [CM_TEXT_MATCH_ALL_BUT_ONE] = "all_but_one",
                                        [CM_TEXT_MATCH_ANY] = "any",
                                        [CM_TEXT_MATCH_OPERATORS] = "operators"};
    if (r->text_match < CM_TEXT_MATCH_ALL || r->text_match > CM_TEXT_MATCH_OPERATORS)
        return true;
    if (!cJSON_AddStringToObject(root, "text_match", names[r->text_match]))
        return false;
    if (r->n_corrected == 0)
        return true;
    cJSON *c = cJSON_CreateStringArray((const char *const *)r->corrected, (int)r->n_corrected);
    return c && cJSON_AddItemToObject(root, "corrected", c);
}

/* "read_as_filters": the facts q denied in words ("sans permis"), filtered out as the
 * parameters of the same names would: {"driving_licence": false} */
static bool add_read_filters(cJSON *root, unsigned denied)
{
    if (!denied)
        return true;
    cJSON *o = cJSON_AddObjectToObject(root, "read_as_filters");
    if (!o)
        return false;
    for (size_t i = 0; i < sizeof facts / sizeof facts[0]; i++)
        if ((denied & facts[i].fact) && !cJSON_AddFalseToObject(o, facts[i].name))
            return false;
    return true;
}

void srv_h_search(srv_req_t *req)
{
    cm_search_query_t q;
    long page = 1, per_page = 20;
    cm_search_result_t *res = NULL;
    if (parse_query(req, &q, &page, &per_page) != 0)
        goto done;
    cm_error err = {0};
    int rc = cm_engine_search(req->engine, &q, &res, &err);
    if (rc != 0) {
        srv_reply_rc(req, rc, &err, false);
        goto done;
    }
    cJSON *root = cJSON_CreateObject();
    cJSON *hits = hits_json(res, q.has_geo || res->placed);
    cJSON *facets = facets_json(res, q.facets);
    if (!root || !hits || !facets || !cJSON_AddNumberToObject(root, "total", (double)res->total) ||
        !cJSON_AddNumberToObject(root, "page", (double)page) ||
        !cJSON_AddNumberToObject(root, "per_page", (double)per_page)) {
        cJSON_Delete(root);
        cJSON_Delete(hits);
        cJSON_Delete(facets);
        srv_reply_error(req, 500, "internal", NULL, "out of memory");
        goto done;
    }
    cJSON_AddItemToObject(root, "results", hits);
    cJSON_AddItemToObject(root, "facets", facets);
    if ((res->text_match != CM_TEXT_MATCH_NONE && !add_text_match(root, res)) ||
        !add_read_filters(root, res->read_without) ||
        (res->placed &&
         !srv_json_add_center(root, res->center, res->center_commune, res->center_source))) {
        cJSON_Delete(root);
        srv_reply_error(req, 500, "internal", NULL, "out of memory");
        goto done;
    }
    srv_reply_json(req, 200, root);
done:
    for (size_t i = 0; i < q.n_rome; i++)
        free((char *)q.rome[i]);
    if (res)
        cm_search_result_free(res);
}
