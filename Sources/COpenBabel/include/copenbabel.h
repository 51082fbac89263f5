// A plain C API over Open Babel 3. Swift imports this header; the C++ lives in
// the .cpp files of this target. Open Babel is not thread-safe: the Swift side
// serialises every call (see Chem/OpenBabel/OpenBabelLock.swift).
#ifndef RGDM_COPENBABEL_H
#define RGDM_COPENBABEL_H

#ifdef __cplusplus
extern "C" {
#endif

/// Open Babel's release string, for example "3.1.1". Never NULL.
const char *rgdm_ob_version(void);

#ifdef __cplusplus
}
#endif
#endif
