"""train.files: JSON files of run and plan folders read with one-line errors that name the file."""

from __future__ import annotations

import pytest

from curate.io import check_output_folder
from train.files import read_json_object


def test_a_json_object_is_read_and_bad_files_are_named(tmp_path):
    path = tmp_path / "metrics.json"
    path.write_text('{"method": "tflcls"}', encoding="utf-8")
    assert read_json_object(path) == {"method": "tflcls"}
    path.write_bytes(b'{"method": "\x8d"}')
    with pytest.raises(ValueError, match=f"^{path}: not UTF-8 text \\(byte 12: invalid start byte\\)$"):
        read_json_object(path)
    path.write_text("", encoding="utf-8")
    with pytest.raises(ValueError, match=f"^{path} is not valid JSON \\(Expecting value at line 1, column 1\\)$"):
        read_json_object(path)
    path.write_text('"text"', encoding="utf-8")
    with pytest.raises(ValueError, match=f"^{path} does not hold a JSON object$"):
        read_json_object(path)


def test_an_output_folder_that_is_a_file_is_refused(tmp_path):
    check_output_folder(tmp_path)  # an existing folder
    check_output_folder(tmp_path / "new")  # one to create
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    with pytest.raises(ValueError, match=f"^the output folder is a file: {tmp_path / 'afile'}$"):
        check_output_folder(tmp_path / "afile")
