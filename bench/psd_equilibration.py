#!/usr/bin/python3
"""PSD-block equilibration, "block" vs "congruence" (Settings::psd_equilibration, docs/solver.md):
isacbf conic on the SDPLIB subset (reference: optimal.csv, SCS 3.2.11 at 1e-4 from ANCHORS.md) and on
the control / control_scaled problems of bench/sdp_families.py (reference: CSDP). Prints a markdown table.

    /usr/bin/python3 bench/psd_equilibration.py --time-limit 15 [--only control1,hinf5]
"""
import argparse
import csv
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import sdp_families as fam  # noqa: E402  (generators, timed runs, CSDP)

MODES = ("block", "congruence")


def run(binary, path, mode, tol, time_limit):
    cmd = [binary, "conic", path, "--tol", str(tol), "--max-iters", "100000", "--time-limit", str(time_limit),
           "--threads", "1", "--psd-equilibration", mode]
    p, _, cpu = fam.timed(cmd)
    if p.returncode != 0:
        return {"status": "exit%d" % p.returncode, "objective": None, "iterations": 0, "seconds": 0.0, "cpu": cpu}
    d = json.loads(p.stdout)
    d["cpu"] = cpu
    return d


def scs_anchors(path):
    """problem -> (SCS 1e-4 seconds, iterations, rel.err, status) from ANCHORS.md's table."""
    out = {}
    for line in open(path):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 10 and cells[0] not in ("problem", "") and not cells[0].startswith("-"):
            out[cells[0]] = (cells[6], cells[7], cells[8], cells[9])
    return out


def sdplib_refs(sdplib):
    refs = {}
    for row in csv.DictReader(open(os.path.join(sdplib, "optimal.csv"))):
        obj = row["optimal_objective"]
        if "infeasible" in obj:
            refs[row["problem"]] = {"status": "infeasible" if obj.startswith("primal") else "unbounded",
                                    "objective": None}
        else:
            refs[row["problem"]] = {"status": "optimal", "objective": float(obj)}
    return refs


def fmt(e):
    return "–" if e is None else ("cert ✓" if e == 0.0 else "%.0e" % e)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", default=os.path.join(fam.ROOT, "build", "isacbf"))
    ap.add_argument("--sdplib", default=os.path.join(fam.ROOT, "..", "shared", "sdplib"))
    ap.add_argument("--dir", default=os.path.join(fam.ROOT, "build", "sdp_families"))
    ap.add_argument("--tol", default="1e-4")
    ap.add_argument("--time-limit", default="15")
    ap.add_argument("--only", default="", help="comma-separated problem names")
    ap.add_argument("--json", default="", help="also write the raw results here")
    a = ap.parse_args()
    only = set(filter(None, a.only.split(",")))
    refs = sdplib_refs(a.sdplib)
    scs = scs_anchors(os.path.join(a.sdplib, "ANCHORS.md"))
    problems = [(name, os.path.join(a.sdplib, name + ".dat-s"), refs[name]) for name in refs]
    gen = [p for p in fam.BENCH + fam.CHECK if p[0] in ("control", "control_scaled")]
    for family, name, args, path in fam.generate([p for p in gen if not only or p[1] in only], a.dir):
        problems.append((name, path, fam.run_csdp(path)))
    rows = []
    print("| problem | " + " | ".join("%s: status | it | s (CPU) | rel.err" % m for m in MODES) + " | SCS 1e-4 s | it | rel.err |")
    print("|---|" + "---|---|---|---|" * len(MODES) + "---|---|---|")
    for name, path, ref in problems:
        if only and name not in only:
            continue
        res = {m: run(a.binary, path, m, a.tol, a.time_limit) for m in MODES}
        cells = []
        for m in MODES:
            r = res[m]
            r["rel_err"] = fam.rel_err(r, ref)
            cells.append("%s | %d | %.3g (%.3g) | %s" % (r["status"], r["iterations"], r["seconds"], r["cpu"],
                                                         fmt(r["rel_err"])))
        s = scs.get(name, ("–", "–", "–", "–"))
        print("| %s | %s | %s | %s | %s |" % (name, " | ".join(cells), s[0], s[1], s[2]), flush=True)
        rows.append({"problem": name, "reference": ref, **res})
    if a.json:
        with open(a.json, "w") as f:
            json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
