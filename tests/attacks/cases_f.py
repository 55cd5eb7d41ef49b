"""SECURITY.md F (protocol semantics), D13/D14/F11 (claims the IdP itself signed), E05
(malformed values) and the accepted baselines.

Every document here is freshly signed by the IdP key with the property under test built in,
so the signature is valid and only the SAML rule can reject. Replay (F01) and unsolicited
responses (F06) need storage and connection policy: `process` tests them, not this suite.
"""
import base64

import mut as M
from case import B, Case, G, S, accept, reject, same

LATE = "2026-01-15T11:50:00Z"
FUTURE = "2026-01-15T12:30:00Z"
HOK = "urn:oasis:names:tc:SAML:2.0:cm:holder-of-key"


def scm(**kw):
    c = {"method": B.BEARER, "recipient": B.ACS, "not_after": B.NOT_AFTER, "irt": B.REQ}
    c.update(kw)
    return [c]


def ok(**kw):
    return G.okta(**kw)


def f_cases():
    t = [("f02.conditions_expired", ok(not_after=LATE), "time.expired",
          "Conditions NotOnOrAfter 10 min ago (skew 120 s)"),
         ("f02.not_yet_valid", ok(not_before="2026-01-15T12:10:00Z"), "time.not_yet_valid",
          "Conditions NotBefore in 10 min"),
         ("f02.issue_instant_future", ok(a_issue=FUTURE), "time.issue_instant",
          "Assertion IssueInstant 30 min ahead"),
         ("f02.bearer_without_not_on_or_after", ok(scm=scm(not_after=None)),
          "subject.confirmation_no_expiry", "bearer SCD must carry NotOnOrAfter"),
         ("f02.bearer_expired", ok(scm=scm(not_after=LATE)), "subject.confirmation_expired",
          "SCD NotOnOrAfter passed, Conditions still valid"),
         ("f03.audience_wrong", ok(audiences=[["https://other-sp.test"]]), "audience.mismatch",
          "the only restriction names another SP"),
         ("f03.audience_missing", ok(audiences=[]), "audience.missing",
          "Conditions without AudienceRestriction"),
         ("f03.two_restrictions_one_ours", ok(audiences=[[B.SP], ["https://other-sp.test"]]),
          "audience.mismatch", "every restriction must hold us (AND across restrictions)"),
         ("f04.recipient_wrong", ok(scm=scm(recipient="https://sp.example.test/other-acs")),
          "recipient.mismatch", "SCD Recipient is another ACS"),
         ("f04.recipient_missing", ok(scm=scm(recipient=None)), "recipient.missing",
          "bearer SCD without Recipient"),
         ("f04.destination_wrong", ok(destination="https://evil.test/acs"),
          "destination.mismatch", "signed Response Destination is another URL"),
         ("f04.destination_wrong_unsigned_response", G.entra(destination="https://evil.test/"),
          "destination.mismatch", "Destination present (unsigned) must still match"),
         ("f04.signed_response_without_destination", ok(destination=None),
          "destination.missing", "a signed Response must carry Destination (SECURITY F04)"),
         ("f04.destination_case_differs", ok(destination=B.ACS.replace("sp.example", "SP.example")),
          "destination.mismatch", "URLs compare exactly (H05)"),
         ("f04.recipient_trailing_slash", ok(scm=scm(recipient=B.ACS + "/")),
          "recipient.mismatch", "exact comparison, no normalization"),
         ("f03.audience_trailing_slash", ok(audiences=[[B.SP + "/"]]), "audience.mismatch",
          "exact comparison, no normalization"),
         ("f07.issuers_differ", ok(response_issuer="https://other-idp.test"),
          "issuer.inconsistent", "Response Issuer A wraps Assertion Issuer B"),
         ("f07.assertion_issuer_missing", ok(issuer=None), "issuer.missing",
          "the Assertion has no Issuer"),
         ("f07.assertion_issuer_empty", ok(issuer="", response_issuer=""), "saml.empty_value",
          "empty Issuer"),
         ("f08.status_requester", ok(status="urn:oasis:names:tc:SAML:2.0:status:Requester"),
          "saml.status", "non-Success Response with a signed Assertion"),
         ("f09.unknown_condition", ok(extra_conditions=(
             '<saml2:Condition xmlns:x="urn:x" xsi:type="x:Foo"/>')), "saml.unknown_condition",
          "fail closed on an unknown Condition"),
         ("f09.unknown_condition_element", ok(extra_conditions='<x:Foo xmlns:x="urn:x"/>'),
          "saml.unknown_condition", "a stranger element in Conditions"),
         ("f10.holder_of_key_only", ok(scm=scm(method=HOK)), "subject.no_bearer",
          "no bearer SubjectConfirmation"),
         ("f10.sender_vouches_only", ok(scm=scm(
             method="urn:oasis:names:tc:SAML:2.0:cm:sender-vouches")), "subject.no_bearer",
          "no bearer SubjectConfirmation"),
         ("f10.no_subject_confirmation", ok(scm=[]), "subject.no_bearer",
          "Subject without any SubjectConfirmation"),
         ("saml.version_1_1", ok(version="1.1"), "saml.version", "Response Version 1.1")]
    c = [Case(n, n.split(".")[0].upper(), d, same, reject(code), why)
         for n, d, code, why in t]
    for case in c:
        if case.name in ("f07.assertion_issuer_empty", "f07.issuers_differ"):
            case.entity_id = False  # else issuer.mismatch would be equally right
    for case in c:
        if case.name.startswith("saml."):
            case.row = "F11"
    irt = ["--in-response-to", B.REQ]
    c += [Case("f05.in_response_to_mismatch", "F05", ok(), same,
               reject("in_response_to.mismatch"), "SCD answers _req-7c1f0e2b, we sent _other",
               args=["--in-response-to", "_other"]),
          Case("f05.in_response_to_missing", "F05", ok(response_irt=None, scm=scm(irt=None)),
               same, reject("in_response_to.missing"), "request ID expected, none answered",
               args=irt),
          Case("f05.in_response_to_only_on_response", "F05",
               G.entra(scm=scm(irt=None)), same, reject("in_response_to.missing"),
               "only the unsigned Response names the request: the signed SCD must", args=irt),
          # SECURITY.md C06 (a stolen IdP key) cannot be caught by cryptography; what bounds
          # it here is that trust is per connection (the F07 cases: the expected Issuer and only
          # that connection's keys), short validity windows (E rows) and the replay cache.
          Case("f07.issuer_not_expected_idp", "F07", ok(issuer="https://other-idp.test",
                                                        response_issuer="https://other-idp.test"),
               same, reject("issuer.mismatch"), "Issuer is not --idp-entity-id"),
          Case("f07.expected_idp_differs", "F07", "okta", same, reject("issuer.mismatch"),
               "--idp-entity-id names another IdP", args=["--idp-entity-id", "urn:other-idp"],
               entity_id=False),
          Case("f07.unsigned_response_issuer_forged", "F07", "entra", M.replace(
              '<Issuer xmlns="%s">%s</Issuer>' % (B.NS_A, B.IDP),
              '<Issuer xmlns="%s">https://other-idp.test</Issuer>' % B.NS_A),
               reject("issuer.inconsistent"), "the unsigned Response names another IdP",
               entity_id=False),
          Case("d14.nameid_with_element_child", "D14", S.DocSpec(
              G.p(), S.sig_spec(), S.sig_spec(), raw=B.build(G.p()).replace(
                  ">alice@example.com</saml2:NameID>",
                  ">alice<saml2:Foo/>@example.com</saml2:NameID>")), same,
               reject("saml.structure"), "IdP-signed NameID with an element child (DR12)"),
          Case("e03.base64_url_alphabet", "E03", "okta",
               lambda t: base64.urlsafe_b64encode(t.encode("utf-8") + b" " * 40),
               reject("input.bad_base64"), "URL-safe alphabet is not the form encoding"),
          Case("f02.now_far_after", "F02", "okta", same, reject("time.expired"),
               "same good response one hour later", now="2026-01-15T13:00:00Z"),
          Case("f02.clock_skew_zero", "F02", ok(not_after="2026-01-15T11:59:00Z"), same,
               reject("time.expired"), "60 s past NotOnOrAfter, --clock-skew 0",
               args=["--clock-skew", "0"]),
          Case("saml.encrypted_assertion", "F11", "entra", M.replace(
              "<samlp:Status>", '<saml:EncryptedAssertion xmlns:saml="%s"><xenc:EncryptedData '
              'xmlns:xenc="http://www.w3.org/2001/04/xmlenc#"/></saml:EncryptedAssertion>'
              "<samlp:Status>" % B.NS_A), reject("saml.encrypted_assertion"),
               "EncryptedAssertion next to the Assertion: decryption not supported")]
    return c


def structure_cases():
    nid2 = '<saml2:NameID Format="%s">%s</saml2:NameID>' % (G.B.EMAIL_FMT, M.FORGED)
    subj2 = ('<saml2:Subject><saml2:NameID>%s</saml2:NameID></saml2:Subject>' % M.FORGED)
    cond2 = ('<saml2:Conditions NotBefore="%s" NotOnOrAfter="%s"/>' % (B.NOT_BEFORE,
                                                                        B.NOT_AFTER))
    authn2 = ('<saml2:AuthnStatement AuthnInstant="%s"><saml2:AuthnContext><saml2:'
              'AuthnContextClassRef>x</saml2:AuthnContextClassRef></saml2:AuthnContext>'
              '</saml2:AuthnStatement>' % B.ISSUE)
    inj = 'x</saml2:AttributeValue></saml2:Attribute><saml2:Attribute Name="role">'
    t = [("d13.duplicate_attribute", ok(attributes=[("role", ["user"]), ("role", ["admin"])]),
          "saml.duplicate_attribute", "two Attributes Name=role, same NameFormat"),
         ("d13.duplicate_attribute_other_friendly_name",
          ok(attributes=[("role", ["user"]), ("role", ["admin"], [("FriendlyName", "r")])]),
          "saml.duplicate_attribute", "FriendlyName does not make them different"),
         ("d14.two_nameids", ok(subject_extra=nid2), "saml.structure",
          "a second NameID injected at the IdP"),
         ("d14.two_subjects", ok(assertion_extra=subj2), "saml.structure", "two Subjects"),
         ("f11.two_conditions", ok(assertion_extra=cond2), "saml.structure", "two Conditions"),
         ("f11.two_authn_statements", ok(assertion_extra=authn2), "saml.structure",
          "AuthnStatement required and unique"),
         ("f11.empty_subject", ok(nameid=None, scm=[]), "saml.structure", "an empty Subject"),
         ("f11.no_nameid", ok(nameid=None), "saml.structure", "Subject without NameID"),
         ("f11.empty_nameid", ok(nameid=""), "saml.empty_value", "empty NameID"),
         ("f11.no_conditions", ok(conditions=False), "saml.structure",
          "Conditions required and unique (F11)"),
         ("f11.no_authn_statement", ok(authn=False), "saml.structure",
          "AuthnStatement required (F11)"),
         ("d14.injected_attribute", ok(attributes=[("role", ["user"]), ("displayName", [inj])]),
          None, "escaped by the IdP: stays one displayName value")]
    c = []
    for n, d, code, why in t:
        row = n.split(".")[0].upper()
        if code is None:
            c.append(Case(n, row, d, same, accept(attrs={"displayName": [inj]}), why))
        else:
            c.append(Case(n, row, d, same, reject(code), why))
    return c


def e05_cases():
    t = [("issue_instant_month_13", ok(a_issue="2024-13-99T99:99:99Z")),
         ("not_on_or_after_empty", ok(not_after="")),
         ("timezone_offset", ok(not_after="2026-01-15T13:05:00+01:00")),
         ("no_timezone", ok(not_after="2026-01-15T12:05:00")),
         ("scd_garbage", ok(scm=scm(not_after="tomorrow"))),
         ("response_issue_instant_garbage", G.entra(issue="2026-02-30T00:00:00Z")),
         ("leap_second", ok(not_after="2026-01-15T12:05:60Z")),
         ("february_30", ok(not_after="2026-02-30T00:00:00Z")),
         ("response_issue_instant_month_13", G.entra(issue="2026-13-01T00:00:00Z"))]
    return [Case("e05.%s" % n, "E05", d, same, reject("saml.bad_time"),
                 "not an xs:dateTime in UTC (re-signed, so only the time parser rejects)")
            for n, d in t]


def good_cases():
    c = []
    for name, good in G.good_specs().items():
        c.append(Case("good." + name, "baseline", good.spec,
                      lambda t, post=good.post: post(t), accept(good.subject, good.attrs),
                      "genuine, must be accepted", args=good.args, cert=good.key))
    nfd = "e\u0301lise@example.com"
    padded = [("displayName", ["  two  spaces  ", "\ttab"]), ("email", ["alice@example.com"])]
    c += [Case("good.nfd_subject_not_normalized", "baseline", G.entra(nameid=nfd), same,
               accept(nfd), "identifiers compare exactly; no Unicode normalization (H05)"),
          Case("good.whitespace_kept_in_values", "baseline", G.entra(attributes=padded), same,
               accept(attrs=dict(padded)), "whole text, whitespace included")]
    okta_b64 = lambda t: base64.b64encode(t.encode("utf-8"))  # noqa: E731
    c += [Case("good.base64", "baseline", "okta", okta_b64, accept(),
               "SAMLResponse form value"),
          Case("good.base64_76_col_lines", "baseline", "okta",
               lambda t: base64.encodebytes(t.encode("utf-8")), accept(),
               "base64 with line breaks every 76 characters"),
          Case("good.base64_crlf_lines", "baseline", "okta",
               lambda t: base64.encodebytes(t.encode("utf-8")).replace(b"\n", b"\r\n"),
               accept(), "base64 with CRLF line breaks"),
          Case("good.base64_utf8_bom", "baseline", "okta",
               lambda t: b"\xef\xbb\xbf" + base64.b64encode(t.encode("utf-8")), accept(),
               "base64 with a UTF-8 BOM"),
          Case("good.single_quoted_declaration", "baseline", "okta",
               lambda t: t.replace('<?xml version="1.0" encoding="UTF-8"?>',
                                   "<?xml version='1.0' encoding='utf-8'?>", 1).encode(),
               accept(), "single quotes and lower-case utf-8 are a valid declaration"),
          Case("good.no_declaration", "baseline", "okta",
               lambda t: t.split("\n", 1)[1].encode(), accept(), "no XML declaration"),
          Case("good.stdin", "baseline", "okta", same, accept(), "FILE is '-'")]
    c[-1].stdin = True
    return c


def cases():
    return f_cases() + structure_cases() + e05_cases() + good_cases()
