/* France Travail requirements read clause by clause: a sentence that asks for one diploma and
 * wishes for another ("DEAS exigé, DEAES apprécié"), experience asked with no length. Found by
 * helpers' probes of offers written as employers write them. */
#include "ft_harness.h"

/* Required and wished in one sentence: each diploma takes its own clause's word. */
static void test_asked_and_wished(void)
{
    static const struct {
        const char *desc;
        const char *required, *wished; /* one code each, "" for none */
        bool grouped;                  /* the required ones are one group of alternatives */
    } cases[] = {
        {"DEAS exigé, DEAES apprécié.", "DEAS", "DEAES", false},
        {"Diplôme d'Etat d'aide-soignant obligatoire et DEAES souhaité.", "DEAS", "DEAES", false},
        {"Vous êtes titulaire du DEAES (obligatoire), le titre ADVF serait un plus.", "DEAES",
         "TP_ADVF", false},
        {"DEAS ou DEAES exigé, le SST est un plus.", "DEAS", "SST", true},
        /* a list stays one clause: no wish in the sentence */
        {"Diplôme requis : DEAES, ADVF, MCAD.", "DEAES", "", true},
        /* both asked, one wished: the wished one alone */
        {"DEAS et SST exigés, DEAES apprécié.", "DEAS", "DEAES", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mapped_t m;
        map_one(&m, "J1501", cases[i].desc, "");
        if (!has_cert(m.rec, cases[i].required, true))
            CM_FAIL_("case %zu (%s): %s not required: %s", i, cases[i].desc, cases[i].required,
                     m.json);
        if (cases[i].wished[0] && !has_cert(m.rec, cases[i].wished, false))
            CM_FAIL_("case %zu (%s): %s not wished: %s", i, cases[i].desc, cases[i].wished, m.json);
        if ((cert_group(m.rec, cases[i].required) > 0) != cases[i].grouped)
            CM_FAIL_("case %zu (%s): grouping: %s", i, cases[i].desc, m.json);
        mapped_free(&m);
    }
}

/* "Expérience exigée" with no length: required, no months (the scorer decides what meets it). */
static void test_experience_without_length(void)
{
    mapped_t m;
    map_one(&m, "J1501", "Poste en EHPAD.",
            ",\"experienceExige\":\"E\",\"experienceLibelle\":\"Expérience exigée\"");
    const cJSON *x = at(m.o, "experience");
    ASSERT(x && strcmp(str_at(x, "level"), "required") == 0);
    const cJSON *months = at(x, "months");
    ASSERT(!months || months->valuedouble == 0);
    ASSERT(find_code(&m, "experience_unreadable") != NULL); /* said to the operator */
    mapped_free(&m);
}

int main(void)
{
    test_asked_and_wished();
    test_experience_without_length();
    printf("test_ft_requirements: ok\n");
    return 0;
}
