/* The contract's example records (API.md), shared by the record tests. */
#ifndef CM_TEST_RECORD_EXAMPLES_H
#define CM_TEST_RECORD_EXAMPLES_H

static const char EXAMPLE_OFFER[] =
    "{\n"
    "  \"id\": \"off-75011-0042\",\n"
    "  \"title\": \"Aide-soignant(e) de nuit H/F\",\n"
    "  \"description\": \"EHPAD de 80 lits recherche ...\",\n"
    "  \"rome\": \"J1501\",\n"
    "  \"employer\": {\"name\": \"EHPAD Les Tilleuls\", \"kind\": \"ehpad\"},\n"
    "  \"location\": {\"lat\": 48.8589, \"lon\": 2.3800, \"city\": \"Paris\", \"postcode\": "
    "\"75011\"},\n"
    "  \"contract\": \"CDI\",\n"
    "  \"hours_per_week\": 35,\n"
    "  \"schedule\": [{\"days\": [\"mon\",\"tue\",\"wed\"], \"from\": \"21:00\", \"to\": "
    "\"07:00\"}],\n"
    "  \"skills\": [{\"label\": \"Soins d'hygi\xc3\xa8ne et de confort\", \"required\": true}],\n"
    "  \"certifications\": [{\"code\": \"DEAS\", \"required\": true}],\n"
    "  \"driving_licence_required\": false,\n"
    "  \"vehicle_provided\": false,\n"
    "  \"accessible_to_disabled_workers\": true,\n"
    "  \"immersion_possible\": true,\n"
    "  \"pre_hire_training\": false,\n"
    "  \"salary\": {\"min\": 2000, \"max\": 2300, \"period\": \"month\"},\n"
    "  \"published_at\": \"2026-11-02\",\n"
    "  \"status\": \"open\"\n"
    "}\n";

static const char EXAMPLE_CANDIDATE[] =
    "{\n"
    "  \"id\": \"cand-000123\",\n"
    "  \"location\": {\"lat\": 48.8156, \"lon\": 2.3631, \"postcode\": \"94200\"},\n"
    "  \"desired_rome\": [\"J1501\", \"K1311\"],\n"
    "  \"skills\": [\"Soins d'hygi\xc3\xa8ne et de confort\", \"Aide \xc3\xa0 la prise des "
    "repas\"],\n"
    "  \"certifications\": [\"DEAES\"],\n"
    "  \"experience_months\": 18,\n"
    "  \"mobility\": {\"modes\": [\"transit\", \"walk\"], \"max_minutes\": 45, "
    "\"driving_licence\": false, \"vehicle\": false},\n"
    "  \"availability\": [{\"days\": [\"mon\",\"tue\",\"wed\",\"thu\",\"fri\"], \"from\": "
    "\"08:30\", \"to\": \"16:30\"}],\n"
    "  \"childcare\": {\"children_under_12\": 2, \"solo_parent\": true},\n"
    "  \"contracts\": [\"CDI\", \"CDD\"],\n"
    "  \"hours_per_week\": {\"min\": 24, \"max\": 35},\n"
    "  \"disability_recognised\": false,\n"
    "  \"open_to_immersion\": true,\n"
    "  \"open_to_training\": true,\n"
    "  \"summary\": \"Auxiliaire de vie depuis 2 ans, cherche un poste en EHPAD ...\",\n"
    "  \"status\": \"active\"\n"
    "}\n";

#endif
