"""TAC benchmark: time per stage at 50,000 x 512-d, and k-means / TAC (no train) / TAC on the semantic world, digits and
Fashion-MNIST (fit on the train split -> scored on the test split), mean ± std over seeds.

Data: the synthetic semantic world (sic_nb.world; one world per seed, 70/30 split), scikit-learn digits (its train/test
split) and Fashion-MNIST (seeded 8,000 train -> 2,000 test subsets, 160 px: the subsets `sic_nb cluster --data
fashion-mnist --n-train 8000 --n 2000 --image-size 160 --seed 0` uses), both embedded by the offline `imagenet-wordnet`
backend (features cached by sic_nb.features). The seed changes the method's randomness (and the world), not the subsets.
Labels only score the test assignments. "TAC (no train, transductive)" is the reference code's protocol: nouns from
the train split, k-means fitted on the test split itself.

    python benchmarks/tac.py                                   # everything, 5 seeds, writes benchmarks/results/tac.md
    python benchmarks/tac.py --datasets world --seeds 2 --no-timing --out /tmp/tac.md   # quick check
    python benchmarks/tac.py --datasets "" --append             # only the 50k timing, appended to the results
"""
import argparse, os, platform, sys, time
from datetime import datetime, timezone
import numpy as np
import torch

from sic_nb.features import Nouns
from sic_nb.metrics import evaluate
from sic_nb.ops import l2_normalize
from sic_nb.tac import TAC, TACNoTrain
from sic_nb.ops import kmeans
from sic_nb.train import pair_accuracy

METHODS = ['k-means', 'TAC (no train)', 'TAC (no train, transductive)', 'TAC']


def load_world(seed):
    from sic_nb.world import make_world
    w = make_world(seed=seed)
    tr, te = w.split(test_frac=0.3, seed=seed)
    return dict(Xtr=tr.U, Xte=te.U, yte=te.y, nouns=Nouns.from_arrays(w.V, w.noun_names), pairs=w.confusable_pairs,
                desc=f"make_world(seed=s), 70/30 split: {len(tr.y)} train / {len(te.y)} test, d={w.U.shape[1]}, {len(w.V)} nouns")


_REAL = {}
def load_real(name, args):
    if name in _REAL: return _REAL[name]
    from sic_nb.data import load_source
    from sic_nb.features import get_backend, extract_features, noun_features
    size = args.image_size if name == 'fashion-mnist' else None
    be = get_backend('imagenet-wordnet', image_size=size)
    sub = (lambda n: dict(n=n, seed=0)) if name == 'fashion-mnist' else (lambda n: {})
    tr = load_source(name, split='train', **sub(args.n_train))
    te = load_source(name, split='test', **sub(args.n_test))
    t0 = time.time()
    Xtr, Xte = extract_features(tr, be, verbose=args.verbose), extract_features(te, be, verbose=args.verbose)
    nz = noun_features(be, verbose=args.verbose)
    print(f'[{name}] features {Xtr.shape} / {Xte.shape}, {len(nz)} nouns in {time.time() - t0:.0f}s', flush=True)
    _REAL[name] = dict(Xtr=Xtr, Xte=Xte, yte=np.asarray(te.labels), nouns=nz, pairs=None,
                       desc=f"{be.id}: {len(tr)} train / {len(te)} test images, d={Xtr.shape[1]}, {len(nz)} nouns")
    return _REAL[name]


def kmeans_baseline(Xtr, Xte, c, seed):
    "The library's k-means baseline: k-means++ with 10 restarts on L2-normalised train features, test rows to the nearest (cosine) center."
    C, _ = kmeans(l2_normalize(Xtr), k=int(c), seed=int(seed), niter=50, nredo=10)
    return (l2_normalize(Xte) @ l2_normalize(C).T).argmax(1)


def run_one(label, d, c, seed, args):
    t = time.perf_counter()
    extra = ''
    if label == 'k-means':
        pred = kmeans_baseline(d['Xtr'], d['Xte'], c, seed)
    elif label.startswith('TAC (no train'):
        m = TACNoTrain(n_clusters=c, random_state=seed, verbose=False).fit(d['Xtr'], nouns=d['nouns'])
        pred = m.fit_predict_transductive(d['Xte']) if 'transductive' in label else m.predict(d['Xte'])
        extra = f"tau={m.tau_:.4f} nouns={len(m.nouns_)} names={m.cluster_names_[:5]}"
    else:
        m = TAC(n_clusters=c, random_state=seed, verbose=False, precision=args.precision).fit(d['Xtr'], nouns=d['nouns'])
        pred = m.predict(d['Xte'])
        extra = f"epochs={m.n_epochs_} " + ' '.join(f"{k}={v:.1f}s" for k, v in m.timings_.items()) + f" names={m.cluster_names_[:5]}"
    sec = time.perf_counter() - t
    r = evaluate(d['yte'], pred)
    if d['pairs'] is not None: r['pairs'] = pair_accuracy(d['yte'], pred, d['pairs'])
    r['seconds'] = sec
    return r, extra


def run_dataset(name, seeds, args):
    rows, desc = {}, None
    for s in seeds:
        d = load_world(s) if name == 'world' else load_real(name, args)
        desc = d['desc']
        c = len(np.unique(d['yte']))
        for label in METHODS:
            r, extra = run_one(label, d, c, s, args)
            rows.setdefault(label, []).append(r)
            print(f'[{name}] seed {s} {label:29s} ' + ' '.join(f'{k}={v:.3f}' for k, v in r.items()) + (f'  {extra}' if s == seeds[0] else ''), flush=True)
    return rows, desc


def table(rows, title):
    keys = [k for k in ['acc', 'nmi', 'ari', 'pairs'] if k in next(iter(rows.values()))[0]]
    head = '| method | ' + ' | '.join(k.upper() if k != 'pairs' else 'ACC on confusable pairs' for k in keys) + ' | fit+assign s |'
    lines = [f'**{title}**', '', head, '|' + '---|' * (len(keys) + 2)]
    for label, rs in rows.items():
        cells = [f"{100 * np.mean([r[k] for r in rs]):.1f} ± {100 * np.std([r[k] for r in rs]):.1f}" for k in keys]
        lines.append(f'| {label} | ' + ' | '.join(cells) + f" | {np.mean([r['seconds'] for r in rs]):.1f} |")
    return '\n'.join(lines)


def timing(args):
    "Time per stage of TAC and TAC (no train) on 50,000 synthetic 512-d features (a 10-class semantic world)."
    from sic_nb.world import make_world
    w = make_world(n_classes=10, dim=512, n_per_class=args.timing_n // 10, seed=0)
    nz = Nouns.from_arrays(w.V, w.noun_names)
    out = [f'**Time per stage, n={len(w.U):,} x {w.U.shape[1]}-d synthetic features (semantic world, {len(w.V)} nouns), seconds**', '',
           '| run | select nouns | text counterparts | neighbours (k=50, both spaces) | k-means / train heads | total | train ACC (report only) |',
           '|---|---|---|---|---|---|---|']
    t = time.perf_counter(); p = kmeans_baseline(w.U, w.U, 10, 0); tk = time.perf_counter() - t
    out.append(f"| k-means (k-means++, 10 restarts) | | | | {tk:.1f} | {tk:.1f} | {100 * evaluate(w.y, p)['acc']:.1f} |")
    m = TACNoTrain(n_clusters=10, verbose=False).fit(w.U, nouns=nz); tm = m.timings_
    out.append(f"| TAC (no train) | {tm['select_nouns']:.1f} | {tm['text_counterparts']:.1f} | | {tm['kmeans']:.1f} | {tm['total']:.1f} | {100 * evaluate(w.y, m.labels_)['acc']:.1f} |")
    for prec in args.timing_precisions.split(','):
        m = TAC(n_clusters=10, verbose=False, precision=prec).fit(w.U, nouns=nz); tm = m.timings_
        out.append(f"| TAC, {prec}, {m.n_epochs_} epochs of batch 512 | {tm['select_nouns']:.1f} | {tm['text_counterparts']:.1f} | {tm['neighbours']:.1f} | "
                   f"{tm['train']:.1f} | {tm['total']:.1f} | {100 * evaluate(w.y, m.labels_)['acc']:.1f} |")
        print(out[-1], flush=True)
    return '\n'.join(out)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--datasets', default='world,digits,fashion-mnist')
    ap.add_argument('--seeds', type=int, default=5)
    ap.add_argument('--n-train', type=int, default=8000, help='Fashion-MNIST train subset (seeded with 0, fixed across runs)')
    ap.add_argument('--n-test', type=int, default=2000, help='Fashion-MNIST test subset (seeded with 0)')
    ap.add_argument('--image-size', type=int, default=160, help='Fashion-MNIST resolution for the imagenet-wordnet backend')
    ap.add_argument('--precision', default='float32', choices=['float32', 'bfloat16'], help="TAC heads' precision in the table")
    ap.add_argument('--no-timing', action='store_true', help='skip the 50k per-stage timing')
    ap.add_argument('--timing-n', type=int, default=50000)
    ap.add_argument('--timing-precisions', default='float32,bfloat16')
    ap.add_argument('--out', default=os.path.join(os.path.dirname(os.path.abspath(__file__)), 'results', 'tac.md'))
    ap.add_argument('--append', action='store_true', help='append these sections (with their own header) to --out instead of replacing it')
    ap.add_argument('--verbose', action='store_true')
    args = ap.parse_args(argv)
    seeds = list(range(args.seeds))
    t_all = time.time()
    sections = []
    if not args.no_timing:
        sections.append(timing(args)); print(sections[-1], flush=True)
    for name in [s.strip() for s in args.datasets.split(',') if s.strip()]:
        rows, desc = run_dataset(name, seeds, args)
        sections.append(table(rows, f'{name}: {desc}; {len(seeds)} seeds, TAC heads in {args.precision}'))
        print('\n' + sections[-1] + '\n', flush=True)
    cpu = f"{os.cpu_count()} CPU cores (shared with other jobs: times are upper bounds)"
    head = (("\n## Separate run\n\n" if args.append and os.path.exists(args.out) else "# TAC benchmark\n\n") + f"Generated by `python benchmarks/tac.py {' '.join(argv if argv is not None else sys.argv[1:])}` on "
            f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {platform.processor() or platform.machine()}, {cpu}, torch {torch.__version__}, "
            f"total {time.time() - t_all:.0f} s. ACC/NMI/ARI in %, mean ± std over seeds; fit on train, scored on test.\n")
    text = head + '\n' + '\n\n'.join(sections) + '\n'
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, 'a' if args.append else 'w') as f: f.write(text)
    print(f'wrote {args.out}')


if __name__ == '__main__':
    main()
