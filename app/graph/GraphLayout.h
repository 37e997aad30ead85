#pragma once
// Places a directed graph's boxes and routes its edges. The caller measures the boxes (the console with its
// font, the CLI with the same painter code); a layout only does geometry, so it is easy to test and to swap.
#include "graph/GraphWork.h"

#include <cstddef>
#include <string>
#include <vector>

namespace caracal {

struct LayoutPoint {
    double x = 0, y = 0;
};

struct LayoutInput {
    enum class Direction { LeftToRight, TopToBottom };
    struct Box {
        double width = 0, height = 0;
    };
    struct Link {
        size_t source = 0, target = 0;
    };
    std::vector<Box> nodes;
    std::vector<Link> edges;
    Direction direction = Direction::LeftToRight;
    double layerGap = 90; // between layers, along the flow
    double nodeGap = 22;  // between neighbours in a layer
    GraphWork work;       // cancel flag and progress; a cancelled layout returns early, marked cancelled
};

struct LayoutResult {
    std::vector<LayoutPoint> topLeft;             // per node
    std::vector<std::vector<LayoutPoint>> routes; // per edge: from the source's border to the target's
    std::vector<int> layer;                       // per node
    double width = 0, height = 0;                 // the bounding box, starting at (0, 0)
    size_t crossings = 0;                         // edge crossings between adjacent layers
    bool cancelled = false;                       // stopped on request: the geometry is incomplete
};

class GraphLayout {
  public:
    virtual ~GraphLayout() = default;
    virtual std::string name() const = 0;
    virtual LayoutResult layout(const LayoutInput& input) const = 0;
};

} // namespace caracal
