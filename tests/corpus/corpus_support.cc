#include "tests/corpus/corpus_support.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace claimgate::corpus {

std::string CorpusDir() {
  const char* dir = std::getenv("CLAIMGATE_CORPUS_DIR");
  return dir ? dir : "";
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

nlohmann::json LoadManifest() {
  const std::string text = ReadFile(CorpusDir() + "/MANIFEST.json");
  if (text.empty()) return nlohmann::json::array();
  return nlohmann::json::parse(text);
}

std::map<std::string, std::string> LoadExceptions(const std::string& file_name) {
  const char* src = std::getenv("CLAIMGATE_SOURCE_DIR");
  std::map<std::string, std::string> out;
  std::istringstream lines(ReadFile(std::string(src ? src : ".") + "/tests/corpus/" + file_name));
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#') continue;
    const std::size_t tab = line.find('\t');
    if (tab == std::string::npos) {
      out[line] = "";
      continue;
    }
    out[line.substr(0, tab)] = line.substr(tab + 1);
  }
  return out;
}

}  // namespace claimgate::corpus
