// Internal helpers shared by the shim's .cpp files (not part of the C API).
#ifndef RGDM_COPENBABEL_SUPPORT_HPP
#define RGDM_COPENBABEL_SUPPORT_HPP

#include <openbabel/forcefield.h>
#include <openbabel/mol.h>
#include <exception>
#include <string>

struct rgdm_ob_mol {
    OpenBabel::OBMol mol;
};

namespace rgdm_ob {

/// Once per process: silence Open Babel's stderr logging (messages are kept
/// and turned into error strings instead) and force one OpenMP thread.
void ensure_initialized();

/// Records the reason for the current failure and returns `status`.
int fail(int status, const std::string &reason);

/// Runs `body` (returning a status), turning a C++ exception Open Babel throws (its PDB reader
/// calls std::stoi on fields it does not check) into `fail(status, …)`: an exception must not
/// cross the C API, where nothing catches it and the process ends in std::terminate.
template <typename Body> int guarded(int status, Body body) {
    try {
        return body();
    } catch (const std::exception &error) {
        return fail(status, std::string("Open Babel threw an exception (") + error.what() + ")");
    } catch (...) {
        return fail(status, "Open Babel threw an exception");
    }
}

/// `guarded` for calls that return a string (nullptr on failure).
template <typename Body> char *guarded_string(int status, Body body) {
    char *result = nullptr;
    int code = guarded(status, [&] {
        result = body();
        return 0;
    });
    return code == 0 ? result : nullptr;
}

/// Clears Open Babel's message log before an operation.
void clear_log();

/// The last error Open Babel logged since clear_log(), cleaned of its banner, or "".
std::string last_logged_error();

/// A malloc'd copy of `text` (freed by rgdm_ob_free).
char *copy_string(const std::string &text);

/// The process's one instance of RGDM_OB_MMFF94 or RGDM_OB_UFF (nullptr for
/// another code); defined in chemistry.cpp.
OpenBabel::OBForceField *force_field(int which);

/// `text` without trailing whitespace.
std::string trim_right(std::string text);

}  // namespace rgdm_ob
#endif
