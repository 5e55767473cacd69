// Registers the groupers (one file each in this folder).
#include "winnow/ops/registry.h"

namespace winnow {

void RegisterNaiveGrouper(Registry& r);
void RegisterKeyValueGrouper(Registry& r);
void RegisterNaiveReverseGrouper(Registry& r);

void RegisterGroupOps(Registry& r) {
  RegisterNaiveGrouper(r);
  RegisterKeyValueGrouper(r);
  RegisterNaiveReverseGrouper(r);
}

}  // namespace winnow
