import Testing
@testable import KrScript

/// Expectations are .NET 8 invariant-culture outputs (documentation examples and well-known behaviour).
struct DotNetNumberFormatTests {
    static let integerCases: [(Int64, String, String)] = [
        (7, "D3", "007"),
        (-7, "D3", "-007"),
        (12345, "D", "12345"),
        (12345, "D8", "00012345"),
        (-1234, "D6", "-001234"),
        (0, "D", "0"),
        (12345, "", "12345"),
        (-12345, "G", "-12345"),
        (12345, "G0", "12345"),
        (123456, "G3", "1.23E+05"),
        (255, "X", "FF"),
        (255, "x", "ff"),
        (255, "X4", "00FF"),
        (0x2c45e, "x", "2c45e"),
        (0x2c45e, "X8", "0002C45E"),
        (-1, "x", "ffffffff"),
        (-1, "X", "FFFFFFFF"),
        (-255, "X", "FFFFFF01"),
        (-4_294_967_297, "X", "FFFFFFFEFFFFFFFF"),
        (5, "B8", "00000101"),
        (123, "b", "1111011"),
        (1234, "N", "1,234.00"),
        (1_234_567, "N0", "1,234,567"),
        (-1_234_567, "N0", "-1,234,567"),
        (123_456_789, "N4", "123,456,789.0000"),
        (999, "N0", "999"),
        (1234, "F", "1234.00"),
        (5, "F2", "5.00"),
        (-5, "F1", "-5.0"),
        (12345, "E", "1.234500E+004"),
        (12345, "e2", "1.23e+004"),
        (0, "E2", "0.00E+000"),
        (125, "E1", "1.3E+002"),
        (5, "000", "005"),
        (1_234_567, "#,##0", "1,234,567"),
        (1_234_567_890, "#,#", "1,234,567,890"),
        (1_234_567_890, "#,,", "1235"),
        (1_234_567_890, "#,##0,,", "1,235"),
        (1234, "#,##0.00", "1,234.00"),
        (0, "#", ""),
        (0, "0", "0"),
        (-5, "0;(0)", "(5)"),
        (5, "0;(0);zero", "5"),
        (0, "0;(0);zero", "zero"),
        (-5, "0;(0);zero", "(5)"),
        (42, "'Value: '0", "Value: 42"),
        (42, "\\#0", "#42"),
        (42, "0 %", "4200 %"),
        (-42, "0", "-42"),
        (123, "00000", "00123"),
        (-5, "0;;zero", "-5"),
        (0, "0;;zero", "zero"),
        (125, "G2", "1.3E+02"),
        (1, "P", "100.00 %"),
        (-1234, "C", "(\u{00A4}1,234.00)"),
        (1234, "C0", "\u{00A4}1,234"),
    ]

    static let doubleCases: [(Double, String, String)] = [
        (3.14159, "0.00", "3.14"),
        (1234.56, "#,##0.0", "1,234.6"),
        (1.005, "F2", "1.00"),
        (1.005, "0.00", "1.01"),
        (2.5, "F0", "2"),
        (3.5, "F0", "4"),
        (0.25, "F1", "0.2"),
        (0.75, "F1", "0.8"),
        (0.35, "F1", "0.3"),
        (0.45, "F1", "0.5"),
        (0.015, "F2", "0.01"),
        (0.025, "F2", "0.03"),
        (0.0046, "F2", "0.00"),
        (1234.5678, "F", "1234.57"),
        (12345.6789, "F0", "12346"),
        (12345.6789, "F6", "12345.678900"),
        (12345.6789, "E", "1.234568E+004"),
        (12345.6789, "E10", "1.2345678900E+004"),
        (12345.6789, "e4", "1.2346e+004"),
        (1234.5, "E", "1.234500E+003"),
        (1.0, "E0", "1E+000"),
        (12345.6789, "G", "12345.6789"),
        (12345.6789, "G7", "12345.68"),
        (123_456_789.0, "G7", "1.234568E+08"),
        (12345.6789, "N", "12,345.68"),
        (-12345.6789, "N1", "-12,345.7"),
        (0.1 + 0.2, "R", "0.30000000000000004"),
        (0.1 + 0.2, "", "0.30000000000000004"),
        (1.0 / 3.0, "G", "0.3333333333333333"),
        (-0.0, "", "-0"),
        (1e-05, "", "1E-05"),
        (0.0001, "G", "0.0001"),
        (100.0, "", "100"),
        (1.5, "G", "1.5"),
        (-60.0, "R", "-60"),
        (Double.greatestFiniteMagnitude, "R", "1.7976931348623157E+308"),
        (Double.leastNonzeroMagnitude, "R", "5E-324"),
        (1e21, "", "1E+21"),
        (Double.nan, "F2", "NaN"),
        (Double.infinity, "N", "Infinity"),
        (-Double.infinity, "0.00", "-Infinity"),
        (0.5, "P", "50.00 %"),
        (-0.1234, "P1", "-12.3 %"),
        (86000.0, "0.###E+0", "8.6E+4"),
        (86000.0, "0.###E+000", "8.6E+004"),
        (86000.0, "0.###E-000", "8.6E004"),
        (1234.5678, "0.00E+00", "1.23E+03"),
        (1234.5678, "#####", "1235"),
        (0.45678, "0.00", "0.46"),
        (0.3697, "%#0.00", "%36.97"),
        (0.3697, "##.0 %", "37.0 %"),
        (123.0, "#.##", "123"),
        (0.5, "#.##", ".5"),
        (0.5, "0", "1"),
        (-1.5, "0.0;(0.0)", "(1.5)"),
        (1.5, "0.0;(0.0)", "1.5"),
        (2.0, "0.00", "2.00"),
        (1234567.891, "#,##0.00", "1,234,567.89"),
        (-1234.5, "#,##0.00;(#,##0.00)", "(1,234.50)"),
        (0.1, "G17", "0.10000000000000001"),
        (1.0 / 3.0, "G17", "0.33333333333333331"),
        (0.1, "G20", "0.10000000000000000555"),
        (123.456, "E2", "1.23E+002"),
        (0.0, "E", "0.000000E+000"),
        (1234.5678, "N", "1,234.57"),
    ]

    static let powerShellCases: [(Double, String)] = [
        (0.1 + 0.2, "0.3"),
        (1.0 / 3.0, "0.333333333333333"),
        (1.5 * 2, "3"),
        (10.0 / 4.0, "2.5"),
        (3.5 * 2, "7"),
        (2_147_483_648.0, "2147483648"),
        (1024.0, "1024"),
        (1e15, "1E+15"),
        (1e14, "100000000000000"),
        (1e-05, "1E-05"),
        (0.0001, "0.0001"),
        (9_007_199_254_740_992.0, "9.00719925474099E+15"),
        (-0.0, "-0"),
        (-2.75, "-2.75"),
        (Double.nan, "NaN"),
        (Double.infinity, "Infinity"),
        (-Double.infinity, "-Infinity"),
    ]

    @Test(arguments: Self.integerCases)
    func integers(value: Int64, spec: String, expected: String) throws {
        #expect(try DotNetNumberFormat.format(value, spec) == expected)
    }

    @Test(arguments: Self.doubleCases)
    func doubles(value: Double, spec: String, expected: String) throws {
        #expect(try DotNetNumberFormat.format(value, spec) == expected)
    }

    @Test(arguments: ["Q", "R", "Z2", "D2x"])
    func invalidIntegerFormatsThrowOrAreCustom(spec: String) {
        if spec == "D2x" {
            // Not a standard specifier (letter+digits+letter) => custom format, copied literally.
            #expect((try? DotNetNumberFormat.format(Int64(5), spec)) == "D2x")
        } else {
            #expect(throws: DotNetFormatError.invalidFormat(spec)) {
                try DotNetNumberFormat.format(Int64(5), spec)
            }
        }
    }

    @Test(arguments: ["D", "X2", "x", "Q"])
    func invalidDoubleFormatsThrow(spec: String) {
        #expect(throws: DotNetFormatError.invalidFormat(spec)) {
            try DotNetNumberFormat.format(1.5, spec)
        }
    }

    @Test(arguments: Self.powerShellCases)
    func powerShellDoubleRendering(value: Double, expected: String) {
        #expect(DotNetNumberFormat.powerShellString(value) == expected)
    }

    @Test func hexWidthFollowsTheDotNetType() throws {
        #expect(try DotNetNumberFormat.format(-1, "x", bits: 32) == "ffffffff")
        #expect(try DotNetNumberFormat.format(-1, "x", bits: 64) == "ffffffffffffffff")
        #expect(try DotNetNumberFormat.format(-2, "X", bits: 64) == "FFFFFFFFFFFFFFFE")
        #expect(try DotNetNumberFormat.format(-1, "b", bits: 32) == String(repeating: "1", count: 32))
        #expect(try DotNetNumberFormat.format(255, "x4", bits: 64) == "00ff")
    }

    @Test func exactExpansionOfDoubles() {
        let (digits, scale) = DotNetNumberBuffer.exactDigits(1.005)
        #expect(String(decoding: digits, as: UTF8.self) == "100499999999999989341858963598497211933135986328125")
        #expect(scale == 1)
        let (big, bigScale) = DotNetNumberBuffer.exactDigits(1e23)
        #expect(String(decoding: big, as: UTF8.self) == "99999999999999991611392")
        #expect(bigScale == 23)
    }
}
