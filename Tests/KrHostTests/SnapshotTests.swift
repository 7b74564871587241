import Foundation
import Testing
@testable import KrHost
@testable import KrScript

@Suite struct SnapshotTests {
    @Test func roundTripKeepsTypesAndNesting() async {
        let (engine, sink) = makeEngine()
        let outcome = await engine.run("""
            $state = [ordered]@{
                Count = 42; Big = 3000000000; Ratio = 0.5; On = $true; Name = 'a <b> & "c"'
                When = [datetime]'2024-03-15T10:30:00'; Tags = @('x', 'y'); Nothing = $null
                Inner = [pscustomobject]@{ Id = 7; Sub = @{ Deep = 'yes' } }
            }
            $xml = Export-KrSharedState -InputObject $state
            $xml.StartsWith('<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">')
            $back = Import-KrSharedState -InputString $xml
            $back.Count.GetType().Name; $back.Big.GetType().Name; $back.Ratio; $back.On
            $back.Name
            $back.When.GetType().Name; $back.When.ToString('yyyy-MM-dd HH:mm')
            $back.Tags -join ','; $back.Tags.GetType().Name
            $null -eq $back.Nothing
            $back.Inner.Id; $back.Inner.Sub.Deep; $back.Inner.GetType().Name
            $bytes = Export-KrSharedState -InputObject @{ n = 1 } -OutputType ByteArray
            (Import-KrSharedState -InputBytes $bytes).n
            """, file: "snap.ps1")
        #expect(outcome == .completed, "stderr: \(sink.stderr)")
        #expect(sink.stdout == """
            True
            Int32
            Int64
            0.5
            True
            a <b> & "c"
            DateTime
            2024-03-15 10:30
            x,y
            Object[]
            True
            7
            yes
            PSCustomObject
            1

            """, "stdout: \(sink.stdout)")
    }

    @Test func fileExportsAreAtomicAndBadImportsChangeNothing() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("snap-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let (engine, sink) = makeEngine()
        let outcome = await engine.run("""
            Initialize-KrRoot -Path '\(dir.path)'
            Export-KrSharedState -InputObject @{ v = 1 } -Path 'state.xml'
            Export-KrSharedState -InputObject @{ v = 2 } -Path '.\\state.xml'
            (Import-KrSharedState -Path 'state.xml').v
            Set-Content -Path '\(dir.path)/corrupt.xml' -Value '<Objs><I32>oops'
            $keep = 'intact'
            $keep = Import-KrSharedState -Path 'corrupt.xml'
            $keep
            $keep = Import-KrSharedState -Path 'missing.xml'
            $keep
            """, file: "files.ps1")
        #expect(outcome == .completed)
        #expect(sink.stdout == "2\nintact\nintact\n", "stdout: \(sink.stdout)")
        #expect(sink.stderr.contains("files.ps1:7:"), "stderr: \(sink.stderr)")
        #expect(sink.stderr.contains("not valid CLIXML"))
        #expect(sink.stderr.contains("files.ps1:9:"))
        #expect(sink.stderr.contains("does not exist"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty, "temporary files left: \(leftovers)")
    }

    @Test func exportInsideUseKrLockDoesNotDeadlock() async {
        let (engine, sink) = makeEngine()
        let outcome = await engine.run("""
            $t = @{ n = 5 }
            $x = Use-KrLock -Key 'snap' -ScriptBlock { Export-KrSharedState -InputObject $t }
            (Import-KrSharedState -InputString $x).n
            """, file: "lock.ps1")
        #expect(outcome == .completed, "stderr: \(sink.stderr)")
        #expect(sink.stdout == "5\n")
    }
}
