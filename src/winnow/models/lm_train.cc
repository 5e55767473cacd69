#include "winnow/models/lm_train.h"

#include <filesystem>
#include <fstream>

#include "winnow/core/json.h"
#include "winnow/core/text_split.h"
#include "winnow/io/byte_stream.h"
#include "winnow/models/ngram_lm.h"
#include "winnow/models/perplexity_model.h"

namespace winnow {

namespace fs = std::filesystem;

// Reads the documents of one input: each JSONL record's text field, or each line of a text file.
static Status ReadDocuments(const std::string& path, const std::string& text_key, std::vector<std::string>* docs) {
  auto reader = ByteReader::Open(path);
  if (!reader.ok()) return reader.status();
  std::string data, chunk(1 << 20, '\0');
  for (;;) {
    auto n = (*reader)->Read(chunk.data(), chunk.size());
    if (!n.ok()) return Status::Error(path + ": " + n.status().message());
    if (*n == 0) break;
    data.append(chunk.data(), *n);
  }
  bool jsonl = StripCompressionSuffix(path).ends_with(".jsonl") || StripCompressionSuffix(path).ends_with(".json");
  size_t line_no = 0, pos = 0;
  while (pos < data.size()) {
    size_t nl = data.find('\n', pos);
    std::string_view line(data.data() + pos, (nl == std::string::npos ? data.size() : nl) - pos);
    pos = nl == std::string::npos ? data.size() : nl + 1;
    ++line_no;
    if (line.empty()) continue;
    if (!jsonl) { docs->emplace_back(line); continue; }
    auto v = json::Parse(line);
    if (!v.ok()) return Status::Error(path + ":" + std::to_string(line_no) + ": " + v.status().message());
    const json::Value* t = v->Find(text_key);
    if (!t || t->type() != json::Type::kString)
      return Status::Error(path + ":" + std::to_string(line_no) + ": no string field '" + text_key + "'");
    docs->push_back(t->as_string());
  }
  return Status::Ok();
}

Result<LmTrainReport> TrainLanguageModel(const LmTrainOptions& opt) {
  if (opt.inputs.empty()) return Status::Error("lm train needs --input");
  if (opt.output_dir.empty()) return Status::Error("lm train needs --output-dir");
  std::error_code ec;
  fs::create_directories(opt.output_dir, ec);
  if (ec) return Status::Error("cannot create '" + opt.output_dir + "': " + ec.message());
  LmTrainReport rep;
  std::vector<std::string> docs;
  for (const auto& in : opt.inputs) WINNOW_RETURN_IF_ERROR(ReadDocuments(in, opt.text_key, &docs));
  rep.documents = docs.size();
  if (docs.empty()) return Status::Error("the input has no documents");

  rep.sp_model_path = opt.output_dir + "/" + opt.lang + ".sp.model";
  if (!opt.sp_model.empty()) {
    if (fs::absolute(opt.sp_model, ec) != fs::absolute(rep.sp_model_path, ec))
      fs::copy_file(opt.sp_model, rep.sp_model_path, fs::copy_options::overwrite_existing, ec);
    if (ec) return Status::Error("cannot copy '" + opt.sp_model + "': " + ec.message());
  } else {
    std::string lines_file = opt.output_dir + "/." + opt.lang + ".sp-train.txt";
    {
      std::ofstream out(lines_file, std::ios::binary);
      std::vector<std::string_view> lines;
      for (const auto& d : docs) {
        SplitLines(d, &lines);
        for (auto l : lines) if (!l.empty()) out << l << '\n';
      }
    }
    Status st = SentencePieceModel::Train(lines_file, opt.output_dir + "/" + opt.lang + ".sp", opt.vocab_size);
    fs::remove(lines_file, ec);
    fs::remove(opt.output_dir + "/" + opt.lang + ".sp.vocab", ec);
    WINNOW_RETURN_IF_ERROR(st);
  }
  auto sp = SentencePieceModel::Load(rep.sp_model_path);
  if (!sp.ok()) return sp.status();

  // The sentences perplexity_filter will score: pieces joined by ' ', split into lines.
  std::vector<std::string> sentences;
  std::vector<std::string_view> lines;
  for (const auto& d : docs) {
    std::string joined;
    for (const auto& p : (*sp)->Pieces(d)) {
      if (!joined.empty()) joined.push_back(' ');
      joined += p;
    }
    SplitLines(joined, &lines);
    for (auto l : lines) sentences.emplace_back(l);
  }
  rep.sentences = sentences.size();
  std::string arpa;
  KneserNeyOptions kn;
  kn.order = opt.order;
  WINNOW_RETURN_IF_ERROR(TrainKneserNey(sentences, kn, &arpa));
  rep.arpa_path = opt.output_dir + "/" + opt.lang + ".arpa";
  std::ofstream out(rep.arpa_path, std::ios::binary);
  out << arpa;
  if (!out) return Status::Error("cannot write '" + rep.arpa_path + "'");
  return rep;
}

}  // namespace winnow
