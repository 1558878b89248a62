"""examples/top_matches.py (the Python client example) against the real carematchd: ids of
stored candidates, NDJSON profiles matched without storing, --put, the CSV it writes (BOM, ';',
CRLF, decimal comma, barriers and levers) agreeing with the API, and its errors."""
import csv
import io
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cmtest
from cmtest import KEYS, candidate, check, eq, offer

SOURCE = os.environ.get("CM_SOURCE_DIR") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..")
EXAMPLE = os.path.join(SOURCE, "examples", "top_matches.py")


def run(s, args, key="adviser", stdin=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAREMATCH_")}
    env["CAREMATCH_URL"] = "http://127.0.0.1:%d" % s.port
    env["CAREMATCH_KEY"] = KEYS[key]
    p = subprocess.run([sys.executable, EXAMPLE] + args, input=stdin, env=env, timeout=120,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stdout, p.stderr.decode()


def rows(data):
    check(data.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM")
    text = data[3:].decode("utf-8")
    check(text.endswith("\r\n") and "\n" not in text.replace("\r\n", ""), "CRLF lines")
    r = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    eq(r[0], ["candidate", "rank", "offer", "title", "employer", "city", "contract", "score",
              "eligible", "commute_minutes", "barriers", "levers"], "header")
    return [dict(zip(r[0], x)) for x in r[1:]]


def test_setup(s):
    for i in range(4):
        eq(s.request("PUT", "/v1/offers/o%d" % i, offer("o%d" % i))[0], 201, "offer")
    eq(s.request("PUT", "/v1/offers/day", offer(
        "day", title="Aide-soignant de jour", certifications=[],
        schedule=[{"days": ["mon", "tue"], "from": "09:00", "to": "16:00"}]))[0], 201, "offer")
    for cid in ("c1", "c2"):
        eq(s.request("PUT", "/v1/candidates/" + cid, candidate(cid))[0], 201, "candidate")


def test_ids_of_stored_candidates(s):
    path = os.path.join(s.dir, "ids.txt")
    out = os.path.join(s.dir, "out.csv")
    with open(path, "w") as f:
        f.write("# candidates of the week\nc1\n\nc2\n")
    rc, _, err = run(s, [path, "--top", "3", "-o", out])
    eq(rc, 0, "exit (%s)" % err)
    with open(out, "rb") as f:
        got = rows(f.read())
    api = s.request("GET", "/v1/candidates/c1/matches?limit=3", key="adviser")[2]["results"]
    mine = [r for r in got if r["candidate"] == "c1"]
    eq([r["offer"] for r in mine], [m["offer"]["id"] for m in api], "the API's order")
    eq([r["rank"] for r in mine], ["1", "2", "3"], "ranks")
    eq(len([r for r in got if r["candidate"] == "c2"]), 3, "second candidate")
    for r, m in zip(mine, api):
        eq(r["score"], ("%g" % m["score"]).replace(".", ","), "decimal comma")
        eq(r["eligible"], "true" if m["eligible"] else "false", "eligible")
        eq(r["barriers"], " | ".join("%s: %s" % (b["kind"], b.get("detail_fr") or b["detail"])
                                     for b in m["barriers"]),
           "barriers with their detail")
        want = []
        for b in m["barriers"]:
            want += [l for l in b["levers"] if l not in want]
        eq(r["levers"], ", ".join(want), "levers once each")
    check(any(r["barriers"] for r in got), "some barriers in the fixture")
    check(any(r["levers"] for r in got), "some levers in the fixture")


def test_profiles_without_storing(s):
    prof = candidate("p-new")
    rc, out, err = run(s, ["-", "--top", "2"], key="portal",
                       stdin=(json.dumps(prof) + "\n").encode())
    eq(rc, 0, "a portal key matches profiles (%s)" % err)
    got = rows(out)
    eq({r["candidate"] for r in got}, {"p-new"}, "candidate column")
    eq(len(got), 2, "top 2")
    eq(s.request("GET", "/v1/candidates/p-new")[0], 404, "nothing stored")


def test_put_then_match(s):
    rc, out, err = run(s, ["-", "--put", "--top", "1"], key="admin",
                       stdin=(json.dumps(candidate("p-put")) + "\n").encode())
    eq(rc, 0, "--put (%s)" % err)
    eq(s.request("GET", "/v1/candidates/p-put")[0], 200, "stored")
    eq(len(rows(out)), 1, "one row")


def test_errors(s):
    stdin = b'nobody\n{"id": "bad", "location": {"lat": 500, "lon": 2}}\n{oops\nc1\n'
    rc, out, err = run(s, ["-", "--top", "1"], stdin=stdin)
    eq(rc, 1, "exit 1 when a candidate failed")
    got = rows(out)
    by = {r["candidate"]: r for r in got}
    eq(by["nobody"]["offer"], "not_found", "unknown id: the API's code")
    eq(by["bad"]["offer"], "invalid_field", "invalid profile")
    check(any(r["offer"] == "invalid_json" for r in got), "a line that is not JSON")
    eq(by["c1"]["rank"], "1", "the others still come out")
    check("not_found" in err, "stderr says why")
    rc, _, err = run(s, ["-", "--top", "1"], key="portal", stdin=b"c1\n")
    eq(rc, 1, "a stored candidate needs an adviser key")
    check("forbidden" in err, "forbidden")


if __name__ == "__main__":
    cmtest.run_module(globals(), "pyex")
