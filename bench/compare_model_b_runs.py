#!/usr/bin/python3
"""Compares two runs of the same model-B instances (a GPU run and a CPU run), instance by instance.

usage: compare_model_b_runs.py GPU_RESULTS CPU_RESULTS
Each file holds the results of `isacbf solve --jsonl` (one JSON object per line) or of `isacbf solve-b`
with several files (one JSON array), in the same instance order. Prints statuses, mean rates, the
relative sum-rate differences and the backend fields; exits 1 when the files hold different counts.
"""
import json
import sys


def load(path):
    text = open(path).read().strip()
    if text.startswith("["):
        return json.loads(text)
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def mean(xs):
    return sum(xs) / len(xs) if xs else float("nan")


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    g, c = load(argv[1]), load(argv[2])
    if len(g) != len(c) or not g:
        print(f"different or no results: {len(g)} vs {len(c)}", file=sys.stderr)
        return 1
    same_status = sum(a["status"] == b["status"] for a, b in zip(g, c))
    rated = [(a, b) for a, b in zip(g, c) if "sum_rate" in a and "sum_rate" in b]
    diffs = sorted(abs(a["sum_rate"] - b["sum_rate"]) / max(abs(b["sum_rate"]), 1e-12) for a, b in rated)
    print(f"instances {len(g)}; statuses equal {same_status}; GPU statuses {sorted({a['status'] for a in g})}; "
          f"CPU statuses {sorted({b['status'] for b in c})}")
    print(f"sum rate mean GPU {mean([a['sum_rate'] for a, _ in rated]):.4f} CPU {mean([b['sum_rate'] for _, b in rated]):.4f}; "
          f"secrecy mean GPU {mean([a['secrecy_rate'] for a, _ in rated]):.4f} CPU {mean([b['secrecy_rate'] for _, b in rated]):.4f}")
    if diffs:
        print(f"|sum rate difference| / sum rate: max {diffs[-1]:.2e}, median {diffs[len(diffs) // 2]:.2e}; "
              f"iterations mean GPU {mean([a['iterations'] for a in g]):.2f} CPU {mean([b['iterations'] for b in c]):.2f}; "
              f"backend fields {g[0]['backend']} / {c[0]['backend']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
