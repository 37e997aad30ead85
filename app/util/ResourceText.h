#pragma once
// Text of a data file compiled into the programs (Qt resource ":/..."); throws when it is missing, which is a
// build defect rather than something a user can fix.
#include <string>

namespace caracal {

std::string readResourceText(const char* path);

} // namespace caracal
