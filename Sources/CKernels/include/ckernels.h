// The element-wise and per-edge passes of the EGNN (Diffusion/Tensor, Diffusion/Layers)
// as plain C, compiled once per x86-64 level and chosen at load time, so one portable
// binary runs them 16-wide on AVX-512 machines, 8-wide on AVX2, and 4-wide (SSE2)
// elsewhere. Other architectures get the plain C build.
//
// Why C: Swift compiles the whole module for one target CPU, and a binary built for
// AVX2 dies with SIGILL on CPUs without it. Clang's `target_clones` (an ifunc per
// function) gives run-time dispatch for the passes that are not matrix products
// (OpenBLAS already dispatches at run time for those).
//
// Conventions:
// - One function per whole pass over a buffer; rows are `width` floats, row-major.
// - Edge lists are sorted by receiver (Diffusion's `EdgeList`): the edges into node i
//   are row_offsets[i] ..< row_offsets[i + 1], edge e comes from senders[e].
// - Buffers that a function writes never alias the ones it reads, except where a
//   parameter is documented as updated in place.
// - Definitions are those of the Swift code they replace: e^x is the Cephes-style range
//   reduction and polynomial (about 2 ulp on [−87, 88], clamped outside),
//   σ(x) = 1/(1 + e^(−x)), SiLU(x) = x·σ(x), tanh(x) = 2/(1 + e^(−2x)) − 1, and so is
//   the order of every sum (dot products: 8 lanes, added in order). Nothing is contracted
//   into a fused multiply-add, so every clone gives the same bits, those of the Swift code.
#ifndef RGDM_CKERNELS_H
#define RGDM_CKERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// MARK: Activations and row operations (`[count]` or `[rows, width]`)

/// e^x elementwise: y `[count]` (for tests and small uses).
void ck_exp(const float *x, float *y, ptrdiff_t count);
/// σ(x) elementwise: y `[count]`.
void ck_sigmoid(const float *x, float *y, ptrdiff_t count);
/// tanh(x) elementwise: y `[count]`.
void ck_tanh(const float *x, float *y, ptrdiff_t count);
/// y = SiLU(x): `[count]`.
void ck_silu(const float *x, float *y, ptrdiff_t count);
/// y = SiLU(x), d = SiLU′(x) = σ(x)(1 + x(1 − σ(x))): `[count]` each.
void ck_silu_and_derivative(const float *x, float *y, float *d, ptrdiff_t count);
/// g ← g · SiLU′(x), in place on g: `[count]`.
void ck_multiply_silu_derivative(const float *x, float *g, ptrdiff_t count);
/// y = SiLU(x), s = σ(x): `[count]` each.
void ck_silu_keeping_sigmoid(const float *x, float *y, float *s, ptrdiff_t count);
/// g ← g · (s + y(1 − s)), SiLU′ from kept y = SiLU(x) and s = σ(x): `[count]`.
void ck_multiply_silu_derivative_kept(const float *y, const float *s, float *g, ptrdiff_t count);
/// g ← g ⊙ d: `[count]`.
void ck_multiply(const float *d, float *g, ptrdiff_t count);
/// v = x[r, :] + b, y = SiLU(v), s = σ(v): x, y, s `[rows, width]`, b `[width]`.
void ck_add_bias_silu_keeping_sigmoid(const float *b, const float *x, float *y, float *s,
                                      ptrdiff_t rows, ptrdiff_t width);
/// x[r, :] += b (in place), then y = SiLU(x): x, y `[rows, width]`, b `[width]`.
void ck_add_bias_silu(const float *b, float *x, float *y, ptrdiff_t rows, ptrdiff_t width);
/// x[r, :] += b (in place): x `[rows, width]`, b `[width]`.
void ck_add_row_vector(const float *b, float *x, ptrdiff_t rows, ptrdiff_t width);
/// s[:] += Σ_r x[r, :]: x `[rows, width]` with row stride `stride`, s `[width]`.
void ck_add_column_sums(const float *x, ptrdiff_t rows, ptrdiff_t width, ptrdiff_t stride, float *s);
/// Σ_k a[k]·b[k] (8 partial sums over blocks of 8, added in order, then the tail).
float ck_dot(const float *a, const float *b, ptrdiff_t count);
/// y += alpha·x: `[count]`.
void ck_axpy(float alpha, const float *x, float *y, ptrdiff_t count);

// MARK: Segments of rows (graphs of a batch: nodes offsets[g] ..< offsets[g + 1])

/// out[g] = Σ_{i∈g} x[i], times 1/N_g when `mean` (an empty segment gives 0):
/// x `[offsets[segments], width]`, out `[segments, width]` (overwritten).
void ck_segment_sums(const float *x, const ptrdiff_t *offsets, ptrdiff_t segments, ptrdiff_t width,
                     int mean, float *out);
/// y[i] += v[g(i)], times 1/N_g when `mean`: v `[segments, width]`, y `[offsets[segments], width]`.
void ck_segment_broadcast_add(const float *v, const ptrdiff_t *offsets, ptrdiff_t segments,
                              ptrdiff_t width, int mean, float *y);

// MARK: Edge passes

/// y[e] = a[i(e)] + b[j(e)] + c·s[e] + d·t[e] + bias: a, b `[nodes, width]`; s, t `[edges]`;
/// c, d, bias `[width]`; y `[edges, width]`.
void ck_gather_pairs(const int32_t *row_offsets, const int32_t *senders, ptrdiff_t nodes,
                     const float *a, const float *b, const float *s, const float *c,
                     const float *t, const float *d, const float *bias, float *y, ptrdiff_t width);

/// ck_gather_pairs followed by SiLU, without storing the gathered rows: with v[e] the
/// gather's row, y[e] = SiLU(v[e]) = v·σ(v) and sigma[e] = σ(v[e]) when sigma is not NULL,
/// else y[e] = v / (1 + e^(−v)) (the forms of ck_silu_keeping_sigmoid and ck_silu).
void ck_gather_pairs_silu(const int32_t *row_offsets, const int32_t *senders, ptrdiff_t nodes,
                          const float *a, const float *b, const float *s, const float *c,
                          const float *t, const float *d, const float *bias, float *y, float *sigma,
                          ptrdiff_t width);

/// Backward of ck_gather_pairs: da[i] = Σ_{e→i} g[e], db[j] = Σ_{e from j} g[e] (both
/// overwritten), dc += Σ s[e] g[e], dd += Σ t[e] g[e], dbias += Σ g[e],
/// ds[e] += ⟨g[e], c⟩, dt[e] += ⟨g[e], d⟩. With silu and sigma not NULL, g[e] is first
/// multiplied by SiLU′ = sigma + silu(1 − sigma) (those of ck_gather_pairs_silu: the
/// backward of both at once; g itself is left alone). silu, sigma `[edges, width]`.
void ck_gather_pairs_backward(const int32_t *row_offsets, const int32_t *senders, ptrdiff_t nodes,
                              const float *g, const float *silu, const float *sigma, ptrdiff_t width,
                              const float *s, const float *c, const float *t, const float *d,
                              float *da, float *db, float *dc, float *dd, float *dbias,
                              float *ds, float *dt);

/// Attention gate and aggregation: gate[e] = σ(⟨m[e], wa⟩ + ba),
/// agg[i] = scale Σ_{e→i} gate[e] m[e] (overwritten). m `[edges, width]`, wa `[width]`,
/// gate `[edges]`, agg `[nodes, width]`.
void ck_gated_sum(const int32_t *row_offsets, ptrdiff_t nodes, const float *m, const float *wa,
                  float ba, float scale, float *gate, float *agg, ptrdiff_t width);

/// Backward of ck_gated_sum followed by SiLU′ of the layer that made m = SiLU(z):
/// with dm = dagg[i(e)], dlogit = scale ⟨dm, m[e]⟩ g(1 − g),
/// dz[e] = (scale g dm + dlogit wa) ⊙ (s[e] + m[e](1 − s[e])), dwa += dlogit m[e];
/// returns Σ_e dlogit (∂L/∂ba). dagg `[nodes, width]`; m, s, dz `[edges, width]`.
float ck_gated_sum_backward(const int32_t *row_offsets, ptrdiff_t nodes, const float *dagg,
                            const float *m, const float *s, const float *gate, const float *wa,
                            float scale, float *dz, float *dwa, ptrdiff_t width);

/// Coordinate update: t[e] = tanh(⟨b[e], w⟩), x_out[i] = x_in[i] + scale Σ_{e→i} u[e] t[e].
/// b `[edges, width]`, w `[width]`, u `[edges, 3]`, t `[edges]`, x_in, x_out `[nodes, 3]`.
void ck_tanh_projected_sum(const int32_t *row_offsets, ptrdiff_t nodes, const float *b, const float *w,
                           const float *u, const float *x_in, float scale, float *t, float *x_out,
                           ptrdiff_t width);

/// Backward of ck_tanh_projected_sum (x_in's share, the identity, is the caller's) followed by
/// SiLU′ of the layer that made b = SiLU(y) (kept σ(y) in s): with gx = scale dx[i(e)],
/// du[e] = gx t[e] (overwritten), φ′ = ⟨gx, u[e]⟩ (1 − t[e]²),
/// dy[e] = φ′ w ⊙ (s[e] + b[e](1 − s[e])) (overwritten), dw += φ′ b[e].
void ck_tanh_projected_sum_backward(const int32_t *row_offsets, ptrdiff_t nodes, const float *dx,
                                    const float *u, const float *t, const float *b, const float *s,
                                    const float *w, float scale, float *du, float *dy, float *dw,
                                    ptrdiff_t width);

/// Edge geometry: r = x[i] − x[j], d2[e] = ‖r‖², u[e] = r / (√(d2 + epsilon) + 1).
/// x `[nodes, 3]`, d2 `[edges]`, u `[edges, 3]`.
void ck_edge_geometry(const int32_t *receivers, const int32_t *senders, ptrdiff_t edges,
                      const float *x, float epsilon, float *d2, float *u);

/// Backward of ck_edge_geometry: dx[i] += ∂L/∂r, dx[j] −= ∂L/∂r with
/// ∂L/∂r = 2 r gd + gu/(σ + 1) − r ⟨gu, r⟩ / ((σ + 1)² σ), σ = √(d2 + epsilon).
void ck_edge_geometry_backward(const int32_t *receivers, const int32_t *senders, ptrdiff_t edges,
                               const float *x, float epsilon, const float *gd, const float *gu,
                               float *dx);

#ifdef __cplusplus
}
#endif

#endif
