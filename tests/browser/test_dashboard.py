"""One administrator's session in a real browser, step by step (the steps run in file order and
share what they made): sign in; create an organization, a team, an API key and an agent; see the
secret once; rotate it; issue, introspect and revoke a token; create a webhook to a loopback
receiver and send a test; read the audit log; ask the gateway; then a viewer who finds no write
controls and whose forged post is refused; sign out. Every page is photographed at desktop and
phone width."""
import re
import time

import pytest
import requests
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from dashboard import Dashboard, gone
from machineauth_server import ADMIN_PASSWORD

VIEWER_EMAIL = "viewer@example.com"
VIEWER_PASSWORD = "viewer-password-123"


class Made:
    """What the earlier steps created, for the later ones."""

    secrets = []  # every secret and token the pages showed
    organization_id = None
    agent_id = None
    webhook_id = None
    client_id = None
    secret = None
    access_token = None


@pytest.fixture(scope="module")
def made():
    return Made()


@pytest.fixture(scope="module")
def ui(browser, server):
    return Dashboard(browser, server.base)


def sign_in(ui, email, password):
    ui.open("/dashboard/login")
    ui.fill("E-mail", email)
    ui.fill("Password", password)
    ui.press("Sign in")


def test_sign_in(ui, browser, server, shoot):
    ui.open("/")
    assert ui.path.startswith("/dashboard/login"), "a browser asking for / is sent to the dashboard, then to sign in"
    assert requests.get(server.base + "/").json()["service"], "an API client still gets the service info"
    shoot("login")
    ui.fill("E-mail", "admin@example.com")
    ui.fill("Password", "wrong-password")
    ui.press("Sign in")
    assert "Sign in" in ui.heading and ui.has("#login-problem")
    shoot("login-refused")
    sign_in(ui, "admin@example.com", ADMIN_PASSWORD)
    assert ui.path == "/dashboard" and ui.heading == "Overview"
    cookies = {cookie["name"]: cookie for cookie in browser.get_cookies()}
    session = [cookie for cookie in cookies.values() if cookie["httpOnly"]]
    assert session and all(cookie["sameSite"] == "Strict" for cookie in session), cookies
    assert ui.text("readiness") == "ready"
    assert "json" in ui.main and "RS256" in ui.main
    assert ui.has("svg"), "the rate charts are inline SVG drawn by the server"
    shoot("overview")


def test_overview_updates_itself(ui):
    region = ui.element(By.CSS_SELECTOR, "[data-live]")
    deadline = time.time() + 15
    while time.time() < deadline and not region.get_attribute("data-updated"):
        time.sleep(0.5)
    assert region.get_attribute("data-updated"), "the overview's figures are refreshed while it is open"
    assert region.get_attribute("data-stale") is None


def test_create_organization_and_team(ui, made, shoot):
    ui.open("/dashboard/organizations")
    ui.fill("Slug", "Not A Slug")
    ui.fill("Name", "Acme Robotics")
    ui.press("Create organization")
    assert ui.text("org-slug-error"), "the refusal is written next to the field"
    assert ui.field("Slug").get_attribute("aria-invalid") == "true"
    shoot("organizations-error")
    ui.fill("Slug", "acme")
    ui.press("Create organization")
    assert ui.heading == "Acme Robotics" and "The organization is created." in ui.main
    made.organization_id = ui.path.split("/")[-1].split("?")[0]
    ui.fill("Name", "Research")
    ui.field("Description").send_keys("reports and analysis")
    ui.press("Create team")
    assert "The team is created." in ui.main
    assert "Research" in ui.element(By.CSS_SELECTOR, "[aria-labelledby=teams-heading] tbody").text
    shoot("organization")
    ui.open("/dashboard/organizations")
    assert "Acme Robotics" in ui.main
    shoot("organizations")


def test_api_key_is_shown_once_and_revoked(ui, made, shoot):
    ui.open(f"/dashboard/organizations/{made.organization_id}")
    ui.fill("Expires in (days)", "99999")
    ui.press("Create API key")
    assert "3,650" in ui.text("key-expiry-error")
    ui.by_id("key-name").send_keys("ci-pipeline")
    ui.fill("Expires in (days)", "30")
    ui.press("Create API key")
    key = ui.text("secret-value")
    assert key.startswith("sk_")
    made.secrets.append(key)
    shoot("api-key-created")
    ui.open(f"/dashboard/organizations/{made.organization_id}")
    assert key not in ui.driver.page_source, "the key is shown once"
    ui.press("Revoke")
    assert "The API key is revoked." in ui.main and "revoked" in ui.element(By.CSS_SELECTOR, "[aria-labelledby=keys-heading] tbody").text


def test_create_agent_shows_the_secret_once(ui, made, shoot):
    ui.open(f"/dashboard/organizations/{made.organization_id}")
    ui.follow("New agent in Acme Robotics")
    assert ui.heading == "New agent"
    ui.fill("Name", "report-bot")
    ui.fill("Scopes", "read write")
    ui.fill("Expires in (days)", "ten")
    ui.press("Create agent")
    assert ui.text("expires_in_days-error"), "a bad number is named next to its field"
    assert ui.field("Name").get_attribute("value") == "report-bot", "what was typed is kept"
    shoot("agent-new-error")
    ui.fill("Expires in (days)", "")
    ui.choose("Team", "Acme Robotics / Research")
    ui.driver.find_element(By.ID, "metadata").send_keys("owner=reports")
    ui.press("Create agent")
    assert ui.heading.startswith("report-bot")
    made.secret = ui.text("secret-value")
    made.secrets.append(made.secret)
    made.client_id = ui.text("client-id")
    assert ui.path == "/dashboard/agents", "the secret is in the answer to the post, not at an address"
    made.agent_id = ui.element(By.CSS_SELECTOR, "form[action$='/rotate']").get_attribute("action").split("/")[-2]
    assert made.secret and made.client_id and "will not be shown again" in ui.main
    copy = ui.element(By.CSS_SELECTOR, "button[data-copy=secret-value]")
    assert copy.is_displayed(), "the script shows the copy button"
    copy.click()
    time.sleep(0.2)
    assert copy.text in ("Copied", "Copy")
    assert "read" in ui.text("agent-scopes") and "Research" in ui.main and "owner" in ui.main
    details = ui.element(By.CSS_SELECTOR, "[aria-labelledby=details-heading]").text
    assert "Description\nnone" in details, "an empty description says so"
    shoot("agent-created")
    ui.open(f"/dashboard/agents/{made.agent_id}")
    assert made.secret not in ui.driver.page_source and not ui.has("#secret-value"), "the secret is shown once"
    shoot("agent")


def test_rotate_deactivate_reactivate(ui, made, shoot):
    ui.open(f"/dashboard/agents/{made.agent_id}")
    ui.fill("Grace period (seconds)", "9999999")
    ui.press("Rotate secret")
    assert "2,592,000" in ui.text("grace_period_seconds-error")
    ui.fill("Grace period (seconds)", "300")
    ui.press("Rotate secret")
    rotated = ui.text("secret-value")
    assert rotated and rotated != made.secret and "keeps working until" in ui.main
    made.secret = rotated
    made.secrets.append(rotated)
    shoot("agent-rotated")
    ui.open(f"/dashboard/agents/{made.agent_id}")
    ui.press("Deactivate")
    assert ui.text("agent-status") == "inactive"
    ui.press("Reactivate")
    assert ui.text("agent-status") == "active"


def test_delete_asks_first(ui, server, shoot):
    client_id, _, agent_id = server.create_agent(name="throwaway")
    ui.open(f"/dashboard/agents/{agent_id}")
    ui.follow("Delete…")
    assert ui.heading == "Delete throwaway?"
    shoot("agent-delete")
    ui.follow("Cancel")
    assert ui.heading.startswith("throwaway")
    ui.follow("Delete…")
    ui.press("Delete the agent")
    assert ui.path.startswith("/dashboard/agents") and "The agent is deleted" in ui.main and client_id not in ui.main


def test_agents_search_and_filters(ui, shoot):
    ui.open("/dashboard/agents")
    ui.fill("Name", "report")
    ui.press("Filter")
    assert ui.text("agent-count") == "1 agent" and "report-bot" in ui.main
    ui.choose("Status", "inactive")
    ui.press("Filter")
    assert "No agents match." in ui.main
    ui.open("/dashboard/agents?page=0")
    assert ui.text("page-error")
    ui.open("/dashboard/agents")
    shoot("agents")


def test_keyboard_only(ui):
    ui.open("/dashboard/agents")
    keys = ActionChains(ui.driver)
    keys.send_keys(Keys.TAB).perform()
    focused = ui.driver.switch_to.active_element
    assert focused.text == "Skip to content"
    assert focused.value_of_css_property("outline-style") != "none", "focus is visible"
    focused.send_keys(Keys.ENTER)
    for _ in range(12):  # past the heading's "New agent" to the search field
        if ui.driver.switch_to.active_element.get_attribute("id") == "q":
            break
        ActionChains(ui.driver).send_keys(Keys.TAB).perform()
    search = ui.driver.switch_to.active_element
    assert search.get_attribute("id") == "q", "the search field is reached with Tab"
    old = ui.driver.find_element(By.TAG_NAME, "html")
    search.send_keys("report", Keys.ENTER)
    WebDriverWait(ui.driver, 10).until(gone(old))
    ui.wait_loaded()
    assert ui.text("agent-count") == "1 agent"


def test_token_tools(ui, made, shoot):
    ui.open("/dashboard/tokens")
    ui.fill("Client id", made.client_id)
    ui.fill("Client secret", "not-the-secret")
    ui.press("Issue token")
    assert ui.has(".problem") or ui.has(".error"), "a failed client authentication says so"
    ui.fill("Client id", made.client_id)
    ui.fill("Client secret", made.secret)
    ui.fill("Scope (optional)", "read")
    ui.press("Issue token")
    made.access_token = ui.text("issued-token")
    made.secrets.append(made.access_token)
    assert made.access_token.count(".") == 2 and ui.text("issued-scope") == "read"
    shoot("token-issued")
    ui.fill("Token", made.access_token)
    ui.press("Inspect")
    assert ui.text("inspection-status") == "active"
    assert made.client_id in ui.main and "RS256" in ui.main and "report-bot" in ui.main
    shoot("token-active")
    assert ui.by_id("revoke-token").get_attribute("value") == made.access_token, "the inspected token is ready to revoke"
    ui.press("Revoke token")
    assert ui.text("revocation-outcome").startswith("Done.")
    ui.by_id("inspect-token").clear()
    ui.by_id("inspect-token").send_keys(made.access_token)
    ui.press("Inspect")
    assert ui.text("inspection-status") == "inactive"
    assert "revoked" in ui.text("inspection-reason")
    shoot("token-revoked")


def test_webhook_to_a_real_receiver(ui, made, receiver, shoot):
    ui.open("/dashboard/webhooks")
    ui.fill("URL", "ftp://nowhere")
    ui.press("Create webhook")
    assert ui.text("hook-url-error")
    ui.fill("Name (optional)", "receiver")
    ui.fill("URL", receiver.url)
    ui.fill("Events", "agent.* token.revoked")
    ui.press("Create webhook")
    assert ui.heading.startswith("receiver")
    made.webhook_id = ui.element(By.CSS_SELECTOR, "form[action$='/test']").get_attribute("action").split("/")[-2]
    first_secret = ui.text("secret-value")
    assert first_secret
    made.secrets.append(first_secret)
    shoot("webhook-created")
    ui.fill("Test message", "hello from the browser test")
    ui.press("Send a test")
    deadline = time.time() + 10
    while time.time() < deadline and not receiver.received:
        time.sleep(0.1)
    assert receiver.received, "the receiver got the test delivery"
    delivery = receiver.received[-1]
    assert delivery["path"] == "/hooks/machineauth" and "hello from the browser test" in str(delivery["body"])
    assert ui.text("test-status") == "delivered" and ui.text("test-code") == "200"
    rows = ui.text("deliveries")
    assert "webhook.test" in rows
    ui.element(By.CSS_SELECTOR, "#deliveries details summary").click()
    assert "200" in ui.element(By.CSS_SELECTOR, "#deliveries details table").text
    shoot("webhook")
    ui.press("Rotate the secret")
    assert ui.text("secret-value") not in ("", first_secret)
    ui.fill("Name", "receiver (edited)")
    ui.press("Save")
    assert "The webhook is saved." in ui.main and ui.heading.startswith("receiver (edited)")
    ui.open("/dashboard/webhooks")
    assert "receiver (edited)" in ui.main
    shoot("webhooks")


def test_audit_log(ui, made, shoot):
    ui.open("/dashboard/audit")
    records = ui.text("audit-records")
    assert "agent.created" in records and "admin@example.com" in records
    ui.fill("Action", "agent.*")
    ui.field("Action").send_keys(Keys.ENTER)
    ui.wait_loaded()
    actions = [cell.text for cell in ui.driver.find_elements(By.CSS_SELECTOR, "#audit-records tbody td:nth-child(2)")]
    assert actions and all(action.startswith("agent.") for action in actions), actions
    ui.open("/dashboard/audit?from=yesterday")
    assert ui.text("from-error"), "a bad time is named next to its field"
    ui.open(f"/dashboard/audit?agent_id={made.agent_id}")
    assert "report-bot" in ui.text("audit-records")
    shoot("audit")


def test_gateway_decision(ui, server, shoot):
    ui.open("/dashboard/gateway")
    assert "/v1/**" in ui.text("gateway-rules")
    shoot("gateway")
    client_id, secret, _ = server.create_agent(name="gateway-reader", scopes=("read",))
    token = requests.post(server.base + "/oauth/token", data={"grant_type": "client_credentials"}, auth=(client_id, secret)).json()["access_token"]
    ui.fill("Path", "/v1/reports/42")
    ui.press("Check")
    assert ui.text("gateway-decision") == "deny" and "rule 2" in ui.main
    ui.fill("Path", "/v1/reports/42")
    ui.field("Bearer token or API key (optional)").send_keys(token)
    ui.press("Check")
    assert ui.text("gateway-decision") == "allow" and "rule 2" in ui.main
    shoot("gateway-decision")
    ui.fill("Path", "no-slash")
    ui.press("Check")
    assert ui.text("gw-path-error")


def test_metrics_keys_users(ui, shoot):
    ui.open("/dashboard/metrics")
    assert ui.heading == "Metrics" and ui.has("svg") and ui.has("table")
    shoot("metrics")
    ui.open("/dashboard/keys")
    before = ui.main
    shoot("keys")
    ui.press("Rotate the signing key")
    assert "A new signing key is active" in ui.main and ui.main != before
    ui.open("/dashboard/users")
    ui.fill("E-mail", VIEWER_EMAIL)
    ui.fill("Password", "short")
    ui.press("Create administrator")
    assert ui.text("user-password-error")
    ui.fill("E-mail", VIEWER_EMAIL)
    ui.fill("Password", VIEWER_PASSWORD)
    ui.choose("Role", "viewer: reads, changes nothing")
    ui.element(By.XPATH, "//fieldset//label[contains(., 'Acme Robotics')]/input").click()
    ui.press("Create administrator")
    assert "The administrator account is created." in ui.main and VIEWER_EMAIL in ui.text("users")
    shoot("users")
    ui.open("/dashboard")
    figures = ui.element(By.CSS_SELECTOR, "[aria-labelledby=agents-heading]").text
    issued = re.search(r"Tokens issued\n(\d+)", figures)
    assert issued and int(issued.group(1)) >= 2, f"the two tokens issued show on the overview: {figures}"
    shoot("overview-in-use")
    light = ui.driver.execute_script("return getComputedStyle(document.body).backgroundColor")
    ui.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
    dark = ui.driver.execute_script("return getComputedStyle(document.body).backgroundColor")
    assert dark != light, "the dark theme follows the system setting"
    shoot("overview-dark")
    ui.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})


def test_unknown_address_is_a_page(ui, shoot):
    ui.open("/dashboard/no/such/page")
    assert ui.heading == "Not Found" and "There is no dashboard page at this address." in ui.main
    shoot("not-found")


def test_sign_out(ui, shoot):
    ui.open("/dashboard")
    ui.press("Sign out")
    assert ui.path.startswith("/dashboard/login") and "You have signed out." in ui.main
    ui.open("/dashboard/agents")
    assert ui.path.startswith("/dashboard/login"), "without a session, pages ask to sign in"


WRITE_CONTROLS = ("New agent", "Rotate secret", "Deactivate", "Delete", "Create organization", "Create team", "Create API key",
                  "Issue token", "Revoke token", "Create webhook", "Send a test", "Rotate the secret")
READ_ONLY_POSTS = {"/dashboard/logout", "/dashboard/tokens/inspect", "/dashboard/gateway/check"}


def test_viewer_sees_no_write_controls(ui, made, server, shoot):
    sign_in(ui, VIEWER_EMAIL, VIEWER_PASSWORD)
    assert ui.heading == "Overview" and "viewer" in ui.element(By.CSS_SELECTOR, ".account").text
    for name, path in [("viewer-agents", "/dashboard/agents"), ("viewer-agent", f"/dashboard/agents/{made.agent_id}"),
                       ("viewer-organization", f"/dashboard/organizations/{made.organization_id}"), ("viewer-tokens", "/dashboard/tokens"),
                       ("viewer-webhooks", "/dashboard/webhooks"), ("viewer-webhook", f"/dashboard/webhooks/{made.webhook_id}"),
                       ("viewer-audit", "/dashboard/audit"), ("viewer-gateway", "/dashboard/gateway")]:
        ui.open(path)
        assert set(ui.post_actions()) <= READ_ONLY_POSTS, f"{path}: {ui.post_actions()}"
        visible = ui.main
        for control in WRITE_CONTROLS:
            assert control not in visible, f"{path} shows {control!r} to a viewer"
        shoot(name)
    assert "Users" not in ui.element(By.CSS_SELECTOR, "nav").text, "users are the owner's"
    ui.open("/dashboard/users")
    assert "only the instance owner" in ui.main.lower()


def test_viewer_forged_post_is_refused(ui, made, server):
    ui.open(f"/dashboard/agents/{made.agent_id}")
    ui.forge_post(f"/dashboard/agents/{made.agent_id}/deactivate", {"csrf_token": ui.csrf_token()})
    assert "A viewer cannot change anything." in ui.main
    owner = requests.post(server.base + "/api/auth/login", json={"email": "admin@example.com", "password": ADMIN_PASSWORD}).json()["token"]
    agent = requests.get(server.base + f"/api/agents/{made.agent_id}", headers={"Authorization": "Bearer " + owner}).json()["agent"]
    assert agent["status"] == "active", "the forged post changed nothing"
    ui.forge_post("/dashboard/agents", {"name": "forged"})
    assert "did not come from this dashboard" in ui.main, "without the CSRF token the form is refused"
    ui.open("/dashboard")
    ui.press("Sign out")
    assert "You have signed out." in ui.main


def test_no_secret_in_an_address_or_the_log(ui, made, server):
    assert len(made.secrets) >= 5
    with open(server.log_path) as log:
        text = log.read()
    assert "POST /dashboard/tokens/issue" in text, "the log is the server's request log"
    for secret in made.secrets:
        assert secret not in text, "a secret was written to the server's log"
        assert not any(secret in address for address in ui.visited), "a secret was put in an address"
