"""HTTP/1.1 framing per RFC 9112, over raw sockets: a bare CR in the header section, HTTP/1.0
with Transfer-Encoding, duplicate singleton headers and a missing Host are answered 400 and the
connection closes (nothing after them runs); trailer fields are ignored; an Upgrade offer (h2c) is
ignored and the keep-alive connection keeps working."""
import json
import os
import shutil
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cmtest
from cmtest import KEYS, check, eq, offer, split_responses

CONFIG = {"request_timeout_ms": 2000, "idle_timeout_ms": 3000}
ADMIN = ("Authorization: Bearer %s\r\n" % KEYS["admin"]).encode()
ADVISER = ("Authorization: Bearer %s\r\n" % KEYS["adviser"]).encode()
# what a smuggled request would do if it ran: erase the seeded offer
SMUGGLED = b"DELETE /v1/offers/f-1 HTTP/1.1\r\nHost: t\r\n" + ADMIN + b"\r\n"


def present(s):
    return s.request("GET", "/v1/offers/f-1")[0] == 200


def one_400_then_close(s, data, what):
    """Exactly one answer, a 400 with the error shape, then the server closes; f-1 survives."""
    raw = s.raw(data, timeout=5)
    resp = split_responses(raw)
    eq([r[0] for r in resp], [400], what + ": answers (raw %r)" % raw[:300])
    body = json.loads(resp[0][1])
    check(body["error"]["code"] == "invalid_field", what + ": code %r" % body)
    head = raw.split(b"\r\n\r\n", 1)[0]
    check(b"Connection: close" in head, what + ": Connection: close")
    check(present(s), what + ": the request after it did not run")


def test_seed(s):
    eq(s.request("PUT", "/v1/offers/f-1", offer("f-1"))[0], 201, "seed")


def test_bare_cr_ends_nothing(s):
    # llhttp 8.1's lenient default read "CR LF CR X" as the end of the headers
    for ending in (b"\rX", b"\r\x00", b"\r "):
        data = (b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-A: 1\r\n" + ending + SMUGGLED)
        one_400_then_close(s, data, "bare CR %r" % ending)
    # a bare CR inside a header value or after the request line
    one_400_then_close(s, b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-A: 1\rX-B: 2\r\n\r\n" + SMUGGLED,
                       "CR in a value")
    one_400_then_close(s, b"GET /healthz HTTP/1.1\rHost: t\r\n\r\n" + SMUGGLED, "CR after line")


def test_http10_with_transfer_encoding(s):
    for conn in (b"", b"Connection: keep-alive\r\n"):
        data = (b"POST /v1/events HTTP/1.0\r\nHost: t\r\n" + ADVISER + conn +
                b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                b"2\r\n{}\r\n0\r\n\r\n" + SMUGGLED)
        one_400_then_close(s, data, "HTTP/1.0 + TE %r" % conn)


def test_duplicate_singleton_headers(s):
    body = json.dumps(offer("f-1", title="Twice")).encode()
    put = b"PUT /v1/offers/f-1 HTTP/1.1\r\n"
    cases = {
        "Authorization": put + b"Host: t\r\n" + ADVISER + ADMIN,
        "Host": put + b"Host: t\r\nHost: u\r\n" + ADMIN,
        "Content-Type": put + b"Host: t\r\n" + ADMIN + b"Content-Type: text/plain\r\n",
        "If-Match": put + b"Host: t\r\n" + ADMIN + b"If-Match: \"1\"\r\n",
        "If-None-Match": put + b"Host: t\r\n" + ADMIN + b"If-None-Match: *\r\n",
        "Content-Length": put + b"Host: t\r\n" + ADMIN +
        b"Content-Length: %d\r\n" % len(body),
        "host (case)": put + b"Host: t\r\nhOST: t\r\n" + ADMIN,
    }
    for name, head in cases.items():
        if name == "If-Match":
            head += b"If-Match: \"1\"\r\n"
        elif name == "If-None-Match":
            head += b"If-None-Match: *\r\n"
        data = (head + b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body)
                + body + SMUGGLED)
        one_400_then_close(s, data, "duplicate " + name)
    st, _, got = s.request("GET", "/v1/offers/f-1")
    eq(got["title"], offer("f-1")["title"], "no duplicate-header PUT was applied")


def test_host_required_on_http11(s):
    one_400_then_close(s, b"GET /healthz HTTP/1.1\r\n\r\n" + SMUGGLED, "no Host")
    one_400_then_close(s, b"GET /v1/offers/f-1 HTTP/1.1\r\n" + ADMIN + b"\r\n" + SMUGGLED,
                       "no Host, with a key")
    # HTTP/1.0 has no Host requirement
    data = s.raw(b"GET /healthz HTTP/1.0\r\n\r\n")
    check(data.startswith(b"HTTP/1.1 200"), "HTTP/1.0 without Host: %r" % data[:40])


def test_empty_transfer_encoding_refused(s):
    """"Transfer-Encoding: " (no coding) beside a Content-Length, or alone: 400 and the
    connection closes (hostile-input probe: it was framed by Content-Length, or as an empty
    body with the chunks read as the next request)."""
    body = json.dumps(offer("te-e", title="EmptyTE")).encode()
    for te in (b"Transfer-Encoding: \r\n", b"Transfer-Encoding: ,\r\n"):
        with_cl = (b"PUT /v1/offers/te-e HTTP/1.1\r\nHost: t\r\n" + ADMIN +
                   b"Content-Type: application/json\r\n" + te +
                   b"Content-Length: %d\r\n\r\n" % len(body) + body)
        one_400_then_close(s, with_cl + SMUGGLED, "empty Transfer-Encoding with Content-Length")
        alone = (b"PUT /v1/offers/te-e HTTP/1.1\r\nHost: t\r\n" + ADMIN +
                 b"Content-Type: application/json\r\n" + te + b"\r\n" +
                 b"%x\r\n" % len(body) + body + b"\r\n0\r\n\r\n")
        one_400_then_close(s, alone + SMUGGLED, "empty Transfer-Encoding alone")
    eq(s.request("GET", "/v1/offers/te-e")[0], 404, "nothing stored")


def test_obs_fold_refused(s):
    """A header folded onto a next line (obs-fold) is a 400 and the connection closes, however
    the bytes arrive: a proxy that unfolds or splits it would read another request."""
    body = json.dumps(offer("f-1", title="Folded")).encode()
    folded_te = (b"PUT /v1/offers/f-1 HTTP/1.1\r\nHost: t\r\n" + ADMIN +
                 b"Content-Type: application/json\r\nTransfer-Encoding:\r\n chunked\r\n\r\n" +
                 b"%x\r\n" % len(body) + body + b"\r\n0\r\n\r\n")
    one_400_then_close(s, folded_te + SMUGGLED, "folded Transfer-Encoding")
    one_400_then_close(s, b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-A: a\r\n b\r\n\r\n" + SMUGGLED,
                       "folded value")
    one_400_then_close(s, b"GET /v1/offers/f-1 HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer\r\n " +
                       KEYS["admin"].encode() + b"\r\n\r\n" + SMUGGLED, "folded key")
    check(s.request("GET", "/v1/offers/f-1")[2]["title"] != "Folded", "the folded PUT stored nothing")
    # the fold split over two sends, at each place around the line break
    whole = b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-A: a\r\n  b\r\n\r\n"
    at = whole.index(b"\r\n  b")
    for cut in range(at, at + 5):
        sock = socket.create_connection(("127.0.0.1", s.port), timeout=5)
        try:
            sock.sendall(whole[:cut])
            time.sleep(0.05)
            sock.sendall(whole[cut:] + SMUGGLED)
            raw = cmtest.read_all(sock, 5)
        finally:
            sock.close()
        eq([r[0] for r in split_responses(raw)], [400], "fold cut at %d: %r" % (cut, raw[:80]))
    check(present(s), "nothing smuggled")
    # a header split over two sends inside its value is not a fold
    sock = socket.create_connection(("127.0.0.1", s.port), timeout=5)
    try:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-A: a")
        time.sleep(0.05)
        sock.sendall(b" b\r\nConnection: close\r\n\r\n")
        eq([r[0] for r in split_responses(cmtest.read_all(sock, 5))], [200], "split value")
    finally:
        sock.close()


def test_versions_and_nameless_headers(s):
    for line in (b"GET /v1/offers/f-1\r\n", b"GET /healthz HTTP/0.9\r\n",
                 b"GET /healthz HTTP/2.0\r\n"):
        one_400_then_close(s, line + ADMIN + b"\r\n" + SMUGGLED, "version %r" % line)
    one_400_then_close(s, b"GET /healthz HTTP/1.1\r\nHost: t\r\n: v\r\n\r\n" + SMUGGLED,
                       "a header without a name")
    # HTTP/1.0 asking to keep the connection is told it is kept, and it is
    raw = s.raw(b"GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
                b"GET /healthz HTTP/1.0\r\n\r\n")
    resp = split_responses(raw)
    eq([r[0] for r in resp], [200, 200], "two answers on one HTTP/1.0 connection")
    heads = [h.split(b"\r\n\r\n")[0] for h in raw.split(b"HTTP/1.1 ")[1:]]
    check(b"Connection: keep-alive" in heads[0], "first: keep-alive said: %r" % heads[0])
    check(b"Connection: close" in heads[1], "second: close: %r" % heads[1])


def chunked_put(extra_head, trailer, close=True):
    body = json.dumps(offer("f-1", title="Via chunks")).encode()
    if close:
        extra_head += b"Connection: close\r\n"
    return (b"PUT /v1/offers/f-1 HTTP/1.1\r\nHost: t\r\n" + extra_head +
            b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" +
            b"%x\r\n" % len(body) + body + b"\r\n0\r\n" + trailer + b"\r\n")


def test_trailers_are_ignored(s):
    # applied as a header, If-None-Match: * makes this PUT of an existing record a 409
    data = chunked_put(ADMIN, b"If-None-Match: *\r\nIf-Match: \"999\"\r\n", close=False)
    resp = split_responses(s.raw(data + b"GET /healthz HTTP/1.1\r\nHost: t\r\n"
                                 b"Connection: close\r\n\r\n"))
    eq([r[0] for r in resp], [200, 200], "trailer preconditions ignored, connection kept")
    eq(s.request("GET", "/v1/offers/f-1")[2]["title"], "Via chunks", "stored")
    # a key in a trailer grants nothing, and does not replace the header's key either
    resp = split_responses(s.raw(chunked_put(b"", ADMIN)))
    eq([r[0] for r in resp], [401], "key in trailer only")
    resp = split_responses(s.raw(chunked_put(b"Authorization: Bearer " +
                                             KEYS["portal"].encode() + b"\r\n", ADMIN)))
    eq(resp[0][0], 403, "portal key in header, admin key in trailer")
    # a trailer is not a duplicate header: Host or Authorization again there is not a 400
    resp = split_responses(s.raw(chunked_put(ADMIN, b"Host: other\r\n" + ADMIN)))
    eq([r[0] for r in resp], [200], "singleton names in a trailer")


def read_one(sock):
    """One Content-Length framed response, read whole."""
    data = b""
    while True:
        head, sep, body = data.partition(b"\r\n\r\n")
        if sep:
            length = [int(l.split(b":", 1)[1]) for l in head.split(b"\r\n")[1:]
                      if l.lower().startswith(b"content-length:")]
            if length and len(body) >= length[0]:
                return data
        chunk = sock.recv(65536)
        check(chunk, "connection closed before a whole answer: %r" % data)
        data += chunk


def test_upgrade_is_ignored(s):
    up = (b"GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: Upgrade, HTTP2-Settings\r\n"
          b"Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n\r\n")
    nxt = b"GET /v1/offers/f-1 HTTP/1.1\r\nHost: t\r\n" + ADMIN + b"Connection: close\r\n\r\n"
    resp = split_responses(s.raw(up + nxt))
    eq([r[0] for r in resp], [200, 200], "pipelined after an h2c offer")
    # the same, waiting for the first answer before sending the second request
    sock = socket.create_connection(("127.0.0.1", s.port), timeout=5)
    try:
        sock.sendall(up.replace(b"h2c", b"websocket"))
        first = read_one(sock)  # the whole first answer, before the second request
        check(first.startswith(b"HTTP/1.1 200"), "first answer %r" % first[:60])
        sock.sendall(nxt)
        resp = split_responses(cmtest.read_all(sock, 5))
    finally:
        sock.close()
    eq([r[0] for r in resp], [200], "second request on the same connection")
    # with a body too (Upgrade and Content-Length)
    body = json.dumps(offer("f-2")).encode()
    data = (b"PUT /v1/offers/f-2 HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n"
            + ADMIN + b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body)
            + body + nxt)
    eq([r[0] for r in split_responses(s.raw(data))], [201, 200], "upgrade offer with a body")


def test_curl_http2_keeps_connection(s):
    if not shutil.which("curl"):
        print("     (curl not installed: skipped)")
        return
    url = "http://127.0.0.1:%d/healthz" % s.port
    p = subprocess.run(["curl", "-sv", "--http2", "-o", "/dev/null", "-o", "/dev/null",
                        "-w", "%{http_code}\n", url, url], capture_output=True, timeout=30)
    codes = p.stdout.decode().split()
    eq(codes, ["200", "200"], "curl --http2, two requests (stderr %s)" % p.stderr[-800:])
    check(b"Re-using existing connection" in p.stderr or b"Reusing existing" in p.stderr,
          "the second request reused the connection: %s" % p.stderr[-800:])


def test_body_codings_not_read_are_refused(s):
    """A compressed body is refused (415), never parsed as if plain; identity is plain."""
    body = json.dumps(offer("f-enc")).encode()
    for hdr, want in ((b"Content-Encoding: gzip\r\n", 415), (b"Content-Encoding: br\r\n", 415),
                      (b"Content-Encoding: identity\r\n", 201)):
        data = (b"PUT /v1/offers/f-enc HTTP/1.1\r\nHost: t\r\n" + ADMIN + hdr +
                b"Content-Type: application/json\r\nConnection: close\r\nContent-Length: " +
                str(len(body)).encode() + b"\r\n\r\n" + body)
        resp = split_responses(s.raw(data, timeout=5))
        eq([r[0] for r in resp], [want], "%r" % hdr)
        if want == 415:
            eq(json.loads(resp[0][1])["error"]["code"], "unsupported_media_type", "%r" % hdr)
            eq(s.request("GET", "/v1/offers/f-enc")[0], 404, "nothing stored: %r" % hdr)
    body = json.dumps(offer("f-3")).encode()
    chunk = b"%x\r\n" % len(body) + body + b"\r\n0\r\n\r\n"
    data = (b"PUT /v1/offers/f-3 HTTP/1.1\r\nHost: t\r\n" + ADMIN +
            b"Content-Type: application/json\r\nConnection: close\r\n"
            b"Transfer-Encoding: gzip, chunked\r\n\r\n" + chunk)
    resp = split_responses(s.raw(data, timeout=5))
    eq([r[0] for r in resp], [415], "Transfer-Encoding: gzip, chunked")
    eq(s.request("GET", "/v1/offers/f-3")[0], 404, "nothing stored from it")


def test_still_serving(s):
    check(present(s), "f-1 present")
    eq(s.request("GET", "/healthz", key=None)[0], 200, "healthz")


if __name__ == "__main__":
    cmtest.run_module(globals(), "framing", config=CONFIG)
