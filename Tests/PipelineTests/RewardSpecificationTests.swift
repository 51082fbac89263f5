import ArgumentParser
import Foundation
import Testing
@testable import Pipeline

/// `--reward` specifications: what parses to what, the errors for what does not, and the
/// options that go with them.
@Suite struct RewardSpecificationTests {
    @Test(arguments: [
        ("qed", RewardSpecification.term(.qed)),
        (" XTB-gap ", .term(.xtbGap)),
        ("0.5*qed + 0.5*validity", .sum([.init(0.5, .term(.qed)), .init(0.5, .term(.validity))])),
        ("qed*2 - 1e-1*mmff94", .sum([.init(2, .term(.qed)), .init(-0.1, .term(.mmff94))])),
        ("-xtb-energy", .sum([.init(-1, .term(.xtbEnergy))])),
        ("target(logp, 2.0)", .target(.term(.logp), value: 2)),
        ("target(xtb-gap, 0.3)", .target(.term(.xtbGap), value: 0.3)),
        ("target(qed + tpsa, -1)", .target(.sum([.init(1, .term(.qed)), .init(1, .term(.tpsa))]), value: -1)),
        ("mw-window(150, 350)", .window(.term(.mw), lower: 150, upper: 350)),
        ("window(logp, -1, 3)", .window(.term(.logp), lower: -1, upper: 3)),
        ("0.5*(qed + logp)", .sum([.init(0.5, .sum([.init(1, .term(.qed)), .init(1, .term(.logp))]))])),
        ("command", .term(.command)),
    ])
    func parses(text: String, expected: RewardSpecification) throws {
        let parsed = try RewardSpecification(parsing: text)
        #expect(parsed == expected)
        #expect(try RewardSpecification(parsing: parsed.description) == parsed, "\(parsed) reads back")
    }

    @Test func unknownTermsAreNamedWithTheKnownOnes() {
        for (text, term) in [("foo", "foo"), ("qed + lgop", "lgop"), ("qed-logp", "qed-logp"), ("maximise(qed)", "maximise(…)")] {
            #expect { try RewardSpecification(parsing: text) } throws: { error in
                guard case let .unknownReward(name, known) = error as? PipelineError else { return false }
                return name == term && known.contains("qed") && known.contains("xtb-gap") && known.contains("target(REWARD, VALUE)")
            }
        }
    }

    @Test(arguments: [
        ("", "empty"),
        ("qed +", "expected a reward at the end"),
        ("0.5", "a number alone is not a reward"),
        ("0.5 qed", "a number alone is not a reward"),
        ("qed * x", "expected a number after '*'"),
        ("target(logp)", "expected ','"),
        ("target(logp, high)", "expected the target value at character 14"),
        ("mw-window(350, 150)", "needs lower < upper"),
        ("qed)", "unexpected ')' at character 4"),
        ("(qed", "expected ')'"),
        ("1e999*qed", "is not a number"),
    ])
    func malformedSpecificationsSayWhatAndWhere(text: String, reason: String) {
        #expect { try RewardSpecification(parsing: text) } throws: { error in
            guard case let .invalidReward(specification, message) = error as? PipelineError else { return false }
            return specification == text && message.contains(reason)
        }
    }

    @Test func termsAreListedOnce() throws {
        let spec = try RewardSpecification(parsing: "qed + target(qed, 1) + mw-window(1, 2)")
        #expect(spec.terms == [.qed, .mw])
    }

    @Test func buildingNamesWhatIsMissing() throws {
        #expect { try RewardSpecification.term(.command).makeReward(.inProcess) } throws: { error in
            guard case let .invalidReward(_, reason) = error as? PipelineError else { return false }
            return reason.contains("--reward-command")
        }
        let settings = RewardSettings(command: "/nonexistent/scorer")
        #expect { try RewardSpecification.term(.command).makeReward(settings) } throws: { error in
            guard case let .invalidReward(_, reason) = error as? PipelineError else { return false }
            return reason.contains("/nonexistent/scorer") && reason.contains("no such file")
        }
        let noXTB = RewardSettings(xtbExecutable: "rgdm-no-such-xtb")
        #expect { try RewardSpecification.term(.xtbGap).makeReward(noXTB) } throws: { error in
            guard case let .invalidReward(specification, reason) = error as? PipelineError else { return false }
            return specification == "xtb-gap" && reason.contains("rgdm-no-such-xtb") && reason.contains("not found on PATH")
        }
        let reward = try RewardSpecification(parsing: "0.5*qed + 0.5*validity").makeReward(.inProcess)
        #expect(reward.name == "0.5*qed + 0.5*validity" && !reward.dependsOnGraphOnly)
        #expect(try RewardSpecification(parsing: "target(logp, 2)").makeReward(.inProcess).dependsOnGraphOnly)
    }

    @Test func aModelWithoutHydrogenCannotEarnGeometryRewards() throws {
        let spec = try RewardSpecification(parsing: "qed + 0.1*mmff94 + target(xtb-gap, 10)")
        #expect { try spec.check(atomicNumbers: [6, 7, 8, 9]) } throws: { error in
            guard case let .invalidReward(_, reason) = error as? PipelineError else { return false }
            return reason.contains("mmff94, xtb-gap") && reason.contains("6, 7, 8, 9")
        }
        try spec.check(atomicNumbers: [1, 6, 7, 8, 9])
        try RewardSpecification.term(.qed).check(atomicNumbers: [6, 7, 8])
    }

    @Test func rewardOptionsParseAndCheck() throws {
        let command = try #require(try RGDMCommand.parseAsRoot(
            ["score", "a.sdf", "--reward", "command", "--reward-command", "/bin/echo", "--reward-arg", "--flag", "--reward-arg", "{sdf}",
             "--reward-floor", "min", "--no-reward-cache", "--reward-timeout", "5"]) as? ScoreCommand)
        #expect(command.rewards.reward == .term(.command) && command.rewards.rewardArg == ["--flag", "{sdf}"])
        #expect(command.rewards.rewardFloor == .batchMinimum && command.rewards.noRewardCache && command.rewards.rewardTimeout == 5)
        let floor = try #require(try RGDMCommand.parseAsRoot(["score", "a.sdf", "--reward", "qed", "--reward-floor", "-2"]) as? ScoreCommand)
        #expect(floor.rewards.rewardFloor == .value(-2) && floor.rewards.reward == .term(.qed))

        let invalid: [([String], String)] = [
            (["--reward", "command"], "needs --reward-command"),
            (["--reward", "qed", "--reward-command", "/bin/echo"], "used only by the 'command' reward"),
            (["--reward", "qed", "--reward-timeout", "0"], "--reward-timeout must be more than 0"),
            (["--reward", "qed", "--xtb-timeout", "0"], "--xtb-timeout must be more than 0"),
            ([], "give the reward with --reward"),
            (["--reward", "qed", "-o", "out.xyz"], "--output must end in .sdf"),
        ]
        for (arguments, message) in invalid {
            #expect(throws: (any Error).self) { try RGDMCommand.parseAsRoot(["score", "a.sdf"] + arguments) }
            let text = RGDMCommand.message(for: parseError(["score", "a.sdf"] + arguments))
            #expect(text.contains(message), "\(arguments): \(text)")
        }
        let unknown = RGDMCommand.message(for: parseError(["score", "a.sdf", "--reward", "qde"]))
        #expect(unknown.contains("unknown reward 'qde'") && unknown.contains("known rewards: qed"))
    }

    private func parseError(_ arguments: [String]) -> any Error {
        do {
            _ = try RGDMCommand.parseAsRoot(arguments)
            return CancellationError()
        } catch {
            return error
        }
    }
}
