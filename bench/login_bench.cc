// login_bench: logins per second end to end in one process — verify, map, provision — for new
// users and for returning users, with the SQLite settings printed. A benchmark, not a test.
//
//   login_bench --cert IDP.pem --idp-entity-id ID --sp-entity-id ID --acs-url URL --now T
//               --in-response-to REQ [--normal] DIR      (the *.xml of tests' --bulk output)
// The first half of DIR's responses create users; the second half's subjects are created
// beforehand by an admin, so their logins are returning-user updates.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "base/civil_time.h"
#include "pipeline/process.h"
#include "storage/admin.h"
#include "storage/connections.h"
#include "storage/sqlite.h"
#include "storage/users.h"

namespace cg = claimgate;

namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Totals {
  long long verify = 0, map = 0, provision = 0;
  int accepted = 0, n = 0;
};

void Print(const char* what, const Totals& t) {
  const double n = t.n;
  const double total = static_cast<double>(t.verify + t.map + t.provision);
  std::printf(
      "  %-15s %5d logins (%d accepted): verify %7.1f us  map %6.1f us  provision %7.1f us"
      "  -> %6.0f logins/s\n",
      what, t.n, t.accepted, static_cast<double>(t.verify) / n, static_cast<double>(t.map) / n,
      static_cast<double>(t.provision) / n, n * 1e6 / total);
}

}  // namespace

int main(int argc, char** argv) {
  std::string cert, idp, sp, acs, now_text, request, dir;
  bool normal = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--cert")
      cert = next();
    else if (a == "--idp-entity-id")
      idp = next();
    else if (a == "--sp-entity-id")
      sp = next();
    else if (a == "--acs-url")
      acs = next();
    else if (a == "--now")
      now_text = next();
    else if (a == "--in-response-to")
      request = next();
    else if (a == "--normal")
      normal = true;
    else
      dir = a;
  }
  const std::optional<cg::TimePoint> now = cg::ParseDateTime(now_text);
  if (cert.empty() || idp.empty() || sp.empty() || acs.empty() || !now || dir.empty()) {
    std::fprintf(stderr,
                 "usage: login_bench --cert PEM --idp-entity-id ID --sp-entity-id ID "
                 "--acs-url URL --now T --in-response-to REQ [--normal] DIR\n");
    return 2;
  }
  cg::pipeline::ConnectionConfig config;
  config.name = "bench";
  config.profile = "sendgrid";
  config.sp_entity_id = sp;
  config.acs_url = acs;
  config.idp_entity_id = idp;
  config.idp_certificates_pem.push_back(ReadFile(cert));
  config.mode = cg::pipeline::ProvisioningMode::kJit;
  config.default_permissions = {"restricted"};
  cg::Result<cg::pipeline::Connection> connection = cg::pipeline::Connection::Load(config);
  if (!connection.ok()) {
    std::fprintf(stderr, "%s\n", connection.status().message().c_str());
    return 2;
  }
  const std::string db_path = (std::filesystem::temp_directory_path() /
                               ("login_bench-" + std::to_string(::getpid()) + ".db"))
                                  .string();
  cg::storage::DbOptions options;
  options.synchronous_full = !normal;
  cg::Result<cg::storage::Db> db = cg::storage::Db::Open(db_path, options);
  if (!db.ok()) return 2;
  {
    cg::Result<cg::storage::Txn> txn = cg::storage::Txn::BeginImmediate(*db);
    if (!txn.ok() ||
        !cg::storage::PutConnection(*txn, "bench", cg::pipeline::ToStoredJson(config), *now).ok() ||
        !txn->Commit().ok()) {
      return 2;
    }
  }
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() == ".xml") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  const std::size_t half = files.size() / 2;
  std::vector<std::string> raw;
  for (const std::string& f : files) raw.push_back(ReadFile(f));

  // Returning users: an admin creates the second half's subjects first.
  for (std::size_t i = half; i < raw.size(); ++i) {
    cg::Result<cg::saml::Assertion> a = connection->verifier().Verify(raw[i], *now);
    if (!a.ok()) continue;
    cg::storage::NewUser u;
    u.connection = "bench";
    u.subject = a->claims.subject;
    u.origin = cg::storage::UserOrigin::kAdmin;
    (void)cg::storage::AdminAddUser(*db, u, *now, "cli:bench");
  }
  cg::pipeline::LoginContext context;
  context.now = *now;
  if (!request.empty()) context.in_response_to = request;
  Totals fresh, returning;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const cg::pipeline::Decision d = cg::pipeline::Process(*connection, raw[i], context, *db);
    Totals& t = i < half ? fresh : returning;
    t.verify += d.times.verify_us;
    t.map += d.times.map_us;
    t.provision += d.times.provision_us;
    t.accepted += d.accepted() ? 1 : 0;
    ++t.n;
  }
  std::printf(
      "login_bench: SQLite WAL, synchronous=%s, busy_timeout=%d ms, one transaction per "
      "login, database %s\n",
      normal ? "NORMAL" : "FULL", options.busy_timeout_ms, db_path.c_str());
  Print("new users", fresh);
  Print("returning users", returning);
  std::filesystem::remove(db_path);
  std::filesystem::remove(db_path + "-wal");
  std::filesystem::remove(db_path + "-shm");
  return fresh.accepted == fresh.n && returning.accepted == returning.n ? 0 : 1;
}
