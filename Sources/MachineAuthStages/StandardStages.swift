import JSONStorage
import MachineAuthCore

extension StageRegistry {
    /// Every stage compiled into the `machineauth` binary. The one place stages are registered.
    public static var standard: StageRegistry {
        var registry = StageRegistry()
        registry.register(JSONStorageFactory.self)
        return registry
    }
}
