import Testing
@testable import KrScript
@Test func placeholder() { #expect(Bool(true)) }
