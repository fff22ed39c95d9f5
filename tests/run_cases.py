# SPDX-License-Identifier: Apache-2.0
"""run_cases.py — the end-to-end case runner behind tests/run-cases.

A case is a directory NNNN-name/ holding:
  cmd            shell snippet, run as `sh -e cmd` in a fresh temp dir $OUT
                 (cwd = $OUT) with VIGIL, ROOT, CASE, OUT in the environment
  expect.rc      expected exit code (default 0)
  expect.stdout  exact expected stdout (optional)
  expect.stderr  exact expected stderr (optional)
  expect.eve     JSON lines the events in $OUT/eve.json must equal, in order,
                 after dropping timestamp, flow_id, pcap_filename, flow.start,
                 flow.end and event_type "stats" lines from both sides
  checks.json    [{"count": N, "match": {"dotted.path[0].x": value, ...}}]:
                 each filter must match exactly N events (no count: >= 1);
                 a "__len" suffix on a path takes the length of a string/list
  skip           shell snippet; exit 0 means skip (its stdout is the reason)
A case that runs longer than the timeout (60 s, VIGIL_CASE_TIMEOUT) is
killed with its whole process group and fails.  Output dirs of failed cases
are kept (path printed); set KEEP=1 to keep all.  Python 3 stdlib only.
"""
import difflib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile

TIMEOUT = float(os.environ.get("VIGIL_CASE_TIMEOUT", "60"))
VOLATILE = ("timestamp", "flow_id", "pcap_filename", "flow.start", "flow.end")


def read(path, binary=False):
    with open(path, "rb" if binary else "r", encoding=None if binary else "utf-8") as f:
        return f.read()


def diff(name, want, got):
    w = want.decode("utf-8", "replace").splitlines(keepends=True)
    g = got.decode("utf-8", "replace").splitlines(keepends=True)
    out = "".join(difflib.unified_diff(w, g, "expected " + name, "actual " + name))
    if not out:  # differs only in a missing final newline or similar
        out = "--- expected %s\n%r\n+++ actual %s\n%r\n" % (name, want, name, got)
    return out


def load_events(path):
    events = []
    with open(path, "r", encoding="utf-8") as f:
        for no, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                events.append(json.loads(line))
            except ValueError as e:
                raise ValueError("%s:%d: invalid JSON: %s" % (path, no, e))
    return events


def strip_volatile(events):
    out = []
    for ev in events:
        if isinstance(ev, dict) and ev.get("event_type") == "stats":
            continue
        if isinstance(ev, dict):
            ev = json.loads(json.dumps(ev))
            for key in VOLATILE:
                parts = key.split(".")
                d = ev
                for p in parts[:-1]:
                    d = d.get(p) if isinstance(d, dict) else None
                if isinstance(d, dict):
                    d.pop(parts[-1], None)
        out.append(ev)
    return out


_MISSING = object()
_TOKEN = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def lookup(ev, path):
    want_len = False
    if path.endswith("__len"):
        want_len = True
        path = path[: -len("__len")].rstrip(".")
    cur = ev
    pos = 0
    while pos < len(path):
        if path[pos] == ".":
            pos += 1
            continue
        m = _TOKEN.match(path, pos)
        if not m:
            return _MISSING
        pos = m.end()
        if m.group(1) is not None:
            if not isinstance(cur, dict) or m.group(1) not in cur:
                return _MISSING
            cur = cur[m.group(1)]
        else:
            i = int(m.group(2))
            if not isinstance(cur, list) or i >= len(cur):
                return _MISSING
            cur = cur[i]
    if want_len:
        return len(cur) if isinstance(cur, (str, list, dict)) else _MISSING
    return cur


def run_checks(checks, events):
    errs = []
    for i, flt in enumerate(checks):
        match = flt.get("match", {})
        n = sum(1 for ev in events if all(lookup(ev, k) == v for k, v in match.items()))
        if "count" in flt:
            if n != flt["count"]:
                errs.append("checks.json[%d]: %d events match %s, want %d"
                            % (i, n, json.dumps(match, sort_keys=True), flt["count"]))
        elif n < 1:
            errs.append("checks.json[%d]: no event matches %s"
                        % (i, json.dumps(match, sort_keys=True)))
    return errs


def run_case(case, env_base):
    name = os.path.basename(case)
    out = tempfile.mkdtemp(prefix="vigil-case-%s-" % name)
    env = dict(env_base, CASE=case, OUT=out)
    keep = os.environ.get("KEEP") == "1"
    try:
        skip = os.path.join(case, "skip")
        if os.path.exists(skip):
            p = subprocess.run(["sh", skip], cwd=out, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, timeout=TIMEOUT)
            if p.returncode == 0:
                reason = p.stdout.decode("utf-8", "replace").strip() or "skipped"
                return "skip", reason, out
        proc = subprocess.Popen(["sh", "-e", os.path.join(case, "cmd")], cwd=out, env=env,
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, start_new_session=True)
        try:
            stdout, stderr = proc.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            try:  # a descendant that left the group may still hold the pipes
                proc.communicate(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
            keep = True
            return "FAIL", "timed out after %g s (killed)" % TIMEOUT, out
        problems = []
        rc_file = os.path.join(case, "expect.rc")
        want_rc = int(read(rc_file).strip() or "0") if os.path.exists(rc_file) else 0
        if proc.returncode != want_rc:
            problems.append("exit code %d, want %d" % (proc.returncode, want_rc))
        for stream, got in (("stdout", stdout), ("stderr", stderr)):
            f = os.path.join(case, "expect." + stream)
            if os.path.exists(f):
                want = read(f, binary=True)
                if want != got:
                    problems.append(diff(stream, want, got))
        if want_rc != proc.returncode and not os.path.exists(os.path.join(case, "expect.stderr")) \
                and stderr:
            problems.append("stderr:\n" + stderr.decode("utf-8", "replace"))
        eve_path = os.path.join(out, "eve.json")
        ev_file = os.path.join(case, "expect.eve")
        ck_file = os.path.join(case, "checks.json")
        if os.path.exists(ev_file) or os.path.exists(ck_file):
            try:
                events = load_events(eve_path) if os.path.exists(eve_path) else None
                if events is None:
                    problems.append("no eve.json written")
                else:
                    if os.path.exists(ev_file):
                        want = strip_volatile(load_events(ev_file))
                        got = strip_volatile(events)
                        if want != got:
                            w = "".join(json.dumps(e, sort_keys=True) + "\n" for e in want)
                            g = "".join(json.dumps(e, sort_keys=True) + "\n" for e in got)
                            problems.append(diff("eve", w.encode(), g.encode()))
                    if os.path.exists(ck_file):
                        problems.extend(run_checks(json.loads(read(ck_file)), events))
            except ValueError as e:
                problems.append(str(e))
        if problems:
            keep = True
            return "FAIL", "\n".join(problems), out
        return "ok", "", out
    finally:
        if not keep:
            shutil.rmtree(out, ignore_errors=True)


def find_cases(args):
    cases = []
    for a in args:
        a = os.path.abspath(a)
        if os.path.isfile(os.path.join(a, "cmd")):
            cases.append(a)
        elif os.path.isdir(a):
            for d in sorted(os.listdir(a)):
                p = os.path.join(a, d)
                if os.path.isfile(os.path.join(p, "cmd")):
                    cases.append(p)
        else:
            print("run-cases: no such case or directory: %s" % a, file=sys.stderr)
            sys.exit(2)
    return cases


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    args = sys.argv[1:] or [os.path.join(root, "tests", "cases")]
    if any(a in ("-h", "--help") for a in args):
        print(__doc__)
        return 0
    vigil = os.environ.get("VIGIL") or os.path.join(root, "build", "vigil")
    vigil = os.path.abspath(vigil)
    if not os.access(vigil, os.X_OK):
        print("run-cases: vigil binary not found: %s (set VIGIL)" % vigil, file=sys.stderr)
        return 2
    env = dict(os.environ, VIGIL=vigil, ROOT=root, LC_ALL="C")
    env.pop("VIGIL_FEEDS", None)
    counts = {"ok": 0, "FAIL": 0, "skip": 0}
    failed = []
    for case in find_cases(args):
        name = os.path.basename(case)
        status, detail, out = run_case(case, env)
        counts[status] += 1
        if status == "ok":
            print("ok %s" % name)
        elif status == "skip":
            print("skip %s: %s" % (name, detail))
        else:
            failed.append(name)
            print("FAIL %s" % name)
            for line in detail.rstrip("\n").split("\n"):
                print("    " + line)
            print("    (output kept in %s)" % out)
        sys.stdout.flush()
    total = sum(counts.values())
    print("%d cases: %d ok, %d failed, %d skipped" % (total, counts["ok"], counts["FAIL"],
                                                     counts["skip"]))
    if failed:
        print("failed: " + " ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
