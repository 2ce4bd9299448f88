"""Compile a plaintext Sphinx inventory to the zlib form intersphinx reads.

The plaintext form is the decompressed body of a real ``objects.inv``, one object a
line: ``name domain:role priority uri dispname`` (``$`` in the URI stands for the
name, ``-`` as dispname for the name itself). See ``docs/conf.py`` for why.
"""

from __future__ import annotations

import zlib
from pathlib import Path


def compile_inventory(source: Path, out_dir: Path) -> Path:
    """Write ``out_dir/<source stem>.inv`` from the plaintext ``source``."""
    lines = source.read_text("utf-8").splitlines()
    header = [line for line in lines if line.startswith("#")]
    body = [line for line in lines if line.strip() and not line.startswith("#")]
    for line in body:
        if len(line.split(None, 4)) != 5:
            raise ValueError(f"{source}: not an inventory line: {line!r}")
    project = next(h for h in header if h.startswith("# Project:"))
    version = next(h for h in header if h.startswith("# Version:"))
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{source.stem}.inv"
    target.write_bytes(
        (
            "# Sphinx inventory version 2\n"
            f"{project}\n{version}\n"
            "# The remainder of this file is compressed using zlib.\n"
        ).encode()
        + zlib.compress(("\n".join(body) + "\n").encode("utf-8"))
    )
    return target
