#!/usr/bin/env python3
"""Writes chart samples for the fidelity check (issue 14) into a directory:

  charts.pptx  one slide per python-pptx chart type (column, bar, line, pie, doughnut,
               area, radar, scatter, bubble), with caches, as PowerPoint files carry them;
  charts.xlsx  an openpyxl workbook with bar, line and pie charts written without caches,
               whose series refer to the sheet's cells.

Needs python-pptx and openpyxl (pip install python-pptx openpyxl). Then:

  python3 scripts/make-chart-samples.py /tmp/charts && scripts/fidelity.sh /tmp/charts/*
"""
import os
import sys

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, PieChart, Reference
from pptx import Presentation
from pptx.chart.data import BubbleChartData, CategoryChartData, XyChartData
from pptx.enum.chart import XL_CHART_TYPE as T
from pptx.enum.chart import XL_LEGEND_POSITION as L
from pptx.util import Inches

out = sys.argv[1] if len(sys.argv) > 1 else "chart-samples"
os.makedirs(out, exist_ok=True)

prs = Presentation()
place = (Inches(0.5), Inches(1.5), Inches(9), Inches(5.5))


def category_data(series):
    data = CategoryChartData()
    data.categories = ["Q1", "Q2", "Q3", "Q4"]
    for i in range(series):
        data.add_series(f"Series {i + 1}", [(j + 1) * (i + 2) + (j % 2) * 3 for j in range(4)])
    return data


def slide(title):
    s = prs.slides.add_slide(prs.slide_layouts[5])
    s.shapes.title.text = title
    return s


for kind in [T.COLUMN_CLUSTERED, T.COLUMN_STACKED, T.COLUMN_STACKED_100, T.BAR_CLUSTERED, T.BAR_STACKED,
             T.LINE_MARKERS, T.LINE, T.PIE, T.PIE_EXPLODED, T.DOUGHNUT, T.AREA, T.AREA_STACKED,
             T.RADAR, T.RADAR_MARKERS]:
    round_kind = kind in (T.PIE, T.PIE_EXPLODED, T.DOUGHNUT)
    frame = slide(kind.name).shapes.add_chart(kind, *place, category_data(1 if round_kind else 3))
    frame.chart.has_legend = True
    frame.chart.legend.position = L.BOTTOM
    frame.chart.legend.include_in_layout = False
    if kind == T.PIE:
        frame.chart.plots[0].has_data_labels = True
xy = XyChartData()
for i in range(2):
    series = xy.add_series(f"S{i}")
    for x in range(8):
        series.add_data_point(x * 1.5, (x * x) / (i + 2) + i)
slide("XY_SCATTER").shapes.add_chart(T.XY_SCATTER, *place, xy)
bubbles = BubbleChartData()
series = bubbles.add_series("B")
for x in range(5):
    series.add_data_point(x, x * 2 + 1, x + 1)
slide("BUBBLE").shapes.add_chart(T.BUBBLE, *place, bubbles)
prs.save(os.path.join(out, "charts.pptx"))

wb = Workbook()
ws = wb.active
ws.title = "Infections"
ws.append(("Month", "Ward A", "Ward B"))
for row in zip(["Jan", "Feb", "Mar", "Apr", "May", "Jun"], [3, 7, 4, 9, 12, 6], [5, 2, 8, 6, 4, 10]):
    ws.append(row)
data = Reference(ws, min_col=2, min_row=1, max_col=3, max_row=7)
months = Reference(ws, min_col=1, min_row=2, max_row=7)
for chart, title, anchor, source in [(BarChart(), "Cases by month", "E2", data), (LineChart(), "Trend", "E18", data),
                                     (PieChart(), "Ward A share", "E34", Reference(ws, min_col=2, min_row=1, max_row=7))]:
    chart.title = title
    chart.add_data(source, titles_from_data=True)
    chart.set_categories(months)
    ws.add_chart(chart, anchor)
wb.save(os.path.join(out, "charts.xlsx"))
