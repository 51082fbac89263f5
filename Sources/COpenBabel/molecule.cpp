// OBMol <-> flat arrays, title and text data pairs.
#include "copenbabel.h"
#include "support.hpp"

#include <openbabel/atom.h>
#include <openbabel/bond.h>
#include <openbabel/generic.h>
#include <openbabel/obiter.h>

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

}  // namespace

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
