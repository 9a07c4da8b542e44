package cn.yekuo.hub.tokens;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Subject tokens of docs/contract.md §2: {@code [YK-2026-000017/T3/9f2a1c04b7e3]} for hand-off tasks and
 * {@code [YK-RV-2026-11/dongjiao/9f2a1c04b7e3]} for return-visit plans. The 12 hex digits (48 bits) are the start of
 * an HMAC-SHA256 over the part before them, so a unit cannot address a task by guessing numbers. Tokens of 6 hex
 * digits, written before tokens grew, still verify ({@link TokenCheck#isLegacy()}); they are accepted only for a task
 * or plan older than the cut-over ({@link TokenCutover}), a task only while it is open. A subject must carry exactly one distinct token: several are refused, so a
 * subject cannot carry guesses.
 */
public final class HandoffToken {

    private static final int MAC_HEX_DIGITS = 12;
    /** Tokens written before 48-bit tags: still verified, accepted only for what precedes the cut-over. */
    static final int LEGACY_MAC_HEX_DIGITS = 6;

    // Hex is matched in either case so that a changed letter case counts as forged, not as "no token".
    private static final Pattern TASK_TOKEN =
            Pattern.compile("\\[(YK-\\d{4}-\\d{6,})/T(\\d{1,6})/([0-9A-Fa-f]{12}|[0-9A-Fa-f]{6})]");
    private static final Pattern RETURN_VISIT_TOKEN =
            Pattern.compile("\\[YK-RV-(\\d{4}-\\d{2})/([a-z0-9][a-z0-9_-]{0,63})/([0-9A-Fa-f]{12}|[0-9A-Fa-f]{6})]");
    private static final Pattern CASE_NO = Pattern.compile("YK-\\d{4}-\\d{6,}");
    private static final Pattern STATION = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    private final SecretKeySpec key;

    public HandoffToken(byte[] secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length == 0) {
            throw new IllegalArgumentException("the token secret must not be empty");
        }
        this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
    }

    public HandoffToken(String secret) {
        this(Objects.requireNonNull(secret, "secret").getBytes(StandardCharsets.UTF_8));
    }

    /** {@code [YK-2026-000017/T3/9f2a1c04b7e3]} for case {@code YK-2026-000017}, task 3. */
    public String tokenFor(String caseNo, int taskNo) {
        if (caseNo == null || !CASE_NO.matcher(caseNo).matches()) {
            throw new IllegalArgumentException("not a case number: " + caseNo);
        }
        if (taskNo < 1 || taskNo > 999_999) {
            throw new IllegalArgumentException("task number out of range: " + taskNo);
        }
        String signed = caseNo + "/T" + taskNo;
        return "[" + signed + "/" + macOf(signed) + "]";
    }

    /** {@code [YK-RV-2026-11/dongjiao/9f2a1c04b7e3]} for the return-visit plan of a station and month. */
    public String returnVisitTokenFor(YearMonth month, String stationCode) {
        Objects.requireNonNull(month, "month");
        if (stationCode == null || !STATION.matcher(stationCode).matches()) {
            throw new IllegalArgumentException("not a supply station code: " + stationCode);
        }
        String signed = "RV-" + month + "/" + stationCode;
        return "[YK-" + signed + "/" + macOf(signed) + "]";
    }

    /**
     * The first well-formed token anywhere in the subject (prefixes such as {@code Re:}, {@code 回复:}
     * do not matter), authentic or not. Prefer {@link #check(String)} unless you verify yourself.
     */
    public Optional<TokenRef> find(String subject) {
        List<TokenRef> all = findAll(subject);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    /** True when the token's hex digits are those of our HMAC; compared in constant time. */
    public boolean verify(TokenRef token) {
        String mac = macOf(token.signedPart());
        int digits = token.mac().length() == LEGACY_MAC_HEX_DIGITS ? LEGACY_MAC_HEX_DIGITS : MAC_HEX_DIGITS;
        byte[] expected = mac.substring(0, digits).getBytes(StandardCharsets.US_ASCII);
        byte[] given = token.mac().getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given);
    }

    /**
     * Finds and verifies: exactly one distinct token (a forwarded chain may repeat the same one) is AUTHENTIC or
     * FORGED; two or more different ones are SEVERAL, whether or not one of them verifies (a subject of guesses must
     * not win by one right guess); none is NONE.
     */
    public TokenCheck check(String subject) {
        List<TokenRef> all = findAll(subject);
        if (all.isEmpty()) {
            return TokenCheck.none();
        }
        java.util.Set<String> distinct = new java.util.LinkedHashSet<>();
        all.forEach(t -> distinct.add(t.text()));
        if (distinct.size() > 1) {
            return TokenCheck.several(all.get(0), distinct.size());
        }
        TokenRef token = all.get(0);
        return verify(token) ? TokenCheck.authentic(token) : TokenCheck.forged(token);
    }

    private static List<TokenRef> findAll(String subject) {
        List<TokenRef> found = new ArrayList<>();
        if (subject == null) {
            return found;
        }
        record At(int position, TokenRef token) {
        }
        List<At> positioned = new ArrayList<>();
        Matcher task = TASK_TOKEN.matcher(subject);
        while (task.find()) {
            positioned.add(new At(task.start(),
                    new TokenRef.Task(task.group(1), Integer.parseInt(task.group(2)), task.group(3))));
        }
        Matcher visit = RETURN_VISIT_TOKEN.matcher(subject);
        while (visit.find()) {
            try {
                YearMonth month = YearMonth.parse(visit.group(1));
                positioned.add(new At(visit.start(),
                        new TokenRef.ReturnVisit(month, visit.group(2), visit.group(3))));
            } catch (java.time.format.DateTimeParseException e) {
                // a month 13 is not a token we could have written; treat as plain text
            }
        }
        positioned.sort((a, b) -> Integer.compare(a.position(), b.position()));
        positioned.forEach(at -> found.add(at.token()));
        return found;
    }

    private String macOf(String signedPart) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] digest = mac.doFinal(signedPart.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, MAC_HEX_DIGITS);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
        }
    }
}
