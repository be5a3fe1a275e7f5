"""The trained methods at many clusters: each one's *whole* default training on the semantic world at 100,000 x 1,024 with
c = 1,000 (the scaling study's c = 1,000 setting), its text side on (`text_weight=1`: the published method, not the gate's
choice, so the trained head itself is scored), beside the k-means estimator on the same rows. Labels score each epoch for the
report only (`fit(U, y)`: the history's ACC; they steer nothing, every method keeps its last epoch). SIC trains one start
(`n_init=1`: each of its default three starts is the same schedule from another seed, ~1.7 h each here). One process per method;
`--jobs 2` runs two at once (their seconds then share the two cores: the row says so). Writes
benchmarks/results/many_clusters.{md,json} and many_clusters_acc.png; resumes from the JSON (rows of other code are run again).

    python benchmarks/many_clusters.py --jobs 2
    python benchmarks/many_clusters.py --n 20000 --c 200 --methods kmeans tac --out /tmp/mc     # quick
    python benchmarks/many_clusters.py --n 20000 --methods kmeans sic 'sic[lr=0.001]' --out /tmp/mc20k   # variants: NAME[param=value]
    python benchmarks/many_clusters.py --smoke      # CI: 2,000 images, c = 20, into a temporary folder
"""
import argparse, json, os, subprocess, sys, time
from pathlib import Path
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / 'benchmarks' / 'results'
METHODS = ('kmeans', 'sic', 'tac', 'relational')
SETTINGS = dict(sic=dict(text_weight=1.0, n_init=1), tac=dict(text_weight=1.0), relational=dict(text_weight=1.0), kmeans={})


def one(spec, n, c, dim, cache):
    "Fit `spec` ('sic', or 'sic[lr=0.001]': its defaults, `SETTINGS` and the given values) on the world, every epoch scored for the report; returns its row."
    from scale_gated import shared_table          # the study's k-NN table (the same file, when that study made it)
    from sic_nb.bench import MemoryPeak, scale_world, code_version, parse_method
    from sic_nb.registry import get_method
    from sic_nb.metrics import evaluate
    _, method, fixed = parse_method(spec)
    U, y, nouns = scale_world(n, c, dim)
    K, _ = shared_table(n, c, U, cache)
    info = get_method(method)
    acc_ = info.estimator().get_params()
    p = {k: v for k, v in dict(n_clusters=c, random_state=0, nouns=nouns, verbose=False).items() if k in acc_}
    settings = {**SETTINGS[method], **fixed}
    p.update(settings)
    with MemoryPeak() as m: est = info.make(**p).fit(U, y, knn_idx=K)
    hist = [dict(epoch=int(h['epoch']), acc=h.get('acc'), seconds=h.get('seconds')) for h in (getattr(est, 'history_', None) or [])]
    return dict(method=spec, n=n, c=c, dim=dim, settings=settings, seconds=m.seconds, cpu_s=m.cpu_seconds, peak_mb=m.peak_mb,
                epochs=len(hist) or None, **evaluate(y, est.labels_), history=hist, code=code_version(info.estimator),
                timings={k: float(v) for k, v in (getattr(est, 'timings_', None) or {}).items() if isinstance(v, (int, float))},
                selected_epoch=getattr(est, 'selected_epoch_', None))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--n', type=int, default=100_000)
    ap.add_argument('--c', type=int, default=1000)
    ap.add_argument('--dim', type=int, default=1024, help='feature dimension (the world needs dim >= 2 + c + 2 x its confusable pairs)')
    ap.add_argument('--methods', nargs='+', default=list(METHODS), help=f"of {', '.join(METHODS)}, each as NAME or NAME[param=value,...]")
    ap.add_argument('--jobs', type=int, default=1, help='methods fitted at once (each its own process)')
    ap.add_argument('--rerun', action='store_true', help='measure again the rows already measured')
    ap.add_argument('--timeout', type=int, default=7200, help='seconds one method may take (then: not finished)')
    ap.add_argument('--one', default=None, help=argparse.SUPPRESS)   # the child process: one method, its row as JSON on stdout
    ap.add_argument('--cache', default=None, help='where the shared k-NN table is kept (default: the scaling study\'s, in the bench cache)')
    ap.add_argument('--out', default=str(OUT / 'many_clusters'))
    ap.add_argument('--smoke', action='store_true', help='a small run into a temporary folder, checked (CI)')
    args = ap.parse_args(argv)
    if args.smoke:
        import tempfile
        tmp = tempfile.mkdtemp(prefix='many_clusters_')
        args.n, args.c, args.dim, args.jobs, args.out, args.cache = 2000, 20, 64, 2, f'{tmp}/mc', tmp
    if args.cache is None:
        from sic_nb.bench import bench_cache_dir
        args.cache = str(bench_cache_dir() / 'scale')
    os.makedirs(args.cache, exist_ok=True)
    if args.one:
        print('ROW ' + json.dumps(one(args.one, args.n, args.c, args.dim, args.cache), default=float)); return
    from sic_nb.files import atomic_write
    from sic_nb.ops import cpu_info
    from sic_nb.bench import code_version, parse_method, scale_world
    from sic_nb.registry import get_method
    from scale_gated import shared_table
    bad = [m for m in args.methods if parse_method(m)[1] not in METHODS]
    if bad: raise SystemExit(f"--methods: {', '.join(bad)} not among {', '.join(METHODS)}")
    jp = Path(args.out + '.json')
    res = json.loads(jp.read_text()) if jp.exists() else {}
    res.setdefault('rows', {})
    if any(res.get(k) not in (None, v) for k, v in dict(n=args.n, c=args.c, dim=args.dim).items()):
        raise SystemExit(f"{jp} holds n={res.get('n')}, c={res.get('c')}, dim={res.get('dim')}: pass another --out for this setting")
    res.update(n=args.n, c=args.c, dim=args.dim)
    current = lambda m: code_version(get_method(parse_method(m)[1]).estimator)
    todo = [m for m in args.methods if args.rerun or m not in res['rows'] or res['rows'][m].get('code') != current(m)]
    # the shared table first, here (two children would both make it); its world is let go before they start
    if todo: shared_table(args.n, args.c, scale_world(args.n, args.c, args.dim)[0], args.cache)
    running = {}                                   # method -> (process, start, the methods that ran beside it)
    def save(measured=True):
        if measured or '_machine' not in res: res['_machine'] = cpu_info()      # the machine of the fits, not of a page rewrite
        atomic_write(jp, json.dumps(res, indent=1, default=float)); write_report(res, args)
    while todo or running:
        while todo and len(running) < max(1, args.jobs):
            m = todo.pop(0)
            cmd = [sys.executable, __file__, '--one', m, '--n', str(args.n), '--c', str(args.c), '--dim', str(args.dim), '--cache', args.cache]
            running[m] = (subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True), time.time(), set())
        for m in running: running[m][2].update(x for x in running if x != m)
        time.sleep(2)
        for m, (p, t0, beside) in list(running.items()):
            if p.poll() is None and time.time() - t0 < args.timeout: continue
            if p.poll() is None:
                p.kill(); p.wait()
                row = dict(method=m, error=f'not finished in {args.timeout} s (data included)', seconds=None, code=current(m))
            else:
                out, err = p.communicate()
                line = [x for x in out.splitlines() if x.startswith('ROW ')]
                row = json.loads(line[0][4:]) if p.returncode == 0 and line else dict(
                    method=m, error='killed by the kernel (out of memory)' if p.returncode == -9 else (err or out)[-400:], seconds=None, code=current(m))
            row['beside'] = sorted(beside)
            res['rows'][m] = row; del running[m]
            print(f"{m}: {row.get('seconds') or row.get('error')} (ACC {row.get('acc')})", flush=True)
            save()
    save(measured=False)
    if args.smoke:                     # every method fitted, every trained one with an ACC per epoch, the page and its plot written
        rows = json.loads(jp.read_text())['rows']
        bad = [m for m in args.methods if rows.get(m, {}).get('error') or not 0 <= rows.get(m, {}).get('acc', -1) <= 1
               or (m != 'kmeans' and not all(h.get('acc') is not None for h in rows[m].get('history') or [{}]))]
        page = Path(args.out + '.md').read_text()
        if bad or not all(f'| `{m}` |' in page for m in args.methods) or not Path(args.out + '_acc.png').exists():
            raise SystemExit(f'smoke: rows {bad or "ok"}; page or plot incomplete: {page[-600:]}')
        print('smoke ok:', ', '.join(f"{m} {100 * rows[m]['acc']:.1f}" for m in args.methods))


def write_report(res, args):
    rows = res.get('rows', {})
    km = rows.get('kmeans', {}).get('acc')
    lines = ['# The trained methods at many clusters', '',
             "`python benchmarks/many_clusters.py --jobs 2" + ('' if res['n'] == 100_000 else f" --n {res['n']}") + ' --methods '
             + ' '.join(f"'{m}'" if '[' in m else m for m in rows) + f"`: the semantic world (`sic_nb.bench.scale_world`) at {res['n']:,} × {res['dim']:,}, "
             f"c = {res['c']:,}; each trained method's whole default training with its text side on (`text_weight=1`: the published "
             "method, so the trained head itself is scored, not the gate's choice), SIC one start (`n_init=1`), beside the k-means "
             "estimator on the same rows. Labels score every epoch for the report only; every method keeps its last epoch. Wall "
             "seconds of fits run beside others (the last column, or other work on the machine) are upper bounds. The "
             "defaults (the gate included) at this setting, trained methods one epoch: `scale_gated.md`.", '',
             f"Machine: {res.get('_machine')}", '',
             '| method | settings | epochs | wall s | peak MB | ACC | NMI | ARI | ACC − k-means\' | best epoch ACC (report only) | fitted beside |',
             '|---|---|---|---|---|---|---|---|---|---|---|']
    f = lambda v, fmt='{:.1f}': '-' if v is None else fmt.format(v)
    order = lambda m: (METHODS.index(m.partition('[')[0]) if m.partition('[')[0] in METHODS else len(METHODS), m)
    for m in sorted(rows, key=order):
        r = rows[m]
        if r.get('error'):
            lines.append(f"| `{m}` | `{r.get('settings', '-')}` | - | {r['error']} | - | - | - | - | - | - | {', '.join(r.get('beside', [])) or '-'} |"); continue
        accs = [h['acc'] for h in r.get('history', []) if h.get('acc') is not None]
        best = f"{100 * max(accs):.1f} (epoch {int(np.argmax(accs)) + 1})" if accs else '-'
        lines.append(f"| `{m}` | `{r['settings']}` | {r.get('epochs') or '-'} | {r['seconds']:,.0f} | {r['peak_mb']:,.0f} | {100 * r['acc']:.1f} | "
                     f"{100 * r['nmi']:.1f} | {100 * r['ari']:.1f} | {f(None if km is None or m == 'kmeans' else 100 * (r['acc'] - km), '{:+.1f}')} | {best} | "
                     f"{', '.join(r.get('beside', [])) or '-'} |")
    hs = {m: r['history'] for m, r in rows.items() if r.get('history')}
    if hs:
        import matplotlib; matplotlib.use('Agg')
        import matplotlib.pyplot as plt
        fig, ax = plt.subplots(figsize=(6, 3.2))
        for m, h in hs.items():
            e = [x['epoch'] + 1 for x in h if x.get('acc') is not None]
            ax.plot(e, [100 * x['acc'] for x in h if x.get('acc') is not None], '.-' if len(e) < 3 else '-', label=m)
        if km is not None: ax.axhline(100 * km, color='k', ls=':', label='k-means')
        ax.set_xlabel('epoch'); ax.set_ylabel('ACC % (report only)'); ax.set_xscale('log'); ax.legend(fontsize=8)
        ax.set_title(f"c = {res['c']:,}, n = {res['n']:,}: every epoch's ACC", fontsize=9); fig.tight_layout()
        png = Path(args.out + '_acc.png'); fig.savefig(png, dpi=110); plt.close(fig)
        lines += ['', f'![ACC per epoch]({png.name})']
    from sic_nb.files import atomic_write
    atomic_write(Path(args.out + '.md'), '\n'.join(lines) + '\n')


if __name__ == '__main__':
    main()
