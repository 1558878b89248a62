"""Operations: --version, the port open while the storage opens (/readyz 503 "starting",
API routes 503 with Retry-After), SIGHUP reloading the keys file under load without a failed
request, and the keyless metrics listener."""
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cmtest
from cmtest import KEYS, check, eq, expect_error, offer


def test_version():
    out = subprocess.run([cmtest.binary(), "--version"], capture_output=True, text=True,
                         timeout=30)
    eq(out.returncode, 0, "exit status")
    check(re.match(r"carematchd \d+\.\d+\.\d+ \(commit (?:[0-9a-f]+|unknown)", out.stdout),
          "version line %r" % out.stdout)


def test_listen_addresses():
    """A listen address without a host is refused (it would be every interface, unsaid);
    localhost is 127.0.0.1; every interface, given, is warned about."""
    d = cmtest.tmpdir("listen")
    out = subprocess.run([cmtest.binary(), "--data", os.path.join(d, "data"), "--listen", ":0"],
                         capture_output=True, text=True, timeout=30)
    check(out.returncode != 0, "':0' refused")
    check("no host" in out.stderr, "says why: %r" % out.stderr)
    for addr, bound, warned in (("localhost:0", r"127\.0\.0\.1:\d+", False),
                                ("0.0.0.0:0", r"0\.0\.0\.0:\d+", True)):
        srv = cmtest.Server("listen", args=["--listen", addr])
        try:
            srv.start(wait=False)
            srv.wait_log(r"listening on " + bound)
            check(("every interface" in srv.read_log(srv.start_offset)) == warned,
                  "%s: warned %s" % (addr, warned))
            eq(srv.stop(), 0, "clean stop")
        finally:
            srv.cleanup()


def test_cli_version():
    cli = os.path.join(os.path.dirname(cmtest.binary()), "carematch")
    out = subprocess.run([cli, "--version"], capture_output=True, text=True, timeout=30)
    eq(out.returncode, 0, "exit status")
    check(re.match(r"carematch \d+\.\d+\.\d+ \(commit ", out.stdout), "%r" % out.stdout)


def test_port_open_while_starting():
    srv = cmtest.Server("starting", env={"CAREMATCH_TEST_OPEN_DELAY_MS": "1500"})
    try:
        srv.start_early()
        st, _, body = srv.request("GET", "/healthz", key=None)
        eq(st, 200, "alive while starting")
        st, _, body = srv.request("GET", "/readyz", key=None)
        eq(st, 503, "not ready while starting")
        check("starting" in body["error"]["message"], "says starting: %r" % body)
        st, h, body = srv.request("GET", "/v1/offers/x", key="portal")
        eq((st, body["error"]["code"]), (503, "unavailable"), "API answers 503 while starting")
        eq(h.get("retry-after"), "1", "Retry-After")
        eq(srv.request("GET", "/metrics")[0], 200, "metrics while starting")
        srv.wait_log(r"listening on 127\.0\.0\.1:%d" % srv.port)
        eq(srv.request("GET", "/readyz", key=None)[0], 200, "ready once open")
        eq(srv.request("PUT", "/v1/offers/o1", offer("o1"))[0], 201, "serves once open")
        eq(srv.stop(), 0, "clean stop")
    finally:
        srv.cleanup()


def test_stop_while_starting():
    srv = cmtest.Server("stopstart", env={"CAREMATCH_TEST_OPEN_DELAY_MS": "1000"})
    try:
        srv.start_early()
        eq(srv.stop(), 0, "SIGTERM while opening: clean exit")
    finally:
        srv.cleanup()


def test_second_signal_stops_at_once():
    """A second SIGTERM while stopping (here: still opening, 5 s) ends the process at once and
    says so; the next start opens the data as usual."""
    srv = cmtest.Server("twosig", env={"CAREMATCH_TEST_OPEN_DELAY_MS": "5000"})
    try:
        srv.start_early()
        t0 = time.time()
        srv.proc.send_signal(signal.SIGTERM)
        srv.wait_log(r"a second signal stops at once")
        srv.proc.send_signal(signal.SIGTERM)
        rc = srv.proc.wait(timeout=30)
        check(time.time() - t0 < 4, "stopped before the open's 5 s")
        eq(rc, 1, "exit status of a forced stop")
        check("second signal: stopping at once" in srv.read_log(srv.start_offset), "said")
        srv.proc = None
        srv.env.pop("CAREMATCH_TEST_OPEN_DELAY_MS")
        srv.start()
        eq(srv.request("PUT", "/v1/offers/s1", offer("s1"))[0], 201, "serves after")
        eq(srv.stop(), 0, "clean stop")
    finally:
        srv.cleanup()


def write_keys(path, keys):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump({"keys": keys}, f)
    os.replace(tmp, path)


def test_sighup_reloads_keys_under_load():
    srv = cmtest.Server("sighup").start()
    try:
        eq(srv.request("PUT", "/v1/offers/o1", offer("o1"))[0], 201, "seed")
        failures, done, count = [], threading.Event(), [0]

        def load():
            c = srv.conn(timeout=10)  # one keep-alive connection across the reloads
            while not done.is_set():
                try:
                    c.request("GET", "/v1/offers/o1",
                              headers={"Authorization": "Bearer " + KEYS["portal"]})
                    r = c.getresponse()
                    r.read()
                    if r.status != 200:
                        failures.append(r.status)
                    count[0] += 1
                except Exception as e:  # a dropped connection is a failure
                    failures.append(repr(e))
                    c = srv.conn(timeout=10)
            c.close()

        threads = [threading.Thread(target=load) for _ in range(3)]
        for t in threads:
            t.start()

        def served_more(n, timeout=60):
            # wait for requests rather than sleep: a loaded machine serves few per 0.3 s
            want = count[0] + n
            deadline = time.time() + timeout
            while count[0] < want and time.time() < deadline and not failures:
                time.sleep(0.02)

        served_more(10)
        keys = json.load(open(srv.keys_path))["keys"]
        keys = [k for k in keys if k["scope"] != "adviser"]  # revoke the adviser key
        keys.append({"key": "k-new-adviser-0123456789", "scope": "adviser", "name": "rotated"})
        write_keys(srv.keys_path, keys)
        srv.proc.send_signal(signal.SIGHUP)
        srv.wait_log(r"keys reloaded")
        served_more(10)
        # a broken file: logged, the current keys stay
        with open(srv.keys_path, "w") as f:
            f.write("{not json")
        srv.proc.send_signal(signal.SIGHUP)
        srv.wait_log(r"keys file not reloaded")
        served_more(10)
        done.set()
        for t in threads:
            t.join()
        eq(failures, [], "no failed request during reloads (%d requests)" % count[0])
        check(count[0] > 20, "the load ran (%d requests)" % count[0])
        check(srv.alive(), "SIGHUP does not stop the server")
        eq(srv.request("GET", "/v1/stats", key="k-new-adviser-0123456789")[0], 200, "new key")
        expect_error(srv.request("GET", "/v1/stats", key="adviser"), 401, "unauthorized")
        eq(srv.stop(), 0, "clean stop")
    finally:
        srv.cleanup()


def test_metrics_listener_without_key():
    srv = cmtest.Server("mlisten", args=["--metrics-listen", "127.0.0.1:0"]).start()
    try:
        m = srv.wait_log(r"metrics without a key on 127\.0\.0\.1:(\d+)")
        port = int(m.group(1))
        import http.client
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        c.request("GET", "/metrics")
        r = c.getresponse()
        text = r.read().decode()
        eq(r.status, 200, "scrape without a key")
        check("carematch_records{" in text and "process_open_fds" in text, "metrics text")
        c.close()
        # errors in the API's shape there too: 404 another path, 405 another method
        for method, path, status, code in (("GET", "/v1/offers/o1", 404, "not_found"),
                                           ("POST", "/metrics", 405, "method_not_allowed"),
                                           ("DELETE", "/metrics?x=1", 405, "method_not_allowed")):
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            c.request(method, path)
            r = c.getresponse()
            body = r.read()
            eq(r.status, status, "%s %s on the metrics port" % (method, path))
            eq(r.getheader("Content-Type"), "application/json", "error content type")
            eq(json.loads(body)["error"]["code"], code, "error code")
            if status == 405:
                eq(r.getheader("Allow"), "GET, HEAD", "Allow")
            c.close()
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        c.request("HEAD", "/metrics")
        r = c.getresponse()
        eq((r.status, r.read()), (200, b""), "HEAD /metrics: the head only")
        check(int(r.getheader("Content-Length")) > 100, "HEAD gives the length")
        c.close()
        expect_error(srv.request("GET", "/metrics", key=None), 401, "unauthorized")
        eq(srv.stop(), 0, "clean stop")
    finally:
        srv.cleanup()


def _put_in_thread(srv, oid, title, done):
    def put():
        st, h, _ = srv.request("PUT", "/v1/offers/" + oid, offer(oid, title=title))
        done[oid] = (st, h, time.time())
    th = threading.Thread(target=put)
    th.start()
    return th


def test_written_offer_waits_off_the_workers():
    """A PUT of an offer is answered once searches see it, and while it waits for the index the
    one worker serves other requests (the answer waits on the event loop); a graceful stop
    answers a waiting PUT at once (durable, X-Index-Lagging)."""
    # an index commit at most every 10 s: a wide window for a slow (sanitizer) build
    srv = cmtest.Server("parked", config={"threadpool_size": 1, "index_batch_ms": 10000,
                                          "visibility_timeout_ms": 30000}).start()
    try:
        eq(srv.request("PUT", "/v1/offers/p0", offer("p0"))[0], 201, "first put")
        # an index commit has just run: the next one comes 10 s later
        done = {}
        th = _put_in_thread(srv, "p1", "Auxiliaire de vie Quetzal", done)
        deadline = time.time() + 3
        st = 404
        while st == 404 and time.time() < deadline:
            st = srv.request("GET", "/v1/offers/p1", key="portal")[0]
            time.sleep(0.02)
        t_get = time.time()
        eq(st, 200, "stored at once: GET reads storage")
        check("p1" not in done, "the GET was served while the PUT waited for the index")
        text = srv.request("GET", "/metrics")[2].decode()
        check("carematch_parked_requests 1" in text, "the waiting PUT is counted as parked")
        th.join(30)
        pst, ph, t_put = done["p1"]
        eq(pst, 201, "the PUT answered")
        check(t_put > t_get and "x-index-lagging" not in ph, "once searches see it: %r" % ph)
        st, _, res = srv.request("GET", "/v1/offers/search?q=Quetzal", key="portal")
        eq([r["offer"]["id"] for r in res["results"]], ["p1"], "read-your-writes")
        # stopping while a PUT waits: answered now, durable, found after the restart
        th = _put_in_thread(srv, "p2", "Auxiliaire de vie Xochi", done)
        deadline = time.time() + 3
        while srv.request("GET", "/v1/offers/p2", key="portal")[0] == 404 and time.time() < deadline:
            time.sleep(0.02)
        check("p2" not in done, "p2 waits for the index")
        eq(srv.stop(), 0, "clean stop with a PUT waiting")
        th.join(30)
        eq(done["p2"][0], 201, "answered at the stop")
        eq(done["p2"][1].get("x-index-lagging"), "true", "as lagging")
        srv.start()
        st, _, res = srv.request("GET", "/v1/offers/search?q=Xochi", key="portal")
        eq([r["offer"]["id"] for r in res["results"]], ["p2"], "indexed after the restart")
        eq(srv.stop(), 0, "clean stop")
    finally:
        srv.cleanup()


def _bulk_in_thread(srv, prefix, n, out):
    lines = "\n".join(json.dumps(offer("%s-%d" % (prefix, i))) for i in range(n))

    def bulk():
        out["r"] = srv.request("POST", "/v1/offers/_bulk", lines, ctype="application/x-ndjson")
    th = threading.Thread(target=bulk)
    th.start()
    return th


def _wait_pending(srv, n, bulk_thread):
    """Until /metrics counts n requests on the pools (itself included), while the bulk runs."""
    deadline = time.time() + 60
    while bulk_thread.is_alive() and time.time() < deadline:
        if "carematch_pending_requests %d\n" % n in srv.request("GET", "/metrics")[2].decode():
            return True
    return False


def test_reads_served_beside_a_long_write():
    """Writes run on threads of their own: with one worker and one writer's thread, a bulk
    import in flight does not hold the reads (before, they queued behind it on the one
    worker). A graceful stop lets a write in flight finish and answer."""
    # a stop waits for the bulk in flight: a bound far above a slow (sanitizer) build's bulk
    srv = cmtest.Server("writers", config={"threadpool_size": 1, "write_threads": 1,
                                           "shutdown_timeout_ms": 120000}).start()
    try:
        eq(srv.request("PUT", "/v1/offers/w0", offer("w0"))[0], 201, "seed")
        out = {}
        th = _bulk_in_thread(srv, "wb", 6000, out)
        check(_wait_pending(srv, 2, th), "the bulk was seen in flight beside a metrics read")
        for i in range(5):
            eq(srv.request("GET", "/v1/offers/w0", key="portal")[0], 200, "read %d" % i)
            eq(srv.request("GET", "/v1/offers/search?q=aide", key="portal")[0], 200, "search")
        check("r" not in out, "five reads answered while the bulk still ran")
        th.join(120)
        eq(out["r"][0], 200, "the bulk answered")
        eq(out["r"][2]["accepted"], 6000, "every line stored")
        # stop while a bulk runs: it finishes and answers, then the server exits cleanly
        out = {}
        th = _bulk_in_thread(srv, "ws", 6000, out)
        check(_wait_pending(srv, 2, th), "the second bulk in flight")
        eq(srv.stop(), 0, "clean stop with a write in flight")
        th.join(120)
        eq(out["r"][0], 200, "answered before the exit")
        eq(out["r"][2]["accepted"], 6000, "all of it")
        srv.start()
        eq(srv.request("GET", "/v1/offers/ws-5999", key="portal")[0], 200, "stored")
        eq(srv.stop(), 0, "clean stop")
    finally:
        srv.cleanup()


def _thread_nices(pid):
    """{thread name: [niceness, ...]} of a process, from /proc (Linux)."""
    out = {}
    for tid in os.listdir("/proc/%d/task" % pid):
        with open("/proc/%d/task/%s/stat" % (pid, tid)) as f:
            stat = f.read()
        fields = stat[stat.rindex(")") + 2:].split()  # after "pid (comm) "
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        out.setdefault(name, []).append(int(fields[16]))  # field 19: nice
    return out


def test_writers_yield_the_cpu_to_reads():
    """write_nice: the writers' threads and the index writer run below the loop and the
    readers' workers, so a write stream takes the CPU the reads leave."""
    srv = cmtest.Server("nice", config={"write_nice": 7}).start()
    try:
        eq(srv.request("PUT", "/v1/offers/n0", offer("n0"))[0], 201, "a write starts the writers")
        eq(srv.request("GET", "/v1/offers/n0", key="portal")[0], 200, "and a read a worker")
        nices = _thread_nices(srv.proc.pid)
        base = nices["carematchd"][0]  # the event loop: the process's own (CI may run niced)
        low = min(base + 7, 19)
        eq(sorted(set(nices.get("cm-write", []))), [low], "every writer's thread 7 below")
        eq(nices.get("cm-index"), [low], "the index writer too")
        eq(nices.get("cm-snap"), [low], "and the catalog snapshot's keeper")
        # its builders 10 further below: they take only the CPU no one else wants
        eq(sorted(set(nices.get("cm-ixbuild", []))), [min(low + 10, 19)], "the index's builders")
        check(all(n == base for name, ns in nices.items() for n in ns
                  if name not in ("cm-write", "cm-index", "cm-ixbuild", "cm-snap")),
              "the readers' workers not: %r" % nices)
        eq(srv.stop(), 0, "clean stop")
        with open(srv.config_path, "w") as f:
            json.dump({"write_nice": 0}, f)
        srv.start()
        eq(srv.request("PUT", "/v1/offers/n1", offer("n1"))[0], 201, "a write")
        nices = _thread_nices(srv.proc.pid)
        eq(sorted(set(nices.get("cm-write", []))), [base], "write_nice 0: left as they are")
        eq(sorted(set(nices.get("cm-ixbuild", []))), [min(base + 10, 19)],
           "the builders still below the writer")
        eq(srv.stop(), 0, "clean stop")
    finally:
        srv.cleanup()


def test_written_offer_answered_lagging_past_the_bound():
    srv = cmtest.Server("lagging", config={"index_batch_ms": 5000,
                                           "visibility_timeout_ms": 300}).start()
    try:
        eq(srv.request("PUT", "/v1/offers/q0", offer("q0"))[0], 201, "first put")
        t0 = time.time()
        st, h, _ = srv.request("PUT", "/v1/offers/q1", offer("q1"))
        eq(st, 201, "answered")
        eq(h.get("x-index-lagging"), "true", "past visibility_timeout_ms: lagging")
        check(time.time() - t0 < 4, "not held until the index commit")
        eq(srv.stop(), 0, "clean stop")
    finally:
        srv.cleanup()


if __name__ == "__main__":
    sys.exit(cmtest.main(globals()))
