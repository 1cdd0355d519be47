// The middleware's users see the verified token and its errors without a second import.
@_exported import MachineAuthVerifier
