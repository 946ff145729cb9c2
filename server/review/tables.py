"""Write an export table as CSV (UTF-8 with BOM, for spreadsheet programs) or XLSX (openpyxl)."""

import csv
import io
from datetime import datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    """Return a value as a cell: text that could run as a formula is quoted."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict | list):
        return str(value)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _csv_value(value):
    """Return a value as CSV text (true/false for booleans)."""
    value = _cell(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def to_csv(table) -> bytes:
    """Return the table as CSV: ids, labels, then one line per row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.ids)
    writer.writerow(table.labels)
    for row in table.rows:
        writer.writerow([_csv_value(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(table) -> bytes:
    """Return the table as an XLSX workbook with one sheet, the two header rows frozen."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(table.name)
    sheet.freeze_panes = "B3"
    bold = Font(bold=True)
    for header in (table.ids, table.labels):
        cells = []
        for text in header:
            cell = WriteOnlyCell(sheet, value=text)
            cell.font = bold
            cells.append(cell)
        sheet.append(cells)
    for row in table.rows:
        sheet.append([_cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def render(table, fmt: str) -> bytes:
    """Return the table in a format (csv or xlsx)."""
    return to_xlsx(table) if fmt == "xlsx" else to_csv(table)
