/* Record helpers: enum name tables, syntax checks, week bitmaps, départements, dates, event
 * names and date-times, and record allocation. Pure functions, no I/O. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carematch/engine.h"
#include "record_internal.h"
#include "week.h"

static const char *const contract_names[CM_CONTRACT__COUNT] = {
    "CDI", "CDD", "interim", "apprentissage", "professionnalisation", "liberal", "saisonnier",
};
static const char *const employer_names[CM_EMPLOYER__COUNT] = {
    NULL,  "ehpad", "saad",  "ssiad",   "esat",   "ime",
    "mas", "fam",   "foyer", "hopital", "creche", "other",
};
static const char *const offer_status_names[CM_OFFER_STATUS__COUNT] = {"open", "filled", "closed"};
static const char *const cand_status_names[CM_CAND_STATUS__COUNT] = {"active", "inactive", "hired"};

const char *const cm__day_names[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
const char *const cm__mode_names[CM__MODE_NAMES] = {"car", "transit", "bike", "walk", "moped"};
const char *const cm__salary_period_names[CM_SALARY__COUNT] = {NULL, "hour", "month", "year"};
/* Bit sets by bit index (CM_WORK_*, CM_DEMAND_*, CM_RESTRICT_*, CM_STRICT_*), NULL-ended. */
const char *const cm__work_names[] = {"day", "night", "weekend", "split", "shifts", NULL};
const char *const cm__demand_names[] = {"lifting", "standing", "hearing", NULL};
const char *const cm__restriction_names[] = {"lifting", "standing", "hearing", "night", NULL};
const char *const cm__strict_names[] = {"hours", "contracts", NULL};
const char *const cm__xp_names[CM_XP__COUNT] = {NULL, "beginner_ok", "wanted", "required"};

static int lookup(const char *const *names, int n, const char *s)
{
    if (!s)
        return -1;
    for (int i = 0; i < n; i++)
        if (names[i] && strcmp(names[i], s) == 0)
            return i;
    return -1;
}

const char *cm_contract_name(cm_contract_t c)
{
    return (unsigned)c < CM_CONTRACT__COUNT ? contract_names[c] : "";
}

int cm_contract_parse(const char *s)
{
    return lookup(contract_names, CM_CONTRACT__COUNT, s);
}

const char *cm_mode_name(unsigned mode_bit)
{
    for (int i = 0; i < CM__MODE_NAMES; i++)
        if (mode_bit == 1u << i)
            return cm__mode_names[i];
    return "unknown";
}

/* Name of one bit of a NULL-ended bit-name table. */
static const char *bit_name(const char *const *names, unsigned bit)
{
    for (int i = 0; names[i]; i++)
        if (bit == 1u << i)
            return names[i];
    return NULL;
}

const char *cm_work_pattern_name(unsigned bit)
{
    return bit_name(cm__work_names, bit);
}

const char *cm_demand_name(unsigned bit)
{
    return bit_name(cm__demand_names, bit);
}

const char *cm_restriction_name(unsigned bit)
{
    return bit_name(cm__restriction_names, bit);
}

const char *cm_strict_name(unsigned bit)
{
    return bit_name(cm__strict_names, bit);
}

const char *cm_experience_level_name(cm_experience_level_t l)
{
    return (unsigned)l < CM_XP__COUNT ? cm__xp_names[l] : NULL;
}

int cm__experience_level_parse(const char *s)
{
    int v = lookup(cm__xp_names, CM_XP__COUNT, s);
    return v > 0 ? v : -1;
}

const char *cm_employer_kind_name(cm_employer_kind_t k)
{
    /* UNSET has no JSON name; "" keeps callers from printing NULL. */
    return (unsigned)k < CM_EMPLOYER__COUNT && employer_names[k] ? employer_names[k] : "";
}

int cm_employer_kind_parse(const char *s)
{
    return lookup(employer_names, CM_EMPLOYER__COUNT, s);
}

const char *cm_offer_status_name(cm_offer_status_t s)
{
    return (unsigned)s < CM_OFFER_STATUS__COUNT ? offer_status_names[s] : "";
}

const char *cm_candidate_status_name(cm_candidate_status_t s)
{
    return (unsigned)s < CM_CAND_STATUS__COUNT ? cand_status_names[s] : "";
}

int cm__offer_status_parse(const char *s)
{
    return lookup(offer_status_names, CM_OFFER_STATUS__COUNT, s);
}

int cm__candidate_status_parse(const char *s)
{
    return lookup(cand_status_names, CM_CAND_STATUS__COUNT, s);
}

int cm__day_parse(const char *s)
{
    return lookup(cm__day_names, 7, s);
}

int cm__mode_parse(const char *s)
{
    return lookup(cm__mode_names, CM__MODE_NAMES, s);
}

int cm__salary_period_parse(const char *s)
{
    return lookup(cm__salary_period_names, CM_SALARY__COUNT, s);
}

/* ---- Syntax checks ---- */

bool cm_id_valid(const char *s, size_t len)
{
    if (!s || len == 0 || len > CM_ID_MAX)
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == '-';
        if (!ok)
            return false;
    }
    return true;
}

bool cm_id_reserved(const char *s, size_t len)
{
    if (!s || len == 0)
        return false;
    return (len == 5 && memcmp(s, "_bulk", 5) == 0) || (len == 6 && memcmp(s, "search", 6) == 0) ||
           (len == 1 && s[0] == '.') || (len == 2 && s[0] == '.' && s[1] == '.');
}

int cm__text_check(const char *s, size_t n, bool multiline)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned char c = p[i];
        if (c < 0x80) {
            if (c < 0x20 || c == 0x7f) {
                if (!(multiline && (c == '\t' || c == '\n' || c == '\r')))
                    return CM__TEXT_CONTROL;
            }
            i++;
            continue;
        }
        /* Table 3-7 of the Unicode standard: the second byte's range depends on the first,
         * which is what excludes overlongs, surrogates and values past U+10FFFF. */
        size_t len;
        unsigned char lo = 0x80, hi = 0xbf;
        if (c >= 0xc2 && c <= 0xdf) {
            len = 2;
        } else if (c >= 0xe0 && c <= 0xef) {
            len = 3;
            if (c == 0xe0)
                lo = 0xa0;
            else if (c == 0xed)
                hi = 0x9f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            len = 4;
            if (c == 0xf0)
                lo = 0x90;
            else if (c == 0xf4)
                hi = 0x8f;
        } else {
            return CM__TEXT_BAD_UTF8;
        }
        if (n - i < len)
            return CM__TEXT_BAD_UTF8;
        if (p[i + 1] < lo || p[i + 1] > hi)
            return CM__TEXT_BAD_UTF8;
        for (size_t k = 2; k < len; k++)
            if (p[i + k] < 0x80 || p[i + k] > 0xbf)
                return CM__TEXT_BAD_UTF8;
        i += len;
    }
    return CM__TEXT_OK;
}

bool cm__text_c1(const char *s, size_t n)
{
    for (size_t i = 0; i + 1 < n; i++)
        if ((unsigned char)s[i] == 0xc2 && (unsigned char)s[i + 1] <= 0x9f)
            return true; /* C2 80..9F: U+0080..U+009F (a second byte, in valid UTF-8) */
    return false;
}

/* engine/ref/compose_data.c (scripts/gen_compose.py) */
extern const uint8_t cm__compose_mark[];
extern const char cm__compose_base[];
extern const uint16_t cm__compose_cp[];
extern const size_t cm__compose_count;

/* The code point NFC makes of ASCII letter `base` and combining mark U+0300 + `mark`, or 0. */
static unsigned compose_pair(unsigned mark, char base)
{
    unsigned key = mark << 8 | (unsigned char)base;
    size_t lo = 0, hi = cm__compose_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        unsigned k = (unsigned)cm__compose_mark[mid] << 8 | (unsigned char)cm__compose_base[mid];
        if (k == key)
            return cm__compose_cp[mid];
        if (k < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

size_t cm_text_compose(char *s, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        /* a combining mark U+0300..U+036F: CC 80..BF, CD 80..AF */
        if ((c == 0xcc || c == 0xcd) && i + 1 < n && o > 0) {
            unsigned char c2 = (unsigned char)s[i + 1];
            unsigned mark = (c == 0xcc ? 0u : 0x40u) + (c2 - 0x80u);
            char base = s[o - 1];
            unsigned cp = c2 >= 0x80 && c2 <= 0xbf && mark < 0x70 &&
                                  ((base >= 'A' && base <= 'Z') || (base >= 'a' && base <= 'z'))
                              ? compose_pair(mark, base)
                              : 0;
            if (cp) { /* below U+0800: two bytes where base and mark took three */
                s[o - 1] = (char)(0xc0 | cp >> 6);
                s[o++] = (char)(0x80 | (cp & 0x3f));
                i++;
                continue;
            }
        }
        s[o++] = s[i];
    }
    if (o < n)
        s[o] = '\0';
    return o;
}

bool cm__text_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!(s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
            return false;
    return true;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

bool cm__rome_parse(const char *s, size_t n, bool normalise, char out[6])
{
    if (n != 5)
        return false;
    char l = s[0];
    if (normalise && l >= 'a' && l <= 'z')
        l = (char)(l - 'a' + 'A');
    if (!(l >= 'A' && l <= 'Z'))
        return false;
    for (int i = 1; i < 5; i++)
        if (!is_digit(s[i]))
            return false;
    out[0] = l;
    memcpy(out + 1, s + 1, 4);
    out[5] = '\0';
    return true;
}

bool cm__cert_parse(const char *s, size_t n, char *out)
{
    if (n == 0 || n > CM_CERT_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        else if (!((c >= 'A' && c <= 'Z') || is_digit(c) || c == '_' || c == '.' || c == '-'))
            return false;
        out[i] = c;
    }
    out[n] = '\0';
    return true;
}

bool cm__postcode_valid(const char *s, size_t n)
{
    if (n != 5)
        return false;
    for (size_t i = 0; i < 5; i++)
        if (!is_digit(s[i]))
            return false;
    return true;
}

/* ---- Weeks ---- */

static void set_slots(cm_week_t *w, int day, int from_slot, int to_slot)
{
    for (int h = from_slot; h < to_slot; h++)
        cm__week_set(w, day, h);
}

/* Windows to slots. Outward (what is worked: a half-hour partly worked counts), or to the
 * nearest slot edge with a quarter-hour tie going outward (what she can give: 08:29 starts at
 * 08:30, 08:15 at 08:00; 23:59 ends the day). */
static void week_from(const cm_window_t *w, size_t n, bool nearest, cm_week_t *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < n; i++) {
        int from = w[i].from_min, to = w[i].to_min;
        if (from > 1439 || to > 1439)
            continue; /* not produced by the decoders; ignore rather than write out of range */
        int from_slot = nearest ? (from + 14) / 30 : from / 30; /* 08:15 -> 08:00 */
        int to_slot =
            nearest ? (to == 1439 ? 48 : (to + 15) / 30) : (to + 29) / 30; /* 16:45 -> 17:00 */
        bool wraps = to <= from; /* past midnight, or from == to: 24 h */
        for (int d = 0; d < 7; d++) {
            if (!(w[i].days & (1u << d)))
                continue;
            if (!wraps) {
                set_slots(out, d, from_slot, to_slot);
            } else {
                /* The tail lands on the next day, Sunday's on Monday. */
                set_slots(out, d, from_slot, CM__WEEK_SLOTS_PER_DAY);
                set_slots(out, (d + 1) % 7, 0, to == from ? from_slot : to_slot);
            }
        }
    }
}

void cm_week_from_windows(const cm_window_t *w, size_t n, cm_week_t *out)
{
    week_from(w, n, false, out);
}

void cm_week_from_availability(const cm_window_t *w, size_t n, cm_week_t *out)
{
    week_from(w, n, true, out);
}

int cm_week_count(const cm_week_t *w)
{
    return cm__week_popcount(w);
}

/* ---- Départements ---- */

const char *cm_loc_source_name(cm_loc_source_t s)
{
    static const char *const names[CM_LOC__COUNT] = {
        "coordinates", "commune", "postcode", "postcode_and_city", "postcode_default",
    };
    return (unsigned)s < CM_LOC__COUNT ? names[s] : "coordinates";
}

bool cm_department_code(const char *d, char out[4])
{
    size_t n = strlen(d);
    if (n == 2 && d[0] == '2' && (d[1] == 'A' || d[1] == 'a' || d[1] == 'B' || d[1] == 'b')) {
        out[0] = '2';
        out[1] = (char)toupper((unsigned char)d[1]);
        out[2] = '\0';
        return true;
    }
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)d[i]))
            return false;
    int v = n == 2 || n == 3 ? atoi(d) : -1;
    if ((n == 2 && v >= 1 && v <= 95 && v != 20) || (n == 3 && v >= 971 && v <= 989)) {
        memcpy(out, d, n + 1);
        return true;
    }
    return false;
}

bool cm_department_of_postcode(const char *postcode, char out[4])
{
    if (!postcode || strlen(postcode) != 5 || !cm__postcode_valid(postcode, 5))
        return false;
    int two = (postcode[0] - '0') * 10 + (postcode[1] - '0');
    int three = two * 10 + (postcode[2] - '0');
    if (two == 20) {
        /* Corsica: 200xx-201xx is Corse-du-Sud, the rest Haute-Corse. */
        out[0] = '2';
        out[1] = three <= 201 ? 'A' : 'B';
        out[2] = '\0';
        return true;
    }
    if (two == 97) {
        if (three < 971 || three > 978)
            return false;
        memcpy(out, postcode, 3);
        out[3] = '\0';
        return true;
    }
    if (two == 98) {
        memcpy(out, postcode, 3);
        out[3] = '\0';
        return true;
    }
    if (two < 1 || two > 95)
        return false;
    out[0] = postcode[0];
    out[1] = postcode[1];
    out[2] = '\0';
    return true;
}

bool cm_department_of_place(const char *postcode, const char *commune, char out[4])
{
    if (cm_department_of_postcode(postcode, out))
        return true;
    if (!commune || strlen(commune) != 5)
        return false;
    char d[4] = {commune[0], commune[1], '\0', '\0'};
    if (commune[0] == '9' && (commune[1] == '7' || commune[1] == '8'))
        d[2] = commune[2]; /* overseas: three digits */
    if (strcmp(d, "2A") != 0 && strcmp(d, "2B") != 0 && !isdigit((unsigned char)d[1]))
        return false;
    return cm_department_code(d, out);
}

/* ---- Dates (H. Hinnant's civil calendar algorithms, proleptic Gregorian) ---- */

static int32_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + doe - 719468);
}

static void civil_from_days(int32_t z32, int *y, int *m, int *d)
{
    long z = (long)z32 + 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static int days_in_month(int y, int m)
{
    static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : dm[m - 1];
}

bool cm_date_parse(const char *s, size_t len, int32_t *days)
{
    if (!s || len != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !is_digit(s[i]))
            return false;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return false;
    *days = days_from_civil(y, m, d);
    return true;
}

void cm_date_format(int32_t days, char out[11])
{
    if (days < CM__DATE_MIN || days > CM__DATE_MAX) {
        out[0] = '\0'; /* CM_DATE_NONE and anything unrepresentable */
        return;
    }
    int y, m, d;
    civil_from_days(days, &y, &m, &d);
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = '\0';
}

/* ---- Allocation ---- */

cm_offer_t *cm__offer_new(size_t arena_hint)
{
    cm__arena_t *a = cm__arena_create(arena_hint);
    if (!a)
        return NULL;
    cm_offer_t *o = cm__arena_alloc(a, sizeof *o);
    if (!o) {
        cm__arena_destroy(a);
        return NULL;
    }
    o->arena_ = a;
    o->status = CM_OFFER_OPEN;
    o->published_days = CM_DATE_NONE;
    return o;
}

cm_candidate_t *cm__candidate_new(size_t arena_hint)
{
    cm__arena_t *a = cm__arena_create(arena_hint);
    if (!a)
        return NULL;
    cm_candidate_t *c = cm__arena_alloc(a, sizeof *c);
    if (!c) {
        cm__arena_destroy(a);
        return NULL;
    }
    c->arena_ = a;
    c->status = CM_CAND_ACTIVE;
    c->modes = CM_MODE_TRANSIT | CM_MODE_WALK;
    return c;
}

void cm_offer_free(cm_offer_t *o)
{
    /* The record itself lives in its arena, so destroying the arena frees everything.
     * A record built by hand (arena_ NULL) is the caller's to release. */
    if (o && o->arena_)
        cm__arena_destroy(o->arena_);
}

void cm_candidate_free(cm_candidate_t *c)
{
    if (c && c->arena_)
        cm__arena_destroy(c->arena_);
}

/* ---- Events: kind names and ISO 8601 date-times ---- */

static const char *const event_names[CM_EVENT__COUNT] = {
    "proposed", "immersion", "training", "hired", "rejected", "withdrawn",
};

const char *cm_event_kind_name(cm_event_kind_t k)
{
    return (unsigned)k < CM_EVENT__COUNT ? event_names[k] : "unknown";
}

int cm_event_kind_parse(const char *s)
{
    for (int i = 0; i < CM_EVENT__COUNT; i++)
        if (strcmp(s, event_names[i]) == 0)
            return i;
    return -1;
}

bool cm_datetime_parse(const char *s, int64_t *out)
{
    size_t n = strlen(s);
    int32_t days;
    if (n < 10 || !cm_date_parse(s, 10, &days))
        return false;
    int64_t secs = (int64_t)days * 86400;
    if (n == 10) {
        *out = secs;
        return true;
    }
    if (s[10] != 'T' && s[10] != ' ')
        return false;
    const char *p = s + 11;
    int hh, mm, ss = 0, used = 0;
    if (sscanf(p, "%2d:%2d%n", &hh, &mm, &used) != 2 || used != 5)
        return false;
    p += 5;
    if (*p == ':') {
        if (sscanf(p + 1, "%2d%n", &ss, &used) != 1 || used != 2)
            return false;
        p += 3;
        if (*p == '.') { /* fractional seconds: ignored */
            p++;
            while (*p >= '0' && *p <= '9')
                p++;
        }
    }
    if (hh > 23 || mm > 59 || ss > 60)
        return false;
    secs += hh * 3600 + mm * 60 + ss;
    if (*p == 'Z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh, om;
        if (sscanf(p + 1, "%2d:%2d%n", &oh, &om, &used) != 2 || used != 5 || oh > 23 ||
            om > 59)
            return false;
        int64_t off = oh * 3600 + om * 60;
        secs += *p == '+' ? -off : off;
        p += 6;
    }
    if (*p)
        return false;
    /* an offset may carry a date past year 9999 or before year 1: no ISO 8601 date to give
     * back (0001-01-01T00:00:00Z .. 9999-12-31T23:59:59Z) */
    if (secs < -62135596800LL || secs > 253402300799LL)
        return false;
    *out = secs;
    return true;
}

void cm_datetime_format(int64_t at, char out[21])
{
    if (at < -62135596800LL || at > 253402300799LL) {
        out[0] = '\0';
        return;
    }
    int64_t days = at >= 0 ? at / 86400 : -((-at + 86399) / 86400);
    int64_t rest = at - days * 86400;
    cm_date_format((int32_t)days, out); /* four digits of year, whatever the century */
    unsigned h = (unsigned)(rest / 3600) % 24u, m = (unsigned)(rest / 60 % 60),
             sec = (unsigned)(rest % 60);
    snprintf(out + 10, 11, "T%02u:%02u:%02uZ", h, m, sec);
}
