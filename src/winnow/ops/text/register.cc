// Registers the text operators (one file each in this folder).
#include "winnow/ops/registry.h"

namespace winnow {

void RegisterTextLengthFilter(Registry& r);
void RegisterWordsNumFilter(Registry& r);
void RegisterAlphanumericFilter(Registry& r);
void RegisterSpecialCharactersFilter(Registry& r);
void RegisterAverageLineLengthFilter(Registry& r);
void RegisterMaximumLineLengthFilter(Registry& r);
void RegisterCharacterRepetitionFilter(Registry& r);
void RegisterWordRepetitionFilter(Registry& r);
void RegisterWhitespaceNormalizationMapper(Registry& r);
void RegisterPunctuationNormalizationMapper(Registry& r);
void RegisterCleanEmailMapper(Registry& r);
void RegisterCleanLinksMapper(Registry& r);
void RegisterCleanIpMapper(Registry& r);
void RegisterRemoveLongWordsMapper(Registry& r);
void RegisterTextChunkMapper(Registry& r);
void RegisterRemoveSpecificCharsMapper(Registry& r);
void RegisterRemoveRepeatSentencesMapper(Registry& r);
void RegisterReplaceContentMapper(Registry& r);
void RegisterRemoveHeaderMapper(Registry& r);
void RegisterRemoveCommentsMapper(Registry& r);
void RegisterRemoveBibliographyMapper(Registry& r);
void RegisterExpandMacroMapper(Registry& r);
void RegisterCleanCopyrightMapper(Registry& r);
void RegisterRemoveNonChineseCharacterMapper(Registry& r);
void RegisterRemoveTableTextMapper(Registry& r);
void RegisterRemoveWordsWithIncorrectSubstringsMapper(Registry& r);
void RegisterFixUnicodeMapper(Registry& r);
void RegisterSentenceSplitMapper(Registry& r);
void RegisterFineWebQualityFilter(Registry& r);
void RegisterC4BadWordsFilter(Registry& r);
void RegisterC4QualityFilter(Registry& r);
void RegisterGopherRepetitionFilter(Registry& r);
void RegisterGopherQualityFilter(Registry& r);
void RegisterExtractTablesFromHtmlMapper(Registry& r);
void RegisterPerplexityFilter(Registry& r);
void RegisterCleanHtmlMapper(Registry& r);
void RegisterChineseConvertMapper(Registry& r);
void RegisterLanguageIdScoreFilter(Registry& r);
void RegisterFlaggedWordsFilter(Registry& r);
void RegisterStopwordsFilter(Registry& r);

void RegisterTextOps(Registry& r) {
  RegisterTextLengthFilter(r);
  RegisterWordsNumFilter(r);
  RegisterAlphanumericFilter(r);
  RegisterSpecialCharactersFilter(r);
  RegisterAverageLineLengthFilter(r);
  RegisterMaximumLineLengthFilter(r);
  RegisterCharacterRepetitionFilter(r);
  RegisterWordRepetitionFilter(r);
  RegisterWhitespaceNormalizationMapper(r);
  RegisterPunctuationNormalizationMapper(r);
  RegisterCleanEmailMapper(r);
  RegisterCleanLinksMapper(r);
  RegisterCleanIpMapper(r);
  RegisterRemoveLongWordsMapper(r);
  RegisterTextChunkMapper(r);
  RegisterRemoveSpecificCharsMapper(r);
  RegisterRemoveRepeatSentencesMapper(r);
  RegisterReplaceContentMapper(r);
  RegisterRemoveHeaderMapper(r);
  RegisterRemoveCommentsMapper(r);
  RegisterRemoveBibliographyMapper(r);
  RegisterExpandMacroMapper(r);
  RegisterCleanCopyrightMapper(r);
  RegisterRemoveNonChineseCharacterMapper(r);
  RegisterRemoveTableTextMapper(r);
  RegisterRemoveWordsWithIncorrectSubstringsMapper(r);
  RegisterFixUnicodeMapper(r);
  RegisterSentenceSplitMapper(r);
  RegisterFineWebQualityFilter(r);
  RegisterC4BadWordsFilter(r);
  RegisterC4QualityFilter(r);
  RegisterGopherRepetitionFilter(r);
  RegisterGopherQualityFilter(r);
  RegisterExtractTablesFromHtmlMapper(r);
  RegisterPerplexityFilter(r);
  RegisterCleanHtmlMapper(r);
  RegisterChineseConvertMapper(r);
  RegisterLanguageIdScoreFilter(r);
  RegisterFlaggedWordsFilter(r);
  RegisterStopwordsFilter(r);
}

}  // namespace winnow
