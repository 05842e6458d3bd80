"""``gusp signals`` end to end (in-process): outputs, inert user text, French errors, nothing written."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest

from gusp_cli.exchange.json_schemas import SCHEMAS

Run = Callable[..., tuple[int, str, str]]
HOSTILE = "=HYPERLINK(\"https://evil\") @everyone [x](https://evil) <b>gras</b>"


@pytest.fixture
def depot(gov: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The governance fixture with the veille declared, as the working directory."""
    charte = gov / "charter-data" / "charte.yaml"
    charte.write_text(charte.read_text(encoding="utf-8") + "veille:\n  instances: [comite_de_proximite, "
                      "comite_technique]\n", encoding="utf-8")
    monkeypatch.chdir(gov)
    monkeypatch.delenv("GUSP_CHARTER", raising=False)
    return gov


def add(gusp: Run, description: str = "Dépôt sauvage", *extra: str) -> str:
    code, out, err = gusp("signals", "add", "centre", description, "--lieu", "rue de la Gare", "--theme",
                          "propreté", "--source", "tour_de_quartier", "--responsable", "bailleur",
                          "--date", "2026-10-06", *extra)
    assert code == 0, err
    return out.strip()


def test_add_prints_the_id_alone_on_stdout(depot: Path, gusp: Run) -> None:
    code, out, err = gusp("signals", "add", "centre", "Tags", "--lieu", "gymnase", "--theme", "propreté",
                          "--source", "Tour de quartier")
    assert (code, out) == (0, "SIG-2026-0001\n")
    assert "charter-data/signalements.yaml créé" in err and "git add charter-data/signalements.yaml" in err


def test_dry_run_writes_nothing(depot: Path, gusp: Run) -> None:
    code, out, err = gusp("signals", "add", "centre", "Tags", "--lieu", "gymnase", "--theme", "propreté",
                          "--source", "habitant", "--dry-run")
    assert code == 0 and out == "SIG-2026-0001\n" and "+  - id: SIG-2026-0001" in err
    assert "--dry-run : rien n'a été écrit." in err
    assert not (depot / "charter-data" / "signalements.yaml").exists()


@pytest.mark.parametrize(("args", "message"), [
    (("signals", "add", "nord", "x", "--lieu", "l", "--theme", "t", "--source", "habitant"), "quartier"),
    (("signals", "add", "centre", "x", "--lieu", "l", "--theme", "t", "--source", "voisin"),
     "--source : valeur « voisin » inconnue ; choix possibles :"),
    (("signals", "add", "centre", "x", "--lieu", " ", "--theme", "t", "--source", "habitant"),
     "--lieu ne peut pas être vide"),
    (("signals", "update", "SIG-2026-0001", "--etat", "transmis"),
     "signalement « SIG-2026-0001 » introuvable"),
    (("signals", "list", "--etat", "resolu"), "--etat : valeur « resolu » inconnue"),
    (("signals", "list", "--depuis", "hier"), "--depuis : date invalide « hier »"),
    (("signals", "list", "--format", "xml"), "--format"),
])
def test_bad_input_is_a_french_usage_error(depot: Path, gusp: Run, args: tuple[str, ...],
                                           message: str) -> None:
    code, out, err = gusp(*args)
    assert code == 2 and out == "" and message in err and "Traceback" not in err
    assert not (depot / "charter-data" / "signalements.yaml").exists()


def test_an_unknown_id_names_the_closest(depot: Path, gusp: Run) -> None:
    add(gusp)
    code, _, err = gusp("signals", "close", "SIG-2026-0010", "--note", "fait")
    assert code == 2 and "vouliez-vous dire SIG-2026-0001 ?" in err


def test_an_invalid_signalements_file_blocks_the_edits(depot: Path, gusp: Run) -> None:
    path = depot / "charter-data" / "signalements.yaml"
    path.write_text("signalements:\n  - id: SIG-1\n", encoding="utf-8")
    code, _, err = gusp("signals", "add", "centre", "x", "--lieu", "l", "--theme", "t", "--source",
                        "habitant")
    assert code == 1 and "signalements.yaml ne se charge pas ; rien n'a été modifié" in err
    assert "charter-data/signalements.yaml:2:" in err
    assert path.read_text(encoding="utf-8") == "signalements:\n  - id: SIG-1\n"


def test_list_without_file_says_how_to_start(depot: Path, gusp: Run) -> None:
    code, out, _ = gusp("signals", "list")
    assert code == 0 and "Aucun signalement enregistré" in out and "gusp signals add" in out


def test_the_json_follows_its_schema_and_the_agenda_s_too(depot: Path, gusp: Run) -> None:
    add(gusp)
    add(gusp, "Candélabre en panne")
    gusp("signals", "update", "SIG-2026-0002", "--etat", "transmis", "--vers", "Service voirie", "--date",
         "2026-10-08")
    for name, args in (("signals", ("signals", "list")), ("agenda", ("agenda", "comite_technique")),
                       ("agenda", ("agenda", "comite_de_proximite", "--as-of", "2026-10-20"))):
        code, out, err = gusp(*args, "--format", "json")
        assert code == 0, err
        document = json.loads(out)
        jsonschema.validate(document, SCHEMAS[name], format_checker=jsonschema.FormatChecker())
    document = json.loads(gusp("agenda", "comite_technique", "--format", "json")[1])
    assert [(g["nom"], [s["id"] for s in g["signalements"]]) for g in document["signalements"]] == [
        ("Bailleur du Sud", ["SIG-2026-0001"])]
    assert json.loads(gusp("agenda", "copil", "--format", "json")[1])["signalements"] == []


def test_filters_combine(depot: Path, gusp: Run) -> None:
    add(gusp)
    add(gusp, "Candélabre en panne", "--secteur", "gare")
    gusp("signals", "close", "SIG-2026-0001", "--note", "enlevé", "--date", "2026-10-10")

    def ids(*args: str) -> list[str]:
        return [r["id"] for r in json.loads(gusp("signals", "list", "--format", "json",
                                                 *args)[1])["signalements"]]

    assert ids() == ["SIG-2026-0001", "SIG-2026-0002"]
    assert ids("--etat", "ouvert") == ["SIG-2026-0002"]
    assert ids("--secteur", "gare") == ["SIG-2026-0002"]
    assert ids("--responsable", "bailleur_sud") == ["SIG-2026-0001", "SIG-2026-0002"]
    assert ids("--responsable", "ville") == []
    assert ids("--depuis", "2026-10-07") == []
    assert ids("--a-remonter") == ["SIG-2026-0002"]
    assert ids("--a-remonter", "--as-of", "2026-11-01") == []


def test_user_text_is_inert_in_every_format(depot: Path, gusp: Run) -> None:
    code, _, err = gusp("signals", "add", "centre", HOSTILE, "--lieu", HOSTILE, "--theme", "propreté",
                        "--source", "habitant")
    assert code == 0, err
    out = gusp("signals", "list", "--format", "csv")[1]
    row = next(csv.DictReader(io.StringIO(out), delimiter=";"))
    assert row["description"].startswith("'=HYPERLINK")
    md = gusp("signals", "list", "--format", "md")[1]
    assert "@everyone" not in md and "](https://evil)" not in md and "<b>" not in md
    assert "\x1b" not in gusp("signals", "list")[1]


def test_a_future_date_or_a_control_character_is_refused_by_the_rules(depot: Path, gusp: Run) -> None:
    for description, date in (("Tags", "2026-12-01"), ("Tags \x1b[31m", "2026-11-01")):
        code, out, err = gusp("signals", "add", "centre", description, "--lieu", "gymnase", "--theme",
                              "propreté",
                              "--source", "habitant", "--date", date)
        assert (code, out) == (1, "") and "modification refusée" in err
    assert "[date_future]" in gusp("signals", "add", "centre", "Tags", "--lieu", "g", "--theme", "t",
                                   "--source",
                                   "habitant", "--date", "2026-12-01")[2]
    assert not (depot / "charter-data" / "signalements.yaml").exists()


def test_close_needs_a_note(depot: Path, gusp: Run) -> None:
    add(gusp)
    code, _, err = gusp("signals", "close", "SIG-2026-0001", "--note", " ")
    assert code == 2 and "--note" in err


def test_update_then_the_follow_up_reads_in_the_list(depot: Path, gusp: Run) -> None:
    add(gusp)
    code, out, err = gusp("signals", "update", "sig-2026-0001", "--note", "bailleur relancé", "--date",
                          "2026-10-09")
    assert code == 0, err
    assert "SIG-2026-0001 : suivi + 2026-10-09 — bailleur relancé" in out
    row = json.loads(gusp("signals", "list", "--format", "json")[1])["signalements"][0]
    assert (row["etat"], row["dernier_suivi_note"]) == ("ouvert", "bailleur relancé")
