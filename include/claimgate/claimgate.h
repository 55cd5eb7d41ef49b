#pragma once

// The embedding API (DESIGN.md "Embedding"): a product links claimgate::claimgate, opens the
// store its connections live in, and runs each posted SAMLResponse through one of them. A
// Decision is exactly what `claimgate process` prints.
//
//   claimgate::Result<claimgate::Engine> engine = claimgate::Engine::Open("claimgate.db");
//   if (!engine.ok()) { ... engine.status().code() ... }
//   claimgate::Decision d = engine->Process("acme-flex", form_value);
//   if (d.accepted()) sign_in(d.subject()); else log(d.code());
//
// Connections are added with `claimgate connection add FILE` (the CLI writes the same store).

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "claimgate/status.h"
#include "claimgate/version.h"

// libclaimgate is built with hidden visibility: only what is marked here is exported.
#if defined(__GNUC__)
#define CLAIMGATE_EXPORT __attribute__((visibility("default")))
#else
#define CLAIMGATE_EXPORT
#endif

namespace claimgate {

// What one login asks of the engine besides the posted bytes.
struct LoginContext {
  // The instant the assertion's validity window is checked at; the system clock when unset.
  std::optional<std::chrono::system_clock::time_point> now;
  // The AuthnRequest ID this response must answer (SP-initiated sign-on), when the product
  // started the sign-on itself; unset: the response must be unsolicited and the connection
  // must allow IdP-initiated sign-on.
  std::optional<std::string> in_response_to;
  std::string client_addr;  // recorded in the audit row ("" when unknown)
};

// The decision on one login. Move-only.
class CLAIMGATE_EXPORT Decision {
 public:
  Decision(Decision&&) noexcept;
  Decision& operator=(Decision&&) noexcept;
  ~Decision();

  bool accepted() const;
  // "" when accepted, else the stable error code ("signature.digest_mismatch").
  std::string_view code() const;
  // Why, for operators ("" when accepted). Never the private detail (that is in the audit row).
  const std::string& message() const;
  // The verified NameID ("" when verification failed) and the account signed in (0 unless
  // accepted), and the audit row the decision wrote (0 only if even that failed).
  const std::string& subject() const;
  std::int64_t user_id() const;
  std::int64_t audit_id() const;
  // The very JSON object `claimgate process` prints, on one line.
  std::string ToJson() const;

 private:
  friend class Engine;
  struct Impl;
  explicit Decision(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// One open store and the connections loaded from it. Move-only. Not thread-safe: use one Engine
// per thread (they may share the store; SQLite serializes writers, each decision is one
// transaction).
class CLAIMGATE_EXPORT Engine {
 public:
  // Opens (creating or migrating) the store: a SQLite path. Fails with storage.* (open, busy,
  // schema_too_new, corrupt).
  static Result<Engine> Open(const std::string& db);

  // Runs one SAMLResponse (raw XML or the base64 form value) through the stored connection
  // `connection`: verify, map, provision, audit — exactly what `claimgate process` does. An
  // unknown connection is provisioning.unknown_connection (no audit row: there is no tenant to
  // file it under). Never throws.
  Decision Process(std::string_view connection, std::string_view saml_response,
                   const LoginContext& context = {});

  Engine(Engine&&) noexcept;
  Engine& operator=(Engine&&) noexcept;
  ~Engine();

 private:
  struct Impl;
  explicit Engine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// "X.Y.Z", as CLAIMGATE_VERSION and `claimgate --version`.
CLAIMGATE_EXPORT const char* Version();

}  // namespace claimgate
