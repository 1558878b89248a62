"""Access control and personal data: every route x every scope (no key, unknown key, portal,
adviser, admin) answers the status API.md gives, whether or not the id exists; sensitive
candidate fields never reach a portal key; no API key nor personal data reaches the log;
candidate DELETE erases the record, its events and its index document; keys given as
key_sha256 work."""
import json
import os
import sys

import rtest
from rtest import KEYS, check, eq, expect_error, find_keys

SCOPES = ["none", "unknown", "portal", "adviser", "admin"]
RANK = {"none": 0, "unknown": 0, "portal": 1, "adviser": 2, "admin": 3}
UNKNOWN_KEY = "k-unknown-0123456789-not-in-the-file"
EXTRA_ADVISER = "k-adviser2-sha-only-0123456789"
SENTINEL = "SENTINEL-PII-7f3a9c"     # in candidate summaries and the /v1/match body
SENSITIVE = {"disability_recognised", "childcare"}
counter = [0]


def key_for(scope):
    return {"none": None, "unknown": UNKNOWN_KEY}.get(scope, scope)


def fresh(prefix):
    counter[0] += 1
    return "%s-%d" % (prefix, counter[0])


def profile():
    return rtest.candidate("anon", summary="profil " + SENTINEL, disability_recognised=True,
                           childcare={"children_under_12": 3, "solo_parent": True})


def routes(srv):
    """(label, minimum scope, builder) where builder(exists) -> (method, path, body, ctype,
    statuses when allowed). Destructive routes get fresh ids each call."""
    nd = "application/x-ndjson"

    def put_offer(exists):
        rid = fresh("ac-po")
        if exists:
            seed(srv, "offers", rid)
        return "PUT", "/v1/offers/" + rid, rtest.offer(rid), None, {200} if exists else {201}

    def put_cand(exists):
        rid = fresh("ac-pc")
        if exists:
            seed(srv, "candidates", rid)
        return ("PUT", "/v1/candidates/" + rid, rtest.candidate(rid, summary=SENTINEL), None,
                {200} if exists else {201})

    def delete(kind):
        def b(exists):
            rid = fresh("ac-d" + kind[0])
            if exists:
                seed(srv, kind, rid)
            return "DELETE", "/v1/%s/%s" % (kind, rid), None, None, {204} if exists else {404}
        return b

    def get(path_fmt, ok=200):
        def b(exists):
            rid = "ac-offer" if "offers" in path_fmt else "ac-cand"
            return "GET", path_fmt % (rid if exists else "ac-nope"), None, None, \
                {ok} if exists else {404}
        return b

    def fixed(method, path, body=None, ctype=None, ok=(200,)):
        return lambda exists: (method, path, body, ctype, set(ok))

    def bulk(kind):
        def b(exists):
            rid = fresh("ac-b" + kind[0])
            rec = rtest.offer(rid) if kind == "offers" else rtest.candidate(rid)
            return "POST", "/v1/%s/_bulk" % kind, json.dumps(rec) + "\n", nd, {200}
        return b

    event = {"candidate_id": "ac-cand", "offer_id": "ac-offer", "kind": "proposed",
             "at": "2026-11-20"}
    out = [
        ("PUT offer", "admin", put_offer),
        ("GET offer", "portal", get("/v1/offers/%s")),
        ("DELETE offer", "admin", delete("offers")),
        ("PUT candidate", "admin", put_cand),
        ("GET candidate", "adviser", get("/v1/candidates/%s")),
        ("DELETE candidate", "admin", delete("candidates")),
        ("bulk offers", "admin", bulk("offers")),
        ("bulk candidates", "admin", bulk("candidates")),
        ("search", "portal", fixed("GET", "/v1/offers/search?q=aide&facets=rome,contract")),
        ("candidate matches", "adviser", get("/v1/candidates/%s/matches")),
        ("offer matches", "adviser", get("/v1/offers/%s/matches")),
        ("POST match", "portal", fixed("POST", "/v1/match", profile())),
        ("POST events", "adviser", fixed("POST", "/v1/events", event, ok=(201,))),
        ("stats", "adviser", fixed("GET", "/v1/stats")),
        ("stats by department", "adviser", fixed("GET", "/v1/stats?department=94")),
        ("metrics", "admin", fixed("GET", "/metrics")),
        ("healthz", "none", fixed("GET", "/healthz")),
        ("readyz", "none", fixed("GET", "/readyz")),
        ("openapi", "none", fixed("GET", "/openapi.json")),
    ]
    if srv.request("GET", "/v1/audit", key="admin")[0] != 404:
        out.append(("audit", "admin", fixed("GET", "/v1/audit?candidate_id=ac-cand")))
    return out


def seed(srv, kind, rid):
    rec = rtest.offer(rid) if kind == "offers" else rtest.candidate(rid, summary=SENTINEL)
    st = srv.request("PUT", "/v1/%s/%s" % (kind, rid), rec)[0]
    check(st in (200, 201), "seed %s/%s: %d" % (kind, rid, st))


def assert_no_sensitive(what, body, own_profile=False):
    """own_profile: the answer to POST /v1/match, whose barriers may describe what the caller
    itself sent (e.g. a childcare barrier); only field names and stored text are forbidden."""
    if isinstance(body, bytes):
        text = body.decode("utf-8", "replace")
    else:
        text = json.dumps(body, ensure_ascii=False)
        hits = find_keys(body, SENSITIVE)
        check(not hits, "%s: sensitive fields given to a portal key at %s" % (what, hits))
    check(SENTINEL not in text, "%s: a candidate's personal text reached a portal key" % what)
    if own_profile:
        return
    text = text.replace("childcare_aid", "")  # a lever name from the contract, not data
    for word in SENSITIVE:
        check(word not in text, "%s: %r in a portal answer" % (what, word))


def test_seed(srv):
    seed(srv, "offers", "ac-offer")
    seed(srv, "candidates", "ac-cand")
    # a candidate very close to the offer, so that it shows up in the offer's matches
    c = rtest.candidate("ac-near", location={"lat": 48.8589, "lon": 2.3800, "postcode": "75011"},
                        certifications=["DEAS"], summary="proche " + SENTINEL,
                        disability_recognised=True, availability=[])
    eq(srv.request("PUT", "/v1/candidates/ac-near", c)[0], 201, "seed near candidate")


def test_route_scope_matrix(srv):
    failures, n = [], 0
    for label, need, build in routes(srv):
        variants = [True, False] if label.startswith(("GET", "DELETE", "PUT", "candidate",
                                                      "offer")) else [True]
        for scope in SCOPES:
            for exists in variants:
                method, path, body, ctype, ok = build(exists)
                n += 1
                resp = srv.request(method, path, body, key=key_for(scope),
                                   ctype=ctype or "application/json")
                st = resp[0]
                if RANK[scope] >= RANK[need] and not (scope == "unknown" and need != "none"):
                    want = ok
                elif RANK[scope] == 0:
                    want = {401}
                else:
                    want = {403}
                if st not in want:
                    failures.append("%s as %s (%s): %d, want %s; %r" % (
                        label, scope, "exists" if exists else "absent", st, sorted(want),
                        str(resp[2])[:160]))
                    continue
                if st in (401, 403):
                    code = "unauthorized" if st == 401 else "forbidden"
                    try:
                        expect_error(resp, st, code, what=label)
                    except AssertionError as e:
                        failures.append(str(e))
                if scope == "portal" and label != "openapi":  # the schema names the fields
                    try:
                        assert_no_sensitive("%s as portal" % label, resp[2],
                                            own_profile=label == "POST match")
                    except AssertionError as e:
                        failures.append(str(e))
    print("%d route x scope requests" % n)
    check(not failures, "%d mismatches:\n  " % len(failures) + "\n  ".join(failures))


def test_portal_never_sees_candidates(srv):
    for path in ["/v1/offers/search?q=aide", "/v1/offers/search?lat=48.85&lon=2.38&radius_km=50",
                 "/v1/offers/ac-offer"]:
        st, _, body = srv.request("GET", path, key="portal")
        eq(st, 200, path)
        assert_no_sensitive(path, body)
    st, _, body = srv.request("POST", "/v1/match?limit=50", profile(), key="portal")
    eq(st, 200, "match")
    check(isinstance(body.get("results"), list), "match results")
    assert_no_sensitive("POST /v1/match", body, own_profile=True)
    for r in body["results"]:
        check("candidate" not in r, "a candidate in a portal match result")
    # nothing about childcare comes back when the caller did not send any
    p = profile()
    del p["childcare"]
    p["disability_recognised"] = False
    st, _, body = srv.request("POST", "/v1/match?limit=50", p, key="portal")
    eq(st, 200, "match without childcare")
    assert_no_sensitive("POST /v1/match without childcare", body)
    # the adviser does see them (so the check above is not vacuous)
    st, _, body = srv.request("GET", "/v1/candidates/ac-near", key="adviser")
    eq(st, 200, "adviser get")
    eq(body.get("disability_recognised"), True, "adviser sees disability_recognised")
    check("childcare" in body, "adviser sees childcare")
    st, _, body = srv.request("GET", "/v1/offers/ac-offer/matches?limit=200", key="adviser")
    eq(st, 200, "offer matches")
    ids = [r["candidate"]["id"] for r in body["results"]]
    check("ac-near" in ids, "ac-near among the offer's matches: %r" % ids)


def test_candidate_erasure(srv):
    cid = "ac-erase"
    c = rtest.candidate(cid, location={"lat": 48.8589, "lon": 2.3800, "postcode": "75011"},
                        certifications=["DEAS"], availability=[],
                        summary="erase-me " + SENTINEL)
    eq(srv.request("PUT", "/v1/candidates/" + cid, c)[0], 201, "create")
    for kind in ["proposed", "immersion", "hired"]:
        ev = {"candidate_id": cid, "offer_id": "ac-offer", "kind": kind, "at": "2026-11-21"}
        eq(srv.request("POST", "/v1/events", ev, key="adviser")[0], 201, "event " + kind)
    st, _, before = srv.request("GET", "/v1/stats", key="adviser")
    eq(st, 200, "stats before")
    st, _, m = srv.request("GET", "/v1/offers/ac-offer/matches?limit=200", key="adviser")
    check(cid in [r["candidate"]["id"] for r in m["results"]], "in matches before erasure")
    eq(srv.request("DELETE", "/v1/candidates/" + cid)[0], 204, "erase")
    expect_error(srv.request("GET", "/v1/candidates/" + cid, key="adviser"), 404, "not_found")
    expect_error(srv.request("GET", "/v1/candidates/%s/matches" % cid, key="adviser"), 404,
                 "not_found")
    st, _, after = srv.request("GET", "/v1/stats", key="adviser")
    for kind in ["proposed", "immersion", "hired"]:
        eq(after["events_by_kind"][kind], before["events_by_kind"][kind] - 1,
           "events of kind %s after erasure" % kind)
    eq(after["candidates_total"], before["candidates_total"] - 1, "candidates_total")
    st, _, m = srv.request("GET", "/v1/offers/ac-offer/matches?limit=200", key="adviser")
    eq(st, 200, "matches after")
    check(cid not in [r["candidate"]["id"] for r in m["results"]], "erased candidate matched")
    ev = {"candidate_id": cid, "offer_id": "ac-offer", "kind": "hired", "at": "2026-11-22"}
    st = srv.request("POST", "/v1/events", ev, key="adviser")[0]
    check(st in (404, 422), "event for an erased candidate: %d" % st)


def test_erased_text_not_on_disk(srv):
    """After the suites above (many writes), candidates written, read by an adviser (an audit
    write) and erased leave no byte of their summaries in data.mdb (within the second the scrub
    may wait for a reader): the erasure zeroes LMDB's recycled buffers first and rewrites the
    pages the audit was appended to."""
    data = os.path.join(srv.data, "lmdb", "data.mdb")
    left = []
    for i in range(5):
        cid = "ac-disk-%d" % i
        mark = "Xochiquetzal-%d-zq" % i
        c = rtest.candidate(cid, location={"lat": 48.85, "lon": 2.35}, summary=mark)
        eq(srv.request("PUT", "/v1/candidates/" + cid, c)[0], 201, "create")
        eq(srv.request("GET", "/v1/candidates/" + cid, key="adviser")[0], 200, "read")
        eq(srv.request("DELETE", "/v1/candidates/" + cid)[0], 204, "erase")
        found = rtest.wait_until(lambda: mark.encode() not in open(data, "rb").read(), 3)
        if not found:
            left.append(mark)
    eq(left, [], "erased summaries in data.mdb 3 s after their DELETE")


def test_key_sha256_entries(srv):
    # the keys file holds adviser-2 and portal only as SHA-256 digests
    eq(srv.request("GET", "/v1/candidates/ac-cand", key=EXTRA_ADVISER)[0], 200, "sha adviser")
    expect_error(srv.request("PUT", "/v1/offers/x1", rtest.offer("x1"), key=EXTRA_ADVISER), 403,
                 "forbidden")
    eq(srv.request("GET", "/v1/offers/ac-offer", key="portal")[0], 200, "sha portal")
    # the digest itself is not a key
    expect_error(srv.request("GET", "/v1/offers/ac-offer", key=rtest.sha256_hex(KEYS["portal"])),
                 401, "unauthorized")


def test_log_has_no_keys_nor_personal_data(srv):
    text = srv.read_log()
    check(len(text.splitlines()) > 100, "the log has the requests")
    for secret in list(KEYS.values()) + [UNKNOWN_KEY, EXTRA_ADVISER,
                                         rtest.sha256_hex(KEYS["portal"])]:
        check(secret not in text, "an API key (%s...) is in the log" % secret[:6])
    check("Bearer" not in text, "an Authorization header is in the log")
    check(SENTINEL not in text, "personal data (summary / match body) is in the log")
    for word in ["disability_recognised", "childcare", "solo_parent"]:
        check(word not in text, "%r in the log" % word)


def main():
    srv = rtest.Server("access")
    rtest.write_keys(srv, [
        {"key": KEYS["admin"], "scope": "admin", "name": "ops"},
        {"key_sha256": rtest.sha256_hex(KEYS["adviser"]), "scope": "adviser", "name": "adv-1"},
        {"key_sha256": rtest.sha256_hex(EXTRA_ADVISER), "scope": "adviser", "name": "adv-2"},
        {"key_sha256": rtest.sha256_hex(KEYS["portal"]), "scope": "portal", "name": "portal"}])
    srv.start()
    try:
        rc = rtest.run(globals(), srv)
        if not srv.alive() or srv.stop() != 0:
            print("FAIL carematchd did not stop cleanly")
            rc = 1
        if rc == 0:
            rtest.cli_check(srv.data)
            out = rtest.cli("--data", srv.data, "export", "candidates")[1]
            check("ac-erase" not in out, "erased candidate in the export")
            # informational: raw bytes may survive in free LMDB pages / old Xapian revisions
            left = []
            for root, _, files in os.walk(srv.data):
                for f in files:
                    with open(os.path.join(root, f), "rb") as fh:
                        if b"erase-me " + SENTINEL.encode() in fh.read():
                            left.append(os.path.relpath(os.path.join(root, f), srv.data))
            print("note: erased summary bytes still in data files: %s" % (left or "none"))
    finally:
        srv.cleanup()
    return rc


if __name__ == "__main__":
    sys.exit(main())
