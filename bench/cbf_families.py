#!/usr/bin/python3
"""Problems of the cones SDPA cannot hold, written as CBF files and solved by `isacbf conic` and by CVXOPT.

usage: /usr/bin/python3 bench/cbf_families.py [--dir build/cbf_families] [--binary build/isacbf]
                                              [--tol 1e-6] [--only family,...] [-- more isacbf conic flags]
       (prints the table of docs/solver-cbf.md on stdout; raw results in DIR/results.json)
       /usr/bin/python3 bench/cbf_families.py --check   # ctest: one small problem per family, 1e-5 agreement

Each problem is a deterministic function of (family, size, seed) and is written twice, independently:
as a CBF file (the user's path: isacbf's CBF reader maps it to the conic form) and directly in isacbf's
conic form for scripts/cvxopt_conic_bridge.py (CVXOPT's interior point, the reference). The families:
  portfolio     max mu^T x - gamma t  s.t. ||R x|| <= t, sum x = 1, x >= 0     (Q, L=, L+ on VAR, MAX)
  socp          min c^T x  s.t. ||A_i x + b_i|| <= c_i^T x + d_i, built feasible and bounded   (Q)
  log_utility   max sum_i t_i  s.t. exp(t_i) <= 1 + a_i^T x, ||x|| <= 1      (EXP, Q; model A's (36) shape)
  least_squares min sum_i u_i  s.t. 2 u_i (1/2) >= (a_i^T x - y_i)^2, 0 <= x <= 1        (QR, L+, L-)
rel.diff = |ours - CVXOPT| / max(1, |CVXOPT|) on the objective in the file's sense. CVXOPT's seconds are
its solve alone (the bridge imported, no process start). Exit 77 (ctest SKIP) without numpy or cvxopt;
--check exits 1 when a status differs or rel.diff > 1e-5.
"""
import argparse
import json
import math
import os
import subprocess
import sys
import time

SKIP = 77
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
ENV1 = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")

try:
    import numpy as np
    sys.path.insert(0, os.path.join(ROOT, "scripts"))
    import cvxopt_conic_bridge as bridge
except ImportError:
    np = None
    bridge = None


class Problem:
    """One problem in both encodings. CBF: cone lists and coordinate entries (0-based). Conic form:
    rows appended per cone kind, assembled in the fixed order zero, nonneg, soc, exp (problem.hpp)."""

    def __init__(self, nvars, maximize=False):
        self.n = nvars
        self.maximize = maximize
        self.obj = {}          # variable -> coefficient (the file's sense)
        self.var_cones = []    # CBF VAR cones [(name, size)] covering all variables in order
        self.con_cones = []    # CBF CON cones [(name, size)]
        self.acoord = []       # (row, var, value)
        self.bcoord = []       # (row, value)
        self.rows = 0
        self.form = {"zero": [], "nonneg": [], "soc": [], "exp": []}  # our rows: lists of (coeffs dict, b)

    def con(self, name, rows):
        """A CBF CON block: rows = [(coeffs {var: a}, constant)]; returns nothing."""
        self.con_cones.append((name, len(rows)))
        for coeffs, const in rows:
            for j, a in coeffs.items():
                self.acoord.append((self.rows, j, a))
            if const:
                self.bcoord.append((self.rows, const))
            self.rows += 1

    def ours(self, kind, rows):
        """Rows of our form s = b - A z in cone `kind`, given as s = sum coeffs z + const."""
        block = [({j: -a for j, a in coeffs.items()}, const) for coeffs, const in rows]
        if kind in ("soc", "exp"):
            self.form[kind].append(block)
        else:
            self.form[kind].extend(block)

    def cbf(self):
        out = ["VER", "3", "OBJSENSE", "MAX" if self.maximize else "MIN", "VAR", "%d %d" % (self.n, len(self.var_cones))]
        out += ["%s %d" % c for c in self.var_cones]
        out += ["CON", "%d %d" % (self.rows, len(self.con_cones))] + ["%s %d" % c for c in self.con_cones]
        out += ["OBJACOORD", str(len(self.obj))] + ["%d %.17g" % (j, v) for j, v in sorted(self.obj.items())]
        out += ["ACOORD", str(len(self.acoord))] + ["%d %d %.17g" % e for e in self.acoord]
        out += ["BCOORD", str(len(self.bcoord))] + ["%d %.17g" % e for e in self.bcoord]
        return "\n".join(out) + "\n"

    def conic(self):
        rows = list(self.form["zero"]) + list(self.form["nonneg"])
        soc = [len(b) for b in self.form["soc"]]
        for b in self.form["soc"] + self.form["exp"]:
            rows += b
        A = {"rows": [], "cols": [], "vals": []}
        for i, (coeffs, _) in enumerate(rows):
            for j, a in coeffs.items():
                A["rows"].append(i)
                A["cols"].append(j)
                A["vals"].append(a)
        sign = -1.0 if self.maximize else 1.0
        return {"cones": {"zero": len(self.form["zero"]), "nonneg": len(self.form["nonneg"]), "soc": soc, "psd_real": [],
                          "psd_complex": [], "exp_primal": len(self.form["exp"]), "exp_dual": 0},
                "m": len(rows), "n": self.n, "A": A, "b": [b for _, b in rows],
                "c": [sign * self.obj.get(j, 0.0) for j in range(self.n)]}


def portfolio(n, seed):
    rng = np.random.default_rng(seed)
    k = max(2, n // 5)
    mu = rng.uniform(0.05, 0.15, n)
    R = rng.normal(0, 0.1, (k, n))
    gamma = 1.0
    p = Problem(n + 1, maximize=True)          # x (n), t
    t = n
    p.obj = {j: mu[j] for j in range(n)}
    p.obj[t] = -gamma
    p.var_cones = [("L+", n), ("F", 1)]
    p.con("L=", [({j: 1.0 for j in range(n)}, -1.0)])
    p.con("Q", [({t: 1.0}, 0.0)] + [({j: R[i, j] for j in range(n)}, 0.0) for i in range(k)])
    p.ours("zero", [({j: 1.0 for j in range(n)}, -1.0)])
    p.ours("nonneg", [({j: 1.0}, 0.0) for j in range(n)])
    p.ours("soc", [({t: 1.0}, 0.0)] + [({j: R[i, j] for j in range(n)}, 0.0) for i in range(k)])
    return p


def socp(n, seed):
    """Feasible at x0 (strictly), bounded by construction: c = sum_i (A_i^T u_i + lam_i c_i), ||u_i|| < lam_i."""
    rng = np.random.default_rng(seed)
    blocks, dim = max(2, n // 3), 5
    x0 = rng.normal(0, 1, n)
    p = Problem(n)
    p.var_cones = [("F", n)]
    c = np.zeros(n)
    for _ in range(blocks):
        A = rng.normal(0, 1, (dim - 1, n))
        b = rng.normal(0, 1, dim - 1)
        ci = rng.normal(0, 1, n)
        d = np.linalg.norm(A @ x0 + b) - ci @ x0 + rng.uniform(0.5, 1.5)
        u = rng.normal(0, 1, dim - 1)
        lam = np.linalg.norm(u) + rng.uniform(0.5, 1.5)
        c += A.T @ u + lam * ci
        rows = [({j: ci[j] for j in range(n)}, d)] + [({j: A[i, j] for j in range(n)}, b[i]) for i in range(dim - 1)]
        p.con("Q", rows)
        p.ours("soc", rows)
    p.obj = {j: c[j] for j in range(n)}
    return p


def log_utility(n, seed):
    rng = np.random.default_rng(seed)
    users = 2 * n
    a = rng.uniform(0, 1, (users, n))
    p = Problem(n + users, maximize=True)      # x (n), t (users)
    p.var_cones = [("F", n + users)]
    p.obj = {n + i: 1.0 for i in range(users)}
    ball = [({}, 1.0)] + [({j: 1.0}, 0.0) for j in range(n)]
    p.con("Q", ball)
    p.ours("soc", ball)
    for i in range(users):
        gain = ({j: a[i, j] for j in range(n)}, 1.0)
        # CBF EXP (g1, g2, g3): g1 >= g2 exp(g3 / g2); ours (r, s, t): s exp(r / s) <= t
        p.con("EXP", [gain, ({}, 1.0), ({n + i: 1.0}, 0.0)])
        p.ours("exp", [({n + i: 1.0}, 0.0), ({}, 1.0), gain])
    return p


def least_squares(n, seed):
    rng = np.random.default_rng(seed)
    m = 4 * n
    a = rng.normal(0, 1, (m, n))
    y = a @ rng.uniform(-0.5, 1.5, n) + rng.normal(0, 0.1, m)
    p = Problem(n + m)                         # x (n), u (m)
    p.var_cones = [("L+", n), ("F", m)]
    p.obj = {n + i: 1.0 for i in range(m)}
    h = 1.0 / math.sqrt(2.0)
    p.con("L-", [({j: 1.0}, -1.0) for j in range(n)])  # x - 1 <= 0
    p.ours("nonneg", [({j: 1.0}, 0.0) for j in range(n)] + [({j: -1.0}, 1.0) for j in range(n)])
    for i in range(m):
        resid = ({j: a[i, j] for j in range(n)}, -y[i])
        p.con("QR", [({n + i: 1.0}, 0.0), ({}, 0.5), resid])
        # rotated (u, 1/2, r): ((u + 1/2)/sqrt2, (u - 1/2)/sqrt2, r) in Q
        p.ours("soc", [({n + i: h}, 0.5 * h), ({n + i: h}, -0.5 * h), resid])
    return p


FAMILIES = {"portfolio": portfolio, "socp": socp, "log_utility": log_utility, "least_squares": least_squares}
SIZES = {"portfolio": [50, 200], "socp": [30, 90], "log_utility": [10, 40], "least_squares": [10, 40]}
CHECK_SIZES = {"portfolio": [20], "socp": [12], "log_utility": [6], "least_squares": [6]}


def run_isacbf(binary, path, tol, extra):
    r = subprocess.run([binary, "conic", path, "--tol", str(tol), "--threads", "1"] + extra, capture_output=True, text=True, env=ENV1)
    if r.returncode != 0:
        return {"status": "error", "message": r.stderr.strip()}
    return json.loads(r.stdout)


def run_cvxopt(p):
    start = time.perf_counter()
    try:
        s = bridge.solve_one(p.conic(), {})
    except (ValueError, ArithmeticError) as e:
        return {"status": "numerical_error", "message": str(e), "seconds": time.perf_counter() - start}
    s["seconds"] = time.perf_counter() - start
    if "primal_objective" in s:
        s["objective"] = -s["primal_objective"] if p.maximize else s["primal_objective"]
    return s


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dir", default=os.path.join(ROOT, "build", "cbf_families"))
    ap.add_argument("--binary", default=os.path.join(ROOT, "build", "isacbf"))
    ap.add_argument("--tol", type=float, default=1e-6)
    ap.add_argument("--only", default="")
    ap.add_argument("--check", action="store_true")
    ap.add_argument("extra", nargs="*")
    args = ap.parse_args()
    if np is None or bridge is None:
        print("numpy or cvxopt missing: skipped (Debian python3-numpy, python3-cvxopt)")
        return SKIP
    os.makedirs(args.dir, exist_ok=True)
    sizes = CHECK_SIZES if args.check else SIZES
    only = [f for f in args.only.split(",") if f] or list(FAMILIES)
    results, bad = [], 0
    print("| family | size | rows | vars | cones | isacbf status | objective | it | s | CVXOPT status | objective | it | s | rel.diff | CVXOPT s / ours |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for fam in only:
        for size in sizes[fam]:
            p = FAMILIES[fam](size, 1000 + size)
            path = os.path.join(args.dir, "%s-%d.cbf" % (fam, size))
            with open(path, "w") as f:
                f.write(p.cbf())
            ours = run_isacbf(args.binary, path, args.tol, args.extra)
            ref = run_cvxopt(p)
            conic = p.conic()
            cones = " ".join("%s %s" % (k, v if not isinstance(v, list) else len(v)) for k, v in conic["cones"].items() if v)
            diff = None
            if ours.get("objective") is not None and ref.get("objective") is not None:
                diff = abs(ours["objective"] - ref["objective"]) / max(1.0, abs(ref["objective"]))
            ok = ours.get("status") == ref.get("status") and (diff is None or diff <= 1e-5)
            bad += not ok
            ratio = ref["seconds"] / ours["seconds"] if ours.get("seconds") else float("nan")
            print("| %s | %d | %d | %d | %s | %s | %.8g | %s | %.3g | %s | %.8g | %s | %.3g | %s | %.2g× |" % (
                fam, size, conic["m"], conic["n"], cones, ours.get("status"), ours.get("objective") or float("nan"),
                ours.get("iterations"), ours.get("seconds") or float("nan"), ref.get("status"), ref.get("objective") or float("nan"),
                ref.get("iterations"), ref["seconds"], "%.1e" % diff if diff is not None else "–", ratio))
            results.append({"family": fam, "size": size, "ours": ours, "cvxopt": {k: v for k, v in ref.items() if k != "x"}, "rel_diff": diff})
    with open(os.path.join(args.dir, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    print("\n%d of %d agree (same status, rel.diff <= 1e-5)" % (len(results) - bad, len(results)))
    return 1 if (args.check and bad) else 0


if __name__ == "__main__":
    sys.exit(main())
