#include "server/metrics.h"

#include <cstdio>

namespace claimgate::server {

namespace {

std::string Number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

}  // namespace

void Metrics::RecordDecision(const pipeline::Decision& d) {
  const double seconds =
      static_cast<double>(d.times.verify_us + d.times.map_us + d.times.provision_us) / 1e6;
  std::lock_guard<std::mutex> lock(mu_);
  ++decisions_[std::string(d.status.code())];
  ++actions_[pipeline::ProvisionActionName(d.provisioning.action)];
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++bucket_counts_[i];  // cumulative, as Prometheus wants
  }
  ++latency_count_;
  latency_sum_ += seconds;
}

void Metrics::RecordHttp(int status) {
  std::lock_guard<std::mutex> lock(mu_);
  ++http_[status];
}

std::string Metrics::Render() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::string out;
  out += "# HELP claimgate_decisions_total ACS decisions by outcome and error code.\n";
  out += "# TYPE claimgate_decisions_total counter\n";
  for (const auto& [code, n] : decisions_) {
    out += "claimgate_decisions_total{decision=\"" +
           std::string(code.empty() ? "accepted" : "rejected") + "\",code=\"" + code + "\"} " +
           std::to_string(n) + "\n";
  }
  out += "# HELP claimgate_provisioning_actions_total Provisioning actions of ACS decisions.\n";
  out += "# TYPE claimgate_provisioning_actions_total counter\n";
  for (const auto& [action, n] : actions_) {
    out += "claimgate_provisioning_actions_total{action=\"" + action + "\"} " + std::to_string(n) +
           "\n";
  }
  out += "# HELP claimgate_login_duration_seconds Time in verify, map and provision per login.\n";
  out += "# TYPE claimgate_login_duration_seconds histogram\n";
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    out += "claimgate_login_duration_seconds_bucket{le=\"" + Number(kBuckets[i]) + "\"} " +
           std::to_string(bucket_counts_[i]) + "\n";
  }
  out += "claimgate_login_duration_seconds_bucket{le=\"+Inf\"} " + std::to_string(latency_count_) +
         "\n";
  out += "claimgate_login_duration_seconds_sum " + Number(latency_sum_) + "\n";
  out += "claimgate_login_duration_seconds_count " + std::to_string(latency_count_) + "\n";
  out += "# HELP claimgate_http_responses_total HTTP responses by status.\n";
  out += "# TYPE claimgate_http_responses_total counter\n";
  for (const auto& [status, n] : http_) {
    out += "claimgate_http_responses_total{status=\"" + std::to_string(status) + "\"} " +
           std::to_string(n) + "\n";
  }
  return out;
}

}  // namespace claimgate::server
