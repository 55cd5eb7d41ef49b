// claimgate c14n: the exclusive canonical form of one element of a document (debugging signed
// messages, and the oracle side of tests/engine/xml/c14n_differential.py).
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/io.h"
#include "engine/xml/c14n.h"
#include "engine/xml/document.h"

namespace claimgate::cli {
namespace {

struct C14nArgs {
  bool with_comments = false;
  std::string inclusive;
  std::string id;
  std::string file;
};

int Run(const C14nArgs& args) {
  Result<std::string> read = ReadArg(args.file);
  if (!read.ok()) {
    std::cerr << "claimgate c14n: " << read.status().code() << ": " << read.status().message()
              << "\n";
    return kExitUsage;
  }
  const std::string& bytes = *read;
  xml::ParseOptions parse_options;
  parse_options.allow_processing_instructions = true;
  Result<xml::Document> doc = xml::Document::Parse(bytes, parse_options);
  if (!doc.ok()) {
    std::cerr << doc.status().code() << ": " << args.file << ": " << doc.status().message() << "\n";
    return kExitRejected;
  }
  pugi::xml_node el = doc->root();
  if (!args.id.empty()) {
    el = doc->FindById(args.id);
    if (!el) {
      std::cerr << "xml.not_found: " << args.file << ": no element has the ID '" << args.id
                << "'\n";
      return kExitRejected;
    }
  }
  xml::C14nOptions options;
  options.with_comments = args.with_comments;
  std::istringstream prefixes(args.inclusive);
  for (std::string p; prefixes >> p;) options.inclusive_prefixes.push_back(p);
  std::string out;
  const Status s = xml::Canonicalize(el, options, out);
  if (!s.ok()) {
    std::cerr << s.code() << ": " << args.file << ": " << s.message() << "\n";
    return kExitRejected;
  }
  std::cout.write(out.data(), static_cast<std::streamsize>(out.size()));
  std::cout.flush();
  return kExitAccepted;
}

}  // namespace

void AddC14nCommand(CLI::App& app, CliContext& ctx) {
  auto args = std::make_shared<C14nArgs>();
  CLI::App* cmd = app.add_subcommand(
      "c14n",
      "Print the Exclusive XML Canonicalization 1.0 form of an element (the document element, "
      "or the one whose ID/Id/xml:id/AssertionID/ResponseID is --id). The document goes through "
      "the same hardened parse as SAML messages, except that processing instructions are kept. "
      "Exit 0 printed, 1 document refused (code on stderr), 2 usage error.");
  cmd->add_flag("--with-comments", args->with_comments,
                "Keep comments (the #WithComments variant of the algorithm)");
  cmd->add_option("--inclusive-namespaces", args->inclusive,
                  "InclusiveNamespaces PrefixList: space-separated prefixes, '#default' for the "
                  "default namespace");
  cmd->add_option("--id", args->id,
                  "Canonicalize the element carrying this ID-like attribute value instead of "
                  "the document element");
  cmd->add_option("FILE", args->file, "XML document to read, or - for standard input")->required();
  cmd->callback([args, &ctx] { ctx.exit_code = Run(*args); });
}

}  // namespace claimgate::cli
