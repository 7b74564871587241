/// An evaluated command argument: a parameter name (with an optional value) or a positional value.
struct BindArg {
    let name: String?
    let value: Value?
    let loc: SourceLocation
    /// `-Name:value` (or a splatted pair): the value belongs to the name.
    let attached: Bool
}

/// The one parameter binder all commands go through: by name (exact, alias, unique prefix),
/// then by position, then from the pipeline; with conversion to the parameter's type and validation.
struct ParameterBinder {
    static let commonParameters: [String: String] = [
        "erroraction": "ErrorAction", "ea": "ErrorAction", "warningaction": "WarningAction", "wa": "WarningAction",
        "verbose": "Verbose", "vb": "Verbose", "debug": "Debug", "db": "Debug", "errorvariable": "ErrorVariable",
        "ev": "ErrorVariable", "outvariable": "OutVariable", "ov": "OutVariable", "informationaction": "InformationAction",
        "infa": "InformationAction", "whatif": "WhatIf", "confirm": "Confirm",
    ]

    struct Result {
        /// Bound values by lower-cased parameter name, converted and validated.
        var values: [String: Value] = [:]
        /// Names as declared, in binding order (for $PSBoundParameters).
        var boundOrder: [String] = []
        /// Positional arguments no parameter took (`$args` of simple functions).
        var extra: [Value] = []
        var common: [String: Value] = [:]
    }

    let commandName: String
    let parameters: [ParameterMeta]
    /// Simple functions put unknown arguments in `$args`; cmdlets and advanced functions refuse them.
    let allowExtra: Bool
    let supportsCommon: Bool

    func find(_ name: String, _ loc: SourceLocation) throws -> Int? {
        let n = name.lowercased()
        if let i = parameters.firstIndex(where: { $0.name.lowercased() == n }) { return i }
        if let i = parameters.firstIndex(where: { $0.aliases.contains { $0.lowercased() == n } }) { return i }
        let prefixed = parameters.indices.filter { parameters[$0].name.lowercased().hasPrefix(n) }
        if prefixed.count == 1 { return prefixed[0] }
        if prefixed.count > 1 {
            let names = prefixed.map { "-" + parameters[$0].name }.joined(separator: " ")
            throw RuntimeError("Parameter cannot be processed because the parameter name '\(name)' is ambiguous. Possible matches include: \(names).",
                               at: loc, type: .parameterBindingException, errorId: "AmbiguousParameter,\(commandName)")
        }
        return nil
    }

    func bind(_ args: [BindArg], _ c: ExecutionContext, _ loc: SourceLocation) throws -> Result {
        var r = Result()
        var positional: [(Value, SourceLocation)] = []
        var i = 0
        while i < args.count {
            let a = args[i]
            i += 1
            guard let name = a.name else {
                positional.append((a.value ?? .null, a.loc))
                continue
            }
            guard let idx = try find(name, a.loc) else {
                if supportsCommon, let common = ParameterBinder.commonParameters[name.lowercased()] {
                    var v = a.value ?? .bool(true)
                    if !a.attached, a.value == nil, common != "Verbose", common != "Debug", common != "WhatIf", common != "Confirm",
                       i < args.count, args[i].name == nil {
                        v = args[i].value ?? .null
                        i += 1
                    }
                    r.common[common] = v
                    continue
                }
                if allowExtra {
                    positional.append((.string("-" + name), a.loc))
                    if let v = a.value { positional.append((v, a.loc)) }
                    continue
                }
                throw RuntimeError("A parameter cannot be found that matches parameter name '\(name)'.", at: a.loc,
                                   type: .parameterBindingException, errorId: "NamedParameterNotFound,\(commandName)")
            }
            let p = parameters[idx]
            var v: Value
            if p.isSwitch {
                v = a.value ?? .bool(true)
            } else if let given = a.value {
                v = given
            } else if i < args.count, args[i].name == nil {
                v = args[i].value ?? .null
                i += 1
            } else {
                throw RuntimeError("Missing an argument for parameter '\(p.name)'. Specify a parameter of type '\(p.type.fullName)' and try again.",
                                   at: a.loc, type: .parameterBindingException, errorId: "MissingArgument,\(commandName)")
            }
            let key = p.name.lowercased()
            if r.values[key] != nil {
                throw RuntimeError("Cannot bind parameter because parameter '\(p.name)' is specified more than once.", at: a.loc,
                                   type: .parameterBindingException, errorId: "ParameterAlreadyBound,\(commandName)")
            }
            r.values[key] = try convert(v, p, c, a.loc)
            r.boundOrder.append(p.name)
        }
        // Positional binding, in position order.
        let positionalParams = parameters.filter { $0.position != nil && !$0.isSwitch && !$0.remaining }
            .sorted { ($0.position ?? 0) < ($1.position ?? 0) }
        var next = 0
        var leftovers: [(Value, SourceLocation)] = []
        for (v, l) in positional {
            while next < positionalParams.count && r.values[positionalParams[next].name.lowercased()] != nil { next += 1 }
            if next < positionalParams.count {
                let p = positionalParams[next]
                r.values[p.name.lowercased()] = try convert(v, p, c, l)
                r.boundOrder.append(p.name)
                next += 1
            } else {
                leftovers.append((v, l))
            }
        }
        if !leftovers.isEmpty {
            if let rest = parameters.first(where: { $0.remaining }), r.values[rest.name.lowercased()] == nil {
                let v: Value = leftovers.count == 1 ? leftovers[0].0 : .array(PSArray(leftovers.map(\.0)))
                r.values[rest.name.lowercased()] = try convert(v, rest, c, leftovers[0].1)
                r.boundOrder.append(rest.name)
            } else if allowExtra {
                r.extra = leftovers.map(\.0)
            } else {
                let shown = Conversions.toString(leftovers[0].0, c)
                throw RuntimeError("A positional parameter cannot be found that accepts argument '\(shown)'.", at: leftovers[0].1,
                                   type: .parameterBindingException, errorId: "PositionalParameterNotFound,\(commandName)")
            }
        }
        return r
    }

    /// Converts and validates one value for a parameter.
    func convert(_ v: Value, _ p: ParameterMeta, _ c: ExecutionContext, _ loc: SourceLocation) throws -> Value {
        var out = v
        if p.isSwitch {
            out = .object(SwitchValue(Conversions.toBool(v)))
        } else if p.type.kind != .object {
            do {
                out = try Conversions.convert(v, to: p.type, c, loc)
            } catch let e as RuntimeError {
                throw RuntimeError("Cannot process argument transformation on parameter '\(p.name)'. \(e.message)", at: loc,
                                   type: .parameterBindingException, errorId: "ParameterArgumentTransformationError,\(commandName)")
            }
        }
        try validate(out, p, c, loc)
        return out
    }

    func validate(_ v: Value, _ p: ParameterMeta, _ c: ExecutionContext, _ loc: SourceLocation) throws {
        func fail(_ why: String) -> RuntimeError {
            RuntimeError("Cannot validate argument on parameter '\(p.name)'. \(why)", at: loc, type: .parameterBindingException,
                         errorId: "ParameterArgumentValidationError,\(commandName)")
        }
        if p.mandatory {
            if v.isNull {
                throw RuntimeError("Cannot bind argument to parameter '\(p.name)' because it is null.", at: loc,
                                   type: .parameterBindingException, errorId: "ParameterArgumentValidationErrorNullNotAllowed,\(commandName)")
            }
            if case .string(let s) = v, s.isEmpty, p.type.kind == .string {
                throw RuntimeError("Cannot bind argument to parameter '\(p.name)' because it is an empty string.", at: loc,
                                   type: .parameterBindingException, errorId: "ParameterArgumentValidationErrorEmptyStringNotAllowed,\(commandName)")
            }
        }
        if p.validateNotNullOrEmpty {
            if v.isNull || Conversions.toString(v, c).isEmpty && (Operators.elements(v)?.isEmpty ?? true) {
                throw fail("The argument is null or empty. Provide an argument that is not null or empty, and then try the command again.")
            }
        }
        if let set = p.validateSet {
            for item in Operators.elements(v) ?? [v] {
                let s = Conversions.toString(item, c)
                if !set.contains(where: { Operators.stringEqualsIgnoringCase($0, s) }) {
                    throw fail("The argument \"\(s)\" does not belong to the set \"\(set.joined(separator: ","))\" specified by the ValidateSet attribute. Supply an argument that is in the set and then try the command again.")
                }
            }
        }
        if let (lo, hi) = p.validateRange {
            for item in Operators.elements(v) ?? [v] {
                if try Operators.compare(item, lo, caseSensitive: false, loc) < 0 {
                    throw fail("The \(Conversions.toString(item, c)) argument is less than the minimum allowed range of \(Conversions.toString(lo, c)). Supply an argument that is greater than or equal to \(Conversions.toString(lo, c)) and then try the command again.")
                }
                if try Operators.compare(item, hi, caseSensitive: false, loc) > 0 {
                    throw fail("The \(Conversions.toString(item, c)) argument is greater than the maximum allowed range of \(Conversions.toString(hi, c)). Supply an argument that is less than or equal to \(Conversions.toString(hi, c)) and then try the command again.")
                }
            }
        }
    }

    /// Mandatory parameters left unbound are an error (there is no prompt).
    func checkMandatory(_ r: Result, pipelineWillBind: Bool, _ loc: SourceLocation) throws {
        let missing = parameters.filter {
            $0.mandatory && r.values[$0.name.lowercased()] == nil && !($0.valueFromPipeline && pipelineWillBind)
        }
        if !missing.isEmpty {
            throw RuntimeError("Cannot process command because of one or more missing mandatory parameters: \(missing.map(\.name).joined(separator: " ")).",
                               at: loc, type: .parameterBindingException, errorId: "MissingMandatoryParameter,\(commandName)")
        }
    }
}
