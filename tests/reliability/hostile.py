"""A battery of 200+ hostile requests (raw sockets and http.client): broken request lines and
versions, header floods, bad framing (chunked sizes, Content-Length mismatches and duplicates),
hostile JSON (10,000 levels, huge/NaN numbers, invalid UTF-8, NUL), path traversal in ids, query
parameter and Xapian query abuse, wrong content types. Each gets a 4xx in the contract's error
shape (a connection may close after a 400 when the request cannot be delimited; incomplete
requests may end in 408 or a close); afterwards the server serves and stored data is unchanged."""
import json
import socket
import sys
import threading
import time
import urllib.parse

import rtest
from rtest import KEYS, check, eq

CONFIG = {"request_timeout_ms": 1500, "idle_timeout_ms": 3000}
ADMIN = "Authorization: Bearer %s\r\n" % KEYS["admin"]
PORTAL = "Authorization: Bearer %s\r\n" % KEYS["portal"]
ADVISER = "Authorization: Bearer %s\r\n" % KEYS["adviser"]

results = {"cases": 0, "failures": []}


# ---------------------------------------------------------------- response reading

def read_response(sock, timeout):
    """First HTTP response on sock: (status, headers dict, body bytes) or None if the peer
    closed (or the timeout passed) before a complete response."""
    buf = b""
    deadline = time.time() + timeout
    sock.settimeout(0.2)
    while time.time() < deadline:
        head, sep, rest = buf.partition(b"\r\n\r\n")
        if sep:
            lines = head.split(b"\r\n")
            parts = lines[0].split(b" ", 2)
            status = int(parts[1])
            hdrs = {}
            for line in lines[1:]:
                k, _, v = line.partition(b":")
                hdrs[k.strip().lower().decode()] = v.strip().decode("latin-1")
            n = int(hdrs.get("content-length", "0"))
            if status == 100:
                buf = rest
                continue
            if len(rest) >= n:
                return status, hdrs, rest[:n]
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            continue
        except (ConnectionResetError, BrokenPipeError):
            return None
        if not chunk:
            return None
        buf += chunk
    return None


def error_shape_problem(status, hdrs, body):
    if not (400 <= status < 500):
        return "status %d is not 4xx" % status
    if not hdrs.get("content-type", "").startswith("application/json"):
        return "content-type %r" % hdrs.get("content-type")
    try:
        doc = json.loads(body)
    except ValueError:
        return "body is not JSON: %r" % body[:200]
    if not (isinstance(doc, dict) and set(doc) == {"error"} and isinstance(doc["error"], dict)):
        return "not the error shape: %r" % doc
    e = doc["error"]
    if not isinstance(e.get("code"), str) or not isinstance(e.get("message"), str):
        return "error without code/message: %r" % doc
    if not set(e) <= {"code", "message", "field"}:
        return "unexpected keys in error: %r" % doc
    return None


def fail(name, why):
    results["failures"].append("%s: %s" % (name, why))


# ---------------------------------------------------------------- case runners

def raw_case(srv, name, data, allow=None, incomplete=False, timeout=10.0):
    """Send raw bytes; expect a 4xx error response (statuses in `allow` if given). With
    incomplete=True the request never ends: a 408 or a plain close are both fine."""
    results["cases"] += 1
    try:
        s = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
    except OSError as e:
        fail(name, "connect failed: %s" % e)
        return
    try:
        try:
            s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may answer and close before reading everything
        r = read_response(s, timeout)
    finally:
        s.close()
    if r is None:
        if not incomplete:
            fail(name, "no response (connection closed or timed out)")
        return
    status, hdrs, body = r
    if allow and status not in allow:
        fail(name, "status %d not in %s; body %r" % (status, sorted(allow), body[:200]))
        return
    why = error_shape_problem(status, hdrs, body)
    if why:
        fail(name, why)


def req_bytes(method, path, headers="", body=b"", auth=ADMIN, clen=True):
    if isinstance(body, str):
        body = body.encode()
    if isinstance(path, str):
        path = path.encode("latin-1")
    h = "Host: t\r\nConnection: close\r\n" + auth + headers
    if clen and body is not None:
        h += "Content-Length: %d\r\n" % len(body)
    return method.encode() + b" " + path + b" HTTP/1.1\r\n" + h.encode("latin-1") + b"\r\n" + body


def http_case(srv, name, method, path, body=None, key="admin", ctype="application/json",
              allow=None, ok200=False):
    """Through http.client. `ok200`: a 200 answer with a well-formed body is acceptable too
    (lenient parsing of a search query), otherwise a 4xx error shape is required."""
    results["cases"] += 1
    cl = rtest.Client(srv.port, key=key, timeout=15)
    try:
        st, hdrs, data = cl.request(method, path, body, ctype=ctype)
    except Exception as e:
        fail(name, "request failed: %r" % e)
        return
    finally:
        cl.close()
    if ok200 and 200 <= st < 300:
        if not isinstance(data, dict):
            fail(name, "200 without a JSON object")
        return
    if allow and st not in allow:
        fail(name, "status %d not in %s; body %r" % (st, sorted(allow), str(data)[:200]))
        return
    raw = json.dumps(data).encode() if isinstance(data, (dict, list)) else data
    why = error_shape_problem(st, hdrs, raw)
    if why:
        fail(name, why)


# ---------------------------------------------------------------- the battery

def protocol_cases(srv):
    R = lambda n, d, **kw: raw_case(srv, n, d, **kw)  # noqa: E731
    # request lines and versions
    for i, line in enumerate([
            b"GARBAGE", b"GET", b"GET /", b"GET / HTTP/1.1 extra", b"get / HTTP/1.1",
            b"G\x00T / HTTP/1.1", b"GET / HTTP/9.9", b"GET / HTTP/1.x", b"GET / HTTP/2.0",
            b"GET / HTTPS/1.1", b"GET / FOO/1.1", b"GET /\x7f HTTP/1.1", b"GET /a b HTTP/1.1",
            b"GET\t/\tHTTP/1.1", b"BREW / HTTP/1.1", b"GET / HTTP/1.1\x00",
            b"GET /v1/offers/h\x00base HTTP/1.1", b"GET /v1/offers/h-base\x01 HTTP/1.1",
            b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", b"\xff\xfe\xfd\xfc GET",
            b"GET " + b"A" * 200 + b" HTTP/1.1", b"X" * 20000 + b" / HTTP/1.1",
            b"GET /" + b"a" * 40000 + b" HTTP/1.1", b"GET / HTTP/1.1 HTTP/1.1",
            b"GET / HTTP/01.1", b"GET / HTTP/1.10", b"GET / http/1.1", b" GET / HTTP/1.1",
            b"GET /healthz?\x00 HTTP/1.1", b"POST /v1/match HTTP/1.1\rX"]):
        R("request line %d %r" % (i, line[:40]), line + b"\r\nHost: t\r\n\r\n")
    # methods and targets the routes do not have (OPTIONS is answered: CORS preflight; an
    # absolute-form target is the server's own resource, RFC 9112 3.2.2: 50_http.py)
    for i, line in enumerate([b"PATCH /v1/offers/h-base", b"TRACE /v1/offers/h-base",
                              b"CONNECT t:443", b"OPTIONS /v1/nowhere",
                              b"PROPFIND /v1/offers/h-base", b"GET *",
                              b"GET http://evil.example/v1/nowhere",
                              b"POST /v1/offers/h-base", b"PUT /v1/offers/search",
                              b"DELETE /v1/offers/_bulk", b"GET /v1/candidates/_bulk"]):
        R("method/target %d %r" % (i, line), line + b" HTTP/1.1\r\nHost: t\r\n" +
          ADMIN.encode() + b"Content-Length: 0\r\nConnection: close\r\n\r\n")
    # header floods and broken header syntax
    many = "".join("X-H%d: v\r\n" % i for i in range(200))
    R("200 headers", req_bytes("GET", "/healthz", many), allow={400, 413})
    R("10000 headers", req_bytes("GET", "/healthz",
                                 "".join("X-H%d: v\r\n" % i for i in range(10000))),
      allow={400, 413})
    R("one 20 KB header", req_bytes("GET", "/healthz", "X-Big: " + "a" * 20000 + "\r\n"),
      allow={400, 413})
    R("one 1 MB header", req_bytes("GET", "/healthz", "X-Big: " + "a" * 1000000 + "\r\n"),
      allow={400, 413})
    R("1 MB of header names", req_bytes("GET", "/healthz", "X" * 1000000 + ": v\r\n"),
      allow={400, 413})
    R("huge Authorization", req_bytes("GET", "/v1/stats", "", auth="Authorization: Bearer " +
                                      "k" * 30000 + "\r\n"), allow={400, 401, 413})
    for i, h in enumerate([b"NoColon\r\n", b"Bad Name: x\r\n", b": empty-name\r\n",
                           b"X-Nul: a\x00b\r\n", b"X-Cr: a\rb\r\n", b"X-Fold: a\r\n b\r\n",
                           b"X-Ctl: \x01\x02\r\n", b"Host: t\r\nHost: u\r\n" * 0 + b"X\x00: v\r\n",
                           b"Content-Length: 5\r\nContent-Length: 6\r\n",
                           b"Content-Length: 5, 6\r\n",
                           b"Content-Length: -1\r\n", b"Content-Length: abc\r\n",
                           b"Content-Length: 1e3\r\n", b"Content-Length: 0x10\r\n",
                           b"Content-Length: 99999999999999999999999\r\n",
                           b"Content-Length: +5\r\n", b"Content-Length: 5 5\r\n",
                           b"Transfer-Encoding: chunked\r\nContent-Length: 5\r\n",
                           b"Transfer-Encoding: gzip\r\n",
                           b"Transfer-Encoding: chunked, identity\r\n",
                           b"Transfer-Encoding: \x00chunked\r\n"]):
        data = (b"PUT /v1/offers/h-base HTTP/1.1\r\nHost: t\r\n" + ADMIN.encode() +
                b"Content-Type: application/json\r\n" + h + b"Connection: close\r\n\r\n{}")
        R("header %d %r" % (i, h[:40]), data)
    # Authorization oddities: all 401, never a crash
    for i, a in enumerate(["Authorization: Bearer\r\n", "Authorization: Basic YTpi\r\n",
                           "Authorization: Bearer \x00%s\r\n" % KEYS["admin"],
                           "Authorization: bearer-%s\r\n" % KEYS["admin"],
                           "Authorization: Bearer %s%s\r\n" % (KEYS["admin"], "\x7f"),
                           "Authorization: Bearer %s\r\n" % KEYS["admin"][:-1],
                           "Authorization: Bearer %s\r\n" % ("\xe9" * 50)]):
        R("auth %d" % i, req_bytes("GET", "/v1/stats", "", auth=a), allow={400, 401})
    # chunked bodies with bad sizes
    te = "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
    for i, body in enumerate([b"zz\r\n{}\r\n0\r\n\r\n", b"-1\r\n{}\r\n0\r\n\r\n",
                              b"ffffffffffffffffffff\r\n{}\r\n0\r\n\r\n",
                              b"2\r\n{}}}}\r\n0\r\n\r\n", b"2;\x00\r\n{}\r\n0\r\n\r\n",
                              b"2 2\r\n{}\r\n0\r\n\r\n", b"\r\n{}\r\n0\r\n\r\n",
                              b"7fffffffffffffff\r\n{}\r\n0\r\n\r\n",
                              b"2\r\n{}XX0\r\n\r\n", b"0x2\r\n{}\r\n0\r\n\r\n"]):
        R("chunked %d %r" % (i, body[:20]),
          req_bytes("PUT", "/v1/offers/h-base", te, body, clen=False))
    # Content-Length larger than the limit: refused before the body
    R("Content-Length 2 GB", req_bytes("PUT", "/v1/offers/h-base",
                                       "Content-Type: application/json\r\n"
                                       "Content-Length: 2147483648\r\n", b"{", clen=False),
      allow={413})
    R("Content-Length 2 GB with Expect", req_bytes(
        "PUT", "/v1/offers/h-base", "Content-Type: application/json\r\nExpect: 100-continue\r\n"
        "Content-Length: 2147483648\r\n", b"", clen=False), allow={413})
    R("Expect: bogus", req_bytes("PUT", "/v1/offers/h-base", "Content-Type: application/json\r\n"
                                 "Expect: 999-bogus\r\n", b"{}"), allow={400, 417, 422})
    # Content-Length mismatches: a longer body leaves garbage that is the next "request"
    R("body longer than Content-Length", req_bytes(
        "PUT", "/v1/offers/h-base", "Content-Type: application/json\r\nContent-Length: 2\r\n",
        b"{}GARBAGE GARBAGE\r\n\r\n", clen=False))
    # incomplete requests: the request timeout ends them (408) or the connection closes
    incomplete = [
        ("body shorter than Content-Length", req_bytes(
            "PUT", "/v1/offers/h-base", "Content-Type: application/json\r\n"
            "Content-Length: 500\r\n", b'{"id": "h-base"', clen=False)),
        ("chunked without last chunk", req_bytes("PUT", "/v1/offers/h-base", te,
                                                 b"2\r\n{}\r\n", clen=False)),
        ("headers never end", b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-A: 1\r\n"),
        ("request line never ends", b"GET /v1/offers/h-base HTT"),
    ]
    threads = [threading.Thread(target=raw_case, args=(srv, n, d),
                                kwargs={"incomplete": True, "timeout": 10, "allow": {400, 408}})
               for n, d in incomplete]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def path_cases(srv):
    R = lambda n, d, **kw: raw_case(srv, n, d, **kw)  # noqa: E731
    targets = ["/v1/offers/../candidates/hc-base", "/v1/offers/%2e%2e/candidates/hc-base",
               "/v1/offers/%2e%2e", "/v1/offers/%2E%2E%2Fcandidates%2Fhc-base",
               "/v1/offers/a%2fb", "/v1/offers/a%2Fb", "/v1/offers/..%5c..%5cetc",
               "/v1/offers/" + "a" * 65, "/v1/offers/" + "a" * 5000, "/v1/offers/a%20b",
               "/v1/offers/a%00b", "/v1/offers/%00", "/v1/offers/caf%C3%A9", "/v1/offers/caf\xe9",
               "//v1/offers/h-base", "/v1//offers/h-base", "/v1/offers/h-base/",
               "/V1/OFFERS/h-base", "/v1/offers/h-base;x=1", "/v1/offers/%", "/v1/offers/%zz",
               "/v1/offers/h-base%", "/v1/offers/./h-base", "/v1/offers/../../../etc/passwd",
               "/v1/offers/%252e%252e", "/v1/offers/h-base%23frag", "/v1/offers/a:b",
               "/v1/offers/~root", "/v1/offers/$(id)", "/v1/offers/'OR'1'='1",
               "/../../etc/passwd", "/v1/candidates/..%2fhc-base", "/v1/candidates/%2e",
               "/v1/offers/h-base/matches/x", "/v1/offers/", "/v1/offers"]
    for t in targets:
        R("GET " + t[:60], req_bytes("GET", t, auth=ADVISER), allow={400, 404, 405, 414})
    # writes and deletes through traversal ids must not touch anything
    for t in ["/v1/offers/%2e%2e%2fcandidates%2fhc-base", "/v1/offers/../offers/h-base",
              "/v1/candidates/%2e%2e%2foffers%2fh-base", "/v1/offers/h-base%00",
              "/v1/offers/" + "b" * 65]:
        R("DELETE " + t[:60], req_bytes("DELETE", t), allow={400, 404, 405})
        body = json.dumps(rtest.offer("h-base", title="HACKED"))
        R("PUT " + t[:60], req_bytes("PUT", t, "Content-Type: application/json\r\n", body),
          allow={400, 404, 405, 422})


def json_cases(srv):
    H = lambda n, *a, **kw: http_case(srv, n, *a, **kw)  # noqa: E731
    put = "/v1/offers/h-base"
    base = rtest.offer("h-base")
    bodies = {
        "deep array 10000": "[" * 10000 + "]" * 10000,
        "deep object 10000": '{"a":' * 10000 + "1" + "}" * 10000,
        "deep unclosed 100000": "[" * 100000,
        "deep in field": json.dumps(dict(base, title=None))[:-1] + ',"x":' + "[" * 10000 +
        "]" * 10000 + "}",
        "empty": "", "null": "null", "array": "[]", "string": '"x"', "number": "1",
        "true": "true", "truncated": json.dumps(base)[:-5], "trailing garbage":
        json.dumps(base) + "x", "two documents": json.dumps(base) + json.dumps(base),
        "comment": "/* c */" + json.dumps(base), "single quotes": "{'id': 'h-base'}",
        "NaN lat": json.dumps(base).replace('"lat": 48.8589', '"lat": NaN'),
        "Infinity lon": json.dumps(base).replace('"lon": 2.38', '"lon": Infinity'),
        "1e400 lat": json.dumps(base).replace('"lat": 48.8589', '"lat": 1e400'),
        "-1e400 lon": json.dumps(base).replace('"lon": 2.38', '"lon": -1e400'),
        "hex number": json.dumps(base).replace('"hours_per_week": 35', '"hours_per_week": 0x23'),
        "raw NUL in body": json.dumps(base).replace("EHPAD", "EH\x00PAD"),
        "unterminated string": '{"id": "h-base", "title": "abc',
        "bad escape": '{"id": "h-base", "title": "\\q"}',
        "lone surrogate escape": json.dumps(base).replace("Aide", "\\ud800Aide"),
    }
    for n, b in bodies.items():
        H("json " + n, "PUT", put, b.encode("utf-8", "surrogatepass"), allow={400, 413, 422})
    # cJSON's leniencies (RFC 8259 lets a parser skip a BOM; leading zeros are tolerated):
    # accepted or refused, but on another id so that the stored data check stays exact
    lenient = rtest.offer("h-lenient")
    for n, b in {"BOM": "\ufeff" + json.dumps(lenient),
                 "leading zeros": json.dumps(lenient).replace('"hours_per_week": 35',
                                                              '"hours_per_week": 0035')}.items():
        H("json " + n, "PUT", "/v1/offers/h-lenient", b, ok200=True, allow={400, 422})
    for n, b in {"invalid UTF-8 ff": b"\xff\xfe", "overlong slash": b"\xc0\xaf",
                 "surrogate": b"\xed\xa0\x80", "truncated seq": b"\xe2\x82",
                 "5-byte seq": b"\xf8\x88\x80\x80\x80", "latin-1 e": b"\xe9"}.items():
        raw = json.dumps(base).encode().replace(b"Aide-soignant", b"Aide" + b + b"soignant")
        H("utf8 title " + n, "PUT", put, raw, allow={400, 422})
        raw = json.dumps(rtest.candidate("hc-base")).encode().replace(b"Auxiliaire",
                                                                      b"Aux" + b)
        H("utf8 summary " + n, "PUT", "/v1/candidates/hc-base", raw, allow={400, 422})
        H("utf8 match body " + n, "POST", "/v1/match", raw, key="portal", allow={400, 422})
    # field values out of range or of the wrong type
    bad_fields = [("location", {"lat": 91, "lon": 2}), ("location", {"lat": -90.0001, "lon": 2}),
                  ("location", {"lat": 48, "lon": 180.5}), ("location", {"lat": "48", "lon": 2}),
                  ("location", {"lat": 48}), ("location", None), ("location", [48, 2]),
                  ("hours_per_week", -5), ("hours_per_week", 1e308), ("hours_per_week", "35"),
                  ("hours_per_week", 99999999999999999999999), ("hours_per_week", 1000),
                  ("title", 12), ("title", ""), ("title", "x" * 100000), ("title", ["a"]),
                  ("rome", "XXXXX"), ("rome", ""), ("rome", "J15011"), ("contract", "CDZ"),
                  ("contract", None), ("status", "archived"), ("employer", {"kind": "castle"}),
                  ("employer", "EHPAD"), ("schedule", [{"days": ["mon"], "from": "25:00",
                                                        "to": "07:00"}]),
                  ("schedule", [{"days": ["lundi"], "from": "21:00", "to": "07:00"}]),
                  ("schedule", [{"days": ["mon"], "from": "21:00"}]), ("schedule", "nights"),
                  ("schedule", [{"days": ["mon"], "from": "9:00", "to": "7:60"}]),
                  ("skills", [{"label": 5}]), ("skills", "care"), ("certifications", [1, 2]),
                  ("salary", {"min": -1, "max": 2, "period": "month"}),
                  ("salary", {"min": 3000, "max": 2000, "period": "month"}),
                  ("salary", {"min": 1, "max": 2, "period": "century"}),
                  ("published_at", "2026-13-45"), ("published_at", "yesterday"),
                  ("immersion_possible", "yes"), ("id", "other-id"), ("id", 5)]
    for f, v in bad_fields:
        rec = dict(base)
        rec[f] = v
        H("offer field %s=%s" % (f, json.dumps(v)[:30]), "PUT", put, rec, allow={400, 422})
    for f in ["title", "rome", "location", "contract"]:
        rec = {k: v for k, v in base.items() if k != f}
        H("offer missing " + f, "PUT", put, rec, allow={400, 422})
    cand = rtest.candidate("hc-base")
    bad_cand = [("location", {"lat": 1e400, "lon": 2}), ("experience_months", -1),
                ("experience_months", 1e20), ("mobility", {"modes": ["teleport"]}),
                ("mobility", {"modes": ["car"], "max_minutes": -10}),
                ("availability", [{"days": ["mon"], "from": "08:30", "to": "99:99"}]),
                ("hours_per_week", {"min": 40, "max": 10}), ("desired_rome", "J1501"),
                ("desired_rome", ["nope"]), ("contracts", ["CDZ"]), ("status", 7),
                ("childcare", {"children_under_12": -3}), ("disability_recognised", "no"),
                ("summary", "s" * 200000)]
    for f, v in bad_cand:
        rec = dict(cand)
        rec[f] = v
        H("candidate field %s=%s" % (f, json.dumps(v)[:30]), "PUT", "/v1/candidates/hc-base",
          rec, allow={400, 413, 422})
        H("match profile %s" % f, "POST", "/v1/match", rec, key="portal", allow={400, 413, 422})
    # events with bad content
    ev = {"candidate_id": "hc-base", "offer_id": "h-base", "kind": "hired", "at": "2026-11-20"}
    for f, v in [("kind", "fired"), ("at", "not a date"), ("at", 12), ("candidate_id", "../x"),
                 ("candidate_id", "nobody-here"), ("offer_id", "a" * 100), ("kind", None)]:
        e = dict(ev)
        e[f] = v
        H("event %s=%s" % (f, str(v)[:20]), "POST", "/v1/events", e, key="adviser",
          allow={400, 404, 422})
    # content types and missing bodies
    for ct in ["text/plain", "application/xml", "multipart/form-data; boundary=x",
               "application/x-www-form-urlencoded", "application/jsonx", "json", ""]:
        H("PUT content-type %r" % ct, "PUT", put, base, ctype=ct, allow={400, 415})
    for ct in ["application/json", "text/plain", "application/ndjson"]:
        H("bulk content-type %r" % ct, "POST", "/v1/offers/_bulk",
          json.dumps(base) + "\n", ctype=ct, allow={415})
    H("PUT without body", "PUT", put, None, allow={400, 411, 415})
    H("match without body", "POST", "/v1/match", None, key="portal", allow={400, 411, 415})
    H("events without body", "POST", "/v1/events", None, key="adviser", allow={400, 411, 415})
    H("body over 1 MiB", "PUT", put, json.dumps(dict(base, description="d" * (1 << 20))),
      allow={413})


def query_cases(srv):
    H = lambda n, *a, **kw: http_case(srv, n, *a, **kw)  # noqa: E731
    q = urllib.parse.quote
    bad_params = ["page=-1", "page=0", "page=NaN", "page=1e99", "page=99999999999999999999",
                  "page=1.5", "page=", "per_page=0", "per_page=101", "per_page=-5",
                  "per_page=abc", "lat=NaN&lon=2", "lat=inf&lon=2", "lat=91&lon=2",
                  "lat=48&lon=1e400", "lat=48&lon=-181", "lat=48", "lon=2",
                  "lat=48&lon=2&radius_km=-1", "lat=48&lon=2&radius_km=NaN",
                  "lat=48&lon=2&radius_km=abc", "sort=bogus", "sort=distance",
                  "facets=bogus", "immersion_possible=maybe",
                  "pre_hire_training=2", "accessible_to_disabled_workers=",
                  "contract=CDZ", "employer_kind=castle", "rome=%00", "rome=J15",
                  "q=%", "q=%G1", "q=a%00b", "page=%00"]
    for p in bad_params:
        H("search ?" + p, "GET", "/v1/offers/search?" + p, key="portal", allow={400, 422})
    abuse = ['"', '""""', "AND AND", "OR", "NOT", "AND", "((((", "))))", "NEAR/99", "a NEAR/99 b",
             "a ADJ/9999 b", "*", "a*", "**", "-", "+", "+-+-", "title:x", "XAPIAN:..",
             '"unclosed phrase', "a AND (b OR", "NOT NOT NOT", "~", "a..b", "1..99999999999",
             " ".join("t%d" % i for i in range(10000)), " OR ".join("w%d" % i for i in range(2000)),
             "(" * 1000 + "a" + ")" * 1000, "a" * 5000, "é" * 2000, "\u202e\u200b", "\\", "%s%n",
             "' OR 1=1 --", "<script>", "\t\n\r"]
    # invalid UTF-8 in q: refused, or searched as bytes that match nothing
    for p in ["q=%ff%fe", "q=%c0%af", "facets=rome,,"]:
        H("search ?" + p, "GET", "/v1/offers/search?" + p, key="portal", ok200=True,
          allow={400, 422})
    for a in abuse:
        H("q abuse %r" % a[:30], "GET", "/v1/offers/search?q=" + q(a), key="portal",
          ok200=True, allow={400, 413, 414, 422})
    for p in ["limit=-1", "limit=0", "limit=1e9", "limit=201", "limit=NaN", "limit=abc",
              "min_score=101", "min_score=-1", "min_score=NaN", "include_near_misses=perhaps"]:
        H("matches ?" + p, "GET", "/v1/candidates/hc-base/matches?" + p, key="adviser",
          allow={400, 422})
        H("offer matches ?" + p, "GET", "/v1/offers/h-base/matches?" + p, key="adviser",
          allow={400, 422})
    for p in ["department=", "department=%00", "department=" + "9" * 100]:
        H("stats ?" + p, "GET", "/v1/stats?" + p, key="adviser", allow={400, 422})


def snapshot(srv):
    cl = rtest.Client(srv.port)
    out = {}
    for path in ["/v1/offers/h-base", "/v1/candidates/hc-base", "/v1/stats",
                 "/v1/offers/search?q=aide&per_page=100"]:
        st, _, body = cl.request("GET", path)
        eq(st, 200, "snapshot " + path)
        out[path] = body
    cl.close()
    return out


def test_battery(srv):
    eq(srv.request("PUT", "/v1/offers/h-base", rtest.offer("h-base"))[0], 201, "seed offer")
    eq(srv.request("PUT", "/v1/offers/h-two", rtest.offer("h-two", title="Auxiliaire"))[0], 201,
       "seed offer 2")
    eq(srv.request("PUT", "/v1/offers/h-lenient", rtest.offer("h-lenient"))[0], 201, "seed 3")
    eq(srv.request("PUT", "/v1/candidates/hc-base", rtest.candidate("hc-base"))[0], 201,
       "seed candidate")
    BEFORE.update(snapshot(srv))
    t0 = time.time()
    for group in (protocol_cases, path_cases, json_cases, query_cases):
        n0 = results["cases"]
        group(srv)
        check(srv.alive(), "server died during %s:\n%s" % (group.__name__,
                                                            srv.read_log()[-3000:]))
        print("%-16s %3d cases" % (group.__name__, results["cases"] - n0))
    print("%d hostile requests in %.1fs, %d failures" % (results["cases"], time.time() - t0,
                                                         len(results["failures"])))
    check(results["cases"] >= 200, "fewer than 200 cases")
    if results["failures"]:
        raise AssertionError("hostile requests mishandled:\n  " +
                             "\n  ".join(f[:400] for f in results["failures"]))


def test_still_serves_and_data_unchanged(srv):
    check(srv.alive(), "server alive")
    eq(srv.request("GET", "/healthz", key=None)[0], 200, "healthz")
    eq(srv.request("GET", "/readyz", key=None)[0], 200, "readyz")
    after = snapshot(srv)
    check(BEFORE, "no snapshot from before the battery")
    eq(after["/v1/offers/h-base"].get("title"), rtest.offer("h-base")["title"], "h-base title")
    eq(after["/v1/offers/h-base"], BEFORE["/v1/offers/h-base"], "offer unchanged")
    eq(after["/v1/candidates/hc-base"], BEFORE["/v1/candidates/hc-base"], "candidate unchanged")
    eq(after["/v1/stats"], BEFORE["/v1/stats"], "stats unchanged")
    eq(after["/v1/offers/search?q=aide&per_page=100"]["total"],
       BEFORE["/v1/offers/search?q=aide&per_page=100"]["total"], "search unchanged")


BEFORE = {}  # taken by test_battery before the first hostile request


if __name__ == "__main__":
    srv = rtest.Server("hostile", config=CONFIG).start()
    try:
        rc = rtest.run(globals(), srv)
        if srv.alive():
            code = srv.stop()
            if code != 0:
                print("FAIL carematchd exit status %s after SIGTERM" % code)
                rc = 1
        else:
            print("FAIL carematchd died:\n" + srv.read_log()[-3000:])
            rc = 1
        if rc == 0:
            rtest.cli_check(srv.data)
    finally:
        srv.cleanup()
    sys.exit(rc)
