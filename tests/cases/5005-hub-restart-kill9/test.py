# SPDX-License-Identifier: Apache-2.0
import os, sys, threading, time, signal
sys.path.insert(0, os.path.join(os.environ["ROOT"], "tests", "hub"))
from hubtest import *

BASE = "/taxii2/vigil/collections/main/"


def all_ids(hub, t):
    ids, nxt = [], None
    while True:
        r = hub.get(BASE + "objects/?limit=1000" + ("&next=" + nxt if nxt else ""), t)
        check(r.status == 200, "list %r" % r)
        env = r.json()
        ids += [o["id"] for o in env.get("objects", [])]
        if not env["more"]:
            return ids
        nxt = env["next"]


for store in stores():
    hub = Hub(store, os.path.join(os.getcwd(), store))
    tok = standard_orgs(hub)
    hub.start()
    acked, inflight = [], []
    stop = threading.Event()

    def writer():
        n = 0
        while not stop.is_set():
            batch = [indicator(n + i, "clear") for i in range(20)]
            inflight[:] = [o["id"] for o in batch]
            try:
                r = hub.post_objects("main", tok["pubA"], batch)
            except Exception:
                return  # the hub died under us: not acknowledged
            if r.status == 202 and r.json()["success_count"] == 20:
                acked.extend(o["id"] for o in batch)
            n += 20

    th = threading.Thread(target=writer)
    th.start()
    time.sleep(1.5)
    hub.proc.kill()  # kill -9
    hub.proc.wait()
    stop.set()
    th.join()
    check(len(acked) >= 20, "%s: nothing acknowledged before the kill" % store)
    hub.start()
    ids = all_ids(hub, tok["A"])
    check(len(ids) == len(set(ids)), "%s: duplicates after kill -9" % store)
    missing = set(acked) - set(ids)
    check(not missing, "%s: %d acknowledged objects lost" % (store, len(missing)))
    extra = set(ids) - set(acked)
    check(extra == set() or extra == set(inflight), "%s: in-flight batch partly stored (%d)" % (store, len(extra)))
    # clean restart keeps everything, tokens still work
    check(hub.stop() == 0, "exit status")
    hub.start()
    check(all_ids(hub, tok["A"]) == ids, "%s: restart changed the objects" % store)
    # graceful stop: a big request in flight when SIGTERM arrives still completes
    big = [indicator(900000 + i, "clear") for i in range(3000)]
    res = {}

    def poster():
        res["r"] = hub.post_objects("main", tok["pubA"], big)

    th = threading.Thread(target=poster)
    th.start()
    time.sleep(0.3)
    hub.proc.send_signal(signal.SIGTERM)
    th.join()
    rc = hub.proc.wait(timeout=60)
    check(res.get("r") is not None and res["r"].status == 202 and res["r"].json()["success_count"] == 3000,
          "%s: in-flight request at SIGTERM: %r" % (store, res.get("r")))
    check(rc == 0, "%s: exit status after SIGTERM %d" % (store, rc))
    hub.proc = None
    hub.start()
    check(len(all_ids(hub, tok["A"])) == len(ids) + 3000, "%s: the big request's objects" % store)
    check(hub.stop() == 0, "exit")
    print("%s: %d acknowledged before kill -9, none lost" % (store, len(acked)) if False else "%s: durability ok" % store)
