"""SIC benchmark: k-means vs SIC-1/2/3 (train split -> test split), mean ± std over seeds.

Data: the synthetic semantic world (sic_nb.world; one world per seed), scikit-learn digits (70/30 split) and a
Fashion-MNIST subset, both embedded with the offline `imagenet-wordnet` backend (features cached by sic_nb.features).
Labels are used only to score the test assignments; every method is fitted without them.

    python benchmarks/sic.py                      # all datasets, 5 seeds, writes benchmarks/results/sic.md
    python benchmarks/sic.py --datasets world --seeds 2 --epochs 20 --out /tmp/sic.md   # quick check
"""
import argparse, os, platform, sys, time
from datetime import datetime, timezone
import numpy as np
import torch

from sic_nb.metrics import evaluate
from sic_nb.registry import run_method
from sic_nb.train import pair_accuracy
from sic_nb.features import Nouns

METHODS = [('k-means', 'kmeans', None), ('SIC-1', 'sic', 'sic1'), ('SIC-2', 'sic', 'sic2'), ('SIC-3', 'sic', 'sic3')]
ABLATIONS = [('SIC-3 full', {}), ('no L_I', dict(use_consistency=False)), ('no L_IS', dict(use_semantic=False)),
             ('no balance', dict(use_balance=False)), ('selection=loss', dict(selection='loss'))]


def load_world(seed):
    from sic_nb.world import make_world
    w = make_world(seed=seed)
    tr, te = w.split(test_frac=0.3, seed=seed)
    return dict(Xtr=tr.U, Xte=te.U, yte=te.y, V=w.V, names=list(w.noun_names), ids=None, pairs=w.confusable_pairs,
                desc=f"make_world(seed=s), 70/30 split: {len(tr.y)} train / {len(te.y)} test, d={w.U.shape[1]}, {len(w.V)} nouns")


_REAL = {}
def _features(src, be, n, args):
    "Cached features from sic_nb.features; a precomputed .npz in --features-dir (same image ids) is used if present."
    from sic_nb.features import extract_features
    if args.features_dir:
        f = os.path.join(args.features_dir, f'{src.name}-{src.split}-{n}.npz')
        if os.path.exists(f):
            z = np.load(f)
            if [str(i) for i in z['ids']] == [str(i) for i in src.ids]: return z['X']
    try: return extract_features(src, be, verbose=args.verbose)
    except TypeError as e:   # a broken cache must not stop the benchmark: recompute without it
        print(f'warning: feature cache failed ({e}); computing without cache', flush=True)
        return extract_features(src, be, verbose=args.verbose, use_cache=False)


def _nouns(be, args):
    from sic_nb.features import noun_features
    try: return noun_features(be, verbose=args.verbose)
    except TypeError as e:
        print(f'warning: noun cache failed ({e}); embedding the vocabulary directly', flush=True)
        syn = list(be.vocabulary())
        return syn, [be.lemma(s) for s in syn], be.encode_nouns(syn)


def load_real(name, args):
    if name in _REAL: return _REAL[name]
    from sic_nb.data import load_source
    from sic_nb.features import get_backend
    be = get_backend('imagenet-wordnet')
    n_tr = args.n_train if name == 'fashion-mnist' else None
    n_te = args.n_test if name == 'fashion-mnist' else None
    tr = load_source(name, split='train', **(dict(n=n_tr, seed=0) if n_tr else {}))
    te = load_source(name, split='test', **(dict(n=n_te, seed=0) if n_te else {}))
    t0 = time.time()
    Xtr, Xte = _features(tr, be, n_tr, args), _features(te, be, n_te, args)
    syn, lem, V = _nouns(be, args)
    print(f'[{name}] features {Xtr.shape} / {Xte.shape}, nouns {V.shape} in {time.time() - t0:.0f}s', flush=True)
    _REAL[name] = dict(Xtr=Xtr, Xte=Xte, yte=np.asarray(te.labels), V=V, names=list(lem), ids=list(syn), pairs=None,
                       desc=f"{be.id}: {len(tr)} train / {len(te)} test images, d={Xtr.shape[1]}, {len(V)} nouns")
    return _REAL[name]


def run_dataset(name, seeds, args, methods=METHODS, extra=None):
    rows = {}
    desc = None
    for s in seeds:
        d = load_world(s) if name == 'world' else load_real(name, args)
        desc = d['desc']
        for label, method, mapping in methods:
            kw = {} if method == 'kmeans' else dict(epochs=args.epochs, lr=args.lr, mapping=mapping or 'sic3', **(extra or {}).get(label, {}))
            r = run_method(method, d['Xtr'], d['Xte'], nouns=Nouns.from_arrays(d['V'], d['names'], d['ids']), n_clusters=len(np.unique(d['yte'])),
                           seed=s, verbose=False, **kw)
            m = evaluate(d['yte'], r['pred_test'])
            if d['pairs'] is not None: m['pairs'] = pair_accuracy(d['yte'], r['pred_test'], d['pairs'])
            m['seconds'] = r['seconds']
            rows.setdefault(label, []).append(m)
            print(f'[{name}] seed {s} {label:15s} ' + ' '.join(f'{k}={v:.3f}' for k, v in m.items()) +
                  (f"  names={r['names'][:5]}" if s == seeds[0] else ''), flush=True)
    return rows, desc


def table(rows, title):
    keys = [k for k in ['acc', 'nmi', 'ari', 'pairs'] if k in next(iter(rows.values()))[0]]
    head = '| method | ' + ' | '.join(k.upper() if k != 'pairs' else 'ACC on confusable pairs' for k in keys) + ' | train+assign s |'
    lines = [f'**{title}**', '', head, '|' + '---|' * (len(keys) + 2)]
    for label, rs in rows.items():
        cells = [f"{100 * np.mean([r[k] for r in rs]):.1f} ± {100 * np.std([r[k] for r in rs]):.1f}" for k in keys]
        sec = np.mean([r['seconds'] for r in rs])
        lines.append(f'| {label} | ' + ' | '.join(cells) + f' | {sec:.1f} |')
    return '\n'.join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--datasets', default='world,digits,fashion-mnist')
    ap.add_argument('--seeds', type=int, default=5)
    ap.add_argument('--epochs', type=int, default=100)
    ap.add_argument('--lr', type=float, default=1e-2)
    ap.add_argument('--n-train', type=int, default=5000, help='Fashion-MNIST train subset (seeded, fixed across runs)')
    ap.add_argument('--n-test', type=int, default=5000, help='Fashion-MNIST test subset')
    ap.add_argument('--features-dir', default=None, help='optional folder of precomputed <name>-<split>-<n>.npz (X, y, ids)')
    ap.add_argument('--no-ablation', action='store_true', help='skip the loss ablation on the world')
    ap.add_argument('--out', default=os.path.join(os.path.dirname(os.path.abspath(__file__)), 'results', 'sic.md'))
    ap.add_argument('--append', action='store_true', help='append the tables (with their own header) to --out instead of replacing it')
    ap.add_argument('--verbose', action='store_true')
    args = ap.parse_args(argv)
    seeds = list(range(args.seeds))
    t_all = time.time()
    sections = []
    for name in [s.strip() for s in args.datasets.split(',') if s.strip()]:
        rows, desc = run_dataset(name, seeds, args)
        t = table(rows, f'{name} — {desc}')
        print('\n' + t + '\n', flush=True); sections.append(t)
        if name == 'world' and not args.no_ablation:
            abl = [(lab, 'sic', 'sic3') for lab, _ in ABLATIONS]
            rows, desc = run_dataset(name, seeds, args, methods=abl, extra=dict(ABLATIONS))
            t = table(rows, f'{name} — loss ablation (SIC-3; paper table 4 setup)')
            print('\n' + t + '\n', flush=True); sections.append(t)
    header = f"""# SIC benchmark (k-means vs SIC-1/2/3)

Generated by `python benchmarks/sic.py {' '.join(sys.argv[1:] if argv is None else argv)}` on {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC,
{platform.machine()} CPU ({os.cpu_count()} cores, torch {torch.__version__}), total {time.time() - t_all:.0f} s.

Protocol: every method is fitted on the train split only and assigns the test split; scores are on the test split
(ACC = Hungarian accuracy, NMI, ARI; in %, mean ± std over seeds {seeds}). Labels are never used for fitting or model
selection (SIC keeps the last epoch). SIC settings: library defaults (paper table 2: gamma_u 0.05, gamma_r 500,
xi_c 0.9 n/c, xi_a 20, k 20, lambda 5, beta 1, Adam wd 1e-4, batch 128) with epochs={args.epochs}, lr={args.lr:g}
(see 04_train "The learning rate"). k-means: faiss, on L2-normalised features, test points to the nearest center.
For the world, each seed draws a new world and split; for digits / Fashion-MNIST the data are fixed and the seed
changes k-means / SIC initialisation, neighbour draws and batch order. "train+assign s" is wall time of fitting on
the train split plus assigning the test split (features precomputed), on a shared 2-core machine.
"""
    text = header + '\n\n'.join([''] + sections) + '\n'
    if args.append and os.path.exists(args.out):
        text = open(args.out).read() + '\n' + text.replace('# SIC benchmark (k-means vs SIC-1/2/3)', '## Appended run')
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    tmp = args.out + '.tmp'
    with open(tmp, 'w') as f: f.write(text)
    os.replace(tmp, args.out)
    print(f'wrote {args.out}')


if __name__ == '__main__':
    main()
