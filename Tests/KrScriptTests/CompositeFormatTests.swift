import Testing
@testable import KrScript

/// String.Format / PowerShell `-f` expectations.
struct CompositeFormatTests {
    /// Renders string arguments verbatim and numeric ones through DotNetNumberFormat.
    static func format(_ format: String, _ args: [String]) throws -> String {
        try CompositeFormat.format(format, argumentCount: args.count) { index, spec in
            let arg = args[index]
            guard let spec else { return arg }
            if let int = Int64(arg) { return try DotNetNumberFormat.format(int, spec) }
            if let double = Double(arg) { return try DotNetNumberFormat.format(double, spec) }
            return arg
        }
    }

    static let cases: [(String, [String], String)] = [
        ("[{0,5}]", ["42"], "[   42]"),
        ("[{0,-5}]", ["42"], "[42   ]"),
        ("[{0,2}]", ["12345"], "[12345]"),
        ("{{0}} is {0}", ["x"], "{0} is x"),
        ("{{{0}}}", ["y"], "{y}"),
        ("}}{{", [], "}{"),
        ("{0:D3}", ["7"], "007"),
        ("{0,8:F2}", ["3.14159"], "    3.14"),
        ("{0,-8:F2}|", ["3.14159"], "3.14    |"),
        ("{0:#,##0.0}", ["1234.56"], "1,234.6"),
        ("{1} {0}", ["a", "b"], "b a"),
        ("{0}{0}{0}", ["ab"], "ababab"),
        ("{0 }", ["x"], "x"),
        ("{0 , 3 }", ["x"], "  x"),
        ("{0, -3:}", ["x"], "x  "),
        ("no items", ["x"], "no items"),
        ("", [], ""),
        ("{10}", Array(repeating: "z", count: 11), "z"),
        ("{0:x}", ["255"], "ff"),
        ("{0:0.00}", ["2"], "2.00"),
    ]

    @Test(arguments: Self.cases)
    func formats(format: String, args: [String], expected: String) throws {
        #expect(try Self.format(format, args) == expected)
    }

    @Test func passesFormatSpecToRenderer() throws {
        var seen: [String?] = []
        _ = try CompositeFormat.format("{0:yyyy-MM-dd} {1} {0:}", argumentCount: 2) { index, spec in
            seen.append(spec)
            return "\(index)"
        }
        #expect(seen == ["yyyy-MM-dd", nil, nil])
    }

    @Test(arguments: ["{1}", "{0} {2}"])
    func indexOutOfRange(format: String) {
        #expect(throws: DotNetFormatError.invalidCompositeFormat(DotNetFormatError.indexOutOfRange)) {
            try Self.format(format, ["a", "b"].prefix(format == "{1}" ? 1 : 2).map { $0 })
        }
    }

    @Test(arguments: ["{", "}", "{0", "{0,", "{0,-}", "{a}", "{ 0}", "{0:x{y}", "x}y", "{0,a}", "{-1}", "{0 x}"])
    func malformedThrows(format: String) {
        #expect(throws: DotNetFormatError.invalidCompositeFormat(DotNetFormatError.inputStringNotCorrect)) {
            try Self.format(format, ["a"])
        }
    }

    @Test func rendererErrorsPropagate() {
        #expect(throws: DotNetFormatError.invalidFormat("Q")) {
            try Self.format("{0:Q}", ["5"])
        }
        #expect(DotNetFormatError.invalidCompositeFormat(DotNetFormatError.indexOutOfRange).message
            == "Index (zero based) must be greater than or equal to zero and less than the size of the argument list.")
    }
}
