/// Where this binary came from. `scripts/release` writes the commit and the build time here
/// before a release build and puts the file back afterwards; other builds say so.
public enum BuildStamp {
    /// The git commit of a release build (`+dirty` when built from uncommitted changes).
    public static let commit: String? = nil
    /// When the release build was made (RFC 3339, UTC).
    public static let date: String? = nil
}
