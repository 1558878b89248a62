/* Listen addresses (addr.h): parsing, binding, and the bound address as text. */
#include "addr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int srv_addr_parse(const char *addr, struct sockaddr_storage *ss, char *errbuf, size_t n)
{
    char host[96];
    const char *colon = strrchr(addr, ':');
    if (!colon || (size_t)(colon - addr) >= sizeof host) {
        snprintf(errbuf, n, "listen address must be HOST:PORT, got \"%s\"", addr);
        return UV_EINVAL;
    }
    memcpy(host, addr, (size_t)(colon - addr));
    host[colon - addr] = '\0';
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || end == colon + 1 || port < 0 || port > 65535) {
        snprintf(errbuf, n, "bad port in \"%s\"", addr);
        return UV_EINVAL;
    }
    int rc;
    size_t hl = strlen(host);
    if (hl == 0) { /* ":8080" would be every interface, unsaid: say it */
        snprintf(errbuf, n,
                 "listen address \"%s\" has no host: give 127.0.0.1 (this machine only) or "
                 "0.0.0.0 (every interface)",
                 addr);
        return UV_EINVAL;
    }
    if (strcmp(host, "localhost") == 0) /* names are not resolved, but this one is known */
        snprintf(host, sizeof host, "127.0.0.1");
    if (hl >= 2 && host[0] == '[' && host[hl - 1] == ']') {
        host[hl - 1] = '\0';
        rc = uv_ip6_addr(host + 1, (int)port, (struct sockaddr_in6 *)ss);
    } else {
        rc = uv_ip4_addr(host, (int)port, (struct sockaddr_in *)ss);
    }
    if (rc != 0)
        snprintf(errbuf, n,
                 "cannot listen on %s: %s (HOST is an IPv4 address, [IPv6] or localhost)", addr,
                 uv_strerror(rc));
    return rc;
}

int srv_addr_listen(uv_tcp_t *tcp, const char *addr, int backlog, uv_connection_cb cb, char *out,
                    size_t out_n, char *errbuf, size_t n)
{
    struct sockaddr_storage ss;
    int rc = srv_addr_parse(addr, &ss, errbuf, n);
    if (rc != 0)
        return rc;
    rc = uv_tcp_bind(tcp, (const struct sockaddr *)&ss, 0);
    if (rc == 0)
        rc = uv_listen((uv_stream_t *)tcp, backlog, cb);
    if (rc != 0) {
        snprintf(errbuf, n, "cannot listen on %s: %s", addr, uv_strerror(rc));
        return rc;
    }
    int len = sizeof ss;
    rc = uv_tcp_getsockname(tcp, (struct sockaddr *)&ss, &len);
    if (rc != 0) {
        snprintf(errbuf, n, "getsockname: %s", uv_strerror(rc));
        return rc;
    }
    char ip[64] = "?";
    if (ss.ss_family == AF_INET6) {
        uv_ip6_name((struct sockaddr_in6 *)&ss, ip, sizeof ip);
        snprintf(out, out_n, "[%s]:%d", ip, ntohs(((struct sockaddr_in6 *)&ss)->sin6_port));
    } else {
        uv_ip4_name((struct sockaddr_in *)&ss, ip, sizeof ip);
        snprintf(out, out_n, "%s:%d", ip, ntohs(((struct sockaddr_in *)&ss)->sin_port));
    }
    return 0;
}
