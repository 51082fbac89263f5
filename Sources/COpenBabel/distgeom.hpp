// Distance geometry for the heavy-atom skeleton (internal to the shim).
//
// rgdm_ob_build_3d falls back to it when OBBuilder's ring templates cannot
// produce the stereoisomer asked for (fused polycyclics such as steroids and
// morphinans). Open Babel's own OBDistanceGeometry does build those, but at
// 1–60 s a molecule; this one embeds in milliseconds (the MMFF94 minimisation
// that follows costs 100 times more).
//
// The method (Crippen & Havel, "Distance Geometry and Molecular
// Conformation", 1988; Blaney & Dixon, Rev. Comput. Chem. 5, 1994):
//   1. bounds on every interatomic distance from the topology (distgeom_bounds.cpp),
//      tightened by the triangle inequality;
//   2. a random distance within the bounds for every pair, turned into
//      coordinates by the metric matrix's largest eigenvectors (4D);
//   3. minimisation of the distance-error function plus chiral-volume terms,
//      then again with the fourth coordinate pushed to zero (distgeom_embed.cpp).
#ifndef RGDM_COPENBABEL_DISTGEOM_HPP
#define RGDM_COPENBABEL_DISTGEOM_HPP

#include <openbabel/mol.h>
#include <cstdint>
#include <string>
#include <vector>

namespace rgdm_ob::dg {

using OpenBabel::OBMol;

/// Lower and upper bounds on the distances between atoms, Å; [atoms × atoms], symmetric.
struct Bounds {
    int atoms = 0;
    std::vector<double> lower, upper;
    double &lo(int i, int j) { return lower[static_cast<size_t>(i) * atoms + j]; }
    double &up(int i, int j) { return upper[static_cast<size_t>(i) * atoms + j]; }
    double lo(int i, int j) const { return lower[static_cast<size_t>(i) * atoms + j]; }
    double up(int i, int j) const { return upper[static_cast<size_t>(i) * atoms + j]; }
};

/// A signed volume (x_a − x_c)·((x_b − x_c) × (x_d − x_c)) held in [lower, upper], Å³:
/// one sign for a tetrahedral centre asked for, about zero for a planar sp2 centre.
struct VolumeConstraint {
    int centre, a, b, d;
    double lower, upper;
};

/// What the error function sees: every pair's bounds and the volume constraints.
struct Problem {
    Bounds bounds;
    std::vector<VolumeConstraint> volumes;
};

/// Bounds from `mol`'s topology (0-based atom indices, hydrogens as they are
/// in `mol`) and its specified cis/trans double bonds, smoothed by the triangle
/// inequality. False, with the reason in `why`, when they are inconsistent.
bool topology_bounds(OBMol &mol, Bounds &bounds, std::string &why);

/// Volume constraints for `mol`'s specified tetrahedral centres and its planar sp2 atoms.
std::vector<VolumeConstraint> volume_constraints(OBMol &mol, const Bounds &bounds);

/// Error of coordinates `x` ([atoms × 4]; the fourth coordinate is used
/// only while `fourth_weight` weighs it down): distance violations, volume
/// violations and fourth_weight·Σ x_4². Adds its gradient to `gradient` when not null.
double embedding_error(const Problem &problem, const double *x, double fourth_weight, double *gradient);

/// Lowers embedding_error from `x` by limited-memory BFGS (Nocedal & Wright,
/// Numerical Optimization, Alg. 7.4–7.5) for at most `max_iterations` steps.
void minimize(const Problem &problem, std::vector<double> &x, double fourth_weight, int max_iterations);

/// A deterministic random generator (splitmix64): embeddings depend on the
/// seed only, not on the C library or on other threads' use of rand().
class Random {
  public:
    explicit Random(uint64_t seed) : state_(seed) {}
    uint64_t next() {
        uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    /// Uniform in [0, 1).
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

  private:
    uint64_t state_;
};

/// Coordinates for `mol`'s atoms (3D; `mol` is left unchanged on failure)
/// that satisfy its bounds and the chirality of its specified centres,
/// from up to `tries` random embeddings. False, with the reason in `why`, when none does.
bool embed(OBMol &mol, const Problem &problem, Random &random, int tries, std::string &why);

}  // namespace rgdm_ob::dg
#endif
