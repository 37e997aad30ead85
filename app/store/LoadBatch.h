#pragma once
// What one loader worker hands to the store: records whose string fields are ids into the batch's own
// interner, so workers never share state. EventStore::append maps them to the store's ids.
#include "store/EventRecord.h"
#include "util/SourceBuffer.h"
#include "util/StringInterner.h"

#include <memory>
#include <vector>

namespace caracal {

struct LoadBatch {
    std::shared_ptr<const SourceBuffer> source;
    std::vector<EventRecord> records; // line numbers are relative to firstLine
    std::vector<uint32_t> tags;
    std::vector<BadLine> badLines;
    StringInterner strings;
    uint32_t firstLine = 1; // line number of the batch's first line in the file
    uint32_t lineCount = 0; // lines the batch covered
    uint64_t bytesEnd = 0;  // source offset the batch reached
};

} // namespace caracal
