/* The words that name each diploma a France Travail offer may ask for (ft_certs.c reads
 * them): acronyms and full names anywhere, a job's name only in a formations[] entry. */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "ft_internal.h"

/* Job names ("aide-soignant", "accompagnant éducatif et social") say a diploma only inside a
 * formations[] entry; elsewhere they name the job, so text needs an acronym or the diploma's
 * own wording. "Diplôme (d')assistant de vie" is the titre professionnel "Assistant de vie",
 * renamed "Assistant de vie aux familles" (ADVF) in 2003: TP_ADVF, not DEAVS (that one is
 * "auxiliaire de vie sociale"). BEP CSS (carrières sanitaires et sociales) and BEP ASSP (its
 * successor, taken during the bac pro ASSP) stay codes of their own: the referential has no
 * equivalence for them. */
const cm__ft_cert_pat_t cm__ft_cert_pats[] = {
    {"DEAS",
     {"deas", "diplome d etat d aide soignant", "diplome d aide soignant",
      "diplome d etat aide soignant", "dpas", "d e a s", "de d aide soignant", "de aide soignant",
      "de d aide soignante", "de aide soignante", "diplome d etat d aide soignante",
      "aide soignant diplome d etat", "aide soignante diplomee d etat", "aide soignant diplome",
      "aide soignante diplomee", "diplome d aide soignante", "diplome as", "diplome d as",
      "as diplome", "as diplomee", "as diplomes", "ou d aide soignant", "ou d aide soignante",
      /* a job's name beside "ou" is an alternative diploma ("Aide-soignant ou AES", "AMP ou
       * aide-soignant"): a helper's probe lost the second of "DEAS ou AMP exigé" */
      "as / aes", "aes / as", "aide soignant ou", "aide soignante ou", "ou aide soignant",
      "ou aide soignante", NULL},
     /* "DEAES ou DEAMP exigé, AS acceptés" (a helper's probe: the AS dropped) */
     {"aide soignant", "aide soignante", "aides soignants", "aides soignantes", "as", NULL}},
    {"DEAES",
     {"deaes",
      "diplome d etat d accompagnant educatif et social",
      "d e a e s",
      "de d aes",
      "de d accompagnant educatif et social",
      "de d accompagnante educative et sociale",
      "diplome d etat d accompagnante educative et sociale",
      "aes diplome",
      "aes diplomee",
      "accompagnant educatif et social diplome",
      "accompagnante educative et sociale diplomee",
      "diplome d aes",
      "diplome aes",
      "ou d aes",
      "diplome d accompagnant educatif et social",
      "diplome d accompagnante educative et sociale",
      "ou aes",
      "aes ou",
      "aes amp",
      "amp aes",
      "/ aes", /* "AMP/AES", "AS/AES": a slash lists diplomas */
      "aes /",
      "ou d accompagnant educatif et social",
      "ou d accompagnante educative et sociale",
      "ou accompagnant educatif et social",
      NULL},
     {"aes", "accompagnant educatif et social", "accompagnante educative et sociale", NULL}},
    {"DEAP",
     {"deap", "diplome d etat d auxiliaire de puericulture", "de d auxiliaire de puericulture",
      "auxiliaire de puericulture diplomee d etat", "auxiliaire de puericulture diplome d etat",
      "diplome d auxiliaire de puericulture", "ou d auxiliaire de puericulture",
      "auxiliaire de puericulture diplomee", "auxiliaire de puericulture diplome", "diplome d ap",
      "diplome ap", "diplomee d etat auxiliaire de puericulture", "ap diplomee", "ap diplome",
      NULL},
     {"auxiliaire de puericulture", "puericulture", NULL}},
    {"DEI",
     {"diplome d etat d infirmier", "diplome d etat infirmier", "ide diplome", "dei",
      "de d infirmier", "de d infirmiere", "infirmier diplome d etat", "infirmiere diplomee d etat",
      "de infirmier", "de infirmiere", "infirmier diplome", "infirmiere diplomee", "d e i", NULL},
     {"infirmier", "infirmiere", "soins infirmiers", NULL}},
    {"DEAMP",
     {"deamp", "diplome d etat d aide medico psychologique", "diplome d aide medico psychologique",
      "aide medico psychologique diplome", "aide medico psychologique diplomee", "amp diplome",
      "amp diplomee", "ou amp", "amp ou", "ou d amp", "amp aes", "diplome d amp", "diplome amp",
      "/ amp", "amp /", "ou d aide medico psychologique", "ou aide medico psychologique", NULL},
     {"amp", "aide medico psychologique", NULL}},
    {"DEAVS",
     {"deavs", "diplome d etat d auxiliaire de vie sociale", "diplome d auxiliaire de vie sociale",
      "auxiliaire de vie sociale diplome", "auxiliaire de vie sociale diplomee", NULL},
     {"auxiliaire de vie sociale", NULL}},
    {"TP_ADVF",
     {"advf", "diplome assistant de vie", "diplome d assistant de vie",
      "titre professionnel assistant de vie", "tp assistant de vie", "titre assistant de vie",
      "assistant de vie aux familles diplome", "assistante de vie aux familles diplomee", NULL},
     {"assistant de vie aux familles", "assistante de vie aux familles", NULL}},
    {"TP_ASMS",
     {"asms", "titre professionnel agent de service medico social", NULL},
     {"agent de service medico social", NULL}},
    {"MCAD", {"mcad", "mention complementaire aide a domicile", NULL}, {NULL}},
    {"BEP_CSS",
     {"bep css", "bep carrieres sanitaires et sociales", NULL},
     {"carrieres sanitaires et sociales", NULL}}, /* the field, at CAP/BEP level (probe) */
    {"BEP_ASSP", {"bep assp", "bep accompagnement soins et services a la personne", NULL}, {NULL}},
    {"BAC_PRO_ASSP",
     {"bac pro assp", "bac professionnel assp", "bac pro ou bep assp",
      "accompagnement soins et services a la personne", NULL},
     {"assp", NULL}},
    {"CAP_AEPE",
     {"cap aepe", "aepe", "cap pe", "accompagnant educatif petite enfance", "cap petite enfance",
      NULL},
     {"petite enfance", NULL}},
    {"DEEJE",
     {"deeje", "de eje", "diplome d etat d educateur de jeunes enfants",
      "diplome d etat educateur de jeunes enfants", "diplome d etat d eje", "diplome d eje",
      "eje diplome", "eje diplomee", "diplome d educateur de jeunes enfants", NULL},
     {"educateur de jeunes enfants", "eje", NULL}},
    {"DEES",
     /* "Diplôme d'éducateur spécialisé exigé" (a helper's probe: none read, the DEME named as
      * its alternative became the only one) */
     {"dees", "diplome d etat d educateur specialise", "diplome d educateur specialise",
      "diplome d educatrice specialisee", "diplome d etat d educatrice specialisee",
      "educateur specialise diplome", "educatrice specialisee diplomee",
      "ou d educateur specialise", "diplome es", NULL},
     /* "Les éducateurs spécialisés peuvent postuler" (a helper's probe: dropped) */
     {"educateur specialise", "educatrice specialisee", "educateurs specialises",
      "educatrices specialisees", NULL}},
    /* "Moniteur-Educateur diplômé(e)", "Diplôme de Moniteur Educateur exigé" (a helper's
     * probe: no diploma read) */
    {"DEME",
     {"deme", "diplome d etat de moniteur educateur", "diplome de moniteur educateur",
      "moniteur educateur diplome", "monitrice educatrice diplomee",
      "diplome de monitrice educatrice", NULL},
     {"moniteur educateur", "monitrice educatrice", "moniteurs educateurs",
      "monitrices educatrices", NULL}},
    {"DETISF",
     {"detisf", "diplome d etat de technicien de l intervention sociale et familiale", NULL},
     {"tisf", "technicien de l intervention sociale et familiale", NULL}},
    {"BPJEPS", {"bpjeps", NULL}, {NULL}},
    {"SST", {"sst", "sauveteur secouriste du travail", NULL}, {NULL}},
    {"PSC1", {"psc1", "prevention et secours civiques", NULL}, {NULL}},
};
_Static_assert(sizeof cm__ft_cert_pats / sizeof cm__ft_cert_pats[0] == CM__FT_CERTS,
               "CM__FT_CERTS is the number of cert_pats");

const char *cm__ft_cert_code(size_t i)
{
    return cm__ft_cert_pats[i].code;
}

/* SST and PSC1 (first-aid courses) never form a group of alternatives with a diploma. */
bool cm__ft_groupable(size_t i)
{
    return strcmp(cm__ft_cert_pats[i].code, "SST") != 0 &&
           strcmp(cm__ft_cert_pats[i].code, "PSC1") != 0;
}

/* A line that is nothing but diplomas, "DEME ou DEES.", "DEAES spécialité structure
 * collective ou DEAMP.", "Titre ADVF.": the profile it stands in (a helper's probe stored them
 * wished, letting people without any in). Not a first-aid course alone ("SST."). */
bool cm__ft_only_diplomas(const char *f)
{
    static const char *const glue[] = {"ou",         "et",       "/",          "le",
                                       "la",         "les",      "un",         "une",
                                       "de",         "d",        "du",         "des",
                                       "titre",      "tp",       "pro",        "professionnel",
                                       "diplome",    "etat",     "specialite", "structure",
                                       "collective", "domicile", "education",  "inclusive",
                                       "cap",        "bac",      "bep",        "ide",
                                       NULL};
    static const char *const first_aid[] = {"sst", "psc1", NULL};
    int named = 0;
    for (const char *p = f + strspn(f, " "); *p; p += strspn(p, " ")) {
        size_t n = strcspn(p, " ");
        bool known = cm__ft_word_is(p, n, glue);
        for (size_t i = 0; !known && i < CM__FT_CERTS; i++)
            for (size_t k = 0; !known && cm__ft_cert_pats[i].any[k]; k++) {
                const char *a = cm__ft_cert_pats[i].any[k];
                known = !strchr(a, ' ') && strlen(a) == n && memcmp(a, p, n) == 0 &&
                        !cm__ft_word_is(p, n, first_aid);
                named += known;
            }
        if (!known)
            return false;
        p += n;
    }
    return named > 0;
}
