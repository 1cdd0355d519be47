/// The version of this build, shown by `--version`, `GET /` and the start-up line.
public enum MachineAuthVersion {
    public static let current = "0.1.0"

    /// `--version`: the version, the commit and the build date of a release build
    /// (`0.1.0 (commit 1a2b3c4d5e6f, built 2026-12-01T10:00:00Z)`), or `(development build)`.
    public static var full: String {
        guard let commit = BuildStamp.commit else { return "\(current) (development build)" }
        return "\(current) (commit \(commit), built \(BuildStamp.date ?? "unknown"))"
    }
}
