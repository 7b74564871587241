import Foundation

/// glibc's pthread_getattr_np (a GNU extension the Swift Glibc module does not export).
@_silgen_name("pthread_getattr_np")
private func krsh_pthread_getattr_np(_ thread: pthread_t, _ attr: UnsafeMutablePointer<pthread_attr_t>) -> Int32

/// Deep recursion (a function calling itself forever, thousands of nested parentheses) must end in
/// a located error, not a crash: before going deeper, the parser and the evaluator check how much of
/// the thread's stack is left. The lowest safe address is computed once per thread.
enum StackGuard {
    /// Stack kept in reserve for the error path and the frames between two checks.
    static let reserve: UInt = 512 * 1024

    private static let key: pthread_key_t = {
        var k = pthread_key_t()
        pthread_key_create(&k, nil)
        return k
    }()

    private static func lowestSafeAddress() -> UInt {
        if let p = pthread_getspecific(key) { return UInt(bitPattern: p) }
        var attr = pthread_attr_t()
        var floor: UInt = 0
        if krsh_pthread_getattr_np(pthread_self(), &attr) == 0 {
            var addr: UnsafeMutableRawPointer?
            var size = 0
            if pthread_attr_getstack(&attr, &addr, &size) == 0, let addr {
                floor = UInt(bitPattern: addr) + reserve
            }
            pthread_attr_destroy(&attr)
        }
        pthread_setspecific(key, UnsafeRawPointer(bitPattern: max(floor, 1)))
        return floor
    }

    /// Whether the current frame is close to the end of the stack.
    @inline(__always)
    static var exhausted: Bool {
        var marker: UInt8 = 0
        let here = withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
        return here < lowestSafeAddress()
    }

    static func check(_ loc: SourceLocation?) throws {
        if exhausted {
            throw RuntimeError("The script failed due to call depth overflow.", at: loc, type: .runtimeException,
                               reach: .script, errorId: "CallDepthOverflow")
        }
    }
}
