"""The text gate at scale: measured on every image against on `sic_nb.gauge.gate_rows`' seeded sample (max(20,000, 50 c) images),
for the gated no-train methods (their fits are seconds, so the gate is what grows), on all 60,000 Fashion-MNIST training images
(imagenet-wordnet, 96 px, its ImageNet nouns) and the semantic world at 100,000 x 512 (c = 10 and 100); at 1,000,000 x 512
(c = 100) the sampled gate alone (on every image it ran out of 24 GB). Decision, the shares of image k-means' agreement the gate
read, the gate's wall seconds (beyond the fit), the whole fit's wall seconds and peak memory rise, ACC (labels only score).
Writes benchmarks/results/gate_scale.{md,json}; resumes from the JSON.

    python benchmarks/gate_scale.py
    python benchmarks/gate_scale.py --sets world --cs 10 --seeds 1     # quick
"""
import argparse, json
from pathlib import Path
import numpy as np

OUT = Path(__file__).resolve().parents[1] / 'benchmarks' / 'results'
METHODS = ('tac-notrain', 'relational-notrain')


def load(name, c):
    if name.startswith('world'):
        from sic_nb.bench import scale_world
        n = 1_000_000 if name == 'world-1m' else 100_000
        U, y, nouns = scale_world(n, n_classes=c, dim=512, seed=0)
        return U, y, nouns, f'semantic world, {n:,} x 512, {c} classes'
    from sic_nb.data import load_source
    from sic_nb.features import get_backend, extract_features, noun_features
    be = get_backend('imagenet-wordnet', image_size=96)
    src = load_source('fashion-mnist', split='train')
    X = extract_features(src, be, verbose=False)
    return X, np.asarray(src.labels), noun_features(be, verbose=False), f'Fashion-MNIST train, all {len(X):,} images, 96 px'


def run(method, U, y, nouns, c, seed, full):
    import sic_nb.gauge as gauge
    from sic_nb.bench import MemoryPeak
    from sic_nb.registry import make_method
    from sic_nb.metrics import evaluate
    keep = gauge.GATE_SAMPLE_MIN
    gauge.GATE_SAMPLE_MIN = 10 ** 12 if full else keep        # full: every image, as before the sample existed
    try:
        with MemoryPeak() as m:
            est = make_method(method, n_clusters=c, nouns=nouns, random_state=seed, verbose=False).fit(U)
    finally: gauge.GATE_SAMPLE_MIN = keep
    g = est.text_gate()
    return dict(choice=est.text_choice_, with_text=g['with_text'], without_text=g['without_text'], text_alone=g['text_alone'],
                images=g['images'], gate_s=float(est.timings_.get('gate', float('nan'))), fit_s=m.seconds, peak_mb=m.peak_mb,
                acc=evaluate(y, est.labels_)['acc'])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--sets', nargs='+', default=['fashion-mnist', 'world', 'world-1m'])
    ap.add_argument('--cs', nargs='+', type=int, default=[10, 100])
    ap.add_argument('--seeds', type=int, default=2)
    ap.add_argument('--methods', nargs='+', default=list(METHODS))
    ap.add_argument('--out', default=str(OUT / 'gate_scale'))
    args = ap.parse_args(argv)
    from sic_nb.files import atomic_write
    from sic_nb.ops import cpu_info
    jp = Path(args.out + '.json')
    res = json.loads(jp.read_text()) if jp.exists() else {}
    for name in args.sets:
        for c in args.cs:
            if name == 'fashion-mnist' and c != 10: continue         # its 10 classes
            if name == 'world-1m' and c != 100: continue             # the target: 1M, c = 100
            key, data = f'{name} c={c}', None
            seeds = 1 if name == 'world-1m' else args.seeds
            for method in args.methods:
                for s in range(seeds):
                    for how in (('sampled',) if name == 'world-1m' else ('full', 'sampled')):
                        rk = f'{method} seed={s} {how}'
                        if rk in res.get(key, {}).get('runs', {}): continue
                        if data is None: data = load(name, c)
                        U, y, nouns, desc = data
                        cell = res.setdefault(key, dict(desc=desc, n=len(U), c=c, runs={}))
                        r = cell['runs'][rk] = run(method, U, y, nouns, c, s, how == 'full')
                        print(f"[{key}] {rk}: {r['choice']} on {r['images']:,} images, gate {r['gate_s']:.1f}s, fit {r['fit_s']:.1f}s, "
                              f"peak {r['peak_mb']:.0f} MB, ACC {100 * r['acc']:.1f}", flush=True)
                        res['_machine'] = cpu_info()
                        atomic_write(jp, json.dumps(res, indent=1))   # whole or not at all: a cut run resumes from it
    f3 = lambda v: '-' if v is None else f'{v:.3f}'
    lines = ['# The text gate at scale: on every image, or on a sample', '',
             '`python benchmarks/gate_scale.py`. Gated methods at their defaults (`text_weight=\'auto\'`); *full* = the gate measured on every '
             'image (its 10-NN graph, image k-means, candidates and the text-off fit on all of them), *sampled* = on `sic_nb.gauge.gate_rows`\' '
             'seeded sample of max(20,000, 50 c) images (the default above 20,000; a \'no text\' choice is then fitted again on every image, '
             'a k-means choice refined on every image). Shares = each fit\'s kappa on the image 10-NN graph over image k-means\'; 0.98 needed. '
             'gate s = wall seconds beyond the fit; fit s = the whole `fit`, gate included; peak = rise of resident memory. ACC in % (labels only score).', '',
             f"Machine: {res.get('_machine')}", '',
             '| data | method | seed | gate on | choice | with text | without | text alone | gate s | fit s | peak MB | ACC |',
             '|---|---|---|---|---|---|---|---|---|---|---|---|']
    same, pairs = 0, 0
    for key, cell in res.items():
        if key.startswith('_'): continue
        for rk, r in cell['runs'].items():
            m, s, how = rk.split(' ')
            lines.append(f"| {cell['desc']} | `{m}` | {s[5:]} | {r['images']:,} | {r['choice']} | {f3(r['with_text'])} | {f3(r['without_text'])} | "
                         f"{f3(r['text_alone'])} | {r['gate_s']:.1f} | {r['fit_s']:.1f} | {r['peak_mb']:.0f} | {100 * r['acc']:.1f} |")
            if how == 'sampled' and f'{m} {s} full' in cell['runs']:
                pairs += 1; same += cell['runs'][f'{m} {s} full']['choice'] == r['choice']
    lines += ['', f'The sampled gate made the full gate\'s decision in {same} of {pairs} fits where both ran.']
    Path(args.out + '.md').write_text('\n'.join(lines) + '\n')
    print('\n'.join(lines))


if __name__ == '__main__':
    main()
