"""The documentation: it builds without a warning, and its samples, tables and
pictures are what the code does."""

from __future__ import annotations

import doctest
import json
import re
import subprocess
import sys
import typing as t
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import pytest
from flask import Flask

from flask_status_envelope import StatusEnvelope
from flask_status_envelope.codes import PAGE_MESSAGES, PAGE_TEXTS
from flask_status_envelope.testing import assert_envelope

from ..conftest import ROOT, envelope, load_example

pytest_plugins = ["pytester"]

DOCS = ROOT / "docs"
EXAMPLES = DOCS / "examples"
sys.path.insert(0, str(DOCS / "_scripts"))

import charts  # noqa: E402
import inventories  # noqa: E402


def page(name: str) -> str:
    return (DOCS / f"{name}.rst").read_text("utf-8")


@pytest.mark.slow
def test_docs_build_without_warnings(tmp_path: Path) -> None:
    """The documented command, in a fresh output directory; bounded in time."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-W",
            "--keep-going",
            "-q",
            "-b",
            "html",
            "-d",
            str(tmp_path / "doctrees"),
            str(DOCS),
            str(tmp_path / "html"),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "html" / "api.html").read_text("utf-8")
    # Intersphinx resolved offline, to the real documentation.
    assert (
        'href="https://werkzeug.palletsprojects.com/en/stable/exceptions/'
        '#werkzeug.exceptions.HTTPException"' in html
    )
    assert (tmp_path / "html" / "_images" / "benchmark.svg").exists()
    assert (tmp_path / "html" / "_images" / "deprecation-timeline.svg").exists()


# -- Samples --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "code", "body"),
    [
        ("/me", 401, envelope(401, "Unauthorized", "Invalid token.")),
        ("/nowhere", 404, envelope(404, "Not Found", PAGE_MESSAGES[404])),
    ],
)
def test_index_example_and_its_output(
    path: str, code: int, body: dict[str, t.Any]
) -> None:
    response = load_example("quickstart_app").app.test_client().get(path)
    assert assert_envelope(response, code) == body
    assert response.get_data(as_text=True).strip() in page("index")


def test_quickstart_headers() -> None:
    client = load_example("quickstart_headers").app.test_client()
    me = client.get("/me")
    assert_envelope(me, 401, "Invalid token.")
    assert me.headers["WWW-Authenticate"] == "Bearer"
    search = client.get("/search")
    assert_envelope(search, 429)
    assert search.headers["Retry-After"] == "30"


def test_quickstart_factory_serves_several_apps() -> None:
    example = load_example("quickstart_factory")
    first: Flask = example.create_app()
    second: Flask = example.create_app(
        {"STATUS_ENVELOPE_MESSAGES": {504: "Slow upstream."}}
    )
    for app in (first, second):

        @app.get("/slow")
        def slow() -> str:
            raise TimeoutError("db.internal:5432")

        app.config["PROPAGATE_EXCEPTIONS"] = False
    assert assert_envelope(first.test_client().get("/admin"), 403) == envelope(
        403, "Forbidden", "Token is disabled"
    )
    assert assert_envelope(first.test_client().get("/slow"), 504) == envelope(
        504,
        "Gateway Timeout",
        "The server did not receive a timely response from an upstream server.",
    )
    assert assert_envelope(second.test_client().get("/slow"), 504) == envelope(
        504, "Gateway Timeout", "Slow upstream."
    )


def test_quickstart_blueprints() -> None:
    client = load_example("quickstart_blueprints").create_app().test_client()
    quickstart = page("quickstart")
    users = client.get("/users/7")
    assert assert_envelope(users, 404) == envelope(
        404, "Not Found", "User 7 does not exist"
    )
    assert users.get_data(as_text=True).strip() in quickstart
    legacy = client.get("/legacy/items/7")
    assert (legacy.status_code, legacy.get_json()) == (404, {"error": "not found"})
    assert legacy.get_data(as_text=True).strip() in quickstart
    # Routing errors are not raised in the blueprint's views: the envelope.
    assert_envelope(client.get("/legacy/nowhere"), 404)


def test_configuration_example() -> None:
    app = load_example("configuration_example").app
    assert_envelope(app.test_client().get("/x"), 404, "Nothing lives at this address.")


def messages_table() -> list[tuple[str, str, int, str]]:
    """The rows of the table in messages.rst: method, path, status, message."""
    text = page("messages")
    table = text.split("Request                   Status Message\n")[1]
    table = table.split("\n", 1)[1].split("\n=====")[0]  # below the ruler
    rows: list[list[str]] = []
    for line in table.splitlines():
        request, status, message = line[:25].strip(), line[26:32].strip(), line[33:]
        if request:
            rows.append([request, status, message.strip()])
        else:
            rows[-1][2] += " " + message.strip()
    parsed = []
    for request, status, message in rows:
        method, path = request.strip("`").split()
        parsed.append((method, path, int(status), message))
    return parsed


def test_messages_table_is_what_the_example_answers() -> None:
    app = load_example("messages_example").app
    app.config["PROPAGATE_EXCEPTIONS"] = False
    client = app.test_client()
    rows = messages_table()
    assert len(rows) == 8
    # assert_envelope checks each status, shape and text; the messages are compared
    # all at once.
    answered = [
        (method, path, code, sent(client.open(path, method=method), code))
        for method, path, code, _ in rows
    ]
    assert answered == rows


def sent(response: t.Any, code: int) -> str:
    """The message of the envelope ``response``, checked to be the one for ``code``."""
    return t.cast(str, assert_envelope(response, code)["status"]["message"])


def test_testing_example_runs_under_pytest(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_api=(EXAMPLES / "testing_example.py").read_text())
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=4)


def test_doctests_in_pages() -> None:
    result = doctest.testfile(
        str(DOCS / "openapi.rst"), module_relative=False, optionflags=doctest.ELLIPSIS
    )
    assert result == doctest.TestResults(failed=0, attempted=2)


def test_console_outputs_in_recipes() -> None:
    recipes = page("recipes")
    httpauth = load_example("recipe_httpauth").app.test_client().get("/me")
    assert assert_envelope(httpauth, 401) == envelope(
        401, "Unauthorized", "Invalid token."
    )
    assert httpauth.get_data(as_text=True).strip() in recipes
    wsgi = load_example("wsgi").app
    wsgi.config["PROPAGATE_EXCEPTIONS"] = False
    crash = wsgi.test_client().get("/crash")
    assert assert_envelope(crash, 500) == envelope(
        500, "Internal Server Error", PAGE_MESSAGES[500]
    )
    assert crash.get_data(as_text=True).strip() in recipes


def test_every_literalinclude_names_a_tested_example() -> None:
    included = {
        name
        for rst in DOCS.glob("*.rst")
        for name in re.findall(r"literalinclude:: examples/(\w+)\.py", rst.read_text())
    }
    tests = "".join(p.read_text() for p in (ROOT / "tests").rglob("test_*.py"))
    untested = sorted(name for name in included if not re.search(rf"\b{name}\b", tests))
    assert untested == []


# -- Generated tables and pictures ------------------------------------------------


def test_default_messages_table() -> None:
    table = charts.default_messages_table()
    for code, text in PAGE_TEXTS.items():
        assert (
            f"    * - {code}\n      - {text}\n      - {PAGE_MESSAGES[code]}\n" in table
        )


TIMELINE = {
    "title": "Retiring <old> & friends",
    "phases": [
        {"start": None, "end": "2026-01-01", "label": "Served", "response": "200"},
        {"start": "2026-01-01", "end": "2026-01-31", "label": "Dep", "response": "x"},
        {"start": "2026-01-31", "end": "2026-03-02", "label": "Late", "response": "y"},
        {"start": "2026-03-02", "end": None, "label": "Retired", "response": "410"},
    ],
    "events": [{"date": "2026-01-01", "label": "Announce"}],
}


def rects(svg: str) -> list[ET.Element]:
    ns = {"svg": "http://www.w3.org/2000/svg"}
    return ET.fromstring(svg).findall("svg:rect", ns)[1:]  # without the background


def test_timeline_svg() -> None:
    svg = charts.timeline_svg(TIMELINE)
    bands = rects(svg)
    widths = [float(rect.attrib["width"]) for rect in bands]
    assert widths[0] == widths[3] == 150
    assert widths[1] == pytest.approx(widths[2])  # 30 days each
    assert "Retiring &lt;old&gt; &amp; friends" in svg
    assert [float(b.attrib["x"]) for b in bands] == pytest.approx(
        [20, 170, 170 + widths[1], 170 + 2 * widths[1]]
    )


def test_timeline_shows_the_guides_example() -> None:
    """The picture in deprecation.rst retires the route, on the dates, of the
    guide's own example."""
    data = json.loads(charts.TIMELINE_DATA.read_text("utf-8"))
    match = re.fullmatch(r"Retiring GET (\S+) in favour of (\S+)", data["title"])
    assert match is not None
    old, new = match.groups()
    deprecated = data["phases"][1]
    example = (EXAMPLES / "deprecation_sunset.py").read_text("utf-8")
    lines = [
        f'@app.get("{old}")',
        f'since="{deprecated["start"]}",',
        f'sunset="{deprecated["end"]}",',
        f'successor="{new}",',
    ]
    assert [line for line in lines if f"    {line}\n" not in example] == []


def benchmark(results: list[dict[str, t.Any]], **meta: t.Any) -> dict[str, t.Any]:
    return {"meta": meta, "results": results}


def row(system: str, path: str, instr: int | None, wall: float | None) -> t.Any:
    return {
        "system": system,
        "path": path,
        "instructions": instr,
        "instructions_ratio": None if instr is None else instr / 1000,
        "wall_us_median": wall,
        "wall_ratio": None if wall is None else wall / 10,
        "wall_spread_us": None if wall is None else [wall - 1, wall + 2],
    }


SVG = "{http://www.w3.org/2000/svg}"


def bars(svg: str) -> list[ET.Element]:
    return [r for r in ET.fromstring(svg).iter(SVG + "rect") if r.get("class") == "bar"]


def texts(svg: str) -> list[str]:
    return [el.text or "" for el in ET.fromstring(svg).iter(SVG + "text")]


def test_benchmark_svg_bars_are_proportional() -> None:
    svg = charts.benchmark_svg(
        benchmark(
            [row("flask", "404", 1000, 10.0), row("envelope", "404", 500, None)],
            sample=False,
        )
    )
    heights = [float(rect.attrib["height"]) for rect in bars(svg)]
    # Instructions: 1000 is the top of the axis, 500 half of it; wall time: 10 µs
    # against an axis to 12.5 µs (the spread's 12, up to a tick); the missing one
    # has no bar.
    top = charts.PLOT_HEIGHT
    assert heights == pytest.approx([top, top / 2, top * 10 / 12.5])
    # Every bar of a panel stands on the same baseline.
    bottoms = [float(r.attrib["y"]) + float(r.attrib["height"]) for r in bars(svg)]
    assert bottoms[0] == pytest.approx(bottoms[1])
    assert "n/a" in texts(svg)
    assert "SAMPLE" not in svg


SYSTEMS = [
    "flask",
    "flask-html",
    "handwritten",
    "apiflask",
    "flask-smorest",
    "flask-restx",
    charts.HIGHLIGHT,
]
PATHS = [
    "abort 403",
    "unknown URL 404",
    "405",
    "unhandled 500",
    "deprecated 410",
    "429 retry_after",
]


def full_benchmark() -> dict[str, t.Any]:
    """The shape of the real run: 7 systems, the floor's path and 6 error paths."""
    results = [row("flask", "200 JSON", 1000, 10.0)]
    results.append(row(charts.HIGHLIGHT, "200 JSON", 1030, 11.0))
    results += [
        row(system, path, 1000 + 100 * i, 10.0 + i)
        for path in PATHS
        for i, system in enumerate(SYSTEMS[1:])
    ]
    return benchmark(results, floor="flask / 200 JSON")


def test_benchmark_svg_one_colour_per_system_and_a_legend() -> None:
    svg = charts.benchmark_svg(full_benchmark())
    root = ET.fromstring(svg)
    legend = {
        r.attrib["data-system"]: r.attrib["fill"]
        for r in root.iter(SVG + "rect")
        if r.get("class") == "legend"
    }
    assert list(legend) == SYSTEMS
    assert len(set(legend.values())) == len(SYSTEMS)
    # Each bar has its system's legend colour; only the extension's is saturated.
    assert {(r.attrib["data-system"], r.attrib["fill"]) for r in bars(svg)} == set(
        legend.items()
    )
    assert legend[charts.HIGHLIGHT] == charts.HIGHLIGHT_COLOR
    assert f"{charts.HIGHLIGHT} (this extension)" in texts(svg)


def test_benchmark_svg_labels_only_the_extension_with_its_ratio() -> None:
    svg = charts.benchmark_svg(full_benchmark())
    ratios = [text for text in texts(svg) if text.startswith("×")]
    # Instructions, then wall time; per path, the extension's ratio only.
    highlighted = [1030 / 1000] + [(1000 + 100 * 5) / 1000] * len(PATHS)
    walls = [11.0 / 10] + [(10.0 + 5) / 10] * len(PATHS)
    assert ratios == [f"×{r:.2f}" for r in highlighted + walls]
    assert "Dashed line: the floor (flask / 200 JSON)" in svg


def test_benchmark_svg_leaves_the_extensions_variants_to_the_tables() -> None:
    data = full_benchmark()
    data["results"].append(row("+ metrics", "abort 403", 1100, 11.0))
    assert charts.benchmark_svg(data) == charts.benchmark_svg(full_benchmark())


def test_benchmark_svg_fits_a_laptop_screen() -> None:
    root = ET.fromstring(charts.benchmark_svg(full_benchmark()))
    assert int(root.attrib["width"]) <= 1000
    assert int(root.attrib["height"]) <= 900


def test_benchmark_svg_says_sample() -> None:
    sample = json.loads(charts.BENCHMARK_SAMPLE.read_text())
    assert "SAMPLE DATA, not a measurement" in charts.benchmark_svg(sample)


def test_benchmark_source_prefers_the_real_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    results = tmp_path / "latest.json"
    results.write_text("{}")
    monkeypatch.setattr(charts, "BENCHMARK_DATA", results)
    assert charts.benchmark_source() == results


def test_benchmark_source_falls_back_to_the_sample(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(charts, "BENCHMARK_DATA", tmp_path / "latest.json")
    assert charts.benchmark_source() == charts.BENCHMARK_SAMPLE
    assert charts.BENCHMARK_SAMPLE.exists()


def test_write_all(tmp_path: Path) -> None:
    written = charts.write_all(tmp_path)
    assert [p.name for p in written] == ["deprecation-timeline.svg", "benchmark.svg"]
    for path in written:
        ET.parse(path)


# -- Offline inventories ------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(p.stem for p in (DOCS / "_inv").glob("*.txt")))
def test_inventory_compiles_and_sphinx_reads_it(name: str, tmp_path: Path) -> None:
    from sphinx.util.inventory import InventoryFile

    source = DOCS / "_inv" / f"{name}.txt"
    target = inventories.compile_inventory(source, tmp_path)
    with target.open("rb") as f:
        inventory = InventoryFile.load(f, "https://example.invalid/", lambda a, b: b)
    names = {obj for objects in inventory.values() for obj in objects}
    lines = [
        line.split()[0]
        for line in source.read_text().splitlines()
        if line and not line.startswith("#")
    ]
    assert names == set(lines)
    body = target.read_bytes().split(b"zlib.\n", 1)[1]
    assert zlib.decompress(body).decode().count("\n") == len(lines)


def test_inventory_refuses_a_bad_line(tmp_path: Path) -> None:
    source = tmp_path / "bad.txt"
    source.write_text("# Project: X\n# Version: 1\nflask.Flask py:class\n")
    with pytest.raises(ValueError, match="not an inventory line: 'flask.Flask"):
        inventories.compile_inventory(source, tmp_path)


def test_assert_envelope_failure_shown_in_testing_page() -> None:
    app = Flask(__name__)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    StatusEnvelope(app)

    @app.get("/crash")
    def crash() -> str:
        raise RuntimeError("boom")

    with pytest.raises(
        AssertionError, match=r"^not the envelope for 404:\n  - status is 500,"
    ) as info:
        assert_envelope(app.test_client().get("/crash"), 404)
    shown = "\n".join(
        "    " + line for line in f"AssertionError: {info.value}".splitlines()
    )
    assert shown in page("testing")
