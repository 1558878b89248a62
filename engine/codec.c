/* Binary storage encoding of records: a version byte, a kind byte, then the fields in a fixed
 * order as varints, zigzag varints, little-endian doubles and length-prefixed strings; from
 * format 2, a tail of tagged optional fields (ascending tags, each at most once, absent when
 * default), so a field can be added without moving the others; format 3 adds tags (work
 * pattern, contract length, experience, certification groups, vehicle, demands,
 * restrictions, strict), so that a format-2 reader refuses it by version, not as corruption;
 * format 4 the candidate's stated mobility booleans. Formats 1 (no tail), 2 and 3 still
 * decode.
 * Decoding is bounds-checked byte by byte and re-checks every record invariant, so arbitrary
 * bytes give CM_ECORRUPT, never an out-of-bounds read or a record that breaks its header. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "codec_check.h"
#include "record_internal.h"

#define KIND_OFFER 'O'
#define KIND_CANDIDATE 'C'

/* Candidate boolean flags, in stored bit order (never reorder: stored on disk). */
enum {
    CF_DRIVING_LICENCE = 1u << 0,
    CF_VEHICLE = 1u << 1,
    CF_HAS_CHILDCARE = 1u << 2,
    CF_SOLO_PARENT = 1u << 3,
    CF_DISABILITY = 1u << 4,
    CF_IMMERSION = 1u << 5,
    CF_TRAINING = 1u << 6,
    CF__ALL = 0x7f
};
/* Offer boolean flags. */
enum {
    OF_LICENCE_REQUIRED = 1u << 0,
    OF_VEHICLE_PROVIDED = 1u << 1,
    OF_ACCESSIBLE = 1u << 2,
    OF_IMMERSION = 1u << 3,
    OF_PRE_HIRE = 1u << 4,
    OF__ALL = 0x1f
};

/* Candidate's mobility booleans given in her JSON, true or false (TAG_STATED). */
enum { STATED_LICENCE = 1u << 0, STATED_VEHICLE = 1u << 1, STATED__ALL = 0x3 };

/* Tail tags (format 2), in the order they are written. Never renumber: stored on disk. */
enum {
    TAG_COMMUNE = 1,        /* 5 bytes: INSEE commune code */
    TAG_LOC_SOURCE = 2,     /* varint: cm_loc_source_t */
    TAG_JOB_TITLE = 3,      /* varint: offer's job title OGR code */
    TAG_DESIRED_TITLES = 4, /* varint n, then n varints: candidate's job title OGR codes */
    /* format 3 */
    TAG_WORK_PATTERN = 5,  /* varint: offer's CM_WORK_* set */
    TAG_CONTRACT_DAYS = 6, /* varint: offer's contract length in days */
    TAG_EXPERIENCE = 7,    /* varint level, varint months: offer's experience asked */
    TAG_CERT_GROUPS = 8,   /* varint n (= number of certifications), n varints: groups */
    TAG_VEHICLE_REQ = 9,   /* no payload: offer's vehicle_required */
    TAG_DEMANDS = 10,      /* varint: offer's CM_DEMAND_* set */
    TAG_RESTRICTIONS = 11, /* varint: candidate's CM_RESTRICT_* set */
    TAG_STRICT = 12,       /* varint: candidate's CM_STRICT_* set */
    /* format 4 */
    TAG_STATED = 13, /* varint: candidate's STATED_* set, the mobility booleans she gave */
    TAG__MAX = 13
};

/* ---- Writer: sized exactly in a first pass would double the code; grow instead ---- */

typedef struct wbuf {
    uint8_t *p;
    size_t len, cap;
    bool oom;
} wbuf_t;

static void w_bytes(wbuf_t *w, const void *src, size_t n)
{
    if (w->oom)
        return;
    if (w->cap - w->len < n) {
        size_t cap = w->cap ? w->cap : 256;
        while (cap - w->len < n) {
            if (cap > SIZE_MAX / 2) {
                w->oom = true;
                return;
            }
            cap *= 2;
        }
        uint8_t *p = realloc(w->p, cap);
        if (!p) {
            w->oom = true;
            return;
        }
        w->p = p;
        w->cap = cap;
    }
    memcpy(w->p + w->len, src, n);
    w->len += n;
}

static void w_u8(wbuf_t *w, unsigned v)
{
    uint8_t b = (uint8_t)v;
    w_bytes(w, &b, 1);
}

static void w_varint(wbuf_t *w, uint64_t v)
{
    uint8_t tmp[10];
    size_t n = 0;
    while (v >= 0x80) {
        tmp[n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    tmp[n++] = (uint8_t)v;
    w_bytes(w, tmp, n);
}

static void w_svarint(wbuf_t *w, int32_t v)
{
    /* zigzag: small magnitudes of either sign stay short */
    uint32_t z = ((uint32_t)v << 1) ^ (uint32_t)(v >> 31);
    w_varint(w, z);
}

static void w_double(wbuf_t *w, double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(bits >> (8 * i));
    w_bytes(w, b, 8);
}

static void w_str(wbuf_t *w, const char *s)
{
    size_t n = strlen(s);
    w_varint(w, n);
    w_bytes(w, s, n);
}

/* Optional string: length + 1, 0 for absent. */
static void w_optstr(wbuf_t *w, const char *s)
{
    if (!s) {
        w_varint(w, 0);
        return;
    }
    size_t n = strlen(s);
    w_varint(w, (uint64_t)n + 1);
    w_bytes(w, s, n);
}

static void w_windows(wbuf_t *w, const cm_window_t *win, size_t n)
{
    w_varint(w, n);
    for (size_t i = 0; i < n; i++) {
        w_u8(w, win[i].days);
        w_varint(w, win[i].from_min);
        w_varint(w, win[i].to_min);
    }
}

/* Tail fields of a position (TAG_COMMUNE, TAG_LOC_SOURCE), when not the defaults. */
static void w_place(wbuf_t *w, const char *commune, cm_loc_source_t src)
{
    if (commune[0]) {
        w_varint(w, TAG_COMMUNE);
        w_bytes(w, commune, 5);
    }
    if (src != CM_LOC_GIVEN) {
        w_varint(w, TAG_LOC_SOURCE);
        w_varint(w, src);
    }
}

/* A tail field holding one varint, written only when not 0 (the default). */
static void w_tag_varint(wbuf_t *w, unsigned tag, uint64_t v)
{
    if (v) {
        w_varint(w, tag);
        w_varint(w, v);
    }
}

static int w_finish(wbuf_t *w, uint8_t **buf, size_t *len)
{
    if (w->oom) {
        free(w->p);
        return CM_ENOMEM;
    }
    *buf = w->p;
    *len = w->len;
    return 0;
}

int cm_offer_encode(const cm_offer_t *o, uint8_t **buf, size_t *len)
{
    *buf = NULL;
    *len = 0;
    if (!cm__offer_ok(o))
        return CM_EINVAL;
    wbuf_t w = {0};
    w_u8(&w, CM_RECORD_FORMAT);
    w_u8(&w, KIND_OFFER);
    w_str(&w, o->id);
    w_varint(&w, o->version);
    w_str(&w, o->title);
    w_optstr(&w, o->description);
    w_bytes(&w, o->rome, 5);
    w_optstr(&w, o->employer_name);
    w_u8(&w, o->employer_kind);
    w_svarint(&w, o->loc.lat_e6);
    w_svarint(&w, o->loc.lon_e6);
    w_optstr(&w, o->city);
    w_optstr(&w, o->postcode);
    w_u8(&w, o->contract);
    w_double(&w, o->hours_per_week);
    w_windows(&w, o->schedule, o->n_schedule);
    w_varint(&w, o->n_skills);
    for (size_t i = 0; i < o->n_skills; i++) {
        w_str(&w, o->skills[i].label);
        w_u8(&w, o->skills[i].required);
    }
    w_varint(&w, o->n_certs);
    for (size_t i = 0; i < o->n_certs; i++) {
        w_str(&w, o->certs[i].code);
        w_u8(&w, o->certs[i].required);
    }
    unsigned flags = (o->driving_licence_required ? OF_LICENCE_REQUIRED : 0) |
                     (o->vehicle_provided ? OF_VEHICLE_PROVIDED : 0) |
                     (o->accessible_to_disabled_workers ? OF_ACCESSIBLE : 0) |
                     (o->immersion_possible ? OF_IMMERSION : 0) |
                     (o->pre_hire_training ? OF_PRE_HIRE : 0);
    w_varint(&w, flags);
    w_u8(&w, o->salary_period);
    if (o->salary_period != CM_SALARY_NONE) {
        w_double(&w, o->salary_min);
        w_double(&w, o->salary_max);
    }
    w_svarint(&w, o->published_days);
    w_u8(&w, o->status);
    w_place(&w, o->commune, o->loc_source);
    if (o->job_title) {
        w_varint(&w, TAG_JOB_TITLE);
        w_varint(&w, o->job_title);
    }
    w_tag_varint(&w, TAG_WORK_PATTERN, o->work_pattern);
    w_tag_varint(&w, TAG_CONTRACT_DAYS, o->contract_days);
    if (o->experience_level != CM_XP_UNSET) {
        w_varint(&w, TAG_EXPERIENCE);
        w_varint(&w, o->experience_level);
        w_varint(&w, (uint64_t)o->experience_months);
    }
    bool groups = false;
    for (size_t i = 0; i < o->n_certs; i++)
        groups |= o->certs[i].group != 0;
    if (groups) {
        w_varint(&w, TAG_CERT_GROUPS);
        w_varint(&w, o->n_certs);
        for (size_t i = 0; i < o->n_certs; i++)
            w_varint(&w, o->certs[i].group);
    }
    if (o->vehicle_required)
        w_varint(&w, TAG_VEHICLE_REQ);
    w_tag_varint(&w, TAG_DEMANDS, o->demands);
    return w_finish(&w, buf, len);
}

int cm_candidate_encode(const cm_candidate_t *c, uint8_t **buf, size_t *len)
{
    *buf = NULL;
    *len = 0;
    if (!cm__candidate_ok(c))
        return CM_EINVAL;
    wbuf_t w = {0};
    w_u8(&w, CM_RECORD_FORMAT);
    w_u8(&w, KIND_CANDIDATE);
    w_str(&w, c->id);
    w_varint(&w, c->version);
    w_svarint(&w, c->loc.lat_e6);
    w_svarint(&w, c->loc.lon_e6);
    w_optstr(&w, c->postcode);
    w_optstr(&w, c->city);
    w_varint(&w, c->n_desired_rome);
    for (size_t i = 0; i < c->n_desired_rome; i++)
        w_bytes(&w, c->desired_rome[i], 5);
    w_varint(&w, c->n_skills);
    for (size_t i = 0; i < c->n_skills; i++)
        w_str(&w, c->skills[i]);
    w_varint(&w, c->n_certs);
    for (size_t i = 0; i < c->n_certs; i++)
        w_str(&w, c->certs[i]);
    w_varint(&w, (uint64_t)c->experience_months);
    w_u8(&w, c->modes);
    w_varint(&w, (uint64_t)c->max_minutes);
    w_windows(&w, c->availability, c->n_availability);
    unsigned flags =
        (c->driving_licence ? CF_DRIVING_LICENCE : 0) | (c->vehicle ? CF_VEHICLE : 0) |
        (c->has_childcare ? CF_HAS_CHILDCARE : 0) | (c->solo_parent ? CF_SOLO_PARENT : 0) |
        (c->disability_recognised ? CF_DISABILITY : 0) | (c->open_to_immersion ? CF_IMMERSION : 0) |
        (c->open_to_training ? CF_TRAINING : 0);
    w_varint(&w, flags);
    w_varint(&w, (uint64_t)c->children_under_12);
    w_u8(&w, c->contracts);
    w_double(&w, c->hours_min);
    w_double(&w, c->hours_max);
    w_optstr(&w, c->summary);
    w_u8(&w, c->status);
    w_place(&w, c->commune, c->loc_source);
    if (c->n_desired_titles) {
        w_varint(&w, TAG_DESIRED_TITLES);
        w_varint(&w, c->n_desired_titles);
        for (size_t i = 0; i < c->n_desired_titles; i++)
            w_varint(&w, c->desired_titles[i]);
    }
    w_tag_varint(&w, TAG_RESTRICTIONS, c->restrictions);
    w_tag_varint(&w, TAG_STRICT, c->strict);
    w_tag_varint(&w, TAG_STATED,
                 (c->licence_stated ? STATED_LICENCE : 0u) |
                     (c->vehicle_stated ? STATED_VEHICLE : 0u));
    return w_finish(&w, buf, len);
}

/* ---- Reader: every primitive checks the remaining length; the first failure is sticky so
 * the decoders read straight through and test `bad` at checkpoints. ---- */

typedef struct rbuf {
    const uint8_t *p, *end;
    cm__arena_t *arena;
    bool bad; /* truncated or malformed */
    bool oom;
} rbuf_t;

static unsigned r_u8(rbuf_t *r)
{
    if (r->bad || r->p >= r->end) {
        r->bad = true;
        return 0;
    }
    return *r->p++;
}

static uint64_t r_varint(rbuf_t *r)
{
    uint64_t v = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
        if (r->bad || r->p >= r->end) {
            r->bad = true;
            return 0;
        }
        uint8_t b = *r->p++;
        if (shift == 63 && b > 1) { /* would overflow 64 bits */
            r->bad = true;
            return 0;
        }
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            return v;
    }
    r->bad = true;
    return 0;
}

/* A varint that must fit in [0, max]. */
static uint64_t r_uint(rbuf_t *r, uint64_t max)
{
    uint64_t v = r_varint(r);
    if (v > max) {
        r->bad = true;
        return 0;
    }
    return v;
}

static int32_t r_svarint(rbuf_t *r)
{
    uint32_t z = (uint32_t)r_uint(r, UINT32_MAX);
    return (int32_t)((z >> 1) ^ (~(z & 1) + 1));
}

static double r_double(rbuf_t *r)
{
    if (r->bad || r->end - r->p < 8) {
        r->bad = true;
        return 0;
    }
    uint64_t bits = 0;
    for (int i = 0; i < 8; i++)
        bits |= (uint64_t)r->p[i] << (8 * i);
    r->p += 8;
    double v;
    memcpy(&v, &bits, sizeof v);
    return v;
}

static void r_raw(rbuf_t *r, void *dst, size_t n)
{
    if (r->bad || (size_t)(r->end - r->p) < n) {
        r->bad = true;
        memset(dst, 0, n);
        return;
    }
    memcpy(dst, r->p, n);
    r->p += n;
}

/* A string of `n` bytes (n <= max) copied into the arena; NULL when bad. */
static const char *r_bytes_str(rbuf_t *r, uint64_t n, size_t max)
{
    if (r->bad || n > max || n > (uint64_t)(r->end - r->p) || memchr(r->p, 0, (size_t)n)) {
        r->bad = true;
        return NULL;
    }
    char *s = cm__arena_strndup(r->arena, (const char *)r->p, (size_t)n);
    if (!s) {
        r->oom = r->bad = true;
        return NULL;
    }
    r->p += n;
    return s;
}

static const char *r_str(rbuf_t *r, size_t max)
{
    return r_bytes_str(r, r_varint(r), max);
}

static const char *r_optstr(rbuf_t *r, size_t max)
{
    uint64_t n = r_varint(r);
    if (r->bad || n == 0)
        return NULL;
    return r_bytes_str(r, n - 1, max);
}

static void r_id(rbuf_t *r, char out[CM_ID_MAX + 1])
{
    uint64_t n = r_uint(r, CM_ID_MAX);
    r_raw(r, out, (size_t)n);
    out[n] = '\0';
    if (memchr(out, 0, (size_t)n)) /* an inner NUL would silently shorten the id */
        r->bad = true;
}

static cm_window_t *r_windows(rbuf_t *r, size_t *n_out)
{
    size_t n = (size_t)r_uint(r, CM_WINDOWS_MAX);
    *n_out = 0;
    if (r->bad || n == 0)
        return NULL;
    cm_window_t *w = cm__arena_calloc(r->arena, n, sizeof *w);
    if (!w) {
        r->oom = r->bad = true;
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        w[i].days = (uint8_t)r_u8(r);
        w[i].from_min = (uint16_t)r_uint(r, 1439);
        w[i].to_min = (uint16_t)r_uint(r, 1439);
    }
    *n_out = n;
    return w;
}

static void *r_array(rbuf_t *r, size_t n, size_t size)
{
    if (r->bad || n == 0)
        return NULL;
    void *p = cm__arena_calloc(r->arena, n, size);
    if (!p)
        r->oom = r->bad = true;
    return p;
}

static int r_header(const uint8_t *buf, size_t len, char kind)
{
    if (!buf || len < 2)
        return CM_ECORRUPT;
    if (buf[0] < CM_RECORD_FORMAT_MIN || buf[0] > CM_RECORD_FORMAT)
        return CM_EVERSION;
    if (buf[1] != (uint8_t)kind)
        return CM_ECORRUPT;
    return 0;
}

/* The tagged tail (format 2): fields the record kind does not have, tags out of order or
 * repeated are corruption. `o` or `c` is the record being decoded (the other NULL). */
/* An offer's format-3 tail field `tag` (anything else is corruption). */
static void r_offer_tail3(rbuf_t *r, cm_offer_t *o, uint64_t tag)
{
    if (tag == TAG_WORK_PATTERN) {
        o->work_pattern = (uint8_t)r_uint(r, CM_WORK__ALL);
    } else if (tag == TAG_CONTRACT_DAYS) {
        o->contract_days = (uint16_t)r_uint(r, CM_CONTRACT_DAYS_MAX);
    } else if (tag == TAG_EXPERIENCE) {
        o->experience_level = (cm_experience_level_t)r_uint(r, CM_XP__COUNT - 1);
        o->experience_months = (int)r_uint(r, CM_EXPERIENCE_MAX);
        r->bad |= o->experience_level == CM_XP_UNSET;
    } else if (tag == TAG_CERT_GROUPS) {
        size_t n = (size_t)r_uint(r, CM_CERTS_MAX);
        r->bad |= n != o->n_certs;
        for (size_t i = 0; i < n && !r->bad; i++)
            o->certs[i].group = (uint8_t)r_uint(r, CM_CERTS_MAX);
    } else if (tag == TAG_VEHICLE_REQ) {
        o->vehicle_required = true;
    } else if (tag == TAG_DEMANDS) {
        o->demands = (uint8_t)r_uint(r, CM_DEMAND__ALL);
    } else {
        r->bad = true;
    }
}

static void r_tail(rbuf_t *r, unsigned format, cm_offer_t *o, cm_candidate_t *c)
{
    char *commune = o ? o->commune : c->commune;
    cm_loc_source_t *src = o ? &o->loc_source : &c->loc_source;
    uint64_t last = 0;
    while (!r->bad && r->p < r->end) {
        uint64_t tag = r_varint(r);
        if (tag <= last || tag > TAG__MAX) {
            r->bad = true;
            break;
        }
        last = tag;
        if (tag == TAG_COMMUNE) {
            r_raw(r, commune, 5);
            commune[5] = '\0';
        } else if (tag == TAG_LOC_SOURCE) {
            *src = (cm_loc_source_t)r_uint(r, CM_LOC__COUNT - 1);
        } else if (tag == TAG_JOB_TITLE && o) {
            o->job_title = (uint32_t)r_uint(r, OGR_MAX);
        } else if (tag == TAG_DESIRED_TITLES && c) {
            size_t n = (size_t)r_uint(r, CM_TITLES_MAX);
            if ((c->desired_titles = r_array(r, n, sizeof *c->desired_titles))) {
                for (size_t i = 0; i < n; i++)
                    c->desired_titles[i] = (uint32_t)r_uint(r, OGR_MAX);
                c->n_desired_titles = n;
            }
        } else if (format >= 3 && o) {
            r_offer_tail3(r, o, tag);
        } else if (format >= 3 && c && tag == TAG_RESTRICTIONS) {
            c->restrictions = (uint8_t)r_uint(r, CM_RESTRICT__ALL);
        } else if (format >= 3 && c && tag == TAG_STRICT) {
            c->strict = (uint8_t)r_uint(r, CM_STRICT__ALL);
        } else if (format >= 4 && c && tag == TAG_STATED) {
            unsigned st = (unsigned)r_uint(r, STATED__ALL);
            c->licence_stated = st & STATED_LICENCE;
            c->vehicle_stated = st & STATED_VEHICLE;
        } else {
            r->bad = true;
        }
    }
}

static int r_result(const rbuf_t *r)
{
    if (r->oom)
        return CM_ENOMEM;
    if (r->bad || r->p != r->end) /* trailing bytes are as suspect as missing ones */
        return CM_ECORRUPT;
    return 0;
}

int cm__record_version(const uint8_t *buf, size_t len, bool offer, uint64_t *version)
{
    char id[CM_ID_MAX + 1];
    int rc = r_header(buf, len, offer ? KIND_OFFER : KIND_CANDIDATE);
    if (rc)
        return rc;
    rbuf_t r = {.p = buf + 2, .end = buf + len, .arena = NULL};
    r_id(&r, id);
    *version = r_varint(&r);
    return r.bad ? CM_ECORRUPT : 0;
}

int cm_offer_decode(const uint8_t *buf, size_t len, cm_offer_t **out)
{
    *out = NULL;
    int rc = r_header(buf, len, KIND_OFFER);
    if (rc)
        return rc;
    cm_offer_t *o = cm__offer_new(len * 2 + 256);
    if (!o)
        return CM_ENOMEM;
    rbuf_t r = {.p = buf + 2, .end = buf + len, .arena = o->arena_};
    r_id(&r, o->id);
    o->version = r_varint(&r);
    o->title = r_str(&r, CM_TITLE_MAX);
    o->description = r_optstr(&r, CM_TEXT_MAX);
    r_raw(&r, o->rome, 5);
    o->rome[5] = '\0';
    o->employer_name = r_optstr(&r, CM_LABEL_MAX);
    o->employer_kind = (cm_employer_kind_t)r_u8(&r);
    o->loc.lat_e6 = r_svarint(&r);
    o->loc.lon_e6 = r_svarint(&r);
    o->city = r_optstr(&r, CM_LABEL_MAX);
    o->postcode = r_optstr(&r, 5);
    o->contract = (cm_contract_t)r_u8(&r);
    o->hours_per_week = r_double(&r);
    o->schedule = r_windows(&r, &o->n_schedule);
    size_t n = (size_t)r_uint(&r, CM_SKILLS_MAX);
    if ((o->skills = r_array(&r, n, sizeof *o->skills))) {
        for (size_t i = 0; i < n; i++) {
            o->skills[i].label = r_str(&r, CM_LABEL_MAX);
            o->skills[i].required = r_uint(&r, 1);
        }
        o->n_skills = n;
    }
    n = (size_t)r_uint(&r, CM_CERTS_MAX);
    if ((o->certs = r_array(&r, n, sizeof *o->certs))) {
        for (size_t i = 0; i < n; i++) {
            o->certs[i].code = r_str(&r, CM_CERT_MAX);
            o->certs[i].required = r_uint(&r, 1);
        }
        o->n_certs = n;
    }
    unsigned flags = (unsigned)r_uint(&r, OF__ALL);
    o->driving_licence_required = flags & OF_LICENCE_REQUIRED;
    o->vehicle_provided = flags & OF_VEHICLE_PROVIDED;
    o->accessible_to_disabled_workers = flags & OF_ACCESSIBLE;
    o->immersion_possible = flags & OF_IMMERSION;
    o->pre_hire_training = flags & OF_PRE_HIRE;
    o->salary_period = (cm_salary_period_t)r_u8(&r);
    if (!r.bad && o->salary_period != CM_SALARY_NONE) {
        o->salary_min = r_double(&r);
        o->salary_max = r_double(&r);
    }
    o->published_days = r_svarint(&r);
    o->status = (cm_offer_status_t)r_u8(&r);
    if (buf[0] >= 2)
        r_tail(&r, buf[0], o, NULL);
    rc = r_result(&r);
    if (rc == 0 && !cm__offer_ok(o))
        rc = CM_ECORRUPT;
    if (rc) {
        cm_offer_free(o);
        return rc;
    }
    *out = o;
    return 0;
}

int cm_candidate_decode(const uint8_t *buf, size_t len, cm_candidate_t **out)
{
    *out = NULL;
    int rc = r_header(buf, len, KIND_CANDIDATE);
    if (rc)
        return rc;
    cm_candidate_t *c = cm__candidate_new(len * 2 + 256);
    if (!c)
        return CM_ENOMEM;
    rbuf_t r = {.p = buf + 2, .end = buf + len, .arena = c->arena_};
    r_id(&r, c->id);
    c->version = r_varint(&r);
    c->loc.lat_e6 = r_svarint(&r);
    c->loc.lon_e6 = r_svarint(&r);
    c->postcode = r_optstr(&r, 5);
    c->city = r_optstr(&r, CM_LABEL_MAX);
    size_t n = (size_t)r_uint(&r, CM_ROMES_MAX);
    if ((c->desired_rome = r_array(&r, n, sizeof *c->desired_rome))) {
        /* once each, as decoding JSON keeps them (a record stored before that may list one
         * twice: read once, so that its JSON reads back the same) */
        size_t kept = 0;
        for (size_t i = 0; i < n; i++) {
            r_raw(&r, c->desired_rome[kept], 5);
            c->desired_rome[kept][5] = '\0';
            size_t j = 0;
            while (j < kept && memcmp(c->desired_rome[j], c->desired_rome[kept], 6) != 0)
                j++;
            kept += j == kept;
        }
        c->n_desired_rome = kept;
    }
    n = (size_t)r_uint(&r, CM_SKILLS_MAX);
    if ((c->skills = r_array(&r, n, sizeof *c->skills))) {
        for (size_t i = 0; i < n; i++)
            c->skills[i] = r_str(&r, CM_LABEL_MAX);
        c->n_skills = n;
    }
    n = (size_t)r_uint(&r, CM_CERTS_MAX);
    if ((c->certs = r_array(&r, n, sizeof *c->certs))) {
        size_t kept = 0; /* once each, as decoding JSON keeps them (desired_rome above) */
        for (size_t i = 0; i < n; i++) {
            c->certs[kept] = r_str(&r, CM_CERT_MAX);
            size_t j = 0;
            while (c->certs[kept] && j < kept &&
                   (!c->certs[j] || strcmp(c->certs[j], c->certs[kept]) != 0))
                j++;
            kept += !c->certs[kept] || j == kept;
        }
        c->n_certs = kept;
    }
    c->experience_months = (int)r_uint(&r, CM_EXPERIENCE_MAX);
    c->modes = (uint8_t)r_u8(&r);
    c->max_minutes = (int)r_uint(&r, CM_MAX_MINUTES_MAX);
    c->availability = r_windows(&r, &c->n_availability);
    unsigned flags = (unsigned)r_uint(&r, CF__ALL);
    c->driving_licence = flags & CF_DRIVING_LICENCE;
    c->vehicle = flags & CF_VEHICLE;
    c->has_childcare = flags & CF_HAS_CHILDCARE;
    c->solo_parent = flags & CF_SOLO_PARENT;
    c->disability_recognised = flags & CF_DISABILITY;
    c->open_to_immersion = flags & CF_IMMERSION;
    c->open_to_training = flags & CF_TRAINING;
    c->children_under_12 = (int)r_uint(&r, CM_CHILDREN_MAX);
    c->contracts = (uint8_t)r_u8(&r);
    c->hours_min = r_double(&r);
    c->hours_max = r_double(&r);
    c->summary = r_optstr(&r, CM_TEXT_MAX);
    c->status = (cm_candidate_status_t)r_u8(&r);
    if (buf[0] >= 2)
        r_tail(&r, buf[0], NULL, c);
    rc = r_result(&r);
    if (rc == 0 && !cm__candidate_ok(c))
        rc = CM_ECORRUPT;
    if (rc) {
        cm_candidate_free(c);
        return rc;
    }
    *out = c;
    return 0;
}
