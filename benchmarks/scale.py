"""Thin wrapper for the scaling study of sic_nb.bench (nbs/10_bench.ipynb): the semantic world at n = 10k, 100k, 1M,
d = 512, c = 10 and 100 -> benchmarks/results/scale.{json,md,png}. Resumable (finished stages are kept in scale.json).

    nice python benchmarks/scale.py                                   # everything (hours on 2 cores; see scale.md)
    python benchmarks/scale.py --scale-n 10000 --scale-c 10 --methods kmeans   # a quick look

Long runs in parallel, each in its own folder (one process per scale.json), then one page from all of them:

    nice python benchmarks/scale.py --scale-n 10000,100000 --scale-c 10,100 --out-dir /tmp/scale_small
    nice python benchmarks/scale.py --scale-n 1000000 --scale-c 10 --scale-budget 1e9 --out-dir /tmp/scale_1m
    python benchmarks/scale.py --merge /tmp/scale_small /tmp/scale_1m  # -> benchmarks/results/scale.{json,md,png} + growth table
"""
import sys, re, json
from pathlib import Path
import numpy as np
from sic_nb.bench import bench_main, write_scale_report, results_dir, _atomic_write


def _stage_costs(rows):
    "{(stage, c): {n: cpu_s}} for every timed stage, with each method's own stage timings (seconds) as 'method: stage'."
    out = {}
    for r in rows:
        st = r['stage'].replace(', sampled queries', '')                     # exact k-NN: all rows below 50k, sampled rows (scaled) above
        if r.get('cpu_s') is not None: out.setdefault((st, r['c']), {})[r['n']] = r['cpu_s']
        for k, v in (r.get('timings') or {}).items():
            if k != 'total' and v and v >= 0.01: out.setdefault((f"{r.get('method', r['stage'])}: {k} (wall s)", r['c']), {})[r['n']] = v
    return out


def growth_section(rows) -> str:
    "Markdown: each stage's cost at every n and its growth exponent between consecutive n (log-log slope), plus the peak memory at the largest n."
    ns = sorted({r['n'] for r in rows})
    md = ['## How each stage grows', '',
          'CPU-s of the process for whole stages (wall seconds for a method\'s own stage timings, marked), and the log-log slope between '
          'consecutive n (1 = linear, 2 = quadratic). Stages missing at an n did not run or did not finish (see the tables above). '
          'Where a method fit read the shared k-NN table (its cost is the "knn shared" row; session 4, the 1M rows) its own k-NN is '
          'not in its fit, while the 10k and 100k fits (session 3) mined their own: compare the methods\' own stages (wall s rows) '
          'across n rather than their whole fits.', '',
          '| stage | c | ' + ' | '.join(f'{n:,}' for n in ns) + ' | slopes |', '|---|---|' + '---|' * len(ns) + '---|']
    for (st, c), v in sorted(_stage_costs(rows).items(), key=lambda kv: (kv[0][1], kv[0][0])):
        if len(v) < 2 and max(v) != max(ns): continue
        pts = sorted(v.items())
        sl = [f'{np.log(b[1] / a[1]) / np.log(b[0] / a[0]):.2f}' for a, b in zip(pts, pts[1:]) if a[1] > 0 and b[1] > 0]
        md.append(f'| {st} | {c} | ' + ' | '.join((f'{v[n]:.1f}' if v[n] >= 1 else f'{v[n]:.2f}') if n in v else '' for n in ns) + f" | {', '.join(sl)} |")
    big = [r for r in rows if r['n'] == max(ns) and r.get('peak_mb') is not None]
    if big:
        top = max(big, key=lambda r: r['peak_mb'])
        slow = max((r for r in big if r.get('cpu_s') is not None), key=lambda r: r['cpu_s'], default=None)
        md += ['', f"At n = {max(ns):,}: the largest memory rise is {top['peak_mb']:,.0f} MB ({top['stage']}), on top of the "
               f"{max(ns) * 512 * 4 / 2**30:.1f} GiB of features"
               + (f"; the most CPU is {slow['cpu_s']:,.0f} CPU-s ({slow['stage']})." if slow else '.')]
    return '\n'.join(md) + '\n'


def _method_of(r):
    "(n, c, method) of a method's fit or predict row ('tac fit (1 epoch)', 'tac fit' not run, 'tac predict'), else None."
    g = r.get('group')
    return (r['n'], r['c'], g) if g and re.match(rf'{re.escape(g)} (fit|predict)\b', r['stage']) else None


def merge(dirs, out_dir=None):
    "Union of the rows of several scale.json -> one scale.{json,md,png}. A later folder wins for the same n, c and stage, and replaces every earlier row of a group (n, c, method) it holds (e.g. a method's 'not run' row)."
    out_dir = Path(out_dir) if out_dir else results_dir()
    rows, meta = {}, {}
    for d in dirs:
        if not (Path(d) / 'scale.json').exists(): print(f'{d}: no scale.json yet, skipped'); continue
        js = json.loads((Path(d) / 'scale.json').read_text())
        meta = {k: v for k, v in js.items() if k != 'rows'} | meta
        held = {_method_of(r) for r in js['rows']} - {None}
        rows = {k: r for k, r in rows.items() if _method_of(r) not in held}
        for r in js['rows']:
            r = dict(r, stage=r['stage'].replace('sqrt(n) cells, probe 8', 'sqrt(n) cells capped at 6x the mean, probe 12')
                     .replace('sqrt(n) capped cells, probe 12', 'sqrt(n) cells capped at 6x the mean, probe 12'))   # one name per stage
            rows[(r['n'], r['c'], r['stage'])] = r
    rows = sorted(rows.values(), key=lambda r: (r['n'], r['c']))
    meta['ns'] = sorted({r['n'] for r in rows}); meta['cs'] = sorted({r['c'] for r in rows})
    _atomic_write(out_dir / 'scale.json', json.dumps(dict(meta, rows=rows), indent=1))
    write_scale_report(rows, out_dir, meta.get('dim', 512), meta.get('budget', 900.))
    md = (out_dir / 'scale.md').read_text()
    _atomic_write(out_dir / 'scale.md', md.replace('![scale](scale.png)', growth_section(rows) + '\n![scale](scale.png)'))
    return rows


if __name__ == '__main__':
    if len(sys.argv) > 1 and sys.argv[1] == '--merge':
        merge(sys.argv[2:]); sys.exit(0)
    sys.exit(bench_main(['--scale'] + sys.argv[1:]))
