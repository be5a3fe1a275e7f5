#!/usr/bin/env python
"""Benchmark of `sic_nb.distributed`: feature-extraction throughput against the number of Ray workers, and the overhead of
Ray against the single-process path at one worker.

Fashion-MNIST test images through the offline backend (imagenet-wordnet, EfficientNet-lite0) at `--size` px, one torch
thread per worker. Engines, each `--repeats` times into a fresh cache folder:
  local     sic_nb.features.extract_features in this process (the single-process path; model already loaded)
  ray-1     sic_nb.distributed.extract_features_ray with 1 worker
  ray-2     ... with 2 workers
The local Ray node is started once (its start-up time is reported apart). A Ray run's wall time includes starting its
actor pool (each actor imports torch and builds the backend once); the steady rate (images per second of shard compute,
summed over workers) leaves that out. CPU-seconds: this process's for `local`; the workers' own (set-up + shards) for Ray.
Run it un-niced (it measures wall time) and read it beside the load average it prints.

Prints a markdown table and writes benchmarks/results/ray_throughput.md (+ .json).

    python benchmarks/ray_throughput.py                  # 2000 images, 32 px, 3 repeats, workers 1,2
    python benchmarks/ray_throughput.py --n 4000 --size 64 --workers 1,2,4
"""
import argparse, json, os, platform, shutil, statistics, tempfile, time
from pathlib import Path

HERE = Path(__file__).resolve().parent

def loadavg(): return Path('/proc/loadavg').read_text().split()[:3]

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--n', type=int, default=2000)
    ap.add_argument('--size', type=int, default=32, help='input resolution of imagenet-wordnet (px)')
    ap.add_argument('--chunk-size', type=int, default=250, help='rows per shard (= cache chunk)')
    ap.add_argument('--batch-size', type=int, default=64)
    ap.add_argument('--workers', default='1,2')
    ap.add_argument('--repeats', type=int, default=3)
    ap.add_argument('--out', default=str(HERE / 'results' / 'ray_throughput.md'))
    a = ap.parse_args()
    os.environ.setdefault('OMP_NUM_THREADS', '1')
    import numpy as np, torch
    torch.set_num_threads(1)
    from sic_nb.data import load_source
    from sic_nb.features import extract_features, get_backend
    from sic_nb.distributed import extract_features_ray, init_ray, shutdown_ray
    workers = [int(w) for w in a.workers.split(',')]
    src = load_source('fashion-mnist', split='test', n=a.n, seed=0)
    bk = get_backend('imagenet-wordnet', image_size=a.size)
    extract_features(src.subset(range(64)), bk, use_cache=False, verbose=False)        # warm-up (not timed)
    t = time.time(); init_ray(num_cpus=max(workers), object_store_mb=256); node_s = time.time() - t
    rows, ref = [], None
    root = Path(tempfile.mkdtemp(prefix='ray_bench_'))
    try:
        for rep in range(a.repeats):
            for eng in ['local'] + [f'ray-{w}' for w in workers]:
                cache = root / f'{eng}-{rep}'
                la0 = loadavg()
                t, c = time.time(), time.process_time()
                if eng == 'local':
                    X, st = extract_features(src, bk, batch_size=a.batch_size, chunk_size=a.chunk_size, cache_dir=cache,
                                             verbose=False, return_info=True)
                    wall, cpu = time.time() - t, time.process_time() - c
                    r = dict(engine=eng, workers=1, wall_s=wall, cpu_s=cpu, setup_s=0.0, steady_img_s=a.n / wall)
                else:
                    w = int(eng.split('-')[1])
                    X, st = extract_features_ray(src, 'imagenet-wordnet', backend_kwargs=dict(image_size=a.size), workers=w,
                                                 batch_size=a.batch_size, chunk_size=a.chunk_size, cache_dir=cache,
                                                 verbose=False, return_info=True)
                    wall = time.time() - t
                    r = dict(engine=eng, workers=w, wall_s=wall, cpu_s=st['worker_cpu_seconds'] + st['worker_setup_cpu_seconds'],
                             driver_cpu_s=time.process_time() - c, setup_s=st['worker_setup_seconds'] / max(1, len(st['worker_pids'])),
                             steady_img_s=a.n / (st['shard_seconds'] / w))
                if ref is None: ref = X
                r.update(repeat=rep, img_s=a.n / wall, identical=bool(np.array_equal(X, ref)), load_before=la0, load_after=loadavg())
                rows.append(r)
                print(json.dumps(r), flush=True)
                shutil.rmtree(cache, ignore_errors=True)
    finally:
        shutdown_ray(); shutil.rmtree(root, ignore_errors=True)
    engines = ['local'] + [f'ray-{w}' for w in workers]
    def agg(eng, k):
        v = [r[k] for r in rows if r['engine'] == eng]
        return statistics.median(v), min(v), max(v)
    lines = ["# Ray feature-extraction throughput", "",
             f"Generated by `python benchmarks/ray_throughput.py --n {a.n} --size {a.size} --workers {a.workers} --repeats {a.repeats}` "
             f"({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}), un-niced, on {os.cpu_count()} CPU cores shared with other jobs "
             f"({platform.processor() or platform.machine()}). Fashion-MNIST test, {a.n} images, imagenet-wordnet (EfficientNet-lite0) "
             f"at {a.size} px, batch {a.batch_size}, shards of {a.chunk_size} rows ({-(-a.n // a.chunk_size)} shards), one torch thread per worker. "
             f"Median (min-max) of {a.repeats} repeats; every run gave features identical to the first: "
             f"{all(r['identical'] for r in rows)}. Local Ray node start-up (once): {node_s:.1f} s.", "",
             "| engine | workers | wall s | images/s | steady images/s (shards only) | worker set-up s (each) | CPU s | load avg (1 min) before |",
             "|---|---|---|---|---|---|---|---|"]
    for eng in engines:
        f = lambda k, fmt="{:.1f}", eng=eng: (fmt.format(agg(eng, k)[0]) + ' (' + fmt.format(agg(eng, k)[1]) + '-' + fmt.format(agg(eng, k)[2]) + ')')
        loads = [r['load_before'][0] for r in rows if r['engine'] == eng]
        w = next(r['workers'] for r in rows if r['engine'] == eng)
        lines.append(f"| {eng} | {w} | {f('wall_s')} | {f('img_s')} | {f('steady_img_s')} | {f('setup_s')} | {f('cpu_s')} | {', '.join(loads)} |")
    med = {e: agg(e, 'wall_s')[0] for e in engines}
    lines += ["", f"Overhead of Ray at 1 worker: wall {med.get('ray-1', float('nan')) / med['local']:.2f}x the single-process path "
              f"(includes starting the actor: import torch + build the backend, and Ray Data's scheduling)."]
    if 'ray-1' in med and 'ray-2' in med:
        lines.append(f"2 workers vs 1: wall time x{med['ray-2'] / med['ray-1']:.2f} (below 1: faster); steady rate (shards only) "
                     f"x{agg('ray-2', 'steady_img_s')[0] / agg('ray-1', 'steady_img_s')[0]:.2f}. A run's fixed cost (actor processes "
                     "started, torch imported, backend built, Ray Data's start) is paid per run; it is amortised only over larger runs.")
    lines += ["", "CPU s: `local` = this process (time.process_time); Ray = the workers' own CPU time (actor set-up + shards; "
              "the driver's and Ray's daemons' are not counted). Timings are upper bounds under the load shown: the 2 cores are "
              "shared with other jobs, so 2 workers cannot double the rate when the cores are already busy."]
    text = '\n'.join(lines) + '\n'
    print(text)
    Path(a.out).write_text(text)
    Path(a.out).with_suffix('.json').write_text(json.dumps(dict(args=vars(a), node_startup_s=node_s, runs=rows), indent=1))

if __name__ == '__main__':
    main()
