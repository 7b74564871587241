import Foundation

/// What Tab offers: the text to replace (from `replacementStart` to the cursor) and the candidates
/// for it, sorted. Offsets count Unicode scalars, as the lexer and libedit do.
public struct CompletionResult: Equatable, Sendable {
    public let replacementStart: Int
    public let replacementLength: Int
    public let candidates: [String]

    public init(replacementStart: Int, replacementLength: Int, candidates: [String]) {
        self.replacementStart = replacementStart
        self.replacementLength = replacementLength
        self.candidates = candidates
    }
}

extension ScriptEngine {
    /// Completes the text before `cursor` (in Unicode scalars) of one line typed at the prompt:
    /// command names, parameter names and values, variables, members, type names and paths.
    public func complete(_ line: String, cursor: Int) -> CompletionResult {
        let scalars = Array(line.unicodeScalars.prefix(max(0, cursor)))
        return Completer(context: context, commands: commands, text: scalars).complete()
    }
}

/// One completion request. The text before the cursor is cut into tokens by the lexer in argument
/// mode (as a command line reads); a stack of open parens and braces finds the command the cursor
/// is in, and the parameter it is after. Member and type completion re-read the word under the
/// cursor in expression mode.
struct Completer {
    let context: ExecutionContext
    let commands: CommandTable
    let text: [Unicode.Scalar]

    /// The word being completed: where it starts, its text as typed, and the quote it opens with.
    struct Word {
        var start: Int
        var typed: String
        var quote: Unicode.Scalar?
        /// The token, when the word is a whole token (not an open string).
        var token: Token?
        /// The value typed so far, without its opening quote.
        var value: String { quote == nil ? typed : String(typed.unicodeScalars.dropFirst()) }
    }

    private var cursor: Int { text.count }

    func complete() -> CompletionResult {
        guard let lexed = tokenize() else { return result(from: cursor, []) }
        let (tokens, word) = lexed
        if word.quote == "\"" || word.quote == "\u{201C}" || word.quote == "\u{201D}",
           let dollar = word.typed.unicodeScalars.lastIndex(of: "$") {
            // Inside an open double-quoted string: the variable or member being expanded.
            let offset = word.typed.unicodeScalars.distance(from: word.typed.unicodeScalars.startIndex, to: dollar)
            if let r = completeExpression(from: word.start + offset) { return r }
        }
        if word.quote == nil, let first = word.token, let r = completeExpression(from: expressionStart(tokens, first)) {
            return r
        }
        let elements = currentCommand(tokens)
        return completeCommandLine(elements, word)
    }

    // MARK: tokens

    /// The argument-mode tokens before the word under the cursor, and that word. Nil when the
    /// cursor is somewhere nothing completes (inside a block comment).
    private func tokenize() -> ([Token], Word)? {
        var lx = Lexer(file: SourceFile(name: "<completion>", text: String(String.UnicodeScalarView(text))))
        var tokens: [Token] = []
        while true {
            do {
                _ = try lx.skipTrivia()
            } catch {
                return nil
            }
            let start = lx.pos
            do {
                let t = try lx.next(.argument)
                if t.kind == .eof { break }
                tokens.append(t)
            } catch {
                // An open string runs to the cursor: it is the word being completed.
                guard let q = lx.char(start), Lexer.isSingleQuote(q) || Lexer.isDoubleQuote(q) else { return nil }
                return (tokens, Word(start: start, typed: lx.text(start, cursor), quote: q, token: nil))
            }
        }
        if let last = tokens.last, last.end == cursor, Completer.isWordToken(last.kind) {
            tokens.removeLast()
            return (tokens, Word(start: last.start, typed: String(String.UnicodeScalarView(text[last.start..<cursor])), quote: nil, token: last))
        }
        if let last = tokens.last, last.end == cursor, case .literalString = last.kind { return nil }
        if let last = tokens.last, last.end == cursor, case .expandableString = last.kind { return nil }
        return (tokens, Word(start: cursor, typed: "", quote: nil, token: nil))
    }

    private static func isWordToken(_ k: Tok) -> Bool {
        switch k {
        case .word, .parameter, .variable, .number, .splat: return true
        default: return false
        }
    }

    /// Where the expression the cursor is in starts: the word's token, with the tokens written
    /// right before it (`$Visits` before `.Co`).
    private func expressionStart(_ tokens: [Token], _ word: Token) -> Int {
        var start = word.start
        for t in tokens.reversed() {
            guard t.end == start else { break }
            switch t.kind {
            case .variable, .word, .rbracket: start = t.start
            default: return start
            }
        }
        return start
    }

    /// The elements of the command the cursor is in, before the word: the tokens since the start
    /// of the innermost open paren or brace, or the last `|`, `;` or line break.
    private func currentCommand(_ tokens: [Token]) -> [Token] {
        var frames: [[Token]] = [[]]
        for t in tokens {
            switch t.kind {
            case .lparen, .dollarParen, .atParen, .lbrace, .atBrace:
                frames.append([])
            case .rparen, .rbrace:
                if frames.count > 1 { frames.removeLast() }
                frames[frames.count - 1].append(t)
            case .pipe, .semicolon, .newline:
                frames[frames.count - 1] = []
            case .ampersand where frames[frames.count - 1].isEmpty:
                continue
            case .word(let w) where Parser.assignmentOperators.contains(w) || (frames[frames.count - 1].isEmpty && ["return", "throw"].contains(w.lowercased())):
                // What follows `$x =` or `return` is a command of its own.
                frames[frames.count - 1] = []
            default:
                frames[frames.count - 1].append(t)
            }
        }
        return frames[frames.count - 1]
    }

    // MARK: command lines

    private func completeCommandLine(_ elements: [Token], _ word: Word) -> CompletionResult {
        guard let first = elements.first else {
            // The command name.
            guard word.quote == nil, !word.typed.isEmpty else { return result(from: word.start, []) }
            if Completer.looksLikePath(word.typed) { return result(from: word.start, quoted(paths(word.typed), word)) }
            return result(from: word.start, matching(commandNames(), word.typed))
        }
        guard case .word(let name) = first.kind, let shape = commandShape(name) else {
            return result(from: word.start, [])
        }
        if word.quote == nil, Completer.isParameterName(word.token?.kind) {
            let named = Set(namedArguments(elements).keys)
            let names = shape.parameters.filter { !named.contains($0.name.lowercased()) }.map(\.name)
                + (shape.common ? Completer.commonParameters : [])
            return result(from: word.start, matching(names.map { "-" + $0 }, word.typed))
        }
        if word.quote == nil, let t = word.token, case .parameter(let p, colon: true) = t.kind {
            // `-Name:` with nothing after the colon yet.
            let target = Completer.find(p, in: shape.parameters)
            return result(from: cursor, quoted(values(shape, target, "", elements), Word(start: cursor, typed: "")))
        }
        let target = parameterTaking(elements, word, shape)
        return result(from: word.start, quoted(values(shape, target, word.value, elements), word))
    }

    /// `-Na` or a lone `-`.
    private static func isParameterName(_ kind: Tok?) -> Bool {
        switch kind {
        case .parameter(_, colon: false)?, .word("-")?: return true
        default: return false
        }
    }

    /// A command's parameters as completion needs them.
    struct CommandShape {
        let name: String
        let parameters: [ParameterMeta]
        let positional: [ParameterMeta]
        /// Takes -ErrorAction and the other common parameters.
        let common: Bool
    }

    private func commandShape(_ name: String) -> CommandShape? {
        switch commands.resolve(name, context) {
        case .cmdlet(let info):
            let positional = info.parameters.filter { $0.position != nil }.sorted { $0.position! < $1.position! }
            return CommandShape(name: info.name, parameters: info.parameters, positional: positional, common: true)
        case .function(let f):
            return shape(of: f.body, name: f.name)
        case .script(let path):
            guard let text = try? String(contentsOfFile: path, encoding: .utf8),
                  let ast = try? Parser.parseScript(SourceFile(name: path, text: text)) else {
                return CommandShape(name: name, parameters: [], positional: [], common: false)
            }
            return shape(of: ast, name: name)
        case nil:
            return CommandShape(name: name, parameters: [], positional: [], common: false)
        }
    }

    private func shape(of body: ScriptBlockAst, name: String) -> CommandShape {
        guard let compiled = try? CompiledParameters.of(body, context) else {
            return CommandShape(name: name, parameters: [], positional: [], common: false)
        }
        return CommandShape(name: name, parameters: compiled.metas, positional: compiled.positionalOrder.map { compiled.metas[$0] },
                            common: compiled.isAdvanced)
    }

    private static func find(_ name: String, in parameters: [ParameterMeta]) -> ParameterMeta? {
        let n = name.lowercased()
        if let p = parameters.first(where: { $0.name.lowercased() == n || $0.aliases.contains { $0.lowercased() == n } }) { return p }
        let prefixed = parameters.filter { $0.name.lowercased().hasPrefix(n) }
        return prefixed.count == 1 ? prefixed[0] : nil
    }

    /// The parameters written by name before the cursor, by lower-cased declared name, with the
    /// text of their values ("" for switches).
    private func namedArguments(_ elements: [Token]) -> [String: String] {
        var out: [String: String] = [:]
        walk(elements, shapeParameters: commandShape(elementName(elements))?.parameters ?? []) { meta, value in
            if let meta { out[meta.name.lowercased()] = value ?? "" }
        }
        return out
    }

    private func elementName(_ elements: [Token]) -> String {
        if case .word(let w)? = elements.first?.kind { return w }
        return ""
    }

    /// Goes through the arguments after the command name: calls `visit` with each named parameter
    /// and its value's text, and with nil for each positional argument. Returns the parameter still
    /// waiting for its value at the end, if any.
    @discardableResult
    private func walk(_ elements: [Token], shapeParameters: [ParameterMeta], _ visit: (ParameterMeta?, String?) -> Void) -> ParameterMeta? {
        var i = 1
        while i < elements.count {
            let t = elements[i]
            if case .parameter(let p, let colon) = t.kind {
                let meta = Completer.find(p, in: shapeParameters)
                let takesValue = colon || !(meta?.isSwitch ?? true)
                if takesValue {
                    guard i + 1 < elements.count else {
                        visit(meta, nil)
                        return meta
                    }
                    visit(meta, Completer.text(of: elements[i + 1], text))
                    i += 2
                    continue
                }
                visit(meta, "")
            } else {
                visit(nil, nil)
            }
            i += 1
        }
        return nil
    }

    private static func text(of t: Token, _ text: [Unicode.Scalar]) -> String {
        switch t.kind {
        case .word(let w): return w
        case .literalString(let s): return s
        default: return String(String.UnicodeScalarView(text[t.start..<min(t.end, text.count)]))
        }
    }

    /// The parameter the word is a value for: the one named right before it, or the next positional one.
    private func parameterTaking(_ elements: [Token], _ word: Word, _ shape: CommandShape) -> ParameterMeta? {
        if let last = elements.last, case .parameter(let p, colon: true) = last.kind, last.end == word.start {
            return Completer.find(p, in: shape.parameters)
        }
        var named = Set<String>()
        var positionalCount = 0
        let waiting = walk(elements, shapeParameters: shape.parameters) { meta, _ in
            if let meta { named.insert(meta.name.lowercased()) } else { positionalCount += 1 }
        }
        if let waiting { return waiting }
        let open = shape.positional.filter { !named.contains($0.name.lowercased()) }
        return positionalCount < open.count ? open[positionalCount] : nil
    }

    static let commonParameters = Set(ParameterBinder.commonParameters.values).sorted()

    private static let pathParameters: Set<String> = ["path", "literalpath", "filepath", "rootpath", "codefilepath", "outfile", "infile"]

    /// The values offered for `target` (nil: an argument no parameter declares, or of an unknown command).
    private func values(_ shape: CommandShape, _ target: ParameterMeta?, _ typed: String, _ elements: [Token]) -> [String] {
        guard let target else { return paths(typed) }
        // Get-Help NAME and Get-Command NAME take command names (and Get-Help the about_ topics).
        if ["get-help", "get-command"].contains(shape.name.lowercased()), target.name.lowercased() == "name" {
            let topics = shape.name.lowercased() == "get-help" ? commands.topics.map(\.name) : []
            return matching(commandNames() + topics, typed)
        }
        if let completer = commands.argumentCompleter(command: shape.name, parameter: target.name) {
            let request = ArgumentCompletion(command: shape.name, parameter: target.name, wordToComplete: typed,
                                             namedArguments: namedArguments(elements))
            return matching(completer(request), typed)
        }
        if let set = target.validateSet { return matching(set, typed) }
        let type = target.type.elementType ?? target.type
        if type.kind == .enumeration, let names = type.statics?.propertyNames { return matching(names, typed) }
        if target.type.kind == .bool { return matching(["$true", "$false"], typed) }
        if Completer.pathParameters.contains(target.name.lowercased()), [.string, .object].contains(type.kind) { return paths(typed) }
        return []
    }

    // MARK: results

    func result(from start: Int, _ candidates: [String]) -> CompletionResult {
        var seen = Set<String>()
        // Sorted as if unquoted, so that a quoted candidate stays among its neighbours.
        func key(_ c: String) -> String { (c.hasPrefix("'") ? String(c.dropFirst()) : c).lowercased() }
        let sorted = candidates.sorted { key($0) < key($1) }.filter { seen.insert($0.lowercased()).inserted }
        return CompletionResult(replacementStart: start, replacementLength: cursor - start, candidates: sorted)
    }

    /// The candidates that start with `typed` (case-insensitive; a quote the candidate opens with
    /// need not be typed), or match it as a wildcard pattern when it holds `*` or `?`.
    func matching(_ candidates: [String], _ typed: String) -> [String] {
        func unquoted(_ c: String) -> String { typed.hasPrefix("'") || !c.hasPrefix("'") ? c : String(c.dropFirst()) }
        if WildcardPattern.containsWildcard(typed) {
            let pattern = WildcardPattern(typed + "*")
            return candidates.filter { pattern.matches(unquoted($0)) }
        }
        let prefix = typed.lowercased()
        return candidates.filter { unquoted($0).lowercased().hasPrefix(prefix) }
    }

    /// Values as they must be written: in the quote the word opened with, or in single quotes when
    /// they hold blanks or characters that end an argument.
    private func quoted(_ values: [String], _ word: Word) -> [String] {
        values.map { v in
            if let q = word.quote {
                let escaped = Lexer.isSingleQuote(q) ? v.replacingOccurrences(of: "'", with: "''") : v
                return String(q) + escaped + String(Lexer.isSingleQuote(q) ? "'" : "\"")
            }
            guard v.unicodeScalars.contains(where: { Completer.needsQuotes.contains($0) }) else { return v }
            return "'" + v.replacingOccurrences(of: "'", with: "''") + "'"
        }
    }

    private static let needsQuotes: Set<Unicode.Scalar> = [" ", "\t", "'", "\"", "$", ";", ",", "|", "&", "(", ")", "{", "}", "#", "`", "@"]

    static func looksLikePath(_ s: String) -> Bool {
        s.contains("/") || s.hasPrefix(".") || s.hasPrefix("~")
    }
}
