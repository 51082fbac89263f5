// Random metric-matrix embedding and error minimisation (see distgeom.hpp).
#include "copenbabel.h"
#include "distgeom.hpp"
#include "support.hpp"

#include <openbabel/atom.h>
#include <openbabel/math/vector3.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

using namespace OpenBabel;

namespace rgdm_ob::dg {

// Distance terms (Havel's error function, as in RDKit's embedder): above the
// upper bound u, (d²/u² − 1)²; below the lower bound l, (2l²/(l² + d²) − 1)².
// Volume terms: (V − bound)² outside [lower, upper]. Coordinates x: [atoms × 4].
double embedding_error(const Problem &problem, const double *x, double fourth_weight, double *gradient) {
    const Bounds &b = problem.bounds;
    int n = b.atoms;
    double error = 0;
    for (int i = 0; i < n; ++i) {
        const double *xi = x + 4 * i;
        for (int j = i + 1; j < n; ++j) {
            const double *xj = x + 4 * j;
            double d[4] = {xi[0] - xj[0], xi[1] - xj[1], xi[2] - xj[2], xi[3] - xj[3]};
            double d2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2] + d[3] * d[3];
            double u = b.up(i, j), l = b.lo(i, j);
            double scale;  // dE/dx_i = scale · (x_i − x_j)
            if (d2 > u * u) {
                double v = d2 / (u * u) - 1;
                error += v * v;
                scale = 4 * v / (u * u);
            } else if (d2 < l * l) {
                double s = l * l + d2, v = 2 * l * l / s - 1;
                error += v * v;
                scale = -8 * v * l * l / (s * s);
            } else {
                continue;
            }
            if (!gradient) continue;
            for (int k = 0; k < 4; ++k) {
                gradient[4 * i + k] += scale * d[k];
                gradient[4 * j + k] -= scale * d[k];
            }
        }
    }
    for (const VolumeConstraint &c : problem.volumes) {
        const double *p = x + 4 * c.centre;
        vector3 centre(p[0], p[1], p[2]);
        auto at = [&](int atom) { const double *q = x + 4 * atom; return vector3(q[0], q[1], q[2]) - centre; };
        vector3 a = at(c.a), bb = at(c.b), dd = at(c.d);
        double volume = dot(a, cross(bb, dd));
        double excess = volume < c.lower ? volume - c.lower : volume > c.upper ? volume - c.upper : 0;
        if (excess == 0) continue;
        error += excess * excess;
        if (!gradient) continue;
        // dV/da = b × d, dV/db = d × a, dV/dd = a × b, dV/dcentre = −(their sum).
        vector3 ga = cross(bb, dd), gb = cross(dd, a), gd = cross(a, bb), gc = -(ga + gb + gd);
        auto add = [&](int atom, const vector3 &g) {
            for (int k = 0; k < 3; ++k) gradient[4 * atom + k] += 2 * excess * g[k];
        };
        add(c.a, ga);
        add(c.b, gb);
        add(c.d, gd);
        add(c.centre, gc);
    }
    if (fourth_weight > 0) {
        for (int i = 0; i < n; ++i) {
            error += fourth_weight * x[4 * i + 3] * x[4 * i + 3];
            if (gradient) gradient[4 * i + 3] += 2 * fourth_weight * x[4 * i + 3];
        }
    }
    return error;
}

namespace {

/// Eigen-decomposition of the symmetric matrix `a` ([n × n], destroyed) by
/// cyclic Jacobi rotations (Golub & Van Loan, Matrix Computations, §8.5).
/// Eigenvalues into `values`, eigenvectors into the columns of `vectors`.
void jacobi_eigen(std::vector<double> &a, int n, std::vector<double> &values, std::vector<double> &vectors) {
    vectors.assign(static_cast<size_t>(n) * n, 0);
    for (int i = 0; i < n; ++i) vectors[static_cast<size_t>(i) * n + i] = 1;
    auto A = [&](int i, int j) -> double & { return a[static_cast<size_t>(i) * n + j]; };
    for (int sweep = 0; sweep < 50; ++sweep) {
        double off = 0, total = 0;
        for (int i = 0; i < n; ++i) {
            for (int j = 0; j < n; ++j) (i == j ? total : off) += A(i, j) * A(i, j);
        }
        if (off <= 1e-18 * (total + off)) break;
        for (int p = 0; p < n; ++p) {
            for (int q = p + 1; q < n; ++q) {
                double apq = A(p, q);
                if (std::fabs(apq) < 1e-300) continue;
                double theta = (A(q, q) - A(p, p)) / (2 * apq);
                double t = (theta >= 0 ? 1 : -1) / (std::fabs(theta) + std::sqrt(theta * theta + 1));
                double c = 1 / std::sqrt(t * t + 1), s = t * c;
                for (int k = 0; k < n; ++k) {  // columns p and q
                    double akp = A(k, p), akq = A(k, q);
                    A(k, p) = c * akp - s * akq;
                    A(k, q) = s * akp + c * akq;
                }
                for (int k = 0; k < n; ++k) {  // rows p and q
                    double apk = A(p, k), aqk = A(q, k);
                    A(p, k) = c * apk - s * aqk;
                    A(q, k) = s * apk + c * aqk;
                }
                for (int k = 0; k < n; ++k) {
                    double &vkp = vectors[static_cast<size_t>(k) * n + p], &vkq = vectors[static_cast<size_t>(k) * n + q];
                    double v1 = vkp, v2 = vkq;
                    vkp = c * v1 - s * v2;
                    vkq = s * v1 + c * v2;
                }
            }
        }
    }
    values.resize(n);
    for (int i = 0; i < n; ++i) values[i] = A(i, i);
}

/// Beyond this many atoms, Jacobi's O(n³) sweeps cost more than starting
/// from random coordinates saves.
constexpr int max_metric_atoms = 160;

/// 4D coordinates from random distances within the bounds: the metric
/// matrix G_ij = (d_i0² + d_j0² − d_ij²)/2 about the centroid, scaled by the
/// square roots of its four largest eigenvalues (Crippen & Havel 1988, ch. 6).
std::vector<double> random_coordinates(const Bounds &b, Random &random) {
    int n = b.atoms;
    std::vector<double> x(static_cast<size_t>(4) * n);
    if (n > max_metric_atoms) {
        double side = 2.0 * std::cbrt(static_cast<double>(n));
        for (double &v : x) v = side * (random.uniform() - 0.5);
        return x;
    }
    std::vector<double> d2(static_cast<size_t>(n) * n, 0);
    for (int i = 0; i < n; ++i) {
        for (int j = i + 1; j < n; ++j) {
            double d = b.lo(i, j) + (b.up(i, j) - b.lo(i, j)) * random.uniform();
            d2[static_cast<size_t>(i) * n + j] = d2[static_cast<size_t>(j) * n + i] = d * d;
        }
    }
    double all = 0;
    for (double v : d2) all += v;
    all /= 2.0 * n * n;  // (1/n²) Σ_{j<k} d_jk²
    std::vector<double> d0(n);
    for (int i = 0; i < n; ++i) {
        double row = 0;
        for (int j = 0; j < n; ++j) row += d2[static_cast<size_t>(i) * n + j];
        d0[i] = row / n - all;
    }
    std::vector<double> g(static_cast<size_t>(n) * n);
    for (int i = 0; i < n; ++i) {
        for (int j = 0; j < n; ++j) g[static_cast<size_t>(i) * n + j] = (d0[i] + d0[j] - d2[static_cast<size_t>(i) * n + j]) / 2;
    }
    std::vector<double> values, vectors;
    jacobi_eigen(g, n, values, vectors);
    std::vector<int> order(n);
    for (int i = 0; i < n; ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](int p, int q) { return values[p] > values[q]; });
    for (int k = 0; k < 4; ++k) {
        int column = order[std::min(k, n - 1)];
        double lambda = k < n ? values[column] : 0;
        for (int i = 0; i < n; ++i) {
            // A dimension the distances do not fill gets small random values.
            x[4 * i + k] = lambda > 1e-6 ? std::sqrt(lambda) * vectors[static_cast<size_t>(i) * n + column] : random.uniform() - 0.5;
        }
    }
    return x;
}

/// Do the signed volumes of the centres asked for have their sign?
bool chirality_holds(const Problem &problem, const double *x) {
    for (const VolumeConstraint &c : problem.volumes) {
        if (c.lower < 0 && c.upper > 0) continue;  // planarity, not chirality
        const double *p = x + 4 * c.centre;
        vector3 centre(p[0], p[1], p[2]);
        auto at = [&](int atom) { const double *q = x + 4 * atom; return vector3(q[0], q[1], q[2]) - centre; };
        double volume = dot(at(c.a), cross(at(c.b), at(c.d)));
        if ((c.upper < 0 && volume >= 0) || (c.lower > 0 && volume <= 0)) return false;
    }
    return true;
}

/// The largest amount by which a distance leaves its bounds, Å.
double worst_distance_violation(const Bounds &b, const double *x) {
    double worst = 0;
    for (int i = 0; i < b.atoms; ++i) {
        for (int j = i + 1; j < b.atoms; ++j) {
            double d2 = 0;
            for (int k = 0; k < 3; ++k) d2 += (x[4 * i + k] - x[4 * j + k]) * (x[4 * i + k] - x[4 * j + k]);
            double d = std::sqrt(d2);
            worst = std::max({worst, b.lo(i, j) - d, d - b.up(i, j)});
        }
    }
    return worst;
}

}  // namespace

/// An embedding whose distances leave their bounds by more than this (Å) is tried again.
constexpr double tolerated_violation = 0.5;

bool embed(OBMol &mol, const Problem &problem, Random &random, int tries, std::string &why) {
    int n = problem.bounds.atoms;
    int wrong_chirality = 0, stretched = 0;
    double least_violation = 0;
    for (int attempt = 0; attempt < tries; ++attempt) {
        std::vector<double> x = random_coordinates(problem.bounds, random);
        // First in four dimensions, where centres can pass through each
        // other to reach their chirality; then flattened into three.
        minimize(problem, x, 0, 400);
        if (!chirality_holds(problem, x.data())) {
            ++wrong_chirality;
            continue;
        }
        minimize(problem, x, 1.0, 400);
        for (int i = 0; i < n; ++i) x[4 * i + 3] = 0;
        if (!chirality_holds(problem, x.data())) {
            ++wrong_chirality;
            continue;
        }
        // A chirality the ring system cannot have (the bench's buprenorphine)
        // shows as the same bonds stretched in every embedding; the force
        // field would only relax such a structure into another stereoisomer.
        double violation = worst_distance_violation(problem.bounds, x.data());
        if (violation > tolerated_violation) {
            least_violation = stretched++ == 0 ? violation : std::min(least_violation, violation);
            continue;
        }
        for (int i = 0; i < n; ++i) mol.GetAtom(i + 1)->SetVector(x[4 * i], x[4 * i + 1], x[4 * i + 2]);
        return true;
    }
    char least[32];
    std::snprintf(least, sizeof least, "%.2f", least_violation);
    why = "distance geometry found no embedding in " + std::to_string(tries) + " tries (" + std::to_string(wrong_chirality) +
          " with a centre of the wrong chirality, " + std::to_string(stretched) + " leaving distance bounds by " + least +
          " Å or more)";
    return false;
}

}  // namespace rgdm_ob::dg

extern "C" int rgdm_ob_embedding_error(rgdm_ob_mol *handle, const double *coordinates, double fourth_weight, double *value,
                                       double *gradient) {
    rgdm_ob::clear_log();
    rgdm_ob::dg::Problem problem;
    std::string why;
    if (!rgdm_ob::dg::topology_bounds(handle->mol, problem.bounds, why)) return rgdm_ob::fail(RGDM_OB_ERR_CHEMISTRY, why);
    problem.volumes = rgdm_ob::dg::volume_constraints(handle->mol, problem.bounds);
    if (gradient) std::fill(gradient, gradient + 4 * problem.bounds.atoms, 0.0);
    *value = rgdm_ob::dg::embedding_error(problem, coordinates, fourth_weight, gradient);
    return RGDM_OB_OK;
}
