#pragma once

// Friend API of storage/audit.h for tests only: rows dated at a chosen instant, so time filters
// can be tested. Production code appends with AppendAudit, which reads the wall clock.

#include "base/clock.h"
#include "storage/audit.h"

namespace claimgate::storage::internal {

Result<AuditEntry> AppendAuditAt(Txn& txn, const AuditRecord& record, TimePoint time);

}  // namespace claimgate::storage::internal
