// Limited-memory BFGS for the embedding error (see distgeom.hpp).
#include "distgeom.hpp"

#include <algorithm>
#include <cmath>

namespace rgdm_ob::dg {
namespace {

/// Corrections kept (m in Nocedal & Wright); 5–10 is the usual range.
constexpr int history = 8;

double dot(const std::vector<double> &a, const std::vector<double> &b) {
    double sum = 0;
    for (size_t i = 0; i < a.size(); ++i) sum += a[i] * b[i];
    return sum;
}

}  // namespace

void minimize(const Problem &problem, std::vector<double> &x, double fourth_weight, int max_iterations) {
    size_t size = x.size();
    std::vector<double> g(size, 0), direction(size), x_new(size), g_new(size);
    double f = embedding_error(problem, x.data(), fourth_weight, g.data());
    std::vector<std::vector<double>> s_list, y_list;  // x and gradient changes, oldest first
    std::vector<double> rho_list, alpha(history);
    for (int iteration = 0; iteration < max_iterations && f > 1e-10; ++iteration) {
        // Two-loop recursion: direction = −H·g.
        direction = g;
        int m = static_cast<int>(s_list.size());
        for (int k = m - 1; k >= 0; --k) {
            alpha[k] = rho_list[k] * dot(s_list[k], direction);
            for (size_t i = 0; i < size; ++i) direction[i] -= alpha[k] * y_list[k][i];
        }
        double gamma = m > 0 ? dot(s_list[m - 1], y_list[m - 1]) / dot(y_list[m - 1], y_list[m - 1]) : 1 / std::max(1.0, std::sqrt(dot(g, g)));
        for (double &d : direction) d *= gamma;
        for (int k = 0; k < m; ++k) {
            double beta = rho_list[k] * dot(y_list[k], direction);
            for (size_t i = 0; i < size; ++i) direction[i] += (alpha[k] - beta) * s_list[k][i];
        }
        for (double &d : direction) d = -d;
        double slope = dot(g, direction);
        if (slope >= 0) {  // not a descent direction: restart from steepest descent
            s_list.clear(), y_list.clear(), rho_list.clear();
            for (size_t i = 0; i < size; ++i) direction[i] = -g[i];
            slope = -dot(g, g);
        }
        // Backtracking line search to the Armijo condition.
        double step = 1, f_new = f;
        bool accepted = false;
        for (int tries = 0; tries < 30; ++tries) {
            for (size_t i = 0; i < size; ++i) x_new[i] = x[i] + step * direction[i];
            std::fill(g_new.begin(), g_new.end(), 0);
            f_new = embedding_error(problem, x_new.data(), fourth_weight, g_new.data());
            if (f_new <= f + 1e-4 * step * slope) {
                accepted = true;
                break;
            }
            step *= 0.5;
        }
        if (!accepted) break;
        std::vector<double> s(size), y(size);
        for (size_t i = 0; i < size; ++i) {
            s[i] = x_new[i] - x[i];
            y[i] = g_new[i] - g[i];
        }
        double sy = dot(s, y);
        bool converged = f - f_new < 1e-12 * std::max(1.0, f);
        x.swap(x_new);
        g.swap(g_new);
        f = f_new;
        if (converged) break;
        if (sy <= 1e-12) continue;  // curvature condition fails: keep the old pairs
        if (static_cast<int>(s_list.size()) == history) {
            s_list.erase(s_list.begin()), y_list.erase(y_list.begin()), rho_list.erase(rho_list.begin());
        }
        s_list.push_back(std::move(s));
        y_list.push_back(std::move(y));
        rho_list.push_back(1 / sy);
    }
}

}  // namespace rgdm_ob::dg
