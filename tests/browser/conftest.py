"""Fixtures of the browser tests: the real machineauth binary (through tests/python's Server, on a
free port and a temporary data directory), Debian's Chromium driven by Selenium, a loopback
webhook receiver, and a screenshot of every page at desktop and phone width."""
import importlib.util
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service as ChromeService

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))

# tests/python/conftest.py starts the binary; load it under another name so pytest's own
# conftest of this folder does not shadow it.
_spec = importlib.util.spec_from_file_location("machineauth_server", os.path.join(ROOT, "tests", "python", "conftest.py"))
machineauth_server = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(machineauth_server)
sys.modules["machineauth_server"] = machineauth_server
Server = machineauth_server.Server
ADMIN_PASSWORD = machineauth_server.ADMIN_PASSWORD
free_port = machineauth_server.free_port

SCREENSHOTS = os.environ.get("MACHINEAUTH_SCREENSHOTS", os.path.join(HERE, "screenshots"))
CHROMIUM = os.environ.get("CHROMIUM_BINARY", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
# Desktop and phone widths every page is photographed at.
SIZES = (("desktop", 1366, 900, False), ("phone", 390, 844, True))
MAX_HEIGHT = 3200

# The default pipeline plus two gateway rules for the "would this request pass?" form.
GATEWAY_RULES = """
gateway:
  rules:
    - match: { path: "/public/**" }
      allow_anonymous: true
    - match: { path: "/v1/**" }
      require_scopes: [read]
"""


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    directory = str(tmp_path_factory.mktemp("machineauth-browser"))
    config = os.path.join(directory, "machineauth.yaml")
    with open(os.path.join(ROOT, "config", "machineauth.yaml")) as source, open(config, "w") as target:
        target.write(source.read() + GATEWAY_RULES)
    # Debug logs: the service group says why it stops, and the last step reads the whole log
    # for secrets at the most talkative level.
    instance = Server({"MACHINEAUTH_CONFIG": config, "WEBHOOK_ALLOW_PRIVATE_TARGETS": "true", "WEBHOOK_TIMEOUT_SECS": "5",
                       "LOG_LEVEL": os.environ.get("LOG_LEVEL", "debug")}, directory=directory)
    yield instance
    instance.stop()


@pytest.fixture(autouse=True)
def server_stays_up(server):
    """Fails the step after which the server is no longer running, with the end of its log."""
    yield
    if server.process.poll() is not None:
        with open(server.log_path) as log:
            tail = "".join(log.readlines()[-25:])
        pytest.fail(f"the server exited with {server.process.returncode}:\n{tail}")


class Receiver:
    """A loopback HTTP server that answers 200 and keeps what it was sent."""

    def __init__(self):
        received = self.received = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                received.append({"path": self.path, "headers": dict(self.headers), "body": json.loads(body or b"null")})
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}/hooks/machineauth"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def stop(self):
        self.http.shutdown()


@pytest.fixture(scope="session")
def receiver():
    instance = Receiver()
    yield instance
    instance.stop()


def chromium(script=True):
    """Headless Chromium through Debian's chromedriver; `script=False` turns JavaScript off."""
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must not look for a driver online
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1366,900", "--lang=en-US"):
        options.add_argument(argument)
    # No password manager: its save and leak-warning bubbles race the driver after a sign-in
    # ("Node with given id does not belong to the document").
    prefs = {"credentials_enable_service": False, "profile.password_manager_enabled": False, "profile.password_manager_leak_detection": False}
    if not script:
        prefs["profile.managed_default_content_settings.javascript"] = 2
    options.add_experimental_option("prefs", prefs)
    options.add_argument("--disable-features=PasswordLeakDetection,PasswordManagerOnboarding")
    driver = webdriver.Chrome(options=options, service=ChromeService(executable_path=CHROMEDRIVER))
    driver.implicitly_wait(0)
    return driver


@pytest.fixture(scope="session")
def browser():
    driver = chromium()
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def browser_without_script():
    driver = chromium(script=False)
    yield driver
    driver.quit()


@pytest.fixture(scope="session")
def shoot(browser):
    """`shoot("agents")` saves agents-desktop.png and agents-phone.png of the page shown now."""
    os.makedirs(SCREENSHOTS, exist_ok=True)

    def metrics(width, height, mobile):
        browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})

    def take(name):
        for label, width, height, mobile in SIZES:
            metrics(width, height, mobile)
            # The whole page (up to a limit), not only what fits the first screen.
            full = browser.execute_script("return document.documentElement.scrollHeight")
            metrics(width, max(height, min(full, MAX_HEIGHT)), mobile)
            browser.save_screenshot(os.path.join(SCREENSHOTS, f"{name}-{label}.png"))
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    return take
