"""The one place that builds Jinja environments: search path, sandbox, escaping, French filters.

Templates are looked up, in order, in ``--templates DIR``, in the charter repository's
``templates/`` and in gusp's default templates, so a charter (or a partner) overrides any single
template (``partials/couverture.html.j2`` for another cover) and inherits the others.

Every template, built-in or not, is rendered in a :class:`jinja2.sandbox.SandboxedEnvironment`
(a charter repository's templates are not trusted code) with ``StrictUndefined`` (a misspelt
variable is an error, never an empty string) and autoescaping for ``*.html.j2``. Markdown
templates escape YAML strings with the ``md`` filter.

The sandbox also bounds the work a template can ask for (a pull request can bring one): no text
or list beyond :data:`MAX_VALUE` items (checked before ``*``, ``+``, ``**``, ``%`` and after every
call, filter and ``~``), no number argument beyond :data:`MAX_ARGUMENT` (``center(10**9)``),
ranges of :data:`jinja2.sandbox.MAX_RANGE` items, no output beyond :data:`MAX_OUTPUT` characters,
recursion (a macro calling itself) and memory exhaustion reported; each refusal is a French
error naming the template and line. The time bound is the command's
(``cli.cmd_review``), since the core never reads the clock.

Jinja is imported inside the functions: importing this module costs nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gusp_cli.french.dates import NNBSP, format_date, format_euros, format_number, format_percent
from gusp_cli.french.markup import md_inert
from gusp_cli.model.errors import GuspError, UsageError

if TYPE_CHECKING:
    from jinja2 import Environment

NBSP = "\u00a0"
"""No-break space: before « : » in French labels."""
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
"""URL schemes a link may use; anything else (javascript:, data:, vbscript:, file:...) is refused."""
REFUSED_URL = "#"
"""What ``safe_url`` renders for a refused link."""
_URL_JUNK = re.compile(r"[\x00-\x20\x7f]")


def default_templates_dir() -> Path:
    """gusp's own templates: ``templates/`` next to the package (editable install), else the copy
    embedded in the wheel (``gusp_cli/_embedded/templates``)."""
    import gusp_cli

    package = Path(gusp_cli.__file__).resolve().parent
    beside = package.parent / "templates"
    if (beside / "review.md.j2").is_file():
        return beside
    return package / "_embedded" / "templates"


def search_path(charter_root: Path | None = None, extra: Path | None = None) -> list[Path]:
    """Template folders in lookup order: ``extra`` (``--templates``), the charter's ``templates/``,
    gusp's defaults. A missing ``extra`` folder is a French usage error."""
    folders: list[Path] = []
    if extra is not None:
        if not extra.is_dir():
            what = "n'existe pas" if not extra.exists() else "n'est pas un dossier"
            raise UsageError(f"--templates : « {extra} » {what}")
        folders.append(extra.resolve())
    if charter_root is not None and (charter_root / "templates").is_dir():
        folders.append((charter_root / "templates").resolve())
    folders.append(default_templates_dir())
    return list(dict.fromkeys(folders))


MAX_VALUE = 20_000_000
"""Most characters of a text (items of a list) a template may build."""
MAX_ARGUMENT = 100_000
"""Largest number a template may pass to a filter or a method (a width, a count)."""
MAX_OUTPUT = 200_000_000
"""Most characters a template may write (the HTML review of 50,000 actions: about 40 million)."""
MAX_POWER_BITS = 10_000
"""Largest integer (in bits) ``*`` and ``**`` may produce."""
OUTPUT_BLOCK = 8
"""Chunks of a template's output joined between two checks of :data:`MAX_OUTPUT`."""


class TemplateLimit(Exception):
    """A template asked for more than the sandbox allows (turned into a French error by :func:`render`)."""


def _sized(value: Any) -> int | None:
    """The length of a text, list, tuple or mapping; None for anything else."""
    return len(value) if isinstance(value, str | list | tuple | dict) else None


def bounded(value: Any) -> Any:
    """``value``, unless it is a text or a list longer than :data:`MAX_VALUE` (TemplateLimit)."""
    size = _sized(value)
    if size is not None and size > MAX_VALUE:
        raise TemplateLimit(f"valeur de {size} caractères ou éléments (limite {MAX_VALUE})")
    return value


def check_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse, before computing it, a ``*``, ``**``, ``+`` or ``%`` whose result would be too big."""
    left_size, right_size = _sized(left), _sized(right)
    if operator == "*":
        count = right if left_size is not None else left
        size = left_size if left_size is not None else right_size
        if size is not None and isinstance(count, int) and size * count > MAX_VALUE:
            raise TemplateLimit(f"répétition de {size} × {count} (limite {MAX_VALUE})")
        if _integers(left, right) and left.bit_length() + right.bit_length() > MAX_POWER_BITS:
            raise TemplateLimit("produit de nombres trop grand")
    elif operator == "**" and _integers(left, right) and abs(left) > 1 and (
            right > MAX_POWER_BITS or right * left.bit_length() > MAX_POWER_BITS):
        raise TemplateLimit(f"puissance {left} ** {right} trop grande")
    elif operator == "+" and left_size is not None and right_size is not None \
            and left_size + right_size > MAX_VALUE:
        raise TemplateLimit(f"concaténation de {left_size + right_size} éléments (limite {MAX_VALUE})")
    elif operator == "%" and isinstance(left, str):
        arguments = right if isinstance(right, tuple) else (right,)
        check_arguments(arguments, {})
        if "*" in left or any(int(width) > MAX_ARGUMENT for width in re.findall(r"%[-+ #0]*(\d+)", left)):
            raise TemplateLimit("largeur de format trop grande")


def _integers(left: Any, right: Any) -> bool:
    return isinstance(left, int) and isinstance(right, int) and not isinstance(left | right, bool)


def check_arguments(args: Sequence[Any], kwargs: Mapping[str, Any]) -> None:
    """Refuse a number argument beyond :data:`MAX_ARGUMENT` (``'x'|center(10**9)``)."""
    for value in (*args, *kwargs.values()):
        if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) > MAX_ARGUMENT:
            raise TemplateLimit(f"argument {value} trop grand (limite {MAX_ARGUMENT})")


def _bounded_filter(function: Any) -> Any:
    """A filter whose number arguments and result are bounded (Jinja's pass-arg marks kept)."""
    import functools

    @functools.wraps(function)
    def bounded_filter(*args: Any, **kwargs: Any) -> Any:
        check_arguments(args[1:], kwargs)
        return bounded(function(*args, **kwargs))

    return bounded_filter


def _sandbox_class() -> type:
    """The sandboxed environment with the bounds of the module docstring (built once: jinja2 is
    imported only by the commands that render)."""
    global _SANDBOX
    if _SANDBOX is not None:
        return _SANDBOX
    from jinja2.compiler import CodeGenerator
    from jinja2.sandbox import SandboxedEnvironment

    class BoundedCodeGenerator(CodeGenerator):
        """Compiles ``a ~ b`` through :func:`bounded` (the sandbox does not intercept it)."""

        def visit_Concat(self, node: Any, frame: Any) -> None:
            self.write("environment.bounded(")
            super().visit_Concat(node, frame)
            self.write(")")

    class BoundedSandbox(SandboxedEnvironment):
        """Jinja's sandbox, bounded (module docstring)."""

        code_generator_class = BoundedCodeGenerator
        intercepted_binops = frozenset({"*", "**", "+", "%"})

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            check_binop(operator, left, right)
            return bounded(super().call_binop(context, operator, left, right))

        def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
            check_arguments(args, kwargs)
            return bounded(super().call(__context, __obj, *args, **kwargs))

        @staticmethod
        def bounded(value: Any) -> Any:
            return bounded(value)

        def getattr(self, obj: Any, attribute: str) -> Any:
            # The fast path for what a review reads most: a plain value (text, number, date, list)
            # held by a safe attribute; anything else (a method, ``str.format``, a missing or
            # unsafe attribute, an item) goes through Jinja's own checks.
            try:
                value = getattr(obj, attribute)
            except AttributeError:
                return super().getattr(obj, attribute)
            if type(value) in _PLAIN_VALUES and self.is_safe_attribute(obj, attribute, value):
                return value
            return super().getattr(obj, attribute)

        def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
            # Jinja's answer depends only on the object's type and the attribute's name (underscores,
            # function, method, frame, code, generator attributes): computed once per pair. A review
            # of 50,000 actions reads 800,000 attributes of a few dataclasses.
            key = (type(obj), attr)
            found = _SAFE_ATTRIBUTES.get(key)
            if found is None:
                found = _SAFE_ATTRIBUTES[key] = bool(super().is_safe_attribute(obj, attr, value))
            return found

    _SANDBOX = BoundedSandbox
    return _SANDBOX


_SANDBOX: type | None = None
_SAFE_ATTRIBUTES: dict[tuple[type, str], bool] = {}
_PLAIN_VALUES = frozenset({str, int, float, bool, type(None), list, tuple, dict, dt.date, dt.datetime})
"""Types of attribute values that are data, never callables: Jinja's ``str.format`` wrapping does
not concern them."""
"""The sandbox's verdict on each (type, attribute name) read by a template."""


def build_environment(folders: Sequence[Path]) -> Environment:
    """A sandboxed, strict, bounded Jinja environment over ``folders`` with the French filters."""
    from jinja2 import FileSystemLoader, StrictUndefined, select_autoescape

    env: Environment = _sandbox_class()(
        loader=FileSystemLoader([str(f) for f in folders], encoding="utf-8"),
        bytecode_cache=_bytecode_cache(),
        undefined=StrictUndefined,
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=False,
                                     default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    env.filters = {key: _bounded_filter(function) for key, function in env.filters.items()}
    env.globals.update({"nbsp": NBSP, "nnbsp": NNBSP})
    return env


def _bytecode_cache() -> Any:
    """The templates compiled by an earlier run, kept in gusp's cache (:mod:`gusp_cli.store.cache`):
    a warm review does not parse and compile its templates again. None when caching is off."""
    from jinja2 import BytecodeCache

    from gusp_cli.store.cache import active

    found = active()
    if found is None:
        return None
    cache = found

    class Compiled(BytecodeCache):
        """Compiled templates keyed by name and source (and gusp's version, through the salt);
        each entry sealed with its checksum, like every gusp cache entry."""

        def load_bytecode(self, bucket: Any) -> None:
            stored = cache.get(cache.derived("jinja", bucket.key, bucket.checksum))
            if isinstance(stored, bytes):
                bucket.bytecode_from_string(stored)

        def dump_bytecode(self, bucket: Any) -> None:
            cache.put(cache.derived("jinja", bucket.key, bucket.checksum), bucket.bytecode_to_string())

    return Compiled()


def render(name: str, context: Mapping[str, Any], folders: Sequence[Path]) -> str:
    """Render template ``name`` found in ``folders``; Jinja errors, and what a template asks beyond
    the sandbox's bounds, become French ``GuspError``s naming the template and line."""
    return Renderer(folders)(name, context)


class Renderer:
    """One environment of :func:`build_environment` rendering many templates (a site's pages: each
    template is compiled once), with :func:`render`'s bounds and French errors for each page."""

    def __init__(self, folders: Sequence[Path]) -> None:
        self.folders = list(folders)
        self.env = build_environment(self.folders)

    def __call__(self, name: str, context: Mapping[str, Any]) -> str:
        """Render template ``name`` with ``context`` (see :func:`render`)."""
        return _render(self.env, name, context, self.folders)


def _render(env: Environment, name: str, context: Mapping[str, Any], folders: Sequence[Path]) -> str:
    """Body of :func:`render`: the output bound, and every failure as a French error."""
    from itertools import islice

    from jinja2 import TemplateError

    try:
        template = env.get_template(name)
        generated = template.generate(**context)
        pieces, written = [], 0
        # Joined a few chunks at a time (a page is millions of small chunks): the output bound is
        # checked every OUTPUT_BLOCK chunks, so it is passed by at most that many chunks, each bounded.
        while block := "".join(islice(generated, OUTPUT_BLOCK)):
            written += len(block)
            if written > MAX_OUTPUT:
                raise TemplateLimit(f"plus de {MAX_OUTPUT} caractères écrits")
            pieces.append(block)
        return "".join(pieces)
    except TemplateError as exc:
        raise template_error(exc, name, folders) from None
    except (TemplateLimit, OverflowError, RecursionError, MemoryError) as exc:
        raise _limit_error(exc, name) from None
    except GuspError:
        raise
    except Exception as exc:  # a template's own bug (1/0, a wrong type): the template's fault
        raise template_error(exc, name, folders) from None


def _limit_error(exc: BaseException, name: str) -> GuspError:
    """The French error for a template that asked too much (exit 2)."""
    where = _template_frame(exc) or name
    if isinstance(exc, RecursionError):
        what = "récursion trop profonde (une macro qui s'appelle elle-même sans fin ?)"
    elif isinstance(exc, MemoryError):
        what = "mémoire épuisée"
    elif isinstance(exc, OverflowError):
        what = f"calcul trop grand ({exc})" if "MAX_RANGE" not in str(exc) else (
            "range() de plus de 100000 éléments")
    else:
        what = str(exc)
    return GuspError(f"{where}: gabarit arrêté par le bac à sable : {what}", 2)


def template_error(exc: Exception, name: str, folders: Sequence[Path]) -> GuspError:
    """A French error for a Jinja failure, located at ``template:line`` when Jinja knows it."""
    from jinja2 import TemplateNotFound, TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError

    if isinstance(exc, TemplateNotFound):
        where = ", ".join(str(f) for f in folders)
        return UsageError(f"gabarit « {exc.name or name} » introuvable (cherché dans : {where})")
    if isinstance(exc, TemplateSyntaxError):
        return GuspError(f"{exc.filename or exc.name or name}:{exc.lineno}: gabarit invalide : "
                         f"{exc.message}", 2)
    where = _template_frame(exc) or name
    if isinstance(exc, UndefinedError):
        return GuspError(f"{where}: variable indéfinie dans le gabarit ({exc.message})", 2)
    if isinstance(exc, SecurityError):
        return GuspError(f"{where}: opération refusée par le bac à sable des gabarits ({exc})", 2)
    return GuspError(f"{where}: erreur de gabarit ({type(exc).__name__} : {exc})", 2)


def _template_frame(exc: BaseException) -> str | None:
    """``file:line`` of the innermost template frame of a rendering error."""
    import traceback

    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
    return f"{frames[-1].filename}:{frames[-1].lineno}" if frames else None


# ----------------------------------------------------------------------------- filters


def date_fr(value: dt.date | None) -> str:
    """``25 novembre 2026``; empty for None."""
    return format_date(value) if value is not None else ""


def nombre(value: float | None) -> str:
    """``12 000`` or ``1 234,5`` (narrow no-break space, decimal comma); empty for None."""
    return "" if value is None else format_number(value)


def euros(value: float | None) -> str:
    """``12 000 €``; empty for None (a cost not reported is never 0 €)."""
    return format_euros(value) if value is not None else ""


def pourcent(value: float | None, total: float | None = None) -> str:
    """``37 %``: ``value`` out of ``total`` (rounded; ``—`` when total is 0), or ``value`` already
    in percent when no total is given; empty for None."""
    if value is None:
        return ""
    if total is not None:
        return format_percent(int(value), int(total))
    return f"{nombre(value)}{NNBSP}%"


def md(value: Any) -> str:
    """A value as inert Markdown for a GFM table cell or line (:func:`gusp_cli.french.markup.md_inert`:
    no emphasis, link, image, mention or reference from the YAML); None is empty."""
    return "" if value is None else md_inert(str(value))


def md_code(value: Any) -> str:
    """A value as a Markdown code span for a table cell (a URL from the YAML: shown, copyable, never
    a link); None is empty."""
    from gusp_cli.french.markup import md_code as code

    return "" if value is None else code(str(value), cell=True)


def oui_non(value: bool | None) -> str:
    """``oui`` / ``non``; empty for None (not reported)."""
    return "" if value is None else ("oui" if value else "non")


def dimension(value: Any, kind: str) -> str:
    """An evaluation cell by the kind of its dimension: oui/non, euros, a number, a text; empty
    when not reported."""
    if value is None:
        return ""
    if kind == "oui_non":
        return oui_non(value)
    if kind == "montant":
        return euros(value)
    if kind == "nombre":
        return nombre(value)
    return str(value)


def safe_url(value: Any) -> str:
    """The URL when its scheme is http, https or mailto (or it has none: a relative link), else
    ``#``. Control characters and spaces that browsers ignore are stripped before the check, so
    ``java\\tscript:`` or `` JavaScript:`` are refused too."""
    from urllib.parse import urlsplit

    if value is None:
        return REFUSED_URL
    cleaned = _URL_JUNK.sub("", str(value))
    try:
        scheme = urlsplit(cleaned).scheme.lower()
    except ValueError:
        return REFUSED_URL
    if scheme and scheme not in SAFE_SCHEMES:
        return REFUSED_URL
    if not scheme and ":" in cleaned.split("/", 1)[0]:
        return REFUSED_URL
    return cleaned


FILTERS = {"date_fr": date_fr, "nombre": nombre, "euros": euros, "pourcent": pourcent, "md": md,
           "dimension": dimension,
           "md_code": md_code, "oui_non": oui_non, "safe_url": safe_url}
"""The French filters every environment gets."""
