"""Issue 15: how well is the number of clusters estimated without labels, and what does the estimate cost the clustering?

For every setting (the semantic world with c = 5, 10, 20, 50; digits; Fashion-MNIST; Tux Paint with 5, 10 and 20 classes) and seed:
the estimate c_hat of `sic_nb.n_clusters.estimate_n_clusters` (consensus of five criteria, and each criterion's own choice),
|c_hat - c|, and ACC/NMI of the default method (SIC, through the registry) fitted with c_hat against fitted with the true c.
Labels are read only for the table. Features: the offline imagenet-wordnet backend at 96 px (cached in ~/.cache/sic_nb).

    nice -n 19 python benchmarks/n_clusters.py                    # everything, 3 seeds (about an hour on a loaded 2-core machine)
    python benchmarks/n_clusters.py --settings world5,tux5 --seeds 0 --method none   # the estimates only
"""
import argparse, json, os, sys, time
from pathlib import Path
import numpy as np

RESULTS = Path(__file__).parent / 'results'

# Tux Paint variants: 5 classes = a subset of the 10 of sic_nb.data.TUXPAINT_CLASSES; 20 classes = a finer split of the stamp folders
TUX5 = ('bird', 'fruit', 'flower', 'house', 'vehicle')
TUX20 = {'bird': ['animals/birds'], 'insect': ['animals/insects'], 'fish': ['animals/fish'], 'bovid': ['animals/mammals/bovines'],
         'rodent': ['animals/mammals/rodents'], 'fruit': ['food/fruit'], 'vegetable': ['food/vegetables'], 'flower': ['plants/flowers'],
         'tree': ['plants/trees'], 'house': ['town/houses'], 'monument': ['town/monuments'], 'street sign': ['town/roadsigns'],
         'vehicle': ['vehicles'], 'tool': ['household/tools', 'household/arttools'], 'dish': ['household/dishes'],
         'musical instrument': ['hobbies/music'], 'planet': ['space/planets'], 'chess piece': ['symbols/chess'],
         'money': ['symbols/money'], 'math symbol': ['symbols/math']}

def tuxpaint20():
    "An ImageSource of the Tux Paint stamps in the 20 classes of TUX20 (PNG files of each folder, recursively, without mirrors)."
    from sic_nb.data import ImageSource, load_tuxpaint
    d = Path(load_tuxpaint('all').info['root']); files, labels = [], []     # the stamps folder sic_nb.data found
    for k, folders in enumerate(TUX20.values()):
        mine = []
        for f in folders:
            for dp, dns, fns in os.walk(d / f):
                dns.sort()
                mine += [os.path.relpath(os.path.join(dp, fn), d) for fn in sorted(fns)
                         if fn.lower().endswith('.png') and not fn[:-4].endswith('_mirror')]
        files += sorted(mine); labels += [k] * len(mine)
    return ImageSource('tuxpaint-20', 'all', files, np.asarray(labels), list(TUX20), paths=[str(d / f) for f in files])

SETTINGS = ('world5', 'world10', 'world20', 'world50', 'digits', 'fashion-mnist', 'tuxpaint5', 'tuxpaint10', 'tuxpaint20')

def _sub(X, y, n, seed):
    i = np.sort(np.random.default_rng(seed).choice(len(X), min(int(n), len(X)), replace=False)); return X[i], y[i]

_CACHE = {}   # features and nouns, loaded once per process

def load_setting(name, seed, _cache=_CACHE):
    "(X, y, c, nouns) of one setting; real data are a seeded subsample (1,000 digits, 2,000 Fashion-MNIST, 90% of a Tux Paint set)."
    from sic_nb.features import Nouns, get_backend, extract_features, noun_features
    if name.startswith('world'):
        from sic_nb.world import make_world
        w = make_world(n_classes=int(name[5:]), seed=seed)
        return w.U, w.y, w.n_classes, Nouns.from_arrays(w.V, names=w.noun_names)
    from sic_nb.data import load_source, TUXPAINT_CLASSES
    bk = get_backend('imagenet-wordnet', image_size=96)
    if 'nouns' not in _cache: _cache['nouns'] = noun_features(bk, verbose=False)
    def feats(src):
        key = src.fingerprint()
        if key not in _cache: _cache[key] = (np.asarray(extract_features(src, bk, verbose=False), np.float32), src.labels)
        return _cache[key]
    if name == 'digits':
        (a, ya), (b, yb) = feats(load_source('digits', 'train')), feats(load_source('digits', 'test'))
        X, y = _sub(np.concatenate([a, b]), np.concatenate([ya, yb]), 1000, seed)
    elif name == 'fashion-mnist': X, y = _sub(*feats(load_source('fashion-mnist', 'test')), 2000, seed)
    elif name in ('tuxpaint5', 'tuxpaint10'):
        X, y = feats(load_source('tuxpaint', 'all'))
        if name == 'tuxpaint5':
            keep = [list(TUXPAINT_CLASSES).index(k) for k in TUX5]
            m = np.isin(y, keep); X, y = X[m], np.searchsorted(keep, y[m])
        X, y = _sub(X, y, int(0.9 * len(X)), seed)
    elif name == 'tuxpaint20': X, y = _sub(*feats(tuxpaint20()), int(0.9 * 390), seed)
    else: raise ValueError(f"unknown setting {name!r}; choose from {', '.join(SETTINGS)}")
    return X, y, len(np.unique(y)), _cache['nouns']

def fit_method(method, X, nouns, c, seed):
    from sic_nb.registry import make_method
    t = time.time()
    m = make_method(method, n_clusters=int(c), nouns=nouns, random_state=int(seed), verbose=False).fit(X)
    return m.labels_, time.time() - t

def run(settings, seeds, method, out_json):
    from sic_nb.n_clusters import estimate_n_clusters
    from sic_nb.metrics import evaluate
    rows = json.loads(out_json.read_text()) if out_json.exists() else []
    done = {(r['setting'], r['seed'], r['method']) for r in rows}
    for name in settings:
        for seed in seeds:
            if (name, seed, method) in done: continue
            X, y, c, nouns = load_setting(name, seed)
            t = time.time(); p = time.process_time()
            est = estimate_n_clusters(X, nouns=nouns, seed=seed)
            row = dict(setting=name, seed=seed, n=len(X), c=int(c), c_hat=int(est.n_clusters), choices=est.choices,
                       range=[int(est.cs[0]), int(est.cs[-1])], estimate_s=round(time.time() - t, 1), estimate_cpu_s=round(time.process_time() - p, 1),
                       method=method)
            if method != 'none':
                lab_hat, s1 = fit_method(method, X, nouns, est.n_clusters, seed)
                lab_c, s2 = (lab_hat, 0.) if est.n_clusters == c else fit_method(method, X, nouns, c, seed)
                row.update(at_c_hat=evaluate(y, lab_hat), at_c=evaluate(y, lab_c), method_s=round(s1 + s2, 1))
            rows.append(row)
            out_json.write_text(json.dumps(rows, indent=1))
            print(json.dumps(row), flush=True)
    return rows

def within(c_hat, c, tol=0.2): return abs(c_hat - c) <= tol * c

def table(rows, method):
    from sic_nb.n_clusters import CRITERIA
    rows = [r for r in rows if r['method'] == method]
    out = [f"## Estimated number of clusters (consensus) and {method} at c_hat vs at the true c\n",
           f"| setting | n | c | c_hat per seed | abs(c_hat - c) mean | within 20% | {method} ACC at c_hat | at c | NMI at c_hat | at c |",
           "|---|---|---|---|---|---|---|---|---|---|"]
    settings = list(dict.fromkeys(r['setting'] for r in rows))
    ms = lambda v: f"{100 * np.mean(v):.1f} ± {100 * np.std(v):.1f}"
    for s in settings:
        R = [r for r in rows if r['setting'] == s]
        hits = sum(within(r['c_hat'], r['c']) for r in R)
        line = (f"| {s} | {R[0]['n']} | {R[0]['c']} | {', '.join(str(r['c_hat']) for r in R)} | {np.mean([abs(r['c_hat'] - r['c']) for r in R]):.1f} "
                f"| {hits}/{len(R)} |")
        if 'at_c' in R[0]:
            line += (f" {ms([r['at_c_hat']['acc'] for r in R])} | {ms([r['at_c']['acc'] for r in R])} | {ms([r['at_c_hat']['nmi'] for r in R])} "
                     f"| {ms([r['at_c']['nmi'] for r in R])} |")
        else: line += " - | - | - | - |"
        out.append(line)
    tot = sum(within(r['c_hat'], r['c']) for r in rows)
    out.append(f"\n**Consensus: c_hat within 20% of c in {tot} of {len(rows)} runs ({100 * tot / len(rows):.0f}%).**\n")
    out += ["## Each criterion alone: runs within 20% of c (c_hat per seed)\n",
            "| setting | c | " + " | ".join(CRITERIA) + " | consensus |", "|---|---|" + "---|" * (len(CRITERIA) + 1)]
    for s in settings:
        R = [r for r in rows if r['setting'] == s]
        cells = [f"{sum(within(r['choices'][k], r['c']) for r in R)}/{len(R)} ({', '.join(str(r['choices'][k]) for r in R)})" if k in R[0]['choices'] else '-'
                 for k in CRITERIA]
        out.append(f"| {s} | {R[0]['c']} | " + " | ".join(cells) + f" | {sum(within(r['c_hat'], r['c']) for r in R)}/{len(R)} |")
    totals = [f"{sum(within(r['choices'][k], r['c']) for r in rows if k in r['choices'])}/{sum(k in r['choices'] for r in rows)}" for k in CRITERIA]
    out.append("| **all** | | " + " | ".join(f"**{t}**" for t in totals) + f" | **{tot}/{len(rows)}** |")
    secs = [r['estimate_s'] for r in rows]; cpu = [r['estimate_cpu_s'] for r in rows]
    out.append(f"\nEstimate time per run: median {np.median(secs):.0f} s wall, {np.median(cpu):.0f} s CPU (max {max(secs):.0f} s wall); "
               "wall times are upper bounds under load (2 shared cores).")
    return '\n'.join(out) + '\n'

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--settings', default=','.join(SETTINGS)); p.add_argument('--seeds', default='0,1,2')
    p.add_argument('--method', default='sic', help="registered method fitted at c_hat and at c ('none': only the estimates)")
    p.add_argument('--out', default=str(RESULTS / 'n_clusters.json'))
    a = p.parse_args(argv)
    out_json = Path(a.out); out_json.parent.mkdir(parents=True, exist_ok=True)
    rows = run(a.settings.split(','), [int(s) for s in a.seeds.split(',')], a.method, out_json)
    md = ("# Estimating the number of clusters (issue 15)\n\nCommand: `nice -n 19 python benchmarks/n_clusters.py "
          + ' '.join(argv if argv is not None else sys.argv[1:]) + f"` (load average at the end: {open('/proc/loadavg').read().split()[0]})\n\n"
          "Consensus = median of the five criteria's choices (sic_nb.n_clusters.estimate_n_clusters, default settings for every data set: "
          "c in 2..min(50, n/5), PCA 16, k-means++ x3, k = 10 neighbours, 5 gap references, eps = 0.1, perplexity 5). Labels only for this table.\n\n"
          + table(rows, a.method))
    (out_json.with_suffix('.md')).write_text(md)
    print(md)

if __name__ == '__main__': main()
