"""The carematch CLI as an adviser's tool, against the real carematchd: --url/--key (flags,
environment, key file), get/match/search/import/suggest over HTTP with the API's JSON, CSV for
a French spreadsheet, exit codes, errors in the API's shape, the progress line on a terminal,
the same answers from the data directory; and the HTTP client against a fake server (chunked
answers, a kept-alive connection closed by the server)."""
import csv
import http.server
import io
import json
import os
import pty
import select
import subprocess
import sys
import threading
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cmtest
from cmtest import KEYS, candidate, check, eq, offer

BUILD = os.environ.get("CM_BUILD_DIR") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "build")
CLI = os.path.join(BUILD, "carematch")
BOM = b"\xef\xbb\xbf"


def run(args, key="admin", env=None, url=None, srv=None, stdin=None, stderr=None):
    e = {k: v for k, v in os.environ.items() if not k.startswith("CAREMATCH_")}
    if key:
        e["CAREMATCH_KEY"] = KEYS.get(key, key)
    e.update(env or {})
    argv = [CLI]
    if url or srv:
        argv += ["--url", url or "http://127.0.0.1:%d" % srv.port]
    p = subprocess.run(argv + list(args), input=stdin, env=e, timeout=120,
                       stdout=subprocess.PIPE, stderr=stderr or subprocess.PIPE)
    return p.returncode, p.stdout, p.stderr or b""


def error_of(err, code, what):
    """The last stderr line is the API's error shape with this code."""
    line = err.decode().strip().splitlines()[-1]
    body = json.loads(line)
    eq(set(body), {"error"}, what + ": error shape")
    eq(body["error"]["code"], code, what + ": code")
    check(isinstance(body["error"]["message"], str), what + ": message")
    return body["error"]


def csv_rows(out, what):
    check(out.startswith(BOM), what + ": UTF-8 BOM")
    text = out[len(BOM):].decode("utf-8")
    check(text.endswith("\r\n") and "\n" not in text.replace("\r\n", ""), what + ": CRLF")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    check(len({len(r) for r in rows}) == 1, what + ": every row has the header's columns")
    return rows


def test_setup(s):
    for i in range(5):
        eq(s.request("PUT", "/v1/offers/o%d" % i,
                     offer("o%d" % i, title="Aide-soignant(e) %d; jour" % i))[0], 201, "put")
    eq(s.request("PUT", "/v1/candidates/c1", candidate("c1"))[0], 201, "put candidate")


def test_get_same_json_as_api(s):
    rc, out, _ = run(["get", "offer", "o1"], srv=s)
    eq(rc, 0, "exit")
    eq(json.loads(out), s.request("GET", "/v1/offers/o1")[2], "the API's JSON")
    rc, out, err = run(["get", "offer", "nope"], srv=s)
    eq((rc, out), (1, b""), "not found: exit 1")
    error_of(err, "not_found", "get missing")


def test_exit_codes_auth_usage_unreachable(s):
    rc, _, err = run(["get", "candidate", "c1"], key="portal", srv=s)
    eq(rc, 4, "403: exit 4")
    error_of(err, "forbidden", "portal reads a candidate")
    rc, _, err = run(["get", "offer", "o1"], key="wrong-key", srv=s)
    eq(rc, 4, "401: exit 4")
    error_of(err, "unauthorized", "unknown key")
    rc, _, err = run(["get", "offer", "o1"], key=None, srv=s)
    eq(rc, 4, "no key: exit 4")
    rc, _, err = run(["get", "offer", "o1"], url="http://127.0.0.1:1")
    eq(rc, 3, "nothing listens: exit 3")
    check("127.0.0.1:1" in error_of(err, "unavailable", "refused")["message"], "names where")
    rc, _, err = run(["get", "offer", "o1"], url="https://127.0.0.1:%d" % s.port)
    eq(rc, 2, "https: usage")
    check("https" in error_of(err, "invalid_field", "https")["message"], "says https")
    rc, _, err = run(["export", "offers"], srv=s)
    eq(rc, 2, "export over HTTP: usage")
    rc, _, _ = run(["frobnicate"], srv=s)
    eq(rc, 2, "unknown command")
    rc, _, _ = run(["--data", "/nonexistent", "get", "offer", "o1"], srv=s)
    eq(rc, 2, "--data and --url")
    rc, out, _ = run(["--help"])
    eq(rc, 0, "--help")
    for word in (b"Exit codes", b"--url", b"--key-file", b"CAREMATCH_URL", b"csv"):
        check(word in out, "--help mentions %r" % word)


def test_environment_and_key_file(s):
    url = "http://127.0.0.1:%d" % s.port
    rc, out, _ = run(["get", "offer", "o2"], env={"CAREMATCH_URL": url})
    eq((rc, json.loads(out)["id"]), (0, "o2"), "CAREMATCH_URL + CAREMATCH_KEY")
    kf = os.path.join(s.dir, "adviser.key")
    with open(kf, "w") as f:
        f.write("  %s  \n" % KEYS["adviser"])
    rc, out, _ = run(["--key-file", kf, "get", "candidate", "c1"], key=None, srv=s)
    eq((rc, json.loads(out)["id"]), (0, "c1"), "--key-file")
    rc, out, _ = run(["--key", KEYS["adviser"], "get", "candidate", "c1"], key="portal", srv=s)
    eq(rc, 0, "--key wins over CAREMATCH_KEY")


def test_match_json_and_csv(s):
    rc, out, _ = run(["match", "candidate", "c1", "--limit", "3"], key="adviser", srv=s)
    eq(rc, 0, "match")
    api = s.request("GET", "/v1/candidates/c1/matches?limit=3", key="adviser")[2]
    eq(json.loads(out), api, "the API's match JSON")
    rc, out, _ = run(["match", "candidate", "c1", "--limit", "3", "--format", "csv"],
                     key="adviser", srv=s)
    eq(rc, 0, "match csv")
    rows = csv_rows(out, "match csv")
    head = rows[0]
    for col in ("rank", "offer_id", "title", "score", "eligible", "commute_minutes",
                "commute_mode", "barriers", "barrier_details", "levers"):
        check(col in head, "column " + col)
    eq(len(rows), 1 + len(api["results"]), "one row per result")
    first, res = dict(zip(head, rows[1])), api["results"][0]
    eq(first["rank"], "1", "rank")
    eq(first["offer_id"], res["offer"]["id"], "offer id")
    eq(first["score"], ("%g" % res["score"]).replace(".", ","), "decimal comma")
    check("," in first["score"] or float(res["score"]).is_integer(), "score has a comma")
    eq(first["eligible"], "true" if res["eligible"] else "false", "eligible")
    eq(first["commute_minutes"], "%g" % res["commute"]["minutes"], "minutes")
    kinds = [b["kind"] for b in res["barriers"]]
    check(kinds, "the fixture has barriers")
    text = out.decode("utf-8")
    # a title holding ';' is quoted, the quoting keeps the column count
    check('"Aide-soignant(e) ' in text and '; jour"' in text, "a ';' field is quoted")
    eq(first["barriers"], ", ".join(kinds), "barrier kinds")
    levers = {l for b in res["barriers"] for l in b["levers"]}
    eq(set(first["levers"].split(", ")) - {""}, levers, "levers, once each")
    rc, out, err = run(["match", "candidate", "nope"], key="adviser", srv=s)
    eq(rc, 1, "match unknown candidate")
    error_of(err, "not_found", "match missing")
    rc, _, err = run(["match", "candidate", "c1", "--limit", "0"], key="adviser", srv=s)
    eq(rc, 2, "a refused parameter is a usage error")
    eq(error_of(err, "invalid_field", "limit 0").get("field"), "limit", "field named")
    prof = os.path.join(s.dir, "profile.json")
    with open(prof, "w") as f:
        json.dump({k: v for k, v in candidate("p").items() if k != "id"}, f)
    rc, out, _ = run(["match", "profile", prof, "--limit", "2"], key="portal", srv=s)
    eq(rc, 0, "match profile (portal scope)")
    check(json.loads(out)["results"], "profile results")


def test_search(s):
    rc, out, _ = run(["search", "aide", "soignant", "--postcode", "75011", "--radius-km", "20",
                      "--rome", "J1501", "--per-page", "2", "--page", "2"], key="portal", srv=s)
    eq(rc, 0, "search")
    q = urllib.parse.urlencode([("q", "aide soignant"), ("postcode", "75011"),
                                ("radius_km", "20"), ("rome", "J1501"), ("per_page", "2"),
                                ("page", "2")])
    eq(json.loads(out), s.request("GET", "/v1/offers/search?" + q, key="portal")[2],
       "the API's search JSON")
    rc, out, _ = run(["search", "--per-page=2", "--page", "2", "--format", "csv"],
                     key="portal", srv=s)
    rows = csv_rows(out, "search csv")
    eq(rows[0][:3], ["rank", "offer_id", "title"], "search header")
    eq([r[0] for r in rows[1:]], ["3", "4"], "ranks continue across pages")
    rc, out, _ = run(["search", "--all", "--per-page", "2", "--format", "csv"], key="portal", srv=s)
    rows = csv_rows(out, "search --all csv")
    eq(out.count(BOM), 1, "one BOM for all the pages")
    total = s.request("GET", "/v1/offers/search", key="portal")[2]["total"]
    eq([r[0] for r in rows[1:]], [str(i) for i in range(1, total + 1)], "every page, ranked")
    rc, out, _ = run(["search", "--all", "--per-page", "2"], key="portal", srv=s)
    pages = [json.loads(l) for l in out.splitlines()]
    eq([p["page"] for p in pages], list(range(1, (total + 1) // 2 + 1)), "one JSON answer a page")
    rc, _, _ = run(["search", "--all", "--page", "2"], key="portal", srv=s)
    eq(rc, 2, "--all with --page")
    rc, _, err = run(["search", "--raduis-km", "5"], key="portal", srv=s)
    eq(rc, 2, "typo: exit 2")
    e = error_of(err, "invalid_field", "typo")
    eq(e.get("field"), "raduis_km", "typo named")
    check("radius_km" in e["message"], "did you mean")
    rc, out, _ = run(["suggest", "jobs", "aide soign", "--limit", "2"], key="portal", srv=s)
    eq(json.loads(out), s.request("GET", "/v1/suggest/jobs?q=aide+soign&limit=2",
                                  key="portal")[2], "suggest over HTTP")


SAINT_DENIS = {"lat": 48.9362, "lon": 2.3574, "postcode": "93200"}
BOBIGNY = {"lat": 48.9077, "lon": 2.4397, "postcode": "93000"}
MONTREUIL = {"lat": 48.8638, "lon": 2.4485, "postcode": "93100"}


def test_search_candidates(s):
    """search candidates: options are the API's parameters, no words, candidate columns."""
    night = [{"days": ["mon", "tue"], "from": "21:00", "to": "06:00"}]
    days = [{"days": ["mon", "tue", "wed", "thu", "fri"], "from": "08:30", "to": "16:30"}]
    for c in (candidate("cs-1", location=SAINT_DENIS, availability=night),
              candidate("cs-2", location=BOBIGNY, certifications=["DEAVS"], availability=night),
              candidate("cs-3", location=MONTREUIL, availability=days),
              candidate("cs-4", location=MONTREUIL, open_to_immersion=False,
                        availability=night),
              candidate("cs-5", location=SAINT_DENIS, availability=night, status="inactive"),
              candidate("cs-6", location=BOBIGNY, certifications=["DEAS"], availability=night)):
        eq(s.request("PUT", "/v1/candidates/" + c["id"], c)[0], 201, "put " + c["id"])
    ask = ["--department", "93", "--certification", "DEAES", "--available", "night",
           "--open-to-immersion", "true"]
    rc, out, err = run(["search", "candidates"] + ask, key="adviser", srv=s)
    eq(rc, 0, "search candidates: %r" % err)
    q = urllib.parse.urlencode([("department", "93"), ("certification", "DEAES"),
                                ("available", "night"), ("open_to_immersion", "true")])
    api = s.request("GET", "/v1/candidates/search?" + q, key="adviser")[2]
    eq(json.loads(out), api, "the API's candidate search JSON")
    eq([r["candidate"]["id"] for r in api["results"]], ["cs-1", "cs-2"], "the daily question")
    rc, out, _ = run(["search", "candidates", "--format", "csv"] + ask, key="adviser", srv=s)
    eq(rc, 0, "csv")
    rows = csv_rows(out, "candidate search csv")
    head = rows[0]
    eq(head[:3], ["rank", "candidate_id", "postcode"], "candidate columns")
    for col in ("distance_km", "certifications", "availability", "open_to_immersion"):
        check(col in head, "column " + col)
    got = [dict(zip(head, r)) for r in rows[1:]]
    eq([(r["rank"], r["candidate_id"], r["postcode"]) for r in got],
       [("1", "cs-1", "93200"), ("2", "cs-2", "93000")], "rows")
    eq(got[0]["availability"], "mon,tue 21:00-06:00", "availability windows")
    eq((got[0]["open_to_immersion"], got[0]["distance_km"]), ("true", ""), "no centre")
    # a centre: distance_km filled, ordered by distance (Bobigny is nearer Montreuil)
    rc, out, _ = run(["search", "candidates", "--postcode=93100", "--radius-km", "20",
                      "--certification", "DEAES", "--available", "night", "--format", "csv"],
                     key="adviser", srv=s)
    rows = csv_rows(out, "centre csv")
    got = [dict(zip(rows[0], r)) for r in rows[1:]]
    eq([r["candidate_id"] for r in got], ["cs-4", "cs-2", "cs-1"], "by distance")
    km = [float(r["distance_km"].replace(",", ".")) for r in got]
    eq(km, sorted(km), "distance_km filled, ascending")
    check(km[0] < 2 < km[1] < 20, "Montreuil, then Bobigny and Saint-Denis: %r" % km)
    # no free text: a word is a usage error, nothing is asked of the server
    rc, out, err = run(["search", "candidates", "aide", "--department", "93"], key="adviser",
                       srv=s)
    eq((rc, out), (2, b""), "a word: usage")
    check("takes no text" in error_of(err, "invalid_field", "word")["message"], "says why")
    # parameters are the server's: an unknown one is its 400, the closest name given
    rc, out, err = run(["search", "candidates", "--immersion", "true"], key="adviser", srv=s)
    eq((rc, out), (2, b""), "unknown parameter: exit 2")
    e = error_of(err, "invalid_field", "unknown parameter")
    eq(e.get("field"), "immersion", "named")
    check("open_to_immersion" in e["message"], "did you mean: %r" % e)
    rc, _, err = run(["search", "candidates", "--department", "93"], key="portal", srv=s)
    eq(rc, 4, "a portal key sees no candidate")
    error_of(err, "forbidden", "portal")
    # --all: every page, ranks continued, one BOM; JSON one answer a line
    every = s.request("GET", "/v1/candidates/search?department=93&per_page=100",
                      key="adviser")[2]
    eq(every["total"], 5, "five active candidates in 93 (cs-5 is inactive)")
    rc, out, _ = run(["search", "candidates", "--department", "93", "--all", "--per-page", "2",
                      "--format", "csv"], key="adviser", srv=s)
    eq(rc, 0, "--all csv")
    eq(out.count(BOM), 1, "one BOM for all the pages")
    rows = csv_rows(out, "--all csv")
    eq([(r[0], r[1]) for r in rows[1:]],
       [(str(i + 1), r["candidate"]["id"]) for i, r in enumerate(every["results"])],
       "every page, in order, ranked")
    rc, out, _ = run(["search", "candidates", "--department", "93", "--all", "--per-page", "2"],
                     key="adviser", srv=s)
    pages = [json.loads(l) for l in out.splitlines()]
    eq([p["page"] for p in pages], [1, 2, 3], "one JSON answer a page")
    eq([r["candidate"]["id"] for p in pages for r in p["results"]],
       [r["candidate"]["id"] for r in every["results"]], "the same candidates")
    # offer search is untouched by the new word
    rc, out, _ = run(["search", "--per-page", "1"], key="portal", srv=s)
    check("offer" in json.loads(out)["results"][0], "search WORDS still searches offers")


def bulk_requests(s):
    return sum(1 for r in s.log_records() if r.get("route") == "/v1/offers/_bulk")


def test_import_chunks_and_rejects(s):
    path = os.path.join(s.dir, "offers.ndjson")
    lines = [json.dumps(offer("imp-%d" % i)) for i in range(2300)]
    lines.insert(1500, "")                                  # file line 1501: blank, skipped
    lines.insert(2000, '{"id": "bad-1", "title": "x"}')     # file line 2001: rejected
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    before = bulk_requests(s)
    rc, out, err = run(["import", "--kind", "offers", path], srv=s)
    eq(rc, 1, "some lines rejected: exit 1")
    summary = json.loads(out)
    eq((summary["accepted"], summary["rejected"]), (2300, 1), "counts")
    rej = [json.loads(l) for l in err.decode().splitlines() if l.startswith("{")]
    eq(len(rej), 1, "one rejected line reported: %r" % rej)
    eq((rej[0]["file"], rej[0]["line"]), (path, 2001), "file and line of the file")
    check(rej[0]["error"]["code"] in ("missing_field", "invalid_field"), "API code")
    check(b"records/s" not in err, "no progress line when stderr is not a terminal")
    eq(bulk_requests(s) - before, 3, "2,301 lines in chunks of 1,000")
    eq(s.request("GET", "/v1/offers/imp-2299")[0], 200, "last record stored")
    rc, out, _ = run(["import", "--kind", "candidates", "-"], srv=s,
                     stdin=(json.dumps(candidate("imp-c1")) + "\n").encode())
    eq((rc, json.loads(out)["accepted"]), (0, 1), "stdin, all accepted: exit 0")
    rc, _, err = run(["import", "--kind", "offers", path], key="adviser", srv=s)
    eq(rc, 4, "import with an adviser key")
    rc, _, _ = run(["import", "--kind", "offers", "/nonexistent.ndjson"], srv=s)
    eq(rc, 3, "missing input file")


def test_import_tells_the_kind(s):
    """import without --kind: the first record tells offers from candidates, whatever the
    file's name (a directory named "candidates" says nothing); else the name; else exit 2
    with a message, nothing imported, over HTTP and into a data directory alike."""
    d = os.path.join(s.dir, "candidates-export")  # the directory's name must not count
    os.makedirs(d, exist_ok=True)
    offers_f, cands_f, odd_f = (os.path.join(d, n) for n in
                                ("monday.ndjson", "tuesday.ndjson", "notes.ndjson"))
    with open(offers_f, "w") as f:
        f.write("\n" + json.dumps(offer("kind-o1")) + "\n" + json.dumps(offer("kind-o2")) + "\n")
    with open(cands_f, "w") as f:
        f.write(json.dumps(candidate("kind-c1")) + "\n")
    with open(odd_f, "w") as f:
        f.write('{"id": "kind-x", "note": "neither"}\n')
    rc, out, err = run(["import", offers_f, cands_f], srv=s)
    eq((rc, json.loads(out)["accepted"]), (0, 3), "both kinds told by content (%r)" % err)
    eq(s.request("GET", "/v1/offers/kind-o2")[0], 200, "offers stored as offers")
    eq(s.request("GET", "/v1/candidates/kind-c1")[0], 200, "the candidate as a candidate")
    rc, out, err = run(["import", odd_f], srv=s)
    eq(rc, 2, "cannot tell: usage error")
    check(b"--kind" in err, "says to give --kind: %r" % err)
    data = os.path.join(s.dir, "kind-data")
    rc, out, err = run(["--data", data, "import", offers_f, cands_f], key=None)
    eq((rc, json.loads(out)["accepted"]), (0, 3), "a data directory too (%r)" % err)
    rc, out, _ = run(["--data", data, "get", "candidate", "kind-c1"], key=None)
    eq((rc, json.loads(out)["id"]), (0, "kind-c1"), "stored as a candidate")
    rc, _, err = run(["--data", data, "import", odd_f], key=None)
    eq(rc, 2, "cannot tell: usage error (data directory)")
    # a pipe is not read ahead (its first records would be lost to the import): --kind
    fifo = os.path.join(d, "pipe")
    os.mkfifo(fifo)
    def feed():
        try:
            with open(fifo, "w") as f:
                f.write(json.dumps(offer("kind-p1")) + "\n" + json.dumps(offer("kind-p2")) + "\n")
        except BrokenPipeError:  # the reader left without reading: what the second run does
            pass
    th = threading.Thread(target=feed)
    th.start()
    rc, out, err = run(["import", "--kind", "offers", fifo], srv=s)
    th.join(10)
    eq((rc, json.loads(out)["accepted"]), (0, 2), "a pipe with --kind: every record (%r)" % err)
    th = threading.Thread(target=feed)
    th.start()
    rc, out, err = run(["import", fifo], srv=s)
    if th.is_alive():  # not opened by the CLI: let the writer go
        os.close(os.open(fifo, os.O_RDONLY | os.O_NONBLOCK))
    th.join(10)
    eq(rc, 2, "a pipe without --kind is not read ahead: usage error (%r)" % err)


def test_import_france_travail_over_http(s):
    """France Travail offers are mapped by the CLI and sent as contract records; the same
    offers as a data-directory import of the same file."""
    src = os.path.join(os.environ.get("CM_SOURCE_DIR") or os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", ".."),
        "tests", "unit", "francetravail", "fixtures", "search_answer.json")
    rc, out, err = run(["import", src, "--format", "france-travail", "--report", "r.ndjson"],
                       srv=s)
    eq(rc, 2, "--report is for a data directory: %r" % out)
    check(b"--report works on a data directory" in out + err, "said: %r %r" % (out, err))
    rc, out, err = run(["import", src, "--format", "france-travail"], srv=s)  # options after
    summary = json.loads(out)
    check(summary["accepted"] > 0, "offers mapped and accepted: %r %r" % (summary, err))
    eq(rc, 1 if summary["rejected"] else 0, "exit follows the rejects")
    # an offer the mapping refuses is JSON: its field is named (invalid_field, as the bulk API
    # says of a record's), not invalid_json
    bad = os.path.join(s.dir, "ft-bad.json")
    with open(bad, "w") as f:
        json.dump({"resultats": [
            {"id": "X1", "intitule": "Aide-soignant", "romeCode": "Z9999", "typeContrat": "CDI",
             "lieuTravail": {"commune": "75111"}},
            {"id": "X2", "intitule": "Aide-soignant", "romeCode": "J1501", "typeContrat": "XYZ",
             "lieuTravail": {"commune": "75111"}}]}, f)
    rc3, out3, err3 = run(["import", "--format", "france-travail", bad], srv=s)
    eq(rc3, 1, "rejects: exit 1")
    lines = [json.loads(l) for l in err3.splitlines() if l.startswith(b"{")]
    eq([(l["line"], l["error"]["code"], l["error"].get("field")) for l in lines],
       [(1, "invalid_field", "romeCode"), (2, "invalid_field", "typeContrat")],
       "each refusal names its field: %r" % err3)
    check(lines[0]["error"]["message"].startswith("rome_unknown: "), "and the mapper's reason")
    data = os.path.join(s.dir, "ft-offline")
    rc2, out2, _ = run(["--data", data, "import", "--format", "france-travail", src], key=None)
    eq(json.loads(out2)["accepted"], summary["accepted"], "same count as on a data directory")
    exported = [json.loads(l) for l in
                run(["--data", data, "export", "offers"], key=None)[1].splitlines()]
    for rec in exported:
        st, _, got = s.request("GET", "/v1/offers/" + rec["id"])
        eq(st, 200, "offer %s on the server" % rec["id"])
        eq(cmtest.strip_version(got), cmtest.strip_version(rec), "the same offer both ways")


def test_progress_line_on_a_terminal(s):
    path = os.path.join(s.dir, "offers2.ndjson")
    with open(path, "w") as f:
        f.write("\n".join(json.dumps(offer("tty-%d" % i)) for i in range(2500)) + "\n")
    master, slave = pty.openpty()
    try:
        rc, out, _ = run(["import", "--kind", "offers", path], srv=s, stderr=slave)
        os.close(slave)
        slave = None
        seen = b""
        while select.select([master], [], [], 0.5)[0]:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    finally:
        if slave is not None:
            os.close(slave)
        os.close(master)
    eq(rc, 0, "import exit")
    check(b"import: " in seen and b"accepted" in seen and b"records/s" in seen,
          "progress line on the terminal: %r" % seen[:300])
    check(seen.endswith(b"\r\x1b[K"), "the line is erased at the end: %r" % seen[-40:])


def test_data_directory_gives_the_same(s):
    """Read-only commands on the server's own data directory while it runs."""
    rc, out, _ = run(["--data", s.data, "get", "offer", "o1"], key=None)
    eq(rc, 0, "get from the data directory")
    eq(json.loads(out), s.request("GET", "/v1/offers/o1")[2], "same record JSON")
    rc, via_dir, _ = run(["--data", s.data, "match", "candidate", "c1", "--limit", "3",
                          "--format", "csv"], key=None)
    rc2, via_http, _ = run(["match", "candidate", "c1", "--limit", "3", "--format", "csv"],
                           key="adviser", srv=s)
    eq((rc, rc2), (0, 0), "match both ways")
    eq(via_dir, via_http, "the same CSV from the data directory and over HTTP")
    rc, out, err = run(["--data", s.data, "get", "offer", "nope"], key=None)
    eq(rc, 1, "not found in the data directory")
    error_of(err, "not_found", "data dir get")
    rc, out, _ = run(["--data", s.data, "export", "offers", "--format", "csv"], key=None)
    rows = csv_rows(out, "export csv")
    eq(rows[0][0], "id", "export header")
    check(len(rows) > 4000, "every offer exported")
    rc, _, err = run(["--data", os.path.join(s.dir, "nothing-here"), "get", "offer", "o1"],
                     key=None)
    eq(rc, 3, "cannot open the data directory: exit 3")
    error_of(err, "unavailable", "data dir open")
    rc, _, _ = run(["--data", s.data, "search", "aide"], key=None)
    eq(rc, 2, "search needs the server")


def test_check_on_a_read_only_directory(s):
    """check on a read-only copy (a read-only mount, a restored backup): no lock to take,
    nothing to replay, it checks read-only (it exited 3, while get, export and backup worked
    there). The mount is a read-only bind in a user and mount namespace; skipped where those
    are not allowed."""
    copy, src = os.path.join(s.dir, "ro-copy"), os.path.join(s.dir, "ro-offers.ndjson")
    with open(src, "w") as f:
        f.write("".join(json.dumps(offer("ro-%d" % i)) + "\n" for i in range(20)))
    rc, _, err = run(["--data", copy, "import", "--kind", "offers", src], key=None)
    eq(rc, 0, "a data directory to check (%r)" % err[-200:])
    if subprocess.run(["unshare", "-Urm", "true"], stderr=subprocess.DEVNULL).returncode:
        print("skipped: user namespaces not allowed (unshare -Urm)")
        return
    script = ('mount --bind "$1" "$1" && mount -o remount,ro,bind "$1" && '
              'if touch "$1/probe" 2>/dev/null; then exit 9; fi; exec "$2" --data "$1" check')
    p = subprocess.run(["unshare", "-Urm", "sh", "-c", script, "sh", copy, CLI],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    if p.returncode == 9 or b"mount" in p.stderr[:200]:
        print("skipped: no read-only bind mount here (%r)" % p.stderr[:200])
        return
    eq(p.returncode, 0, "check on a read-only directory (%r %r)" % (p.stdout[-300:], p.stderr[-300:]))
    eq(json.loads(p.stdout)["consistent"], True, "consistent")
    check(b"not writable" in p.stderr, "says why it checks read-only: %r" % p.stderr[-300:])


def read_pty(master):
    seen = b""
    while select.select([master], [], [], 0.5)[0]:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    return seen


def test_data_directory_import(s):
    """Import into a stopped data directory: rejected lines in the API's shape, exit 1, and
    the progress line on a terminal."""
    data = os.path.join(s.dir, "offline")
    path = os.path.join(s.dir, "offline.ndjson")
    lines = [json.dumps(offer("off-%d" % i)) for i in range(3000)]
    lines[41] = json.dumps(offer("off-41", location={"lat": 500, "lon": 2}))
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    master, slave = pty.openpty()
    try:
        rc, out, _ = run(["--data", data, "import", "--kind", "offers", path], key=None,
                         stderr=slave)
        os.close(slave)
        slave = None
        seen = read_pty(master)
    finally:
        if slave is not None:
            os.close(slave)
        os.close(master)
    eq(rc, 1, "a rejected line: exit 1")
    eq((json.loads(out)["accepted"], json.loads(out)["rejected"]), (2999, 1), "counts")
    check(b"records/s" in seen, "progress line on the terminal: %r" % seen[:300])
    rej = [json.loads(l[l.index(b"{"):]) for l in seen.split(b"\n") if b'"file"' in l]
    eq(len(rej), 1, "one reject")
    eq((rej[0]["line"], rej[0]["error"]["code"], rej[0]["error"].get("field")),
       (42, "invalid_field", "location.lat"), "the API's code and field")
    rc, out, err = run(["--data", data, "import", "--kind", "offers", "-"], key=None,
                       stdin=(json.dumps(offer("off-x")) + "\n").encode())
    eq(rc, 0, "all accepted: exit 0 (%r)" % err)
    check(b"records/s" not in err, "no progress line on a pipe")
    rc, out, _ = run(["--data", data, "check"], key=None)
    eq((rc, json.loads(out)["consistent"]), (0, True), "check")
    # a damaged record: export leaves it out but says so, each by name, and exits 1 (it said
    # nothing and exited 0); check names every one
    dmg = os.path.join(s.dir, "damaged")
    recs = [offer("dm-%d" % i, description="Texte unique Zorglub%03d de l'offre" % i)
            for i in range(5)]
    rc, _, err = run(["--data", dmg, "import", "--kind", "offers", "-"], key=None,
                     stdin=("\n".join(json.dumps(r) for r in recs) + "\n").encode())
    eq(rc, 0, "import (%r)" % err)
    mdb = os.path.join(dmg, "lmdb", "data.mdb")
    with open(mdb, "r+b") as f:
        img = f.read()
        for word in (b"Zorglub001", b"Zorglub003"):
            at = img.find(word)
            while at >= 0:
                f.seek(at + 1)
                f.write(b"a")  # "Zarglub": still text, the checksum tells
                at = img.find(word, at + 1)
    rc, out, err = run(["--data", dmg, "export", "offers"], key=None)
    eq(rc, 1, "export with damaged records: exit 1 (%r)" % err)
    eq(sorted(json.loads(l)["id"] for l in out.decode().splitlines()), ["dm-0", "dm-2", "dm-4"],
       "the others exported")
    check(b"offer dm-1" in err and b"offer dm-3" in err and b"2 damaged records" in err,
          "each named on stderr: %r" % err)
    rc, out, err = run(["--data", dmg, "check"], key=None)
    eq(rc, 1, "check: damaged")
    check(b"offer dm-1" in err and b"offer dm-3" in err, "check names every one: %r" % err)
    # a mistyped directory: check and reindex refuse, and make nothing (they made an empty
    # store and said "0 records, index consistent"); a killed backup's lmdb.partial alone is
    # no store to start on either
    missing = os.path.join(s.dir, "no-such-store")
    for cmd in ("check", "reindex"):
        rc, out, err = run(["--data", missing, cmd], key=None)
        eq(rc, 3, "%s on a missing directory: exit 3 (%r)" % (cmd, err))
        check(b"no store" in err, "%s says why: %r" % (cmd, err))
        check(not os.path.exists(missing), "%s created nothing" % cmd)
    partial = os.path.join(s.dir, "killed-backup")
    os.makedirs(os.path.join(partial, "lmdb.partial"))
    srv = cmtest.Server("partial", data=partial)
    try:
        try:
            srv.start(timeout=20)
            started = True
        except AssertionError as e:
            started = False
            check("interrupted backup" in str(e), "the refusal names it: %s" % e)
        check(not started, "a server started on an interrupted backup")
        check(not os.path.exists(os.path.join(partial, "carematch.lock")),
              "the refusal wrote nothing there")
    finally:
        srv.stop()
        srv.cleanup()


class Fake(http.server.BaseHTTPRequestHandler):
    """Answers chunked, and closes kept-alive connections without saying so."""
    protocol_version = "HTTP/1.1"
    posts = []

    def log_message(self, *a):
        pass

    def do_GET(self):
        body = json.dumps({"id": "x", "title": "chunked é"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for i in range(0, len(body), 7):
            part = body[i:i + 7]
            self.wfile.write(b"%x;ext=1\r\n%s\r\n" % (len(part), part))
        self.wfile.write(b"0\r\nX-Trailer: 1\r\n\r\n")

    def do_POST(self):
        n = int(self.headers["Content-Length"])
        data = self.rfile.read(n)
        Fake.posts.append((self.headers.get("Content-Type"), data))
        body = json.dumps({"accepted": data.count(b"\n"), "rejected": 0, "errors": []}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()
        self.close_connection = True  # as a server whose keep-alive timeout ran out


def test_client_chunked_and_reconnect():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Fake)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    try:
        url = "http://127.0.0.1:%d/base/" % srv.server_address[1]
        rc, out, err = run(["get", "offer", "x"], url=url)
        eq(rc, 0, "chunked answer: %r" % err)
        eq(json.loads(out), {"id": "x", "title": "chunked é"}, "chunked body")
        path = os.path.join(cmtest.tmpdir("fake"), "o.ndjson")
        with open(path, "w") as f:
            f.write("\n".join('{"id":"f%d"}' % i for i in range(2500)) + "\n")
        rc, out, err = run(["import", "--kind", "offers", path], url=url)
        eq(rc, 0, "import through closed keep-alive connections: %r" % err)
        eq(json.loads(out)["accepted"], 2500, "every line sent once")
        eq([len(d.splitlines()) for _, d in Fake.posts], [1000, 1000, 500], "chunks")
        eq({c for c, _ in Fake.posts}, {"application/x-ndjson"}, "NDJSON")
    finally:
        srv.shutdown()


if __name__ == "__main__":
    cmtest.run_module(globals(), "cli")
