/* Reference tables of carematch-gen: communes and departements (communes.c, generated), care
 * jobs with their ROME 4.0 codes, skills, certifications, employers and schedules (jobs.c). */
#ifndef CAREMATCH_CORPORA_TABLES_H
#define CAREMATCH_CORPORA_TABLES_H

#include <stddef.h>
#include <stdint.h>

typedef struct cg_commune {
    const char *insee;
    const char *name;
    const char *postcode; /* the first of the commune's postcodes */
    const char *dep;      /* departement code: "01".."95", "2A", "2B", "971".."976" */
    int32_t lat_e6, lon_e6;
    uint32_t population; /* INSEE legal population */
    uint32_t weight;     /* sampling weight: population it stands for (see build_communes.py) */
    uint32_t jitter_m;   /* records placed uniformly within this radius */
} cg_commune_t;

typedef struct cg_departement {
    const char *code;
    const char *name;
    uint32_t population;
} cg_departement_t;

extern const cg_commune_t cg_communes[];
extern const size_t cg_n_communes;
extern const cg_departement_t cg_departements[];
extern const size_t cg_n_departements;

/* Schedule families: how a job's weekly shifts look (see jobs.c for the windows). */
typedef enum cg_sched {
    CG_SCHED_DAY12 = 0, /* 12 h days 07:00-19:00, rotating, weekends included */
    CG_SCHED_NIGHT12,   /* 12 h nights 19:00-07:00 */
    CG_SCHED_NIGHT10,   /* 10 h nights 21:00-07:00 */
    CG_SCHED_SHIFT,     /* 7 h 30 morning or afternoon shifts (06:45-14:15 / 13:45-21:15) */
    CG_SCHED_SPLIT,     /* home care split day 07:30-12:00 + 17:00-20:30 */
    CG_SCHED_OFFICE,    /* weekday daytime 09:00-17:00 */
    CG_SCHED_CRECHE,    /* creche shifts 07:30-15:00 or 10:30-18:30 */
    CG_SCHED_SCHOOL,    /* after-school 16:15-19:15 weekdays, Wednesday days */
    CG_SCHED_MORNINGS,  /* part-time mornings 08:00-12:00 */
    CG_SCHED__COUNT
} cg_sched_t;

#define CG_MAX_LIST 14

typedef struct cg_cert_rule {
    const char *code;
    uint8_t offer_required_pct; /* offers of this job that require it */
    uint8_t offer_wanted_pct;   /* offers that list it as a plus (not required) */
    uint8_t cand_pct;           /* candidates seeking this job who hold it */
} cg_cert_rule_t;

typedef struct cg_job {
    const char *rome;
    const char *rome_label; /* ROME 4.0 label (France Travail v460) */
    const char *noun;       /* how a candidate names the job ("aide-soignante") */
    const char *titles[CG_MAX_LIST];
    const char *skills[CG_MAX_LIST];
    cg_cert_rule_t certs[6];
    uint8_t employer_pct[12]; /* by cm_employer_kind_t value, sums to 100 */
    uint8_t sched_pct[CG_SCHED__COUNT];
    uint16_t offer_weight, cand_weight; /* share of offers / of candidates' first wish, per mille */
    uint16_t salary_lo, salary_hi;      /* monthly gross euros for full time; hourly if < 100 */
    uint8_t licence_pct;                /* offers requiring a driving licence */
    const char *related[2]; /* a candidate's other wishes, ROME 4.0 codes of this table or NULL */
} cg_job_t;

extern const cg_job_t cg_jobs[];
extern const size_t cg_n_jobs;

/* Word lists for names and free text. NULL-terminated. */
extern const char *const cg_place_names[];    /* "Les Tilleuls", "L'Orée du Bois" ... */
extern const char *const cg_saints[];         /* "Saint-Joseph" ... */
extern const char *const cg_cert_labels[][2]; /* {code, French label}, NULL-terminated */

#endif
