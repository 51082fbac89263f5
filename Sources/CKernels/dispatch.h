// Shared by the CKernels sources: the dispatch attribute and the inline maths.
#ifndef RGDM_CKERNELS_DISPATCH_H
#define RGDM_CKERNELS_DISPATCH_H

#include <stdint.h>
#include <string.h>

// CK_DISPATCH compiles a function three times (AVX-512, AVX2 + FMA, SSE2) and lets the
// loader pick one per CPU through an ifunc. Needs x86-64, ELF (ifunc) and a compiler
// that knows the x86-64 levels (clang ≥ 14, GCC ≥ 12); elsewhere it is the plain build.
// Defining CK_NO_DISPATCH also gives the plain build (to compile one level with -march).
#if !defined(CK_NO_DISPATCH) && defined(__x86_64__) && defined(__ELF__) && \
    ((defined(__clang__) && __clang_major__ >= 14) || (!defined(__clang__) && defined(__GNUC__) && __GNUC__ >= 12))
#define CK_DISPATCH __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#define CK_HAS_DISPATCH 1
#else
#define CK_DISPATCH
#define CK_HAS_DISPATCH 0
#endif

#define CK_INLINE static inline __attribute__((always_inline))

// No contraction of a·b + c into one fused multiply-add: every clone then rounds as the
// SSE2 one and as the Swift kernels these replace, so results are the same bits on every
// x86-64 CPU (FMA would change the last bit of some results by CPU).
#pragma STDC FP_CONTRACT OFF

/// e^x to about 2 ulp for x in [−87, 88]; clamps outside (Cephes expf's reduction and polynomial).
CK_INLINE float ck_exp1(float x) {
    x = x < -87.0f ? -87.0f : x;
    x = x > 88.0f ? 88.0f : x;
    // n = round(x / ln 2) by the 1.5·2^23 trick (no rounding instruction needed).
    const float shifter = 12582912.0f;
    float n = (x * 1.44269504f + shifter) - shifter;
    // r = x − n·ln 2 in two parts for accuracy; |r| ≤ ln2 / 2.
    float r = (x - n * 0.693359375f) + n * 2.1219444e-4f;
    float p = 1.9875691e-4f;
    p = p * r + 1.3981999e-3f;
    p = p * r + 8.333452e-3f;
    p = p * r + 4.1665796e-2f;
    p = p * r + 1.6666665e-1f;
    p = p * r + 0.5f;
    p = p * r * r + r + 1.0f;
    uint32_t bits = (uint32_t)((int32_t)n + 127) << 23;
    float scale;
    memcpy(&scale, &bits, sizeof scale);
    return p * scale;
}

/// σ(x) = 1 / (1 + e^(−x)).
CK_INLINE float ck_sigmoid1(float x) { return 1.0f / (1.0f + ck_exp1(-x)); }

/// tanh(x) = 2σ(2x) − 1.
CK_INLINE float ck_tanh1(float x) { return 2.0f / (1.0f + ck_exp1(-2.0f * x)) - 1.0f; }

/// 8 floats as one value (GCC/clang vector extension): one AVX2 register, two SSE2 or
/// NEON registers.
typedef float ck_f32x8 __attribute__((vector_size(32)));

/// Σ_k a[k]·b[k] exactly as the Swift kernel it replaced summed (and so the same on
/// every CPU): 8 lanes over the blocks of 8, the lanes added in order from −0, then
/// the tail in order.
CK_INLINE float ck_dot1(const float *restrict a, const float *restrict b, ptrdiff_t count) {
    ck_f32x8 acc = {0};
    ptrdiff_t k = 0;
    for (; k + 8 <= count; k += 8) {
        ck_f32x8 va, vb;
        memcpy(&va, a + k, sizeof va);
        memcpy(&vb, b + k, sizeof vb);
        acc += va * vb;
    }
    float s = -0.0f;
    for (int l = 0; l < 8; l++) s += acc[l];
    for (; k < count; k++) s += a[k] * b[k];
    return s;
}

#endif
