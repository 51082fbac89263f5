import Testing
@testable import Diffusion

@Suite struct TimestepGridTests {
    static let grids: [TimestepGrid] = [.uniform, .power(2), .power(0.5), .power(3), .logSNR]

    @Test func uniformIsDDIMsStridedGrid() throws {
        let schedule = try PolynomialSchedule(timesteps: 1000)
        for steps in [1, 7, 40, 333, 1000] {
            let expected = (0 ... steps).reversed().map { k in Int((Double(k) * 1000 / Double(steps)).rounded()) }
            #expect(try TimestepGrid.uniform.timesteps(steps: steps, schedule: schedule) == expected)
        }
    }

    @Test(arguments: grids)
    func everyGridRunsStrictlyDownFromTToZero(grid: TimestepGrid) throws {
        let schedule = try PolynomialSchedule(timesteps: 1000)
        for steps in [1, 2, 10, 100, 250, 999, 1000] {
            let t = try grid.timesteps(steps: steps, schedule: schedule)
            #expect(t.count == steps + 1 && t.first == 1000 && t.last == 0, "\(grid), \(steps) steps")
            #expect(zip(t, t.dropFirst()).allSatisfy { $0 > $1 }, "\(grid), \(steps) steps: \(t)")
        }
        #expect(try grid.timesteps(steps: 1000, schedule: schedule) == Array((0 ... 1000).reversed()))
    }

    @Test func crowdedGridsSpendTheirStepsAtLowNoise() throws {
        let schedule = try PolynomialSchedule(timesteps: 1000)
        func below200(_ grid: TimestepGrid) throws -> Int {
            try grid.timesteps(steps: 100, schedule: schedule).filter { $0 < 200 }.count
        }
        #expect(try below200(.uniform) == 20)
        #expect(try below200(.power(2)) == 45)          // k/100 < √0.2
        #expect(try below200(.power(0.5)) == 4)         // k/100 < 0.04
        #expect(try below200(.logSNR) > 30)
        // power(ρ): t_k = round(T (k/K)^ρ).
        #expect(try TimestepGrid.power(2).timesteps(steps: 10, schedule: schedule)
                == [1000, 810, 640, 490, 360, 250, 160, 90, 40, 10, 0])
    }

    @Test func logSNRStepsAreEvenInLogSNR() throws {
        let schedule = try PolynomialSchedule(timesteps: 1000)
        let t = try TimestepGrid.logSNR.timesteps(steps: 20, schedule: schedule)
        let lambda = t.map { -schedule.gamma(at: $0) / 2 }
        let gaps = zip(lambda.dropFirst(), lambda).map { $0 - $1 }
        let even = (lambda.last! - lambda.first!) / 20
        #expect(gaps.allSatisfy { abs($0 - even) < 0.35 * even }, "\(gaps) vs \(even)")
    }

    @Test func refusesBadStepsAndExponents() throws {
        let schedule = try PolynomialSchedule(timesteps: 10)
        #expect(throws: DiffusionError.invalidConfiguration("sampling steps must be in 1 … T = 10, got 0")) {
            try TimestepGrid.logSNR.timesteps(steps: 0, schedule: schedule)
        }
        #expect(throws: DiffusionError.invalidConfiguration("sampling steps must be in 1 … T = 10, got 11")) {
            try TimestepGrid.power(2).timesteps(steps: 11, schedule: schedule)
        }
        #expect(throws: DiffusionError.invalidConfiguration("a power grid needs an exponent > 0, got -1.0")) {
            try TimestepGrid.power(-1).timesteps(steps: 5, schedule: schedule)
        }
    }

    @Test func readsWhatItWrites() {
        for grid in Self.grids + [.power(1.5)] { #expect(TimestepGrid(parsing: grid.description) == grid) }
        #expect(TimestepGrid.power(2).description == "power:2")
        #expect(TimestepGrid(parsing: "Log-SNR") == .logSNR)
        for bad in ["", "power", "power:", "power:0", "power:-2", "power:x", "cosine"] { #expect(TimestepGrid(parsing: bad) == nil) }
    }
}
