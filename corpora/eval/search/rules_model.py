#!/usr/bin/env python3
"""A model of the offer text-search rules (README.md), to check the query set's expectations
before the engine does: for each query, the offers the rules say match and the text_match.

It folds gender and number crudely (it is a check, not the engine). With --stem CMD (a program
reading one word a line and printing its stem), a word also matches what the stemmer conflates
it with, and every `absent` must hold under that wider matching too.
Usage: rules_model.py [--stem CMD] [--verbose]   (exit status 1 when an expectation fails)
"""
import argparse
import json
import math
import os
import re
import subprocess
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
# Only the stop words the queries use: a longer list in the engine changes nothing here.
STOP = set("de la le les des a en et ou pour un une du au aux d l".split())
OPS = {"AND", "OR", "NOT"}
ACRO = {
    "avs": ["auxiliaire vie sociale"], "aes": ["accompagnant educatif social"],
    "ash": ["agent service hospitalier"], "ide": ["infirmier diplome etat", "infirmier"],
    "amp": ["aide medico psychologique"],
    "ehpad": ["etablissement hebergement personnes agees dependantes", "maison retraite"],
    "ssiad": ["service soins infirmiers domicile"],
    "saad": ["service aide accompagnement domicile"], "advf": ["assistant vie familles"],
    "asg": ["assistant soins gerontologie"],
    "tisf": ["technicien intervention sociale familiale"],
    "deas": ["diplome etat aide soignant"],
    "deaes": ["diplome etat accompagnant educatif social"],
    "esat": ["etablissement service aide travail"], "ime": ["institut medico educatif"],
    "fam": ["foyer accueil medicalise"], "mas": ["maison accueil specialisee"],
    "sessad": ["service education speciale soins domicile"],
    "ccas": ["centre communal action sociale"], "usld": ["unite soins longue duree"],
    "had": ["hospitalisation domicile"], "eje": ["educateur jeunes enfants"],
    "aesh": ["accompagnant eleves situation handicap"],
}
# Centres of the place parameters the queries use (La Poste 2020 positions).
CENTRES = {"93200": (48.929565, 2.359243), "42000": (45.430124, 4.379140),
           "69383": (45.753355, 4.869185)}


def fold(s):
    return "".join(c for c in unicodedata.normalize("NFD", s.lower())
                   if unicodedata.category(c) != "Mn").replace("œ", "oe")


def words(s):
    return [t for t in re.split(r"[^0-9A-Za-zÀ-ÿœŒ]+", s) if t]


def form(w):
    """Gender and number folded: soignante, soignants -> soignant; animatrice -> animateur."""
    w = fold(w)
    if len(w) > 4 and w.endswith("aux"):
        w = w[:-3] + "al"
    if len(w) > 3 and w[-1] in "sx" and not w.endswith("ss"):
        w = w[:-1]
    for a, b in (("trice", "teur"), ("euse", "eur"), ("iere", "ier"), ("elle", "el"),
                 ("enne", "en"), ("ive", "if"), ("ee", "e")):
        if w.endswith(a) and len(w) > len(a) + 1:
            w = w[:-len(a)] + b
            break
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    return w


class Keys:
    """The keys a word matches by: its folded form, and its stem when a stemmer is given.
    Acronyms (known ones, or short words in capitals) are kept whole."""

    def __init__(self, stem_cmd=None):
        self.cmd, self.stems = stem_cmd, {}

    def prime(self, ws):
        todo = sorted({w.lower() for w in ws} - set(self.stems))
        if self.cmd and todo:
            out = subprocess.run(self.cmd, shell=True, input="\n".join(todo) + "\n",
                                 capture_output=True, text=True, check=True).stdout.split("\n")
            self.stems.update((w, fold(s)) for w, s in zip(todo, out))

    def __call__(self, w):
        if fold(w) in ACRO or (w.isupper() and 2 <= len(w) <= 6):
            return {("acronym", fold(w))}
        k = {("form", form(w))}
        if self.cmd:
            self.prime([w])
            k.add(("stem", self.stems[w.lower()]))
        return k


def edits(a, b):
    d = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        prev, d = d, [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            d[j] = min(prev[j] + 1, d[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1]))
    return d[len(b)]


def km(a, b):
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (math.sin((la2 - la1) / 2) ** 2
         + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def offer_words(o):
    text = [o["title"], o.get("description", ""), o.get("employer", {}).get("name", ""),
            o["location"].get("city", "")] + [s["label"] for s in o.get("skills", [])]
    return [w for w in words(" ".join(text)) if fold(w) not in STOP]


class Model:
    def __init__(self, offers, keys):
        self.offers, self.key = offers, keys
        self.has = {o["id"]: set().union(set(), *(keys(w) for w in offer_words(o)))
                    for o in offers}
        self.surface = {fold(w) for o in offers for w in offer_words(o)}
        self.every = set().union(*self.has.values())
        self.notes = []

    def concept(self, acro, oid):
        have = self.has[oid]
        return bool(self.key(acro) & have) or any(
            all(self.key(w) & have for w in f.split()) for f in ACRO[acro])

    def units(self, q):
        """Query words: acronym concepts (an acronym, or a spelled-out form in a row) and
        plain words (corrected when found in no offer)."""
        ws = [w for w in words(q) if w not in OPS and fold(w) not in STOP]
        out, i = [], 0
        while i < len(ws):
            if fold(ws[i]) in ACRO:
                out.append(("concept", fold(ws[i])))
                i += 1
                continue
            best = None
            for acro, forms in ACRO.items():
                for f in forms:
                    fw = f.split()
                    seg = ws[i:i + len(fw)]
                    if len(seg) == len(fw) and all(self.key(a) & self.key(b)
                                                   for a, b in zip(seg, fw)):
                        if best is None or len(fw) > best[1]:
                            best = (acro, len(fw))
            if best:
                out.append(("concept", best[0]))
                i += best[1]
                continue
            k = self.key(ws[i])
            if len(ws[i]) >= 5 and not k & self.every:
                limit = 1 if len(ws[i]) <= 7 else 2
                near = sorted((edits(fold(ws[i]), s), s) for s in self.surface)
                close = [s for d, s in near if d == near[0][0] and d <= limit]
                if len({form(s) for s in close}) > 1:
                    self.notes.append("ambiguous correction of %s: %s" % (ws[i], close))
                self.notes.append("%s -> %s" % (ws[i], close[0] if close else "(none)"))
                if close:
                    k = self.key(close[0])
            out.append(("word", k))
            i += 1
        return out

    def passes(self, o, p):
        if o.get("status", "open") != "open":
            return False
        for f in ("rome", "contract"):
            if f in p and o[f] not in (p[f] if isinstance(p[f], list) else [p[f]]):
                return False
        if "immersion_possible" in p and \
                bool(o.get("immersion_possible")) != (str(p["immersion_possible"]) == "true"):
            return False
        centre = ((float(p["lat"]), float(p["lon"])) if "lat" in p else
                  CENTRES.get(p.get("commune") or p.get("postcode") or ""))
        if "radius_km" in p:
            if centre is None:
                raise SystemExit("add the centre of %r to CENTRES" % p)
            if km(centre, (o["location"]["lat"], o["location"]["lon"])) > float(p["radius_km"]):
                return False
        return True

    def search(self, q, p):
        """(text_match, ids) as the rules give them."""
        self.notes = []
        us = self.units(q)
        pool = [o["id"] for o in self.offers if self.passes(o, p)]
        if not us:
            return None, pool
        hits = {i: sum(1 for kind, u in us if (self.concept(u, i) if kind == "concept"
                                                else u & self.has[i])) for i in pool}
        for mode, need in (("all", len(us)), ("all_but_one", len(us) - 1), ("any", 1)):
            got = [i for i in pool if need >= 1 and hits[i] >= need]
            if got:
                return mode, got
        return "any", []


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--stem", help="stemmer command: one word a line in, its stem out")
    ap.add_argument("--verbose", action="store_true")
    a = ap.parse_args()
    with open(os.path.join(HERE, "offers.ndjson"), encoding="utf-8") as f:
        offers = [json.loads(line) for line in f if line.strip()]
    with open(os.path.join(HERE, "queries.json"), encoding="utf-8") as f:
        queries = json.load(f)
    keys = Keys(a.stem)
    keys.prime([w for o in offers for w in offer_words(o)] +
               [w for q in queries for w in words(q["q"])] +
               [w for forms in ACRO.values() for f in forms for w in f.split()])
    narrow = Model(offers, Keys()) if a.stem else None
    wide = Model(offers, keys)
    bad = 0
    for q in queries:
        p = q.get("params", {})
        mode, ids = (narrow or wide).search(q["q"], p)
        notes = list((narrow or wide).notes)
        wmode, wids = wide.search(q["q"], p)
        wrong = [i for i in q["top"] if i not in ids]
        wrong += ["%s matches" % i for i in q.get("absent", []) if i in wids]
        if q.get("text_match") and q["text_match"] not in {mode, wmode} - {None} or \
                (q.get("text_match") and mode != wmode):
            wrong.append("text_match %s/%s" % (mode, wmode))
        if q["top"] and len(ids) > q["n"]:
            wrong.append("%d offers match, more than n=%d: the order would matter"
                         % (len(ids), q["n"]))
        bad += bool(wrong)
        if wrong or a.verbose:
            print("%-4s %r %s -> %s [%s]%s%s" % (
                "BAD" if wrong else "ok", q["q"], json.dumps(p) if p else "", mode,
                " ".join(ids) if len(ids) < 12 else "%d offers" % len(ids),
                (" wider: " + " ".join(sorted(set(wids) - set(ids)))) if set(wids) - set(ids)
                else "", "".join("\n     " + n for n in notes + wrong)))
    print("%d queries, %d with a problem" % (len(queries), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
