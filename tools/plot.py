#!/usr/bin/python3
"""Plots for tessera: run by `tessera plot` (which checks the arguments first).

heatmap DIR X Y METRIC OUT [WHERE...]   a metric over two parameters of a results store
pareto DIR X Y OUT [COLOR] [WHERE...]   the Pareto front of two metrics (both minimised), dominated points grey
breakdown REPORT OUT                    per-layer energy and latency of one report, stacked by component

WHERE filters rows as column=value. Exit 2 with a message on bad input.
"""
import json
import math
import sqlite3
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def fail(msg):
    print("tessera plot: error: " + msg, file=sys.stderr)
    sys.exit(2)


def load_rows(dir_, where):
    db = sqlite3.connect("file:" + dir_ + "/results.sqlite?mode=ro", uri=True)
    db.row_factory = sqlite3.Row
    cols = [r[1] for r in db.execute("PRAGMA table_info(results)")]
    rows = [dict(r) for r in db.execute("SELECT * FROM results WHERE status = 'done' ORDER BY point")]
    for w in where:
        key, _, val = w.partition("=")
        if key not in cols:
            fail(f"--where {w}: no column '{key}'; columns: {', '.join(cols)}")
        rows = [r for r in rows if str(r[key]) == val or (isinstance(r[key], (int, float)) and _num(val) == r[key])]
    return cols, rows


def _num(s):
    try:
        return float(s)
    except ValueError:
        return None


def need(cols, name, what):
    if name not in cols:
        fail(f"{what} '{name}' is not a column of the store; columns: {', '.join(cols)}")


def heatmap(dir_, x, y, metric, out, where):
    cols, rows = load_rows(dir_, where)
    for n, w in ((x, "--x"), (y, "--y"), (metric, "--metric")):
        need(cols, n, w)
    if not rows:
        fail("no finished points to plot")
    xs = sorted({r[x] for r in rows}, key=_sort_key)
    ys = sorted({r[y] for r in rows}, key=_sort_key)
    grid = [[math.nan] * len(xs) for _ in ys]
    for r in rows:
        if r[metric] is None:
            continue
        i, j = ys.index(r[y]), xs.index(r[x])
        if not math.isnan(grid[i][j]):
            fail(f"several points share {x}={r[x]}, {y}={r[y]}: filter them with --where")
        grid[i][j] = float(r[metric])
    fig, ax = plt.subplots(figsize=(1.2 * len(xs) + 3, 0.8 * len(ys) + 2.5))
    im = ax.imshow(grid, origin="lower", cmap="viridis", aspect="auto")
    ax.set_xticks(range(len(xs)), [str(v) for v in xs])
    ax.set_yticks(range(len(ys)), [str(v) for v in ys])
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    for i in range(len(ys)):
        for j in range(len(xs)):
            if not math.isnan(grid[i][j]):
                ax.text(j, i, f"{grid[i][j]:.3g}", ha="center", va="center", color="white", fontsize=8)
    fig.colorbar(im, ax=ax, label=metric)
    ax.set_title(f"{metric} over {x} x {y}")
    fig.tight_layout()
    fig.savefig(out)


def _sort_key(v):
    return (0, v, "") if isinstance(v, (int, float)) else (1, 0, str(v))


def pareto_mask(points):
    """True for points no other point dominates (both objectives minimised)."""
    mask = []
    for i, (a, b) in enumerate(points):
        dominated = any(
            (c <= a and d <= b and (c < a or d < b)) for k, (c, d) in enumerate(points) if k != i
        )
        mask.append(not dominated)
    return mask


def pareto(dir_, x, y, out, color, where):
    cols, rows = load_rows(dir_, where)
    need(cols, x, "--x")
    need(cols, y, "--y")
    if color:
        need(cols, color, "--color")
    rows = [r for r in rows if r[x] is not None and r[y] is not None]
    if not rows:
        fail("no finished points to plot")
    pts = [(float(r[x]), float(r[y])) for r in rows]
    mask = pareto_mask(pts)
    fig, ax = plt.subplots(figsize=(6, 4.5))
    dom = [p for p, m in zip(pts, mask) if not m]
    if dom:
        ax.scatter([p[0] for p in dom], [p[1] for p in dom], c="lightgrey", s=18, label="dominated")
    front = sorted(((p, r) for p, m, r in zip(pts, mask, rows) if m), key=lambda t: t[0])
    fx, fy = [p[0] for p, _ in front], [p[1] for p, _ in front]
    if color:
        sc = ax.scatter(fx, fy, c=[_num(str(r[color])) or 0 for _, r in front], cmap="viridis", s=36, zorder=3,
                        label="Pareto front")
        fig.colorbar(sc, ax=ax, label=color)
    else:
        ax.scatter(fx, fy, c="tab:blue", s=36, zorder=3, label="Pareto front")
    ax.step(fx, fy, where="post", c="tab:blue", lw=1)
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    ax.set_xscale("log" if max(fx + [p[0] for p in dom]) / max(min(fx), 1e-300) > 100 else "linear")
    ax.legend()
    ax.set_title(f"Pareto front: {len(front)} of {len(pts)} points")
    fig.tight_layout()
    fig.savefig(out)


def breakdown(report, out):
    try:
        with open(report) as f:
            rep = json.load(f)
    except (OSError, ValueError) as e:
        fail(f"{report}: {e}")
    layers = rep.get("layers")
    if not isinstance(layers, list) or not layers:
        fail(f"{report}: not a tessera estimate/simulate report (no layers)")
    names = [l["name"] for l in layers]
    comps = sorted({k for l in layers for k in l.get("energy_by_component_pj", {})})
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(max(6, 0.35 * len(names) + 2), 7), sharex=True)
    bottom = [0.0] * len(names)
    for c in comps:
        vals = [l.get("energy_by_component_pj", {}).get(c, 0.0) * 1e-6 for l in layers]
        ax1.bar(range(len(names)), vals, bottom=bottom, label=c)
        bottom = [b + v for b, v in zip(bottom, vals)]
    ax1.set_ylabel("energy (uJ)")
    ax1.legend(fontsize=7, ncol=2)
    lat = [l.get("layer_latency_cycles", l.get("end_cycle", 0) - l.get("start_cycle", 0)) for l in layers]
    busy = [l.get("busy_cycles") for l in layers]
    stalls = [l.get("stall_cycles") for l in layers]
    if all(isinstance(s, dict) for s in stalls) and all(isinstance(b, (int, float)) for b in busy):
        ax2.bar(range(len(names)), busy, label="busy")
        bottom = list(busy)
        for cause in sorted({k for s in stalls for k in s}):
            vals = [s.get(cause, 0) for s in stalls]
            ax2.bar(range(len(names)), vals, bottom=bottom, label="stall: " + cause)
            bottom = [b + v for b, v in zip(bottom, vals)]
        ax2.legend(fontsize=7, ncol=2)
    else:
        ax2.bar(range(len(names)), lat, label="latency")
    ax2.set_ylabel("cycles")
    ax2.set_xticks(range(len(names)), names, rotation=90, fontsize=7)
    ax1.set_title(f"{rep.get('network', '')} on {rep.get('arch', {}).get('name', '')}: per layer")
    fig.tight_layout()
    fig.savefig(out)


def main(argv):
    if len(argv) < 2:
        fail(__doc__)
    kind, args = argv[1], argv[2:]
    if kind == "heatmap" and len(args) >= 5:
        heatmap(args[0], args[1], args[2], args[3], args[4], args[5:])
    elif kind == "pareto" and len(args) >= 5:
        pareto(args[0], args[1], args[2], args[3], args[4] or None, args[5:])
    elif kind == "breakdown" and len(args) == 2:
        breakdown(args[0], args[1])
    else:
        fail("bad arguments: " + " ".join(argv[1:]))


if __name__ == "__main__":
    main(sys.argv)
