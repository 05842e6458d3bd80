"""The cache never changes an answer: every entry is sealed with a checksum of its payload, and an
entry that fails it is ignored and written again, silently (issue 14)."""

from __future__ import annotations

import marshal
import os
import random
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from gusp_cli.store.cache import ParseCache

Run = Callable[..., tuple[int, str, str]]
AS_OF = "2026-11-25"
COMMANDS = (
    ("export", "--format", "json", "--as-of", AS_OF),
    ("validate", "--as-of", AS_OF, "--format", "json"),
    ("insertion", "--format", "csv", "--as-of", AS_OF),
    ("calendar", "--as-of", AS_OF, "--from", "2025-01-01", "--to", "2025-12-31"),
)
"""Between them they read every kind of entry: parsed values (insertion.yaml), validated models
(charte, acteurs, quartier, reunions), the rules' verdict and the file index."""


def test_a_sealed_blob_gives_its_payload_back_and_any_change_is_caught() -> None:
    from gusp_cli.store.cache import CHECKSUM_BYTES, sealed, unsealed

    blob = sealed(b"payload")
    assert unsealed(blob) == b"payload" and len(blob) == CHECKSUM_BYTES + 7
    for i in range(len(blob)):
        flipped = bytearray(blob)
        flipped[i] ^= 0x01
        assert unsealed(bytes(flipped)) is None
    assert unsealed(blob[:-1]) is None and unsealed(blob + b"x") is None and unsealed(b"") is None


def test_a_garbled_entry_is_a_miss_and_is_deleted(tmp_path: Path) -> None:
    store = ParseCache(tmp_path)
    store.put("ab" + "0" * 38, {"libelle": "Tour de quartier"})
    entry = next(tmp_path.rglob("*.marshal"))
    entry.write_bytes(entry.read_bytes().replace(b"quartier", b"QUARTIER"))
    assert store.get("ab" + "0" * 38) is None and not entry.exists()


def _payload(blob: bytes) -> object:
    """What an entry holds (after its checksum), or None when it does not decode."""
    from gusp_cli.store.cache import CHECKSUM_BYTES

    for start in (CHECKSUM_BYTES, 0):
        try:
            return marshal.loads(blob[start:])
        except (EOFError, ValueError, TypeError):
            continue
    return None


def _kind(payload: object) -> str:
    """Which kind of entry a payload is (for the test's own bookkeeping)."""
    if isinstance(payload, tuple) and len(payload) == 4:
        return "modèle validé"
    if isinstance(payload, tuple) and len(payload) == 2:
        return "verdict"
    if isinstance(payload, str):
        return "dernier verdict"
    if isinstance(payload, dict) and payload and all(isinstance(v, tuple) for v in payload.values()):
        return "index"
    return "valeurs lues"


@pytest.fixture
def warm(gov: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gusp: Run
         ) -> tuple[Path, list[tuple[int, str]]]:
    """The governance charter, its files dated an hour ago (the index trusts them), the cache warm;
    with the answers of every command computed without any cache."""
    monkeypatch.chdir(gov)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("GUSP_NO_CACHE", raising=False)
    past = time.time() - 3600
    for path in (gov / "charter-data").rglob("*.yaml"):
        os.utime(path, (past, past))
    truth = [gusp("--no-cache", *command)[:2] for command in COMMANDS]
    for _ in range(2):  # the second run writes the index entries the first found racy
        assert [gusp(*command)[:2] for command in COMMANDS] == truth
    return tmp_path / "xdg" / "gusp", truth


def _entries(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.marshal"))


def test_flipping_bytes_in_every_kind_of_entry_never_changes_an_answer(
        warm: tuple[Path, list[tuple[int, str]]], gusp: Run) -> None:
    folder, truth = warm
    entries = _entries(folder)
    kinds = {_kind(_payload(p.read_bytes())) for p in entries}
    assert kinds == {"modèle validé", "verdict", "dernier verdict", "index", "valeurs lues"}
    rng = random.Random(14)
    mutations = 0
    for entry in entries:
        original = entry.read_bytes()
        positions = sorted({rng.randrange(len(original)) for _ in range(6)} | {0, len(original) - 1})
        variants = [bytes(original[:i]) + bytes([original[i] ^ (1 << rng.randrange(8))])
                    + bytes(original[i + 1:]) for i in positions]
        variants += [original[: len(original) // 2], original + b"\x00", b""]
        for variant in variants:
            entry.write_bytes(variant)
            assert [gusp(*command)[:2] for command in COMMANDS] == truth, (entry.name,
                                                                           _kind(_payload(original)))
            mutations += 1
            # written again with the same content (marshal may flag shared objects differently from
            # one process history to another: the bytes can differ, what they hold cannot)
            assert entry.exists() and _payload(entry.read_bytes()) == _payload(original)
    assert mutations >= 8 * len(entries)  # 5 bit flips at least (equal positions merge), 3 cuts


def test_a_label_edited_inside_an_entry_is_not_printed(warm: tuple[Path, list[tuple[int, str]]],
                                                       gusp: Run) -> None:
    """The red-team case: ``sed -i 's/Tour de quartier/Tour de QUARTIER/'`` on the cache files."""
    folder, truth = warm
    edited = 0
    for entry in _entries(folder):
        blob = entry.read_bytes()
        if b"Tour de quartier" in blob:
            entry.write_bytes(blob.replace(b"Tour de quartier", b"Tour de QUARTIER"))
            edited += 1
    assert edited
    for _ in range(2):
        assert [gusp(*command)[:2] for command in COMMANDS] == truth
