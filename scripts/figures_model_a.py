#!/usr/bin/python3
"""Figures 2-9 of seed 000 (model A) from `isacbf sweep` / `isacbf solve --full` outputs.

  /usr/bin/python3 scripts/figures_model_a.py SWEEPS_DIR [--patterns PATTERN_DIR] [-o docs/figures]

SWEEPS_DIR holds one sweep output directory per config of scripts/configs/ (fig2_convergence,
fig3_scnr, fig4_feasibility, fig5_power, fig6_gamma_s, fig7_users), each with results.csv and
summary.csv; PATTERN_DIR holds pattern_Nt{8,12}_theta{0,10}.json from `isacbf solve --full`.
Every figure uses the paper preset snr_offset_dB = 30 and says so, with its number of realisations.
"""
import argparse
import csv
import json
import math
import os
from collections import defaultdict

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

PRESET = "snr_offset_dB = 30 (paper preset)"


def rows(path):
    with open(path) as f:
        return list(csv.DictReader(f))


def floats(cell):
    return [float(x) for x in cell.split(";") if x != ""] if cell else []


def mean(v):
    return float(np.mean(v)) if len(v) else float("nan")


def realisations(rs):
    return len({r["realisation"] for r in rs})


def save(fig, out, name):
    path = os.path.join(out, name)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    print("wrote", path)


def fig2(d, out):
    rs = rows(os.path.join(d, "results.csv"))
    fig, axes = plt.subplots(1, 2, figsize=(10, 4), sharey=True)
    for ax, rule in zip(axes, ["paper", "tight"]):
        for P in sorted({float(r["P_dBm"]) for r in rs}):
            traces = [floats(r["secrecy_rate_trace"]) for r in rs
                      if r["sca_update"] == rule and float(r["P_dBm"]) == P and r["secrecy_rate_trace"]]
            if not traces:
                continue
            n = max(len(t) for t in traces)
            padded = np.array([t + [t[-1]] * (n - len(t)) for t in traces])
            ax.plot(range(n), padded.mean(axis=0), marker="o", ms=3, label=f"P = {P:g} dBm")
        ax.set_title(f"SCA update '{rule}'")
        ax.set_xlabel("SCA iteration (0 = feasible start)")
        ax.grid(alpha=0.3)
        ax.legend()
    axes[0].set_ylabel("secrecy rate (bps/Hz)")
    fig.suptitle(f"Fig. 2 convergence, Nt = 8, γs = 24 dB, γse = 5 dB; mean of {realisations(rs)} realisations; {PRESET}",
                 fontsize=9)
    save(fig, out, "fig2_convergence.png")


def fig3(d, out):
    rs = rows(os.path.join(d, "results.csv"))
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for ax, gse in zip(axes, [2.0, 5.0]):
        for scheme, style in [("proposed", "-"), ("no_sensing_security", "--")]:
            sel = [r for r in rs if float(r["gamma_se_dB"]) == gse and r["scheme"] == scheme and r["scnr_u_dB"]]
            gs = sorted({float(r["gamma_s_dB"]) for r in sel})
            K = len(floats(sel[0]["scnr_u_dB"])) if sel else 0
            for k in range(K):
                ys = [mean([floats(r["scnr_u_dB"])[k] for r in sel if float(r["gamma_s_dB"]) == g]) for g in gs]
                ax.plot(gs, ys, style, marker="o", ms=3,
                        label=f"SCNR{k + 1} {'proposed' if scheme == 'proposed' else 'without (27)'}")
        ax.axhline(gse, color="k", lw=0.8, ls=":", label="γse")
        ax.set_title(f"γse = {gse:g} dB")
        ax.set_xlabel("γs (dB)")
        ax.set_ylabel("SCNR at CU k (dB)")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7)
    fig.suptitle(f"Fig. 3 sensing SCNR at the sensing eavesdroppers, Nt = 8, P = 18 dBm; mean of {realisations(rs)} realisations; {PRESET}",
                 fontsize=9)
    save(fig, out, "fig3_scnr_vs_gamma_s.png")


def fig4(d, out):
    s = rows(os.path.join(d, "summary.csv"))
    fig, ax = plt.subplots(figsize=(6, 4))
    n = int(float(s[0]["n"])) if s else 0
    for gse in sorted({float(r["gamma_se_dB"]) for r in s}):
        sel = sorted([r for r in s if float(r["gamma_se_dB"]) == gse], key=lambda r: float(r["gamma_s_dB"]))
        ax.plot([float(r["gamma_s_dB"]) for r in sel], [float(r["feasible_fraction"]) for r in sel], marker="o",
                label=f"γse = {gse:g} dB")
    for lim in (29.2, 32.2):
        ax.axvline(lim, color="gray", ls=":", lw=0.8)
    ax.set_xlabel("γs (dB)")
    ax.set_ylabel("feasibility probability")
    ax.grid(alpha=0.3)
    ax.legend()
    ax.set_title(f"Fig. 4, Nt = 8, P = 18 dBm; {n} realisations per point; {PRESET}\n(dotted: paper's limits 29.2 / 32.2 dB)",
                 fontsize=8)
    save(fig, out, "fig4_feasibility.png")


def grouped_mean(rs, key_fn, val_fn):
    acc = defaultdict(list)
    for r in rs:
        v = val_fn(r)
        if v is not None:
            acc[key_fn(r)].append(v)
    return {k: mean(v) for k, v in acc.items()}


def sr(r):
    return float(r["secrecy_rate"]) if r["secrecy_rate"] else None


def fig5(d, out):
    rs = rows(os.path.join(d, "results.csv"))
    m = grouped_mean(rs, lambda r: (int(r["Nt"]), r["scheme"], float(r["P_dBm"])), sr)
    fig, ax = plt.subplots(figsize=(6, 4))
    for Nt in sorted({k[0] for k in m}):
        for scheme, style in [("proposed", "-"), ("s_random", "--")]:
            ps = sorted({k[2] for k in m if k[0] == Nt and k[1] == scheme})
            ax.plot(ps, [m[(Nt, scheme, p)] for p in ps], style, marker="o", ms=3,
                    label=f"Nt = {Nt}, {'proposed' if scheme == 'proposed' else 'S Random'}")
    ax.set_xlabel("P (dBm)")
    ax.set_ylabel("secrecy rate (bps/Hz)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7)
    ax.set_title(f"Fig. 5, γs = 32 dB, γse = 5 dB; mean of {realisations(rs)} realisations (S Random: over its feasible ones)\n{PRESET}", fontsize=8)
    save(fig, out, "fig5_sr_vs_power.png")


def fig6(d, out):
    rs = rows(os.path.join(d, "results.csv"))
    m = grouped_mean(rs, lambda r: (int(r["Nt"]), float(r["gamma_s_dB"])), sr)
    fig, ax = plt.subplots(figsize=(6, 4))
    for Nt in sorted({k[0] for k in m}):
        gs = sorted({k[1] for k in m if k[0] == Nt})
        ax.plot(gs, [m[(Nt, g)] for g in gs], marker="o", ms=3, label=f"Nt = {Nt}")
    ax.set_xlabel("γs (dB)")
    ax.set_ylabel("secrecy rate (bps/Hz)")
    ax.grid(alpha=0.3)
    ax.legend()
    ax.set_title(f"Fig. 6, P = 18 dBm, γse = 5 dB; mean of {realisations(rs)} realisations; {PRESET}", fontsize=8)
    save(fig, out, "fig6_sr_vs_gamma_s.png")


def fig7(d, out):
    rs = rows(os.path.join(d, "results.csv"))
    m = grouped_mean(rs, lambda r: (float(r["P_dBm"]), int(r["Nt"]), int(r["K"])),
                     lambda r: sr(r) / int(r["K"]) if sr(r) is not None else None)
    fig, ax = plt.subplots(figsize=(6, 4))
    for P, Nt in sorted({(k[0], k[1]) for k in m}):
        ks = sorted({k[2] for k in m if k[0] == P and k[1] == Nt})
        ax.plot(ks, [m[(P, Nt, k)] for k in ks], marker="o", ms=3, label=f"P = {P:g} dBm, Nt = {Nt}")
    ax.set_xlabel("K (users)")
    ax.set_ylabel("average secrecy rate per user (bps/Hz)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7)
    ax.set_title(f"Fig. 7, γs = 32 dB, γse = 5 dB; mean of {realisations(rs)} realisations; {PRESET}", fontsize=8)
    save(fig, out, "fig7_sr_per_user_vs_K.png")


def steering(Nt, theta_deg):
    return np.exp(1j * math.pi * np.arange(Nt) * math.sin(math.radians(theta_deg)))


def cmat(j):
    return np.array(j["re"]) + 1j * np.array(j["im"])


def fig89(pdir, out):
    theta = np.linspace(-90, 90, 721)
    for fig_no, th in [(8, 0), (9, 10)]:
        fig, axes = plt.subplots(1, 2, figsize=(10, 4))
        for ax, Nt in zip(axes, [8, 12]):
            path = os.path.join(pdir, f"pattern_Nt{Nt}_theta{th}.json")
            if not os.path.exists(path):
                continue
            with open(path) as f:
                r = json.load(f)
            Qsum = sum(cmat(Q) for Q in r["Q"])
            S = cmat(r["S"])
            pc = np.array([np.real(steering(Nt, t).conj() @ Qsum @ steering(Nt, t)) for t in theta])
            ps = np.array([np.real(steering(Nt, t).conj() @ S @ steering(Nt, t)) for t in theta])
            ax.plot(theta, 10 * np.log10(np.maximum(pc / pc.max(), 1e-6)), label="communication Σ Q_k")
            ax.plot(theta, 10 * np.log10(np.maximum(ps / ps.max(), 1e-6)), label="sensing S")
            ax.axvline(th, color="k", ls=":", lw=0.8)
            ax.set_ylim(-60, 2)
            ax.set_title(f"Nt = {Nt}, θt = {th}°  (SR {r.get('secrecy_rate', float('nan')):.2f} bps/Hz)")
            ax.set_xlabel("θ (deg)")
            ax.set_ylabel("normalised beam pattern gain (dB)")
            ax.grid(alpha=0.3)
            ax.legend(fontsize=8)
        fig.suptitle(f"Fig. {fig_no}: P = 18 dBm, γs = 24 dB, γse = 5 dB, one realisation; {PRESET}", fontsize=9)
        save(fig, out, f"fig{fig_no}_beam_pattern_theta{th}.png")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("sweeps")
    ap.add_argument("--patterns")
    ap.add_argument("-o", "--output", default="docs/figures")
    a = ap.parse_args()
    os.makedirs(a.output, exist_ok=True)
    for name, fn in [("fig2_convergence", fig2), ("fig3_scnr", fig3), ("fig4_feasibility", fig4),
                     ("fig5_power", fig5), ("fig6_gamma_s", fig6), ("fig7_users", fig7)]:
        d = os.path.join(a.sweeps, name)
        if os.path.exists(os.path.join(d, "results.csv")):
            fn(d, a.output)
        else:
            print("skipped", name, "(no results)")
    if a.patterns:
        fig89(a.patterns, a.output)


if __name__ == "__main__":
    main()
