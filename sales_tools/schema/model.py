"""The schema's vocabulary: column types and their Excel formats, `Column` and `Table`."""

from __future__ import annotations

from dataclasses import dataclass, field

from sales_tools.schema.language import every, tr

# type -> Excel number format.  "month" is a real date on the 1st of the month.
TYPES: dict[str, str] = {
    "text": "@",
    "int": "0",
    "number": "[>=1000]#,##0;General",  # 50,000, 43 and 1.5 ("#,##0.##" shows "43." in Excel)
    "money": "#,##0.00",
    "percent": "0.0%",
    "date": "yyyy-mm-dd",
    "month": "mmm yyyy",  # as the Dashboard's months
    "bool": "General",
}


class Shown:
    """A text a person reads: stored in English, read in the current language (`language.tr`);
    `english` reads what is stored, `every` the text in every language."""

    def __init__(self, default: str = ""):
        self.default = default

    def __set_name__(self, owner, name: str):
        self.stored = "_" + name

    def __get__(self, obj, owner=None) -> str:
        return self.default if obj is None else tr(getattr(obj, self.stored))

    def __set__(self, obj, value: str) -> None:
        object.__setattr__(obj, self.stored, value)


def english(obj, name: str) -> str:
    """The English (stored) text of `obj`'s `Shown` field `name`."""
    return getattr(obj, "_" + name)


@dataclass(frozen=True)
class Column:
    name: str
    type: str = "text"
    required: bool = False
    header: str = Shown()  # type: ignore[assignment]
    allowed: tuple[str, ...] | None = None  # a fixed list of values (a dropdown)
    ref: str | None = None  # "table.column" whose values are allowed (a lookup)
    phrases: tuple[str, ...] = ()  # texts the product writes here, shown as labels (`language.phrase`)
    min: float | None = None  # smallest allowed number (0 rejects negatives)
    max: float | None = None  # largest allowed number
    width: int = 14
    note: str = Shown()  # type: ignore[assignment]  # input message shown in Excel

    def __post_init__(self):
        if self.type not in TYPES:
            raise ValueError(f"column {self.name}: unknown type {self.type!r}")
        if not self.header:
            self.__dict__["_header"] = self.name.replace("_", " ").capitalize().replace(" id", " ID")

    @property
    def number_format(self) -> str:
        return TYPES[self.type]

    @property
    def every_header(self) -> list[str]:
        """The header in every language (what a reader accepts)."""
        return every(english(self, "header"))


@dataclass(frozen=True)
class Table:
    name: str  # python name, e.g. "orders"
    sheet: str = Shown()  # type: ignore[assignment]  # worksheet title
    columns: tuple[Column, ...] = ()
    key: tuple[str, ...] = ()
    computed: bool = False  # written by the refresh, not typed in
    description: str = Shown()  # type: ignore[assignment]
    excel_name: str = field(default="")  # Excel table (ListObject) name

    def __post_init__(self):
        if not self.excel_name:
            object.__setattr__(self, "excel_name", "tbl" + english(self, "sheet").replace(" ", ""))
        unknown = set(self.key) - set(self.names)
        if unknown:
            raise ValueError(f"table {self.name}: key columns {sorted(unknown)} are not columns")

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def every_sheet(self) -> list[str]:
        """The sheet's title in every language."""
        return every(english(self, "sheet"))

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.sheet} has no column {name!r}")
