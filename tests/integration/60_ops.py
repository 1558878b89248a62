"""Operations: /healthz, /readyz, /metrics (route patterns, histograms, records, lag),
/openapi.json (complete for the served routes), one JSON log line per request, and a graceful
SIGTERM that lets an in-flight request finish."""
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cmtest
from cmtest import KEYS, check, eq, expect_error, offer, candidate


def test_health_and_ready(s):
    st, _, body = s.request("GET", "/healthz", key=None)
    eq((st, body), (200, {"status": "ok"}), "healthz")
    st, _, body = s.request("GET", "/readyz", key=None)
    eq(st, 200, "readyz")
    eq(body["status"], "ready", "ready")


def test_metrics(s):
    eq(s.request("PUT", "/v1/offers/m-secret-id", offer("m-secret-id"))[0], 201, "put")
    eq(s.request("PUT", "/v1/candidates/m-c", candidate("m-c"))[0], 201, "put candidate")
    eq(s.request("GET", "/v1/offers/m-secret-id", key="portal")[0], 200, "get")
    s.request("GET", "/v1/offers/absent", key="portal")
    s.request("GET", "/nowhere", key=None)
    st, h, body = s.request("GET", "/metrics")
    eq(st, 200, "metrics")
    check(h["content-type"].startswith("text/plain"), "Prometheus content type")
    text = body.decode()
    check('carematch_requests_total{route="/v1/offers/{id}",method="PUT",status="201"} 1' in text,
          "requests by route pattern, method and status")
    check('carematch_requests_total{route="/v1/offers/{id}",method="GET",status="404"} 1' in text,
          "404 counted")
    check('carematch_requests_total{route="/v1/offers/{id}",method="GET",status="200"} 1' in text,
          "GET apart from PUT")
    check('carematch_requests_total{route="unmatched",method="",status="404"} 1' in text,
          "unmatched route")
    check("m-secret-id" not in text, "raw ids never in labels")
    check('carematch_request_duration_seconds_bucket{route="/v1/offers/{id}",method="PUT",'
          'le="+Inf"}' in text, "histogram")
    check('carematch_request_duration_seconds_count{route="/v1/offers/{id}",method="GET"}' in text,
          "count")
    for name in ("carematch_storage_map_size_bytes ", "carematch_storage_used_bytes ",
                 "process_resident_memory_bytes ", "process_cpu_seconds_total ",
                 "process_open_fds ", "process_start_time_seconds ", "carematch_pending_requests ",
                 "carematch_parked_requests ",
                 'carematch_bulk_lines_total{kind="offer",outcome="rejected"} ',
                 'carematch_build_info{version="', "carematch_send_timeouts_total ",
                 "carematch_output_paused_total "):
        check(name in text, "metrics have " + name)
    # Prometheus naming: a counter's name ends in _total (promtool and OpenMetrics say so),
    # and a family is declared once
    types = [l.split() for l in text.splitlines() if l.startswith("# TYPE ")]
    for _, _, name, kind in types:
        check(kind != "counter" or name.endswith("_total"), "counter %s ends in _total" % name)
    names = [t[2] for t in types]
    eq(len(names), len(set(names)), "each family declared once")
    check('carematch_searches_total{by="catalog"} ' in text, "searches by what answered")
    check("carematch_single_puts_total " in text, "single puts counted")
    check('carematch_records{kind="offer"} 1' in text, "offer count")
    check('carematch_records{kind="candidate"} 1' in text, "candidate count")
    check("carematch_index_lag " in text, "index lag")
    check("carematch_connections " in text, "connections gauge")
    commits = [l for l in text.splitlines() if l.startswith("carematch_index_commit_seconds_count ")]
    check(commits and int(commits[0].split()[1]) >= 1, "index commits counted: %r" % commits)
    series = [l.rsplit(" ", 1)[0] for l in text.splitlines() if l and not l.startswith("#")]
    eq(len(series), len(set(series)), "no duplicated series")
    expect_error(s.request("GET", "/metrics", key="adviser"), 403, "forbidden")


def test_openapi(s):
    st, _, doc = s.request("GET", "/openapi.json", key=None)
    eq(st, 200, "openapi")
    check(doc["openapi"].startswith("3.0"), "OpenAPI 3.0")
    want = {"/v1/offers/{id}": {"put", "get", "delete"},
            "/v1/candidates/{id}": {"put", "get", "delete"},
            "/v1/offers/_bulk": {"post"}, "/v1/candidates/_bulk": {"post"},
            "/v1/offers/search": {"get"}, "/v1/candidates/search": {"get"},
            "/v1/candidates/{id}/matches": {"get"},
            "/v1/offers/{id}/matches": {"get"}, "/v1/match": {"post"}, "/v1/events": {"post"},
            "/v1/stats": {"get"}, "/healthz": {"get"}, "/readyz": {"get"}, "/metrics": {"get"}, "/v1/audit": {"get"},
            "/v1/suggest/jobs": {"get"}, "/v1/suggest/communes": {"get"},
            "/openapi.json": {"get"}}
    eq(set(doc["paths"]), set(want), "every served path described")
    for p, methods in want.items():
        eq(set(doc["paths"][p]), methods, "methods of " + p)
    check({"Offer", "Candidate", "Error"} <= set(doc["components"]["schemas"]), "schemas")


def test_openapi_operation_ids_required_examples(s):
    """Generated clients name their methods after operationId: one on every operation, unique,
    camelCase; the answers say what is required; the main bodies have examples."""
    import re
    st, _, doc = s.request("GET", "/openapi.json", key=None)
    eq(st, 200, "openapi")
    ids = []
    for p, item in doc["paths"].items():
        for m, o in item.items():
            check("operationId" in o, "operationId on %s %s" % (m.upper(), p))
            check(re.fullmatch(r"[a-z][A-Za-z0-9]*", o["operationId"]),
                  "camelCase operationId %r" % o["operationId"])
            ids.append(o["operationId"])
    eq(len(ids), len(set(ids)), "operationIds unique: %r" % sorted(ids))
    for p, m, want in (("/v1/offers/{id}", "put", "putOffer"), ("/v1/offers/{id}", "get", "getOffer"),
                       ("/v1/offers/search", "get", "searchOffers"),
                       ("/v1/candidates/{id}/matches", "get", "matchCandidate"),
                       ("/v1/match", "post", "matchProfile")):
        eq(doc["paths"][p][m]["operationId"], want, "operationId of %s %s" % (m, p))
    sc = doc["components"]["schemas"]
    for name, req in (("Offer", {"title", "location", "contract"}), ("Candidate", {"location"}),
                      ("Error", {"error"}), ("MatchResult", {"results", "count"}),
                      ("Match", {"score", "eligible", "barriers"}),
                      ("SearchResult", {"total", "page", "per_page", "results"}),
                      ("BulkResult", {"accepted", "rejected", "errors"})):
        check(req <= set(sc[name].get("required", [])), "required of " + name)
    def body_example(p, m):
        return next(iter(doc["paths"][p][m]["requestBody"]["content"].values())).get("example")
    def answer_example(p, m, status="200"):
        return next(iter(doc["paths"][p][m]["responses"][status]["content"].values())).get("example")
    for p, m in (("/v1/offers/{id}", "put"), ("/v1/candidates/{id}", "put"), ("/v1/match", "post"),
                 ("/v1/offers/_bulk", "post"), ("/v1/events", "post")):
        check(body_example(p, m), "request example of %s %s" % (m, p))
    off = body_example("/v1/offers/{id}", "put")
    check(set(sc["Offer"]["required"]) <= set(off), "the offer example has the required fields")
    # the examples are real: the server takes the offer example and answers the match example's shape
    eq(s.request("PUT", "/v1/offers/oa-example", off)[0], 201, "the offer example is accepted")
    st, _, got = s.request("POST", "/v1/match", body_example("/v1/match", "post"), key="portal")
    eq(st, 200, "the profile example is accepted")
    ex = answer_example("/v1/match", "post")
    check(set(ex) <= set(got) and set(ex["results"][0]) <= set(got["results"][0]),
          "the answer example has the answer's members")
    check(answer_example("/v1/offers/search", "get"), "search answer example")
    s.request("DELETE", "/v1/offers/oa-example")


def test_request_log_lines(s):
    s.request("GET", "/v1/offers/m-secret-id", key="portal")
    recs = [r for r in s.log_records() if "status" in r]
    check(recs, "request lines")
    last = [r for r in recs if r["path"] == "/v1/offers/m-secret-id" and r["method"] == "GET"][-1]
    for k in ("ts", "method", "route", "path", "status", "bytes", "us", "key"):
        check(k in last, "log line has " + k)
    eq((last["route"], last["status"], last["key"]), ("/v1/offers/{id}", 200, "portal-web"),
       "route pattern, status, key name")
    text = s.read_log()
    check("Tilleuls" not in text, "bodies are never logged")
    for k in KEYS.values():
        check(k not in text, "keys are never logged")
    for r in s.log_records():
        check("ts" in r and "level" in r, "every log line has ts and level: %r" % r)
    # a request line that cannot be read logs no method it did not have (llhttp's 0 is DELETE)
    s.raw(b"G@RBAGE /x HTTP/1.1\r\n\r\n")
    bad = [r for r in s.log_records() if r.get("status") == 400]
    check(bad and bad[-1]["method"] == "-", "a malformed request logs method '-': %r" % bad[-1:])


def test_cli_match_prints_the_api_json(s):
    """`carematch match` and the API write matches with the same writer: same JSON."""
    st, _, api = s.request("GET", "/v1/candidates/m-c/matches", key="adviser")
    eq(st, 200, "API matches")
    check(api["count"] >= 1, "the stored offer is a match")
    cli = os.path.join(os.path.dirname(cmtest.binary()), "carematch")
    p = subprocess.run([cli, "--data", s.data, "match", "candidate", "m-c"],
                       capture_output=True, timeout=120)
    eq(p.returncode, 0, "carematch match: " + p.stderr.decode(errors="replace"))
    eq(json.loads(p.stdout), api, "CLI output = API body")


def test_sigterm_finishes_in_flight_requests():
    srv = cmtest.Server("term").start()
    try:
        lines = "\n".join(json.dumps(candidate("t-%d" % i)) for i in range(3000))
        result = {}

        def bulk():
            result["r"] = srv.request("POST", "/v1/candidates/_bulk", lines,
                                      ctype="application/x-ndjson")

        t = threading.Thread(target=bulk)
        t.start()
        # SIGTERM once the work runs (its first records are stored), not after a fixed sleep: on
        # a loaded machine the request may not even be connected after 150 ms
        def started():
            st, _, stats = srv.request("GET", "/v1/stats", key="adviser")
            return st == 200 and stats["candidates_total"] > 0
        deadline = time.time() + 60
        while t.is_alive() and not started() and time.time() < deadline:
            time.sleep(0.01)
        srv.proc.send_signal(signal.SIGTERM)
        t.join(30)
        rc = srv.proc.wait(30)  # a second SIGTERM would mean "stop now"
        srv.stop()
        eq(rc, 0, "exit status after SIGTERM")
        eq(result["r"][0], 200, "in-flight request answered")
        accepted = result["r"][2]["accepted"]
        srv2 = cmtest.Server("term2", data=srv.data).start()
        try:
            st, _, stats = srv2.request("GET", "/v1/stats", key="adviser")
            eq(stats["candidates_total"], accepted, "every acknowledged record is there")
            eq(srv2.stop(signal.SIGINT), 0, "SIGINT stops cleanly too")
        finally:
            srv2.cleanup()
    finally:
        srv.cleanup()


def test_data_directory_created_with_its_parents():
    """The contract: DIR "created when absent", its parents too (a new machine's
    /srv/carematch/data); only the last component was made."""
    base = cmtest.tmpdir("nested")
    srv = cmtest.Server("nested", data=os.path.join(base, "a", "b", "data")).start()
    try:
        st, _, _ = srv.request("GET", "/readyz")
        eq(st, 200, "ready on a data directory whose parents did not exist")
        eq(os.path.isdir(os.path.join(base, "a", "b", "data")), True, "created")
    finally:
        srv.cleanup()
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    cmtest.run_module(globals(), "ops")
