"""The CUDA paths of sic_nb, checked and timed on one GPU: the open_clip backend (a tiny random model saved to a local file) in fp16
on the GPU against fp32 on the CPU, and the heads of SIC and TAC (float32 and bfloat16) on the GPU against the CPU paths, on the
semantic world at 10,000 and 50,000 rows with one shared k-NN table. Needs a CUDA device (falls back to the CPU, then it only
checks that the script runs).

    python benchmarks/gpu.py            # -> benchmarks/results/gpu.{json,md}  ($OUT instead, when set)

Figures of the last run are in benchmarks/results/gpu.md (an H200, 2026-11-30)."""
import os, sys, time, json
from pathlib import Path
import numpy as np, torch
sys.path.insert(0, os.getcwd())
OUT = Path(os.environ.get('OUT') or Path(__file__).resolve().parent / 'results'); OUT.mkdir(parents=True, exist_ok=True)
os.environ.setdefault('SIC_NB_CACHE', '/tmp/sic_cache')
dev = 'cuda' if torch.cuda.is_available() else 'cpu'
R = dict(torch=torch.__version__, device=torch.cuda.get_device_name(0) if dev == 'cuda' else 'cpu', cpus=os.cpu_count())
def say(*a): print(*a, flush=True)
def sync():
    if dev == 'cuda': torch.cuda.synchronize()
say(R)
from sic_nb.features import make_tiny_openclip_checkpoint, OpenClipBackend, extract_features
from sic_nb.data import load_digits_source
from sic_nb.metrics import evaluate
from sic_nb.ops import l2_normalize

# 1. open_clip backend, fp16 on the GPU vs fp32 on the CPU, same local checkpoint
ck = make_tiny_openclip_checkpoint('/tmp/sic_tiny/tiny.pt')
src = load_digits_source('train')
bg = OpenClipBackend('sic-tiny-vit', ck, device=dev)
bc = OpenClipBackend('sic-tiny-vit', ck, device='cpu')
R['gpu_precision'] = bg.precision
for name, b in [('gpu', bg), ('cpu', bc)]:
    t = time.perf_counter(); F = extract_features(src, b, batch_size=256, cache_dir=f'/tmp/sic_cache_{name}', verbose=False); sync()
    R[f'extract_{name}_s'] = time.perf_counter() - t; R[f'extract_{name}_img_per_s'] = len(F) / R[f'extract_{name}_s']
    if name == 'gpu': Fg = np.asarray(F)
    else: Fc = np.asarray(F)
cos = (l2_normalize(Fg) * l2_normalize(Fc)).sum(1)
R.update(n_images=len(Fg), feature_cos_fp16_vs_fp32_min=float(cos.min()), feature_cos_mean=float(cos.mean()))
words = [f'a photo of a thing number {i}' for i in range(2000)]
t = time.perf_counter(); Tg = bg.encode_texts(words); sync(); R['text_gpu_s'] = time.perf_counter() - t
Tc = bc.encode_texts(words[:256]); R['text_cos_min'] = float((Tg[:256] * Tc).sum(1).min())
bare = torch.randn(1024, 3, 32, 32)
with torch.inference_mode():
    for _ in range(3): bg.encode_images(bare)
    sync(); t = time.perf_counter()
    for _ in range(10): bg.encode_images(bare)
    sync(); R['bare_forward_gpu_img_per_s'] = 10240 / (time.perf_counter() - t)
say({k: v for k, v in R.items() if 'extract' in k or 'cos' in k or 'text' in k or 'bare' in k})

# 2. heads on the GPU: SIC and TAC on the semantic world, the same fit on the CPU (agreement of the two label sets)
from sic_nb.bench import scale_world
from sic_nb.train import SIC
from sic_nb.tac import TAC
from sic_nb.ops import knn
for n, ep in [(10_000, 20), (50_000, 100)]:
    U, y, nouns = scale_world(n, 10, 512)
    K = knn(U, 50)[1]
    for name, make in [('sic', lambda d, nz=nouns, e=ep: SIC(n_clusters=10, nouns=nz, epochs=e, device=d, verbose=False, text_weight=1.0)),
                       ('tac', lambda d, nz=nouns: TAC(n_clusters=10, nouns=nz, device=d, verbose=False, precision='float32', text_weight=1.0)),
                       ('tac_bf16', lambda d, nz=nouns: TAC(n_clusters=10, nouns=nz, device=d, verbose=False, precision='bfloat16', text_weight=1.0))]:
        devs = [dev, 'cpu'] if n == 10_000 and name != 'tac_bf16' else [dev]
        labs = {}
        for d in devs:
            torch.manual_seed(0); sync(); t = time.perf_counter()
            m = make(d).fit(U, knn_idx=K); sync()
            labs[d] = m.labels_
            R[f'{name}_{n}_{d}_fit_s'] = time.perf_counter() - t
            R[f'{name}_{n}_{d}_train_s'] = float(m.timings_.get('train', float('nan')))
            R[f'{name}_{n}_{d}_acc'] = float(evaluate(y, m.labels_)['acc'])
            say(name, n, d, round(R[f'{name}_{n}_{d}_fit_s'], 2), 'train', round(R[f'{name}_{n}_{d}_train_s'], 2), 'acc', round(R[f'{name}_{n}_{d}_acc'], 4))
        if len(devs) == 2: R[f'{name}_{n}_gpu_vs_cpu_label_acc'] = float(evaluate(labs['cpu'], labs[dev])['acc'])
    if dev == 'cuda': R[f'peak_gpu_mb_{n}'] = torch.cuda.max_memory_allocated() / 2**20
(OUT / 'gpu.json').write_text(json.dumps(R, indent=1))
md = ['# CUDA paths (benchmarks/gpu.py)', '', f"{R['device']}, torch {R['torch']}, {R['cpus']} CPU cores. Seconds are wall seconds.", '',
      f"open_clip backend, tiny random model from a local file, {R['n_images']} digits images: GPU ({R['gpu_precision']}) "
      f"{R['extract_gpu_img_per_s']:.0f} img/s, CPU fp32 {R['extract_cpu_img_per_s']:.0f} img/s (loading and decoding dominate for a model this small; "
      f"bare forward pass on the GPU {R['bare_forward_gpu_img_per_s']:.0f} img/s). Cosine of GPU fp16 vs CPU fp32 features: min "
      f"{R['feature_cos_fp16_vs_fp32_min']:.6f}; of text features: min {R['text_cos_min']:.6f}.", '',
      '| method | n | device | fit s | train s | ACC (report only) |', '|---|---|---|---|---|---|']
for k in sorted(k for k in R if k.endswith('_fit_s')):
    name, n, d = k[:-len('_fit_s')].rsplit('_', 2)
    md.append(f"| {name} | {int(n):,} | {d} | {R[k]:.2f} | {R[k.replace('_fit_s', '_train_s')]:.2f} | {100 * R[k.replace('_fit_s', '_acc')]:.2f} |")
md += [''] + [f"Labels of the GPU fit against the CPU fit ({k.split('_')[0]}, n = {int(k.split('_')[1]):,}): agreement {100 * v:.1f} % after matching."
              for k, v in R.items() if k.endswith('gpu_vs_cpu_label_acc')]
(OUT / 'gpu.md').write_text('\n'.join(md) + '\n')
say('\n'.join(md))
