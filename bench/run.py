"""The speed benchmark: build synthetic sites of several sizes and print where the time goes.

    python bench/run.py --sizes 1000,3000,10000          (or: make bench)

For each size it writes invented content (generator/synth.py) into a scratch project, then
measures, each in its own process so peak memory is that process's own:
  - the generator alone on an empty docs/ (best of --repeat), split by stage;
  - the whole build, `mkdocs build --strict` from content/ alone (its hook runs the
    generator), best of --build-repeat: wall time, ms and HTML bytes per page, search
    index size, peak memory; then a build with nothing changed (the pages up to date);
  - an edit of one entity: a fresh `python -m generator build` (time, files rewritten),
    and the same edit in a process that keeps its caches, as `mkdocs serve` does;
  - at --serve-sizes: a real `mkdocs serve --dirty` on 127.0.0.1, the time from saving a
    content file to the served page showing the change.
Figures depend on the machine and on what else runs on it: the load average is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import threading
import sys
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from scratch import GENERATED_STAMP, copy_project, serve_env, stop_server  # noqa: E402  (the tests' scratch copy of the project)

CHILD = Path(__file__).with_name("generator_child.py")
# One address for every build of a benchmark project, the generator's own (base_url) and
# MkDocs' (site_url): pages carry absolute addresses, so two would rewrite every page.
SITE_URL = "https://bench.invalid/"
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(ROOT), SITE_URL=SITE_URL)
STAGES = ("load", "validate", "link", "render", "write")
TRASH = ".trash"  # what the benchmark deleted, kept until it ends (see set_aside)


@dataclass
class Measured:
    seconds: float
    cpu_seconds: float  # user + system time of the command: less swayed by other processes
    peak_bytes: int
    tree_peak_bytes: int  # the most the command and its workers held together (0: not measured)
    stdout: str
    stderr: str
    returncode: int


def run_measured(command: list[str], cwd: Path, timeout: float = 3600) -> Measured:
    """Run a command; its wall time, its own peak resident memory (from wait4), and the
    peak of the memory it and the worker processes it forks hold together."""
    started = time.perf_counter()
    with subprocess.Popen(command, cwd=cwd, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True) as process:
        sampler = TreeMemory(process.pid)
        sampler.start()
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        finally:
            sampler.stop()
        seconds = time.perf_counter() - started
    return Measured(seconds, _reported(stderr, "CPU_SECONDS"), int(_reported(stderr, "PEAK_RSS_BYTES")),
                    sampler.peak_bytes, stdout, stderr, process.returncode)


class TreeMemory(threading.Thread):
    """Samples, every 0.2 s, the proportional set size (PSS) of a process and all its
    descendants, and keeps the largest sum.

    wait4's peak is per process; a build that forks workers holds more than its largest
    process. PSS shares each page between the processes that map it, so the sum counts the
    pages forked workers share with their parent once. Linux only (0 elsewhere).
    """

    def __init__(self, root: int):
        super().__init__(daemon=True)
        self.root, self.peak_bytes, self._done = root, 0, threading.Event()

    def run(self) -> None:
        while not self._done.wait(0.2):
            self.peak_bytes = max(self.peak_bytes, sum(map(_pss_bytes, _tree(self.root))))

    def stop(self) -> None:
        self._done.set()
        self.join()


def _tree(root: int) -> list[int]:
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # The name, in parentheses, may hold spaces: the parent's pid follows the last ")".
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
    tree, grew = {root}, True
    while grew:
        found = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= found
        grew = bool(found)
    return sorted(tree)


def _pss_bytes(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def _reported(stderr: str, name: str) -> float:
    match = re.search(rf"^{name} ([0-9.]+)$", stderr, re.MULTILINE)
    return float(match.group(1)) if match else 0.0


CALIBRATION_TEXT = "\n\n".join(
    f"## Part {n}\n\nSome *text* with a [link](page-{n}.md), `code`, <span>HTML</span> & more.\n\n"
    f"| a | b |\n|---|---|\n| {n} | [x](y.md) |\n\n- one\n- two [^{n}]\n\n[^{n}]: A note." for n in range(40))


def calibration_ms() -> float:
    """How fast this machine is now: ms to convert a fixed text with plain Python-Markdown
    (best of five). The same code's figures move with it from one run to the next, so a
    run's figures are best compared with another's at a similar machine speed."""
    import markdown

    converter = markdown.Markdown(extensions=["tables", "footnotes", "toc"])
    best = float("inf")
    for _ in range(5):
        started = time.process_time()
        for _ in range(5):
            converter.reset().convert(CALIBRATION_TEXT)
        best = min(best, (time.process_time() - started) / 5)
    return 1000 * best


def peak_wrapped(command: list[str]) -> list[str]:
    """The command, run by a small wrapper that prints its peak memory on stderr.

    RUSAGE_CHILDREN is the largest of all children a process ever waited for, so each
    measured command gets a wrapper of its own and is that wrapper's only child.
    """
    wrapper = ("import os,resource,subprocess,sys;"
               "p=subprocess.run(sys.argv[1:]);"
               "r=resource.getrusage(resource.RUSAGE_CHILDREN);"
               "print(f'PEAK_RSS_BYTES {r.ru_maxrss*1024}',file=sys.stderr);"
               "print(f'CPU_SECONDS {r.ru_utime+r.ru_stime}',file=sys.stderr);sys.exit(p.returncode)")
    return [sys.executable, "-c", wrapper, *command]


def set_aside(path: Path, work: Path) -> None:
    """Move a file or folder out of the way, to be deleted when the benchmark ends.

    Deleting thousands of files can slow the file creations of the next minutes on the
    project's machines, whose disk is ext4 without a journal: there the kernel does not reuse
    an inode within 60 s of its deletion (6 minutes while its inode table block is not yet
    written back) and, for every file it creates, walks past each such inode (perf shows
    ext4_create → recently_deleted). Creating 10,000 files took from 0.2 to 1.2 s of system
    time here, depending on what had been deleted shortly before. Deleted between two
    measurements, they would count against the second.
    """
    trash = work / TRASH
    trash.mkdir(parents=True, exist_ok=True)
    os.rename(path, trash / f"{len(os.listdir(trash))}-{path.name}")


def empty_trash(work: Path) -> None:
    shutil.rmtree(work / TRASH, ignore_errors=True)


def make_project(where: Path, entities: int, seed: int) -> Path:
    """A scratch project: mkdocs.yml, the hand-written docs, and synthetic content."""
    from generator.synth import write_content

    if where.exists():
        set_aside(where, where.parent)
    copy_project(where, None)
    write_content(where / "content", entities, seed)
    with open(where / "content" / "site.yaml", "a", encoding="utf-8") as site:
        site.write(f'base_url: "{SITE_URL}"\n')
    return where


def clear_generated(project: Path) -> None:
    docs = project / "docs"
    manifest = docs / ".generated.json"
    (docs / GENERATED_STAMP).unlink(missing_ok=True)
    if manifest.exists():
        generated = json.loads(manifest.read_text())
        # Whole folders of generated pages are set aside in one rename each.
        folders = {path.split("/", 1)[0] for path in generated if "/" in path}
        folders = {f for f in folders if all(p in generated for p in _files_under(docs / f, docs))}
        for folder in sorted(folders):
            set_aside(docs / folder, project.parent)
        for path in generated:
            if path.split("/", 1)[0] not in folders:
                (docs / path).unlink(missing_ok=True)
        manifest.unlink()


def _files_under(folder: Path, docs: Path) -> list[str]:
    return [p.relative_to(docs).as_posix() for p in folder.rglob("*") if p.is_file()]


def measure_generator(project: Path, repeat: int) -> dict:
    """The generator on an empty docs/, best of `repeat` runs by total time."""
    runs = []
    for _ in range(repeat):
        clear_generated(project)
        result = run_measured(peak_wrapped([sys.executable, str(CHILD), "full", str(project)]), project)
        _check(result, "generator")
        # CPU time of the build's own process, and of every process (the workers that
        # render the pages, and Python's start-up), for the CPU ms/entity figure.
        runs.append({**json.loads(result.stdout), "peak_bytes": result.peak_bytes,
                     "tree_peak_bytes": result.tree_peak_bytes,
                     "all_processes_cpu_seconds": result.cpu_seconds})
    return min(runs, key=lambda run: sum(run["stages"].values()))


def measure_mkdocs(project: Path, repeat: int = 1) -> dict:
    """The whole build, `mkdocs build --strict` from content/ alone (no generated page in
    docs/, an empty site/), best of `repeat`: time, pages, HTML per page, search index,
    peak memory, every build's seconds; then the seconds of a build with nothing changed.

    The best, because what else runs on a shared machine only ever slows a build down
    (the same build took 46 to 54 s at 10,000 entities within ten minutes here).
    """
    runs = []
    for _ in range(repeat):
        clear_generated(project)
        if (project / "site").exists():
            set_aside(project / "site", project.parent)  # MkDocs would delete it: see set_aside
        result = run_measured(_mkdocs_build(), project)
        _check(result, "mkdocs build")
        runs.append(result)
    # Content and pages as the last build left them: the hook finds the pages up to date.
    set_aside(project / "site", project.parent)
    unchanged = run_measured(_mkdocs_build(), project)
    _check(unchanged, "mkdocs build with nothing changed")
    result = min(runs, key=lambda run: run.seconds)
    site = project / "site"
    pages = [p for p in site.rglob("index.html")]
    html_bytes = sum(p.stat().st_size for p in pages)
    return {"seconds": result.seconds, "pages": len(pages), "ms_per_page": 1000 * result.seconds / len(pages),
            "cpu_seconds": result.cpu_seconds, "cpu_ms_per_page": 1000 * result.cpu_seconds / len(pages),
            "html_bytes_per_page": html_bytes / len(pages), "largest_page_bytes": max(p.stat().st_size for p in pages),
            "search_index_bytes": (site / "search" / "search_index.json").stat().st_size,
            "peak_bytes": result.peak_bytes, "tree_peak_bytes": result.tree_peak_bytes,
            "all_seconds": [run.seconds for run in runs], "unchanged_seconds": unchanged.seconds}


def _mkdocs_build() -> list[str]:
    return peak_wrapped([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"])


def edited_entity(project: Path) -> Path:
    """The actor file the benchmark edits (the same one at every step)."""
    actors = sorted((project / "content" / "actors").glob("*.yaml"))
    return actors[len(actors) // 2]


def edit(path: Path, marker: str) -> str:
    """Change the entity's summary; returns the original text to restore."""
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace("summary: ", f"summary: {marker} ", 1), encoding="utf-8")
    return original


def measure_cold_edit(project: Path) -> dict:
    """One edit, then a fresh `python -m generator build`: time and files rewritten."""
    path = edited_entity(project)
    original = edit(path, "Edited by the benchmark.")
    try:
        result = run_measured([sys.executable, str(CHILD), "full", str(project)], project)
        _check(result, "generator after an edit")
    finally:
        path.write_text(original, encoding="utf-8")
    run_measured([sys.executable, str(CHILD), "full", str(project)], project)  # restore the pages
    data = json.loads(result.stdout)
    return {"seconds": sum(data["stages"].values()), "stages": data["stages"], "process_seconds": result.seconds,
            "written": data["written"], "entity": path.stem}


def measure_warm_edit(project: Path) -> dict:
    """The same edit in a process that keeps its caches between builds (mkdocs serve)."""
    path = edited_entity(project)
    result = run_measured([sys.executable, str(CHILD), "warm-edit", str(project), str(path)], project)
    _check(result, "warm edit")
    return json.loads(result.stdout)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def _wait_for(condition, timeout: float, interval: float = 0.05):
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    return None


def measure_serve(project: Path, edits: int = 3) -> dict:
    """Seconds from saving a content file to `mkdocs serve --dirty` serving the change."""
    port = _free_port()
    log = open(project / "serve.log", "w")
    env = serve_env(port)  # a local site_url: the first build of serve rewrites the pages
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "--livereload",
                               "-a", f"127.0.0.1:{port}"], cwd=project, env=env, stdout=log, stderr=log)
    try:
        path = edited_entity(project)
        url = f"http://127.0.0.1:{port}/actors/{path.stem}/"
        started = time.perf_counter()
        if not _wait_for(lambda: _fetch(url) or server.poll() is not None, timeout=1800, interval=0.5) \
                or server.poll() is not None:
            raise SystemExit(f"mkdocs serve did not serve {url}; see {project / 'serve.log'}")
        first_build = time.perf_counter() - started
        delays = []
        for n in range(edits):
            # An editor saves, looks, and saves again seconds later: start each edit on a
            # quiet server, not during the rebuild that the previous edit's pages caused.
            _wait_until_quiet(project / "serve.log")
            delays.append(_served_after_edit(path, url, f"Served-edit-{n}"))
    finally:
        stop_server(server)
        log.close()
    return {"first_build_seconds": first_build, "save_to_served_seconds": delays}


def _wait_until_quiet(log: Path, quiet: float = 1.5, timeout: float = 120) -> None:
    """Wait until the server has written nothing to its log for `quiet` seconds."""
    deadline = time.perf_counter() + timeout
    size, since = -1, time.perf_counter()
    while time.perf_counter() < deadline:
        now_size = log.stat().st_size
        if now_size != size:
            size, since = now_size, time.perf_counter()
        elif time.perf_counter() - since >= quiet:
            return
        time.sleep(0.1)


def _served_after_edit(path: Path, url: str, marker: str) -> float:
    original = edit(path, marker)
    saved = time.perf_counter()
    try:
        if not _wait_for(lambda: marker in (_fetch(url) or ""), timeout=120):
            raise SystemExit(f"the served page never showed the edit ({url})")
        return time.perf_counter() - saved
    finally:
        path.write_text(original, encoding="utf-8")
        _wait_for(lambda: marker not in (_fetch(url) or ""), timeout=120)


def _check(result: Measured, what: str) -> None:
    if result.returncode != 0:
        raise SystemExit(f"{what} failed:\n{result.stderr[-3000:]}")


@dataclass
class SizeReport:
    entities: int
    generator: dict = field(default_factory=dict)
    mkdocs: dict = field(default_factory=dict)
    cold_edit: dict = field(default_factory=dict)
    warm_edit: dict = field(default_factory=dict)
    serve: dict = field(default_factory=dict)


def project_dir(work: Path, entities: int) -> Path:
    """The scratch project of one size, made by bench_size and timed again by bench_serve."""
    return work / f"site-{entities}"


def bench_size(entities: int, args) -> SizeReport:
    project = make_project(project_dir(args.work, entities), entities, args.seed)
    report = SizeReport(entities)
    report.generator = measure_generator(project, args.repeat)
    print_line(f"{entities}: generator", _generator_text(report.generator, entities))
    report.mkdocs = measure_mkdocs(project, args.build_repeat)
    print_line(f"{entities}: mkdocs build", _mkdocs_text(report.mkdocs))
    report.cold_edit = measure_cold_edit(project)
    report.warm_edit = measure_warm_edit(project)
    print_line(f"{entities}: edit one entity", _edit_text(report.cold_edit, report.warm_edit))
    return report


def bench_serve(report: SizeReport, args) -> None:
    """The preview of a project bench_size made, timed after every other measurement: the
    server deletes the site it built when it stops, and deletions slow the file creations
    of the next minute here (see set_aside)."""
    report.serve = measure_serve(project_dir(args.work, report.entities), args.serve_edits)
    delays = ", ".join(f"{d:.2f}" for d in report.serve["save_to_served_seconds"])
    print_line(f"{report.entities}: serve --dirty", f"first build {report.serve['first_build_seconds']:.1f} s; "
                                                    f"save → page changed: {delays} s")


def print_line(label: str, text: str) -> None:
    print(f"{label:<28} {text}", flush=True)


def _stages_text(stages: dict) -> str:
    return " ".join(f"{stage} {stages.get(stage, 0.0):.2f}" for stage in STAGES)


def _generator_text(run: dict, entities: int) -> str:
    total = sum(run["stages"].values())
    return (f"{total:.2f} s = {1000 * total / entities:.3f} ms/entity ({_stages_text(run['stages'])}; "
            f"CPU {1000 * run['all_processes_cpu_seconds'] / entities:.3f} ms/entity in all processes, "
            f"start-up included); {run['pages']} pages; "
            f"peak {_peak_text(run)}")


def _peak_text(run: dict) -> str:
    return (f"{run['peak_bytes'] / 2**20:.0f} MiB in one process, "
            f"{run['tree_peak_bytes'] / 2**20:.0f} MiB with its workers (PSS)")


def _peak_bytes(run: dict) -> int:
    return max(run["peak_bytes"], run["tree_peak_bytes"])


def _mkdocs_text(run: dict) -> str:
    every = ", ".join(f"{seconds:.1f}" for seconds in run["all_seconds"])
    return (f"{run['seconds']:.1f} s (best of {every}; {run['unchanged_seconds']:.1f} s with nothing changed), "
            f"{run['pages']} pages, {run['ms_per_page']:.2f} ms/page "
            f"(CPU {run['cpu_ms_per_page']:.2f}), "
            f"{run['html_bytes_per_page'] / 1024:.1f} KiB HTML/page (largest {run['largest_page_bytes'] / 1024:.0f} KiB), "
            f"search index {run['search_index_bytes'] / 2**20:.1f} MiB, peak {_peak_text(run)}")


def _edit_text(cold: dict, warm: dict) -> str:
    return (f"fresh process {cold['seconds']:.2f} s ({_stages_text(cold['stages'])}; "
            f"{cold['process_seconds']:.2f} s with start-up), "
            f"{len(cold['written'])} file(s) rewritten; cached as in serve {warm['seconds']:.3f} s, "
            f"{len(warm['written'])} rewritten, {len(warm['rendered'])} re-rendered")


def summary(reports: list[SizeReport]) -> None:
    """The figures the targets are stated in, one row per size."""
    print("\nentities | generator ms/entity | build ms/page | KiB HTML/page | search MiB | peak MiB | "
          "edit: rewritten, fresh s, cached s")
    for r in reports:
        total = sum(r.generator["stages"].values())
        print(f"{r.entities:>8} | {1000 * total / r.entities:>19.3f} | {r.mkdocs['ms_per_page']:>13.2f} | "
              f"{r.mkdocs['html_bytes_per_page'] / 1024:>13.1f} | {r.mkdocs['search_index_bytes'] / 2**20:>10.1f} | "
              f"{max(_peak_bytes(r.mkdocs), _peak_bytes(r.generator)) / 2**20:>8.0f} | "
              f"{len(r.cold_edit['written'])}, {r.cold_edit['seconds']:.2f}, {r.warm_edit['seconds']:.3f}")
    if len(reports) > 1:
        first, last = reports[0], reports[-1]
        ratio = last.mkdocs["ms_per_page"] / first.mkdocs["ms_per_page"]
        cpu_ratio = last.mkdocs["cpu_ms_per_page"] / first.mkdocs["cpu_ms_per_page"]
        print(f"ms/page at {last.entities} ÷ ms/page at {first.entities}: {ratio:.2f} (CPU time: {cpu_ratio:.2f})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,3000,10000", help="entity counts, comma-separated")
    parser.add_argument("--serve-sizes", default="3000", help="sizes at which to time mkdocs serve ('' for none)")
    parser.add_argument("--serve-edits", type=int, default=3, help="edits timed in mkdocs serve")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="generator runs per size (the best counts)")
    parser.add_argument("--build-repeat", type=int, default=2, help="whole builds per size (the best counts)")
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "work", help="scratch folder")
    parser.add_argument("--json", type=Path, help="also write the figures here as JSON")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    args.serve_sizes = {int(s) for s in args.serve_sizes.split(",") if s}
    sys.path.insert(0, str(ROOT))
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start; Python {sys.version.split()[0]}; "
          f"machine speed {calibration_ms():.1f} ms", flush=True)
    try:
        reports = [bench_size(size, args) for size in sizes]
        for report in reports:
            if report.entities in args.serve_sizes:
                bench_serve(report, args)
    finally:
        empty_trash(args.work)
    summary(reports)
    print(f"load average {os.getloadavg()[0]:.2f} at end; machine speed {calibration_ms():.1f} ms")
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in reports], indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
