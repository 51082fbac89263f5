// Hydrogens, bond perception, force fields and descriptors (3D building: build3d.cpp).
#include "copenbabel.h"
#include "support.hpp"

#include <openbabel/bond.h>
#include <openbabel/descriptor.h>
#include <openbabel/forcefield.h>
#include <openbabel/obiter.h>
#include <openbabel/parsmart.h>
#include <openbabel/ring.h>

#include <cmath>
#include <cstdlib>
#include <sstream>

using namespace OpenBabel;

/// One long-lived instance per force field. Instances made by
/// MakeNewInstance() segfault in SetupCalculations unless a log stream and
/// level are set first; they parse their parameter files once, on first use.
OBForceField *rgdm_ob::force_field(int which) {
    static OBForceField *instances[2] = {nullptr, nullptr};
    static std::ostringstream log;
    if (which != RGDM_OB_MMFF94 && which != RGDM_OB_UFF) return nullptr;
    if (!instances[which]) {
        OBForceField *prototype = OBForceField::FindForceField(which == RGDM_OB_MMFF94 ? "MMFF94" : "UFF");
        if (!prototype) return nullptr;
        OBForceField *instance = prototype->MakeNewInstance();
        instance->SetLogFile(&log);
        instance->SetLogLevel(OBFF_LOGLVL_NONE);
        instances[which] = instance;
    }
    log.str("");
    return instances[which];
}

using rgdm_ob::force_field;

namespace {

/// Sets up a force field for `mol`, MMFF94 falling back to UFF. Writes the
/// one used into `used`; nullptr with an error recorded when neither has parameters.
OBForceField *set_up(OBMol &mol, int requested, int *used) {
    OBForceField *ff = force_field(requested);
    if (ff && ff->Setup(mol)) {
        *used = requested;
        return ff;
    }
    if (requested == RGDM_OB_MMFF94) {
        ff = force_field(RGDM_OB_UFF);
        if (ff && ff->Setup(mol)) {
            *used = RGDM_OB_UFF;
            return ff;
        }
    }
    rgdm_ob::fail(RGDM_OB_ERR_CHEMISTRY, requested == RGDM_OB_MMFF94 ? "neither MMFF94 nor UFF has parameters for this molecule"
                                                                     : "UFF has no parameters for this molecule");
    return nullptr;
}

double predict(OBMol &mol, const char *name) {
    OBDescriptor *descriptor = OBDescriptor::FindType(name);
    return descriptor ? descriptor->Predict(&mol) : NAN;
}

}  // namespace

extern "C" int rgdm_ob_add_hydrogens(rgdm_ob_mol *mol) {
    rgdm_ob::clear_log();
    return mol->mol.AddHydrogens(false, false) ? RGDM_OB_OK : rgdm_ob::fail(RGDM_OB_ERR_CHEMISTRY, "could not add hydrogens");
}

extern "C" int rgdm_ob_delete_hydrogens(rgdm_ob_mol *mol) {
    rgdm_ob::clear_log();
    return mol->mol.DeleteHydrogens() ? RGDM_OB_OK : rgdm_ob::fail(RGDM_OB_ERR_CHEMISTRY, "could not delete hydrogens");
}

extern "C" int rgdm_ob_perceive_bonds(rgdm_ob_mol *handle) {
    rgdm_ob::clear_log();
    OBMol &mol = handle->mol;
    mol.BeginModify();
    while (mol.NumBonds() > 0) mol.DeleteBond(mol.GetBond(0));
    FOR_ATOMS_OF_MOL(atom, mol) atom->SetImplicitHCount(0);
    mol.EndModify();
    mol.ConnectTheDots();
    mol.PerceiveBondOrders();
    return RGDM_OB_OK;
}

extern "C" int rgdm_ob_energy(rgdm_ob_mol *mol, int which, double *energy) {
    rgdm_ob::clear_log();
    OBForceField *ff = force_field(which);
    if (!ff) return rgdm_ob::fail(RGDM_OB_ERR_CHEMISTRY, "unknown force field");
    if (!ff->Setup(mol->mol)) {
        return rgdm_ob::fail(RGDM_OB_ERR_CHEMISTRY, std::string(which == RGDM_OB_MMFF94 ? "MMFF94" : "UFF") +
                                                        " has no parameters for this molecule");
    }
    *energy = ff->Energy(false);
    return RGDM_OB_OK;
}

namespace {

/// Conjugate gradients for at most `budget` steps; true if converged first.
bool conjugate_gradients(OBForceField *ff, int budget, double threshold, int *steps) {
    // Initialise with more steps than the budget so that a false return from
    // TakeNSteps means "converged", never "out of steps".
    ff->ConjugateGradientsInitialize(budget + 2, threshold);
    int taken = 0;
    while (taken < budget) {
        ++taken;
        if (!ff->ConjugateGradientsTakeNSteps(1)) {
            *steps += taken;
            return true;
        }
    }
    *steps += taken;
    return false;
}

}  // namespace

extern "C" int rgdm_ob_minimize(rgdm_ob_mol *handle, const rgdm_ob_minimization_options *options,
                                rgdm_ob_minimization *result) {
    rgdm_ob::clear_log();
    OBMol &mol = handle->mol;
    int used = options->force_field;
    OBForceField *ff = set_up(mol, options->force_field, &used);
    if (!ff) return RGDM_OB_ERR_CHEMISTRY;
    ff->SetLineSearchType(options->newton_line_search ? LineSearchType::Newton2Num : LineSearchType::Simple);
    int steps = 0;
    bool converged;
    if (options->rotor_search && options->max_steps >= 2) {
        // As obabel --gen3d does: relax, try the rotamers one rotor at a time, relax again.
        int first = options->max_steps / 4;
        conjugate_gradients(ff, first, options->energy_threshold, &steps);
        ff->FastRotorSearch(false);
        converged = conjugate_gradients(ff, options->max_steps - first, options->energy_threshold, &steps);
    } else {
        converged = conjugate_gradients(ff, options->max_steps, options->energy_threshold, &steps);
    }
    ff->GetCoordinates(mol);
    result->force_field = used;
    result->steps = steps;
    result->converged = converged ? 1 : 0;
    result->energy = ff->Energy(false);
    return RGDM_OB_OK;
}

extern "C" int rgdm_ob_descriptors_compute(rgdm_ob_mol *handle, rgdm_ob_descriptors *out) {
    rgdm_ob::clear_log();
    OBMol &mol = handle->mol;
    out->molecular_weight = mol.GetMolWt(true);
    out->logp = predict(mol, "logP");
    out->tpsa = predict(mol, "TPSA");
    out->molar_refractivity = predict(mol, "MR");
    out->hbond_donors = static_cast<int>(std::lround(predict(mol, "HBD")));
    out->hbond_acceptors = static_cast<int>(std::lround(predict(mol, "HBA1")));
    out->rotatable_bonds = static_cast<int>(mol.NumRotors(false));
    std::vector<OBRing *> &rings = mol.GetSSSR();
    out->rings = static_cast<int>(rings.size());
    int aromatic = 0;
    for (OBRing *ring : rings) aromatic += ring->IsAromatic() ? 1 : 0;
    out->aromatic_rings = aromatic;
    out->heavy_atoms = static_cast<int>(mol.NumHvyAtoms());
    return RGDM_OB_OK;
}

extern "C" int rgdm_ob_smarts_count(rgdm_ob_mol *handle, const char *pattern) {
    rgdm_ob::clear_log();
    OBSmartsPattern smarts;
    if (!smarts.Init(pattern)) return rgdm_ob::fail(RGDM_OB_ERR_INPUT, std::string("SMARTS does not parse: ") + pattern);
    if (!smarts.Match(handle->mol)) return 0;
    return static_cast<int>(smarts.GetUMapList().size());
}
