"""Certificate-bound access tokens (RFC 8705 §3) against the real binary behind real nginx
terminating mutual TLS (config/examples/proxies/nginx-mtls.conf, ssl_verify_client
optional_no_ca), with client certificates made by the openssl CLI: a token issued through nginx
with certificate A passes /gateway/check through nginx with A only; the certificate header is
believed only from TRUSTED_PROXIES."""
import base64
import hashlib
import http.client
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.parse
from http.server import ThreadingHTTPServer

import pytest
import requests
import urllib3

from conftest import ROOT, Server, free_port
from gateway_stack import EXAMPLES, Echo

pytestmark = pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")  # nginx's certificate is self-signed
HEADER = "X-SSL-Client-Cert"


def openssl(*args):
    subprocess.run(["openssl", *args], check=True, capture_output=True)


def certificate(directory, name):
    """A self-signed P-256 certificate and its key; returns (pem path, key path)."""
    pem, key = os.path.join(directory, f"{name}.pem"), os.path.join(directory, f"{name}.key")
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", pem,
            "-days", "2", "-subj", f"/CN={name}")
    return pem, key


def thumbprint(pem):
    der = subprocess.run(["openssl", "x509", "-in", pem, "-outform", "der"], check=True, capture_output=True).stdout
    return base64.urlsafe_b64encode(hashlib.sha256(der).digest()).decode().rstrip("=")


def escaped(pem):
    """What nginx's $ssl_client_escaped_cert holds."""
    return urllib.parse.quote(open(pem).read(), safe="")


def claims(token):
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


class Stack:
    def __init__(self, directory, server, base, certificates):
        self.directory, self.server, self.base, self.certificates = directory, server, base, certificates

    def token(self, client_id, secret, cert=None, headers=None):
        return requests.post(self.base + "/oauth/token", data={"grant_type": "client_credentials"}, auth=(client_id, secret),
                             cert=cert, headers=headers, verify=False)

    def api(self, token, cert=None, headers=None):
        sent = {"Host": "api.example.com", "Authorization": "Bearer " + token, **(headers or {})}
        return requests.get(self.base + "/v1/reports/1", headers=sent, cert=cert, verify=False)


@pytest.fixture(scope="module")
def stack():
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    if nginx is None:
        pytest.fail("nginx is not installed (apt-get install nginx); scripts/test installs it when run as root")
    directory = tempfile.mkdtemp(prefix="machineauth-mtls-")
    certificate(directory, "server")
    certificates = {name: certificate(directory, name) for name in ("a", "b")}
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    upstream.received = []
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    server = Server({"MACHINEAUTH_CONFIG": os.path.join(EXAMPLES, "gateway.yaml"), "CLIENT_CERTIFICATE_HEADER": HEADER,
                     "TRUSTED_PROXIES": "127.0.0.1"})
    port = free_port()
    text = open(os.path.join(EXAMPLES, "proxies", "nginx-mtls.conf")).read()
    text = text.replace("127.0.0.1:8080", f"127.0.0.1:{server.port}").replace("127.0.0.1:9000", f"127.0.0.1:{upstream.server_address[1]}")
    open(os.path.join(directory, "nginx.conf"), "w").write(text.replace("127.0.0.1:8443", f"127.0.0.1:{port}"))
    log = os.path.join(directory, "nginx.log")
    process = subprocess.Popen([nginx, "-c", os.path.join(directory, "nginx.conf"), "-p", directory, "-e", log,
                                "-g", f"daemon off; pid {directory}/nginx.pid;"], cwd=directory, stdout=open(log, "a"), stderr=subprocess.STDOUT)
    base = f"https://127.0.0.1:{port}"
    deadline = time.time() + 20
    while True:
        if process.poll() is not None:
            raise RuntimeError(open(log).read())
        try:
            requests.get(base + "/public/ping", verify=False, timeout=1)
            break
        except requests.ConnectionError:
            if time.time() > deadline:
                raise RuntimeError("nginx did not start: " + open(log).read())
            time.sleep(0.1)
    yield Stack(directory, server, base, certificates)
    process.terminate()
    process.wait(timeout=10)
    server.stop()
    upstream.shutdown()
    shutil.rmtree(directory, ignore_errors=True)


def direct(server, method, path, headers, source="127.0.0.2", body=None):
    """A request straight to MachineAuth from `source` (127.0.0.2 is not in TRUSTED_PROXIES)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, source_address=(source, 0), timeout=10)
    connection.request(method, path, body=body, headers=headers)
    reply = connection.getresponse()
    data = reply.read()
    connection.close()
    return reply.status, json.loads(data or b"{}")


def test_a_token_issued_with_certificate_a_passes_only_with_a(stack):
    a, b = stack.certificates["a"], stack.certificates["b"]
    client_id, secret, _ = stack.server.create_agent(name="mtls", scopes=["read"])
    issued = stack.token(client_id, secret, cert=a)
    assert issued.status_code == 200, issued.text
    assert issued.json()["token_type"] == "Bearer"
    token = issued.json()["access_token"]
    assert claims(token)["cnf"] == {"x5t#S256": thumbprint(a[0])}

    allowed = stack.api(token, cert=a)
    assert allowed.status_code == 200, allowed.text
    assert allowed.json()["headers"]["x-client-id"] == client_id
    assert HEADER.lower() not in allowed.json()["headers"], "the API never sees the certificate header"
    for cert in (b, None):
        refused = stack.api(token, cert=cert)
        assert refused.status_code == 401, refused.text
        assert refused.headers["WWW-Authenticate"].startswith('Bearer realm="machineauth", error="invalid_token"'), refused.headers
    # A client's own header does not stand in for the TLS certificate: nginx replaces it.
    assert stack.api(token, cert=b, headers={HEADER: escaped(a[0])}).status_code == 401
    assert stack.api(token, headers={HEADER: escaped(a[0])}).status_code == 401

    described = requests.post(stack.server.base + "/oauth/introspect", data={"token": token},
                              headers={"Authorization": "Bearer " + stack.server.admin_token()}).json()
    assert described["active"] is True and described["cnf"] == {"x5t#S256": thumbprint(a[0])}


def test_identity_headers_and_addresses_a_client_forges_never_pass_nginx(stack):
    a = stack.certificates["a"]
    client_id, secret, _ = stack.server.create_agent(name="forger", scopes=["read"])
    token = stack.token(client_id, secret, cert=a).json()["access_token"]
    forged = {"X-Agent-Id": "someone-else", "X-Scopes": "admin", "X-Org-Id": "other-org", "X-Team-Id": "other-team",
              "X-Auth-Request-User": "root", "X-Client-Id": "cid_forged"}
    seen = stack.api(token, cert=a, headers=forged)
    assert seen.status_code == 200, seen.text
    headers = seen.json()["headers"]
    assert headers["x-client-id"] == client_id and headers["x-scopes"] == "read", headers
    for name, value in forged.items():
        assert headers.get(name.lower()) != value, name
    # A client-chosen X-Forwarded-For is replaced by nginx, so it names no address in the audit trail.
    spoofed = stack.token(client_id, secret, cert=a, headers={"X-Forwarded-For": "203.0.113.77"})
    assert spoofed.status_code == 200, spoofed.text
    trail = requests.get(stack.server.base + "/api/audit-logs", params={"action": "token.issued", "limit": 500},
                         headers={"Authorization": "Bearer " + stack.server.admin_token()}).json()
    records = trail["audit_logs"]
    assert records and all(record.get("ip_address") == "127.0.0.1" for record in records), records
    assert all(record.get("ip_address") != "203.0.113.77" for record in records)


def test_without_a_certificate_the_token_is_a_plain_bearer_token(stack):
    client_id, secret, _ = stack.server.create_agent(name="plain", scopes=["read"])
    issued = stack.token(client_id, secret)
    assert issued.status_code == 200, issued.text
    token = issued.json()["access_token"]
    assert "cnf" not in claims(token)
    assert stack.api(token).status_code == 200
    assert stack.api(token, cert=stack.certificates["b"]).status_code == 200


def test_an_agent_requiring_bound_tokens_needs_a_certificate(stack):
    client_id, secret, _ = stack.server.create_agent(name="bound-only", scopes=["read"], tls_client_certificate_bound_access_tokens=True)
    refused = stack.token(client_id, secret)
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_request", refused.text
    issued = stack.token(client_id, secret, cert=stack.certificates["b"])
    assert issued.status_code == 200, issued.text
    assert claims(issued.json()["access_token"])["cnf"] == {"x5t#S256": thumbprint(stack.certificates["b"][0])}


def test_a_spoofed_header_from_a_client_that_is_not_the_proxy_is_ignored(stack):
    a = stack.certificates["a"]
    client_id, secret, _ = stack.server.create_agent(name="spoofer", scopes=["read"])
    basic = "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    form = {"Authorization": basic, "Content-Type": "application/x-www-form-urlencoded", HEADER: escaped(a[0])}
    status, body = direct(stack.server, "POST", "/oauth/token", form, body="grant_type=client_credentials")
    assert status == 200, body
    assert "cnf" not in claims(body["access_token"]), "a header from an untrusted peer binds nothing"

    bound = stack.token(client_id, secret, cert=a).json()["access_token"]
    headers = {"Authorization": "Bearer " + bound, HEADER: escaped(a[0])}
    status, body = direct(stack.server, "GET", "/api/verify", headers)
    assert status == 401 and body["error"] == "invalid_token", body
    # The same request from the trusted proxy's address is believed (what the refusal above depends on).
    status, body = direct(stack.server, "GET", "/api/verify", headers, source="127.0.0.1")
    assert status == 200 and body["valid"] is True, body


def test_the_metadata_announces_certificate_bound_tokens(stack):
    metadata = requests.get(stack.server.base + "/.well-known/oauth-authorization-server").json()
    assert metadata["tls_client_certificate_bound_access_tokens"] is True


# --- Client authentication by certificate (RFC 8705 §2) -------------------------------------------

def jwk_with_certificate(pem, kid):
    """The public JWK of a P-256 certificate, with the certificate itself in x5c (RFC 8705 §2.2.2)."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding
    certificate = x509.load_pem_x509_certificate(open(pem, "rb").read())
    numbers = certificate.public_key().public_numbers()
    b64url = lambda n: base64.urlsafe_b64encode(n.to_bytes(32, "big")).decode().rstrip("=")
    return {"kty": "EC", "crv": "P-256", "kid": kid, "x": b64url(numbers.x), "y": b64url(numbers.y),
            "x5c": [base64.b64encode(certificate.public_bytes(Encoding.DER)).decode()]}


def certificate_token(base, client_id, cert=None, headers=None):
    """A token request that names the client and carries no secret: the certificate authenticates it."""
    return requests.post(base + "/oauth/token", data={"grant_type": "client_credentials", "client_id": client_id},
                         cert=cert, headers=headers, verify=False)


def test_self_signed_tls_client_auth_accepts_the_registered_certificate_only(stack):
    a, b = stack.certificates["a"], stack.certificates["b"]
    client_id, secret, _ = stack.server.create_agent(
        name="self-signed", scopes=["read"], token_endpoint_auth_method="self_signed_tls_client_auth",
        jwks={"keys": [jwk_with_certificate(a[0], "a")]})
    assert secret is None
    issued = certificate_token(stack.base, client_id, cert=a)
    assert issued.status_code == 200, issued.text
    token = issued.json()["access_token"]
    assert claims(token)["cnf"] == {"x5t#S256": thumbprint(a[0])}, "a certificate-authenticated client's token is bound"
    assert stack.api(token, cert=a).status_code == 200
    for cert in (b, None):
        refused = certificate_token(stack.base, client_id, cert=cert)
        assert refused.status_code == 401 and refused.json()["error"] == "invalid_client", refused.text
    # The client's own header never reaches MachineAuth through nginx, nor counts from elsewhere.
    assert certificate_token(stack.base, client_id, cert=b, headers={HEADER: escaped(a[0])}).status_code == 401
    form = {"Content-Type": "application/x-www-form-urlencoded", HEADER: escaped(a[0])}
    status, body = direct(stack.server, "POST", "/oauth/token", form, body=f"grant_type=client_credentials&client_id={client_id}")
    assert status == 401 and body["error"] == "invalid_client", body
    status, body = direct(stack.server, "POST", "/oauth/token", form, body=f"grant_type=client_credentials&client_id={client_id}", source="127.0.0.1")
    assert status == 200, body  # the same request from the trusted proxy's address is believed


def test_the_example_gateway_offers_only_self_signed_certificates_behind_optional_no_ca(stack):
    metadata = requests.get(stack.server.base + "/.well-known/oauth-authorization-server").json()
    assert "self_signed_tls_client_auth" in metadata["token_endpoint_auth_methods_supported"]
    assert "tls_client_auth" not in metadata["token_endpoint_auth_methods_supported"]


@pytest.fixture(scope="module")
def pki():
    """MachineAuth offering tls_client_auth behind nginx-mtls-ca.conf, which accepts only a test CA's certificates."""
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    if nginx is None:
        pytest.fail("nginx is not installed (apt-get install nginx)")
    directory = tempfile.mkdtemp(prefix="machineauth-pki-")
    certificate(directory, "server")
    ca_pem, ca_key = certificate(directory, "ca")

    def issue(name, subject, san):
        key, csr, pem = (os.path.join(directory, f"{name}.{ext}") for ext in ("key", "csr", "pem"))
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", csr, "-subj", subject)
        extensions = os.path.join(directory, f"{name}.ext")
        open(extensions, "w").write(f"subjectAltName={san}\n")
        openssl("x509", "-req", "-in", csr, "-CA", ca_pem, "-CAkey", ca_key, "-CAcreateserial", "-days", "2", "-extfile", extensions, "-out", pem)
        return pem, key

    certificates = {
        "right": issue("right", "/C=US/O=Example, Inc./CN=agent-a", "DNS:agent-a.example.com,URI:spiffe://example.org/agent-a"),
        "other": issue("other", "/C=US/O=Example, Inc./CN=agent-b", "DNS:agent-b.example.com,URI:spiffe://example.org/agent-b"),
    }
    forged_pem, forged_key = os.path.join(directory, "forged.pem"), os.path.join(directory, "forged.key")
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", forged_key, "-out", forged_pem,
            "-days", "2", "-subj", "/C=US/O=Example, Inc./CN=agent-a", "-addext", "subjectAltName=DNS:agent-a.example.com")
    certificates["forged"] = (forged_pem, forged_key)
    server = Server({"MACHINEAUTH_CONFIG": os.path.join(EXAMPLES, "gateway.yaml"), "CLIENT_CERTIFICATE_HEADER": HEADER,
                     "TRUSTED_PROXIES": "127.0.0.1", "TLS_CLIENT_AUTH_METHODS": "tls_client_auth,self_signed_tls_client_auth"})
    port = free_port()
    text = open(os.path.join(EXAMPLES, "proxies", "nginx-mtls-ca.conf")).read()
    text = text.replace("127.0.0.1:8080", f"127.0.0.1:{server.port}").replace("127.0.0.1:8444", f"127.0.0.1:{port}")
    open(os.path.join(directory, "nginx.conf"), "w").write(text)
    log = os.path.join(directory, "nginx.log")
    process = subprocess.Popen([nginx, "-c", os.path.join(directory, "nginx.conf"), "-p", directory, "-e", log,
                                "-g", f"daemon off; pid {directory}/nginx.pid;"], cwd=directory, stdout=open(log, "a"), stderr=subprocess.STDOUT)
    base = f"https://127.0.0.1:{port}"
    deadline = time.time() + 20
    while True:
        if process.poll() is not None:
            raise RuntimeError(open(log).read())
        try:
            requests.get(base + "/", verify=False, timeout=1, cert=certificates["right"])
            break
        except requests.ConnectionError:
            if time.time() > deadline:
                raise RuntimeError("nginx did not start: " + open(log).read())
            time.sleep(0.1)
    yield Stack(directory, server, base, certificates)
    process.terminate()
    process.wait(timeout=10)
    server.stop()
    shutil.rmtree(directory, ignore_errors=True)


def dn(pem):
    return subprocess.run(["openssl", "x509", "-in", pem, "-noout", "-subject", "-nameopt", "RFC2253"],
                          check=True, capture_output=True, text=True).stdout.strip().removeprefix("subject=")


@pytest.mark.parametrize("field,value", [
    ("tls_client_auth_subject_dn", None),  # openssl's RFC 4514 form of the right certificate's subject
    ("tls_client_auth_subject_dn", "cn=AGENT-A, o=Example\\, Inc., c=us"),
    ("tls_client_auth_san_dns", "agent-a.example.com"),
    ("tls_client_auth_san_uri", "spiffe://example.org/agent-a"),
])
def test_tls_client_auth_accepts_the_registered_subject_and_refuses_another_certificate(pki, field, value):
    right, other = pki.certificates["right"], pki.certificates["other"]
    client_id, secret, _ = pki.server.create_agent(
        name="pki", scopes=["read"], token_endpoint_auth_method="tls_client_auth", **{field: value or dn(right[0])})
    assert secret is None
    issued = certificate_token(pki.base, client_id, cert=right)
    assert issued.status_code == 200, issued.text
    assert claims(issued.json()["access_token"])["cnf"] == {"x5t#S256": thumbprint(right[0])}
    refused = certificate_token(pki.base, client_id, cert=other)
    assert refused.status_code == 401 and refused.json()["error"] == "invalid_client", refused.text


def test_a_certificate_the_ca_did_not_issue_never_reaches_machineauth(pki):
    client_id, _, _ = pki.server.create_agent(name="pki-forged", scopes=["read"], token_endpoint_auth_method="tls_client_auth",
                                              tls_client_auth_san_dns="agent-a.example.com")
    try:
        reply = certificate_token(pki.base, client_id, cert=pki.certificates["forged"])
        assert reply.status_code == 400 and "invalid_client" not in reply.text, reply.text  # nginx: "The SSL certificate error"
    except requests.exceptions.SSLError:
        pass  # or the handshake fails outright
    # Sent straight to MachineAuth from an address that is not a proxy, the header proves nothing.
    form = {"Content-Type": "application/x-www-form-urlencoded", HEADER: escaped(pki.certificates["right"][0])}
    status, body = direct(pki.server, "POST", "/oauth/token", form, body=f"grant_type=client_credentials&client_id={client_id}")
    assert status == 401 and body["error"] == "invalid_client", body
