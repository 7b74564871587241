/// A .NET type as scripts see it: names for GetType(), a kind for conversions, a base type for `-is`
/// and typed catch, and the static members and constructor the type registry gives it.
public final class DotNetType: @unchecked Sendable, Hashable, CustomStringConvertible {
    package enum Kind: Equatable {
        case object, int32, int64, double, decimal, string, char, bool, byte
        case hashtable, ordered, array, scriptBlock, dateTime, timeSpan, psCustomObject, psObject
        case type, void, switchParameter, exception, errorRecord, enumeration, other
    }

    public let fullName: String
    public let name: String
    package let kind: Kind
    let baseType: DotNetType?
    /// For arrays: the element type.
    let elementType: DotNetType?
    let genericArguments: [DotNetType]
    /// Static members, constructor, enum values: filled by the registry.
    var statics: StaticMembers?

    package init(_ fullName: String, kind: Kind, base: DotNetType? = nil, elementType: DotNetType? = nil, generic: [DotNetType] = [],
         statics: StaticMembers? = nil, name: String? = nil) {
        self.fullName = fullName
        self.name = name ?? String(fullName.split(separator: ".").last ?? Substring(fullName))
        self.kind = kind
        self.baseType = base
        self.elementType = elementType
        self.genericArguments = generic
        self.statics = statics
    }

    public var description: String { fullName }
    public static func == (a: DotNetType, b: DotNetType) -> Bool { a === b || a.fullName == b.fullName }
    public func hash(into h: inout Hasher) { h.combine(fullName) }

    /// Whether this type is `other` or derives from it.
    func isSubtype(of other: DotNetType) -> Bool {
        if other.kind == .object && other.fullName == "System.Object" { return true }
        var t: DotNetType? = self
        while let cur = t {
            if cur == other { return true }
            t = cur.baseType
        }
        return false
    }

    // MARK: well-known types

    package static let object = DotNetType("System.Object", kind: .object)
    package static let valueType = DotNetType("System.ValueType", kind: .object, base: object)
    package static let int32 = DotNetType("System.Int32", kind: .int32, base: valueType)
    package static let int64 = DotNetType("System.Int64", kind: .int64, base: valueType)
    package static let byte = DotNetType("System.Byte", kind: .byte, base: valueType)
    package static let double = DotNetType("System.Double", kind: .double, base: valueType)
    package static let decimal = DotNetType("System.Decimal", kind: .decimal, base: valueType)
    package static let string = DotNetType("System.String", kind: .string, base: object)
    package static let char = DotNetType("System.Char", kind: .char, base: valueType)
    package static let bool = DotNetType("System.Boolean", kind: .bool, base: valueType)
    package static let hashtable = DotNetType("System.Collections.Hashtable", kind: .hashtable, base: object)
    package static let syncHashtable = DotNetType("System.Collections.Hashtable+SyncHashtable", kind: .hashtable, base: hashtable,
                                          name: "SyncHashtable")
    package static let ordered = DotNetType("System.Collections.Specialized.OrderedDictionary", kind: .ordered, base: object)
    package static let array = DotNetType("System.Array", kind: .array, base: object)
    package static let objectArray = DotNetType("System.Object[]", kind: .array, base: array, elementType: object)
    package static let scriptBlock = DotNetType("System.Management.Automation.ScriptBlock", kind: .scriptBlock, base: object)
    package static let dateTime = DotNetType("System.DateTime", kind: .dateTime, base: valueType)
    package static let timeSpan = DotNetType("System.TimeSpan", kind: .timeSpan, base: valueType)
    package static let psCustomObject = DotNetType("System.Management.Automation.PSCustomObject", kind: .psCustomObject, base: object)
    package static let psObject = DotNetType("System.Management.Automation.PSObject", kind: .psObject, base: object)
    package static let runtimeType = DotNetType("System.RuntimeType", kind: .type, base: object)
    package static let void = DotNetType("System.Void", kind: .void, base: valueType)
    package static let switchParameter = DotNetType("System.Management.Automation.SwitchParameter", kind: .switchParameter, base: valueType)
    package static let errorRecord = DotNetType("System.Management.Automation.ErrorRecord", kind: .errorRecord, base: object)

    package static let exception = DotNetType("System.Exception", kind: .exception, base: object)
    package static let systemException = DotNetType("System.SystemException", kind: .exception, base: exception)
    package static let runtimeException = DotNetType("System.Management.Automation.RuntimeException", kind: .exception, base: systemException)
    package static let argumentException = DotNetType("System.ArgumentException", kind: .exception, base: systemException)
    package static let argumentNullException = DotNetType("System.ArgumentNullException", kind: .exception, base: argumentException)
    package static let argumentOutOfRangeException = DotNetType("System.ArgumentOutOfRangeException", kind: .exception, base: argumentException)
    package static let invalidOperationException = DotNetType("System.InvalidOperationException", kind: .exception, base: systemException)
    package static let notSupportedException = DotNetType("System.NotSupportedException", kind: .exception, base: systemException)
    package static let formatException = DotNetType("System.FormatException", kind: .exception, base: systemException)
    package static let arithmeticException = DotNetType("System.ArithmeticException", kind: .exception, base: systemException)
    package static let divideByZeroException = DotNetType("System.DivideByZeroException", kind: .exception, base: arithmeticException)
    package static let overflowException = DotNetType("System.OverflowException", kind: .exception, base: arithmeticException)
    package static let keyNotFoundException = DotNetType("System.Collections.Generic.KeyNotFoundException", kind: .exception, base: systemException)
    package static let ioException = DotNetType("System.IO.IOException", kind: .exception, base: systemException)
    package static let fileNotFoundException = DotNetType("System.IO.FileNotFoundException", kind: .exception, base: ioException)
    package static let itemNotFoundException = DotNetType("System.Management.Automation.ItemNotFoundException", kind: .exception, base: runtimeException)
    package static let timeoutException = DotNetType("System.TimeoutException", kind: .exception, base: systemException)
    package static let commandNotFoundException = DotNetType("System.Management.Automation.CommandNotFoundException", kind: .exception, base: runtimeException)
    package static let parameterBindingException = DotNetType("System.Management.Automation.ParameterBindingException", kind: .exception, base: runtimeException)
    package static let validationMetadataException = DotNetType("System.Management.Automation.ValidationMetadataException", kind: .exception, base: runtimeException)
    package static let methodInvocationException = DotNetType("System.Management.Automation.MethodInvocationException", kind: .exception, base: runtimeException)
    package static let psInvalidCastException = DotNetType("System.Management.Automation.PSInvalidCastException", kind: .exception, base: runtimeException)
    package static let invalidCastException = DotNetType("System.InvalidCastException", kind: .exception, base: systemException)
    package static let actionPreferenceStopException = DotNetType("System.Management.Automation.ActionPreferenceStopException", kind: .exception, base: runtimeException)
    package static let writeErrorException = DotNetType("Microsoft.PowerShell.Commands.WriteErrorException", kind: .exception, base: systemException)

    package static let exceptionTypes: [DotNetType] = [
        exception, systemException, runtimeException, argumentException, argumentNullException, argumentOutOfRangeException,
        invalidOperationException, notSupportedException, formatException, arithmeticException, divideByZeroException,
        overflowException, keyNotFoundException, ioException, fileNotFoundException, timeoutException,
        commandNotFoundException, parameterBindingException, validationMetadataException, methodInvocationException,
        psInvalidCastException, invalidCastException, actionPreferenceStopException, writeErrorException,
    ]

    /// An array type with the given element type (`[string[]]`).
    package static func arrayOf(_ element: DotNetType) -> DotNetType {
        if element == object { return objectArray }
        return DotNetType(element.fullName + "[]", kind: .array, base: array, elementType: element)
    }
}

/// What the registry attaches to a type: static properties and methods, a constructor, enum values.
package struct StaticMembers {
    var property: ((String) -> Value?)?
    var method: ((String, [Value], ExecutionContext, SourceLocation) throws -> Value?)?
    var construct: (([Value], ExecutionContext, SourceLocation) throws -> Value)?
    var propertyNames: [String] = []
    var methodNames: [String] = []
}
