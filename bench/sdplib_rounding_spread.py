#!/usr/bin/python3
"""How much of the SDPLIB all-three count is one rounding draw: the defaults, then the same runs with the
Anderson regularisation perturbed by j * 1e-6 relative (j = 1 .. --draws), which changes each extrapolation at
rounding level only.

usage: /usr/bin/python3 bench/sdplib_rounding_spread.py [--binary build/isacbf] [--sdplib DIR] [--tols 1e-4]
                                                        [--draws 6] [--workers 2] [--large] [--problems p,...]

Each draw runs the SDPLIB problems of ../shared/sdplib (without arch0 and gpp100 unless --large) and is
scored as bench/sdplib_ablation.py scores a variant: it&acc (fewer iterations than SCS's column at the same
eps and at least as accurate, the issue's rule), stops, geometric mean of the iterations. Printed: one line
per draw, then the problems whose it&acc result differs between draws, with how many draws won them.
On this 2-core machine one draw takes about 2.5 minutes at 1e-4 and 5 at 1e-6 (docs/solver-sdplib.md,
"Reading the tables", twelfth session, has the results).
"""
import argparse
import csv
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import sdplib_ablation as ablation  # noqa: E402  (run_variant, sdplib_win, summary)
import sdplib_table as table  # noqa: E402

ROOT = os.path.dirname(HERE)
DEFAULT_REG = 1e-8  # conic::Settings::anderson_reg


def draw_flags(j):
    """`isacbf conic` flags of draw j: none for the defaults (j = 0), else the regularisation times 1 + j 1e-6."""
    return [] if j == 0 else ["--anderson-reg", "%.9e" % (DEFAULT_REG * (1.0 + j * 1e-6))]


def unstable(per_draw):
    """per_draw: list of {problem: won}. The problems not won or lost alike in every draw -> wins out of draws."""
    problems = sorted(set().union(*per_draw)) if per_draw else []
    counts = {p: sum(bool(d.get(p)) for d in per_draw) for p in problems}
    return {p: c for p, c in counts.items() if 0 < c < len(per_draw)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", default=os.path.join(ROOT, "build", "isacbf"))
    ap.add_argument("--sdplib", default=os.path.join(ROOT, "..", "shared", "sdplib"))
    ap.add_argument("--tols", default="1e-4")
    ap.add_argument("--draws", type=int, default=6, help="perturbed draws besides the defaults")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--large", action="store_true", help="also arch0 and gpp100")
    ap.add_argument("--problems", default="", help="comma-separated problem names (default: all but the large)")
    a = ap.parse_args()
    if not os.path.isdir(a.sdplib):
        print("no SDPLIB folder at", a.sdplib, file=sys.stderr)
        return 2
    if a.draws < 0:
        print("--draws must be >= 0", file=sys.stderr)
        return 2
    ref = {r["problem"]: r for r in csv.DictReader(open(os.path.join(a.sdplib, "optimal.csv")))}
    for tol in a.tols.split(","):
        anchors = table.parse_anchors(os.path.join(a.sdplib, "ANCHORS.md"), tol)
        problems = [p for p in anchors if os.path.exists(os.path.join(a.sdplib, p + ".dat-s"))
                    and (a.large or p not in ablation.LARGE) and (not a.problems or p in a.problems.split(","))]
        per_draw = []
        for j in range(a.draws + 1):
            raw = ablation.run_variant(a, draw_flags(j), tol, problems, ref)
            runs = {p: (raw[p], ablation.sdplib_win(raw[p], anchors.get(p, {}))) for p in problems}
            per_draw.append({p: won for p, (_, won) in runs.items()})
            wins, stops, geo = ablation.summary(runs)
            label = "defaults" if j == 0 else " ".join(draw_flags(j))
            print("tol %s  %-32s it&acc %2d / %d, stops %2d, geo it %6.0f" % (tol, label, wins, len(problems), stops,
                                                                            geo), flush=True)
        moving = unstable(per_draw)
        print("tol %s  won in only some of the %d draws: %s" % (
            tol, len(per_draw), ", ".join("%s %d" % (p, c) for p, c in sorted(moving.items())) or "none"), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
