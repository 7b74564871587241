// Errors raised by the .NET-compatible formatting and value types.

/// Mirrors System.FormatException raised by ToString(format) / String.Format.
enum DotNetFormatError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An invalid or unsupported standard/custom format string (the offending spec).
    case invalidFormat(String)
    /// A malformed composite format string or bad argument index; payload is the .NET message.
    case invalidCompositeFormat(String)

    /// The message .NET puts in the FormatException.
    var message: String {
        switch self {
        case .invalidFormat:
            return "Format specifier was invalid."
        case .invalidCompositeFormat(let message):
            return message
        }
    }

    var description: String { message }

    static let inputStringNotCorrect = "Input string was not in a correct format."
    static let indexOutOfRange =
        "Index (zero based) must be greater than or equal to zero and less than the size of the argument list."
}

/// Mirrors ArgumentOutOfRangeException / OverflowException raised by DateTime and TimeSpan.
enum DotNetValueError: Error, Equatable, Sendable, CustomStringConvertible {
    case argumentOutOfRange(String)
    case overflow(String)

    var message: String {
        switch self {
        case .argumentOutOfRange(let message), .overflow(let message):
            return message
        }
    }

    var description: String { message }

    static let badYearMonthDay = "Year, Month, and Day parameters describe an un-representable DateTime."
    static let badHourMinuteSecond = "Hour, Minute, and Second parameters describe an un-representable DateTime."
    static let badMillisecond = "Valid values are between 0 and 999, inclusive."
    static let dateArithmetic = "The added or subtracted value results in an un-representable DateTime."
    static let badTicks = "Ticks must be between DateTime.MinValue.Ticks and DateTime.MaxValue.Ticks."
    static let badMonths = "Months value must be between +/-120000."
    static let badYears = "Years value must be between +/-10000."
    static let timeSpanTooLong = "TimeSpan overflowed because the duration is too long."
    static let timeSpanNaN = "TimeSpan does not accept floating point Not-a-Number values."
    static let negateTwosCompNum = "Negating the minimum value of a twos complement number is invalid."
}

extension UInt16 {
    /// The UTF-16 code unit of an ASCII scalar (helper for the .NET formatting ports).
    @inline(__always) init(dnAscii scalar: Unicode.Scalar) {
        self = UInt16(truncatingIfNeeded: scalar.value)
    }
}
