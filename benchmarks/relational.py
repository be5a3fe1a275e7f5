"""Relational-method benchmark (thin wrapper over `sic_nb bench`): k-means, TAC (no train / trained) and the relational method
(no train / trained) on the bench's data sets and protocol (nbs/10_bench.ipynb: train split -> test split, labels only score),
5 seeds -> benchmarks/results/relational.{md,json,png}. Runs stored by `sic_nb bench` are reused. The paper's claims are measured
in nbs/07_relational.ipynb (`relational_claims`); time per stage at scale in `sic_nb bench --scale` and benchmarks/speed.py.

    python benchmarks/relational.py                           # = sic_nb bench --name relational --methods '<the list below>'
    python benchmarks/relational.py --datasets world --seeds 2
"""
import sys
from sic_nb.bench import bench_main

METHODS = 'kmeans;tac-notrain;tac;relational-notrain;relational'

if __name__ == '__main__':
    sys.exit(bench_main(['--name', 'relational', '--methods', METHODS] + sys.argv[1:]))
