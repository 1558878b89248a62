"""Helpers shared by the reliability suites (Python 3 stdlib only), on top of
tests/integration/cmtest.py: long/CI mode, the carematch CLI, keep-alive clients, /proc probes,
skips that ctest reports as skipped (exit 77), and a tiny test runner."""
import hashlib
import http.client
import json
import os
import resource
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
import cmtest  # noqa: E402
from cmtest import KEYS, Server, candidate, check, eq, expect_error, offer  # noqa: E402,F401

SKIP = 77  # ctest SKIP_RETURN_CODE (set in CMakeLists.txt)
LONG = "--long" in sys.argv or os.environ.get("CM_LONG") == "1"


def build_dir():
    return os.environ.get("CM_BUILD_DIR") or os.path.join(HERE, "..", "..", "build")


def source_dir():
    return os.environ.get("CM_SOURCE_DIR") or os.path.join(HERE, "..", "..")


def cli(*args, timeout=300):
    """Run build/carematch; returns (exit status, stdout+stderr text)."""
    p = subprocess.run([os.path.join(build_dir(), "carematch")] + list(args),
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout)
    return p.returncode, p.stdout.decode("utf-8", "replace")


def _snap_state(data):
    try:
        st = os.stat(os.path.join(data, "catalog.snap"))
        return (st.st_ino, st.st_size, st.st_mtime_ns)
    except FileNotFoundError:
        return None


def cli_check(data):
    """`carematch check` passes, and leaves the catalog snapshot as it found it (none after a
    crash, the clean stop's one after a clean stop): check only reads."""
    before = _snap_state(data)
    rc, out = cli("--data", data, "check")
    if rc != 0:
        raise AssertionError("carematch check on %s exited %d:\n%s" % (data, rc, out[-3000:]))
    after = _snap_state(data)
    if after != before:
        raise AssertionError("carematch check changed %s/catalog.snap: %r -> %r"
                             % (data, before, after))
    return out


def skip(msg):
    print("SKIP: " + msg)
    sys.stdout.flush()
    sys.exit(SKIP)


def raise_nofile(want):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = hard if hard == resource.RLIM_INFINITY else min(hard, max(soft, want))
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def proc_status_kib(pid, field="VmRSS"):
    """A kB field of /proc/PID/status: VmRSS, RssAnon (heap: what a leak grows), RssFile
    (mapped files, LMDB's pages among them)."""
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise AssertionError("no %s for pid %d" % (field, pid))


def proc_rss_kib(pid):
    return proc_status_kib(pid, "VmRSS")


def proc_fds(pid):
    return len(os.listdir("/proc/%d/fd" % pid))


def sha256_hex(s):
    return hashlib.sha256(s.encode()).hexdigest()


def write_keys(srv, entries):
    """Replace the keys file of a not yet started cmtest.Server."""
    with open(srv.keys_path, "w") as f:
        json.dump({"keys": entries}, f)


class Client:
    """One keep-alive connection that reconnects after an error. request() returns
    (status, headers, body) like cmtest.Server.request, or raises OSError /
    http.client.HTTPException when the server is unreachable or died mid-answer."""

    def __init__(self, port, key="admin", timeout=30):
        self.port, self.key, self.timeout = port, key, timeout
        self.c = None

    def close(self):
        if self.c:
            self.c.close()
            self.c = None

    def request(self, method, path, body=None, key=None, ctype="application/json",
                headers=None):
        key = key if key is not None else self.key
        h = {}
        if key:
            h["Authorization"] = "Bearer " + KEYS.get(key, key)
        if body is not None:
            if not isinstance(body, (bytes, str)):
                body = json.dumps(body)
            if isinstance(body, str):
                body = body.encode()
            h["Content-Type"] = ctype
        h.update(headers or {})
        if self.c is None:
            self.c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            self.c.request(method, path, body=body, headers=h)
            r = self.c.getresponse()
            data = r.read()
        except Exception:
            self.close()
            raise
        hdrs = {k.lower(): v for k, v in r.getheaders()}
        if r.will_close:
            self.close()
        if hdrs.get("content-type", "").startswith("application/json") and data:
            data = json.loads(data)
        return r.status, hdrs, data


def subset(want, got, path=""):
    """Every field of `want` is in `got` with the same value (the server may add defaults)."""
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return "%s: not an object: %r" % (path, got)
        for k, v in want.items():
            if k not in got:
                return "%s.%s missing" % (path, k)
            err = subset(v, got[k], path + "." + k)
            if err:
                return err
        return None
    if isinstance(want, list):
        if not isinstance(got, list) or len(got) != len(want):
            return "%s: list differs: %r vs %r" % (path, want, got)
        for i, (a, b) in enumerate(zip(want, got)):
            err = subset(a, b, "%s[%d]" % (path, i))
            if err:
                return err
        return None
    if isinstance(want, float) or isinstance(got, float):
        return None if abs(float(want) - float(got)) < 1e-9 else "%s: %r != %r" % (path, want, got)
    return None if want == got else "%s: %r != %r" % (path, want, got)


def find_keys(obj, names, path=""):
    """Paths of every object key in `names`, anywhere in a JSON value."""
    hits = []
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k in names:
                hits.append(path + "." + k)
            hits += find_keys(v, names, path + "." + k)
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            hits += find_keys(v, names, "%s[%d]" % (path, i))
    return hits


def load_ndjson(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def bulk(client_or_srv, kind, records, key="admin"):
    body = "".join(json.dumps(r) + "\n" for r in records)
    return client_or_srv.request("POST", "/v1/%s/_bulk" % kind, body, key=key,
                                 ctype="application/x-ndjson")


def run(ns, server=None):
    """cmtest.main plus an exit status; a test may call skip()."""
    rc = cmtest.main(ns, server)
    sys.stdout.flush()
    return rc


def wait_until(pred, timeout, step=0.05):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if pred():
            return True
        time.sleep(step)
    return pred()

