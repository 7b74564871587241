import Testing
@testable import KrScript

@Suite("JSONText.write (ConvertTo-Json)")
struct JSONTextWriteTests {
    static let ordered = JSONNode.object([("name", .string("api")), ("port", .int(8080)), ("tls", .bool(false))])

    @Test func compressedLayouts() {
        #expect(JSONText.write(Self.ordered, compress: true) == #"{"name":"api","port":8080,"tls":false}"#)
        #expect(JSONText.write(.array([.int(1), .int(2), .int(3)]), compress: true) == "[1,2,3]")
        #expect(JSONText.write(.array([.string("a")]), compress: true) == #"["a"]"#)
        #expect(JSONText.write(.array([.object([("id", .int(1))]), .object([("id", .int(2))])]), compress: true)
            == #"[{"id":1},{"id":2}]"#)
        let deep = JSONNode.object([("a", .object([("b", .object([("c", .object([("d", .int(1))]))]))]))])
        #expect(JSONText.write(deep, compress: true) == #"{"a":{"b":{"c":{"d":1}}}}"#)
        let mixed = JSONNode.object([("a", .bool(true)), ("b", .null), ("c", .double(1.5))])
        #expect(JSONText.write(mixed, compress: true) == #"{"a":true,"b":null,"c":1.5}"#)
    }

    @Test func indentedLayout() {
        #expect(JSONText.write(.object([("name", .string("api")), ("port", .int(8080))]), compress: false) == """
            {
              "name": "api",
              "port": 8080
            }
            """)
        #expect(JSONText.write(.object([("id", .int(1)), ("tags", .array([.string("a"), .string("b")]))])) == """
            {
              "id": 1,
              "tags": [
                "a",
                "b"
              ]
            }
            """)
        #expect(JSONText.write(.object([("a", .array([])), ("b", .object([])), ("c", .object([("d", .null)]))])) == """
            {
              "a": [],
              "b": {},
              "c": {
                "d": null
              }
            }
            """)
        #expect(JSONText.write(.array([.array([.int(1)]), .int(2)])) == "[\n  [\n    1\n  ],\n  2\n]")
    }

    static let scalars: [(JSONNode, String)] = [
        (.int(1), "1"), (.int(-42), "-42"), (.string("a"), #""a""#), (.bool(true), "true"), (.null, "null"),
        (.array([]), "[]"), (.object([]), "{}"), (.bigInt("123456789012345678901234567890"), "123456789012345678901234567890"),
    ]

    @Test(arguments: scalars)
    func topLevelScalarsAreBare(_ node: JSONNode, _ expected: String) {
        #expect(JSONText.write(node, compress: false) == expected)
        #expect(JSONText.write(node, compress: true) == expected)
    }

    static let strings: [(String, String)] = [
        (#"say "hi" \ bye"#, #""say \"hi\" \\ bye""#),
        ("a\nb\tc", #""a\nb\tc""#),
        ("\r\u{08}\u{0C}", #""\r\b\f""#),
        ("\u{01}\u{1F}\u{00}", #""\u0001\u001f\u0000""#),
        ("\u{85}\u{2028}\u{2029}", #""\u0085\u2028\u2029""#),
        ("é ü 日本 😀 <>&' /\u{7F}", "\"é ü 日本 😀 <>&' /\u{7F}\""),
    ]

    @Test(arguments: strings)
    func stringEscaping(_ text: String, _ expected: String) {
        #expect(JSONText.write(.string(text), compress: true) == expected)
    }

    static let doubles: [(Double, String)] = [
        (1.5, "1.5"), (2.0, "2.0"), (0.0, "0.0"), (-0.0, "-0.0"), (-3.25, "-3.25"),
        (1e20, "1E+20"), (1.5e300, "1.5E+300"), (1e17, "1E+17"), (1e16, "10000000000000000.0"),
        (1e15, "1000000000000000.0"), (123456789012345.0, "123456789012345.0"),
        (0.1, "0.1"), (0.0001, "0.0001"), (0.00001, "1E-05"), (1.25e-7, "1.25E-07"),
        (1.0 / 3.0, "0.3333333333333333"), (0.1 + 0.2, "0.30000000000000004"),
        (Double.greatestFiniteMagnitude, "1.7976931348623157E+308"), (Double.leastNonzeroMagnitude, "5E-324"),
        (123456789012345680000.0, "1.2345678901234568E+20"),
        (.nan, #""NaN""#), (.infinity, #""Infinity""#), (-.infinity, #""-Infinity""#),
    ]

    @Test(arguments: doubles)
    func doubleFormatting(_ value: Double, _ expected: String) {
        #expect(JSONText.write(.double(value), compress: true) == expected)
    }
}
