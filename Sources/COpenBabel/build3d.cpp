// SMILES (a connection table) → 3D: OBBuilder, hydrogens, MMFF94, a stereo
// check, and distance geometry where OBBuilder cannot honour the stereo.
#include "copenbabel.h"
#include "distgeom.hpp"
#include "support.hpp"

#include <openbabel/builder.h>
#include <openbabel/forcefield.h>
#include <openbabel/math/vector3.h>
#include <openbabel/obconversion.h>
#include <openbabel/obiter.h>
#include <openbabel/stereo/cistrans.h>
#include <openbabel/stereo/stereo.h>
#include <openbabel/stereo/tetrahedral.h>

#include <cstdlib>
#include <set>
#include <string>
#include <vector>

using namespace OpenBabel;
using rgdm_ob::force_field;

namespace {

/// Seeds the randomness of OBBuilder (and of the force fields' handling of
/// coincident atoms). In Open Babel 3.1.1 all of it goes through
/// vector3::randomUnitVector(), which draws from the C library's rand()
/// through a function-local OBRandom(true); constructing that object calls
/// srand(microseconds of the clock) once. Draw one vector first so that this
/// has happened, then srand(seed): from here on, within the Open Babel lock,
/// the builder's offsets are a function of the seed.
void seed_builder(unsigned int seed) {
    vector3 warm_up;
    warm_up.randomUnitVector();
    std::srand(seed);
}

/// Does a 3D structure keep the stereochemistry of its connection table?
/// What obabel --gen3d checks (Open Babel's OBGen3DStereoHelper, which the
/// library does not export): canonical SMILES of the input against that of
/// the stereo perceived from the coordinates, where every unit the input
/// does not specify is left unspecified (the input may hold no data at all
/// for those, e.g. a SMILES without `@`).
class StereoCheck {
  public:
    explicit StereoCheck(OBMol &mol) {
        conversion_.SetOutFormat("can");
        input_ = conversion_.WriteString(&mol, true);
        OBStereoFacade facade(&mol);
        for (OBTetrahedralStereo *unit : facade.GetAllTetrahedralStereo()) {
            OBTetrahedralStereo::Config config = unit->GetConfig();
            if (config.specified) specified_centres_.insert(config.center);
        }
        for (OBCisTransStereo *unit : facade.GetAllCisTransStereo()) {
            OBCisTransStereo::Config config = unit->GetConfig();
            if (config.specified) specified_bonds_.insert({config.begin, config.end});
        }
    }

    bool holds(OBMol mol) {
        if (specified_centres_.empty() && specified_bonds_.empty()) return true;  // nothing asked for
        StereoFrom3D(&mol, true);
        OBStereoFacade facade(&mol);
        for (OBTetrahedralStereo *unit : facade.GetAllTetrahedralStereo()) {
            OBTetrahedralStereo::Config config = unit->GetConfig();
            if (specified_centres_.count(config.center)) continue;
            config.specified = false;
            unit->SetConfig(config);
        }
        for (OBCisTransStereo *unit : facade.GetAllCisTransStereo()) {
            OBCisTransStereo::Config config = unit->GetConfig();
            if (specified_bonds_.count({config.begin, config.end}) || specified_bonds_.count({config.end, config.begin})) continue;
            config.specified = false;
            unit->SetConfig(config);
        }
        return conversion_.WriteString(&mol, true) == input_;
    }

  private:
    OBConversion conversion_;
    std::string input_;
    std::set<OBStereo::Ref> specified_centres_;
    std::set<std::pair<OBStereo::Ref, OBStereo::Ref>> specified_bonds_;
};

/// How strained a minimised structure is: its energy without the
/// electrostatic term (large for charged molecules however relaxed), per
/// atom, kcal/mol. Call right after rgdm_ob_minimize, whose force field is
/// still set up for `mol`.
double strain_per_atom(OBMol &mol, const rgdm_ob_minimization &minimized) {
    OBForceField *ff = force_field(minimized.force_field);
    return (minimized.energy - ff->E_Electrostatic(false)) / static_cast<double>(mol.NumAtoms());
}

/// Puts the atoms in a random order (C library rand(), seeded by seed_builder).
void shuffle_atoms(OBMol &mol) {
    std::vector<OBAtom *> atoms;
    FOR_ATOMS_OF_MOL(atom, mol) atoms.push_back(&*atom);
    for (size_t i = atoms.size(); i > 1; --i) std::swap(atoms[i - 1], atoms[static_cast<size_t>(std::rand()) % i]);
    mol.RenumberAtoms(atoms);
}

/// Atom ids in atom order (ids survive renumbering).
std::vector<unsigned long> atom_ids(OBMol &mol) {
    std::vector<unsigned long> ids;
    FOR_ATOMS_OF_MOL(atom, mol) ids.push_back(atom->GetId());
    return ids;
}

/// Puts the atoms back in the order `ids` lists.
void restore_order(OBMol &mol, const std::vector<unsigned long> &ids) {
    std::vector<OBAtom *> atoms;
    for (unsigned long id : ids) atoms.push_back(mol.GetAtomById(id));
    mol.RenumberAtoms(atoms);
}

/// A structure above this many kcal/mol per atom when its step budget runs
/// out is minimised further, for up to `polish_factor` budgets.
constexpr double polish_energy_per_atom = 2.5;
constexpr int polish_factor = 4;

/// At most this many builds for one molecule while none is the stereoisomer
/// asked for (obabel --gen3d tries 25 builds, then distance geometry, at
/// seconds a molecule).
constexpr int max_builds = 8;

/// Distance-geometry structures minimised (each from up to
/// `embeddings_per_structure` random embeddings) before giving up.
constexpr int max_embedded_structures = 3;
constexpr int embeddings_per_structure = 8;

/// A best build above this many kcal/mol per atom (without electrostatics)
/// is compared with a distance-geometry structure, the lower kept. Each
/// comparison costs a minimisation: at 2.0 (with rebuilds above 1.5 kcal/mol
/// per atom) the bench ran twice as long, at 2.5 30 % longer for almost no
/// lower energy.
constexpr double embed_above_strain_per_atom = 3.0;

/// The fallback for what OBBuilder's ring templates cannot build (ring
/// fusions of steroids, morphinans…): distance-geometry coordinates for the
/// skeleton, then hydrogens and minimisation as for a build. Leaves the first
/// structure that keeps the stereochemistry in `mol` and `result`; false, with
/// the reason in `why`, when none does.
bool embed_by_distance_geometry(rgdm_ob_mol *handle, const OBMol &skeleton, StereoCheck &stereo,
                                const rgdm_ob_minimization_options *options, rgdm_ob_minimization &result, int &status,
                                std::string &why) {
    OBMol &mol = handle->mol;
    mol = skeleton;
    rgdm_ob::dg::Problem problem;
    if (!rgdm_ob::dg::topology_bounds(mol, problem.bounds, why)) return false;
    problem.volumes = rgdm_ob::dg::volume_constraints(mol, problem.bounds);
    // Its own generator, from the record's seed: the structure depends on the
    // seed alone (not on how many rand() draws the builds before it made).
    rgdm_ob::dg::Random random(0x6467ull << 32 ^ options->seed);
    int relaxed_away = 0;
    for (int structure = 0; structure < max_embedded_structures; ++structure) {
        mol = skeleton;
        // No embedding within the bounds: another round would find none either.
        if (!rgdm_ob::dg::embed(mol, problem, random, embeddings_per_structure, why)) return false;
        mol.SetDimension(3);
        mol.AddHydrogens(false, false);
        status = rgdm_ob_minimize(handle, options, &result);
        if (status != RGDM_OB_OK) return false;
        if (stereo.holds(mol)) return true;
        ++relaxed_away;
    }
    why = "distance geometry: " + std::to_string(relaxed_away) + " embeddings relaxed into another stereoisomer";
    return false;
}

}  // namespace

extern "C" int rgdm_ob_build_3d(rgdm_ob_mol *handle, const rgdm_ob_minimization_options *options,
                                rgdm_ob_minimization *result) {
    rgdm_ob::clear_log();
    OBMol &mol = handle->mol;
    if (mol.NumAtoms() == 0) return rgdm_ob::fail(RGDM_OB_ERR_INPUT, "empty molecule");
    // Build the heavy-atom skeleton first, then place hydrogens on it: the
    // builder's fragment matching costs grow with the atom count, and
    // AddHydrogens puts hydrogens at ideal 3D positions (as obabel --gen3d does).
    mol.DeleteHydrogens();
    const OBMol skeleton = mol;
    const std::vector<unsigned long> order = atom_ids(mol);
    StereoCheck stereo(mol);
    seed_builder(options->seed);
    OBMol best;
    rgdm_ob_minimization best_result{};
    bool have_best = false, best_keeps_stereo = false;
    double best_strain = 0;
    int wrong_minimised = 0;
    int attempts = options->attempts > 0 ? options->attempts : 1;
    int builds = 0;
    while (builds < max_builds) {
        mol = skeleton;
        // Ask OBBuilder to report centres at ring fusions it could not set
        // right (with warnings off it reports success regardless). Its random
        // offsets hardly change a build, but the atom order decides which
        // ring it places first and which centres it can correct, so each
        // further build starts from another order.
        if (builds > 0) shuffle_atoms(mol);
        OBBuilder builder;
        bool honoured = builder.Build(mol, true);
        if (builds > 0) restore_order(mol, order);
        ++builds;
        if (!honoured) continue;
        mol.SetDimension(3);
        mol.AddHydrogens(false, false);
        rgdm_ob_minimization current{};
        int status = rgdm_ob_minimize(handle, options, &current);
        if (status != RGDM_OB_OK) return status;
        // OBBuilder now and then inverts centres at ring fusions while
        // reporting success, and a strained build can relax into another
        // stereoisomer: keep the lowest energy among structures of the one
        // asked for (what obabel --gen3d checks), and build again while
        // there is none (up to max_builds) or while the energy per atom
        // stays above what a relaxed molecule of this size has (up to
        // `attempts` builds).
        bool keeps_stereo = stereo.holds(mol);
        double strain = strain_per_atom(mol, current);
        if (!have_best || (keeps_stereo && !best_keeps_stereo) ||
            (keeps_stereo == best_keeps_stereo && current.energy < best_result.energy)) {
            best = mol;
            best_result = current;
            best_keeps_stereo = keeps_stereo;
            best_strain = strain;
            have_best = true;
        }
        if (!best_keeps_stereo) {
            // Minimised builds that relaxed into another stereoisomer are
            // costly; after `attempts` of them, give up.
            if (++wrong_minimised >= attempts) break;
            continue;
        }
        if (options->retry_energy_per_atom <= 0 || best_strain <= options->retry_energy_per_atom || builds >= attempts) break;
    }
    // Distance geometry where OBBuilder could not honour the stereochemistry,
    // and as a further candidate where the best build stays strained (the
    // builder's ring conformations of steroids are often the worse there).
    bool builds_failed = !have_best || !best_keeps_stereo;
    if (builds_failed || best_strain > embed_above_strain_per_atom) {
        rgdm_ob_minimization embedded{};
        int status = RGDM_OB_OK;
        std::string why;
        bool embedded_ok = embed_by_distance_geometry(handle, skeleton, stereo, options, embedded, status, why);
        if (status != RGDM_OB_OK) return status;
        if (builds_failed && !embedded_ok) {
            return rgdm_ob::fail(RGDM_OB_ERR_CHEMISTRY, "no structure of the stereoisomer asked for in " + std::to_string(builds) +
                                                            " builds (OBBuilder could not honour the stereochemistry); " + why);
        }
        if (embedded_ok && (builds_failed || embedded.energy < best_result.energy)) {
            best = mol;
            best_result = embedded;
            best_strain = strain_per_atom(mol, embedded);
        }
    }
    mol = best;
    // Extra effort only where it pays: a structure still strained when the
    // budget ran out (fused ring systems OBBuilder assembled badly) goes on
    // relaxing, for up to `polish_factor` times the budget, without rotors.
    if (!best_result.converged && best_strain > polish_energy_per_atom) {
        rgdm_ob_minimization_options polish = *options;
        polish.max_steps = polish_factor * options->max_steps;
        polish.rotor_search = 0;
        rgdm_ob_minimization more{};
        int status = rgdm_ob_minimize(handle, &polish, &more);
        if (status != RGDM_OB_OK) return status;
        if (more.energy < best_result.energy && stereo.holds(mol)) {
            more.steps += best_result.steps;
            best_result = more;
        } else {
            mol = best;
        }
    }
    *result = best_result;
    return RGDM_OB_OK;
}

