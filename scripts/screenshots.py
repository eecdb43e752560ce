"""Screenshots of a running instance, for the README and for looking at what a person sees.

    python scripts/screenshots.py URL LOGIN PASSWORD OUTDIR name=/odoo/path [name=/odoo/path ...]

A path may end with '#desk:CARD' to scan that member card on the circulation desk first, or with
'#tab:NAME' to open the form's notebook page named NAME (its name attribute) first.
Drives Debian's headless Chromium over the DevTools protocol (websocket-client).
"""
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

import websocket


class Browser:
    def __init__(self, port=9333):
        binary = shutil.which("chromium") or shutil.which("chromium-browser")
        self.profile = tempfile.mkdtemp(prefix="ul-chromium-")
        self.proc = subprocess.Popen([
            binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={self.profile}", f"--remote-debugging-port={port}", "--window-size=1440,900",
            "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(50):
            try:
                tabs = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json"))
                page = next(t for t in tabs if t["type"] == "page")
                break
            except Exception:
                time.sleep(0.2)
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        self.seq = 0

    def send(self, method, **params):
        self.seq += 1
        self.ws.send(json.dumps({"id": self.seq, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.seq:
                return message.get("result", {})

    def evaluate(self, expression):
        return self.send("Runtime.evaluate", expression=expression, awaitPromise=True,
                         returnByValue=True).get("result", {}).get("value")

    def wait_for(self, selector, timeout=30):
        end = time.time() + timeout
        while time.time() < end:
            if self.evaluate(f"!!document.querySelector({json.dumps(selector)})"):
                return True
            time.sleep(0.3)
        raise TimeoutError(selector)

    def goto(self, url):
        self.send("Page.navigate", url=url)
        time.sleep(1)

    def screenshot(self, path):
        data = self.send("Page.captureScreenshot", format="png")["data"]
        with open(path, "wb") as handle:
            handle.write(base64.b64decode(data))

    def close(self):
        self.proc.terminate()
        shutil.rmtree(self.profile, ignore_errors=True)


def main(url, login, password, outdir, *pages):
    os.makedirs(outdir, exist_ok=True)
    browser = Browser()
    try:
        browser.send("Page.enable")
        browser.send("Emulation.setDeviceMetricsOverride", width=1440, height=900, deviceScaleFactor=1, mobile=False)
        browser.goto(f"{url}/web/login")
        browser.wait_for("input[name=login]")
        browser.evaluate(f"""(() => {{
            document.querySelector('input[name=login]').value = {json.dumps(login)};
            document.querySelector('input[name=password]').value = {json.dumps(password)};
            document.querySelector('form.oe_login_form').submit(); }})()""")
        time.sleep(3)
        for page in pages:
            name, path = page.split("=", 1)
            path, _sep, tab = path.partition("#tab:")
            path, _sep, card = path.partition("#desk:")
            browser.goto(url + path)
            browser.wait_for(".o_action_manager > *")
            time.sleep(2.5)
            if card:
                browser.wait_for(".o_library_member_code")
                browser.evaluate(f"""(() => {{
                    const input = document.querySelector('.o_library_member_code');
                    input.value = {json.dumps(card)};
                    input.dispatchEvent(new Event('input', {{bubbles: true}}));
                    document.querySelector('.o_library_member_scan').click(); }})()""")
                browser.wait_for(".o_library_member_card")
                time.sleep(1)
            if tab:
                browser.evaluate(f"document.querySelector('.o_notebook a[name={tab}]').click()")
                time.sleep(1)
            # A headless session may get the "page is out of date" toast from the bus: not ours to show.
            browser.evaluate("document.querySelectorAll('.o_notification_manager .o_notification')"
                             ".forEach(n => n.remove())")
            target = os.path.join(outdir, f"{name}.png")
            browser.screenshot(target)
            print(target)
    finally:
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
