// A plain C API over the few MPI calls data-parallel training needs, with libmpi
// loaded at run time (dlopen) rather than linked: the rgdm binary runs on machines
// without MPI, and only a process a launcher started (mpirun, srun) loads it.
//
// The handles (MPI_COMM_WORLD, MPI_FLOAT, MPI_SUM, …) are Open MPI's: addresses of
// the library's predefined objects (ompi_mpi_comm_world, …), looked up with dlsym.
// MPICH's integer handles are a different ABI; it is not supported.
//
// Every call returns an MPI error code (0 = success) or CMPI_NOT_LOADED.
#ifndef CMPI_H
#define CMPI_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum { CMPI_NOT_LOADED = -1 };

/// Loads `library` (NULL: libmpi.so.40, then libmpi.so) and its symbols; 0 on success,
/// else -1 with the reason in `error` (`size` bytes).
int cmpi_load(const char *library, char *error, size_t size);

/// MPI_Init, then errors on MPI_COMM_WORLD returned as codes rather than fatal.
int cmpi_init(void);
int cmpi_rank(int *rank);
int cmpi_size(int *size);

/// In-place sums over all ranks of `count` values.
int cmpi_allreduce_sum_float(float *values, int count);
int cmpi_allreduce_sum_double(double *values, int count);

/// Rank `root`'s `count` bytes into every rank's `bytes`.
int cmpi_broadcast(void *bytes, int count, int root);
int cmpi_barrier(void);
int cmpi_finalize(void);
/// MPI_Abort on MPI_COMM_WORLD: ends every rank of the job with `code`.
int cmpi_abort(int code);

/// MPI's words for an error code, into `buffer` (`size` bytes).
void cmpi_error_string(int code, char *buffer, size_t size);

#ifdef __cplusplus
}
#endif
#endif
