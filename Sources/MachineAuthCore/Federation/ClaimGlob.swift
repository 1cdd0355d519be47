/// The patterns of identity rules: `*` matches any run of characters (`:` and `/` too), `?` any
/// one character, everything else itself. Matching is linear in practice and bounded: a
/// pattern holds at most ``maxLength`` characters and the greedy backtracking keeps one
/// restart point (no exponential blow-up on `*a*a*a…`).
///
/// ```swift
/// ClaimGlob.matches("repo:acme/api:ref:refs/heads/main", pattern: "repo:acme/*:ref:refs/heads/main")  // true
/// ```
public enum ClaimGlob {
    /// The longest pattern accepted.
    public static let maxLength = 512

    /// Whether all of `value` matches `pattern`.
    public static func matches(_ value: String, pattern: String) -> Bool {
        let text = Array(value.unicodeScalars), glob = Array(pattern.unicodeScalars)
        var t = 0, g = 0
        var star: Int?  // position after the last `*` in glob
        var resume = 0  // where in text that `*` resumes
        while t < text.count {
            if g < glob.count, glob[g] == "*" {
                star = g + 1
                resume = t
                g += 1
            } else if g < glob.count, glob[g] == "?" || glob[g] == text[t] {
                g += 1
                t += 1
            } else if let afterStar = star {
                resume += 1
                t = resume
                g = afterStar
            } else {
                return false
            }
        }
        while g < glob.count, glob[g] == "*" { g += 1 }
        return g == glob.count
    }

    /// The characters before the first `*` or `?`: what every match starts with.
    /// Read by scalars, as ``matches(_:pattern:)`` reads: a `*` with a combining mark after it is
    /// still a wildcard.
    public static func literalPrefix(of pattern: String) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: pattern.unicodeScalars.prefix { $0 != "*" && $0 != "?" })
        return String(scalars)
    }
}
