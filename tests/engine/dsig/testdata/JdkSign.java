// Signs one element of an XML file with the JDK's own XML-DSig (javax.xml.crypto.dsig, Apache
// Santuario inside the JDK: the signer behind most Java IdPs), as an enveloped signature placed
// after the element's Issuer: exclusive c14n, rsa-sha256, one Reference to "#ID" with
// enveloped-signature + exclusive c14n, sha256, the certificate in KeyInfo/X509Data. Prints the
// Reference's pre-digest bytes (the JDK's canonical form) on stderr.
//
// Makes the checked-in *.jdk.xml fixtures of this folder (run from the repository root):
//   java tests/engine/dsig/testdata/JdkSign.java examples/idp/example-idp.key \
//       examples/idp/example-idp.pem tests/engine/dsig/testdata/ampersand_namespace.xml \
//       tests/engine/dsig/testdata/ampersand_namespace.jdk.xml _assert-1
import java.io.File;
import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import javax.xml.crypto.dsig.CanonicalizationMethod;
import javax.xml.crypto.dsig.DigestMethod;
import javax.xml.crypto.dsig.Reference;
import javax.xml.crypto.dsig.SignedInfo;
import javax.xml.crypto.dsig.Transform;
import javax.xml.crypto.dsig.XMLSignature;
import javax.xml.crypto.dsig.XMLSignatureFactory;
import javax.xml.crypto.dsig.dom.DOMSignContext;
import javax.xml.crypto.dsig.keyinfo.KeyInfo;
import javax.xml.crypto.dsig.keyinfo.KeyInfoFactory;
import javax.xml.crypto.dsig.spec.C14NMethodParameterSpec;
import javax.xml.crypto.dsig.spec.TransformParameterSpec;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

public class JdkSign {
  public static void main(String[] args) throws Exception {
    if (args.length != 5) {
      System.err.println("usage: JdkSign KEY.pem CERT.pem IN.xml OUT.xml ID");
      System.exit(2);
    }
    String pem = new String(Files.readAllBytes(Paths.get(args[0])), StandardCharsets.US_ASCII);
    String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    PrivateKey key = KeyFactory.getInstance("RSA")
        .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    X509Certificate cert;
    try (InputStream in = new FileInputStream(args[1])) {
      cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
    dbf.setNamespaceAware(true);
    Document doc = dbf.newDocumentBuilder().parse(new File(args[2]));
    String id = args[4];
    Element target = null;
    NodeList all = doc.getElementsByTagNameNS("*", "*");
    for (int i = 0; i < all.getLength(); i++) {
      Element e = (Element) all.item(i);
      if (id.equals(e.getAttribute("ID"))) {
        target = e;
        e.setIdAttribute("ID", true);
      }
    }
    if (target == null) throw new IllegalArgumentException("no element with ID " + id);

    XMLSignatureFactory f = XMLSignatureFactory.getInstance("DOM");
    List<Transform> transforms = List.of(
        f.newTransform(Transform.ENVELOPED, (TransformParameterSpec) null),
        f.newTransform(CanonicalizationMethod.EXCLUSIVE, (TransformParameterSpec) null));
    Reference ref = f.newReference("#" + id, f.newDigestMethod(DigestMethod.SHA256, null),
        transforms, null, null);
    SignedInfo si = f.newSignedInfo(
        f.newCanonicalizationMethod(CanonicalizationMethod.EXCLUSIVE,
            (C14NMethodParameterSpec) null),
        f.newSignatureMethod("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", null),
        Collections.singletonList(ref));
    KeyInfoFactory kif = f.getKeyInfoFactory();
    KeyInfo keyInfo = kif.newKeyInfo(
        Collections.singletonList(kif.newX509Data(Collections.singletonList(cert))));

    Node after = null;  // SAML core: the Signature follows the Issuer
    for (Node c = target.getFirstChild(); c != null; c = c.getNextSibling()) {
      if (c.getNodeType() == Node.ELEMENT_NODE && "Issuer".equals(c.getLocalName())) {
        after = c.getNextSibling();
        break;
      }
    }
    DOMSignContext ctx = after != null ? new DOMSignContext(key, target, after)
                                       : new DOMSignContext(key, target);
    ctx.setDefaultNamespacePrefix("ds");
    ctx.setProperty("javax.xml.crypto.dsig.cacheReference", Boolean.TRUE);
    f.newXMLSignature(si, keyInfo).sign(ctx);
    try (InputStream digested = ref.getDigestInputStream()) {
      System.err.println(new String(digested.readAllBytes(), StandardCharsets.UTF_8));
    }
    TransformerFactory.newInstance().newTransformer()
        .transform(new DOMSource(doc), new StreamResult(new File(args[3])));
  }
}
