"""Terminal output of the `sales-tools` command: tables and progress bars.

On a terminal, rich tables and a progress bar on stderr; otherwise (a pipe, a file,
a test runner) aligned plain text and no progress at all.
"""

from __future__ import annotations

import contextlib

import click
import pandas as pd
from rich import box
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable


def _console() -> Console:
    return Console(highlight=False, soft_wrap=False)


def format_value(value, kind: str) -> str:
    """`value` as a table cell of `kind` ("text", "int", "money" or "percent"); blank when missing,
    text as it is."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, str):  # a label where a number is missing ("no target")
        return value
    if kind == "money":
        return f"{value:,.2f}"
    if kind == "percent":
        return f"{value:.1%}"
    if kind == "int":
        return f"{int(value):,}"
    return str(value)


def print_table(title: str, columns: list[tuple[str, str]], rows: list[list]) -> None:
    """Print rows under `title`: a rich table on a terminal, aligned plain text otherwise.

    Args:
        title: the heading.
        columns: (header, kind) pairs; kind is "text", "int", "money" or "percent".
        rows: the values, one list per row.
    """
    cells = [[format_value(v, kind) for v, (_, kind) in zip(row, columns)] for row in rows]
    console = _console()
    if console.is_terminal:
        table = RichTable(
            title=title, box=box.SIMPLE_HEAVY, title_justify="left", title_style="bold", collapse_padding=True
        )
        for i, (header, kind) in enumerate(columns):
            # Numbers never shrink or wrap (a cut figure is worse than a wrapped header); text may wrap.
            widest = max([len(row[i]) for row in cells] + [1])
            numeric = kind != "text"
            table.add_column(
                header, justify="right" if numeric else "left", min_width=widest if numeric else min(widest, 12)
            )
        for row in cells:
            table.add_row(*row)
        console.print(table)
        return
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, (h, _) in enumerate(columns)]

    def line(values):
        parts = [v.ljust(w) if kind == "text" else v.rjust(w) for v, w, (_, kind) in zip(values, widths, columns)]
        return "  ".join(parts).rstrip()

    click.echo(title)
    click.echo(line([h for h, _ in columns]))
    click.echo(line(["-" * w for w in widths]))
    for row in cells:
        click.echo(line(row))
    click.echo()


@contextlib.contextmanager
def progress(total: int):
    """A progress bar on a terminal (stderr); silent when output is not a terminal.

    Yields a function `step(description)` that marks the previous step done and names the next.
    """
    console = Console(stderr=True)
    if not console.is_terminal:
        yield lambda description: None
        return
    bar_column = (BarColumn(),) if total > 1 else ()  # one step: a spinner and the time are enough
    columns = (SpinnerColumn(), TextColumn("{task.description}"), *bar_column, TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("", total=total)
        started = [False]

        def step(description: str) -> None:
            bar.update(task, description=description, advance=1 if started[0] else 0)
            started[0] = True

        yield step
        bar.update(task, completed=total)
