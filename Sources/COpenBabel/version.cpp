#include "copenbabel.h"
#include <openbabel/babelconfig.h>

extern "C" const char *rgdm_ob_version(void) { return BABEL_VERSION; }
