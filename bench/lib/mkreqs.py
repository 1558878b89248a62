#!/usr/bin/env python3
"""Request files for the load generators, drawn from a generated corpus (stdlib only).

Writes, in OUT, one file per workload in the format cmload and bench/wrk/requests.lua read
("METHOD<TAB>TARGET[<TAB>BODY]", one request a line) and, for the SQL peer, the same
parameters as TSV (peer_<workload>.tsv) so both engines answer the very same questions.
usage: mkreqs.py --offers F --candidates F --out DIR [--n 4000] [--seed 1]
"""
import argparse
import json
import os
import random
import re
import urllib.parse

WORKLOADS = ("get_offer", "search", "cand_matches", "offer_matches", "match_anon", "cand_search",
             "put_offer", "put_candidate", "put_offer_durable")
AVAILABLE = ("night", "weekend", "mon-fri 08:00-12:00", "sat,sun")
FACETS = "rome,contract,employer_kind,department"
RADII = (5, 10, 20, 30, 50)
STOP = {"de", "du", "des", "la", "le", "les", "et", "en", "au", "aux", "a", "h", "f", "hf",
        "temps", "pour", "un", "une", "sur", "avec", "d", "l"}


def sample_lines(path, n, rng):
    """Reservoir sample of n raw lines (parsing a million JSON lines would dominate)."""
    res = []
    with open(path, "rb") as f:
        for i, line in enumerate(f):
            if len(res) < n:
                res.append(line)
            else:
                j = rng.randrange(i + 1)
                if j < n:
                    res[j] = line
    return [json.loads(x) for x in res]


def title_words(title):
    words = [w for w in re.split(r"[^\w]+", title.lower()) if len(w) > 2 and w not in STOP]
    return words


def tsv_escape(s):
    return s.replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")


def build(offers_path, cands_path, out, n=4000, seed=1):
    rng = random.Random(seed)
    offers = sample_lines(offers_path, n, rng)
    cands = sample_lines(cands_path, n, rng)
    open_offers = [o for o in offers if o.get("status", "open") == "open"] or offers
    active = [c for c in cands if c.get("status", "active") == "active"] or cands
    os.makedirs(out, exist_ok=True)
    files = {w: open(os.path.join(out, w + ".req"), "w", encoding="utf-8") for w in WORKLOADS}
    peer = {w: open(os.path.join(out, "peer_" + w + ".tsv"), "w", encoding="utf-8")
            for w in WORKLOADS if w not in ("cand_search", "put_offer", "put_candidate",
                                             "put_offer_durable")}
    put_offers = []
    try:
        for i in range(n):
            o = rng.choice(offers)
            files["get_offer"].write("GET\t/v1/offers/%s\n" % o["id"])
            peer["get_offer"].write("%d\t%s\n" % (i + 1, o["id"]))

            # Search: near where a candidate lives, words of a real title, sometimes filters.
            c = rng.choice(cands)
            words = title_words(rng.choice(offers)["title"])
            q = " ".join(rng.sample(words, min(len(words), rng.choice((1, 1, 2))))) \
                if words and rng.random() < 0.8 else ""
            radius = rng.choice(RADII)
            lat, lon = c["location"]["lat"], c["location"]["lon"]
            rome = rng.choice(c["desired_rome"]) if c.get("desired_rome") and \
                rng.random() < 0.5 else ""
            contract = rng.choice(("CDI", "CDD")) if rng.random() < 0.3 else ""
            params = [("lat", "%.6f" % lat), ("lon", "%.6f" % lon), ("radius_km", str(radius))]
            if q:
                params.insert(0, ("q", q))
            if rome:
                params.append(("rome", rome))
            if contract:
                params.append(("contract", contract))
            params.append(("facets", FACETS))
            files["search"].write("GET\t/v1/offers/search?%s\n" % urllib.parse.urlencode(params))
            peer["search"].write("%d\t%s\t%.6f\t%.6f\t%d\t%s\t%s\n" % (
                i + 1, tsv_escape(q), lat, lon, radius, rome, contract))

            c = rng.choice(active)
            files["cand_matches"].write("GET\t/v1/candidates/%s/matches?limit=20\n" % c["id"])
            peer["cand_matches"].write("%d\t%s\n" % (i + 1, c["id"]))

            o = rng.choice(open_offers)
            files["offer_matches"].write("GET\t/v1/offers/%s/matches?limit=50\n" % o["id"])
            peer["offer_matches"].write("%d\t%s\n" % (i + 1, o["id"]))

            # Anonymous profile: a stored candidate's fields without its id.
            c = dict(rng.choice(active))
            cid = c.pop("id")
            files["match_anon"].write("POST\t/v1/match?limit=20\t%s\n" %
                                      json.dumps(c, ensure_ascii=False, separators=(",", ":")))
            peer["match_anon"].write("%d\t%s\n" % (i + 1, cid))

            # Candidate search, an adviser's question: a département or a radius around an
            # offer, and one to three of: a certification someone holds, a ROME, an
            # availability need, openness to immersion. No SQL twin (the peer has none).
            c = rng.choice(active)
            o = rng.choice(open_offers)
            params = []
            pc = (c.get("location") or {}).get("postcode") or ""
            if pc and rng.random() < 0.5:
                dep = pc[:3] if pc.startswith("97") else pc[:2]
                if dep == "20":  # Corsica: 2A below 20200, 2B from it
                    dep = "2A" if pc < "20200" else "2B"
                params.append(("department", dep))
            else:
                params += [("lat", "%.6f" % o["location"]["lat"]),
                           ("lon", "%.6f" % o["location"]["lon"]),
                           ("radius_km", str(rng.choice(RADII)))]
            certs = [x if isinstance(x, str) else x.get("code", "")
                     for x in c.get("certifications") or []]
            certs = [x for x in certs if x]
            if certs and rng.random() < 0.6:
                params.append(("certification", rng.choice(certs)))
            if c.get("desired_rome") and rng.random() < 0.4:
                params.append(("rome", rng.choice(c["desired_rome"])))
            if rng.random() < 0.3:
                params.append(("available", rng.choice(AVAILABLE)))
            if rng.random() < 0.3:
                params.append(("open_to_immersion", "true"))
            files["cand_search"].write("GET\t/v1/candidates/search?%s\n" %
                                       urllib.parse.urlencode(params))

            # A single write: an open offer stored again, its title edited (durable and
            # searchable when answered). No SQL twin. Drawn for every line, as before (the
            # other workloads' lines stay the same), the first half kept.
            o = rng.choice(open_offers)
            if i < max(1, n // 2):
                put_offers.append(o)
        # Each offer twice, half a file apart, with two different edits: a client cycling
        # through the file always writes a change (an offer written again unchanged costs the
        # index next to nothing, which is not what this workload measures).
        for edit in (" (mis à jour)", " (mis à jour le soir)"):
            for o in put_offers:
                o = dict(o, title=o.get("title", "") + edit)
                body = json.dumps(o, ensure_ascii=False, separators=(",", ":"))
                files["put_offer"].write("PUT\t/v1/offers/%s\t%s\n" % (o["id"], body))
                # the same writes answered once durable (?ack=durable): search catches up
                files["put_offer_durable"].write("PUT\t/v1/offers/%s?ack=durable\t%s\n" % (
                    o["id"], body))
        # A single write of a candidate (the portal's profile update): no search index holds
        # candidates, so what bounds it is the durable commit. Drawn from a generator of its
        # own (the other files stay as they were); each twice, with two different limits.
        crng = random.Random(seed + 1)
        put_cands = [crng.choice(active) for _ in range(max(1, n // 2))]
        for extra in (5, 10):
            for c in put_cands:
                mob = dict(c.get("mobility") or {})
                mob["max_minutes"] = min(240, (mob.get("max_minutes") or 30) + extra)
                c = dict(c, mobility=mob)
                files["put_candidate"].write("PUT\t/v1/candidates/%s\t%s\n" % (
                    c["id"], json.dumps(c, ensure_ascii=False, separators=(",", ":"))))
    finally:
        for f in list(files.values()) + list(peer.values()):
            f.close()
    return {w: os.path.join(out, w + ".req") for w in WORKLOADS}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--offers", required=True)
    ap.add_argument("--candidates", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--n", type=int, default=4000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    for w, p in build(a.offers, a.candidates, a.out, a.n, a.seed).items():
        print(w, p)


if __name__ == "__main__":
    main()
