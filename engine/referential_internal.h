/* What the referential's rooms share (referential.c, referential_geo.c, referential_dip.c).
 * Internal to engine/. */
#ifndef CAREMATCH_ENGINE_REFERENTIAL_INTERNAL_H
#define CAREMATCH_ENGINE_REFERENTIAL_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "carematch/record.h"

/* Row of a ROME 4.0 code in cm__rome_codes, -1 when it is none (referential.c). */
int cm__ref_code_index(const char *code);
/* Builds the commune tables' indexes once; 0 or a CM_E* code (referential_geo.c). */
int cm__ref_geo_init(void);
/* Départements (referential_dep.c): code ("93", "2A", "974"), INSEE name, région. France
 * Travail's libelles write some names reversed ("Savoie (Haute)"). */
typedef struct {
    const char *code, *name, *region;
} cm__dept_t;
size_t cm__dept_count(void);
const cm__dept_t *cm__dept_at(size_t i);           /* NULL past the last */
const cm__dept_t *cm__dept_find(const char *code); /* NULL when unknown */
/* A point beyond France's border (referential_abroad.c): 0 in France (or unknown), else the
 * country, whose French name cm__abroad_name gives ("Suisse", "Luxembourg"; "étranger" far
 * from France and its overseas territories). */
int cm__abroad(cm_geo_t loc);
const char *cm__abroad_name(int country);
/* The région's search word ("zridf"; NULL for an overseas one, its number says it). */
const char *cm__region_token(const char *region);
/* Is a word (any case, accents or not) a place's name: a one-word commune ("Cilaos"), or a
 * word of a département's or région's name ("Lozère", "Réunion", "Bretagne")? Typo repair
 * leaves such words alone (referential_geo.c). */
bool cm__place_word(const char *word, size_t len);

#endif
