import Testing
@testable import KrHost
@Test func hostPlaceholder() { #expect(KrHostModule.name == "KrHost") }
