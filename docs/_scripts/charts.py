"""Draw the docs' pictures as SVG from data in the repository.

- ``deprecation-timeline.svg`` from ``docs/_data/deprecation-timeline.json``;
- ``benchmark.svg`` from ``benchmarks/results/latest.json`` (written by the
  benchmark), or from ``docs/_data/benchmark-sample.json`` until that exists, in
  which case the chart says it shows sample data.

Plain SVG text, no plotting library. ``docs/conf.py`` calls :func:`write_all` at
every build; ``python docs/_scripts/charts.py OUT_DIR`` does the same by hand.
"""

from __future__ import annotations

import json
import sys
import typing as t
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

ROOT = Path(__file__).resolve().parent.parent.parent
TIMELINE_DATA = ROOT / "docs" / "_data" / "deprecation-timeline.json"
BENCHMARK_DATA = ROOT / "benchmarks" / "results" / "latest.json"
BENCHMARK_SAMPLE = ROOT / "docs" / "_data" / "benchmark-sample.json"

FONT = "font-family:system-ui,-apple-system,'Segoe UI',sans-serif"
COLORS = ["#4c9a2a", "#d79b00", "#b22222", "#3465a4", "#75507b"]


def _svg(width: int, height: int, title: str, parts: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}" role="img" aria-label={quoteattr(title)}'
        f' style="{FONT}">\n'
        f"<title>{escape(title)}</title>\n"
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>\n'
        + "".join(part + "\n" for part in parts)
        + "</svg>\n"
    )


def _text(x: float, y: float, text: str, size: int = 13, **attrs: str) -> str:
    extra = "".join(f" {k.replace('_', '-')}={quoteattr(v)}" for k, v in attrs.items())
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}"{extra}>{escape(text)}</text>'
    )


def timeline_svg(data: dict[str, t.Any]) -> str:
    """Return the deprecation timeline: one band per phase, one tick per event.

    Bounded phases are as wide as they are long; open-ended ones get a fixed
    width.
    """
    width, left, right, open_width = 760, 20, 20, 150
    phases = data["phases"]
    days = [
        (date.fromisoformat(p["end"]) - date.fromisoformat(p["start"])).days
        for p in phases
        if p["start"] and p["end"]
    ]
    open_count = sum(1 for p in phases if not (p["start"] and p["end"]))
    scale = (width - left - right - open_count * open_width) / max(sum(days), 1)
    parts = [_text(left, 24, data["title"], 15, font_weight="bold")]
    x: float = left
    band_y, band_h = 70, 44
    positions: dict[str, float] = {}
    for index, phase in enumerate(phases):
        if phase["start"] and phase["end"]:
            span = (
                date.fromisoformat(phase["end"]) - date.fromisoformat(phase["start"])
            ).days
            w = span * scale
        else:
            w = open_width
        color = COLORS[index % len(COLORS)]
        parts.append(
            f'<rect x="{x:.1f}" y="{band_y}" width="{w:.1f}" height="{band_h}"'
            f' fill="{color}" fill-opacity="0.18" stroke="{color}"/>'
        )
        parts.append(_text(x + 8, band_y + 18, phase["label"], 14, font_weight="bold"))
        parts.append(_text(x + 8, band_y + 36, phase["response"], 12))
        if phase["start"]:
            positions.setdefault(phase["start"], x)
        if phase["end"]:
            positions[phase["end"]] = x + w
        x += w
    for index, event in enumerate(data["events"]):
        ex = positions[event["date"]]
        label_y = band_y + band_h + 28 + 20 * index
        parts.append(
            f'<line x1="{ex:.1f}" y1="{band_y - 12}" x2="{ex:.1f}" y2="{label_y - 12}"'
            ' stroke="#333" stroke-dasharray="3,2"/>'
        )
        parts.append(_text(ex, band_y - 16, event["date"], 12, text_anchor="middle"))
        anchor = "end" if ex > width / 2 else "start"
        parts.append(_text(ex, label_y, event["label"], 12, text_anchor=anchor))
    height = band_y + band_h + 28 + 20 * len(data["events"])
    return _svg(width, height, data["title"], parts)


def _fmt(value: float | None, unit: str = "") -> str:
    if value is None:
        return "n/a"
    if value >= 10000:
        return f"{value:,.0f}{unit}"
    return f"{value:g}{unit}"


def benchmark_svg(data: dict[str, t.Any]) -> str:
    """Return the benchmark chart: per path and system, the instructions per
    request and the median wall time with its spread, and each system's ratio.
    """
    results = data["results"]
    sample = bool(data.get("meta", {}).get("sample"))
    title = "Cost of one error response"
    if sample:
        title += " (SAMPLE DATA, not a measurement)"
    systems = list(dict.fromkeys(r["system"] for r in results))
    width, label_w, bar_w, row_h = 760, 190, 300, 22
    panels = [
        ("Instructions per request", "instructions", "instructions_ratio", None, ""),
        (
            "Wall time per request, median (µs)",
            "wall_us_median",
            "wall_ratio",
            "wall_spread_us",
            " µs",
        ),
    ]
    parts = [_text(20, 24, title, 15, font_weight="bold")]
    y = 50
    for name, key, ratio_key, spread_key, unit in panels:
        parts.append(_text(20, y, name, 14, font_weight="bold"))
        y += 10
        top = max(
            [r[key] or 0 for r in results]
            + [max(r[spread_key] or [0]) for r in results if spread_key]
        )
        scale = bar_w / top if top else 0.0
        for path in dict.fromkeys(r["path"] for r in results):
            y += 8
            parts.append(_text(20, y + 14, f"path {path}", 12, fill="#555"))
            y += row_h
            for r in (r for r in results if r["path"] == path):
                color = COLORS[systems.index(r["system"]) % len(COLORS)]
                parts.append(
                    _text(20 + label_w - 8, y + 15, r["system"], 12, text_anchor="end")
                )
                value = r[key]
                x0 = 20 + label_w
                if value is not None:
                    parts.append(
                        f'<rect x="{x0}" y="{y + 3}" width="{value * scale:.1f}"'
                        f' height="{row_h - 6}" fill="{color}"/>'
                    )
                spread = r[spread_key] if spread_key else None
                if spread:
                    lo, hi = (x0 + v * scale for v in spread)
                    mid = y + row_h / 2
                    parts.append(
                        f'<path d="M{lo:.1f},{mid - 5} v10 M{lo:.1f},{mid} H{hi:.1f}'
                        f' M{hi:.1f},{mid - 5} v10" stroke="#222" fill="none"/>'
                    )
                ratio = r[ratio_key]
                note = _fmt(value, unit)
                if ratio is not None:
                    note += f"  ×{ratio:.2f}"
                parts.append(_text(x0 + bar_w + 12, y + 15, note, 12))
                y += row_h
        y += 24
    footer = data.get("meta", {}).get("note") or ""
    if footer:
        parts.append(_text(20, y, footer, 11, fill="#555"))
        y += 16
    return _svg(width, y, title, parts)


def default_messages_table() -> str:
    """Return the status page's codes, texts and default messages as a reST
    list-table, from :mod:`flask_status_envelope.codes`."""
    from flask_status_envelope.codes import PAGE_MESSAGES, PAGE_TEXTS

    rows = [
        ".. list-table::",
        "    :header-rows: 1",
        "    :widths: 8 22 70",
        "",
        "    * - Code",
        "      - Text",
        "      - Default message",
    ]
    for code, text in PAGE_TEXTS.items():
        rows += [f"    * - {code}", f"      - {text}", f"      - {PAGE_MESSAGES[code]}"]
    return "\n".join(rows) + "\n"


def envelope_schema_json() -> str:
    """Return :data:`flask_status_envelope.openapi.ENVELOPE_SCHEMA` as JSON."""
    from flask_status_envelope.openapi import ENVELOPE_SCHEMA

    return json.dumps(ENVELOPE_SCHEMA, indent=2) + "\n"


def write_if_changed(target: Path, content: str) -> Path:
    """Write ``content`` to ``target`` unless it already holds it (so Sphinx
    does not rebuild pages needlessly)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists() or target.read_text("utf-8") != content:
        target.write_text(content, "utf-8")
    return target


def benchmark_source() -> Path:
    """The benchmark results to draw: the real ones when they exist."""
    return BENCHMARK_DATA if BENCHMARK_DATA.exists() else BENCHMARK_SAMPLE


def write_all(out_dir: Path) -> list[Path]:
    """Write every picture to ``out_dir`` (only when its content changed, so
    Sphinx does not rebuild pages needlessly) and return their paths."""
    pictures = {
        "deprecation-timeline.svg": timeline_svg(
            json.loads(TIMELINE_DATA.read_text("utf-8"))
        ),
        "benchmark.svg": benchmark_svg(
            json.loads(benchmark_source().read_text("utf-8"))
        ),
    }
    return [write_if_changed(out_dir / name, svg) for name, svg in pictures.items()]


if __name__ == "__main__":
    for path in write_all(Path(sys.argv[1] if len(sys.argv) > 1 else "_generated")):
        print(path)
