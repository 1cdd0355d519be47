/// The version of this build, shown by `--version`, `GET /` and the start-up line.
public enum MachineAuthVersion {
    public static let current = "0.1.0"
}
