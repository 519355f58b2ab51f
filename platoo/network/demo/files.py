"""Real Word and Excel files for the demo's attachments, written at load time."""

import io

import docx
from docx.oxml.ns import qn
from openpyxl import Workbook
from openpyxl.styles import Font

from .specs import DocxFile, XlsxFile

THAI_FONT = "Sarabun"


def docx_bytes(spec: DocxFile) -> bytes:
    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = THAI_FONT
    # Word picks the font for Thai from the complex-script slot, which font.name leaves alone.
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:cs"), THAI_FONT)
    document.add_heading(spec.heading, level=1)
    for text in spec.paragraphs:
        document.add_paragraph(text)
    if spec.table:
        table = document.add_table(rows=0, cols=len(spec.table[0]))
        table.style = "Table Grid"
        for number, row in enumerate(spec.table):
            for cell, text in zip(table.add_row().cells, row, strict=True):
                cell.text = text
                if number == 0:
                    for run in cell.paragraphs[0].runs:
                        run.bold = True
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(spec: XlsxFile) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = spec.sheet
    for row in spec.rows:
        sheet.append(list(row))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column in sheet.columns:
        width = max(len(str(cell.value)) for cell in column if cell.value is not None)
        sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 60)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def file_bytes(spec: DocxFile | XlsxFile) -> bytes:
    return docx_bytes(spec) if isinstance(spec, DocxFile) else xlsx_bytes(spec)
