/* French (and English) words of the barrier sentences: durations, months, contract lengths
 * and names, transport modes, numbers with a comma, certification codes, the diploma that
 * shortens a training. Part of explain.c's sentences (explain_internal.h). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "carematch/record.h"
#include "carematch/referential.h"
#include "explain_internal.h"
#include "sort_u32.h"

/* A duration the French way: "45 min", "1 h", "5 h 07" (an overrun of 307 min read badly). */
const char *cm__dur_fr(int min, char out[24])
{
    if (min < 60)
        SAY(out, 24, "%d min", min);
    else if (min % 60 == 0)
        SAY(out, 24, "%d h", min / 60);
    else
        SAY(out, 24, "%d h %02d", min / 60, min % 60);
    return out;
}

/* Months as French says a length of experience: "1 mois", "18 mois", "1 an", "2 ans". */
const char *cm__months_fr(int months, char out[24])
{
    if (months >= 12 && months % 12 == 0)
        SAY(out, 24, "%d an%s", months / 12, months >= 24 ? "s" : "");
    else if (months > 24) /* "18 ans et 9 mois", not "225 mois" (an adviser's probe) */
        SAY(out, 24, "%d ans et %d mois", months / 12 % 1000, months % 12);
    else
        SAY(out, 24, "%d mois", months);
    return out;
}

/* A contract's length in days as contracts say it: "d'un jour", "de 3 semaines", "d'un mois",
 * "de 6 mois", "d'un an" (an adviser's probe: "CDD de 1 jours", "de 365 jours", "de 30
 * jours"); en: "(1 day)". */
void cm__contract_length(int days, char *fr, size_t nf, char *en, size_t ne)
{
    int n = days;
    const char *unit = "jour";
    if (days >= 365 && days % 365 == 0)
        n = days / 365, unit = "an";
    else if (days >= 30 && days % 30 == 0) /* France Travail's month is 30 days */
        n = days / 30, unit = "mois";
    else if (days >= 14 && days % 7 == 0)
        n = days / 7, unit = "semaine";
    else if (days >= 60) { /* "de 200 jours" said in months (an adviser's probe) */
        SAY(fr, nf, " d'environ %d mois", (days + 15) / 30);
        SAY(en, ne, " (%d day%s)", days, days == 1 ? "" : "s");
        return;
    }
    bool mois = strcmp(unit, "mois") == 0;
    if (n == 1)
        SAY(fr, nf, " d'un%s %s", strcmp(unit, "semaine") ? "" : "e", unit);
    else
        SAY(fr, nf, " de %d %s%s", n, unit, mois ? "" : "s");
    SAY(en, ne, " (%d day%s)", days, days == 1 ? "" : "s");
}

/* A list of codes as stored ("TP_ADVF,SST") for an English sentence: "TP_ADVF, SST". */
const char *cm__codes_en(const char *list, char *out, size_t cap)
{
    size_t o = 0;
    for (const char *p = list; *p && o + 2 < cap; p++) {
        out[o++] = *p;
        if (*p == ',' && p[1] != ' ' && o + 2 < cap)
            out[o++] = ' ';
    }
    out[o] = '\0';
    return out;
}

/* The way she travels, as French says it after "Trajet de 20 min". */
const char *cm__mode_fr(int mode)
{
    switch (mode) {
    case CM_MODE_CAR:
        return "en voiture";
    case CM_MODE_TRANSIT:
        return "en transports en commun";
    case CM_MODE_BIKE:
        return "à vélo";
    case CM_MODE_MOPED:
        return "en deux-roues motorisé";
    default:
        return "à pied";
    }
}

/* A number written with a point, the French way: "14.7" -> "14,7" (in place). */
char *cm__comma_fr(char *s)
{
    char *dot = strchr(s, '.');
    if (dot)
        *dot = ',';
    return s;
}

/* Kilometres the French way, "14,7". */
const char *cm__km_fr(double km, char out[24])
{
    SAY(out, 24, "%.1f", km);
    return cm__comma_fr(out);
}

/* A contract's name in a French sentence: "Contrat %s" ("d'intérim", "d'apprentissage"). */
const char *cm__contract_fr(int contract)
{
    switch (contract) {
    case CM_CONTRACT_CDI:
        return "CDI";
    case CM_CONTRACT_CDD:
        return "CDD";
    case CM_CONTRACT_INTERIM:
        return "d'intérim";
    case CM_CONTRACT_APPRENTISSAGE:
        return "d'apprentissage";
    case CM_CONTRACT_PROFESSIONNALISATION:
        return "de professionnalisation";
    case CM_CONTRACT_LIBERAL:
        return "libéral";
    default:
        return "saisonnier";
    }
}

/* The diploma she holds that shortens the training to the one missing: the arrêtés of 10 June
 * 2021 (DEAS and DEAP, their annexes of allègements) give them to holders of the other one, of
 * the DEAES (or what counts as it), and of the bacs pro ASSP and SAPAT (an adviser's probe:
 * only the DEAES was said); NULL when none. */
const char *cm__bridge_held(const cm__cand_fields_t *c, const char *missing)
{
    static const struct {
        const char *to, *from;
    } rows[] = {{"DEAS", "DEAES"},         {"DEAS", "DEAP"},         {"DEAS", "BAC_PRO_ASSP"},
                {"DEAS", "BAC_PRO_SAPAT"}, {"DEAP", "DEAS"},         {"DEAP", "DEAES"},
                {"DEAP", "BAC_PRO_ASSP"},  {"DEAP", "BAC_PRO_SAPAT"}};
    char key[CM_CERT_MAX + 1]; /* as her codes are kept: "BACPROASSP" */
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        if (strcmp(missing, rows[i].to) != 0)
            continue;
        cm__cert_canon(rows[i].from, key);
        if (cm__has_u32(c->hash + c->n_skills, c->n_certs, cm__cert_hash(key)))
            return rows[i].from;
    }
    return NULL;
}

/* The groups of a missing list ("CAP_AEPE/BAC_PRO_ASSP,PSC1") split into those naming a diploma
 * the referential knows and the others (certificates, an employer's codes), each list
 * comma-separated. */
void cm__split_diplomas(const char *missing, char dips[96], char rest[96])
{
    size_t nd = 0, nr = 0;
    dips[0] = rest[0] = '\0';
    for (const char *p = missing; *p;) {
        size_t len = strcspn(p, ",");
        bool dip = false;
        for (const char *q = p; q < p + len;) { /* any member of the group */
            size_t ml = strcspn(q, ",/");
            char code[40];
            if (ml > 0 && ml < sizeof code) {
                memcpy(code, q, ml);
                code[ml] = '\0';
                dip |= cm_diploma_find(code, NULL) == 0;
            }
            q += ml + (q[ml] == '/');
            if (q > p + len)
                break;
        }
        char *out = dip ? dips : rest;
        size_t *n = dip ? &nd : &nr;
        if (*n + len + 2 <= 96) {
            if (*n)
                out[(*n)++] = ',';
            memcpy(out + *n, p, len);
            *n += len;
            out[*n] = '\0';
        }
        p += len + (p[len] == ',');
    }
    if (!dips[0]) { /* never empty: the caller said a diploma is missing */
        snprintf(dips, 96, "%s", missing);
        rest[0] = '\0';
    }
}

/* Certification codes as a French sentence names them ("DEAS,CAP_AEPE/TP_ADVF" -> "DEAS, CAP
 * AEPE ou titre professionnel ADVF"): true when every one is a titre professionnel, then
 * written without those words (the sentence says them once: "Titre professionnel exigé : ADVF"). */
bool cm__certs_fr(const char *codes, char *out, size_t cap)
{
    bool all_tp = codes[0] != '\0';
    for (const char *p = codes; *p; p += strcspn(p, ",/"), p += *p != '\0')
        all_tp &= strncmp(p, "TP_", 3) == 0;
    size_t len = 0;
    out[0] = '\0';
    for (const char *p = codes; *p && len + 1 < cap;) {
        const char *word = "";
        if (*p == ',' || *p == '/') {
            word = *p == ',' ? ", " : " ou ";
            p++;
        }
        if (strncmp(p, "TP_", 3) == 0) {
            SAY(out + len, cap - len, "%s%s", word, all_tp ? "" : "titre professionnel ");
            len += strlen(out + len);
            p += 3;
        } else if (strncmp(p, "BAC_PRO_", 8) == 0 || strncmp(p, "BAC_", 4) == 0) {
            bool pro = p[3] == '_' && strncmp(p + 4, "PRO_", 4) == 0;
            SAY(out + len, cap - len, "%s%s", word, pro ? "bac pro " : "bac "); /* "bac pro ASSP" */
            len += strlen(out + len);
            p += pro ? 8 : 4;
        } else if (word[0]) {
            SAY(out + len, cap - len, "%s", word);
            len += strlen(out + len);
        }
        for (; *p && *p != ',' && *p != '/' && len + 1 < cap; p++)
            out[len++] = *p == '_' ? ' ' : *p;
        out[len] = '\0';
    }
    return all_tp;
}
