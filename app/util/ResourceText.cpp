#include "util/ResourceText.h"

#include <QFile>
#include <stdexcept>

namespace caracal {

std::string readResourceText(const char* path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw std::runtime_error(std::string("built-in data file missing: ") + path);
    return file.readAll().toStdString();
}

} // namespace caracal
