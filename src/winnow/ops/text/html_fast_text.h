// A single-pass HTML5 tokenizer that yields the text under <body> without building a tree.
//
// It models the tokenizer and just enough of tree construction (before/after <head>, the
// table insertion modes) to know where each piece of text lands. Whatever it does not model
// exactly (foster parenting, foreign content, <select>, unusual character references,
// preprocessing that replaces characters, ...) makes it give up: std::nullopt means "parse it
// with gumbo", so the result, when there is one, is byte-identical to HtmlBodyTextParsed.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace winnow {

std::optional<std::string> HtmlBodyTextFast(std::string_view html);

}  // namespace winnow
