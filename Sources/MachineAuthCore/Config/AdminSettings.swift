/// The `admin:` section: the instance owner's credentials and admin sessions.
public struct AdminSettings: Decodable, Sendable, Hashable {
    /// The built-in default password, refused in production.
    public static let defaultPassword = "changeme"

    public var email: String
    public var password: String
    public var sessionTTL: ConfigDuration
    /// Failed logins allowed per address and per e-mail within `loginWindow`.
    public var maxFailedLogins: Int
    public var loginWindow: ConfigDuration
    /// Whether `POST /api/auth/signup` may create administrators and organizations. Default false.
    public var allowSignup: Bool

    enum CodingKeys: String, CodingKey {
        case email, password
        case sessionTTL = "session_ttl", maxFailedLogins = "max_failed_logins", loginWindow = "login_window"
        case allowSignup = "allow_signup"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        email = try container.decodeIfPresent(String.self, forKey: .email) ?? "admin@example.com"
        password = try container.decodeIfPresent(String.self, forKey: .password) ?? Self.defaultPassword
        sessionTTL = try container.decodeIfPresent(ConfigDuration.self, forKey: .sessionTTL) ?? ConfigDuration(seconds: 3600)
        maxFailedLogins = try container.decodeIfPresent(Int.self, forKey: .maxFailedLogins) ?? 5
        loginWindow = try container.decodeIfPresent(ConfigDuration.self, forKey: .loginWindow) ?? ConfigDuration(seconds: 900)
        allowSignup = try container.decodeIfPresent(Bool.self, forKey: .allowSignup) ?? false
    }

    static func validate(_ settings: AdminSettings) -> [StageConfigProblem] {
        var problems: [StageConfigProblem] = []
        if !InputLimits.failureAllowance.contains(settings.maxFailedLogins) {
            problems.append(.init(keyPath: "max_failed_logins", "must be between 1 and 1000"))
        }
        if !(60...(30 * 86400)).contains(settings.sessionTTL.seconds) { problems.append(.init(keyPath: "session_ttl", "must be between 1m and 30d")) }
        if settings.loginWindow.seconds < 1 { problems.append(.init(keyPath: "login_window", "must be at least 1 second")) }
        return problems
    }

    /// Why the admin password is unsafe, or `nil` when it is acceptable.
    public var passwordWeakness: String? {
        if password == Self.defaultPassword { return "ADMIN_PASSWORD is the default \"\(Self.defaultPassword)\"" }
        if password.count < 12 { return "ADMIN_PASSWORD is shorter than 12 characters" }
        return nil
    }
}
