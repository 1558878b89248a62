/* Unit test of tools/csv.c: the French-spreadsheet CSV (BOM, ';', CRLF, quoting, decimal
 * comma, formula guard) and the match and candidate search tables drawn from the API's JSON. */
#include "test.h"

#include "../../../tools/csv.c"

/* Everything written through f, NUL-terminated, in a static buffer. */
static const char *text_of(FILE *f)
{
    static char buf[8192];
    fflush(f);
    rewind(f);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    return buf;
}

static void test_fields(void)
{
    FILE *f = tmpfile();
    csv_t c;
    csv_start(&c, f);
    csv_str(&c, "plain");
    csv_str(&c, "a;b");
    csv_str(&c, "say \"hi\"");
    csv_str(&c, "two\nlines");
    csv_str(&c, NULL);
    csv_num(&c, 82.5);
    csv_num(&c, 35);
    csv_num(&c, -0.25);
    csv_num(&c, 48.859415);
    csv_str(&c, "=HYPERLINK(\"x\")");
    csv_str(&c, "-12,5");
    csv_str(&c, "-5");
    csv_end_row(&c);
    ASSERT_STREQ(text_of(f), "\xEF\xBB\xBFplain;\"a;b\";\"say \"\"hi\"\"\";\"two\nlines\";;82,5;35;"
                             "-0,25;48,859415;\"'=HYPERLINK(\"\"x\"\")\";\"'-12,5\";-5\r\n");
    fclose(f);
}

static void test_matches(void)
{
    const char *json =
        "{\"results\":[{\"offer\":{\"id\":\"o1\",\"title\":\"Aide; nuit\",\"employer\":{\"name\":"
        "\"EHPAD\"},\"contract\":\"CDI\",\"location\":{\"postcode\":\"75011\",\"city\":\"Paris\"}},"
        "\"score\":51.1,\"eligible\":false,\"commute\":{\"mode\":\"transit\",\"minutes\":31,"
        "\"distance_km\":5},\"barriers\":[{\"kind\":\"certification\",\"detail\":\"DEAS\","
        "\"levers\":[\"immersion\",\"pre_hire_training\"]},{\"kind\":\"schedule\",\"detail\":"
        "\"nights\",\"levers\":[\"immersion\",\"childcare_aid\"]}],\"explain\":{\"skills\":1,"
        "\"certifications\":0,\"commute\":0.52,\"schedule\":0,\"contract\":1,\"experience\":0.75,"
        "\"text\":0.5}}],\"count\":1}";
    cJSON *j = cJSON_Parse(json);
    ASSERT(j);
    FILE *f = tmpfile();
    csv_t c;
    csv_start(&c, f);
    ASSERT_EQ(csv_matches(&c, j, true), 1);
    const char *t = text_of(f);
    const char *row = strstr(t, "\r\n");
    ASSERT(row);
    ASSERT(strncmp(t, "\xEF\xBB\xBFrank;offer_id;title;", 20) == 0);
    ASSERT_STREQ(row + 2, "1;o1;\"Aide; nuit\";EHPAD;CDI;75011;Paris;51,1;false;transit;31;5;"
                          "certification, schedule;certification: DEAS | schedule: nights;"
                          "immersion, pre_hire_training, childcare_aid;;1;0;0,52;0;1;0,75;0,5\r\n");
    fclose(f);
    cJSON_Delete(j);
}

/* search candidates: rank continued from the page, distance of the result, availability
 * windows as one field, job titles by label; a second page adds rows, not a header. */
static void test_cand_search(void)
{
    const char *json =
        "{\"total\":3,\"page\":2,\"per_page\":2,\"results\":[{\"candidate\":{\"id\":\"cs-3\","
        "\"location\":{\"lat\":48.9,\"lon\":2.4,\"postcode\":\"93000\",\"city\":\"Bobigny\","
        "\"commune\":\"93008\"},\"desired_rome\":[\"J1501\",\"K1306\"],\"desired_job_titles\":"
        "[{\"ogr\":10891,\"label\":\"Aide-soignant\"}],\"certifications\":[\"DEAES\"],"
        "\"experience_months\":18,\"availability\":[{\"days\":[\"mon\",\"tue\"],\"from\":"
        "\"21:00\",\"to\":\"06:00\"},{\"days\":[\"sat\"],\"from\":\"08:00\",\"to\":\"12:00\"}],"
        "\"contracts\":[\"CDI\"],\"mobility\":{\"modes\":[\"transit\",\"walk\"],"
        "\"max_minutes\":45,\"driving_licence\":false,\"vehicle\":false},"
        "\"open_to_immersion\":true,\"open_to_training\":false},\"distance_km\":4.5}]}";
    cJSON *j = cJSON_Parse(json);
    ASSERT(j);
    FILE *f = tmpfile();
    csv_t c;
    csv_start(&c, f);
    ASSERT_EQ(csv_cand_search(&c, j), 1);
    ASSERT_STREQ(text_of(f),
                 "\xEF\xBB\xBFrank;candidate_id;postcode;city;commune;distance_km;desired_rome;"
                 "desired_job_titles;certifications;experience_months;availability;contracts;"
                 "mobility_modes;max_minutes;driving_licence;vehicle;open_to_immersion;"
                 "open_to_training\r\n"
                 "3;cs-3;93000;Bobigny;93008;4,5;J1501, K1306;Aide-soignant;DEAES;18;"
                 "mon,tue 21:00-06:00 | sat 08:00-12:00;CDI;transit, walk;45;false;false;true;"
                 "false\r\n");
    cJSON_Delete(j);
    /* no centre, no availability: both fields empty; the header is not repeated */
    j = cJSON_Parse("{\"page\":1,\"per_page\":20,\"results\":[{\"candidate\":{\"id\":\"a\","
                    "\"location\":{\"lat\":1,\"lon\":2}}}]}");
    ASSERT(j);
    ASSERT_EQ(csv_cand_search(&c, j), 1);
    const char *t = text_of(f);
    ASSERT(strstr(t, "rank;") == t + 3 && strstr(t + 4, "rank;") == NULL);
    ASSERT(strstr(t, "\r\n1;a;;;;;;;;;;;;;;;;\r\n") != NULL);
    fclose(f);
    cJSON_Delete(j);
}

int main(void)
{
    test_fields();
    test_matches();
    test_cand_search();
    puts("ok");
    return 0;
}
