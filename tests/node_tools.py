"""Node tools for the tests, and a minimal LSP client to ask yaml-language-server what an editor shows.

The server is the one VS Code's YAML extension runs. It is installed by ``.ci/run`` from
``.ci/node/package.json`` (``npm ci``); :func:`server_command` finds it there or on the ``PATH``.
yaml-language-server 1.25 pulls its settings with a ``workspace/configuration`` request after
``workspace/didChangeConfiguration`` (the notification's own payload is ignored): the client
answers it with :data:`SETTINGS`-like values.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.conftest import ROOT

NODE_BIN = ROOT / ".ci" / "node" / "node_modules" / ".bin"


def tool(name: str) -> str | None:
    """Path of a node tool: ``.ci/node`` first (``npm ci --prefix .ci/node``), then the ``PATH``."""
    local = NODE_BIN / name
    if local.is_file():
        return str(local)
    return shutil.which(name)


def node_path() -> str:
    """A ``PATH`` that finds ``.ci/node``'s Node 20 before the system's (the tools' ``env node``)."""
    return os.pathsep.join([str(NODE_BIN), os.environ.get("PATH", "")])


def missing_reason(name: str) -> str | None:
    """Why a test driving the node tool ``name`` cannot run (None when it can)."""
    if shutil.which("node", path=node_path()) is None:
        return "node absent : .ci/run installe nodejs et npm (paquets Debian), puis npm ci --prefix .ci/node"
    if tool(name) is None:
        return f"{name} absent : lancez npm ci --prefix .ci/node (fait par .ci/run)"
    return None


@dataclass(frozen=True)
class Diagnostic:
    """One diagnostic as the editor shows it: 1-based line and column, message."""

    line: int
    col: int
    message: str
    severity: int


class YamlLanguageServer:
    """yaml-language-server run over stdio, its settings given, schema store off (no network)."""

    def __init__(self, root: Path, schemas: dict[str, str] | None = None) -> None:
        command = tool("yaml-language-server")
        assert command is not None
        self.settings = {"yaml": {"validate": True, "hover": True, "completion": True,
                                  "schemaStore": {"enable": False}, "schemas": schemas or {}}}
        self.process = subprocess.Popen([command, "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, env={**os.environ, "PATH": node_path()})
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self._id = 0
        self._versions: dict[str, int] = {}
        self.request("initialize", {
            "processId": None, "rootUri": root.as_uri(),
            "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}],
            "capabilities": {"workspace": {"configuration": True},
                             "textDocument": {"publishDiagnostics": {}, "hover": {}}}})
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": self.settings})

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            headers = {}
            while (line := stream.readline()) not in (b"\r\n", b""):
                key, value = line.decode().split(":", 1)
                headers[key.lower()] = value.strip()
            if not headers:
                return
            self.messages.put(json.loads(stream.read(int(headers["content-length"]))))

    def _wait(self, wanted: Any, timeout: float = 20) -> dict[str, Any]:
        """The first message ``wanted`` accepts, answering the server's requests meanwhile."""
        end = time.monotonic() + timeout
        while (left := end - time.monotonic()) > 0:
            try:
                message = self.messages.get(timeout=left)
            except queue.Empty:
                break
            if "id" in message and "method" in message:  # a request from the server
                result = None
                if message["method"] == "workspace/configuration":
                    items = message["params"]["items"]
                    result = [self.settings.get(item.get("section"), {}) for item in items]
                self._send({"id": message["id"], "result": result})
                continue
            if wanted(message):
                return message
        raise TimeoutError("yaml-language-server n'a pas répondu")

    def request(self, method: str, params: dict[str, Any]) -> Any:
        """Send a request and return its result."""
        self._id += 1
        number = self._id
        self._send({"id": number, "method": method, "params": params})
        return self._wait(lambda m: m.get("id") == number and "method" not in m).get("result")

    def notify(self, method: str, params: dict[str, Any]) -> None:
        """Send a notification."""
        self._send({"method": method, "params": params})

    def diagnostics(self, path: Path, text: str | None = None) -> list[Diagnostic]:
        """Open ``path`` (with ``text`` in place of its content) and return what the editor flags."""
        uri = path.resolve().as_uri()
        content = path.read_text(encoding="utf-8") if text is None else text
        version = self._versions.get(uri, 0) + 1
        self._versions[uri] = version
        if version == 1:
            self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml",
                                                                   "version": 1, "text": content}})
        else:
            self.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                    "contentChanges": [{"text": content}]})
        message = self._wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                             and m["params"]["uri"] == uri)
        return [Diagnostic(d["range"]["start"]["line"] + 1, d["range"]["start"]["character"] + 1,
                           d["message"], d.get("severity", 1)) for d in message["params"]["diagnostics"]]

    def hover(self, path: Path, line: int, col: int) -> str:
        """The hover text at a 1-based position of an opened document."""
        result = self.request("textDocument/hover", {"textDocument": {"uri": path.resolve().as_uri()},
                                                      "position": {"line": line - 1, "character": col - 1}})
        if not result:
            return ""
        contents = result["contents"]
        return contents["value"] if isinstance(contents, dict) else str(contents)

    def close(self) -> None:
        """Shut the server down."""
        try:
            self.request("shutdown", {})
            self.notify("exit", {})
            self.process.wait(5)
        except (TimeoutError, OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait(5)
