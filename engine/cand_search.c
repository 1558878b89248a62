/* Candidate search for advisers: filters on the in-memory catalog (every active candidate, an
 * exact total), the page ordered by distance or id, then the page's records from storage. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "carematch/referential.h"
#include "catalog.h"
#include "engine_impl.h"
#include "record_internal.h"
#include "sort_u32.h"
#include "topk.h"
#include "week.h"

/* ---- Availability needs ---- */

#define NIGHT_FROM (21 * 60)
#define NIGHT_TO (6 * 60)

static bool parse_hhmm(const char *s, size_t n, uint16_t *out)
{
    if (n != 5 || s[2] != ':' || !isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) ||
        !isdigit((unsigned char)s[3]) || !isdigit((unsigned char)s[4]))
        return false;
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    if (h > 23 || m > 59)
        return false;
    *out = (uint16_t)(h * 60 + m);
    return true;
}

/* One day name of s[0..n) (mon..sun, case ignored): its index, or -1. */
static int day_of(const char *s, size_t n)
{
    char buf[4];
    if (n != 3)
        return -1;
    for (size_t i = 0; i < 3; i++)
        buf[i] = (char)tolower((unsigned char)s[i]);
    buf[3] = '\0';
    return cm__day_parse(buf);
}

/* DAYS: "mon", "mon-fri", "fri-mon" (wraps), "mon,wed,fri-sun" -> CM_DAY_* set, or 0. */
static uint8_t parse_days(const char *s, size_t n)
{
    uint8_t days = 0;
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && s[j] != ',')
            j++;
        int a, b;
        if (j - i == 3) {
            a = b = day_of(s + i, 3);
        } else if (j - i == 7 && s[i + 3] == '-') {
            a = day_of(s + i, 3);
            b = day_of(s + i + 4, 3);
        } else {
            return 0;
        }
        if (a < 0 || b < 0)
            return 0;
        for (int d = a;; d = (d + 1) % 7) {
            days |= (uint8_t)(1u << d);
            if (d == b)
                break;
        }
        i = j + 1;
        if (j + 1 == n) /* a trailing comma */
            return 0;
    }
    return days;
}

int cm_avail_need_parse(const char *text, cm_avail_need_t *out, cm_error *err)
{
    static const char *const how_to =
        "available is night, weekend, days (mon, mon-fri, sat,sun) or days and a window "
        "(mon-fri 08:00-12:00)";
    memset(out, 0, sizeof *out);
    if (!text)
        return cm_error_set(err, CM_EINVAL, "available", "%s", how_to);
    while (*text == ' ')
        text++;
    size_t n = strlen(text);
    while (n && text[n - 1] == ' ')
        n--;
    cm_window_t w = {0, 0, 0};
    if (n == 5 && strncasecmp(text, "night", 5) == 0) {
        w = (cm_window_t){CM_DAYS_ALL, NIGHT_FROM, NIGHT_TO};
        out->how = CM_AVAIL_SOME;
    } else if (n == 7 && strncasecmp(text, "weekend", 7) == 0) {
        w = (cm_window_t){(uint8_t)(CM_DAY_SUN | (CM_DAY_SUN >> 1)), 0, 0}; /* whole days */
        out->how = CM_AVAIL_SOME;
    } else {
        const char *sp = memchr(text, ' ', n);
        size_t nd = sp ? (size_t)(sp - text) : n;
        w.days = parse_days(text, nd);
        if (!w.days)
            return cm_error_set(err, CM_EINVAL, "available", "%s; got \"%.40s\"", how_to, text);
        if (!sp) {
            w.from_min = w.to_min = 0; /* whole days */
            out->how = CM_AVAIL_EACH_DAY;
        } else {
            const char *t = sp;
            while (*t == ' ')
                t++;
            size_t nt = n - (size_t)(t - text);
            if (nt != 11 || t[5] != '-' || !parse_hhmm(t, 5, &w.from_min) ||
                !parse_hhmm(t + 6, 5, &w.to_min))
                return cm_error_set(err, CM_EINVAL, "available",
                                    "%s; the window is HH:MM-HH:MM, got \"%.40s\"", how_to, text);
            if (w.from_min == w.to_min)
                return cm_error_set(err, CM_EINVAL, "available",
                                    "available: a window must not start and end at the same time");
            out->how = CM_AVAIL_ALL;
        }
    }
    cm_week_from_windows(&w, 1, &out->slots);
    return 0;
}

/* ---- The prepared query ---- */

#define NEEDS_MAX (CM_AVAIL_NEEDS_MAX * 7) /* EACH_DAY needs split by day */

typedef struct prep {
    uint32_t rome[CM_CAND_SEARCH_VALUES_MAX];
    size_t n_rome;
    uint32_t title[CM_CAND_SEARCH_VALUES_MAX], title_rome[CM_CAND_SEARCH_VALUES_MAX];
    size_t n_title;
    uint32_t cert[CM_CAND_SEARCH_VALUES_MAX];
    size_t n_cert;
    bool geo;
    cm_geo_t center;
    double radius;                          /* 0: no limit */
    int32_t lat_lo, lat_hi, lon_lo, lon_hi; /* bounding box of the radius (cheap pre-test) */
    cm_week_t need[NEEDS_MAX];
    bool need_all[NEEDS_MAX]; /* every slot (else some slot) */
    size_t n_need;
    uint8_t flags_on, flags_off; /* CM__C_* that must be set / clear */
    uint8_t modes;
    uint32_t dept_packed; /* the département asked for, cm__dept_pack'ed (0: any) */
} prep_t;

static void flag_want(prep_t *p, int v, uint8_t flag)
{
    if (v == 1)
        p->flags_on |= flag;
    else if (v == 0)
        p->flags_off |= flag;
}

static int prepare(const cm_candidate_query_t *q, cm_geo_t center, bool geo, prep_t *p,
                   cm_error *err)
{
    memset(p, 0, sizeof *p);
    if (q->n_rome > CM_CAND_SEARCH_VALUES_MAX || q->n_job_title > CM_CAND_SEARCH_VALUES_MAX ||
        q->n_certification > CM_CAND_SEARCH_VALUES_MAX || q->n_available > CM_AVAIL_NEEDS_MAX)
        return cm_error_set(err, CM_EINVAL,
                            q->n_rome > CM_CAND_SEARCH_VALUES_MAX        ? "rome"
                            : q->n_job_title > CM_CAND_SEARCH_VALUES_MAX ? "job_title"
                            : q->n_available > CM_AVAIL_NEEDS_MAX        ? "available"
                                                                         : "certification",
                            "at most %d values of a filter (%d availability needs)",
                            CM_CAND_SEARCH_VALUES_MAX, CM_AVAIL_NEEDS_MAX);
    if (q->limit < 1 || q->limit > CM_SEARCH_PER_PAGE_MAX)
        return cm_error_set(err, CM_EINVAL, "per_page", "per_page is 1 to %d",
                            CM_SEARCH_PER_PAGE_MAX);
    for (size_t i = 0; i < q->n_rome; i++) {
        if (!q->rome[i] || !cm_rome_valid(q->rome[i]))
            return cm_error_set(err, CM_EINVAL, "rome",
                                "rome: \"%.40s\" is not a ROME 4.0 code (like J1501)",
                                q->rome[i] ? q->rome[i] : "");
        p->rome[p->n_rome++] = cm__rome_code(q->rome[i]);
    }
    for (size_t i = 0; i < q->n_job_title; i++) {
        cm_rome_title_t t;
        if (cm_rome_title_by_ogr(q->job_title[i], &t) != 0)
            return cm_error_set(err, CM_EINVAL, "job_title",
                                "job_title: %u is not the OGR code of a ROME job title",
                                (unsigned)q->job_title[i]);
        p->title[p->n_title] = q->job_title[i];
        p->title_rome[p->n_title++] = cm__rome_code(t.rome);
    }
    for (size_t i = 0; i < q->n_certification; i++) {
        char canon[CM_CERT_MAX + 1];
        const char *c = q->certification[i];
        size_t alnum = 0;
        for (const char *s = c ? c : ""; *s; s++)
            alnum += isalnum((unsigned char)*s) != 0;
        if (alnum == 0 || alnum > CM_CERT_MAX)
            return cm_error_set(err, CM_EINVAL, "certification",
                                "certification: \"%.40s\" is not a certification code (DEAES)",
                                c ? c : "");
        cm__cert_canon(c, canon); /* the scorer's comparison: same canonical code, same hash */
        p->cert[p->n_cert++] = cm__cert_hash(canon);
    }
    char dept[4] = "";
    if (q->department && !cm_department_code(q->department, dept))
        return cm_error_set(err, CM_EINVAL, "department",
                            "department is a code like 93, 2A or 971");
    p->dept_packed = cm__dept_pack(dept);
    if (q->radius_km < 0 || (q->radius_km > 0 && !geo))
        return cm_error_set(err, CM_EINVAL, "radius_km",
                            "radius_km needs a centre: lat and lon, commune or postcode");
    p->geo = geo;
    p->center = center;
    p->radius = q->radius_km;
    if (geo && p->radius > 0) {
        /* a box a little larger than the circle: the exact distance decides */
        double dlat = p->radius / CM__KM_PER_DEGREE + 1e-3;
        double alat = fabs(center.lat_e6 / 1e6) + dlat;
        double coslat = cos((alat > 89.0 ? 89.0 : alat) * M_PI / 180.0);
        double dlon = p->radius / (CM__KM_PER_DEGREE * coslat) + 1e-3;
        p->lat_lo = (int32_t)fmax(-90e6, center.lat_e6 - dlat * 1e6);
        p->lat_hi = (int32_t)fmin(90e6, center.lat_e6 + dlat * 1e6);
        p->lon_lo = (int32_t)fmax(-180e6, center.lon_e6 - fmin(dlon, 360.0) * 1e6);
        p->lon_hi = (int32_t)fmin(180e6, center.lon_e6 + fmin(dlon, 360.0) * 1e6);
    }
    for (size_t i = 0; i < q->n_available; i++) {
        const cm_avail_need_t *a = &q->available[i];
        if (a->how != CM_AVAIL_EACH_DAY) {
            p->need[p->n_need] = a->slots;
            p->need_all[p->n_need++] = a->how == CM_AVAIL_ALL;
            continue;
        }
        for (int d = 0; d < 7; d++) { /* some slot on each day the set touches */
            cm_week_t day = {{0}};
            for (int h = 0; h < CM__WEEK_SLOTS_PER_DAY; h++) {
                int bit = d * CM__WEEK_SLOTS_PER_DAY + h;
                if (a->slots.bits[bit / 64] >> (bit % 64) & 1)
                    cm__week_set(&day, d, h);
            }
            if (cm__week_popcount(&day) > 0) {
                p->need[p->n_need] = day;
                p->need_all[p->n_need++] = false;
            }
        }
    }
    flag_want(p, q->open_to_immersion, CM__C_IMMERSION);
    flag_want(p, q->open_to_training, CM__C_TRAINING);
    flag_want(p, q->driving_licence, CM__C_LICENCE);
    flag_want(p, q->vehicle, CM__C_VEHICLE);
    p->modes = q->modes;
    return 0;
}

/* ---- The filter (under the catalog's read lock) ---- */

static bool wants_rome(const cm__cand_slot_t *s, uint32_t r)
{
    for (uint32_t i = 0; i < s->n_rome; i++)
        if (s->rome[i] == r)
            return true;
    return false;
}

/* She named title t, or wants its code r without having named a title of r. */
static bool wants_title(const cm__cand_slot_t *s, uint32_t t, uint32_t r)
{
    const cm__cand_fields_t *f = &s->f;
    const uint32_t *titles = f->hash + f->n_skills + f->n_certs, *codes = titles + f->n_titles;
    bool titled = false;
    for (uint32_t i = 0; i < f->n_titles; i++) {
        if (titles[i] == t)
            return true;
        titled |= codes[i] == r;
    }
    return !titled && wants_rome(s, r);
}

static bool avail_meets(const cm__cand_fields_t *f, const prep_t *p)
{
    if (!(f->flags & CM__C_HAS_AVAIL))
        return true; /* no availability given: available at any time (the contract) */
    for (size_t k = 0; k < p->n_need; k++) {
        bool all = true, some = false;
        for (size_t i = 0; i < CM__WEEK_WORDS; i++) {
            uint64_t need = p->need[k].bits[i], have = f->week.bits[i];
            some |= (need & have) != 0;
            all &= (need & ~have) == 0;
        }
        if (p->need_all[k] ? !all : !some)
            return false;
    }
    return true;
}

/* The first test, on the packed column (cm__csrch_t): listed, flags, modes, département and
 * the radius's box. Most searches name a place: most candidates stop here. */
static bool may_pass(const cm__csrch_t *x, const prep_t *p)
{
    if (!x->on || (x->flags & p->flags_on) != p->flags_on || (x->flags & p->flags_off) != 0)
        return false;
    if (p->modes && !(x->modes & p->modes))
        return false;
    if (p->dept_packed && x->dept != p->dept_packed)
        return false;
    return !(p->geo && p->radius > 0 &&
             (x->loc.lat_e6 < p->lat_lo || x->loc.lat_e6 > p->lat_hi || x->loc.lon_e6 < p->lon_lo ||
              x->loc.lon_e6 > p->lon_hi));
}

/* Does slot s, whose column passed may_pass, pass the other filters (codes, titles,
 * certifications, availability, the exact radius)? *km gets its distance from the centre. */
static bool passes(const cm__cand_slot_t *s, const prep_t *p, double *km)
{
    const cm__cand_fields_t *f = &s->f;
    if (p->n_rome) {
        bool any = false;
        for (size_t i = 0; i < p->n_rome && !any; i++)
            any = wants_rome(s, p->rome[i]);
        if (!any)
            return false;
    }
    if (p->n_title) {
        bool any = false;
        for (size_t i = 0; i < p->n_title && !any; i++)
            any = wants_title(s, p->title[i], p->title_rome[i]);
        if (!any)
            return false;
    }
    if (p->n_cert) {
        bool any = false;
        for (size_t i = 0; i < p->n_cert && !any; i++)
            any = cm__has_u32(f->hash + f->n_skills, f->n_certs, p->cert[i]);
        if (!any)
            return false;
    }
    if (p->n_need && !avail_meets(f, p))
        return false;
    *km = -1;
    if (p->geo) {
        *km = cm__distance_km(p->center, f->loc);
        if (p->radius > 0 && *km > p->radius)
            return false;
    }
    return true;
}

/* ---- The page: the first offset + limit by (distance, id) or id, in a bounded heap ---- */

typedef struct found {
    uint32_t slot, gen; /* gen: the slot's when found (cm__cand_slot_t) */
    double km;
} found_t;

typedef struct page_ctx {
    const cm__catalog_t *cat;
    bool geo;
} page_ctx_t;

/* x ranks before y */
static bool before(const void *xv, const void *yv, void *cv)
{
    const page_ctx_t *c = cv;
    const found_t *x = xv, *y = yv;
    if (c->geo && x->km != y->km)
        return x->km < y->km;
    return strcmp(c->cat->cands[x->slot].id, c->cat->cands[y->slot].id) < 0;
}

static int found_cmp(const void *a, const void *b, void *arg)
{
    return before(a, b, arg) ? -1 : before(b, a, arg) ? 1 : 0;
}

typedef struct page_ids {
    char (*id)[CM_ID_MAX + 1];
    double *km;
    size_t n;
} page_ids_t;

/* Slots scanned per hold of the read lock (~1 ms): a write waits for that, not for a whole
 * scan of a million candidates (tens of ms, and several scans overlap under load). */
unsigned cm__cand_scan_hold = 32768;
void (*cm__cand_scan_yielded)(void);

/* Back under the lock after letting writes in: drop what was found in a slot since freed
 * (erased, or reused by another candidate), then make the rest a heap again. */
static void revalidate(const cm__catalog_t *cat, found_t *h, size_t *n, size_t cap, page_ctx_t *ctx)
{
    size_t m = 0;
    for (size_t j = 0; j < *n; j++) {
        const cm__cand_slot_t *s = &cat->cands[h[j].slot];
        if (s->live && s->indexed && s->gen == h[j].gen)
            h[m++] = h[j];
    }
    if (m == *n)
        return;
    *n = 0;
    for (size_t j = 0; j < m; j++) { /* the heap's writes stay at or below j */
        found_t x = h[j];
        cm__topk_offer(h, n, cap, sizeof x, &x, before, ctx);
    }
}

/* Scan the catalog: total, and the page's ids (copied: the lock is released before reads).
 * The lock is let go every cm__cand_scan_hold slots: a candidate written meanwhile is seen or not,
 * as if written before or after; one erased and written again may be counted twice in the total but
 * is listed once. */
static int scan(cm__catalog_t *cat, const prep_t *p, unsigned offset, unsigned limit,
                uint64_t *total, page_ids_t *page)
{
    size_t cap = (size_t)offset + limit, n = 0, alloc = 0;
    uint64_t count = 0;
    found_t *h = NULL;
    int rc = 0;
    if (pthread_rwlock_rdlock(&cat->lock) != 0)
        return CM_EINTERNAL;
    page_ctx_t ctx = {cat, p->geo};
    unsigned hold = cm__cand_scan_hold ? cm__cand_scan_hold : 1;
    for (uint32_t i = 0, next = hold; i < cat->n_cands; i++) {
        if (i == next) {
            next += hold;
            pthread_rwlock_unlock(&cat->lock);
            if (cm__cand_scan_yielded)
                cm__cand_scan_yielded();
            if (pthread_rwlock_rdlock(&cat->lock) != 0) {
                free(h);
                return CM_EINTERNAL;
            }
            revalidate(cat, h, &n, cap, &ctx);
            if (i >= cat->n_cands)
                break;
        }
        /* the column first (listed: stored and active, the candidates matching sees), then
         * the slot */
        if (!may_pass(&cat->csrch[i], p))
            continue;
        const cm__cand_slot_t *s = &cat->cands[i];
        double km;
        if (!passes(s, p, &km))
            continue;
        count++;
        if (n == alloc && n < cap) { /* grown as found: a deep page of a few hits stays small */
            size_t na = alloc ? alloc * 2 : 64;
            found_t *g = realloc(h, (na < cap ? na : cap) * sizeof *g);
            if (!g) {
                rc = CM_ENOMEM;
                break;
            }
            h = g;
            alloc = na < cap ? na : cap;
        }
        found_t x = {i, s->gen, km};
        cm__topk_offer(h, &n, cap, sizeof x, &x, before, &ctx);
    }
    if (rc) {
        pthread_rwlock_unlock(&cat->lock);
        free(h);
        return rc;
    }
    if (n > 1)
        qsort_r(h, n, sizeof *h, found_cmp, &ctx); /* reentrant: searches run in parallel */
    size_t k = n > offset ? n - offset : 0;
    page->n = 0;
    page->id = k ? malloc(k * sizeof *page->id) : NULL;
    page->km = k ? malloc(k * sizeof *page->km) : NULL;
    if (k && (!page->id || !page->km)) {
        rc = CM_ENOMEM;
    } else {
        for (size_t i = 0; i < k; i++) {
            memcpy(page->id[i], cat->cands[h[offset + i].slot].id, CM_ID_MAX + 1);
            page->km[i] = h[offset + i].km;
        }
        page->n = k;
    }
    pthread_rwlock_unlock(&cat->lock);
    free(h);
    *total = count;
    return rc;
}

/* ---- The façade ---- */

void cm_candidate_query_init(cm_candidate_query_t *q)
{
    memset(q, 0, sizeof *q);
    q->open_to_immersion = q->open_to_training = q->driving_licence = q->vehicle = -1;
    q->limit = 20;
}

/* A centre given as a commune or a postcode, placed as the offer search places it. */
static int place(const cm_candidate_query_t *q, cm_candidate_search_result_t *r, cm_error *err)
{
    int rc = cm__query_place(q->commune, q->postcode, q->city, &r->center, r->center_commune,
                             &r->center_source, err);
    r->placed = rc == 0;
    return rc;
}

int cm_engine_search_candidates(cm_engine_t *e, const cm_candidate_query_t *q,
                                cm_candidate_search_result_t **out, cm_error *err)
{
    prep_t *p = NULL;
    page_ids_t page = {0};
    *out = NULL;
    cm_candidate_search_result_t *r = calloc(1, sizeof *r);
    if (!r)
        return CM_ENOMEM;
    int rc = 0;
    if (!q->has_geo && (q->commune || q->postcode))
        rc = place(q, r, err);
    bool geo = q->has_geo || r->placed;
    cm_geo_t center = q->has_geo ? q->center : r->center;
    if (rc == 0 && !(p = malloc(sizeof *p)))
        rc = CM_ENOMEM;
    if (rc == 0)
        rc = prepare(q, center, geo, p, err);
    if (rc == 0)
        rc = cm__catalog_ensure(e);
    if (rc == 0)
        rc = scan(e->catalog, p, q->offset, q->limit, &r->total, &page);
    if (rc == 0 && page.n && !(r->hits = calloc(page.n, sizeof *r->hits)))
        rc = CM_ENOMEM;
    for (size_t i = 0; rc == 0 && i < page.n; i++) {
        cm_candidate_t *c;
        int grc = cm__store_get_candidate(e->store, page.id[i], &c);
        if (grc == CM_ENOTFOUND || cm__record_left_out(e, grc, "candidate", page.id[i]))
            continue; /* erased between the scan and now; or damaged */
        if (grc) {
            rc = grc;
            break;
        }
        r->hits[r->n_hits].candidate = c;
        r->hits[r->n_hits++].distance_km = page.km[i];
    }
    free(page.id);
    free(page.km);
    free(p);
    if (rc) {
        cm_candidate_search_result_free(r);
        return rc;
    }
    *out = r;
    return 0;
}

void cm_candidate_search_result_free(cm_candidate_search_result_t *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_hits; i++)
        cm_candidate_free(r->hits[i].candidate);
    free(r->hits);
    free(r);
}
