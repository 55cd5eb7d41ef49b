// One SP identity (entity ID + ACS URL) per stored connection (pipeline/connection.h).
#include "pipeline/connection.h"
#include "storage/connections.h"

namespace claimgate::pipeline {

Status CheckSpConflict(storage::Db& db, const ConnectionConfig& config) {
  Result<std::vector<storage::ConnectionRecord>> all = storage::ListConnections(db);
  if (!all.ok()) return all.status();
  for (const storage::ConnectionRecord& record : *all) {
    if (record.name == config.name) continue;
    Result<ConnectionConfig> other = FromStoredJson(record.config_json, record.name);
    if (!other.ok()) continue;  // unreadable rows fail at their own load
    if (other->sp_entity_id == config.sp_entity_id && other->acs_url == config.acs_url) {
      return Status::Error(
          errors::kProvisioningSpConflict,
          "$.sp: connection '" + record.name + "' already has entity_id '" + config.sp_entity_id +
              "' and acs_url '" + config.acs_url +
              "'; a response for one would be accepted by both (give each connection its own "
              "acs_url, e.g. https://sp.example/saml/" +
              config.name + "/acs)");
    }
  }
  return Status::Ok();
}

}  // namespace claimgate::pipeline
