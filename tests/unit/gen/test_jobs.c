/* The generator's job table (corpora/data/jobs.c) speaks ROME 4.0: each code with its v460
 * label, titles that belong to the code, shares and related wishes that add up. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "tables.h"
#include "test.h"

/* Copied from France Travail's ROME 4.0 referential (v460, unix_referentiel_code_rome), see
 * ../shared/data/rome/CARE_CODES_V4.md; a v3 label here (K1302 "Assistance auprès
 * d'adultes") would mean the table still reads codes the old way. */
static const char *const v4[][2] = {
    {"J1301", "Agent / Agente de service hospitalier (ASH)"},
    {"J1304", "Auxiliaire de puériculture"},
    {"J1501", "Aide-soignant / Aide-soignante"},
    {"J1506", "Infirmier / Infirmière en soins généraux (IDE)"},
    {"K1206", "Animateur coordinateur socioculturel / Animatrice coordinatrice socioculturelle"},
    {"K1207", "Educateur spécialisé / Educatrice spécialisée"},
    {"K1208", "Moniteur éducateur / Monitrice éducatrice"},
    {"K1302", "Assistant / Assistante de vie dépendance"},
    {"K1303", "Garde d'enfant"},
    {"K1304", "Employé familial / Employée familiale"},
    {"K1305", "Technicien / Technicienne d'Intervention Sociale et Familiale (TISF)"},
    {"K1306", "Accompagnant Educatif et Social (AES) / Accompagnante Educative et Sociale (AES)"},
    {"K1307", "Animateur / Animatrice petite enfance"},
    {"K1311", "Assistant / Assistante de vie aux familles"},
};

static int job_of(const char *rome)
{
    for (size_t i = 0; i < cg_n_jobs; i++)
        if (strcmp(cg_jobs[i].rome, rome) == 0)
            return (int)i;
    return -1;
}

/* A title in the table must name the trade of its code: which words may not appear where. */
static void title_fits(const cg_job_t *j, const char *t)
{
    static const struct {
        const char *word, *only_in;
    } owned[] = {
        {"Auxiliaire de vie H/F", "K1311"},   {"ADVF", "K1311"},
        {"Aide à domicile", "K1304"},        {"Aide ménag", "K1304"},
        {"AES", "K1306"},                    {"AMP", "K1306"},
        {"médico-psychologique", "K1306"},   {"(AVS)", "K1306"},
        {"Garde d'enfants", "K1303"},        {"petite enfance", "K1307"},
        {"Moniteur", "K1208"},               {"dépendance", "K1302"},
        {"puériculture", "J1304"},           {"TISF", "K1305"},
    };
    for (size_t i = 0; i < sizeof owned / sizeof owned[0]; i++)
        if (strstr(t, owned[i].word) && strcmp(j->rome, owned[i].only_in) != 0)
            CM_FAIL_("%s title \"%s\" belongs to %s", j->rome, t, owned[i].only_in);
}

int main(void)
{
    ASSERT_EQ(cg_n_jobs, sizeof v4 / sizeof v4[0]);
    int offers = 0, cands = 0;
    for (size_t i = 0; i < cg_n_jobs; i++) {
        const cg_job_t *j = &cg_jobs[i];
        bool known = false;
        for (size_t k = 0; k < sizeof v4 / sizeof v4[0]; k++)
            if (strcmp(v4[k][0], j->rome) == 0) {
                ASSERT_STREQ(j->rome_label, v4[k][1]);
                known = true;
            }
        if (!known)
            CM_FAIL_("%s is not a ROME 4.0 care code of the table", j->rome);
        ASSERT(job_of(j->rome) == (int)i); /* one job per code */
        ASSERT(j->titles[0] && j->skills[0] && j->noun[0]);
        for (int t = 0; j->titles[t]; t++)
            title_fits(j, j->titles[t]);
        int e = 0, s = 0;
        for (int k = 0; k < 12; k++)
            e += j->employer_pct[k];
        for (int k = 0; k < CG_SCHED__COUNT; k++)
            s += j->sched_pct[k];
        if (e != 100 || s != 100)
            CM_FAIL_("%s: employers sum to %d, schedules to %d", j->rome, e, s);
        for (int k = 0; k < 2; k++)
            if (j->related[k] &&
                (job_of(j->related[k]) < 0 || strcmp(j->related[k], j->rome) == 0))
                CM_FAIL_("%s: related %s is not another job of the table", j->rome, j->related[k]);
        offers += j->offer_weight;
        cands += j->cand_weight;
    }
    ASSERT_EQ(offers, 1000);
    ASSERT_EQ(cands, 1000);
    ASSERT(job_of("K1301") < 0); /* "Educateur en locomotion" in ROME 4.0: not our trade */
    printf("test_jobs: %zu ROME 4.0 jobs ok\n", cg_n_jobs);
    return 0;
}
