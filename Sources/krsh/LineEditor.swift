import CLibEdit
import Foundation

/// The prompt's line editor: libedit in emacs mode with history and a Tab completion hook.
///
/// libedit calls back through C function pointers that cannot capture context, so the editor registers
/// itself as libedit's client data and the callbacks find it there.
final class LineEditor {
    enum Input: Equatable {
        /// A line (or a recalled multi-line entry) without its final newline.
        case line(String)
        /// Ctrl-C while typing: the line was dropped.
        case interrupted
        /// Ctrl-D on an empty line, or the terminal went away.
        case endOfInput
    }

    /// What Tab offers: candidates for the text from `start` to the cursor (offsets in Unicode
    /// scalars, libedit's wide characters).
    struct Completions {
        var start: Int
        var candidates: [String]
    }

    /// Completion for `line` with the cursor `cursor` Unicode scalars in.
    typealias Completion = (_ line: String, _ cursor: Int) -> Completions

    var completion: Completion = { _, cursor in Completions(start: cursor, candidates: []) }

    /// The prompt shown by the next `readLine()`.
    var prompt: String {
        didSet { replacePromptText() }
    }

    private let editLine: OpaquePointer
    private let history: LineHistory
    private let output: UnsafeMutablePointer<FILE>
    /// The prompt as libedit reads it: a C string that must outlive every redraw.
    private var promptText: UnsafeMutablePointer<CChar>?

    /// Nil when libedit cannot set up (it needs stdin to be usable).
    init?(programName: String, history: LineHistory, output: UnsafeMutablePointer<FILE>) {
        guard let editLine = el_init(programName, krsh_stdin(), output, krsh_stderr()) else { return nil }
        self.editLine = editLine
        self.history = history
        self.output = output
        self.prompt = ""
        replacePromptText()

        _ = krsh_el_set_client_data(editLine, Unmanaged.passUnretained(self).toOpaque())
        _ = krsh_el_set_prompt(editLine) { editLine in
            LineEditor.owner(of: editLine)?.promptText ?? LineEditor.emptyCString
        }
        _ = krsh_el_set_editor(editLine, "emacs")
        // libedit restores the terminal on SIGINT/SIGTSTP/SIGCONT and redraws on SIGWINCH.
        _ = krsh_el_set_signal(editLine, 1)
        _ = krsh_el_set_history(editLine, history.handle)
        _ = krsh_el_add_function(editLine, "krsh-complete", "Complete the word before the cursor") { editLine, _ in
            LineEditor.owner(of: editLine)?.completeAtCursor() ?? UInt8(CC_ERROR)
        }
        _ = krsh_el_bind(editLine, "^I", "krsh-complete")
        // libedit's emacs map leaves Ctrl-R on redisplay; shells have taught everyone it searches history.
        _ = krsh_el_bind(editLine, "^R", "em-inc-search-prev")
    }

    deinit {
        el_end(editLine)
        free(promptText)
    }

    /// Reads one line with editing. Blocks until Enter, Ctrl-C or Ctrl-D.
    func readLine() -> Input {
        var count: Int32 = 0
        errno = 0
        guard let raw = el_gets(editLine, &count) else {
            // libedit's read fails with EINTR when SIGINT arrives; end of file gives a count of 0.
            let input: Input = count < 0 && errno == EINTR ? .interrupted : .endOfInput
            // The cursor is still on the abandoned line; the next prompt (or the parent shell's) must
            // start on a line of its own. The terminal is in raw mode, so it did not echo the ^C.
            fputs(input == .interrupted ? "^C\n" : "\n", output)
            fflush(output)
            return input
        }
        var line = String(cString: raw)
        if line.hasSuffix("\n") { line.removeLast() }
        return .line(line)
    }

    /// Adds an entry to the history (and its file).
    func remember(_ entry: String) {
        history.add(entry)
    }

    // MARK: - libedit callbacks

    private static func owner(of editLine: OpaquePointer?) -> LineEditor? {
        guard let editLine, let data = krsh_el_client_data(editLine) else { return nil }
        return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue()
    }

    /// Returned for a prompt only if libedit calls back before the client data is set; string literal
    /// storage is static and NUL-terminated, and libedit only reads it.
    private static var emptyCString: UnsafeMutablePointer<CChar> {
        UnsafeMutableRawPointer(mutating: StaticString("").utf8Start).assumingMemoryBound(to: CChar.self)
    }

    private func replacePromptText() {
        free(promptText)
        promptText = strdup(prompt)
    }

    /// Tab: asks `completion`; one candidate is inserted, several insert what they share, or are
    /// listed in columns under the line when they share nothing more than what is typed.
    private func completeAtCursor() -> UInt8 {
        guard let info = el_line(editLine)?.pointee,
              let start = info.buffer, let cursor = info.cursor, let end = info.lastchar else {
            return UInt8(CC_ERROR)
        }
        let line = Self.text(from: start, to: end)
        let beforeCursor = Self.text(from: start, to: cursor).unicodeScalars
        let answer = completion(line, beforeCursor.count)
        let replacedCount = max(0, beforeCursor.count - answer.start)
        let replaced = String(String.UnicodeScalarView(beforeCursor.suffix(replacedCount)))
        let candidates = answer.candidates

        guard let first = candidates.first else { return UInt8(CC_REFRESH_BEEP) }
        if candidates.count == 1 {
            replace(replacedCount, with: first)
            return UInt8(CC_REFRESH)
        }
        let shared = Self.commonPrefix(of: candidates)
        if shared.count > replaced.count && Self.extends(shared, replaced) {
            replace(replacedCount, with: shared)
            return UInt8(CC_REFRESH)
        }
        // Nothing more to insert: list the choices under the line, then redraw prompt and line.
        let width = Int(krsh_terminal_columns(output))
        fputs("\n" + Self.columns(candidates, width: width > 0 ? width : 80), output)
        return UInt8(CC_REDISPLAY)
    }

    /// Replaces the `count` characters before the cursor.
    private func replace(_ count: Int, with replacement: String) {
        // libedit counts characters as wide characters, which on Linux are Unicode scalars.
        el_deletestr(editLine, Int32(count))
        _ = el_insertstr(editLine, replacement)
    }

    /// The items in as many columns as fit in `width`, filled top to bottom, each line ended.
    static func columns(_ items: [String], width: Int) -> String {
        let columnWidth = (items.map(\.count).max() ?? 0) + 2
        let columns = max(1, min(items.count, (width + 2) / columnWidth))
        let rows = (items.count + columns - 1) / columns
        var out = ""
        for row in 0..<rows {
            var line = ""
            for column in 0..<columns {
                let i = column * rows + row
                guard i < items.count else { break }
                line += items[i].padding(toLength: columnWidth, withPad: " ", startingAt: 0)
            }
            while line.hasSuffix(" ") { line.removeLast() }
            out += line + "\n"
        }
        return out
    }

    private static func text(from start: UnsafePointer<CChar>, to end: UnsafePointer<CChar>) -> String {
        let bytes = UnsafeRawBufferPointer(start: start, count: max(0, end - start))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether `shared` continues what was typed (ignoring case and a quote either opens with): a
    /// wildcard word (`*-Json`) is not replaced by what its matches share.
    private static func extends(_ shared: String, _ typed: String) -> Bool {
        func bare(_ s: String) -> String { (s.hasPrefix("'") || s.hasPrefix("\"") ? String(s.dropFirst()) : s).lowercased() }
        return bare(shared).hasPrefix(bare(typed))
    }

    private static func commonPrefix(of strings: [String]) -> String {
        guard var prefix = strings.first else { return "" }
        for string in strings.dropFirst() {
            prefix = String(zip(prefix, string).prefix { $0 == $1 }.map(\.0))
        }
        return prefix
    }
}
