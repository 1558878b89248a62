/* Diplomas of the sector: those a ROME 4.0 code names (required or usual routes), and a
 * diploma found by any of its spellings, with the one it counts as (DEAMP -> DEAES). Part of
 * the referential (referential.c). */
#include <stdbool.h>
#include <string.h>

#include "carematch/error.h"
#include "carematch/referential.h"
#include "ref/ref_data.h"
#include "referential_internal.h"

/* ---------------------------------------------------------------------------------------
 * Diplomas
 * ------------------------------------------------------------------------------------- */

static void fill_diploma(size_t d, bool required, cm_diploma_t *out)
{
    out->code = cm__rome_pool + cm__diplomas[d].code;
    out->name = cm__rome_pool + cm__diplomas[d].name;
    out->canon = cm__rome_pool + cm__diplomas[cm__diplomas[d].canon].code;
    out->required = required;
}

size_t cm_rome_diplomas(const char *code, cm_diploma_t *out, size_t max)
{
    int c = cm__ref_code_index(code);
    if (c < 0)
        return 0;
    const cm__rome_row_t *r = &cm__rome_codes[c];
    for (size_t k = 0; k < r->n_dip && out && k < max; k++) {
        const cm__rome_dip_link_t *l = &cm__rome_dip_links[r->first_dip + k];
        fill_diploma(l->diploma, l->required != 0, &out[k]);
    }
    return r->n_dip;
}

static int diploma_index_exact(const char *text);

/* A diploma's name followed by its speciality or option, as people write it ("DEAES
 * spécialité accompagnement de la vie à domicile", "DEAES - structure collective", "Bac pro
 * ASSP option structure": an adviser's probe saw them refused): the name before the words that
 * open a speciality. */
static int diploma_index(const char *text)
{
    int d = diploma_index_exact(text);
    if (d != CM_ENOTFOUND)
        return d;
    static const char *const opens[] = {" specialite ",   " option ",         " mention ",
                                        " structure ",    " domicile ",       " a domicile ",
                                        " en structure ", " vie a domicile ", " education ",
                                        " inclusive ",    " collective ",     NULL};
    char norm[96];
    cm_ref_normalise(text, norm + 1, sizeof norm - 2);
    norm[0] = ' ';
    size_t n = strlen(norm);
    norm[n] = ' ';
    norm[n + 1] = '\0';
    const char *cut = NULL;
    for (int k = 0; opens[k]; k++) {
        const char *p = strstr(norm, opens[k]);
        if (p && p > norm && (!cut || p < cut))
            cut = p;
    }
    if (!cut)
        return CM_ENOTFOUND;
    char head[96];
    size_t hl = (size_t)(cut - norm);
    memcpy(head, norm, hl);
    head[hl] = '\0';
    return diploma_index_exact(head);
}

static int diploma_index_exact(const char *text)
{
    char norm[96], key[sizeof cm__diploma_aliases[0].key];
    size_t n = 0;
    if (!text)
        return CM_EINVAL;
    cm_ref_normalise(text, norm, sizeof norm);
    for (const char *p = norm; *p; p++) {
        if (*p == ' ')
            continue;
        if (n + 1 >= sizeof key)
            return CM_ENOTFOUND; /* longer than any alias */
        key[n++] = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
    }
    key[n] = '\0';
    if (n == 0)
        return CM_EINVAL;
    /* as written, then a feminine ending taken off ("DE aide-soignante", "DE infirmière") */
    for (int fem = 0; fem < 2; fem++) {
        if (fem && !(n > 4 && key[n - 1] == 'E'))
            break;
        if (fem)
            key[--n] = '\0';
        size_t lo = 0, hi = CM__NDIPALIASES;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            int c = strcmp(cm__diploma_aliases[mid].key, key);
            if (c == 0)
                return cm__diploma_aliases[mid].diploma;
            if (c < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
    }
    return CM_ENOTFOUND;
}

int cm_diploma_find(const char *text, cm_diploma_t *out)
{
    int d = diploma_index(text);
    if (d < 0)
        return d;
    if (out)
        fill_diploma((size_t)d, false, out);
    return 0;
}

const char *cm_diploma_canon(const char *text)
{
    int d = diploma_index(text);
    return d < 0 ? NULL : cm__rome_pool + cm__diplomas[cm__diplomas[d].canon].code;
}

/* HAND (engine/ref/README.md): a diploma accepted, one way, wherever another is asked. The
 * DEAES (and the DEAVS, DEAMP it absorbed in 2016) and the DEAS are a level above the titre
 * professionnel ADVF and certify its care acts: home-care employers (branche de l'aide à
 * domicile, whose agreement files them with the DEAES) take their holders on their ADVF
 * posts. Not the other way: an ADVF is no DEAES nor DEAS. */
/* The auxiliaire de puériculture's DEAP and the EJE's DEEJE are above the CAP AEPE in the
 * crèches' staffing rules (décret of 30 August 2021): a crèche asking for the CAP takes them
 * (an adviser's probe: a DEAP holder was told to take the CAP). */
/* The nurse's DEI covers the aide-soignant's acts (the aide-soignant works within the nurse's
 * own role, article R4311-4 of the public health code): a DEI holder meets the law's DEAS on
 * an aide-soignant's post (an adviser's probe: a nurse was refused where the offer said "DEAS
 * ou DEI"), and so the ADVF's. Rows of one diploma are consecutive, their closure written. */
static const char *const also_counts[][2] = {{"DEAES", "TP_ADVF"}, {"DEAS", "TP_ADVF"},
                                             {"DEAP", "CAP_AEPE"}, {"DEEJE", "CAP_AEPE"},
                                             {"DEI", "DEAS"},      {"DEI", "TP_ADVF"}};

const char *cm_diploma_also_at(const char *text, size_t i)
{
    const char *canon = cm_diploma_canon(text);
    for (size_t r = 0; canon && r < sizeof also_counts / sizeof also_counts[0]; r++)
        if (strcmp(canon, also_counts[r][0]) == 0 && i-- == 0)
            return cm_diploma_canon(also_counts[r][1]);
    return NULL;
}

const char *cm_diploma_also(const char *text)
{
    return cm_diploma_also_at(text, 0);
}

bool cm_diploma_satisfies(const char *held, const char *required)
{
    const char *a = cm_diploma_canon(held), *b = cm_diploma_canon(required);
    if (!a || !b)
        return false;
    const char *also = a;
    for (size_t i = 0; also && also != b; i++)
        also = cm_diploma_also_at(held, i);
    return also == b;
}
