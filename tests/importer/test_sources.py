"""read_source on CSV files in the encodings Excel writes: read right, or refused with a reason, never garbled."""

import codecs

import pytest

from sales_tools.importer.sources import read_source
from sales_tools.safety import check_file
from sales_tools.text_encoding import decode_text

CHINESE = "客户名称,金额\n北京华为有限公司,1234.50\n"
ROWS = [["客户名称", "金额"], ["北京华为有限公司", "1234.50"]]
WESTERN = "Name,City\nMüller,São Paulo\nCafé Crème,Zürich\n"


def written(tmp_path, data: bytes, name: str = "export.csv"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "encoding",
    ["gbk", "gb18030", "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32"],
)
def test_a_chinese_csv_reads_right_in_every_encoding_excel_writes(tmp_path, encoding):
    source = read_source(written(tmp_path, CHINESE.encode(encoding)))
    assert source.error is None
    assert source.sheets == {"export": ROWS}


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8"])
def test_a_one_line_chinese_csv(tmp_path, encoding):
    source = read_source(written(tmp_path, "北京华为有限公司,1234.50\n".encode(encoding)))
    assert source.sheets == {"export": [["北京华为有限公司", "1234.50"]]}


def test_excel_unicode_text_is_utf16_with_a_mark_and_tabs(tmp_path):
    data = codecs.BOM_UTF16_LE + CHINESE.replace(",", "\t").replace("\n", "\r\n").encode("utf-16-le")
    path = written(tmp_path, data, "unicode.txt")
    assert check_file(path) == "text"  # was "not an Excel workbook or CSV file": its zero bytes
    assert read_source(path).sheets == {"unicode": ROWS}


@pytest.mark.parametrize("text", [WESTERN, "Müller GmbH,1234.50\n", "Café,12\n", "São Paulo,1\n", "Informação,1\n"])
def test_western_text_in_cp1252_keeps_its_accents(tmp_path, text):
    source = read_source(written(tmp_path, text.encode("cp1252")))
    assert source.sheets == {"export": [line.split(",") for line in text.splitlines()]}


def test_big5_and_shift_jis(tmp_path):
    big5 = "客戶名稱,金額\n北京華為有限公司,1234.50\n"
    sjis = "顧客名,金額\n株式会社トヨタ,1234.50\n"
    assert read_source(written(tmp_path, big5.encode("big5"))).sheets["export"][1] == ["北京華為有限公司", "1234.50"]
    assert read_source(written(tmp_path, sjis.encode("shift_jis"))).sheets["export"][1] == ["株式会社トヨタ", "1234.50"]


def test_gbk_bytes_that_happen_to_be_valid_utf8_are_read_as_gbk():
    data = "薛贸,104.76\n".encode("gbk")
    assert data.decode("utf-8") == "Ѧó,104.76\n"  # valid UTF-8, but no word mixes Cyrillic and Latin
    assert decode_text(data, "x.csv") == "薛贸,104.76\n"


def test_an_encoding_that_cannot_be_told_is_refused_with_a_reason(tmp_path):
    # one character: GBK 王, or Western "Íõ", or Cyrillic "Нх"
    source = read_source(written(tmp_path, "王,5\n".encode("gbk"), "x.csv"))
    assert source.sheets == {} and source.error == "cannot tell the text encoding of x.csv: save it as UTF-8 CSV"


def test_bytes_that_break_their_byte_order_mark_are_refused(tmp_path):
    source = read_source(written(tmp_path, codecs.BOM_UTF16_LE + "ab".encode("utf-16-le") + b"\x00", "x.csv"))
    assert source.error == "x.csv is not valid UTF-16 text: save it as UTF-8 CSV"
