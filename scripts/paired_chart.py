#!/usr/bin/env python3
"""The chart BENCHMARKS.md and README show, from the paired bench's CSV.

    cargo bench --bench paired -- --csv paired.csv
    python3 scripts/paired_chart.py paired.csv          # writes docs/bench-ratios.svg

One row per cell ({P}x{C}/cap{N}); per prodcon variant a dot at the median
of the per-pair ratios to crossbeam-channel and a bar from the first to the
third quartile, on a log scale with a line at 1.0 (crossbeam's time).
Python 3 standard library only.
"""

from __future__ import annotations

import argparse
import csv
import math
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
COLORS = {"prodcon": "#1f77b4", "prodcon_batch": "#ff7f0e"}
LOW, HIGH = 0.01, 8.0


def read(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        for key in ("q1", "median", "q3"):
            row[key] = float(row[key])
    return rows


def svg(rows: list[dict], title: str) -> str:
    cells = list(dict.fromkeys(row["cell"] for row in rows))
    variants = list(dict.fromkeys(row["variant"] for row in rows))
    left, right, top, row_h = 120, 30, 50, 26
    plot_w = 520
    width = left + plot_w + right
    height = top + row_h * len(cells) + 60

    def x(v: float) -> float:
        v = min(max(v, LOW), HIGH)
        return left + plot_w * (math.log(v) - math.log(LOW)) / (math.log(HIGH) - math.log(LOW))

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'font-family="sans-serif" font-size="12">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="{left}" y="20" font-size="14">{title}</text>',
    ]
    bottom = top + row_h * len(cells)
    for tick in (0.01, 0.03, 0.1, 0.25, 0.5, 1.0, 1.3, 2.0, 4.0, 8.0):
        tx = x(tick)
        stroke = "#444" if tick == 1.0 else "#ccc"
        out.append(f'<line x1="{tx:.1f}" y1="{top - 5}" x2="{tx:.1f}" y2="{bottom}" stroke="{stroke}"/>')
        out.append(f'<text x="{tx:.1f}" y="{bottom + 16}" text-anchor="middle">{tick:g}×</text>')
    out.append(
        f'<text x="{left + plot_w / 2}" y="{bottom + 34}" text-anchor="middle">'
        "time ÷ crossbeam-channel's time, same pair (median, bar: quartiles; log scale)</text>"
    )
    for i, cell in enumerate(cells):
        cy = top + row_h * i + row_h / 2
        out.append(f'<text x="{left - 8}" y="{cy + 4:.1f}" text-anchor="end">{cell}</text>')
        for j, variant in enumerate(variants):
            match = [r for r in rows if r["cell"] == cell and r["variant"] == variant]
            if not match:
                continue
            r = match[0]
            y = cy + (j - (len(variants) - 1) / 2) * 7
            color = COLORS.get(variant, "#2ca02c")
            out.append(
                f'<line x1="{x(r["q1"]):.1f}" y1="{y:.1f}" x2="{x(r["q3"]):.1f}" y2="{y:.1f}" '
                f'stroke="{color}" stroke-width="3" opacity="0.5"/>'
            )
            out.append(f'<circle cx="{x(r["median"]):.1f}" cy="{y:.1f}" r="4" fill="{color}"/>')
    for j, variant in enumerate(variants):
        lx = left + 10 + 170 * j
        color = COLORS.get(variant, "#2ca02c")
        out.append(f'<circle cx="{lx}" cy="36" r="4" fill="{color}"/>')
        out.append(f'<text x="{lx + 8}" y="40">{variant}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", help="the paired bench's --csv output")
    parser.add_argument(
        "svg",
        nargs="?",
        default=str(REPO / "docs" / "bench-ratios.svg"),
        help="where to write the chart (default: docs/bench-ratios.svg)",
    )
    parser.add_argument("--title", default="prodcon ÷ crossbeam-channel, paired runs")
    args = parser.parse_args()
    rows = read(Path(args.csv))
    if not rows:
        raise SystemExit(f"{args.csv}: no rows")
    Path(args.svg).write_text(svg(rows, args.title), encoding="utf-8")
    print(f"wrote {args.svg} ({len(rows)} rows)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
