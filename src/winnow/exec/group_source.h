// Reads the groups a grouper formed back from its stage's spill file and emits one batched
// record per group, as DJ's convert_list_dict_to_dict_list does: {field: [each member's value]}
// for every field (in order of first appearance; null where a member lacks it), and the members'
// stats as a list in __dj__stats__ when any member has stats.
#pragma once

#include <memory>
#include <vector>

#include "winnow/exec/spill.h"

namespace winnow {

class GroupSource : public RecordSource {
 public:
  static Result<std::unique_ptr<GroupSource>> Open(const SpillFile& spill, std::vector<std::vector<uint32_t>> groups,
                                                   BatchLimits limits);
  Result<bool> Next(RawBatch* batch) override;
  uint64_t bytes_read() const override { return inner_->bytes_read(); }
  uint64_t total_bytes() const override { return 0; }

 private:
  // The next member record (json, stats, row) from the inner source.
  Result<bool> NextMember(std::string* json, std::string* stats, RowId* row);
  std::unique_ptr<SpillSource> inner_;
  std::vector<size_t> sizes_;
  size_t group_ = 0;
  RawBatch cur_;
  size_t cur_pos_ = 0;
  uint64_t seq_ = 0;
  BatchLimits limits_;
};

}  // namespace winnow
