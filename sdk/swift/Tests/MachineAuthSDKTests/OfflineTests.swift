import Foundation
@testable import MachineAuthClient
@testable import MachineAuthHummingbird
@testable import MachineAuthVerifier
import Testing

/// The pieces that need no server: key normalization, form encoding, Retry-After, challenges,
/// the Authorization header, the environment.
@Suite struct OfflineTests {
    @Test func tokenKeysAreNormalized() {
        #expect(TokenKey(scope: ["write read"]) == TokenKey(scope: ["read", "write", "read"]))
        #expect(TokenKey(resource: ["b", "a", "a"]).resources == ["a", "b"])
        #expect(TokenKey(audience: "") == TokenKey())
        #expect(TokenKey(scope: ["read"]) != TokenKey())
        let form = TokenKey(scope: ["b a"], resource: ["https://y", "https://x"], audience: "aud").grantForm
        #expect(form.map(\.0) == ["grant_type", "scope", "resource", "resource", "audience"])
        #expect(form.map(\.1) == ["client_credentials", "a b", "https://x", "https://y", "aud"])
    }

    @Test func formsAreURLEncoded() {
        #expect(FormEncoding.encode("a b&c=d/é*~") == "a+b%26c%3Dd%2F%C3%A9*%7E")
        #expect(FormEncoding.encode([("token", "x.y_z-1"), ("hint", "access token")]) == "token=x.y_z-1&hint=access+token")
    }

    @Test func retryAfterIsReadAsSecondsOrADate() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(RetryPolicy.parseRetryAfter("7") == .seconds(7))
        let later = try #require(RetryPolicy.parseRetryAfter("Thu, 07 Jan 2027 08:00:20 GMT", now: Date(timeIntervalSince1970: 1_799_308_800)))
        #expect(later == .seconds(20))
        #expect(RetryPolicy.parseRetryAfter("soon", now: now) == nil && RetryPolicy.parseRetryAfter(nil) == nil)
        let policy = RetryPolicy.standard
        #expect(policy.delay(status: 503, retryAfter: .seconds(2), attempt: 0) == .seconds(2))
        #expect(policy.delay(status: 429, retryAfter: .seconds(31), attempt: 0) == nil)  // beyond maxDelay
        #expect(policy.delay(status: 429, retryAfter: .seconds(1), attempt: 2) == nil)  // retries used up
        #expect(policy.delay(status: 500, retryAfter: .seconds(1), attempt: 0) == nil)  // not retried
        let backoff = try #require(policy.delay(status: 503, retryAfter: nil, attempt: 1))
        #expect(backoff >= .milliseconds(500) && backoff <= .seconds(1))
        #expect(RetryPolicy.never.delay(status: 503, retryAfter: .seconds(1), attempt: 0) == nil)
    }

    @Test func challengesAreQuoted() {
        let error = TokenVerificationError(.invalidToken, #"a "quoted" \ value"#)
        #expect(error.wwwAuthenticate() == #"Bearer error="invalid_token", error_description="a \"quoted\" \\ value""#)
        #expect(BearerChallenge.render([]) == "Bearer")
        #expect(BearerChallenge.render([("realm", "line\nbreak")]) == #"Bearer realm="linebreak""#)
    }

    @Test func bearerTokensAreReadFromOneAuthorizationHeader() {
        typealias Middleware = MachineAuthMiddleware<MachineAuthContext>
        #expect(Middleware.bearerToken(["Bearer abc.def.ghi"]) == "abc.def.ghi")
        #expect(Middleware.bearerToken(["BEARER   abc "]) == "abc")
        #expect(Middleware.bearerToken(["Basic abc"]) == nil)
        #expect(Middleware.bearerToken(["Bearer"]) == nil && Middleware.bearerToken(["Bearer  "]) == nil)
        #expect(Middleware.bearerToken(["Bearer a b"]) == nil)
        #expect(Middleware.bearerToken(["Bearer a", "Bearer b"]) == nil && Middleware.bearerToken([]) == nil)
    }

    @Test func cacheControlMaxAge() {
        #expect(JWKSCache.maxAge("public, max-age=300, must-revalidate") == .seconds(300))
        #expect(JWKSCache.maxAge("no-cache") == nil && JWKSCache.maxAge(nil) == nil)
    }

    @Test func theEnvironmentNamesWhatIsMissing() throws {
        let client = try MachineAuthClient.fromEnvironment([
            "MACHINEAUTH_URL": "https://auth.example.com/", "MACHINEAUTH_CLIENT_ID": "cid_1", "MACHINEAUTH_CLIENT_SECRET": " cs_1\n",
        ])
        #expect(client.baseURL == "https://auth.example.com" && client.clientID == "cid_1")
        for missing in ["MACHINEAUTH_URL", "MACHINEAUTH_CLIENT_ID", "MACHINEAUTH_CLIENT_SECRET"] {
            var environment = ["MACHINEAUTH_URL": "u", "MACHINEAUTH_CLIENT_ID": "i", "MACHINEAUTH_CLIENT_SECRET": "s"]
            environment[missing] = ""
            let error = #expect(throws: MachineAuthError.self) { try MachineAuthClient.fromEnvironment(environment) }
            #expect(error?.error == "configuration_error" && error?.errorDescription == "\(missing) is not set")
        }
    }
}
