#!/usr/bin/env python3
"""How the cluster explorer (sic_nb.explore) responds on a large run: seconds per action on n synthetic images.

Synthetic data (the explorer's cost does not depend on what the images show): n greyscale 28x28 images, d-dimensional
features drawn around c cluster directions, soft assignments from a softmax over those directions. Times each action the
app runs when a user clicks (no browser: the widgets' Python side, which is where the work is). Prints a markdown table and
writes it to benchmarks/results/explore_scale.md. Timings are upper bounds on a shared machine (load average printed).

Usage: python3 benchmarks/explore_scale.py [--n 50000] [--d 1280] [--c 10]
"""
import argparse, os, resource, tempfile, time
from pathlib import Path
import numpy as np

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--n', type=int, default=50000)
    ap.add_argument('--d', type=int, default=1280)
    ap.add_argument('--c', type=int, default=10)
    a = ap.parse_args()
    from sic_nb.data import ImageSource
    from sic_nb.explore import Explorer, Run
    from sic_nb.ops import l2_normalize
    rng = np.random.default_rng(0)
    D = l2_normalize(rng.normal(size=(a.c, a.d)).astype(np.float32))
    g = rng.integers(0, a.c, a.n)
    X = D[g] + rng.normal(0, 1.5 / np.sqrt(a.d), (a.n, a.d)).astype(np.float32)
    S = l2_normalize(X) @ D.T / 0.05
    P = np.exp(S - S.max(1, keepdims=True)); P /= P.sum(1, keepdims=True)
    src = ImageSource('synthetic', 'test', [f'img{i:06d}' for i in range(a.n)],
                      array=rng.integers(0, 256, (a.n, 28, 28), dtype=np.uint8))
    run = Run(src, X, P.astype(np.float32), P.argmax(1), [f'c{i}' for i in range(a.c)], [[f'c{i}'] for i in range(a.c)])
    rows = []
    def timed(what, fn):
        t, c0 = time.perf_counter(), time.process_time()
        fn()
        rows.append((what, time.perf_counter() - t, time.process_time() - c0))
    with tempfile.TemporaryDirectory() as d:
        box = {}
        timed('open the app (first cluster, its gallery page, the map)', lambda: box.setdefault('app', Explorer(run, out=Path(d) / 'edits')))
        app = box['app']
        timed('next gallery page (24 new thumbnails)', app.next.click)
        timed('previous page (thumbnails cached)', app.prev.click)
        def choose(i): app.cluster.value = i
        timed('choose another cluster (first time: neighbours searched)', lambda: choose(1))
        timed('choose it again (neighbours kept)', lambda: (choose(0), choose(1)))
        def merge(): app.merge_other.value = 2; app.merge_btn.click()
        timed('merge two clusters', merge)
        def rename(): app.rename_text.value = 'renamed'; app.rename_btn.click()
        timed('rename', rename)
        def split(): app.split_k.value = 2; app.split_btn.click()
        timed('split the merged cluster in 2 (k-means on its images)', split)
        def move(): app.select_page.click(); app.move_btn.click()
        timed('select a page and move it', move)
        timed('undo', app.undo_btn.click)
        timed('export (assignments.csv, edit log)', app.export_btn.click)
        assert 'sic-export-path' in app.status.value, app.status.value
    load = open('/proc/loadavg').read().split()[:3]
    md = [f"Explorer on {a.n:,} synthetic images, {a.d}-d features, {a.c} clusters; load average {' '.join(load)} "
          f"(2 shared cores; wall seconds are upper bounds); peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB.", '',
          '| action | wall s | CPU s |', '|---|---:|---:|'] + [f'| {w} | {t:.2f} | {c:.2f} |' for w, t, c in rows]
    text = '\n'.join(md) + '\n'
    print(text)
    out = Path(__file__).resolve().parent / 'results' / 'explore_scale.md'
    out.parent.mkdir(exist_ok=True); out.write_text(text)
    print(f"wrote {out}")

if __name__ == '__main__':
    os.environ.setdefault('OMP_NUM_THREADS', '1')
    main()
