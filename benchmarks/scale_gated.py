"""Every method at its defaults, the text gate included, on the semantic world at n x 512 with c classes (default: 1,000,000 and
100, the issue's target), one process per method, beside the figures of `benchmarks/results/scale.json` (the scaling study before
k-means ran its restarts on a sample, the noun selection went two-level and the gate measured on a sample). As in that study:
trained methods run one epoch (`min_steps=1`), and every method's fit reads one image k-NN table computed once (its own row).
Writes benchmarks/results/scale_gated.{md,json}; resumes from the JSON (rows of other code are run again).

    python benchmarks/scale_gated.py
    python benchmarks/scale_gated.py --n 100000 --c 10 --methods kmeans tac-notrain     # quick
"""
import argparse, json, os, subprocess, sys, time
from pathlib import Path
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / 'benchmarks' / 'results'
METHODS = ('kmeans', 'sic', 'tac', 'tac-notrain', 'relational', 'relational-notrain')


def shared_table(n, c, U, cache):
    "The image k-NN table (k = the largest k of the methods) every fit reads: computed once per (n, c), kept in `cache` for the next process."
    from sic_nb.bench import MemoryPeak
    from sic_nb.files import atomic_path
    from sic_nb.ops import knn
    from sic_nb.registry import get_method
    k = max([int(get_method(m).estimator().get_params().get('k', 0)) for m in METHODS] + [10])
    f = Path(cache) / f'knn_{n}_{c}_{k}_{U.shape[1]}.npy'
    if f.exists(): return np.load(f), None
    with MemoryPeak() as m: K = knn(U, k)[1].astype(np.int32)
    with atomic_path(f, suffix='.npy') as tmp: np.save(tmp, K)
    return K, dict(stage=f'knn shared by the methods (k={k})', seconds=m.seconds, cpu_s=m.cpu_seconds, peak_mb=m.peak_mb)


def one(method, n, c, cache, full=False, dim=512):
    "Fit `method` at its defaults on the world (trained methods for one epoch, or with `full` their whole default training); returns the row."
    from sic_nb.bench import MemoryPeak, scale_world, code_version, _EPOCH_PARAMS
    from sic_nb.registry import get_method
    from sic_nb.metrics import evaluate
    U, y, nouns = scale_world(n, c, dim)
    K, krow = shared_table(n, c, U, cache)
    info = get_method(method)
    acc_ = info.estimator().get_params()
    p = {k: v for k, v in dict(n_clusters=c, random_state=0, nouns=nouns, verbose=False).items() if k in acc_}
    ep = [e for e in _EPOCH_PARAMS if e in acc_]
    if ep and not full: p[ep[0]] = 1
    if ep and not full and 'min_steps' in acc_: p['min_steps'] = 1
    with MemoryPeak() as m: est = info.make(**p).fit(U, knn_idx=K)
    g = est.text_gate() if hasattr(est, 'text_gate') and getattr(est, 'text_gauge_', None) is not None else None
    tm = getattr(est, 'timings_', None) or {}
    # one epoch where the whole training was asked: what the default schedule would take, from the epoch measured
    proj = m.seconds + tm['train'] * (int(acc_[ep[0]]) - 1) if ep and not full and isinstance(tm.get('train'), (int, float)) else None
    row = dict(method=method, n=n, c=c, seconds=m.seconds, cpu_s=m.cpu_seconds, peak_mb=m.peak_mb, acc=evaluate(y, est.labels_)['acc'],
               epochs=(None if full else 1) if ep else None, default_epochs=int(acc_[ep[0]]) if ep else None, projected_s=proj, code=code_version(info.estimator), decision=None if g is None else g['decision'],
               gate_images=None if g is None else g['images'],
               timings={k: float(v) for k, v in (getattr(est, 'timings_', None) or {}).items() if isinstance(v, (int, float))})
    return row, krow


def old_rows(n, c):
    "The study's earlier figures at (n, c): method -> (wall s, CPU s, peak MB, what it spent the time on)."
    f = OUT / 'scale.json'
    if not f.exists(): return {}
    out = {}
    for r in json.loads(f.read_text())['rows']:
        if (r['n'], r['c']) == (n, c) and r['stage'].endswith(('fit', 'fit (1 epoch)')) and r.get('seconds'):
            out[r['stage'].split(' ')[0]] = r
        if (r['n'], r['c']) == (n, c) and r['stage'].startswith('knn shared') and 'k=50' in r['stage']: out['knn'] = r
    return out


def cells(args):
    "The (n, c) settings of this run: the grid of `--ns` x `--cs`, then `--extra` (n:c pairs)."
    out = [(int(n), int(c)) for n in args.ns.split(',') if n for c in args.cs.split(',') if c]
    return out + [tuple(int(v) for v in e.split(':')) for e in args.extra.split(',') if e]


def slope(a, b, na, nb):
    "Growth exponent between two sizes: log(b/a) / log(nb/na)."
    return None if not a or not b else float(np.log(b / a) / np.log(nb / na))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--ns', default='10000,100000,1000000')
    ap.add_argument('--cs', default='10,100')
    ap.add_argument('--extra', default='100000:1000', help="more n:c settings, comma-separated (default: 100,000 images, c = 1,000)")
    ap.add_argument('--methods', nargs='+', default=list(METHODS))
    ap.add_argument('--one-epoch', nargs='*', default=['sic'], help='at the --extra settings, these methods train one epoch, not their '
                    'whole default schedule (the page gives its time projected from that epoch); default: sic (100 epochs x 3 starts)')
    ap.add_argument('--rerun', action='store_true', help='measure again the rows already measured (default: keep them; each row records its code version)')
    ap.add_argument('--timeout', type=int, default=1800, help='seconds one method may take at one setting (then: not finished)')
    ap.add_argument('--one', default=None, help=argparse.SUPPRESS)   # the child process: one method, its row as JSON on stdout
    ap.add_argument('--n', type=int, default=None, help=argparse.SUPPRESS)
    ap.add_argument('--c', type=int, default=None, help=argparse.SUPPRESS)
    ap.add_argument('--full', action='store_true', help=argparse.SUPPRESS)
    ap.add_argument('--dim', type=int, default=512, help='feature dimension (the world needs dim >= 2 + c + 2 x its confusable pairs: 1,024 for c = 1,000)')
    ap.add_argument('--cache', default=None, help='where the shared k-NN table is kept between the processes (default: the bench cache)')
    ap.add_argument('--out', default=str(OUT / 'scale_gated'))
    args = ap.parse_args(argv)
    if args.cache is None:
        from sic_nb.bench import bench_cache_dir
        args.cache = str(bench_cache_dir() / 'scale')
    os.makedirs(args.cache, exist_ok=True)
    if args.one:
        row, krow = one(args.one, args.n, args.c, args.cache, full=args.full, dim=args.dim)
        print('ROW ' + json.dumps(dict(row=row, knn=krow))); return
    from sic_nb.files import atomic_write
    from sic_nb.ops import cpu_info
    from sic_nb.bench import code_version
    from sic_nb.registry import get_method
    jp = Path(args.out + '.json')
    res = json.loads(jp.read_text()) if jp.exists() else {}
    for k, v in res.items():                                          # cells are keyed 'n=N c=C'
        if not k.startswith('_'): v.setdefault('n', int(k.split()[0][2:])); v.setdefault('c', int(k.split()[1][2:]))
    grid = len(cells(args)) - len([e for e in args.extra.split(',') if e])
    for i, (n, c) in enumerate(cells(args)):
        key, full_cell = f'n={n} c={c}', i >= grid     # the extra settings: each method's whole default training (its ACC means something)
        cell = res.setdefault(key, dict(n=n, c=c, rows={}, knn=None))
        cell['full'], cell['dim'] = full_cell, args.dim
        for m in args.methods:
            full = full_cell and m not in args.one_epoch
            r = cell['rows'].get(m)
            if r is not None and not args.rerun: continue              # measured (or failed) already: kept, with its code version
            t = time.time()
            cmd = [sys.executable, __file__, '--one', m, '--n', str(n), '--c', str(c), '--cache', args.cache, '--dim', str(args.dim)] + (['--full'] if full else [])
            try:
                p = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout)
                line = [x for x in p.stdout.splitlines() if x.startswith('ROW ')]
                if p.returncode != 0 or not line:
                    why = 'killed by the kernel (out of memory: 24 GB)' if p.returncode == -9 else (p.stderr or p.stdout)[-400:]
                    cell['rows'][m] = dict(method=m, error=why, seconds=None, code=code_version(get_method(m).estimator))
                else:
                    got = json.loads(line[0][4:]); cell['rows'][m] = got['row']
                    if got['knn']: cell['knn'] = got['knn']
            except subprocess.TimeoutExpired:
                cell['rows'][m] = dict(method=m, error=f'not finished in {args.timeout} s (data included)', seconds=None,
                                       code=code_version(get_method(m).estimator))
            print(f"[{key}] {m}: {cell['rows'][m].get('seconds') or cell['rows'][m].get('error')} ({time.time() - t:.0f} s with the data)", flush=True)
            res['_machine'] = cpu_info()
            atomic_write(jp, json.dumps(res, indent=1))
            write_report(res, args)
    write_report(res, args)


def write_report(res, args):
    f0 = lambda v, fmt='{:,.0f}': '-' if v is None else fmt.format(v)
    lines = ['# The scaling study: every method at its defaults, its text gate included', '',
             '`python benchmarks/scale_gated.py` (the semantic world, `sic_nb.bench.scale_world(n, c)`, d = 512): each method at its '
             'defaults (`text_weight=\'auto\'`: the gate included) in its own process, trained methods for one epoch, every fit reading '
             'one shared image k-NN table (its own row). *before* = `benchmarks/results/scale.json`, the same world and protocol before '
             'k-means ran its restarts on a sample, noun selection went two-level and the gate measured on a sample (it fitted the '
             'published methods, `text_weight=1`, whose gauge the gate still measured on every image). Wall and CPU seconds of the whole '
             '`fit`; peak = rise of resident memory (the data not counted); ACC in % (labels only score; after one epoch it says little '
             'about a trained method).', '', f"Machine: {res.get('_machine')}", '']
    t = res.get('n=1000000 c=100')
    if t:                                      # the targets at a million images, c = 100
        rows = {m: r for m, r in t['rows'].items() if m in args.methods}
        done = {m: r for m, r in rows.items() if r.get('seconds')}
        slow = max(done, key=lambda m: done[m]['seconds']) if done else None
        gb = {m: r['peak_mb'] * 2**20 / 1e9 for m, r in done.items() if r.get('peak_mb')}     # peak_mb is MiB; 1 GB = 1e9 bytes
        over = [f"`{m}` {v:.2f} GB" for m, v in gb.items() if v > 6]
        km = done.get('kmeans', {}).get('seconds')
        lines += ['**Targets at 1,000,000 × 512, c = 100** (peak = rise above the data; 1 GB = 10⁹ bytes, the tables give MiB): the k-means estimator\'s fit ≤ 120 s: '
                  + (f"{km:.0f} s" if km else 'not measured') + '; every method\'s whole fit ≤ 600 s: '
                  + (f"the slowest `{slow}` {done[slow]['seconds']:.0f} s" if slow else '-')
                  + (f" ({len(rows) - len(done)} not finished)" if len(done) < len(rows) else '')
                  + '; memory rise ≤ 6 GB: ' + ('above it ' + ', '.join(over) if over else f"every method, the largest `{max(gb, key=gb.get)}` {max(gb.values()):.2f} GB" if gb else '-') + '.', '']
    from sic_nb.bench import code_version
    from sic_nb.registry import get_method
    current = lambda m: code_version(get_method(m).estimator)
    keys = [k for k in res if not k.startswith('_')]
    by = {(res[k]['n'], res[k]['c']): res[k] for k in keys}
    for c in sorted({c for _, c in by}):
        ns = sorted(n for n, cc in by if cc == c)
        if len(ns) < 2: continue
        lines += [f'**Growth, c = {c}**: wall seconds of the whole fit at each n (before → now), and the growth exponent now between '
                  f'the last two sizes (1 = linear in n)', '',
                  '| method | ' + ' | '.join(f'{n:,}' for n in ns) + ' | slope now |', '|---|' + '---|' * (len(ns) + 1)]
        for m in args.methods:
            cellv, now = [], []
            for n in ns:
                o = old_rows(n, c).get(m, {}); r = by[(n, c)]['rows'].get(m, {})
                cellv.append(f"{f0(o.get('seconds'))} → {f0(r.get('seconds')) if not r.get('error') else 'n/f'}"); now.append(r.get('seconds'))
            lines.append(f'| `{m}` | ' + ' | '.join(cellv) + f" | {f0(slope(now[-2], now[-1], ns[-2], ns[-1]), '{:.2f}')} |")
        lines.append('')
    for k in keys:
        cell, n, c = res[k], res[k]['n'], res[k]['c']
        old = old_rows(n, c)
        stale = [m for m, r in cell['rows'].items() if r.get('code') and r['code'] != current(m)]
        lines += [f'**n = {n:,}, c = {c}**' + (f" (d = {cell['dim']})" if cell.get('dim', 512) != 512 else '')
                  + (f" (measured with an earlier version of the code: {', '.join(f'`{m}`' for m in stale)})" if stale else '') + (' (each method\'s whole default training: its ACC against k-means\' is the question here; the trained heads\' own, text side on: `many_clusters.md`)' if cell.get('full') else ''), '',
                  '| method | wall s before | wall s now | CPU s before | CPU s now | peak MB before | peak MB now | ACC before | ACC now | the gate | where the time goes now |',
                  '|---|---|---|---|---|---|---|---|---|---|---|']
        kr = cell.get('knn')
        if kr or 'knn' in old:
            o = old.get('knn', {})
            lines.append(f"| shared k-NN table | {f0(o.get('seconds'))} | {f0(kr and kr['seconds'])} | {f0(o.get('cpu_s'))} | {f0(kr and kr['cpu_s'])} | "
                         f"{f0(o.get('peak_mb'))} | {f0(kr and kr['peak_mb'])} | | | | computed once, read by every fit |")
        for m in args.methods:
            r, o = cell['rows'].get(m, {}), old.get(m, {})
            if not r: continue
            if r.get('error'): lines.append(f"| `{m}` | {f0(o.get('seconds'))} | n/f | | | | | | | | {r['error'][-150:]} |"); continue
            gate = '-' if r.get('decision') is None else f"{r['decision']} (on {r['gate_images']:,} images)"
            tm = ', '.join(f'{a} {v:.0f}' for a, v in (r.get('timings') or {}).items() if a != 'total')
            if cell.get('full') and r.get('epochs') == 1 and r.get('projected_s'):
                tm += (f"; one epoch: its whole default schedule ({r['default_epochs']} epochs) would take about "
                       f"{r['projected_s'] / 3600:.1f} h here (the epoch's training time x {r['default_epochs']})")
            lines.append(f"| `{m}` | {f0(o.get('seconds'))} | {f0(r.get('seconds'))} | {f0(o.get('cpu_s'))} | {f0(r.get('cpu_s'))} | "
                         f"{f0(o.get('peak_mb'))} | {f0(r.get('peak_mb'))} | {f0(o.get('acc'), '{:.1%}')} | {f0(r.get('acc'), '{:.1%}')} | {gate} | {tm} |")
        lines.append('')
    Path(args.out + '.md').write_text('\n'.join(lines) + '\n')
    try: plot(by, args)
    except Exception as e: print(f'(no plot: {e})')


def plot(by, args):
    "scale_gated.png: wall seconds of each method's fit against n (log-log), before dashed, now solid, one panel per c."
    import matplotlib; matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    cs = sorted({c for (n, c) in by if sum(1 for (_, cc) in by if cc == c) > 1})
    if not cs: return
    fig, axs = plt.subplots(1, len(cs), figsize=(4.2 * len(cs), 3.2), dpi=72, squeeze=False)
    for ax, c in zip(axs[0], cs):
        ns = sorted(n for n, cc in by if cc == c)
        for i, m in enumerate(args.methods):
            col = f'C{i}'
            new = [(n, by[(n, c)]['rows'].get(m, {}).get('seconds')) for n in ns]
            old = [(n, old_rows(n, c).get(m, {}).get('seconds')) for n in ns]
            for pts, ls, lab in ((new, '-', m), (old, '--', None)):
                pts = [(n, s) for n, s in pts if s]
                if pts: ax.plot(*zip(*pts), ls, color=col, marker='o', ms=3, label=lab)
        ax.set_xscale('log'); ax.set_yscale('log'); ax.set_xlabel('images'); ax.set_title(f'c = {c} (dashed: before)', fontsize=9)
        ax.axhline(600, color='grey', lw=0.5)
    axs[0][0].set_ylabel('fit wall s'); axs[0][-1].legend(fontsize=7)
    fig.tight_layout(); fig.savefig(args.out + '.png'); plt.close(fig)


if __name__ == '__main__':
    main()
