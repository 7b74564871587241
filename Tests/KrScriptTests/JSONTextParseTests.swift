import Testing
@testable import KrScript

@Suite("JSONText.parse (ConvertFrom-Json)")
struct JSONTextParseTests {
    @Test func objectsAndArrays() throws {
        let config = try JSONText.parse(#"{"name":"krsh","port":8080,"debug":true}"#)
        #expect(config == .object([("name", .string("krsh")), ("port", .int(8080)), ("debug", .bool(true))]))
        #expect(config["port"] == .int(8080))

        let nested = try JSONText.parse(#"{"items":[{"id":10},{"id":20}],"meta":{"total":2}}"#)
        guard case .array(let items)? = nested["items"] else { Issue.record("items is not an array"); return }
        #expect(items.count == 2)
        #expect(items[1]["id"] == .int(20))
        #expect(nested["meta"]?["total"] == .int(2))
    }

    /// (text, expected node)
    static let values: [(String, JSONNode)] = [
        ("1", .int(1)),
        ("-0", .int(0)),
        ("9223372036854775807", .int(.max)),
        ("-9223372036854775808", .int(.min)),
        ("9223372036854775808", .bigInt("9223372036854775808")),
        ("-123456789012345678901234567890", .bigInt("-123456789012345678901234567890")),
        ("1.5", .double(1.5)),
        ("1.0", .double(1.0)),
        ("1e5", .double(100_000)),
        ("-2.5E-3", .double(-0.0025)),
        (".5", .double(0.5)),
        ("0x1F", .int(31)),
        ("017", .int(15)),
        ("NaN", .double(.nan)),
        ("-Infinity", .double(-.infinity)),
        ("true", .bool(true)),
        ("null", .null),
        ("undefined", .null),
        (#""a\"b\\c\/d\n\u00e9\uD83D\uDE00""#, .string("a\"b\\c/d\né😀")),
        ("'single'", .string("single")),
        ("  \n\t [ 1 , 2 ]  \r\n", .array([.int(1), .int(2)])),
        ("[]", .array([])),
        ("{}", .object([])),
        ("[1,2,]", .array([.int(1), .int(2)])),
        ("[1,,2]", .array([.int(1), .null, .int(2)])),
        (#"{"a":1,}"#, .object([("a", .int(1))])),
        ("{unquoted: 1, $x_2: 'y'}", .object([("unquoted", .int(1)), ("$x_2", .string("y"))])),
        ("// comment\n{ /* inline */ \"a\": 1 }", .object([("a", .int(1))])),
        (#"{"a":1,"b":2,"a":3}"#, .object([("b", .int(2)), ("a", .int(3))])),
        (#"{"A":1,"a":2}"#, .object([("A", .int(1)), ("a", .int(2))])),
        ("", .null),
        ("   ", .null),
    ]

    @Test(arguments: values)
    func parsesValue(_ text: String, _ expected: JSONNode) throws {
        #expect(try JSONText.parse(text) == expected)
    }

    static let roundTrips = [
        #"{"x":5,"y":"two","z":[1,2]}"#,
        #"{"name":"api","port":8080,"tls":false}"#,
        #"[{"id":1},{"id":2}]"#,
        #"{"a":true,"b":null,"c":1.5,"d":1.0,"e":1E+20,"f":-7}"#,
        #"{"s":"say \"hi\" \\ bye","t":"a\nb\tc","u":"\u001f é"}"#,
        #"{"empty":[],"obj":{},"nested":{"deep":[[1],[2,[3]]]}}"#,
        #"12345678901234567890123"#,
    ]

    @Test(arguments: roundTrips)
    func compressedRoundTrip(_ text: String) throws {
        #expect(JSONText.write(try JSONText.parse(text), compress: true) == text)
    }

    @Test func indentedRoundTrip() throws {
        let text = "{\n  \"id\": 1,\n  \"tags\": [\n    \"a\",\n    \"b\"\n  ],\n  \"meta\": {}\n}"
        #expect(JSONText.write(try JSONText.parse(text)) == text)
    }

    /// (text, reason, path, line, position): Newtonsoft's messages; the position counts the characters
    /// before the offending one on its line, and the line is 0 when nothing was read yet.
    static let errors: [(String, String, String, Int, Int)] = [
        ("x", "Unexpected character encountered while parsing value: x.", "", 0, 0),
        ("  x", "Unexpected character encountered while parsing value: x.", "", 1, 2),
        (#"{"a":x}"#, "Unexpected character encountered while parsing value: x.", "a", 1, 5),
        ("[1,x]", "Unexpected character encountered while parsing value: x.", "[0]", 1, 3),
        ("{\n  \"a\": 1,\n  \"b\": ?\n}", "Unexpected character encountered while parsing value: ?.", "b", 3, 7),
        (#"{"a":[{"b":1},{"c":#}]}"#, "Unexpected character encountered while parsing value: #.", "a[1].c", 1, 19),
        (#"{"a" 1}"#, "Invalid character after parsing property name. Expected ':' but got: 1.", "a", 1, 5),
        (#"{"a":1 "b":2}"#, "After parsing a value an unexpected character was encountered: \".", "a", 1, 7),
        (#"{,}"#, "Invalid property identifier character: ,.", "", 1, 1),
        ("1 2", "Additional text encountered after finished reading JSON content: 2.", "", 1, 2),
        (#""abc"#, "Unterminated string. Expected delimiter: \".", "", 1, 4),
        (#"["a\qb"]"#, #"Bad JSON escape sequence: \q."#, "", 1, 5),
        ("[tru]", "Error parsing boolean value.", "", 1, 4),
        ("[1.2.3]", "Input string '1.2.3' is not a valid number.", "", 1, 6),
        (#"{"a":1"#, "Unexpected end when deserializing object.", "a", 1, 6),
        ("[1,2", "Unexpected end when deserializing array.", "[1]", 1, 4),
    ]

    @Test(arguments: errors)
    func reportsErrors(_ text: String, _ reason: String, _ path: String, _ line: Int, _ position: Int) {
        let error = #expect(throws: JSONTextError.self) { try JSONText.parse(text) }
        #expect(error?.reason == reason)
        #expect(error?.path == path)
        #expect(error?.line == line)
        #expect(error?.position == position)
    }

    @Test func errorMessageLayout() {
        let error = #expect(throws: JSONTextError.self) { try JSONText.parse(#"{"a":x}"#) }
        #expect(error?.message == "Unexpected character encountered while parsing value: x. Path 'a', line 1, position 5.")
    }

    @Test func maxDepth() throws {
        let deep = String(repeating: "[", count: 3) + String(repeating: "]", count: 3)
        #expect(try JSONText.parse(deep, maxDepth: 3) == .array([.array([.array([])])]))
        let error = #expect(throws: JSONTextError.self) { try JSONText.parse(deep, maxDepth: 2) }
        #expect(error?.reason == "The reader's MaxDepth of 2 has been exceeded.")
    }
}
