"""Hot backup: `carematch --data DIR backup DEST` while carematchd takes writes; a second server
started on DEST answers the same for every record acknowledged before the backup started,
acknowledged deletes stay deleted, later writes are all-or-nothing, and DEST passes check."""
import shutil
import os
import sys
import threading
import time

import rtest
from rtest import check, eq, subset

ROUNDS = 3 if rtest.LONG else 1
BULK_FILL = 30000 if rtest.LONG else 3000  # a bigger store makes the backup take longer


def writer(port, stop, acked, lock):
    cl = rtest.Client(port)
    i = 0
    while not stop.is_set():
        i += 1
        if i % 10 == 0:
            recs = [rtest.offer("bw-b%d-%d" % (i, j), title="Lot %d" % j) for j in range(50)]
            st, _, body = rtest.bulk(cl, "offers", recs)
            check(st == 200 and body["accepted"] == 50, "bulk during backup: %d %r" % (st, body))
            t = time.time()
            with lock:
                for r in recs:
                    acked[("offers", r["id"])] = (t, None, r)
            continue
        kind = "offers" if i % 2 else "candidates"
        rid = "bw-%d" % i
        rec = rtest.offer(rid) if kind == "offers" else rtest.candidate(rid, experience_months=i)
        st, _, body = cl.request("PUT", "/v1/%s/%s" % (kind, rid), rec)
        check(st == 201, "write during backup: %d %r" % (st, body))
        with lock:
            acked[(kind, rid)] = (time.time(), body, rec)
    cl.close()


def one_round(n):
    a = rtest.Server("bka")
    dest = rtest.cmtest.tmpdir("bkdest") + "/data"
    b = None
    try:
        a.start()
        # before the backup: bulk + single writes + replacements + deletes, all acknowledged
        demo = rtest.load_ndjson(rtest.source_dir() + "/corpora/demo/offers.ndjson")
        cands = rtest.load_ndjson(rtest.source_dir() + "/corpora/demo/candidates.ndjson")
        st, _, body = rtest.bulk(a, "offers", demo)
        eq((st, body["rejected"]), (200, 0), "demo offers")
        st, _, body = rtest.bulk(a, "candidates", cands)
        eq((st, body["rejected"]), (200, 0), "demo candidates")
        for start in range(0, BULK_FILL, 1000):
            fill = [rtest.offer("fill-%d" % i, description="Poste %d " % i + "texte " * 50)
                    for i in range(start, start + 1000)]
            st, _, body = rtest.bulk(a, "offers", fill)
            eq((st, body["accepted"]), (200, 1000), "fill")
        for r in demo[:5]:
            eq(a.request("DELETE", "/v1/offers/" + r["id"])[0], 204, "delete before")
        for r in cands[:5]:
            eq(a.request("DELETE", "/v1/candidates/" + r["id"])[0], 204, "delete before")
        for r in demo[5:15]:
            eq(a.request("PUT", "/v1/offers/" + r["id"], dict(r, title="Remplacee"))[0], 200,
               "replace before")
        before = {}
        cl = rtest.Client(a.port)
        for kind, recs in [("offers", demo), ("candidates", cands)]:
            for r in recs:
                st, _, body = cl.request("GET", "/v1/%s/%s" % (kind, r["id"]))
                before[(kind, r["id"])] = body if st == 200 else None
        cl.close()
        st, _, stats_before = a.request("GET", "/v1/stats", key="adviser")

        stop, lock, acked = threading.Event(), threading.Lock(), {}
        th = threading.Thread(target=writer, args=(a.port, stop, acked, lock))
        th.start()

        def acked_since(t):
            with lock:
                return any(v[0] >= t for v in acked.values())

        # wait for writes rather than sleep a fixed time: a loaded machine answers late
        check(rtest.wait_until(lambda: acked_since(0), 60), "no write acknowledged before")
        t_start = time.time()
        rc, out = rtest.cli("--data", a.data, "backup", dest)
        t_end = time.time()
        check(rtest.wait_until(lambda: acked_since(t_start), 60) or not th.is_alive(),
              "no write acknowledged during or after the backup")
        stop.set()
        th.join(30)
        check(not th.is_alive(), "writer hung")
        eq(rc, 0, "backup exit status (%s)" % out.strip()[-500:])
        with lock:
            early = {k: v for k, v in acked.items() if v[0] < t_start}
            during = {k: v for k, v in acked.items() if v[0] >= t_start}
        print("round %d: backup of %d+ records took %.2fs; %d writes acknowledged before it, %d during/after"
              % (n, BULK_FILL, t_end - t_start, len(early), len(during)))
        check(early and during, "the writer wrote both before and during the backup")

        b = rtest.Server("bkb", data=dest).start()
        cl = rtest.Client(b.port)
        for (kind, rid), want in before.items():
            st, _, got = cl.request("GET", "/v1/%s/%s" % (kind, rid))
            if want is None:
                eq(st, 404, "deleted before the backup: %s/%s" % (kind, rid))
            else:
                eq((st, got), (200, want), "restored %s/%s" % (kind, rid))
        for (kind, rid), (_, echo, rec) in early.items():
            st, _, got = cl.request("GET", "/v1/%s/%s" % (kind, rid))
            eq(st, 200, "acknowledged before the backup: %s/%s" % (kind, rid))
            if echo is not None:
                eq(got, echo, "same record %s/%s" % (kind, rid))
            else:
                eq(subset(rec, got), None, "same record %s/%s" % (kind, rid))
        present = 0
        for (kind, rid), (_, echo, rec) in during.items():
            st, _, got = cl.request("GET", "/v1/%s/%s" % (kind, rid))
            check(st in (200, 404), "written during the backup: %d" % st)
            if st == 200:
                present += 1
                eq(subset(rec, got), None, "whole record %s/%s" % (kind, rid))
        for i in range(0, BULK_FILL, 97):
            st, _, got = cl.request("GET", "/v1/offers/fill-%d" % i)
            eq(st, 200, "filler fill-%d restored" % i)
        st, _, stats_b = cl.request("GET", "/v1/stats", key="adviser")
        eq(stats_b["candidates_total"] >= stats_before["candidates_total"], True, "candidates")
        st, _, res = cl.request("GET", "/v1/offers/search?q=aide&per_page=5", key="portal")
        eq(st, 200, "search on the restored copy")
        check(res["total"] > 0, "restored index answers searches")
        cl.close()
        print("  restored copy: %d of the %d later writes included" % (present, len(during)))
        # the restored server takes writes too
        eq(b.request("PUT", "/v1/offers/after-restore", rtest.offer("after-restore"))[0], 201,
           "write on the restored copy")
        eq(b.stop(), 0, "stop restored")
        rtest.cli_check(dest)
        eq(a.stop(), 0, "stop original")
        rtest.cli_check(a.data)
    finally:
        a.cleanup()
        if b:
            b.cleanup()
        shutil.rmtree(dest.rsplit("/", 1)[0], ignore_errors=True)


def test_backup_while_writing():
    for n in range(ROUNDS):
        one_round(n + 1)


def test_backup_refuses_bad_destination():
    a = rtest.Server("bkbad").start()
    try:
        eq(a.request("PUT", "/v1/offers/x", rtest.offer("x"))[0], 201, "seed")
        rc, out = rtest.cli("--data", a.data, "backup", "/proc/no-such-place/x")
        eq(rc, 2, "backup to an impossible place: a usage error (%r)" % out)
        # into an existing non-empty directory: refuse or succeed, never a half copy over data
        rc, out = rtest.cli("--data", a.data, "backup", a.data)
        check(rc != 0, "backup onto its own data directory must be refused (%r)" % out)
        eq(rc, 2, "a destination refused is a usage error")
        for inside in ("xapian/mybackup", "lmdb", "copy"):
            dest = os.path.join(a.data, inside)
            rc, out = rtest.cli("--data", a.data, "backup", dest)
            eq(rc, 2, "backup inside the data directory (%s) refused: %r" % (inside, out))
            check("inside" in out, "the message says why: %r" % out)
            check(inside == "lmdb" or not os.path.exists(dest), "no directory left: %s" % dest)
        first = os.path.join(a.dir, "twice")
        eq(rtest.cli("--data", a.data, "backup", first)[0], 0, "a backup")
        rc, out = rtest.cli("--data", a.data, "backup", first)
        eq(rc, 2, "the same destination again: refused as exists (%r)" % out)
        other = os.path.join(a.dir, "other")  # a directory holding something else
        os.mkdir(other)
        open(os.path.join(other, "notes.txt"), "w").write("x")
        rc, out = rtest.cli("--data", a.data, "backup", other)
        eq(rc, 2, "a non-empty destination refused: %r" % out)
        check("not empty" in out and not os.path.exists(os.path.join(other, "lmdb")),
              "said, nothing written: %r" % out)
        empty = os.path.join(a.dir, "empty")  # an empty one is fine
        os.mkdir(empty)
        eq(rtest.cli("--data", a.data, "backup", empty)[0], 0, "an empty directory")
        eq(a.request("GET", "/v1/offers/x")[0], 200, "server fine afterwards")
        eq(a.stop(), 0, "stop")
        rtest.cli_check(a.data)
    finally:
        a.cleanup()


if __name__ == "__main__":
    sys.exit(rtest.run(globals()))
