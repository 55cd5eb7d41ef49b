// claimgate error-codes: the registry, for people (a table) and for the README (--markdown).
#include <algorithm>
#include <cstddef>
#include <iostream>
#include <memory>
#include <string>

#include "base/error_codes.h"
#include "cli/commands.h"

namespace claimgate::cli {

void AddErrorCodesCommand(CLI::App& app, CliContext& /*ctx*/) {
  CLI::App* cmd = app.add_subcommand("error-codes", "List every error code and its meaning");
  auto markdown = std::make_shared<bool>(false);
  cmd->add_flag("--markdown", *markdown, "Print the README table rows");
  cmd->callback([markdown] {
    std::size_t n = 0;
    const ErrorCode* const* all = AllErrorCodes(&n);
    for (std::size_t i = 0; i < n; ++i) {
      if (*markdown) {
        std::cout << "| `" << all[i]->id << "` | " << all[i]->doc << " |\n";
      } else {
        std::string id = all[i]->id;
        id.resize(std::max<std::size_t>(id.size(), 36), ' ');
        std::cout << id << "  " << all[i]->doc << "\n";
      }
    }
  });
}

}  // namespace claimgate::cli
