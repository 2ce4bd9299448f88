"""Print a results file of ``run.py`` as reStructuredText tables.

::

    python benchmarks/table.py benchmarks/results/latest.json

Two tables of ratios to the floor (instructions, then wall clock), one row per
system and one column per path; "n/a" where a system has no such path.
"""

from __future__ import annotations

import json
import sys
import typing as t


def _line(cells: list[str], widths: list[int]) -> str:
    return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()


def rst_table(report: dict[str, t.Any], key: str) -> str:
    results = report["results"]
    systems = list(dict.fromkeys(r["system"] for r in results))
    paths = list(dict.fromkeys(r["path"] for r in results))
    cells = {(r["system"], r["path"]): r[key] for r in results}
    rows = [["system", *paths]]
    for system in systems:
        row = [system]
        for path in paths:
            value = cells.get((system, path))
            row.append("n/a" if value is None else f"{value:.2f}")
        rows.append(row)
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    rule = "  ".join("=" * w for w in widths)
    lines = [rule, _line(rows[0], widths), rule]
    lines += [_line(row, widths) for row in rows[1:]]
    lines.append(rule)
    return "\n".join(lines)


def main() -> None:
    with open(
        sys.argv[1] if len(sys.argv) > 1 else "benchmarks/results/latest.json"
    ) as f:
        report = json.load(f)
    print("Instructions per request, ratio to the floor:\n")
    print(rst_table(report, "instructions_ratio"))
    print("\nWall clock per request (median), ratio to the floor:\n")
    print(rst_table(report, "wall_ratio"))


if __name__ == "__main__":
    main()
