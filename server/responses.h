#pragma once

// Helpers the route handlers share (internal to server/).

#include <nlohmann/json.hpp>
#include <string>

#include "server/app.h"

namespace claimgate::server {

bool WantsJson(const HttpRequest& r);  // Accept names application/json
HttpResponse JsonResponse(int status, const nlohmann::ordered_json& j);
HttpResponse HtmlResponse(int status, std::string body);
// Constant-time comparison of a presented bearer token with the configured one.
bool TokenMatches(const std::string& given, const std::string& expected);

}  // namespace claimgate::server
