/// How far an error reaches (PowerShell's terminating-error kinds).
package enum ErrorReach {
    /// Written to the error stream; the command goes on (Write-Error, most cmdlet failures).
    case nonTerminating
    /// Ends the statement; the script goes on unless inside try or with ErrorAction Stop.
    case statement
    /// Ends the script unless caught (`throw`, ErrorAction Stop).
    case script
}

/// A runtime error: an ErrorRecord plus how far it reaches.
package struct RuntimeError: Error {
    let record: ErrorRecord
    var reach: ErrorReach

    init(_ message: String, at loc: SourceLocation?, type: DotNetType = .runtimeException,
         reach: ErrorReach = .statement, errorId: String = "RuntimeException", target: Value = .null) {
        let ex = ExceptionObject(type: type, message: message)
        record = ErrorRecord(exception: ex, location: loc, errorId: errorId, target: target)
        self.reach = reach
        ex.errorRecord = record
    }

    init(record: ErrorRecord, reach: ErrorReach) {
        self.record = record
        self.reach = reach
    }

    var message: String { record.exception.message }

    /// The same error, pointing at `loc` when it had no location yet.
    func located(_ loc: SourceLocation) -> RuntimeError {
        guard record.location == nil else { return self }
        let r = ErrorRecord(exception: record.exception, location: loc, errorId: record.errorId, target: record.target)
        record.exception.errorRecord = r
        return RuntimeError(record: r, reach: reach)
    }
}

/// Non-error control transfers, carried as Swift errors through the evaluator.
enum ControlFlow: Error {
    case breakLoop(String?)
    case continueLoop(String?)
    case returnFromScope
    case exit(Int32)
    /// A downstream command (Select-Object -First) has all it needs; upstream commands stop.
    case stopUpstream(ObjectIdentifier)
    /// Ctrl-C.
    case interrupted
}

/// System.Exception and its subclasses, as scripts see them (`$_.Exception`).
final class ExceptionObject: PSObject, @unchecked Sendable {
    let type: DotNetType
    let message: String
    var innerException: ExceptionObject?
    weak var errorRecord: ErrorRecord?

    init(type: DotNetType, message: String) {
        self.type = type
        self.message = message
    }

    override var dotNetType: DotNetType { type }

    override func getProperty(_ name: String) -> Value? {
        switch name.lowercased() {
        case "message": return .string(message)
        case "innerexception": return innerException.map { .object($0) } ?? .null
        case "errorrecord": return errorRecord.map { .object($0) } ?? .null
        default: return nil
        }
    }

    override var propertyNames: [String] { ["Message", "InnerException"] }
    override func toDisplayString(_ ctx: ExecutionContext?) -> String { type.fullName + ": " + message }
}

/// System.Management.Automation.ErrorRecord (`$_` in catch).
final class ErrorRecord: PSObject, @unchecked Sendable {
    let exception: ExceptionObject
    let location: SourceLocation?
    let errorId: String
    let target: Value

    init(exception: ExceptionObject, location: SourceLocation?, errorId: String, target: Value) {
        self.exception = exception
        self.location = location
        self.errorId = errorId
        self.target = target
    }

    override var dotNetType: DotNetType { .errorRecord }

    override func getProperty(_ name: String) -> Value? {
        switch name.lowercased() {
        case "exception": return .object(exception)
        case "targetobject": return target
        case "fullyqualifiederrorid": return .string(errorId)
        case "scriptstacktrace": return .string(location.map { "at <ScriptBlock>, \($0.file.name): line \($0.line)" } ?? "")
        case "invocationinfo":
            let info = PSCustomObject()
            info.set("ScriptLineNumber", location.map { .int(Int32($0.line)) } ?? .null)
            info.set("OffsetInLine", location.map { .int(Int32($0.column)) } ?? .null)
            info.set("ScriptName", .string(location?.file.name ?? ""))
            info.set("Line", .string(location?.sourceLine ?? ""))
            return .object(info)
        default: return nil
        }
    }

    override var propertyNames: [String] { ["Exception", "TargetObject", "FullyQualifiedErrorId"] }
    override func toDisplayString(_ ctx: ExecutionContext?) -> String { exception.message }
}
