#!/usr/bin/env python
"""Benchmark of `sic_nb.features` on Fashion-MNIST test images.

1. Backends at their default resolution: images/s of a first extraction (no cache) and of a second run of the same call
   (served by the feature cache), and the peak resident memory of the process (resource.getrusage ru_maxrss).
   Each backend runs in its own subprocess so that peak memory is per backend.
   The `openclip` row uses a TINY RANDOMLY INITIALISED open_clip ViT (width 64, 2 layers, 32 px, d=32) saved to a local
   file: no CLIP weights can be downloaded here. Its speed says nothing about a real ViT-B/32; it measures the plumbing.
2. Resolution sweep of the offline backend (imagenet-wordnet): images/s, k-means ACC (10 clusters, mean +- std over
   seeds) and zero-shot ACC (nearest class-name embedding) on L2-normalised and on centred+normalised features.

Prints a table and writes benchmarks/results/features.md.

    python benchmarks/features.py                 # defaults: 1000 images, 2 threads
    python benchmarks/features.py --n 2000 --sizes 224,160,128,96,64
"""
import argparse, json, os, platform, resource, subprocess, sys, tempfile, time
from pathlib import Path

HERE = Path(__file__).resolve().parent

def _row(args):
    "Runs inside a subprocess: one backend (or one sweep size); prints a JSON line."
    import numpy as np, torch
    torch.set_num_threads(args.threads)
    from sic_nb.data import load_source
    from sic_nb.features import get_backend, extract_features, prepare_features, make_tiny_openclip_checkpoint
    src = load_source('fashion-mnist', split='test', n=args.n, seed=0)
    if args.row == 'openclip':
        ckpt = make_tiny_openclip_checkpoint(Path(args.cache_dir) / 'tiny-openclip.pt', seed=0)
        b = get_backend('openclip', model='sic-tiny-vit', pretrained=ckpt, device='cpu')
    else:
        b = get_backend('imagenet-wordnet', image_size=args.size or None)
    extract_features(src.subset(range(16)), b, batch_size=16, use_cache=False, verbose=False)   # warm-up (not timed)
    t, c = time.time(), time.process_time()
    X, info1 = extract_features(src, b, batch_size=args.batch_size, cache_dir=args.cache_dir, return_info=True, verbose=False)
    t1, c1 = time.time() - t, time.process_time() - c
    t = time.time()
    X2, info2 = extract_features(src, b, batch_size=args.batch_size, cache_dir=args.cache_dir, return_info=True, verbose=False)
    t2 = time.time() - t
    assert info1['computed_rows'] == len(src), "first run was not computed (stale cache folder?)"
    assert info2['computed_rows'] == 0 and np.array_equal(X, X2), "second run did not come from the cache"
    out = dict(row=args.row, backend=b.id, n=len(src), dim=X.shape[1], threads=args.threads, batch_size=args.batch_size,
               ips=len(src) / t1, ips_cpu=len(src) / c1, cpu_s=c1, wall_s=t1, cached_wall_s=t2, ips_cached=len(src) / t2,
               peak_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    if args.acc:
        from sic_nb.ops import kmeans
        from sic_nb.metrics import cluster_acc
        for name, ce in (('acc_norm', False), ('acc_centred', True)):
            Z = prepare_features(X, centre=ce)
            a = [cluster_acc(src.labels, kmeans(Z, 10, seed=s)[1]) for s in range(args.seeds)]
            out[name], out[name + '_std'] = float(np.mean(a)), float(np.std(a))
            V = b.encode_texts(src.class_names)   # zero-shot: nearest class-name embedding (names resolved through WordNet)
            out['zs_' + name[4:]] = float(((Z @ V.T).argmax(1) == src.labels).mean())
    print('RESULT ' + json.dumps(out), flush=True)

def _run(row, size, args, cache_dir, acc):
    cmd = [sys.executable, __file__, '--_row', row, '--n', str(args.n), '--threads', str(args.threads), '--batch-size',
           str(args.batch_size), '--seeds', str(args.seeds), '--_cache', cache_dir] + (['--_size', str(size)] if size else []) + (['--_acc'] if acc else [])
    env = dict(os.environ)
    if args.passive: env['OMP_WAIT_POLICY'] = 'PASSIVE'
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    lines = [l for l in p.stdout.splitlines() if l.startswith('RESULT ')]
    if p.returncode or not lines: raise RuntimeError(f"benchmark row {row} {size} failed:\n{p.stdout[-2000:]}\n{p.stderr[-3000:]}")
    return json.loads(lines[-1][7:])

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--n', type=int, default=1000, help='Fashion-MNIST test images (seeded subset)')
    ap.add_argument('--threads', type=int, default=2, help='torch intra-op threads (2 = the 2-core target machine)')
    ap.add_argument('--batch-size', type=int, default=64)
    ap.add_argument('--sizes', default='224,160,128,96', help='resolutions of the sweep ("" to skip it)')
    ap.add_argument('--seeds', type=int, default=5, help='k-means seeds per ACC figure')
    ap.add_argument('--no-passive', dest='passive', action='store_false',
                    help='do not set OMP_WAIT_POLICY=PASSIVE in the workers (spinning OpenMP threads are much slower on a shared machine)')
    ap.add_argument('--out', default=str(HERE / 'results' / 'features.md'))
    ap.add_argument('--_row'); ap.add_argument('--_size', type=int, default=0); ap.add_argument('--_cache'); ap.add_argument('--_acc', action='store_true')
    args = ap.parse_args()
    if args._row:
        args.row, args.size, args.cache_dir, args.acc = args._row, args._size, args._cache, args._acc
        return _row(args)
    from sic_nb.features import DEFAULT_IMAGE_SIZE
    t0 = time.time()
    with tempfile.TemporaryDirectory() as cache:
        # every run gets its own empty cache folder: the first extraction is always computed, the second always cached
        rows = [_run(r, 0, args, tempfile.mkdtemp(dir=cache), acc=False) for r in ('imagenet-wordnet', 'openclip')]
        sweep = [_run('imagenet-wordnet', int(s), args, tempfile.mkdtemp(dir=cache), acc=True) for s in args.sizes.split(',') if s.strip()]
    load = os.getloadavg()
    head = (f"Fashion-MNIST test, {args.n} images (seed 0), batch {args.batch_size}, {args.threads} torch threads, "
            f"OMP_WAIT_POLICY={'PASSIVE' if args.passive else 'default'}; {os.cpu_count()} CPUs, load average at the end "
            f"{load[0]:.1f} (shared machine: wall-clock figures are lower bounds), Python {platform.python_version()}; "
            f"{time.strftime('%Y-%m-%d %H:%M')}, {time.time() - t0:.0f} s in all.")
    t1 = ["| backend | id | images/s (no cache) | images/s per CPU-second | images/s (2nd run, cache) | cache speed-up | peak RSS MB |",
          "|---|---|---|---|---|---|---|"]
    for r in rows:
        label = r['row'] + (' (TINY RANDOM ViT, not CLIP)' if r['row'] == 'openclip' else f' (default {DEFAULT_IMAGE_SIZE} px)')
        t1.append(f"| {label} | `{r['backend']}` | {r['ips']:.1f} | {r['ips_cpu']:.1f} | {r['ips_cached']:.0f} | "
                  f"{r['wall_s'] / r['cached_wall_s']:.0f}x | {r['peak_mb']:.0f} |")
    t2 = ["| resolution | images/s | images/s per CPU-second | k-means ACC, normalised | k-means ACC, centred | zero-shot ACC, normalised | zero-shot ACC, centred |",
          "|---|---|---|---|---|---|---|"]
    for r in sweep:
        t2.append(f"| {r['backend'].rsplit('-', 1)[-1]} | {r['ips']:.1f} | {r['ips_cpu']:.1f} | {r['acc_norm']:.3f} ± {r['acc_norm_std']:.3f} | "
                  f"{r['acc_centred']:.3f} ± {r['acc_centred_std']:.3f} | {r['zs_norm']:.3f} | {r['zs_centred']:.3f} |")
    text = "\n".join(["# Feature extraction benchmark", "", head, "", "## Backends", "", *t1, "",
                      "The openclip row is a tiny randomly initialised open_clip ViT loaded from a local file (no network here); "
                      "a real ViT-B/32 is far slower on CPU.", "",
                      f"## Resolution sweep (imagenet-wordnet), k-means with 10 clusters, mean ± std over {args.seeds} seeds", "", *t2, ""])
    print(text)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text)
    print(f"wrote {args.out}")

if __name__ == '__main__':
    main()
