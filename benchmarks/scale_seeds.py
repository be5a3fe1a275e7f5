"""Where the scaling study's ACC moved by more than half a point against its earlier figures (`scale.json`), is it the new code
or the seed? Each setting is fitted at several seeds two ways, each in its own process: *now* (the library as it is) and
*before* (the same library with the two earlier paths it still offers: k-means restarts on every row, `kmeans(sample=None)`,
wherever k-means runs, and one-level noun selection, `select_nouns(flat_max=None)`). The methods with a text gate run with it
set (`--text-weight`, default 1: the earlier study's published fits); `auto` gives the default, the gate included. Labels
only score. Writes benchmarks/results/scale_seeds.{md,json}; resumes from the JSON.

    python benchmarks/scale_seeds.py
    python benchmarks/scale_seeds.py --settings 1000000:100:relational-notrain --modes now --seeds 0 --text-weight 1
    python benchmarks/scale_seeds.py --smoke      # CI: 3,000 images, c = 5, two seeds, into a temporary folder
"""
import argparse, json, subprocess, sys, time
from pathlib import Path
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / 'benchmarks' / 'results'
SETTINGS = '100000:10:relational-notrain'        # k-means at 100,000, c = 100: kmeans_scale.md (five seeds, both ways)


def text_weight_for(method, arg):
    "The `text_weight` a fit of `method` gets from `--text-weight` (`arg`): None for a method without a text side."
    from sic_nb.registry import get_method
    if 'text_weight' not in get_method(method).estimator().get_params(): return None
    return arg if arg == 'auto' else float(arg)


def one(n, c, method, mode, seeds, text_weight, cache):
    "Fit `method` at each seed in this process (`mode` 'before': the earlier k-means and noun-selection paths); yields rows."
    from scale_gated import shared_table
    import sic_nb.ops as ops, sic_nb.text_side as ts
    from sic_nb.bench import scale_world, code_version
    from sic_nb.registry import get_method
    from sic_nb.metrics import evaluate
    if mode == 'before':
        import sic_nb.relational as rel, sic_nb.tac as tac
        ops.kmeans_sample_size = lambda n, k: n                 # `kmeans` reads it at each call: every k-means restarts on all rows
        select = ts.select_nouns                                # one level whatever the caller passes (TAC passes its own flat_max)
        for mod in (rel, tac): mod.select_nouns = lambda *a, **kw: select(*a, **{**kw, 'flat_max': None})
    U, y, nouns = scale_world(n, c, 512)
    K, _ = shared_table(n, c, U, cache)
    info = get_method(method)
    params, tw = info.estimator().get_params(), text_weight_for(method, text_weight)
    for s in seeds:
        p = {k: v for k, v in dict(n_clusters=c, random_state=s, nouns=nouns, verbose=False, text_weight=tw).items() if k in params}
        est = info.make(**p)
        t = time.time(); est.fit(U, knn_idx=K); sec = time.time() - t
        g = est.text_gate() if getattr(est, 'text_gauge_', None) is not None else None
        yield dict(n=n, c=c, method=method, mode=mode, seed=s, text_weight=p.get('text_weight'), seconds=sec,
                   acc=evaluate(y, est.labels_)['acc'], decision=g and g['decision'], code=code_version(info.estimator))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--settings', default=SETTINGS, help='n:c:method, comma-separated')
    ap.add_argument('--seeds', default='0,1,2,3,4')
    ap.add_argument('--modes', default='now,before', help="'now', 'before' or both, comma-separated ('' only writes the page)")
    ap.add_argument('--text-weight', default='1', help="the gated methods' text_weight: a number, or auto (the default)")
    ap.add_argument('--one', nargs=5, default=None, help=argparse.SUPPRESS)     # the child: n c method mode seeds
    ap.add_argument('--cache', default=None)
    ap.add_argument('--out', default=str(OUT / 'scale_seeds'))
    ap.add_argument('--smoke', action='store_true', help='a small run into a temporary folder, checked (CI)')
    args = ap.parse_args(argv)
    if args.smoke:
        import tempfile
        tmp = tempfile.mkdtemp(prefix='scale_seeds_')
        args.settings, args.seeds, args.modes, args.out, args.cache = '3000:5:relational-notrain,3000:5:kmeans', '0,1', 'now,before', f'{tmp}/ss', tmp
    if args.cache is None:
        from sic_nb.bench import bench_cache_dir
        args.cache = str(bench_cache_dir() / 'scale')
    if args.one:
        n, c, m, mode, seeds = args.one
        for r in one(int(n), int(c), m, mode, [int(s) for s in seeds.split(',')], args.text_weight, args.cache): print('ROW ' + json.dumps(r), flush=True)
        return
    from sic_nb.files import atomic_write
    from sic_nb.ops import cpu_info
    jp = Path(args.out + '.json')
    res = json.loads(jp.read_text()) if jp.exists() else dict(rows=[])
    key = lambda r: (r['n'], r['c'], r['method'], r['mode'], r['seed'], str(r['text_weight']))
    have = {key(r) for r in res['rows']}
    for st in args.settings.split(','):
        n, c, m = st.split(':'); n, c = int(n), int(c)
        for mode in [m for m in args.modes.split(',') if m]:
            tw = text_weight_for(m, args.text_weight)
            seeds = [s for s in args.seeds.split(',') if (n, c, m, mode, int(s), str(tw)) not in have]
            if not seeds: continue
            p = subprocess.run([sys.executable, __file__, '--one', str(n), str(c), m, mode, ','.join(seeds), '--text-weight', args.text_weight,
                                '--cache', args.cache], capture_output=True, text=True)
            got = [json.loads(x[4:]) for x in p.stdout.splitlines() if x.startswith('ROW ')]
            if p.returncode != 0: print(p.stderr[-600:], file=sys.stderr)
            res['rows'] += got
            for r in got: print(f"{n} {c} {m} {mode} seed {r['seed']}: {100 * r['acc']:.2f} ({r['seconds']:.0f} s)", flush=True)
            res['_machine'] = cpu_info()
            atomic_write(jp, json.dumps(res, indent=1)); write_report(res, args)
    write_report(res, args)
    if args.smoke:                     # each setting, mode and seed fitted once, and the page has a table per setting
        got = sorted((r['method'], r['mode'], r['seed']) for r in json.loads(jp.read_text())['rows'])
        want = sorted((m, mode, s) for m in ('relational-notrain', 'kmeans') for mode in ('now', 'before') for s in (0, 1))
        page = Path(args.out + '.md').read_text()
        if got != want or page.count('| mean |') != 2: raise SystemExit(f'smoke: rows {got}, page: {page[-600:]}')
        print('smoke ok:', len(got), 'fits')


def write_report(res, args):
    from scale_gated import old_rows
    now = json.loads((OUT / 'scale_gated.json').read_text()) if (OUT / 'scale_gated.json').exists() else {}
    lines = ['# The scaling study\'s ACC moves: the code or the seed?', '',
             '`python benchmarks/scale_seeds.py`: the settings where `scale_gated.md` (the library now, seed 0, gate included) is more than '
             'half a point from the earlier study (`scale.json`, seed 0, the published fits `text_weight=1`), fitted at the seeds each table '
             'lists, *now* and, where its column is there, *before* (the same library with its two earlier paths, each still an option: k-means restarts on every row, '
             '`kmeans(sample=None)`, wherever k-means runs; one-level noun selection, `select_nouns(flat_max=None)`). ACC in % (labels '
             'only score). k-means at 100,000, c = 100 has the same comparison, five seeds both ways, in `kmeans_scale.md`.', '', f"Machine: {res.get('_machine')}", '']
    groups = {}
    for r in res['rows']: groups.setdefault((r['n'], r['c'], r['method'], str(r['text_weight'])), []).append(r)
    for (n, c, m, tw), rs in groups.items():
        seeds = sorted({r['seed'] for r in rs}); modes = [x for x in ('now', 'before') if any(r['mode'] == x for r in rs)]
        o = old_rows(n, c).get(m, {}).get('acc')
        g = now.get(f'n={n} c={c}', {}).get('rows', {}).get(m, {})
        lines += [f"**n = {n:,}, c = {c}, `{m}`**" + ('' if tw == 'None' else f" (`text_weight={tw}`)") + ': the earlier study '
                  + (f"{100 * o:.1f}" if o is not None else '-') + ', the study now (defaults) ' + (f"{100 * g['acc']:.1f}" if g.get('acc') is not None else '-'), '',
                  '| seed | ' + ' | '.join(modes) + ' |', '|---|' + '---|' * len(modes)]
        at = {(r['mode'], r['seed']): r for r in rs}
        for s in seeds:
            lines.append(f'| {s} | ' + ' | '.join(f"{100 * at[(x, s)]['acc']:.2f}" + (f" ({at[(x, s)]['decision']})" if at[(x, s)].get('decision') not in (None, 'set by text_weight') else '')
                                                  if (x, s) in at else '-' for x in modes) + ' |')
        means = [np.mean([at[(x, s)]['acc'] for s in seeds if (x, s) in at]) for x in modes]
        lines += ['| mean | ' + ' | '.join(f'{100 * v:.2f}' for v in means) + ' |', '']
    from sic_nb.files import atomic_write
    atomic_write(Path(args.out + '.md'), '\n'.join(lines) + '\n')


if __name__ == '__main__':
    main()
