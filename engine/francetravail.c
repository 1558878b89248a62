/* France Travail "Offres d'emploi v2" offers -> the contract's offer JSON (see
 * include/carematch/francetravail.h and docs/FRANCE_TRAVAIL.md), each point lost, guessed or
 * refused handed to the caller as a finding; and the splitting of a file into offers. */
#include "carematch/francetravail.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "carematch/record.h"
#include "ft_internal.h"
#include "record_internal.h"

/* ---- findings ---- */

const char *cm_ft_level_name(cm_ft_level_t level)
{
    return level == CM_FT_GUESS ? "guess" : level == CM_FT_LOST ? "lost" : "reject";
}

/* Length of the longest prefix of s (at most max bytes) that ends on a UTF-8 boundary. */
static size_t utf8_cut(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max)
        return n;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    return max;
}

void cm__ft_find(cm__ft_ctx_t *c, cm_ft_level_t level, const char *code, const char *field,
                 const char *value, const char *fmt, ...)
{
    if (level == CM_FT_REJECT)
        c->rejected = true;
    if (!c->fn)
        return;
    char detail[320];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    detail[utf8_cut(detail, sizeof detail - 1)] = '\0'; /* never half a character */
    cm_ft_finding_t f = {c->offer_id, code, level, field, value, detail};
    c->fn(c->arg, &f);
}

/* Copy of s with invalid UTF-8 replaced by U+FFFD, at most max bytes of it (cut on a
 * character boundary); *cut says whether it was cut. malloc'd, NULL on ENOMEM. */
static char *utf8_clean(const char *s, size_t max, bool *cut)
{
    size_t n = strlen(s);
    char *out = malloc(3 * (n < max ? n : max) + 4);
    if (!out)
        return NULL;
    size_t o = 0, i = 0;
    *cut = false;
    while (i < n) {
        unsigned char b = (unsigned char)s[i];
        size_t len = b < 0x80             ? 1
                     : (b & 0xE0) == 0xC0 ? 2
                     : (b & 0xF0) == 0xE0 ? 3
                     : (b & 0xF8) == 0xF0 ? 4
                                          : 0;
        bool ok = len > 0 && i + len <= n && !(len == 2 && b < 0xC2);
        for (size_t k = 1; ok && k < len; k++)
            ok = ((unsigned char)s[i + k] & 0xC0) == 0x80;
        size_t w = ok ? len : 3;
        if (o + w > max) {
            *cut = true;
            break;
        }
        if (ok)
            memcpy(out + o, s + i, len);
        else
            memcpy(out + o, "\xEF\xBF\xBD", 3);
        o += w;
        i += ok ? len : 1;
    }
    out[o] = '\0';
    return out;
}

static bool add_clean(cJSON *o, const char *key, const char *s, size_t max, bool *cut)
{
    bool dummy;
    char *t = utf8_clean(s, max, cut ? cut : &dummy);
    bool ok = t && cJSON_AddStringToObject(o, key, t);
    free(t);
    return ok;
}

char *cm_ft_finding_to_json(const cm_ft_finding_t *f, const char *file, size_t index)
{
    cJSON *o = cJSON_CreateObject();
    bool cut = false, ok = o != NULL;
    ok = ok && (!file || add_clean(o, "file", file, 4096, NULL));
    ok = ok && (!index || cJSON_AddNumberToObject(o, "offer", (double)index));
    ok = ok && (!f->offer_id || add_clean(o, "id", f->offer_id, 256, NULL));
    ok = ok && add_clean(o, "code", f->code, 64, NULL);
    ok = ok && cJSON_AddStringToObject(o, "level", cm_ft_level_name(f->level));
    ok = ok && (!f->field || add_clean(o, "field", f->field, 256, NULL));
    ok = ok && (!f->value || add_clean(o, "value", f->value, CM_FT_VALUE_MAX, &cut));
    ok = ok && (!cut || cJSON_AddBoolToObject(o, "value_truncated", true));
    ok = ok && add_clean(o, "detail", f->detail ? f->detail : "", 1024, NULL);
    char *text = ok ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    /* copied so that cm_free (free) is right whatever allocator cJSON was given */
    char *out = text ? strdup(text) : NULL;
    if (text)
        cJSON_free(text);
    return out;
}

/* ---- small helpers ---- */

/* Parse exactly one JSON value: cJSON stops after the first value and ignores what follows,
 * which would read NDJSON as its first line. */
static cJSON *parse_one_raw(const char *text, size_t len)
{
    const char *end = NULL;
    cJSON *v = cJSON_ParseWithLengthOpts(text, len, &end, false);
    if (!v)
        return NULL;
    while (end && end < text + len && (isspace((unsigned char)*end) || *end == '\0'))
        end++;
    if (!end || end != text + len) {
        cJSON_Delete(v);
        return NULL;
    }
    cm__json_compose(v); /* decomposed accents read as the sentences' words are written */
    return v;
}

/* A "\u0000" escape would end the decoded string there (C strings), silently dropping the rest
 * of a description: it is read as a space instead, as control characters are. */
static cJSON *parse_one(const char *text, size_t len)
{
    if (!memmem(text, len, "\\u0000", 6))
        return parse_one_raw(text, len);
    char *copy = malloc(len ? len : 1);
    if (!copy)
        return NULL;
    memcpy(copy, text, len);
    for (size_t i = 0; i + 5 < len; i++) {
        if (copy[i] != '\\')
            continue;
        if (memcmp(copy + i + 1, "u0000", 5) == 0)
            memcpy(copy + i + 1, "u0020", 5);
        i++; /* the escaped character: "\\\\u0000" is a backslash, then text */
    }
    cJSON *v = parse_one_raw(copy, len);
    free(copy);
    return v;
}

const cJSON *cm__ft_get(const cJSON *o, const char *key)
{
    const cJSON *it = cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
    return it && !cJSON_IsNull(it) ? it : NULL;
}

const char *cm__ft_get_str(const cJSON *o, const char *key)
{
    const cJSON *it = cm__ft_get(o, key);
    return cJSON_IsString(it) && it->valuestring && it->valuestring[0] ? it->valuestring : NULL;
}

bool cm__ft_add_text(cJSON *o, const char *key, const char *s, size_t max, bool multiline,
                     cm__ft_ctx_t *c, const char *field)
{
    size_t n = utf8_cut(s, max);
    if (n < strlen(s))
        cm__ft_find(c, CM_FT_LOST, "text_truncated", field, s, "cut to %zu bytes (was %zu)", n,
                    strlen(s));
    char *out = malloc(n + 1);
    if (!out)
        return false;
    /* France Travail text carries \r and odd control bytes; a one-line field (a title, a
     * name) is also trimmed, its runs of spaces made one ("   Aide-soignant    (H/F) ") */
    size_t o_ = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        char put = (ch < 0x20 && !(multiline && (ch == '\n' || ch == '\t'))) || ch == 0x7f
                       ? ' '
                       : (char)ch;
        if (!multiline && put == ' ' && (o_ == 0 || out[o_ - 1] == ' '))
            continue;
        out[o_++] = put;
    }
    while (!multiline && o_ > 0 && out[o_ - 1] == ' ')
        o_--;
    out[o_] = '\0';
    bool ok = cJSON_AddStringToObject(o, key, out) != NULL;
    free(out);
    return ok;
}

/* ---- contract ---- */

/* typeContrat, natureContrat and alternance -> the contract's name; NULL when none fits. */
static const char *map_contract(const cJSON *ft, cm__ft_ctx_t *c, int *rc)
{
    const char *type = cm__ft_get_str(ft, "typeContrat");
    const char *nature = cm__ft_get_str(ft, "natureContrat");
    *rc = 0;
    if (nature) {
        char *f = cm__ft_fold(nature);
        if (!f) {
            *rc = CM_ENOMEM;
            return NULL;
        }
        const char *k = strstr(f, "apprentissage")          ? "apprentissage"
                        : strstr(f, "professionnalisation") ? "professionnalisation"
                                                            : NULL;
        free(f);
        if (k)
            return k;
    }
    if (cJSON_IsTrue(cm__ft_get(ft, "alternance"))) {
        /* a work-study offer whose nature says no more: its words, else apprenticeship,
         * by far the commoner */
        const char *srcs[2] = {cm__ft_get_str(ft, "intitule"), cm__ft_get_str(ft, "description")};
        const char *k = NULL;
        for (int i = 0; i < 2 && !k; i++) {
            char *f = srcs[i] ? cm__ft_fold(srcs[i]) : NULL;
            if (srcs[i] && !f) {
                *rc = CM_ENOMEM;
                return NULL;
            }
            if (f && strstr(f, "professionnalisation"))
                k = "professionnalisation";
            else if (f && strstr(f, " apprenti"))
                k = "apprentissage";
            free(f);
        }
        if (!k)
            cm__ft_find(c, CM_FT_GUESS, "alternance_kind_guessed", "alternance", "true",
                        "a work-study offer that names no kind: taken as apprentissage");
        return k ? k : "apprentissage";
    }
    if (!type)
        return NULL;
    if (strcmp(type, "CDD") == 0) {
        /* a work-study contract (a CDD in law) said in the title only ("Aide-soignant en
         * contrat de professionnalisation", "Apprenti(e) AES": a helper's probe left it a
         * plain CDD, offered to qualified jobseekers as one) */
        const char *title = cm__ft_get_str(ft, "intitule");
        char *f = title ? cm__ft_fold(title) : NULL;
        if (title && !f) {
            *rc = CM_ENOMEM;
            return NULL;
        }
        static const char *const appr[] = {"apprenti",  "apprentie",  "apprentissage", "alternance",
                                           "alternant", "alternante", "alternant e",   NULL};
        const char *k = !f || cm__ft_says_no(f) ? NULL
                        : strstr(f, "professionnalisation") || cm__ft_has_words(f, "contrat pro")
                            ? "professionnalisation"
                        : cm__ft_has_any(f, appr) ? "apprentissage"
                                                  : NULL;
        free(f);
        if (k) {
            cm__ft_find(c, CM_FT_GUESS, "alternance_kind_guessed", "intitule", title,
                        "typeContrat CDD, the title says a work-study contract: %s", k);
            return k;
        }
    }
    static const char *const map[][2] = {
        {"CDI", "CDI"},        {"CDD", "CDD"},     {"MIS", "interim"},
        {"SAI", "saisonnier"}, {"LIB", "liberal"}, {"DIN", "interim"},
        {"TTI", "interim"},    {"DDI", "CDD"},     {"DDT", "CDD"}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(type, map[i][0]) == 0) {
            if (strcmp(type, map[i][1]) != 0 && i > 4)
                cm__ft_find(c, CM_FT_GUESS, "contract_approximated", "typeContrat", type,
                            "mapped to %s", map[i][1]);
            return map[i][1];
        }
    return NULL;
}

/* ---- employer ---- */

static bool in_list(const char *const *l, const char *k)
{
    for (; l && *l; l++)
        if (strcmp(*l, "*") == 0 || strcmp(*l, k) == 0)
            return true;
    return false;
}

/* The NAF code first; then the employer's name (unless a temp agency's), the title, the text.
 * An SAAD's text may well say "expérience en EHPAD appréciée": the text comes last. */
static int map_employer(const cJSON *ft, cJSON *o, const char *contract, cm__ft_ctx_t *c)
{
    const char *ename = cm__ft_get_str(cm__ft_get(ft, "entreprise"), "nom");
    const char *naf = cm__ft_get_str(ft, "codeNAF");
    const char *sector = cm__ft_get_str(ft, "secteurActiviteLibelle");
    const char *const *refine = NULL;
    const char *kind = cm__ft_kind_from_naf(naf, sector, &refine);
    bool agency = cm__ft_naf_is_agency(naf) || strcmp(contract, "interim") == 0;
    const char *title = cm__ft_get_str(ft, "intitule"), *desc = cm__ft_get_str(ft, "description");
    if (kind) {
        /* within the NAF family, the name or title may be more precise (FAM under MAS) */
        /* the text last, and only between a MAS, a FAM and a foyer (a helper's probe: "Le
         * FAM Les Alizés" under 87.10C was a MAS); a hospital's or a home service's text names
         * other houses ("expérience en EHPAD", "en lien avec le SSIAD") */
        bool house = refine && strcmp(refine[0], "*") != 0 && !in_list(refine, "ehpad") &&
                     !in_list(refine, "ssiad");
        const char *srcs[3] = {agency ? NULL : ename, title, house ? desc : NULL};
        bool refined = false;
        for (int i = 0; i < 3 && refine; i++) {
            const char *w = srcs[i] ? cm__ft_kind_from_words(srcs[i], i == 2) : NULL;
            if (w && in_list(refine, w)) {
                kind = w;
                refined = true;
                break;
            }
        }
        /* the ADMR (a SAAD's name) runs SSIADs too: the title's SSIAD is the job's ("SSIAD
         * ADMR du Cher" was a SAAD: a helper's probe) */
        const char *in_title = title ? cm__ft_kind_from_words(title, false) : NULL;
        if (refined && strcmp(kind, "saad") == 0 && in_list(refine, "ssiad") && in_title &&
            strcmp(in_title, "ssiad") == 0)
            kind = "ssiad";
        /* a hospital's EHPAD said in the text as the job's place ("Notre EHPAD de 80 lits
         * recrute": a helper's probe left it a hospital); not "expérience en EHPAD"; and
         * under a code of any social action, the house the text names as the job's place (a
         * CCAS "recrute pour son service d'aide à domicile (SAAD)": a helper's probe) */
        const char *here = !refined && !house && refine && desc
                               ? (strcmp(refine[0], "*") == 0 ? cm__ft_kind_from_words(desc, true)
                                  : in_list(refine, "ehpad")  ? "ehpad"
                                                              : NULL)
                               : NULL;
        if (here && cm__ft_kind_is_workplace(desc, here)) {
            kind = here;
            cm__ft_find(c, CM_FT_GUESS, "employer_kind_from_text", "description", NULL,
                        "employer kind %s read in the offer's text (NAF %s)", kind, naf);
        }
    } else {
        const char *srcs[3] = {agency ? NULL : ename, title, desc};
        for (int i = 0; i < 3 && !kind; i++)
            if (srcs[i] && (kind = cm__ft_kind_from_words(srcs[i], i == 2)) && i == 2)
                cm__ft_find(c, CM_FT_GUESS, "employer_kind_from_text", "description", NULL,
                            "employer kind %s read in the offer's text", kind);
        if (!kind)
            cm__ft_find(c, CM_FT_LOST, "employer_kind_unknown", naf ? "codeNAF" : NULL, naf,
                        "no care NAF code and no kind named in the name, title or text");
    }
    if (!ename && !kind)
        return 0;
    cJSON *e = cJSON_AddObjectToObject(o, "employer");
    if (!e ||
        (ename && !cm__ft_add_text(e, "name", ename, CM_LABEL_MAX, false, c, "entreprise.nom")) ||
        (kind && !cJSON_AddStringToObject(e, "kind", kind)))
        return CM_ENOMEM;
    return 0;
}

/* ---- the mapping ---- */

static int reject(cm__ft_ctx_t *c, const char *code, const char *field, const char *value,
                  const char *detail)
{
    cm__ft_find(c, CM_FT_REJECT, code, field, value, "%s", detail);
    return CM_EINVAL;
}

/* What an adviser reads in the offer and the record has no field for: reported, not dropped
 * silently (a subsidised or insertion contract, the experience's own words, daily travel, an
 * adapted employer). */
static int unmapped_facts(const cJSON *ft, cm__ft_ctx_t *c)
{
    const char *nature = cm__ft_get_str(ft, "natureContrat");
    if (nature) {
        char *f = cm__ft_fold(nature);
        if (!f)
            return CM_ENOMEM;
        bool plain = cm__ft_has_words(f, "contrat travail") || strstr(f, "apprentissage") ||
                     strstr(f, "professionnalisation");
        free(f);
        if (!plain)
            cm__ft_find(c, CM_FT_LOST, "contract_nature_unmapped", "natureContrat", nature,
                        "no field for this kind of contract (subsidised, insertion, not "
                        "salaried...): the contract is typeContrat's");
    }
    const char *xp = cm__ft_get_str(ft, "experienceCommentaire");
    if (xp && *xp)
        cm__ft_find(c, CM_FT_LOST, "experience_comment_unmapped", "experienceCommentaire", xp,
                    "the experience asked for in words: not read");
    const char *travel = cm__ft_get_str(ft, "deplacementLibelle");
    const char *tcode = cm__ft_get_str(ft, "deplacementCode");
    if (travel && !(tcode && strcmp(tcode, "1") == 0))
        cm__ft_find(c, CM_FT_LOST, "travel_unmapped", "deplacementLibelle", travel,
                    "no field for travel during the work");
    const cJSON *ent = cm__ft_get(ft, "entreprise");
    if (cJSON_IsTrue(cm__ft_get(ft, "entrepriseAdaptee")) ||
        cJSON_IsTrue(cm__ft_get(ent, "entrepriseAdaptee")))
        cm__ft_find(c, CM_FT_LOST, "employer_adapted_unmapped", "entrepriseAdaptee", "true",
                    "an adapted company (entreprise adaptée): no field for it");
    if (cJSON_IsTrue(cm__ft_get(ft, "employeurHandiEngage")))
        cm__ft_find(c, CM_FT_LOST, "employer_handi_unmapped", "employeurHandiEngage", "true",
                    "an employer committed to disabled workers: no field for it");
    return 0;
}

/* ---- members of the wrong type: reported, never dropped silently ---- */

enum { T_STR = 1, T_OBJ = 2, T_ARR = 4, T_BOOL = 8 };
static const struct {
    const char *key;
    unsigned types;
    const char *item_label; /* arrays of objects: the member each item must name as a string */
} ft_types[] = {
    {"intitule", T_STR, NULL},
    {"description", T_STR, NULL},
    {"romeCode", T_STR, NULL},
    {"romeLibelle", T_STR, NULL},
    {"appellationlibelle", T_STR, NULL},
    {"dateCreation", T_STR, NULL},
    {"lieuTravail", T_OBJ, NULL},
    {"entreprise", T_OBJ, NULL},
    {"typeContrat", T_STR, NULL},
    {"typeContratLibelle", T_STR, NULL},
    {"natureContrat", T_STR, NULL},
    {"experienceExige", T_STR, NULL},
    {"experienceLibelle", T_STR, NULL},
    {"formations", T_ARR, NULL},
    {"langues", T_ARR, "libelle"},
    {"permis", T_ARR, "libelle"},
    {"competences", T_ARR, "libelle"},
    {"salaire", T_OBJ, NULL},
    {"dureeTravailLibelle", T_STR, NULL},
    {"dureeTravailLibelleConverti", T_STR, NULL},
    {"alternance", T_BOOL, NULL},
    {"contexteTravail", T_OBJ, NULL},
};

static void unreadable(cm__ft_ctx_t *c, const char *field, const cJSON *v, const char *why)
{
    char shown[CM_FT_VALUE_MAX];
    char *json = cJSON_IsString(v) ? NULL : cJSON_PrintUnformatted(v);
    snprintf(shown, sizeof shown, "%s", json ? json : cJSON_IsString(v) ? v->valuestring : "");
    if (json)
        cJSON_free(json);
    shown[utf8_cut(shown, sizeof shown - 1)] = '\0';
    cm__ft_find(c, CM_FT_LOST, "value_unreadable", field, shown, "%s: left out", why);
}

static void check_types(const cJSON *ft, cm__ft_ctx_t *c)
{
    for (size_t k = 0; k < sizeof ft_types / sizeof ft_types[0]; k++) {
        const cJSON *v = cm__ft_get(ft, ft_types[k].key);
        if (!v)
            continue;
        unsigned t = ft_types[k].types;
        bool ok = ((t & T_STR) && cJSON_IsString(v)) || ((t & T_OBJ) && cJSON_IsObject(v)) ||
                  ((t & T_ARR) && cJSON_IsArray(v)) || ((t & T_BOOL) && cJSON_IsBool(v));
        if (!ok) {
            unreadable(c, ft_types[k].key, v,
                       t & T_STR   ? "not a string"
                       : t & T_OBJ ? "not an object"
                       : t & T_ARR ? "not an array"
                                   : "not true or false");
            continue;
        }
        if (!(t & T_ARR))
            continue;
        int i = 0;
        const cJSON *it;
        cJSON_ArrayForEach(it, v)
        {
            char field[64];
            snprintf(field, sizeof field, "%s[%d]", ft_types[k].key, i++);
            const char *label = ft_types[k].item_label;
            const cJSON *l = label ? cJSON_GetObjectItemCaseSensitive(it, label) : NULL;
            if (!cJSON_IsObject(it))
                unreadable(c, field, it, "not an object");
            else if (label && !(cJSON_IsString(l) && l->valuestring[0]))
                unreadable(c, field, it, "no label (libelle)");
        }
    }
}

static int map_offer(const cJSON *ft, cJSON *o, cm__ft_ctx_t *c)
{
    int rc;
    if (!cJSON_IsObject(ft))
        return reject(c, "offer_not_object", NULL, NULL, "not a JSON object");

    const cJSON *idv = cm__ft_get(ft, "id");
    char raw[32], id[CM_ID_MAX + 1];
    if (cJSON_IsString(idv) && idv->valuestring)
        c->offer_id = idv->valuestring;
    else if (cJSON_IsNumber(idv) && (snprintf(raw, sizeof raw, "%.0f", idv->valuedouble), 1))
        c->offer_id = raw;
    else
        return reject(c, "id_missing", "id", NULL, "no id");
    size_t idlen = strlen(c->offer_id) + 3;
    if (idlen < 4 || idlen > CM_ID_MAX || !cm_id_valid(c->offer_id, idlen - 3))
        return reject(c, "id_unusable", "id", c->offer_id,
                      "not usable as an id (1 to 61 of [A-Za-z0-9._-])");
    snprintf(id, sizeof id, "ft-%s", c->offer_id);
    if (!cJSON_AddStringToObject(o, "id", id))
        return CM_ENOMEM;
    check_types(ft, c);

    const char *title = cm__ft_get_str(ft, "intitule");
    if (!title)
        return reject(c, "title_missing", "intitule", NULL, "no title (intitule)");
    if (!cm__ft_add_text(o, "title", title, CM_TITLE_MAX, false, c, "intitule"))
        return CM_ENOMEM;
    const char *desc = cm__ft_get_str(ft, "description");
    if (desc && !cm__ft_add_text(o, "description", desc, CM_TEXT_MAX, true, c, "description"))
        return CM_ENOMEM;

    if ((rc = cm__ft_rome(ft, o, c)) || (rc = cm__ft_place(ft, o, c)))
        return rc;

    const char *contract = map_contract(ft, c, &rc);
    if (rc)
        return rc;
    if (!contract) {
        const char *type = cm__ft_get_str(ft, "typeContrat");
        return reject(c, "contract_unmapped", "typeContrat", type,
                      "no contract equivalent (CDI, CDD, interim, saisonnier, liberal, "
                      "apprentissage, professionnalisation)");
    }
    if (!cJSON_AddStringToObject(o, "contract", contract))
        return CM_ENOMEM;

    if ((rc = map_employer(ft, o, contract, c)) ||
        (rc = cm__ft_contract_duration(ft, contract, o, c)) || (rc = cm__ft_hours(ft, o, c)) ||
        (rc = cm__ft_conditions(ft, o, c)) || (rc = cm__ft_schedule(ft, o, c)) ||
        (rc = cm__ft_experience(ft, o, c)) || (rc = cm__ft_certs(ft, o, c)) ||
        (rc = cm__ft_permits(ft, o, c)) || (rc = cm__ft_languages(ft, c)) ||
        (rc = cm__ft_salary(ft, o, c)))
        return rc;

    /* absent: unknown, so left out; "true" and "false" as strings in some exports; the
     * description may open the job where the field does not say it (a helper's probe: "Poste
     * ouvert aux personnes bénéficiant d'une RQTH" beside accessibleTH false) */
    const cJSON *th = cm__ft_get(ft, "accessibleTH");
    int th_val = cJSON_IsBool(th) ? cJSON_IsTrue(th) : -1;
    if (cJSON_IsString(th) &&
        (strcasecmp(th->valuestring, "true") == 0 || strcasecmp(th->valuestring, "false") == 0))
        th_val = strcasecmp(th->valuestring, "true") == 0;
    else if (th && !cJSON_IsBool(th) && !cJSON_IsNull(th))
        cm__ft_find(c, CM_FT_LOST, "value_unreadable", "accessibleTH",
                    cJSON_IsString(th) ? th->valuestring : NULL, "not true or false: left out");
    if (th_val != 1 && cm__ft_disability_text(ft)) {
        th_val = 1;
        cm__ft_find(c, CM_FT_GUESS, "accessible_from_text", "description", NULL,
                    "the description opens the job to disabled workers (RQTH, obligation "
                    "d'emploi): accessible_to_disabled_workers true");
    }
    if (th_val >= 0 && !cJSON_AddBoolToObject(o, "accessible_to_disabled_workers", th_val == 1))
        return CM_ENOMEM;
    /* France Travail has no field for it: an immersion the description offers (a probe:
     * "Une immersion professionnelle (PMSMP) est possible avant l'embauche" was dropped, so
     * no immersion lever could appear for its offers) */
    if (cm__ft_immersion_text(ft)) {
        cm__ft_find(c, CM_FT_GUESS, "immersion_from_text", "description", NULL,
                    "the description offers an immersion (PMSMP): immersion_possible true");
        if (!cJSON_AddBoolToObject(o, "immersion_possible", true))
            return CM_ENOMEM;
    }
    /* nor for a training before hiring (a helper's probe: "Formation préalable à l'embauche
     * (POEI)" was dropped, so no pre-hire training lever could appear either) */
    if (cm__ft_training_text(ft)) {
        cm__ft_find(c, CM_FT_GUESS, "training_from_text", "description", NULL,
                    "the description offers a training before hiring (POE, AFPR): "
                    "pre_hire_training true");
        if (!cJSON_AddBoolToObject(o, "pre_hire_training", true))
            return CM_ENOMEM;
    }
    if ((rc = unmapped_facts(ft, c)) != 0)
        return rc;

    const char *created = cm__ft_get_str(ft, "dateCreation");
    int32_t days;
    if (created && strlen(created) >= 10 && cm_date_parse(created, 10, &days)) {
        char d[11];
        memcpy(d, created, 10);
        d[10] = '\0';
        if (!cJSON_AddStringToObject(o, "published_at", d))
            return CM_ENOMEM;
    } else if (created) {
        cm__ft_find(c, CM_FT_LOST, "date_invalid", "dateCreation", created,
                    "not an ISO date: no published_at");
    }
    if (!cJSON_AddStringToObject(o, "status", "open"))
        return CM_ENOMEM;
    return 0;
}

int cm_ft_offer_to_json(const char *json, size_t len, char **out_json, cm_ft_finding_fn fn,
                        void *arg)
{
    *out_json = NULL;
    cm__ft_ctx_t c = {NULL, fn, arg, false, false};
    if (len > CM_RECORD_JSON_MAX) {
        cm__ft_find(&c, CM_FT_REJECT, "offer_too_big", NULL, NULL,
                    "%zu bytes, over the %d-byte limit", len, CM_RECORD_JSON_MAX);
        return CM_ETOOBIG;
    }
    cJSON *ft = parse_one(json, len);
    if (!ft) {
        char head[125]; /* the first bytes, whole characters only */
        size_t n = len < 124 ? len : 124;
        memcpy(head, json, n);
        head[n] = '\0';
        head[utf8_cut(head, 120)] = '\0';
        cm__ft_find(&c, CM_FT_REJECT, "offer_invalid_json", NULL, head,
                    "not valid JSON (value: its first bytes)");
        return CM_EINVAL;
    }
    int rc;
    cJSON *o = cJSON_CreateObject();
    if (!o) {
        rc = CM_ENOMEM;
        goto done;
    }
    rc = map_offer(ft, o, &c);
    if (rc == 0) {
        char *text = cJSON_PrintUnformatted(o);
        /* copied so that cm_free (free) is right whatever allocator cJSON was given */
        if (!text || !(*out_json = strdup(text)))
            rc = CM_ENOMEM;
        if (text)
            cJSON_free(text);
    }
done:
    cJSON_Delete(ft);
    cJSON_Delete(o);
    return rc;
}

/* ---- splitting a file into offers ---- */

static int each_item(const cJSON *arr, cm_ft_offer_fn fn, void *arg, cm_error *err)
{
    size_t i = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, arr)
    {
        char *t = cJSON_PrintUnformatted(it);
        if (!t)
            return cm_error_set(err, CM_ENOMEM, NULL, "out of memory");
        int rc = fn(arg, i++, t, strlen(t));
        cJSON_free(t);
        if (rc)
            return rc;
    }
    return 0;
}

int cm_ft_each_offer(const char *text, size_t len, cm_ft_offer_fn fn, void *arg, cm_error *err)
{
    size_t i = 0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) /* a BOM from Windows tools */
        i = 3;
    while (i < len && isspace((unsigned char)text[i]))
        i++;
    if (i == len)
        return cm_error_set(err, CM_EINVAL, NULL, "empty input: no offer");
    if (text[i] != '[' && text[i] != '{')
        return cm_error_set(err, CM_EINVAL, NULL,
                            "expected a JSON array, an object or NDJSON objects");
    cJSON *root = parse_one(text + i, len - i);
    if (root) {
        int rc;
        const cJSON *res = cJSON_GetObjectItemCaseSensitive(root, "resultats");
        if (cJSON_IsArray(root)) {
            rc = each_item(root, fn, arg, err);
        } else if (res) {
            rc = cJSON_IsArray(res)
                     ? each_item(res, fn, arg, err)
                     : cm_error_set(err, CM_EINVAL, "resultats", "resultats must be an array");
        } else if (cJSON_IsObject(root) && !cJSON_GetObjectItemCaseSensitive(root, "id") &&
                   !cJSON_GetObjectItemCaseSensitive(root, "intitule") &&
                   (cJSON_IsString(cJSON_GetObjectItemCaseSensitive(root, "message")) ||
                    cJSON_GetObjectItemCaseSensitive(root, "codeErreur") ||
                    cJSON_GetObjectItemCaseSensitive(root, "error"))) {
            /* France Travail's error answers ({"message": "Service indisponible"}, {"codeErreur":
             * ...}, a gateway's {"error": ...}): said as such, not read as an offer without id */
            const char *m = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(root, "message"));
            rc = cm_error_set(err, CM_EINVAL, NULL,
                              "an error answer, not offers: %.120s (fetch the page again)",
                              m ? m : "no message");
        } else if (cJSON_IsObject(root)) {
            rc = fn(arg, 0, text + i, len - i);
        } else {
            rc = cm_error_set(err, CM_EINVAL, NULL, "not an offer, an array or NDJSON");
        }
        cJSON_Delete(root);
        return rc;
    }
    if (text[i] == '[')
        return cm_error_set(err, CM_EINVAL, NULL, "invalid JSON array");
    /* NDJSON: hand each non-blank line over as it is */
    size_t index = 0;
    while (i < len) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - text) : len, e = end;
        while (e > i && isspace((unsigned char)text[e - 1]))
            e--;
        size_t s = i;
        while (s < e && isspace((unsigned char)text[s]))
            s++;
        if (e > s) {
            int rc = fn(arg, index++, text + s, e - s);
            if (rc)
                return rc;
        }
        i = end + 1;
    }
    return 0;
}
