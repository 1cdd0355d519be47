import Foundation
import MachineAuthCore
import OutboundHTTP
import Testing

/// Where an outbound request (a webhook delivery, a key fetch) may connect: the address it checked, or nowhere.
@Suite("Outbound target guard")
struct TargetGuardTests {
    @Test("a public literal is connected to as is", arguments: ["93.184.216.34", "[2606:4700:4700::1111]"])
    func publicLiterals(host: String) async {
        let bare = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        #expect(await TargetGuard.decide(host: host) == .connect(address: bare))
    }

    @Test("internal literals, zoned literals and names resolving inward are refused", arguments: [
        "127.0.0.1", "[::1]", "[::ffff:127.0.0.1]", "[::1%251]", "[fe80::1%25eth0]", "169.254.169.254", "localhost", "10.0.0.1",
    ])
    func refused(host: String) async {
        guard case .refuse = await TargetGuard.decide(host: host) else {
            Issue.record("\(host) was let through")
            return
        }
    }

    @Test("resolved addresses are formatted back exactly", arguments: [
        ([UInt8]([93, 184, 216, 34]), "93.184.216.34"), ([0x26, 0x06, 0x47, 0, 0x47, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x11, 0x11], "2606:4700:4700::1111"),
    ])
    func formatting(bytes: [UInt8], text: String) {
        #expect(TargetGuard.format(bytes) == text)
    }

    @Test("a name that does not resolve in time is given up at the deadline, not at the resolver's")
    func resolutionDeadline() async {
        // The operation takes 60 s: a nil answer shows the deadline won, however slow this machine is.
        let late = await Deadline.within(.milliseconds(100)) { () async -> Int in
            try? await Task.sleep(for: .seconds(60))
            return 1
        }
        #expect(late == nil)
        #expect(await Deadline.within(.seconds(5)) { 7 } == 7)
    }
}
