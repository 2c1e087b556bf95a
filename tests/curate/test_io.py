"""curate.io: atomic writes (whole output or none, with the mode a plain open() gives) and the readers."""

import os
import stat

import pytest

from curate.io import atomic_path, read_jsonl, read_lines, read_text, write_jsonl


def test_output_gets_the_mode_of_a_plain_open(tmp_path):
    (tmp_path / "plain.txt").write_text("x")
    write_jsonl(tmp_path / "out.jsonl", [{"a": 1}])
    mode = lambda name: stat.S_IMODE(os.stat(tmp_path / name).st_mode)  # noqa: E731
    assert mode("out.jsonl") == mode("plain.txt")


def test_a_failed_write_leaves_the_old_output_and_no_temporary_file(tmp_path):
    out = tmp_path / "out.jsonl"
    write_jsonl(out, [{"a": 1}])
    with pytest.raises(RuntimeError), atomic_path(out) as tmp:
        tmp.write_text('{"a": 2}\n')
        raise RuntimeError("killed midway")
    assert list(read_jsonl(out)) == [{"a": 1}]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"]


def test_read_lines_keeps_empty_lines_and_drops_only_the_final_newline(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"one\r\n\nthree\n")
    (tmp_path / "empty.txt").write_bytes(b"")
    assert read_lines(tmp_path / "a.txt") == ["one", "", "three"]
    assert read_lines(tmp_path / "empty.txt") == []


def test_read_lines_names_a_file_that_is_not_utf8(tmp_path):
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("hòa\n".encode("latin-1"))
    with pytest.raises(ValueError, match=r"^.*latin1\.txt: not UTF-8 text \(byte 1: invalid continuation byte\)$"):
        read_lines(bad)


def test_read_jsonl_refuses_a_line_that_is_not_an_object(tmp_path):
    path = tmp_path / "pool.jsonl"
    path.write_text('{"id": "a"}\n\n[1, 2]\n', encoding="utf-8")
    records = read_jsonl(path)
    assert next(records) == {"id": "a"}
    with pytest.raises(ValueError, match=r"pool.jsonl:3: a JSON list, not an object"):
        next(records)


def test_read_jsonl_names_the_file_line_and_byte_of_bytes_that_are_not_utf8(tmp_path):
    path = tmp_path / "memory.jsonl"
    path.write_bytes(b'{"a": 1}\n{"b": "\x8d"}\n')
    records = read_jsonl(path)
    assert next(records) == {"a": 1}
    with pytest.raises(ValueError) as caught:
        next(records)
    assert str(caught.value) == f"{path}:2: not UTF-8 text (byte 16: invalid start byte)"


def test_read_text_names_a_binary_file(tmp_path):
    path = tmp_path / "bin"
    path.write_bytes(b"ok\n\x8d\xff\x00")
    with pytest.raises(ValueError) as caught:
        read_text(path)
    assert str(caught.value) == f"{path}: not UTF-8 text (byte 3: invalid start byte)"
    (tmp_path / "good").write_bytes("hòa\n".encode())
    assert read_text(tmp_path / "good") == "hòa\n"
