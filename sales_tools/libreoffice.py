"""LibreOffice headless: convert (and so recalculate or render) many workbooks in one call."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from sales_tools.errors import WorkbookError
from sales_tools.excel import dashboard
from sales_tools.excel.builder import master_workbook
from sales_tools.excel.save import atomic_save
from sales_tools.schema.language import tr

FILTERS = {
    "xlsx": "xlsx:Calc MS Excel 2007 XML",
    "pdf": "pdf:calc_pdf_Export",
    "ods": "ods",
    "xls": "xls:MS Excel 97",
}
TIMEOUT = 180  # seconds for one soffice call
# The private profile's settings: recalculate every formula on loading an Excel or ODF
# file (0 = always), never trusting the results stored in it.
_ALWAYS_RECALCULATE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def soffice() -> str:
    """The path of the soffice program, or a WorkbookError saying how to get it."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        raise WorkbookError(
            tr("LibreOffice (soffice) is not installed: install libreoffice-calc to recalculate or render workbooks")
        )
    return found


def convert(
    paths: list[str | os.PathLike], to: str = "pdf", outdir: str | os.PathLike = ".", timeout: int = TIMEOUT
) -> list[Path]:
    """Convert workbooks with ONE soffice call; LibreOffice recalculates formulas on the way.

    A private LibreOffice profile is used for every call, so parallel calls (and a
    LibreOffice the user has open) do not clash; it recalculates every formula on
    loading, whatever results the file stores.

    Args:
        paths: the workbooks to convert.
        to: "pdf", "xlsx", "ods" or "xls".
        outdir: where the converted files go (same stem, new suffix); must differ from
            the source folder when converting xlsx to xlsx.
        timeout: seconds before soffice is killed.

    Returns:
        The converted files, in the order of `paths`, in `outdir` as given.

    Raises:
        WorkbookError: soffice is missing, timed out, failed, or produced no file.
    """
    if to not in FILTERS:
        raise WorkbookError(
            tr("cannot convert to {to!r}; choose one of {choices}").format(to=to, choices=", ".join(FILTERS))
        )
    sources = [Path(p).resolve() for p in paths]
    missing = [str(p) for p in sources if not p.exists()]
    if missing:
        raise WorkbookError(tr("cannot convert: {files} does not exist").format(files=", ".join(missing)))
    given, outdir = Path(outdir), Path(outdir).resolve()
    outdir.mkdir(parents=True, exist_ok=True)
    targets = [outdir / (p.stem + "." + to) for p in sources]
    for target in targets:
        target.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo_profile_") as profile:
        (Path(profile) / "user").mkdir()
        (Path(profile) / "user" / "registrymodifications.xcu").write_text(_ALWAYS_RECALCULATE, encoding="utf-8")
        cmd = [soffice(), f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
               "--convert-to", FILTERS[to], "--outdir", str(outdir), *map(str, sources)]  # fmt: skip
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            late = tr("LibreOffice did not finish converting {count} file(s) within {timeout} s")
            raise WorkbookError(late.format(count=len(sources), timeout=timeout)) from exc
    absent = [t.name for t in targets if not t.exists()]
    if done.returncode != 0 or absent:
        detail = (done.stderr or done.stdout).strip()[-500:]
        files = ", ".join(absent) or tr("the files")
        raise WorkbookError(tr("LibreOffice could not convert {files}: {detail}").format(files=files, detail=detail))
    return [given / t.name for t in targets]


def dashboard_pdf(inputs, computed, outdir: str | os.PathLike) -> Path:
    """A PDF of the Dashboard of the master built from these tables: the other sheets are hidden, so only it prints."""
    wb = master_workbook(inputs, computed)
    Path(outdir).mkdir(parents=True, exist_ok=True)
    for ws in wb.worksheets:
        ws.sheet_state = "visible" if ws.title == dashboard.title() else "hidden"
    source = atomic_save(wb, Path(outdir) / "dashboard.xlsx")
    (pdf,) = convert([source], "pdf", Path(outdir) / "pdf")
    return pdf


def only_sheets(source: str | os.PathLike, sheets: list[str], target: str | os.PathLike) -> Path:
    """A copy of workbook `source` at `target` with every sheet but `sheets` hidden, so only
    they print; the cells are copied as they are (no openpyxl round trip of a long history)."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    ElementTree.register_namespace("", main)
    ElementTree.register_namespace("r", "http://schemas.openxmlformats.org/officeDocument/2006/relationships")
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "xl/workbook.xml":
                root = ElementTree.fromstring(data)
                for sheet in root.iter(f"{{{main}}}sheet"):
                    sheet.set("state", "visible" if sheet.get("name") in sheets else "hidden")
                data = ElementTree.tostring(root, xml_declaration=True, encoding="UTF-8")
            zout.writestr(item, data)
    return Path(target)
