"""SIC's several starts (`n_init`): one training run against the best of three by a label-free score (`sic_nb.train.start_score`), under two CPU profiles.

The splits are those of `benchmarks/fidelity.py`: Fashion-MNIST 8,000 fitted -> 2,000 scored at 160 px (where one seed of the
single-start SIC fell 8 points on one CPU and not on another), scikit-learn digits (1,257 -> 540, 96 px) and the semantic world
(700 -> 300). SIC with its defaults (the text gate on) but `n_init`; labels only score the held-out assignments. Each CPU profile
(`sic_nb.ops.CPU_PROFILES`) runs in its own process, so the same seeds meet different BLAS kernels.

    python benchmarks/sic_starts.py                                  # all: writes benchmarks/results/sic_starts.{json,md}
    python benchmarks/sic_starts.py --datasets world --seeds 2 --out /tmp/s.md    # quick check
"""
import argparse, json, os, subprocess, sys, time
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def worker(a):
    "Fit in this process (its CPU profile was set when it started); one JSON line per fit on stdout."
    sys.path.insert(0, HERE)
    from fidelity import load
    from sic_nb.features import Nouns
    from sic_nb.metrics import evaluate
    from sic_nb.train import SIC
    for name in a.datasets:
        for s in a.seeds:
            d = load(name, s, None)
            nouns = Nouns.from_arrays(d['V'], d['names'], d['ids'])
            for n_init in a.n_init:
                t, c = time.perf_counter(), time.process_time()
                m = SIC(n_clusters=10, n_init=n_init, random_state=s, verbose=False).fit(d['Xtr'], nouns=nouns)
                r = evaluate(d['yte'], m.predict(d['Xte']))
                print(json.dumps(dict(dataset=name, desc=d['desc'], seed=s, n_init=n_init, acc=r['acc'], nmi=r['nmi'], ari=r['ari'],
                                      seconds=time.perf_counter() - t, cpu_seconds=time.process_time() - c,
                                      scores=[round(v, 5) for v in m.start_scores_], best_start=int(m.best_start_),
                                      gate=m.text_choice_, signal=m.text_signal())), flush=True)


def table(rows, datasets, profiles, n_inits, seeds):
    out = []
    for name in datasets:
        out += [f"**{name}** ({next(r['desc'] for r in rows if r['dataset'] == name)})", '',
                '| CPU profile | n_init | ' + ' | '.join(f'seed {s}' for s in seeds) + ' | mean ± std | min | fit s |',
                '|---|---|' + '---|' * (len(seeds) + 3)]
        for p in profiles:
            for k in n_inits:
                rs = {r['seed']: r for r in rows if (r['dataset'], r['profile'], r['n_init']) == (name, p, k)}
                acc = np.array([100 * rs[s]['acc'] for s in seeds if s in rs])
                if not len(acc): continue
                cells = [f"{100 * rs[s]['acc']:.1f}" + ('' if rs[s]['n_init'] == 1 else f" (start {rs[s]['best_start']})") if s in rs else '–' for s in seeds]
                secs = np.mean([rs[s]['seconds'] for s in seeds if s in rs])
                out.append(f"| {p} | {k} | " + ' | '.join(cells) + f" | {acc.mean():.1f} ± {acc.std():.1f} | {acc.min():.1f} | {secs:.0f} |")
        out.append('')
    return '\n'.join(out)


if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--datasets', default='fashion-mnist,digits,world')
    ap.add_argument('--seeds', type=int, default=5)
    ap.add_argument('--n-init', default='1,3')
    ap.add_argument('--profiles', default='native,avx2')
    ap.add_argument('--out', default=os.path.join(HERE, 'results', 'sic_starts.md'))
    ap.add_argument('--worker', action='store_true', help=argparse.SUPPRESS)
    a = ap.parse_args()
    a.datasets, a.seeds = a.datasets.split(','), list(range(a.seeds))
    a.n_init, a.profiles = [int(k) for k in a.n_init.split(',')], a.profiles.split(',')
    if a.worker: worker(a); sys.exit(0)
    from sic_nb.ops import cpu_profile_env, cpu_info
    t0, rows = time.time(), []
    args = [sys.executable, __file__, '--worker', '--datasets', ','.join(a.datasets), '--seeds', str(len(a.seeds)),
            '--n-init', ','.join(map(str, a.n_init))]
    procs = {p: subprocess.Popen(args, env=cpu_profile_env(p), stdout=subprocess.PIPE, text=True) for p in a.profiles}   # side by side
    for p, pr in procs.items():
        for line in pr.stdout:
            r = dict(json.loads(line), profile=p); rows.append(r)
            print(f"[{p}] {r['dataset']} seed {r['seed']} n_init {r['n_init']}: ACC {100 * r['acc']:.1f} "
                  f"(scores {r['scores']}, kept {r['best_start']}; gate: {r['gate']}) {r['seconds']:.0f} s", flush=True)
        if pr.wait(): sys.exit(f"the {p} worker failed")
    info = cpu_info()
    base = os.path.splitext(a.out)[0]
    tmp = base + '.json.tmp'; json.dump(dict(cpu=info, rows=rows), open(tmp, 'w'), indent=1); os.replace(tmp, base + '.json')
    md = ['# SIC: one start or the best of several (`n_init`)', '',
          f"Generated by `python benchmarks/sic_starts.py {' '.join(sys.argv[1:])}` on {info['model']} "
          f"({', '.join(info['isa'])}; {os.cpu_count()} cores), {time.time() - t0:.0f} s; the profiles ran side by side, so fit "
          "seconds are those of a shared machine.", '',
          "Test ACC (%) of SIC with its defaults but `n_init` (the text gate on), per method seed; with several starts the kept start "
          "is in brackets (the one of lowest `start_score`: consistency over all neighbours and balance; no label is used). `native`: this CPU's own kernels (torch AVX-512 "
          "here); `avx2`: the same machine as an AVX2-only CPU (`sic_nb.ops.CPU_PROFILES`).", '',
          table(rows, a.datasets, a.profiles, a.n_init, a.seeds)]
    open(a.out, 'w').write('\n'.join(md)); print('\n'.join(md))
