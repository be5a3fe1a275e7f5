"""TAC's noun selection at scale: the image centers (L = n/300) from a flat spherical k-means (the former way; its cost grows as
n·L, i.e. n^2) against `sic_nb.ops.tree_kmeans` (n·log L, the default above 128 centers), on the semantic world at 10k / 100k / 1M
x 512 (c = 10, its 550 nouns) and on all 60,000 Fashion-MNIST training images (imagenet-wordnet 96 px, 1,860 nouns). Seconds of
`select_nouns` (wall, CPU), the growth slope between sizes, and the overlap of the kept noun sets (|A and B| / |A or B|).
Writes benchmarks/results/noun_selection_scale.{md,json}.

    python benchmarks/noun_selection_scale.py                      # flat up to 100k (1M flat: 1,444 s in scale.md, not rerun)
    python benchmarks/noun_selection_scale.py --flat-max-n 1000000  # also the flat way at 1M
"""
import argparse, json, time
from pathlib import Path
import numpy as np

OUT = Path(__file__).resolve().parents[1] / 'benchmarks' / 'results'


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--ns', nargs='+', type=int, default=[10_000, 100_000, 1_000_000])
    ap.add_argument('--flat-max-n', type=int, default=100_000)
    ap.add_argument('--out', default=str(OUT / 'noun_selection_scale'))
    args = ap.parse_args(argv)
    from sic_nb.bench import scale_world
    from sic_nb.text_side import select_nouns, n_centers_for
    from sic_nb.ops import cpu_info
    from sic_nb.files import atomic_write
    jp = Path(args.out + '.json')
    res = json.loads(jp.read_text()) if jp.exists() else {}
    sets = [(f'world {n:,}', n) for n in args.ns] + [('fashion-mnist 60,000', None)]
    for name, n in sets:
        if n is None:
            from sic_nb.data import load_source
            from sic_nb.features import get_backend, extract_features, noun_features
            be = get_backend('imagenet-wordnet', image_size=96)
            U, nz = extract_features(load_source('fashion-mnist', split='train'), be, verbose=False), noun_features(be, verbose=False)
        else: U, _, nz = scale_world(n, n_classes=10, dim=512, seed=0)
        cell = res.setdefault(name, dict(n=len(U), L=n_centers_for(len(U), 10), m=len(nz)))
        for how, flat_max, seed in (('tree', 128, 0), ('flat', None, 0), ('flat seed 1', None, 1)):
            if how in cell or (how.startswith('flat') and len(U) > args.flat_max_n): continue
            t, tc = time.perf_counter(), time.process_time()
            keep = select_nouns(U, nz, n_clusters=10, seed=seed, flat_max=flat_max)
            cell[how] = dict(wall=time.perf_counter() - t, cpu=time.process_time() - tc, keep=[int(i) for i in keep])
            print(f"[{name}] {how}: {len(keep)} nouns in {cell[how]['wall']:.1f}s", flush=True)
            res['_machine'] = cpu_info()
            atomic_write(jp, json.dumps(res, indent=1))   # whole or not at all: a cut run resumes from it
        if n == 100_000 and 'tac_notrain_acc' not in cell:       # what the other nouns change downstream: TAC no-train's ACC
            from sic_nb.tac import TACNoTrain
            from sic_nb.metrics import evaluate
            y = scale_world(n, n_classes=10, dim=512, seed=0)[1]
            cell['tac_notrain_acc'] = {how: evaluate(y, TACNoTrain(n_clusters=10, text_weight=1.0, select_flat_max=fm, verbose=False)
                                                     .fit(U, nouns=nz).labels_)['acc'] for how, fm in (('tree', 128), ('flat', None))}
            print(f"[{name}] TAC no-train ACC: {cell['tac_notrain_acc']}", flush=True)
            atomic_write(jp, json.dumps(res, indent=1))   # whole or not at all: a cut run resumes from it
        del U
    lines = ['# TAC noun selection at scale: flat k-means against the k-means tree', '', '`python benchmarks/noun_selection_scale.py`. '
             '`sic_nb.text_side.select_nouns` (L = n/300 spherical centers on 64 L sampled rows, 20 iterations, the 5 most confident nouns '
             'per center): the centers from one flat k-means (`flat_max=None`) or from `tree_kmeans` (branch 32; the default above '
             '128 centers). Wall and CPU seconds on 2 cores; overlap = |kept by both| / |kept by either|.', '',
             f"Machine: {res.get('_machine')}", '',
             '| data | n | L | nouns | tree s (CPU s) | flat s (CPU s) | kept: tree / flat | overlap tree-flat | overlap flat seed 0-seed 1 | TAC no-train ACC tree / flat |',
             '|---|---|---|---|---|---|---|---|---|---|']
    for name, cl in res.items():
        if name.startswith('_'): continue
        tr, fl = cl.get('tree'), cl.get('flat')
        J = lambda a, b: f"{len(set(a['keep']) & set(b['keep'])) / len(set(a['keep']) | set(b['keep'])):.3f}" if a and b else '-'
        ov, ov1 = J(tr, fl), J(fl, cl.get('flat seed 1'))
        acc = cl.get('tac_notrain_acc'); acc = f"{100 * acc['tree']:.1f} / {100 * acc['flat']:.1f}" if acc else '-'
        f = lambda r: f"{r['wall']:.1f} ({r['cpu']:.1f})" if r else 'not run'
        lines.append(f"| {name} | {cl['n']:,} | {cl['L']} | {cl['m']} | {f(tr)} | {f(fl)} | {len(tr['keep']) if tr else '-'} / "
                     f"{len(fl['keep']) if fl else '-'} | {ov} | {ov1} | {acc} |")
    w = [(cl['n'], cl['tree']['wall']) for k, cl in res.items() if k.startswith('world') and cl.get('tree')]
    w.sort()
    if len(w) > 1:
        lines += ['', 'Growth slope of the tree (log seconds / log n): ' + ', '.join(
            f"{a[0]:,} -> {b[0]:,}: {np.log(b[1] / a[1]) / np.log(b[0] / a[0]):.2f}" for a, b in zip(w, w[1:]))]
    Path(args.out + '.md').write_text('\n'.join(lines) + '\n')
    print('\n'.join(lines))


if __name__ == '__main__':
    main()
