// video_deduplicator: drops samples whose videos carry the same encoded video packets as an
// earlier sample's (DJ: MD5 over the bytes of every video-stream packet of the sample's distinct
// videos, in demux order). Container-level differences (metadata, audio) do not matter.
#include <algorithm>

#include "winnow/media/av_reader.h"
#include "winnow/media/media_paths.h"
#include "winnow/ops/dedup/media_dedup.h"
#include "winnow/ops/registry.h"

namespace winnow {
namespace {

class VideoDeduplicator : public MediaHashDeduplicator {
 public:
  VideoDeduplicator(const Params& p, const OpEnv& env)
      : MediaHashDeduplicator("video_deduplicator", p, env, "__dj__videohash"), video_key_(env.video_key) {
    if (const auto& k = p.Get("video_key"); k.type() == json::Type::kString) video_key_ = k.as_string();
  }

 protected:
  Status MediaHash(Sample& s, std::string* hash) const override {
    std::vector<std::string> paths, distinct;
    WINNOW_RETURN_IF_ERROR(media::MediaPaths(s, video_key_, files_, &paths));
    if (paths.empty()) return Status::Ok();
    for (const std::string& p : paths)
      if (std::find(distinct.begin(), distinct.end(), p) == distinct.end()) distinct.push_back(p);
    auto md5 = media::Md5OfVideoPackets(distinct);
    if (!md5.ok()) return md5.status();
    *hash = *md5;
    return Status::Ok();
  }

 private:
  std::string video_key_;
};

}  // namespace

void RegisterVideoDeduplicator(Registry& r) {
  r.Add({"video_deduplicator", OpKind::kDeduplicator,
         "Exact video deduplication by the MD5 of the video streams' packets; first occurrence kept.",
         MediaDedupParams(), {},
         [](const Params& p, const OpEnv& e) { return std::make_unique<VideoDeduplicator>(p, e); }});
}

}  // namespace winnow
