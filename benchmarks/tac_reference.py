"""TAC side by side with its reference code on the same features: the reference scripts (XLearning-SCU/2024-ICML-TAC, run
unchanged but for CPU shims), sic_nb's published presets (`TAC.from_preset('published')`, `TACNoTrain.from_preset('published')`)
and sic_nb's defaults, on the semantic world (700 -> 300) and Fashion-MNIST 8,000 -> 2,000 at 160 px (imagenet-wordnet features
and nouns, the bench's split), method seeds 0-2, same machine and threads. Labels only score the test split.

    python benchmarks/tac_reference.py --ref /path/to/2024-ICML-TAC           # a checkout, or the bare git directory of one
    python benchmarks/tac_reference.py --ref ... --datasets world --seeds 1    # quick

The reference's own files are read from `--ref` at run time (nothing of it is copied into sic_nb). The shims, and nothing else:
`.cuda()` is the identity, faiss runs on the CPU (`index_cpu_to_all_gpus` is the identity), the unused `clip` import is a stub,
`cluster_metric` records the predictions instead of printing them (sic_nb.metrics scores every row the same way), the per-set
constants are set for these data (the file prefix `CIFAR-10`, so c = 10 and the few-cluster branch; `filter_nouns.py`'s L by
the reference's rule, round(n/300) or 3c when that is below c; the feature width 512 -> d), and numpy, torch and random are
seeded with the method seed (the reference does not seed them; its faiss k-means keeps faiss's fixed seed).
Writes benchmarks/results/tac_reference.{md,json}.
"""
import argparse, json, os, platform, shutil, subprocess, sys, tempfile, time
from pathlib import Path
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / 'benchmarks' / 'results'
SCRIPTS = ('filter_nouns.py', 'retrieve_text.py', 'train_head.py', 'concat_kmeans.py', 'data_utils.py', 'loss_utils.py', 'models.py')

SHIM = '''
import os, sys, types, random
import numpy as np, torch, faiss
seed = int(os.environ["REF_SEED"]); random.seed(seed); np.random.seed(seed); torch.manual_seed(seed)
torch.Tensor.cuda = lambda self, *a, **k: self
torch.nn.Module.cuda = lambda self, *a, **k: self
faiss.index_cpu_to_all_gpus = lambda index, *a, **k: index
_Kmeans = faiss.Kmeans
class _CPUKmeans(_Kmeans):
    def __init__(self, d, k, gpu=False, **kw): super().__init__(d, k, **kw)
faiss.Kmeans = _CPUKmeans
sys.modules["clip"] = types.ModuleType("clip")
ev = types.ModuleType("eval_utils")
def cluster_metric(label, pred): np.save(os.environ["REF_PRED"], np.asarray(pred))
ev.cluster_metric = cluster_metric
sys.modules["eval_utils"] = ev
import runpy
runpy.run_path(sys.argv[1], run_name="__main__")
'''


def ref_sources(ref: Path) -> dict:
    "The reference scripts' text, from a checkout or a bare git directory."
    out = {}
    for f in SCRIPTS:
        if (ref / f).exists(): out[f] = (ref / f).read_text()
        else: out[f] = subprocess.run(['git', f'--git-dir={ref}', 'show', f'HEAD:{f}'], capture_output=True, text=True, check=True).stdout
    return out


def ref_L(n, c):
    L = int(round(n / 300)); return 3 * c if L < c else L


def run_reference(src: dict, Xtr, Xte, yte, V, seed: int, work: Path) -> dict:
    "Both reference pipelines on one split; returns {'tac': (pred, seconds), 'tac-notrain': (pred, seconds)}."
    if work.exists(): shutil.rmtree(work)
    (work / 'data').mkdir(parents=True)
    d, L = Xtr.shape[1], ref_L(len(Xtr), 10)      # c = 10: the file prefix CIFAR-10 gives the scripts c = 10
    np.save(work / 'data' / 'nouns_embedding_ensemble.npy', V.astype(np.float32))
    np.save(work / 'data' / 'CIFAR-10_image_embedding_train.npy', Xtr.astype(np.float32))
    np.save(work / 'data' / 'CIFAR-10_image_embedding_test.npy', Xte.astype(np.float32))
    np.savetxt(work / 'data' / 'CIFAR-10_labels_test.txt', yte)
    for f, s in src.items():
        if f == 'filter_nouns.py':
            assert 'cluster_num = 167' in s and '(cluster_num, 512)' in s
            s = s.replace('cluster_num = 167', f'cluster_num = {L}').replace('(cluster_num, 512)', f'(cluster_num, {d})')
        if f == 'train_head.py':
            assert 'in_dim=512' in s
            s = s.replace('in_dim=512', f'in_dim={d}')
        (work / f).write_text(s)
    (work / '_shim.py').write_text(SHIM)
    env = dict(os.environ, REF_SEED=str(seed), REF_PRED=str(work / 'pred.npy'), PYTHONWARNINGS='ignore')

    def run(script, times=1):
        for _ in range(times):                     # filter_nouns / train_head cache a first step and ask to be rerun
            r = subprocess.run([sys.executable, '_shim.py', script], cwd=work, env=env, capture_output=True, text=True)
            if r.returncode != 0: raise RuntimeError(f"reference {script} failed:\n{r.stdout[-2000:]}\n{r.stderr[-3000:]}")
    out = {}
    t = time.perf_counter()
    run('filter_nouns.py', 2); run('retrieve_text.py'); t_text = time.perf_counter() - t
    t = time.perf_counter(); run('train_head.py', 2)
    out['tac'] = (np.load(work / 'pred.npy'), t_text + time.perf_counter() - t)
    t = time.perf_counter(); run('concat_kmeans.py')
    out['tac-notrain'] = (np.load(work / 'pred.npy'), t_text + time.perf_counter() - t)
    n_sel = len(np.load(work / 'data' / 'CIFAR-10_filtered_nouns_embedding.npy'))
    out['info'] = dict(L=L, nouns_kept=n_sel)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--ref', required=True, help='TAC reference code: a checkout or a bare git directory')
    ap.add_argument('--datasets', nargs='+', default=['world', 'fashion-mnist@160'])
    ap.add_argument('--seeds', type=int, default=3)
    ap.add_argument('--out', default=str(OUT / 'tac_reference'))
    args = ap.parse_args(argv)
    from sic_nb.bench import load_bench_data
    from sic_nb.registry import make_method, assign
    from sic_nb.metrics import evaluate
    from sic_nb.ops import cpu_info
    from sic_nb.files import atomic_write
    src = ref_sources(Path(args.ref))
    jpath = Path(args.out + '.json')
    res = json.loads(jpath.read_text()) if jpath.exists() else {}
    rows = [('reference TAC (train_head.py)', None), ("sic_nb TAC, preset='published'", ('tac', 'published')),
            ('sic_nb TAC, defaults (gated)', ('tac', None)),
            ('reference TAC no-train (concat_kmeans.py, transductive)', None),
            ("sic_nb TAC no-train, preset='published' (transductive)", ('tac-notrain', 'published')),
            ('sic_nb TAC no-train, defaults (gated, inductive)', ('tac-notrain', None))]
    tmp = Path(tempfile.mkdtemp(prefix='tacref-'))
    for ds in args.datasets:
        for s in range(args.seeds):
            data = load_bench_data(ds, s, n_train=8000, n_test=2000)
            if data.n_classes != 10: raise SystemExit(f"{ds}: the reference scripts are run with c = 10 (CIFAR-10's constants); this set has {data.n_classes}")
            cell = res.setdefault(ds, {'desc': data.desc, 'rows': {}})
            todo = [lab for lab, _ in rows if str(s) not in cell['rows'].get(lab, {})]
            if not todo: continue
            if any(lab.startswith('reference') for lab in todo):
                r = run_reference(src, data.Xtr, data.Xte, data.yte, data.nouns.embeddings, s, tmp / f'{ds}-{s}')
                for lab, key in (('reference TAC (train_head.py)', 'tac'), ('reference TAC no-train (concat_kmeans.py, transductive)', 'tac-notrain')):
                    pred, sec = r[key]
                    m = evaluate(data.yte, pred)
                    cell['rows'].setdefault(lab, {})[str(s)] = dict(acc=m['acc'], nmi=m['nmi'], ari=m['ari'], seconds=sec, **r['info'])
                    print(f"[{ds} seed {s}] {lab}: ACC {100 * m['acc']:.1f} ({sec:.1f}s)", flush=True)
            for lab, spec in rows:
                if spec is None or lab not in todo: continue
                name, preset = spec
                t = time.perf_counter()
                est = make_method(name, n_clusters=data.n_classes, random_state=s, nouns=data.nouns, verbose=False,
                                  **({'preset': preset} if preset else {})).fit(data.Xtr)
                pred = assign(est, data.Xte, fitted_on=data.Xtr).argmax(1)
                sec = time.perf_counter() - t
                m = evaluate(data.yte, pred)
                cell['rows'].setdefault(lab, {})[str(s)] = dict(acc=m['acc'], nmi=m['nmi'], ari=m['ari'], seconds=sec,
                                                                 L=int(est.n_centers_), nouns_kept=len(est.noun_index_),
                                                                 text_choice=getattr(est, 'text_choice_', None))
                print(f"[{ds} seed {s}] {lab}: ACC {100 * m['acc']:.1f} ({sec:.1f}s)", flush=True)
            res['_machine'] = dict(cpu=cpu_info(), python=platform.python_version(), threads=os.cpu_count())
            atomic_write(jpath, json.dumps(res, indent=1))   # whole or not at all: a cut run resumes from it
    shutil.rmtree(tmp, ignore_errors=True)
    write_md(res, rows, Path(args.out + '.md'), args)


def write_md(res, rows, path, args):
    f = lambda v: f"{100 * np.mean(v):.1f} ± {100 * np.std(v):.1f}"
    lines = ['# TAC beside its reference code, on the same features', '',
             "`python benchmarks/tac_reference.py --ref <TAC reference code>`: the reference scripts (CPU shims only), sic_nb's published presets and its defaults; train split -> test split, "
             "labels only score; mean ± std over method seeds (ACC, NMI, ARI in %, wall seconds of the whole method on this "
             "machine's 2 cores, L = image centers of noun selection, nouns kept).", '',
             f"Machine: {res.get('_machine', {}).get('cpu', '?')}", '']
    for ds, cell in res.items():
        if ds.startswith('_'): continue
        lines += [f"## {ds}", '', cell['desc'], '', '| method | seeds | ACC | NMI | ARI | seconds | L | nouns kept | gate |', '|---|---|---|---|---|---|---|---|---|']
        for lab, _ in rows:
            r = cell['rows'].get(lab, {})
            if not r: continue
            v = list(r.values())
            ch = [x.get('text_choice') for x in v if x.get('text_choice')]
            gate = ', '.join(f"{k} {ch.count(k)}" for k in sorted(set(ch))) if ch else '-'
            lines.append(f"| {lab} | {','.join(sorted(r))} | {f([x['acc'] for x in v])} | {f([x['nmi'] for x in v])} | {f([x['ari'] for x in v])} "
                         f"| {np.mean([x['seconds'] for x in v]):.1f} | {v[0].get('L', '-')} | {v[0].get('nouns_kept', '-')} | {gate} |")
        lines.append('')
    path.write_text('\n'.join(lines) + '\n')
    print('\n'.join(lines))


if __name__ == '__main__':
    main()
