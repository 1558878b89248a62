"""kill -9 of carematchd during a bulk import plus concurrent PUTs and DELETEs, then restart:
every acknowledged write is there and identical, acknowledged deletes are gone, an
unacknowledged write is all-or-nothing, and `carematch check` passes. 5 rounds (20 with --long)
on one data directory, so recovery also runs on top of earlier recoveries."""
import random
import signal
import sys
import threading
import time

import rtest
from rtest import candidate, check, eq, offer, subset

ROUNDS = 20 if rtest.LONG else 5
WRITERS = 3          # threads doing single PUT/DELETE, each owning its ids
IDS_PER_WRITER = 12  # small so that the same id is replaced and deleted many times
BULK_LINES = 300
ABSENT = "absent"


class Model:
    """What the server may hold for each id: the acknowledged state plus, when a request was
    in flight at the kill, the state that request would have produced."""

    def __init__(self):
        self.acked = {}    # (kind, id) -> ABSENT or (record sent, echoed body or None)
        self.pending = {}  # (kind, id) -> ABSENT or (record sent, None)
        self.erasures = {}  # candidate id -> erasures that took effect (204, or found at restart)
        self.lock = threading.Lock()

    def begin(self, k, state):
        with self.lock:
            self.pending[k] = state

    def ack(self, k, state):
        with self.lock:
            self.acked[k] = state
            self.pending.pop(k, None)


def writer(port, model, wid, stop, stats, rnd):
    cl = rtest.Client(port, timeout=10)
    n = 0
    while not stop.is_set():
        kind = rnd.choice(["offers", "candidates"])
        rid = "w%d-%s-%d" % (wid, kind[0], rnd.randrange(IDS_PER_WRITER))
        k = (kind, rid)
        try:
            if rnd.random() < 0.25:
                model.begin(k, ABSENT)
                st, _, body = cl.request("DELETE", "/v1/%s/%s" % (kind, rid))
                if st not in (204, 404):
                    stats["bad"].append(("DELETE", rid, st, body))
                if st == 204 and kind == "candidates":
                    with model.lock:
                        model.erasures[rid] = model.erasures.get(rid, 0) + 1
                model.ack(k, ABSENT)
            else:
                n += 1
                if kind == "offers":
                    rec = offer(rid, title="Aide-soignant(e) tour %d" % n,
                                hours_per_week=10 + n % 25,
                                description="poste %s numero %d " % (rid, n) + "x" * (n % 300))
                else:
                    rec = candidate(rid, experience_months=n % 400,
                                    summary="Candidate %s version %d" % (rid, n))
                model.begin(k, (rec, None))
                st, _, body = cl.request("PUT", "/v1/%s/%s" % (kind, rid), rec)
                if st not in (200, 201):
                    stats["bad"].append(("PUT", rid, st, body))
                    model.ack(k, model.acked.get(k, ABSENT))
                    continue
                model.ack(k, (rec, body))
            stats["acked"] += 1
        except Exception:
            # connection refused/reset: the server is gone; this request stays pending
            break
    cl.close()


def bulker(port, model, rnd_seed, rnd, stop, stats):
    cl = rtest.Client(port, timeout=30)
    batch = 0
    while not stop.is_set():
        batch += 1
        recs, lines = [], []
        bad_lines = set()
        for j in range(BULK_LINES):
            rid = "b%d-%d-%d" % (rnd_seed, batch, j)
            if j % 97 == 13:  # a bad line never stops the good ones, and is never stored
                lines.append('{"id": "%s", "title": 12}' % rid)
                bad_lines.add(j + 1)
                model.begin(("offers", rid), ABSENT)
                continue
            rec = offer(rid, title="Bulk %d/%d" % (batch, j), hours_per_week=1 + j % 40)
            recs.append((j + 1, rid, rec))
            lines.append(rtest.json.dumps(rec))
            model.begin(("offers", rid), (rec, None))
        try:
            st, _, body = cl.request("POST", "/v1/offers/_bulk", "\n".join(lines) + "\n",
                                     ctype="application/x-ndjson")
        except Exception:
            break
        if st != 200:
            stats["bad"].append(("BULK", batch, st, body))
            break
        rejected = {e["line"] for e in body.get("errors", [])}
        if rejected != bad_lines or body["accepted"] != len(recs):
            stats["bad"].append(("BULK accounting", batch, body, sorted(bad_lines)))
        for line, rid, rec in recs:
            if line not in rejected:
                model.ack(("offers", rid), (rec, None))
        for line in bad_lines:
            model.ack(("offers", "b%d-%d-%d" % (rnd_seed, batch, line - 1)), ABSENT)
        stats["bulk_lines"] += body.get("accepted", 0)
        if not rtest.LONG:
            time.sleep(0.1)  # keeps CI rounds small; the long mode imports flat out
    cl.close()


def verify_keys(port, model, keys, found, problems):
    cl = rtest.Client(port)
    for k in keys:
        kind, rid = k
        st, _, got = cl.request("GET", "/v1/%s/%s" % (kind, rid))
        allowed = [model.acked.get(k, ABSENT)]  # never acknowledged: absence is fine
        if k in model.pending:
            allowed.append(model.pending[k])
        if st == 404:
            if ABSENT in allowed:
                found[k] = ABSENT
            else:
                problems.append("%s/%s: acknowledged write lost (404)" % k)
            continue
        if st != 200:
            problems.append("%s/%s: GET answered %d %r" % (kind, rid, st, got))
            continue
        ok = None
        for a in allowed:
            if a == ABSENT:
                continue
            rec, echo = a
            if echo is not None:
                if got == echo:  # the echo of an acknowledged PUT carries its version
                    ok = a
                    break
            elif subset(rec, got) is None and isinstance(got.get("version"), int):
                ok = a
                break
        if ok is None:
            problems.append("%s/%s: stored %r matches none of the allowed states %r"
                            % (kind, rid, got, allowed))
        else:
            found[k] = (ok[0], got)
    cl.close()


def verify(srv, model):
    """Compare the restarted server with the model; returns the states actually found, which
    become the acknowledged state of the next round."""
    keys = sorted(set(model.acked) | set(model.pending))
    found, problems = {}, []
    threads = [threading.Thread(target=verify_keys, args=(srv.port, model, keys[i::4], found,
                                                          problems)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    eq(len(found) + len(problems), len(keys), "every id verified")
    if problems:
        raise AssertionError("%d problems after restart:\n  " % len(problems) +
                             "\n  ".join(p[:600] for p in problems[:20]))
    return found


def verify_erasures(srv, model, found):
    """Every candidate's erasure that took effect, answered or cut by the kill, has its audit
    entry: the two are one transaction (a kill between two had left one without its entry)."""
    for k, state in model.pending.items():
        if k[0] == "candidates" and state == ABSENT and found.get(k) == ABSENT and \
                model.acked.get(k, ABSENT) != ABSENT:
            model.erasures[k[1]] = model.erasures.get(k[1], 0) + 1
    cl = rtest.Client(srv.port)
    for rid, n in sorted(model.erasures.items()):
        got, after = 0, 0
        while True:
            st, _, body = cl.request("GET", "/v1/audit?candidate_id=%s&limit=1000&after=%d"
                                     % (rid, after))
            eq(st, 200, "audit of %s" % rid)
            got += sum(1 for e in body["entries"] if e["action"] == "erased")
            if len(body["entries"]) < 1000:
                break
            after = body["entries"][-1]["seq"]
        eq(got, n, "candidate %s: %d erasures took effect, %d audit entries say so" % (rid, n, got))
    cl.close()
    return sum(model.erasures.values())


def test_kill9_rounds():
    seed = int(time.time())
    print("seed %d, %d rounds" % (seed, ROUNDS))
    rnd = random.Random(seed)
    srv = rtest.Server("crash")
    model = Model()
    try:
        srv.start()
        for rnd_no in range(ROUNDS):
            stop = threading.Event()
            stats = {"acked": 0, "bulk_lines": 0, "bad": []}
            threads = [threading.Thread(target=writer, args=(
                srv.port, model, w, stop, stats, random.Random(rnd.random())))
                for w in range(WRITERS)]
            threads.append(threading.Thread(target=bulker, args=(
                srv.port, model, rnd_no, random.Random(rnd.random()), stop, stats)))
            for t in threads:
                t.start()
            # The kill is timed from the first acknowledged write, not from the clients' start:
            # a restarted server on a loaded machine (sanitizers, parallel tests) may take longer
            # than the shortest delay to answer, and a round with nothing acknowledged tests
            # nothing.
            check(rtest.wait_until(lambda: stats["acked"] + stats["bulk_lines"] > 0, 120),
                  "no write acknowledged within 120 s of the round's start")
            time.sleep(rnd.uniform(0.1, 2.3))
            srv.proc.send_signal(signal.SIGKILL)
            srv.proc.wait()
            stop.set()
            for t in threads:
                t.join(60)
                check(not t.is_alive(), "a client thread hung after the kill")
            srv.stop()
            check(not stats["bad"], "unexpected answers before the kill: %r" % stats["bad"][:5])
            # Straight after the kill, before any restart: check replays the change log
            # (the server is down, so it can open for writing) and must find it consistent.
            rc, out = rtest.cli("--data", srv.data, "check")
            check(rc == 0 and '"consistent":true' in out, "check after kill: %d %s" % (rc, out))
            srv.start()
            found = verify(srv, model)
            erasures = verify_erasures(srv, model, found)
            present = sum(1 for v in found.values() if v != ABSENT)
            print("round %d: %d single writes + %d bulk lines acknowledged, %d pending at kill,"
                  " %d records present after restart, %d erasures audited so far"
                  % (rnd_no + 1, stats["acked"], stats["bulk_lines"], len(model.pending),
                     present, erasures))
            sys.stdout.flush()
            check(stats["acked"] + stats["bulk_lines"] > 0, "no write got through this round")
            # what is there now is the truth the next round builds on
            model.acked = {k: (v if v == ABSENT else (v[0], v[1])) for k, v in found.items()}
            model.pending = {}
            # after the restart has replayed the changelog, storage and index agree
            eq(srv.stop(), 0, "clean stop")
            rtest.cli_check(srv.data)
            srv.start()
        eq(srv.stop(), 0, "clean stop")
    finally:
        srv.cleanup()


if __name__ == "__main__":
    sys.exit(rtest.run(globals()))
