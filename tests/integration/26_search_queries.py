"""The search query set (corpora/eval/search): real-life searches of the care sector
(misspellings, feminine forms, acronyms both ways, place names, operator words, fallbacks)
run against the real server seeded with the set's offers; every query's expected top results,
absent offers and text_match must hold. One line per failing query, then the test fails."""
import json
import os
import sys
import unicodedata
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


def test_decomposed_queries(s):
    """Every query of the set that has an accent, typed decomposed (NFD, as macOS and iOS
    send it), gets the answer of its composed form; an offer written decomposed is found by
    the composed words, and a place's name typed decomposed is suggested."""
    n = 0
    for q in QUERIES:
        nfd = unicodedata.normalize("NFD", q["q"])
        if nfd == q["q"]:
            continue
        n += 1
        st, composed = run(s, q)
        st2, decomposed = run(s, dict(q, q=nfd))
        eq((st, st2), (200, 200), label(q))
        eq([r["offer"]["id"] for r in decomposed["results"]],
           [r["offer"]["id"] for r in composed["results"]], label(q) + " decomposed")
    check(n >= 5, "the set has accented queries (%d)" % n)
    title = unicodedata.normalize("NFD", "Infirmière coordinatrice quixotrak à Sète")
    st, _, r = s.request("PUT", "/v1/offers/nfd-1", json.dumps({
        "title": title, "rome": "J1506", "location": {"lat": 43.4, "lon": 3.69},
        "contract": "CDI"}, ensure_ascii=False).encode())
    eq(st, 201, "put %r" % (r,))
    eq(r["title"], "Infirmière coordinatrice quixotrak à Sète", "stored composed")
    for words in ("infirmière quixotrak", "infirmiere quixotrak", "quixotrak sète"):
        st, body = run(s, {"q": words})
        eq([x["offer"]["id"] for x in body["results"]], ["nfd-1"], words)
        eq(body.get("text_match"), "all", words + ": every word")
    st, _, r = s.request("GET", "/v1/suggest/communes?q=" + urllib.parse.quote(
        unicodedata.normalize("NFD", "saint-étienne")), key="portal")
    eq(st, 200, "suggest")
    check(any(x["name"] == "Saint-Étienne" for x in r["suggestions"]), "suggested %r" % (r,))
    st, _, r = s.request("DELETE", "/v1/offers/nfd-1")
    eq(st, 204, "delete")


if __name__ == "__main__":
    cmtest.run_module(globals(), "searchq")
