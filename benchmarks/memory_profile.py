"""Where a fit's memory goes: fit METHOD at its defaults (text gate included; trained methods one epoch, as in
benchmarks/scale_gated.py) on the semantic world (`sic_nb.bench.scale_world(N, C)`, d = 512), reading the shared image 50-NN
table of scale_gated.py; sample the process's resident memory every 20 ms with the main thread's stack, and print the peak
rise above the data, a line each time the rise passes another 2 GB (with where), the stack at the peak, and the largest rise
seen in each innermost frame. Stops the fit (exit 3) above a 19 GB rise, so a 24 GB machine survives it.

    python benchmarks/memory_profile.py relational-notrain 1000000 100
"""
import sys, os, time, threading, traceback, collections
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
method, n, c = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def rss(): return int(open('/proc/self/statm').read().split()[1]) * os.sysconf('SC_PAGE_SIZE')
from scale_gated import shared_table
from sic_nb.bench import scale_world, bench_cache_dir, _EPOCH_PARAMS
from sic_nb.registry import get_method
from sic_nb.metrics import evaluate
U, y, nouns = scale_world(n, c, 512)
K, _ = shared_table(n, c, U, bench_cache_dir() / 'scale')
info = get_method(method); acc_ = info.estimator().get_params()
p = {k: v for k, v in dict(n_clusters=c, random_state=0, nouns=nouns, verbose=False).items() if k in acc_}
ep = [e for e in _EPOCH_PARAMS if e in acc_]
if ep: p[ep[0]] = 1
if ep and 'min_steps' in acc_: p['min_steps'] = 1
main = threading.main_thread().ident
samples, stop, watch = [], False, [2 * 2**30]
def sampler():
    while not stop:
        f = sys._current_frames().get(main)
        st = traceback.extract_stack(f)[-8:] if f is not None else []
        r = rss(); frames = [f"{os.path.basename(s.filename)}:{s.lineno} {s.name}" for s in st if 'site-packages' not in s.filename or 'sic_nb' in s.filename]
        samples.append((r, frames))
        if r - base > watch[0]:
            watch[0] += 2 * 2**30; print(f"  rise {(r - base) / 2**30:.1f} GB at " + ' < '.join(reversed(frames[-5:])), flush=True)
        if r - base > 19 * 2**30: print('  KILLED at 19 GB', flush=True); os._exit(3)
        time.sleep(0.02)
base = rss(); print(f'base {base/2**30:.1f} GB', flush=True); th = threading.Thread(target=sampler, daemon=True); th.start()
t = time.time(); est = info.make(**p).fit(U, knn_idx=K); wall = time.time() - t
stop = True; th.join()
peak = max(s[0] for s in samples)
print(f"{method} n={n} c={c}: wall {wall:.1f}s, peak rise {(peak - base) / 2**30:.2f} GB, acc {evaluate(y, est.labels_)['acc']:.4f}, gate {est.text_gate()['decision'] if est.text_gate() else None}")
top = sorted(samples, key=lambda s: -s[0])[:1]
for r, st in top:
    print(f"  {(r - base) / 2**30:.2f} GB at:"); [print('    ', x) for x in st[-6:]]
# the stages: rise by innermost sic_nb frame, max
by = collections.defaultdict(int)
for r, st in samples:
    key = next((x for x in reversed(st) if '.py' in x and ('sic_nb' in x or x.split(':')[0] in ('methods.py','tac.py','relational.py','train.py','text_gate.py','ops.py','text_side.py','gauge.py','semantic_space.py','heads.py','pseudolabels.py'))), '?')
    by[key] = max(by[key], r - base)
for k, v in sorted(by.items(), key=lambda kv: -kv[1])[:10]: print(f"  {v / 2**30:6.2f} GB  {k}")
