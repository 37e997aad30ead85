#pragma once
// A layered (Sugiyama-style) layout for delegation graphs: roots in the first layer and each hop one layer
// further; cycles broken by reversing back edges found by a depth-first walk; long edges split by virtual
// points; crossings reduced by barycentre sweeps keeping the best order seen; neighbours pulled towards the
// centre of what they connect to without changing their order. Every step is near-linear (crossings are
// counted with a Fenwick tree), so tens of thousands of Sessions lay out in about a second.
#include "graph/GraphLayout.h"

namespace caracal {

class LayeredLayout final : public GraphLayout {
  public:
    std::string name() const override { return "layered"; }
    LayoutResult layout(const LayoutInput& input) const override;

  private:
    LayoutResult layoutConnected(const LayoutInput& input, const GraphWork& work) const;
};

} // namespace caracal
