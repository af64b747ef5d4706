"""A minimal Language Server Protocol client, to ask a real YAML language server what an
editor would show: completions and inline errors."""

from __future__ import annotations

import json
import queue
import subprocess
import threading
import time
from pathlib import Path

TIMEOUT = 60


class LanguageServer:
    """A language server over stdio, with the settings a client such as VS Code would send."""

    def __init__(self, command: list[str], root: Path, settings: dict):
        self.settings = settings
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL)
        self.messages: queue.Queue = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()
        started = self.request("initialize", {"processId": None, "rootUri": root.as_uri(), "capabilities": {
            "workspace": {"configuration": True},
            "textDocument": {"completion": {"completionItem": {"snippetSupport": False}}}}})
        self.wait(lambda message: message.get("id") == started)
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": settings})

    def _read(self) -> None:
        stream = self.process.stdout
        while True:
            headers = {}
            while (line := stream.readline().decode("ascii").strip()):
                key, _, value = line.partition(":")
                headers[key.lower()] = value.strip()
            if not headers:
                return
            self.messages.put(json.loads(stream.read(int(headers["content-length"]))))

    def _send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        self.process.stdin.write(f"Content-Length: {len(body)}\r\n\r\n".encode("ascii") + body)
        self.process.stdin.flush()

    def notify(self, method: str, params: dict) -> None:
        self._send({"method": method, "params": params})

    def request(self, method: str, params: dict) -> int:
        self.next_id += 1
        self._send({"id": self.next_id, "method": method, "params": params})
        return self.next_id

    def wait(self, wanted) -> dict:
        """The next message for which wanted() is true, answering the server's own requests meanwhile."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            try:
                message = self.messages.get(timeout=0.5)
            except queue.Empty:
                continue
            if message.get("method") == "workspace/configuration":
                sections = [item.get("section") for item in message["params"]["items"]]
                self._send({"id": message["id"], "result": [self.settings.get(s) for s in sections]})
            elif "method" in message and "id" in message:
                self._send({"id": message["id"], "result": None})
            elif wanted(message):
                return message
        raise TimeoutError(f"no answer from the language server within {TIMEOUT} s")

    def open(self, path: Path, text: str) -> str:
        uri = path.as_uri()
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1,
                                                              "text": text}})
        return uri

    def diagnostics(self, uri: str) -> list[tuple[int, str]]:
        """(1-based line, message) of the inline errors the editor would show."""
        message = self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                            and m["params"]["uri"] == uri and m["params"]["diagnostics"])
        return sorted((d["range"]["start"]["line"] + 1, d["message"]) for d in message["params"]["diagnostics"])

    def completions(self, uri: str, line: int, column: int) -> list[str]:
        """The labels an editor offers at a 1-based line and 0-based column."""
        asked = self.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                          "position": {"line": line - 1, "character": column}})
        result = self.wait(lambda m: m.get("id") == asked)["result"] or []
        items = result["items"] if isinstance(result, dict) else result
        return sorted(item["label"] for item in items)

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()
