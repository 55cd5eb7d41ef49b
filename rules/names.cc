// The built-in alias table and source-attribute resolution. The table lists the names real
// IdPs send (../shared/MAPPING-NOTES.md section 4: Okta, Entra, AD FS, Google, OneLogin,
// Keycloak, eduPerson OIDs). A name belongs to at most one group.
#include "rules/names.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "rules/rule_set.h"

namespace claimgate::rules {
namespace {

struct AliasGroup {
  std::string_view key;
  std::vector<std::string_view> names;  // views: lengths known, no strlen per compare
};

const std::vector<AliasGroup>& AliasTable() {
  static const std::vector<AliasGroup> kTable = {
      {"email",
       {"email", "Email", "mail", "emailAddress", "emailaddress", "User.email",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
        "http://schemas.microsoft.com/ws/2008/06/identity/claims/emailaddress",
        "urn:oid:0.9.2342.19200300.100.1.3", "urn:oid:1.2.840.113549.1.9.1"}},
      {"firstName",
       {"firstName", "FirstName", "first_name", "firstname", "givenName", "given_name", "givenname",
        "User.FirstName", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
        "http://schemas.microsoft.com/ws/2008/06/identity/claims/givenname", "urn:oid:2.5.4.42"}},
      {"lastName",
       {"lastName", "LastName", "last_name", "lastname", "sn", "surname", "family_name",
        "familyName", "User.LastName",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
        "http://schemas.microsoft.com/ws/2008/06/identity/claims/surname", "urn:oid:2.5.4.4"}},
      {"displayName",
       {"displayName", "displayname", "display_name", "full_name", "fullName", "fullname",
        "http://schemas.microsoft.com/identity/claims/displayname",
        "urn:oid:2.16.840.1.113730.3.1.241"}},
      {"commonName",
       {"cn", "commonName", "http://schemas.xmlsoap.org/claims/CommonName", "urn:oid:2.5.4.3"}},
      {"groups",
       {"groups", "Groups", "group", "Group", "memberOf", "isMemberOf",
        "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups",
        "http://schemas.xmlsoap.org/claims/Group", "urn:oid:1.3.6.1.4.1.5923.1.5.1.1"}},
      {"roles", {"roles", "Roles", "role", "Role", "User Roles"}},
      {"userType", {"userType", "UserType", "user_type"}},
      {"image_url", {"image_url", "imageUrl", "picture", "photo", "thumbnailPhoto"}},
      {"upn",
       {"upn", "userPrincipalName", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn"}},
      {"uid", {"uid", "urn:oid:0.9.2342.19200300.100.1.1"}},
      {"eduPersonPrincipalName",
       {"eduPersonPrincipalName", "eppn", "urn:oid:1.3.6.1.4.1.5923.1.1.1.6"}},
      {"eduPersonAffiliation", {"eduPersonAffiliation", "urn:oid:1.3.6.1.4.1.5923.1.1.1.1"}},
      {"eduPersonEntitlement", {"eduPersonEntitlement", "urn:oid:1.3.6.1.4.1.5923.1.1.1.7"}},
  };
  return kTable;
}

bool Equal(std::string_view a, std::string_view b, bool ignore_case) {
  if (a.size() != b.size()) return false;
  if (!ignore_case) return a == b;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

int GroupOf(std::string_view name, bool ignore_case) {
  const auto& table = AliasTable();
  for (std::size_t g = 0; g < table.size(); ++g) {
    if (Equal(name, table[g].key, ignore_case)) return static_cast<int>(g);
    for (std::string_view n : table[g].names) {
      if (Equal(name, n, ignore_case)) return static_cast<int>(g);
    }
  }
  return -1;
}

bool InGroup(std::string_view name, int group, bool ignore_case) {
  if (name.empty()) return false;
  for (std::string_view n : AliasTable()[static_cast<std::size_t>(group)].names) {
    if (Equal(name, n, ignore_case)) return true;
  }
  return false;
}

}  // namespace

NameRef MakeNameRef(std::string name, std::string name_format, bool ignore_case) {
  NameRef r;
  r.alias_group = GroupOf(name, ignore_case);
  r.name = std::move(name);
  r.name_format = std::move(name_format);
  r.ignore_case = ignore_case;
  return r;
}

Status FindAttribute(const Claims& claims, const NameRef& ref, Match* out) {
  *out = Match{};
  static const char* const kHow[] = {"name", "friendly_name", "alias"};
  for (int tier = 0; tier < 3; ++tier) {
    if (tier == 2 && ref.alias_group < 0) break;
    const Attribute* found = nullptr;
    for (const Attribute& a : claims.attributes) {
      if (a.values.empty()) continue;
      if (!ref.name_format.empty() && a.name_format != ref.name_format) continue;
      const bool hit = tier == 0   ? Equal(a.name, ref.name, ref.ignore_case)
                       : tier == 1 ? (!a.friendly_name.empty() &&
                                      Equal(a.friendly_name, ref.name, ref.ignore_case))
                                   : (InGroup(a.name, ref.alias_group, ref.ignore_case) ||
                                      InGroup(a.friendly_name, ref.alias_group, ref.ignore_case));
      if (!hit) continue;
      if (found != nullptr && found != &a) {
        return Status::Error(errors::kRulesAmbiguousAttribute,
                             "'" + ref.name + "' matches both '" + found->name + "' and '" +
                                 a.name + "' (by " + kHow[tier] + ")");
      }
      found = &a;
    }
    if (found != nullptr) {
      out->attr = found;
      out->how = kHow[tier];
      return Status::Ok();
    }
  }
  return Status::Ok();
}

bool RefersTo(const NameRef& ref, const Attribute& a) {
  if (!ref.name_format.empty() && a.name_format != ref.name_format) return false;
  if (Equal(a.name, ref.name, ref.ignore_case)) return true;
  if (!a.friendly_name.empty() && Equal(a.friendly_name, ref.name, ref.ignore_case)) return true;
  return ref.alias_group >= 0 && (InGroup(a.name, ref.alias_group, ref.ignore_case) ||
                                  InGroup(a.friendly_name, ref.alias_group, ref.ignore_case));
}

bool IsGroupsRef(const NameRef& ref) {
  return ref.alias_group >= 0 &&
         AliasTable()[static_cast<std::size_t>(ref.alias_group)].key == "groups";
}

bool HasGroupsOverflow(const Claims& claims) {
  for (const Attribute& a : claims.attributes) {
    if (a.name == "http://schemas.microsoft.com/claims/groups.link" ||
        a.name == "http://schemas.microsoft.com/claims/groups.overage" || a.name == "groups.link" ||
        a.friendly_name == "groups.link") {
      return true;
    }
  }
  return false;
}

std::vector<AliasDoc> Aliases() {
  std::vector<AliasDoc> out;
  for (const AliasGroup& g : AliasTable()) {
    AliasDoc d{std::string(g.key), {}};
    for (std::string_view n : g.names) {
      if (n != g.key) d.names.emplace_back(n);
    }
    out.push_back(std::move(d));
  }
  return out;
}

std::string_view AliasKeyOf(std::string_view name) {
  const int g = GroupOf(name, false);
  return g < 0 ? std::string_view() : AliasTable()[static_cast<std::size_t>(g)].key;
}

}  // namespace claimgate::rules
