"""Thin wrapper: the benchmark lives in sic_nb.bench (nbs/10_bench.ipynb); this is `sic_nb bench` / `python -m sic_nb.bench`.

    python benchmarks/bench.py                      # every registered method x world, digits, fashion-mnist, tuxpaint x 5 seeds
    python benchmarks/bench.py --methods kmeans --seeds 2
"""
import sys
from sic_nb.bench import bench_main

if __name__ == '__main__':
    sys.exit(bench_main())
