/// run.py's two regular expressions, matched by hand on code points so that they behave as Python's
/// `re` does on str (`\d` is any decimal digit, `.` anything but a newline).
enum ErrorLine {
    struct Match {
        let file: String
        let line: Int
        let column: Int
        let message: String
    }

    /// `re.search(r'^(?P<file>.*?):(?P<line>\d+):(?P<col>\d+): error: (?P<msg>.*)$', text, re.M)`:
    /// the first line that holds such an error; the file part is as short as possible.
    static func first(in text: String) -> Match? {
        for line in PythonText.splitLines(text) {
            let scalars = PythonText.scalars(line)
            for colon in scalars.indices where scalars[colon] == ":" {
                if let match = match(scalars, fileEnd: colon) { return match }
            }
        }
        return nil
    }

    /// `re.match(r'^line=(\d+)\s*(.*)$', spec)`: the line number and the text after it.
    static func parseSpec(_ spec: String) -> (line: Int, text: String)? {
        let scalars = PythonText.scalars(spec)
        let key = PythonText.scalars("line=")
        guard scalars.starts(with: key) else { return nil }
        guard let (line, afterDigits) = number(scalars, from: key.count) else { return nil }
        var index = afterDigits
        while index < scalars.count && PythonText.isSpace(scalars[index]) { index += 1 }
        return (line, PythonText.string(scalars[index...]))
    }

    /// Tries `:(\d+):(\d+): error: (.*)` right at `fileEnd`.
    private static func match(_ scalars: [Unicode.Scalar], fileEnd: Int) -> Match? {
        guard let (line, afterLine) = number(scalars, from: fileEnd + 1),
              afterLine < scalars.count, scalars[afterLine] == ":",
              let (column, afterColumn) = number(scalars, from: afterLine + 1) else { return nil }
        let marker = PythonText.scalars(": error: ")
        guard scalars[afterColumn...].starts(with: marker) else { return nil }
        return Match(
            file: PythonText.string(scalars[..<fileEnd]),
            line: line,
            column: column,
            message: PythonText.string(scalars[(afterColumn + marker.count)...])
        )
    }

    /// `\d+` at `start` (at least one digit) and its value, as Python's `int()` reads any decimal digit.
    private static func number(_ scalars: [Unicode.Scalar], from start: Int) -> (Int, Int)? {
        var index = start, value = 0
        while index < scalars.count, scalars[index].properties.numericType == .decimal,
              let digit = scalars[index].properties.numericValue {
            value = value &* 10 &+ Int(digit)
            index += 1
        }
        return index > start ? (value, index) : nil
    }
}
