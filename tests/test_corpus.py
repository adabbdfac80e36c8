"""Corpora (issue 13): many dumps, every core, one dataset.

Small generated corpora (benchmarks/generate.py --corpus) keep this file fast;
benchmarks/corpus.py measures the same paths at 2,000 and 20,000 files.
"""

from __future__ import annotations

import datetime
import importlib.util
import json
import os
import pickle
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, SEED, invoke
from thread_cli import api
from thread_cli.formats.records import CORPUS_COLUMNS


def _module(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


generate = _module(ROOT / "benchmarks" / "generate.py", "corpus_generate")


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("clean")
    generate.generate_corpus(directory, 12, file_size=3000, broken=0, seed=3)
    return directory


@pytest.fixture(scope="module")
def broken(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("broken")
    generate.generate_corpus(directory, 10, file_size=3000, broken=3, seed=4)
    return directory


def _files(directory: Path) -> list[str]:
    return api.corpus_files([str(directory)])


def _expected_jsonl(paths: list[str]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n"
                   for path in paths for row in api.records(Path(path).read_bytes(), path))


# ---------------------------------------------------------------- inputs


def test_a_directory_is_walked_in_name_order_for_txt_or_the_glob(tmp_path):
    for name in ("b.txt", "a.txt", "notes.md", "sub/c.txt", "sub/deeper/d.dump", "a-sub/e.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(SEED.read_bytes())
    base = str(tmp_path)
    assert api.corpus_files([base]) == [f"{base}/a.txt", f"{base}/b.txt", f"{base}/a-sub/e.txt", f"{base}/sub/c.txt"]
    assert api.corpus_files([base], glob="*.dump") == [f"{base}/sub/deeper/d.dump"]
    assert api.corpus_files([base], glob="sub/*.txt") == [f"{base}/sub/c.txt"]
    listed = tmp_path / "list"
    listed.write_bytes(f"{base}/b.txt\r\n\n{base}/sub\n".encode())
    # the list's paths are taken as they are: a directory there is a file that cannot be read
    assert api.corpus_files([f"{base}/a.txt"], files_from=str(listed)) == [f"{base}/a.txt", f"{base}/b.txt",
                                                                          f"{base}/sub"]
    result = invoke("export", "--files-from", "-", "--format", "jsonl", input=f"{base}/sub\n{base}/a.txt\n")
    assert result.exit_code == 65
    assert result.stderr == f"error: {base}/sub: is a directory\n2 files, 1 read, 1 skipped (see above)\n"
    assert result.stdout == _expected_jsonl([f"{base}/a.txt"])


def test_stdin_cannot_be_both_the_list_and_a_file():
    result = invoke("export", "-", "--files-from", "-", input="")
    assert (result.exit_code, result.stderr) == (
        2, "error: standard input cannot be both --files-from - and a FILE -\n")


def test_a_directory_without_matches_is_a_usage_error(tmp_path):
    result = invoke("export", str(tmp_path), "--format", "jsonl")
    assert (result.exit_code, result.stderr) == (2, f"error: no input files: nothing matches *.txt in {tmp_path}\n")


# ---------------------------------------------------------------- output


def test_jobs_1_and_2_write_the_same_bytes_in_input_order(clean):
    paths = _files(clean)
    one = invoke("export", str(clean), "--format", "jsonl", "--jobs", "1")
    two = invoke("export", str(clean), "--format", "jsonl", "--jobs", "2")
    assert (one.exit_code, one.stderr, two.exit_code, two.stderr) == (0, "", 0, "")
    assert one.stdout_bytes == two.stdout_bytes == _expected_jsonl(paths).encode()
    first = json.loads(one.stdout.splitlines()[0])
    assert list(first) == list(CORPUS_COLUMNS)
    assert {json.loads(line)["layout"] for line in one.stdout.splitlines()} == {"wordpress", "blogger"}
    for fmt in ("csv", "tsv"):
        assert (invoke("export", str(clean), "-f", fmt, "-j", "1").stdout_bytes
                == invoke("export", str(clean), "-f", fmt, "-j", "2").stdout_bytes)


def test_a_corpus_csv_has_the_corpus_columns_with_lists_as_json(clean):
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(invoke("export", str(clean), "-f", "csv").stdout, newline="")))
    records = [row for path in _files(clean) for row in api.records(Path(path).read_bytes(), path)]
    assert len(rows) == len(records)
    assert list(rows[0]) == list(CORPUS_COLUMNS)
    for row, record in zip(rows, records):
        assert json.loads(row["paragraphs"]) == record["paragraphs"]
        assert json.loads(row["actions"]) == record["actions"]
        assert row["text"] == record["text"] and row["parent"] == (record["parent"] or "")


def test_filters_apply_to_each_file(clean):
    paths = _files(clean)
    author = api.records(Path(paths[0]).read_bytes(), paths[0])[0]["author"]
    result = invoke("export", str(clean), "-f", "jsonl", "--author", author, "--context", "none", "-j", "2")
    kept = [json.loads(line) for line in result.stdout.splitlines()]
    assert kept and {row["author"] for row in kept} == {author}


def test_a_single_file_keeps_its_own_columns(seed_path):
    single = invoke("export", seed_path, "--format", "jsonl")
    assert "layout" not in json.loads(single.stdout.splitlines()[0])
    assert invoke("export", seed_path, seed_path, "--format", "json").stderr == (
        "error: --format json takes one input file; use jsonl, csv, tsv or parquet for several\n")


# ---------------------------------------------------------------- bad files


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_fault_of_ours_on_one_file_skips_that_file_only(monkeypatch, tmp_path, jobs):
    from thread_cli import corpus

    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text("T\n\n1 Comment\n\n  1. Ann says:\n\n    Hi.\n", encoding="utf-8")
    real = corpus._rows

    def failing(thread, path, settings):
        if path.endswith("b.txt"):
            raise RuntimeError("boom")
        return real(thread, path, settings)

    monkeypatch.setitem(corpus._MAKERS, "jsonl", failing)  # the forked workers see it too
    result = invoke("export", str(tmp_path), "-f", "jsonl", "--jobs", jobs)
    assert result.exit_code == 65
    assert [json.loads(line)["source"] for line in result.stdout.splitlines()] == [
        str(tmp_path / "a.txt"), str(tmp_path / "c.txt")]
    assert result.stderr == (f"error: {tmp_path / 'b.txt'}: internal error (RuntimeError: boom); please report it\n"
                             "3 files, 2 read, 1 skipped (see above)\n")
    stopped = invoke("export", str(tmp_path), "-f", "jsonl", "--jobs", jobs, "--on-error", "fail")
    assert (stopped.exit_code, stopped.stderr) == (
        70, f"error: {tmp_path / 'b.txt'}: internal error (RuntimeError: boom); please report it\n")


def test_a_worker_that_dies_ends_the_run_with_a_message_not_a_traceback(monkeypatch, tmp_path):
    from thread_cli import corpus

    for name in ("a.txt", "b.txt", "c.txt", "d.txt"):
        (tmp_path / name).write_text("T\n", encoding="utf-8")
    monkeypatch.setattr(corpus, "process_file", lambda path, settings: os._exit(9))  # in the forked workers
    target = tmp_path / "out.jsonl"
    result = invoke("export", str(tmp_path), "-f", "jsonl", "--jobs", "2", "-o", str(target))
    assert (result.exit_code, result.stdout) == (70, "")
    assert result.stderr == ("error: a worker process ended unexpectedly (killed, or out of memory?); "
                             "the output was not kept\n")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["a.txt", "b.txt", "c.txt", "d.txt"]


def test_broken_files_are_skipped_counted_and_listed(broken, tmp_path):
    errors = tmp_path / "errors.jsonl"
    out = tmp_path / "out.jsonl"
    result = invoke("export", str(broken), "--strict", "-o", str(out), "--errors-to", str(errors), "-j", "2")
    link, latin, structure = (f"{broken}/broken-{n}.txt" for n in ("1-link", "2-bytes", "3-structure"))
    assert result.exit_code == 65
    lines = result.stderr.splitlines()
    assert lines[0] == f"error: {link}: no such file"
    assert lines[1].startswith(f"error: {latin}:") and "invalid UTF-8 at byte offset" in lines[1]
    records = [json.loads(line) for line in errors.read_text().splitlines()]
    at = records[2]["line"]
    assert [line for line in lines if line.startswith("error: ")][2].startswith(
        f"error: {structure}:{at}:9: unexpected indentation")
    assert lines[-1] == "10 files, 7 read, 3 skipped (see above)"
    assert [(r["path"], r["line"], r["column"]) for r in records] == [
        (link, None, None), (latin, records[1]["line"], records[1]["column"]), (structure, at, 9)]
    assert records[0]["message"] == "no such file" and records[1]["message"].startswith("invalid UTF-8")
    assert isinstance(records[1]["line"], int)
    good = [path for path in _files(broken) if "broken-" not in path]
    assert out.read_text() == _expected_jsonl(good)

    # Without --strict only the file that cannot be read is left out; the others are repaired.
    forgiving = invoke("export", str(broken), "-f", "jsonl", "-j", "1")
    assert forgiving.exit_code == 65
    assert forgiving.stderr.startswith(f"error: {link}: no such file\n")
    assert forgiving.stderr.endswith("10 files, 9 read, 1 skipped (see above)\n")
    assert f"warning: {latin}:" in forgiving.stderr and f"warning: {structure}:{at}:9" in forgiving.stderr


def test_on_error_fail_stops_at_the_first_and_writes_nothing(broken, tmp_path):
    errors = tmp_path / "errors.jsonl"
    out = tmp_path / "out.parquet" if importlib.util.find_spec("pyarrow") else tmp_path / "out.jsonl"
    result = invoke("export", str(broken), "--strict", "--on-error", "fail", "-o", str(out),
                    "--errors-to", str(errors), "-f", "jsonl", "-j", "2")
    link = f"{broken}/broken-1-link.txt"
    assert (result.exit_code, result.stderr) == (66, f"error: {link}: no such file\n")
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["errors.jsonl"]
    assert [json.loads(line) for line in errors.read_text().splitlines()] == [
        {"path": link, "line": None, "column": None, "message": "no such file"}]
    # A structural problem under --strict stops with 65.
    structure = f"{broken}/broken-3-structure.txt"
    result = invoke("export", structure, f"{broken}/part-000", "--strict", "--on-error", "fail", "-f", "jsonl")
    assert result.exit_code == 65
    assert result.stderr.startswith(f"error: {structure}:") and "unexpected indentation" in result.stderr
    assert result.stdout == ""


# ---------------------------------------------------------------- Parquet, Dask, DuckDB


def test_parquet_has_the_documented_schema_and_the_records(clean, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "comments.parquet"
    result = invoke("export", str(clean), "-o", str(out), "-j", "2")
    assert (result.exit_code, result.stderr, result.stdout) == (0, "", "")
    table = pq.read_table(out)
    assert [f"{field.name}: {field.type}" for field in table.schema] == [
        "source: string", "id: string", "parent: string", "depth: int64", "number: int64", "author: string",
        "avatar: string", "kind: string", "date: string", "datetime: timestamp[us]", "actions: list<element: string>",
        "text: string", "paragraphs: list<element: string>", "line: int64", "layout: string"]
    rows = table.to_pylist()
    records = [row for path in _files(clean) for row in api.records(Path(path).read_bytes(), path)]
    assert len(rows) == len(records)
    for row, record in zip(rows, records):
        stamp, written = row.pop("datetime"), record.pop("datetime")
        assert stamp == (datetime.datetime.fromisoformat(written) if written else None)
        assert row == record
    assert any(row["datetime"] is not None for row in table.to_pylist())


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS file systems refuse names that are not UTF-8")
def test_a_file_name_that_is_not_utf8_is_escaped_in_every_format(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    name = os.fsdecode(b"bad\xff.txt")
    (corpus / name).write_bytes(SEED.read_bytes())
    (corpus / "ok.txt").write_bytes(SEED.read_bytes())
    out = tmp_path / "c.parquet"
    for jobs in ("1", "2"):
        result = invoke("export", str(corpus), "-o", str(out), "-j", jobs)
        assert (result.exit_code, result.stderr) == (0, "")
        sources = pq.read_table(out).column("source").to_pylist()
        assert sorted(set(sources)) == [f"{corpus}/bad\\udcff.txt", f"{corpus}/ok.txt"]
    csv_text = invoke("export", str(corpus), "-f", "csv", "-j", "2").stdout
    assert f"{corpus}/bad\\udcff.txt," in csv_text


def test_parquet_needs_pyarrow_and_an_output_file(monkeypatch, seed_path, tmp_path):
    result = invoke("export", seed_path, "--format", "parquet")
    assert (result.exit_code, result.stderr) in (
        (2, "error: --format parquet writes a file: give -o FILE\n"),
        (2, "error: --format parquet needs pyarrow: pip install 'thread-cli[parquet]'\n"))
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    out = tmp_path / "x.parquet"
    result = invoke("export", seed_path, "-o", str(out))
    assert (result.exit_code, result.stderr) == (
        2, "error: --format parquet needs pyarrow: pip install 'thread-cli[parquet]'\n")
    assert not out.exists()


def test_the_dask_recipe_gives_the_exports_rows(clean, tmp_path):
    pytest.importorskip("dask.dataframe")
    pq = pytest.importorskip("pyarrow.parquet")
    recipe = _module(ROOT / "examples" / "dask_corpus.py", "dask_corpus")
    exported = tmp_path / "export.parquet"
    assert invoke("export", str(clean), "-o", str(exported)).exit_code == 0
    for scheduler in ("synchronous", "threads"):
        out = tmp_path / f"dask-{scheduler}"
        recipe.corpus_to_parquet(_files(clean), str(out), scheduler=scheduler, partitions=4)
        dask_table, cli_table = pq.read_table(out), pq.read_table(exported)
        assert dask_table.schema.equals(cli_table.schema)
        assert dask_table.to_pylist() == cli_table.to_pylist()


def test_the_duckdb_recipe_reads_parquet_and_json_lines_alike(clean, tmp_path):
    duckdb = pytest.importorskip("duckdb")
    pytest.importorskip("pyarrow")
    parquet, jsonl = tmp_path / "c.parquet", tmp_path / "c.jsonl"
    assert invoke("export", str(clean), "-o", str(parquet)).exit_code == 0
    assert invoke("export", str(clean), "-o", str(jsonl)).exit_code == 0
    query = "SELECT author, count(*) AS comments FROM {} GROUP BY author ORDER BY comments DESC, author LIMIT 5"
    con = duckdb.connect()
    from_parquet = con.sql(query.format(f"read_parquet('{parquet}')")).fetchall()
    from_jsonl = con.sql(query.format(
        f"read_json('{jsonl}', columns={{source: 'VARCHAR', id: 'VARCHAR', parent: 'VARCHAR', author: 'VARCHAR'}})"
    )).fetchall()
    assert from_parquet == from_jsonl and len(from_parquet) == 5
    types = dict(con.sql(f"DESCRIBE SELECT id, parent FROM read_parquet('{parquet}')").fetchall()[i][:2]
                 for i in range(2))
    assert types == {"id": "VARCHAR", "parent": "VARCHAR"}


def test_records_is_pure_and_picklable():
    data = SEED.read_bytes()
    assert pickle.loads(pickle.dumps(api.records)) is api.records
    assert api.records(data, "a.txt") == api.records(data, "a.txt")
    rows = api.records(data, "seed.txt")
    assert (len(rows), rows[0]["id"], rows[0]["source"], rows[0]["layout"]) == (30, "1", "seed.txt", "wordpress")


# ---------------------------------------------------------------- the other commands


def test_search_counts_and_authors_take_directories(clean):
    paths = _files(clean)
    counted = invoke("search", "-c", "iran", str(clean))
    assert counted.exit_code == 0
    assert [line.rsplit(":", 1)[0] for line in counted.stdout.splitlines()] == paths
    listed = invoke("search", "-l", "iran", "--files-from", "-", input="\n".join(paths[:3]) + "\n")
    assert listed.stdout.splitlines() == [p for p, line in zip(paths[:3], counted.stdout.splitlines())
                                          if not line.endswith(":0")]
    authors = invoke("authors", str(clean), "--format", "json")
    assert authors.exit_code == 0
    total = sum(row["comments"] for row in json.loads(authors.stdout))
    rows = [row for path in paths for row in api.records(Path(path).read_bytes(), path)]
    assert total == sum(row["kind"] == "comment" for row in rows)
    assert invoke("stats", str(clean), "--format", "json").exit_code == 0


# ---------------------------------------------------------------- Ctrl-C and progress


def _children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(child) for child in (task / "children").read_text().split()}
    return found


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads process trees from /proc")
def test_ctrl_c_during_a_corpus_run_exits_130_and_leaves_nothing(tmp_path):
    corpus = tmp_path / "corpus"
    generate.generate_corpus(corpus, 400, file_size=20_000, broken=0, seed=5)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / "all.jsonl"
    process = subprocess.Popen(
        [sys.executable, "-m", "thread_cli", "export", str(corpus), "-o", str(target), "--jobs", "2"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        deadline = time.monotonic() + 60
        while not [p for p in out_dir.glob(".thread-*.tmp") if p.stat().st_size > 0]:
            assert process.poll() is None, "the export ended before writing"
            assert time.monotonic() < deadline
            time.sleep(0.005)
        workers = _children(process.pid)
        assert len(workers) >= 2
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C does: the whole foreground group
        stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
    assert (process.returncode, stdout, stderr) == (130, b"", b"interrupted\n")
    assert list(out_dir.iterdir()) == []
    for pid in workers:
        assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split(")")[1][:3]


def test_progress_only_on_a_terminal_and_not_with_quiet(clean, tmp_path):
    import pty

    def stderr_on_a_terminal(*extra: str) -> str:
        leader, follower = pty.openpty()
        process = subprocess.run(
            [sys.executable, "-m", "thread_cli", *extra, "export", str(clean), "-o", str(tmp_path / "p.jsonl"),
             "-j", "2"], cwd=ROOT, stderr=follower, stdout=subprocess.DEVNULL, timeout=60, check=False)
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(leader)
        assert process.returncode == 0
        return b"".join(chunks).decode("utf-8", "replace")

    shown = stderr_on_a_terminal()
    assert "12/12 files" in shown and " comments" in shown and "MB/s" in shown and "0 skipped" in shown
    assert stderr_on_a_terminal("-q") == ""
