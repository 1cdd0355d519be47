"""Every read works without JavaScript: the same pages in a Chromium with scripts turned off
(signing in and filtering are plain forms; only the copy buttons and the live refresh are
missing)."""
import pytest
from selenium.webdriver.common.by import By

from dashboard import Dashboard
from machineauth_server import ADMIN_PASSWORD


@pytest.fixture(scope="module")
def plain(browser_without_script, server):
    return Dashboard(browser_without_script, server.base)


def test_reads_without_javascript(plain, server):
    client_id, _, agent_id = server.create_agent(name="no-script-agent")
    plain.open("/dashboard/login")
    plain.fill("E-mail", "admin@example.com")
    plain.fill("Password", ADMIN_PASSWORD)
    plain.press("Sign in")
    assert plain.heading == "Overview" and plain.text("readiness") == "ready"
    assert plain.element(By.CSS_SELECTOR, "[data-live]").get_attribute("data-updated") is None, "no script refreshed it"
    plain.open("/dashboard/agents")
    plain.fill("Name", "no-script")
    plain.press("Filter")
    assert plain.text("agent-count") == "1 agent"
    plain.open(f"/dashboard/agents/{agent_id}")
    assert plain.text("client-id") == client_id
    assert not plain.element(By.CSS_SELECTOR, "button[data-copy=client-id]").is_displayed(), "copy buttons appear only with the script"
    for path, heading in [("/dashboard/organizations", "Organizations"), ("/dashboard/tokens", "Token tools"), ("/dashboard/webhooks", "Webhooks"),
                          ("/dashboard/audit", "Audit log"), ("/dashboard/metrics", "Metrics"), ("/dashboard/gateway", "Gateway"),
                          ("/dashboard/keys", "Signing keys"), ("/dashboard/users", "Users")]:
        plain.open(path)
        assert plain.heading == heading, path
    plain.open("/dashboard/audit?action=agent.*")
    assert "agent.created" in plain.text("audit-records")
