/* A search's geo and filters answered by the catalog (engine/catalog_search.c): the open
 * offers within the radius that pass every filter, as a set narrowed by the text (ranked over
 * it by textrank.c, or by Xapian's matcher as a docid filter; index.c), or as the whole
 * answer when there is no text. */
#ifndef CAREMATCH_ENGINE_SEARCH_SET_H
#define CAREMATCH_ENGINE_SEARCH_SET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "catalog.h"
#include "index.h"
#include "textquery.h"

typedef struct cm__sset_entry {
    uint32_t docid; /* in the search index (0: not known) */
    uint32_t slot;
    uint32_t len;        /* the document's length (textrank.c) */
    double km;           /* from the centre (only when the order needs it) */
    int32_t day;         /* published (CM_DATE_NONE) */
    uint32_t rome, dept; /* cm__rome_code, cm__dept_pack (0: none) */
    uint8_t contract, kind;
} cm__sset_entry_t;

typedef struct cm__sset {
    cm__sset_entry_t *e; /* sorted by docid */
    uint32_t *docids;    /* e's docids, in order */
    uint8_t *mark;       /* per entry: the text matched it (cm__sset_accept) */
    size_t n;
    size_t cursor; /* where cm__sset_accept's last search ended */
    uint64_t n_marked;
} cm__sset_t;

/* Does the catalog answer this query's geo and filters? (a radius search) */
bool cm__sset_applies(const cm_search_query_t *q);

/* The set for a text search against the index `uuid`: the offers with a docid in it. false
 * (nothing allocated) when the catalog's docids belong to another index (just rebuilt, or
 * not yet walked): the caller searches with the index's own filters. Errors: CM_ENOMEM,
 * CM_EINTERNAL (return value; *usable tells the rest). */
int cm__sset_build(cm__catalog_t *cat, const cm_search_query_t *q, const char *uuid,
                   cm__sset_t *out, bool *usable);
void cm__sset_free(cm__sset_t *s);

/* For cmx_search_t.accept: marks the document's entry (always keeps it). */
int cm__sset_accept(void *sset, unsigned docid);
/* For cmx_search_t.sort_value: the entry's publication day, the number the index's date
 * slot holds (*has 0 for an offer without one). */
double cm__sset_day(void *sset, unsigned docid, int *has);

/* Facets asked for in q->facets over the marked entries (all of them when all is set). */
int cm__sset_facets(const cm__sset_t *s, bool all, unsigned facets, cm__search_ids_t *out);

/* A search without text, answered by the catalog alone: the page's ids in the query's order
 * (relevance and date: newest first; distance: nearest first; ties by index docid then id),
 * the exact total and facets. Errors: CM_ENOMEM, CM_EINTERNAL. */
int cm__catalog_search_page(cm__catalog_t *cat, const cm_search_query_t *q, cm__search_ids_t *out);

/* The text of one tier ranked over the set without Xapian's matcher (textrank.c): the
 * postings of the query's words among the set's docids, weighed and ordered as Xapian's BM25
 * matcher would (relevance then date, or by_date: date then relevance). Marks the matched
 * entries (set->mark, n_marked) as cm__sset_accept does. out: the page's docids and
 * percentages, the exact total. *used false (nothing allocated) when this way does not apply
 * (too many words, too large a set): the caller runs Xapian. Errors: CM_ENOMEM and the shim's
 * (CMX_ERETRY: reopen and retry; *xmsg, when set, freed with cmx_free). */
typedef struct cm__trank {
    uint32_t *docid;
    int *percent;
    size_t n;
    uint64_t total;
} cm__trank_t;
int cm__textrank(cmx_db *db, const cm__textq_t *tq, int tier, bool by_date, cm__sset_t *set,
                 size_t offset, size_t limit, cm__trank_t *out, bool *used, char **xmsg);
void cm__trank_free(cm__trank_t *r);
/* A seam for tests: true sends every text search to Xapian's matcher (set before searches
 * run), to compare both ways. */
extern bool cm__textrank_off;

#endif
