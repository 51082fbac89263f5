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

    func score(_ molecules: [Molecule]) -> [RewardOutcome] {
        guard molecules.count >= minimumBatch else { return local.score(molecules) }
        return pool.score(molecules, term: term.rawValue)
    }
}
