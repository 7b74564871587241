import Foundation

/// PowerShell's default display of pipeline output (Out-Default) as it prints to a redirected
/// stream: scalars one per line, dictionaries as Name/Value tables, objects as tables (up to four
/// properties) or lists. Consecutive objects of one shape share a table, so rows are held until the
/// shape changes or the output is flushed.
final class OutputFormatter {
    private let emit: (String) -> Void
    private var pendingShape: [String]?
    private var pendingRows: [[Value]] = []
    private var pendingIsDictionary = false

    init(emit: @escaping (String) -> Void) {
        self.emit = emit
    }

    func write(_ v: Value, _ c: ExecutionContext?) {
        switch v {
        case .hashtable(let h):
            let shape = ["Name", "Value"]
            if pendingShape != shape || !pendingIsDictionary { flush(c) }
            pendingShape = shape
            pendingIsDictionary = true
            for (k, val) in h.entries { pendingRows.append([k, val]) }
        case .object(let o as FormattedText):
            flush(c)
            emit(o.text)
        case .object(let o) where !(o is ExceptionObject) && !o.propertyNames.isEmpty && !(o is EnumValue) && !(o is SwitchValue):
            let names = o.propertyNames
            if names.count >= 5 {
                flush(c)
                emit(Tables.list([o], c))
                return
            }
            if pendingShape != names || pendingIsDictionary { flush(c) }
            pendingShape = names
            pendingIsDictionary = false
            pendingRows.append(names.map { o.getProperty($0) ?? .null })
        default:
            flush(c)
            if case .null = v { return }
            emit(Conversions.toString(v, c) + "\n")
        }
    }

    func flush(_ c: ExecutionContext?) {
        guard let shape = pendingShape else { return }
        let rows = pendingRows
        pendingShape = nil
        pendingRows = []
        if pendingIsDictionary {
            emit(Tables.dictionaryTable(rows, c))
        } else {
            emit(Tables.table(headers: shape, rows: rows, c))
        }
    }
}

/// A block of already formatted text (Format-Table, Format-List output).
final class FormattedText: PSObject, @unchecked Sendable {
    let text: String
    init(_ t: String) { text = t }
    static let type = DotNetType("Microsoft.PowerShell.Commands.Internal.Format.FormatEntryData", kind: .other, base: .object)
    override var dotNetType: DotNetType { FormattedText.type }
    override func toDisplayString(_ ctx: ExecutionContext?) -> String { text }
}

/// Table and list layouts.
enum Tables {
    static func cell(_ v: Value, _ c: ExecutionContext?) -> String {
        switch v {
        case .array(let a):
            let shown = a.items.prefix(4).map { Conversions.toString($0, c) }
            return "{" + shown.joined(separator: ", ") + (a.items.count > 4 ? "…" : "") + "}"
        case .hashtable: return "{" + (Operators.elements(v) ?? []).map { Conversions.toString($0, c) }.joined(separator: ", ") + "}"
        default:
            return Conversions.toString(v, c).replacingOccurrences(of: "\n", with: " ")
        }
    }

    static func isNumeric(_ v: Value) -> Bool {
        switch v {
        case .int, .long, .double, .decimal: return true
        default: return false
        }
    }

    /// The Name/Value table of a dictionary: the name column is 30 wide.
    static func dictionaryTable(_ rows: [[Value]], _ c: ExecutionContext?) -> String {
        var out = "\n" + "Name".padding(toLength: 31, withPad: " ", startingAt: 0) + "Value\n"
        out += "----".padding(toLength: 31, withPad: " ", startingAt: 0) + "-----\n"
        for r in rows {
            var name = cell(r[0], c)
            if name.count > 30 { name = String(name.prefix(29)) + "…" }
            let line = name.padding(toLength: 31, withPad: " ", startingAt: 0) + cell(r[1], c)
            out += trimRight(line) + "\n"
        }
        return out + "\n"
    }

    /// An auto-sized table: each column as wide as its widest cell, numbers right-aligned.
    static func table(headers: [String], rows: [[Value]], _ c: ExecutionContext?) -> String {
        let cells = rows.map { $0.map { cell($0, c) } }
        var widths = headers.map(\.count)
        var rightAlign = headers.map { _ in true }
        for (r, row) in cells.enumerated() {
            for (i, s) in row.enumerated() {
                widths[i] = max(widths[i], s.count)
                if !isNumeric(rows[r][i]) { rightAlign[i] = false }
            }
        }
        if rows.isEmpty { rightAlign = headers.map { _ in false } }
        func line(_ parts: [String]) -> String {
            var s = ""
            for (i, p) in parts.enumerated() {
                if i > 0 { s += " " }
                let pad = String(repeating: " ", count: max(0, widths[i] - p.count))
                s += rightAlign[i] ? pad + p : p + pad
            }
            return trimRight(s) + "\n"
        }
        var out = "\n" + line(headers) + line(headers.map { String(repeating: "-", count: $0.count) })
        for row in cells { out += line(row) }
        return out + "\n"
    }

    static func list(_ objects: [PSObject], _ c: ExecutionContext?) -> String {
        var out = "\n"
        for (i, o) in objects.enumerated() {
            if i > 0 { out += "\n" }
            let names = o.propertyNames
            let w = names.map(\.count).max() ?? 0
            for n in names {
                out += trimRight(n.padding(toLength: w, withPad: " ", startingAt: 0) + " : " + cell(o.getProperty(n) ?? .null, c)) + "\n"
            }
        }
        return out + "\n"
    }

    static func list(values: [Value], _ c: ExecutionContext?) -> String {
        var objs: [PSObject] = []
        for v in values {
            switch v {
            case .object(let o): objs.append(o)
            case .hashtable(let h):
                let o = PSCustomObject()
                for (k, val) in h.entries { o.set(Conversions.toString(k, c), val) }
                objs.append(o)
            default:
                let o = PSCustomObject()
                o.set("Value", v)
                objs.append(o)
            }
        }
        return list(objs, c)
    }

    static func trimRight(_ s: String) -> String {
        var t = Substring(s)
        while t.last == " " { t = t.dropLast() }
        return String(t)
    }

    /// Out-String: the text the default formatter would print for these values.
    static func render(_ values: [Value], _ c: ExecutionContext?) -> String {
        var text = ""
        let f = OutputFormatter { text += $0 }
        for v in values { f.write(v, c) }
        f.flush(c)
        return text
    }
}
