import Crypto
import Foundation

/// [System.Security.Cryptography.SHA256] (and SHA1/MD5/SHA512), [IPAddress], [guid].
enum CryptoAndNet {
    static let sha256 = DotNetType("System.Security.Cryptography.SHA256", kind: .other, base: .object)
    static let sha1 = DotNetType("System.Security.Cryptography.SHA1", kind: .other, base: .object)
    static let sha512 = DotNetType("System.Security.Cryptography.SHA512", kind: .other, base: .object)
    static let md5 = DotNetType("System.Security.Cryptography.MD5", kind: .other, base: .object)
    static let ipAddress = DotNetType("System.Net.IPAddress", kind: .other, base: .object)

    static var types: [DotNetType] { [sha256, sha1, sha512, md5, ipAddress] }

    static let aliases: [(String, DotNetType)] = [
        ("Security.Cryptography.SHA256", sha256), ("Security.Cryptography.SHA1", sha1),
        ("Security.Cryptography.SHA512", sha512), ("Security.Cryptography.MD5", md5),
        ("IPAddress", ipAddress), ("Net.IPAddress", ipAddress),
    ]

    enum Algorithm { case sha256, sha1, sha512, md5 }

    static func digest(_ a: Algorithm, _ bytes: [UInt8]) -> [UInt8] {
        switch a {
        case .sha256: return Array(SHA256.hash(data: bytes))
        case .sha1: return Array(Insecure.SHA1.hash(data: bytes))
        case .sha512: return Array(SHA512.hash(data: bytes))
        case .md5: return Array(Insecure.MD5.hash(data: bytes))
        }
    }

    static func attachStatics() {
        for (t, a) in [(sha256, Algorithm.sha256), (sha1, .sha1), (sha512, .sha512), (md5, .md5)] {
            t.statics = StaticMembers(method: { n, args, c, l in
                switch (n.lowercased(), args.count) {
                case ("hashdata", 1): return Bytes.value(digest(a, try Bytes.from(args[0], c, l)))
                case ("create", 0): return .object(HashAlgorithmObject(type: t, algorithm: a))
                default: return nil
                }
            }, construct: { _, _, _ in .object(HashAlgorithmObject(type: t, algorithm: a)) })
        }
        ipAddress.statics = StaticMembers(property: { n in
            switch n.lowercased() {
            case "loopback": return .object(IPAddressObject("127.0.0.1"))
            case "any": return .object(IPAddressObject("0.0.0.0"))
            case "ipv6loopback": return .object(IPAddressObject("::1"))
            case "ipv6any": return .object(IPAddressObject("::"))
            default: return nil
            }
        }, method: { n, args, c, l in
            switch (n.lowercased(), args.count) {
            case ("parse", 1):
                let s = Conversions.toString(args[0], c)
                guard let ip = IPAddressObject.parse(s) else {
                    throw RuntimeError("Exception calling \"Parse\" with \"1\" argument(s): \"An invalid IP address was specified.\"", at: l,
                                       type: .formatException)
                }
                return .object(ip)
            case ("isloopback", 1):
                guard case .object(let ip as IPAddressObject) = args[0] else { return .bool(false) }
                return .bool(ip.isLoopback)
            default: return nil
            }
        }, construct: { args, c, l in
            guard let first = args.first, let ip = IPAddressObject.parse(Conversions.toString(first, c)) else {
                throw RuntimeError("An invalid IP address was specified.", at: l, type: .formatException)
            }
            return .object(ip)
        })
    }
}

/// SHA256.Create(): ComputeHash(bytes).
final class HashAlgorithmObject: PSObject, @unchecked Sendable {
    let type: DotNetType
    let algorithm: CryptoAndNet.Algorithm
    init(type: DotNetType, algorithm: CryptoAndNet.Algorithm) { self.type = type; self.algorithm = algorithm }
    override var dotNetType: DotNetType { type }
    override func callMethod(_ name: String, _ args: [Value], _ c: ExecutionContext) throws -> Value? {
        switch (name, args.count) {
        case ("computehash", 1):
            let l = SourceLocation(file: SourceFile(name: "", text: ""), line: 0, column: 0)
            return Bytes.value(CryptoAndNet.digest(algorithm, try Bytes.from(args[0], c, l)))
        case ("dispose", 0), ("clear", 0): return .null
        default: return nil
        }
    }
}

/// System.Net.IPAddress: an IPv4 or IPv6 address in its text form.
final class IPAddressObject: PSObject, @unchecked Sendable {
    let text: String
    init(_ text: String) { self.text = text }

    static func parse(_ s: String) -> IPAddressObject? {
        var v4 = in_addr()
        if inet_pton(AF_INET, s, &v4) == 1 { return IPAddressObject(s) }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, s, &v6) == 1 { return IPAddressObject(s.lowercased()) }
        return nil
    }

    var isIPv6: Bool { text.contains(":") }
    var isLoopback: Bool { text.hasPrefix("127.") || text == "::1" }

    override var dotNetType: DotNetType { CryptoAndNet.ipAddress }
    override func getProperty(_ name: String) -> Value? {
        switch name.lowercased() {
        case "addressfamily": return .string(isIPv6 ? "InterNetworkV6" : "InterNetwork")
        case "isipv6loopback": return .bool(text == "::1")
        case "ipaddresstostring": return .string(text)
        default: return nil
        }
    }
    override var propertyNames: [String] { ["AddressFamily", "IPAddressToString"] }
    override func toDisplayString(_ ctx: ExecutionContext?) -> String { text }
}
