// Data-Juicer's operator catalog (names), so that a recipe using a DJ op Winnow does not have
// gets a clear "not supported, because ..." instead of "unknown operator".
#pragma once

#include <string>
#include <string_view>

namespace winnow {

// Empty if `name` is not a Data-Juicer op; otherwise why Winnow cannot run it (yet).
std::string DjOpUnsupportedReason(std::string_view name);

}  // namespace winnow
