#!/usr/bin/env python3
"""Writes the seed corpora of tests/fuzz/corpus/: the contract's examples (API.md), lines of the
evaluation and demo corpora, France Travail fixtures, and edge cases. Binary-record seeds are the
encodings of the JSON seeds, written by the record_json replay (CM_FUZZ_EMIT_DIR).
Usage: tests/fuzz/make_seeds.py [--build BUILD_DIR]  (BUILD_DIR holds fuzz_record_json_replay)"""
import argparse
import glob
import json
import os
import shutil
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

OFFER = {
    "id": "off-75011-0042", "title": "Aide-soignant(e) de nuit H/F",
    "description": "EHPAD de 80 lits recherche ...", "rome": "J1501",
    "employer": {"name": "EHPAD Les Tilleuls", "kind": "ehpad"},
    "location": {"lat": 48.8589, "lon": 2.3800, "city": "Paris", "postcode": "75011"},
    "contract": "CDI", "hours_per_week": 35,
    "schedule": [{"days": ["mon", "tue", "wed"], "from": "21:00", "to": "07:00"}],
    "skills": [{"label": "Soins d'hygiène et de confort", "required": True}],
    "certifications": [{"code": "DEAS", "required": True}],
    "driving_licence_required": False, "vehicle_provided": False,
    "accessible_to_disabled_workers": True, "immersion_possible": True,
    "pre_hire_training": False, "salary": {"min": 2000, "max": 2300, "period": "month"},
    "published_at": "2026-11-02", "status": "open",
}
CANDIDATE = {
    "id": "cand-000123", "location": {"lat": 48.8156, "lon": 2.3631, "postcode": "94200"},
    "desired_rome": ["J1501", "K1311"],
    "skills": ["Soins d'hygiène et de confort", "Aide à la prise des repas"],
    "certifications": ["DEAES"], "experience_months": 18,
    "mobility": {"modes": ["transit", "walk"], "max_minutes": 45, "driving_licence": False,
                 "vehicle": False},
    "availability": [{"days": ["mon", "tue", "wed", "thu", "fri"], "from": "08:30",
                      "to": "16:30"}],
    "childcare": {"children_under_12": 2, "solo_parent": True}, "contracts": ["CDI", "CDD"],
    "hours_per_week": {"min": 24, "max": 35}, "disability_recognised": False,
    "open_to_immersion": True, "open_to_training": True,
    "summary": "Auxiliaire de vie depuis 2 ans, cherche un poste en EHPAD ...", "status": "active",
}
MIN_OFFER = {"id": "o", "title": "t", "rome": "K1311", "location": {"lat": 0, "lon": 0},
             "contract": "CDD"}
MIN_CANDIDATE = {"id": "c", "location": {"lat": -90, "lon": 180}}


def j(obj):
    return json.dumps(obj, ensure_ascii=False).encode()


def variants():
    """(selector, JSON bytes) for fuzz_record_json: bit 0 candidate, bit 1 path id."""
    out = [(0, j(OFFER)), (1, j(CANDIDATE)), (2, j(OFFER)), (0, j(MIN_OFFER)),
           (1, j(MIN_CANDIDATE)), (3, j(CANDIDATE))]
    o = dict(OFFER, schedule=[{"days": ["sat", "sun"], "from": "23:59", "to": "00:00"},
                              {"days": ["mon"], "from": "08:15", "to": "16:45"}],
             salary={"min": 11.65, "max": 11.65, "period": "hour"}, hours_per_week=17.5,
             title="Aide \u00e0 domicile \U0001F600 \"quot\u00e9\" \\ \u2028")
    out.append((0, j(o)))
    out.append((0, json.dumps(OFFER, ensure_ascii=True).encode()))  # \u escapes
    c = dict(CANDIDATE, mobility={"modes": ["car", "bike", "walk", "transit"], "max_minutes": 240,
                                  "driving_licence": True, "vehicle": True},
             contracts=["CDI", "CDD", "interim", "apprentissage", "professionnalisation",
                        "liberal", "saisonnier"], experience_months=720,
             availability=[{"days": ["sun"], "from": "22:00", "to": "06:00"}],
             hours_per_week={"min": 0, "max": 70})
    out.append((1, j(c)))
    out.append((0, j(dict(OFFER, skills=[{"label": "s%d" % i, "required": i % 2 == 0}
                                         for i in range(64)]))))
    out.append((0, j(dict(OFFER, id="x" * 64, rome="Z9999", status="closed",
                          location={"lat": 90, "lon": -180, "postcode": "97411"}))))
    out.append((0, j(dict(OFFER, employer={"kind": "creche"}, contract="saisonnier",
                          published_at="2000-02-29", salary={"min": 0, "max": 1e6,
                                                             "period": "year"}))))
    # refusals: each should fail on one field
    out += [(0, b'{"id":"a","title":"t","rome":"J1501","location":{"lat":91,"lon":0},"contract":"CDI"}'),
            (0, b'{"id":"a b","title":"t"}'), (0, b'{"id":"a","title":"\xff\xfe"}'),
            (1, b'{"id":"c","location":{"lat":1,"lon":1},"availability":[{"days":["mon"],"from":"10:00","to":"10:00"}]}'),
            (0, b'{"id":"a","title":"t","rome":"J1501","location":{"lat":1e309,"lon":-0.0},"contract":"CDI"}'),
            (0, b'[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]'),
            (0, b'{"id":"a","id":"b","title":"t","rome":"J1501","location":{"lat":1,"lon":1},"contract":"CDI"}'),
            (1, b'{"id":"c","location":{"lat":"1","lon":null}}'), (0, b''), (1, b'nul'),
            (0, b'{"id":"a\\u0000b","title":"t","rome":"J1501","location":{"lat":1,"lon":1},"contract":"CDI"}')]
    for path, sel in (("corpora/eval/offers.ndjson", 0), ("corpora/eval/profiles.ndjson", 1)):
        out += [(sel, line) for line in read_lines(path)[:8]]
    for path in sorted(glob.glob(os.path.join(ROOT, "corpora/demo/*.ndjson"))):
        sel = 1 if "cand" in os.path.basename(path) else 0
        out += [(sel, line) for line in read_lines(path)[:8]]
    return out


def read_lines(rel):
    path = rel if os.path.isabs(rel) else os.path.join(ROOT, rel)
    if not os.path.exists(path):
        return []
    with open(path, "rb") as f:
        return [line.rstrip(b"\n") for line in f if line.strip()]


def write(target, name, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def http_seeds():
    adm = b"Authorization: Bearer fuzz-admin\r\n"
    body = j(OFFER)
    reqs = {
        "get-health": b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
        "put-offer": b"PUT /v1/offers/off-75011-0042 HTTP/1.1\r\nHost: x\r\n" + adm +
                     b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body) + body,
        "pipelined": b"GET /v1/offers/search?q=aide+soignant&rome=J1501&page=2 HTTP/1.1\r\n"
                     b"Host: x\r\nAuthorization: Bearer fuzz-portal\r\n\r\n"
                     b"GET /openapi.json HTTP/1.1\r\nHost: x\r\n\r\n"
                     b"DELETE /v1/offers/a HTTP/1.1\r\nHost: x\r\n" + adm +
                     b"Connection: close\r\n\r\n",
        "chunked-bulk": b"POST /v1/offers/_bulk HTTP/1.1\r\nHost: x\r\n" + adm +
                        b"Content-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n\r\n"
                        b"5\r\n{\"a\":\r\n3\r\n1}\n\r\n0\r\n\r\n",
        "scope-403": b"PUT /v1/candidates/c1 HTTP/1.1\r\nHost: x\r\n"
                     b"Authorization: Bearer fuzz-portal\r\n"
                     b"Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}",
        "no-key-401": b"GET /v1/stats?department=75 HTTP/1.1\r\nHost: x\r\n\r\n",
        "bad-method-405": b"PATCH /v1/offers/search HTTP/1.1\r\nHost: x\r\n\r\n",
        "too-big-413": b"POST /v1/match HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer fuzz-portal\r\n"
                       b"Content-Type: application/json\r\nContent-Length: 999999\r\n\r\n{",
        "wrong-type-415": b"POST /v1/events HTTP/1.1\r\nHost: x\r\n"
                          b"Authorization: Bearer fuzz-adviser\r\n"
                          b"Content-Type: text/plain\r\nContent-Length: 3\r\n\r\nabc",
        "bad-query": b"GET /v1/candidates/c1/matches?limit=%zz&x HTTP/1.1\r\nHost: x\r\n"
                     b"Authorization: Bearer fuzz-adviser\r\n\r\n",
        "http10": b"GET /readyz HTTP/1.0\r\n\r\n",
        "garbage": b"\x00GET / HTTP/1.1\r\n\r\n",
        "if-match": b"PUT /v1/offers/o HTTP/1.1\r\nHost: x\r\n" + adm + b"If-Match: W/\"3\"\r\n"
                    b"If-None-Match: *\r\nContent-Type: application/json; charset=utf-8\r\n"
                    b"Content-Length: 2\r\n\r\n{}GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
        "many-headers": b"GET /healthz HTTP/1.1\r\nHost: x\r\n" +
                        b"".join(b"X-%d: y\r\n" % i for i in range(20)) + b"\r\n",
        # framing (RFC 9112): each is a 400 that closes, or is ignored
        "no-host": b"GET /healthz HTTP/1.1\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
        "bare-cr": b"GET /healthz HTTP/1.1\r\nHost: x\r\n\rXDELETE /v1/offers/a HTTP/1.1\r\n"
                   b"Host: x\r\n" + adm + b"\r\n",
        "http10-te": b"POST /v1/events HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
                     b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
        "two-keys": b"GET /v1/offers/a HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer fuzz-portal\r\n"
                    + adm + b"\r\n",
        "trailer": b"PUT /v1/offers/o HTTP/1.1\r\nHost: x\r\n" + adm +
                   b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                   b"2\r\n{}\r\n0\r\nIf-None-Match: *\r\nAuthorization: x\r\n\r\n"
                   b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
        "upgrade-h2c": b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                       b"Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n\r\n"
                       b"GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n",
    }
    for name, raw in reqs.items():
        write("fuzz_http", name, b"\x80" + raw)
        write("fuzz_http", name + "-split7", b"\x06" + raw)
    # byte 0 bit 6: the peer goes silent at the end and the connection's timer fires
    write("fuzz_http", "slow-408", b"\x46PUT /v1/offers/o HTTP/1.1\r\nHost: x\r\n" + adm +
          b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"id\":")
    write("fuzz_http", "idle-then-partial", b"\x40GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /hea")


# GET /v1/candidates/search query strings: every parameter, then edge cases (each refused one
# names a different check: route list, handler parsing, the engine's validation).
CAND_SEARCHES = [
    b"",
    b"department=93&certification=DEAES&open_to_immersion=true&available=night",
    b"postcode=93200&radius_km=10&job_title=aide-soignante&available=sat,sun+08:00-14:00",
    b"lat=48.85&lon=2.35&radius_km=15&per_page=2&page=2",
    b"rome=J1501,K1306&rome=K1302&mode=car,transit&mode=walk",
    b"job_title=10891&job_title=aide-soignant&certification=de+aes,DEAVS&certification=DEAS",
    b"commune=75111&radius_km=5",
    b"postcode=97400&city=Saint-Denis",
    b"department=2a&open_to_training=1&driving_licence=0&vehicle=false",
    b"available=mon-fri%2008:00-12:00&available=fri+22:00-06:00&available=weekend",
    b"available=mon,wed,fri-sun",
    b"department=974&per_page=100&page=1",
    b"page=100000&per_page=100",
    b"per_page=0",
    b"lat=48.85",
    b"radius_km=5",
    b"city=Paris",
    b"department=20",
    b"certification=%21%21",
    b"certification=" + b"A" * 33,
    b"rome=J9999&rome=j1501",
    b"available=mon+20:00-20:00",
    b"available=mon-&available=mon,",
    b"mode=plane",
    b"&".join([b"rome=J1501"] * 17),
    b"&".join([b"available=night"] * 9),
    b"department=93&department=75",
    b"q=aide",
    b"department=%zz",
    b"job_title=%C3%A9ducateur+sp%C3%A9cialis%C3%A9&job_title=999999999",
    b"open_to_immersion=maybe",
    b"postcode=00000",
    b"commune=99999&radius_km=3",
    b"lat=-90&lon=180&radius_km=20000",
    b"lat=0&lon=0&radius_km=0.001",
    b"rome=,,J1501,",
    b"available=%20&available=",
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    args = ap.parse_args()
    for t in ("fuzz_record_json", "fuzz_record_binary", "fuzz_ft", "fuzz_bulk", "fuzz_search",
              "fuzz_cand_search", "fuzz_http"):
        shutil.rmtree(os.path.join(HERE, "corpus", t), ignore_errors=True)

    for i, (sel, data) in enumerate(variants()):
        write("fuzz_record_json", "seed-%03d" % i, bytes([sel]) + data)

    ft = os.path.join(ROOT, "tests/unit/francetravail/fixtures")
    for path in sorted(glob.glob(os.path.join(ft, "*"))):
        with open(path, "rb") as f:
            write("fuzz_ft", os.path.basename(path), f.read())
    write("fuzz_ft", "empty-object", b"{}")
    write("fuzz_ft", "resultats-not-array", b'{"resultats": 3}')
    write("fuzz_ft", "one", j({"id": "1", "intitule": "Aide-soignant EHPAD (H/F)",
                               "romeCode": "J1501", "typeContrat": "CDD",
                               "natureContrat": "Contrat apprentissage",
                               "lieuTravail": {"latitude": 48.1, "longitude": -1.6,
                                               "codePostal": "35000"},
                               "formations": [{"domaineLibelle": "DEAS", "exigence": "E"}],
                               "salaire": {"libelle": "Mensuel de 1800.00 Euros"},
                               "dureeTravailLibelleConverti": "Temps partiel",
                               "dureeTravailLibelle": "24H Travail de nuit",
                               "dateCreation": "2026-01-05T10:00:00.000Z"}))

    offers = read_lines("corpora/eval/offers.ndjson")[:5]
    profiles = read_lines("corpora/eval/profiles.ndjson")[:5]
    zo = dict(MIN_OFFER, id="zz-refused")
    write("fuzz_bulk", "offers", b"\x00" + b"\n".join(offers) + b"\n")
    write("fuzz_bulk", "candidates", b"\x01" + b"\r\n".join(profiles))
    write("fuzz_bulk", "mixed", b"\x00" + j(OFFER) + b"\n\n  \t\n{bad json\n" + j(zo) +
          b"\r\n" + j(MIN_OFFER) + b"\n" + j(CANDIDATE) + b"\n\r\n" + j(MIN_OFFER))
    write("fuzz_bulk", "many-bad", b"\x01" + b"{}\n" * 12)

    searches = [b"", b"q=aide+soignant", b"q=auxiliaire%20de%20vie&sort=date&page=2&per_page=1",
                b"lat=48.85&lon=2.35&radius_km=10&sort=distance",
                b"rome=J1501,K1311&rome=K1306&contract=CDI,CDD&employer_kind=ehpad&facets=rome,"
                b"contract,employer_kind,department",
                b"q=soins+AND+(nuit+OR+jour)+NOT+domicile&immersion_possible=true",
                b'q="aide+soignant"+titre:nuit+-ehpad+%2Bcdi*', b"q=%C3%A9ducatif",
                b"accessible_to_disabled_workers=1&pre_hire_training=0",
                b"q=%zz", b"lat=91&lon=0", b"per_page=101", b"sort=distance",
                b"q=" + b"a" * 1025, b"a=1&" * 70, b"facets=,,rome,", b"q=NEAR+ADJ/3+*+(((("]
    for i, q in enumerate(searches):
        write("fuzz_search", "seed-%02d" % i, q)
    for i, q in enumerate(CAND_SEARCHES):
        write("fuzz_cand_search", "seed-%02d" % i, q)

    http_seeds()

    # binary seeds: encodings of every JSON seed that decodes
    exe = os.path.join(args.build, "tests/fuzz/fuzz_record_json_replay")
    out = os.path.join(HERE, "corpus", "fuzz_record_binary")
    os.makedirs(out, exist_ok=True)
    env = dict(os.environ, CM_FUZZ_EMIT_DIR=out)
    subprocess.run([exe, os.path.join(HERE, "corpus", "fuzz_record_json")], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    write("fuzz_record_binary", "truncated", b"\x00\x01")
    write("fuzz_record_binary", "future-version", b"\x01\x7f" + b"\x00" * 40)
    for t in sorted(os.listdir(os.path.join(HERE, "corpus"))):
        print(t, len(os.listdir(os.path.join(HERE, "corpus", t))))


if __name__ == "__main__":
    main()
