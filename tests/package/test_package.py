"""The Debian package: built by CPack from this build, its metadata and files checked,
installed with dpkg into a private root (maintainer scripts run chrootless and touch nothing
outside it), its systemd unit verified, and the service started the way the unit starts it
(its Environment= and ExecStart=, with a temporary data directory and keys), then reloaded
(ExecReload: SIGHUP) and stopped."""
import glob
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

BUILD = os.environ["CM_BUILD_DIR"]
SKIP = 77


def run(*args, **kw):
    r = subprocess.run(args, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        raise AssertionError("%s failed (%d):\n%s%s" % (" ".join(args), r.returncode, r.stdout,
                                                       r.stderr))
    return r.stdout


def check(cond, what):
    if not cond:
        raise AssertionError(what)
    print("ok  ", what)


def unit_settings(path):
    env, execstart, reload_ = {}, None, None
    for line in open(path):
        line = line.strip()
        if line.startswith("Environment="):
            k, v = line[len("Environment="):].split("=", 1)
            env[k] = v
        elif line.startswith("ExecStart="):
            execstart = line[len("ExecStart="):].split()
        elif line.startswith("ExecReload="):
            reload_ = line[len("ExecReload="):]
    return env, execstart, reload_


def get(url, key=None):
    req = urllib.request.Request(url, headers={"Authorization": "Bearer " + key} if key else {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def main():
    for tool in ("cpack", "dpkg", "dpkg-deb"):
        if not shutil.which(tool):
            print("skipped: %s not installed" % tool)
            return SKIP
    tmp = tempfile.mkdtemp(prefix="cm-pkg-", dir=os.environ.get("CM_TEST_TMP"))
    proc = None
    try:
        run("cpack", "-G", "DEB", "-B", tmp, cwd=BUILD)
        debs = glob.glob(os.path.join(tmp, "carematch_*.deb"))
        check(len(debs) == 1, "one package built: %s" % debs)
        deb = debs[0]
        info = run("dpkg-deb", "-I", deb)
        depends = re.search(r"^ Depends: (.*)$", info, re.M).group(1)
        for lib in ("libxapian30", "liblmdb0", "libuv1", "libcjson1", "adduser"):
            check(lib in depends, "depends on " + lib)
        files = run("dpkg-deb", "-c", deb)
        for f in ("./usr/bin/carematchd", "./usr/bin/carematch",
                  "./usr/lib/systemd/system/carematchd.service", "./etc/default/carematchd",
                  "./usr/share/doc/carematch/README.md"):
            check(f in files, "ships " + f)
        check(run("dpkg-deb", "-I", deb, "conffiles").strip() == "/etc/default/carematchd",
              "the defaults file is a conffile")

        root = os.path.join(tmp, "root")
        os.makedirs(os.path.join(root, "var/lib/dpkg/updates"))
        os.makedirs(os.path.join(root, "var/lib/dpkg/info"))
        open(os.path.join(root, "var/lib/dpkg/status"), "w").close()
        run("dpkg", "--root=" + root, "--force-script-chrootless", "--force-depends",
            "--force-not-root", "--log=/dev/null", "-i", deb)
        status = open(os.path.join(root, "var/lib/dpkg/status")).read()
        check(re.search(r"Package: carematch\nStatus: install ok installed", status),
              "dpkg says installed")
        unit = os.path.join(root, "usr/lib/systemd/system/carematchd.service")
        env, execstart, reload_ = unit_settings(unit)
        check(execstart == ["/usr/bin/carematchd"] and "kill -HUP" in reload_,
              "unit starts carematchd, reloads with SIGHUP")
        if shutil.which("systemd-analyze"):
            local = os.path.join(tmp, "carematchd.service")
            text = open(unit).read().replace("/usr/bin/carematchd",
                                             os.path.join(root, "usr/bin/carematchd"))
            open(local, "w").write(text)
            r = subprocess.run(["systemd-analyze", "verify", local], capture_output=True,
                               text=True)
            bad = [l for l in r.stderr.splitlines() if "carematchd.service" in l]
            check(not bad, "systemd-analyze verify: %s" % bad)
        else:
            print("skip  systemd-analyze verify (systemd not installed)")

        # the service as the unit starts it; the operator's defaults file would set these
        data, keys = os.path.join(tmp, "data"), os.path.join(tmp, "keys.json")
        with open(keys, "w") as f:
            json.dump({"keys": [{"key": "pkg-admin-0123456789", "scope": "admin",
                                 "name": "ops"}]}, f)
        env.update({"CAREMATCH_DATA": data, "CAREMATCH_KEYS": keys,
                    "CAREMATCH_LISTEN": "127.0.0.1:0"})
        log = open(os.path.join(tmp, "stderr.log"), "wb")
        binary = os.path.join(root, execstart[0].lstrip("/"))
        check(run(binary, "--version").startswith("carematchd "), "installed binary runs")
        proc = subprocess.Popen([binary] + execstart[1:], env=dict(os.environ, **env),
                                stderr=log, stdout=subprocess.DEVNULL)
        port, deadline = None, time.time() + 60
        while port is None and time.time() < deadline and proc.poll() is None:
            m = re.search(r"listening on 127\.0\.0\.1:(\d+)",
                          open(os.path.join(tmp, "stderr.log")).read())
            port = int(m.group(1)) if m else None
            time.sleep(0.05)
        check(port, "service started and ready")
        base = "http://127.0.0.1:%d" % port
        check(get(base + "/readyz")[0] == 200, "readyz 200")
        req = urllib.request.Request(
            base + "/v1/offers/pkg-1", method="PUT",
            data=json.dumps({"title": "Aide-soignant", "rome": "J1501", "contract": "CDI",
                             "location": {"postcode": "75011"}}).encode(),
            headers={"Authorization": "Bearer pkg-admin-0123456789",
                     "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as r:
            check(r.status == 201, "PUT an offer")
        proc.send_signal(signal.SIGHUP)
        time.sleep(0.3)
        check(proc.poll() is None, "reload (SIGHUP) keeps it running")
        check(get(base + "/v1/offers/pkg-1", "pkg-admin-0123456789")[0] == 200, "GET it")
        proc.send_signal(signal.SIGTERM)
        check(proc.wait(30) == 0, "SIGTERM: clean stop")
        proc = None
        run("dpkg", "--root=" + root, "--force-script-chrootless", "--force-not-root",
            "--log=/dev/null", "--purge", "carematch")
        check(not os.path.exists(os.path.join(root, "usr/bin/carematchd")), "purged")
        return 0
    finally:
        if proc is not None:
            proc.kill()
            proc.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
