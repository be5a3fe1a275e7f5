"""TAC benchmark (thin wrapper over `sic_nb bench`): k-means, TAC without training and TAC on the bench's data sets and protocol
(nbs/10_bench.ipynb: train split -> test split, labels only score), 5 seeds -> benchmarks/results/tac.{md,json,png}. Runs stored by
`sic_nb bench` are reused. Time per stage at scale: benchmarks/scale.py (scale.md) and benchmarks/speed.py.

    python benchmarks/tac.py                                  # = sic_nb bench --name tac --methods 'kmeans;tac-notrain;tac'
    python benchmarks/tac.py --datasets world --seeds 2       # any `sic_nb bench` option overrides the preset
"""
import sys
from sic_nb.bench import bench_main

if __name__ == '__main__':
    sys.exit(bench_main(['--name', 'tac', '--methods', 'kmeans;tac-notrain;tac'] + sys.argv[1:]))
