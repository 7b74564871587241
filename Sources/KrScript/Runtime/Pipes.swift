/// Where a statement's output goes. Subclasses: collect into a list, discard, feed the next command
/// of a pipeline, or print (the shell's top level).
class OutputPipe: @unchecked Sendable {
    func write(_ v: Value) throws {}

    /// Writes a value the way an expression statement does: arrays and enumerable objects are unrolled
    /// one level.
    final func writeEnumerated(_ v: Value) throws {
        switch v {
        case .array(let a):
            for item in a.items { try write(item) }
        case .object(let o):
            if let items = o.enumerated {
                for item in items { try write(item) }
            } else {
                try write(v)
            }
        default:
            try write(v)
        }
    }
}

final class CollectingPipe: OutputPipe, @unchecked Sendable {
    // Most statements used as values write one item: it is kept inline, and an array is made only
    // for a second one.
    @exclusivity(unchecked) private var first: Value = .null
    @exclusivity(unchecked) private var all: [Value] = []
    @exclusivity(unchecked) private(set) var count = 0

    override func write(_ v: Value) throws {
        switch count {
        case 0: first = v
        case 1: all = [first, v]
        default: all.append(v)
        }
        count += 1
    }

    func clear() {
        first = .null
        all = []
        count = 0
    }

    var items: [Value] {
        switch count {
        case 0: return []
        case 1: return [first]
        default: return all
        }
    }

    /// The value of collected output: nothing is $null, one item is itself, more is an array.
    var result: Value {
        switch count {
        case 0: return .null
        case 1: return first
        default: return .array(PSArray(all))
        }
    }
}

final class NullPipe: OutputPipe, @unchecked Sendable {
    static let shared = NullPipe()
}

/// Forwards to a closure (used by cmdlets that process their input as it arrives).
final class ClosurePipe: OutputPipe, @unchecked Sendable {
    let body: (Value) throws -> Void
    init(_ body: @escaping (Value) throws -> Void) { self.body = body }
    override func write(_ v: Value) throws { try body(v) }
}
