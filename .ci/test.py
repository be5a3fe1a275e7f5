#!/usr/bin/env python3
"""The project's test command: repository checks + every notebook under `nbdev_test`.

Prints one line per check and notebook, then `N passed, N failed`; exits non-zero on any failure.
Usage: python3 .ci/test.py [--flags slow] [--workers 2] [--profiles native,avx2] [notebook ...]

The notebooks run twice by default: with this CPU's own kernels ('native') and under the AVX2 profile (`sic_nb.ops.CPU_PROFILES`:
torch, oneDNN, MKL, OpenBLAS and faiss as on a CPU without AVX-512, AMX or bf16), so that a result only one kind of CPU gives
is caught before it lands.
"""
import argparse, hashlib, os, subprocess, sys, time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.chdir(ROOT)

def digest(paths):
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(paths)}

def changed_by(cmd, paths_fn):
    "Run `cmd`; return the files in `paths_fn()` it created, changed or removed."
    before = digest(paths_fn())
    try: r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    except (subprocess.TimeoutExpired, OSError) as e: r = subprocess.CompletedProcess(cmd, 1, "", f"{type(e).__name__}: {e}")
    after = digest(paths_fn())
    diff = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    return r, diff

def check_clean():
    r, diff = changed_by(["nbdev_clean"], lambda: ROOT.glob("nbs/**/*.ipynb"))
    if r.returncode: return False, r.stderr[-2000:]
    return (not diff), ("nbdev_clean changed: " + ", ".join(diff) + " (run nbdev_clean and commit)") if diff else ""

def check_export():
    r, diff = changed_by(["nbdev_export"], lambda: ROOT.glob("sic_nb/**/*.py"))
    if r.returncode: return False, r.stderr[-2000:]
    return (not diff), ("nbdev_export changed: " + ", ".join(diff) + " (run nbdev_export and commit)") if diff else ""

def check_readme():
    r = subprocess.run([sys.executable, ".ci/make_readme.py", "--check"], capture_output=True, text=True)
    return r.returncode == 0, (r.stdout + r.stderr)[-2000:]

def check_cli():
    r = subprocess.run([sys.executable, "-m", "sic_nb.cli", "cluster", "--help"], capture_output=True, text=True)
    ok = r.returncode == 0 and "--n-clusters" in r.stdout
    return ok, "" if ok else (r.stdout + r.stderr)[-2000:]

def check_lint():
    "ruff, lint rules only (pyproject.toml [tool.ruff.lint]), over the library, the CI scripts and the benchmarks."
    r = subprocess.run([sys.executable, "-m", "ruff", "check", "--output-format", "concise", "sic_nb", ".ci", "benchmarks"],
                       capture_output=True, text=True)
    return r.returncode == 0, (r.stdout + r.stderr)[-3000:]

def check_layers():
    "Every sic_nb module imports only modules of a lower layer (.ci/layers.py)."
    r = subprocess.run([sys.executable, ".ci/layers.py"], capture_output=True, text=True)
    return r.returncode == 0, (r.stdout + r.stderr)[-3000:]

def check_browser():
    "The cluster explorer in a real browser: .ci/browser_test.py (Playwright driving Debian's chromium; fails if either is missing)."
    r = subprocess.run([sys.executable, ".ci/browser_test.py"], capture_output=True, text=True, timeout=900)
    return r.returncode == 0, (r.stdout + r.stderr)[-3000:]

def check_benchmark_smoke():
    "The study scripts that live in benchmarks/ (not in a notebook) run their own small checks (`--smoke`), so they cannot rot."
    out = []
    for script in ("scale.py", "throughput.py", "knn_profile.py", "kmeans_restarts.py", "many_clusters.py", "scale_seeds.py"):
        try: r = subprocess.run([sys.executable, f"benchmarks/{script}", "--smoke"], capture_output=True, text=True, timeout=600)
        except subprocess.TimeoutExpired: return False, f"benchmarks/{script} --smoke did not finish in 600 s"
        if r.returncode: return False, f"benchmarks/{script} --smoke: " + (r.stdout + r.stderr)[-2000:]
        out.append(script)
    return True, ""

def run_notebook(nb, flags, env=None):
    cmd = ["nbdev_test", "--path", str(nb), "--do_print"]
    if flags: cmd += ["--flags", flags]
    t = time.time()
    # a notebook gets 30 minutes; with slow cells (full-size runs that recompute what changed) 6 hours, the slow job's limit
    try: r = subprocess.run(cmd, capture_output=True, text=True, timeout=21600 if flags else 1800, env=env)
    except (subprocess.TimeoutExpired, OSError) as e: return False, time.time() - t, f"{type(e).__name__}: {e}"
    out = r.stdout + r.stderr
    ok = r.returncode == 0 and "Success" in out
    return ok, time.time() - t, out[-4000:]

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("notebooks", nargs="*", help="notebooks to test (default: all in nbs/)")
    ap.add_argument("--flags", default="", help="test flags to enable, e.g. 'slow' (settings.ini tst_flags)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--no-checks", action="store_true", help="skip the repository checks")
    ap.add_argument("--profiles", default="native,avx2",
                    help="CPU profiles to run the notebooks under, comma-separated (sic_nb.ops.CPU_PROFILES; default: native,avx2)")
    a = ap.parse_args()
    passed = failed = 0
    def report(name, ok, secs, detail=""):
        nonlocal passed, failed
        passed += ok; failed += (not ok)
        print(f"{'PASS' if ok else 'FAIL'}  {name:<40} {secs:6.1f}s", flush=True)
        if not ok and detail: print("      " + detail.strip().replace("\n", "\n      "), flush=True)
    if not a.no_checks:
        for name, fn in [("check: notebooks clean", check_clean), ("check: library in sync", check_export),
                         ("check: README in sync", check_readme), ("check: sic_nb cluster --help", check_cli),
                         ("check: ruff lint", check_lint), ("check: layers read bottom-up", check_layers),
                         ("check: explorer in chromium", check_browser), ("check: benchmark scripts' smoke runs", check_benchmark_smoke)]:
            t = time.time()
            try: ok, detail = fn()
            except Exception as e: ok, detail = False, f"{type(e).__name__}: {e}"
            report(name, ok, time.time() - t, detail)
    nbs = [Path(p) for p in a.notebooks] or sorted(p for p in (ROOT / "nbs").glob("*.ipynb") if not p.name.startswith("_"))
    from sic_nb.ops import cpu_profile_env
    for profile in [p.strip() for p in a.profiles.split(",") if p.strip()]:
        env, tag = cpu_profile_env(profile), "" if profile == "native" else f" [{profile}]"
        t0 = time.time()
        with ThreadPoolExecutor(a.workers) as ex:
            for nb, (ok, secs, out) in zip(nbs, ex.map(lambda nb, env=env: run_notebook(nb, a.flags, env), nbs)):
                report(f"notebook: {nb.name}{tag}", ok, secs, "" if ok else out)
        print(f"notebooks ({profile} CPU profile) took {time.time() - t0:.0f}s with {a.workers} workers", flush=True)
    print(f"{passed} passed, {failed} failed", flush=True)
    sys.exit(1 if failed else 0)

if __name__ == "__main__":
    main()
