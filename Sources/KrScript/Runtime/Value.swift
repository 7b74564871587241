import Foundation

/// A PowerShell value. Scalars are stored inline (no boxing); reference types (arrays, hashtables,
/// objects, script blocks) are classes so that assignment shares them as .NET does.
public enum Value: @unchecked Sendable {
    case null
    case bool(Bool)
    /// System.Int32
    case int(Int32)
    /// System.Int64
    case long(Int64)
    /// System.Double
    case double(Double)
    /// System.Decimal (kept as a double: enough for the scripts this shell runs).
    case decimal(Double)
    /// System.Char (a UTF-16 code unit)
    case char(UInt16)
    case string(String)
    /// System.Object[] (and typed arrays, see PSArray.elementType)
    case array(PSArray)
    /// System.Collections.Hashtable / OrderedDictionary
    case hashtable(PSHashtable)
    case scriptBlock(ScriptBlock)
    case dateTime(DotNetDateTime)
    case timeSpan(DotNetTimeSpan)
    /// A type literal such as `[int]`.
    case type(DotNetType)
    /// Every other object: pscustomobject, error records, lists, regex matches ...
    case object(PSObject)

    public var isNull: Bool { if case .null = self { return true }; return false }

    static let emptyString = Value.string("")
}

/// A .NET-like reference object. Subclasses give their .NET type and members.
open class PSObject: @unchecked Sendable {
    public init() {}
    /// The .NET type the object claims to be (`GetType()`).
    open var dotNetType: DotNetType { .object }
    /// A property read; nil when there is no such property.
    open func getProperty(_ name: String) -> Value? { nil }
    /// A property write; returns false when there is no such settable property.
    open func setProperty(_ name: String, _ value: Value) throws -> Bool { false }
    /// A method call; nil when there is no such method.
    open func callMethod(_ name: String, _ args: [Value], _ ctx: ExecutionContext) throws -> Value? { nil }
    /// The text PowerShell shows for the object in a string.
    open func toDisplayString(_ ctx: ExecutionContext?) -> String { dotNetType.fullName }
    /// Whether the pipeline enumerates this object (lists and collections do).
    open var enumerated: [Value]? { nil }
    /// Property names in display order (tables, JSON, Select-Object).
    open var propertyNames: [String] { [] }
}

/// System.Object[]: a reference to a mutable array of values.
public final class PSArray: @unchecked Sendable {
    public var items: [Value]
    /// The element type of a typed array (`[string[]]`), nil for Object[].
    public var elementType: DotNetType?

    public init(_ items: [Value], elementType: DotNetType? = nil) {
        self.items = items
        self.elementType = elementType
    }

    public var count: Int { items.count }
}
