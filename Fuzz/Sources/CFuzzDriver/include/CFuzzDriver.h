#ifndef RGDM_CFUZZDRIVER_H
#define RGDM_CFUZZDRIVER_H
#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver for programs with their own main (compiler-rt, since LLVM 11): parses the
/// libFuzzer options in argv and runs `callback` on every input.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
#endif
