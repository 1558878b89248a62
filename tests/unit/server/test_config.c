/* Unit test of server/config.c: every entry of the limits table has a sane range containing
 * its default, is settable by name at its bounds, and refuses values outside them; the JSON
 * override file is all-or-nothing. */
#include "test.h"

#include "../../../server/config.c"

static long get(const srv_config_t *c, const srv_config_def_t *d)
{
    return *(const long *)((const char *)c + d->offset);
}

int main(void)
{
    char err[256];
    srv_config_t c;
    srv_config_defaults(&c);
    /* no numeric field left out of the table (cors_origins, a string, is the one other) */
    ASSERT_EQ(srv_config_count * sizeof(long) + sizeof(const char *), sizeof(srv_config_t));
    for (size_t i = 0; i < srv_config_count; i++) {
        const srv_config_def_t *d = &srv_config_table[i];
        ASSERT(d->min <= d->def && d->def <= d->max);
        ASSERT_EQ(get(&c, d), d->def);
        for (size_t j = 0; j < i; j++)
            ASSERT(strcmp(srv_config_table[j].name, d->name) != 0);
        ASSERT_EQ(srv_config_set(&c, d->name, d->min, err, sizeof err), 0);
        ASSERT_EQ(get(&c, d), d->min);
        ASSERT_EQ(srv_config_set(&c, d->name, d->max, err, sizeof err), 0);
        ASSERT_EQ(get(&c, d), d->max);
        ASSERT_EQ(srv_config_set(&c, d->name, d->min - 1, err, sizeof err), -1);
        ASSERT(strstr(err, d->name) != NULL);
        ASSERT_EQ(srv_config_set(&c, d->name, d->max + 1, err, sizeof err), -1);
        ASSERT_EQ(get(&c, d), d->max); /* a refused value changes nothing */
    }
    /* the contract's defaults */
    srv_config_defaults(&c);
    ASSERT_EQ(c.max_body_bytes, 1L << 20);
    ASSERT_EQ(c.max_bulk_body_bytes, 64L << 20);
    ASSERT_EQ(c.max_connections, 4096);
    ASSERT_EQ(c.threadpool_size, 4);
    ASSERT_EQ(c.write_threads, 64);
    ASSERT_EQ(c.write_nice, 10);
    ASSERT_EQ(c.rate_per_sec, 0);

    ASSERT_EQ(srv_config_set(&c, "no_such", 1, err, sizeof err), -1);
    const char good[] = "{\"max_body_bytes\": 2048, \"idle_timeout_ms\": 500}";
    ASSERT_EQ(srv_config_parse(&c, good, strlen(good), err, sizeof err), 0);
    ASSERT_EQ(c.max_body_bytes, 2048);
    ASSERT_EQ(c.idle_timeout_ms, 500);
    const char *bad[] = {"{\"max_body_bytes\": 4096, \"max_headers\": 1}",
                         "{\"max_body_bytes\": 1.5}", "{\"max_body_bytes\": \"1\"}", "[1]",
                         "{\"max_body_bytes\": 4096, \"nope\": 1}",
                         /* given twice: which one was meant? (the last one won) */
                         "{\"max_body_bytes\": 1048576, \"max_body_bytes\": 2048}", "not json"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ASSERT_EQ(srv_config_parse(&c, bad[i], strlen(bad[i]), err, sizeof err), -1);
        ASSERT_EQ(c.max_body_bytes, 2048); /* all-or-nothing */
    }
    ASSERT_EQ(srv_config_load(&c, "/nonexistent/carematch.json", err, sizeof err), -1);
    printf("config: %zu settings checked\n", srv_config_count);
    return 0;
}
