#!/usr/bin/python3
"""Measured figures for docs/model-b.md: runs `isacbf generate` + `isacbf solve-b` over seeds and
schemes at the default scenario (and a few sweeps), writes one JSON line per run and prints a summary.

usage: scripts/model_b_measure.py [--isacbf build/isacbf] [--seeds 1 2 3 4] [--out results/model_b]
        [--what default|rf|J|P|K|Gs|err|all] [--plot] [--from-jsonl FILES]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile


def run(cmd):
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {res.stderr}")
    return res.stdout


def solve(isacbf, seed, scheme, tmp, gen_opts=(), solve_opts=()):
    inst = os.path.join(tmp, f"inst_{seed}_{'_'.join(gen_opts).replace('-', '')}.json")
    if not os.path.exists(inst):
        run([isacbf, "generate", "--model", "aerial_eavesdroppers", "--seed", str(seed), "-o", inst, *gen_opts])
    out = json.loads(run([isacbf, "solve-b", inst, "--scheme", scheme, *solve_opts]))
    out["seed"] = seed
    out["generate"] = list(gen_opts)
    return out


def summary(rows, key):
    vals = [r[key] for r in rows if r.get(key) is not None]
    return (statistics.mean(vals), min(vals), max(vals)) if vals else (float("nan"),) * 3


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--isacbf", default="build/isacbf")
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4])
    ap.add_argument("--out", default="results/model_b")
    ap.add_argument("--what", default="default")
    ap.add_argument("--plot", action="store_true")
    ap.add_argument("--from-jsonl", nargs="*", default=[], help="only plot these earlier runs_*.jsonl files")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    if a.from_jsonl:
        rows = [json.loads(line) for path in a.from_jsonl for line in open(path)]
        plot(rows, a.out)
        return
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        if a.what in ("default", "all"):
            for scheme in ["digital", "had", "decomposed_had", "comm_only", "comm_only_carrier", "comm_only_strict",
                           "an_upper_bound"]:
                for s in a.seeds:
                    r = solve(a.isacbf, s, scheme, tmp)
                    r["sweep"] = "default"
                    rows.append(r)
                    print(scheme, s, r["status"], round(r["secrecy_rate"], 3), round(r["sum_rate"], 3),
                          r["iterations"], r["sensing_beams"], round(r["solve_seconds"], 2), file=sys.stderr)
        if a.what in ("rf", "all"):
            for n_rf in [4, 6, 8, 10, 12, 16]:
                for scheme in ["had", "decomposed_had"]:
                    for s in a.seeds:
                        r = solve(a.isacbf, s, scheme, tmp, solve_opts=("--n-rf", str(n_rf)))
                        r["sweep"] = "rf"
                        rows.append(r)
                        print("rf", n_rf, scheme, s, r["status"], round(r["secrecy_rate"], 3), file=sys.stderr)
        if a.what in ("J", "all"):
            for J in range(1, 8):
                for s in a.seeds:
                    r = solve(a.isacbf, s, "digital", tmp, gen_opts=("--J", str(J)))
                    r["sweep"] = "J"
                    r["J"] = J
                    rows.append(r)
                    print("J", J, s, r["status"], round(r["secrecy_rate"], 3), r["sensing_beams"],
                          r["sensing_beam_bounds"], file=sys.stderr)
        if a.what in ("P", "all"):
            for P in [20, 25, 30, 35, 40]:
                for scheme in ["digital", "had", "decomposed_had", "comm_only_carrier", "an_upper_bound"]:
                    for s in a.seeds:
                        r = solve(a.isacbf, s, scheme, tmp, gen_opts=("--P_dBm", str(P)))
                        r["sweep"] = "P"
                        r["P_dBm"] = P
                        rows.append(r)
                        print("P", P, scheme, s, r["status"], round(r["secrecy_rate"], 3), round(r["sum_rate"], 3),
                              file=sys.stderr)
        if a.what in ("K", "all"):
            for K in [1, 2, 3, 4, 5, 6]:
                for s in a.seeds:
                    r = solve(a.isacbf, s, "digital", tmp, gen_opts=("--K", str(K)))
                    r["sweep"] = "K"
                    r["K"] = K
                    rows.append(r)
                    print("K", K, s, r["status"], round(r["secrecy_rate"], 3), file=sys.stderr)
        if a.what in ("Gs", "all"):
            for gs in [0, 5, 10, 15, 20]:
                for s in a.seeds:
                    r = solve(a.isacbf, s, "digital", tmp, gen_opts=("--Gamma_s_dB", str(gs)))
                    r["sweep"] = "Gs"
                    r["Gamma_s_dB"] = gs
                    rows.append(r)
                    print("Gs", gs, s, r["status"], round(r["secrecy_rate"], 3), file=sys.stderr)
        if a.what in ("err", "all"):
            for err in [0, 0.1, 0.3, 0.5, 1.0, 2.0]:
                for s in a.seeds:
                    r = solve(a.isacbf, s, "digital", tmp, gen_opts=("--angle_error_deg", str(err)))
                    r["sweep"] = "err"
                    r["angle_error_deg"] = err
                    rows.append(r)
                    print("err", err, s, r["status"], round(r["secrecy_rate"], 3), [round(x, 2) for x in r["scnr_dB"]],
                          [round(x, 2) for x in r["max_eve_sinr_dB"]], file=sys.stderr)
    path = os.path.join(a.out, f"runs_{a.what}.jsonl")
    with open(path, "w") as f:
        for r in rows:
            r.pop("design", None)
            f.write(json.dumps(r) + "\n")
    print("wrote", path)
    groups = {}
    for r in rows:
        x = {"rf": r.get("N_RF"), "P": r.get("P_dBm"), "K": r.get("K"), "Gs": r.get("Gamma_s_dB"),
             "err": r.get("angle_error_deg")}.get(r["sweep"])
        key = (r["sweep"], r["scheme"], x, r.get("J"))
        groups.setdefault(key, []).append(r)
    print("sweep | scheme | N_RF | J | statuses | secrecy mean (min-max) | sum rate mean | iterations | beams")
    for key, rs in groups.items():
        sec = summary(rs, "secrecy_rate")
        sr = summary(rs, "sum_rate")
        it = summary(rs, "iterations")
        beams = [r["sensing_beams"] for r in rs]
        statuses = ",".join(sorted({r["status"] for r in rs}))
        print(f"{key[0]} | {key[1]} | {key[2]} | {key[3]} | {statuses} | {sec[0]:.2f} ({sec[1]:.2f}-{sec[2]:.2f}) | "
              f"{sr[0]:.2f} | {it[0]:.1f} | {beams}")
    if a.plot:
        plot(rows, a.out)


def plot(rows, out):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    rf = [r for r in rows if r["sweep"] == "rf"]
    if rf:
        fig, ax = plt.subplots(figsize=(5, 3.5))
        for scheme in ["had", "decomposed_had"]:
            xs = sorted({r["N_RF"] for r in rf if r["scheme"] == scheme})
            # Mean over the seeds with a feasible design (the count is annotated when some are not).
            ys, notes = [], []
            for x in xs:
                ok = [r["secrecy_rate"] for r in rf if r["scheme"] == scheme and r["N_RF"] == x and r["status"] != "infeasible"]
                ys.append(statistics.mean(ok) if ok else float("nan"))
                notes.append(len(ok))
            ax.plot(xs, ys, marker="o", label=scheme)
            for x, y, n in zip(xs, ys, notes):
                if n < len(set(r["seed"] for r in rf)):
                    ax.annotate(f"{n} feasible", (x, y), fontsize=7)
        dig = [r["secrecy_rate"] for r in rows if r["sweep"] == "default" and r["scheme"] == "digital"]
        if dig:
            ax.axhline(statistics.mean(dig), color="k", ls="--", label="digital")
        ax.set_xlabel("N_RF")
        ax.set_ylabel("secrecy rate (bps/Hz)")
        ax.legend()
        ax.grid(alpha=0.3)
        fig.tight_layout()
        fig.savefig(os.path.join(out, "fig6_secrecy_vs_nrf.png"), dpi=120)
    for sweep, key, schemes, name in [("P", "P_dBm", ["digital", "had", "decomposed_had", "comm_only_carrier", "an_upper_bound"],
                                       "fig8_secrecy_vs_P.png"),
                                      ("K", "K", ["digital"], "fig9_secrecy_vs_K.png"),
                                      ("J", "J", ["digital"], "fig7_secrecy_vs_J.png"),
                                      ("err", "angle_error_deg", ["digital"], "fig11_secrecy_vs_angle_error.png"),
                                      ("Gs", "Gamma_s_dB", ["digital"], "fig12_secrecy_vs_Gamma_s.png")]:
        sel = [r for r in rows if r["sweep"] == sweep and r["status"] != "infeasible"]
        if not sel:
            continue
        fig, ax = plt.subplots(figsize=(5, 3.5))
        for scheme in schemes:
            xs = sorted({r[key] for r in sel if r["scheme"] == scheme})
            ax.plot(xs, [statistics.mean([r["secrecy_rate"] for r in sel if r["scheme"] == scheme and r[key] == x]) for x in xs],
                    marker="o", label=scheme)
        ax.set_xlabel({"P": "P (dBm)", "K": "K", "J": "J (feasible seeds)", "err": "AE angle error std (deg)",
                       "Gs": "Gamma_s (dB)"}[sweep])
        ax.set_ylabel("secrecy rate (bps/Hz)")
        ax.legend(fontsize=8)
        ax.grid(alpha=0.3)
        fig.tight_layout()
        fig.savefig(os.path.join(out, name), dpi=120)
    conv = [r for r in rows if r["sweep"] == "default" and r["scheme"] in ("digital", "had")]
    if conv:  # Fig. 3: sum rate along the iterations (digital: index 0 is the initial point)
        fig, ax = plt.subplots(figsize=(5, 3.5))
        for r in conv:
            style = "-" if r["scheme"] == "digital" else "--"
            ax.plot(range(len(r["objective_trace"])), r["objective_trace"], style, marker=".",
                    label=f'{r["scheme"]} seed {r["seed"]}')
        ax.set_xlabel("iteration")
        ax.set_ylabel("sum rate (bps/Hz, design CSI)")
        ax.legend(fontsize=7, ncol=2)
        ax.grid(alpha=0.3)
        fig.tight_layout()
        fig.savefig(os.path.join(out, "fig3_convergence.png"), dpi=120)
    js = [r for r in rows if r["sweep"] == "J"]
    if js:
        fig, ax = plt.subplots(figsize=(5, 3.5))
        xs = sorted({r["J"] for r in js})
        feasible = [r for r in js if r["status"] != "infeasible"]
        ax.plot(xs, [max([r["sensing_beams"] for r in feasible if r["J"] == x] or [float("nan")]) for x in xs], "o-",
                label="measured (max over feasible seeds)")
        ax.plot(xs, [js[[r["J"] for r in js].index(x)]["sensing_beam_bounds"]["worst_case"] for x in xs], "s--",
                label="bound floor(sqrt(2J+1))")
        ax.set_xlabel("J")
        ax.set_ylabel("sensing beams")
        ax.legend()
        ax.grid(alpha=0.3)
        fig.tight_layout()
        fig.savefig(os.path.join(out, "fig5_beams_vs_J.png"), dpi=120)


if __name__ == "__main__":
    main()
