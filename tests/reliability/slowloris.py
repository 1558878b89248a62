"""2,000 idle TCP connections plus slow-loris clients dripping one header byte a second: a
normal client is still served (each request under 2 s), the slow clients are cut off by the
request (header) timeout even though they keep sending, and idle connections by the idle
timeout."""
import selectors
import socket
import sys
import threading
import time

import rtest
from rtest import check, eq

IDLE = 2000
SLOW = 20
REQUEST_TIMEOUT_MS = 2000
IDLE_TIMEOUT_MS = 6000
CONFIG = {"request_timeout_ms": REQUEST_TIMEOUT_MS, "idle_timeout_ms": IDLE_TIMEOUT_MS}
DURATION = 60 if rtest.LONG else 8


def slow_client(port, out, i):
    """Sends a request line, then one header byte a second, for as long as the server lets it;
    records when and how the server ended it."""
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.setblocking(False)
    t0 = time.time()
    msg = b"GET /v1/offers/sl-0 HTTP/1.1\r\nHost: t\r\n" + b"X-Slow-%d: " % i + b"a" * 10000
    got, pos, last = b"", 0, 0.0
    try:
        while time.time() - t0 < 30:
            try:
                if time.time() - last >= 1.0:
                    step = 25 if pos == 0 else 1
                    s.send(msg[pos:pos + step])
                    pos, last = pos + step, time.time()
                chunk = s.recv(4096)
                if not chunk:
                    break
                got += chunk
            except BlockingIOError:
                time.sleep(0.05)
            except (ConnectionResetError, BrokenPipeError):
                break
    finally:
        s.close()
    out[i] = (time.time() - t0, got, pos)


def open_idle(port, n):
    socks = []
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        socks.append(s)
    return socks


def closed_count(socks, wait):
    """How many of socks the server has closed (EOF or reset), waiting up to `wait` s."""
    sel = selectors.DefaultSelector()
    for s in socks:
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ)
    closed = set()
    deadline = time.time() + wait
    while time.time() < deadline and len(closed) < len(socks):
        for key, _ in sel.select(timeout=0.2):
            s = key.fileobj
            try:
                data = s.recv(4096)
            except BlockingIOError:
                continue
            except ConnectionResetError:
                data = b""
            if not data:
                closed.add(s)
                sel.unregister(s)
    sel.close()
    return len(closed)


def test_idle_and_slow_clients(srv):
    limit = rtest.raise_nofile(IDLE + SLOW + 500)
    check(limit >= IDLE + SLOW + 200, "RLIMIT_NOFILE is %d, need %d" % (limit, IDLE + SLOW))
    eq(srv.request("PUT", "/v1/offers/sl-0", rtest.offer("sl-0"))[0], 201, "seed")
    t_open = time.time()
    idle = open_idle(srv.port, IDLE)
    print("opened %d idle connections in %.2fs, server fds %d" %
          (IDLE, time.time() - t_open, rtest.proc_fds(srv.proc.pid)))
    slow = {}
    threads = [threading.Thread(target=slow_client, args=(srv.port, slow, i)) for i in range(SLOW)]
    for t in threads:
        t.start()
    # a normal client, on fresh connections and on a keep-alive one, the whole time
    worst, n = 0.0, 0
    ka = rtest.Client(srv.port, key="portal", timeout=10)
    t_end = time.time() + DURATION
    while time.time() < t_end:
        for path, key, fresh in [("/v1/offers/sl-0", "portal", True),
                                 ("/v1/offers/search?q=aide", "portal", False),
                                 ("/healthz", None, True)]:
            t0 = time.time()
            if fresh:
                st = srv.request("GET", path, key=key)[0]
            else:
                st = ka.request("GET", path)[0]
            dt = time.time() - t0
            eq(st, 200, "normal request %s during the attack" % path)
            check(dt < 2.0, "normal request %s took %.2fs" % (path, dt))
            worst, n = max(worst, dt), n + 1
        rid = "sl-w%d" % (n % 10)
        t0 = time.time()
        eq(srv.request("PUT", "/v1/offers/" + rid, rtest.offer(rid))[0] in (200, 201), True,
           "write during the attack")
        check(time.time() - t0 < 2.0, "write took %.2fs" % (time.time() - t0))
        time.sleep(0.05)
    ka.close()
    print("%d normal requests served, slowest %.3fs" % (n, worst))
    for t in threads:
        t.join(40)
    for i in range(SLOW):
        elapsed, got, sent = slow[i]
        # generous: a slow client the timeout missed would keep its connection for 30 s
        check(elapsed < REQUEST_TIMEOUT_MS / 1000.0 + 8.0,
              "slow client %d kept its connection %.1fs (sent %d bytes)" % (i, elapsed, sent))
        check(elapsed >= REQUEST_TIMEOUT_MS / 1000.0 - 0.5,
              "slow client %d closed too early (%.1fs)" % (i, elapsed))
        check(got == b"" or got.startswith(b"HTTP/1.1 408"),
              "slow client %d answer %r" % (i, got[:80]))
    print("slow clients cut after %.1f..%.1fs, %d got a 408" % (
        min(v[0] for v in slow.values()), max(v[0] for v in slow.values()),
        sum(1 for v in slow.values() if v[1].startswith(b"HTTP/1.1 408"))))
    # the idle connections go once the idle timeout has passed since they were opened
    left = IDLE_TIMEOUT_MS / 1000.0 + 4.0 - (time.time() - t_open)
    closed = closed_count(idle, max(left, 1.0))
    for s in idle:
        s.close()
    eq(closed, IDLE, "idle connections closed by the server after the idle timeout")
    check(rtest.wait_until(lambda: rtest.proc_fds(srv.proc.pid) < 100, 5),
          "server fds after the attack: %d" % rtest.proc_fds(srv.proc.pid))
    eq(srv.request("GET", "/v1/offers/sl-0", key="portal")[0], 200, "served after")


if __name__ == "__main__":
    rtest.raise_nofile(IDLE + SLOW + 500)
    srv = rtest.Server("slowloris", config=CONFIG).start()
    try:
        rc = rtest.run(globals(), srv)
        if not srv.alive():
            print("FAIL carematchd died:\n" + srv.read_log()[-3000:])
            rc = 1
        elif srv.stop() != 0:
            rc = 1
    finally:
        srv.cleanup()
    sys.exit(rc)
