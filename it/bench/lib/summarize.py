#!/usr/bin/env python3
"""Writes summary.md from the raw results of it/bench/run.sh.

  summarize.py <results-dir>

Reads times.csv (scenario,column,rep,seconds,sent_bytes), readiness.csv (from ReadinessBench), meta.json and
deploy-check.txt; prints the summary to stdout as well.
"""
import csv
import json
import math
import os
import statistics
import sys
from collections import defaultdict

COLUMNS = [
    ("llmstack", "`llmstack:build`"),
    ("llmstack-minikube", "`llmstack:build` through minikube's docker-env (TCP + TLS; stand-in minikube CLI)"),
    ("jib", "`jib:dockerBuild` x5"),
    ("docker", "`docker build` x5"),
    ("mvn-floor", "floor: `mvn validate`"),
    ("plugin-floor", "floor: llmstack goal skipped (Maven + loading the plugin)"),
    ("inspect-floor", "floor: `docker image inspect` x5"),
    ("load-floor", "floor: partial `docker load`"),
    ("pull-floor", "floor: `docker pull` of the five bases (empty daemon)"),
]
SCENARIOS = [
    ("cold", "1. cold"),
    ("warm", "2. warm, nothing changed"),
    ("change", "3. one React file changed"),
    ("deploy", "4. `llmstack:deploy`, nothing changed"),
    ("deploy-force", "5. `llmstack:deploy -Dllmstack.forceApply=true`, nothing changed"),
]


def fmt_s(v):
    return "%.2f s" % v if v >= 0.995 else "%d ms" % round(v * 1000)


def fmt_bytes(b):
    if b is None:
        return "—"
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if b >= size:
            return "%.1f %s" % (b / size, unit)
    return "%d B" % b


def cell(vals):
    if not vals:
        return "—"
    med = statistics.median(vals)
    if len(vals) == 1:
        return fmt_s(med)
    return "%s (%s–%s)" % (fmt_s(med), fmt_s(min(vals)), fmt_s(max(vals)))


def pct(sorted_vals, p):
    rank = math.ceil(p / 100 * len(sorted_vals))
    return sorted_vals[max(0, min(len(sorted_vals) - 1, rank - 1))]


def main(d):
    times = defaultdict(list)
    sent = defaultdict(list)
    with open(os.path.join(d, "times.csv")) as f:
        for row in csv.DictReader(f):
            times[(row["scenario"], row["column"])].append(float(row["seconds"]))
            if row["sent_bytes"]:
                sent[(row["scenario"], row["column"])].append(int(row["sent_bytes"]))
    meta = json.load(open(os.path.join(d, "meta.json")))
    med = {k: statistics.median(v) for k, v in times.items()}

    out = []
    w = out.append
    w("# llmstack build/deploy benchmark — %s" % meta["date"])
    w("")
    w("Command: `%s` (%s). Repetitions per cell: %s; base stand-ins %s MB (litellm, r2r, openwebui)."
      % (meta["command"], meta["mode"], meta["reps"], meta["base_mb"]))
    w("")
    w("Machine: %s, %s cores, %s RAM; %s; dockerd %s (storage driver %s); %s; %s."
      % (meta["cpu"], meta["cores"], meta["mem"], meta["os"], meta["docker_version"], meta["storage_driver"],
         meta["java"], meta["maven"]))
    w("`docker build` column: %s. jib-maven-plugin %s. llmstack-maven-plugin %s (commit %s)."
      % (meta["docker_builder"], meta["jib_version"], meta["llmstack_version"], meta["commit"]))
    w("")
    w("Load average (1 min) at start / after builds / at end: %s / %s / %s — the machine was shared with other builds;"
      " read the spread (min–max) as the noise." % (meta["load_start"], meta.get("load_mid", "?"), meta.get("load_end", "?")))
    w("")
    allmvn = [v for (sc, c), vs in times.items() if c == "mvn-floor" for v in vs]
    if allmvn:
        w("Noise indicator: the same `./mvnw -o -q validate` took %s to %s across this run (median %s, %d runs)."
          % (fmt_s(min(allmvn)), fmt_s(max(allmvn)), fmt_s(statistics.median(allmvn)), len(allmvn)))
        w("")
    w("## Times: median (min–max) of the repetitions")
    w("")
    w("| scenario | " + " | ".join(c[1] for c in COLUMNS) + " | llmstack bytes sent to the daemon |")
    w("|---|" + "---|" * (len(COLUMNS) + 1))
    for s, label in SCENARIOS:
        cells = [cell(times.get((s, c), [])) for c, _ in COLUMNS]
        sb = sent.get((s, "llmstack"), [])
        sb_cell = "—" if not sb else (fmt_bytes(statistics.median(sb)) if min(sb) == max(sb)
                                     else "%s (%s–%s)" % (fmt_bytes(statistics.median(sb)), fmt_bytes(min(sb)), fmt_bytes(max(sb))))
        w("| %s | %s | %s |" % (label, " | ".join(cells), sb_cell))
    w("")
    if times.get(("dev-sync", "llmstack")):
        w("## 6. Inside a running `llmstack:dev` (warm JVM, kube rig; React client and LiteLLM pods are real containers)")
        w("")
        w("| change | save → done, measured outside | what dev logged | `docker build` x5, one file changed (scenario 3) |")
        w("|---|---|---|---|")
        w("| one React file (sync rule): save → new content in the running container | %s | sync %s | %s |" % (
            cell(times[("dev-sync", "llmstack")]), cell(times.get(("dev-sync", "llmstack-reported"), [])),
            cell(times.get(("change", "docker"), []))))
        w("| one R2R config file (no sync rule): save → image rebuilt, Deployment rolled, pod ready | %s | rebuild %s | %s |" % (
            cell(times.get(("dev-rebuild", "llmstack"), [])), cell(times.get(("dev-rebuild", "llmstack-build"), [])),
            cell(times.get(("change", "docker"), []))))
        w("")
        w("Save → ready includes dev's debounce (50 ms, the default), the image rebuild, the re-apply and the simulated "
          "rollout (the kube rig's kubelet simulator creates the new pod and marks it ready).")
        w("")
    jb = meta.get("jib_image_bytes")
    if jb:
        w("`jib:dockerBuild` pipes the whole image into `docker load` every time: %s per run for these five images "
          "(sum of the images' sizes)." % fmt_bytes(jb))
        w("")

    # Ratios and targets. The floors were measured interleaved with the tools in the same repetitions of each
    # scenario; on a shared machine whose load changes during the run, each scenario's ratios use that scenario's
    # own floor medians (cold has none: it is compared with the tools only).
    g = lambda s, c: med.get((s, c), float("nan"))
    mvn_of = {s: g(s, "mvn-floor") for s, _ in SCENARIOS}
    load = g("change", "load-floor")
    w("## Ratios (medians; each scenario against the floors measured in its own repetitions)")
    w("")
    w("| scenario | llmstack ÷ jib | llmstack ÷ docker build | llmstack ÷ Maven floor | llmstack ÷ (Maven + partial load) | llmstack ÷ inspect floor | plugin floor ÷ Maven floor |")
    w("|---|---|---|---|---|---|---|")
    for s, label in SCENARIOS:
        l = g(s, "llmstack")
        r = lambda x: "—" if math.isnan(x) else "%.2f×" % x
        w("| %s | %s | %s | %s | %s | %s | %s |" % (
            label, r(l / g(s, "jib")), r(l / g(s, "docker")), r(l / mvn_of[s]),
            r(l / (mvn_of[s] + load)) if s == "change" else "—",
            r(l / g(s, "inspect-floor")) if s == "warm" else "—",
            r(g(s, "plugin-floor") / mvn_of[s])))
    w("")
    w("## The issue's targets")
    w("")
    w("| target | measured | verdict |")
    w("|---|---|---|")

    def verdict(ok, miss):
        return "**met**" if ok else "**missed** (%s)" % miss

    warm, warm_sent = g("warm", "llmstack"), sent.get(("warm", "llmstack"), [])
    mvn = mvn_of["warm"]
    lim = 1.3 * mvn
    w("| warm, nothing changed: nothing sent; ≤ 1.3 × Maven floor (%s) | %s, %s sent | %s |" % (
        fmt_s(lim), fmt_s(warm), fmt_bytes(max(warm_sent)) if warm_sent else "?",
        verdict(warm <= lim and warm_sent and max(warm_sent) == 0,
                "%.2f× the floor, %s over the limit" % (warm / mvn, fmt_s(warm - lim)) if warm > lim else "bytes were sent")))
    ch = g("change", "llmstack")
    mvn = mvn_of["change"]
    lim = 1.3 * (mvn + load)
    w("| one file changed: ≤ 1.3 × (Maven floor + partial load) = %s | %s | %s |" % (
        fmt_s(lim), fmt_s(ch), verdict(ch <= lim, "%.2f× (Maven + load), %s over" % (ch / (mvn + load), fmt_s(ch - lim)))))
    sp = g("change", "jib") / ch
    w("| one file changed: ≥ 5× faster than `jib:dockerBuild` | %.1f× faster (%s vs %s) | %s |" % (
        sp, fmt_s(ch), fmt_s(g("change", "jib")), verdict(sp >= 5, "%.1f× instead of 5×" % sp)))
    ds, dd = g("dev-sync", "llmstack"), g("change", "docker")
    if math.isnan(ds):
        w("| one file changed inside a running `llmstack:dev` (warm JVM): ≤ `docker build` | not measured in this run | — |")
    else:
        w("| one file changed inside a running `llmstack:dev` (warm JVM): ≤ `docker build` (%s), aiming at half | "
          "save → in the container %s (%.2f× docker build); an image rebuild in dev %s (%.2f×) | %s |" % (
              fmt_s(dd), fmt_s(ds), ds / dd, fmt_s(g("dev-rebuild", "llmstack-build")),
              g("dev-rebuild", "llmstack-build") / dd,
              verdict(ds <= dd, "%.2f× docker build" % (ds / dd)) + (" (half: met)" if ds <= dd / 2 else "")))
    co, cd = g("cold", "llmstack"), g("cold", "docker")
    cp = g("cold", "pull-floor")
    pulled = "" if math.isnan(cp) else " (dockerd pulling the bases alone: %s; llmstack = that + %s, docker build = that + %s)" % (
        fmt_s(cp), fmt_s(co - cp), fmt_s(cd - cp))
    w("| cold: ≤ `docker build` (%s) | %s%s | %s |" % (
        fmt_s(cd), fmt_s(co), pulled, verdict(co <= cd, "%.2f× docker build, %s slower" % (co / cd, fmt_s(co - cd)))))
    de = g("deploy", "llmstack")
    mvn = mvn_of["deploy"]
    lim = 1.5 * mvn
    check = open(os.path.join(d, "deploy-check.txt")).read().strip() if os.path.exists(os.path.join(d, "deploy-check.txt")) else "?"
    unmodified = check.startswith("no object modified")
    w("| deploy, nothing changed: no object modified; ≤ 1.5 × Maven floor (%s) | %s; %s | %s |" % (
        fmt_s(lim), fmt_s(de), check.splitlines()[0],
        verdict(de <= lim and unmodified,
                ("%.2f× the floor, %s over the limit" % (de / mvn, fmt_s(de - lim)) if de > lim else "") +
                ("" if unmodified else "; objects were modified"))))
    rl = []
    rpath = os.path.join(d, "readiness.csv")
    if os.path.exists(rpath):
        with open(rpath) as f:
            rl = sorted(float(r["latency_ms"]) for r in csv.DictReader(f) if r["counted"] == "true")
    if rl:
        p50, p95 = pct(rl, 50), pct(rl, 95)
        w("| readiness detection p95 ≤ 100 ms | p50 %.1f ms, p95 %.1f ms, max %.1f ms over %d runs | %s |" % (
            p50, p95, rl[-1], len(rl), verdict(p95 <= 100, "%.1f ms over" % (p95 - 100))))
    w("")
    mw, mc, mo = g("warm", "llmstack-minikube"), g("change", "llmstack-minikube"), g("cold", "llmstack-minikube")
    if not math.isnan(mw):
        w("The targets are judged on the unix socket. The way a minikube user builds (minikube's docker-env: TCP + TLS "
          "client certificates to the same daemon; the rig's stand-in minikube CLI, which answers at once, where real "
          "minikube runs health checks): warm, nothing changed %s = %.2f× the Maven floor (unix socket %s); one file "
          "changed %s = %.2f× (Maven + partial load) (unix socket %s); cold %s = %.2f× docker build (unix socket %s)." % (
              fmt_s(mw), mw / mvn_of["warm"], fmt_s(g("warm", "llmstack")),
              fmt_s(mc), mc / (mvn_of["change"] + load), fmt_s(g("change", "llmstack")),
              fmt_s(mo), mo / g("cold", "docker"), fmt_s(g("cold", "llmstack"))))
        w("")
    w("Raw data: `times.csv` (every timed run), `logs/` (output of every run), `readiness.csv`, `deploy-check.txt`, "
      "`meta.json`; definitions of the scenarios and columns in `it/bench/README.md`.")
    text = "\n".join(out) + "\n"
    open(os.path.join(d, "summary.md"), "w").write(text)
    sys.stdout.write(text)


if __name__ == "__main__":
    main(sys.argv[1])
