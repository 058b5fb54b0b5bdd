#!/usr/bin/python3
"""ctest sdplib_scripts: the issue's win rule in bench/sdplib_table.py (judge), the fresh problems' rule in
bench/sdplib_ablation.py (fresh_win) and the draws of bench/sdplib_rounding_spread.py on constructed results,
then the three SDPLIB scripts end to end on small problems. Exit 77 (skip) without ../shared/sdplib.

usage: tests/sdplib_scripts_check.py BINARY SDPLIB_DIR WORK_DIR
"""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
import sdplib_ablation as ablation  # noqa: E402
import sdplib_rounding_spread as spread  # noqa: E402
import sdplib_table as table  # noqa: E402

FAILURES = []


def expect(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAIL:", what)


def check_rule():
    # SCS at 1e-3 relative error, 200 iterations, 1 s: the bound is max(1e-3, 1e-4, precision)
    anchor = {"scs_s": "1.0", "scs_it": "200", "scs_err": "1e-03"}
    base = {"status": "optimal", "seconds": 0.5, "iterations": 150, "published_precision": 1e-6, "err_text": ""}
    expect(table.judge(dict(base, rel_err=9e-4), anchor) == (True, True, True), "all three inside SCS's accuracy")
    expect(not table.judge(dict(base, rel_err=1.1e-3), anchor)[2], "less accurate than SCS is not accurate")
    expect(table.judge(dict(base, rel_err=1.1e-3, published_precision=2e-3), anchor)[2],
           "the published value's precision loosens the bound")
    tight = {"scs_s": "1.0", "scs_it": "200", "scs_err": "1e-06"}
    expect(table.judge(dict(base, rel_err=9e-5), tight)[2], "1e-4 relative is always accurate enough")
    expect(not table.judge(dict(base, rel_err=2e-4), tight)[2], "2e-4 is not, against SCS's 1e-6")
    expect(table.judge(dict(base, iterations=200, rel_err=0.0), anchor)[:2] == (True, False),
           "as many iterations as SCS is not fewer")
    expect(table.judge(dict(base, status="max_iterations", rel_err=0.0), anchor) == (False, False, False),
           "a run that did not stop wins nothing")
    expect(table.judge(dict(base, rel_err=None, err_text="cert ✓"), anchor)[2], "the right certificate")
    expect(not table.judge(dict(base, rel_err=None, err_text="cert ✗ (optimal)"), anchor)[2], "a wrong certificate")
    # hinf12's case: SCS 2.30 from the published 0.2 (objective 0.66 or -0.26), ours from CSDP's 9.1e-6
    expect(abs(table.scs_error_against(9.1e-6, 0.2, 2.30) - (0.26 + 9.1e-6) / 9.1e-6) < 1e-6 * 0.26 / 9.1e-6,
           "SCS's error re-expressed against CSDP's value takes the closer of its two possible objectives")
    expect(table.scs_error_against(0.2, 0.2, 2.30) == 2.30, "same reference: SCS's error unchanged")
    far = dict(base, rel_err=50.0, reference=9.1e-6, published=0.2)
    expect(table.judge(far, {"scs_s": "5", "scs_it": "100000", "scs_err": "2.30"})[2],
           "4.6e-4 from a 9.1e-6 optimum is more accurate than SCS 0.26 away")
    expect(not table.judge(dict(far, rel_err=5e4), {"scs_s": "5", "scs_it": "100000", "scs_err": "2.30"})[2],
           "0.46 away is less accurate than SCS 0.26 away")
    expect(table.backend_name(["--backend", "gpu"]) == "GPU" and table.backend_name(["--backend=gpu"]) == "GPU",
           "the GPU table says so in its title")
    expect(table.backend_name([]) == "CPU" and table.backend_name(["--backend", "cpu", "gpu"]) == "CPU",
           "the CPU table, whatever follows")
    expect(table.median([3.0, 1.0, 2.0]) == 2.0 and table.median([4.0, 1.0, 2.0, 3.0]) == 2.5, "median")
    expect(abs(table.published_precision("5.69e+01") - 0.05 / 56.9) < 1e-12, "precision of 5.69e+01")
    expect(abs(table.published_precision("-8.999996e+00") - 5e-7 / 8.999996) < 1e-15, "precision of -8.999996e+00")


def check_fresh_rule():
    csdp = {"status": "optimal", "objective": 10.0}
    expect(ablation.fresh_win({"status": "optimal", "objective": 10.0009}, csdp), "9e-5 from CSDP counts")
    expect(not ablation.fresh_win({"status": "optimal", "objective": 10.0011}, csdp), "1.1e-4 does not")
    expect(not ablation.fresh_win({"status": "max_iterations", "objective": 10.0}, csdp),
           "a run that did not stop does not count, however close")
    expect(ablation.fresh_win({"status": "infeasible", "objective": None}, {"status": "infeasible", "objective": None}),
           "CSDP's certificate")
    expect(not ablation.fresh_win({"status": "unbounded", "objective": None},
                                  {"status": "infeasible", "objective": None}), "the other certificate")


def check_spread():
    expect(spread.draw_flags(0) == [], "draw 0 is the defaults")
    expect(spread.draw_flags(2) == ["--anderson-reg", "1.000002000e-08"], "draw 2 perturbs the regularisation 2e-6")
    draws = [{"a": True, "b": True, "c": False}, {"a": True, "b": False, "c": False}, {"a": True, "b": True, "c": False}]
    expect(spread.unstable(draws) == {"b": 2}, "only the problem won in some draws is listed, with its count")


def check_scripts(binary, sdplib, work):
    out = os.path.join(work, "sdplib_small.md")
    p = subprocess.run([sys.executable, os.path.join(ROOT, "bench", "sdplib_table.py"), "--binary", binary,
                        "--sdplib", sdplib, "--only", "truss1,infp1", "--out", out], capture_output=True, text=True)
    expect(p.returncode == 0, "sdplib_table.py ran: " + p.stderr[-500:])
    text = open(out).read() if os.path.exists(out) else ""
    # truss1 converges in well under SCS's 150 iterations to 2e-7; infp1 is certified infeasible
    expect("| infp1 | 10 | 30 | infeasible |" in text, "infp1 certified in the table")
    expect("iters acc |" in text.split("| truss1 |")[-1].split("\n")[0], "truss1 beats SCS's iterations, accurate")
    out = os.path.join(work, "ablation_small.md")
    p = subprocess.run([sys.executable, os.path.join(ROOT, "bench", "sdplib_ablation.py"), "--binary", binary,
                        "--sdplib", sdplib, "--problems", "truss1,infp1", "--tols", "1e-4",
                        "--variants", "no Anderson", "--out", out], capture_output=True, text=True)
    expect(p.returncode == 0, "sdplib_ablation.py ran: " + p.stderr[-500:])
    rows = [l for l in open(out)] if os.path.exists(out) else []
    expect(any(l.startswith("| defaults | – |") for l in rows), "ablation table has the defaults row")
    expect(any(l.startswith("| no Anderson | `--anderson-memory 0` |") for l in rows), "and the variant's row")
    p = subprocess.run([sys.executable, os.path.join(ROOT, "bench", "sdplib_rounding_spread.py"), "--binary", binary,
                        "--sdplib", sdplib, "--problems", "truss1", "--tols", "1e-4", "--draws", "1"],
                       capture_output=True, text=True)
    expect(p.returncode == 0, "sdplib_rounding_spread.py ran: " + p.stderr[-500:])
    lines = p.stdout.splitlines()
    expect(len(lines) == 3 and "defaults" in lines[0] and "--anderson-reg 1.000001000e-08" in lines[1],
           "one line per draw and the summary: " + p.stdout[-300:])
    expect(all("it&acc  1 / 1" in l for l in lines[:2]), "truss1 won in both draws")


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        return 2
    binary, sdplib, work = sys.argv[1:]
    check_rule()
    check_fresh_rule()
    check_spread()
    if not os.path.exists(os.path.join(sdplib, "ANCHORS.md")):
        print("skipped the script runs: no SDPLIB folder at", sdplib)
        return 77 if not FAILURES else 1
    os.makedirs(work, exist_ok=True)
    check_scripts(binary, sdplib, work)
    print("%d failure(s)" % len(FAILURES))
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
