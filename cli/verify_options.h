#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "pipeline/verify.h"

namespace claimgate::cli {

// The options `verify` and `rules test --assertion` share: one IdP trust + SP expectations.
struct VerifyOptionsArgs {
  std::string idp_metadata;
  std::vector<std::string> idp_certs;
  std::string idp_entity_id;
  std::string sp_entity_id;
  std::string acs_url;
  std::string now;
  std::string in_response_to;
  bool allow_sha1 = false;
  int clock_skew = 120;
  std::size_t max_bytes = 1 << 20;
  std::size_t min_rsa_bits = 2048;
  bool require_signed_response = false;
  bool require_signed_assertion = false;
};

// Adds the options to `cmd`. With required=false the SP options become optional (for commands
// where verification is one of two input forms); BuildVerifier then checks them.
void AddVerifyOptions(CLI::App& cmd, VerifyOptionsArgs& args, bool required = true);

struct LoadedVerifier {
  pipeline::ResponseVerifier verifier;
  std::unique_ptr<Clock> clock;
};

// Reads the files the options name and builds the verifier; nullopt with a message naming the
// option and file at fault.
std::optional<LoadedVerifier> BuildVerifier(const VerifyOptionsArgs& args, std::string* error);

}  // namespace claimgate::cli
