#include "cli/storage_cli.h"

#include <algorithm>
#include <cstdio>
#include <iostream>

#include "cli/exit_codes.h"

namespace claimgate::cli {

std::optional<storage::Db> OpenDbOrReport(const std::string& path, DbAccess access) {
  storage::DbOptions options;
  options.create_if_missing = access == DbAccess::kCreate;
  options.read_only = access == DbAccess::kRead;
  Result<storage::Db> db = storage::Db::Open(path, options);
  if (!db.ok()) {
    (void)ReportError(db.status());
    return std::nullopt;
  }
  return *std::move(db);
}

int ReportError(const Status& s) {
  std::cerr << "claimgate: " << s.code() << ": " << Printable(s.message()) << "\n";
  return ExitCodeForError(s);
}

std::string Printable(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", u);
      out += buf;
    } else {
      out += c;
    }
  }
  return out;
}

namespace {

// Display width, counting UTF-8 continuation bytes as nothing.
std::size_t Width(const std::string& s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

void PrintRow(const std::vector<std::string>& cells, const std::vector<std::size_t>& widths) {
  std::string line;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    line += cells[i];
    if (i + 1 < cells.size()) line += std::string(widths[i] - Width(cells[i]) + 2, ' ');
  }
  std::cout << line << "\n";
}

}  // namespace

void PrintTable(const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::vector<std::string>> all;
  all.push_back(header);
  for (const auto& row : rows) {
    std::vector<std::string> clean;
    for (const std::string& cell : row) clean.push_back(Printable(cell));
    all.push_back(std::move(clean));
  }
  std::vector<std::size_t> widths(header.size(), 0);
  for (const auto& row : all) {
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], Width(row[i]));
    }
  }
  for (const auto& row : all) PrintRow(row, widths);
}

}  // namespace claimgate::cli
