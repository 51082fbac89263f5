// Run-time binding of libmpi (Open MPI ABI): see include/cmpi.h.
#include "cmpi.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

typedef void *Handle;   // MPI_Comm, MPI_Datatype, MPI_Op, MPI_Errhandler: pointers in Open MPI

static struct {
    int loaded;
    int (*init)(int *, char ***);
    int (*comm_rank)(Handle, int *);
    int (*comm_size)(Handle, int *);
    int (*comm_set_errhandler)(Handle, Handle);
    int (*allreduce)(const void *, void *, int, Handle, Handle, Handle);
    int (*bcast)(void *, int, Handle, int, Handle);
    int (*barrier)(Handle);
    int (*finalize)(void);
    int (*abort)(Handle, int);
    int (*error_string)(int, char *, int *);
    Handle world, type_float, type_double, type_byte, op_sum, errors_return;
} mpi;

#define MPI_IN_PLACE_OMPI ((void *)1)

static int bind_symbol(void *library, const char *name, void **slot, char *error, size_t size) {
    *slot = dlsym(library, name);
    if (*slot == NULL) {
        snprintf(error, size, "%s is not in the MPI library (rgdm needs Open MPI's ABI, libmpi.so.40)", name);
        return -1;
    }
    return 0;
}

int cmpi_load(const char *library, char *error, size_t size) {
    if (mpi.loaded) return 0;
    // RTLD_GLOBAL: Open MPI's plugins, loaded by MPI_Init, resolve libmpi's symbols.
    void *handle = NULL;
    if (library != NULL) {
        handle = dlopen(library, RTLD_NOW | RTLD_GLOBAL);
    } else {
        handle = dlopen("libmpi.so.40", RTLD_NOW | RTLD_GLOBAL);
        if (handle == NULL) handle = dlopen("libmpi.so", RTLD_NOW | RTLD_GLOBAL);
    }
    if (handle == NULL) {
        const char *reason = dlerror();
        snprintf(error, size, "cannot load %s: %s", library ? library : "libmpi.so.40", reason ? reason : "unknown reason");
        return -1;
    }
    struct { const char *name; void **slot; } symbols[] = {
        {"MPI_Init", (void **)&mpi.init}, {"MPI_Comm_rank", (void **)&mpi.comm_rank},
        {"MPI_Comm_size", (void **)&mpi.comm_size}, {"MPI_Comm_set_errhandler", (void **)&mpi.comm_set_errhandler},
        {"MPI_Allreduce", (void **)&mpi.allreduce}, {"MPI_Bcast", (void **)&mpi.bcast},
        {"MPI_Barrier", (void **)&mpi.barrier}, {"MPI_Finalize", (void **)&mpi.finalize},
        {"MPI_Abort", (void **)&mpi.abort}, {"MPI_Error_string", (void **)&mpi.error_string},
        {"ompi_mpi_comm_world", &mpi.world}, {"ompi_mpi_float", &mpi.type_float},
        {"ompi_mpi_double", &mpi.type_double}, {"ompi_mpi_byte", &mpi.type_byte},
        {"ompi_mpi_op_sum", &mpi.op_sum}, {"ompi_mpi_errors_return", &mpi.errors_return},
    };
    for (size_t k = 0; k < sizeof symbols / sizeof symbols[0]; k++) {
        if (bind_symbol(handle, symbols[k].name, symbols[k].slot, error, size) != 0) return -1;
    }
    mpi.loaded = 1;
    return 0;
}

int cmpi_init(void) {
    if (!mpi.loaded) return CMPI_NOT_LOADED;
    int code = mpi.init(NULL, NULL);
    if (code != 0) return code;
    return mpi.comm_set_errhandler(mpi.world, mpi.errors_return);
}

int cmpi_rank(int *rank) { return mpi.loaded ? mpi.comm_rank(mpi.world, rank) : CMPI_NOT_LOADED; }
int cmpi_size(int *size) { return mpi.loaded ? mpi.comm_size(mpi.world, size) : CMPI_NOT_LOADED; }

int cmpi_allreduce_sum_float(float *values, int count) {
    if (!mpi.loaded) return CMPI_NOT_LOADED;
    return mpi.allreduce(MPI_IN_PLACE_OMPI, values, count, mpi.type_float, mpi.op_sum, mpi.world);
}

int cmpi_allreduce_sum_double(double *values, int count) {
    if (!mpi.loaded) return CMPI_NOT_LOADED;
    return mpi.allreduce(MPI_IN_PLACE_OMPI, values, count, mpi.type_double, mpi.op_sum, mpi.world);
}

int cmpi_broadcast(void *bytes, int count, int root) {
    return mpi.loaded ? mpi.bcast(bytes, count, mpi.type_byte, root, mpi.world) : CMPI_NOT_LOADED;
}

int cmpi_barrier(void) { return mpi.loaded ? mpi.barrier(mpi.world) : CMPI_NOT_LOADED; }
int cmpi_finalize(void) { return mpi.loaded ? mpi.finalize() : CMPI_NOT_LOADED; }
int cmpi_abort(int code) { return mpi.loaded ? mpi.abort(mpi.world, code) : CMPI_NOT_LOADED; }

void cmpi_error_string(int code, char *buffer, size_t size) {
    if (size == 0) return;
    if (!mpi.loaded || code == CMPI_NOT_LOADED) {
        snprintf(buffer, size, "the MPI library is not loaded");
        return;
    }
    char text[512];   // ≥ Open MPI's MPI_MAX_ERROR_STRING (256)
    int length = 0;
    if (mpi.error_string(code, text, &length) != 0) length = snprintf(text, sizeof text, "MPI error %d", code);
    snprintf(buffer, size, "%.*s", length, text);
}
