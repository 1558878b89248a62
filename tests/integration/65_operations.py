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
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        c.request("GET", "/v1/offers/o1")
        r = c.getresponse()
        r.read()
        eq(r.status, 404, "nothing else on the metrics port")
        c.close()
        expect_error(srv.request("GET", "/metrics", key=None), 401, "unauthorized")
        eq(srv.stop(), 0, "clean stop")
    finally:
        srv.cleanup()


if __name__ == "__main__":
    sys.exit(cmtest.main(globals()))
