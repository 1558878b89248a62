"""The search query set (corpora/eval/search): real-life searches of the care sector
(misspellings, feminine forms, acronyms both ways, place names, operator words, fallbacks)
run against the real server seeded with the set's offers; every query's expected top results,
absent offers and text_match must hold. One line per failing query, then the test fails."""
import json
import os
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cmtest
from cmtest import check, eq

SET_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "corpora", "eval",
                       "search")
TEXT_MATCH = ("all", "all_but_one", "any")


def load():
    with open(os.path.join(SET_DIR, "offers.ndjson"), encoding="utf-8") as f:
        offers = [json.loads(line) for line in f if line.strip()]
    with open(os.path.join(SET_DIR, "queries.json"), encoding="utf-8") as f:
        queries = json.load(f)
    return offers, queries


OFFERS, QUERIES = load()


def label(q):
    p = q.get("params") or {}
    return "q=%r%s" % (q["q"], (" " + urllib.parse.urlencode(p, doseq=True)) if p else "")


def test_set_is_well_formed():
    """The set itself: known ids, no contradiction, nothing expected of a closed offer."""
    ids = [o["id"] for o in OFFERS]
    eq(len(ids), len(set(ids)), "offer ids unique")
    open_ids = {o["id"] for o in OFFERS if o.get("status", "open") == "open"}
    for q in QUERIES:
        what = label(q)
        check(set(q) <= {"q", "params", "top", "n", "absent", "text_match", "why"},
              "%s: unknown member in %r" % (what, sorted(q)))
        check(isinstance(q["q"], str) and q["q"], what + ": q")
        check(q.get("why"), what + ": says why")
        check(isinstance(q["n"], int) and q["n"] >= max(1, len(q["top"])), what + ": n")
        for i in q["top"]:
            check(i in open_ids, "%s: top %s is not an open offer of the set" % (what, i))
        for i in q.get("absent", []):
            check(i in ids, "%s: absent %s is not in the set" % (what, i))
            check(i not in q["top"], "%s: %s both top and absent" % (what, i))
        check(q.get("text_match") in (None,) + TEXT_MATCH, what + ": text_match")
        check("per_page" not in q.get("params", {}) and "page" not in q.get("params", {}),
              what + ": the test pages itself")


def test_seed(s):
    body = "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in OFFERS).encode()
    st, _, r = s.request("POST", "/v1/offers/_bulk", body, ctype="application/x-ndjson")
    eq(st, 200, "bulk status (%r)" % (r,))
    eq((r["accepted"], r["rejected"]), (len(OFFERS), 0), "bulk counts, errors %r" % (r["errors"],))


def run(s, q):
    """All results of query q (the set is smaller than one page of 100)."""
    params = dict(q.get("params") or {}, q=q["q"], per_page=100)
    st, _, body = s.request("GET", "/v1/offers/search?" + urllib.parse.urlencode(params, doseq=True),
                            key="portal")
    return st, body


def problems(q, st, body):
    if st != 200:
        return ["status %s: %s" % (st, json.dumps(body, ensure_ascii=False)[:200])]
    got = [r["offer"]["id"] for r in body["results"]]
    out = []
    if body["total"] != len(got):
        out.append("total %s but %d results on the page" % (body["total"], len(got)))
    first = got[:q["n"]]
    missing = [i for i in q["top"] if i not in first]
    if missing:
        out.append("%s not in the first %d" % (",".join(missing), q["n"]))
    there = [i for i in q.get("absent", []) if i in got]
    if there:
        out.append("%s should be absent" % ",".join(there))
    if q.get("text_match") and body.get("text_match") != q["text_match"]:
        out.append("text_match %r, want %r" % (body.get("text_match"), q["text_match"]))
    return out


def test_queries(s):
    failed = 0
    for q in QUERIES:
        st, body = run(s, q)
        bad = problems(q, st, body)
        if bad:
            failed += 1
            seen = [r["offer"]["id"] for r in body.get("results", [])] if st == 200 else []
            print("QUERY FAIL %s: %s | seen (%s) %s | why: %s" % (
                label(q), "; ".join(bad), body.get("text_match") if st == 200 else "-",
                " ".join(seen[:15]) + (" ..." if len(seen) > 15 else ""), q["why"]))
    sys.stdout.flush()
    check(failed == 0, "%d of %d queries failed (lines above)" % (failed, len(QUERIES)))


if __name__ == "__main__":
    cmtest.run_module(globals(), "searchq")
