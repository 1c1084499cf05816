#!/usr/bin/env python3
"""Writes the Excel 97-2003 test workbooks: XLSX written here with openpyxl, saved by
LibreOffice in the binary .xls format (no Python library writes its page setup or cell
formats).

tests/files/print-setup.xls, one sheet, "Ward list":

  cells     A1:H90: a header row ("Bed", "Patient" ...), then "R2".."R90" in column A and
            numbers elsewhere; column B is 30 characters wide, the others default;
  print     A4 landscape, 1 in left margin, gridlines printed, header "&A" (the sheet
            name, centred), footer "Page &P of &N" (right), a manual page break before row
            41, row 1 repeated on every page (print titles).

LibreOffice prints it on 4 pages of 842 x 595 pt: rows 1-30, 31-40 (row 1 repeated), the
break, 41-69 and 70-90 (row 1 repeated on each).

tests/files/cell-styles.xls, one sheet, "Styles", each thing in its own cell:

  A1        "Bold 14 pt red": Arial 14 pt, bold, red;
  A3        "Filled" on a solid yellow fill;
  A5        "This text runs on across the empty cells beside it", unwrapped, with B5
            holding no value but a light blue fill (the text runs over it);
  A7, A9    0.256 as "0.0%" (25.6%) and 1234.5 as "#,##0.00" (1,234.50), right-aligned;
  C11       no value, a thick blue box;
  A13       "Centred" centred in a column 30 characters wide;
  A15       a line longer than columns A to C, the last in use (it runs on past them);
  A17       a picture: a PNG of 80 x 40 pixels, solid green (60 x 30 points).

Needs openpyxl, Pillow and soffice (LibreOffice Calc). Usage:

  python3 scripts/make-sheet-sample.py tests/files
"""
import io
import os
import shutil
import subprocess
import sys
import tempfile

import openpyxl
import openpyxl.drawing.image
import PIL.Image
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.pagebreak import Break


def main(out_dir):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Ward list"
    for c, name in enumerate(["Bed", "Patient", "Ward", "Day", "Dose", "Pulse", "Temp", "Note"], 1):
        ws.cell(1, c, name)
    for r in range(2, 91):
        ws.cell(r, 1, f"R{r}")
        for c in range(2, 9):
            ws.cell(r, c, r * c)
    ws.column_dimensions["B"].width = 30
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_margins.left = 1.0
    ws.print_options.gridLines = True
    ws.oddHeader.center.text = "&A"
    ws.oddFooter.right.text = "Page &P of &N"
    ws.row_breaks.append(Break(id=40))
    ws.print_title_rows = "1:1"
    save_as_xls(wb, "print-setup", out_dir)

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Styles"
    ws["A1"] = "Bold 14 pt red"
    ws["A1"].font = Font(name="Arial", size=14, bold=True, color="FF0000")
    ws["A3"] = "Filled"
    ws["A3"].fill = PatternFill("solid", fgColor="FFFF00")
    ws["A5"] = "This text runs on across the empty cells beside it"
    ws["B5"].fill = PatternFill("solid", fgColor="99CCFF")
    ws["A7"] = 0.256
    ws["A7"].number_format = "0.0%"
    ws["A9"] = 1234.5
    ws["A9"].number_format = "#,##0.00"
    thick = Side(style="thick", color="0000FF")
    ws["C11"].border = Border(left=thick, right=thick, top=thick, bottom=thick)
    ws.column_dimensions["A"].width = 30
    ws["A13"] = "Centred"
    ws["A13"].alignment = Alignment(horizontal="center")
    ws["A15"] = "A note longer than every column in use, running on past the last of them"
    png = io.BytesIO()
    PIL.Image.new("RGB", (80, 40), (0, 160, 0)).save(png, "PNG")
    picture = openpyxl.drawing.image.Image(png)
    picture.anchor = "A17"
    ws.add_image(picture)
    save_as_xls(wb, "cell-styles", out_dir)


def save_as_xls(wb, name, out_dir):
    with tempfile.TemporaryDirectory() as tmp:
        source = os.path.join(tmp, f"{name}.xlsx")
        wb.save(source)
        subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to", "xls",
                        "--outdir", tmp, source], check=True, stdout=subprocess.DEVNULL)
        shutil.copy(os.path.join(tmp, f"{name}.xls"), os.path.join(out_dir, f"{name}.xls"))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/files")
