/* French (and English) words of the barrier sentences: durations, months, contract lengths
 * and names, transport modes, numbers with a comma. Part of explain.c's sentences
 * (explain_internal.h). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "carematch/record.h"
#include "explain_internal.h"

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
