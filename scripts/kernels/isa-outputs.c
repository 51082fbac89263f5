// Runs every CKernels pass on fixed pseudo-random inputs (odd sizes, |x| up to 100, a
// node without edges) and writes all outputs to stdout as raw floats. check-isas.sh
// builds it once per x86-64 level and checks that the outputs are the same bits.
#include <stdio.h>
#include <stdlib.h>
#include "ckernels.h"

static unsigned long long state = 88172645463325252ull;

/// count values uniform in ±spread (xorshift64).
static float *values(ptrdiff_t count, float spread) {
    float *a = malloc(sizeof(float) * (size_t)(count > 0 ? count : 1));
    for (ptrdiff_t k = 0; k < count; k++) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        a[k] = ((float)(state >> 40) / (float)(1 << 24) * 2.0f - 1.0f) * spread;
    }
    return a;
}

static void put(const float *a, ptrdiff_t count) { fwrite(a, sizeof(float), (size_t)count, stdout); }

int main(void) {
    const ptrdiff_t sizes[] = {1, 7, 63, 64, 65, 1000};
    for (int q = 0; q < 6; q++) {
        ptrdiff_t n = sizes[q];
        float *x = values(n, 100), *y = values(n, 1), *d = values(n, 1), *s = values(n, 1);
        ck_exp(x, y, n); put(y, n);
        ck_sigmoid(x, y, n); put(y, n);
        ck_tanh(x, y, n); put(y, n);
        ck_silu(x, y, n); put(y, n);
        ck_silu_and_derivative(x, y, d, n); put(y, n); put(d, n);
        ck_multiply_silu_derivative(x, d, n); put(d, n);
        ck_silu_keeping_sigmoid(x, y, s, n); put(y, n); put(s, n);
        ck_multiply_silu_derivative_kept(y, s, d, n); put(d, n);
        ck_add_bias_silu_keeping_sigmoid(x, x, y, s, 1, n); put(y, n); put(s, n);
        float *a = values(n, 1), *b = values(n, 1);
        float dot = ck_dot(a, b, n); put(&dot, 1);
        ck_axpy(0.37f, a, b, n); put(b, n);
        ck_add_bias_silu(a, x, y, 1, n); put(x, n); put(y, n);
    }

    // Graphs {0}, {1…4}, {5…11}, fully connected: node 0 has no edges.
    enum { nodes = 12 };
    int graph[nodes] = {0, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2};
    int32_t rows[nodes + 1], senders[nodes * nodes], receivers[nodes * nodes];
    ptrdiff_t e = 0, offsets[] = {0, 1, 5, 12};
    rows[0] = 0;
    for (int i = 0; i < nodes; i++) {
        for (int j = 0; j < nodes; j++) {
            if (j != i && graph[j] == graph[i]) { senders[e] = j; receivers[e] = i; e++; }
        }
        rows[i + 1] = (int32_t)e;
    }
    const ptrdiff_t widths[] = {1, 7, 64, 65};
    for (int q = 0; q < 4; q++) {
        ptrdiff_t w = widths[q];
        float *m = values(e * w, 4), *sg = values(e * w, 1), *wa = values(w, 1);
        float *gate = values(e, 1), *agg = values(nodes * w, 1), *dz = values(e * w, 1), *dwa = values(w, 1);
        ck_gated_sum(rows, nodes, m, wa, 0.3f, 0.25f, gate, agg, w); put(gate, e); put(agg, nodes * w);
        float dba = ck_gated_sum_backward(rows, nodes, agg, m, sg, gate, wa, 0.25f, dz, dwa, w);
        put(dz, e * w); put(dwa, w); put(&dba, 1);

        float *pa = values(nodes * w, 1), *pb = values(nodes * w, 1), *ps = values(e, 1), *pt = values(e, 1);
        float *c = values(w, 1), *d = values(w, 1), *bias = values(w, 1), *y = values(e * w, 1);
        ck_gather_pairs(rows, senders, nodes, pa, pb, ps, c, pt, d, bias, y, w); put(y, e * w);
        float *da = values(nodes * w, 1), *db = values(nodes * w, 1), *dc = values(w, 1), *dd = values(w, 1);
        float *dbias = values(w, 1), *ds = values(e, 1), *dt = values(e, 1);
        ck_gather_pairs_backward(rows, senders, nodes, y, NULL, NULL, w, ps, c, pt, d, da, db, dc, dd, dbias, ds, dt);
        put(da, nodes * w); put(db, nodes * w); put(dc, w); put(dd, w); put(dbias, w); put(ds, e); put(dt, e);
        float *silu = values(e * w, 1), *sigma = values(e * w, 1);
        ck_gather_pairs_silu(rows, senders, nodes, pa, pb, ps, c, pt, d, bias, silu, sigma, w); put(silu, e * w); put(sigma, e * w);
        ck_gather_pairs_backward(rows, senders, nodes, y, silu, sigma, w, ps, c, pt, d, da, db, dc, dd, dbias, ds, dt);
        put(da, nodes * w); put(db, nodes * w); put(dc, w); put(dd, w); put(dbias, w); put(ds, e); put(dt, e);
        ck_gather_pairs_silu(rows, senders, nodes, pa, pb, ps, c, pt, d, bias, silu, NULL, w); put(silu, e * w);

        float *x = values(nodes * 3, 2), *d2 = values(e, 1), *u = values(3 * e, 1);
        float *t = values(e, 1), *xo = values(nodes * 3, 1), *gx = values(nodes * 3, 1);
        ck_edge_geometry(receivers, senders, e, x, 1e-8f, d2, u); put(d2, e); put(u, 3 * e);
        ck_edge_geometry_backward(receivers, senders, e, x, 1e-8f, d2, u, gx); put(gx, nodes * 3);
        ck_tanh_projected_sum(rows, nodes, m, wa, u, x, 0.75f, t, xo, w); put(t, e); put(xo, nodes * 3);
        float *du = values(3 * e, 1), *dy = values(e * w, 1), *dw = values(w, 1);
        ck_tanh_projected_sum_backward(rows, nodes, xo, u, t, m, sg, wa, 0.75f, du, dy, dw, w);
        put(du, 3 * e); put(dy, e * w); put(dw, w);

        float *sums = values(3 * w, 1);
        ck_segment_sums(pa, offsets, 3, w, 1, sums); put(sums, 3 * w);
        ck_segment_broadcast_add(sums, offsets, 3, w, 1, pb); put(pb, nodes * w);
        ck_add_column_sums(pa, nodes, w, w, sums); put(sums, w);
        ck_add_row_vector(bias, pa, nodes, w); put(pa, nodes * w);
        ck_multiply(pa, pb, nodes * w); put(pb, nodes * w);
    }
    return 0;
}
