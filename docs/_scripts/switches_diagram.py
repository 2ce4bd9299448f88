"""Draw how a fleet switch reaches every worker, as SVG, from the code itself.

The key names, the default TTL, the socket timeout and the fail modes are read
from :mod:`flask_status_envelope.switches`, and the commands from the CLI's click
group, so the picture changes when the code does. When the fleet integration test
has written its measurements (``docs/_data/fleet-switches.json``: seconds from
starting the CLI until every process answered the new state), the picture shows
them too: run ``STATUS_ENVELOPE_FLEET_RESULTS=docs/_data/fleet-switches.json
python -m pytest tests/integration/test_fleet_switches.py``.

``docs/conf.py`` writes it to ``docs/_generated/fleet-switches.svg`` at every
build; ``python docs/_scripts/switches_diagram.py OUT.svg`` writes it by hand.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

ROOT = Path(__file__).resolve().parent.parent.parent
MEASURED = ROOT / "docs" / "_data" / "fleet-switches.json"
FONT = "font-family:system-ui,-apple-system,'Segoe UI',sans-serif"


def _box(x: int, y: int, w: int, h: int, lines: list[str], fill: str) -> str:
    parts = [
        f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="6" fill="{fill}"'
        ' stroke="#555"/>'
    ]
    for i, line in enumerate(lines):
        weight = ' font-weight="bold"' if i == 0 else ""
        parts.append(
            f'<text x="{x + 10}" y="{y + 20 + 17 * i}" font-size="13"{weight}'
            ' xml:space="preserve">'
            f"{escape(line)}</text>"
        )
    return "\n".join(parts)


def _arrow(x1: int, y1: int, x2: int, y2: int, label: str) -> str:
    mx, my = (x1 + x2) // 2, (y1 + y2) // 2 - 6
    return (
        f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#333"'
        ' marker-end="url(#head)"/>'
        f'<text x="{mx}" y="{my}" font-size="11" text-anchor="middle">'
        f"{escape(label)}</text>"
    )


def switches_svg() -> str:
    """Return the diagram as an SVG document."""
    from flask_status_envelope import cli, switches

    ttl = switches.DEFAULT_TTL
    prefix = switches.DEFAULT_PREFIX
    commands = sorted(cli.cli.commands)
    measured = ""
    if MEASURED.exists():
        data = json.loads(MEASURED.read_text())
        measured = (
            f"Measured (tests/integration/test_fleet_switches.py): every process"
            f" followed within {max(data['seconds']):.2f} s of running the command"
            f" (TTL {data['ttl']} s, {data['processes']} processes on 2 hosts)."
        )
    parts = [
        '<defs><marker id="head" markerWidth="8" markerHeight="8" refX="8" refY="4"'
        ' orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#333"/></marker></defs>',
        _box(
            10,
            50,
            270,
            110,
            [
                "operator",
                "flask status-envelope ...",
                f"  {', '.join(commands)}",
                "SET / DEL / SADD / SREM once,",
                "then exits",
            ],
            "#eef5ff",
        ),
        _box(
            360,
            40,
            345,
            130,
            [
                "Redis (STATUS_ENVELOPE_SWITCHES_URL)",
                f"{prefix}{switches.MAINTENANCE}",
                '  string: Retry-After seconds, "" = config',
                f"{prefix}{switches.RETIRED}",
                "  set of endpoint names (410 now)",
            ],
            "#fff4e5",
        ),
        _arrow(280, 105, 360, 105, "writes"),
    ]
    workers = [("host A", "gunicorn worker 1"), ("host A", "gunicorn worker 2"),
               ("host B", "worker 1")]  # fmt: skip
    for i, (host, worker) in enumerate(workers):
        y = 20 + 70 * i
        parts.append(
            _box(
                780,
                y,
                310,
                58,
                [f"{host}: {worker}", f"keeps what it read for TTL {ttl} s"],
                "#eefbea",
            )
        )
        parts.append(_arrow(780, y + 29, 705, 105, ""))
    parts.append(
        f'<text x="730" y="250" font-size="11" text-anchor="middle">each process'
        f" reads: one pipeline GET + SMEMBERS per TTL, timeout"
        f" {switches.SOCKET_TIMEOUT} s</text>"
    )
    notes = [
        f"A switch reaches every process within TTL ({ttl} s) of the write;"
        " requests inside the TTL never ask Redis.",
        f"Redis silent: the last known state for one TTL, then switches off"
        f" (FAIL='{switches.DEFAULT_FAIL}') or maintenance (FAIL='closed').",
        "One WARNING per process and outage, one INFO when Redis answers again.",
    ]
    if measured:
        notes.append(measured)
    for i, note in enumerate(notes):
        parts.append(
            f'<text x="10" y="{285 + 18 * i}" font-size="12">{escape(note)}</text>'
        )
    width, height = 1100, 300 + 18 * len(notes)
    title = "How a fleet switch reaches every worker"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}" role="img" aria-label={quoteattr(title)}'
        f' style="{FONT}">\n<title>{escape(title)}</title>\n'
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>\n'
        + "\n".join(parts)
        + "\n</svg>\n"
    )


if __name__ == "__main__":
    Path(sys.argv[1]).write_text(switches_svg())
