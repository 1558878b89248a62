/* Unit test of tools/csv.c: the French-spreadsheet CSV (BOM, ';', CRLF, quoting, decimal
 * comma, formula guard) and the match table drawn from the API's JSON. */
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

int main(void)
{
    test_fields();
    test_matches();
    puts("ok");
    return 0;
}
