/// The names of the static members `attachStatics` implements, for tab completion after `[Type]::`.
/// The members themselves are switches over lower-cased names; these lists say how they are spelled.
extension TypeRegistry {
    static func attachStaticNames() {
        func name(_ t: DotNetType, properties: [String] = [], methods: [String] = []) {
            t.statics?.propertyNames = properties
            t.statics?.methodNames = methods
        }
        name(math, properties: ["PI", "E"], methods: [
            "Abs", "Atan", "Atan2", "Ceiling", "Cos", "Exp", "Floor", "Log", "Log10", "Log2", "Max", "Min", "Pow", "Round",
            "Sign", "Sin", "Sqrt", "Tan", "Truncate",
        ])
        name(.string, properties: ["Empty"], methods: ["Compare", "Concat", "Equals", "Format", "IsNullOrEmpty", "IsNullOrWhiteSpace", "Join"])
        for t in [DotNetType.int32, .int64, .byte, .char, .decimal] {
            name(t, properties: t.kind == .decimal ? [] : ["MaxValue", "MinValue"], methods: ["Parse"])
        }
        name(.double, properties: ["MaxValue", "MinValue", "Epsilon", "NaN", "PositiveInfinity", "NegativeInfinity"], methods: ["IsNaN", "Parse"])
        name(.bool, properties: ["TrueString", "FalseString"], methods: ["Parse"])
        name(convert, methods: [
            "FromBase64String", "FromHexString", "ToBase64String", "ToBoolean", "ToChar", "ToDouble", "ToHexString", "ToInt32",
            "ToInt64", "ToString",
        ])
        name(regex, methods: ["Escape", "IsMatch", "Match", "Matches", "Replace", "Split", "Unescape"])
        name(.dateTime, properties: ["Now", "UtcNow", "Today", "MinValue", "MaxValue"], methods: ["DaysInMonth", "IsLeapYear", "Parse"])
        name(.timeSpan, properties: ["Zero"], methods: ["FromDays", "FromHours", "FromMilliseconds", "FromMinutes", "FromSeconds", "Parse"])
        name(.hashtable, methods: ["Synchronized"])
        name(.scriptBlock, methods: ["Create"])
        name(environment, properties: ["CurrentDirectory", "MachineName", "NewLine", "ProcessId", "ProcessorCount"],
             methods: ["GetEnvironmentVariable"])
        name(guid, properties: ["Empty"], methods: ["NewGuid", "Parse"])
        name(.object, methods: ["Equals", "ReferenceEquals"])
        name(path, properties: ["DirectorySeparatorChar", "PathSeparator"], methods: [
            "Combine", "GetDirectoryName", "GetExtension", "GetFileName", "GetFileNameWithoutExtension", "GetFullPath", "GetTempPath",
        ])
        name(GenericTypes.encoding, properties: ["ASCII", "Default", "Unicode", "UTF8"])
        name(GenericTypes.runspace, properties: ["DefaultRunspace"])
        for t in [CryptoAndNet.sha256, CryptoAndNet.sha1, CryptoAndNet.sha512, CryptoAndNet.md5] { name(t, methods: ["Create", "HashData"]) }
        name(CryptoAndNet.ipAddress, properties: ["Any", "IPv6Any", "IPv6Loopback", "Loopback"], methods: ["IsLoopback", "Parse"])
    }
}
