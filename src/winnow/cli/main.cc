// winnow: the command-line entry point (thin: parses arguments, calls recipe + exec).
//   winnow process --config recipe.yaml [--np 8] [--export_path out.jsonl] [--<recipe key> value]...
//   winnow analyze --config recipe.yaml [...]   (stats of every filter, nothing dropped)
//   winnow ops [NAME] [--markdown]
#include <malloc.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "winnow/analysis/provenance.h"
#include "winnow/exec/executor.h"
#include "winnow/core/punkt.h"
#include "winnow/core/unicode.h"
#include "winnow/models/lm_train.h"
#include "winnow/ops/registry.h"
#include "winnow/recipe/recipe.h"

namespace {

constexpr const char* kUsage =
    "usage:\n"
    "  winnow process --config RECIPE.yaml [--<recipe key> VALUE ...] [options]\n"
    "      any Data-Juicer recipe key can be overridden, e.g. --np 8 --export_path out.jsonl\n"
    "      --export-dropped PATH   write dropped samples (with op and reason) to PATH\n"
    "      --quarantine PATH       where quarantined samples go (default WORK_DIR/quarantine.jsonl)\n"
    "      --batch-size N          rows per batch (default 1000)\n"
    "      --dedup-index DIR       document_minhash_deduplicator also removes near duplicates of earlier\n"
    "                              runs' data indexed in DIR, then adds this run's band buckets to DIR\n"
    "      --progress / --no-progress, --quiet\n"
    "      writes WORK_DIR/report.html (set report: false in the recipe to skip it)\n"
    "  winnow analyze --config RECIPE.yaml [same options]\n"
    "      Data-Juicer's analyzer: every filter computes its stats over the whole dataset, nothing is\n"
    "      dropped; writes WORK_DIR/analysis/overall.csv, overall.md, per-stat PNGs, the stats jsonl\n"
    "      and WORK_DIR/report.html (export_original_dataset: true also exports the data with stats)\n"
    "  winnow why DROPPED.jsonl [--op NAME] [--source FILE[:LINE]] [--grep TEXT] [--limit N]\n"
    "      which samples were removed and why, from a run's export_dropped file: a summary per op\n"
    "      and reason, or the matching samples with the op, the stat value and the threshold\n"
    "  winnow ops [NAME] [--markdown]   list operators, or show one (params, defaults, stat keys)\n"
    "  winnow lm train --input CORPUS [--input ...] --output-dir DIR [--lang en] [--order 5]\n"
    "                  [--vocab-size 8000] [--sp-model M.model] [--text-key text]\n"
    "      builds DIR/<lang>.sp.model and DIR/<lang>.arpa (modified Kneser-Ney) for perplexity_filter;\n"
    "      CORPUS is .jsonl[.gz|.zst] (the text field) or plain text (one document per line)\n"
    "  winnow punkt train --lang xx --input FILE [--input ...] --output FILE.punkt\n"
    "      learns Punkt sentence-boundary parameters (NLTK's PunktTrainer) from plain UTF-8 text,\n"
    "      one PunktTrainer.train() call per input file; sentence_split_mapper loads data/punkt/<lang>.punkt\n"
    "  winnow --version\n";

int Fail(const std::string& msg, int code) {
  std::fprintf(stderr, "winnow: %s\n", msg.c_str());
  return code;
}

int CmdOps(const std::vector<std::string>& args) {
  const auto& reg = winnow::Registry::Builtin();
  if (!args.empty() && args[0] == "--markdown") {
    std::fputs(winnow::OpsMarkdown(reg).c_str(), stdout);
    return 0;
  }
  if (!args.empty() && args[0] == "--readme-list") {
    std::fputs(winnow::OpsReadmeList(reg).c_str(), stdout);
    return 0;
  }
  if (!args.empty()) {
    const winnow::OpInfo* info = reg.Find(args[0]);
    if (!info) {
      std::string hint = winnow::ClosestName(args[0], reg.Names());
      return Fail("unknown operator '" + args[0] + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)"), 2);
    }
    std::fputs(winnow::DescribeOp(*info).c_str(), stdout);
    return 0;
  }
  for (const auto& o : reg.ops()) std::printf("%-36s %-13s %s\n", o.name.c_str(), winnow::OpKindName(o.kind), o.doc.c_str());
  return 0;
}

int CmdProcess(const std::vector<std::string>& args, bool analyze) {
  std::string config;
  std::vector<std::pair<std::string, std::string>> overrides;
  winnow::RunOptions opts;
  opts.progress = ::isatty(2);
  opts.analyze = analyze;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string a = args[i];
    if (a.rfind("--", 0) != 0) return Fail("unexpected argument '" + a + "'\n" + kUsage, 2);
    std::string key = a.substr(2), value;
    bool has_value = false;
    if (auto eq = key.find('='); eq != std::string::npos) {
      value = key.substr(eq + 1);
      key = key.substr(0, eq);
      has_value = true;
    }
    if (key == "progress") { opts.progress = true; continue; }
    if (key == "no-progress") { opts.progress = false; continue; }
    if (key == "quiet") { opts.quiet = true; continue; }
    if (!has_value) {
      if (i + 1 >= args.size()) return Fail("--" + key + " needs a value", 2);
      value = args[++i];
    }
    if (key == "config") config = value;
    else if (key == "export-dropped") overrides.emplace_back("export_dropped", value);
    else if (key == "quarantine") overrides.emplace_back("quarantine_path", value);
    else if (key == "batch-size") overrides.emplace_back("batch_size", value);
    else if (key == "dedup-index") overrides.emplace_back("dedup_index", value);
    else overrides.emplace_back(key, value);
  }
  if (config.empty())
    return Fail(std::string(analyze ? "analyze" : "process") + " needs --config RECIPE.yaml\n" + kUsage, 2);
  auto recipe = winnow::LoadRecipe(config, overrides);
  if (!recipe.ok()) return Fail(recipe.status().message(), 2);
  for (const auto& w : recipe->warnings) std::fprintf(stderr, "winnow: warning: %s\n", w.c_str());
  auto ledger = winnow::RunRecipe(*recipe, opts);
  if (!ledger.ok()) return Fail(ledger.status().message(), 1);
  for (size_t i = recipe->warnings.size(); i < ledger->warnings.size(); ++i)
    std::fprintf(stderr, "winnow: warning: %s\n", ledger->warnings[i].c_str());
  if (!opts.quiet) {
    std::fputs(ledger->Table().c_str(), stdout);
    for (const auto& o : ledger->outputs) std::printf("wrote %s\n", o.c_str());
  }
  return 0;
}

int CmdWhy(const std::vector<std::string>& args) {
  if (args.empty() || args[0].rfind("--", 0) == 0)
    return Fail(std::string("why needs the dropped-samples file (export_dropped)\n") + kUsage, 2);
  winnow::analysis::DroppedQuery q;
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (i + 1 >= args.size()) return Fail(a + " needs a value", 2);
    const std::string& v = args[++i];
    if (a == "--op") q.op = v;
    else if (a == "--source") q.source = v;
    else if (a == "--grep") q.grep = v;
    else if (a == "--limit") q.limit = std::strtoull(v.c_str(), nullptr, 10);
    else return Fail("unknown option '" + a + "' for why\n" + kUsage, 2);
  }
  auto out = winnow::analysis::ExplainDropped(args[0], q);
  if (!out.ok()) return Fail(out.status().message(), 1);
  std::fputs(out->c_str(), stdout);
  return 0;
}

int CmdLm(const std::vector<std::string>& args) {
  if (args.empty() || args[0] != "train") return Fail(std::string("lm needs a subcommand: train\n") + kUsage, 2);
  winnow::LmTrainOptions opt;
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (i + 1 >= args.size()) return Fail(a + " needs a value", 2);
    const std::string& v = args[++i];
    auto as_int = [&](int* out) {
      char* end = nullptr;
      long n = std::strtol(v.c_str(), &end, 10);
      if (!end || *end || n <= 0) return false;
      *out = static_cast<int>(n);
      return true;
    };
    if (a == "--input") opt.inputs.push_back(v);
    else if (a == "--output-dir") opt.output_dir = v;
    else if (a == "--lang") opt.lang = v;
    else if (a == "--text-key") opt.text_key = v;
    else if (a == "--sp-model") opt.sp_model = v;
    else if (a == "--order") { if (!as_int(&opt.order)) return Fail("--order needs a positive integer", 2); }
    else if (a == "--vocab-size") { if (!as_int(&opt.vocab_size)) return Fail("--vocab-size needs a positive integer", 2); }
    else return Fail("unknown option '" + a + "' for lm train\n" + kUsage, 2);
  }
  auto rep = winnow::TrainLanguageModel(opt);
  if (!rep.ok()) return Fail(rep.status().message(), 1);
  std::printf("%zu documents, %zu sentences\nwrote %s\nwrote %s\n", rep->documents, rep->sentences,
              rep->sp_model_path.c_str(), rep->arpa_path.c_str());
  return 0;
}

int CmdPunkt(const std::vector<std::string>& args) {
  if (args.empty() || args[0] != "train") return Fail(std::string("punkt needs a subcommand: train\n") + kUsage, 2);
  std::vector<std::string> inputs;
  std::string output, lang;
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (i + 1 >= args.size()) return Fail(a + " needs a value", 2);
    const std::string& v = args[++i];
    if (a == "--input") inputs.push_back(v);
    else if (a == "--output") output = v;
    else if (a == "--lang") lang = v;
    else return Fail("unknown option '" + a + "' for punkt train\n" + kUsage, 2);
  }
  if (inputs.empty() || output.empty() || lang.empty())
    return Fail("punkt train needs --lang, --input and --output", 2);
  winnow::nltk::PunktTrainer trainer;
  for (const std::string& path : inputs) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Fail("cannot read '" + path + "'", 1);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    if (!winnow::unicode::IsValidUtf8(text)) return Fail("'" + path + "' is not valid UTF-8", 1);
    trainer.Train(text);
  }
  trainer.Finalize();
  const auto& p = trainer.params();
  std::string header = "lang: " + lang + "\ntrained by `winnow punkt train` (port of nltk 3.8 PunktTrainer) on " +
                       std::to_string(inputs.size()) + " file(s), " + std::to_string(trainer.tokens_seen()) + " tokens";
  std::ofstream out(output, std::ios::binary);
  out << p.Serialize(header);
  out.close();
  if (!out) return Fail("cannot write '" + output + "'", 1);
  std::printf("%zu tokens: %zu abbreviations, %zu collocations, %zu sentence starters, %zu ortho types\nwrote %s\n",
              trainer.tokens_seen(), p.abbrev_types.size(), p.collocations.size(), p.sent_starters.size(),
              p.ortho_context.size(), output.c_str());
  return 0;
}

}  // namespace

// (Sessions 14-19 re-executed winnow once with glibc's heap on transparent huge pages,
// GLIBC_TUNABLES=glibc.malloc.hugetlb=1. Since the large random-access tables have their own
// huge-page allocator (core/huge_pages.h), that only added the kernel's zeroing of fresh 2 MB
// pages as the heap grew: session 20 measured the C4 recipe 2.82 -> 2.73 s wall without it, sys
// 0.18-0.35 -> 0.08 s, user unchanged, single ops unchanged.)
int main(int argc, char** argv) {
  // Decoders and OpenCV allocate and free frame-sized buffers (a few MB) for every frame. With
  // glibc's defaults freed memory above the trim threshold goes back to the kernel and every
  // frame page-faults it in again: 3 s of kernel time in 27 s of video_motion_score_filter.
  // Keeping up to 256 MB of freed heap (and serving blocks below 64 MB from it) removes that;
  // peak RSS is unchanged.
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::fputs(kUsage, args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version") {
    std::printf("winnow %s\n", WINNOW_VERSION);
    return 0;
  }
  std::string cmd = args[0];
  args.erase(args.begin());
  if (cmd == "process") return CmdProcess(args, false);
  if (cmd == "analyze") return CmdProcess(args, true);
  if (cmd == "ops") return CmdOps(args);
  if (cmd == "lm") return CmdLm(args);
  if (cmd == "punkt") return CmdPunkt(args);
  if (cmd == "why") return CmdWhy(args);
  return Fail("unknown command '" + cmd + "'\n" + kUsage, 2);
}
