#!/usr/bin/python3
"""Fresh SDPLIB-family problems (never seen while tuning), solved by CSDP and by `isacbf conic`.

usage: /usr/bin/python3 bench/sdp_families.py [--dir build/sdp_families] [--binary build/isacbf]
                                               [--time-limit 60] [--tols 1e-4,1e-6] [--only family,...]
                                               [-- more isacbf conic flags, e.g. --backend gpu]
       (prints the table of docs/solver-unseen.md on stdout; the raw results go to DIR/results.json)
       /usr/bin/python3 bench/sdp_families.py --check      # ctest: one small problem per family
       /usr/bin/python3 bench/sdp_families.py --csdp-sdplib # CSDP on ../shared/sdplib (ANCHORS.md check)

Every problem is a deterministic function of (family, size, seed): the .dat-s files are regenerated
into --dir (not kept in git). CSDP 6.2 (Debian coinor-csdp) gives the reference optimum; rel.err is
|ours - CSDP| / |CSDP| on the SDPA primal objective c^T x (CSDP's "dual objective"). Exit 77 (ctest
SKIP) when csdp, csdp-randgraph or numpy is missing; --check exits 1 when a problem misses 1e-4.
"""
import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

SKIP = 77
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
ENV1 = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")

try:
    import numpy as np
except ImportError:  # the ctest skips rather than fails on a machine without numpy
    np = None


# ---------------------------------------------------------------- SDPA writing

def write_sdpa(path, c, blocks, entries, comment):
    """entries: (matrix index 0..m, block 1.., i, j, value) with 1-based i <= j (SDPA sparse)."""
    with open(path, "w") as f:
        for line in comment.splitlines():
            f.write('" %s\n' % line)
        f.write("%d\n%d\n%s\n" % (len(c), len(blocks), " ".join(str(b) for b in blocks)))
        f.write(" ".join("%.17g" % v for v in c) + "\n")
        for k, b, i, j, v in entries:
            if v != 0.0:
                f.write("%d %d %d %d %.17g\n" % (k, b, i, j, v))


def sym_entries(k, block, M, tol=0.0):
    n = M.shape[0]
    return [(k, block, i + 1, j + 1, float(M[i, j])) for i in range(n) for j in range(i, n) if abs(M[i, j]) > tol]


def random_graph(n, p, seed, workdir):
    """Edges of CSDP's own generator (csdp-randgraph, the tool SDPLIB's theta problems came from)."""
    g = os.path.join(workdir, "graph_%d_%g_%d.txt" % (n, p, seed))
    subprocess.run(["csdp-randgraph", g, str(n), str(p), str(seed)], check=True, capture_output=True)
    rows = open(g).read().split("\n")
    edges = [tuple(int(t) - 1 for t in r.split()) for r in rows[2:] if r.strip()]
    return g, edges


def laplacian(n, edges):
    L = np.zeros((n, n))
    for i, j in edges:
        L[i, i] += 1.0
        L[j, j] += 1.0
        L[i, j] -= 1.0
        L[j, i] -= 1.0
    return L


# ---------------------------------------------------------------- families

def gen_theta(path, n, p, seed, workdir):
    # Lovasz theta: max tr(J X) s.t. tr(X) = 1, X_ij = 0 on edges, X psd. csdp-graphtoprob writes it
    # exactly as SDPLIB's theta1..6 (Borchers); csdp-theta only solves it and writes no file.
    g, _ = random_graph(n, p, seed, workdir)
    subprocess.run(["csdp-graphtoprob", g, path], check=True, capture_output=True)


def gen_maxcut(path, n, p, seed, workdir):
    # SDPLIB mcp (as in mcp100.dat-s): max tr(L/4 X) s.t. diag(X) = 1, X psd (Goemans-Williamson),
    # unit edge weights. SDPA: c = 1, F_i = e_i e_i^T, F0 = L/4. csdp-graphtoprob writes theta, not this.
    _, edges = random_graph(n, p, seed, workdir)
    L = laplacian(n, edges)
    entries = sym_entries(0, 1, L / 4.0) + [(i + 1, 1, i + 1, i + 1, 1.0) for i in range(n)]
    write_sdpa(path, [1.0] * n, [n], entries, "maxcut relaxation, G(n=%d,p=%g) seed %d" % (n, p, seed))


def gen_gpp(path, n, p, seed, workdir):
    # SDPLIB gpp (as in gpp100.dat-s): graph equipartition min tr(L/4 X) s.t. diag(X) = 1, tr(J X) = 0,
    # X psd. SDPA: F0 = -L/4 (objective sign as in SDPLIB), F1 = J with c1 = 0, F_{i+1} = e_i e_i^T, c = 1.
    # No strictly feasible X (J X = 0 forces X singular): hard for every method.
    _, edges = random_graph(n, p, seed, workdir)
    L = laplacian(n, edges)
    entries = sym_entries(0, 1, -L / 4.0) + sym_entries(1, 1, np.ones((n, n)))
    entries += [(i + 2, 1, i + 1, i + 1, 1.0) for i in range(n)]
    write_sdpa(path, [0.0] + [1.0] * n, [n], entries, "graph equipartition, G(n=%d,p=%g) seed %d" % (n, p, seed))


def gen_control(path, n, seed, _workdir, scale=1.0):
    # SDPLIB control1..11 (Fujisawa's, SDPLIB 1.2): structure read off control1/control2.dat-s:
    # m = n(n+1)/2 + n + 1, blocks (2n, n), variables P = P^T (n x n), D = diag(d) (n), lambda:
    #   max lambda  s.t.  [ -(A^T P + P A) - C^T D C   -P B ]  -  lambda I  psd,    P - I psd,
    #                     [ -B^T P                      D  ]
    # i.e. a Lyapunov / KYP-type LMI of the linear system (A, B, C), here with standard-normal A, B, C
    # (n x n each) times `scale`; SDPLIB's control data has entries of order 10..100 (control1's F_i reach
    # 8.6e3 = c_i^2), which control_scaled (scale 30) imitates. SDPA: min -lambda.
    rng = np.random.default_rng(seed)
    A, B, C = (scale * rng.standard_normal((n, n)) for _ in range(3))
    entries, k = [], 0
    for i in range(n):
        for j in range(i, n):
            k += 1
            E = np.zeros((n, n))
            E[i, j] = E[j, i] = 1.0
            M = np.zeros((2 * n, 2 * n))
            M[:n, :n] = -(A.T @ E + E @ A)
            M[:n, n:] = -E @ B
            M[n:, :n] = M[:n, n:].T
            entries += sym_entries(k, 1, M, 1e-15) + sym_entries(k, 2, E)
    for i in range(n):
        k += 1
        M = np.zeros((2 * n, 2 * n))
        M[:n, :n] = -np.outer(C[i], C[i])
        M[n + i, n + i] = 1.0
        entries += sym_entries(k, 1, M, 1e-15)
    k += 1
    entries += [(k, 1, i + 1, i + 1, -1.0) for i in range(2 * n)]
    entries += [(0, 2, i + 1, i + 1, 1.0) for i in range(n)]
    write_sdpa(path, [0.0] * (k - 1) + [-1.0], [2 * n, n], entries,
               "control-type LMI, n=%d scale %g seed %d" % (n, scale, seed))


def gen_control_scaled(path, n, scale, seed, workdir):
    gen_control(path, n, seed, workdir, scale)


def random_sym(rng, n):
    G = rng.standard_normal((n, n))
    return (G + G.T) / 2.0


def gen_infeasible(path, n, seed, _workdir, m=10):
    # SDPA primal infeasible by construction (Farkas): Y0 = G G^T psd with tr(F_i Y0) = 0 for all i and
    # tr(F0 Y0) = 1 > 0, so sum x_i F_i - F0 psd would give 0 <= tr((sum x_i F_i - F0) Y0) = -1.
    rng = np.random.default_rng(seed)
    G = rng.standard_normal((n, n))
    Y0 = G @ G.T
    Y0 /= np.linalg.norm(Y0)
    Fs = []
    for _ in range(m):
        F = random_sym(rng, n)
        Fs.append(F - np.sum(F * Y0) * Y0)
    F0 = random_sym(rng, n)
    F0 += (1.0 - np.sum(F0 * Y0)) * Y0
    entries = sym_entries(0, 1, F0) + [e for k, F in enumerate(Fs) for e in sym_entries(k + 1, 1, F)]
    write_sdpa(path, list(rng.standard_normal(m)), [n], entries, "primal infeasible by construction, n=%d seed %d" % (n, seed))


def gen_unbounded(path, n, seed, _workdir, m=10):
    # SDPA dual infeasible (primal unbounded) by construction: sum x0_i F_i = S0 psd and c^T x0 = -1,
    # while x1 is strictly feasible (F0 = sum x1_i F_i - I); x1 + t x0 stays feasible, c^T -> -inf.
    rng = np.random.default_rng(seed)
    x0, x1 = rng.standard_normal(m), rng.standard_normal(m)
    Fs = [random_sym(rng, n) for _ in range(m - 1)]
    H = rng.standard_normal((n, n))
    S0 = H @ H.T / n
    Fs.append((S0 - sum(x0[i] * Fs[i] for i in range(m - 1))) / x0[m - 1])
    c = rng.standard_normal(m)
    c -= (c @ x0 + 1.0) / (x0 @ x0) * x0
    F0 = sum(x1[i] * Fs[i] for i in range(m)) - np.eye(n)
    entries = sym_entries(0, 1, F0) + [e for k, F in enumerate(Fs) for e in sym_entries(k + 1, 1, F)]
    write_sdpa(path, list(c), [n], entries, "dual infeasible (unbounded) by construction, n=%d seed %d" % (n, seed))


GENERATORS = {"theta": gen_theta, "maxcut": gen_maxcut, "gpp": gen_gpp, "control": gen_control,
              "control_scaled": gen_control_scaled,
              "infeasible": gen_infeasible, "unbounded": gen_unbounded}

# (family, name, generator args after path, seed last) -- the benchmark set and the ctest set
BENCH = [
    ("theta", "theta-50-0.2", (50, 0.2, 101)), ("theta", "theta-100-0.1", (100, 0.1, 102)),
    ("theta", "theta-100-0.3", (100, 0.3, 103)),
    ("maxcut", "mcp-50", (50, 0.1, 201)), ("maxcut", "mcp-100", (100, 0.05, 202)),
    ("maxcut", "mcp-150", (150, 0.05, 203)), ("maxcut", "mcp-250", (250, 0.02, 204)),
    ("gpp", "gpp-40", (40, 0.2, 301)), ("gpp", "gpp-80", (80, 0.1, 302)), ("gpp", "gpp-124", (124, 0.05, 303)),
    ("control", "control-3", (3, 401)), ("control", "control-5", (5, 402)), ("control", "control-8", (8, 403)),
    ("control", "control-10", (10, 404)),
    ("control_scaled", "control-5-x30", (5, 30.0, 411)), ("control_scaled", "control-10-x30", (10, 30.0, 412)),
    ("infeasible", "infeas-20-a", (20, 501)), ("infeasible", "infeas-30-b", (30, 502)),
    ("unbounded", "unbdd-20-a", (20, 601)), ("unbounded", "unbdd-30-b", (30, 602)),
]
CHECK = [
    ("theta", "theta-30-0.2", (30, 0.2, 11)), ("maxcut", "mcp-30", (30, 0.2, 12)),
    ("gpp", "gpp-20", (20, 0.3, 13)), ("control", "control-2", (2, 14)),
    ("control_scaled", "control-3-x30", (3, 30.0, 17)),
    ("infeasible", "infeas-10", (10, 15)), ("unbounded", "unbdd-10", (10, 16)),
]


# ---------------------------------------------------------------- solving

def parse_float(text, key):
    for line in text.splitlines():
        if line.startswith(key):
            return float(line.split(":")[1].split()[0])
    return None


def timed(cmd, cwd=None):
    """Run cmd; wall seconds and CPU seconds (user + sys of the child): the machine is shared, and CPU
    time is what stays comparable when other jobs steal the cores."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, env=ENV1)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return p, wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def run_csdp(path):
    """CSDP in an empty directory (it reads a param.csdp from cwd). Returns status, objective, seconds.
    CSDP's primal is SDPA's dual, so its return code 1 ('primal infeasible') is our 'unbounded'."""
    with tempfile.TemporaryDirectory() as d:
        p, wall, cpu = timed(["csdp", os.path.abspath(path)], cwd=d)
    status = {0: "optimal", 1: "unbounded", 2: "infeasible", 3: "partial"}.get(p.returncode, "rc%d" % p.returncode)
    iters = [int(line.split()[1]) for line in p.stdout.splitlines() if line.startswith("Iter:")]
    return {"status": status, "objective": parse_float(p.stdout, "Dual objective value"),
            "primal_objective": parse_float(p.stdout, "Primal objective value"), "seconds": wall, "cpu": cpu,
            "iterations": max(iters, default=0)}


def run_ours(binary, path, tol, time_limit, extra=()):
    cmd = [binary, "conic", path, "--tol", str(tol), "--time-limit", str(time_limit), "--max-iters", "100000",
           "--threads", "1"] + list(extra)
    p, _, cpu = timed(cmd)
    if p.returncode != 0:
        return {"status": "exit%d" % p.returncode, "objective": None, "iterations": 0, "seconds": 0.0, "cpu": cpu,
                "message": (p.stderr or p.stdout).strip()[-300:], "command": " ".join(cmd)}
    d = json.loads(p.stdout)
    d.update({"command": " ".join(cmd), "cpu": cpu})
    return d


def rel_err(ours, ref):
    """|ours - CSDP| / |CSDP| for optimal runs; 0 for a matching certificate; None otherwise."""
    if ref["status"] in ("infeasible", "unbounded"):
        return 0.0 if ours["status"] == ref["status"] else None
    if ours.get("objective") is None or ref["objective"] is None:
        return None
    return abs(ours["objective"] - ref["objective"]) / max(abs(ref["objective"]), 1e-12)


def generate(problems, workdir):
    os.makedirs(workdir, exist_ok=True)  # csdp-randgraph crashes (SIGSEGV) on a path it cannot open
    out = []
    for family, name, args in problems:
        path = os.path.join(workdir, name + ".dat-s")
        GENERATORS[family](path, *args, workdir)
        out.append((family, name, args, path))
    return out


def problem_size(path):
    with open(path) as f:
        rows = [r for r in f if not r.startswith(('"', "*"))]
    return int(rows[0].split()[0]), " ".join(rows[2].split())


def tools_missing():
    missing = [t for t in ("csdp", "csdp-randgraph", "csdp-graphtoprob") if shutil.which(t) is None]
    if np is None:
        missing.append("numpy")
    return missing


# ---------------------------------------------------------------- modes

def check(a):
    """ctest: one small problem per family at tol 1e-6; fails if any misses 1e-4 relative to CSDP."""
    failed = 0
    with tempfile.TemporaryDirectory() as d:
        for family, name, _, path in generate(CHECK, d):
            ref = run_csdp(path)
            ours = run_ours(a.binary, path, a.check_tol, a.check_time_limit, a.extra)
            err = rel_err(ours, ref)
            ok = ref["status"] in ("optimal", "infeasible", "unbounded") and err is not None and err <= 1e-4
            failed += not ok
            print("%-10s %-13s CSDP %-10s %-14s ours %-14s it=%-6d rel.err=%s %s" % (
                family, name, ref["status"], ref["objective"], ours["status"], ours["iterations"],
                "-" if err is None else "%.1e" % err, "ok" if ok else "FAIL"), flush=True)
    print("%d of %d problems missed 1e-4 relative to CSDP" % (failed, len(CHECK)))
    return 1 if failed else 0


def csdp_sdplib(a):
    """CSDP on the shared SDPLIB subset, one line each, to compare with ANCHORS.md's CSDP column."""
    import csv
    ref = {r["problem"]: r for r in csv.DictReader(open(os.path.join(a.sdplib, "optimal.csv")))}
    anchors = {}  # problem -> (CSDP s, CSDP it) of ANCHORS.md's table
    for line in open(os.path.join(a.sdplib, "ANCHORS.md")):
        cells = [x.strip() for x in line.strip().strip("|").split("|")]
        if line.startswith("| ") and len(cells) > 4 and cells[0] != "problem":
            anchors[cells[0]] = (cells[3], cells[4])
    lines = ["| problem | CSDP status | it | wall s | CPU s | ANCHORS s | ANCHORS it | objective | optimal.csv csdp_objective |",
             "|---|---|---|---|---|---|---|---|---|"]
    for name in ref:
        r = run_csdp(os.path.join(a.sdplib, name + ".dat-s"))
        an = anchors.get(name, ("–", "–"))
        lines.append("| %s | %s | %d | %.3f | %.3f | %s | %s | %.8g | %s |" % (
            name, r["status"], r["iterations"], r["seconds"], r["cpu"], an[0], an[1],
            r["objective"] if r["objective"] is not None else float("nan"), ref[name]["csdp_objective"] or "–"))
        print(lines[-1], flush=True)
    return lines


def bench(a):
    os.makedirs(a.dir, exist_ok=True)
    sel = a.only.split(",")
    probs = [p for p in BENCH if not a.only or p[0] in sel or p[1] in sel]
    tols = a.tols.split(",")
    results = []
    for family, name, args, path in generate(probs, a.dir):
        m, blocks = problem_size(path)
        row = {"family": family, "problem": name, "args": args, "m": m, "blocks": blocks, "csdp": run_csdp(path)}
        for tol in tols:
            row[tol] = run_ours(a.binary, path, tol, a.time_limit, a.extra)
            row[tol]["rel_err"] = rel_err(row[tol], row["csdp"])
        results.append(row)
        print(name, row["csdp"]["status"], row["csdp"]["objective"], "%.3fs" % row["csdp"]["seconds"],
              " ".join("[%s %s it=%d %.2fs err=%s]" % (t, row[t]["status"], row[t]["iterations"], row[t]["seconds"],
                                                     row[t]["rel_err"]) for t in tols), flush=True)
    json.dump(results, open(os.path.join(a.dir, "results.json"), "w"), indent=1)
    return results, tols


def fmt_err(e):
    return "–" if e is None else ("cert ✓" if e == 0.0 else "%.0e" % e)


def table(results, tols):
    head = "| family | problem (args) | m | blocks | CSDP status | CSDP obj | CSDP it | CSDP s (CPU) |"
    sep = "|---|---|---|---|---|---|---|---|"
    for t in tols:
        head += " %s: status | it | s (CPU) | rel.err |" % t
        sep += "---|---|---|---|"
    lines = [head, sep]
    for r in results:
        c = r["csdp"]
        line = "| %s | %s %s | %d | %s | %s | %s | %d | %.3g (%.3g) |" % (
            r["family"], r["problem"], tuple(r["args"]), r["m"], r["blocks"], c["status"],
            "–" if c["objective"] is None else "%.8g" % c["objective"], c["iterations"], c["seconds"], c["cpu"])
        for t in tols:
            o = r[t]
            line += " %s | %d | %.3g (%.3g) | %s |" % (o["status"], o["iterations"], o["seconds"], o["cpu"],
                                                      fmt_err(o["rel_err"]))
        lines.append(line)
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", default=os.path.join(ROOT, "build", "isacbf"))
    ap.add_argument("--dir", default=os.path.join(ROOT, "build", "sdp_families"))
    ap.add_argument("--sdplib", default=os.path.join(ROOT, "..", "shared", "sdplib"))
    ap.add_argument("--time-limit", default="60")
    ap.add_argument("--tols", default="1e-4,1e-6")
    ap.add_argument("--only", default="", help="comma-separated families or problem names")
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--check-tol", default="1e-6")
    ap.add_argument("--check-time-limit", default="10")
    ap.add_argument("--csdp-sdplib", action="store_true")
    ap.add_argument("--table-from", default="", help="print the table of a saved results.json, solve nothing")
    ap.add_argument("extra", nargs="*", help="more `isacbf conic` flags, after --: e.g. -- --backend gpu")
    a = ap.parse_args()
    if a.table_from:
        results = json.load(open(a.table_from))
        print("\n".join(table(results, [t for t in a.tols.split(",") if t in results[0]])))
        return 0
    missing = tools_missing()
    if missing:
        print("SKIP: missing %s (Debian coinor-csdp, python3-numpy; scripts/install_deps.sh)" % ", ".join(missing))
        return SKIP
    if a.check:
        return check(a)
    if a.csdp_sdplib:
        csdp_sdplib(a)
        return 0
    results, tols = bench(a)
    print("\n".join(table(results, tols)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
