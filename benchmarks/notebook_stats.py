"""How the notebooks read, measured from the .ipynb files (the table of the readers' redesign): lines per exported cell (median,
90th percentile, max), exported cells over 100 lines, `show_doc` calls, share of source lines over 120 characters (longest),
committed output in nbs/ (PNG bytes of the total). Prints a markdown table; compare with fastcore's and nbdev's own notebooks.

    python benchmarks/notebook_stats.py [NBS_DIR]
"""
import base64, json, sys
from pathlib import Path
import numpy as np


def stats(nbs_dir) -> dict:
    files = sorted(Path(nbs_dir).glob('*.ipynb'))
    exported, show_doc, lines, png, total = [], 0, [], 0, 0
    for f in files:
        total += f.stat().st_size
        for c in json.loads(f.read_text())['cells']:
            src = ''.join(c['source']); ls = src.splitlines()
            lines += ls
            if c['cell_type'] != 'code': continue
            show_doc += src.count('show_doc(')
            if any(l.strip().startswith('#| export') for l in ls[:3]): exported.append(len(ls))
            for o in c.get('outputs', []):
                d = o.get('data', {}).get('image/png')
                if d: png += len(base64.b64decode(''.join(d) if isinstance(d, list) else d))
    n = np.array(exported)
    long = [len(l) for l in lines if len(l) > 120]
    return dict(notebooks=len(files), exported_cells=len(n), median=float(np.median(n)), p90=float(np.percentile(n, 90)), max=int(n.max()),
                over_100=int((n > 100).sum()), show_doc=show_doc, long_share=len(long) / max(len(lines), 1), longest=max(long, default=0),
                png_mb=png / 1e6, total_mb=total / 1e6)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    s = stats(argv[0] if argv else Path(__file__).resolve().parents[1] / 'nbs')
    print('| measure | value |\n|---|---|')
    print(f"| lines per exported cell: median / 90th percentile / max | {s['median']:.0f} / {s['p90']:.0f} / {s['max']} |")
    print(f"| exported cells over 100 lines | {s['over_100']} of {s['exported_cells']} |")
    print(f"| `show_doc` calls | {s['show_doc']} |")
    print(f"| lines over 120 characters | {100 * s['long_share']:.0f}% (longest {s['longest']}) |")
    print(f"| committed output in `nbs/` | {s['png_mb']:.2f} of {s['total_mb']:.2f} MB (PNG) |")


if __name__ == '__main__':
    sys.exit(main())
