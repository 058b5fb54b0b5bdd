#!/usr/bin/env python3
"""Compares `isacbf solve --jsonl` outputs of two backends instance by instance (stdlib only).

Usage: compare_backends.py DIR  — pairs DIR/NAME_gpu.jsonl with DIR/NAME_cpu.jsonl and prints, per case,
how many statuses agree and the largest relative secrecy-rate difference among instances both solved."""
import glob
import json
import os
import sys


def load(path):
    rows = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                r = json.loads(line)
                rows[r.get("file")] = r
    return rows


def main(directory):
    for gpu_path in sorted(glob.glob(os.path.join(directory, "*_gpu.jsonl"))):
        name = os.path.basename(gpu_path)[: -len("_gpu.jsonl")]
        cpu_path = os.path.join(directory, name + "_cpu.jsonl")
        if not os.path.exists(cpu_path):
            continue
        gpu, cpu = load(gpu_path), load(cpu_path)
        common = sorted(set(gpu) & set(cpu))
        same_status = sum(gpu[f]["status"] == cpu[f]["status"] for f in common)
        worst, worst_file, both = 0.0, None, 0
        iters_g = iters_c = 0
        for f in common:
            g, c = gpu[f], cpu[f]
            if g["status"] == "optimal" and c["status"] == "optimal":
                both += 1
                rel = abs(g["secrecy_rate"] - c["secrecy_rate"]) / max(abs(c["secrecy_rate"]), 1e-9)
                if rel > worst:
                    worst, worst_file = rel, f
                iters_g += g.get("sca_iterations", 0)
                iters_c += c.get("sca_iterations", 0)
        statuses = {}
        for f in common:
            statuses[gpu[f]["status"]] = statuses.get(gpu[f]["status"], 0) + 1
        print(f"{name}: instances {len(common)} (gpu {len(gpu)}, cpu {len(cpu)}), same status {same_status}, "
              f"both optimal {both}, max rel SR diff {worst:.2e} ({worst_file}), "
              f"SCA iterations gpu {iters_g} cpu {iters_c}, gpu statuses {statuses}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
