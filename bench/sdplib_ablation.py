#!/usr/bin/python3
"""Ablation of the conic solver's ingredients on SDPLIB: each one switched off in turn, the rest at defaults.

usage: /usr/bin/python3 bench/sdplib_ablation.py [--binary build/isacbf] [--sdplib DIR] [--tols 1e-4,1e-6]
                                                 [--workers 2] [--large] [--variants name,...] [--problems p,...]
                                                 [--families DIR] [--out docs/solver-ablation.md]
                                                 [--json-out FILE | --table-from FILE]

Issue 3 asks to keep each ingredient only if a benchmark shows it pays; this measures that with the final
defaults. Every variant runs the SDPLIB problems of ../shared/sdplib (without arch0 and gpp100, which take
minutes; --large adds them) at each tolerance, `--workers` problems at a time, and is scored by
timing-independent figures, since parallel runs share the cores:
  it&acc  problems where it needs fewer iterations than SCS's column at the same eps and is at least as
          accurate by the issue's rule (bench/sdplib_table.py: judge);
  stops   optimal or the right certificate within 100,000 iterations;
  geo it  geometric mean of the iterations (a capped run counts 100,000).
The per-problem results of each variant are compared with the defaults' (won / lost it&acc).
With --families DIR the variants also run on the 20 fresh SDPLIB-family problems of bench/sdp_families.py
(generated into DIR, CSDP's objective as the reference; needs csdp and numpy), scored by "stopped, and within
1e-4 of CSDP or with CSDP's certificate" in place of it&acc. --table-from rewrites the tables from a --json-out
file (with --families, the problems and CSDP's references are regenerated, which takes seconds).
"""
import argparse
import csv
import json
import math
import os
import sys
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import sdp_families as families  # noqa: E402  (the fresh problems, CSDP, run_ours, rel_err)
import sdplib_table as table  # noqa: E402  (the shared solve / judge / anchor parsing)

ROOT = os.path.dirname(HERE)
LARGE = ("arch0", "gpp100")

# (name, `isacbf conic` flags that switch the ingredient off, what that leaves)
VARIANTS = [
    ("defaults", [], "every ingredient on"),
    ("no Anderson", ["--anderson-memory", "0"], "plain Douglas–Rachford steps"),
    ("no over-relaxation", ["--alpha", "1.0"], "α = 1 instead of 1.5"),
    ("no Ruiz equilibration", ["--equilibration-passes", "0"], "raw data (PSD rows unscaled too)"),
    ("PSD rows: one scale per block", ["--psd-equilibration", "block"], "no congruence scaling D_ij = t_i t_j"),
    ("SCS's residual test", ["--norm-cap", "0"], "uncapped relative scale of the termination test"),
    ("initial scale 0.1", ["--scale", "0.1"], "SCS's start instead of ‖ĉ‖/‖b̂‖"),
    ("SCS's Anderson safeguard", ["--anderson-safeguard", "1"], "reject any step that grows the residual"),
    ("no adaptive scale", ["--no-adaptive-scale"], "scale fixed at its start (ratio rule, trials, floor off)"),
    ("no trial steps", ["--scale-trials", "0"], "ratio rule and balance floor only"),
    ("no trial back-off", ["--scale-trial-doublings", "0"], "the cooldown after an undone trial fixed at 2 decisions"),
    ("no balance floor", ["--scale-floor", "0"], "ratio rule and trial steps only"),
]


STOPPED = table.STOPPED


def sdplib_win(d, anchor):
    """Fewer iterations than SCS at the same eps and at least as accurate (bench/sdplib_table.py: judge)."""
    if d is None:
        return False
    _, fewer, accurate = table.judge(d, anchor)
    return fewer and accurate


def fresh_win(d, csdp):
    """Stopped, and within 1e-4 of CSDP's objective or with CSDP's certificate."""
    if d is None or d["status"] not in STOPPED or csdp["status"] not in STOPPED:
        return False
    err = families.rel_err(d, csdp)
    return err is not None and err <= 1e-4


def run_variant(a, flags, tol, problems, ref):
    """Per SDPLIB problem: the result dict (None if the run failed) at `tol` with `flags` added."""
    def one(name):
        return name, table.solve(a.binary, a.sdplib, name, tol, 1e9, flags, ref.get(name, {}))
    with ThreadPoolExecutor(a.workers) as pool:
        return dict(pool.map(one, problems))


def run_variant_families(a, flags, tol, fresh):
    """Per fresh problem: the result dict at `tol` with `flags` added."""
    def one(name):
        return name, families.run_ours(a.binary, fresh[name][0], tol, 1e9, flags)
    with ThreadPoolExecutor(a.workers) as pool:
        return dict(pool.map(one, fresh))


def summary(runs):
    """runs: problem -> (result dict or None, won). (wins, stops, geometric mean of the iterations)."""
    done = [d for d, _ in runs.values() if d is not None]
    geo = math.exp(sum(math.log(max(1, d["iterations"])) for d in done) / max(1, len(done)))
    stops = sum(d["status"] in STOPPED for d in done)
    return sum(w for _, w in runs.values()), stops, geo


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", default=os.path.join(ROOT, "build", "isacbf"))
    ap.add_argument("--sdplib", default=os.path.join(ROOT, "..", "shared", "sdplib"))
    ap.add_argument("--tols", default="1e-4,1e-6")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--large", action="store_true", help="also arch0 and gpp100 (about 2 minutes each at 1e-6)")
    ap.add_argument("--variants", default="", help="comma-separated variant names (default: all)")
    ap.add_argument("--problems", default="", help="comma-separated problem names (default: all but the large)")
    ap.add_argument("--families", default="", help="also the fresh family problems, generated into this folder")
    ap.add_argument("--out", default=os.path.join(ROOT, "docs", "solver-ablation.md"))
    ap.add_argument("--json-out", default=None, help="write the raw results here")
    ap.add_argument("--table-from", default="", help="write the tables from a --json-out file, solve nothing")
    a = ap.parse_args()
    if not os.path.isdir(a.sdplib):
        print("no SDPLIB folder at", a.sdplib, file=sys.stderr)
        return 2
    tols = a.tols.split(",")
    anchors = {t: table.parse_anchors(os.path.join(a.sdplib, "ANCHORS.md"), t) for t in tols}
    ref = {r["problem"]: r for r in csv.DictReader(open(os.path.join(a.sdplib, "optimal.csv")))}
    problems = [p for p in anchors[tols[0]] if os.path.exists(os.path.join(a.sdplib, p + ".dat-s"))
                and (a.large or p not in LARGE) and (not a.problems or p in a.problems.split(","))]
    chosen = set(a.variants.split(",")) if a.variants else None
    variants = [v for v in VARIANTS if v[0] == "defaults" or chosen is None or v[0] in chosen]
    fresh = {}  # name -> (path, CSDP's result)
    if a.families:
        missing = families.tools_missing()
        if missing:
            print("--families needs", ", ".join(missing), file=sys.stderr)
            return 2
        for _, name, _, path in families.generate(families.BENCH, a.families):
            fresh[name] = (path, families.run_csdp(path))
    raw = json.load(open(a.table_from)) if a.table_from else {}
    results, fresh_results = {}, {}
    for name, flags, _ in variants:
        for tol in tols:
            key = "%s @ %s" % (name, tol)
            if not a.table_from:
                raw[key] = run_variant(a, flags, tol, problems, ref)
            results[(name, tol)] = {p: (raw[key][p], sdplib_win(raw[key][p], anchors[tol].get(p, {})))
                                    for p in problems}
            wins, stops, geo = summary(results[(name, tol)])
            print("%-32s tol %s: it&acc %2d, stops %2d, geo it %6.0f" % (name, tol, wins, stops, geo), flush=True)
            if not fresh:
                continue
            if not a.table_from:
                raw["fresh " + key] = run_variant_families(a, flags, tol, fresh)
            fresh_results[(name, tol)] = {p: (raw["fresh " + key][p], fresh_win(raw["fresh " + key][p], fresh[p][1]))
                                          for p in fresh}
            wins, stops, geo = summary(fresh_results[(name, tol)])
            print("%-32s tol %s: fresh within 1e-4 %2d, stops %2d, geo it %6.0f" % (name, tol, wins, stops, geo),
                  flush=True)
    if a.json_out and not a.table_from:
        json.dump(raw, open(a.json_out, "w"), indent=1)
    with open(a.out, "w") as f:
        f.write("# Ablation of the conic solver's ingredients\n\n")
        f.write("Generated by `bench/sdplib_ablation.py%s`. Each variant switches one ingredient off and keeps every "
                "other default; %d runs at a time, one thread each, max 100,000 iterations, no time limit. Seconds "
                "are not compared: the runs share the cores. stops: optimal or the right certificate; geo it: "
                "geometric mean of the iterations.\n\n" % (" --families DIR" if fresh else "", a.workers))
        f.write("## SDPLIB (%d problems: %s)\n\n" % (len(problems), ", ".join(problems)))
        f.write("it&acc: fewer iterations than SCS 3.2.11 at the same eps (ANCHORS.md) and at least as accurate by "
                "the issue's rule (bench/sdplib_table.py).\n\n")
        f.write("\n".join(table_lines(variants, tols, problems, results, "it&acc at %s")) + "\n")
        if fresh:
            f.write("\n## Fresh SDPLIB-family problems (bench/sdp_families.py, %d problems)\n\n" % len(fresh))
            f.write("within 1e-4: stopped, and within 1e-4 relative of CSDP's objective or with CSDP's certificate.\n\n")
            f.write("\n".join(table_lines(variants, tols, list(fresh), fresh_results, "within 1e-4, tol %s")) + "\n")
    print("wrote", a.out)
    return 0


def table_lines(variants, tols, problems, results, score):
    lines = ["| variant | switched off by | leaves |" + "".join(
        " %s | stops | geo it | won / lost vs defaults |" % (score % t) for t in tols),
        "|---|---|---|" + "---|---|---|---|" * len(tols)]
    for name, flags, leaves in variants:
        row = "| %s | %s | %s |" % (name, "`" + " ".join(flags) + "`" if flags else "–", leaves)
        for tol in tols:
            runs, base = results[(name, tol)], results[("defaults", tol)]
            wins, stops, geo = summary(runs)
            won = [p for p in problems if runs[p][1] and not base[p][1]]
            lost = [p for p in problems if base[p][1] and not runs[p][1]]
            change = "–" if name == "defaults" else "%s / %s" % (", ".join(won) or "–", ", ".join(lost) or "–")
            row += " %d | %d | %.0f | %s |" % (wins, stops, geo, change)
        lines.append(row)
    return lines


if __name__ == "__main__":
    sys.exit(main())
