import Foundation
import Testing
import TestSupport
@testable import Pipeline

@Suite(.temporaryDirectories) struct ConfigFileTests {
    private func write(_ text: String) throws -> String {
        let url = try TemporaryDirectory.create("config").appendingPathComponent("rgdm.json")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    @Test func expandsOptionsFlagsAndArraysBeforeCommandLineOptions() throws {
        let path = try write(#"{"layers": 4, "lr": 0.0001, "ema": true, "verbose": false, "name": "qm9", "tag": ["a", "b"]}"#)
        let expanded = try ConfigFile.expand(["train", "--config", path, "--layers", "6"])
        #expect(expanded == ["train", "--ema", "--layers", "4", "--lr", "0.0001", "--name", "qm9", "--tag", "a", "--tag", "b", "--layers", "6"])
    }

    @Test func commandLineWinsOverConfigFile() throws {
        let path = try write(#"{"seed": 3, "threads": 1}"#)
        let options = try GlobalOptions.parse(try ConfigFile.expand(["--config=\(path)", "--seed", "9"]))
        #expect(options.seed == 9)
        #expect(options.threads == 1)
    }

    @Test func reportsTheFileForBadJSON() throws {
        let path = try write("{ not json")
        #expect { try ConfigFile.expand(["--config", path]) } throws: { error in
            String(describing: error).contains(path)
        }
        let list = try write("[1, 2]")
        #expect { try ConfigFile.expand(["--config", list]) } throws: { error in
            String(describing: error).contains("top level must be a JSON object")
        }
        #expect { try ConfigFile.expand(["--config", "/nonexistent/rgdm.json"]) } throws: { error in
            guard case ConfigFile.Failure.unreadable(let path, _) = error else { return false }
            return path == "/nonexistent/rgdm.json"
        }
    }

    @Test func jsonLinesLogAppends() throws {
        let url = try TemporaryDirectory.create("log").appendingPathComponent("run/log.jsonl")
        do {
            let log = try JSONLinesLog(url: url)
            try log.append(["step": 1, "loss": 0.5])
        }
        let log = try JSONLinesLog(url: url)
        try log.append(["step": 2, "loss": 0.25])
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        #expect(lines == [#"{"loss":0.5,"step":1}"#, #"{"loss":0.25,"step":2}"#])
    }
}
