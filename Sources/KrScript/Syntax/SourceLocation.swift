/// A position in a named source text. Every AST node and every runtime error carries one.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public let file: SourceFile
    /// 1-based line and column (columns count Unicode scalars).
    public let line: Int
    public let column: Int

    public init(file: SourceFile, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file.name):\(line):\(column)" }

    /// The text of the line this location points into (for the caret display).
    public var sourceLine: String { file.line(line) }
}

/// A source text with its name (`<command>`, `<stdin>`, a path).
public final class SourceFile: Sendable, Hashable {
    public let name: String
    public let text: String
    private let lines: [String]

    public init(name: String, text: String) {
        self.name = name
        self.text = text
        self.lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map {
            var line = String.UnicodeScalarView($0)
            if line.last == "\r" { line.removeLast() }
            return String(line)
        }
    }

    public func line(_ n: Int) -> String { n >= 1 && n <= lines.count ? lines[n - 1] : "" }

    public static func == (a: SourceFile, b: SourceFile) -> Bool { a === b }
    public func hash(into h: inout Hasher) { h.combine(ObjectIdentifier(self)) }
}

/// A syntax error. `incomplete` is set when more input could complete the text (the REPL asks for
/// another line instead of reporting it).
public struct ParseError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public let location: SourceLocation
    public let incomplete: Bool

    public var description: String { "\(location): error: \(message)" }
}
