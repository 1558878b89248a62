/* The words explain.c's barrier sentences are made of (explain_words.c). Internal to engine/. */
#ifndef CAREMATCH_ENGINE_EXPLAIN_INTERNAL_H
#define CAREMATCH_ENGINE_EXPLAIN_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "score.h"

/* A sentence cut at the buffer's end is still a sentence: truncation is accepted (the return
 * value is read so that -Wformat-truncation knows it was thought of). */
#define SAY(out, cap, ...) ((void)(snprintf(out, cap, __VA_ARGS__) < 0))

/* A duration the French way: "45 min", "1 h", "5 h 07". */
const char *cm__dur_fr(int min, char out[24]);
/* The diploma she holds that shortens the training to `missing` (DEAS, DEAP), or NULL. */
const char *cm__bridge_held(const cm__cand_fields_t *c, const char *missing);
/* A missing list's groups split into those naming a known diploma and the others. */
void cm__split_diplomas(const char *missing, char dips[96], char rest[96]);
/* Certification codes as a French sentence names them ("CAP AEPE ou titre professionnel
 * ADVF"); true when every one is a titre professionnel (then without those words). */
bool cm__certs_fr(const char *codes, char *out, size_t cap);
/* Months as French says a length of experience: "1 mois", "18 mois", "1 an", "2 ans", "18 ans
 * et 9 mois". */
const char *cm__months_fr(int months, char out[24]);
/* A contract's length in days as contracts say it: " d'un jour", " de 3 semaines", " d'un
 * mois", " d'environ 7 mois"; en: " (1 day)". */
void cm__contract_length(int days, char *fr, size_t nf, char *en, size_t ne);
/* A list of codes as stored ("TP_ADVF,SST") for an English sentence: "TP_ADVF, SST". */
const char *cm__codes_en(const char *list, char *out, size_t cap);
/* The way she travels, after "Trajet de 20 min": "en voiture", "à pied"... (CM_MODE_*). */
const char *cm__mode_fr(int mode);
/* "14.7" -> "14,7", in place. */
char *cm__comma_fr(char *s);
/* Kilometres the French way, "14,7". */
const char *cm__km_fr(double km, char out[24]);
/* A contract's name after "Contrat ": "CDI", "d'intérim", "d'apprentissage"... */
const char *cm__contract_fr(int contract);

struct cm__cand_fields;
struct cm__offer_fields;
/* Her availability ("lun.-ven. 08:30-16:30"; English with fr false), in out[cap]. */
void cm__avail_text(const struct cm__cand_fields *c, bool fr, char *out, size_t cap);
/* The offer's hours outside her availability on `days`, when the same on each ("07:00-08:45");
 * "" otherwise. */
void cm__outside_text(const struct cm__cand_fields *c, const struct cm__offer_fields *o,
                      unsigned days, char *out, size_t cap);

#endif
