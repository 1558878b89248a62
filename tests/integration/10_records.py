"""Records: PUT/GET/DELETE of offers and candidates, conditional writes, validation errors
(400 invalid_json, 422 invalid_field/missing_field, 409, 415), bulk NDJSON; after every bad
request the stored data is unchanged."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cmtest
from cmtest import check, eq, expect_error, offer, candidate, strip_version


def test_put_offer_creates_then_replaces(s):
    st, h, body = s.request("PUT", "/v1/offers/off-1", offer("off-1"))
    eq(st, 201, "create")
    eq(body["version"], 1, "version")
    eq(h.get("etag"), '"1"', "etag")
    eq(body["title"], offer("off-1")["title"], "echo title")
    eq(body["location"]["postcode"], "75011", "echo postcode")
    st, h, body = s.request("PUT", "/v1/offers/off-1", offer("off-1", title="Aide-soignant de jour"))
    eq(st, 200, "replace")
    eq(body["version"], 2, "version after replace")
    st, h, got = s.request("GET", "/v1/offers/off-1", key="portal")
    eq(st, 200, "get")
    eq(got, body, "GET returns what PUT echoed")
    eq(h.get("etag"), '"2"', "etag on GET")


def test_put_offer_without_id_in_body_takes_path_id(s):
    o = offer("x")
    del o["id"]
    st, _, body = s.request("PUT", "/v1/offers/off-noid", o)
    eq(st, 201, "create")
    eq(body["id"], "off-noid", "id from path")


def snapshot(s, path="/v1/offers/off-1"):
    st, _, body = s.request("GET", path)
    eq(st, 200, "snapshot")
    return body


def test_bad_bodies_change_nothing(s):
    before = snapshot(s)
    cases = [
        (b"{not json", 400, "invalid_json", None),
        (b"", 400, "invalid_json", None),
        (b"[1,2]", None, None, None),
        (json.dumps(offer("off-1", location={"lat": 999, "lon": 2.3})), 422, "invalid_field",
         "location.lat"),
        (json.dumps(offer("off-1", title=5)), 422, "invalid_field", "title"),
        (json.dumps(offer("off-1", contract="stage")), 422, "invalid_field", "contract"),
        (json.dumps(offer("off-1", rome="XX")), 422, "invalid_field", "rome"),
        (json.dumps(offer("other-id")), 422, "invalid_field", "id"),
    ]
    # numbers RFC 8259 refuses, which cJSON alone would read (07, 48., -048.8)
    for num in ("035", "35.", "-035", "00", "3.5e", "3.5e+", "1.e3", "0x23", "35.5.5", "- 35"):
        body = json.dumps(offer("off-1")).replace('"hours_per_week": 35', '"hours_per_week": ' + num)
        cases.append((body, 400, "invalid_json", None))
    for num in ("0", "-0", "35", "35.0", "3.5e1", "350E-1", "-0.0e+0"):  # all valid JSON
        body = json.dumps(offer("off-1")).replace('"hours_per_week": 35', '"hours_per_week": ' + num)
        r = s.request("PUT", "/v1/offers/off-num", body.replace('"off-1"', '"off-num"'))
        check(r[0] in (200, 201, 422), "valid number %s: %r" % (num, r[:1]))
        check(r[0] != 422 or r[2]["error"].get("field") == "hours_per_week", "%s: %r" % (num, r))
    for body, status, code, field in cases:
        r = s.request("PUT", "/v1/offers/off-1", body)
        if status is None:
            check(r[0] in (400, 422), "body %r: status %r" % (body, r[0]))
        else:
            expect_error(r, status, code, field, what="body %r" % body[:40])
        eq(snapshot(s), before, "stored offer unchanged after %r" % body[:40])


def test_missing_required_field_is_422_missing_field(s):
    before = snapshot(s)
    o = offer("off-1")
    del o["title"]
    expect_error(s.request("PUT", "/v1/offers/off-1", o), 422, "missing_field", "title")
    o = offer("off-1")
    del o["location"]["lat"]
    r = s.request("PUT", "/v1/offers/off-1", o)
    expect_error(r, 422, "missing_field", "location.lat")
    eq(snapshot(s), before, "unchanged")


def test_invalid_utf8_rejected(s):
    before = snapshot(s)
    body = json.dumps(offer("off-1", title="XTITLEX")).encode().replace(b"XTITLEX", b"caf\xc3\x28")
    r = s.request("PUT", "/v1/offers/off-1", body)
    check(r[0] in (400, 422), "invalid UTF-8 answered %r" % (r,))
    check(r[2]["error"]["code"] in ("invalid_json", "invalid_field"), "code %r" % (r[2],))
    eq(snapshot(s), before, "unchanged")


def test_wrong_content_type_is_415(s):
    before = snapshot(s)
    expect_error(s.request("PUT", "/v1/offers/off-1", offer("off-1"), ctype="text/plain"), 415,
                 "unsupported_media_type")
    expect_error(s.request("PUT", "/v1/offers/off-1", offer("off-1"), ctype=None), 415,
                 "unsupported_media_type")
    st, _, _ = s.request("PUT", "/v1/offers/off-ct", offer("off-ct"),
                         ctype="application/json; charset=utf-8")
    eq(st, 201, "charset parameter accepted")
    for ct in ("application/json; charset=latin-1", "application/json;charset=\"ISO-8859-1\"",
               "application/json; boundary=x; charset=utf-16"):
        expect_error(s.request("PUT", "/v1/offers/off-1", offer("off-1"), ctype=ct), 415,
                     "unsupported_media_type", what=ct)
    for ct in ("application/json;charset=UTF-8", 'application/json; charset="utf-8"',
               "application/json; charset=utf8; foo=bar"):
        eq(s.request("PUT", "/v1/offers/off-ct", offer("off-ct"), ctype=ct)[0], 200, ct)
    eq(snapshot(s), before, "unchanged")


def test_conditional_put(s):
    cur = snapshot(s)
    v = cur["version"]
    r = s.request("PUT", "/v1/offers/off-1", offer("off-1"), headers={"If-Match": '"%d"' % (v + 7)})
    expect_error(r, 409, "conflict")
    eq(snapshot(s), cur, "unchanged after failed If-Match")
    # entity tags compare as strings: "0<version>" is not the stored version's tag
    r = s.request("PUT", "/v1/offers/off-1", offer("off-1"), headers={"If-Match": '"0%d"' % v})
    expect_error(r, 409, "conflict")
    eq(snapshot(s), cur, "unchanged after a zero-padded If-Match")
    # If-Match compares strongly: a weak tag matches nothing (a probe saw W/"1" replace it)
    r = s.request("PUT", "/v1/offers/off-1", offer("off-1"), headers={"If-Match": 'W/"%d"' % v})
    expect_error(r, 409, "conflict")
    eq(snapshot(s), cur, "unchanged after a weak If-Match")
    r = s.request("PUT", "/v1/offers/off-1", offer("off-1"), headers={"If-None-Match": "*"})
    expect_error(r, 409, "conflict")
    st, h, body = s.request("PUT", "/v1/offers/off-1", offer("off-1", title="Conditional"),
                            headers={"If-Match": '"%d"' % v})
    eq(st, 200, "If-Match with the stored version")
    eq(body["version"], v + 1, "version bumped")
    st, _, body = s.request("PUT", "/v1/offers/off-new", offer("off-new"),
                            headers={"If-None-Match": "*"})
    eq(st, 201, "If-None-Match on a new id")
    r = s.request("PUT", "/v1/offers/off-1", offer("off-1"), headers={"If-Match": "banana"})
    expect_error(r, 400, "invalid_field", "If-Match")
    # If-Match: * (RFC 9110 13.1.1): only replace, whatever the version
    r = s.request("PUT", "/v1/offers/off-star", offer("off-star"), headers={"If-Match": "*"})
    expect_error(r, 409, "conflict")
    eq(s.request("GET", "/v1/offers/off-star")[0], 404, "If-Match: * creates nothing")
    st, _, body = s.request("PUT", "/v1/offers/off-1", offer("off-1", title="Star"),
                            headers={"If-Match": "*"})
    eq((st, body.get("title"), body.get("version")), (200, "Star", v + 2), "If-Match: * replaces")
    expect_error(s.request("PUT", "/v1/offers/off-1", offer("off-1"),
                           headers={"If-Match": "*", "If-None-Match": "*"}),
                 400, "invalid_field", "If-Match")


def test_conditional_delete(s):
    """A stale client's DELETE (If-Match naming an older version) erases nothing."""
    for kind, rec, key in (("offers", offer("off-cd"), "admin"),
                           ("candidates", candidate("cand-cd"), "admin")):
        path = "/v1/%s/%s" % (kind, rec["id"])
        st, h, body = s.request("PUT", path, rec)
        eq(st, 201, "create " + path)
        v = body["version"]
        expect_error(s.request("DELETE", path, headers={"If-Match": '"%d"' % (v + 1)}),
                     409, "conflict")
        eq(s.request("GET", path)[0], 200, "still there after a stale If-Match: " + path)
        expect_error(s.request("DELETE", path, headers={"If-None-Match": "*"}), 400,
                     "invalid_field", "If-None-Match")
        expect_error(s.request("DELETE", path, headers={"If-Match": "soon"}), 400,
                     "invalid_field", "If-Match")
        # a weak tag matches nothing (If-Match compares strongly)
        expect_error(s.request("DELETE", path, headers={"If-Match": 'W/"%d"' % v}), 409,
                     "conflict")
        eq(s.request("DELETE", path, headers={"If-Match": '"%d"' % v})[0], 204,
           "If-Match with the stored version deletes " + path)
        eq(s.request("GET", path)[0], 404, "gone: " + path)
        eq(s.request("PUT", path, rec)[0], 201, "again " + path)
        eq(s.request("DELETE", path, headers={"If-Match": "*"})[0], 204, "If-Match: * deletes")
        expect_error(s.request("DELETE", path, headers={"If-Match": "*"}), 404, "not_found")


def test_invalid_path_id_is_404(s):
    expect_error(s.request("GET", "/v1/offers/" + "a" * 65), 404, "not_found")
    expect_error(s.request("GET", "/v1/offers/bad%20id"), 404, "not_found")
    expect_error(s.request("GET", "/v1/offers/absent-id", key="portal"), 404, "not_found")


def test_delete_offer(s):
    eq(s.request("PUT", "/v1/offers/off-del", offer("off-del"))[0], 201, "create")
    st, h, body = s.request("DELETE", "/v1/offers/off-del")
    eq(st, 204, "delete")
    eq(body, b"", "no body on 204")
    expect_error(s.request("GET", "/v1/offers/off-del"), 404, "not_found")
    expect_error(s.request("DELETE", "/v1/offers/off-del"), 404, "not_found")


def test_candidate_crud_and_sensitive_fields(s):
    st, h, body = s.request("PUT", "/v1/candidates/cand-1", candidate("cand-1"))
    eq(st, 201, "create candidate")
    eq(body["version"], 1, "version")
    st, _, got = s.request("GET", "/v1/candidates/cand-1", key="adviser")
    eq(st, 200, "adviser reads candidate")
    eq(got["childcare"]["children_under_12"], 2, "adviser sees childcare")
    check("disability_recognised" in got, "adviser sees disability_recognised")
    eq(strip_version(got)["desired_rome"], ["J1501", "K1311"], "desired_rome")
    expect_error(s.request("GET", "/v1/candidates/cand-1", key="portal"), 403, "forbidden")
    expect_error(s.request("PUT", "/v1/candidates/cand-1",
                           candidate("cand-1", location={"lat": 48.8, "lon": 500})),
                 422, "invalid_field", "location.lon")
    eq(s.request("GET", "/v1/candidates/cand-1", key="adviser")[2], got, "unchanged")
    eq(s.request("PUT", "/v1/candidates/cand-gone", candidate("cand-gone"))[0], 201, "create")
    eq(s.request("DELETE", "/v1/candidates/cand-gone")[0], 204, "erase")
    expect_error(s.request("GET", "/v1/candidates/cand-gone", key="adviser"), 404, "not_found")


def test_bulk_offers_good_and_bad_lines(s):
    lines = [json.dumps(offer("bulk-1")), "", json.dumps(offer("bulk-2")), "{broken",
             json.dumps(offer("bulk-3", location={"lat": 95, "lon": 2})),
             json.dumps(offer("bulk-4")) + "\r", "   "]
    st, _, body = s.request("POST", "/v1/offers/_bulk", "\n".join(lines) + "\n",
                            ctype="application/x-ndjson")
    eq(st, 200, "bulk status")
    eq(body["accepted"], 3, "accepted (%r)" % body)
    eq(body["rejected"], 2, "rejected")
    eq([e["line"] for e in body["errors"]], [4, 5], "error lines")
    eq(body["errors"][0]["error"]["code"], "invalid_json", "line 4 code")
    eq(body["errors"][1]["error"]["code"], "invalid_field", "line 5 code")
    eq(body["errors"][1]["error"]["field"], "location.lat", "line 5 field")
    for i in (1, 2, 4):
        eq(s.request("GET", "/v1/offers/bulk-%d" % i)[0], 200, "bulk-%d stored" % i)
    expect_error(s.request("GET", "/v1/offers/bulk-3"), 404, "not_found")
    # a UTF-8 BOM before the first line (Windows tools), as a single PUT takes one
    body = b"\xef\xbb\xbf" + (json.dumps(offer("bulk-bom")) + "\n").encode()
    st, _, res = s.request("POST", "/v1/offers/_bulk", body, ctype="application/x-ndjson")
    eq((st, res.get("accepted"), res.get("rejected")), (200, 1, 0), "BOM then a line: %r" % res)
    st, _, res = s.request("POST", "/v1/offers/_bulk", b"\n" + body, ctype="application/x-ndjson")
    eq(res.get("accepted"), 1, "a line's own BOM, as a PUT's body's: %r" % res)


def test_bulk_answer_waits_for_search(s):
    """The bulk's batches are indexed while the next ones are parsed; its answer still waits
    until searches find every accepted line (the last batch included)."""
    n = 2500
    body = "\n".join(json.dumps(offer("rw-%04d" % i, title="Veilleur de nuit zyxbulk"))
                     for i in range(n))
    st, hdrs, res = s.request("POST", "/v1/offers/_bulk", body + "\n",
                              ctype="application/x-ndjson")
    eq((st, res["accepted"]), (200, n), "bulk (%r)" % (res,))
    check("x-index-lagging" not in hdrs, "not lagging: %r" % (hdrs,))
    st, _, found = s.request("GET", "/v1/offers/search?q=zyxbulk&per_page=1", key="portal")
    eq((st, found["total"]), (200, n), "every line found right after the answer")


def test_bulk_lines_decoded_in_parts(s):
    """A batch of candidates' lines is decoded on two threads: errors still come in line
    order, with their own code and field, blank lines still count, and every good line is
    stored."""
    lines = []
    for i in range(300):
        if i % 50 == 7:
            lines.append("{broken %d" % i)
        elif i % 50 == 31:
            lines.append(json.dumps(candidate("part-%03d" % i, location={"lat": 95, "lon": 2})))
        elif i % 50 == 40:
            lines.append("   ")
        else:
            lines.append(json.dumps(candidate("part-%03d" % i)))
    st, _, body = s.request("POST", "/v1/candidates/_bulk", "\n".join(lines) + "\n",
                            ctype="application/x-ndjson")
    eq(st, 200, "bulk status")
    bad = [i for i in range(300) if i % 50 in (7, 31)]
    eq((body["accepted"], body["rejected"]), (300 - 6 - len(bad), len(bad)), "counts")
    eq([e["line"] for e in body["errors"]], [i + 1 for i in bad], "error lines, in order")
    eq([e["error"]["code"] for e in body["errors"]],
       ["invalid_json" if i % 50 == 7 else "invalid_field" for i in bad], "codes")
    eq({e["error"].get("field") for e in body["errors"] if e["error"]["code"] == "invalid_field"},
       {"location.lat"}, "field")
    for i in (0, 149, 150, 299):
        eq(s.request("GET", "/v1/candidates/part-%03d" % i, key="adviser")[0], 200,
           "part-%03d stored" % i)
    expect_error(s.request("GET", "/v1/candidates/part-281", key="adviser"), 404, "not_found")


def test_bulk_candidates(s):
    body = "\n".join(json.dumps(candidate("bc-%d" % i)) for i in range(50))
    body += "\n" + json.dumps({"location": {"lat": 1, "lon": 1}})  # no id
    st, _, res = s.request("POST", "/v1/candidates/_bulk", body, ctype="application/x-ndjson")
    eq(st, 200, "bulk status")
    eq((res["accepted"], res["rejected"]), (50, 1), "counts %r" % res)
    eq(res["errors"][0]["line"], 51, "line of the id-less record")
    eq(s.request("GET", "/v1/candidates/bc-49", key="adviser")[0], 200, "stored")


def test_bulk_needs_ndjson_content_type(s):
    expect_error(s.request("POST", "/v1/offers/_bulk", json.dumps(offer("z"))), 415,
                 "unsupported_media_type")
    expect_error(s.request("GET", "/v1/offers/zz-absent"), 404, "not_found")


def test_reserved_ids_refused_everywhere(s):
    """Ids a URL cannot address ("search", "_bulk", ".", "..") are refused by PUT and by bulk
    import, so that every stored record can be read and erased; any other id of the
    contract's syntax ("_x") is a record's."""
    for rid in ("_bulk", "search"):
        st, _, _ = s.request("PUT", "/v1/candidates/" + rid, candidate(rid))
        check(st in (405, 422), "PUT candidate %s: %r" % (rid, st))
    for rid in ("_x", "_", "..x", "search2"):
        eq(s.request("PUT", "/v1/offers/" + rid, offer(rid))[0], 201, "PUT offer " + rid)
        st, _, o = s.request("GET", "/v1/offers/" + rid)
        eq((st, o.get("id")), (200, rid), "GET offer " + rid)
        eq(s.request("DELETE", "/v1/offers/" + rid)[0], 204, "DELETE offer " + rid)
    eq(s.request("PUT", "/v1/candidates/_c", candidate("_c"))[0], 201, "PUT candidate _c")
    eq(s.request("GET", "/v1/candidates/_c")[0], 200, "GET candidate _c")
    eq(s.request("DELETE", "/v1/candidates/_c")[0], 204, "DELETE candidate _c")
    body = "\n".join(json.dumps(offer(i)) for i in ("search", "_bulk", ".", "..", "ok-reserved"))
    st, _, res = s.request("POST", "/v1/offers/_bulk", body + "\n", ctype="application/x-ndjson")
    eq(st, 200, "bulk status")
    eq((res["accepted"], res["rejected"]), (1, 4), "counts %r" % res)
    eq([e["error"]["field"] for e in res["errors"]], ["id"] * 4, "fields")
    body = "\n".join(json.dumps(candidate(i)) for i in ("search", "_bulk"))
    st, _, res = s.request("POST", "/v1/candidates/_bulk", body + "\n",
                           ctype="application/x-ndjson")
    eq((res["accepted"], res["rejected"]), (0, 2), "candidate counts %r" % res)


def test_format3_fields_round_trip(s):
    o = offer("off-f3", work_pattern=["night"], contract_duration_days=90,
              experience={"level": "required", "months": 12}, vehicle_required=True,
              physical_demands=["lifting"],
              certifications=[{"code": "CAP_AEPE", "required": True, "group": 1},
                              {"code": "BAC_PRO_ASSP", "required": True, "group": 1}])
    st, _, body = s.request("PUT", "/v1/offers/off-f3", o)
    eq(st, 201, "create")
    for k in ("work_pattern", "contract_duration_days", "experience", "vehicle_required",
              "physical_demands", "certifications"):
        eq(body[k], o[k], k)
    c = candidate("cand-f3", restrictions=["night", "lifting"], strict=["hours"])
    st, _, body = s.request("PUT", "/v1/candidates/cand-f3", c)
    eq(st, 201, "create candidate")
    eq(body["restrictions"], ["lifting", "night"], "restrictions to admin")
    eq(body["strict"], ["hours"], "strict")
    expect_error(s.request("PUT", "/v1/offers/off-f3", offer("off-f3", work_pattern=["evening"])),
                 422, "invalid_field", "work_pattern")


def test_versions_never_repeat_for_an_id(s):
    """Deleted and created again, a record continues its versions: a stale If-Match or ETag
    can never name the new record."""
    for coll, rec in (("offers", offer("vr-1")), ("candidates", candidate("vr-1"))):
        path = "/v1/%s/vr-1" % coll
        eq(s.request("PUT", path, rec)[2]["version"], 1, coll + " v1")
        eq(s.request("PUT", path, rec)[2]["version"], 2, coll + " v2")
        eq(s.request("DELETE", path)[0], 204, coll + " delete")
        st, h, body = s.request("PUT", path, rec, headers={"If-None-Match": "*"})
        eq((st, body["version"], h.get("etag")), (201, 3, '"3"'), coll + " created again: v3")
        expect_error(s.request("PUT", path, rec, headers={"If-Match": '"1"'}), 409, "conflict")
        eq(s.request("PUT", path, rec, headers={"If-Match": '"3"'})[2]["version"], 4, coll)


if __name__ == "__main__":
    cmtest.run_module(globals(), "records")
