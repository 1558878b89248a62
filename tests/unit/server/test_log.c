/* Unit test of server/log.c: every line is one valid JSON object with "ts" (ISO 8601 UTC with
 * milliseconds) and "level", whatever the message holds (quotes, backslashes, newlines, control
 * characters, invalid UTF-8), and a line cut for length still parses. */
#include "test.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../../../server/log.c"

/* One line: ends with the only newline, parses, has ts and level. Returns the parsed object. */
static cJSON *parse_line(const char *line, size_t n)
{
    ASSERT(n > 0 && line[n - 1] == '\n');
    ASSERT(memchr(line, '\n', n - 1) == NULL);
    cJSON *o = cJSON_ParseWithLength(line, n);
    if (!o)
        fprintf(stderr, "not JSON: %.*s", (int)n, line);
    ASSERT(cJSON_IsObject(o));
    const char *ts = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "ts"));
    ASSERT(ts && strlen(ts) == 24 && ts[4] == '-' && ts[10] == 'T' && ts[19] == '.' &&
           ts[23] == 'Z');
    ASSERT(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "level")) != NULL);
    return o;
}

static const char *str(const cJSON *o, const char *k)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, k));
}

static void test_hostile_message(void)
{
    const char *msg = "say \"hi\"\nback\\slash\ttab\x01\x1f\x7f end";
    char buf[SRV_LOG_LINE_MAX];
    size_t n = srv_log_format(buf, sizeof buf, "warn", "index_error", msg);
    cJSON *o = parse_line(buf, n);
    ASSERT_STREQ(str(o, "level"), "warn");
    ASSERT_STREQ(str(o, "event"), "index_error");
    ASSERT_STREQ(str(o, "msg"), msg); /* escaped, not altered */
    cJSON_Delete(o);
}

static void test_utf8(void)
{
    char buf[SRV_LOG_LINE_MAX];
    /* valid French text is kept as is; a stray byte becomes U+FFFD */
    size_t n = srv_log_format(buf, sizeof buf, "info", NULL, "aide-soignant\xc3\xa9 \xff\xc3");
    cJSON *o = parse_line(buf, n);
    ASSERT(cJSON_GetObjectItemCaseSensitive(o, "event") == NULL);
    ASSERT_STREQ(str(o, "msg"), "aide-soignant\xc3\xa9 \xef\xbf\xbd\xef\xbf\xbd");
    cJSON_Delete(o);
}

static void test_cut(void)
{
    /* a message longer than the line: cut at a character, the line still closes */
    static char big[3 * SRV_LOG_LINE_MAX];
    for (size_t i = 0; i + 2 < sizeof big; i += 2) {
        big[i] = '"';
        big[i + 1] = 'x';
    }
    char buf[256];
    for (size_t cap = 64; cap <= sizeof buf; cap += 7) {
        size_t n = srv_log_format(buf, cap, "error", "ev", big);
        ASSERT(n < cap);
        cJSON_Delete(parse_line(buf, n));
    }
    ASSERT_EQ(srv_log_format(buf, 10, "error", NULL, "x"), 0);
}

/* The writers go to stderr: capture it in a file and parse each line. */
static void test_writers(void)
{
    char path[] = "/tmp/cm-test-log-XXXXXX";
    int fd = mkstemp(path);
    ASSERT(fd >= 0);
    fflush(stderr);
    int saved = dup(2);
    ASSERT(saved >= 0 && dup2(fd, 2) == 2);
    srv_log_request("GET", "/v1/offers/{id}", "/v1/offers/a\"b\n", 200, 12, 345, "ops \"x\"",
                    "rid-1");
    srv_log("info", "stopped %s", "a\nb");
    srv_log_engine(NULL, CM_LOG_ERROR, "index_error", "Xapian said \"no\"\n");
    fflush(stderr);
    ASSERT(dup2(saved, 2) == 2);
    close(saved);
    FILE *f = fdopen(fd, "r");
    ASSERT(f != NULL);
    rewind(f);
    char line[SRV_LOG_LINE_MAX + 2];
    int count = 0;
    while (fgets(line, sizeof line, f)) {
        cJSON *o = parse_line(line, strlen(line));
        if (count == 0) {
            ASSERT_STREQ(str(o, "path"), "/v1/offers/a\"b\n");
            ASSERT_STREQ(str(o, "key"), "ops \"x\"");
            ASSERT_EQ(cJSON_GetObjectItemCaseSensitive(o, "status")->valueint, 200);
            ASSERT_EQ(cJSON_GetObjectItemCaseSensitive(o, "us")->valueint, 345);
        } else if (count == 1) {
            ASSERT_STREQ(str(o, "msg"), "stopped a\nb");
        } else {
            ASSERT_STREQ(str(o, "level"), "error");
            ASSERT_STREQ(str(o, "event"), "index_error");
            ASSERT_STREQ(str(o, "msg"), "Xapian said \"no\"\n");
        }
        cJSON_Delete(o);
        count++;
    }
    ASSERT_EQ(count, 3);
    fclose(f);
    unlink(path);
}

int main(void)
{
    test_hostile_message();
    test_utf8();
    test_cut();
    test_writers();
    printf("log: ok\n");
    return 0;
}
