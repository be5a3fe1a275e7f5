"""How much k-means' restarts buy as the number of centers grows: on the semantic world (`sic_nb.bench.scale_world(n, c)`,
d = 256 by default) and on Fashion-MNIST's pixels (when the Debian package is installed), for c centers, `R` single-start runs
of `sic_nb.ops.kmeans` (k-means++ seeds (seed, r), every row): the best start's inertia against the median start's and the
worst's. The gain of ten restarts is how far the best of ten falls below a typical single start. Labels are used for the ACC
columns only. Writes benchmarks/results/kmeans_restarts.{md,json}.

    python benchmarks/kmeans_restarts.py                  # n = 20,000, c = 10, 30, 100, 300, 1000
    python benchmarks/kmeans_restarts.py --smoke
"""
import argparse, json, time
from pathlib import Path
import numpy as np

OUT = Path(__file__).resolve().parents[1] / 'benchmarks' / 'results'


def sets(n, dim, cs, smoke):
    from sic_nb.bench import scale_world
    for c in cs:
        # the world needs d >= c + 6: the next power of two above that when `dim` is too small
        U, y, _ = scale_world(n, c, max(dim, 1 << int(np.ceil(np.log2(c + 6))))); yield 'world', c, U, y
    if smoke: return
    try:
        from sic_nb.data import _find_fmnist, _fmnist_arrays
        from sic_nb.ops import l2_normalize
        X, y = _fmnist_arrays(_find_fmnist(None), 'train')
    except Exception as e:                      # the package is not installed: the world alone
        print('Fashion-MNIST not used:', e); return
    X = l2_normalize(np.asarray(X[:n], np.float32).reshape(min(n, len(X)), -1)); y = np.asarray(y[:n])
    for c in cs: yield 'fashion-mnist pixels', c, X, y


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--n', type=int, default=20_000); ap.add_argument('--dim', type=int, default=256)
    ap.add_argument('--cs', type=int, nargs='+', default=[10, 30, 100, 300, 1000]); ap.add_argument('--restarts', type=int, default=10)
    ap.add_argument('--smoke', action='store_true'); a = ap.parse_args(argv)
    from sic_nb.ops import kmeans
    from sic_nb.metrics import evaluate
    if a.smoke: a.n, a.dim, a.cs, a.restarts = 2000, 32, [5, 20], 3
    rows = []
    for name, c, X, y in sets(a.n, a.dim, a.cs, a.smoke):
        if c > len(X): continue
        t = time.perf_counter(); J, acc = [], []
        for r in range(a.restarts):
            _, lab, j = kmeans(X, c, seed=1000 * r, nredo=1, return_inertia=True, sample=None)
            J.append(j); acc.append(evaluate(y, lab)['acc'])
        J = np.array(J); best = int(J.argmin())
        rows.append(dict(set=name, n=len(X), d=X.shape[1], c=c, restarts=a.restarts, seconds=time.perf_counter() - t,
                         gain_pct=float(100 * (np.median(J) - J.min()) / np.median(J)), spread_pct=float(100 * (J.max() - J.min()) / J.min()),
                         acc_best=float(acc[best]), acc_median=float(np.median(acc))))
        print(rows[-1], flush=True)
    if a.smoke: return rows
    write(rows, a.restarts)
    return rows


def write(rows, restarts):
    "benchmarks/results/kmeans_restarts.{md,json} from the measured rows."
    lines = ['# k-means restarts as the centers grow', '', f'`python benchmarks/kmeans_restarts.py` ({restarts} single k-means++ '
             'starts of `sic_nb.ops.kmeans` on every row, each with its own seed). *gain*: how far the best start\'s inertia lies '
             'below the median start\'s, in % (what keeping the best of the restarts buys); *spread*: worst over best. ACC (%) of '
             'the best-inertia start and the median ACC of the starts (labels for this report only).', '',
             '| set | n × d | c | gain % | spread % | ACC best start | median ACC | s |', '|---|---|---|---|---|---|---|---|']
    for r in rows:
        lines.append(f"| {r['set']} | {r['n']:,} × {r['d']} | {r['c']} | {r['gain_pct']:.3f} | {r['spread_pct']:.3f} | "
                     f"{100 * r['acc_best']:.1f} | {100 * r['acc_median']:.1f} | {r['seconds']:.0f} |")
    (OUT / 'kmeans_restarts.md').write_text('\n'.join(lines) + '\n')
    (OUT / 'kmeans_restarts.json').write_text(json.dumps(dict(rows=rows), indent=1))


if __name__ == '__main__': main()
