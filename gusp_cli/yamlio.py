"""Reading YAML safely and fast, keeping the node tree for source positions.

The one place that touches ruamel.yaml for reading. Files are parsed with the libyaml C parser
(``ruamel.yaml.clib``) into a node tree, then turned into plain Python values by a small
constructor of our own that:

* never builds arbitrary objects: any explicit tag other than the core ones is refused;
* refuses anchors/aliases (a charter never needs them; this also defeats "billion laughs");
* refuses duplicate keys and merge keys (``<<``);
* keeps dates as text, so that pydantic reports ``2025-02-30`` with its position;
* bounds nesting depth.

Problems come back as values with their position; nothing here raises on bad input.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gusp_cli.errors import Problem, YamlPath, error
from gusp_cli.source import SourcePos

MAX_FILE_BYTES = 20 * 1024 * 1024
"""Largest charter file accepted (20 Mio): a 50,000-action national repository stays far below."""
MAX_DEPTH = 64
"""Deepest nesting accepted; a charter needs about ten levels."""

_TAG = "tag:yaml.org,2002:"
_INT = re.compile(r"^[-+]?[0-9]+$")
_INT_OCT = re.compile(r"^0o[0-7]+$")
_INT_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class Parsed:
    """The result of reading one YAML file."""

    path: Path
    data: Any = None
    root: Any = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the file was read without error."""
        return not any(p.is_error for p in self.problems)


def _loader_class() -> type:
    """Return (once) a class combining the C parser with the YAML 1.2 resolver."""
    global _LOADER
    if _LOADER is None:
        from ruamel.yaml.main import CParser  # type: ignore[attr-defined]
        from ruamel.yaml.resolver import VersionedResolver

        if CParser is None:  # pragma: no cover - guarded by a test and the dependency pin
            raise RuntimeError("ruamel.yaml.clib (parseur C) est absent")

        class _Loader(CParser, VersionedResolver):  # type: ignore[misc]
            def __init__(self, stream: str) -> None:
                CParser.__init__(self, stream)
                VersionedResolver.__init__(self, version=None, loadumper=self)

        _LOADER = _Loader
    return _LOADER


_LOADER: type | None = None


def read_text(path: Path) -> tuple[str | None, list[Problem]]:
    """Read a file as UTF-8 text (BOM allowed); return the text or positioned problems."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [error("fichier_trop_grand", f"fichier trop volumineux ({size} octets ; "
                                f"limite {MAX_FILE_BYTES} octets)", path, pos=SourcePos(path, 1, 1))]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [error("fichier_illisible", _os_message(exc), path)]
    return decode(raw, path)


def decode(raw: bytes, path: Path) -> tuple[str | None, list[Problem]]:
    """Decode UTF-8 bytes, naming the line and column of the first invalid byte."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        col = len(raw[line_start:exc.start].decode("utf-8", errors="replace")) + 1
        byte = raw[exc.start]
        hint = " (fichier en Latin-1 ou Windows-1252 ?)" if byte >= 0x80 else ""
        msg = (f"encodage invalide : octet 0x{byte:02X} non UTF-8{hint} ; "
               "enregistrez le fichier en UTF-8")
        return None, [error("encodage", msg, path, pos=SourcePos(path, line, col))]
    control = _CONTROL.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        col = control.start() - (text.rfind("\n", 0, control.start()) + 1) + 1
        msg = f"caractère de contrôle U+{ord(control.group()):04X} interdit dans un fichier YAML"
        return None, [error("caractere_controle", msg, path, pos=SourcePos(path, line, col))]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def _os_message(exc: OSError) -> str:
    """Translate a file-system error into French."""
    import errno

    reasons = {
        errno.ENOENT: "fichier introuvable",
        errno.EACCES: "lecture refusée (droits insuffisants)",
        errno.EISDIR: "c'est un dossier, pas un fichier",
        errno.ELOOP: "boucle de liens symboliques",
        errno.ENOTDIR: "un élément du chemin n'est pas un dossier",
    }
    return reasons.get(exc.errno or 0, f"lecture impossible ({exc.strerror})")


def parse_file(path: Path) -> Parsed:
    """Read and parse one YAML file into plain Python values."""
    text, problems = read_text(path)
    if text is None:
        return Parsed(path, problems=problems)
    return parse_text(text, path)


def parse_text(text: str, path: Path) -> Parsed:
    """Parse YAML text into plain Python values, collecting positioned problems."""
    result = Parsed(path)
    try:
        root = _loader_class()(text).get_single_node()
    except Exception as exc:  # ruamel raises several YAMLError kinds, and ValueError for depth
        result.problems.append(_syntax_problem(exc, path, text))
        return result
    if root is None:
        result.problems.append(error("fichier_vide", "fichier vide : un document YAML est attendu",
                                     path, pos=SourcePos(path, 1, 1)))
        return result
    result.root = root
    builder = _Builder(path)
    result.data = builder.build(root, 0)
    result.problems.extend(builder.problems)
    return result


_TAB_FR = "tabulation interdite : indentez avec des espaces"
_SYNTAX_FR = {
    "found character that cannot start any token": "caractère inattendu (une tabulation ?)",
    "found character '\\t' that cannot start any token": _TAB_FR,
    "did not find expected ',' or ']'": "liste entre crochets non fermée (« ] » manquant)",
    "did not find expected ',' or '}'": "table entre accolades non fermée (« } » manquant)",
    "found unexpected end of stream": "fin de fichier inattendue (guillemet non fermé ?)",
    "mapping values are not allowed here": "« : » inattendu (indentation incorrecte ou guillemets manquants)",
    "did not find expected key": "clé attendue (indentation incorrecte, ou guillemet non fermé plus haut ?)",
    "did not find expected '-' indicator": "indentation incorrecte : élément de liste « - » attendu",
    "could not find expected ':'": "« : » attendu après la clé (guillemet non fermé ?)",
    "found undefined alias": "alias YAML non défini",
    "found unknown escape character": "séquence d'échappement inconnue dans une chaîne entre guillemets",
    "did not find expected node content": "valeur attendue",
    "found a tab character that violates indentation": _TAB_FR,
    "found a tab character where an indentation space is expected": _TAB_FR,
    "block sequence entries are not allowed in this context": "élément « - » mal placé (indentation ?)",
    "found unexpected ':'": "« : » inattendu",
    "expected a single document in the stream": "plusieurs documents YAML (« --- ») dans un seul fichier",
    "found incompatible YAML document": "version YAML non prise en charge",
    "did not find expected comment or line break": "fin de ligne attendue",
    "found duplicate anchor": "ancre YAML en double",
    "could not find expected ':' ": "« : » attendu",
}


def _syntax_problem(exc: Exception, path: Path, text: str) -> Problem:
    """Turn a ruamel parser/scanner/composer exception into a positioned French problem."""
    problem = str(getattr(exc, "problem", None) or getattr(exc, "context", None) or exc)
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if "expected a single document" in str(exc):
        problem = "expected a single document in the stream"
    message = _SYNTAX_FR.get(problem.strip())
    if mark is not None and _char_at(text, mark.line, mark.column) == "\t":
        message = "tabulation interdite : indentez avec des espaces"
    if message is None:
        lowered = problem.lower()
        if "tab" in lowered:
            message = "tabulation interdite : indentez avec des espaces"
        elif "depth" in lowered or "recursion" in lowered or "nest" in lowered:
            message = "imbrication trop profonde"
        else:
            message = f"syntaxe YAML invalide ({problem.strip()})"
    pos = SourcePos(path, mark.line + 1, mark.column + 1) if mark is not None else SourcePos(path, 1, 1)
    return error("yaml_syntaxe", f"syntaxe YAML : {message}", path, pos=pos)


def _char_at(text: str, line: int, column: int) -> str:
    """Return the character at a 0-based line and column ('' when out of range)."""
    lines = text.split("\n")
    if 0 <= line < len(lines) and 0 <= column < len(lines[line]):
        return lines[line][column]
    return ""


class _Builder:
    """Turns a node tree into plain values, refusing what a charter never needs."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self._seen: set[int] = set()

    def _fail(self, node: Any, rule: str, message: str) -> None:
        mark = node.start_mark
        self.problems.append(error(rule, message, self.path,
                                   pos=SourcePos(self.path, mark.line + 1, mark.column + 1)))

    def build(self, node: Any, depth: int) -> Any:
        """Construct the value of ``node``."""
        if depth > MAX_DEPTH:
            self._fail(node, "imbrication", f"imbrication trop profonde (plus de {MAX_DEPTH} niveaux)")
            return None
        kind = type(node).__name__
        if kind != "ScalarNode":
            if id(node) in self._seen:
                self._fail(node, "alias_yaml", "ancres et alias YAML (&, *) non acceptés : "
                           "recopiez la valeur")
                return None
            self._seen.add(id(node))
        if kind == "MappingNode":
            return self._mapping(node, depth)
        if kind == "SequenceNode":
            if node.tag != _TAG + "seq":
                self._refuse_tag(node)
                return None
            return [self.build(item, depth + 1) for item in node.value]
        return self._scalar(node)

    def _mapping(self, node: Any, depth: int) -> dict[Any, Any] | None:
        if node.tag != _TAG + "map":
            self._refuse_tag(node)
            return None
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                self._fail(key_node, "alias_yaml", "clé de fusion YAML « << » non acceptée")
                continue
            if type(key_node).__name__ != "ScalarNode":
                self._fail(key_node, "cle_invalide", "une clé doit être un texte simple")
                continue
            key = self._scalar(key_node)
            if not isinstance(key, str | int) or isinstance(key, bool):
                self._fail(key_node, "cle_invalide", f"clé invalide « {key_node.value} »")
                continue
            if key in result:
                self._fail(key_node, "cle_dupliquee", f"clé « {key} » en double dans la même table")
                continue
            result[key] = self.build(value_node, depth + 1)
        return result

    def _scalar(self, node: Any) -> Any:
        tag, value = node.tag, node.value
        if tag in (_TAG + "str", _TAG + "timestamp"):
            return value
        if tag == _TAG + "null":
            return None
        if tag == _TAG + "bool":
            return value.lower() in ("true", "yes", "on", "y")
        if tag == _TAG + "int":
            return _to_int(value)
        if tag == _TAG + "float":
            return _to_float(value)
        self._refuse_tag(node)
        return None

    def _refuse_tag(self, node: Any) -> None:
        self._fail(node, "etiquette_yaml", f"étiquette YAML « {_short_tag(node.tag)} » refusée "
                   "(seuls textes, nombres, booléens, listes et tables sont acceptés)")


def _short_tag(tag: str) -> str:
    """Render ``tag:yaml.org,2002:python/object`` as ``!!python/object``."""
    return "!!" + tag[len(_TAG):] if tag.startswith(_TAG) else tag


def _to_int(text: str) -> int | str:
    """Construct a YAML 1.2 integer; anything unusual stays text."""
    clean = text.replace("_", "")
    if _INT.match(clean):
        return int(clean, 10)
    if _INT_OCT.match(clean):
        return int(clean[2:], 8)
    if _INT_HEX.match(clean):
        return int(clean, 16)
    return text


def _to_float(text: str) -> float | str:
    """Construct a YAML 1.2 float; anything unusual stays text."""
    lowered = text.lower().replace("_", "")
    specials = {".inf": math.inf, "+.inf": math.inf, "-.inf": -math.inf, ".nan": math.nan}
    if lowered in specials:
        return specials[lowered]
    try:
        return float(lowered)
    except ValueError:
        return text


def position_of(root: Any, path: Path, yaml_path: YamlPath, *, key: bool = False) -> SourcePos:
    """Return the position of the node at ``yaml_path``, or of its deepest existing ancestor.

    With ``key`` the position of the mapping key is returned instead of its value's.
    """
    node, key_node = root, None
    for step in yaml_path:
        child, child_key = _child(node, step)
        if child is None:
            break
        node, key_node = child, child_key
    target = key_node if key and key_node is not None else node
    if target is None:
        return SourcePos(path, 1, 1)
    mark = target.start_mark
    return SourcePos(path, mark.line + 1, mark.column + 1)


def _child(node: Any, step: str | int) -> tuple[Any, Any]:
    """Return (value node, key node) for one step of a path, or (None, None)."""
    kind = type(node).__name__
    if kind == "MappingNode":
        for key_node, value_node in node.value:
            if type(key_node).__name__ == "ScalarNode" and key_node.value == str(step):
                return value_node, key_node
    elif kind == "SequenceNode" and isinstance(step, int) and 0 <= step < len(node.value):
        return node.value[step], None
    return None, None
