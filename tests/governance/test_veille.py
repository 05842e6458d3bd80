"""The veille's ascent: which body an open signalement is due at, from the bodies' rhythms."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from gusp_cli.governance.agenda import build_agenda, match_instance, to_markdown
from gusp_cli.governance.veille import agenda_groups, ascent, due_at, standing, to_escalate
from gusp_cli.model.charter import Charter
from gusp_cli.store.loader import load

D = dt.date
VEILLE = "veille:\n  instances: [comite_de_proximite, comite_technique]\n"


def signal(sid: str, seen: str, *, etat: str = "ouvert", suivi: str = "", extra: str = "") -> str:
    """One signalement of the centre quartier, as YAML."""
    return (f"  - id: {sid}\n    date: {seen}\n    quartier: centre\n    lieu: rue de la Gare\n"
            f"    theme: propreté\n    description: Dépôt sauvage\n    source: tour_de_quartier\n"
            f"    responsable: bailleur\n{extra}    etat: {etat}\n{suivi}")


def charter_with(root: Path, *signals: str, veille: str = VEILLE) -> Charter:
    """The governance fixture with a veille declaration and these signalements, loaded."""
    charte = root / "charter-data" / "charte.yaml"
    charte.write_text(charte.read_text(encoding="utf-8") + veille, encoding="utf-8")
    body = "signalements:\n" + "".join(signals) if signals else "signalements: []\n"
    (root / "charter-data" / "signalements.yaml").write_text(body, encoding="utf-8")
    charter = load(root, today=D(2026, 11, 25))
    assert charter.ok, [p.format() for p in charter.errors]
    return charter


def test_the_ascent_ends_with_the_deciding_body(gov: Path) -> None:
    charter = charter_with(gov)
    assert [b.id for b in ascent(charter)] == ["comite_de_proximite", "comite_technique", "copil"]


def test_no_declaration_no_ascent(gov: Path) -> None:
    charter = charter_with(gov, signal("SIG-2026-0001", "2026-01-05"), veille="")
    assert ascent(charter) == [] and standing(charter, charter.signals[0], D(2026, 11, 25)) is None


@pytest.mark.parametrize(("day", "body", "next_at"), [
    # Seen on 6 October; monthly body: one month (6 November) and half of it, 16 days: 22 November.
    (D(2026, 10, 6), "comite_de_proximite", D(2026, 11, 22)),
    (D(2026, 11, 22), "comite_de_proximite", D(2026, 11, 22)),
    (D(2026, 11, 23), "comite_technique", D(2027, 4, 9)),  # quarterly: 22 February and 46 days
    (D(2027, 4, 10), "copil", None),
])
def test_an_open_signalement_goes_up_by_the_rhythms(gov: Path, day: dt.date, body: str,
                                                    next_at: dt.date | None) -> None:
    charter = charter_with(gov, signal("SIG-2026-0001", "2026-10-06"))
    found = standing(charter, charter.signals[0], day)
    assert found is not None
    assert (found.body.id, found.next_at) == (body, next_at)
    assert found.escalated is (body != "comite_de_proximite")


def test_a_reopened_signalement_starts_again_from_the_first_body(gov: Path) -> None:
    suivi = ("    suivi:\n      - date: 2026-02-01\n        etat: traite\n"
             "      - date: 2026-11-01\n        etat: ouvert\n        note: de nouveau des dépôts\n")
    charter = charter_with(gov, signal("SIG-2026-0001", "2026-01-05", suivi=suivi))
    found = standing(charter, charter.signals[0], D(2026, 11, 25))
    assert found is not None and found.body.id == "comite_de_proximite" and found.since == D(2026, 11, 1)


@pytest.mark.parametrize("case", ["transmis", "traite", "action"])
def test_relayed_solved_or_followed_by_an_action_it_does_not_go_up(gov: Path, case: str) -> None:
    states = {"transmis": ("transmis", "    suivi:\n      - date: 2026-02-01\n        etat: transmis\n"
                                       "        vers: CLSPD\n", ""),
              "traite": ("traite", "    suivi:\n      - date: 2026-02-01\n        etat: traite\n", ""),
              "action": ("ouvert", "", "    actions: [CEN-001]\n")}
    etat, suivi, extra = states[case]
    charter = charter_with(gov, signal("SIG-2026-0001", "2026-01-05", etat=etat, suivi=suivi, extra=extra))
    up = to_escalate(charter, charter.signals, D(2026, 11, 25))
    # a related action does not stop it: only the action created from it does
    assert up == [] if case != "action" else len(up) == 1


def test_a_body_without_rhythm_ends_the_ascent(gov: Path) -> None:
    charte = gov / "charter-data" / "charte.yaml"
    text = charte.read_text(encoding="utf-8")
    charte.write_text(text.replace("    frequence: mensuelle\n", ""), encoding="utf-8")
    charter = charter_with(gov, signal("SIG-2026-0001", "2025-01-05"))
    found = standing(charter, charter.signals[0], D(2026, 11, 25))
    assert found is not None and (found.body.id, found.next_at) == ("comite_de_proximite", None)


def test_each_body_reviews_its_share(gov: Path) -> None:
    charter = charter_with(gov, signal("SIG-2026-0001", "2026-10-06"), signal("SIG-2026-0002", "2026-11-20"))
    day = D(2026, 11, 25)
    first, second, third = ascent(charter)
    assert [s.signal.id for s in due_at(charter, first, charter.signals, day) or []] == [
        "SIG-2026-0001", "SIG-2026-0002"]
    assert [s.signal.id for s in due_at(charter, second, charter.signals, day) or []] == ["SIG-2026-0001"]
    assert due_at(charter, third, charter.signals, day) == []
    groups = agenda_groups(charter, second, due_at(charter, second, charter.signals, day) or [])
    assert [(g.key, g.nom, len(g.items)) for g in groups] == [("bailleur_sud", "Bailleur du Sud", 1)]


def test_the_agenda_of_a_body_outside_the_veille_has_no_signalements_section(gov: Path) -> None:
    charter = charter_with(gov, signal("SIG-2026-0001", "2026-10-06"), veille="")
    agenda = build_agenda(charter, match_instance(charter, "technique"), D(2026, 11, 25))
    assert agenda.veille is None and "Signalements" not in to_markdown(charter, agenda)


def test_the_agenda_keeps_user_text_inert(gov: Path) -> None:
    hostile = signal("SIG-2026-0001", "2026-10-06").replace("rue de la Gare",
                                                            "\"@everyone [x](https://evil) <b>\"")
    charter = charter_with(gov, hostile)
    text = to_markdown(charter, build_agenda(charter, match_instance(charter, "technique"), D(2026, 11, 25)))
    line = next(x for x in text.splitlines() if "SIG-2026-0001" in x)
    assert "@everyone" not in line and "](https://evil)" not in line and "<b>" not in line
