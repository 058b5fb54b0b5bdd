#!/usr/bin/python3
"""Fig. 4 (model B): transmit beam patterns of the digital and HAD designs on one instance.
Runs `isacbf solve-b --full`, then `isacbf eval --pattern` on the returned design, and plots the
communication, sensing and total patterns with the user, AE and clutter angles marked.

usage: scripts/model_b_patterns.py [--isacbf build/isacbf] [--seed 1] [--out docs/figures/model_b]
"""
import argparse
import json
import os
import subprocess
import tempfile

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def run(cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--isacbf", default="build/isacbf")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default="docs/figures/model_b")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        inst = os.path.join(tmp, "inst.json")
        run([a.isacbf, "generate", "--model", "aerial_eavesdroppers", "--seed", str(a.seed), "-o", inst])
        doc = json.load(open(inst))
        fig, axes = plt.subplots(1, 2, figsize=(9, 3.5), sharey=True)
        for ax, scheme in zip(axes, ["digital", "had"]):
            res = json.loads(run([a.isacbf, "solve-b", inst, "--scheme", scheme, "--full"]))
            design = os.path.join(tmp, f"{scheme}.json")
            json.dump(res["design"], open(design, "w"))
            ev = json.loads(run([a.isacbf, "eval", inst, design, "--pattern", "--pattern-step", "0.25"]))
            bp = ev["beam_pattern"]
            for key in ["communication", "sensing", "total"]:
                ax.plot(bp["theta_deg"], 10 * np.log10(np.maximum(bp[key], 1e-6)), label=key)
            for t in doc["channels"]["theta_ae_deg"]:
                ax.axvline(t, color="r", ls="--", lw=0.8)
            for c in doc["channels"]["clutter"]:
                ax.axvline(c["theta_deg"], color="gray", ls=":", lw=0.8)
            ax.set_title(f"{scheme}: secrecy {res['secrecy_rate']:.2f} bps/Hz")
            ax.set_xlabel("angle (deg)")
            ax.set_ylim(-40, 1)
            ax.grid(alpha=0.3)
        axes[0].set_ylabel("normalised pattern (dB)")
        axes[0].legend(fontsize=8)
        fig.tight_layout()
        fig.savefig(os.path.join(a.out, "fig4_beam_patterns.png"), dpi=120)
        print("wrote", os.path.join(a.out, "fig4_beam_patterns.png"))


if __name__ == "__main__":
    main()
