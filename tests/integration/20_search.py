"""Search, matching, events and stats: parameters, answer shapes, read-your-writes, and the
400 invalid_field answers for bad query parameters."""
import json
import os
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cmtest
from cmtest import check, eq, expect_error, offer, candidate


def search(s, key="portal", **params):
    qs = urllib.parse.urlencode(params, doseq=True)
    return s.request("GET", "/v1/offers/search?" + qs, key=key)


def ids(body):
    return [r["offer"]["id"] for r in body["results"]]


def test_seed(s):
    offers = [
        offer("o-paris-as", title="Aide-soignant de nuit", rome="J1501"),
        offer("o-paris-avs", title="Auxiliaire de vie à domicile", rome="K1311",
              contract="CDD", employer={"name": "SAAD Bleu", "kind": "saad"},
              description="Accompagnement des personnes âgées à domicile",
              certifications=[], immersion_possible=False,
              location={"lat": 48.8700, "lon": 2.3500, "city": "Paris", "postcode": "75010"}),
        offer("o-lyon-as", title="Aide-soignant en EHPAD", rome="J1501",
              location={"lat": 45.7640, "lon": 4.8357, "city": "Lyon", "postcode": "69003"}),
        offer("o-closed", title="Aide-soignant fermé", status="closed"),
    ]
    for o in offers:
        eq(s.request("PUT", "/v1/offers/" + o["id"], o)[0], 201, "seed " + o["id"])
    eq(s.request("PUT", "/v1/candidates/c-1", candidate("c-1"))[0], 201, "seed candidate")


def test_search_shape_and_filters(s):
    st, _, body = search(s)
    eq(st, 200, "search all")
    eq(set(body.keys()), {"total", "page", "per_page", "results", "facets"}, "keys")
    eq((body["page"], body["per_page"]), (1, 20), "defaults")
    check("o-closed" not in ids(body), "closed offers are not searched")
    eq(body["total"], 3, "total open")
    for r in body["results"]:
        check("distance_km" in r and r["distance_km"] is None, "distance null without lat/lon")
        check(isinstance(r["score"], (int, float)), "score")
    st, _, body = search(s, rome="K1311")
    eq(ids(body), ["o-paris-avs"], "rome filter")
    st, _, body = search(s, rome="k1311")
    eq((st, ids(body)), (200, ["o-paris-avs"]), "a lower-case code, as records take it")
    st, _, body = search(s, contract=["CDD", "interim"])
    eq(ids(body), ["o-paris-avs"], "contract filter (repeatable)")
    st, _, body = search(s, employer_kind="ehpad")
    eq(sorted(ids(body)), ["o-lyon-as", "o-paris-as"], "employer_kind filter")
    st, _, body = search(s, immersion_possible="false")
    eq(ids(body), ["o-paris-avs"], "boolean filter")


def test_search_text_geo_sort_facets(s):
    st, _, body = search(s, q="auxiliaire domicile")
    eq(st, 200, "text search")
    check(ids(body) and ids(body)[0] == "o-paris-avs", "text relevance: %r" % ids(body))
    st, _, body = search(s, lat=48.86, lon=2.36, radius_km=20, sort="distance")
    eq(sorted(ids(body)), ["o-paris-as", "o-paris-avs"], "radius excludes Lyon")
    d = [r["distance_km"] for r in body["results"]]
    eq(d, sorted(d), "sorted by distance")
    st, _, body = search(s, facets="rome,contract,employer_kind,department")
    f = body["facets"]
    eq(f["rome"], {"J1501": 2, "K1311": 1}, "rome facet")
    eq(f["contract"].get("CDI"), 2, "contract facet")
    eq(f["department"].get("75"), 2, "department facet")
    st, _, body = search(s, per_page=1, page=2)
    eq((body["page"], body["per_page"], len(body["results"]), body["total"]), (2, 1, 1, 3),
       "paging")
    # a word too long to be a term counts, unmatched: it neither matches everything nor is
    # ignored by the tiers
    for n in (64, 239, 240, 1000):  # past 239 bytes no term can hold it at all
        st, _, body = search(s, q="z" * n)
        eq((st, body["total"]), (200, 0), "a text of one %d-letter word finds nothing" % n)
    st, _, body = search(s, q="auxiliaire " + "y" * 300)
    check(ids(body) and ids(body)[0] == "o-paris-avs", "next to a 300-letter word: %r" % ids(body))
    check(body.get("text_match") in ("all_but_one", "any"),
          "the 300-letter word is not matched: %r" % body.get("text_match"))
    st, _, body = search(s, q='"%s" OR zzzq' % ("z" * 300))
    eq((st, body["total"]), (200, 0), "an operator query of over-long and unknown words")
    st, _, body = search(s, q="auxiliaire " + "z" * 64)
    check(ids(body) and ids(body)[0] == "o-paris-avs", "the other word still ranks")
    check(body.get("text_match") in ("all_but_one", "any"),
          "not every word matched: %r" % body.get("text_match"))


def test_search_scores_relative_to_the_best(s):
    """A text search's scores are 100 x the weight over the best match's, with or without a
    radius (Xapian's own percentages said 12 for the best "ehpad", its synonyms being leaves
    it lacks, and 100 for every "aide" within a radius)."""
    for q in ("ehpad", "aide soignant", "maison de retraite", "auxiliaire domicile", "nuit"):
        for geo in ({}, {"lat": 48.86, "lon": 2.36, "radius_km": 30}):
            st, _, body = search(s, q=q, **geo)
            eq(st, 200, "search %r %r" % (q, geo))
            sc = [r["score"] for r in body["results"]]
            if not sc:
                continue
            eq(sc[0], 100, "the best match of %r %r scores 100: %r" % (q, geo, sc))
            eq(sc, sorted(sc, reverse=True), "relevance order is score order")
            check(all(1 <= x <= 100 for x in sc), "scores within 1..100: %r" % sc)
    # a weaker match scores lower than the best, with a radius too
    st, _, body = search(s, q="aide soignant nuit", lat=48.86, lon=2.36, radius_km=30)
    sc = {r["offer"]["id"]: r["score"] for r in body["results"]}
    eq(sc.get("o-paris-as"), 100, "the night aide-soignant is the best: %r" % sc)
    check(sc.get("o-paris-avs", 0) < 100, "a match of fewer words scores less: %r" % sc)


def test_search_bad_parameters(s):
    bad = [({"per_page": 101}, "per_page"), ({"per_page": 0}, "per_page"), ({"page": 0}, "page"),
           ({"page": "x"}, "page"), ({"lat": 48.8}, "lon"), ({"lat": 91, "lon": 2}, "lat"),
           ({"radius_km": 5}, "radius_km"), ({"sort": "distance"}, "sort"),
           ({"sort": "price"}, "sort"), ({"contract": "stage"}, "contract"),
           ({"rome": "J15"}, "rome"), ({"employer_kind": "castle"}, "employer_kind"),
           ({"facets": "rome,colour"}, "facets"), ({"immersion_possible": "yes"},
                                                   "immersion_possible"),
           ({"q": "x" * 1100}, "q"), ({"q": " ".join("mot%d" % i for i in range(101))}, "q"),
           ({"lat": "0x10", "lon": "2"}, "lat"), ({"lat": " 48.8", "lon": "2"}, "lat"),
           ({"lat": "nan", "lon": "2"}, "lat"), ({"lat": "48.8", "lon": "inf"}, "lon"),
           ({"per_page": "0x10"}, "per_page"), ({"per_page": " 10"}, "per_page"),
           ({"page": "+1e1"}, "page")]
    for params, field in bad:
        expect_error(search(s, **params), 400, "invalid_field", field, what=repr(params)[:60])
    expect_error(s.request("GET", "/v1/offers/search?q=%zz", key="portal"), 400, "invalid_field")
    # not UTF-8 (a lone lead byte, Latin-1 "été"): an error naming it, not a silent search
    for path, field in [("/v1/offers/search?q=%C3", "q"), ("/v1/offers/search?q=%E9t%E9", "q"),
                        ("/v1/suggest/jobs?q=%FF", "q")]:
        r = s.request("GET", path, key="adviser")
        expect_error(r, 400, "invalid_field", field, what=path)
        check("UTF-8" in r[2]["error"]["message"], "%s: %r" % (path, r[2]))
    st, _, body = search(s, q="été")
    eq(st, 200, "UTF-8 accents are fine")
    st, _, body = search(s, q=" ".join("mot%d" % i for i in range(100)), lat="-48.8", lon="+2.35")
    eq(st, 200, "100 words, signed plain numbers: %r" % (body,))


def test_operators_hated_words_alone(s):
    """'-word' alone is every offer without the word (Xapian's parser reads it as the word)."""
    for q, want in [("-ehpad", ["o-paris-avs"]), ("NOT ehpad", ["o-paris-avs"]),
                    ("-auxiliaire", ["o-lyon-as", "o-paris-as"]), ("-auxiliaire -ehpad", []),
                    ("soignant -auxiliaire", ["o-lyon-as", "o-paris-as"])]:
        st, _, body = search(s, q=q, operators="true")
        eq((st, sorted(ids(body)), body["total"]), (200, want, len(want)), q)


def test_words_of_the_fields(s):
    """The contract, full or part time, night and the postcode are searchable words, as a
    searcher types them, though only the record's fields say them."""
    for q, want in [("soignant CDI", ["o-lyon-as", "o-paris-as"]), ("auxiliaire CDD", ["o-paris-avs"]),
                    ("domicile 75010", ["o-paris-avs"]), ("soignant temps plein", ["o-lyon-as", "o-paris-as"])]:
        st, _, body = search(s, q=q)
        eq((st, sorted(ids(body)), body.get("text_match")), (200, want, "all"), q)
    # its job title's label too: "Aide à domicile" under a title that says otherwise
    o = offer("o-jt", title="Intervenant(e) à domicile H/F", description="Chez des personnes âgées",
              job_title="aide à domicile", skills=[], employer={"name": "SAAD Vert", "kind": "saad"})
    del o["rome"]
    eq(s.request("PUT", "/v1/offers/o-jt", o)[0], 201, "an offer with a job title")
    st, _, body = search(s, q="aide domicile")
    check("o-jt" in ids(body) and body["text_match"] == "all", "found by its title's label: %r"
          % (body,))
    eq(s.request("DELETE", "/v1/offers/o-jt")[0], 204, "cleanup")
    # a night's full time is 32 h or more (an adviser's probe: "temps partiel"); 32 h by day is not
    day = [{"days": ["mon", "tue", "wed", "thu"], "from": "08:00", "to": "16:00"}]
    for oid, sched, want in [("o-n32", None, "plein"), ("o-d32", day, "partiel")]:
        o = offer(oid, title="Veilleuse qzvk %s" % oid, hours_per_week=32)
        if sched:
            o["schedule"] = sched
        eq(s.request("PUT", "/v1/offers/" + oid, o)[0], 201, "put " + oid)
        st, _, body = search(s, q="qzvk temps " + want)
        eq((st, oid in ids(body), body.get("text_match")), (200, True, "all"), oid + " " + want)
        eq(s.request("DELETE", "/v1/offers/" + oid)[0], 204, "cleanup")


def test_read_your_writes(s):
    o = offer("o-ryw", title="Ergothérapeute zzyzx", rome="J1403")
    eq(s.request("PUT", "/v1/offers/o-ryw", o)[0], 201, "put")
    eq(ids(search(s, q="zzyzx")[2]), ["o-ryw"], "found at once after PUT")
    eq(s.request("PUT", "/v1/offers/o-ryw", offer("o-ryw", title="Ergothérapeute qwxv",
                                                  rome="J1403"))[0], 200, "replace")
    eq(ids(search(s, q="zzyzx")[2]), [], "old text gone after replace")
    eq(ids(search(s, q="qwxv")[2]), ["o-ryw"], "new text found")
    eq(s.request("DELETE", "/v1/offers/o-ryw")[0], 204, "delete")
    eq(ids(search(s, q="qwxv")[2]), [], "gone at once after DELETE")


def check_match_item(item, kind):
    other = "candidate" if kind == "offer" else "offer"
    check(kind in item and other not in item, "item carries %s: %r" % (kind, item))
    eq(set(item.keys()), {kind, "score", "explain", "commute", "barriers", "eligible"},
       "item keys")
    check(0 <= item["score"] <= 100, "score range")
    eq(round(item["score"], 1), item["score"], "score has one decimal")
    eq(set(item["explain"].keys()),
       {"skills", "certifications", "commute", "schedule", "contract", "experience", "text"},
       "explain keys")
    for v in item["explain"].values():
        check(0 <= v <= 1, "explain value in 0..1")
    eq(set(item["commute"].keys()), {"mode", "minutes", "distance_km"}, "commute keys")
    for b in item["barriers"]:
        check(b["kind"] in ("certification", "commute", "driving_licence", "schedule",
                            "childcare", "disability", "vehicle", "hours", "contract",
                            "experience", "apprenticeship"), "barrier kind %r" % b)
        check(isinstance(b["code"], str) and b["code"], "barrier code %r" % b)
        check(isinstance(b["detail_fr"], str) and b["detail_fr"], "barrier detail_fr %r" % b)
        check(isinstance(b["hard"], bool), "barrier hard %r" % b)
    if not item["eligible"]:
        check(any(b["hard"] for b in item["barriers"]), "a near-miss has a hard barrier")
        for l in b["levers"]:
            check(l in ("mobility_aid", "driving_licence_funding", "childcare_aid",
                        "pre_hire_training", "immersion", "workplace_adaptation"), "lever")
    check(isinstance(item["eligible"], bool), "eligible")
    if kind == "offer":
        check({"id", "title", "employer", "location", "contract"} <= set(item["offer"]), "brief")
    else:
        eq(set(item["candidate"]), {"id", "location", "desired_rome", "certifications",
                                    "experience_months"}, "candidate brief")
        check("childcare" not in item["candidate"], "no sensitive field in brief")


def check_ranking(items):
    seen_near_miss = False
    for it in items:
        if not it["eligible"]:
            seen_near_miss = True
        check(not (seen_near_miss and it["eligible"]), "eligible results rank first")


def test_candidate_matches(s):
    st, _, body = s.request("GET", "/v1/candidates/c-1/matches", key="adviser")
    eq(st, 200, "candidate matches")
    check(isinstance(body["results"], list), "results list")
    for it in body["results"]:
        check_match_item(it, "offer")
        check(it["offer"]["id"] != "o-closed", "closed offer never matched")
    check_ranking(body["results"])
    st, _, body = s.request("GET", "/v1/candidates/c-1/matches?limit=1&include_near_misses=false",
                            key="adviser")
    eq(st, 200, "with options")
    check(len(body["results"]) <= 1, "limit")
    check(all(it["eligible"] for it in body["results"]), "no near-miss when excluded")
    # min_score filters: every result at or above it, and nothing above it is lost
    st, _, full = s.request("GET", "/v1/candidates/c-1/matches?limit=200", key="adviser")
    eq(st, 200, "all matches")
    scores = sorted(it["score"] for it in full["results"])
    check(len(scores) >= 2, "enough matches to test min_score: %r" % scores)
    cut = scores[len(scores) // 2]
    st, _, body = s.request("GET", "/v1/candidates/c-1/matches?limit=200&min_score=%s" % cut,
                            key="adviser")
    eq(st, 200, "with min_score")
    check(all(it["score"] >= cut for it in body["results"]), "min_score respected")
    eq(len(body["results"]), sum(1 for x in scores if x >= cut), "nothing above min_score lost")
    expect_error(s.request("GET", "/v1/candidates/c-absent/matches", key="adviser"), 404,
                 "not_found")
    for q, field in (("limit=201", "limit"), ("limit=0", "limit"), ("min_score=101", "min_score"),
                     ("include_near_misses=maybe", "include_near_misses")):
        expect_error(s.request("GET", "/v1/candidates/c-1/matches?" + q, key="adviser"), 400,
                     "invalid_field", field)
    # a number too small for a double is its nearest one, 0 (it was a 400); too big is not
    st, _, tiny = s.request("GET", "/v1/candidates/c-1/matches?limit=200&min_score=1e-400",
                            key="adviser")
    eq(st, 200, "min_score=1e-400")
    eq(len(tiny["results"]), len(scores), "min_score=1e-400 is 0")
    expect_error(s.request("GET", "/v1/candidates/c-1/matches?min_score=1e400", key="adviser"),
                 400, "invalid_field", "min_score")


def test_offer_matches(s):
    st, _, body = s.request("GET", "/v1/offers/o-paris-as/matches?min_score=0", key="adviser")
    eq(st, 200, "offer matches")
    for it in body["results"]:
        check_match_item(it, "candidate")
    check_ranking(body["results"])
    expect_error(s.request("GET", "/v1/offers/o-absent/matches", key="adviser"), 404, "not_found")
    # Only open offers are matched: a closed one is found (200) and matches nobody.
    st, _, body = s.request("GET", "/v1/offers/o-closed/matches?min_score=0", key="adviser")
    eq(st, 200, "closed offer matches")
    eq(body["results"], [], "a closed offer matches nobody")
    eq(body["count"], 0, "count")


def test_profile_match(s):
    prof = candidate("c-1")
    del prof["id"]
    st, _, body = s.request("POST", "/v1/match", prof, key="portal")
    eq(st, 200, "anonymous profile")
    for it in body["results"]:
        check_match_item(it, "offer")
    st, _, body2 = s.request("POST", "/v1/match", candidate("c-1"), key="portal")
    eq(st, 200, "profile with an id")
    expect_error(s.request("GET", "/v1/candidates/anonymous", key="adviser"), 404, "not_found")
    expect_error(s.request("POST", "/v1/match", "{oops", key="portal"), 400, "invalid_json")
    bad = candidate("c-1", location={"lat": 48.8})
    expect_error(s.request("POST", "/v1/match", bad, key="portal"), 422, "missing_field",
                 "location.lon")


def test_events(s):
    ev = {"candidate_id": "c-1", "offer_id": "o-paris-as", "kind": "immersion",
          "at": "2026-11-03T09:00:00Z"}
    st, _, body = s.request("POST", "/v1/events", ev, key="adviser")
    eq(st, 201, "event")
    check(isinstance(body["seq"], int) and body["seq"] > 0, "seq")
    eq((body["candidate_id"], body["offer_id"], body["kind"]), ("c-1", "o-paris-as", "immersion"),
       "echo")
    eq(body["at"], "2026-11-03T09:00:00Z", "at echo")
    st, _, b2 = s.request("POST", "/v1/events", dict(ev, kind="hired"), key="adviser")
    eq(st, 201, "second event")
    check(b2["seq"] > body["seq"], "seq increases")
    expect_error(s.request("POST", "/v1/events", dict(ev, kind="promoted"), key="adviser"), 422,
                 "invalid_field", "kind")
    e2 = dict(ev)
    del e2["kind"]
    expect_error(s.request("POST", "/v1/events", e2, key="adviser"), 422, "missing_field", "kind")
    expect_error(s.request("POST", "/v1/events", dict(ev, at="yesterday"), key="adviser"), 422,
                 "invalid_field", "at")
    expect_error(s.request("POST", "/v1/events", dict(ev, candidate_id="c-nobody"),
                           key="adviser"), 404, "not_found", "candidate_id")
    expect_error(s.request("POST", "/v1/events", "[]", key="adviser"), 400, "invalid_json")


def test_events_parsed_strictly(s):
    """As strictly as records: \\u0000 does not cut a string short (422 naming the field), and
    nothing may follow the JSON object (400 invalid_json)."""
    before = s.request("GET", "/v1/stats", key="adviser")[2]["events_by_kind"]
    ev = '{"candidate_id": "c-1", "offer_id": "o-paris-as", "kind": "immersion", "at": "2026-11-03"}'
    for field, bad in (("candidate_id", '"c-1\\u0000x"'), ("offer_id", '"o-paris-as\\u0000"'),
                       ("kind", '"hired\\u0000"'), ("at", '"2026-11-03\\u0000T09:00:00Z"'),
                       ("candidate_id", '"\\u0000"')):
        doc = json.loads(ev)
        text = ev.replace(json.dumps(doc[field]), bad)
        check(text != ev, "substituted")
        expect_error(s.request("POST", "/v1/events", text, key="adviser"), 422, "invalid_field",
                     field, what="\\u0000 in " + field)
    for tail in ("x", "}", "{}", ' {"kind": "hired"}', "\n[]", "\u00a0", "null"):
        expect_error(s.request("POST", "/v1/events", ev + tail, key="adviser"), 400,
                     "invalid_json", what="trailing %r" % tail)
    expect_error(s.request("POST", "/v1/events", ev[:-1] + "\0}", key="adviser"), 400,
                 "invalid_json", what="raw NUL byte")
    # an offset that would carry the time past year 9999: no ISO date to give back
    text = ev.replace(json.dumps(json.loads(ev)["at"]), '"9999-12-31T23:59:59-23:59"')
    expect_error(s.request("POST", "/v1/events", text, key="adviser"), 422, "invalid_field",
                 "at", what="past year 9999")
    eq(s.request("GET", "/v1/stats", key="adviser")[2]["events_by_kind"], before,
       "no refused event was recorded")
    st, _, body = s.request("POST", "/v1/events", " \t" + ev + " \r\n\n", key="adviser")
    eq(st, 201, "whitespace around the object is fine (%r)" % (body,))
    st, _, body = s.request("POST", "/v1/events", ev.replace('"c-1"', '"c-\\u0031"'),
                            key="adviser")
    eq((st, body.get("candidate_id")), (201, "c-1"), "other escapes still decoded")


def test_stats(s):
    st, _, body = s.request("GET", "/v1/stats", key="adviser")
    eq(st, 200, "stats")
    for k in ("candidates_total", "candidates_active", "offers_total", "offers_open",
              "events_by_kind", "candidates_reached", "share_reached"):
        check(k in body, "stats has " + k)
    check(body["offers_open"] >= 3, "open offers counted: %r" % body)
    eq(body["events_by_kind"]["hired"], 1, "hired events")
    check(body["candidates_reached"] >= 1, "c-1 reached hired")
    st, _, dep = s.request("GET", "/v1/stats?department=69", key="adviser")
    eq(st, 200, "stats by department")
    eq(dep["department"], "69", "department echoed")
    for bad in ("paris", "99", "20", "00", "9A", "2C", "999"):  # as candidate search refuses
        expect_error(s.request("GET", "/v1/stats?department=" + bad, key="adviser"), 400,
                     "invalid_field", "department", what=bad)
    st, _, dep = s.request("GET", "/v1/stats?department=2a", key="adviser")
    eq((st, dep.get("department")), (200, "2A"), "Corse-du-Sud typed in lower case")


def test_unknown_parameters_and_fields_fail_closed(s):
    """A typo is an error naming it, with the closest known name; never a silent default."""
    for path, field, hint in [
            ("/v1/offers/search?lat=48.85&lon=2.35&raduis_km=5", "raduis_km", "radius_km"),
            ("/v1/offers/search?q=aide&perpage=2", "perpage", "per_page"),
            ("/v1/suggest/jobs?q=aide&limt=2", "limt", "limit"),
            ("/v1/offers/search?q=aide&zzzz=1", "zzzz", None)]:
        r = s.request("GET", path, key="portal")
        expect_error(r, 400, "invalid_field", field, what=path)
        msg = r[2]["error"]["message"]
        check((hint is None) == ("did you mean" not in msg), "%s: %r" % (path, msg))
        if hint:
            check('"%s"' % hint in msg, "%s: hint in %r" % (path, msg))
    expect_error(s.request("GET", "/v1/offers/search?page=1&page=2", key="portal"), 400,
                 "invalid_field", "page")
    st, _, _ = s.request("GET", "/v1/offers/search?rome=J1501&rome=K1302", key="portal")
    eq(st, 200, "repeatable rome")
    # an empty filter (a script's unset variable) is refused, not read as "no filter"
    for path, field, key in [("/v1/offers/search?rome=", "rome", "portal"),
                             ("/v1/offers/search?q=aide&contract=,", "contract", "portal"),
                             ("/v1/candidates/search?certification=", "certification", "adviser"),
                             ("/v1/candidates/search?mode=%20", "mode", "adviser")]:
        expect_error(s.request("GET", path, key=key), 400, "invalid_field", field, what=path)
    expect_error(s.request("GET", "/v1/offers/nope?pretty=1", key="portal"), 400,
                 "invalid_field", "pretty")
    eq(s.request("GET", "/healthz?ts=123")[0], 200, "probes take anything")
    r = s.request("POST", "/v1/match?limit=1",
                  {"location": {"lat": 48.85, "lon": 2.35}, "desired_romes": ["J1501"]},
                  key="portal")
    expect_error(r, 422, "invalid_field", "desired_romes")
    check('"desired_rome"' in r[2]["error"]["message"], "hint %r" % r[2])
    r = s.request("POST", "/v1/events", {"candidat_id": "x", "kind": "hired"}, key="adviser")
    expect_error(r, 422, "invalid_field", "candidat_id")
    check('"candidate_id"' in r[2]["error"]["message"], "event hint %r" % r[2])


def test_facets_past_exact_counting(s):
    """Past 10,000 matches (no radius) the total is Xapian's estimate; facet counts follow it,
    on any page (a probe: 10,000 of 12,000 on page 1, 12,000 on page 120). Runs last: it adds
    12,000 offers."""
    n = 12000
    lines = [json.dumps(offer("fc-%05d" % i, title="Facetmot soignant", rome="J1501",
                              description="facetmot", contract="CDI" if i % 4 else "CDD"))
             for i in range(n)]
    st, _, res = s.request("POST", "/v1/offers/_bulk", "\n".join(lines) + "\n",
                           ctype="application/x-ndjson")
    eq((st, res.get("accepted")), (200, n), "bulk of %d offers" % n)
    for page in (1, 120):
        st, _, body = search(s, q="facetmot", facets="rome,contract", per_page=100, page=page)
        eq(st, 200, "page %d" % page)
        total = body["total"]
        check(abs(total - n) <= n // 50, "page %d: total %d" % (page, total))
        rome = body["facets"]["rome"].get("J1501", 0)
        contract = body["facets"]["contract"]
        check(abs(rome - total) <= total // 100,
              "page %d: rome facet %d against total %d" % (page, rome, total))
        check(abs(sum(contract.values()) - total) <= total // 100,
              "page %d: contract facets %r against total %d" % (page, contract, total))
        check(abs(contract.get("CDI", 0) - 3 * n // 4) <= n // 20, "CDI %r" % contract)


if __name__ == "__main__":
    cmtest.run_module(globals(), "search")
