// Decimal digit buffer mirroring .NET's internal Number.NumberBuffer, plus the exact
// (arbitrary precision) decimal expansion of doubles used to produce correctly rounded digits
// the way .NET Core 3.0+ Dragon4/Grisu3 do.

/// Digits d1 d2 ... dn (ASCII, no trailing zeros once rounded) representing 0.d1d2...dn * 10^scale.
struct DotNetNumberBuffer: Sendable {
    enum Kind: Sendable { case integer, floatingPoint }

    var digits: [UInt8]
    var scale: Int
    var isNegative: Bool
    var kind: Kind

    /// The digit at `index`, or 0 (the .NET NUL terminator) past the end.
    @inline(__always) func digit(_ index: Int) -> UInt8 {
        index >= 0 && index < digits.count ? digits[index] : 0
    }

    /// Exact digits of an integer (trailing zeros kept, like Int64ToNumber); zero has no digits.
    init(integer value: Int64) {
        self.init(magnitude: value.magnitude, isNegative: value < 0)
    }

    init(magnitude: UInt64, isNegative: Bool) {
        digits = magnitude == 0 ? [] : Array(String(magnitude).utf8)
        scale = digits.count
        self.isNegative = isNegative
        kind = .integer
    }

    /// Digits of a finite double. `precision == -1` gives the shortest round-trippable digits;
    /// otherwise `precision` significant digits (or digits after the decimal point when
    /// `isSignificantDigits` is false), correctly rounded with ties-to-even on the exact value.
    init(double value: Double, precision: Int, isSignificantDigits: Bool) {
        kind = .floatingPoint
        isNegative = value.sign == .minus
        digits = []
        scale = 0
        guard value != 0 else { return }
        if precision == -1 {
            (digits, scale) = DotNetNumberBuffer.shortestDigits(value.magnitude)
            return
        }
        (digits, scale) = DotNetNumberBuffer.exactDigits(value.magnitude)
        roundExactHalfEven(keep: isSignificantDigits ? precision : scale + precision)
    }

    /// Rounds exact digits to `keep` leading digits; ties go to the even digit.
    private mutating func roundExactHalfEven(keep: Int) {
        if keep >= digits.count { return }
        if keep < 0 {
            digits = []
            scale = 0
            return
        }
        let next = digits[keep]
        var roundUp = next > UInt8(ascii: "5")
        if next == UInt8(ascii: "5") {
            let hasMore = digits[(keep + 1)...].contains { $0 != UInt8(ascii: "0") }
            let previousOdd = keep > 0 && (digits[keep - 1] - UInt8(ascii: "0")) % 2 == 1
            roundUp = hasMore || previousOdd
        }
        digits.removeSubrange(keep...)
        if roundUp {
            var i = keep
            while i > 0 && digits[i - 1] == UInt8(ascii: "9") { i -= 1 }
            if i > 0 {
                digits[i - 1] += 1
                digits.removeSubrange(i...)
            } else {
                digits = [UInt8(ascii: "1")]
                scale += 1
            }
        }
        while let last = digits.last, last == UInt8(ascii: "0") { digits.removeLast() }
        if digits.isEmpty { scale = 0 }
    }

    /// Port of Number.RoundNumber: truncates to `pos` digits, rounding half-up unless the digits
    /// were already correctly rounded; trims trailing zeros.
    mutating func round(to pos: Int, isCorrectlyRounded: Bool) {
        var i = 0
        while i < pos && digit(i) != 0 { i += 1 }
        if i == pos && !isCorrectlyRounded && digit(i) >= UInt8(ascii: "5") {
            while i > 0 && digits[i - 1] == UInt8(ascii: "9") { i -= 1 }
            if i > 0 {
                digits[i - 1] += 1
            } else {
                scale += 1
                digits[0] = UInt8(ascii: "1")
                i = 1
            }
        } else {
            while i > 0 && digits[i - 1] == UInt8(ascii: "0") { i -= 1 }
        }
        if i == 0 {
            if kind != .floatingPoint { isNegative = false }
            scale = 0
        }
        if i < digits.count { digits.removeSubrange(i...) }
    }

    // MARK: - Digit generation

    /// Shortest round-trip digits; Swift's description uses the same shortest/closest criterion.
    static func shortestDigits(_ magnitude: Double) -> ([UInt8], Int) {
        let text = Array(magnitude.description.utf8)
        var mantissa = text[...]
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            mantissa = text[..<e]
            exponent = Int(String(decoding: text[(e + 1)...], as: UTF8.self)) ?? 0
        }
        var all: [UInt8] = []
        var pointPosition = -1
        for c in mantissa {
            if c == UInt8(ascii: ".") { pointPosition = all.count } else { all.append(c) }
        }
        if pointPosition < 0 { pointPosition = all.count }
        let leadingZeros = all.prefix { $0 == UInt8(ascii: "0") }.count
        var digits = Array(all.dropFirst(leadingZeros))
        while let last = digits.last, last == UInt8(ascii: "0") { digits.removeLast() }
        return (digits, pointPosition - leadingZeros + exponent)
    }

    /// The exact decimal expansion of a positive finite double.
    static func exactDigits(_ magnitude: Double) -> ([UInt8], Int) {
        let bits = magnitude.bitPattern
        var mantissa = bits & 0xF_FFFF_FFFF_FFFF
        let biased = Int((bits >> 52) & 0x7FF)
        var exponent: Int
        if biased != 0 {
            mantissa |= 1 << 52
            exponent = biased - 1075
        } else {
            exponent = -1074
        }
        let shift = mantissa.trailingZeroBitCount
        mantissa >>= UInt64(shift)
        exponent += shift
        var big = DotNetBigUInt(mantissa)
        var fractionDigits = 0
        if exponent >= 0 {
            big.shiftLeft(exponent)
        } else {
            fractionDigits = -exponent
            big.multiplyByPowerOf5(fractionDigits)
        }
        var digits = big.decimalDigits()
        let scale = digits.count - fractionDigits
        while let last = digits.last, last == UInt8(ascii: "0") { digits.removeLast() }
        return (digits, scale)
    }
}

/// Minimal unsigned big integer (little-endian 32-bit limbs) for exact double expansion.
struct DotNetBigUInt: Sendable {
    private(set) var limbs: [UInt32]

    init(_ value: UInt64) {
        limbs = [UInt32(truncatingIfNeeded: value), UInt32(truncatingIfNeeded: value >> 32)]
        normalize()
    }

    var isZero: Bool { limbs.isEmpty }

    private mutating func normalize() {
        while let last = limbs.last, last == 0 { limbs.removeLast() }
    }

    mutating func multiply(by factor: UInt32) {
        var carry: UInt64 = 0
        for i in limbs.indices {
            let product = UInt64(limbs[i]) * UInt64(factor) + carry
            limbs[i] = UInt32(truncatingIfNeeded: product)
            carry = product >> 32
        }
        if carry != 0 { limbs.append(UInt32(carry)) }
        normalize()
    }

    mutating func multiplyByPowerOf5(_ power: Int) {
        var remaining = power
        while remaining >= 13 {
            multiply(by: 1_220_703_125)  // 5^13
            remaining -= 13
        }
        var tail: UInt32 = 1
        for _ in 0..<remaining { tail *= 5 }
        if tail != 1 { multiply(by: tail) }
    }

    mutating func shiftLeft(_ bits: Int) {
        guard !limbs.isEmpty, bits > 0 else { return }
        let limbShift = bits / 32
        let bitShift = UInt32(bits % 32)
        if bitShift != 0 {
            var carry: UInt32 = 0
            for i in limbs.indices {
                let value = limbs[i]
                limbs[i] = (value << bitShift) | carry
                carry = value >> (32 - bitShift)
            }
            if carry != 0 { limbs.append(carry) }
        }
        if limbShift > 0 { limbs.insert(contentsOf: repeatElement(0, count: limbShift), at: 0) }
    }

    /// Divides in place and returns the remainder.
    mutating func divide(by divisor: UInt32) -> UInt32 {
        var remainder: UInt64 = 0
        for i in limbs.indices.reversed() {
            let current = (remainder << 32) | UInt64(limbs[i])
            limbs[i] = UInt32(current / UInt64(divisor))
            remainder = current % UInt64(divisor)
        }
        normalize()
        return UInt32(remainder)
    }

    /// ASCII decimal digits, most significant first ("" for zero).
    func decimalDigits() -> [UInt8] {
        var value = self
        var chunks: [UInt32] = []
        while !value.isZero { chunks.append(value.divide(by: 1_000_000_000)) }
        guard let top = chunks.popLast() else { return [] }
        var result = Array(String(top).utf8)
        for chunk in chunks.reversed() {
            let text = Array(String(chunk).utf8)
            result.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: 9 - text.count))
            result.append(contentsOf: text)
        }
        return result
    }
}
