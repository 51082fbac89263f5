// OBMol <-> flat arrays, title and text data pairs.
#include "copenbabel.h"
#include "support.hpp"

#include <openbabel/atom.h>
#include <openbabel/bond.h>
#include <openbabel/generic.h>
#include <openbabel/obiter.h>
#include <openbabel/stereo/cistrans.h>
#include <openbabel/stereo/stereo.h>
#include <openbabel/stereo/tetrahedral.h>

#include <vector>

using namespace OpenBabel;

namespace {

std::vector<OBPairData *> pair_data(OBMol &mol) {
    std::vector<OBPairData *> pairs;
    for (OBGenericData *data : mol.GetData()) {
        if (data->GetDataType() != OBGenericDataType::PairData) continue;
        // Open Babel's own bookkeeping, not data fields of the file.
        const std::string &key = data->GetAttribute();
        if (key == "MOL Chiral Flag" || key.rfind("OpenBabel", 0) == 0) continue;
        pairs.push_back(static_cast<OBPairData *>(data));
    }
    return pairs;
}

/// Specified stereo units of a 0D/2D molecule (none for 3D: coordinates carry them).
struct StereoUnits {
    std::vector<OBTetrahedralStereo::Config> tetrahedral;
    std::vector<OBCisTransStereo::Config> cis_trans;
};

StereoUnits stereo_units(OBMol &mol) {
    StereoUnits units;
    if (mol.GetDimension() == 3) return units;
    OBStereoFacade facade(&mol);
    for (OBTetrahedralStereo *unit : facade.GetAllTetrahedralStereo()) {
        OBTetrahedralStereo::Config config = unit->GetConfig(OBStereo::AntiClockwise, OBStereo::ViewFrom);
        if (config.specified && config.refs.size() == 3) units.tetrahedral.push_back(config);
    }
    for (OBCisTransStereo *unit : facade.GetAllCisTransStereo()) {
        OBCisTransStereo::Config config = unit->GetConfig(OBStereo::ShapeU);
        if (config.specified && config.refs.size() == 4) units.cis_trans.push_back(config);
    }
    return units;
}

/// Atom id → 0-based index, -1 for an implicit reference.
int32_t index_of(OBMol &mol, OBStereo::Ref ref) {
    if (ref == OBStereo::ImplicitRef) return -1;
    OBAtom *atom = mol.GetAtomById(ref);
    return atom ? static_cast<int32_t>(atom->GetIdx()) - 1 : -1;
}

}  // namespace

extern "C" void rgdm_ob_mol_stereo_count(rgdm_ob_mol *mol, int *tetrahedral, int *cis_trans) {
    StereoUnits units = stereo_units(mol->mol);
    *tetrahedral = static_cast<int>(units.tetrahedral.size());
    *cis_trans = static_cast<int>(units.cis_trans.size());
}

extern "C" void rgdm_ob_mol_get_stereo(rgdm_ob_mol *handle, int32_t *tetrahedral, int32_t *cis_trans) {
    OBMol &mol = handle->mol;
    StereoUnits units = stereo_units(mol);
    for (const auto &config : units.tetrahedral) {
        *tetrahedral++ = index_of(mol, config.center);
        *tetrahedral++ = index_of(mol, config.from);
        for (OBStereo::Ref ref : config.refs) *tetrahedral++ = index_of(mol, ref);
    }
    for (const auto &config : units.cis_trans) {
        *cis_trans++ = index_of(mol, config.begin);
        *cis_trans++ = index_of(mol, config.end);
        for (OBStereo::Ref ref : config.refs) *cis_trans++ = index_of(mol, ref);
    }
}

extern "C" int rgdm_ob_mol_set_stereo(rgdm_ob_mol *handle, int tetrahedral_count, const int32_t *tetrahedral,
                                      int cis_trans_count, const int32_t *cis_trans) {
    rgdm_ob::clear_log();
    OBMol &mol = handle->mol;
    int atoms = static_cast<int>(mol.NumAtoms());
    // Atom ids: the atom's, or ImplicitRef for -1; NoRef when out of range.
    auto ref = [&](int32_t index, bool implicit_allowed) -> OBStereo::Ref {
        if (index == -1 && implicit_allowed) return OBStereo::ImplicitRef;
        if (index < 0 || index >= atoms) return OBStereo::NoRef;
        return mol.GetAtom(index + 1)->GetId();
    };
    mol.DeleteData(OBGenericDataType::StereoData);
    for (int i = 0; i < tetrahedral_count; ++i) {
        const int32_t *unit = tetrahedral + 5 * i;
        OBTetrahedralStereo::Config config(ref(unit[0], false), ref(unit[1], true),
                                           OBStereo::MakeRefs(ref(unit[2], true), ref(unit[3], true), ref(unit[4], true)),
                                           OBStereo::AntiClockwise, OBStereo::ViewFrom);
        bool valid = config.center != OBStereo::NoRef && config.from != OBStereo::NoRef;
        for (OBStereo::Ref r : config.refs) valid = valid && r != OBStereo::NoRef;
        if (!valid) return rgdm_ob::fail(RGDM_OB_ERR_INPUT, "stereocentre " + std::to_string(i + 1) + " names an atom out of range");
        auto *stereo = new OBTetrahedralStereo(&mol);
        stereo->SetConfig(config);
        mol.SetData(stereo);
    }
    for (int i = 0; i < cis_trans_count; ++i) {
        const int32_t *unit = cis_trans + 6 * i;
        OBCisTransStereo::Config config(ref(unit[0], false), ref(unit[1], false),
                                        OBStereo::MakeRefs(ref(unit[2], true), ref(unit[3], true), ref(unit[4], true), ref(unit[5], true)),
                                        OBStereo::ShapeU);
        bool valid = config.begin != OBStereo::NoRef && config.end != OBStereo::NoRef;
        for (OBStereo::Ref r : config.refs) valid = valid && r != OBStereo::NoRef;
        if (!valid) return rgdm_ob::fail(RGDM_OB_ERR_INPUT, "cis/trans bond " + std::to_string(i + 1) + " names an atom out of range");
        auto *stereo = new OBCisTransStereo(&mol);
        stereo->SetConfig(config);
        mol.SetData(stereo);
    }
    // The units set are the molecule's stereochemistry: no perception over them.
    mol.SetChiralityPerceived();
    return RGDM_OB_OK;
}

extern "C" rgdm_ob_mol *rgdm_ob_mol_new(void) {
    rgdm_ob::ensure_initialized();
    return new rgdm_ob_mol();
}

extern "C" void rgdm_ob_mol_free(rgdm_ob_mol *mol) { delete mol; }

extern "C" int rgdm_ob_mol_set(rgdm_ob_mol *handle, int atom_count, const int32_t *atomic_numbers,
                               const double *positions, const int32_t *charges, const int32_t *implicit_h,
                               int bond_count, const int32_t *begin, const int32_t *end,
                               const int32_t *order, const uint8_t * /* aromatic: perceived */,
                               const char *title, int dimension) {
    rgdm_ob::clear_log();
    if (!handle || atom_count < 0 || bond_count < 0) return rgdm_ob::fail(RGDM_OB_ERR_INPUT, "negative count");
    OBMol &mol = handle->mol;
    mol.Clear();
    mol.BeginModify();
    for (int i = 0; i < atom_count; ++i) {
        OBAtom *atom = mol.NewAtom();
        atom->SetAtomicNum(atomic_numbers[i]);
        atom->SetVector(positions[3 * i], positions[3 * i + 1], positions[3 * i + 2]);
        atom->SetFormalCharge(charges ? charges[i] : 0);
        atom->SetImplicitHCount(implicit_h ? static_cast<unsigned int>(implicit_h[i]) : 0);
    }
    for (int b = 0; b < bond_count; ++b) {
        if (begin[b] < 0 || end[b] < 0 || begin[b] >= atom_count || end[b] >= atom_count || begin[b] == end[b]) {
            mol.EndModify();
            return rgdm_ob::fail(RGDM_OB_ERR_INPUT, "bond " + std::to_string(b + 1) + " joins atoms " +
                                                        std::to_string(begin[b] + 1) + " and " + std::to_string(end[b] + 1) +
                                                        " of " + std::to_string(atom_count));
        }
        if (!mol.AddBond(begin[b] + 1, end[b] + 1, order[b])) {
            mol.EndModify();
            return rgdm_ob::fail(RGDM_OB_ERR_INPUT, "bond " + std::to_string(b + 1) + " could not be added (duplicate?)");
        }
    }
    mol.EndModify();
    mol.SetDimension(static_cast<unsigned short>(dimension));
    mol.SetTitle(title ? title : "");
    return RGDM_OB_OK;
}

extern "C" int rgdm_ob_mol_atom_count(const rgdm_ob_mol *mol) { return static_cast<int>(mol->mol.NumAtoms()); }

extern "C" int rgdm_ob_mol_bond_count(const rgdm_ob_mol *mol) { return static_cast<int>(mol->mol.NumBonds()); }

extern "C" int rgdm_ob_mol_dimension(const rgdm_ob_mol *mol) { return mol->mol.GetDimension(); }

extern "C" const char *rgdm_ob_mol_title(const rgdm_ob_mol *mol) { return mol->mol.GetTitle(); }

extern "C" void rgdm_ob_mol_get_atoms(rgdm_ob_mol *handle, int32_t *atomic_numbers, double *positions,
                                      int32_t *charges, int32_t *implicit_h) {
    int i = 0;
    FOR_ATOMS_OF_MOL(atom, handle->mol) {
        atomic_numbers[i] = static_cast<int32_t>(atom->GetAtomicNum());
        positions[3 * i] = atom->GetX();
        positions[3 * i + 1] = atom->GetY();
        positions[3 * i + 2] = atom->GetZ();
        charges[i] = atom->GetFormalCharge();
        implicit_h[i] = atom->GetImplicitHCount();
        ++i;
    }
}

extern "C" void rgdm_ob_mol_get_bonds(rgdm_ob_mol *handle, int32_t *begin, int32_t *end, int32_t *order,
                                      uint8_t *aromatic) {
    int b = 0;
    FOR_BONDS_OF_MOL(bond, handle->mol) {
        begin[b] = static_cast<int32_t>(bond->GetBeginAtomIdx()) - 1;
        end[b] = static_cast<int32_t>(bond->GetEndAtomIdx()) - 1;
        order[b] = static_cast<int32_t>(bond->GetBondOrder());
        aromatic[b] = bond->IsAromatic() ? 1 : 0;
        ++b;
    }
}

extern "C" int rgdm_ob_mol_data_count(rgdm_ob_mol *mol) { return static_cast<int>(pair_data(mol->mol).size()); }

extern "C" const char *rgdm_ob_mol_data_key(rgdm_ob_mol *mol, int index) {
    auto pairs = pair_data(mol->mol);
    return index >= 0 && index < static_cast<int>(pairs.size()) ? pairs[index]->GetAttribute().c_str() : "";
}

extern "C" const char *rgdm_ob_mol_data_value(rgdm_ob_mol *mol, int index) {
    auto pairs = pair_data(mol->mol);
    return index >= 0 && index < static_cast<int>(pairs.size()) ? pairs[index]->GetValue().c_str() : "";
}

extern "C" void rgdm_ob_mol_add_data(rgdm_ob_mol *mol, const char *key, const char *value) {
    auto *data = new OBPairData();
    data->SetAttribute(key);
    data->SetValue(value);
    data->SetOrigin(fileformatInput);
    mol->mol.SetData(data);
}
