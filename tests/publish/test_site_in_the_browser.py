"""The published pages in a real headless Chromium: axe-core's WCAG 2.2 AA rules, and a phone's width.

axe-core and puppeteer-core come from ``.ci/node`` (``npm ci --prefix .ci/node``), Chromium from
Debian (``apt-get install chromium``); ``.ci/node/check-pages.mjs`` opens each page, runs axe at
1280 px, then looks at 390 px for anything wider than the screen. Without them the test is skipped
with the reason, except under ``CI``, where ``.ci/run`` installs them and a missing one fails.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CASES
from tests.node_tools import NODE_BIN, node_path

Run = Callable[..., tuple[int, str, str]]
SCRIPT = NODE_BIN.parents[1] / "check-pages.mjs"
PAGES = ["index.html", "quartiers/avion/index.html", "actions/AVI-005/index.html",
         "gouvernance/index.html", "lire-les-chiffres/index.html", "donnees/index.html"]


def _chromium() -> str:
    """Debian's Chromium and the node tools, or skip (fail under CI) saying what to install."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    missing = []
    if found is None:
        missing.append("chromium (apt-get install chromium)")
    if shutil.which("node", path=node_path()) is None or not (NODE_BIN.parent / "puppeteer-core").is_dir():
        missing.append("node, axe-core et puppeteer-core (npm ci --prefix .ci/node, fait par .ci/run)")
    if missing:
        reason = "absent : " + " ; ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(f"CI : {reason}")
        pytest.skip(reason)
    assert found is not None
    return found


def check(pages: list[Path]) -> dict[str, Any]:
    """Run the checker on ``pages``; its report by page path."""
    chromium = _chromium()
    done = subprocess.run(["node", str(SCRIPT), chromium, *map(str, pages)], capture_output=True, text=True,
                          timeout=300, check=False, env={**os.environ, "PATH": node_path()})
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout)
    assert report["axe"].startswith("4.")
    return {item["page"]: item for item in report["pages"]}


def publish(gusp: Run, site: Path, *args: str) -> Path:
    code, _, err = gusp("publish", "-o", str(site), "--as-of", "2026-11-25", *args)
    assert code == 0, err
    return site


def test_the_embedded_charters_pages_pass_axe_and_fit_a_phone(gusp: Run, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GUSP_CHARTER", raising=False)
    site = publish(gusp, tmp_path / "site")
    report = check([site / page for page in PAGES])
    assert {Path(p).relative_to(site).as_posix(): (r["wcag"], r["pratiques"], r["debordements"])
            for p, r in report.items()} == {page: ([], [], []) for page in PAGES}


def test_a_lived_charter_and_another_charter_pass_too(gusp: Run, tmp_path: Path, lived_call: Path) -> None:
    lived = publish(gusp, tmp_path / "vecue", "--charter", str(lived_call))
    other = publish(gusp, tmp_path / "autre", "--charter", str(CASES / "convention"))
    pages = [lived / "index.html", lived / "actions/LEN-004/index.html", lived / "gouvernance/index.html",
             other / "index.html", other / "quartiers/tilleuls/index.html",
             other / "quartiers/territoire/index.html", other / "actions/TIL-001/index.html"]
    report = check(pages)
    assert {p: (r["wcag"], r["debordements"]) for p, r in report.items()} == {
        str(p): ([], []) for p in pages}


def test_the_checker_sees_what_is_wrong(tmp_path: Path) -> None:
    bad = tmp_path / "mauvaise.html"
    bad.write_text('<!DOCTYPE html><html><head><meta name="viewport" content="width=device-width">'
                   '<title>x</title></head><body><main><h1>Titre</h1>'
                   '<p style="color:#bbb">pâle</p><img src="x.png"><div style="width:900px">large</div>'
                   '</main></body></html>', encoding="utf-8")
    [result] = check([bad]).values()
    assert {"color-contrast", "image-alt", "html-has-lang"} <= {v["id"] for v in result["wcag"]}
    assert result["debordements"] != []
