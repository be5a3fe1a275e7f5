"""Relational signals + adaptive semantic centers (issue 12): k-means, TAC no-train, TAC, ours no-train and ours,
train split -> test split, mean ± std over seeds; the paper's claims measured per data set; time per stage on 50,000
512-d features.

Data: the synthetic semantic world (sic_nb.world; one world per seed, 70/30 split), scikit-learn digits (its train/test
split) and Fashion-MNIST (the seeded 8,000 train / 2,000 test subsets at 160 px that
`sic_nb cluster --data fashion-mnist --n-train 8000 --n 2000 --image-size 160 --seed 0` uses), both embedded with the
offline `imagenet-wordnet` backend (features from the shared cache). Labels only score the test assignments.

    python benchmarks/relational.py                                  # everything, 5 seeds -> benchmarks/results/relational.md
    python benchmarks/relational.py --datasets world --seeds 2 --no-speed --out /tmp/rel.md   # quick check
"""
import argparse, os, platform, sys, time
os.environ.setdefault('OMP_WAIT_POLICY', 'PASSIVE')
from datetime import datetime, timezone
import numpy as np
import torch

from sic_nb.features import Nouns
from sic_nb.metrics import evaluate
from sic_nb.methods import KMeansMethod
from sic_nb.tac import TAC, TACNoTrain
from sic_nb.relational import RelationalCenters, RelationalCentersNoTrain, relational_claims, claims_table

METHODS = [('k-means', lambda c, s: KMeansMethod(n_clusters=c, random_state=s), False),
           ('TAC no-train', lambda c, s: TACNoTrain(n_clusters=c, random_state=s, verbose=False), True),
           ('TAC', lambda c, s: TAC(n_clusters=c, random_state=s, verbose=False), True),
           ('relational no-train', lambda c, s: RelationalCentersNoTrain(n_clusters=c, random_state=s), True),
           ('relational', lambda c, s: RelationalCenters(n_clusters=c, random_state=s), True)]


def load_world(seed):
    from sic_nb.world import make_world
    w = make_world(seed=seed)
    tr, te = w.split(test_frac=0.3, seed=seed)
    return dict(Xtr=tr.U, ytr=tr.y, Xte=te.U, yte=te.y, nouns=Nouns.from_arrays(w.V, w.noun_names), classes=list(w.class_names),
                desc=f"make_world(seed=s), 70/30 split: {len(tr.y)} train / {len(te.y)} test, d={w.U.shape[1]}, {len(w.V)} nouns")


_REAL = {}
def load_real(name, args):
    if name in _REAL: return _REAL[name]
    from sic_nb.data import load_source
    from sic_nb.features import get_backend, extract_features, noun_features
    fm = name == 'fashion-mnist'
    be = get_backend('imagenet-wordnet', image_size=args.image_size if fm else None)
    tr = load_source(name, split='train', **(dict(n=args.n_train, seed=0) if fm else {}))
    te = load_source(name, split='test', **(dict(n=args.n_test, seed=0) if fm else {}))
    t0 = time.time()
    Xtr, Xte = extract_features(tr, be, verbose=args.verbose), extract_features(te, be, verbose=args.verbose)
    nouns = noun_features(be, verbose=args.verbose)
    print(f'[{name}] features {Xtr.shape} / {Xte.shape}, nouns {len(nouns)} in {time.time() - t0:.0f}s', flush=True)
    _REAL[name] = dict(Xtr=Xtr, ytr=np.asarray(tr.labels), Xte=Xte, yte=np.asarray(te.labels), nouns=nouns, classes=list(tr.class_names),
                       desc=f"{be.id}: {len(tr)} train / {len(te)} test images, d={Xtr.shape[1]}, {len(nouns)} nouns")
    return _REAL[name]


def run_dataset(name, seeds, args):
    rows, desc, names = {}, None, {}
    for s in seeds:
        d = load_world(s) if name == 'world' else load_real(name, args)
        desc, c = d['desc'], len(np.unique(d['ytr']))
        for label, make, nouns in METHODS:
            if label == 'TAC' and name != 'world' and s >= seeds[0] + args.tac_seeds: continue   # TAC is slow on a CPU
            torch.set_num_threads(args.threads)
            t = time.perf_counter()
            m = make(c, s)
            m.fit(d['Xtr'], nouns=d['nouns']) if nouns else m.fit(d['Xtr'])
            pred = m.predict(d['Xte'])
            r = evaluate(d['yte'], pred); r['seconds'] = time.perf_counter() - t
            rows.setdefault(label, []).append(r)
            if label.startswith('relational') and s == seeds[0]:
                names[label] = (m, d)
            print(f'[{name}] seed {s} {label:20s} ' + ' '.join(f'{k}={v:.3f}' for k, v in r.items()), flush=True)
    return rows, desc, names


def table(rows, title):
    lines = [f'**{title}**', '', '| method | ACC | NMI | ARI | fit+predict s |', '|---|---|---|---|---|']
    for label, rs in rows.items():
        if len(rs) < max(len(v) for v in rows.values()): label += f' ({len(rs)} seeds)'
        cells = [f"{100 * np.mean([r[k] for r in rs]):.1f} ± {100 * np.std([r[k] for r in rs]):.1f}" for k in ('acc', 'nmi', 'ari')]
        lines.append(f'| {label} | ' + ' | '.join(cells) + f" | {np.mean([r['seconds'] for r in rs]):.1f} |")
    return '\n'.join(lines)


def center_table(m, d):
    "Nearest nouns of each learned center vs the majority class of its test images (labels: report only)."
    pred, y, cls = m.predict(d['Xte']), d['yte'], d['classes']
    lines = ['| cluster | majority class (share) | n | nearest nouns of the center |', '|---|---|---|---|']
    for l in range(len(m.cluster_nouns_)):
        sel = pred == l
        if not sel.any(): lines.append(f'| {l} | (empty) | 0 | {", ".join(m.cluster_nouns_[l][:3])} |'); continue
        maj = int(np.bincount(y[sel], minlength=len(cls)).argmax())
        lines.append(f'| {l} | {cls[maj]} ({100 * np.mean(y[sel] == maj):.0f}%) | {sel.sum()} | {", ".join(m.cluster_nouns_[l][:3])} |')
    return '\n'.join(lines)


def speed(args):
    "Time per stage of RelationalCenters on 50,000 synthetic 512-d features (the semantic world at that size)."
    from sic_nb.world import make_world
    w = make_world(n_classes=10, dim=512, n_per_class=5000, seed=0)
    torch.set_num_threads(args.threads)
    m = RelationalCenters(n_clusters=10, threads=args.threads).fit(w.U, nouns=Nouns.from_arrays(w.V, w.noun_names))
    t = dict(m.timings_); t['total fit'] = m.fit_seconds_
    nt = RelationalCentersNoTrain(n_clusters=10).fit(w.U, nouns=Nouns.from_arrays(w.V, w.noun_names))
    t['no-train total fit'] = nt.fit_seconds_
    lines = ['| stage | seconds |', '|---|---|'] + [f'| {k} | {v:.1f} |' for k, v in t.items()]
    return '\n'.join(lines) + f"\n\n(50,000 x 512, {len(m.nouns_)} nouns kept, {args.threads} torch threads, 30 epochs, batch 256; " \
                              f"train-set ACC {100 * evaluate(w.y, m.labels_)['acc']:.1f})"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--datasets', default='world,digits,fashion-mnist')
    ap.add_argument('--seeds', type=int, default=5)
    ap.add_argument('--n-train', type=int, default=8000, help='Fashion-MNIST train subset (seeded with 0)')
    ap.add_argument('--n-test', type=int, default=2000, help='Fashion-MNIST test subset (seeded with 0)')
    ap.add_argument('--image-size', type=int, default=160, help='Fashion-MNIST image size of the imagenet-wordnet backend')
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--tac-seeds', type=int, default=2, help='seeds of the trained TAC on digits and Fashion-MNIST (minutes per fit on a CPU)')
    ap.add_argument('--no-speed', action='store_true', help='skip the 50,000 x 512 timing')
    ap.add_argument('--no-claims', action='store_true', help='skip the claim measurements')
    ap.add_argument('--out', default=os.path.join(os.path.dirname(os.path.abspath(__file__)), 'results', 'relational.md'))
    ap.add_argument('--verbose', action='store_true')
    args = ap.parse_args(argv)
    seeds, t_all, sections, claims, centers = list(range(args.seeds)), time.time(), [], {}, []
    for name in [s.strip() for s in args.datasets.split(',') if s.strip()]:
        rows, desc, fitted = run_dataset(name, seeds, args)
        sections.append(table(rows, f'{name} ({desc}; test split, {len(seeds)} seeds)'))
        print('\n' + sections[-1] + '\n', flush=True)
        if not args.no_claims:
            d = load_world(0) if name == 'world' else load_real(name, args)
            claims[name + (' (seed 0)' if name == 'world' else '')] = relational_claims(d['Xtr'], d['ytr'], d['nouns'], len(np.unique(d['ytr'])))
        if name != 'world' and 'relational' in fitted:
            centers.append(f'**{name}, seed 0: learned centers (relational)**\n\n' + center_table(*fitted['relational']))
            print(centers[-1], flush=True)
    out = ['# Relational signals + adaptive semantic centers: benchmark', '',
           f"Generated by `python benchmarks/relational.py {' '.join(argv if argv is not None else sys.argv[1:])}` on "
           f"{datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}, {platform.machine()}, {os.cpu_count()} CPUs shared with other jobs "
           f"(times are upper bounds), torch {torch.__version__}, {args.threads} threads.", '',
           'Fit on the train split, predict the test split; labels only score. Methods: `KMeansMethod`, `sic_nb.tac.TACNoTrain`/`TAC` '
           '(their defaults), `RelationalCentersNoTrain`/`RelationalCenters` (defaults: TAC noun selection, ridge C with alpha by GCV, '
           'k=10 filtered pairs, centers in the span of the nouns, 30 epochs).', '']
    out += [s + '\n' for s in sections]
    if claims:
        out += ['## The paper\'s claims (training split; labels only score)', '', claims_table(claims), '']
        print(claims_table(claims), flush=True)
    out += [c + '\n' for c in centers]
    if not args.no_speed:
        sp = speed(args); print(sp, flush=True)
        out += ['## Time per stage, 50,000 x 512 synthetic features', '', sp, '']
    out.append(f'Total wall time {time.time() - t_all:.0f} s.')
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, 'w') as f: f.write('\n'.join(out) + '\n')
    print(f'wrote {args.out}')


if __name__ == '__main__':
    main()
