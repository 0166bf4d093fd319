#!/usr/bin/env python3
"""perf/summarize.py: medians and ratios of a scripts/bench.sh run.

Usage: summarize.py RAW_CSV MEDIANS_CSV [PNG]

RAW_CSV has one row per run:
    rep,lib,bench,transport,size,count,metric,value,mbps,status
(status "ok" or a failure word; value empty when the run failed).

For every case (bench, transport, size, metric) it takes the median of the
successful runs of each library and the ratio lib/debian ("debian" is the
baseline column: Debian's libzmq). Metrics ending in "_per_s" are higher is
better; latency_us and vmhwm_kb are lower is better. It prints a table,
writes MEDIANS_CSV (one row per case, one median and one ratio column per
library) and, when matplotlib is importable, a PNG of the ratios of each
non-baseline library (skipped quietly otherwise).
"""
import csv
import statistics
import sys

BASE = "debian"
LOWER_IS_BETTER = {"latency_us", "vmhwm_kb", "vmrss_kb"}


def fmt(v, metric):
    if v is None:
        return "-"
    if metric == "latency_us":
        return "%.2f" % v
    if v >= 1e6:
        return "%.2fM" % (v / 1e6)
    if v >= 1e4:
        return "%.1fk" % (v / 1e3)
    return "%.0f" % v


def size_label(size, bench=""):
    s = int(size)
    if bench == "mem":
        return "%d peers" % s
    if s >= 1 << 20 and s % (1 << 20) == 0:
        return "%dMiB" % (s >> 20)
    if s >= 1 << 10 and s % (1 << 10) == 0:
        return "%dKiB" % (s >> 10)
    return "%dB" % s


def main():
    if len(sys.argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    raw_path, med_path = sys.argv[1], sys.argv[2]
    png_path = sys.argv[3] if len(sys.argv) > 3 else None

    libs = []
    cases = []
    values = {}
    failures = {}
    with open(raw_path, newline="") as f:
        for row in csv.DictReader(f):
            lib = row["lib"]
            if lib not in libs:
                libs.append(lib)
            case = (row["bench"], row["transport"], row["size"], row["metric"])
            if case not in cases:
                cases.append(case)
            if row["status"] == "ok" and row["value"] != "":
                values.setdefault((case, lib), []).append(float(row["value"]))
            else:
                failures[(case, lib)] = failures.get((case, lib), 0) + 1
    if BASE in libs:
        libs.remove(BASE)
        libs.insert(0, BASE)
    others = [lib for lib in libs if lib != BASE]

    def median(case, lib):
        v = values.get((case, lib))
        return statistics.median(v) if v else None

    header = ["bench", "transport", "size", "metric", "better"]
    for lib in libs:
        header += [lib + "_median", lib + "_runs"]
    for lib in others:
        header.append(lib + "_over_" + BASE)
    rows = []
    ratios = {lib: [] for lib in others}
    for case in cases:
        bench, transport, size, metric = case
        better = "lower" if metric in LOWER_IS_BETTER else "higher"
        out = [bench, transport, size, metric, better]
        meds = {lib: median(case, lib) for lib in libs}
        for lib in libs:
            out += [
                "" if meds[lib] is None else "%.6g" % meds[lib],
                len(values.get((case, lib), [])),
            ]
        for lib in others:
            b, o = meds.get(BASE), meds[lib]
            r = (o / b) if (b and o is not None) else None
            out.append("" if r is None else "%.4f" % r)
            ratios[lib].append(r)
        rows.append(out)

    with open(med_path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)

    # Human table.
    cols = ["case", "metric"] + libs + [lib + "/" + BASE for lib in others]
    table = []
    for i, case in enumerate(cases):
        bench, transport, size, metric = case
        line = [
            "%s %s %s" % (bench, transport, size_label(size, bench)),
            metric + (" (lower)" if metric in LOWER_IS_BETTER else ""),
        ]
        for lib in libs:
            m = median(case, lib)
            cell = fmt(m, metric)
            if m is None and failures.get((case, lib)):
                cell = "FAIL"
            line.append(cell)
        for lib in others:
            r = ratios[lib][i]
            if r is None:
                line.append("-")
                continue
            good = r > 1.05 if metric not in LOWER_IS_BETTER else r < 0.95
            bad = r < 0.95 if metric not in LOWER_IS_BETTER else r > 1.05
            line.append("%.2f%s" % (r, " +" if good else (" -" if bad else "  ")))
        table.append(line)
    widths = [max(len(str(x)) for x in col) for col in zip(cols, *table)]
    print("  ".join(c.ljust(w) for c, w in zip(cols, widths)))
    print("  ".join("-" * w for w in widths))
    for line in table:
        print("  ".join(str(c).ljust(w) for c, w in zip(line, widths)))
    print()
    print("medians of the successful runs; ratio = lib/%s;" % BASE)
    print("'+' the lib is better than %s by more than 5%%, '-' worse" % BASE)
    print("(throughput: higher is better; latency, memory: lower is better)")

    if png_path and others:
        try:
            import matplotlib

            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
        except Exception:
            return 0
        labels = [
            "%s %s %s" % (c[0], c[1], size_label(c[2], c[0])) for c in cases
        ]
        fig, ax = plt.subplots(figsize=(10, max(4, 0.28 * len(labels))))
        height = 0.8 / len(others)
        for k, lib in enumerate(others):
            ys = [i + k * height for i in range(len(labels))]
            xs = [r if r is not None else 0 for r in ratios[lib]]
            ax.barh(ys, xs, height=height, label=lib + "/" + BASE)
        ax.axvline(1.0, color="black", linewidth=0.8)
        ax.set_yticks([i + 0.4 - height / 2 for i in range(len(labels))])
        ax.set_yticklabels(labels, fontsize=7)
        ax.invert_yaxis()
        ax.set_xscale("log")
        ax.set_xlabel("ratio to Debian libzmq (throughput: >1 better; "
                      "latency/memory: <1 better)")
        ax.legend()
        fig.tight_layout()
        fig.savefig(png_path, dpi=100)
    return 0


if __name__ == "__main__":
    sys.exit(main())
