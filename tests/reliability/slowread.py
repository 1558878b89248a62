"""Slow readers (slow-read attack): clients that pipeline many requests for large answers and
never read them. The server stops reading a connection once its unsent output passes
max_unsent_bytes (so its memory stays within the bound, not the sum of every answer asked for),
and closes it once the output makes no progress for send_timeout_ms: neither memory nor the
connection slot is kept. A client that reads slowly but steadily still gets every answer."""
import os
import re
import socket
import threading
import time

import rtest
from rtest import check, eq

SEND_TIMEOUT_MS = 3000  # long enough that a loaded machine never stalls the steady reader
MAX_UNSENT = 256 * 1024
CONFIG = {"send_timeout_ms": SEND_TIMEOUT_MS, "max_unsent_bytes": MAX_UNSENT,
          "idle_timeout_ms": 120000, "request_timeout_ms": 120000}
STALLED = 20          # connections that never read
PIPELINED = 150       # requests each sends (about 7 MiB of answers per connection)
SLACK_KIB = 48 * 1024  # allocator, sanitizer quarantine, the server's own working set


def big_offer(oid):
    o = rtest.offer(oid)
    o["description"] = ("Accompagnement des résidents de nuit, soins d'hygiène et de confort. "
                        * 460)[:32000]
    o["skills"] = [{"label": ("Compétence %02d " % i) + "x" * 180, "required": i % 2 == 0}
                   for i in range(60)]
    return o


def metrics(srv):
    st, _, body = srv.request("GET", "/metrics", key="admin")
    eq(st, 200, "metrics")
    text = body.decode() if isinstance(body, bytes) else str(body)
    out = {}
    for name in ("carematch_connections", "carematch_send_timeouts_total",
                 "carematch_output_paused_total"):
        m = re.search(r"^%s (\d+)$" % name, text, re.M)
        out[name] = int(m.group(1)) if m else None
    return out


def request_bytes(n):
    one = (b"GET /v1/offers/sr-big HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer %s\r\n\r\n"
           % rtest.KEYS["portal"].encode())
    return one * n


def small_rcvbuf_socket(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # before connect: a small window
    s.settimeout(10)
    s.connect(("127.0.0.1", port))
    return s


def test_stalled_readers_lose_memory_and_slot(srv):
    st, _, _ = srv.request("PUT", "/v1/offers/sr-big", big_offer("sr-big"))
    eq(st, 201, "seed")
    st, hdrs, body = srv.request("GET", "/v1/offers/sr-big", key="portal")
    answer = len(rtest.json.dumps(body))
    check(answer > 40000, "a large answer (%d bytes)" % answer)
    pid = srv.proc.pid
    before = metrics(srv)
    base_kib = rtest.proc_status_kib(pid, "RssAnon")
    socks = []
    t0 = time.time()
    for _ in range(STALLED):
        s = small_rcvbuf_socket(srv.port)
        s.sendall(request_bytes(PIPELINED))
        socks.append(s)
    try:
        # every stalled connection stops being read once over the bound
        paused = rtest.wait_until(
            lambda: metrics(srv)["carematch_output_paused_total"] -
            before["carematch_output_paused_total"] >= STALLED, 10)
        peak_kib = rtest.proc_status_kib(pid, "RssAnon")
        check(paused, "reading stopped on each stalled connection: %r" % metrics(srv))
        # memory: at most the bound plus one answer per connection, not 150 answers each
        bound_kib = STALLED * (MAX_UNSENT + 2 * answer) // 1024 + SLACK_KIB
        all_kib = STALLED * PIPELINED * answer // 1024
        print("     RssAnon +%d KiB with %d stalled readers (bound %d KiB, all answers %d KiB)"
              % (peak_kib - base_kib, STALLED, bound_kib, all_kib))
        check(peak_kib - base_kib < bound_kib,
              "RSS grew %d KiB with %d stalled readers (bound %d KiB; unbounded would be %d)"
              % (peak_kib - base_kib, STALLED, bound_kib, all_kib))
        # the slots come back: each connection is closed once its output stalls long enough
        freed = rtest.wait_until(
            lambda: metrics(srv)["carematch_connections"] <= 1, SEND_TIMEOUT_MS / 1000 * 2 + 10)
        elapsed = time.time() - t0
        m = metrics(srv)
        check(freed, "stalled connections closed: %r" % m)
        check(elapsed >= SEND_TIMEOUT_MS / 1000, "not before send_timeout_ms (%.2fs)" % elapsed)
        eq(m["carematch_send_timeouts_total"] - before["carematch_send_timeouts_total"],
           STALLED, "send timeouts counted")
        # the client sees the end of the connection after what it had been sent
        for s in socks:
            check(client_sees_close(s), "a stalled client's connection ended")
    finally:
        for s in socks:
            s.close()
    eq(srv.request("GET", "/healthz", key=None)[0], 200, "still serving")


def client_sees_close(s, timeout=10):
    s.settimeout(1)
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if not s.recv(1 << 20):
                return True
        except socket.timeout:
            continue
        except (ConnectionResetError, BrokenPipeError):
            return True
    return False


def test_slow_steady_reader_gets_everything(srv):
    """Pipelined answers worth several times the bound, read in small steps over longer than
    send_timeout_ms: the output keeps progressing, so nothing is cut."""
    n = 60
    s = small_rcvbuf_socket(srv.port)
    got = bytearray()
    try:
        s.sendall(request_bytes(n - 1) + request_bytes(1).replace(
            b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n"))
        t0 = time.time()
        s.settimeout(10)
        while True:
            chunk = s.recv(16384)
            if not chunk:
                break
            got += chunk
            time.sleep(0.01)
        elapsed = time.time() - t0
    finally:
        s.close()
    resp = rtest.cmtest.split_responses(bytes(got))
    eq([r[0] for r in resp], [200] * n, "every answer, in order")
    check(all(rtest.json.loads(r[1])["id"] == "sr-big" for r in resp), "answers complete")
    print("     %d answers, %d bytes in %.2fs" % (n, len(got), elapsed))


def main():
    # RSS must track live memory, not ASan's quarantine of freed blocks (see soak.py)
    asan = os.environ.get("ASAN_OPTIONS", "")
    os.environ["ASAN_OPTIONS"] = (asan + ":" if asan else "") + "quarantine_size_mb=8"
    srv = rtest.Server("slowread", config=CONFIG).start()
    try:
        rc = rtest.run(globals(), srv)
        if not srv.alive():
            print("FAIL carematchd died:\n" + srv.read_log()[-3000:])
            rc = 1
        elif srv.stop() != 0:
            print("FAIL carematchd exit status after SIGTERM")
            rc = 1
    finally:
        srv.cleanup()
    return rc


if __name__ == "__main__":
    threading.current_thread().name = "slowread"
    raise SystemExit(main())
