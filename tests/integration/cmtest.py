"""Shared helpers for the carematchd integration tests (Python 3 stdlib only).

Starts the real build/carematchd on 127.0.0.1 port 0 with a temporary data directory and a
keys file holding one key per scope, parses the port from stderr, and offers request helpers.
Each test module calls cmtest.main(globals()): every test_* function runs in order.
"""
import atexit
import hashlib
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback

KEYS = {"admin": "k-admin-0123456789", "adviser": "k-adviser-0123456789",
        "portal": "k-portal-0123456789"}


def binary():
    if os.environ.get("CAREMATCHD"):
        return os.environ["CAREMATCHD"]
    build = os.environ.get("CM_BUILD_DIR") or os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "build")
    return os.path.join(build, "carematchd")


_TMPDIRS = []
_FAILED = []


def _excepthook(kind, value, tb):
    _FAILED.append(kind)
    sys.__excepthook__(kind, value, tb)


def _cleanup():
    """The suite's temporary directories, removed when it ends without an uncaught exception
    (a build's test directory grew by 67 GB over a day of runs); kept after a failure, or
    with CM_KEEP_TMP=1."""
    if _FAILED or os.environ.get("CM_KEEP_TMP") == "1":
        return
    for d in _TMPDIRS:
        shutil.rmtree(d, ignore_errors=True)


def tmpdir(tag):
    base = os.environ.get("CM_TEST_TMP") or tempfile.gettempdir()
    os.makedirs(base, exist_ok=True)
    d = tempfile.mkdtemp(prefix=tag + "-", dir=base)
    if not _TMPDIRS:
        sys.excepthook = _excepthook
        real_exit = sys.exit

        def _exit(code=0):  # the suites end with sys.exit(rc): a failure's rc keeps them
            if code not in (0, None, 77):
                _FAILED.append(code)
            real_exit(code)
        sys.exit = _exit
        atexit.register(_cleanup)
    _TMPDIRS.append(d)
    return d


SINGLE_HEADERS = {"content-length", "content-type", "retry-after", "allow", "etag", "location",
                  "www-authenticate", "x-request-id", "x-index-lagging", "connection", "date",
                  "access-control-allow-origin"}


class Server:
    """One carematchd process. data: reuse a data directory (restart tests)."""

    def __init__(self, tag="srv", config=None, data=None, env=None, args=None, nofile=None):
        self.env = dict(os.environ, **(env or {}))
        self.nofile = nofile  # the process's descriptor limit (soft and hard), when set
        self.extra_args = list(args or [])
        self.dir = tmpdir(tag)
        self.data = data or os.path.join(self.dir, "data")
        self.keys_path = os.path.join(self.dir, "keys.json")
        # the portal key is stored as its SHA-256 only, to exercise that form
        with open(self.keys_path, "w") as f:
            json.dump({"keys": [
                {"key": KEYS["admin"], "scope": "admin", "name": "ops"},
                {"key": KEYS["adviser"], "scope": "adviser", "name": "adviser-1"},
                {"key_sha256": hashlib.sha256(KEYS["portal"].encode()).hexdigest(),
                 "scope": "portal", "name": "portal-web"}]}, f)
        self.config_path = None
        if config is not None:
            self.config_path = os.path.join(self.dir, "config.json")
            with open(self.config_path, "w") as f:
                json.dump(config, f)
        self.log_path = os.path.join(self.dir, "stderr.log")
        self.proc = None
        self.port = None

    def wait_log(self, pattern, timeout=30):
        """The first match of regex `pattern` in this run's log lines (AssertionError after
        `timeout` seconds or when the server exits)."""
        import re
        deadline = time.time() + timeout
        while time.time() < deadline:
            m = re.search(pattern, self.read_log(self.start_offset))
            if m:
                return m
            if self.proc.poll() is not None:
                break
            time.sleep(0.02)
        raise AssertionError("no %r in log:\n%s" % (pattern, self.read_log(self.start_offset)))

    def start_early(self):
        """Start without waiting for readiness; the port from the "port ... open" log line."""
        self.start(wait=False)
        m = self.wait_log(r"port 127\.0\.0\.1:(\d+) open")
        self.port = int(m.group(1))
        return self

    def start(self, timeout=30, wait=True):
        args = [binary(), "--data", self.data, "--listen", "127.0.0.1:0",
                "--keys", self.keys_path]
        if self.config_path:
            args += ["--config", self.config_path]
        args += self.extra_args
        self.log = open(self.log_path, "ab")
        offset = self.log.tell()  # a restart appends: look only at this run's lines
        self.start_offset = offset
        limit = None
        if self.nofile:
            import resource
            n = self.nofile

            def limit():
                resource.setrlimit(resource.RLIMIT_NOFILE, (n, n))
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=self.log,
                                     env=self.env, preexec_fn=limit)
        if not wait:
            return self
        deadline = time.time() + timeout
        while time.time() < deadline:
            text = self.read_log(offset)
            for line in text.splitlines():
                if line.startswith("listening on "):
                    self.port = int(line.rsplit(":", 1)[1])
                    return self
            if self.proc.poll() is not None:
                raise AssertionError("carematchd exited %s:\n%s" % (self.proc.returncode, text))
            time.sleep(0.05)
        raise AssertionError("carematchd did not start:\n" + self.read_log())

    def read_log(self, offset=0):
        with open(self.log_path, "rb") as f:
            return f.read()[offset:].decode("utf-8", "replace")

    def log_records(self):
        out = []
        for line in self.read_log().splitlines():
            if line.startswith("{"):
                out.append(json.loads(line))
        return out

    def stop(self, sig=signal.SIGTERM, timeout=30):
        if not self.proc:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        elif self.proc.returncode is not None:
            self.log.close()
            rc, self.proc = self.proc.returncode, None
            return rc
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
            raise AssertionError("carematchd did not stop within %ss" % timeout)
        self.log.close()
        self.proc = None
        return rc

    def cleanup(self):
        if self.proc:
            self.stop(signal.SIGKILL)
        shutil.rmtree(self.dir, ignore_errors=True)

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    # ---- HTTP ----
    def conn(self, timeout=30):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def request(self, method, path, body=None, key="admin", headers=None,
                ctype="application/json"):
        """Returns (status, headers(lowercase dict), parsed JSON or raw bytes)."""
        h = {}
        if key:
            h["Authorization"] = "Bearer " + (KEYS.get(key, key))
        if body is not None:
            if not isinstance(body, (bytes, str)):
                body = json.dumps(body)
            if isinstance(body, str):
                body = body.encode()
            if ctype:
                h["Content-Type"] = ctype
        h.update(headers or {})
        c = self.conn()
        try:
            c.request(method, path, body=body, headers=h)
            r = c.getresponse()
            data = r.read()
            hdrs = {k.lower(): v for k, v in r.getheaders()}
            # every answer of every suite: a header that may appear once appears once (a
            # strict proxy refuses a repeated Retry-After or Content-Length)
            names = [k.lower() for k, _ in r.getheaders() if k.lower() in SINGLE_HEADERS]
            if len(names) != len(set(names)):
                raise AssertionError("%s %s: a header repeated in %r" % (method, path,
                                                                         r.getheaders()))
            if hdrs.get("content-type", "").startswith("application/json") and data:
                data = json.loads(data)
            return r.status, hdrs, data
        finally:
            c.close()

    def raw(self, data, timeout=5.0, read_until_close=True):
        """Send raw bytes, return everything read until the peer closes (or timeout)."""
        s = socket.create_connection(("127.0.0.1", self.port), timeout=timeout)
        try:
            s.sendall(data)
            return read_all(s, timeout)
        finally:
            s.close()


def read_all(s, timeout=5.0):
    out = b""
    deadline = time.time() + timeout
    s.settimeout(0.2)
    while time.time() < deadline:
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            continue
        except ConnectionResetError:
            break
        if not chunk:
            break
        out += chunk
    return out


def split_responses(data):
    """Split raw HTTP/1.1 responses (Content-Length framed) into (status, body bytes) list."""
    out = []
    while data:
        head, sep, rest = data.partition(b"\r\n\r\n")
        if not sep:
            break
        lines = head.split(b"\r\n")
        status = int(lines[0].split()[1])
        length = 0
        for l in lines[1:]:
            k, _, v = l.partition(b":")
            if k.strip().lower() == b"content-length":
                length = int(v.strip())
        out.append((status, rest[:length]))
        data = rest[length:]
    return out


def check(cond, msg="check failed"):
    if not cond:
        raise AssertionError(msg)


def eq(got, want, what=""):
    if got != want:
        raise AssertionError("%s: got %r, want %r" % (what, got, want))


def expect_error(resp, status, code, field=None, what=""):
    st, _, body = resp
    eq(st, status, what + " status (body %r)" % (body,))
    check(isinstance(body, dict) and "error" in body, what + ": no error object in %r" % (body,))
    eq(body["error"].get("code"), code, what + " code")
    check(isinstance(body["error"].get("message"), str), what + ": message")
    if field is not None:
        eq(body["error"].get("field"), field, what + " field")
    check(set(body.keys()) == {"error"}, what + ": extra keys in %r" % (body,))
    check(set(body["error"].keys()) <= {"code", "message", "field"}, what + ": error keys")


def offer(oid, **over):
    o = {"id": oid, "title": "Aide-soignant(e) de nuit H/F",
         "description": "EHPAD de 80 lits recherche un aide-soignant pour les nuits",
         "rome": "J1501", "employer": {"name": "EHPAD Les Tilleuls", "kind": "ehpad"},
         "location": {"lat": 48.8589, "lon": 2.3800, "city": "Paris", "postcode": "75011"},
         "contract": "CDI", "hours_per_week": 35,
         "schedule": [{"days": ["mon", "tue", "wed"], "from": "21:00", "to": "07:00"}],
         "skills": [{"label": "Soins d'hygiène et de confort", "required": True}],
         "certifications": [{"code": "DEAS", "required": True}],
         "immersion_possible": True, "published_at": "2026-11-02", "status": "open"}
    o.update(over)
    return o


def candidate(cid, **over):
    c = {"id": cid, "location": {"lat": 48.8156, "lon": 2.3631, "postcode": "94200"},
         "desired_rome": ["J1501", "K1311"],
         "skills": ["Soins d'hygiène et de confort", "Aide à la prise des repas"],
         "certifications": ["DEAES"], "experience_months": 18,
         "mobility": {"modes": ["transit", "walk"], "max_minutes": 45,
                      "driving_licence": False, "vehicle": False},
         "availability": [{"days": ["mon", "tue", "wed", "thu", "fri"],
                           "from": "08:30", "to": "16:30"}],
         "childcare": {"children_under_12": 2, "solo_parent": True},
         "contracts": ["CDI", "CDD"], "disability_recognised": False,
         "open_to_immersion": True, "summary": "Auxiliaire de vie depuis 2 ans",
         "status": "active"}
    c.update(over)
    return c


def strip_version(rec):
    return {k: v for k, v in rec.items() if k != "version"}


def main(ns, server=None):
    """Run every test_* of module namespace ns (in definition order) with a shared server."""
    tests = [(n, f) for n, f in ns.items() if n.startswith("test_") and callable(f)]
    failed = 0
    for name, fn in tests:
        t0 = time.time()
        try:
            if server is not None and fn.__code__.co_argcount == 1:
                fn(server)
            else:
                fn()
            print("ok   %s (%.2fs)" % (name, time.time() - t0))
        except Exception:
            failed += 1
            print("FAIL %s" % name)
            traceback.print_exc()
            if server is not None and server.proc is not None and server.proc.poll() is not None:
                print("server died; stderr tail:\n" + server.read_log()[-3000:])
        sys.stdout.flush()
    print("%d/%d passed" % (len(tests) - failed, len(tests)))
    return 1 if failed else 0


def run_module(ns, tag, config=None):
    srv = Server(tag, config=config).start()
    try:
        rc = main(ns, srv)
        if srv.alive():
            code = srv.stop()
            if code != 0:
                print("FAIL carematchd exit status %s after SIGTERM" % code)
                rc = 1
        else:
            print("FAIL carematchd died:\n" + srv.read_log()[-3000:])
            rc = 1
    finally:
        srv.cleanup()
    sys.exit(rc)
