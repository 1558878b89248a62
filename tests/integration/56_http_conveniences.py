"""HTTP conveniences: Date and X-Request-Id on every answer (accepted from the client when
well-formed, logged), HEAD, gzip when asked, 304 on If-None-Match, and CORS for configured
origins (preflight, portal-scope answers only, errors readable)."""
import gzip
import http.client
import json
import os
import re
import socket
import sys
from email.utils import parsedate_to_datetime

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cmtest
from cmtest import KEYS, check, eq, offer

ORIGIN = "https://portal.example.fr"


def raw_request(s, method, path, headers):
    c = s.conn()
    c.request(method, path, headers=headers)
    r = c.getresponse()
    data = r.read()
    hdrs = {k.lower(): v for k, v in r.getheaders()}
    c.close()
    return r.status, hdrs, data


def auth(key="portal", **extra):
    h = {"Authorization": "Bearer " + KEYS[key]}
    h.update(extra)
    return h


def test_seed(s):
    for i in range(30):
        eq(s.request("PUT", "/v1/offers/cv-%02d" % i,
                      offer("cv-%02d" % i, description="Accompagnement des résidents " * 20))[0],
           201, "seed")


def test_date_and_request_id(s):
    st, h, _ = raw_request(s, "GET", "/v1/offers/cv-01", auth())
    eq(st, 200, "get")
    check(parsedate_to_datetime(h["date"]).year >= 2024, "Date: %r" % h.get("date"))
    check(re.fullmatch(r"[0-9a-f]{16}", h["x-request-id"]), "made id %r" % h["x-request-id"])
    st, h2, _ = raw_request(s, "GET", "/v1/offers/cv-01", auth())
    check(h2["x-request-id"] != h["x-request-id"], "ids differ")
    st, h, _ = raw_request(s, "GET", "/v1/offers/cv-01", auth(**{"X-Request-Id": "portal-42.a"}))
    eq(h["x-request-id"], "portal-42.a", "the client's id echoed")
    st, h, _ = raw_request(s, "GET", "/v1/offers/cv-01", auth(**{"X-Request-Id": "bad id!"}))
    check(re.fullmatch(r"[0-9a-f]{16}", h["x-request-id"]), "a malformed id is replaced")
    st, h, _ = raw_request(s, "GET", "/v1/offers/absent", auth(**{"X-Request-Id": "err-7"}))
    eq((st, h["x-request-id"]), (404, "err-7"), "errors carry it too")
    recs = [r for r in s.log_records() if r.get("request_id") == "portal-42.a"]
    eq(len(recs), 1, "the log line carries the id")


def test_head(s):
    st, hg, body = raw_request(s, "GET", "/v1/offers/cv-02", auth())
    sock = socket.create_connection(("127.0.0.1", s.port), timeout=10)
    sock.sendall(("HEAD /v1/offers/cv-02 HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer %s\r\n\r\n"
                  "GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
                  % KEYS["portal"]).encode())
    data = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    sock.close()
    head, rest = data.split(b"\r\n\r\n", 1)
    check(head.startswith(b"HTTP/1.1 200"), "HEAD 200: %r" % head[:40])
    cl = int(re.search(rb"(?i)content-length: (\d+)", head).group(1))
    eq(cl, len(body), "HEAD's Content-Length is the GET's")
    check(rest.startswith(b"HTTP/1.1 200"), "no body after HEAD: the next answer follows")
    check(b"ETag" in head, "HEAD has the ETag")


def test_gzip(s):
    path = "/v1/offers/search?q=residents&per_page=30"
    st, plain_h, plain = raw_request(s, "GET", path, auth())
    check(len(plain) > 1024, "a large answer (%d bytes)" % len(plain))
    check("content-encoding" not in plain_h, "no gzip unless asked")
    check("Accept-Encoding" in plain_h.get("vary", ""), "Vary: Accept-Encoding")
    st, h, z = raw_request(s, "GET", path, auth(**{"Accept-Encoding": "gzip, deflate"}))
    eq(h.get("content-encoding"), "gzip", "gzip when asked")
    check(len(z) < len(plain) / 2, "smaller: %d < %d" % (len(z), len(plain)))
    eq(json.loads(gzip.decompress(z)), json.loads(plain), "the same answer")
    st, h, _ = raw_request(s, "GET", path, auth(**{"Accept-Encoding": "gzip;q=0"}))
    check("content-encoding" not in h, "gzip;q=0 refuses it")
    st, h, small = raw_request(s, "GET", "/healthz", {"Accept-Encoding": "gzip"})
    check("content-encoding" not in h, "small answers stay plain")


def test_not_modified(s):
    st, h, body = raw_request(s, "GET", "/v1/offers/cv-03", auth())
    etag = h["etag"]
    st, h, body = raw_request(s, "GET", "/v1/offers/cv-03", auth(**{"If-None-Match": etag}))
    eq((st, body, h.get("etag")), (304, b"", etag), "304 without a body")
    st, h, body = raw_request(s, "GET", "/v1/offers/cv-03",
                              auth(**{"If-None-Match": 'W/"7", W/%s' % etag}))
    eq(st, 304, "weak and listed")
    st, h, body = raw_request(s, "GET", "/v1/offers/cv-03", auth(**{"If-None-Match": '"99"'}))
    eq(st, 200, "another version: the record")
    st, h, body = raw_request(s, "GET", "/v1/candidates/absent",
                              auth("adviser", **{"If-None-Match": '"1"'}))
    eq(st, 404, "absent stays 404")


def test_cors():
    srv = cmtest.Server("cors", args=["--cors-origins", ORIGIN + ",https://other.example"])
    srv.start()
    try:
        eq(srv.request("PUT", "/v1/offers/c1", offer("c1"))[0], 201, "seed")
        pre = {"Origin": ORIGIN, "Access-Control-Request-Method": "GET",
               "Access-Control-Request-Headers": "authorization"}
        st, h, _ = raw_request(srv, "OPTIONS", "/v1/offers/c1", pre)
        eq(st, 204, "preflight")
        eq(h.get("access-control-allow-origin"), ORIGIN, "allowed origin echoed")
        check("GET" in h.get("access-control-allow-methods", ""), "methods")
        check("Authorization" in h.get("access-control-allow-headers", ""), "headers")
        check("GET" in h.get("allow", ""), "Allow")
        st, h, _ = raw_request(srv, "OPTIONS", "/v1/offers/c1",
                               dict(pre, Origin="https://evil.example"))
        check("access-control-allow-origin" not in h, "other origins get nothing")
        st, h, _ = raw_request(srv, "GET", "/v1/offers/c1", auth(Origin=ORIGIN))
        eq(h.get("access-control-allow-origin"), ORIGIN, "portal answer readable by the portal")
        check("ETag" in h.get("access-control-expose-headers", ""), "exposed headers")
        check("Origin" in h.get("vary", ""), "Vary: Origin")
        st, h, _ = raw_request(srv, "GET", "/v1/offers/absent", auth(Origin=ORIGIN))
        eq((st, h.get("access-control-allow-origin")), (404, ORIGIN), "errors readable")
        st, h, _ = raw_request(srv, "GET", "/v1/stats", auth("adviser", Origin=ORIGIN))
        check("access-control-allow-origin" not in h, "adviser answers never go to a browser")
        eq(srv.stop(), 0, "stop")
    finally:
        srv.cleanup()


def test_no_cors_by_default(s):
    st, h, _ = raw_request(s, "GET", "/v1/offers/cv-01", auth(Origin=ORIGIN))
    check("access-control-allow-origin" not in h, "no CORS unless configured")
    st, h, _ = raw_request(s, "OPTIONS", "/v1/offers/cv-01", {"Origin": ORIGIN})
    eq(st, 204, "OPTIONS answered")
    check("access-control-allow-origin" not in h, "no preflight grant")



def test_options_asterisk(s):
    """OPTIONS * (RFC 9112 3.2.4) asks what the server does, not a resource: the methods."""
    st, h, body = raw_request(s, "OPTIONS", "*", {})
    eq(st, 204, "OPTIONS * answered")
    eq(h.get("allow"), "GET, HEAD, PUT, POST, DELETE, OPTIONS", "every method of the API")
    eq(body, b"", "no body")
    st, h, _ = raw_request(s, "GET", "*", {})
    eq(st, 404, "GET * names nothing")


if __name__ == "__main__":
    cmtest.run_module(globals(), "conveniences")
