#!/usr/bin/env python3
"""Execute notebooks in place so that readers see their outputs (plots, tables), the way `nbdev_test` runs them.

Cells flagged with a test flag (e.g. `#| slow`) or `#| eval: false` are not run and keep the outputs they had,
unless the flag is passed with --flags. Then run `nbdev_clean`. Usage: python3 .ci/execute.py [--flags slow] nbs/X.ipynb ...
"""
import argparse, os, re, sys, time
from pathlib import Path
from execnb.nbio import read_nb, write_nb
from execnb.shell import CaptureShell

def directives(src):
    out = {}
    for line in src.splitlines():
        m = re.match(r'\s*#\|\s*([\w-]+:?)\s*(.*)', line)
        if m: out[m.group(1).rstrip(':')] = m.group(2).strip()
        elif line.strip(): break
    return out

def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('notebooks', nargs='+'); ap.add_argument('--flags', default='')
    a = ap.parse_args()
    skip = {'slow'} - set(a.flags.split())
    os.environ['IN_TEST'] = '1'
    for fn in map(Path, a.notebooks):
        fn = fn.resolve(); nb = read_nb(fn); t = time.time()
        def pre(cell):
            if cell.cell_type != 'code': return True
            d = directives(cell.source)
            if d.get('eval', '').lower() == 'false' or skip & d.keys(): return True
            cell.outputs = []
            return False
        sh = CaptureShell(fn, mpl_format='png')
        cwd = os.getcwd(); os.chdir(fn.parent)
        try: sh.run_all(nb, exc_stop=True, preproc=pre)
        except Exception as e:
            print(f"FAILED {fn.name}: {e}", file=sys.stderr); sys.exit(1)
        finally: os.chdir(cwd)
        write_nb(nb, fn); print(f"executed {fn.name} in {time.time() - t:.0f}s")

if __name__ == '__main__': main()
