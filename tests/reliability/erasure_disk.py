"""The contract's "DELETE erases every trace", on disk, in a running server. On the demo store,
candidates written, read by an adviser (an audit write) and erased one after the other: no
byte of their summaries is in lmdb/data.mdb 3 s after the last DELETE answered (the scrub may
wait a second for a reader). Before the erasure zeroed LMDB's recycled page buffers (and
rewrote the pages the audit had just been appended to), the last erased summary stayed on
disk in the gap of pages written after it (outside probe; this suite failed then). README's
known limit: pages of other records written between a record's last write and its erasure
can still hold pieces of it."""
import os
import sys
import time

import rtest
from rtest import eq


def test_erased_summaries_not_on_disk():
    srv = rtest.Server("erasedisk")
    try:
        demo = os.path.join(rtest.source_dir(), "corpora", "demo")
        for kind, name in (("offers", "offers"), ("candidates", "candidates")):
            rc, out = rtest.cli("--data", srv.data, "import", "--kind", kind,
                                os.path.join(demo, name + ".ndjson"))
            eq(rc, 0, "demo %s imported: %s" % (kind, out[-300:]))
        srv.start()
        marks = []
        for i in range(5):
            cid = "erase-disk-%d" % i
            mark = "Xochiquetzal-secret-%d-zq" % i
            marks.append(mark)
            c = rtest.candidate(cid, location={"lat": 48.85, "lon": 2.35}, summary=mark)
            eq(srv.request("PUT", "/v1/candidates/" + cid, c)[0], 201, "create " + cid)
            eq(srv.request("GET", "/v1/candidates/" + cid, key="adviser")[0], 200, "read")
            eq(srv.request("DELETE", "/v1/candidates/" + cid)[0], 204, "erase " + cid)
        time.sleep(3)
        with open(os.path.join(srv.data, "lmdb", "data.mdb"), "rb") as f:
            blob = f.read()
        eq([m for m in marks if m.encode() in blob], [], "erased summaries in data.mdb")
        eq(srv.stop(), 0, "clean stop")
    finally:
        srv.cleanup()


if __name__ == "__main__":
    sys.exit(rtest.run(globals()))
