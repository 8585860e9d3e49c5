#!/usr/bin/env python3
"""Compile C++ sources with -fsyntax-only and check the outcome.

Two checks share this runner:

``compile-fail CASE.cpp...``
    Each case file is named after a concept (``retry_strategy.cpp``). The file
    is compiled twice. With ``-DCONTENT_CLIENT_COMPILE_FAIL`` it must fail,
    and a diagnostic must name the concept as the unsatisfied one (g++:
    "required for the satisfaction of 'retry_strategy<...>'", clang++:
    "does not satisfy 'retry_strategy'"). Without the macro it must compile.

``headers --include-dir DIR SOURCE.cpp...``
    Each generated source includes one public header (its path relative to
    DIR, the directory given to the compiler with -I). Every source must
    compile, and every header under DIR must have a source: a header added
    after configuring fails the check with the command that picks it up.

The compiler command follows ``--``; meson passes the project's compiler
with the include directories and flags. Compilations run in parallel
(``--jobs``, default: the number of CPUs).
"""

import argparse
import concurrent.futures
import os
import pathlib
import re
import subprocess
import sys

# Lines of compiler output shown for each failed check.
MAX_OUTPUT_LINES = 60


def compile_source(command, source, extra_args=()):
    """Run the compiler on one source; return (exit status, combined output)."""
    # LC_ALL=C makes g++ quote names with ASCII quotes, which the patterns below expect.
    env = dict(os.environ, LC_ALL="C")
    completed = subprocess.run(
        [*command, *extra_args, str(source)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
        text=True,
        errors="replace",
        check=False,
    )
    return completed.returncode, completed.stdout


def first_error_line(output):
    for line in output.splitlines():
        if "error:" in line:
            return line.strip()
    return "(no line with 'error:')"


def shorten(output):
    lines = output.splitlines()
    if len(lines) <= MAX_OUTPUT_LINES:
        return output
    omitted = len(lines) - MAX_OUTPUT_LINES
    return "\n".join(lines[:MAX_OUTPUT_LINES] + [f"... {omitted} more lines"])


def concept_pattern(concept):
    """Match the diagnostic that names `concept` as the unsatisfied constraint."""
    name = r"(?:content_client::)?" + re.escape(concept)
    return re.compile(rf"satisfaction of '{name}<|does not satisfy '{name}'")


def check_compile_fail_case(command, source):
    """Return (passed, report lines) for one compile-fail case and its twin."""
    concept = source.stem
    report = []
    passed = True

    status, output = compile_source(command, source, ["-DCONTENT_CLIENT_COMPILE_FAIL"])
    if status == 0:
        passed = False
        report.append(f"FAIL {concept}: the incomplete policy compiled; the concept no longer rejects it")
    elif not concept_pattern(concept).search(output):
        passed = False
        report.append(f"FAIL {concept}: the compiler rejected the incomplete policy, "
                      f"but no diagnostic names '{concept}' as unsatisfied")
        report.append(shorten(output))
    else:
        report.append(f"ok   {concept}: rejected; first error: {first_error_line(output)}")

    status, output = compile_source(command, source)
    if status != 0:
        passed = False
        report.append(f"FAIL {concept}: the complete twin does not compile")
        report.append(shorten(output))
    else:
        report.append(f"ok   {concept}: the complete twin compiles")

    return passed, report


def check_header_source(command, source):
    """Return (passed, report lines) for one generated header source."""
    header = included_header(source)
    status, output = compile_source(command, source)
    if status != 0:
        return False, [f"FAIL {header} does not compile on its own", shorten(output)]
    return True, [f"ok   {header}"]


def included_header(source):
    match = re.search(r"#include <([^>]+)>", pathlib.Path(source).read_text(encoding="utf-8"))
    return match.group(1) if match else str(source)


def missing_header_sources(include_dir, sources):
    """Return the headers under include_dir that no generated source includes."""
    checked = {included_header(source) for source in sources}
    on_disk = sorted(path.relative_to(include_dir).as_posix() for path in include_dir.rglob("*.hpp"))
    return [header for header in on_disk if header not in checked]


def run_checks(check, command, sources, jobs):
    """Run `check` on every source in parallel; print the reports in order; return the failure count."""
    failures = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(check, command, source) for source in sources]
        for future in futures:
            passed, report = future.result()
            print("\n".join(report), flush=True)
            if not passed:
                failures += 1
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["compile-fail", "headers"])
    parser.add_argument("sources", nargs="+", type=pathlib.Path, help="the .cpp files to compile")
    parser.add_argument("--include-dir", type=pathlib.Path,
                        help="headers mode: the include directory that holds content_client/")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parallel compilations")

    argv = sys.argv[1:]
    if "--" not in argv:
        parser.error("missing '--' followed by the compiler command")
    split = argv.index("--")
    args = parser.parse_args(argv[:split])
    command = argv[split + 1:]
    if not command:
        parser.error("the compiler command after '--' is empty")

    if args.mode == "compile-fail":
        failures = run_checks(check_compile_fail_case, command, args.sources, args.jobs)
        total = len(args.sources)
        print(f"compile-fail: {total - failures} of {total} concepts checked without failure")
        return 1 if failures else 0

    if args.include_dir is None:
        parser.error("headers mode needs --include-dir")
    failures = run_checks(check_header_source, command, args.sources, args.jobs)
    total = len(args.sources)
    print(f"header check: {total - failures} of {total} headers compile on their own")

    missing = missing_header_sources(args.include_dir, args.sources)
    if missing:
        print("FAIL these headers were added after the build was configured and are not checked:")
        for header in missing:
            print(f"  {header}")
        print("Run `meson setup --reconfigure BUILD_DIR` to add them to the header check.")
        failures += 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
