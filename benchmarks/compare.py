#!/usr/bin/env python3
"""Run a Google Benchmark program and print each result as a ratio to a baseline.

Usage: compare.py PROGRAM [--baseline NAME] [--repetitions N]

The baseline is measured in the same run as the other benchmarks, so the
ratios hold across machines and loads better than the absolute times. Each
figure is the median of the repetitions (Google Benchmark's aggregate).
"""

import argparse
import json
import subprocess
import sys


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("program", help="the benchmark executable, such as build/benchmarks/client_overhead")
    parser.add_argument("--baseline", default="transport_alone", help="the benchmark every ratio divides by")
    parser.add_argument("--repetitions", type=int, default=5, help="repetitions of each benchmark (default 5)")
    args = parser.parse_args()

    command = [args.program, "--benchmark_format=json", f"--benchmark_repetitions={args.repetitions}",
               "--benchmark_report_aggregates_only=true"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        print(f"{args.program} failed with exit status {done.returncode}:\n{done.stderr}", file=sys.stderr)
        return 1
    report = json.loads(done.stdout)

    medians = {}
    for entry in report["benchmarks"]:
        if entry.get("aggregate_name") == "median":
            medians[entry["run_name"]] = entry["real_time"], entry["time_unit"]
    if args.baseline not in medians:
        print(f"baseline {args.baseline!r} not found; benchmarks: {', '.join(medians)}", file=sys.stderr)
        return 1

    base_time, unit = medians[args.baseline]
    context = report["context"]
    print(f"{context.get('num_cpus', '?')} CPUs at {context.get('mhz_per_cpu', '?')} MHz, "
          f"libbenchmark build type {context.get('library_build_type', '?')}, median of {args.repetitions} repetitions")
    print(f"{'benchmark':<24} {'median':>12} {'ratio to ' + args.baseline:>28}")
    for name, (time, time_unit) in medians.items():
        print(f"{name:<24} {time:>9.1f} {time_unit:<2} {time / base_time:>28.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
