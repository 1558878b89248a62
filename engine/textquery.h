/* A search's free text as the searcher uses it (textquery.c): words -> groups of
 * interchangeable phrasings (a word, or a synonym group) -> Xapian queries by tier. */
#ifndef CAREMATCH_ENGINE_TEXTQUERY_H
#define CAREMATCH_ENGINE_TEXTQUERY_H

#include <stdbool.h>
#include <stddef.h>

#include "carematch/engine.h"
#include "cmx.h"

#define CM__TQ_GROUPS_MAX 32 /* words (or synonym phrases) of a query used; the rest ignored */
#define CM__TQ_ALTS_MAX 6    /* phrasings of one group */
#define CM__TQ_WORDS_MAX 8   /* words of one phrasing */
#define CM__TQ_STEM_MAX 48   /* bytes of a stem (longer words are never group members) */

typedef struct cm__tq_alt {
    unsigned n;
    char stem[CM__TQ_WORDS_MAX][CM__TQ_STEM_MAX];
} cm__tq_alt_t;

typedef struct cm__tq_group {
    unsigned n_alt;
    cm__tq_alt_t alt[CM__TQ_ALTS_MAX];
    size_t off, len; /* the typed word(s) in the query text */
    bool synonym;    /* a synonym group (never repaired) */
    char rome[6];    /* the trade a sector acronym typed names ("ASH": J1301): its offers too */
    bool corrected;  /* the typed word was found in no offer: alt[0] is the closest term */
} cm__tq_group_t;

/* The tiers: how much of the text the results hold (cm_search_result_t.text_match). */
enum {
    CM__TIER_ALL = CM_TEXT_MATCH_ALL,
    CM__TIER_ALL_BUT_ONE = CM_TEXT_MATCH_ALL_BUT_ONE,
    CM__TIER_ANY = CM_TEXT_MATCH_ANY
};

typedef struct cm__textq {
    const char *text; /* borrowed: the query */
    unsigned n;
    cm__tq_group_t g[CM__TQ_GROUPS_MAX];
} cm__textq_t;

/* *acc = *acc op b (b alone when *acc is NULL); consumes b, which may be NULL after a failed
 * constructor whose code is b_rc (then returned). */
int cm__query_fold(cmx_query **acc, int op, cmx_query *b, int b_rc);

/* A plain text read before its words are searched (textread.c): denials ("sans permis", "pas
 * de nuit", "hors week-end", "ni week-end") give *without the CM_WORK_FACT_* they deny and
 * leave the text; places of several words ("Bouches-du-Rhône", "Grand Est") become the word
 * the index holds for them (the département's number, the région's token). *rest: the text
 * so read (folded: lower case, no accents; malloc'd), NULL when nothing was (then *without
 * is 0). Errors: CM_ENOMEM. */
int cm__text_rewrite(const char *q, char **rest, unsigned *without);

/* Set up the text rules once per process (the acronyms kept unstemmed, the synonym groups):
 * call before anything is indexed, searched or stemmed (index and searcher opens, text
 * signatures and parsing do). */
void cm__text_init(void);

/* Cut `text` into groups: stop words dropped (unless every word is one), the capitalised
 * operator words AND OR NOT XOR dropped, runs of words that spell a synonym phrasing taken as
 * that group. tq->n == 0 when the text has no word. Errors: CM_ENOMEM, CM_EINTERNAL. */
int cm__textq_parse(const char *text, size_t len, cm__textq_t *tq);

/* Typo repair against the index: a single word of 5 bytes or more (folded), without digits,
 * that no document holds is replaced by the closest indexed stem (1 edit, 2 from 8 bytes),
 * when there is one. Errors: those of cmx_db_termfreq / cmx_db_closest_term but
 * CMX_ENOTFOUND (CMX_ERETRY: the caller reopens and retries). */
int cm__textq_repair(cm__textq_t *tq, cmx_db *db);

/* The tiers a query of tq->n groups runs, in order (at most 3). */
unsigned cm__textq_tiers(const cm__textq_t *tq, int tiers[3]);

/* The text query of one tier: ALL is the AND of the groups, ALL_BUT_ONE the OR of the ANDs
 * leaving one group out, ANY the OR of the groups. *out owned by the caller. */
int cm__textq_query(const cm__textq_t *tq, int tier, cmx_query **out);

/* Every stem of every group (for highlighting): fn(arg, stem) until it returns non-zero. */
int cm__textq_each_stem(const cm__textq_t *tq, int (*fn)(void *arg, const char *stem), void *arg);

/* The searched stems, gathered once per search for the snippets of its hits. *out owned by the
 * caller; free with cm__snip_stems_free. Errors: CM_ENOMEM. */
typedef struct cm__snip_stems cm__snip_stems_t;
int cm__snip_stems_new(const cm__textq_t *tq, cm__snip_stems_t **out);
void cm__snip_stems_free(cm__snip_stems_t *st);

/* The passage of `text` (an offer's field named `field`) holding the most searched stems,
 * about 30 words, with those words marked; out->field NULL when text has no word.
 * out->text owned by the caller (free). Errors: CM_ENOMEM. */
int cm__snippet(const char *field, const char *text, const cm__snip_stems_t *st, cm_snippet_t *out);

#endif
