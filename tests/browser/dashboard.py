"""A thin page helper over Selenium for the dashboard: open a path, fill labelled fields, press
a button, and read what the page shows. Every lookup waits a little, so a page that is still
loading does not fail a step."""
import time

from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.ui import WebDriverWait


def gone(element):
    """A wait condition: `element`'s page has been replaced. Chromium's driver reports a node of a
    replaced page as "does not belong to the document" instead of a stale element (a known
    chromedriver race after navigations), so both count."""

    def check(driver):
        try:
            element.is_enabled()
            return False
        except StaleElementReferenceException:
            return True
        except WebDriverException as error:
            if "does not belong to the document" in str(error) or "No node with given id" in str(error):
                return True
            raise

    return check


# Finds a visible button by its text and clicks it, without handing the driver an element.
PRESS = """
for (const button of document.querySelectorAll('button')) {
  if (button.textContent.trim() === arguments[0] && button.offsetParent !== null) { button.click(); return true; }
}
return false;
"""


class Dashboard:
    def __init__(self, driver, base):
        self.driver = driver
        self.base = base
        self.visited = []  # every address the browser showed, to check no secret is in one

    def open(self, path):
        self.driver.get(self.base + path)
        self.wait_loaded()

    def wait_loaded(self):
        WebDriverWait(self.driver, 10).until(lambda d: d.execute_script("return document.readyState") == "complete")
        self.visited.append(self.driver.current_url)

    @property
    def path(self):
        return self.driver.current_url.removeprefix(self.base)

    @property
    def heading(self):
        return self.element(By.TAG_NAME, "h1").text

    @property
    def main(self):
        return self.element(By.ID, "main").text

    def element(self, by, value, timeout=5):
        return WebDriverWait(self.driver, timeout).until(expected_conditions.presence_of_element_located((by, value)))

    def by_id(self, identifier):
        return self.element(By.ID, identifier)

    def has(self, css):
        return bool(self.driver.find_elements(By.CSS_SELECTOR, css))

    def field(self, label):
        """The input a `<label>` with this exact text names (labelled inputs are the contract)."""
        for candidate in self.driver.find_elements(By.TAG_NAME, "label"):
            if candidate.text.strip() == label and candidate.get_attribute("for"):
                return self.driver.find_element(By.ID, candidate.get_attribute("for"))
        raise NoSuchElementException(f"no field labelled {label!r} on {self.path}")

    def fill(self, label, value):
        def step():
            element = self.field(label)
            element.clear()
            element.send_keys(value)
            return element

        return self.again(step)

    def choose(self, label, option_text):
        self.again(lambda: Select(self.field(label)).select_by_visible_text(option_text))

    def text(self, identifier):
        """The text of the element with this id."""
        return self.again(lambda: self.by_id(identifier).text)

    def press(self, text):
        """Clicks the button with this text and waits for the next page."""
        old = self.driver.find_element(By.TAG_NAME, "html")

        def find():
            buttons = [b for b in self.driver.find_elements(By.TAG_NAME, "button") if b.text.strip() == text and b.is_displayed()]
            assert buttons, f"no button {text!r} on {self.path}"
            return buttons[0]

        button = self.again(find)
        try:
            button.click()
        except WebDriverException:
            # Sometimes after the click went through (the page is gone): see gone().
            if not gone(old)(self.driver):
                assert self.driver.execute_script(PRESS, text), f"no button {text!r} on {self.path}"
        WebDriverWait(self.driver, 10).until(gone(old))
        self.wait_loaded()

    def again(self, step, tries=3):
        """Runs `step`, again when Chromium's driver loses a node it just found ("does not
        belong to the document", a known chromedriver race after navigations)."""
        for attempt in range(tries):
            try:
                return step()
            except WebDriverException as error:
                if "does not belong to the document" not in str(error) or attempt == tries - 1:
                    raise
                time.sleep(0.3)

    def follow(self, text):
        old = self.driver.find_element(By.TAG_NAME, "html")
        self.driver.find_element(By.LINK_TEXT, text).click()
        WebDriverWait(self.driver, 10).until(gone(old))
        self.wait_loaded()

    def post_actions(self):
        """The actions of every POST form on the page (what this user could change)."""
        forms = self.driver.find_elements(By.CSS_SELECTOR, "form[method=post]")
        return sorted({form.get_attribute("action").removeprefix(self.base) for form in forms})

    def csrf_token(self):
        return self.driver.find_element(By.CSS_SELECTOR, "input[name=csrf_token]").get_attribute("value")

    def forge_post(self, action, fields):
        """Submits a form the page never offered (with the session's valid CSRF token)."""
        old = self.driver.find_element(By.TAG_NAME, "html")
        self.driver.execute_script(
            """
            const form = document.createElement('form');
            form.method = 'post';
            form.action = arguments[0];
            for (const [name, value] of Object.entries(arguments[1])) {
              const input = document.createElement('input');
              input.type = 'hidden'; input.name = name; input.value = value;
              form.appendChild(input);
            }
            document.body.appendChild(form);
            form.submit();
            """,
            action,
            fields,
        )
        WebDriverWait(self.driver, 10).until(gone(old))
        self.wait_loaded()
