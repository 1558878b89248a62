"""Per-key rate limit (config rate_per_sec / rate_burst): a burst beyond the bucket gets
429 rate_limited with Retry-After, other keys and keyless routes are unaffected, a refused write
changes nothing, and the key is served again after Retry-After."""
import sys
import threading
import time

import rtest
from rtest import check, eq, expect_error

RATE, BURST = 5, 10
CONFIG = {"rate_per_sec": RATE, "rate_burst": BURST}


def burst(srv, key, n, path="/v1/offers/rl-0"):
    cl = rtest.Client(srv.port, key=key)
    out = []
    t0 = time.time()
    for _ in range(n):
        out.append(cl.request("GET", path))
    cl.close()
    return out, time.time() - t0


def test_seed(srv):
    eq(srv.request("PUT", "/v1/offers/rl-0", rtest.offer("rl-0"))[0], 201, "seed")
    time.sleep(BURST / RATE + 0.5)  # refill the admin bucket the seed used


def until_limited(srv, key, tries=200):
    """Request until the bucket is empty (a machine slow enough refills it between requests,
    so no fixed count is sure to be refused); returns the 429 answer."""
    for _ in range(tries):
        r = srv.request("GET", "/v1/offers/rl-0", key=key)
        if r[0] == 429:
            return r
        eq(r[0], 200, "served while tokens are left")
    raise AssertionError("%d requests without a 429" % tries)


def test_burst_gets_429_with_retry_after(srv):
    answers, elapsed = burst(srv, "portal", 40)
    ok = [a for a in answers if a[0] == 200]
    limited = [a for a in answers if a[0] == 429]
    eq(len(ok) + len(limited), 40, "only 200 and 429: %r" % sorted({a[0] for a in answers}))
    if not limited:  # 40 requests took over (40 - BURST) / RATE s: a very slow machine
        limited = [until_limited(srv, "portal")]
    allowed_max = BURST + int(RATE * elapsed) + 1
    check(BURST <= len(ok) <= allowed_max,
          "%d served in %.2fs, bucket allows %d..%d" % (len(ok), elapsed, BURST, allowed_max))
    for a in limited:
        expect_error(a, 429, "rate_limited", what="over the limit")
        ra = a[1].get("retry-after")
        check(ra is not None and ra.isdigit() and 1 <= int(ra) <= 60, "Retry-After %r" % ra)
    # the first answers are the served ones: a bucket, not a random drop
    eq([a[0] for a in answers[:BURST]], [200] * BURST, "the burst itself is served")
    print("%d served, %d limited, Retry-After %s" % (len(ok), len(limited),
                                                      limited[0][1].get("retry-after")))
    # meanwhile another key and the keyless routes are served
    for key in ["adviser", "admin"]:
        st = srv.request("GET", "/v1/offers/rl-0", key=key)[0]
        eq(st, 200, key + " unaffected by the portal key's limit")
    for path in ["/healthz", "/readyz", "/openapi.json"]:
        eq(srv.request("GET", path, key=None)[0], 200, path + " without a key")
    # still limited (the requests above took time: a token or two may have come back)
    last = until_limited(srv, "portal")
    expect_error(last, 429, "rate_limited")
    time.sleep(int(last[1]["retry-after"]) + 0.2)
    eq(srv.request("GET", "/v1/offers/rl-0", key="portal")[0], 200, "served after Retry-After")


def test_concurrent_burst_is_bounded(srv):
    time.sleep(BURST / RATE + 0.5)
    statuses = []
    lock = threading.Lock()

    def worker():
        cl = rtest.Client(srv.port, key="adviser")
        for _ in range(10):
            st = cl.request("GET", "/v1/offers/rl-0")[0]
            with lock:
                statuses.append(st)
        cl.close()

    t0 = time.time()
    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.time() - t0
    served = statuses.count(200)
    eq(served + statuses.count(429), 80, "only 200/429")
    check(served <= BURST + int(RATE * elapsed) + 1,
          "8 connections got %d answers in %.2fs: the limit is per key, not per connection"
          % (served, elapsed))


def test_refused_writes_change_nothing(srv):
    time.sleep(BURST / RATE + 0.5)
    cl = rtest.Client(srv.port, key="admin")
    ok = refused = 0
    # until a few writes were refused: slow writes (a loaded disk) let the bucket refill, so a
    # fixed number of them need not be enough
    for i in range(500):
        st, _, body = cl.request("PUT", "/v1/offers/rl-w",
                                 rtest.offer("rl-w", hours_per_week=i % 70 + 1))
        if st in (200, 201):
            ok += 1
            last = i % 70 + 1
        else:
            expect_error((st, {}, body), 429, "rate_limited", what="write over the limit")
            refused += 1
            if refused >= 5:
                break
    cl.close()
    check(refused >= 5, "writes were limited (%d refused, %d accepted)" % (refused, ok))
    time.sleep(BURST / RATE + 0.5)
    st, _, body = srv.request("GET", "/v1/offers/rl-w", key="adviser")
    eq(st, 200, "get")
    eq(body["version"], ok, "one version per accepted write")
    eq(body["hours_per_week"], last, "last accepted write wins")


def test_unknown_key_is_401_not_429(srv):
    for _ in range(30):
        expect_error(srv.request("GET", "/v1/offers/rl-0", key="nobody-knows-me"), 401,
                     "unauthorized")


if __name__ == "__main__":
    srv = rtest.Server("ratelimit", config=CONFIG).start()
    try:
        rc = rtest.run(globals(), srv)
        if not srv.alive() or srv.stop() != 0:
            rc = 1
    finally:
        srv.cleanup()
    sys.exit(rc)
