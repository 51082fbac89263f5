// Distance bounds and volume constraints from a connection table (see distgeom.hpp).
#include "distgeom.hpp"

#include <openbabel/atom.h>
#include <openbabel/bond.h>
#include <openbabel/elements.h>
#include <openbabel/obiter.h>
#include <openbabel/ring.h>
#include <openbabel/stereo/cistrans.h>
#include <openbabel/stereo/stereo.h>
#include <openbabel/stereo/tetrahedral.h>

#include <algorithm>
#include <cmath>

using namespace OpenBabel;

namespace rgdm_ob::dg {
namespace {

constexpr double pi = 3.14159265358979323846;
constexpr double degrees = pi / 180;
/// Bounds on unrelated atoms before smoothing (smoothing brings them down to path lengths).
constexpr double far_away = 1000;

/// Bond length from covalent radii, shortened for multiple bonds (C–C 1.52,
/// aromatic 1.40, C=C 1.34, C≡C 1.20 Å).
double bond_length(OBBond *bond) {
    double sum = OBElements::GetCovalentRad(bond->GetBeginAtom()->GetAtomicNum()) +
                 OBElements::GetCovalentRad(bond->GetEndAtom()->GetAtomicNum());
    if (bond->IsAromatic()) return 0.92 * sum;
    switch (bond->GetBondOrder()) {
        case 2: return 0.88 * sum;
        case 3: return 0.79 * sum;
        default: return sum;
    }
}

/// Size of the smallest SSSR ring holding both bonds (0: none).
int smallest_common_ring(std::vector<OBRing *> &rings, OBBond *first, OBBond *second) {
    int size = 0;
    for (OBRing *ring : rings) {
        if (!ring->IsMember(first) || !ring->IsMember(second)) continue;
        int s = static_cast<int>(ring->Size());
        if (size == 0 || s < size) size = s;
    }
    return size;
}

/// The angle i–j–k, radians, and its tolerance: from j's hybridisation,
/// or the ring's interior angle when both bonds lie in a 3-, 4- or 5-ring.
std::pair<double, double> ideal_angle(std::vector<OBRing *> &rings, OBAtom *j, OBBond *ij, OBBond *jk) {
    unsigned hyb = j->GetHyb();
    double angle = hyb == 1 ? 180 : hyb == 2 ? 120 : 109.47;
    int ring = smallest_common_ring(rings, ij, jk);
    if (ring == 3) return {60 * degrees, 3 * degrees};
    if (ring == 4) return {88 * degrees, 5 * degrees};
    if (ring == 5) return {(hyb == 2 ? 108 : 104) * degrees, 6 * degrees};
    // An exocyclic angle at an atom of a small ring opens up.
    if (j->IsInRingSize(3)) angle = 118;
    else if (j->IsInRingSize(4)) angle = 114;
    else if (hyb == 2 && j->IsInRingSize(5)) angle = 126;
    return {angle * degrees, (hyb == 3 ? 12 : 6) * degrees};
}

/// Distance of the ends of i–j–k: bond lengths a, b, angle θ.
double across_angle(double a, double b, double theta) { return std::sqrt(std::max(0.0, a * a + b * b - 2 * a * b * std::cos(theta))); }

/// Distance of the ends of i–j–k–l: bond lengths b1 (ij), b2 (jk), b3 (kl),
/// angles θ1 at j and θ2 at k, dihedral φ (0 cis, π trans); j at the origin, k on x.
double across_torsion(double b1, double b2, double b3, double theta1, double theta2, double phi) {
    double dx = b1 * std::cos(theta1) - b2 + b3 * std::cos(theta2);
    double dy = b1 * std::sin(theta1) - b3 * std::sin(theta2) * std::cos(phi);
    double dz = b3 * std::sin(theta2) * std::sin(phi);
    return std::sqrt(dx * dx + dy * dy + dz * dz);
}

/// Bonds whose substituents lie in one plane with them: aromatic bonds and
/// double bonds in rings of up to 7 atoms (which cannot be trans).
bool is_planar_ring_bond(OBBond *bond) {
    if (bond->IsAromatic()) return true;
    if (bond->GetBondOrder() != 2 || !bond->IsInRing()) return false;
    for (int size = 3; size <= 7; ++size) {
        if (bond->GetBeginAtom()->IsInRingSize(size) && bond->GetEndAtom()->IsInRingSize(size)) return true;
    }
    return false;
}

/// Is there a path of at most `max_bonds` bonds from `from` to `to` that
/// avoids atoms `a` and `b`? (Ring membership from paths rather than from
/// the SSSR, which in fused cages may leave out the ring that matters.)
bool short_path(OBAtom *from, OBAtom *to, OBAtom *a, OBAtom *b, int max_bonds) {
    std::vector<std::pair<OBAtom *, int>> queue{{from, 0}};
    std::vector<OBAtom *> seen{from, a, b};
    for (size_t head = 0; head < queue.size(); ++head) {
        auto [atom, depth] = queue[head];
        if (atom == to) return true;
        if (depth == max_bonds) continue;
        FOR_NBORS_OF_ATOM(nbr, atom) {
            if (&*nbr != to && std::find(seen.begin(), seen.end(), &*nbr) != seen.end()) continue;
            seen.push_back(&*nbr);
            queue.push_back({&*nbr, depth + 1});
        }
    }
    return false;
}

/// For i–a=b–l across a planar ring bond a–b: cis when i and l close a ring
/// of up to 7 atoms with the bond, or when neither lies in a ring with it (two
/// substituents); trans otherwise (naphthalene's fusion bond: i and l in different rings).
bool cis_across_ring_bond(OBAtom *a, OBAtom *b, OBAtom *i, OBAtom *l) {
    if (short_path(i, l, a, b, 4)) return true;
    bool i_in = short_path(i, b, a, nullptr, 7), l_in = short_path(l, a, b, nullptr, 7);
    return !i_in && !l_in;
}

/// Number of bonds on the shortest path between every two atoms; [atoms × atoms].
std::vector<int> topological_distances(OBMol &mol) {
    int n = static_cast<int>(mol.NumAtoms());
    std::vector<int> distance(static_cast<size_t>(n) * n, -1);
    std::vector<int> queue;
    for (int start = 0; start < n; ++start) {
        int *row = &distance[static_cast<size_t>(start) * n];
        row[start] = 0;
        queue.assign(1, start);
        for (size_t head = 0; head < queue.size(); ++head) {
            OBAtom *atom = mol.GetAtom(queue[head] + 1);
            FOR_NBORS_OF_ATOM(nbr, atom) {
                int k = static_cast<int>(nbr->GetIdx()) - 1;
                if (row[k] >= 0) continue;
                row[k] = row[queue[head]] + 1;
                queue.push_back(k);
            }
        }
    }
    return distance;
}

/// Widens [lo(i,j), up(i,j)] to hold [lower, upper] (several paths between two
/// atoms each give a range; their union is safe, the triangle inequality tightens it).
void widen(Bounds &bounds, int i, int j, double lower, double upper, bool first) {
    double &lo = bounds.lo(i, j), &up = bounds.up(i, j);
    lo = first ? lower : std::min(lo, lower);
    up = first ? upper : std::max(up, upper);
    bounds.lo(j, i) = lo;
    bounds.up(j, i) = up;
}

void set(Bounds &bounds, int i, int j, double lower, double upper) {
    bounds.lo(i, j) = bounds.lo(j, i) = lower;
    bounds.up(i, j) = bounds.up(j, i) = upper;
}

/// Floyd–Warshall on the bounds: u_ij ≤ u_ik + u_kj and l_ij ≥ l_ik − u_kj.
bool smooth(Bounds &b, std::string &why) {
    int n = b.atoms;
    for (int k = 0; k < n; ++k) {
        for (int i = 0; i < n; ++i) {
            if (i == k) continue;
            double u_ik = b.up(i, k), l_ik = b.lo(i, k);
            for (int j = i + 1; j < n; ++j) {
                if (j == k) continue;
                double u_kj = b.up(k, j), l_kj = b.lo(k, j);
                double &u = b.up(i, j), &l = b.lo(i, j);
                if (u > u_ik + u_kj) b.up(j, i) = u = u_ik + u_kj;
                double lower = std::max(l_ik - u_kj, l_kj - u_ik);
                if (l < lower) b.lo(j, i) = l = lower;
                if (l > u + 1e-6) {
                    why = "distance bounds of atoms " + std::to_string(i + 1) + " and " + std::to_string(j + 1) +
                          " contradict each other (triangle inequality)";
                    return false;
                }
            }
        }
    }
    return true;
}

}  // namespace

bool topology_bounds(OBMol &mol, Bounds &b, std::string &why) {
    int n = static_cast<int>(mol.NumAtoms());
    b.atoms = n;
    b.lower.assign(static_cast<size_t>(n) * n, 0);
    b.upper.assign(static_cast<size_t>(n) * n, far_away);
    for (int i = 0; i < n; ++i) b.up(i, i) = 0;
    std::vector<OBRing *> &rings = mol.GetSSSR();
    std::vector<int> topo = topological_distances(mol);
    auto path = [&](int i, int j) { return topo[static_cast<size_t>(i) * n + j]; };
    auto index = [](OBAtom *atom) { return static_cast<int>(atom->GetIdx()) - 1; };

    // Everything not bonded: at least a fraction of the van der Waals contact.
    for (int i = 0; i < n; ++i) {
        double ri = OBElements::GetVdwRad(mol.GetAtom(i + 1)->GetAtomicNum());
        for (int j = i + 1; j < n; ++j) {
            double contact = ri + OBElements::GetVdwRad(mol.GetAtom(j + 1)->GetAtomicNum());
            int p = path(i, j);
            if (p >= 4 || p < 0) set(b, i, j, (p == 4 ? 0.7 : 0.8) * contact, far_away);
        }
    }
    // 1-2: bond lengths.
    FOR_BONDS_OF_MOL(bond, mol) {
        double length = bond_length(&*bond);
        set(b, index(bond->GetBeginAtom()), index(bond->GetEndAtom()), length - 0.03, length + 0.03);
    }
    // 1-3 from ideal angles and 1-4 from the cis and trans ends of each torsion.
    std::vector<char> seen(static_cast<size_t>(n) * n, 0);
    auto first_time = [&](int i, int j) {
        char &s = seen[static_cast<size_t>(std::min(i, j)) * n + std::max(i, j)];
        bool first = !s;
        s = 1;
        return first;
    };
    FOR_ATOMS_OF_MOL(j, mol) {
        FOR_BONDS_OF_ATOM(ij, &*j) {
            OBAtom *i = ij->GetNbrAtom(&*j);
            FOR_BONDS_OF_ATOM(jk, &*j) {
                OBAtom *k = jk->GetNbrAtom(&*j);
                if (k == i || path(index(i), index(k)) != 2) continue;
                auto [theta, tolerance] = ideal_angle(rings, &*j, &*ij, &*jk);
                double a = bond_length(&*ij), c = bond_length(&*jk);
                double d1 = across_angle(a, c, theta - tolerance), d2 = across_angle(a, c, std::min(pi, theta + tolerance));
                widen(b, index(i), index(k), std::min(d1, d2) - 0.02, std::max(d1, d2) + 0.02, first_time(index(i), index(k)));
            }
        }
    }
    FOR_BONDS_OF_MOL(jk, mol) {
        OBAtom *j = jk->GetBeginAtom(), *k = jk->GetEndAtom();
        bool planar = is_planar_ring_bond(&*jk);
        FOR_BONDS_OF_ATOM(ij, j) {
            OBAtom *i = ij->GetNbrAtom(j);
            if (i == k) continue;
            FOR_BONDS_OF_ATOM(kl, k) {
                OBAtom *l = kl->GetNbrAtom(k);
                if (l == j || path(index(i), index(l)) != 3) continue;
                double theta1 = ideal_angle(rings, j, &*ij, &*jk).first, theta2 = ideal_angle(rings, k, &*jk, &*kl).first;
                double b1 = bond_length(&*ij), b2 = bond_length(&*jk), b3 = bond_length(&*kl);
                double cis = across_torsion(b1, b2, b3, theta1, theta2, 0), trans = across_torsion(b1, b2, b3, theta1, theta2, pi);
                double lower = cis - 0.1, upper = trans + 0.1;
                if (planar) {
                    double at = cis_across_ring_bond(j, k, i, l) ? cis : trans;
                    lower = at - 0.15;
                    upper = at + 0.15;
                }
                widen(b, index(i), index(l), lower, upper, first_time(index(i), index(l)));
            }
        }
    }
    // Specified double bonds: the U-shaped refs (0, 3) and (1, 2) are cis, (0, 2) and (1, 3) trans.
    OBStereoFacade facade(&mol);
    for (OBCisTransStereo *unit : facade.GetAllCisTransStereo()) {
        OBCisTransStereo::Config config = unit->GetConfig(OBStereo::ShapeU);
        if (!config.specified) continue;
        OBAtom *begin = mol.GetAtomById(config.begin), *end = mol.GetAtomById(config.end);
        OBBond *bond = begin && end ? mol.GetBond(begin, end) : nullptr;
        if (!bond) continue;
        for (int p = 0; p < 2; ++p) {
            for (int q = 2; q < 4; ++q) {
                OBStereo::Ref rp = config.refs[p], rq = config.refs[q];
                if (rp == OBStereo::ImplicitRef || rq == OBStereo::ImplicitRef) continue;
                OBAtom *i = mol.GetAtomById(rp), *l = mol.GetAtomById(rq);
                if (!i || !l || path(index(i), index(l)) != 3) continue;
                OBBond *ij = mol.GetBond(i, begin), *kl = mol.GetBond(end, l);
                if (!ij || !kl) continue;
                double theta1 = ideal_angle(rings, begin, ij, bond).first, theta2 = ideal_angle(rings, end, bond, kl).first;
                bool cis = p + q == 3;
                double at = across_torsion(bond_length(ij), bond_length(bond), bond_length(kl), theta1, theta2, cis ? 0 : pi);
                set(b, index(i), index(l), at - 0.1, at + 0.1);
            }
        }
    }
    return smooth(b, why);
}

std::vector<VolumeConstraint> volume_constraints(OBMol &mol, const Bounds &bounds) {
    std::vector<VolumeConstraint> volumes;
    const Bounds &b = bounds;
    auto index = [](OBAtom *atom) { return static_cast<int>(atom->GetIdx()) - 1; };
    // Volume of three unit vectors at tetrahedral angles: 0.77; scaled by the bond lengths.
    auto ideal = [&](int c, int x, int y, int z) {
        return 0.77 * b.up(c, x) * b.up(c, y) * b.up(c, z);
    };
    OBStereoFacade facade(&mol);
    for (OBTetrahedralStereo *unit : facade.GetAllTetrahedralStereo()) {
        OBTetrahedralStereo::Config config = unit->GetConfig(OBStereo::AntiClockwise, OBStereo::ViewFrom);
        if (!config.specified || config.refs.size() != 3) continue;
        OBAtom *centre = mol.GetAtomById(config.center);
        if (!centre) continue;
        // Looking from refs[0], refs[1..3] run anticlockwise. An even
        // permutation keeps that: bring a missing (implicit) neighbour to the front.
        std::vector<OBStereo::Ref> refs{config.from, config.refs[0], config.refs[1], config.refs[2]};
        auto missing = [&](OBStereo::Ref r) { return r == OBStereo::ImplicitRef || !mol.GetAtomById(r); };
        if (missing(refs[1])) refs = {refs[1], refs[0], refs[3], refs[2]};
        else if (missing(refs[2])) refs = {refs[2], refs[3], refs[0], refs[1]};
        else if (missing(refs[3])) refs = {refs[3], refs[2], refs[1], refs[0]};
        if (missing(refs[1]) || missing(refs[2]) || missing(refs[3])) continue;
        int c = index(centre);
        int r[4] = {-1, index(mol.GetAtomById(refs[1])), index(mol.GetAtomById(refs[2])), index(mol.GetAtomById(refs[3]))};
        bool small_ring = centre->IsInRingSize(3) || centre->IsInRingSize(4);
        // Anticlockwise seen from the first neighbour makes the volume of the other three negative.
        auto add = [&](int x, int y, int z) {
            double v = ideal(c, x, y, z);
            volumes.push_back({c, x, y, z, -1.3 * v, -(small_ring ? 0.2 : 0.7) * v});
        };
        add(r[1], r[2], r[3]);
        if (!missing(refs[0])) {
            // Four neighbours: Open Babel reads the chirality from the
            // neighbours alone, so all four must sit around the centre, not
            // just three; each even permutation of (0 1 2 3) puts another first.
            r[0] = index(mol.GetAtomById(refs[0]));
            add(r[0], r[3], r[2]);  // seen from 1
            add(r[3], r[0], r[1]);  // seen from 2
            add(r[2], r[1], r[0]);  // seen from 3
        }
    }
    // sp2 atoms with three neighbours lie in their neighbours' plane.
    FOR_ATOMS_OF_MOL(atom, mol) {
        if (atom->GetHyb() != 2 || atom->GetExplicitDegree() != 3) continue;
        std::vector<int> n;
        FOR_NBORS_OF_ATOM(nbr, &*atom) n.push_back(index(&*nbr));
        double tolerance = 0.05 * ideal(index(&*atom), n[0], n[1], n[2]);
        volumes.push_back({index(&*atom), n[0], n[1], n[2], -tolerance, tolerance});
    }
    return volumes;
}

}  // namespace rgdm_ob::dg
