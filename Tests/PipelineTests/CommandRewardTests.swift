import Chem
import Foundation
import Testing
@testable import Pipeline

/// `--reward-command`: every way an external reward can fail is that batch's or that
/// sample's failure, never an error that stops the run. Each test writes a tiny script.
@Suite struct CommandRewardTests {
    let molecules = [RewardTestSupport.water, RewardTestSupport.methane, RewardTestSupport.pentavalentCarbon]

    func reward(_ body: String, arguments: [String] = [], timeout: Double = 10, in directory: String) throws -> CommandReward {
        let path = try RewardTestSupport.script("reward.sh", in: directory, "#!/bin/sh\n" + body + "\n")
        return try CommandReward(program: path, arguments: arguments, timeout: timeout)
    }

    @Test func readsJSONLinesAndAnswersOneNumberPerLine() throws {
        try RewardTestSupport.withScratch { directory in
            let copy = directory + "/input.jsonl"
            let reward = try reward("tee \(copy) | python3 -c 'import sys, json\nfor line in sys.stdin: print(len(json.loads(line)[\"elements\"]))'",
                                    in: directory)
            #expect(reward.score(molecules).map { try? $0.get() } == [3, 5, 6])
            let lines = try String(contentsOfFile: copy, encoding: .utf8).split(separator: "\n")
            #expect(lines.count == 3)
            let first = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any]
            #expect(first?["index"] as? Int == 0 && first?["smiles"] as? String == "O")
            #expect(first?["elements"] as? [String] == ["O", "H", "H"])
            #expect((first?["positions"] as? [[Double]])?.count == 3)
            let invalid = try JSONSerialization.jsonObject(with: Data(lines[2].utf8)) as? [String: Any]
            #expect(invalid?["smiles"] is NSNull, "an invalid molecule's SMILES is null, not absent")
        }
    }

    @Test func passesArgumentsAsAVectorAndAnSDFOnRequest() throws {
        try RewardTestSupport.withScratch { directory in
            // An argument with spaces and shell characters arrives as one argument, unexpanded.
            let reward = try reward("""
                [ "$1" = 'two words; $(echo no)' ] || exit 7
                n=$(grep -c '\\$\\$\\$\\$' "$2")
                i=0; while [ $i -lt $n ]; do echo 1.5; i=$((i+1)); done
                """, arguments: ["two words; $(echo no)", "{sdf}"], in: directory)
            #expect(reward.score(molecules).map { try? $0.get() } == [1.5, 1.5, 1.5])
        }
    }

    @Test func aMissingProgramIsAnErrorWhenBuiltAndAFailurePerSampleWhenItVanishes() throws {
        #expect { try CommandReward(program: "rgdm-no-such-scorer") } throws: { error in
            guard case let .invalidReward(_, reason) = error as? PipelineError else { return false }
            return reason.contains("rgdm-no-such-scorer") && reason.contains("not found on PATH")
        }
        try RewardTestSupport.withScratch { directory in
            let reward = try reward("echo 1", in: directory)
            try FileManager.default.removeItem(atPath: directory + "/reward.sh")
            let outcomes = reward.score(molecules)
            #expect(outcomes.allSatisfy { $0.failureKind == .unavailable })
        }
    }

    @Test func aHangIsATimeoutForTheBatch() throws {
        try RewardTestSupport.withScratch { directory in
            let reward = try reward("echo 1\nsleep 30", timeout: 0.5, in: directory)
            let start = Date()
            let outcomes = reward.score(molecules)
            #expect(Date().timeIntervalSince(start) < 10, "the hung program (and its sleep) is killed")
            #expect(outcomes.allSatisfy { $0 == .failure(.timedOut(program: "reward.sh", seconds: 0.5)) })
        }
    }

    @Test func aCrashFailsTheBatchWithItsStatusAndMessage() throws {
        try RewardTestSupport.withScratch { directory in
            let exited = try reward("echo 1; echo 2; echo 'model file missing' >&2; exit 3", in: directory).score(molecules)
            #expect(exited.allSatisfy { $0 == .failure(.crashed(program: "reward.sh", reason: "exit status 3: model file missing")) })
            let killed = try reward("echo 1; kill -9 $$", in: directory).score(molecules)
            #expect(killed.allSatisfy { $0 == .failure(.crashed(program: "reward.sh", reason: "killed by signal 9")) })
        }
    }

    @Test func garbageNaNAndMissingLinesFailTheirSamplesOnly() throws {
        try RewardTestSupport.withScratch { directory in
            let garbage = try reward("printf '0.5\\nhello\\n2\\n'", in: directory).score(molecules)
            #expect(try garbage[0].get() == 0.5 && garbage[1] == .failure(.unreadableAnswer(program: "reward.sh", answer: "hello")))
            #expect(try garbage[2].get() == 2)
            let nan = try reward("printf 'nan\\n-inf\\n 3 \\n'", in: directory).score(molecules)
            #expect(nan[0].failureKind == .notFinite && nan[1] == .failure(.notFinite(-.infinity)) && (try? nan[2].get()) == 3)
            let short = try reward("echo 1", in: directory).score(molecules)
            #expect(try short[0].get() == 1)
            #expect(short[1] == .failure(.missingAnswer(program: "reward.sh")) && short[2] == short[1])
            let silent = try reward("cat > /dev/null", in: directory).score(molecules)
            #expect(silent.allSatisfy { $0.failureKind == .missingAnswer })
            let extra = try reward("printf '1\\n2\\n3\\n4\\n'", in: directory).score(molecules)
            #expect(extra.map { try? $0.get() } == [1, 2, 3], "lines past the batch are ignored")
        }
    }

    @Test func anEmptyBatchRunsNothing() throws {
        try RewardTestSupport.withScratch { directory in
            let failing = try reward("exit 1", in: directory)
            #expect(failing.score([]).isEmpty)
        }
    }
}
