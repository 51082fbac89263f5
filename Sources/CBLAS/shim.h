// OpenBLAS's CBLAS interface (Debian: libopenblas-dev, pthread build).
#ifndef RGDM_CBLAS_SHIM_H
#define RGDM_CBLAS_SHIM_H
#include <cblas.h>
#endif
