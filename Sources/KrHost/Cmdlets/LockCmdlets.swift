import Foundation
import KrScript

/// Use-KrLock and Get-KrLock: named process-wide locks for grouped updates.
enum LockCmdlets {
    static var all: [CmdletInfo] {
        [
            KrCmdlet.info("Use-KrLock", "Runs a script block holding a named lock; returns its output; releases on error.", [
                ParameterMeta("Key", .string, position: 0, mandatory: true, help: "The lock's name (case-insensitive)."),
                ParameterMeta("ScriptBlock", .scriptBlock, position: 1, mandatory: true, help: "The code to run (it sees the caller's variables)."),
                ParameterMeta("TimeoutMilliseconds", .int32, help: "How long to wait for the lock (default: forever)."),
            ], examples: [CommandExample("Use-KrLock -Key stats -ScriptBlock { $Stats.Hits++; $Stats.Last = Get-Date }", "Two fields updated together.",
                                                     setup: "$Stats = @{ Hits = 0; Last = $null }")]) {
                ClosureCmdlet { inv, _ in
                    let key = inv.string("Key") ?? ""
                    guard case .scriptBlock(let sb)? = inv.value("ScriptBlock") else { throw inv.fail("Use-KrLock needs -ScriptBlock.") }
                    let timeout = try inv.int("TimeoutMilliseconds").map { Double($0) / 1000 }
                    guard let result = try LockRegistry.shared.withLock(key, timeout: timeout, {
                        try HostValues.invoke(sb, [], inv, childScope: true)
                    }) else {
                        throw inv.fail("Timed out after \(try inv.int("TimeoutMilliseconds") ?? 0) ms waiting for the lock '\(key)'.")
                    }
                    try inv.writeEnumerated(result)
                }
            },
            KrCmdlet.info("Get-KrLock", "Lists the named locks: Key, IsHeld, Acquisitions.", [
                ParameterMeta("Key", .string, position: 0, help: "A name (wildcards allowed)."),
            ], examples: [
                CommandExample("Get-KrLock -Key 'stats*'", "Whether the stats locks are held now, and how often they were taken.", setup: "Use-KrLock -Key stats -ScriptBlock { }"),
            ]) {
                ClosureCmdlet { inv, _ in
                    let pattern = inv.string("Key") ?? "*"
                    for l in LockRegistry.shared.all where !l.key.hasPrefix("\u{0}") && HostValues.wildcard(pattern, l.key) {
                        let o = PSCustomObject()
                        o.set("Key", .string(l.key))
                        o.set("IsHeld", .bool(l.isHeld))
                        o.set("Acquisitions", .int(Int32(clamping: l.acquisitions)))
                        try inv.write(.object(o))
                    }
                }
            },
        ]
    }
}
