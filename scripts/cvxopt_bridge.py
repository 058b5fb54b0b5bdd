#!/usr/bin/python3
"""Solve conic problems in isacbf's conic form with CVXOPT (interior point): an independent
cross-check of the ADMM backends, and the reference path host/xcheck/cvxopt_solver.cpp uses (branch conic has its own scripts/cvxopt_conic.py for its tests).

Input JSON (stdin): {"problems": [{"cones": {...}, "m": m, "n": n, "A": [[row, col, val], ...],
"b": [...], "c": [...]}], "settings": {...}}. Output JSON (stdout): {"solutions": [{"status", "x",
"primal_objective", "dual_objective", "iterations", "message", "certificate_norm"}]}.
Form: min c^T x s.t. A x + s = b, s in K (zero, nonneg, soc, psd_real svec, psd_complex hvec).
Hermitian n x n blocks become the real 2n x 2n PSD block [[Re X, -Im X], [Im X, Re X]].
Requires Debian's python3-cvxopt (run with /usr/bin/python3).
"""
import json
import math
import sys

import numpy as np
from cvxopt import matrix, solvers, spmatrix


def hermitian_embedding_rows(A, b, start, n):
    """Rows (G, h) of the 2n x 2n real embedding, column-major, from hvec rows start..start+n^2."""
    # Map (i, j) of X to (row offset, factor) for Re and Im parts.
    re_row = {}
    im_row = {}
    r = start
    for j in range(n):
        re_row[(j, j)] = (r, 1.0)
        r += 1
        for i in range(j + 1, n):
            re_row[(i, j)] = (r, 1 / math.sqrt(2))
            im_row[(i, j)] = (r + 1, 1 / math.sqrt(2))
            r += 2

    def re(i, j):
        key = (i, j) if i >= j else (j, i)
        return [re_row[key]]

    def im(i, j):  # Im X_ij, X_ji = conj(X_ij)
        if i == j:
            return []
        if i > j:
            return [im_row[(i, j)]]
        row, f = im_row[(j, i)]
        return [(row, -f)]

    N = 2 * n
    G = np.zeros((N * N, A.shape[1]))
    h = np.zeros(N * N)
    for q in range(N):
        for p in range(N):
            i, j = p % n, q % n
            if (p < n) == (q < n):
                terms = re(i, j)
            elif p >= n:  # lower-left block: Im X
                terms = im(i, j)
            else:  # upper-right block: -Im X
                terms = [(row, -f) for row, f in im(i, j)]
            for row, f in terms:
                G[q * N + p] += f * A[row]
                h[q * N + p] += f * b[row]
    return G, h


def real_embedding_rows(A, b, start, n):
    idx = {}
    r = start
    for j in range(n):
        idx[(j, j)] = (r, 1.0)
        r += 1
        for i in range(j + 1, n):
            idx[(i, j)] = (r, 1 / math.sqrt(2))
            r += 1
    G = np.zeros((n * n, A.shape[1]))
    h = np.zeros(n * n)
    for q in range(n):
        for p in range(n):
            row, f = idx[(p, q) if p >= q else (q, p)]
            G[q * n + p] = f * A[row]
            h[q * n + p] = f * b[row]
    return G, h


def solve_one(prob, settings):
    cones = prob["cones"]
    m, n = prob["m"], prob["n"]
    A = np.zeros((m, n))
    for r, c, v in prob["A"]:
        A[int(r), int(c)] += v
    b = np.array(prob["b"], dtype=float)
    c = np.array(prob["c"], dtype=float)
    if cones.get("exp_primal", 0) or cones.get("exp_dual", 0):
        return {"status": "numerical_error", "message": "cvxopt bridge: exponential cones not supported"}
    z = cones.get("zero", 0)
    l = cones.get("nonneg", 0)
    soc = cones.get("soc", [])
    Gs, hs = [A[z:z + l + sum(soc)]], [b[z:z + l + sum(soc)]]
    r = z + l + sum(soc)
    s_dims = []
    for k in cones.get("psd_real", []):
        G, h = real_embedding_rows(A, b, r, k)
        Gs.append(G); hs.append(h); s_dims.append(k)
        r += k * (k + 1) // 2
    for k in cones.get("psd_complex", []):
        G, h = hermitian_embedding_rows(A, b, r, k)
        Gs.append(G); hs.append(h); s_dims.append(2 * k)
        r += k * k
    G = np.vstack(Gs)
    h = np.concatenate(hs)
    dims = {"l": l, "q": list(soc), "s": s_dims}
    solvers.options["show_progress"] = bool(settings.get("verbose", False))
    solvers.options["maxiters"] = settings.get("maxiters", 200)
    args = dict(c=matrix(c), G=matrix(G), h=matrix(h), dims=dims)
    if z > 0:
        args["A"] = matrix(A[:z])
        args["b"] = matrix(b[:z])
    # Tight tolerances first; CVXOPT can break down (math domain error) on nearly degenerate duals, so
    # fall back to its defaults before giving up.
    levels = [(1e-8, 1e-7, 1e-8), (1e-7, 1e-6, 1e-7), (1e-6, 1e-5, 1e-6)]
    if "abstol" in settings:
        levels = [(settings["abstol"], settings.get("reltol", 1e-7), settings.get("feastol", 1e-8))]
    for i, (abstol, reltol, feastol) in enumerate(levels):
        solvers.options.update(abstol=abstol, reltol=reltol, feastol=feastol)
        try:
            res = solvers.conelp(**args)
            break
        except (ValueError, ArithmeticError):
            if i + 1 == len(levels):
                raise
    status = {"optimal": "optimal", "primal infeasible": "infeasible", "dual infeasible": "unbounded"}.get(
        res["status"], "max_iterations")
    out = {"status": status, "iterations": int(res["iterations"]), "message": "cvxopt: " + res["status"]}
    if res["x"] is not None:
        out["x"] = list(np.array(res["x"]).ravel())
    if res["primal objective"] is not None:
        out["primal_objective"] = float(res["primal objective"])
    if res["dual objective"] is not None:
        out["dual_objective"] = float(res["dual objective"])
    if status == "infeasible":
        # Certificate: z >= 0 in K* with G^T z + A^T y = 0 and h^T z + b^T y = -1; report its residual.
        out["certificate_norm"] = float(np.linalg.norm(np.array(res["z"]).ravel()))
        out["certificate_residual"] = float(res["residual as primal infeasibility certificate"] or 0.0)
    return out


def main():
    doc = json.load(sys.stdin)
    settings = doc.get("settings", {})
    sols = []
    for prob in doc["problems"]:
        try:
            sols.append(solve_one(prob, settings))
        except (ValueError, ArithmeticError) as e:
            sols.append({"status": "numerical_error", "message": "cvxopt: " + str(e)})
    json.dump({"solutions": sols}, sys.stdout)


if __name__ == "__main__":
    main()
