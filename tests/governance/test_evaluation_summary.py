"""The evaluation table summed up: counts « n renseignées sur N », yes/no/unknown, costs, gaps per party."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from gusp_cli.governance.evaluation_summary import evaluation_summary, to_fill_by_party
from gusp_cli.store.loader import load

DAY = dt.date(2026, 11, 25)
ANCHOR = "      - id: {id}\n"


def _evaluate(root: Path, quartier: str, action_id: str, block: str) -> None:
    """Insert an ``evaluation`` block right after the action's ``numero`` line."""
    path = root / "charter-data" / "quartiers" / f"{quartier}.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index(ANCHOR.format(id=action_id))
    cells = ["evaluation:", *("  " + b for b in block.split("|"))]
    lines.insert(start + 2, "".join(f"        {x}\n" for x in cells))
    path.write_text("".join(lines), encoding="utf-8")


def test_counts_totals_and_yes_no_unknown(tfpb_copy: Path) -> None:
    _evaluate(tfpb_copy, "avion", "AVI-006", "deployee: true|cout: 12500|clauses_insertion_respectees: true")
    _evaluate(tfpb_copy, "avion", "AVI-007", "deployee: false|qualite_de_vie_amelioree: false")
    _evaluate(tfpb_copy, "lens", "LEN-001", "deployee: true|cout: 3000.5|qualite_de_vie_amelioree: true")
    charter = load(tfpb_copy, today=DAY)
    assert charter.ok, [p.format() for p in charter.errors]
    report = evaluation_summary(charter.on(DAY))
    avion = next(s for s in report.quartiers if s.id == "avion")
    assert avion.total == len(charter.entries_of("avion"))
    deployed = avion.of("deployee")
    assert deployed is not None
    assert (deployed.renseignees, deployed.oui, deployed.non, deployed.inconnu) == (2, 1, 1, avion.total - 2)
    assert deployed.text == f"2 renseignées sur {avion.total}"
    cost = avion.of("cout")
    assert cost is not None
    assert (cost.renseignees, cost.somme, cost.depuis_tfpb) == (2, 12500, 1)  # AVI-006 recorded, AVI-005 TFPB
    assert (avion.cout_enregistre, avion.cout_tfpb, avion.cout_total) == (12500, 84250.5, 96750.5)
    assert avion.deployees == ["AVI-006"]
    whole = report.ensemble
    assert whole.total == len(charter.entries)
    assert whole.cout_enregistre == 12500 + 3000.5
    assert whole.cout_tfpb == 84250.5 + 17500
    quality = whole.of("qualite_de_vie_amelioree")
    assert quality is not None and (quality.oui, quality.non) == (1, 1)
    assert whole.completes == 0


def test_nothing_recorded_is_none_never_zero(embedded_copy: Path) -> None:
    report = evaluation_summary(load(embedded_copy, today=DAY).on(DAY), ["lens"])
    lens = report.quartiers[0]
    assert (lens.cout_enregistre, lens.cout_tfpb, lens.cout_total) == (None, None, None)
    assert [s.id for s in report.quartiers] == ["lens"]
    assert all(d.renseignees == 0 for d in lens.dimensions)


def test_to_fill_lists_each_party_s_incomplete_actions(tfpb_copy: Path) -> None:
    _evaluate(tfpb_copy, "lens", "LEN-005", "deployee: true|clauses_insertion_respectees: true|"
              "qualite_de_vie_amelioree: true")
    charter = load(tfpb_copy, today=DAY).on(DAY)
    parties = to_fill_by_party(charter, charter.entries_of("lens"))
    landlord = next(p for p in parties if p.partie == "maisons_et_cites")
    assert "LEN-005" not in [m.entry.id for m in landlord.actions]  # its cost comes from TFPB
    missing = landlord.actions[0]
    assert "maisons_et_cites" in charter.responsible_actors(missing.entry)
    assert [d.id for d in missing.dimensions] == ["deployee", "cout", "clauses_insertion_respectees",
                                                 "qualite_de_vie_amelioree"]
    counts = [len(p.actions) for p in parties]
    assert counts == sorted(counts, reverse=True)
