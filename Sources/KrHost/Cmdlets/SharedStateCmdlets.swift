import Foundation
import KrScript

/// Set/Get/Remove-KrSharedState, Update-KrSynchronizedCounter, Watch-KrSharedState.
enum SharedStateCmdlets {
    static var all: [CmdletInfo] {
        [
            KrCmdlet.info("Set-KrSharedState", "Shares a value (by reference) with every request as a variable of that name.", [
                KrCmdlet.serverParameter,
                ParameterMeta("Global", .switchParameter, help: "Stores it process-wide (survives servers) instead of on the server."),
                ParameterMeta("Name", .string, position: 0, mandatory: true, help: "The variable name: letters, digits and _."),
                ParameterMeta("Value", position: 1, mandatory: true, help: "The value; a hashtable or an object, so that writes are shared."),
                ParameterMeta("AllowsValueType", .switchParameter, help: "Accepts a value type ([int], [datetime]...), which requests get a copy of."),
                ParameterMeta("ThreadSafe", .switchParameter, help: "Makes a hashtable synchronized ([hashtable]::Synchronized)."),
                ParameterMeta("PassThru", .switchParameter, help: "Outputs the server."),
            ], examples: [CommandExample("Set-KrSharedState -Name 'Visits' -Value @{ Count = 0 }", "Every request sees $Visits, the same table.", setup: "New-KrServer -Name example | Out-Null")]) {
                ClosureCmdlet { inv, input in try set(inv) }
            },
            KrCmdlet.info("Get-KrSharedState", "Gets a shared value (the same instance requests use), or lists them with a wildcard.", [
                KrCmdlet.serverParameter,
                ParameterMeta("Global", .switchParameter, help: "Reads the process-wide store."),
                ParameterMeta("Name", .string, position: 0, help: "A name, or a wildcard pattern ('*' lists everything)."),
            ], examples: [
                CommandExample("Get-KrSharedState -Name '*'", "A table of Name, Scope, Type and Value.", setup: "New-KrServer -Name example | Out-Null\nSet-KrSharedState -Name 'Visits' -Value @{ Count = 0 }"),
                CommandExample("(Get-KrSharedState -Name Visits).Count", "The live value requests see.", setup: "New-KrServer -Name example | Out-Null\nSet-KrSharedState -Name 'Visits' -Value @{ Count = 0 }"),
            ]) {
                ClosureCmdlet { inv, _ in try get(inv) }
            },
            KrCmdlet.info("Remove-KrSharedState", "Removes a shared value; new requests no longer see it. Returns $true when it existed.", [
                KrCmdlet.serverParameter,
                ParameterMeta("Global", .switchParameter, help: "Removes from the process-wide store."),
                ParameterMeta("Name", .string, position: 0, mandatory: true, help: "The name."),
            ], examples: [
                CommandExample("Remove-KrSharedState -Name Visits", "$true: new requests no longer see $Visits.", setup: "New-KrServer -Name example | Out-Null\nSet-KrSharedState -Name 'Visits' -Value @{ Count = 0 }"),
            ]) {
                ClosureCmdlet { inv, _ in
                    let name = inv.string("Name") ?? ""
                    let store = inv.switchOn("Global") ? SharedStateStore.global : (try? KrCmdlet.host(inv))?.sharedState
                    try inv.write(.bool(store?.remove(name) ?? false))
                }
            },
            KrCmdlet.info("Update-KrSynchronizedCounter", "Atomically adds to a counter in a shared table and returns the new value.", [
                ParameterMeta("Table", position: 0, mandatory: true, help: "A hashtable, ordered dictionary or ConcurrentDictionary."),
                ParameterMeta("Key", .string, position: 1, mandatory: true, help: "The counter's key (a missing key starts at 0)."),
                ParameterMeta("By", .int64, position: 2, help: "How much to add (default 1)."),
            ], examples: [CommandExample("Update-KrSynchronizedCounter -Table $Visits -Key Count -By 1", "Safe under load, unlike $Visits.Count++.",
                                        setup: "New-KrServer -Name example | Out-Null\nSet-KrSharedState -Name 'Visits' -Value @{ Count = 0 }")]) {
                ClosureCmdlet { inv, _ in
                    do {
                        try inv.write(try SharedStateStore.increment(inv.value("Table") ?? .null, key: inv.string("Key") ?? "",
                                                                     by: try inv.int("By").map(Int64.init) ?? 1))
                    } catch let e as SharedStateStore.CounterError {
                        throw inv.fail(e.description)
                    }
                }
            },
            KrCmdlet.info("Watch-KrSharedState", "Redraws a shared value every interval until Ctrl-C (for demos).", [
                KrCmdlet.serverParameter,
                ParameterMeta("Name", .string, position: 0, mandatory: true, help: "The name to watch."),
                ParameterMeta("Interval", .double, help: "Seconds between redraws (default 1)."),
                ParameterMeta("Count", .int32, help: "Stops after this many redraws (default: until Ctrl-C)."),
                ParameterMeta("Global", .switchParameter, help: "Watches the process-wide store."),
            ], examples: [
                CommandExample("Watch-KrSharedState -Name Visits -Interval 0.5 -Count 3", "Shows $Visits three times, half a second apart (without -Count: until Ctrl-C).",
                               setup: "New-KrServer -Name example | Out-Null\nSet-KrSharedState -Name 'Visits' -Value @{ Count = 0 }"),
            ]) {
                ClosureCmdlet { inv, _ in try watch(inv) }
            },
        ]
    }

    static func set(_ inv: Invocation) throws {
        let name = inv.string("Name") ?? ""
        guard SharedStateStore.isValidName(name) else {
            throw inv.fail("'\(name)' is not a valid shared-state name: use letters, digits and _ (not starting with a digit).")
        }
        var value = inv.value("Value") ?? .null
        if SharedStateStore.isValueType(value) && !inv.switchOn("AllowsValueType") {
            throw inv.fail("The value of '\(name)' is a value type ([\(HostValues.typeName(value))]): requests would get copies. Wrap it (@{ Value = ... }) or pass -AllowsValueType.")
        }
        if inv.switchOn("ThreadSafe"), case .hashtable(let h) = value, !h.ordered {
            h.synchronized = true
            value = .hashtable(h)
        }
        let host = inv.switchOn("Global") ? nil : try KrCmdlet.host(inv)
        let store = host?.sharedState ?? SharedStateStore.global
        if store.set(name, value) {
            (host?.logger ?? KrLogRegistry.shared.defaultLogger).log(.information, "Shared state '\(name)' was replaced.")
        }
        // The operator at the prompt sees the same instance as a variable too.
        inv.context.defineGlobal(name, value)
        if let host { try KrCmdlet.passThru(inv, host) }
    }

    static func get(_ inv: Invocation) throws {
        let pattern = inv.string("Name") ?? "*"
        let global = inv.switchOn("Global")
        let host = global ? nil : (try? KrCmdlet.host(inv))
        var rows: [(String, String, Value)] = []
        if let host {
            rows += host.sharedState.snapshot.map { ($0.name, "Host", $0.value) }
            rows += host.implicitVariables.map { ($0.0, "Implicit", $0.1) }
        }
        if global || host == nil || HostValues.isWildcard(pattern) {
            rows += SharedStateStore.global.snapshot.map { ($0.name, "Global", $0.value) }
        } else if !rows.contains(where: { $0.0.caseInsensitiveCompare(pattern) == .orderedSame }) {
            rows += SharedStateStore.global.snapshot.map { ($0.name, "Global", $0.value) }
        }
        if !HostValues.isWildcard(pattern) {
            try inv.write(rows.first { $0.0.caseInsensitiveCompare(pattern) == .orderedSame }?.2 ?? .null)
            return
        }
        for (n, scope, v) in rows where HostValues.wildcard(pattern, n) {
            try inv.write(.object(SharedStateInfo(name: n, scope: scope, value: v)))
        }
    }

    static func watch(_ inv: Invocation) throws {
        let name = inv.string("Name") ?? ""
        let interval = max(0.05, try inv.double("Interval") ?? 1)
        let limit = try inv.int("Count")
        let store = inv.switchOn("Global") ? SharedStateStore.global : try KrCmdlet.host(inv).sharedState
        let terminal = isatty(STDOUT_FILENO) == 1
        var n = 0
        var lastLines = 0
        while limit.map({ n < $0 }) ?? true {
            let value = store.get(name) ?? .null
            let stamp = ISO8601DateFormatter().string(from: Date())
            var text = "\(name) at \(stamp)\n" + HostValues.render([value])
            if !text.hasSuffix("\n") { text += "\n" }
            if terminal && lastLines > 0 { inv.context.writeHostLine("\u{1B}[\(lastLines)A\u{1B}[J", newline: false) }
            inv.context.writeHostLine(text, newline: false)
            inv.context.flushOutput()
            lastLines = text.filter { $0 == "\n" }.count
            n += 1
            if limit.map({ n >= $0 }) ?? false { break }
            var waited = 0.0
            while waited < interval {
                try inv.context.checkInterrupted()
                Thread.sleep(forTimeInterval: min(0.05, interval - waited))
                waited += 0.05
            }
        }
    }
}

/// A row of `Get-KrSharedState -Name '*'`.
final class SharedStateInfo: PSObject, @unchecked Sendable {
    let name: String
    let scope: String
    let value: Value
    init(name: String, scope: String, value: Value) { self.name = name; self.scope = scope; self.value = value }
    static let type = DotNetTypeName.make("Kestrun.SharedState.SharedStateEntry")
    override var dotNetType: DotNetType { SharedStateInfo.type }
    override var propertyNames: [String] { ["Name", "Scope", "Type", "Value"] }
    override func getProperty(_ n: String) -> Value? {
        switch n.lowercased() {
        case "name": return .string(name)
        case "scope": return .string(scope)
        case "type": return .string(HostValues.typeName(value))
        case "value": return .string(HostValues.shortText(value, limit: 40))
        case "instance": return value
        default: return nil
        }
    }
}
