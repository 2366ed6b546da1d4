#!/usr/bin/python3
"""Plots of a `tessera search` directory (docs/search.md):

  pareto.png       the first two objectives, every feasible candidate, the
                   Pareto front joined, and the baseline marked (--baseline)
  hypervolume.png  hypervolume after each generation against evaluations
  accuracy_edap.png  an accuracy metric against EDAP, coloured by the mean
                   crossbar size of the candidate's layers (tile classes named
                   with their size, as pcm64/pcm128/pcm256 in pcm-nax.toml)

usage: tools/plot_search.py DIR [--baseline ID] [--accuracy METRIC] [-o OUTDIR]
"""
import argparse
import csv
import re
import tomllib

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

MAXIMISED = {"accuracy", "ideal_accuracy", "drift_accuracy", "avm"}


def read_rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def num(row, key):
    v = row.get(key, "")
    return float(v) if v not in ("", None) else None


def crossbar_size(overrides):
    """Mean crossbar size over the layers' tile classes (digits in the class name)."""
    sizes = [int(m) for m in re.findall(r"mapping\.layers\.[^=]+=[A-Za-z_]*?(\d+)", overrides)]
    return sum(sizes) / len(sizes) if sizes else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--baseline", type=int, help="id of the baseline candidate to mark")
    ap.add_argument("--accuracy", default="drift_accuracy", help="accuracy metric of accuracy_edap.png")
    ap.add_argument("-o", "--output", help="directory of the plots (default: DIR)")
    a = ap.parse_args()
    out = a.output or a.dir
    with open(f"{a.dir}/space.toml", "rb") as f:
        space = tomllib.load(f)
    objectives = [o["metric"] for o in space["objective"]]
    rows = read_rows(f"{a.dir}/leaderboard.csv")
    feasible = [r for r in rows if r["status"] == "ok" and float(r["violation"]) == 0]

    if len(objectives) >= 2:
        x, y = objectives[1], objectives[0]
        fig, ax = plt.subplots(figsize=(6, 4.5))
        pts = [(num(r, x), num(r, y)) for r in feasible if num(r, x) is not None and num(r, y) is not None]
        ax.scatter([p[0] for p in pts], [p[1] for p in pts], s=14, c="0.6", label="feasible candidates")
        front = sorted((num(r, x), num(r, y)) for r in feasible if r["pareto"] == "1")
        ax.plot([p[0] for p in front], [p[1] for p in front], "o-", c="C0", label="Pareto front")
        if a.baseline is not None:
            for r in rows:
                if int(r["id"]) == a.baseline and num(r, x) is not None:
                    ax.scatter([num(r, x)], [num(r, y)], marker="*", s=160, c="C3", label=f"baseline #{a.baseline}")
        ax.set_xlabel(x + (" (higher is better)" if x in MAXIMISED else " (lower is better)"))
        ax.set_ylabel(y + (" (higher is better)" if y in MAXIMISED else " (lower is better)"))
        if x == "edap":
            ax.set_xscale("log")
        ax.legend()
        fig.tight_layout()
        fig.savefig(f"{out}/pareto.png", dpi=120)

    prog = read_rows(f"{a.dir}/progress.csv")
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot([int(r["evaluated"]) for r in prog], [float(r["hypervolume"]) for r in prog], "o-")
    ax.set_xlabel("candidates evaluated")
    ax.set_ylabel("hypervolume")
    fig.tight_layout()
    fig.savefig(f"{out}/hypervolume.png", dpi=120)

    pts = [(num(r, "edap"), num(r, a.accuracy), crossbar_size(r["overrides"])) for r in feasible]
    pts = [p for p in pts if p[0] is not None and p[1] is not None]
    if pts:
        fig, ax = plt.subplots(figsize=(6, 4.5))
        coloured = [p for p in pts if p[2] is not None]
        if coloured:
            sc = ax.scatter([p[0] for p in coloured], [p[1] for p in coloured], c=[p[2] for p in coloured], cmap="viridis", s=20)
            fig.colorbar(sc, label="mean crossbar size (rows) over layers")
        plain = [p for p in pts if p[2] is None]
        ax.scatter([p[0] for p in plain], [p[1] for p in plain], c="0.6", s=20)
        ax.set_xscale("log")
        ax.set_xlabel("EDAP (J s mm^2)")
        ax.set_ylabel(a.accuracy)
        fig.tight_layout()
        fig.savefig(f"{out}/accuracy_edap.png", dpi=120)
    print(f"plots written to {out}")


if __name__ == "__main__":
    main()
