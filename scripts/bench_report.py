#!/usr/bin/env python3
"""Summarise the `throughput` (and `pipeline`) criterion benches.

Reads criterion's output, `<criterion-dir>/<group>/<bench>/<baseline>/`
`estimates.json` (with `benchmark.json` beside it for the names and the
element count), where <baseline> is `new` (the last run) unless
`--baseline NAME` picks a baseline saved with `-- --save-baseline NAME`.

For every `mpmc/{P}x{C}/cap{N}` group it computes ns/msg (the median point
estimate of one iteration divided by the elements it moved) for each
implementation, and the ratio to crossbeam in the same group and the same
run (ns/msg / crossbeam's ns/msg: below 1.0 is faster than crossbeam). It
prints a Markdown table on stdout and writes a standalone SVG chart of the
ratios. Other groups (such as `pipeline/4x4/cap16`) are listed in a second
table with ns per element. Missing cells are shown as "—" and skipped in
the chart and in the geometric means.

Several runs: give `--baseline` more than once (`--baseline new
--baseline run2 --baseline run3`). A cell's ratio is then the MEDIAN OF
THE PER-RUN RATIOS (each run's implementation over that run's crossbeam,
so that a run slowed down by other load as a whole cancels out), its
ns/msg the median of the per-run ns/msg, and the table says how many runs
each cell has. `--targets` adds a table of the issue's targets (single-item
`prodcon` ≤ 1.0× at capacity 16 and ≤ 2.0× at 1024, `prodcon_batch`
≤ 0.5× at 1024, in 1×1 and 4×4) with the per-run ratios and met / not met.

Python 3.11 standard library only.

    cargo bench --bench throughput
    python3 scripts/bench_report.py                      # docs/bench-ratios.svg
    python3 scripts/bench_report.py ratios-linear.svg --baseline main --scale linear
    python3 scripts/bench_report.py --baseline new --baseline run2 --baseline run3 --targets
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

REPO = Path(__file__).resolve().parent.parent
GROUP_RE = re.compile(r"^mpmc/(\d+)x(\d+)/cap(\d+)$")
REFERENCE = "crossbeam"
# Column order; implementations not listed here follow, alphabetically.
KNOWN_IMPLS = ["prodcon", "prodcon_batch", "crossbeam", "flume", "std_sync_channel"]
TOPOLOGY_ORDER = [(1, 1), (4, 1), (1, 4), (4, 4)]
COLORS = {
    "prodcon": "#d62728",
    "prodcon_batch": "#ff9896",
    "flume": "#1f77b4",
    "std_sync_channel": "#2ca02c",
}
EXTRA_COLORS = ["#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]


@dataclass(frozen=True)
class Measurement:
    group: str
    impl: str
    median_ns: float  # per iteration
    elements: int | None  # per iteration; None: unknown

    @property
    def ns_per_elem(self) -> float:
        """ns per element, or ns per iteration when the count is unknown."""
        return self.median_ns / self.elements if self.elements else self.median_ns


def default_criterion_dir() -> Path:
    target = os.environ.get("CARGO_TARGET_DIR")
    return (Path(target) if target else REPO / "target") / "criterion"


def load(criterion_dir: Path, baseline: str) -> tuple[list[Measurement], list[str]]:
    """Every measurement of `baseline` under `criterion_dir`, and warnings."""
    measurements: list[Measurement] = []
    warnings: list[str] = []
    for estimates_path in sorted(criterion_dir.glob(f"*/*/{baseline}/estimates.json")):
        bench_dir = estimates_path.parent
        try:
            estimates = json.loads(estimates_path.read_text())
            median = float(estimates["median"]["point_estimate"])
        except (OSError, ValueError, KeyError, TypeError) as err:
            warnings.append(f"skipped {estimates_path}: {err}")
            continue
        meta = None
        # benchmark.json sits beside the estimates; older layouts kept it in new/.
        for meta_path in (bench_dir / "benchmark.json", bench_dir.parent / "new" / "benchmark.json"):
            try:
                meta = json.loads(meta_path.read_text())
                break
            except (OSError, ValueError):
                continue
        if meta is not None:
            group = meta.get("group_id") or bench_dir.parent.parent.name
            impl = meta.get("function_id") or meta.get("value_str") or bench_dir.parent.name
            throughput = meta.get("throughput") or {}
            elements = throughput.get("Elements") if isinstance(throughput, dict) else None
        else:
            # Directory names are sanitised ('/' became '_'): recover what we can.
            warnings.append(f"no benchmark.json for {bench_dir}; names taken from directories")
            group = re.sub(r"^mpmc_(\d+x\d+)_cap(\d+)$", r"mpmc/\1/cap\2", bench_dir.parent.parent.name)
            impl = bench_dir.parent.name
            elements = None
        measurements.append(Measurement(group, impl, median, int(elements) if elements else None))
    # Every benchmark in a group moves the same number of elements: fill in
    # a missing count from a sibling.
    known = {m.group: m.elements for m in measurements if m.elements}
    for index, m in enumerate(measurements):
        if m.elements is None:
            if m.group in known:
                measurements[index] = Measurement(m.group, m.impl, m.median_ns, known[m.group])
            else:
                warnings.append(f"{m.group}/{m.impl}: no element count, reporting ns/iteration")
    return measurements, warnings


def impl_order(impls: set[str]) -> list[str]:
    return [i for i in KNOWN_IMPLS if i in impls] + sorted(impls - set(KNOWN_IMPLS))


def cell_order(cell: tuple[int, int, int]) -> tuple:
    p, c, n = cell
    topo = TOPOLOGY_ORDER.index((p, c)) if (p, c) in TOPOLOGY_ORDER else len(TOPOLOGY_ORDER)
    return (topo, p, c, n)


def fmt_ns(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.0f}" if value >= 100 else f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def fmt_ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}×"


def geomean(values: list[float]) -> float | None:
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else None


def build_matrix(measurements: list[Measurement]):
    """cells[(P, C, N)][impl] = ns/msg, for the mpmc groups only."""
    cells: dict[tuple[int, int, int], dict[str, float]] = {}
    others: list[Measurement] = []
    for m in measurements:
        match = GROUP_RE.match(m.group)
        if match and m.elements is not None:
            key = tuple(int(x) for x in match.groups())
            cells.setdefault(key, {})[m.impl] = m.ns_per_elem
        else:
            others.append(m)
    return cells, others


def run_ratio(row: dict[str, float], impl: str) -> float | None:
    """One run's ratio of `impl` to the reference in one cell."""
    ref = row.get(REFERENCE)
    value = row.get(impl)
    if ref is None or value is None or ref <= 0:
        return None
    return value / ref


@dataclass
class Combined:
    """Several runs of the matrix, reduced to medians."""

    cells: dict  # (P, C, N) -> impl -> median ns/msg over the runs
    ratios: dict  # (P, C, N) -> impl -> median of the per-run ratios
    per_run: dict  # (P, C, N) -> impl -> [per-run ratio, ...] (run order)
    runs: dict  # (P, C, N) -> number of runs that measured the cell


def combine(runs: list[dict]) -> Combined:
    """`runs`: one `cells` matrix (from `build_matrix`) per baseline."""
    keys = {k for cells in runs for k in cells}
    out = Combined({}, {}, {}, {})
    for key in keys:
        rows = [cells[key] for cells in runs if key in cells]
        out.runs[key] = len(rows)
        impls = {i for row in rows for i in row}
        out.cells[key] = {i: statistics.median([r[i] for r in rows if i in r]) for i in impls}
        out.per_run[key] = {}
        out.ratios[key] = {}
        for i in impls:
            rs = [x for x in (run_ratio(r, i) for r in rows) if x is not None]
            out.per_run[key][i] = rs
            if rs:
                out.ratios[key][i] = statistics.median(rs)
    return out


def ratio(combined: Combined, key, impl: str) -> float | None:
    return combined.ratios.get(key, {}).get(impl)


def markdown(combined: Combined, others, impls: list[str], baselines: list[str]) -> str:
    cells = combined.cells
    compared = [i for i in impls if i != REFERENCE]
    several = len(baselines) > 1
    lines = []
    if cells:
        head = ["topology (P×C)", "capacity"] + (["runs"] if several else [])
        head += [f"{i} ns/msg" for i in impls]
        head += [f"{i} ÷ {REFERENCE}" for i in compared]
        fixed = 3 if several else 2
        lines.append("| " + " | ".join(head) + " |")
        lines.append("| " + " | ".join(["---"] * fixed + ["---:"] * (len(head) - fixed)) + " |")
        for cell in sorted(cells, key=cell_order):
            p, c, n = cell
            row = cells[cell]
            fields = [f"{p}×{c}", str(n)] + ([str(combined.runs[cell])] if several else [])
            fields += [fmt_ns(row.get(i)) for i in impls]
            fields += [fmt_ratio(ratio(combined, cell, i)) for i in compared]
            lines.append("| " + " | ".join(fields) + " |")
        # Geometric mean of the ratios over the cells where both are present.
        means = []
        for i in compared:
            rs = [r for r in (ratio(combined, k, i) for k in cells) if r is not None]
            means.append(f"{fmt_ratio(geomean(rs))} (n={len(rs)})" if rs else "—")
        pad = [""] * (fixed - 1 + len(impls))
        lines.append("| " + " | ".join(["geomean"] + pad + means) + " |")
        lines.append("")
        names = ", ".join(f"`{b}`" for b in baselines)
        if several:
            lines.append(
                f"ns/msg: median time per iteration ÷ messages per iteration, median over the runs "
                f"(criterion baselines {names}; `runs` says how many measured the cell). "
                f"÷ {REFERENCE}: the median over those runs of ns/msg ÷ {REFERENCE}'s ns/msg in the "
                "same cell and run; below 1.00× is faster. "
                "For C > 1, std_sync_channel's consumers share its Receiver behind a Mutex."
            )
        else:
            lines.append(
                f"ns/msg: median time per iteration ÷ messages per iteration (criterion {names}). "
                f"÷ {REFERENCE}: ns/msg over {REFERENCE}'s in the same cell; below 1.00× is faster. "
                "For C > 1, std_sync_channel's consumers share its Receiver behind a Mutex."
            )
    if others:
        if lines:
            lines.append("")
        lines.append("| group | benchmark | ns/element |")
        lines.append("| --- | --- | ---: |")
        for m in sorted(others, key=lambda m: (m.group, m.impl)):
            value = fmt_ns(m.ns_per_elem) if m.elements is not None else f"{fmt_ns(m.ns_per_elem)} ns/iter"
            lines.append(f"| {m.group} | {m.impl} | {value} |")
    return "\n".join(lines)


# The targets: (implementation, capacity) -> the highest acceptable
# median ratio to crossbeam, checked in these topologies.
TARGETS = {("prodcon", 16): 1.0, ("prodcon", 1024): 2.0, ("prodcon_batch", 1024): 0.5}
TARGET_TOPOLOGIES = [(1, 1), (4, 4)]


def targets_markdown(combined: Combined) -> str:
    lines = [
        f"| cell | implementation | target | median ratio | per-run ratios | met? |",
        "| --- | --- | ---: | ---: | --- | --- |",
    ]
    for (impl, n), limit in TARGETS.items():
        for p, c in TARGET_TOPOLOGIES:
            key = (p, c, n)
            med = ratio(combined, key, impl)
            runs = combined.per_run.get(key, {}).get(impl, [])
            verdict = "—" if med is None else ("**met**" if med <= limit else "not met")
            lines.append(
                f"| {p}×{c} cap {n} | {impl} | ≤ {limit:.1f}× | {fmt_ratio(med)} | "
                f"{', '.join(f'{r:.2f}' for r in runs) or '—'} | {verdict} |"
            )
    return "\n".join(lines)


def svg_chart(combined: Combined, impls: list[str], scale: str, baseline: str, messages: str) -> str:
    """Grouped horizontal bars: one group per cell, one bar per implementation
    other than the reference, length = (median) ratio vs the reference."""
    cells = combined.cells
    compared = [i for i in impls if i != REFERENCE]
    colors = dict(COLORS)
    extra = iter(EXTRA_COLORS * 4)
    for i in compared:
        colors.setdefault(i, next(extra, "#333333"))
    rows = sorted(cells, key=cell_order)
    ratios = [r for k in rows for i in compared if (r := ratio(combined, k, i)) is not None]

    bar_h, bar_gap, group_gap = 14, 2, 12
    left, right, top, bottom = 120, 70, 78, 50
    plot_w = 560
    group_h = max(1, len(compared)) * (bar_h + bar_gap) - bar_gap
    plot_h = max(1, len(rows)) * (group_h + group_gap) - group_gap if rows else 40
    width, height = left + plot_w + right, top + plot_h + bottom

    if scale == "log":
        lo = min(ratios + [1.0]) / 1.15
        hi = max(ratios + [1.0]) * 1.15
        lo_e, hi_e = math.floor(math.log2(lo)), math.ceil(math.log2(hi))
        if hi_e - lo_e < 2:
            lo_e, hi_e = lo_e - 1, hi_e + 1
        x_min, x_max = 2.0**lo_e, 2.0**hi_e

        def x(v: float) -> float:
            return left + plot_w * (math.log2(v) - lo_e) / (hi_e - lo_e)

        step = max(1, math.ceil((hi_e - lo_e) / 10))
        ticks = [2.0**e for e in range(lo_e, hi_e + 1, step)]
        anchor = 1.0  # bars grow from the reference line
    else:
        x_min = 0.0
        x_max = max(ratios + [1.0]) * 1.1
        raw = x_max / 8
        mag = 10 ** math.floor(math.log10(raw))
        step_v = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)

        def x(v: float) -> float:
            return left + plot_w * (v - x_min) / (x_max - x_min)

        ticks = [k * step_v for k in range(int(x_max / step_v) + 1)]
        anchor = 0.0

    def tick_label(v: float) -> str:
        if v == 0:
            return "0"
        return f"{v:g}×" if v >= 0.01 else f"{v:.1e}×"

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="{width / 2}" y="20" text-anchor="middle" font-size="15" font-weight="bold">'
        f"Throughput cost relative to {escape(REFERENCE)} (ns/msg ratio, lower is faster)</text>",
        f'<text x="{width / 2}" y="37" text-anchor="middle" fill="#555">'
        f"{len(rows)} cells, {escape(messages)} messages per iteration; "
        f"{'log' if scale == 'log' else 'linear'} scale; {escape(baseline)}</text>",
    ]
    # Legend.
    lx = left
    for i in compared:
        out.append(f'<rect x="{lx}" y="48" width="12" height="12" fill="{colors[i]}"/>')
        out.append(f'<text x="{lx + 16}" y="58">{escape(i)}</text>')
        lx += 24 + 7 * len(i)
    # Grid and ticks.
    for t in ticks:
        tx = x(t)
        out.append(
            f'<line x1="{tx:.1f}" y1="{top - 4}" x2="{tx:.1f}" y2="{top + plot_h}" stroke="#e4e4e4"/>'
        )
        out.append(
            f'<text x="{tx:.1f}" y="{top + plot_h + 16}" text-anchor="middle" fill="#444">'
            f"{tick_label(t)}</text>"
        )
    out.append(
        f'<text x="{left + plot_w / 2}" y="{top + plot_h + 36}" text-anchor="middle">'
        f"ns/msg ÷ {escape(REFERENCE)}'s ns/msg in the same cell</text>"
    )
    # Bars.
    for gi, cell in enumerate(rows):
        p, c, n = cell
        gy = top + gi * (group_h + group_gap)
        out.append(
            f'<text x="{left - 8}" y="{gy + group_h / 2 + 4:.1f}" text-anchor="end" font-weight="bold">'
            f"{p}×{c} cap {n}</text>"
        )
        if gi % 2 == 1:
            out.insert(
                2,
                f'<rect x="0" y="{gy - group_gap / 2:.1f}" width="{width}" '
                f'height="{group_h + group_gap}" fill="#f6f6f6"/>',
            )
        for bi, impl in enumerate(compared):
            by = gy + bi * (bar_h + bar_gap)
            r = ratio(combined, cell, impl)
            if r is None:
                out.append(
                    f'<text x="{x(max(anchor, x_min)) + 4:.1f}" y="{by + bar_h - 3}" fill="#999">'
                    f"{escape(impl)}: n/a</text>"
                )
                continue
            shown = min(max(r, x_min), x_max)
            x0, x1 = sorted((x(max(anchor, x_min)), x(shown)))
            out.append(
                f'<rect x="{x0:.1f}" y="{by}" width="{max(x1 - x0, 1):.1f}" height="{bar_h}" '
                f'fill="{colors[impl]}"><title>{escape(impl)} {p}×{c} cap{n}: {r:.3f}× '
                f"({fmt_ns(cells[cell][impl])} vs {fmt_ns(cells[cell].get(REFERENCE))} ns/msg)</title></rect>"
            )
            if r >= anchor:
                out.append(f'<text x="{x1 + 3:.1f}" y="{by + bar_h - 3}">{r:.2f}×</text>')
            else:
                out.append(f'<text x="{x0 - 3:.1f}" y="{by + bar_h - 3}" text-anchor="end">{r:.2f}×</text>')
    # The reference line, on top of the bars.
    rx = x(1.0)
    out.append(
        f'<line x1="{rx:.1f}" y1="{top - 8}" x2="{rx:.1f}" y2="{top + plot_h + 4}" '
        f'stroke="black" stroke-width="1.5" stroke-dasharray="5,3"/>'
    )
    out.append(
        f'<text x="{rx + 4:.1f}" y="{top - 10}" font-size="10">{escape(REFERENCE)} = 1.0</text>'
    )
    if not rows:
        out.append(f'<text x="{left + 10}" y="{top + 25}" fill="#999">no mpmc cells found</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "svg",
        nargs="?",
        default=str(REPO / "docs" / "bench-ratios.svg"),
        help="where to write the chart (default: docs/bench-ratios.svg in the repository)",
    )
    parser.add_argument(
        "--baseline",
        action="append",
        help="criterion baseline directory to read (default: new, the last run); "
        "repeat it to combine several runs (median of the per-run ratios)",
    )
    parser.add_argument("--targets", action="store_true", help="also print the issue's target cells, met or not")
    parser.add_argument(
        "--criterion-dir",
        type=Path,
        default=default_criterion_dir(),
        help="criterion's output directory (default: $CARGO_TARGET_DIR/criterion or target/criterion)",
    )
    parser.add_argument("--scale", choices=["log", "linear"], default="log", help="chart x axis (default: log)")
    parser.add_argument("--no-svg", action="store_true", help="print the table only")
    args = parser.parse_args(argv)

    if not args.criterion_dir.is_dir():
        print(f"error: {args.criterion_dir} does not exist; run `cargo bench --bench throughput` first", file=sys.stderr)
        return 1
    baselines = args.baseline or ["new"]
    runs = []
    all_measurements: list[Measurement] = []
    others: list[Measurement] = []
    for baseline in baselines:
        measurements, warnings = load(args.criterion_dir, baseline)
        for w in warnings:
            print(f"warning: {w}", file=sys.stderr)
        if not measurements:
            print(
                f"error: no */*/{baseline}/estimates.json under {args.criterion_dir}",
                file=sys.stderr,
            )
            return 1
        cells, run_others = build_matrix(measurements)
        runs.append(cells)
        all_measurements += measurements
        if baseline == baselines[0]:
            others = run_others  # non-matrix groups: from the first baseline only
    combined = combine(runs)
    impls = impl_order({i for row in combined.cells.values() for i in row})
    if combined.cells and REFERENCE not in impls:
        print(f"warning: no {REFERENCE} measurement: ratios are unavailable", file=sys.stderr)
    print(markdown(combined, others, impls, baselines))
    if args.targets:
        print()
        print(targets_markdown(combined))

    if not args.no_svg and combined.cells:
        path = Path(args.svg)
        path.parent.mkdir(parents=True, exist_ok=True)
        counts = sorted({m.elements for m in all_measurements if GROUP_RE.match(m.group) and m.elements})
        messages = " or ".join(f"{n:,}" for n in counts)
        label = (
            f"criterion baseline “{baselines[0]}”"
            if len(baselines) == 1
            else f"median of per-run ratios over baselines {', '.join(baselines)}"
        )
        path.write_text(svg_chart(combined, impls, args.scale, label, messages), encoding="utf-8")
        print(f"\nwrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # `| head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
