/* Unit test of tools/http_client.c without a network: URL parsing (host, port, IPv6, base
 * path, https refused) and percent-encoding. Requests are tested against carematchd and a
 * fake server in tests/integration/90_cli.py. */
#include "test.h"

#include "../../../tools/http_client.c"

static void test_urls(void)
{
    httpc_t *h;
    const char *why;
    ASSERT_OK(httpc_open("http://127.0.0.1:8080", "k", 0, &h, &why));
    ASSERT_STREQ(h->host, "127.0.0.1");
    ASSERT_STREQ(h->port, "8080");
    ASSERT_STREQ(h->base, "");
    ASSERT_STREQ(h->auth, "Authorization: Bearer k\r\n");
    httpc_close(h);
    ASSERT_OK(httpc_open("HTTP://example.org/carematch/", NULL, 0, &h, &why));
    ASSERT_STREQ(h->host, "example.org");
    ASSERT_STREQ(h->port, "80");
    ASSERT_STREQ(h->base, "/carematch");
    ASSERT(h->auth == NULL);
    httpc_close(h);
    ASSERT_OK(httpc_open("http://[::1]:9000/x", "", 0, &h, &why));
    ASSERT_STREQ(h->host, "::1");
    ASSERT_STREQ(h->port, "9000");
    ASSERT_STREQ(httpc_authority(h), "[::1]:9000");
    httpc_close(h);
    ASSERT_RC(httpc_open("https://127.0.0.1", NULL, 0, &h, &why), CM_EINVAL);
    ASSERT(strstr(why, "https"));
    const char *bad[] = {"127.0.0.1:8080", "http://", "http://h:0", "http://h:70000",
                         "http://h:8x", "http://u@h/", "http://h/?q=1", "http://[::1"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        ASSERT_RC(httpc_open(bad[i], NULL, 0, &h, &why), CM_EINVAL);
    ASSERT_RC(httpc_open("http://h", "k\r\nX: y", 0, &h, &why), CM_EINVAL);
}

static void test_escape(void)
{
    char buf[32] = "/v1/offers/";
    ASSERT_OK(httpc_escape(buf, sizeof buf, "a b/é&"));
    ASSERT_STREQ(buf, "/v1/offers/a%20b%2F%C3%A9%26");
    char small[8] = "x";
    ASSERT_RC(httpc_escape(small, sizeof small, "abcdefgh"), CM_ETOOBIG);
    ASSERT_STREQ(small, "x");
}

int main(void)
{
    test_urls();
    test_escape();
    puts("ok");
    return 0;
}
