import Foundation

// DateTime.Parse(s, InvariantCulture) as used by PowerShell's [datetime]'...' cast, for the
// common shapes: ISO 8601 (with fraction, Z or offset), M/d/yyyy [time], yyyy-MM-dd HH:mm:ss,
// RFC 1123, textual dates ("15 January 2024", "January 15, 2024", "Friday, 15 March 2024"),
// and a bare time (today's date). A zone designator (Z, GMT, +hh:mm) yields a .local value
// converted into the local zone, exactly like .NET; otherwise the kind is .unspecified.

extension DotNetDateTime {
    static func parse(_ text: String) -> DotNetDateTime? {
        parse(text, timeZone: .current)
    }

    /// `now` supplies the current date/year when the text omits them (defaults to the clock).
    static func parse(_ text: String, timeZone: TimeZone, now: DotNetDateTime? = nil) -> DotNetDateTime? {
        var parser = DotNetDateTimeParser(tokens: DotNetDateTimeParser.tokenize(text))
        guard parser.run() else { return nil }
        return parser.resolve(timeZone: timeZone, now: now ?? DotNetDateTime.now(timeZone: timeZone))
    }
}

struct DotNetDateTimeParser {
    enum Token: Equatable {
        case number(String)
        case word(String)
        case symbol(Character)
    }

    let tokens: [Token]
    var index = 0
    var year: Int?, month: Int?, day: Int?
    var yearDigits = 4
    var hour: Int?, minute = 0, second = 0
    var fractionTicks: Int64 = 0
    var amPm: Character?
    var dayOfWeek: Int?
    var offsetTicks: Int64?
    var looseNumbers: [String] = []

    init(tokens: [Token]) {
        self.tokens = tokens
    }

    static func tokenize(_ text: String) -> [Token] {
        var tokens: [Token] = []
        var current = ""
        var currentIsDigit = false
        func flush() {
            guard !current.isEmpty else { return }
            tokens.append(currentIsDigit ? .number(current) : .word(current.lowercased()))
            current = ""
        }
        for ch in text {
            if ch.isASCII && ch.isNumber {
                if !currentIsDigit { flush() }
                currentIsDigit = true
                current.append(ch)
            } else if ch.isLetter {
                if currentIsDigit { flush() }
                currentIsDigit = false
                current.append(ch)
            } else {
                flush()
                if !ch.isWhitespace { tokens.append(.symbol(ch)) }
            }
        }
        flush()
        return tokens
    }

    private func token(_ offset: Int = 0) -> Token? {
        let position = index + offset
        return position >= 0 && position < tokens.count ? tokens[position] : nil
    }

    private func number(_ offset: Int = 0) -> String? {
        if case .number(let digits)? = token(offset) { return digits }
        return nil
    }

    private func isSymbol(_ offset: Int, _ symbols: Set<Character>) -> Bool {
        if case .symbol(let c)? = token(offset) { return symbols.contains(c) }
        return false
    }

    /// Consumes the tokens; false when something is not understood.
    mutating func run() -> Bool {
        if case .word(let w)? = token(), let dow = Self.dayIndex(w) {
            dayOfWeek = dow
            index += 1
            if isSymbol(0, [","]) { index += 1 }
        }
        parseNumericDate()
        while let current = token() {
            switch current {
            case .number(let digits):
                if hour == nil && isSymbol(1, [":"]) {
                    guard parseTime() else { return false }
                } else {
                    looseNumbers.append(digits)
                    index += 1
                }
            case .word(let w):
                index += 1
                if let m = Self.monthIndex(w), month == nil {
                    month = m + 1
                } else if let dow = Self.dayIndex(w), dayOfWeek == nil {
                    dayOfWeek = dow
                } else if w == "am" || w == "pm", amPm == nil {
                    amPm = w.first
                    if hour == nil {
                        guard let last = looseNumbers.popLast(), let h = Int(last), last.count <= 2 else { return false }
                        hour = h
                    }
                } else if (w == "z" || w == "gmt") && offsetTicks == nil {
                    offsetTicks = 0
                } else if w == "t" && (day != nil) && hour == nil {
                    continue
                } else {
                    return false
                }
            case .symbol(let c):
                if (c == "+" || c == "-") && hour != nil && offsetTicks == nil && number(1) != nil {
                    index += 1
                    guard parseOffset(negative: c == "-") else { return false }
                } else if c == "," || (c == "-" && month != nil && day == nil) || (c == "-" && number(-1) != nil && !isSymbol(1, ["-"])) {
                    index += 1
                } else {
                    return false
                }
            }
        }
        return true
    }

    /// yyyy-MM-dd, yyyy/MM/dd, yyyy-MM, M/d/yyyy, M/d/yy, M/d, M-d-yyyy at the current position.
    private mutating func parseNumericDate() {
        guard let first = number() else { return }
        if first.count == 4, isSymbol(1, ["-", "/"]), let second = number(2), second.count <= 2 {
            year = Int(first)
            month = Int(second)
            index += 3
            if isSymbol(0, ["-", "/"]), let third = number(1), third.count <= 2 {
                day = Int(third)
                index += 2
            } else {
                day = 1
            }
        } else if first.count <= 2, isSymbol(1, ["/", "-"]), let second = number(2), second.count <= 2 {
            month = Int(first)
            day = Int(second)
            index += 3
            if isSymbol(0, ["/", "-"]), let third = number(1), third.count == 2 || third.count == 4 {
                year = Int(third)
                yearDigits = third.count
                index += 2
            }
        }
    }

    /// H:mm[:ss[.fffffff]] at the current position.
    private mutating func parseTime() -> Bool {
        guard let h = number().flatMap(Int.init), let m = number(2).flatMap(Int.init),
              number()!.count <= 2, number(2)!.count <= 2 else { return false }
        hour = h
        minute = m
        index += 3
        if isSymbol(0, [":"]), let s = number(1), s.count <= 2 {
            second = Int(s)!
            index += 2
            if isSymbol(0, ["."]), let fraction = number(1) {
                let value = Double("0." + fraction) ?? 0
                fractionTicks = Int64((value * 10_000_000).rounded(.toNearestOrEven))
                index += 2
            }
        }
        return true
    }

    /// +hh:mm, +hhmm or +hh after the sign.
    private mutating func parseOffset(negative: Bool) -> Bool {
        guard let digits = number() else { return false }
        index += 1
        var hours = 0, minutes = 0
        if digits.count == 4 {
            hours = Int(digits.prefix(2))!
            minutes = Int(digits.suffix(2))!
        } else if digits.count <= 2 {
            hours = Int(digits)!
            if isSymbol(0, [":"]), let mm = number(1), mm.count == 2 {
                minutes = Int(mm)!
                index += 2
            }
        } else {
            return false
        }
        guard hours <= 14, minutes <= 59 else { return false }
        let ticks = Int64(hours * 60 + minutes) * DotNetTimeSpan.ticksPerMinute
        offsetTicks = negative ? -ticks : ticks
        return true
    }

    func resolve(timeZone: TimeZone, now: DotNetDateTime) -> DotNetDateTime? {
        var year = self.year, day = self.day, yearDigits = self.yearDigits
        var loose = looseNumbers
        if month != nil && day == nil {
            // Textual month: a long number is the year, then day, then a (2-digit) year.
            if let long = loose.firstIndex(where: { $0.count >= 3 }) {
                year = Int(loose.remove(at: long))
            }
            if !loose.isEmpty { day = Int(loose.removeFirst()) }
            if year == nil && !loose.isEmpty {
                let text = loose.removeFirst()
                year = Int(text)
                yearDigits = text.count
            }
            if day == nil && year != nil { day = 1 }
        }
        guard loose.isEmpty else { return nil }
        guard (month != nil && day != nil) || (month == nil && day == nil && hour != nil) else { return nil }
        var dateTicks = now.date.ticks
        if let month, let day {
            var y = year ?? now.year
            if yearDigits <= 2 && year != nil { y += y <= 49 ? 2000 : 1900 }  // TwoDigitYearMax 2049
            guard let date = try? DotNetDateTime(year: y, month: month, day: day) else { return nil }
            dateTicks = date.ticks
            if let dayOfWeek, dayOfWeek != date.dayOfWeekNumber { return nil }
        }
        var h = hour ?? 0
        if let amPm {
            guard h <= 12 else { return nil }
            if amPm == "a" && h == 12 { h = 0 }
            if amPm == "p" && h < 12 { h += 12 }
        }
        guard h < 24, minute < 60, second < 60 else { return nil }
        let wall = dateTicks + (Int64(h) * 3600 + Int64(minute) * 60 + Int64(second)) * DotNetTimeSpan.ticksPerSecond
            + fractionTicks
        guard let offsetTicks else {
            return try? DotNetDateTime(ticks: wall, kind: .unspecified)
        }
        guard let utc = try? DotNetDateTime(ticks: wall - offsetTicks, kind: .utc) else { return nil }
        return utc.toLocalTime(timeZone: timeZone)
    }

    static func monthIndex(_ word: String) -> Int? {
        DotNetDateTime.monthNames.firstIndex { $0.lowercased() == word }
            ?? DotNetDateTime.abbreviatedMonthNames.firstIndex { $0.lowercased() == word }
    }

    static func dayIndex(_ word: String) -> Int? {
        DotNetDateTime.dayNames.firstIndex { $0.lowercased() == word }
            ?? DotNetDateTime.abbreviatedDayNames.firstIndex { $0.lowercased() == word }
    }
}
