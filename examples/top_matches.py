#!/usr/bin/env python3
"""Top matches of a list of candidates, written as CSV for a French spreadsheet.

An example client of the carematch API, Python 3 standard library only (urllib, csv, json,
argparse). The input file has one candidate a line:
  - an id of a candidate stored on the server:        cand-000123
  - or a candidate in the contract's JSON (NDJSON):   {"id": "cand-000123", "location": ...}
A JSON candidate is matched as a profile (POST /v1/match: nothing stored, a portal key is
enough), or, with --put, stored first (PUT /v1/candidates/{id}, an admin key) and then matched
like an id (GET /v1/candidates/{id}/matches, an adviser key or above).

The CSV (';' separated, UTF-8 with BOM, CRLF, decimal comma: Excel or LibreOffice in French
open it as it is) has one row per (candidate, offer):
  candidate;rank;offer;title;employer;city;contract;score;eligible;commute_minutes;barriers;levers
barriers is "kind: detail_fr" (the French sentence; "detail" when absent) for each barrier,
separated by " | "; levers lists each lever once.
A candidate that fails (unknown id, invalid JSON...) gets one row with the API's error code in
the offer column, and the exit status is 1.

  CAREMATCH_URL=http://127.0.0.1:8080 CAREMATCH_KEY=... \\
      python3 examples/top_matches.py candidates.txt --top 5 -o matches.csv
"""
import argparse
import csv
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

COLUMNS = ["candidate", "rank", "offer", "title", "employer", "city", "contract", "score",
           "eligible", "commute_minutes", "barriers", "levers"]


class ApiError(Exception):
    """An answer that is not 2xx: the API's {"error": {"code", "message", "field"}}."""

    def __init__(self, status, error):
        super().__init__("%s %s: %s" % (status, error.get("code"), error.get("message")))
        self.status, self.code = status, error.get("code", "internal")


class Client:
    def __init__(self, url, key, timeout=60):
        self.url, self.key, self.timeout = url.rstrip("/"), key, timeout

    def call(self, method, path, body=None, params=None):
        url = self.url + path + ("?" + urllib.parse.urlencode(params) if params else "")
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(url, data=data, method=method)
        req.add_header("Authorization", "Bearer " + self.key)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as r:
                return json.load(r)
        except urllib.error.HTTPError as e:
            try:
                err = json.load(e).get("error", {})
            except ValueError:
                err = {"code": "internal", "message": "HTTP %d" % e.code}
            raise ApiError(e.code, err) from None

    def matches(self, cand, top, put):
        """cand: an id (str) or a candidate (dict). Returns (candidate id, match answer)."""
        params = {"limit": top}
        if isinstance(cand, dict) and not put:
            profile = {k: v for k, v in cand.items() if k != "id"}
            return cand.get("id", ""), self.call("POST", "/v1/match", profile, params)
        cid = cand["id"] if isinstance(cand, dict) else cand
        quoted = urllib.parse.quote(cid, safe="")
        if isinstance(cand, dict):
            self.call("PUT", "/v1/candidates/" + quoted, cand)
        return cid, self.call("GET", "/v1/candidates/%s/matches" % quoted, params=params)


def read_candidates(path):
    f = sys.stdin if path == "-" else open(path, encoding="utf-8")
    with f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("{"):
                try:
                    yield json.loads(line)
                except ValueError as e:
                    yield ApiError(0, {"code": "invalid_json", "message": "line %d: %s" % (n, e)})
            else:
                yield line


def number(x):
    """A number with a decimal comma, as a French spreadsheet reads it."""
    if x is None:
        return ""
    return ("%d" % x if float(x).is_integer() else "%g" % x).replace(".", ",")


def rows_of(cid, answer):
    for rank, m in enumerate(answer["results"], 1):
        offer = m.get("offer", {})
        levers = []
        for b in m.get("barriers", []):
            levers += [l for l in b.get("levers", []) if l not in levers]
        yield [cid, rank, offer.get("id", ""), offer.get("title", ""),
               offer.get("employer", {}).get("name", ""),
               offer.get("location", {}).get("city", ""), offer.get("contract", ""),
               number(m.get("score")), "true" if m.get("eligible") else "false",
               number(m.get("commute", {}).get("minutes")),
               " | ".join("%s: %s" % (b["kind"], b.get("detail_fr") or b.get("detail", ""))
                          for b in m.get("barriers", [])),
               ", ".join(levers)]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("candidates", help="file of candidate ids or NDJSON candidates ('-': stdin)")
    ap.add_argument("--url", default=os.environ.get("CAREMATCH_URL", "http://127.0.0.1:8080"))
    ap.add_argument("--key", default=os.environ.get("CAREMATCH_KEY"),
                    help="API key (default $CAREMATCH_KEY)")
    ap.add_argument("--top", type=int, default=5, help="matches per candidate (1-200)")
    ap.add_argument("--put", action="store_true",
                    help="store JSON candidates first (admin key), then match them")
    ap.add_argument("-o", "--output", default="-", help="CSV file (default stdout)")
    args = ap.parse_args(argv)
    if not args.key:
        ap.error("no API key: --key or CAREMATCH_KEY")
    client = Client(args.url, args.key)
    out = (open(args.output, "w", encoding="utf-8-sig", newline="") if args.output != "-"
           else open(sys.stdout.fileno(), "w", encoding="utf-8-sig", newline="", closefd=False))
    failed = 0
    with out:
        w = csv.writer(out, delimiter=";", lineterminator="\r\n")
        w.writerow(COLUMNS)
        for cand in read_candidates(args.candidates):
            cid = cand.get("id", "") if isinstance(cand, dict) else str(cand)
            try:
                if isinstance(cand, ApiError):
                    cid = ""
                    raise cand
                cid, answer = client.matches(cand, args.top, args.put)
                w.writerows(rows_of(cid, answer))
            except (ApiError, urllib.error.URLError, OSError) as e:
                failed += 1
                code = e.code if isinstance(e, ApiError) else "unavailable"
                print("%s: %s" % (cid or "?", e), file=sys.stderr)
                w.writerow([cid, "", code] + [""] * (len(COLUMNS) - 3))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
