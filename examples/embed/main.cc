// product_login: what a product's ACS handler does with claimgate embedded. Opens the store its
// connections live in, runs one posted SAMLResponse through a connection, and prints the
// decision (the JSON `claimgate process` prints) and a line for the product.
//
//   product_login DB CONNECTION RESPONSE_FILE
//
// Exit 0 accepted, 1 refused, 2 usage or store error.
#include <claimgate/claimgate.h>

#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: product_login DB CONNECTION RESPONSE_FILE\n";
    return 2;
  }
  std::ifstream in(argv[3], std::ios::binary);
  if (!in) {
    std::cerr << "product_login: cannot read " << argv[3] << "\n";
    return 2;
  }
  std::ostringstream posted;
  posted << in.rdbuf();

  claimgate::Result<claimgate::Engine> engine = claimgate::Engine::Open(argv[1]);
  if (!engine.ok()) {
    std::cerr << "product_login: " << engine.status().code() << ": " << engine.status().message()
              << "\n";
    return 2;
  }
  claimgate::LoginContext context;
  context.client_addr = "192.0.2.10";  // the browser's address, for the audit row
  const claimgate::Decision d = engine->Process(argv[2], posted.str(), context);
  std::cout << d.ToJson() << "\n";
  if (!d.accepted()) {
    std::cout << "refused: " << d.code() << " (audit row " << d.audit_id() << ")\n";
    return 1;
  }
  std::cout << "signed in: " << d.subject() << " as user " << d.user_id() << " (claimgate "
            << claimgate::Version() << ")\n";
  return 0;
}
