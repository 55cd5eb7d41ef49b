#pragma once

// Status and Result<T> are public (include/claimgate/status.h, installed with the embedding
// API); the registry of error codes they carry is internal (base/error_codes.h).
#include "base/error_codes.h"
#include "claimgate/status.h"
