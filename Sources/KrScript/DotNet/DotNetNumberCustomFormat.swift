// Custom numeric format strings ("0.00", "#,##0", "0.###E+0", sections, literals), a port of
// the logic of .NET's Number.NumberToStringFormat with the invariant culture.

extension DotNetNumberFormat {
    private static let cHash = UInt16(dnAscii: "#")
    private static let cZero = UInt16(dnAscii: "0")
    private static let cDot = UInt16(dnAscii: ".")
    private static let cComma = UInt16(dnAscii: ",")
    private static let cPercent = UInt16(dnAscii: "%")
    private static let cPerMille: UInt16 = 0x2030
    private static let cQuote = UInt16(dnAscii: "'")
    private static let cDoubleQuote = UInt16(dnAscii: "\"")
    private static let cBackslash = UInt16(dnAscii: "\\")
    private static let cSemicolon = UInt16(dnAscii: ";")
    private static let cPlus = UInt16(dnAscii: "+")
    private static let cMinus = UInt16(dnAscii: "-")
    private static let cUpperE = UInt16(dnAscii: "E")
    private static let cLowerE = UInt16(dnAscii: "e")

    /// Start index of section `section` (0 positive, 1 negative, 2 zero), 0 if absent.
    static func findSection(_ format: [UInt16], _ section: Int) -> Int {
        if section == 0 { return 0 }
        func at(_ i: Int) -> UInt16 { i < format.count ? format[i] : 0 }
        var remaining = section
        var src = 0
        while true {
            if src >= format.count { return 0 }
            let ch = format[src]
            src += 1
            switch ch {
            case cQuote, cDoubleQuote:
                while at(src) != 0 {
                    let c = format[src]
                    src += 1
                    if c == ch { break }
                }
            case cBackslash:
                if at(src) != 0 { src += 1 }
            case cSemicolon:
                remaining -= 1
                if remaining != 0 { continue }
                if at(src) != 0 && at(src) != cSemicolon { return src }
                return 0
            case 0:
                return 0
            default:
                break
            }
        }
    }

    static func numberToStringFormat(_ number: inout DotNetNumberBuffer, _ format: [UInt16]) -> String {
        func at(_ i: Int) -> UInt16 { i < format.count ? format[i] : 0 }
        var digitCount = 0
        var decimalPos = -1
        var firstDigit = 0x7FFF_FFFF
        var lastDigit = 0
        var scientific = false
        var thousandPos = -1
        var thousandCount = 0
        var thousandSeps = false
        var scaleAdjust = 0
        var src = 0
        var section = findSection(format, number.digit(0) == 0 ? 2 : (number.isNegative ? 1 : 0))

        while true {
            digitCount = 0
            decimalPos = -1
            firstDigit = 0x7FFF_FFFF
            lastDigit = 0
            scientific = false
            thousandPos = -1
            thousandSeps = false
            scaleAdjust = 0
            src = section
            scan: while true {
                let ch = at(src)
                if ch == 0 || ch == cSemicolon { break scan }
                src += 1
                switch ch {
                case cHash:
                    digitCount += 1
                case cZero:
                    if firstDigit == 0x7FFF_FFFF { firstDigit = digitCount }
                    digitCount += 1
                    lastDigit = digitCount
                case cDot:
                    if decimalPos < 0 { decimalPos = digitCount }
                case cComma:
                    if digitCount > 0 && decimalPos < 0 {
                        if thousandPos >= 0 {
                            if thousandPos == digitCount {
                                thousandCount += 1
                                continue scan
                            }
                            thousandSeps = true
                        }
                        thousandPos = digitCount
                        thousandCount = 1
                    }
                case cPercent:
                    scaleAdjust += 2
                case cPerMille:
                    scaleAdjust += 3
                case cQuote, cDoubleQuote:
                    while at(src) != 0 {
                        let c = format[src]
                        src += 1
                        if c == ch { break }
                    }
                case cBackslash:
                    if at(src) != 0 { src += 1 }
                case cUpperE, cLowerE:
                    if at(src) == cZero || ((at(src) == cPlus || at(src) == cMinus) && at(src + 1) == cZero) {
                        src += 1
                        while at(src) == cZero { src += 1 }
                        scientific = true
                    }
                default:
                    break
                }
            }

            if decimalPos < 0 { decimalPos = digitCount }
            if thousandPos >= 0 {
                if thousandPos == decimalPos {
                    scaleAdjust -= thousandCount * 3
                } else {
                    thousandSeps = true
                }
            }

            if number.digit(0) != 0 {
                number.scale += scaleAdjust
                let pos = scientific ? digitCount : number.scale + digitCount - decimalPos
                number.round(to: pos, isCorrectlyRounded: false)
                if number.digit(0) == 0 {
                    let zeroSection = findSection(format, 2)
                    if zeroSection != section {
                        section = zeroSection
                        continue
                    }
                }
            } else {
                if number.kind != .floatingPoint { number.isNegative = false }
                number.scale = 0
            }
            break
        }

        firstDigit = firstDigit < decimalPos ? decimalPos - firstDigit : 0
        lastDigit = lastDigit > decimalPos ? decimalPos - lastDigit : 0
        var digPos: Int
        var adjust: Int
        if scientific {
            digPos = decimalPos
            adjust = 0
        } else {
            digPos = number.scale > decimalPos ? number.scale : decimalPos
            adjust = number.scale - decimalPos
        }
        src = section

        // Positions (counted from the decimal point) after which a group separator goes.
        var thousandsSepPos: [Int] = []
        if thousandSeps {
            var groupTotalSizeCount = 3
            let totalDigits = digPos + (adjust < 0 ? adjust : 0)
            let numDigits = firstDigit > totalDigits ? firstDigit : totalDigits
            while numDigits > groupTotalSizeCount {
                thousandsSepPos.append(groupTotalSizeCount)
                groupTotalSizeCount += 3
            }
        }
        var thousandsSepCtr = thousandsSepPos.count - 1

        var sb: [UInt16] = []
        if number.isNegative && section == 0 && number.scale != 0 { sb += negativeSign }
        var decimalWritten = false
        var cur = 0

        func appendGroupSeparatorIfNeeded() {
            if thousandSeps && digPos > 1 && thousandsSepCtr >= 0 && digPos == thousandsSepPos[thousandsSepCtr] + 1 {
                sb.append(groupSeparator)
                thousandsSepCtr -= 1
            }
        }

        while true {
            let ch = at(src)
            if ch == 0 || ch == cSemicolon { break }
            src += 1
            if adjust > 0 && (ch == cHash || ch == cZero || ch == cDot) {
                while adjust > 0 {
                    let d = number.digit(cur)
                    if d != 0 { cur += 1 }
                    sb.append(d != 0 ? UInt16(d) : cZero)
                    appendGroupSeparatorIfNeeded()
                    digPos -= 1
                    adjust -= 1
                }
            }
            switch ch {
            case cHash, cZero:
                var out: UInt16
                if adjust < 0 {
                    adjust += 1
                    out = digPos <= firstDigit ? cZero : 0
                } else {
                    let d = number.digit(cur)
                    if d != 0 {
                        cur += 1
                        out = UInt16(d)
                    } else {
                        out = digPos > lastDigit ? cZero : 0
                    }
                }
                if out != 0 {
                    sb.append(out)
                    appendGroupSeparatorIfNeeded()
                }
                digPos -= 1
            case cDot:
                if digPos != 0 || decimalWritten { break }
                if lastDigit < 0 || (decimalPos < digitCount && number.digit(cur) != 0) {
                    sb.append(decimalSeparator)
                    decimalWritten = true
                }
            case cPerMille:
                sb += perMilleSymbol
            case cPercent:
                sb.append(cPercent)
            case cComma:
                break
            case cQuote, cDoubleQuote:
                while at(src) != 0 && format[src] != ch {
                    sb.append(format[src])
                    src += 1
                }
                if at(src) != 0 { src += 1 }
            case cBackslash:
                if at(src) != 0 {
                    sb.append(format[src])
                    src += 1
                }
            case cUpperE, cLowerE:
                if scientific {
                    var positiveSign = false
                    var zeros = 0
                    if at(src) == cZero {
                        zeros += 1  // "E0" formats like "E-0"
                    } else if at(src) == cPlus && at(src + 1) == cZero {
                        positiveSign = true
                    } else if at(src) == cMinus && at(src + 1) == cZero {
                        // "E-0": sign only for negative exponents
                    } else {
                        sb.append(ch)
                        break
                    }
                    src += 1
                    while at(src) == cZero {
                        zeros += 1
                        src += 1
                    }
                    let exponent = number.digit(0) == 0 ? 0 : number.scale - decimalPos
                    formatExponent(&sb, exponent, expChar: ch, minDigits: min(zeros, 10), positiveSign: positiveSign)
                    scientific = false
                } else {
                    sb.append(ch)
                    if src < format.count {
                        if format[src] == cPlus || format[src] == cMinus {
                            sb.append(format[src])
                            src += 1
                        }
                        while src < format.count && format[src] == cZero {
                            sb.append(format[src])
                            src += 1
                        }
                    }
                }
            default:
                sb.append(ch)
            }
        }
        if number.isNegative && section == 0 && number.scale == 0 && !sb.isEmpty {
            sb.insert(contentsOf: negativeSign, at: 0)
        }
        return String(decoding: sb, as: UTF16.self)
    }
}
