"""HTTP behaviour: pipelining, keep-alive, slow clients (408) while others are served, idle
timeout, malformed requests, a client leaving mid-body, HTTP/1.0, 404/405, concurrency."""
import json
import os
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cmtest
from cmtest import KEYS, check, eq, expect_error, offer, split_responses

CONFIG = {"request_timeout_ms": 1000, "idle_timeout_ms": 2000}
AUTH = ("Authorization: Bearer %s\r\n" % KEYS["admin"]).encode()


def test_seed(s):
    eq(s.request("PUT", "/v1/offers/h-1", offer("h-1"))[0], 201, "seed")


def stored(s):
    st, _, body = s.request("GET", "/v1/offers/h-1")
    eq(st, 200, "stored")
    return body


def test_error_echoing_invalid_utf8_stays_json(s):
    """An error naming what the client sent (a value, a parameter name) replaces invalid UTF-8:
    the body must stay JSON for a strict reader."""
    for q in (b"rome=%ff", b"contract=%ff%fe", b"employer_kind=%c3%28", b"%ff=1",
              b"rome=%ed%a0%80", b"rome=%f4%90%80%80"):
        out = s.raw(b"GET /v1/offers/search?" + q + b" HTTP/1.1\r\nHost: x\r\n"
                    b"Authorization: Bearer " + cmtest.KEYS["portal"].encode() +
                    b"\r\nConnection: close\r\n\r\n")
        head, _, body = out.partition(b"\r\n\r\n")
        check(head.startswith(b"HTTP/1.1 400"), "400 for %r: %r" % (q, head[:40]))
        err = json.loads(body.decode("utf-8"))["error"]  # strict: raises on invalid UTF-8
        eq(err["code"], "invalid_field", "code for %r" % q)


def test_pipelined_requests_answered_in_order(s):
    body = json.dumps(offer("h-pipe", title="Pipelined")).encode()
    data = (b"PUT /v1/offers/h-pipe HTTP/1.1\r\nHost: t\r\n" + AUTH +
            b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body) + body +
            b"GET /v1/offers/h-pipe HTTP/1.1\r\nHost: t\r\n" + AUTH + b"\r\n" +
            b"GET /v1/stats HTTP/1.1\r\nHost: t\r\n\r\n" +
            b"GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
    resp = split_responses(s.raw(data))
    eq([r[0] for r in resp], [201, 200, 401, 200], "statuses in request order")
    eq(json.loads(resp[1][1])["title"], "Pipelined", "second answer reads the first write")


def test_pipelined_byte_by_byte(s):
    data = (b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"
            b"GET /readyz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
    sock = socket.create_connection(("127.0.0.1", s.port), timeout=5)
    try:
        for i in range(len(data)):
            sock.send(data[i:i + 1])
        resp = split_responses(cmtest.read_all(sock, 5))
    finally:
        sock.close()
    eq([r[0] for r in resp], [200, 200], "split across many packets")


def test_keep_alive_reuses_connection(s):
    c = s.conn()
    try:
        for i in range(5):
            c.request("GET", "/v1/offers/h-1", headers={"Authorization": "Bearer " + KEYS["portal"]})
            r = c.getresponse()
            r.read()
            eq(r.status, 200, "request %d on one connection" % i)
        first_sock = c.sock
        c.request("GET", "/healthz")
        c.getresponse().read()
        check(c.sock is first_sock, "same socket")
    finally:
        c.close()


def test_slow_client_times_out_while_others_are_served(s):
    slow = socket.create_connection(("127.0.0.1", s.port), timeout=10)
    try:
        t0 = time.time()
        slow.send(b"GET /v1/offers/h-1 HTTP/1.1\r\nHost: t\r\n")
        for _ in range(3):
            time.sleep(0.2)
            try:
                slow.send(b"X-Drip: 1\r\n")
            except (BrokenPipeError, ConnectionResetError):
                break  # a loaded machine: the timeout came before the last drip
            eq(s.request("GET", "/healthz", key=None)[0], 200, "others served meanwhile")
        data = cmtest.read_all(slow, 10)
        elapsed = time.time() - t0
    finally:
        slow.close()
    resp = split_responses(data)
    eq(resp[0][0], 408, "slow headers get 408")
    # not before the timeout; the upper bound only tells a timeout from no timeout at all
    check(0.8 <= elapsed <= 8, "closed after about request_timeout_ms (%.2fs)" % elapsed)
    # a slow body too
    slow = socket.create_connection(("127.0.0.1", s.port), timeout=10)
    try:
        slow.send(b"PUT /v1/offers/h-1 HTTP/1.1\r\nHost: t\r\n" + AUTH +
                  b"Content-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"title\":")
        resp = split_responses(cmtest.read_all(slow, 10))
    finally:
        slow.close()
    eq(resp[0][0], 408, "slow body gets 408")
    eq(stored(s)["id"], "h-1", "still serving")


def test_idle_connection_closed(s):
    sock = socket.create_connection(("127.0.0.1", s.port), timeout=10)
    try:
        t0 = time.time()
        data = cmtest.read_all(sock, 12)
        elapsed = time.time() - t0
    finally:
        sock.close()
    eq(data, b"", "idle close sends nothing")
    check(1.5 <= elapsed <= 10, "closed after about idle_timeout_ms (%.2fs)" % elapsed)


def test_malformed_requests_get_400(s):
    before = stored(s)
    for bad in (b"GARBAGE\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n",
                b"GET /healthz HTTP/1.1\r\nContent-Length: abc\r\n\r\n",
                b"PUT /v1/offers/h-1 HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked"
                b"\r\n\r\n",
                b"POST /v1/events HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"):
        resp = split_responses(s.raw(bad))
        eq(resp[0][0] if resp else None, 400, "malformed %r" % bad[:30])
        check(json.loads(resp[0][1])["error"]["code"], "error body")
    eq(stored(s), before, "stored data unchanged")


def test_client_leaves_mid_body(s):
    before = stored(s)
    for _ in range(5):
        sock = socket.create_connection(("127.0.0.1", s.port), timeout=5)
        body = json.dumps(offer("h-1", title="Never complete")).encode()
        sock.send(b"PUT /v1/offers/h-1 HTTP/1.1\r\nHost: t\r\n" + AUTH +
                  b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body) +
                  body[:len(body) // 2])
        sock.close()
    # and one that leaves right after sending a complete request (work still running)
    for _ in range(5):
        sock = socket.create_connection(("127.0.0.1", s.port), timeout=5)
        sock.send(b"GET /v1/offers/search?q=aide HTTP/1.1\r\nHost: t\r\n" + AUTH + b"\r\n")
        sock.close()
    time.sleep(0.3)
    eq(stored(s), before, "unchanged after the partial PUTs")


def test_expect_100_continue(s):
    body = json.dumps(offer("h-cont", title="After continue")).encode()
    sock = socket.create_connection(("127.0.0.1", s.port), timeout=5)
    try:
        sock.send(b"PUT /v1/offers/h-cont HTTP/1.1\r\nHost: t\r\n" + AUTH +
                  b"Content-Type: application/json\r\nExpect: 100-continue\r\n"
                  b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body))
        interim = sock.recv(100)
        eq(interim, b"HTTP/1.1 100 Continue\r\n\r\n", "interim answer before the body")
        sock.send(body)
        resp = split_responses(cmtest.read_all(sock, 5))
    finally:
        sock.close()
    eq(resp[0][0], 201, "final answer")
    # refused at the headers: the final answer comes at once, no body is awaited
    sock = socket.create_connection(("127.0.0.1", s.port), timeout=5)
    try:
        sock.send(b"PUT /v1/offers/h-cont HTTP/1.1\r\nHost: t\r\n"
                  b"Content-Type: application/json\r\nExpect: 100-continue\r\n"
                  b"Content-Length: %d\r\n\r\n" % len(body))
        resp = split_responses(cmtest.read_all(sock, 3))
    finally:
        sock.close()
    eq(resp[0][0], 401, "no key: 401 without waiting for the body")
    eq(s.request("GET", "/v1/offers/h-cont")[2]["title"], "After continue", "stored")
    # HTTP/1.0 has no interim answers: the expectation is ignored (RFC 9110 10.1.1), the body
    # sent with the head is read and the only answer is the final one
    body10 = json.dumps(offer("h-cont10", title="HTTP/1.0 upload")).encode()
    data = s.raw(b"PUT /v1/offers/h-cont10 HTTP/1.0\r\n" + AUTH +
                 b"Content-Type: application/json\r\nExpect: 100-continue\r\n"
                 b"Content-Length: %d\r\n\r\n" % len(body10) + body10)
    check(data.startswith(b"HTTP/1.1 201"), "HTTP/1.0 with Expect: final answer only: %r" % data[:40])
    check(b"100 Continue" not in data, "no interim answer to HTTP/1.0")
    eq(s.request("GET", "/v1/offers/h-cont10")[2]["title"], "HTTP/1.0 upload", "stored (1.0)")


def test_http10_closes(s):
    data = s.raw(b"GET /healthz HTTP/1.0\r\n\r\n")
    check(data.startswith(b"HTTP/1.1 200"), "answered: %r" % data[:40])
    check(b"Connection: close" in data, "Connection: close for HTTP/1.0")


def test_body_without_length(s):
    """A PUT or POST with neither Content-Length nor chunked has an empty body (RFC 9112 6.3),
    and what the client sent after its head would be read as a next request: one 400 that says
    what is missing, then the connection closes (the probe saw two 400s, the second "Invalid
    method")."""
    for head in (b"POST /v1/events HTTP/1.1", b"PUT /v1/offers/h-nolen HTTP/1.1"):
        data = s.raw(head + b"\r\nHost: x\r\n" + AUTH + b"Content-Type: application/json\r\n"
                     b"\r\n" + json.dumps(offer("h-nolen")).encode())
        resp = split_responses(data)
        eq([r[0] for r in resp], [400], "one answer for %r: %r" % (head, data[:200]))
        err = json.loads(resp[0][1])["error"]
        check("Content-Length" in err["message"], "says what is missing: %r" % err)
    eq(s.request("GET", "/v1/offers/h-nolen")[0], 404, "nothing stored")


def test_absolute_form_target(s):
    """RFC 9112 3.2.2: a server must accept a request target in absolute form (a proxy's);
    its authority is dropped, its path and query routed (it was a 404)."""
    for target, want in ((b"http://carematch.example/v1/offers/h-1", 200),
                         (b"HTTP://127.0.0.1:8080/v1/offers/h-1?x=1", 400),
                         (b"https://h/v1/offers/search?rome=J1501&per_page=1", 200),
                         (b"http://h", 404), (b"http://h?q=1", 404)):
        data = s.raw(b"GET " + target + b" HTTP/1.1\r\nHost: x\r\n" + AUTH +
                     b"Connection: close\r\n\r\n")
        resp = split_responses(data)
        eq(resp[0][0], want, "GET %r: %r" % (target, data[:60]))
        if want == 200 and b"search" not in target:
            eq(json.loads(resp[0][1])["id"], "h-1", "the record")


def test_404_and_405(s):
    expect_error(s.request("GET", "/v2/nothing", key=None), 404, "not_found")
    expect_error(s.request("GET", "/v1/offers", key=None), 404, "not_found")
    r = s.request("PATCH", "/v1/offers/h-1")
    expect_error(r, 405, "method_not_allowed")
    eq(r[1].get("allow"), "PUT, GET, HEAD, DELETE", "Allow header")
    r = s.request("POST", "/v1/offers/search", "{}", key="portal")
    expect_error(r, 405, "method_not_allowed")
    eq(r[1].get("allow"), "GET, HEAD", "Allow on search")
    r = s.request("GET", "/v1/events", key="adviser")
    expect_error(r, 405, "method_not_allowed")
    # a method token the parser does not know is an unknown method too, not a malformed request
    r = s.request("FOO", "/v1/offers/h-1")
    expect_error(r, 405, "method_not_allowed")
    eq(r[1].get("allow"), "PUT, GET, HEAD, DELETE", "Allow for an unknown method (a probe: none)")
    expect_error(s.request("FOO", "/v2/nothing"), 404, "not_found")


def test_ids_in_paths(s):
    """A path is percent-decoded before routing (%2D is "-"); an escape that would change
    the path's segments or hide a control byte names nothing; a PUT to a path whose last
    segment is not an id says so (422 on "id"), a GET or DELETE of it is a 404."""
    eq(s.request("PUT", "/v1/offers/h-pct", offer("h-pct"))[0], 201, "seed")
    st, _, o = s.request("GET", "/v1/offers/h%2Dpct", key="portal")
    eq((st, o.get("id")), (200, "h-pct"), "%2D decoded")
    eq(s.request("GET", "/v1/offers/%68%2d%70%63%74", key="portal")[0], 200, "all escaped")
    for bad in ("h%2Fpct", "h-pct%00", "h-pct%0A", "h%zzpct", "h-pct%2", "h-pct%"):
        expect_error(s.request("GET", "/v1/offers/" + bad, key="portal"), 404, "not_found",
                     what=bad)
    eq(s.request("PUT", "/v1/offers/h%2Dpct2", offer("h-pct2"))[0], 201, "PUT through escapes")
    eq(s.request("GET", "/v1/offers/h-pct2", key="portal")[0], 200, "stored under h-pct2")
    for bad in ("a" * 65, "a@b", "a:b", "h%zz", "%C3%A9t%C3%A9"):
        expect_error(s.request("PUT", "/v1/offers/" + bad, offer("x")), 422, "invalid_field",
                     "id", what="PUT " + bad)
        expect_error(s.request("GET", "/v1/offers/" + bad, key="portal"), 404, "not_found",
                     what="GET " + bad)
        expect_error(s.request("DELETE", "/v1/offers/" + bad), 404, "not_found",
                     what="DELETE " + bad)
    expect_error(s.request("PUT", "/v1/offers/a@b", offer("x"), key="portal"), 403, "forbidden",
                 what="scope before the id's syntax")
    expect_error(s.request("PUT", "/v1/offers/a@b", offer("x"), key=None), 401, "unauthorized",
                 what="key before the id's syntax")


def test_concurrent_clients(s):
    errors = []

    def worker(n):
        try:
            c = s.conn()
            for i in range(20):
                oid = "h-c%d-%d" % (n, i)
                c.request("PUT", "/v1/offers/" + oid, body=json.dumps(offer(oid)),
                          headers={"Authorization": "Bearer " + KEYS["admin"],
                                   "Content-Type": "application/json"})
                r = c.getresponse()
                r.read()
                if r.status != 201:
                    errors.append((oid, r.status))
                c.request("GET", "/v1/offers/search?q=aide&per_page=5",
                          headers={"Authorization": "Bearer " + KEYS["portal"]})
                r = c.getresponse()
                r.read()
                if r.status != 200:
                    errors.append(("search", r.status))
            c.close()
        except Exception as e:  # noqa: BLE001 - any failure is reported below
            errors.append(repr(e))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    eq(errors, [], "every concurrent request answered")
    eq(s.request("GET", "/v1/offers/h-c15-19")[0], 200, "last write stored")


if __name__ == "__main__":
    cmtest.run_module(globals(), "http", config=CONFIG)
