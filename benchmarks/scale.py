"""The scaling study of the published methods (ungated, one epoch): the semantic world (`sic_nb.bench.scale_world`) at
n = 10k, 100k, 1M, d = 512, c = 10 and 100 -> benchmarks/results/scale.{json,md,png}. Resumable (finished stages are kept
in scale.json). The study of every method at its defaults, text gate included, is benchmarks/scale_gated.py.

Stages, each timed with its peak memory rise (`MemoryPeak`):
* k-NN (k = 10, cosine): exact (`sic_nb.ops.knn(method='exact')`) up to 50,000 rows, above that on 1,000 sampled rows
  and scaled by n/1,000 (marked extrapolated); approximate: `sic_nb.ops.knn(method='cells')`, faiss IndexIVFFlat
  (up to 50k rows) and IndexHNSWFlat (up to 200k rows); recall@10 against the exact neighbours of the sampled rows.
* k-means (`sic_nb.ops.kmeans`, one k-means++ restart) and SIC's semantic space as blocks of their own.
* every registered method: fit (one epoch where it has an epoch parameter) and predict on all n rows, with its own
  stage timings. A method whose fit CPU time, extrapolated from the measured sizes, exceeds the budget is not run at
  the next n.

    nice python benchmarks/scale.py                                   # everything (hours on 2 cores; see scale.md)
    python benchmarks/scale.py --scale-n 10000 --scale-c 10 --methods kmeans   # a quick look
    python benchmarks/scale.py --smoke                                # a check of the study's code in seconds (CI)

Long runs in parallel, each in its own folder (one process per scale.json), then one page from all of them:

    nice python benchmarks/scale.py --scale-n 10000,100000 --scale-c 10,100 --out-dir /tmp/scale_small
    nice python benchmarks/scale.py --scale-n 1000000 --scale-c 10 --scale-budget 1e9 --out-dir /tmp/scale_1m
    python benchmarks/scale.py --merge /tmp/scale_small /tmp/scale_1m  # -> benchmarks/results/scale.{json,md,png} + growth table
"""
import re
import hashlib, json, os, sys
from datetime import datetime, timezone
from pathlib import Path
import numpy as np
from sic_nb.bench import MemoryPeak, code_version, results_dir, scale_world, _EPOCH_PARAMS
from sic_nb.files import atomic_write as _atomic_write, atomic_path, write_json


def _timed(fn, *a, **k):
    with MemoryPeak() as m: out = fn(*a, **k)
    return out, m

def _recall(I_approx, I_exact) -> float:
    k = I_exact.shape[1]
    return float(np.mean([len(set(a[:k]) & set(b)) / k for a, b in zip(I_approx, I_exact)]))

def scale_knn(U, k:int=10, n_queries:int=1000, exact_limit:int=50_000, hnsw_limit:int=200_000, ivf_limit:int=50_000, seed:int=0) -> list[dict]:
    "Exact and approximate k-NN of all rows of `U` (see above): seconds, peak MB, recall@k on sampled rows."
    import faiss
    from sic_nb.ops import knn
    n, d = U.shape; rows = []
    qi = np.sort(np.random.default_rng(seed).choice(n, min(n_queries, n), replace=False))
    if n <= exact_limit:
        (S, I), m = _timed(knn, U, k, method='exact')
        rows.append(dict(stage='knn exact (sic_nb.ops.knn)', seconds=m.seconds, cpu_s=m.cpu_seconds, peak_mb=m.peak_mb, recall=1.0))
        Iq = I[qi]; del S, I
    else:
        from sic_nb.ops import exact_topk             # what ops.knn runs, on a sample of query rows
        (_, Iq), m = _timed(exact_topk, U[qi], U, k + 1)        # the sampled rows' exact neighbours: timed, and the recall reference
        f = n / len(qi)
        rows.append(dict(stage='knn exact (sic_nb.ops.knn, sampled queries)', seconds=m.seconds * f, cpu_s=m.cpu_seconds * f,
                         peak_mb=m.peak_mb, recall=1.0, note=f'extrapolated from {len(qi):,} query rows ({m.seconds:.0f} s, {m.cpu_seconds:.0f} CPU s)'))
        Iq = np.stack([r[r != i][:k] for r, i in zip(Iq, qi)])
    (_, I), m = _timed(knn, U, k, method='cells', seed=seed)     # what every method gets above ops.knn's exact_max (50k rows)
    rows.append(dict(stage='knn cells (sic_nb.ops.knn, sqrt(n) capped cells, probe 12)', seconds=m.seconds, cpu_s=m.cpu_seconds, peak_mb=m.peak_mb,
                     recall=_recall(I[qi], Iq)))
    del I
    nlist = int(4 * np.sqrt(n))
    if n > ivf_limit:
        rows.append(dict(stage=f'knn IVF (nlist {nlist}, nprobe 16)', seconds=None,
                         note=f'not run above {ivf_limit:,} rows: training {nlist:,} lists costs more CPU than the cells search'))
    else:
        def ivf_build():
            quant = faiss.IndexFlatIP(d); ix = faiss.IndexIVFFlat(quant, d, nlist, faiss.METRIC_INNER_PRODUCT)
            ix.train(U[np.random.default_rng(seed).choice(n, min(n, 50_000), replace=False)]); ix.add(U); ix.nprobe = 16
            return ix
        ix, mb = _timed(ivf_build)
        sq = np.arange(n) if n <= exact_limit else np.union1d(qi, np.random.default_rng(seed + 2).choice(n, min(n, 100_000), replace=False))
        (_, I), ms = _timed(ix.search, U[sq], k + 1)
        del ix
        f = n / len(sq)
        pos = np.searchsorted(sq, qi)
        Ia = np.stack([r[r != i][:k] for r, i in zip(I[pos], qi)]); del I
        rows.append(dict(stage=f'knn IVF (nlist {nlist}, nprobe 16)', seconds=mb.seconds + ms.seconds * f, cpu_s=mb.cpu_seconds + ms.cpu_seconds * f,
                         peak_mb=max(mb.peak_mb, ms.peak_mb), recall=_recall(Ia, Iq),
                         note=f'build {mb.seconds:.0f} s' + ('' if f == 1 else f'; search of {len(sq):,} sampled rows ({ms.seconds:.0f} s) scaled x{f:.0f}')))
    if n <= hnsw_limit:
        def hnsw():
            ix = faiss.IndexHNSWFlat(d, 32, faiss.METRIC_INNER_PRODUCT); ix.hnsw.efSearch = 64; ix.add(U)
            _, I = ix.search(U, k + 1); return I
        I, m = _timed(hnsw)
        Ia = np.stack([r[r != i][:k] for r, i in zip(I[qi], qi)]); del I
        rows.append(dict(stage='knn HNSW (M 32, efSearch 64)', seconds=m.seconds, cpu_s=m.cpu_seconds, peak_mb=m.peak_mb, recall=_recall(Ia, Iq)))
    else: rows.append(dict(stage='knn HNSW (M 32, efSearch 64)', seconds=None, note=f'not run above {hnsw_limit:,}: graph build too slow on 2 cores'))
    return rows

def scale_methods(U, y, nouns, c:int, methods=None, skip=None, seed:int=0, semantic:bool=False, knn_idx=None) -> list[dict]:
    "k-means (one restart) and every registered method (fit with one epoch where it has epochs, predict on all rows): seconds, peak MB. `knn_idx`: one image k-NN table every method's fit reads (`ClusterMethod.fit`)."
    from sic_nb.ops import kmeans
    from sic_nb.metrics import evaluate
    from sic_nb.registry import METHODS, get_method
    rows = []
    (_, lab), m = _timed(kmeans, U, c, seed=seed, nredo=1)
    rows.append(dict(stage='kmeans (sic_nb.ops, 1 restart)', seconds=m.seconds, cpu_s=m.cpu_seconds, peak_mb=m.peak_mb, acc=evaluate(y, lab)['acc']))
    if semantic:
        from sic_nb.semantic_space import build_semantic_space
        _, m = _timed(build_semantic_space, U, nouns.embeddings, list(nouns.names), c, seed=seed)
        rows.append(dict(stage='semantic space (SIC: build_semantic_space)', seconds=m.seconds, cpu_s=m.cpu_seconds, peak_mb=m.peak_mb))
    cn = [f'class{k}_noun0' for k in range(c)] if 'class0_noun0' in nouns.names else None
    for name in (list(METHODS) if methods is None else methods):
        info = get_method(name)
        if skip and name in skip: rows.append(dict(stage=f'{name} fit', seconds=None, note=skip[name])); continue
        acc_ = info.estimator().get_params()
        p = info.arguments(c, seed, nouns=nouns, class_names=cn, verbose=False)
        ep = [e for e in _EPOCH_PARAMS if e in acc_]
        if ep: p[ep[0]] = 1
        if ep and 'min_steps' in acc_: p['min_steps'] = 1          # one epoch means one pass, not a minimum number of steps
        if 'text_weight' in acc_: p['text_weight'] = 1.0           # one fit of the published method (the default gate fits twice)
        try:
            est, m = _timed(info.make(**p).fit, U, knn_idx=knn_idx)
            row = dict(stage=f'{name} fit' + (' (1 epoch)' if ep else ''), method=name, seconds=m.seconds, cpu_s=m.cpu_seconds, peak_mb=m.peak_mb,
                       acc=evaluate(y, est.labels_)['acc'], timings={k: float(v) for k, v in (getattr(est, 'timings_', None) or {}).items()
                                                                      if isinstance(v, (int, float))})
            rows.append(row)
            pred, m = _timed(est.predict, U)
            rows.append(dict(stage=f'{name} predict', method=name, seconds=m.seconds, cpu_s=m.cpu_seconds, peak_mb=m.peak_mb))
            del est
        except Exception as e:
            rows.append(dict(stage=f'{name} fit', method=name, seconds=None, note=f'{type(e).__name__}: {str(e)[:200]}'))
    return rows

def run_scale(ns=(10_000, 100_000, 1_000_000), cs=(10, 100), dim:int=512, methods=None, out_dir=None, budget:float=900.,
              verbose=True, rerun=False, knn_variants:bool=True, baseline:bool=True) -> list[dict]:
    "The scaling study: k-NN (exact, IVF, HNSW) once per n, k-means and every method per (n, c); writes scale.{json,md,png}. Resumable. `knn_variants=False` skips the k-NN comparison (e.g. a run of c=100 alone, when another run compared them at this n); `baseline=False` skips the one-restart k-means and the semantic space (a run that adds methods to a study whose other run measured them)."
    import gc
    from sic_nb.registry import METHODS, get_method
    out_dir = Path(out_dir) if out_dir is not None else results_dir(); out_dir.mkdir(parents=True, exist_ok=True)
    jp = out_dir / 'scale.json'
    names = list(METHODS) if methods is None else list(methods)
    ver = {nm: code_version(get_method(nm).estimator) for nm in names}
    import sic_nb.ops as _ops
    ver['_ops'] = hashlib.sha256(Path(_ops.__file__).read_bytes()).hexdigest()[:16]
    import sic_nb.semantic_space as _ss
    ver['_blocks'] = hashlib.sha256(Path(_ops.__file__).read_bytes() + Path(_ss.__file__).read_bytes()).hexdigest()[:16]
    old = [] if rerun or not jp.exists() else json.loads(jp.read_text()).get('rows', [])
    rows, last = [], {}
    def have(n, c, group, v):
        got = [r for r in old if (r['n'], r['c'], r['group'], r.get('code')) == (n, c, group, v)]
        rows.extend(got); return bool(got)
    def save():
        write_json(jp, dict(dim=dim, ns=list(ns), cs=list(cs), budget=budget, rows=rows))
        write_scale_report(rows, out_dir, dim, budget)
    tables = {}
    shared_k = max([int(get_method(nm).estimator().get_params().get('k', 0)) for nm in names] + [10])   # the largest k of the methods
    def shared_knn(n, c, U):
        "The image k-NN table every method of (n, c) reads: computed once (timed, its own row), kept on disk for a resumed run."
        if (n, c) in tables: return tables[(n, c)]
        f = out_dir / f'knn_{n}_{c}.npy'
        if f.exists() and any((r['n'], r['c'], r['group']) == (n, c, 'knn_shared') for r in rows): K = np.load(f)   # restored below
        else:
            from sic_nb.ops import knn
            (_, K), m = _timed(knn, U, shared_k)
            rows[:] = [r for r in rows if (r['n'], r['c'], r['group']) != (n, c, 'knn_shared')]
            rows.append(dict(stage=f'knn shared by the methods (sic_nb.ops.knn, k={shared_k})', n=n, c=c, group='knn_shared', code=ver['_ops'],
                             seconds=m.seconds, cpu_s=m.cpu_seconds, peak_mb=m.peak_mb,
                             note=('exact' if n <= 50_000 else 'cells') + '; computed once, every method fit below reads it'))
            with atomic_path(f, suffix='.npy') as tmp: np.save(tmp, K.astype(np.int32))
            save()
        tables.clear(); tables[(n, c)] = K
        return K
    for n in sorted(ns):
        for c in cs:
            U, y, nouns = scale_world(n, c, dim)
            have(n, c, 'knn_shared', ver['_ops'])           # an earlier run's shared table (its row; the file is read when a method needs it)
            if knn_variants and c == cs[0] and not have(n, c, 'knn', ver['_ops']):
                for r in scale_knn(U): rows.append(dict(r, n=n, c=c, group='knn', code=ver['_ops'])); save()
                if verbose: print(f'[scale n={n:,} c={c}] k-NN done', flush=True)
            if baseline and not have(n, c, 'kmeans', ver['_blocks']):
                pts = [(r['n'], r['cpu_s']) for r in rows if r['c'] == c and r['stage'].startswith('semantic space') and r.get('cpu_s')]
                est, how = _extrapolate(pts, n) if pts else (0, '')
                for r in scale_methods(U, y, nouns, c, methods=[], semantic=est <= budget): rows.append(dict(r, n=n, c=c, group='kmeans', code=ver['_blocks']))
                if est > budget: rows.append(dict(stage='semantic space (SIC: build_semantic_space)', seconds=None, n=n, c=c, group='kmeans',
                                                  code=ver['_blocks'], note=f'not run: {how} ≈{est:.0f} CPU s > budget {budget:.0f} CPU s'))
                save()
            for nm in names:
                if have(n, c, nm, ver[nm]): 
                    f = [r for r in rows if (r['n'], r['c'], r['group']) == (n, c, nm) and 'fit' in r['stage'] and r.get('cpu_s')]
                    if f: last.setdefault((nm, c), []).append((n, f[0]['cpu_s']))
                    continue
                skip = None
                if (nm, c) in last:
                    est, how = _extrapolate(last[(nm, c)], n)
                    if est > budget: skip = {nm: f'not run: {how} ≈{est:.0f} CPU s > budget {budget:.0f} CPU s'}
                rs = scale_methods(U, y, nouns, c, methods=[nm], skip=skip, knn_idx=None if skip else shared_knn(n, c, U))[1:]
                for r in rs: rows.append(dict(r, n=n, c=c, group=nm, code=ver[nm]))
                f = [r for r in rs if 'fit' in r['stage'] and r.get('cpu_s')]
                if f: last.setdefault((nm, c), []).append((n, f[0]['cpu_s']))
                save(); gc.collect()
                if verbose: print(f'[scale n={n:,} c={c}] ' + '; '.join(f"{r['stage']} {r['seconds']:.1f}s {r.get('peak_mb', 0):.0f}MB" if r.get('seconds') else f"{r['stage']}: {r.get('note')}" for r in rs), flush=True)
            del U, y; gc.collect()
    save()
    return rows

def _extrapolate(points, n):
    "Fit time at `n` from the measured (n, seconds) points: the growth exponent of the last two (clipped to [1, 2]), else linear."
    n1, s1 = points[-1]
    e = 1.0
    if len(points) >= 2:
        n0, s0 = points[-2]
        if s0 > 0 and n1 > n0: e = float(np.clip(np.log(s1 / s0) / np.log(n1 / n0), 1, 2))
    return s1 * (n / n1) ** e, f'{s1:.0f} CPU s at n={n1:,} grows as n^{e:.2f} to'

def write_scale_report(rows, out_dir, dim=512, budget=900.):
    "scale.md (one table per n: stage, c, seconds, CPU s, peak MB, recall / ACC, notes) and scale.png (log-log seconds vs n)."
    out_dir = Path(out_dir)
    md = ['# Scaling on the semantic world', '', f"Generated by `python benchmarks/scale.py` ({datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC), "
          f"d = {dim}, {os.cpu_count()} CPU cores shared with other jobs (times are upper bounds), {_mem_total_gb():.0f} GiB memory. "
          f"Peak MB = rise of resident memory during the stage (the {dim}-d float32 data itself, 2 GB at 1M, is not counted). "
          "ACC (report only) is on the fitted rows; for one-epoch fits it measures nothing about the method's quality. "
          "The methods of each (n, c) read one image k-NN table (`fit(X, knn_idx=...)`), computed once and timed in its own row "
          "('knn shared by the methods'); their fit times exclude it (rows measured before that table existed include each method's own k-NN). "
          "Each method is fitted once as published (`text_weight=1`): the default text gate would add a second fit.", '']
    for n in sorted({r['n'] for r in rows}):
        md += [f'**n = {n:,}**', '', '| stage | c | seconds | CPU s | peak MB | recall@10 / ACC | method timings / note |', '|---|---|---|---|---|---|---|']
        for r in [r for r in rows if r['n'] == n]:
            sec = 'n/a' if r.get('seconds') is None else f"{r['seconds']:.1f}"
            q = f"recall {r['recall']:.3f}" if 'recall' in r and r['recall'] is not None else (f"ACC {100 * r['acc']:.1f}" if r.get('acc') is not None else '')
            tm = ', '.join(f'{k} {v:.1f}s' for k, v in (r.get('timings') or {}).items())
            cpu = '' if r.get('cpu_s') is None else f"{r['cpu_s']:.1f}"
            pk = '' if r.get('peak_mb') is None else f"{r['peak_mb']:.0f}"
            note = '; '.join(x for x in (tm, r.get('note', '')) if x)
            md.append(f"| {r['stage']} | {r['c']} | {sec} | {cpu} | {pk} | {q} | {note} |")
        md.append('')
    md += ['![scale](scale.png)', '']
    _atomic_write(out_dir / 'scale.md', '\n'.join(md))
    try:
        import matplotlib; matplotlib.use('Agg', force=False)
        import matplotlib.pyplot as plt
        fig, ax = plt.subplots(figsize=(9, 4.6))
        stages = []
        for r in rows:
            if r.get('seconds') and r['stage'] not in stages: stages.append(r['stage'])
        for j, st in enumerate(stages):
            label = st   # on the stage's first line only (some stages exist only at c = 100)
            for c, ls in zip(sorted({r['c'] for r in rows}), ['-', '--', ':']):
                pts = sorted((r['n'], r['seconds']) for r in rows if r['stage'] == st and r['c'] == c and r.get('seconds'))
                if pts: ax.plot(*zip(*pts), ls, marker='osD^v'[j // 10 % 5], ms=3, color=f'C{j % 10}', label=label); label = None
        ax.set_xscale('log'); ax.set_yscale('log'); ax.set_xlabel('n images'); ax.set_ylabel('seconds'); ax.grid(alpha=.3, which='both')
        ax.set_title('cost vs n (solid c=10, dashed c=100)', fontsize=8); ax.legend(fontsize=6, loc='upper left', bbox_to_anchor=(1.01, 1), ncol=1)   # beside the axes, not over the lines
        fig.tight_layout(); fig.savefig(out_dir / 'scale.png', dpi=90, bbox_inches='tight'); plt.close(fig)
    except Exception as e: print('scale plot failed:', e)

def _mem_total_gb():
    try: return os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30
    except (ValueError, OSError, AttributeError): return float('nan')


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


def smoke():
    "The study's code on a tiny world (seconds): every stage runs, recalls are sane, a rerun resumes, the report is written."
    import tempfile
    sd = Path(tempfile.mkdtemp())
    rows = run_scale(ns=[2000], cs=[4], dim=32, methods=['kmeans'], out_dir=sd, verbose=False)
    assert {r['stage'].split(' (')[0] for r in rows} >= {'knn exact', 'knn cells', 'knn IVF', 'knn HNSW', 'kmeans', 'kmeans fit', 'kmeans predict'}
    assert next(r for r in rows if r['stage'].startswith('knn IVF'))['recall'] > 0.5
    assert next(r for r in rows if r['stage'].startswith('knn cells'))['recall'] > 0.5
    assert (sd / 'scale.md').exists() and (sd / 'scale.png').exists()
    big = scale_knn(scale_world(3000, 4, 32)[0], exact_limit=1000, hnsw_limit=1000)     # the path taken above 200k rows
    assert [r['stage'].split(' (')[0] for r in big] == ['knn exact', 'knn cells', 'knn IVF', 'knn HNSW'] and 'extrapolated' in big[0]['note']
    assert big[3]['seconds'] is None
    big = scale_knn(scale_world(3000, 4, 32)[0], exact_limit=1000, hnsw_limit=1000, ivf_limit=1000)   # IVF skipped too (1M)
    assert [r['seconds'] is None for r in big] == [False, False, True, True]
    assert len(run_scale(ns=[2000], cs=[4], dim=32, methods=['kmeans'], out_dir=sd, verbose=False)) == len(rows)   # resumed
    print('scale study: smoke check passed')


def main(argv=None) -> int:
    import argparse
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--methods', default=None, help="registry names separated by ',' (default: every registered method)")
    p.add_argument('--scale-n', default='10000,100000,1000000', help='numbers of images')
    p.add_argument('--scale-c', default='10,100', help='numbers of classes')
    p.add_argument('--scale-budget', type=float, default=900., help='skip a method at the next n when its extrapolated fit CPU time exceeds this (s)')
    p.add_argument('--scale-skip-knn', action='store_true', help='skip the k-NN comparison (the shared table every method reads is still computed)')
    p.add_argument('--scale-skip-baseline', action='store_true', help='skip the one-restart k-means and the semantic space')
    p.add_argument('--out-dir', default=None, help='results folder (default: benchmarks/results)')
    p.add_argument('--quiet', action='store_true')
    p.add_argument('--merge', nargs='+', metavar='DIR', help='merge the scale.json of these folders into one page')
    p.add_argument('--smoke', action='store_true', help='check the code on a tiny world (seconds)')
    a = p.parse_args(argv)
    if a.smoke: smoke(); return 0
    if a.merge: merge(a.merge, a.out_dir); return 0
    run_scale(ns=[int(x) for x in a.scale_n.split(',')], cs=[int(x) for x in a.scale_c.split(',')],
              methods=[m.strip() for m in a.methods.split(',')] if a.methods else None,
              out_dir=Path(a.out_dir) if a.out_dir else results_dir(), budget=a.scale_budget, verbose=not a.quiet,
              knn_variants=not a.scale_skip_knn, baseline=not a.scale_skip_baseline)
    return 0


if __name__ == '__main__':
    sys.exit(main())
