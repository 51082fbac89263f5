// Process-wide set-up, error strings and small helpers.
#include "copenbabel.h"
#include "support.hpp"

#include <openbabel/babelconfig.h>
#include <openbabel/obconversion.h>
#include <openbabel/oberror.h>

#include <cstdlib>
#include <cstring>
#include <ostream>
#include <sstream>
#include <streambuf>

// libgomp comes in with libopenbabel; declared weak so the shim links without it.
extern "C" void omp_set_num_threads(int) __attribute__((weak));

namespace {

/// A stream buffer that discards everything.
class NullBuffer : public std::streambuf {
  protected:
    int overflow(int c) override { return c; }
};

thread_local std::string last_error;

}  // namespace

namespace rgdm_ob {

void ensure_initialized() {
    static bool done = false;
    if (done) return;
    done = true;
    // Open Babel's OpenMP loops (MMFF94) run 10–300x slower on a loaded
    // machine; rgdm gets parallelism from worker processes instead.
    setenv("OMP_NUM_THREADS", "1", 1);
    if (omp_set_num_threads) omp_set_num_threads(1);
    static NullBuffer buffer;
    static std::ostream null_stream(&buffer);
    OpenBabel::obErrorLog.SetOutputStream(&null_stream);
    OpenBabel::obErrorLog.SetOutputLevel(OpenBabel::obError);
}

int fail(int status, const std::string &reason) {
    last_error = reason;
    return status;
}

void clear_log() {
    ensure_initialized();
    last_error.clear();
    OpenBabel::obErrorLog.ClearLog();
}

std::string last_logged_error() {
    auto messages = OpenBabel::obErrorLog.GetMessagesOfLevel(OpenBabel::obError);
    if (messages.empty()) return "";
    // A message reads "====…\n*** Open Babel Error  in Method\n  reason\n": keep the reason.
    std::istringstream lines(messages.back());
    std::string line, reason;
    while (std::getline(lines, line)) {
        if (line.rfind("===", 0) == 0 || line.rfind("***", 0) == 0) continue;
        size_t start = line.find_first_not_of(" \t");
        if (start == std::string::npos) continue;
        if (!reason.empty()) reason += " ";
        reason += trim_right(line.substr(start));
    }
    return reason;
}

char *copy_string(const std::string &text) {
    char *copy = static_cast<char *>(std::malloc(text.size() + 1));
    if (copy) std::memcpy(copy, text.c_str(), text.size() + 1);
    return copy;
}

std::string trim_right(std::string text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
    return text;
}

}  // namespace rgdm_ob

extern "C" const char *rgdm_ob_version(void) { return BABEL_VERSION; }

extern "C" const char *rgdm_ob_last_error(void) { return last_error.c_str(); }

extern "C" void rgdm_ob_free(char *string) { std::free(string); }

extern "C" int rgdm_ob_has_format(const char *name, int direction) {
    rgdm_ob::ensure_initialized();
    if (!name) return 0;
    OpenBabel::OBFormat *format = OpenBabel::OBConversion::FindFormat(name);
    if (!format) return 0;
    unsigned int flags = format->Flags();
    if (direction == 0) return (flags & NOTREADABLE) ? 0 : 1;
    return (flags & NOTWRITABLE) ? 0 : 1;
}
