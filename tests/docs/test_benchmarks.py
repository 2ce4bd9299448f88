"""The benchmark keeps working: a short run writes a results file of the documented
shape. Only the shape is checked; timings never decide a test."""

from __future__ import annotations

import json
import subprocess
import sys
import typing as t
from pathlib import Path

from ..conftest import ROOT

ERROR_PATHS = [
    "abort 403",
    "unknown URL 404",
    "405",
    "unhandled 500",
    "deprecated 410",
    "429 retry_after",
]
ROW_KEYS = {
    "system",
    "path",
    "instructions",
    "instructions_ratio",
    "wall_us_median",
    "wall_ratio",
    "wall_spread_us",
}


def test_a_short_run_writes_the_results_file(tmp_path: Path) -> None:
    out = tmp_path / "latest.json"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "run.py"),
            "--quick",
            "--skip",
            "callgrind",
            "throughput",
            "--out",
            str(out),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    report: dict[str, t.Any] = json.loads(out.read_text())
    assert {"python", "flask", "werkzeug", "date", "machine"} <= set(report["meta"])
    rows = {(r["system"], r["path"]): r for r in report["results"]}
    assert all(set(r) == ROW_KEYS for r in report["results"])
    floor = rows[("flask", "200 JSON")]
    assert (floor["wall_ratio"], floor["instructions"]) == (1.0, None)
    assert [p for s, p in rows if s == "flask-status-envelope"] == [
        "200 JSON",
        *ERROR_PATHS,
    ]
    assert [p for s, p in rows if s == "handwritten"] == ERROR_PATHS
    measured = rows[("flask-status-envelope", "abort 403")]
    assert measured["wall_us_median"] > 0
    assert len(measured["wall_spread_us"]) == 2
    assert report["memory"]["requests"] == 2000
