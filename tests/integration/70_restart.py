"""Durability across restarts: every acknowledged write (PUT, replace, DELETE, bulk, event)
is there after a clean stop and after kill -9, and search agrees with storage."""
import json
import os
import signal
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cmtest
from cmtest import check, eq, offer, candidate


def write_some(srv, prefix, n=30):
    """Acknowledged writes; returns {offer id: title} expected to survive."""
    expect = {}
    for i in range(n):
        oid = "%s-o%d" % (prefix, i)
        title = "Aide-soignant %s %d" % (prefix, i)
        eq(srv.request("PUT", "/v1/offers/" + oid, offer(oid, title=title))[0], 201, "put")
        expect[oid] = title
    for i in range(0, n, 3):  # replace some
        oid = "%s-o%d" % (prefix, i)
        expect[oid] = "Remplacé %s %d" % (prefix, i)
        eq(srv.request("PUT", "/v1/offers/" + oid, offer(oid, title=expect[oid]))[0], 200, "replace")
    for i in range(1, n, 5):  # delete some
        oid = "%s-o%d" % (prefix, i)
        eq(srv.request("DELETE", "/v1/offers/" + oid)[0], 204, "delete")
        expect[oid] = None
    body = "\n".join(json.dumps(candidate("%s-c%d" % (prefix, i))) for i in range(n))
    st, _, res = srv.request("POST", "/v1/candidates/_bulk", body, ctype="application/x-ndjson")
    eq((st, res["accepted"]), (200, n), "bulk")
    st, _, ev = srv.request("POST", "/v1/events", {"candidate_id": "%s-c0" % prefix,
                                                    "kind": "training"}, key="adviser")
    eq(st, 201, "event")
    return expect


def verify(srv, prefix, expect, n=30):
    for oid, title in expect.items():
        st, _, body = srv.request("GET", "/v1/offers/" + oid)
        if title is None:
            eq(st, 404, "deleted %s stays deleted" % oid)
        else:
            eq(st, 200, "%s survives" % oid)
            eq(body["title"], title, "%s latest version" % oid)
    for i in range(n):
        eq(srv.request("GET", "/v1/candidates/%s-c%d" % (prefix, i), key="adviser")[0], 200,
           "bulk candidate survives")
    qs = urllib.parse.urlencode({"q": "Remplacé %s" % prefix, "per_page": 100})
    st, _, res = srv.request("GET", "/v1/offers/search?" + qs, key="portal")
    found = {r["offer"]["id"] for r in res["results"]}
    want = {o for o, t in expect.items() if t and t.startswith("Remplacé")}
    check(want <= found, "search finds the replaced offers after restart: missing %r"
          % sorted(want - found))
    for oid in found:
        check(expect.get(oid, "x") is not None, "deleted offer %s not in search" % oid)


def matches(srv, prefix, n=30):
    """Every candidate's and offer's matches, as the API gives them."""
    out = {}
    for i in range(n):
        out["c%d" % i] = srv.request("GET", "/v1/candidates/%s-c%d/matches?limit=50" % (prefix, i),
                                     key="adviser")[2]
    for i in range(0, n, 3):
        out["o%d" % i] = srv.request("GET", "/v1/offers/%s-o%d/matches?limit=50" % (prefix, i),
                                     key="adviser")[2]
    return out


def test_clean_restart():
    srv = cmtest.Server("restart").start()
    try:
        expect = write_some(srv, "a")
        before = matches(srv, "a")
        eq(srv.stop(), 0, "clean stop")
        check("catalog_saved" in srv.read_log(), "a clean stop saves the catalog")
        check(os.path.exists(os.path.join(srv.data, "catalog.snap")), "catalog.snap written")
        srv.start()
        srv.wait_log(r"catalog_loaded")  # loaded, not rebuilt
        check(os.path.exists(os.path.join(srv.data, "catalog.snap")),
              "kept once loaded (a start after a crash replays from it)")
        eq(matches(srv, "a"), before, "the same matches from the loaded catalog")
        verify(srv, "a", expect)
        st, _, stats = srv.request("GET", "/v1/stats", key="adviser")
        eq(stats["events_by_kind"]["training"], 1, "event survives")
        eq(srv.stop(), 0, "clean stop")
    finally:
        srv.cleanup()


def snapshot_behind(srv):
    st, _, body = srv.request("GET", "/metrics")
    eq(st, 200, "metrics")
    for line in body.decode().splitlines():
        if line.startswith("carematch_catalog_snapshot_changes_behind "):
            return int(line.split()[1])
    raise AssertionError("no carematch_catalog_snapshot_changes_behind in /metrics")


def test_checkpoint_then_kill9():
    """While the store changes, the server writes the catalog's snapshot again (here every
    10 s): a kill -9 after that replays only the writes since."""
    srv = cmtest.Server("ckpt", config={"catalog_snapshot_interval_s": 10}).start()
    try:
        expect = write_some(srv, "k")
        srv.wait_log(r"catalog_checkpoint", timeout=30)
        eq(snapshot_behind(srv), 0, "metrics: the snapshot is at the last change")
        eq(srv.request("PUT", "/v1/offers/k-late", offer("k-late"))[0], 201, "a write after it")
        expect["k-late"] = offer("k-late")["title"]
        before = matches(srv, "k")
        srv.stop(signal.SIGKILL)
        srv.start()
        srv.wait_log(r"catalog loaded from its snapshot .*; 1 changes since it was written "
                     r"replayed")
        eq(matches(srv, "k"), before, "the same matches after the replay")
        verify(srv, "k", expect)
        eq(srv.stop(), 0, "clean stop")
    finally:
        srv.cleanup()


def test_kill9_keeps_acknowledged_writes():
    srv = cmtest.Server("kill9").start()
    try:
        eq(srv.stop(), 0, "clean stop")  # storage now names a snapshot...
        srv.start()
        srv.wait_log(r"catalog_loaded")  # ...which this start loads and keeps
        expect = write_some(srv, "b")
        before = matches(srv, "b")
        srv.stop(signal.SIGKILL)
        srv.start()
        # loaded, and every change since replayed from the change log: no rebuild
        srv.wait_log(r"catalog loaded from its snapshot .*; [1-9][0-9]* changes since it was "
                     r"written replayed")
        check("catalog_rebuilt" not in srv.read_log(srv.start_offset), "not rebuilt after kill -9")
        eq(matches(srv, "b"), before, "the same matches from the loaded and replayed catalog")
        verify(srv, "b", expect)
        st, _, body = srv.request("GET", "/readyz", key=None)
        eq(st, 200, "ready after recovery")
        behind = snapshot_behind(srv)
        check(behind > 0, "metrics: the kept snapshot is behind by the replayed writes (%d)" % behind)
        # a candidate's erasure removes the kept copy before it is answered: a kill -9 then
        # rebuilds from storage, and she is in no catalog
        eq(srv.request("DELETE", "/v1/candidates/b-c1")[0], 204, "erasure")
        check(not os.path.exists(os.path.join(srv.data, "catalog.snap")),
              "no copy of the catalog after an erasure")
        eq(snapshot_behind(srv), -1, "metrics: no snapshot kept")
        srv.stop(signal.SIGKILL)
        srv.start()
        srv.wait_log(r"catalog snapshot not used \(no file")  # rebuilt from storage
        eq(srv.request("GET", "/v1/candidates/b-c1/matches", key="adviser")[0], 404, "erased")
        eq(srv.stop(), 0, "clean stop")
    finally:
        srv.cleanup()


if __name__ == "__main__":
    sys.exit(cmtest.main(globals()))
