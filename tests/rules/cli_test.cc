// `claimgate rules` as a process: check lists every independent problem, the README's example
// passes check and test, functions and aliases print the registries, and a number out of range
// in ATTRS.json is a coded usage error.
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/rules/rules_test_util.h"

namespace claimgate::rules::test {
namespace {

class Cli {
 public:
  Cli() {
    const char* bin = std::getenv("CLAIMGATE_BIN");
    const char* src = std::getenv("CLAIMGATE_SOURCE_DIR");
    BOOST_REQUIRE(bin != nullptr && src != nullptr);
    bin_ = bin;
    examples_ = std::string(src) + "/examples/rules/";
    BOOST_REQUIRE(std::system(("mkdir -p " + dir_).c_str()) == 0);
  }
  const std::string& dir() const { return dir_; }
  const std::string& examples() const { return examples_; }

  // Runs `claimgate ARGS`; stdout and stderr into *out and *err; returns the exit status.
  int Run(const std::string& args, std::string* out, std::string* err = nullptr) {
    const std::string cmd = bin_ + " " + args + " > " + dir_ + "/out.txt 2> " + dir_ + "/err.txt";
    const int rc = std::system(cmd.c_str());
    *out = Read(dir_ + "/out.txt");
    if (err != nullptr) *err = Read(dir_ + "/err.txt");
    return WEXITSTATUS(rc);
  }
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ + "/" + name, std::ios::binary) << text;
  }

 private:
  static std::string Read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }
  std::string bin_;
  std::string examples_;
  std::string dir_ = "rules_cli_more_tmp";
};

BOOST_AUTO_TEST_SUITE(rules_cli)

BOOST_AUTO_TEST_CASE(check_lists_every_independent_problem) {
  Cli cli;
  cli.Write("three.json",
            "{\"version\": 1,\n"
            " \"attributes\": {\n"
            "   \"roles\": {\"from\": \"groups\", \"multi\": true, \"transform\": [{\"regex\": "
            "\"a\", \"replace\": 1}]},\n"
            "   \"team\":  {\"value\": \"String.nope(user.department)\"},\n"
            "   \"email\": {\"from\": \"email\", \"format\": \"mail\"}}}\n");
  std::string out, err;
  BOOST_TEST(cli.Run("rules check " + cli.dir() + "/three.json", &out, &err) == 2);
  BOOST_TEST(out == "");
  const std::string f = cli.dir() + "/three.json";
  BOOST_TEST(err ==
             f +
                 ":3:87: $.attributes.roles.transform[0].replace: must be a string ($1..$9 "
                 "allowed) [rules.schema]\n" +
                 f +
                 ":4:24: $.attributes.team.value: unknown name 'String.nope' (at character 1 of "
                 "the expression) [rules.unknown_function]\n" +
                 f +
                 ":5:41: $.attributes.email.format: format is \"email\" or \"url\" (an absolute "
                 "http or https URL) [rules.schema]\n");
}

BOOST_AUTO_TEST_CASE(readme_example_checks_and_maps) {
  Cli cli;
  const std::string ex = cli.examples();
  std::string out, err;
  BOOST_TEST(cli.Run("rules check " + ex + "reference.json", &out, &err) == 0);
  BOOST_TEST(out == ex + "reference.json: ok (full_name, email, roles, image_url, team)\n");
  BOOST_TEST(cli.Run("rules check " + ex + "design-example.json", &out) == 0);
  // OneLogin: every group in one value; roles splits it, and the when rules read the result.
  BOOST_TEST(
      cli.Run("rules test " + ex + "reference.json --attributes " + ex + "onelogin-attrs.json",
              &out) == 0);
  BOOST_TEST(out ==
             "{\"decision\":\"accepted\",\"worker\":{\"full_name\":\"Sam Lee\",\"email\":"
             "\"sam.lee@example.com\",\"roles\":[\"supervisor\"],\"team\":"
             "\"support-leads\"}}\n");
  BOOST_TEST(cli.Run("rules test " + ex + "reference.json --attributes " + ex + "okta-attrs.json",
                     &out) == 0);
  BOOST_TEST(out ==
             "{\"decision\":\"accepted\",\"worker\":{\"full_name\":\"Jane Doe\",\"email\":"
             "\"jane.doe@example.com\",\"roles\":[\"agent\"],\"team\":\"support\"}}\n");
  BOOST_TEST(
      cli.Run("rules test " + ex + "reference.json --attributes " + ex + "outsider-attrs.json",
              &out) == 1);
  BOOST_TEST(out ==
             "{\"decision\":\"rejected\",\"error\":{\"code\":\"rules.denied\",\"message\":"
             "\"Flex sign-in needs one of the groups Flex Admins, Flex Supervisors or "
             "flex-agent\"}}\n");
}

BOOST_AUTO_TEST_CASE(functions_and_aliases_print_the_registries) {
  Cli cli;
  std::string out;
  BOOST_TEST(cli.Run("rules functions --markdown", &out) == 0);
  BOOST_TEST(out == FunctionsMarkdown());
  BOOST_TEST(cli.Run("rules functions", &out) == 0);
  BOOST_TEST(out.find("String.substring(input, start, end) -> string\n    The characters") !=
             std::string::npos);
  BOOST_TEST(cli.Run("rules aliases --markdown", &out) == 0);
  BOOST_TEST(out == AliasesMarkdown());
  BOOST_TEST(cli.Run("rules aliases", &out) == 0);
  BOOST_TEST(out.find("\nfirstName: FirstName first_name firstname givenName given_name givenname "
                      "User.FirstName http://schemas.xmlsoap.org/ws/2005/05/identity/claims/"
                      "givenname http://schemas.microsoft.com/ws/2008/06/identity/claims/"
                      "givenname urn:oid:2.5.4.42\n") != std::string::npos);
  BOOST_TEST(out.rfind("email: Email mail ", 0) == 0u);
}

BOOST_AUTO_TEST_CASE(attributes_file_number_out_of_range_is_a_coded_error) {
  Cli cli;
  cli.Write("big.json", "{\"subject\": \"s@x.io\", \"attributes\": {\"roles\": [1e999]}}");
  std::string out, err;
  BOOST_TEST(
      cli.Run("rules test profile:flex --attributes " + cli.dir() + "/big.json", &out, &err) == 2);
  BOOST_TEST(err == cli.dir() +
                        "/big.json:1:48: $.attributes.roles[0]: a number out of range "
                        "(beyond a double) [rules.json_syntax]\n");
  cli.Write("big-rules.json",
            "{\"version\": 1, \"attributes\": {\"a\": {\"from\": \"a\", "
            "\"max_values\": 1e999}}}");
  BOOST_TEST(cli.Run("rules check " + cli.dir() + "/big-rules.json", &out, &err) == 2);
  BOOST_TEST(err == cli.dir() +
                        "/big-rules.json:1:64: $.attributes.a.max_values: a number out "
                        "of range (beyond a double) [rules.json_syntax]\n");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace claimgate::rules::test
