#!/usr/bin/python3
"""Solve batches of problems in isacbf's conic form with CVXOPT (interior point): the `--backend cvxopt` bridge of host/crosscheck (model A). (scripts/cvxopt_conic.py is the conic branch's one-problem cross-check.)

    minimise c^T x  s.t.  A x + s = b,  s in K   (host/conic/problem.hpp)

Cones supported: zero, nonneg, complex Hermitian PSD (hvec, embedded as the real 2n x 2n PSD matrix
[[Re X, -Im X], [Im X, Re X]]), and primal exponential cones whose middle component is a constant
s0 > 0 (then s0 exp(r/s0) <= t  <=>  r/s0 - ln(t/s0) <= 0, handed to cvxopt.solvers.cp).
Without exponential cones the problem goes to cvxopt.solvers.conelp, whose 'primal infeasible'
status is a certificate. Reads {"problems": [...]} JSON from argv[1], writes {"solutions": [...]} to argv[2].
Each problem: {"zero", "nonneg", "psd_complex": [n...], "exp_primal", "m", "n",
"A": {"rows", "cols", "vals"}, "b", "c"}. Solution: {"status", "x", "primal_objective", "iterations"}.
"""
import json
import math
import sys

import numpy as np
from cvxopt import matrix, solvers, spmatrix

solvers.options["show_progress"] = False
solvers.options["abstol"] = 1e-7   # CVXOPT defaults; tighter ones end in "singular KKT" on
solvers.options["reltol"] = 1e-6   # these 60 dB SNR problems
solvers.options["feastol"] = 1e-7
solvers.options["refinement"] = 3  # iterative refinement of the KKT solves: needed at high SNR
solvers.options["maxiters"] = 200


def hermitian_embedding(n):
    """Matrix E (4n^2 x n^2) with vec_colmajor(real embedding of X) = E @ hvec(X)."""
    E = np.zeros((4 * n * n, n * n))
    N = 2 * n
    def put(i, j, col, coef):  # entry (i, j) of the 2n x 2n matrix
        E[j * N + i, col] += coef
    p = 0
    r2 = math.sqrt(2.0)
    for j in range(n):
        for blk in (0, n):
            put(j + blk, j + blk, p, 1.0)
        p += 1
        for i in range(j + 1, n):
            re, im = p, p + 1
            for (a, b_) in ((i, j), (j, i)):           # Re X symmetric, on both diagonal blocks
                put(a, b_, re, 1.0 / r2)
                put(a + n, b_ + n, re, 1.0 / r2)
            # lower-left block Im X: (n+i, j) = Im X_ij, (n+j, i) = -Im X_ij; upper-right is its transpose
            put(n + i, j, im, 1.0 / r2)
            put(n + j, i, im, -1.0 / r2)
            put(j, n + i, im, 1.0 / r2)
            put(i, n + j, im, -1.0 / r2)
            p += 2
    return E


def solve_one(pr):
    m, n = pr["m"], pr["n"]
    A = np.zeros((m, n))
    A[pr["A"]["rows"], pr["A"]["cols"]] = 0.0
    np.add.at(A, (np.array(pr["A"]["rows"], dtype=int), np.array(pr["A"]["cols"], dtype=int)), pr["A"]["vals"])
    b = np.array(pr["b"], dtype=float)
    c = np.array(pr["c"], dtype=float)
    row = 0
    z = pr.get("zero", 0)
    Aeq, beq = A[row:row + z], b[row:row + z]
    row += z
    l = pr.get("nonneg", 0)
    G_parts, h_parts = [A[row:row + l]], [b[row:row + l]]
    row += l
    sdims = []
    for nb in pr.get("psd_complex", []):
        E = hermitian_embedding(nb)
        G_parts.append(E @ A[row:row + nb * nb])
        h_parts.append(E @ b[row:row + nb * nb])
        sdims.append(2 * nb)
        row += nb * nb
    nexp = pr.get("exp_primal", 0)
    exps = []
    for _ in range(nexp):
        if np.any(A[row + 1] != 0.0) or b[row + 1] <= 0.0:
            raise ValueError("exp cone middle component must be a positive constant")
        exps.append((A[row], b[row], b[row + 1], A[row + 2], b[row + 2]))
        row += 3
    assert row == m, (row, m)
    # cp needs rank([G; A]) = n: a variable seen only by the exponential cones (an upper-bounded log)
    # gets an inactive bound x_j <= 1e3 as an extra non-negative row.
    Gall = np.vstack(G_parts + ([Aeq] if z > 0 else []))
    free = [j for j in range(n) if not np.any(Gall[:, j] != 0.0)] if nexp > 0 else []
    if free:
        B = np.zeros((len(free), n))
        B[np.arange(len(free)), free] = 1.0
        G_parts[0] = np.vstack([G_parts[0], B])
        h_parts[0] = np.concatenate([h_parts[0], np.full(len(free), 1e3)])
        l += len(free)
    G = matrix(np.vstack(G_parts))
    h = matrix(np.concatenate(h_parts))
    dims = {"l": l, "q": [], "s": sdims}
    kw = {}
    if z > 0:
        kw = {"A": matrix(Aeq), "b": matrix(beq)}
    if nexp == 0:
        sol = solvers.conelp(matrix(c), G, h, dims, **kw)
    else:
        x0 = None
        if pr.get("x0") and len(pr["x0"]) == n:
            x0 = np.array(pr["x0"], dtype=float)
        if x0 is None:
            # no start given: the linear + PSD relaxation (exp cones dropped) gives one -- and, when it
            # is infeasible, a certificate that the whole problem is infeasible
            rel = solvers.conelp(matrix(0.0, (n, 1)), G, h, dims, **kw)
            if rel["status"] == "primal infeasible":
                return {"status": "infeasible", "x": [0.0] * n, "primal_objective": 0.0, "iterations": 0}
            x0 = np.array(rel["x"]).ravel() if rel["x"] is not None else np.zeros(n)
        if not all(bt - At @ x0 > 0.0 for (_, _, _, At, bt) in exps):
            x0 = np.zeros(n)
        def F(x=None, zz=None):
            if x is None:
                return nexp, matrix(x0)
            xv = np.array(x).ravel()
            f = np.zeros(nexp + 1)
            Df = np.zeros((nexp + 1, n))
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
        sol = solvers.cp(F, G, h, dims, **kw)
        if sol["status"] != "optimal":
            # cp has no certificate; the linear + PSD relaxation (exp cones dropped) has one, and
            # an infeasible relaxation proves the whole problem infeasible.
            rel = solvers.conelp(matrix(0.0, (n, 1)), G, h, dims, **kw)
            if rel["status"] == "primal infeasible":
                sol = rel
    if sol["status"] == "unknown" and sol.get("x") is not None and (
            sol.get("primal infeasibility") or 1.0) < 1e-6 and (sol.get("dual infeasibility") or 1.0) < 1e-4 and (
            sol.get("relative gap") is None or sol.get("relative gap") < 1e-4):
        sol["status"] = "optimal"  # stalled (singular KKT) after reaching the accuracy we need
    status = {"optimal": "optimal", "primal infeasible": "infeasible",
              "dual infeasible": "unbounded"}.get(sol["status"], "max_iterations")
    x = np.array(sol["x"]).ravel() if sol["x"] is not None else np.zeros(n)
    return {"status": status, "x": x.tolist(), "primal_objective": float(c @ x),
            "iterations": int(sol.get("iterations", 0) or 0)}


def main():
    with open(sys.argv[1]) as f:
        problems = json.load(f)["problems"]
    out = []
    for pr in problems:
        try:
            out.append(solve_one(pr))
        except (ValueError, ArithmeticError) as e:
            out.append({"status": "numerical_error", "x": [0.0] * pr["n"], "primal_objective": 0.0,
                        "iterations": 0, "message": str(e)})
    with open(sys.argv[2], "w") as f:
        json.dump({"solutions": out}, f)


if __name__ == "__main__":
    main()
