/* The index's builders (index_build.c): a batch's offers read from storage and their
 * documents built and sealed on other threads, handed in change-log order to the index
 * writer, which only puts them. Building is about 40% of the writer's work for a new offer
 * (decoding, analysing and stemming its text, its digest); the rest (Xapian's postings, the
 * commit) stays on the one writer. An import's offers are then indexed about 1.5x faster on
 * two cores (README, "Throughput v2").
 *
 * The writer never waits for a builder that has not started a slot: it builds that one
 * itself (cm__builders_take), so a batch of one offer (a single PUT) wakes no one. */
#ifndef CAREMATCH_ENGINE_INDEX_BUILD_H
#define CAREMATCH_ENGINE_INDEX_BUILD_H

#include <stddef.h>
#include <stdint.h>

#include "carematch/engine.h"
#include "store.h"

struct cmx_doc;

/* One entry of a batch's change log, and for an offer's put its document. */
typedef struct cm__bslot {
    uint64_t seq;
    char kind, op; /* as the change log says: 'o' / 'c', 'p' / 'd' */
    char id[CM_ID_MAX + 1];
    /* an offer's put, once built: its document (sealed) and length, or rc: CM_ENOTFOUND
     * (deleted since), CM_ECORRUPT / CM_EVERSION (damaged in storage), another error */
    struct cmx_doc *doc;
    uint32_t doclen;
    int rc;
    int state; /* builders' mutex: BSLOT_NONE, _TODO, _BUSY, _DONE (index_build.c) */
} cm__bslot_t;

typedef struct cm__builders cm__builders_t;

/* n threads reading from st (nice: added to their priority), counting the documents they
 * build in *built (atomic). Errors: CM_ENOMEM, CM_EINTERNAL (no thread). */
int cm__builders_start(cm__store_t *st, unsigned n, int nice, uint64_t *built,
                       cm__builders_t **out);
void cm__builders_stop(cm__builders_t *b); /* NULL: no-op */

/* The batch's entries, read from the change log: slots[0..n) (offers' puts marked to build).
 * b may be NULL (no builders: the writer builds each one in cm__builders_take); builders are
 * woken only for a batch of at least a few offers. */
void cm__builders_run(cm__builders_t *b, cm__bslot_t *slots, size_t n);
/* slots[i] built (by a builder, waited for, or here on st): its doc/doclen/rc are set; the
 * caller may free doc (cmx_doc_free, and set it NULL), or leave it to cm__builders_end. */
void cm__builders_take(cm__builders_t *b, cm__store_t *st, cm__bslot_t *slots, size_t i);
/* The batch ends (all taken, or the writer stopped early): builders leave it, and documents
 * built but not taken are freed. */
void cm__builders_end(cm__builders_t *b, cm__bslot_t *slots, size_t n);

#endif
