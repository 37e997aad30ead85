// A CSV export: the record reader, the conversion to JSON lines, and the cells written back.
#include "FuzzInput.h"
#include "load/CsvExport.h"

using namespace caracal;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size > (1u << 20)) return 0;
    const std::string_view in = fuzz::text(data, size);
    (void)csv::looksLikeExport(fuzz::firstLine(in).first);
    (void)csv::parse(in);
    const csv::Converted converted = csv::toJsonLines(in, "zone-fuzz");
    size_t start = 0;
    while (start < converted.jsonLines.size()) {
        const size_t end = converted.jsonLines.find('\n', start);
        const auto ev = nlohmann::ordered_json::parse(converted.jsonLines.substr(start, end - start));
        (void)csv::row(ev); // what the converter wrote must read back: parse() throws if it did not
        start = end == std::string::npos ? converted.jsonLines.size() : end + 1;
    }
    (void)csv::zoneFromFileName(fuzz::firstLine(in).first);
    return 0;
}
