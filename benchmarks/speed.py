"""Speed of the three trained methods (issues 9.4, 11.8, 12.7): wall and CPU seconds per stage of SIC, TAC and the
relational method (`RelationalCenters`), fitted with the library's defaults at n = 2,000 / 8,000 / 50,000, except
`text_weight=1` (one fit of the published method, as the reference codes run it; the default text gate, `'auto'`, adds a
second fit with the text side off and so about doubles each total).

Data ("cached features": nothing is extracted while timing):
  * the semantic world, `sic_nb.world.make_world(n_classes=10, dim=512, n_per_class=n // 10, seed=0)`: unit 512-d
    image features and its 530 nouns (synthetic; the same generator at every n);
  * for SIC also Fashion-MNIST, the split of `benchmarks/fidelity.py` (first n of the seed-0 8,000 train subset,
    imagenet-wordnet backend at 160 px, d = 1,280, 1,860 nouns), where the reference code takes 60-68 s for 8,000;
  * for TAC also the train splits of the bench's digits (1,257 x 1,280) and Fashion-MNIST (8,000 x 1,280) at the bench's
    default image size (`sic_nb.bench.load_bench_data(name, seed=0)`), the sets `sic_nb bench` fits TAC on.
Threads: SIC's head trains single-threaded (its default); TAC and the relational method get `--threads` torch/BLAS
threads for their heads (TAC's default is 1); k-NN and k-means use the BLAS default (all cores).
One warm-up fit on 300 rows first imports torch's optimiser machinery (`torch.optim.Adam` imports `torch._dynamo` on
first use: 2-3 CPU-s once per process, not counted). Each cell is the median of `--repeats` fits; CPU seconds are
process CPU time (all threads), robust to other load; wall seconds are upper bounds on a shared machine.
Labels only give the train-set ACC column (report only). "other" = total fit minus the stages: input checks, the text gate
of `ClusterMethod.fit` (`_gate`: an exact k-NN and k-means of its own, plus the method's text labels) and cluster names.

    python benchmarks/speed.py                                   # everything, writes benchmarks/results/speed.md
    python benchmarks/speed.py --sizes 2000 --methods sic --out /tmp/speed.md    # quick check
"""
import argparse, os, platform, sys, time
from datetime import datetime, timezone
import numpy as np
import torch

from sic_nb.features import Nouns
from sic_nb.metrics import evaluate

STAGES = dict(sic=['knn', 'semantic_space', 'train'],
              tac=['select_nouns', 'text_counterparts', 'neighbours', 'train'],
              relational=['select_nouns', 'relation_matrix', 'kmeans_init', 'neighbours', 'train'])


def world(n):
    from sic_nb.world import make_world
    w = make_world(n_classes=10, dim=512, n_per_class=n // 10, seed=0)
    return w.U, w.y, Nouns.from_arrays(w.V, w.noun_names), f'semantic world, {len(w.y):,} x 512, {len(w.V)} nouns'


def fashion(n):
    from sic_nb.data import load_source
    from sic_nb.features import get_backend, extract_features, noun_features
    be = get_backend('imagenet-wordnet', image_size=160)
    src = load_source('fashion-mnist', split='train', n=8000, seed=0)
    X = extract_features(src, be, verbose=False)[:n]
    nz = noun_features(be, verbose=False)
    return X, np.asarray(src.labels)[:n], nz, f'Fashion-MNIST 160 px, {n:,} x {X.shape[1]}, {len(nz)} nouns'


def bench_set(name):
    from sic_nb.bench import load_bench_data
    from sic_nb.data import load_source
    d = load_bench_data(name, seed=0)
    src = load_source(name, split='train', **(dict(n=8000, seed=0) if name == 'fashion-mnist' else {}))
    return d.Xtr, np.asarray(src.labels), d.nouns, f'{d.name} (bench train split), {len(d.Xtr):,} x {d.Xtr.shape[1]}, {len(d.nouns)} nouns'


def make(method, args, **kw):
    kw = dict(dict(text_weight=1.0), **kw)    # one fit of the published method (the reference codes have no gate; 'auto', the default, fits twice)
    if method == 'sic':
        from sic_nb.train import SIC
        return SIC(n_clusters=10, verbose=False, **kw)
    if method == 'tac':
        from sic_nb.tac import TAC
        return TAC(n_clusters=10, verbose=False, threads=args.threads, **kw)
    from sic_nb.relational import RelationalCenters
    return RelationalCenters(n_clusters=10, threads=args.threads, **kw)


def fit_once(method, X, y, nz, args, **kw):
    m = make(method, args, **kw)
    t, c = time.perf_counter(), time.process_time()
    m.fit(X, nouns=nz)
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    epochs = len(m.history_)
    return dict(wall={s: m.timings_[s] for s in STAGES[method]}, cpu={s: m.cpu_timings_[s] for s in STAGES[method]},
                total_wall=wall, total_cpu=cpu, epochs=epochs, acc=evaluate(y, m.labels_)['acc'])


def median_run(method, X, y, nz, args, **kw):
    runs = [fit_once(method, X, y, nz, args, **kw) for _ in range(args.repeats)]
    med = lambda f: float(np.median([f(r) for r in runs]))
    return dict(wall={s: med(lambda r, s=s: r['wall'][s]) for s in STAGES[method]}, cpu={s: med(lambda r, s=s: r['cpu'][s]) for s in STAGES[method]},
                total_wall=med(lambda r: r['total_wall']), total_cpu=med(lambda r: r['total_cpu']), epochs=runs[0]['epochs'],
                acc=runs[0]['acc'], all_walls=[round(r['total_wall'], 1) for r in runs])


TITLE = '# Speed of SIC, TAC and the relational method (issues 9.4, 11.8, 12.7)\n'
PREFIX = dict(sic='SIC', tac='TAC', relational='RelationalCenters')


def merge_sections(old:str, new:dict) -> str:
    """The report with the sections of the methods just timed (`new`: method -> markdown) replaced and every other section
    of the previous report (`old`) kept, so that `--methods tac` does not erase the SIC rows. A kept section without its
    own 'Generated by' line gets the previous report's."""
    pre, *parts = ('\n' + old).split('\n## ')
    glob = next((p for p in pre.split('\n\n') if p.strip().startswith('Generated by')), '').strip()
    olds = ['## ' + p.strip() + '\n' for p in parts]
    out = [TITLE]
    for m, pref in PREFIX.items():
        hit = [o for o in olds if o.startswith('## ' + pref)]
        if m in new: out.append(new[m])
        elif hit:
            sec = hit[0]
            if 'Generated by' not in sec and glob: sec = sec.replace('\n', '\n' + glob + '\n', 1)
            out.append(sec)
    out += [o for o in olds if not any(o.startswith('## ' + p) for p in PREFIX.values())]   # e.g. hand-written notes
    return '\n'.join(out)


def loadavg():
    try: return open('/proc/loadavg').read().split()[0]
    except OSError: return '?'


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--sizes', default='2000,8000,50000')
    ap.add_argument('--methods', default='sic,tac,relational')
    ap.add_argument('--fashion', default='2000,8000', help='sizes of the SIC rows on Fashion-MNIST features ("" for none)')
    ap.add_argument('--tac-precisions', default='float32', help="TAC head precisions timed besides the default ('auto': bfloat16 on CPUs with AMX/AVX512-BF16), at the largest size")
    ap.add_argument('--tac-bench', default='digits,fashion-mnist', help='bench data sets (train splits) for TAC rows ("" for none)')
    ap.add_argument('--threads', type=int, default=1, help='torch/BLAS threads of the TAC and relational heads (1: TAC\'s default; on a shared machine 2 threads were 4.8x slower, 88 s vs 18 s for TAC at 2,000)')
    ap.add_argument('--repeats', type=int, default=1, help='fits per cell (the median is reported)')
    ap.add_argument('--out', default=os.path.join(os.path.dirname(os.path.abspath(__file__)), 'results', 'speed.md'))
    args = ap.parse_args(argv)
    sizes, methods = [int(s) for s in args.sizes.split(',') if s], [m for m in args.methods.split(',') if m]
    Xw, yw, nw, _ = world(3000)                                            # warm-up (imports), not timed
    for m in methods: make(m, args, **(dict(epochs=2) if m != 'tac' else dict(epochs=2, min_steps=0))).fit(Xw[::10], nouns=nw)
    rows, loads = {m: [] for m in methods}, [loadavg()]
    jobs = [(m, 'world', n, {}) for m in methods for n in sizes]
    if 'sic' in methods: jobs += [('sic', 'fashion', int(n), {}) for n in args.fashion.split(',') if n]
    if 'tac' in methods:   # the other precisions, at the largest size only
        jobs += [('tac', 'world', max(sizes), dict(precision=p)) for p in args.tac_precisions.split(',') if p and p != 'auto']
        jobs += [('tac', b, None, {}) for b in args.tac_bench.split(',') if b]
    for method, data, n, kw in jobs:
        X, y, nz, desc = world(n) if data == 'world' else fashion(n) if data == 'fashion' else bench_set(data)
        n = len(X)
        r = median_run(method, X, y, nz, args, **kw)
        r.update(n=n, desc=desc + (f", {kw['precision']}" if kw else ''))
        rows[method].append(r)
        loads.append(loadavg())
        print(f"{method} {r['desc']}: total {r['total_wall']:.1f} s wall / {r['total_cpu']:.1f} CPU-s, "
              + ', '.join(f"{s} {r['wall'][s]:.2f}/{r['cpu'][s]:.2f}" for s in STAGES[method]) + f", ACC {100 * r['acc']:.1f}", flush=True)
    head = (f"Generated by `python benchmarks/speed.py {' '.join(sys.argv[1:] if argv is None else argv)}` on {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, "
            f"{platform.machine()} CPU ({os.cpu_count()} cores), torch {torch.__version__}; {args.threads} torch threads for TAC and "
            f"relational heads, SIC head single-threaded; median of {args.repeats} fit(s) per cell. Load average (1 min) before "
            f"and after each cell: {' → '.join(loads)} (a shared machine: wall seconds are upper bounds, CPU seconds count all "
            "threads of the process and are robust to load). Each cell: wall s / CPU s. Defaults of each estimator otherwise.\n")
    titles = dict(sic='SIC-3 (100 epochs, batch 128)', relational='RelationalCenters (30 epochs, batch 256)',
                  tac='TAC (its defaults: batch 512, about 500 Adam steps: min_steps = max_steps = 500, in whole epochs; precision auto = bfloat16 on this CPU)')
    sections = {}
    for method in methods:
        st = STAGES[method]
        md = [f'## {titles[method]}\n', head, '| data | ' + ' | '.join(st) + ' | other (text gate, names) | total fit | epochs | train s / epoch | all fits (wall s) | train ACC (report only) |',
              '|---|' + '---|' * (len(st) + 6)]
        for r in rows[method]:
            ow, oc = r['total_wall'] - sum(r['wall'].values()), r['total_cpu'] - sum(r['cpu'].values())
            md.append(f"| {r['desc']} | " + ' | '.join(f"{r['wall'][s]:.2f} / {r['cpu'][s]:.2f}" for s in st) + f" | {ow:.2f} / {oc:.2f}"
                      + f" | **{r['total_wall']:.1f}** / {r['total_cpu']:.1f} | {r['epochs']} | {r['wall']['train'] / max(r['epochs'], 1):.3f} / "
                        f"{r['cpu']['train'] / max(r['epochs'], 1):.3f} | {r['all_walls']} | {100 * r['acc']:.1f} |")
        sections[method] = '\n'.join(md) + '\n'
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    old = open(args.out).read() if os.path.exists(args.out) else ''
    text = merge_sections(old, sections)
    open(args.out, 'w').write(text)
    import json
    json.dump(dict(rows=rows, loads=loads, argv=sys.argv[1:]), open(os.path.splitext(args.out)[0] + '.json', 'w'), indent=1)
    print(text)


if __name__ == '__main__':
    main()
