"""The audit log of candidate reads: GET /v1/audit?candidate_id=X (admin only) lists each
adviser read of X (GET /v1/candidates/X, GET /v1/candidates/X/matches) in order, with the key's
name and never the key; it survives a restart and the candidate's erasure, which it records
(action "erased", by which key)."""
import sys

import rtest
from rtest import KEYS, check, eq, expect_error

READ_ACTIONS = {"read", "matches"}


def entries(srv, cid, **params):
    q = "&".join(["candidate_id=" + cid] + ["%s=%s" % kv for kv in params.items()])
    st, _, body = srv.request("GET", "/v1/audit?" + q, key="admin")
    eq(st, 200, "audit for %s (%r)" % (cid, body))
    check(isinstance(body, dict) and isinstance(body.get("entries"), list), "shape %r" % body)
    for e in body["entries"]:
        check({"seq", "at", "key_name", "candidate_id", "action"} <= set(e), "entry %r" % e)
    return body["entries"]


def test_route_exists(srv):
    st, _, body = srv.request("GET", "/v1/audit?candidate_id=au-1", key="admin")
    if st == 404 and isinstance(body, dict) and body.get("error", {}).get("code") == "not_found":
        rtest.skip("GET /v1/audit is not there yet (404 not_found): expected to be added")
    eq(st, 200, "audit route")


def test_scopes(srv):
    expect_error(srv.request("GET", "/v1/audit?candidate_id=au-1", key=None), 401, "unauthorized")
    expect_error(srv.request("GET", "/v1/audit?candidate_id=au-1", key="nope-key"), 401,
                 "unauthorized")
    expect_error(srv.request("GET", "/v1/audit?candidate_id=au-1", key="adviser"), 403,
                 "forbidden")
    expect_error(srv.request("GET", "/v1/audit?candidate_id=au-1", key="portal"), 403,
                 "forbidden")
    expect_error(srv.request("GET", "/v1/audit?candidate_id=../x", key="admin"), 400,
                 "invalid_field")


def test_reads_are_listed_in_order(srv):
    for cid in ["au-1", "au-2"]:
        eq(srv.request("PUT", "/v1/candidates/" + cid, rtest.candidate(cid))[0], 201, "seed")
    eq(srv.request("PUT", "/v1/offers/au-o", rtest.offer("au-o"))[0], 201, "seed offer")
    eq(entries(srv, "au-1"), [], "writes are not reads")
    done = []
    plan = [("adviser", "/v1/candidates/au-1", "read"),
            ("adviser", "/v1/candidates/au-1/matches", "matches"),
            ("adviser2", "/v1/candidates/au-1", "read"),
            ("adviser", "/v1/candidates/au-2", "read"),
            ("admin", "/v1/candidates/au-1", "read"),
            ("adviser2", "/v1/candidates/au-1/matches?limit=5", "matches")]
    for who, path, action in plan:
        key = "k-second-adviser-0123456789" if who == "adviser2" else who
        eq(srv.request("GET", path, key=key)[0], 200, path)
        if path.startswith("/v1/candidates/au-1"):
            done.append(({"adviser": "adviser-1", "adviser2": "adviser-2",
                          "admin": "ops"}[who], action))
    # refused and failed reads are not reads of the record
    expect_error(srv.request("GET", "/v1/candidates/au-1", key="portal"), 403, "forbidden")
    expect_error(srv.request("GET", "/v1/candidates/au-1", key=None), 401, "unauthorized")
    got = entries(srv, "au-1")
    got_reads = [(e["key_name"], e["action"]) for e in got if e["action"] in READ_ACTIONS]
    eq(got_reads, done, "reads of au-1 in order")
    seqs = [e["seq"] for e in got]
    eq(seqs, sorted(seqs), "seq increasing")
    check(len(set(seqs)) == len(seqs), "seq unique")
    for e in got:
        eq(e["candidate_id"], "au-1", "candidate_id")
        check(isinstance(e["at"], str) and e["at"].startswith("20"), "at %r" % e["at"])
        for secret in KEYS.values():
            check(secret not in str(e), "a key in an audit entry")
    eq([(e["key_name"], e["action"]) for e in entries(srv, "au-2")], [("adviser-1", "read")],
       "au-2 has its own entries")
    # paging with after= and limit=
    first = entries(srv, "au-1", limit=2)
    eq(len(first), 2, "limit")
    rest = entries(srv, "au-1", after=first[-1]["seq"])
    eq([e["seq"] for e in first + rest], seqs, "after= continues")


def test_listed_in_offer_matches(srv):
    before = len(entries(srv, "au-1"))
    st, _, body = srv.request("GET", "/v1/offers/au-o/matches?limit=200", key="adviser")
    eq(st, 200, "offer matches")
    ids = [r["candidate"]["id"] for r in body["results"]]
    got = entries(srv, "au-1")
    check("au-1" in ids, "au-1 (near the offer) among its matches: %r" % ids)
    if "au-1" in ids:
        check(len(got) == before + 1 and got[-1]["key_name"] == "adviser-1",
              "a candidate shown in an offer's matches is audited: %r" % got[before:])


def test_survives_restart_and_erasure(srv):
    before = entries(srv, "au-1")
    eq(srv.stop(), 0, "stop")
    srv.start()
    eq(entries(srv, "au-1"), before, "audit after restart")
    eq(srv.request("DELETE", "/v1/candidates/au-1")[0], 204, "erase")
    after = entries(srv, "au-1")
    eq(after[:len(before)], before, "audit kept after erasure")
    eq(len(after), len(before) + 1, "one more entry: the erasure")
    eq((after[-1]["action"], after[-1]["key_name"]), ("erased", "ops"), "who erased her")
    eq(srv.request("DELETE", "/v1/candidates/au-1")[0], 404, "erased once")
    eq(len(entries(srv, "au-1")), len(after), "a 404 erases nothing, audits nothing")


if __name__ == "__main__":
    srv = rtest.Server("audit")
    rtest.write_keys(srv, [
        {"key": KEYS["admin"], "scope": "admin", "name": "ops"},
        {"key": KEYS["adviser"], "scope": "adviser", "name": "adviser-1"},
        {"key_sha256": rtest.sha256_hex("k-second-adviser-0123456789"), "scope": "adviser",
         "name": "adviser-2"},
        {"key": KEYS["portal"], "scope": "portal", "name": "portal-web"}])
    srv.start()
    try:
        rc = rtest.run(globals(), srv)
        text = srv.read_log()
        for secret in list(KEYS.values()) + ["k-second-adviser-0123456789"]:
            if secret in text:
                print("FAIL a key is in the log")
                rc = 1
        if not srv.alive() or srv.stop() != 0:
            rc = 1
    finally:
        srv.cleanup()
    sys.exit(rc)
