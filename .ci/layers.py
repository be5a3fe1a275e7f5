#!/usr/bin/env python3
"""The house reads bottom-up: every sic_nb module imports only modules of a lower layer (never one of its own layer, never one
above), wherever the import is written (top of the module or inside a function). Exits non-zero and names each import that
breaks the order, or a module missing from the table.

    python3 .ci/layers.py
"""
import ast, sys
from pathlib import Path

LAYERS = [  # bottom first
    ['logs'],                                                   # how the library tells the user what happens
    ['data', 'ops', 'metrics', 'wordnet', 'world', 'losses', 'files'],   # data, numbers, safe writes
    ['nouns', 'semantic_space', 'diagnostics'],                 # a vocabulary, SIC's space, the theory's quantities
    ['features', 'pseudolabels', 'heads', 'n_clusters', 'text_side'],   # encoders; the semantic steps, heads, the text side
    ['distributed', 'gauge'],                                   # extraction at scale; the text gauge
    ['methods'],                                                # the estimator contract
    ['text_gate'],                                              # the base of the methods with a text side: the gate
    ['train', 'tac', 'relational'],                             # the methods (siblings: none imports another)
    ['theory', 'registry', 'explore'],                          # studies, the method table, the explorer
    ['bench'],
    ['cli'],
]
IGNORE = {'__init__', '_modidx'}


def imports(path: Path) -> set:
    "The sic_nb modules `path` imports, anywhere in it."
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            mod = node.module or ''
            if node.level == 1: out |= {mod.split('.')[0]} if mod else {a.name for a in node.names}
            elif mod.startswith('sic_nb.'): out.add(mod.split('.')[1])
            elif mod == 'sic_nb': out |= {a.name for a in node.names}
        elif isinstance(node, ast.Import):
            out |= {a.name.split('.')[1] for a in node.names if a.name.startswith('sic_nb.')}
    return out


def check(root: Path) -> list[str]:
    layer = {m: i for i, ms in enumerate(LAYERS) for m in ms}
    errors = []
    for f in sorted((root / 'sic_nb').glob('*.py')):
        m = f.stem
        if m in IGNORE: continue
        if m not in layer: errors.append(f"sic_nb/{f.name}: not in .ci/layers.py's LAYERS; add it to the layer it belongs to"); continue
        for d in sorted(imports(f) - {m} - IGNORE - {'__version__'}):
            if d in layer and layer[d] >= layer[m]:
                how = 'its own layer (a sibling)' if layer[d] == layer[m] else 'a layer above it'
                errors.append(f"sic_nb/{f.name} imports sic_nb.{d}, {how}: move the shared part down, or pass it in")
    return errors


if __name__ == '__main__':
    errs = check(Path(__file__).resolve().parent.parent)
    print('\n'.join(errs) if errs else f"layers: {sum(map(len, LAYERS))} modules, every import goes down")
    sys.exit(1 if errs else 0)
