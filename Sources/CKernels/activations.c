// Activations and row operations: element-wise loops the compiler vectorises in
// each CK_DISPATCH clone.
#include "ckernels.h"
#include "dispatch.h"

CK_DISPATCH void ck_exp(const float *restrict x, float *restrict y, ptrdiff_t count) {
    for (ptrdiff_t k = 0; k < count; k++) y[k] = ck_exp1(x[k]);
}

CK_DISPATCH void ck_sigmoid(const float *restrict x, float *restrict y, ptrdiff_t count) {
    for (ptrdiff_t k = 0; k < count; k++) y[k] = ck_sigmoid1(x[k]);
}

CK_DISPATCH void ck_tanh(const float *restrict x, float *restrict y, ptrdiff_t count) {
    for (ptrdiff_t k = 0; k < count; k++) y[k] = ck_tanh1(x[k]);
}

CK_DISPATCH void ck_silu(const float *restrict x, float *restrict y, ptrdiff_t count) {
    for (ptrdiff_t k = 0; k < count; k++) {
        float v = x[k];
        y[k] = v / (1.0f + ck_exp1(-v));
    }
}

CK_DISPATCH void ck_silu_and_derivative(const float *restrict x, float *restrict y, float *restrict d,
                                        ptrdiff_t count) {
    for (ptrdiff_t k = 0; k < count; k++) {
        float v = x[k];
        float s = 1.0f / (1.0f + ck_exp1(-v));
        y[k] = v * s;
        d[k] = s * (1.0f + v * (1.0f - s));
    }
}

CK_DISPATCH void ck_multiply_silu_derivative(const float *restrict x, float *restrict g, ptrdiff_t count) {
    for (ptrdiff_t k = 0; k < count; k++) {
        float v = x[k];
        float s = 1.0f / (1.0f + ck_exp1(-v));
        g[k] *= s * (1.0f + v * (1.0f - s));
    }
}

CK_DISPATCH void ck_silu_keeping_sigmoid(const float *restrict x, float *restrict y, float *restrict s,
                                         ptrdiff_t count) {
    for (ptrdiff_t k = 0; k < count; k++) {
        float v = x[k];
        float sv = 1.0f / (1.0f + ck_exp1(-v));
        s[k] = sv;
        y[k] = v * sv;
    }
}

CK_DISPATCH void ck_multiply_silu_derivative_kept(const float *restrict y, const float *restrict s,
                                                  float *restrict g, ptrdiff_t count) {
    for (ptrdiff_t k = 0; k < count; k++) {
        float sk = s[k];
        g[k] *= sk + y[k] * (1.0f - sk);
    }
}

CK_DISPATCH void ck_multiply(const float *restrict d, float *restrict g, ptrdiff_t count) {
    for (ptrdiff_t k = 0; k < count; k++) g[k] *= d[k];
}

CK_DISPATCH void ck_add_bias_silu_keeping_sigmoid(const float *restrict b, const float *restrict x,
                                                  float *restrict y, float *restrict s,
                                                  ptrdiff_t rows, ptrdiff_t width) {
    for (ptrdiff_t r = 0; r < rows; r++) {
        const float *restrict xr = x + r * width;
        float *restrict yr = y + r * width, *restrict sr = s + r * width;
        for (ptrdiff_t k = 0; k < width; k++) {
            float v = xr[k] + b[k];
            float sv = 1.0f / (1.0f + ck_exp1(-v));
            sr[k] = sv;
            yr[k] = v * sv;
        }
    }
}

CK_DISPATCH void ck_add_bias_silu(const float *restrict b, float *restrict x, float *restrict y,
                                  ptrdiff_t rows, ptrdiff_t width) {
    for (ptrdiff_t r = 0; r < rows; r++) {
        float *restrict xr = x + r * width, *restrict yr = y + r * width;
        for (ptrdiff_t k = 0; k < width; k++) {
            float v = xr[k] + b[k];
            xr[k] = v;
            yr[k] = v / (1.0f + ck_exp1(-v));
        }
    }
}

CK_DISPATCH void ck_add_row_vector(const float *restrict b, float *restrict x, ptrdiff_t rows, ptrdiff_t width) {
    for (ptrdiff_t r = 0; r < rows; r++) {
        float *restrict xr = x + r * width;
        for (ptrdiff_t k = 0; k < width; k++) xr[k] += b[k];
    }
}

CK_DISPATCH void ck_add_column_sums(const float *restrict x, ptrdiff_t rows, ptrdiff_t width, ptrdiff_t stride,
                                    float *restrict s) {
    for (ptrdiff_t r = 0; r < rows; r++) {
        const float *restrict xr = x + r * stride;
        for (ptrdiff_t k = 0; k < width; k++) s[k] += xr[k];
    }
}

CK_DISPATCH float ck_dot(const float *restrict a, const float *restrict b, ptrdiff_t count) {
    return ck_dot1(a, b, count);
}

CK_DISPATCH void ck_axpy(float alpha, const float *restrict x, float *restrict y, ptrdiff_t count) {
    for (ptrdiff_t k = 0; k < count; k++) y[k] += alpha * x[k];
}

CK_DISPATCH void ck_segment_sums(const float *restrict x, const ptrdiff_t *restrict offsets, ptrdiff_t segments,
                                 ptrdiff_t width, int mean, float *restrict out) {
    for (ptrdiff_t g = 0; g < segments; g++) {
        float *restrict og = out + g * width;
        for (ptrdiff_t k = 0; k < width; k++) og[k] = 0.0f;
        for (ptrdiff_t i = offsets[g]; i < offsets[g + 1]; i++) {
            const float *restrict xi = x + i * width;
            for (ptrdiff_t k = 0; k < width; k++) og[k] += xi[k];
        }
        ptrdiff_t n = offsets[g + 1] - offsets[g];
        if (mean && n > 0) {
            float inverse = 1.0f / (float)n;
            for (ptrdiff_t k = 0; k < width; k++) og[k] *= inverse;
        }
    }
}

CK_DISPATCH void ck_segment_broadcast_add(const float *restrict v, const ptrdiff_t *restrict offsets,
                                          ptrdiff_t segments, ptrdiff_t width, int mean, float *restrict y) {
    for (ptrdiff_t g = 0; g < segments; g++) {
        ptrdiff_t n = offsets[g + 1] - offsets[g];
        if (n <= 0) continue;
        const float *restrict vg = v + g * width;
        if (mean) {
            float share = 1.0f / (float)n;
            for (ptrdiff_t i = offsets[g]; i < offsets[g + 1]; i++) {
                float *restrict yi = y + i * width;
                for (ptrdiff_t k = 0; k < width; k++) yi[k] += share * vg[k];
            }
        } else {
            for (ptrdiff_t i = offsets[g]; i < offsets[g + 1]; i++) {
                float *restrict yi = y + i * width;
                for (ptrdiff_t k = 0; k < width; k++) yi[k] += vg[k];
            }
        }
    }
}
