"""Baseline: `sic_nb cluster` with raw-pixel features + k-means (the CLI's v1 default).

Runs the CLI entry point (`sic_nb.cli.main`) on the test splits of Fashion-MNIST and digits for a few seeds,
prints a table of ACC / NMI / ARI (mean ± std over seeds) and wall time, and writes it to
benchmarks/results/pixels_kmeans.md.   Usage: python benchmarks/pixels_kmeans.py [--seeds 0 1 2]
"""
import argparse, json, os, platform, tempfile, time
from pathlib import Path
import numpy as np
from sic_nb.cli import main

def run(data, seed, tmp):
    out = Path(tmp) / f'{data}-{seed}'
    t = time.perf_counter()
    code = main(['cluster', '--data', data, '--seed', str(seed), '--out', str(out), '--quiet'])
    wall = time.perf_counter() - t
    if code != 0: raise SystemExit(f'sic_nb cluster failed on {data} seed {seed}')
    s = json.loads((out / 'summary.json').read_text())
    return s, wall

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    ap.add_argument('--data', nargs='+', default=['fashion-mnist', 'digits'])
    a = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for data in a.data:
            res = [run(data, s, tmp) for s in a.seeds]
            m = {k: np.array([r[0]['metrics'][k] for r in res]) for k in ('acc', 'nmi', 'ari')}
            walls = np.array([r[1] for r in res]); s0 = res[0][0]
            rows.append(f"| {data} | {s0['split']} | {s0['n']} | {s0['n_clusters']} | "
                        + ' | '.join(f"{m[k].mean():.4f} ± {m[k].std():.4f}" for k in ('acc', 'nmi', 'ari'))
                        + f" | {walls.mean():.1f} |")
    head = ("| data | split | n | clusters | ACC | NMI | ARI | wall s (per run) |\n|---|---|---|---|---|---|---|---|")
    txt = (f"# Raw pixels (greyscale 28x28) + k-means, via `sic_nb cluster`\n\n"
           f"Seeds {a.seeds}; mean ± std over seeds. Machine: {platform.machine()}, {os.cpu_count()} cores, "
           f"CPU only. Wall time includes loading data and writing the output files (not Python start-up).\n\n"
           + head + '\n' + '\n'.join(rows) + '\n')
    print(txt)
    Path(__file__).parent.joinpath('results', 'pixels_kmeans.md').write_text(txt)
