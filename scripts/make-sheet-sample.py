#!/usr/bin/env python3
"""Writes tests/files/print-setup.xls, the Excel 97-2003 print-setup test workbook: an
XLSX written here with openpyxl, saved by LibreOffice in the binary .xls format (no Python
library writes its page setup). One sheet, "Ward list":

  cells     A1:H90: a header row ("Bed", "Patient" ...), then "R2".."R90" in column A and
            numbers elsewhere; column B is 30 characters wide, the others default;
  print     A4 landscape, 1 in left margin, gridlines printed, header "&A" (the sheet
            name, centred), footer "Page &P of &N" (right), a manual page break before row
            41, row 1 repeated on every page (print titles).

LibreOffice prints it on 4 pages of 842 x 595 pt: rows 1-30, 31-40 (row 1 repeated), the
break, 41-69 and 70-90 (row 1 repeated on each).

Needs openpyxl and soffice (LibreOffice Calc). Usage:

  python3 scripts/make-sheet-sample.py tests/files
"""
import os
import shutil
import subprocess
import sys
import tempfile

import openpyxl
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
    with tempfile.TemporaryDirectory() as tmp:
        source = os.path.join(tmp, "print-setup.xlsx")
        wb.save(source)
        subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to", "xls",
                        "--outdir", tmp, source], check=True, stdout=subprocess.DEVNULL)
        shutil.copy(os.path.join(tmp, "print-setup.xls"), os.path.join(out_dir, "print-setup.xls"))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/files")
