/* Reading France Travail's free text (engine/ft_text.c), for the offer mapper
 * (francetravail.c). Internal to engine/. */
#ifndef CAREMATCH_ENGINE_FT_TEXT_H
#define CAREMATCH_ENGINE_FT_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Lower-case ASCII folding of French text: accents dropped, hyphens and apostrophes become
 * spaces, gender marks like "(e)" removed, spaces collapsed, with a leading and a trailing
 * space. malloc'd (free()), NULL on ENOMEM. */
char *cm__ft_fold(const char *s);
/* Does folded `hay` contain folded `needle` as whole words? */
bool cm__ft_has_words(const char *hay, const char *needle);

/* The diplomas the mapper recognises, by index 0..CM__FT_CERTS-1. */
#define CM__FT_CERTS 18
const char *cm__ft_cert_code(size_t i);
typedef struct cm__ft_certs {
    signed char state[CM__FT_CERTS]; /* 0 absent, 1 wanted, 2 required */
} certs_t;
/* Codes recognised in folded text (formation_entry: a formations[] entry, where a job's name
 * means its diploma); each found is marked required or wanted. Returns how many. */
int cm__ft_match_certs(const char *folded, bool formation_entry, bool required, certs_t *cs);
/* Diplomas named in free text, sentence by sentence: required when the sentence says so
 * (exigé, obligatoire...), wanted otherwise. Errors: CM_ENOMEM. */
int cm__ft_certs_from_text(const char *text, certs_t *cs);
/* Employer kind ("ehpad", "saad"...) named by folded text, or NULL. */
const char *cm__ft_guess_kind(const char *folded);

#endif
