#!/usr/bin/env python3
"""Writes the malformed-input corpus in this folder, and expected.tsv.

Every file holds one bad record, most between good ones, so a test can check
that reading names the file, the record and the line, and goes on. The
columns of expected.tsv:

    file     the corpus file
    records  records in the file (the bad one included)
    record   the bad record's 1-based number
    error    the ChemError case strict reading gives: malformedRecord,
             limitExceeded, badRecord (Open Babel's own rejection),
             invalidMolecule, emptyInput
    line     the 1-based file line of the problem (0 when the case has none)
    reason   text the error's reason contains

Run by hand (python3 make-corpus.py); the test never rewrites these files.
The 200,000-atom SMILES of the reliability issue is not committed: the tests
build it ("C" repeated), as they do the long-running and memory-hungry records.
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
rows = []


def write(name, records, bad, index, error, reason, raw=None):
    """Writes `records` (lists of lines) to `name`; the problem is line `index` (0-based) of record `bad`."""
    text = raw if raw is not None else "".join(line + "\n" for record in records for line in record)
    with open(os.path.join(HERE, name), "w" if isinstance(text, str) else "wb") as f:
        f.write(text)
    line = 0
    if index is not None:
        line = sum(len(r) for r in records[: bad - 1]) + index + 1
    rows.append((name, len(records), bad, error, line, reason))


# MDL molfiles, V2000: methanol and ethanol's heavy atoms.
def atom(x, y, z, symbol, charge=0):
    return f"{x:10.4f}{y:10.4f}{z:10.4f} {symbol:<3} 0{charge:3d}  0  0  0  0  0  0  0  0  0  0"


def bond(a, b, order):
    return f"{a:3d}{b:3d}{order:3d}  0  0  0  0"


def counts(atoms, bonds):
    return f"{atoms:3d}{bonds:3d}  0  0  0  0  0  0  0  0999 V2000"


METHANOL_ATOMS = [atom(0.0, 0.0, 0.0, "C"), atom(1.43, 0.0, 0.0, "O")]


def molfile(title="methanol", atoms=None, bonds=None, count_line=None, properties=("M  END",), end=True):
    atoms = METHANOL_ATOMS if atoms is None else atoms
    bonds = [bond(1, 2, 1)] if bonds is None else bonds
    lines = [title, "  rgdm-corpus", ""]
    lines.append(count_line if count_line is not None else counts(len(atoms), len(bonds)))
    lines += atoms + bonds + list(properties)
    return lines + (["$$$$"] if end else [])


def replace_columns(line, start, end, text):
    return line[:start] + text + line[end:]


GOOD = molfile()
ETHANOL = [atom(0.0, 0.0, 0.0, "C"), atom(1.52, 0.0, 0.0, "C"), atom(2.0, 1.4, 0.0, "O")]


def sdf(name, bad_record, index, reason, error="malformedRecord"):
    write(name, [GOOD, bad_record, GOOD], 2, index, error, reason)


sdf("v2000-x-letter.sdf", molfile(atoms=[replace_columns(METHANOL_ATOMS[0], 0, 10, "    l.2340"), METHANOL_ATOMS[1]]),
    4, "x coordinate 'l.2340' in columns 1–10 is not a number")
sdf("v2000-y-letter-inside-number.sdf", molfile(atoms=[METHANOL_ATOMS[0], replace_columns(METHANOL_ATOMS[1], 10, 20, "    1.2a40")]),
    5, "y coordinate '1.2a40' in columns 11–20 is not a number")
sdf("v2000-z-blank.sdf", molfile(atoms=[METHANOL_ATOMS[0], replace_columns(METHANOL_ATOMS[1], 20, 30, " " * 10)]),
    5, "z coordinate '' in columns 21–30 is not a number")
sdf("v2000-atom-count-too-high.sdf", molfile(count_line=counts(5, 1)), 6, "a bond line where an atom line was expected")
sdf("v2000-atom-count-too-low.sdf", molfile(atoms=ETHANOL, bonds=[bond(1, 2, 1), bond(2, 3, 1)], count_line=counts(2, 2)),
    6, "an atom line where a bond line was expected")
sdf("v2000-bond-count-too-high.sdf", molfile(count_line=counts(2, 3)), 7, "announces 3 bonds, the bond block has 1")
sdf("v2000-bond-count-too-low.sdf", molfile(atoms=ETHANOL, bonds=[bond(1, 2, 1), bond(2, 3, 1)], count_line=counts(3, 1)),
    8, "a bond line after the 1 bonds the counts line announces")
sdf("v2000-bond-to-missing-atom.sdf", molfile(bonds=[bond(1, 9, 1)]), 6, "bond to atom 9, but the record has 2 atoms")
sdf("v2000-bond-to-itself.sdf", molfile(bonds=[bond(1, 1, 1)]), 6, "bond from atom 1 to itself")
sdf("v2000-bond-type.sdf", molfile(bonds=[bond(1, 2, 9)]), 6, "bond type 9 is not 1–8")
sdf("v2000-bond-letter.sdf", molfile(bonds=["  1  b  1  0  0  0  0"]), 6, "second atom 'b' in columns 4–6 is not a whole number")
sdf("v2000-counts-letters.sdf", molfile(count_line="  a  1  0  0  0  0  0  0  0  0999 V2000"), 3, "atom count 'a' in columns 1–3")
sdf("v2000-counts-short.sdf", molfile(count_line="2 1"), 3, "counts line too short")
sdf("v2000-symbol-blank.sdf", molfile(atoms=[METHANOL_ATOMS[0], replace_columns(METHANOL_ATOMS[1], 31, 34, "   ")]),
    5, "atom symbol '' in columns 32–34 is not an element")
sdf("v2000-symbol-digits.sdf", molfile(atoms=[replace_columns(METHANOL_ATOMS[0], 31, 34, "12 "), METHANOL_ATOMS[1]]),
    4, "atom symbol '12' in columns 32–34 is not an element")
sdf("v2000-charge-letter.sdf", molfile(atoms=[METHANOL_ATOMS[0], replace_columns(METHANOL_ATOMS[1], 36, 39, "  x")]),
    5, "atom field 'x' in columns 37–39 is not a whole number")
sdf("v2000-no-m-end.sdf", molfile(properties=()), 7, "no 'M  END' line ends the molfile")
sdf("v2000-chg-atom-out-of-range.sdf", molfile(properties=("M  CHG  1   7  -1", "M  END")), 7,
    "'M  CHG' names atom 7, but the record has 2 atoms")
sdf("v2000-chg-entry-count.sdf", molfile(properties=("M  CHG  3   1  -1", "M  END")), 7, "'M  CHG' entry count '3'")
sdf("v2000-atom-line-short.sdf", molfile(atoms=[METHANOL_ATOMS[0][:20], METHANOL_ATOMS[1]]), 4, "atom line too short (20 characters")
sdf("v2000-stray-line.sdf", molfile(properties=("hello", "M  END")), 7, "'hello' is not a property line")
sdf("v2000-header-only.sdf", ["methanol", "  rgdm-corpus", "$$$$"], 2, "the record ends before its counts line")
cut = molfile()[:5]
write("v2000-truncated.sdf", [GOOD, cut], 2, 4, "malformedRecord", "announces 2 atoms, the atom block has 1")

# MOL: one record, no $$$$.
write("mol-x-letter.mol", [molfile(atoms=[METHANOL_ATOMS[0], replace_columns(METHANOL_ATOMS[1], 0, 10, "    -0.7x1")], end=False)],
      1, 5, "malformedRecord", "x coordinate '-0.7x1'")
write("mol-atom-count-too-high.mol", [molfile(count_line=counts(4, 1), end=False)], 1, 6, "malformedRecord",
      "a bond line where an atom line was expected")
write("mol-bond-to-missing-atom.mol", [molfile(bonds=[bond(2, 3, 1)], end=False)], 1, 6, "malformedRecord",
      "bond to atom 3, but the record has 2 atoms")


# MDL molfiles, V3000.
def v3000(atoms=None, bonds=None, count="COUNTS 2 1 0 0 0", drop=(), extra=()):
    atoms = ["1 C 0.0 0.0 0.0 0", "2 O 1.43 0.0 0.0 0"] if atoms is None else atoms
    bonds = ["1 1 1 2"] if bonds is None else bonds
    body = ["BEGIN CTAB", count, "BEGIN ATOM"] + atoms + ["END ATOM", "BEGIN BOND"] + bonds + ["END BOND"] + list(extra) + ["END CTAB"]
    lines = ["methanol", "  rgdm-corpus", "", "  0  0  0     0  0            999 V3000"]
    lines += ["M  V30 " + entry for entry in body if entry not in drop] + ["M  END", "$$$$"]
    return [line for line in lines if line not in drop]


GOOD3 = v3000()


def v3(name, record, index, reason):
    write(name, [GOOD3, record, GOOD3], 2, index, "malformedRecord", reason)


v3("v3000-atom-count.sdf", v3000(count="COUNTS 3 1 0 0 0"), 9, "COUNTS (line 22) announces 3 atoms, the atom block (line 23) has 2")
v3("v3000-bond-count.sdf", v3000(count="COUNTS 2 2 0 0 0"), 12, "announces 2 bonds, the bond block")
v3("v3000-x-letter.sdf", v3000(atoms=["1 C 0.0 0.0 0.0 0", "2 O 1.4a3 0.0 0.0 0"]), 8, "x coordinate '1.4a3' of atom 2 is not a number")
v3("v3000-bond-to-missing-atom.sdf", v3000(bonds=["1 1 1 5"]), 11, "bond to atom 5, which the atom block does not define")
v3("v3000-no-end-ctab.sdf", v3000(drop=("M  V30 END CTAB",)), 12, "no 'M  V30 END CTAB' line")
v3("v3000-no-m-end.sdf", v3000(drop=("M  END",)), 14, "no 'M  END' line ends the V3000 molfile")
v3("v3000-duplicate-atom.sdf", v3000(atoms=["1 C 0.0 0.0 0.0 0", "1 O 1.43 0.0 0.0 0"]), 8, "atom index 1 appears twice")
v3("v3000-atom-fields.sdf", v3000(atoms=["1 C 0.0 0.0 0.0 0", "2 O 1.43 0.0"]), 8, "atom line has 4 fields")
v3("v3000-block-not-closed.sdf", v3000(drop=("M  V30 END ATOM",)), 9, "BEGIN BOND inside the ATOM block")
bad = v3000()
bad[7] = "M  V31 1 C 0.0 0.0 0.0 0"
v3("v3000-not-v30-line.sdf", bad, 7, "expected an 'M  V30' line")
v3("v3000-no-counts.sdf", v3000(drop=("M  V30 COUNTS 2 1 0 0 0",)), 4, "no 'M  V30 COUNTS' line")
v3("v3000-counts-letters.sdf", v3000(count="COUNTS two 1 0 0 0"), 5, "no 'M  V30 COUNTS' line with whole atom and bond counts")

# XYZ: water, then the bad record, then carbon monoxide.
WATER = ["3", "water", "O 0.0000 0.0000 0.0000", "H 0.9572 0.0000 0.0000", "H -0.2400 0.9266 0.0000"]
CO = ["2", "carbon monoxide", "C 0.0000 0.0000 0.0000", "O 1.1280 0.0000 0.0000"]


def xyz(name, record, index, reason, error="malformedRecord", last=False):
    records = [WATER, record] if last else [WATER, record, CO]
    write(name, records, 2, index, error, reason)


xyz("xyz-count-fraction.xyz", ["3.5"] + WATER[1:], 0, "atom count '3.5' is not a positive whole number")
xyz("xyz-count-word.xyz", ["three"] + WATER[1:], 0, "atom count 'three' is not a positive whole number")
xyz("xyz-count-zero.xyz", ["0", "nothing"], 0, "atom count '0' is not a positive whole number")
xyz("xyz-count-negative.xyz", ["-2"] + CO[1:], 0, "atom count '-2' is not a positive whole number")
xyz("xyz-count-too-high.xyz", ["4"] + WATER[1:], 4, "the count on line 6 announces 4 atoms, the record has 3", last=True)
xyz("xyz-count-too-low.xyz", ["2"] + WATER[1:], 4, "more atom lines than the 2 the count on line 6 announces")
xyz("xyz-x-letter.xyz", WATER[:2] + ["O 1.2a 0.0000 0.0000"] + WATER[3:], 2, "x coordinate '1.2a' is not a number")
xyz("xyz-missing-z.xyz", WATER[:3] + ["H 0.9572 0.0000"] + WATER[4:], 3, "atom line has 3 fields")
xyz("xyz-element-garbled.xyz", WATER[:2] + ["O1 0.0 0.0 0.0"] + WATER[3:], 2, "element 'O1' is neither a symbol nor an atomic number")
xyz("xyz-nan.xyz", WATER[:4] + ["H nan 0.9266 0.0000"], 4, "x coordinate 'nan' is not a number")
xyz("xyz-unknown-element.xyz", WATER[:2] + ["Qq 0.0 0.0 0.0"] + WATER[3:], None, "unknown element at atom 1", error="invalidMolecule")


# PDB: three models of methanol; the second is bad.
def hetatm(serial, name, x, y, z, element, record="HETATM"):
    line = f"{record:<6}{serial:5d} {name:<4} UNL     1    {x:8.3f}{y:8.3f}{z:8.3f}  1.00  0.00          {element:>2}"
    assert line[30:38] == f"{x:8.3f}" and line[76:78] == f"{element:>2}", line
    return line


def model(number, atoms):
    return [f"MODEL     {number:4d}"] + atoms + ["ENDMDL"]


PDB_ATOMS = [hetatm(1, "C1", 0.0, 0.0, 0.0, "C"), hetatm(2, "O1", 1.43, 0.0, 0.0, "O")]


def pdb(name, atoms, index, reason):
    write(name, [model(1, PDB_ATOMS), model(2, atoms), model(3, PDB_ATOMS) + ["END"]], 2, index, "malformedRecord", reason)


pdb("pdb-x-letters.pdb", [PDB_ATOMS[0], replace_columns(PDB_ATOMS[1], 30, 38, "  abc.de")], 2,
    "x coordinate 'abc.de' in columns 31–38 is not a number")
pdb("pdb-y-blank.pdb", [replace_columns(PDB_ATOMS[0], 38, 46, " " * 8), PDB_ATOMS[1]], 1, "y coordinate '' in columns 39–46")
pdb("pdb-z-letter-inside.pdb", [PDB_ATOMS[0], replace_columns(PDB_ATOMS[1], 46, 54, " 1.2e3x ")], 2, "z coordinate '1.2e3x'")
pdb("pdb-decimal-comma.pdb", [replace_columns(PDB_ATOMS[0], 30, 38, "   0,000"), PDB_ATOMS[1]], 1, "x coordinate '0,000'")
pdb("pdb-atom-line-short.pdb", [PDB_ATOMS[0], PDB_ATOMS[1][:40]], 2, "HETATM line too short (40 characters")
pdb("pdb-blank-line.pdb", [PDB_ATOMS[0], "", PDB_ATOMS[1]], 2, "blank line inside a PDB record")
pdb("pdb-atom-record-letters.pdb", [hetatm(1, "C1", 0.0, 0.0, 0.0, "C", record="ATOM"),
                                    replace_columns(hetatm(2, "O1", 1.43, 0.0, 0.0, "O", record="ATOM"), 38, 46, "    zero")],
    2, "y coordinate 'zero'")


# MOL2: methanol, the bad record, methanol.
def mol2(atoms=None, bonds=None, count=None, drop=()):
    atoms = ["      1 C1          0.0000    0.0000    0.0000 C.3     1  UNL1        0.0000",
             "      2 O1          1.4300    0.0000    0.0000 O.3     1  UNL1        0.0000"] if atoms is None else atoms
    bonds = ["     1     1     2    1"] if bonds is None else bonds
    lines = ["@<TRIPOS>MOLECULE", "methanol", count or f" {len(atoms)} {len(bonds)} 0 0 0", "SMALL", "GASTEIGER", ""]
    lines += ["@<TRIPOS>ATOM"] + atoms + ["@<TRIPOS>BOND"] + bonds
    skip = set()
    for section in drop:
        start = lines.index(section)
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("@<TRIPOS>")), len(lines))
        skip |= set(range(start, end))
    return [line for i, line in enumerate(lines) if i not in skip]


GOOD2 = mol2()
M2_ATOMS = GOOD2[7:9]


def m2(name, record, index, reason):
    write(name, [GOOD2, record, GOOD2], 2, index, "malformedRecord", reason)


m2("mol2-no-atom-section.mol2", mol2(drop=("@<TRIPOS>ATOM",)), 0, "no @<TRIPOS>ATOM section")
m2("mol2-no-bond-section.mol2", mol2(drop=("@<TRIPOS>BOND",)), 0, "no @<TRIPOS>BOND section")
m2("mol2-atom-count-too-high.mol2", mol2(count=" 3 1 0 0 0"), 8, "the counts line announces 3 atoms, the section has 2")
m2("mol2-atom-count-too-low.mol2", mol2(count=" 1 1 0 0 0"), 8, "more atom lines than the 1 the counts line announces")
m2("mol2-bond-count-too-high.mol2", mol2(count=" 2 2 0 0 0"), 10, "the counts line announces 2 bonds, the section has 1")
m2("mol2-counts-letters.mol2", mol2(count=" two 1 0 0 0"), 2, "atom count 'two' is not a positive whole number")
m2("mol2-x-letter.mol2", mol2(atoms=[M2_ATOMS[0], M2_ATOMS[1].replace("1.4300", "1.4a00")]), 8, "x coordinate '1.4a00' is not a number")
m2("mol2-charge-letter.mol2", mol2(atoms=[M2_ATOMS[0][:-6] + "0.1x00", M2_ATOMS[1]]), 7,
   "partial charge '0.1x00' is not a number")
m2("mol2-atom-ids-out-of-order.mol2", mol2(atoms=[M2_ATOMS[1].replace("      2 O1", "      2 C1"), M2_ATOMS[0].replace("      1 C1", "      1 O1")]),
   7, "atom id '2' where 1 was expected")
m2("mol2-bond-to-missing-atom.mol2", mol2(bonds=["     1     1     5    1"]), 10, "bond to atom 5, but the record has 2 atoms")
m2("mol2-bond-type.mol2", mol2(bonds=["     1     1     2    7"]), 10, "bond type '7' is not one of")
m2("mol2-blank-in-atoms.mol2", mol2(atoms=[M2_ATOMS[0], "", M2_ATOMS[1]], count=" 2 1 0 0 0"), 8, "blank line where atom 2 of 2 was expected")

# SMILES: ethanol, the bad record, benzene.
def smi(name, bad, error, reason):
    write(name, [["CCO ethanol"], [bad], ["c1ccccc1 benzene"]], 2, 0 if error == "limitExceeded" else None, error, reason)


smi("smiles-syntax.smi", "C1CC( broken", "badRecord", "")
smi("smiles-unclosed-ring.smi", "C1CCCC unclosed", "badRecord", "")
smi("smiles-unknown-element.smi", "C[Xx]C unknown", "badRecord", "")
smi("smiles-deep-nesting.smi", "C(" * 100 + "C" + ")" * 100 + " nested", "limitExceeded", "branches nested 100 deep, over the limit of 64")
smi("smiles-open-rings.smi", "C" + "".join(f"C%{i}" for i in range(10, 70)) + "C" + "".join(f"C%{i}" for i in range(10, 70)) + " cage",
    "limitExceeded", "60 ring bonds open at once, over the limit of 50")
smi("smiles-too-long.smi", "[13CH2:123]" * 950 + " long", "limitExceeded", "a SMILES of 10450 characters, over the limit of 10000")
smi("smiles-too-many-atoms.smi", "C" * 1500 + " chain", "limitExceeded", "1500 atoms, over the limit of 1000")
write("smiles-blank-line.smi", [["CCO ethanol"], [""], ["c1ccccc1 benzene"]], 2, None, "badRecord", "")

# Not text, and nothing at all.
garbage = bytes((i * 97 + 13) % 256 for i in range(512))
write("binary.sdf", [[""]], 1, None, "badRecord", "binary data", raw=garbage)
write("empty.xyz", [[""]], 1, None, "emptyInput", "", raw="")
write("blank.pdb", [[""]], 1, None, "emptyInput", "", raw="\n   \n\n")

with open(os.path.join(HERE, "expected.tsv"), "w") as f:
    f.write("file\trecords\trecord\terror\tline\treason\n")
    for row in rows:
        f.write("\t".join(str(value) for value in row) + "\n")
print(f"{len(rows)} files")
