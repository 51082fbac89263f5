import Chem

/// An Open Babel reward spread over worker processes (Open Babel is serial inside one
/// process): batches of at least `minimumBatch` molecules go to the pool's
/// `rgdm reward-worker` processes, smaller ones are scored here. Both give the same
/// numbers: a worker builds the same reward from the same term.
struct WorkerReward: MoleculeReward {
    let local: any MoleculeReward
    let term: RewardTerm
    let pool: RewardWorkerPool
    let minimumBatch: Int

    init(_ local: any MoleculeReward, term: RewardTerm, pool: RewardWorkerPool, minimumBatch: Int) {
        self.local = local
        self.term = term
        self.pool = pool
        self.minimumBatch = minimumBatch
    }

    var name: String { local.name }
    var dependsOnGraphOnly: Bool { local.dependsOnGraphOnly }

    /// A molecule with a non-finite coordinate (a chain that diverged) is invalid here, as in
    /// this process (`ValidMolecule`): JSON has no NaN, so it could not reach a worker, which
    /// would answer an unreadable request and be replaced.
    func score(_ molecules: [Molecule]) -> [RewardOutcome] {
        guard molecules.count >= minimumBatch else { return local.score(molecules) }
        let finite = molecules.indices.filter { ValidMolecule.hasFiniteCoordinates(molecules[$0]) }
        guard finite.count < molecules.count else { return pool.score(molecules, term: term.rawValue) }
        var outcomes = [RewardOutcome](repeating: .failure(ValidMolecule.nonFinite), count: molecules.count)
        for (i, outcome) in zip(finite, pool.score(finite.map { molecules[$0] }, term: term.rawValue)) { outcomes[i] = outcome }
        return outcomes
    }
}
