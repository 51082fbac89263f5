import COpenBabel
import Foundation

/// The eight properties QED weighs (Bickerton et al., "Quantifying the
/// chemical beauty of drugs", Nature Chemistry 4, 90–98, 2012).
public struct QEDProperties: Hashable, Sendable, Codable {
    public var molecularWeight: Double
    public var logP: Double
    public var hBondAcceptors: Double
    public var hBondDonors: Double
    public var polarSurfaceArea: Double
    public var rotatableBonds: Double
    public var aromaticRings: Double
    public var structuralAlerts: Double

    var values: [Double] {
        [molecularWeight, logP, hBondAcceptors, hBondDonors, polarSurfaceArea, rotatableBonds, aromaticRings, structuralAlerts]
    }
}

/// Quantitative estimate of drug-likeness (Bickerton et al. 2012): each
/// property is mapped through its asymmetric double sigmoid (ADS)
/// desirability function d_i (the paper's fitted A…F and d_max), and
/// QED = exp(Σ w_i ln d_i / Σ w_i) with the paper's mean weights.
///
/// The properties come from Open Babel here (its logP, TPSA, donors, rotors,
/// aromatic rings) with the acceptor and structural-alert patterns of the
/// published method, so values can differ a little from other toolkits'.
public enum QED {
    /// The ADS parameters (A, B, C, D, E, F, d_max) in property order, from the paper.
    static let parameters: [(a: Double, b: Double, c: Double, d: Double, e: Double, f: Double, dmax: Double)] = [
        (2.817065973, 392.5754953, 290.7489764, 2.419764353, 49.22325677, 65.37051707, 104.9805561),  // MW
        (3.172690585, 137.8624751, 2.534937431, 4.581497897, 0.822739154, 0.576295591, 131.3186604),  // ALOGP
        (2.948620388, 160.4605972, 3.615294657, 4.435986202, 0.290141953, 1.300669958, 148.7763046),  // HBA
        (1.618662227, 1010.051101, 0.985094388, 0.000000001, 0.713820843, 0.920922555, 258.1632616),  // HBD
        (1.876861559, 125.2232657, 62.90773554, 87.83366614, 12.01999824, 28.51324732, 104.5686167),  // PSA
        (0.010000000, 272.4121427, 2.558379970, 1.565547684, 1.271567166, 2.758063707, 105.4420403),  // ROTB
        (3.217788970, 957.7374108, 2.274627939, 0.000000001, 1.317690384, 0.375760881, 312.3372610),  // AROM
        (0.010000000, 1199.094025, -0.09002883, 0.000000001, 0.185904477, 0.875193782, 417.7253140),  // ALERTS
    ]

    /// The paper's mean weights (QED_w,mo).
    public static let meanWeights: [Double] = [0.66, 0.46, 0.05, 0.61, 0.06, 0.65, 0.48, 0.95]

    /// d(x) = [A + B / (1 + e^{−(x − C + D/2)/E}) · (1 − 1 / (1 + e^{−(x − C − D/2)/F}))] / d_max
    public static func desirability(_ x: Double, property index: Int) -> Double {
        let p = parameters[index]
        let rise = 1 + exp(-(x - p.c + p.d / 2) / p.e)
        let fall = 1 + exp(-(x - p.c - p.d / 2) / p.f)
        return (p.a + p.b / rise * (1 - 1 / fall)) / p.dmax
    }

    /// QED of the properties with `weights` (default: the paper's mean weights).
    public static func score(_ properties: QEDProperties, weights: [Double] = meanWeights) -> Double {
        precondition(weights.count == 8, "QED needs 8 weights, got \(weights.count)")
        var total = 0.0
        for (i, x) in properties.values.enumerated() { total += weights[i] * log(desirability(x, property: i)) }
        return exp(total / weights.reduce(0, +))
    }
}

extension Molecule {
    /// QED's eight properties of this molecule's graph (hydrogens removed first).
    public func qedProperties() throws -> QEDProperties {
        let heavy = try removingHydrogens()
        let descriptors = try heavy.descriptors()
        var acceptors = 0
        for pattern in QEDPatterns.acceptors { acceptors += try heavy.matchCount(smarts: pattern) }
        var alerts = 0
        for pattern in QEDPatterns.alerts where (try? heavy.matchCount(smarts: pattern)) ?? 0 > 0 { alerts += 1 }
        return QEDProperties(molecularWeight: descriptors.molecularWeight, logP: descriptors.logP,
                             hBondAcceptors: Double(acceptors), hBondDonors: Double(descriptors.hBondDonors),
                             polarSurfaceArea: descriptors.tpsa, rotatableBonds: Double(descriptors.rotatableBonds),
                             aromaticRings: Double(descriptors.aromaticRings), structuralAlerts: Double(alerts))
    }

    /// Quantitative estimate of drug-likeness in 0…1 (Bickerton et al. 2012), mean weights.
    public func qed() throws -> Double {
        QED.score(try qedProperties())
    }
}
