#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>

// Shared by the corpus runners: the manifest of ../shared/corpus (read in place, never copied)
// and the one file per runner that lists the cases we deliberately decide differently.
namespace claimgate::corpus {

// $CLAIMGATE_CORPUS_DIR, or "" (the test then fails: the corpus is required).
std::string CorpusDir();
std::string ReadFile(const std::string& path);
nlohmann::json LoadManifest();

// Parses `case-id<TAB>reason` lines ('#' comments and blank lines skipped) from a file in
// tests/corpus.
std::map<std::string, std::string> LoadExceptions(const std::string& file_name);

}  // namespace claimgate::corpus
