#include "CFuzzDriver.h"

// libFuzzer's runtime refers to this symbol even when the program drives it through
// LLVMFuzzerRunDriver; rgdm-fuzz passes its callback there, so this is never called.
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    (void)data;
    (void)size;
    return 0;
}
