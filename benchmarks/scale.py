"""Thin wrapper for the scaling study of sic_nb.bench (nbs/10_bench.ipynb): the semantic world at n = 10k, 100k, 1M,
d = 512, c = 10 and 100 -> benchmarks/results/scale.{json,md,png}. Resumable (finished stages are kept in scale.json).

    nice python benchmarks/scale.py                                   # everything (hours on 2 cores; see scale.md)
    python benchmarks/scale.py --scale-n 10000 --scale-c 10 --methods kmeans   # a quick look
"""
import sys
from sic_nb.bench import bench_main

if __name__ == '__main__':
    sys.exit(bench_main(['--scale'] + sys.argv[1:]))
