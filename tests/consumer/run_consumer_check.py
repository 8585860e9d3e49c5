#!/usr/bin/env python3
"""Check that content_client works for a project that consumes it.

In a temporary directory the script:

1. builds tests/consumer as a separate meson project, with this repository
   copied to its subprojects/content_client, and runs the program. The
   subproject must not add the library's tests or examples.
2. configures this repository with the tests and examples disabled, runs
   `meson install --destdir`, and checks that every public header and
   content_client.pc are installed.
3. compiles and runs the same program against the staged install, with the
   flags that `pkg-config --cflags --libs content_client` prints.

The temporary directory is removed on success and kept on failure.
"""

import argparse
import json
import os
import pathlib
import shlex
import shutil
import subprocess
import sys
import tempfile

# Target names of content_client that must not appear in a consumer's build.
TOP_LEVEL_ONLY_TARGETS = {"unit_tests", "integration_tests", "demo", "content-client"}


class CheckFailed(Exception):
    pass


def run(command, env=None, cwd=None):
    """Run a command, echoing it; raise CheckFailed when it fails."""
    print("+", shlex.join(str(part) for part in command), flush=True)
    completed = subprocess.run([str(part) for part in command], env=env, cwd=cwd, check=False,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace")
    if completed.stdout:
        print(completed.stdout, end="" if completed.stdout.endswith("\n") else "\n", flush=True)
    if completed.returncode != 0:
        raise CheckFailed(f"exit status {completed.returncode} from {shlex.join(str(p) for p in command)}")
    return completed.stdout


def copy_repository(source_dir, destination):
    """Copy the repository without its build directories, .git and downloaded subprojects."""
    def ignore(directory, names):
        ignored = set()
        directory = pathlib.Path(directory)
        if directory == source_dir:
            ignored |= {name for name in names if name.startswith("build") or name == ".git"}
        if directory == source_dir / "subprojects":
            ignored |= {name for name in names if (directory / name).is_dir() and name != "packagefiles"}
        return ignored

    shutil.copytree(source_dir, destination, ignore=ignore, symlinks=True)


def check_subproject_build(args, work_dir, env):
    project_dir = work_dir / "consumer"
    build_dir = work_dir / "consumer-build"
    project_dir.mkdir()
    for name in ("meson.build", "main.cpp"):
        shutil.copy2(args.consumer_dir / name, project_dir / name)
    copy_repository(args.source_dir, project_dir / "subprojects" / "content_client")

    run([*args.meson, "setup", build_dir, project_dir], env=env)
    run([*args.ninja, "-C", build_dir, "-j", str(args.jobs)], env=env)

    targets = json.loads(run([*args.meson, "introspect", "--targets", build_dir], env=env))
    leaked = sorted(TOP_LEVEL_ONLY_TARGETS & {target["name"] for target in targets})
    if leaked:
        raise CheckFailed(f"the subproject added targets meant only for the top-level build: {', '.join(leaked)}")

    run([build_dir / "consumer"], env=env)


def check_install(args, work_dir, env):
    build_dir = work_dir / "install-build"
    stage_dir = work_dir / "stage"
    prefix = "/usr/local"

    run([*args.meson, "setup", build_dir, args.source_dir, f"--prefix={prefix}", "-Dtests=disabled",
         "-Dexamples=disabled", "-Dheader_check=disabled", "-Dbenchmarks=disabled"], env=env)
    run([*args.meson, "install", "-C", build_dir, "--destdir", stage_dir], env=env)

    staged_prefix = stage_dir / prefix.lstrip("/")
    source_include = args.source_dir / "include"
    expected = {path.relative_to(source_include) for path in source_include.rglob("*.hpp")}
    installed_include = staged_prefix / "include"
    installed = {path.relative_to(installed_include) for path in installed_include.rglob("*.hpp")}
    missing = sorted(str(path) for path in expected - installed)
    if missing:
        raise CheckFailed(f"meson install did not install these headers: {', '.join(missing)}")
    print(f"meson install staged {len(installed)} headers under {installed_include}")

    pc_files = sorted(staged_prefix.rglob("content_client.pc"))
    if not pc_files:
        raise CheckFailed(f"meson install did not install content_client.pc under {staged_prefix}")
    print(f"meson install staged {pc_files[0]}")
    return stage_dir, pc_files[0]


def check_pkg_config_build(args, work_dir, env, stage_dir, pc_file):
    # PKG_CONFIG_SYSROOT_DIR prefixes the staged directory to the -I paths in the .pc file.
    pc_env = dict(env, PKG_CONFIG_PATH=str(pc_file.parent), PKG_CONFIG_SYSROOT_DIR=str(stage_dir))
    cflags = shlex.split(run([*args.pkg_config, "--cflags", "content_client"], env=pc_env))
    libs = shlex.split(run([*args.pkg_config, "--libs", "content_client"], env=pc_env))
    if not any(flag.startswith("-I" + str(stage_dir)) for flag in cflags):
        raise CheckFailed(f"pkg-config --cflags content_client has no -I into {stage_dir}: {cflags}")

    program = work_dir / "consumer-pkg-config"
    run([*args.compiler, "-std=c++20", *cflags, args.consumer_dir / "main.cpp", "-o", program, *libs], env=env)
    run([program], env=env)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source-dir", type=pathlib.Path, required=True, help="the content_client repository")
    parser.add_argument("--consumer-dir", type=pathlib.Path, required=True, help="tests/consumer")
    parser.add_argument("--meson", required=True, help="the meson command")
    parser.add_argument("--ninja", required=True, help="the ninja command")
    parser.add_argument("--pkg-config", required=True, help="the pkg-config command")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parallel compilations")
    parser.add_argument("compiler", nargs="+", help="the C++ compiler command (after --)")
    args = parser.parse_args()

    args.source_dir = args.source_dir.resolve()
    args.consumer_dir = args.consumer_dir.resolve()
    args.meson = shlex.split(args.meson)
    args.ninja = shlex.split(args.ninja)
    args.pkg_config = shlex.split(args.pkg_config)

    # The consumer builds with the compiler of the build that runs this test.
    env = dict(os.environ, CXX=shlex.join(args.compiler))

    work_dir = pathlib.Path(tempfile.mkdtemp(prefix="content_client_consumer_"))
    try:
        check_subproject_build(args, work_dir, env)
        stage_dir, pc_file = check_install(args, work_dir, env)
        check_pkg_config_build(args, work_dir, env, stage_dir, pc_file)
    except CheckFailed as failure:
        print(f"FAIL consumer check: {failure}")
        print(f"The files are kept in {work_dir}")
        return 1

    shutil.rmtree(work_dir)
    print("consumer check passed: subproject build, meson install --destdir and pkg-config build")
    return 0


if __name__ == "__main__":
    sys.exit(main())
