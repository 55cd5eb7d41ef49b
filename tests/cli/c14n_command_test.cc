// claimgate c14n, run as a process: output bytes, exit codes (0 printed, 1 refused, 2 usage)
// and the code on stderr.
#include <sys/wait.h>

#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace claimgate::cli {
namespace {

struct Run {
  int exit_code = -1;
  std::string out;
  std::string err;
};

class Cli {
 public:
  Cli() : dir_(std::filesystem::temp_directory_path() / ("cg_c14n_" + std::to_string(::getpid()))) {
    const char* bin = std::getenv("CLAIMGATE_BIN");
    BOOST_REQUIRE_MESSAGE(bin != nullptr, "CLAIMGATE_BIN is not set (run through ctest)");
    bin_ = bin;
    std::filesystem::create_directories(dir_);
  }
  ~Cli() { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& content) const {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

  // `args` is appended to the command line as is (tests quote what needs quoting).
  Run Exec(const std::string& args, const std::string& stdin_file = "") const {
    const std::string out = (dir_ / "out").string(), err = (dir_ / "err").string();
    std::string cmd = "'" + bin_ + "' " + args + " >'" + out + "' 2>'" + err + "'";
    if (!stdin_file.empty()) cmd += " <'" + stdin_file + "'";
    const int status = std::system(cmd.c_str());
    Run r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = Slurp(out);
    r.err = Slurp(err);
    return r;
  }

 private:
  static std::string Slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  std::filesystem::path dir_;
  std::string bin_;
};

constexpr const char* kDoc =
    "<?xml version=\"1.0\"?>\n<s:R xmlns:s=\"urn:s\" xmlns:u=\"urn:unused\" xmlns=\"urn:d\" "
    "ID=\"r\"><!--c--><?pi data?><A ID=\"a\" b=\"&#9;\">x&amp;y<B/></A></s:R>";

BOOST_AUTO_TEST_SUITE(c14n_command)

BOOST_AUTO_TEST_CASE(document_element_by_default) {
  Cli cli;
  const Run r = cli.Exec("c14n '" + cli.Write("d.xml", kDoc) + "'");
  BOOST_TEST(r.exit_code == 0);
  BOOST_TEST(r.out ==
             "<s:R xmlns:s=\"urn:s\" ID=\"r\"><?pi data?><A xmlns=\"urn:d\" ID=\"a\" "
             "b=\"&#x9;\">x&amp;y<B></B></A></s:R>");
  BOOST_TEST(r.err.empty());
}

BOOST_AUTO_TEST_CASE(options) {
  Cli cli;
  const std::string file = cli.Write("d.xml", kDoc);
  BOOST_TEST(cli.Exec("c14n --id a '" + file + "'").out ==
             "<A xmlns=\"urn:d\" ID=\"a\" b=\"&#x9;\">x&amp;y<B></B></A>");
  BOOST_TEST(cli.Exec("c14n --id a --inclusive-namespaces 's u' '" + file + "'").out ==
             "<A xmlns=\"urn:d\" xmlns:s=\"urn:s\" xmlns:u=\"urn:unused\" ID=\"a\" "
             "b=\"&#x9;\">x&amp;y<B></B></A>");
  BOOST_TEST(cli.Exec("c14n --with-comments '" + file + "'").out.find("<!--c-->") !=
             std::string::npos);
  const Run from_stdin = cli.Exec("c14n --id a -", file);
  BOOST_TEST(from_stdin.exit_code == 0);
  BOOST_TEST(from_stdin.out == "<A xmlns=\"urn:d\" ID=\"a\" b=\"&#x9;\">x&amp;y<B></B></A>");
}

BOOST_AUTO_TEST_CASE(refused_documents_exit_1_with_the_code) {
  Cli cli;
  Run r = cli.Exec("c14n '" + cli.Write("dtd.xml", "<!DOCTYPE a><a/>") + "'");
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(r.out.empty());
  BOOST_TEST(r.err.find("xml.doctype_forbidden") != std::string::npos);
  r = cli.Exec("c14n --id nope '" + cli.Write("d.xml", kDoc) + "'");
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(r.err.find("xml.not_found") != std::string::npos);
  r = cli.Exec("c14n '" + cli.Write("rel.xml", "<p:a xmlns:p=\"rel\"/>") + "'");
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(r.err.find("xml.namespace") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(usage_errors_exit_2) {
  Cli cli;
  Run r = cli.Exec("c14n does-not-exist.xml");
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(r.err.find("does-not-exist.xml") != std::string::npos);
  BOOST_TEST(cli.Exec("c14n").exit_code == 2);
  BOOST_TEST(cli.Exec("c14n --bogus x.xml").exit_code == 2);
}

BOOST_AUTO_TEST_CASE(help_documents_every_option) {
  Cli cli;
  const Run r = cli.Exec("c14n --help");
  BOOST_TEST(r.exit_code == 0);
  for (const char* option : {"--with-comments", "--inclusive-namespaces", "--id", "FILE"}) {
    BOOST_TEST(r.out.find(option) != std::string::npos, option);
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace claimgate::cli
