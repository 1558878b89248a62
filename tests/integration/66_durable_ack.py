"""?ack=durable on writes: an offer's PUT (or bulk) answered once stored, before the search
index has it (X-Index-Lagging: true), GET and matching seeing it at once and text search once
the index commits; slowed when the index is more than durable_ack_max_lag changes behind; the
default (ack=visible) still answers once searches see the write; a bad ack is a 400 that
stores nothing. The index writer's lazy gap (index_lazy_ms) while no answer waits for it."""
import json
import os
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cmtest
from cmtest import candidate, check, eq, expect_error, offer

# An index commit at most every 10 s: a durable answer that waited for the index would take
# seconds, one that did not takes milliseconds, even in a sanitizer build.
GAP_MS = 10000


def search_ids(srv, q):
    st, _, res = srv.request("GET", "/v1/offers/search?q=" + urllib.parse.quote(q), key="portal")
    eq(st, 200, "search %s" % q)
    return [r["offer"]["id"] for r in res["results"]]


def wait_found(srv, q, oid, secs=60):
    deadline = time.time() + secs
    while time.time() < deadline:
        if oid in search_ids(srv, q):
            return True
        time.sleep(0.1)
    return False


def put_in_thread(srv, oid, title, done):
    def put():
        done[oid] = srv.request("PUT", "/v1/offers/%s?ack=durable" % oid, offer(oid, title=title))
    th = threading.Thread(target=put)
    th.start()
    return th


def parked(srv):
    text = srv.request("GET", "/metrics")[2].decode()
    return "carematch_parked_requests 1\n" in text


def test_durable_ack():
    srv = cmtest.Server("durable", config={"index_batch_ms": GAP_MS, "visibility_timeout_ms": 60000,
                                           "durable_ack_max_lag": 2}).start()
    try:
        # the default: answered once searches see it (this commit starts the 10 s gap)
        st, h, _ = srv.request("PUT", "/v1/offers/v0", offer("v0", title="Aide Vandale"))
        eq(st, 201, "default put")
        check("x-index-lagging" not in h, "ack=visible: visible when answered (%r)" % h)
        eq(search_ids(srv, "Vandale"), ["v0"], "read-your-writes by default")

        # durable: answered before the next index commit, lagging
        t0 = time.time()
        st, h, body = srv.request("PUT", "/v1/offers/d1?ack=durable",
                                  offer("d1", title="Auxiliaire Zapotèque"))
        eq(st, 201, "durable put")
        check(time.time() - t0 < 5, "answered without the index commit (%.1f s)" % (time.time() - t0))
        eq(h.get("x-index-lagging"), "true", "the index does not have it yet")
        eq(body["id"], "d1", "the stored record echoed")
        eq(srv.request("GET", "/v1/offers/d1", key="portal")[0], 200, "GET reads storage")
        st, _, m = srv.request("GET", "/v1/offers/d1/matches", key="adviser")
        eq(st, 200, "matching reads the catalog")
        st, _, res = srv.request("GET", "/v1/offers/search?lat=48.8589&lon=2.38&radius_km=3",
                                 key="portal")
        eq(sorted(r["offer"]["id"] for r in res["results"]), ["d1", "v0"],
           "a search by place alone is the catalog's: it has d1")
        # a candidate's write takes the parameter too (it never waits for the index)
        eq(srv.request("PUT", "/v1/candidates/c1?ack=durable", candidate("c1"))[0], 201,
           "candidate, durable")

        # the bound: a third change past the index's last (max lag 2) waits for the commit
        done = {}
        th = put_in_thread(srv, "d3", "Auxiliaire Olmèque", done)
        deadline = time.time() + 5
        while not parked(srv) and time.time() < deadline and "d3" not in done:
            time.sleep(0.02)
        check("d3" not in done, "over durable_ack_max_lag: the answer waits for the index")
        th.join(60)
        st, h, _ = done["d3"]
        eq(st, 201, "answered after the commit")
        check("x-index-lagging" not in h, "the commit covered it: not lagging (%r)" % h)
        eq(search_ids(srv, "Olmèque"), ["d3"], "searchable when answered")
        eq(search_ids(srv, "Zapotèque"), ["d1"], "and the earlier durable write with it")

        # a bulk, durable: answered before the index has its lines (two: within the bound)
        lines = "\n".join(json.dumps(offer("b%d" % i, title="Aide Toltèque")) for i in range(2))
        t0 = time.time()
        st, h, res = srv.request("POST", "/v1/offers/_bulk?ack=durable", lines,
                                 ctype="application/x-ndjson")
        eq(st, 200, "durable bulk")
        eq(res["accepted"], 2, "stored")
        check(time.time() - t0 < 5, "answered without the index commit")
        eq(h.get("x-index-lagging"), "true", "lagging")
        check(wait_found(srv, "Toltèque", "b1"), "searchable after the next commit")

        # a bad value: 400 on the parameter, nothing stored
        expect_error(srv.request("PUT", "/v1/offers/x1?ack=fast", offer("x1")), 400,
                     "invalid_field", "ack", "ack=fast")
        eq(srv.request("GET", "/v1/offers/x1", key="portal")[0], 404, "nothing stored")
        expect_error(srv.request("POST", "/v1/offers/_bulk?ack=", json.dumps(offer("x2")),
                                 ctype="application/x-ndjson"), 400, "invalid_field", "ack",
                     "ack empty")
        eq(srv.request("GET", "/v1/offers/x2", key="portal")[0], 404, "nothing stored (bulk)")
        expect_error(srv.request("DELETE", "/v1/offers/d1?ack=durable"), 400, "invalid_field",
                     "ack", "a delete waits for the index: no ack")
        eq(srv.stop(), 0, "clean stop")
    finally:
        srv.cleanup()


def test_lazy_commits_until_someone_waits():
    """While no answer waits for the index, it commits at most every index_lazy_ms; a write
    whose answer waits (the default ack) brings the commit to index_batch_ms at once."""
    srv = cmtest.Server("lazy", config={"index_batch_ms": 1, "index_lazy_ms": 20000}).start()
    try:
        eq(srv.request("PUT", "/v1/offers/l0", offer("l0"))[0], 201, "a commit: the lazy gap starts")
        st, h, _ = srv.request("PUT", "/v1/offers/l1?ack=durable", offer("l1", title="Aide Huastèque"))
        eq((st, h.get("x-index-lagging")), (201, "true"), "durable, lagging")
        eq(search_ids(srv, "Huastèque"), [], "no one waits: not committed yet (20 s gap)")
        t0 = time.time()
        st, h, _ = srv.request("PUT", "/v1/offers/l2", offer("l2", title="Aide Mixtèque"))
        eq(st, 201, "default put")
        check(time.time() - t0 < 10, "a waiting answer ends the lazy gap (%.1f s)" % (time.time() - t0))
        check("x-index-lagging" not in h, "visible when answered (%r)" % h)
        eq(search_ids(srv, "Mixtèque"), ["l2"], "read-your-writes")
        eq(search_ids(srv, "Huastèque"), ["l1"], "the durable write went in the same commit")
        eq(srv.stop(), 0, "clean stop")
    finally:
        srv.cleanup()


if __name__ == "__main__":
    sys.exit(cmtest.main(globals()))
