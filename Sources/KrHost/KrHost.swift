import KrScript

/// The Kr host object the server cmdlets drive. Filled in by the host capability.
public enum KrHostModule {
    public static let name = "KrHost"
}
