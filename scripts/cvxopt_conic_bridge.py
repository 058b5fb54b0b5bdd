#!/usr/bin/python3
"""Solve a batch of problems in isacbf's conic form with CVXOPT (interior point): the one bridge behind
host/crosscheck/cvxopt_solver.* (model A's `--backend cvxopt`, model B's `--solver cvxopt` and its default
conic solver when CVXOPT is installed, the conic tests' independent cross-check).

    minimise c^T x  s.t.  A x + s = b,  s in K   (host/conic/problem.hpp)

usage: /usr/bin/python3 scripts/cvxopt_conic_bridge.py IN.json OUT.json

Cones, in the order of host/conic/problem.hpp, and what they become in CVXOPT:
  zero           -> equality constraints A_eq x = b_eq
  nonneg, soc    -> rows of G x + s = h in the 'l' and 'q' cones (SOC with t first, as ours)
  psd_real n     -> an 's' block of order n: svec rows unpacked to the full column-major matrix
  psd_complex n  -> an 's' block of order 2n, the real embedding [[Re X, -Im X], [Im X, Re X]] of the
                    hvec rows (X >= 0 <=> embedding >= 0)
  exp_primal     -> supported when the cone's middle row is a constant s0 > 0 (A row zero): then
                    s0 exp(r/s0) <= t <=> r/s0 - ln(t/s0) <= 0, a convex constraint for solvers.cp
  exp_dual       -> not supported: status numerical_error
Without exponential cones the problem goes to solvers.conelp: 'primal infeasible' -> infeasible (a
certificate), 'dual infeasible' -> unbounded. With them it goes to solvers.cp, started from "x0" (the
caller's warm start) or else from the relaxation without the exponential cones, which also certifies
infeasibility (cp has no certificates); when neither lies in the log's domain (or CVXOPT cannot take
the relaxation), from x = 0 or else the least-norm x with every t = 1. A variable seen only by the
exponential cones gets an inactive bound x_j <= 1e3 (cp needs rank([G; A]) = n).

IN.json: {"settings": {...}, "problems": [{"cones": {"zero", "nonneg", "soc", "psd_real", "psd_complex",
"exp_primal", "exp_dual"}, "m", "n", "A": {"rows": [...], "cols": [...], "vals": [...]}, "b", "c", "x0"?}]}
(A as 0-based triplets; repeated entries add up). Settings, all optional:
  "verbose": CVXOPT's progress on stdout; "maxiters": iteration cap (200);
  "tolerances": [[abstol, reltol, feastol], ...] tried in order, the next one only when CVXOPT breaks
      down (ValueError / ArithmeticError, e.g. a math domain error on nearly degenerate duals);
      default [[1e-8, 1e-7, 1e-8], [1e-7, 1e-6, 1e-7], [1e-6, 1e-5, 1e-6]];
  "refinement": iterative refinement steps of the KKT solves (absent: CVXOPT's default);
  "accept_stalled": status 'unknown' (CVXOPT stopped on a singular KKT matrix) counts as optimal when
      it had reached primal infeasibility < 1e-6, dual infeasibility < 1e-4 and relative gap < 1e-4.
OUT.json: {"solutions": [{"status": optimal | infeasible | unbounded | max_iterations | numerical_error,
"x"?, "primal_objective"?, "dual_objective"?, "iterations", "message", "certificate_residual"?}]}, one
per problem in order. "x" is absent when CVXOPT has no point (infeasible, breakdown); for 'unbounded'
it is CVXOPT's certificate ray (c^T x = -1). Requires Debian's python3-cvxopt and python3-numpy.
"""
import contextlib
import io
import json
import math
import re
import sys

import numpy as np
from cvxopt import matrix, solvers

DEFAULT_TOLERANCES = [(1e-8, 1e-7, 1e-8), (1e-7, 1e-6, 1e-7), (1e-6, 1e-5, 1e-6)]
STATUS = {"optimal": "optimal", "primal infeasible": "infeasible", "dual infeasible": "unbounded"}


def svec_embedding(n):
    """E (n^2 x n(n+1)/2) with vec_colmajor(X) = E @ svec(X)."""
    E = np.zeros((n * n, n * (n + 1) // 2))
    p = 0
    for j in range(n):
        E[j * n + j, p] = 1.0
        p += 1
        for i in range(j + 1, n):
            E[j * n + i, p] = E[i * n + j, p] = 1.0 / math.sqrt(2.0)
            p += 1
    return E


def hvec_embedding(n):
    """E (4n^2 x n^2) with vec_colmajor([[Re X, -Im X], [Im X, Re X]]) = E @ hvec(X)."""
    E = np.zeros((4 * n * n, n * n))
    N = 2 * n
    r2 = math.sqrt(2.0)

    def put(i, j, col, coef):  # entry (i, j) of the 2n x 2n matrix
        E[j * N + i, col] += coef

    p = 0
    for j in range(n):
        put(j, j, p, 1.0)
        put(j + n, j + n, p, 1.0)
        p += 1
        for i in range(j + 1, n):
            re, im = p, p + 1
            for (a, b_) in ((i, j), (j, i)):  # Re X is symmetric, on both diagonal blocks
                put(a, b_, re, 1.0 / r2)
                put(a + n, b_ + n, re, 1.0 / r2)
            # lower-left block Im X: (n+i, j) = Im X_ij, (n+j, i) = Im X_ji = -Im X_ij; upper-right = its transpose
            put(n + i, j, im, 1.0 / r2)
            put(n + j, i, im, -1.0 / r2)
            put(j, n + i, im, 1.0 / r2)
            put(i, n + j, im, -1.0 / r2)
            p += 2
    return E


def set_options(settings, tol):
    solvers.options["show_progress"] = bool(settings.get("verbose", False))
    solvers.options["maxiters"] = int(settings.get("maxiters", 200))
    solvers.options["abstol"], solvers.options["reltol"], solvers.options["feastol"] = tol
    if settings.get("refinement") is not None:
        solvers.options["refinement"] = int(settings["refinement"])
    else:
        solvers.options.pop("refinement", None)


def stalled_but_accurate(sol):
    """CVXOPT often stops with 'singular KKT matrix' one step after reaching full accuracy."""
    if sol["status"] != "unknown" or sol.get("x") is None:
        return False
    pres, dres, gap = sol.get("primal infeasibility"), sol.get("dual infeasibility"), sol.get("relative gap")
    return pres is not None and dres is not None and pres < 1e-6 and dres < 1e-4 and (gap is None or gap < 1e-4)


class Problem:
    """The problem in CVXOPT's terms: c, G, h, dims, the equality rows and the exponential cones."""

    def __init__(self, pr):
        cones = pr["cones"]
        m, n = int(pr["m"]), int(pr["n"])
        A = np.zeros((m, n))
        np.add.at(A, (np.array(pr["A"]["rows"], dtype=int), np.array(pr["A"]["cols"], dtype=int)),
                  np.array(pr["A"]["vals"], dtype=float))
        b = np.array(pr["b"], dtype=float)
        self.n = n
        self.c = np.array(pr["c"], dtype=float)
        if cones.get("exp_dual", 0):
            raise ValueError("dual exponential cones are not supported")
        z = cones.get("zero", 0)
        self.Aeq, self.beq = A[:z], b[:z]
        row = z
        l = cones.get("nonneg", 0)
        soc = list(cones.get("soc", []))
        q = sum(soc)
        G_parts = [A[row:row + l], A[row + l:row + l + q]]  # nonneg rows first: free-variable bounds join them
        h_parts = [b[row:row + l], b[row + l:row + l + q]]
        row += l + q
        sdims = []
        for k in cones.get("psd_real", []):
            E, rows = svec_embedding(k), k * (k + 1) // 2
            G_parts.append(E @ A[row:row + rows])
            h_parts.append(E @ b[row:row + rows])
            sdims.append(k)
            row += rows
        for k in cones.get("psd_complex", []):
            E = hvec_embedding(k)
            G_parts.append(E @ A[row:row + k * k])
            h_parts.append(E @ b[row:row + k * k])
            sdims.append(2 * k)
            row += k * k
        self.exps = []  # (A_r, b_r, s0, A_t, b_t) per exponential cone
        for e in range(cones.get("exp_primal", 0)):
            if np.any(A[row + 1] != 0.0) or b[row + 1] <= 0.0:
                raise ValueError("exponential cone %d: its middle component must be a positive constant" % e)
            self.exps.append((A[row], b[row], b[row + 1], A[row + 2], b[row + 2]))
            row += 3
        if row != m:
            raise ValueError("the cones have %d rows, A has %d" % (row, m))
        # cp needs rank([G; A]) = n: a variable seen only by the exponential cones (an upper-bounded log)
        # gets an inactive bound x_j <= 1e3 as an extra non-negative row.
        if self.exps:
            seen = np.vstack(G_parts + [self.Aeq])
            free = [j for j in range(n) if not np.any(seen[:, j] != 0.0)]
            if free:
                B = np.zeros((len(free), n))
                B[np.arange(len(free)), free] = 1.0
                G_parts[0] = np.vstack([G_parts[0], B])
                h_parts[0] = np.concatenate([h_parts[0], np.full(len(free), 1e3)])
                l += len(free)
        self.G = matrix(np.vstack(G_parts))
        self.h = matrix(np.concatenate(h_parts))
        self.dims = {"l": l, "q": soc, "s": sdims}
        self.kw = {"A": matrix(self.Aeq), "b": matrix(self.beq)} if z > 0 else {}
        self.x0 = None
        if pr.get("x0") is not None and len(pr["x0"]) == n:
            self.x0 = np.array(pr["x0"], dtype=float)

    def conelp(self, c):
        return solvers.conelp(matrix(c), self.G, self.h, self.dims, **self.kw)

    def relaxation(self):
        """conelp on the problem without the exponential cones (zero objective); None when CVXOPT cannot
        take it (e.g. rank([G; A]) < n without the exponential cones' rows)."""
        try:
            return self.conelp(np.zeros(self.n))
        except (ValueError, ArithmeticError):
            return None

    def in_log_domain(self, x):
        return all(bt - At @ x > 0.0 for (_, _, _, At, bt) in self.exps)

    def cp(self):
        """solvers.cp for the exponential cones: (result, False), or (the relaxation's result, True) when the
        relaxation without the exponential cones is infeasible."""
        n, exps = self.n, self.exps
        x0 = self.x0
        if x0 is None:
            # No start given: the relaxation without the exponential cones gives one -- and, when it is
            # infeasible, a certificate that the whole problem is infeasible.
            rel = self.relaxation()
            if rel is not None and rel["status"] == "primal infeasible":
                return rel, True
            if rel is not None and rel["x"] is not None:
                x0 = np.array(rel["x"]).ravel()
        if x0 is None or not self.in_log_domain(x0):
            x0 = np.zeros(n)
        if not self.in_log_domain(x0):
            # the least-norm x with every t = b_t - A_t x equal to 1 (cp needs a start in the log's domain)
            At = np.array([e[3] for e in exps])
            bt = np.array([e[4] for e in exps])
            x0 = np.linalg.lstsq(At, bt - 1.0, rcond=None)[0]
        c = self.c

        def F(x=None, zz=None):
            if x is None:
                return len(exps), matrix(x0)
            xv = np.array(x).ravel()
            f = np.zeros(len(exps) + 1)
            Df = np.zeros((len(exps) + 1, n))
            f[0] = c @ xv
            Df[0] = c
            H = np.zeros((n, n))
            for i, (Ar, br, s0, At, bt) in enumerate(exps):
                t = bt - At @ xv
                if t <= 0.0:
                    return None
                r = br - Ar @ xv
                f[i + 1] = r / s0 - math.log(t / s0)
                Df[i + 1] = -Ar / s0 + At / t
                if zz is not None:
                    H += zz[i + 1] * np.outer(At, At) / (t * t)
            if zz is None:
                return matrix(f), matrix(Df)
            return matrix(f), matrix(Df), matrix(H)

        sol = cp_counting_iterations(F, self.G, self.h, self.dims, self.kw)
        if sol["status"] != "optimal":
            # cp has no certificate; the relaxation has one, and its infeasibility proves the problem's.
            rel = self.relaxation()
            if rel is not None and rel["status"] == "primal infeasible":
                return rel, True
        return sol, False


def cp_counting_iterations(F, G, h, dims, kw):
    """solvers.cp, with "iterations" added: cp's result has no count (conelp's has), so its progress table
    is captured and the last iteration number read off it; shown on stderr when the caller asked for it."""
    shown = solvers.options.get("show_progress", False)
    solvers.options["show_progress"] = True
    table = io.StringIO()
    try:
        with contextlib.redirect_stdout(table):
            sol = solvers.cp(F, G, h, dims, **kw)
    finally:
        solvers.options["show_progress"] = shown
        if shown:
            sys.stderr.write(table.getvalue())
    numbers = [int(m.group(1)) for m in re.finditer(r"^\s*(\d+):", table.getvalue(), re.MULTILINE)]
    sol["iterations"] = numbers[-1] if numbers else 0
    return sol


def solve_one(pr, settings):
    prob = Problem(pr)
    levels = [tuple(t) for t in settings.get("tolerances") or DEFAULT_TOLERANCES]
    for i, tol in enumerate(levels):
        set_options(settings, tol)
        try:
            # (CVXOPT's result, whether it is the relaxation's infeasibility certificate)
            sol, relaxed = prob.cp() if prob.exps else (prob.conelp(prob.c), False)
            break
        except (ValueError, ArithmeticError):
            if i + 1 == len(levels):
                raise
    raw = sol["status"]
    note = ""
    if settings.get("accept_stalled", False) and stalled_but_accurate(sol):
        raw, note = "optimal", " (stalled after reaching the accuracy asked: accepted)"
    status = STATUS.get(raw, "max_iterations")
    if relaxed:
        note = " (the relaxation without the exponential cones)"
    out = {"status": status, "iterations": int(sol.get("iterations", 0) or 0), "message": "cvxopt: " + sol["status"] + note}
    if sol.get("x") is not None and not relaxed:
        out["x"] = np.array(sol["x"]).ravel().tolist()
    if sol.get("primal objective") is not None and not relaxed:
        out["primal_objective"] = float(sol["primal objective"])
    if sol.get("dual objective") is not None and not relaxed:
        out["dual_objective"] = float(sol["dual objective"])
    if status == "infeasible":
        # Certificate: z in K*, G^T z + A^T y = 0, h^T z + b^T y = -1; CVXOPT reports its residual.
        out["certificate_residual"] = float(sol.get("residual as primal infeasibility certificate") or 0.0)
    return out


def main():
    with open(sys.argv[1]) as f:
        doc = json.load(f)
    settings = doc.get("settings", {})
    out = []
    # CVXOPT prints its progress (settings "verbose") on stdout; the caller's stdout may be its own output
    # (isacbf's JSON), so progress goes to stderr, as the ADMM's does
    with contextlib.redirect_stdout(sys.stderr):
        for pr in doc["problems"]:
            try:
                out.append(solve_one(pr, settings))
            except (ValueError, ArithmeticError) as e:
                out.append({"status": "numerical_error", "iterations": 0, "message": "cvxopt: " + str(e)})
    with open(sys.argv[2], "w") as f:
        json.dump({"solutions": out}, f)


if __name__ == "__main__":
    main()
