#!/usr/bin/python3
"""Independent cross-check of the conic ADMM with CVXOPT (interior point).

usage: /usr/bin/python3 scripts/cvxopt_conic.py problem.json solution.json

problem.json (our standard form  min c^T x  s.t.  A x + s = b, s in K):
  {"cones": {"zero": z, "nonneg": l, "soc": [...], "psd_real": [...], "psd_complex": [...],
             "exp_primal": e},
   "A": {"rows": m, "cols": n, "i": [...], "j": [...], "v": [...]},  (triplets, 0-based)
   "b": [...], "c": [...]}
Vectorisations as in host/conic/problem.hpp (svec / hvec with sqrt(2) off-diagonal scaling).
Mapping to CVXOPT:
  zero rows      -> equality constraints A_eq x = b_eq
  nonneg, soc    -> G rows of the 'l' and 'q' cones
  psd_real n     -> an 's' block of order n (full column-major matrix, off-diagonals / sqrt(2))
  psd_complex n  -> an 's' block of order 2n: [[Re X, -Im X], [Im X, Re X]] >= 0  <=>  X >= 0
  exp_primal     -> CVXOPT's conelp has no exponential cone; each exp cone (r, s, t) must have a
                    constant s-row (A row zero, b = s0 > 0); it becomes the smooth convex
                    constraint s0 exp(r / s0) - t <= 0 and the problem is solved with solvers.cp.
                    (dual exponential cones are not supported here.)
solution.json: {"status": "optimal" | ..., "objective": c^T x, "x": [...]}
"""
import json
import math
import sys

import cvxopt
from cvxopt import matrix, spmatrix, solvers


def main(inp, outp):
    P = json.load(open(inp))
    cones = P["cones"]
    m, n = P["A"]["rows"], P["A"]["cols"]
    rows = [[] for _ in range(m)]  # sparse rows: list of (col, val)
    for i, j, v in zip(P["A"]["i"], P["A"]["j"], P["A"]["v"]):
        rows[i].append((j, v))
    b = P["b"]
    c = P["c"]
    if cones.get("exp_dual", 0):
        raise SystemExit("dual exponential cones are not supported by this script")

    G_rows, h = [], []  # lists of sparse rows for the inequality cones
    A_rows, beq = [], []
    off = 0

    def scaled(r, f):
        return [(j, v * f) for j, v in rows[r]], b[r] * f

    z = cones.get("zero", 0)
    for r in range(z):
        A_rows.append(rows[r]); beq.append(b[r])
    off = z
    l = cones.get("nonneg", 0)
    for r in range(off, off + l):
        G_rows.append(rows[r]); h.append(b[r])
    off += l
    for q in cones.get("soc", []):
        for r in range(off, off + q):
            G_rows.append(rows[r]); h.append(b[r])
        off += q
    s_dims = []
    for nn in cones.get("psd_real", []):
        # svec index of (i, j), i >= j
        idx = {}
        k = off
        for j in range(nn):
            for i in range(j, nn):
                idx[(i, j)] = k; k += 1
        for col in range(nn):
            for row in range(nn):
                i, j = max(row, col), min(row, col)
                f = 1.0 if i == j else 1.0 / math.sqrt(2.0)
                gr, hv = scaled(idx[(i, j)], f)
                G_rows.append(gr); h.append(hv)
        s_dims.append(nn)
        off = k
    for nn in cones.get("psd_complex", []):
        re, im = {}, {}
        k = off
        for j in range(nn):
            re[(j, j)] = k; k += 1
            for i in range(j + 1, nn):
                re[(i, j)] = k; im[(i, j)] = k + 1; k += 2
        def R(i, j):
            a, bb = max(i, j), min(i, j)
            return scaled(re[(a, bb)], 1.0 if a == bb else 1.0 / math.sqrt(2.0))
        def I(i, j):  # Im X_ij (antisymmetric)
            if i == j:
                return [], 0.0
            if i > j:
                return scaled(im[(i, j)], 1.0 / math.sqrt(2.0))
            gr, hv = scaled(im[(j, i)], -1.0 / math.sqrt(2.0))
            return gr, hv
        N = 2 * nn
        for col in range(N):
            for row in range(N):
                bi, bj = row // nn, col // nn
                i, j = row % nn, col % nn
                if bi == bj:
                    gr, hv = R(i, j)
                elif bi == 1 and bj == 0:
                    gr, hv = I(i, j)
                else:  # top-right block: -Im X
                    gr, hv = I(i, j)
                    gr = [(jj, -v) for jj, v in gr]; hv = -hv
                G_rows.append(gr); h.append(hv)
        s_dims.append(N)
        off = k
    exp_cons = []  # (r_row, s0, t_row)
    for e in range(cones.get("exp_primal", 0)):
        r0, s0, t0 = off, off + 1, off + 2
        if rows[s0]:
            raise SystemExit("exp cone %d: the s-row must be constant (no A entries)" % e)
        exp_cons.append((r0, b[s0], t0))
        off += 3
    assert off == m, (off, m)

    def to_sp(rowlist, ncols):
        I, J, V = [], [], []
        for r, row in enumerate(rowlist):
            for j, v in row:
                I.append(r); J.append(j); V.append(float(v))
        return spmatrix(V, I, J, (len(rowlist), ncols))

    dims = {"l": l, "q": list(cones.get("soc", [])), "s": s_dims}
    G = to_sp(G_rows, n)
    hh = matrix([float(v) for v in h], (len(h), 1))
    cc = matrix([float(v) for v in c], (n, 1))
    Aeq = to_sp(A_rows, n) if A_rows else None
    beqm = matrix([float(v) for v in beq], (len(beq), 1)) if A_rows else None
    solvers.options.update({"show_progress": False, "abstol": 1e-9, "reltol": 1e-9, "feastol": 1e-9,
                            "maxiters": 200})
    if not exp_cons:
        kw = {"A": Aeq, "b": beqm} if A_rows else {}
        try:
            sol = solvers.conelp(cc, G, hh, dims, **kw)
        except (ValueError, ArithmeticError):
            # CVXOPT can hit a domain error when pushed past its attainable accuracy: retry at defaults
            solvers.options.update({"abstol": 1e-7, "reltol": 1e-6, "feastol": 1e-7})
            sol = solvers.conelp(cc, G, hh, dims, **kw)
    else:
        # nonlinear constraints f_k(x) = s0 exp((b_r - A_r x) / s0) - (b_t - A_t x) <= 0, objective c^T x
        def F(x=None, zz=None):
            if x is None:
                return len(exp_cons), matrix(0.0, (n, 1))
            f = matrix(0.0, (len(exp_cons) + 1, 1))
            Df = matrix(0.0, (len(exp_cons) + 1, n))
            f[0] = (cc.T * x)[0]
            Df[0, :] = cc.T
            H = matrix(0.0, (n, n))
            for k, (rr, s0, tt) in enumerate(exp_cons):
                rv = b[rr] - sum(v * x[j] for j, v in rows[rr])
                tv = b[tt] - sum(v * x[j] for j, v in rows[tt])
                if rv / s0 > 700:
                    return None
                ex = math.exp(rv / s0)
                f[k + 1] = s0 * ex - tv
                grad = [0.0] * n
                for j, v in rows[rr]:
                    grad[j] += -v * ex
                for j, v in rows[tt]:
                    grad[j] += v
                for j in range(n):
                    Df[k + 1, j] = grad[j]
                if zz is not None:
                    a = [0.0] * n
                    for j, v in rows[rr]:
                        a[j] += -v
                    w = zz[k + 1] * ex / s0
                    for i in range(n):
                        if a[i] == 0.0:
                            continue
                        for j in range(n):
                            H[i, j] += w * a[i] * a[j]
            if zz is None:
                return f, Df
            return f, Df, H
        kw = {"A": Aeq, "b": beqm} if A_rows else {}
        sol = solvers.cp(F, G=G, h=hh, dims=dims, **kw)
    status = sol["status"]
    x = sol["x"]
    out = {"status": "optimal" if status == "optimal" else status,
           "objective": (cc.T * x)[0] if x is not None else None,
           "x": list(x) if x is not None else None}
    json.dump(out, open(outp, "w"))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
