"""SIC benchmark (thin wrapper over `sic_nb bench`): k-means, SIC-1/2/3 and SIC-3's ablations (no L_I, no L_IS, no balance,
head chosen by training loss) on the bench's data sets and protocol (nbs/10_bench.ipynb: train split -> test split, labels only
score), 5 seeds -> benchmarks/results/sic.{md,json,png}. Runs stored by `sic_nb bench` with the same settings are reused.

    python benchmarks/sic.py                                  # = sic_nb bench --name sic --methods '<the list below>'
    python benchmarks/sic.py --datasets world --seeds 2       # any `sic_nb bench` option overrides the preset
"""
import sys
from sic_nb.bench import bench_main

METHODS = ('kmeans;sic[mapping=sic1];sic[mapping=sic2];sic[mapping=sic3];sic[use_consistency=False];sic[use_semantic=False];'
           'sic[use_balance=False];sic[selection=loss]')

if __name__ == '__main__':
    sys.exit(bench_main(['--name', 'sic', '--methods', METHODS] + sys.argv[1:]))
