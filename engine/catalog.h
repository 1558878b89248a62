/* The catalog's layout, shared by catalog.c (maintenance) and match.c (retrieval): dense
 * slot arrays of scoring fields, an id -> slot map, and a (ROME, grid cell) -> slots index. */
#ifndef CAREMATCH_ENGINE_CATALOG_H
#define CAREMATCH_ENGINE_CATALOG_H

#include <pthread.h>

#include "geo.h"
#include "score.h"

/* Grid cells are CM__CELL_E6 (geo.h) on both axes. A key packs (ROME code, cell row, cell column);
 * ROME 0 holds the candidates who named no ROME (they match any offer). */
#define CM__CELL_ROWS 1800
#define CM__CELL_COLS 3600
#define CM__REACH_BANDS 6 /* candidate reach bands, see cm__reach_band */

/* A bucket entry's place, beside its slot: the retrieval loops test distance and reach
 * without reading the record (a dense area's walk reads tens of thousands in a row, where
 * reading each record's slot is a cache miss). */
typedef struct cm__gpt {
    cm_geo_t loc;
    float reach_km;       /* a candidate's reach (0 for offers) */
    uint16_t max_minutes; /* a candidate's commute limit (0 for offers), the record's dense
                             area and CM__MINUTES_ASSUMED (score.h) */
    uint8_t modes, flags; /* a candidate's modes (0 for offers); the record's own flags */
} cm__gpt_t;

/* A chunk of packed arrays (catalog_snap.c): a list, freed with the catalog. */
typedef struct cm__pack_chunk {
    struct cm__pack_chunk *next;
    _Alignas(8) char bytes[];
} cm__pack_chunk_t;

typedef struct cm__bucket {
    uint64_t key;
    uint32_t *slot;
    cm__gpt_t *pt; /* pt[i]: slot[i]'s place */
    uint32_t n, cap;
} cm__bucket_t;

typedef struct cm__grid {
    cm__bucket_t *b;
    uint32_t nb, cap_b;
    uint32_t *table; /* open addressing: bucket index + 1, 0 = empty */
    uint32_t tcap;   /* power of two */
} cm__grid_t;

typedef struct cm__idmap {
    uint32_t *t;   /* slot + 1; 0 empty; UINT32_MAX tombstone */
    uint32_t *tag; /* per entry, its id's hash (the probe starts at tag & (cap - 1)) */
    uint32_t cap, used, tomb;
} cm__idmap_t;

typedef struct cm__offer_slot {
    char id[CM_ID_MAX + 1];
    char dept[4];
    bool live, indexed;
    cm__offer_fields_t f;
} cm__offer_slot_t;

/* What an offer search reads of an offer (catalog_search.c), packed apart from the scoring
 * fields: a radius search touches tens of thousands of offers in a dense area, one short
 * record each. Indexed by the offer's slot. */
typedef struct cm__osrch {
    cm_geo_t loc;
    uint32_t xdoc;                 /* its document in the search index (docid; 0: none known) */
    uint32_t xlen;                 /* that document's length (the text's ranking reads it) */
    int32_t day;                   /* published, days since 1970 (CM_DATE_NONE) */
    uint32_t rome;                 /* cm__rome_code (0: none) */
    uint32_t dept;                 /* the département's code, its characters packed (0: unknown) */
    uint8_t contract, kind, flags; /* cm_contract_t, cm_employer_kind_t, CM__O_* */
    /* one byte for both, the record 32 bytes (two to a cache line in a radius scan) */
    uint8_t searchable : 1; /* open: in the search grid (any ROME, none included) */
    uint8_t facts : 7;      /* CM_WORK_FACT_* (the fields' facts) */
} cm__osrch_t;
_Static_assert(sizeof(cm__osrch_t) == 32, "a search record is 32 bytes");
_Static_assert(CM_WORK_FACT__ALL < 128, "the facts fit 7 bits");

/* What candidate search reads first of a candidate (cand_search.c), packed apart from the
 * slots (300 bytes each): a scan of a million reads 16 MB, and a slot only when this passes.
 * Indexed by the candidate's slot. */
typedef struct cm__csrch {
    cm_geo_t loc;
    uint32_t dept;        /* cm__dept_pack (0: unknown) */
    uint8_t flags, modes; /* the fields' CM__C_* flags and modes */
    bool on;              /* live and indexed: the candidates search lists */
} cm__csrch_t;

typedef struct cm__cand_slot {
    char id[CM_ID_MAX + 1];
    char dept[4];
    bool live, indexed;
    uint32_t gen; /* bumped when the slot is freed: a scan that let go of the lock tells reuse */
    uint8_t n_rome;
    uint32_t rome[CM_ROMES_MAX];
    cm__cand_fields_t f;
} cm__cand_slot_t;

struct cm__catalog {
    pthread_rwlock_t lock; /* readers first (catalog.c: cm__catalog_create says why) */
    cm__score_config_t cfg;
    cm__offer_slot_t *offers;
    uint32_t n_offers, cap_offers;                         /* n: high-water mark of slots in use */
    uint32_t *free_offers, n_free_offers, cap_free_offers; /* cap >= cap_offers */
    cm__cand_slot_t *cands;
    cm__csrch_t *csrch; /* per candidate slot */
    uint32_t n_cands, cap_cands, cap_csrch;
    uint32_t *free_cands, n_free_cands, cap_free_cands;
    cm__idmap_t omap, cmap;
    cm__grid_t ogrid, cgrid;
    uint32_t *orome, *orome_count, n_orome, cap_orome; /* ROMEs of indexed offers */
    float band_reach_max[CM__REACH_BANDS]; /* largest reach indexed per band (never shrinks) */
    /* Search (catalog_search.c): open offers by cell (key: cm__cell_key(0, row, col)), and
     * the search index's docids of the offers: xslot[docid] = slot + 1 (0: none), valid for
     * the index whose UUID is xuuid ("" until the index writer has walked it). */
    cm__grid_t sgrid;
    cm__osrch_t *osrch; /* per offer slot */
    uint32_t cap_osrch;
    uint32_t *xslot, cap_xslot;
    char xuuid[40];
    bool xready; /* every document of index xuuid is in (the walk ended) */
    /* Set by a snapshot's load while nothing else sees the catalog: installs take no lock,
     * offers and candidates fill on two threads (their structures are disjoint). */
    bool loading;
    /* The snapshot this catalog was loaded from, mapped for as long as the catalog lives: the
     * loaded records' arrays point into it (fields' `borrowed`). NULL when none. */
    void *snap_map;
    size_t snap_len;
    /* Chunks holding the loaded records' hash arrays, copied out of the mapping (see
     * catalog_snap.c, "Packed copies"); freed with the catalog. */
    struct cm__pack_chunk *pack;
};

static inline uint32_t cm__cell_row(int32_t lat_e6)
{
    int64_t r = ((int64_t)lat_e6 + 90000000) / CM__CELL_E6;
    return (uint32_t)(r < 0 ? 0 : r >= CM__CELL_ROWS ? CM__CELL_ROWS - 1 : r);
}

static inline uint32_t cm__cell_col(int32_t lon_e6)
{
    int64_t c = ((int64_t)lon_e6 + 180000000) / CM__CELL_E6;
    return (uint32_t)(c < 0 ? 0 : c >= CM__CELL_COLS ? CM__CELL_COLS - 1 : c);
}

static inline uint64_t cm__cell_key(uint32_t rome, uint32_t row, uint32_t col)
{
    return ((uint64_t)rome << 32) | ((uint64_t)row << 16) | col;
}

/* Candidates are also banded by reach (their retrieval radius) so that offer -> candidates
 * scans, band by band, only the cells within that band's largest reach: most candidates
 * travel by transit or on foot and need not be looked for 120 km away. */
static inline uint32_t cm__reach_band(float km)
{
    return km <= 8 ? 0 : km <= 15 ? 1 : km <= 25 ? 2 : km <= 40 ? 3 : km <= 70 ? 4 : 5;
}

/* Candidate grid key: the cell key with the reach band in bits 28-30 (rows use 16-26). */
static inline uint64_t cm__cand_cell_key(uint32_t rome, uint32_t band, uint32_t row, uint32_t col)
{
    return cm__cell_key(rome, row, col) | ((uint64_t)band << 28);
}

/* The candidate's desired ROME codes, valid and deduplicated, in order, at most cap. */
size_t cm__cand_rome_codes(const cm_candidate_t *c, uint32_t *out, size_t cap);

/* Borrowed; NULL when the bucket does not exist. Caller holds the lock. */
const cm__bucket_t *cm__grid_find(const cm__grid_t *g, uint64_t key);
/* Room for one more slot in key's bucket (created empty if absent), so that a later
 * cm__grid_add of that key cannot fail: 0 or CM_ENOMEM (an empty bucket left is harmless). */
int cm__grid_reserve(cm__grid_t *g, uint64_t key);
/* slot and its place appended to key's bucket: 0 or CM_ENOMEM. */
int cm__grid_add(cm__grid_t *g, uint64_t key, uint32_t slot, cm__gpt_t pt);
/* slot out of key's bucket (the last entry takes its place); nothing if absent. Linear in
 * the bucket's size: a cell's list for one ROME stays in the thousands at most. */
void cm__grid_remove(cm__grid_t *g, uint64_t key, uint32_t slot);
void cm__grid_free(cm__grid_t *g);

/* A département code ("93", "2A", "971") packed into an integer and back (0: none). */
static inline uint32_t cm__dept_pack(const char *d)
{
    uint32_t v = 0;
    for (int i = 0; i < 3 && d[i]; i++)
        v |= (uint32_t)(unsigned char)d[i] << (8 * i);
    return v;
}

static inline void cm__dept_unpack(uint32_t v, char out[4])
{
    for (int i = 0; i < 3; i++)
        out[i] = (char)(v >> (8 * i));
    out[3] = '\0';
}

/* What a slot keeps of a record besides its scoring fields (a snapshot holds these too). */
typedef struct cm__offer_extra {
    char dept[4];
    int32_t day;  /* published, days since 1970 */
    uint8_t kind; /* cm_employer_kind_t */
} cm__offer_extra_t;

typedef struct cm__cand_extra {
    char dept[4];
    bool active; /* CM_CAND_ACTIVE: in the matching grid */
    uint8_t n_rome;
    uint32_t rome[CM_ROMES_MAX]; /* cm__cand_rome_codes */
} cm__cand_extra_t;

/* Put prepared fields under `id` (a new slot or the one it had): what cm__catalog_put_* do
 * after building the fields from the record, and what a snapshot's load does from the file.
 * The fields are taken over (freed on error too; *f is zeroed). Errors: CM_ENOMEM. */
int cm__catalog_install_offer(cm__catalog_t *cat, const char *id, cm__offer_fields_t *f,
                              const cm__offer_extra_t *x);
int cm__catalog_install_candidate(cm__catalog_t *cat, const char *id, cm__cand_fields_t *f,
                                  const cm__cand_extra_t *x);

/* A record's catalog entry built ahead (cm__catalog_prep_*: text analysis and all, no lock,
 * on the writing thread) and put in later (cm__catalog_put_prepared), so that a group of
 * writes holds the lock only for the installs. */
typedef struct cm__catalog_prep {
    bool offer;
    int rc; /* of building it (CM_ENOMEM): put_prepared returns it */
    char id[CM_ID_MAX + 1];
    cm__offer_fields_t of;
    cm__offer_extra_t ox;
    cm__cand_fields_t cf;
    cm__cand_extra_t cx;
} cm__catalog_prep_t;

void cm__catalog_prep_offer(const cm__catalog_t *cat, const cm_offer_t *o, cm__catalog_prep_t *p);
void cm__catalog_prep_candidate(const cm__catalog_t *cat, const cm_candidate_t *c,
                                cm__catalog_prep_t *p);
/* Install a prepared entry (its fields are taken over). Errors: p->rc, CM_ENOMEM. */
int cm__catalog_put_prepared(cm__catalog_t *cat, cm__catalog_prep_t *p);
/* Free what a prepared entry still owns (nothing once put). */
void cm__catalog_prep_clear(cm__catalog_prep_t *p);

/* Hold the write lock across several updates (puts, deletes, docids) from this thread: they
 * take no lock of their own meanwhile. Readers wait for the whole group, so keep it short
 * (no text analysis inside: prepare first). Errors: CM_EINTERNAL. */
int cm__catalog_write_begin(cm__catalog_t *cat);
void cm__catalog_write_end(cm__catalog_t *cat);

/* Rows and columns of the cells within radius_km of p. */
void cm__cell_range(cm_geo_t p, double radius_km, uint32_t *r0, uint32_t *r1, uint32_t *c0,
                    uint32_t *c1);

/* The search index's docids (the index writer keeps them; catalog_search.c reads them).
 * reset: forget every docid; the map now fills for the index `uuid` ("": none) and is not
 * ready. set: offer `id` is document `docid` of index `uuid`, `doclen` long (ignored when the
 * map fills for another index or the offer is gone). ready: every document is in (searches use the
 * map from now on; set keeps it so). Errors: CM_ENOMEM, CM_EINTERNAL. */
int cm__catalog_xmap_reset(cm__catalog_t *cat, const char *uuid);
int cm__catalog_xmap_set(cm__catalog_t *cat, const char *uuid, const char *id, uint32_t docid,
                         uint32_t doclen);
void cm__catalog_xmap_ready(cm__catalog_t *cat);
/* Is the map ready for index `uuid`? */
bool cm__catalog_xmap_is(cm__catalog_t *cat, const char *uuid);

#endif
