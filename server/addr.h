/* Listen addresses: "HOST:PORT", "[v6]:PORT", ":PORT" (all IPv4 interfaces), parsed and
 * printed the same way for every listener of carematchd. */
#ifndef SRV_ADDR_H
#define SRV_ADDR_H

#include <stddef.h>
#include <uv.h>

/* Parse `addr` into *ss. Returns 0 or a negative libuv error with errbuf saying why. */
int srv_addr_parse(const char *addr, struct sockaddr_storage *ss, char *errbuf, size_t n);
/* Bind `tcp` to `addr` and listen; out[] gets the address actually bound ("127.0.0.1:8080",
 * "[::1]:8080"; port 0 becomes the real port). Returns 0 or a negative libuv error. */
int srv_addr_listen(uv_tcp_t *tcp, const char *addr, int backlog, uv_connection_cb cb,
                    char *out, size_t out_n, char *errbuf, size_t n);

#endif
