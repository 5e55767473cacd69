// Where media produced by mappers go (DJ's transfer_filename), e.g. for /data/a/cat.jpg:
//   save_dir given          -> <abs save_dir>/cat__dj_hash_#<hash>#.jpg
//   $DJ_PRODUCED_DATA_DIR   -> <abs dir>/<op_name>/cat__dj_hash_#<hash>#.jpg
//   otherwise               -> /data/a/__dj__produced_data__/<op_name>/cat__dj_hash_#<hash>#.jpg
// (a file already produced by DJ/Winnow, under .../__dj__produced_data__/..., goes next to the
// original data again, and its old __dj_hash_#...# suffix is replaced, not appended to).
//
// One deliberate difference: DJ's hash mixes the op params with the process id and the current
// time, so every run writes new names. Winnow hashes the op name and params only (SHA-256 of
// their canonical JSON, 64 hex digits like DJ's), so the same recipe on the same input gives
// byte-identical output, our determinism rule. Callers add a suffix for several outputs of one
// input (e.g. "_0", "_1" for split clips) as the DJ op does.
#pragma once

#include <string>

#include "winnow/core/status.h"

namespace winnow::media {

// A stable hash of an op's identity (name + its params as canonical JSON).
std::string OpOutputHash(const std::string& op_name, const std::string& params_json);

// The produced file's path; creates its directory. A path that does not exist is returned
// unchanged (DJ treats it as remote and leaves it).
Result<std::string> TransferFilename(const std::string& original, const std::string& op_name,
                                     const std::string& save_dir, const std::string& hash);

}  // namespace winnow::media
