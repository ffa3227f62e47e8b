"""The raw rows gathered from all files for one table, with where each came from."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd


@dataclass
class Batch:
    """Raw rows gathered from all files for one target table."""

    raws: list[pd.DataFrame] = field(default_factory=list)
    chunks: list[tuple] = field(default_factory=list)  # (file label, sheet, first_row, extra columns)

    def add(self, raw: pd.DataFrame, file: str, sheet: str, first_row: int, extra: dict) -> None:
        self.raws.append(raw.reset_index(drop=True))
        self.chunks.append((file, sheet, first_row, extra))

    def drop(self, file: str) -> None:
        """Forget the rows of `file` (a file superseded later in the import)."""
        keep = [i for i, chunk in enumerate(self.chunks) if chunk[0] != file]
        self.raws, self.chunks = [self.raws[i] for i in keep], [self.chunks[i] for i in keep]

    def frames(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """All rows (with the extra columns) and their origin (file, sheet, Excel row)."""
        sizes = [len(r) for r in self.raws]
        raw = pd.concat(self.raws, ignore_index=True)
        files, sheets, firsts, extras = zip(*self.chunks)
        origin = pd.DataFrame({
            "file": np.repeat(np.array(files, dtype=object), sizes),
            "sheet": np.repeat(np.array(sheets, dtype=object), sizes),
            "row": np.concatenate([np.arange(f, f + n) for f, n in zip(firsts, sizes)]),
        })  # fmt: skip
        for key in extras[0]:
            column = np.empty(len(extras), dtype=object)
            column[:] = [e[key] for e in extras]
            raw[key] = pd.Series(np.repeat(column, sizes)).infer_objects()
        return raw, origin
