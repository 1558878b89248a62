"""ROME 4.0, job titles and French places over HTTP (docs/API.md): records placed by postcode
and typed by a job title, ROME 4.0 validation and v3 translation, the suggestion endpoints, a
search centred on a postcode or commune, and the neighbours parameter of the match endpoints."""
import os
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cmtest
from cmtest import check, eq, expect_error, offer, candidate

PARIS11 = {"lat": 48.859415, "lon": 2.378741}  # La Poste's reference point of 75111


def get(s, path, key="portal", **params):
    qs = urllib.parse.urlencode(params, doseq=True)
    return s.request("GET", path + ("?" + qs if qs else ""), key=key)


def ids(body):
    return [r["offer"]["id"] for r in body["results"]]


def test_offer_placed_by_postcode_typed_by_job_title(s):
    o = offer("r-paris11", job_title="aide-soignante", location={"postcode": "75011"})
    del o["rome"]
    st, _, body = s.request("PUT", "/v1/offers/r-paris11", o)
    eq(st, 201, "created (%r)" % (body,))
    eq(body["rome"], "J1501", "rome from the job title")
    eq(body["job_title"]["ogr"], 10891, "job title OGR code")
    eq(body["job_title"]["rome"], "J1501", "job title code")
    check(body["job_title"]["label"].startswith("Aide-soignant"), "job title label")
    loc = body["location"]
    eq((loc["postcode"], loc["commune"], loc["precision"], loc["placed_by"]),
       ("75011", "75111", "commune", "postcode"), "placed location")
    eq(loc["city"], "Paris 11e Arrondissement", "city from the commune")
    check(abs(loc["lat"] - PARIS11["lat"]) < 1e-5 and abs(loc["lon"] - PARIS11["lon"]) < 1e-5,
          "at the commune's reference point: %r" % (loc,))
    # the stored record reads back the same
    st, _, again = s.request("GET", "/v1/offers/r-paris11", key="portal")
    eq((st, again["location"]), (200, loc), "read back")
    # the echoed job title goes back as it came; a label or code it does not have fails closed
    back = {k: v for k, v in again.items() if k != "version"}
    eq(s.request("PUT", "/v1/offers/r-paris11", back)[0], 200, "the echo written back")
    jt = back["job_title"]
    expect_error(s.request("PUT", "/v1/offers/r-paris11", dict(back, job_title=dict(
        jt, rome="K1302"))), 422, "invalid_field", "job_title.rome", "another code")
    expect_error(s.request("PUT", "/v1/offers/r-paris11", dict(back, job_title=dict(
        jt, label="Infirmier"))), 422, "invalid_field", "job_title.label", "another label")
    eq(s.request("GET", "/v1/offers/r-paris11", key="portal")[2]["version"],
       again["version"] + 1, "the refused writes stored nothing")
    # a record with coordinates says nothing of precision
    st, _, body = s.request("PUT", "/v1/offers/r-lyon", offer(
        "r-lyon", location={"lat": 45.7640, "lon": 4.8357, "city": "Lyon", "postcode": "69003"}))
    eq(st, 201, "lyon offer")
    check("precision" not in body["location"] and "placed_by" not in body["location"],
          "given coordinates are not 'placed'")


def test_shared_postcode_and_commune_code(s):
    o = offer("r-senlis", location={"postcode": "60300"})
    st, _, body = s.request("PUT", "/v1/offers/r-senlis", o)
    eq(st, 201, "created")
    eq((body["location"]["commune"], body["location"]["placed_by"]), ("60612", "postcode_default"),
       "shared postcode without city: the largest commune (Senlis)")
    o = offer("r-apremont", location={"postcode": "60300", "city": "Apremont"})
    st, _, body = s.request("PUT", "/v1/offers/r-apremont", o)
    eq((st, body["location"]["commune"], body["location"]["placed_by"]),
       (201, "60022", "postcode_and_city"), "the named city")
    o = offer("r-commune", location={"commune": "69383"})
    st, _, body = s.request("PUT", "/v1/offers/r-commune", o)
    eq((st, body["location"]["commune"], body["location"]["placed_by"]),
       (201, "69383", "commune"), "placed by commune code")
    # placed by its commune alone, a record counts in that commune's département
    c = candidate("r-cand-commune", location={"commune": "2A004"})  # Ajaccio, no postcode
    eq(s.request("PUT", "/v1/candidates/r-cand-commune", c)[0], 201, "candidate by commune")
    st, _, found = s.request("GET", "/v1/candidates/search?department=2A", key="adviser")
    eq((st, [r["candidate"]["id"] for r in found["results"]]), (200, ["r-cand-commune"]),
       "candidate search by the commune's département")
    eq(s.request("DELETE", "/v1/candidates/r-cand-commune")[0], 204, "cleanup candidate")

    def in_69():
        st, _, body = s.request("GET", "/v1/offers/search?facets=department", key="portal")
        eq(st, 200, "facets")
        return body["facets"]["department"].get("69", 0)
    with_it = in_69()
    for oid in ("r-senlis", "r-apremont", "r-commune"):
        eq(s.request("DELETE", "/v1/offers/" + oid)[0], 204, "cleanup " + oid)
    eq(in_69(), with_it - 1, "the offer placed by its Lyon commune was counted in 69")


def test_record_errors(s):
    expect_error(s.request("PUT", "/v1/offers/r-bad", offer("r-bad", rome="J9999")), 422,
                 "invalid_field", "rome", "unknown ROME 4.0 code")
    expect_error(s.request("PUT", "/v1/offers/r-bad", offer("r-bad", location={
        "postcode": "00000"})), 422, "invalid_field", "location.postcode", "unknown postcode")
    expect_error(s.request("PUT", "/v1/offers/r-bad", offer("r-bad", location={
        "commune": "99999"})), 422, "invalid_field", "location.commune", "unknown commune")
    expect_error(s.request("PUT", "/v1/candidates/r-c-bad", candidate(
        "r-c-bad", desired_rome=["K9999"])), 422, "invalid_field", "desired_rome[0]",
        "unknown desired code")
    expect_error(s.request("PUT", "/v1/offers/r-bad", offer("r-bad", job_title="zzz qqq")), 422,
                 "invalid_field", "job_title", "unknown job title")
    eq(s.request("GET", "/v1/offers/r-bad", key="portal")[0], 404, "nothing stored")


def test_candidate_rome_v3(s):
    c = candidate("r-c-v3", rome_version="v3", desired_rome=["K1302"])
    st, _, body = s.request("PUT", "/v1/candidates/r-c-v3", c)
    eq(st, 201, "created (%r)" % (body,))
    check("K1311" in body["desired_rome"], "v3 K1302 became K1311: %r" % body["desired_rome"])
    check("K1302" not in body["desired_rome"] or len(body["desired_rome"]) > 1,
          "translated, not kept as is")
    check("rome_version" not in body, "the echo speaks 4.0 only")
    c = candidate("r-c-titles", desired_rome=[], desired_job_titles=["AES", 10891])
    st, _, body = s.request("PUT", "/v1/candidates/r-c-titles", c)
    eq(st, 201, "job titles (%r)" % (body,))
    eq(sorted(body["desired_rome"]), ["J1501", "K1306"], "codes of the titles")
    eq([t["ogr"] for t in body["desired_job_titles"]][1], 10891, "titles echoed")


def test_suggest_jobs(s):
    def first(q, **kw):
        st, _, body = get(s, "/v1/suggest/jobs", q=q, **kw)
        eq(st, 200, "suggest %r" % q)
        check(body["suggestions"], "suggestions for %r" % q)
        return body["suggestions"]
    sg = first("aide soignante")
    eq(sg[0]["rome"], "J1501", "aide soignante")
    eq(set(sg[0]), {"title", "ogr", "rome", "rome_label", "match"}, "shape")
    eq((sg[0]["ogr"], sg[0]["match"]), (10891, "exact"), "the title itself")
    sg = first("AES")
    eq((sg[0]["rome"], sg[0]["match"]), ("K1306", "acronym"), "AES")
    sg = first("infirmiere")
    check(all(x["title"].lower().startswith("infirmi") for x in sg[:3]), "infirmiere: %r" % sg)
    eq(sg[0]["rome"], "J1506", "infirmière en soins généraux first")
    eq(first("auxiliaire de puer")[0]["rome"], "J1304", "auxiliaire de puériculture")
    eq(len(first("aide", limit=3)), 3, "limit")
    eq(len(first("aide")), 10, "default limit")
    st, _, body = get(s, "/v1/suggest/jobs", q="zzzqqq")
    eq((st, body), (200, {"suggestions": []}), "nothing found")


def test_suggest_communes(s):
    st, _, body = get(s, "/v1/suggest/communes", q="75011")
    eq(st, 200, "75011")
    c = body["suggestions"][0]
    eq(set(c), {"commune", "name", "postcode", "department", "lat", "lon"}, "shape")
    eq((c["commune"], c["name"], c["postcode"], c["department"]),
       ("75111", "Paris 11e Arrondissement", "75011", "75"), "Paris 11e")
    eq((c["lat"], c["lon"]), (PARIS11["lat"], PARIS11["lon"]), "reference point")
    st, _, body = get(s, "/v1/suggest/communes", q="saint-den", limit=5)
    eq(st, 200, "saint-den")
    names = {(x["name"], x["commune"]) for x in body["suggestions"]}
    check({("Saint-Denis", "93066"), ("Saint-Denis", "97411")} <= names, "Saint-Denis: %r" % names)
    check(len(body["suggestions"]) <= 5, "limit")


def test_suggest_errors_and_scopes(s):
    for path in ("/v1/suggest/jobs", "/v1/suggest/communes"):
        expect_error(get(s, path), 400, "missing_field", "q", path + " without q")
        expect_error(get(s, path, q=""), 400, "invalid_field", "q", path + " empty q")
        expect_error(get(s, path, q="a", limit=0), 400, "invalid_field", "limit", "limit 0")
        expect_error(get(s, path, q="a", limit=101), 400, "invalid_field", "limit", "limit 101")
        expect_error(get(s, path, key=None, q="aide"), 401, "unauthorized", what="no key")
        for who in ("portal", "adviser", "admin"):
            eq(get(s, path, key=who, q="75")[0], 200, path + " as " + who)
        expect_error(s.request("POST", path + "?q=a", {}), 405, "method_not_allowed")


def search(s, **params):
    return get(s, "/v1/offers/search", **params)


def test_search_around_a_postcode(s):
    st, _, body = search(s, postcode="75011", radius_km=5)
    eq(st, 200, "search (%r)" % (body,))
    check("r-paris11" in ids(body) and "r-lyon" not in ids(body), "Paris not Lyon: %r" % ids(body))
    eq(body["center"], {"lat": PARIS11["lat"], "lon": PARIS11["lon"], "commune": "75111",
                        "precision": "commune", "placed_by": "postcode"}, "center")
    for r in body["results"]:
        check(0 <= r["distance_km"] <= 5, "distance within the radius: %r" % r)
    st, _, body = search(s, commune="69383", radius_km=5, sort="distance")
    eq(st, 200, "by commune")
    eq(ids(body), ["r-lyon"], "Lyon only")
    eq((body["center"]["commune"], body["center"]["placed_by"]), ("69383", "commune"), "center")
    st, _, body = search(s, postcode="60300", city="Apremont")
    eq((st, body["center"]["commune"], body["center"]["placed_by"]),
       (200, "60022", "postcode_and_city"), "shared postcode with city")
    check(all("distance_km" in r for r in body["results"]), "distances from the placed centre")
    # lat and lon win over a place (which is then not even looked at)
    st, _, body = search(s, lat=45.764, lon=4.8357, radius_km=5, postcode="99999")
    eq(st, 200, "lat/lon win")
    check("center" not in body, "no center block with coordinates")
    eq(ids(body), ["r-lyon"], "around the coordinates")
    st, _, body = search(s, rome="J1501")
    check("center" not in body and body["results"], "no centre, no center block")


def test_search_place_errors(s):
    expect_error(search(s, postcode="99999"), 400, "invalid_field", "postcode", "unknown postcode")
    expect_error(search(s, postcode="7501"), 400, "invalid_field", "postcode", "malformed")
    expect_error(search(s, commune="99999"), 400, "invalid_field", "commune", "unknown commune")
    expect_error(search(s, city="Paris"), 400, "invalid_field", "city", "city alone")
    expect_error(search(s, radius_km=5), 400, "invalid_field", "radius_km", "radius alone")
    expect_error(search(s, rome="K9999"), 400, "invalid_field", "rome", "not ROME 4.0")
    expect_error(search(s, rome=["J1501", "X0000"]), 400, "invalid_field", "rome", "one bad code")
    eq(search(s, rome="K1311")[0], 200, "a 4.0 code")


def check_matches(body, what):
    check(isinstance(body.get("results"), list), what + ": results")
    for r in body["results"]:
        check({"score", "explain", "commute", "barriers", "eligible"} <= set(r), what + ": keys")
        nb = r.get("neighbour")
        if nb is not None:
            eq(set(nb), {"code", "of", "kind", "rank"}, what + ": neighbour keys")
            check(nb["kind"] in ("mobility", "sibling", "reverse") and nb["rank"] >= 1,
                  what + ": neighbour %r" % nb)
            check(nb["code"] != nb["of"], what + ": a neighbour is another code")


def test_matches_neighbours_parameter(s):
    c = candidate("r-c-avf", desired_rome=["K1311"], certifications=[],
                  location={"postcode": "75011"}, availability=[])
    eq(s.request("PUT", "/v1/candidates/r-c-avf", c)[0], 201, "candidate placed by postcode")
    eq(s.request("PUT", "/v1/offers/r-k1302", offer(
        "r-k1302", rome="K1302", title="Auxiliaire de vie sociale", certifications=[],
        location={"postcode": "75011"}))[0], 201, "an offer of a neighbouring code")
    calls = [("GET", "/v1/candidates/r-c-avf/matches", None, "adviser"),
             ("POST", "/v1/match", candidate("anon", desired_rome=["K1311"]), "portal"),
             ("GET", "/v1/offers/r-k1302/matches", None, "adviser")]
    for method, path, body, key in calls:
        for flag in ("true", "false"):
            st, _, res = s.request(method, path + "?neighbours=" + flag, body, key=key)
            eq(st, 200, "%s %s neighbours=%s (%r)" % (method, path, flag, res))
            check_matches(res, path)
            if flag == "false":
                check(all("neighbour" not in r for r in res["results"]),
                      path + ": no neighbour block without the parameter")
        expect_error(s.request(method, path + "?neighbours=perhaps", body, key=key), 400,
                     "invalid_field", "neighbours", path)


def test_whole_city_codes(s):
    """France Travail names Paris, Lyon and Marseille by the whole city's code (75056, 69123,
    13055), which the referential (arrondissements) does not hold: its centre, or the
    arrondissement its postcode names."""
    for cid, loc, want in (("r-c-paris", {"commune": "75056"}, "75104"),
                           ("r-c-paris15", {"commune": "75056", "postcode": "75015"}, "75115"),
                           ("r-c-lyon", {"commune": "69123"}, "69382"),
                           ("r-c-marseille", {"commune": "13055", "postcode": "13013"}, "13213")):
        st, _, body = s.request("PUT", "/v1/candidates/" + cid, candidate(cid, location=loc))
        eq(st, 201, "%s placed (%r)" % (cid, body))
        eq((body["location"]["commune"], body["location"]["placed_by"]), (want, "commune"), cid)
        eq(s.request("DELETE", "/v1/candidates/" + cid)[0], 204, "cleanup " + cid)
    # a postcode that is not the commune's is refused: one of the two is a typo, and the record
    # was placed by the commune and counted in the postcode's département (probe)
    for loc in ({"commune": "75056", "postcode": "69003"}, {"commune": "75111", "postcode": "69003"}):
        expect_error(s.request("PUT", "/v1/candidates/r-c-bad-cp", candidate(
            "r-c-bad-cp", location=loc)), 422, "invalid_field", "location.postcode", repr(loc))
    eq(s.request("GET", "/v1/candidates/r-c-bad-cp", key="adviser")[0], 404, "nothing stored")
    st, _, body = s.request("PUT", "/v1/candidates/r-c-cp", candidate(
        "r-c-cp", location={"commune": "75111", "postcode": "75011"}))
    eq((st, body["location"]["commune"]), (201, "75111"), "a commune and its own postcode")
    eq(s.request("DELETE", "/v1/candidates/r-c-cp")[0], 204, "cleanup")
    expect_error(search(s, commune="75111", postcode="69003"), 400, "invalid_field", "postcode",
                 "a search centre")
    st, _, body = s.request("PUT", "/v1/offers/r-paris-whole", offer(
        "r-paris-whole", location={"commune": "75056", "lat": 48.8566, "lon": 2.3522}))
    eq((st, body["location"]["commune"]), (201, "75104"), "with coordinates too")
    eq(s.request("DELETE", "/v1/offers/r-paris-whole")[0], 204, "cleanup")
    st, _, body = search(s, commune="75056", radius_km=10)
    eq((st, body["center"]["commune"]), (200, "75104"), "a search around the whole city")
    check("r-paris11" in ids(body), "Paris 11e is within 10 km of the centre")
    expect_error(search(s, commune="75057"), 400, "invalid_field", "commune", "not a city code")


def test_diplomas_as_cvs_and_barriers_name_them(s):
    c = candidate("r-c-bep", certifications=["BEP CSS", "bep assp", "Bac ASSP"])
    st, _, body = s.request("PUT", "/v1/candidates/r-c-bep", c)
    eq((st, body.get("certifications")), (201, ["BEP_CSS", "BEP_ASSP", "BAC_PRO_ASSP"]),
       "former BEPs and the bac pro as CVs write them (%r)" % (body,))
    eq(s.request("DELETE", "/v1/candidates/r-c-bep")[0], 204, "cleanup")
    # a missing diploma is named by the code the offer stores, not a squeezed key
    o = offer("r-advf", rome="K1302", title="Assistant de vie", location={"postcode": "75011"},
              schedule=[], certifications=[{"code": "TP ADVF", "required": True},
                                           {"code": "CAP AEPE", "required": True, "group": 2},
                                           {"code": "BAC_PRO_ASSP", "group": 2}])
    st, _, body = s.request("PUT", "/v1/offers/r-advf", o)
    eq((st, [x["code"] for x in body["certifications"]]),
       (201, ["TP_ADVF", "CAP_AEPE", "BAC_PRO_ASSP"]), "stored codes")
    st, _, res = s.request("POST", "/v1/match", candidate(
        "anon", desired_rome=["K1302"], certifications=[], availability=[],
        location={"postcode": "75011"}), key="portal")
    eq(st, 200, "match (%r)" % (res,))
    mine = [r for r in res["results"] if r["offer"]["id"] == "r-advf"]
    eq(len(mine), 1, "the offer is ranked")
    certs = [b for b in mine[0]["barriers"] if b["kind"] == "certification"]
    eq(len(certs), 1, "one certification barrier: %r" % mine[0]["barriers"])
    eq(certs[0].get("missing"), ["TP_ADVF", "CAP_AEPE/BAC_PRO_ASSP"], "missing, as stored")
    check("TP_ADVF" in certs[0].get("detail_fr", certs[0].get("detail", "")) or
          "TP_ADVF" in certs[0].get("detail", ""), "the sentence names it: %r" % certs[0])
    eq(s.request("DELETE", "/v1/offers/r-advf")[0], 204, "cleanup")


def test_france_travail_competences_meet_a_candidates_words(s):
    """Offers name competences with ROME 4.0's sentences; a candidate lists her own words."""
    # no training nor immersion offered: the skills as words alone (skills_to_learn apart)
    o = offer("r-k1311-ft", rome="K1311", title="Auxiliaire de vie", certifications=[],
              schedule=[], location={"postcode": "75011"}, pre_hire_training=False,
              immersion_possible=False, skills=[
                  {"label": "Veiller à l'hygiène corporelle des personnes", "required": True},
                  {"label": "Préparer, aider à la prise des repas et encourager dans la "
                            "manipulation des couverts", "required": True},
                  {"label": "Aider une personne à s'habiller", "required": True},
                  {"label": "Entretenir les espaces de vie et le linge de la personne "
                            "accompagnée", "required": True}])
    eq(s.request("PUT", "/v1/offers/r-k1311-ft", o)[0], 201, "offer")

    def skills_of(words):
        st, _, res = s.request("POST", "/v1/match", candidate(
            "anon", desired_rome=["K1311"], certifications=[], availability=[], skills=words,
            location={"postcode": "75011"}), key="portal")
        eq(st, 200, "match")
        mine = [r for r in res["results"] if r["offer"]["id"] == "r-k1311-ft"]
        eq(len(mine), 1, "ranked")
        return mine[0]["explain"]["skills"]
    eq(skills_of(["toilette", "aide au repas", "habillage", "ménage"]), 1.0, "her words")
    eq(skills_of(["toilette", "habillage"]), 0.5, "half of them")
    eq(skills_of(["Respecter les règles d'hygiène", "faire preuve d'autonomie"]), 0.0,
       "a shared word is not a skill")
    eq(s.request("DELETE", "/v1/offers/r-k1311-ft")[0], 204, "cleanup")


if __name__ == "__main__":
    cmtest.run_module(globals(), "referential")
