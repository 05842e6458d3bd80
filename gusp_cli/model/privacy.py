"""Personal data in free text: what would identify a resident, found in a sentence.

A charter's records describe places and problems, never people: no e-mail address, no phone
number, no « M. Dupont ». :func:`personal_data_in` names what a text holds of that kind, so that a
rule can refuse it (``donnees_personnelles``) without ever repeating it. No I/O, no clock.
"""

from __future__ import annotations

import re

_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_PHONE = re.compile(r"(?<![\d+])(?:(?:\+|00)\s?33\s?(?:\(0\)\s?)?|0)[1-9](?:[\s.\-/]?\d{2}){4}(?!\d)")
"""A French phone number: ``06 12 34 56 78``, ``0612345678``, ``06.12.34.56.78``, ``+33 6 12 34 56 78``."""
_CIVILITY = re.compile(r"(?<![\w.])(?:M\.|Mme|Mlle|Monsieur|Madame|Mademoiselle)\s+(?:[A-ZÀ-Ý][\w'-]+)")
"""A civility followed by a capitalised word: « M. Dupont », « Madame Durand »."""
_STREET = re.compile(r"(?:rue|avenue|av\.|place|boulevard|bd|allée|allee|impasse|square|résidence|"
                     r"residence|chemin|quai|cité|cite|parc|square|école|ecole|collège|college|lycée|"
                     r"lycee|salle|centre|stade|parvis|passage|sentier|voie)\s+(?:du\s+|de\s+la\s+|de\s+)?$",
                     re.IGNORECASE)
"""Words after which a civility names a place (« rue Madame de Sévigné »), not a person."""

KINDS = {"courriel": "une adresse électronique", "telephone": "un numéro de téléphone",
         "nom": "une civilité suivie d'un nom (« M. … », « Madame … »)"}
"""What each kind of personal data is, in words."""


def personal_data_in(text: str) -> list[str]:
    """The kinds of personal data found in ``text`` (keys of :data:`KINDS`), in that order."""
    found = []
    if _EMAIL.search(text):
        found.append("courriel")
    if _PHONE.search(text):
        found.append("telephone")
    if any(not _STREET.search(text[:m.start()]) for m in _CIVILITY.finditer(text)):
        found.append("nom")
    return found


SIGNALS_REASON = ("la veille décrit des lieux et des dysfonctionnements, jamais des personnes (ni nom "
                  "d'habitant, ni téléphone, ni courriel) : retirez-la, le contact reste chez le partenaire "
                  "qui l'a reçu")
INSERTION_REASON = ("insertion.yaml ne contient que des effectifs agrégés (jamais de nom, prénom, date de "
                    "naissance, adresse ni coordonnées) : retirez-la")


def refusal(kinds: list[str], field: str, reason: str) -> str:
    """The French message refusing ``kinds`` of personal data found in ``field`` (never quoting it),
    with the ``reason`` the file keeps none."""
    what = " et ".join(KINDS[k] for k in kinds)
    return f"donnée personnelle refusée : « {field} » contient {what} ; {reason}"
