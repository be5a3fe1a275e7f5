#!/usr/bin/env python3
"""Write README.md from nbs/index.ipynb (Quarto, which `nbdev_readme` needs, cannot be installed here).

Markdown cells are copied as they are, except that a line `<!-- include: PATH -->` is replaced by the file PATH (relative to the
repository root; the README's results section is `benchmarks/results/README_results.md`, written by `sic_nb bench`); code cells
become ```python blocks followed by their text output; cells whose first line is `#| hide` are left out. `--check` exits 1 when
README.md is out of date (also when an included file changed and the README was not regenerated).
"""
import json, re, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NB, OUT = ROOT / "nbs" / "index.ipynb", ROOT / "README.md"

def text(x): return "".join(x) if isinstance(x, list) else x

INCLUDE = re.compile(r"^<!-- include: (\S+) -->$", re.M)

def include(m):
    path = ROOT / m.group(1)
    if not path.is_file(): sys.exit(f"make_readme: {m.group(0)} names a missing file; run `sic_nb bench` (or fix the path in nbs/index.ipynb)")
    return path.read_text(encoding="utf-8").rstrip()

def cell_md(cell):
    src = text(cell["source"]).rstrip()
    if cell["cell_type"] == "markdown": return INCLUDE.sub(include, src)
    if cell["cell_type"] != "code" or not src or src.lstrip().startswith("#| hide"): return ""
    lines = [l for l in src.splitlines() if not l.startswith("#|")]
    parts = ["```python\n" + "\n".join(lines) + "\n```"]
    outs = []
    for o in cell.get("outputs", []):
        if o.get("output_type") == "stream": outs.append(text(o["text"]))
        elif "text/plain" in o.get("data", {}): outs.append(text(o["data"]["text/plain"]))
    if outs: parts.append("```\n" + "".join(outs).rstrip() + "\n```")
    return "\n\n".join(parts)

def render():
    nb = json.loads(NB.read_text(encoding="utf-8"))
    body = "\n\n".join(s for s in map(cell_md, nb["cells"]) if s)
    note = "<!-- generated from nbs/index.ipynb by .ci/make_readme.py: edit the notebook, not this file -->\n\n"
    return note + body + "\n"

if __name__ == "__main__":
    new = render()
    if "--check" in sys.argv[1:]:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != new:
            print("README.md is out of date: run `python3 .ci/make_readme.py` and commit"); sys.exit(1)
        print("README.md in sync"); sys.exit(0)
    OUT.write_text(new, encoding="utf-8"); print(f"wrote {OUT.relative_to(ROOT)}")
