"""Generate a synthetic trust into a folder (atomically) or into the database (in bulk)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from rich.console import Console

from caseboard.synthetic import writers
from caseboard.synthetic.params import Params
from caseboard.synthetic.trust import generate


def params(**values: Any) -> Params:
    return Params(**values)


def into_folder(
    params: Params, format: str, out_dir: Path, *, replace: bool, console: Console
) -> dict[str, int]:
    """Write every table and the manifest; the folder appears whole or not at all."""
    out_dir = out_dir.resolve()
    if out_dir.exists() and not out_dir.is_dir():
        raise ValueError(f"{out_dir} exists and is not a folder")
    if out_dir.exists() and any(out_dir.iterdir()) and not replace:
        raise ValueError(f"{out_dir} is not empty; use --replace to overwrite it")
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    with console.status("Generating the trust"):
        tables = generate(params)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        write = writers.write_csv if format == "csv" else writers.write_parquet
        with console.status(f"Writing {format}"):
            manifest = write(tables, params, staging)
        if out_dir.exists():
            shutil.rmtree(out_dir)
        staging.rename(out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return dict(manifest["row_counts"])


def into_database(params: Params, *, replace: bool, console: Console) -> dict[str, int]:
    from caseboard.records import bulk

    with console.status("Generating the trust"):
        tables = generate(params)
    with console.status("Loading the database"):
        return bulk.load(tables, replace=replace)
