// Passes over an edge list sorted by receiver: gathers into edge rows, segment sums
// into receivers, scatter-adds into senders, and the per-edge gates and geometry.
// The inner loops run across a row (`width` floats) and vectorise in each clone.
#include <stdlib.h>

#include "ckernels.h"
#include "dispatch.h"

CK_DISPATCH void ck_gather_pairs(const int32_t *restrict row_offsets, const int32_t *restrict senders,
                                 ptrdiff_t nodes, const float *restrict a, const float *restrict b,
                                 const float *restrict s, const float *restrict c, const float *restrict t,
                                 const float *restrict d, const float *restrict bias, float *restrict y,
                                 ptrdiff_t width) {
    for (ptrdiff_t i = 0; i < nodes; i++) {
        const float *restrict ai = a + i * width;
        for (ptrdiff_t e = row_offsets[i]; e < row_offsets[i + 1]; e++) {
            const float *restrict bj = b + (ptrdiff_t)senders[e] * width;
            float *restrict ye = y + e * width;
            float se = s[e], te = t[e];
            for (ptrdiff_t k = 0; k < width; k++) ye[k] = ai[k] + bj[k] + se * c[k] + te * d[k] + bias[k];
        }
    }
}

CK_DISPATCH void ck_gather_pairs_silu(const int32_t *restrict row_offsets, const int32_t *restrict senders,
                                      ptrdiff_t nodes, const float *restrict a, const float *restrict b,
                                      const float *restrict s, const float *restrict c, const float *restrict t,
                                      const float *restrict d, const float *restrict bias, float *restrict y,
                                      float *restrict sigma, ptrdiff_t width) {
    for (ptrdiff_t i = 0; i < nodes; i++) {
        const float *restrict ai = a + i * width;
        for (ptrdiff_t e = row_offsets[i]; e < row_offsets[i + 1]; e++) {
            const float *restrict bj = b + (ptrdiff_t)senders[e] * width;
            float *restrict ye = y + e * width;
            float se = s[e], te = t[e];
            if (sigma) {
                float *restrict sge = sigma + e * width;
                for (ptrdiff_t k = 0; k < width; k++) {
                    float v = ai[k] + bj[k] + se * c[k] + te * d[k] + bias[k];
                    float sv = 1.0f / (1.0f + ck_exp1(-v));
                    sge[k] = sv;
                    ye[k] = v * sv;
                }
            } else {
                for (ptrdiff_t k = 0; k < width; k++) {
                    float v = ai[k] + bj[k] + se * c[k] + te * d[k] + bias[k];
                    ye[k] = v / (1.0f + ck_exp1(-v));
                }
            }
        }
    }
}

CK_DISPATCH void ck_gather_pairs_backward(const int32_t *restrict row_offsets, const int32_t *restrict senders,
                                          ptrdiff_t nodes, const float *restrict g, const float *restrict silu,
                                          const float *restrict sigma, ptrdiff_t width,
                                          const float *restrict s, const float *restrict c,
                                          const float *restrict t, const float *restrict d,
                                          float *restrict da, float *restrict db, float *restrict dc,
                                          float *restrict dd, float *restrict dbias,
                                          float *restrict ds, float *restrict dt) {
    for (ptrdiff_t k = 0; k < nodes * width; k++) {
        da[k] = 0.0f;
        db[k] = 0.0f;
    }
    // One row of g · SiLU′ when asked for: on the stack up to 4096 floats (no
    // allocation per call in the training loop), else on the heap (out of memory
    // for it is fatal, as in Swift).
    enum { stack_row = 4096 };
    float stack_scaled[stack_row];
    float *scaled = NULL, *heap = NULL;
    if (silu && sigma && width > 0) {
        if (width <= stack_row) {
            scaled = stack_scaled;
        } else {
            scaled = heap = malloc(sizeof(float) * (size_t)width);
            if (!heap) abort();
        }
    }
    for (ptrdiff_t i = 0; i < nodes; i++) {
        float *restrict dai = da + i * width;
        for (ptrdiff_t e = row_offsets[i]; e < row_offsets[i + 1]; e++) {
            const float *ge = g + e * width;
            if (scaled) {
                // g ← g · SiLU′ for this row only (it stays in L1 for the sums below).
                const float *restrict ye = silu + e * width, *restrict sge = sigma + e * width;
                for (ptrdiff_t k = 0; k < width; k++) scaled[k] = ge[k] * (sge[k] + ye[k] * (1.0f - sge[k]));
                ge = scaled;
            }
            float *restrict dbj = db + (ptrdiff_t)senders[e] * width;
            float se = s[e], te = t[e];
            for (ptrdiff_t k = 0; k < width; k++) {
                float v = ge[k];
                dai[k] += v;
                dbj[k] += v;
                dc[k] += se * v;
                dd[k] += te * v;
            }
            ds[e] += ck_dot1(ge, c, width);
            dt[e] += ck_dot1(ge, d, width);
        }
        for (ptrdiff_t k = 0; k < width; k++) dbias[k] += dai[k];
    }
    free(heap);
}

CK_DISPATCH void ck_gated_sum(const int32_t *restrict row_offsets, ptrdiff_t nodes, const float *restrict m,
                              const float *restrict wa, float ba, float scale, float *restrict gate,
                              float *restrict agg, ptrdiff_t width) {
    for (ptrdiff_t i = 0; i < nodes; i++) {
        float *restrict ai = agg + i * width;
        for (ptrdiff_t k = 0; k < width; k++) ai[k] = 0.0f;
        for (ptrdiff_t e = row_offsets[i]; e < row_offsets[i + 1]; e++) {
            const float *restrict me = m + e * width;
            float ge = ck_sigmoid1(ck_dot1(me, wa, width) + ba);
            gate[e] = ge;
            float alpha = ge * scale;
            for (ptrdiff_t k = 0; k < width; k++) ai[k] += alpha * me[k];
        }
    }
}

CK_DISPATCH float ck_gated_sum_backward(const int32_t *restrict row_offsets, ptrdiff_t nodes,
                                        const float *restrict dagg, const float *restrict m,
                                        const float *restrict s, const float *restrict gate,
                                        const float *restrict wa, float scale, float *restrict dz,
                                        float *restrict dwa, ptrdiff_t width) {
    float dba = 0.0f;
    for (ptrdiff_t i = 0; i < nodes; i++) {
        const float *restrict dm = dagg + i * width;   // ∂L/∂m_e = dagg_i / Z for every edge into i
        for (ptrdiff_t e = row_offsets[i]; e < row_offsets[i + 1]; e++) {
            const float *restrict me = m + e * width, *restrict se = s + e * width;
            float *restrict de = dz + e * width;
            float g = gate[e];
            float dlogit = ck_dot1(dm, me, width) * scale * g * (1.0f - g);
            dba += dlogit;
            float dm_scale = scale * g;
            for (ptrdiff_t k = 0; k < width; k++) {
                de[k] = (dm[k] * dm_scale + dlogit * wa[k]) * (se[k] + me[k] * (1.0f - se[k]));
                dwa[k] += dlogit * me[k];
            }
        }
    }
    return dba;
}

CK_DISPATCH void ck_tanh_projected_sum(const int32_t *restrict row_offsets, ptrdiff_t nodes,
                                       const float *restrict b, const float *restrict w,
                                       const float *restrict u, const float *restrict x_in, float scale,
                                       float *restrict t, float *restrict x_out, ptrdiff_t width) {
    for (ptrdiff_t i = 0; i < nodes; i++) {
        float sx = 0.0f, sy = 0.0f, sz = 0.0f;
        for (ptrdiff_t e = row_offsets[i]; e < row_offsets[i + 1]; e++) {
            float te = ck_tanh1(ck_dot1(b + e * width, w, width));
            t[e] = te;
            sx += u[3 * e] * te;
            sy += u[3 * e + 1] * te;
            sz += u[3 * e + 2] * te;
        }
        x_out[3 * i] = x_in[3 * i] + scale * sx;
        x_out[3 * i + 1] = x_in[3 * i + 1] + scale * sy;
        x_out[3 * i + 2] = x_in[3 * i + 2] + scale * sz;
    }
}

CK_DISPATCH void ck_tanh_projected_sum_backward(const int32_t *restrict row_offsets, ptrdiff_t nodes,
                                                const float *restrict dx, const float *restrict u,
                                                const float *restrict t, const float *restrict b,
                                                const float *restrict s, const float *restrict w, float scale,
                                                float *restrict du, float *restrict dy, float *restrict dw,
                                                ptrdiff_t width) {
    for (ptrdiff_t i = 0; i < nodes; i++) {
        float gx = scale * dx[3 * i], gy = scale * dx[3 * i + 1], gz = scale * dx[3 * i + 2];
        for (ptrdiff_t e = row_offsets[i]; e < row_offsets[i + 1]; e++) {
            float te = t[e];
            float dt = gx * u[3 * e] + gy * u[3 * e + 1] + gz * u[3 * e + 2];
            float dphi = dt * (1.0f - te * te);
            du[3 * e] = gx * te;
            du[3 * e + 1] = gy * te;
            du[3 * e + 2] = gz * te;
            const float *restrict be = b + e * width, *restrict se = s + e * width;
            float *restrict de = dy + e * width;
            for (ptrdiff_t k = 0; k < width; k++) {
                de[k] = dphi * w[k] * (se[k] + be[k] * (1.0f - se[k]));
                dw[k] += dphi * be[k];
            }
        }
    }
}

CK_DISPATCH void ck_edge_geometry(const int32_t *restrict receivers, const int32_t *restrict senders,
                                  ptrdiff_t edges, const float *restrict x, float epsilon,
                                  float *restrict d2, float *restrict u) {
    for (ptrdiff_t e = 0; e < edges; e++) {
        ptrdiff_t i = (ptrdiff_t)receivers[e] * 3, j = (ptrdiff_t)senders[e] * 3;
        float rx = x[i] - x[j], ry = x[i + 1] - x[j + 1], rz = x[i + 2] - x[j + 2];
        float sq = rx * rx + ry * ry + rz * rz;
        float scale = 1.0f / (__builtin_sqrtf(sq + epsilon) + 1.0f);
        d2[e] = sq;
        u[3 * e] = rx * scale;
        u[3 * e + 1] = ry * scale;
        u[3 * e + 2] = rz * scale;
    }
}

CK_DISPATCH void ck_edge_geometry_backward(const int32_t *restrict receivers, const int32_t *restrict senders,
                                           ptrdiff_t edges, const float *restrict x, float epsilon,
                                           const float *restrict gd, const float *restrict gu,
                                           float *restrict dx) {
    for (ptrdiff_t e = 0; e < edges; e++) {
        ptrdiff_t i = (ptrdiff_t)receivers[e] * 3, j = (ptrdiff_t)senders[e] * 3;
        float rx = x[i] - x[j], ry = x[i + 1] - x[j + 1], rz = x[i + 2] - x[j + 2];
        float sigma = __builtin_sqrtf(rx * rx + ry * ry + rz * rz + epsilon);
        float inv = 1.0f / (sigma + 1.0f);
        float gx = gu[3 * e], gy = gu[3 * e + 1], gz = gu[3 * e + 2];
        float radial = 2.0f * gd[e] - (gx * rx + gy * ry + gz * rz) * inv * inv / sigma;
        float dxr = rx * radial + gx * inv, dyr = ry * radial + gy * inv, dzr = rz * radial + gz * inv;
        dx[i] += dxr;
        dx[i + 1] += dyr;
        dx[i + 2] += dzr;
        dx[j] -= dxr;
        dx[j + 1] -= dyr;
        dx[j + 2] -= dzr;
    }
}
