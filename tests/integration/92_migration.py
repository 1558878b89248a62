"""A migration to a new data directory: export offers, candidates, events and the audit log
with the CLI, import them into an empty directory, and the new server answers the same stats
and audit log."""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cmtest
from cmtest import candidate, check, eq, offer

CLI = os.path.join(os.path.dirname(cmtest.binary()), "carematch")


def cli(data, *args, stdin=None):
    return subprocess.run([CLI, "--data", data] + list(args), capture_output=True, text=True,
                          timeout=120, env=dict(os.environ, CAREMATCH_URL=""), input=stdin)


def audit_of(s):
    st, _, body = s.request("GET", "/v1/audit?limit=1000")
    eq(st, 200, "audit")
    return [(e["at"], e["key_name"], e["candidate_id"], e["action"]) for e in body["entries"]]


def test_migration():
    old = cmtest.Server("mig-old").start()
    new = None
    try:
        for i in range(3):
            eq(old.request("PUT", "/v1/offers/o%d" % i, offer("o%d" % i))[0], 201, "offer")
            eq(old.request("PUT", "/v1/candidates/c%d" % i, candidate("c%d" % i))[0], 201, "cand")
        for i, kind in enumerate(["proposed", "immersion", "hired"]):
            st, _, _ = old.request("POST", "/v1/events", {"candidate_id": "c%d" % i,
                                                          "offer_id": "o%d" % i, "kind": kind,
                                                          "at": "2026-11-0%dT10:00:00Z" % (i + 1)},
                                   key="adviser")
            eq(st, 201, "event")
        for i in range(3):
            eq(old.request("GET", "/v1/candidates/c%d" % i, key="adviser")[0], 200, "read")
        stats = old.request("GET", "/v1/stats", key="adviser")[2]
        audit = audit_of(old)
        check(len(audit) >= 3, "audit entries: %r" % audit)
        eq(old.stop(), 0, "stop old")
        files = {}
        for what in ("offers", "candidates", "events", "audit"):
            r = cli(old.data, "export", what)
            eq(r.returncode, 0, "export %s: %s" % (what, r.stderr))
            files[what] = os.path.join(old.dir, what + ".ndjson")
            with open(files[what], "w") as f:
                f.write(r.stdout)
        eq(len(open(files["events"]).read().splitlines()), 3, "three events exported")
        new = cmtest.Server("mig-new")
        os.makedirs(new.data, exist_ok=True)
        for what in ("offers", "candidates", "events", "audit"):
            r = cli(new.data, "import", "--kind", what, files[what])
            eq(r.returncode, 0, "import %s: %s %s" % (what, r.stdout, r.stderr))
        r = cli(new.data, "import", "--kind", "events", "-",
                stdin='{"candidate_id":"nobody","kind":"hired","at":"2026-11-05"}\n{bad\n')
        eq(r.returncode, 1, "rejected lines: exit 1")
        eq(json.loads(r.stdout.splitlines()[-1]), {"accepted": 0, "rejected": 2}, "counts")
        new.start()
        eq(new.request("GET", "/v1/stats", key="adviser")[2], stats, "the same stats")
        eq(audit_of(new)[:len(audit)], audit, "the same audit log (time, reader, action)")
        eq(new.stop(), 0, "stop new")
    finally:
        old.cleanup()
        if new:
            new.cleanup()


def test_cli_delete_on_a_data_directory():
    srv = cmtest.Server("cli-del").start()
    try:
        eq(srv.request("PUT", "/v1/candidates/gone", candidate("gone"))[0], 201, "put")
        eq(srv.stop(), 0, "stop")
        r = cli(srv.data, "delete", "candidate", "gone")
        eq(r.returncode, 0, "delete: " + r.stderr)
        eq(json.loads(r.stdout), {"deleted": {"candidate": "gone"}}, "answer")
        r = cli(srv.data, "delete", "candidate", "gone")
        eq(r.returncode, 1, "deleting it again: not found")
        check('"not_found"' in r.stderr, r.stderr)
        srv.start()
        eq(srv.request("GET", "/v1/candidates/gone", key="adviser")[0], 404, "gone for the API")
        eq(srv.stop(), 0, "stop")
    finally:
        srv.cleanup()


if __name__ == "__main__":
    sys.exit(cmtest.main(globals()))
