"""Bytes in, bytes out: BOM, CRLF, mixed line endings and a missing final newline survive an edit."""

from __future__ import annotations

from pathlib import Path

import pytest

from gusp_cli.model.errors import GuspError
from gusp_cli.store.textfile import decode_source, encode_like, unified_diff


def test_unchanged_text_encodes_to_the_same_bytes() -> None:
    raw = "\ufeffa: 1\r\nb: 2\nc: 3\r\n".encode()
    source = decode_source(Path("x.yaml"), raw)
    assert source.bom and source.newline == "\r\n"
    assert encode_like(source, source.text) == raw


def test_crlf_and_bom_are_kept_and_new_lines_take_crlf() -> None:
    raw = "\ufeffa: 1\r\nb: 2\r\nc: 3\r\n".encode()
    source = decode_source(Path("x.yaml"), raw)
    expected = "\ufeffa: 1\r\nb: 20\r\nb2: 21\r\nc: 3\r\n".encode()
    assert encode_like(source, "a: 1\nb: 20\nb2: 21\nc: 3\n") == expected


def test_mixed_endings_untouched_lines_keep_their_own() -> None:
    raw = b"a: 1\nb: 2\r\nc: 3\nd: 4\r\n"
    source = decode_source(Path("x.yaml"), raw)
    assert source.newline in ("\n", "\r\n")
    out = encode_like(source, "a: 1\nb: 2\nc: 30\nd: 4\n")
    assert out.split(b"c: 30")[0] == b"a: 1\nb: 2\r\n"
    assert out.endswith(b"d: 4\r\n")


def test_missing_final_newline_is_kept() -> None:
    source = decode_source(Path("x.yaml"), b"a: 1\nb: 2")
    assert encode_like(source, "a: 10\nb: 2") == b"a: 10\nb: 2"
    assert encode_like(source, "a: 1\nb: 2\nc: 3\n") == b"a: 1\nb: 2\nc: 3\n"


def test_bad_encoding_is_a_positioned_french_error() -> None:
    with pytest.raises(GuspError) as info:
        decode_source(Path("x.yaml"), "a: 1\nb: é\n".encode("latin-1"))
    assert "x.yaml:2:4" in info.value.message
    assert "UTF-8" in info.value.message


def test_unified_diff_names_the_file_like_git() -> None:
    diff = unified_diff("a: 1\n", "a: 2\n", "charter-data/quartiers/x.yaml")
    assert diff.startswith("--- a/charter-data/quartiers/x.yaml\n+++ b/charter-data/quartiers/x.yaml\n")
    assert "-a: 1\n+a: 2\n" in diff
