package cn.yekuo.hub.status;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The token of a customer's status link (docs/contract.md §4.10): {@code YK-2026-000017.<43 characters>}, the case
 * number and the URL-safe Base64 (no padding) of an HMAC-SHA256 over {@code status/<caseNo>}. Whoever holds it sees
 * that one case; a changed character fails the check, which compares in constant time. Expiry is not in the token:
 * it follows the case's closing, read at request time.
 */
public final class StatusToken {

    private static final Pattern TOKEN = Pattern.compile("(YK-\\d{4}-\\d{6,12})\\.([A-Za-z0-9_-]{43})");
    private static final Pattern CASE_NO = Pattern.compile("YK-\\d{4}-\\d{6,12}");
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final SecretKeySpec key;

    public StatusToken(byte[] secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length == 0) {
            throw new IllegalArgumentException("the status link secret must not be empty");
        }
        this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
    }

    public StatusToken(String secret) {
        this(Objects.requireNonNull(secret, "secret").getBytes(StandardCharsets.UTF_8));
    }

    /** {@code YK-2026-000017.<mac>}: safe in a URL path as it is. */
    public String tokenFor(String caseNo) {
        if (caseNo == null || !CASE_NO.matcher(caseNo).matches()) {
            throw new IllegalArgumentException("not a case number: " + caseNo);
        }
        return caseNo + "." + BASE64URL.encodeToString(mac(caseNo));
    }

    /** The case number of an authentic token; empty for anything else (malformed, another key, a changed character). */
    public Optional<String> caseNoOf(String token) {
        if (token == null || token.length() > 80) {
            return Optional.empty();
        }
        Matcher m = TOKEN.matcher(token);
        if (!m.matches()) {
            return Optional.empty();
        }
        byte[] given = m.group(2).getBytes(StandardCharsets.US_ASCII);
        byte[] expected = BASE64URL.encodeToString(mac(m.group(1))).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given) ? Optional.of(m.group(1)) : Optional.empty();
    }

    private byte[] mac(String caseNo) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(("status/" + caseNo).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
        }
    }
}
