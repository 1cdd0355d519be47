import JSONStorage
public import MachineAuthCore

/// Helpers to load configuration text in tests.
public enum ConfigFixtures {
    /// Loads `yaml` with `registry` and a fixed environment; returns the pipeline or the error.
    public static func load(
        _ yaml: String, registry: StageRegistry, environment: [String: String] = [:], file: String = "test.yaml"
    ) -> Result<LoadedPipeline, ConfigError> {
        Result { () throws(ConfigError) -> LoadedPipeline in
            try PipelineLoader(registry: registry).load(
                ConfigSource(name: file, text: yaml, dotEnvPath: nil), environment: ConfigEnvironment(environment))
        }
    }

    /// The diagnostics of a configuration expected to fail (empty if it loaded).
    public static func problems(_ yaml: String, registry: StageRegistry, environment: [String: String] = [:]) -> [ConfigDiagnostic] {
        switch load(yaml, registry: registry, environment: environment) {
        case .success: return []
        case .failure(let error): return error.diagnostics
        }
    }

    /// A registry with the JSON storage driver (the configuration's default) and what `add`
    /// registers: a plugin's tests load configurations through their own stage only.
    public static func registry(_ add: (inout StageRegistry) -> Void = { _ in }) -> StageRegistry {
        var registry = StageRegistry()
        registry.register(JSONStorageFactory.self)
        add(&registry)
        return registry
    }
}
