#pragma once

// Prometheus counters for serve: decisions by error code, ACS latency, provisioning actions,
// HTTP responses by status. Thread-safe; Render() gives the text exposition format.

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "pipeline/process.h"

namespace claimgate::server {

class Metrics {
 public:
  // One ACS decision: its code ("" when accepted), stage times, provisioning action.
  void RecordDecision(const pipeline::Decision& d);
  void RecordHttp(int status);
  std::string Render() const;

  // The histogram's upper bounds, in seconds.
  static constexpr std::array<double, 10> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,  0.1,    0.25,  0.5,  1.0};

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::uint64_t> decisions_;  // code → count ("" = accepted)
  std::map<std::string, std::uint64_t> actions_;    // created | updated | unchanged | none
  std::map<int, std::uint64_t> http_;
  std::array<std::uint64_t, kBuckets.size()> bucket_counts_{};
  std::uint64_t latency_count_ = 0;
  double latency_sum_ = 0;
};

}  // namespace claimgate::server
