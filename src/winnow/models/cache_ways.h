// The replacement rule of the models' per-thread two-way caches (SentencePiece words, fastText
// out-of-vocabulary tokens): entries carry `len` (0: empty) and a small `hits` counter.
#pragma once

namespace winnow {

// The way of a two-way set a newcomer may take: an empty one, else the one with fewer hits.
// When that one has hits left it loses one instead and null is returned: an entry that was hit
// since it came in survives that many newcomers, so frequent entries stay (rare ones, most of
// the misses, would otherwise push them out).
template <class Entry>
Entry* ClaimWay(Entry* set) {
  Entry& e = set[0].len == 0 ? set[0] : set[1].len == 0 ? set[1] : set[1].hits < set[0].hits ? set[1] : set[0];
  if (e.hits > 0) {
    --e.hits;
    return nullptr;
  }
  return &e;
}

}  // namespace winnow
