#!/usr/bin/env python3
"""Scenario 6 of it/bench/run.sh: a running `llmstack:dev` on the bench project, on the kube rig.

  dev_latency.py --project P --mvnw M --docker D --reps N --times times.csv --log dev.log [-- maven args]

Starts `mvnw -o -B llmstack:dev <maven args>` in P (overlay dev-live: the React client's and LiteLLM's pods are
real containers on the rig's dockerd), waits until it watches, then per repetition:

  dev-sync     appends a line to files/react-client/dist/assets/index.js (a sync rule of the React image) and
               measures from the write to the line being in the running container's file, read straight from
               the container's root filesystem on the host (overlay2 MergedDir, polled every millisecond);
  dev-rebuild  appends a line to files/r2r/r2r.toml (no sync rule: R2R's image is rebuilt, its Deployment
               rolls) and measures from the write to dev's log line "Rebuilt r2r (..); rolled ...; ready (..)",
               which dev prints once the new pod is ready. The rebuild part dev reports in that line is
               recorded as column llmstack-build.

Appends rows "dev-sync,llmstack,<rep>,<seconds>," etc. to times.csv. Ends dev with SIGINT (as Ctrl-C) and
checks that it stopped and undeployed. Exit status 1 with a message on any failure.
"""
import argparse
import os
import re
import signal
import subprocess
import sys
import time

REBUILT = re.compile(r"Rebuilt r2r \(([\d.]+) s\); rolled [^;]*dev-r2r[^;]*; ready \(([\d.]+) s\)\. Took ([\d.]+) s\.")
SYNCED = re.compile(r"Synced 1 file\(s\) to 1 pod\(s\) of react-client \(([\d.]+) s\)\. Took ([\d.]+) s\.")


def fail(msg, log=None):
    sys.stderr.write("dev_latency: %s\n" % msg)
    if log and os.path.exists(log):
        sys.stderr.write("last lines of %s:\n%s\n" % (log, "".join(open(log).readlines()[-30:])))
    sys.exit(1)


def wait_for(what, seconds, condition, log, poll=0.001):
    deadline = time.monotonic() + seconds
    while True:
        found = condition()
        if found:
            return found
        if time.monotonic() > deadline:
            fail("%s: not within %s s" % (what, seconds), log)
        time.sleep(poll)


def contains(path, marker):
    """Whether the file holds the marker; a file missing for a moment (tar replacing it) does not yet."""
    try:
        with open(path, errors="replace") as f:
            return marker in f.read()
    except FileNotFoundError:
        return False


def docker(d, *args):
    return subprocess.run([d, *args], check=True, capture_output=True, text=True).stdout.strip()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--project", required=True)
    ap.add_argument("--mvnw", required=True)
    ap.add_argument("--docker", required=True)
    ap.add_argument("--reps", type=int, required=True)
    ap.add_argument("--times", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("maven_args", nargs="*")
    a = ap.parse_args()
    log = a.log
    text = lambda: open(log, errors="replace").read()

    with open(log, "w") as out:
        dev = subprocess.Popen([a.mvnw, "-o", "-B", "llmstack:dev", *a.maven_args], cwd=a.project, stdout=out,
                               stderr=subprocess.STDOUT, start_new_session=True)
    rows = []
    try:
        wait_for("dev watching", 600, lambda: "press Ctrl-C" in text() or dev.poll() is not None, log, poll=0.05)
        if dev.poll() is not None:
            fail("llmstack:dev ended (exit %s) before watching" % dev.returncode, log)
        ids = docker(a.docker, "ps", "--filter", "label=dev.llmstack.rig.pod", "--format",
                     '{{.ID}} {{.Label "dev.llmstack.rig.pod"}}').splitlines()
        react = [line.split()[0] for line in ids if "react-client" in line]
        if len(react) != 1:
            fail("expected one running container of the React client's pod, found %s" % ids, log)
        merged = docker(a.docker, "inspect", "-f", "{{.GraphDriver.Data.MergedDir}}", react[0])
        in_container = os.path.join(merged, "usr/share/nginx/html/assets/index.js")
        if not os.path.isfile(in_container):
            fail("%s (the container's index.js seen from the host) does not exist" % in_container, log)

        source = os.path.join(a.project, "files/react-client/dist/assets/index.js")
        for r in range(1, a.reps + 1):
            marker = "// dev sync rep %d %d" % (r, time.time_ns())
            offset = len(text())
            t0 = time.monotonic()
            with open(source, "a") as f:
                f.write(marker + "\n")
            wait_for("rep %d: the changed file in the container" % r, 10,
                     lambda: contains(in_container, marker), log)
            seconds = time.monotonic() - t0
            m = wait_for("rep %d: dev logs the sync" % r, 10, lambda: SYNCED.search(text()[offset:]), log)
            rows.append(("dev-sync", "llmstack", r, seconds))
            rows.append(("dev-sync", "llmstack-reported", r, float(m.group(1))))
            print("  dev-sync      rep %d: %.3f s (dev: synced in %s s, batch took %s s)" % (r, seconds, m.group(1), m.group(2)))
            if "[ERROR]" in text()[offset:]:
                fail("dev logged an error during rep %d" % r, log)

        config = os.path.join(a.project, "files/r2r/r2r.toml")
        for r in range(1, a.reps + 1):
            offset = len(text())
            t0 = time.monotonic()
            with open(config, "a") as f:
                f.write("# dev rebuild rep %d %d\n" % (r, time.time_ns()))
            m = wait_for("rep %d: r2r rebuilt, rolled and ready" % r, 120, lambda: REBUILT.search(text()[offset:]), log,
                         poll=0.002)
            seconds = time.monotonic() - t0
            rows.append(("dev-rebuild", "llmstack", r, seconds))
            rows.append(("dev-rebuild", "llmstack-build", r, float(m.group(1))))
            print("  dev-rebuild   rep %d: %.3f s (dev: rebuilt in %s s, ready %s s after the apply, batch took %s s)"
                  % (r, seconds, m.group(1), m.group(2), m.group(3)))
            if "[ERROR]" in text()[offset:]:
                fail("dev logged an error during rep %d" % r, log)
    finally:
        if dev.poll() is None:
            os.killpg(dev.pid, signal.SIGINT)
            try:
                dev.wait(180)
            except subprocess.TimeoutExpired:
                os.killpg(dev.pid, signal.SIGKILL)
                fail("llmstack:dev did not stop within 180 s of SIGINT", log)
    if "Stopped watching and forwarding." not in text():
        fail("llmstack:dev did not report stopping", log)
    with open(a.times, "a") as f:
        for s, c, r, secs in rows:
            f.write("%s,%s,%d,%.4f,\n" % (s, c, r, secs))


if __name__ == "__main__":
    main()
