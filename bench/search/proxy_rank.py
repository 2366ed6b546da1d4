#!/usr/bin/python3
"""Rank agreement of the search's accuracy proxy with its full training.

Reads DIR/leaderboard.csv of a search that ran the proxy (proxy_epochs >= 1)
and trained every candidate to the full budget, and prints Kendall's tau-b
between `proxy_accuracy` and `accuracy` (and, when measured, the chip's
`drift_accuracy`) over the candidates that have both, with Spearman's rho.

    /usr/bin/python3 bench/search/proxy_rank.py out/proxy-tau
"""
import csv
import math
import sys


def kendall_tau_b(x, y):
    """Kendall's tau-b (ties in either ranking corrected), O(n^2)."""
    concordant = discordant = ties_x = ties_y = 0
    n = len(x)
    for i in range(n):
        for j in range(i + 1, n):
            dx, dy = x[i] - x[j], y[i] - y[j]
            if dx == 0 and dy == 0:
                continue
            if dx == 0:
                ties_x += 1
            elif dy == 0:
                ties_y += 1
            elif (dx > 0) == (dy > 0):
                concordant += 1
            else:
                discordant += 1
    denom = math.sqrt((concordant + discordant + ties_x) * (concordant + discordant + ties_y))
    return (concordant - discordant) / denom if denom else float("nan")


def ranks(v):
    """Average ranks (ties share the mean rank)."""
    order = sorted(range(len(v)), key=lambda i: v[i])
    r = [0.0] * len(v)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and v[order[j + 1]] == v[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return r


def spearman(x, y):
    rx, ry = ranks(x), ranks(y)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    sxy = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    sxx = sum((a - mx) ** 2 for a in rx)
    syy = sum((b - my) ** 2 for b in ry)
    return sxy / math.sqrt(sxx * syy) if sxx and syy else float("nan")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: proxy_rank.py SEARCH_DIR")
    with open(sys.argv[1] + "/leaderboard.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    for target in ("accuracy", "drift_accuracy"):
        pairs = [(float(r["proxy_accuracy"]), float(r[target])) for r in rows
                 if r.get("proxy_accuracy") and r.get(target) and r.get("epochs") and
                 float(r["epochs"]) == max(float(q["epochs"]) for q in rows if q.get("epochs"))]
        if not pairs:
            continue
        x, y = [p[0] for p in pairs], [p[1] for p in pairs]
        print(f"proxy_accuracy vs {target}: {len(pairs)} candidates, Kendall tau-b {kendall_tau_b(x, y):.3f}, "
              f"Spearman rho {spearman(x, y):.3f}; proxy {min(x):.3f}-{max(x):.3f}, {target} {min(y):.3f}-{max(y):.3f}")


if __name__ == "__main__":
    main()
