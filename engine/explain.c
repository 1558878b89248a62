/* The two sentences of a barrier (English `detail`, French `detail_fr`), written from the
 * barrier's code and numbers so a portal can also word them; the stable names are
 * explain_names.c's. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "carematch/referential.h"
#include "explain_internal.h"
#include "referential_internal.h"
#include "score.h"
#include "sort_u32.h"
#include "week.h"

/* A list of the names of the set bits of `bits`, joined by sep. */
static void list_bits(unsigned bits, const char *const *names, unsigned n, const char *sep,
                      const char *last_sep, char *out, size_t cap)
{
    size_t len = 0;
    unsigned left = (unsigned)__builtin_popcount(bits);
    out[0] = '\0';
    for (unsigned i = 0; i < n; i++) {
        if (!(bits & (1u << i)))
            continue;
        left--;
        int w =
            snprintf(out + len, cap - len, "%s%s", len ? (left ? sep : last_sep) : "", names[i]);
        if (w < 0 || (size_t)w >= cap - len)
            return;
        len += (size_t)w;
    }
}

static const char *const day_en[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
static const char *const day_fr[7] = {"lundi",    "mardi",  "mercredi", "jeudi",
                                      "vendredi", "samedi", "dimanche"};
/* slot kinds in schedule barriers (what bits 0..3) */
static const char *const kind_en[5] = {"night", "early", "evening", "weekend", "weekday"};
static const char *const kind_fr[5] = {"de nuit", "tôt le matin", "en soirée", "le week-end",
                                       "en journée en semaine"};
/* childcare kinds (what bits 0..3) */
/* Months of experience from which the VAE is named first as the way to a missing diploma:
 * a year of it in the trade is what a VAE's file rests on. */
#define VAE_FIRST_MONTHS 12

static const char *const care_en[4] = {"early", "evening", "night", "weekend"};
static const char *const care_fr[4] = {"tôt le matin", "en soirée", "de nuit", "le week-end"};
static const char *const demand_en[3] = {"heavy handling or transfers", "prolonged standing",
                                         "hearing (alarms, telephone)"};
static const char *const demand_fr[3] = {"du port de charges ou des transferts",
                                         "une station debout prolongée",
                                         "une bonne audition (alarmes, téléphone)"};

/* The offer's required certification names, comma-separated (already_qualified). */
static void required_names(const cm__offer_fields_t *o, char *out, size_t cap)
{
    const char *name = o->cert_names;
    size_t len = 0;
    out[0] = '\0';
    for (size_t j = 0; j < o->n_certs; j++, name += strlen(name) + 1) {
        if (!(o->cert_required & (1u << j)))
            continue;
        int w = snprintf(out + len, cap - len, "%s%s", len ? "," : "", name);
        if (w < 0 || (size_t)w >= cap - len)
            return;
        len += (size_t)w;
    }
}

/* The French sentence fr (nf bytes) goes on with `more` in place of its final point. */
static void goes_on(char *fr, size_t nf, const char *more)
{
    size_t l = strlen(fr);
    if (l > 0 && l + 1 < nf && fr[l - 1] == '.') {
        fr[--l] = '\0';
        SAY(fr + l, nf - l, "%s", more);
    }
}

void cm__barrier_explain(const cm__cand_fields_t *c, const cm__offer_fields_t *o,
                         const cm_match_t *m, cm_barrier_t *b)
{
    char a[96], f[160], names[96];
    const char *reg_cert = NULL, *job = NULL;
    char *en = b->detail, *fr = b->detail_fr;
    size_t ne = sizeof b->detail, nf = sizeof b->detail_fr;
    const char *contract = cm_contract_name((cm_contract_t)o->contract);
    const char *contract_f = cm__contract_fr(o->contract);
    char kmf[24], d1[24], d2[24], av_en[64], av_fr[64];
    cm__km_fr(m->distance_km, kmf);
    av_en[0] = av_fr[0] = '\0';
    if (b->code == CM_BC_SCHEDULE_COVERAGE || b->code == CM_BC_SCHEDULE_ENDS_LATE ||
        b->code == CM_BC_SCHEDULE_STARTS_EARLY || b->code == CM_BC_SCHEDULE_PATTERN) {
        cm__avail_text(c, false, av_en, sizeof av_en); /* the schedule's sentences say it */
        cm__avail_text(c, true, av_fr, sizeof av_fr);
    }
    switch (b->code) {
    case CM_BC_CERT_REGULATED:
        if (!cm__rome_regulated(o->rome_str, &reg_cert, &job))
            job = o->rome_str;
        SAY(en, ne, "%s required (%s is regulated)", cm__codes_en(b->missing, names, sizeof names),
            job);
        cm__certs_fr(b->missing, f, sizeof f);
        {
            /* her way to it (an adviser's probe: the same sentence for everyone): a DEAES
             * (or DEAVS, DEAMP) holder has a shortened DEAS training; VAE validates
             * experience, so it is named to someone who has some, but no VAE gives the
             * nurse's DEI (IFSI only; an adviser's second probe); an agrément is no diploma;
             * on a work-study contract, the contract itself is the way */
            const char *bridge = cm__bridge_held(c, b->missing);
            bool aes = bridge != NULL;
            bool dei = strcmp(b->missing, "DEI") == 0;
            bool as3 = dei && c->experience >= 36 &&
                       cm__has_u32(c->hash + c->n_skills, c->n_certs, cm__cert_hash("DEAS"));
            char bridge_fr[200] = "";
            if (bridge)
                SAY(bridge_fr, sizeof bridge_fr,
                    "avec son %s, la formation %s est allégée (institut, apprentissage)",
                    strcmp(bridge, "DEAES") == 0 ? "DEAES (ou un diplôme qui en tient lieu)"
                                                 : (cm__certs_fr(bridge, d2, sizeof d2), d2),
                    strcmp(b->missing, "DEAS") == 0 ? "d'aide-soignant"
                                                    : "d'auxiliaire de puériculture");
            if (strncmp(b->missing, "AGREMENT", 8) == 0) {
                SAY(fr, nf,
                    "Agrément obligatoire pour exercer (%s), que la personne n'a pas : délivré "
                    "par le Conseil départemental (PMI) après évaluation, avec une formation "
                    "obligatoire ; ni diplôme, ni VAE.",
                    job);
            } else if (o->contract == CM_CONTRACT_APPRENTISSAGE ||
                       o->contract == CM_CONTRACT_PROFESSIONNALISATION) {
                SAY(fr, nf,
                    "Diplôme obligatoire pour exercer (%s) : %s, que la personne n'a pas ; ce "
                    "contrat %s y mène : à proposer si elle est prête à se former.",
                    job, f, contract_f);
            } else if (!aes && !dei && c->experience >= VAE_FIRST_MONTHS) {
                /* a year or more of experience: the VAE first (an adviser's probe: named last,
                 * after the institute, to someone with long experience) */
                char xp[24];
                SAY(fr, nf,
                    "Diplôme obligatoire pour exercer (%s) : %s, que la personne n'a pas ; avec "
                    "%s d'expérience, la VAE (validation des acquis de l'expérience) est sa voie "
                    "la plus directe, sinon une formation qualifiante (institut, apprentissage).",
                    job, f, cm__months_fr(c->experience, xp));
            } else {
                SAY(fr, nf,
                    "Diplôme obligatoire pour exercer (%s) : %s, que la personne n'a pas ; %s%s.",
                    job, f,
                    aes   ? bridge_fr
                    : as3 ? "il s'obtient en institut (IFSI), pas par la VAE ; aide-soignante "
                            "de 3 ans d'expérience, la personne peut y entrer par la voie "
                            "réservée"
                    : dei ? "il s'obtient en institut (IFSI), pas par la VAE"
                          : "il s'obtient par une formation qualifiante (institut, apprentissage)",
                    c->experience > 0 && !dei
                        ? (aes ? " ; la VAE est aussi possible" : " ou la VAE")
                        : "");
            }
        }
        break;
    case CM_BC_CERT_MISSING:
        if (b->what & CM_CERT_DIPLOMA) { /* no pre-hire training gives it: say the way */
            SAY(en, ne, "%s required (a diploma: %s)",
                cm__codes_en(b->missing, names, sizeof names),
                o->flags & CM__O_TRAINING
                    ? "the employer's pre-hire course does not give it alone; ask whether it "
                      "opens onto a professionalisation contract"
                    : "training or VAE, not a pre-hire course");
            /* the diplomas apart from what is none (a first-aid certificate: a short course),
             * told after them (a helper's probe: PSC1 came with "VAE") */
            char dips[sizeof b->missing], rest[sizeof b->missing];
            cm__split_diplomas(b->missing, dips, rest);
            bool tp = cm__certs_fr(dips, f, sizeof f), several = strchr(dips, ',');
            if (o->flags & CM__O_TRAINING) {
                /* the employer's own pre-hire training, said as a way forward, not contradicted
                 * (an adviser's probe): a POE does not give a diploma alone, it may open onto
                 * a professionalisation contract that prepares it; with a year's experience or
                 * more, the VAE stays her most direct way (another probe: 19 years of home
                 * care, told "sinon formation qualifiante ou VAE") */
                char xp[24], vae[160] = " (sinon formation qualifiante ou VAE)";
                if (c->experience >= VAE_FIRST_MONTHS)
                    SAY(vae, sizeof vae,
                        " ; avec %s d'expérience, la VAE (validation des acquis de "
                        "l'expérience) reste sa voie la plus directe",
                        cm__months_fr(c->experience, xp));
                SAY(fr, nf,
                    "%s exigé%s par l'offre : %s, que la personne n'a pas. L'employeur propose "
                    "une formation avant l'embauche : elle ne %s donne pas seule ; à voir avec "
                    "lui si elle ouvre sur un contrat de professionnalisation qui %s prépare%s.",
                    several ? (tp ? "Titres professionnels" : "Diplômes")
                            : (tp ? "Titre professionnel" : "Diplôme"),
                    several ? "s" : "", f, several ? "les" : "le", several ? "les" : "le", vae);
            } else if (c->experience >= VAE_FIRST_MONTHS) { /* the VAE first, as above */
                char xp[24];
                SAY(fr, nf,
                    "%s exigé%s par l'offre : %s, que la personne n'a pas ; avec %s "
                    "d'expérience, la VAE (validation des acquis de l'expérience) est sa voie la "
                    "plus directe, sinon une formation qualifiante (financée par la Région ou "
                    "France Travail, en apprentissage ou en contrat de professionnalisation), pas "
                    "une formation avant embauche.",
                    several ? (tp ? "Titres professionnels" : "Diplômes")
                            : (tp ? "Titre professionnel" : "Diplôme"),
                    several ? "s" : "", f, cm__months_fr(c->experience, xp));
            } else {
                SAY(fr, nf,
                    "%s exigé%s par l'offre : %s, que la personne n'a pas ; %s par une formation "
                    "qualifiante (financée par la Région ou France Travail, en apprentissage ou en "
                    "contrat de professionnalisation) ou la VAE, pas par une formation avant "
                    "embauche.",
                    several ? (tp ? "Titres professionnels" : "Diplômes")
                            : (tp ? "Titre professionnel" : "Diplôme"),
                    several ? "s" : "", f, several ? "ils s'obtiennent" : "il s'obtient");
                /* her own way to it, as for the DEAS above (an adviser's probe: the DEAS
                 * holder facing a DEAES was told only the generic way) */
                if (strcmp(dips, "DEAES") == 0 &&
                    cm__has_u32(c->hash + c->n_skills, c->n_certs, cm__cert_hash("DEAS"))) {
                    size_t l = strlen(fr);
                    SAY(fr + l, nf - l, " Avec son DEAS, la formation d'AES est allégée.");
                }
            }
            if (rest[0]) {
                size_t l = strlen(fr);
                SAY(fr + l, nf - l, " Certification exigée aussi : %s, une formation courte.",
                    rest);
            }
            break;
        }
        /* not a diploma the referential knows: a certificate (SST, PSC1: a course of days)
         * or a code of the employer's */
        SAY(en, ne, "%s required", cm__codes_en(b->missing, names, sizeof names));
        SAY(fr, nf, "Certification exigée par l'offre : %s, que la personne n'a pas%s.", b->missing,
            (b->levers & CM_LEVER_PRE_HIRE_TRAINING)
                ? " ; une formation courte avant l'embauche peut la donner"
                : "");
        break;
    case CM_BC_COMMUTE_TOO_LONG:
        if (b->what & CM_COMMUTE_SAME_COMMUNE) { /* a guess across the commune */
            SAY(en, ne,
                "same commune: %s about %d min across it (%.1f km), over her %d min: addresses "
                "unknown, to check",
                cm_mode_name((unsigned)m->commute_mode), b->minutes, m->distance_km, b->limit);
            SAY(fr, nf,
                "Même commune : trajet estimé à %s %s à travers la commune (%s km), plus que "
                "les %d min acceptées ; les adresses exactes ne sont pas connues : à vérifier "
                "avec la personne.",
                cm__dur_fr(b->minutes, d1), cm__mode_fr(m->commute_mode), kmf, b->limit);
            break;
        }
        if (b->what & CM_COMMUTE_LIMIT_ASSUMED) { /* the usual limit, nobody's own */
            SAY(en, ne, "%s %d min, %s the usual %d min (no limit stated) (%.1f km)",
                cm_mode_name((unsigned)m->commute_mode), b->minutes,
                b->hard ? "over twice" : "over", b->limit, m->distance_km);
            SAY(fr, nf,
                "Trajet de %s %s (%s km), %s %d min habituelles "
                "(aucune limite indiquée)%s.",
                cm__dur_fr(b->minutes, d1), cm__mode_fr(m->commute_mode), kmf,
                b->hard ? "plus du double des" : "plus que les", b->limit,
                b->hard ? "" : " : à vérifier avec la personne");
            break;
        }
        SAY(en, ne, "%s %d min > %d min limit (%.1f km)%s", cm_mode_name((unsigned)m->commute_mode),
            b->minutes, b->limit, m->distance_km, b->hard ? "" : ": a few minutes, to check");
        SAY(fr, nf,
            "Trajet de %s %s (%s km), %s de plus que les %d min "
            "acceptées%s.",
            cm__dur_fr(b->minutes, d1), cm__mode_fr(m->commute_mode), kmf,
            cm__dur_fr(b->minutes - b->limit, d2), b->limit,
            b->hard ? "" : " : à vérifier avec la personne");
        break;
    case CM_BC_COMMUTE_LONG:
        if (b->what & CM_COMMUTE_TWO_TRIPS) { /* an adviser's probe: split shifts' rounds */
            SAY(en, ne,
                "%s %d min each way, twice a day (split shifts), over %d min: within her limit, "
                "but a long day (%.1f km)",
                cm_mode_name((unsigned)m->commute_mode), b->minutes, b->limit, m->distance_km);
            SAY(fr, nf,
                "Trajet de %s %s (%s km) dans chaque sens, deux allers-retours par jour "
                "(horaires en coupure) : dans la limite acceptée, mais long chaque jour (à voir "
                "avec la personne).",
                cm__dur_fr(b->minutes, d1), cm__mode_fr(m->commute_mode), kmf);
            break;
        }
        SAY(en, ne, "%s %d min each way, over %d min: within her limit, but a long day (%.1f km)",
            cm_mode_name((unsigned)m->commute_mode), b->minutes, b->limit, m->distance_km);
        SAY(fr, nf,
            "Trajet de %s %s (%s km) dans chaque sens : dans la limite acceptée, mais "
            "long chaque jour (à voir avec la personne).",
            cm__dur_fr(b->minutes, d1), cm__mode_fr(m->commute_mode), kmf);
        break;
    case CM_BC_COMMUTE_OFF_HOURS: {
        bool early = b->what == 1u;
        char hm[8], go[8];
        int at = early ? b->minutes - b->limit : b->minutes + b->limit;
        at = ((at % 1440) + 1440) % 1440;
        snprintf(hm, sizeof hm, "%02d:%02d", b->minutes / 60 % 24, b->minutes % 60);
        snprintf(go, sizeof go, "%02d:%02d", at / 60, at % 60);
        SAY(en, ne,
            "by bus or coach outside the city networks: the shift %s at %s, so she %s about %s, "
            "when lines seldom run: to check",
            early ? "starts" : "ends", hm, early ? "leaves at" : "is back at", go);
        SAY(fr, nf,
            "En bus ou en car hors des grands réseaux : %s à %s, %s vers %s, quand les lignes "
            "circulent peu ou pas : horaires de passage à vérifier avec la personne (aide à la "
            "mobilité).",
            early ? "prise de poste" : "fin de poste", hm, early ? "départ" : "retour", go);
        break;
    }
    case CM_BC_TRANSIT_UNSURE:
        SAY(en, ne,
            "by bus or coach between two towns outside the networks known: a regular line is "
            "not sure (on-demand transport, seasonal lines): to check");
        SAY(fr, nf,
            "En bus ou en car entre deux communes, hors des réseaux connus : ligne régulière à "
            "vérifier avec la personne (car régional, transport à la demande à réserver la "
            "veille, ligne saisonnière) ; aide à la mobilité possible.");
        break;
    case CM_BC_JOB_ABROAD: {
        const char *country = cm__abroad_name((int)b->what);
        bool ch = strcmp(country, "Suisse") == 0, lu = strcmp(country, "Luxembourg") == 0;
        SAY(en, ne,
            "job abroad (%s): diploma recognition, licence to practise and work permit to check",
            country);
        SAY(fr, nf,
            "Poste à l'étranger (%s) : %s à vérifier avant d'y postuler ; contrat, horaires et "
            "salaire sont ceux de ce pays.",
            country,
            ch   ? "reconnaissance du diplôme (Croix-Rouge suisse) et permis G de frontalier"
            : lu ? "autorisation d'exercer du ministère de la Santé luxembourgeois"
                 : "reconnaissance du diplôme et autorisation d'exercer du pays");
        break;
    }
    case CM_BC_SKILLS_TO_LEARN: {
        bool poe = b->levers & CM_LEVER_PRE_HIRE_TRAINING, imm = b->levers & CM_LEVER_IMMERSION;
        SAY(en, ne, "%d of the %d required skills not held yet: the employer offers %s%s%s",
            b->months, b->limit, poe ? "pre-hire training" : "", poe && imm ? " and " : "",
            imm ? "an immersion" : "");
        char which[80]; /* "Les 3 compétences demandées" when she holds none (a probe) */
        if (b->months >= b->limit && b->limit == 1)
            SAY(which, sizeof which, "La compétence demandée");
        else if (b->months >= b->limit)
            SAY(which, sizeof which, "Les %d compétences demandées", b->limit);
        else
            SAY(which, sizeof which, "%d des %d compétences demandées", b->months, b->limit);
        /* with its verb (an adviser's probe: "Les 3 compétences demandées, que la personne n'a
         * pas encore : ..." had none) */
        bool one = b->months == 1 || (b->months >= b->limit && b->limit == 1);
        SAY(fr, nf, "%s %s encore à la personne : l'employeur propose %s%s%s.", which,
            one ? "manque" : "manquent", poe ? "une formation avant l'embauche" : "",
            poe && imm ? " et " : "", imm ? "une immersion" : "");
        break;
    }
    case CM_BC_COMMUTE_NO_MODE: {
        /* what the car lacks: the licence, the vehicle, or both */
        bool lic = c->flags & CM__C_LICENCE, veh = c->flags & CM__C_VEHICLE;
        SAY(en, ne, "no usable transport mode for %.1f km (the car needs %s)", m->distance_km,
            lic   ? "a vehicle"
            : veh ? "a licence"
                  : "a licence and a vehicle");
        SAY(fr, nf,
            "Aucun moyen de transport utilisable pour %s km (pour la voiture, la "
            "personne n'a %s).",
            kmf,
            lic   ? "pas de véhicule"
            : veh ? "pas le permis"
                  : "ni permis ni véhicule");
        break;
    }
    case CM_BC_LICENCE_MISSING: {
        /* her "no licence" given is a fact; not given, it may be an omission (an adviser's
         * probe, three times: the hedge beside a "driving_licence": false) */
        const char *hedge = c->licence_stated ? "" : " (ou ne l'a pas indiqué)";
        if (o->flags & CM__O_VEHICLE) { /* said, or implied by the car to drive */
            SAY(en, ne, "driving licence required: the offer provides a vehicle to drive");
            SAY(fr, nf,
                "Permis de conduire nécessaire : l'offre fournit un véhicule à conduire "
                "(tournées) ; la personne n'a pas le permis%s.",
                hedge);
            break;
        }
        SAY(en, ne, "driving licence required by the offer");
        SAY(fr, nf, "Permis de conduire exigé par l'offre ; la personne n'en a pas%s.", hedge);
        break;
    }
    case CM_BC_VEHICLE_MISSING: {
        bool lic = c->flags & CM__C_LICENCE;
        if (c->modes & CM_MODE_MOPED) { /* her moped is no car to a post that asks the licence */
            SAY(en, ne, "own car required by the offer (a driving licence too): she rides a moped");
            SAY(fr, nf,
                "Voiture personnelle exigée par l'offre (permis demandé) : la personne circule "
                "en cyclomoteur%s.",
                lic ? ", sans voiture" : ", sans permis ni voiture");
            break;
        }
        SAY(en, ne, "own vehicle required by the offer: none%s", lic ? "" : ", nor a licence");
        SAY(fr, nf,
            "Véhicule personnel exigé par l'offre (déplacements entre domiciles) : "
            "la personne n'en a pas%s.",
            lic ? "" : ", ni le permis");
        break;
    }
    case CM_BC_SCHEDULE_COVERAGE: {
        char on[96], on_fr[128];
        if (!(o->flags & CM__O_HAS_SCHEDULE)) { /* no hours given: its week against hers */
            double wh = c->week_count / 2.0;
            char hf[2][16];
            SAY(hf[0], sizeof hf[0], "%g", wh);
            SAY(hf[1], sizeof hf[1], "%g", (double)o->hours);
            SAY(en, ne, "her availability %s holds %s h a week, for a job of %s h%s", av_en, hf[0],
                hf[1], b->hard ? "" : ": to check");
            cm__comma_fr(hf[0]);
            cm__comma_fr(hf[1]);
            SAY(fr, nf, "Ses disponibilités (%s) font %s h par semaine, pour un poste de %s h%s.",
                av_fr, hf[0], hf[1], b->hard ? "" : " : à vérifier avec la personne");
            break;
        }
        list_bits(b->what, kind_en, 5, ", ", ", ", a, sizeof a);
        list_bits(b->what, kind_fr, 5, ", ", " et ", f, sizeof f);
        /* the days partly outside; those never available are named on their own */
        unsigned part = b->outside_days & ~(unsigned)b->days;
        list_bits(part, day_en, 7, ", ", ", ", on, sizeof on);
        char never[64];
        list_bits(b->days, day_en, 7, ", ", ", ", never, sizeof never);
        char hours_en[48];
        cm__outside_text(c, o, part, hours_en, sizeof hours_en);
        SAY(en, ne, "%s hours outside availability %s%s%s%s%s%s%s (%d%% of hours covered)",
            a[0] ? a : "some", av_en, on[0] ? " on " : "", on, hours_en[0] && on[0] ? ", " : "",
            on[0] ? hours_en : "", never[0] ? "; never available on " : "", never, b->coverage);
        list_bits(b->days, day_fr, 7, ", le ", " et le ", names, sizeof names);
        list_bits(part, day_fr, 7, ", le ", " et le ", on_fr, sizeof on_fr);
        char hours[48];
        cm__outside_text(c, o, part, hours, sizeof hours);
        if (hours[0] && on_fr[0]) {
            size_t l = strlen(on_fr);
            SAY(on_fr + l, sizeof on_fr - l, " (%s)", hours);
        }
        char share[48];
        if (b->coverage > 0)
            SAY(share, sizeof share, "Seulement %d %% des heures", b->coverage);
        else
            SAY(share, sizeof share, "Aucune des heures");
        /* days she is available on, but not for all the hours: "des heures hors ... le lundi" */
        SAY(fr, nf, "%s de l'offre dans les disponibilités (%s)%s%s%s%s%s%s%s.", share, av_fr,
            f[0] ? " ; horaires " : "", f, on_fr[0] ? " ; des heures hors disponibilités le " : "",
            on_fr, names[0] ? " ; jamais disponible le " : "", names,
            b->hard ? "" : " : à vérifier avec la personne");
        if (!b->hard) {
            size_t l = strlen(en);
            SAY(en + l, ne - l, ": to check");
        }
        break;
    }
    case CM_BC_SCHEDULE_DAY_OFF:
        list_bits(b->days, day_en, 7, ", ", ", ", a, sizeof a);
        list_bits(b->days, day_fr, 7, ", le ", " et le ", f, sizeof f);
        SAY(en, ne, "work on %s, days never available (%d%% of hours covered)", a, b->coverage);
        SAY(fr, nf, "Travail le %s, jour%s où la personne n'est jamais disponible.", f,
            __builtin_popcount(b->days) > 1 ? "s" : "");
        break;
    case CM_BC_SCHEDULE_ENDS_LATE:
    case CM_BC_SCHEDULE_STARTS_EARLY: {
        bool late = b->code == CM_BC_SCHEDULE_ENDS_LATE;
        /* minutes of whole half-hours, the week's grain: a bound ("up to"), 16:45 against a
         * day ending at 16:30 is 15 minutes, counted 30 (adviser probe) */
        char trip_en[48] = "", trip_fr[48] = "";
        if (b->limit > 0) { /* her journey widened the shift (score.c) */
            snprintf(trip_en, sizeof trip_en, ", %d min of journey included", b->limit);
            /* counted no longer than her limit (its grace included): said so when the trip
             * is longer (an adviser's probe: "Trajet de 56 min" above, "49 min" here) */
            snprintf(trip_fr, sizeof trip_fr,
                     m->commute_minutes > b->limit ? ", trajet compté %s (sa limite et sa marge)"
                                                   : ", trajet de %s compris",
                     cm__dur_fr(b->limit, d1));
        }
        bool trip = b->limit > 0; /* then it is her leaving or her return that overruns */
        SAY(en, ne, "%s up to %d min %s of availability %s%s (solo parent)",
            late ? (trip ? "back from the job" : "ends") : (trip ? "leaves for the job" : "starts"),
            b->minutes, late ? "after the end" : "before the start", av_en, trip_en);
        SAY(fr, nf,
            "%s jusqu'à %s %s de sa disponibilité (%s)%s ; parent seul : une garde "
            "d'enfants est à prévoir.",
            late ? (trip ? "Retour du poste" : "Fin de service")
                 : (trip ? "Départ pour le poste" : "Prise de poste"),
            cm__dur_fr(b->minutes, d2), late ? "après la fin" : "avant le début", av_fr, trip_fr);
        break;
    }
    case CM_BC_SCHEDULE_PATTERN: {
        static const char *const kind_en3[5] = {"night", "weekend", "day",
                                                "rotating-shift or 12-hour (early and late)",
                                                "split-shift (evening round)"};
        static const char *const kind_fr3[5] = {"de nuit", "le week-end", "de jour",
                                                ("en horaires alternés ou en journées de 12 h "
                                                 "(tôt le matin et en soirée)"),
                                                "en horaires coupés (retour en soirée)"};
        if (!b->hard && b->what == CM__WORK_DAY) { /* weekends only, the offer's days unsaid */
            SAY(en, ne,
                "the offer gives no days nor weekend work; available on weekends only: "
                "to check");
            SAY(fr, nf,
                "L'offre ne précise ni ses jours ni un travail le week-end ; la personne n'est "
                "disponible que le week-end (%s) : à vérifier avec elle.",
                av_fr);
            break;
        }
        if (!b->hard) { /* weekend work, one of its two days available */
            bool sat = b->days & 0x20;
            SAY(en, ne, "weekend work announced by the offer; available on %s only: to check",
                sat ? "Sunday" : "Saturday");
            SAY(fr, nf,
                "Travail le week-end annoncé par l'offre ; le week-end, la personne n'est "
                "disponible que le %s (%s) : à vérifier avec elle.",
                sat ? "dimanche" : "samedi", av_fr);
            break;
        }
        if (b->what == CM__WORK_WEEKEND && (b->days == 0x20 || b->days == 0x40)) {
            /* a weekend job, one of its two days never available */
            bool sat = b->days & 0x20;
            SAY(en, ne, "weekend job (%g h a week): never available on %s", (double)o->hours,
                sat ? "Saturdays" : "Sundays");
            SAY(fr, nf,
                "Poste du week-end (%g h par semaine) : la personne n'est jamais disponible le "
                "%s (%s).",
                (double)o->hours, sat ? "samedi" : "dimanche", av_fr);
            break;
        }
        if (b->what == CM__WORK_SHIFTS && b->limit) { /* free for one half of the rota */
            bool am = b->limit == 1;
            SAY(en, ne,
                "rotating-shift or 12-hour work announced by the offer: its %s hours (%s) are "
                "outside "
                "availability %s",
                am ? "early" : "late", am ? "before 10:00" : "after 17:00", av_en);
            SAY(fr, nf,
                "Travail en horaires alternés ou en journées de 12 h annoncé par l'offre : ses "
                "heures %s (%s) sont en "
                "dehors des disponibilités (%s).",
                am ? "du matin" : "du soir", am ? "avant 10:00" : "après 17:00", av_fr);
            break;
        }
        if (b->what == CM__WORK_DAY && (o->work_pattern & CM__WORK_NIGHT)) {
            /* a day/night rota for someone free at night only: its days are the wall, not
             * "day work" (an adviser's probe: "Travail de jour annoncé" misquoted the offer) */
            SAY(en, ne,
                "day/night rota announced by the offer: its day shifts are outside "
                "availability %s",
                av_en);
            SAY(fr, nf,
                "Roulement jour/nuit annoncé par l'offre : ses postes de jour sont en dehors des "
                "disponibilités (%s).",
                av_fr);
            break;
        }
        list_bits(b->what, kind_en3, 5, ", ", " and ", a, sizeof a);
        list_bits(b->what, kind_fr3, 5, ", ", " et ", f, sizeof f);
        SAY(en, ne, "%s work announced by the offer, never available then", a);
        SAY(fr, nf, "Travail %s annoncé par l'offre, en dehors des disponibilités (%s).", f, av_fr);
        break;
    }
    case CM_BC_CHILDCARE_HOURS:
        if (b->what == CM_CARE_UNSTATED) {
            cm__avail_text(c, false, av_en, sizeof av_en);
            cm__avail_text(c, true, av_fr, sizeof av_fr);
            SAY(en, ne,
                "the offer gives no working hours; %d child%s under 12%s, available %s: to "
                "check with the employer",
                b->months, b->months > 1 ? "ren" : "",
                (c->flags & CM__C_SOLO_PARENT) ? ", solo parent" : "", av_en);
            SAY(fr, nf,
                "L'offre ne dit rien de ses horaires ; %d enfant%s de moins de 12 ans%s, "
                "disponible %s : à vérifier avec l'employeur%s.",
                b->months, b->months > 1 ? "s" : "",
                (c->flags & CM__C_SOLO_PARENT) ? ", parent seul" : "", av_fr,
                (c->flags & CM__C_SOLO_PARENT)
                    ? " (aide à la garde d'enfants possible : France Travail, CAF)"
                    : " (mode de garde à organiser)");
            break;
        }
        list_bits(b->what, care_en, 4, "/", "/", a, sizeof a);
        list_bits(b->what, care_fr, 4, ", ", " et ", f, sizeof f);
        SAY(en, ne, "%s shifts outside school hours; %d child%s under 12%s", a, b->months,
            b->months > 1 ? "ren" : "", (c->flags & CM__C_SOLO_PARENT) ? ", solo parent" : "");
        /* France Travail's own aid (AGEPI) is a solo parent's; others have the CAF's, and a
         * mode of care to arrange (an adviser's probe: the aid promised to a couple) */
        SAY(fr, nf, "Horaires %s, hors temps scolaire ; %d enfant%s de moins de 12 ans%s.", f,
            b->months, b->months > 1 ? "s" : "",
            (c->flags & CM__C_SOLO_PARENT)
                ? ", parent seul : aide à la garde d'enfants possible (France Travail, CAF)"
                : " : mode de garde à organiser (aides de la CAF)");
        break;
    case CM_BC_DISABILITY_ADAPTABLE:
        SAY(en, ne, "employer accessible to disabled workers: workplace adaptation possible");
        SAY(fr, nf,
            "Employeur ouvert aux travailleurs handicapés : un aménagement de poste "
            "peut être demandé.");
        break;
    case CM_BC_RESTRICTION:
        list_bits(b->what, demand_en, 3, ", ", " and ", a, sizeof a);
        list_bits(b->what, demand_fr, 3, ", ", " et ", f, sizeof f);
        SAY(en, ne, "the job demands %s, against the person's work restrictions", a);
        /* what her restriction rules out, not the faculty ("une bonne audition ...,
         * contre-indiquée pour la personne" said she must not hear well: an adviser's probe);
         * hearing's usual adaptations named */
        SAY(fr, nf,
            "Le poste demande %s, ce que ses restrictions de travail ne permettent pas : "
            "aménagement de poste à étudier%s.",
            f,
            (b->what & CM__RESTRICT_HEARING) ? " (alarmes visuelles ou vibrantes, téléphone "
                                               "amplifié)"
                                             : "");
        break;
    case CM_BC_RESTRICTION_LIKELY:
        list_bits(b->what, demand_en, 3, ", ", " and ", a, sizeof a);
        list_bits(b->what, demand_fr, 3, ", ", " et ", f, sizeof f);
        { /* said as CM_BC_RESTRICTION's sentence is; hearing alone is a night post's */
            bool night = b->what == CM__RESTRICT_HEARING;
            SAY(en, ne,
                "%s usually demands %s, against the person's work restrictions: to check with "
                "the employer",
                night ? "a care job's night" : "the offer states no physical demand, but this job",
                a);
            SAY(fr, nf,
                "%s d'ordinaire %s, ce que ses restrictions de travail ne permettent pas : à "
                "vérifier avec l'employeur, aménagement de poste à étudier.",
                night ? "Poste de nuit : il demande"
                      : "L'offre ne dit rien des contraintes physiques, mais ce métier demande",
                f);
        }
        break;
    case CM_BC_RESTRICTION_NIGHT:
        SAY(en, ne, "night work, against the person's no-night restriction");
        SAY(fr, nf, "Travail de nuit, contre-indiqué pour la personne.");
        break;
    case CM_BC_HOURS_SHORT:
    case CM_BC_HOURS_OVER: {
        if (b->what == CM_HOURS_UNSTATED) {
            char lo[16], hi[16];
            SAY(lo, sizeof lo, "%g", (double)c->hours_min);
            SAY(hi, sizeof hi, "%g", (double)c->hours_max);
            SAY(en, ne, "the offer gives no weekly hours; %s-%s h wanted (strict): to check", lo,
                hi);
            SAY(fr, nf,
                "L'offre ne précise pas ses heures par semaine ; la personne en veut %s à %s "
                "(exigence ferme) : à vérifier.",
                cm__comma_fr(lo), cm__comma_fr(hi));
            break;
        }
        bool s = b->code == CM_BC_HOURS_SHORT;
        double lim = s ? c->hours_min : c->hours_max;
        char h[3][16], hf[3][16]; /* "34.5" and "34,5": hours are given to the half hour */
        const double v[3] = {o->hours, b->hours, lim};
        for (int i = 0; i < 3; i++) {
            SAY(h[i], sizeof h[i], "%.1f", v[i]);
            size_t l = strlen(h[i]);
            if (l > 2 && strcmp(h[i] + l - 2, ".0") == 0)
                h[i][l - 2] = '\0';
            cm__comma_fr(memcpy(hf[i], h[i], sizeof hf[i]));
        }
        SAY(en, ne, "%s h a week, %s h %s the %s h %s wanted%s", h[0], h[1], s ? "below" : "above",
            h[2], s ? "minimum" : "maximum", b->hard ? " (strict)" : "");
        SAY(fr, nf, "%s h par semaine, %s h de %s que le %s de %s h souhaité%s.", hf[0], hf[1],
            s ? "moins" : "plus", s ? "minimum" : "maximum", hf[2],
            b->hard ? " (exigence ferme de la personne)" : "");
        break;
    }
    case CM_BC_CONTRACT_UNWANTED:
        if (b->limit > 0) {
            cm__contract_length(b->limit, f, sizeof f, a, sizeof a);
        } else {
            a[0] = f[0] = '\0';
        }
        SAY(en, ne, "%s contract%s, not among those wanted%s", contract, a,
            b->hard ? " (strict)" : "");
        /* "Un CDD de 2 mois", not "Contrat CDD" (the C is the contract: a probe) */
        SAY(fr, nf, "%s%s%s : pas un contrat que la personne recherche%s.",
            o->contract == CM_CONTRACT_CDI || o->contract == CM_CONTRACT_CDD ? "Un " : "Contrat ",
            contract_f, f, b->hard ? " (exigence ferme)" : "");
        break;
    case CM_BC_EXPERIENCE_SHORT:
        /* 0 months is also "not stated": the profile cannot tell them apart */
        if (b->limit <= 0) { /* the offer asks for experience without a length */
            char h[24];
            SAY(en, ne, "experience %s with no length stated, %d months held%s",
                b->hard ? "required" : "wanted", b->months,
                b->what & CM_EXPERIENCE_CLOSE ? ": close, to discuss" : "");
            if (b->months > 0)
                SAY(fr, nf,
                    "Expérience %s par l'offre, sans durée précisée ; la personne en a "
                    "%s : à discuter avec l'employeur.",
                    b->hard ? "exigée" : "souhaitée", cm__months_fr(b->months, h));
            else
                SAY(fr, nf,
                    "Expérience %s par l'offre, sans durée précisée ; la personne "
                    "n'en indique aucune.",
                    b->hard ? "exigée" : "souhaitée");
        } else if (b->what & CM_EXPERIENCE_CLOSE) {
            SAY(en, ne, "%d months of experience required, %d held: close, to discuss", b->limit,
                b->months);
            char w[24], h[24];
            SAY(fr, nf,
                "Expérience exigée : %s ; la personne en a %s, presque autant : à "
                "discuter avec l'employeur.",
                cm__months_fr(b->limit, w), cm__months_fr(b->months, h));
        } else if (b->months > 0) {
            SAY(en, ne, "%d months of experience %s, %d held", b->limit,
                b->hard ? "required" : "wanted", b->months);
            char w[24], h[24];
            SAY(fr, nf, "Expérience %s : %s ; la personne en a %s.",
                b->hard ? "exigée" : "souhaitée", cm__months_fr(b->limit, w),
                cm__months_fr(b->months, h));
        } else {
            SAY(en, ne, "%d months of experience %s, none stated", b->limit,
                b->hard ? "required" : "wanted");
            char w[24];
            SAY(fr, nf, "Expérience %s : %s ; la personne n'en indique aucune.",
                b->hard ? "exigée" : "souhaitée", cm__months_fr(b->limit, w));
        }
        break;
    case CM_BC_APPRENTICESHIP_ROUTE:
        SAY(en, ne, "%s contract: the route to %s, not held yet", contract, b->missing);
        SAY(fr, nf, "Contrat %s : la voie vers le %s %s, que la personne n'a pas encore%s.",
            contract_f, cm__certs_fr(b->missing, f, sizeof f) ? "titre professionnel" : "diplôme",
            f,
            /* records hold no age: the rule said, for everyone (an adviser's probe: a
             * career changer of 52 was shown the apprenticeship first, with no word) */
            o->contract == CM_CONTRACT_APPRENTISSAGE
                ? " (en principe avant 30 ans, sans limite avec une RQTH ; sinon un contrat de "
                  "professionnalisation)"
                : "");
        break;
    case CM_BC_ALREADY_QUALIFIED:
        required_names(o, names, sizeof names);
        if (strstr(names, "ADVF")) { /* held, or a DEAES / DEAS that counts for it (an
                                      * adviser's probe: a DEAVS holder told she had the ADVF) */
            SAY(en, ne, "%s contract preparing %s, held or counted by a DEAES or DEAS held",
                contract, names);
            cm__certs_fr(names, f, sizeof f);
            SAY(fr, nf,
                "Contrat %s préparant au titre professionnel %s : la personne l'a déjà, ou un "
                "diplôme qui en tient lieu (DEAES, ex-DEAVS/DEAMP, DEAS ou DEI).",
                contract_f, f);
            break;
        }
        SAY(en, ne, "%s contract preparing %s, already held", contract, names);
        { /* what stands for it, named (an adviser's probe: a DEAMP holder told she held the
           * DEAES, with no word of why) */
            bool dei = cm__has_u32(c->hash + c->n_skills, c->n_certs, cm__cert_hash("DEI"));
            const char *why = strcmp(names, "DEAES") == 0 ? " (ou l'ex-DEAVS / DEAMP, devenu DEAES "
                                                            "en 2016)"
                              : strcmp(names, "DEAS") == 0 && dei
                                  ? " (son DEI d'infirmier le couvre)"
                                  : "";
            SAY(fr, nf, "Contrat %s préparant au %s %s, que la personne a déjà%s.", contract_f,
                cm__certs_fr(names, f, sizeof f) ? "titre professionnel" : "diplôme", f, why);
        }
        break;
    default:
        SAY(en, ne, "%s", cm_barrier_name(b->kind));
        SAY(fr, nf, "%s", cm_barrier_name(b->kind));
    }
    char more[160];
    /* split shifts: two round trips a day, past her limit too (an adviser's probe) */
    if (b->code == CM_BC_COMMUTE_TOO_LONG && (b->what & CM_COMMUTE_TWO_TRIPS)) {
        SAY(more, sizeof more,
            " ; deux allers-retours par jour (horaires en coupure) : %s de trajet par jour.",
            cm__dur_fr(4 * b->minutes, d2));
        goes_on(fr, nf, more);
    }
    /* a trip out of an isle or a cirque: its crossing or its mountain road named (an
     * adviser's probe: Belle-Île -> Auray said "en voiture", the boat hidden) */
    uint8_t cross = cm__cross_minutes(c->area, o->area);
    if (b->kind == CM_BARRIER_COMMUTE && cross > 0 && m->commute_minutes >= cross) {
        SAY(more, sizeof more,
            " ; dont environ %d min pour quitter une île ou un cirque (bateau aux horaires "
            "fixes, ou route de montagne).",
            cross);
        goes_on(fr, nf, more);
    }
}
