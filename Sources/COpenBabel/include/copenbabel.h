// A plain C API over Open Babel 3. Swift imports this header; the C++ lives in
// the .cpp files of this target. Open Babel is not thread-safe: the Swift side
// serialises every call (see Chem/OpenBabel/OpenBabelLock.swift).
//
// Conventions:
// - Functions that can fail return an int status: 0 on success, a negative
//   RGDM_OB_* code on failure. The reason, in words, is then available from
//   rgdm_ob_last_error() until the next call.
// - Strings returned as `char *` are malloc'd: free them with rgdm_ob_free().
//   Strings returned as `const char *` belong to the object they came from.
// - Positions are Å, flat [atoms * 3]; atom and bond indices are 0-based.
#ifndef RGDM_COPENBABEL_H
#define RGDM_COPENBABEL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Status codes.
enum {
    RGDM_OB_OK = 0,
    RGDM_OB_END = 1,              ///< reader: no more records
    RGDM_OB_ERR_FORMAT = -1,      ///< unknown format name or extension
    RGDM_OB_ERR_IO = -2,          ///< file could not be opened, read or written
    RGDM_OB_ERR_PARSE = -3,       ///< a record could not be parsed
    RGDM_OB_ERR_INPUT = -4,       ///< arrays handed in are inconsistent
    RGDM_OB_ERR_CHEMISTRY = -5,   ///< an operation failed (no force field parameters, builder failed…)
};

/// Open Babel's release string, for example "3.1.1". Never NULL.
const char *rgdm_ob_version(void);

/// The reason for the last failure on this thread, "" if none. Never NULL.
const char *rgdm_ob_last_error(void);

/// Frees a string returned by this API.
void rgdm_ob_free(char *string);

/// 1 if Open Babel knows an input (direction 0) or output (direction 1)
/// format of this name or file extension ("sdf", "smi", "mol2", "xyz"…).
int rgdm_ob_has_format(const char *name, int direction);

// MARK: Molecules

/// An Open Babel molecule (OBMol).
typedef struct rgdm_ob_mol rgdm_ob_mol;

rgdm_ob_mol *rgdm_ob_mol_new(void);
void rgdm_ob_mol_free(rgdm_ob_mol *mol);

/// Replaces the molecule's contents. `implicit_h` may be NULL (then no atom
/// carries implicit hydrogens). `aromatic` may be NULL. `dimension` is 0, 2 or 3.
int rgdm_ob_mol_set(rgdm_ob_mol *mol, int atom_count, const int32_t *atomic_numbers,
                    const double *positions, const int32_t *charges, const int32_t *implicit_h,
                    int bond_count, const int32_t *begin, const int32_t *end,
                    const int32_t *order, const uint8_t *aromatic,
                    const char *title, int dimension);

int rgdm_ob_mol_atom_count(const rgdm_ob_mol *mol);
int rgdm_ob_mol_bond_count(const rgdm_ob_mol *mol);
int rgdm_ob_mol_dimension(const rgdm_ob_mol *mol);
const char *rgdm_ob_mol_title(const rgdm_ob_mol *mol);

/// Fills caller arrays sized by rgdm_ob_mol_atom_count (positions: 3 × that).
void rgdm_ob_mol_get_atoms(rgdm_ob_mol *mol, int32_t *atomic_numbers, double *positions,
                           int32_t *charges, int32_t *implicit_h);
/// Fills caller arrays sized by rgdm_ob_mol_bond_count. Aromaticity is the
/// flag Open Babel holds (perceived if it has not been yet).
void rgdm_ob_mol_get_bonds(rgdm_ob_mol *mol, int32_t *begin, int32_t *end, int32_t *order,
                           uint8_t *aromatic);

/// Stereochemistry of a molecule whose coordinates do not carry it (0D or
/// 2D: SMILES, 2D molfiles); 3D structures carry it in their coordinates, so
/// nothing is read or set for them. Only specified stereo units count.
/// Tetrahedral centres: 5 ints each, the centre and its four neighbours such
/// that, looking from the first, the other three run anticlockwise (SMILES
/// `@`). Cis/trans double bonds: 6 ints each, begin, end, then two
/// neighbours of begin and two of end in a U shape (the first and the last
/// are cis). A neighbour -1 is an implicit hydrogen or a lone pair.
void rgdm_ob_mol_stereo_count(rgdm_ob_mol *mol, int *tetrahedral, int *cis_trans);
void rgdm_ob_mol_get_stereo(rgdm_ob_mol *mol, int32_t *tetrahedral, int32_t *cis_trans);
/// Replaces the molecule's stereo units (for a 0D or 2D molecule; set its
/// atoms and bonds first). RGDM_OB_ERR_INPUT when an index is out of range.
int rgdm_ob_mol_set_stereo(rgdm_ob_mol *mol, int tetrahedral_count, const int32_t *tetrahedral,
                           int cis_trans_count, const int32_t *cis_trans);

/// SDF data fields and other text pairs attached to the molecule.
int rgdm_ob_mol_data_count(rgdm_ob_mol *mol);
const char *rgdm_ob_mol_data_key(rgdm_ob_mol *mol, int index);
const char *rgdm_ob_mol_data_value(rgdm_ob_mol *mol, int index);
void rgdm_ob_mol_add_data(rgdm_ob_mol *mol, const char *key, const char *value);

// MARK: Reading and writing

/// A streaming reader: yields one record at a time from a file or a buffer.
typedef struct rgdm_ob_reader rgdm_ob_reader;

/// Opens `path` in `format` (a name or extension; NULL: from the path's
/// extension, gzip included). NULL on failure (see rgdm_ob_last_error).
rgdm_ob_reader *rgdm_ob_reader_open_file(const char *path, const char *format);
/// Reads records from a copy of `length` bytes of `data`.
rgdm_ob_reader *rgdm_ob_reader_open_buffer(const char *data, size_t length, const char *format);
/// Reads the next record into `mol`: RGDM_OB_OK, RGDM_OB_END, or
/// RGDM_OB_ERR_PARSE (the bad record is skipped; reading may go on).
int rgdm_ob_reader_next(rgdm_ob_reader *reader, rgdm_ob_mol *mol);
/// The byte offset where the last record read (or skipped) began.
long long rgdm_ob_reader_offset(const rgdm_ob_reader *reader);
void rgdm_ob_reader_close(rgdm_ob_reader *reader);

/// Parses single records that the caller has already delimited (rgdm splits
/// SDF, XYZ, PDB, MOL2 and SMILES files itself, so a record can be checked,
/// skipped or given up on without Open Babel reading it).
typedef struct rgdm_ob_parser rgdm_ob_parser;

/// A parser for `format` (a name or extension). NULL on failure.
rgdm_ob_parser *rgdm_ob_parser_new(const char *format);
/// Parses the one record in the `length` bytes of `text` into `mol`:
/// RGDM_OB_OK or RGDM_OB_ERR_PARSE.
int rgdm_ob_parser_parse(rgdm_ob_parser *parser, const char *text, size_t length, rgdm_ob_mol *mol);
void rgdm_ob_parser_free(rgdm_ob_parser *parser);

/// The molecule written in `format`; `options` is a space-separated list of
/// Open Babel output options ("n", "h", "3"…) or NULL. NULL on failure.
char *rgdm_ob_write_string(rgdm_ob_mol *mol, const char *format, const char *options);

/// A streaming writer: one Open Babel conversion for all the records of a
/// file, so formats that wrap several records (PDB MODEL/ENDMDL and a final
/// END; CML's <cml> root around the <molecule>s) write one valid file. Such
/// formats need to know which record is the last: the writer keeps one record
/// back and writes it on the next add, or as the last one on finish.
typedef struct rgdm_ob_writer rgdm_ob_writer;

/// A writer in `format` with Open Babel output `options` (as for
/// rgdm_ob_write_string, may be NULL). NULL on failure.
rgdm_ob_writer *rgdm_ob_writer_new(const char *format, const char *options);
/// Takes a copy of `mol` as the next record. Writes the record held back
/// before it and returns the text that is ready ("" if none yet; malloc'd),
/// or NULL on failure, naming that record.
char *rgdm_ob_writer_add(rgdm_ob_writer *writer, rgdm_ob_mol *mol);
/// Writes the record held back as the last one and returns the remaining
/// text (malloc'd), or NULL on failure.
char *rgdm_ob_writer_finish(rgdm_ob_writer *writer);
void rgdm_ob_writer_free(rgdm_ob_writer *writer);

/// Canonical SMILES (Open Babel's "can" format), no title, no newline;
/// with `stereo` 0 without chirality, cis/trans or isotope marks (option i).
char *rgdm_ob_canonical_smiles(rgdm_ob_mol *mol, int stereo);
/// Standard InChI (key = 0) or InChIKey (key = 1), no newline.
char *rgdm_ob_inchi(rgdm_ob_mol *mol, int key);

// MARK: Chemistry

/// Adds explicit hydrogens, placed in 3D when the molecule has coordinates.
int rgdm_ob_add_hydrogens(rgdm_ob_mol *mol);
int rgdm_ob_delete_hydrogens(rgdm_ob_mol *mol);

/// Bonds from coordinates: ConnectTheDots then PerceiveBondOrders. Existing
/// bonds are removed first.
int rgdm_ob_perceive_bonds(rgdm_ob_mol *mol);

/// Force fields.
enum { RGDM_OB_MMFF94 = 0, RGDM_OB_UFF = 1 };

typedef struct {
    int force_field;     ///< RGDM_OB_MMFF94 or RGDM_OB_UFF: the one actually used
    int steps;           ///< conjugate-gradient steps taken
    int converged;       ///< 1 if the energy change fell below the threshold within the budget
    double energy;       ///< final energy, kcal/mol
} rgdm_ob_minimization;

/// Energy (kcal/mol) of the molecule's current coordinates.
int rgdm_ob_energy(rgdm_ob_mol *mol, int force_field, double *energy);

/// How to minimise.
typedef struct {
    int force_field;          ///< RGDM_OB_MMFF94 (falls back to UFF where it has no parameters) or RGDM_OB_UFF
    int max_steps;            ///< conjugate-gradient step budget
    double energy_threshold;  ///< converged when one step changes the energy by less (kcal/mol)
    int rotor_search;         ///< 1: after a first half of the budget, Open Babel's FastRotorSearch, then the rest
    int newton_line_search;   ///< 1: Newton2Num line search (fewer evaluations) instead of Simple
    int attempts;             ///< build_3d: at most this many builds (each from another atom order) ...
    double retry_energy_per_atom; ///< ... while the minimised energy less its electrostatic term exceeds this many kcal/mol per atom; the lowest is kept
    unsigned int seed;        ///< build_3d: seeds OBBuilder's random offsets (same seed, same structure)
} rgdm_ob_minimization_options;

/// Minimises the molecule's coordinates by conjugate gradients.
int rgdm_ob_minimize(rgdm_ob_mol *mol, const rgdm_ob_minimization_options *options, rgdm_ob_minimization *result);

/// 3D from a connection table: OBBuilder coordinates for the heavy atoms,
/// hydrogens placed on them, then rgdm_ob_minimize; built again from another
/// atom order while the structure is not the stereoisomer of the input (as
/// obabel --gen3d checks; at most 8 builds) or while it stays strained
/// (`attempts`, `retry_energy_per_atom`), keeping the lowest of the right
/// stereoisomer; a structure still strained when its budget ran out is
/// minimised further. Where no build keeps the stereochemistry (ring
/// fusions OBBuilder's templates cannot make), the heavy atoms are placed by
/// distance geometry with chiral-volume constraints instead; fails when
/// that does not keep it either. Reproducible for a given `seed` (it seeds
/// the C library's rand(), which OBBuilder draws from, and the distance
/// geometry's own generator). Never uses `--gen3d fast` (it writes zeros).
int rgdm_ob_build_3d(rgdm_ob_mol *mol, const rgdm_ob_minimization_options *options, rgdm_ob_minimization *result);

/// The distance-geometry fallback's error function, for tests: violations of
/// the distance bounds from the molecule's topology and of the chiral
/// volumes of its specified centres, plus fourth_weight·Σ x_4², at
/// `coordinates` [atoms × 4]; its gradient [atoms × 4] into `gradient` unless NULL.
int rgdm_ob_embedding_error(rgdm_ob_mol *mol, const double *coordinates, double fourth_weight, double *value, double *gradient);

typedef struct {
    double molecular_weight;   ///< g/mol, implicit hydrogens included
    double logp;               ///< Open Babel's group-contribution logP
    double tpsa;               ///< topological polar surface area, Å²
    double molar_refractivity;
    int hbond_donors;
    int hbond_acceptors;
    int rotatable_bonds;
    int rings;                 ///< smallest set of smallest rings
    int aromatic_rings;
    int heavy_atoms;
} rgdm_ob_descriptors;

int rgdm_ob_descriptors_compute(rgdm_ob_mol *mol, rgdm_ob_descriptors *out);

/// Number of SMARTS matches (unique) of `pattern` in the molecule, or a
/// negative status when the pattern does not parse.
int rgdm_ob_smarts_count(rgdm_ob_mol *mol, const char *pattern);

#ifdef __cplusplus
}
#endif
#endif
