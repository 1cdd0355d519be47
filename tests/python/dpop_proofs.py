"""DPoP proofs (RFC 9449 §4.2) built with jwcrypto, independent of the server's own code."""
import base64
import hashlib
import hmac
import json
import time
import uuid

from jwcrypto import jwk, jws
from jwcrypto.common import json_encode


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def ath(access_token):
    return b64(hashlib.sha256(access_token.encode()).digest())


def token_claims(access_token):
    payload = access_token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


class DPoPKey:
    """A key pair that signs proofs; `alg` one of ES256, EdDSA, PS256, RS256."""

    def __init__(self, alg="ES256"):
        self.alg = alg
        if alg == "ES256":
            self.key = jwk.JWK.generate(kty="EC", crv="P-256")
        elif alg == "EdDSA":
            self.key = jwk.JWK.generate(kty="OKP", crv="Ed25519")
        else:
            self.key = jwk.JWK.generate(kty="RSA", size=2048)

    @property
    def public(self):
        return json.loads(self.key.export_public())

    @property
    def thumbprint(self):
        """RFC 7638, SHA-256, base64url — computed by jwcrypto."""
        return self.key.thumbprint()

    def claims(self, method, url, access_token=None, nonce=None, iat=None, jti=None):
        claims = {"jti": jti or str(uuid.uuid4()), "htm": method, "htu": url, "iat": int(time.time()) if iat is None else iat}
        if access_token is not None:
            claims["ath"] = ath(access_token)
        if nonce is not None:
            claims["nonce"] = nonce
        return claims

    def sign(self, claims, header=None, alg=None):
        protected = {"typ": "dpop+jwt", "alg": alg or self.alg, "jwk": self.public}
        protected.update(header or {})
        signed = jws.JWS(json_encode(claims))
        signed.add_signature(self.key, alg=alg or self.alg, protected=json_encode(protected))
        return signed.serialize(compact=True)

    def proof(self, method, url, access_token=None, nonce=None, iat=None, jti=None, header=None):
        return self.sign(self.claims(method, url, access_token, nonce, iat, jti), header)


def unsigned(header, claims, signature=b""):
    """A compact JWS assembled by hand (alg none, HMAC), which JOSE libraries rightly refuse to make."""
    return ".".join([b64(json.dumps(header).encode()), b64(json.dumps(claims).encode()), b64(signature)])


def hs256(header, claims, secret):
    signing_input = b64(json.dumps(header).encode()) + "." + b64(json.dumps(claims).encode())
    return signing_input + "." + b64(hmac.new(secret, signing_input.encode(), hashlib.sha256).digest())
