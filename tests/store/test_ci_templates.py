"""The CI templates of ``gusp init`` (and ``examples/ci/``), checked and run as the forges run them.

- both validate against the forges' own schemas (check-jsonschema's vendored copies, offline);
- they install the gusp named by ``GUSP_PIP_SPEC`` (here the wheel just built) and stop with a
  French message when it is unset;
- the GitHub workflow's steps run in a shell with the runner's variables, on a ``refs/pull/N/merge``
  checkout, against a stand-in for ``gh`` that keeps the pull request's comments;
- the GitLab job runs in gitlab-ci-local's shell executor (skipped, with the reason, when node
  is absent), against a stand-in for GitLab's notes API on 127.0.0.1.
"""

from __future__ import annotations

import http.server
import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import pytest
from ruamel.yaml import YAML

from gusp_cli.store import scaffold
from tests.conftest import ROOT
from tests.node_tools import missing_reason, node_path, tool
from tests.scripted_git import QUARTIER, build_history, commit_all, edit, git, git_env

pytestmark = pytest.mark.skipif(bool(os.environ.get("GUSP_TOUR_INNER")),
                                reason="gabarits de CI : des chartes scriptées, jamais charter-data/ ; déjà "
                                       "passés dans l'exécution principale de la suite")

GITHUB = ROOT / "examples" / "ci" / "github-actions.yml"
GITHUB_PAGES = ROOT / "examples" / "ci" / "github-pages.yml"
GITLAB = ROOT / "examples" / "ci" / "gitlab-ci.yml"
MARKER = "<!-- gusp diff -->"
PAGES_URL = "https://agglo.github.io/charte"
"""The site's address, as actions/configure-pages gives it (no final slash)."""


def _clean(env: dict[str, str]) -> dict[str, str]:
    """The runner's environment: nothing of this checkout (its charter, its code) leaks in."""
    return {k: v for k, v in env.items() if k not in ("GUSP_CHARTER", "PYTHONPATH")}


def read_yaml(path: Path) -> Any:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def test_the_scaffold_writes_the_examples_verbatim() -> None:
    assert GITHUB.read_text(encoding="utf-8") == scaffold.GITHUB_WORKFLOW
    assert GITHUB_PAGES.read_text(encoding="utf-8") == scaffold.GITHUB_PAGES_WORKFLOW
    assert GITLAB.read_text(encoding="utf-8") == scaffold.GITLAB_CI


@pytest.mark.parametrize(("path", "schema"), [(GITHUB, "vendor.github-workflows"),
                                              (GITHUB_PAGES, "vendor.github-workflows"),
                                              (GITLAB, "vendor.gitlab-ci")],
                         ids=["github", "github-pages", "gitlab"])
def test_the_templates_follow_the_forges_schemas(path: Path, schema: str) -> None:
    checker = Path(sys.executable).parent / "check-jsonschema"
    transform = ["--data-transform", "gitlab-ci"] if "gitlab" in schema else []  # GitLab's !reference tags
    done = subprocess.run([str(checker), "--builtin-schema", schema, *transform, str(path)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


# ----------------------------------------------------------------------------- a pull request


def _pull_request(tmp_path: Path, typo: bool = False) -> tuple[Path, Path]:
    """A charter repository (``origine``) with a proposal merged as ``refs/pull/7/merge``, and a
    clone checked out on that merge commit, detached, as actions/checkout does."""
    origin = tmp_path / "origine"
    build_history(origin)
    git(origin, "checkout", "-q", "-b", "proposition")
    edit(origin, QUARTIER, '        echeance: "Été 2024"\n', '        echeance: "Été 2025"\n')
    edit(origin, QUARTIER, "            note: Fait.\n", "            note: Fait.\n"
         "          - date: 2025-06-01\n            champ: echeance\n"
         "            ancienne_valeur: Été 2024\n"
         "            motif: Décision du COPIL\n            auteur: Chef de projet\n")
    if typo:
        edit(origin, QUARTIER, "responsables: [bailleur]", "responsables: [bailleurs]")
    commit_all(origin, "Move CEN-002 deadline", 6)
    git(origin, "checkout", "-q", "-b", "fusion", "main")
    git(origin, "merge", "-q", "--no-ff", "-m", "Merge proposition into main", "proposition", day=7)
    git(origin, "update-ref", "refs/pull/7/merge", "HEAD")
    git(origin, "checkout", "-q", "main")
    checkout = tmp_path / "espace"
    subprocess.run(["git", "clone", "-q", str(origin), str(checkout)], check=True, env=git_env(),
                   capture_output=True)
    git(checkout, "fetch", "-q", "origin", "+refs/pull/7/merge:refs/remotes/pull/7/merge")
    git(checkout, "checkout", "-q", "--detach", "refs/remotes/pull/7/merge")
    return origin, checkout


# ----------------------------------------------------------------------------- GitHub

FAKE_GH = '''\
"""A stand-in for gh: ``gh api`` on a pull request's comments, kept in a JSON file."""
import json, os, sys

state_file = os.environ["FAKE_GH_STATE"]
with open(state_file, encoding="utf-8") as handle:
    state = json.load(handle)
state["calls"].append(sys.argv[1:])
failure = os.environ.get("FAKE_GH_FAIL")
args = sys.argv[1:]
method = args[args.index("--method") + 1] if "--method" in args else "GET"
path = next(a for a in args[1:] if a.startswith("repos/"))
output = ""
if not failure:
    if method == "GET":
        jq = args[args.index("--jq") + 1]
        assert 'contains("<!-- gusp diff -->")' in jq, jq
        output = "".join(f"{c['id']}\\n" for c in state["comments"] if "<!-- gusp diff -->" in c["body"])
    else:
        body_file = args[args.index("-F") + 1].split("=@", 1)[1]
        with open(body_file, encoding="utf-8") as handle:
            body = handle.read()
        if method == "POST":
            state["comments"].append({"id": 1000 + len(state["comments"]), "body": body})
        else:
            number = int(path.rsplit("/", 1)[1])
            next(c for c in state["comments"] if c["id"] == number)["body"] = body
with open(state_file, "w", encoding="utf-8") as handle:
    json.dump(state, handle)
if failure:
    print(failure, file=sys.stderr)
    sys.exit(1)
print(output, end="")
'''


@dataclass
class Step:
    """What one step of the workflow did."""

    name: str
    code: int | None
    """None: skipped."""
    out: str = ""
    err: str = ""


@dataclass
class Runner:
    """The GitHub runner, emulated: a job's steps run in bash with the runner's variables."""

    workspace: Path
    tools: Path
    bin: Path
    temp: Path
    context: dict[str, Any]
    summary: Path = field(init=False)
    uploaded: Path | None = None
    """The folder upload-pages-artifact was given."""

    def __post_init__(self) -> None:
        self.summary = self.temp / "step_summary.md"

    def value(self, expression: str) -> Any:
        """The value of a ``${{ }}`` expression: a context path, a quoted text, ``a == b``, ``a != b``."""
        expression = expression.strip()
        for operator in ("!=", "=="):
            if operator in expression:
                left, right = (self.value(side) for side in expression.split(operator))
                return (left == right) == (operator == "==")
        if expression.startswith("'") and expression.endswith("'"):
            return expression[1:-1]
        assert re.fullmatch(r"[a-z_]+(\.[A-Za-z_-]+)*", expression), expression
        node: Any = self.context
        for part in expression.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        return node

    def text(self, value: str) -> str:
        """A step's ``env`` value with its ``${{ }}`` expressions substituted, as the runner does."""
        def render(match: re.Match[str]) -> str:
            result = self.value(match.group(1))
            return "" if result is None else str(result).lower() if isinstance(result, bool) else str(result)

        return re.sub(r"\$\{\{(.*?)\}\}", render, str(value))

    def run(self, workflow: dict[str, Any], extra_env: dict[str, str]) -> list[Step]:
        """Run the job's steps in order; after a failure the others are skipped (``if: success()``)."""
        [job] = workflow["jobs"].values()
        env = {**_clean(git_env()), **extra_env, "CI": "true", "GITHUB_ACTIONS": "true",
               "GITHUB_WORKSPACE": str(self.workspace), "GITHUB_STEP_SUMMARY": str(self.summary),
               "GITHUB_OUTPUT": str(self.temp / "output"),
               "GITHUB_EVENT_NAME": self.context["github"]["event_name"],
               "GITHUB_BASE_REF": self.context["github"]["base_ref"], "GITHUB_REF": "refs/pull/7/merge",
               "GITHUB_HEAD_REF": "proposition", "GITHUB_REPOSITORY": self.context["github"]["repository"],
               "RUNNER_TEMP": str(self.temp),
               "PATH": os.pathsep.join([str(self.tools), os.environ["PATH"]])}
        results: list[Step] = []
        for step in job["steps"]:
            name = step.get("name") or step["uses"]
            if any(r.code not in (0, None) for r in results) or ("if" in step and not self.value(step["if"])):
                results.append(Step(name, None))
                continue
            if "uses" in step:
                results.append(Step(name, self._action(step, env)))
                continue
            step_env = {**env, **{k: self.text(v) for k, v in step.get("env", {}).items()}}
            done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                                  cwd=self.workspace, env=step_env, capture_output=True, text=True,
                                  check=False)
            results.append(Step(name, done.returncode, done.stdout, done.stderr))
        return results

    def _action(self, step: dict[str, Any], env: dict[str, str]) -> int:
        """The actions the workflows use: the checkout is ready; setup-python puts Python first;
        configure-pages gives the site's address; upload-pages-artifact keeps the folder it is
        given (:attr:`uploaded`); deploy-pages has nothing left to check here."""
        action = step["uses"].split("@", 1)[0]
        if action == "actions/checkout":
            assert step["with"]["fetch-depth"] == 0  # gusp diff and the site's feed need the history
        elif action == "actions/setup-python":
            env["PATH"] = os.pathsep.join([str(self.bin), env["PATH"]])
        elif action == "actions/configure-pages":
            self.context.setdefault("steps", {})[step["id"]] = {"outputs": {"base_url": PAGES_URL}}
        elif action == "actions/upload-pages-artifact":
            self.uploaded = self.workspace / step["with"]["path"]
            return 0 if self.uploaded.is_dir() else 1
        else:
            assert action == "actions/deploy-pages", action
        return 0


@pytest.fixture
def github(tmp_path: Path, fresh_venv: Path) -> Iterator[Any]:
    """Run the GitHub workflow on a pull request: ``run(typo=..., fork=..., gh_fails=...)``."""
    tools = tmp_path / "outils"
    tools.mkdir()
    gh = tools / "gh"
    gh.write_text(f"#!{sys.executable}\n{FAKE_GH}", encoding="utf-8")
    gh.chmod(0o755)
    state = tmp_path / "gh.json"
    other = {"id": 1, "body": "Merci pour la proposition !"}
    state.write_text(json.dumps({"comments": [other], "calls": []}), encoding="utf-8")
    prepared: dict[bool, Path] = {}

    def run(*, typo: bool = False, fork: bool = False, gh_fails: str = "",
            spec: str | None = None, wheel_path: str = "") -> tuple[list[Step], Runner]:
        if typo not in prepared:
            prepared[typo] = _pull_request(tmp_path / f"pr{int(typo)}", typo)[1]
        head = "fourche/charte" if fork else "agglo/charte"
        context = {"github": {"event_name": "pull_request", "base_ref": "main", "token": "jeton",
                              "repository": "agglo/charte",
                              "event": {"pull_request": {"number": 7,
                                                         "head": {"repo": {"full_name": head}}}}},
                   "vars": {"GUSP_PIP_SPEC": wheel_path if spec is None else spec}}
        temp = tmp_path / f"runner{len(json.loads(state.read_text())['calls'])}-{fork}-{typo}"
        temp.mkdir(exist_ok=True)
        runner = Runner(prepared[typo], tools, fresh_venv, temp, context)
        extra = {"FAKE_GH_STATE": str(state), **({"FAKE_GH_FAIL": gh_fails} if gh_fails else {})}
        return runner.run(read_yaml(GITHUB), extra), runner

    yield run, state


def _comments(state: Path) -> list[dict[str, Any]]:
    return list(json.loads(state.read_text(encoding="utf-8"))["comments"])


def test_github_a_valid_pull_request_passes_and_keeps_one_comment_up_to_date(
        github: Any, wheel: Path) -> None:
    run, state = github
    steps, runner = run(wheel_path=str(wheel))
    assert [(s.name, s.code) for s in steps] == [
        ("actions/checkout@v4", 0), ("actions/setup-python@v5", 0), ("Installer gusp", 0),
        ("Valider la charte", 0), ("Publier la différence sémantique", 0)]
    validate, publish = steps[3], steps[4]
    assert [line.split(" ", 1)[0] for line in validate.out.splitlines()] == ["::warning", "::warning"]
    assert validate.out.startswith("::warning file=charter-data/quartiers/centre.yaml,line=")
    assert publish.out == "" and publish.err == ""
    summary = runner.summary.read_text(encoding="utf-8")
    assert summary.startswith("### Validation de la charte : valide\n")
    assert f"\n{MARKER}\n## Charte GUSP : modifications\n" in summary
    [first] = [c for c in _comments(state) if MARKER in c["body"]]
    assert ("| CEN-002 | Ramassage des dépôts sauvages | échéance Été 2024 → Été 2025 (motif : Décision "
            "du COPIL) | Chef de projet, Alice Martin |") in first["body"]
    assert first["body"] == (runner.workspace / "gusp-diff.md").read_text(encoding="utf-8")
    # A second push: the same comment is updated, no new one.
    run(wheel_path=str(wheel))
    assert [c["id"] for c in _comments(state)] == [1, first["id"]]
    methods = [call[call.index("--method") + 1] if "--method" in call else "GET"
               for call in json.loads(state.read_text())["calls"]]
    assert methods == ["GET", "POST", "GET", "PATCH"]


def test_github_a_typo_fails_the_validation_with_its_annotation(github: Any, wheel: Path) -> None:
    run, state = github
    steps, runner = run(typo=True, wheel_path=str(wheel))
    assert [s.code for s in steps] == [0, 0, 0, 1, None]
    annotation = steps[3].out.splitlines()[0]
    assert annotation.startswith("::error file=charter-data/quartiers/centre.yaml,line=")
    assert "acteur « bailleurs » inconnu — vouliez-vous dire « bailleur » ?" in annotation
    assert "| charter-data/quartiers/centre.yaml |" in runner.summary.read_text(encoding="utf-8")
    assert json.loads(state.read_text())["calls"] == []


@pytest.mark.parametrize(("fork", "fails", "line"), [
    (True, "", "::notice title=gusp diff::commentaire non publié : la pull request vient d'un fork, dont le "
               "jeton est en lecture seule ; la différence est dans le résumé du job"),
    (False, "HTTP 403: Resource not accessible by integration",
     "::warning title=gusp diff::commentaire non publié : HTTP 403: Resource not accessible by "
     "integration ; la différence est dans le résumé du job")], ids=["fork", "refused"])
def test_github_a_comment_that_cannot_be_posted_never_fails_the_job(
        github: Any, wheel: Path, fork: bool, fails: str, line: str) -> None:
    run, state = github
    steps, runner = run(fork=fork, gh_fails=fails, wheel_path=str(wheel))
    assert [s.code for s in steps] == [0, 0, 0, 0, 0]
    assert steps[4].out == line + "\n"
    assert f"{MARKER}\n## Charte GUSP : modifications" in runner.summary.read_text(encoding="utf-8")
    assert _comments(state) == [{"id": 1, "body": "Merci pour la proposition !"}]


def test_github_without_gusp_pip_spec_the_install_stops_in_french(github: Any) -> None:
    run, _ = github
    steps, _ = run(spec="")
    assert [s.code for s in steps] == [0, 0, 1, None, None]
    assert steps[2].out.startswith("::error title=gusp non installé::la variable GUSP_PIP_SPEC n'est pas "
                                   "définie : indiquez dans Settings > Secrets and variables > Actions > "
                                   "Variables la version de gusp à installer")


def test_github_pages_publishes_the_site_of_the_default_branch(tmp_path: Path, fresh_venv: Path,
                                                               wheel: Path) -> None:
    workspace = tmp_path / "depot"
    build_history(workspace)
    (tmp_path / "outils").mkdir()
    (tmp_path / "runner").mkdir()
    context = {"github": {"event_name": "push", "base_ref": "", "repository": "agglo/charte"},
               "vars": {"GUSP_PIP_SPEC": str(wheel)}}
    runner = Runner(workspace, tmp_path / "outils", fresh_venv, tmp_path / "runner", context)
    steps = runner.run(read_yaml(GITHUB_PAGES), {})
    assert [(s.name, s.code) for s in steps] == [
        ("actions/checkout@v4", 0), ("actions/setup-python@v5", 0), ("Installer gusp", 0),
        ("actions/configure-pages@v5", 0), ("Publier le site", 0), ("actions/upload-pages-artifact@v3", 0),
        ("actions/deploy-pages@v4", 0)], [s.err for s in steps]
    assert runner.uploaded == workspace / "site"
    assert (runner.uploaded / "quartiers" / "centre" / "index.html").is_file()
    assert (runner.uploaded / "donnees" / "datapackage.json").is_file()
    feed = (runner.uploaded / "flux.atom").read_text(encoding="utf-8")
    assert f'href="{PAGES_URL}/flux.atom"' in feed
    assert f'href="{PAGES_URL}/actions/CEN-001/index.html"' in feed
    assert steps[4].err.startswith("Site publié dans site au ")


# ----------------------------------------------------------------------------- GitLab

GITLAB_REASON = missing_reason("gitlab-ci-local")


class Notes(http.server.BaseHTTPRequestHandler):
    """GitLab's notes API for one merge request, in memory; ``refuse`` answers 403 to everything."""

    notes: ClassVar[list[dict[str, Any]]] = []
    requests: ClassVar[list[tuple[str, str, str]]] = []
    refuse: ClassVar[bool] = False

    def _answer(self, status: int, payload: Any) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _handle(self) -> None:
        size = int(self.headers.get("Content-Length") or 0)
        form = self.rfile.read(size).decode() if size else ""
        type(self).requests.append((self.command, self.path, self.headers.get("PRIVATE-TOKEN", "")))
        if self.refuse:
            return self._answer(403, {"message": "403 Forbidden"})
        from urllib.parse import parse_qs

        body = parse_qs(form).get("body", [""])[0]
        if self.command == "GET":
            return self._answer(200, self.notes)
        if self.command == "POST":
            self.notes.append({"id": 500 + len(self.notes), "body": body})
            return self._answer(201, self.notes[-1])
        number = int(self.path.rsplit("/", 1)[1])
        note = next(n for n in self.notes if n["id"] == number)
        note["body"] = body
        return self._answer(200, note)

    do_GET = do_POST = do_PUT = _handle

    def log_message(self, *args: Any) -> None:
        """Quiet."""


@pytest.fixture
def notes_api() -> Iterator[str]:
    """The stand-in notes API on 127.0.0.1; yields its ``CI_API_V4_URL``."""
    Notes.notes, Notes.requests, Notes.refuse = [{"id": 1, "body": "Relu, merci."}], [], False
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Notes)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/api/v4"
    server.shutdown()
    server.server_close()


def _gitlab_repo(tmp_path: Path, typo: bool = False) -> tuple[Path, str]:
    """A merge request's branch with the template committed as .gitlab-ci.yml; its diff base."""
    root = tmp_path / "depot"
    build_history(root)
    (root / ".gitlab-ci.yml").write_text(scaffold.GITLAB_CI, encoding="utf-8")
    commit_all(root, "CI", 6)
    base = git(root, "rev-parse", "HEAD")
    git(root, "checkout", "-q", "-b", "proposition")
    edit(root, QUARTIER, '        echeance: "Été 2024"\n', '        echeance: "Été 2025"\n')
    if typo:
        edit(root, QUARTIER, "responsables: [bailleur]", "responsables: [bailleurs]")
    commit_all(root, "Move CEN-002 deadline", 7)
    return root, base


def _pipeline(root: Path, base: str | None, bin_dir: Path,
              variables: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run the merge request pipeline with gitlab-ci-local's shell executor (``base`` None: the
    pipeline of a push on the checked-out branch)."""
    command = [str(tool("gitlab-ci-local")), "--force-shell-executor", "--variable", "CI_PROJECT_ID=42"]
    if base is not None:
        command += ["--variable", "CI_PIPELINE_SOURCE=merge_request_event", "--variable",
                    "CI_MERGE_REQUEST_IID=3", "--variable", f"CI_MERGE_REQUEST_DIFF_BASE_SHA={base}"]
    for key, value in variables.items():
        command += ["--variable", f"{key}={value}"]
    env = {**_clean(git_env()), "PATH": os.pathsep.join([str(bin_dir), node_path()])}
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, check=False,
                          timeout=120)


def _job_log(done: subprocess.CompletedProcess[str]) -> str:
    """What the job printed (gitlab-ci-local prefixes each line with ``charte-gusp >``)."""
    return "\n".join(line.split(" > ", 1)[1] for line in done.stdout.splitlines() if " > " in line)


@pytest.mark.skipif(GITLAB_REASON is not None, reason=GITLAB_REASON or "")
def test_gitlab_merge_request_passes_reports_code_quality_and_keeps_one_note_up_to_date(
        tmp_path: Path, fresh_venv: Path, wheel: Path, notes_api: str) -> None:
    root, base = _gitlab_repo(tmp_path)
    variables = {"GUSP_PIP_SPEC": str(wheel), "CI_API_V4_URL": notes_api, "GUSP_GITLAB_TOKEN": "jeton-projet"}
    done = _pipeline(root, base, fresh_venv, variables)
    assert done.returncode == 0 and " PASS  charte-gusp" in done.stdout, done.stdout + done.stderr
    log = _job_log(done)
    assert "3 quartiers" not in log and "1 quartier, 4 actions, 0 erreur, 2 avertissements" in log
    assert "| CEN-002 | Ramassage des dépôts sauvages | échéance Été 2024 → Été 2025 | Alice Martin |" \
        in log
    report = json.loads((root / "gl-code-quality-report.json").read_text(encoding="utf-8"))
    assert [(i["check_name"], i["severity"], i["location"]["path"]) for i in report] == [
        ("echeance_absente", "minor", "charter-data/quartiers/centre.yaml"),
        ("partie_non_identifiee", "minor", "charter-data/quartiers/centre.yaml")]
    artifact = root / ".gitlab-ci-local" / "artifacts" / "charte-gusp" / "gusp-diff.md"
    assert artifact.read_text(encoding="utf-8").startswith(f"{MARKER}\n## Charte GUSP : modifications")
    [note] = [n for n in Notes.notes if MARKER in n["body"]]
    assert note["body"] == artifact.read_text(encoding="utf-8")
    # The next pipeline updates that note.
    assert _pipeline(root, base, fresh_venv, variables).returncode == 0
    assert [n["id"] for n in Notes.notes] == [1, note["id"]]
    assert [(method, token) for method, _, token in Notes.requests] == [
        ("GET", "jeton-projet"), ("POST", "jeton-projet"), ("GET", "jeton-projet"), ("PUT", "jeton-projet")]
    assert Notes.requests[3][1] == f"/api/v4/projects/42/merge_requests/3/notes/{note['id']}"


@pytest.mark.skipif(GITLAB_REASON is not None, reason=GITLAB_REASON or "")
def test_gitlab_a_note_that_cannot_be_posted_never_fails_the_job(
        tmp_path: Path, fresh_venv: Path, wheel: Path, notes_api: str) -> None:
    root, base = _gitlab_repo(tmp_path)
    Notes.refuse = True
    done = _pipeline(root, base, fresh_venv, {"GUSP_PIP_SPEC": str(wheel), "CI_API_V4_URL": notes_api,
                                              "GUSP_GITLAB_TOKEN": "jeton-lecture"})
    assert done.returncode == 0, done.stdout
    assert ("gusp diff : note non publiée : curl: (22) The requested URL returned error: 403 ; la "
            "différence est ci-dessus et dans l'artefact gusp-diff.md") in _job_log(done)
    done = _pipeline(root, base, fresh_venv, {"GUSP_PIP_SPEC": str(wheel), "CI_API_V4_URL": notes_api})
    assert done.returncode == 0
    assert ("gusp diff : note non publiée : la variable CI/CD GUSP_GITLAB_TOKEN n'est pas définie (jeton "
            "d'accès de projet, rôle Reporter, portée api) ; la différence est ci-dessus et dans "
            "l'artefact gusp-diff.md") in _job_log(done)
    assert Notes.notes == [{"id": 1, "body": "Relu, merci."}]


@pytest.mark.skipif(GITLAB_REASON is not None, reason=GITLAB_REASON or "")
def test_gitlab_a_typo_fails_the_job_and_is_in_the_code_quality_report(
        tmp_path: Path, fresh_venv: Path, wheel: Path) -> None:
    root, base = _gitlab_repo(tmp_path, typo=True)
    done = _pipeline(root, base, fresh_venv, {"GUSP_PIP_SPEC": str(wheel)})
    assert done.returncode == 1 and " FAIL  charte-gusp" in done.stdout
    log = _job_log(done)
    assert "erreur: acteur « bailleurs » inconnu — vouliez-vous dire « bailleur » ? [acteur_inconnu]" in log
    report = json.loads((root / "gl-code-quality-report.json").read_text(encoding="utf-8"))
    assert (report[0]["check_name"], report[0]["severity"]) == ("acteur_inconnu", "major")


@pytest.mark.skipif(GITLAB_REASON is not None, reason=GITLAB_REASON or "")
def test_gitlab_without_gusp_pip_spec_the_job_stops_in_french(tmp_path: Path, fresh_venv: Path) -> None:
    root, base = _gitlab_repo(tmp_path)
    done = _pipeline(root, base, fresh_venv, {})
    assert done.returncode == 1
    assert ("gusp non installé : la variable CI/CD GUSP_PIP_SPEC n'est pas définie ; indiquez dans "
            "Settings > CI/CD > Variables la version de gusp à installer") in done.stdout + done.stderr


@pytest.mark.skipif(GITLAB_REASON is not None, reason=GITLAB_REASON or "")
def test_gitlab_the_default_branch_validates_then_publishes_the_site_to_pages(
        tmp_path: Path, fresh_venv: Path, wheel: Path) -> None:
    root, _ = _gitlab_repo(tmp_path)
    git(root, "checkout", "-q", "main")
    url = "https://agglo.gitlab.io/charte"
    done = _pipeline(root, None, fresh_venv, {"GUSP_PIP_SPEC": str(wheel), "CI_DEFAULT_BRANCH": "main",
                                              "CI_PAGES_URL": url})
    assert done.returncode == 0, done.stdout + done.stderr
    assert " PASS  charte-gusp" in done.stdout and " PASS  pages" in done.stdout
    site = root / ".gitlab-ci-local" / "artifacts" / "pages" / "public"
    assert (site / "quartiers" / "centre" / "index.html").is_file()
    assert f'href="{url}/flux.atom"' in (site / "flux.atom").read_text(encoding="utf-8")
    assert "Site publié dans public au " in done.stdout + done.stderr
    # A merge request's pipeline validates it and publishes nothing.
    git(root, "checkout", "-q", "proposition")
    done = _pipeline(root, git(root, "rev-parse", "main"), fresh_venv, {"GUSP_PIP_SPEC": str(wheel)})
    assert done.returncode == 0 and " PASS  charte-gusp" in done.stdout and "pages" not in done.stdout
