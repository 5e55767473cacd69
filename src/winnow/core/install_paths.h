// Where the installed word lists and models live (scripts/fetch-assets.sh puts them in the
// repository's .cache/). WINNOW_ASSETS_DIR / WINNOW_MODELS_DIR in the environment override.
#pragma once

#include <string>

namespace winnow {

std::string AssetDir();  // stopwords.json, flagged_words.json
std::string ModelDir();  // lid.176.ftz, *.sp.model, *.arpa / *.arpa.bin

}  // namespace winnow
