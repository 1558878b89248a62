"""Candidate search for advisers (GET /v1/candidates/search): every filter, paging, order by
distance, scopes (403 for portal), strict parameters (400), the audit trail, and no field
beyond what GET /v1/candidates/{id} shows the same key."""
import os
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cmtest
from cmtest import check, eq, expect_error, candidate

SAINT_DENIS = {"lat": 48.9362, "lon": 2.3574, "postcode": "93200"}
BOBIGNY = {"lat": 48.9077, "lon": 2.4397, "postcode": "93000"}
MONTREUIL = {"lat": 48.8638, "lon": 2.4485, "postcode": "93100"}
PARIS11 = {"lat": 48.8589, "lon": 2.3800, "postcode": "75011"}
LYON = {"lat": 45.7640, "lon": 4.8357, "postcode": "69003"}
CRETEIL = {"lat": 48.7904, "lon": 2.4556, "postcode": "94000"}
AIDE_SOIGNANT = 10891  # OGR code of "Aide-soignant / Aide-soignante", ROME J1501


def win(days, frm, to):
    return {"days": days, "from": frm, "to": to}


def seed_records(other_j1501_title):
    return [
        # the daily question's answer: 93, DEAES, open to immersion, nights (Mon-Thu)
        candidate("cs-1", location=SAINT_DENIS, desired_rome=["K1306"], certifications=["DEAES"],
                  availability=[win(["mon", "tue", "wed", "thu"], "21:00", "06:00")]),
        # DEAVS counts as DEAES; days only
        candidate("cs-2", location=BOBIGNY, desired_rome=["K1306"], certifications=["DEAVS"],
                  availability=[win(["mon", "tue", "wed", "thu", "fri"], "08:30", "16:30")]),
        # no availability: available at any time; not open to immersion; drives
        candidate("cs-3", location=MONTREUIL, desired_rome=["K1306"], certifications=["DEAES"],
                  open_to_immersion=False, availability=[],
                  mobility={"modes": ["car"], "max_minutes": 45, "driving_licence": True,
                            "vehicle": True}),
        # wants the aide-soignant title by name; weekends; open to training
        candidate("cs-4", location=SAINT_DENIS, desired_rome=[],
                  desired_job_titles=[AIDE_SOIGNANT], certifications=["DEAS"],
                  open_to_training=True, availability=[win(["sat", "sun"], "07:00", "19:00")]),
        # wants the whole J1501 code (no title named)
        candidate("cs-5", location=PARIS11, desired_rome=["J1501"], certifications=["DEAES"],
                  availability=[win(["mon"], "22:00", "06:00")]),
        candidate("cs-6", location=LYON, desired_rome=["K1306"], certifications=["DEAES"],
                  availability=[win(["mon"], "21:00", "23:00")]),
        # would answer everything, but is not active
        candidate("cs-7", location=SAINT_DENIS, desired_rome=["K1306"], certifications=["DEAES"],
                  status="inactive", availability=[]),
        # another title of J1501: not the aide-soignant one
        candidate("cs-8", location=CRETEIL, desired_rome=[],
                  desired_job_titles=[other_j1501_title], certifications=[],
                  availability=[win(["mon", "tue", "wed", "thu", "fri"], "09:00", "17:00")]),
    ]


def search(s, key="adviser", **params):
    qs = urllib.parse.urlencode(params, doseq=True)
    return s.request("GET", "/v1/candidates/search?" + qs, key=key)


def ids(s, **params):
    st, _, body = search(s, **params)
    eq(st, 200, "search %r: %r" % (params, body))
    return [r["candidate"]["id"] for r in body["results"]]


def test_seed(s):
    st, _, sug = s.request("GET", "/v1/suggest/jobs?q=aide-soignant&limit=50", key="portal")
    eq(st, 200, "suggest")
    others = [x["ogr"] for x in sug["suggestions"]
              if x["rome"] == "J1501" and x["ogr"] != AIDE_SOIGNANT]
    check(others, "another J1501 title: %r" % sug)
    for c in seed_records(others[0]):
        st, _, body = s.request("PUT", "/v1/candidates/" + c["id"], c)
        eq(st, 201, "seed %s: %r" % (c["id"], body))


def test_the_daily_question(s):
    eq(ids(s, department="93", certification="DEAES", open_to_immersion="true",
           available="night"), ["cs-1"], "who in 93 holds the DEAES, immersion, nights")


def test_shape_and_order_by_id(s):
    st, _, body = search(s)
    eq(st, 200, "all")
    eq(set(body), {"total", "page", "per_page", "results"}, "keys")
    eq((body["total"], body["page"], body["per_page"]), (7, 1, 20), "every active one")
    got = [r["candidate"]["id"] for r in body["results"]]
    eq(got, ["cs-1", "cs-2", "cs-3", "cs-4", "cs-5", "cs-6", "cs-8"], "by id, inactive left out")
    check(all(set(r) == {"candidate"} for r in body["results"]), "no distance without centre")


def test_codes_titles_certifications(s):
    eq(ids(s, rome="K1306"), ["cs-1", "cs-2", "cs-3", "cs-6"], "rome")
    eq(ids(s, rome=["J1501", "K1306"]), ["cs-1", "cs-2", "cs-3", "cs-4", "cs-5", "cs-6", "cs-8"],
       "rome repeatable, ORed (titles' codes join desired_rome)")
    eq(ids(s, rome="J1501,K1306", department="93"), ["cs-1", "cs-2", "cs-3", "cs-4"],
       "comma list, with department")
    eq(ids(s, job_title=str(AIDE_SOIGNANT)), ["cs-4", "cs-5"],
       "job_title: named, or the whole code wanted; another title of the code is not it")
    eq(ids(s, job_title="aide-soignante"), ["cs-4", "cs-5"], "job_title by label")
    eq(ids(s, job_title="aides soignantes"), ["cs-4", "cs-5"], "job_title as typed, as records")
    eq(ids(s, certification="DEAES", department="93"), ["cs-1", "cs-2", "cs-3"],
       "certification (DEAVS counts as DEAES)")
    eq(ids(s, certification="de aes", department="93"), ["cs-1", "cs-2", "cs-3"],
       "certification spelled loosely")
    eq(ids(s, certification=["DEAS", "DEAVS"], rome="J1501"), ["cs-4", "cs-5"],
       "certifications ORed")
    eq(ids(s, certification="CAPAEPE"), [], "nobody holds it")


def test_availability(s):
    eq(ids(s, available="night"), ["cs-1", "cs-3", "cs-5", "cs-6"],
       "night: some availability 21:00-06:00 (none given = any time)")
    eq(ids(s, available="weekend"), ["cs-3", "cs-4"], "weekend")
    eq(ids(s, available="sat"), ["cs-3", "cs-4"], "a day")
    eq(ids(s, available="mon 21:00-23:00"), ["cs-1", "cs-3", "cs-6"],
       "a whole window (cs-5 starts at 22:00)")
    eq(ids(s, available="sat,sun 08:00-12:00"), ["cs-3", "cs-4"], "days and a window")
    eq(ids(s, available="mon-fri 09:00-16:00"), ["cs-2", "cs-3", "cs-8"], "a range of days")
    eq(ids(s, available=["night", "weekend"]), ["cs-3"], "needs are all met (AND)")
    eq(ids(s, available="tue 05:00-06:00"), ["cs-1", "cs-3", "cs-5"],
       "a window past midnight lands on the next day")


def test_openness_and_mobility(s):
    eq(ids(s, open_to_immersion="false"), ["cs-3"], "open_to_immersion false")
    eq(ids(s, open_to_training="true"), ["cs-4"], "open_to_training")
    eq(ids(s, driving_licence="true"), ["cs-3"], "driving_licence")
    eq(ids(s, vehicle="1"), ["cs-3"], "vehicle")
    eq(ids(s, mode="car"), ["cs-3"], "mode")
    eq(ids(s, mode=["car", "walk"], department="93"), ["cs-1", "cs-2", "cs-3", "cs-4"],
       "modes ORed")
    eq(ids(s, mode="moped"), [], "a moped: nobody rides one here")
    st, _, body = search(s, mode="scooter")
    eq((st, body["error"]["field"]), (400, "mode"), "an unknown mode")


def test_distance(s):
    st, _, body = search(s, lat=SAINT_DENIS["lat"], lon=SAINT_DENIS["lon"], radius_km=10)
    eq(st, 200, "radius")
    got = [(r["candidate"]["id"], r["distance_km"]) for r in body["results"]]
    eq([g[0] for g in got], ["cs-1", "cs-4", "cs-2", "cs-5"], "nearest first, ties by id")
    eq(body["total"], 4, "total within the radius")
    check(got[0][1] == 0 and 6 < got[2][1] < 8 and 8 < got[3][1] < 10, "distances %r" % got)
    st, _, body = search(s, lat=SAINT_DENIS["lat"], lon=SAINT_DENIS["lon"])
    eq([r["candidate"]["id"] for r in body["results"]][-1], "cs-6", "no radius: Lyon last")
    eq(body["total"], 7, "no radius: everyone, by distance")
    st, _, body = search(s, postcode="93200", radius_km=5)
    eq(st, 200, "postcode centre")
    eq([r["candidate"]["id"] for r in body["results"]], ["cs-1", "cs-4"], "near Saint-Denis")
    eq(body["center"]["commune"], "93066", "placed at Saint-Denis")
    eq(ids(s, commune="69383", radius_km=20), ["cs-6"], "commune centre (Lyon 3e)")


def test_paging(s):
    pages = []
    for p in (1, 2, 3):
        st, _, body = search(s, department="93", per_page=2, page=p)
        eq(st, 200, "page %d" % p)
        eq((body["total"], body["page"], body["per_page"]), (4, p, 2), "page %d header" % p)
        pages.append([r["candidate"]["id"] for r in body["results"]])
    eq(pages, [["cs-1", "cs-2"], ["cs-3", "cs-4"], []], "stable pages by id")
    st, _, body = search(s, lat=48.9, lon=2.4, per_page=3, page=2)
    st1, _, first = search(s, lat=48.9, lon=2.4, per_page=6)
    eq([r["candidate"]["id"] for r in body["results"]],
       [r["candidate"]["id"] for r in first["results"]][3:6], "distance pages")


def test_scopes(s):
    expect_error(search(s, key="portal", department="93"), 403, "forbidden")
    expect_error(search(s, key=None), 401, "unauthorized")
    st, _, body = search(s, key="admin", department="93")
    eq((st, body["total"]), (200, 4), "admin may search")


def test_bad_parameters(s):
    expect_error(search(s, radius=5), 400, "invalid_field", "radius")
    r = search(s, departement="93")
    expect_error(r, 400, "invalid_field", "departement")
    check('"department"' in r[2]["error"]["message"], "hint: %r" % (r[2],))
    expect_error(s.request("GET", "/v1/candidates/search?department=93&department=94",
                           key="adviser"), 400, "invalid_field", "department")
    for params, field in (({"available": "noon"}, "available"),
                          ({"available": "mon 9:00-12:00"}, "available"),
                          ({"available": "mon 10:00-10:00"}, "available"),
                          ({"rome": "X9999"}, "rome"), ({"job_title": "99999999"}, "job_title"),
                          ({"job_title": "xyzzy lunaire"}, "job_title"),
                          ({"job_title": "aide-soign"}, "job_title"),
                          ({"certification": "--"}, "certification"),
                          ({"department": "100"}, "department"),
                          ({"department": "20"}, "department"),
                          ({"mode": "plane"}, "mode"), ({"radius_km": "5"}, "radius_km"),
                          ({"lat": "48.9"}, "lon"),
                          ({"open_to_immersion": "maybe"}, "open_to_immersion"),
                          ({"per_page": "101"}, "per_page"), ({"page": "0"}, "page"),
                          ({"postcode": "00000"}, "postcode")):
        expect_error(search(s, **params), 400, "invalid_field", field, what=repr(params))


def audit_of(s, cid):
    st, _, body = s.request("GET", "/v1/audit?limit=1000&candidate_id=" + cid)
    eq(st, 200, "audit")
    return [e for e in body["entries"] if e["action"] == "listed_in_search"]


def test_audit(s):
    before = {c: len(audit_of(s, c)) for c in ("cs-1", "cs-2", "cs-3", "cs-6")}
    st, _, body = search(s, department="93", certification="DEAES", per_page=2)
    eq([r["candidate"]["id"] for r in body["results"]], ["cs-1", "cs-2"], "page")
    for c, n in (("cs-1", 1), ("cs-2", 1), ("cs-3", 0), ("cs-6", 0)):
        got = audit_of(s, c)
        eq(len(got) - before[c], n, "audit entries of %s (only the page is read)" % c)
        if n:
            eq(got[-1]["key_name"], "adviser-1", "who read")
    search(s, certification="CAPAEPE")  # nothing shown, nothing audited
    eq(len(audit_of(s, "cs-3")), before["cs-3"], "no entry for a candidate not shown")


def test_no_field_beyond_get(s):
    for key in ("adviser", "admin"):
        st, _, body = search(s, key=key, department="93")
        eq(st, 200, key)
        for r in body["results"]:
            c = r["candidate"]
            st, _, rec = s.request("GET", "/v1/candidates/" + c["id"], key=key)
            eq(st, 200, "get " + c["id"])
            eq(c, rec, "%s sees in search exactly what GET shows (%s)" % (key, c["id"]))


def test_writes_visible_at_once(s):
    eq(ids(s, department="93", certification="DEAES", available="night",
           open_to_immersion="true"), ["cs-1"], "before")
    c = candidate("cs-9", location=BOBIGNY, desired_rome=["K1306"], certifications=["DEAES"],
                  availability=[win(["fri"], "22:00", "23:30")])
    eq(s.request("PUT", "/v1/candidates/cs-9", c)[0], 201, "put")
    eq(ids(s, department="93", certification="DEAES", available="night",
           open_to_immersion="true"), ["cs-1", "cs-9"], "a new candidate is found at once")
    eq(s.request("PUT", "/v1/candidates/cs-9", dict(c, status="hired"))[0], 200, "hired")
    eq(ids(s, department="93", certification="DEAES", available="night",
           open_to_immersion="true"), ["cs-1"], "no longer active: no longer listed")
    eq(s.request("DELETE", "/v1/candidates/cs-1")[0], 204, "erase")
    eq(ids(s, department="93", certification="DEAES", available="night",
           open_to_immersion="true"), [], "erased: gone")


if __name__ == "__main__":
    cmtest.run_module(globals(), "candsearch")
