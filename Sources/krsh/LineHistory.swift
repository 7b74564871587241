import CLibEdit

/// The prompt's history: libedit's list, bounded, without consecutive duplicates, mirrored to a file.
///
/// libedit's file format escapes newlines, so a multi-line entry is stored and recalled as one entry.
final class LineHistory {
    /// The `History *` that the line editor walks with the arrow keys.
    let handle: OpaquePointer
    private let file: String?

    /// Loads `file` when it exists; nil only when libedit cannot allocate a history.
    init?(file: String?, limit: Int32) {
        guard let handle = history_init() else { return nil }
        self.handle = handle
        self.file = file
        _ = krsh_history_set_size(handle, limit)
        _ = krsh_history_set_unique(handle, 1)
        // A missing file just means a first run; an unreadable one leaves the history empty.
        if let file { _ = krsh_history_load(handle, file) }
    }

    deinit { history_end(handle) }

    /// Adds one entry and saves the file at once, so a crash or a closed terminal loses nothing.
    func add(_ entry: String) {
        _ = krsh_history_enter(handle, entry)
        if let file { _ = krsh_history_save(handle, file) }
    }

    /// `$KRSH_HISTORY` when set, else `$HOME/.krsh_history`; nil (memory only) when neither is known.
    static func defaultFile(environment: [String: String]) -> String? {
        if let named = environment["KRSH_HISTORY"], !named.isEmpty { return named }
        if let home = environment["HOME"], !home.isEmpty {
            return home.hasSuffix("/") ? home + ".krsh_history" : home + "/.krsh_history"
        }
        return nil
    }
}
