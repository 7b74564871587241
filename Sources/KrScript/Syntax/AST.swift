import Synchronization

/// The syntax tree. Nodes are classes so that the evaluator can keep per-node caches (resolved
/// commands, resolved types). Every node has a source location. A tree can run on several threads
/// at once (route scripts), so caches are set once, atomically.

/// A reference set at most once and read without a lock from any thread (a per-node cache).
/// (Synchronization's AtomicLazyReference does this too, but its `load` is not specialised across
/// the module boundary and costs a generic-metadata lookup per call.)
struct AtomicOnce<T: AnyObject>: ~Copyable {
    private let bits = Atomic<UInt>(0)

    init() {}

    /// The reference without retaining it: valid while the holder of this cache lives (a stored
    /// reference is never replaced).
    @inline(__always)
    func loadUnretained() -> Unmanaged<T>? {
        let b = bits.load(ordering: .acquiring)
        guard b != 0, let p = UnsafeRawPointer(bitPattern: b) else { return nil }
        return Unmanaged<T>.fromOpaque(p)
    }

    @inline(__always)
    func load() -> T? {
        let b = bits.load(ordering: .acquiring)
        guard b != 0, let p = UnsafeRawPointer(bitPattern: b) else { return nil }
        return Unmanaged<T>.fromOpaque(p).takeUnretainedValue()
    }

    /// Stores `value` unless a value is there already; returns the one that stays.
    func storeIfNil(_ value: T) -> T {
        let u = Unmanaged.passRetained(value)
        let (stored, current) = bits.compareExchange(expected: 0, desired: UInt(bitPattern: u.toOpaque()), ordering: .acquiringAndReleasing)
        if stored { return value }
        u.release()
        guard let p = UnsafeRawPointer(bitPattern: current) else { return value }
        return Unmanaged<T>.fromOpaque(p).takeUnretainedValue()
    }

    deinit {
        if let p = UnsafeRawPointer(bitPattern: bits.load(ordering: .acquiring)) { Unmanaged<T>.fromOpaque(p).release() }
    }
}

/// An expression: evaluates to one value.
protocol Expr: AnyObject {
    var loc: SourceLocation { get }
    func eval(_ c: ExecutionContext) throws -> Value
    /// The value's truth (a condition). Default: `Conversions.toBool(eval(c))`; comparisons
    /// answer without making a Bool value.
    func truth(_ c: ExecutionContext) throws -> Bool
}

/// A statement: writes any number of values to its output pipe.
protocol Stmt: AnyObject {
    var loc: SourceLocation { get }
    func exec(_ c: ExecutionContext, _ out: OutputPipe) throws
    /// The statement's value where an expression is needed (conditions, right-hand sides): an
    /// expression's own value, else the collected output. Default: collect (Interpreter.swift).
    func value(_ c: ExecutionContext) throws -> Value
    /// The truth of `value` (loop and if conditions).
    func truth(_ c: ExecutionContext) throws -> Bool
}

/// A variable reference resolved at parse time: scope qualifier plus an interned, case-folded name.
struct VariablePath: Sendable {
    enum Qualifier: Sendable { case none, global, script, local, `private`, env, variable, using }
    let qualifier: Qualifier
    /// The name as written (without qualifier).
    let name: String
    let id: VarID

    init(_ written: String) {
        var q = Qualifier.none
        var n = written
        if let colon = written.firstIndex(of: ":") {
            let prefix = written[..<colon].lowercased()
            let rest = String(written[written.index(after: colon)...])
            switch prefix {
            case "global": q = .global; n = rest
            case "script": q = .script; n = rest
            case "local": q = .local; n = rest
            case "private": q = .private; n = rest
            case "env": q = .env; n = rest
            case "variable": q = .variable; n = rest
            case "using": q = .using; n = rest
            default: break
            }
        }
        qualifier = q
        name = n
        id = VarID.intern(n)
    }
}

/// One piece of a double-quoted string.
enum StringPart {
    case text(String)
    case expr(Expr)
}

/// A type name as written: `int`, `string[]`, `System.Collections.Generic.List[string]`.
final class TypeNameAst: CustomStringConvertible {
    let name: String
    let genericArguments: [TypeNameAst]
    let isArray: Bool
    let loc: SourceLocation
    /// Resolved once on first use.
    var resolved: DotNetType?

    init(name: String, genericArguments: [TypeNameAst], isArray: Bool, loc: SourceLocation) {
        self.name = name
        self.genericArguments = genericArguments
        self.isArray = isArray
        self.loc = loc
    }

    var description: String {
        var s = name
        if !genericArguments.isEmpty { s += "[" + genericArguments.map(\.description).joined(separator: ",") + "]" }
        if isArray { s += "[]" }
        return s
    }
}

/// An attribute on a parameter or a param block: `[Parameter(Mandatory, Position = 0)]`.
struct AttributeAst {
    let name: String
    let positional: [Expr]
    let named: [(String, Expr?)]
    let loc: SourceLocation
}

final class ParameterAst {
    let variable: VariablePath
    let type: TypeNameAst?
    let defaultValue: Expr?
    let attributes: [AttributeAst]
    let loc: SourceLocation

    init(variable: VariablePath, type: TypeNameAst?, defaultValue: Expr?, attributes: [AttributeAst], loc: SourceLocation) {
        self.variable = variable
        self.type = type
        self.defaultValue = defaultValue
        self.attributes = attributes
        self.loc = loc
    }
}

final class ParamBlockAst {
    let parameters: [ParameterAst]
    let attributes: [AttributeAst]
    init(parameters: [ParameterAst], attributes: [AttributeAst]) {
        self.parameters = parameters
        self.attributes = attributes
    }
}

/// The body of a script, function or script block.
final class ScriptBlockAst {
    let paramBlock: ParamBlockAst?
    let begin: [Stmt]?
    let process: [Stmt]?
    let end: [Stmt]?
    /// The text between the braces (what `"$sb"` prints).
    let text: String
    let loc: SourceLocation
    /// Compiled parameter metadata, built once on first invocation.
    let compiledParameters = AtomicOnce<CompiledParameters>()
    /// A body that a call can run without the general command machinery: only an end block, and
    /// parameters (if any) without attributes, so binding is by position or name and needs no
    /// validation; no parameter takes the name of an automatic variable the call defines.
    let isSimpleFunctionBody: Bool
    /// An end block that is one expression statement (`{ $a + $b }`, `{ return $a + $b }`): the
    /// expression and how its value is written, so that a call used as a value can take the value
    /// without collecting output.
    let singleExpression: Expr?
    let singleExpressionOutput: PipelineStmt.ExpressionOutput

    init(paramBlock: ParamBlockAst?, begin: [Stmt]?, process: [Stmt]?, end: [Stmt]?, text: String, loc: SourceLocation) {
        self.paramBlock = paramBlock
        self.begin = begin
        self.process = process
        self.end = end
        self.text = text
        self.loc = loc
        let reserved = [VarID.args, VarID.input, VarID.psBoundParameters]
        isSimpleFunctionBody = begin == nil && process == nil && end != nil && (paramBlock.map { block in
            block.attributes.isEmpty && block.parameters.allSatisfy { $0.attributes.isEmpty && !reserved.contains($0.variable.id) }
        } ?? true)
        var statement = end?.count == 1 ? end?[0] : nil
        if let r = statement as? ReturnStmt { statement = r.value }
        if let p = statement as? PipelineStmt, p.expression != nil, !p.discardOutput {
            singleExpression = p.expression
            singleExpressionOutput = p.expressionOutput
        } else {
            singleExpression = nil
            singleExpressionOutput = .always
        }
    }

    var hasNamedBlocks: Bool { begin != nil || process != nil }
}

// MARK: - expressions

final class ConstantExpr: Expr {
    let value: Value
    let loc: SourceLocation
    init(_ value: Value, _ loc: SourceLocation) { self.value = value; self.loc = loc }
}

final class ExpandableStringExpr: Expr {
    let parts: [StringPart]
    let loc: SourceLocation
    init(_ parts: [StringPart], _ loc: SourceLocation) { self.parts = parts; self.loc = loc }
}

final class VariableExpr: Expr {
    let path: VariablePath
    let loc: SourceLocation
    /// The scope slot where this reference last found its variable: tried first next time (a
    /// hint, checked against the slot's name; relaxed atomics because route scripts share trees).
    let slotHint = Atomic<Int>(-1)
    init(_ path: VariablePath, _ loc: SourceLocation) { self.path = path; self.loc = loc }
}

final class ArrayLiteralExpr: Expr {
    let elements: [Expr]
    let loc: SourceLocation
    init(_ elements: [Expr], _ loc: SourceLocation) { self.elements = elements; self.loc = loc }
}

/// `@( ... )`
final class ArraySubExpr: Expr {
    let body: [Stmt]
    let loc: SourceLocation
    init(_ body: [Stmt], _ loc: SourceLocation) { self.body = body; self.loc = loc }
}

/// `$( ... )`
final class SubExpr: Expr {
    let body: [Stmt]
    let loc: SourceLocation
    init(_ body: [Stmt], _ loc: SourceLocation) { self.body = body; self.loc = loc }
}

/// `( pipeline )`
final class ParenExpr: Expr {
    let statement: Stmt
    let loc: SourceLocation
    /// `(expr)`: the expression itself (decided once here, not per evaluation).
    let expression: Expr?
    /// `($x = ...)`
    let assignment: AssignmentStmt?
    init(_ statement: Stmt, _ loc: SourceLocation) {
        self.statement = statement; self.loc = loc
        if let p = statement as? PipelineStmt, p.elements.count == 1, case .expression(let e) = p.elements[0] {
            expression = e
        } else {
            expression = nil
        }
        assignment = statement as? AssignmentStmt
    }
}

final class HashtableExpr: Expr {
    let entries: [(key: Expr, value: Stmt)]
    let loc: SourceLocation
    init(_ entries: [(key: Expr, value: Stmt)], _ loc: SourceLocation) { self.entries = entries; self.loc = loc }
}

final class ScriptBlockExpr: Expr {
    let body: ScriptBlockAst
    let loc: SourceLocation
    init(_ body: ScriptBlockAst, _ loc: SourceLocation) { self.body = body; self.loc = loc }
}

final class TypeLiteralExpr: Expr {
    let type: TypeNameAst
    let loc: SourceLocation
    init(_ type: TypeNameAst, _ loc: SourceLocation) { self.type = type; self.loc = loc }
}

final class CastExpr: Expr {
    let type: TypeNameAst
    let operand: Expr
    let loc: SourceLocation
    init(_ type: TypeNameAst, _ operand: Expr, _ loc: SourceLocation) { self.type = type; self.operand = operand; self.loc = loc }
}

final class UnaryExpr: Expr {
    let op: String
    let operand: Expr
    let loc: SourceLocation
    init(_ op: String, _ operand: Expr, _ loc: SourceLocation) { self.op = op; self.operand = operand; self.loc = loc }
}

/// `++$x`, `$x--`
final class IncrementExpr: Expr {
    let target: Expr
    let delta: Int32
    let prefix: Bool
    let loc: SourceLocation
    /// The target when it is an unqualified variable (`$i++`), for the fast path.
    let plainVariable: VariableExpr?
    init(_ target: Expr, delta: Int32, prefix: Bool, _ loc: SourceLocation) {
        self.target = target; self.delta = delta; self.prefix = prefix; self.loc = loc
        plainVariable = (target as? VariableExpr).flatMap { $0.path.qualifier == .none ? $0 : nil }
    }
}

final class BinaryExpr: Expr {
    let op: BinaryOperator
    let lhs: Expr
    let rhs: Expr
    let loc: SourceLocation
    /// The operator's fast path for two Int32 operands, decided once.
    let intOp: IntOperator
    /// The right operand when it is an Int32 literal (`$i -lt 1000`, `$n + 1`): not evaluated.
    let rhsInt: Int32?
    /// Numeric literals joined by `+`, `-` or `*` (`60 * 60`): the value, computed here once.
    let folded: Value?

    enum IntOperator: UInt8 { case none, add, subtract, lt, le, gt, ge, eq, ne }

    init(_ op: BinaryOperator, _ lhs: Expr, _ rhs: Expr, _ loc: SourceLocation) {
        self.op = op; self.lhs = lhs; self.rhs = rhs; self.loc = loc
        switch op {
        case .add: intOp = .add
        case .subtract: intOp = .subtract
        case .compare(.lt, _): intOp = .lt
        case .compare(.le, _): intOp = .le
        case .compare(.gt, _): intOp = .gt
        case .compare(.ge, _): intOp = .ge
        case .compare(.eq, _): intOp = .eq
        case .compare(.ne, _): intOp = .ne
        default: intOp = .none
        }
        if let k = rhs as? ConstantExpr, case .int(let j) = k.value { rhsInt = j } else { rhsInt = nil }
        folded = BinaryExpr.fold(op, lhs, rhs)
    }

    private static func fold(_ op: BinaryOperator, _ lhs: Expr, _ rhs: Expr) -> Value? {
        guard let a = (lhs as? ConstantExpr)?.value, let b = (rhs as? ConstantExpr)?.value,
              Operators.isNumeric(a), Operators.isNumeric(b) else { return nil }
        switch op {
        case .add: return try? Operators.arith(.add, a, b, nil)
        case .subtract: return try? Operators.arith(.sub, a, b, nil)
        case .multiply: return try? Operators.arith(.mul, a, b, nil)
        default: return nil
        }
    }
}

final class TernaryExpr: Expr {
    let condition: Expr
    let then: Expr
    let otherwise: Expr
    let loc: SourceLocation
    init(_ c: Expr, _ t: Expr, _ e: Expr, _ loc: SourceLocation) { condition = c; then = t; otherwise = e; self.loc = loc }
}

final class MemberExpr: Expr {
    let target: Expr
    let member: Expr
    let isStatic: Bool
    let nullConditional: Bool
    let loc: SourceLocation
    init(_ target: Expr, _ member: Expr, isStatic: Bool, nullConditional: Bool, _ loc: SourceLocation) {
        self.target = target; self.member = member; self.isStatic = isStatic; self.nullConditional = nullConditional; self.loc = loc
    }
}

final class InvokeMemberExpr: Expr {
    let target: Expr
    let member: Expr
    let arguments: [Expr]
    let isStatic: Bool
    let nullConditional: Bool
    let loc: SourceLocation
    init(_ target: Expr, _ member: Expr, _ arguments: [Expr], isStatic: Bool, nullConditional: Bool, _ loc: SourceLocation) {
        self.target = target; self.member = member; self.arguments = arguments
        self.isStatic = isStatic; self.nullConditional = nullConditional; self.loc = loc
    }
}

final class IndexExpr: Expr {
    let target: Expr
    let index: Expr
    let nullConditional: Bool
    let loc: SourceLocation
    init(_ target: Expr, _ index: Expr, nullConditional: Bool, _ loc: SourceLocation) {
        self.target = target; self.index = index; self.nullConditional = nullConditional; self.loc = loc
    }
}

/// An assignment used where a value is needed (`($x = 5)`, `$a = $b = 5`).
final class AssignmentExpr: Expr {
    let assignment: AssignmentStmt
    var loc: SourceLocation { assignment.loc }
    init(_ a: AssignmentStmt) { assignment = a }
}

/// Binary operators, decoded once at parse time.
enum BinaryOperator: Equatable {
    case add, subtract, multiply, divide, modulo
    case range, format
    case and, or, xor
    case band, bor, bxor, shl, shr
    case coalesce
    /// Comparison family; `caseSensitive` for the `-c` forms, `negate` for the `not`/`ne` forms.
    case compare(CompareKind, caseSensitive: Bool)
    case replace(caseSensitive: Bool)
    case split(caseSensitive: Bool)
    case join
    case `is`, isNot, `as`

    enum CompareKind: Equatable { case eq, ne, gt, ge, lt, le, like, notLike, match, notMatch, contains, notContains, `in`, notIn }
}

// MARK: - statements

/// An element of a command: a parameter name (with an optional `-Name:value` argument), an
/// argument, or a splatted variable.
enum CommandElement {
    case parameter(name: String, argument: Expr?, loc: SourceLocation)
    case argument(Expr)
    case splat(VariablePath, SourceLocation)
}

final class CommandAst {
    enum Invocation { case normal, call, dot }
    /// The command name when written as a bare word; otherwise `nameExpr` gives it at run time.
    let name: String?
    let nameExpr: Expr?
    let elements: [CommandElement]
    let invocation: Invocation
    let loc: SourceLocation

    /// A command written as a bare name followed only by positional arguments (`f $a 2`), not
    /// dot-sourced: those arguments, for the direct function call.
    let positionalArguments: [Expr]?
    /// `name`, lower-cased once here (function tables are keyed by it).
    let lowercasedName: String?
    /// Set once this command has resolved to a function of its own name (so the name was not an
    /// alias) through a given command table; see PipelineRunner.resolveFunction.
    let resolvedAsFunction = AtomicOnce<FunctionNameMemo>()

    init(name: String?, nameExpr: Expr?, elements: [CommandElement], invocation: Invocation, loc: SourceLocation) {
        self.name = name; self.nameExpr = nameExpr; self.elements = elements; self.invocation = invocation; self.loc = loc
        var args: [Expr]? = []
        for el in elements {
            if case .argument(let e) = el { args?.append(e) } else { args = nil; break }
        }
        positionalArguments = name != nil && nameExpr == nil && invocation != .dot ? args : nil
        lowercasedName = name?.lowercased()
    }
}

/// The command table through which a command name resolved to a function of the same name.
final class FunctionNameMemo: Sendable {
    let table: ObjectIdentifier
    init(table: ObjectIdentifier) { self.table = table }
}

enum PipelineElement {
    case expression(Expr)
    case command(CommandAst)
}

final class PipelineStmt: Stmt {
    let elements: [PipelineElement]
    /// Output redirected to $null (`> $null`, `*> $null`) or error merged (`2>&1`).
    let discardOutput: Bool
    let mergeErrors: Bool
    let discardErrors: Bool
    let loc: SourceLocation
    /// A pipeline of one expression: the expression (most statements are this).
    let expression: Expr?
    /// Whether the expression's value is written: never for `$i++`, not when $null for `[void]...`
    /// and method calls (a void method's result).
    let expressionOutput: ExpressionOutput
    /// A pipeline of one command: the command.
    let command: CommandAst?
    /// A statement that is just `$i++` (or `++$i`, `$i--`): its value is never written.
    let increment: IncrementExpr?

    enum ExpressionOutput { case always, never, unlessNull }

    init(_ elements: [PipelineElement], discardOutput: Bool, mergeErrors: Bool, discardErrors: Bool, _ loc: SourceLocation) {
        self.elements = elements; self.discardOutput = discardOutput; self.mergeErrors = mergeErrors
        self.discardErrors = discardErrors; self.loc = loc
        var expression: Expr?, command: CommandAst?, output = ExpressionOutput.always
        if elements.count == 1 {
            switch elements[0] {
            case .expression(let e):
                expression = e
                if e is IncrementExpr {
                    output = .never
                } else if let cast = e as? CastExpr {
                    output = cast.isVoid ? .unlessNull : .always
                } else if e is InvokeMemberExpr {
                    output = .unlessNull
                }
            case .command(let c):
                command = c
            }
        }
        self.expression = expression
        self.command = command
        expressionOutput = output
        increment = expression as? IncrementExpr
    }
}

final class AssignmentStmt: Stmt {
    /// `=`, `+=`, `-=`, `*=`, `/=`, `%=`, `??=`
    let op: String
    /// Targets: one, or several for `$a, $b = ...`.
    let targets: [Expr]
    /// Type constraints written on the target (`[int]$n = ...`), per target.
    let constraints: [TypeNameAst?]
    let value: Stmt
    let loc: SourceLocation
    /// `op`, decoded once.
    let kind: Kind
    /// The one target when it is an unconstrained, unqualified variable (`$x = ...`, `$s += ...`).
    let plainVariable: VariableExpr?

    enum Kind { case assign, add, subtract, multiply, divide, modulo, coalesce }

    init(op: String, targets: [Expr], constraints: [TypeNameAst?], value: Stmt, _ loc: SourceLocation) {
        self.op = op; self.targets = targets; self.constraints = constraints; self.value = value; self.loc = loc
        switch op {
        case "+=": kind = .add
        case "-=": kind = .subtract
        case "*=": kind = .multiply
        case "/=": kind = .divide
        case "%=": kind = .modulo
        case "??=": kind = .coalesce
        default: kind = .assign
        }
        if targets.count == 1, constraints[0] == nil, let v = targets[0] as? VariableExpr, v.path.qualifier == .none {
            plainVariable = v
        } else {
            plainVariable = nil
        }
    }
}

final class IfStmt: Stmt {
    let clauses: [(condition: Stmt, body: [Stmt])]
    let elseBody: [Stmt]?
    let loc: SourceLocation
    init(_ clauses: [(condition: Stmt, body: [Stmt])], _ elseBody: [Stmt]?, _ loc: SourceLocation) {
        self.clauses = clauses; self.elseBody = elseBody; self.loc = loc
    }
}

final class WhileStmt: Stmt {
    let label: String?
    let condition: Stmt
    let body: [Stmt]
    let loc: SourceLocation
    init(label: String?, _ c: Stmt, _ b: [Stmt], _ loc: SourceLocation) { self.label = label; condition = c; body = b; self.loc = loc }
}

final class DoStmt: Stmt {
    let label: String?
    let body: [Stmt]
    let condition: Stmt
    /// `do {} until (...)` loops while the condition is false.
    let isUntil: Bool
    let loc: SourceLocation
    init(label: String?, _ b: [Stmt], _ c: Stmt, isUntil: Bool, _ loc: SourceLocation) {
        self.label = label; body = b; condition = c; self.isUntil = isUntil; self.loc = loc
    }
}

final class ForStmt: Stmt {
    let label: String?
    let initializer: Stmt?
    let condition: Stmt?
    let iterator: Stmt?
    let body: [Stmt]
    let loc: SourceLocation
    init(label: String?, _ i: Stmt?, _ c: Stmt?, _ it: Stmt?, _ b: [Stmt], _ loc: SourceLocation) {
        self.label = label; initializer = i; condition = c; iterator = it; body = b; self.loc = loc
    }
}

final class ForEachStmt: Stmt {
    let label: String?
    let variable: VariablePath
    let collection: Stmt
    let body: [Stmt]
    let loc: SourceLocation
    init(label: String?, _ v: VariablePath, _ c: Stmt, _ b: [Stmt], _ loc: SourceLocation) {
        self.label = label; variable = v; collection = c; body = b; self.loc = loc
    }
}

final class SwitchStmt: Stmt {
    enum Mode { case exact, wildcard, regex }
    struct Clause {
        /// nil for `default`.
        let pattern: Expr?
        let body: [Stmt]
    }
    let label: String?
    let mode: Mode
    let caseSensitive: Bool
    let subject: Stmt
    let clauses: [Clause]
    let loc: SourceLocation
    init(label: String?, mode: Mode, caseSensitive: Bool, subject: Stmt, clauses: [Clause], _ loc: SourceLocation) {
        self.label = label; self.mode = mode; self.caseSensitive = caseSensitive; self.subject = subject
        self.clauses = clauses; self.loc = loc
    }
}

final class TryStmt: Stmt {
    struct Catch {
        let types: [TypeNameAst]
        let body: [Stmt]
    }
    let body: [Stmt]
    let catches: [Catch]
    let finally: [Stmt]?
    let loc: SourceLocation
    init(_ body: [Stmt], _ catches: [Catch], _ finally: [Stmt]?, _ loc: SourceLocation) {
        self.body = body; self.catches = catches; self.finally = finally; self.loc = loc
    }
}

final class ThrowStmt: Stmt {
    let value: Stmt?
    let loc: SourceLocation
    init(_ value: Stmt?, _ loc: SourceLocation) { self.value = value; self.loc = loc }
}

final class ReturnStmt: Stmt {
    let value: Stmt?
    let loc: SourceLocation
    init(_ value: Stmt?, _ loc: SourceLocation) { self.value = value; self.loc = loc }
}

final class ExitStmt: Stmt {
    let value: Stmt?
    let loc: SourceLocation
    init(_ value: Stmt?, _ loc: SourceLocation) { self.value = value; self.loc = loc }
}

final class BreakStmt: Stmt {
    let label: String?
    let isContinue: Bool
    let loc: SourceLocation
    init(label: String?, isContinue: Bool, _ loc: SourceLocation) { self.label = label; self.isContinue = isContinue; self.loc = loc }
}

final class FunctionDefStmt: Stmt {
    let name: String
    let body: ScriptBlockAst
    let isFilter: Bool
    let loc: SourceLocation
    init(name: String, body: ScriptBlockAst, isFilter: Bool, _ loc: SourceLocation) {
        self.name = name; self.body = body; self.isFilter = isFilter; self.loc = loc
    }
}

/// `{ ... }` standing alone as a statement block is not PowerShell; a statement that is just an
/// expression is a PipelineStmt with one expression element.
