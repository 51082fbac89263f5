// HDF5's type and flag constants are macros that expand to function calls or
// globals Swift cannot import; these inline functions expose them.
#ifndef RGDM_CHDF5_SHIM_H
#define RGDM_CHDF5_SHIM_H
#include <hdf5/serial/hdf5.h>
#include <fcntl.h>

static inline hid_t rgdm_H5T_NATIVE_FLOAT(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t rgdm_H5T_NATIVE_DOUBLE(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t rgdm_H5T_NATIVE_INT8(void) { return H5T_NATIVE_INT8; }
static inline hid_t rgdm_H5T_NATIVE_UINT8(void) { return H5T_NATIVE_UINT8; }
static inline hid_t rgdm_H5T_NATIVE_INT16(void) { return H5T_NATIVE_INT16; }
static inline hid_t rgdm_H5T_NATIVE_INT32(void) { return H5T_NATIVE_INT32; }
static inline hid_t rgdm_H5T_NATIVE_UINT32(void) { return H5T_NATIVE_UINT32; }
static inline hid_t rgdm_H5T_NATIVE_INT64(void) { return H5T_NATIVE_INT64; }
static inline hid_t rgdm_H5T_C_S1(void) { return H5T_C_S1; }
static inline hid_t rgdm_H5P_DEFAULT(void) { return H5P_DEFAULT; }
static inline hid_t rgdm_H5P_DATASET_CREATE(void) { return H5P_DATASET_CREATE; }
static inline hid_t rgdm_H5T_NATIVE_UINT16(void) { return H5T_NATIVE_UINT16; }
static inline hid_t rgdm_H5T_NATIVE_UINT64(void) { return H5T_NATIVE_UINT64; }
static inline hid_t rgdm_H5T_IEEE_F32LE(void) { return H5T_IEEE_F32LE; }
static inline hid_t rgdm_H5T_IEEE_F32BE(void) { return H5T_IEEE_F32BE; }
static inline hid_t rgdm_H5T_IEEE_F64LE(void) { return H5T_IEEE_F64LE; }
static inline hid_t rgdm_H5T_IEEE_F64BE(void) { return H5T_IEEE_F64BE; }
static inline size_t rgdm_H5T_VARIABLE(void) { return H5T_VARIABLE; }
static inline hid_t rgdm_H5P_FILE_ACCESS(void) { return H5P_FILE_ACCESS; }
static inline hid_t rgdm_H5P_LINK_CREATE(void) { return H5P_LINK_CREATE; }
static inline hid_t rgdm_H5S_ALL(void) { return H5S_ALL; }
static inline unsigned rgdm_H5F_ACC_RDONLY(void) { return H5F_ACC_RDONLY; }
static inline unsigned rgdm_H5F_ACC_RDWR(void) { return H5F_ACC_RDWR; }
static inline unsigned rgdm_H5F_ACC_TRUNC(void) { return H5F_ACC_TRUNC; }
static inline unsigned rgdm_H5F_ACC_EXCL(void) { return H5F_ACC_EXCL; }

/// Silences HDF5's automatic error printing to stderr; errors are reported as thrown Swift errors.
static inline void rgdm_H5_silence_errors(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }

/// Marks the descriptor under an open file close-on-exec, so child processes (rgdm's workers,
/// external programs) do not inherit it, nor the `flock` HDF5 holds on it. Only the default sec2
/// driver keeps a plain descriptor; for other drivers nothing is done. Returns 0, or -1 on failure.
static inline int rgdm_H5F_close_on_exec(hid_t file) {
    hid_t fapl = H5Fget_access_plist(file);
    if (fapl < 0) return -1;
    int sec2 = H5Pget_driver(fapl) == H5FD_SEC2;
    H5Pclose(fapl);
    if (!sec2) return 0;
    void *handle = NULL;
    if (H5Fget_vfd_handle(file, H5P_DEFAULT, &handle) < 0 || handle == NULL) return -1;
    int fd = *(int *)handle;
    int flags = fcntl(fd, F_GETFD);
    return flags < 0 ? -1 : fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
}
#endif
