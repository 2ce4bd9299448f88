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
import math
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


#: The system the benchmark is about: drawn in a saturated colour, the others muted.
HIGHLIGHT = "flask-status-envelope"
HIGHLIGHT_COLOR = "#d94801"
#: Muted, distinct colours for the other systems, in the order they first appear.
MUTED = [
    "#bdbdbd",
    "#9ecae1",
    "#a1d99b",
    "#cab2d6",
    "#80cdc1",
    "#e7d67f",
    "#c4a484",
    "#f4a6c6",
    "#a6a6d9",
]


BENCH_WIDTH = 960
PLOT_HEIGHT = 230
GROUP_GAP = 24  # between the bars of two paths


def is_variant(system: str) -> bool:
    """Tell whether ``system`` is a row of the extension with a feature on or off
    (named ``"+ feature"`` or ``"- feature"``)."""
    return system.startswith(("+ ", "- "))


def system_colors(systems: list[str]) -> dict[str, str]:
    """Return each system's colour: :data:`HIGHLIGHT_COLOR` for the extension, a
    :data:`MUTED` one for each other system (distinct for up to that many)."""
    others = [s for s in systems if s != HIGHLIGHT]
    colors = {s: MUTED[i % len(MUTED)] for i, s in enumerate(others)}
    colors[HIGHLIGHT] = HIGHLIGHT_COLOR
    return {s: colors[s] for s in systems}


def _tick_step(top: float, count: int = 5) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) for about ``count``
    ticks up to ``top``."""
    raw = top / count
    power = 10.0 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def _tick_label(value: float) -> str:
    if value >= 1_000_000:
        return f"{value / 1_000_000:g}M"
    if value >= 1000:
        return f"{value / 1000:g}k"
    return f"{value:g}"


def _legend(
    systems: list[str], colors: dict[str, str], y: float
) -> tuple[list[str], float]:
    """One swatch and name per system, in rows that fit the chart; return the parts
    and the y below them."""
    parts: list[str] = []
    x = 20.0
    for system in systems:
        label = system + (" (this extension)" if system == HIGHLIGHT else "")
        item_w = 22 + 7.2 * len(label) + 18
        if x + item_w > BENCH_WIDTH - 20 and x > 20:
            x, y = 20.0, y + 20
        bold = {"font_weight": "bold"} if system == HIGHLIGHT else {}
        parts.append(
            f'<rect class="legend" x="{x:.1f}" y="{y - 11}" width="14" height="14"'
            f' fill="{colors[system]}" data-system={quoteattr(system)}/>'
        )
        parts.append(_text(x + 20, y + 1, label, 13, **bold))
        x += item_w
    return parts, y + 14


def benchmark_svg(data: dict[str, t.Any]) -> str:
    """Return the benchmark chart: per path, one bar per system for the
    instructions per request and for the median wall time (with a whisker from
    the fastest to the slowest round); the extension's bars in a saturated colour
    and labelled with their ratio to the floor, the other systems muted; a legend.

    Bars are proportional to the values, from a zero baseline. A value the
    results do not have is marked "n/a". The chart is at most 960 px wide and,
    for the seven systems and seven paths of the benchmark, under 900 px tall.
    """
    # The extension's variants (a feature on or off) are in the tables; the chart
    # compares the extension as installed with plain Flask and the peers.
    results = [r for r in data["results"] if not is_variant(r["system"])]
    meta = data.get("meta", {})
    title = "Cost of one response, per path and system; lower is better"
    if meta.get("sample"):
        title += " (SAMPLE DATA, not a measurement)"
    systems = sorted(  # in the order they come, the extension last
        dict.fromkeys(r["system"] for r in results), key=lambda s: s == HIGHLIGHT
    )
    paths = list(dict.fromkeys(r["path"] for r in results))
    colors = system_colors(systems)
    left, right = 70, 20
    plot_w = BENCH_WIDTH - left - right
    # Each path's group is as wide as its bars, plus a gap: a path only two
    # systems answer takes less room than one all seven answer.
    counts = [sum(1 for r in results if r["path"] == path) for path in paths]
    bar_w = min(18.0, (plot_w - GROUP_GAP * len(paths)) / max(sum(counts), 1))
    group_x = [float(left)]
    for count in counts:
        group_x.append(group_x[-1] + count * bar_w + GROUP_GAP)
    group_x = [x + (left + plot_w - group_x[-1]) / 2 for x in group_x]  # centred
    floor_name = meta.get("floor")  # "system / path" of the ratios' denominator
    floor = next(
        (r for r in results if f"{r['system']} / {r['path']}" == floor_name), None
    )

    parts = [_text(20, 26, title, 16, font_weight="bold")]
    legend, y = _legend(systems, colors, 54)
    parts += legend
    panels = [
        ("Instructions per request", "instructions", "instructions_ratio", None, ""),
        (
            "Wall time per request, median (µs); whisker: fastest to slowest round",
            "wall_us_median",
            "wall_ratio",
            "wall_spread_us",
            " µs",
        ),
    ]
    for name, key, ratio_key, spread_key, unit in panels:
        y += 30
        parts.append(_text(20, y, name, 14, font_weight="bold"))
        y += 26  # room for the labels above the tallest bars
        top = max(
            [r[key] or 0 for r in results]
            + [max(r[spread_key] or [0]) for r in results if spread_key]
        )
        step = _tick_step(top) if top else 1.0
        axis_top = math.ceil(top / step) * step if top else 1.0
        scale = PLOT_HEIGHT / axis_top
        base = y + PLOT_HEIGHT
        tick = 0.0
        while tick <= axis_top + step / 1000:
            ty = base - tick * scale
            parts.append(
                f'<line x1="{left}" y1="{ty:.1f}" x2="{left + plot_w}" y2="{ty:.1f}"'
                f' stroke="{"#888" if tick == 0 else "#e6e6e6"}"/>'
            )
            parts.append(
                _text(left - 8, ty + 4, _tick_label(tick), 11, text_anchor="end")
            )
            tick += step
        if floor is not None and floor[key] is not None:
            fy = base - floor[key] * scale
            parts.append(
                f'<line x1="{left}" y1="{fy:.1f}" x2="{left + plot_w}" y2="{fy:.1f}"'
                ' stroke="#555" stroke-dasharray="5,4"/>'
            )
        for index, path in enumerate(paths):
            rows = sorted(
                (r for r in results if r["path"] == path),
                key=lambda r: r["system"] == HIGHLIGHT,  # the extension last
            )
            x = group_x[index] + GROUP_GAP / 2
            for r in rows:
                value, ratio = r[key], r[ratio_key]
                hint = f"{r['system']}, {path}: {_fmt(value, unit)}"
                if ratio is not None:
                    hint += f" (×{ratio:.2f})"
                mine = r["system"] == HIGHLIGHT
                if value is None:
                    parts.append(
                        _text(x + bar_w / 2, base - 4, "n/a", 9, text_anchor="middle")
                    )
                else:
                    h = value * scale
                    parts.append(
                        f'<rect class="bar" x="{x + 1:.1f}" y="{base - h:.1f}"'
                        f' width="{bar_w - 2:.1f}" height="{h:.1f}"'
                        f' fill="{colors[r["system"]]}"'
                        + (' stroke="#7f2704"' if mine else "")
                        + f" data-system={quoteattr(r['system'])}>"
                        f"<title>{escape(hint)}</title></rect>"
                    )
                spread = r[spread_key] if spread_key else None
                label_y = base - (value or 0) * scale
                if spread:
                    lo, hi = (base - v * scale for v in spread)
                    mid, cap = x + bar_w / 2, bar_w / 4
                    parts.append(
                        f'<path d="M{mid - cap:.1f},{lo:.1f} h{2 * cap:.1f}'
                        f" M{mid:.1f},{lo:.1f} V{hi:.1f}"
                        f' M{mid - cap:.1f},{hi:.1f} h{2 * cap:.1f}"'
                        ' stroke="#333" fill="none"/>'
                    )
                    label_y = min(label_y, hi)
                if mine and ratio is not None:
                    # From the bar's left edge: the label overhangs into the gap
                    # after the group (the extension's bar comes last), not over
                    # the bars before it.
                    parts.append(
                        _text(
                            x + 1,
                            label_y - 5,
                            f"×{ratio:.2f}",
                            11,
                            font_weight="bold",
                            fill=HIGHLIGHT_COLOR,
                        )
                    )
                x += bar_w
            parts.append(
                _text(
                    (group_x[index] + group_x[index + 1]) / 2,
                    base + 18,
                    path,
                    12,
                    text_anchor="middle",
                )
            )
        y = base + 24
    y += 22
    notes = []
    if floor is not None:
        notes.append(
            f"Dashed line: the floor ({floor_name}); ×: {HIGHLIGHT}'s ratio to it."
        )
    if meta.get("note"):
        notes.append(meta["note"])
    for note in notes:
        parts.append(_text(20, y, note, 12, fill="#555"))
        y += 18
    return _svg(BENCH_WIDTH, int(math.ceil(y)), title, parts)


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
