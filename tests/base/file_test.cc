// base/file.h: the one file reader says which path and why it cannot be read.
#include "base/file.h"

#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <string>

namespace fs = std::filesystem;

namespace claimgate {
namespace {

struct Dir {
  Dir() {
    std::string pattern = (fs::temp_directory_path() / "cg-file-XXXXXX").string();
    BOOST_REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~Dir() {
    std::error_code ec;
    fs::permissions(path / "locked", fs::perms::owner_all, ec);
    fs::remove_all(path, ec);
  }
  fs::path path;
};

BOOST_AUTO_TEST_SUITE(file)

BOOST_AUTO_TEST_CASE(reads_a_file_whole_or_up_to_the_cap) {
  Dir d;
  std::ofstream(d.path / "a.txt", std::ios::binary) << std::string(100000, 'x');
  Result<std::string> all = ReadFile((d.path / "a.txt").string());
  BOOST_REQUIRE(all.ok());
  BOOST_TEST(all->size() == 100000u);
  Result<std::string> capped = ReadFile((d.path / "a.txt").string(), 10);
  BOOST_REQUIRE(capped.ok());
  BOOST_TEST(capped->size() == 11u);  // cap + 1: "too large" is detectable
  std::ofstream(d.path / "empty", std::ios::binary).flush();
  BOOST_TEST(ReadFile((d.path / "empty").string())->empty());
}

BOOST_AUTO_TEST_CASE(says_why_a_path_cannot_be_read) {
  Dir d;
  const std::string missing = (d.path / "missing.xml").string();
  Result<std::string> r = ReadFile(missing);
  BOOST_TEST(r.status().code() == "input.unreadable");
  BOOST_TEST(r.status().message() == missing + ": no such file");
  // A directory opens fine with ifstream and reads as empty: it used to pass as an empty file.
  r = ReadFile(d.path.string());
  BOOST_TEST(r.status().code() == "input.unreadable");
  BOOST_TEST(r.status().message() == d.path.string() + ": is a directory");
  BOOST_TEST(ReadFile("").status().code() == "input.unreadable");
  // Permissions do not stop root; the case is checked only when they apply.
  if (::geteuid() != 0) {
    std::ofstream(d.path / "locked", std::ios::binary) << "secret";
    fs::permissions(d.path / "locked", fs::perms::none);
    r = ReadFile((d.path / "locked").string());
    BOOST_TEST(r.status().message() == (d.path / "locked").string() + ": permission denied");
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace claimgate
