"""Drive the system's headless Chromium over the DevTools protocol, with the standard library only.

Used by the browser tests of the review page and to take the README screenshot. Chromium's
``--remote-debugging-pipe`` speaks the Chrome DevTools Protocol (CDP) as NUL-terminated JSON
messages on file descriptors 3 (commands in) and 4 (replies out), so no websocket library and no
downloaded browser are needed: only the ``chromium`` package of the distribution.

    python -m pipeline.review.browser screenshot page.html docs/review.png [--width 1280 --height 1400]
"""
from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio", "--remote-debugging-pipe")
NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> str | None:
    env = os.environ.get("DOSELINE_CHROMIUM")
    if env:
        return env if Path(env).exists() else None
    for n in NAMES:
        p = shutil.which(n)
        if p:
            return p
    return None


def _log():
    """Chromium's own log: to DOSELINE_CHROMIUM_LOG when set (debugging), else discarded."""
    path = os.environ.get("DOSELINE_CHROMIUM_LOG")
    return open(path, "ab") if path else subprocess.DEVNULL


class BrowserError(RuntimeError):
    pass


class Chromium:
    """One headless Chromium with one page; ``call`` sends a CDP command to the page's session."""

    def __init__(self, binary: str | None = None, width: int = 1280, height: int = 900):
        binary = binary or find_chromium()
        if not binary:
            raise BrowserError("chromium not found (apt-get install chromium)")
        self.profile = tempfile.mkdtemp(prefix="doseline-chromium-")
        cmd_r, cmd_w = os.pipe()  # we write commands, chromium reads fd 3
        out_r, out_w = os.pipe()  # chromium writes fd 4, we read

        def child():  # fds 3 and 4 of the child, whatever numbers the pipe ends have here
            a, b = os.dup(cmd_r), os.dup(out_w)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.proc = subprocess.Popen(
            [binary, *FLAGS, f"--user-data-dir={self.profile}", f"--window-size={width},{height}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=_log(),
            preexec_fn=child, close_fds=False)  # fds 3 and 4 made in the child; the rest are non-inheritable
        os.close(cmd_r)
        os.close(out_w)
        self.w = os.fdopen(cmd_w, "wb", buffering=0)
        self.r = os.fdopen(out_r, "rb", buffering=0)
        self.buf = b""
        self.next_id = 0
        self.events: list[dict] = []
        self.session = None
        target = self.call("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True},
                                 session=False)["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.call(f"{domain}.enable")
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})

    # ---- protocol ----------------------------------------------------------------------------
    def _read(self, timeout: float) -> dict:
        import select
        end = time.monotonic() + timeout
        while b"\0" not in self.buf:
            left = end - time.monotonic()
            if left <= 0 or not select.select([self.r], [], [], left)[0]:
                raise BrowserError("timed out waiting for chromium")
            chunk = self.r.read(1 << 16)
            if not chunk:
                raise BrowserError("chromium closed the pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method: str, params: dict | None = None, session: bool = True, timeout: float = 30.0):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            msg["sessionId"] = self.session
        self.w.write(json.dumps(msg).encode() + b"\0")
        while True:
            m = self._read(timeout)
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise BrowserError(f"{method}: {m['error'].get('message')}")
                return m.get("result", {})
            if "method" in m:
                self.events.append(m)

    def wait_event(self, method: str, timeout: float = 30.0) -> dict:
        for k, e in enumerate(self.events):
            if e["method"] == method:
                return self.events.pop(k)
        end = time.monotonic() + timeout
        while True:
            m = self._read(max(0.01, end - time.monotonic()))
            if "method" in m:
                if m["method"] == method:
                    return m
                self.events.append(m)

    # ---- conveniences ------------------------------------------------------------------------
    def open(self, path: str | Path, timeout: float = 30.0) -> float:
        """Load a local file; seconds from navigation to the load event."""
        self.events = [e for e in self.events if e["method"] != "Page.loadEventFired"]
        t0 = time.perf_counter()
        self.call("Page.navigate", {"url": Path(path).resolve().as_uri()})
        self.wait_event("Page.loadEventFired", timeout)
        return time.perf_counter() - t0

    def js(self, expression: str):
        res = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in res:
            raise BrowserError(f"{expression}: {res['exceptionDetails'].get('text')}")
        return res.get("result", {}).get("value")

    def click(self, selector: str) -> None:
        """A real mouse click at the centre of the first element matching ``selector``."""
        box = self.js(f"(function(){{var e=document.querySelector({json.dumps(selector)});"
                      "e.scrollIntoView({block:'center'});var r=e.getBoundingClientRect();"
                      "return [r.left+r.width/2, r.top+r.height/2];})()")
        for kind in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", {"type": kind, "x": box[0], "y": box[1], "button": "left",
                                                   "clickCount": 1})

    def type_text(self, selector: str, text: str) -> None:
        self.js(f"document.querySelector({json.dumps(selector)}).focus()")
        self.call("Input.insertText", {"text": text})

    def errors(self) -> list[str]:
        """Console errors, uncaught exceptions and failed loads seen so far."""
        out = []
        for e in self.events:
            p = e.get("params", {})
            if e["method"] == "Runtime.exceptionThrown":
                out.append(str(p.get("exceptionDetails", {}).get("text")))
            elif e["method"] == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                out.append(" ".join(str(a.get("value", a.get("description"))) for a in p.get("args", [])))
            elif e["method"] == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
                out.append(str(p["entry"].get("text")))
        return out

    def screenshot(self, out: str | Path, full_height: int | None = None) -> None:
        params = {"format": "png"}
        if full_height:
            params["clip"] = {"x": 0, "y": 0, "width": self.js("document.documentElement.clientWidth"),
                              "height": full_height, "scale": 1}
            params["captureBeyondViewport"] = True
        data = self.call("Page.captureScreenshot", params)["data"]
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_bytes(base64.b64decode(data))

    def close(self) -> None:
        try:
            self.call("Browser.close", session=False, timeout=5)
        except (BrowserError, OSError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for f in (self.w, self.r):
            try:
                f.close()
            except OSError:
                pass
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def main(argv=None) -> int:
    import argparse
    p = argparse.ArgumentParser(prog="python -m pipeline.review.browser")
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("screenshot", help="PNG of an HTML page in headless Chromium")
    s.add_argument("page")
    s.add_argument("out")
    s.add_argument("--width", type=int, default=1280)
    s.add_argument("--height", type=int, default=1500)
    s.add_argument("--click", help="CSS selector to click first (e.g. an entity)")
    args = p.parse_args(argv)
    with Chromium(width=args.width, height=args.height) as b:
        b.open(args.page)
        if args.click:
            b.click(args.click)
            b.js("window.scrollTo(0, 0)")
        b.screenshot(args.out)
    print(args.out, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
