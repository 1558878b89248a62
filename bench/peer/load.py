#!/usr/bin/env python3
"""Peer loader: the same NDJSON corpus carematch imports, into PostgreSQL (stdlib only).

Derives the scoring columns the way engine/score.c does (normalised skill labels hashed to
int4 for intarray, canonical certification codes with the regulated ROME's diploma added,
the 7 x 48 half-hour week as bit(336), the candidate's retrieval radius) and streams COPY text
into `psql`. Then builds the GIN/GiST indexes and loads the request parameters (peer_*.tsv from
bench/lib/mkreqs.py). usage: load.py --port P --offers F --candidates F --params DIR
"""
import argparse
import json
import os
import subprocess
import sys
import time
import unicodedata
import zlib

DAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
MODES = {"car": 1, "transit": 2, "bike": 4, "walk": 8}
# engine/score.c defaults: (detour, km/h, wait minutes) for car, transit, bike, walk.
MODE_CONST = {1: (1.30, 50.0, 0.0), 2: (1.40, 18.0, 8.0), 4: (1.25, 15.0, 0.0), 8: (1.20, 4.5, 0.0)}
REACH_MARGIN, REACH_EXTRA_KM, REACH_MAX_KM = 1.25, 2.0, 120.0
REGULATED = {"J1501": "DEAS", "J1304": "DEAP", "J1506": "DEI"}
CERT_EQUIV = {"DEAVS": "DEAES", "MCAD": "DEAES", "DEAMP": "DEAES", "DPAS": "DEAS",
              "DPAP": "DEAP", "IDE": "DEI"}
HERE = os.path.dirname(os.path.abspath(__file__))


def norm_label(s):
    """engine/skills.c cm__label_normalise, without the synonym table."""
    s = unicodedata.normalize("NFKD", s.lower())
    s = "".join(ch if ("a" <= ch <= "z" or "0" <= ch <= "9") else
                ("" if unicodedata.combining(ch) else " ") for ch in s)
    words = []
    for w in s.split():
        if len(w) > 3 and w[-1] in "sx":
            w = w[:-1]
        if len(w) > 1:
            words.append(w)
    return " ".join(words)


def h32(s):
    return zlib.crc32(s.encode()) & 0x7FFFFFFF


def cert_canon(code):
    c = "".join(ch for ch in code.upper() if ch.isascii() and ch.isalnum())
    return CERT_EQUIV.get(c, c)


def hm(s):
    h, m = s.split(":")
    return int(h) * 60 + int(m)


def week(windows):
    """engine/util.c cm_week_from_windows: '0'/'1' string, day-major, 48 half-hours a day."""
    bits = [0] * 336
    for w in windows or []:
        try:
            f, t = hm(w["from"]), hm(w["to"])
        except (KeyError, ValueError):
            continue
        fs, ts = f // 30, (t + 29) // 30
        for d in w.get("days", []):
            d = DAYS.get(d)
            if d is None:
                continue
            if t > f:
                spans = [(d, fs, ts)]
            else:
                spans = [(d, fs, 48), ((d + 1) % 7, 0, fs if t == f else ts)]
            for day, a, b in spans:
                for h in range(a, b):
                    bits[day * 48 + h] = 1
    return "".join("1" if b else "0" for b in bits), sum(bits)


def copy_escape(s):
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def b(v):
    return "t" if v else "f"


def arr(xs):
    return "{" + ",".join(str(x) for x in xs) + "}"


def text_arr(xs):
    return "{" + ",".join('"%s"' % x.replace("\\", "").replace('"', "") for x in xs) + "}"


def offer_row(line):
    o = json.loads(line)
    loc = o["location"]
    req, opt = [], []
    for s in o.get("skills", []):
        (req if s.get("required") else opt).append(h32(norm_label(s.get("label", ""))))
    creq, copt = set(), set()
    for c in o.get("certifications", []):
        code = cert_canon(c.get("code", ""))
        if code:
            (creq if c.get("required") else copt).add(h32(code))
    if o["rome"] in REGULATED:
        creq.add(h32(REGULATED[o["rome"]]))
    copt -= creq
    wk, wn = week(o.get("schedule"))
    pc = loc.get("postcode") or ""
    dept = pc[:3] if pc.startswith("97") else pc[:2]
    return "\t".join([
        o["id"], copy_escape(o.get("title", "")), copy_escape(o.get("description", "")),
        o["rome"], (o.get("employer") or {}).get("kind", "other"), o["contract"], dept,
        o.get("status", "open"), o.get("published_at") or "\\N",
        str(o.get("hours_per_week") or 0), b(o.get("driving_licence_required")),
        b(o.get("vehicle_provided")), b(o.get("accessible_to_disabled_workers")),
        b(o.get("immersion_possible")), b(o.get("pre_hire_training")),
        arr(sorted(set(req))), arr(sorted(set(opt) - set(req))), arr(sorted(creq)),
        arr(sorted(copt)), wk, str(wn),
        "SRID=4326;POINT(%r %r)" % (loc["lon"], loc["lat"]), copy_escape(line.rstrip("\n"))])


def cand_row(line):
    c = json.loads(line)
    loc = c["location"]
    mob = c.get("mobility") or {}
    modes = 0
    for m in mob.get("modes", []):
        modes |= MODES.get(m, 0)
    licence, vehicle = bool(mob.get("driving_licence")), bool(mob.get("vehicle"))
    maxm = mob.get("max_minutes") or 45
    reach = 0.0
    for bit, (detour, speed, wait) in MODE_CONST.items():
        if (modes | (1 if licence else 0)) & bit:
            t = maxm - wait
            reach = max(reach, t / 60.0 * speed / detour if t > 0 else 0.0)
    reach = min(reach * REACH_MARGIN + REACH_EXTRA_KM, REACH_MAX_KM)
    avail = c.get("availability")
    wk, wn = week(avail)
    hours = c.get("hours_per_week") or {}
    skills = sorted({h32(norm_label(s)) for s in c.get("skills", [])})
    certs = sorted({h32(cert_canon(x)) for x in c.get("certifications", []) if cert_canon(x)})
    return "\t".join([
        c["id"], text_arr(c.get("desired_rome", [])), arr(skills), arr(certs),
        str(c.get("experience_months") or 0), str(modes), str(maxm), b(licence), b(vehicle),
        text_arr(c.get("contracts", [])), str(hours.get("min") or 0), str(hours.get("max") or 0),
        wk, b(bool(avail)), "%.3f" % reach, c.get("status", "active"),
        "SRID=4326;POINT(%r %r)" % (loc["lon"], loc["lat"]), copy_escape(line.rstrip("\n"))])


def psql(port, *args, stdin=None):
    cmd = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", str(port),
           "-U", "postgres", "-d", "postgres"] + list(args)
    return subprocess.Popen(cmd, stdin=stdin, stdout=subprocess.DEVNULL)


def run_sql(port, path):
    p = psql(port, "-f", path)
    if p.wait() != 0:
        raise SystemExit("peer: %s failed" % path)


def copy_in(port, table, path, rowfn):
    p = psql(port, "-c", "\\copy %s FROM STDIN" % table, stdin=subprocess.PIPE)
    n = 0
    with open(path, encoding="utf-8") as f:
        buf = []
        for line in f:
            if line.strip():
                buf.append(rowfn(line))
                n += 1
            if len(buf) >= 5000:
                p.stdin.write(("\n".join(buf) + "\n").encode())
                buf = []
        if buf:
            p.stdin.write(("\n".join(buf) + "\n").encode())
    p.stdin.close()
    if p.wait() != 0:
        raise SystemExit("peer: COPY into %s failed" % table)
    return n


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--offers", required=True)
    ap.add_argument("--candidates", required=True)
    ap.add_argument("--params", help="directory of peer_*.tsv written by mkreqs.py")
    a = ap.parse_args()
    t0 = time.time()
    run_sql(a.port, os.path.join(HERE, "schema.sql"))
    n_off = copy_in(a.port, "offers", a.offers, offer_row)
    n_cand = copy_in(a.port, "candidates", a.candidates, cand_row)
    t_copy = time.time() - t0
    run_sql(a.port, os.path.join(HERE, "indexes.sql"))
    t_all = time.time() - t0
    if a.params:
        for w in ("get_offer", "search", "cand_matches", "offer_matches", "match_anon"):
            p = psql(a.port, "-c", "\\copy p_%s FROM '%s'" % (
                w, os.path.join(a.params, "peer_%s.tsv" % w)))
            if p.wait() != 0:
                raise SystemExit("peer: loading parameters %s failed" % w)
        p = psql(a.port, "-c", "ANALYZE")
        p.wait()
    print(json.dumps({"offers": n_off, "candidates": n_cand, "copy_seconds": round(t_copy, 3),
                      "total_seconds": round(t_all, 3),
                      "records_per_s": round((n_off + n_cand) / t_all, 1)}))


if __name__ == "__main__":
    sys.exit(main())
