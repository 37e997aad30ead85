#include "graph/LayeredLayout.h"

#include <algorithm>
#include <numeric>

namespace caracal {

namespace {

struct Virtual {
    double extent = 0; // across the flow (height for left-to-right)
    double along = 0;  // along the flow (width for left-to-right)
    int layer = 0;
    std::vector<int> preds, succs;
};

// Reverses the edges that close a cycle, found by an iterative depth-first walk that starts at the roots.
std::vector<bool> backEdges(size_t n, const std::vector<LayoutInput::Link>& edges) {
    std::vector<std::vector<size_t>> out(n);
    std::vector<int> indegree(n, 0);
    for (size_t e = 0; e < edges.size(); ++e)
        if (edges[e].source != edges[e].target) {
            out[edges[e].source].push_back(e);
            ++indegree[edges[e].target];
        }
    std::vector<bool> reversed(edges.size(), false);
    std::vector<int> state(n, 0); // 0 new, 1 on the stack, 2 done
    std::vector<size_t> starts;
    for (size_t v = 0; v < n; ++v)
        if (indegree[v] == 0) starts.push_back(v);
    for (size_t v = 0; v < n; ++v)
        starts.push_back(v);
    for (size_t start : starts) {
        if (state[start]) continue;
        std::vector<std::pair<size_t, size_t>> stack{{start, 0}}; // node, next outgoing index
        state[start] = 1;
        while (!stack.empty()) {
            auto& [v, i] = stack.back();
            if (i == out[v].size()) {
                state[v] = 2;
                stack.pop_back();
                continue;
            }
            const size_t e = out[v][i++];
            const size_t w = edges[e].target;
            if (state[w] == 1)
                reversed[e] = true;
            else if (state[w] == 0) {
                state[w] = 1;
                stack.push_back({w, 0});
            }
        }
    }
    return reversed;
}

// Crossings between one layer and the next: segments sorted by their upper end, then counted as inversions
// of their lower ends with a Fenwick tree, O(E log V) instead of comparing every pair.
size_t crossingsBetween(const std::vector<Virtual>& vs, const std::vector<std::vector<int>>& layers,
                        const std::vector<int>& pos, size_t layer) {
    std::vector<std::pair<int, int>> segs;
    for (int a : layers[layer])
        for (int b : vs[a].succs)
            segs.push_back({pos[a], pos[b]});
    if (segs.size() < 2) return 0;
    std::sort(segs.begin(), segs.end());
    const size_t width = layer + 1 < layers.size() ? layers[layer + 1].size() : 0;
    std::vector<size_t> tree(width + 1, 0);
    size_t count = 0, inserted = 0;
    for (const auto& [upper, lower] : segs) {
        size_t notAbove = 0; // earlier segments whose lower end is at or before this one's
        for (size_t i = size_t(lower) + 1; i > 0; i -= i & (~i + 1))
            notAbove += tree[i];
        count += inserted - notAbove;
        for (size_t i = size_t(lower) + 1; i <= width; i += i & (~i + 1))
            ++tree[i];
        ++inserted;
    }
    return count;
}

// Least-squares positions closest to `desired` (centres) that keep the order and the minimum separations
// (pool-adjacent-violators on the shifted problem).
std::vector<double> placeInOrder(const std::vector<double>& desired, const std::vector<double>& extent,
                                 double gap) {
    const size_t k = desired.size();
    std::vector<double> shift(k, 0);
    for (size_t i = 1; i < k; ++i)
        shift[i] = shift[i - 1] + extent[i - 1] / 2 + gap + extent[i] / 2;
    struct Block {
        double sum;
        size_t count;
    };
    std::vector<Block> blocks;
    for (size_t i = 0; i < k; ++i) {
        blocks.push_back({desired[i] - shift[i], 1});
        while (blocks.size() > 1 && blocks[blocks.size() - 2].sum / blocks[blocks.size() - 2].count >
                                        blocks.back().sum / blocks.back().count) {
            blocks[blocks.size() - 2].sum += blocks.back().sum;
            blocks[blocks.size() - 2].count += blocks.back().count;
            blocks.pop_back();
        }
    }
    std::vector<double> centre(k);
    size_t i = 0;
    for (const Block& b : blocks)
        for (size_t c = 0; c < b.count; ++c, ++i)
            centre[i] = b.sum / b.count + shift[i];
    return centre;
}

} // namespace

LayoutResult LayeredLayout::layout(const LayoutInput& input) const {
    // Unconnected parts are laid out on their own and stacked, so one tree never pushes another apart.
    const size_t count = input.nodes.size();
    std::vector<size_t> parent(count);
    std::iota(parent.begin(), parent.end(), 0);
    auto find = [&](size_t v) {
        while (parent[v] != v)
            v = parent[v] = parent[parent[v]];
        return v;
    };
    for (const auto& e : input.edges)
        if (e.source < count && e.target < count) parent[find(e.source)] = find(e.target);
    // Components numbered in the order their first node appears.
    constexpr size_t kUnset = static_cast<size_t>(-1);
    std::vector<size_t> componentOfRoot(count, kUnset), componentOf(count), local(count);
    std::vector<std::vector<size_t>> members;
    for (size_t v = 0; v < count; ++v) {
        size_t& c = componentOfRoot[find(v)];
        if (c == kUnset) {
            c = members.size();
            members.emplace_back();
        }
        componentOf[v] = c;
        local[v] = members[c].size();
        members[c].push_back(v);
    }
    if (members.size() <= 1) return layoutConnected(input, input.work);

    std::vector<std::vector<size_t>> edgesOf(members.size());
    for (size_t e = 0; e < input.edges.size(); ++e)
        if (input.edges[e].source < count) edgesOf[componentOf[input.edges[e].source]].push_back(e);

    const bool lr = input.direction == LayoutInput::Direction::LeftToRight;
    LayoutResult result;
    result.topLeft.resize(count);
    result.layer.resize(count);
    result.routes.resize(input.edges.size());
    double offset = 0;
    size_t done = 0;
    for (size_t c = 0; c < members.size(); ++c) {
        if (input.work.cancelled()) {
            result.cancelled = true;
            return result;
        }
        LayoutInput part;
        part.direction = input.direction;
        part.layerGap = input.layerGap;
        part.nodeGap = input.nodeGap;
        for (size_t v : members[c])
            part.nodes.push_back(input.nodes[v]);
        for (size_t e : edgesOf[c])
            part.edges.push_back({local[input.edges[e].source], local[input.edges[e].target]});
        const double share = double(members[c].size()) / double(count);
        const double at = double(done) / double(count);
        const LayoutResult r = layoutConnected(part, input.work.part(at, at + share));
        if (r.cancelled) {
            result.cancelled = true;
            return result;
        }
        done += members[c].size();
        auto shifted = [&](LayoutPoint p) {
            return lr ? LayoutPoint{p.x, p.y + offset} : LayoutPoint{p.x + offset, p.y};
        };
        for (size_t i = 0; i < members[c].size(); ++i) {
            result.topLeft[members[c][i]] = shifted(r.topLeft[i]);
            result.layer[members[c][i]] = r.layer[i];
        }
        for (size_t i = 0; i < edgesOf[c].size(); ++i)
            for (const LayoutPoint& p : r.routes[i])
                result.routes[edgesOf[c][i]].push_back(shifted(p));
        result.crossings += r.crossings;
        result.width = lr ? std::max(result.width, r.width) : offset + r.width;
        result.height = lr ? offset + r.height : std::max(result.height, r.height);
        offset += (lr ? r.height : r.width) + input.nodeGap * 2;
    }
    input.work.report(1);
    return result;
}

LayoutResult LayeredLayout::layoutConnected(const LayoutInput& input, const GraphWork& work) const {
    const bool lr = input.direction == LayoutInput::Direction::LeftToRight;
    const size_t n = input.nodes.size();
    LayoutResult result;
    result.topLeft.resize(n);
    result.routes.resize(input.edges.size());
    result.layer.assign(n, 0);
    if (n == 0) return result;
    // Checked between steps and in every sweep: a big component stops within milliseconds of a Cancel.
    auto stop = [&] {
        result.cancelled = work.cancelled();
        return result.cancelled;
    };

    // 1. A DAG: back edges reversed, self-loops dropped.
    const std::vector<bool> reversed = backEdges(n, input.edges);
    std::vector<Virtual> vs(n);
    for (size_t v = 0; v < n; ++v) {
        vs[v].extent = lr ? input.nodes[v].height : input.nodes[v].width;
        vs[v].along = lr ? input.nodes[v].width : input.nodes[v].height;
    }
    std::vector<std::pair<size_t, size_t>> dag(input.edges.size(), {0, 0});
    std::vector<std::vector<size_t>> dagOut(n);
    std::vector<int> indegree(n, 0);
    for (size_t e = 0; e < input.edges.size(); ++e) {
        auto [s, t] = std::pair{input.edges[e].source, input.edges[e].target};
        if (s == t || s >= n || t >= n) continue;
        if (reversed[e]) std::swap(s, t);
        dag[e] = {s, t};
        dagOut[s].push_back(t);
        ++indegree[t];
    }
    // 2. Layers: the longest path from a root, so every hop moves one layer on.
    std::vector<size_t> queue;
    for (size_t v = 0; v < n; ++v)
        if (indegree[v] == 0) queue.push_back(v);
    for (size_t qi = 0; qi < queue.size(); ++qi)
        for (size_t w : dagOut[queue[qi]]) {
            vs[w].layer = std::max(vs[w].layer, vs[queue[qi]].layer + 1);
            if (--indegree[w] == 0) queue.push_back(w);
        }
    // 3. Virtual points on edges that skip layers.
    std::vector<std::vector<int>> paths(input.edges.size());
    for (size_t e = 0; e < input.edges.size(); ++e) {
        const auto [s, t] = dag[e];
        if (s == t) continue;
        std::vector<int>& path = paths[e];
        path.push_back(static_cast<int>(s));
        for (int l = vs[s].layer + 1; l < vs[t].layer; ++l) {
            vs.push_back(Virtual{0, 0, l, {}, {}});
            path.push_back(static_cast<int>(vs.size() - 1));
        }
        path.push_back(static_cast<int>(t));
        for (size_t i = 0; i + 1 < path.size(); ++i) {
            vs[path[i]].succs.push_back(path[i + 1]);
            vs[path[i + 1]].preds.push_back(path[i]);
        }
    }
    int layerCount = 0;
    for (const Virtual& v : vs)
        layerCount = std::max(layerCount, v.layer + 1);
    if (stop()) return result;
    work.report(0.1);

    // 4. First order: depth-first from the roots, so subtrees start together.
    std::vector<std::vector<int>> layers(layerCount);
    {
        std::vector<bool> placed(vs.size(), false);
        std::vector<int> stack;
        auto visitFrom = [&](int start) {
            stack.push_back(start);
            while (!stack.empty()) {
                const int v = stack.back();
                stack.pop_back();
                if (placed[v]) continue;
                placed[v] = true;
                layers[vs[v].layer].push_back(v);
                for (auto it = vs[v].succs.rbegin(); it != vs[v].succs.rend(); ++it)
                    if (!placed[*it]) stack.push_back(*it);
            }
        };
        for (size_t v = 0; v < n; ++v)
            if (vs[v].preds.empty()) visitFrom(static_cast<int>(v));
        for (size_t v = 0; v < vs.size(); ++v)
            if (!placed[v]) visitFrom(static_cast<int>(v));
    }
    std::vector<int> pos(vs.size(), 0);
    auto renumber = [&] {
        for (const auto& layer : layers)
            for (size_t i = 0; i < layer.size(); ++i)
                pos[layer[i]] = static_cast<int>(i);
    };
    auto totalCrossings = [&] {
        size_t c = 0;
        for (size_t l = 0; l + 1 < layers.size(); ++l)
            c += crossingsBetween(vs, layers, pos, l);
        return c;
    };
    renumber();

    // 5. Barycentre sweeps, keeping the best order seen.
    auto best = layers;
    size_t bestCrossings = totalCrossings();
    for (int iter = 0; iter < 24 && bestCrossings > 0; ++iter) {
        if (stop()) return result;
        work.report(0.1 + 0.6 * iter / 24);
        const bool down = iter % 2 == 0;
        for (int step = 1; step < layerCount; ++step) {
            const int l = down ? step : layerCount - 1 - step;
            std::vector<std::pair<double, int>> keyed;
            for (int v : layers[l]) {
                const auto& refs = down ? vs[v].preds : vs[v].succs;
                double key = pos[v];
                if (!refs.empty()) {
                    key = 0;
                    for (int r : refs)
                        key += pos[r];
                    key /= refs.size();
                }
                keyed.push_back({key, v});
            }
            std::stable_sort(keyed.begin(), keyed.end(),
                             [](const auto& a, const auto& b) { return a.first < b.first; });
            for (size_t i = 0; i < keyed.size(); ++i)
                layers[l][i] = keyed[i].second;
            renumber();
        }
        if (const size_t c = totalCrossings(); c < bestCrossings) {
            bestCrossings = c;
            best = layers;
        }
    }
    layers = best;
    renumber();
    result.crossings = bestCrossings;

    // 6. Positions across the flow: start packed, then pull towards neighbours, keeping order and gaps.
    std::vector<double> centre(vs.size(), 0);
    auto gapOf = [&](int v) { return v < static_cast<int>(n) ? input.nodeGap : input.nodeGap / 2; };
    for (const auto& layer : layers) {
        double at = 0;
        for (int v : layer) {
            centre[v] = at + vs[v].extent / 2;
            at += vs[v].extent + gapOf(v);
        }
    }
    for (int iter = 0; iter < 8; ++iter) {
        if (stop()) return result;
        work.report(0.7 + 0.25 * iter / 8);
        const bool down = iter % 2 == 0;
        for (int step = 0; step < layerCount; ++step) {
            const int l = down ? step : layerCount - 1 - step;
            std::vector<double> desired, extent;
            for (int v : layers[l]) {
                const auto& a = down ? vs[v].preds : vs[v].succs;
                const auto& b = down ? vs[v].succs : vs[v].preds;
                const auto& refs = !a.empty() ? a : b;
                double d = centre[v];
                if (!refs.empty()) {
                    d = 0;
                    for (int r : refs)
                        d += centre[r];
                    d /= refs.size();
                }
                desired.push_back(d);
                extent.push_back(vs[v].extent);
            }
            double gap = input.nodeGap;
            const auto placed = placeInOrder(desired, extent, gap);
            for (size_t i = 0; i < layers[l].size(); ++i)
                centre[layers[l][i]] = placed[i];
        }
    }

    // 7. Positions along the flow: each layer as wide as its widest box.
    std::vector<double> layerStart(layerCount, 0), layerExtent(layerCount, 0);
    for (const Virtual& v : vs)
        layerExtent[v.layer] = std::max(layerExtent[v.layer], v.along);
    for (int l = 1; l < layerCount; ++l)
        layerStart[l] = layerStart[l - 1] + layerExtent[l - 1] + input.layerGap;
    double minAcross = 0;
    bool first = true;
    for (size_t v = 0; v < vs.size(); ++v) {
        const double low = centre[v] - vs[v].extent / 2;
        minAcross = first ? low : std::min(minAcross, low);
        first = false;
    }
    auto pointOf = [&](double along, double across) {
        return lr ? LayoutPoint{along, across - minAcross} : LayoutPoint{across - minAcross, along};
    };
    for (size_t v = 0; v < n; ++v) {
        const double along = layerStart[vs[v].layer] + (layerExtent[vs[v].layer] - vs[v].along) / 2;
        result.topLeft[v] = pointOf(along, centre[v] - vs[v].extent / 2);
        result.layer[v] = vs[v].layer;
        result.width = std::max(result.width, result.topLeft[v].x + input.nodes[v].width);
        result.height = std::max(result.height, result.topLeft[v].y + input.nodes[v].height);
    }
    // 8. Routes: from the source's far side, through the virtual points, to the target's near side.
    for (size_t e = 0; e < input.edges.size(); ++e) {
        const auto& path = paths[e];
        if (path.size() < 2) continue;
        std::vector<LayoutPoint>& route = result.routes[e];
        for (size_t i = 0; i < path.size(); ++i) {
            const int v = path[i];
            const double lStart = layerStart[vs[v].layer] + (layerExtent[vs[v].layer] - vs[v].along) / 2;
            if (i == 0)
                route.push_back(pointOf(lStart + vs[v].along, centre[v]));
            else if (i + 1 == path.size())
                route.push_back(pointOf(lStart, centre[v]));
            else
                route.push_back(pointOf(layerStart[vs[v].layer] + layerExtent[vs[v].layer] / 2, centre[v]));
        }
        if (reversed[e]) std::reverse(route.begin(), route.end());
    }
    work.report(1);
    return result;
}

} // namespace caracal
