// A resource server that verifies tokens also reads their claims (`JSONValue`), catches
// `MachineAuthError` and may introspect with a `MachineAuthClient`: one import brings all of it.
@_exported import MachineAuthClient
