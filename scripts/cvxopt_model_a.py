#!/usr/bin/python3
"""Independent cross-check of model A (docs/model-a.md): P4 and the whole SCA (Algorithm 1) with
CVXOPT's interior-point solvers, written from the model's equations -- it shares no code or
conic data with the C++ builder.

  /usr/bin/python3 scripts/cvxopt_model_a.py INSTANCE.json... [--sca-update tight|paper]
        [--start RESULT.json...] [--full-form] [--delta 1e-3] [--max-iterations 50] [-o OUT.json]

P4 is solved with cvxopt.solvers.cp: the log terms (36)/(39) stay in the (concave) objective, the
Hermitian blocks are real 2d x 2d PSD embeddings [[Re Y, -Im Y], [Im Y, Re Y]], (42), (43), (27),
(28), (29) are linear. The feasibility phase is the pinned one (maximise sum_k ln(1 + m1 h_k Q_k h_k^H)
over (27)-(29)); its infeasibility is certified by cvxopt.solvers.conelp ('primal infeasible').
--start takes the start design from `isacbf solve --full` results (key "start"), so both codes run
the same SCA path. Prints a JSON array of results (status, secrecy_rate, objective_trace, ...).
"""
import argparse
import json
import math
import sys

import numpy as np
from cvxopt import matrix, solvers

solvers.options["show_progress"] = False
solvers.options["maxiters"] = 200
solvers.options["abstol"] = 1e-7   # CVXOPT defaults; tighter ones end in "singular KKT" on
solvers.options["reltol"] = 1e-6   # these 60 dB SNR problems
solvers.options["feastol"] = 1e-7
solvers.options["refinement"] = 3  # iterative refinement of the KKT solves: needed at high SNR
LN2 = math.log(2.0)


def watt(dbm):
    return 10.0 ** ((dbm - 30.0) / 10.0)


def cvec(j):
    return np.array(j["re"], dtype=float) + 1j * np.array(j["im"], dtype=float)


def cmat(j):
    return np.array(j["re"], dtype=float) + 1j * np.array(j["im"], dtype=float)


class Model:
    """Model A in P-relative units: X = P U Y U^H, Y Hermitian d x d, parametrised by an
    orthonormal basis of Hermitian matrices (so x holds d^2 reals per block)."""

    def __init__(self, inst, full_form=False):
        self.Nt, self.K = inst["Nt"], inst["K"]
        self.P = watt(inst["P_dBm"])
        self.su, self.st, self.sb = watt(inst["sigma_u_dBm"]), watt(inst["sigma_t_dBm"]), watt(inst["sigma_b_dBm"])
        self.gse, self.gs = 10 ** (inst["gamma_se_dB"] / 10), 10 ** (inst["gamma_s_dB"] / 10)
        ch = inst["channels"]
        self.g = [cvec(v) for v in ch["g"]]
        self.hce = cvec(ch["h_ce"])
        self.he = cvec(ch["h_e"])
        # h_k as a column vector h_k^H = g_k + conj(h_e,k) h_ce
        self.hk = [self.g[k] + np.conj(self.he[k]) * self.hce for k in range(self.K)]
        if full_form:
            self.U = np.eye(self.Nt, dtype=complex)
        else:
            M = np.column_stack(self.hk + [self.hce])
            Q, _ = np.linalg.qr(M, mode="complete")
            self.U = Q[:, : min(self.K + 1, self.Nt)]
        d = self.d = self.U.shape[1]
        B = []
        for j in range(d):
            E = np.zeros((d, d), complex); E[j, j] = 1; B.append(E)
        for j in range(d):
            for i in range(j + 1, d):
                E = np.zeros((d, d), complex); E[i, j] = E[j, i] = 1 / math.sqrt(2); B.append(E)
                E = np.zeros((d, d), complex); E[i, j] = 1j / math.sqrt(2); E[j, i] = -1j / math.sqrt(2); B.append(E)
        self.B = B
        nb = self.nb = d * d
        def form(vec):  # coefficients of v^H X v / P as a function of the block parameters
            c = self.U.conj().T @ vec
            return np.array([np.real(c.conj() @ Bi @ c) for Bi in B])
        self.user = [form(h) * self.P / self.su for h in self.hk]   # SNR at CU k
        self.tq = form(self.hce)                                      # h_ce^H X h_ce / P
        self.tsnr = self.tq * self.P / self.st
        self.tr = np.array([np.real(np.trace(Bi)) for Bi in B])
        # real embeddings of the basis, vectorised column-major (cvxopt 's' cone)
        self.emb = np.column_stack([np.block([[Bi.real, -Bi.imag], [Bi.imag, Bi.real]]).reshape(-1, order="F") for Bi in B])

    def Y(self, p):
        return sum(pi * Bi for pi, Bi in zip(p, self.B))

    def params(self, X):  # project a Nt x Nt covariance (watts) onto the block parameters
        Y = self.U.conj().T @ X @ self.U / self.P
        return np.array([np.real(np.trace(Y @ Bi)) for Bi in self.B])

    def design(self, x):
        nb = self.nb
        Q = [self.P * self.U @ self.Y(x[k * nb:(k + 1) * nb]) @ self.U.conj().T for k in range(self.K)]
        S = self.P * self.U @ self.Y(x[self.K * nb:(self.K + 1) * nb]) @ self.U.conj().T
        return Q, S

    # sums of forms over blocks; blocks are 0..K-1 (Q_k) and K (S)
    def sel(self, coef, blocks, nvar):
        row = np.zeros(nvar)
        for b in blocks:
            row[b * self.nb:(b + 1) * self.nb] += coef
        return row

    def constraints(self, nvar, security=True):
        """(27), (28), (29) as rows G x <= h, each divided by its largest coefficient."""
        K, rows, rhs = self.K, [], []
        if security:
            for k in range(K):
                a = abs(self.he[k]) ** 2 * self.P / self.su
                r = a * (self.sel(self.tq, [K, k], nvar) - self.gse * self.sel(self.tq, [i for i in range(K) if i != k], nvar))
                rows.append(r); rhs.append(self.gse)
        b = np.linalg.norm(self.hce) ** 2 * self.P / self.sb
        r = -b * (self.sel(self.tq, [K], nvar) - self.gs * self.sel(self.tq, range(K), nvar))
        rows.append(r); rhs.append(-self.gs)
        rows.append(self.sel(self.tr, range(K + 1), nvar)); rhs.append(1.0)
        G, h = np.array(rows), np.array(rhs)
        s = np.maximum(np.abs(G).max(axis=1), np.abs(h))
        return G / s[:, None], h / s

    def psd(self, nvar):
        nb, blocks = self.nb, []
        for b in range(self.K + 1):
            Gb = np.zeros((4 * self.d * self.d, nvar))
            Gb[:, b * nb:(b + 1) * nb] = -self.emb
            blocks.append(Gb)
        return blocks


def metrics(m, Q, S):
    K, sr, ru, rt, scnr_u = m.K, 0.0, [], [], []
    for k in range(K):
        h = m.hk[k]
        f = lambda X: np.real(h.conj() @ X @ h)
        ft = lambda X: np.real(m.hce.conj() @ X @ m.hce)
        iu = f(S) + sum(f(Q[i]) for i in range(K) if i != k)
        it = ft(S) + sum(ft(Q[i]) for i in range(K) if i != k)
        ru.append(math.log2(1 + f(Q[k]) / (m.su + iu)))
        rt.append(math.log2(1 + ft(Q[k]) / (m.st + it)))
        sr += max(0.0, ru[-1] - rt[-1])
    return sr, ru, rt


def cone_args(m, nvar, Glin, hlin):
    Gs = m.psd(nvar)
    G = matrix(np.vstack([Glin] + Gs))
    h = matrix(np.concatenate([hlin] + [np.zeros(Gb.shape[0]) for Gb in Gs]))
    return G, h, {"l": Glin.shape[0], "q": [], "s": [2 * m.d] * (m.K + 1)}


def log_objective(terms, lin, x0):
    """F for cp: minimise lin.x - sum_j ln(c_j + a_j.x) (terms = [(a_j, c_j)])."""
    n = len(lin)
    def F(x=None, z=None):
        if x is None:
            return 0, matrix(x0)
        xv = np.array(x).ravel()
        val, grad, H = lin @ xv, lin.copy(), np.zeros((n, n))
        for a, c in terms:
            arg = c + a @ xv
            if arg <= 0:
                return None
            val -= math.log(arg)
            grad -= a / arg
            H += np.outer(a, a) / arg ** 2
        if z is None:
            return matrix(val), matrix(grad.reshape(1, -1))
        return matrix(val), matrix(grad.reshape(1, -1)), matrix(z[0] * H)
    return F


def feasibility(m, security):
    nvar = (m.K + 1) * m.nb
    Glin, hlin = m.constraints(nvar, security)
    G, h, dims = cone_args(m, nvar, Glin, hlin)
    cert = solvers.conelp(matrix(np.zeros(nvar)), G, h, dims)
    if cert["status"] == "primal infeasible":
        return "infeasible", None
    terms = []
    for k in range(m.K):
        a = m.sel(m.user[k], [k], nvar)
        s = np.abs(a).max()
        terms.append((a / s, 1.0 / s))
    x0 = np.array(cert["x"]).ravel() if cert["x"] is not None else np.zeros(nvar)
    # cp needs x0 in the log's domain; the certificate run's point is feasible, nudge it inside
    for k in range(m.K):
        x0[k * m.nb:(k + 1) * m.nb] += 1e-9 * m.params(np.eye(m.Nt))[:]
    sol = solvers.cp(log_objective(terms, np.zeros(nvar), x0), G, h, dims)
    if sol["status"] != "optimal" and not stalled_but_accurate(sol):
        return "numerical_error", None
    return "optimal", np.array(sol["x"]).ravel()


def stalled_but_accurate(sol):
    """cp often stops with 'singular KKT matrix' one step after reaching full accuracy."""
    if sol["x"] is None:
        return False
    pres, dres = sol.get("primal infeasibility"), sol.get("dual infeasibility")
    gap = sol.get("relative gap")
    return pres is not None and dres is not None and pres < 1e-6 and dres < 1e-4 and (gap is None or gap < 1e-4)


def p4(m, y, eps_ref, u_ref, security):
    """One P4 at expansion (eps_ref, u_ref) from blocks y; returns (status, x, f in nats)."""
    K, nb = m.K, m.nb
    ny = (K + 1) * nb
    nvar = ny + K + 1
    Glin, hlin = m.constraints(nvar, security)
    rows, rhs = [list(Glin)], [list(hlin)]
    for k in range(K):  # (42)/e^{eps_ref}: e^{-eps_ref} a_k.(S + sum_{i!=k} Y_i) - eps_k <= 1 - eps_ref - e^{-eps_ref}
        s = math.exp(-eps_ref[k])
        r = s * m.sel(m.user[k], [i for i in range(K + 1) if i != k], nvar)
        r[ny + k] = -1.0
        rows[0].append(r); rhs[0].append(1.0 - eps_ref[k] - s)
    s = math.exp(-u_ref)  # (43)
    r = s * m.sel(m.tsnr, range(K + 1), nvar)
    r[ny + K] = -1.0
    rows[0].append(r); rhs[0].append(1.0 - u_ref - s)
    Gl, hl = np.array(rows[0]), np.array(rhs[0])
    sc = np.maximum(np.abs(Gl).max(axis=1), np.abs(hl))
    G, h, dims = cone_args(m, nvar, Gl / sc[:, None], hl / sc)
    lin = np.zeros(nvar)
    lin[ny:ny + K] = 1.0
    lin[ny + K] = K
    terms = []
    for k in range(K):
        terms.append((m.sel(m.user[k], range(K + 1), nvar), 1.0))                                 # (36)
        terms.append((m.sel(m.tsnr, [i for i in range(K + 1) if i != k], nvar), 1.0))           # (39)
    x0 = np.concatenate([y, eps_ref, [u_ref]])
    sol = solvers.cp(log_objective(terms, lin, x0), G, h, dims)
    ok = sol["status"] == "optimal" or stalled_but_accurate(sol)
    if not ok:
        return "numerical_error", None, None
    x = np.array(sol["x"]).ravel()
    f = -(lin @ x) + sum(math.log(c + a @ x) for a, c in terms)
    return "optimal", x, f


def true_logs(m, y):
    K = m.K
    nvar = len(y)
    eps = [math.log1p(m.sel(m.user[k], [i for i in range(K + 1) if i != k], nvar) @ y) for k in range(K)]
    u = math.log1p(m.sel(m.tsnr, range(K + 1), nvar) @ y)
    f = sum(math.log1p(m.sel(m.user[k], range(K + 1), nvar) @ y) - eps[k] - u
            + math.log1p(m.sel(m.tsnr, [i for i in range(K + 1) if i != k], nvar) @ y) for k in range(K))
    return eps, u, f


def sca(inst, args, start=None):
    m = Model(inst, args.full_form)
    security = args.scheme != "no_sensing_security"
    res = {"status": "numerical_error", "objective_trace": [], "sca_iterations": 0}
    if start is None:
        st, x = feasibility(m, security)
        if st != "optimal":
            res["status"] = st
            return res
        y = x
    else:
        y = np.concatenate([m.params(X) for X in start[0]] + [m.params(start[1])])
    eps, u, f_prev = true_logs(m, y)
    res["objective_trace"].append(f_prev / LN2)
    for it in range(1, args.max_iterations + 1):
        st, x, f = p4(m, y, eps, u, security)
        if st != "optimal":
            res["status"] = st
            break
        y = x[:(m.K + 1) * m.nb]
        res["sca_iterations"] = it
        res["objective_trace"].append(f / LN2)
        if args.sca_update == "paper":
            eps, u = list(x[-(m.K + 1):-1]), x[-1]
        else:
            eps, u, _ = true_logs(m, y)
        if abs(f - f_prev) <= args.delta * abs(f_prev):
            res["status"] = "optimal"
            f_prev = f
            break
        f_prev = f
        if it == args.max_iterations:
            res["status"] = "max_iterations"
    Q, S = m.design(y)
    Q = [0.5 * (X + X.conj().T) for X in Q]
    sr, ru, rt = metrics(m, Q, S)
    res.update({"secrecy_rate": sr, "rate_user": ru, "rate_eve": rt,
                "rank1_ratio": [float(np.linalg.eigvalsh(X)[-1] / max(np.real(np.trace(X)), 1e-300)) for X in Q],
                "power_W": float(sum(np.real(np.trace(X)) for X in Q) + np.real(np.trace(S)))})
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("instances", nargs="+")
    ap.add_argument("--sca-update", default="tight", choices=["tight", "paper"])
    ap.add_argument("--scheme", default="proposed", choices=["proposed", "no_sensing_security"])
    ap.add_argument("--start", nargs="*", default=None, help="isacbf solve --full results (key 'start')")
    ap.add_argument("--full-form", action="store_true")
    ap.add_argument("--delta", type=float, default=1e-3)
    ap.add_argument("--max-iterations", type=int, default=50)
    ap.add_argument("-o", "--output")
    args = ap.parse_args()
    out = []
    for i, path in enumerate(args.instances):
        with open(path) as f:
            inst = json.load(f)
        start = None
        if args.start:
            with open(args.start[i]) as f:
                r = json.load(f)
            if isinstance(r, list):
                r = r[0]
            if "start" in r:
                start = ([cmat(X) for X in r["start"]["Q"]], cmat(r["start"]["S"]))
        res = sca(inst, args, start)
        res["file"] = path
        out.append(res)
    text = json.dumps(out, indent=1)
    if args.output:
        with open(args.output, "w") as f:
            f.write(text + "\n")
    else:
        print(text)


if __name__ == "__main__":
    main()
