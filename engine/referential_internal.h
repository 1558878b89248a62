/* What the referential's rooms share (referential.c, referential_geo.c, referential_dip.c).
 * Internal to engine/. */
#ifndef CAREMATCH_ENGINE_REFERENTIAL_INTERNAL_H
#define CAREMATCH_ENGINE_REFERENTIAL_INTERNAL_H

/* Row of a ROME 4.0 code in cm__rome_codes, -1 when it is none (referential.c). */
int cm__ref_code_index(const char *code);
/* Builds the commune tables' indexes once; 0 or a CM_E* code (referential_geo.c). */
int cm__ref_geo_init(void);

#endif
