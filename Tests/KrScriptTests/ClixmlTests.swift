import Foundation
import Testing
@testable import KrScript

// MARK: - Helpers

private let objsHeader = #"<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">"#

/// A document holding one element line (indented as a top-level object).
private func objsDoc(_ element: String) -> String { objsHeader + "\n  " + element + "\n</Objs>" }

private func dateValue(_ y: Int, _ mo: Int, _ d: Int, _ h: Int = 0, _ mi: Int = 0, _ s: Int = 0,
                ticks: Int64 = 0, kind: DotNetDateTime.Kind = .unspecified) -> Value {
    let base = try! DotNetDateTime(year: y, month: mo, day: d, hour: h, minute: mi, second: s, kind: kind)
    return .dateTime(DotNetDateTime(uncheckedTicks: base.ticks + ticks, kind: kind))
}

private func makeTable(_ pairs: [(String, Value)], ordered: Bool = false) -> PSHashtable {
    let h = PSHashtable(ordered: ordered)
    for (k, v) in pairs { h.set(.string(k), v) }
    return h
}

private func makeBag(_ pairs: [(String, Value)]) -> PSCustomObject {
    let o = PSCustomObject()
    for (k, v) in pairs { o.set(k, v) }
    return o
}

private func makeScriptBlock(_ text: String) -> ScriptBlock {
    ScriptBlock(try! Parser.parseScript(SourceFile(name: "<test>", text: text)))
}

/// A canonical description of a value: exact scalar kinds, ordering, hashtable flavour, and object
/// identity (a repeated reference prints as `@n`), so two values clixmlShape alike exactly when they
/// have the same shape, contents and sharing.
private func clixmlShape(_ v: Value) -> String {
    var ids: [ObjectIdentifier: Int] = [:]
    func label(_ o: AnyObject) -> (String, Bool) {
        if let n = ids[ObjectIdentifier(o)] { return ("@\(n)", true) }
        let n = ids.count
        ids[ObjectIdentifier(o)] = n
        return ("#\(n)", false)
    }
    func d(_ v: Value) -> String {
        switch v {
        case .null: return "null"
        case .bool(let b): return "bool(\(b))"
        case .int(let i): return "int(\(i))"
        case .long(let l): return "long(\(l))"
        case .double(let x): return x.isNaN ? "double(NaN)" : "double(\(x)/\(x.bitPattern))"
        case .decimal(let x): return "decimal(\(x))"
        case .char(let c): return "char(\(c))"
        case .string(let s): return "string(\(s.debugDescription))"
        case .dateTime(let t): return "datetime(\(t.ticks),\(t.kind))"
        case .timeSpan(let t): return "timespan(\(t.ticks))"
        case .scriptBlock(let sb): return "scriptblock(\(sb.text))"
        case .type(let t): return "type(\(t.fullName))"
        case .array(let a):
            let (l, seen) = label(a)
            if seen { return l }
            return l + " array<\(a.elementType?.fullName ?? "object")>[" + a.items.map(d).joined(separator: ", ") + "]"
        case .hashtable(let h):
            let (l, seen) = label(h)
            if seen { return l }
            return l + (h.ordered ? " ordered{" : " hashtable{") + h.entries.map { d($0.key) + ": " + d($0.value) }.joined(separator: ", ") + "}"
        case .object(let o):
            if let g = o as? TypeRegistry.GuidObject { return "guid(\(g.text))" }
            let (l, seen) = label(o)
            if seen { return l }
            if let p = o as? PSCustomObject {
                return l + " pso{" + p.properties.map { $0.0 + ": " + d($0.1) }.joined(separator: ", ") + "}"
            }
            return l + " \(o.dotNetType.fullName)(\(o.toDisplayString(nil)))"
        }
    }
    return d(v)
}

private func reread(_ v: Value, depth: Int = 1) throws -> Value {
    try Clixml.deserialize(Clixml.serialize(v, depth: depth))
}

private func expectClixmlError(_ xml: String, _ fragment: String, line: Int? = nil,
                         sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    do {
        let v = try Clixml.deserialize(xml)
        Issue.record("expected an error containing \(fragment.debugDescription), got \(clixmlShape(v))", sourceLocation: sourceLocation)
    } catch let e as ClixmlError {
        #expect(e.description.contains(fragment), "\(e.description)", sourceLocation: sourceLocation)
        if let line { #expect(e.line == line, "\(e.description)", sourceLocation: sourceLocation) }
    } catch {
        Issue.record("unexpected error type \(error)", sourceLocation: sourceLocation)
    }
}

struct ClixmlWriteCase: Sendable, CustomTestStringConvertible {
    let value: Value
    let xml: String
    let label: String
    init(_ value: Value, _ xml: String, _ label: String? = nil) {
        self.value = value
        self.xml = xml
        self.label = label ?? xml
    }
    var testDescription: String { label }
}

struct ClixmlReadCase: Sendable, CustomTestStringConvertible {
    let xml: String
    let expected: String
    let label: String
    var testDescription: String { label }
}

struct ClixmlErrorCase: Sendable, CustomTestStringConvertible {
    let xml: String
    let fragment: String
    let line: Int?
    init(_ xml: String, _ fragment: String, line: Int? = nil) {
        self.xml = xml
        self.fragment = fragment
        self.line = line
    }
    var testDescription: String { fragment }
}

// MARK: - Writing

@Suite("Clixml.serialize")
struct ClixmlWriteTests {
    static let primitives: [ClixmlWriteCase] = [
        ClixmlWriteCase(.null, "<Nil />"),
        ClixmlWriteCase(.bool(true), "<B>true</B>"),
        ClixmlWriteCase(.bool(false), "<B>false</B>"),
        ClixmlWriteCase(.int(-42), "<I32>-42</I32>"),
        ClixmlWriteCase(.int(Int32.max), "<I32>2147483647</I32>"),
        ClixmlWriteCase(.long(Int64.min), "<I64>-9223372036854775808</I64>"),
        ClixmlWriteCase(.double(1.5), "<Db>1.5</Db>"),
        ClixmlWriteCase(.double(1e20), "<Db>1E+20</Db>"),
        ClixmlWriteCase(.double(1e-5), "<Db>1E-05</Db>"),
        ClixmlWriteCase(.double(0.1 + 0.2), "<Db>0.30000000000000004</Db>"),
        ClixmlWriteCase(.double(123456789012345), "<Db>123456789012345</Db>"),
        ClixmlWriteCase(.double(-0.0), "<Db>-0</Db>"),
        ClixmlWriteCase(.double(.nan), "<Db>NaN</Db>"),
        ClixmlWriteCase(.double(.infinity), "<Db>INF</Db>"),
        ClixmlWriteCase(.double(-.infinity), "<Db>-INF</Db>"),
        ClixmlWriteCase(.decimal(1.5), "<D>1.5</D>"),
        ClixmlWriteCase(.decimal(-12), "<D>-12</D>"),
        ClixmlWriteCase(.decimal(1e20), "<D>100000000000000000000</D>"),
        ClixmlWriteCase(.decimal(0.0000001), "<D>0.0000001</D>"),
        ClixmlWriteCase(.decimal(Clixml.decimalLimit), "<D>79228162514264337593543950335</D>", "Decimal.MaxValue"),
        ClixmlWriteCase(.decimal(1e30), "<Db>1E+30</Db>", "no decimal: written as a double"),
        ClixmlWriteCase(.char(65), "<C>65</C>"),
        ClixmlWriteCase(.char(0x20AC), "<C>8364</C>"),
        ClixmlWriteCase(.string(""), "<S></S>"),
        ClixmlWriteCase(.string("plain text"), "<S>plain text</S>"),
        ClixmlWriteCase(.string("a<b>&c \"q\" 'a'"), "<S>a&lt;b&gt;&amp;c \"q\" 'a'</S>"),
        ClixmlWriteCase(.string("tab\tlf\ncr\r"), "<S>tab_x0009_lf_x000A_cr_x000D_</S>"),
        ClixmlWriteCase(.string("\u{0}\u{1F}\u{7F}\u{85}\u{9F}\u{A0}"), "<S>_x0000__x001F__x007F__x0085__x009F_\u{A0}</S>"),
        ClixmlWriteCase(.string("_x0041_ _X12 x_x snake_case _"), "<S>_x005F_x0041_ _x005F_X12 x_x005F_x snake_case _</S>"),
        ClixmlWriteCase(.string("caf\u{E9} \u{4E2D}\u{6587}"), "<S>caf\u{E9} \u{4E2D}\u{6587}</S>"),
        ClixmlWriteCase(.string("\u{1F600}"), "<S>_xD83D__xDE00_</S>", "surrogate pair"),
        ClixmlWriteCase(.string("\u{FFFE}"), "<S>_xFFFE_</S>"),
        ClixmlWriteCase(dateValue(2024, 3, 15, 10, 30), "<DT>2024-03-15T10:30:00</DT>"),
        ClixmlWriteCase(dateValue(2024, 3, 15, 10, 30, kind: .utc), "<DT>2024-03-15T10:30:00Z</DT>"),
        ClixmlWriteCase(dateValue(2024, 3, 15, 10, 30, 5, ticks: 1_234_567, kind: .utc), "<DT>2024-03-15T10:30:05.1234567Z</DT>"),
        ClixmlWriteCase(dateValue(1, 1, 1, ticks: 5_000_000), "<DT>0001-01-01T00:00:00.5</DT>"),
        ClixmlWriteCase(dateValue(9999, 12, 31, 23, 59, 59, ticks: 9_999_999), "<DT>9999-12-31T23:59:59.9999999</DT>"),
        ClixmlWriteCase(.timeSpan(.zero), "<TS>PT0S</TS>"),
        ClixmlWriteCase(.timeSpan(DotNetTimeSpan(ticks: 54_000_000_000)), "<TS>PT1H30M</TS>"),
        ClixmlWriteCase(.timeSpan(DotNetTimeSpan(ticks: 864_000_000_000)), "<TS>P1D</TS>"),
        ClixmlWriteCase(.timeSpan(try! DotNetTimeSpan(days: 1, hours: 2, minutes: 3, seconds: 4, milliseconds: 500)), "<TS>P1DT2H3M4.5S</TS>"),
        ClixmlWriteCase(.timeSpan(DotNetTimeSpan(ticks: -1)), "<TS>-PT0.0000001S</TS>"),
        ClixmlWriteCase(.timeSpan(DotNetTimeSpan(ticks: 990)), "<TS>PT0.000099S</TS>"),
        ClixmlWriteCase(.timeSpan(.maxValue), "<TS>P10675199DT2H48M5.4775807S</TS>"),
        ClixmlWriteCase(.timeSpan(.minValue), "<TS>-P10675199DT2H48M5.4775808S</TS>"),
        ClixmlWriteCase(.object(TypeRegistry.GuidObject("ea58451b-8a0d-4210-9074-50b25431f7a1")), "<G>ea58451b-8a0d-4210-9074-50b25431f7a1</G>"),
        ClixmlWriteCase(.scriptBlock(makeScriptBlock("if ($a -lt 1) { 'x' }")), "<SBK>if ($a -lt 1) { 'x' }</SBK>", "script block"),
        ClixmlWriteCase(.type(.int32), "<S>System.Int32</S>", "type literal as its name"),
    ]

    @Test(arguments: primitives)
    func primitive(_ c: ClixmlWriteCase) {
        #expect(Clixml.serialize(c.value) == objsDoc(c.xml))
    }

    @Test func hashtable() {
        let expected = """
        <Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">
          <Obj RefId="0">
            <TN RefId="0">
              <T>System.Collections.Hashtable</T>
              <T>System.Object</T>
            </TN>
            <DCT>
              <En>
                <S N="Key">a</S>
                <I32 N="Value">1</I32>
              </En>
              <En>
                <S N="Key">b</S>
                <Nil N="Value" />
              </En>
            </DCT>
          </Obj>
        </Objs>
        """
        #expect(Clixml.serialize(.hashtable(makeTable([("a", .int(1)), ("b", .null)]))) == expected)
    }

    @Test func orderedArrayAndCustomObject() {
        let value = Value.hashtable(makeTable([
            ("list", .array(PSArray([.int(1), .string("two")]))),
            ("obj", .object(makeBag([("Name", .string("web")), ("Port", .int(8080))]))),
            ("none", .array(PSArray([]))),
        ], ordered: true))
        let expected = """
        <Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">
          <Obj RefId="0">
            <TN RefId="0">
              <T>System.Collections.Specialized.OrderedDictionary</T>
              <T>System.Object</T>
            </TN>
            <DCT>
              <En>
                <S N="Key">list</S>
                <Obj N="Value" RefId="1">
                  <TN RefId="1">
                    <T>System.Object[]</T>
                    <T>System.Array</T>
                    <T>System.Object</T>
                  </TN>
                  <LST>
                    <I32>1</I32>
                    <S>two</S>
                  </LST>
                </Obj>
              </En>
              <En>
                <S N="Key">obj</S>
                <Obj N="Value" RefId="2">
                  <TN RefId="2">
                    <T>System.Management.Automation.PSCustomObject</T>
                    <T>System.Object</T>
                  </TN>
                  <MS>
                    <S N="Name">web</S>
                    <I32 N="Port">8080</I32>
                  </MS>
                </Obj>
              </En>
              <En>
                <S N="Key">none</S>
                <Obj N="Value" RefId="3">
                  <TNRef RefId="1" />
                  <LST />
                </Obj>
              </En>
            </DCT>
          </Obj>
        </Objs>
        """
        #expect(Clixml.serialize(value) == expected)
    }

    @Test func repeatedReferencesAndTypeNames() {
        let shared = makeTable([("k", .string("v"))])
        let other = makeTable([])
        let value = Value.array(PSArray([.hashtable(shared), .hashtable(other), .hashtable(shared)], elementType: .hashtable))
        let expected = """
        <Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">
          <Obj RefId="0">
            <TN RefId="0">
              <T>System.Collections.Hashtable[]</T>
              <T>System.Array</T>
              <T>System.Object</T>
            </TN>
            <LST>
              <Obj RefId="1">
                <TN RefId="1">
                  <T>System.Collections.Hashtable</T>
                  <T>System.Object</T>
                </TN>
                <DCT>
                  <En>
                    <S N="Key">k</S>
                    <S N="Value">v</S>
                  </En>
                </DCT>
              </Obj>
              <Obj RefId="2">
                <TNRef RefId="1" />
                <DCT />
              </Obj>
              <Ref RefId="1" />
            </LST>
          </Obj>
        </Objs>
        """
        #expect(Clixml.serialize(value) == expected)
    }

    @Test func propertyNamesAreEncoded() {
        let value = Value.object(makeBag([("a b", .int(1)), ("x_x1", .int(2)), ("q\"<", .int(3))]))
        let xml = Clixml.serialize(value)
        #expect(xml.contains(#"<I32 N="a b">1</I32>"#))
        #expect(xml.contains(#"<I32 N="x_x005F_x1">2</I32>"#))
        #expect(xml.contains(#"<I32 N="q&quot;&lt;">3</I32>"#))
    }

    @Test func enumValue() {
        let day = Value.object(EnumValue(type: DateMembers.dayOfWeekType, name: "Friday", raw: 5))
        let expected = """
        <Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">
          <Obj RefId="0">
            <TN RefId="0">
              <T>System.DayOfWeek</T>
              <T>System.Enum</T>
              <T>System.ValueType</T>
              <T>System.Object</T>
            </TN>
            <ToString>Friday</ToString>
            <I32>5</I32>
          </Obj>
        </Objs>
        """
        #expect(Clixml.serialize(day) == expected)
    }

    @Test func localDateTimeOffset() throws {
        let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
        let winter = try DotNetDateTime(year: 2024, month: 3, day: 15, hour: 10, minute: 30, kind: .local)
        let summer = try DotNetDateTime(year: 2024, month: 7, day: 1, hour: 8, kind: .local)
        #expect(Clixml.formatDateTime(winter, timeZone: berlin) == "2024-03-15T10:30:00+01:00")
        #expect(Clixml.formatDateTime(summer, timeZone: berlin) == "2024-07-01T08:00:00+02:00")
        let newYork = TimeZone(secondsFromGMT: -5 * 3600)!
        #expect(Clixml.formatDateTime(winter, timeZone: newYork) == "2024-03-15T10:30:00-05:00")
        #expect(Clixml.formatDateTime(winter, timeZone: TimeZone(secondsFromGMT: 0)!) == "2024-03-15T10:30:00+00:00")
        for tz in [berlin, newYork] {
            for d in [winter, summer] {
                let back = try #require(Clixml.parseDateTime(Clixml.formatDateTime(d, timeZone: tz), timeZone: tz))
                #expect(back.ticks == d.ticks && back.kind == .local)
            }
        }
    }

    @Test func severalTopLevelObjectsShareIds() {
        let h = makeTable([("a", .int(1))])
        let xml = Clixml.serializeAll([.hashtable(h), .string("x"), .hashtable(h)])
        #expect(xml == objsHeader + """

          <Obj RefId="0">
            <TN RefId="0">
              <T>System.Collections.Hashtable</T>
              <T>System.Object</T>
            </TN>
            <DCT>
              <En>
                <S N="Key">a</S>
                <I32 N="Value">1</I32>
              </En>
            </DCT>
          </Obj>
          <S>x</S>
          <Ref RefId="0" />
        </Objs>
        """)
    }
}

// MARK: - Depth

@Suite("Clixml depth rule")
struct ClixmlDepthTests {
    /// Containers and [pscustomobject] note properties do not use up depth, as in PowerShell.
    @Test(arguments: [1, 2, 5])
    func bagsAndContainersAreNeverTruncated(depth: Int) throws {
        var v = Value.string("leaf")
        for i in 0..<12 {
            switch i % 3 {
            case 0: v = .object(makeBag([("child", v), ("n", .int(Int32(i)))]))
            case 1: v = .hashtable(makeTable([("child", v)]))
            default: v = .array(PSArray([v, .long(Int64(i))]))
            }
        }
        let xml = Clixml.serialize(v, depth: depth)
        #expect(!xml.contains("<ToString>"))
        #expect(clixmlShape(try Clixml.deserialize(xml)) == clixmlShape(v))
    }

    /// Other objects' properties get depth - 1; at depth 0 an object is its string form, and a
    /// pscustomobject its string form plus its note properties.
    @Test func complexObjectsUseDepth() {
        let nested = DictionaryEntry(.string("inner"), .int(2))
        let bag = makeBag([("p", .int(3))])
        let entry = Value.object(DictionaryEntry(.string("outer"), .array(PSArray([.object(nested), .object(bag), .int(1)]))))
        let depth1 = """
        <Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">
          <Obj RefId="0">
            <TN RefId="0">
              <T>System.Collections.DictionaryEntry</T>
              <T>System.ValueType</T>
              <T>System.Object</T>
            </TN>
            <ToString>System.Collections.DictionaryEntry</ToString>
            <Props>
              <S N="Name">outer</S>
              <Obj N="Value" RefId="1">
                <TN RefId="1">
                  <T>System.Object[]</T>
                  <T>System.Array</T>
                  <T>System.Object</T>
                </TN>
                <LST>
                  <S>System.Collections.DictionaryEntry</S>
                  <Obj RefId="2">
                    <S>@{p=3}</S>
                    <MS>
                      <I32 N="p">3</I32>
                    </MS>
                  </Obj>
                  <I32>1</I32>
                </LST>
              </Obj>
            </Props>
          </Obj>
        </Objs>
        """
        #expect(Clixml.serialize(entry, depth: 1) == depth1)
        let depth2 = Clixml.serialize(entry, depth: 2)
        #expect(depth2.contains("<S N=\"Name\">inner</S>"))
        #expect(depth2.contains("<T>System.Management.Automation.PSCustomObject</T>"))
    }

    @Test func depthBelowOneCountsAsOne() {
        let v = Value.object(DictionaryEntry(.string("k"), .int(1)))
        #expect(Clixml.serialize(v, depth: 0) == Clixml.serialize(v, depth: 1))
    }

    /// PowerShell's reader refuses a 50th nesting level, so the writer puts a string at level 49.
    @Test func nestingLimit() throws {
        var v = Value.int(7)
        for _ in 0..<60 { v = .array(PSArray([v])) }
        let xml = Clixml.serialize(v, depth: 1)
        #expect(xml.contains("<S>Serialized XML is nested too deeply.</S>"))
        var back = try Clixml.deserialize(xml)
        var levels = 0
        while case .array(let a) = back { levels += 1; back = a.items[0] }
        #expect(levels == 48)
        #expect(clixmlShape(back) == #"string("Serialized XML is nested too deeply.")"#)
    }
}

// MARK: - Round trips

@Suite("Clixml round trips")
struct ClixmlRoundTripTests {
    static let values: [ClixmlWriteCase] = {
        let shared = makeTable([("x", .int(1))])
        let list = PSArray([.int(1), .array(PSArray([.int(2), .array(PSArray([.int(3)]))]))])
        let cyclic = makeTable([("name", .string("self"))])
        cyclic.set(.string("me"), .hashtable(cyclic))
        let cyclicBag = PSCustomObject()
        cyclicBag.set("id", .int(1))
        cyclicBag.set("self", .object(cyclicBag))
        var cases: [ClixmlWriteCase] = [
            ClixmlWriteCase(.null, "", "null"),
            ClixmlWriteCase(.int(Int32.min), "", "int min"),
            ClixmlWriteCase(.long(Int64.max), "", "long max"),
            ClixmlWriteCase(.long(5), "", "small long stays long"),
            ClixmlWriteCase(.double(5), "", "whole double stays double"),
            ClixmlWriteCase(.double(Double.leastNonzeroMagnitude), "", "denormal"),
            ClixmlWriteCase(.double(Double.greatestFiniteMagnitude), "", "max double"),
            ClixmlWriteCase(.double(-0.0), "", "negative zero"),
            ClixmlWriteCase(.double(.nan), "", "NaN"),
            ClixmlWriteCase(.double(-.infinity), "", "-INF"),
            ClixmlWriteCase(.decimal(3.25), "", "decimal"),
            ClixmlWriteCase(.decimal(-0.001), "", "small decimal"),
            ClixmlWriteCase(.decimal(-Clixml.decimalLimit), "", "Decimal.MinValue"),
            ClixmlWriteCase(.bool(true), "", "bool"),
            ClixmlWriteCase(.char(0), "", "NUL char"),
            ClixmlWriteCase(.char(0xD800), "", "lone surrogate char"),
            ClixmlWriteCase(.string("<&>\"' \r\n\t\u{0}\u{7}_x0041_ _X _ \u{1F600} \u{E9}\u{301} \u{FFFF}"), "", "awkward string"),
            ClixmlWriteCase(.string("  padded  "), "", "white space kept"),
            ClixmlWriteCase(.string("]]> <![CDATA[ x ]]>"), "", "CDATA lookalike"),
            ClixmlWriteCase(dateValue(2024, 2, 29, 23, 59, 59, ticks: 9_999_999), "", "unspecified datetime"),
            ClixmlWriteCase(dateValue(1970, 1, 1, kind: .utc), "", "utc datetime"),
            ClixmlWriteCase(dateValue(1, 1, 1), "", "DateTime.MinValue"),
            ClixmlWriteCase(.dateTime(DotNetDateTime.maxValue), "", "DateTime.MaxValue"),
            ClixmlWriteCase(.timeSpan(.maxValue), "", "TimeSpan.MaxValue"),
            ClixmlWriteCase(.timeSpan(.minValue), "", "TimeSpan.MinValue"),
            ClixmlWriteCase(.timeSpan(DotNetTimeSpan(ticks: -12_345_678_901)), "", "negative timespan"),
            ClixmlWriteCase(.object(TypeRegistry.GuidObject("00000000-0000-0000-0000-000000000000")), "", "guid"),
            ClixmlWriteCase(.array(PSArray([])), "", "empty array"),
            ClixmlWriteCase(.array(list), "", "nested arrays"),
            ClixmlWriteCase(.array(PSArray([.string("a"), .string("b")], elementType: .string)), "", "typed array"),
            ClixmlWriteCase(.hashtable(makeTable([])), "", "empty hashtable"),
            ClixmlWriteCase(.hashtable(makeTable([("Zeta", .int(1)), ("alpha", .int(2)), ("Mid", .int(3))], ordered: true)), "", "ordered keeps order"),
            ClixmlWriteCase(.hashtable({ let h = PSHashtable(); h.set(.int(1), .string("int key")); h.set(.long(2), .string("long key"));
                                 h.set(.bool(true), .null); h.set(.char(65), .double(1)); return h }()), "", "non-string keys"),
            ClixmlWriteCase(.object(makeBag([])), "", "empty pscustomobject"),
            ClixmlWriteCase(.object(makeBag([("b", .int(1)), ("a", .null), ("C", .array(PSArray([.object(makeBag([("deep", .bool(false))]))])))])),
                    "", "pscustomobject property order"),
            ClixmlWriteCase(.array(PSArray([.hashtable(shared), .object(makeBag([("again", .hashtable(shared))])), .hashtable(shared)])),
                    "", "shared references"),
            ClixmlWriteCase(.hashtable(cyclic), "", "hashtable containing itself"),
            ClixmlWriteCase(.object(cyclicBag), "", "pscustomobject containing itself"),
        ]
        let innerBag = makeBag([("p", .hashtable(makeTable([("q", .string("z"))])))])
        let ord = makeTable([("k", .object(innerBag))], ordered: true)
        let everything = makeTable([
            ("i", .int(1)), ("l", .long(1 << 40)), ("d", .double(2.5)), ("m", .decimal(9.99)), ("b", .bool(false)),
            ("c", .char(0x263A)), ("s", .string("line1\nline2")), ("t", dateValue(2020, 1, 2, 3, 4, 5, kind: .utc)),
            ("ts", .timeSpan(DotNetTimeSpan(ticks: 600_000_000))), ("n", .null),
            ("arr", .array(PSArray([.int(1), .null, .array(PSArray([]))]))),
            ("ord", .hashtable(ord)),
        ], ordered: true)
        cases.append(ClixmlWriteCase(.hashtable(everything), "", "mixed nesting"))
        return cases
    }()

    @Test(arguments: values)
    func roundTrip(_ c: ClixmlWriteCase) throws {
        #expect(clixmlShape(try reread(c.value)) == clixmlShape(c.value))
        // And the text is stable: writing what was read gives the same document.
        let xml = Clixml.serialize(c.value)
        #expect(Clixml.serialize(try Clixml.deserialize(xml)) == xml)
    }

    @Test func keysStayCaseInsensitive() throws {
        guard case .hashtable(let h) = try reread(.hashtable(makeTable([("Name", .string("web"))]))) else {
            Issue.record("not a hashtable")
            return
        }
        #expect(clixmlShape(h.get("NAME") ?? .null) == #"string("web")"#)
        #expect(h.ordered == false)
    }

    @Test func sharedInstanceStaysShared() throws {
        let shared = makeTable([("x", .int(1))])
        guard case .array(let a) = try reread(.array(PSArray([.hashtable(shared), .hashtable(shared)]))),
              case .hashtable(let first) = a.items[0], case .hashtable(let second) = a.items[1] else {
            Issue.record("unexpected shape")
            return
        }
        #expect(first === second)
    }

    @Test func scriptBlockComesBackAsText() throws {
        #expect(clixmlShape(try reread(.scriptBlock(makeScriptBlock("Get-Date")))) == #"string("Get-Date")"#)
    }

    @Test func switchAndTypeValues() throws {
        #expect(clixmlShape(try reread(.type(.string))) == #"string("System.String")"#)
        let sw = try reread(.object(SwitchValue(true)))
        #expect(clixmlShape(sw) == #"#0 pso{IsPresent: bool(true)}"#)
    }
}

// MARK: - Reading PowerShell output

@Suite("Clixml.deserialize of PowerShell output")
struct ClixmlReadTests {
    /// What Export-Clixml (PowerShell 7) writes for
    /// `@{ Name = 'web'; Port = 8080; Tags = 'a','b'; Started = [datetime]'2024-03-15T10:30:00Z'; Limit = 1.5; Timeout = [timespan]'00:00:30' }`.
    static let exported = """
    <Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">
      <Obj RefId="0">
        <TN RefId="0">
          <T>System.Collections.Hashtable</T>
          <T>System.Object</T>
        </TN>
        <DCT>
          <En>
            <S N="Key">Tags</S>
            <Obj N="Value" RefId="1">
              <TN RefId="1">
                <T>System.Object[]</T>
                <T>System.Array</T>
                <T>System.Object</T>
              </TN>
              <LST>
                <S>a</S>
                <S>b</S>
              </LST>
            </Obj>
          </En>
          <En>
            <S N="Key">Port</S>
            <I32 N="Value">8080</I32>
          </En>
          <En>
            <S N="Key">Started</S>
            <DT N="Value">2024-03-15T10:30:00Z</DT>
          </En>
          <En>
            <S N="Key">Name</S>
            <S N="Value">web</S>
          </En>
          <En>
            <S N="Key">Limit</S>
            <Db N="Value">1.5</Db>
          </En>
          <En>
            <S N="Key">Timeout</S>
            <TS N="Value">PT30S</TS>
          </En>
        </DCT>
      </Obj>
    </Objs>
    """

    static let samples: [ClixmlReadCase] = [
        ClixmlReadCase(xml: exported, expected: """
            #0 hashtable{string("Tags"): #1 array<object>[string("a"), string("b")], string("Port"): int(8080), \
            string("Started"): datetime(638460954000000000,utc), string("Name"): string("web"), \
            string("Limit"): double(1.5/4609434218613702656), string("Timeout"): timespan(300000000)}
            """, label: "Export-Clixml of a hashtable"),
        // [pscustomobject] list written by `Get-Service | Select-Object Name, Status | Export-Clixml`-like
        // code: TNRef for the second object, an enum property with ToString, a nested property bag.
        ClixmlReadCase(xml: """
            <Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">
              <Obj RefId="0">
                <TN RefId="0">
                  <T>Selected.System.ServiceProcess.ServiceController</T>
                  <T>System.Management.Automation.PSCustomObject</T>
                  <T>System.Object</T>
                </TN>
                <MS>
                  <S N="Name">sshd</S>
                  <Obj N="Status" RefId="1">
                    <TN RefId="1">
                      <T>System.ServiceProcess.ServiceControllerStatus</T>
                      <T>System.Enum</T>
                      <T>System.ValueType</T>
                      <T>System.Object</T>
                    </TN>
                    <ToString>Running</ToString>
                    <I32>4</I32>
                  </Obj>
                </MS>
              </Obj>
              <Obj RefId="2">
                <TNRef RefId="0" />
                <MS>
                  <S N="Name">cron</S>
                  <Obj N="Status" RefId="3">
                    <TNRef RefId="1" />
                    <ToString>Stopped</ToString>
                    <I32>1</I32>
                  </Obj>
                </MS>
              </Obj>
            </Objs>
            """, expected: #"#0 array<object>[#1 pso{Name: string("sshd"), Status: int(4)}, #2 pso{Name: string("cron"), Status: int(1)}]"#,
            label: "two selected objects with enums"),
        // A complex .NET object at depth 1: ToString, adapted properties, a nested object as a string.
        ClixmlReadCase(xml: """
            <Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">
              <Obj RefId="0">
                <TN RefId="0">
                  <T>Microsoft.PowerShell.Commands.GenericMeasureInfo</T>
                  <T>Microsoft.PowerShell.Commands.MeasureInfo</T>
                  <T>System.Object</T>
                </TN>
                <ToString>Microsoft.PowerShell.Commands.GenericMeasureInfo</ToString>
                <Props>
                  <I32 N="Count">3</I32>
                  <Nil N="Average" />
                  <Db N="Sum">6</Db>
                  <Nil N="Maximum" />
                  <Nil N="Minimum" />
                  <Nil N="StandardDeviation" />
                  <S N="Property">Length</S>
                </Props>
              </Obj>
            </Objs>
            """, expected: """
            #0 pso{Count: int(3), Average: null, Sum: double(6.0/4618441417868443648), Maximum: null, Minimum: null, \
            StandardDeviation: null, Property: string("Length")}
            """, label: "Measure-Object result"),
        // Windows PowerShell 5.1 style file: BOM, CRLF line ends, an OrderedDictionary, a string
        // with encoded CR LF, a local time with an offset (checked separately), every integer width.
        ClixmlReadCase(xml: "\u{FEFF}<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">\r\n"
            + "  <Obj RefId=\"0\">\r\n    <TN RefId=\"0\">\r\n      <T>System.Collections.Specialized.OrderedDictionary</T>\r\n"
            + "      <T>System.Object</T>\r\n    </TN>\r\n    <DCT>\r\n"
            + "      <En>\r\n        <S N=\"Key\">text</S>\r\n        <S N=\"Value\">one_x000D__x000A_two</S>\r\n      </En>\r\n"
            + "      <En>\r\n        <S N=\"Key\">byte</S>\r\n        <By N=\"Value\">255</By>\r\n      </En>\r\n"
            + "      <En>\r\n        <S N=\"Key\">sbyte</S>\r\n        <SB N=\"Value\">-128</SB>\r\n      </En>\r\n"
            + "      <En>\r\n        <S N=\"Key\">short</S>\r\n        <I16 N=\"Value\">-32768</I16>\r\n      </En>\r\n"
            + "      <En>\r\n        <S N=\"Key\">ushort</S>\r\n        <U16 N=\"Value\">65535</U16>\r\n      </En>\r\n"
            + "      <En>\r\n        <S N=\"Key\">uint</S>\r\n        <U32 N=\"Value\">4294967295</U32>\r\n      </En>\r\n"
            + "      <En>\r\n        <S N=\"Key\">ulong</S>\r\n        <U64 N=\"Value\">18446744073709551615</U64>\r\n      </En>\r\n"
            + "      <En>\r\n        <S N=\"Key\">single</S>\r\n        <Sg N=\"Value\">0.5</Sg>\r\n      </En>\r\n"
            + "      <En>\r\n        <S N=\"Key\">decimal</S>\r\n        <D N=\"Value\">79228162514264337593543950335</D>\r\n      </En>\r\n"
            + "    </DCT>\r\n  </Obj>\r\n</Objs>",
                 expected: """
            #0 ordered{string("text"): string("one\\r\\ntwo"), string("byte"): int(255), string("sbyte"): int(-128), \
            string("short"): int(-32768), string("ushort"): int(65535), string("uint"): long(4294967295), \
            string("ulong"): double(1.8446744073709552e+19/4895412794951729152), string("single"): double(0.5/4602678819172646912), \
            string("decimal"): decimal(7.922816251426434e+28)}
            """, label: "Windows PowerShell file with BOM and CRLF"),
        // Standard-error CLIXML from `powershell -OutputFormat xml`: stream attributes, a progress
        // record, error lines.
        ClixmlReadCase(xml: """
            <Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04"><Obj S="progress" RefId="0"><TN RefId="0"><T>System.Management.Automation.PSCustomObject</T><T>System.Object</T></TN><MS><I64 N="SourceId">1</I64><PR N="Record"><AV>Preparing modules for first use.</AV><AI>0</AI><Nil /><PI>-1</PI><PC>-1</PC><T>Completed</T><SR>-1</SR><SD> </SD></PR></MS></Obj><S S="Error">boom_x000D__x000A_</S></Objs>
            """, expected: """
            #0 array<object>[#1 pso{SourceId: long(1), Record: #2 pso{Activity: string("Preparing modules for first use."), \
            ActivityId: int(0), CurrentOperation: null, ParentActivityId: int(-1), PercentComplete: int(-1), \
            RecordType: string("Completed"), SecondsRemaining: int(-1), StatusDescription: string(" ")}}, string("boom\\r\\n")]
            """, label: "stderr CLIXML with progress record"),
        // Type-name and object ids are opaque strings ([MS-PSRP] uses "RefId-0"); entries in any order.
        ClixmlReadCase(xml: """
            <Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">
            <Obj RefId="RefId-0"> <TN RefId="RefId-0"> <T>System.Collections.Hashtable</T> <T>System.Object</T> </TN>
            <DCT> <En><S N="Key">key2</S><I32 N="Value">2</I32></En> <En><S N="Key">key1</S><I32 N="Value">1</I32></En> </DCT> </Obj>
            <Ref RefId="RefId-0"/>
            </Objs>
            """, expected: #"#0 array<object>[#1 hashtable{string("key2"): int(2), string("key1"): int(1)}, @1]"#,
            label: "string RefIds and references"),
        ClixmlReadCase(xml: """
            <?xml version="1.0" encoding="utf-8"?>
            <!-- written by hand -->
            <ps:Objs xmlns:ps="http://schemas.microsoft.com/powershell/2004/04" Version="1.1.0.1"><ps:S>prefixed</ps:S><?pi ignored?></ps:Objs>
            """, expected: #"string("prefixed")"#, label: "declaration, comment, prefixed namespace"),
        ClixmlReadCase(xml: #"<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04" />"#,
                 expected: "null", label: "no objects"),
        ClixmlReadCase(xml: objsDoc("<S>_x005f_x0020_ _x0001F600_ _x0041 _xZZZZ_ _x110000AA_ &#x41;&#66;&lt;<![CDATA[<raw> & ]]></S>"),
                 expected: #"string("_x0020_ 😀 _x0041 _xZZZZ_ _x110000AA_ AB<<raw> & ")"#, label: "decoding rules"),
        ClixmlReadCase(xml: objsDoc("<S>\n  spaced\ttext \n</S>"), expected: #"string("\n  spaced\ttext \n")"#, label: "literal white space"),
        ClixmlReadCase(xml: objsDoc("<BA>AQID/w==</BA>"), expected: #"#0 array<System.Byte>[int(1), int(2), int(3), int(255)]"#, label: "byte array"),
        ClixmlReadCase(xml: objsDoc("<G>{EA58451B-8A0D-4210-9074-50B25431F7A1}</G>"), expected: "guid(ea58451b-8a0d-4210-9074-50b25431f7a1)", label: "guid"),
        ClixmlReadCase(xml: objsDoc("<URI>https://example.com/a?b=1&amp;c=2</URI>"), expected: #"string("https://example.com/a?b=1&c=2")"#, label: "uri"),
        ClixmlReadCase(xml: objsDoc("<Version>7.4.1</Version>"), expected: #"string("7.4.1")"#, label: "version"),
        ClixmlReadCase(xml: objsDoc("<B> 1 </B>"), expected: "bool(true)", label: "boolean 1"),
        ClixmlReadCase(xml: objsDoc("<I32> +17 </I32>"), expected: "int(17)", label: "integer with sign and spaces"),
        ClixmlReadCase(xml: objsDoc("<Db>-1.5e3</Db>"), expected: "double(-1500.0/13877683922067783680)", label: "double exponent"),
        ClixmlReadCase(xml: objsDoc("<Db>Infinity</Db>"), expected: "double(inf/9218868437227405312)", label: "double Infinity"),
        ClixmlReadCase(xml: objsDoc("<DT>2024-03-15</DT>"), expected: "datetime(638460576000000000,unspecified)", label: "date only"),
        ClixmlReadCase(xml: objsDoc("<DT>2024-03-15T10:30:00.123456789Z</DT>"), expected: "datetime(638460954001234568,utc)", label: "fraction rounded"),
        ClixmlReadCase(xml: objsDoc("<TS>P1Y2M3DT4H5M6.7S</TS>"), expected: "timespan(369939067000000)",
                 label: "duration with years and months"),
        ClixmlReadCase(xml: objsDoc("<TS>-P0DT0.5S</TS>"), expected: "timespan(-5000000)", label: "negative fraction"),
        ClixmlReadCase(xml: objsDoc(#"<Obj RefId="0"><TN RefId="0"><T>System.String[]</T><T>System.Array</T><T>System.Object</T></TN><IE><S>a</S></IE></Obj>"#),
                 expected: #"#0 array<System.String>[string("a")]"#, label: "string array, IE container"),
        ClixmlReadCase(xml: objsDoc(#"<Obj RefId="0"><TN RefId="0"><T>Deserialized.System.Collections.Specialized.OrderedDictionary</T><T>Deserialized.System.Object</T></TN><DCT><En><I32 N="Key">1</I32><S N="Value">one</S></En></DCT></Obj>"#),
                 expected: #"#0 ordered{int(1): string("one")}"#, label: "re-exported deserialized ordered dictionary"),
        ClixmlReadCase(xml: objsDoc(#"<Obj RefId="0"><TN RefId="0"><T>System.IO.FileInfo</T></TN><ToString>/tmp/x.txt</ToString></Obj>"#),
                 expected: #"string("/tmp/x.txt")"#, label: "object known only by its ToString"),
        ClixmlReadCase(xml: objsDoc(#"<Obj RefId="0"><S>hello</S><MS><I32 N="Extra">1</I32></MS></Obj>"#),
                 expected: #"string("hello")"#, label: "string with a note property"),
        ClixmlReadCase(xml: objsDoc(#"<Obj RefId="0"><MS><S N="a">1</S><MS N="Set"><I32 N="inner">2</I32></MS></MS></Obj>"#),
                 expected: #"#0 pso{a: string("1"), Set: #1 pso{inner: int(2)}}"#, label: "nested member set"),
        ClixmlReadCase(xml: """
            <Objs Version="1.2.0.0" xmlns="http://schemas.microsoft.com/powershell/2004/04"><Obj RefId="0"><Future>x</Future><MS><I32 N="a">1</I32></MS></Obj></Objs>
            """, expected: #"#0 pso{a: int(1)}"#, label: "unknown tags skipped in version 1.2"),
    ]

    @Test(arguments: samples)
    func read(_ c: ClixmlReadCase) throws {
        #expect(clixmlShape(try Clixml.deserialize(c.xml)) == c.expected)
    }

    @Test func exportedHashtableKeys() throws {
        guard case .hashtable(let h) = try Clixml.deserialize(Self.exported) else {
            Issue.record("not a hashtable")
            return
        }
        #expect(clixmlShape(h.get("PORT") ?? .null) == "int(8080)")
        #expect(h.ordered == false)
    }

    @Test func offsetBecomesLocalTime() throws {
        let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
        let values = try Clixml.deserializeAll(objsDoc("<DT>2018-01-29T16:41:08.8717454-08:00</DT>"), timeZone: berlin)
        guard case .dateTime(let d) = values[0] else {
            Issue.record("not a datetime")
            return
        }
        // 16:41:08 at UTC-8 is 00:41:08 UTC the next day, 01:41:08 in Berlin (UTC+1 in January).
        let expected = try DotNetDateTime(year: 2018, month: 1, day: 30, hour: 1, minute: 41, second: 8)
        #expect(d.kind == .local)
        #expect(d.ticks == expected.ticks + 8_717_454)
    }

    @Test func deserializeAllKeepsEachObject() throws {
        let xml = objsHeader + "<S>a</S><I32>1</I32><Nil/></Objs>"
        #expect(try Clixml.deserializeAll(xml).map(clixmlShape) == [#"string("a")"#, "int(1)", "null"])
        #expect(clixmlShape(try Clixml.deserialize(xml)) == #"#0 array<object>[string("a"), int(1), null]"#)
    }

    @Test func duplicateKeysDifferingInCase() throws {
        let xml = objsDoc(#"<Obj RefId="0"><TN RefId="0"><T>System.Collections.Hashtable</T><T>System.Object</T></TN><DCT><En><S N="Key">a</S><I32 N="Value">1</I32></En><En><S N="Key">A</S><I32 N="Value">2</I32></En></DCT></Obj>"#)
        #expect(clixmlShape(try Clixml.deserialize(xml)) == #"#0 hashtable{string("a"): int(2)}"#)
    }
}

// MARK: - Malformed input

@Suite("Clixml.deserialize errors")
struct ClixmlErrorTests {
    static let cases: [ClixmlErrorCase] = [
        ClixmlErrorCase("", "The document has no root element."),
        ClixmlErrorCase("   \n  ", "The document has no root element.", line: 2),
        ClixmlErrorCase("hello", "Text is not allowed before the root element."),
        ClixmlErrorCase("<Objs", "Unexpected end of input in the start tag <Objs>"),
        ClixmlErrorCase(objsHeader + "\n  <S>a</S>\n", "Unexpected end of input: <Objs> opened at line 1, column 1 is not closed.", line: 3),
        ClixmlErrorCase(objsHeader + "\n  <S>a</I32>\n</Objs>", "The end tag </I32> does not match the start tag <S> at line 2, column 3.", line: 2),
        ClixmlErrorCase(objsHeader + "</Objs><Objs/>", "Only one root element is allowed"),
        ClixmlErrorCase(objsHeader + "</Objs>text", "Text is not allowed after the root element."),
        ClixmlErrorCase("<!DOCTYPE Objs [<!ENTITY x \"y\">]>" + objsHeader + "</Objs>", "DTDs are not allowed"),
        ClixmlErrorCase(objsDoc("<S>&nbsp;</S>"), "Unknown entity reference &nbsp;", line: 2),
        ClixmlErrorCase(objsDoc("<S>a & b</S>"), "Malformed entity reference"),
        ClixmlErrorCase(objsDoc("<S>&#xD800;</S>"), "is not a valid character"),
        ClixmlErrorCase(objsDoc(#"<S N="a" N="b">x</S>"#), "Duplicate attribute N in <S>."),
        ClixmlErrorCase(objsDoc(#"<S N="a<">x</S>"#), "'<' is not allowed in the value of the attribute N"),
        ClixmlErrorCase(objsDoc("<x:S>a</x:S>"), "The namespace prefix 'x' of <x:S> is not declared.", line: 2),
        ClixmlErrorCase("<Foo/>", "Expected the root element <Objs"),
        ClixmlErrorCase(#"<Objs Version="1.1.0.1"><S>a</S></Objs>"#, "Expected the root element <Objs xmlns="),
        ClixmlErrorCase(#"<Objs Version="2.0" xmlns="http://schemas.microsoft.com/powershell/2004/04"/>"#, "Version of incoming PSObject is 2. Expected value is 1."),
        ClixmlErrorCase(#"<Objs Version="one" xmlns="http://schemas.microsoft.com/powershell/2004/04"/>"#, "Version of PSObject is not valid: 'one'."),
        ClixmlErrorCase(objsDoc("<Foo />"), "<Foo> XML tag is not recognized.", line: 2),
        ClixmlErrorCase(objsDoc(#"<S xmlns="urn:other">a</S>"#), "XML tag is not recognized (namespace urn:other)"),
        ClixmlErrorCase(objsDoc("<I32>abc</I32>"), "The contents of the System.Int32 primitive type are not valid: 'abc' in <I32>."),
        ClixmlErrorCase(objsDoc("<I32>2147483648</I32>"), "System.Int32 primitive type are not valid"),
        ClixmlErrorCase(objsDoc("<I32>1.0</I32>"), "System.Int32 primitive type are not valid"),
        ClixmlErrorCase(objsDoc("<I64></I64>"), "System.Int64 primitive type are not valid"),
        ClixmlErrorCase(objsDoc("<By>-1</By>"), "System.Byte primitive type are not valid"),
        ClixmlErrorCase(objsDoc("<C>65536</C>"), "System.Char primitive type are not valid"),
        ClixmlErrorCase(objsDoc("<B>yes</B>"), "System.Boolean primitive type are not valid"),
        ClixmlErrorCase(objsDoc("<B>True</B>"), "System.Boolean primitive type are not valid"),
        ClixmlErrorCase(objsDoc("<Db>1,5</Db>"), "System.Double primitive type are not valid"),
        ClixmlErrorCase(objsDoc("<Db>0x10</Db>"), "System.Double primitive type are not valid"),
        ClixmlErrorCase(objsDoc("<Db>inf</Db>"), "System.Double primitive type are not valid"),
        ClixmlErrorCase(objsDoc("<D>1E5</D>"), "System.Decimal primitive type are not valid"),
        ClixmlErrorCase(objsDoc("<DT>2024-13-01T00:00:00</DT>"), "System.DateTime primitive type are not valid"),
        ClixmlErrorCase(objsDoc("<DT>2024-02-30</DT>"), "System.DateTime primitive type are not valid"),
        ClixmlErrorCase(objsDoc("<DT>2024-01-01T10:00</DT>"), "System.DateTime primitive type are not valid"),
        ClixmlErrorCase(objsDoc("<DT>2024-01-01T10:00:00+15:00</DT>"), "System.DateTime primitive type are not valid"),
        ClixmlErrorCase(objsDoc("<TS>01:00:00</TS>"), "System.TimeSpan primitive type are not valid"),
        ClixmlErrorCase(objsDoc("<TS>P</TS>"), "System.TimeSpan primitive type are not valid"),
        ClixmlErrorCase(objsDoc("<TS>PT</TS>"), "System.TimeSpan primitive type are not valid"),
        ClixmlErrorCase(objsDoc("<TS>P1H</TS>"), "System.TimeSpan primitive type are not valid"),
        ClixmlErrorCase(objsDoc("<TS>PT1S2M</TS>"), "System.TimeSpan primitive type are not valid"),
        ClixmlErrorCase(objsDoc("<TS>P99999999999D</TS>"), "System.TimeSpan primitive type are not valid"),
        ClixmlErrorCase(objsDoc("<TS>P2147483647D</TS>"), "System.TimeSpan primitive type are not valid"),
        ClixmlErrorCase(objsDoc("<G>not-a-guid</G>"), "System.Guid primitive type are not valid"),
        ClixmlErrorCase(objsDoc("<BA>!!</BA>"), "System.Byte[] primitive type are not valid"),
        ClixmlErrorCase(objsDoc("<S>a<B>true</B></S>"), "<S> must contain only text, but contains <B>."),
        ClixmlErrorCase(objsDoc(#"<Obj RefId="0">junk<MS/></Obj>"#), "Unexpected text in <Obj>"),
        ClixmlErrorCase(objsDoc(#"<Ref RefId="9" />"#), "No object found for referenceId 9.", line: 2),
        ClixmlErrorCase(objsDoc("<Ref />"), "RefId attribute was expected on <Ref>."),
        ClixmlErrorCase(objsDoc(#"<Obj RefId="0"><TNRef RefId="5" /></Obj>"#), "Cannot process names because no TypeNames were found for referenceId 5."),
        ClixmlErrorCase(objsDoc(#"<Obj RefId="0"><TN RefId="0"><X>a</X></TN></Obj>"#), "<X> XML tag is not recognized in <TN>"),
        ClixmlErrorCase(objsDoc(#"<Obj RefId="0"><Future /></Obj>"#), "<Future> XML tag is not recognized."),
        ClixmlErrorCase(objsDoc(#"<Obj RefId="0"><MS><I32>1</I32></MS></Obj>"#), "N attribute was expected on <I32>."),
        ClixmlErrorCase(objsDoc("<Obj><DCT><Item /></DCT></Obj>"), "Expected <En> in <DCT>, found <Item>."),
        ClixmlErrorCase(objsDoc("<Obj><DCT><En></En></DCT></Obj>"), "Key for dictionary entry is not specified."),
        ClixmlErrorCase(objsDoc(#"<Obj><DCT><En><S N="K">a</S><S N="Value">b</S></En></DCT></Obj>"#), "Name attribute for dictionary key is incorrectly specified"),
        ClixmlErrorCase(objsDoc(#"<Obj><DCT><En><Nil N="Key" /><S N="Value">b</S></En></DCT></Obj>"#), "Null is specified as dictionary key."),
        ClixmlErrorCase(objsDoc(#"<Obj><DCT><En><S N="Key">a</S></En></DCT></Obj>"#), "Value for dictionary entry is not specified."),
        ClixmlErrorCase(objsDoc(#"<Obj><DCT><En><S N="Key">a</S><S N="Val">b</S></En></DCT></Obj>"#), "Name attribute for dictionary value is incorrectly specified"),
        ClixmlErrorCase(objsDoc(#"<Obj><DCT><En><S N="Key">a</S><S N="Value">b</S><S>c</S></En></DCT></Obj>"#), "an entry holds one key and one value"),
        ClixmlErrorCase(objsDoc("<PR><AV>a</AV></PR>"), "<PR> holds 1 elements"),
        ClixmlErrorCase(objsDoc("<SS>01000000d08c9ddf</SS>"), "A SecureString (<SS>) cannot be imported"),
        ClixmlErrorCase(objsHeader + String(repeating: "<Obj><LST>", count: 50) + String(repeating: "</LST></Obj>", count: 50) + "</Objs>",
                  "Serialized XML is nested too deeply."),
    ]

    @Test(arguments: cases)
    func malformed(_ c: ClixmlErrorCase) {
        expectClixmlError(c.xml, c.fragment, line: c.line)
    }

    @Test func errorDescriptionNamesThePlace() {
        let e = ClixmlError("No object found for referenceId 9.", line: 4, column: 7)
        #expect(e.description == "CLIXML: No object found for referenceId 9. (line 4, column 7)")
        #expect(ClixmlError("x").description == "CLIXML: x")
    }

    @Test func deepDocumentsDoNotExhaustTheParser() {
        // Far past the nesting limit: the XML parser itself is iterative, the reader stops at 50.
        let xml = objsHeader + String(repeating: "<Obj><LST>", count: 5000) + String(repeating: "</LST></Obj>", count: 5000) + "</Objs>"
        expectClixmlError(xml, "nested too deeply")
    }
}
