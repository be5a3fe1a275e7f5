"""Timing of SIC's semantic space construction, semantic centers and pseudo-labels at full scale.

Stand-in data: 82,115 random unit "noun" vectors (the size of the WordNet noun vocabulary) and 60,000 "image"
vectors (10 random prototypes + noise, L2-normalised), d = 512 (CLIP ViT-B/32). Prints a table and writes
benchmarks/results/semantic.md.  Usage: python benchmarks/semantic.py [--n 60000] [--m 82115] [--d 512] [--c 10] [--gamma-r 500]
"""
import argparse, os, platform, time
from pathlib import Path
import numpy as np

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--n', type=int, default=60_000); ap.add_argument('--m', type=int, default=82_115)
    ap.add_argument('--d', type=int, default=512); ap.add_argument('--c', type=int, default=10)
    ap.add_argument('--gamma-r', type=int, default=500); ap.add_argument('--repeats', type=int, default=1)
    ap.add_argument('--out', default=str(Path(__file__).parent / 'results' / 'semantic.md'))
    a = ap.parse_args(argv)
    import faiss
    from sic_nb.semantic_space import uniqueness, build_semantic_space
    from sic_nb.pseudolabels import semantic_centers, pseudo_labels, one_hot
    from sic_nb.ops import kmeans, l2_normalize
    rng = np.random.default_rng(0)
    protos = l2_normalize(rng.standard_normal((a.c, a.d)))
    y = rng.integers(0, a.c, a.n)
    U = l2_normalize(protos[y] + 0.05 * rng.standard_normal((a.n, a.d)).astype(np.float32))
    V = l2_normalize(rng.standard_normal((a.m, a.d)).astype(np.float32) + 0.3)    # common offset, like a text cone
    names = [f'noun{i}' for i in range(a.m)]
    rows = []
    def timeit(label, f):
        best, cpu = np.inf, np.inf
        for _ in range(a.repeats):
            t, c = time.perf_counter(), time.process_time(); r = f()
            best, cpu = min(best, time.perf_counter() - t), min(cpu, time.process_time() - c)
        rows.append((label, best, cpu)); print(f'{label:<55} {best:8.2f} s wall {cpu:8.2f} s CPU', flush=True); return r
    timeit(f'uniqueness rho ({a.m} x {a.d})', lambda: uniqueness(V))
    km = timeit(f'k-means on images ({a.n} x {a.d}, c={a.c}, 50 iter)', lambda: kmeans(U, a.c, seed=0, niter=50))
    timeit(f'build_semantic_space, k-means reused (gamma_r={a.gamma_r})',
           lambda: build_semantic_space(U, V, names, a.c, gamma_r=a.gamma_r, kmeans_result=km))
    sp = timeit(f'build_semantic_space total (gamma_r={a.gamma_r})', lambda: build_semantic_space(U, V, names, a.c, gamma_r=a.gamma_r, seed=0))
    Q = one_hot(sp.kmeans_labels, a.c)
    for m in ('sic1', 'sic2', 'sic3'):
        H = timeit(f'semantic_centers {m} (T size {len(sp)}, xi_a=20)', lambda m=m: semantic_centers(U, Q, sp, m, xi_a=20))
    timeit(f'pseudo_labels (Eq. 5, {a.n} x {a.c})', lambda: pseudo_labels(U, H))
    env = (f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPU cores, faiss threads {faiss.omp_get_max_threads()}, "
           f"load average {os.getloadavg()[0]:.1f} at the end, numpy {np.__version__}, faiss {faiss.__version__}")
    md = ["# Semantic space / pseudo-label timings", "",
          f"Stand-in data: {a.n} image vectors and {a.m} noun vectors (random, L2-normalised), d={a.d}, c={a.c}.", f"Machine: {env}.", "",
          "| step | wall s | CPU s (all threads) |", "|---|---|---|"] + [f"| {l} | {t:.2f} | {c:.2f} |" for l, t, c in rows] + [""]
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(a.out).with_suffix('.tmp'); tmp.write_text('\n'.join(md)); os.replace(tmp, a.out)
    print(f'\n{env}\nwrote {a.out}')

if __name__ == '__main__': main()
