#!/usr/bin/env bash
# Builds content_client and runs its tests.
#
# Usage: scripts/test.sh [--full]
#
# Default: one g++ build in build/, then `meson test`.
# With --full, or CI=true in the environment: four builds, each configured,
# built and tested in turn:
#   build-ci-gcc    g++, -Dwerror=true, -O2, with the examples, the header
#                   check, the consumer check and the benchmark programs
#                   (built, not run)
#   build-ci-clang  clang++, -Dwerror=true, -O0, tests only
#   build-ci-asan   clang++, AddressSanitizer and UndefinedBehaviorSanitizer,
#                   unit tests only (-Dsanitized_only=true)
#   build-ci-tsan   clang++, ThreadSanitizer, the concurrency and authentication tests only
#                   (-Dconcurrency_only=true)
#
# An existing build folder is reconfigured, which also picks up new headers
# for the header check. The last line printed is "N passed, M failed". It
# counts the Boost.Test cases of every test executable plus one for each
# other meson test, over all builds. A build folder that fails to configure
# or build adds one failure. The exit status is non-zero when anything failed.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo_root"

full=false
for arg in "$@"; do
    case "$arg" in
        --full) full=true ;;
        -h | --help)
            sed -n '2,21s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
            exit 0
            ;;
        *)
            echo "test.sh: unknown argument '$arg'; use --full or --help" >&2
            exit 2
            ;;
    esac
done
if [[ "${CI:-}" == "true" ]]; then
    full=true
fi

# Parallel compile jobs and test processes: 2 by default, as the CI machine
# has 2 cores; CONTENT_CLIENT_JOBS overrides it.
jobs=${CONTENT_CLIENT_JOBS:-2}

bash "$repo_root/scripts/setup.sh"

total_passed=0
total_failed=0
summary=()

# Configure (or reconfigure) BUILD_DIR with compiler CXX and meson options, build
# it, run its tests and add their results to the totals.
#   run_build BUILD_DIR CXX [ENV=VALUE ...] -- [MESON_OPTION ...]
run_build() {
    local build_dir=$1 cxx=$2
    shift 2
    local test_env=()
    while [[ $# -gt 0 && "$1" != "--" ]]; do
        test_env+=("$1")
        shift
    done
    shift
    local options=("$@")
    local start=$SECONDS

    echo
    echo "==== $build_dir: configure with $cxx ${options[*]}"
    local configured=true
    if [[ -f "$build_dir/meson-private/coredata.dat" ]]; then
        meson setup --reconfigure "$build_dir" "${options[@]}" || configured=false
    else
        CXX="$cxx" meson setup "$build_dir" "${options[@]}" || configured=false
    fi
    if [[ "$configured" != true ]]; then
        total_failed=$((total_failed + 1))
        summary+=("$build_dir: configure failed")
        return
    fi

    echo "==== $build_dir: build with ninja -j$jobs"
    local build_note=""
    # -k 0 builds every target that can be built, so the tests of the
    # targets that compiled still run after a compile error elsewhere.
    if ! ninja -C "$build_dir" -j"$jobs" -k 0; then
        total_failed=$((total_failed + 1))
        build_note=", build failed"
    fi

    echo "==== $build_dir: meson test"
    env "${test_env[@]}" meson test -C "$build_dir" --no-rebuild --print-errorlogs --num-processes "$jobs" || true

    local counts passed failed
    counts=$(python3 "$repo_root/scripts/count_test_results.py" "$build_dir/meson-logs/testlog.json")
    read -r passed failed <<<"$counts"
    total_passed=$((total_passed + passed))
    total_failed=$((total_failed + failed))
    summary+=("$build_dir: $passed passed, $failed failed$build_note ($((SECONDS - start)) s)")
}

if [[ "$full" == true ]]; then
    # Only the g++ build optimizes (GCC finds more with -O2) and builds the
    # examples, the benchmarks, the header check and the consumer check; the other builds
    # use -O0 to keep the whole run within the CI time on 2 cores.
    run_build build-ci-gcc g++ -- -Dwerror=true -Dconsumer_check=true -Dbenchmarks=enabled
    run_build build-ci-clang clang++ -- -Dwerror=true -Dbuildtype=debug -Dexamples=disabled -Dheader_check=disabled
    run_build build-ci-asan clang++ \
        ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 -- \
        -Db_sanitize=address,undefined -Db_lundef=false -Dwerror=true -Dsanitized_only=true -Dbuildtype=debug
    run_build build-ci-tsan clang++ TSAN_OPTIONS=halt_on_error=1 -- \
        -Db_sanitize=thread -Db_lundef=false -Dwerror=true -Dsanitized_only=true -Dconcurrency_only=true \
        -Dbuildtype=debug
else
    run_build build g++ --
fi

echo
echo "==== summary (${SECONDS} s in all)"
printf '%s\n' "${summary[@]}"
echo "$total_passed passed, $total_failed failed"
if [[ $total_failed -ne 0 || $total_passed -eq 0 ]]; then
    exit 1
fi
