package cn.yekuo.hub.documents;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.Objects;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.SignatureInterface;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.SignatureOptions;
import org.apache.pdfbox.pdmodel.interactive.form.PDSignatureField;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.ess.ESSCertIDv2;
import org.bouncycastle.asn1.ess.SigningCertificateV2;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.IssuerSerial;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSAttributeTableGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cn.yekuo.hub.rendering.DocumentRenderingException;

/**
 * The electronic seal (电子签章) of the customer documents: a PAdES baseline B-B signature (SubFilter
 * {@code ETSI.CAdES.detached}: a detached CMS over the file's byte range, with the ESS signing-certificate-v2 attribute
 * naming the seal's certificate and the claimed signing time in the signature dictionary's {@code M}, not in the CMS),
 * appended to the finished PDF/A-3b file as an incremental update (ISO 19005-3 allows it; the bytes before it are the
 * file as rendered). One invisible seal per document, made with the key of a PKCS#12 keystore.
 *
 * <p>Thread-safe: the key material is read once; each {@link #seal} works on its own copy of the document.
 */
public final class DocumentSeal {

    private static final Logger log = LoggerFactory.getLogger(DocumentSeal.class);

    /** Room for the CMS beyond its certificates (bytes): signer info, signed attributes, the signature value. */
    private static final int SIGNATURE_MARGIN = 4096;
    /** What the embedded default's generated keystore is called and protected with (it lies next to the database). */
    static final String EMBEDDED_FILE = "seal/embedded-seal.p12";
    static final String EMBEDDED_ALIAS = "embedded-seal";
    private static final char[] EMBEDDED_PASSWORD = "embedded-seal".toCharArray();

    private final PrivateKey key;
    private final List<X509Certificate> chain;
    private final String signerName;
    private final Clock clock;
    private final ZoneId zone;
    private final String algorithm;
    private final boolean selfSigned;
    /** Room reserved for the CMS in the file (written as hex, so twice this): the chain plus the margin. */
    private final int signatureSize;

    private DocumentSeal(PrivateKey key, List<X509Certificate> chain, Clock clock, ZoneId zone) {
        this.key = Objects.requireNonNull(key, "key");
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("the seal has no certificate");
        }
        this.chain = List.copyOf(chain);
        this.clock = clock;
        this.zone = zone;
        X509Certificate cert = chain.get(0);
        this.signerName = commonName(cert);
        this.algorithm = "EC".equals(key.getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
        this.selfSigned = cert.getSubjectX500Principal().equals(cert.getIssuerX500Principal());
        int certificates = 0;
        for (X509Certificate c : chain) {
            try {
                certificates += c.getEncoded().length;
            } catch (java.security.cert.CertificateEncodingException e) {
                throw new IllegalArgumentException("unreadable seal certificate", e);
            }
        }
        this.signatureSize = certificates + SIGNATURE_MARGIN;
    }

    /**
     * The seal of a PKCS#12 keystore.
     *
     * @param alias the key entry; null or blank: the keystore's only key entry
     * @throws IllegalStateException naming the file (never the password) when it cannot be read or holds no usable key
     */
    public static DocumentSeal fromKeystore(Path keystore, char[] password, String alias, Clock clock, ZoneId zone) {
        KeyStore ks;
        try (InputStream in = Files.newInputStream(keystore)) {
            ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("the seal keystore " + keystore + " cannot be read (wrong password, not a PKCS#12"
                    + " file, or missing): " + e.getClass().getSimpleName(), e);
        }
        try {
            String entry = alias;
            if (entry == null || entry.isBlank()) {
                List<String> keys = new ArrayList<>();
                for (String a : Collections.list(ks.aliases())) {
                    if (ks.isKeyEntry(a)) {
                        keys.add(a);
                    }
                }
                if (keys.size() != 1) {
                    throw new IllegalStateException("the seal keystore " + keystore + " has " + keys.size()
                            + " key entries " + keys + ": set yk.documents.seal.alias");
                }
                entry = keys.get(0);
            }
            if (!ks.isKeyEntry(entry) || !(ks.getKey(entry, password) instanceof PrivateKey key)) {
                throw new IllegalStateException("the seal keystore " + keystore + " has no private key " + entry);
            }
            Certificate[] certs = ks.getCertificateChain(entry);
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate c : certs == null ? new Certificate[0] : certs) {
                chain.add((X509Certificate) c);
            }
            DocumentSeal seal = new DocumentSeal(key, chain, clock, zone);
            chain.get(0).checkValidity(Date.from(clock.instant()));
            return seal;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the seal key in " + keystore + " cannot be used: " + e.getMessage(), e);
        }
    }

    /**
     * The embedded default's seal: a self-signed EC P-256 key and certificate generated once into
     * {@code <dataDir>/seal/embedded-seal.p12} (kept across restarts, so earlier documents keep verifying against it).
     */
    public static DocumentSeal embedded(Path dataDir, String companyName, Clock clock, ZoneId zone) {
        Path file = dataDir.resolve(EMBEDDED_FILE);
        if (!Files.exists(file)) {
            generate(file, companyName, clock);
        }
        return fromKeystore(file, EMBEDDED_PASSWORD, EMBEDDED_ALIAS, clock, zone);
    }

    /** Writes a new self-signed seal key (EC P-256, ten years) to {@code file}, atomically. */
    static void generate(Path file, String companyName, Clock clock) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair pair = g.generateKeyPair();
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                    .addRDN(BCStyle.CN, companyName + " 电子签章 (embedded default, self-signed)")
                    .addRDN(BCStyle.O, companyName)
                    .addRDN(BCStyle.C, "CN").build();
            Instant now = clock.instant();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(64, new SecureRandom()).abs().add(BigInteger.ONE), Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(Duration.ofDays(3653))), subject, pair.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation));
            X509CertificateHolder holder = b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(holder);
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(EMBEDDED_ALIAS, pair.getPrivate(), EMBEDDED_PASSWORD, new Certificate[] {cert});
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), "seal", ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                ks.store(out, EMBEDDED_PASSWORD);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            log.info("Generated the embedded default's self-signed seal key {}", file);
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot generate the embedded seal key " + file, e);
        }
    }

    /** True when the seal's certificate is self-signed (the embedded default's, or a test's). */
    public boolean selfSigned() {
        return selfSigned;
    }

    /** The seal's certificate. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /**
     * The document with the seal appended (an incremental update of {@code pdf}).
     *
     * @param documentNo given as the signature's reason
     * @throws DocumentRenderingException when the file cannot be sealed
     */
    public byte[] seal(byte[] pdf, String documentNo) {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            PDSignature signature = new PDSignature();
            signature.setFilter(PDSignature.FILTER_ADOBE_PPKLITE);
            signature.setSubFilter(COSName.getPDFName("ETSI.CAdES.detached"));
            signature.setName(signerName);
            signature.setReason("电子签章 " + documentNo);
            signature.setSignDate(GregorianCalendar.from(clock.instant().atZone(zone)));
            try (SignatureOptions options = new SignatureOptions()) {
                options.setPreferredSignatureSize(signatureSize);
                doc.addSignature(signature, this::cms, options);
                // PDF/A: every annotation carries the print flag, an invisible (zero-size) seal's widget too
                for (PDSignatureField field : doc.getSignatureFields()) {
                    field.getWidgets().forEach(w -> {
                        w.setPrinted(true);
                        w.getCOSObject().setNeedToBeUpdated(true);
                    });
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream(pdf.length + 2 * signatureSize + 4096);
                doc.saveIncremental(out);
                return out.toByteArray();
            }
        } catch (IOException e) {
            throw new DocumentRenderingException("cannot seal document " + documentNo, e);
        }
    }

    /** The detached CMS (CAdES) over {@code content}: signing-certificate-v2, no signing-time (PAdES puts it in M). */
    private byte[] cms(InputStream content) throws IOException {
        try {
            X509Certificate cert = chain.get(0);
            byte[] certHash = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
            X500Name issuer = X500Name.getInstance(cert.getIssuerX500Principal().getEncoded());
            ESSCertIDv2 id = new ESSCertIDv2(certHash,
                    new IssuerSerial(new GeneralNames(new GeneralName(issuer)), cert.getSerialNumber()));
            ASN1EncodableVector attributes = new ASN1EncodableVector();
            attributes.add(new Attribute(PKCSObjectIdentifiers.id_aa_signingCertificateV2,
                    new DERSet(new SigningCertificateV2(new ESSCertIDv2[] {id}))));
            CMSAttributeTableGenerator signed = new DefaultSignedAttributeTableGenerator(new AttributeTable(attributes)) {
                @Override
                public AttributeTable getAttributes(java.util.Map parameters) {
                    return super.getAttributes(parameters).remove(CMSAttributes.signingTime);
                }
            };
            ContentSigner signer = new JcaContentSignerBuilder(algorithm).build(key);
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                    .setSignedAttributeGenerator(signed).build(signer, cert));
            generator.addCertificates(new JcaCertStore(chain));
            return generator.generate(new CMSProcessableByteArray(content.readAllBytes()), false).getEncoded();
        } catch (GeneralSecurityException | OperatorCreationException | CMSException e) {
            throw new IOException("cannot sign: " + e.getMessage(), e);
        }
    }

    private static String commonName(X509Certificate cert) {
        X500Name name = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
        var cn = name.getRDNs(BCStyle.CN);
        return cn.length == 0 ? name.toString() : cn[0].getFirst().getValue().toString();
    }
}
